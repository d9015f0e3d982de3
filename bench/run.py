#!/usr/bin/env python3
"""Build-speed benchmark: the real site, and a synthetic site of N generated guides.

usage: python bench/run.py [--pages 1000] [--repeat 3]
Prints the median wall time of each build and pages per second. Numbers belong in notes, not tests.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.build import BuildOptions, build_site  # noqa: E402

PARAGRAPH = (
    "Massage may help some people feel calmer for a short time [@src-{k}]. "
    "Studies are small, so the evidence is limited. See [the first guide](guide-0001.md#section-2).\n\n"
)


def make_synthetic_site(folder: Path, pages: int) -> Path:
    """A copy of the real site's templates, assets and data, plus N generated guides."""
    for name in ("templates", "assets", "site.yaml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    shutil.copytree(ROOT / "content", folder / "content")
    guides = folder / "content" / "guides"
    sources = "".join(
        f"src-{k}:\n  title: Source {k}\n  publisher: Publisher {k}\n  year: 2024\n  url: https://example.org/{k}\n"
        for k in range(10)
    )
    with open(folder / "content/data/sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n" + sources)
    for n in range(pages):
        body = "".join(f"## Section {s}\n\n" + PARAGRAPH.format(k=(n + s) % 10) * 3 for s in range(1, 6))
        (guides / f"guide-{n:04d}.md").write_text(
            f"---\ntitle: Generated guide {n}\ndescription: A generated guide for the benchmark.\n"
            f"reviewed: 2026-11-01\norder: {100 + n}\nkey_points:\n  - Point one.\n---\n\n{body}",
            encoding="utf-8",
        )
    return folder


def time_build(source: Path, out: Path, repeat: int) -> tuple[float, int, float]:
    """Median seconds, page count, and peak traced memory (MB) of the first build."""
    times, pages, peak = [], 0, 0.0
    for run in range(repeat):
        if run == 0:
            tracemalloc.start()
        started = time.perf_counter()
        result = build_site(BuildOptions(source, out))
        times.append(time.perf_counter() - started)
        if run == 0:
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        pages = result.pages
    return statistics.median(times[1:] if len(times) > 1 else times), pages, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="generated guides in the synthetic site")
    parser.add_argument("--repeat", type=int, default=3, help="builds per site; the first is a warm-up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        seconds, pages, peak = time_build(ROOT, tmp_path / "real", args.repeat)
        print(f"real site:      {pages:5d} pages in {seconds:6.2f} s = {pages / seconds:7.1f} pages/s")
        synthetic = make_synthetic_site(tmp_path / "synthetic", args.pages)
        seconds, pages, peak = time_build(synthetic, tmp_path / "synthetic-out", args.repeat)
        print(
            f"synthetic site: {pages:5d} pages in {seconds:6.2f} s = {pages / seconds:7.1f} pages/s "
            f"(peak traced memory of a build: {peak:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
