#!/usr/bin/env python3
"""Linux beside memos, for the benchmarks: boots Debian's own kernel
(package linux-image-amd64, fetched once with apt-get download into
build/linux/) under QEMU with a tiny initramfs whose init
(tools/bench/linux/init.c) runs the same programs as memos, with swap on a
virtio disk.

run_traces(plans, limit_bytes): make bench-belady's page-trace runs, in a
memory cgroup, under both of Linux's LRU policies: the active/inactive
lists ("classic", Debian's default) and the multi-generational LRU
("mglru"). Returns (kernel release, [(mode, page-trace line, vmstat
deltas)]).

boot(commands, programs, accel): any plan (init.c's commands "run PROGRAM
ARGS", "limit", "mode"), with the given programs (name -> path of a static
binary) in the initramfs. Returns (kernel release, console output).

Both raise Unavailable with the reason (no package archive, no QEMU, the
guest failed...), which a benchmark prints and carries on without Linux.
"""
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mkinitramfs  # noqa: E402  (tools/mkinitramfs.py: the newc writer)

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "build", "linux")
# virtio-blk and what it needs, in load order (Debian builds them as modules).
MODULES = ["virtio_ring.ko", "virtio.ko", "virtio_pci_modern_dev.ko",
           "virtio_pci_legacy_dev.ko", "virtio_pci.ko", "virtio_blk.ko"]
VMSTAT = re.compile(r"linux-vmstat:((?: \w+ \d+)+)")


class Unavailable(Exception):
    pass


def sh(*cmd, cwd=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        raise Unavailable(f"{' '.join(cmd)} failed: {r.stdout.strip().splitlines()[-1:]}")
    return r.stdout


def fetch_kernel():
    """build/linux/vmlinuz and the virtio modules, from Debian's package."""
    if os.path.exists(os.path.join(OUT, "vmlinuz")) and \
            all(os.path.exists(os.path.join(OUT, "modules", m)) for m in MODULES):
        return open(os.path.join(OUT, "release")).read().strip()
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise Unavailable("needs apt-get and dpkg-deb to fetch Debian's kernel")
    m = None
    for attempt in range(2):
        r = subprocess.run(["apt-cache", "depends", "linux-image-amd64"], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        m = re.search(r"Depends: (linux-image-\S+)", r.stdout)
        if m or attempt or os.geteuid() != 0:
            break
        sh("apt-get", "update", "-qq")  # package lists missing or stale
    if not m:
        raise Unavailable("apt-cache knows no linux-image-amd64 (run apt-get update)")
    pkg = m.group(1)
    with tempfile.TemporaryDirectory() as tmp:
        sh("apt-get", "download", pkg, cwd=tmp)
        deb = glob.glob(os.path.join(tmp, "*.deb"))[0]
        sh("dpkg-deb", "-x", deb, os.path.join(tmp, "x"))
        kernels = glob.glob(os.path.join(tmp, "x", "boot", "vmlinuz-*"))
        if not kernels:
            raise Unavailable(f"{pkg} holds no vmlinuz")
        release = os.path.basename(kernels[0])[len("vmlinuz-"):]
        os.makedirs(os.path.join(OUT, "modules"), exist_ok=True)
        for mod in MODULES:
            found = glob.glob(os.path.join(tmp, "x", "lib", "modules", release, "kernel",
                                           "**", mod), recursive=True)
            if not found:
                raise Unavailable(f"{pkg} has no {mod}")
            shutil.copy(found[0], os.path.join(OUT, "modules", mod))
        shutil.copy(kernels[0], os.path.join(OUT, "vmlinuz"))
    with open(os.path.join(OUT, "release"), "w") as f:
        f.write(release + "\n")
    return release


def build_programs():
    """init and page-trace, static, for Linux (the host's own gcc and libc)."""
    for out, src in (("init", "tools/bench/linux/init.c"), ("page-trace", "user/page-trace.c")):
        target, source = os.path.join(OUT, out), os.path.join(ROOT, src)
        if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(source):
            sh("gcc", "-O2", "-static", "-Wall", "-o", target, source)


def initramfs(plan, programs):
    def file(path):
        with open(path, "rb") as f:
            return f.read()
    x, r = stat.S_IFREG | 0o755, stat.S_IFREG | 0o644
    entries = {n: (stat.S_IFDIR | 0o755, b"") for n in ("dev", "proc", "sys", "lib")}
    entries["dev/console"] = (stat.S_IFCHR | 0o600, b"", (5, 1))
    entries["init"] = (x, file(os.path.join(OUT, "init")))
    entries["plan"] = (r, plan.encode())
    entries.update({name: (x, file(path)) for name, path in programs.items()})
    entries.update({f"lib/{m}": (r, file(os.path.join(OUT, "modules", m))) for m in MODULES})
    return mkinitramfs.archive(entries)


def boot(commands, programs, accel="tcg", swap_pages=4096, timeout=3600):
    if not shutil.which("qemu-system-x86_64"):
        raise Unavailable("no qemu-system-x86_64")
    release = fetch_kernel()
    build_programs()
    plan = [f"module {m}" for m in MODULES] + ["swapon /dev/vda"] + list(commands)
    with tempfile.TemporaryDirectory() as tmp:
        rd, disk = os.path.join(tmp, "initrd"), os.path.join(tmp, "swap.img")
        with open(rd, "wb") as f:
            f.write(initramfs("\n".join(plan) + "\n", programs))
        with open(disk, "wb") as f:
            f.truncate((swap_pages + 16) * 4096)
        sh(shutil.which("mkswap") or "/sbin/mkswap", "-q", disk)
        cmd = ["qemu-system-x86_64", "-machine", f"pc,accel={accel}", "-m", "256M",
               "-cpu", "host,arch-capabilities=off" if accel == "kvm" else "qemu64",
               "-kernel", os.path.join(OUT, "vmlinuz"), "-initrd", rd,
               "-append", "console=ttyS0 quiet panic=-1 transparent_hugepage=never "
                          "mitigations=off rdinit=/init",
               "-drive", f"file={disk},if=virtio,format=raw",
               "-display", "none", "-serial", "stdio", "-no-reboot"]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"the Linux guest did not finish in {timeout} s")
    out = r.stdout
    err = re.search(r"linux-error: .*", out)
    if err or "linux-done" not in out:
        raise Unavailable(err.group(0) if err else "the Linux guest stopped early:\n"
                          + "\n".join(out.splitlines()[-15:]))
    return release, out


def run_traces(plans, limit_bytes, modes=("classic", "mglru"), accel="tcg", timeout=3600):
    """plans: (kind, pages, accesses, hot, seed) for page-trace."""
    commands = [f"limit {limit_bytes}"]
    for mode in modes:
        commands.append(f"mode {mode}")
        commands += [f"run page-trace {kind} {pages} {accesses} {hot} {seed}"
                     for kind, pages, accesses, hot, seed in plans]
    release, out = boot(commands, {"page-trace": os.path.join(OUT, "page-trace")}, accel,
                        2 * max(p[1] for p in plans) + 4096, timeout)
    results, mode = [], None
    lines = out.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"linux-mode: (\w+)", line)
        if m:
            mode = m.group(1)
        m = re.search(r"page-trace: \w+ .*", line)
        if m:
            v = next(VMSTAT.search(x) for x in lines[i + 1:] if VMSTAT.search(x))
            nums = v.group(1).split()
            results.append((mode, m.group(0), dict(zip(nums[::2], map(int, nums[1::2])))))
    return release, results
