"""A build killed part-way (a real SIGKILL, at a chosen step) leaves the previous output intact, and
the next build cleans up what the killed one left beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from support import FIXED_EPOCH, ROOT, previous_build, run_cli

# Runs the real CLI in a child process that kills itself with SIGKILL at one step of writing.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import sitegen.write as write
    step = sys.argv[1]
    if step == "writing":
        real, count = Path.write_bytes, [0]
        def write_bytes(self, data):
            count[0] += 1
            if count[0] == 4:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(self, data)
        Path.write_bytes = write_bytes
    else:
        def swap(staging, out_dir):
            os.kill(os.getpid(), signal.SIGKILL)
        write._swap = swap
    from sitegen.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


@pytest.mark.parametrize("step", ["writing", "swapping"])
def test_killed_build_leaves_previous_output_intact(make_site, tmp_path, step):
    site = make_site()
    out = previous_build(tmp_path / "out")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")}
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}

    proc = subprocess.run(
        [sys.executable, str(script), step, "build", "--source", str(site), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )

    assert proc.returncode == -9, proc.stderr  # really killed, part-way
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*")} == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers  # the killed build's staging folder is still beside the output
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert (out / "guides/first/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["child.py", "out", "site"]


# Kills the child at its second in-place replacement: one edited page replaced, the other not yet.
IN_PLACE_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    import sitegen.write as write
    write.IN_PLACE_MAX_SHARE = 1.0  # the fixture is small: let this edit go in place
    real, count = os.replace, [0]
    def replace(source, target):
        count[0] += 1
        if count[0] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, target)
    write.os.replace = replace
    from sitegen.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_killed_in_place_update_leaves_whole_files_and_the_next_build_redoes_the_folder(make_site, tmp_path):
    from sitegen.write import JOURNAL

    site = make_site("full")
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for name in ("first", "second"):
        guide = site / f"content/guides/{name}.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert run_cli("build", "--source", str(site), "--out", str(fresh), "--no-cache").code == 0
    after = {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    script = tmp_path / "child.py"
    script.write_text(IN_PLACE_CHILD.format(root=str(ROOT)), encoding="utf-8")

    proc = subprocess.run(
        [sys.executable, str(script), "build", "--source", str(site), "--out", str(out)],
        capture_output=True,
        text=True,
    )

    assert proc.returncode == -9, proc.stderr
    left = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    pages = {path for path in left if path.name == "index.html"}
    assert all(left[path] in (before.get(path), after.get(path)) for path in pages)  # whole: old or new
    assert {path for path in pages if left[path] != before.get(path)}  # part-way: one page replaced...
    assert {path for path in pages if left[path] != after.get(path)}  # ...and one not yet
    assert (out / JOURNAL).is_file()
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == after
