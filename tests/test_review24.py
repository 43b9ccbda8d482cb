"""Review of session 24's merged work: what the review found wrong, each with the case that
showed it (session 24)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, in_calc_bearbeiten
from test_pruefen import Eingaben, ruecklauf

from ikz_excel import pruefen, stammdaten


def _zwei_kostensaetze(e: Eingaben, _f: dict[str, Any]) -> None:
    """Two new Ressourcen rows of which only the Kostensatz is typed yet, the same in both
    (two posts at the same rate, their names to follow)."""
    e["tbl_Ressourcen"] += [{"Kostensatz": 5000}, {"Kostensatz": 5000}]


def test_gleicher_betrag_in_zwei_zeilen_bleibt_ein_fehler(tmp_path: Path) -> None:
    """A figure in two rows in a row with nothing beside it yet is no fill-handle accident
    to read away: read as empty rows under one Warnung, 10.000 € left the sums while the
    return counted as valid. Only a text (a Kostenart, a Kommune) dragged down is read so;
    the rows with a figure keep their "Pflichtangabe fehlt"."""
    st = stammdaten.standard()
    d = pruefen.pruefen([ruecklauf(st, tmp_path / "AG-01.xlsx", _zwei_kostensaetze)], st)
    befunde = d.dateien[0].befunde
    assert not any("als leere Zeilen gelesen" in b.meldung for b in befunde), [
        b.meldung for b in befunde
    ]
    assert d.dateien[0].status != pruefen.GUELTIG
    assert sum("Pflichtangabe" in b.meldung for b in befunde) >= 2, [b.meldung for b in befunde]


def test_pdf_der_uebersicht_ist_keine_kopie_mit_entscheidungen(tmp_path: Path) -> None:
    """The overview printed to PDF beside itself for the Lenkungsgruppe's meeting
    (Lenkungsgruppe_Uebersicht.pdf, as Excel and Calc offer to name it): each run after
    that said "wird aber von keinem Befehl gelesen: Was die Lenkungsgruppe dort entschieden
    hat … bitte dort eintragen", of a printout nobody types into. Only a copy as a
    spreadsheet (.ods, .xls, …) is named."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("konsolidieren", "-a", str(ab)).code == 0
    (ab / "Lenkungsgruppe_Uebersicht.pdf").write_bytes(b"%PDF-1.7\n")
    (ab / "Lenkungsgruppe_Uebersicht.ods").write_bytes(b"PK\x03\x04")
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    assert "Lenkungsgruppe_Uebersicht.ods wurde nach dem letzten" in lauf.text, lauf.text
    assert "Lenkungsgruppe_Uebersicht.pdf" not in lauf.text, lauf.text


