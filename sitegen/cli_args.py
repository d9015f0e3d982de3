"""The command line's grammar: each command's options, and did-you-mean for a mistyped command or
option (cli.py runs the commands and prints)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .hints import did_you_mean
from .render_pool import default_jobs

COMMANDS = ("build", "check", "new", "serve", "sources", "reviews")
WITHIN_RE = re.compile(r"^(\d+)\s*([dw]?)$")


class UsageError(Exception):
    """A mistake in the command line: the message says what is wrong and how to fix it."""


def _common(parser: argparse.ArgumentParser, default_source: Path, drafts: bool = True) -> None:
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
    if drafts:
        parser.add_argument("--drafts", action="store_true", help="include pages marked 'draft: true'")


def make_parser(default_source: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the massage guide site from content/ into a static folder."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_command in (_add_build, _add_check, _add_new, _add_serve, _add_sources, _add_reviews):
        add_command(sub, default_source)
    parser.set_defaults(commands=sub.choices)
    return parser


def _add_build(sub, default_source: Path) -> None:
    build = sub.add_parser(
        "build",
        help="build the site into the output folder (the default command)",
        description="Build the site into the output folder. A failed build leaves the previous output untouched.",
    )
    _common(build, default_source)
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: SOURCE/_site)")
    _speed(build)


def _speed(parser: argparse.ArgumentParser) -> None:
    """--jobs and the build cache: how fast, never what is built."""
    parser.add_argument(
        "--jobs", type=_positive, default=default_jobs(), metavar="N", help="processes to use (default: %(default)s)"
    )
    parser.add_argument("--no-cache", action="store_true", help="build from nothing; leave the build cache alone")
    parser.add_argument(
        "--cache-dir", type=Path, metavar="DIR", help="where the build cache lives (default: SOURCE/.cache/sitegen)"
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs needs a whole number of 1 or more, not '{text}'")
    return int(text)


def _add_check(sub, default_source: Path) -> None:
    check = sub.add_parser(
        "check",
        help="load, render and check everything without writing",
        description="Check every page, data file and template without writing anything. Exit 1 on any error.",
    )
    _common(check, default_source)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    _speed(check)


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


def _add_sources(sub, default_source: Path) -> None:
    sources = sub.add_parser(
        "sources",
        help="list every source, where it is cited, and those that need attention",
        description="Every source key with its title and where it is cited; sources never cited, "
        "accessed longer ago than the review interval, or on plain http://.",
    )
    _common(sources, default_source, drafts=False)
    sources.add_argument("--json", action="store_true", help="print JSON instead of text (for CI)")
    sources.add_argument(
        "--check-links",
        action="store_true",
        help="also ask every source's address whether it still answers (needs the internet)",
    )
    sources.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each address")


def _add_reviews(sub, default_source: Path) -> None:
    reviews = sub.add_parser(
        "reviews",
        help="list each page's review date and when the next review is due",
        description="Every page with its 'reviewed' date and next due date, soonest first; overdue ones marked.",
    )
    _common(reviews, default_source, drafts=False)
    reviews.add_argument("--json", action="store_true", help="print JSON instead of text (for CI)")
    reviews.add_argument(
        "--within", type=parse_within, metavar="DAYS", help="only pages due within this time, e.g. 60d or 8w"
    )


def parse_within(text: str) -> int:
    """'60d', '60' or '8w' -> days."""
    match = WITHIN_RE.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time like 60d (days) or 8w (weeks)")
    return int(match[1]) * (7 if match[2] == "w" else 1)


def with_command(argv: list[str]) -> list[str]:
    """``argv`` with 'build' put first when no command is named; a word that looks like a mistyped
    command is a usage error, not a page of 'unrecognized arguments'."""
    if argv and argv[0] in COMMANDS + ("-h", "--help"):
        return argv
    if argv and not argv[0].startswith("-"):
        hint = did_you_mean(argv[0], COMMANDS) or f"the commands are: {', '.join(COMMANDS)}"
        raise UsageError(f"unknown command '{argv[0]}' ({hint})")
    return ["build"] + argv


def unknown_options(parser: argparse.ArgumentParser, command: str, extras: list[str]) -> str:
    """The message for arguments the command does not take, each with its closest option."""
    options = [o for action in parser.get_default("commands")[command]._actions for o in action.option_strings]
    words, hinted = [], False
    for extra in extras:
        name = extra.split("=", 1)[0]
        guess = did_you_mean(name, options) if name.startswith("-") else ""
        hinted = hinted or bool(guess)
        words.append(f"'{extra}'" + (f" ({guess})" if guess else ""))
    noun = "option" if len(words) == 1 else "options"
    message = f"{command}: unknown {noun} {', '.join(words)}"
    return message if hinted else f"{message} (see 'build.py {command} --help')"
