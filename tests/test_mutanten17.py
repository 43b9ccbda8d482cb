"""Tests against hand-made mutants that went unnoticed (rounds 16 and 17).

Each test drives the behaviour the way the Steuerungsgruppe meets it – `ikz pruefen`, the
Korrektur copy, the Lenkungsgruppe's overview recalculated in LibreOffice – and fails with the
mutant named in its docstring. Kept apart from test_pruefen and test_konsolidieren, which other
work changes at the same time.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import aufruf
import kommunen_matrix
import korpus
import openpyxl
import pytest
import test_pruefen
from libreoffice import braucht_libreoffice, fehlerzellen, nachrechnen
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from steuerungsmappe_tippen import parameter_setzen
from test_pruefen import ruecklauf

from ikz_excel import (
    berichte,
    demo,
    demo_daten,
    einlesen,
    erzeugen,
    pruefen,
    uebersicht,
)
from ikz_excel.befunde import Regel

AG = "AG-01"
# the fixtures of test_pruefen: the Standard-Stammdaten, AG-01's return as a careful AG fills
# it (demo_daten), a workspace after `ikz init` with an empty eingang/
st, gueltig, bereich = test_pruefen.st, test_pruefen.gueltig, test_pruefen.bereich


def ikz(*args: str) -> tuple[int, str]:
    """Exit code and console text of `ikz ARGS` (rich's line breaks undone)."""
    lauf = aufruf.ikz(*args)
    return lauf.code, lauf.text


def zelle(pfad: Path, tabelle: str, zeile: int, kopf: str) -> str:
    """Sheet!A1 of data row `zeile` (0-based) of `tabelle`, as python-calamine places it."""
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name(tabelle)
        spalte = t.start[1] + [str(c) for c in t.columns].index(kopf)
        return f"{t.sheet}!{get_column_letter(spalte + 1)}{t.start[0] + 1 + zeile}"


# Korrektur copy: one cell, two findings ---------------------------------------------------------


def test_zelle_mit_zwei_befunden_verschiedener_bedingung_bleibt_rot(
    st: Any, tmp_path: Path
) -> None:
    """'50' typed for 50 % as the first individual share: the cell has two findings, the value
    out of range (red while it still holds 50) and the shares' sum (red while the column does
    not add up to 100 %). In the Korrektur copy it stays red whatever is corrected, since
    either may still hold. Mutant (survived round 16): the last finding's condition alone –
    correcting 50 to 0,5 took the red away although the sum was still 104 %."""

    def ganze_zahlen(e: dict[str, Any], f: dict[str, Any]) -> None:
        f["Schluessel"] = "individuell"
        for z, anteil in zip(e["tbl_Kostenausgleich"], [50, 0.3, 0.2], strict=False):
            z["Fallzahl"] = None
            z["Anteil individuell"] = anteil
        for z in e["tbl_Kostenausgleich"][3:]:
            z["Fallzahl"], z["Anteil individuell"] = None, 0

    pfad = ruecklauf(st, tmp_path / "r.xlsx", ganze_zahlen)
    d = pruefen.pruefen([pfad], st).dateien[0]
    erste = zelle(pfad, "tbl_Kostenausgleich", 0, "Anteil individuell").split("!")[1]
    regeln = {b.regel for b in d.befunde if b.zelle == erste}
    assert regeln == {Regel.BEREICH, Regel.SUMME}, [(b.zelle, b.regel) for b in d.befunde]

    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)["Kostenausgleich"]
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    assert bedingungen[erste] == ["TRUE"]
    notiz = ws[erste].comment.text
    assert "Meinten Sie 50 %?" in notiz and "ergeben nicht 100 %" in notiz, notiz


# ikz pruefen: messages -------------------------------------------------------------------------


@pytest.mark.parametrize("jahr", [100, 500, 999])
def test_ab_jahr_dreistellig_nach_verkuerztem_zeitraum(st: Any, tmp_path: Path, jahr: int) -> None:
    """'ab Jahr' 100 to 999 is no calendar year: the message says the Betrachtungszeitraum
    counts 1 to 5 and what to type, as for 9. Mutant (survived round 16): that message only
    below 100 – 500 got "Bitte korrigieren." and the clerk was left guessing."""

    def ab_jahr(e: dict[str, Any], _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][3]["ab Jahr"] = jahr

    pfad = ruecklauf(st, tmp_path / "r.xlsx", ab_jahr)
    d = pruefen.pruefen([pfad], st).dateien[0]
    [b] = [b for b in d.befunde if b.spalte == "ab Jahr"]
    assert b.regel is Regel.BEREICH
    assert (
        f"„ab Jahr“ zählt die Jahre des Betrachtungszeitraums der Steuerungsmappe (1 bis 5 = "
        f"2013 bis 2017); ein Betrag ab Jahr {jahr} liegt danach und zählt nicht." in b.meldung
    ), b.meldung
    assert "oder ein Jahr bis 5 eintragen" in b.meldung and "Bitte korrigieren" not in b.meldung


