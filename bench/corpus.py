"""The benchmark's corpus: N realistic articles (front matter, headings, a list, a table,
cross-links, citations, about 700 words), written into a copy of the real site and, for each peer
generator, into the smallest project that builds the same Markdown (with a one-page layout)."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "massage may help some people feel calm for a short time after a session and the effect "
    "often fades within a day or two so it is best seen as one part of care a therapist will ask "
    "about your health first and you can ask them to use less pressure at any time small studies "
    "suggest a gentle touch can ease stress but the evidence is still weak for most long term pain"
).split()
LIST_ITEMS = ("Drink water after the session.", "Tell the therapist about any pain.", "Rest for a while.")


def source_keys() -> list[str]:
    text = (ROOT / "content/data/sources.yaml").read_text(encoding="utf-8")
    return re.findall(r"^([a-z0-9][a-z0-9-]*):\s*$", text, re.M)[:8]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 14))]
    return " ".join(words).capitalize() + "."


def article_body(n: int, pages: int, keys: list[str]) -> str:
    """About 700 words: five sections of prose, a list, a table, links to two other articles."""
    rng = random.Random(n)
    parts = []
    for section in range(1, 6):
        parts.append(f"## Part {section} of article {n}\n")
        prose = " ".join(_sentence(rng) for _ in range(10))
        parts.append(f"{prose} [@{keys[(n + section) % len(keys)]}]\n")
        if section == 2:
            parts.append("\n".join(f"- {item}" for item in LIST_ITEMS) + "\n")
        if section == 3:
            parts.append("| Kind | Pressure |\n|------|----------|\n| Gentle | Light |\n| Firm | Medium |\n")
        if section == 4:
            other, third = (n + 1) % pages, (n + 7) % pages
            parts.append(f"See [article {other}](bench-{other:05d}.md) and [article {third}](bench-{third:05d}.md).\n")
    return "\n".join(parts)


def front_matter(n: int) -> str:
    return (
        f"title: Benchmark article {n}\ndescription: A generated article about massage for the benchmark.\n"
        f"reviewed: 2026-11-01\norder: {100 + n}\nkey_points:\n  - Massage may help some people feel calm.\n"
    )


def make_site(folder: Path, pages: int) -> Path:
    """A copy of the real site (content, templates, assets, static, site.yaml) plus N articles."""
    for name in ("content", "templates", "assets", "static", "site.yaml"):
        source = ROOT / name
        if source.exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    keys = source_keys()
    for n in range(pages):
        text = f"---\n{front_matter(n)}---\n\n{article_body(n, pages, keys)}"
        (folder / "content/guides" / f"bench-{n:05d}.md").write_text(text, encoding="utf-8")
    return folder


def edit_one(folder: Path, layout: str = "site") -> Path:
    """Change a sentence of article 0 (not its title or headings), as an editor's save would."""
    src_path = next(folder.rglob("bench-00000.md"))
    text = src_path.read_text(encoding="utf-8")
    src_path.write_text(text.replace("## Part 1 of article 0\n", "## Part 1 of article 0\n\nAn edit.\n", 1))
    return src_path


def _articles(pages: int):
    keys = source_keys()
    for n in range(pages):
        yield n, f"bench-{n:05d}", article_body(n, pages, keys)


def make_hugo(folder: Path, pages: int) -> Path:
    (folder / "content/guides").mkdir(parents=True)
    (folder / "layouts/_default").mkdir(parents=True)
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        "[markup.goldmark.renderer]\nunsafe = false\n"
    )
    layout = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .TableOfContents }}"
    (folder / "layouts/_default/single.html").write_text(layout + "<main>{{ .Content }}</main></body></html>")
    (folder / "layouts/_default/list.html").write_text(
        layout + "<ul>{{ range .Pages }}<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a></li>{{ end }}</ul>"
        "</body></html>"
    )
    for n, name, body in _articles(pages):
        (folder / "content/guides" / f"{name}.md").write_text(f"---\n{front_matter(n)}---\n\n{body}")
    return folder


def make_eleventy(folder: Path, pages: int) -> Path:
    (folder / "src/_includes").mkdir(parents=True)
    (folder / "src/_includes/base.njk").write_text(
        "<!doctype html><html><head><title>{{ title }}</title></head>"
        "<body><main>{{ content | safe }}</main></body></html>"
    )
    (folder / "src/src.json").write_text('{"layout": "base.njk"}')
    for n, name, body in _articles(pages):
        (folder / "src" / f"{name}.md").write_text(f"---\n{front_matter(n)}---\n\n{body}")
    return folder


def make_pelican(folder: Path, pages: int) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "pelicanconf.py").write_text(
        "SITENAME = 'Bench'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = 10\n"
    )
    for n, name, body in _articles(pages):
        meta = f"Title: Benchmark article {n}\nDate: 2026-11-01\nSummary: A generated article.\nSlug: {name}\n"
        (folder / "content" / f"{name}.md").write_text(f"{meta}\n{body}")
    return folder


def make_mkdocs(folder: Path, pages: int) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text("site_name: Bench\nuse_directory_urls: true\n")
    (folder / "docs/index.md").write_text("# Bench\n")
    for n, name, body in _articles(pages):
        (folder / "docs" / f"{name}.md").write_text(f"---\n{front_matter(n)}---\n\n{body}")
    return folder
