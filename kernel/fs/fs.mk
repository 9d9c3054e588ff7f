# kernel/fs/fs.mk: the initramfs, the root file system GRUB loads as a
# module (kernel/fs/initramfs.c unpacks it). Every user program goes to
# /bin, /sbin/init links to /bin/init (the kernel's default init=), and
# /dev, /proc, /tmp, /etc exist (the kernel fills /dev and mounts /proc).
# Included by the top-level Makefile after user/user.mk (USER_PROGS).

INITRAMFS := $(BUILD)/initramfs.cpio

$(INITRAMFS): $(USER_PROGS) tools/mkinitramfs.py kernel/fs/fs.mk
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) tools/mkinitramfs.py $@ --dir dev --dir proc --dir tmp --dir etc \
		--symlink sbin/init=/bin/init --symlink bin/swapoff=/bin/swapon \
		$(foreach p,$(USER_PROGS),bin/$(notdir $(p))=$(p))

$(BUILD)/iso/boot/initramfs.cpio: $(INITRAMFS)
	@mkdir -p $(@D)
	$(Q)cp $< $@
