"""Recalculate workbooks with a real spreadsheet engine (LibreOffice) in tests.

openpyxl and XlsxWriter never evaluate formulas: XlsxWriter stores 0 as the cached value of
every formula, openpyxl stores none. A test that only reads our own files therefore cannot tell
whether a formula works. LibreOffice can load the file, recalculate it and save it again, after
which the cached values are real results – including error values such as #NAME? for functions
or structured references the engine does not understand.

Five traps are handled here and are the reason this module exists instead of a bare
`subprocess.run`:

* LibreOffice by default *keeps* the cached values of OOXML files ("never recalculate"), so a
  wrong cached value silently survives the round trip. The profile gets
  `OOXMLRecalcMode = 0` (always) before the call.
* Two soffice processes sharing one user profile interfere: the second hands its files to the
  first instance and may lose them. Each call gets its own fresh profile directory.
* `--convert-to` names the output after the input's stem, so `a/x.xlsx` and `b/x.xlsx` would
  overwrite each other (ten inputs, one output, exit status 0). Inputs are copied to unique
  names first.
* soffice exits with status 0 even if a file could not be loaded ("source file could not be
  loaded"), so every expected output is checked.
* soffice leaves litter in /tmp: folders lu*.tmp (in TMPDIR) and sockets OSL_PIPE_* (always
  in /tmp), removed only when it ends normally. Every soffice is started by `soffice_starten`
  (TMPDIR inside its profile) and ended by `soffice_beenden`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

__all__ = [
    "braucht_libreoffice",
    "fehlerzellen",
    "im_ci",
    "in_calc_tippen",
    "nachrechnen",
    "soffice_pfad",
    "soffice_verfuegbar",
    "speichern_als",
    "ungueltige_zellen",
    "uno_python",
    "werte",
]

#: LibreOffice's own error codes (Err:502 …). When saving xlsx it maps them to Excel errors
#: (#VALUE! …) with cell type "e"; the pattern only guards against one slipping through as text.
#: Plain text such as "#N/A" is deliberately *not* matched: it is a valid string, not an error.
_LIBREOFFICE_FEHLER = re.compile(r"Err:\d{3}")

# Calc/Formula/Load: 0 = always recalculate, 1 = never, 2 = ask (never when headless).
_REGISTRY = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">\
<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""

_DEUTSCH = "".join(
    f'<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="{name}" oor:op="fuse">'
    "<value>de-DE</value></prop></item>\n"
    for name in ("ooSetupSystemLocale", "ooLocale")
)

_ENDUNGEN = frozenset({".xlsx", ".xlsm"})


@cache
def soffice_pfad() -> str | None:
    """Path of the soffice binary, or None; cached because `which` runs per test module."""
    for name in ("soffice", "libreoffice"):
        gefunden = shutil.which(name)
        if gefunden:
            return gefunden
    return None


def soffice_verfuegbar() -> bool:
    """Whether real-engine tests can run at all on this machine."""
    return soffice_pfad() is not None


def im_ci() -> bool:
    """Whether we run in CI, where LibreOffice is installed and a skip would hide a failure."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


#: Skips locally without LibreOffice, but never in CI: there a missing soffice must fail loudly
#: (nachrechnen raises) instead of turning every engine test into a silent skip.
braucht_libreoffice = pytest.mark.skipif(
    not soffice_verfuegbar() and not im_ci(),
    reason="LibreOffice (soffice) ist nicht installiert – Nachrechnen nicht möglich",
)


def _profil_anlegen(
    profil: Path, wie_ausgeliefert: bool = False, deutsch: bool = False, registry: str = _REGISTRY
) -> None:
    """Pre-seed the profile so the recalc setting is active on the very first start.

    `wie_ausgeliefert` leaves LibreOffice's own defaults (keep stored results): what a clerk's
    freshly installed LibreOffice does with our files. `deutsch` sets the German locale, so
    that typed input is read as a German clerk's ("0,5" with a decimal comma). `registry`
    replaces our settings (e.g. by one that allows macros).
    """
    benutzer = profil / "user"
    benutzer.mkdir(parents=True)
    if wie_ausgeliefert:
        registry = re.sub(r"<item[^\n]*Formula/Load.*?</item>\n", "", registry, flags=re.DOTALL)
    if deutsch:
        registry = registry.replace("</oor:items>", _DEUTSCH + "</oor:items>")
    (benutzer / "registrymodifications.xcu").write_text(registry, encoding="utf-8")


