"""Leftovers noticed in session 23, each small (session 24).

Each test drives `ikz` as the coordination team types it (or the one function the team's
run goes through) and fails without the change it names.
"""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, in_calc_bearbeiten, in_calc_tippen
from steuerungsmappe_tippen import parameter_setzen, zelle
from test_steuerungsmappe_aendern import _ag10_zurueckgeschickt

from ikz_excel import berichte, erzeugen, knoepfe


def test_korrekturexemplar_ohne_inhalt_sagt_warum_auf_deutsch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a return needing a Korrektur copy have no tables at hand (it cannot happen as
    the check works today), the copy is not written: an `assert` inside the `try` made the
    Prüfbericht and the console say "AssertionError: …". Now the reason in German, and what
    to do, as for a full disk."""
    ab = tmp_path / "ab"
    mappe = _ag10_zurueckgeschickt(ab)
    parameter_setzen(mappe, "Kalkulationszinssatz", 0.025)  # a Warnung: a copy is due
    monkeypatch.setattr(berichte, "_korrekturinhalt", lambda d, st: None)
    lauf = ikz("pruefen", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    grund = (
        "Die Tabellen von Baeder.xlsx wurden nicht gelesen; ohne sie gibt es nichts, woraus das "
        "Korrekturexemplar entstehen könnte. Bitte der Arbeitsgruppe die Befunde dieser Datei "
        "schicken: Sie behebt sie in ihrer eigenen Mappe und schickt diese wieder ein."
    )
    assert f"1 Korrekturexemplar ließ sich nicht schreiben: {grund}" in lauf.text, lauf.text
    assert "Error" not in lauf.text
    assert not list((ab / "berichte").glob("Korrektur_*.xlsx"))
    wb = openpyxl.load_workbook(ab / "berichte" / "Pruefbericht.xlsx")
    texte = [str(z.value) for ws in wb for zeile in ws.iter_rows() for z in zeile if z.value]
    assert any(
        "Baeder.xlsx: Das Korrekturexemplar Korrektur_AG-10_Baeder.xlsx ließ sich nicht "
        f"schreiben: {grund} Die Befunde stehen hier im Prüfbericht." in t
        for t in texte
    ), texte
    assert not any("AssertionError" in t for t in texte)


def _gespeichert_um(pfad: Path, wann: str, wer: str = "Bürgermeisterin") -> None:
    """The overview as a spreadsheet program saves it: docProps "modified" (UTC) set to
    `wann` and "lastModifiedBy" to `wer`, the rest as ikz wrote it."""
    with zipfile.ZipFile(pfad) as alt:
        teile = {i: alt.read(i) for i in alt.infolist()}
    neu = pfad.with_suffix(".neu")
    with zipfile.ZipFile(neu, "w", zipfile.ZIP_DEFLATED) as z:
        for info, inhalt in teile.items():
            if info.filename == "docProps/core.xml":
                text = inhalt.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{wann}\g<2>",
                    text,
                )
                text = re.sub(
                    r"<cp:lastModifiedBy\s*/>|<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>",
                    "",
                    text,
                )
                text = text.replace(
                    "</cp:coreProperties>",
                    f"<cp:lastModifiedBy>{wer}</cp:lastModifiedBy></cp:coreProperties>",
                )
                inhalt = text.encode("utf-8")
            z.writestr(info, inhalt)
    neu.replace(pfad)


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Arbeitsbereich's machine in Germany (CET, UTC+1 in December)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_gesicherte_uebersicht_heisst_nach_ortszeit(tmp_path: Path, berlin: None) -> None:
    """The LG saves the overview at 00:30 on 6 December in Helmstedt; Excel notes 23:30 on the
    5th in docProps (UTC). The copy in sicherungen/ was named ..._20261205-2330 and the
    console said "am 05.12.2026": a day off, and in general an hour or two off the clock on
    the wall, unlike the Steuerungsmappe's backups there (local time). Now by local time."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("konsolidieren", "-a", str(ab)).code == 0
    _gespeichert_um(ab / "Lenkungsgruppe_Uebersicht.xlsx", "2026-12-05T23:30:00Z")
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    gesichert = [p.name for p in (ab / "sicherungen").iterdir()]
    assert gesichert == ["Lenkungsgruppe_Uebersicht_bearbeitet_20261206-0030.xlsx"]
    assert (
        "in Excel oder LibreOffice gespeichert worden (von Bürgermeisterin, am 06.12.2026)"
    ) in lauf.text, lauf.text


