"""Session 23: the Lenkungsgruppe and the coordination team work on the overview and the
Steuerungsmappe in LibreOffice Calc, as they do between two runs of konsolidieren."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, fehlerzellen, in_calc_bearbeiten, nachrechnen, werte
from python_calamine import CalamineWorkbook

from ikz_excel import demo, uebersicht

UEBERSICHT = "Lenkungsgruppe_Uebersicht.xlsx"


@pytest.fixture(scope="module")
def demo_lauf(tmp_path_factory: pytest.TempPathFactory) -> demo.Demo:
    return demo.demo(tmp_path_factory.mktemp("lenkung23") / "ikz-demo")


@pytest.fixture(scope="module")
def demo_bereich(demo_lauf: demo.Demo) -> Path:
    """The demo's workspace, left as it is: each test works on a copy."""
    return demo_lauf.arbeitsbereich


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


@braucht_libreoffice
def test_in_calc_bearbeitete_uebersicht_wird_gesichert_und_genannt(bereich: Path, tmp_path: Path):
    """The LG tries Faktor 1 for Monetärer Erfolg and notes priority 3 for AG-01 in the overview,
    saved in Calc. The next konsolidieren writes the overview anew (it is derived), but keeps
    the edited one in sicherungen/ and says so, and where a decision has to go to count. It
    was replaced without a word. A second run has nothing to keep and says nothing."""
    uebersicht = bereich / UEBERSICHT
    bearbeitet = tmp_path / "bearbeitet.xlsx"
    in_calc_bearbeiten(
        [
            (
                uebersicht,
                bearbeitet,
                [("tippen", "Prioritätenmatrix", "D5", "1"), ("tippen", "Übersicht", "Q5", "3")],
            )
        ]
    )
    shutil.copyfile(bearbeitet, uebersicht)
    lauf = ikz("konsolidieren", "-a", str(bereich))
    gesichert = sorted((bereich / "sicherungen").glob("Lenkungsgruppe_Uebersicht_bearbeitet_*"))
    assert len(gesichert) == 1
    assert gesichert[0].read_bytes() == bearbeitet.read_bytes()
    assert (
        "Achtung: Lenkungsgruppe_Uebersicht.xlsx war nach dem letzten Konsolidieren in Excel "
        "oder LibreOffice gespeichert worden (am "
    ) in lauf.text
    assert f"der bearbeitete Stand liegt jetzt in sicherungen/{gesichert[0].name}." in lauf.text
    assert "bitte in die Steuerungsmappe eintragen (Blatt Prioritaet)" in lauf.text
    # the overview is written anew from the Steuerungsmappe: Faktor 3, no priority 3
    assert werte(uebersicht, "Prioritätenmatrix")["D5"] == 3
    assert _zeilen(uebersicht, "Übersicht", "tbl_Uebersicht")["AG-01"]["festgelegte Priorität"] == 1
    zweiter = ikz("konsolidieren", "-a", str(bereich))
    assert "gespeichert worden" not in zweiter.text
    assert len(list((bereich / "sicherungen").iterdir())) == 1


def test_knopf_konsolidieren_nennt_die_gesicherte_uebersicht(bereich: Path):
    """The button in the Steuerungsmappe says it as the console does: the overview someone
    saved (here by a program that writes its own save time, as Excel does) is kept."""
    import openpyxl

    from ikz_excel import knoepfe

    mappe = openpyxl.load_workbook(bereich / UEBERSICHT)
    mappe["Übersicht"]["Q5"] = 3
    mappe.save(bereich / UEBERSICHT)
    status = knoepfe.AKTIONEN["konsolidieren"](bereich)
    (gesichert,) = (bereich / "sicherungen").iterdir()
    assert (
        "; die Übersicht war seit dem letzten Lauf in Excel oder LibreOffice gespeichert "
        "worden und ist neu geschrieben, der bearbeitete Stand liegt in "
        f"sicherungen/{gesichert.name} (Entscheidungen der "
        "Lenkungsgruppe bitte in die Steuerungsmappe eintragen)"
    ) in status.text