def _beenden(prozess: subprocess.Popen[Any]) -> None:
    """Kill soffice and its children (oosplash → soffice.bin) via the group we created."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(prozess.pid, signal.SIGKILL)
    prozess.wait()


def soffice_rohre(profil: Path, rohr: str | None = None) -> list[Path]:
    """The socket files a soffice with `profil` (and `--accept=pipe,name=<rohr>`) makes.

    LibreOffice's sal puts them in /tmp whatever TMPDIR says, named OSL_PIPE_<uid>_<name>;
    the one of the single-instance check is SingleOfficeIPC_ and the MD5 of the profile's
    URL in UTF-16 (bytes in hex without leading zeros). soffice removes them only when it ends
    normally: each soffice these tests killed left two behind (2,300 in /tmp, session 24).
    """
    digest = hashlib.md5(profil.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    namen = ["SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest)]
    if rohr:
        namen.append(rohr)
    return [Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{name}" for name in namen]


def soffice_starten(argumente: list[str], profil: Path, **optionen: Any) -> subprocess.Popen[Any]:
    """soffice headless with `argumente`, the profile `profil` and its temporary files in
    `profil/tmp`: TMPDIR left as it is, every start left an lu*.tmp folder in /tmp. The
    caller removes `profil` afterwards and ends soffice with `soffice_beenden`."""
    pfad = soffice_pfad()
    if pfad is None:
        raise RuntimeError(
            "LibreOffice (soffice) wurde nicht gefunden. Bitte libreoffice-calc installieren."
        )
    temporaer = profil / "tmp"
    temporaer.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            pfad,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            f"-env:UserInstallation={profil.as_uri()}",
            *argumente,
        ],
        env={**os.environ, "TMPDIR": str(temporaer)},
        start_new_session=True,
        **optionen,
    )


def soffice_beenden(
    prozess: subprocess.Popen[Any], profil: Path, rohr: str | None = None, warten: float = 0
) -> None:
    """End a soffice of `soffice_starten` without litter in /tmp.

    Waits up to `warten` seconds for it to end by itself (after `desktop.terminate()` it
    takes a fraction of a second and removes its sockets), then kills what is left of its
    group and removes the sockets (`soffice_rohre`) a killed soffice leaves.
    """
    if warten:
        with contextlib.suppress(subprocess.TimeoutExpired):
            prozess.wait(timeout=warten)
    _beenden(prozess)
    for datei in soffice_rohre(profil, rohr):
        with contextlib.suppress(FileNotFoundError):
            datei.unlink()


def soffice_umwandeln(
    profil: Path, format_: str, ausgang: Path, dateien: Iterable[Path], zeitlimit: float
) -> tuple[int | None, str, str]:
    """`dateien` converted into `ausgang` (`--convert-to format_`) by one soffice with its own
    profile (two runs sharing one silently lose files); (exit code, stdout, stderr), exit code
    None when it was killed after `zeitlimit` seconds. soffice exits with 0 even when a file
    could not be loaded: the caller checks what it expects in `ausgang`."""
    prozess = soffice_starten(
        ["--convert-to", format_, "--outdir", str(ausgang), *(str(d) for d in dateien)],
        profil,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = prozess.communicate(timeout=zeitlimit)
    except subprocess.TimeoutExpired:
        return None, "", f"nach {zeitlimit:g} s abgebrochen"
    finally:
        soffice_beenden(prozess, profil)
    return prozess.returncode, stdout, stderr


def nachrechnen(
    dateien: list[Path],
    zielordner: Path,
    zeitlimit: float | None = None,
    wie_ausgeliefert: bool = False,
) -> dict[Path, Path]:
    """Recalculate `dateien` with LibreOffice in one soffice start; return source → result.

    One start for all files because starting soffice costs about a second, converting another
    file only a fraction of that. The results are written to `zielordner` as
    `<stem>_nachgerechnet.xlsx` (with a counter if stems repeat); existing files of that name
    are overwritten. `.xlsm` inputs come back as `.xlsx` without macros, which is enough to
    check the formulas. With `wie_ausgeliefert` LibreOffice keeps its default (stored results of
    OOXML files are kept, not recalculated): the result is what a user of LibreOffice sees.
    """
    if soffice_pfad() is None:
        raise RuntimeError(
            "LibreOffice (soffice) wurde nicht gefunden; ohne soffice kann nicht nachgerechnet "
            "werden. Bitte libreoffice-calc installieren."
        )
    quellen = [Path(d) for d in dateien]
    if not quellen:
        return {}
    for quelle in quellen:
        if not quelle.is_file():
            raise FileNotFoundError(f"Datei zum Nachrechnen fehlt: {quelle}")
        if quelle.suffix.lower() not in _ENDUNGEN:
            raise ValueError(f"Nur .xlsx/.xlsm können nachgerechnet werden, nicht: {quelle}")
    if len({q.resolve() for q in quellen}) != len(quellen):
        raise ValueError("Dieselbe Datei wurde mehrfach zum Nachrechnen übergeben.")
    if zeitlimit is None:
        zeitlimit = 120.0 + 15.0 * len(quellen)

    zielordner.mkdir(parents=True, exist_ok=True)
    arbeit = Path(tempfile.mkdtemp(prefix="ikz_libreoffice_"))
    try:
        profil = arbeit / "profil"
        eingang = arbeit / "eingang"
        ausgang = arbeit / "ausgang"
        _profil_anlegen(profil, wie_ausgeliefert)
        eingang.mkdir()
        ausgang.mkdir()

        # ASCII names: unique per call and free of umlauts/spaces in the command line.
        kopien: dict[Path, Path] = {}
        for nummer, quelle in enumerate(quellen):
            kopie = eingang / f"d{nummer:04d}{quelle.suffix.lower()}"
            shutil.copyfile(quelle, kopie)
            kopien[quelle] = kopie

        rueckgabe, stdout, stderr = soffice_umwandeln(
            profil, "xlsx", ausgang, kopien.values(), zeitlimit
        )
        if rueckgabe is None:
            raise RuntimeError(
                f"LibreOffice hat {len(quellen)} Datei(en) nicht innerhalb von {zeitlimit:g} s "
                "nachgerechnet und wurde abgebrochen."
            )

        ergebnis: dict[Path, Path] = {}
        fehlend: list[Path] = []
        # Never overwrite an input that happens to sit in zielordner.
        ziel_aufgeloest = zielordner.resolve()
        vergeben = {q.name for q in quellen if q.parent.resolve() == ziel_aufgeloest}
        for quelle, kopie in kopien.items():
            erzeugt = ausgang / f"{kopie.stem}.xlsx"
            if not erzeugt.is_file() or erzeugt.stat().st_size == 0:
                fehlend.append(quelle)
                continue
            name = f"{quelle.stem}_nachgerechnet.xlsx"
            zaehler = 2
            while name in vergeben:
                name = f"{quelle.stem}_nachgerechnet_{zaehler}.xlsx"
                zaehler += 1
            vergeben.add(name)
            ziel = zielordner / name
            shutil.move(erzeugt, ziel)
            ergebnis[quelle] = ziel

        if fehlend:
            liste = ", ".join(str(f) for f in fehlend)
            raise RuntimeError(
                f"LibreOffice hat {len(fehlend)} von {len(quellen)} Datei(en) nicht "
                f"zurückgegeben: {liste}\n"
                f"Rückgabewert: {rueckgabe}\nstdout: {stdout.strip()}\n"
                f"stderr: {stderr.strip()}"
            )
        return ergebnis
    finally:
        shutil.rmtree(arbeit, ignore_errors=True)


def speichern_als(quelle: Path, ziel: Path, zeitlimit: float = 180) -> Path:
    """`quelle` opened in LibreOffice and saved as `ziel`, in the format its suffix names
    (.xls, .xlsx, .ods …): what a clerk's "Datei > Speichern unter" with that type writes.

    One soffice start with a fresh profile; the output is named after a copy, so the stem
    of `quelle` may contain anything. Raises if LibreOffice wrote nothing (it exits with 0).
    """
    arbeit = Path(tempfile.mkdtemp(prefix="ikz_speichern_"))
    try:
        profil, kopie = arbeit / "profil", arbeit / f"quelle{quelle.suffix.lower()}"
        _profil_anlegen(profil)
        shutil.copyfile(quelle, kopie)
        format_ = ziel.suffix.lower().lstrip(".")
        _, _, stderr = soffice_umwandeln(profil, format_, arbeit / "aus", [kopie], zeitlimit)
        erzeugt = arbeit / "aus" / f"quelle.{format_}"
        if not erzeugt.is_file():
            raise RuntimeError(f"LibreOffice hat {ziel.name} nicht geschrieben: {stderr}")
        ziel.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(erzeugt, ziel)
        return ziel
    finally:
        shutil.rmtree(arbeit, ignore_errors=True)


def _ist_fehler(wert: object, datentyp: str) -> bool:
    """Error cells are typed 'e'; the pattern catches a LibreOffice code written as text."""
    if datentyp == "e":
        return True
    return isinstance(wert, str) and _LIBREOFFICE_FEHLER.fullmatch(wert) is not None


def fehlerzellen(pfad: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, error value) of every error cell, hidden sheets included.

    Uses openpyxl because python-calamine reports error cells as empty strings, which would make
    a broken formula look like an empty cell. Tests should assert *that* a cell is an error, not
    which one: LibreOffice maps its own codes on export (SQRT(-1) gives #VALUE!, Excel #NUM!).
    """
    gefunden: list[tuple[str, str, str]] = []
    mappe = load_workbook(pfad, read_only=True, data_only=True)
    try:
        for blatt in mappe.worksheets:
            for zeile in blatt.iter_rows():
                for zelle in zeile:
                    wert = getattr(zelle, "value", None)
                    if wert is None:
                        continue
                    if _ist_fehler(wert, zelle.data_type):
                        adresse = f"{get_column_letter(zelle.column)}{zelle.row}"
                        gefunden.append((blatt.title, adresse, str(wert)))
    finally:
        mappe.close()
    return gefunden


