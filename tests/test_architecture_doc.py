"""The maps stay true to the code: docs/content-model.md lists every key the shapes declare (front
matter and site.yaml side by side), and docs/architecture.md names every module and every variable,
filter and global a template can use. Each list is read from the code, not written out here."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import jinja2
import pytest
from support import ROOT

from sitegen import context, shapes
from sitegen.model import Site, SiteConfig
from sitegen.templating import make_env

ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CONTENT_MODEL = (ROOT / "docs" / "content-model.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under the heading that starts with ``heading``, up to the next heading of its level."""
    level = heading.split(" ")[0]
    match = re.search(rf"^{re.escape(heading)}.*?$(.*?)(?=^{level} |\Z)", text, re.M | re.S)
    assert match, f"no heading starting {heading!r}"
    return match.group(1)


def headings(text: str, level: str) -> list[str]:
    return re.findall(rf"^{level} (.*)$", text, re.M)


def table_keys(text: str) -> set[str]:
    """The first column of a Markdown table, without its header and rule."""
    rows = re.findall(r"^\|\s*([^|]+?)\s*\|", text, re.M)
    return {row for row in rows if row != "key" and not set(row) <= set("-: ")}


@pytest.mark.parametrize(
    ("shape", "heading"),
    [(shapes.FRONT_MATTER, "## Pages"), (shapes.CONFIG, "## Site settings")],
    ids=["front matter", "site.yaml"],
)
def test_every_declared_key_is_in_the_content_model_table(shape, heading):
    documented = table_keys(section(CONTENT_MODEL, heading))
    assert set(shape.fields) - documented == set(), "declared in shapes.py, missing from content-model.md"
    assert documented - set(shape.fields) == set(), "in content-model.md, not declared in shapes.py"


def test_site_yaml_keys_sit_next_to_the_front_matter_keys():
    top = headings(CONTENT_MODEL, "##")
    pages = next(i for i, h in enumerate(top) if h.startswith("Pages"))
    assert top[pages + 1].startswith("Site settings"), top


def test_every_data_file_is_in_the_content_model():
    documented = set(re.findall(r"`([a-z_-]+)\.yaml`", section(CONTENT_MODEL, "## Data")))
    assert set(shapes.DATA) - documented == set(), "declared in shapes.DATA, missing from content-model.md"


def test_every_module_is_named_in_the_architecture_map():
    modules = {p.name for p in (ROOT / "sitegen").glob("*.py") if p.name != "__init__.py"}
    missing = {name for name in modules if not re.search(rf"\b{re.escape(name)}\b", ARCHITECTURE)}
    assert missing == set()


def _template_shapes() -> list[type]:
    """The dataclasses templates receive: those rendered with (``as_mapping``) and every dataclass
    their fields hold, except SiteConfig, whose fields are the site.yaml keys (tested above)."""
    found: list[type] = []
    todo = [c for _, c in vars(context).items() if dataclasses.is_dataclass(c) and hasattr(c, "as_mapping")]
    while todo:
        shape = todo.pop()
        if shape in found or shape is SiteConfig:
            continue
        found.append(shape)
        for hint in typing.get_type_hints(shape).values():
            todo += [t for t in _types_in(hint) if dataclasses.is_dataclass(t)]
    return sorted(found, key=lambda c: c.__name__)


def _types_in(hint) -> list:
    return [hint] + [t for arg in typing.get_args(hint) for t in _types_in(arg)]


def test_the_template_shapes_are_found():
    names = {c.__name__ for c in _template_shapes()}
    assert {"PageContext", "PageView", "NavItem", "Crumb", "Reference"} <= names


@pytest.mark.parametrize("shape", _template_shapes(), ids=lambda c: c.__name__)
def test_every_template_variable_is_in_the_architecture_map(shape):
    text = section(ARCHITECTURE, f"### `{shape.__name__}`")
    missing = [f.name for f in dataclasses.fields(shape) if f"`{f.name}`" not in text]
    assert missing == [], f"fields of {shape.__name__} missing under its heading in architecture.md"


def _added(env: jinja2.Environment, what: str) -> set[str]:
    """The names this project adds to (or changes in) Jinja's own filters or globals."""
    stock = getattr(jinja2.Environment(), what)
    return {name for name, value in getattr(env, what).items() if stock.get(name) is not value}


@pytest.mark.parametrize(("what", "heading"), [("filters", "### Filters"), ("globals", "### Globals")])
def test_every_filter_and_global_is_in_the_architecture_map(what, heading):
    site = Site(SiteConfig("Title", "Description", "https://example.org/"), (), {}, {}, Path("."))
    added = _added(make_env(site), what)
    assert added, f"found no {what}: the test would pass on anything"
    text = section(ARCHITECTURE, heading)
    assert {name for name in added if f"`{name}`" not in text} == set()
