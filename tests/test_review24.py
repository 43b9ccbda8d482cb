"""Review of session 24's merged work: what the review found wrong, each with the case that
showed it (session 24)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aufruf import ikz
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
