"""Tests against hand-made mutants of session 17's changes that went unnoticed (round 18).

Each test drives the behaviour the way the Steuerungsgruppe meets it – `ikz konsolidieren` and
the Lenkungsgruppe's overview, the generated Arbeitsmappe, `ikz init` – and fails with the
mutant named in its docstring. Kept apart from test_konsolidieren and test_druck, which other
work changes at the same time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aufruf
import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from steuerungsmappe_tippen import eintragen, zelle
from test_kommune_umbenannt import ALT, _zurueck_und_umbenannt

from ikz_excel import demo_daten, erzeugen, stammdaten, xlsx


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


def ag10_im_eingang(st: Any, ab: Path, schluessel: str) -> Any:
    """A fresh workspace `ab` with AG-10's demo return in eingang/, its Kostenausgleich one row
    per partner under `schluessel`; AG-10 (three partners) is where a tie of the cent shows."""
    assert aufruf.ikz("init", "-a", str(ab)).code == 0
    ag = st.arbeitsgruppe("AG-10")
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    erzeugen.arbeitsmappe_schreiben(
        st,
        ag,
        ab / "eingang" / "AG-10.xlsx",
        eingaben={**eingaben, "tbl_Kostenausgleich": [{"Kommune": p} for p in ag.partner]},
        felder={**felder, "Schluessel": schluessel},
    )
    return ag


def test_cent_des_gleichstands_nicht_an_die_kommune_unter_altem_namen(
    st: Any, tmp_path: Path
) -> None:
    """AG-10's return ('gleiche Anteile', three partners) in eingang/, then the Stadt Helmstedt
    renamed in the Steuerungsmappe: until the AG works in its Korrektur copy, the overview
    splits by the workbook's partners, the old name among them. A Kommune the Steuerungsmappe
    no longer knows comes last for the cent of a tie (README; the known ones by name since
    session 19), so the cent goes to the Stadt Königslutter am Elm, a known one.
    Mutant (survived round 18): the unknown one first (`rang.get(name, -1)`) – the cent went
    to "Stadt Helmstedt", a name the programme no longer has."""
    ab = tmp_path / "ab"
    ag = ag10_im_eingang(st, ab, "gleiche Anteile")
    _umbenennen(ab / "Steuerungsmappe.xlsm", st, "Stadt Helmstedt", "Kreisstadt Helmstedt")

    lauf = aufruf.ikz("konsolidieren", "-a", str(ab))

    assert "Stadt Helmstedt nicht mehr" in lauf.text, lauf.text
    with CalamineWorkbook.from_path(str(ab / "Lenkungsgruppe_Uebersicht.xlsx")) as mappe:
        tabelle = mappe.get_sheet_by_name("Kommunen je Handlungsfeld").to_python()
    kosten = {z[0]: z[5] for z in tabelle if z[1] == "AG-10"}
    assert set(kosten) == set(ag.partner), kosten
    assert len(set(kosten.values())) == 2, kosten  # a tie indeed
    assert kosten["Stadt Königslutter am Elm"] - kosten["Stadt Helmstedt"] == pytest.approx(0.01)


# The Arbeitsmappe: rows of a formula's text ----------------------------------------------------

#: Points of a line of wrapped Arial 10 in Excel (its default row, 17 pixels).
EXCEL_ZEILE = 12.75


@pytest.fixture(scope="module")
def leere_mappe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """AG-01's blank workbook as 'ikz init' and 'ikz erzeugen' write it."""
    ab = tmp_path_factory.mktemp("leer") / "ab"
    assert aufruf.ikz("init", "-a", str(ab)).code == 0
    assert aufruf.ikz("erzeugen", "-a", str(ab)).code == 0
    (pfad,) = (ab / "ausgang").glob("AG-01*.xlsx")
    return pfad


def _spaltenbreiten(ws: Any) -> dict[int, float]:
    breiten: dict[int, float] = {}
    for d in ws.column_dimensions.values():
        if d.min and d.max and d.width:
            breiten.update(dict.fromkeys(range(d.min, d.max + 1), d.width))
    return breiten


