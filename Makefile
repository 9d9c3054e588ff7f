# memos: a teaching kernel that shows what happens under malloc.
#   make          build build/kernel.elf and build/os.iso
#   make run      boot it in QEMU (MEM=128M, ARGS="kernel words", GUI=1;
#                 NUMA=2 NUMA_SIZES=64M,32M NUMA_DIST=0-1=30: docs/numa.md)
#   make test     build everything and run every test
#   make debug    boot QEMU halted, waiting for GDB (then: make gdb)
#   make lint     clang-format (check) and cppcheck
# Set-up is automatic: tools/install-deps.sh installs what is missing.

BUILD   := build
CC      := gcc
LD      := ld
NASM    := nasm
HOSTCC  ?= gcc
UCC     ?= gcc
PYTHON  ?= python3
MEM     ?= 128M
GRUB_TIMEOUT ?= 0
CMDLINE ?=
GDB_PORT ?= 1234

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -fno-pic -fno-pie \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 -mgeneral-regs-only \
	-mcmodel=kernel -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-Wall -Wextra -Werror -I. -MMD -MP
NASMFLAGS := -f elf64 -g -F dwarf
KLDFLAGS := -n -z max-page-size=0x1000 --build-id=none -T linker.ld -nostdlib \
	-z noexecstack --no-warn-rwx-segments

KSRCS := $(wildcard kernel/*.c kernel/drivers/*.c kernel/fs/*.c mm/*.c tests/ktest/*.c)
KASMS := $(wildcard boot/*.asm kernel/*.asm)
KOBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(KSRCS)) $(patsubst %.asm,$(BUILD)/obj/%.o,$(KASMS))

# Fragments append to these.
UNIT_TESTS :=
TEST_DEPS  :=

.PHONY: all deps run debug gdb test lint bench clean
all: $(BUILD)/kernel.elf $(BUILD)/os.iso

# Install missing host packages before any rule runs (also under -j), for
# every goal but clean. Cheap when all is there: one dpkg-query per package.
ifneq ($(MAKECMDGOALS),clean)
DEPS_OK := $(shell tools/install-deps.sh >&2 && echo ok)
$(if $(DEPS_OK),,$(error tools/install-deps.sh failed: see the messages above))
endif
deps:
	tools/install-deps.sh

# `make V=1` shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

# Two links: the first finds the text symbols, the second adds the table
# (placed after text and data by linker.ld, so no function moves; checked).
$(BUILD)/ksyms0.c: tools/gen-ksyms.py
	@mkdir -p $(BUILD)
	$(Q)$(PYTHON) tools/gen-ksyms.py > $@
$(BUILD)/kernel.stage1.elf: $(KOBJS) $(BUILD)/obj/ksyms0.o linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/obj/ksyms0.o
$(BUILD)/ksyms.c: $(BUILD)/kernel.stage1.elf tools/gen-ksyms.py
	@echo "  KSYMS   $@"
	$(Q)$(PYTHON) tools/gen-ksyms.py $< > $@
$(BUILD)/obj/ksyms0.o $(BUILD)/obj/ksyms.o: $(BUILD)/obj/%.o: $(BUILD)/%.c
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
$(BUILD)/kernel.elf: $(BUILD)/kernel.stage1.elf $(BUILD)/obj/ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/obj/ksyms.o
	@nm $(BUILD)/kernel.stage1.elf | grep ' [Tt] ' > $(BUILD)/syms1.txt
	@nm $@ | grep ' [Tt] ' > $(BUILD)/syms2.txt
	@cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || \
		{ echo "ksyms: text moved between links"; rm -f $@; exit 1; }

$(BUILD)/iso/boot/grub/grub.cfg: boot/grub.cfg.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@GRUB_TIMEOUT@|$(GRUB_TIMEOUT)|' -e 's|@CMDLINE@|$(CMDLINE)|' $< > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/iso/boot/grub/grub.cfg $(BUILD)/iso/boot/initramfs.cpio
	@echo "  ISO     $@"
	$(Q)cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/kernel.elf
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso > $(BUILD)/grub-mkrescue.log 2>&1 || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

FORCE:

run: all
	MEM=$(MEM) ARGS="$(ARGS)" GUI=$(GUI) NUMA="$(NUMA)" NUMA_SIZES="$(NUMA_SIZES)" \
		NUMA_DIST="$(NUMA_DIST)" tools/qemu.sh

debug: all
	@echo "QEMU is halted with its GDB stub on tcp::$(GDB_PORT)."
	@echo "In another terminal:  make gdb   (or: gdb -x tools/gdb/memos.gdb)"
	MEM=$(MEM) ARGS="$(ARGS)" GUI=$(GUI) GDB_PORT=$(GDB_PORT) NUMA="$(NUMA)" \
		NUMA_SIZES="$(NUMA_SIZES)" NUMA_DIST="$(NUMA_DIST)" tools/qemu.sh

gdb:
	gdb -q -ex "set \$$memos_port = $(GDB_PORT)" -x tools/gdb/memos.gdb

include $(wildcard tests/unit/unit.mk libc/libc.mk user/user.mk libc/malloc.mk kernel/fs/fs.mk \
	kernel/drivers/disk.mk tools/bench/bench.mk)

test: all $(UNIT_TESTS) $(TEST_DEPS)
	$(PYTHON) tests/run_tests.py $(UNIT_TESTS)

# comparePointers is suppressed: linker-script symbols (_stext, _etext, ...)
# are distinct "objects" to cppcheck, but their differences are the point.
LINT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
lint:
	clang-format --dry-run --Werror $(LINT_SRCS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--suppress=missingIncludeSystem --suppress=comparePointers --inline-suppr \
		-I. -I libc/include $(LINT_SRCS)

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d)
