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
# Extra arguments are handed to QEMU unchanged.
set -e
cd "$(dirname "$0")/.."

MEM=${MEM:-128M}
ACCEL=${ACCEL:-tcg}
SERIAL=${SERIAL:-mon:stdio}
ISO=${ISO:-build/os.iso}

set -- -machine pc,accel="$ACCEL" -m "$MEM" -cdrom "$ISO" -boot d \
	-serial "$SERIAL" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
if [ "$ACCEL" = kvm ]; then
	set -- -cpu host -mem-prealloc "$@"
else
	set -- -cpu qemu64 "$@"
fi
[ -n "$ARGS" ] && set -- -fw_cfg "name=opt/memos/cmdline,string=$ARGS" "$@"
[ -n "$GDB_PORT" ] && set -- -S -gdb "tcp::$GDB_PORT" "$@"
[ "$GUI" = 1 ] || set -- -display none "$@"
exec qemu-system-x86_64 "$@"
