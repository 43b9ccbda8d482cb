"""The Python side of the buttons in the Steuerungsmappe (xlwings `RunPython`).

A thin shell: it finds the workspace from the calling workbook, runs the same function as the
CLI verb and turns every outcome, including every error, into a short German status line in
`Steuerung` and, on failure, a message box. It never writes the Steuerungsmappe's file: the
status goes through xlwings into the open book, which Excel saves with the user's next save.

Whatever escapes a button, xlwings shows as an English Python traceback; so `_knopf` catches
everything, also what happens before and after `lauf` (no calling book, a workbook opened from
the browser or SharePoint, opening the overview). When not even the calling book is at hand, the
German text goes to stderr with a non-zero exit code: xlwings shows stderr in its error box.

The stages always read `Steuerungsmappe.xlsm` of the workspace folder, so `lauf` refuses a
renamed copy and one moved out of its workspace: the buttons would otherwise run on other data
than the clerk sees.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from ikz_excel.arbeitsbereich import (
    STEUERUNGSMAPPE,
    UEBERSICHT,
    Abbruch,
    Arbeitsbereich,
    beim_schreiben_geoeffnet,
    uebersicht_kopien_text,
    uebersicht_unveraendert,
)
from ikz_excel.dateien import dateifehler
from ikz_excel.erzeugen import STATUSZEILE

BLATT = "Steuerung"
HISTORIE = 15  # status lines kept on the sheet, newest first


@dataclass(frozen=True)
class Status:
    aktion: str
    ok: bool
    text: str
    zeitpunkt: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    befunde: int = 0
    ort: Path | None = None
    #: what in the Steuerungsmappe does not count as it stands there (the action ran)
    warnungen: tuple[str, ...] = ()

    @property
    def zeile(self) -> list[Any]:
        ort = f" → {self.ort}" if self.ort else ""
        return [self.zeitpunkt, f"{self.aktion}: {self.text}{ort}"]


def _erzeugen(ab: Path) -> Status:
    from ikz_excel import erzeugen

    e = erzeugen.erzeugen(ab)
    text = (
        f"{len(e.geschrieben)} Arbeitsmappe(n) geschrieben, {len(e.uebersprungen)} schon vorhanden"
    )
    if e.veraltet:
        text += (
            f", davon {len(e.veraltet)} mit älteren Stammdaten erzeugt (noch nicht "
            "verschickt: diese in ausgang/ löschen oder 'ikz erzeugen --ersetzen'; schon "
            "verschickt: nicht neu verschicken, der Rücklauf wird mit den aktuellen Stammdaten "
            "gerechnet, mit Korrekturexemplar, wo die Mappe andere Zahlen zeigt)"
        )
    if e.alte_vorlage:  # an update of ikz_excel changed the template's formulas
        text += (
            f", davon {len(e.alte_vorlage)} aus einer älteren Vorlagenversion (noch nicht "
            "verschickt: diese in ausgang/ löschen und erneut „Arbeitsmappen erzeugen“)"
        )
    for w in e.weggelegt:  # renamed or struck-off AGs: their old workbook must not go out
        text += f"; {w.meldung}"
    return Status("Arbeitsmappen erzeugen", True, text, ort=ab / "ausgang")


def _leer_zurueck(dateien: Any) -> str:
    """The returns that came back as generated, for the status line: the one thing to do is
    to ask the AG for the filled workbook (coordination probe 24)."""
    from ikz_excel.pruefen import NICHT_AUSGEFUELLT

    leer = [d for d in dateien if d.leer and not d.ersetzt_durch]
    if not leer:
        return ""
    return (
        f"; {NICHT_AUSGEFUELLT}: "
        + ", ".join(f"{d.name} ({d.arbeitsgruppe})" for d in leer)
        + " – bitte nachfragen, ob die falsche Datei geschickt wurde"
    )


def _anzahl(n: int, eins: str, mehrere: str) -> str:
    return f"{n} {eins if n == 1 else mehrere}"


def _doppelt(dateien: list[Path]) -> int:
    """How many files have the same bytes as another one. "18 Datei(en) geprüft" beside
    "16 Rücklauf/Rückläufe" from Konsolidieren for the same eingang/ looked like two returns
    lost; konsolidieren counts distinct contents, so the same rule counts here (rest24)."""
    import hashlib

    inhalte: set[str] = set()
    lesbar = 0
    for pfad in dateien:
        try:
            inhalte.add(hashlib.sha256(pfad.read_bytes()).hexdigest())
        except OSError:  # locked or gone: counts as a file of its own, as it is shown
            continue
        lesbar += 1
    return lesbar - len(inhalte)


def _pruefen(ab: Path) -> Status:
    from ikz_excel import berichte
    from ikz_excel.befunde import Stufe

    lauf = berichte.arbeitsbereich_pruefen(ab)
    # As on the console: Fehler of a version a newer one replaced no longer count.
    zaehlend = [d for d in lauf.ergebnis.dateien if not d.ersetzt_durch]
    fehler = sum(d.zahl(Stufe.FEHLER) for d in zaehlend)
    gueltig = sum(1 for d in zaehlend if d.status.startswith("gültig"))
    text = f"{_anzahl(len(lauf.dateien), 'Datei', 'Dateien')} geprüft"
    if doppelt := _doppelt(lauf.dateien):
        text += f", davon {doppelt} doppelt (zählt einmal)"
    text += f", {gueltig} gültig, {fehler} Fehler"
    text += _leer_zurueck(zaehlend)
    if lauf.ohne_ruecklauf:
        text += "; noch kein Rücklauf: " + ", ".join(
            ag.kuerzel
            + (" (Datei nicht lesbar)" if ag.kuerzel in lauf.unlesbar else "")
            + (
                " (unter ihrem Namen die Mappe einer anderen AG)"
                if ag.kuerzel in lauf.fremd
                else ""
            )
            for ag in lauf.ohne_ruecklauf
        )
    # the same warning as on the console: the Prüfbericht written while open in Calc
    offen = (
        beim_schreiben_geoeffnet(ab, (f"berichte/{berichte.PRUEFBERICHT}",)) if lauf.bericht else []
    )
    return Status(
        "Rückläufe prüfen",
        True,
        text,
        befunde=fehler,
        ort=lauf.bericht,
        warnungen=tuple(offen),
    )


def _konsolidieren(ab: Path) -> Status:
    from ikz_excel import konsolidieren
    from ikz_excel.befunde import Stufe
    from ikz_excel.berichte import PRUEFBERICHT

    k = konsolidieren.konsolidieren(ab)
    # Fehler of older versions no longer count (a newer version of the AG replaced them).
    fehler = sum(d.zahl(Stufe.FEHLER) for d in k.pruefung.dateien if not d.ersetzt_durch)
    gueltig = sum(1 for s in k.ags if s.gueltig)
    # as the console counts them (cli._zusammenfassung): files with the same bytes are one
    doppelt = sum(e.dateien - 1 for e in k.eingaenge)
    text = _anzahl(len(k.eingaenge), "Rücklauf", "Rückläufe")
    if doppelt:
        text += f" ({len(k.eingaenge) + doppelt} Dateien, davon {doppelt} doppelt)"
    text += f", {gueltig} von {len(k.ags)} Arbeitsgruppen auswertbar, {fehler} Fehler"
    text += _leer_zurueck(k.pruefung.dateien)
    ungelesen = [e.herkunft for e in k.eingaenge if e.nicht_gelesen]
    if ungelesen:
        text += (
            f"; nicht lesbar (geöffnet? Berechtigung?), beim nächsten Mal erneut: "
            f"{', '.join(ungelesen[:3])}{' …' if len(ungelesen) > 3 else ''}"
        )
    if k.uebersicht_bearbeitet:  # as the console says it (session 23)
        text += (
            "; die Übersicht war seit dem letzten Lauf in Excel oder LibreOffice gespeichert "
            "worden und ist neu geschrieben, der bearbeitete Stand liegt in "
            f"sicherungen/{k.uebersicht_bearbeitet[0].name} "
            "(Entscheidungen der Lenkungsgruppe bitte in die Steuerungsmappe eintragen)"
        )
    # the same warning as on the console: overview or Prüfbericht written while open in Calc
    offen = beim_schreiben_geoeffnet(ab, (UEBERSICHT, f"berichte/{PRUEFBERICHT}"))
    # an .ods copy of the overview saved since the last run: read by nothing (session 24)
    kopien = uebersicht_kopien_text(k.uebersicht_kopien, k.st)
    return Status(
        "Konsolidieren",
        True,
        text,
        befunde=fehler,
        ort=ab / UEBERSICHT,
        warnungen=(*offen, *([kopien] if kopien else [])),
    )


def _uebersicht(ab: Path) -> Status:
    pfad = Arbeitsbereich(ab).uebersicht
    if not pfad.exists():
        raise Abbruch("Es gibt noch keine Übersicht. Bitte zuerst „Konsolidieren“ drücken.")
    return Status("Übersicht öffnen", True, "geöffnet", ort=pfad)


AKTIONEN: dict[str, Callable[[Path], Status]] = {
    "erzeugen": _erzeugen,
    "pruefen": _pruefen,
    "konsolidieren": _konsolidieren,
    "uebersicht_oeffnen": _uebersicht,
}
NAMEN = {
    "erzeugen": "Arbeitsmappen erzeugen",
    "pruefen": "Rückläufe prüfen",
    "konsolidieren": "Konsolidieren",
    "uebersicht_oeffnen": "Übersicht öffnen",
}


def lauf(aktion: str, steuerungsmappe: Path) -> Status:
    """Run one button's action for the workspace of `steuerungsmappe`; never raises."""
    from ikz_excel.stammdaten import StammdatenFehler, warnungen_sammeln

    name = NAMEN[aktion]
    try:
        ab = _arbeitsbereich(steuerungsmappe)
        with warnungen_sammeln() as warnungen:
            status = AKTIONEN[aktion](ab)
        return _mit_warnungen(status, [w.meldung for w in warnungen])
    except StammdatenFehler as fehler:
        erste = fehler.befunde[0].meldung if fehler.befunde else ""
        # as the console says it: the overview lying there is the earlier one (session 23)
        danach = (
            uebersicht_unveraendert(Path(os.path.abspath(steuerungsmappe)).parent)
            if aktion == "konsolidieren"
            else ""
        )
        return Status(
            name,
            False,
            f"Die Stammdaten sind fehlerhaft ({len(fehler.befunde)} Befund(e)), zuerst: {erste}"
            + (f" {danach}" if danach else ""),
        )
    except Abbruch as fehler:
        return Status(name, False, str(fehler))
    except Exception as fehler:  # a button must never show a Python traceback
        return Status(name, False, dateifehler(fehler) or _unerwartet(fehler))


