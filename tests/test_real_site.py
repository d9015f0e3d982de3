"""The real site: builds clean, and every page renders what the data files hold."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import yaml
from support import ROOT, run_cli

DATA = ROOT / "content" / "data"


def load(name: str):
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_check_passes_strict_on_the_real_content():
    result = run_cli("check", "--strict")
    assert result.code == 0, result.err


def test_comparison_rows_render_in_order_with_header_cells(real_site):
    page = read(real_site, "compare/index.html")
    data = load("comparison")
    headers = [text(h).strip() for h in re.findall(r'<th scope="row">(.*?)</th>', page, re.S)]
    assert headers == [row["aspect"] for row in data["rows"]]
    assert text(re.search(r"<caption[^>]*>(.*?)</caption>", page, re.S).group(1)).strip() == data["caption"]


def test_every_benefit_has_its_evidence_badge(real_site):
    page = read(real_site, "benefits/index.html")
    data = load("benefits")
    labels = {level["id"]: level["label"] for level in data["levels"]}
    assert set(labels) == {"good", "some", "limited", "not-supported"}
    for benefit in data["benefits"]:
        block = page[page.index(f'id="{benefit["id"]}"') :]
        block = block[: block.index("</li>")]
        assert labels[benefit["evidence"]] in text(block), benefit["id"]


def test_every_myth_is_on_the_myths_page(real_site):
    page = text(read(real_site, "myths/index.html"))
    myths = load("myths")["myths"]
    assert len(myths) >= 8
    for myth in myths:
        assert myth["myth"] in page


def test_faq_questions_are_disclosures_with_ids_and_structured_data(real_site):
    page = read(real_site, "faq/index.html")
    questions = [q for c in load("faq")["categories"] for q in c["questions"]]
    assert len(questions) >= 14
    for q in questions:
        assert re.search(rf'<details[^>]*id="{re.escape(q["id"])}"', page), q["id"]
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    faq = next(node for node in ld["@graph"] if node["@type"] == "FAQPage")
    assert [e["name"] for e in faq["mainEntity"]] == [q["question"] for q in questions]


def test_references_list_cited_sources_with_their_publisher_urls(real_site):
    sources = load("sources")
    page = read(real_site, "guides/safety/index.html")
    section = page[page.index('class="references"') :]
    listed = re.findall(r'<li id="ref-(\d+)">(.*?)</li>', section, re.S)
    assert listed, "the safety guide cites sources"
    numbers = [int(n) for n, _ in listed]
    assert numbers == list(range(1, len(numbers) + 1))
    titles = {s["title"]: s.get("url") for s in sources.values()}
    for _, item in listed:
        cite = re.search(r"<cite>(.*?)</cite>", item, re.S).group(1)
        link = re.fullmatch(r'<a href="([^"]+)">(.*)</a>', cite, re.S)
        title = html.unescape(link.group(2) if link else cite)
        assert title in titles, f"reference {title!r} is not in sources.yaml"
        # The title links to the source's checked address, or to nothing when it has none.
        assert (link.group(1) if link else None) == titles[title]
    for n in numbers:
        assert f'href="#ref-{n}"' in page


def test_each_page_shows_its_review_dates(real_site):
    for md in sorted((ROOT / "content").rglob("*.md")):
        front = yaml.safe_load(md.read_text(encoding="utf-8").split("---")[1])
        if front.get("template") == "404" or "reviewed" not in front:
            continue
        rel = md.relative_to(ROOT / "content").with_suffix("")
        out = "index.html" if str(rel) == "index" else f"{rel.parent if rel.name == 'index' else rel}/index.html"
        page = read(real_site, out)
        assert f'datetime="{front["reviewed"].isoformat()}"' in page, md


def test_every_page_says_information_not_medical_advice(real_site):
    for page in real_site.rglob("*.html"):
        assert "not medical advice" in page.read_text(encoding="utf-8"), page


def test_machine_files(real_site):
    assert "Sitemap: https://" in read(real_site, "robots.txt")
    assert read(real_site, "sitemap.xml").count("<loc>") == len(list(real_site.rglob("index.html")))
    assert "<entry>" in read(real_site, "feed.xml")
    assert (real_site / "404.html").is_file()


def test_structured_data_parses_on_every_page(real_site):
    for page in sorted(real_site.rglob("*.html")):
        source = page.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', source, re.S)
        assert len(blocks) == 1, page
        graph = json.loads(blocks[0])["@graph"]
        assert {"WebSite"} <= {node["@type"] for node in graph}, page
        assert "\ue000" not in blocks[0] and "<sup" not in blocks[0], page