@braucht_libreoffice
def test_als_text_eingefuegter_faktor_wird_als_null_genannt(bereich: Path, tmp_path: Path):
    """A mayor pastes "2,5 " from a mail into a Faktor of the Prioritätenmatrix (pasting passes
    the cell's validation): it is text, and Gesamt counts it as 0. The hint said "Faktoren zur
    Probe", as if 2,5 were tried; it now says that a Faktor is no number and counts as 0."""
    from ikz_excel import uebersicht

    eingefuegt = tmp_path / "eingefuegt.xlsx"
    in_calc_bearbeiten(
        [
            (
                bereich / UEBERSICHT,
                eingefuegt,
                [("text_einfuegen", "Prioritätenmatrix", "D5", "2,5 ")],
            )
        ]
    )
    matrix = werte(eingefuegt, "Prioritätenmatrix")
    assert matrix["D5"] == "2,5 "
    assert matrix["J5"] == uebersicht.FAKTOR_LEER
    assert werte(eingefuegt, "Übersicht")["A3"] == uebersicht.FAKTOR_LEER
    assert "keine Zahl" in uebersicht.FAKTOR_LEER


def test_gesicherte_uebersicht_nur_einmal_wenn_das_schreiben_scheitert(
    bereich: Path, monkeypatch: pytest.MonkeyPatch
):
    """The edited overview is kept, then the new one cannot be written (open in Excel on
    Windows): the next run writes it, keeping the edited one once, not a second copy."""
    import openpyxl

    from ikz_excel import uebersicht

    mappe = openpyxl.load_workbook(bereich / UEBERSICHT)
    mappe["Übersicht"]["Q5"] = 3
    mappe.save(bereich / UEBERSICHT)
    with monkeypatch.context() as m:
        m.setattr(
            uebersicht, "schreiben", lambda *_: (_ for _ in ()).throw(PermissionError(13, ""))
        )
        gescheitert = ikz("konsolidieren", "-a", str(bereich))
    assert gescheitert.code == 2 and "ließ sich nicht schreiben" in gescheitert.text
    lauf = ikz("konsolidieren", "-a", str(bereich))
    (gesichert,) = (bereich / "sicherungen").iterdir()
    assert f"liegt jetzt in sicherungen/{gesichert.name}" in lauf.text


def test_konsolidieren_nennt_was_es_von_der_lenkungsgruppe_gelesen_hat(bereich: Path):
    """The coordination team types the LG's decisions into the Steuerungsmappe: Faktor 1 for
    Monetärer Erfolg, 1 point instead of the proposed 3 for AG-01, priority 2 for AG-05. The
    console says what it read, and shows the festgelegte Priorität beside the computed rank,
    as the overview does; it showed only the ranks."""
    from steuerungsmappe_tippen import eintragen

    mappe = bereich / "Steuerungsmappe.xlsm"
    eintragen(
        mappe,
        ("tbl_Faktoren", "Monetärer Erfolg", "Faktor", 1),
        ("tbl_Prioritaet", "AG-01", "Monetärer Erfolg", 1),
        ("tbl_Prioritaet", "AG-05", "Festgelegte Priorität", 2),
        ("tbl_Prioritaet", "AG-07", "Festgelegte Priorität", None),
    )
    lauf = ikz("konsolidieren", "-a", str(bereich))
    assert (
        "Aus der Steuerungsmappe (Blatt Prioritaet) gelesen: Faktoren Monetärer Erfolg 1, "
        "Erfolgswahrscheinlichkeit 3, Aufwand 2, Personelle Kapazitäten 2, Rechtliche Vorgaben "
        "1, Politische Widerstände 1. Punkte der Lenkungsgruppe: AG-01: Monetärer Erfolg 1 "
        "(Vorschlag 3)."
    ) in lauf.text
    zeilen = {z.split("│")[1].strip(): z.split("│") for z in lauf.aus.splitlines() if "│ AG-" in z}
    assert "festgelegt" in lauf.aus
    # AG, Bezeichnung, Rücklauf, Kapitalwert, Gesamt, Rang, festgelegt
    assert [zeilen[ag][7].strip() for ag in ("AG-01", "AG-05", "AG-07")] == ["1", "2", "–"]
    # points 1, 2, 1, 2, 2, 2 with the Faktoren 1, 3, 2, 2, 1, 1
    assert zeilen["AG-01"][5].strip() == "17"


