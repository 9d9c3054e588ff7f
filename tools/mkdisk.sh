#!/bin/sh
# Creates the IDE disk image QEMU attaches (tools/qemu.sh), with the host's
# standard tools only, so that what the kernel reads is what Linux makes:
#   sfdisk   an MBR ("dos") partition table:
#              1: type 0x83 (Linux), from 1 MiB: ext2 made by mke2fs -d,
#                 holding the user programs in /bin (a future root fs)
#                 and /data/big, a pre-sized file for write tests (the
#                 kernel writes into existing blocks only)
#              2: type 0x82 (Linux swap), the last SWAP bytes: mkswap
#   mke2fs / mkswap write into temporary files, dd copies them in place.
#
#   tools/mkdisk.sh [-f] [IMAGE]   IMAGE defaults to build/disk.img; it is
#                                  made only when absent, or always with -f
# Sizes in the environment (numfmt's IEC syntax: 256M, 1G):
#   DISK=256M   whole disk         SWAP=128M   swap partition
#   PROGS=dir   programs for /bin (default build/user: its executables)
#   BIG=16M     size of /data/big (every 32-byte line
#               "memos /data/big: pre-sized file\n", so no block is a hole)
set -e
cd "$(dirname "$0")/.."
PATH="$PATH:/usr/sbin:/sbin"

force=
[ "$1" = -f ] && { force=1; shift; }
IMAGE=${1:-build/disk.img}
DISK=${DISK:-256M}
SWAP=${SWAP:-128M}
PROGS=${PROGS:-build/user}
BIG=${BIG:-16M}

if [ -e "$IMAGE" ] && [ -z "$force" ]; then
	echo "mkdisk: $IMAGE exists, kept (tools/mkdisk.sh -f to remake it)"
	exit 0
fi

disk_bytes=$(numfmt --from=iec "$DISK")
swap_bytes=$(numfmt --from=iec "$SWAP")
mib=1048576
# Partitions start and end on MiB boundaries, as sfdisk aligns them.
swap_bytes=$((swap_bytes / mib * mib))
root_start=$mib
root_bytes=$(((disk_bytes - root_start - swap_bytes) / mib * mib))
swap_start=$((root_start + root_bytes))
if [ "$swap_bytes" -lt $((64 * 1024)) ] || [ "$root_bytes" -lt $((8 * mib)) ]; then
	echo "mkdisk: DISK=$DISK is too small for SWAP=$SWAP (need 8 MiB of root, 64 KiB of swap)" >&2
	exit 1
fi

mkdir -p "$(dirname "$IMAGE")"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkdisk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The partition table: sizes in 512-byte sectors.
truncate -s "$disk_bytes" "$tmp/disk.img"
sfdisk -q "$tmp/disk.img" <<EOF
label: dos
start=$((root_start / 512)), size=$((root_bytes / 512)), type=83
start=$((swap_start / 512)), size=$((swap_bytes / 512)), type=82
EOF

# Partition 1: ext2 with 4 KiB blocks (one block per page), files owned by
# root, laid out like the initramfs (tools/mkinitramfs.py).
# The root file system (root=/dev/sda1, the default): the kernel mounts
# /dev, /proc, /sys, /tmp on these directories, ext2 again on /mnt and the
# initramfs on /initramfs.
mkdir -p "$tmp/root/bin" "$tmp/root/sbin" "$tmp/root/dev" "$tmp/root/proc" \
	"$tmp/root/tmp" "$tmp/root/etc" "$tmp/root/sys" "$tmp/root/mnt" "$tmp/root/initramfs"
nprogs=0
if [ -d "$PROGS" ]; then
	for f in "$PROGS"/*; do
		[ -f "$f" ] && [ -x "$f" ] || continue
		cp "$f" "$tmp/root/bin/"
		nprogs=$((nprogs + 1))
	done
fi
ln -s /bin/init "$tmp/root/sbin/init"
[ -e "$tmp/root/bin/swapon" ] && ln -s /bin/swapon "$tmp/root/bin/swapoff"
mkdir -p "$tmp/root/data"
big_bytes=$(numfmt --from=iec "$BIG")
yes 'memos /data/big: pre-sized file' | head -c "$big_bytes" >"$tmp/root/data/big"
mke2fs -q -t ext2 -b 4096 -m 0 -L memos-root -E root_owner=0:0 -d "$tmp/root" \
	"$tmp/root.img" $((root_bytes / 1024))k >/dev/null
dd if="$tmp/root.img" of="$tmp/disk.img" bs=$mib seek=$((root_start / mib)) \
	conv=notrunc,sparse status=none

# Partition 2: a swap area, version 1 header ("SWAPSPACE2" at 4086), 4 KiB pages.
truncate -s "$swap_bytes" "$tmp/swap.img"
mkswap -q -p 4096 -L memos-swap "$tmp/swap.img"
dd if="$tmp/swap.img" of="$tmp/disk.img" bs=$mib seek=$((swap_start / mib)) \
	conv=notrunc,sparse status=none

mv "$tmp/disk.img" "$IMAGE"
echo "mkdisk: $IMAGE, $(numfmt --to=iec "$disk_bytes")iB, MBR:"
echo "mkdisk:   sda1 type 83 sectors $((root_start / 512))+$((root_bytes / 512))" \
	"($(numfmt --to=iec "$root_bytes")iB ext2, $nprogs programs in /bin," \
	"$(numfmt --to=iec "$big_bytes")iB /data/big)"
echo "mkdisk:   sda2 type 82 sectors $((swap_start / 512))+$((swap_bytes / 512))" \
	"($(numfmt --to=iec "$swap_bytes")iB swap)"
