#!/usr/bin/env python3
"""Build-speed benchmark: clean, no-change and one-edit builds of N synthetic articles in a copy of
the real site, and the same articles built by Hugo, Eleventy, Pelican and MkDocs where installed.

usage: python bench/run.py [--pages 100 1000 10000] [--jobs N] [--peers-bin DIR] [--eleventy PATH]
                           [--results bench/RESULTS.md] [--timeout 900]
Each build runs as its own process; wall time, CPU time (user + sys, workers included) and peak
resident memory come from os.wait4. A benchmark, not a test: numbers go in RESULTS.md, never in CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = corpus.ROOT
PEERS = ("hugo", "eleventy", "pelican", "mkdocs")


@dataclass
class Timing:
    wall: float
    cpu: float
    peak_mb: float
    ok: bool
    note: str = ""


def measure(cmd: list[str], cwd: Path, timeout: float) -> Timing:
    started = time.perf_counter()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764633600"}
    errors = tempfile.TemporaryFile()  # a pipe would fill with warnings and stall the build
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            proc.wait()
            return Timing(timeout, 0, 0, False, "timed out")
        time.sleep(0.005)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors.seek(0)
    err = errors.read().decode(errors="replace").strip().splitlines()
    note = "" if proc.returncode == 0 else (err[-1] if err else f"exit {proc.returncode}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode == 0, note)


def ours(tmp: Path, pages: int, jobs: int, timeout: float) -> dict[str, Timing]:
    site = corpus.make_site(tmp / "site", pages)
    build = [sys.executable, str(ROOT / "build.py"), "--source", str(site), "--jobs", str(jobs)]
    found = {"clean": measure(build + ["--no-cache", "--out", str(tmp / "clean")], tmp, timeout)}
    measure(build + ["--out", str(tmp / "out")], tmp, timeout)  # fills the cache
    found["no-change"] = measure(build + ["--out", str(tmp / "out")], tmp, timeout)
    corpus.edit_one(site)
    found["one-edit"] = measure(build + ["--out", str(tmp / "out")], tmp, timeout)
    return found


def find_peers(args) -> dict[str, str]:
    found = {}
    for name in ("hugo", "pelican", "mkdocs"):
        path = shutil.which(name, path=str(args.peers_bin)) if args.peers_bin else None
        found[name] = path or shutil.which(name)
    found["eleventy"] = args.eleventy or shutil.which("eleventy")
    for name, path in found.items():
        if not path:
            print(f"note: {name} not found (on PATH, --peers-bin or --eleventy): skipped")
    return {name: path for name, path in found.items() if path}


def peer_command(name: str, binary: str, folder: Path) -> list[str]:
    return {
        "hugo": [binary, "--source", str(folder), "--destination", str(folder / "public"), "--quiet"],
        "eleventy": [binary, "--input=src", "--output=_site", "--quiet"],
        "pelican": [binary, "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        "mkdocs": [binary, "build", "-q", "-d", "site"],
    }[name]


def peer_clean(name: str, binary: str, tmp: Path, pages: int, timeout: float) -> Timing:
    folder = getattr(corpus, f"make_{name}")(tmp / name, pages)
    return measure(peer_command(name, binary, folder), folder, timeout)


def version_of(name: str, binary: str) -> str:
    flag = ["version"] if name == "hugo" else ["--version"]
    try:
        out = subprocess.run([binary, *flag], capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    lines = [line for line in (out.stdout + out.stderr).splitlines() if re.search(r"\d+\.\d+", line)]
    return re.sub(r"\x1b\[[0-9;]*m", "", lines[-1]).strip()[:70] if lines else "?"


def machine() -> str:
    cpu = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpu if "model name" in line), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line), 0)
    gib = int(memory) / 1024 / 1024
    return (
        f"{os.cpu_count()} CPUs ({model}), {gib:.1f} GiB RAM, {platform.platform()}, Python {platform.python_version()}"
    )


def row(label: str, t: Timing, pages: int) -> str:
    if not t.ok:
        return f"| {label} | failed: {t.note} | | | |"
    return f"| {label} | {t.wall:.2f} | {t.cpu:.2f} | {t.peak_mb:.0f} | {pages / t.wall:.0f} |"


def run_size(pages: int, args, peers: dict) -> list[str]:
    lines = [
        f"\n### N = {pages:,} articles\n",
        "| build | wall s | CPU s | peak MB | pages/s |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        timings = ours(Path(tmp), pages, args.jobs, args.timeout)
        lines += [row(f"sitegen {kind} (--jobs {args.jobs})", t, pages) for kind, t in timings.items()]
        clean = timings["clean"]
        ratios = []
        for name, binary in peers.items():
            t = peer_clean(name, binary, Path(tmp), pages, args.timeout)
            lines.append(row(f"{name} clean", t, pages))
            if t.ok and clean.ok:
                ratios.append(f"{name} {t.wall / clean.wall:.2f}×")
        if ratios:
            lines.append(f"\nPeer clean time ÷ sitegen clean time (above 1: sitegen is faster): {', '.join(ratios)}.")
    for line in lines:
        print(line, flush=True)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000], help="corpus sizes")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="sitegen's --jobs")
    parser.add_argument("--peers-bin", type=Path, help="folder holding hugo, pelican and mkdocs")
    parser.add_argument("--eleventy", help="the eleventy executable")
    parser.add_argument("--no-peers", action="store_true", help="time sitegen only")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a build is given up")
    parser.add_argument("--results", type=Path, help="write a Markdown report here (e.g. bench/RESULTS.md)")
    args = parser.parse_args()
    peers = {} if args.no_peers else find_peers(args)
    header = [
        "# Build benchmark results",
        "",
        f"Command: `python bench/run.py {' '.join(sys.argv[1:])}`",
        "",
        f"Machine: {machine()}",
        "",
        "Versions: " + ", ".join(f"{name}: {version_of(name, binary)}" for name, binary in peers.items()),
    ]
    print("\n".join(header), flush=True)
    lines = header + [line for pages in args.pages for line in run_size(pages, args, peers)]
    if args.results:
        args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
