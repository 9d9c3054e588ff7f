# libc/libc.mk: our C library, built for user programs as a static archive.
#   $(BUILD)/libc/libc.a   every libc/*.c (string, stdio, syscalls, malloc, ...)
#   $(BUILD)/libc/crt0.o   _start, linked first into every program
# Included by the top-level Makefile, which defines BUILD and UCC.

NASM        ?= nasm
AR          ?= ar
# -fno-tree-loop-distribute-patterns: gcc must not turn our memset/memcpy loops
# back into calls to memset/memcpy (that would recurse forever).
USER_CFLAGS := -O2 -g -ffreestanding -nostdinc -fno-pie -fno-pic -fno-stack-protector \
	-fno-builtin -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror \
	-I libc/include
# A file named here is left out of libc.a (a temporary escape hatch for a file
# that does not compile yet; keep it empty).
LIBC_EXCLUDE :=
LIBC_SRCS    := $(filter-out $(LIBC_EXCLUDE),$(wildcard libc/*.c))
LIBC_OBJS    := $(patsubst libc/%.c,$(BUILD)/libc/%.o,$(LIBC_SRCS))
LIBC_A       := $(BUILD)/libc/libc.a
LIBC_CRT0    := $(BUILD)/libc/crt0.o

.PHONY: libc
all: libc
libc: $(LIBC_A) $(LIBC_CRT0)

$(BUILD)/libc/%.o: libc/%.c
	@mkdir -p $(@D)
	$(UCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(LIBC_CRT0): libc/crt0.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf $< -o $@

$(LIBC_A): $(LIBC_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

-include $(LIBC_OBJS:.o=.d)
