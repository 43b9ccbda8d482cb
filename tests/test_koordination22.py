"""What a careless coordination team met in session 22: every command names the
Arbeitsbereich once in full and the files it wrote relative to it, and the slips of a busy
day (returns saved the wrong way, commands run in the wrong place).

Each test drives `ikz` as the team types it and fails without the change it names.
"""

from __future__ import annotations

import os
import time
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


# Commands run in the wrong place --------------------------------------------------------------


@pytest.fixture
def bereich(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An Arbeitsbereich 'ab' after init, the current directory its parent."""
    monkeypatch.chdir(tmp_path)
    assert ikz("init", "-a", "ab").code == 0
    return tmp_path / "ab"


@pytest.mark.parametrize("befehl", ["pruefen", "konsolidieren", "erzeugen"])
def test_arbeitsbereich_auf_eingang_oder_die_steuerungsmappe(bereich: Path, befehl: str) -> None:
    """`-a ab/eingang` or `-a ab/Steuerungsmappe.xlsm` was answered with "Bitte zuerst 'ikz init
    --arbeitsbereich ab/eingang' ausführen": a second Arbeitsbereich among the returns. Now ikz
    says which folder was meant."""
    (bereich / "eingang" / "Mail").mkdir(parents=True)
    for falsch, teil in (("ab/eingang", "eingang/"), ("ab/eingang/Mail", "eingang/Mail/")):
        lauf = ikz(befehl, "-a", falsch)
        assert lauf.code == 2, lauf.text
        assert (
            f"{falsch} ist kein Arbeitsbereich, sondern der Ordner {teil} im Arbeitsbereich ab. "
            "Bitte '--arbeitsbereich ab' angeben" in lauf.fehlertext
        ), lauf.text
        assert "ikz init" not in lauf.text
    lauf = ikz(befehl, "-a", "ab/Steuerungsmappe.xlsm")
    assert lauf.code == 2
    assert (
        "ab/Steuerungsmappe.xlsm ist eine Datei, kein Ordner. Mit --arbeitsbereich wird der "
        "Ordner angegeben, in dem die Steuerungsmappe liegt: '--arbeitsbereich ab'."
        in lauf.fehlertext
    ), lauf.text


def test_init_legt_keinen_arbeitsbereich_in_eingang_an(
    bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside eingang/ (`-a .`) or pointed at it, init wrote the example Steuerungsmappe
    and ausgang/, eingang/ ... among the returns; konsolidieren then read them as returns."""
    (bereich / "eingang" / "Mail").mkdir(parents=True)
    lauf = ikz("init", "-a", "ab/eingang")
    assert lauf.code == 2, lauf.text
    assert (
        "ab/eingang liegt im Arbeitsbereich ab (Ordner eingang/); dort wird kein zweiter "
        "angelegt. Für diesen Arbeitsbereich '--arbeitsbereich ab' angeben" in lauf.fehlertext
    ), lauf.text
    monkeypatch.chdir(bereich / "eingang" / "Mail")
    assert ikz("init", "-a", ".").code == 2
    assert sorted(p.name for p in (bereich / "eingang").rglob("*")) == ["Mail"]
    # a programme's own folder beside another's Steuerungsmappe stays the user's choice
    monkeypatch.chdir(bereich.parent)
    assert ikz("init", "-a", "ab/2013").code == 0


def test_umbenannte_steuerungsmappe(bereich: Path) -> None:
    """Renamed to "Steuerungsmappe IKZ 2012.xlsm", the answer was "Bitte zuerst 'ikz init'",
    which writes the example programme beside the team's own."""
    (bereich / "Steuerungsmappe.xlsm").rename(bereich / "Steuerungsmappe IKZ 2012.xlsm")
    lauf = ikz("erzeugen", "-a", "ab")
    assert lauf.code == 2
    assert (
        "Im Arbeitsbereich ab gibt es keine Steuerungsmappe.xlsm, aber Steuerungsmappe IKZ "
        "2012.xlsm. Wurde die Steuerungsmappe umbenannt? ikz liest nur die Datei mit dem Namen "
        "Steuerungsmappe.xlsm: bitte sie wieder so nennen" in lauf.fehlertext
    ), lauf.text
    assert not (bereich / "ausgang").exists() or not any((bereich / "ausgang").iterdir())


def test_ordner_mit_ruecklaeufen_ist_keine_umbenannte_steuerungsmappe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of returns downloaded from the mail (no Arbeitsbereich) named with -a: the
    answer asked whether "AG-01.xlsx" was the renamed Steuerungsmappe and to name it so. A
    Steuerungsmappe is an .xlsm; for this folder the answer is the one it was."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Downloads").mkdir()
    (tmp_path / "Downloads" / "AG-01.xlsx").write_bytes(b"PK")
    lauf = ikz("pruefen", "-a", "Downloads")
    assert lauf.code == 2, lauf.text
    assert "umbenannt" not in lauf.fehlertext, lauf.text
    assert "Bitte zuerst 'ikz init --arbeitsbereich Downloads'" in lauf.fehlertext, lauf.text


