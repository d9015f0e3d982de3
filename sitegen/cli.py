"""The command line: build, check, new, serve. Only this module prints and sets up logging."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import traceback
import unicodedata
from pathlib import Path

from .build import BuildOptions, build_site, today
from .errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, WARNING, SiteError
from .scaffold import NEW_PAGE

COMMANDS = ("build", "check", "new", "serve")


def _common(parser: argparse.ArgumentParser, default_source: Path) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=default_source,
        metavar="DIR",
        help="site folder holding site.yaml, content/, templates/, assets/ (default: %(default)s)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="public address of the site, overriding site.yaml (e.g. https://example.org/guide/)",
    )
    parser.add_argument("--drafts", action="store_true", help="include pages marked 'draft: true'")


def make_parser(default_source: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the massage guide site from content/ into a static folder."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_command in (_add_build, _add_check, _add_new, _add_serve):
        add_command(sub, default_source)
    return parser


def _add_build(sub, default_source: Path) -> None:
    build = sub.add_parser(
        "build",
        help="build the site into the output folder (the default command)",
        description="Build the site into the output folder. A failed build leaves the previous output untouched.",
    )
    _common(build, default_source)
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: SOURCE/_site)")


def _add_check(sub, default_source: Path) -> None:
    check = sub.add_parser(
        "check",
        help="load, render and check everything without writing",
        description="Check every page, data file and template without writing anything. Exit 1 on any error.",
    )
    _common(check, default_source)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")


def _add_new(sub, default_source: Path) -> None:
    new = sub.add_parser(
        "new",
        help="start a new page with valid front matter",
        description="Create a new Markdown page. Never overwrites a file.",
    )
    new.add_argument("kind", choices=("guide", "page"), help="'guide' goes in content/guides/, 'page' in content/")
    new.add_argument("title", help="the page title, in quotes")
    new.add_argument(
        "--source", type=Path, default=default_source, metavar="DIR", help="site folder (default: %(default)s)"
    )


def _add_serve(sub, default_source: Path) -> None:
    serve = sub.add_parser(
        "serve",
        help="build, serve and rebuild on every change (live preview)",
        description="Build the site, serve it on this computer and rebuild when a file changes. "
        "Open pages reload by themselves.",
    )
    _common(serve, default_source)
    serve.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: a temporary folder, removed on exit)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")


def main(argv: list[str] | None = None, default_source: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build"] + argv
    parser = make_parser(default_source or Path.cwd())
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve}[args.command](args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return EXIT_OK
    except Exception:  # noqa: BLE001 - the last line of defence: say it is a bug, not the editor's fault
        traceback.print_exc()
        print(
            "This is a bug in the site generator, not in your content. Please report it with the lines above.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS


def print_problems(problems) -> None:
    for number, problem in enumerate(problems, 1):
        print(f"{number}. {problem.format()}", file=sys.stderr)


def _summary(problems) -> str:
    errors = sum(1 for p in problems if p.level != WARNING)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def terminal_progress():
    """A progress line for long builds in a terminal; nothing in CI or when output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        if total >= 200 and (done % 50 == 0 or done == total):
            end = "\n" if done == total else ""
            print(f"\rRendering pages: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_build(args) -> int:
    options = BuildOptions(args.source, args.out, args.base_url, args.drafts)
    try:
        result = build_site(options, progress=terminal_progress())
    except SiteError as exc:
        print_problems(exc.problems)
        print(f"Build failed: {_summary(exc.problems)}. The previous output was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    print_problems(result.warnings)
    print(
        f"Built {result.pages} pages, {result.assets} assets, {len(result.warnings)} warnings "
        f"in {result.seconds:.2f} s → {_shown(result.out_dir)}"
    )
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_check(args) -> int:
    options = BuildOptions(args.source, None, args.base_url, args.drafts, write=False)
    try:
        result = build_site(options)
    except SiteError as exc:
        print_problems(exc.problems)
        print(f"Check failed: {_summary(exc.problems)}.", file=sys.stderr)
        return EXIT_PROBLEMS
    print_problems(result.warnings)
    _print_grades(result.grades)
    failed = args.strict and result.warnings
    verdict = "failed (--strict: warnings count)" if failed else "passed"
    print(f"Check {verdict}: {result.pages} pages, {_summary(result.warnings)} in {result.seconds:.2f} s")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print_grades(grades: dict) -> None:
    measured = {k: v for k, v in grades.items() if v is not None}
    if not measured:
        return
    print("Reading grade (Flesch-Kincaid, US school grade):")
    for rel_path, grade in sorted(measured.items()):
        print(f"  {grade:5.1f}  {rel_path}")


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def cmd_new(args) -> int:
    slug = slugify(args.title)
    if not slug:
        print("new: the title needs at least one letter or digit", file=sys.stderr)
        return EXIT_USAGE
    folder = args.source / "content" / ("guides" if args.kind == "guide" else "")
    target = folder / f"{slug}.md"
    if target.exists():
        print(f"new: {target} already exists; nothing was changed (choose another title)", file=sys.stderr)
        return EXIT_PROBLEMS
    folder.mkdir(parents=True, exist_ok=True)
    title = args.title.replace("\\", "\\\\").replace('"', '\\"')
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(NEW_PAGE.format(title=title, today=today().isoformat()))
    print(
        f"Created {target} (a draft: preview it with 'python build.py serve --drafts'; set 'draft: false' to publish)"
    )
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve  # livereload and tornado load only when serving

    log_to_terminal()
    return serve(
        args.source,
        host=args.host,
        port=args.port,
        out_dir=args.out,
        base_url=args.base_url,
        drafts=args.drafts,
        open_browser=args.open,
    )


def log_to_terminal() -> None:
    """The generator's log as time-stamped lines on stderr (the stream current now: tests swap it)."""
    logger = logging.getLogger("sitegen")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    logger.handlers[0].setStream(sys.stderr)
    logger.setLevel(logging.INFO)
    logger.propagate = False


if __name__ == "__main__":
    sys.exit(main(default_source=Path(os.getcwd())))
