#!/bin/sh
# Boots build/os.iso in QEMU. Every run, test and benchmark comes here so
# the machine is always the same. Settings come from the environment:
#   MEM=128M     guest RAM (QEMU's -m syntax)
#   ARGS="..."   extra kernel command-line words, passed through QEMU's
#                fw_cfg (opt/memos/cmdline) and appended by the kernel
#   ACCEL=tcg    tcg (default: fast GRUB start here) or kvm (benchmarks)
#   GDB_PORT=N   start halted with the GDB stub on tcp::N
#   NUMA=N       N NUMA nodes (1-8; QEMU writes ACPI SRAT/SLIT for them):
#                node 0 has the CPU, the others are memory-only. Sizes:
#   NUMA_SIZES=64M,32M,...  one per node (QEMU's size syntax); -m is their
#                sum and MEM is ignored. Default: MEM split evenly.
#   NUMA_DIST="0-1=30,1-2=15"  SLIT distances src-dst=val (10 < val <=
#                255; the reverse direction gets the same value unless
#                given too). Without it QEMU writes no SLIT and the kernel
#                uses Linux's 10 local / 20 remote.
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

# NUMA: one memory-backend object and one -numa node per node.
numa_args=
if [ -n "$NUMA" ] && [ "$NUMA" != 0 ]; then
	case "$NUMA" in
	[1-8]) ;;
	*) echo "qemu.sh: NUMA=$NUMA: give 1 to 8 nodes" >&2; exit 1 ;;
	esac
	total=0
	if [ -n "$NUMA_SIZES" ]; then
		sizes=$(echo "$NUMA_SIZES" | tr ',' ' ')
		[ "$(echo $sizes | wc -w)" = "$NUMA" ] ||
			{ echo "qemu.sh: NUMA_SIZES needs $NUMA sizes" >&2; exit 1; }
	else
		each=$(($(numfmt --from=iec "$MEM") / NUMA / 1048576))
		sizes=$(for n in $(seq "$NUMA"); do printf '%sM ' "$each"; done)
	fi
	n=0
	for size in $sizes; do
		mib=$(($(numfmt --from=iec "$size") / 1048576))
		total=$((total + mib))
		cpus=
		[ $n = 0 ] && cpus=,cpus=0
		numa_args="$numa_args -object memory-backend-ram,id=m$n,size=${mib}M"
		numa_args="$numa_args -numa node,nodeid=$n,memdev=m$n$cpus"
		n=$((n + 1))
	done
	for d in $(echo "$NUMA_DIST" | tr ',' ' '); do
		src=${d%%-*} rest=${d#*-}
		numa_args="$numa_args -numa dist,src=$src,dst=${rest%%=*},val=${d#*=}"
	done
	MEM=${total}M
fi

set -- -machine pc,accel="$ACCEL" -m "$MEM" -cdrom "$ISO" -boot d \
	-serial "$SERIAL" -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 $numa_args "$@"
if [ "$ACCEL" = kvm ]; then
	# arch-capabilities off: on some hosts KVM refuses QEMU's write of that
	# MSR (0x10a) and QEMU aborts before the guest starts; memos never
	# reads it.
	set -- -cpu host,arch-capabilities=off -mem-prealloc "$@"
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
