/* The kernel's virtual address layout (Linux's x86-64 4-level layout):
 *   0x0000000000000000 - 0x00007fffffffffff  user space (128 TiB)
 *   0xffff800000000000 - ...                 direct map of all RAM
 *   0xffffffff80000000 - ...                 kernel image (text, data, bss)
 * phys_to_virt/virt_to_phys convert through the direct map. */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include "kernel/types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define PAGE_OFFSET	 0xffff800000000000UL /* direct map base */
#define KERNEL_VIRT_BASE 0xffffffff80000000UL /* kernel image base */
#define USER_SPACE_END	 0x0000800000000000UL

#define PFN_UP(x)   (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Works for direct-map and kernel-image addresses alike. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= KERNEL_VIRT_BASE)
		return v - KERNEL_VIRT_BASE;
	return v - PAGE_OFFSET;
}

/* Symbols from linker.ld. */
extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _edata[];
extern char _sbss[], _ebss[], _end[];
extern char _kernel_phys_start[], _kernel_phys_end[];

#endif
