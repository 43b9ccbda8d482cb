"""Tests against hand-made mutants that went unnoticed (round 20: the mutants session 19 left
unrun – the rebuild of an own programme's Steuerungsmappe, 'ikz init', the overview, the
check of a Korrektur copy sent back, reading returns and the rows that grow as the clerk
types).

Each test drives the behaviour the way the clerk or the Steuerungsgruppe meets it – `ikz
init`, `ikz pruefen`, the Korrektur copy the clerk opens – and fails with the mutant named in
its docstring. Kept apart from test_pruefen and test_kommune_umbenannt, which other work
changes at the same time.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from aufruf import ikz
from steuerungsmappe_tippen import eintragen, parameter_setzen, zelle
from test_eigenes_programm import _eigene_stammdaten
from test_kommune_umbenannt import (
    ALT,
    _kostenausgleich,
    _ohne_alt,
    _ruecklauf,
    _spalte,
    _zurueck_und_umbenannt,
)

from ikz_excel import erzeugen, stammdaten

# An own programme with the example's Kürzel: the rows of Prioritaet 'ikz init' rebuilds -----


def _zehn_eigene_arbeitsgruppen(mappe: Path, feld_ag01: str = "Personalwesen umfassend") -> None:
    """An own programme typed over the example that keeps its ten AGs AG-01 … AG-10 and their
    Handlungsfelder, with own Kommunen (each of the example renamed, in every
    Partnerkommunen) and its AG-01 working on `feld_ag01` instead of the example's AG-01's.
    The rows of Prioritaet are still the example's, with the Helmstedt LG's decisions."""
    st = stammdaten.lesen(mappe)
    namen = {k.name: f"{k.name} (Leinebergland)" for k in st.kommunen}
    eintragen(
        mappe,
        *[("tbl_Kommunen", alt, "Kommune", neu) for alt, neu in namen.items()],
        *[
            (
                "tbl_Arbeitsgruppen",
                a.kuerzel,
                "Partnerkommunen",
                "; ".join(namen[p] for p in a.partner),
            )
            for a in st.arbeitsgruppen
        ],
        ("tbl_Arbeitsgruppen", "AG-01", "Handlungsfeld", feld_ag01),
    )
    for name, wert in (("Programm", "IKZ Leinebergland"), ("Ausgangslage", "Die Kommunen …")):
        parameter_setzen(mappe, name, wert)


def test_init_ersetzen_nennt_die_zeile_des_beispiels_als_erledigt(tmp_path: Path) -> None:
    """An own programme with the example's ten Kürzel; only AG-01 works on another
    Handlungsfeld than the example's AG-01, whose row on Prioritaet still holds the Helmstedt
    LG's "Festgelegte Priorität 1". 'ikz init --ersetzen --stammdaten' leaves it out and must
    say so as done (the row stands empty in the new Steuerungsmappe), not as 'erzeugen' says
    it before: "… zählen nicht. 'ikz init --ersetzen --stammdaten' mit dieser Mappe schreibt
    die Zeile ohne sie" – the command just run.
    Mutant S19 (round 19): the rebuild's text of `_rest_des_beispiels` left out."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    _zehn_eigene_arbeitsgruppen(mappe)
    vorher = ikz("erzeugen", "-a", str(ab))
    assert "Diese Zeile ist noch die von AG-01 des Beispielprogramms" in vorher.text, vorher.text

    lauf = ikz("init", "--ersetzen", "--stammdaten", str(mappe), "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert (
        "Diese Zeile war noch die von AG-01 des Beispielprogramms Helmstedt 2012 (Handlungsfeld "
        "'IT, gemeinsames Rechenzentrum'); Ihre AG-01 bearbeitet 'Personalwesen umfassend'. Die "
        "Eingaben hier (Festgelegte Priorität 1) waren Entscheidungen der Lenkungsgruppe des "
        "Beispiels und sind nicht in die neue Steuerungsmappe übernommen; die Zeile von AG-01 "
        "steht dort leer." in lauf.text
    ), lauf.text
    assert "mit dieser Mappe" not in lauf.text and "zählen nicht" not in lauf.text, lauf.text
    assert zelle(mappe, "tbl_Prioritaet", "AG-01", "Festgelegte Priorität")[1] is None


