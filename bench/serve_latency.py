#!/usr/bin/env python3
"""Live-preview latency: seconds from saving a one-line edit of content/about.md (on a copy of the
real site) to the first paint of the open page that reloads by itself, in Debian's chromium.

usage: python bench/serve_latency.py      (target: median under 0.5 s)
It runs the browser scenario in tests/test_serve_browser.py, which records every edit's figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "test-artifacts" / "serve-latency.json"
TARGET_S = 0.5


def main() -> int:
    test = "tests/test_serve_browser.py::test_real_site_one_file_edit_reaches_the_open_page"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-2000:])
        return 1
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    verdict = "meets" if report["median_s"] <= TARGET_S else "MISSES"
    print(f"edit -> browser, {len(report['seconds'])} edits: median {report['median_s']} s, max {report['max_s']} s")
    print(f"each: {report['seconds']}  ({verdict} the {TARGET_S} s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
