"""The chooser's rules (chooser.py): every mix of answers reaches one outcome, every outcome is
reachable, safety answers lead to safety outcomes, guides exist; the real rules pass."""

from __future__ import annotations

import pytest
from support import ROOT

from sitegen.build import BuildOptions, load_site
from sitegen.chooser import combinations, matching_rules


@pytest.fixture(scope="module")
def real():
    site, problems = load_site(ROOT, BuildOptions(ROOT), [])
    assert [p.format() for p in problems if p.level == "error"] == []
    return site.data["chooser"]


def test_every_mix_of_answers_reaches_exactly_one_rule(real):
    mixes = combinations(real)
    assert len(mixes) == 12
    assert all(len(matching_rules(real, answers)) == 1 for answers in mixes)


def test_every_safety_answer_leads_to_a_safety_outcome_matching_the_safety_guide(real):
    outcomes = {o["id"]: o for o in real["outcomes"]}
    leads = {item["id"]: item["outcome"] for item in real["safety"]}
    assert leads["clot"] == "dont-book" and leads["fever"] == "wait-until-well"
    assert leads["surgery"] == "ask-surgeon"
    assert {leads[k] for k in ("pregnant", "cancer", "bleeding", "bones")} == {"doctor-first"}
    assert all(outcomes[o]["kind"] == "safety" for o in leads.values())
    assert [item["id"] for item in real["safety"]][:2] == ["clot", "injury"]  # the strictest first


BROKEN = [
    ("{when: {goal: [sport]}, outcome: sports}", "", "no rule matches the answers goal: sport, pressure: light"),
    ("pressure: [light]}", "pressure: [light, firm]}", "two rules match the answers goal: pain, pressure: firm"),
    ("outcome: wait-until-well}", "outcome: relaxation}", "safety answer 'fever' leads to 'relaxation'"),
    ("[content/guides/safety.md]", "[content/guides/safe.md]", "no page 'content/guides/safe.md'"),
    ("{when: {goal: [first]}, outcome: first-time}", "", "outcome 'first-time' can never be shown"),
    ("goal: [unwind]", "goal: [relax]", "no answer 'relax' to a question 'goal'"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN, ids=[m.split(" '")[0] for _, _, m in BROKEN])
def test_a_broken_rule_is_an_error_at_its_line(tmp_path, old, new, message):
    import shutil

    site_dir = tmp_path / "site"
    shutil.copytree(
        ROOT,
        site_dir,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", ".git", ".cache", "_site", "tests", "bench", "test-artifacts"
        ),
    )
    path = site_dir / "content/data/chooser.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, problems = load_site(site_dir, BuildOptions(site_dir), [])
    found = [p.format() for p in problems if message in p.message]
    assert found and all(f.startswith("content/data/chooser.yaml:") for f in found), [p.format() for p in problems]
