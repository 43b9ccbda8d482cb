"""Tests against hand-made mutants that went unnoticed (round 19: session 17's text rows,
Stammdaten of an own programme, 'ikz init' and the overview, and session 18's changes).

Each test drives the behaviour the way the clerk or the Steuerungsgruppe meets it – the
generated Arbeitsmappe opened in LibreOffice, `ikz init`, `ikz pruefen`, `ikz konsolidieren`
and the Lenkungsgruppe's overview – and fails with the mutant named in its docstring. Kept
apart from test_druck and test_pruefen, which other work changes at the same time.
"""

from __future__ import annotations

from pathlib import Path

import aufruf
import openpyxl
import pytest
from libreoffice import braucht_libreoffice, zeilenhoehen
from python_calamine import CalamineWorkbook
from steuerungsmappe_tippen import eintragen, zelle
from test_eigenes_programm import _eigene_stammdaten, _ikz
from test_kommune_umbenannt import _zurueck_und_umbenannt
from test_mutanten18 import ag10_im_eingang

from ikz_excel import demo_daten, erzeugen, stammdaten

# The Arbeitsmappe: rows as high as Excel sets the lines Calc wraps -----------------------------

#: Calc's optimal height of a row of Arial 10: 12.8 points for one line, 11.2 for each more.
CALC_ERSTE_ZEILE, CALC_ZEILE = 12.8, 11.2
#: Excel sets the lines of Arial 10 as far apart as its default row is high (review 17b).
EXCEL_ZEILE = 12.75


@braucht_libreoffice
def test_zeilen_so_hoch_wie_excel_die_zeilen_von_calc_setzt(tmp_path: Path) -> None:
    """Review 17b: at 12 points a line, Excel cut the last line of long texts (the
    Ausgangslage, 13 lines, in 157.5 points instead of 165.75); LibreOffice, 11.2 points a
    line, showed all, so the check against Calc's optimal height (test_druck) did not see it.
    Excel draws Arial a little wider than Calc and so never wraps a text into fewer lines;
    it sets them 12.75 points apart (a row of two lines it fits to 25.5, of three to 38.25).
    Every row of the filled workbooks must therefore be at least 12.75 points for each line
    Calc wraps its text into – counted by LibreOffice, not by `xlsx.textzeilen`, which the
    older check of 12.75 per line uses itself. Mutant (survived rounds 18 and 19):
    `xlsx.zeilenhoehe` at 12 points a line again."""
    st = stammdaten.standard()
    dateien = []
    for kuerzel in ("AG-01", "AG-05", "AG-09"):
        eingaben, felder = demo_daten.eingaben(st, kuerzel)
        dateien.append(
            erzeugen.arbeitsmappe_schreiben(
                st,
                st.arbeitsgruppe(kuerzel),
                tmp_path / f"{kuerzel}.xlsx",
                eingaben=eingaben,
                felder=felder,
            )
        )
    zu_knapp, gesehen = [], 0
    for pfad, zeilen in zeilenhoehen(dateien).items():
        wb = openpyxl.load_workbook(pfad)
        for blatt, r, gesetzt, noetig in zeilen:
            if any(b.min_row <= r <= b.max_row for b in wb[blatt].merged_cells.ranges):
                continue  # Calc fits no row to merged cells
            calc_zeilen = round((noetig - CALC_ERSTE_ZEILE) / CALC_ZEILE) + 1
            if calc_zeilen < 3:
                continue  # one line: the default row; two: Calc's 23.8 is within 25.5 anyway
            gesehen += 1
            if gesetzt < calc_zeilen * EXCEL_ZEILE - 0.1:
                zu_knapp.append((pfad.name, blatt, r, calc_zeilen, round(gesetzt, 2)))
    assert gesehen > 20
    assert not zu_knapp, "\n".join(map(str, zu_knapp))


# An own programme: a row of Prioritaet that the own Lenkungsgruppe touched -------------------


@pytest.fixture
def mappe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Path:
    """The Steuerungsmappe of a new workspace, as 'ikz init' writes it (the example)."""
    assert _ikz(monkeypatch, capsys, "init", "-a", str(tmp_path / "ab")).code == 0
    return tmp_path / "ab" / "Steuerungsmappe.xlsm"


