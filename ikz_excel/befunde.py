"""Findings (Befunde): what is wrong, where, and what to do, as data.

A finding is data, not an exception: one bad cell must never stop the check of the others, and
the same list feeds the console report, `--json`, the Prüfbericht and the Korrektur copy.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Stufe(StrEnum):
    FEHLER = "Fehler"  # must be fixed before the Lenkungsgruppe sees the figures
    WARNUNG = "Warnung"  # implausible, please check
    HINWEIS = "Hinweis"  # understood and converted, for information


class Regel(StrEnum):
    """Stable codes: other tools filter on them, so they never change meaning."""

    TYP = "TYP"
    BEREICH = "BEREICH"
    PFLICHT = "PFLICHT"
    LISTE = "LISTE"
    STRUKTUR = "STRUKTUR"
    VERSION = "VERSION"
    DATEI = "DATEI"
    EINDEUTIG = "EINDEUTIG"
    PARTNER = "PARTNER"
    SUMME = "SUMME"
    INHALT = "INHALT"
    FORMEL = "FORMEL"
    RISIKO = "RISIKO"
    UMGEWANDELT = "UMGEWANDELT"

    @property
    def bezeichnung(self) -> str:
        """In words for the Lenkungsgruppe: the codes are for tools and filters, and
        "UMGEWANDELT" in the overview is jargon to a mayor (print review)."""
        return _BEZEICHNUNGEN[self]


_BEZEICHNUNGEN = {
    Regel.TYP: "keine Zahl bzw. kein Datum",
    Regel.BEREICH: "außerhalb des Bereichs",
    Regel.PFLICHT: "Angabe fehlt",
    Regel.LISTE: "nicht in der Auswahlliste",
    Regel.STRUKTUR: "Aufbau der Mappe",
    Regel.VERSION: "Vorlage oder Stammdaten",
    Regel.DATEI: "Datei",
    Regel.EINDEUTIG: "doppelt",
    Regel.PARTNER: "Partnerkommune",
    Regel.SUMME: "Summe",
    Regel.INHALT: "Inhalt",
    Regel.FORMEL: "Formel oder Vorgabe überschrieben",
    Regel.RISIKO: "Risiko ohne Maßnahme",
    Regel.UMGEWANDELT: "Eingabe umgedeutet",
}


@dataclass(frozen=True)
class Befund:
    datei: str
    arbeitsgruppe: str | None
    blatt: str | None
    zelle: str | None
    spalte: str | None
    wert: Any
    stufe: Stufe
    regel: Regel
    meldung: str

    def als_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stufe"] = str(self.stufe)
        d["regel"] = str(self.regel)
        d["wert"] = _json_wert(self.wert)
        return d


def _json_wert(wert: Any) -> Any:
    """A number as a JSON number, whatever column it came from: amounts are Decimal and came
    out as "-3.0" beside a 7 of another column (contract audit); whole numbers without ".0"."""
    if isinstance(wert, bool) or wert is None or isinstance(wert, str | int):
        return wert
    if isinstance(wert, Decimal) and wert.is_finite():
        return int(wert) if wert == wert.to_integral_value() else float(wert)
    if isinstance(wert, float) and math.isfinite(wert):
        return int(wert) if wert.is_integer() else wert
    return str(wert)