def _menge_im_datumsformat(bereich: Path, gueltig: Path, wert: Any) -> tuple[str, str]:
    """AG-01's first Menge set to `wert` in a cell formatted as a date, as Excel leaves it after
    reading "1.5" as 1 May; `ikz pruefen`: the cell and the console text."""
    ziel = bereich / "eingang" / "AG-01.xlsx"
    korpus.ausfuellen(gueltig, ziel, {"tbl_Ressourcen": [{"Menge": wert}]})
    korpus.format_uebertragen(ziel, ("tbl_Ressourcen", 0, "Menge"), ("tbl_Meilensteine", "Termin"))
    code, text = ikz("pruefen", "-a", str(bereich))
    assert code == 1, text
    return zelle(ziel, "tbl_Ressourcen", 0, "Menge"), text


def test_oktober_als_datum_gelesen_ohne_zweite_vermutung(bereich: Path, gueltig: Path) -> None:
    """ "15.10" typed into a number column, made 15 October by Excel: meant was 15,10 – only for
    a month below 10 may the clerk have typed the leading zero ("1.05"). Mutant: "monat <= 10"
    said "Gemeint war wohl 15,10 (oder 15,010)"."""
    tag = date(date.today().year, 10, 15)
    ort, text = _menge_im_datumsformat(bereich, gueltig, tag)
    assert (
        f"{ort} (Menge): Excel hat hier vermutlich die Eingabe 15.10 als Datum 15.10. gelesen "
        f"(gespeichert: 15.10.{tag.year}); erwartet wird eine Zahl. Gemeint war wohl 15,10. "
        in text
    ), text


@pytest.mark.parametrize(("menge", "gesagt"), [(1.000012, "1,000012"), (1.00001, "1,00001")])
def test_zahl_mit_sechs_nachkommastellen_in_einer_datumszelle(
    bereich: Path, gueltig: Path, menge: float, gesagt: str
) -> None:
    """A Menge of 1,000012 or 1,00001 typed into a cell formatted as a date (Excel keeps the
    number, shows a day in 1900 with a time): the message names the number as typed, to the
    sixth decimal like Excel's fraction of a day. Mutants: the time of day rounded to five
    decimals named 1,00001 for 1,000012; without the time's fraction of a second (0,864 s)
    1,00001 was named 1."""
    ort, text = _menge_im_datumsformat(bereich, gueltig, menge)
    assert f"{ort} (Menge): Hier steht die Zahl {gesagt}, angezeigt als Datum" in text, text


def test_eigene_notiz_an_einem_leerzeichen_gekuerzt() -> None:
    """Our note is cut at 2000 characters when written; read back, its text is stripped, so a
    cut that falls on spaces leaves a few characters less. Still ours: the hint "Notizen an
    Zellen" would otherwise name our own comment as the AG's. Mutant: "gekürzt" only from 2000
    characters on."""
    anfang = "Fehler: Kostenausgleich!C8: "
    lang = anfang + "x" * (1995 - len(anfang)) + "     " + "Wort " * 100
    meldungen = frozenset({lang, "Warnung: B"})
    geschrieben = lang[:2000]
    assert geschrieben.endswith("     ")
    assert einlesen._eigene_notiz(geschrieben.strip(), meldungen)
    # a line of the clerk's that happens to begin like one of ours counts, unless it is the
    # cut end
    assert not einlesen._eigene_notiz("Fehler: Kostenausgleich\n" + geschrieben.strip(), meldungen)


def test_eigene_notiz_mit_zeilenumbruch_von_windows_und_ohne_liste() -> None:
    """A message with a line break, read back with Windows' "\r\n", is still ours (mutant:
    only "\n" compared). Our line on a figure taken over, found in a file without the list
    of a Korrektur copy (the clerk copied the cells back into the old workbook, the comment
    came along), is named: nothing in that file says so any more (mutant: the list not
    required)."""
    meldungen = frozenset({"Fehler: Ressourcen!D5: zwei\nist keine Zahl."})
    assert einlesen._eigene_notiz("Fehler: Ressourcen!D5: zwei\r\nist keine Zahl.", meldungen)
    uebernommen = "Fehler: Aus Zeile 10 der eingesandten Mappe übernommen, wo keine Kommune stand"
    assert einlesen._eigene_notiz(uebernommen, meldungen)
    assert not einlesen._eigene_notiz(uebernommen, frozenset())


