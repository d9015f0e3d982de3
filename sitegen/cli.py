"""The command line: build, check, new, serve, sources, reviews. Only this module prints and sets up logging."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
import unicodedata
from dataclasses import asdict
from pathlib import Path

from .build import BuildOptions, build_site, load_site, today
from .cli_args import UsageError, make_parser, unknown_options, with_command
from .drafts import find_drafts, next_order
from .errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, WARNING, SiteError, errors_in
from .linkcheck import OK, check_links, links_text
from .page_types import PAGE_TYPES
from .reports import as_json, reviews_report, reviews_text, sources_report, sources_text
from .scaffold import NEW_PAGE


def main(argv: list[str] | None = None, default_source: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser(default_source or Path.cwd())
    try:
        args, extras = parser.parse_known_args(with_command(argv))
        if extras:
            raise UsageError(unknown_options(parser, args.command, extras))
    except UsageError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return COMMAND_RUNNERS[args.command](args)
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
    options = BuildOptions(args.source, args.out, args.base_url, args.drafts, **_speed_options(args))
    try:
        result = build_site(options, progress=terminal_progress())
    except SiteError as exc:
        print_problems(exc.problems)
        print(f"Build failed: {_summary(exc.problems)}. The previous output was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    _print_notes(result)
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


def _speed_options(args) -> dict:
    return {"jobs": args.jobs, "use_cache": not args.no_cache, "cache_dir": args.cache_dir}


def _print_notes(result) -> None:
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)


def cmd_check(args) -> int:
    options = BuildOptions(args.source, None, args.base_url, args.drafts, write=False, **_speed_options(args))
    skipped = "" if args.drafts else _skipped_drafts(args.source)
    try:
        result = build_site(options)
    except SiteError as exc:
        print_problems(exc.problems)
        print(f"Check failed: {_summary(exc.problems)}{skipped}.", file=sys.stderr)
        return EXIT_PROBLEMS
    _print_grades(result.grades, _grade_limit(result.warnings))
    sys.stdout.flush()
    _print_notes(result)
    print_problems(result.warnings)
    failed = args.strict and result.warnings
    verdict = "failed (--strict: warnings count)" if failed else "passed"
    print(f"Check {verdict}: {result.pages} pages, {_summary(result.warnings)} in {result.seconds:.2f} s{skipped}")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _skipped_drafts(source_dir: Path) -> str:
    count = len(find_drafts(source_dir / "content"))
    if not count:
        return ""
    return f"; skipped {count} draft{'s' if count != 1 else ''} (check with --drafts)"


def _grade_limit(problems) -> set[str]:
    """The pages whose reading grade is outside the site's band (they have a warning)."""
    return {p.rel_path for p in problems if p.message.startswith("reading grade ")}


def _print_grades(grades: dict, outside: set[str]) -> None:
    measured = {k: v for k, v in grades.items() if v is not None}
    if not measured:
        return
    print("Reading grade (Flesch-Kincaid, US school grade; ! = outside the site's band, see the warnings below):")
    for rel_path, grade in sorted(measured.items()):
        mark = "!" if rel_path in outside else " "
        print(f"  {grade:5.1f} {mark} {rel_path}")


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def cmd_new(args) -> int:
    slug = slugify(args.title)
    if not slug:
        print("new: the title needs at least one letter or digit", file=sys.stderr)
        return EXIT_USAGE
    folder = args.source / "content" / (PAGE_TYPES["guide"].folder if args.kind == "guide" else "")
    target = folder / f"{slug}.md"
    if target.exists():
        print(f"new: {target} already exists; nothing was changed (choose another title)", file=sys.stderr)
        return EXIT_PROBLEMS
    folder.mkdir(parents=True, exist_ok=True)
    title = args.title.replace("\\", "\\\\").replace('"', '\\"')
    with open(target, "x", encoding="utf-8") as handle:
        order = next_order(folder, args.source / "content")
        handle.write(NEW_PAGE.format(title=title, today=today().isoformat(), order=order))
    print(
        f"Created {target} (a draft: preview it with 'python build.py serve --drafts'; set 'draft: false' to publish)"
    )
    return EXIT_OK


def _load_for_report(args):
    """The site as a report reads it, or None after printing why it could not be loaded."""
    try:
        site, problems = load_site(args.source.resolve(), BuildOptions(args.source, base_url=args.base_url), [])
    except SiteError as exc:
        problems, site = exc.problems, None
    if site is None or errors_in(problems):
        print_problems(errors_in(problems))
        print("The site did not load; fix the problems above (python build.py check lists them all).", file=sys.stderr)
        return None
    return site


def cmd_sources(args) -> int:
    site = _load_for_report(args)
    if site is None:
        return EXIT_PROBLEMS
    report = sources_report(site, today())
    if not args.check_links:
        print(as_json(report) if args.json else sources_text(report), end="")
        return EXIT_OK
    urls = {row.key: row.url for row in report.sources if row.url}
    results = check_links(urls, timeout=args.timeout)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2, sort_keys=True))
    else:
        print(sources_text(report) + "\nLinks:\n" + links_text(results), end="")
    return EXIT_OK if all(r.status == OK for r in results) else EXIT_PROBLEMS


def cmd_reviews(args) -> int:
    site = _load_for_report(args)
    if site is None:
        return EXIT_PROBLEMS
    rows = reviews_report(site, today(), args.within)
    text = as_json(rows) if args.json else reviews_text(rows, site.config.review_interval_days, args.within)
    print(text, end="")
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


COMMAND_RUNNERS = {
    "build": cmd_build,
    "check": cmd_check,
    "new": cmd_new,
    "serve": cmd_serve,
    "sources": cmd_sources,
    "reviews": cmd_reviews,
}


if __name__ == "__main__":
    sys.exit(main(default_source=Path(os.getcwd())))
