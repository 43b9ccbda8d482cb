"""Reading workbooks: tables with their cell positions, and German input as clerks type it.

Returned files are only ever read, never loaded and saved: a round trip through openpyxl drops
what it does not model. Each file is read from disk once; its zip is opened once (`Paket`): the
small parts that say where the tables stand are scanned there, and python-calamine reads each
sheet with a table once. Every value keeps its Excel row and column, so any finding can name the
cell a clerk has to fix.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import itertools
import math
import os
import posixpath
import re
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as uhrzeit
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from ikz_excel import deutsch
from ikz_excel.dateien import (
    VERKNUEPFUNG_WAS_TUN,
    OrdnerNichtLesbar,
    grund,
    lesbar,
    verknuepfung_ohne_ziel,
)
from ikz_excel.definition import BIS, FORMELN, KORREKTURBLATT, ZELLEN, Spalte

# Conversion of single values ------------------------------------------------------------------


@dataclass(frozen=True)
class Umwandlung:
    """The result of reading one cell: the typed value, or why it could not be read."""

    wert: Any = None
    fehler: str | None = None  # German: what is wrong and what to do
    hinweis: str | None = None  # German: how the text was understood

    @property
    def ok(self) -> bool:
        return self.fehler is None


_LEER = Umwandlung(None)
_WAEHRUNG = re.compile(r"\s*(€|EUR|Euro)\s*", re.IGNORECASE)
_DE_TAUSENDER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_TAUSENDER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUR_KOMMA = re.compile(r"^[+-]?\d*,\d+$")
_NUR_PUNKT = re.compile(r"^[+-]?\d*\.\d+$")
_GANZ = re.compile(r"^[+-]?\d+$")
_GANZE_EURO = re.compile(r"^([+-]?(?:\d+|\d{1,3}(?:\.\d{3})+)),(?:-{1,2}|–)$")
_MEHRDEUTIG = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_MEHRDEUTIG_KOMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")  # 5,000: 5 or 5000 euros?
_KLAMMER = re.compile(r"^\(([^()-]+)\)$")  # (500): negative, as in an accounting report
_ORDNUNGSZAHL = re.compile(r"^\d+\.$")  # "1." as a list is numbered: the German ordinal
# "R1", "Nr. 1", "3 Punkte": one whole number with a word before or after it
_WORT = r"[^\W\d_](?:[^\W\d_]|\.)*"  # letters (any script) and dots: "Nr.", "R", "Punkte"
_ZAHL_MIT_WORT = re.compile(rf"^(?P<vor>{_WORT}\s*|#\s*)?(?P<zahl>\d+)\.?(?P<nach>\s*{_WORT})?$")
# "0,5 Stelle", "2 Stellen", "12 Monate": a Menge with its unit behind it
_MENGE_MIT_WORT = re.compile(rf"^(?P<zahl>\d+(?:,\d+)?)\s*(?P<nach>{_WORT})$")
# "15 T€", "1,5 Mio. €": amounts in thousands or millions, as in council papers
_GROESSENORDNUNG = re.compile(
    r"\s*(?:(T)\s*(?:€|EUR|Euro)|(TEUR)|(Tsd|Mio)\.?\s*(?:€|EUR|Euro)?)\s*$", re.IGNORECASE
)  # "15 T" alone stays unread: 15 Tage in a Menge
_FAKTOR = {"t": 1_000, "teur": 1_000, "tsd": 1_000, "mio": 1_000_000}
_DATUM_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_EXCEL_NULLTAG = date(1899, 12, 30)


class Fehlerwert(str):
    """What a cell shows instead of a value: #DIV/0!, #NAME?, #REF! (the text as saved).

    python-calamine reads such a cell as "", as if it were empty, so a broken formula in an
    input cell looked like a missing entry ("Pflichtangabe fehlt") and the Korrektur copy
    emptied it. `einlesen` takes these cells from the sheet XML (`_fehlerzellen`). A str, so
    that messages and the Korrektur copy show what the clerk saw; `formel` says whether a
    formula produced it (to be replaced by its value) or the error itself was pasted;
    `formeltext` is that formula as saved (without "="), to tell a text Calc took for one.
    """

    formel: bool
    formeltext: str

    def __new__(cls, text: str, formel: bool = True, formeltext: str = "") -> Fehlerwert:
        wert = super().__new__(cls, text)
        wert.formel = formel
        wert.formeltext = formeltext
        return wert

    def __reduce__(self) -> tuple[Any, ...]:  # to and from worker processes, with `formel`
        return (Fehlerwert, (str(self), self.formel, self.formeltext))


class Prozentwert(float):
    """A number in a cell formatted as a percentage (`12,5 %` typed or pasted): 0.125.

    python-calamine returns only the value, and in a Betrag or a Menge 0,125 looked like a
    figure the clerk had typed so; `ikz pruefen` read "12,5 %" in a Kostensatz silently as
    0,13 € (session 21). The cell's number format, in the sheet XML and styles.xml, tells
    (`_formatzellen`); `umwandeln` refuses it where no percentage belongs. A float, so that
    everything else treats it as the number it is.
    """

    __slots__ = ()


class Eurowert(float):
    """A number in a cell formatted as an amount in euros (`50 €` typed or pasted into an
    Anteil): refused there, as a `Prozentwert` is in a Betrag."""

    __slots__ = ()


_ERWARTET = {
    "text": "eines Textes",
    "liste": "eines Werts aus der Auswahlliste",
    "datum": "eines Datums",
}


def _text_als_formel(formeltext: str) -> bool:
    """Whether a formula that fails is rather a text typed as one: words, no function call.

    A text that starts with "=", "+" or "-" ("- erster Punkt", "= Kosten sinken") is a
    formula to Calc and Excel; it fails (#NAME?) and Calc even lowercases it."""
    return "(" not in formeltext and _ZWEI_WORTBUCHSTABEN.search(formeltext) is not None


def _als_getippt(formeltext: str) -> str:
    """The formula as the clerk typed it: "-erster punkt" as is, "kosten sinken" with "="."""
    return formeltext if formeltext[:1] in ("+", "-", "=") else "=" + formeltext


_ZWEI_WORTBUCHSTABEN = re.compile(r"[^\W\d_]{2}")


def fehlerwert_meldung(wert: Fehlerwert, typ: str) -> str:
    """What is wrong with a cell showing an error value, and what to do, in German."""
    zeigt = f"einen Fehlerwert ({wert})" if wert else "einen Fehlerwert"
    erwartet = _ERWARTET.get(typ, "einer Zahl")
    if wert.formel and typ == "text" and _text_als_formel(wert.formeltext):
        # "Bitte die Formel durch den Wert ersetzen" to a clerk who typed a bullet point
        # "- erster Punkt": there is no value to keep, the text is gone (Calc test 22)
        return (
            f"Die Zelle zeigt {zeigt} statt {erwartet}: Der Eintrag wurde als Formel gelesen "
            f"({_kurz(_als_getippt(wert.formeltext))}), wohl weil er mit =, + oder - "
            "beginnt. Bitte den Text neu eingeben, mit einem Apostroph davor ('- erster "
            "Punkt) oder ohne das Zeichen am Anfang."
        )
    if wert.formel:
        return (
            f"Die Zelle zeigt {zeigt} statt {erwartet}. Bitte die Formel durch den Wert ersetzen."
        )
    return f"Die Zelle enthält {zeigt} statt {erwartet}. Bitte den richtigen Wert eingeben."


def ist_leer(roh: Any) -> bool:
    return roh is None or (isinstance(roh, str) and roh.strip() == "")


def zeilenschluessel(wert: Any) -> str | None:
    """The key of a prescribed row as typed ("3.1", or 3 read as 3.0): one rule for the check
    and the Korrektur copy, which must agree on which row is which."""
    if ist_leer(wert):
        return None
    return str(int(wert) if isinstance(wert, float) and wert.is_integer() else wert).strip()


def leere_zeile(werte: list[Any] | tuple[Any, ...]) -> bool:
    """No value in any of `werte`. Most rows of a pre-sized table are like that; calamine
    returns their cells as "", which one C-level count finds without a call per cell."""
    return werte.count("") == len(werte) or all(ist_leer(w) for w in werte)


def zahl_aus_text(
    text: str,
    ganzzahlig: bool = False,
    betrag: bool = False,
    prozent_spalte: bool = False,
    tausender_moeglich: bool = False,
) -> Umwandlung:
    """Understand '1.234,50 €', '3,5', '3,1 %', '15 T€' and friends; refuse what could mean two
    things.

    A lone dot followed by exactly three digits ('1.234') is German for 1234 but English for
    1.234: a thousandfold error in a cost figure is worse than asking, so it is refused; where
    only whole numbers make sense (`ganzzahlig`: Einwohner, Nr, Punkte) it can only be 1234.
    A lone comma before three digits ('5,000') is German for 5 but English for 5000; in an
    amount of euros (`betrag`) three decimals make no sense, nor in a whole number or a
    Fallzahl (`tausender_moeglich`: it moves the split), so there it is refused too.
    A minus pasted from Word or a PDF ('−500', '–500'), in parentheses ('(500)', accounting)
    or behind the number ('500-', as Excel and finance software write it) is a minus: the
    message then is that of a negative amount, which says what to do, not "keine Zahl".
    """
    original = text
    # a share: "z. B. 1234,50" in Anteil individuell read like a figure to type (probe)
    beispiel = "1234" if ganzzahlig else "33,5 %" if prozent_spalte else "1234,50"
    if len(text) > MAX_ZAHLENTEXT:  # no number is that long; and the patterns stay linear
        return Umwandlung(fehler=f"{_kurz(original)} ist keine Zahl. Bitte nur Ziffern eingeben.")
    s = sichtbar(text).strip()
    prozent = s.endswith("%")
    if prozent:
        s = s[:-1].strip()
    faktor = 1
    if not prozent and (groesse := _GROESSENORDNUNG.search(s)) and groesse.start() > 0:
        faktor = _FAKTOR[next(g for g in groesse.groups() if g).casefold()]
        s = s[: groesse.start()]
    s = _WAEHRUNG.sub("", s).replace(" ", "").replace("'", "").translate(_STRICHE)
    if not s:
        return Umwandlung(fehler=f"{zitat(original)} enthält keine Zahl.")
    if (klammer := _KLAMMER.match(s)) or (s.endswith("-") and not _GANZE_EURO.match(s)):
        s = "-" + (klammer.group(1) if klammer else s[:-1])
    if (betrag or ganzzahlig or tausender_moeglich) and not prozent and _MEHRDEUTIG_KOMMA.match(s):
        return Umwandlung(
            fehler=f"{zitat(original)} ist mehrdeutig ({s.replace(',', '')} mit Komma als "
            f"Tausendertrennzeichen oder {deutsch.zahl(Decimal(s.replace(',', '.')))} mit drei "
            + (
                "Nachkommastellen?). Bitte die Zahl ohne Tausendertrennzeichen eingeben, z. B. "
                "1234."
                if not betrag
                else "Nachkommastellen?). Bitte den Betrag ohne Tausendertrennzeichen und mit "
                "höchstens zwei Nachkommastellen eingeben, z. B. 1234,50."
            )
        )
    if (ganz_euro := _GANZE_EURO.match(s)) and not prozent:
        # "165.000,-": whole euros, German by its comma, so the dots group thousands
        zahl = Decimal(ganz_euro.group(1).replace(".", ""))
    elif _GANZ.match(s):
        zahl = Decimal(s)
    # before _DE_TAUSENDER (would read 1234); "1.500 Tsd" is whole either way: still ambiguous
    elif _MEHRDEUTIG.match(s) and not (ganzzahlig and faktor == 1):
        return Umwandlung(
            # the clerk's own number in both readings ("EUR 12.000": 12000 or 12 with three
            # places?), not a made-up 1.234 (session 22). In an amount '1,234' is ambiguous
            # itself (above): the example is the whole number only.
            # With "Tsd" the example is the whole amount: "1500" alone would be 1500 €.
            fehler=f"{zitat(original)} ist mehrdeutig ({s.replace('.', '')} mit Punkt als "
            f"Tausendertrennzeichen oder {deutsch.zahl(Decimal(s))} mit Punkt als "
            "Dezimalzeichen?). Bitte "
            + (
                "den Betrag ohne Tausenderpunkt eingeben, z. B. "
                f"{Decimal(s.replace('.', '')) * faktor}."
                if betrag
                else "die Zahl ohne Tausenderpunkt eingeben, z. B. "
                f"{Decimal(s.replace('.', '')) * faktor} oder {deutsch.zahl(Decimal(s) * faktor)}."
            )
        )
    elif _DE_TAUSENDER.match(s):
        zahl = Decimal(s.replace(".", "").replace(",", "."))
    elif _NUR_KOMMA.match(s):
        zahl = Decimal(s.replace(",", "."))
    elif _EN_TAUSENDER.match(s) and "." in s:
        zahl = Decimal(s.replace(",", ""))
    elif _NUR_PUNKT.match(s):
        zahl = Decimal(s)
    elif ganzzahlig and _ORDNUNGSZAHL.match(s):
        # "1." in a Nr or a Gewicht: numbered as in a list, the number is clear (probe)
        zahl = Decimal(s[:-1])
    elif ganzzahlig and (gemeint := _zahl_mit_wort(original)) is not None:
        # "R1", "Nr. 1": which number is meant is plain, but not read (is "R1" risk 1 or the
        # first of the Rechtlichen?); "Bitte nur Ziffern eingeben, z. B. 1234" read as if the
        # clerk had typed no number at all (probe)
        return Umwandlung(
            fehler=f"{zitat(original)} ist keine Zahl. Bitte nur die Zahl eingeben, ohne "
            f"Buchstaben oder Zeichen davor oder danach, z. B. {gemeint}."
        )
    elif not (ganzzahlig or betrag or prozent_spalte or tausender_moeglich) and (
        menge := _MENGE_MIT_WORT.match(" ".join(sichtbar(original).split()))
    ):
        # "0,5 Stelle" in a Menge: the unit belongs in Einheit, the number is plain; "Bitte
        # nur Ziffern eingeben, z. B. 1234,50" read as if no number had been typed (Calc test
        # 21). Not in amounts ("15 T" may be thousands) nor shares ("50 Prozent" is not 50).
        return Umwandlung(
            fehler=f"{zitat(original)} ist keine Zahl. Bitte nur die Zahl eingeben, ohne "
            f"Einheit oder Wort dahinter, z. B. {menge['zahl']}."
        )
    elif prozent_spalte and not prozent and (bruch := _BRUCH.match(s)) and _bruch_ok(bruch):
        # "1/3" in an Anteil: LibreOffice keeps it as text (Excel makes a date of it, see
        # `_datum_statt_zahl`). Which share is meant is plain; it is said in percent, not read:
        # a third is no figure with two places, and the sum must come to exactly 100 %.
        return Umwandlung(fehler=_bruch_meldung(original, *map(int, bruch.groups())))
    elif (
        not (prozent or prozent_spalte)
        and (ungefaehr := _UNGEFAEHR.match(" ".join(sichtbar(original).split())))
        and (gemeint_zahl := _ungefaehr_gemeint(ungefaehr["rest"], ganzzahlig, betrag))
    ):
        # "ca. 5.000", "rund 12.000 €": an estimate, which is what the workbook asks for;
        # "Bitte nur Ziffern eingeben, z. B. 1234,50" read as if no number had been typed
        # (Calc test 24)
        return Umwandlung(
            fehler=f"{zitat(original)} ist keine Zahl. Bitte nur die Zahl eingeben, ohne "
            f"„{ungefaehr['wort']}“ davor, z. B. {gemeint_zahl} (ein geschätzter Wert ist "
            "hier richtig)."
        )
    elif _UNBEKANNT.match(" ".join(sichtbar(original).split()).casefold()):
        # "k. A.", "-", "?", "n. b." for a figure not known yet: "Bitte nur Ziffern eingeben"
        # did not say what to enter when there is no figure (Calc test 24)
        return Umwandlung(
            fehler=f"{zitat(original)} ist keine Zahl. Bitte eine Zahl eintragen: ist sie noch "
            "nicht bekannt, einen geschätzten Wert; gehört hier nichts hin, 0."
        )
    else:
        return Umwandlung(
            fehler=f"{zitat(original)} ist keine Zahl. Bitte nur Ziffern eingeben, "
            f"z. B. {beispiel}."
        )
    if prozent:
        zahl = zahl / 100
    zahl *= faktor
    if zahl == 0:  # '(0)', '0-', '-0': "als Zahl -0 gelesen" said a sign nobody meant (review)
        zahl = zahl.copy_abs()
    return Umwandlung(
        zahl, hinweis=f"Text {zitat(original)} wurde als Zahl {deutsch.zahl(zahl)} gelesen."
    )


MAX_ZAHLENTEXT = 60
# "ca. 5.000", "rund 12.000 €", "~ 300": an estimate said with a word before the number
_UNGEFAEHR = re.compile(
    r"^(?P<wort>ca\.?|circa|zirka|etwa|rund|ungefähr|geschätzt|~)"
    r"\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
# what is typed for "not known" or "none": k. A. (keine Angabe), n. b., -, ?, entfällt
_UNBEKANNT = re.compile(
    r"^(?:k\.\s*a\.?|n\.\s*b\.?|n\.\s*a\.?|-+|–|—|\?+|entfällt|keine|unbekannt|offen)$"
)


def _ungefaehr_gemeint(rest: str, ganzzahlig: bool, betrag: bool) -> str | None:
    """The number of an estimate's rest ('5.000 €' of 'ca. 5.000 €') as to type it, or None.
    A dot before three digits is read German here ('5.000' is 5000), as Calc reads it when
    the clerk types it again; alone it stays ambiguous (see `zahl_aus_text`)."""
    rest = rest.strip()
    kern = _WAEHRUNG.sub("", rest).replace(" ", "").translate(_STRICHE)
    if _MEHRDEUTIG.match(kern):
        return kern.replace(".", "")
    umgewandelt = zahl_aus_text(rest, ganzzahlig=ganzzahlig, betrag=betrag)
    if not umgewandelt.ok or umgewandelt.wert is None:
        return None
    return deutsch.zahl(umgewandelt.wert).replace(".", "")


_BRUCH = re.compile(r"^(\d{1,3})/(\d{1,3})$")  # "1/3", "2/5": a share as a fraction


def _bruch_ok(bruch: re.Match[str]) -> bool:
    """A fraction that is a share: a part of at most the whole (1/3, 3/4), not 0/0 or 5/2."""
    zaehler, nenner = int(bruch[1]), int(bruch[2])
    return 0 < zaehler <= nenner


def _bruch_meldung(original: str, zaehler: int, nenner: int) -> str:
    """'1/3' in an Anteil: the share in percent to type, and for a fraction that percent
    cannot hold exactly (a third), how the shares still come to 100 %."""
    genau = Decimal(100 * zaehler) / Decimal(nenner)
    gerundet = genau.quantize(Decimal("0.01"))
    text = (
        f"{zitat(original)} ist keine Zahl. Den Anteil bitte in Prozent eingeben: für "
        f"{zaehler}/{nenner} {deutsch.zahl(gerundet)} %"
    )
    if gerundet != genau:
        return text + (
            " (gerundet; die Anteile zusammen müssen genau 100 % ergeben, z. B. bei drei "
            "gleichen Anteilen 33,33 %, 33,33 % und 33,34 %)."
        )
    return text + "."


def _zahl_mit_wort(text: str) -> int | None:
    """The whole number in 'R1', 'Nr. 1' or '3 Punkte': one number with a word before or
    after it; None for anything else."""
    treffer = _ZAHL_MIT_WORT.match(" ".join(sichtbar(text).split()))
    if treffer is None or not (treffer["vor"] or treffer["nach"]):
        return None
    return int(treffer["zahl"])


def _kurz(text: str) -> str:
    """A typed text for a message: whole when short, else its start."""
    return zitat(text if len(text) <= MAX_ZAHLENTEXT else text[:MAX_ZAHLENTEXT] + " …")


#: Characters one cannot see, pasted from PDFs and web pages: zero-width space, word joiner,
#: byte order mark and soft hyphen go; the no-break spaces (also the narrow one French and
#: some German typesetting put between thousands) are spaces.
_UNSICHTBAR = str.maketrans(
    {"\u200b": None, "\u2060": None, "\ufeff": None, "\u00ad": None}
    | {z: " " for z in "\u00a0\u202f\u2009\u2007"}
)


def sichtbar(text: str) -> str:
    return text.translate(_UNSICHTBAR)


_STRICHE = str.maketrans("‐‑‒–—―−", "-------")


def vergleichbar(text: str) -> str:
    """A name as the eye reads it: without invisible characters, one kind of dash, single
    spaces, no case. Two names equal so but not as typed differ in what a clerk cannot see."""
    return " ".join(sichtbar(text).translate(_STRICHE).split()).casefold()


def zitat(text: str) -> str:
    """A typed text quoted for a clerk: as it looks, line breaks as spaces, no Python escapes
    ('\\xa0') that only a programmer can read."""
    return "'" + " ".join(sichtbar(text).replace("'", "’").split("\n")) + "'"


_JAHR_ALS_DATUM = (_EXCEL_NULLTAG + timedelta(days=1900), _EXCEL_NULLTAG + timedelta(days=2100))


def _jahreszahl(jahr: int) -> str:
    return f"{jahr} ist eine Jahreszahl, kein Datum. Bitte ein Datum eingeben, z. B. 31.12.{jahr}."


_JAHR = re.compile(r"^(\d{4})$")
_MONAT = re.compile(r"^(\d{1,2})\s*[./]\s*(\d{4})$")  # 09/2013, 9.2013
_QUARTAL = re.compile(r"^(?:Q\s*([1-4])|([1-4])\.\s*Quartal)\s*[/ ]?\s*(\d{4})$", re.IGNORECASE)
_HALBJAHR = re.compile(
    r"^(?:H\s*([12])|([12])\.\s*(?:Hj\.?|Halbjahr|Jahreshälfte))\s*[/ ]?\s*(\d{4})$", re.IGNORECASE
)
_IM_JAHR = re.compile(r"^(Anfang|Mitte|Ende)\s+(\d{4})$", re.IGNORECASE)
# "2013/14", "2013/2014", "2013-14": two years, as a budget or school year is written
_ZWEI_JAHRE = re.compile(r"^(\d{4})\s*[/–-]\s*(\d{2}|\d{4})$")
#: Month names as typed in schedules: in full and abbreviated ("Sept.", "Maerz")
_MONATE = {
    name: nummer
    for nummer, namen in enumerate(
        (
            "januar jan jänner",
            "februar feb",
            "märz mär maerz mrz",
            "april apr",
            "mai",
            "juni jun",
            "juli jul",
            "august aug",
            "september sep sept",
            "oktober okt",
            "november nov",
            "dezember dez",
        ),
        1,
    )
    for name in namen.split()
}
_MONATSNAME = re.compile(r"^([^\W\d_]{3,9})\.?\s*(\d{4})$")
#: The day a rough time in the year points to, and what that day is: a Meilenstein is due by
#: then, so the end of the time meant, as for a month or a quarter.
_IM_JAHR_TAG = {
    "anfang": ((3, 31), "das Ende des ersten Quartals"),
    "mitte": ((6, 30), "die Mitte des Jahres"),
    "ende": ((12, 31), "das Ende des Jahres"),
}


def _ungefaehres_datum(s: str) -> str | None:
    """What a year, month or quarter typed as text for a date is, and which day to type.
    Schedules pasted from Word say '2014', '09/2013' or 'Q3/2014'; 'ist kein Datum. Bitte
    als TT.MM.JJJJ eingeben' left open which day (probe)."""
    if (jahr := _JAHR.match(s)) and 1900 <= int(jahr.group(1)) <= 2100:
        return _jahreszahl(int(jahr.group(1))).removeprefix(f"{jahr.group(1)} ")
    if (monat := _MONAT.match(s)) and 1 <= int(monat.group(1)) <= 12:
        m, j = int(monat.group(1)), int(monat.group(2))
        ende = date(j + m // 12, m % 12 + 1, 1) - timedelta(days=1)
        return f"ist ein Monat, kein Datum. Bitte ein Datum eingeben, z. B. {ende:%d.%m.%Y}."
    if quartal := _QUARTAL.match(s):
        q, j = int(quartal.group(1) or quartal.group(2)), int(quartal.group(3))
        ende = date(j + q // 4, (3 * q) % 12 + 1, 1) - timedelta(days=1)
        return (
            f"ist ein Quartal, kein Datum. Bitte ein Datum eingeben, z. B. {ende:%d.%m.%Y} "
            "(das Ende des Quartals)."
        )
    # 'Ende 2013', '1. Hj. 2014', '2013/14', 'September 2013': as rough, from the same
    # schedules; 'ist kein Datum' named no day (probe). Suggested, never read as that day:
    # 'Anfang 2014' may well mean January.
    s = " ".join(s.split())
    if (halb := _HALBJAHR.match(s)) and 1900 <= int(halb.group(3)) <= 2100:
        h, j = int(halb.group(1) or halb.group(2)), int(halb.group(3))
        ende = date(j, 6, 30) if h == 1 else date(j, 12, 31)
        return (
            f"ist ein Halbjahr, kein Datum. Bitte ein Datum eingeben, z. B. {ende:%d.%m.%Y} "
            "(das Ende des Halbjahres)."
        )
    if (ungefaehr := _IM_JAHR.match(s)) and 1900 <= int(ungefaehr.group(2)) <= 2100:
        (monat, tag), was = _IM_JAHR_TAG[ungefaehr.group(1).casefold()]
        gemeint = date(int(ungefaehr.group(2)), monat, tag)
        return (
            f"ist eine ungefähre Zeitangabe, kein Datum. Bitte ein Datum eingeben, z. B. "
            f"{gemeint:%d.%m.%Y} ({was})."
        )
    if zwei := _ZWEI_JAHRE.match(s):
        von, bis = int(zwei.group(1)), zwei.group(2)
        bis_jahr = int(bis) if len(bis) == 4 else von - von % 100 + int(bis)
        if 1900 <= von < bis_jahr <= min(von + 1, 2100):
            return (
                "nennt zwei Jahre, kein Datum. Bitte ein Datum eingeben, z. B. "
                f"31.12.{bis_jahr} (das Ende des Zeitraums)."
            )
    if (
        (name := _MONATSNAME.match(s))
        and (m := _MONATE.get(name.group(1).casefold()))
        and 1900 <= (j := int(name.group(2))) <= 2100
    ):
        ende = date(j + m // 12, m % 12 + 1, 1) - timedelta(days=1)
        return f"ist ein Monat, kein Datum. Bitte ein Datum eingeben, z. B. {ende:%d.%m.%Y}."
    return None


def datum_aus_text(text: str) -> Umwandlung:
    if len(text) > MAX_ZAHLENTEXT:
        return Umwandlung(fehler=f"{_kurz(text)} ist kein Datum. Bitte als TT.MM.JJJJ eingeben.")
    s = text.strip()
    treffer = _DATUM_DE.match(s)
    try:
        if treffer:
            tag, monat, jahr = (int(g) for g in treffer.groups())
            if len(treffer.group(3)) == 2:  # '13' is 2013, but '0099' is the year 99
                jahr += 2000
            wert = date(jahr, monat, tag)
        elif treffer := _DATUM_ISO.match(s):
            wert = date(*(int(g) for g in treffer.groups()))
        elif ungefaehr := _ungefaehres_datum(s):
            return Umwandlung(fehler=f"{zitat(text)} {ungefaehr}")
        else:
            # no example date: one outside the column's range (the programme's years) would
            # be wrong advice (review)
            return Umwandlung(
                fehler=f"{zitat(text)} ist kein Datum. Bitte als TT.MM.JJJJ eingeben (Tag, "
                "Monat, Jahr mit vier Ziffern)."
            )
    except ValueError:
        return Umwandlung(
            fehler=f"{zitat(text)} ist kein gültiges Kalenderdatum (diesen Tag oder Monat gibt "
            "es nicht). Bitte das gemeinte Datum als TT.MM.JJJJ eingeben."
        )
    return Umwandlung(wert, hinweis=f"Text {zitat(text)} wurde als Datum {wert:%d.%m.%Y} gelesen.")


def _als_decimal(roh: Any) -> Decimal:
    # repr of a float is the shortest text that round-trips: 0.1 stays 0.1, not 0.1000…0055
    return Decimal(repr(roh)) if isinstance(roh, float) else Decimal(roh)


#: How a clerk gives a cell its number format back (as for a date, `_DATUM_WIEDER_ZAHL`).
_FORMAT_ZURUECK = "bitte eine leere gelbe Zelle derselben Spalte kopieren, hier einfügen"
_DATUM_WIEDER_ZAHL = (
    "Die Zelle ist jetzt als Datum formatiert: bitte eine leere gelbe Zelle derselben Spalte "
    "kopieren, hier einfügen und die Zahl mit Komma eingeben"
)


#: A date in a number column from before this year is no input Excel read as a date (that
#: gets the year of typing) but a number in a cell formatted as a date (`_datum_statt_zahl`).
_JAHR_EINES_GETIPPTEN_DATUMS = 2000


def _seriennummer(roh: date | datetime) -> Decimal:
    """The number Excel stores for the date python-calamine gave: days since 30.12.1899, up
    to 28.02.1900 since 31.12.1899 (Excel's 29.02.1900, which never was, lies between), and
    the time of day as a fraction."""
    tag = roh.date() if isinstance(roh, datetime) else roh
    nulltag = _EXCEL_NULLTAG if tag >= date(1900, 3, 1) else _EXCEL_NULLTAG + timedelta(days=1)
    zahl = Decimal((tag - nulltag).days)
    if isinstance(roh, datetime):
        zahl += _tagesanteil(roh).normalize()
    return zahl


def _tagesanteil(roh: datetime | uhrzeit) -> Decimal:
    """The time of day as Excel stores it, a fraction of a day, read back to the millisecond:
    1,3 is 07:12:00, not 1,29999…"""
    sekunden = roh.hour * 3600 + roh.minute * 60 + roh.second + roh.microsecond / 1e6
    return Decimal(str(round(sekunden / 86400, 6)))


def tippjahre(gespeichert_am: str) -> frozenset[int]:
    """The years in which a date Excel made of a typed "1.5" can lie: the year the file was
    last saved (docProps/core.xml, `Paket.gespeichert_am`) and the current one."""
    jahre = {date.today().year}
    if re.match(r"\d{4}-", gespeichert_am or ""):
        jahre.add(int(gespeichert_am[:4]))
    return frozenset(jahre)


def _datum_statt_zahl(roh: date | datetime, jahre: Collection[int] = ()) -> str:
    """What a date in a number column most likely was, and what to type instead.

    German Excel reads "1.5" typed into a number cell as the date 1 May of this year and
    formats the cell as a date; python-calamine gives that date. "Hat Excel eine Eingabe wie
    1.5 als Datum gelesen?" gave the same example for every date (steuer16): the day and the
    month are what was typed, "1.5" or "1.05" (both 1 May), meant as 1,5 or 1,05.

    Only a date in a year of typing (`jahre`, see `tippjahre`; the current year always) is
    such an input. 45000 Einwohner in a cell formatted as a date show as 15.03.2023: called
    "vermutlich die Eingabe 15.3", the clerk would have typed 15,3 (review); the number is
    named, as for a day in 1900.
    """
    if roh.year < _JAHR_EINES_GETIPPTEN_DATUMS or roh.year not in {date.today().year, *jahre}:
        # Excel makes the date of "1.5" in the year it is typed. A day in 1900 is a number
        # typed into a cell already formatted as a date, as after that first mistake: "1,5"
        # retyped there shows as 01.01.1900 12:00, "12" as 12.01.1900 (review 16b: it was
        # called a date with a time, or "vermutlich die Eingabe 12.1"). The number is there.
        zahl = deutsch.zahl(_seriennummer(roh))
        return (
            f"Hier steht die Zahl {zahl}, angezeigt als Datum {deutsch.wert(roh)}. "
            f"{_DATUM_WIEDER_ZAHL} ({zahl})."
        )
    if isinstance(roh, datetime) and roh.time() != datetime.min.time():
        # a time of day: not from typing "1.5"; said as it is
        return (
            f"Ein Datum mit Uhrzeit ({deutsch.wert(roh)}) steht, wo eine Zahl erwartet wird. "
            f"{_DATUM_WIEDER_ZAHL}."
        )
    tag, monat = roh.day, roh.month
    gemeint = f"{tag},{monat}" + (f" (oder {tag},0{monat})" if monat < 10 else "")
    return (
        f"Excel hat hier vermutlich die Eingabe {tag}.{monat} als Datum {roh:%d.%m.} gelesen "
        f"(gespeichert: {roh:%d.%m.%Y}); erwartet wird eine Zahl. Gemeint war wohl {gemeint}. "
        f"{_DATUM_WIEDER_ZAHL} ({tag},{monat})."
    )


def umwandeln(
    spalte: Spalte,
    roh: Any,
    listenwerte: tuple[str, ...] | None = None,
    jahre: Collection[int] = (),
) -> Umwandlung:
    """Convert one raw cell value to the column's type (no range or list checks here).

    `jahre`: the years in which the file was typed (`tippjahre`), for a date in a number
    column."""
    if ist_leer(roh):
        return _LEER
    typ = spalte.typ
    if isinstance(roh, Fehlerwert):
        return Umwandlung(fehler=fehlerwert_meldung(roh, typ))
    if typ in ("text", "liste"):
        # a percentage pasted with its format into a text cell shows "50 %": read as "0.5"
        # it meant something else in the Übersicht (review22); an amount likewise "0,5 €"
        roh = wie_gezeigt(roh) if type(roh) in (Prozentwert, Eurowert) else roh
        if isinstance(roh, bool):
            roh = "ja" if roh else "nein"
        if isinstance(roh, (int, float, Decimal)) and not isinstance(roh, bool):
            # A number typed into a text cell whose format was pasted over ("0,5 Stelle" as
            # 0,5): read as the German cell shows it, "0,5", not "0.5" in the Übersicht and
            # the Korrektur copy (review 22). Without thousands points, as Excel's Standard.
            roh = deutsch.zahl(roh, gruppe_ab=_NIE_GRUPPIERT)
        if isinstance(roh, (datetime, date)):
            roh = f"{roh:%d.%m.%Y}"
        # Pasted from a PDF or a web page: "o" + combining diaeresis instead of "ö", a
        # non-breaking space. Invisible, but the workbook's formulas compare exactly.
        text = unicodedata.normalize("NFC", str(roh))
        if typ == "liste":
            text = " ".join(sichtbar(text).split())
            if not text:  # only a soft hyphen or a zero-width space: nothing chosen
                return _LEER
        text = text.strip()
        if typ == "liste" and listenwerte and text in listenwerte and text != str(roh):
            # "jährlich " would count nowhere in the workbook's own formulas.
            return Umwandlung(
                text,
                hinweis=f"Der Eintrag {text!r} enthielt unsichtbare Zeichen (etwa Leerzeichen "
                "am Rand, einen Zeilenumbruch oder aus einem PDF oder einer Webseite kopierte "
                f"Zeichen); gelesen als {text!r}.",
            )
        if typ == "liste" and listenwerte and text not in listenwerte:
            for erlaubt in listenwerte:
                if erlaubt.casefold() == text.casefold():
                    return Umwandlung(
                        erlaubt, hinweis=f"{zitat(text)} wurde als {erlaubt!r} gelesen."
                    )
        return Umwandlung(text)
    if isinstance(roh, bool):
        # Excel shows WAHR/FALSCH; "True" in a message would be Python, not what the clerk sees.
        return Umwandlung(
            fehler=f"Die Zelle enthält einen Wahrheitswert ({'WAHR' if roh else 'FALSCH'}) "
            f"statt {_ERWARTET.get(typ, 'einer Zahl')}. Bitte den richtigen Wert eingeben."
        )
    if typ == "datum":
        if isinstance(roh, (datetime, date)):
            tag = roh.date() if isinstance(roh, datetime) else roh
            if _JAHR_ALS_DATUM[0] <= tag <= _JAHR_ALS_DATUM[1]:
                # "2013" typed into a date-formatted cell: Excel and LibreOffice keep the
                # number and show the day 2013 after 1899-12-30, a day in 1905.
                jahr = (tag - _EXCEL_NULLTAG).days
                return Umwandlung(fehler=_jahreszahl(jahr))
            return Umwandlung(tag)
        if isinstance(roh, (int, float)) and not isinstance(roh, bool):
            if 1900 <= roh <= 2100 and float(roh).is_integer():
                # As a date serial a day in 1905: the clerk typed a year.
                return Umwandlung(fehler=_jahreszahl(int(roh)))
            if 1 <= roh < 2958466 and float(roh).is_integer():
                wert = _EXCEL_NULLTAG + timedelta(days=int(roh))
                return Umwandlung(
                    wert, hinweis=f"Zahl {roh:g} wurde als Datum {wert:%d.%m.%Y} gelesen."
                )
            # German: repr wrote "123456789.125", for a German reader 123 million (review)
            return Umwandlung(
                fehler=f"{deutsch.zahl(roh)} ist kein Datum. Bitte als TT.MM.JJJJ eingeben."
            )
        return datum_aus_text(str(roh))
    # numbers
    hinweis = None
    if type(roh) is Prozentwert and typ != "prozent":
        return Umwandlung(fehler=_prozent_statt_zahl(roh, typ))
    if type(roh) is Eurowert and typ in ("zahl", "ganzzahl"):
        return Umwandlung(fehler=_euro_statt_zahl(roh, typ))
    if type(roh) is Eurowert and typ == "prozent":
        return Umwandlung(
            fehler=f"Hier steht ein Betrag in Euro ({deutsch.zahl(_als_decimal(roh))} €); "
            f"hier wird ein Anteil in Prozent erwartet.{kein_betrag(spalte)} Die Zelle ist als "
            f"Betrag formatiert: {_FORMAT_ZURUECK} und den Wert mit Prozentzeichen eingeben, "
            "z. B. 33,5 %."
        )
    if isinstance(roh, (int, float)):
        zahl = _als_decimal(roh)
    elif isinstance(roh, (datetime, date)):
        return Umwandlung(fehler=_datum_statt_zahl(roh, jahre))
    elif isinstance(roh, uhrzeit):
        # A number below 1 in a cell formatted as a date or time ("0,5" retyped where Excel had
        # made "1.5" a date): python-calamine gives a time of day, and "'12:00:00' ist keine
        # Zahl" hid the 0,5 (review 16b). Typed as "1:30", 1,5 hours may have been meant: the
        # number is named, none proposed.
        zahl_text = deutsch.zahl(_tagesanteil(roh))
        return Umwandlung(
            fehler=f"Hier steht die Zahl {zahl_text} (als Uhrzeit {roh:%H:%M}), angezeigt als "
            f"Datum oder Uhrzeit. {_DATUM_WIEDER_ZAHL}."
        )
    else:
        gelesen = zahl_aus_text(
            str(roh),
            ganzzahlig=typ == "ganzzahl",
            betrag=typ == "betrag",
            prozent_spalte=typ == "prozent",
            tausender_moeglich=spalte.tausender_moeglich,
        )
        if (
            typ in ("zahl", "ganzzahl")
            and len(str(roh)) <= MAX_ZAHLENTEXT  # the patterns stay linear
            and _WAEHRUNG.search(str(roh))
            and (gelesen.ok or _NUR_ZIFFERN.fullmatch(_WAEHRUNG.sub(" ", str(roh)).strip()))
        ):
            # "150 €" in a Menge or Fallzahl: an amount is no count. Read as 150 with a Hinweis,
            # the amount refused in a € cell (`_euro_statt_zahl`) passed once the Korrektur
            # copy, which shows it as text, came back unchanged (round 23)
            return Umwandlung(
                fehler=f"{_kurz(str(roh))} ist ein Betrag in Euro; hier wird "
                f"{'eine ganze Zahl' if typ == 'ganzzahl' else 'eine Zahl'} ohne € erwartet. "
                "Bitte die gemeinte Zahl eingeben."
            )
        if not gelesen.ok:
            return _stufe_als_wort(spalte, str(roh)) or gelesen
        if typ != "prozent" and str(roh).strip().endswith("%"):
            # 12 % of what? In a Menge or a Kostensatz, 0,12 would silently be a wrong figure.
            return Umwandlung(
                fehler=f"{_kurz(str(roh))} ist ein Prozentwert; hier wird eine Zahl ohne % "
                "erwartet. Bitte den gemeinten Wert eingeben."
            )
        if typ == "prozent" and _WAEHRUNG.search(str(roh)):
            # "0,5 €" in an Anteil was read as 50 % with a mere Hinweis: an amount is no share
            return Umwandlung(
                fehler=f"{_kurz(str(roh))} ist ein Betrag in Euro; hier wird ein Anteil in "
                f"Prozent erwartet.{kein_betrag(spalte)} Bitte den Anteil mit Prozentzeichen "
                "eingeben, z. B. 33,5 %."
            )
        zahl, hinweis = gelesen.wert, gelesen.hinweis
    if not zahl.is_finite():
        return Umwandlung(fehler=f"{roh!r} ist keine endliche Zahl.")
    if typ == "ganzzahl":
        if zahl != zahl.to_integral_value():
            if isinstance(roh, (int, float)):
                return Umwandlung(fehler=_gerundet_gezeigt(spalte, zahl))
            return Umwandlung(
                fehler=f"{deutsch.zahl(zahl)} ist keine ganze Zahl. "
                "Bitte ohne Nachkommastellen eingeben."
            )
        return Umwandlung(int(zahl), hinweis=hinweis)
    return Umwandlung(zahl, hinweis=hinweis)


def _gerundet_gezeigt(spalte: Spalte, zahl: Decimal) -> str:
    """What to say of a number with decimals in a whole-number cell. Its format ("0", or
    "#,##0") shows it rounded: "50 %" typed into a Faktor in Calc is stored as 0,5 and shows
    "1", and "0,5 ist keine ganze Zahl" named a figure the user had neither typed nor seen
    (session 24). The rounding is Excel's and Calc's (half away from zero); a share below 1 is
    named as the percentage it may have been typed as."""
    gerundet = zahl.to_integral_value(rounding=ROUND_HALF_UP)
    gezeigt = deutsch.zahl(
        gerundet, gruppe_ab=1000 if "," in (spalte.format or "") else _NIE_GRUPPIERT
    )
    text = f"Hier steht {deutsch.zahl(zahl)}, angezeigt gerundet als {gezeigt}"
    if abs(zahl) < 1 and (zahl * 100) == (zahl * 100).to_integral_value():
        return (
            f"{text} (so wird auch „{deutsch.zahl(zahl * 100)} %“ gespeichert), also keine "
            "ganze Zahl. Bitte die gemeinte ganze Zahl ohne % und ohne Nachkommastellen "
            "eintippen."
        )
    return f"{text}: keine ganze Zahl. Bitte ohne Nachkommastellen eingeben."


def kein_betrag(spalte: Spalte) -> str:
    """' Ein Anteil ist …' for an amount in the Kostenausgleich's share: "hier wird ein Anteil in
    Prozent erwartet" alone, or "Meinten Sie 50 %?" for the 50 that LibreOffice stores of
    "50 €" typed into it, did not say that an amount is another mistake, whose figure belongs
    to another sheet (round 23). '' for another column (the Zinssatz is no share of costs)."""
    if spalte.kopf != "Anteil individuell":
        return ""
    return (
        " Ein Anteil ist der Prozentsatz der Kosten, den die Kommune trägt, kein Betrag in Euro; "
        "Beträge gehören auf das Blatt Ressourcen (Kosten) oder Nutzen."
    )


#: `deutsch.zahl` groups no number this large: a number in a text cell shows without points.
_NIE_GRUPPIERT = 10**400


def wie_gezeigt(wert: Any) -> Any:
    """A `Prozentwert` or `Eurowert` as the cell showed it ("12,5 %", "0,5 €"), else `wert`.

    For the Korrektur copy, whose fresh cell has the column's format: 0,125 written into a
    Kostensatz showed "0,13 €", and returned unchanged it was read so, without a word, the
    very figure the number format had refused (review22). As text it shows what the clerk
    typed, and read again it is refused again."""
    if type(wert) is Prozentwert:
        return f"{deutsch.zahl(_als_decimal(wert) * 100)} %"
    if type(wert) is Eurowert:
        return f"{deutsch.zahl(_als_decimal(wert))} €"
    return wert


def _stufe_als_wort(spalte: Spalte, text: str) -> Umwandlung | None:
    """The error for a word ("hoch") typed into a scale (Eintrittswahrscheinlichkeit 1 to 5),
    or None. "Bitte nur Ziffern eingeben, z. B. 1234" asked for a number the scale does not
    have (Calc test 22); the scale and what its steps mean are said instead. No step is
    guessed from the word: "hoch" is 4 on one clerk's scale and 5 on another's."""
    unten, oben = spalte.min, spalte.max
    if not (
        spalte.typ == "ganzzahl"
        and type(unten) is int
        and type(oben) is int
        and oben - unten <= 10
        and not any(z.isdigit() for z in text)
    ):
        return None
    bedeutung = f" ({spalte.hilfe.strip().rstrip('.')})" if spalte.hilfe.strip() else ""
    return Umwandlung(
        fehler=f"{zitat(text)} ist keine Zahl. Bitte die Stufe als ganze Zahl von {unten} bis "
        f"{oben} eingeben{bedeutung}."
    )


def _prozent_statt_zahl(roh: float, typ: str) -> str:
    """What to say of a `Prozentwert` in a number column: the number as the cell shows it
    ("12,5 %", which the clerk typed), what is stored, and what to do."""
    gezeigt = deutsch.zahl(_als_decimal(roh) * 100)
    gespeichert = deutsch.zahl(_als_decimal(roh))
    erwartet = "ein Betrag in Euro" if typ == "betrag" else "eine Zahl"
    # "den Wert ohne % eingeben" alone made "50 %" (a half post in a Menge, whose help names
    # Stellenanteile) into 50 posts: the share is said as the number it is (review22)
    gemeint = (
        "den gemeinten Betrag in Euro eingeben"
        if typ == "betrag"
        else f"den gemeinten Wert ohne % eingeben; ein Anteil als Dezimalzahl ({gespeichert} "
        f"für {gezeigt} %)"
        if typ == "zahl"
        else "den gemeinten Wert ohne % eingeben"
    )
    return (
        f"Hier steht der Prozentwert {gezeigt} % (gespeichert als {gespeichert}); hier wird "
        f"{erwartet} ohne % erwartet. Die Zelle ist als Prozent formatiert: "
        f"{_FORMAT_ZURUECK} und {gemeint}."
    )


#: What is left of "15.000 €" without the currency: digits and their separators only (an amount,
#: also where the digits alone are ambiguous), not "5 Euro-Paletten"
_NUR_ZIFFERN = re.compile(r"[\d.,'’\s()+-]*\d[\d.,'’\s()+-]*")


def _euro_statt_zahl(roh: float, typ: str) -> str:
    """What to say of a `Eurowert` in a count (Menge, Fallzahl, Einwohner): a cell with the
    € format copied onto it (a Kostensatz over a Menge) was read as the count without a word,
    while a percentage copied there was refused (round 23). The number as the cell shows it,
    and what to do, as `_prozent_statt_zahl` says it."""
    erwartet = "eine ganze Zahl" if typ == "ganzzahl" else "eine Zahl"
    return (
        f"Hier steht der Betrag {wie_gezeigt(roh)}; hier wird {erwartet} ohne € erwartet. Die "
        f"Zelle ist als Betrag formatiert: {_FORMAT_ZURUECK} und die gemeinte Zahl eingeben."
    )


OFFEN = object()  # from `schlicht_umwandeln`: `umwandeln` has to decide (hint, error, rare type)
_GENAU_GANZ = 2.0**53  # below this, an integral float's repr is its exact digits


def schlicht_umwandeln(typ: str, roh: Any, listenwerte: tuple[str, ...] | None = None) -> Any:
    """The value `umwandeln` gives for the cells clerks fill most, or OFFEN for all others.

    A return has some two hundred filled cells, nearly all a clean text, a list value as
    offered, a number or a date as Excel stores them; for those `umwandeln` would only build an
    `Umwandlung` without hint or error. This takes exactly those cases (same value, same type)
    and leaves every case with something to say to `umwandeln`.
    """
    art = type(roh)
    if art is Prozentwert or art is Eurowert:
        if typ != ("prozent" if art is Prozentwert else "betrag"):
            # a percentage outside a share, an amount outside a Betrag (in a share, a Menge,
            # a Fallzahl): umwandeln refuses; an amount in a count passed here (round 23)
            return OFFEN
        art = float
    if art is str:
        if typ not in ("text", "liste"):
            return OFFEN
        text = roh.strip()
        if not text:
            return None
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            return OFFEN  # "o" + combining diaeresis: umwandeln composes it
        if typ == "text":
            return text
        if listenwerte:
            return text if text == roh and text in listenwerte else OFFEN
        return text if text == " ".join(sichtbar(text).split()) else OFFEN
    if art is float:
        if typ in ("zahl", "betrag", "prozent") and math.isfinite(roh):
            return Decimal(repr(roh))
        if typ == "ganzzahl" and roh.is_integer() and -_GENAU_GANZ < roh < _GENAU_GANZ:
            return int(roh)
        return OFFEN
    if typ == "datum":
        tag = roh if art is date else roh.date() if art is datetime else None
        # a day of 1905 is a year typed into the date cell: umwandeln says so
        if tag is not None and not _JAHR_ALS_DATUM[0] <= tag <= _JAHR_ALS_DATUM[1]:
            return tag
    return OFFEN


# Reading workbooks ----------------------------------------------------------------------------


def spaltenbuchstabe(index: int) -> str:
    """0-based column index to Excel letters (0 -> A, 26 -> AA)."""
    buchstaben = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        buchstaben = chr(65 + rest) + buchstaben
    return buchstaben


def zelle(zeile: int, spalte: int) -> str:
    """Excel row (1-based) and 0-based column to an A1 address."""
    return f"{spaltenbuchstabe(spalte)}{zeile}"


def adresse_zerlegen(adresse: str) -> tuple[int, int]:
    """An A1 address to its Excel row (1-based) and 0-based column ("J5" -> (5, 9))."""
    buchstaben = adresse.rstrip("0123456789")
    return int(adresse[len(buchstaben) :]), _spaltennummer(buchstaben)


def _spaltennummer(buchstaben: str) -> int:
    """Excel letters to a 0-based column index (A -> 0, AA -> 26)."""
    spalte = 0
    for buchstabe in buchstaben:
        spalte = spalte * 26 + ord(buchstabe) - 64
    return spalte - 1


def textsumme(text: str) -> str:
    """A short fingerprint of a cell's text (CRC-32, blanks as one space), for the `_ikz`
    record of `zellen_eintragen`: the whole texts would make `_ikz` as long as the sheets."""
    return f"{zlib.crc32(' '.join(text.split()).encode('utf-8')):08x}"


def zellen_eintragen(zellen: Iterable[tuple[int, int, str | None]]) -> str:
    """The `_ikz` record of the cells the generator wrote on a sheet (0-based row, column and
    the text of a text cell, None for numbers and formulas), for `definition.ZELLEN`.

    A text cell is written with the fingerprint of its text ("A1#3f9c0a12"): moved by an
    inserted row, a heading is still recognised, and the shift tells where the numbers and
    formulas around it went. Other cells come as blocks ("K6:O10"), row runs merged.
    """
    zellen = list(zellen)
    eintraege = [
        f"{zelle(z + 1, s)}#{textsumme(text)}"
        for z, s, text in sorted((z, s, t) for z, s, t in zellen if t is not None)
    ]
    laeufe: list[list[int]] = []  # [row, first column, last column]
    for z, s in sorted((z, s) for z, s, t in zellen if t is None):
        if laeufe and laeufe[-1][0] == z and laeufe[-1][2] == s - 1:
            laeufe[-1][2] = s
        else:
            laeufe.append([z, s, s])
    bloecke: list[list[int]] = []  # [first row, last row, first column, last column]
    offen: dict[tuple[int, int], list[int]] = {}
    for z, von, bis in laeufe:
        block = offen.get((von, bis))
        if block is not None and block[1] == z - 1:
            block[1] = z
        else:
            offen[(von, bis)] = block = [z, z, von, bis]
            bloecke.append(block)
    for oben, unten, links, rechts in bloecke:
        ecke = zelle(oben + 1, links)
        eintraege.append(
            ecke if (oben, links) == (unten, rechts) else f"{ecke}:{zelle(unten + 1, rechts)}"
        )
    return ",".join(eintraege)


#: What a template sheet spans at most (the largest today, Ressourcen, reaches row 64, Risiken
#: column O). A `zellen_eintragen` record with a cell beyond, or with blocks larger together
#: (the generator records each cell once), was edited in `_ikz`; so was one longer than
#: `_ZELLEN_ZEICHEN` or with more than `_ZELLEN_EINTRAEGE` entries (a template has dozens).
VORLAGE_ZEILEN = 1000
VORLAGE_SPALTEN = 100
_ZELLEN_ZEICHEN = 64 * 1024
_ZELLEN_EINTRAEGE = 2000
# Records up to this length are kept per process (the returns of one template carry the same
# ones); a crafted long one is read afresh each time rather than kept for the rest of the run.
_ZELLEN_MERKEN_BIS = 1024


@dataclass(frozen=True)
class Vorlagenzellen:
    """The cells a `zellen_eintragen` record lists, and the cells of each text fingerprint.

    A block stays a range: each Excel row holds a bit mask of its 0-based columns, so a block
    costs one integer per row, not one entry per cell, and a test is a shift. Not to be
    changed: `zellen_lesen` hands the same one to every return of a template.
    """

    zeilen: Mapping[int, int]
    texte: Mapping[str, tuple[tuple[int, int], ...]]

    def __contains__(self, zelle: tuple[int, int]) -> bool:
        zeile, spalte = zelle
        return spalte >= 0 and (self.zeilen.get(zeile, 0) >> spalte) & 1 == 1

    def verschoben(self, um: Iterable[tuple[int, int]]) -> Vorlagenzellen:
        """Where these cells are after each of the shifts `um` (rows, columns), all in one:
        one test per cell, whatever the number of shifts."""
        zeilen: dict[int, int] = {}
        for dz, ds in um:
            for zeile, maske in self.zeilen.items():
                maske = maske << ds if ds >= 0 else maske >> -ds
                if maske:
                    zeilen[zeile + dz] = zeilen.get(zeile + dz, 0) | maske
        return Vorlagenzellen(zeilen, {})


def zellen_lesen(eintrag: str) -> Vorlagenzellen | None:
    """A `zellen_eintragen` record back: its cells (Excel row, 0-based column) and the cells of
    each text fingerprint. Parts that are no cell reference are left out.

    None for a record no generator wrote (see `VORLAGE_ZEILEN`): the caller checks nothing
    against it, as for a workbook without one, rather than trust it.
    """
    if len(eintrag) <= _ZELLEN_MERKEN_BIS:
        return _zellen_lesen_gemerkt(eintrag)
    return _zellen_lesen(eintrag)


def _zellen_lesen(eintrag: str) -> Vorlagenzellen | None:
    if len(eintrag) > _ZELLEN_ZEICHEN or eintrag.count(",") >= _ZELLEN_EINTRAEGE:
        return None
    zeilen: dict[int, int] = {}
    texte: dict[str, list[tuple[int, int]]] = {}
    flaeche = 0
    for teil in eintrag.split(","):
        bezug, _, summe = teil.strip().partition("#")
        treffer = _BEREICH.fullmatch(bezug)
        if treffer is None or int(treffer.group(2)) < 1:
            continue
        oben, links = int(treffer.group(2)), _spaltennummer(treffer.group(1))
        unten = int(treffer.group(4) or oben)
        rechts = _spaltennummer(treffer.group(3)) if treffer.group(3) else links
        if max(oben, unten) > VORLAGE_ZEILEN or max(links, rechts) >= VORLAGE_SPALTEN:
            return None
        if unten >= oben and rechts >= links:
            flaeche += (unten - oben + 1) * (rechts - links + 1)
            if flaeche > VORLAGE_ZEILEN * VORLAGE_SPALTEN:
                return None
            maske = ((1 << (rechts - links + 1)) - 1) << links
            for zeile in range(oben, unten + 1):
                zeilen[zeile] = zeilen.get(zeile, 0) | maske
        if summe:
            texte.setdefault(summe, []).append((oben, links))
    return Vorlagenzellen(zeilen, {summe: tuple(orte) for summe, orte in texte.items()})


_zellen_lesen_gemerkt = functools.lru_cache(maxsize=256)(_zellen_lesen)


@dataclass
class Rohtabelle:
    """A table as found in a file, before any typing: values with their Excel positions."""

    name: str
    blatt: str
    kopfzeile: int  # Excel row of the header
    erste_spalte: int  # 0-based column of the first table column
    koepfe: tuple[str, ...]
    zeilen: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    unterhalb: int = 0  # how many of the rows were typed below the table, in its input area
    # Excel row of the last row whose cells in the table's columns it reads or names: its
    # own last row, or, where rows below it count, the row before the next table (or far down)
    bis: int = 0
    # (Excel row, 0-based column of its first filled cell, its values) of each row typed
    # beyond that area: not read, but named with what it holds (nothing may get lost)
    ausserhalb: list[tuple[int, int, tuple[Any, ...]]] = field(default_factory=list)
    # the workbook had lost its tables (saved as .xls on the way): this one was found by its
    # header row on its sheet (`_nach_koepfen`), its rows read below it
    ueber_kopf: bool = False

    def zelle(self, zeile: int, kopf: str) -> str:
        return zelle(zeile, self.erste_spalte + self.koepfe.index(kopf))

    def darunter(
        self, reserve: int
    ) -> tuple[list[tuple[int, tuple[Any, ...]]], list[tuple[int, tuple[Any, ...]]]]:
        """The rows read below the table: those in its `reserve` input rows, those beyond."""
        bis = len(self.zeilen) - self.unterhalb
        letzte = self.zeilen[bis - 1][0] if bis else self.kopfzeile
        unten = self.zeilen[bis:]
        return (
            [z for z in unten if z[0] <= letzte + reserve],
            [z for z in unten if z[0] > letzte + reserve],
        )

    def als_dicts(self) -> list[tuple[int, dict[str, Any]]]:
        return [(z, dict(zip(self.koepfe, werte, strict=False))) for z, werte in self.zeilen]

    def gekuerzt(self, beachtet: Iterable[str]) -> Rohtabelle:
        """The same table without its trailing rows in which none of `beachtet` holds a value.

        Once a file is checked, reports need only the rows someone typed in; the empty
        reserve rows (saved by Excel with their formulas' zeros) would be most of the memory
        a checked file keeps.
        """
        beachtet = set(beachtet)
        spalten = [i for i, kopf in enumerate(self.koepfe) if kopf in beachtet]
        ende = len(self.zeilen)
        while ende and leere_zeile([self.zeilen[ende - 1][1][i] for i in spalten]):
            ende -= 1
        entfernt = len(self.zeilen) - ende
        return dataclasses.replace(
            self, zeilen=self.zeilen[:ende], unterhalb=max(0, self.unterhalb - entfernt)
        )


class LeseFehler(Exception):
    """The file cannot be read as a workbook at all (corrupt, encrypted, not xlsx)."""


class KeineArbeitsmappe(Exception):
    """Why a file cannot be an Arbeitsmappe, in German; found before anything risky is parsed."""


MAX_DATEIGROESSE = 25 * 1024 * 1024  # an Arbeitsmappe is ~100 KB; 25 MB is not a return
MAX_ENTPACKT = 50 * 1024 * 1024  # cap before parsing: a zip bomb never reaches a parser
MAX_XML = 20 * 1024 * 1024  # of that, XML parts: a return has some 250 KB of them
MAX_VERHAELTNIS = 200  # uncompressed/compressed of one part; real sheets stay well below
MAX_ZEILEN = 20_000  # a sheet of an Arbeitsmappe has some hundred rows ...
MAX_SPALTEN = 200  # ... and some twenty columns; beyond this calamine would allocate gigabytes
IGNORIERT = frozenset({"thumbs.db", ".ds_store", "desktop.ini"})  # compared in lower case
#: Excel saves into a temporary file beside the workbook and renames it: "3F2A9C1B" without a
#: suffix, or "~A1B2.tmp". Seen only while Excel saves, but a run at that moment would report it.
_EXCEL_ZWISCHENDATEI = re.compile(r"[0-9A-F]{8}|~.*\.tmp", re.IGNORECASE)
#: Downloads still running (Chrome and Edge: .crdownload, Firefox: .part): never a return; the
#: finished file appears under its own name.
_UNFERTIGER_DOWNLOAD = (".crdownload", ".part", ".partial", ".download")

# The patterns below scan start tags of small, regular parts; none crosses a `<` or `>`, so a
# crafted part costs linear time, never quadratic. They accept both quote styles and namespace
# prefixes (`<x:c r='A1'>`), which other writers than Excel and LibreOffice produce.
_WERT = rb"\s*=\s*[\"']"
_BEZIEHUNG = re.compile(rb"<(?:\w+:)?Relationship\b([^<>]*)>")
_TABELLE = re.compile(rb"<(?:\w+:)?table\b([^<>]*)>")
_SPALTENNAME = re.compile(
    rb"<(?:\w+:)?tableColumn\b[^<>]*?(?<![\w:.-])name\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')"
)
# The r attribute of a cell whose first child is a formula: `<c r="I5" s="13"><f>…`. The first
# pattern, for sheets as Excel and LibreOffice write them, starts with a literal and is five
# times faster; the second takes any attribute order and prefix.
# A sheet as Excel and LibreOffice write it: every cell `<c r="…`, every row `<row r="…`, no
# namespace prefixes. Patterns that start with a literal, so they cost little.
_EXCEL_FORM = (
    re.compile(rb"<c(?:[>/\t\n\r]| (?!r=))"),  # a cell whose first attribute is not r
    re.compile(rb"<row(?:[>/\t\n\r]| (?!r=))"),  # a row whose first attribute is not r
    re.compile(rb":(?:c|row)[\s/>]"),  # a cell or row with a prefix
)
# Possessive (`{0,512}+`, `*+`, `++`): each repetition is followed by what it cannot match
# (`>` after `[^<>]`, `<` after `\s`, `:` after `\w`, a digit after letters), so giving back
# characters never finds another match; it only cost the search a step back for every
# character of every cell's start tag (a fifth of the time of these two scans).
_FORMELZELLE_EXCEL = re.compile(
    rb"<c r=[\"']([A-Z]{1,3}+[0-9]++)[\"'][^<>]{0,512}+>\s*+<(?:\w++:)?f[\s>/]"
)
_FORMELZELLE = re.compile(
    rb"\sr" + _WERT + rb"([A-Z]{1,3}+[0-9]++)[\"'][^<>]{0,512}+>\s*+<(?:\w++:)?f[\s>/]"
)
# The rest of a formula's start tag after `<f` and one blank (`<f aca="false">`).
_FORMELTAG_REST = re.compile(rb"[^<>]{0,1024}>")
# Sheet size (see `_ausdehnung`). Cells and rows: the local names c and row, with or without a
# namespace prefix; patterns with a literal start, so they cost little on ordinary sheets.
_ZELLE_OHNE_R = re.compile(rb"<c(?=[\s/>])(?![^<>]*?(?<![\w:.-])r\s*=)")
_ZEILE_OHNE_R = re.compile(rb"<row(?=[\s/>])(?![^<>]*?(?<![\w:.-])r\s*=)")
# quick-xml (calamine's parser) ends a tag name only at a space, tab, line break or '>', and
# takes what follows the first ':' as the local name: `<a/b:row>` and `<:row>` are rows too
# (not an end tag, comment or processing instruction).
_MIT_PRAEFIX_OHNE_R = re.compile(
    rb"<(?![/!?])[^ \t\r\n<>:]*:(?:c|row)(?=[\s/>])(?![^<>]*?(?<![\w:.-])r\s*=)"
)
# Every r attribute with two or more letters (any case) or five or more digits: the only
# positions that can lie beyond the limits. Starts with the literal r; the look-behind makes it
# an attribute of its own, as calamine reads one: not part of a longer name, but right after
# a space or the closing quote of the attribute before (`x="a"r="XFD1048576"`).
_WEITE_POSITION = re.compile(  # possessive as _FORMELZELLE_EXCEL, for the same reason
    rb"r(?<![\w:.-]r)\s*+=\s*+[\"']([A-Za-z]{2,}+(?=\d)|[A-Za-z]?+(?=\d{5}))(\d*+)"
)
# The position a row element starts with, as Excel and LibreOffice write it: a row tag right
# after the end of a tag or a line break, r its first attribute. Only such a position is passed
# over by the size check; "<row" inside an attribute value is not preceded by either.
_ZEILENPOSITION = re.compile(rb"(?<=[>\s])<(?:[\w.-]+:)?row\s+r\s*=\s*[\"']")
# Where the cells of a sheet end: calamine reads them up to the first end tag of sheetData (any
# prefix); form controls after it (`<xdr:row>3</xdr:row>` in Excel's and LibreOffice's
# <controls>) place nothing.
_ZELLDATEN_ENDE = re.compile(rb"</[^ \t\r\n<>:]*:?sheetData\s*>")
_BEREICH = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")
# A cell showing an error value: `<c r="F7" s="14" t="e"><f>1/0</f><v>#DIV/0!</v></c>`. The
# search starts with the literal t, so it costs what a plain substring search does (a
# look-behind in front would make it thirty times slower); each hit is then checked to be in
# a cell start tag with t="e", followed by an optional formula and the value.
_FEHLERTYP = re.compile(rb"t\s*=\s*[\"']e[\"']")
_ZELLANFANG = re.compile(rb"<(?:[\w.-]+:)?c\s")
# A cell's start tag is short (`<c r="XFD1048576" s="65000" t="e" cm="1" vm="1">`): a t="e"
# farther from a `<` belongs to no cell, and no search around a hit goes farther.
_TAGFENSTER = 512
_FEHLERINHALT = re.compile(
    rb"\s*(<(?:[\w.-]+:)?f\b[^<>]*?(?:/>|>[^<]*</(?:[\w.-]+:)?f\s*>))?"
    rb"\s*<(?:[\w.-]+:)?v\s*>([^<]*)</"
)
_SICHTBARKEIT = {"hidden": "Hidden", "veryHidden": "VeryHidden"}

# What a damaged zip raises while a part is read (bad CRC, truncated deflate stream, ...).
_KAPUTT = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError)

_ENTITAETEN = (
    "Die Datei enthält XML-Konstrukte (DOCTYPE/ENTITY), die Excel selbst nie schreibt; sie wird "
    "aus Sicherheitsgründen nicht geöffnet."
)


def _verdaechtig(xml: bytes) -> bool:
    """Whether a part declares a DOCTYPE or ENTITY. Two plain searches: half the cost of one
    pattern with both, which stops at every "<" of every part of every return."""
    return b"<!DOCTYPE" in xml or b"<!ENTITY" in xml


@functools.cache
def _attributmuster(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\w:.-])" + name.encode() + rb"\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")


def _attribut(tag: bytes, name: str, standard: str = "") -> str:
    """One attribute of a start tag, unescaped; a regular expression, not a parser, because it
    runs for every relationship and table column of every return (XML parsers cost tenfold)."""
    treffer = _attributmuster(name).search(tag)
    if treffer is None:
        return standard
    return _text(treffer.group(1) if treffer.group(1) is not None else treffer.group(2))


def _text(roh: bytes) -> str:
    """Names of parts, tables and columns: interned, so a thousand returns share one copy."""
    wert = roh.decode("utf-8")
    return sys.intern(html.unescape(wert) if "&" in wert else wert)


def _excel_form(xml: bytes) -> bool:
    """Every row and cell written with its position first (`<c r="B5"`), as Excel does."""
    return not any(muster.search(xml) for muster in _EXCEL_FORM)


class _OhnePosition(Exception):
    """A cell or row without its position: no spreadsheet program writes that."""


def _zelldaten(xml: bytes) -> tuple[int, int]:
    """Where the cell data of a sheet stand, as offsets into its XML (see `_ausdehnung`)."""
    von = max(xml.find(b"sheetData"), 0)
    bis = xml.rfind(b"sheetData")
    ende = _ZELLDATEN_ENDE.match(xml, xml.rfind(b"</", von, bis + 1)) if bis > von else None
    return von, ende.end() if ende is not None and ende.end() > bis else len(xml)


def _ausdehnung(xml: bytes, ganz_excel_form: bool = False) -> tuple[int, int]:
    """(last row, last 0-based column) of any cell of the sheet.

    python-calamine places a cell by its r attribute (the last one, should there be two), a
    cell without one after the previous cell and a row without one after the previous row.
    Excel and LibreOffice always write the position, so a cell or row without one is refused
    (`_OhnePosition`); then the farthest cell is the largest position written, and only
    positions of two letters or five digits can be far (of any case: calamine reads
    `xfd1048576` too).

    Only the cell data counts, from the first "sheetData" anywhere (calamine's start tag holds
    those bytes, whatever its prefix, so it cannot come earlier) to the last one, if that closes
    an end tag (calamine stops at the first). Without such an end tag the sheet counts to its
    end. So the scan covers all calamine reads, or more; never less.

    `ganz_excel_form`: the caller found the whole part in Excel's form (`_excel_form`), so the
    cell data are too and need no second search. (Every match within them is one in the whole
    part: the patterns look behind nothing, and the cell data end at the end of the part or
    with the '>' of an end tag, where no pattern's look-ahead starts.)
    """
    von, bis = _zelldaten(xml)
    xml = xml[von:bis]
    if (
        not ganz_excel_form
        and not _excel_form(xml)
        and any(
            muster.search(xml) for muster in (_ZELLE_OHNE_R, _ZEILE_OHNE_R, _MIT_PRAEFIX_OHNE_R)
        )
    ):
        raise _OhnePosition
    zeile = spalte = 0
    weit = list(_WEITE_POSITION.finditer(xml)) if _vielleicht_weit(xml) else []
    # A row's own position places no cell (every cell has its r, see above); LibreOffice
    # writes an empty row 1048576 once a row was deleted. Found in one linear pass, and only
    # on sheets that have a far position at all.
    zeilen = {m.end() for m in _ZEILENPOSITION.finditer(xml)} if weit else set()
    for treffer in weit:
        if treffer.start(1) in zeilen:
            continue
        buchstaben, ziffern = treffer.groups()
        zeile = max(zeile, int(ziffern or 0))
        if buchstaben:
            spalte = max(spalte, _spaltennummer(buchstaben.decode("ascii").upper()))
    return zeile, spalte


# For `_vielleicht_weit`: letters as "a", digits as "0", both quotes as '"'; the rest as is.
_ZEICHENKLASSEN = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'",
    b"a" * 52 + b"0" * 10 + b'"',
)
_ZWEI_BUCHSTABEN = re.compile(rb'"aa++0')


def _vielleicht_weit(xml: bytes) -> bool:
    """False if `_WEITE_POSITION` surely finds nothing in `xml`.

    Every match has a quote, then two or more letters and a digit or at most one letter and
    five digits. With the characters replaced by their kind (`_ZEICHENKLASSEN`) those are
    plain searches, a third of the cost of the pattern, which stops at every "r" of the
    sheet; a sheet of an Arbeitsmappe has none between its cells (columns up to Z, rows below
    10,000), so it is spared the pattern.
    """
    arten = xml.translate(_ZEICHENKLASSEN)
    if b'"00000' in arten or b'"a00000' in arten:
        return True
    # Two letters before a digit are rare between cells (a formula's LOG10): a plain search
    # first, the pattern only then.
    return b"aa0" in arten and _ZWEI_BUCHSTABEN.search(arten) is not None


def _fehlerzellen(xml: bytes) -> dict[tuple[int, int], Fehlerwert]:
    """The cells of a sheet that show an error value, by 0-based row and column.

    On a sheet without any (nearly every one) this is a search or two through its XML, which
    the size check has read already. Only the cell data count (`_zelldaten`), and each hit
    costs a look at most `_TAGFENSTER` bytes around it: a text of a million " t='e'" is
    one hit (everything up to the next tag is the same text), not a million searches back.
    """
    ergebnis: dict[tuple[int, int], Fehlerwert] = {}
    if b"#" not in xml:  # every error value starts with it (#DIV/0!, #N/A): one memchr
        return ergebnis
    von, bis = _zelldaten(xml)
    pos = von
    while (treffer := _FEHLERTYP.search(xml, pos, bis)) is not None:
        start = treffer.start()
        anfang = xml.rfind(b"<", max(von, start - _TAGFENSTER), start)
        if anfang >= 0 and xml.find(b">", anfang, start) < 0 and _ZELLANFANG.match(xml, anfang):
            ende = xml.find(b">", start, min(bis, anfang + _TAGFENSTER))
            wert = _fehlerzelle(xml, anfang, ende) if ende >= 0 else None
            if wert is not None:
                ergebnis[wert[0]] = wert[1]
        # The rest up to the next tag is the same text or start tag: no other cell's t.
        pos = xml.find(b"<", treffer.end(), bis)
        if pos < 0:
            break
    return ergebnis


# Number formats (styles.xml): each `<numFmt numFmtId=… formatCode=…>`, the cell formats in
# `<cellXfs>`, each `<xf numFmtId=…>` (its index is a cell's s attribute).
# Only those in `<numFmts>`: the differential formats (`<dxfs>`, conditional formats) after it
# have numFmt elements of their own that reuse the ids (openpyxl writes them so).
_ZAHLFORMATE = re.compile(rb"<(?:\w+:)?numFmts\b[^<>]*>(.*?)</(?:\w+:)?numFmts\s*>", re.DOTALL)
_ZAHLFORMAT = re.compile(rb"<(?:\w+:)?numFmt\b[^<>]*>")
_ZELLFORMATE = re.compile(rb"<(?:\w+:)?cellXfs\b[^<>]*>(.*?)</(?:\w+:)?cellXfs\s*>", re.DOTALL)
_ZELLFORMAT = re.compile(rb"<(?:\w+:)?xf\b[^<>]*>")
# In a format code, a text in quotes and a character after a backslash are shown as they are:
# `0.00" %"` shows a percent sign, `0.00\ %` multiplies by 100.
_WOERTLICH = re.compile(r'"[^"]*"|\\.')
_PROZENT_IDS = frozenset({9, 10})  # built in: 0%, 0.00%
_EURO_IDS = frozenset({5, 6, 7, 8, 42, 44})  # built in: currency in the locale (€ in German)


def _zahlformate(styles: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The cell formats (s attribute) that show a number as a percentage, and those that show
    it as an amount in euros, from styles.xml. Regular expressions, as for the sheets: the
    part is small and the same in every return of one template."""
    codes: dict[int, str] = {}
    zahlformate = _ZAHLFORMATE.search(styles)
    for tag in _ZAHLFORMAT.findall(zahlformate.group(1) if zahlformate else b""):
        nummer = _attribut(tag, "numFmtId")
        if nummer.isdigit():
            codes[int(nummer)] = _attribut(tag, "formatCode")
    prozent, euro = set(), set()
    if (zellformate := _ZELLFORMATE.search(styles)) is not None:
        for index, tag in enumerate(_ZELLFORMAT.findall(zellformate.group(1))):
            nummer = _attribut(tag, "numFmtId", "0")
            if not nummer.isdigit():
                continue
            code = codes.get(int(nummer), "")
            if int(nummer) in _PROZENT_IDS or "%" in _WOERTLICH.sub("", code):
                prozent.add(index)
            elif int(nummer) in _EURO_IDS or "€" in code or "EUR" in code:
                euro.add(index)
    return frozenset(prozent), frozenset(euro)


@functools.cache
def _formatmuster(stile: frozenset[int]) -> re.Pattern[bytes]:
    """A cell with one of the formats `stile` holding a number typed (no formula, no text), as
    Excel and LibreOffice write it: `<c r="F5" s="14" t="n"><v>0.125</v>`. Starts with a
    literal, as `_FORMELZELLE_EXCEL`; a number's type is "n" or left out."""
    auswahl = b"|".join(str(s).encode() for s in sorted(stile))
    return re.compile(rb'<c r="([A-Z]{1,3}+[0-9]++)" s="(' + auswahl + rb')"(?: t="n")?>\s*+<v>')


def _formatzellen(
    xml: bytes, prozent: frozenset[int], euro: frozenset[int]
) -> dict[tuple[int, int], bool]:
    """The cells of a sheet holding a number shown as a percentage (True) or in euros (False),
    by 0-based row and column. One search through the sheet, which the size check has read
    already; the cells a clerk fills are in Excel's form (other writers' cells are not found:
    then the number is read as before)."""
    stile = prozent | euro
    if not stile:
        return {}
    ergebnis: dict[tuple[int, int], bool] = {}
    for ort, stil in _formatmuster(stile).findall(xml):
        zeile, spalte = adresse_zerlegen(ort.decode("ascii"))
        ergebnis[(zeile - 1, spalte)] = int(stil) in prozent
    return ergebnis


def _fehlerzelle(xml: bytes, anfang: int, ende: int) -> tuple[tuple[int, int], Fehlerwert] | None:
    """The cell whose start tag is `xml[anfang:ende + 1]`, if it shows an error value."""
    tag = xml[anfang:ende]
    if tag.endswith(b"/") or _attribut(tag, "t") != "e":
        return None  # empty, or the hit was part of another attribute (`xt="e"`)
    ort = _BEREICH.fullmatch(_attribut(tag, "r"))
    inhalt = _FEHLERINHALT.match(xml, ende + 1)
    if ort is None or ort.group(3) is not None or int(ort.group(2)) < 1 or inhalt is None:
        return None  # no cell of the grid (`r="A0"` would be row -1, the last one)
    text = html.unescape(inhalt.group(2)[:200].decode("utf-8", "replace")).strip()
    ort_im_raster = (int(ort.group(2)) - 1, _spaltennummer(ort.group(1)))
    formel = inhalt.group(1)
    formeltext = ""
    if formel is not None and (teil := _FORMELTEXT.search(formel)) is not None:
        formeltext = html.unescape(teil.group(1)[:200].decode("utf-8", "replace")).strip()
    return ort_im_raster, Fehlerwert(text[:40], formel=formel is not None, formeltext=formeltext)


_FORMELTEXT = re.compile(rb">([^<]*)<")


# Returns of one template share styles.xml byte for byte (one saved by Calc has its own).
_zahlformate_gemerkt = functools.lru_cache(maxsize=64)(_zahlformate)


def _zu_gross_meldung(bis: str) -> str:
    return (
        f"Ein Blatt der Datei reicht bis Zelle {bis}; eine Arbeitsmappe ist viel kleiner. Bitte "
        "Eingaben weit außerhalb der Tabellen löschen oder die Originalmappe verwenden."
    )


@dataclass(frozen=True)
class Tabellenort:
    """Where a table stands, from the zip's own xl/tables/*.xml (no sheet needs parsing)."""

    name: str
    blatt: str
    erste_zeile: int  # 0-based row of the first data row
    letzte_zeile: int  # 0-based row of the last data row
    unten: int  # 0-based row directly below the table (and below its totals row, if any)
    erste_spalte: int  # 0-based
    koepfe: tuple[str, ...]


# Returns made from one template share their relationship and table parts byte for byte, so
# what is scanned from them is kept per process, keyed by the exact bytes (only small parts are
# kept: a crafted large one must not stay in memory for the rest of the run).
_MEMO_BIS = 16 * 1024


def _klein_gemerkt(funktion: Callable[..., Any]) -> Callable[..., Any]:
    """Memoize `funktion` for calls whose last argument, the part's bytes, is small."""
    gemerkt = functools.lru_cache(maxsize=1024)(funktion)

    @functools.wraps(funktion)
    def aufruf(*args: Any) -> Any:
        return gemerkt(*args) if len(args[-1]) <= _MEMO_BIS else funktion(*args)

    return aufruf


@_klein_gemerkt
def _beziehungen(ordner: str, xml: bytes) -> tuple[tuple[str, tuple[str, str]], ...]:
    ergebnis = []
    for treffer in _BEZIEHUNG.finditer(xml):
        tag = treffer.group(1)
        ziel = _attribut(tag, "Target")
        if _attribut(tag, "TargetMode") == "External" or not ziel:
            continue
        pfad = ziel.lstrip("/") if ziel.startswith("/") else posixpath.join(ordner, ziel)
        ergebnis.append((_attribut(tag, "Id"), (_attribut(tag, "Type"), posixpath.normpath(pfad))))
    return tuple(ergebnis)


_TabellenTeil = tuple[str, tuple[int, int, int, int], int, int, tuple[str, ...]]


@_klein_gemerkt
def _tabelle(xml: bytes) -> _TabellenTeil | None:
    """Name, range (first and last row 1-based, first and last column 0-based), header and
    totals rows, column names of a table part; None if it has no usable range."""
    kopf = _TABELLE.search(xml)
    if kopf is None:
        return None
    tag = kopf.group(1)
    bereich = _BEREICH.fullmatch(_attribut(tag, "ref"))
    if not bereich or bereich.group(3) is None:
        return None
    spalten = _SPALTENNAME.findall(xml)
    return (
        _attribut(tag, "displayName") or _attribut(tag, "name"),
        (
            int(bereich.group(2)),
            _spaltennummer(bereich.group(1)),
            int(bereich.group(4)),
            _spaltennummer(bereich.group(3)),
        ),
        int(_attribut(tag, "headerRowCount", "1") or 1),
        int(_attribut(tag, "totalsRowCount", "0") or 0),
        tuple(_text(doppelt or einfach) for doppelt, einfach in spalten),
    )


@_klein_gemerkt
def _mappe_elemente(
    xml: bytes,
) -> tuple[
    tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[int, str], ...]
]:
    """The sheets of workbook.xml (name, relationship id, visibility), its workbook-wide
    defined names (name, reference) and the sheets' print areas (sheet index, reference), in
    document order.

    Parsed with defusedxml: it is the one part with free text (names). Returns made from one
    template mostly share it byte for byte: parsed once per process, not once per file.
    """
    from defusedxml import ElementTree

    wurzel = ElementTree.fromstring(xml)
    blaetter = []
    namen = []
    druckbereiche = []
    for element in wurzel.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "sheet":
            name = sys.intern(element.get("name", ""))
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            blaetter.append((name, rid, _SICHTBARKEIT.get(element.get("state", ""), "Visible")))
        elif tag == "definedName":
            bezug = (element.text or "").strip()
            blatt = element.get("localSheetId")
            if blatt is None:
                namen.append((element.get("name", ""), bezug))
            elif element.get("name") == "_xlnm.Print_Area" and blatt.isdigit():
                druckbereiche.append((int(blatt), bezug))
    return tuple(blaetter), tuple(namen), tuple(druckbereiche)


def _zeilenformeln(xml: bytes, muster: re.Pattern[bytes]) -> set[str]:
    """The formula cells whose formula text refers to "this row" of a table.

    Each formula cell found as `formelzellen` finds it, then its text up to the next tag
    searched for the literal: one pass, linear in the part. (A pattern reaching into the text
    scanned the same bytes again for every crafted `r="…"` in one tag: 15 s for a 19 MB sheet,
    review.) A shared formula's children have no text; Excel shows #WERT! in them, which the
    comparison of values catches.
    """
    ergebnis = set()
    for treffer in muster.finditer(xml):
        i = treffer.end() - 1  # the character after `<f`: a blank, '>' or '/'
        if xml[i : i + 1] == b"/":
            continue
        if xml[i : i + 1] != b">":
            rest = _FORMELTAG_REST.match(xml, i)
            if rest is None or xml[rest.end() - 2 : rest.end() - 1] == b"/":
                continue
            i = rest.end() - 1
        ende = xml.find(b"<", i + 1)
        if xml.find(b"#This Row", i + 1, ende if ende >= 0 else len(xml)) >= 0:
            ergebnis.add(treffer[1].decode("ascii"))
    return ergebnis


class Paket:
    """One workbook's zip, read once from its bytes.

    Every part that any parser reads is refused if it declares a DOCTYPE or ENTITY (Excel
    never writes them): what the package reads itself passes `teil`; every part calamine could
    read as a sheet passes `blatt_pruefen`, the other parts the workbook refers to (shared
    strings, styles) `anfang_pruefen`. calamine's XML reader never expands entities anyway (an
    unknown one is a read error, see the tests); the check gives such a file the clear message.
    Parts nobody parses (drawings, images) are left alone.
    Sizes were checked on the zip directory before anything is decompressed.
    """

    def __init__(self, daten: bytes) -> None:
        self.daten = daten
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(daten))
        except _KAPUTT:
            raise KeineArbeitsmappe(
                "Die Datei ist beschädigt oder unvollständig (z. B. abgebrochene Übertragung). "
                "Bitte erneut senden."
            ) from None
        self.infos = {t.filename: t for t in self.zip.infolist()}
        self._gelesen: dict[str, bytes] = {}
        self._excel_form: dict[str, bool] = {}
        self._beziehungen: dict[str, dict[str, tuple[str, str]]] = {}
        #: merged ranges ("B5:B8") of each sheet read by `_tabellen`, as calamine found them
        self.verbunden: dict[str, list[str]] = {}

    def excel_form(self, name: str, xml: bytes) -> bool:
        """`_excel_form` of the part `name` (its bytes `xml`), searched once per part: the
        size check and the formula scan both ask."""
        form = self._excel_form.get(name)
        if form is None:
            form = self._excel_form[name] = _excel_form(xml)
        return form

    def teil(self, name: str) -> bytes | None:
        """A part's bytes (None if missing), after the check for entity declarations."""
        if name in self._gelesen:
            return self._gelesen[name]
        if name not in self.infos:
            return None
        xml = self.zip.read(name)
        if _verdaechtig(xml):
            raise KeineArbeitsmappe(_ENTITAETEN)
        self._gelesen[name] = xml
        return xml

    def anfang_pruefen(self, name: str) -> None:
        """Check the prologue of a part python-calamine will parse (shared strings, styles)."""
        if name not in self.infos or name in self._gelesen:
            return
        with self.zip.open(name) as f:
            anfang = f.read(4096)
        if _verdaechtig(anfang):
            raise KeineArbeitsmappe(_ENTITAETEN)

    def blatt_pruefen(self, name: str) -> None:
        """Check a sheet before python-calamine could read it: no entities, no absurd size.

        calamine allocates the grid from the first to the farthest cell, whatever the sheet's
        `<dimension>` says; one cell at XFD1048576 would make it ask for hundreds of gigabytes
        and abort the whole process. So the sheet is read whole (which also verifies its
        checksum) and the positions of its cells count (`_ausdehnung`). Neither `<dimension>`
        nor a row's position counts: calamine allocates nothing for them, and LibreOffice
        writes both up to row 1048576 once a row was deleted in the sheet.
        """
        xml = self.teil(name)
        if xml is None:
            return
        try:
            zeile, spalte = _ausdehnung(xml, self.excel_form(name, xml))
        except _OhnePosition:
            raise KeineArbeitsmappe(
                "Ein Blatt der Datei enthält Zellen ohne Zelladresse; so schreibt weder Excel "
                "noch LibreOffice. Bitte die Originalmappe ausfüllen und erneut senden."
            ) from None
        if zeile > MAX_ZEILEN or spalte >= MAX_SPALTEN:
            raise KeineArbeitsmappe(_zu_gross_meldung(zelle(zeile, spalte)))

    def alle_blaetter_pruefen(self) -> None:
        """Check every part a reader might take for a sheet, before any is read.

        Not only the parts the package itself resolves: a reader that resolves names
        differently (case, duplicate ids, commented-out relationships) must not find an
        unchecked one. Those are the parts under xl/worksheets/ and every worksheet target of
        the workbook's relationships, compared without case; its other targets (shared strings,
        styles) have their prologue checked for entity declarations.
        """
        beziehungen = _beziehungen("xl", self.teil("xl/_rels/workbook.xml.rels") or b"")
        ziele = {ziel.casefold(): typ for _, (typ, ziel) in beziehungen}
        for name in self.infos:
            klein = name.casefold()
            typ = ziele.get(klein, "")
            if (klein.startswith("xl/worksheets/") and klein.endswith(".xml")) or typ.endswith(
                "/worksheet"
            ):
                self.blatt_pruefen(name)
            elif typ:
                self.anfang_pruefen(name)

    def beziehungen(self, teil: str) -> dict[str, tuple[str, str]]:
        """Relationships of a part: id -> (type, target part path inside the zip). Kept: the
        tables, the notes and the drawings each ask for those of every sheet."""
        if (bekannt := self._beziehungen.get(teil)) is not None:
            return bekannt
        ordner, name = posixpath.split(teil)
        xml = self.teil(posixpath.join(ordner, "_rels", name + ".rels"))
        self._beziehungen[teil] = dict(_beziehungen(ordner, xml or b""))
        return self._beziehungen[teil]

    @functools.cached_property
    def mappe(self) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """Sheets (name -> part), their visibility, and the workbook-wide defined names.

        workbook.xml is parsed with defusedxml: it is the one part with free text (names).
        """
        xml = self.teil("xl/workbook.xml")
        if xml is None:
            raise KeineArbeitsmappe(
                "Die Datei ist keine Excel-Arbeitsmappe (es fehlt xl/workbook.xml)."
            )
        try:
            elemente = _mappe_elemente(xml)
        except Exception as fehler:  # defusedxml and expat raise their own types
            raise LeseFehler(f"xl/workbook.xml: {fehler}") from None
        ziele = self.beziehungen("xl/workbook.xml")
        teile: dict[str, str] = {}
        sichtbar: dict[str, str] = {}
        namen: dict[str, str] = {}
        for blatt, rid, zustand in elemente[0]:
            teile[blatt] = ziele.get(rid, ("", ""))[1]
            sichtbar[blatt] = zustand
        for name, bezug in elemente[1]:
            namen[name] = bezug
        return teile, sichtbar, namen

    @functools.cached_property
    def druckbereiche(self) -> dict[str, str]:
        """Each sheet's print area (sheet name -> reference) where it has one; read with the
        sheets (`mappe`), whose order its sheet indices follow."""
        blaetter = list(self.mappe[0])
        elemente = _mappe_elemente(self.teil("xl/workbook.xml") or b"")
        return {blaetter[i]: bezug for i, bezug in elemente[2] if i < len(blaetter)}

    def tabellenorte(self) -> dict[str, Tabellenort]:
        """Every table of the workbook with its sheet, range and column names."""
        orte: dict[str, Tabellenort] = {}
        teile, _, _ = self.mappe
        for blatt, teil in teile.items():
            if not teil:
                continue
            for typ, ziel in self.beziehungen(teil).values():
                if not typ.endswith("/table"):
                    continue
                xml = self.teil(ziel)
                gelesen = _tabelle(xml or b"")
                if gelesen is None:
                    continue
                name, (oben, links, unten, rechts), kopfzeilen, summenzeilen, koepfe = gelesen
                if unten > MAX_ZEILEN or rechts >= MAX_SPALTEN:
                    raise KeineArbeitsmappe(_zu_gross_meldung(zelle(unten, rechts)))
                # What Excel and LibreOffice write; anything else would read the wrong cells.
                if (
                    kopfzeilen not in (0, 1)
                    or summenzeilen not in (0, 1)
                    or not oben + kopfzeilen <= unten - summenzeilen + 1
                    or len(koepfe) != rechts - links + 1
                ):
                    raise KeineArbeitsmappe(
                        f"Die Tabelle {name} (Blatt {blatt}) ist in sich widersprüchlich "
                        "(Bereich, Kopf- und Summenzeilen oder Spalten passen nicht zusammen). "
                        "Bitte die Originalmappe ausfüllen und erneut senden."
                    )
                orte[name] = Tabellenort(
                    name,
                    blatt,
                    oben - 1 + kopfzeilen,
                    unten - 1 - summenzeilen,
                    unten,
                    links,
                    koepfe,
                )
        return orte

    def formelzellen(
        self, blaetter: Iterable[str], zeilenbezug: bool = False
    ) -> dict[str, set[str]]:
        """The cells that hold a formula, per sheet (`zeilenbezug`: only those whose formula
        refers to "this row" of a table, `[#This Row]`).

        python-calamine returns only values, so a formula overwritten by a typed constant looks
        the same as a computed one; the sheet XML tells them apart (`<c r="I5"><f>…</f>`). The
        sheets are only scanned for that pattern (no XML parser), ten times faster than parsing.
        A table row copied below its table in LibreOffice keeps its `[#This Row]` formula and
        the right saved value, but the formula computes nothing there (Excel shows #WERT!):
        only its text tells.
        """
        teile, _, _ = self.mappe
        ergebnis: dict[str, set[str]] = {}
        # No formula at all (each ends `</f>` or `</x:f>`, a shared one's children stand
        # beside the one that does), or none referring to its row: found by one search.
        gesucht = b"#This Row" if zeilenbezug else b"f>"
        for blatt in blaetter:
            teil = teile.get(blatt)
            xml = self.teil(teil) if teil else None
            if xml is not None and gesucht not in xml:
                ergebnis[blatt] = set()
            elif xml is not None:
                muster = _FORMELZELLE_EXCEL if self.excel_form(teil, xml) else _FORMELZELLE
                if zeilenbezug:
                    ergebnis[blatt] = _zeilenformeln(xml, muster)
                else:
                    ergebnis[blatt] = {t.decode("ascii") for t in muster.findall(xml)}
        return ergebnis

    @functools.cached_property
    def zahlformate(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell formats for percentages and for euros (`_zahlformate`), from styles.xml;
        none if the workbook has no styles part or a part of another name."""
        ziel = next(
            (z for t, z in self.beziehungen("xl/workbook.xml").values() if t.endswith("/styles")),
            "",
        )
        xml = self.teil(ziel) if ziel else None
        return _zahlformate_gemerkt(xml) if xml else (frozenset(), frozenset())

    def gespeichert_am(self) -> str:
        """When the workbook was last saved by a spreadsheet program (docProps/core.xml).

        This decides which of several versions of one AG is the newest: the time the clerk
        last saved it, not the time of the mail or the file's date on the shared drive, which
        copying changes. A file never saved since generation carries its creation time.
        """
        from defusedxml import ElementTree

        xml = self.teil("docProps/core.xml")  # a DOCTYPE here refuses the file, as anywhere
        try:
            wurzel = ElementTree.fromstring(xml) if xml else None
        except Exception:  # no readable core properties: the caller falls back to the file date
            return ""
        werte = {}
        for element in wurzel if wurzel is not None else ():
            werte[element.tag.rsplit("}", 1)[-1]] = (element.text or "").strip()
        zeit = werte.get("modified") or werte.get("created") or ""
        return als_utc(zeit) if self._von_libreoffice() else zeit

    def _von_libreoffice(self) -> bool:
        """Saved last by LibreOffice (docProps/app.xml names the program that wrote it)."""
        return von_libreoffice(self.teil("docProps/app.xml") or b"")


def von_libreoffice(app_xml: bytes) -> bool:
    """Whether docProps/app.xml names LibreOffice (or OpenOffice) as the program that wrote
    the file: its save time in docProps/core.xml is local time with a "Z" (`als_utc`)."""
    programm = _PROGRAMM.search(app_xml)
    return programm is not None and (
        b"LibreOffice" in programm.group(1) or b"OpenOffice" in programm.group(1)
    )


_PROGRAMM = re.compile(rb"<(?:\w+:)?Application>([^<]{0,200})<")


def als_utc(zeit: str) -> str:
    """LibreOffice's save time, which it writes in local time with a "Z" (review: a
    correction saved in Excel an hour later lost against the LibreOffice version, Excel
    writing true UTC). Read as the local time of this computer, which is the clerks' zone
    in a programme of neighbouring Kommunen; a time with an offset is left alone."""
    if not zeit.endswith("Z"):
        return zeit
    try:
        lokal = datetime.fromisoformat(zeit[:-1])
    except ValueError:
        return zeit
    if lokal.tzinfo is not None:
        return zeit
    try:
        return lokal.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):  # year 1 or 9999; before 1970 on Windows
        return zeit


def _bytes(quelle: Any) -> bytes:
    if isinstance(quelle, bytes):
        return quelle
    if isinstance(quelle, (str, os.PathLike)):
        with open(quelle, "rb") as f:
            return f.read()
    return quelle.read()


def tabellen_lesen(
    quelle: Any, mit_unterhalb: Mapping[str, int] | None = None, auch: Iterable[str] = ()
) -> tuple[dict[str, Rohtabelle], dict[str, list[list[Any]]], list[tuple[str, str]]]:
    """All tables of a workbook, the grid of each sheet that has one, and all sheets' visibility.

    `mit_unterhalb` maps the tables whose rows typed below the table count too to the number of
    input rows the generator left below them (Excel grows a table when one types right below
    it; a protected sheet or LibreOffice does not). Every filled row of that area counts, also
    after empty ones, and so do rows that follow on without a gap; filled rows further down, up
    to the next table of the sheet, are listed in `Rohtabelle.ausserhalb`, not read. `auch`
    names further sheets whose grid is wanted, read while the workbook is open anyway.
    """
    try:
        paket = quelle if isinstance(quelle, Paket) else Paket(_bytes(quelle))
        return _tabellen(paket, mit_unterhalb or {}, auch, fehlerwerte=True)
    except (KeineArbeitsmappe, *_KAPUTT) as ursache:
        raise LeseFehler(str(ursache)) from None


def fremde_tabellen(
    tabellen: Iterable[tuple[str, str]], vorlage: Collection[str]
) -> dict[str, list[str]]:
    """Per sheet, its tables (name, sheet) that are not the template's: a copied sheet's
    "tbl_Ressourcen_2", or a table renamed. A template table missing on such a sheet was not
    turned into a range: its entries are in the other table, so it is not looked for by its
    header row (`_tabellen`) and the message names the other (`pruefen._struktur_pruefen`).
    One rule for both: the two had drifted apart (review21)."""
    je_blatt: dict[str, list[str]] = {}
    for name, blatt in tabellen:
        if name not in vorlage:
            je_blatt.setdefault(blatt, []).append(name)
    return je_blatt


def _tabellen(
    paket: Paket,
    mit_unterhalb: Mapping[str, int],
    auch: Iterable[str],
    fehlerwerte: bool = False,
    kopfsuche: Iterable[tuple[str, str, tuple[str, ...]]] = (),
) -> tuple[dict[str, Rohtabelle], dict[str, list[list[Any]]], list[tuple[str, str]]]:
    """Each sheet is parsed once: the table ranges come from the zip, the values from calamine.

    (python-calamine's own table support would parse every table's sheet a second time.)
    With `fehlerwerte`, a cell showing an error value holds a `Fehlerwert` in the grid instead
    of calamine's "" (from the sheet XML, which the size check has read anyway).
    `kopfsuche` lists the template's tables in its order (name, sheet, column names): when the
    workbook has none of them left (saved as .xls on the way, which keeps no tables), each is
    looked for by its header row (`_nach_koepfen`); the clerk's entries are still in the cells.
    """
    from python_calamine import CalamineWorkbook

    teile, sichtbar, _ = paket.mappe
    orte = paket.tabellenorte()
    kopfsuche = list(kopfsuche)
    vorlage = {name for name, _, _ in kopfsuche}
    kopfsuche = [k for k in kopfsuche if k[1] in teile]
    # Only the tables the workbook lost, each on a sheet that holds no table of another name
    # (a copied sheet's "tbl_Ressourcen_2" is no lost table): all of them after a round trip
    # through .xls, one the clerk turned into a range ("In Bereich konvertieren").
    fremd = set(fremde_tabellen(((n, o.blatt) for n, o in orte.items()), vorlage))
    verloren = {name for name, blatt, _ in kopfsuche if name not in orte and blatt not in fremd}
    if not verloren:
        kopfsuche = []
    blaetter = [(name, sichtbar[name]) for name in teile]
    gewuenscht = [o.blatt for o in orte.values()] + [b for b in auch if b in teile]
    if kopfsuche:
        gewuenscht += [blatt for _, blatt, _ in kopfsuche] + [b for b in ("_ikz",) if b in teile]
    gewuenscht = list(dict.fromkeys(gewuenscht))
    paket.alle_blaetter_pruefen()
    gitter: dict[str, list[list[Any]]] = {}
    try:
        mappe = CalamineWorkbook.from_filelike(io.BytesIO(paket.daten))
        with mappe:
            for blatt in gewuenscht:
                tabelle = mappe.get_sheet_by_name(blatt)
                gitter[blatt] = tabelle.to_python(skip_empty_area=False)
                # merged cells, parsed with the sheet anyway: a merge over rows of a table
                # shows one entry where only the first cell holds it (`pruefen`)
                paket.verbunden[blatt] = [
                    f"{zelle(z1 + 1, s1)}:{zelle(z2 + 1, s2)}"
                    for (z1, s1), (z2, s2) in getattr(tabelle, "merged_cell_ranges", None) or ()
                ]
    except Exception as fehler:  # calamine raises its own error types per format
        raise LeseFehler(str(fehler)) from None
    if fehlerwerte:
        for blatt, raster in gitter.items():
            for (z, s), wert in _fehlerzellen(paket.teil(teile[blatt]) or b"").items():
                if z < len(raster) and s < len(raster[z]) and raster[z][s] == "":
                    raster[z][s] = wert
        prozent, euro = paket.zahlformate
        for blatt, raster in gitter.items():
            for (z, s), als_prozent in _formatzellen(
                paket.teil(teile[blatt]) or b"", prozent, euro
            ).items():
                if z < len(raster) and s < len(raster[z]) and type(raster[z][s]) is float:
                    raster[z][s] = (Prozentwert if als_prozent else Eurowert)(raster[z][s])
    gefunden: dict[str, Tabellenort] = {}
    if kopfsuche:
        # all of the template's tables are looked for (those still there bound the others),
        # only the lost ones are taken
        reserven = dict(mit_unterhalb)
        gefunden = {
            name: ort
            for name, ort in _nach_koepfen(
                kopfsuche, gitter, _kennung(gitter.get("_ikz", [])), reserven
            ).items()
            if name in verloren
        }
        mit_unterhalb = {**mit_unterhalb, **{n: reserven[n] for n in gefunden if n in reserven}}
        orte = {**orte, **gefunden}
    tabellen: dict[str, Rohtabelle] = {}
    for name, ort in orte.items():
        raster = gitter[ort.blatt]
        breite = len(ort.koepfe)
        links, rechts = ort.erste_spalte, ort.erste_spalte + breite
        von = ort.erste_zeile
        if von < len(raster) and tuple(
            str(w).strip() for w in _ausschnitt(raster, von, links, breite)
        ) == tuple(k.strip() for k in ort.koepfe):
            # The headers as the first data row: a table saved without its header flag (a
            # LibreOffice macro's filter does that). They are the header, not an entry.
            von += 1
        roh = Rohtabelle(name, ort.blatt, von, ort.erste_spalte, ort.koepfe)
        bis = min(ort.letzte_zeile + 1, len(raster))
        if raster and len(raster[0]) >= rechts:  # calamine's grid is rectangular
            roh.zeilen = [(z + 1, tuple(raster[z][links:rechts])) for z in range(von, bis)]
        else:
            roh.zeilen = [(z + 1, _ausschnitt(raster, z, links, breite)) for z in range(von, bis)]
        leer = ("",) * breite  # rows of the table beyond the last written one
        roh.zeilen += [(z + 1, leer) for z in range(max(bis, von), ort.letzte_zeile + 1)]
        roh.bis = ort.unten
        if name in mit_unterhalb:
            # Up to the next table's header row, else the end. The row right above that header
            # is read too: the Steuerungsmappe leaves it empty, and a Steuerungsgruppe typing
            # on below the table fills it (up to session 21 it was neither read nor warned
            # about). A title there (the Arbeitsmappe's "Geprüfte Varianten") stands above a
            # table whose upper neighbour has no input rows, so it never gets here.
            naechste = min(
                [MAX_ZEILEN + 1]
                + [
                    o.erste_zeile - 1
                    for o in orte.values()
                    if o.blatt == ort.blatt and o.erste_zeile > ort.erste_zeile
                ]
            )
            grenze = min(len(raster), naechste)
            roh.bis = max(naechste, ort.unten)
            ende = min(ort.unten + mit_unterhalb[name], grenze)
            zuletzt = ort.unten - 1  # the last row read: first the table's own last row
            for z in range(ort.unten, grenze):
                werte = _ausschnitt(raster, z, ort.erste_spalte, breite)
                if leere_zeile(werte):
                    continue
                # In the input rows, also after empty ones; beyond them while rows follow
                # each other without a gap (as one types on below a table).
                if z < ende or z == zuletzt + 1:
                    roh.zeilen.append((z + 1, werte))
                    roh.unterhalb += 1
                    zuletzt = z
                else:
                    erste = next(i for i, w in enumerate(werte) if not ist_leer(w))
                    roh.ausserhalb.append((z + 1, ort.erste_spalte + erste, tuple(werte)))
        roh.ueber_kopf = name in gefunden
        if roh.ueber_kopf and name not in mit_unterhalb:
            # an empty row inside a table of the template's rows was inserted by the clerk
            # (`_ueber_leere_zeilen`): no row of the template, nothing to check or carry over
            roh.zeilen = [(z, werte) for z, werte in roh.zeilen if not leere_zeile(werte)]
        tabellen[name] = roh
    return tabellen, gitter, blaetter


def _kopfzeile(raster: list[list[Any]], z: int, koepfe: tuple[str, ...]) -> int | None:
    """The 0-based column where the row `z` of the grid holds `koepfe` side by side, if it
    does (as the eye reads them: `vergleichbar`)."""
    reihe, soll = raster[z], [vergleichbar(k) for k in koepfe]
    for s in range(len(reihe) - len(soll) + 1):
        if (
            isinstance(reihe[s], str)
            and vergleichbar(reihe[s]) == soll[0]
            and all(
                isinstance(w, str) and vergleichbar(w) == k
                for w, k in zip(reihe[s : s + len(soll)], soll, strict=True)
            )
        ):
            return s
    return None


def _nach_koepfen(
    kopfsuche: Iterable[tuple[str, str, tuple[str, ...]]],
    gitter: Mapping[str, list[list[Any]]],
    kennung: Mapping[str, str],
    mit_unterhalb: dict[str, int],
) -> dict[str, Tabellenort]:
    """Where the tables of a workbook that lost them stand: each by its header row.

    A sheet's tables are looked for in the template's order, each below the one before (so
    rows inserted above move nothing out of reach). A table's rows are those below its header
    up to the first completely empty one, and no further than the next table's title row;
    for a table with input rows below it, those rows reach as far as the workbook's formulas
    count them (`bis:` in `_ikz`), as they would below the table itself. A table whose header
    row is not there (deleted, or a column name typed over) is left out: the check names it.
    """
    koepfe_je_blatt: dict[str, list[tuple[str, int, int, tuple[str, ...]]]] = {}
    for name, blatt, koepfe in kopfsuche:
        raster = gitter.get(blatt, [])
        bisher = koepfe_je_blatt.setdefault(blatt, [])
        ab = bisher[-1][1] + 1 if bisher else 0
        for z in range(ab, len(raster)):
            spalte = _kopfzeile(raster, z, koepfe)
            if spalte is not None:
                bisher.append((name, z, spalte, koepfe))
                break
    orte: dict[str, Tabellenort] = {}
    for blatt, tabellen in koepfe_je_blatt.items():
        raster = gitter[blatt]
        vorlagentexte = _vorlagentexte(kennung.get(ZELLEN + blatt, ""))
        for i, (name, kopf, links, koepfe) in enumerate(tabellen):
            # up to the next table's title row (a table has one above its header, or a gap)
            grenze = tabellen[i + 1][1] - 1 if i + 1 < len(tabellen) else len(raster)
            letzte = kopf + 1
            while (
                letzte + 1 < grenze
                and not leere_zeile(_ausschnitt(raster, letzte, links, len(koepfe)))
                and not leere_zeile(_ausschnitt(raster, letzte + 1, links, len(koepfe)))
            ):
                letzte += 1
            if name not in mit_unterhalb:
                letzte = _ueber_leere_zeilen(raster, letzte, grenze, links, koepfe, vorlagentexte)
            if name in mit_unterhalb and (bis := kennung.get(BIS + name, "")).isdigit():
                mit_unterhalb[name] = max(0, kopf + int(bis) - letzte)
            orte[name] = Tabellenort(name, blatt, kopf + 1, letzte, letzte + 1, links, koepfe)
    return orte


def _vorlagentexte(eintrag: str) -> frozenset[str]:
    """The fingerprints of the texts the generator wrote outside the tables of a sheet (its
    `ZELLEN` record): titles, help texts, "Summe der Anteile"."""
    vorlage = _zellen_lesen_gemerkt(eintrag) if eintrag else None
    return frozenset(vorlage.texte) if vorlage is not None else frozenset()


def _ueber_leere_zeilen(
    raster: list[list[Any]],
    letzte: int,
    grenze: int,
    links: int,
    koepfe: tuple[str, ...],
    vorlagentexte: frozenset[str],
) -> int:
    """The last row of a table without input rows below it (Kostenausgleich, Projekt-
    beschreibung), read past empty rows a clerk inserted into it (review 20: the rows below an
    inserted one were lost, six partners "fehlt").

    The table's rows are the template's own, so it is known what follows them: the next
    table's title (`grenze`) or a text the generator wrote below the table ("Summe der
    Anteile", any text of the sheet's `ZELLEN` record) ends it. Where nothing of the template
    follows (Priorisierung), rows after empty ones count only with their first cell filled,
    as the template fills it in each of its rows (Kommune, Nr, Kriterium), and the last of
    them only with more than that: a note typed below in the first column ("Anmerkung: …")
    stays outside, as in any return (it became a row with two "Pflichtangabe fehlt"), while
    an unfilled row of the template there loses nothing (the Korrektur copy has it again).
    """
    breite = len(koepfe)
    ende = grenze
    for z in range(letzte + 1, grenze):
        if any(
            isinstance(w, str) and w.strip() and textsumme(w) in vorlagentexte
            for w in _ausschnitt(raster, z, links, breite)
        ):
            ende = z
            break
    begrenzt = ende < len(raster)
    z = letzte + 1
    while z < ende:
        werte = _ausschnitt(raster, z, links, breite)
        if leere_zeile(werte):
            z += 1
            continue
        if z > letzte + 1 and not begrenzt:
            if ist_leer(werte[0]):
                break  # after a gap, at the foot of the sheet: not a row of the template
            if all(ist_leer(w) for w in werte[1:]):
                # a note typed below the table ("Anmerkung: …") looks so, and so does a row
                # of the template left unfilled: it counts only with a filled row below it
                z += 1
                continue
        letzte = z
        z += 1
    return letzte


def _ausschnitt(raster: list[list[Any]], zeile: int, spalte: int, breite: int) -> tuple[Any, ...]:
    if zeile >= len(raster):
        return ("",) * breite
    reihe = raster[zeile]
    werte = reihe[spalte : spalte + breite]
    return tuple(werte) + ("",) * (breite - len(werte))


def _daneben(
    raster: list[list[Any]], bereiche: Iterable[tuple[int, int, int, int]]
) -> list[tuple[int, int, Any]]:
    """The filled cells of a sheet's grid outside `bereiche` (0-based first row, row after
    the last, first column, column after the last): (Excel row, 0-based column, value).

    The grid is cut into bands of rows that the same tables cover; in each, only the columns
    no table covers are looked at, a slice per row. The rows of a table as wide as the grid,
    nearly all of them, cost nothing.
    """
    bereiche = list(bereiche)
    hoehe, breite = len(raster), len(raster[0]) if raster else 0
    gefunden: list[tuple[int, int, Any]] = []
    grenzen = sorted(
        {0, hoehe} | {min(max(z, 0), hoehe) for o, u, _, _ in bereiche for z in (o, u)}
    )
    for von, bis in itertools.pairwise(grenzen):
        luecken, frei_ab = [], 0
        for links, rechts in sorted((lk, r) for o, u, lk, r in bereiche if o <= von and bis <= u):
            if links > frei_ab:
                luecken.append((frei_ab, links))
            frei_ab = max(frei_ab, rechts)
        if frei_ab < breite:
            luecken.append((frei_ab, breite))
        for z in range(von, bis) if luecken else ():
            reihe = raster[z]
            for links, rechts in luecken:
                teil = reihe[links:rechts]
                if teil.count("") == len(teil):
                    continue
                for s, wert in enumerate(teil, start=links):
                    if not ist_leer(wert):
                        gefunden.append((z + 1, s, wert))
    return gefunden


# What makes a sheet not empty: a cell with a value (`<v>`, or `<t>` of an inline string), or a
# drawing (pictures, shapes, charts; a chart sheet has nothing else).
_MIT_WERT = re.compile(rb"<(?:[\w.-]+:)?[vt](?:\s[^<>]*)?>\s*[^<\s]")
_ZEICHNUNG = re.compile(rb"<(?:[\w.-]+:)?drawing\b")
# A cell's value in the sheet XML: a `<v>` with something in it, or an inline string `<is>`;
# the text runs of an inline or shared string; the start of a shared string in its part.
_ZELLWERT = re.compile(rb"<(?:[\w.-]+:)?(?:(v)(?:\s[^<>]*)?>\s*[^<\s]|is[\s>])")
_TEXTTEIL = re.compile(rb"<(?:[\w.-]+:)?t(?:\s[^<>]*)?>([^<]*)<")
_GETEILTER_TEXT = re.compile(rb"<(?:[\w.-]+:)?si(?:\s[^<>]*)?(/?)>")
_TEXT_ENDE = re.compile(rb"</(?:[\w.-]+:)?(?:is|si)\s*>")
#: How many cells with a value are counted on the sheets a clerk added, per file: beyond, the
#: count is "at least" (`FremdesBlatt.mindestens`).
FREMD_ZAEHLEN = 10_000
_FREMD_ZEIGEN = 5  # the first cells with content named per sheet
# How far before a value its cell's start tag may stand: past a formula (Excel takes 8,192
# characters, saved escaped); as far, a value or text is looked for its end.
_FORMELFENSTER = 64 * 1024
_TEXT_HOECHSTENS = 1000  # characters of a text kept: a message shows 40
# Shared strings looked through for those wanted (a return has a few hundred): a crafted index
# far beyond costs no more.
_GETEILT_HOECHSTENS = 100_000


# Returned files ------------------------------------------------------------------------------


def ist_nebendatei(pfad: Any) -> bool:
    """Lock files and system litter that appear in shared folders: never a return."""
    name = pfad.name
    return (
        name.startswith(("~$", ".~lock."))
        or name.lower() in IGNORIERT
        or _EXCEL_ZWISCHENDATEI.fullmatch(name) is not None
        or name.lower().endswith(_UNFERTIGER_DOWNLOAD)
    )


#: What to do about a workbook the reader refuses as damaged (its message is the library's, in
#: English: "Cell string index not found in shared strings table").
BESCHAEDIGT_WAS_TUN = (
    "Bitte die Arbeitsmappe in Excel öffnen, erneut speichern und senden; hilft das nicht, die "
    "Eingaben in die Originalmappe übertragen."
)


#: What to do with a return saved by LibreOffice in its own format. It only asked the AG to
#: send it again, while the Steuerungsgruppe has LibreOffice and can convert it at once
#: (README walk-through); the file left in eingang/ would keep its Fehler.
OPENDOCUMENT_WAS_TUN = (
    "Bitte selbst umwandeln, die Arbeitsgruppe muss nicht erneut senden: in LibreOffice "
    "öffnen, 'Datei' > 'Speichern unter' mit dem Dateityp „Excel 2007-365 (.xlsx)“, die "
    ".xlsx in eingang/ ablegen und diese Datei aus eingang/ nehmen (sonst bleibt dieser "
    "Fehler). Oder die Arbeitsgruppe bitten, so zu speichern und erneut zu senden."
)


def _ist_webseite(anfang: bytes) -> bool:
    """An HTML page saved under the workbook's name: a download from SharePoint, OneDrive or
    a webmail that got the login or error page instead of the file (its name and ".xlsx"
    come from the link), or a workbook saved in Excel as "Webseite". "Keine Excel-Arbeitsmappe
    (z. B. CSV, Text oder PDF) … nicht eine exportierte Tabelle" told the team to ask the AG
    about an export it never made (session 24). Comments before the page are skipped: many
    sign-in and error pages begin with "<!-- saved from url=… -->" or a build note."""
    kopf = anfang.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    while kopf.startswith(b"<!--") and b"-->" in kopf:
        kopf = kopf.split(b"-->", 1)[1].lstrip(b" \t\r\n")
    return kopf.startswith((b"<!doctype html", b"<html")) or (
        kopf.startswith(b"<?xml") and b"<html" in kopf  # XHTML
    )


def datei_oeffnen(pfad: Any) -> Paket:
    """Read a file once and open it as a workbook, or raise KeineArbeitsmappe saying why.

    Looks only at bytes and the zip directory, so nothing dangerous is parsed here: encrypted
    and old binary files, OpenDocument, CSV, macro workbooks and zip bombs are recognised
    before any XML parser sees the file.
    """
    if verknuepfung_ohne_ziel(pfad):
        raise KeineArbeitsmappe(
            f"Die Datei ist eine Verknüpfung, deren Ziel fehlt ({lesbar(str(pfad.readlink()))}). "
            f"{VERKNUEPFUNG_WAS_TUN}"
        )
    try:
        groesse = pfad.stat().st_size
    except OSError as fehler:
        raise KeineArbeitsmappe(f"Die Datei lässt sich nicht lesen ({grund(fehler)}).") from None
    if groesse == 0:
        raise KeineArbeitsmappe(
            "Die Datei ist leer (0 Byte). Bitte die ausgefüllte Arbeitsmappe erneut senden."
        )
    if groesse > MAX_DATEIGROESSE:
        raise KeineArbeitsmappe(
            f"Die Datei ist {groesse / 1024 / 1024:.0f} MB groß; eine Arbeitsmappe hat unter 1 MB. "
            "Bitte nur die Arbeitsmappe senden (keine eingebetteten Bilder oder Anhänge)."
        )
    try:
        daten = pfad.read_bytes()
    except OSError as fehler:
        raise KeineArbeitsmappe(f"Die Datei lässt sich nicht lesen ({grund(fehler)}).") from None
    if daten.startswith(b"\xd0\xcf\x11\xe0"):
        raise KeineArbeitsmappe(_ole_datei(daten))
    if daten.startswith(b"L\x00\x00\x00\x01\x14\x02\x00"):  # a Windows shortcut (.lnk)
        raise KeineArbeitsmappe(
            f"Die Datei ist eine Windows-Verknüpfung, nicht die Arbeitsmappe selbst. "
            f"{VERKNUEPFUNG_WAS_TUN}"
        )
    if not daten.startswith(b"PK") and b"office:document" in daten[:2000]:
        raise KeineArbeitsmappe(  # LibreOffice's "Flat XML" (.fods): saved like an .ods
            f"Die Datei ist im OpenDocument-Format (flaches XML, .fods). {OPENDOCUMENT_WAS_TUN}"
        )
    if not daten.strip(b"\0"):  # an interrupted sync or copy leaves the size, not the bytes
        raise KeineArbeitsmappe(
            "Die Datei enthält nur Nullbytes: Sie wurde nicht vollständig übertragen oder "
            "synchronisiert (z. B. OneDrive oder Netzlaufwerk). Bitte die Synchronisierung "
            "abwarten oder die Arbeitsmappe erneut senden lassen."
        )
    if daten.startswith(b"%PDF"):
        # a return printed to PDF, or the PDF attached beside the workbook: "nicht eine
        # exportierte Tabelle" did not say that the figures cannot be read from it (session 22)
        raise KeineArbeitsmappe(
            "Die Datei ist ein PDF (etwa die gedruckte Arbeitsmappe), keine Excel-Arbeitsmappe; "
            "aus ihm lassen sich die Angaben nicht lesen. Bitte die ausgefüllte Arbeitsmappe "
            "(.xlsx) selbst in eingang/ ablegen, sie liegt oft derselben Mail bei, und das PDF "
            "aus eingang/ entfernen."
        )
    if _ist_mail(daten[:4000]):
        raise KeineArbeitsmappe(
            "Die Datei ist eine gespeicherte E-Mail (.eml), keine Arbeitsmappe. Bitte den "
            "Anhang (die Arbeitsmappe, .xlsx) aus der Mail speichern und ihn statt der Mail in "
            "eingang/ ablegen."
        )
    if _ist_webseite(daten[:2000]):
        raise KeineArbeitsmappe(
            "Die Datei ist eine Webseite (HTML), keine Arbeitsmappe: meist die Anmelde- oder "
            "Fehlerseite eines Downloads (SharePoint, OneDrive, Webmail), gespeichert unter dem "
            "Namen der Mappe, oder eine in Excel als Webseite gespeicherte Mappe. Bitte die "
            "Arbeitsmappe erneut herunterladen (dabei angemeldet) oder die Arbeitsgruppe bitten, "
            "die Mappe selbst (.xlsx) als Anhang zu senden, und diese Datei aus eingang/ "
            "entfernen."
        )
    if not daten.startswith(b"PK"):
        raise KeineArbeitsmappe(
            "Die Datei ist keine Excel-Arbeitsmappe (z. B. CSV, Text oder PDF). Bitte die "
            "ausgefüllte Arbeitsmappe (.xlsx) senden, nicht eine exportierte Tabelle."
        )
    paket = Paket(daten)
    teile = paket.infos.values()
    # Sizes first: nothing is decompressed before the zip bomb check.
    xml = sum(t.file_size for t in teile if t.filename.casefold().endswith((".xml", ".rels")))
    if (
        sum(t.file_size for t in teile) > MAX_ENTPACKT
        or xml > MAX_XML
        or any(
            t.compress_size
            and t.file_size / t.compress_size > MAX_VERHAELTNIS
            and t.file_size > 10 * 1024 * 1024
            for t in teile
        )
    ):
        raise KeineArbeitsmappe(
            "Die Datei würde entpackt ungewöhnlich groß (mögliche Zip-Bombe) und wird nicht "
            "geöffnet. Bitte die Originalmappe ausfüllen und senden."
        )
    try:
        if "mimetype" in paket.infos and b"opendocument" in paket.zip.read("mimetype")[:200]:
            raise KeineArbeitsmappe(
                f"Die Datei ist im OpenDocument-Format (.ods). {OPENDOCUMENT_WAS_TUN}"
            )
        typen = paket.teil("[Content_Types].xml")
        if typen is None or "xl/workbook.xml" not in paket.infos:
            raise KeineArbeitsmappe(_keine_mappe([_zipname(t) for t in paket.infos.values()]))
        if (eigene := _eigene_datei(paket)) is not None:
            raise KeineArbeitsmappe(eigene)
        # Only real macros: LibreOffice's "Excel 2007-365 mit Makros" writes the type without
        # any, and the file is a workbook like any other (review: it was refused as one).
        if _mit_makros(paket, typen):
            raise KeineArbeitsmappe(
                "Die Datei enthält Makros (.xlsm). Makros werden aus Sicherheitsgründen nicht "
                "geöffnet. Bitte als Excel-Arbeitsmappe (.xlsx) speichern und erneut senden."
            )
    except _KAPUTT as fehler:
        raise KeineArbeitsmappe(
            f"Die Datei ist beschädigt (technische Meldung: {fehler}). {BESCHAEDIGT_WAS_TUN}"
        ) from None
    return paket


def _mit_makros(paket: Paket, typen: bytes) -> bool:
    """A VBA project or an Excel 4 macro sheet, under whatever part name (review: one stored
    as xl/vbaData.bin passed a check by the usual name)."""
    beziehungen = paket.teil("xl/_rels/workbook.xml.rels") or b""
    return (
        "xl/vbaProject.bin" in paket.infos
        or any(n.casefold().startswith("xl/macrosheets/") for n in paket.infos)
        or any(m in typen for m in (b"vbaProject", b"macrosheet"))
        or any(m in beziehungen for m in (b"/vbaProject", b"/xlMacrosheet", b"/xlIntlMacrosheet"))
    )


_TITEL = re.compile(rb"<dc:title>([^<]{1,200})</dc:title>")
#: Titles ikz_excel gives its other workbooks -> what the clerk put into eingang/ instead.
_EIGENE_DATEIEN = (
    ("Steuerungsmappe", "die Steuerungsmappe des Programms"),
    ("Übersicht für die Lenkungsgruppe", "die Übersicht für die Lenkungsgruppe"),
    ("Prüfbericht", "ein Prüfbericht"),
)


def _eigene_datei(paket: Paket) -> str | None:
    """One of the toolkit's own workbooks put into eingang/, named by what it is.

    Review: the Steuerungsmappe was refused for its macros, the Übersicht and the Prüfbericht
    were sent back to be "filled in". Their titles (docProps/core.xml) say what they are.
    """
    treffer = _TITEL.search(paket.teil("docProps/core.xml") or b"")
    titel = treffer.group(1).decode("utf-8", "replace") if treffer else ""
    for anfang, was in _EIGENE_DATEIEN:
        if titel.startswith(anfang):
            return (
                f"Die Datei ist {was} (von ikz_excel geschrieben), kein Rücklauf einer "
                "Arbeitsgruppe. Bitte aus eingang/ entfernen; dort liegen nur die ausgefüllten "
                "Arbeitsmappen."
            )
    return None


def _ist_mail(kopf: bytes) -> bool:
    """A mail saved as .eml (Thunderbird, Outlook "Speichern unter", dragged from a web
    mailer): header lines at the top, a MIME-Version or From and Subject among them."""
    zeilen = kopf.replace(b"\r\n", b"\n").split(b"\n\n")[0].split(b"\n")
    namen = {z.split(b":")[0].strip().lower() for z in zeilen if b":" in z and z[:1].isalpha()}
    return b"mime-version" in namen or {b"from", b"subject"} <= namen


def _ole_datei(daten: bytes) -> str:
    """What an old-style Office file (OLE compound file) is, and what to do about it.

    Its directory names its streams in UTF-16: an encrypted .xlsx has "EncryptedPackage",
    an Outlook mail saved whole "__substg1.0_…" (review: it was called an .xls, though the
    return is probably attached to it), a Word document "WordDocument", an .xls "Workbook".
    """

    def hat(strom: str) -> bool:
        return strom.encode("utf-16-le") in daten

    if hat("EncryptedPackage") and (
        hat("DRMEncryptedTransform")
        or b"Microsoft.Metadata.DRMTransform" in daten
        or hat("Microsoft.Metadata.DRMTransform")
    ):
        return (
            "Die Datei ist durch eine Vertraulichkeitsbezeichnung oder Zugriffsbeschränkung "
            "(Microsoft Purview/IRM) verschlüsselt und kann nicht gelesen werden. Bitte in Excel "
            "unter Start > Vertraulichkeit eine Bezeichnung ohne Verschlüsselung wählen (oder "
            "Datei > Informationen > Arbeitsmappe schützen > Zugriff einschränken aufheben) und "
            "erneut senden; im Zweifel die IT fragen."
        )
    if hat("EncryptedPackage"):
        return (
            "Die Datei ist mit einem Kennwort geschützt und kann nicht gelesen werden. Bitte "
            "in Excel unter Datei > Informationen > Arbeitsmappe schützen das Kennwort "
            "entfernen und erneut senden (der Blattschutz ohne Kennwort bleibt)."
        )
    if hat("__substg1.0_"):
        return (
            "Die Datei ist eine gespeicherte E-Mail (Outlook, .msg), keine Arbeitsmappe. Bitte "
            "den Anhang (die Arbeitsmappe, .xlsx) aus der Mail speichern und ihn statt der Mail "
            "in eingang/ ablegen."
        )
    if hat("WordDocument"):
        return _andere_datei("ein Word-Dokument (.doc)")
    if hat("Workbook") or hat("Book"):
        return (
            "Die Datei ist im alten Excel-Format (.xls). Bitte die Originalmappe (.xlsx) "
            "verwenden oder in Excel 'Speichern unter' > Excel-Arbeitsmappe (.xlsx) wählen. "
            "Wurde sie in LibreOffice als .xls gespeichert, hat sie dabei ihre Tabellen "
            "verloren: dann dort 'Speichern unter' > Excel 2007-365 (.xlsx) wählen und die "
            ".xlsx senden (oder statt der .xls in eingang/ ablegen); ihre Einträge werden "
            "über die Spaltenköpfe gelesen und kommen im Korrekturexemplar zurück."
        )
    return (
        "Die Datei ist eine Datei im alten Office-Format, aber keine Excel-Arbeitsmappe. Bitte "
        "die ausgefüllte Arbeitsmappe (.xlsx) senden."
    )


_ANDERE_OFFICE_DATEIEN = (
    ("word/", "ein Word-Dokument (.docx)"),
    ("ppt/", "eine PowerPoint-Präsentation (.pptx)"),
)


def _zipname(info: zipfile.ZipInfo) -> str:
    """A name in a zip as it was written. Without the UTF-8 flag, Python reads it as CP437
    (as Windows' "ZIP-komprimierter Ordner" writes "ü"), but zips from macOS, Linux and many
    tools hold UTF-8 without the flag: the message named "ausgef├╝llt.xlsx" (session 22)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _keine_mappe(teile: Iterable[str]) -> str:
    """Say what a zip that is no workbook is, in the words of the person who sent it."""
    if "xl/workbook.bin" in teile:
        return (
            "Die Datei ist im Excel-Binärformat (.xlsb), das hier nicht gelesen wird. Bitte in "
            "Excel 'Speichern unter' > Excel-Arbeitsmappe (.xlsx) wählen und erneut senden."
        )
    was = next(
        (
            text
            for ordner, text in _ANDERE_OFFICE_DATEIEN
            if any(t.startswith(ordner) for t in teile)
        ),
        "ein Zip-Archiv",
    )
    mappen = sorted(
        t.rpartition("/")[2]
        for t in teile
        if t.casefold().endswith((".xlsx", ".xlsm")) and not t.rpartition("/")[2].startswith("~$")
    )
    if was == "ein Zip-Archiv" and mappen:
        # the return mailed zipped (mail filters, size): "andere Dateien gehören nicht in
        # eingang/" sent the Steuerungsgruppe away from the workbook inside (probe)
        namen = ", ".join(zitat(m) for m in mappen[:3]) + (" …" if len(mappen) > 3 else "")
        return (
            f"Die Datei ist ein Zip-Archiv mit {namen} darin, keine Excel-Arbeitsmappe. Bitte "
            "die Arbeitsmappe aus dem Archiv entpacken, in eingang/ ablegen und das Archiv "
            "aus eingang/ entfernen."
        )
    return _andere_datei(was)


def _andere_datei(was: str) -> str:
    return (
        f"Die Datei ist {was}, keine Excel-Arbeitsmappe. Bitte die ausgefüllte Arbeitsmappe "
        "(.xlsx) senden; andere Dateien aus der Mail gehören nicht in eingang/."
    )


def datei_vorpruefen(pfad: Any) -> str | None:
    """Why a file cannot be an Arbeitsmappe, in German, or None if it may be one.

    The same checks as when a return is read (`ruecklauf_lesen`), for a caller that only
    wants to know whether a file would be opened.
    """
    try:
        ruecklauf_lesen(pfad, {})
    except KeineArbeitsmappe as ursache:
        return str(ursache)
    except LeseFehler as fehler:
        return f"Die Datei ist beschädigt (technische Meldung: {fehler}). {BESCHAEDIGT_WAS_TUN}"
    return None


class FremdesBlatt(NamedTuple):
    """What a sheet the template does not have holds, counted in its XML (it is not read)."""

    zahl: int  # cells with a value; 0 for a sheet with only drawings, or a chart sheet
    zellen: list[tuple[int, int, Any]]  # the first few: (Excel row, 0-based column, value)
    mindestens: bool = False  # counting stopped at `zahl` (`FREMD_ZAEHLEN`)


@dataclass
class Ruecklauf:
    """Everything read from one returned file; nothing is interpreted yet."""

    pfad: Any
    kennung: dict[str, str]
    tabellen: dict[str, Rohtabelle]
    blaetter: list[tuple[str, str]]
    felder: dict[str, tuple[str, str, Any]]  # name -> (sheet, A1, raw value)
    formeln: dict[str, set[str]] = field(default_factory=dict)  # sheet -> A1 cells with <f>
    gespeichert_am: str = ""  # docProps/core.xml: when a spreadsheet program last saved it
    # sheets without input tables whose formula cells `_ikz` lists (see `_blattformeln`)
    blattformeln: dict[str, set[str] | None] = field(default_factory=dict)
    # per sheet with tables, if `_ikz` lists what the generator wrote there (`ZELLEN`): its
    # filled cells outside the tables' areas, (Excel row, 0-based column, value)
    daneben: dict[str, list[tuple[int, int, Any]]] = field(default_factory=dict)
    # sheets that are not in the template and hold something (`FremdesBlatt`)
    fremde_blaetter: dict[str, FremdesBlatt] = field(default_factory=dict)
    # sheet -> A1 cells whose formula refers to "this row" of a table (`[#This Row]`)
    zeilenformeln: dict[str, set[str]] = field(default_factory=dict)
    # sheet read (all with tables) -> its merged ranges ("B5:B8")
    verbunden: dict[str, list[str]] = field(default_factory=dict)
    # sheet -> notes the clerk put on its cells: (A1, author, text); see `_notizen`
    notizen: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def _bezug_zerlegen(bezug: str) -> tuple[str, int, int] | None:
    treffer = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]{1,3})\$?(\d+)", bezug)
    if not treffer:
        return None
    blatt = treffer.group(1).replace("''", "'")
    return blatt, int(treffer.group(3)), _spaltennummer(treffer.group(2))