def test_eigene_entscheidung_zaehlt_wenn_eine_zeile_des_beispiels_ein_anderes_feld_hat(
    tmp_path: Path,
) -> None:
    """The programme above rebuilt: the row of AG-01 has the own Handlungsfeld now, so the
    table is no longer the example's whole. Its LG keeps Festgelegte Priorität 1 for AG-09
    (as the example's), later "Datenschutzbeauftragter" is renamed "Datenschutz". The row
    then looks like the example's AG-09 – but it is the own LG's decision: it counts and is
    only named, and the next 'init --ersetzen' keeps it (Review 17a, with all ten Kürzel of
    the example in the table). Mutant S17 (round 19): the example's table taken as whole by
    its Kürzel alone, without comparing each row's Handlungsfeld."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    _zehn_eigene_arbeitsgruppen(mappe)
    befehl = ("init", "--ersetzen", "--stammdaten", str(mappe), "-a", str(ab))
    assert ikz(*befehl).code == 0
    assert zelle(mappe, "tbl_Prioritaet", "AG-09", "Festgelegte Priorität")[1] == 1
    feld = "Datenschutzbeauftragter"
    eintragen(
        mappe,
        ("tbl_Handlungsfelder", feld, "Handlungsfeld", "Datenschutz"),
        ("tbl_Arbeitsgruppen", "AG-09", "Handlungsfeld", "Datenschutz"),
    )

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert "zählen nicht" not in lauf.text, lauf.text
    assert "(Festgelegte Priorität 1) sind dieselben wie im Beispiel und zählen für Ihre AG-09" in (
        lauf.text
    )
    assert ikz(*befehl).code == 0
    assert zelle(mappe, "tbl_Prioritaet", "AG-09", "Festgelegte Priorität")[1] == 1


def test_init_aus_anderer_mappe_nennt_deren_zellen(tmp_path: Path) -> None:
    """The own programme typed into a copy of the Steuerungsmappe kept elsewhere
    (Stammdaten_Leinebergland.xlsm), then 'ikz init --ersetzen --stammdaten' with that copy.
    What the rebuild left out stands in the copy, and the warning must name the copy's cell:
    not the backup of the replaced Steuerungsmappe, which is the example and has no such
    row. Mutant C5 (round 19): the backup's name put in although the Stammdaten came from
    another file."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    eigene = tmp_path / "Stammdaten_Leinebergland.xlsm"
    shutil.copy(ab / "Steuerungsmappe.xlsm", eigene)
    _eigene_stammdaten(eigene, kuerzel="AG-01", Programm="IKZ Leinebergland")
    ort, _ = zelle(eigene, "tbl_Prioritaet", "AG-01", "AG")

    lauf = ikz("init", "--ersetzen", "--stammdaten", str(eigene), "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert (
        f"Warnung: {eigene.name}, {ort}: Keine Zeile dieses Blatts gehörte zu einer "
        "Arbeitsgruppe des Blatts Arbeitsgruppen (AG-01 hat keine)" in lauf.text
    ), lauf.text
    assert "Warnung: sicherungen/Steuerungsmappe_Sicherung_" not in lauf.text, lauf.text


# The Korrektur copy sent back ------------------------------------------------------------------


