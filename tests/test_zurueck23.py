"""Leftovers of round 22 around Kommunen taken back, misnamed, and figures in the wrong cell
(round 23). Each test drives `ikz pruefen` as the team runs it and fails without the change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, in_calc_bearbeiten
from steuerungsmappe_tippen import _zelle, eintragen, zelle
from test_kommune_umbenannt import ALT, _ohne_alt, _ruecklauf
from test_mutanten20 import _gestrichen_kopie_zurueck
from test_pruefen import Eingaben, lage, ruecklauf, schluessel_waehlen
from test_ruecklauf21 import _kommentar_der_zeile

from ikz_excel import erzeugen, stammdaten
from ikz_excel.pruefen import WEGGEFALLENE


def _vermerk(pfad: Path) -> list[dict]:
    """The former partners the copy at `pfad` notes in `_ikz`."""
    wb = openpyxl.load_workbook(pfad)
    werte = [r[1].value for r in wb["_ikz"].iter_rows() if r[0].value == WEGGEFALLENE]
    return json.loads(werte[0]) if werte else []


def _zurueckschicken(ab: Path, kopie: Path, ordner: str) -> Path:
    """The AG sends the copy at `kopie` back unchanged into eingang/`ordner` (the earlier
    answers taken out of eingang/)."""
    for alt in (ab / "eingang").iterdir():
        shutil.rmtree(alt) if alt.is_dir() else alt.unlink()
    zurueck = ab / "eingang" / ordner / kopie.name
    zurueck.parent.mkdir()
    shutil.copy(kopie, zurueck)
    return zurueck


def test_zweimal_gestrichen_mit_leerer_zelle_behaelt_den_frueheren_anteil(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre (6 %) struck off AG-05 and taken back; the copy with her row again comes
    back with her cell empty, and she is struck off a second time (then taken back again).
    The note of the next copy recorded her empty cell instead of her 6 %: taken back once more,
    the sum said only "94 %, nicht 100 %" and her cell "hatte keine Zeile für sie". Now the
    older figure stays noted, with where it stood, and is named again."""
    ab, mappe, kopie, partner = _gestrichen_kopie_zurueck(tmp_path, monkeypatch, capsys)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))
    assert ikz("pruefen", "-a", str(ab)).code == 1  # her row is back, her cell empty
    zurueck = _zurueckschicken(ab, ab / "berichte" / kopie.name, "Zweite Antwort")

    # struck off again, her cell in the copy sent back still empty
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))
    lauf = ikz("pruefen", "-a", str(ab))
    antwort = " ".join(lauf.text.split(f"Zweite Antwort/{zurueck.name} (AG-05)", 1)[1].split())
    assert "bitte ihre 6 % auf die Partnerkommunen verteilen" in antwort, antwort
    naechste = ab / "berichte" / zurueck.name
    (eintrag,) = _vermerk(naechste)
    assert (eintrag["kommune"], eintrag["wert"], eintrag["datei"], eintrag["zeile"]) == (
        ALT,
        0.06,
        "AG-05.xlsx",
        16,
    ), eintrag

    # that copy sent back unchanged, she is taken back again
    zurueck = _zurueckschicken(ab, naechste, "Dritte Antwort")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", partner))
    lauf = ikz("pruefen", "-a", str(ab))
    antwort = " ".join(lauf.text.split(f"Dritte Antwort/{zurueck.name} (AG-05)", 1)[1].split())
    assert (
        "Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so anpassen, dass die Summe "
        "genau 100 % ist. In einem früheren Rücklauf (AG-05.xlsx) stand Anteil individuell 6 % "
        f"bei '{ALT}' (Zeile 16 der damals eingesandten Mappe), seit dem Versand dieser Mappe "
        "wieder Partnerkommune" in antwort
    ), antwort
    kommentar = _kommentar_der_zeile(ab / "berichte" / zurueck.name, ALT)
    assert "stand bei ihr Anteil individuell 6 % (Zeile 16" in kommentar, kommentar


ZWEITE = "Samtgemeinde Velpke"


