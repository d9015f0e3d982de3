"""The engine that checks a YAML value against a declared shape (the shapes are in shapes.py).

Each kind of field is a small frozen class with its own ``validate`` and its own words for
messages. Validation never raises: it returns a cleaned value (bad fields dropped) and the
problems found, each at the file and line it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import ClassVar

from .errors import Problem, error, warning
from .hints import closest
from .sanitize import check_markup
from .yamlfile import LineDict, LineList, is_date

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
KEY_LINE_RE = re.compile(r"^\s*([a-z_][a-z0-9_]*):(?:\s|$)")
ID_WORDS = "a short id of lowercase letters, digits and hyphens"


class Located(str):
    """A string that remembers where it was written."""

    rel_path: str
    line: int

    def __new__(cls, text: str, rel_path: str, line: int):
        obj = super().__new__(cls, text)
        obj.rel_path, obj.line = rel_path, line
        return obj

    def __reduce__(self):  # pickled into the build cache: __new__ needs the place too
        return (type(self), (str(self), self.rel_path, self.line), self.__dict__)


class MarkdownText(Located):
    """Markdown from a data file, rendered to HTML when the site is assembled."""

    inline: bool = False


class SourceKey(Located):
    """A reference to an entry of sources.yaml, checked when the site is assembled."""


@dataclass(frozen=True)
class Ctx:
    """Where a value is: its file, line, and dotted name for messages ('' for the whole file)."""

    rel_path: str
    line: int
    name: str

    def at(self, name: str, line: int) -> Ctx:
        return Ctx(self.rel_path, line, name)


Result = tuple[object, list[Problem]]


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One kind of field. ``words`` says what a right value looks like, for messages."""

    required: bool = False
    hint: str = ""
    words: ClassVar[str] = ""

    def validate(self, value, ctx: Ctx) -> Result:
        raise NotImplementedError

    def wrong_type(self, value, ctx: Ctx) -> tuple[None, list[Problem]]:
        got = "nothing" if value is None else _describe(value)
        what = f"'{ctx.name}'" if ctx.name else "this file"
        message = f"{what} should be {self.words}, not {got}"
        return None, [error(ctx.rel_path, ctx.line, message, self.hint or f"write {self.words}")]


def validate(value, spec: Kind, ctx: Ctx) -> Result:
    """Check ``value`` against ``spec``; return (clean value or None, problems)."""
    return spec.validate(value, ctx)


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a set of key: value lines"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _stripped_text(kind: Kind, value, ctx: Ctx) -> tuple[str | None, list[Problem]]:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return kind.wrong_type(value, ctx)
    text = str(value).strip()
    if not text:
        return None, [error(ctx.rel_path, ctx.line, f"'{ctx.name}' is empty", "write some text")]
    return text, []


@dataclass(frozen=True)
class Text(Kind):
    """Plain text; formatting markup is scanned for script."""

    words: ClassVar[str] = "text"

    def validate(self, value, ctx: Ctx) -> Result:
        text, problems = _stripped_text(self, value, ctx)
        if text is None:
            return None, problems
        return Located(text, ctx.rel_path, ctx.line), check_markup(text, text, ctx.rel_path, ctx.line)


@dataclass(frozen=True)
class Markdown(Kind):
    """Markdown, rendered when the site is built (``inline``: no surrounding paragraph)."""

    inline: bool = False
    words: ClassVar[str] = "text (Markdown)"

    def validate(self, value, ctx: Ctx) -> Result:
        text, problems = _stripped_text(self, value, ctx)
        if text is None:
            return None, problems
        md = MarkdownText(text, ctx.rel_path, ctx.line)
        md.inline = self.inline
        return md, []  # its HTML is scanned for script once rendered


@dataclass(frozen=True)
class Int(Kind):
    words: ClassVar[str] = "a whole number"

    def validate(self, value, ctx: Ctx) -> Result:
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong_type(value, ctx)
        return value, []


@dataclass(frozen=True)
class Bool(Kind):
    words: ClassVar[str] = "true or false"

    def validate(self, value, ctx: Ctx) -> Result:
        return (value, []) if isinstance(value, bool) else self.wrong_type(value, ctx)


@dataclass(frozen=True)
class Date(Kind):
    words: ClassVar[str] = "a date like 2026-11-20"

    def validate(self, value, ctx: Ctx) -> Result:
        if isinstance(value, dt.datetime):
            return value.date(), []
        return (value, []) if is_date(value) else self.wrong_type(value, ctx)


@dataclass(frozen=True)
class Url(Kind):
    words: ClassVar[str] = "a web address starting with https://"

    def validate(self, value, ctx: Ctx) -> Result:
        if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+\.[^\s]+$", value.strip()):
            return self.wrong_type(value, ctx)
        return value.strip(), []


@dataclass(frozen=True)
class _Identifier(Kind):
    """Checked for form only; whether it is the right one is checked by a person."""

    pattern: ClassVar[re.Pattern] = re.compile("")

    def validate(self, value, ctx: Ctx) -> Result:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        return (text, []) if self.pattern.match(text) else self.wrong_type(value, ctx)


@dataclass(frozen=True)
class Doi(_Identifier):
    words: ClassVar[str] = "a DOI like 10.1002/14651858.CD001929.pub3 (no https://doi.org/ in front)"
    pattern: ClassVar[re.Pattern] = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass(frozen=True)
class Pmid(_Identifier):
    words: ClassVar[str] = "a PubMed id: digits only, like 26329399"
    pattern: ClassVar[re.Pattern] = re.compile(r"^[1-9]\d{0,8}$")


