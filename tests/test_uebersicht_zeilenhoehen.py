"""Rows of the Lenkungsgruppe's overview as LibreOffice Calc needs them (session 23).

Neither Calc nor Excel fits a row to its text when they open a file: the height the overview
sets is what the Lenkungsgruppe sees. Two helpers found rows lower than Calc needs: the
subheadings in 11 pt ("So entstehen die vorgeschlagenen Punkte", "… je Jahr") in rows of the
default 12.75 points, and the hidden chart labels beside the bar charts, wrapped in a hidden
column. Measured in Calc, on the overview `ikz demo` writes.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from aufruf import ikz
from libreoffice import braucht_libreoffice, zeilenhoehen


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
    for rounding), upright headers by their longest word. Merged cells are left out: Calc
    fits no row to them."""
    ab = tmp_path / "ikz-demo"
    assert ikz("demo", "--arbeitsbereich", str(ab)).code == 0
    pfad = ab / "Lenkungsgruppe_Uebersicht.xlsx"
    kopie = tmp_path / "laengste_woerter.xlsx"
    hoch = _laengste_woerter(pfad, kopie)
    assert ("Übersicht", 4) in hoch and ("Risiken", 4) in hoch, hoch
    hoehen = zeilenhoehen([pfad, kopie])
    wb = openpyxl.load_workbook(pfad)
    zu_knapp, gesehen = [], set()
    for datei, zeilen in hoehen.items():
        for blatt, r, gesetzt, noetig in zeilen:
            if any(b.min_row <= r <= b.max_row for b in wb[blatt].merged_cells.ranges):
                continue
            if ((blatt, r) in hoch) != (datei == kopie):
                continue  # an upright header by its longest word, the rest as written
            gesehen.add(blatt)
            if gesetzt < noetig - 0.5:
                zu_knapp.append((datei.name, blatt, r, round(gesetzt, 1), round(noetig, 1)))
    assert len(gesehen) == len(wb.sheetnames), set(wb.sheetnames) - gesehen
    assert zu_knapp == [], "\n".join(map(str, zu_knapp))
