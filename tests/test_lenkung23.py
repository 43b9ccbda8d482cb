"""Session 23: the Lenkungsgruppe and the coordination team work on the overview and the
Steuerungsmappe in LibreOffice Calc, as they do between two runs of konsolidieren."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from libreoffice import braucht_libreoffice, in_calc_bearbeiten, werte
from python_calamine import CalamineWorkbook

from ikz_excel import demo

UEBERSICHT = "Lenkungsgruppe_Uebersicht.xlsx"


@pytest.fixture(scope="module")
def demo_bereich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's workspace, left as it is: each test works on a copy."""
    return demo.demo(tmp_path_factory.mktemp("lenkung23") / "ikz-demo").arbeitsbereich


@pytest.fixture
def bereich(demo_bereich: Path, tmp_path: Path) -> Path:
    ziel = tmp_path / "ikz-demo"
    shutil.copytree(demo_bereich, ziel)
    return ziel


def _zeilen(pfad: Path, blatt: str, tabelle: str) -> dict[str, dict[str, object]]:
    """The rows of a table by AG, with the header row's names (read as the file stores them)."""
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name(tabelle)
        return {z[0]: dict(zip(t.columns, z, strict=True)) for z in t.to_python()}


@braucht_libreoffice
def test_nach_gesamt_sortierte_matrix_aendert_die_uebersicht_nicht(bereich: Path, tmp_path: Path):
    """A mayor sorts the Prioritätenmatrix by Gesamt in Calc (Daten > Sortieren, absteigend):
    each AG keeps its own Gesamtpunkte and Rang on the sheet Übersicht. The Übersicht pointed
    at the matrix's rows by number, and after sorting AG-07 (no valid return) stood there with
    rank 1 and AG-01 with nothing."""
    vorher = _zeilen(bereich / UEBERSICHT, "Übersicht", "tbl_Uebersicht")
    sortiert = tmp_path / "sortiert.xlsx"
    in_calc_bearbeiten(
        [
            (
                bereich / UEBERSICHT,
                sortiert,
                [("sortieren", "Prioritätenmatrix", "A7:M17", "10", "absteigend")],
            )
        ]
    )
    matrix = werte(sortiert, "Prioritätenmatrix")
    assert matrix["A8"] != "AG-01", "Calc hat nicht sortiert"
    je_ag = {matrix[f"A{r}"]: (matrix.get(f"J{r}"), matrix.get(f"K{r}")) for r in range(8, 18)}
    uebersicht = werte(sortiert, "Übersicht")
    gezeigt = {
        uebersicht[f"A{r}"]: (uebersicht.get(f"O{r}"), uebersicht.get(f"P{r}"))
        for r in range(5, 15)
    }
    assert gezeigt == je_ag
    # and as before the sort: AG-03 first with 28 points, AG-08 (no return) without any
    assert gezeigt["AG-03"] == (28, 1)
    assert gezeigt["AG-08"] == (None, None)
    assert {ag: (z["Gesamtpunkte"] or None, z["Rang"] or None) for ag, z in vorher.items()} == {
        ag: (g, r) for ag, (g, r) in gezeigt.items()
    }
