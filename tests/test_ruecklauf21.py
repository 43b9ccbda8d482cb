"""What the coordination team met after session 20 (round 21): a Kommune struck off and taken
back while the Korrektur copy was out, paths in the messages of 'pruefen' and 'konsolidieren',
the backups 'init --ersetzen' leaves, and dates that lie before a new Programmbeginn.

Each test drives the command as the team runs it and fails without the change it names. Kept
apart from test_kommune_umbenannt and test_pruefen, which other work changes at the same time.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from aufruf import ikz
from steuerungsmappe_tippen import eintragen
from test_kommune_umbenannt import ALT, _kostenausgleich, _spalte
from test_mutanten20 import _gestrichen_kopie_zurueck

# Struck off and taken back while the Korrektur copy is out ------------------------------------


def _kommentar_der_zeile(pfad: Path, kommune: str) -> str:
    """The comment at `kommune`'s share in the Kostenausgleich of the copy at `pfad`."""
    ws, zeilen = _kostenausgleich(pfad)
    c = ws.cell(zeilen[kommune], _spalte(ws, "Anteil individuell"))
    return " ".join(c.comment.text.split()) if c.comment is not None else ""


def test_zurueckgenommene_kommune_ist_im_zurueckgeschickten_exemplar_partnerkommune(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre (6 %) struck off AG-05 after its return, the Korrektur copy went out
    without her; then the Steuerungsgruppe takes her back, and the AG sends the copy back
    unchanged (her name still on Stärken-Schwächen, the shares 94 %). The check said
    "'Gemeinde Lehre' ist keine Partnerkommune dieser Arbeitsgruppe" – true of the copy's own
    list, not of today's Steuerungsmappe – and the sum and the next copy no longer named her
    6 %. Now her cell is a partner's, the sum says what stood at her, and so does her row in
    the next copy."""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = lauf.text.split(f"Antwort/{kopie.name} (AG-05)", 1)[1].split("Noch kein")[0]
    assert "keine Partnerkommune" not in antwort, antwort
    assert "Stärken-Schwächen!" not in antwort, antwort
    assert (
        "Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so anpassen, dass die Summe "
        f"genau 100 % ist. In einem früheren Rücklauf (AG-05.xlsx) stand Anteil individuell 6 % "
        f"bei '{ALT}' (Zeile 16 der damals eingesandten Mappe), seit dem Versand dieser Mappe "
        "wieder Partnerkommune dieser Arbeitsgruppe: In der Summe fehlt das; im "
        "Korrekturexemplar hat sie wieder eine Zeile." in antwort
    ), antwort
    kommentar = _kommentar_der_zeile(kopie, ALT)  # the next copy, written by this run
    assert (
        f"'{ALT}' ist seit dem Versand der Mappe wieder Partnerkommune dieser Arbeitsgruppe. "
        "In einem früheren Rücklauf (AG-05.xlsx) stand bei ihr Anteil individuell 6 % (Zeile 16 "
        "der damals eingesandten Mappe)." in kommentar
    ), kommentar


# Paths in the messages of 'pruefen' and 'konsolidieren' ---------------------------------------


def _zwei_ruecklaeufe(ab: Path) -> None:
    """The workbooks made, AG-02's return with a word for a number in eingang/Mail/ (a Korrektur
    copy follows), AG-03's valid one in eingang/Laufwerk/."""
    from test_pruefen import ruecklauf

    from ikz_excel import stammdaten

    assert ikz("init", "-a", str(ab)).code == 0
    assert ikz("erzeugen", "-a", str(ab)).code == 0
    st = stammdaten.lesen(ab / "Steuerungsmappe.xlsm")

    def text_in_zahl(eingaben: dict, _felder: dict) -> None:
        eingaben["tbl_Ressourcen"][1]["Menge"] = "zwei"

    ruecklauf(st, ab / "eingang" / "Mail" / "AG-02.xlsx", text_in_zahl, "AG-02")
    ruecklauf(st, ab / "eingang" / "Laufwerk" / "AG-03.xlsx", None, "AG-03")


def _pruefbericht_dateien(pfad: Path) -> list[str]:
    import openpyxl

    ws = openpyxl.load_workbook(pfad)["Dateien"]
    return [str(r[0]) for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]


@pytest.mark.parametrize("wie", ["absolut", "relativ"])
def test_pruefen_und_konsolidieren_nennen_die_berichte_gleich(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wie: str
) -> None:
    """`ikz pruefen` named the Prüfbericht and the folder of the Korrektur copies as the
    Arbeitsbereich was typed ("arbeitsmappen/berichte/Pruefbericht.xlsx"), `ikz konsolidieren`
    the same files absolutely: two names for one file. Both now name the Arbeitsbereich once and
    what they wrote relative to it, the Arbeitsbereich typed absolutely or relatively."""
    ab = tmp_path / "arbeitsmappen"
    _zwei_ruecklaeufe(ab)
    monkeypatch.chdir(tmp_path)
    a = str(ab) if wie == "absolut" else "arbeitsmappen"

    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz(befehl, "-a", a)

        assert lauf.code == 1, lauf.text
        assert f"Arbeitsbereich: {ab.resolve()} " in lauf.text, lauf.text
        assert "Prüfbericht: berichte/Pruefbericht.xlsx " in lauf.text, lauf.text
        assert (
            "Korrekturexemplar zum Zurückschicken an die Arbeitsgruppe in berichte/: "
            "Korrektur_AG-02.xlsx." in lauf.text
        ), lauf.text
        assert str(tmp_path) not in lauf.text.replace(f"Arbeitsbereich: {ab.resolve()} ", "")
    assert "Übersicht für die Lenkungsgruppe: Lenkungsgruppe_Uebersicht.xlsx" in lauf.text


