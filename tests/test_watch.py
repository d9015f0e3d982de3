"""The preview's watcher (sitegen/watch.py) on a real event loop over a scratch site: OS events in,
one `rebuild(changed_paths)` per burst out. The loop runs on its own thread, as tornado's does in
`build.py serve`; each test waits for a build with a deadline, never sleeps for one.

"Nothing else was built" is shown with a sentinel: after the files that must start no build, one
more file is saved, and the next build must name that file alone (builds run in order, so a stray
build would come first, or join the sentinel's).
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from preview_support import minimal_site, wait_until
from support import write

from sitegen import watch
from sitegen.watch import SourceWatcher, scan_sources

DEADLINE_S = 10.0


class Watching:
    """A SourceWatcher started on an asyncio loop of its own thread. Each rebuild reads every
    source file, as a build does (reading must start no build), and records its changed paths."""

    def __init__(self, site: Path, out_dir: Path, built: dict | None = None) -> None:
        self.site, self.out_dir = site, out_dir
        self.builds: queue.Queue[list[str]] = queue.Queue()
        self.built_results: list[list[str]] = []
        self.hold = threading.Event()  # cleared: a rebuild waits until it is set
        self.hold.set()
        self.in_build = threading.Event()
        self.running = self.most_at_once = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        snapshot = built if built is not None else scan_sources(site, out_dir)
        self.watcher = self.on_loop(lambda: SourceWatcher(site, out_dir, snapshot, self.rebuild, self.on_built))
        self.on_loop(self.watcher.start)

    def on_loop(self, fn: Callable[[], object]) -> object:
        async def run() -> object:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=DEADLINE_S * 3)

    def rebuild(self, changed: list[str]) -> list[str]:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.in_build.set()
        for folder, _, names in os.walk(self.site):
            for name in names:
                try:
                    Path(folder, name).read_bytes()
                except OSError:
                    pass
        self.builds.put(changed)
        self.hold.wait(DEADLINE_S * 3)
        self.running -= 1
        return changed

    def on_built(self, changed: list[str]) -> None:
        self.built_results.append(changed)

    def builds_naming(self, expected: set[str]) -> set[str]:
        """The paths of the next builds, taken until they name everything ``expected``."""
        named: set[str] = set()
        while not expected <= named:
            named.update(self.next_build())
        return named

    def next_build(self) -> list[str]:
        try:
            return self.builds.get(timeout=DEADLINE_S)
        except queue.Empty:
            pytest.fail(f"no rebuild within {DEADLINE_S:.0f} s")

    def only_this_builds(self, rel_path: str) -> None:
        """Save ``rel_path`` (the sentinel): the next build must be for it alone."""
        write(self.site / rel_path, f"sentinel {rel_path}\n")
        assert self.next_build() == [rel_path]

    def stop(self) -> None:
        self.on_loop(self.watcher.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(DEADLINE_S)
        self.loop.close()


@pytest.fixture(autouse=True)
def unhurried(monkeypatch):
    """Wider settling than the preview's own (and quicker steps), so a busy test machine cannot
    split one burst of saves (written microseconds apart) into two builds; the logic is the same."""
    monkeypatch.setattr(watch, "SETTLE_S", 0.1)
    monkeypatch.setattr(watch, "STEP_MS", 20)


@pytest.fixture
def site(tmp_path) -> Path:
    return minimal_site(tmp_path)


@pytest.fixture
def watching(site, tmp_path) -> Iterator[Watching]:
    running = Watching(site, tmp_path / "out")
    yield running
    running.stop()
    assert not [t for t in threading.enumerate() if t.name == "sitegen-watch"], "a watch thread outlived stop()"


def append(path: Path, text: str) -> None:
    write(path, path.read_text(encoding="utf-8") + text)


def test_an_edit_is_one_rebuild_naming_the_file(watching):
    assert watching.watcher.mode == "os events"
    append(watching.site / "content" / "guides" / "first.md", "\nEdited.\n")
    assert watching.next_build() == ["content/guides/first.md"]
    watching.only_this_builds("content/sentinel.md")
    wait_until(lambda: len(watching.built_results) == 2, "on_built for both builds, on the loop")
    assert watching.built_results == [["content/guides/first.md"], ["content/sentinel.md"]]


def test_a_burst_of_saves_is_one_build(watching):
    content = watching.site / "content"
    # Like an editor's "save all": each file written aside (a dot file, ignored), then renamed in.
    burst = [content / name for name in ("index.md", "guides/first.md", "404.md")]
    for src_path in burst:
        write(src_path.with_name(f".{src_path.name}.saving"), src_path.read_text(encoding="utf-8") + "\nBurst.\n")
    for src_path in burst:
        os.replace(src_path.with_name(f".{src_path.name}.saving"), src_path)
    write(watching.site / "site.yaml", (watching.site / "site.yaml").read_text(encoding="utf-8"))
    assert watching.next_build() == ["content/404.md", "content/guides/first.md", "content/index.md", "site.yaml"]
    watching.only_this_builds("content/sentinel.md")


def test_editor_temp_files_start_no_build(watching):
    content = watching.site / "content"
    for name in (".index.md.swp", "index.md~", "#index.md#", ".#index.md", "guides/.first.md.swx", "4913"):
        write(content / name, "editor scratch")
    (content / "4913").unlink()
    write(content / ".hidden" / "deep" / "page.md", "in a dot folder")
    watching.only_this_builds("content/sentinel.md")


def test_a_file_made_and_removed_again_starts_no_build(watching):
    """A tool's temporary file (sed -i writes one beside the file it edits) is no change; a file that
    was there and is removed is one."""
    scratch = watching.site / "content" / "guides" / "sedX1a2b3"
    write(scratch, "a tool's temporary copy")
    scratch.unlink()
    watching.only_this_builds("content/sentinel.md")
    (watching.site / "content" / "sentinel.md").unlink()
    assert watching.next_build() == ["content/sentinel.md"]


def test_output_and_tool_folders_start_no_build(site, tmp_path):
    # The output inside the site folder and (refused by the build, but skipped all the same) inside content/.
    for out_dir in (site / "_site", site / "content" / "_site"):
        write(out_dir / "index.html", "old output")
        running = Watching(site, out_dir)
        try:
            write(out_dir / "index.html", "new output")
            write(out_dir / "guides" / "first" / "index.html", "a new folder of output")
            for tool in (".git", ".venv", ".cache", "content/.git"):
                write(site / tool / "sub" / "file.txt", "tool data")
            write(site / "unwatched" / "notes.md", "not a watched folder")
            write(site / "README.md", "not a watched file")
            running.only_this_builds("content/sentinel.md")
        finally:
            running.stop()


def test_a_change_during_a_build_starts_one_more_build_after_it(watching):
    watching.hold.clear()
    append(watching.site / "content" / "index.md", "\nFirst.\n")
    assert watching.next_build() == ["content/index.md"]  # and it is still running
    append(watching.site / "content" / "guides" / "first.md", "\nDuring.\n")
    append(watching.site / "templates" / "base.html", "\n")
    watching.hold.set()
    assert watching.next_build() == ["content/guides/first.md", "templates/base.html"]
    watching.only_this_builds("content/sentinel.md")
    assert watching.most_at_once == 1


def test_saves_made_before_start_are_built_at_start(site, tmp_path):
    before_first_build = scan_sources(site, tmp_path / "out")
    append(site / "content" / "index.md", "\nSaved during the first build.\n")
    running = Watching(site, tmp_path / "out", built=before_first_build)
    try:
        assert running.next_build() == ["content/index.md"]
        running.only_this_builds("content/sentinel.md")
    finally:
        running.stop()


def test_site_yaml_replaced_by_rename_is_seen_every_time(watching):
    config = watching.site / "site.yaml"
    for round_ in range(2):  # the second save proves the first replacement did not lose the watch
        write(config.with_name(".site.yaml.tmp"), config.read_text(encoding="utf-8") + f"\n# save {round_}\n")
        os.replace(config.with_name(".site.yaml.tmp"), config)
        assert watching.next_build() == ["site.yaml"]


def test_folders_made_after_start_are_watched(watching, tmp_path):
    site = watching.site
    assert not (site / "static").exists()
    write(site / "static" / "_headers", "/*\n  X-Frame-Options: DENY\n")
    assert watching.next_build() == ["static/_headers"]
    append(site / "static" / "_headers", "  X-Content-Type-Options: nosniff\n")
    assert watching.next_build() == ["static/_headers"]  # static/ itself is now watched

    write(site / "content" / "new" / "deeper" / "page.md", "a page in a new folder")
    assert watching.next_build() == ["content/new/deeper/page.md"]
    write(site / "content" / "new" / "deeper" / "later.md", "and another")
    assert watching.next_build() == ["content/new/deeper/later.md"]

    write(tmp_path / "elsewhere" / "pics" / "a.txt", "moved in with a file")
    os.rename(tmp_path / "elsewhere", site / "content" / "moved")
    assert watching.next_build() == ["content/moved/pics/a.txt"]  # a folder moved in: its files
    write(site / "content" / "moved" / "pics" / "b.txt", "and later")
    assert watching.next_build() == ["content/moved/pics/b.txt"]

    (site / "content" / "empty").mkdir()  # an empty folder is no change, as for the loader
    watching.only_this_builds("content/sentinel.md")


def test_a_watched_folder_removed_and_made_again_is_watched_again(watching):
    site = watching.site
    write(site / "static" / "a.txt", "first")
    assert watching.next_build() == ["static/a.txt"]
    shutil.rmtree(site / "static")  # the folder's name, and its files' if their events came first
    assert watching.builds_naming({"static"}) <= {"static/a.txt", "static"}
    write(site / "static" / "b.txt", "second")
    assert watching.next_build() == ["static/b.txt"]
    append(site / "static" / "b.txt", "edited")
    assert watching.next_build() == ["static/b.txt"]
    os.rename(site / "static", site / "static-old")  # moved away: gone from the site, edits there too
    assert watching.builds_naming({"static"}) == {"static"}
    write(site / "static-old" / "b.txt", "not the site's any more")
    watching.only_this_builds("content/sentinel.md")


def test_stop_waits_for_the_build_in_progress_and_ends_every_thread(site, tmp_path):
    running = Watching(site, tmp_path / "out")
    running.hold.clear()
    append(site / "content" / "index.md", "\nEdited.\n")
    assert running.next_build() == ["content/index.md"]
    order: list[str] = []
    stopping = threading.Thread(target=lambda: (running.stop(), order.append("stop() returned")))
    stopping.start()
    wait_until(lambda: running.watcher.stopped, "stop() to begin")
    order.append("build released")
    running.hold.set()
    stopping.join(DEADLINE_S)
    assert order == ["build released", "stop() returned"] and running.running == 0
    assert not [t for t in threading.enumerate() if t.name == "sitegen-watch" or t.name.startswith("sitegen-build")]


def test_falls_back_to_scanning_when_the_system_refuses(site, tmp_path, monkeypatch, caplog):
    def refuse(*args):
        raise OSError("OS file watch limit reached.")

    monkeypatch.setattr(watch, "RustNotify", refuse)
    with caplog.at_level(logging.WARNING, logger="sitegen.watch"):
        running = Watching(site, tmp_path / "out")
    try:
        assert running.watcher.mode == "scanning"
        warnings = [r.getMessage() for r in caplog.records if r.name == "sitegen.watch"]
        assert len(warnings) == 1 and "OS file watch limit reached" in warnings[0] and "scans" in warnings[0]
        append(site / "content" / "index.md", "\nEdited.\n")
        assert running.next_build() == ["content/index.md"]
        write(site / "content" / ".index.md.swp", "editor scratch")
        running.only_this_builds("content/sentinel.md")
    finally:
        running.stop()


def test_site_paths_filter():
    """The pure part: OS events to site paths."""
    w = SourceWatcher.__new__(SourceWatcher)
    w.root, w.skip = "/s", "/s/_site"
    batch = {
        (2, "/s/content/a.md"),
        (3, "/s/content/.a.md.swp"),
        (1, "/s/content/4913"),
        (2, "/s/_site/index.html"),
        (1, "/elsewhere/x.md"),
        (3, "/s/content/gone"),
    }
    assert w.site_paths(batch) == {"content/a.md", "content/gone"}