def _gestrichen_kopie_zurueck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path, Path, str]:
    """AG-05's return in eingang/, Gemeinde Lehre (6 %) struck off its Partnerkommunen,
    `ikz pruefen` writes the Korrektur copy, the AG sends it back unchanged (the first return
    taken out of eingang/). (Arbeitsbereich, Steuerungsmappe, copy, the partners before.)"""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))
    lauf = ikz("pruefen", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    (ab / "eingang" / "AG-05.xlsx").unlink()
    (ab / "eingang" / "Antwort").mkdir()
    shutil.copy(kopie, ab / "eingang" / "Antwort" / kopie.name)
    return ab, mappe, kopie, str(partner)


def test_wieder_aufgenommene_kommune_heisst_nicht_weggefallen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre was struck off AG-05 after its return, the Korrektur copy went out
    without her and noted her 6 %; then the Steuerungsgruppe takes her back (the strike was a
    mistake) and the AG sends the copy back. The check of the copy must not call her "seit
    dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe mehr (jetzt: …; Gemeinde
    Lehre)", nor ask to spread her 6 % on the others: she is a partner.
    Mutant P1 (round 19): the former partners of the note taken without leaving out today's."""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    assert ALT in partner.split("; ")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Antwort/{kopie.name} (AG-05)", 1)[1]
    assert "Partnerkommunen jetzt auch Gemeinde Lehre" in antwort, antwort  # the copy's partners
    assert "seit dem Versand der Mappe keine Partnerkommune" not in antwort, antwort
    # her 6 % named as a partner's taken back (round 21), never as one to spread on the others
    assert "seither keine Partnerkommune" not in antwort, antwort
    assert "bitte auf die Partnerkommunen verteilen" not in antwort, antwort


def test_wert_der_alten_kommune_nur_an_der_zelle_der_neuen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre renamed "Gemeinde Lehre am See" after AG-05's return; the Korrektur copy
    leaves her new row empty and notes that 6 % stood at Gemeinde Lehre. The AG sends the copy
    back with that cell still empty and, by mistake, the share of Stadt Helmstedt deleted. The
    Fehler at Stadt Helmstedt's empty cell is her own: it must not say that 6 % stood at
    Gemeinde Lehre and "Ob das für 'Stadt Helmstedt' gilt, sagt die Mappe nicht" – the cell of
    the new name says so. Mutant P9 (round 19): the note put at every empty cell of its
    column, not only at the rows of the partners that came since."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-05", neu, 12000)
    assert ikz("pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    (ab / "eingang" / "AG-05.xlsx").unlink()
    _, zeilen = _kostenausgleich(kopie)
    wb = openpyxl.load_workbook(kopie)
    ws = wb["Kostenausgleich"]
    spalte = _spalte(ws, "Anteil individuell")
    helmstedt = ws.cell(zeilen["Stadt Helmstedt"], spalte)
    assert helmstedt.value and ws.cell(zeilen[neu], spalte).value is None
    helmstedt.value = None
    (ab / "eingang" / "Antwort").mkdir()
    wb.save(ab / "eingang" / "Antwort" / kopie.name)

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Antwort/{kopie.name} (AG-05)", 1)[1]
    fehler = {
        zelle: text
        for zelle, text in re.findall(
            r"Kostenausgleich!(D\d+): (.*?)(?= Fehler | Warnung |$)", antwort
        )
    }
    assert f"Ob das für '{neu}' gilt" in fehler[f"D{zeilen[neu]}"], fehler
    eigener = fehler[helmstedt.coordinate]
    assert eigener.startswith("Beim Schlüssel 'individuell' braucht jede Kommune einen Anteil")
    assert ALT not in eigener and "Ob das für" not in eigener, eigener


def test_kommentar_des_korrekturexemplars_in_der_gemessenen_schrift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comment at a red cell of the Korrektur copy is as high as its text measured in
    Arial 8 (`erzeugen.kommentargroesse`). Written in XlsxWriter's default font instead,
    Tahoma 8, each line is wider than measured, the text wraps into more lines than the box
    holds and the last sentence ("Bitte …") is cut off when the clerk points at the cell, in
    Excel and in LibreOffice. Every run of every comment of the copy `ikz pruefen` writes is
    in the font measured. Mutant G4 (round 19): the font left out."""
    _, _, kopie, _ = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)

    with zipfile.ZipFile(kopie) as z:
        kommentare = [z.read(n).decode() for n in z.namelist() if re.search(r"comments\d+\.xml", n)]
    laeufe = [r for k in kommentare for r in re.findall(r"<rPr>.*?</rPr>", k, re.S)]

    name, groesse = erzeugen.KOMMENTAR_SCHRIFT
    assert laeufe, kommentare  # the copy marks her cells
    for lauf in laeufe:
        assert f'<rFont val="{name}"/>' in lauf and f'<sz val="{groesse}"/>' in lauf, lauf


# The overview ----------------------------------------------------------------------------------


def test_umbenannte_kommune_zaehlt_beim_schluessel_einwohner_mit_den_einwohnern_der_mappe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-03 splits by Einwohner; after its return, Gemeinde Lehre is renamed "Gemeinde Lehre
    am See" in the Steuerungsmappe, so the return names a Kommune the Stammdaten no longer
    know. The check says the overview splits on the workbook's partners, Gemeinde Lehre
    included, until the Korrektur copy is back: the overview must give her the share of the
    Einwohner the workbook has for her, not nothing (the others' shares grew by hers).
    Mutant K4 (round 19): a Kommune the Steuerungsmappe does not know counted with 0
    Einwohner."""
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-03", "Gemeinde Lehre am See")
    _, zeilen = _kostenausgleich(ab / "eingang" / "AG-03.xlsx")
    ws = openpyxl.load_workbook(ab / "eingang" / "AG-03.xlsx", data_only=True)["Kostenausgleich"]
    einwohner = {name: ws.cell(r, _spalte(ws, "Einwohner")).value for name, r in zeilen.items()}
    assert einwohner[ALT] > 0, einwohner

    assert ikz("konsolidieren", "-a", str(ab)).code in (0, 1)

    blatt = openpyxl.load_workbook(ab / "Lenkungsgruppe_Uebersicht.xlsx", data_only=True)[
        "Kommunen je Handlungsfeld"
    ]
    kopf = next(r for r in range(1, 10) if blatt.cell(r, 1).value == "Kommune")
    koepfe = [c.value for c in blatt[kopf]]
    ag03 = {
        z["Kommune"]: z
        for r in blatt.iter_rows(min_row=kopf + 1, values_only=True)
        if (z := dict(zip(koepfe, r, strict=False))).get("AG") == "AG-03"
    }
    assert ALT in ag03 and ag03[ALT]["Kostenanteil"] > 0, ag03.get(ALT)
    summe = sum(einwohner.values())
    assert ag03[ALT]["Kostenanteil"] == pytest.approx(
        sum(z["Kostenanteil"] for z in ag03.values()) * einwohner[ALT] / summe, abs=0.01
    )
