#!/bin/sh
# Install the host packages the build, the tests and the benchmarks need.
#
#   tools/install-deps.sh            the base set (build, run, test, debug)
#   tools/install-deps.sh PKG ...    the base set plus extra Debian packages
#
# Runs apt-get only when something is missing, so it is cheap to call from
# every make target. Needs root (or sudo) the first time on a fresh machine.
set -e

BASE="nasm gcc make binutils qemu-system-x86 grub-pc-bin grub-common xorriso \
mtools libcmocka-dev gdb cppcheck clang-format python3 fdisk e2fsprogs \
util-linux time"

missing=""
for pkg in $BASE "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# --no-install-recommends keeps grub-pc (which would take over the host's
# boot loader) and other heavy recommendations out.
$SUDO apt-get install -y -q --no-install-recommends $missing
