"""The coordination team in a real week (session 24): workspaces on paths with spaces and
umlauts, commands run from the folder above, returns saved under another AG's name."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.aufruf import ikz
from tests.steuerungsmappe_tippen import parameter_setzen


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


def test_mappe_einer_anderen_ag_unter_dem_namen_einer_ag_ohne_ruecklauf(oben: Path) -> None:
    """AG-04 sends "AW_ AG-04 Kultur (2).xlsx", but it is AG-01's workbook (AG-04 filled the
    wrong blank one, or forwarded AG-01's return unchanged). It counts for AG-01, by _ikz;
    AG-04 stood under "Noch kein Rücklauf erkannt" as if it had sent nothing, and for the
    byte-identical copy neither pruefen nor konsolidieren said a word about the name. Whom to
    ask is AG-04, not whom to remind of the deadline."""
    from ikz_excel import knoepfe

    ab = oben / "Zusammenführung"
    assert ikz("erzeugen", "-a", "Zusammenführung").code == 0
    (ag01,) = (ab / "ausgang").glob("AG-01_*.xlsx")
    mail = ab / "eingang" / "KW 48" / "Mail Meier"
    mail.mkdir(parents=True)
    shutil.copy(ag01, mail / "AG-01 Rechenzentrum.xlsx")
    shutil.copy(ag01, mail / "AW_ AG-04 Kultur (2).xlsx")  # the same bytes

    lauf = ikz("pruefen", "-a", "Zusammenführung")
    assert lauf.code == 1, lauf.text
    assert (
        "Warnung KW 48/Mail Meier/AW_ AG-04 Kultur (2).xlsx: Der Dateiname nennt AG-04, die "
        "Mappe gehört aber zu AG-01" in lauf.text
    ), lauf.text
    assert (
        "AG-04 Kultur-/Tourismusförderung (Abgabetermin 30.11.2012; unter ihrem Namen, aber "
        "nicht ihre Mappe: KW 48/Mail Meier/AW_ AG-04 Kultur (2).xlsx (Mappe von AG-01))"
        in lauf.text
    ), lauf.text
    assert "AG-05 Gebäude-/Facilitymanagement (Abgabetermin 30.11.2012)" in lauf.text

    lauf = ikz("konsolidieren", "-a", "Zusammenführung")
    assert lauf.code == 1, lauf.text
    assert (
        "AG-04: kein eigener Rücklauf, aber unter ihrem Namen: KW 48/Mail Meier/AW_ AG-04 "
        "Kultur (2).xlsx (Mappe von AG-01). Erkannt wird eine Mappe am internen Blatt _ikz: "
        "sie zählt für die andere Arbeitsgruppe. Bitte bei AG-04 nachfragen, ob sie die eigene "
        "Mappe schicken wollte (liegt in ausgang/, falls sie die falsche bekommen hat)."
        in lauf.text
    ), lauf.text

    status = knoepfe._pruefen(ab)
    assert "AG-04 (unter ihrem Namen die Mappe einer anderen AG)" in status.text, status.text

    # once AG-04's own workbook is there, nothing more is said about AG-04
    (ag04,) = (ab / "ausgang").glob("AG-04_*.xlsx")
    shutil.copy(ag04, mail / "AG-04 eigene.xlsx")
    lauf = ikz("konsolidieren", "-a", "Zusammenführung")
    assert "kein eigener Rücklauf" not in lauf.text, lauf.text


@pytest.mark.parametrize("blatt", ["Prioritaet", "Programm"])
def test_geloeschtes_blatt_der_steuerungsmappe_einmal_genannt(oben: Path, blatt: str) -> None:
    """A sheet deleted in the Steuerungsmappe (right click > Löschen in Excel) that holds two
    or three tables (Prioritaet: Punkte and Faktoren; Programm: Oberziele, Rahmenbedingungen,
    Phasen) was named as many times, word for word, in the list of errors."""
    import openpyxl

    mappe = oben / "Zusammenführung" / "Steuerungsmappe.xlsm"
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    del wb[blatt]
    wb.save(mappe)
    for befehl in ("konsolidieren", "erzeugen", "pruefen"):
        lauf = ikz(befehl, "-a", "Zusammenführung")
        assert lauf.code == 2, lauf.text
        assert lauf.text.count(f"Das Blatt {blatt} fehlt.") == 1, lauf.text


def _blatt_loeschen(mappe: Path, blatt: str) -> None:
    """Right click on the sheet's tab > Löschen in Excel, then save."""
    import openpyxl

    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    del wb[blatt]
    wb.save(mappe)