def ruecklauf_lesen(
    pfad: Any,
    frei: Mapping[str, int],
    feldnamen: Iterable[str] = (),
    formelblaetter: Iterable[str] = (),
    vorlagenblaetter: Collection[str] | None = None,
    vorlagentabellen: Collection[str] | None = None,
    kopfsuche: Iterable[tuple[str, str, tuple[str, ...]]] = (),
) -> Ruecklauf:
    """Read one return: the `_ikz` identity, all tables, the named single cells, the formulas.

    The file is read from disk once; its zip is opened once. Raises KeineArbeitsmappe when the
    file is no workbook (or a dangerous one) and LeseFehler when it cannot be read at all.
    A cell showing an error value holds a `Fehlerwert`. Given the template's sheet names
    (`vorlagenblaetter`), other sheets with content are noted in `Ruecklauf.fremde_blaetter`;
    given its tables (`vorlagentabellen`), a table the clerk made is no place of its own:
    what it holds counts among the cells beside the tables (`Ruecklauf.daneben`). Given the
    template's tables with their sheets and headers (`kopfsuche`), a workbook that lost all its
    tables has them read by their header rows (`Rohtabelle.ueber_kopf`).
    """
    paket = datei_oeffnen(pfad)
    try:
        _, _, bezuege = paket.mappe
        orte = {
            name: ort
            for name in feldnamen
            if (ort := _bezug_zerlegen(bezuege.get(name, ""))) is not None
        }
        fremd = _fremde_blaetter(paket, vorlagenblaetter) if vorlagenblaetter is not None else {}
        auch = ["_ikz", *(blatt for blatt, _, _ in orte.values())]
        formeln = paket.formelzellen(formelblaetter)  # first: these sheets are then read whole
        tabellen, gitter, blaetter = _tabellen(
            paket, frei, auch, fehlerwerte=True, kopfsuche=kopfsuche
        )
        # Only where rows stand below a table (rare): a table row copied there keeps its
        # formula; searching every sheet for it cost 5 % of a file's check.
        zeilenformeln = paket.formelzellen(
            {t.blatt for t in tabellen.values() if t.unterhalb and t.blatt in formeln}, True
        )
        fremde_blaetter = _fremde_inhalte(paket, fremd)  # after the size check of `_tabellen`
        gespeichert = paket.gespeichert_am()
        notizen = _notizen(paket)
    except _KAPUTT as fehler:
        raise LeseFehler(str(fehler)) from None
    kennung = _kennung(gitter.get("_ikz", []))
    daneben: dict[str, list[tuple[int, int, Any]]] = {}
    for blatt in {t.blatt for t in tabellen.values()}:
        if ZELLEN + blatt in kennung and blatt not in fremd:
            daneben[blatt] = _daneben(
                gitter[blatt],
                [
                    (t.kopfzeile - 1, t.bis, t.erste_spalte, t.erste_spalte + len(t.koepfe))
                    for t in tabellen.values()
                    if t.blatt == blatt and (vorlagentabellen is None or t.name in vorlagentabellen)
                ],
            )
    try:
        blattformeln = _blattformeln(paket, kennung)
    except _KAPUTT as fehler:
        raise LeseFehler(str(fehler)) from None
    felder: dict[str, tuple[str, str, Any]] = {}
    for name, (blatt, zeile, spalte) in orte.items():
        if blatt not in gitter:
            continue
        raster = gitter[blatt]
        wert = (
            raster[zeile - 1][spalte]
            if zeile - 1 < len(raster) and spalte < len(raster[zeile - 1])
            else ""
        )
        felder[name] = (blatt, zelle(zeile, spalte), wert)
    return Ruecklauf(
        pfad,
        kennung,
        tabellen,
        blaetter,
        felder,
        formeln,
        gespeichert,
        blattformeln,
        zeilenformeln=zeilenformeln,
        daneben=daneben,
        fremde_blaetter=fremde_blaetter,
        verbunden=paket.verbunden,
        notizen=notizen,
    )