def test_pruefen_eines_ordners_nennt_die_dateien_wie_konsolidieren(tmp_path: Path) -> None:
    """`ikz pruefen eingang/Mail` named AG-02's return 'AG-02.xlsx' in the console and the
    Prüfbericht, `ikz konsolidieren` and the Eingangsbuch 'Mail/AG-02.xlsx'; a workbook of
    ausgang/ checked by hand was only 'AG-01_….xlsx'. Now a return is named relative to
    eingang/ and another file of the Arbeitsbereich relative to it."""
    ab = tmp_path / "ab"
    _zwei_ruecklaeufe(ab)
    (mappe,) = (ab / "ausgang").glob("AG-01_*.xlsx")

    lauf = ikz("pruefen", "-a", str(ab), str(ab / "eingang" / "Mail"), str(mappe))

    assert "Mail/AG-02.xlsx (AG-02): fehlerhaft" in lauf.text, lauf.text
    assert f"ausgang/{mappe.name} (AG-01)" in lauf.text, lauf.text
    assert "Prüfbericht: berichte/Auswahl/Pruefbericht.xlsx" in lauf.text, lauf.text
    assert sorted(_pruefbericht_dateien(ab / "berichte" / "Auswahl" / "Pruefbericht.xlsx")) == [
        "Mail/AG-02.xlsx",
        f"ausgang/{mappe.name}",
    ]
    assert ikz("konsolidieren", "-a", str(ab)).code == 1
    assert "Mail/AG-02.xlsx" in _pruefbericht_dateien(ab / "berichte" / "Pruefbericht.xlsx")


# The backups of 'init --ersetzen' ----------------------------------------------------------------


