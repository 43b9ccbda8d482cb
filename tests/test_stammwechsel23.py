"""The coordination team changes the Stammdaten after the workbooks went out (session 23).

Returns from the old generation must say what differs from the Steuerungsmappe now, by name,
so the team knows what to tell the AG; "z. B. geänderte Texte" left it guessing. Played as the
team does: `ikz init`, a workbook filled and returned, the Steuerungsmappe changed by typing
into it, then `ikz pruefen` through the real entry point.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from aufruf import ikz
from steuerungsmappe_tippen import eintragen, parameter_setzen, zelle

from ikz_excel import demo_daten, erzeugen, stammdaten

AG = "AG-10"


def _zurueckgeschickt(ab: Path) -> Path:
    """A new workspace whose AG-10 returned its filled workbook; the Steuerungsmappe."""
    mappe, _ = erzeugen.init(ab)
    st = stammdaten.lesen(mappe)
    eingaben, felder = demo_daten.eingaben(st, AG)
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(AG), ab / "eingang" / "Baeder.xlsx", eingaben=eingaben, felder=felder
    )
    return mappe


def test_verschobener_abgabetermin_wird_genannt(tmp_path: Path) -> None:
    """The Lenkungsgruppe moves AG-10's Abgabetermin after the workbooks went out. The
    workbook's cover shows the old date; the check said only "mit älteren Stammdaten erzeugt
    (z. B. geänderte Texte)", and the team could not tell what had changed."""
    ab = tmp_path / "ab"
    mappe = _zurueckgeschickt(ab)
    _, alt = zelle(mappe, "tbl_Arbeitsgruppen", AG, "Abgabetermin")
    eintragen(mappe, ("tbl_Arbeitsgruppen", AG, "Abgabetermin", datetime.datetime(2013, 1, 15)))
    lauf = ikz("pruefen", "--ohne-berichte", "--arbeitsbereich", str(ab))
    assert lauf.code == 0, lauf.text
    assert (
        f"Baeder.xlsx: Die Mappe wurde mit älteren Stammdaten erzeugt: Abgabetermin "
        f"{alt:%d.%m.%Y} (jetzt 15.01.2013). Zinssatz, Zeitraum, Startjahr und Partner sind "
        "dieselben; an den Zahlen ändert das nichts."
    ) in lauf.text, lauf.text
    assert "z. B. geänderte Texte" not in lauf.text


def test_umbenanntes_programm_wird_genannt(tmp_path: Path) -> None:
    """A second programme year: the Steuerungsgruppe renames the programme while returns of
    the first generation still come in. Their cover shows the old name; said by name."""
    ab = tmp_path / "ab"
    mappe = _zurueckgeschickt(ab)
    alt = stammdaten.lesen(mappe).programm
    parameter_setzen(mappe, "Programm", "IKZ Helmstedt, zweites Programmjahr")
    lauf = ikz("pruefen", "--ohne-berichte", "--arbeitsbereich", str(ab))
    assert lauf.code == 0, lauf.text
    assert (
        f"mit älteren Stammdaten erzeugt: Programm '{alt}' (jetzt 'IKZ Helmstedt, zweites "
        "Programmjahr'). Zinssatz, Zeitraum"
    ) in lauf.text, lauf.text
