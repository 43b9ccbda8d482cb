"""Tests of the LibreOffice harness itself.

Every real-engine test trusts `nachrechnen`: if LibreOffice quietly kept the cached values, a
broken formula would pass as long as the generator wrote a plausible number. These tests pin
down that the values really are recomputed and that errors are found where they are.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from libreoffice import braucht_libreoffice, fehlerzellen, nachrechnen, werte

pytestmark = [pytest.mark.libreoffice, braucht_libreoffice]


def _xlsxwriter_mappe(pfad: Path, faktor: int) -> Path:
    """XlsxWriter stores a cached value per formula; here a deliberately wrong one."""
    mappe = xlsxwriter.Workbook(pfad)
    blatt = mappe.add_worksheet("Rechnung")
    blatt.write("A1", 2)
    blatt.write("A2", faktor)
    blatt.write_formula("A3", "=A1*A2", None, 99)
    blatt.write_formula("A4", "=A1+A2")  # XlsxWriter's default cache: 0
    blatt.write_formula("B3", "=1/0", None, 0)
    blatt.write_formula("B4", '="#N/A"', None, "")  # text that only looks like an error
    versteckt = mappe.add_worksheet("Versteckt")
    versteckt.write_formula("C7", "=LN(0)-A1", None, 0)
    versteckt.hide()
    mappe.close()
    return pfad


def _openpyxl_mappe_mit_falschem_cache(pfad: Path) -> Path:
    """openpyxl cannot write a cached value, so one is patched into the sheet XML afterwards."""
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    assert blatt is not None
    blatt.title = "Rechnung"
    blatt["A1"] = 4
    blatt["A2"] = 5
    blatt["A3"] = "=A1*A2"
    mappe.save(pfad)

    with zipfile.ZipFile(pfad) as archiv:
        inhalt = {name: archiv.read(name) for name in archiv.namelist()}
    xml = inhalt["xl/worksheets/sheet1.xml"].decode("utf-8")
    xml, ersetzt = re.subn(r"<f>A1\*A2</f><v\s*/>", "<f>A1*A2</f><v>99</v>", xml)
    assert ersetzt == 1, "openpyxl schreibt die Formelzelle anders als erwartet"
    inhalt["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(pfad, "w", zipfile.ZIP_DEFLATED) as archiv:
        for name, daten in inhalt.items():
            archiv.writestr(name, daten)
    return pfad


@pytest.fixture(scope="module")
def nachgerechnet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One soffice start for all files, as the real tests should do it (startup dominates)."""
    basis = tmp_path_factory.mktemp("werkzeug")
    (basis / "a").mkdir()
    (basis / "b").mkdir()
    quellen = {
        "xlsxwriter": _xlsxwriter_mappe(basis / "a" / "mappe.xlsx", faktor=3),
        # Same file name in another folder: must not overwrite the first result.
        "gleicher_name": _xlsxwriter_mappe(basis / "b" / "mappe.xlsx", faktor=7),
        "openpyxl": _openpyxl_mappe_mit_falschem_cache(basis / "a" / "openpyxl.xlsx"),
    }
    ergebnis = nachrechnen(list(quellen.values()), basis / "aus")
    return {schluessel: ergebnis[quelle] for schluessel, quelle in quellen.items()}


def test_falscher_cache_von_xlsxwriter_wird_neu_berechnet(nachgerechnet: dict[str, Path]) -> None:
    zellen = werte(nachgerechnet["xlsxwriter"], "Rechnung")
    assert zellen["A3"] == 6
    assert zellen["A4"] == 5


def test_falscher_cache_von_openpyxl_wird_neu_berechnet(nachgerechnet: dict[str, Path]) -> None:
    assert werte(nachgerechnet["openpyxl"], "Rechnung")["A3"] == 20


def test_gleicher_dateiname_in_zwei_ordnern_kollidiert_nicht(
    nachgerechnet: dict[str, Path],
) -> None:
    erstes, zweites = nachgerechnet["xlsxwriter"], nachgerechnet["gleicher_name"]
    assert erstes != zweites
    assert werte(erstes, "Rechnung")["A3"] == 6
    assert werte(zweites, "Rechnung")["A3"] == 14


def test_fehlerzellen_nennt_blatt_und_zelle_auch_auf_versteckten_blaettern(
    nachgerechnet: dict[str, Path],
) -> None:
    gefunden = fehlerzellen(nachgerechnet["xlsxwriter"])
    assert ("Rechnung", "B3", "#DIV/0!") in gefunden
    # Which error LibreOffice reports for LN(0) differs from Excel; only the place matters.
    assert [(blatt, zelle) for blatt, zelle, _ in gefunden] == [
        ("Rechnung", "B3"),
        ("Versteckt", "C7"),
    ]