def werte(pfad: Path, blatt: str) -> dict[str, object]:
    """Cell address → cached value of one sheet; empty cells are left out.

    After `nachrechnen` the cached values are what LibreOffice computed, so tests can compare
    them with the expected numbers directly.
    """
    mappe = load_workbook(pfad, read_only=True, data_only=True)
    try:
        if blatt not in mappe.sheetnames:
            raise KeyError(f"Blatt {blatt!r} fehlt in {pfad}; vorhanden: {mappe.sheetnames}")
        ergebnis: dict[str, object] = {}
        for zeile in mappe[blatt].iter_rows():
            for zelle in zeile:
                wert = getattr(zelle, "value", None)
                if wert is not None:
                    ergebnis[f"{get_column_letter(zelle.column)}{zelle.row}"] = wert
        return ergebnis
    finally:
        mappe.close()


#: For a script run by `uno_python()`: connects to the soffice listening on the pipe
#: `auftrag["pipe"]` (`auftrag`, `time` and `uno` defined before) and gets its `desktop`.
UNO_VERBINDEN = r"""
lokal = uno.getComponentContext()
aufloeser = lokal.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", lokal)
ende = time.monotonic() + 90
while True:
    try:
        ctx = aufloeser.resolve(
            "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % auftrag["pipe"])
        break
    except Exception:
        if time.monotonic() > ende:
            raise
        time.sleep(0.2)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
"""