def test_zwei_zurueckgenommene_nur_eine_mit_zeile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre and Samtgemeinde Velpke (6 % each) struck off AG-05; Lehre taken back,
    the copy with her row (cell empty) comes back unchanged after Velpke is taken back too.
    The sum said "im Korrekturexemplar hat jede wieder eine Zeile", as if Lehre had none in
    the copy the AG had just filled in. Now it names who has a row again and whose shares to
    enter."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen")
    alle = str(partner).split("; ")
    ohne = "; ".join(p for p in alle if p not in (ALT, ZWEITE))
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", ohne))
    assert ikz("pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    _zurueckschicken(ab, kopie, "Antwort")
    # Gemeinde Lehre taken back: the next copy has her row again, her cell empty
    ohne_zweite = "; ".join(p for p in alle if p != ZWEITE)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", ohne_zweite))
    assert ikz("pruefen", "-a", str(ab)).code == 1
    zurueck = _zurueckschicken(ab, kopie, "Zweite Antwort")
    # Samtgemeinde Velpke taken back too: the copy sent back has a row for Lehre only
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", str(partner)))

    lauf = ikz("pruefen", "-a", str(ab))

    antwort = " ".join(lauf.text.split(f"Zweite Antwort/{zurueck.name} (AG-05)", 1)[1].split())
    assert (
        f"seit dem Versand dieser Mappe wieder Partnerkommune dieser Arbeitsgruppe. Bei '{ALT}' "
        "stand früher Anteil individuell 6 % (Rücklauf AG-05.xlsx, Zeile 16 der damals "
        "eingesandten Mappe); ihre Zelle in dieser Mappe ist leer: In der Summe fehlt das; im "
        f"Korrekturexemplar hat '{ZWEITE}' wieder eine Zeile. Bitte dort die Anteile von "
        f"'{ZWEITE}' und '{ALT}' eintragen (0 % ist erlaubt)." in antwort
    ), antwort
    assert "jede wieder eine Zeile" not in antwort, antwort


def test_kommune_mit_punkt_oder_ohne_leerzeichen_bekommt_einen_vorschlag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kommunen typed as clerks abbreviate them: 'Lk.Helmstedt' (no space after the dot),
    'S.G. Velpke' (dots in the short form), 'SG Nordelm' (without the hyphen of 'Nord-Elm').
    Each was "keine Partnerkommune dieser Arbeitsgruppe" without a suggestion, while 'LK
    Helmstedt' or 'SG Nord-Elm' got "Meinten Sie …?". Now they get it too, still a Fehler:
    a suggestion only, nothing is read as the partner."""
    ab, _, _ = _ruecklauf(
        tmp_path,
        monkeypatch,
        capsys,
        "AG-05",
        geschrieben={"Landkreis Helmstedt": "Lk.Helmstedt", "Samtgemeinde Velpke": "S.G. Velpke"},
    )
    ruecklauf = ab / "eingang" / "AG-05.xlsx"
    wb = openpyxl.load_workbook(ruecklauf)
    ws = wb["Stärken-Schwächen"]
    zeile = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Stadt Helmstedt")
    ws.cell(zeile, 1).value = "SG Nordelm"
    wb.save(ruecklauf)

    lauf = ikz("pruefen", "-a", str(ab))

    assert lauf.code == 1, lauf.text
    text = " ".join(lauf.text.split())
    for getippt, gemeint in (
        ("Lk.Helmstedt", "Landkreis Helmstedt"),
        ("S.G. Velpke", "Samtgemeinde Velpke"),
        ("SG Nordelm", "Samtgemeinde Nord-Elm"),
    ):
        assert (
            f"'{getippt}' steht so nicht in der Auswahlliste der Partnerkommunen. Meinten Sie "
            f"'{gemeint}'? Bitte die Kommune mit ihrem vollen Namen aus der Auswahlliste wählen."
            in text
        ), text
    assert f"Stärken-Schwächen!A{zeile} (Kommune): 'SG Nordelm'" in text, text


def _individuell(e: Eingaben, f: dict[str, Any]) -> None:
    """AG-01 splits by individual shares, 100 % at the first Kommune."""
    schluessel_waehlen(e, f, "individuell")
    for i, z in enumerate(e["tbl_Kostenausgleich"]):
        z["Anteil individuell"] = 1.0 if i == 0 else 0


def _fehler_in_calc(
    st: Any, tmp_path: Path, aendern: Any, schritte: list[tuple[str, ...]]
) -> dict[tuple[str, str], str]:
    """AG-01's return (changed by `aendern`) edited in Calc with `schritte`, checked by `ikz
    pruefen`: the message of each Fehler by (sheet, cell)."""
    gueltig = ruecklauf(st, tmp_path / "AG-01 ausgefüllt.xlsx", aendern)
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    in_calc_bearbeiten([(gueltig, ab / "eingang" / "AG-01.xlsx", schritte)])
    lauf = ikz("pruefen", "-a", str(ab), "--json", "--ohne-berichte")
    assert lauf.code == 1, lauf.text
    return {
        (b["blatt"], b["zelle"]): b["meldung"]
        for b in json.loads(lauf.aus)["befunde"]
        if b["stufe"] == "Fehler"
    }


KEIN_BETRAG = (
    "Ein Anteil ist der Prozentsatz der Kosten, den die Kommune trägt, kein Betrag in Euro; "
    "Beträge gehören auf das Blatt Ressourcen (Kosten) oder Nutzen."
)


@braucht_libreoffice
def test_betrag_im_anteil_sagt_was_ein_anteil_ist(tmp_path: Path) -> None:
    """Clerk test in Calc: "50 €", "12.000 €" and "50 EUR" typed into Anteile. Calc keeps the
    percent format and stores 50 for "50 €", as for "50": the file cannot tell them apart,
    and the message only asked "Meinten Sie 50 %?". "12.000 €" got "Bitte korrigieren", "50
    EUR" (text) only "hier wird ein Anteil in Prozent erwartet". Each now says what a share is
    and where an amount belongs; the 12.000 suggests no percentage."""
    st = stammdaten.standard()
    gueltig = ruecklauf(st, tmp_path / "lage.xlsx", _individuell)
    k = lage(gueltig, "tbl_Kostenausgleich")
    fuenfzig, zwoelftausend, text = (k.zelle(i, "Anteil individuell") for i in (1, 2, 3))
    fehler = _fehler_in_calc(
        st,
        tmp_path,
        _individuell,
        [
            ("schutz_aus", k.blatt),
            ("tippen", k.blatt, fuenfzig, "50 €"),
            ("tippen", k.blatt, zwoelftausend, "12.000 €"),
            ("tippen", k.blatt, text, "50 EUR"),
        ],
    )

    assert fehler[(k.blatt, fuenfzig)].endswith(
        "50 (5000 %) liegt außerhalb des erlaubten Bereichs 0 % bis 100 %. Meinten Sie 50 %? "
        f"Bitte mit Prozentzeichen eingeben. {KEIN_BETRAG}"
    ), fehler[(k.blatt, fuenfzig)]
    assert fehler[(k.blatt, zwoelftausend)].endswith(
        f"liegt außerhalb des erlaubten Bereichs 0 % bis 100 %. {KEIN_BETRAG} Bitte den Anteil "
        "mit Prozentzeichen eingeben, z. B. 33,5 %."
    ), fehler[(k.blatt, zwoelftausend)]
    assert fehler[(k.blatt, text)].endswith(
        f"'50 EUR' ist ein Betrag in Euro; hier wird ein Anteil in Prozent erwartet. {KEIN_BETRAG} "
        "Bitte den Anteil mit Prozentzeichen eingeben, z. B. 33,5 %."
    ), fehler[(k.blatt, text)]


@braucht_libreoffice
def test_betrag_in_menge_und_fallzahl_wird_gemeldet(tmp_path: Path) -> None:
    """Clerk test in Calc: a Kostensatz (15.000 €) copied onto a Menge and onto a Fallzahl
    (value and format, as Strg+C, Strg+V do). Both were read as 15.000 posts and cases
    without a word, while a percentage copied there was refused. The € format tells: each
    is now a Fehler with the amount as the cell shows it and what to do."""
    st = stammdaten.standard()
    gueltig = ruecklauf(st, tmp_path / "lage.xlsx")
    r = lage(gueltig, "tbl_Ressourcen")
    k = lage(gueltig, "tbl_Kostenausgleich")
    satz, menge, fallzahl = r.zelle(2, "Kostensatz"), r.zelle(1, "Menge"), k.zelle(0, "Fallzahl")
    fehler = _fehler_in_calc(
        st,
        tmp_path,
        None,
        [
            ("schutz_aus", r.blatt),
            ("schutz_aus", k.blatt),
            ("kopieren", r.blatt, satz, r.blatt, menge),
            ("kopieren", r.blatt, satz, k.blatt, fallzahl),
        ],
    )

    was_tun = (
        "hier wird eine Zahl ohne € erwartet. Die Zelle ist als Betrag formatiert: bitte eine "
        "leere gelbe Zelle derselben Spalte kopieren, hier einfügen und die gemeinte Zahl "
        "eingeben."
    )
    assert fehler.get((r.blatt, menge)) == (
        f"{r.blatt}!{menge} (Menge): Hier steht der Betrag 15.000 €; {was_tun}"
    ), fehler
    assert fehler.get((k.blatt, fallzahl)) == (
        f"{k.blatt}!{fallzahl} (Fallzahl): Hier steht der Betrag 15.000 €; {was_tun}"
    ), fehler

    # The Korrektur copy shows the amount as the cell did, as text; sent back unchanged it is
    # refused again, not read as 15000 with a Hinweis.
    ab = tmp_path / "programm"
    assert ikz("pruefen", "-a", str(ab)).code == 1
    kopie = openpyxl.load_workbook(ab / "berichte" / "Korrektur_AG-01.xlsx")
    assert kopie[r.blatt][menge].value == "15.000 €"
    (ab / "eingang" / "AG-01.xlsx").unlink()
    shutil.copy(ab / "berichte" / "Korrektur_AG-01.xlsx", ab / "eingang" / "AG-01 v2.xlsx")
    lauf = ikz("pruefen", "-a", str(ab), "--json", "--ohne-berichte")
    wieder = {
        (b["blatt"], b["zelle"]): b["meldung"]
        for b in json.loads(lauf.aus)["befunde"]
        if b["stufe"] == "Fehler"
    }
    assert wieder.get((r.blatt, menge), "").endswith(
        "'15.000 €' ist ein Betrag in Euro; hier wird eine Zahl ohne € erwartet. Bitte die "
        "gemeinte Zahl eingeben."
    ), wieder


def test_einwohner_als_betrag_formatiert_ist_ein_fehler(tmp_path: Path) -> None:
    """An Einwohner number in the Steuerungsmappe with the € format (pasted from a sheet of
    amounts, as Excel saves it): read as 11.714 Einwohner without a word, while the same cell
    as a percentage was refused. Now a Fehler of the Stammdaten, like that one."""
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    einwohner = _zelle(wb, "tbl_Kommunen", ALT, "Einwohner")
    einwohner.number_format = '#,##0.00 "€"'
    ort, zahl = f"{einwohner.parent.title}!{einwohner.coordinate}", einwohner.value
    wb.save(mappe)

    lauf = ikz("erzeugen", "-a", str(ab))

    assert lauf.code == 2, lauf.text
    gezeigt = f"{zahl:,}".replace(",", ".")
    assert (
        f"{ort} (Einwohner): Hier steht der Betrag {gezeigt} €; hier wird eine ganze Zahl ohne € "
        "erwartet. Die Zelle ist als Betrag formatiert: bitte eine leere gelbe Zelle derselben "
        "Spalte kopieren, hier einfügen und die gemeinte Zahl eingeben."
        in " ".join(lauf.text.split())
    ), lauf.text


def test_zweimal_gestrichen_fallzahl_zeile_ohne_wert_zaehlt_nicht_als_ihre(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-01 (Fallzahl): Stadt Helmstedt (210) struck off, taken back, the copy with her row
    (Fallzahl empty) comes back, and she is struck off again. Her 210 stay noted (see above),
    but the Warnung at her row must not say "Ihre Zeile (Fallzahl 210) zählt": the row of
    this return has no Fallzahl. Nor "Ihr Anteil nach dem Schlüssel 'Fallzahl' zählt …, Stadt
    Helmstedt eingeschlossen" (session 24): with her Fallzahl empty the return has a Fehler,
    and the overview splits it on nobody; the Warnung says that."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-01")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-01", "Partnerkommunen")
    weg = "Stadt Helmstedt"
    ohne = "; ".join(p for p in str(partner).split("; ") if p != weg)
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-01", "Partnerkommunen", ohne))
    assert ikz("pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-01.xlsx"
    _zurueckschicken(ab, kopie, "Antwort")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-01", "Partnerkommunen", str(partner)))
    ikz("pruefen", "-a", str(ab))  # the next copy has her row again, her Fallzahl empty
    zurueck = _zurueckschicken(ab, kopie, "Zweite Antwort")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-01", "Partnerkommunen", ohne))

    lauf = ikz("pruefen", "-a", str(ab))

    text = " ".join(lauf.text.split(f"Zweite Antwort/{zurueck.name} (AG-01)", 1)[1].split())
    assert "Ihre Zeile (Fallzahl" not in text, text
    assert (
        f"Kostenausgleich!C8: '{weg}' ist seit dem Versand der Mappe keine Partnerkommune "
        "dieser Arbeitsgruppe mehr. Ihre Fallzahl ist in dieser Mappe leer (ein Fehler an ihrer "
        "Fallzahl): Solange das so ist, verteilt die Übersicht die Kosten dieser Mappe auf keine "
        "Kommune. Im Korrekturexemplar hat sie keine Zeile mehr; die Kosten verteilen sich dort "
        "nach dem Schlüssel auf die übrigen Partnerkommunen. Fehler Kostenausgleich!C8: Beim "
        "Schlüssel 'Fallzahl' braucht jede Kommune eine Fallzahl" in text
    ), text
    assert f"{weg} eingeschlossen" not in text, text
    (eintrag,) = _vermerk(ab / "berichte" / zurueck.name)
    assert (eintrag["kommune"], eintrag["wert"], eintrag["datei"]) == (weg, 210, "AG-01.xlsx")
