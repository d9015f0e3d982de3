"""The "Which massage suits me?" rules (content/data/chooser.yaml), checked like any data file:
every mix of answers reaches exactly one outcome, every outcome is reachable, a safety answer
leads to a safety outcome, and every guide named exists. Problems are at ``path:line``."""

from __future__ import annotations

import itertools

from .errors import Problem, error


def combinations(chooser: dict) -> list[dict]:
    """Every mix of answers to the (non-safety) questions, as {question id: option id}."""
    questions = chooser.get("questions") or ()
    ids = [str(q["id"]) for q in questions]
    options = [[str(o["id"]) for o in q["options"]] for q in questions]
    return [dict(zip(ids, mix, strict=True)) for mix in itertools.product(*options)]


def matching_rules(chooser: dict, answers: dict) -> list[int]:
    """Indexes of the rules whose ``when`` covers ``answers`` (a question left out covers any answer)."""
    found = []
    for index, rule in enumerate(chooser.get("rules") or ()):
        when = rule.get("when") or {}
        if all(answers.get(str(q)) in {str(a) for a in picked} for q, picked in when.items()):
            found.append(index)
    return found


def check_chooser_rules(chooser: dict, rel_path: str, site) -> list[Problem]:
    outcomes = {str(o["id"]): o for o in chooser.get("outcomes") or ()}
    return (
        _check_references(chooser, outcomes, rel_path)
        + _check_coverage(chooser, rel_path)
        + _check_reachable(chooser, outcomes, rel_path)
        + _check_guides(outcomes.values(), rel_path, site)
    )


def _check_references(chooser: dict, outcomes: dict, rel_path: str) -> list[Problem]:
    problems = []
    known = {str(q["id"]): {str(o["id"]) for o in q["options"]} for q in chooser.get("questions") or ()}
    for item in chooser.get("safety") or ():
        target = outcomes.get(str(item["outcome"]))
        if target is None or target["kind"] != "safety":
            hint = "a safety answer must lead to an outcome with 'kind: safety'"
            problems.append(
                error(
                    rel_path,
                    item.line_of("outcome"),
                    f"safety answer '{item['id']}' leads to '{item['outcome']}'",
                    hint,
                )
            )
    for rule in chooser.get("rules") or ():
        if str(rule["outcome"]) not in outcomes:
            problems.append(
                error(
                    rel_path,
                    rule.line_of("outcome"),
                    f"no outcome '{rule['outcome']}'",
                    "add it under outcomes, or fix the id",
                )
            )
        for question, picked in (rule.get("when") or {}).items():
            for answer in picked:
                if str(answer) not in known.get(str(question), ()):
                    hint = f"questions and their answers: {sorted(known.items())}"
                    problems.append(
                        error(rel_path, rule.line_of("when"), f"no answer '{answer}' to a question '{question}'", hint)
                    )
    return problems


def _check_coverage(chooser: dict, rel_path: str) -> list[Problem]:
    problems = []
    rules = chooser.get("rules") or ()
    line = chooser.line_of("rules") if hasattr(chooser, "line_of") else 1
    for answers in combinations(chooser):
        found = matching_rules(chooser, answers)
        mix = ", ".join(f"{q}: {a}" for q, a in answers.items())
        if not found:
            problems.append(
                error(rel_path, line, f"no rule matches the answers {mix}", "add a rule, or widen a rule's 'when'")
            )
        elif len(found) > 1:
            second = rules[found[1]]
            hint = "narrow one of them so that each mix of answers has one outcome"
            problems.append(error(rel_path, second.line_of("when"), f"two rules match the answers {mix}", hint))
    return problems


def _check_reachable(chooser: dict, outcomes: dict, rel_path: str) -> list[Problem]:
    used = {str(item["outcome"]) for item in chooser.get("safety") or ()}
    used |= {str(chooser["rules"][i]["outcome"]) for a in combinations(chooser) for i in matching_rules(chooser, a)[:1]}
    hint = "point a rule or a safety answer at it, or remove it"
    return [
        error(rel_path, o.line_of("id"), f"outcome '{key}' can never be shown", hint)
        for key, o in outcomes.items()
        if key not in used
    ]


def _check_guides(outcomes, rel_path: str, site) -> list[Problem]:
    problems = []
    for outcome in outcomes:
        for guide in outcome.get("guides") or ():
            if str(guide) not in site.pages_by_rel_path:
                line = getattr(guide, "line", None) or outcome.line_of("guides")
                hint = "name the page's source file, like content/guides/safety.md"
                problems.append(error(rel_path, line, f"no page '{guide}'", hint))
    return problems