def test_geloeschte_prioritaet_neu_anlegen(oben: Path) -> None:
    """Sheet Prioritaet deleted: pruefen advised "die Vorlage verwenden (ikz init)", and
    'ikz init --ersetzen --stammdaten' stopped at the same missing sheet, a dead end. The
    message now gives the command, which lays the sheet anew (Faktoren of the template, no
    decisions) and keeps the Stammdaten of the other sheets (rest24)."""
    import openpyxl

    mappe = oben / "Zusammenführung" / "Steuerungsmappe.xlsm"
    parameter_setzen(mappe, "Programm", "Eigenes Programm 2027")  # own data on another sheet
    _blatt_loeschen(mappe, "Prioritaet")
    lauf = ikz("pruefen", "-a", "Zusammenführung")
    assert lauf.code == 2, lauf.text
    befehl = (
        "ikz init --arbeitsbereich Zusammenführung --ersetzen --stammdaten "
        "Zusammenführung/Steuerungsmappe.xlsm"
    )
    assert (
        "Das Blatt Prioritaet fehlt. Neu anlegen, mit den Faktoren der Vorlage und ohne "
        "Entscheidungen der Lenkungsgruppe (alle übrigen Stammdaten bleiben, die bisherige "
        f"Mappe wird gesichert): '{befehl}'." in lauf.text
    ), lauf.text
    assert "Vorlage der Steuerungsmappe verwenden" not in lauf.text

    lauf = ikz(*befehl.split()[1:])
    assert lauf.code == 0, lauf.text
    assert (
        "Warnung: Steuerungsmappe.xlsm: Das Blatt Prioritaet fehlte; es ist neu angelegt, mit "
        "den Faktoren der Vorlage (Monetärer Erfolg 3, Erfolgswahrscheinlichkeit 3, Aufwand 2, "
        "Personelle Kapazitäten 2, Rechtliche Vorgaben 1, Politische Widerstände 1) und ohne "
        "Entscheidungen der Lenkungsgruppe" in lauf.text
    ), lauf.text
    wb = openpyxl.load_workbook(mappe)
    assert "Prioritaet" in wb.sheetnames
    assert ("Programm", "Eigenes Programm 2027") in wb["Parameter"].iter_rows(
        max_col=2, values_only=True
    )
    assert ikz("erzeugen", "-a", "Zusammenführung").code == 0


