"""A small declared schema for front matter, site.yaml and data files.

Validation never raises: it returns a cleaned value (bad fields dropped) and the
problems found, each at the file and line it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import Problem, error, warning
from .hints import closest
from .sanitize import check_markup
from .yamlfile import LineDict, LineList, is_date

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Located(str):
    """A string that remembers where it was written."""

    rel_path: str
    line: int

    def __new__(cls, text: str, rel_path: str, line: int):
        obj = super().__new__(cls, text)
        obj.rel_path, obj.line = rel_path, line
        return obj


class MarkdownText(Located):
    """Markdown from a data file, rendered to HTML when the site is assembled."""

    inline: bool = False


class SourceKey(Located):
    """A reference to an entry of sources.yaml, checked when the site is assembled."""


@dataclass(frozen=True)
class Field:
    kind: str  # text, md, inline_md, int, bool, date, url, id, source_key, choice, list, object, map
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    max_length: int = 0
    hint: str = ""
    noun: str = "key"  # what an unknown key is called in messages


def obj(required: bool = False, noun: str = "key", **fields: Field) -> Field:
    return Field("object", required=required, fields=fields, noun=noun)


def list_of(item: Field, required: bool = False) -> Field:
    return Field("list", required=required, item=item)


@dataclass(frozen=True)
class Ctx:
    rel_path: str
    line: int
    name: str

    def at(self, name: str, line: int) -> Ctx:
        return Ctx(self.rel_path, line, name)


KIND_WORDS = {
    "text": "text",
    "md": "text (Markdown)",
    "inline_md": "text (Markdown)",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date like 2026-11-20",
    "url": "a web address starting with https://",
    "doi": "a DOI like 10.1002/14651858.CD001929.pub3 (no https://doi.org/ in front)",
    "pmid": "a PubMed id: digits only, like 26329399",
    "id": "a short id of lowercase letters, digits and hyphens",
    "source_key": "a source key from content/data/sources.yaml",
    "list": "a list (lines starting with '- ')",
    "object": "a set of 'key: value' lines",
    "map": "a set of 'key: value' lines",
}


def validate(value, spec: Field, ctx: Ctx) -> tuple[object, list[Problem]]:
    """Check ``value`` against ``spec``; return (clean value or None, problems)."""
    return _VALIDATORS[spec.kind](value, spec, ctx)


def _wrong_type(value, spec: Field, ctx: Ctx) -> tuple[None, list[Problem]]:
    want = KIND_WORDS.get(spec.kind, spec.kind)
    got = "nothing" if value is None else f"{_describe(value)}"
    hint = spec.hint or f"write {want}"
    what = f"'{ctx.name}'" if ctx.name else "this file"
    return None, [error(ctx.rel_path, ctx.line, f"{what} should be {want}, not {got}", hint)]


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a set of key: value lines"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _text(value, spec: Field, ctx: Ctx):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return _wrong_type(value, spec, ctx)
    text = str(value).strip()
    if not text:
        return None, [error(ctx.rel_path, ctx.line, f"'{ctx.name}' is empty", "write some text")]
    problems = []
    if spec.max_length and len(text) > spec.max_length:
        problems.append(
            warning(
                ctx.rel_path,
                ctx.line,
                f"'{ctx.name}' is {len(text)} characters long",
                spec.hint or f"keep it to {spec.max_length} or fewer",
            )
        )
    if spec.kind in ("md", "inline_md"):
        md = MarkdownText(text, ctx.rel_path, ctx.line)
        md.inline = spec.kind == "inline_md"
        return md, problems  # its HTML is scanned for script once rendered
    problems += check_markup(text, text, ctx.rel_path, ctx.line)
    return Located(text, ctx.rel_path, ctx.line), problems


def _int(value, spec: Field, ctx: Ctx):
    if isinstance(value, bool) or not isinstance(value, int):
        return _wrong_type(value, spec, ctx)
    return value, []


def _bool(value, spec: Field, ctx: Ctx):
    if not isinstance(value, bool):
        return _wrong_type(value, spec, ctx)
    return value, []


def _date(value, spec: Field, ctx: Ctx):
    if isinstance(value, dt.datetime):
        return value.date(), []
    if not is_date(value):
        return _wrong_type(value, spec, ctx)
    return value, []


def _url(value, spec: Field, ctx: Ctx):
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+\.[^\s]+$", value.strip()):
        return _wrong_type(value, spec, ctx)
    return value.strip(), []


IDENTIFIER_RES = {
    "doi": re.compile(r"^10\.\d{4,9}/\S+$"),
    "pmid": re.compile(r"^[1-9]\d{0,8}$"),
}


def _identifier(value, spec: Field, ctx: Ctx):
    """A DOI or PMID: checked for form only; whether it is the right one is checked by a person."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not IDENTIFIER_RES[spec.kind].match(text):
        return _wrong_type(value, spec, ctx)
    return text, []


