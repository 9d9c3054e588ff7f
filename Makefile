# memos: a teaching kernel that shows what happens under malloc.
#   make          build build/kernel.elf and build/os.iso
#   make run      boot it in QEMU (MEM=128M by default)
#   make test     build everything and run every test
#   make debug    boot QEMU halted, waiting for GDB
# (skeleton: the kernel rules are being written; fragments below are live)

BUILD   := build
HOSTCC  ?= gcc
UCC     ?= gcc

# Fragments append to these.
UNIT_TESTS :=
TEST_DEPS  :=

.PHONY: all
all:

include $(wildcard libc/libc.mk user/user.mk libc/malloc.mk)
