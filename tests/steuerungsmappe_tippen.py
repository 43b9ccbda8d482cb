"""Type into a Steuerungsmappe as the Steuerungsgruppe and the Lenkungsgruppe do in Excel.

A cell is found by its table, the row's key (the AG on Prioritaet and Arbeitsgruppen, the
Handlungsfeld on Handlungsfelder, the Kommune on Kommunen, the Kriterium on Faktoren,
the Nr on Oberziele and Rahmenbedingungen) and the
column header, from the table positions openpyxl reads, not from the code under test. The
workbook is saved with its macros (keep_vba).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import range_boundaries

SCHLUESSEL = {
    "tbl_Prioritaet": "AG",
    "tbl_Arbeitsgruppen": "AG",
    "tbl_Handlungsfelder": "Handlungsfeld",
    "tbl_Kommunen": "Kommune",
    "tbl_Faktoren": "Kriterium",
    "tbl_Oberziele": "Nr",
    "tbl_Rahmenbedingungen": "Nr",
    "tbl_Meilensteine": "Meilenstein",
}


def _zelle(wb: Any, tabelle: str, schluessel: str | int, kopf: str) -> Any:
    ws = next(ws for ws in wb.worksheets if tabelle in ws.tables)
    t = ws.tables[tabelle]
    links, oben, _, unten = range_boundaries(t.ref)
    koepfe = [c.name for c in t.tableColumns]
    spalte = links + koepfe.index(SCHLUESSEL[tabelle])
    zeile = next(r for r in range(oben + 1, unten + 1) if ws.cell(r, spalte).value == schluessel)
    return ws.cell(zeile, links + koepfe.index(kopf))


def zelle(mappe: Path, tabelle: str, schluessel: str | int, kopf: str) -> tuple[str, Any]:
    """'Blatt!A1' and value of column `kopf` in the row of `schluessel`."""
    z = _zelle(openpyxl.load_workbook(mappe, keep_vba=True), tabelle, schluessel, kopf)
    return f"{z.parent.title}!{z.coordinate}", z.value


def spalte(mappe: Path, tabelle: str, kopf: str) -> list[Any]:
    """The values of one column of a table, top to bottom."""
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    ws = next(ws for ws in wb.worksheets if tabelle in ws.tables)
    t = ws.tables[tabelle]
    links, oben, _, unten = range_boundaries(t.ref)
    s = links + [c.name for c in t.tableColumns].index(kopf)
    return [ws.cell(r, s).value for r in range(oben + 1, unten + 1)]


def eintragen(mappe: Path, *eingaben: tuple[str, str | int, str, Any]) -> list[str]:
    """Type each (tabelle, row key, column, value), in order; returns 'Blatt!A1' of each."""
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    orte = []
    for tabelle, schluessel, kopf, wert in eingaben:
        z = _zelle(wb, tabelle, schluessel, kopf)
        z.value = wert
        orte.append(f"{z.parent.title}!{z.coordinate}")
    wb.save(mappe)
    return orte


def parameter_setzen(mappe: Path, name: str, wert: Any) -> None:
    """`wert` typed into the row `name` of the sheet Parameter (column B beside the name)."""
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    ws = wb["Parameter"]
    zeile = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name)
    ws.cell(zeile, 2).value = wert
    wb.save(mappe)
