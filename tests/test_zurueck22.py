"""A Kommune struck off an AG and taken back while the Korrektur copy was out, her cell left
empty in the copy after (round 22): her earlier share is named round after round until the AG
enters a figure for her. Kept apart from test_ruecklauf21, which other work changes at the same
time. Each test drives `ikz pruefen` as the team runs it and fails without the change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from aufruf import ikz
from steuerungsmappe_tippen import eintragen
from test_kommune_umbenannt import ALT, _kostenausgleich, _spalte
from test_mutanten20 import _gestrichen_kopie_zurueck
from test_ruecklauf21 import _kommentar_der_zeile

from ikz_excel.pruefen import WEGGEFALLENE


def _vermerk(pfad: Path) -> list[dict]:
    """The former partners the copy at `pfad` notes in `_ikz`."""
    wb = openpyxl.load_workbook(pfad)
    werte = [r[1].value for r in wb["_ikz"].iter_rows() if r[0].value == WEGGEFALLENE]
    return json.loads(werte[0]) if werte else []


def _kopie_der_kopie_zurueck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    """Gemeinde Lehre (6 %) struck off AG-05, the Korrektur copy goes out without her, she is
    taken back and the copy comes back unchanged; `ikz pruefen` writes the next copy (her row
    again, her cell empty), and the AG sends that back unchanged too, ignoring the comment.
    (Arbeitsbereich, the copy of the copy as sent back.)"""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))
    assert ikz("pruefen", "-a", str(ab)).code == 1  # 94 %: her row is back, her cell empty
    shutil.rmtree(ab / "eingang" / "Antwort")
    zurueck = ab / "eingang" / "Zweite Antwort" / kopie.name
    zurueck.parent.mkdir()
    shutil.copy(kopie, zurueck)
    return ab, zurueck


def test_anteil_der_zurueckgenommenen_bleibt_genannt_bis_er_eingetragen_ist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy of the copy sent back with Gemeinde Lehre's cell still empty: the sum said only
    "94 %, nicht 100 %", the next copy's comment only "braucht einen Anteil", and her 6 % were
    gone from the note: a clerk who ignored the comment once lost them without a word. Now the
    sum and her cell say what stood at her before, and the note keeps it for the next round."""
    ab, zurueck = _kopie_der_kopie_zurueck(tmp_path, monkeypatch, capsys)
    (eintrag,) = _vermerk(zurueck)  # what the copy of the copy carries
    assert (eintrag["kommune"], eintrag["wert"]) == (ALT, 0.06), eintrag

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Zweite Antwort/{zurueck.name} (AG-05)", 1)[1]
    antwort = " ".join(antwort.split("Noch kein")[0].split())
    assert (
        "Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so anpassen, dass die Summe "
        f"genau 100 % ist. Bei '{ALT}' stand früher Anteil individuell 6 % (Rücklauf "
        "AG-05.xlsx, Zeile 16 der damals eingesandten Mappe); ihre Zelle in dieser Mappe ist "
        "leer: In der Summe fehlt das; bitte ihren Anteil eintragen (0 % ist erlaubt)." in antwort
    ), antwort
    assert "seit dem Versand dieser Mappe wieder Partnerkommune" not in antwort, antwort
    naechste = ab / "berichte" / zurueck.name
    kommentar = _kommentar_der_zeile(naechste, ALT)
    assert (
        f"Bei '{ALT}' stand früher Anteil individuell 6 % (Rücklauf AG-05.xlsx, Zeile 16 der "
        "damals eingesandten Mappe)" in kommentar
    ), kommentar
    (eintrag,) = _vermerk(naechste)
    assert (eintrag["kommune"], eintrag["wert"]) == (ALT, 0.06), eintrag

    # The AG enters her 6 % this time: nothing left to carry on.
    shutil.rmtree(zurueck.parent)
    wb = openpyxl.load_workbook(naechste)
    ws, zeilen = _kostenausgleich(naechste)
    wb["Kostenausgleich"].cell(zeilen[ALT], _spalte(ws, "Anteil individuell")).value = 0.06
    (ab / "eingang" / "Dritte Antwort").mkdir()
    wb.save(ab / "eingang" / "Dritte Antwort" / naechste.name)
    lauf = ikz("pruefen", "-a", str(ab))
    antwort = lauf.text.split(f"Dritte Antwort/{naechste.name} (AG-05)", 1)[1]
    assert antwort.split("\n", 1)[0].startswith(": gültig"), antwort
    assert "stand früher" not in antwort, antwort
    assert not (ab / "berichte" / naechste.name).exists(), lauf.text  # valid: no copy