def test_bemerkung_der_eigenen_lenkungsgruppe_macht_die_zeile_zu_ihrer(
    mappe: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Own programme (AG-01, other Kommunen) while the rows of Prioritaet are still the
    example's: a row is left out as the example LG's decision only where every input is the
    example's. The own LG agreed with Festgelegte Priorität 1 beside AG-01 and typed its
    reason into Bemerkung: the row is its own, counts, and 'init --ersetzen --stammdaten'
    keeps it. Mutant (survived round 19): the Bemerkung left out of the comparison – the row
    counted as the example's, did not count, and the rebuild wrote it empty, the Bemerkung
    gone."""
    _eigene_stammdaten(
        mappe, kuerzel="AG-01", Programm="IKZ Leinebergland", Ausgangslage="Die Kommunen …"
    )
    bemerkung = "Vorrang wegen der Förderfrist 2026"
    eintragen(mappe, ("tbl_Prioritaet", "AG-01", "Bemerkung", bemerkung))

    lauf = _ikz(monkeypatch, capsys, "erzeugen", "-a", str(mappe.parent))

    assert lauf.code == 0, lauf.text
    assert "auch die in AG-01" not in lauf.text, lauf.text
    befehl = ("init", "--ersetzen", "--stammdaten", str(mappe), "-a", str(mappe.parent))
    assert _ikz(monkeypatch, capsys, *befehl).code == 0
    assert zelle(mappe, "tbl_Prioritaet", "AG-01", "Bemerkung")[1] == bemerkung
    assert zelle(mappe, "tbl_Prioritaet", "AG-01", "Festgelegte Priorität")[1] == 1


# The overview: shares by the Steuerungsmappe's Einwohner --------------------------------------


def test_uebersicht_teilt_nach_den_einwohnern_der_steuerungsmappe(tmp_path: Path) -> None:
    """AG-10's return (key 'Einwohner') in eingang/, then the Steuerungsgruppe updates the
    Einwohner of the Stadt Schöningen on the sheet Kommunen (a new Stichtag). README: the
    overview computes every field with the Einwohner of the Steuerungsmappe, so that they stay
    comparable; the workbook shows its own until the AG works on in the Korrektur copy.
    Mutant (survived round 19): the shares by the Einwohner written in the workbook – the
    overview split AG-10's costs by the old figure."""
    st = stammdaten.standard()
    ab = tmp_path / "ab"
    ag = ag10_im_eingang(st, ab, "Einwohner")
    einwohner = {k.name: k.einwohner for k in st.kommunen if k.name in ag.partner}
    einwohner["Stadt Schöningen"] = 2 * einwohner["Stadt Schöningen"]
    eintragen(
        ab / "Steuerungsmappe.xlsm",
        ("tbl_Kommunen", "Stadt Schöningen", "Einwohner", einwohner["Stadt Schöningen"]),
    )

    lauf = aufruf.ikz("konsolidieren", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    with CalamineWorkbook.from_path(str(ab / "Lenkungsgruppe_Uebersicht.xlsx")) as mappe:
        tabelle = mappe.get_sheet_by_name("Kommunen je Handlungsfeld").to_python()
    kopf = next(z for z in tabelle if "Kommune" in z and "Kostenanteil" in z)
    kosten = {
        z[kopf.index("Kommune")]: z[kopf.index("Kostenanteil")] for z in tabelle if "AG-10" in z
    }
    assert set(kosten) == set(ag.partner), kosten
    gesamt, summe = sum(kosten.values()), sum(einwohner.values())
    for kommune, betrag in kosten.items():
        assert betrag == pytest.approx(gesamt * einwohner[kommune] / summe, abs=0.02), kommune


# ikz pruefen: a renamed partner under the key 'Einwohner' ---------------------------------------


def test_umbenannte_kommune_beim_schluessel_einwohner_ohne_wert_im_korrekturexemplar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-03 (key 'Einwohner') returned, then Gemeinde Lehre renamed "Gemeinde Lehre am See".
    Her row in the return has no figure of her own (the key takes the Einwohner from the
    Steuerungsmappe): the warning says the costs are split by the key in the Korrektur copy.
    Only a Fallzahl or a share of her own is named at the new partner's cell there. Mutant
    (survived round 19): "die Zelle von 'Gemeinde Lehre am See' nennt dort ihren Wert" without
    a value to name – the clerk looked in the copy for a figure that is not there."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-03", neu)

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert "Ihr Anteil nach dem Schlüssel 'Einwohner' zählt" in text, text
    assert (
        "Im Korrekturexemplar hat sie keine Zeile mehr; die Kosten verteilen sich dort nach "
        "dem Schlüssel auf die übrigen Partnerkommunen." in text
    ), text
    assert "nennt dort ihren Wert" not in text
