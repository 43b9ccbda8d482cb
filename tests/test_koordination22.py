"""What a careless coordination team met in session 22: every command names the
Arbeitsbereich once in full and the files it wrote relative to it, and the slips of a busy
day (returns saved the wrong way, commands run in the wrong place).

Each test drives `ikz` as the team types it and fails without the change it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aufruf import ikz

# One rule for paths ---------------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["relativ", "absolut"])
def test_init_und_erzeugen_nennen_pfade_im_arbeitsbereich(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wie: str
) -> None:
    """`ikz init` named the Steuerungsmappe as the Arbeitsbereich was typed
    ("arbeitsmappen/Steuerungsmappe.xlsm"), `ikz erzeugen` ausgang/ absolutely, pruefen and
    konsolidieren both relative to the Arbeitsbereich named once (session 21). Now all alike."""
    ab = tmp_path / "arbeitsmappen"
    monkeypatch.chdir(tmp_path)
    a = str(ab) if wie == "absolut" else "arbeitsmappen"
    voll = f"{ab.resolve()} "

    lauf = ikz("init", "-a", a)
    assert lauf.code == 0, lauf.text
    assert f"Arbeitsbereich angelegt: {voll}" in lauf.text
    assert "Steuerungsmappe: Steuerungsmappe.xlsm " in lauf.text, lauf.text

    lauf = ikz("erzeugen", "-a", a)
    assert lauf.code == 0, lauf.text
    assert f"Arbeitsbereich: {voll}" in lauf.text, lauf.text
    assert "10 Arbeitsmappe(n) geschrieben, 0 schon vorhanden, in ausgang/." in lauf.text
    assert str(tmp_path) not in lauf.text.replace(f"Arbeitsbereich: {voll}", "")

    lauf = ikz("erzeugen", "-a", a, "--ersetzen")
    assert lauf.code == 0, lauf.text
    assert "Die bisherigen Mappen liegen in ausgang/alt/." in lauf.text, lauf.text
    assert str(tmp_path) not in lauf.text.replace(f"Arbeitsbereich: {voll}", "")

    lauf = ikz("pruefen", "-a", a)
    assert lauf.code == 0, lauf.text
    assert f"Arbeitsbereich: {voll}" in lauf.text, lauf.text
    assert "Keine Rückläufe gefunden in eingang/. " in lauf.text, lauf.text
    assert lauf.text.count("Arbeitsbereich: ") == 1

    (ab / "eingang" / "Mail").mkdir(parents=True)
    lauf = ikz("pruefen", "-a", a, str(ab / "eingang" / "Mail"))
    assert "Keine Rückläufe gefunden in eingang/Mail/. " in lauf.text, lauf.text
