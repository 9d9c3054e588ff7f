/* Global descriptor table and task state segment. The selector layout is
 * the one syscall/sysret need (kernel/user code and data in a fixed order,
 * as in Linux). The TSS gives the double-fault and NMI handlers stacks of
 * their own, so a kernel stack overflow still produces a report. */
#include "kernel/gdt.h"
#include "kernel/string.h"

/* Descriptor bits (Intel SDM Vol. 3A, 3.4.5). */
#define DESC_KERNEL_CODE 0x00af9a000000ffffUL /* P DPL0 code, L=1 */
#define DESC_KERNEL_DATA 0x00cf92000000ffffUL /* P DPL0 data, writable */
#define DESC_USER_CODE32 0x00cffa000000ffffUL /* P DPL3 32-bit code (unused) */
#define DESC_USER_DATA	 0x00cff2000000ffffUL /* P DPL3 data */
#define DESC_USER_CODE	 0x00affa000000ffffUL /* P DPL3 code, L=1 */
#define TSS_TYPE_AVAIL	 0x89UL		      /* P, type 9: available 64-bit TSS */

#define IST_STACK_SIZE 8192

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

static u64 gdt[GDT_ENTRIES] __aligned(16);
static struct tss tss __aligned(16);
static u8 ist_stacks[2][IST_STACK_SIZE] __aligned(16);

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static void set_tss_descriptor(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	gdt[GDT_TSS_INDEX] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (TSS_TYPE_AVAIL << 40) |
			     (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS_INDEX + 1] = base >> 32;
}

void gdt_init(void)
{
	struct desc_ptr ptr = {sizeof(gdt) - 1, (u64)gdt};

	gdt[0] = 0;
	gdt[__KERNEL_CS >> 3] = DESC_KERNEL_CODE;
	gdt[__KERNEL_DS >> 3] = DESC_KERNEL_DATA;
	gdt[__USER32_CS >> 3] = DESC_USER_CODE32;
	gdt[__USER_DS >> 3] = DESC_USER_DATA;
	gdt[__USER_CS >> 3] = DESC_USER_CODE;
	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_DOUBLE_FAULT - 1] = (u64)(ist_stacks[0] + IST_STACK_SIZE);
	tss.ist[IST_NMI - 1] = (u64)(ist_stacks[1] + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	set_tss_descriptor();

	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "pushq %2\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "r"((u64)__KERNEL_DS), "i"(__KERNEL_CS), "r"(GDT_TSS_SEL)
			 : "rax", "memory");
}

/* The stack the CPU switches to when an interrupt arrives in user mode. */
void tss_set_kernel_stack(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}
