"""What the coordination team met after session 20 (round 21): a Kommune struck off and taken
back while the Korrektur copy was out, paths in the messages of 'pruefen' and 'konsolidieren',
the backups 'init --ersetzen' leaves, and dates that lie before a new Programmbeginn.

Each test drives the command as the team runs it and fails without the change it names. Kept
apart from test_kommune_umbenannt and test_pruefen, which other work changes at the same time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aufruf import ikz
from steuerungsmappe_tippen import eintragen
from test_kommune_umbenannt import ALT, _kostenausgleich, _spalte
from test_mutanten20 import _gestrichen_kopie_zurueck

# Struck off and taken back while the Korrektur copy is out ------------------------------------


def _kommentar_der_zeile(pfad: Path, kommune: str) -> str:
    """The comment at `kommune`'s share in the Kostenausgleich of the copy at `pfad`."""
    ws, zeilen = _kostenausgleich(pfad)
    c = ws.cell(zeilen[kommune], _spalte(ws, "Anteil individuell"))
    return " ".join(c.comment.text.split()) if c.comment is not None else ""


def test_zurueckgenommene_kommune_ist_im_zurueckgeschickten_exemplar_partnerkommune(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre (6 %) struck off AG-05 after its return, the Korrektur copy went out
    without her; then the Steuerungsgruppe takes her back, and the AG sends the copy back
    unchanged (her name still on Stärken-Schwächen, the shares 94 %). The check said
    "'Gemeinde Lehre' ist keine Partnerkommune dieser Arbeitsgruppe" – true of the copy's own
    list, not of today's Steuerungsmappe – and the sum and the next copy no longer named her
    6 %. Now her cell is a partner's, the sum says what stood at her, and so does her row in
    the next copy."""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Antwort/{kopie.name} (AG-05)", 1)[1].split("Noch kein")[0]
    assert "keine Partnerkommune" not in antwort, antwort
    assert "Stärken-Schwächen!" not in antwort, antwort
    assert (
        "Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so anpassen, dass die Summe "
        f"genau 100 % ist. In einem früheren Rücklauf (AG-05.xlsx) stand Anteil individuell 6 % "
        f"bei '{ALT}' (Zeile 16 der damals eingesandten Mappe), seit dem Versand dieser Mappe "
        "wieder Partnerkommune dieser Arbeitsgruppe: In der Summe fehlt das; im "
        "Korrekturexemplar hat sie wieder eine Zeile." in antwort
    ), antwort
    kommentar = _kommentar_der_zeile(kopie, ALT)  # the next copy, written by this run
    assert (
        f"'{ALT}' ist seit dem Versand der Mappe wieder Partnerkommune dieser Arbeitsgruppe. "
        "In einem früheren Rücklauf (AG-05.xlsx) stand bei ihr Anteil individuell 6 % (Zeile 16 "
        "der damals eingesandten Mappe)." in kommentar
    ), kommentar
