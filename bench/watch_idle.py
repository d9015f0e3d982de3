#!/usr/bin/env python3
"""The live preview's watcher: idle CPU and save-to-rebuild time, at N synthetic articles.

usage: python bench/watch_idle.py [--pages 10000 0] [--idle 10] [--edits 10] [--modes events scan]
                                  [--serve]
--pages 0 is the real site (a copy of content/, templates/, assets/, static/ and site.yaml).
For each size and mode a child process starts the real SourceWatcher (sitegen/watch.py) on a
tornado loop over a copy of the site, with a rebuild that only notes the time. It measures:
- idle CPU: the child's own user + system time (resource.getrusage) over --idle seconds with
  nothing saved, as % of one core;
- save -> rebuild: from writing one article to the rebuild callback being called, --edits times.
Modes: `events` is the watcher as the preview runs it (watchfiles, the OS's file events); `scan`
is its fallback, the 40 ms scan of every file (the watcher before watchfiles), forced by making
the OS watch fail.
--serve also runs the real `build.py serve` (its first build, then --idle seconds untouched) and
reads its CPU time from /proc/<pid>/stat; then save -> "Rebuilt" in its log (that includes the build).
Target (issue 14): idle under 5 % of one core at 10,000 pages. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = corpus.ROOT
TARGET_PCT = 5.0


def child(site: Path, mode: str, idle: float, edits: int) -> dict:
    """Runs in the measured process: the watcher on a loop thread, the clock on the main thread."""
    sys.path.insert(0, str(ROOT))
    from sitegen import watch

    if mode == "scan":

        def refuse(*args: object) -> None:
            raise OSError("refused for the benchmark")

        watch.RustNotify = refuse
    out_dir = site.parent / "out"
    called = threading.Event()
    stamps: list[float] = []

    def rebuild(changed: list[str]) -> list[str]:
        stamps.append(time.perf_counter())
        called.set()
        return changed

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()

    async def start() -> watch.SourceWatcher:
        watcher = watch.SourceWatcher(site, out_dir, watch.scan_sources(site, out_dir), rebuild, lambda _: None)
        watcher.start()
        return watcher

    watcher = asyncio.run_coroutine_threadsafe(start(), loop).result()
    files = len(watch.scan_sources(site, out_dir))
    time.sleep(1.0)  # let start-up settle
    before, started = _cpu_self(), time.perf_counter()
    time.sleep(idle)
    cpu, wall = _cpu_self() - before, time.perf_counter() - started
    article = _article(site)
    latencies = []
    for n in range(edits):
        called.clear()
        saved = time.perf_counter()
        with article.open("a", encoding="utf-8") as f:
            f.write(f"\nEdit {n}.\n")
        if not called.wait(10):
            raise SystemExit(f"no rebuild within 10 s after edit {n} ({mode})")
        latencies.append(stamps[-1] - saved)
        time.sleep(0.3)  # separate saves, as a person makes them
    asyncio.run_coroutine_threadsafe(_call(watcher.stop), loop).result()
    return {"files": files, "mode": watcher.mode, "cpu_pct": 100 * cpu / wall, "latencies": latencies}


async def _call(fn) -> None:
    fn()


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _article(site: Path) -> Path:
    bench = site / "content" / "guides" / "bench-00000.md"
    return bench if bench.exists() else sorted((site / "content" / "guides").glob("*.md"))[0]


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run_serve(site: Path, idle: float, edits: int) -> dict:
    """The real preview: first build, idle CPU from /proc, then save -> 'Rebuilt' in its log."""
    out = site.parent / "serve-out"
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site), "--port", "0", "--out", str(out)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": "1764633600"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []

    def collect() -> None:
        for line in proc.stdout:
            lines.append((time.perf_counter(), line.rstrip("\n")))

    launched = time.perf_counter()
    threading.Thread(target=collect, daemon=True).start()
    try:
        first_build = _wait_line(lines, ("Serving http://",), 0, 3600) - launched
        time.sleep(1.0)
        before, started = _proc_cpu(proc.pid), time.perf_counter()
        time.sleep(idle)
        cpu, wall = _proc_cpu(proc.pid) - before, time.perf_counter() - started
        article, seconds = _article(site), []
        for n in range(edits):
            start_index = len(lines)
            saved = time.perf_counter()
            with article.open("a", encoding="utf-8") as f:
                f.write(f"\nServe edit {n}.\n")
            stamp = _wait_line(lines, ("Rebuilt", "Build failed"), start_index, 1800)
            seconds.append(stamp - saved)
        failed = sum("Build failed" in line for _, line in lines)
        return {"cpu_pct": 100 * cpu / wall, "latencies": seconds, "first_build": first_build, "failed": failed}
    finally:
        proc.send_signal(2)  # Ctrl-C
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_line(lines: list[tuple[float, str]], texts: tuple[str, ...], start: int, timeout: float) -> float:
    """When the first line from ``start`` on holding one of ``texts`` was printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for stamp, line in lines[start:]:
            if any(text in line for text in texts):
                return stamp
        time.sleep(0.01)
    raise SystemExit(f"none of {texts} within {timeout:.0f} s:\n" + "\n".join(line for _, line in lines[-20:]))


def _failures(count: int) -> str:
    return f" ({count} of the builds failed: see the generator)" if count else ""


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.0f} / {1000 * max(values):.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10000, 0])
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--modes", nargs="*", choices=("events", "scan"), default=["events", "scan"])
    parser.add_argument("--serve", action="store_true", help="also measure the real `build.py serve`")
    parser.add_argument("--child", nargs=2, metavar=("SITE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), args.child[1], args.idle, args.edits)))
        return 0

    import watchfiles

    print(f"python bench/watch_idle.py {' '.join(sys.argv[1:])}")
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, Linux {platform.release()}, Python {platform.python_version()}, "
        f"watchfiles {watchfiles.VERSION}; load average {os.getloadavg()[0]:.1f}\n"
    )
    rows = []
    for pages in args.pages:
        with tempfile.TemporaryDirectory(prefix="sitegen-watch-bench-") as scratch:
            site = corpus.make_site(Path(scratch) / "site", pages) if pages else _real_site(Path(scratch) / "site")
            label = f"{pages:,} articles" if pages else "the real site"
            for mode in args.modes:
                cmd = [sys.executable, __file__, "--child", str(site), mode]
                cmd += ["--idle", str(args.idle), "--edits", str(args.edits)]
                found = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
                watcher = "watchfiles (OS events)" if found["mode"] == "os events" else "40 ms scan (fallback)"
                rows.append(
                    f"| {label} | {found['files']:,} | {watcher} | {found['cpu_pct']:.1f} | "
                    f"save → rebuild callback: {_ms(found['latencies'])} |"
                )
                print(rows[-1], flush=True)
            if args.serve:
                found = run_serve(site, args.idle, args.edits)
                rows.append(
                    f"| {label} | | `build.py serve` (first build {found['first_build']:.0f} s) | "
                    f'{found["cpu_pct"]:.1f} | save → "Rebuilt" logged (includes the build): '
                    f"{_ms(found['latencies'])}{_failures(found['failed'])} |"
                )
                print(rows[-1], flush=True)
    print(f"\nIdle CPU over {args.idle:g} s, % of one core (target: under {TARGET_PCT:g} % at 10,000); times in ms,")
    print(f"median / max of {args.edits} saves.\n")
    print("| site | files watched | watcher | idle CPU % | save → rebuilt, ms (median / max) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


def _real_site(folder: Path) -> Path:
    return corpus.make_site(folder, 0)


if __name__ == "__main__":
    sys.exit(main())
