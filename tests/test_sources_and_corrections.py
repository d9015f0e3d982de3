"""Issue 9 machinery: references in publisher style, uncited sources, "What changed" notes,
the report-a-problem link, unsupported claims apart from benefits, and the main navigation.

Most tests build a scratch site that uses the real templates and CSS with content written here,
so they check the templates without depending on the real content."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from support import ROOT, run_cli

SITE_YAML = """\
title: Scratch
tagline: A scratch site
description: A scratch site built with the real templates.
base_url: https://example.org/sub/
disclaimer: Not advice.
report_email: fixes@example.org
"""

SOURCES = """\
cherkin2011:
  title: "A comparison of the effects of 2 types of massage and usual care on chronic low back pain"
  publisher: Annals of Internal Medicine
  authors: Cherkin DC, Sherman KJ, Kahn J, et al.
  journal: Annals of Internal Medicine
  year: 2011
  url: https://doi.org/10.7326/0003-4819-155-1-201107050-00002
  doi: 10.7326/0003-4819-155-1-201107050-00002
  pmid: 21727288
  accessed: 2026-11-20
  kind: study
nccih-mt:
  title: "Massage Therapy: What You Need To Know"
  publisher: National Center for Complementary and Integrative Health
  year: 2019
  url: https://www.nccih.nih.gov/health/massage-therapy-what-you-need-to-know
  accessed: 2026-12-02
  kind: government
book:
  title: Is it true?
  publisher: A Press
  authors: Doe J
  year: 2020
  url: https://example.org/book
"""

BENEFITS = """\
levels:
  - id: good
    label: Good evidence
  - id: not-supported
    label: Not supported
benefits:
  - id: calm
    title: Feeling calmer
    kind: shared
    area: mental
    evidence: good
    note: Many people feel calmer.
  - id: toxins
    title: "Claim: removes toxins"
    kind: relaxation
    area: physical
    evidence: not-supported
    note: No good evidence [@nccih-mt].
  - id: lactic
    title: "Claim: clears lactic acid"
    kind: therapeutic
    area: physical
    evidence: not-supported
    note: Resting cleared it faster.
"""


def page(title: str, extra: str = "", body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndescription: About {title}.\n{extra}---\n\n{body}\n"


SAFETY = page(
    "Safety",
    "reviewed: 2026-11-20\nnav: true\norder: 2\nchanges:\n"
    "  - date: 2026-10-01\n    note: Added the list of side effects.\n"
    '  - date: 2026-12-02\n    note: "Corrected the advice on *blood clots* [@nccih-mt]."\n',
    "Massage is usually safe [@cherkin2011; @book].",
)

FILES = {
    "site.yaml": SITE_YAML,
    "content/index.md": page("Home", "template: home\n"),
    "content/guides/index.md": page("Guides", "nav: true\norder: 1\n"),
    "content/guides/safety.md": SAFETY,
    "content/guides/other.md": page("Other guide"),
    "content/about.md": page("About"),
    "content/faq.md": page("FAQ", "template: page\n"),
    "content/compare.md": page("Compare"),
    "content/benefits.md": page("Benefits", "template: benefits\nnav: true\norder: 3\n"),
    "content/data/sources.yaml": SOURCES,
    "content/data/benefits.yaml": BENEFITS,
}


def scratch_site(tmp_path: Path, files: dict | None = None) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "templates", site / "templates")
    shutil.copytree(ROOT / "assets", site / "assets")
    for rel_path, text in {**FILES, **(files or {})}.items():
        target = site / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site


@pytest.fixture
def built(tmp_path) -> Path:
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(scratch_site(tmp_path)), "--out", str(out))
    assert result.code == 0, result.err
    return out


class Outline(HTMLParser):
    """Headings (level, id, text), links (attrs, text) and <li> texts by id, from a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self.links: list[tuple[dict, str]] = []
        self.items: dict[str, str] = {}
        self._heading = self._link = self._item = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), attrs.get("id", ""), ""]
        elif tag == "a":
            self._link = [attrs, ""]
        elif tag == "li" and attrs.get("id"):
            self._item = [attrs["id"], ""]

    def handle_endtag(self, tag):
        if tag[:1] == "h" and tag[1:].isdigit() and self._heading:
            self.headings.append((self._heading[0], self._heading[1], self._heading[2].strip()))
            self._heading = None
        elif tag == "a" and self._link:
            self.links.append((self._link[0], self._link[1].strip()))
            self._link = None
        elif tag == "li" and self._item:
            self.items[self._item[0]] = " ".join(self._item[1].split())
            self._item = None

    def handle_data(self, data):
        for part in (self._heading, self._link, self._item):
            if part is not None:
                part[-1] += data


