"""The README is the user's manual: every verb is documented, and its first two commands are
the ones CI runs (the test command) and the demo."""

from __future__ import annotations

from pathlib import Path

from ikz_excel.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_jeder_befehl_hat_einen_abschnitt() -> None:
    verben = {c.name for c in app.registered_commands}
    assert verben == {"init", "erzeugen", "pruefen", "konsolidieren", "demo"}
    for verb in verben:
        assert f"### `ikz {verb}" in README, verb


def test_die_ersten_zwei_befehle_sind_demo_und_tests() -> None:
    bloecke = [b.split("```", 1)[0] for b in README.split("```bash\n")[1:3]]
    assert "ikz demo" in bloecke[0]
    assert bloecke[1].strip() == "bash tests/einrichten_und_testen.sh"
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash tests/einrichten_und_testen.sh" in ci
