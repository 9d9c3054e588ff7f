"""pagewalk: a GDB command that walks a memos address space's page tables
the way the MMU does (concept C4: what the CPU finds, or does not find,
when a page is touched).

    (gdb) source tools/gdb/pagewalk.py
    (gdb) pagewalk ADDR [PID]

ADDR is any GDB expression (`addr`, `$cr2`, `0x7fffffffe000`). Without PID
the tables are the current task's (`current->mm->pgd`); with PID, those of
the task with that pid found on `task_list`. A kernel thread has no mm: its
walk uses `kernel_pgd`. Each level prints its index, the entry's address
and value and its decoded flags; the walk stops at an entry that is not
present or that maps a large page (PS), and prints the physical address.
Page tables hold physical addresses: GDB reads them through the kernel's
direct map at PAGE_OFFSET (mm/layout.h). Bit layout: Intel SDM Vol. 3A,
4.5 (Tables 4-14 to 4-20).
"""
import gdb

PAGE_OFFSET = 0xffff800000000000
ADDR_MASK = 0x000ffffffffff000  # bits 51:12
LEVELS = [("pgd", 39), ("pud", 30), ("pmd", 21), ("pte", 12)]
FLAGS = [(0, "P"), (1, "W"), (2, "U"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
         (7, "PS"), (8, "G"), (63, "NX")]


def decode(entry, level):
    """Names of the flag bits set in entry; bit 7 is PAT, not PS, in a pte."""
    names = []
    for bit, name in FLAGS:
        if entry >> bit & 1:
            names.append("PAT" if bit == 7 and level == "pte" else name)
    return " ".join(names) or "-"


def read_u64(vaddr):
    return int.from_bytes(gdb.selected_inferior().read_memory(vaddr, 8).tobytes(), "little")


def find_task(pid):
    """The task_struct * with this pid, walking task_list (for_each_process)."""
    task_type = gdb.lookup_type("struct task_struct")
    offset = int(gdb.parse_and_eval("(unsigned long)&((struct task_struct *)0)->tasks"))
    head = gdb.parse_and_eval("&task_list")
    node = head["next"]
    while int(node) != int(head):
        task = gdb.Value(int(node) - offset).cast(task_type.pointer())
        if int(task["pid"]) == pid:
            return task
        node = node["next"]
    raise gdb.GdbError(f"pagewalk: no task with pid {pid}")


def tables_of(task):
    """Address of the top-level table (a direct-map pointer) and a label."""
    who = f"pid {int(task['pid'])} ({task['comm'].string()})"
    if int(task["mm"]) == 0:
        return int(gdb.parse_and_eval("(unsigned long)kernel_pgd")), who + ", kernel_pgd"
    return int(task["mm"]["pgd"]), who


def walk(vaddr, table):
    """Prints the walk of vaddr from table; returns the physical address or None."""
    for depth, (level, shift) in enumerate(LEVELS):
        index = vaddr >> shift & 511
        slot = table + 8 * index
        entry = read_u64(slot)
        print(f"  {level}[{index:3d}] @ {slot:#018x} = {entry:#018x}  {decode(entry, level)}")
        if not entry & 1:
            print(f"  not present at the {level} level: an access faults (#PF)")
            return None
        base = entry & ADDR_MASK
        if level == "pte" or (level in ("pud", "pmd") and entry >> 7 & 1):
            size = 1 << shift
            if level != "pte":
                print(f"  large page: {size >> 20} MiB")
            phys = (base & ~(size - 1)) + (vaddr & (size - 1))
            print(f"  => physical {phys:#x} (frame {phys >> 12:#x}, "
                  f"direct map {phys + PAGE_OFFSET:#x})")
            return phys
        table = base + PAGE_OFFSET
    return None


class PageWalk(gdb.Command):
    """pagewalk ADDR [PID]: walk the 4-level page tables for virtual address
ADDR of the current task, or of the task with pid PID, printing each level's
index, entry and flags (P W U PWT PCD A D PS G NX) and the physical address,
also left in $pagewalk_phys (-1 if not mapped)."""

    def __init__(self):
        super().__init__("pagewalk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not 1 <= len(args) <= 2:
            raise gdb.GdbError("usage: pagewalk ADDR [PID]")
        vaddr = int(gdb.parse_and_eval(args[0]).cast(gdb.lookup_type("unsigned long")))
        task = find_task(int(args[1], 0)) if len(args) == 2 else gdb.parse_and_eval("current")
        if int(task) == 0:
            raise gdb.GdbError("pagewalk: no current task yet (give a PID)")
        table, who = tables_of(task)
        print(f"pagewalk {vaddr:#x} in {who}, pgd at {table:#x}")
        print(f"  indexes: pgd {vaddr >> 39 & 511}, pud {vaddr >> 30 & 511}, "
              f"pmd {vaddr >> 21 & 511}, pte {vaddr >> 12 & 511}, offset {vaddr & 4095:#x}")
        phys = walk(vaddr, table)
        # For the next commands: x/8gx $pagewalk_phys + 0xffff800000000000
        gdb.set_convenience_variable("pagewalk_phys", -1 if phys is None else phys)


PageWalk()