#: Notes named per file: a message shows a few; more only make it longer.
NOTIZEN_HOECHSTENS = 20
#: Excel 365 writes a threaded comment also as a note for older versions, its text behind
#: this preamble ("[Threaded comment] Your version of Excel ... Comment:\n    Text").
_KOMMENTARTHREAD = re.compile(r"^\[[^\]\n]{1,40}\].*\n(?:Comment|Kommentar):\s*", re.DOTALL)
#: The author ikz_excel gives its own notes in a Korrektur copy (`erzeugen`): not the clerk's.
EIGENE_NOTIZEN = "Steuerungsgruppe"


def _notizen(paket: Paket) -> dict[str, list[tuple[str, str, str]]]:
    """The notes (Excel: Notiz or Kommentar, LibreOffice: Kommentar) on the cells of each sheet,
    as (A1, author, text). Nothing else reads them, and the Korrektur copy, written afresh, does
    not have them: an explanation the clerk wrote to a figure would be lost without a word.

    A comments part exists only where a note was made, and its content type says so: an
    ordinary return costs one look at the list of parts (not one at each sheet's relationships,
    3 % of a check). The notes of a Korrektur copy are left out: by their author
    (`EIGENE_NOTIZEN`), or, because LibreOffice saves our author as blank (review), by their
    text (`_eigene_notiz`): a clerk's note counts whoever is named as its author.
    """
    from defusedxml import ElementTree

    typen = paket.teil("[Content_Types].xml") or b""
    if b"comments+xml" not in typen and not any("comment" in n.lower() for n in paket.infos):
        return {}
    teile, _, _ = paket.mappe
    ergebnis: dict[str, list[tuple[str, str, str]]] = {}
    rest = NOTIZEN_HOECHSTENS
    eigene: frozenset[str] | None = None  # read once, on the first note with another author
    for blatt, teil in teile.items():
        if not teil or rest <= 0:
            continue
        for typ, ziel in paket.beziehungen(teil).values():
            if not typ.endswith("/comments") or (xml := paket.teil(ziel)) is None:
                continue
            try:
                wurzel = ElementTree.fromstring(xml)
            except Exception:  # an unreadable comments part: nothing to say about it
                continue
            autoren = [
                (e.text or "").strip()
                for e in wurzel.iter()
                if e.tag.rsplit("}", 1)[-1] == "author"
            ]
            for element in wurzel.iter():
                if element.tag.rsplit("}", 1)[-1] != "comment" or rest <= 0:
                    continue
                try:
                    autor = autoren[int(element.get("authorId", "0"))]
                except (ValueError, IndexError):
                    autor = ""
                text = "".join(
                    t.text or "" for t in element.iter() if t.tag.rsplit("}", 1)[-1] == "t"
                )
                text = _KOMMENTARTHREAD.sub("", text).strip()
                if autor == EIGENE_NOTIZEN or not text:
                    continue
                if eigene is None:
                    eigene = _korrekturmeldungen(paket)
                if _eigene_notiz(text, eigene):
                    continue
                if autor.startswith("tc="):  # a threaded comment's stand-in author: an id
                    autor = ""
                ergebnis.setdefault(blatt, []).append((element.get("ref", ""), autor, text))
                rest -= 1
    return ergebnis