# What else lands in eingang/ ------------------------------------------------------------------


def test_pdf_eml_und_zip_in_eingang(bereich: Path) -> None:
    """A return printed to PDF, a mail saved as .eml, and a zip whose names are UTF-8 without
    the zip's UTF-8 flag (macOS, Linux, many tools). The PDF and the mail were told "Bitte die
    ausgefüllte Arbeitsmappe senden, nicht eine exportierte Tabelle" (the Steuerungsgruppe
    saved them itself; the workbook is attached to the mail), the zip named
    'AG-01 ausgef├╝llt.xlsx'."""
    import zipfile

    eingang = bereich / "eingang"
    eingang.mkdir(exist_ok=True)
    (eingang / "AG-01 Druck.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (eingang / "Rücklauf AG-02.eml").write_bytes(
        b"Return-Path: <ag02@lehre.de>\r\nFrom: AG-02 <ag02@lehre.de>\r\nSubject: Ruecklauf\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
    )
    # the name's UTF-8 bytes without the flag, as Python writes no such zip itself
    with zipfile.ZipFile(eingang / "AG-03.zip", "w") as z:
        z.writestr("AG-03 ausgef##llt.xlsx", b"PK")
    roh = (eingang / "AG-03.zip").read_bytes()
    (eingang / "AG-03.zip").write_bytes(roh.replace(b"##", "ü".encode()))
    assert not zipfile.ZipFile(eingang / "AG-03.zip").infolist()[0].flag_bits & 0x800

    lauf = ikz("pruefen", "-a", "ab")

    assert lauf.code == 1, lauf.text
    assert (
        "AG-01 Druck.pdf: Die Datei ist ein PDF (etwa die gedruckte Arbeitsmappe), keine "
        "Excel-Arbeitsmappe; aus ihm lassen sich die Angaben nicht lesen." in lauf.text
    ), lauf.text
    assert (
        "Rücklauf AG-02.eml: Die Datei ist eine gespeicherte E-Mail (.eml), keine Arbeitsmappe. "
        "Bitte den Anhang (die Arbeitsmappe, .xlsx) aus der Mail speichern" in lauf.text
    ), lauf.text
    assert "Die Datei ist ein Zip-Archiv mit 'AG-03 ausgefüllt.xlsx' darin" in lauf.text, lauf.text
    assert "exportierte Tabelle" not in lauf.text


