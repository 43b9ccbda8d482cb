"""The Kommunen-Matrix of the overview in tests: read it back, what Python expects in it, and
a programme of many Kommunen.

A Landkreis with 20 and more partners is common; the Kommunen-Matrix then cannot print one page
wide. Returns of so many partners would take a corpus of their own; the overview only needs the
consolidated figures, so the demo's are spread over all Kommunen by Einwohner.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ikz_excel import stammdaten
from ikz_excel.konsolidieren import Konsolidierung

#: Mitgliedsgemeinden of the Landkreis Helmstedt beside the ten partners of the demo.
WEITERE = (
    ("Gemeinde Groß Twülpstedt", 2_700),
    ("Gemeinde Querenhorst", 1_100),
    ("Gemeinde Rennau", 800),
    ("Gemeinde Räbke", 1_000),
    ("Gemeinde Warberg", 750),
    ("Gemeinde Süpplingen", 1_950),
    ("Gemeinde Frellstedt", 820),
    ("Gemeinde Wolsdorf", 950),
    ("Gemeinde Beierstedt", 420),
    ("Gemeinde Gevensleben", 700),
    ("Gemeinde Jerxheim", 1_450),
    ("Gemeinde Söllingen", 1_550),
    ("Gemeinde Grafhorst", 1_050),
    ("Gemeinde Mariental", 1_000),
)


def viele_kommunen(k: Konsolidierung, anzahl: int = 24) -> Konsolidierung:
    """`k` with `anzahl` Kommunen (at most 24): every AG but the last has all as partners,
    split by Einwohner; the last keeps its own few (a cell "–" for the others)."""
    neu = tuple(
        stammdaten.Kommune(name, "Gemeinde", einwohner)
        for name, einwohner in WEITERE[: anzahl - len(k.st.kommunen)]
    )
    kommunen = (*k.st.kommunen, *neu)
    namen = tuple(kommune.name for kommune in kommunen)
    einwohner = sum(kommune.einwohner for kommune in kommunen)
    anteile = {kommune.name: Fraction(kommune.einwohner, einwohner) for kommune in kommunen}
    ags = []
    for i, s in enumerate(k.ags):
        s = copy.copy(s)
        if i < len(k.ags) - 1:
            s.ag = dataclasses.replace(s.ag, partner=namen)
            if s.kennzahlen is not None:
                s.kennzahlen = dataclasses.replace(
                    s.kennzahlen, schluessel="Einwohner", anteile=dict(anteile)
                )
        ags.append(s)
    st = dataclasses.replace(k.st, kommunen=kommunen, arbeitsgruppen=tuple(s.ag for s in ags))
    return dataclasses.replace(k, st=st, ags=ags)


BLATT = "Kommunen-Matrix"


@dataclass
class Matrix:
    """What the sheet shows, part by part put together: cells by (AG, Kommune), the column
    "alle Kommunen" by AG (a number or the status word), the row "Summe" by Kommune."""

    zellen: dict[tuple[str, str], Any] = field(default_factory=dict)
    je_ag: dict[str, Any] = field(default_factory=dict)
    je_kommune: dict[str, Any] = field(default_factory=dict)
    gesamt: list[Any] = field(default_factory=list)  # one per part
    ags: list[list[str]] = field(default_factory=list)  # the rows' AGs, per part
    kommunen: list[list[str]] = field(default_factory=list)  # per part


def lesen(zeilen: list[list[Any]]) -> Matrix:
    """The matrix from the sheet's rows (values, as calamine or openpyxl give them): each part
    begins at a header cell "AG" in the header row (the fourth)."""
    kopf = zeilen[3]
    anfaenge = [c for c, w in enumerate(kopf) if w == "AG"]
    m = Matrix()
    for i, links in enumerate(anfaenge):
        rechts = anfaenge[i + 1] if i + 1 < len(anfaenge) else len(kopf)
        assert kopf[links + 1 : links + 3] == ["Handlungsfeld", "alle Kommunen"], kopf
        kommunen = [w for w in kopf[links + 3 : rechts] if w not in (None, "")]
        m.kommunen.append(kommunen)
        ags = []
        for zeile in zeilen[4:]:
            ag = zeile[links]
            if ag == "Summe":
                m.gesamt.append(zeile[links + 2])
                for j, kommune in enumerate(kommunen):
                    m.je_kommune[kommune] = zeile[links + 3 + j]
                break
            ags.append(ag)
            m.je_ag.setdefault(ag, zeile[links + 2])
            assert m.je_ag[ag] == zeile[links + 2], (ag, i)  # the same in every part
            for j, kommune in enumerate(kommunen):
                m.zellen[(ag, kommune)] = zeile[links + 3 + j]
        m.ags.append(ags)
    return m


def erwartet(k: Konsolidierung) -> Matrix:
    """Python's figures: each partner's Saldo of each AG, by AG and by Kommune; "offen" for a
    partner of an AG without figures, "fehlt" for a partner its returned workbook lacks (added
    later), "–" for the others."""
    m = Matrix()
    detail = k.kommunen()
    summen = k.kommunen_summe(detail)
    kommunen = [z["Kommune"] for z in summen]
    saldo = {(z["AG"], z["Kommune"]): z["Saldo"] for z in detail}
    for s in k.ags:
        ag = s.ag.kuerzel
        mit_zahlen = s.kennzahlen is not None and s.kennzahlen.anteile is not None
        for kommune in kommunen:
            if (ag, kommune) in saldo:
                m.zellen[(ag, kommune)] = saldo[(ag, kommune)]
            else:
                m.zellen[(ag, kommune)] = (
                    "–" if kommune not in s.ag.partner else "fehlt" if mit_zahlen else "offen"
                )
        m.je_ag[ag] = (
            sum((w for (a, _), w in saldo.items() if a == ag), Decimal(0)) if mit_zahlen else None
        )
    m.je_kommune = {z["Kommune"]: z["Saldo"] for z in summen}
    m.gesamt = [sum(m.je_kommune.values(), Decimal(0))]
    m.ags = [[s.ag.kuerzel for s in k.ags]]
    m.kommunen = [kommunen]
    return m


def gleich(gezeigt: Any, python: Any) -> bool:
    """A figure of the sheet equals Python's to the cent; texts equal."""
    if isinstance(python, Decimal):
        return isinstance(gezeigt, int | float) and abs(Decimal(str(gezeigt)) - python) <= Decimal(
            "0.005"
        )
    return gezeigt == python


