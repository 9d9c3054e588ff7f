"""Drive a booted memos through its serial console, as a person would.

    with Guest(mem="128M") as g:
        g.expect(r"\\$ $")
        out = g.run("echo hi")        # the command's output, prompt stripped

The guest's serial port is QEMU's stdio; a reader thread collects what it
prints. run() sends one line and waits for the next prompt ("$ " or
"[N] $ "), returning the text in between and the status shown in it.
"""
import os
import re
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = re.compile(r"(?:\[(\d+)\] )?\$ $")


class Timeout(Exception):
    pass


class Guest:
    def __init__(self, mem="128M", args="", timeout=20, accel="tcg", disk=None, env=None,
                 qemu_args=()):
        # accel="kvm" is for benchmarks (tools/qemu.sh: -cpu host, -mem-prealloc).
        # disk: an image path for the IDE disk, or "none" (default: build/disk.img).
        # env: more tools/qemu.sh settings (NUMA=2 ...); qemu_args: extra QEMU words.
        env = dict(os.environ, MEM=mem, ARGS=args, SERIAL="stdio", GUI="0", ACCEL=accel,
                   **(env or {}))
        if disk:
            env["DISK_IMG"] = disk
        env.pop("GDB_PORT", None)
        self.proc = subprocess.Popen([os.path.join(ROOT, "tools", "qemu.sh")] + list(qemu_args),
                                     cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.log = ""
        self.pos = 0  # how far expect() has consumed
        self.lock = threading.Condition()
        self.timeout = timeout
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            with self.lock:
                self.log += chunk.decode(errors="replace").replace("\r", "")
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def expect(self, pattern, timeout=None):
        """Waits until pattern appears after the last match; returns the
        match. Raises Timeout with the log tail."""
        rx = re.compile(pattern, re.M)
        deadline = time.time() + (timeout or self.timeout)
        with self.lock:
            while True:
                m = rx.search(self.log, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.time()
                if left <= 0 or (self.proc.poll() is not None and not m):
                    raise Timeout(f"waiting for /{pattern}/; log tail:\n{self.log[-1500:]}")
                self.lock.wait(min(left, 0.2))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, command, timeout=None):
        """Runs one shell command; returns (output, status)."""
        start = self.pos
        self.send(command + "\n")
        m = self.expect(r"(?<![^\n])(?:\[(\d+)\] )?\$ ", timeout)
        text = self.log[start:m.start()]
        # Drop the echoed command line.
        first_nl = text.find("\n")
        out = text[first_nl + 1:] if first_nl >= 0 else ""
        return out, int(m.group(1) or 0)

    def free_kb(self):
        """free_kb() of the guest's /proc/meminfo now."""
        return free_kb(self.run("cat /proc/meminfo")[0])

    def wait_exit(self, timeout=10):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# TAP results shared by the guest suites: check() records, tap_report()
# prints them and gives the exit status.
results = []


def check(ok, desc, detail=""):
    results.append((bool(ok), desc, detail))


def field(text, name):
    """The number after NAME: in /proc/meminfo-like text (or NAME value)."""
    m = re.search(rf"^{re.escape(name)}[: ]\s*(\d+)", text, re.M)
    return int(m.group(1)) if m else None


def free_kb(meminfo):
    """MemFree + Cached + Slab of a /proc/meminfo text: the frames that are
    free or held by the page cache or the kernel heap, the figure the
    suites' leak checks compare. With the disk as the root, program text is
    page cache: the shell faults more of its own text in as it runs new
    code paths, those pages stay while it is mapped, pressure drops others,
    and a program's first run leaves its inode (and its page index) in the
    kernel heap, as Linux's inode cache; each such frame moves between
    MemFree and Cached or Slab, so the sum stays exact, while a frame leaked
    anywhere else (anonymous memory, page tables, swap cache) still shows.
    Kernel-heap leaks are the ktests' to catch (kmalloc_live_objects)."""
    vals = [field(meminfo, k) for k in ("MemFree", "Cached", "Slab")]
    return None if None in vals else sum(vals)


def tap_report():
    print(f"1..{len(results)}")
    for i, (ok, desc, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {desc}")
        if not ok and detail:
            print("\n".join("#   " + line for line in str(detail).splitlines()[-30:]))
    return 0 if all(ok for ok, _, _ in results) else 1
