"""Glossary links: the first use of each term of content/data/glossary.yaml on a page links to its
entry on the glossary page, with the plain definition as the link's accessible description.

Editors never write these links. They are never made inside headings, links, code, navigation,
footers or form labels; a page opts out with front matter ``glossary: false``, a passage with the
class ``no-glossary`` (``{: .no-glossary }`` after a paragraph). The HTML is read as html.parser
reads it (htmlparse.events) and only text between tags is changed, so the rest of the page stays
byte for byte as it was."""

from __future__ import annotations

import functools
import html as htmllib
import re
from dataclasses import dataclass

from .errors import Problem, error
from .htmlparse import DATA, END, START, events
from .page_types import type_showing

OFF_CLASS = "no-glossary"
SKIP_TAGS = frozenset(
    {"a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "button", "label", "summary", "select"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "th", "dt", "caption", "figcaption", "nav", "footer", "dfn", "abbr"}
)
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


@dataclass(frozen=True)
class Term:
    id: str
    forms: tuple[str, ...]  # the term and its other forms, as written in the data
    definition: str  # plain text


def glossary_terms(data: dict) -> tuple[Term, ...]:
    """The terms of glossary.yaml (already validated), in file order."""
    terms = (data.get("glossary") or {}).get("terms") or ()
    return tuple(
        Term(str(t["id"]), (str(t["term"]), *map(str, t.get("also", ()))), str(t["definition"])) for t in terms
    )


def check_glossary_forms(glossary: dict, rel_path: str, site=None) -> list[Problem]:
    """Each term and other form belongs to one entry, or its links would go to whichever came first."""
    seen, problems = {}, []
    for item in glossary.get("terms") or ():
        for key, form in [("term", item["term"])] + [("also", f) for f in item.get("also", ())]:
            first = seen.setdefault(str(form).lower(), item["id"])
            if first != item["id"]:
                line = getattr(form, "line", None) or item.line_of(key)
                hint = f"keep '{form}' in one entry ('{first}') and remove it here"
                problems.append(error(rel_path, line, f"'{form}' is already a form of the term '{first}'", hint))
    return problems


def link_terms(page_html: str, terms: tuple[Term, ...], glossary_url: str) -> str:
    """``page_html`` with the first use of each term inside <main> linked to ``glossary_url#id``."""
    if not terms:
        return page_html
    pattern, by_form = _matcher(terms)
    used: set[str] = set()
    edits = []

    def link(match: re.Match) -> str:
        return _link(match, by_form, used, glossary_url)

    for offset, text in _text_spans(page_html):
        new = pattern.sub(link, text)
        if new != text:
            edits.append((offset, len(text), new))
    for offset, length, new in reversed(edits):
        page_html = page_html[:offset] + new + page_html[offset + length :]
    return page_html


@functools.lru_cache(maxsize=4)
def _matcher(terms: tuple[Term, ...]) -> tuple[re.Pattern, dict[str, Term]]:
    """The pattern of every form (longest first) and each lower-cased form's term: made once a
    build for the site's terms, not once a page."""
    forms = sorted({form for term in terms for form in term.forms}, key=lambda f: (-len(f), f))
    # The look-ahead only says sooner where no form can start (its first letter, in any case).
    first = "".join(sorted({re.escape(form[:1]) for form in forms}))
    ahead = rf"(?=[{first}])" if all(forms) else ""
    alternatives = "|".join(re.escape(f) for f in forms)
    pattern = re.compile(rf"{ahead}(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)
    return pattern, {form.lower(): term for term in terms for form in term.forms}


def _link(match: re.Match, by_form: dict, used: set, glossary_url: str) -> str:
    term = by_form[match.group(0).lower()]
    if term.id in used:
        return match.group(0)
    used.add(term.id)
    described = f"define-{term.id}"
    return (
        f'<a class="term" href="{glossary_url}#{term.id}" aria-describedby="{described}">{match.group(0)}</a>'
        f'<span id="{described}" hidden>{htmllib.escape(term.definition)}</span>'
    )


def _text_spans(page_html: str) -> list[tuple[int, str]]:
    """(offset, raw text) of each run of text inside <main> where a term may be linked: the text
    html.parser reports between tags and entity references (htmlparse.events)."""
    spans = []
    stack: list[tuple[str, bool | None]] = []  # (tag, skipped) of each open element; None outside <main>
    state = None  # the innermost open element's
    for kind, position, value, attrs in events(page_html, entities=True):
        if kind == DATA:
            if state is False:
                spans.append((position, value))
        elif kind == START:
            if value in VOID_TAGS:
                continue
            inside = state is not None
            if inside or value == "main":
                state = (
                    (inside and state) or value in SKIP_TAGS or OFF_CLASS in (dict(attrs).get("class") or "").split()
                )
            stack.append((value, state))
        elif kind == END:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == value:
                    del stack[i:]
                    state = stack[-1][1] if stack else None
                    break
    return spans


def glossary_page(site):
    """The page that shows the glossary, or None (found once a build, not once a page)."""
    name = type_showing("glossary")
    return next((p for p in site.pages if p.template == name), None)


def terms_for_page(site, page, target) -> tuple[tuple[Term, ...], str]:
    """The terms to link on ``page`` and the glossary page's URL (``target``: ``glossary_page``): none
    on the glossary page itself, on a page with ``glossary: false``, or when the site has none."""
    if target is None or page is target or page.meta.get("glossary") is False:
        return (), ""
    return glossary_terms(site.data), site.config.site_url(target.url)