# Lenkungsgruppe's overview ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_lauf(tmp_path_factory: pytest.TempPathFactory) -> demo.Demo:
    return demo.demo(tmp_path_factory.mktemp("demo") / "ikz-demo")


def test_matrix_nennt_gueltige_ag_ohne_anteile(demo_lauf: demo.Demo, tmp_path: Path) -> None:
    """A valid return whose Kostenausgleich gives no shares: its row of the Kommunen-Matrix
    says "ohne Anteile" in the column "alle Kommunen" (its partners "offen"), not its status
    "gültig", which read as if the empty row were its figures. Mutant (survived round 16):
    that branch dropped."""
    k = copy.copy(demo_lauf.konsolidierung)
    ags = []
    for s in k.ags:
        if s.ag.kuerzel == AG:
            assert s.gueltig
            s = copy.copy(s)
            s.kennzahlen = dataclasses.replace(s.kennzahlen, anteile=None)
        ags.append(s)
    k = dataclasses.replace(k, ags=ags)
    pfad = uebersicht.schreiben(k, tmp_path / "U.xlsx")
    ws = openpyxl.load_workbook(pfad, data_only=True)[kommunen_matrix.BLATT]
    gezeigt = kommunen_matrix.vergleichen(k, [list(z) for z in ws.iter_rows(values_only=True)])
    assert gezeigt.je_ag[AG] == "ohne Anteile"
    assert gezeigt.zellen[AG, "Stadt Helmstedt"] == "offen"
    assert gezeigt.je_ag["AG-08"] == "kein Rücklauf"


TILDE = "Gemeinde Lehre~Ost"


def _umbenannt(k: Any, alt: str, neu: str) -> Any:
    """`k` with the Kommune `alt` called `neu` in the Stammdaten, the AGs' partners and their
    shares, as if the Steuerungsmappe had named it so from the start."""
    kommunen = tuple(
        dataclasses.replace(x, name=neu) if x.name == alt else x for x in k.st.kommunen
    )
    ags = []
    for s in k.ags:
        s = copy.copy(s)
        s.ag = dataclasses.replace(
            s.ag, partner=tuple(neu if p == alt else p for p in s.ag.partner)
        )
        if s.kennzahlen is not None and s.kennzahlen.anteile is not None:
            anteile = {neu if n == alt else n: a for n, a in s.kennzahlen.anteile.items()}
            s.kennzahlen = dataclasses.replace(s.kennzahlen, anteile=anteile)
        ags.append(s)
    st = dataclasses.replace(k.st, kommunen=kommunen, arbeitsgruppen=tuple(s.ag for s in ags))
    return dataclasses.replace(k, st=st, ags=ags)


@braucht_libreoffice
def test_kommune_mit_tilde_in_libreoffice_nachgerechnet(
    demo_lauf: demo.Demo, tmp_path: Path
) -> None:
    """A Kommune named 'Gemeinde Lehre~Ost': in a SUMIFS criterion "~" escapes the next
    character, so 'Lehre~Ost' matched 'LehreOst' and not itself – her column of the
    Kommunen-Matrix and her row on the Kommunen sheet showed 0 in LibreOffice, while Python
    had her figures. The criterion doubles the "~" (as for "*" and "?"). Mutant (survived
    round 16): "~" not among the special characters."""
    k = _umbenannt(demo_lauf.konsolidierung, "Gemeinde Lehre", TILDE)
    assert any(TILDE in s.ag.partner and s.kennzahlen and s.kennzahlen.anteile for s in k.ags)
    pfad = uebersicht.schreiben(k, tmp_path / "U.xlsx")
    gerechnet = nachrechnen([pfad], tmp_path / "lo")[pfad]
    assert fehlerzellen(gerechnet) == []
    wb = openpyxl.load_workbook(gerechnet, data_only=True)
    zeilen = [list(z) for z in wb[kommunen_matrix.BLATT].iter_rows(values_only=True)]
    gezeigt = kommunen_matrix.vergleichen(k, zeilen)
    assert gezeigt.je_kommune[TILDE] != 0