#: Our notes on a figure the copy took over or left open in the Kostenausgleich (`berichte`):
#: not on the list, which names the finding once, at its cell.
_EIGENE_ZUSATZNOTIZ = re.compile(
    r"(?:Fehler|Warnung|Hinweis): (?:In|Aus) Zeile \d+ der eingesandten Mappe (?:stand|übernommen)"
)


def _korrekturmeldungen(paket: Paket) -> frozenset[str]:
    """The messages on the sheet `KORREKTURBLATT` of a Korrektur copy, each as our note on its
    cell begins (`Stufe: Meldung`); none in any other file. Read only for a file with notes."""
    teile, _, _ = paket.mappe
    if KORREKTURBLATT not in teile:
        return frozenset()
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_filelike(io.BytesIO(paket.daten)) as mappe:
        zeilen = mappe.get_sheet_by_name(KORREKTURBLATT).to_python(skip_empty_area=False)
    return frozenset(f"{z[2]}: {z[3]}".strip() for z in zeilen[4:] if len(z) > 3 and z[2] and z[3])


def _eigene_notiz(text: str, meldungen: frozenset[str]) -> bool:
    """Whether a note is one the Korrektur copy wrote: it holds messages of the copy's own
    list, and lines on a figure it took over (`_EIGENE_ZUSATZNOTIZ`), nothing else; the last
    may be cut at 2000 characters, as written. Whatever its author: LibreOffice saves ours as
    blank. A note the clerk wrote, or one of ours she added to, has a line of her own and
    counts."""
    if not meldungen or not text.strip():
        return False
    rest = text.replace("\r\n", "\n")
    for meldung in sorted(meldungen, key=len, reverse=True):  # a message with a line break too
        rest = rest.replace(meldung, "")
    zeilen = [z.strip() for z in rest.splitlines() if z.strip()]
    gekuerzt = len(text) >= 1990

    def unsere(zeile: str, letzte: bool) -> bool:
        if letzte and gekuerzt and any(m.startswith(zeile) for m in meldungen):
            return True
        return _EIGENE_ZUSATZNOTIZ.match(zeile) is not None

    return all(unsere(z, i == len(zeilen) - 1) for i, z in enumerate(zeilen))