@braucht_libreoffice
def test_faktor_als_prozent_getippt_nennt_was_die_zelle_zeigt(tmp_path: Path) -> None:
    """A member of the Lenkungsgruppe types "50%" into a Faktor in Calc (the cell is formatted
    "0"). Calc stores 0,5 and keeps the format: the cell shows "1". The check said "0,5 ist
    keine ganze Zahl", a figure nobody had typed or seen; it now names both, and the 50 %."""
    ab = tmp_path / "ab"
    mappe, _ = erzeugen.init(ab)
    ort, _ = zelle(mappe, "tbl_Faktoren", "Monetärer Erfolg", "Faktor")
    blatt, adresse = ort.split("!")
    assert in_calc_tippen(mappe, blatt, adresse, ["50%"]) == [(0.5, "1")]
    getippt = tmp_path / "getippt.xlsm"
    in_calc_bearbeiten([(mappe, getippt, [("tippen", blatt, adresse, "50%")])])
    shutil.copyfile(getippt, mappe)
    lauf = ikz("pruefen", "-a", str(ab), "--ohne-berichte")
    assert lauf.code != 0
    assert (
        f"{ort} (Faktor): Hier steht 0,5, angezeigt gerundet als 1 (so wird auch „50 %“ "
        "gespeichert), also keine ganze Zahl. Bitte die gemeinte ganze Zahl ohne % und ohne "
        "Nachkommastellen eintippen."
    ) in lauf.text, lauf.text


@braucht_libreoffice
def test_als_ods_gespeicherte_uebersicht_wird_einmal_genannt(tmp_path: Path) -> None:
    """The LG notes priority 3 for AG-01 in the overview and saves it in LibreOffice as ODF
    (Lenkungsgruppe_Uebersicht.ods beside the .xlsx). No command reads it, and nothing said
    so: the team could think the note counts. The button and the console now say it once,
    after the copy was saved; a run after that is silent about it."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("konsolidieren", "-a", str(ab)).code == 0
    ods = ab / "Lenkungsgruppe_Uebersicht.ods"
    in_calc_bearbeiten(
        [(ab / "Lenkungsgruppe_Uebersicht.xlsx", ods, [("tippen", "Übersicht", "Q5", "3")])]
    )
    assert ods.is_file() and not list(ab.glob(".~lock*"))
    satz = (
        "Lenkungsgruppe_Uebersicht.ods wurde nach dem letzten Konsolidieren gespeichert, wird "
        "aber von keinem Befehl gelesen: Was die Lenkungsgruppe dort entschieden hat (Faktoren, "
        "abweichende Punkte, festgelegte Priorität), gilt nur, wenn es in der Steuerungsmappe "
        "steht (Blatt Prioritaet), also bitte dort eintragen und erneut konsolidieren."
    )
    status = knoepfe.AKTIONEN["konsolidieren"](ab)
    assert satz in status.warnungen, status
    # saved once more after that run; the console says it, the next run no more
    time.sleep(0.05)
    ods.write_bytes(ods.read_bytes())
    lauf = ikz("konsolidieren", "-a", str(ab))
    assert lauf.code == 0, lauf.text
    assert f"Achtung: {satz}" in lauf.text, lauf.text
    assert lauf.text.count("Lenkungsgruppe_Uebersicht.ods") == 1
    assert not (ab / "sicherungen").exists()  # the .xlsx was not saved by anyone
    zweiter = ikz("konsolidieren", "-a", str(ab))
    assert "Lenkungsgruppe_Uebersicht.ods" not in zweiter.text, zweiter.text
    assert satz not in knoepfe.AKTIONEN["konsolidieren"](ab).warnungen
