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