# Round 17: "Meinten Sie … %?", pflicht_ab -------------------------------------------------------


def test_zinssatz_auch_als_prozent_zu_hoch_ohne_vermutung(tmp_path: Path) -> None:
    """A Zinssatz of 50 (5000 %): read as a percentage, 50 % is out of range too, so no
    "Meinten Sie 50 %?" – the clerk would type 50 % and be refused again. Mutant: the guess
    without checking that the percentage lies in range."""
    assert ikz("init", "-a", str(tmp_path / "ab"))[0] == 0
    parameter_setzen(tmp_path / "ab" / "Steuerungsmappe.xlsm", "Kalkulationszinssatz", 50)
    code, text = ikz("erzeugen", "-a", str(tmp_path / "ab"))
    assert code == 2, text
    assert (
        "Parameter!B8 (Kalkulationszinssatz): 50 (5000 %) liegt außerhalb des erlaubten "
        "Bereichs 0 % bis 15 %. Bitte korrigieren." in text
    ), text
    assert "Meinten Sie" not in text


def test_risikowert_genau_15_ohne_gegenmassnahme_ist_ein_fehler(st: Any, tmp_path: Path) -> None:
    """A risk of Eintrittswahrscheinlichkeit 5 and Auswirkung 3 (Risikowert 15, where the
    schema's duty begins) without Gegenmaßnahme is a Fehler, as the workbook colours and
    counts it. Mutant: the check required it only above 15 – the return was valid while its
    cover said "1 Pflichtangabe(n) offen"."""

    def risiko(e: dict[str, Any], _f: dict[str, Any]) -> None:
        e["tbl_Risiken"][1].update(
            {"Eintrittswahrscheinlichkeit": 5, "Auswirkung": 3, "Gegenmaßnahme": None}
        )

    pfad = ruecklauf(st, tmp_path / "r.xlsx", risiko)
    d = pruefen.pruefen([pfad], st).dateien[0]
    [b] = [b for b in d.befunde if b.regel is Regel.RISIKO]
    assert f"{b.blatt}!{b.zelle}" == zelle(pfad, "tbl_Risiken", 1, "Gegenmaßnahme")
    assert "hat den Risikowert 15 (ab 15 hoch). Bitte eine Gegenmaßnahme eintragen." in (b.meldung)