def _fremde_blaetter(paket: Paket, vorlage: Collection[str]) -> dict[str, bool]:
    """The sheets not in `vorlage` that hold something, each with whether it has cells to read
    (False: only drawings, or a chart sheet). An empty sheet added by the clerk is left out."""
    teile, _, _ = paket.mappe
    fremd: dict[str, bool] = {}
    for blatt, teil in teile.items():
        xml = paket.teil(teil) if blatt not in vorlage and teil else None
        if xml is None:
            continue
        if b"sheetData" in xml and _MIT_WERT.search(xml):
            fremd[blatt] = True
        elif _ZEICHNUNG.search(xml):
            fremd[blatt] = False
    return fremd


def _fremde_inhalte(paket: Paket, fremd: Mapping[str, bool]) -> dict[str, FremdesBlatt]:
    """What the sheets of `_fremde_blaetter` hold, those with values among them but only
    blanks left out: counted in their XML, which the size check has read.

    calamine would make a grid of each (A1 and GR20000 are 4 million cells; a clerk may add
    any number of sheets), only to be counted. Here counting stops after `FREMD_ZAEHLEN`
    values per file; each sheet still names its first cells.
    """
    teile, _, _ = paket.mappe
    ergebnis: dict[str, FremdesBlatt] = {}
    rest = FREMD_ZAEHLEN
    for blatt, mit_zellen in fremd.items():
        if not mit_zellen:
            ergebnis[blatt] = FremdesBlatt(0, [])
            continue
        xml = paket.teil(teile[blatt]) or b""
        von, bis = _zelldaten(xml)
        zahl, zellen, mindestens = 0, [], False
        for treffer in _ZELLWERT.finditer(xml, von, bis):
            if zahl >= max(rest, _FREMD_ZEIGEN):
                mindestens = True
                break
            zahl += 1
            if len(zellen) < _FREMD_ZEIGEN:
                gefunden = _fremde_zelle(xml, treffer, von)
                if gefunden is not None and ist_leer(gefunden[2]):
                    zahl -= 1  # an inline string of blanks
                elif gefunden is not None:
                    zellen.append(gefunden)
        rest = max(rest - zahl, 0)
        if zahl:
            ergebnis[blatt] = FremdesBlatt(zahl, zellen, mindestens)
    _geteilte_texte_einsetzen(paket, ergebnis)
    return ergebnis