@pytest.mark.parametrize("blatt", ["Programm", "Prioritaet"])
def test_geloeschtes_blatt_nennt_die_juengste_sicherung_mit_ihm(oben: Path, blatt: str) -> None:
    """ "Eine Sicherung Steuerungsmappe_Sicherung_*.xlsm, falls es eine gibt" left the team to
    open each backup; the newest that still has the sheet is named, with its time. Programm
    (the programme's Oberziele, Rahmenbedingungen, Phasen) is not laid anew by init (rest24)."""
    ab = oben / "Zusammenführung"
    mappe = ab / "Steuerungsmappe.xlsm"
    neu = ["init", "-a", "Zusammenführung", "--ersetzen", "--stammdaten", str(mappe)]
    assert ikz(*neu).code == 0
    (mit_blatt,) = (ab / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm")
    _blatt_loeschen(mappe, blatt)
    ohne = ab / "sicherungen" / "Steuerungsmappe_Sicherung_2099-01-01_000000.xlsm"
    shutil.copy(mappe, ohne)  # a newer backup, made after the sheet was deleted
    lauf = ikz("konsolidieren", "-a", "Zusammenführung")
    assert lauf.code == 2, lauf.text
    assert (
        f"Das Blatt {blatt} fehlt. Die jüngste Sicherung, die es noch hat, ist "
        f"sicherungen/{mit_blatt.name} (Stand " in lauf.text
    ), lauf.text
    if blatt == "Programm":
        assert ikz(*neu).code == 2  # not laid anew: it holds the programme's own data


@pytest.mark.parametrize(
    "inhalt",
    [
        b'<!DOCTYPE html>\n<html lang="de"><head><title>Anmelden</title></head></html>',
        b'\xef\xbb\xbf<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body/></html>',
        # comments before the page (a sign-in page's build note, Internet Explorer's
        # "saved from url") fell back to "keine Excel-Arbeitsmappe" (rest24)
        b"<!-- Anmeldeseite v2.3 -->\n<!DOCTYPE html>\n<html><head><title>Anmelden</title></html>",
        b"<!-- saved from url=(0040)https://sp.example/AG-03.xlsx -->\r\n<!-- x -->\r\n"
        b'<html lang="de"><body>Fehler</body></html>',
    ],
)
def test_webseite_unter_dem_namen_einer_mappe(oben: Path, inhalt: bytes) -> None:
    """A download from SharePoint, OneDrive or a webmail while not logged in saves the login
    page under the workbook's name ("AG-03 Wirtschaftsförderung.xlsx"). It was "keine
    Excel-Arbeitsmappe (z. B. CSV, Text oder PDF) … nicht eine exportierte Tabelle": the team
    would ask AG-03 about an export it never made, instead of downloading again."""
    ab = oben / "Zusammenführung"
    (ab / "eingang" / "AG-03 Wirtschaftsförderung.xlsx").write_bytes(inhalt)
    lauf = ikz("pruefen", "-a", "Zusammenführung")
    assert lauf.code == 1, lauf.text
    assert (
        "Fehler AG-03 Wirtschaftsförderung.xlsx: Die Datei ist eine Webseite (HTML), keine "
        "Arbeitsmappe: meist die Anmelde- oder Fehlerseite eines Downloads (SharePoint, "
        "OneDrive, Webmail), gespeichert unter dem Namen der Mappe, oder eine in Excel als "
        "Webseite gespeicherte Mappe. Bitte die Arbeitsmappe erneut herunterladen" in lauf.text
    ), lauf.text
    assert "nicht lesbar: AG-03 Wirtschaftsförderung.xlsx" in lauf.text


def test_demo_ersetzt_keinen_ordner_in_dem_gearbeitet_wurde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team tried `ikz demo`, then worked on in ikz-demo/: own Stammdaten typed into its
    Steuerungsmappe, a real return in eingang/. `ikz demo` run again (the README's first
    command, to show a colleague) deleted the folder with all of it, because its marker said
    "from a demo". Now only an untouched demo folder is replaced."""
    monkeypatch.chdir(tmp_path)
    assert ikz("demo").code == 0
    ab = tmp_path / "ikz-demo"
    assert ikz("demo").code == 0  # untouched: replaced as before

    (ag08,) = (ab / "ausgang").glob("AG-08_*.xlsx")
    echt = ab / "eingang" / "Mail Schulz" / "AG-08 Arbeitsschutz.xlsx"
    echt.parent.mkdir()
    shutil.copy(ag08, echt)
    mappe = ab / "Steuerungsmappe.xlsm"
    mappe.write_bytes(mappe.read_bytes() + b"\0")  # saved again in Excel, with own Stammdaten
    lauf = ikz("demo")
    assert lauf.code == 2, lauf.text
    assert (
        "Der Ordner ikz-demo stammt aus einer früheren Demo, aber seither wurde darin "
        "gearbeitet: Steuerungsmappe.xlsm wurde geändert; in eingang/ liegen 1 Datei(en), die "
        "die Demo nicht so geschrieben hat (Mail Schulz/AG-08 Arbeitsschutz.xlsx). Er wird "
        "darum nicht ersetzt." in lauf.fehlertext
    ), lauf.text
    assert echt.is_file()
    assert (ab / "archiv" / "Eingangsbuch.csv").is_file()


def test_demo_ersetzt_keinen_ordner_mit_arbeit_der_lenkungsgruppe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Lenkungsgruppe noted a priority in the demo's overview and saved it; konsolidieren
    then kept that overview in sicherungen/. `ikz demo` run again deleted both with the
    folder: it looked only at the Steuerungsmappe and eingang/ (rest24)."""
    import openpyxl

    monkeypatch.chdir(tmp_path)
    assert ikz("demo").code == 0
    ab = tmp_path / "ikz-demo"
    uebersicht = ab / "Lenkungsgruppe_Uebersicht.xlsx"
    wb = openpyxl.load_workbook(uebersicht)
    wb["Übersicht"]["Q5"] = 3  # as the Lenkungsgruppe types it in Excel and saves
    wb.save(uebersicht)
    # saved in its meeting, later than written (openpyxl stamps the second it saves in,
    # which may be the one the demo wrote it in)
    with zipfile.ZipFile(uebersicht) as z:
        teile = {info: z.read(info) for info in z.infolist()}
    with zipfile.ZipFile(uebersicht, "w", zipfile.ZIP_DEFLATED) as z:
        for info, daten in teile.items():
            if info.filename == "docProps/core.xml":
                daten = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2030-01-07T18:30:00Z", daten
                )
            z.writestr(info, daten)
    notiert = uebersicht.read_bytes()
    lauf = ikz("demo")
    assert lauf.code == 2, lauf.text
    assert (
        "seither wurde darin gearbeitet: Lenkungsgruppe_Uebersicht.xlsx wurde in Excel oder "
        "LibreOffice gespeichert (Notizen der Lenkungsgruppe?). Er wird darum nicht ersetzt."
        in lauf.fehlertext
    ), lauf.text
    assert uebersicht.read_bytes() == notiert

    assert ikz("konsolidieren", "-a", "ikz-demo").code == 1  # demo errors; keeps it
    (gesichert,) = (ab / "sicherungen").glob("Lenkungsgruppe_Uebersicht_bearbeitet_*.xlsx")
    lauf = ikz("demo")
    assert lauf.code == 2, lauf.text
    assert (
        f"seither wurde darin gearbeitet: in sicherungen/ liegen 1 Datei(en) ({gesichert.name})."
        in lauf.fehlertext
    ), lauf.text
    assert gesichert.read_bytes() == notiert


