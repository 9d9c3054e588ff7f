/* CPU exceptions and interrupts: the saved register frame and the entry
 * points of kernel/traps.c. */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include "kernel/types.h"

/* Saved by kernel/isr.asm, in the order of Linux's struct pt_regs. */
struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Exception vectors (Intel SDM Vol. 3A, Table 6-1). */
#define X86_TRAP_DE  0 /* divide error */
#define X86_TRAP_DB  1
#define X86_TRAP_NMI 2
#define X86_TRAP_BP  3
#define X86_TRAP_UD  6	/* invalid opcode */
#define X86_TRAP_DF  8	/* double fault */
#define X86_TRAP_GP  13 /* general protection */
#define X86_TRAP_PF  14 /* page fault */

/* Page-fault error code bits (SDM Vol. 3A, 4.7). */
#define X86_PF_PROT  (1UL << 0) /* 0: page not present, 1: protection violation */
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER  (1UL << 2)
#define X86_PF_RSVD  (1UL << 3) /* reserved bit set in a paging entry */
#define X86_PF_INSTR (1UL << 4) /* instruction fetch */
#define X86_PF_PK    (1UL << 5)

#define IRQ_BASE 32 /* legacy PIC IRQs 0-15 arrive at vectors 32-47 */

typedef void (*irq_handler_t)(struct pt_regs *regs);

void idt_init(void);
void register_irq_handler(int irq, irq_handler_t handler);
void handle_trap(struct pt_regs *regs);

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) != 0;
}

/* A kernel test arms a catcher to survive an exception it provokes: the
 * trap handler records what happened and klongjmp()s back to ksetjmp(). */
typedef u64 kjmp_buf[9];
int ksetjmp(kjmp_buf buf) __attribute__((returns_twice));
void klongjmp(kjmp_buf buf, int val) __noreturn;

struct fault_catcher {
	kjmp_buf jmp;
	u64 vector, error_code, cr2, rip;
};

void arm_fault_catcher(struct fault_catcher *c);
void disarm_fault_catcher(void);

/* Runs fn(arg) with a catcher armed; returns true if it raised an
 * exception (details in *c), false if it returned normally. */
bool catch_fault(struct fault_catcher *c, void (*fn)(void *), void *arg);

void dump_backtrace(unsigned long rip, unsigned long rbp);

#endif
