"""Ask every source's web address whether it still answers: HEAD first, then GET if the server
refuses HEAD; a short timeout, a few requests at a time, a user agent that says who is asking.
Redirects are not followed: a permanent one is reported with its new address."""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

log = logging.getLogger(__name__)

USER_AGENT = "massage-guide-linkcheck/1.0 (checks the sources a health-education site cites; one request a page)"
OK, MOVED, DEAD, UNREACHABLE = "ok", "moved", "dead", "unreachable"
PERMANENT = (301, 308)
TEMPORARY = (302, 303, 307)  # DOI and PubMed links redirect like this on every visit: fine
RETRY_WITH_GET = (403, 405, 501)  # servers that refuse HEAD but answer GET


@dataclass(frozen=True)
class LinkResult:
    key: str
    url: str
    status: str  # ok, moved, dead, unreachable
    code: int | None = None  # the HTTP status, when there was one
    detail: str = ""  # the new address of a moved link, or why it was unreachable


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913 - the library's signature
        return None  # urllib then raises HTTPError with the 3xx code and its Location header


_OPENER = urllib.request.build_opener(_NoRedirects())


def _ask(url: str, method: str, timeout: float) -> tuple[int, str]:
    """(HTTP status, Location header) of one request; raises OSError when there is no answer."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, (exc.headers.get("Location", "") if exc.headers else "")
        finally:
            exc.close()


def check_link(key: str, url: str, timeout: float = 10.0) -> LinkResult:
    try:
        code, location = _ask(url, "HEAD", timeout)
        if code in RETRY_WITH_GET or code >= 500:
            code, location = _ask(url, "GET", timeout)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return LinkResult(key, url, UNREACHABLE, None, str(reason) or type(exc).__name__)
    if code in PERMANENT:
        return LinkResult(key, url, MOVED, code, urljoin(url, location))
    if code < 400:
        return LinkResult(key, url, OK, code)
    return LinkResult(key, url, DEAD, code, f"HTTP {code}")


def check_links(urls: dict[str, str], timeout: float = 10.0, workers: int = 4) -> list[LinkResult]:
    """Check {source key: url}, ``workers`` at a time; results in key order."""
    keys = sorted(urls)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda key: check_link(key, urls[key], timeout), keys))
    for result in results:
        log.debug("%s %s %s", result.status, result.url, result.detail)
    return results


def links_text(results: list[LinkResult]) -> str:
    """The plain-text report: problems first, then a count."""
    lines = []
    headings = ((DEAD, "Dead"), (MOVED, "Moved (update 'url' to the new address)"), (UNREACHABLE, "Unreachable"))
    for status, heading in headings:
        found = [r for r in results if r.status == status]
        lines.append(f"{heading}: {len(found) or 'none'}")
        lines += [f"  {r.key}  {r.url}  -> {r.detail}" for r in found]
    good = sum(1 for r in results if r.status == OK)
    lines.append(f"Checked {len(results)} address(es): {good} ok, {len(results) - good} need attention.")
    return "\n".join(lines) + "\n"