def outline(out: Path, path: str) -> Outline:
    return Outline((out / path).read_text(encoding="utf-8"))


def test_references_read_like_a_medical_publishers(built):
    refs = outline(built, "guides/safety/index.html")
    assert refs.items["ref-1"] == (
        "Cherkin DC, Sherman KJ, Kahn J, et al. A comparison of the effects of 2 types of massage and usual "
        "care on chronic low back pain. Annals of Internal Medicine. 2011. "
        "doi:10.7326/0003-4819-155-1-201107050-00002. PubMed: 21727288."
    )
    assert refs.items["ref-2"] == "Doe J. Is it true? A Press. 2020."
    assert refs.items["ref-3"] == (
        "National Center for Complementary and Integrative Health. Massage Therapy: What You Need To Know. "
        "2019. Accessed December 2, 2026."
    )
    hrefs = {text: attrs["href"] for attrs, text in refs.links}
    assert hrefs["Massage Therapy: What You Need To Know"] == (
        "https://www.nccih.nih.gov/health/massage-therapy-what-you-need-to-know"
    )
    assert hrefs["10.7326/0003-4819-155-1-201107050-00002"] == (
        "https://doi.org/10.7326/0003-4819-155-1-201107050-00002"
    )
    assert hrefs["21727288"] == "https://pubmed.ncbi.nlm.nih.gov/21727288/"
    html = (built / "guides/safety/index.html").read_text(encoding="utf-8")
    assert "<i>Annals of Internal Medicine</i>" in html
    assert ' style="' not in html


def test_changes_render_newest_first_with_dates_as_time_elements(built):
    html = (built / "guides/safety/index.html").read_text(encoding="utf-8")
    details = html[html.index('<details class="changes">') : html.index("</details>")]
    assert "<summary>What changed</summary>" in details
    newest = details.index('<time datetime="2026-12-02">December 2, 2026</time>')
    oldest = details.index('<time datetime="2026-10-01">October 1, 2026</time>')
    assert newest < oldest
    # The note is Markdown, and a citation in it is numbered with the page's own.
    assert "Corrected the advice on <em>blood clots</em>" in details
    assert 'href="#ref-3"' in details
    assert '<details class="changes">' not in (built / "guides/other/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("  - note: Fixed.\n", "content/guides/first.md:6: missing 'date' in 'changes[1]' (add 'date: …')"),
        ("  - date: 2026-12-02\n", "content/guides/first.md:6: missing 'note' in 'changes[1]' (add 'note: …')"),
        (
            "  - date: soon\n    note: Fixed.\n",
            "content/guides/first.md:6: 'changes[1].date' should be a date like 2026-11-20, not 'soon' "
            "(write a date like 2026-11-20)",
        ),
        (
            "  - date: 2026-12-02\n    note: Fixed.\n    who: me\n",
            "content/guides/first.md:8: unknown key 'who' (allowed: date, note)",
        ),
    ],
)
def test_changes_need_a_date_and_a_note(make_site, change, message):
    text = f"---\ntitle: T\ndescription: D\nreviewed: 2026-11-01\nchanges:\n{change}---\n\nText [@example-source].\n"
    site = make_site(files={"content/guides/first.md": text})
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert result.problem_lines == [message]


def test_report_link_names_the_pages_full_address_on_every_page(built):
    pages = sorted(p for p in built.rglob("*.html") if p.name != "404.html")
    assert len(pages) == len(FILES) - 3  # site.yaml and two data files are not pages
    for path in pages:
        links = [
            attrs["href"]
            for attrs, text in Outline(path.read_text(encoding="utf-8")).links
            if text == "Report a problem with this page"
        ]
        assert len(links) == 1, path
        parts = urlsplit(links[0])
        assert (parts.scheme, parts.path) == ("mailto", "fixes@example.org")
        assert " " not in parts.query and "https://" not in parts.query  # encoded, not raw
        url_path = path.relative_to(built).parent.as_posix()
        expected = "https://example.org/sub/" + ("" if url_path == "." else url_path + "/")
        assert parse_qs(parts.query)["subject"] == [f"Problem on {expected}"]


