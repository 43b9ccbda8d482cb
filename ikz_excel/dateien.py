"""Writing files so that a crash never leaves half a workbook behind.

Every output is written to a temporary file in the same folder and then renamed over the
target: a rename within one file system is atomic, so readers see the old file or the new one.
"""

from __future__ import annotations

import contextlib
import os
import re
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

_WINDOWS = os.name == "nt"
#: Windows' limit for a path, unless "lange Pfade" are switched on for the PC
MAX_PFAD = 260


def zu_langer_pfad(pfad: Path) -> int | None:
    """The length of a path Windows may refuse to open although Explorer lists the file (a
    deep SharePoint folder): its "not found" read as "verschwunden" (Windows review)."""
    laenge = len(os.path.abspath(pfad))
    return laenge if _WINDOWS and laenge >= MAX_PFAD else None


ZU_LANG_WAS_TUN = (
    "Bitte die Datei in einen Ordner mit kürzerem Pfad legen (etwa direkt in eingang/) oder "
    "kürzer benennen; das nächste Konsolidieren liest sie dann."
)


@contextlib.contextmanager
def atomar(ziel: Path, nur_wenn_anders: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `ziel`; on success it replaces `ziel`, on error it goes.

    The temporary file is private (0600) while it is written; the finished file gets the
    rights any new file in that folder would get (or those of the file it replaces), so the
    colleagues on a shared drive can open what the Steuerungsgruppe wrote.

    `nur_wenn_anders`: the same bytes as `ziel` leave `ziel` as it is, with its date: a
    folder synchronised with a share uploads nothing, and a file open in Excel on Windows
    (which cannot be replaced then) needs no replacing.
    """
    ziel.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{ziel.stem}.", suffix=ziel.suffix + ".tmp", dir=ziel.parent
        )
    except OSError as fehler:  # named by the file the user knows (review: ".Pruefbericht.aa0o…")
        raise _fuer(fehler, ziel) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if nur_wenn_anders and _gleiche_bytes(tmp, ziel):
            return  # the temporary file goes below
        try:
            rechte = ziel.stat().st_mode & 0o777
        except FileNotFoundError:
            rechte = 0o666 & ~_UMASK
        if not _WINDOWS:  # Windows has only "read-only", and a read-only file cannot replace
            with contextlib.suppress(OSError):  # some network drives take no rights at all
                os.chmod(tmp, rechte)
        _ersetzen(tmp, ziel)
    except Exception as fehler:
        fehler = betriebssystemfehler(fehler) or fehler
        if not isinstance(fehler, OSError):
            raise
        if fehler.filename in (name, str(tmp)) or fehler.filename2 in (name, str(ziel)):
            # a message should name the file the user knows, not our hidden temporary one
            raise _fuer(fehler, ziel) from None
        raise
    finally:
        # Never an error of its own: it would take the place of the one that tells the user
        # what happened (a read-only file on Windows cannot be deleted: Windows review).
        with contextlib.suppress(OSError):
            if tmp.exists():
                os.chmod(tmp, 0o600)
                tmp.unlink()


def _fuer(fehler: OSError, ziel: Path) -> OSError:
    """The same error, named by `ziel`; Windows' own code stays (32: open in another program)."""
    neu = type(fehler)(fehler.errno, fehler.strerror, str(ziel))
    if (code := getattr(fehler, "winerror", None)) is not None:
        setattr(neu, "winerror", code)  # noqa: B010  # the attribute exists on Windows only
    return neu


#: Pauses before trying a refused rename again, on Windows only: a virus scanner, the search
#: indexer or OneDrive hold a file just written for a moment (PermissionError, WinError 5/32).
#: A file open in Excel stays refused, and the user hears so after some 1.5 s.
WARTEN_WINDOWS = (0.1, 0.2, 0.4, 0.8)


def _gleiche_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes; False if either cannot be read."""
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


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


class OrdnerNichtLesbar(OSError):
    """A folder under eingang/ that cannot be listed: its returns would count as missing, so
    the run stops before it writes anything (`einlesen.dateien_finden`)."""


def betriebssystemfehler(fehler: BaseException) -> OSError | None:
    """The OSError behind `fehler`: itself, or the one XlsxWriter wraps in FileCreateError."""
    if isinstance(fehler, OSError):
        return fehler
    if fehler.args and isinstance(fehler.args[0], OSError):
        return fehler.args[0]
    return None


def dateifehler(fehler: BaseException) -> str | None:
    """What went wrong with which file or folder, and what to do, in German; None when
    `fehler` is no file error.

    The system's messages name our hidden temporary files, say "Permission denied" in
    English, and one text ("in Excel geöffnet?") served every refusal, even of a folder
    without write rights (review).
    """
    import errno

    ursache = betriebssystemfehler(fehler)
    if ursache is None:
        return None
    if isinstance(ursache, OrdnerNichtLesbar):
        return (
            f"Der Ordner {ursache.filename} lässt sich nicht lesen ({grund(ursache)}). Die "
            "Rückläufe darin würden als fehlend gelten; darum wurde nichts geprüft und nichts "
            "geschrieben. Bitte Leserechte für den Ordner geben lassen (oder ihn aus eingang/ "
            "nehmen) und erneut aufrufen."
        )
    pfad = Path(ursache.filename) if isinstance(ursache.filename, str | os.PathLike) else None
    name = errno.errorcode.get(ursache.errno or 0, "")
    if name in ("ENOSPC", "EDQUOT"):
        wo = f" (beim Schreiben von {pfad})" if pfad else ""
        text = grund(ursache)
        return (
            f"{text[:1].upper()}{text[1:]}{wo}. Bitte Platz schaffen und erneut aufrufen; was "
            "schon dort stand, ist unverändert, denn halbe Dateien entstehen nicht."
        )
    if pfad is None:
        return f"Datei- oder Ordnerfehler: {grund(ursache)}."
    # os.path's checks, not Path's: those raise where a parent folder may not be entered,
    # and the message about one refusal must not become a refusal of its own (review)
    if name == "EISDIR" or (name in ("EACCES", "EPERM") and os.path.isdir(pfad) and pfad.suffix):
        return (
            f"{pfad} ist ein Ordner; dort gehört eine Datei hin. Bitte den Ordner umbenennen "
            "oder verschieben und erneut aufrufen."
        )
    if getattr(ursache, "winerror", None) in (32, 33):  # sharing or lock violation
        return (
            f"{pfad} ist in einem anderen Programm geöffnet (Excel?). Bitte dort schließen und "
            "erneut aufrufen."
        )
    if name in ("EACCES", "EPERM"):
        ordner = pfad if os.path.isdir(pfad) else pfad.parent
        if os.path.isfile(pfad) and not os.access(pfad, os.R_OK):
            return f"Keine Leseberechtigung für {pfad}. Bitte die Rechte der Datei prüfen lassen."
        if os.path.isdir(ordner) and not _beschreibbar(ordner):
            return (
                f"Keine Schreibberechtigung im Ordner {ordner}. Bitte die Rechte des Ordners "
                "prüfen lassen (oder einen anderen Arbeitsbereich wählen) und erneut aufrufen."
            )
        if os.path.isfile(pfad) and not os.access(pfad, os.W_OK):
            return (
                f"{pfad} ist schreibgeschützt. Bitte den Schreibschutz entfernen und erneut "
                "aufrufen."
            )
        return (
            f"Keine Berechtigung für {pfad}. Ist die Datei in Excel geöffnet? Bitte schließen "
            "und erneut aufrufen."
        )
    return f"Datei- oder Ordnerfehler: {grund(ursache)} ({pfad})."


def _beschreibbar(ordner: Path, plattform: str | None = None) -> bool:
    """Whether a file can be made in `ordner`. On Windows, `os.access` knows only the read-only
    attribute and says yes to every folder, so a share without write rights was blamed on a
    file open in Excel (Windows review): there, try it."""
    import sys

    if (plattform or sys.platform) != "win32":
        return os.access(ordner, os.W_OK | os.X_OK)
    try:
        with tempfile.TemporaryFile(dir=ordner):
            return True
    except OSError:
        return False


class Belegt(Exception):
    """Another process holds the lock (`sperre`)."""


@contextlib.contextmanager
def sperre(datei: Path) -> Iterator[None]:
    """Hold an exclusive lock on `datei` for the block; raise `Belegt` if another has it.

    Two runs at once (a button clicked twice, a scheduled run beside a manual one) each
    archived the same files and wrote every ledger line twice (review). The system drops the
    lock when the process ends, however it ends. Where the file system has no locks (some
    network drives), the run goes on without.
    """
    import errno

    datei.parent.mkdir(parents=True, exist_ok=True)
    with open(datei, "a+b") as f:
        try:
            if os.name == "nt":
                import msvcrt

                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as fehler:
            if fehler.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise Belegt(str(datei)) from None
            yield  # no locks on this file system
            return
        try:
            yield
        finally:
            if os.name == "nt":  # released on closing only "eventually" (review): at once
                with contextlib.suppress(OSError):
                    f.seek(0)
                    msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)


#: The temporary files of `atomar`: ".<name>.<8 random characters><suffix>.tmp".
_ZWISCHENDATEI = re.compile(r"\..+\.[a-z0-9_]{8}\.[^.]+\.tmp")


def reste_entfernen(ordner: list[Path], aelter_als: float = 3600) -> int:
    """Remove the temporary files a killed run left behind (kill -9, power cut): hidden, but
    a partial archive copy can be large, and no later run removed them (review). Only those
    older than `aelter_als` seconds: another command may be writing one right now."""
    import time

    grenze = time.time() - aelter_als
    weg = 0
    for o in ordner:
        try:
            kandidaten = [p for p in o.iterdir() if _ZWISCHENDATEI.fullmatch(p.name)]
        except OSError:
            continue
        for p in kandidaten:
            with contextlib.suppress(OSError):
                if p.is_file() and p.stat().st_mtime < grenze:
                    p.unlink()
                    weg += 1
    return weg
