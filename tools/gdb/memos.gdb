# GDB setup for memos: load the kernel's symbols, attach to QEMU's GDB stub
# and stop at the C entry point. Used by `make gdb` (after `make debug`) and
# by tests/scripts/gdb_boot.sh. See docs/debugging.md.
#
#   gdb -q -x tools/gdb/memos.gdb                 (port 1234)
#   gdb -q -ex 'set $memos_port=5555' -x tools/gdb/memos.gdb
set pagination off
# pagewalk ADDR [PID]: the 4-level walk of a user address (tools/gdb/pagewalk.py)
source tools/gdb/pagewalk.py
set confirm off
file build/kernel.elf
# QEMU starts the CPU in 16-bit real mode, GRUB switches to 32-bit and our
# boot code to 64-bit: tell GDB the registers are 64-bit from the start.
set architecture i386:x86-64
if $_isvoid($memos_port)
	set $memos_port = 1234
end
eval "target remote localhost:%d", $memos_port
# A software breakpoint would write int3 into memory that is not mapped
# yet at reset; a hardware breakpoint only watches the address.
hbreak kmain
continue