def test_init_ersetzen_legt_die_sicherungen_in_einen_eigenen_ordner(tmp_path: Path) -> None:
    """Each 'ikz init --ersetzen' left a Steuerungsmappe_Sicherung_….xlsm beside the live
    Steuerungsmappe: after a few rebuilds the folder held several files that looked alike, and
    the user could open the wrong one. Now each goes into sicherungen/, and one an earlier
    version left beside it is moved there too (named, never deleted)."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    alt = ab / "Steuerungsmappe_Sicherung_2026-01-05_093000.xlsm"  # as earlier versions did
    inhalt = mappe.read_bytes()
    alt.write_bytes(inhalt)
    befehl = ("init", "--ersetzen", "--stammdaten", str(mappe), "-a", str(ab))

    erste, zweite = ikz(*befehl), ikz(*befehl)

    assert erste.code == 0 and zweite.code == 0, erste.text + zweite.text
    assert sorted(p.name for p in ab.iterdir() if p.suffix == ".xlsm") == [mappe.name]
    gesichert = sorted((ab / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm"))
    assert len(gesichert) == 3 and alt.name in [p.name for p in gesichert], gesichert
    assert (ab / "sicherungen" / alt.name).read_bytes() == inhalt
    assert (
        "Die frühere Sicherung, die neben der Steuerungsmappe lag, ist nach sicherungen/ "
        f"verschoben: {alt.name}." in erste.text
    ), erste.text
    assert "Die bisherige Steuerungsmappe ist gesichert als sicherungen/Steuerungsmappe_" in (
        zweite.text
    )
    assert "frühere Sicherung" not in zweite.text, zweite.text


def test_unlesbare_steuerungsmappe_nennt_die_sicherung_wo_sie_liegt(tmp_path: Path) -> None:
    """An Arbeitsbereich of an earlier version has its backup beside the Steuerungsmappe; the
    Steuerungsmappe no longer opens (saved over with text). The message sent the user to
    "Steuerungsmappe_Sicherung_*.xlsm im Ordner sicherungen/", a folder that was not there; it
    names the backup where it lies, and once init has made sicherungen/, the newest there."""
    ab = tmp_path / "programm"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    alt = ab / "Steuerungsmappe_Sicherung_2026-01-05_093000.xlsm"  # as earlier versions did
    alt.write_bytes(mappe.read_bytes())
    mappe.write_text("Kommune;Einwohner\nHelmstedt;25389\n", encoding="utf-8")

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 2, lauf.text
    text = " ".join(lauf.text.split())
    assert f"Eine frühere Fassung ist gesichert als {alt.name} (im Ordner " in text, text
    assert "sicherungen/" not in text
    neu = ab / "sicherungen" / "Steuerungsmappe_Sicherung_2026-02-01_120000.xlsm"
    neu.parent.mkdir()
    neu.write_bytes(alt.read_bytes())
    text = " ".join(ikz("erzeugen", "-a", str(ab)).text.split())
    assert f"gesichert als sicherungen/{neu.name} (im Ordner " in text, text


# Dates against a new Programmbeginn ------------------------------------------------------------


def _neue_laufzeit(ab: Path, beginn: date, ende: date) -> Path:
    """The example's Steuerungsmappe with a new Programmlaufzeit typed on Parameter, its
    Abgabetermine and Meilensteine left as they were (2012 and 2013)."""
    from steuerungsmappe_tippen import parameter_setzen

    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    parameter_setzen(mappe, "Programmbeginn", datetime.combine(beginn, datetime.min.time()))
    parameter_setzen(mappe, "Programmende", datetime.combine(ende, datetime.min.time()))
    parameter_setzen(mappe, "Startjahr", ende.year)
    return mappe


def test_alle_termine_vor_dem_neuen_programmbeginn_eine_meldung(tmp_path: Path) -> None:
    """A new programme typed over the example: Programmbeginn 01.02.2027, the Abgabetermine
    (30.11.2012) and Meilensteine (2012/2013) left as they were. 'ikz erzeugen' listed
    eighteen times "… liegt außerhalb des erlaubten Bereichs … Bitte korrigieren." and did not
    say that all dates still were the old ones (the README only warned). Now one Fehler names
    the cells and says what to do."""
    ab = tmp_path / "ab"
    _neue_laufzeit(ab, date(2027, 2, 1), date(2029, 12, 31))

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 2, lauf.text
    assert "außerhalb des erlaubten Bereichs" not in lauf.text, lauf.text
    assert lauf.text.count("•") == 1, lauf.text
    assert (
        "Parameter!B10 (Programmbeginn): Alle Termine der Steuerungsmappe liegen vor dem "
        "Programmbeginn 01.02.2027: die Abgabetermine (Arbeitsgruppen!F4 bis F13) und die "
        "Termine der Meilensteine (Zeitplan!C4 bis C11), vom 03.04.2012 bis 30.04.2013. "
        "Vermutlich stehen dort noch die des Beispielprogramms oder eines früheren Programms. "
        "Bitte die Termine des neuen Programms eintragen (vom 01.02.2027 bis 31.12.2029); "
        "stimmt der Programmbeginn nicht, ihn hier korrigieren." in lauf.text
    ), lauf.text


def test_einzelner_termin_vor_dem_programmbeginn_bleibt_an_seiner_zelle(tmp_path: Path) -> None:
    """Only one date before the Programmbeginn, the others in the Laufzeit: that one keeps its
    own Fehler at its cell; nothing speaks of "alle Termine"."""
    from steuerungsmappe_tippen import eintragen, spalte

    ab = tmp_path / "ab"
    mappe = _neue_laufzeit(ab, date(2012, 2, 1), date(2014, 12, 31))
    ags = [a for a in spalte(mappe, "tbl_Arbeitsgruppen", "AG") if a]
    eintragen(mappe, ("tbl_Arbeitsgruppen", ags[0], "Abgabetermin", datetime(2011, 11, 30)))

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 2, lauf.text
    assert "Alle Termine" not in lauf.text, lauf.text
    assert (
        "Arbeitsgruppen!F4 (Abgabetermin): 30.11.2011 liegt außerhalb des erlaubten Bereichs"
        in lauf.text
    ), lauf.text


def test_programmende_ohne_jahr_im_jahr_des_speicherns(tmp_path: Path) -> None:
    """The Steuerungsgruppe sets up next year's programme in December: Programmbeginn
    01.01. of the year after next, the Programmende typed "31.12." – Excel makes it 31.12. of
    the year of typing, before the Programmbeginn. Checked in January, the Fehler did not ask
    whether the year was left out: it looked only at today's year. Now the year the
    Steuerungsmappe was saved counts too (as for the dates of a return)."""
    import re

    import korpus

    heute = date.today()
    getippt = heute.year - 1  # saved last December
    ab = tmp_path / "ab"
    mappe = _neue_laufzeit(ab, date(heute.year + 1, 1, 1), date(getippt, 12, 31))
    paket = korpus.Paket.lesen(mappe)
    kern = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*(<)",
        rf"\g<1>{getippt}-12-15T10:00:00Z\g<2>",
        paket.text("docProps/core.xml"),
    )
    assert f"{getippt}-12-15" in kern
    paket.setzen("docProps/core.xml", kern)
    paket.schreiben(mappe)

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 2, lauf.text
    assert (
        f"Das Programmende (31.12.{getippt}) liegt nicht nach dem Programmbeginn "
        f"(01.01.{heute.year + 1}). Wurde das Jahr beim Eintippen weggelassen? Excel setzt dann "
        "das laufende Jahr ein. Bitte beide Daten prüfen." in lauf.text
    ), lauf.text
