#!/usr/bin/env python3
"""TAP suite: virtual memory as a user of memos sees it (docs/vm.md).

Boots memos with 64 MiB under TCG, drives its shell through the serial
console and runs the programs of concepts C3-C5:
  - vm-test: every case must print "ok" (each case's own TAP line becomes
    one of ours, so a failure names the missing kernel feature);
  - lazy: 1 GiB reserved on a 64 MiB machine, then N pages touched: the
    minor faults and VmRSS must rise by exactly N (overcommit modes 0 and 1);
  - faults: a cycle count per demand-zero fault, every new page zeroed;
  - cow: the child's write is not seen by the parent and costs one fault;
and checks that MemFree + Cached + Slab is the same before and after all of it
(program text is page cache when the disk is the root: guest.free_kb).
The programs' output is kept in build/vm-guest/ (docs/vm.md quotes it).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, ROOT, check, tap_report  # noqa: E402

OUT_DIR = os.path.join(ROOT, "build", "vm-guest")
KLOG = re.compile(r"^\[ *\d+\.\d+\] .*\n", re.M)  # kernel lines on the console


def save(name, text):
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, name + ".txt"), "w") as f:
        f.write(text)


def run_vm_test(g):
    out, st = g.run("vm-test", timeout=300)
    save("vm-test", out)
    out = KLOG.sub("", out)
    lines = re.findall(r"^(ok|not ok) \d+ - (.*)$", out, re.M)
    plan = re.search(r"^1\.\.(\d+)$", out, re.M)
    check(plan and len(lines) == int(plan.group(1)),
          f"vm-test ran all its cases ({len(lines)} of {plan.group(1) if plan else '?'})",
          out[-1500:])
    for verdict, desc in lines:
        # The comment lines just above a failure say what went wrong.
        detail = ""
        if verdict != "ok":
            m = re.search(r"((?:^#.*\n)*)^not ok \d+ - " + re.escape(desc), out, re.M)
            detail = m.group(1) if m else ""
        check(verdict == "ok", "vm-test: " + desc, detail)
    check(st == 0, f"vm-test exits 0 (status {st})")


def run_lazy(g, mode):
    g.run(f"echo {mode} > /proc/sys/vm/overcommit_memory")
    out, st = g.run("lazy 1000", timeout=60)
    save(f"lazy-mode{mode}", out)
    out = KLOG.sub("", out)
    check(re.search(r"^lazy: mmap touched=1000 minflt_delta=1000 rss_delta_pages=1000$",
                    out, re.M),
          f"lazy (overcommit {mode}): 1 GiB mmap reserved, 1000 pages touched = "
          "1000 minor faults and VmRSS +1000 pages", out)
    m = re.search(r"^  delta\s+MemFree\s+([-+]\d+) kB\s+VmRSS\s+([-+]\d+) kB", out, re.M)
    check(m and abs(int(m.group(1))) <= 64 and abs(int(m.group(2))) <= 64,
          f"lazy (overcommit {mode}): reserving 1 GiB moves MemFree and VmRSS by "
          "less than 64 kB", out)
    return out, st


def scenario():
    with Guest(mem="64M", timeout=30) as g:
        try:
            g.expect(r"(?:^|\n)\$ ", 30)
            check(True, "boots to the shell prompt (64 MiB)")
        except Timeout as e:
            check(False, "boots to the shell prompt (64 MiB)", str(e))
            return
        free_before = g.free_kb()

        run_vm_test(g)

        out, _ = run_lazy(g, 0)
        check(re.search(r"^(malloc\(1 GiB\): 0x|malloc\(1 GiB\): NULL, errno 12 )", out, re.M),
              "lazy (overcommit 0): malloc(1 GiB) on 64 MiB succeeds or is refused "
              "with ENOMEM as Linux's heuristic does", out)
        out, st = run_lazy(g, 1)
        check(st == 0 and re.search(
            r"^lazy: malloc touched=1000 minflt_delta=1000 rss_delta_pages=1000$", out, re.M),
              "lazy (overcommit 1): malloc(1 GiB) succeeds; 1000 pages touched = "
              "1000 faults, VmRSS +1000 pages", out)
        g.run("echo 0 > /proc/sys/vm/overcommit_memory")

        out, st = g.run("faults 100", timeout=120)
        save("faults", out)
        m = re.search(r"^faults: median_cycles_per_fault=(\d+) min_cycles_per_fault=(\d+) .*"
                      r"zero_pages=(\d+)/(\d+) minflt_per_page=(\d+)/(\d+)$", out, re.M)
        check(m and int(m.group(1)) > 0, "faults: prints cycles per fault", out)
        check(m and m.group(3) == m.group(4) and st == 0,
              "faults: every new page reads as zeros apart from the byte written", out)
        check(m and m.group(5) == m.group(6),
              "faults: one minor fault per page touched", out)

        out, st = g.run("cow", timeout=60)
        save("cow", out)
        out = KLOG.sub("", out)
        check(re.search(r"^cow: child sees_parent_data=yes own_write=yes read_faults=0 "
                        r"write_faults=1$", out, re.M),
              "cow: the child reads the parent's pages without faults; one write, one fault",
              out)
        check(re.search(r"^cow: parent data_unchanged=yes$", out, re.M),
              "cow: the parent's data is unchanged after the child's write", out)
        m = re.search(r"^cow: fork_cost_kb=(-?\d+) region_kb=(\d+)", out, re.M)
        check(m and int(m.group(1)) < int(m.group(2)) // 4,
              "cow: fork costs far fewer frames than the 4 MiB it shares", out)

        free_after = g.free_kb()
        check(free_before == free_after,
              f"no frame leaked by all of the above (MemFree + Cached + Slab {free_before} -> "
              f"{free_after} kB)")

        g.send("poweroff\n")
        try:
            g.expect(r"reboot: Power down", 10)
            check(g.wait_exit(10) == 0, "poweroff ends QEMU cleanly")
        except Timeout as e:
            check(False, "poweroff ends QEMU cleanly", str(e))


def main():
    try:
        scenario()
    except Timeout as e:
        check(False, "the guest answered in time", str(e))
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())