def _arbeitsbereich(steuerungsmappe: Path) -> Path:
    """The workspace folder of the calling Steuerungsmappe, refusing one that is not the
    workspace's own: every stage reads `<Ordner>/Steuerungsmappe.xlsm`, so a renamed copy or
    one moved alone (say to the Desktop) would run on other data than the clerk sees, or
    create a workspace where none was meant.

    `os.path.abspath`, not `resolve()`: on Windows that turns a mapped drive Z:\\ into
    \\\\server\\share (cpython issue 82174), a path the clerk does not recognise in the status
    line."""
    pfad = Path(os.path.abspath(steuerungsmappe))
    ab = pfad.parent
    if pfad.name.lower() != STEUERUNGSMAPPE.lower():  # Windows does not tell the case apart
        raise Abbruch(
            f"Diese Mappe heißt „{pfad.name}“, die Knöpfe arbeiten aber immer mit der "
            f"{STEUERUNGSMAPPE} ihres Ordners ({ab / STEUERUNGSMAPPE}) und würden so andere "
            f"Daten lesen als die hier sichtbaren. Bitte die {STEUERUNGSMAPPE} des "
            "Arbeitsbereichs öffnen und dort drücken, oder, soll diese Mappe gelten, sie mit "
            f"„Speichern unter“ als {STEUERUNGSMAPPE} im Arbeitsbereich speichern (die dortige "
            "wird dabei ersetzt)."
        )
    # Without the file itself there is no moved copy: the stage says that init is missing.
    # A workspace whose eingang/ was deleted still has the other folders of `init` (review).
    bereich = Arbeitsbereich(ab)
    ordner = (bereich.eingang, bereich.ausgang, bereich.archiv, bereich.berichte)
    if pfad.exists() and not any(o.is_dir() for o in ordner):
        raise Abbruch(
            f"Diese Steuerungsmappe liegt nicht in ihrem Arbeitsbereich: neben {pfad} gibt es "
            "keinen der Ordner eingang, ausgang, archiv und berichte (wohl eine allein "
            "verschobene oder kopierte Mappe, etwa "
            "auf dem Desktop). Bitte die Steuerungsmappe im Ordner des Arbeitsbereichs öffnen "
            "und dort drücken. Ist ein neuer Arbeitsbereich gemeint, ihn in der "
            "Eingabeaufforderung mit 'ikz init --arbeitsbereich <Ordner>' anlegen und die "
            "dort angelegte Steuerungsmappe benutzen."
        )
    return ab


