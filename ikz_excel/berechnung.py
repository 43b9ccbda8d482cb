"""The figures the Lenkungsgruppe decides on, computed once in Python.

The workbook shows the same figures as Excel formulas; these functions are the reference the
returned workbooks are checked against and the source for the consolidated report. They work on
plain data (no pandas, no openpyxl) so that every number can be traced by hand.

Money is `Decimal` and never `float`, because the decision papers must be right to the cent.
Shares are `Fraction` so that they sum to exactly 1 and splitting an amount loses no cent.
The discounting is done in exact rationals and only the results are turned into `Decimal`
(34 significant digits): the Amortisationsjahr is then decided on the exact value rounded to
6 places as in the workbook, not on a rounding artefact, and rounding to the cent is left to
the caller's display.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction
from types import MappingProxyType

KOSTENARTEN = ("einmalig", "jährlich")
SCHLUESSEL = ("Einwohner", "Fallzahl", "gleiche Anteile", "individuell")

#: Significant digits for every Decimal result; 34 is IEEE decimal128, far beyond any cent.
GENAUIGKEIT = 34

_CENT = Decimal("0.01")

# Schwellen für die vorgeschlagenen Punkte der Prioritätenmatrix (3 = günstig, 1 = ungünstig).
# Sie stehen hier als Konstanten, damit Tabellenblatt, Bericht und Tests dieselben Werte nutzen.

#: Kapitalwert in Euro, ab dem das Vorhaben monetär 3 Punkte erhält.
MONETAER_SCHWELLE_HOCH = Decimal("100000")
#: Einmalige Kosten in Euro, oberhalb derer der Aufwand nur noch 2 Punkte erhält.
AUFWAND_SCHWELLE_MITTEL = Decimal("50000")
#: Einmalige Kosten in Euro, oberhalb derer der Aufwand nur noch 1 Punkt erhält.
AUFWAND_SCHWELLE_HOCH = Decimal("250000")
#: Höchster Risikowert, ab dem die Erfolgsaussicht nur noch 2 Punkte erhält.
ERFOLG_RISIKO_MITTEL = 8
#: Höchster Risikowert, ab dem die Erfolgsaussicht nur noch 1 Punkt erhält.
ERFOLG_RISIKO_HOCH = 15
#: Punkte je Einschätzung der rechtlichen Hindernisse.
RECHTLICH_PUNKTE: Mapping[str, int] = MappingProxyType({"keine": 3, "lösbar": 2, "erheblich": 1})


def _kontext() -> Context:
    """A fresh context, so a caller's own decimal settings (precision, traps) cannot leak in."""
    return Context(prec=GENAUIGKEIT, rounding=ROUND_HALF_EVEN)


def _dezimal(wert: Fraction) -> Decimal:
    """Correctly rounded to 34 digits: the sign survives, so an exact 0 stays exactly 0."""
    with localcontext(_kontext()):
        return Decimal(wert.numerator) / Decimal(wert.denominator)


def _pruefe_dezimal(name: str, wert: Decimal) -> None:
    # float would already have lost the cent before it reaches us; refuse it instead of guessing.
    if isinstance(wert, bool) or not isinstance(wert, Decimal):
        raise TypeError(f"{name} muss eine Decimal-Zahl sein, nicht {type(wert).__name__}")
    if not wert.is_finite():
        raise ValueError(f"{name} muss eine endliche Zahl sein, nicht {wert}")


def _pruefe_ganzzahl(name: str, wert: int, von: int, bis: int) -> None:
    # bool is an int subclass; True as "1 Punkt" is a data error, not a value.
    if isinstance(wert, bool) or not isinstance(wert, int):
        raise ValueError(f"{name} muss eine ganze Zahl von {von} bis {bis} sein, nicht {wert!r}")
    if not von <= wert <= bis:
        raise ValueError(f"{name} muss zwischen {von} und {bis} liegen, nicht {wert}")


