"""Where a build's time goes: run one build (the real command line) with each stage's function
timed, and print the seconds of each.

    python bench/phases.py --source SITE --out OUT [--no-cache] [--jobs N]

Stages: the no-change shortcut (inputs_key, recall, remember), load_site, render_site (Markdown,
templates, glossary links), measure_outputs (parse and grade every page, cached on its bytes),
run_checks, write_output (of which _write_files or _small_update: the files; index_search: Pagefind).
A stage not reached (e.g. everything after recall on a no-change build) is not printed."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sitegen.build as build  # noqa: E402
import sitegen.build_memo as build_memo  # noqa: E402
import sitegen.search_index as search_index  # noqa: E402
import sitegen.write as write  # noqa: E402
from sitegen.cli import main  # noqa: E402

TIMES: dict[str, float] = {}


def timed(module, name: str) -> None:
    function = getattr(module, name)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


for stage in ("load_site", "render_site", "measure_outputs", "run_checks", "write_output"):
    timed(build, stage)
for stage in ("_write_files", "_small_update"):
    timed(write, stage)
for stage in ("inputs_key", "recall", "remember"):
    timed(build_memo, stage)
timed(search_index, "index_search")  # search_step looks it up when the build writes

if __name__ == "__main__":
    started = time.perf_counter()
    code = main(["build", *sys.argv[1:]])
    total = time.perf_counter() - started
    print(f"total {total:.2f} s: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in TIMES.items()))
    sys.exit(code)
