#!/usr/bin/env python3
"""TAP suite: the OOM killer as a user sees it (concepts C7, C8).

Boots memos with 64 MiB of RAM and no disk (so no swap), then runs each
deterministic setup of oom-demo 20 times in a loop inside the one boot:
the largest hogs die in order (oom-demo), a -1000 hog is never killed even
when largest (oom-protect), a small +1000 hog dies first (oom-adj), and
with vm.oom_kill_allocating_task=1 the allocating task dies. After each
run: the shell still answers, /proc/vmstat's oom_kill counted every kill,
MemFree + Cached + Slab is back to its baseline exactly (guest.free_kb). Also checks the /proc files
(oom-adj --check: range, EINVAL, inheritance across fork, Linux's formula
for oom_score), the sysctls, the kernel's log lines in Linux's format, and
that page tables count in the badness (a sparse hog dies before a denser,
larger one). A second boot with the swap partition shows the same after
swapoff.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, ROOT, check, field, free_kb, tap_report  # noqa: E402

ROUNDS = int(os.environ.get("OOM_ROUNDS", "20"))  # fewer while developing

# Linux's lines (mm/oom_kill.c: dump_header, dump_tasks, __oom_kill_process).
INVOKED = (r"oom-demo invoked oom-killer: gfp_mask=0x[0-9a-f]+\([^)]*\), order=0, "
           r"oom_score_adj=-1000")
TABLE_HEAD = (r"\[  pid  \]   uid  tgid total_vm      rss pgtables_bytes swapents "
              r"oom_score_adj name")
KILLED = (r"Out of memory: Killed process {pid} \(oom-demo\) total-vm:(\d+)kB, "
          r"anon-rss:(\d+)kB, file-rss:\d+kB, shmem-rss:(\d+)kB, UID:0 pgtables:(\d+)kB "
          r"oom_score_adj:{adj}$")


def oom_kills(g):
    return field(g.run("cat /proc/vmstat")[0], "oom_kill")


def score_table(out):
    """The contenders' table oom-demo prints in round 1:
    name -> (pid, MiB, adj, VmRSS kB, oom_score, Linux's formula)."""
    rows = re.findall(r"^  (hog [ABC]) +(\d+) +(\d+) +(-?\d+) +(\d+) +(-?\d+) +(-?\d+)$",
                      out, re.M)
    return {r[0]: tuple(int(x) for x in r[1:]) for r in rows}


def rounds(out):
    """[(round, [victim names], as_expected)] from oom-demo's summary lines."""
    found = []
    for m in re.finditer(r"^round (\d+): killed(.*?): (as expected|NOT as expected)$", out, re.M):
        victims = re.findall(r"(hog [ABC]|trigger) \(pid", m.group(2))
        found.append((int(m.group(1)), victims, m.group(3) == "as expected"))
    return found


def run_demo(g, command, want_victims, protected=None):
    """Runs `command --repeat ROUNDS`; checks every round killed want_victims
    in order, the shell answers, oom_kill counted them, MemFree came back.
    Returns round 1's output."""
    free0, kills0 = g.free_kb(), oom_kills(g)
    out, st = g.run(f"{command} --repeat {ROUNDS}", timeout=1500)
    found = rounds(out)
    check(st == 0 and f"{ROUNDS}/{ROUNDS} rounds as expected" in out,
          f"{command}: {ROUNDS}/{ROUNDS} rounds as expected (exit status {st})", out[-3000:])
    bad = [r for r in found if r[1] != want_victims]
    check(len(found) == ROUNDS and not bad,
          f"{command}: every round the kernel killed {', then '.join(want_victims)}",
          f"{len(found)} rounds; unexpected: {bad[:5]}")
    if protected:
        never = [r for r in found if protected in r[1]]
        check(len(found) == ROUNDS and not never,
              f"{command}: the -1000 {protected}, the largest, is never killed", str(never[:5]))
    out2, _ = g.run("echo alive")
    check(out2 == "alive\n", f"{command}: the shell still answers", out2)
    kills = oom_kills(g)
    want = ROUNDS * len(want_victims)
    check(kills0 is not None and kills is not None and kills - kills0 == want,
          f"{command}: /proc/vmstat oom_kill grew by {want} (by {kills - kills0 if kills else None})")
    free1 = g.free_kb()
    check(free1 == free0, f"{command}: MemFree back to {free0} kB once the hogs are reaped "
          f"({free1} kB)")
    return out


def check_largest(out):
    """Round 1 of oom-demo: scores ordered by size and equal to Linux's
    formula, the kernel log in Linux's format, survivors intact."""
    table = score_table(out)
    check(len(table) == 3 and table["hog C"][4] > table["hog B"][4] > table["hog A"][4],
          "oom_score grows with RSS: hog C > hog B > hog A", str(table))
    check(len(table) == 3 and all(r[4] == r[5] for r in table.values()),
          "oom_score is Linux's (1000 + badness * 1000 / totalpages) * 2 / 3 for every hog",
          str(table))
    check(re.search(INVOKED, out, re.M), "log: 'oom-demo invoked oom-killer: gfp_mask=..., "
          "order=0, oom_score_adj=-1000'", out[-3000:])
    check(re.search(TABLE_HEAD, out, re.M), "log: the task table's header in Linux's layout",
          out[-3000:])
    if len(table) == 3:
        pid, mib = table["hog C"][0], table["hog C"][1]
        row = re.search(rf"\[ *{pid}\] +0 +{pid} +\d+ +\d+ +\d+ +\d+ +0 oom-demo$", out, re.M)
        check(row, f"log: a task-table row for hog C (pid {pid})", out[-3000:])
        m = re.search(KILLED.format(pid=pid, adj=0), out, re.M)
        check(m and int(m.group(2)) >= mib * 1024 and int(m.group(1)) >= int(m.group(2)),
              f"log: 'Out of memory: Killed process {pid} (oom-demo) total-vm:..kB, "
              f"anon-rss:>= {mib * 1024}kB, file-rss:..kB, shmem-rss:..kB, UID:0 "
              "pgtables:..kB oom_score_adj:0'", out[-3000:])
    check(re.search(r"hog C \(pid \d+, \d+ MiB, adj 0\): killed by signal 9 \(SIGKILL\)", out)
          and re.search(r"hog B \(pid \d+, \d+ MiB, adj 0\): killed by signal 9 \(SIGKILL\)", out),
          "wait4 status: hog C and hog B were killed by SIGKILL", out[-2000:])
    check(re.search(r"hog A \(pid \d+, \d+ MiB, adj 0\): exited 0, memory intact", out)
          and re.search(r"trigger \(pid \d+, \d+ MiB, adj -1000\): exited 0, got its memory",
                        out),
          "hog A finishes with its memory intact; the trigger got its memory", out[-2000:])


def check_files(g):
    """oom-adj --check (root in the guest: nothing skipped), the sysctls."""
    out, st = g.run("oom-adj --check", timeout=60)
    oks, bad = re.findall(r"^ok \d+", out, re.M), re.findall(r"^not ok .*", out, re.M)
    check(st == 0 and oks and not bad and "SKIP" not in out,
          f"oom-adj --check: {len(oks)} checks of oom_score/oom_score_adj pass (range, "
          "EINVAL, inheritance across fork, /proc/PID writes, Linux's formula)",
          "\n".join(bad) or out[-2000:])
    out, _ = g.run("cat /proc/sys/vm/panic_on_oom")
    out2, _ = g.run("cat /proc/sys/vm/oom_kill_allocating_task")
    check(out == "0\n" and out2 == "0\n",
          "/proc/sys/vm/panic_on_oom and oom_kill_allocating_task read 0", out + out2)
    _, st = g.run("echo 3 > /proc/sys/vm/panic_on_oom")
    out, _ = g.run("cat /proc/sys/vm/panic_on_oom")
    check(st != 0 and out == "0\n", "panic_on_oom refuses 3 (Linux's range is 0..2)", out)
    out, st = g.run("hog -a 1000 2 & sleep 3; cat /proc/$!/oom_score_adj; kill -9 $!", 60)
    g.run("wait")
    m = re.search(r"hog: pid (\d+): 2 MiB touched, oom_score_adj 1000, oom_score (\d+)\n"
                  r"(?:.*\n)*?1000\n", out)
    # The adj alone is worth 1000 * (totalpages / 1000) pages (Linux divides
    # first), so the floor is (1000 + that * 1000 / totalpages) * 2 / 3:
    # 1333 only when totalpages is a multiple of 1000.
    mem, _ = g.run("cat /proc/meminfo")
    total = (field(mem, "MemTotal") + field(mem, "SwapTotal")) // 4
    floor = (1000 + 1000 * (total // 1000) * 1000 // total) * 2 // 3
    check(m and int(m.group(2)) >= floor,
          f"hog -a 1000 2: its oom_score_adj reads 1000, its oom_score >= {floor}", out)

def check_pgtables(g, rounds=3):
    """Page tables count in the badness: a sparse hog (10 MiB of data, one
    page per 2 MiB, so 10 MiB of page tables too) dies before a dense 12 MiB
    one. The trigger is sparse as well, so the OOM is entered from page-table
    allocations as well as from data pages."""
    free0, kills0 = g.free_kb(), oom_kills(g)
    good, masks, detail = 0, set(), ""
    for _ in range(rounds):
        out = g.run("hog 12 & sleep 3", timeout=60)[0]
        out += g.run("hog -s 10 & sleep 5", timeout=60)[0]
        out += g.run("hog -a -1000 -s 16 & sleep 10", timeout=120)[0]
        dense = re.search(r"hog: pid (\d+): 12 MiB touched", out)
        sparse = re.search(r"hog: pid (\d+): 10 MiB touched", out)
        trigger = re.search(r"hog: pid (\d+): 16 MiB touched, oom_score_adj -1000", out)
        killed = re.findall(r"Killed process (\d+) \(hog\) .* pgtables:(\d+)kB", out)
        masks |= set(re.findall(r"invoked oom-killer: gfp_mask=([^,]+),", out))
        if (dense and sparse and trigger and [k[0] for k in killed] == [sparse.group(1)]
                and int(killed[0][1]) >= 10 * 1024):
            good += 1
        else:
            detail = out
        for m in (dense, sparse, trigger):
            if m:
                g.run(f"kill -9 {m.group(1)}")
        g.run("wait", timeout=60)
    check(good == rounds, f"pgtables count: a sparse 10 MiB hog (10 MiB of page tables) dies "
          f"before a dense 12 MiB one, {good}/{rounds} rounds (OOM entered with gfp_mask "
          f"{', '.join(sorted(masks)) or '(not seen)'})", detail[-3000:])
    kills = oom_kills(g)
    check(kills is not None and kills0 is not None and kills - kills0 == rounds,
          f"pgtables rounds: oom_kill grew by {rounds}")
    free1 = g.free_kb()
    check(free1 == free0, f"pgtables rounds: MemFree back to {free0} kB ({free1} kB)")


def background(g, command, pattern, timeout):
    """Starts `command &` in the guest's shell and waits until pattern shows
    in what was printed since (before or after the shell's prompt).
    Returns (match, log text from the command on)."""
    start = len(g.log)
    g.run(f"{command} &")
    deadline = time.time() + timeout
    while True:
        text = g.log[start:]
        m = re.search(pattern, text, re.M)
        if m or time.time() > deadline:
            if not m:
                raise Timeout(f"waiting for /{pattern}/ after {command}; log tail:\n{text[-1500:]}")
            return m, text
        time.sleep(0.2)


PGTABLE_OOM = (r"hog invoked oom-killer: gfp_mask=0x[0-9a-f]+\(GFP_KERNEL_ACCOUNT\|__GFP_ZERO\), "
               r"order=0, oom_score_adj=0")


def check_pgtable_oom(g, rounds=2):
    """The OOM killer entered from a page-table allocation. `hog -s -f K`
    touches one page per 2 MiB (K MiB of data and K MiB of page tables),
    then forks: the child shares the data copy-on-write and gets a copy of
    the page tables, so every allocation the fork makes for memory is a
    user page table (GFP_PGTABLE_USER, which the report names
    GFP_KERNEL_ACCOUNT|__GFP_ZERO). (a) The forking hog is the largest
    task: it is the victim, its own allocation fails cleanly (Linux's
    'page allocation failure' line, no retry loop), the fork is undone and
    it dies of SIGKILL. (b) A smaller hog at +1000 is there too: it dies
    instead and the fork completes. MemFree comes back exactly each time."""
    free0, kills0 = g.free_kb(), oom_kills(g)
    mib = free0 // 1024
    good_a = good_b = 0
    detail_a = detail_b = ""
    for _ in range(rounds):
        k = mib * 2 // 5  # 2k fits, the fork's k more does not
        out, st = g.run(f"hog -s -f {k}", timeout=120)
        m = re.search(rf"hog: pid (\d+): {k} MiB touched", out)
        killed = m and re.search(rf"Killed process {m.group(1)} \(hog\) .* pgtables:(\d+)kB", out)
        if (m and killed and int(killed.group(1)) >= k * 1024 and re.search(PGTABLE_OOM, out)
                and re.search(r"page allocation failure: order:0, mode:0x29,", out)
                and "forked child" not in out and st == 137):
            good_a += 1
        else:
            detail_a = f"status {st}\n{out}"
        k = mib // 5
        d = mib - 2 * k - k // 2  # leaves k/2 MiB: the fork runs out
        start = len(g.log)
        m_d, _ = background(g, f"hog -a 1000 {d}", rf"hog: pid (\d+): {d} MiB touched, "
                            r"oom_score_adj 1000", 60)
        m_c, _ = background(g, f"hog -s -f {k}", r"hog: pid (\d+): (forked child (\d+)|fork: .*)$",
                              120)
        g.run("sleep 1")
        out = g.log[start:]
        victim = re.search(r"Killed process (\d+) \(hog\) .*oom_score_adj:1000", out)
        if (m_c.group(3) and victim and victim.group(1) == m_d.group(1)
                and re.search(PGTABLE_OOM, out)):
            good_b += 1
        else:
            detail_b = out
        for pid in (m_c.group(1), m_c.group(3), m_d.group(1)):
            if pid:
                g.run(f"kill -9 {pid}")
        g.run("wait", timeout=60)
    check(good_a == rounds, f"OOM from a page-table allocation (fork of a sparse hog, "
          f"gfp_mask ...(GFP_KERNEL_ACCOUNT|__GFP_ZERO)): the forking hog, largest, is the "
          f"victim; its allocation fails cleanly and it dies of SIGKILL, {good_a}/{rounds} rounds",
          detail_a[-3000:])
    check(good_b == rounds, f"OOM from a page-table allocation with a +1000 hog present: the "
          f"+1000 hog dies and the fork completes, {good_b}/{rounds} rounds", detail_b[-3000:])
    kills = oom_kills(g)
    check(kills is not None and kills0 is not None and kills - kills0 == 2 * rounds,
          f"page-table OOM rounds: oom_kill grew by {2 * rounds}")
    free1 = g.free_kb()
    check(free1 == free0, f"page-table OOM rounds: MemFree back to {free0} kB, the half-copied "
          f"page tables of the failed forks included ({free1} kB)")


def main_scenario():
    with Guest(mem="64M", disk="none", timeout=30) as g:
        try:
            g.expect(r"(?<![^\n])\$ ", 20)
        except Timeout as e:
            check(False, "boots to the shell (64 MiB, no swap)", str(e))
            return
        mem, _ = g.run("cat /proc/meminfo")
        check(field(mem, "SwapTotal") == 0, "64 MiB, no disk: SwapTotal 0 kB")
        try:
            check_files(g)
            out = run_demo(g, "oom-demo", ["hog C", "hog B"])
            check_largest(out)
            out = run_demo(g, "oom-protect", ["hog B"], protected="hog C")
            table = score_table(out)
            check(table.get("hog C", (0,) * 6)[4] == 0 and table["hog C"][2] == -1000,
                  "oom-protect: the largest hog at -1000 reads oom_score 0", str(table))
            out = run_demo(g, "oom-adj", ["hog A"])
            table = score_table(out)
            check(len(table) == 3 and table["hog A"][4] > table["hog C"][4]
                  and table["hog A"][1] < table["hog C"][1],
                  "oom-adj: the smallest hog at +1000 scores above the largest", str(table))
            out = run_demo(g, "oom-demo --allocating", ["trigger"])
            out2, _ = g.run("cat /proc/sys/vm/oom_kill_allocating_task")
            check(out2 == "0\n", "oom_kill_allocating_task back to 0 after the demo", out2)
            check_pgtables(g)
            check_pgtable_oom(g)
            out, _ = g.run("dmesg", timeout=60)
            check(re.search(KILLED.format(pid=r"\d+", adj=0), out, re.M),
                  "dmesg shows the kernel's 'Out of memory: Killed process' lines", out[-2000:])
        except Timeout as e:
            check(False, "the guest answered every command in time", str(e))
            return
        g.send("poweroff\n")
        g.wait_exit(10)


def swapoff_scenario():
    """With the swap partition enabled at boot, swapoff leaves RAM alone:
    the same demo kills the same hogs."""
    with Guest(mem="64M", timeout=30) as g:
        try:
            g.expect(r"(?<![^\n])\$ ", 20)
            out, st = g.run("swapoff /dev/sda2", timeout=120)
            mem, _ = g.run("cat /proc/meminfo")
            check(st == 0 and field(mem, "SwapTotal") == 0, "swap enabled at boot, then swapoff",
                  out + mem)
            out, st = g.run("oom-demo", timeout=300)
            found = rounds(out)
            check(st == 0 and found and found[0][1] == ["hog C", "hog B"],
                  "after swapoff: oom-demo kills hog C, then hog B", out[-3000:])
            out, st = g.run("swapon /dev/sda2")
            check(st == 0, "swapon again after the OOM kills", out)
        except Timeout as e:
            check(False, "swapoff scenario answered in time", str(e))
            return
        g.send("poweroff\n")
        g.wait_exit(10)


def swap_state(g):
    """Everything back in RAM (swapoff), swap on again, page cache dropped:
    (MemFree + Cached + Slab, SwapFree, SwapTotal)."""
    g.run("swapoff /dev/sda2", timeout=120)
    g.run("swapon /dev/sda2")
    g.run("echo 3 > /proc/sys/vm/drop_caches")
    mem, _ = g.run("cat /proc/meminfo")
    return free_kb(mem), field(mem, "SwapFree"), field(mem, "SwapTotal")


def swap_full_scenario(rounds=2):
    """OOM while swap is full: 64 MiB with an 8 MiB swap partition
    (build/disk-swap8.img). A looping hog of 2/3 of MemFree, then a -1000
    trigger that needs more than RAM and swap together: reclaim fills the
    swap with the hog's pages (which it keeps touching, so it keeps
    swapping them back in), then the OOM killer runs with swap free 0 and
    kills the hog; the trigger gets its memory. Afterwards MemFree and
    SwapFree are back to their baselines exactly."""
    with Guest(mem="64M", timeout=30, disk=os.path.join(ROOT, "build", "disk-swap8.img")) as g:
        try:
            g.expect(r"(?<![^\n])\$ ", 20)
            free0, swapfree0, swaptotal = swap_state(g)
            check(swaptotal and 8000 <= swaptotal <= 8192 and swapfree0 == swaptotal,
                  f"small swap: {swaptotal} kB, all free at the start")
            kills0 = oom_kills(g)
            mib = free0 // 1024
            good, detail = 0, ""
            for _ in range(rounds):
                hog, trig = mib * 2 // 3, mib - mib * 2 // 3 + swaptotal // 1024 + 6
                start = len(g.log)
                m_h, _ = background(g, f"hog -l {hog}", rf"hog: pid (\d+): {hog} MiB touched", 60)
                m_t, _ = background(g, f"hog -a -1000 {trig}", rf"hog: pid (\d+): {trig} MiB touched",
                                    180)
                g.run("sleep 1")
                out = g.log[start:]
                pid = m_h.group(1)
                row = re.search(rf"\[ *{pid}\] +0 +{pid} +\d+ +\d+ +\d+ +(\d+) +0 hog$", out, re.M)
                if (re.search(r"hog invoked oom-killer: .*oom_score_adj=-1000", out)
                        and re.search(r"Mem-Info: free:\d+ pages, swap free:0 of \d+ pages", out)
                        and row and int(row.group(1)) > 0
                        and re.search(rf"Killed process {m_h.group(1)} \(hog\)", out)
                        and not re.search(rf"Killed process {m_t.group(1)} ", out)):
                    good += 1
                else:
                    detail = out
                g.run(f"kill -9 {m_t.group(1)}")
                g.run("wait", timeout=60)
            check(good == rounds, f"swap full: the OOM killer runs with swap free 0, kills the "
                  f"looping hog (pages in swap, swapping them back in) and the -1000 trigger "
                  f"gets its memory, {good}/{rounds} rounds", detail[-3000:])
            out, _ = g.run("echo alive")
            check(out == "alive\n", "swap full: no panic, the shell still answers", out)
            kills = oom_kills(g)
            check(kills is not None and kills0 is not None and kills - kills0 == rounds,
                  f"swap full: oom_kill grew by {rounds}")
            free1, swapfree1, _ = swap_state(g)
            check(free1 == free0 and swapfree1 == swapfree0,
                  f"swap full: MemFree back to {free0} kB ({free1}), SwapFree back to "
                  f"{swapfree0} kB ({swapfree1})")
        except Timeout as e:
            check(False, "swap-full scenario answered in time", str(e))
            return
        g.send("poweroff\n")
        g.wait_exit(10)


def main():
    main_scenario()
    swapoff_scenario()
    swap_full_scenario()
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())