def _id(value, spec: Field, ctx: Ctx):
    if not isinstance(value, str) or not KEY_RE.match(value):
        return _wrong_type(value, spec, ctx)
    if spec.kind == "source_key":
        return SourceKey(value, ctx.rel_path, ctx.line), []
    return value, []


def _choice(value, spec: Field, ctx: Ctx):
    if isinstance(value, str) and value in spec.choices:
        return value, []
    options = ", ".join(spec.choices)
    guess = closest(str(value), spec.choices)
    hint = f"did you mean '{guess}'?" if guess else f"use one of: {options}"
    msg = f"'{ctx.name}' cannot be {_describe(value)}"
    return None, [error(ctx.rel_path, ctx.line, msg, hint)]


def _list(value, spec: Field, ctx: Ctx):
    if not isinstance(value, list):
        return _wrong_type(value, spec, ctx)
    clean, problems = [], []
    for index, item in enumerate(value):
        line = value.line_of(index) if isinstance(value, LineList) else ctx.line
        item_value, item_problems = validate(item, spec.item, ctx.at(f"{ctx.name}[{index + 1}]", line))
        problems += item_problems
        if item_value is not None:
            clean.append(item_value)
    return clean, problems


def _map(value, spec: Field, ctx: Ctx):
    """A mapping of id -> item (e.g. sources.yaml)."""
    if not isinstance(value, dict):
        return _wrong_type(value, spec, ctx)
    clean, problems = LineDict(), []
    clean.line, clean.key_lines = ctx.line, {}  # key lines: so a check can point at an entry
    for key, item in value.items():
        line = value.line_of(key) if isinstance(value, LineDict) else ctx.line
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(error(ctx.rel_path, line, f"'{key}' is not a valid key", KIND_WORDS["id"]))
            continue
        item_value, item_problems = validate(item, spec.item, ctx.at(key, line))
        problems += item_problems
        if item_value is not None:
            clean[key] = item_value
            clean.key_lines[key] = line
    return clean, problems


def _object(value, spec: Field, ctx: Ctx):
    if not isinstance(value, dict):
        return _wrong_type(value, spec, ctx)
    clean, problems = LineDict(), []
    clean.line = value.line if isinstance(value, LineDict) else ctx.line
    clean.key_lines = {}
    for key, item in value.items():
        line = value.line_of(key) if isinstance(value, LineDict) else ctx.line
        name = f"{ctx.name}.{key}" if ctx.name else str(key)
        if key not in spec.fields:
            problems.append(_unknown_key(key, spec, ctx.at(name, line)))
            continue
        if spec.fields[key].kind in TEXT_KINDS and isinstance(value, LineDict):
            line = value.value_line_of(key)
            problems += keys_in_text(item, key, spec, ctx.at(name, line))
        item_value, item_problems = validate(item, spec.fields[key], ctx.at(name, line))
        problems += item_problems
        if item_value is not None:
            clean[key] = item_value
            clean.key_lines[key] = line
    guessed = {closest(str(k), tuple(spec.fields)) for k in value if k not in spec.fields}
    for key, sub in spec.fields.items():
        if sub.required and key not in value and key not in guessed:
            where = f" in '{ctx.name}'" if ctx.name else ""
            problems.append(error(ctx.rel_path, clean.line, f"missing '{key}'{where}", f"add '{key}: …'"))
    return clean, problems


TEXT_KINDS = ("text", "md", "inline_md")
KEY_LINE_RE = re.compile(r"^\s*([a-z_][a-z0-9_]*):(?:\s|$)")


def keys_in_text(text, key: str, spec: Field, ctx: Ctx) -> list[Problem]:
    """Warn about a line inside a text block that looks like another key of the same item: a key
    indented one level too far is read as text and published."""
    if not isinstance(text, str) or "\n" not in text:
        return []
    problems = []
    for offset, line_text in enumerate(text.split("\n")):
        match = KEY_LINE_RE.match(line_text)
        if match and match.group(1) in spec.fields and match.group(1) != key:
            found = match.group(1)
            message = f"'{found}:' is inside the text of '{key}', so it is published as text"
            hint = f"if it is a key, indent it like '{key}:'"
            problems.append(warning(ctx.rel_path, ctx.line + offset, message, hint))
    return problems


def _unknown_key(key, spec: Field, ctx: Ctx) -> Problem:
    guess = closest(str(key), tuple(spec.fields))
    hint = f"did you mean '{guess}'?" if guess else "allowed: " + ", ".join(spec.fields)
    return error(ctx.rel_path, ctx.line, f"unknown {spec.noun} '{key}'", hint)


_VALIDATORS = {
    "text": _text,
    "md": _text,
    "inline_md": _text,
    "int": _int,
    "bool": _bool,
    "date": _date,
    "url": _url,
    "doi": _identifier,
    "pmid": _identifier,
    "id": _id,
    "source_key": _id,
    "choice": _choice,
    "list": _list,
    "map": _map,
    "object": _object,
}
