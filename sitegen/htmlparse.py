"""Read our output pages with a real HTML parser: ids, local references and images, with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes that hold one address the browser fetches or follows.
REF_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "form": ("action",),
    "use": ("href",),
}


@dataclass
class ParsedPage:
    """The ids, local references and alt-less images of one output page."""

    ids: set = field(default_factory=set)
    refs: list = field(default_factory=list)  # (href or src, line)
    images_without_alt: list = field(default_factory=list)  # (src, line)
    duplicate_ids: list = field(default_factory=list)  # (id, line, first line)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self.id_lines: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        element_id = values.get("id")
        if element_id is not None:
            if element_id in self.id_lines:
                self.page.duplicate_ids.append((element_id, line, self.id_lines[element_id]))
            else:
                self.id_lines[element_id] = line
            self.page.ids.add(element_id)
        for name in REF_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is not None:
                urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
                self.page.refs += [(url, line) for url in urls]
        if tag == "img" and "alt" not in values:
            self.page.images_without_alt.append((values.get("src") or "", line))

    handle_startendtag = handle_starttag


def parse_page(html: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page
