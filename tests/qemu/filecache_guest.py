#!/usr/bin/env python3
"""TAP suite: file pages as a user sees them (concept C9, issue 5's file half).

Boots memos with the disk's ext2 mounted read-write on /mnt and runs
filetest (write/read-back through the page cache and from the disk,
fsync/msync/sync and their errors, MAP_SHARED and MAP_PRIVATE file
mappings, SIGBUS past the end of file, the limits of a driver that only
overwrites existing blocks), the filecache demo (clean pages dropped with
no I/O, dirty ones written back by reclaim first, msync and fsync), and
programs from /mnt/bin after their text was dropped (major faults). Then
boots with "ro" on the command line: a read-only mount and its EROFS
cases. QEMU runs the disk with snapshot=on: nothing reaches the image.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guest import Guest, Timeout, check, field, tap_report  # noqa: E402


EPERM, ENOENT, EBADF, ENOMEM, EACCES, ENODEV, EINVAL, ENOSPC, EROFS, EOPNOTSUPP = (
    1, 2, 9, 12, 13, 19, 22, 28, 30, 95)


def kv(text):
    return dict(re.findall(r"^([\w.+-]+)=(.*)$", text, re.M))


def expect_values(out, want, what):
    got = kv(out)
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != str(v)}
    check(not bad, what, f"got, want: {bad}" if bad else "")


def main_scenario():
    with Guest(mem="64M", timeout=30) as g:
        try:
            g.expect(r"EXT2-fs \(sda1\): mounted filesystem read-write on (?:/ and )?/mnt,", 15)
            g.expect(r"(?<![^\n])\$ ", 15)
            check(True, "a clean ext2 is mounted read-write on /mnt")
        except Timeout as e:
            check(False, "a clean ext2 is mounted read-write on /mnt", str(e))
            return
        # A first run warms ext2's inode cache and the kernel heap, so the
        # MemFree baseline after it is the steady state.
        g.run("filetest /mnt/data/big", timeout=60)
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        free0 = g.free_kb()

        out, st = g.run("filetest /mnt/data/big", timeout=60)
        v = kv(out)
        check(st == 0 and v.get("pwrite") == "4096" and v.get("readback_cached") == "1",
              "write() then read() through the page cache", out)
        check(int(v.get("dirty_kb_after_write", 0)) >= 4 and v.get("dirty_kb_after_fsync") == "0"
              and int(v.get("written_by_fsync", 0)) >= 1,
              "write() dirties the page (Dirty), fsync writes it (nr_written) and cleans it",
              str(v))
        check(v.get("readback_disk") == "1" and int(v.get("pgpgin_kb_reread", 0)) >= 4,
              "after fsync and drop_caches the data is read back from the disk (pgpgin)", str(v))
        check(v.get("dirty_kept_by_drop") == "1" and v.get("dirty_kb_after_sync") == "0"
              and int(v.get("written_by_sync", 0)) >= 1,
              "drop_caches keeps dirty pages; sync writes them", str(v))
        expect_values(out, {"pwrite_at_eof": -ENOSPC, "pwrite_across_eof": 10,
                            "pwrite_zero_at_eof": 0, "append_write": -ENOSPC,
                            "open_trunc": -EOPNOTSUPP, "creat_in_mnt": -EOPNOTSUPP,
                            "mkdir_in_mnt": -EOPNOTSUPP, "write_rdonly_fd": -EBADF},
                      "no block allocation: ENOSPC at the end of file, a write across it is "
                      "cut, no O_TRUNC, create or mkdir (EOPNOTSUPP)")
        expect_values(out, {"fsync_badfd": -EBADF, "fsync_closedfd": -EBADF,
                            "fsync_pipe": -EINVAL, "fdatasync_pipe": -EINVAL,
                            "fsync_proc": -EINVAL, "syncfs_badfd": -EBADF, "fsync": 0,
                            "fdatasync_clean": 0, "syncfs": 0},
                      "fsync/fdatasync/syncfs: 0, or Linux's EBADF and EINVAL")
        expect_values(out, {"mmap_proc": -ENODEV, "mmap_pipe": -ENODEV, "mmap_badfd": -EBADF,
                            "mmap_shared_write_rdonly_fd": -EACCES, "mmap_wronly_fd": -EACCES,
                            "mmap_private_write_rdonly_fd": 0, "mmap_shared": 0,
                            "mmap_past_eof": 0},
                      "mmap of files: Linux's EBADF, EACCES and ENODEV")
        expect_values(out, {"msync_unaligned": -EINVAL, "msync_async_and_sync": -EINVAL,
                            "msync_badflags": -EINVAL, "msync_unmapped": -ENOMEM,
                            "msync_zero_len": 0, "msync_async": 0, "msync_invalidate": 0,
                            "msync_sync": 0, "msync_sync2": 0},
                      "msync: 0, or Linux's EINVAL and ENOMEM")
        check(v.get("map_reads_file") == "1" and v.get("shared_store_seen_by_read") == "1"
              and v.get("dirty_kb_after_store") == "4"
              and int(v.get("mapped_kb_after_store", 0)) >= 4,
              "MAP_SHARED: the mapping shows the file, a store is seen by read() and dirties "
              "its page (Dirty, Mapped)", str(v))
        check(v.get("written_by_ms_async") == "0" and int(v.get("written_by_ms_sync", 0)) >= 1
              and v.get("dirty_kb_after_msync") == "0"
              and v.get("dirty_kb_after_second_store") == "4"
              and v.get("shared_store_on_disk") == "1",
              "msync: MS_ASYNC writes nothing, MS_SYNC writes the page; the next store dirties "
              "it again and reaches the disk", str(v))
        check(v.get("mincore") == "0" and v.get("mincore_after_drop") == "0"
              and v.get("mincore_after_read") == "010",
              "mincore of a file mapping shows page cache residency (read() of page 2 only)",
              str(v))
        check(v.get("private_store_not_in_file") == "1" and v.get("private_store_in_map") == "1"
              and v.get("dirty_kb_after_private_store") == "0",
              "MAP_PRIVATE: a store copies the page; the file and Dirty do not change", str(v))
        check(v.get("touch_last_page") == "exit 0" and v.get("touch_past_eof") == "signal 7",
              "a mapping past the end of file: SIGBUS there, the last page is readable", str(v))
        check(v.get("store_prot_read") == "signal 11", "a store to a PROT_READ mapping: SIGSEGV",
              str(v))
        # Mapped holds the text of init, sh and filetest (from the disk root)
        # before the shared mapping's pages are touched and at the end.
        check(v.get("dirty_kb_end") == "0" and v.get("mapped_kb_end") == v.get("mapped_kb"),
              "at the end Dirty is 0 and Mapped back to before the mapping's pages", str(v))
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        free1 = g.free_kb()
        check(free1 == free0, f"no frame leaked: MemFree + Cached + Slab {free1} kB after sync "
                              f"and drop_caches, "
                              f"as after the first run ({free0} kB)")

        # Program text from the page cache.
        # (cat itself is the program: with the disk as the root /bin/cat is
        # /mnt/bin/cat, so pgmajfault is read before the caches are dropped.)
        maj0 = field(g.run("cat /proc/vmstat")[0], "pgmajfault")
        g.run("echo 3 > /proc/sys/vm/drop_caches")
        out, st = g.run("/mnt/bin/cat /proc/self/stat")
        maj1 = field(g.run("cat /proc/vmstat")[0], "pgmajfault")
        f = out.split(") ")[-1].split() if ") " in out else []
        majflt = int(f[9]) if len(f) > 9 else -1
        check(st == 0 and majflt > 0 and maj1 - maj0 >= majflt,
              f"exec of /mnt/bin/cat after drop_caches: its text is read on fault "
              f"({majflt} major faults, pgmajfault +{maj1 - maj0})", out)
        out, st = g.run("/mnt/bin/cat /proc/self/stat")
        f = out.split(") ")[-1].split() if ") " in out else []
        check(st == 0 and len(f) > 9 and int(f[9]) == 0,
              "run again: the text is cached, no major fault", out)
        out, st = g.run("/mnt/bin/cat /proc/self/maps")
        check(re.search(r"^00401000-[0-9a-f]+ r-xp 00001000 08:01 \d+ +(?:/mnt)?/bin/cat$", out, re.M)
              and re.search(r"^[0-9a-f]+-[0-9a-f]+ rw-p [0-9a-f]+ 08:01 \d+ +(?:/mnt)?/bin/cat$", out,
                            re.M),
              "/proc/PID/maps shows the program's file mappings with offset, device, inode "
              "and path", out)
        out, st = g.run("/mnt/bin/cat /proc/self/status")
        check(st == 0 and (field(out, "RssFile") or 0) > 0, "RssFile counts the mapped text",
              out)

        # ETXTBSY, as Linux: the running program's file (on the disk root)
        # cannot be opened for writing; a copy open for writing cannot run.
        out, st = g.run("filetest -etxtbsy /bin/filetest /tmp/etxtbsy")
        v = kv(out)
        check(st == 0 and v.get("open_self_for_write") == "-26"
              and v.get("open_self_for_read") == "0"
              and v.get("exec_copy_open_for_write") == str(128 + 26)
              and v.get("exec_copy_closed") == "0" and v.get("unlink_copy") == "0",
              "ETXTBSY: a running program's file is not opened for writing, a file open for "
              "writing is not executed; both work once the other side is gone", out)

        # The flusher writes pages dirty for longer than dirty_expire_centisecs.
        out, _ = g.run("cat /proc/sys/vm/dirty_expire_centisecs /proc/sys/vm/dirty_writeback_centisecs")
        check(out.split() == ["3000", "500"], "dirty_expire_centisecs 3000 and "
              "dirty_writeback_centisecs 500 by default (Linux's)", out)
        g.run("echo 100 > /proc/sys/vm/dirty_expire_centisecs")
        g.run("echo 50 > /proc/sys/vm/dirty_writeback_centisecs")
        w0 = field(g.run("cat /proc/vmstat")[0], "nr_written")
        out, _ = g.run("filetest -dirty /mnt/data/big")
        g.run("sleep 3")
        mem = g.run("cat /proc/meminfo")[0]
        w1 = field(g.run("cat /proc/vmstat")[0], "nr_written")
        check(int(kv(out).get("dirty_kb", 0)) >= 4 and field(mem, "Dirty") == 0 and w1 > w0,
              f"the flusher writes a page dirty for over 1 s within 3 s (nr_written +{w1 - w0})",
              out + mem)
        out, st = g.run("echo -1 > /proc/sys/vm/dirty_expire_centisecs")
        check(st != 0 and "Invalid argument" in out, "dirty_expire_centisecs -1: EINVAL", out)
        g.run("echo 3000 > /proc/sys/vm/dirty_expire_centisecs")
        g.run("echo 500 > /proc/sys/vm/dirty_writeback_centisecs")

        # Dirty limits: dirty + write-back pages stay under nr_dirty_threshold
        # (a writer over it writes pages back itself), the flusher works from
        # nr_dirty_background_threshold.
        out, _ = g.run("cat /proc/sys/vm/dirty_ratio /proc/sys/vm/dirty_background_ratio "
                       "/proc/sys/vm/dirty_bytes /proc/sys/vm/dirty_background_bytes")
        check(out.split() == ["20", "10", "0", "0"], "dirty_ratio 20, dirty_background_ratio "
              "10, dirty_bytes and dirty_background_bytes 0 by default (Linux's)", out)
        vm = g.run("cat /proc/vmstat")[0]
        thresh, bg = field(vm, "nr_dirty_threshold"), field(vm, "nr_dirty_background_threshold")
        check(thresh and bg and abs(2 * bg - thresh) <= 1,
              f"/proc/vmstat: nr_dirty_threshold {thresh} and nr_dirty_background_threshold "
              f"{bg} pages, 20 % and 10 % of the same dirtyable memory")
        g.run("echo 1048576 > /proc/sys/vm/dirty_bytes")
        ratio = g.run("cat /proc/sys/vm/dirty_ratio")[0].strip()
        vm = g.run("cat /proc/vmstat")[0]
        check(ratio == "0" and field(vm, "nr_dirty_threshold") == 256
              and field(vm, "nr_dirty_background_threshold") == 128,
              "dirty_bytes 1 MiB: dirty_ratio reads 0, nr_dirty_threshold 256 pages, the "
              "background limit half of it (dirty_background_ratio 10 % is more)",
              f"dirty_ratio {ratio}, {vm[vm.find('nr_dirty_threshold'):][:80]}")
        g.run("echo 20 > /proc/sys/vm/dirty_ratio")
        out = g.run("cat /proc/sys/vm/dirty_bytes")[0].strip()
        e1, s1 = g.run("echo 4096 > /proc/sys/vm/dirty_bytes")
        e2, s2 = g.run("echo 101 > /proc/sys/vm/dirty_ratio")
        check(out == "0" and s1 != 0 and "Invalid argument" in e1 and s2 != 0
              and "Invalid argument" in e2,
              "dirty_ratio clears dirty_bytes; dirty_bytes under two pages and dirty_ratio "
              "over 100 are EINVAL", out + e1 + e2)
        for args, what in (("-r 2", "64 KiB writes"), ("-r 2 -c 8192", "one 8 MiB write")):
            out, st = g.run(f"dirty-throttle {args} /mnt/data/big 8", timeout=120)
            v = {k: int(x) for k, x in re.findall(r"(\w+_kb) (\d+)", out)}
            # Slack: a task looks at the limit every 32 pages dirtied, and
            # one 64 KiB write is 16 pages.
            check(st == 0 and v.get("wrote_kb") == 8192
                  and 0 < v.get("peak_dirty_kb", 0) <= v.get("threshold_kb", 0) + 256
                  and v.get("written_during_kb", 0) >= 4096,
                  f"dirty_ratio 2, {what}: Dirty + Writeback peak at {v.get('peak_dirty_kb')} "
                  f"kB under nr_dirty_threshold {v.get('threshold_kb')} kB; "
                  f"{v.get('written_during_kb')} kB written back during the write, before fsync",
                  out[-400:])
        g.run("echo 50 > /proc/sys/vm/dirty_background_ratio")
        out, st = g.run("dirty-throttle -r 60 /mnt/data/big 8", timeout=120)
        g.run("echo 10 > /proc/sys/vm/dirty_background_ratio")
        v = {k: int(x) for k, x in re.findall(r"(\w+_kb) (\d+)", out)}
        check(st == 0 and v.get("peak_dirty_kb", 0) >= 8192 and v.get("written_during_kb") == 0
              and v.get("fsync_kb", 0) >= 8192,
              "dirty_ratio 60, dirty_background_ratio 50: all 8 MiB stay dirty until fsync "
              "writes them", out[-300:])
        out = g.run("cat /proc/sys/vm/dirty_ratio /proc/sys/vm/dirty_background_ratio")[0]
        check(out.split() == ["20", "10"], "dirty-throttle restores dirty_ratio", out)

        # The demo: clean pages dropped without I/O, dirty ones written first.
        # A program from the disk sleeps meanwhile: its text pages are
        # mapped but idle, so the pressure unmaps and drops them.
        out, _ = g.run("/mnt/bin/sleep 100 &")
        m = re.search(r"\[\d+\] (\d+)", out)
        spid = m.group(1) if m else "0"
        rss0 = field(g.run(f"cat /proc/{spid}/status")[0], "RssFile") or 0
        out, st = g.run("filecache /mnt/data/big 8", timeout=120)
        rss1 = field(g.run(f"cat /proc/{spid}/status")[0], "RssFile")
        g.run(f"kill {spid}")
        g.run("wait")
        check(rss0 > 0 and rss1 is not None and rss1 < rss0,
              f"a sleeping /mnt/bin program's idle text pages are unmapped and dropped under "
              f"pressure (RssFile {rss0} -> {rss1} kB)")
        v = {k: int(x) for k, x in re.findall(r"(?<![\w.+-])([\w.+-]+)=(-?\d+)\b", out)}
        check(st == 0 and v.get("read.cached_kb", 0) >= 8000 and v.get("read.pgpgin_kb", 0) >= 8000,
              "filecache: reading 8 MiB grows Cached by as much, read from the disk (pgpgin)",
              out)
        check(v.get("clean-pressure.pgsteal_file", 0) > 0
              and v.get("clean-pressure.cached_kb", 0) < 0
              and v.get("clean-pressure.pgpgout_kb") == 0
              and v.get("clean-pressure.nr_written") == 0,
              "anon pressure drops clean file pages (pgsteal_file) with no disk write", out)
        check(v.get("dirty-mmap.dirty_kb", 0) >= 4000 and v.get("dirty-mmap.nr_dirtied", 0) >= 1000
              and v.get("dirty-mmap.mapped_kb", 0) >= 4000,
              "stores to a MAP_SHARED mapping: Dirty, nr_dirtied and Mapped rise", out)
        check(v.get("dirty-pressure.nr_written", 0) > 0 and v.get("dirty-pressure.pgpgout_kb", 0) > 0
              and v.get("dirty-pressure.dirty_kb", 0) < 0
              and v.get("dirty-pressure.pgsteal_file", 0) > 0,
              "pressure again: dirty pages are written back (nr_written, pgpgout), then dropped",
              out)
        check(v.get("msync.writeback_max_kb", 0) > 0,
              "during msync a second process sees pages under write-back (Writeback > 0)", out)
        check(v.get("msync.nr_written", 0) >= 1000 and v.get("msync.dirty_kb", 0) <= -4000
              and v.get("write+fsync.nr_written", 0) >= 1000 and v.get("verify.mismatches") == 0,
              "msync(MS_SYNC) and fsync write the dirty pages; every byte reads back (0 "
              "mismatches)", out)
        g.send("poweroff\n")
        g.wait_exit(10)


def readonly_scenario():
    with Guest(mem="32M", args="ro", timeout=30) as g:
        try:
            g.expect(r"EXT2-fs \(sda1\): mounted filesystem read-only on (?:/ and )?/mnt,", 15)
            g.expect(r"(?<![^\n])\$ ", 15)
        except Timeout as e:
            check(False, "'ro' on the command line mounts /mnt read-only", str(e))
            return
        out, st = g.run("filetest -ro /mnt/data/big", timeout=60)
        expect_values(out, {"ro.open_rdwr": -EROFS, "ro.open_wronly": -EROFS,
                            "ro.creat": -EROFS, "ro.mkdir": -EROFS, "ro.unlink": -EROFS,
                            "ro.mmap_shared_write": -EACCES, "ro.mmap_private_write": 0,
                            "ro.fsync": 0},
                      "read-only mount: EROFS for writes, creates and removes; EACCES for a "
                      "shared writable mapping")
        g.send("poweroff\n")
        g.wait_exit(10)


def main():
    main_scenario()
    readonly_scenario()
    return tap_report()


if __name__ == "__main__":
    sys.exit(main())
