"""The coordination team on session 24's day (probe 'leer24'): an unfilled Arbeitsmappe sent
back, two returns called 'Arbeitsmappe.xlsx', and two runs at once in a relative workspace."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from libreoffice import braucht_libreoffice, speichern_als

from ikz_excel import dateien, demo_daten, erzeugen, knoepfe, stammdaten
from ikz_excel.arbeitsbereich import SPERRDATEI, UEBERSICHT
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


def _leer_zurueck(bereich: Path, ag: str, ziel: str) -> Path:
    """The AG's workbook from ausgang/, sent back as it went out (reply with the attachment)."""
    (quelle,) = (bereich / "ausgang").glob(f"{ag}_*.xlsx")
    pfad = bereich / "eingang" / ziel
    pfad.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(quelle, pfad)
    return pfad


def _ruecklaufblatt(bereich: Path) -> list[str]:
    ws = openpyxl.load_workbook(bereich / UEBERSICHT, read_only=True)["Rücklauf"]
    return [str(w) for z in ws.iter_rows(values_only=True) for w in z if w is not None]


def test_unveraendert_zurueckgeschickte_mappe_ist_ein_fehler(bereich: Path) -> None:
    """The workbook as generated, sent back: 27 „Pflichtangabe fehlt“ and a Korrektur copy
    (which she has already, empty) said nothing of what happened. One Fehler now, with file
    and AG; status fehlerhaft, exit code 1; Rücklauf and console say „nicht ausgefüllt“."""
    _leer_zurueck(bereich, "AG-03", "Mail vom 28.11/Arbeitsmappe.xlsx")
    lauf = ikz("pruefen")
    assert lauf.code == 1, lauf.text
    assert (
        "Arbeitsmappe.xlsx (AG-03): fehlerhaft – nicht ausgefüllt, unverändert wie erzeugt – "
        "1 Fehler, 0 Warnungen" in lauf.text
    ), lauf.text
    assert "Die Arbeitsmappe ist noch leer – keine Eingabezelle ist ausgefüllt" in lauf.text
    assert "Bitte bei der Arbeitsgruppe AG-03 nachfragen" in lauf.text
    assert "Pflichtangabe fehlt" not in lauf.text
    assert not list((bereich / "berichte").glob("Korrektur_*"))

    lauf = ikz("pruefen", "--json", "--ohne-berichte")
    (befund,) = json.loads(lauf.aus)["befunde"]
    assert (befund["arbeitsgruppe"], befund["stufe"], befund["regel"]) == (
        "AG-03",
        "Fehler",
        "DATEI",
    )
    assert befund["datei"].endswith("Arbeitsmappe.xlsx")

    lauf = ikz("konsolidieren")
    assert lauf.code == 1, lauf.text
    assert "fehlerhaft (nicht ausgefüllt, unverändert wie erzeugt)" in _ruecklaufblatt(bereich)
    # and the console's "Stand der Arbeitsgruppen" in the same words (it said "fehlerhaft")
    zeilen = {z.split("│")[1].strip(): z for z in lauf.aus.splitlines() if z.count("│") > 3}
    assert "fehlerhaft (nicht ausgefüllt, unverändert wie erzeugt)" in zeilen["AG-03"], lauf.aus
    assert not list((bereich / "berichte").glob("Korrektur_*"))

    # the button's status line says it too
    status = knoepfe.lauf("konsolidieren", bereich / "Steuerungsmappe.xlsm")
    assert (
        "; nicht ausgefüllt, unverändert wie erzeugt: Mail vom 28.11/Arbeitsmappe.xlsx (AG-03) "
        "– bitte nachfragen, ob die falsche Datei geschickt wurde" in status.text
    ), status.text


def test_ein_eintrag_genuegt_fuer_die_gewohnten_befunde(bereich: Path) -> None:
    """One cell typed (Punkte of the first criterion): not unfilled, the usual findings."""
    pfad = _leer_zurueck(bereich, "AG-04", "AG-04 Kultur.xlsx")
    wb = openpyxl.load_workbook(pfad)
    wb["Priorisierung"]["B5"] = 2
    wb.save(pfad)
    lauf = ikz("pruefen")
    assert lauf.code == 1, lauf.text
    assert "Pflichtangabe fehlt" in lauf.text
    assert "noch leer" not in lauf.text
    assert (bereich / "berichte" / "Korrektur_AG-04-Kultur.xlsx").is_file()


@braucht_libreoffice
def test_in_calc_gespeicherte_leere_mappe_wird_erkannt(bereich: Path) -> None:
    """Opened and saved in LibreOffice (numbers back as floats, formulas with results):
    still the workbook as generated."""
    (quelle,) = (bereich / "ausgang").glob("AG-05_*.xlsx")
    speichern_als(quelle, bereich / "eingang" / "Rueckmeldung.xlsx")
    lauf = ikz("pruefen")
    assert lauf.code == 1, lauf.text
    assert "Rueckmeldung.xlsx (AG-05): fehlerhaft – nicht ausgefüllt" in lauf.text, lauf.text
    assert "Pflichtangabe fehlt" not in lauf.text
    assert not list((bereich / "berichte").glob("Korrektur_*"))


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
