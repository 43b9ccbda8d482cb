"""Writing files so that a crash never leaves half a workbook behind.

Every output is written to a temporary file in the same folder and then renamed over the
target: a rename within one file system is atomic, so readers see the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomar(ziel: Path) -> Iterator[Path]:
    """Yield a temporary path beside `ziel`; on success it replaces `ziel`, on error it goes."""
    ziel.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{ziel.stem}.", suffix=ziel.suffix + ".tmp", dir=ziel.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, ziel)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def dateiname(text: str) -> str:
    """A file name part a clerk recognises and every file system accepts."""
    ersatz = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
    for alt, neu in ersatz.items():
        text = text.replace(alt, neu)
    teile = []
    for zeichen in text:
        if zeichen.isascii() and (zeichen.isalnum() or zeichen in "-_"):
            teile.append(zeichen)
        elif zeichen in " /.,;:()&+":
            teile.append("-")
    name = "".join(teile)
    while "--" in name:
        name = name.replace("--", "-")
    return name.strip("-")[:60]


def freier_name(pfad: Path) -> Path:
    """`pfad`, or with _2, _3 ... when it exists: a backup never replaces an older backup."""
    if not pfad.exists():
        return pfad
    n = 2
    while (kandidat := pfad.with_name(f"{pfad.stem}_{n}{pfad.suffix}")).exists():
        n += 1
    return kandidat