def test_text_der_wie_ein_fehler_aussieht_ist_kein_fehler(nachgerechnet: dict[str, Path]) -> None:
    assert werte(nachgerechnet["xlsxwriter"], "Rechnung")["B4"] == "#N/A"
    assert ("Rechnung", "B4") not in {
        (b, z) for b, z, _ in fehlerzellen(nachgerechnet["xlsxwriter"])
    }


def test_unlesbare_datei_gibt_klare_fehlermeldung(tmp_path: Path) -> None:
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(b"keine Arbeitsmappe")
    with pytest.raises(RuntimeError, match="nicht zurückgegeben"):
        nachrechnen([kaputt], tmp_path / "aus")


@pytest.mark.parametrize("wer", ["ich", "kollegin"])
def test_tippen_mit_sperrdatei_daneben(tmp_path: Path, wer: str) -> None:
    """A lock file beside the file (`.~lock.NAME#`), of this user as a soffice that died in a
    first attempt leaves it: `in_calc_tippen` failed with "'NoneType' object has no attribute
    'CurrentController'" (Calc asks whether to open a file locked by yourself, and headless
    nobody answers). One of another user opened the file read-only, and typing changed
    nothing. Calc works on a private copy now; the lock file stays as it was."""
    import getpass
    import socket

    from libreoffice import in_calc_tippen

    pfad = _xlsxwriter_mappe(tmp_path / "Mappe.xlsx", 3)
    sperre = tmp_path / ".~lock.Mappe.xlsx#"
    inhalt = (
        f",{getpass.getuser()},{socket.gethostname()},05.12.2026 09:14,file:///tmp/profil;"
        if wer == "ich"
        else ",Hans Kämmerei,PC-17,05.12.2026 09:14,file:///C:/Users/hans/LibreOffice/4;"
    )
    sperre.write_text(inhalt, encoding="utf-8")
    assert in_calc_tippen(pfad, "Rechnung", "A2", ["7"]) == [(7.0, "7")]
    assert sperre.read_text(encoding="utf-8") == inhalt


def test_soffice_hinterlaesst_nichts_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 24: /tmp held 2,300 sockets (OSL_PIPE_*) and 336 folders lu*.tmp of soffice
    runs of these tests. The UNO helpers killed soffice right after the script, before it
    could remove its sockets and temporary folder. Each soffice now keeps its temporary
    files in its own work folder and ends by itself (or its sockets are removed).

    TMPDIR points into tmp_path, so the helpers' work folders and what soffice leaves there
    can be seen; the sockets sal always puts in /tmp are looked up by name: the one of the
    profile (SingleOfficeIPC_ and the MD5 of the profile's URL in UTF-16, hex without leading
    zeros) and the one of `--accept` (ikz_<name>_<uuid4>)."""
    import hashlib
    import os
    import tempfile
    import uuid

    from libreoffice import in_calc_tippen

    pfad = _xlsxwriter_mappe(tmp_path / "Mappe.xlsx", 3)
    temporaer = tmp_path / "tmp"
    temporaer.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporaer))
    monkeypatch.setattr(tempfile, "tempdir", str(temporaer))
    ordner: list[Path] = []
    mkdtemp = tempfile.mkdtemp

    def merken(*args: object, **kwargs: object) -> str:
        neu = mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        ordner.append(Path(neu))
        return neu

    monkeypatch.setattr(tempfile, "mkdtemp", merken)
    kennung = uuid.uuid4()
    monkeypatch.setattr(uuid, "uuid4", lambda: kennung)

    def sockets() -> list[Path]:
        namen = [f"ikz_tippen_{kennung.hex}"]
        for o in ordner:
            url = (o / "profil").as_uri().encode("utf-16-le")
            digest = hashlib.md5(url, usedforsecurity=False).digest()
            namen.append("SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest))
        return [Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{n}" for n in namen]

    try:
        assert in_calc_tippen(pfad, "Rechnung", "A2", ["7"]) == [(7.0, "7")]
        nachrechnen([pfad], tmp_path / "aus")
        assert len(ordner) >= 2
        assert sorted(temporaer.rglob("*")) == []
        assert [s.name for s in sockets() if s.exists()] == []
    finally:
        for s in sockets():  # this test's own, should it fail
            s.unlink(missing_ok=True)
