"""Ids of data items become HTML ids and anchors, so each may be used once in its file."""

from __future__ import annotations

from .errors import Problem, error


def check_unique_ids(value, rel_path: str) -> list[Problem]:
    """A problem for each item whose `id` an earlier item of the same list kind already uses (all
    questions of faq.yaml count as one list, across categories)."""
    seen: dict[tuple, int] = {}
    problems = []
    for path, item_id, line in _ids(value, ()):
        first = seen.setdefault((path, item_id), line)
        if first != line:
            problems.append(
                error(
                    rel_path,
                    line,
                    f"id '{item_id}' is already used on line {first}",
                    "give each item its own id: it becomes the item's anchor (#id) on the page",
                )
            )
    return problems


def _ids(value, path: tuple):
    """(path of list keys, id, line) of each item with an id, in file order."""
    if isinstance(value, dict):
        if "id" in value and path:
            line_of = getattr(value, "line_of", lambda key: 0)
            yield path, str(value["id"]), line_of("id")
        for key, child in value.items():
            yield from _ids(child, path + (key,))
    elif isinstance(value, list):
        for child in value:
            yield from _ids(child, path)
