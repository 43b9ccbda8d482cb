"""The Stammdaten checksum in each Arbeitsmappe covers exactly what that AG's workbook shows.

`erzeugen` compares it to tell which workbooks in ausgang/ are outdated, `pruefen` to give a
return the VERSION Hinweis. A review found it covering all Stammdaten: a festgelegte Priorität
typed on the Handlungsfelder sheet, or one new AG, made every workbook "outdated" and every
return a Hinweis. Here each change is made twice: to the checksum and to the written workbook;
the workbook changes exactly when the checksum does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ikz_excel import erzeugen, stammdaten
from ikz_excel.stammdaten import Arbeitsgruppe, Kommune, Stammdaten

AG = "AG-01"
ZEITPUNKT = datetime(2025, 3, 1, 9, 0)


@pytest.fixture(scope="module")
def st() -> Stammdaten:
    return stammdaten.standard()


def _ag(st: Stammdaten, kuerzel: str, **aenderung: object) -> Stammdaten:
    return dataclasses.replace(
        st,
        arbeitsgruppen=tuple(
            dataclasses.replace(a, **aenderung) if a.kuerzel == kuerzel else a
            for a in st.arbeitsgruppen
        ),
    )


def _kommune(st: Stammdaten, name: str, **aenderung: object) -> Stammdaten:
    return dataclasses.replace(
        st,
        kommunen=tuple(
            dataclasses.replace(k, **aenderung) if k.name == name else k for k in st.kommunen
        ),
    )


def _handlungsfeld(st: Stammdaten, **aenderung: object) -> Stammdaten:
    name = st.arbeitsgruppe(AG).handlungsfeld
    return dataclasses.replace(
        st,
        handlungsfelder=tuple(
            dataclasses.replace(h, **aenderung) if h.name == name else h for h in st.handlungsfelder
        ),
    )


def _neue_ag(st: Stammdaten) -> Stammdaten:
    neu = Arbeitsgruppe(
        "AG-11",
        "Vergabestelle",
        st.handlungsfelder[0].name,
        st.arbeitsgruppe(AG).partner[:2],
        date(2012, 12, 14),
        "Prüfen.",
    )
    return dataclasses.replace(st, arbeitsgruppen=(*st.arbeitsgruppen, neu))


def _entscheidung(st: Stammdaten) -> Stammdaten:
    return dataclasses.replace(
        st,
        entscheidungen=tuple(
            dataclasses.replace(
                e,
                punkte=dict.fromkeys(e.punkte, 3),
                festgelegte_prioritaet=2,
                bemerkung="Vorrangig",
            )
            if e.ag == AG
            else e
            for e in st.entscheidungen
        ),
    )


def _partner(st: Stammdaten) -> str:
    return st.arbeitsgruppe(AG).partner[1]


#: (what changes, how, whether AG-01's workbook is made from other Stammdaten then)
AENDERUNGEN: list[tuple[str, Callable[[Stammdaten], Stammdaten], bool]] = [
    # Decisions of the Lenkungsgruppe and other AGs' matters: in no workbook of AG-01.
    ("neue_ag", _neue_ag, False),
    (
        "festgelegte_prioritaet_handlungsfeld",
        lambda st: _handlungsfeld(st, festgelegte_prioritaet=5),
        False,
    ),
    (
        "handlungsfelder_spalten",
        lambda st: _handlungsfeld(
            st, hoechste_prioritaet=True, modus="Zweckverband", teilnehmer="alle", nr=99
        ),
        False,
    ),
    ("entscheidung_der_lenkungsgruppe", _entscheidung, False),
    (
        "faktoren",
        lambda st: dataclasses.replace(
            st,
            kriterien=tuple(dataclasses.replace(k, faktor=1, bedeutung="") for k in st.kriterien),
        ),
        False,
    ),
    (
        "andere_ag",
        lambda st: _ag(
            st,
            "AG-02",
            bezeichnung="Personal",
            partner=st.arbeitsgruppe("AG-02").partner[1:],
            projektauftrag="Anders.",
        ),
        False,
    ),
    (
        "neue_kommune_ohne_ag",
        lambda st: dataclasses.replace(
            st, kommunen=(*st.kommunen, Kommune("Gemeinde Neudorf", "Gemeinde", 1234))
        ),
        False,
    ),
    (
        "quelle_der_einwohner",
        lambda st: _kommune(st, _partner(st), quelle="Zensus", stand=date(2013, 1, 1)),
        False,
    ),
    (
        "meilensteine_des_programms",
        lambda st: dataclasses.replace(st, meilensteine=st.meilensteine[1:]),
        False,
    ),
    (
        "phasenbeschreibung",
        lambda st: dataclasses.replace(
            st, phasen_beschreibung=tuple("anders" for _ in st.phasen_beschreibung)
        ),
        False,
    ),
    # What the workbook of AG-01 shows or checks with.
    ("partner_weniger", lambda st: _ag(st, AG, partner=st.arbeitsgruppe(AG).partner[1:]), True),
    ("einwohner_eines_partners", lambda st: _kommune(st, _partner(st), einwohner=25000), True),
    ("zinssatz", lambda st: dataclasses.replace(st, zinssatz=Decimal("0.02")), True),
    ("zinssatz_quelle", lambda st: dataclasses.replace(st, zinssatz_quelle="BMF 2013"), True),
    ("betrachtungszeitraum", lambda st: dataclasses.replace(st, jahre=st.jahre + 1), True),
    ("startjahr", lambda st: dataclasses.replace(st, startjahr=st.startjahr + 1), True),
    ("programmende", lambda st: dataclasses.replace(st, programmende=date(2016, 12, 31)), True),
    ("programm", lambda st: dataclasses.replace(st, programm="IKZ Süd"), True),
    ("ausgangslage", lambda st: dataclasses.replace(st, ausgangslage="Neu."), True),
    ("oberziele", lambda st: dataclasses.replace(st, oberziele=st.oberziele[1:]), True),
    (
        "rahmenbedingungen",
        lambda st: dataclasses.replace(st, rahmenbedingungen=st.rahmenbedingungen[1:]),
        True,
    ),
    (
        "phasen",
        lambda st: dataclasses.replace(st, phasen=(*st.phasen[:-1], "Echtbetrieb")),
        True,
    ),
    (
        "reihenfolge_der_kriterien",
        lambda st: dataclasses.replace(st, kriterien=st.kriterien[::-1]),
        True,
    ),
    ("bezeichnung", lambda st: _ag(st, AG, bezeichnung="Rechenzentrum"), True),
    ("projektauftrag", lambda st: _ag(st, AG, projektauftrag="Anders."), True),
    ("abgabetermin", lambda st: _ag(st, AG, abgabetermin=date(2012, 12, 14)), True),
    ("projektbeauftragte", lambda st: _ag(st, AG, projektbeauftragte="Frau Muster"), True),
    (
        "handlungsfeld_der_ag",
        lambda st: _ag(st, AG, handlungsfeld=st.handlungsfelder[0].name),
        True,
    ),
]


@pytest.mark.parametrize(
    ("aendern", "anders"), [a[1:] for a in AENDERUNGEN], ids=[a[0] for a in AENDERUNGEN]
)
def test_pruefsumme_je_arbeitsgruppe(
    st: Stammdaten, aendern: Callable[[Stammdaten], Stammdaten], anders: bool
) -> None:
    neu = aendern(st)
    vorher = erzeugen.stammdaten_pruefsumme(st, st.arbeitsgruppe(AG))
    nachher = erzeugen.stammdaten_pruefsumme(neu, neu.arbeitsgruppe(AG))
    assert (nachher != vorher) is anders


def _mappe(st: Stammdaten, ziel: Path, mp: pytest.MonkeyPatch) -> bytes:
    """AG-01's workbook, with a fixed checksum in `_ikz`: the checksum is what is tested."""
    mp.setattr(erzeugen, "stammdaten_pruefsumme", lambda *_: "fest")
    return erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(AG), ziel, erzeugt_am=ZEITPUNKT
    ).read_bytes()


@pytest.fixture(scope="module")
def mappe_vorher(st: Stammdaten, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        return _mappe(st, tmp_path_factory.mktemp("vorher") / "vorher.xlsx", mp)


@pytest.mark.parametrize(
    ("aendern", "anders"), [a[1:] for a in AENDERUNGEN], ids=[a[0] for a in AENDERUNGEN]
)
def test_die_mappe_aendert_sich_genau_mit_der_pruefsumme(
    st: Stammdaten,
    aendern: Callable[[Stammdaten], Stammdaten],
    anders: bool,
    mappe_vorher: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """XlsxWriter writes the same bytes for the same content (fixed time, fixed checksum):
    whatever the checksum leaves out must leave the workbook as it was, and the other way."""
    nachher = _mappe(aendern(st), tmp_path / "nachher.xlsx", monkeypatch)
    assert (nachher != mappe_vorher) is anders
