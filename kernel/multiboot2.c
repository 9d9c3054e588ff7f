/* Multiboot2 information parsing: the memory map, the command line, the
 * modules and the ACPI RSDP. Tag types from the Multiboot2 spec, 3.6. */
#include "kernel/multiboot2.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/layout.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_TAG_END	     0
#define MB2_TAG_CMDLINE	     1
#define MB2_TAG_MODULE	     3
#define MB2_TAG_MMAP	     6
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

struct mb2_tag {
	u32 type, size;
};

struct mb2_tag_module {
	struct mb2_tag tag;
	u32 mod_start, mod_end;
	char cmdline[];
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	u32 entry_size, entry_version;
	u8 entries[];
};

struct mb2_mmap_entry {
	u64 addr, len;
	u32 type, reserved;
};

struct boot_info boot_info;

static void parse_mmap(const struct mb2_tag_mmap *t)
{
	const u8 *p = t->entries, *end = (const u8 *)t + t->tag.size;

	for (; p + t->entry_size <= end && boot_info.nr_e820 < MAX_E820_ENTRIES;
	     p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		struct e820_entry *out = &boot_info.e820[boot_info.nr_e820++];

		out->addr = e->addr;
		out->size = e->len;
		out->type = e->type;
	}
}

static void parse_module(const struct mb2_tag_module *t)
{
	struct boot_module *m;

	if (boot_info.nr_modules == MAX_BOOT_MODULES) {
		pr_warn("multiboot: more than %d modules, ignoring %s\n", MAX_BOOT_MODULES,
			t->cmdline);
		return;
	}
	m = &boot_info.modules[boot_info.nr_modules++];
	m->start = t->mod_start;
	m->end = t->mod_end;
	strlcpy(m->name, t->cmdline, sizeof(m->name));
}

void multiboot2_parse(u32 magic, phys_addr_t mbi)
{
	const u8 *base = phys_to_virt(mbi);
	u32 total = *(const u32 *)base;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("multiboot: bad magic %#x, not booted by a Multiboot2 loader", magic);
	boot_info.mbi_start = mbi;
	boot_info.mbi_end = mbi + total;
	for (const u8 *p = base + 8; p < base + total;) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(boot_info.cmdline, (const char *)(tag + 1),
				sizeof(boot_info.cmdline));
			break;
		case MB2_TAG_MODULE:
			parse_module((const void *)tag);
			break;
		case MB2_TAG_MMAP:
			parse_mmap((const void *)tag);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			boot_info.rsdp_len = MIN(tag->size - 8, sizeof(boot_info.rsdp));
			memcpy(boot_info.rsdp, tag + 1, boot_info.rsdp_len);
			break;
		}
		p += ALIGN_UP(tag->size, 8);
	}
}

const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM:
		return "usable";
	case E820_TYPE_ACPI:
		return "ACPI data";
	case E820_TYPE_NVS:
		return "ACPI NVS";
	case E820_TYPE_UNUSABLE:
		return "unusable";
	default:
		return "reserved";
	}
}

/* Prints the map the way Linux's boot log does. */
void e820_print(void)
{
	pr_info("BIOS-provided physical RAM map:\n");
	for (int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];

		pr_info("BIOS-e820: [mem %#018lx-%#018lx] %s\n", e->addr, e->addr + e->size - 1,
			e820_type_name(e->type));
	}
}
