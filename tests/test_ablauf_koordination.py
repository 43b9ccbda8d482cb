"""The coordination team's round as the README describes it, and what the console tells them
about the Korrektur copies (README walk, session 20).

`ikz pruefen` said "Korrekturexemplare für 1 Datei(en) in arbeitsmappen/berichte." (which
file? and what to do with it?), `ikz konsolidieren` called the same copies "markierte Mappen
zum Zurücksenden" and ended with "Prüfbericht und Korrekturexemplare: …/berichte" also in the
second round, when the corrected return was valid and berichte/ held no copy at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from aufruf import ikz
from test_pruefen import ruecklauf

KOPIE = "Korrektur_AG-02-Personalservice-Ruecklauf.xlsx"


def test_korrekturexemplar_mit_namen_und_was_damit_zu_tun_ist(tmp_path: Path) -> None:
    from ikz_excel import stammdaten

    ab = tmp_path / "arbeitsmappen"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("erzeugen", "-a", str(ab)).code == 0
    st = stammdaten.lesen(ab / "Steuerungsmappe.xlsm")

    def text_in_zahl(eingaben: dict[str, Any], _felder: dict[str, Any]) -> None:
        eingaben["tbl_Ressourcen"][1]["Menge"] = "zwei"

    ruecklauf(st, ab / "eingang" / "AG-02 Personalservice Rücklauf.xlsx", text_in_zahl, "AG-02")

    lauf = ikz("pruefen", "-a", str(ab))

    assert lauf.code == 1, lauf.text
    text = " ".join(lauf.text.split())
    assert (
        f"Korrekturexemplar zum Zurückschicken an die Arbeitsgruppe in berichte/: {KOPIE}." in text
    ), text
    assert (ab / "berichte" / KOPIE).is_file()

    lauf = ikz("konsolidieren", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code == 1 and "markierte Mappen" not in text, text
    assert "Korrekturexemplare zum Zurückschicken in berichte/" in text, text
    assert "Prüfbericht: berichte/Pruefbericht.xlsx" in text, text
    assert (
        f"Korrekturexemplar zum Zurückschicken an die Arbeitsgruppe in berichte/: {KOPIE}." in text
    ), text

    # the AG sends the copy back corrected: no copy now, and none is named
    wb = openpyxl.load_workbook(ab / "berichte" / KOPIE)
    wb["Ressourcen"]["D6"] = 2
    (ab / "eingang" / "Antwort").mkdir()
    wb.save(ab / "eingang" / "Antwort" / KOPIE)

    lauf = ikz("konsolidieren", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code == 0 and "Alle zählenden Rückläufe ohne Fehler." in text, text
    assert "Korrekturexemplar" not in text, text
    assert not list((ab / "berichte").glob("Korrektur_*.xlsx"))


def test_die_hilfe_nennt_was_in_berichte_entsteht() -> None:
    """`ikz pruefen --help` did not say that it writes the Prüfbericht and Korrektur copies,
    `ikz konsolidieren --help` that it does so too (README walk, session 20); the README says
    both."""
    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz(befehl, "--help")
        text = " ".join(lauf.text.replace("│", " ").split())
        assert lauf.code == 0 and "Prüfbericht" in text and "Korrekturexemplar" in text, text