@braucht_libreoffice
def test_kuerzel_mit_platzhalterzeichen_findet_in_der_matrix_nur_sich(
    demo_lauf: demo.Demo, tmp_path: Path
):
    """The Übersicht looks up an AG's Gesamt and Rang by its Kürzel (MATCH): "?" and "*" stand
    for other letters there and "~" escapes the next one. An AG called 'AG-0?' showed the
    points of AG-01, one called 'AG~3' none, unless they are escaped."""
    import dataclasses

    neu = {"AG-02": "AG-0?", "AG-03": "AG~3", "AG-04": 'AG*"4"'}
    k = demo_lauf.konsolidierung
    ags = []
    for s in k.ags:
        s = copy.copy(s)
        s.ag = dataclasses.replace(s.ag, kuerzel=neu.get(s.ag.kuerzel, s.ag.kuerzel))
        ags.append(s)
    k = dataclasses.replace(
        k, ags=ags, st=dataclasses.replace(k.st, arbeitsgruppen=tuple(s.ag for s in ags))
    )
    pfad = uebersicht.schreiben(k, tmp_path / "U.xlsx")
    gerechnet = nachrechnen([pfad], tmp_path / "lo")[pfad]
    assert fehlerzellen(gerechnet) == []
    gesamt, raenge = k.gesamtpunkte(), k.raenge()
    zeilen = werte(gerechnet, "Übersicht")
    gezeigt = {zeilen[f"A{r}"]: (zeilen.get(f"O{r}"), zeilen.get(f"P{r}")) for r in range(5, 15)}
    assert gezeigt == {
        s.ag.kuerzel: (gesamt.get(s.ag.kuerzel), raenge.get(s.ag.kuerzel)) for s in ags
    }
    assert gezeigt["AG~3"] == (28, 1) and gezeigt["AG-0?"] == (None, None)


def test_fehlerhafter_faktor_sagt_dass_die_uebersicht_alt_ist(bereich: Path):
    """The coordination team types the LG's Faktoren, one as "zwei": konsolidieren stops at the
    Stammdaten, names the cell, and says that the overview lying there is the earlier one
    (it was taken to the LG as if it showed the new Faktoren)."""
    from steuerungsmappe_tippen import eintragen

    vorher = (bereich / UEBERSICHT).read_bytes()
    (ort,) = eintragen(
        bereich / "Steuerungsmappe.xlsm", ("tbl_Faktoren", "Aufwand", "Faktor", "zwei")
    )
    lauf = ikz("konsolidieren", "-a", str(bereich))
    assert lauf.code == 2
    assert f"{ort} (Faktor): 'zwei' ist keine Zahl." in lauf.text
    assert (
        "Konsolidiert wurde nichts: Lenkungsgruppe_Uebersicht.xlsx ist unverändert (Stand "
    ) in lauf.text
    assert "und zeigt die Eingaben in der Steuerungsmappe seitdem noch nicht." in lauf.text
    assert (bereich / UEBERSICHT).read_bytes() == vorher


def test_fehlerhafter_faktor_ueber_den_knopf_sagt_dass_die_uebersicht_alt_ist(bereich: Path):
    """The Faktoren are typed in the Steuerungsmappe, beside the button „Konsolidieren“: with
    one as "zwei" the button said only "Die Stammdaten sind fehlerhaft …", not that the overview
    lying there is the earlier one, as the console does (review 23)."""
    from steuerungsmappe_tippen import eintragen

    from ikz_excel import knoepfe

    vorher = (bereich / UEBERSICHT).read_bytes()
    eintragen(bereich / "Steuerungsmappe.xlsm", ("tbl_Faktoren", "Aufwand", "Faktor", "zwei"))
    status = knoepfe.lauf("konsolidieren", bereich / "Steuerungsmappe.xlsm")
    assert not status.ok
    assert "'zwei' ist keine Zahl." in status.text
    assert (
        "Konsolidiert wurde nichts: Lenkungsgruppe_Uebersicht.xlsx ist unverändert (Stand "
    ) in status.text, status.text
    assert (bereich / UEBERSICHT).read_bytes() == vorher
