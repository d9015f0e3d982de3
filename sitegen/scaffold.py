"""The page `build.py new` writes, and the check that none of its placeholder text gets published."""

from __future__ import annotations

from .errors import Problem, error, warning
from .model import Page

DESCRIPTION = "One sentence, under 160 characters, saying what this page answers."
KEY_POINT = "The first thing a reader should take away."
SUMMARY = "One or two sentences for the list of guides: what a reader learns here."
OPENING = "Start with a short paragraph that says who this page is for and what it covers."
HEADING = "What is the first question a reader has?"
ADVICE = "Answer it in plain words. To cite a source, put its key from content/data/sources.yaml after an"
PLACEHOLDERS = (DESCRIPTION, SUMMARY, KEY_POINT, OPENING, HEADING, ADVICE)

NEW_PAGE = f"""---
title: "{{title}}"
description: "{DESCRIPTION}"
date: {{today}}
reviewed: {{today}}
draft: true
order: {{order}}
summary: "{SUMMARY}"
key_points:
  - "{KEY_POINT}"
---

{OPENING}

## {HEADING}

{ADVICE}
@ sign in square brackets, straight after the claim. See docs/editing.md for an example.
"""


def check_placeholders(page: Page) -> list[Problem]:
    """An error for each line of scaffold text still in a published page; a warning in a draft (so a
    fresh scaffold previews with --drafts)."""
    make = warning if page.draft else error
    problems = []
    for placeholder in PLACEHOLDERS:
        index = page.source_text.find(placeholder)
        if index >= 0:
            line = page.source_text.count("\n", 0, index) + 1
            message = f"placeholder text from 'build.py new' is still here: '{placeholder[:40]}…'"
            problems.append(make(page.rel_path, line, message, "replace it with your own words"))
    return problems
