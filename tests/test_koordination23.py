"""Leftovers of session 22 for the coordination team: the demo's paths, the warning about a
file open while written shown by the buttons too, the Korrektur copy writing what the check
read.

Each test drives the feature as the team or the clerk does and fails without the change it
names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aufruf import ikz


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
