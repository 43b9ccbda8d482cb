"""Tests against hand-made mutants of session 17's changes that went unnoticed (round 18).

Each test drives the behaviour the way the Steuerungsgruppe meets it – `ikz konsolidieren` and
the Lenkungsgruppe's overview, the generated Arbeitsmappe, `ikz init` – and fails with the
mutant named in its docstring. Kept apart from test_konsolidieren and test_druck, which other
work changes at the same time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aufruf
import pytest
from python_calamine import CalamineWorkbook
from steuerungsmappe_tippen import eintragen, zelle

from ikz_excel import demo_daten, erzeugen, stammdaten


@pytest.fixture(scope="module")
def st() -> Any:
    return stammdaten.standard()


def _umbenennen(mappe: Path, st: Any, alt: str, neu: str) -> None:
    """`alt` renamed `neu` as the Steuerungsgruppe does it in Excel: on Kommunen and in each
    AG's Partnerkommunen."""
    aenderungen: list[tuple[str, str, str, Any]] = [("tbl_Kommunen", alt, "Kommune", neu)]
    for a in st.arbeitsgruppen:
        _, partner = zelle(mappe, "tbl_Arbeitsgruppen", a.kuerzel, "Partnerkommunen")
        namen = str(partner).split("; ")
        if alt in namen:
            neue = "; ".join(neu if p == alt else p for p in namen)
            aenderungen.append(("tbl_Arbeitsgruppen", a.kuerzel, "Partnerkommunen", neue))
    eintragen(mappe, *aenderungen)


# Konsolidieren: the cent of a tie ---------------------------------------------------------------


def test_cent_des_gleichstands_nicht_an_die_kommune_unter_altem_namen(
    st: Any, tmp_path: Path
) -> None:
    """AG-10's return ('gleiche Anteile', three partners) in eingang/, then the Stadt Helmstedt
    renamed in the Steuerungsmappe: until the AG works in its Korrektur copy, the overview
    splits by the workbook's partners, the old name among them. A Kommune the Steuerungsmappe
    no longer knows comes last for the cent of a tie (README: by the order on the sheet
    Kommunen), so the cent goes to the Stadt Königslutter am Elm, the first known one.
    Mutant (survived round 18): the unknown one first (`rang.get(name, -1)`) – the cent went
    to "Stadt Helmstedt", a name the programme no longer has."""
    ab = tmp_path / "ab"
    assert aufruf.ikz("init", "-a", str(ab)).code == 0
    ag = st.arbeitsgruppe("AG-10")
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    erzeugen.arbeitsmappe_schreiben(
        st,
        ag,
        ab / "eingang" / "AG-10.xlsx",
        eingaben={**eingaben, "tbl_Kostenausgleich": [{"Kommune": p} for p in ag.partner]},
        felder={**felder, "Schluessel": "gleiche Anteile"},
    )
    _umbenennen(ab / "Steuerungsmappe.xlsm", st, "Stadt Helmstedt", "Kreisstadt Helmstedt")

    lauf = aufruf.ikz("konsolidieren", "-a", str(ab))

    assert "Stadt Helmstedt nicht mehr" in lauf.text, lauf.text
    with CalamineWorkbook.from_path(str(ab / "Lenkungsgruppe_Uebersicht.xlsx")) as mappe:
        tabelle = mappe.get_sheet_by_name("Kommunen je Handlungsfeld").to_python()
    kosten = {z[0]: z[5] for z in tabelle if z[1] == "AG-10"}
    assert set(kosten) == set(ag.partner), kosten
    assert len(set(kosten.values())) == 2, kosten  # a tie indeed
    assert kosten["Stadt Königslutter am Elm"] - kosten["Stadt Helmstedt"] == pytest.approx(0.01)
