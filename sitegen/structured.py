"""Machine-readable outputs: JSON-LD, sitemap.xml, robots.txt and the Atom feed."""

from __future__ import annotations

import datetime as dt
import json
import re
from xml.sax.saxutils import escape

from .citations import plain_citations
from .htmltext import plain_text
from .model import Page, Site
from .page_types import page_type


def _tidy(text: str) -> str:
    """No space before punctuation, where a tag that ended before it became one."""
    return re.sub(r" ([.,;:])", r"\1", text)


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))


def website_ld(site: Site) -> dict:
    config = site.config
    return {
        "@type": "WebSite",
        "@id": config.base_url + "#website",
        "name": config.title,
        "description": config.description,
        "url": config.base_url,
        "inLanguage": config.language,
    }


def page_ld(site: Site, page: Page) -> dict:
    config = site.config
    data = {
        "@type": "MedicalWebPage" if page_type(page.template).medical else "WebPage",
        "@id": config.absolute_url(page.url),
        "url": config.absolute_url(page.url),
        "name": page.title,
        "description": page.meta.get("description", ""),
        "inLanguage": config.language,
        "isPartOf": {"@id": config.base_url + "#website"},
    }
    for key, field in (("datePublished", "date"), ("dateModified", "updated"), ("lastReviewed", "reviewed")):
        if page.meta.get(field):
            data[key] = page.meta[field].isoformat()
    return data


def breadcrumbs_ld(site: Site, trail: list[tuple[str, str]]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": site.config.absolute_url(url)}
            for i, (name, url) in enumerate(trail, 1)
        ],
    }


def faq_ld(faq: dict) -> dict:
    return {
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": str(q["question"]),
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": _tidy(plain_text(plain_citations(str(q["answer"])))),
                },
            }
            for category in faq.get("categories", [])
            for q in category["questions"]
        ],
    }


def jsonld(graph: list[dict]) -> str:
    return to_json({"@context": "https://schema.org", "@graph": graph})


def render_sitemap(site: Site) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(site.pages, key=lambda p: p.url):
        if page.template == "404":
            continue
        lines.append(f"  <url><loc>{escape(site.config.absolute_url(page.url))}</loc>")
        if page.lastmod:
            lines[-1] += f"<lastmod>{page.lastmod.isoformat()}</lastmod>"
        lines[-1] += "</url>"
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def render_robots(site: Site) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"


def _stamp(day: dt.date | None) -> str:
    return f"{(day or dt.date(2000, 1, 1)).isoformat()}T00:00:00Z"


def render_feed(site: Site, entries: list[tuple[Page, str]]) -> str:
    """Atom feed of the guides; ``entries`` pairs each page with its summary text."""
    config = site.config
    newest = max((p.lastmod for p, _ in entries if p.lastmod), default=None)
    title = config.feed_title or f"{config.title}: guides"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(config.base_url)}</id>",
        f'  <link rel="alternate" href="{escape(config.base_url)}"/>',
        f'  <link rel="self" href="{escape(config.base_url)}feed.xml"/>',
        f"  <updated>{_stamp(newest)}</updated>",
        f"  <author><name>{escape(config.publisher or config.title)}</name></author>",
    ]
    for page, summary in entries:
        link = escape(config.absolute_url(page.url))
        out += [
            "  <entry>",
            f"    <title>{escape(page.title)}</title>",
            f'    <link rel="alternate" href="{link}"/>',
            f"    <id>{link}</id>",
            f"    <updated>{_stamp(page.lastmod)}</updated>",
        ]
        if page.meta.get("date"):
            out.append(f"    <published>{_stamp(page.meta['date'])}</published>")
        out += [f"    <summary>{escape(summary)}</summary>", "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
