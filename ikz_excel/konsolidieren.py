"""From checked returns to the figures the Lenkungsgruppe decides on.

Python computes every figure itself from the input cells (berechnung.py); the formulas in the
workbooks only show the same figures to the clerks. The cached formula results in a return are
never read as data: a file saved by a program that did not recalculate would carry zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ikz_excel import berechnung
from ikz_excel.pruefen import Dateiergebnis


@dataclass(frozen=True)
class Kennzahlen:
    """The figures of one Arbeitsgruppe's return."""

    ag: str
    jahre: int
    zinssatz: Decimal
    kosten_je_zeile: dict[int, Decimal]  # Excel row in tbl_Ressourcen -> Kosten
    wirtschaftlichkeit: berechnung.Wirtschaftlichkeit
    schluessel: str | None
    anteile: dict[str, Fraction] | None
    risikowerte: dict[int, int]  # Excel row in tbl_Risiken -> Risikowert
    kosten_je_kommune: dict[str, Decimal] = field(default_factory=dict)
    nutzen_je_kommune: dict[str, Decimal] = field(default_factory=dict)

    @property
    def hoechster_risikowert(self) -> int | None:
        return max(self.risikowerte.values(), default=None)


def _dezimal(wert: Any) -> Decimal | None:
    if wert is None:
        return None
    return wert if isinstance(wert, Decimal) else Decimal(str(wert))


def auswerten(d: Dateiergebnis, st: Any) -> Kennzahlen:
    """Compute the figures of one return from its input cells only.

    The Betrachtungszeitraum and Zinssatz are those the workbook was made with (`_ikz`), so the
    figures agree with what the AG saw in its own workbook.
    """
    jahre = int(d.kennung.get("betrachtungszeitraum") or st.jahre)
    zinssatz = Decimal(d.kennung.get("kalkulationszinssatz") or st.zinssatz)

    kosten_je_zeile: dict[int, Decimal] = {}
    kosten_posten = []
    ressourcen = d.gelesen["tbl_Ressourcen"].zeilen if "tbl_Ressourcen" in d.gelesen else []
    for zeile, w in ressourcen:
        menge, satz = _dezimal(w.get("Menge")), _dezimal(w.get("Kostensatz"))
        if menge is None or satz is None:
            continue
        betrag = berechnung.kosten(menge, satz)
        kosten_je_zeile[zeile] = betrag
        if w.get("Kostenart") in berechnung.KOSTENARTEN and isinstance(w.get("ab Jahr"), int):
            kosten_posten.append(
                (w.get("Kommune"), berechnung.Posten(betrag, w["Kostenart"], w["ab Jahr"]))
            )
    nutzen_posten = []
    for _zeile, w in d.gelesen["tbl_Nutzen"].zeilen if "tbl_Nutzen" in d.gelesen else []:
        betrag = _dezimal(w.get("Betrag"))
        if betrag is None or w.get("Kostenart") not in berechnung.KOSTENARTEN:
            continue
        if not isinstance(w.get("ab Jahr"), int):
            continue
        nutzen_posten.append(
            (w.get("Kommune"), berechnung.Posten(betrag, w["Kostenart"], w["ab Jahr"]))
        )
    wirtschaftlichkeit = berechnung.wirtschaftlichkeit(
        [p for _, p in kosten_posten], [p for _, p in nutzen_posten], jahre, zinssatz
    )

    schluessel = d.felder.get("Schluessel")
    anteile = _anteile(d, schluessel)
    risikowerte = {}
    for zeile, w in d.gelesen["tbl_Risiken"].zeilen if "tbl_Risiken" in d.gelesen else []:
        e, a = w.get("Eintrittswahrscheinlichkeit"), w.get("Auswirkung")
        if isinstance(e, int) and isinstance(a, int) and 1 <= e <= 5 and 1 <= a <= 5:
            risikowerte[zeile] = berechnung.risikowert(e, a)

    def je_kommune(posten: list[tuple[Any, berechnung.Posten]]) -> dict[str, Decimal]:
        summen: dict[str, Decimal] = {}
        for kommune, p in posten:
            gesamt = sum(berechnung.je_jahr([p], jahre), Decimal(0))
            summen[str(kommune)] = summen.get(str(kommune), Decimal(0)) + gesamt
        return summen

    return Kennzahlen(
        ag=d.arbeitsgruppe or "",
        jahre=jahre,
        zinssatz=zinssatz,
        kosten_je_zeile=kosten_je_zeile,
        wirtschaftlichkeit=wirtschaftlichkeit,
        schluessel=schluessel,
        anteile=anteile,
        risikowerte=risikowerte,
        kosten_je_kommune=je_kommune(kosten_posten),
        nutzen_je_kommune=je_kommune(nutzen_posten),
    )


def _anteile(d: Dateiergebnis, schluessel: str | None) -> dict[str, Fraction] | None:
    """Shares by the chosen key, or None where the input does not allow them (a finding says why)."""
    zeilen = (
        [w for _, w in d.gelesen["tbl_Kostenausgleich"].zeilen]
        if "tbl_Kostenausgleich" in d.gelesen
        else []
    )
    kommunen = [str(w.get("Kommune")) for w in zeilen if w.get("Kommune")]
    if not kommunen or schluessel not in berechnung.SCHLUESSEL:
        return None
    try:
        return berechnung.anteile(
            schluessel,
            kommunen,
            einwohner={str(w["Kommune"]): int(w.get("Einwohner") or 0) for w in zeilen},
            fallzahl={str(w["Kommune"]): _dezimal(w.get("Fallzahl")) or Decimal(0) for w in zeilen},
            individuell={
                str(w["Kommune"]): _dezimal(w.get("Anteil individuell")) or Decimal(0)
                for w in zeilen
            },
        )
    except (ValueError, TypeError):
        return None
