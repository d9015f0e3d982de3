"""Content and data may carry formatting, never script.

The HTML that editors' Markdown and data values turn into is parsed (html.parser, not patterns) and
every element or attribute that could run script, load another document or bypass the pages' strict
Content Security Policy is reported at the source line that wrote it. Templates are trusted; this
scans only what comes from content/ and content/data/.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .errors import Problem, error
from .htmlparse import readable

BLOCKED_TAGS = frozenset(
    "script iframe frame frameset object embed applet style base link meta form noscript template svg math".split()
)
BLOCKED_ATTRS = frozenset({"style", "srcdoc", "formaction"})
URL_ATTRS = frozenset(
    "href src action srcset poster background cite data xlink:href longdesc usemap ping manifest".split()
)
BLOCKED_SCHEMES = ("javascript:", "vbscript:", "data:")
HINT = "content and data may carry formatting, never script or styles; remove it"


UNREADABLE = "this HTML cannot be read: '<!' here starts neither a comment ('<!--') nor a declaration"
UNREADABLE_HINT = "write '&lt;!' for a '<!' meant as text, or finish the comment as '<!-- … -->'"


@dataclass(frozen=True)
class Finding:
    message: str
    needles: tuple  # what to look for in the source text to find its line, best first
    hint: str = HINT


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKED_TAGS:
            self.findings.append(Finding(f"<{tag}> is not allowed here", (f"<{tag}",)))
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def _check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on") or name in BLOCKED_ATTRS:
            self.findings.append(Finding(f"the attribute '{name}=' is not allowed (on <{tag}>)", (f"{name}=", name)))
        elif name in URL_ATTRS and (scheme := blocked_scheme(value)):
            self.findings.append(Finding(f"a '{scheme}' address is not allowed (in <{tag} {name}=…>)", (scheme, name)))


def blocked_scheme(value: str) -> str | None:
    """The dangerous URL scheme ``value`` uses, if any, the way a browser reads it (case, spaces and
    control characters ignored; each part of a srcset list)."""
    for part in value.split(","):
        squeezed = "".join(c for c in part if ord(c) > 32 and c != "\x7f").lower()
        for scheme in BLOCKED_SCHEMES:
            if squeezed.startswith(scheme):
                return scheme
    return None


def scan_html(html: str) -> list[Finding]:
    scanner = _Scanner()
    try:
        scanner.feed(html)
        scanner.close()
    except AssertionError:  # html.parser gives up on some '<!' (e.g. '<![' and a line break)
        scanner = _Scanner()
        scanner.feed(readable(html))  # the rest is still scanned for script
        scanner.close()
        scanner.findings.insert(0, Finding(UNREADABLE, ("<!",), UNREADABLE_HINT))
    return scanner.findings


def check_markup(html: str, source_text: str, rel_path: str, first_line: int) -> list[Problem]:
    """Problems for unsafe markup in ``html``, made from ``source_text`` that starts at ``first_line``."""
    lowered = source_text.lower()
    problems = []
    for finding in scan_html(html):
        index = next((i for n in finding.needles if (i := lowered.find(n.lower())) >= 0), -1)
        line = first_line + (source_text.count("\n", 0, index) if index >= 0 else 0)
        problems.append(error(rel_path, line, finding.message, finding.hint))
    return problems
