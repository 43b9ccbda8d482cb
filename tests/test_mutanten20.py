"""Tests against hand-made mutants that went unnoticed (round 20: the mutants session 19 left
unrun – the rebuild of an own programme's Steuerungsmappe, 'ikz init', the overview, the
check of a Korrektur copy sent back, reading returns and the rows that grow as the clerk
types).

Each test drives the behaviour the way the clerk or the Steuerungsgruppe meets it – `ikz
init`, `ikz pruefen`, the Korrektur copy the clerk opens – and fails with the mutant named in
its docstring. Kept apart from test_pruefen and test_kommune_umbenannt, which other work
changes at the same time.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from aufruf import ikz
from steuerungsmappe_tippen import eintragen, zelle
from test_kommune_umbenannt import ALT, _ohne_alt, _ruecklauf

from ikz_excel import erzeugen

# The Korrektur copy sent back ------------------------------------------------------------------


def _gestrichen_kopie_zurueck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path, Path, str]:
    """AG-05's return in eingang/, Gemeinde Lehre (6 %) struck off its Partnerkommunen,
    `ikz pruefen` writes the Korrektur copy, the AG sends it back unchanged (the first return
    taken out of eingang/). (Arbeitsbereich, Steuerungsmappe, copy, the partners before.)"""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))
    lauf = ikz("pruefen", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    (ab / "eingang" / "AG-05.xlsx").unlink()
    (ab / "eingang" / "Antwort").mkdir()
    shutil.copy(kopie, ab / "eingang" / "Antwort" / kopie.name)
    return ab, mappe, kopie, str(partner)


def test_wieder_aufgenommene_kommune_heisst_nicht_weggefallen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre was struck off AG-05 after its return, the Korrektur copy went out
    without her and noted her 6 %; then the Steuerungsgruppe takes her back (the strike was a
    mistake) and the AG sends the copy back. The check of the copy must not call her "seit
    dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe mehr (jetzt: …; Gemeinde
    Lehre)", nor ask to spread her 6 % on the others: she is a partner.
    Mutant P1 (round 19): the former partners of the note taken without leaving out today's."""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    assert ALT in partner.split("; ")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Antwort/{kopie.name} (AG-05)", 1)[1]
    assert "Partnerkommunen jetzt auch Gemeinde Lehre" in antwort, antwort  # the copy's partners
    assert "seit dem Versand der Mappe keine Partnerkommune" not in antwort, antwort
    assert f"bei '{ALT}'" not in antwort and "In der Summe fehlt" not in antwort, antwort


def test_kommentar_des_korrekturexemplars_in_der_gemessenen_schrift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comment at a red cell of the Korrektur copy is as high as its text measured in
    Arial 8 (`erzeugen.kommentargroesse`). Written in XlsxWriter's default font instead,
    Tahoma 8, each line is wider than measured, the text wraps into more lines than the box
    holds and the last sentence ("Bitte …") is cut off when the clerk points at the cell, in
    Excel and in LibreOffice. Every run of every comment of the copy `ikz pruefen` writes is
    in the font measured. Mutant G4 (round 19): the font left out."""
    ab, _, kopie, _ = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)

    with zipfile.ZipFile(kopie) as z:
        kommentare = [z.read(n).decode() for n in z.namelist() if re.search(r"comments\d+\.xml", n)]
    laeufe = [r for k in kommentare for r in re.findall(r"<rPr>.*?</rPr>", k, re.S)]

    name, groesse = erzeugen.KOMMENTAR_SCHRIFT
    assert laeufe, kommentare  # the copy marks her cells
    for lauf in laeufe:
        assert f'<rFont val="{name}"/>' in lauf and f'<sz val="{groesse}"/>' in lauf, lauf
