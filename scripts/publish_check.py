#!/usr/bin/env python3
"""Everything a deploy needs to be true, in one run (`make publish-check`; CI runs it too).

Builds the site into _site/ (or --out), runs `build.py check --strict`, validates sitemap.xml
against the sitemaps.org 0.9 schema and the Atom feed with feedparser, checks that both only
point at pages that exist under the base URL, then prints a one-screen summary: pages, files,
total size, largest page and warnings. Exits 1 if any step fails, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
SITEMAP_XSD = REPO_ROOT / "tests" / "data" / "sitemap.xsd"
SHOWN_WARNINGS = 8  # keep the summary on one screen
INSTALL_HINT = "install the pinned tools with: make setup (or pip install -r requirements-dev.txt)"

sys.path.insert(0, str(REPO_ROOT))

from sitegen.build import BuildOptions, BuildResult, build_site  # noqa: E402
from sitegen.errors import SiteError  # noqa: E402
from sitegen.load import load_config  # noqa: E402


@dataclass
class Report:
    """What each step found: one line per step, plus every failure in full."""

    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def step(self, name: str, ok: bool, detail: str) -> None:
        self.lines.append(f"  {name:<15} {'ok  ' if ok else 'FAIL'}  {detail}")

    def fail(self, name: str, detail: str, problems: list[str]) -> None:
        self.step(name, False, detail)
        self.failures += [f"{name}: {p}" for p in problems]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO_ROOT, metavar="DIR", help="site folder (default: repo)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default: SOURCE/_site)")
    parser.add_argument("--base-url", metavar="URL", help="public address, e.g. https://example.org/massage-guide/")
    return parser.parse_args(argv)


def run_build(source: Path, out: Path, base_url: str | None, report: Report) -> BuildResult | None:
    try:
        result = build_site(BuildOptions(source, out, base_url))
    except SiteError as exc:
        report.fail("build", f"{len(exc.problems)} problem(s)", [p.format() for p in exc.problems])
        return None
    report.step("build", True, f"{result.pages} pages, {result.assets} assets in {result.seconds:.2f} s")
    return result


def run_strict_check(source: Path, base_url: str | None, report: Report) -> None:
    """The very command CI and editors run, so the verdict is the same one they see."""
    cmd = [sys.executable, str(source / "build.py"), "check", "--strict", "--source", str(source)]
    if base_url:
        cmd += ["--base-url", base_url]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = (done.stdout + done.stderr).strip().splitlines()
    verdict = next((line for line in reversed(lines) if line.startswith("Check ")), "no verdict")
    if done.returncode == 0:
        report.step("check --strict", True, verdict.removeprefix("Check "))
    else:
        problems = [line for line in lines if line[:1].isdigit() and ". " in line[:6]] or lines[-20:]
        report.fail("check --strict", verdict.removeprefix("Check "), problems)


def output_path_for(url: str, base_url: str) -> str | None:
    """The file in the output folder that serves a URL under the base URL, or None if outside it."""
    if not url.startswith(base_url):
        return None
    rest = urlsplit(url[len(base_url) :]).path
    return rest + "index.html" if rest == "" or rest.endswith("/") else rest


def missing_targets(urls: list[str], base_url: str, out: Path) -> list[str]:
    problems = []
    for url in urls:
        output_path = output_path_for(url, base_url)
        if output_path is None:
            problems.append(f"{url} is outside the base URL {base_url}")
        elif not (out / output_path).is_file():
            problems.append(f"{url} points at {output_path}, which the build did not write")
    return problems


def check_sitemap(out: Path, base_url: str, report: Report) -> None:
    try:
        from lxml import etree
    except ImportError:
        report.fail("sitemap.xml", "lxml is missing", [INSTALL_HINT])
        return
    path = out / "sitemap.xml"
    if not path.is_file():
        report.fail("sitemap.xml", "not written", [f"{path} is missing"])
        return
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    try:
        doc = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        report.fail("sitemap.xml", "not well-formed XML", [str(exc)])
        return
    problems = [f"line {e.line}: {e.message}" for e in schema.error_log] if not schema.validate(doc) else []
    locs = [el.text or "" for el in doc.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    problems += missing_targets(locs, base_url, out)
    if problems:
        report.fail("sitemap.xml", f"{len(problems)} problem(s)", problems)
    else:
        report.step("sitemap.xml", True, f"{len(locs)} URLs, valid against the sitemaps.org 0.9 schema")


def check_feed(out: Path, base_url: str, report: Report) -> None:
    try:
        import feedparser
    except ImportError:
        report.fail("feed.xml", "feedparser is missing", [INSTALL_HINT])
        return
    path = out / "feed.xml"
    if not path.is_file():
        report.fail("feed.xml", "not written", [f"{path} is missing"])
        return
    feed = feedparser.parse(path.read_bytes())
    problems = [f"not a clean feed: {feed.get('bozo_exception')}"] if feed.bozo else []
    if not feed.entries:
        problems.append("the feed has no entries")
    links = [link.href for link in feed.feed.get("links", [])]
    links += [link.href for entry in feed.entries for link in entry.get("links", [])]
    problems += [f"{url} is outside the base URL {base_url}" for url in links if not url.startswith(base_url)]
    entry_links = [entry.link for entry in feed.entries if entry.get("link")]
    problems += missing_targets(entry_links, base_url, out)
    if problems:
        report.fail("feed.xml", f"{len(problems)} problem(s)", problems)
    else:
        report.step("feed.xml", True, f"{feed.version or 'feed'}, {len(feed.entries)} entries, parses cleanly")


def human_size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MB"


def summary(out: Path, result: BuildResult) -> list[str]:
    files = sorted(p for p in out.rglob("*") if p.is_file())
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size, default=None)
    largest_text = f"{largest.relative_to(out).as_posix()} ({largest.stat().st_size / 1024:.1f} KB)" if largest else "-"
    lines = [
        f"Pages:        {result.pages} ({len(pages)} HTML files)",
        f"Files:        {len(files)}",
        f"Total size:   {human_size(sum(p.stat().st_size for p in files))}",
        f"Largest page: {largest_text}",
        f"Warnings:     {len(result.warnings)}",
    ]
    lines += [f"  {p.format()}" for p in result.warnings[:SHOWN_WARNINGS]]
    if len(result.warnings) > SHOWN_WARNINGS:
        lines.append(f"  ... and {len(result.warnings) - SHOWN_WARNINGS} more (run: python build.py check)")
    return lines


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    source = args.source.resolve()
    out = (args.out or source / "_site").resolve()
    config, _ = load_config(source, args.base_url)
    base_url = config.base_url if config else (args.base_url or "")
    report = Report()
    print(f"Publish check: {shown(out)} for {base_url or '(no base URL: site.yaml does not load)'}")
    result = run_build(source, out, args.base_url, report)
    run_strict_check(source, args.base_url, report)
    if result is not None:
        check_sitemap(out, base_url, report)
        check_feed(out, base_url, report)
    print("\n".join(report.lines))
    if result is not None:
        print("\n".join(summary(out, result)))
    if report.failures:
        print(f"\nPublish check FAILED ({len(report.failures)} problem(s)):", file=sys.stderr)
        for number, failure in enumerate(report.failures, 1):
            print(f"{number}. {failure}", file=sys.stderr)
        return 1
    print("Publish check passed: the site in", shown(out), "is ready to deploy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
