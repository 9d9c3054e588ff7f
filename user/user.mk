# user/user.mk: the user programs, each a static Linux x86-64 ELF at 0x400000
# that runs unchanged on the host's Linux and on our kernel.
#   $(BUILD)/user/<prog>   for every user/<prog>.c that defines main
#   make user              build them all
#   make test-libc-host    run tests/scripts/libc_host.sh (libc and tools, on the host)
# Included by the top-level Makefile after libc/libc.mk.

USER_LD      ?= ld
USER_LDFLAGS := -static -nostdlib -no-pie -z max-page-size=0x1000 -z noexecstack
USER_MAINS   := $(shell grep -l '^int main' user/*.c 2>/dev/null)
USER_PROGS   := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_MAINS))

.PHONY: user test-libc-host
all: user
user: $(USER_PROGS)
TEST_DEPS += $(USER_PROGS)

$(BUILD)/user/%.o: user/%.c
	@mkdir -p $(@D)
	$(UCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# Helpers shared by the tools (user/lib/*.c), as an archive: a program links
# only the parts it uses.
USER_LIB_OBJS := $(patsubst user/lib/%.c,$(BUILD)/user/lib/%.o,$(wildcard user/lib/*.c))
USER_LIB      := $(BUILD)/user/lib/libuser.a

$(BUILD)/user/lib/%.o: user/lib/%.c
	@mkdir -p $(@D)
	$(UCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# crt0 first, then the program, then the libraries (archives supply what is missing).
$(BUILD)/user/%: $(BUILD)/user/%.o $(LIBC_CRT0) $(USER_LIB) $(LIBC_A)
	$(USER_LD) $(USER_LDFLAGS) -o $@ $(LIBC_CRT0) $< $(USER_LIB) $(LIBC_A)

test-libc-host: $(USER_PROGS)
	tests/scripts/libc_host.sh

.PRECIOUS: $(BUILD)/user/%.o
-include $(USER_PROGS:=.d) $(USER_LIB_OBJS:.o=.d)
