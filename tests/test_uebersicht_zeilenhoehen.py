"""Rows of the Lenkungsgruppe's overview as LibreOffice Calc needs them (session 23).

Neither Calc nor Excel fits a row to its text when they open a file: the height the overview
sets is what the Lenkungsgruppe sees. Two helpers found rows lower than Calc needs: the
subheadings in 11 pt ("So entstehen die vorgeschlagenen Punkte", "… je Jahr") in rows of the
default 12.75 points, and the hidden chart labels beside the bar charts, wrapped in a hidden
column. And some 60 rows a line or more higher than their text (session 24): the rows were
counted by characters, a little less than one per unit of width to be safe. Measured in Calc,
on the overview `ikz demo` writes and on one whose returns say „(ältere Stammdaten)“.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from aufruf import ikz
from libreoffice import braucht_libreoffice, zeilenhoehen
from steuerungsmappe_tippen import parameter_setzen

from ikz_excel import uebersicht


def _laengste_woerter(pfad: Path, ziel: Path) -> set[tuple[str, int]]:
    """A copy of the overview whose upright headers hold only their longest word; the rows
    (sheet, row) of such headers.

    Calc measures upright wrapped text as one line when it fits a row (87 points for
    "höchster Risikowert") but draws it wrapped over the column's width ("höchster" above
    "Risikowert", nothing cut; seen in its PDF): Excel does the same. What an upright header
    surely needs is its longest word, and that Calc measures right.
    """
    wb = openpyxl.load_workbook(pfad)
    zeilen = set()
    for ws in wb:
        for zeile in ws.iter_rows():
            for z in zeile:
                if z.alignment.textRotation and isinstance(z.value, str):
                    z.value = max(z.value.split(), key=len)
                    zeilen.add((ws.title, z.row))
    wb.save(ziel)
    return zeilen


@braucht_libreoffice
def test_zeilen_der_uebersicht_halten_ihren_text_in_calc(tmp_path: Path) -> None:
    """Every row of every sheet at least as high as Calc needs for its text (half a point
    for rounding), upright headers by their longest word, and at most about a line higher:
    Excel puts lines of Arial 10 12.75 points apart, Calc 11.2, so a line more than that (as
    the Arbeitsmappe, test_druck). Merged cells are left out: Calc fits no row to them. The
    overview as `ikz demo` writes it, and again after the Zinssatz changed, its returns marked
    „(ältere Stammdaten)“ in the narrow Rücklauf columns (the last line was cut, session 23).
    Upright headers stay as they are (Calc measures them as one line, see
    `_laengste_woerter`), the boxes of the Risikomatrix are about as high as wide on purpose."""
    ab = tmp_path / "ikz-demo"
    assert ikz("demo", "--arbeitsbereich", str(ab)).code == 0
    demo = tmp_path / "demo.xlsx"
    shutil.copy(ab / "Lenkungsgruppe_Uebersicht.xlsx", demo)
    parameter_setzen(ab / "Steuerungsmappe.xlsm", "Kalkulationszinssatz", 0.025)
    assert ikz("konsolidieren", "--arbeitsbereich", str(ab)).code == 1  # the demo's Fehler
    aeltere = ab / "Lenkungsgruppe_Uebersicht.xlsx"
    ruecklauf = openpyxl.load_workbook(aeltere)["Übersicht"]["C"]
    assert any(f"({uebersicht.AELTERE_STAMMDATEN})" in str(z.value) for z in ruecklauf)
    kopien = {d: tmp_path / f"laengste_woerter_{d.name}" for d in (demo, aeltere)}
    hoch = {d: _laengste_woerter(d, kopie) for d, kopie in kopien.items()}
    assert ("Übersicht", 4) in hoch[demo] and ("Risiken", 4) in hoch[demo], hoch[demo]
    hoehen = zeilenhoehen([demo, aeltere, *kopien.values()])
    zu_knapp, zu_hoch = [], []
    for d, kopie in kopien.items():
        wb = openpyxl.load_workbook(d)
        gesehen = set()
        for datei in (d, kopie):
            for blatt, r, gesetzt, noetig in hoehen[datei]:
                if any(b.min_row <= r <= b.max_row for b in wb[blatt].merged_cells.ranges):
                    continue
                if ((blatt, r) in hoch[d]) != (datei == kopie):
                    continue  # an upright header by its longest word, the rest as written
                gesehen.add(blatt)
                ort = (datei.name, blatt, r, round(gesetzt, 1), round(noetig, 1))
                kaestchen = blatt == "Risikomatrix" and abs(gesetzt - uebersicht.MATRIXZEILE) < 1
                if gesetzt < noetig - 0.5:
                    zu_knapp.append(ort)
                elif gesetzt > noetig * 12.75 / 11.2 + 13 and datei == d and not kaestchen:
                    zu_hoch.append(ort)
        assert len(gesehen) == len(wb.sheetnames), set(wb.sheetnames) - gesehen
    assert zu_knapp == [], "\n".join(map(str, zu_knapp))
    assert zu_hoch == [], "\n".join(map(str, zu_hoch))
