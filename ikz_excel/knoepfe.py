"""The Python side of the buttons in the Steuerungsmappe (xlwings `RunPython`).

A thin shell: it finds the workspace from the calling workbook, runs the same function as the
CLI verb and turns every outcome, including every error, into a short German status line in
`Steuerung` and, on failure, a message box. It never writes the Steuerungsmappe's file: the
status goes through xlwings into the open book, which Excel saves with the user's next save.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ikz_excel.dateien import grund
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
            f", davon {len(e.veraltet)} mit älteren Stammdaten erzeugt (neu schreiben: diese "
            "in ausgang/ löschen oder 'ikz erzeugen --ersetzen')"
        )
    for w in e.weggelegt:  # renamed or struck-off AGs: their old workbook must not go out
        text += f"; {w.meldung}"
    return Status("Arbeitsmappen erzeugen", True, text, ort=ab / "ausgang")


def _pruefen(ab: Path) -> Status:
    from ikz_excel import berichte
    from ikz_excel.befunde import Stufe

    lauf = berichte.arbeitsbereich_pruefen(ab)
    # As on the console: Fehler of a version a newer one replaced no longer count.
    zaehlend = [d for d in lauf.ergebnis.dateien if not d.ersetzt_durch]
    fehler = sum(d.zahl(Stufe.FEHLER) for d in zaehlend)
    gueltig = sum(1 for d in zaehlend if d.status.startswith("gültig"))
    text = f"{len(lauf.dateien)} Datei(en) geprüft, {gueltig} gültig, {fehler} Fehler"
    return Status("Rückläufe prüfen", True, text, befunde=fehler, ort=lauf.bericht)


def _konsolidieren(ab: Path) -> Status:
    from ikz_excel import konsolidieren
    from ikz_excel.befunde import Stufe

    k = konsolidieren.konsolidieren(ab)
    # Fehler of older versions no longer count (a newer version of the AG replaced them).
    fehler = sum(d.zahl(Stufe.FEHLER) for d in k.pruefung.dateien if not d.ersetzt_durch)
    gueltig = sum(1 for s in k.ags if s.gueltig)
    text = (
        f"{len(k.eingaenge)} Rücklauf/Rückläufe, {gueltig} von {len(k.ags)} Handlungsfeldern "
        f"auswertbar, {fehler} Fehler"
    )
    ungelesen = [e.herkunft for e in k.eingaenge if e.nicht_gelesen]
    if ungelesen:
        text += (
            f"; nicht lesbar (geöffnet? Berechtigung?), beim nächsten Mal erneut: "
            f"{', '.join(ungelesen[:3])}{' …' if len(ungelesen) > 3 else ''}"
        )
    return Status(
        "Konsolidieren", True, text, befunde=fehler, ort=ab / "Lenkungsgruppe_Uebersicht.xlsx"
    )


def _uebersicht(ab: Path) -> Status:
    from ikz_excel.arbeitsbereich import Abbruch, Arbeitsbereich

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
    from ikz_excel.arbeitsbereich import Abbruch
    from ikz_excel.stammdaten import StammdatenFehler, warnungen_sammeln

    name = NAMEN[aktion]
    ab = steuerungsmappe.resolve().parent
    try:
        with warnungen_sammeln() as warnungen:
            status = AKTIONEN[aktion](ab)
        return _mit_warnungen(status, [w.meldung for w in warnungen])
    except StammdatenFehler as fehler:
        erste = fehler.befunde[0].meldung if fehler.befunde else ""
        return Status(
            name,
            False,
            f"Die Stammdaten sind fehlerhaft ({len(fehler.befunde)} Befund(e)), zuerst: {erste}",
        )
    except Abbruch as fehler:
        return Status(name, False, str(fehler))
    except PermissionError as fehler:
        return Status(
            name,
            False,
            f"Keine Berechtigung für {fehler.filename}. Ist die Datei "
            "geöffnet? Bitte schließen und erneut versuchen.",
        )
    except OSError as fehler:
        return Status(
            name,
            False,
            f"Datei- oder Ordnerfehler: {grund(fehler)} ({fehler.filename}).",
        )
    except Exception as fehler:  # a button must never show a Python traceback
        return Status(
            name,
            False,
            f"Unerwarteter Fehler ({type(fehler).__name__}: {fehler}). "
            "Bitte mit 'ikz' in der Eingabeaufforderung wiederholen und melden.",
        )


def _mit_warnungen(status: Status, warnungen: list[str]) -> Status:
    """The status line names the first Warnung and how many more; the box shows them all."""
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


def _knopf(aktion: str) -> None:
    import xlwings as xw

    mappe = xw.Book.caller()
    status = lauf(aktion, Path(mappe.fullname))
    # The status line is a courtesy; should it fail, the message box still tells the user.
    with contextlib.suppress(Exception):
        status_schreiben(mappe.sheets[BLATT], status)
    if not status.ok:
        mappe.app.alert(status.text, title=f"IKZ – {status.aktion}", mode="critical")
        return
    if status.warnungen:  # a decision of the LG that does not count must not hide in a line
        mappe.app.alert("\n\n".join(status.warnungen), title=f"IKZ – {status.aktion}", mode="info")
    if aktion == "uebersicht_oeffnen" and status.ort is not None:
        xw.Book(str(status.ort))


def erzeugen() -> None:
    _knopf("erzeugen")


def pruefen() -> None:
    _knopf("pruefen")


def konsolidieren() -> None:
    _knopf("konsolidieren")


def uebersicht_oeffnen() -> None:
    _knopf("uebersicht_oeffnen")
