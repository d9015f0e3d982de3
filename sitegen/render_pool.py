"""Work spread over processes: ``parallel_map`` on a fork pool in the command-line build, in this
process otherwise. Results come back in the order given, so output is the same for any --jobs.

A fork pool is never started from a process running other threads (the preview builds on one):
forking copies locks other threads may hold. Workers get what they need by inheriting it at fork
time (``_FORKED``), and each call names its item explicitly."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_MIN_ITEMS = 48
_FORKED: dict = {}  # what forked workers inherit: the function's shared argument


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork(jobs: int, items: int) -> bool:
    return (
        jobs > 1
        and items >= PARALLEL_MIN_ITEMS
        and "fork" in mp.get_all_start_methods()
        and threading.active_count() == 1
    )


def parallel_map(function: Callable, shared, items: Sequence, jobs: int) -> list:
    """[function(shared, item) for item in items], on up to ``jobs`` processes when that pays."""
    if not can_fork(jobs, len(items)):
        return [function(shared, item) for item in items]
    _FORKED["call"] = (function, shared)
    try:
        workers = min(jobs, len(items))
        chunk = max(1, min(32, len(items) // (workers * 4)))
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_in_worker, items, chunksize=chunk))
    finally:
        _FORKED.clear()


def _in_worker(item):
    function, shared = _FORKED["call"]
    return function(shared, item)