@dataclass(frozen=True)
class Id(Kind):
    words: ClassVar[str] = ID_WORDS

    def validate(self, value, ctx: Ctx) -> Result:
        if not isinstance(value, str) or not KEY_RE.match(value):
            return self.wrong_type(value, ctx)
        return value, []


@dataclass(frozen=True)
class SourceRef(Id):
    """A key of content/data/sources.yaml; whether it exists is checked when the site is assembled."""

    words: ClassVar[str] = "a source key from content/data/sources.yaml"

    def validate(self, value, ctx: Ctx) -> Result:
        clean, problems = super().validate(value, ctx)
        return (SourceKey(clean, ctx.rel_path, ctx.line) if clean is not None else None), problems


@dataclass(frozen=True)
class Choice(Kind):
    choices: tuple[str, ...]

    def validate(self, value, ctx: Ctx) -> Result:
        if isinstance(value, str) and value in self.choices:
            return value, []
        guess = closest(str(value), self.choices)
        hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(self.choices)}"
        return None, [error(ctx.rel_path, ctx.line, f"'{ctx.name}' cannot be {_describe(value)}", hint)]


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    words: ClassVar[str] = "a list (lines starting with '- ')"

    def validate(self, value, ctx: Ctx) -> Result:
        if not isinstance(value, list):
            return self.wrong_type(value, ctx)
        clean, problems = [], []
        for index, item in enumerate(value):
            line = value.line_of(index) if isinstance(value, LineList) else ctx.line
            item_value, item_problems = self.item.validate(item, ctx.at(f"{ctx.name}[{index + 1}]", line))
            problems += item_problems
            if item_value is not None:
                clean.append(item_value)
        return clean, problems


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping of id -> item (e.g. sources.yaml)."""

    item: Kind
    words: ClassVar[str] = "a set of 'key: value' lines"

    def validate(self, value, ctx: Ctx) -> Result:
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx)
        clean, problems = LineDict(), []
        clean.line, clean.key_lines = ctx.line, {}  # key lines: so a check can point at an entry
        for key, item in value.items():
            line = value.line_of(key) if isinstance(value, LineDict) else ctx.line
            if not isinstance(key, str) or not KEY_RE.match(key):
                problems.append(error(ctx.rel_path, line, f"'{key}' is not a valid key", ID_WORDS))
                continue
            item_value, item_problems = self.item.validate(item, ctx.at(key, line))
            problems += item_problems
            if item_value is not None:
                clean[key] = item_value
                clean.key_lines[key] = line
        return clean, problems


@dataclass(frozen=True)
class Obj(Kind):
    """A set of named fields; ``noun`` is what an unknown key is called in messages."""

    fields: dict[str, Kind] = field(default_factory=dict)
    noun: str = "key"
    words: ClassVar[str] = "a set of 'key: value' lines"

    def validate(self, value, ctx: Ctx) -> Result:
        if not isinstance(value, dict):
            return self.wrong_type(value, ctx)
        clean, problems = LineDict(), []
        clean.line = value.line if isinstance(value, LineDict) else ctx.line
        clean.key_lines = {}
        for key, item in value.items():
            item_value, line, item_problems = self._field(value, key, item, ctx)
            problems += item_problems
            if item_value is not None:
                clean[key] = item_value
                clean.key_lines[key] = line
        return clean, problems + self._missing(value, clean.line, ctx)

    def _field(self, value: dict, key, item, ctx: Ctx) -> tuple[object, int, list[Problem]]:
        line = value.line_of(key) if isinstance(value, LineDict) else ctx.line
        name = f"{ctx.name}.{key}" if ctx.name else str(key)
        if key not in self.fields:
            return None, line, [self._unknown_key(key, ctx.at(name, line))]
        problems = []
        if isinstance(self.fields[key], (Text, Markdown)) and isinstance(value, LineDict):
            line = value.value_line_of(key)
            problems += self.keys_in_text(item, key, ctx.at(name, line))
        item_value, item_problems = self.fields[key].validate(item, ctx.at(name, line))
        return item_value, line, problems + item_problems

    def _missing(self, value: dict, line: int, ctx: Ctx) -> list[Problem]:
        guessed = {closest(str(k), tuple(self.fields)) for k in value if k not in self.fields}
        where = f" in '{ctx.name}'" if ctx.name else ""
        return [
            error(ctx.rel_path, line, f"missing '{key}'{where}", f"add '{key}: …'")
            for key, sub in self.fields.items()
            if sub.required and key not in value and key not in guessed
        ]

    def _unknown_key(self, key, ctx: Ctx) -> Problem:
        guess = closest(str(key), tuple(self.fields))
        hint = f"did you mean '{guess}'?" if guess else "allowed: " + ", ".join(self.fields)
        return error(ctx.rel_path, ctx.line, f"unknown {self.noun} '{key}'", hint)

    def keys_in_text(self, text, key: str, ctx: Ctx) -> list[Problem]:
        """Warn about a line inside a text block that looks like another key of the same item: a key
        indented one level too far is read as text and published."""
        if not isinstance(text, str) or "\n" not in text:
            return []
        problems = []
        for offset, line_text in enumerate(text.split("\n")):
            match = KEY_LINE_RE.match(line_text)
            if match and match.group(1) in self.fields and match.group(1) != key:
                found = match.group(1)
                message = f"'{found}:' is inside the text of '{key}', so it is published as text"
                hint = f"if it is a key, indent it like '{key}:'"
                problems.append(warning(ctx.rel_path, ctx.line + offset, message, hint))
        return problems


def obj(required: bool = False, noun: str = "key", **fields: Kind) -> Obj:
    return Obj(fields=fields, noun=noun, required=required)