def test_no_report_link_without_report_email(tmp_path):
    site_yaml = "\n".join(line for line in SITE_YAML.splitlines() if "report_email" not in line) + "\n"
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(scratch_site(tmp_path, {"site.yaml": site_yaml})), "--out", str(out))
    assert result.code == 0, result.err
    assert "mailto:" not in (out / "guides/safety/index.html").read_text(encoding="utf-8")


def test_unsupported_claims_are_never_under_a_benefits_heading(built):
    headings = outline(built, "benefits/index.html").headings
    levels = [level for level, _, _ in headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))  # no skipped level
    section = {}
    current = ""
    for level, hid, text in headings:
        if level == 2:
            current = hid
        elif level == 3:
            section[text] = current
    assert section == {
        "Feeling calmer": "benefits-shared",
        "Claim: removes toxins": "claims-without-support",
        "Claim: clears lactic acid": "claims-without-support",
    }
    assert (2, "claims-without-support", "Claims without good evidence") in headings
    assert "benefits-relaxation" not in [hid for _, hid, _ in headings]  # it held only a claim


def test_a_page_in_the_menu_is_the_only_current_entry(built):
    def current(path):
        html = (built / path).read_text(encoding="utf-8")
        menu = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
        return {text: attrs.get("aria-current") for attrs, text in Outline(menu).links}

    assert current("guides/safety/index.html") == {"Guides": None, "Safety": "page", "Benefits": None}
    assert current("guides/other/index.html") == {"Guides": "true", "Safety": None, "Benefits": None}
    assert current("guides/index.html") == {"Guides": "page", "Safety": None, "Benefits": None}


UNCITED = (
    "content/data/sources.yaml:{line}: warning: source '{key}' is not cited anywhere "
    "(cite it with [@{key}] or remove it)"
)


def test_an_uncited_source_is_a_warning_that_fails_strict(make_site):
    extra = "\nunused:\n  title: Nobody cites this\n  publisher: P\n  year: 2020\n  url: https://example.org/u\n"
    site = make_site()
    sources = site / "content/data/sources.yaml"
    line = len(sources.read_text(encoding="utf-8").splitlines()) + 2
    sources.write_text(sources.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = run_cli("check", "--source", str(site))
    assert result.code == 0
    assert result.problem_lines == [UNCITED.format(line=line, key="unused")]
    assert run_cli("check", "--strict", "--source", str(site)).code == 1


@pytest.mark.parametrize(
    "files",
    [
        {"content/guides/first.md": page("T", "reviewed: 2026-11-01\n", "A claim [@unused].")},
        {"content/guides/first.md": page("T", "reviewed: 2026-11-01\nsources: [unused]\n")},
        {"content/guides/first.md": page("T", "reviewed: 2026-11-01\nkey_points:\n  - Point [@Unused].\n")},
        {
            "content/guides/first.md": page(
                "T", "reviewed: 2026-11-01\nchanges:\n  - date: 2026-12-01\n    note: Fix [@unused].\n"
            )
        },
        {"content/data/myths.yaml": "myths:\n  - id: m\n    myth: M\n    truth: T.\n    sources: [unused]\n"},
        {"content/data/myths.yaml": "myths:\n  - id: m\n    myth: M\n    truth: True [@unused].\n"},
    ],
    ids=["body", "front-matter-sources", "key-point", "change-note", "data-sources", "data-markdown"],
)
def test_any_kind_of_citation_counts(make_site, files):
    unused = "\nunused:\n  title: Cited once\n  publisher: P\n  year: 2020\n  url: https://example.org/u\n"
    site = make_site(files=files)
    sources = site / "content/data/sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + unused, encoding="utf-8")
    result = run_cli("check", "--source", str(site))
    assert [line for line in result.problem_lines if "'unused'" in line] == []
    assert "'unused' is not cited" not in result.err


UNLINKED = """\
backgrounder:
  title: Massage Therapy as CAM
  publisher: An Agency
  kind: government
  note: We could not open the publisher's own copy
"""


def test_a_source_without_a_checked_address_or_date_shows_no_link_and_says_nd(tmp_path):
    files = {
        "content/data/sources.yaml": SOURCES + UNLINKED,
        "content/about.md": page("About", body="Said so [@backgrounder]."),
    }
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(scratch_site(tmp_path, files)), "--out", str(out))
    assert result.code == 0, result.err
    refs = outline(out, "about/index.html")
    assert refs.items["ref-1"] == (
        "An Agency. Massage Therapy as CAM. n.d. We could not open the publisher's own copy."
    )
    assert not any(text == "Massage Therapy as CAM" for _, text in refs.links)
