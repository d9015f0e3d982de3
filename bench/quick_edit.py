#!/usr/bin/env python3
"""The preview's quick edit at N synthetic articles: how long a build takes after a save that
changes one article's text, and how long the search index then takes to catch up.

usage: python bench/quick_edit.py [--pages 10000] [--edits 8] [--jobs 2]
It makes the corpus (bench/corpus.py) in a temporary folder, runs the preview's first build
(preview_build.run_build, as `build.py serve` does: every core, the cache kept in memory), then
appends a line to one article --edits times, each followed by the preview's rebuild, and prints for
each the build's seconds, whether it was a quick edit (edit_path.py), the seconds until the search
index caught up (write.LateUpdates) and the garbage collector's pauses during the build; then the
process's peak memory (what the preview holds: its last build and the cache). The time
from the save to the browser adds the watcher's settle delay (~0.15 s); bench/watch_idle.py --serve
measures that whole path. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

sys.path.insert(0, str(corpus.ROOT))
from sitegen.build import BuildOptions  # noqa: E402
from sitegen.cache_store import BuildCache  # noqa: E402
from sitegen.preview_build import run_build  # noqa: E402
from sitegen.write import LateUpdates  # noqa: E402

PAUSES = [0.0, 0.0]  # seconds paused in the collector, when the current pause started


def _collector(phase: str, _info: dict) -> None:
    if phase == "start":
        PAUSES[1] = time.perf_counter()
    else:
        PAUSES[0] += time.perf_counter() - PAUSES[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2, help="processes for the first build")
    args = parser.parse_args()
    gc.callbacks.append(_collector)
    with tempfile.TemporaryDirectory(prefix="sitegen-quick-") as tmp:
        site = corpus.make_site(Path(tmp) / "site", args.pages)
        options = BuildOptions(site, Path(tmp) / "out", "http://127.0.0.1:8000/", jobs=args.jobs)
        cache, late = BuildCache.for_site(site), LateUpdates()
        started = time.perf_counter()
        first = run_build(options, cache, [])
        print(f"{args.pages:,} articles: first build {time.perf_counter() - started:.1f} s ({first.summary})")
        article = next(site.rglob("bench-00000.md"))
        builds, catch_ups = [], []
        for n in range(args.edits):
            with article.open("a", encoding="utf-8") as handle:
                handle.write(f"\nQuick edit {n}.\n")
            PAUSES[0] = 0.0
            started = time.perf_counter()
            outcome = run_build(options, cache, [], late)
            builds.append(time.perf_counter() - started)
            paused = PAUSES[0]
            started = time.perf_counter()
            late.wait()
            catch_ups.append(time.perf_counter() - started)
            quick = "just the edited page" if outcome.quick else "whole build"
            index = catch_ups[-1]
            print(f"edit {n}: build {builds[-1]:.3f} s ({quick}), collector {paused:.3f} s, index {index:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"build: median {statistics.median(builds):.3f} s, max {max(builds):.3f} s; "
        f"index caught up: median {statistics.median(catch_ups):.2f} s; the preview's peak memory {peak:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
