"""Every output path has one source: clashes are found before anything is written."""

from __future__ import annotations

from .errors import Problem, error
from .model import OutputFile


def _name(item: OutputFile) -> str:
    return f"the generated {item.output_path}" if item.generated else item.source


def resolve_outputs(outputs: list[OutputFile], static_overrides: tuple = ()) -> tuple[list[OutputFile], list[Problem]]:
    """The outputs to write, and a problem for each path two sources write (or one writes as a file
    and another as a folder). A file under static/ replaces a generated one only where site.yaml's
    ``static_overrides`` lists it."""
    chosen: dict[str, OutputFile] = {}
    problems = []
    for item in outputs:
        other = chosen.get(item.output_path)
        if other is None:
            chosen[item.output_path] = item
        elif _overrides(item, other, static_overrides):
            chosen[item.output_path] = item
        elif _overrides(other, item, static_overrides):
            continue
        elif not (item.source.endswith(".md") and other.source.endswith(".md")):  # pages: reported as URLs
            problems.append(_clash(item, other))
    problems += _file_folder_clashes(chosen)
    return sorted(chosen.values(), key=lambda o: o.output_path), problems


def _overrides(item: OutputFile, other: OutputFile, static_overrides: tuple) -> bool:
    return item.source.startswith("static/") and other.generated and item.output_path in static_overrides


def _clash(item: OutputFile, other: OutputFile) -> Problem:
    first, second = sorted([item, other], key=_name)
    if item.generated or other.generated:
        mine = second if first.generated else first
        hint = f"rename or remove {mine.source}"
        if mine.source.startswith("static/"):
            hint += f", or list '{mine.output_path}' under static_overrides in site.yaml to replace the generated one"
        return error(mine.source, 0, f"makes {mine.output_path}, which the generator also makes", hint)
    return error(second.source, 0, f"makes {second.output_path}, as {first.source} does", "rename one of them")


def _file_folder_clashes(chosen: dict[str, OutputFile]) -> list[Problem]:
    problems = []
    for output_path, item in sorted(chosen.items()):
        parts = output_path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in chosen:
                owner = chosen[folder]
                message = f"makes {output_path}, inside {folder}, which {_name(owner)} makes as a file"
                problems.append(error(item.source, 0, message, "rename one of them"))
    return problems
