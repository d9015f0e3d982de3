#!/usr/bin/env python3
"""Lighthouse audit of the built site, for people to read (`make audit`; not a test).

Builds the site, serves it on 127.0.0.1 and runs Lighthouse with Debian's chromium over
home, the first guide, compare and FAQ, as mobile and desktop, several runs each. For
each pair it keeps the run with the median performance score (scores vary by about
±5 points on a shared 2-core machine) and writes audit-report/report.md plus the raw
JSON of every run, and full-page screenshots of the same pages at 375 and 1280 px
(audit-report/screenshots/) for a person to look at. Exits non-zero only when the site cannot be built or Lighthouse
cannot run; low scores are reported, not failed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install it with: bash scripts/install_system_deps.sh"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
    " --disable-background-networking --disable-component-update --disable-sync"
    " --disable-dev-shm-usage"
    ' --host-resolver-rules="MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"'
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["mobile", "desktop"]
SCREENSHOT_WIDTHS = (375, 1280)
PLAYWRIGHT_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
RUN_TIMEOUT_S = 240
BUILD_TIMEOUT_S = 300


class AuditError(Exception):
    """The audit cannot go on: the build failed or Lighthouse did not run."""


def build_site(out_dir: Path) -> None:
    cmd = [sys.executable, "build.py", "--out", str(out_dir)]
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"build.py did not finish in {BUILD_TIMEOUT_S} s") from exc
    if proc.returncode != 0:
        raise AuditError(f"build.py exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")


def pick_pages(out_dir: Path) -> dict[str, str]:
    """Name -> URL path of the pages to audit; pages the site lacks are left out."""
    guides = sorted(p.parent.name for p in out_dir.glob("guides/*/index.html"))
    first_guide = f"/guides/{guides[0]}/" if guides else None
    wanted = {"home": "/", "guide": first_guide, "compare": "/compare/", "faq": "/faq/"}
    pages = {}
    for name, url in wanted.items():
        if url and (out_dir / url.strip("/") / "index.html").is_file():
            pages[name] = url
        else:
            print(f"audit: no {name} page in the build; leaving it out", file=sys.stderr)
    if not pages:
        raise AuditError(f"none of {list(wanted)} was built in {out_dir}")
    return pages


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(out_dir: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(out_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_lighthouse(url: str, form_factor: str, json_path: Path) -> dict:
    """One Lighthouse run; returns its JSON result (lhr)."""
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={json_path}"]
    cmd += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AuditError(f"lighthouse took over {RUN_TIMEOUT_S} s on {url}") from exc
    if proc.returncode != 0 or not json_path.is_file():
        raise AuditError(f"lighthouse exited {proc.returncode} on {url}:\n{proc.stderr[-2000:]}")
    lhr = json.loads(json_path.read_text())
    if lhr.get("runtimeError"):
        raise AuditError(f"lighthouse failed on {url}: {lhr['runtimeError']['message']}")
    return lhr


def score(lhr: dict, category: str) -> int | None:
    value = lhr["categories"][category]["score"]
    return None if value is None else round(value * 100)


def summarize(name: str, form_factor: str, runs: list[dict]) -> dict:
    """The run with the median performance score stands for the page."""
    ranked = sorted(runs, key=lambda lhr: score(lhr, "performance") or -1)
    median = ranked[len(ranked) // 2]
    row = {"page": name, "form factor": form_factor}
    row |= {category: score(median, category) for category in CATEGORIES}
    row["transfer KB"] = round(median["audits"]["total-byte-weight"]["numericValue"] / 1024, 1)
    row["performance runs"] = [score(lhr, "performance") for lhr in runs]
    row["lighthouse"] = f"Lighthouse {median['lighthouseVersion']}"
    return row


def render_table(rows: list[dict]) -> str:
    headers = ["page", "form factor", *CATEGORIES, "transfer KB", "performance runs"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = ["n/a" if row[h] is None else str(row[h]) for h in headers]
        cells[-1] = ", ".join("n/a" if s is None else str(s) for s in row["performance runs"])
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def audit_page(url: str, name: str, runs: int, raw_dir: Path) -> list[dict]:
    """Table rows for one page: mobile and desktop, each the median of `runs` runs."""
    rows = []
    for form_factor in FORM_FACTORS:
        results = []
        for n in range(1, runs + 1):
            print(f"audit: {name} {form_factor} run {n}/{runs}", file=sys.stderr)
            json_path = raw_dir / f"{name}-{form_factor}-{n}.json"
            results.append(run_lighthouse(url, form_factor, json_path))
        rows.append(summarize(name, form_factor, results))
    return rows


def take_screenshots(base_url: str, pages: dict[str, str], shot_dir: Path) -> None:
    """Full-page PNGs of each audited page at a phone and a desktop width."""
    from playwright.sync_api import sync_playwright

    shot_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=PLAYWRIGHT_ARGS)
        try:
            for name, path in pages.items():
                for width in SCREENSHOT_WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(base_url + path, wait_until="networkidle")
                    page.screenshot(path=shot_dir / f"{name}-{width}.png", full_page=True, animations="disabled")
                    page.close()
        finally:
            browser.close()


def audit(report_dir: Path, runs: int) -> str:
    """Build, serve, run Lighthouse; write the report and return its table."""
    shutil.rmtree(report_dir, ignore_errors=True)
    (report_dir / "raw").mkdir(parents=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitegen-audit-") as tmp:
        out_dir = Path(tmp) / "site"
        build_site(out_dir)
        with serve(out_dir) as base_url:
            pages = pick_pages(out_dir)
            take_screenshots(base_url, pages, report_dir / "screenshots")
            for name, path in pages.items():
                rows += audit_page(base_url + path, name, runs, report_dir / "raw")
    table = render_table(rows)
    header = f"# Lighthouse audit\n\n{rows[0]['lighthouse']}, Debian chromium, median performance of {runs} run(s).\n\n"
    (report_dir / "report.md").write_text(header + table + "\n")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and form factor")
    parser.add_argument("--report-dir", type=Path, default=REPO_ROOT / "audit-report")
    args = parser.parse_args(argv)
    for tool in (LIGHTHOUSE, Path(CHROMIUM)):
        if not tool.is_file():
            print(f"audit: {tool} is missing; {INSTALL_HINT}", file=sys.stderr)
            return 1
    try:
        table = audit(args.report_dir.resolve(), max(1, args.runs))
    except AuditError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 1
    print(table)
    print(f"\nReport: {args.report_dir / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
