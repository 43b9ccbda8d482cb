"""A return of a workbook sent out before an update of ikz_excel, end to end.

`tests/golden/arbeitsmappe_v3_AG-01.xlsx` is the unfilled Arbeitsmappe of AG-01 as the code of
Vorlagenversion 3 wrote it from the built-in Stammdaten (made with `git worktree add … fc0ee62`
and `erzeugen.arbeitsmappe_schreiben(stammdaten.standard(), …)`): its cover has the formulas of
version 3, its 3.10 dropdown still ignores blanks. The other version tests only change the
number in `_ikz` of a current workbook, which cannot show a reader that assumes the current
cover or layout (review of version 4). Keep this file when the version rises again; a file of
the version before the next one belongs beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import korpus
import openpyxl
import pytest
from aufruf import Lauf, ikz_aufrufen

from ikz_excel import definition, einlesen, erzeugen

VERSION_3 = Path(__file__).parent / "golden" / "arbeitsmappe_v3_AG-01.xlsx"


@pytest.fixture
def ikz(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    def aufrufen(*args: str) -> Lauf:
        return ikz_aufrufen(monkeypatch, capsys, *args)

    return aufrufen


def _uebersicht_ag01(bereich: Path) -> tuple[Any, ...]:
    """The AG-01 row of the overview, the status column left out (it says "mit Hinweisen")."""
    mappe = openpyxl.load_workbook(bereich / "Lenkungsgruppe_Uebersicht.xlsx", read_only=True)
    try:
        for zeile in mappe["Übersicht"].iter_rows(values_only=True):
            if zeile and zeile[0] == "AG-01":
                return zeile[:2] + zeile[3:]
    finally:
        mappe.close()
    raise AssertionError("AG-01 fehlt in der Übersicht")


def _befunde(ikz: Any, bereich: Path) -> list[dict[str, Any]]:
    lauf = ikz("pruefen", "--json", "-a", str(bereich))
    return json.loads(lauf.aus)["befunde"]


def test_ruecklauf_der_vorlagenversion_3_durch_konsolidieren(ikz: Any, tmp_path: Path) -> None:
    """Same inputs in a version-3 and in a current workbook: the same row in the overview, and
    for the old one only the Hinweis that the cover changed, no Korrektur copy; with a mistake,
    the copy is the current template (version 4 cover) with the clerk's inputs."""
    mdef = definition.arbeitsmappe()
    assert einlesen.kennung_lesen(VERSION_3)["schema_version"] == "3"
    assert 3 in mdef.lesbare_versionen and mdef.nur_anzeige_seit(3)

    bereiche = {}
    for name in ("alt", "neu", "alt_falsch"):
        bereich = tmp_path / name
        erzeugen.init(bereich)
        assert ikz("erzeugen", "-a", str(bereich)).code == 0
        bereiche[name] = bereich
    aktuell = next((bereiche["neu"] / "ausgang").glob("AG-01_*.xlsx"))
    werte, projekt, schluessel = korpus.ausgefuellte_werte(aktuell)
    korpus.ausfuellen(
        aktuell, bereiche["neu"] / "eingang" / "AG-01.xlsx", werte, projekt, schluessel
    )
    korpus.ausfuellen(
        VERSION_3, bereiche["alt"] / "eingang" / "AG-01 v3.xlsx", werte, projekt, schluessel
    )
    falsch = {**werte, "tbl_StaerkenSchwaechen": [dict(z) for z in werte["tbl_StaerkenSchwaechen"]]}
    falsch["tbl_StaerkenSchwaechen"][0]["Gewicht"] = 7
    korpus.ausfuellen(
        VERSION_3, bereiche["alt_falsch"] / "eingang" / "AG-01 v3.xlsx", falsch, projekt, schluessel
    )

    for name in ("alt", "neu"):
        lauf = ikz("konsolidieren", "-a", str(bereiche[name]))
        assert lauf.code == 0, lauf.text
    assert _befunde(ikz, bereiche["neu"]) == []
    (b,) = _befunde(ikz, bereiche["alt"])
    assert (b["regel"], b["stufe"]) == ("VERSION", "Hinweis"), b["meldung"]
    assert "Vorlagenversion 3 (aktuell 4)" in b["meldung"] and "nur die Anzeige" in b["meldung"]
    assert not list((bereiche["alt"] / "berichte").glob("Korrektur*"))
    kapitalwert = _uebersicht_ag01(bereiche["neu"])
    assert _uebersicht_ag01(bereiche["alt"]) == kapitalwert
    assert any(isinstance(v, int | float) and v > 1000 for v in kapitalwert)  # figures, not "–"

    lauf = ikz("konsolidieren", "-a", str(bereiche["alt_falsch"]))
    assert lauf.code == 1, lauf.text
    befunde = _befunde(ikz, bereiche["alt_falsch"])
    assert [(b["regel"], b["stufe"], b["zelle"]) for b in befunde] == [
        ("VERSION", "Hinweis", None),
        ("BEREICH", "Fehler", "E5"),
    ]
    (kopie,) = (bereiche["alt_falsch"] / "berichte").glob("Korrektur*.xlsx")
    assert einlesen.kennung_lesen(kopie)["schema_version"] == str(mdef.schema_version)
    mappe = openpyxl.load_workbook(kopie)
    try:
        # the cover of version 4: the Fallzahlen count under the key "Fallzahl"
        assert "tbl_Kostenausgleich[Fallzahl]" in str(mappe["Hinweise"]["D26"].value)
        ws = mappe["Projektbeschreibung"]
        eintraege = {str(ws.cell(r, 1).value): ws.cell(r, 4).value for r in range(5, 25)}
        assert eintraege["3.3"] == projekt["3.3"]
        assert mappe["Stärken-Schwächen"]["E5"].value == 7
    finally:
        mappe.close()
