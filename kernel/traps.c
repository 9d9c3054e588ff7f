/* Interrupt descriptor table and the trap dispatcher. A CPU exception in
 * kernel mode that nobody expected is a kernel bug: we print a report in
 * Linux's oops format (vector, decoded error code, CR2 for a page fault,
 * registers, call trace with symbol names) and panic. Concept C4 starts
 * here: a page fault is vector 14 with CR2 holding the faulting address. */
#include "kernel/traps.h"
#include "kernel/syscall.h"
#include "kernel/gdt.h"
#include "kernel/drivers/pic.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/mmap.h"

#define IDT_ENTRIES    256
#define GATE_INTERRUPT 0x8e /* P, DPL0, 64-bit interrupt gate (IF cleared) */
#define NR_LEGACY_IRQS 16

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

static struct idt_gate idt[IDT_ENTRIES] __aligned(16);
static irq_handler_t irq_handlers[NR_LEGACY_IRQS];
static struct fault_catcher *armed_catcher;
extern const u64 isr_stub_table[IDT_ENTRIES];

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"int3",
	"overflow",
	"bounds",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack segment",
	"general protection fault",
	"page fault",
	"reserved 15",
	"x87 floating point",
	"alignment check",
	"machine check",
	"SIMD floating point",
	"virtualization",
	"control protection",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"hypervisor injection",
	"VMM communication",
	"security",
	"reserved 31",
};

static void set_gate(int vector, u64 handler, u8 ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTERRUPT;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed ptr = {sizeof(idt) - 1, (u64)idt};

	for (int v = 0; v < IDT_ENTRIES; v++)
		set_gate(v, isr_stub_table[v], 0);
	idt[X86_TRAP_DF].ist = IST_DOUBLE_FAULT;
	idt[X86_TRAP_NMI].ist = IST_NMI;
	__asm__ volatile("lidt %0" : : "m"(ptr));
	pic_init();
}

void register_irq_handler(int irq, irq_handler_t handler)
{
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

void arm_fault_catcher(struct fault_catcher *c)
{
	armed_catcher = c;
}

void disarm_fault_catcher(void)
{
	armed_catcher = NULL;
}

bool catch_fault(struct fault_catcher *c, void (*fn)(void *), void *arg)
{
	if (ksetjmp(c->jmp)) {
		disarm_fault_catcher();
		return true;
	}
	arm_fault_catcher(c);
	fn(arg);
	disarm_fault_catcher();
	return false;
}

/* Walks the frame-pointer chain: each frame starts with the caller's RBP
 * and then the return address. Stops at RBP 0 (set by the boot code) or at
 * anything that does not look like a kernel stack address. */
void dump_backtrace(unsigned long rip, unsigned long rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " [<%016lx>] %pS\n", rip, (void *)rip);
	for (int depth = 0; rbp && depth < 32; depth++) {
		unsigned long *frame = (unsigned long *)rbp;

		if (rbp < PAGE_OFFSET || !IS_ALIGNED(rbp, 8))
			break;
		if (!frame[1])
			break;
		printk(KERN_EMERG " [<%016lx>] %pS\n", frame[1], (void *)frame[1]);
		if (frame[0] <= rbp)
			break; /* stacks grow down: callers' frames are higher */
		rbp = frame[0];
	}
}

static void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04lx:%pS\n", r->cs, (void *)r->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx\n", r->ss, r->rsp, r->rflags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk(KERN_EMERG "CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr2(), read_cr3(),
	       read_cr4());
}

/* Linux's three-line page-fault header, e.g.
 *   BUG: unable to handle page fault for address: ffffffff80101000
 *   #PF: supervisor write access in kernel mode
 *   #PF: error_code(0x0003) - permissions violation */
static void report_page_fault(const struct pt_regs *r, u64 cr2)
{
	u64 err = r->error_code;
	const char *access = (err & X86_PF_INSTR)   ? "instruction fetch"
			     : (err & X86_PF_WRITE) ? "write access"
						    : "read access";
	const char *why = (err & X86_PF_RSVD)	? "reserved bit violation"
			  : (err & X86_PF_PROT) ? "permissions violation"
						: "not-present page";

	printk(KERN_EMERG "BUG: unable to handle page fault for address: %016lx\n", cr2);
	printk(KERN_EMERG "#PF: %s %s in %s mode\n", (err & X86_PF_USER) ? "user" : "supervisor",
	       access, user_mode(r) ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04lx) - %s\n", err, why);
}

