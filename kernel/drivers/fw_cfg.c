/* QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU):
 * a selector port and a data port through which the host passes named
 * blobs. We read one file, "opt/memos/cmdline", whose words are appended
 * to the boot loader's command line: the test harness passes ktest=NAME
 * that way, so one ISO serves every test. On real hardware the signature
 * check fails and nothing is read. */
#include "kernel/drivers/fw_cfg.h"
#include "kernel/string.h"
#include "kernel/x86.h"

#define FW_CFG_PORT_SEL	 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR	 0x0019

static void fw_cfg_read(void *buf, size_t n)
{
	u8 *p = buf;

	while (n--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static u32 be32(u32 v)
{
	return __builtin_bswap32(v);
}

int fw_cfg_read_file(const char *name, char *buf, size_t size)
{
	char sig[4];
	u32 count;
	struct {
		u32 size;
		u16 select;
		u16 reserved;
		char name[56];
	} __packed f;

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_cfg_read(sig, 4);
	if (memcmp(sig, "QEMU", 4))
		return -1;
	outw(FW_CFG_PORT_SEL, FW_CFG_FILE_DIR);
	fw_cfg_read(&count, 4);
	for (u32 i = 0; i < be32(count); i++) {
		fw_cfg_read(&f, sizeof(f));
		if (strncmp(f.name, name, sizeof(f.name)))
			continue;
		size_t n = MIN((size_t)be32(f.size), size - 1);
		outw(FW_CFG_PORT_SEL, __builtin_bswap16(f.select));
		fw_cfg_read(buf, n);
		buf[n] = '\0';
		return (int)n;
	}
	return -1;
}
