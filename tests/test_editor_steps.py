"""The editors' guide's "How to add a guide" steps, done in the order docs/editing.md writes them."""

from __future__ import annotations

import re

from support import ROOT, run_cli


def _fill_in(text: str) -> str:
    """Step 2-4: the editor's own words in place of every placeholder."""
    front, body = text.split("\n---\n", 1)
    front = re.sub(r'description: ".*"', 'description: "How hot stones are used."', front)
    front = re.sub(r'summary: ".*"', 'summary: "What a hot stone massage is."', front)
    front = re.sub(r'  - ".*"', '  - "Stones are warmed first."', front)
    body = "\nStones are warmed before use [@example-source].\n\n## Is it safe?\n\nAsk first [@example-source].\n"
    return f"{front}\n---\n{body}"


def test_add_a_guide_in_the_order_the_guide_gives(make_site):
    steps = (ROOT / "docs/editing.md").read_text(encoding="utf-8").split("## 5. How to add a guide")[1]
    publish, link = steps.index("delete `draft: true`"), steps.index("Link to the new guide")
    assert publish < link, "the guide must say to publish before linking from other pages"
    site = make_site()
    assert run_cli("new", "guide", "Hot stone massage", "--source", str(site)).code == 0  # step 1
    page = site / "content/guides/hot-stone-massage.md"
    page.write_text(_fill_in(page.read_text(encoding="utf-8")), encoding="utf-8")  # steps 2-4
    preview = run_cli("check", "--drafts", "--strict", "--source", str(site))  # step 5: preview with drafts
    assert preview.code == 0, preview.err
    page.write_text(page.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")  # step 6
    first = site / "content/guides/first.md"
    first.write_text(
        first.read_text(encoding="utf-8") + "\nSee [hot stones](hot-stone-massage.md).\n", encoding="utf-8"
    )
    done = run_cli("check", "--strict", "--source", str(site))  # step 7, then the check
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1].startswith("Check passed: 3 pages")