static void __noreturn kernel_oops(struct pt_regs *r)
{
	const char *name = exception_names[r->vector];

	if (r->vector == X86_TRAP_PF)
		report_page_fault(r, read_cr2());
	printk(KERN_EMERG "Oops: %s: %04lx [#1]\n", name, r->error_code);
	show_regs(r);
	dump_backtrace(r->rip, r->rbp);
	panic("Fatal exception: %s in kernel mode", name);
}

static void handle_exception(struct pt_regs *r);

/* The signal a user-mode exception raises, as Linux maps them. */
static int exception_signal(u64 vector)
{
	switch (vector) {
	case X86_TRAP_DE:
	case 16: /* x87 floating point */
	case 19: /* SIMD floating point */
		return SIGFPE;
	case X86_TRAP_UD:
		return SIGILL;
	case X86_TRAP_BP:
	case X86_TRAP_DB:
		return SIGTRAP;
	case 17: /* alignment check */
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* A user program did something the CPU refused: one line in Linux's
 * words, then the signal that kills it. The kernel carries on. */
static void user_exception(struct pt_regs *r)
{
	const char *name = exception_names[r->vector];

	if (r->vector == X86_TRAP_GP)
		pr_info("traps: %s[%d] general protection fault ip:%lx sp:%lx error:%lx\n",
			current->comm, current->pid, r->rip, r->rsp, r->error_code);
	else
		pr_info("traps: %s[%d] trap %s ip:%lx sp:%lx error:%lx\n", current->comm,
			current->pid, name, r->rip, r->rsp, r->error_code);
	force_sig(exception_signal(r->vector));
}

/* #PF: user addresses go to the VM (demand paging, stack growth); what it
 * refuses kills a user program with SIGSEGV, or turns a kernel access
 * through copy_from_user and friends into -EFAULT via the exception
 * table. Anything else is a kernel bug. */
static void handle_page_fault(struct pt_regs *r)
{
	unsigned long addr = read_cr2();
	const char *why = "kernel address";
	int err = -EFAULT;

	if (addr >= TASK_SIZE && syscall_from_fault(r, addr))
		return;
	if (addr < TASK_SIZE && current->mm) {
		if (r->rflags & X86_RFLAGS_IF)
			local_irq_enable(); /* allocating may take a while */
		err = handle_mm_fault(current->mm, addr, r->error_code, &why);
		local_irq_disable();
		if (!err)
			return;
	}
	if (user_mode(r)) {
		if (err == -ENOMEM) {
			/* An OOM victim already has its SIGKILL and its log line. */
			if (!(current->pending_signals & (1UL << (SIGKILL - 1))))
				pr_err("Out of memory: killed %s[%d] at fault on %lx\n",
				       current->comm, current->pid, addr);
			force_sig(SIGKILL);
			return;
		}
		if (err == -EIO) { /* a file mapping's page that cannot be had */
			pr_info("%s[%d]: bus error at %lx ip %016lx sp %016lx error %lx (%s)\n",
				current->comm, current->pid, addr, r->rip, r->rsp, r->error_code,
				why);
			force_sig(SIGBUS);
			return;
		}
		pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx (%s)\n",
			current->comm, current->pid, addr, r->rip, r->rsp, r->error_code, why);
		force_sig(SIGSEGV);
		return;
	}
	if (addr < TASK_SIZE) {
		unsigned long fixup = search_exception_tables(r->rip);

		if (fixup) {
			r->rip = fixup;
			return;
		}
	}
	handle_exception(r);
}

static void handle_exception(struct pt_regs *r)
{
	struct fault_catcher *c = armed_catcher;

	if (user_mode(r)) {
		user_exception(r);
		return;
	}
	if (c) {
		armed_catcher = NULL;
		c->vector = r->vector;
		c->error_code = r->error_code;
		c->cr2 = r->vector == X86_TRAP_PF ? read_cr2() : 0;
		c->rip = r->rip;
		klongjmp(c->jmp, 1);
	}
	kernel_oops(r);
}

void handle_trap(struct pt_regs *regs)
{
	u64 v = regs->vector;

	if (v == X86_TRAP_PF) {
		handle_page_fault(regs);
	} else if (v < 32) {
		handle_exception(regs);
	} else if (v < IRQ_BASE + NR_LEGACY_IRQS) {
		int irq = (int)(v - IRQ_BASE);

		/* IRQ 7 and 15 may be spurious: no EOI for those (8259A datasheet). */
		if (irq_handlers[irq])
			irq_handlers[irq](regs);
		pic_eoi(irq);
	} else {
		pr_warn("traps: unexpected interrupt vector %lu\n", v);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
}
