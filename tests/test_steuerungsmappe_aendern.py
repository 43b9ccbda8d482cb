"""The Steuerungsmappe changed after `ikz init`, as the Steuerungsgruppe and the LG change it.

An AG renamed or deleted on the sheet Arbeitsgruppen after the LG typed its decision for it on
Prioritaet must not stop the commands (README, "Ein eigenes Programm einrichten": `ikz init
--ersetzen --stammdaten` rebuilds the sheet after renamed AGs), and the decision must not
vanish unsaid. The festgelegte Priorität can be typed on Prioritaet and on Handlungsfelder;
both must count, Prioritaet first, and two different values are named with both cells.

Cells are typed with openpyxl (steuerungsmappe_tippen); the commands run through the real
entry point; the expected cells come from the table positions openpyxl reads.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kommunen_matrix
import openpyxl
import pytest
from aufruf import Lauf, ikz_aufrufen
from steuerungsmappe_tippen import eintragen, spalte, zelle

from ikz_excel import demo_daten, erzeugen, knoepfe, konsolidieren, stammdaten
from ikz_excel.arbeitsbereich import Arbeitsbereich
from ikz_excel.befunde import Regel, Stufe

ALT, NEU = "AG-10", "AG-BAEDER"


def _ikz(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> Lauf:
    return ikz_aufrufen(monkeypatch, capsys, *args)


@dataclass
class Umbenannt:
    ab: Path
    mappe: Path
    prioritaet_ag: str  # 'Prioritaet!A..' of the row the LG typed into, still naming AG-10


def _ag10_zurueckgeschickt(ab: Path) -> Path:
    """A new workspace whose AG-10 returned its filled workbook; the Steuerungsmappe."""
    mappe, _ = erzeugen.init(ab)
    st = stammdaten.lesen(mappe)
    eingaben, felder = demo_daten.eingaben(st, ALT)
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(ALT), ab / "eingang" / "Baeder.xlsx", eingaben=eingaben, felder=felder
    )
    return mappe


@pytest.fixture
def umbenannt(tmp_path: Path) -> Umbenannt:
    """AG-10 returned its workbook; the LG typed points, priority and a reason into its row on
    Prioritaet; then the Steuerungsgruppe renamed AG-10 to AG-BAEDER on Arbeitsgruppen."""
    ab = tmp_path / "ab"
    mappe = _ag10_zurueckgeschickt(ab)
    eintragen(
        mappe,
        ("tbl_Prioritaet", ALT, "Aufwand", 3),
        ("tbl_Prioritaet", ALT, "Festgelegte Priorität", 2),
        ("tbl_Prioritaet", ALT, "Bemerkung", "Erst nach dem Kreistag"),
        ("tbl_Arbeitsgruppen", ALT, "AG", NEU),
    )
    return Umbenannt(ab, mappe, zelle(mappe, "tbl_Prioritaet", ALT, "AG")[0])


def _warnt_vor_der_zeile(text: str, u: Umbenannt) -> None:
    assert (
        f"Warnung: Steuerungsmappe.xlsm, {u.prioritaet_ag}: Die AG 'AG-10' steht nicht mehr auf "
        "dem Blatt Arbeitsgruppen (umbenannt oder gelöscht?)"
    ) in text, text
    eingaben = "Punkte Aufwand 3; Festgelegte Priorität 2; Bemerkung 'Erst nach dem Kreistag'"
    assert f"Ihre Eingaben in dieser Zeile ({eingaben}) zählen nicht" in text
    assert f"Gehören sie jetzt zu {NEU} (gleiches Handlungsfeld)" in text


def test_umbenannte_ag_erzeugen_und_konsolidieren_laufen_mit_warnung(
    umbenannt: Umbenannt, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    u = umbenannt
    lauf = _ikz(monkeypatch, capsys, "erzeugen", "-a", str(u.ab))
    assert lauf.code == 0, lauf.fehler
    _warnt_vor_der_zeile(lauf.aus, u)
    assert (u.ab / "ausgang" / "AG-BAEDER_Baederverwaltung.xlsx").exists()

    lauf = _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(u.ab))
    assert lauf.code == 1, lauf.fehler  # the return of AG-10 is a Fehler, see below
    _warnt_vor_der_zeile(lauf.aus, u)
    # the return says what most likely happened, not "another programme"
    assert (
        "Baeder.xlsx: Die Arbeitsgruppe 'AG-10' steht nicht (mehr) in der Steuerungsmappe "
        f"(Blatt Arbeitsgruppen). Wurde sie umbenannt (vielleicht in {NEU}) oder gelöscht?"
    ) in lauf.aus
    assert "anderen Programm" not in lauf.aus

    k = konsolidieren.konsolidieren(u.ab)
    (w,) = k.st.warnungen
    assert (w.blatt, w.zelle, w.stufe, w.regel, w.wert) == (
        "Prioritaet",
        u.prioritaet_ag.split("!")[1],
        Stufe.WARNUNG,
        Regel.STRUKTUR,
        ALT,
    )
    baeder = next(s for s in k.ags if s.ag.kuerzel == NEU)
    # AG-10's 2 does not silently become AG-BAEDER's (the warning asks to move it); what
    # counts is the 1 of Anlage 1 beside its Handlungsfeld on Handlungsfelder
    assert baeder.status == konsolidieren.KEIN_RUECKLAUF and baeder.festgelegte_prioritaet == 1
    (d,) = k.pruefung.dateien
    assert [(b.stufe, b.regel) for b in d.befunde] == [(Stufe.FEHLER, Regel.STRUKTUR)]
    assert "mit 'ikz erzeugen' die Mappe von AG-BAEDER schreiben" in d.befunde[0].meldung
    assert "das Kürzel 'AG-10' auf dem Blatt Arbeitsgruppen wieder eintragen" in (
        d.befunde[0].meldung
    )


def test_umbenannte_ag_knopf_nennt_die_warnung(umbenannt: Umbenannt) -> None:
    status = knoepfe.lauf("erzeugen", umbenannt.mappe)
    assert status.ok, status.text
    assert f"; Warnung: Steuerungsmappe.xlsm, {umbenannt.prioritaet_ag}: " in status.text
    assert len(status.warnungen) == 1 and "Gehören sie jetzt zu AG-BAEDER" in status.warnungen[0]


def test_umbenannte_ag_init_ersetzen_baut_prioritaet_neu(
    umbenannt: Umbenannt, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's way after a rename: one row per current AG; what the dropped row held is
    named on the console and stays in the backup, and typed into the new row it counts."""
    u = umbenannt
    lauf = _ikz(
        monkeypatch,
        capsys,
        "init",
        "-a",
        str(u.ab),
        "--ersetzen",
        "--stammdaten",
        str(u.mappe),
    )
    assert lauf.code == 0, lauf.fehler
    # said as done, at the cell of the backup, where the row still is: in the words of the
    # warning before it, init named itself as the remedy (klein18)
    (sicherung,) = (u.ab / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm")
    eingaben = "Punkte Aufwand 3; Festgelegte Priorität 2; Bemerkung 'Erst nach dem Kreistag'"
    assert (
        f"Warnung: sicherungen/{sicherung.name}, {u.prioritaet_ag}: Die AG 'AG-10' steht nicht "
        "mehr auf dem Blatt Arbeitsgruppen (umbenannt oder gelöscht?). Ihre Eingaben in dieser "
        f"Zeile ({eingaben}) sind nicht in die neue Steuerungsmappe übernommen. Gehören sie jetzt "
        f"zu {NEU} (gleiches Handlungsfeld), bitte in deren Zeile eintragen (Blatt Prioritaet der "
        "neuen Steuerungsmappe)." in " ".join(lauf.aus.split())
    ), lauf.aus
    assert "ikz init" not in lauf.aus.split("Nächster Schritt")[0], lauf.aus

    st = stammdaten.lesen(u.mappe)
    assert st.warnungen == ()
    ags = [a.kuerzel for a in st.arbeitsgruppen]
    assert NEU in ags and ALT not in ags
    assert [ag for ag in spalte(u.mappe, "tbl_Prioritaet", "AG") if ag] == ags
    assert zelle(sicherung, "tbl_Prioritaet", ALT, "Festgelegte Priorität")[1] == 2

    eintragen(u.mappe, ("tbl_Prioritaet", NEU, "Festgelegte Priorität", 2))
    baeder = next(s for s in konsolidieren.konsolidieren(u.ab).ags if s.ag.kuerzel == NEU)
    assert baeder.festgelegte_prioritaet == 2


def test_geloeschte_ag_mit_entscheidung(tmp_path: Path) -> None:
    """AG-10 deleted from Arbeitsgruppen: no AG takes its place, the warning names none."""
    st = stammdaten.standard()
    tabellen = copy.deepcopy(st.tabellen)
    tabellen["tbl_Arbeitsgruppen"] = [z for z in tabellen["tbl_Arbeitsgruppen"] if z["AG"] != ALT]
    pfad = erzeugen.steuerungsmappe_schreiben(
        dataclasses.replace(st, tabellen=tabellen), tmp_path / "ohne_ag10.xlsx"
    )
    gelesen = stammdaten.lesen(pfad)
    assert ALT not in [a.kuerzel for a in gelesen.arbeitsgruppen]
    assert gelesen.entscheidung(ALT) is None
    assert ALT not in [z["AG"] for z in gelesen.tabellen["tbl_Prioritaet"]]
    (w,) = gelesen.warnungen
    assert (w.blatt, w.zelle) == ("Prioritaet", zelle(pfad, "tbl_Prioritaet", ALT, "AG")[0][11:])
    assert "(Festgelegte Priorität 1)" in w.meldung
    assert "Gehören sie zu einer umbenannten AG, bitte in deren Zeile eintragen" in w.meldung
    # the shells gather the warnings of what the stage functions read
    with stammdaten.warnungen_sammeln() as gesammelt:
        stammdaten.lesen(pfad)
        stammdaten.lesen(pfad)
    assert gesammelt == [w]


# Festgelegte Priorität on two sheets -----------------------------------------------------------


def _uebersicht_prioritaet(ab: Path) -> dict[str, Any]:
    """The festgelegte Priorität per AG as the overview shows it to the LG."""
    uebersicht = Arbeitsbereich(ab).uebersicht
    ags = spalte(uebersicht, "tbl_Uebersicht", "AG")
    return dict(
        zip(ags, spalte(uebersicht, "tbl_Uebersicht", "festgelegte Priorität"), strict=True)
    )


def test_festgelegte_prioritaet_auf_handlungsfeldern_zaehlt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-05 has no priority on Prioritaet; the LG typed it beside its Handlungsfeld."""
    mappe, _ = erzeugen.init(tmp_path)
    st = stammdaten.lesen(mappe)
    assert st.entscheidung("AG-05") is None
    eintragen(
        mappe,
        (
            "tbl_Handlungsfelder",
            st.arbeitsgruppe("AG-05").handlungsfeld,
            "Festgelegte Priorität",
            4,
        ),
    )
    lauf = _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(tmp_path))
    assert lauf.code == 0, lauf.fehler
    assert "Warnung" not in lauf.aus
    k = konsolidieren.konsolidieren(tmp_path)
    assert next(s for s in k.ags if s.ag.kuerzel == "AG-05").festgelegte_prioritaet == 4
    assert _uebersicht_prioritaet(tmp_path)["AG-05"] == 4


def test_festgelegte_prioritaet_zweimal_verschieden_prioritaet_gilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-01 has 1 on Prioritaet and on Handlungsfelder (Anlage 1); the LG changes the one on
    Handlungsfelder to 3: Prioritaet counts, and the console names both cells."""
    mappe, _ = erzeugen.init(tmp_path)
    st = stammdaten.lesen(mappe)
    assert st.warnungen == ()  # the built-in programme has the same value in both places
    feld = st.arbeitsgruppe("AG-01").handlungsfeld
    (dort,) = eintragen(mappe, ("tbl_Handlungsfelder", feld, "Festgelegte Priorität", 3))
    hier, wert = zelle(mappe, "tbl_Prioritaet", "AG-01", "Festgelegte Priorität")
    assert wert == 1
    lauf = _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(tmp_path))
    assert lauf.code == 0, lauf.fehler
    assert (
        f"Warnung: Steuerungsmappe.xlsm, {hier}: Festgelegte Priorität von AG-01: hier 1, in "
        f"{dort} (Handlungsfeld {feld!r}) aber 3. Es gilt der Wert hier (1); bitte {dort} "
        "angleichen oder leeren."
    ) in lauf.aus, lauf.aus
    k = konsolidieren.konsolidieren(tmp_path)
    assert next(s for s in k.ags if s.ag.kuerzel == "AG-01").festgelegte_prioritaet == 1
    assert _uebersicht_prioritaet(tmp_path)["AG-01"] == 1
    (w,) = k.st.warnungen
    assert (w.blatt, w.zelle, w.stufe) == ("Prioritaet", hier.split("!")[1], Stufe.WARNUNG)


