"""Leftovers of session 22 for the coordination team: the demo's paths, the warning about a
file open while written shown by the buttons too, the Korrektur copy writing what the check
read.

Each test drives the feature as the team or the clerk does and fails without the change it
names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aufruf import ikz
from test_knoepfe import _knopf_druecken

from ikz_excel import demo, knoepfe
from ikz_excel.arbeitsbereich import Arbeitsbereich


def test_demo_nennt_arbeitsbereich_einmal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ikz demo` named the Arbeitsbereich in full twice, in the summary and under "Jetzt
    ansehen"; the rule of session 21: once in full, all else relative to it."""
    monkeypatch.chdir(tmp_path)
    lauf = ikz("demo")
    assert lauf.code == 0, lauf.text
    voll = str((tmp_path / "ikz-demo").resolve())
    assert lauf.text.count(voll) == 1, lauf.text
    assert f"Arbeitsbereich: {voll} " in lauf.text, lauf.text
    assert (
        "Jetzt ansehen, im Arbeitsbereich oben: 1. Lenkungsgruppe_Uebersicht.xlsx" in lauf.text
    ), lauf.text
    assert str(tmp_path) not in lauf.text.replace(f"Arbeitsbereich: {voll}", "")


def test_knoepfe_nennen_beim_schreiben_geoeffnete_dateien(tmp_path: Path, monkeypatch: Any) -> None:
    """The overview open in LibreOffice (or a lock file of a crashed Excel) while the button
    "Konsolidieren" writes it: the console has said so since session 22, the button said
    nothing, and the clerk saving the Calc window brought the old figures back. The same
    warning in the box and in the status line."""
    ab = Arbeitsbereich(tmp_path / "ikz-demo")
    demo.demo(ab.wurzel)
    (ab.wurzel / ".~lock.Lenkungsgruppe_Uebersicht.xlsx#").write_text(
        ",Hans Kämmerei,PC-17,05.12.2026 09:14,file:///C:/Users/hans/AppData/Roaming/LibreOffice/4;",
        encoding="utf-8",
    )
    excel, blatt = _knopf_druecken(monkeypatch, ab.steuerungsmappe, knoepfe.konsolidieren)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "info" and fenster["title"] == "IKZ – Konsolidieren"
    assert fenster["prompt"].startswith(
        "Lenkungsgruppe_Uebersicht.xlsx war beim Schreiben geöffnet (Hans Kämmerei hat sie "
        "geöffnet, so die Sperrdatei .~lock.Lenkungsgruppe_Uebersicht.xlsx# daneben). Dort "
        "bitte ohne Speichern schließen und neu öffnen"
    ), fenster["prompt"]
    assert "Pruefbericht.xlsx war" not in fenster["prompt"]
    zeile = blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]
    assert "; Warnung: Lenkungsgruppe_Uebersicht.xlsx war beim Schreiben geöffnet" in zeile

    # "Rückläufe prüfen" writes the Prüfbericht, not the overview
    (ab.berichte / ".~lock.Pruefbericht.xlsx#").write_text(",Eva,PC-3,05.12.2026;")
    excel, blatt = _knopf_druecken(monkeypatch, ab.steuerungsmappe, knoepfe.pruefen)
    (fenster,) = excel.fenster
    assert fenster["prompt"].startswith(
        "berichte/Pruefbericht.xlsx war beim Schreiben geöffnet (Eva hat sie geöffnet"
    ), fenster["prompt"]
    assert "Lenkungsgruppe_Uebersicht.xlsx war" not in fenster["prompt"]
    assert "; Warnung: berichte/Pruefbericht.xlsx war" in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_korrekturexemplar_schreibt_zahl_in_textzelle_als_gelesenen_text(tmp_path: Path) -> None:
    """0,5 as a Gegenmaßnahme, 12345,25 as a Beschreibung, in text cells whose format a paste
    had replaced: the check reads "0,5" (session 22), but the Korrektur copy wrote the number
    0,5 back, so the clerk's text cell held a number again; a date pasted into an Einheit,
    read "05.12.2026", came back as 46361 in the copy's text cell. The copy writes what the
    check read, as text, and checked again it reads the same."""
    import datetime

    from test_pruefen import lage, ruecklauf

    from ikz_excel import erzeugen, stammdaten

    gueltig = ruecklauf(stammdaten.standard(), tmp_path / "AG-01.xlsx")
    mappe = openpyxl.load_workbook(gueltig)
    zellen = {}
    for tabelle, kopf, wert, format in (
        ("tbl_Risiken", "Gegenmaßnahme", 0.5, "General"),
        ("tbl_StaerkenSchwaechen", "Beschreibung", 12345.25, "General"),
        ("tbl_Ressourcen", "Einheit", datetime.datetime(2026, 12, 5), "DD.MM.YYYY"),
    ):
        t = lage(gueltig, tabelle)
        zelle = mappe[t.blatt][t.zelle(0, kopf)]
        zelle.value, zelle.number_format = wert, format
        zellen[kopf] = (t.blatt, t.zelle(0, kopf))
    r = lage(gueltig, "tbl_Ressourcen")
    mappe[r.blatt][r.zelle(1, "Menge")].value = "zwei"  # a Fehler: a Korrektur copy is written
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    mappe.save(ab / "eingang" / "AG-01.xlsx")

    lauf = ikz("pruefen", "-a", str(ab))
    assert lauf.code == 1, lauf.text

    kopie = ab / "berichte" / "Korrektur_AG-01.xlsx"
    korrektur = openpyxl.load_workbook(kopie)
    gelesen = {
        kopf: (korrektur[blatt][zelle].data_type, korrektur[blatt][zelle].value)
        for kopf, (blatt, zelle) in zellen.items()
    }
    assert gelesen == {
        "Gegenmaßnahme": ("s", "0,5"),
        "Beschreibung": ("s", "12345,25"),
        "Einheit": ("s", "05.12.2026"),
    }
