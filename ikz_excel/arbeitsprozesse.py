"""Worker processes for the two kinds of work that are large and independent per file.

Checking returns (`pruefen`) and writing Korrektur copies (`berichte`) spread over the cores
when there is enough of it. Both want the same things from a pool: start it only where it pays,
keep the garbage collector of the workers away from what they inherited, and carry on without
processes where the system allows none.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# ProcessPoolExecutor refuses more on Windows; more would not help here anyway.
MAX_PROZESSE = 61


def kerne() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_PROZESSE))


def lohnt_sich(anzahl: int, ab: int) -> bool:
    """Whether `anzahl` tasks pay for starting workers, which pays from `ab` tasks on.

    A forked worker (Linux) is ready at once; one that starts a fresh Python and imports the
    package again (Windows, macOS) costs a second or two, so it pays from five times as many.
    """
    if kerne() < 2:
        return False
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        ab *= 5
    return anzahl >= ab


@contextlib.contextmanager
def pool(
    initializer: Callable[..., Any], initargs: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `kerne()` workers, or None where the system allows no processes.

    Forked workers inherit everything the parent holds. Frozen while the pool lives, those
    objects are left alone by the workers' garbage collector instead of being walked again and
    again (which also copied the shared pages, one by one).
    """
    gc.freeze()
    try:
        try:
            ausfuehrer = ProcessPoolExecutor(kerne(), initializer=initializer, initargs=initargs)
        except (OSError, RuntimeError, ValueError):
            ausfuehrer = None
        try:
            yield ausfuehrer
        finally:
            if ausfuehrer is not None:
                ausfuehrer.shutdown(cancel_futures=True)
    finally:
        gc.unfreeze()