class _GeteilterText(int):
    """A shared string's index, until `_geteilte_texte_einsetzen` puts in its text."""


def _fremde_zelle(xml: bytes, treffer: re.Match[bytes], von: int) -> tuple[int, int, Any] | None:
    """The cell of the value `treffer` (`_ZELLWERT`): (Excel row, 0-based column, value).

    Its start tag is found going back from the value, past a formula's end and start tag at
    most; None if there is none with a position. A shared string comes as its index.
    """
    wert = ende = treffer.start()
    for _ in range(3):
        anfang = xml.rfind(b"<", max(von, ende - _FORMELFENSTER), ende)
        if anfang < 0:
            return None
        if _ZELLANFANG.match(xml, anfang):
            break
        ende = anfang
    else:
        return None
    tag_ende = xml.find(b">", anfang, wert)
    ort = _BEREICH.fullmatch(_attribut(xml[anfang:tag_ende], "r")) if tag_ende > 0 else None
    if ort is None or ort.group(3) is not None or int(ort.group(2)) < 1:
        return None
    zeile, spalte = int(ort.group(2)), _spaltennummer(ort.group(1))
    inhalt = xml.find(b">", wert) + 1
    if treffer.group(1) is None:  # an inline string: its text runs up to </is>
        return zeile, spalte, _text_von(xml, inhalt)
    ende = xml.find(b"<", inhalt, inhalt + _FORMELFENSTER)
    text = _text_aus(xml[inhalt : max(ende, inhalt)]).strip()
    return zeile, spalte, _zellwert(text, _attribut(xml[anfang:tag_ende], "t"))


