"""What careless clerks do to a returned workbook in LibreOffice Calc, second round
(session 22), and what `ikz pruefen` then says.

As in `test_sachbearbeiter_calc`, each case is done in Calc itself and saved by Calc into
eingang/, all cases checked in one `ikz pruefen`. Only the cases whose message was wrong or
misleading, or whose entry was silently changed, are here; the report of session 22 lists
the others (Kommune names typed, series dragged, blocks pasted, a sheet filtered or
protected with a password, …), which `ikz pruefen` already named right.
"""

from __future__ import annotations

from typing import Any

import pytest
from libreoffice import braucht_libreoffice
from test_pruefen import ruecklauf
from test_sachbearbeiter_calc import in_calc_pruefen

from ikz_excel import erzeugen, stammdaten

pytestmark = braucht_libreoffice

LANG = ("Die Zusammenarbeit spart Kosten und Zeit. " * 1000)[:40_000]


@pytest.fixture(scope="module")
def befunde(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The findings of `ikz pruefen --json` per case, each case saved by Calc into eingang/."""
    gueltig = ruecklauf(
        stammdaten.standard(), tmp_path_factory.mktemp("gueltig") / "AG-01 ausgefüllt.xlsx"
    )
    ab = tmp_path_factory.mktemp("calc") / "programm"
    erzeugen.init(ab)
    faelle: dict[str, list[tuple[str, ...]]] = {
        # the likelihood typed as a word, as said in the meeting
        "hoch": [("tippen", "Risiken", "D5", "hoch"), ("tippen", "Risiken", "E6", "sehr hoch")],
        # a bullet point "- erster Punkt" typed: Calc takes it for a formula (what it stores)
        "Spiegelstrich": [("formel", "Projektbeschreibung", "D9", "=-erster Punkt")],
        # a long text from a report pasted into the Ausgangslage
        "langer Text": [("text_einfuegen", "Projektbeschreibung", "D5", LANG)],
        # the last phase thought not yet due: its two rows selected, Zeilen löschen
        "Phase gelöscht": [
            ("schutz_aus", "Projektbeschreibung"),
            ("zeilen_loeschen", "Projektbeschreibung", "23", "2"),
        ],
        # a report's chapter pasted into the Oberziele
        "6000 Zeichen": [("text_einfuegen", "Projektbeschreibung", "D6", LANG[:6000])],
    }
    return in_calc_pruefen(gueltig, ab, faelle)


def test_stufe_als_wort_nennt_die_skala(befunde: dict[str, list[dict[str, Any]]]) -> None:
    """Clerk test in Calc: 'hoch' and 'sehr hoch' typed as Eintrittswahrscheinlichkeit and
    Auswirkung. The message asked for "nur Ziffern, z. B. 1234", a number the scale of 1 to 5
    does not have; it now names the scale and what its steps mean."""
    meldungen = {b["zelle"]: b["meldung"] for b in befunde["hoch"] if b["regel"] == "TYP"}
    assert meldungen == {
        "D5": "Risiken!D5 (Eintrittswahrscheinlichkeit): 'hoch' ist keine Zahl. Bitte die "
        "Stufe als ganze Zahl von 1 bis 5 eingeben (1 = sehr unwahrscheinlich bis 5 = fast "
        "sicher).",
        "E6": "Risiken!E6 (Auswirkung): 'sehr hoch' ist keine Zahl. Bitte die Stufe als ganze "
        "Zahl von 1 bis 5 eingeben (1 = unbedeutend bis 5 = gefährdet das Projekt).",
    }, meldungen


def test_text_als_formel_sagt_wie_er_einzugeben_ist(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: a bullet point "- erster Punkt" typed into a text field; Calc
    takes it for a formula, lowercases it and shows an error. The message said "Bitte die
    Formel durch den Wert ersetzen", but there is no formula the clerk meant and no value to
    keep; it now says why the text became a formula and how to type it."""
    (b,) = befunde["Spiegelstrich"]
    assert (b["blatt"], b["zelle"], b["stufe"]) == ("Projektbeschreibung", "D9", "Fehler")
    assert "Der Eintrag wurde als Formel gelesen ('-erster punkt')" in b["meldung"], b["meldung"]
    assert "mit einem Apostroph davor ('- erster Punkt)" in b["meldung"]
    assert "durch den Wert ersetzen" not in b["meldung"]


def test_abgeschnittener_langer_text_ist_eine_warnung(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: a text of 40,000 characters pasted into the Ausgangslage. Calc
    saves only the first 32,767 (what an Excel cell holds) and says nothing; the return was
    valid and the end of the text lost unseen. The length tells it: a Warnung at the cell."""
    zu_lang, b = befunde["langer Text"]  # too long for the workbook as well
    assert zu_lang["stufe"] == "Fehler" and "erlaubt sind 4000" in zu_lang["meldung"]
    assert (b["blatt"], b["zelle"], b["stufe"]) == ("Projektbeschreibung", "D5", "Warnung")
    assert (
        "Der Text ist 32.767 Zeichen lang, so viel wie eine Excel-Zelle höchstens fasst"
        in (b["meldung"])
    )
    assert f"Er endet jetzt mit „…{LANG[:32_767][-40:].strip()}“" in b["meldung"]


def test_zu_langer_text_der_projektbeschreibung_ist_ein_fehler(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: 6,000 characters pasted into the Oberziele, where the workbook
    says "höchstens 4000 Zeichen". The check left the texts of the Projektbeschreibung
    unchecked (only its rows with a list or a number were), and the return was valid."""
    (b,) = befunde["6000 Zeichen"]
    assert (b["blatt"], b["zelle"], b["stufe"], b["regel"]) == (
        "Projektbeschreibung",
        "D6",
        "Fehler",
        "BEREICH",
    )
    laenge = len(LANG[:6000].strip())  # the check reads a text without spaces at its ends
    assert b["meldung"].endswith(
        f"Der Text ist {laenge} Zeichen lang, erlaubt sind 4000. Bitte kürzen."
    )


def test_geloeschte_phase_nennt_wo_ihre_zeilen_standen(
    befunde: dict[str, list[dict[str, Any]]],
) -> None:
    """Clerk test in Calc: the rows of phase 5 of the Projektbeschreibung deleted (protection
    off). The Fehler named the rows missing but no cell, so the report and the Korrektur copy
    had nothing to point at; each now names the place below the last row still there."""
    meldungen = [(b["zelle"], b["meldung"]) for b in befunde["Phase gelöscht"]]
    assert meldungen == [
        (
            "A23",
            "Projektbeschreibung!A23: In der Tabelle fehlt die Zeile Nr 5.1 (Kennzahlen für "
            "die Evaluierung); sie gehört unter Zeile 22 (Nr 4.2). Bitte die Eingaben in die "
            "Originalmappe übertragen und dort keine Zeile der Vorlage löschen.",
        ),
        (
            "A23",
            "Projektbeschreibung!A23: In der Tabelle fehlt die Zeile Nr 5.2 (Berichtsweg); sie "
            "gehört unter Zeile 22 (Nr 4.2). Bitte die Eingaben in die Originalmappe übertragen "
            "und dort keine Zeile der Vorlage löschen.",
        ),
    ], meldungen
