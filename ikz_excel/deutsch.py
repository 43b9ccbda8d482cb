"""Numbers written the way a German reader expects them: 1.234,5 and 12.000 €.

One place for it, so that a message, the console and a workbook's help text write the same
figure the same way.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

_PUNKT_KOMMA = str.maketrans(",.", ".,")


def prozent(anteil: int | float | Decimal) -> str:
    """A share as its cell shows it, 0.15 as "15 %": through its decimal digits, as
    0.15 * 100 in binary is 15.000000000000002. One place for the check's messages, the
    Korrektur copy's comments and the help texts."""
    return f"{zahl(Decimal(str(anteil)) * 100)} %"


def zahl(wert: int | float | Decimal, stellen: int | None = None, gruppe_ab: int = 10_000) -> str:
    """`stellen` None shows the value's own decimals (0,25 stays 0,25; 3,10 becomes 3,1).

    Thousands are grouped from `gruppe_ab` on: in running text a year or a small count (2013,
    5000) reads better as typed, a sum of money better grouped from 1.000 on.
    """
    if isinstance(wert, float):
        if not math.isfinite(wert):
            return str(wert)
        wert = Decimal(repr(wert))
    d = Decimal(wert)
    if not d.is_finite():
        return str(d)
    # With as many digits as the figure has: in the default context of 28, normalize() wrote
    # 10**30 + 1 as "1.000…000" and quantize() raised for 10**30 (review of the Prüfbericht).
    genau = Context(prec=max(28, len(d.as_tuple().digits), d.adjusted() + 2 + (stellen or 0)))
    if stellen is None:
        d = d.normalize(genau)
    else:  # rounded half up, as Excel shows the figure in the workbook and the overview
        d = d.quantize(Decimal(1).scaleb(-stellen), ROUND_HALF_UP, genau)
    gruppiert = "," if abs(d) >= gruppe_ab else ""
    return format(d, gruppiert + "f").translate(_PUNKT_KOMMA)


def euro(betrag: int | float | Decimal, stellen: int = 0) -> str:
    return zahl(betrag, stellen, gruppe_ab=1000) + " €"


def wert(wert: Any) -> str:
    """A value read from a cell, in a message and in the Prüfbericht's column Wert alike.

    One function for both: the report printed Python's "-1234.5" and "2019-03-31" beside a
    message saying "-1234,5" and "31.03.2019", and the message printed "True" where the
    report said "WAHR" (reviews of session 15).
    """
    if isinstance(wert, bool):
        return "WAHR" if wert else "FALSCH"  # as a German Excel shows the cell
    if isinstance(wert, int | float | Decimal):
        return zahl(wert)
    if isinstance(wert, datetime) and wert.time() != time():
        return f"{wert:%d.%m.%Y %H:%M}"
    if isinstance(wert, date):
        return f"{wert:%d.%m.%Y}"
    return str(wert)
