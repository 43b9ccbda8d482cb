"""The coordination team in a real week (session 24): workspaces on paths with spaces and
umlauts, commands run from the folder above, returns saved under another AG's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.aufruf import ikz


@pytest.fixture
def oben(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """'IKZ Mappen/Zusammenführung' after init, the current directory 'IKZ Mappen'."""
    ordner = tmp_path / "IKZ Mappen"
    ordner.mkdir()
    monkeypatch.chdir(ordner)
    assert ikz("init", "-a", "Zusammenführung").code == 0
    return ordner


@pytest.mark.parametrize("befehl", ["pruefen", "konsolidieren", "erzeugen"])
def test_arbeitsbereich_im_unterordner_wird_genannt(
    oben: Path, befehl: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ikz pruefen` without -a in the folder above the workspace, or `-a "IKZ Mappen"`,
    advised "Bitte zuerst 'ikz init --arbeitsbereich arbeitsmappen' ausführen": a second
    Arbeitsbereich with the example programme beside the team's own."""
    lauf = ikz(befehl)
    assert lauf.code == 2, lauf.text
    assert (
        "Den Ordner arbeitsmappen gibt es nicht, aber der Ordner Zusammenführung/ ist ein "
        "Arbeitsbereich (dort liegt die Steuerungsmappe.xlsm). Bitte '--arbeitsbereich "
        "Zusammenführung' angeben." in lauf.fehlertext
    ), lauf.text
    assert "zuerst 'ikz init" not in lauf.text

    monkeypatch.chdir(oben.parent)
    lauf = ikz(befehl, "-a", "IKZ Mappen")
    assert lauf.code == 2, lauf.text
    assert (
        "Im Ordner IKZ Mappen liegt keine Steuerungsmappe.xlsm, aber der Unterordner "
        "Zusammenführung/ ist ein Arbeitsbereich (dort liegt die Steuerungsmappe.xlsm). Bitte "
        "'--arbeitsbereich \"IKZ Mappen/Zusammenführung\"' angeben." in lauf.fehlertext
    ), lauf.text
    assert "zuerst 'ikz init" not in lauf.text
    assert sorted(p.name for p in oben.iterdir()) == ["Zusammenführung"]

    # the advice works as typed, from another current directory with a relative path
    if befehl == "pruefen":
        lauf = ikz(befehl, "-a", "IKZ Mappen/Zusammenführung")
        assert lauf.code == 0, lauf.text
        assert f"Arbeitsbereich: {oben / 'Zusammenführung'}" in lauf.text


def test_zwei_arbeitsbereiche_im_ordner(oben: Path) -> None:
    """Two programmes side by side: ikz names both and does not guess."""
    assert ikz("init", "-a", "Programm 2013").code == 0
    lauf = ikz("konsolidieren", "-a", ".")
    assert lauf.code == 2, lauf.text
    assert (
        "die Unterordner Programm 2013/, Zusammenführung/ sind Arbeitsbereiche (dort liegt je "
        "eine Steuerungsmappe.xlsm). Bitte mit --arbeitsbereich den gemeinten angeben"
        in lauf.fehlertext
    ), lauf.text
    assert not (oben / "archiv").exists()
