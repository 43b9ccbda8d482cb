"""Leftovers of session 22 for the coordination team: the demo's paths, the warning about a
file open while written shown by the buttons too, the Korrektur copy writing what the check
read.

Each test drives the feature as the team or the clerk does and fails without the change it
names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
