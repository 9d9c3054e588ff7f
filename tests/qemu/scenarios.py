"""QEMU scenario tests: each boots the ISO under TCG with kernel words
passed through fw_cfg, reads the serial log, and judges it.

A scenario passes when QEMU exits with the expected status (33 = the
kernel's ktest runner saw every check pass) and every regex in `expect`
appears in the log. A timeout or a triple fault (QEMU exits 0 because of
-no-reboot) is a failure that shows the log.
"""

PASS = 33   # isa-debug-exit: (16 << 1) | 1
PANIC = 5   # (2 << 1) | 1, written by panic()


def mem_total_check(mem_mib):
    """The 'Memory: availK/totalK' line must be close to QEMU's -m: the
    firmware keeps the first MiB and a little at the top (about 128 KiB)
    and, above 3 GiB, the PCI hole moves RAM above 4 GiB but never loses
    it. Total must be within [m - 2 MiB, m]."""
    def check(log):
        import re
        m = re.search(r"Memory: (\d+)K/(\d+)K available", log)
        if not m:
            return "no 'Memory:' line"
        total_k = int(m.group(2))
        want_k = mem_mib * 1024
        if not (want_k - 2048 <= total_k <= want_k):
            return f"total {total_k}K not within 2 MiB of -m {mem_mib}M"
        return None
    return check


# A second disk whose sector 8 always fails to read (QEMU's blkdebug).
BLK_IOERR = ["-drive", "if=ide,index=1,media=disk,format=raw,snapshot=on,"
             "file.driver=blkdebug,file.image.filename=build/disk.img,"
             "file.inject-error.0.event=read_aio,file.inject-error.0.errno=5,"
             "file.inject-error.0.sector=8,file.inject-error.0.once=off"]

