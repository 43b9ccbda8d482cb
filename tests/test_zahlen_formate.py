"""Numbers that the spreadsheet turned into something else before `ikz pruefen` read them
(session 22): a percentage in an amount, an amount in a share, a fraction, rounded shares.

What LibreOffice stores when a German clerk types into the generated workbook (measured with
`in_calc_tippen`, LibreOffice 7.4): "12,5 %" typed into a Kostensatz (€) keeps the cell's €
format and stores 0,125, shown as "0,13 €" – nothing in the file tells it from "0,125" typed,
so the check cannot either. Pasted from a cell formatted as a percentage (Strg+C, Strg+V: value
and format), or typed in Excel, which gives the cell the percent format, the format tells:
that is the case these tests do in Calc. "1/3", "EUR 12.000", "1,5 Mio", "12 T€", "−500",
"1'000" (Calc's AutoCorrect makes it "1’000") and "1 000" with a non-breaking space stay text;
"500-" and "(500)" become -500.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aufruf import ikz
from libreoffice import braucht_libreoffice, in_calc_bearbeiten
from test_pruefen import Eingaben, lage, ruecklauf, schluessel_waehlen

from ikz_excel import erzeugen, pruefen, stammdaten
from ikz_excel.befunde import Regel, Stufe
from ikz_excel.definition import Spalte
from ikz_excel.einlesen import Prozentwert, umwandeln


@pytest.fixture(scope="module")
def st() -> Any:
    return stammdaten.standard()


@braucht_libreoffice
def test_prozentwert_im_betrag_und_betrag_im_anteil_werden_gemeldet(
    st: Any, tmp_path: Path
) -> None:
    """Clerk test in Calc: "12,5 %" typed into an Anteil individuell and that cell copied into
    a Kostensatz and a Menge (value and format, as Strg+C, Strg+V do); a Kostensatz copied into
    another Anteil; "1/3" typed into a third. The Kostensatz was read silently as 0,13 € and
    the Menge as 0,125: wrong figures that reached the Lenkungsgruppe. The cell's number
    format tells: each is now a Fehler at its cell with the number as the cell shows it and
    what to do. The "1/3" names the share in percent."""
    gueltig = ruecklauf(st, tmp_path / "AG-01 ausgefüllt.xlsx")
    r = lage(gueltig, "tbl_Ressourcen")
    k = lage(gueltig, "tbl_Kostenausgleich")
    anteil = k.zelle(0, "Anteil individuell")
    satz, menge = r.zelle(0, "Kostensatz"), r.zelle(1, "Menge")
    betrag_im_anteil, drittel = k.zelle(1, "Anteil individuell"), k.zelle(2, "Anteil individuell")
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    schritte: list[tuple[str, ...]] = [
        ("schutz_aus", r.blatt),
        ("schutz_aus", k.blatt),
        ("tippen", k.blatt, anteil, "12,5 %"),
        ("kopieren", k.blatt, anteil, r.blatt, satz),
        ("kopieren", k.blatt, anteil, r.blatt, menge),
        ("kopieren", r.blatt, r.zelle(2, "Kostensatz"), k.blatt, betrag_im_anteil),
        ("tippen", k.blatt, drittel, "1/3"),
        ("tippen", r.blatt, r.zelle(3, "Kostensatz"), "EUR 12.000"),  # stays text in Calc
    ]
    in_calc_bearbeiten([(gueltig, ab / "eingang" / "AG-01.xlsx", schritte)])
    lauf = ikz("pruefen", "-a", str(ab), "--json", "--ohne-berichte")
    assert lauf.code == 1, lauf.text
    befunde = {
        (b["blatt"], b["zelle"]): b
        for b in json.loads(lauf.aus)["befunde"]
        if b["stufe"] == "Fehler"
    }
    assert befunde[(r.blatt, satz)]["meldung"] == (
        f"{r.blatt}!{satz} (Kostensatz): Hier steht der Prozentwert 12,5 % (gespeichert als "
        "0,125); hier wird ein Betrag in Euro ohne % erwartet. Die Zelle ist als Prozent "
        "formatiert: bitte eine leere gelbe Zelle derselben Spalte kopieren, hier einfügen "
        "und den gemeinten Betrag in Euro eingeben."
    )
    assert befunde[(r.blatt, menge)]["meldung"].startswith(
        f"{r.blatt}!{menge} (Menge): Hier steht der Prozentwert 12,5 % (gespeichert als "
        "0,125); hier wird eine Zahl ohne % erwartet."
    )
    assert befunde[(k.blatt, betrag_im_anteil)]["meldung"].startswith(
        f"{k.blatt}!{betrag_im_anteil} (Anteil individuell): Hier steht ein Betrag in Euro ("
    )
    assert befunde[(k.blatt, betrag_im_anteil)]["meldung"].endswith(
        "hier wird ein Anteil in Prozent erwartet. Ein Anteil ist der Prozentsatz der Kosten, den "
        "die Kommune trägt, kein Betrag in Euro; Beträge gehören auf das Blatt Ressourcen (Kosten) "
        "oder Nutzen. Die Zelle ist als Betrag formatiert: bitte "
        "eine leere gelbe Zelle derselben Spalte kopieren, hier einfügen und den Wert mit "
        "Prozentzeichen eingeben, z. B. 33,5 %."
    )
    assert befunde[(k.blatt, drittel)]["meldung"].startswith(
        f"{k.blatt}!{drittel} (Anteil individuell): '1/3' ist keine Zahl. Den Anteil bitte in "
        "Prozent eingeben: für 1/3 33,33 % (gerundet; die Anteile zusammen müssen genau "
        "100 % ergeben"
    )
    assert befunde[(r.blatt, r.zelle(3, "Kostensatz"))]["meldung"].endswith(
        "'EUR 12.000' ist mehrdeutig (12000 mit Punkt als Tausendertrennzeichen oder 12 mit "
        "Punkt als Dezimalzeichen?). Bitte den Betrag ohne Tausenderpunkt eingeben, z. B. 12000."
    )
    # the 12,5 % where a share belongs is a share: no Fehler of its own
    assert (k.blatt, anteil) not in befunde


def test_gerundete_drittel_nennen_die_rundung(st: Any, tmp_path: Path) -> None:
    """Three Kommunen at 33,33 % each (what Calc stores for "33,33 %": 0,3333) make 99,99 %.
    No tolerance: the workbook's own check says the sum is not 100 % either. But "99,99 %,
    nicht 100 %" alone sent the clerk looking for a typing error: the message names the
    rounding and the change that makes the sum exact. 33,33 + 33,33 + 33,34 is right."""
    partner = len(st.arbeitsgruppe("AG-01").partner)

    def anteile(*werte: str) -> Any:
        def aendern(e: Eingaben, f: dict[str, Any]) -> None:
            schluessel_waehlen(e, f, "individuell")
            for i, z in enumerate(e["tbl_Kostenausgleich"]):
                z["Anteil individuell"] = float(werte[i]) if i < len(werte) else 0

        return aendern

    assert partner > 3
    gerundet = ruecklauf(st, tmp_path / "gerundet.xlsx", anteile("0.3333", "0.3333", "0.3333"))
    genau = ruecklauf(st, tmp_path / "genau.xlsx", anteile("0.3333", "0.3333", "0.3334"))
    zu_viel = ruecklauf(st, tmp_path / "zu_viel.xlsx", anteile("0.3334", "0.3334", "0.3334"))
    g, richtig, v = pruefen.pruefen([gerundet, genau, zu_viel], st).dateien
    summe = [b for b in g.befunde if b.regel is Regel.SUMME]
    assert [b.stufe for b in summe] == [Stufe.FEHLER]
    assert summe[0].meldung.endswith(
        "Die individuellen Anteile ergeben 99,99 %, nicht 100 %: es fehlen 0,01 %, wohl durch "
        "gerundete Anteile (wie 3 × 33,33 %). Bitte einen Anteil um 0,01 % erhöhen (z. B. "
        "33,34 % statt 33,33 %), sodass die Summe genau 100 % ist."
    ), summe[0].meldung
    assert not [b for b in richtig.befunde if b.regel is Regel.SUMME]
    [mehr] = [b.meldung for b in v.befunde if b.regel is Regel.SUMME]
    assert "ergeben 100,02 %, nicht 100 %: es sind 0,02 % zu viel" in mehr
    assert "um 0,02 % verringern (z. B. 33,32 % statt 33,34 %)" in mehr
    assert Decimal("0.3333") * 3 != 1  # what a tolerance would have to hide


def test_prozentwert_in_der_menge_nennt_den_anteil_als_dezimalzahl() -> None:
    """ "50 %" in a Menge, whose help names Stellenanteile: a half post. "Bitte den Wert ohne %
    eingeben" made it 50 posts, a figure the check accepts (max 1.000.000); the message names
    0,5 as what the share is. In a Kostensatz no share is offered: 12,5 % of nothing."""
    menge = umwandeln(Spalte("Menge", typ="zahl"), Prozentwert(0.5))
    assert menge.fehler is not None
    assert menge.fehler.endswith(
        "und den gemeinten Wert ohne % eingeben; ein Anteil als Dezimalzahl (0,5 für 50 %)."
    ), menge.fehler
    satz = umwandeln(Spalte("Kostensatz", typ="betrag"), Prozentwert(0.125))
    assert satz.fehler is not None
    assert satz.fehler.endswith("und den gemeinten Betrag in Euro eingeben."), satz.fehler
    assert "ohne % eingeben" not in satz.fehler


def test_korrekturexemplar_zeigt_den_abgelehnten_prozentwert_wie_getippt(
    st: Any, tmp_path: Path
) -> None:
    """A Kostensatz as a percentage and an Anteil as an amount (formats as Excel saves them,
    via openpyxl) are refused; the Korrektur copy wrote the numbers into its fresh cells,
    where 0,125 showed "0,13 €" and 0,5 "50 %". Sent back unchanged, both were read without
    a word: the wrong figures the number formats had caught. The copy now shows what the
    clerk saw, as text, and checked again it names both cells once more."""
    gueltig = ruecklauf(st, tmp_path / "AG-01.xlsx")
    r = lage(gueltig, "tbl_Ressourcen")
    k = lage(gueltig, "tbl_Kostenausgleich")
    satz, anteil = r.zelle(0, "Kostensatz"), k.zelle(1, "Anteil individuell")
    mappe = openpyxl.load_workbook(gueltig)
    mappe[r.blatt][satz].value, mappe[r.blatt][satz].number_format = 0.125, "0.0%"
    mappe[k.blatt][anteil].value, mappe[k.blatt][anteil].number_format = 0.5, '#,##0.00 "€"'
    text = r.zelle(1, "Einheit")  # a percentage pasted into a text: valid, shown as typed
    mappe[r.blatt][text].value, mappe[r.blatt][text].number_format = 0.5, "0%"
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    mappe.save(ab / "eingang" / "AG-01.xlsx")

    def fehlerzellen() -> dict[tuple[str, str], Any]:
        lauf = ikz("pruefen", "-a", str(ab), "--json")
        return {
            (b["blatt"], b["zelle"]): b["wert"]
            for b in json.loads(lauf.aus)["befunde"]
            if b["stufe"] == "Fehler"
        }

    # the Prüfbericht's value too, as the cell showed it
    assert fehlerzellen().items() >= {(r.blatt, satz): "12,5 %", (k.blatt, anteil): "0,5 €"}.items()
    korrektur = openpyxl.load_workbook(ab / "berichte" / "Korrektur_AG-01.xlsx")
    assert korrektur[r.blatt][satz].value == "12,5 %"
    assert korrektur[k.blatt][anteil].value == "0,5 €"
    assert korrektur[r.blatt][text].value == "50 %"
    (ab / "eingang" / "AG-01.xlsx").unlink()
    shutil.copy(ab / "berichte" / "Korrektur_AG-01.xlsx", ab / "eingang" / "AG-01 v2.xlsx")
    assert {(r.blatt, satz), (k.blatt, anteil)} <= fehlerzellen().keys()


def test_prozentwert_in_einem_text_bleibt_wie_getippt() -> None:
    """A percentage pasted into a text cell (Risiken, Maßnahme) with its format, as Strg+C,
    Strg+V do: the cell holds 0,5 and shows "50 %"; the text read was "0.5", which in the
    Übersicht meant something else. It is read as the cell shows it."""
    assert umwandeln(Spalte("Maßnahme"), Prozentwert(0.5)).wert == "50 %"
    # a number typed over a pasted format: as the German cell shows it (test_kleinkram22)
    assert umwandeln(Spalte("Maßnahme"), 0.5).wert == "0,5"