def test_spaeter_aufgenommene_partnerkommune_zeigt_die_matrix_als_fehlend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-10 returned its workbook for three partners; then the Steuerungsgruppe added Gemeinde
    Lehre to it. The return counts, its figures split over the three (the check warns); on
    the Kommunen-Matrix Lehre's mayor read „–“ (not a partner of AG-10) before. Now „fehlt“,
    explained on the sheet, and still no share for Lehre."""
    ab = tmp_path / "ab"
    mappe = _ag10_zurueckgeschickt(ab)
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", ALT, "Partnerkommunen")
    eintragen(mappe, ("tbl_Arbeitsgruppen", ALT, "Partnerkommunen", f"{partner}; Gemeinde Lehre"))

    lauf = _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(ab))
    assert lauf.code in (0, 1), lauf.fehler
    wb = openpyxl.load_workbook(ab / "Lenkungsgruppe_Uebersicht.xlsx")
    ws = wb[kommunen_matrix.BLATT]
    gezeigt = kommunen_matrix.lesen([list(z) for z in ws.iter_rows(values_only=True)])
    assert isinstance(gezeigt.je_ag[ALT], str) and gezeigt.je_ag[ALT].startswith("=SUMIFS")
    assert gezeigt.zellen[ALT, "Gemeinde Lehre"] == "fehlt"
    assert gezeigt.zellen[ALT, "Samtgemeinde Velpke"] == "–"
    assert gezeigt.zellen[ALT, "Stadt Helmstedt"].startswith("=SUMIFS")
    assert "„fehlt“: Partner laut Steuerungsmappe, aber nicht in der Mappe" in ws.cell(2, 1).value
    detail = wb["Kommunen je Handlungsfeld"].tables["tbl_KommunenDetail"]
    werte = [[c.value for c in z] for z in wb["Kommunen je Handlungsfeld"][detail.ref]]
    spalten = werte[0]
    assert not [
        z
        for z in werte[1:]
        if z[spalten.index("AG")] == ALT and "Lehre" in z[spalten.index("Kommune")]
    ]


def test_eintraege_unter_dem_druckbereich_sind_eine_warnung(tmp_path: Path) -> None:
    """Review 20: the print area of each sheet ends three rows below the example's entries
    (print review 20). The Steuerungsgruppe types its own Meilensteine below them, and the
    printout simply left the last ones out. `ikz erzeugen` names the first row not printed
    and the command that rebuilds the workbook; after it, the print area holds them all."""
    from datetime import date

    from aufruf import ikz
    from openpyxl.utils import range_boundaries

    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    ws = wb["Zeitplan"]
    links, oben, _, unten = range_boundaries(ws.tables["tbl_Meilensteine"].ref)
    frei = next(r for r in range(oben + 1, unten + 1) if ws.cell(r, links).value is None)
    druck_bis = range_boundaries(str(ws.print_area).split("!")[-1])[3]
    neue = range(frei, druck_bis + 2)  # the rows left in the print area, and one more
    for r in neue:
        for s, wert in enumerate(
            [f"Zwischenstand {r}", "Umsetzung", date(2013, 6, 30), "Gesamtprojekt"]
        ):
            ws.cell(r, links + s).value = wert
    wb.save(mappe)

    lauf = ikz("erzeugen", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code == 0, text
    assert (
        f"Warnung: Steuerungsmappe.xlsm, Zeitplan!A{druck_bis + 1}: Diese Zeile druckt nicht "
        f"mit: Der Druckbereich des Blatts endet mit Zeile {druck_bis}" in text
    ), text
    assert "Befehl dazu: 'ikz init --ersetzen --stammdaten" in text, text

    assert ikz("init", "--ersetzen", "--stammdaten", str(mappe), "-a", str(ab)).code == 0
    ws = openpyxl.load_workbook(mappe)["Zeitplan"]
    assert range_boundaries(str(ws.print_area).split("!")[-1])[3] > neue[-1]
    lauf = ikz("erzeugen", "-a", str(ab), "--ersetzen")
    assert lauf.code == 0 and "druckt nicht mit" not in lauf.text, lauf.text


@pytest.mark.parametrize("anzahl", [3, 4])
def test_neue_oberziele_in_den_leeren_zeilen_und_darunter_zaehlen(
    tmp_path: Path, anzahl: int
) -> None:
    """Session 21: between the tables of the Programm, twelve empty rows printed (five empty
    table rows, five input rows, two between). A table with another below it now has two
    empty rows; what is typed there, and on below the table, counts, as the Steuerungsgruppe
    types new Oberziele and saves the file. The fourth lands right above the
    Rahmenbedingungen' header: that row was neither read nor warned about, the Oberziel was
    lost without a word."""
    mappe = erzeugen.steuerungsmappe_schreiben(stammdaten.standard(), tmp_path / "S.xlsm")
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    ws = wb["Programm"]
    oben = {t.name: openpyxl.utils.range_boundaries(t.ref) for t in ws.tables.values()}
    _, _, _, unten = oben["tbl_Oberziele"]
    kopf = oben["tbl_Rahmenbedingungen"][1]
    assert kopf - unten - 1 == 2  # two rows between, the table's two empty rows above
    assert [ws.cell(r, 2).value for r in range(unten - 1, unten + 1)] == [None, None]
    neu = ["Gemeinsame Beschaffung", "Digitale Verwaltung", "Klimaschutz", "Fachkräfte"][:anzahl]
    for i, text in enumerate(neu):
        ws.cell(unten - 1 + i, 1, 6 + i)
        ws.cell(unten - 1 + i, 2, text)
    wb.save(mappe)
    st = stammdaten.lesen(mappe)
    oberziele = [z["Oberziel"] for z in st.tabellen["tbl_Oberziele"]]
    assert oberziele[5:] == neu and len(oberziele) == 5 + anzahl
    rahmen = st.tabellen["tbl_Rahmenbedingungen"]
    assert len(rahmen) == 7
    assert rahmen[0]["Rahmenbedingung"].startswith("Die interkommunale Zusammenarbeit ist kein")
