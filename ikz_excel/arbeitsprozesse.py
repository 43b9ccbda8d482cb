"""Worker processes for the two kinds of work that are large and independent per file.

Checking returns (`pruefen`) and writing Korrektur copies (`berichte`) spread over the cores
when there is enough of it. Both want the same things from a pool: start it only where it pays,
keep the garbage collector of the workers away from what they inherited, and carry on without
processes where the system allows none. Reading returns also wants a wall: a crafted file that
makes the reader abort (python-calamine asking for gigabytes) must end a worker, not the run;
workers therefore get a memory limit where the system has one, and their error output, meant
for nobody, goes nowhere.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

# ProcessPoolExecutor refuses more on Windows; more would not help here anyway.
MAX_PROZESSE = 61


def kerne() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_PROZESSE))


GRENZE_SPEICHER = 3 * 1024**3  # address space a worker may add to what it inherited


def geforkt() -> bool:
    """Workers are forks of this process (Linux): cheap to start, they inherit everything."""
    return multiprocessing.get_start_method(allow_none=False) == "fork"


def lohnt_sich(anzahl: int, ab: int) -> bool:
    """Whether `anzahl` tasks pay for starting workers, which pays from `ab` tasks on.

    A forked worker (Linux) is ready at once; one that starts a fresh Python and imports the
    package again (Windows, macOS) costs a second or two, so it pays from five times as many.
    """
    if kerne() < 2:
        return False
    if not geforkt():
        ab *= 5
    return anzahl >= ab


#: Linux's prctl, looked up in the parent (a worker may not import, see `_start`): a
#: worker asks to be ended with its parent. Killed with SIGKILL, the parent left its
#: workers blocked on a full pipe for good, holding the files and the lock of the run (review).
_PRCTL: Any = None
_PR_SET_PDEATHSIG = 1


def _prctl_vorbereiten() -> None:
    global _PRCTL
    if _PRCTL is None and sys.platform == "linux" and geforkt():
        try:
            import ctypes

            _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            _PRCTL = False


def _start(initializer: Callable[..., Any], initargs: tuple[Any, ...], eltern: int) -> None:
    """Set up a worker: ended with its parent, a memory limit, no error output, then the
    caller's initializer.

    Nothing here may import (not even a codec, as reading text would): a worker forked while
    another thread of the parent was importing the same module waits for that import forever.
    """
    # First of all: until here a SIGTERM meets the parent's handler (see cli.beenden_wie_strg_c)
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _PRCTL:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != eltern:  # the parent died before that: end now
            os._exit(1)
    try:
        if resource is None:
            raise ImportError
        with open("/proc/self/statm", "rb") as f:
            jetzt = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hart = resource.getrlimit(resource.RLIMIT_AS)
        grenze = jetzt + GRENZE_SPEICHER
        if hart == resource.RLIM_INFINITY or grenze < hart:
            resource.setrlimit(resource.RLIMIT_AS, (grenze, hart))
    except (ImportError, OSError, ValueError, AttributeError):  # Windows, macOS: no limit here
        pass
    with contextlib.suppress(OSError):
        stille = os.open(os.devnull, os.O_WRONLY)
        os.dup2(stille, 2)
        os.close(stille)
    initializer(*initargs)


@contextlib.contextmanager
def pool(
    initializer: Callable[..., Any], initargs: tuple[Any, ...], anzahl: int | None = None
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `anzahl` (default `kerne()`) workers, or None where the system allows none.

    Forked workers inherit everything the parent holds. Frozen while the pool lives, those
    objects are left alone by the workers' garbage collector instead of being walked again and
    again (which also copied the shared pages, one by one).
    """
    _prctl_vorbereiten()
    gc.freeze()
    try:
        try:
            ausfuehrer = ProcessPoolExecutor(
                anzahl or kerne(),
                initializer=_start,
                initargs=(initializer, initargs, os.getpid()),
            )
        except (OSError, RuntimeError, ValueError):
            ausfuehrer = None
        try:
            yield ausfuehrer
        finally:
            if ausfuehrer is not None:
                ausfuehrer.shutdown(cancel_futures=True)
    finally:
        gc.unfreeze()