def _text_von(xml: bytes, inhalt: int) -> str:
    """The text of an inline or shared string whose content starts at `inhalt`: its runs."""
    ende = _TEXT_ENDE.search(xml, inhalt, inhalt + _FORMELFENSTER)
    teile = _TEXTTEIL.findall(xml, inhalt, ende.start() if ende else inhalt)
    return "".join(_text_aus(t) for t in teile)[:_TEXT_HOECHSTENS]


def _text_aus(roh: bytes) -> str:
    return html.unescape(roh[: 4 * _TEXT_HOECHSTENS].decode("utf-8", "replace"))


def _zellwert(text: str, art: str) -> Any:
    """A value as saved in `<v>`, by the cell's t attribute; a shared string as its index.

    A date stays the number it is saved as (telling one apart takes the cell's style).
    """
    if art == "s":
        return _GeteilterText(text) if text.isascii() and text.isdigit() else text
    if art == "b":
        return text == "1"
    if art not in ("", "n"):
        return text  # a formula's text, an error value, an ISO date
    try:
        zahl = float(text)
    except ValueError:
        return text
    return int(zahl) if zahl.is_integer() else zahl


def _geteilte_texte_einsetzen(paket: Paket, blaetter: dict[str, FremdesBlatt]) -> None:
    """Put the text of each shared string into the cells named (`_GeteilterText`): one pass
    through the shared strings, up to the last one wanted, at most `_GETEILT_HOECHSTENS`."""
    gesucht = {
        w for b in blaetter.values() for _, _, w in b.zellen if isinstance(w, _GeteilterText)
    }
    if not gesucht:
        return
    beziehungen = paket.beziehungen("xl/workbook.xml").values()
    ziel = next((z for typ, z in beziehungen if typ.endswith("/sharedStrings")), "")
    xml = (paket.teil(ziel) if ziel else None) or b""
    texte: dict[int, str] = {}
    letzter = min(max(gesucht), _GETEILT_HOECHSTENS)
    for i, treffer in enumerate(_GETEILTER_TEXT.finditer(xml)):
        if i > letzter:
            break
        if i in gesucht:
            texte[i] = "" if treffer.group(1) else _text_von(xml, treffer.end())
    for blatt, inhalt in blaetter.items():
        zellen = [
            (z, s, texte.get(w, "") if isinstance(w, _GeteilterText) else w)
            for z, s, w in inhalt.zellen
        ]
        blaetter[blatt] = inhalt._replace(zellen=zellen)


