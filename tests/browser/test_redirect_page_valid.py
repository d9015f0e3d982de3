"""A moved page's redirect page (aliases.py) passes the Nu HTML Checker."""

from __future__ import annotations

import json
import subprocess

import pytest
from support import SITES, run_cli

pytestmark = pytest.mark.tools


def test_the_redirect_page_is_valid_html(tmp_path, vnu_command):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site)
    guide = site / "content/guides/first.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("order: 1\n", "order: 1\naliases: [/old/]\n"))
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    page = out / "old/index.html"
    proc = subprocess.run([*vnu_command, "--format", "json", str(page)], capture_output=True, text=True, check=False)
    messages = json.loads(proc.stderr)["messages"]
    assert messages == [], messages
