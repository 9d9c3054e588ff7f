#!/usr/bin/env python3
"""Runs every test of the project and ends with one line: N passed, N failed.

usage: run_tests.py [UNIT_TEST_BINARY ...] [-k SUBSTRING]

Suites, run in parallel (one job per CPU):
  - host unit tests (cmocka binaries given on the command line, TAP output)
  - TAP scripts in tests/scripts/*.sh (each "ok"/"not ok" line counts)
  - QEMU scenarios from tests/qemu/scenarios.py (one test each)
A suite that crashes, times out or exits non-zero without reporting a
failure counts as one failure. The exit status is non-zero on any failure.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import scenarios  # noqa: E402

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$", re.M)


class Result:
    def __init__(self, name, passed, failed, log, seconds):
        self.name, self.passed, self.failed = name, passed, failed
        self.log, self.seconds = log, seconds


def count_tap(output):
    ok = bad = 0
    for m in TAP_LINE.finditer(output):
        if m.group(1) == "ok":
            ok += 1
        else:
            bad += 1
    return ok, bad


def run_tap_command(name, cmd, env=None, timeout=300):
    start = time.time()
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **(env or {})))
        out, code = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, code = (e.stdout or b"").decode(errors="replace") + "\nTIMEOUT", -1
    ok, bad = count_tap(out)
    if code != 0 and bad == 0:
        bad = 1
    if ok == 0 and bad == 0:
        bad = 1  # a suite that reports nothing has not passed
    return Result(name, ok, bad, out, time.time() - start)


def run_until_hang(sc, env, serial):
    """A scenario that must hang (halt): QEMU runs until every expected line
    is on the serial log, or the scenario's timeout passes (a loaded machine
    may take seconds to get there). Returns "timeout" if QEMU was still
    running then, else its exit status."""
    p = subprocess.Popen([os.path.join(ROOT, "tools", "qemu.sh")] + sc.get("qemu_args", []),
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.time() + sc.get("timeout", 60)
    while p.poll() is None and time.time() < deadline:
        log = open(serial, errors="replace").read()
        if all(re.search(rx, log, re.M) for rx in sc.get("expect", [])):
            time.sleep(0.5)  # anything printed after the line would be caught
            break
        time.sleep(0.2)
    if p.poll() is not None:
        return p.returncode
    p.kill()
    p.wait()
    return "timeout"


def run_scenario(sc):
    start = time.time()
    with tempfile.NamedTemporaryFile(prefix="memos-serial-", suffix=".log") as serial:
        env = dict(os.environ, MEM=sc["mem"], ARGS=sc["args"], SERIAL=f"file:{serial.name}",
                   ACCEL="tcg", GUI="0")
        env.pop("GDB_PORT", None)
        if sc["status"] == "timeout":
            status, qemu_out = run_until_hang(sc, env, serial.name), ""
        else:
            try:
                p = subprocess.run([os.path.join(ROOT, "tools", "qemu.sh")] +
                                   sc.get("qemu_args", []), cwd=ROOT, env=env,
                                   capture_output=True, text=True, timeout=sc.get("timeout", 60),
                                   stdin=subprocess.DEVNULL)
                status, qemu_out = p.returncode, p.stdout + p.stderr
            except subprocess.TimeoutExpired:
                status, qemu_out = "timeout", ""
        log = open(serial.name, errors="replace").read().replace("\r\n", "\n")
    problems = []
    if status != sc["status"]:
        what = {0: "0 (triple fault or reset?)", "timeout": "a timeout (hang)"}.get(status, status)
        problems.append(f"QEMU exit status {what}, expected {sc['status']}")
    for rx in sc.get("expect", []):
        if not re.search(rx, log, re.M):
            problems.append(f"missing /{rx}/")
    for rx in sc.get("forbid", []):
        if re.search(rx, log, re.M):
            problems.append(f"unexpected /{rx}/")
    if sc.get("check"):
        msg = sc["check"](log)
        if msg:
            problems.append(msg)
    if sc["status"] == scenarios.PASS and re.search(r"^not ok", log, re.M):
        problems.append("a ktest check failed")
    text = "\n".join(problems) + "\n--- serial log ---\n" + log + qemu_out
    return Result("qemu/" + sc["name"], 0 if problems else 1, 1 if problems else 0, text,
                  time.time() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("unit", nargs="*")
    ap.add_argument("-k", dest="only", default="")
    args = ap.parse_args()

    jobs = []
    for binary in args.unit:
        jobs.append((run_tap_command, ("unit/" + os.path.basename(binary), [binary],
                                       {"CMOCKA_MESSAGE_OUTPUT": "TAP"})))
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "scripts", "*.sh"))):
        jobs.append((run_tap_command, ("script/" + os.path.basename(script), [script])))
    for sc in scenarios.SCENARIOS:
        jobs.append((run_scenario, (sc,)))
    jobs = [j for j in jobs if args.only in (j[1][0] if isinstance(j[1][0], str)
                                             else "qemu/" + j[1][0]["name"])]

    passed = failed = 0
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = [pool.submit(fn, *a) for fn, a in jobs]
        for fut in concurrent.futures.as_completed(futures):
            r = fut.result()
            passed += r.passed
            failed += r.failed
            mark = "PASS" if not r.failed else "FAIL"
            print(f"{mark}  {r.name}  ({r.passed} ok, {r.failed} failed, {r.seconds:.1f}s)",
                  flush=True)
            if r.failed:
                lines = r.log.splitlines()
                print("\n".join("    " + l for l in lines[-60:]), flush=True)
    print(f"\n{passed} passed, {failed} failed  ({time.time() - start:.0f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
