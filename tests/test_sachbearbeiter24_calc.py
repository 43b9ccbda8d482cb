"""What careless clerks do to a returned workbook in LibreOffice Calc, third round (session
24), and what `ikz pruefen` then says.

As in `test_sachbearbeiter_calc`, each case is done in Calc itself and saved by Calc into
eingang/, all cases checked in one `ikz pruefen`. Only the cases whose message was wrong or
misleading are here; the report of session 24 lists the others (a row inserted, deleted or
cut and pasted elsewhere, a table sorted, a column inserted, cells merged, a sheet hidden or
added, text with line breaks and tabs, 1e6, a negative amount, .ods and .xls), which `ikz
pruefen` already took or named right.
"""

from __future__ import annotations

from typing import Any

import pytest
from libreoffice import braucht_libreoffice
from test_pruefen import ruecklauf
from test_sachbearbeiter_calc import in_calc_pruefen

from ikz_excel import erzeugen, stammdaten

pytestmark = braucht_libreoffice


@pytest.fixture(scope="module")
def befunde(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The findings of `ikz pruefen --json` per case, each case saved by Calc into eingang/.
    AG-01's Ressourcen fill rows 5 to 12 of the table (rows 5 to 44), its Nutzen rows 5 to
    10; the Betrachtungszeitraum is 2013 to 2017."""
    gueltig = ruecklauf(
        stammdaten.standard(), tmp_path_factory.mktemp("gueltig") / "AG-01 ausgefüllt.xlsx"
    )
    ab = tmp_path_factory.mktemp("calc") / "programm"
    erzeugen.init(ab)
    faelle: dict[str, list[tuple[str, ...]]] = {
        # the year as said in the meeting, not the number of the year in the period
        "Kalenderjahr": [
            ("tippen", "Ressourcen", "H5", "2014/15"),
            ("tippen", "Nutzen", "F5", "ab 2015"),
            ("tippen", "Nutzen", "F6", "ab 2028"),
        ],
        # the last row's Kostenart selected and its fill handle dragged to the table's end
        "ausgefüllt": [
            ("schutz_aus", "Ressourcen"),
            ("unten_ausfuellen", "Ressourcen", "G12:G44"),
        ],
        # figures not known yet, as written in an e-mail
        "geschätzt": [
            ("tippen", "Nutzen", "D6", "ca. 5.000"),
            ("tippen", "Ressourcen", "D7", "k. A."),
            ("tippen", "Nutzen", "D7", "-"),
        ],
        # the first Kosten typed over, then dragged down the whole column (protection off)
        "Kosten ausgefüllt": [
            ("schutz_aus", "Ressourcen"),
            ("tippen", "Ressourcen", "I5", "320000"),
            ("unten_ausfuellen", "Ressourcen", "I5:I44"),
        ],
    }
    return in_calc_pruefen(gueltig, ab, faelle)


def test_kalenderjahr_mit_worten_nennt_die_jahreszahl_des_zeitraums(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: '2014/15' and 'ab 2015' typed into 'ab Jahr'. The message asked for
    "nur Ziffern, z. B. 1234", or for 'ab 2015' to type 2015, which the next check refuses as
    out of the range 1 to 5. It now says which number of the period the year is, as for a
    calendar year typed alone; a year outside the period is named as such."""
    meldungen = {(b["blatt"], b["zelle"]): b["meldung"] for b in befunde["Kalenderjahr"]}
    zaehlung = (
        "„ab Jahr“ zählt die Jahre des Betrachtungszeitraums: 1 = 2013 bis 5 = 2017 "
        "(Startjahr und Betrachtungszeitraum der Steuerungsmappe)."
    )
    assert meldungen == {
        ("Ressourcen", "H5"): f"Ressourcen!H5 (ab Jahr): '2014/15' ist keine Zahl. Meinten Sie "
        f"2? {zaehlung} Bitte diese Zahl eintragen.",
        ("Nutzen", "F5"): f"Nutzen!F5 (ab Jahr): 'ab 2015' ist keine Zahl. Meinten Sie 3? "
        f"{zaehlung} Bitte diese Zahl eintragen.",
        ("Nutzen", "F6"): f"Nutzen!F6 (ab Jahr): 'ab 2028' ist keine Zahl. {zaehlung} Auch 2028 "
        "liegt außerhalb dieses Zeitraums; bitte prüfen.",
    }, meldungen
    assert all(b["stufe"] == "Fehler" for b in befunde["Kalenderjahr"])


def test_ueber_leere_zeilen_ausgefuellter_wert_ist_eine_warnung(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: the Kostenart of the last Ressource filled down to the end of the
    table. Each of the 32 empty rows then got seven "Pflichtangabe fehlt" and a "gleicht Zeile
    … so zählen ihre Kosten doppelt" (they have none): 256 findings for one drag, the return
    'fehlerhaft'. The rows hold no figure: one Warnung names them, and they are read as
    empty."""
    assert [(b["stufe"], b["regel"], b["zelle"]) for b in befunde["ausgefüllt"]] == [
        ("Warnung", "STRUKTUR", "G13")
    ], [b["meldung"] for b in befunde["ausgefüllt"]][:5]
    assert befunde["ausgefüllt"][0]["meldung"] == (
        "Ressourcen!G13 bis G44 (Kostenart): In diesen 32 Zeilen steht nur 'jährlich' und "
        "sonst nichts (wohl beim Ausfüllen nach unten über leere Zeilen entstanden). Sie "
        "werden als leere Zeilen gelesen und zählen nicht. Bitte die Einträge dort löschen "
        "(Zellen markieren, Entf) oder, sollen die Zeilen zählen, ihre übrigen Angaben "
        "eintragen."
    )


def test_geschaetzte_und_unbekannte_werte_sagen_was_einzutragen_ist(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: 'ca. 5.000' as a Betrag, 'k. A.' as a Menge, '-' as a Betrag. Each
    got "Bitte nur Ziffern eingeben, z. B. 1234,50", as if no number had been meant; the
    estimate now names its number, the others say what to enter for a figure not known."""
    meldungen = {(b["blatt"], b["zelle"]): b["meldung"] for b in befunde["geschätzt"]}
    unbekannt = (
        "ist keine Zahl. Bitte eine Zahl eintragen: ist sie noch nicht bekannt, einen "
        "geschätzten Wert; gehört hier nichts hin, 0."
    )
    assert meldungen == {
        ("Nutzen", "D6"): "Nutzen!D6 (Betrag): 'ca. 5.000' ist keine Zahl. Bitte nur die Zahl "
        "eingeben, ohne „ca.“ davor, z. B. 5000 (ein geschätzter Wert ist hier richtig).",
        ("Ressourcen", "D7"): f"Ressourcen!D7 (Menge): 'k. A.' {unbekannt}",
        ("Nutzen", "D7"): f"Nutzen!D7 (Betrag): '-' {unbekannt}",
    }, meldungen


def test_ueber_leere_zeilen_ausgefuellte_formelspalte_ist_ein_fehler(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: a figure typed over the first Kosten formula and dragged down the
    whole column. Each of the 40 rows got its own Fehler in the same words, 32 of them for
    empty rows; the rows with entries keep one each, the empty ones are one Fehler naming
    all (as a cleared formula column already was, session 21)."""
    formeln = [b for b in befunde["Kosten ausgefüllt"] if b["regel"] == "FORMEL"]
    assert [(b["zelle"], b["stufe"]) for b in formeln] == [
        (f"I{z}", "Fehler") for z in range(5, 14)
    ], [b["meldung"] for b in formeln]
    assert formeln[0]["meldung"].startswith(
        "Ressourcen!I5 (Kosten): Die Formel wurde durch den festen Wert 320.000 ersetzt."
    )
    assert formeln[-1]["meldung"] == (
        "Ressourcen!I13 bis I44 (Kosten): In diesen 32 leeren Zeilen wurde die Formel durch "
        "den festen Wert 320.000 ersetzt (wohl nach unten ausgefüllt). Dieses Feld wird berechnet; "
        "das Korrekturexemplar hat die Formeln wieder, bitte damit weiterarbeiten."
    )