def test_texte_aus_formeln_passen_in_ihre_zeile(leere_mappe: Path) -> None:
    """A verdict by formula shows its text only once the clerk has typed something wrong, and
    neither Excel nor LibreOffice fits a row to a formula's new result: the row must be as
    high as its longest text from the start. On Hinweise the Stand "Eine Eingabezelle zeigt
    einen Fehlerwert (z. B. #BEZUG!): bitte den Wert neu eingeben" (two lines in its column),
    under the Kostenausgleich's sum "Achtung: Die Anteile ergeben nicht 100 %." (review 17b).
    The checks of row heights in test_druck leave formulas out or see them blank. Mutants
    (round 18): the Stand's rows without their height (one line: "eingeben" cut), the
    verdict's row at the former 27 points."""
    wb = openpyxl.load_workbook(leere_mappe)
    zu_knapp, gesehen = [], set()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        breiten = _spaltenbreiten(ws)
        for zeile in ws.iter_rows():
            for z in zeile:
                if not (isinstance(z.value, str) and z.value.startswith("=")):
                    continue
                if not z.alignment.wrap_text:
                    continue
                texte = re.findall(r'"((?:[^"]|"")*)"', z.value)
                if not texte:
                    continue
                text = max(texte, key=len).replace('""', '"')
                zeilen = xlsx.textzeilen(
                    text,
                    breiten.get(z.column, 8.43),
                    z.font.sz or 10,
                    einzug=bool(z.alignment.indent),
                    fett=bool(z.font.b),
                )
                hoehe = ws.row_dimensions[z.row].height or EXCEL_ZEILE
                gesehen.add(text)
                if hoehe < EXCEL_ZEILE * (z.font.sz or 10) / 10 * zeilen:
                    zu_knapp.append((ws.title, z.coordinate, text, zeilen, hoehe))
    assert erzeugen.FEHLERWERT_STAND in gesehen
    assert "Achtung: Die Anteile ergeben nicht 100 %." in gesehen
    assert not zu_knapp, "\n".join(map(str, zu_knapp))


# ikz pruefen: where a cross-check's message points -----------------------------------------------


def test_meldung_der_querpruefung_nennt_die_zelle_ohne_spalte(st: Any, tmp_path: Path) -> None:
    """A partner's Fallzahl left empty under the key 'Fallzahl': the message begins with the
    cell, as every message of a cell does ("Kostenausgleich!C7: Beim Schlüssel …"); only the
    Risiko without a Gegenmaßnahme names its column after the cell, since its row has many
    columns (klein17). Mutant (survived round 18): every cross-check's message with its
    column, "Kostenausgleich!C7 (Fallzahl): …", unlike the messages of the cells beside it."""
    ab = tmp_path / "ab"
    assert aufruf.ikz("init", "-a", str(ab)).code == 0
    eingaben, felder = demo_daten.eingaben(st, "AG-01")
    assert felder["Schluessel"] == "Fallzahl"
    eingaben["tbl_Kostenausgleich"][0]["Fallzahl"] = None
    ziel = ab / "eingang" / "AG-01.xlsx"
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe("AG-01"), ziel, eingaben=eingaben, felder=felder
    )
    with CalamineWorkbook.from_path(str(ziel), load_tables=True) as mappe:
        t = mappe.get_table_by_name("tbl_Kostenausgleich")
        spalte = t.start[1] + [str(c) for c in t.columns].index("Fallzahl")
        ort = f"{t.sheet}!{get_column_letter(spalte + 1)}{t.start[0] + 1}"

    lauf = aufruf.ikz("pruefen", "-a", str(ab))

    assert f"{ort}: Beim Schlüssel 'Fallzahl' braucht jede Kommune eine Fallzahl" in lauf.text
    assert f"{ort} (Fallzahl)" not in lauf.text


# Korrektur copy after a rename that is only probable ------------------------------------------


def test_vermutlich_umbenannte_kommune_nicht_schon_eingetragen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre renamed "Gemeinde Lehre am See" and its Einwohner changed in the same
    go after AG-05's return: probably, not certainly, the same Kommune. The Korrektur copy
    leaves the old name where the return chose it (Stärken-Schwächen), a Fehler there until
    the AG chooses, so that the copy sent back unchanged never counts a statement for another
    Kommune; only a certain rename (the same Einwohner) is written in (session 17, PO
    decision). Mutant (survived round 18): the new name written in for a probable rename."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-05", neu, 12000)

    lauf = aufruf.ikz_aufrufen(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert f"Vermutlich umbenannt in '{neu}'? Dann bitte diese wählen" in lauf.text
    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    ss = openpyxl.load_workbook(kopie)["Stärken-Schwächen"]
    (genannt,) = [c for r in ss.iter_rows() for c in r if c.value in (ALT, neu)]
    assert genannt.value == ALT
    assert "Dieses Korrekturexemplar hat hier schon" not in " ".join(genannt.comment.text.split())
