/* What the boot loader told us, copied out of the Multiboot2 information
 * structure (spec section 3.6) before the identity map goes away. */
#ifndef KERNEL_MULTIBOOT2_H
#define KERNEL_MULTIBOOT2_H

#include "kernel/cmdline.h"
#include "kernel/types.h"

/* E820 memory types, which the Multiboot2 memory map reuses. */
#define E820_TYPE_RAM	   1
#define E820_TYPE_RESERVED 2
#define E820_TYPE_ACPI	   3
#define E820_TYPE_NVS	   4
#define E820_TYPE_UNUSABLE 5

#define MAX_E820_ENTRIES 128
#define MAX_BOOT_MODULES 16

struct e820_entry {
	u64 addr, size;
	u32 type;
};

struct boot_module {
	phys_addr_t start, end;
	char name[64];
};

struct boot_info {
	char cmdline[COMMAND_LINE_SIZE];
	struct e820_entry e820[MAX_E820_ENTRIES];
	int nr_e820;
	struct boot_module modules[MAX_BOOT_MODULES];
	int nr_modules;
	phys_addr_t mbi_start, mbi_end;
	u8 rsdp[36]; /* ACPI RSDP (v1 is 20 bytes, v2+ 36) */
	size_t rsdp_len;
};

extern struct boot_info boot_info;

/* Parses the information at physical address mbi (still identity-mapped);
 * panics if the magic number is not Multiboot2's. */
void multiboot2_parse(u32 magic, phys_addr_t mbi);
void e820_print(void);
const char *e820_type_name(u32 type);

#endif
