"""YAML that remembers where each key and item came from, for file:line messages."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from .errors import Problem, error


class LineDict(dict):
    """A mapping with the line of the mapping itself and of each key."""

    line: int = 0
    key_lines: dict
    value_lines: dict = {}  # replaced per instance: where each value's text starts

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def value_line_of(self, key) -> int:
        """The line a value's text starts on: the line after the key for a `|` or `>` block."""
        return self.value_lines.get(key, self.line_of(key))


class LineList(list):
    """A sequence with the line of itself and of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: used to word a parse error the same way on every machine."""

    duplicate_keys: list


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser (about 7x faster) with the same constructors, for text that parses."""

    duplicate_keys: list


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines, result.value_lines = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicate_keys.append((line, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
        result.value_lines[key] = _text_line(value_node)
    return result


def _text_line(node: yaml.Node) -> int:
    """The 1-based line a node's text starts on (a block scalar's text starts after its `|` or `>`)."""
    block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
    return node.start_mark.line + (2 if block else 1)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [_text_line(child) for child in node.value]
    return result


for _cls in (_Loader, _FastLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _load(loader_class, text: str):
    loader = loader_class(text)
    loader.duplicate_keys = []
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def parse_yaml(text: str, rel_path: str, first_line: int = 1) -> tuple[object, list[Problem]]:
    """Parse YAML text; lines in results and problems count from ``first_line``."""
    try:
        value, duplicates = _load(_FastLoader, text)
    except yaml.YAMLError:
        try:
            value, duplicates = _load(_Loader, text)
        except yaml.YAMLError as exc:
            return None, [_yaml_problem(exc, rel_path, first_line, text)]
    offset = first_line - 1
    if offset:
        _shift_lines(value, offset)
    problems = [
        error(rel_path, line + offset, f"key '{key}' appears twice", "keep one of them") for line, key in duplicates
    ]
    return value, problems


def _shift_lines(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        value.value_lines = {k: v + offset for k, v in value.value_lines.items()}
        for child in value.values():
            _shift_lines(child, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for child in value:
            _shift_lines(child, offset)


COLON_IN_TEXT_RE = re.compile(r"^\s*(?:-\s+)?[^\s:#'\"][^:]*:\s+[^'\"\s[{|>].*:(?:\s|$)")


def _yaml_problem(exc: yaml.YAMLError, rel_path: str, first_line: int, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + first_line) if mark else first_line
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    line_text = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    if "'\\t'" in what or (mark and "\t" in line_text[: len(line_text) - len(line_text.lstrip())]):
        return error(rel_path, line, "a tab is used to indent this line", "replace the tab with spaces")
    if what == "mapping values are not allowed here" and COLON_IN_TEXT_RE.match(line_text):
        return error(
            rel_path, line, "this text has a colon (:) in it, which YAML reads as a new key", "put the text in quotes"
        )
    detail = f"{what} {context}" if context else what
    return error(
        rel_path,
        line,
        f"this is not valid YAML: {detail}",
        "check the indentation and that text with a colon is in quotes",
    )


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