def _schema_kopie(tmp_path: Path, aendern: Any) -> Path:
    """A copy of schemata/ with arbeitsmappe.yaml changed by `aendern`."""
    import shutil

    import yaml

    from ikz_excel import pfade

    ordner = tmp_path / "schemata"
    shutil.copytree(pfade.schemata(), ordner)
    pfad = ordner / "arbeitsmappe.yaml"
    daten = yaml.safe_load(pfad.read_text(encoding="utf-8"))
    aendern(
        next(
            t
            for b in daten["blaetter"]
            for t in b.get("tabellen") or []
            if t["name"] == "tbl_Risiken"
        )
    )
    pfad.write_text(
        yaml.safe_dump(daten, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    return ordner


def _spalte(tabelle: dict[str, Any], kopf: str) -> dict[str, Any]:
    return next(s for s in tabelle["spalten"] if s["kopf"] == kopf)


def test_zweite_pflicht_ab_mit_kommazahl(st: Any, tmp_path: Path) -> None:
    """Two columns of the Risiken with `pflicht_ab`: the Gegenmaßnahme from 15, Verantwortlich
    from 12,5. The Risikowerte are coloured from the lowest (12,5), where a duty begins
    (mutant: the highest); the input message and the sheet Hinweise write the threshold the
    German way, "ab Risikowert 12,5" (mutant: "12.5")."""
    from ikz_excel import definition

    def aendern(t: dict[str, Any]) -> None:
        _spalte(t, "Verantwortlich")["pflicht_ab"] = {"Risikowert": 12.5}

    mappe_def = definition.arbeitsmappe(_schema_kopie(tmp_path, aendern))
    vorlage = erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(AG), tmp_path / "v.xlsx", mappe_def=mappe_def
    )
    wb = openpyxl.load_workbook(vorlage)
    ws = wb["Risiken"]
    risikowert = zelle(vorlage, "tbl_Risiken", 0, "Risikowert").split("!")[1]
    regeln = [
        r
        for bereich in ws.conditional_formatting
        for r in bereich.rules
        if risikowert in str(bereich.sqref) and r.operator == "greaterThanOrEqual"
    ]
    assert [r.formula for r in regeln] == [["12.5"]]
    verantwortlich = zelle(vorlage, "tbl_Risiken", 0, "Verantwortlich").split("!")[1]
    [dv] = [dv for dv in ws.data_validations.dataValidation if verantwortlich in dv.sqref]
    assert dv.prompt == "Wer kümmert sich? (Pflichtangabe ab Risikowert 12,5)"
    hinweise = [str(c.value) for z in wb["Hinweise"].iter_rows() for c in z if c.value]
    assert "ab Risikowert 12,5" in hinweise and "ab Risikowert 15" in hinweise, hinweise


@pytest.mark.parametrize(
    ("aendern", "teil"),
    [
        (
            lambda t: _spalte(t, "Gegenmaßnahme").update(pflicht_ab={}),
            "pflicht_ab muss eine Zuordnung (Spalte: Zahl) sein, z. B. {Risikowert: 15}.",
        ),
        (
            lambda t: _spalte(t, "Gegenmaßnahme").update(pflicht_ab={"Risikowert": True}),
            "pflicht_ab muss eine Zuordnung (Spalte: Zahl) sein, z. B. {Risikowert: 15}.",
        ),
        (
            lambda t: t.update(spalten=[s for s in t["spalten"] if s["kopf"] != "Risikowert"]),
            "Spalte 'Gegenmaßnahme': pflicht_ab nennt 'Risikowert'; die Prüfung wertet "
            "pflicht_ab nur für Risikowert in tbl_Risiken aus.",
        ),
    ],
    ids=["leer", "ja", "ohne-spalte-risikowert"],
)
def test_pflicht_ab_ohne_schwelle_oder_ohne_ihre_spalte_wird_abgelehnt(
    tmp_path: Path, aendern: Any, teil: str
) -> None:
    """Whoever adapts the schema learns while loading what is wrong: `pflicht_ab: {}` (no
    threshold), `{Risikowert: ja}` (YAML's true, else read as 1: every risk would need a
    measure), and a duty on the Risikowert in a table without that column (else the workbook
    failed while writing). Mutants: each of the three conditions dropped."""
    from ikz_excel import definition
    from ikz_excel.definition import DefinitionsFehler

    ordner = _schema_kopie(tmp_path, aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    assert teil in str(fehler.value), str(fehler.value)


# Round 17: per cent as a German reader writes it, print area of a filled workbook ----------------


def test_zinssatz_mit_binaerrest_als_prozent_genannt(tmp_path: Path) -> None:
    """0,29 typed as the Zinssatz (the cell shows 29 %): the message names it "0,29 (29 %)".
    0.29 * 100 is 28.999999999999996 in binary; through its decimal digits it is 29 (mutant:
    the float multiplied, "(28,999999999999996 %)"). The existing unit test's 0,15 and 0,031
    happen to multiply exactly, so it could not see the mutant."""
    from ikz_excel import deutsch

    assert deutsch.prozent(0.29) == "29 %" and deutsch.prozent(0.07) == "7 %"
    assert ikz("init", "-a", str(tmp_path / "ab"))[0] == 0
    parameter_setzen(tmp_path / "ab" / "Steuerungsmappe.xlsm", "Kalkulationszinssatz", 0.29)
    code, text = ikz("erzeugen", "-a", str(tmp_path / "ab"))
    assert code == 2, text
    assert (
        "Parameter!B8 (Kalkulationszinssatz): 0,29 (29 %) liegt außerhalb des erlaubten "
        "Bereichs 0 % bis 15 %. Bitte korrigieren." in text
    ), text


def test_gefuellte_mappe_druckt_nichts_unter_einer_vollen_tabelle(st: Any, tmp_path: Path) -> None:
    """A filled workbook prints each table's entries and up to three empty rows – but never past
    the table's end: a table of prescribed rows (Priorisierung, its criteria) has no room to
    add, and under a full table the rows are the reserve. Mutant: the three rows added without
    the table's end as limit – three empty rows printed below the Priorisierung."""
    from openpyxl.utils import range_boundaries

    eingaben, felder = demo_daten.eingaben(st, AG)
    pfad = erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(AG), tmp_path / "g.xlsx", eingaben=eingaben, felder=felder
    )
    wb = openpyxl.load_workbook(pfad)
    for name in ("Priorisierung", "Projektbeschreibung"):
        ws = wb[name]
        unten = range_boundaries(str(ws.print_area).split("!")[-1].replace("$", ""))[3]
        tabellenende = max(range_boundaries(t.ref)[3] for t in ws.tables.values())
        assert unten == tabellenende, (name, ws.print_area)


def test_mappe_ohne_kuerzel_im_internen_blatt(st: Any, bereich: Path) -> None:
    """A workbook whose hidden sheet _ikz names no AG (the row of the Kürzel gone – a damaged
    copy, a sheet pieced together): `ikz pruefen` says the figures count for no AG and what to
    do, as for any other return. Mutant: the current Kürzel looked up without first asking
    whether there is one – "nicht lesbar: Beim Prüfen ist ein unerwarteter Fehler aufgetreten
    (AttributeError …). Bitte die Datei an die Betreuung von ikz_excel geben." instead."""
    pfad = ruecklauf(st, bereich / "tmp" / "g.xlsx")
    paket = korpus.Paket.lesen(pfad)
    mappe = korpus.Mappe(paket)
    r = next(r for r in range(1, 200) if mappe.lesen("_ikz", f"A{r}") == "arbeitsgruppe")
    mappe.setzen("_ikz", f"A{r}", "gruppe")
    mappe.fertig()
    paket.schreiben(bereich / "eingang" / "AG-01.xlsx")

    code, text = ikz("pruefen", "-a", str(bereich))

    assert code == 1, text
    assert (
        "AG-01.xlsx: Das interne Blatt _ikz nennt keine Arbeitsgruppe; die Zahlen lassen sich "
        "keiner zuordnen und zählen nicht. Bitte die Eingaben in die Mappe der Arbeitsgruppe "
        "aus dem Ordner ausgang/ übertragen." in text
    ), text


def test_kopierte_zeile_ohne_namen_neben_der_eigenen(st: Any, tmp_path: Path) -> None:
    """The Landkreis's row of the Kostenausgleich copied below the table and its name deleted
    (sheet protection removed): her own row, name and Einwohner, stays hers; the copy is one
    row without a Kommune, to delete. Mutant of `_name_neben_fremden_einwohnern` (a named row
    counted as another's although it shows her own Einwohner): the check said "Die
    Partnerkommune Landkreis Helmstedt fehlt im Kostenausgleich", called her own name in A7 no
    full name and asked to type it again."""
    from openpyxl.utils import range_boundaries

    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    t = ws.tables["tbl_Kostenausgleich"]
    links, oben, rechts, unten = range_boundaries(t.ref)
    assert ws.cell(oben + 1, links).value == "Landkreis Helmstedt"
    t.ref = f"{get_column_letter(links)}{oben}:{get_column_letter(rechts)}{unten + 1}"
    for c in (links + 1, links + 2):  # Einwohner, Fallzahl
        ws.cell(unten + 1, c, ws.cell(oben + 1, c).value)
    wb.save(pfad)

    d = pruefen.pruefen([pfad], st).dateien[0]

    fehler = [(b.zelle, b.meldung) for b in d.befunde if b.stufe.value == "Fehler"]
    assert fehler == [
        (
            f"A{unten + 1}",
            f"Kostenausgleich!A{unten + 1}: Eine Zeile ohne Kommune (Einwohner 97.749, Fallzahl "
            "620). Im Kostenausgleich steht jede Partnerkommune genau einmal; bitte die Zeile "
            "löschen und die Angabe bei der Kommune eintragen.",
        )
    ], fehler


def test_risiken_der_uebersicht_rot_ab_dem_wert_der_pflicht(
    demo_lauf: demo.Demo, tmp_path: Path
) -> None:
    """The overview's sheet Risiken colours a Risikowert red from 15 on, the value from which
    the Arbeitsmappe requires a Gegenmaßnahme (its text says "ab 15 hoch"): a risk of exactly
    15 is red there as on the AG's sheet. Mutant: "> 15" – 15 stood plain, though the AG had
    to give a Gegenmaßnahme for it."""
    pfad = uebersicht.schreiben(demo_lauf.konsolidierung, tmp_path / "U.xlsx")
    ws = openpyxl.load_workbook(pfad)["Risiken"]
    assert "ab 15 hoch" in ws["A2"].value
    spalte = next(
        c.column_letter for z in ws.iter_rows(max_row=6) for c in z if c.value == "Risikowert"
    )
    regeln = [
        (r.operator, r.formula)
        for bereich in ws.conditional_formatting
        for r in bereich.rules
        if str(bereich.sqref).startswith(spalte)
    ]
    assert regeln == [("greaterThanOrEqual", ["15"])], regeln