def test_demo_im_explorer_angesehen_wird_ersetzt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's eingang/ looked at in the macOS Finder or Windows Explorer leaves .DS_Store
    or Thumbs.db there. `ikz demo` run again then refused: "in eingang/ liegen 2 Datei(en),
    die die Demo nicht so geschrieben hat (.DS_Store, …)", though nobody had worked in it."""
    monkeypatch.chdir(tmp_path)
    assert ikz("demo").code == 0
    eingang = tmp_path / "ikz-demo" / "eingang"
    (eingang / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (eingang / "Laufwerk" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    lauf = ikz("demo")
    assert lauf.code == 0, lauf.text
    assert not (eingang / ".DS_Store").exists()


def test_unveraenderter_pruefbericht_geoeffnet_ist_kein_ueberschreiben(tmp_path: Path) -> None:
    """The Prüfbericht open in Calc while konsolidieren runs again with nothing new: since
    session 24 it keeps its bytes and date, yet the run said "war beim Schreiben geöffnet …
    Das offene Fenster zeigt noch den alten Stand", and the team closed and reopened it for
    nothing. The overview, written anew each run, is still named; so is the Prüfbericht once
    a new return changes it."""
    import os
    import shutil

    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("erzeugen", "-a", str(ab)).code == 0
    (ag02,) = (ab / "ausgang").glob("AG-02_*.xlsx")
    shutil.copy(ag02, ab / "eingang" / "AG-02.xlsx")
    assert ikz("konsolidieren", "-a", str(ab)).code == 1
    bericht = ab / "berichte" / "Pruefbericht.xlsx"
    vorher = bericht.stat().st_mtime - 3600
    os.utime(bericht, (vorher, vorher))
    for name in ("Pruefbericht.xlsx", "../Lenkungsgruppe_Uebersicht.xlsx"):  # opened in Calc
        sperre = bericht.parent / f"{Path(name).parent}/.~lock.{Path(name).name}#"
        sperre.write_text("Jana Schulz,jana,PC-17,05.12.2026 10:00,/home/jana;\n")
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert lauf.code == 1, lauf.text
    assert bericht.stat().st_mtime == vorher
    assert "Lenkungsgruppe_Uebersicht.xlsx war beim Schreiben geöffnet" in lauf.text, lauf.text
    assert "Pruefbericht.xlsx war beim Schreiben geöffnet" not in lauf.text, lauf.text

    (ag05,) = (ab / "ausgang").glob("AG-05_*.xlsx")
    shutil.copy(ag05, ab / "eingang" / "AG-05.xlsx")  # a new return: a new Prüfbericht
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert "berichte/Pruefbericht.xlsx war beim Schreiben geöffnet" in lauf.text, lauf.text


def test_konsolidieren_vor_dem_ersten_ruecklauf_meldet_kein_fehlendes_eingangsbuch(
    tmp_path: Path,
) -> None:
    """`ikz konsolidieren` right after `ikz init`, to see the overview, then again before any
    return came in: the second run said "archiv/Eingangsbuch.csv fehlte, obwohl hier schon
    konsolidiert wurde (gelöscht oder verschoben?) … Gibt es eine Datensicherung des Ordners
    archiv/, ihn aus ihr zurückholen", of a ledger nobody had deleted."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("konsolidieren", "-a", str(ab)).code == 0
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    assert "fehlte" not in lauf.text, lauf.text
    (ab / "archiv" / "Eingangsbuch.csv").unlink()  # deleted by hand: still said
    assert "archiv/Eingangsbuch.csv fehlte" in ikz("konsolidieren", "-a", str(ab)).text


def _kommune_zweimal(e: Eingaben, _f: dict[str, Any]) -> None:
    """Two new Ressourcen rows begun on purpose: only their Kommune typed yet, the same."""
    kommune = e["tbl_Ressourcen"][0]["Kommune"]
    e["tbl_Ressourcen"] += [{"Kommune": kommune}, {"Kommune": kommune}]


def test_zeilen_nur_mit_derselben_kommune_sagen_wie_sie_zaehlen(tmp_path: Path) -> None:
    """Rows a clerk began on purpose (the same Kommune in two new rows, the rest to follow)
    look like a Kommune filled down. The Warnung only asked to delete the entries; it now
    says they do not count and what makes them count."""
    st = stammdaten.standard()
    d = pruefen.pruefen([ruecklauf(st, tmp_path / "AG-01.xlsx", _kommune_zweimal)], st)
    (warnung,) = [b for b in d.dateien[0].befunde if "als leere Zeilen" in b.meldung]
    assert warnung.meldung.endswith(
        "Sie werden als leere Zeilen gelesen und zählen nicht. Bitte die Einträge dort "
        "löschen (Zellen markieren, Entf) oder, sollen die Zeilen zählen, ihre übrigen Angaben "
        "eintragen."
    ), warnung.meldung


@braucht_libreoffice
def test_in_calc_gespeicherte_uebersicht_heisst_nach_ortszeit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The LG saves the overview in LibreOffice Calc in Helmstedt. Calc writes its local time
    into docProps with a "Z" (13:15 in Berlin as "13:15:40Z"), unlike Excel; read as UTC
    since session 24, the copy in sicherungen/ was named an hour late (two in summer). Saved
    in Calc, its time counts as it stands."""
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        ab = tmp_path / "ab"
        assert ikz("init", "-a", str(ab)).code == 0
        assert ikz("konsolidieren", "-a", str(ab)).code == 0
        uebersicht = ab / "Lenkungsgruppe_Uebersicht.xlsx"
        gespeichert = tmp_path / "gespeichert.xlsx"
        in_calc_bearbeiten([(uebersicht, gespeichert, [("tippen", "Übersicht", "Q5", "3")])])
        shutil.copyfile(gespeichert, uebersicht)
        gespeichert_um = datetime.fromtimestamp(gespeichert.stat().st_mtime)
        assert ikz("konsolidieren", "-a", str(ab)).code == 0
        (name,) = [p.name for p in (ab / "sicherungen").iterdir()]
        stempel = re.fullmatch(r"Lenkungsgruppe_Uebersicht_bearbeitet_(\d{8}-\d{4})\.xlsx", name)
        assert stempel, name
        abstand = datetime.strptime(stempel[1], "%Y%m%d-%H%M") - gespeichert_um
        assert abs(abstand.total_seconds()) < 120, (name, gespeichert_um)
    finally:
        monkeypatch.undo()
        time.tzset()


@braucht_libreoffice
def test_fester_wert_in_leeren_zeilen_mit_luecke_sagt_dazwischen(tmp_path: Path) -> None:
    """Clerk test in Calc: a Ressource's entries deleted (row 8 empty, rows 9 to 12 still
    filled), then the first Kosten typed over and dragged down the whole column. The Fehler
    read "I8 bis I44 … In 33 leeren Zeilen": 37 rows named, 33 meant. It now says
    "dazwischen", as the Warnung of a cleared formula column does."""
    from test_sachbearbeiter_calc import in_calc_pruefen

    from ikz_excel import erzeugen

    gueltig = ruecklauf(stammdaten.standard(), tmp_path / "gueltig" / "AG-01.xlsx")
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    befunde = in_calc_pruefen(
        gueltig,
        ab,
        {
            "Lücke": [
                ("schutz_aus", "Ressourcen"),
                ("leeren", "Ressourcen", "A8:H8"),
                ("tippen", "Ressourcen", "I5", "320000"),
                ("unten_ausfuellen", "Ressourcen", "I5:I44"),
            ]
        },
    )
    (leere,) = [b for b in befunde["Lücke"] if "leeren Zeilen" in b["meldung"]]
    assert leere["meldung"].startswith(
        "Ressourcen!I8 bis I44 (Kosten): In 33 leeren Zeilen dazwischen wurde die Formel durch "
        "den festen Wert 320.000 ersetzt (wohl nach unten ausgefüllt)."
    ), leere["meldung"]