def _unerwartet(fehler: Exception) -> str:
    return (
        f"Unerwarteter Fehler ({type(fehler).__name__}: {fehler}). "
        "Bitte mit 'ikz' in der Eingabeaufforderung wiederholen und melden."
    )


def _mit_warnungen(status: Status, warnungen: list[str]) -> Status:
    """The status line names the first Warnung and how many more; the box shows them all:
    those on the Steuerungsmappe first, then the action's own (a file open while written)."""
    warnungen = [*warnungen, *status.warnungen]
    if not warnungen:
        return status
    weitere = f" (und {len(warnungen) - 1} weitere)" if len(warnungen) > 1 else ""
    return replace(
        status,
        text=f"{status.text}; Warnung: {warnungen[0]}{weitere}",
        warnungen=tuple(warnungen),
    )


def status_schreiben(blatt: Any, status: Status) -> None:
    """Newest status first under the header of the status area; older lines move down."""
    oben = STATUSZEILE + 2  # Excel row of the first status line (header is STATUSZEILE + 1)
    bereich = blatt.range((oben, 2), (oben + HISTORIE - 1, 3))
    alt = bereich.value or []
    zeilen = [status.zeile, *[z for z in alt if z and any(v is not None for v in z)]][:HISTORIE]
    zeilen += [[None, None]] * (HISTORIE - len(zeilen))
    bereich.value = zeilen


