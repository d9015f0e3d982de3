"""The live-preview harness shared by tests/test_serve*.py: `python build.py serve` in a
subprocess over a scratch copy of a fixture site."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import FIXED_EPOCH, ROOT, SITES, write

DEADLINE_S = 20.0
NOT_FOUND_TEXT = "this page has wandered off"
PAGE_404 = f"""---
title: Page not found
description: Nothing lives at this address.
template: "404"
reviewed: 2026-11-01
---

Sorry, {NOT_FOUND_TEXT}.
"""
DRAFT_PAGE = """---
title: A draft in progress
description: Not ready yet.
draft: true
reviewed: 2026-11-01
---

Draft words.
"""
BROKEN_YAML = 'example-source:\n  title: "An example source\n  publisher: Example Publisher\n'


def wait_until(condition: Callable[[], object], what: str, timeout: float = DEADLINE_S) -> object:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_site(base: Path, target: Path, files: dict[str, str] | None = None) -> Path:
    """A scratch copy of a site folder, with ``files`` ({rel_path: text}) written over it."""
    shutil.copytree(base, target, ignore=shutil.ignore_patterns("_site", ".*"))
    for rel_path, text in (files or {}).items():
        write(target / rel_path, text)
    return target


class PreviewServer:
    """`python build.py serve` in a subprocess, with its output collected line by line."""

    def __init__(self, site: Path, *args: str, port: int | None = None, env: dict | None = None) -> None:
        self.site = site
        cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site)]
        cmd += ["--port", str(port or free_port()), *args]
        env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        threading.Thread(target=self._collect, daemon=True).start()
        serving = self.wait_for_line("Serving http://")
        self.url = re.search(r"Serving (http://\S+/)", serving)[1]

    def _collect(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, text: str, start: int = 0) -> str:
        """The first output line from index ``start`` on that contains ``text``."""

        def found() -> str | None:
            if self.proc.poll() is not None and not any(text in line for line in self.lines[start:]):
                pytest.fail(f"the server exited with {self.proc.returncode}:\n{self.output}")
            return next((line for line in self.lines[start:] if text in line), None)

        return wait_until(found, f"{text!r} in the server output:\n{self.output}")

    def request(self, raw_path: str, method: str = "GET") -> tuple[int, str, dict]:
        """Send ``raw_path`` exactly as given (no normalising), return status, body and headers."""
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            conn.request(method, raw_path)
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, body, dict(response.getheaders())
        finally:
            conn.close()

    def body(self, raw_path: str) -> str:
        return self.request(raw_path)[1]

    def stop(self) -> int:
        """Ctrl-C, then the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                pytest.fail(f"the server did not stop on Ctrl-C:\n{self.output}")
        return self.proc.returncode


def minimal_site(tmp_path: Path) -> Path:
    return copy_site(SITES / "minimal", tmp_path / "site", {"content/404.md": PAGE_404})
