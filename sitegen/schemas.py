"""The declared shapes of site.yaml, front matter and each data file."""

from __future__ import annotations

from .schema import Field, list_of, obj

TEMPLATES = ("home", "guide", "compare", "benefits", "myths", "faq", "list", "page", "404")
LEVELS = ("good", "some", "limited", "not-supported")

TEXT = Field("text")
REQUIRED_TEXT = Field("text", required=True)
MD = Field("md")
INLINE_MD = Field("inline_md")
ID = Field("id", required=True)
SOURCE_KEYS = list_of(Field("source_key"))

CONFIG = obj(
    noun="site.yaml key",
    title=REQUIRED_TEXT,
    tagline=TEXT,
    description=Field("text", required=True, max_length=160),
    base_url=Field("url", required=True),
    language=TEXT,
    publisher=TEXT,
    review_interval_days=Field("int"),
    reading_grade_min=Field("int"),
    reading_grade_max=Field("int"),
    description_max=Field("int"),
    disclaimer=TEXT,
    feed_title=TEXT,
    static_overrides=list_of(TEXT),  # output paths a file under static/ may replace, e.g. [robots.txt]
    report_email=TEXT,
)

FRONT_MATTER = obj(
    noun="front matter key",
    title=REQUIRED_TEXT,
    description=Field("text", required=True),
    template=Field("choice", choices=TEMPLATES),
    date=Field("date"),
    updated=Field("date"),
    reviewed=Field("date"),
    draft=Field("bool"),
    order=Field("int"),
    nav=Field("bool"),
    nav_title=TEXT,
    tags=list_of(TEXT),
    slug=Field("id"),
    summary=INLINE_MD,
    key_points=list_of(INLINE_MD),
    sources=SOURCE_KEYS,
    toc=Field("bool"),
    changes=list_of(obj(date=Field("date", required=True), note=Field("inline_md", required=True))),
)

SOURCE = obj(
    title=REQUIRED_TEXT,
    publisher=REQUIRED_TEXT,
    # A source with no checked date or address leaves them out: the reference then
    # says "n.d." and shows no link, rather than carry a guess.
    year=Field("int"),
    url=Field("url"),
    accessed=Field("date"),
    kind=Field(
        "choice",
        choices=(
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
    doi=Field("doi"),
    pmid=Field("pmid"),
    note=TEXT,
)

DATA = {
    "sources": Field("map", item=SOURCE),
    "comparison": obj(
        caption=REQUIRED_TEXT,
        columns=obj(required=True, relaxation=REQUIRED_TEXT, therapeutic=REQUIRED_TEXT),
        rows=list_of(
            obj(
                id=ID,
                aspect=REQUIRED_TEXT,
                relaxation=Field("md", required=True),
                therapeutic=Field("md", required=True),
                sources=SOURCE_KEYS,
            ),
            required=True,
        ),
    ),
    "benefits": obj(
        levels=list_of(
            obj(id=Field("choice", required=True, choices=LEVELS), label=REQUIRED_TEXT, description=INLINE_MD),
            required=True,
        ),
        benefits=list_of(
            obj(
                id=ID,
                title=REQUIRED_TEXT,
                kind=Field("choice", required=True, choices=("relaxation", "therapeutic", "shared")),
                area=Field("choice", required=True, choices=("physical", "mental")),
                evidence=Field("choice", required=True, choices=LEVELS),
                note=Field("inline_md", required=True),
                sources=SOURCE_KEYS,
            ),
            required=True,
        ),
    ),
    "myths": obj(
        myths=list_of(
            obj(id=ID, myth=REQUIRED_TEXT, truth=Field("md", required=True), sources=SOURCE_KEYS),
            required=True,
        ),
    ),
    "faq": obj(
        categories=list_of(
            obj(
                id=ID,
                title=REQUIRED_TEXT,
                questions=list_of(
                    obj(
                        id=ID,
                        question=REQUIRED_TEXT,
                        answer=Field("md", required=True),
                        sources=SOURCE_KEYS,
                    ),
                    required=True,
                ),
            ),
            required=True,
        ),
    ),
}