ONLINE = (
    "Die Steuerungsmappe ist aus dem Browser oder über einen SharePoint- bzw. OneDrive-Link "
    "geöffnet; so ist der Ordner des Arbeitsbereichs nicht zu finden. Bitte die Mappe "
    "schließen, im Explorer den synchronisierten Ordner des Arbeitsbereichs (ein Laufwerk wie "
    "Z:\\ oder der OneDrive-Ordner auf diesem PC) aufsuchen, die Steuerungsmappe dort "
    "öffnen und den Knopf erneut drücken."
)


def _knopf(aktion: str) -> None:
    """Every failure, also outside `lauf`, reaches the clerk in German: whatever escapes here
    xlwings shows as an English traceback."""
    titel = f"IKZ – {NAMEN[aktion]}"
    try:
        import xlwings as xw

        mappe = xw.Book.caller()
    except Exception as fehler:
        _ohne_mappe(
            f"{titel}: Die aufrufende Excel-Mappe ist nicht zu erreichen "
            f"({type(fehler).__name__}: {fehler}). Bitte Excel schließen, die Steuerungsmappe "
            "erneut öffnen und den Knopf noch einmal drücken."
        )
    try:
        _in_der_mappe(mappe, aktion)
    except Exception as fehler:
        try:
            mappe.app.alert(_unerwartet(fehler), title=titel, mode="critical")
        except Exception:
            _ohne_mappe(f"{titel}: {_unerwartet(fehler)}")