def _auf_cent(wert: Decimal) -> Decimal:
    """ROUND_HALF_UP rounds ties away from zero, which is what Excel's ROUND does for both signs."""
    with localcontext(_kontext()):
        return wert.quantize(_CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Ressourcen, Nutzen, Wirtschaftlichkeit
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posten:
    """One Ressourcen or Nutzen row after conversion.

    An unknown Kostenart is refused here so that no later sum can silently drop the row. An
    `ab_jahr` outside the Betrachtungszeitraum is allowed: the row then counts nowhere and the
    validator is the place that reports it.
    """

    betrag: Decimal
    kostenart: str
    ab_jahr: int

    def __post_init__(self) -> None:
        _pruefe_dezimal("Betrag", self.betrag)
        if self.kostenart not in KOSTENARTEN:
            raise ValueError(
                f"Unbekannte Kostenart {self.kostenart!r}; erlaubt sind: {', '.join(KOSTENARTEN)}"
            )
        if isinstance(self.ab_jahr, bool) or not isinstance(self.ab_jahr, int):
            raise ValueError(f"'ab Jahr' muss eine ganze Zahl sein, nicht {self.ab_jahr!r}")

    def zaehlt(self, jahre: int) -> bool:
        """Whether the row lies in the Betrachtungszeitraum at all."""
        return 1 <= self.ab_jahr <= jahre

    def in_jahr(self, jahr: int, jahre: int) -> bool:
        """einmalig is paid in its year only, jährlich from its year to the end of the period."""
        if not self.zaehlt(jahre):
            return False
        if self.kostenart == "einmalig":
            return jahr == self.ab_jahr
        return self.ab_jahr <= jahr <= jahre


def _pruefe_jahre(jahre: int) -> None:
    if isinstance(jahre, bool) or not isinstance(jahre, int) or jahre < 1:
        raise ValueError(
            f"Der Betrachtungszeitraum muss mindestens 1 Jahr umfassen, nicht {jahre!r}"
        )


#: Significant digits a spreadsheet engine reckons with: ROUND in Excel and LibreOffice first
#: takes its argument to 15 digits, so a product a hair below a half cent rounds up there.
STELLEN_TABELLE = 15


def kosten(menge: Decimal, kostensatz: Decimal) -> Decimal:
    """Rounded per row (not per total), because the workbook rounds each row with ROUND(…;2).

    Rounded as that ROUND does: the product to 15 significant digits, then to the cent. A
    third of a post (Menge =1/3, read as 0.3333333333333333) at 10,005 € is 3.33499999999999996…
    exactly, which the workbook shows as 3,34 €; rounded exactly it was 3,33 € in the overview
    and the check warned that the (correct) formula of the row computed wrong (cent campaign).
    """
    _pruefe_dezimal("Menge", menge)
    _pruefe_dezimal("Kostensatz", kostensatz)
    # Enough digits for the exact product, so that only the two roundings below apply.
    stellen = len(menge.as_tuple().digits) + len(kostensatz.as_tuple().digits) + 2
    with localcontext(_kontext()) as ctx:
        ctx.prec = max(GENAUIGKEIT, stellen)
        produkt = menge * kostensatz
        ctx.prec = STELLEN_TABELLE
        produkt = +produkt  # rounded to 15 digits (half even, as the engine's doubles)
        ctx.prec = max(GENAUIGKEIT, stellen)
        return produkt.quantize(_CENT, rounding=ROUND_HALF_UP)


def je_jahr(posten: Iterable[Posten], jahre: int) -> tuple[Decimal, ...]:
    """Index 0 is year 1, matching the column order of the Wirtschaftlichkeit sheet."""
    _pruefe_jahre(jahre)
    summen = [Decimal("0.00")] * jahre
    with localcontext(_kontext()):
        for p in posten:
            for jahr in range(1, jahre + 1):
                if p.in_jahr(jahr, jahre):
                    summen[jahr - 1] += p.betrag
    return tuple(summen)


@dataclass(frozen=True)
class Wirtschaftlichkeit:
    """All columns of the Wirtschaftlichkeit sheet; tuples are indexed by year − 1."""

    jahre: int
    zinssatz: Decimal
    kosten: tuple[Decimal, ...]
    nutzen: tuple[Decimal, ...]
    saldo: tuple[Decimal, ...]
    abzinsungsfaktor: tuple[Decimal, ...]
    barwert: tuple[Decimal, ...]
    kumuliert: tuple[Decimal, ...]
    kapitalwert: Decimal
    amortisationsjahr: int | None
    kosten_einmalig: Decimal
    kosten_jaehrlich: Decimal
    nutzen_einmalig: Decimal
    nutzen_jaehrlich: Decimal


def _summe_nach_kostenart(posten: Sequence[Posten], kostenart: str, jahre: int) -> Decimal:
    # Rows outside the period count nowhere, so they are left out of these totals as well;
    # otherwise the Aufwand points would rest on costs the Kapitalwert never saw.
    with localcontext(_kontext()):
        return sum(
            (p.betrag for p in posten if p.kostenart == kostenart and p.zaehlt(jahre)),
            start=Decimal("0.00"),
        )


def amortisationsjahr(saldo: Sequence[Decimal], kumuliert: Sequence[Fraction]) -> int | None:
    """The first year from which the cumulated Barwert stays ≥ 0 to the end of the period.

    "First year with cumulated Barwert ≥ 0" alone (FACHKONZEPT §5) would call a project paid
    back in year 1 when its costs only start in year 3 (nothing spent yet: 0 ≥ 0), or when a
    small saving in year 1 precedes a large investment in year 3 that is never recovered. So
    years before the first payment do not count, and a later dip below 0 undoes it; in the
    usual case (costs first, then savings) both rules give the same year.

    Decided, as the workbook decides it, on the values rounded to 6 places (ROUND(…;6)), there
    so that float noise around an exact 0 does not count: a cumulated Barwert of −0.00000002 €
    (1.002,82 € in year 1 against 7,05 € and 1.058,69 € in years 2 and 3 at 3,1 %) is paid back
    in year 3 in the workbook and was "nicht im Zeitraum" here (cent campaign).
    """
    erste_zahlung = next(
        (t for t, s in enumerate(saldo, start=1) if not _rund_null(Fraction(s))), None
    )
    if erste_zahlung is None:
        return None
    jahr = None
    for t in range(len(kumuliert), erste_zahlung - 1, -1):
        if kumuliert[t - 1] <= -_HALBES_MILLIONSTEL:
            break
        jahr = t
    return jahr


#: ROUND(x;6) rounds half away from zero: below 0 from −0.0000005 on, 0 above it.
_HALBES_MILLIONSTEL = Fraction(1, 2 * 10**6)


def _rund_null(wert: Fraction) -> bool:
    """Whether ROUND(wert;6) is 0, the workbook's test for "nothing paid in this year"."""
    return -_HALBES_MILLIONSTEL < wert < _HALBES_MILLIONSTEL


def wirtschaftlichkeit(
    kosten_posten: Iterable[Posten],
    nutzen_posten: Iterable[Posten],
    jahre: int,
    zinssatz: Decimal,
) -> Wirtschaftlichkeit:
    """Discount in exact rationals, so Amortisationsjahr and sign never depend on rounding.

    Payments fall at the end of year t (Barwert_t = Saldo_t / (1+i)^t), as in the workbook.
    `kapitalwert` is the exact Σ Barwert_t rounded once, so it may differ from the sum of the
    rounded `barwert` entries in the 34th digit; it always equals `kumuliert[-1]`.
    """
    _pruefe_jahre(jahre)
    _pruefe_dezimal("Kalkulationszinssatz", zinssatz)
    if zinssatz < 0:
        raise ValueError(f"Der Kalkulationszinssatz darf nicht negativ sein, nicht {zinssatz}")
    kp = tuple(kosten_posten)
    np_ = tuple(nutzen_posten)
    k = je_jahr(kp, jahre)
    n = je_jahr(np_, jahre)
    with localcontext(_kontext()):
        saldo = tuple(nu - ko for nu, ko in zip(n, k, strict=True))

    q = 1 + Fraction(zinssatz)
    faktoren: list[Fraction] = []
    barwerte: list[Fraction] = []
    kumuliert: list[Fraction] = []
    laufend = Fraction(0)
    for t, s in enumerate(saldo, start=1):
        faktor = 1 / q**t
        barwert = Fraction(s) * faktor
        laufend += barwert
        faktoren.append(faktor)
        barwerte.append(barwert)
        kumuliert.append(laufend)

    return Wirtschaftlichkeit(
        jahre=jahre,
        zinssatz=zinssatz,
        kosten=k,
        nutzen=n,
        saldo=saldo,
        abzinsungsfaktor=tuple(_dezimal(f) for f in faktoren),
        barwert=tuple(_dezimal(b) for b in barwerte),
        kumuliert=tuple(_dezimal(c) for c in kumuliert),
        kapitalwert=_dezimal(laufend),
        amortisationsjahr=amortisationsjahr(saldo, kumuliert),
        kosten_einmalig=_summe_nach_kostenart(kp, "einmalig", jahre),
        kosten_jaehrlich=_summe_nach_kostenart(kp, "jährlich", jahre),
        nutzen_einmalig=_summe_nach_kostenart(np_, "einmalig", jahre),
        nutzen_jaehrlich=_summe_nach_kostenart(np_, "jährlich", jahre),
    )


# --------------------------------------------------------------------------------------------
# Kostenausgleich
# --------------------------------------------------------------------------------------------


def _werte_fuer(
    name: str, kommunen: Sequence[str], werte: Mapping[str, int] | Mapping[str, Decimal] | None
) -> list[Fraction]:
    """Every Kommune needs a value: a missing one would otherwise shift costs onto the others."""
    if werte is None:
        raise ValueError(f"Für den Schlüssel {name!r} fehlen die Angaben je Kommune")
    fehlend = [k for k in kommunen if k not in werte]
    if fehlend:
        raise ValueError(f"{name}: keine Angabe für {', '.join(fehlend)}")
    ergebnis: list[Fraction] = []
    for kommune in kommunen:
        wert = werte[kommune]
        if isinstance(wert, bool) or not isinstance(wert, int | Decimal):
            raise ValueError(f"{name} für {kommune}: {wert!r} ist keine Zahl")
        if isinstance(wert, Decimal) and not wert.is_finite():
            raise ValueError(f"{name} für {kommune}: {wert} ist keine endliche Zahl")
        if wert < 0:
            raise ValueError(f"{name} für {kommune} darf nicht negativ sein, nicht {wert}")
        ergebnis.append(Fraction(wert))
    return ergebnis


def _nach_verhaeltnis(
    name: str, kommunen: Sequence[str], werte: list[Fraction]
) -> dict[str, Fraction]:
    gesamt = sum(werte, start=Fraction(0))
    if gesamt == 0:
        raise ValueError(f"Die Summe der {name} aller Kommunen ist 0; kein Anteil berechenbar")
    return {k: w / gesamt for k, w in zip(kommunen, werte, strict=True)}


def anteile(
    schluessel: str,
    kommunen: Sequence[str],
    einwohner: Mapping[str, int] | None = None,
    fallzahl: Mapping[str, Decimal] | None = None,
    individuell: Mapping[str, Decimal] | None = None,
) -> dict[str, Fraction]:
    """Exact shares, so that Σ = 1 holds without tolerance and splitting loses no cent.

    The result follows the order of `kommunen`; that order breaks ties in `verteilen`.
    Entries of the mappings for Kommunen not listed are ignored.
    """
    if schluessel not in SCHLUESSEL:
        raise ValueError(
            f"Unbekannter Verteilungsschlüssel {schluessel!r}; "
            f"erlaubt sind: {', '.join(SCHLUESSEL)}"
        )
    if not kommunen:
        raise ValueError("Es ist keine Kommune angegeben")
    doppelt = sorted(k for k, anzahl in Counter(kommunen).items() if anzahl > 1)
    if doppelt:
        raise ValueError(f"Kommune mehrfach angegeben: {', '.join(doppelt)}")

    if schluessel == "gleiche Anteile":
        return {k: Fraction(1, len(kommunen)) for k in kommunen}
    if schluessel == "Einwohner":
        return _nach_verhaeltnis(
            "Einwohner", kommunen, _werte_fuer("Einwohner", kommunen, einwohner)
        )
    if schluessel == "Fallzahl":
        return _nach_verhaeltnis("Fallzahl", kommunen, _werte_fuer("Fallzahl", kommunen, fallzahl))

    werte = _werte_fuer("Individueller Anteil", kommunen, individuell)
    gesamt = sum(werte, start=Fraction(0))
    if not ergibt_eins(gesamt):
        prozent = _dezimal(gesamt * 100)
        raise ValueError(
            f"Die individuellen Anteile ergeben zusammen {prozent.normalize():f} %, "
            "sie müssen genau 100 % ergeben"
        )
    # Three times =1/3 typed in Excel sums to 0.9999999999999999: scaled to exactly 1.
    return {k: w / gesamt for k, w in zip(kommunen, werte, strict=True)}


def ergibt_eins(summe: Decimal | Fraction) -> bool:
    """Shares add up to 100 % when their sum rounds to 1 at 6 places, as the workbook's check
    (ROUND(SUM(...),6)=1) says: a third typed as =1/3 is exact enough, 33,33 % is not."""
    halb = Fraction(1, 2 * 10**6)  # ROUND(x,6)=1 for 0.9999995 <= x < 1.0000005
    return -halb <= Fraction(summe) - 1 < halb


def _ganzzahlig(anteile: Mapping[str, Fraction]) -> tuple[list[int], int]:
    """The shares as integer numerators over one common denominator, after checking them.

    The overview splits three amounts for every AG among its Kommunen (for 1,000 AGs some
    3,000 splits); integers over a common denominator give the same floors and the same order
    of remainders as arithmetic on Fractions, at a quarter of the cost.
    """
    if not anteile:
        raise ValueError("Es sind keine Anteile angegeben")
    for kommune, anteil in anteile.items():
        if anteil < 0:
            raise ValueError(f"Der Anteil von {kommune} darf nicht negativ sein")
    # Exact for what `anteile` builds (Fractions) and for any other number a caller passes.
    brueche = [a if type(a) is Fraction else Fraction(a) for a in anteile.values()]
    nenner = math.lcm(*(a.denominator for a in brueche))
    zaehler = [a.numerator * (nenner // a.denominator) for a in brueche]
    if sum(zaehler) != nenner:
        gesamt = Fraction(sum(zaehler), nenner)
        raise ValueError(f"Die Anteile ergeben zusammen {gesamt}, nicht genau 1")
    return zaehler, nenner


def verteilen(
    betrag: Decimal, anteile: Mapping[str, Fraction], stellen: int = 2
) -> dict[str, Decimal]:
    """Hare–Niemeyer, so the parts add up to the amount exactly and each is within one unit.

    Every Kommune first gets its exact share rounded down; the units left over go, one each, to
    the largest remainders. Equal remainders are served in the order of `anteile`, so the result
    is reproducible. A negative amount (a net benefit to hand out) is split by its absolute value
    and the sign applied afterwards, so that rounding favours nobody depending on the sign.
    An amount with more decimals than `stellen` is refused: it cannot be split exactly.
    """
    _pruefe_dezimal("Betrag", betrag)
    if isinstance(stellen, bool) or not isinstance(stellen, int) or stellen < 0:
        raise ValueError(f"Die Zahl der Nachkommastellen muss ≥ 0 sein, nicht {stellen!r}")
    zaehler, nenner = _ganzzahlig(anteile)
    einheiten_exakt = Fraction(betrag) * 10**stellen
    if einheiten_exakt.denominator != 1:
        raise ValueError(
            f"Der Betrag {betrag} hat mehr als {stellen} Nachkommastellen und ist erst zu runden"
        )
    vorzeichen = -1 if einheiten_exakt < 0 else 1
    einheiten = abs(einheiten_exakt.numerator)

    # Share i is exactly einheiten * zaehler[i] / nenner units: its floor and its remainder
    # (over the same denominator for all, so remainders compare as integers).
    teile, reste = [], []
    for z in zaehler:
        ganz, rest = divmod(einheiten * z, nenner)
        teile.append(ganz)
        reste.append(rest)
    uebrig = einheiten - sum(teile)
    # sorted() is stable, so equal remainders keep the given order.
    reihenfolge = sorted(range(len(teile)), key=reste.__getitem__, reverse=True)
    for i in reihenfolge[:uebrig]:
        teile[i] += 1
    # Built from a string so that the exponent is exact whatever the size of the amount.
    return {k: Decimal(f"{vorzeichen * t}E-{stellen}") for k, t in zip(anteile, teile, strict=True)}


def anteile_prozent(anteile: Mapping[str, Fraction], stellen: int = 2) -> dict[str, Decimal]:
    """Shown percentages must add up to 100 on paper, hence the same method as for money."""
    return verteilen(Decimal(100), anteile, stellen)


# --------------------------------------------------------------------------------------------
# Risiken und Prioritätenmatrix
# --------------------------------------------------------------------------------------------


def risikowert(wahrscheinlichkeit: int, auswirkung: int) -> int:
    """The product keeps the workbook's 5×5 heat map: 1–25, with 15+ marking the red corner."""
    _pruefe_ganzzahl("Eintrittswahrscheinlichkeit", wahrscheinlichkeit, 1, 5)
    _pruefe_ganzzahl("Auswirkung", auswirkung, 1, 5)
    return wahrscheinlichkeit * auswirkung


def gesamtpunkte(faktoren: Mapping[str, int], punkte: Mapping[str, int]) -> int:
    """Both mappings must name the same criteria: a missing one would quietly count as 0."""
    if set(faktoren) != set(punkte):
        ohne_punkte = [k for k in faktoren if k not in punkte]
        ohne_faktor = [k for k in punkte if k not in faktoren]
        teile = []
        if ohne_punkte:
            teile.append(f"ohne Punkte: {', '.join(ohne_punkte)}")
        if ohne_faktor:
            teile.append(f"ohne Faktor: {', '.join(ohne_faktor)}")
        raise ValueError(f"Kriterien passen nicht zusammen ({'; '.join(teile)})")
    gesamt = 0
    for kriterium, faktor in faktoren.items():
        _pruefe_ganzzahl(f"Faktor für {kriterium}", faktor, 1, 3)
        _pruefe_ganzzahl(f"Punkte für {kriterium}", punkte[kriterium], 1, 3)
        gesamt += faktor * punkte[kriterium]
    return gesamt


def raenge(gesamt: Mapping[str, int]) -> dict[str, int]:
    """Rang = 1 + number of better items: ties share, the next rank skips, as Excel's RANK(x;r;0).

    The workbook shows RANK() and both must agree, so dense ranking is deliberately not used.
    The better ones are counted in the sorted points (a binary search): comparing each of
    1,000 AGs with each other was 1.3 % of writing the overview.
    """
    werte = sorted(gesamt.values())
    return {
        name: 1 + len(werte) - bisect.bisect_right(werte, wert) for name, wert in gesamt.items()
    }


def punkte_monetaer(kapitalwert: Decimal) -> int:
    """Vorgeschlagene Punkte für den monetären Nutzen aus dem Kapitalwert.

    - Kapitalwert 0 € oder negativ: 1 Punkt (das Vorhaben rechnet sich im Zeitraum nicht),
    - Kapitalwert über 0 € und unter 100.000 €: 2 Punkte,
    - Kapitalwert ab 100.000 €: 3 Punkte.

    Maßgeblich ist der auf den Cent gerundete Kapitalwert, also die Zahl, die im Blatt steht.
    """
    _pruefe_dezimal("Kapitalwert", kapitalwert)
    wert = _auf_cent(kapitalwert)
    if wert <= 0:
        return 1
    if wert < MONETAER_SCHWELLE_HOCH:
        return 2
    return 3


def punkte_aufwand(einmalige_kosten_gesamt: Decimal) -> int:
    """Vorgeschlagene Punkte für den Umsetzungsaufwand aus den einmaligen Kosten.

    - einmalige Kosten über 250.000 €: 1 Punkt,
    - einmalige Kosten über 50.000 € bis 250.000 €: 2 Punkte,
    - einmalige Kosten bis 50.000 €: 3 Punkte.

    Maßgeblich ist der auf den Cent gerundete Betrag, also die Zahl, die im Blatt steht.
    """
    _pruefe_dezimal("Einmalige Kosten", einmalige_kosten_gesamt)
    wert = _auf_cent(einmalige_kosten_gesamt)
    if wert > AUFWAND_SCHWELLE_HOCH:
        return 1
    if wert > AUFWAND_SCHWELLE_MITTEL:
        return 2
    return 3


def punkte_rechtlich(hindernisse: str | None) -> int | None:
    """Vorgeschlagene Punkte für die rechtliche Umsetzbarkeit aus den rechtlichen Hindernissen.

    - keine Hindernisse: 3 Punkte,
    - lösbare Hindernisse: 2 Punkte,
    - erhebliche Hindernisse: 1 Punkt,
    - keine Angabe: kein Vorschlag (die Lenkungsgruppe vergibt die Punkte selbst).
    """
    if hindernisse is None:
        return None
    if hindernisse not in RECHTLICH_PUNKTE:
        raise ValueError(
            f"Unbekannte Einschätzung der rechtlichen Hindernisse {hindernisse!r}; "
            f"erlaubt sind: {', '.join(RECHTLICH_PUNKTE)}"
        )
    return RECHTLICH_PUNKTE[hindernisse]


def punkte_erfolg(hoechster_risikowert: int | None) -> int | None:
    """Vorgeschlagene Punkte für die Erfolgsaussicht aus dem höchsten Risikowert.

    Der Risikowert eines Risikos ist Eintrittswahrscheinlichkeit (1–5) mal Auswirkung (1–5).
    Maßgeblich ist das schwerste Risiko des Vorhabens:

    - höchster Risikowert 15 oder mehr: 1 Punkt,
    - höchster Risikowert 8 bis 14: 2 Punkte,
    - höchster Risikowert unter 8: 3 Punkte,
    - keine Risiken bewertet: kein Vorschlag (die Lenkungsgruppe vergibt die Punkte selbst).
    """
    if hoechster_risikowert is None:
        return None
    _pruefe_ganzzahl("Höchster Risikowert", hoechster_risikowert, 1, 25)
    if hoechster_risikowert >= ERFOLG_RISIKO_HOCH:
        return 1
    if hoechster_risikowert >= ERFOLG_RISIKO_MITTEL:
        return 2
    return 3
