"""A date typed without its year ("31.12."): Excel and LibreOffice complete it with the year of
typing. In a programme of past years (the example runs 2012 to 2014) the date then lies out of
range, and the message said so without saying where the year came from (session 20). Now it
asks, as a hint only: the date stays as it is, and a date out of range in another year gets
no such question.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from aufruf import ikz
from steuerungsmappe_tippen import eintragen
from test_pruefen import ruecklauf

FRAGE = "Wurde das Jahr beim Eintippen weggelassen? Excel setzt dann das laufende Jahr ein."


def _arbeitsbereich(tmp_path: Path) -> Path:
    ab = tmp_path / "ab"
    assert ikz("init", "-a", str(ab)).code == 0
    return ab


def test_termin_im_laufenden_jahr_ausserhalb_der_laufzeit_fragt_nach_dem_jahr(
    tmp_path: Path,
) -> None:
    """AG-01's return: a Meilenstein on 31.12. of this year (typed "31.12."), another in 2016
    (a year typed wrong, nothing to do with typing it without one)."""
    from ikz_excel import stammdaten

    ab = _arbeitsbereich(tmp_path)
    assert ikz("erzeugen", "-a", str(ab)).code == 0
    st = stammdaten.lesen(ab / "Steuerungsmappe.xlsm")
    heute = date.today()

    def termine(eingaben: dict[str, Any], _felder: dict[str, Any]) -> None:
        eingaben["tbl_Meilensteine"][0]["Termin"] = date(heute.year, 12, 31)
        eingaben["tbl_Meilensteine"][1]["Termin"] = date(2016, 3, 31)

    ruecklauf(st, ab / "eingang" / "AG-01.xlsx", termine, ag="AG-01")

    lauf = ikz("pruefen", "-a", str(ab))

    assert lauf.code == 1 and "Traceback" not in lauf.text + lauf.fehler, lauf.text
    zeilen = re.split(r"(?=Fehler Zeitplan!)", " ".join(lauf.text.split()))
    (ohne_jahr,) = [z for z in zeilen if f"31.12.{heute.year} liegt außerhalb" in z]
    assert f"{FRAGE} Bitte das Datum mit Jahr eintragen (TT.MM.JJJJ)." in ohne_jahr, ohne_jahr
    (falsch,) = [z for z in zeilen if "31.03.2016 liegt außerhalb" in z]
    assert FRAGE not in falsch and "Bitte korrigieren." in falsch, falsch
    # a hint, not a guess: the Korrektur copy keeps the date as it came
    kopie = openpyxl.load_workbook(ab / "berichte" / "Korrektur_AG-01.xlsx")
    werte = [c.value for ws in kopie.worksheets for r in ws.iter_rows() for c in r]
    assert any(getattr(w, "date", lambda: None)() == date(heute.year, 12, 31) for w in werte), (
        "der Termin fehlt im Korrekturexemplar"
    )


def test_abgabetermin_im_laufenden_jahr_in_der_steuerungsmappe(tmp_path: Path) -> None:
    """The Steuerungsgruppe types the Abgabetermin of AG-02 as "30.6." into the Steuerungsmappe
    of the example (2012 to 2014): `ikz erzeugen` refuses it, and says why it may be so."""
    ab = _arbeitsbereich(tmp_path)
    heute = date.today()
    (ort,) = eintragen(
        ab / "Steuerungsmappe.xlsm",
        ("tbl_Arbeitsgruppen", "AG-02", "Abgabetermin", date(heute.year, 6, 30)),
    )

    lauf = ikz("erzeugen", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code != 0 and "Traceback" not in text + lauf.fehler, text
    assert f"30.06.{heute.year} liegt außerhalb" in text and FRAGE in text, text
    assert ort in text, text


def test_programmende_ohne_jahr_vor_dem_programmbeginn(tmp_path: Path) -> None:
    """The Steuerungsgruppe moves the example to next year and types the Programmende as
    "31.12." (this year), before the new Programmbeginn: the Fehler asks about the year too."""
    from steuerungsmappe_tippen import parameter_setzen

    ab = _arbeitsbereich(tmp_path)
    heute = date.today()
    mappe = ab / "Steuerungsmappe.xlsm"
    parameter_setzen(mappe, "Programmbeginn", date(heute.year + 1, 1, 1))
    parameter_setzen(mappe, "Programmende", date(heute.year, 12, 31))

    lauf = ikz("erzeugen", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code != 0 and "Traceback" not in text + lauf.fehler, text
    assert (
        f"Das Programmende (31.12.{heute.year}) liegt nicht nach dem Programmbeginn "
        f"(01.01.{heute.year + 1}). {FRAGE} Bitte beide Daten prüfen." in text
    ), text


def test_programm_im_laufenden_jahr_fragt_nicht_nach_dem_jahr(tmp_path: Path) -> None:
    """Review 20: a programme within this year (January to June), the Abgabetermin of AG-02
    typed as 31.12. of this year: no year typed with it would fit, and "Wurde das Jahr beim
    Eintippen weggelassen? … Bitte das Datum mit Jahr eintragen" sent the Steuerungsgruppe
    after a year that changes nothing. The Fehler says "Bitte korrigieren." (A date of a past
    year, as the example's, gets no question either way.)"""
    from steuerungsmappe_tippen import parameter_setzen

    ab = _arbeitsbereich(tmp_path)
    heute = date.today()
    mappe = ab / "Steuerungsmappe.xlsm"
    parameter_setzen(mappe, "Programmbeginn", date(heute.year, 1, 1))
    parameter_setzen(mappe, "Programmende", date(heute.year, 6, 30))
    (ort,) = eintragen(
        mappe, ("tbl_Arbeitsgruppen", "AG-02", "Abgabetermin", date(heute.year, 12, 31))
    )

    lauf = ikz("erzeugen", "-a", str(ab))

    text = " ".join(lauf.text.split())
    assert lauf.code != 0 and "Traceback" not in text + lauf.fehler, text
    (meldung,) = [m for m in text.split("•") if f"31.12.{heute.year} liegt außerhalb" in m]
    assert ort in meldung and FRAGE not in meldung and "Bitte korrigieren." in meldung, meldung