def _in_der_mappe(mappe: Any, aktion: str) -> None:
    geschlossen: list[Path] = []
    try:
        pfad = _pfad_der_mappe(mappe)
        if aktion in ("pruefen", "konsolidieren"):
            geschlossen = _eigene_schliessen(mappe.app, pfad.parent, aktion)
        status = lauf(aktion, pfad)
    except Abbruch as fehler:
        status = Status(NAMEN[aktion], False, str(fehler))
    for datei in geschlossen:  # what the clerk was looking at comes back, now up to date
        with contextlib.suppress(Exception):  # a courtesy: the file is there to be opened
            if datei.exists():
                mappe.app.books.open(str(datei))
    # Opened before the status line says "geöffnet", so that a failure shows there instead.
    if status.ok and aktion == "uebersicht_oeffnen" and status.ort is not None:
        status = _uebersicht_zeigen(mappe.app, status, status.ort)
    # The status line is a courtesy; should it fail, the message box still tells the user.
    try:
        status_schreiben(mappe.sheets[BLATT], status)
        zeile = True
    except Exception:
        zeile = False
    if not status.ok:
        mappe.app.alert(status.text, title=f"IKZ – {status.aktion}", mode="critical")
        return
    texte = list(status.warnungen)  # a decision of the LG that does not count must not hide
    if not zeile:
        # the sheet renamed or deleted in Excel: a run that worked said nothing at all (probe)
        texte.insert(
            0,
            f"{status.text.rstrip('.')}"
            + (f" ({status.ort})" if status.ort else "")
            + f".\n\nDieses Ergebnis steht nicht unter „Letzte Läufe“: Das Blatt "
            f"„{BLATT}“ ließ sich nicht beschreiben (umbenannt, gelöscht oder geschützt?). Bitte "
            f"das Blatt wieder „{BLATT}“ nennen, damit die Knöpfe dort ihr Ergebnis eintragen.",
        )
    if texte:
        mappe.app.alert("\n\n".join(texte), title=f"IKZ – {status.aktion}", mode="info")


def _eigene_schliessen(app: Any, ab: Path, aktion: str) -> list[Path]:
    """Close the files this run will replace that are open in this Excel, unchanged.

    "Übersicht öffnen" opens the overview in the same Excel; the next "Konsolidieren" then
    failed after all its work, as Windows does not replace a file open in Excel (Windows
    review), and so did a Prüfbericht opened to read the findings. They are ours, so they are
    closed and opened again afterwards; an overview the LG saved with its own edits is kept in
    sicherungen/ by konsolidieren (session 23). One with unsaved changes is not closed
    (xlwings would discard them): the run stops before it starts and says so.
    """
    berichte = Arbeitsbereich(ab).berichte
    ziele = [Arbeitsbereich(ab).uebersicht] if aktion == "konsolidieren" else []
    unsere = []
    for buch in list(app.books):
        try:
            datei = Path(buch.fullname)
            if any(_derselbe_ort(datei, z) for z in ziele) or (
                datei.suffix.lower() == ".xlsx"
                and (datei.name == "Pruefbericht.xlsx" or datei.name.startswith("Korrektur_"))
                and _derselbe_ort(datei.parent, berichte)
            ):
                unsere.append((buch, datei, bool(buch.api.Saved)))
        except Exception:  # a book Excel cannot tell us about: the run says it if it must
            continue
    # all looked at before any is closed: a stop leaves every book as it was (review)
    for _, datei, gespeichert in unsere:
        if not gespeichert:
            raise Abbruch(
                f"{datei.name} ist in Excel geöffnet und hat ungespeicherte Änderungen; "
                f"{NAMEN[aktion]} würde die Datei ersetzen. Bitte die Änderungen unter einem "
                "anderen Namen speichern oder verwerfen, die Mappe schließen und den Knopf "
                "erneut drücken."
            )
    geschlossen = []
    for buch, datei, _ in unsere:
        with contextlib.suppress(Exception):
            buch.close()
            geschlossen.append(datei)
    return geschlossen


