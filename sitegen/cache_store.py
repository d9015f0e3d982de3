"""The build cache: values keyed on a digest of everything they depend on, kept in memory for one
process and on disk between runs (`<source>/.cache/sitegen/cache.sqlite`, or --cache-dir).

The disk copy is only ever a speed-up. A missing, truncated, corrupt or foreign-version file is set
aside with a note and the build goes on from nothing; new entries are written in one SQLite
transaction, so a build killed mid-write leaves the previous cache whole. Keys carry no version:
the file records the generator's and libraries' versions, and a mismatch starts it afresh.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import pickle
import sqlite3
import sys
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = "sitegen-cache-1"
CACHE_DIR = Path(".cache") / "sitegen"  # under the site folder; .gitignore lists .cache/
FILE_NAME = "cache.sqlite"
LIBRARIES = ("jinja2", "markupsafe", "markdown", "pyyaml", "pyphen", "pillow")
# Entries not used by the latest build are dropped once there are this many times more of them.
PRUNE_FACTOR = 3
# What a damaged entry raises when unpickled (any of these means: not usable, rebuild it).
UNPICKLE_ERRORS = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError)
MISSING = object()
READ_CHUNK = 500  # keys a query (SQLite allows 32,766 parameters)


def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def versions() -> str:
    """The generator's own code (every module's bytes), Python's and the libraries' versions."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(FORMAT.encode())
    for module in sorted(package.glob("*.py")):
        h.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    libraries = [(name, importlib.metadata.version(name)) for name in LIBRARIES]
    h.update(repr((sys.version_info[:3], libraries)).encode())
    return h.hexdigest()


class BuildCache:
    """get/put by (kind, key). ``folder=None`` keeps it in memory only (--no-cache, or a test)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict = {}  # (kind, key) -> value, of the builds this process ran
        self.prepared: dict = {}  # the Jinja environment and rendered data: memory only, never pickled
        self.last = None  # the preview's last good build, for quick edits (edit_path.LastBuild): memory only
        self.used: set = set()
        self.new: dict = {}  # (kind, key) -> value to write at the end of the build
        self.notes: list[str] = []
        self.hits = self.misses = 0
        self._db: sqlite3.Connection | None = None

    @classmethod
    def for_site(cls, source_dir: Path, cache_dir: Path | None = None, enabled: bool = True) -> BuildCache:
        return cls((cache_dir or source_dir / CACHE_DIR) if enabled else None)

    def begin(self) -> None:
        """Start a build: open the disk cache, or note why it is not used and go on without it."""
        self.used, self.new, self.notes, self.hits, self.misses = set(), {}, [], 0, 0
        if self.folder is not None:
            self._db = self._open()

    def get(self, kind: str, key: str):
        """The value stored under (kind, key), or MISSING."""
        return self.get_many(kind, (key,))[key]

    def get_many(self, kind: str, keys) -> dict:
        """{key: value or MISSING} for ``keys``: as ``get`` for each, with one disk query for
        hundreds of keys (one query a key costs a second at 10,000 pages)."""
        found = {}
        wanted = []
        for key in keys:
            self.used.add((kind, key))
            found[key] = self.memory.get((kind, key), MISSING)
            if found[key] is MISSING:
                wanted.append(key)
        for start in range(0, len(wanted), READ_CHUNK):
            if self._db is None:
                break
            for key, value in self._read_many(kind, wanted[start : start + READ_CHUNK]).items():
                found[key] = self.memory[(kind, key)] = value
        missed = sum(1 for value in found.values() if value is MISSING)
        self.misses += missed
        self.hits += len(found) - missed
        return found

    def put(self, kind: str, key: str, value) -> None:
        item = (kind, key)
        self.used.add(item)
        self.memory[item] = value
        self.new[item] = value

    def finish(self) -> None:
        """End a build: write what it made in one transaction, and forget what it did not use.
        Calling it again does nothing more."""
        self.memory = {item: value for item, value in self.memory.items() if item in self.used}
        if self._db is not None:
            try:
                self._write()
            except sqlite3.Error as exc:  # e.g. another build holds the lock: the next one writes
                self._note(f"could not save the build cache ({exc}); the next build redoes this one's work")
            finally:
                self._db.close()
                self._db = None
        self.new = {}

    def _note(self, message: str) -> None:
        log.info("%s", message)
        self.notes.append(message)

    def _open(self) -> sqlite3.Connection | None:
        path = self.folder / FILE_NAME
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return self._checked(path)
        except sqlite3.DatabaseError as exc:
            self._note(f"{path}: the build cache is unreadable ({exc}); starting it afresh")
        except OSError as exc:
            self._note(f"{path}: cannot use the build cache ({exc.strerror}); building without it")
            return None
        for leftover in (path, path.with_name(FILE_NAME + "-journal")):
            leftover.unlink(missing_ok=True)
        try:
            return self._checked(path)
        except (sqlite3.DatabaseError, OSError) as exc:
            self._note(f"{path}: cannot start a new build cache ({exc}); building without it")
            return None

    def _checked(self, path: Path) -> sqlite3.Connection:
        """A connection to a cache of this format and these versions (a foreign one is emptied)."""
        db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))")
            stored = dict(db.execute("SELECT name, value FROM meta").fetchall())
            current = versions()
            if stored.get("versions") != current:
                if stored:
                    self._note(f"{path}: the build cache was made by another version of the generator; starting afresh")
                with db:
                    db.execute("BEGIN")
                    db.execute("DELETE FROM entries")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?), ('versions', ?)", (FORMAT, current))
            return db
        except BaseException:
            db.close()
            raise

    def _read_many(self, kind: str, keys: list[str]) -> dict:
        marks = ",".join("?" * len(keys))
        try:
            rows = self._db.execute(
                f"SELECT key, value FROM entries WHERE kind = ? AND key IN ({marks})", (kind, *keys)
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._note(f"the build cache is unreadable ({exc}); building without it")
            self._db.close()
            self._db = None
            return {}
        found = {}
        for key, blob in rows:
            try:
                found[key] = pickle.loads(blob)
            except UNPICKLE_ERRORS:
                self._note(f"a damaged build-cache entry ({kind}) was ignored and rebuilt")
        return found

    def _write(self) -> None:
        rows = [(kind, key, pickle.dumps(value, protocol=5)) for (kind, key), value in self.new.items()]
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
            (count,) = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()
            if count > PRUNE_FACTOR * len(self.used) + 100:
                self._prune()

    def _prune(self) -> None:
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT)")
        self._db.execute("DELETE FROM used")
        self._db.executemany("INSERT INTO used VALUES (?, ?)", sorted(self.used))
        self._db.execute("DELETE FROM entries WHERE (kind, key) NOT IN (SELECT kind, key FROM used)")
