"""Read site.yaml, pages, data files and assets from disk, checking each against its schema."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import fields
from pathlib import Path
from stat import S_ISREG

from . import shapes
from .cache_store import MISSING, BuildCache, digest
from .errors import Problem, error
from .model import Asset, Page, SiteConfig, TemplateFiles
from .page_types import type_for_folder
from .unique_ids import check_unique_ids
from .validation import Ctx, validate
from .walk import rel, walk_files
from .yamlfile import parse_yaml

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def read_text(src_path: Path, rel_path: str) -> tuple[str | None, list[Problem]]:
    """A file's text; a UTF-8 byte order mark (which some editors add) is dropped."""
    try:
        return src_path.read_text(encoding="utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as exc:
        line = src_path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [error(rel_path, line, "this file is not UTF-8 text", "save it as UTF-8")]
    except OSError as exc:
        return None, [error(rel_path, 0, f"cannot read this file: {exc.strerror}", "check it exists")]


def load_config(source_dir: Path, base_url: str | None = None) -> tuple[SiteConfig | None, list[Problem]]:
    rel_path = "site.yaml"
    src_path = source_dir / rel_path
    if not src_path.is_file():
        return None, [error(rel_path, 0, "site.yaml is missing", f"create it in {source_dir}")]
    text, problems = read_text(src_path, rel_path)
    if text is None:
        return None, problems
    raw, problems = parse_yaml(text, rel_path)
    if raw is None and not problems:
        raw = {}
    if problems:
        return None, problems
    clean, problems = validate(raw, shapes.CONFIG, Ctx(rel_path, 1, ""))
    if clean is None or any(p.level == "error" for p in problems):
        return None, problems
    known = {f.name for f in fields(SiteConfig)}
    values = {k: _frozen(v) for k, v in clean.items() if k in known}
    values["base_url"] = _normal_base_url(base_url or values["base_url"])
    values["description_line"] = clean.line_of("description")
    return SiteConfig(**values), problems


def _frozen(value):
    if isinstance(value, str):
        return str(value)
    return tuple(str(v) for v in value) if isinstance(value, list) else value


def _normal_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def url_for(rel_path: str, slug: str | None = None) -> tuple[str, str]:
    """Map content/x/y.md to ('/x/y/', 'x/y/index.html'); index.md to its folder; 404.md to /404.html."""
    parts = rel_path.split("/")[1:]
    stem = parts[-1][: -len(".md")]
    folders = parts[:-1]
    if stem == "404" and not folders:
        return "/404.html", "404.html"
    if stem != "index":
        folders = folders + [slug or stem]
    elif slug and folders:
        folders[-1] = slug
    url = "/" + "".join(f"{part}/" for part in folders)
    return url, url.lstrip("/") + "index.html"


def default_template(rel_path: str) -> str:
    parts = rel_path.split("/")[1:]
    if parts == ["index.md"]:
        return "home"
    if parts == ["404.md"]:
        return "404"
    if parts[-1] == "index.md":
        return "list"
    return type_for_folder(parts[0]) if len(parts) > 1 else "page"


def find_page_files(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    files, problems = walk_files(content_dir, content_dir.parent)
    return [p for p in files if p.suffix == ".md"], problems


def load_page(src_path: Path, root: Path) -> tuple[Page | None, list[Problem]]:
    rel_path = rel(src_path, root)
    text, problems = read_text(src_path, rel_path)
    if text is None:
        return None, problems
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        hint = "start the file with a line '---', then 'title: …' and 'description: …', then '---'"
        return None, [error(rel_path, 1, "front matter is missing", hint)]
    raw, problems = parse_yaml(match.group(1) or "", rel_path, first_line=2)
    if raw is None and not problems:
        raw = {}
    if problems:
        return None, problems
    meta, problems = validate(raw, shapes.FRONT_MATTER, Ctx(rel_path, 1, ""))
    if meta is None:
        return None, problems
    meta.setdefault("title", src_path.stem.replace("-", " ").capitalize())
    meta.setdefault("description", "")
    url, output_path = url_for(rel_path, meta.get("slug"))
    page = Page(
        rel_path=rel_path,
        src_path=src_path,
        url=url,
        output_path=output_path,
        template=meta.get("template") or default_template(rel_path),
        meta=meta,
        body=text[match.end() :],
        body_line=match.group(0).count("\n") + 1,
        source_text=text,
    )
    return page, problems


def load_pages(
    content_dir: Path, drafts: bool = False, cache: BuildCache | None = None, found: tuple | None = None
) -> tuple[list[Page], list[Problem], dict[str, str]]:
    """Pages to publish, problems, and {rel_path: url} of pages that could not be read (so links
    to them are not reported a second time). ``found``: find_page_files' answer, if already had.
    With a ``cache``, a file whose status (path, size, inode, times) is unchanged is not read again."""
    pages, failed = [], {}
    files, problems = found if found is not None else find_page_files(content_dir)
    problems = list(problems)
    keys = {src_path: _load_key(src_path, content_dir.parent) for src_path in files} if cache is not None else {}
    stored = cache.get_many("loaded", [key for key in keys.values() if key]) if cache is not None else {}
    for src_path in files:
        key = keys.get(src_path)
        loaded = stored.get(key, MISSING) if key else MISSING
        if loaded is MISSING:
            loaded = load_page(src_path, content_dir.parent)
            if key:
                cache.put("loaded", key, loaded)
        page, page_problems = loaded[0], list(loaded[1])
        problems += page_problems
        if page is None:
            rel_path = rel(src_path, content_dir.parent)
            failed[rel_path] = url_for(rel_path)[0]
        elif drafts or not page.draft:
            pages.append(page)
    return pages, problems, failed


def _load_key(src_path: Path, root: Path) -> str | None:
    """What tells a page file is the one loaded before: its path and status. Any write, rename or
    `touch` changes its status-change time, which no program can set back. Taken before the file
    is read, so a save after this gives a key never seen again. None: not a plain file."""
    try:
        stat = os.stat(src_path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return digest(str(src_path), str(root), stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)


def draft_pages(pages_dir: Path, published: list[Page], unreadable: dict, found: tuple | None = None) -> dict[str, str]:
    """{rel_path: url} of the drafts left out of a build, so a link to one can say so."""
    files, _ = found if found is not None else find_page_files(pages_dir)
    seen = {p.rel_path for p in published} | set(unreadable)
    return {r: url_for(r)[0] for p in files if (r := rel(p, pages_dir.parent)) not in seen}


def load_data(data_dir: Path) -> tuple[dict, list[Problem]]:
    """Load every content/data/*.yaml; each must have a declared schema."""
    data = {}
    root = data_dir.parent.parent
    found, problems = walk_files(data_dir, root)
    for src_path in (p for p in found if p.parent == data_dir and p.suffix in (".yaml", ".yml")):
        rel_path = rel(src_path, root)
        name = src_path.stem
        if name not in shapes.DATA:
            known = ", ".join(sorted(shapes.DATA))
            problems.append(error(rel_path, 1, f"no schema for data file '{name}'", f"known data files: {known}"))
            continue
        text, read_problems = read_text(src_path, rel_path)
        problems += read_problems
        if text is None:
            continue
        raw, yaml_problems = parse_yaml(text, rel_path)
        problems += yaml_problems
        if raw is None:
            if not yaml_problems:
                problems.append(error(rel_path, 1, "this data file is empty", "add its fields"))
            continue
        clean, schema_problems = validate(raw, shapes.DATA[name], Ctx(rel_path, 1, ""))
        problems += schema_problems + check_unique_ids(clean, rel_path)
        if clean is not None:
            data[name] = clean
    return data, problems


def find_assets(assets_dir: Path) -> tuple[dict[str, Asset], list[Problem]]:
    """Every file under assets/, named for output with a content hash."""
    assets = {}
    root = assets_dir.parent
    files, problems = walk_files(assets_dir, root)
    for src_path in files:
        rel_path = rel(src_path, root)
        name = rel(src_path, assets_dir)
        content = src_path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:10]
        stem, dot, suffix = name.rpartition(".")
        fingerprinted = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        assets[name] = Asset(rel_path, src_path, name, f"assets/{fingerprinted}", content)
    return assets, problems


def find_static(static_dir: Path) -> tuple[tuple[tuple[str, bytes], ...], list[Problem]]:
    """Files under static/ are copied as they are to the output root (e.g. _headers for a host)."""
    files, problems = walk_files(static_dir, static_dir.parent)
    return tuple((rel(p, static_dir), p.read_bytes()) for p in files), problems


def load_templates(templates_dir: Path) -> TemplateFiles:
    """Every file under templates/ (Jinja reads them from here, so rendering reads no files)."""
    found = {p.relative_to(templates_dir).as_posix(): p.read_bytes() for p in templates_dir.rglob("*") if p.is_file()}
    return TemplateFiles(templates_dir, found)