def test_uebersicht_beim_konsolidieren_in_calc_geoeffnet(bereich: Path) -> None:
    """The overview open in LibreOffice while konsolidieren writes it: the file is replaced
    (Calc holds no lock the system enforces), Calc keeps showing the old figures, and saving
    there would bring them back. Nothing was said."""
    (bereich / ".~lock.Lenkungsgruppe_Uebersicht.xlsx#").write_text(
        ",Hans Kämmerei,PC-17,05.12.2026 09:14,file:///C:/Users/hans/AppData/Roaming/LibreOffice/4;"
    )
    lauf = ikz("konsolidieren", "-a", "ab")
    assert lauf.code == 0, lauf.text
    assert (
        "Achtung: Lenkungsgruppe_Uebersicht.xlsx war beim Schreiben geöffnet (Hans Kämmerei hat "
        "sie geöffnet, so die Sperrdatei .~lock.Lenkungsgruppe_Uebersicht.xlsx# daneben). Dort "
        "bitte ohne Speichern schließen und neu öffnen" in lauf.text
    ), lauf.text
    assert "Pruefbericht.xlsx war beim Schreiben" not in lauf.text
    sperre = bereich / "berichte" / ".~lock.Pruefbericht.xlsx#"
    sperre.write_text(",Eva,PC-3,05.12.2026;")
    # opened before the runs; one opened after the last write sees what is there (review 24)
    os.utime(sperre, (time.time() - 3600, time.time() - 3600))
    lauf = ikz("pruefen", "-a", "ab")
    assert "berichte/Pruefbericht.xlsx war beim Schreiben geöffnet (Eva hat sie" in lauf.text
    assert "Lenkungsgruppe_Uebersicht.xlsx war" not in lauf.text


@pytest.mark.parametrize("geloescht", ["archiv", "archiv/Eingangsbuch.csv"])
def test_archiv_oder_eingangsbuch_von_hand_geloescht(bereich: Path, geloescht: str) -> None:
    """archiv/ (or its Eingangsbuch) deleted to "tidy up" after a konsolidieren: the next run
    said "2 neu archiviert" as if the returns had just come in; the ledger's history was gone
    without a word."""
    import shutil

    eingang = bereich / "eingang"
    eingang.mkdir(exist_ok=True)
    (eingang / "AG-01.csv").write_text("AG;Kapitalwert\nAG-01;1000\n")  # archived all the same
    assert ikz("konsolidieren", "-a", "ab").code in (0, 1)
    lauf = ikz("konsolidieren", "-a", "ab")
    assert "Achtung" not in lauf.text, lauf.text  # an ordinary second run
    ziel = bereich / geloescht
    shutil.rmtree(ziel) if ziel.is_dir() else ziel.unlink()

    lauf = ikz("konsolidieren", "-a", "ab")

    name = "archiv/" if geloescht == "archiv" else geloescht
    assert (
        f"Achtung: {name} fehlte, obwohl hier schon konsolidiert wurde (gelöscht oder "
        "verschoben?); das Eingangsbuch beginnt neu" in lauf.text
    ), lauf.text


def test_unbearbeitetes_korrekturexemplar_in_eingang(tmp_path: Path) -> None:
    """The Korrektur copy put into eingang/ before it went to the AG: it counted as AG-02's
    newest return ("es zählt Korrektur_AG-02-…"), and nothing said that nobody had worked in
    it. A copy the AG opened and saved has other bytes and is not named."""
    import shutil

    assert ikz("demo", "-a", str(tmp_path / "demo")).code == 0
    ab = tmp_path / "demo"
    kopie = next((ab / "berichte").glob("Korrektur_AG-02*.xlsx"))
    shutil.copy2(kopie, ab / "eingang" / kopie.name)

    # pruefen without reports first: a run that writes the copies anew writes the one in
    # berichte/ from the copy in eingang/, and the bytes no longer match (said once, then)
    for befehl in (("pruefen", "--ohne-berichte"), ("konsolidieren",)):
        lauf = ikz(*befehl, "-a", str(ab))
        assert (
            f"Achtung: eingang/{kopie.name} ist ein Korrekturexemplar aus berichte/, "
            "unverändert, also noch nicht von der Arbeitsgruppe bearbeitet" in lauf.text
        ), lauf.text
        assert lauf.text.count("ist ein Korrekturexemplar aus berichte/") == 1