def _kennung(raster: list[list[Any]]) -> dict[str, str]:
    kennung: dict[str, str] = {}
    for reihe in raster:
        if len(reihe) >= 2 and str(reihe[0]).strip():
            kennung[str(reihe[0]).strip()] = str(reihe[1]).strip()
    return kennung


def vorlagenversion(kennung: Mapping[str, Any]) -> int:
    """The template version an `_ikz` names; -1 where it names none a number can be read from
    (older than every version, so checked and named as such)."""
    try:
        return int(kennung.get("schema_version", ""))
    except (TypeError, ValueError):
        return -1


def kennung_lesen(pfad: Any) -> dict[str, str]:
    """Only the `_ikz` identity of a workbook, e.g. of one waiting in ausgang/ to be sent out:
    which Stammdaten it was made from. Empty if it has none or cannot be read."""
    from python_calamine import CalamineWorkbook

    try:
        paket = datei_oeffnen(pfad)
        teile, _, _ = paket.mappe
        if "_ikz" not in teile:
            return {}
        paket.alle_blaetter_pruefen()
        with CalamineWorkbook.from_filelike(io.BytesIO(paket.daten)) as mappe:
            return _kennung(mappe.get_sheet_by_name("_ikz").to_python(skip_empty_area=False))
    except Exception:  # unreadable or no workbook: nothing known about it
        return {}


def _blattformeln(paket: Paket, kennung: dict[str, str]) -> dict[str, set[str] | None]:
    """Per sheet `_ikz` lists formula cells of: None if it holds at least as many formulas as
    it should (a count, microseconds), else the cells that hold one (a scan)."""
    teile, _, _ = paket.mappe
    ergebnis: dict[str, set[str] | None] = {}
    for schluessel, zellen in kennung.items():
        blatt = schluessel.removeprefix(FORMELN)
        if blatt == schluessel or not teile.get(blatt):
            continue
        xml = paket.teil(teile[blatt])
        if xml is None:
            continue
        soll = zellen.count(",") + 1 if zellen else 0
        if xml.count(b"<f>") + xml.count(b"<f ") + xml.count(b"<f/") >= soll:
            ergebnis[blatt] = None
        else:
            ergebnis[blatt] = paket.formelzellen([blatt])[blatt]
    return ergebnis


def dateien_finden(pfade: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """Files to check under the given files and folders (recursively), and the litter skipped.

    Sorted by path so that reports and the archive come out the same on every run.
    """
    from pathlib import Path

    kandidaten, nebendateien = [], []
    for pfad in pfade:
        pfad = Path(pfad)
        gefunden = sorted(_alle_dateien(pfad)) if pfad.is_dir() else [pfad]
        for datei in gefunden:
            (nebendateien if ist_nebendatei(datei) else kandidaten).append(datei)
    return kandidaten, nebendateien


def _alle_dateien(ordner: Any) -> Iterable[Any]:
    """Every file below `ordner`, linked folders followed, each folder once.

    `Path.rglob` skipped an unreadable folder and a linked one (a network drive linked into
    eingang/) without a word, and the AGs whose returns lay there counted as missing: the
    overview said "kein Rücklauf" and their Korrektur copies were moved aside (review). A
    folder that cannot be listed raises `OrdnerNichtLesbar` instead.
    """
    from pathlib import Path

    gesehen: set[tuple[int, int]] = set()
    ohne_kennung = 0
    offen = [Path(ordner)]
    while offen:
        aktuell = offen.pop()
        try:
            kennung = aktuell.stat()
            if kennung.st_ino:  # some network drives say 0 for every folder (review)
                if (kennung.st_dev, kennung.st_ino) in gesehen:  # linked into itself
                    continue
                gesehen.add((kennung.st_dev, kennung.st_ino))
            elif ohne_kennung > 10_000:  # no identity to see a loop by: a bound instead
                continue
            else:
                ohne_kennung += 1
            with os.scandir(aktuell) as eintraege:
                liste = list(eintraege)
        except OSError as fehler:
            raise OrdnerNichtLesbar(fehler.errno, fehler.strerror, str(aktuell)) from fehler
        for eintrag in liste:
            pfad = Path(eintrag.path)
            try:
                ordner_hier = eintrag.is_dir()
                datei_hier = not ordner_hier and eintrag.is_file()
            except OSError:
                ordner_hier = datei_hier = False
            if ordner_hier:
                offen.append(pfad)
            elif datei_hier or verknuepfung_ohne_ziel(pfad):
                yield pfad
