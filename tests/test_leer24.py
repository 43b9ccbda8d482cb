"""The coordination team on session 24's day (probe 'leer24'): an unfilled Arbeitsmappe sent
back, two returns called 'Arbeitsmappe.xlsx', and two runs at once in a relative workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikz_excel import dateien
from ikz_excel.arbeitsbereich import SPERRDATEI
from tests.aufruf import ikz


@pytest.fixture
def bereich(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """'arbeitsmappen' after init and erzeugen, the current directory the folder above."""
    monkeypatch.chdir(tmp_path)
    assert ikz("init").code == 0
    assert ikz("erzeugen").code == 0
    return tmp_path / "arbeitsmappen"


@pytest.mark.parametrize("befehl", ["pruefen", "konsolidieren"])
def test_zweiter_lauf_nennt_den_arbeitsbereich_vollstaendig(bereich: Path, befehl: str) -> None:
    """The second of two runs at once named the workspace as typed ('In arbeitsmappen läuft
    gerade ...'), the README promises it in full: which of several is busy."""
    with dateien.sperre(bereich / "archiv" / SPERRDATEI):
        lauf = ikz(befehl)
    assert lauf.code == 2, lauf.text
    assert (
        f"In {bereich.resolve()} läuft gerade ein anderes Prüfen oder Konsolidieren"
        in lauf.fehlertext
    ), lauf.text
