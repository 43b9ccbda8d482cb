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

# Read once, at import: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def lesbar(name: str) -> str:
    """A file name as text every output can take (workbook, CSV, console, JSON).

    A name that is not UTF-8 on disk (a zip from Windows unpacked on Linux: "B\\x84der…")
    comes to Python with stand-ins for its bytes that no writer accepts: the report of
    every AG stopped on it (review). Here they become "�", enough to recognise the file;
    the file itself is read under its true name.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate that no byte stands for (possible in Windows names): "?"
        return name.encode("utf-8", "surrogateescape" if _nur_bytes(name) else "replace").decode(
            "utf-8", "replace"
        )
    return name


def _nur_bytes(name: str) -> bool:
    """Only the stand-ins Python uses for undecodable bytes (U+DC80 to U+DCFF)."""
    return all(not "\ud800" <= z <= "\udfff" or "\udc80" <= z <= "\udcff" for z in name)


def verknuepfung_ohne_ziel(pfad: Path) -> bool:
    """A link whose target is gone (a shortcut to a file on another drive): it is a file in
    the folder for the clerk, and must be named, not skipped (review: it was not counted)."""
    return pfad.is_symlink() and not pfad.exists()


VERKNUEPFUNG_WAS_TUN = "Bitte die Arbeitsmappe selbst in eingang/ ablegen, keine Verknüpfung."


@contextlib.contextmanager
def atomar(ziel: Path) -> Iterator[Path]:
    """Yield a temporary path beside `ziel`; on success it replaces `ziel`, on error it goes.

    The temporary file is private (0600) while it is written; the finished file gets the
    rights any new file in that folder would get (or those of the file it replaces), so the
    colleagues on a shared drive can open what the Steuerungsgruppe wrote.
    """
    ziel.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{ziel.stem}.", suffix=ziel.suffix + ".tmp", dir=ziel.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            rechte = ziel.stat().st_mode & 0o777
        except FileNotFoundError:
            rechte = 0o666 & ~_UMASK
        with contextlib.suppress(OSError):  # some network drives take no rights at all
            os.chmod(tmp, rechte)
        _ersetzen(tmp, ziel)
    except OSError as fehler:
        if fehler.filename in (name, str(tmp)) or fehler.filename2 in (name, str(ziel)):
            # a message should name the file the user knows, not our hidden temporary one
            raise type(fehler)(fehler.errno, fehler.strerror, str(ziel)) from None
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


#: Pauses before trying a refused rename again, on Windows only: a virus scanner, the search
#: indexer or OneDrive hold a file just written for a moment (PermissionError, WinError 5/32).
#: A file open in Excel stays refused, and the user hears so after some 1.5 s.
WARTEN_WINDOWS = (0.1, 0.2, 0.4, 0.8)


def _ersetzen(tmp: Path, ziel: Path, plattform: str | None = None) -> None:
    import sys
    import time

    pausen = WARTEN_WINDOWS if (plattform or sys.platform) == "win32" else ()
    for pause in pausen:
        try:
            os.replace(tmp, ziel)
            return
        except PermissionError:
            time.sleep(pause)
    os.replace(tmp, ziel)


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


#: What the operating system says, in the words of a German user (its own text is English).
_GRUENDE = {
    "ENOENT": "Datei oder Ordner nicht gefunden",
    "ENOTDIR": "ein Teil des Pfades ist eine Datei, kein Ordner",
    "EISDIR": "das ist ein Ordner, keine Datei",
    "EEXIST": "eine Datei dieses Namens gibt es schon",
    "EACCES": "keine Berechtigung",
    "EPERM": "nicht erlaubt (Datei schreibgeschützt oder gesperrt?)",
    "EROFS": "das Laufwerk ist schreibgeschützt",
    "ENOSPC": "der Datenträger ist voll",
    "EDQUOT": "der Speicherplatz (Kontingent) ist erschöpft",
    "EBUSY": "die Datei wird gerade von einem anderen Programm benutzt",
    "ENAMETOOLONG": "der Pfad ist zu lang",
    "EIO": "Lese- oder Schreibfehler des Datenträgers",
    "EXDEV": "Verschieben über Laufwerksgrenzen geht hier nicht",
    "ENOTEMPTY": "der Ordner ist nicht leer",
}


def grund(fehler: OSError) -> str:
    """Why a file operation failed, in German; the system's own text where we know no better."""
    import errno

    name = errno.errorcode.get(fehler.errno or 0, "")
    return _GRUENDE.get(name) or fehler.strerror or str(fehler)