def _derselbe_ort(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _pfad_der_mappe(mappe: Any) -> Path:
    """With AutoSave on OneDrive or SharePoint, Excel knows the book only by its URL; xlwings
    then guesses the synchronised folder and raises when it cannot, or the book was opened
    from the browser and has no folder on this PC at all."""
    try:
        name = mappe.fullname
    except Exception as fehler:  # xlwings' reason helps whoever sets up the PC
        raise Abbruch(f"{ONLINE} (Technischer Grund: {fehler})") from fehler
    if not isinstance(name, str) or name.lower().startswith(("http://", "https://")):
        raise Abbruch(ONLINE)
    return Path(name)


def _uebersicht_zeigen(app: Any, status: Status, pfad: Path) -> Status:
    """Excel holds one book per file name and refuses a second, and `xw.Book(pfad)` does not
    know an open book by another spelling of its path (Z:\\ against \\\\server\\share): so take
    the open one if it is this file, open through the calling Excel otherwise."""
    try:
        offen = next((b for b in app.books if b.name.lower() == pfad.name.lower()), None)
        if offen is None:
            app.books.open(str(pfad))
        elif _dieselbe_datei(offen, pfad):
            offen.activate()
        else:
            return replace(
                status,
                ok=False,
                text=f"In Excel ist schon eine andere {pfad.name} geöffnet ({offen.fullname}); "
                "Excel öffnet keine zwei Mappen gleichen Namens. Bitte jene schließen und "
                "„Übersicht öffnen“ erneut drücken.",
            )
    except Exception as fehler:
        return replace(
            status,
            ok=False,
            text=f"Die Übersicht {pfad} ließ sich nicht öffnen "
            f"({type(fehler).__name__}: {fehler}). Bitte sie im Explorer öffnen.",
        )
    return status


def _dieselbe_datei(buch: Any, pfad: Path) -> bool:
    """The file system knows two spellings of one file; where it cannot tell (a URL on
    OneDrive, a drive not reachable), trust the name as Excel does."""
    try:
        return os.path.samefile(buch.fullname, pfad)
    except Exception:
        return True


def _ohne_mappe(text: str) -> NoReturn:
    """Without a book there is no message box of ours; xlwings shows stderr when the exit code
    is not 0. Its VBA reads that file in the ANSI code page (cp1252 on German Windows), whatever
    Python chose for stderr (UTF-8 mode), so the umlauts are encoded to match."""
    kodierung = (
        "mbcs" if sys.platform == "win32" else (getattr(sys.stderr, "encoding", None) or "utf-8")
    )
    if sys.stderr is not None:
        sys.stderr.flush()
        puffer = getattr(sys.stderr, "buffer", None)
        if puffer is not None:
            puffer.write((text + "\n").encode(kodierung, "replace"))
            puffer.flush()
        else:
            sys.stderr.write(text + "\n")
    raise SystemExit(1)


def erzeugen() -> None:
    _knopf("erzeugen")


def pruefen() -> None:
    _knopf("pruefen")


def konsolidieren() -> None:
    _knopf("konsolidieren")


def uebersicht_oeffnen() -> None:
    _knopf("uebersicht_oeffnen")
