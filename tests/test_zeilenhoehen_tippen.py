"""Rows that hold what the clerk writes grow as the clerk types (session 18).

The writers set each row's height from its text (`xlsx.textzeilen`), and XlsxWriter writes
every height as set by hand (customHeight="1"): a longer answer typed into such a row was cut
on the screen and in print, in Excel and in LibreOffice (README: the rows "wachsen beim Tippen
nicht mit"). Rows with a wrapped input cell are now written as Excel writes a row it fits
itself, the others (titles, headers, the Hinweise, merged rows) stay set. Checked on what
`ikz demo` writes: the Arbeitsmappen sent out, the demo's returns and the Korrektur copies.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, hoehe_nach_tippen
from openpyxl.worksheet.worksheet import Worksheet

AG = "AG-05"
#: An answer as a clerk writes it into the Projektbeschreibung: some lines of prose.
ANTWORT = (
    "Geprüft wurden drei Wege: jede Kommune bewirtschaftet ihre Gebäude weiter selbst, "
    "ein gemeinsames Energie- und Vertragsmanagement bei der Stadt Helmstedt, oder eine "
    "Anstalt des öffentlichen Rechts für das gesamte Gebäudemanagement. Der zweite Weg "
    "bringt den größten Teil des Nutzens bei geringem Aufwand; die Anstalt wäre erst "
    "nach einer Evaluierung im dritten Jahr zu erwägen, wenn die Partner dann mehr "
    "Aufgaben bündeln wollen. Für den zweiten Weg spricht auch, dass die Stadt Helmstedt "
    "das Energiecontrolling schon heute für ihre eigenen Gebäude betreibt und die Verträge "
    "der Partner bei der nächsten Ausschreibung gebündelt werden können; die Samtgemeinden "
    "behalten die Hausmeister und die kleinen Reparaturen vor Ort."
)


@pytest.fixture(scope="module")
def demo_ordner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ordner = tmp_path_factory.mktemp("hoehen") / "ikz-demo"
    lauf = ikz("demo", "--arbeitsbereich", str(ordner))
    assert lauf.code == 0, lauf.text
    return ordner


def _mappe(ordner: Path, muster: str) -> Path:
    (pfad,) = (p for p in ordner.glob(muster) if not p.name.startswith("~$"))
    return pfad


def _zeilen(pfad: Path) -> dict[str, dict[int, bool]]:
    """Per sheet, every row written with a height (`ht`): whether it is set by hand
    (customHeight). Read from the file's XML: openpyxl takes every height as set by hand."""
    with zipfile.ZipFile(pfad) as z:
        mappe = z.read("xl/workbook.xml").decode()
        bezuege = z.read("xl/_rels/workbook.xml.rels").decode()
        ziele = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', bezuege))
        ziele |= {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', bezuege)}
        ergebnis = {}
        for name, rid in re.findall(
            r'<sheet name="([^"]+)" sheetId="\d+"[^>]*r:id="(rId\d+)"', mappe
        ):
            xml = z.read("xl/" + ziele[rid].removeprefix("/xl/")).decode()
            ergebnis[openpyxl.utils.escape.unescape(name)] = {
                int(r): 'customHeight="1"' in attribute
                for r, attribute in re.findall(r'<row r="(\d+)"([^>]*)>', xml)
                if " ht=" in attribute
            }
    return ergebnis


def _mit_antwort(ws: Worksheet, r: int) -> bool:
    """Whether row `r` holds a wrapped cell the clerk types into (not merged: neither Excel
    nor LibreOffice fits a row to a merged cell)."""
    verbunden = {
        (z, s)
        for b in ws.merged_cells.ranges
        for z in range(b.min_row, b.max_row + 1)
        for s in range(b.min_col, b.max_col + 1)
    }
    return any(
        not c.protection.locked and c.alignment.wrap_text and (r, c.column) not in verbunden
        for c in ws[r]
    )


def _mappen(ordner: Path) -> list[Path]:
    return [
        p
        for unter in ("ausgang", "eingang", "berichte")
        for p in sorted((ordner / unter).rglob("*.xlsx"))
        if not p.name.startswith("~$") and p.name != "Pruefbericht.xlsx"
    ]


def test_zeilen_mit_antwort_wachsen_die_uebrigen_bleiben(demo_ordner: Path) -> None:
    """Every row with a height: without customHeight where the clerk writes wrapped text,
    with it everywhere else."""
    falsch, wachsend, fest = [], 0, 0
    for pfad in _mappen(demo_ordner):
        wb = openpyxl.load_workbook(pfad)
        for blatt, zeilen in _zeilen(pfad).items():
            for r, von_hand in zeilen.items():
                antwort = _mit_antwort(wb[blatt], r)
                if von_hand == antwort:
                    falsch.append((pfad.name, blatt, r, "von Hand" if von_hand else "wachsend"))
                wachsend += antwort
                fest += von_hand
    assert not falsch, "\n".join(map(str, falsch))
    assert wachsend > 100 and fest > 100  # no test that cannot fail


def test_projektbeschreibung_fragen_wachsen_titel_und_kopf_nicht(demo_ordner: Path) -> None:
    """The blank workbook sent out: the answers to questions over two lines grow; the
    title, the table's header, the Lenkungsgruppe's texts above (no input), the Risiken's
    header beside the matrix and the merged source of the Zinssatz stay as set."""
    pfad = _mappe(demo_ordner / "ausgang", f"{AG}_*.xlsx")
    zeilen = _zeilen(pfad)
    ws = openpyxl.load_workbook(pfad)["Projektbeschreibung"]
    fragen = {r: ws.cell(r, 3).value for r in zeilen["Projektbeschreibung"] if r > 4}
    wachsend = {r for r in fragen if not zeilen["Projektbeschreibung"][r]}
    assert any(str(fragen[r]).startswith("Lösungsmöglichkeiten") for r in wachsend)
    assert len(wachsend) >= 5, fragen
    assert zeilen["Projektbeschreibung"][1] and zeilen["Projektbeschreibung"][4]
    assert all(zeilen["Projektbeschreibung"][r] for r in range(5, 10))  # given, locked
    assert all(zeilen["Hinweise"].values())
    assert zeilen["Risiken"][4]  # header row, beside it the matrix's title
    wirtschaftlichkeit = openpyxl.load_workbook(pfad)["Wirtschaftlichkeit"]
    zins = next(
        r for r in range(1, 20) if wirtschaftlichkeit.cell(r, 1).value == "Kalkulationszinssatz"
    )
    assert zeilen["Wirtschaftlichkeit"][zins]


def _eintrag(ws: Worksheet, feld: str) -> str:
    """The cell of the Projektbeschreibung's Eintrag for the question starting `feld`."""
    kopf = next(r for r in range(1, 10) if ws.cell(r, 3).value == "Feld")
    spalte = next(c.column for c in ws[kopf] if c.value == "Eintrag")
    zeile = next(
        r for r in range(kopf + 1, ws.max_row + 1) if str(ws.cell(r, 3).value).startswith(feld)
    )
    return ws.cell(zeile, spalte).coordinate


@braucht_libreoffice
def test_lange_antwort_laesst_die_zeile_in_calc_wachsen(demo_ordner: Path) -> None:
    """A clerk types a long answer in LibreOffice, on the protected sheet: into the blank
    workbook's Projektbeschreibung (a question over two lines, its row 27 points high) and,
    in the Korrektur copy, over the Ist-Situation written before (four lines) and into the
    Exit-Strategie the copy asks for. Each row grows until the whole answer shows; before
    session 18 the first two stayed as high as written and cut the answer."""
    leer = _mappe(demo_ordner / "ausgang", f"{AG}_*.xlsx")
    korrektur = _mappe(demo_ordner / "berichte", f"Korrektur_{AG}-*.xlsx")
    faelle = []
    for pfad, felder in ((leer, ["Lösungsmöglichkeiten"]), (korrektur, ["Ist-Situation", "Exit"])):
        ws = openpyxl.load_workbook(pfad)["Projektbeschreibung"]
        eingaben = [("Projektbeschreibung", _eintrag(ws, f), ANTWORT) for f in felder]
        for (_, zelle, _), hoehe in zip(eingaben, hoehe_nach_tippen(pfad, eingaben), strict=True):
            faelle.append((pfad.name, zelle, hoehe))
    abgeschnitten = []
    for name, zelle, h in faelle:
        assert h.geschuetzt and h.text == ANTWORT, (name, zelle, h)
        if h.nachher < h.noetig - 0.5:
            abgeschnitten.append((name, zelle, round(h.nachher, 1), round(h.noetig, 1)))
    assert not abgeschnitten, "\n".join(map(str, abgeschnitten))
    # the answer is much longer than what stood there: every row has grown
    assert all(h.nachher > h.vorher + 20 for _, _, h in faelle), faelle
