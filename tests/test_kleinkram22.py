"""Small slips found in review 22: a text limit the workbook states but the check did not
know, a number in a text cell read in English, a value named twice, a promise of a Korrektur
copy that never comes, and lock files named by one command but not the other.

Each test drives `ikz` as the coordination team types it and fails without the change it names.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import korpus
import openpyxl
import pytest
from aufruf import ikz
from test_pruefen import lage, ruecklauf

from ikz_excel import erzeugen, pfade, stammdaten


def test_textlaenge_ohne_eigene_grenze_wird_geprueft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text column without its own `max_laenge` is limited to 4,000 characters in the
    workbook (data validation, help), but the check took a longer text pasted past the
    validation silently: it knew only `max_laenge`. Now both read one rule of the schema."""
    schemata = tmp_path / "schemata"
    shutil.copytree(pfade.schemata(), schemata)
    yaml = schemata / "arbeitsmappe.yaml"
    alt = 'breite: 60, max_laenge: 2000, hilfe: "Die Feststellung in einem Satz."'
    assert alt in yaml.read_text(encoding="utf-8")
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(alt, alt.replace(" max_laenge: 2000,", "")),
        encoding="utf-8",
    )
    monkeypatch.setattr(pfade, "schemata", lambda: schemata)
    monkeypatch.chdir(tmp_path)
    assert ikz("init", "-a", "ab").code == 0
    assert ikz("erzeugen", "-a", "ab").code == 0
    vorlage = next((tmp_path / "ab" / "ausgang").glob("AG-01*.xlsx"))
    ws = openpyxl.load_workbook(vorlage)["Stärken-Schwächen"]
    # the workbook states the limit: 4,000 characters
    laengen = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "textLength"}
    assert laengen == {"4000"}
    werte, projekt, schluessel = korpus.ausgefuellte_werte(vorlage)
    werte["tbl_StaerkenSchwaechen"][0]["Beschreibung"] = "Wort " * 800 + "x"
    ruecklauf = tmp_path / "ab" / "eingang" / vorlage.name
    korpus.ausfuellen(vorlage, ruecklauf, werte, projekt, schluessel)

    lauf = ikz("pruefen", "-a", "ab", "--ohne-berichte")

    assert lauf.code == 1, lauf.text
    assert "Der Text ist 4001 Zeichen lang, erlaubt sind 4000. Bitte kürzen." in lauf.text, (
        lauf.text
    )


def test_zahl_in_einer_textzelle_wie_die_zelle_sie_zeigt(tmp_path: Path) -> None:
    """0,5 typed into a text cell whose format a paste had replaced (a Gegenmaßnahme, a
    Beschreibung): the cell holds the number and shows "0,5"; it was read as the text
    "0.5", and so it stood in the Übersicht, English in a German report."""
    gueltig = ruecklauf(stammdaten.standard(), tmp_path / "AG-01.xlsx")
    mappe = openpyxl.load_workbook(gueltig)
    for tabelle, kopf, zahl in (
        ("tbl_Risiken", "Gegenmaßnahme", 0.5),
        ("tbl_StaerkenSchwaechen", "Beschreibung", 12345.25),
    ):
        t = lage(gueltig, tabelle)
        zelle = mappe[t.blatt][t.zelle(0, kopf)]
        zelle.value, zelle.number_format = zahl, "General"
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    mappe.save(ab / "eingang" / "AG-01.xlsx")

    lauf = ikz("konsolidieren", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    (uebersicht,) = [ab / "Lenkungsgruppe_Uebersicht.xlsx"]
    texte = {
        str(z.value)
        for ws in openpyxl.load_workbook(uebersicht, read_only=True).worksheets
        for zeile in ws.iter_rows()
        for z in zeile
        if z.value is not None
    }
    assert {"0,5", "12345,25"} <= texte
    assert not {"0.5", "12345.25"} & texte


def test_ab_jahr_nennt_die_zahl_einmal(tmp_path: Path) -> None:
    """320000 pasted into 'ab Jahr' (a Betrag in the wrong column): the message said
    "320.000 liegt außerhalb des erlaubten Bereichs … 320000 liegt außerhalb dieses
    Zeitraums", the number twice and in two forms. Now once, as in the Prüfbericht's Wert."""
    gueltig = ruecklauf(stammdaten.standard(), tmp_path / "AG-01.xlsx")
    r = lage(gueltig, "tbl_Ressourcen")
    mappe = openpyxl.load_workbook(gueltig)
    mappe[r.blatt][r.zelle(0, "ab Jahr")].value = 320000
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    mappe.save(ab / "eingang" / "AG-01.xlsx")

    lauf = ikz("pruefen", "-a", str(ab), "--ohne-berichte", "--json")

    (meldung,) = [
        b["meldung"] for b in json.loads(lauf.aus)["befunde"] if b["zelle"] == r.zelle(0, "ab Jahr")
    ]
    assert "(ab Jahr): 320.000 liegt außerhalb des erlaubten Bereichs 1 bis " in meldung, meldung
    assert "Auch als Kalenderjahr liegt die Zahl außerhalb dieses Zeitraums" in meldung, meldung
    assert meldung.count("320") == 1, meldung


def test_sperrdateien_nennen_pruefen_und_konsolidieren(tmp_path: Path) -> None:
    """AG-01's return still open in Excel and in LibreOffice: the lock files beside it
    (`~$…`, `.~lock.…#`) are skipped. `ikz pruefen` said so, `ikz konsolidieren` not a word;
    both name them now."""
    gueltig = ruecklauf(stammdaten.standard(), tmp_path / "AG-01.xlsx")
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    shutil.copy(gueltig, ab / "eingang" / "AG-01.xlsx")
    (ab / "eingang" / "~$AG-01.xlsx").write_bytes(b"\x0dSachbearbeitung" + bytes(150))
    (ab / "eingang" / ".~lock.AG-01.xlsx#").write_text(
        "Sachbearbeitung,sb,PC-01,05.12.2026 08:00,file:///home/sb;", encoding="utf-8"
    )

    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz(befehl, "-a", str(ab))
        assert lauf.code == 0, lauf.text
        assert (
            "2 Sperr-, System- oder noch ladende Download-Dateien übersprungen "
            "(.~lock.AG-01.xlsx#, ~$AG-01.xlsx)." in lauf.text
        ), (befehl, lauf.text)
