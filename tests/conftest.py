"""Shared fixtures: scratch sites from fixture folders, and the real site built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXED_EPOCH, SITES, run_cli, write


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def make_site(tmp_path):
    """Copy a fixture site into tmp_path, then apply {rel_path: text or None (delete)}."""

    def make(base: str = "minimal", files: dict | None = None, overlay: Path | None = None) -> Path:
        site = tmp_path / "site"
        shutil.copytree(SITES / base, site)
        if overlay is not None:
            shutil.copytree(overlay, site, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
        for rel_path, text in (files or {}).items():
            target = site / rel_path
            if text is None:
                target.unlink()
            else:
                write(target, text)
        return site

    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The real site, built once for read-only assertions."""
    out = tmp_path_factory.mktemp("real") / "_site"
    result = run_cli("build", "--out", str(out))
    assert result.code == 0, result.err
    return out
