"""What a previous build rendered, so a rebuild (in `serve`) redoes only what changed.

Every key is a digest of everything its value depends on: the site fingerprint covers the
config, every template, every page's URL and front matter, the data and the assets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .model import Site


@dataclass
class RenderCache:
    """Three parts: page bodies, whole pages, and the prepared environment and data."""

    bodies: dict = field(default_factory=dict)  # key -> PageBody
    pages: dict = field(default_factory=dict)  # key -> html
    prepared: dict = field(default_factory=dict)  # key -> (env, problems, data, links): the last build's only
    hits: int = 0


def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def site_fingerprint(site: Site) -> str:
    templates = sorted(site.templates.files.items())
    pages = [(p.rel_path, p.url, sorted(p.meta.items(), key=lambda kv: kv[0])) for p in site.pages]
    assets = sorted((a.name, a.output_path) for a in site.assets.values())
    return digest(site.config, templates, pages, assets, _data_repr(site.data), site.drafts)


def _data_repr(value):
    if isinstance(value, dict):
        return sorted((k, _data_repr(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_data_repr(v) for v in value]
    return repr(value)