#: The parts every UNO script of these tests shares: the imports, `auftrag` read from the JSON
#: file in argv[1] and the connection (`UNO_VERBINDEN`); a loop opening each of
#: `auftrag["dateien"]` hidden as `dokument`, collecting into `ergebnis`; and the end, which
#: prints `ergebnis` for `_uno_lauf` and lets soffice go.
_UNO_KOPF = (
    r"""
import json, os, shutil, sys, tempfile, time
import uno
from com.sun.star.beans import PropertyValue

auftrag = json.load(open(sys.argv[1], encoding="utf-8"))
"""
    + UNO_VERBINDEN
    + r"""
def oeffnen(datei, am_ort=False, **weitere):
    # A private copy in this attempt's folder, opened hidden and editable. Opened in place,
    # a lock file beside the file (.~lock.NAME#) got in the way: one of this user, left by a
    # soffice that died in the first attempt, made loadComponentFromURL return None (Calc asks
    # whether to open a file "locked by yourself", and headless nobody answers), so the retry
    # failed with "'NoneType' object has no attribute 'CurrentController'"; one of another
    # user opened the file read-only, where typing silently changes nothing.
    # `am_ort` opens the file itself, for a test of what Calc's lock file beside it does to
    # us; a lock file already there stops it with a clear message (see above).
    if am_ort:
        kopie = os.path.abspath(datei)
        sperre = os.path.join(os.path.dirname(kopie), ".~lock." + os.path.basename(kopie) + "#")
        if os.path.exists(sperre):
            raise RuntimeError("Neben %s liegt schon die Sperrdatei %s (%s)" % (
                datei, os.path.basename(sperre), open(sperre, encoding="utf-8").read().strip()))
    else:
        ordner = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(sys.argv[1])))
        kopie = os.path.join(ordner, os.path.basename(datei))
        shutil.copyfile(datei, kopie)
    # `weitere`: more load properties, e.g. MacroExecutionMode=4 (run macros, no warning)
    eigenschaften = []
    for name, wert in dict(Hidden=True, **weitere).items():
        p = PropertyValue()
        p.Name, p.Value = name, wert
        eigenschaften.append(p)
    dokument = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(kopie), "_blank", 0, tuple(eigenschaften))
    if dokument is None:
        raise RuntimeError("Calc hat %s nicht geöffnet (loadComponentFromURL gab None)" % datei)
    if dokument.isReadonly():
        raise RuntimeError("Calc hat %s nur schreibgeschützt geöffnet" % datei)
    return dokument
"""
)
_UNO_JE_DATEI = r"""ergebnis = {}
for datei in auftrag["dateien"]:
    dokument = oeffnen(datei)
"""
_UNO_SCHLUSS = r"""print("ERGEBNIS " + json.dumps(ergebnis))
try:
    desktop.terminate()
except Exception:
    pass
"""

# Runs in a Python with LibreOffice's UNO bridge (Debian: python3-uno for /usr/bin/python3):
# opens each file in a running soffice and lets Calc mark what its own data validations refuse
# (Extras > Detektiv > Ungültige Daten markieren), one circle per cell.
_UNO_UNGUELTIG = (
    _UNO_KOPF
    + _UNO_JE_DATEI
    + r"""    markiert = []
    for i in range(dokument.Sheets.Count):
        blatt = dokument.Sheets.getByIndex(i)
        blatt.showInvalid()
        seite = blatt.DrawPage
        for k in range(seite.Count):
            form = seite.getByIndex(k)
            if "Ellipse" in form.ShapeType:
                adresse = form.Anchor.CellAddress
                markiert.append([blatt.Name, adresse.Column, adresse.Row])
    ergebnis[datei] = markiert
    dokument.close(True)
"""
    + _UNO_SCHLUSS
)


@cache
def uno_python() -> str | None:
    """A Python interpreter that can `import uno` (Debian's python3-uno or LibreOffice's own)."""
    kandidaten = ["/usr/bin/python3", shutil.which("python3") or ""]
    soffice = soffice_pfad()
    if soffice:
        programm = Path(os.path.realpath(soffice)).parent
        kandidaten += [str(programm / "python"), str(programm / "python.bin")]
    for kandidat in kandidaten:
        if kandidat and Path(kandidat).is_file() and Path(kandidat) != Path(sys.executable):
            probe = subprocess.run(
                [kandidat, "-c", "import uno"], capture_output=True, timeout=60, check=False
            )
            if probe.returncode == 0:
                return kandidat
    return None


def uno_python_noetig() -> str:
    """`uno_python()`, or skip the test; in CI a missing bridge is a failure, not a skip."""
    python = uno_python()
    if python is None:
        if im_ci():
            raise RuntimeError("Keine Python mit UNO-Brücke: apt-get install python3-uno")
        pytest.skip("Keine Python mit LibreOffices UNO-Brücke (Debian: python3-uno)")
    return python


def _uno_lauf(
    skript: str,
    auftrag: dict[str, Any],
    zeitlimit: float,
    name: str,
    deutsch: bool = False,
    registry: str = _REGISTRY,
) -> Any:
    """Run `skript` (UNO_VERBINDEN inside, reading `auftrag` from the JSON file in argv[1])
    against a fresh soffice with its own profile; returns what it printed after "ERGEBNIS ".

    The result counts once printed, whatever the exit code: the UNO Python now and then dies
    without a word while the bridge closes after `desktop.terminate()` (a CI run failed so,
    exit code not 0, stderr empty, in one test of 1,461). A run without a result is tried once
    more with a fresh soffice; the error names both attempts. `registry` is the profile's
    settings (`_profil_anlegen`)."""
    versuche: list[str] = []
    for _ in range(2):
        ergebnis, bericht = _uno_lauf_einmal(skript, auftrag, zeitlimit, name, deutsch, registry)
        if bericht is None:
            return ergebnis
        versuche.append(bericht)
    raise RuntimeError("UNO-Lauf gescheitert:\n" + "\n---\n".join(versuche))


