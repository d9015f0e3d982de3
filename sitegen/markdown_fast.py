"""Python-Markdown's passes made cheaper, their output kept exactly: the inline passes skip a
pattern on text that lacks what every match of it contains, and the toc pass makes its HTML table
only for a text that places it with the marker.

Python-Markdown tries each inline pattern (links, emphasis, code; and, in a second pass, each of
smarty's quote, dash and ellipsis patterns) on every run of text of every page, at a Python call
each; most runs hold none of the characters those patterns need. The skip happens exactly where
the library's own search would have found no match, so the result, the order of everything the
patterns stash and every pattern's state are those of the library's own pass. The toc extension
serializes a table of contents for every text (``md.toc``), which the site never shows (it uses
``md.toc_tokens``); it is made here only where a ``[TOC]`` marker puts it into the page.

tests/test_markdown_typography.py holds the library, with the site's extensions, as the oracle.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import xml.etree.ElementTree as etree

import markdown
from markdown import inlinepatterns as ip
from markdown.extensions import smarty
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import INLINE_PLACEHOLDER_PREFIX as PLACEHOLDER_PREFIX
from markdown.util import AtomicString

# Regular expression (the library's own) -> strings of which every match contains at least one. A
# pattern whose expression is not listed (another version, another extension) is tried on every
# run, as the library does; so is one whose expression changes in a later version.
NEEDS: dict[str, tuple[str, ...]] = {
    # The main pass.
    ip.BACKTICK_RE: ("`",),  # '`', or backslashes before a '`'
    ip.ESCAPE_RE: ("\\",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' FOOTNOTE_RE (local to its extendMarkdown)
    ip.LINK_RE: ("[",),  # also reference, short_reference
    ip.IMAGE_LINK_RE: ("![",),  # also image_reference, short_image_ref
    ip.AUTOLINK_RE: ("<",),
    ip.AUTOMAIL_RE: ("<",),
    ip.LINE_BREAK_RE: ("  \n",),
    ip.HTML_RE: ("<",),
    ip.ENTITY_RE: ("&",),
    # smarty's pass (smart_angled_quotes off); its entries for the same character are one line.
    "(?<!-)---(?!-)": ("---",),
    "(?<!-)--(?!-)": ("--",),
    smarty.singleQuoteStartRe: ("'",),
    smarty.doubleQuoteStartRe: ('"',),
    smarty.doubleQuoteSetsRe: ("\"'",),
    smarty.singleQuoteSetsRe: ("'\"",),
    smarty.doubleQuoteSetsRe2: ("'\"",),
    smarty.singleQuoteSetsRe2: ("\"'",),
    smarty.decadeAbbrRe: ("'",),
    smarty.openingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex2: ("'",),
    smarty.remainingSingleQuotesRegex: ("'",),
    smarty.openingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex2: ('"',),
    smarty.remainingDoubleQuotesRegex: ('"',),
    "(?<!\\.)\\.{3}(?!\\.)": ("...",),  # smarty's ellipses (written inline in the library)
}


_APART = "\x00"  # joins texts for one search: in no needed string, so no match spans two texts


def needs_of(pattern) -> tuple[str, ...] | None:
    """The strings of which a match of ``pattern`` contains one, or None: try it everywhere."""
    if isinstance(pattern, ip.DelimiterProcessor):  # emphasis: its expression is its tokens, joined by '|'
        tokens = tuple(pattern.tokens)
        return tokens if tokens and pattern.compiled_re.pattern == "|".join(map(re.escape, tokens)) else None
    source = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    return NEEDS.get(source) if isinstance(source, str) else None


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's ``InlineProcessor``, trying a pattern only on text that could match it."""

    _key: tuple = ()

    def _prepare(self) -> None:
        key = tuple((pattern, getattr(pattern, "compiled_re", None)) for pattern in self.inlinePatterns)
        if key != self._key:  # worked out again only if a pattern was added, removed or changed
            self._key = key
            self._patterns = [(pattern, frozenset(needs_of(pattern) or ())) for pattern, _ in key]
            self._needs = sorted(set().union(*(needs for _, needs in self._patterns)))
            if any(not needs for _, needs in self._patterns):  # a pattern that may match anything
                self._always, self._worth = True, lambda text: True
            else:
                # Whether the library's pass could change a text: a pattern could match, or the text
                # holds a placeholder that the pass would resolve.
                wanted = "|".join(re.escape(s) for s in [*self._needs, PLACEHOLDER_PREFIX])
                self._always, self._worth = False, re.compile(wanted).search

    # The library's private methods (name-mangled) are overridden by these names; the library's
    # own code calls them. Each is the library's code (Python-Markdown 3.11.3, checked by
    # ``supported``) with one change, marked "skip".
    # Adapted from Python-Markdown's markdown/treeprocessors.py: Copyright 2007-2023 The Python
    # Markdown Project (v. 1.7 and later); Copyright 2004, 2005, 2006 Yuri Takhteyev (v. 0.2-1.6b);
    # Copyright 2004 Manfred Stienstra (the original version). License: BSD 3-Clause (the library's
    # LICENSE.md, in its installed dist-info).

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._prepare()
        texts = [text for element in tree.iter() for text in (element.text, element.tail) if text]
        if not self._worth(_APART.join(texts)):  # skip: nothing in the tree the pass could change
            return tree
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = [(tree, tree_parents)]
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        handle = self._InlineProcessor__handleInline
        place = self._InlineProcessor__processPlaceholders
        while stack:
            current, parents = stack.pop(0)
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            for child in current:
                # skip: text the pass would leave as it is (no pattern matches, no placeholder).
                if child.text and not isinstance(child.text, AtomicString) and self._worth(child.text):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = place(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack += found
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail and self._worth(child.tail):  # skip, as for text
                    tail = handle(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_result = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    pos = list(current).index(child) + 1
                    tail_result.reverse()
                    for new_child in tail_result:
                        self.parent_map[new_child[0]] = current
                        current.insert(pos, new_child[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in insert_queue:
                for i, obj in enumerate(found):
                    element.insert(i, obj[0])
        return tree

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        # skip: a pattern whose needed strings the text lacks; it would have found no match and
        # returned (data, False, 0). What the text contains is looked at once: a match replaces
        # text with a placeholder (STX, letters, digits, ETX), which can remove a needed string
        # but never make one.
        if isinstance(data, AtomicString):
            return data
        present = {needed for needed in self._needs if needed in data}
        if not present and not self._always:
            return data
        patterns = self._patterns
        apply = self._InlineProcessor__applyPattern
        count = len(patterns)
        start = 0
        while patternIndex < count:
            pattern, needs = patterns[patternIndex]
            if needs and needs.isdisjoint(present):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class MarkerOnlyToc(TocTreeprocessor):
    """The toc extension's pass, building its table of contents as HTML only for a text that has the
    marker (``[TOC]``) that places it. Heading ids and ``md.toc_tokens`` are the library's; without
    the marker, ``md.toc`` (the table as HTML, which the site does not use) is left empty."""

    def _has_marker(self) -> bool:
        # Text that could equal the marker comes from the lines after preprocessing (raw HTML
        # blocks are placeholders there, and their text is never an element's).
        lines = getattr(self.md, "lines", None)
        return bool(self.marker) and (lines is None or self.marker in "\n".join(lines))

    def build_toc_div(self, toc_list: list) -> etree.Element:
        if self._has_marker():
            return super().build_toc_div(toc_list)
        return etree.Element(None)  # serialized as '', like a text with no headings

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._has_marker():  # no marker in the text: no element's text is the marker
            super().replace_marker(root, elem)


# The library code the methods above copy or rely on, by a hash of its source: with another version
# of Python-Markdown, a pass keeps the library's own (slower, never different) until checked again.
# The inline skips also rely on what the library's __applyPattern and __processPlaceholders do; the
# toc one on run() serializing build_toc_div's element as md.toc and calling replace_marker.
RELIED_ON = {
    "inline": (
        InlineProcessor,
        (
            "run",
            "_InlineProcessor__handleInline",
            "_InlineProcessor__applyPattern",
            "_InlineProcessor__processPlaceholders",
        ),
    ),
    "toc": (TocTreeprocessor, ("run", "replace_marker", "build_toc_div")),
}
SOURCE_SHA256 = {
    "inline": "e80116f863b1d803295f5203be601be9968ed6c490d8455b86f0e3abc0ceb1a8",
    "toc": "35919f24384e3192e6577a912f0ea13c1b0168d8b78df76b7b7ff9cab56def79",
}


def source_hash(kind: str) -> str:
    cls, names = RELIED_ON[kind]
    source = "".join(inspect.getsource(getattr(cls, name)) for name in names)
    return hashlib.sha256(source.encode()).hexdigest()


@functools.cache
def supported(kind: str) -> bool:
    """Whether the installed Python-Markdown's code for ``kind`` is the one this module was checked against."""
    try:
        return source_hash(kind) == SOURCE_SHA256[kind]
    except (OSError, TypeError):
        return False


def install(md: markdown.Markdown) -> None:
    """Give ``md`` the passes above in place of the library's (same patterns, same settings)."""
    if supported("inline"):
        for name in ("inline", "smarty"):
            if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
                new = SkippingInlineProcessor(md)
                new.inlinePatterns = md.treeprocessors[name].inlinePatterns
                md.treeprocessors.register(new, name, _priority(md, name))
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if supported("toc") and type(toc) is TocTreeprocessor:
        extension = next(e for e in md.registeredExtensions if isinstance(e, TocExtension))
        md.treeprocessors.register(MarkerOnlyToc(md, extension.getConfigs()), "toc", _priority(md, "toc"))


def _priority(md: markdown.Markdown, name: str) -> float:
    return next(item.priority for item in md.treeprocessors._priority if item.name == name)
