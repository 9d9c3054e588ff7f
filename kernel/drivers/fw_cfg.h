#ifndef KERNEL_DRIVERS_FW_CFG_H
#define KERNEL_DRIVERS_FW_CFG_H

#include "kernel/types.h"

/* Reads QEMU fw_cfg file name into buf (NUL-terminated); returns its
 * length, or -1 if there is no such file or no fw_cfg device. */
int fw_cfg_read_file(const char *name, char *buf, size_t size);

#endif
