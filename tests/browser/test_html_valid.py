"""Every generated HTML file passes the Nu HTML Checker (one JVM for the whole site)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.tools


def describe(message: dict, out_dir: Path) -> str:
    """`file:line: message` with the file relative to the output dir."""
    file_path = Path(unquote(urlparse(message.get("url", "")).path))
    where = file_path.relative_to(out_dir) if file_path.is_relative_to(out_dir) else file_path
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}"


def test_every_html_file_is_valid(site, vnu_command):
    out_dir = site.out_dir.resolve()
    files = sorted(str(f) for f in out_dir.rglob("*.html"))
    assert files, f"no HTML files in {out_dir}"
    cmd = [*vnu_command, "--format", "json", "--errors-only", *files]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(proc.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON report (exit {proc.returncode}):\n{proc.stderr}")
    problems = [describe(m, out_dir) for m in report["messages"]]
    assert problems or proc.returncode == 0, f"vnu exited {proc.returncode}: {proc.stderr}"
    assert not problems, f"{len(problems)} HTML error(s):\n" + "\n".join(problems)
