#!/usr/bin/env python3
"""A model of memos's anonymous-page reclaim, run on make bench-belady's
traces, to see what each mechanism is worth before (or instead of)
building it in the kernel. Not a test and not the benchmark: the kernel's
own figures come from make bench-belady; this model lands within a few
percent of them (docs/reclaim.md, Benchmarks).

Modelled, as mm/vmscan.c, mm/workingset.c and mm/fault.c do it: a process
with FRAMES frames; every access sets the page's accessed bit; a fault on
a full memory reclaims 32 pages (Linux's SWAP_CLUSTER_MAX): the active
list's tail is moved to the inactive list while the inactive one is the
smaller, then the inactive tail is scanned. Options:
  look_twice  an anon page needs references on two looks in a row to be
              activated (Linux's folio_check_references, memos now);
              without it, any reference activates (Linux before 5.9,
              memos before);
  workingset  refault detection: a swapped-in page whose refault distance
              (evictions + activations since its eviction) is at most the
              active list starts on the active list;
  readahead   "fixed": 2^page-cluster pages after every major fault;
              "adaptive": Linux's swapin_nr_pages window; None: off;
  clock       no active list: a referenced page goes back to the head of
              the one list, its bit cleared (second chance, CLOCK), for
              comparison.
Counted: major faults and pages read from swap, against Belady's MIN with
the same frames (the ratios of make bench-belady).

usage: tools/bench/reclaim_sim.py [FRAMES [FREE_KB]]
  FRAMES   frames the traces get (default 5354, as measured on a 32 MiB guest)
  FREE_KB  MemFree at the shell, which sizes the traces (default 21992)
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from belady_bench import min_misses, trace  # noqa: E402

CLUSTER = 32
PMD_PAGES = 512


class Page:
    __slots__ = ("accessed", "referenced", "workingset", "readahead")

    def __init__(self, readahead):
        self.accessed = not readahead  # the faulting access sets it
        self.referenced = self.workingset = False
        self.readahead = readahead


class Reclaim:
    def __init__(self, frames, look_twice, workingset, readahead, clock=False, page_cluster=3):
        self.frames, self.look_twice, self.workingset = frames, look_twice, workingset
        self.clock = clock
        self.readahead, self.max_win = readahead, 1 << page_cluster
        self.inactive, self.active = collections.OrderedDict(), collections.OrderedDict()
        self.shadow, self.swapped, self.age = {}, set(), 0
        self.majflt = self.reads = 0
        self.ra_pfn, self.ra_win, self.ra_hits = -2, 0, 0  # the VMA's readahead state

    def resident(self, p):
        return self.inactive.get(p) or self.active.get(p)

    def activate(self, p, page):
        self.active[p] = page
        self.age += 1  # an activation ticks the workingset clock

    def shrink_active(self):
        for _ in range(min(CLUSTER, len(self.active))):
            p, page = self.active.popitem(last=False)
            page.accessed, page.workingset = False, True
            self.inactive[p] = page

    def shrink_inactive(self, want):
        freed = 0
        for _ in range(CLUSTER):
            if freed == want or not self.inactive:
                break
            p, page = self.inactive.popitem(last=False)
            used, used_before = page.accessed, page.referenced
            page.accessed = page.referenced = False
            if used and (self.clock or (self.look_twice and not used_before)):
                page.referenced = True
                self.inactive[p] = page  # another trip
            elif used:
                page.referenced = self.look_twice
                self.activate(p, page)
            else:
                self.swapped.add(p)
                self.shadow[p] = (self.age, page.workingset)
                self.age += 1
                freed += 1
        return freed

    def make_room(self):
        freed = 0
        while len(self.inactive) + len(self.active) >= self.frames and freed < CLUSTER:
            if len(self.inactive) < len(self.active):
                self.shrink_active()
            freed += self.shrink_inactive(CLUSTER - freed)

    def bring_in(self, p, readahead):
        self.make_room()
        page = Page(readahead)
        if self.workingset and p in self.shadow:
            eviction, was_active = self.shadow.pop(p)
            if self.age - eviction <= len(self.active):
                page.workingset = was_active
                self.activate(p, page)
                return
        self.inactive[p] = page

    def window(self, p):
        if self.readahead == "fixed":
            return self.max_win
        pages = self.ra_hits + 2
        if pages == 2:
            pages = 2 if abs(p - self.ra_pfn) == 1 else 1
        else:
            pages = max(4, 1 << (pages - 1).bit_length())
        return min(max(pages, self.ra_win // 2), self.max_win)

    def access(self, p, npages):
        page = self.resident(p)
        if page:
            page.accessed = True
            if page.readahead:  # a swap-cache hit: the fault's minor
                page.readahead = False
                self.ra_hits += 1
                self.ra_pfn = p
            return
        if p not in self.swapped:
            self.bring_in(p, False)  # a first touch: demand-zero, no I/O
            return
        self.majflt += 1
        self.reads += 1
        self.bring_in(p, False)
        if not self.readahead:
            return
        win, prev = self.window(p), self.ra_pfn
        self.ra_pfn, self.ra_win, self.ra_hits = p, win, 0
        if self.readahead == "fixed" or p == prev + 1:
            before = 0
        else:
            before = win - 1 if p + 1 == prev else (win - 1) // 2
        lo = max(p - before, p // PMD_PAGES * PMD_PAGES)
        hi = min(p - before + win, p // PMD_PAGES * PMD_PAGES + PMD_PAGES, npages)
        for q in range(lo, hi):
            if q != p and q in self.swapped and not self.resident(q):
                self.reads += 1
                self.bring_in(q, True)


POLICIES = [
    ("before: activate on one reference, fixed readahead", False, False, "fixed", False),
    ("look twice", True, False, None, False),
    ("look twice + workingset", True, True, None, False),
    ("look twice + workingset + adaptive readahead (memos now)", True, True, "adaptive", False),
    ("activate on one reference + workingset", False, True, None, False),
    ("one list, second chance (CLOCK)", False, False, None, True),
]


def main():
    frames = int(sys.argv[1]) if len(sys.argv) > 1 else 5354
    f = (int(sys.argv[2]) if len(sys.argv) > 2 else 21992) // 4
    plans = [("loop", int(1.25 * f), 5 * f, 0), ("hotcold", int(1.5 * f), 10 * f, f // 2),
             ("scan", 3 * f, 0, f // 2)]
    traces = {}
    for kind, pages, accesses, hot in plans:
        t = trace(kind, pages, accesses, hot, 1)
        traces[kind] = (t, pages, min_misses(t, frames), len(set(t)))
    print(f"{frames} frames; per trace: major faults / pages read from swap; total = (major "
          "faults or reads + first touches) / MIN's misses; strict = major faults or reads / "
          "MIN's non-compulsory misses")
    for name, look_twice, workingset, readahead, clock in POLICIES:
        cells = []
        for kind, (t, pages, opt, distinct) in traces.items():
            sim = Reclaim(frames, look_twice, workingset, readahead, clock)
            for p in t:
                sim.access(p, pages)
            strict = (f", strict {sim.majflt / (opt - distinct):.2f}x/"
                      f"{sim.reads / (opt - distinct):.2f}x" if opt > distinct else "")
            cells.append(f"{kind} {sim.majflt}/{sim.reads} (total {(sim.majflt + distinct) / opt:.2f}x/"
                         f"{(sim.reads + distinct) / opt:.2f}x{strict})")
        print(f"{name}:\n  " + "; ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
