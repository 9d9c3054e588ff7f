# kernel/drivers/disk.mk: the IDE disk image tools/qemu.sh attaches
# (kernel/drivers/ata.c, kernel/block.c; see docs/block.md). tools/mkdisk.sh
# makes it with sfdisk, mke2fs -d and mkswap: sda1 ext2 holding the user
# programs, sda2 swap. It is remade when absent, or when mkdisk.sh or a
# user program changes (tests boot it with QEMU's snapshot=on: their writes never reach
# the file). Sizes: make DISK=256M SWAP=128M (then rm build/disk.img).
# `make run DISK_IMG=none` boots without it (tools/qemu.sh reads DISK_IMG).
# Included by the top-level Makefile after user/user.mk (USER_PROGS).

DISK_IMAGE := $(BUILD)/disk.img

$(DISK_IMAGE): tools/mkdisk.sh $(USER_PROGS)
	@echo "  MKDISK  $@"
	$(Q)PROGS=$(BUILD)/user tools/mkdisk.sh -f $@

# `make` (hence `make run`) and `make test` make it when it is absent.
.PHONY: disk
disk: $(DISK_IMAGE)
all: $(DISK_IMAGE)
TEST_DEPS += $(DISK_IMAGE)

# A disk with a small swap partition (8 MiB): tests/qemu/oom_guest.py fills
# it to run the OOM killer with swap full, in seconds under TCG.
SMALL_SWAP_IMAGE := $(BUILD)/disk-swap8.img

$(SMALL_SWAP_IMAGE): tools/mkdisk.sh $(USER_PROGS)
	@echo "  MKDISK  $@"
	$(Q)DISK=64M SWAP=8M PROGS=$(BUILD)/user tools/mkdisk.sh -f $@ > /dev/null

TEST_DEPS += $(SMALL_SWAP_IMAGE)
