"""The declared shapes of site.yaml, front matter and each data file (checked by validation.py)."""

from __future__ import annotations

from .page_types import TEMPLATES
from .validation import Bool, Choice, Date, Doi, Id, Int, ListOf, MapOf, Markdown, Pmid, SourceRef, Text, Url, obj

LEVELS = ("good", "some", "limited", "not-supported")

TEXT = Text()
REQUIRED_TEXT = Text(required=True)
INLINE_MD = Markdown(inline=True)
ID = Id(required=True)
SOURCE_KEYS = ListOf(SourceRef())

CONFIG = obj(
    noun="site.yaml key",
    title=REQUIRED_TEXT,
    tagline=TEXT,
    description=REQUIRED_TEXT,  # its length: checks.check_description, site.yaml's description_max
    base_url=Url(required=True),
    language=TEXT,
    publisher=TEXT,
    review_interval_days=Int(),
    reading_grade_min=Int(),
    reading_grade_max=Int(),
    description_max=Int(),
    disclaimer=TEXT,
    feed_title=TEXT,
    static_overrides=ListOf(TEXT),  # output paths a file under static/ may replace, e.g. [robots.txt]
    report_email=TEXT,
)

FRONT_MATTER = obj(
    noun="front matter key",
    title=REQUIRED_TEXT,
    description=REQUIRED_TEXT,
    template=Choice(TEMPLATES),
    date=Date(),
    updated=Date(),
    reviewed=Date(),
    draft=Bool(),
    order=Int(),
    nav=Bool(),
    nav_title=TEXT,
    tags=ListOf(TEXT),
    slug=Id(),
    summary=INLINE_MD,
    key_points=ListOf(INLINE_MD),
    sources=SOURCE_KEYS,
    toc=Bool(),
    changes=ListOf(obj(date=Date(required=True), note=Markdown(inline=True, required=True))),
    aliases=ListOf(TEXT),  # old addresses that redirect here (aliases.py)
    glossary=Bool(),  # false: no automatic glossary links on this page (glossary.py)
)

SOURCE = obj(
    title=REQUIRED_TEXT,
    publisher=REQUIRED_TEXT,
    # A source with no checked date or address leaves them out: the reference then
    # says "n.d." and shows no link, rather than carry a guess.
    year=Int(),
    url=Url(),
    accessed=Date(),
    kind=Choice(
        (
            "government",
            "clinic",
            "guideline",
            "regulator",
            "association",
            "study",
            "review",
            "commentary",
        ),
    ),
    authors=TEXT,
    journal=TEXT,
    doi=Doi(),
    pmid=Pmid(),
    note=TEXT,
)

CHOICE = obj(id=ID, label=REQUIRED_TEXT)

DATA = {
    "sources": MapOf(SOURCE),
    "chooser": obj(
        questions=ListOf(obj(id=ID, text=REQUIRED_TEXT, options=ListOf(CHOICE, required=True)), required=True),
        safety=ListOf(obj(id=ID, text=REQUIRED_TEXT, outcome=Id(required=True)), required=True),
        rules=ListOf(obj(when=MapOf(ListOf(Id())), outcome=Id(required=True)), required=True),
        outcomes=ListOf(
            obj(
                id=ID,
                kind=Choice(("safety", "suggestion"), required=True),
                title=REQUIRED_TEXT,
                evidence=Choice(LEVELS),
                text=Markdown(inline=True, required=True),
                guides=ListOf(TEXT),  # source files of the pages to read next
            ),
            required=True,
        ),
    ),
    "glossary": obj(
        terms=ListOf(
            obj(
                id=ID,
                term=REQUIRED_TEXT,
                also=ListOf(TEXT),  # other forms that link to this entry: plurals, abbreviations
                kind=Choice(("technique", "term", "evidence"), required=True),
                definition=REQUIRED_TEXT,  # plain text: also the links' accessible description
                sources=SOURCE_KEYS,  # required where the definition makes a health claim
            ),
            required=True,
        ),
    ),
    "comparison": obj(
        caption=REQUIRED_TEXT,
        columns=obj(required=True, relaxation=REQUIRED_TEXT, therapeutic=REQUIRED_TEXT),
        rows=ListOf(
            obj(
                id=ID,
                aspect=REQUIRED_TEXT,
                relaxation=Markdown(required=True),
                therapeutic=Markdown(required=True),
                sources=SOURCE_KEYS,
            ),
            required=True,
        ),
    ),
    "benefits": obj(
        levels=ListOf(
            obj(id=Choice(LEVELS, required=True), label=REQUIRED_TEXT, description=INLINE_MD),
            required=True,
        ),
        benefits=ListOf(
            obj(
                id=ID,
                title=REQUIRED_TEXT,
                kind=Choice(("relaxation", "therapeutic", "shared"), required=True),
                area=Choice(("physical", "mental"), required=True),
                evidence=Choice(LEVELS, required=True),
                note=Markdown(inline=True, required=True),
                sources=SOURCE_KEYS,
            ),
            required=True,
        ),
    ),
    "myths": obj(
        myths=ListOf(
            obj(id=ID, myth=REQUIRED_TEXT, truth=Markdown(required=True), sources=SOURCE_KEYS),
            required=True,
        ),
    ),
    "faq": obj(
        categories=ListOf(
            obj(
                id=ID,
                title=REQUIRED_TEXT,
                questions=ListOf(
                    obj(
                        id=ID,
                        question=REQUIRED_TEXT,
                        answer=Markdown(required=True),
                        sources=SOURCE_KEYS,
                    ),
                    required=True,
                ),
            ),
            required=True,
        ),
    ),
}
