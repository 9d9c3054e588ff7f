#!/bin/sh
# Boots build/os.iso in QEMU. Every run, test and benchmark comes here so
# the machine is always the same. Settings come from the environment:
#   MEM=128M     guest RAM (QEMU's -m syntax)
#   ARGS="..."   extra kernel command-line words, passed through QEMU's
#                fw_cfg (opt/memos/cmdline) and appended by the kernel
#   ACCEL=tcg    tcg (default: fast GRUB start here) or kvm (benchmarks)
#   GDB_PORT=N   start halted with the GDB stub on tcp::N
#   GUI=1        show the VGA window too
#   SERIAL=...   QEMU -serial backend (default mon:stdio: Ctrl-A X quits)
#   DISK_IMG=... raw image on the IDE primary master (sda; the CD-ROM stays
#                at ide1 and boots): default build/disk.img when it exists
#                (tools/mkdisk.sh), "none" for no disk. Opened with
#                snapshot=on: writes go to a temporary overlay, so parallel
#                tests share the image and every boot sees the same disk;
#                DISK_WRITE=1 writes to the image itself.
# Extra arguments are handed to QEMU unchanged.
set -e
cd "$(dirname "$0")/.."

MEM=${MEM:-128M}
ACCEL=${ACCEL:-tcg}
SERIAL=${SERIAL:-mon:stdio}
ISO=${ISO:-build/os.iso}
DISK_IMG=${DISK_IMG:-build/disk.img}
[ "$DISK_IMG" = build/disk.img ] && [ ! -e "$DISK_IMG" ] && DISK_IMG=none

set -- -machine pc,accel="$ACCEL" -m "$MEM" -cdrom "$ISO" -boot d \
	-serial "$SERIAL" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
if [ "$ACCEL" = kvm ]; then
	set -- -cpu host -mem-prealloc "$@"
else
	set -- -cpu qemu64 "$@"
fi
if [ "$DISK_IMG" != none ]; then
	snapshot=on
	[ "$DISK_WRITE" = 1 ] && snapshot=off
	set -- -drive "file=$DISK_IMG,format=raw,if=ide,index=0,media=disk,snapshot=$snapshot" "$@"
fi
[ -n "$ARGS" ] && set -- -fw_cfg "name=opt/memos/cmdline,string=$ARGS" "$@"
[ -n "$GDB_PORT" ] && set -- -S -gdb "tcp::$GDB_PORT" "$@"
[ "$GUI" = 1 ] || set -- -display none "$@"
exec qemu-system-x86_64 "$@"
