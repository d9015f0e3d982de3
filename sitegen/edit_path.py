"""Quick edits: the preview rebuilds a page whose text changed without looking at the others.

The preview keeps its last good build in memory (LastBuild, on its BuildCache). When the only input
files that changed since are existing pages, and each changed only below its front matter, each
such page is rendered, measured and checked on its own, and just its output file is written (with
its part of the search index). That is only right when no other output can change, so a page takes
this path only if everything other pages and site-wide checks read of it is as it was:

- its front matter, byte for byte (so its title, URL, template, tags, dates and load messages);
- its view (context.PageView: title, summary, key points, change notes, "On this page" headings),
  which the navigation, lists, related guides and every template see of it;
- the pages it links to (related.py scores links) and the sources it cites (the check for
  sources cited nowhere);
- the ids in its output (what links from other pages land on).

Anything else (a new, deleted or renamed file, a template, data, site.yaml, an asset, an error in
the edited page, an output folder without our marker or with an update of another process
unfinished) gives ``None`` and the caller does a whole build, which also reports the errors.

The problems a quick build reports are the last build's, less those of the edited page's own
checks then, plus those of its checks now: the same list a whole build gives, which
tests/test_edit_path.py holds it to, byte for byte and line for line.

Links written in Markdown are reported at their source line and skipped where the output repeats
them (checks.check_output_refs). Here the set skipped is the last build's and the edited page's:
it can only differ from a whole build's by links that no page has any more, and a broken one of
those was an error in the last build, which would not be the last good one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .cache_store import BuildCache
from .check_inputs import Measured, measure_outputs
from .checks import check_output_refs, check_page, check_source_links
from .citations import cited_keys
from .context import Contexts, page_view
from .errors import Problem, errors_in, sort_problems
from .load import load_page
from .model import OutputFile, Page, Site
from .page_bodies import render_page_body
from .related import linked_pages
from .render import render_page_checked
from .write import write_changed

MOST_PAGES = 20  # more pages changed at once than this: a whole build (e.g. a search and replace)


@dataclass(frozen=True)
class LastBuild:
    """What the preview keeps of its last good build (in memory only; never pickled)."""

    settings: tuple  # build.build_site's: source, output folder, base URL, drafts, today
    statuses: dict  # build_memo.input_statuses before that build read anything
    site: Site
    bodies: dict  # rel_path -> PageBody
    contexts: Contexts
    env: object  # the Jinja environment the pages were rendered with
    outputs: tuple  # every OutputFile, as written
    measured: Measured
    source_urls: frozenset  # (url, fragment) of every link written in Markdown
    problems: tuple  # every problem reported (warnings: a good build has no errors)
    grades: dict  # rel_path -> reading grade


def remember(settings, statuses, site, rendered, outputs, measured, problems, grades) -> LastBuild | None:
    """The state a quick edit starts from, after a whole build; None without statuses to compare."""
    if statuses is None or not rendered.parts:
        return None
    bodies, contexts, env = rendered.parts
    urls = frozenset((site.config.site_url(url), fragment) for url, fragment, _, _ in rendered.links)
    return LastBuild(
        settings, statuses, site, bodies, contexts, env, tuple(outputs), measured, urls, tuple(problems), grades
    )


def quick_build(last: LastBuild | None, statuses: dict | None, settings: tuple, out_dir: Path, late=None):
    """(the state after rebuilding only the changed pages and writing their outputs, the output
    paths written, which the caller completes: write.complete_update, or ``late``, a
    write.LateUpdates, whose journal may be there), or None when a whole build is needed (nothing
    is written then). The caller drops ``last`` before calling: a write that fails half way leaves
    no state to trust."""
    changed = _changed_pages(last, statuses, settings)
    if not changed:
        return None
    state, written = last, []
    for rel_path in changed:
        step = _edit_page(state, rel_path)
        if step is None:
            return None
        state, output = step
        if output is not None:
            written.append(output)
    paths = write_changed(written, out_dir, late is not None and late.journal_ours(out_dir)) if written else set()
    if paths is None:
        return None
    return replace(state, statuses=statuses), paths


def _changed_pages(last: LastBuild | None, statuses: dict | None, settings: tuple) -> list[str] | None:
    """The pages whose files changed, when nothing else did: same files, same settings."""
    if last is None or statuses is None or last.settings != settings or statuses.keys() != last.statuses.keys():
        return None
    changed = [rel_path for rel_path, status in statuses.items() if status != last.statuses[rel_path]]
    pages = last.site.pages_by_rel_path
    if len(changed) > MOST_PAGES or not all(rel_path in pages for rel_path in changed):
        return None
    return changed


def _edit_page(state: LastBuild, rel_path: str) -> tuple[LastBuild, OutputFile | None] | None:
    """(the state with this page rebuilt, its output if the bytes changed), or None."""
    site, old = state.site, state.site.pages_by_rel_path[rel_path]
    page, _ = load_page(old.src_path, site.source_dir)
    if page is None or page.rel_path != rel_path or _front(page) != _front(old):
        return None
    edited = _with_page(site, page)
    body, old_body = render_page_body(edited, rel_path), state.bodies[rel_path]
    if errors_in(list(body.problems)) or page_view(edited, page, body) != state.contexts.views[rel_path]:
        return None
    if linked_pages(edited, body) != linked_pages(site, old_body) or cited_keys(page.body) != cited_keys(old.body):
        return None
    glossary = state.contexts.glossary_page
    contexts = replace(state.contexts, site=edited, glossary_page=page if glossary is old else glossary)
    failures: list[Problem] = []
    html = render_page_checked(edited, page, body, contexts, state.env, failures)
    if html is None or failures:
        return None
    output = OutputFile(page.output_path, html.encode("utf-8"), rel_path)
    written = [o for o in state.outputs if o.output_path == output.output_path]  # one: pages are never replaced
    outputs = tuple(output if o.output_path == output.output_path else o for o in state.outputs)
    measured = _measured(state.measured, measure_outputs(edited, [output], BuildCache()), rel_path)
    if measured.parsed[output.output_path].ids != state.measured.parsed[output.output_path].ids:
        return None
    today = state.settings[-1]
    source_urls = state.source_urls | {(site.config.site_url(u), f) for u, f, _, _ in body.links}
    before = _own_problems(site, old, old_body, state.measured, state.outputs, state.source_urls, today)
    after = _own_problems(edited, page, body, measured, outputs, source_urls, today)
    if errors_in(after):
        return None
    problems = list(state.problems)
    for problem in before:
        if problem not in problems:
            return None  # not the last build's: something is not as this module thinks; build it all
        problems.remove(problem)
    grades = {**state.grades, rel_path: measured.grades.get(rel_path)} if rel_path in state.grades else state.grades
    new_state = replace(
        state,
        site=edited,
        bodies={**state.bodies, rel_path: body},
        contexts=contexts,
        outputs=outputs,
        measured=measured,
        source_urls=source_urls,
        problems=tuple(sort_problems(problems + after)),
        grades=grades,
    )
    return new_state, None if written[0].content == output.content else output


def _front(page: Page) -> str:
    """The front matter block, with its --- lines, as written."""
    return page.source_text[: len(page.source_text) - len(page.body)]


def _with_page(site: Site, page: Page) -> Site:
    """``site`` with ``page`` in place of the page loaded from the same file."""

    def swap(old: Page) -> Page:
        return page if old.rel_path == page.rel_path else old

    return replace(
        site,
        pages=tuple(swap(p) for p in site.pages),
        pages_by_rel_path={**site.pages_by_rel_path, page.rel_path: page},
        pages_by_url={**site.pages_by_url, page.url: page},
        nav_pages=tuple(swap(p) for p in site.nav_pages),
    )


def _measured(old: Measured, new: Measured, rel_path: str) -> Measured:
    """The last build's measures with the edited page's (``new``, measured alone) in place."""
    hardest = {name: sentence for name, sentence in old.hardest.items() if name != rel_path}
    hardest.update(new.hardest)
    return Measured(
        {**old.parsed, **new.parsed},
        {**old.texts, **new.texts},
        {**old.grades, **new.grades},
        hardest,
    )


def _own_problems(site, page, body, measured, outputs, source_urls, today: dt.date) -> list[Problem]:
    """What a whole build reports of this page's own checks: its Markdown's messages, its page
    checks (description, review date, reading grade, citations), its links and its output's
    references."""
    found, _ = check_page(page, site.config, today, measured.grades, measured.texts, measured.hardest)
    found += check_source_links(site, list(body.links), measured.parsed)
    found += check_output_refs(site, measured.parsed, outputs, source_urls, only=(page.output_path,))
    return list(body.problems) + found
