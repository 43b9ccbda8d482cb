"""The coordination team on session 24's day (probe 'leer24'): an unfilled Arbeitsmappe sent
back, two returns called 'Arbeitsmappe.xlsx', and two runs at once in a relative workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ikz_excel import dateien, demo_daten, erzeugen, stammdaten
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


def _mit_fehler(bereich: Path, ag: str, ziel: str) -> Path:
    """AG `ag`'s filled workbook with one mistake (text in Menge), saved as `ziel`."""
    st = stammdaten.standard()
    eingaben, felder = demo_daten.eingaben(st, ag)
    eingaben["tbl_Ressourcen"][0]["Menge"] = "zwei"
    pfad = bereich / "eingang" / ziel
    pfad.parent.mkdir(parents=True, exist_ok=True)
    return erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(ag), pfad, eingaben=eingaben, felder=felder
    )


def test_korrekturexemplar_nennt_die_ag_wenn_der_dateiname_es_nicht_tut(bereich: Path) -> None:
    """Two AGs both sent "Arbeitsmappe.xlsx" from different mail folders: the copies were
    "Korrektur_Arbeitsmappe.xlsx" and "Korrektur_Mail-Y-Arbeitsmappe.xlsx", which say not for
    whom. The Kürzel goes in; a name that names its AG stays. A copy of the old name (from a
    run before the update) moves to berichte/alt, the ledger of copies follows the new names,
    and a second run writes none of them again."""
    _mit_fehler(bereich, "AG-03", "Mail-X/Arbeitsmappe.xlsx")
    _mit_fehler(bereich, "AG-05", "Mail-Y/Arbeitsmappe.xlsx")
    _mit_fehler(bereich, "AG-07", "AG 07 Brandschutz.xlsx")
    berichte = bereich / "berichte"
    berichte.mkdir(exist_ok=True)
    (berichte / "Korrektur_Arbeitsmappe.xlsx").write_bytes(b"alt")  # before the update

    lauf = ikz("konsolidieren")
    assert lauf.code == 1, lauf.text
    erwartet = [
        "Korrektur_AG-03_Arbeitsmappe.xlsx",
        "Korrektur_AG-05_Arbeitsmappe.xlsx",
        "Korrektur_AG-07-Brandschutz.xlsx",
    ]
    assert sorted(p.name for p in berichte.glob("Korrektur_*")) == erwartet, lauf.text
    for name in erwartet:
        assert name in lauf.text
    assert (berichte / "alt" / "Korrektur_Arbeitsmappe.xlsx").read_bytes() == b"alt"
    stand = json.loads((bereich / "archiv" / ".korrekturen.json").read_text(encoding="utf-8"))
    assert sorted(Path(p).name for p in stand) == erwartet

    vorher = {n: (berichte / n).stat().st_mtime_ns for n in erwartet}
    assert ikz("konsolidieren").code == 1
    assert {n: (berichte / n).stat().st_mtime_ns for n in erwartet} == vorher
    assert sorted(p.name for p in berichte.glob("Korrektur_*")) == erwartet