def _uno_lauf_einmal(
    skript: str, auftrag: dict[str, Any], zeitlimit: float, name: str, deutsch: bool, registry: str
) -> tuple[Any, str | None]:
    """One attempt: (result, None), or (None, what the script said)."""
    python = uno_python_noetig()
    arbeit = Path(tempfile.mkdtemp(prefix="ikz_uno_"))
    rohr = f"ikz_{name}_{uuid.uuid4().hex}"
    profil = arbeit / "profil"
    _profil_anlegen(profil, deutsch=deutsch, registry=registry)
    soffice = soffice_starten(
        [f"--accept=pipe,name={rohr};urp;"],
        profil,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    beendet = False  # the script ended with desktop.terminate(): soffice goes by itself
    try:
        pfad, auftrag_pfad = arbeit / f"{name}.py", arbeit / "auftrag.json"
        pfad.write_text(skript, encoding="utf-8")
        auftrag_pfad.write_text(json.dumps({"pipe": rohr, **auftrag}), encoding="utf-8")
        try:
            lauf = subprocess.run(
                [python, str(pfad), str(auftrag_pfad)],
                capture_output=True,
                text=True,
                timeout=zeitlimit,
                check=False,
            )
        except subprocess.TimeoutExpired as abbruch:
            return None, f"nach {zeitlimit} s abgebrochen: {abbruch.stdout!r} {abbruch.stderr!r}"
        zeilen = [z for z in lauf.stdout.splitlines() if z.startswith("ERGEBNIS ")]
        if zeilen:
            beendet = True
            return json.loads(zeilen[-1].removeprefix("ERGEBNIS ")), None
        return None, f"Rückgabe {lauf.returncode}:\n{lauf.stdout[-2000:]}\n{lauf.stderr[-3000:]}"
    finally:
        soffice_beenden(soffice, profil, rohr, warten=15 if beendet else 0)
        shutil.rmtree(arbeit, ignore_errors=True)


def ungueltige_zellen(dateien: list[Path], zeitlimit: float | None = None) -> dict[Path, set]:
    """Per file, the cells (sheet, "A1") whose value LibreOffice's own data validation refuses.

    What a clerk with LibreOffice could not have typed: Calc marks them as with Extras >
    Detektiv > Ungültige Daten markieren. Skips without a UNO bridge (fails in CI).
    """
    roh = _uno_lauf(
        _UNO_UNGUELTIG,
        {"dateien": [str(d) for d in dateien]},
        zeitlimit or 120 + 5 * len(dateien),
        "gueltig",
    )
    return {
        Path(d): {(b, f"{get_column_letter(c + 1)}{r + 1}") for b, c, r in roh[str(d)]}
        for d in dateien
    }


# Opens each file in a running soffice and lets Calc fit every row to its text (Format > Zeilen >
# Optimale Höhe): the height as opened and the one Calc needs, in points. A row of no set height
# opens at the file's default height (15 points): Calc does not fit it when opening either.
_UNO_ZEILENHOEHEN = (
    _UNO_KOPF
    + _UNO_JE_DATEI
    + r"""    zeilen = []
    for i in range(dokument.Sheets.Count):
        blatt = dokument.Sheets.getByIndex(i)
        if not blatt.IsVisible:
            continue
        zeiger = blatt.createCursor()
        zeiger.gotoEndOfUsedArea(False)
        for r in range(zeiger.RangeAddress.EndRow + 1):
            zeile = blatt.Rows.getByIndex(r)
            gesetzt = zeile.Height
            zeile.OptimalHeight = False  # then True: Calc measures anew
            zeile.OptimalHeight = True
            zeilen.append([blatt.Name, r + 1, gesetzt / 35.2778, zeile.Height / 35.2778])
    ergebnis[datei] = zeilen
    dokument.close(True)
"""
    + _UNO_SCHLUSS
)


def zeilenhoehen(dateien: list[Path]) -> dict[Path, list[tuple[str, int, float, float]]]:
    """Per file, (sheet, row, height as opened, height Calc needs for the text) of every row of
    the used area, in points: Calc's optimal height (it leaves out merged cells). Skips without
    a UNO bridge (fails in CI)."""
    roh = _uno_lauf(
        _UNO_ZEILENHOEHEN, {"dateien": [str(d) for d in dateien]}, 120 + 10 * len(dateien), "hoehen"
    )
    return {Path(d): [tuple(z) for z in roh[str(d)]] for d in dateien}


# Calc's own commands (.uno:GoToCell, .uno:EnterString …) go through `helfer`; `eigenschaft`
# builds their arguments.
_UNO_DISPATCH = (
    _UNO_KOPF
    + r"""def eigenschaft(name, wert):
    p = PropertyValue()
    p.Name, p.Value = name, wert
    return p
helfer = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
"""
)


# Opens a private copy of `auftrag["datei"]` (`oeffnen`) hidden for typing as at the keyboard:
# `helfer` sends Calc's own commands (.uno:GoToCell, .uno:EnterString) to its `rahmen`,
# `eigenschaft` builds their arguments.
_UNO_TASTATUR = (
    _UNO_DISPATCH
    + r"""dokument = oeffnen(auftrag["datei"])
rahmen = dokument.CurrentController.Frame
"""
)


# Types into one cell as at the keyboard (Calc's input line, .uno:EnterString), one entry after
# the other, and reports the value Calc stores and the text the cell shows for each.
_UNO_TIPPEN = (
    _UNO_TASTATUR
    + r"""blatt = dokument.Sheets.getByName(auftrag["blatt"])
dokument.CurrentController.setActiveSheet(blatt)
ergebnis = []
for eingabe in auftrag["eingaben"]:
    helfer.executeDispatch(rahmen, ".uno:GoToCell", "", 0,
                           (eigenschaft("ToPoint", auftrag["zelle"]),))
    helfer.executeDispatch(rahmen, ".uno:EnterString", "", 0,
                           (eigenschaft("StringName", eingabe),))
    zelle = blatt.getCellRangeByName(auftrag["zelle"])
    ergebnis.append([zelle.getValue(), zelle.getString()])
dokument.close(True)
"""
    + _UNO_SCHLUSS
)


def in_calc_tippen(
    datei: Path, blatt: str, zelle: str, eingaben: list[str]
) -> list[tuple[float, str]]:
    """(stored value, shown text) of `zelle` after typing each of `eingaben` there in Calc,
    in a German locale (decimal comma). The file is not saved. Skips without a UNO bridge."""
    roh = _uno_lauf(
        _UNO_TIPPEN,
        {"datei": str(datei), "blatt": blatt, "zelle": zelle, "eingaben": eingaben},
        120,
        "tippen",
        deutsch=True,
    )
    return [(float(wert), str(text)) for wert, text in roh]


# Inserts empty rows into sheets of a file (as "Zeilen oberhalb einfügen" in Calc), then types
# texts into cells as at the keyboard (as `_UNO_TIPPEN`), and saves it as .xlsx at "ziel".
_UNO_ZEILEN_EINFUEGEN = (
    _UNO_TASTATUR
    + r"""for name, zeile in auftrag["zeilen"]:
    blatt = dokument.Sheets.getByName(name)
    blatt.unprotect("")
    blatt.Rows.insertByIndex(zeile - 1, 1)
for name, adresse, text in auftrag["eingaben"]:
    blatt = dokument.Sheets.getByName(name)
    blatt.unprotect("")
    dokument.CurrentController.setActiveSheet(blatt)
    helfer.executeDispatch(rahmen, ".uno:GoToCell", "", 0, (eigenschaft("ToPoint", adresse),))
    helfer.executeDispatch(rahmen, ".uno:EnterString", "", 0,
                           (eigenschaft("StringName", text),))
dokument.storeToURL(uno.systemPathToFileUrl(os.path.abspath(auftrag["ziel"])),
                    (eigenschaft("FilterName", "Calc MS Excel 2007 XML"),))
ergebnis = True  # stored: soffice now and then dies while closing a document typed into
try:
    dokument.close(True)
except Exception:
    pass
"""
    + _UNO_SCHLUSS
)


def in_calc_zeilen_einfuegen(
    datei: Path,
    ziel: Path,
    zeilen: list[tuple[str, int]],
    eingaben: list[tuple[str, str, str]] | None = None,
) -> Path:
    """`datei` opened in Calc, an empty row inserted above each (sheet, Excel row) of `zeilen`
    (in that order: a later row counts after the earlier ones are in), each (sheet, cell,
    text) of `eingaben` typed (German locale), saved as .xlsx at `ziel`. Sheet protection is
    lifted first, as a clerk who knows how would. Skips without a UNO bridge."""
    _uno_lauf(
        _UNO_ZEILEN_EINFUEGEN,
        {"datei": str(datei), "ziel": str(ziel), "zeilen": zeilen, "eingaben": eingaben or []},
        180,
        "zeilen",
        deutsch=True,
    )
    return ziel


# Types a text into each of a file's cells as at the keyboard (as `_UNO_TIPPEN`) and reports,
# per cell, the height of its row as opened and after typing, the height Calc needs for what
# the row then holds, and whether the sheet is protected. The file is not saved.
_UNO_HOEHE_NACH_TIPPEN = (
    _UNO_TASTATUR
    + r"""ergebnis = []
for name, adresse, text in auftrag["eingaben"]:
    blatt = dokument.Sheets.getByName(name)
    dokument.CurrentController.setActiveSheet(blatt)
    zeile = blatt.Rows.getByIndex(blatt.getCellRangeByName(adresse).CellAddress.Row)
    vorher = zeile.Height
    helfer.executeDispatch(rahmen, ".uno:GoToCell", "", 0, (eigenschaft("ToPoint", adresse),))
    helfer.executeDispatch(rahmen, ".uno:EnterString", "", 0,
                           (eigenschaft("StringName", text),))
    nachher = zeile.Height
    zeile.OptimalHeight = False  # then True: Calc measures anew
    zeile.OptimalHeight = True
    ergebnis.append([vorher / 35.2778, nachher / 35.2778, zeile.Height / 35.2778,
                     blatt.isProtected(), blatt.getCellRangeByName(adresse).getString()])
dokument.close(True)
"""
    + _UNO_SCHLUSS
)


@dataclass(frozen=True)
class Zeilenhoehe:
    """A row's heights in points around typing into one of its cells (`hoehe_nach_tippen`)."""

    vorher: float  # as the file opened
    nachher: float  # right after typing
    noetig: float  # what Calc needs for the row's text (its optimal height)
    geschuetzt: bool  # the sheet was protected while typing
    text: str  # what the cell then holds


def hoehe_nach_tippen(datei: Path, eingaben: list[tuple[str, str, str]]) -> list[Zeilenhoehe]:
    """For each (sheet, cell, text) of `eingaben`, typed into `datei` in Calc one after the
    other as a clerk does (German locale), the heights of the cell's row. Measuring the
    optimal height fits the row to it: a later entry into the same row starts from there. The
    file is not saved. Skips without a UNO bridge."""
    roh = _uno_lauf(
        _UNO_HOEHE_NACH_TIPPEN,
        {"datei": str(datei), "eingaben": [list(e) for e in eingaben]},
        120,
        "hoehe",
        deutsch=True,
    )
    return [Zeilenhoehe(*z) for z in roh]


# Opens `auftrag["quelle"]` hidden, does `auftrag["schritte"]` as a clerk does them at the
# keyboard or with the menu, and saves `auftrag["ziel"]` in the format its suffix names (Datei >
# Speichern unter). The result is printed right after the save: closing the document then (or
# opening the next one in the same soffice) now and then takes soffice down.
_UNO_BEARBEITEN = (
    _UNO_DISPATCH
    + r"""FILTER = {".xlsx": "Calc MS Excel 2007 XML", ".ods": "calc8", ".xls": "MS Excel 97",
          ".xlsm": "Calc MS Excel 2007 VBA XML"}
quelle, ziel = os.path.abspath(auftrag["quelle"]), os.path.abspath(auftrag["ziel"])
sperre = os.path.join(os.path.dirname(quelle), ".~lock." + os.path.basename(quelle) + "#")
if os.path.exists(sperre):  # left by a first attempt: Calc would not open the file again
    os.remove(sperre)
dokument = desktop.loadComponentFromURL(
    uno.systemPathToFileUrl(quelle), "_blank", 0, (eigenschaft("Hidden", True),))
rahmen = dokument.CurrentController.Frame
def befehl(name, **argumente):
    helfer.executeDispatch(rahmen, ".uno:" + name, "", 0,
                           tuple(eigenschaft(k, v) for k, v in argumente.items()))
filter_name = FILTER[os.path.splitext(ziel)[1].lower()]
for art, name, *rest in auftrag["schritte"]:
    if art == "dateityp":  # Datei > Speichern unter, Dateityp (Calc's filter name)
        filter_name = name
        continue
    blatt = dokument.Sheets.getByName(name)
    dokument.CurrentController.setActiveSheet(blatt)
    if art == "schutz_aus":  # Extras > Blatt schützen, abgewählt (no password)
        blatt.unprotect("")
    elif art == "tippen":
        befehl("GoToCell", ToPoint=rest[0])
        befehl("EnterString", StringName=rest[1])
    elif art == "leeren":  # select, Entf
        blatt.getCellRangeByName(rest[0]).clearContents(31)
    elif art == "kopieren":  # select, Strg+C; on the other sheet's cell Strg+V
        # Calc's own copy of a cell (value and format), as Strg+C, Strg+V do it; the
        # clipboard itself a headless soffice does not survive (.uno:Paste and
        # insertTransferable took it down)
        nach = dokument.Sheets.getByName(rest[1]).getCellRangeByName(rest[2]).CellAddress
        blatt.copyRange(nach, blatt.getCellRangeByName(rest[0]).RangeAddress)
    elif art == "unten_ausfuellen":  # select, Blatt > Zellen ausfüllen > Unten
        befehl("GoToCell", ToPoint=rest[0])
        befehl("FillDown")
    elif art == "spalte_loeschen":  # right click on the column head, Spalten löschen
        spalte = blatt.getCellRangeByName(rest[0]).CellAddress.Column
        blatt.Columns.removeByIndex(spalte, 1)
    elif art == "blatt_kopieren":  # Blatt > Tabelle verschieben/kopieren, Kopieren, dahinter
        position = list(dokument.Sheets.ElementNames).index(name) + 1
        dokument.Sheets.copyByName(name, rest[0], position)
    elif art == "blatt_loeschen":  # right click on the sheet tab, Tabelle löschen
        dokument.Sheets.removeByName(name)
    elif art == "blatt_umbenennen":  # double click on the sheet tab
        blatt.Name = rest[0]
    elif art == "reihe":  # first cell selected, its fill handle dragged down the range
        from com.sun.star.sheet.FillDirection import TO_BOTTOM
        blatt.getCellRangeByName(rest[0]).fillAuto(TO_BOTTOM, 1)
    elif art in ("einfuegen", "transponiert"):  # Strg+C there, Strg+V (or Inhalte einfügen >
        # Transponieren) here: rest = source cells, target sheet, target cell
        befehl("GoToCell", ToPoint=rest[0])
        befehl("Copy")
        ziel_blatt = dokument.Sheets.getByName(rest[1])
        dokument.CurrentController.setActiveSheet(ziel_blatt)
        befehl("GoToCell", ToPoint=rest[2])
        if art == "einfuegen":
            befehl("Paste")
        else:
            befehl("InsertContents", Flags="A", FormulaCommand=0, SkipEmptyCells=False,
                   Transpose=True, AsLink=False, MoveMode=4)
    elif art == "kennwort":  # Extras > Blatt schützen, with a password
        blatt.protect(rest[0])
    elif art == "filter":  # AutoFilter of the table: column (0-based) equal to a text
        from com.sun.star.sheet.FilterOperator import EQUAL
        bereich = blatt.getCellRangeByName(rest[0])
        beschreibung = bereich.createFilterDescriptor(True)
        feld = uno.createUnoStruct("com.sun.star.sheet.TableFilterField")
        feld.Field, feld.Operator, feld.IsNumeric, feld.StringValue = rest[1], EQUAL, False, rest[2]
        beschreibung.FilterFields = (feld,)
        beschreibung.ContainsHeader = True
        bereich.filter(beschreibung)
    elif art == "sortieren":  # range selected, Daten > Sortieren: rest = range with its
        # header, column (1-based within it), "absteigend" or "aufsteigend"
        befehl("GoToCell", ToPoint=rest[0])
        befehl("DataSort", ByRows=True, HasHeader=True, Col1=int(rest[1]),
               Ascending1=rest[2] != "absteigend")
    elif art == "zeilen_loeschen":  # rows selected, Zeilen löschen: rest = first row, count
        blatt.Rows.removeByIndex(int(rest[0]) - 1, int(rest[1]))
    elif art == "spalte_einfuegen":  # right click on the column head, Spalten davor einfügen
        spalte = blatt.getCellRangeByName(rest[0]).CellAddress.Column
        blatt.Columns.insertByIndex(spalte, 1)
    elif art == "text_einfuegen":  # a copied text pasted into the cell's input line
        blatt.getCellRangeByName(rest[0]).setString(rest[1])
    elif art == "formel":  # what Calc makes of a text it takes for a formula
        blatt.getCellRangeByName(rest[0]).setFormula(rest[1])
    elif art == "zeile_einfuegen":  # right click on the row head, Zeilen oberhalb einfügen
        blatt.Rows.insertByIndex(int(rest[0]) - 1, 1)
    elif art == "ausschneiden":  # Strg+X, then Strg+V on the target cell: rest = source
        # range, target cell (on the same sheet); formulas referring to it follow it
        nach = blatt.getCellRangeByName(rest[1]).CellAddress
        blatt.moveRange(nach, blatt.getCellRangeByName(rest[0]).RangeAddress)
    elif art == "verbinden":  # range selected, Format > Zellen verbinden (contents kept in
        # the first cell, as Calc asks when the others are not empty: "Nein")
        blatt.getCellRangeByName(rest[0]).merge(True)
    elif art == "blatt_ausblenden":  # right click on the sheet tab, Tabelle ausblenden
        blatt.IsVisible = False
    elif art == "blatt_einfuegen":  # Tabelle > Tabelle einfügen, a name, behind this one
        position = list(dokument.Sheets.ElementNames).index(name) + 1
        dokument.Sheets.insertNewByName(rest[0], position)
        neues = dokument.Sheets.getByName(rest[0])
        for adresse, text in zip(rest[1::2], rest[2::2]):
            neues.getCellRangeByName(adresse).setString(text)
    elif art == "tabelle_umbenennen":  # Daten > Bereich festlegen: neu hinzufügen, alt löschen
        bereiche = dokument.DatabaseRanges
        flaeche = bereiche.getByName(rest[0]).DataArea
        bereiche.addNewByName(rest[1], flaeche)
        bereiche.removeByName(rest[0])
    else:
        raise ValueError(art)
dokument.storeToURL(uno.systemPathToFileUrl(ziel), (eigenschaft("FilterName", filter_name),))
ergebnis = ziel
"""
    + _UNO_SCHLUSS
)


def in_calc_bearbeiten(
    auftraege: list[tuple[Path, Path, list[tuple[str, ...]]]], zeitlimit: float = 120
) -> list[Path]:
    """Each (source, target, steps) of `auftraege` opened in Calc (German locale), the steps
    done as a clerk does them, saved as target.

    Steps: ("schutz_aus", sheet) removes the sheet protection (it has no password);
    ("tippen", sheet, cell, text) types as at the keyboard; ("leeren", sheet, range) selects
    and deletes the contents; ("kopieren", sheet, cell, target sheet, target cell) copies a
    cell and pastes it (Strg+C, Strg+V: value and format); ("unten_ausfuellen", sheet,
    range) fills the first row of the range down (Blatt > Zellen ausfüllen > Unten);
    ("spalte_loeschen", sheet, cell) deletes the column of the cell; ("blatt_kopieren",
    sheet, new name) copies a sheet behind it,
    ("blatt_loeschen", sheet) and ("blatt_umbenennen", sheet, new name) do what they say;
    ("reihe", sheet, range) drags the first cell's fill handle over the range (1, 2, 3 …);
    ("einfuegen" or "transponiert", sheet, source range, target sheet, target cell) copies
    and pastes (Inhalte einfügen > Transponieren); ("kennwort", sheet, password) protects the
    sheet; ("filter", sheet, range, column, text) sets an AutoFilter; ("zeilen_loeschen",
    sheet, first row, count) and ("spalte_einfuegen", sheet, cell) change the grid;
    ("sortieren", sheet, range, column, "absteigend") sorts the range (with its header row)
    by a column (1-based) as Daten > Sortieren does;
    ("text_einfuegen", sheet, cell, text) pastes a text (EnterString did not take 6,000
    characters), ("formel", sheet, cell, formula) is what Calc makes of a text it takes for a
    formula; ("dateityp", Calc filter name) saves in that format (Office Open XML); a
    target .xlsm is saved with its macros.
    ("tabelle_umbenennen", sheet, table, new name) adds the table's range under the new name
    and deletes the old one (Daten > Bereich festlegen…: Calc has no rename).
    One soffice start per case (about 2 s): after a save Calc does
    not reliably survive closing the document or opening the next. Each case works on a copy
    of its source, as Calc leaves a lock file beside what it opens. Skips without a UNO
    bridge (fails in CI)."""
    arbeit = Path(tempfile.mkdtemp(prefix="ikz_bearbeiten_"))
    try:
        gespeichert = []
        for nummer, (quelle, ziel, schritte) in enumerate(auftraege):
            kopie = arbeit / f"q{nummer:03d}{Path(quelle).suffix.lower()}"
            shutil.copyfile(quelle, kopie)
            Path(ziel).parent.mkdir(parents=True, exist_ok=True)
            auftrag = {"quelle": str(kopie), "ziel": str(ziel), "schritte": schritte}
            gespeichert.append(
                Path(_uno_lauf(_UNO_BEARBEITEN, auftrag, zeitlimit, "bearbeiten", deutsch=True))
            )
        return gespeichert
    finally:
        shutil.rmtree(arbeit, ignore_errors=True)