def vergleichen(k: Konsolidierung, zeilen: list[list[Any]]) -> Matrix:
    """Assert that the sheet's figures are Python's (cells, totals); returns what it shows."""
    gezeigt, python = lesen(zeilen), erwartet(k)
    assert all(ags == python.ags[0] for ags in gezeigt.ags), gezeigt.ags
    assert [x for teil in gezeigt.kommunen for x in teil] == python.kommunen[0]
    assert gezeigt.zellen.keys() == python.zellen.keys()
    falsch = [
        (a, x, gezeigt.zellen[a, x], w)
        for (a, x), w in python.zellen.items()
        if not gleich(gezeigt.zellen[a, x], w)
    ]
    assert falsch == [], falsch[:5]
    for ag, w in python.je_ag.items():
        if w is None:  # no figures: the status, a word
            assert isinstance(gezeigt.je_ag[ag], str) and gezeigt.je_ag[ag], ag
        else:
            assert gleich(gezeigt.je_ag[ag], w), (ag, gezeigt.je_ag[ag], w)
    for kommune, w in python.je_kommune.items():
        assert gleich(gezeigt.je_kommune[kommune], w), (kommune, gezeigt.je_kommune[kommune], w)
    assert all(gleich(g, python.gesamt[0]) for g in gezeigt.gesamt), gezeigt.gesamt
    return gezeigt
