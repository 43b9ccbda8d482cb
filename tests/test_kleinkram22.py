"""Small slips found in review 22: a text limit the workbook states but the check did not
know, a number in a text cell read in English, a value named twice, a promise of a Korrektur
copy that never comes, and lock files named by one command but not the other.

Each test drives `ikz` as the coordination team types it and fails without the change it names.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import korpus
import openpyxl
import pytest
from aufruf import ikz

from ikz_excel import pfade


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
