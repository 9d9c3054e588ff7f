# Host unit tests: kernel algorithms built with the host compiler against
# cmocka, with AddressSanitizer and UBSan. Each test_NAME links the kernel
# sources it names below.
UNIT_CFLAGS := -std=gnu11 -O1 -g -I. -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -DHOST_UNIT_TEST
UNIT_LIBS := -lcmocka

UNIT_SRCS_test_buddy     := mm/buddy.c
UNIT_SRCS_test_watermark := mm/watermark.c
UNIT_SRCS_test_pgtable   :=
UNIT_SRCS_test_cmdline   := kernel/cmdline.c

KERNEL_UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,\
	$(wildcard tests/unit/test_buddy.c tests/unit/test_watermark.c \
		tests/unit/test_pgtable.c tests/unit/test_cmdline.c))
UNIT_TESTS += $(KERNEL_UNIT_TESTS)

.SECONDEXPANSION:
$(KERNEL_UNIT_TESTS): $(BUILD)/tests/unit/%: tests/unit/%.c $$(UNIT_SRCS_$$*)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ $(UNIT_LIBS)