SCENARIOS = [
    # name, MEM, kernel words, expected exit status, regexes, extra check
    dict(name="boot-16M", mem="16M", args="ktest=boot", status=PASS,
         expect=[r"memos version", r"BIOS-e820: \[mem 0x0000000000100000-"],
         check=mem_total_check(16)),
    dict(name="boot-128M", mem="128M", args="ktest=boot", status=PASS,
         expect=[r"Free memory: \d+ kB"], check=mem_total_check(128)),
    dict(name="boot-4G", mem="4G", args="ktest=boot", status=PASS,
         expect=[r"usable"], check=mem_total_check(4096)),
    dict(name="boot-16G", mem="16G", args="ktest=boot", status=PASS,
         expect=[r"BIOS-e820: \[mem 0x0000000100000000-"], check=mem_total_check(16384),
         timeout=120),
    dict(name="idle-table-6G", mem="6G", args="ktest=idle_table", status=PASS,
         expect=[r"kidled: idle-page reclaim on"], timeout=120),
    dict(name="buddy", mem="128M", args="ktest=buddy", status=PASS),
    dict(name="numa-acpi", mem="64M", args="ktest=numa", status=PASS,
         expect=[r"No NUMA configuration found", r"Fallback order for Node 0: 0\n",
                 r"ACPI: SLIT table looks invalid\. Not used\."]),
    dict(name="buddy-orders", mem="64M", args="ktest=buddy_orders", status=PASS),
    dict(name="watermarks", mem="64M", args="ktest=watermarks", status=PASS),
    dict(name="paging", mem="128M", args="ktest=paging", status=PASS),
    dict(name="protection", mem="64M", args="ktest=protection", status=PASS),
    dict(name="kmalloc", mem="128M", args="ktest=kmalloc", status=PASS,
         expect=[r"kmalloc: double free of", r"Call Trace:"]),
    dict(name="timer", mem="32M", args="ktest=timer", status=PASS,
         expect=[r"tsc: Detected \d+\.\d{3} MHz processor"]),
    dict(name="loglevel", mem="32M", args="ktest=boot loglevel=2", status=PASS,
         forbid=[r"BIOS-e820"]),
    dict(name="oops-report", mem="32M", args="ktest=oops", status=PANIC,
         expect=[r"BUG: unable to handle page fault for address: ffffffffc0001000",
                 r"#PF: supervisor write access in kernel mode",
                 r"#PF: error_code\(0x0002\) - not-present page",
                 r"RIP: 0008:ktest_oops\+0x",
                 r"Call Trace:",
                 r"\] ktest_run\+0x",
                 r"\] kmain\+0x",
                 r"Kernel panic - not syncing: Fatal exception: page fault"]),
    dict(name="vm-basic", mem="64M", args="ktest=vm_basic", status=PASS),
    dict(name="vm-brk", mem="64M", args="ktest=vm_brk", status=PASS),
    dict(name="vm-cow", mem="64M", args="ktest=vm_cow", status=PASS),
    dict(name="vm-merge", mem="64M", args="ktest=vm_merge", status=PASS),
    dict(name="vm-shared", mem="64M", args="ktest=vm_shared", status=PASS),
    dict(name="vm-overcommit", mem="64M", args="ktest=vm_overcommit", status=PASS),
    dict(name="fs-lookup", mem="64M", args="ktest=fs_lookup", status=PASS),
    dict(name="fs-initramfs", mem="64M", args="ktest=fs_initramfs", status=PASS),
    dict(name="fs-ramfs", mem="64M", args="ktest=fs_ramfs", status=PASS),
    dict(name="fs-tty", mem="64M", args="ktest=fs_tty", status=PASS),
    dict(name="fs-pipe", mem="64M", args="ktest=fs_pipe", status=PASS),
    dict(name="fs-procfs", mem="64M", args="ktest=fs_procfs", status=PASS),
    dict(name="fs-sysctl", mem="64M", args="ktest=fs_sysctl", status=PASS),
    dict(name="kthread", mem="32M", args="ktest=kthread", status=PASS),
    # PID 1 must never exit: when it does, the kernel panics as Linux does.
    dict(name="init-exits", mem="32M", args="init=/bin/echo", status=PANIC,
         expect=[r"Run /bin/echo as init process",
                 r"Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000"]),
    dict(name="init-missing", mem="32M", args="init=/bin/nothing", status=PANIC,
         expect=[r"Kernel panic - not syncing: Requested init /bin/nothing failed \(error -2\)"]),
    dict(name="block-disk", mem="64M", args="ktest=block_disk", status=PASS,
         expect=[r"ata1\.00: ATA-7: QEMU HARDDISK, 2\.5\+, max UDMA/100",
                 r"ata1\.00: \d+ sectors, multi 16: LBA48",
                 r"sd 0:0:0:0: \[sda\] \d+ 512-byte logical blocks: \(\d[\d.]* MB/\d[\d.]* MiB\)",
                 r"\]  sda: sda1 sda2$",
                 r"ata2\.00: ATAPI: QEMU DVD-ROM, 2\.5\+, max UDMA/100"]),
    dict(name="block-swap-header", mem="64M", args="ktest=block_swap_header", status=PASS),
    dict(name="block-rw", mem="64M", args="ktest=block_rw", status=PASS),
    dict(name="block-range", mem="64M", args="ktest=block_range", status=PASS),
    dict(name="block-counters", mem="64M", args="ktest=block_counters", status=PASS),
    dict(name="block-ioerror", mem="64M", args="ktest=block_ioerror", status=PASS,
         qemu_args=BLK_IOERR,
         expect=[r"ata1\.01: failed command: READ SECTORS EXT, sector 8 count 1",
                 r"ata1\.01: status: \{ DRDY ERR \}", r"ata1: soft resetting link",
                 r"I/O error, dev sdb, sector 8 op 0x0:\(READ\)"]),
    dict(name="ext2-read", mem="64M", args="ktest=ext2_read", status=PASS,
         expect=[r"VFS: Mounted root \(ext2 filesystem\) on device 8:1\.",
                 r"EXT2-fs \(sda1\): mounted filesystem read-write on / and /mnt,"]),
    dict(name="ext2-read-initramfs", mem="64M", args="ktest=ext2_read root=initramfs",
         status=PASS, expect=[r"EXT2-fs \(sda1\): mounted filesystem read-write on /mnt,"],
         forbid=[r"VFS: Mounted root"]),
    dict(name="rootfs-disk", mem="64M", args="ktest=rootfs_disk root=/dev/sda1", status=PASS,
         expect=[r"VFS: Mounted root \(ext2 filesystem\) on device 8:1\."]),
    dict(name="rootfs-initramfs", mem="64M", args="ktest=rootfs_initramfs root=initramfs",
         status=PASS, expect=[r"EXT2-fs \(sda1\): mounted filesystem read-write on /mnt,"],
         forbid=[r"VFS: Mounted root"]),
    dict(name="rootfs-default", mem="64M", args="ktest=rootfs_disk", status=PASS,
         expect=[r"VFS: Mounted root \(ext2 filesystem\) on device 8:1\."]),
    dict(name="rootfs-unknown", mem="64M", args="ktest=rootfs_initramfs root=/dev/sdb1",
         status=PASS, expect=[r'VFS: Cannot open root device "/dev/sdb1": only /dev/sda1 or '
                              r"initramfs; the initramfs stays the root"]),
    dict(name="ext2-readdir", mem="64M", args="ktest=ext2_readdir", status=PASS),
    dict(name="ext2-pagecache", mem="64M", args="ktest=ext2_pagecache", status=PASS),
    dict(name="ext2-readonly", mem="64M", args="ktest=ext2_readonly ro", status=PASS,
         expect=[r"VFS: Mounted root \(ext2 filesystem\) readonly on device 8:1\.",
                 r"EXT2-fs \(sda1\): mounted filesystem read-only on / and /mnt,"]),
    dict(name="ext2-readonly-initramfs", mem="64M", args="ktest=ext2_readonly ro root=initramfs",
         status=PASS, expect=[r"EXT2-fs \(sda1\): mounted filesystem read-only on /mnt,"]),
    dict(name="ext2-writeback", mem="64M", args="ktest=ext2_writeback", status=PASS),
    dict(name="ext2-corrupt", mem="64M", args="ktest=ext2_corrupt", status=PASS,
         expect=[r"EXT2-fs \(ram0\): error: can't find an ext2 filesystem on dev ram0\.",
                 r"EXT2-fs \(ram0\): warning: couldn't mount RDWR because of unsupported "
                 r"optional features \(400\): mounting read-only",
                 r"EXT2-fs \(ram0\): warning: mounting unchecked fs read-only"]),
    # A 32-bit CPU: boot/entry.asm must refuse with a clear message and halt
    # (so the run ends by timeout, which is what this scenario expects).
    dict(name="no-long-mode", mem="32M", args="", status="timeout", timeout=30,
         qemu_args=["-cpu", "qemu32"],
         expect=[r"memos: this CPU has no 64-bit long mode \(CPUID 0x80000001 EDX.LM\); halting"],
         forbid=[r"memos version"]),
    dict(name="unknown-ktest", mem="32M", args="ktest=no_such_test", status=3,
         expect=[r"not ok 1 - ktest 'no_such_test' exists"]),
]