def test_zweimal_konsolidieren_laesst_den_pruefbericht_stehen(oben: Path) -> None:
    """README: "Zweimal hintereinander ausgeführt ändert sich nichts außer dem Zeitstempel der
    Übersicht." The Prüfbericht was written anew with the same bytes each time: a folder
    synchronised with the share uploaded it again, and a colleague who had it open was told
    it had been replaced. Now it keeps its date, as the Korrektur copies do, until a finding
    changes."""
    import os

    ab = oben / "Zusammenführung"
    assert ikz("erzeugen", "-a", "Zusammenführung").code == 0
    (ag02,) = (ab / "ausgang").glob("AG-02_*.xlsx")
    shutil.copy(ag02, ab / "eingang" / "AG-02.xlsx")
    assert ikz("konsolidieren", "-a", "Zusammenführung").code == 1
    bericht = ab / "berichte" / "Pruefbericht.xlsx"
    vorher = bericht.stat().st_mtime - 3600
    os.utime(bericht, (vorher, vorher))
    assert ikz("konsolidieren", "-a", "Zusammenführung").code == 1
    assert bericht.stat().st_mtime == vorher

    (ag05,) = (ab / "ausgang").glob("AG-05_*.xlsx")
    shutil.copy(ag05, ab / "eingang" / "AG-05.xlsx")  # a new return: new findings
    assert ikz("konsolidieren", "-a", "Zusammenführung").code == 1
    assert bericht.stat().st_mtime > vorher
    assert not list((ab / "berichte").glob(".*.tmp"))


def test_unlesbare_datei_im_ordner_einer_ag(oben: Path) -> None:
    """eingang/ sorted by AG, as the team files the mails: "AG-05/Arbeitsmappe.xlsx" with 0
    bytes (the download broke) left AG-05 under "Noch kein Rücklauf erkannt" with nothing
    more, and the overview said "kein Rücklauf": the team would remind AG-05 of the deadline
    instead of asking it to send again. A folder naming one AG now counts as the name."""
    from ikz_excel import konsolidieren

    ab = oben / "Zusammenführung"
    kaputt = ab / "eingang" / "AG-05" / "Arbeitsmappe.xlsx"
    kaputt.parent.mkdir(parents=True)
    kaputt.write_bytes(b"")
    (ab / "eingang" / "Mail vom 20.11.2012").mkdir()
    (ab / "eingang" / "Mail vom 20.11.2012" / "Rücklauf.xlsx").write_bytes(b"")
    lauf = ikz("pruefen", "-a", "Zusammenführung")
    assert lauf.code == 1, lauf.text
    assert (
        "AG-05 Gebäude-/Facilitymanagement (Abgabetermin 30.11.2012; nicht lesbar: "
        "AG-05/Arbeitsmappe.xlsx)" in lauf.text
    ), lauf.text
    assert "AG-04 Kultur-/Tourismusförderung (Abgabetermin 30.11.2012)" in lauf.text
    k = konsolidieren.konsolidieren(ab)
    (s,) = [s for s in k.ags if s.ag.kuerzel == "AG-05"]
    assert s.statustext == "kein lesbarer Rücklauf (nicht lesbar: AG-05/Arbeitsmappe.xlsx)"
