"""Checking tables against their definitions: convert first, then pandera, then the cross rules.

The pandera schemas are compiled from the same `schemata/` definitions that generated the
workbook, so generator and validator cannot drift. Values are converted before pandera sees them
(a failed coercion would hide a column's other checks), and the rows of one table from a whole
batch of files (up to `STAPEL`) are validated in one call: pandera costs milliseconds per call,
not per row. Batches run in worker processes when there are many files (`_stapelweise`).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ikz_excel import deutsch
from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.berechnung import SCHLUESSEL
from ikz_excel.dateien import lesbar
from ikz_excel.definition import (
    BIS,
    FORMELN,
    FORMELN_DARUNTER,
    LISTENBLATT,
    PFLICHT_AB_SPALTEN,
    ZELLEN,
    Spalte,
    Tabelle,
    grenze,
)
from ikz_excel.einlesen import (
    BESCHAEDIGT_WAS_TUN,
    OFFEN,
    Fehlerwert,
    Rohtabelle,
    adresse_zerlegen,
    fremde_tabellen,
    ist_leer,
    kein_betrag,
    leere_zeile,
    schlicht_umwandeln,
    sichtbar,
    spaltenbuchstabe,
    textsumme,
    tippjahre,
    umwandeln,
    vergleichbar,
    vorlagenversion,
    wie_gezeigt,
    zeilenschluessel,
    zelle,
    zellen_lesen,
    zitat,
)


@dataclass
class Datei:
    """What the checks need to know about one file besides its cells."""

    name: str
    arbeitsgruppe: str | None = None
    listen: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per-file lists (kommunen)
    #: the years a date Excel made of a typed number can lie in (`einlesen.tippjahre`)
    tippjahre: frozenset[int] = frozenset()
    #: the AG's partners in today's Steuerungsmappe that the workbook's own list lacks (taken
    #: back or added since it went out): valid in a Kommune cell. The Steuerungsmappe says who
    #: is a partner; "keine Partnerkommune dieser Arbeitsgruppe" for a Kommune taken back was
    #: true only of the copy's list (round 21).
    partner_jetzt: tuple[str, ...] = ()


@dataclass
class Kontext:
    listen: Mapping[str, tuple[str, ...]]
    parameter: Mapping[str, Any]
    dateien: list[Datei] = field(default_factory=list)
    #: the sheet of the Steuerungsmappe with the `$Parameter`, as called there: a message
    #: about a limit from it sends the clerk to that sheet, renamed or not
    parameter_blatt: str = "Parameter"

    def liste(self, name: str, datei: int) -> tuple[str, ...] | None:
        if name in self.dateien[datei].listen:
            return self.dateien[datei].listen[name]
        return self.listen.get(name)


@dataclass
class Gelesen:
    """One table of one file after conversion: typed rows with their Excel rows."""

    tabelle: Tabelle
    roh: Rohtabelle
    datei: int
    zeilen: list[tuple[int, dict[str, Any]]]  # free tables: (Excel row, values)
    zeilen_nach_schluessel: dict[str, tuple[int, Any]] = field(default_factory=dict)
    unlesbar: set[tuple[int, str]] = field(default_factory=set)  # (row, header) with a TYP finding

    def adresse(self, zeile: int, kopf: str) -> str:
        return self.roh.zelle(zeile, kopf)

    def nur_schluessel(self, behalten: Callable[[str], bool]) -> None:
        """Keep of a table with prescribed rows only the rows whose key passes `behalten`."""
        weg = {z for k, (z, _) in self.zeilen_nach_schluessel.items() if not behalten(k)}
        self.zeilen_nach_schluessel = {
            k: v for k, v in self.zeilen_nach_schluessel.items() if v[0] not in weg
        }
        self.zeilen = [(z, w) for z, w in self.zeilen if z not in weg]


_fmt = deutsch.wert  # a value in a German message


def befund(
    kontext: Kontext,
    datei: int,
    blatt: str | None,
    adresse: str | None,
    spalte: str | None,
    wert: Any,
    stufe: Stufe,
    regel: Regel,
    meldung: str,
) -> Befund:
    d = kontext.dateien[datei]
    return Befund(d.name, d.arbeitsgruppe, blatt, adresse, spalte, wert, stufe, regel, meldung)


# Conversion -----------------------------------------------------------------------------------


def listenwert_umgewandelt(roh: Any, wert: Any) -> tuple[Stufe, str]:
    """How grave a list value read in another spelling is, and why, for a table cell and for
    a single field (the Verteilungsschlüssel) alike.

    Only the letter case differs ("EINMALIG"): Excel's list takes it, and the workbook's
    formulas (=, SUMIFS) ignore case, in LibreOffice too, so the figure is the same everywhere.
    A blank or line break at the edge ("Einwohner "): those formulas miss it, the workbook
    shows other figures than the overview (review: the key "Einwohner " gave every Kommune a
    share of 0 % in the workbook, and the check said nothing).
    """
    if str(roh).lower() == str(wert).lower():
        return Stufe.HINWEIS, "Die Mappe rechnet damit wie mit dem Wert der Auswahlliste."
    return Stufe.WARNUNG, (
        "Die Formeln der Mappe vergleichen Listenwerte genau; bitte den Wert aus der "
        "Auswahlliste wählen."
    )


_DEZIMALPUNKT = re.compile(r"[-+]?\d*\.\d+")
#: What one cell of Excel holds, in characters; LibreOffice cuts a longer text to it.
EXCEL_ZELLTEXT_MAX = 32_767


def dezimalpunkt_als_komma(roh: Any, wert: Any) -> str | None:
    """'1.5' as a German clerk types it with a comma ('1,5'), if `roh` is a number written
    with an English decimal point and was read so; else None.

    Only when the dot was read as the decimal point: '1.234' read as 1234 (a whole number)
    used it to group thousands, and '1,5' is no such text.
    """
    if not isinstance(roh, str) or not isinstance(wert, (Decimal, int, float)):
        return None
    text = sichtbar(roh).strip()
    if not _DEZIMALPUNKT.fullmatch(text) or Decimal(text) != Decimal(str(wert)):
        return None
    # as the clerk types it with the comma: ".5" as 0,5, "+1.5" as 1,5 (review 19: they got
    # the message "ohne Einheit, Leerzeichen oder Zusatz", of which they had typed nothing)
    return f"{Decimal(text):f}".replace(".", ",")


def umwandeln_tabelle(
    tdef: Tabelle, roh: Rohtabelle, datei: int, kontext: Kontext
) -> tuple[Gelesen, list[Befund]]:
    """Type every input cell; unreadable ones become TYP findings and count as empty."""
    befunde: list[Befund] = []
    gelesen = Gelesen(tdef, roh, datei, [])

    def lesen(spalte: Spalte, zeile: int, roh_wert: Any, zdef: Any = None) -> Any:
        if roh_wert == "" or roh_wert is None:  # most cells of a table: nothing to convert
            return None
        listenwerte = kontext.liste(spalte.liste, datei) if spalte.liste else None
        wert = schlicht_umwandeln(spalte.typ, roh_wert, listenwerte)
        if wert is not OFFEN:
            return wert
        u = umwandeln(spalte, roh_wert, listenwerte, kontext.dateien[datei].tippjahre)

        def melden(stufe: Stufe, regel: Regel, text: str) -> None:
            adresse = roh.zelle(zeile, spalte.kopf)
            befunde.append(
                befund(
                    kontext,
                    datei,
                    roh.blatt,
                    adresse,
                    spalte.kopf,
                    wie_gezeigt(roh_wert),  # "12,5 %" in the Prüfbericht, not 0,125
                    stufe,
                    regel,
                    f"{roh.blatt}!{adresse} ({_zeilenname(tdef, zdef) or spalte.kopf}): {text}",
                )
            )

        if not u.ok:
            gelesen.unlesbar.add((zeile, spalte.kopf))
            jahr = _jahr_im_text(spalte, roh_wert, kontext)
            melden(Stufe.FEHLER, Regel.TYP, jahr or u.fehler or "")
            return None
        if u.hinweis:
            stufe = Stufe.WARNUNG
            if spalte.typ == "liste":
                stufe, warum = listenwert_umgewandelt(roh_wert, u.wert)
            elif spalte.typ == "datum" and isinstance(roh_wert, (int, float)):
                # a number in a cell whose date format was lost (pasted over): not text
                warum = "Die Zelle zeigt es als Zahl; bitte als TT.MM.JJJJ eingeben."
            elif spalte.typ == "datum":
                warum = "Als Text ist es in der Mappe kein Datum; bitte als TT.MM.JJJJ eingeben."
            elif (komma := dezimalpunkt_als_komma(roh_wert, u.wert)) is not None:
                # "1.5" typed with an English decimal point: LibreOffice keeps it as text
                # in a German locale (Excel so "4500.50"; of "1.5" it makes a date, see
                # umwandeln); "ohne Einheit, Leerzeichen oder Zusatz" sent the clerk looking
                # for what was not there (clerk test in Calc, session 19)
                warum = (
                    "Mit Punkt statt Komma ist die Eingabe Text, mit dem die Formeln der Mappe "
                    f"nicht rechnen; bitte mit Komma eintippen: {komma}."
                )
            else:
                warum = (
                    "Die Formeln der Mappe rechnen mit Text nicht; bitte nur die Zahl eintippen, "
                    "ohne Einheit, Leerzeichen oder Zusatz."
                )
            melden(stufe, Regel.UMGEWANDELT, f"{u.hinweis} {warum}")
        return u.wert

    if tdef.zeilen:
        schluessel, eingabe = tdef.schluessel, tdef.eingabespalte
        assert schluessel and eingabe
        vorgeschrieben: dict[str, Any] = {}
        for z in tdef.zeilen:
            vorgeschrieben.setdefault(str(z.werte.get(schluessel)), z)
        for zeile, werte in roh.als_dicts():
            key = zeilenschluessel(werte.get(schluessel))
            zdef = vorgeschrieben.get(key) if key is not None else None
            doppelt = key in gelesen.zeilen_nach_schluessel
            if zdef is None or doppelt:
                # A row the clerk inserted among the prescribed ones, or copied one (sheet
                # protection removed): read nowhere (of a key twice, the first row counts, as
                # in the Korrektur copy), so what it holds would be lost without a word (clerk
                # review). Only entries count: the locked Phase and Feld are no loss.
                eingetragen = [
                    k
                    for k, v in werte.items()
                    if not ist_leer(v) and (k == eingabe or (k != schluessel and _eingabe(tdef, k)))
                ]
                if eingetragen:
                    kopf = eingabe if eingabe in eingetragen else eingetragen[0]
                    adresse = roh.zelle(zeile, kopf)
                    text = " | ".join(_fmt(v) for v in werte.values() if not ist_leer(v))
                    text = zitat(text if len(text) <= 300 else text[:300] + " …")
                    warum = (
                        f"{schluessel} {key} steht schon in Zeile "
                        f"{gelesen.zeilen_nach_schluessel[key][0]}; gelesen wird nur die erste"
                        if doppelt
                        else "Diese Zeile gehört nicht zur Vorlage und wird nicht gelesen"
                    )
                    befunde.append(
                        befund(
                            kontext,
                            datei,
                            roh.blatt,
                            adresse,
                            kopf,
                            werte.get(kopf),
                            Stufe.WARNUNG,
                            Regel.STRUKTUR,
                            f"{roh.blatt}!{adresse}: {warum}: {text}. Bitte den Text in ein "
                            "vorhandenes Feld übernehmen (z. B. als Ergänzung zu dem Punkt "
                            "darüber) und die Zeile löschen.",
                        )
                    )
                continue
            spalte = tdef.zeilen_spalte(zdef, eingabe)
            gelesen.zeilen_nach_schluessel[key] = (
                zeile,
                lesen(spalte, zeile, werte.get(eingabe), zdef),
            )
            gelesen.zeilen.append(
                (
                    zeile,
                    {
                        k: (
                            lesen(tdef.spalte(k), zeile, v)
                            if k != eingabe and tdef.spalte(k).eingabe
                            else gelesen.zeilen_nach_schluessel[key][1]
                            if k == eingabe
                            else v
                        )
                        for k, v in werte.items()
                    },
                )
            )
        # A deleted row is named where it was: below the last prescribed row still there
        # (the message had no cell, the clerk of Calc test 22 deleted a whole phase).
        darueber: int | None = None
        darueber_key = ""
        for zdef in tdef.zeilen:
            key = str(zdef.werte[schluessel])
            if key in gelesen.zeilen_nach_schluessel:
                darueber, darueber_key = gelesen.zeilen_nach_schluessel[key][0], key
            else:
                ort = None if darueber is None else roh.zelle(darueber + 1, schluessel)
                befunde.append(
                    befund(
                        kontext,
                        datei,
                        roh.blatt,
                        ort,
                        schluessel,
                        key,
                        Stufe.FEHLER,
                        Regel.STRUKTUR,
                        f"{roh.blatt}{'' if ort is None else '!' + ort}: "
                        f"{_in_der_tabelle(tdef)} fehlt die Zeile {schluessel} {key} "
                        f"({zdef.werte.get('Feld') or zdef.werte.get('Parameter') or ''})"
                        + (
                            ""
                            if darueber is None
                            else f"; sie gehört unter Zeile {darueber} ({schluessel} "
                            f"{darueber_key})"
                        )
                        + ". "
                        "Bitte die Eingaben in die Originalmappe übertragen und dort keine Zeile "
                        "der Vorlage löschen.",
                    )
                )
        return gelesen, befunde

    # Positions instead of a dict per row: most rows of a pre-sized table are empty reserve
    # rows, and they should cost no more than one tuple comparison.
    lage = [(s, roh.koepfe.index(s.kopf) if s.kopf in roh.koepfe else None) for s in tdef.spalten]
    eingabelage = [i for s, i in lage if s.eingabe and i is not None]
    ohne_formel = [i for s, i in lage if not s.formel and i is not None]
    splitter = _ausgefuellte_splitter(roh, eingabelage, ohne_formel) if tdef.frei else {}
    for erste, (kopf, anzahl, letzte, wert) in splitter.items():
        befunde.append(
            befund(
                kontext,
                datei,
                roh.blatt,
                roh.zelle(erste, kopf),
                kopf,
                wert,
                Stufe.WARNUNG,
                Regel.STRUKTUR,
                f"{roh.blatt}!{roh.zelle(erste, kopf)} bis {roh.zelle(letzte, kopf)} ({kopf}): "
                f"In diesen {anzahl} Zeilen steht nur {zitat(_fmt(wert))} und sonst nichts (wohl "
                "beim Ausfüllen nach unten über leere Zeilen entstanden). Sie werden als leere "
                "Zeilen gelesen und zählen nicht. Bitte die Einträge dort löschen (Zellen "
                "markieren, Entf) oder, sollen die Zeilen zählen, ihre übrigen Angaben "
                "eintragen.",
            )
        )
    weg = {z for erste, (_k, _n, letzte, _w) in splitter.items() for z in range(erste, letzte + 1)}
    for zeile, werte in roh.zeilen:
        if tdef.frei and (zeile in weg or leere_zeile([werte[i] for i in eingabelage])):
            continue
        typisiert = {}
        for s, i in lage:
            wert = werte[i] if i is not None else None
            if s.eingabe:
                typisiert[s.kopf] = lesen(s, zeile, wert)
            elif type(wert) is str:
                # a prefilled name (Kommune, Kriterium) as the Stammdaten read theirs (NFC,
                # stripped): a space typed after it must not make it another one; inner spaces
                # stay, as in the Stammdaten ("Gemeinde\xa0Lehre" is one name on both sides)
                typisiert[s.kopf] = unicodedata.normalize("NFC", wert).strip()
            else:
                typisiert[s.kopf] = wert
        gelesen.zeilen.append((zeile, typisiert))
    return gelesen, befunde


def _ausgefuellte_splitter(
    roh: Rohtabelle, eingabelage: list[int], ohne_formel: list[int]
) -> dict[int, tuple[str, int, int, Any]]:
    """Runs of two or more rows whose only entry is one and the same value in the same input
    column (a Kostenart filled down over the whole table): first Excel row -> (header, number
    of rows, last Excel row, value). Such rows hold no figure and no text; read as rows, each
    brought seven "Pflichtangabe fehlt" and a "gleicht Zeile …", 256 findings for one drag of
    the fill handle (Calc test 24). Only in tables of two or more input columns, and only
    where every other cell but the formulas' is empty: a prefilled name (Kriterium,
    Kommune) beside a single input makes a complete row. Only a text: the same Kostensatz
    typed into two new rows, their names to follow, is a figure; read away, it left the sums
    under a Warnung and the return counted as valid (review 24)."""
    laeufe: dict[int, tuple[str, int, int, Any]] = {}
    if len(eingabelage) < 2:
        return laeufe
    lauf: tuple[int, int, Any, int] | None = None  # (first row, column, value, last row)

    def abschliessen() -> None:
        if lauf is not None and lauf[3] > lauf[0]:
            laeufe[lauf[0]] = (roh.koepfe[lauf[1]], lauf[3] - lauf[0] + 1, lauf[3], lauf[2])

    for zeile, werte in roh.zeilen:
        # most rows are empty reserve rows: one C-level count each, as in the reading loop
        # (the scan of every cell cost 4 % of the check's CPU per file, session 24)
        if leere_zeile([werte[i] for i in eingabelage]):
            abschliessen()
            lauf = None
            continue
        gefuellt = [i for i in ohne_formel if not ist_leer(werte[i])]
        if (
            len(gefuellt) == 1
            and gefuellt[0] in eingabelage
            and isinstance(werte[gefuellt[0]], str)
            and not isinstance(werte[gefuellt[0]], Fehlerwert)
        ):
            i, wert = gefuellt[0], werte[gefuellt[0]]
            if lauf is not None and (lauf[1], lauf[2], lauf[3] + 1) == (i, wert, zeile):
                lauf = (lauf[0], i, wert, zeile)
                continue
            abschliessen()
            lauf = (zeile, i, wert, zeile)
        else:
            abschliessen()
            lauf = None
    abschliessen()
    return laeufe


def _eingabe(tdef: Tabelle, kopf: str) -> bool:
    """Whether `kopf` is an input column of `tdef` (an unknown header is none)."""
    try:
        return bool(tdef.spalte(kopf).eingabe)
    except KeyError:
        return False


# pandera --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pruefung:
    regel: Regel
    stufe: Stufe
    meldung: Callable[[Any, int], str]  # (value, file) -> German message tail


def _als_dezimal(grenze_: Any) -> Any:
    """A limit written with decimals in the schema (`max: 0.15`) as the decimal it says.

    YAML makes 0.15 the float 0.1499999999999999944…, while the values are read as Decimal
    (0.15): the Kalkulationszinssatz 15 % lay "außerhalb des erlaubten Bereichs 0 % bis 15 %"
    (cent campaign), though the cell's own validation allows it.
    """
    return Decimal(repr(grenze_)) if type(grenze_) is float else grenze_


def _grenzen(spalte: Spalte, kontext: Kontext) -> tuple[Any, Any]:
    """The column's range as the element check compares it: '$Parameter' resolved, decimals
    as written in the schema."""
    return (
        _als_dezimal(grenze(spalte.min, kontext.parameter)),
        _als_dezimal(grenze(spalte.max, kontext.parameter)),
    )


def _regeln(spalte: Spalte, kontext: Kontext) -> list[tuple[Callable[[Any, int], bool], _Pruefung]]:
    """Element checks of one column: (predicate(value, file) -> ok, what to report)."""
    regeln: list[tuple[Callable[[Any, int], bool], _Pruefung]] = []
    unten, oben = _grenzen(spalte, kontext)
    if unten is not None or oben is not None:

        def im_bereich(v: Any, _d: int, lo: Any = unten, hi: Any = oben) -> bool:
            return (lo is None or v >= lo) and (hi is None or v <= hi)

        regeln.append(
            (
                im_bereich,
                _Pruefung(
                    Regel.BEREICH,
                    Stufe.FEHLER,
                    lambda v, _d, lo=unten, hi=oben: (
                        f"{_fmt(v)}{_als_prozent(v, spalte)} liegt außerhalb des erlaubten "
                        f"Bereichs {_bereich_text(lo, hi, spalte, kontext.parameter_blatt)}. "
                        # A percent cell takes a number typed without "%" as a fraction: "0,5"
                        # is 50 % in Excel (also with its automatic percent entry) and in
                        # LibreOffice, "5" is 500 % in LibreOffice. Far out of range (100 % or
                        # more, or twice the maximum), as a percentage in range it is the
                        # likely meant value (the Zinssatz 0,5 got only "Bitte korrigieren",
                        # steuer16). Just above the maximum it is as likely typed with "%":
                        # "16 %" for the Zinssatz was told "Meinten Sie 0,16 %? Bitte mit
                        # Prozentzeichen eingeben" (review 16b).
                        + (
                            f"Meinten Sie {_fmt(v)} %? Bitte mit Prozentzeichen eingeben."
                            # "50 €" typed into a share: LibreOffice stores 50, as for "50"
                            # (the same cell, the same format), so both are said (round 23)
                            + kein_betrag(spalte)
                            if spalte.typ == "prozent"
                            and (v >= 1 or (hi is not None and v >= 2 * hi))
                            and im_bereich(v / 100, 0)
                            else kein_betrag(spalte).lstrip()
                            + " Bitte den Anteil mit Prozentzeichen eingeben, z. B. 33,5 %."
                            if spalte.typ == "prozent" and v >= 1 and kein_betrag(spalte)
                            else "Beträge ohne Minuszeichen eintragen: Kosten auf dem Blatt "
                            "Ressourcen, Einsparungen und Erlöse auf dem Blatt Nutzen. Auch ein "
                            "Minus am Ende (z. B. „27.500,-“) macht die Zahl negativ; bitte "
                            "„27.500“ schreiben."
                            if spalte.typ == "betrag" and v < 0 and lo == 0
                            else _kalenderjahr(v, hi, kontext.parameter)
                            if spalte.max == "$Betrachtungszeitraum"
                            else _ohne_jahr(v, kontext.dateien[_d].tippjahre, lo, hi)
                            if spalte.typ == "datum"
                            # a negative Menge or Fallzahl got only "Bitte korrigieren" while
                            # Beträge said what to do (README walk 20)
                            else "Bitte ohne Minuszeichen eintragen."
                            if v < 0 and lo == 0
                            else "Bitte korrigieren."
                        )
                    ),
                ),
            )
        )
    warn = _als_dezimal(grenze(spalte.warnung_max, kontext.parameter))
    if warn is not None:
        regeln.append(
            (
                lambda v, _d, w=warn: v <= w,
                _Pruefung(
                    Regel.BEREICH,
                    Stufe.WARNUNG,
                    lambda v, _d, w=warn: (
                        f"{_fmt(v)} ist ungewöhnlich hoch (mehr als {_fmt(w)}). Bitte prüfen."
                    ),
                ),
            )
        )
    if spalte.liste:
        name = spalte.liste

        def in_liste(v: Any, d: int, name: str = name) -> bool:
            erlaubt = kontext.liste(name, d)
            return (
                erlaubt is None
                or v in erlaubt
                or (name == "kommunen" and v in kontext.dateien[d].partner_jetzt)
            )

        regel = Regel.PARTNER if name in ("kommunen",) else Regel.LISTE
        regeln.append(
            (
                in_liste,
                _Pruefung(
                    regel,
                    Stufe.FEHLER,
                    lambda v, d, name=name: (
                        _keine_partnerkommune(
                            v,
                            kontext.liste(name, d),
                            kontext.listen,
                            # Kommune of a free table's row; Sitzkommune, 3.8: one for all
                            je_zeile=spalte.kopf == "Kommune",
                        )
                        if name == "kommunen"
                        else f"{v!r} steht nicht in der Auswahlliste. "
                        + _gemeint(v, kontext.liste(name, d))
                        + "Bitte einen Wert aus der Liste wählen"
                        + (
                            f" ({', '.join(kontext.listen[name])})."
                            if name in kontext.listen
                            else "."
                        )
                    ),
                ),
            )
        )
    if spalte.hoechstlaenge:
        regeln.append(
            (
                lambda v, _d, n=spalte.hoechstlaenge: len(str(v)) <= n,
                _Pruefung(
                    Regel.BEREICH,
                    Stufe.FEHLER,
                    lambda v, _d, n=spalte.hoechstlaenge: (
                        f"Der Text ist {len(str(v))} Zeichen lang, erlaubt sind {n}. Bitte kürzen."
                    ),
                ),
            )
        )
    if spalte.typ == "text":
        # A longer text pasted in LibreOffice is cut to what an Excel cell holds when saved
        # as .xlsx, without a word to the clerk (Calc test 22); the length says so.
        regeln.append(
            (
                lambda v, _d: len(str(v)) != EXCEL_ZELLTEXT_MAX,
                _Pruefung(
                    Regel.BEREICH,
                    Stufe.WARNUNG,
                    lambda v, _d: (
                        f"Der Text ist {deutsch.zahl(EXCEL_ZELLTEXT_MAX)} Zeichen lang, so viel "
                        "wie eine Excel-Zelle höchstens fasst: Ein längerer Text wurde beim "
                        "Einfügen oder Speichern (LibreOffice: als .xlsx) ohne Meldung "
                        f"abgeschnitten. Er endet jetzt mit „…{str(v)[-40:].strip()}“. Bitte "
                        "prüfen, ob etwas fehlt, und den Text kürzen."
                    ),
                ),
            )
        )
    if spalte.enthaelt:
        woerter = spalte.enthaelt

        def enthaelt(v: Any, _d: int) -> bool:
            text = str(v).casefold().replace("-", "")
            return all(w.casefold().replace("-", "") in text for w in woerter)

        regeln.append(
            (
                enthaelt,
                _Pruefung(
                    Regel.INHALT,
                    Stufe.FEHLER,
                    lambda v, _d: (
                        "Es fehlt die Auseinandersetzung mit: "
                        + ", ".join(
                            w
                            for w in woerter
                            if w.casefold().replace("-", "")
                            not in str(v).casefold().replace("-", "")
                        )
                        + ". Bitte ausdrücklich darauf eingehen."
                    ),
                ),
            )
        )
    return regeln


def _ohne_jahr(wert: Any, tippjahre: Collection[int], lo: Any = None, hi: Any = None) -> str:
    """What to do with a date out of range. Typed without a year ("31.12."), Excel and
    LibreOffice complete it with the year of typing: in a programme of past years the date
    lay out of range, and the message did not say where its year came from (session 20).
    Only asked, never assumed: the year may have been typed so. And only where another year
    would have put the day in range (`_anderes_jahr_passt`): in a programme within this
    year, "31.12." typed after its end is no missing year, and "mit Jahr eintragen" would
    change nothing (review 20)."""
    if (
        isinstance(wert, date)
        and wert.year in {date.today().year, *tippjahre}
        and _anderes_jahr_passt(wert, lo, hi)
    ):
        return f"{OHNE_JAHR} Bitte das Datum mit Jahr eintragen (TT.MM.JJJJ)."
    return "Bitte korrigieren."


def _anderes_jahr_passt(wert: date, lo: Any, hi: Any) -> bool:
    """Whether the day and month of `wert` lie in the range `lo`..`hi` in a year other than
    its own (without a bound: in any year)."""
    if not isinstance(lo, date) or not isinstance(hi, date):
        return True
    for jahr in range(lo.year, hi.year + 1):
        if jahr == wert.year:
            continue
        try:
            tag = wert.replace(year=jahr)
        except ValueError:  # 29 February
            continue
        if lo <= tag <= hi:
            return True
    return False


_JAHRESZAHL = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


def _jahr_im_text(spalte: Spalte, roh: Any, kontext: Kontext) -> str | None:
    """The message for a calendar year typed with words into 'ab Jahr' ('2014/15', 'ab 2014',
    'ab Mitte 2014'), or None. "Bitte nur die Zahl eingeben, z. B. 2014" led the clerk to type
    the year, which the next check refuses: the column counts the years of the period (Calc
    test 24). The first year named is the one the amount starts in."""
    if spalte.max != "$Betrachtungszeitraum" or not isinstance(roh, str):
        return None
    if (jahr := _JAHRESZAHL.search(roh)) is None:
        return None
    rat = _kalenderjahr(int(jahr.group(1)), _grenzen(spalte, kontext)[1], kontext.parameter)
    if rat == "Bitte korrigieren.":
        return None
    rat = rat.replace("Auch als Kalenderjahr liegt die Zahl", f"Auch {jahr.group(1)} liegt")
    return f"{zitat(roh if len(roh) <= 60 else roh[:60] + ' …')} ist keine Zahl. {rat}"


#: the question at a date of the year of typing that does not fit (`_ohne_jahr`)
OHNE_JAHR = "Wurde das Jahr beim Eintippen weggelassen? Excel setzt dann das laufende Jahr ein."


def _kalenderjahr(wert: Any, jahre: Any, parameter: Mapping[str, Any]) -> str:
    """What to do with a year of the Betrachtungszeitraum out of range. Clerks type the
    calendar year ('2014' for 'ab Jahr'); 'Bitte korrigieren' left them guessing (probe)."""
    start = parameter.get("Startjahr")
    if isinstance(jahre, int) and jahre < wert < 1000:
        # The workbook's own validation allows no such year: it was made with a longer
        # Betrachtungszeitraum, shortened in the Steuerungsmappe since (midway probe), and
        # "Bitte korrigieren" told the AG neither why nor what to type.
        bis = f" = {start} bis {start + jahre - 1}" if isinstance(start, int) else ""
        return (
            f"„ab Jahr“ zählt die Jahre des Betrachtungszeitraums der Steuerungsmappe (1 bis "
            f"{jahre}{bis}); ein Betrag ab Jahr {wert} liegt danach und zählt nicht. Erlaubte "
            "die Mappe dieses Jahr, wurde der Zeitraum seither verkürzt: bitte die Zeile löschen "
            f"oder ein Jahr bis {jahre} eintragen."
        )
    if not isinstance(start, int) or not isinstance(jahre, int) or wert < 1000:
        return "Bitte korrigieren."
    zaehlung = (
        f"„ab Jahr“ zählt die Jahre des Betrachtungszeitraums: 1 = {start} bis {jahre} = "
        f"{start + jahre - 1} (Startjahr und Betrachtungszeitraum der Steuerungsmappe)."
    )
    if start <= wert < start + jahre:
        return f"Meinten Sie {wert - start + 1}? {zaehlung} Bitte diese Zahl eintragen."
    # the value once, at the start of the message: "320.000 liegt außerhalb … 320000 liegt
    # außerhalb dieses Zeitraums" named it twice, the second time in another form (review 22)
    return (
        f"{zaehlung} Auch als Kalenderjahr liegt die Zahl außerhalb dieses Zeitraums; bitte prüfen."
    )


def _gemeint(wert: Any, erlaubt: Sequence[str] | None) -> str:
    """'Meinten Sie …?' for a typo ('Stadt Helmsted'), or nothing when no value is close."""
    import difflib

    if not erlaubt or not isinstance(wert, str):
        return ""
    aehnlich = difflib.get_close_matches(wert.casefold(), [e.casefold() for e in erlaubt], 1, 0.8)
    if not aehnlich:
        return ""
    return f"Meinten Sie {next(e for e in erlaubt if e.casefold() == aehnlich[0])!r}? "


#: Short forms of the Art in front of a Kommune's name, as clerks type them ("SG Velpke").
#: The full Arten come from the list `kommunenart` (listen.yaml).
_ART_KUERZEL = {
    "sg": "samtgemeinde",
    "lk": "landkreis",
    "lkr": "landkreis",
    "kreis": "landkreis",
    "gem": "gemeinde",
    "gde": "gemeinde",
    "st": "stadt",
    "vg": "verbandsgemeinde",
}
_UMSCHRIFT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


#: 's.g.' in 's.g. velpke': a dot between two single letters of a short form
_PUNKT_IM_KUERZEL = re.compile(r"\b(\w)\.(?=\w\b)")
#: 'lk.helmstedt': a dot with a word right after it
_PUNKT_VOR_WORT = re.compile(r"\.(?=\w)")


def _kompakt(kern: str) -> str:
    """A name's core without spaces and dots: 'nordelm' and 'nord elm' (from 'Nord-Elm') are
    the same to the eye of a clerk who typed 'SG Nordelm'."""
    return kern.replace(" ", "").replace(".", "")


def _namenskern(name: str, arten: Sequence[str]) -> tuple[str, str]:
    """A Kommune's Art in front ('' if none) and the rest of its name, folded as the eye
    compares: 'Stadt Schöningen', 'St. Schoeningen' give ('stadt', 'schoeningen')."""
    text = vergleichbar(unicodedata.normalize("NFC", name)).replace("-", " ")
    # 'S.G. Velpke', 'Lk.Helmstedt': the dots of a short form between its letters go, one
    # before a word is followed by a space; both had no "Meinten Sie" (round 23)
    text = _PUNKT_VOR_WORT.sub(". ", _PUNKT_IM_KUERZEL.sub(r"\1", text))
    text = " ".join(text.split())
    art = ""
    for voll in sorted((vergleichbar(a).replace("-", " ") for a in arten), key=len, reverse=True):
        if text.startswith(voll + " "):
            art, text = voll, text[len(voll) + 1 :]
            break
    else:
        erstes, _, rest = text.partition(" ")
        if rest and erstes.rstrip(".") in _ART_KUERZEL:
            art, text = _ART_KUERZEL[erstes.rstrip(".")], rest
    return art, text.translate(_UMSCHRIFT)


def _kurzform_von(
    wert: Any, partner: Sequence[str] | None, listen: Mapping[str, Sequence[str]]
) -> list[str]:
    """The partners a clerk meant by a short form of their name: 'Schöningen' for 'Stadt
    Schöningen', 'SG Velpke', 'Königslutter' for 'Stadt Königslutter am Elm'; two for
    'Helmstedt' (Landkreis and Stadt), one for 'LK Helmstedt'; the partner for her name in
    other case or spacing ('stadt schöningen'). None for the exact name of
    another Kommune of the programme: that one is really no partner, and naming a partner
    would mislead."""
    if not partner or not isinstance(wert, str):
        return []
    if gleich := [p for p in partner if vergleichbar(p) == vergleichbar(wert)]:
        # 'stadt schöningen', 'Stadt\xa0Schöningen' (pasted): hers as plainly as 'Schöningen';
        # over her row it was 'überschrieben' beside a name that looked the same (probe)
        return gleich
    if vergleichbar(wert) in {vergleichbar(k) for k in listen.get("alle_kommunen", ())}:
        return []
    arten = tuple(listen.get("kommunenart", ()))
    art, kern = _namenskern(wert, arten)
    if len(kern) < 3:
        return []
    gemeint = [
        (p, p_art)
        for p in partner
        for p_art, p_kern in [_namenskern(p, arten)]
        if p_kern == kern or p_kern.startswith(kern + " ") or _kompakt(p_kern) == _kompakt(kern)
    ]
    # 'LK Helmstedt' is the Landkreis; 'Gemeinde Velpke' still finds the Samtgemeinde
    gleiche_art = [p for p, p_art in gemeint if art and p_art == art]
    return gleiche_art or [p for p, _ in gemeint]


#: Between two Kommunen typed into one cell: "Samtgemeinde Velpke, Gemeinde Lehre"
_ZWISCHEN_KOMMUNEN = re.compile(r"\s*(?:[,;/&+\n]|\bund\b|\bu\.)\s*", re.IGNORECASE)


def _mehrere_kommunen(
    wert: Any, partner: Sequence[str] | None, listen: Mapping[str, Sequence[str]]
) -> list[str] | None:
    """What a cell naming several Kommunen names, one text per Kommune recognised (a partner
    by its full name, "'Landkreis Helmstedt' oder 'Stadt Helmstedt'" for a short form, or
    "'X' (keine Partnerkommune)"); None unless two or more are recognised: 'Stadt Helmstedt,
    Bauamt' is one Kommune."""
    if not isinstance(wert, str):
        return None
    teile = [t for t in _ZWISCHEN_KOMMUNEN.split(wert) if t.strip()]
    if len(teile) < 2:
        return None
    nach_name = {vergleichbar(k): k for k in (*listen.get("alle_kommunen", ()), *(partner or ()))}
    erkannt = []
    for teil in teile:
        voll = nach_name.get(vergleichbar(teil))
        if voll is not None and voll in (partner or ()):
            erkannt.append(zitat(voll))
        elif voll is not None:
            erkannt.append(f"{zitat(voll)} (keine Partnerkommune dieser Arbeitsgruppe)")
        elif gemeint := _kurzform_von(teil, partner, listen):
            erkannt.append(" oder ".join(zitat(g) for g in gemeint))
    return erkannt if len(erkannt) >= 2 else None


def _keine_partnerkommune(
    wert: Any,
    partner: Sequence[str] | None,
    listen: Mapping[str, Sequence[str]],
    je_zeile: bool = True,
) -> str:
    """Why a Kommune cell is wrong. A short form of a partner's name is not 'keine
    Partnerkommune' (the clerk knows Schöningen is a partner and would be puzzled): the
    message says the list has it under its full name, and which. Neither are two partners
    in one cell: the row is to be split (`je_zeile`), or one chosen (Sitzkommune)."""
    if mehrere := _mehrere_kommunen(wert, partner, listen):
        return f"{zitat(str(wert))} nennt mehrere Kommunen (erkannt: {'; '.join(mehrere)}). " + (
            "Je Zeile steht eine Kommune: bitte die Zeile teilen, also für jede Kommune eine "
            "eigene Zeile anlegen, dort die Kommune aus der Auswahlliste wählen und Mengen "
            "oder Beträge auf die Zeilen aufteilen."
            if je_zeile
            else "Hier steht genau eine Kommune: bitte die gemeinte aus der Auswahlliste wählen."
        )
    if gemeint := _kurzform_von(wert, partner, listen):
        namen = " oder ".join(repr(p) for p in gemeint)
        return (
            f"{wert!r} steht so nicht in der Auswahlliste der Partnerkommunen. Meinten Sie "
            f"{namen}? Bitte die Kommune mit ihrem vollen Namen aus der Auswahlliste wählen."
        )
    return (
        f"{wert!r} ist keine Partnerkommune dieser Arbeitsgruppe. "
        + _gemeint(wert, partner)
        + "Bitte eine Kommune aus der Auswahlliste wählen."
    )


def _als_prozent(wert: Any, spalte: Spalte) -> str:
    """ " (30 %)" after a share's value: the cell shows 0,3 as 30 %, the limits are in %, and
    "0,3 liegt außerhalb … 0 % bis 15 %" read as if 0,3 % were too much (koord15)."""
    return f" ({deutsch.prozent(wert)})" if spalte.typ == "prozent" else ""


def _bereich_text(lo: Any, hi: Any, spalte: Spalte, parameter_blatt: str) -> str:
    def f(x: Any) -> str:
        return deutsch.prozent(x) if spalte.typ == "prozent" else _fmt(x)

    if lo is not None and hi is not None:
        text = f"{f(lo)} bis {f(hi)}"
    else:
        text = f"ab {f(lo)}" if lo is not None else f"bis {f(hi)}"
    if (spalte.min, spalte.max) == ("$Programmbeginn", "$Programmende"):
        # where the limits come from: else one might move the right date (review)
        text += f" (die Programmlaufzeit, Blatt {parameter_blatt} der Steuerungsmappe)"
    return text


def _schema(
    spalten: Mapping[str, tuple[Spalte, list]], name: str, datei_je_zeile: Sequence[int]
) -> Any:
    """The pandera schema of one table; `datei_je_zeile` gives each frame row's file, whose
    own lists (its partner Kommunen, its Varianten) some checks need."""
    import pandas as pd
    import pandera.pandas as pa

    columns = {}
    for key, (spalte, regeln) in spalten.items():
        checks = []
        for praedikat, _ in regeln:

            def pruefe(s: pd.Series, p: Callable[[Any, int], bool] = praedikat) -> pd.Series:
                return pd.Series(
                    [
                        v is None or p(v, datei_je_zeile[i])
                        for i, v in zip(s.index.tolist(), s.tolist(), strict=True)
                    ],
                    index=s.index,
                    dtype=bool,
                )

            checks.append(pa.Check(pruefe, ignore_na=False))
        columns[key] = pa.Column(None, nullable=not spalte.pflicht, checks=checks, required=False)
    return pa.DataFrameSchema(columns, name=name)


def pandera_pruefen(gelesene: list[Gelesen], kontext: Kontext) -> list[Befund]:
    """Validate one table definition over all files at once; failures become findings."""
    import pandas as pd
    import pandera.pandas as pa

    if not gelesene:
        return []
    tdef = gelesene[0].tabelle
    befunde: list[Befund] = []
    if tdef.zeilen:
        spalten = {}
        for zdef in tdef.zeilen:
            # a row without its own definition (the texts of the Projektbeschreibung) has the
            # column's: its limit of 4,000 characters, which the workbook states, went
            # unchecked, and a text Calc cut off unseen (Calc test 22)
            spalte = tdef.zeilen_spalte(zdef, tdef.eingabespalte or "")
            spalten[str(zdef.werte[tdef.schluessel or ""])] = (spalte, _regeln(spalte, kontext))
        datensaetze, index = [], []
        for g in gelesene:
            datensaetze.append({k: w for k, (_z, w) in g.zeilen_nach_schluessel.items()})
            index.append((g.datei, 0))
    else:
        spalten = {s.kopf: (s, _regeln(s, kontext)) for s in tdef.spalten if s.eingabe}
        datensaetze, index = [], []
        for g in gelesene:
            for zeile, werte in g.zeilen:
                datensaetze.append(werte)
                index.append((g.datei, zeile))
    if not datensaetze:
        return befunde
    # A plain row number as the index; (file, Excel row) stand in `index` beside the frame.
    # (A MultiIndex costs pandera a copy per column and check.)
    # Only columns with something to check (pandera costs per column, not per value).
    geprueft = {k: v for k, v in spalten.items() if v[1] or v[0].pflicht}
    rahmen = pd.DataFrame(datensaetze, columns=list(geprueft), dtype=object)
    rahmen = rahmen.astype(object).where(rahmen.notna(), None)
    nach_datei = {g.datei: g for g in gelesene}
    try:
        _schema(geprueft, tdef.name, [datei for datei, _ in index]).validate(rahmen, lazy=True)
        fehlschlaege = []
    except pa.errors.SchemaErrors as fehler:
        fehlschlaege = fehler.failure_cases.to_dict("records")
    for fall in fehlschlaege:
        key = fall["column"]
        try:
            position = int(fall["index"])
        except (TypeError, ValueError):  # a failure of the whole frame, not of one cell
            continue
        if key not in spalten or not 0 <= position < len(index):
            continue
        datei, zeile = index[position]
        g = nach_datei[datei]
        spalte, regeln = spalten[key]
        if tdef.zeilen:
            if key not in g.zeilen_nach_schluessel:
                continue  # the row is missing altogether: a STRUKTUR finding says so
            zeile = g.zeilen_nach_schluessel[key][0]
            kopf, wert = tdef.eingabespalte or key, g.zeilen_nach_schluessel[key][1]
            bezeichnung = _zeilenname(tdef, _zeile(tdef, key)) or key
        else:
            kopf, wert = key, rahmen.at[position, key]
            bezeichnung = key
        adresse = g.adresse(zeile, kopf)
        ort = f"{g.roh.blatt}!{adresse} ({bezeichnung})"
        if fall["check"] == "not_nullable":
            if (zeile, kopf) in g.unlesbar:
                continue  # the TYP finding already says what is wrong with this cell
            befunde.append(
                befund(
                    kontext,
                    datei,
                    g.roh.blatt,
                    adresse,
                    kopf,
                    None,
                    Stufe.FEHLER,
                    Regel.PFLICHT,
                    f"{ort}: Pflichtangabe fehlt. Bitte ausfüllen.",
                )
            )
            continue
        nummer = fall["check_number"]
        if nummer is None or not 0 <= int(nummer) < len(regeln):
            continue
        pruefung = regeln[int(nummer)][1]
        befunde.append(
            befund(
                kontext,
                datei,
                g.roh.blatt,
                adresse,
                kopf,
                wert,
                pruefung.stufe,
                pruefung.regel,
                f"{ort}: {pruefung.meldung(wert, datei)}",
            )
        )
    if not tdef.zeilen:  # prefilled columns too: an AG's row copied on Prioritaet (review)
        spalten = {**{s.kopf: (s, []) for s in tdef.spalten if s.eindeutig}, **spalten}
    befunde.extend(_eindeutig(gelesene, spalten, kontext))
    return befunde


def _zeile(tdef: Tabelle, key: str) -> Any:
    """The prescribed row of `tdef` with this key, or None."""
    return next((z for z in tdef.zeilen if str(z.werte.get(tdef.schluessel or "")) == key), None)


def _feldname(zdef: Any) -> str:
    return str(zdef.werte.get("Feld") or zdef.werte.get("Parameter") or "") if zdef else ""


def _zeilenname(tdef: Tabelle, zdef: Any) -> str:
    """A prescribed row as a message names it: "3.1 Externe Begleitung", not "Eintrag"."""
    if zdef is None:
        return ""
    key, feldname = str(zdef.werte.get(tdef.schluessel or "")), _feldname(zdef)
    return key if feldname in ("", key) else f"{key} {feldname}"


def _doppelt(
    kontext: Kontext,
    g: Gelesen,
    adresse: str,
    stufe: Stufe,
    meldung: str,
    spalte: str | None = None,
    wert: Any = None,
) -> Befund:
    """A cell of `g` that repeats an earlier row (Regel.EINDEUTIG): a unique entry typed twice
    (`_eindeutig`), or a whole row filled down or pasted twice (`doppelte_zeilen_pruefen`)."""
    return befund(
        kontext, g.datei, g.roh.blatt, adresse, spalte, wert, stufe, Regel.EINDEUTIG, meldung
    )


def _eindeutig(
    gelesene: Iterable[Gelesen], spalten: Mapping[str, tuple[Spalte, list]], kontext: Kontext
) -> list[Befund]:
    befunde = []
    for key, (spalte, _) in spalten.items():
        if not spalte.eindeutig:
            continue
        for g in gelesene:
            gesehen: dict[Any, int] = {}
            for zeile, werte in g.zeilen:
                wert = werte.get(key)
                if wert is None:
                    continue
                normal = str(wert).casefold().strip()
                if normal in gesehen:
                    adresse = g.adresse(zeile, key)
                    befunde.append(
                        _doppelt(
                            kontext,
                            g,
                            adresse,
                            Stufe.FEHLER,
                            f"{g.roh.blatt}!{adresse} ({key}): {wert!r} steht schon in "
                            f"Zeile {gesehen[normal]}. Jeder Eintrag darf nur einmal vorkommen.",
                            key,
                            wert,
                        )
                    )
                else:
                    gesehen[normal] = zeile
    return befunde


def pflicht_wenn_pruefen(gelesene: Iterable[Gelesen], kontext: Kontext) -> list[Befund]:
    """Conditional duties between prescribed rows (3.7 is required unless 3.6 is 'keine')."""
    befunde = []
    for g in gelesene:
        tdef = g.tabelle
        for zdef in tdef.zeilen:
            if zdef.eingabe is None or not zdef.eingabe.pflicht_wenn:
                continue
            key = str(zdef.werte[tdef.schluessel or ""])
            if key not in g.zeilen_nach_schluessel:
                continue
            zeile, wert = g.zeilen_nach_schluessel[key]
            for andere, ausser in zdef.eingabe.pflicht_wenn:
                anderer_wert = g.zeilen_nach_schluessel.get(andere, (0, None))[1]
                if anderer_wert not in (None, ausser) and wert is None:
                    adresse = g.adresse(zeile, tdef.eingabespalte or "")
                    befunde.append(
                        befund(
                            kontext,
                            g.datei,
                            g.roh.blatt,
                            adresse,
                            tdef.eingabespalte,
                            None,
                            Stufe.FEHLER,
                            Regel.PFLICHT,
                            f"{g.roh.blatt}!{adresse} ({key} {_feldname(_zeile(tdef, key))}): "
                            "Pflichtangabe, "
                            f"weil unter {andere} {anderer_wert!r} gewählt ist. Bitte ausfüllen.",
                        )
                    )
    return befunde


# Whole files ----------------------------------------------------------------------------------

GUELTIG = "gültig"
MIT_WARNUNGEN = "gültig mit Warnungen"
MIT_HINWEISEN = "gültig mit Hinweisen"
FEHLERHAFT = "fehlerhaft"
#: beside FEHLERHAFT, of a workbook sent back as it was generated (`unausgefuellt`)
NICHT_AUSGEFUELLT = "nicht ausgefüllt, unverändert wie erzeugt"
UNLESBAR = "nicht lesbar"


@dataclass
class Dateiergebnis:
    pfad: Any
    name: str
    arbeitsgruppe: str | None = None
    kennung: dict[str, str] = field(default_factory=dict)
    gelesen: dict[str, Gelesen] = field(default_factory=dict)
    felder: dict[str, Any] = field(default_factory=dict)
    #: a Feld's value not in its list, as typed: for the Korrektur copy only (`felder` holds
    #: None, and the copy would otherwise show the template's default, not red)
    felder_falsch: dict[str, Any] = field(default_factory=dict)
    befunde: list[Befund] = field(default_factory=list)
    lesbar: bool = True
    gespeichert_am: str = ""  # docProps/core.xml of the file, read with everything else
    ersetzt_durch: str = ""  # konsolidieren: the newer version of the same AG that counts
    identisch: bool = False  # ... and it has the same bytes: a copy, not an older version
    #: not one input cell filled: the workbook as generated, sent back (`unausgefuellt`)
    leer: bool = False

    @property
    def statustext(self) -> str:
        """The status as reports show it: an older version says that it does not count."""
        if self.identisch:
            return f"{self.status} – dieselbe Datei wie {self.ersetzt_durch}, zählt nur einmal"
        if self.ersetzt_durch:
            return f"{self.status} – ältere Fassung, zählt nicht (es zählt {self.ersetzt_durch})"
        if self.leer:
            return f"{self.status} – {NICHT_AUSGEFUELLT}"
        return self.status

    @property
    def status(self) -> str:
        if not self.lesbar:
            return UNLESBAR
        if any(b.stufe is Stufe.FEHLER for b in self.befunde):
            return FEHLERHAFT
        if any(b.stufe is Stufe.WARNUNG for b in self.befunde):
            return MIT_WARNUNGEN
        return MIT_HINWEISEN if self.befunde else GUELTIG

    def zahl(self, stufe: Stufe) -> int:
        return sum(1 for b in self.befunde if b.stufe is stufe)

    @property
    def braucht_korrektur(self) -> bool:
        """Fehler or Warnungen in a file that could be read: the AG gets a Korrektur copy.

        Not for a Warnung only the Steuerungsgruppe can act on (a file name naming another
        AG): a copy of AG-01's inputs named "AG-02 …" would invite sending it to AG-02."""
        if self.leer:  # she has the empty workbook already: a copy of it says nothing more
            return False
        return bool(self.gelesen) and any(
            b.stufe is not Stufe.HINWEIS
            and not (b.regel is Regel.DATEI and DATEINAME_NENNT in b.meldung)
            and not (b.regel is Regel.VERSION and ZAEHLT_TROTZDEM in b.meldung)
            for b in self.befunde
        )

    def zeilen(self, tabelle: str) -> list[dict[str, Any]]:
        g = self.gelesen.get(tabelle)
        return [w for _, w in g.zeilen] if g else []

    def eintrag(self, nr: str) -> Any:
        g = self.gelesen.get("tbl_Projektbeschreibung")
        return g.zeilen_nach_schluessel.get(nr, (0, None))[1] if g else None

    def verdichten(self, inhalte: bool = True) -> None:
        """Keep what reports and the overview use once the file is checked.

        A file with Fehler or Warnungen keeps its raw cells: its Korrektur copy is written from
        them. The rows of prescribed tables that only the Lenkungsgruppe fills (its own texts,
        the same in every return) leave the typed rows. Without `inhalte`, a file that needs no
        Korrektur copy keeps nothing of its tables, only identity, status and findings.
        Without this, a run over many files would keep every file's whole content in memory.
        """
        korrektur = self.braucht_korrektur
        if not inhalte and not korrektur:
            self.gelesen = {}
            return
        for g in self.gelesen.values():
            if not korrektur:
                g.roh = dataclasses.replace(g.roh, zeilen=[], unterhalb=0)
            schluessel = g.tabelle.schluessel or ""
            vorbelegt = {
                str(z.werte.get(schluessel))
                for z in g.tabelle.zeilen
                if z.vorbelegt and z.eingabe is None  # 2.3 is prefilled, but the AG's to fill
            }
            if vorbelegt:
                g.nur_schluessel(lambda k, weg=vorbelegt: k not in weg)

    def nur_behalten(self, tabellen: Iterable[str], eintraege: Iterable[str] = ()) -> None:
        """Drop all typed tables but `tabellen`, and of prescribed rows all but `eintraege`.

        For a caller that has derived what it needs from the rest (konsolidieren: the
        Kennzahlen from Ressourcen, Nutzen and Kostenausgleich).
        """
        tabellen, eintraege = set(tabellen), set(eintraege)
        self.gelesen = {t: g for t, g in self.gelesen.items() if t in tabellen}
        for g in self.gelesen.values():
            if g.zeilen_nach_schluessel:
                g.nur_schluessel(eintraege.__contains__)


@dataclass
class Pruefergebnis:
    dateien: list[Dateiergebnis]
    #: Korrektur copies that could not be written (disk full), by file: why, in German
    ohne_korrektur: dict[str, str] = field(default_factory=dict)

    @property
    def befunde(self) -> list[Befund]:
        return [b for d in self.dateien for b in d.befunde]

    @property
    def hat_fehler(self) -> bool:
        """A Fehler in a file that counts (an older version replaced by a newer one does not)."""
        return any(d.zahl(Stufe.FEHLER) for d in self.dateien if not d.ersetzt_durch)

    def als_json(self) -> dict[str, Any]:
        return {
            "dateien": [
                {
                    "datei": d.name,
                    "arbeitsgruppe": d.arbeitsgruppe,
                    "status": d.status,
                    "fehler": d.zahl(Stufe.FEHLER),
                    "warnungen": d.zahl(Stufe.WARNUNG),
                    "hinweise": d.zahl(Stufe.HINWEIS),
                    "schema_version": d.kennung.get("schema_version"),
                    "erzeugt_am": d.kennung.get("erzeugt_am"),
                    # An older version of an AG does not count (nor do its Fehler, for the
                    # exit code); a tool reading the JSON must see which one replaces it.
                    "zaehlt": not d.ersetzt_durch,
                    "ersetzt_durch": d.ersetzt_durch or None,
                }
                for d in self.dateien
            ],
            "befunde": [b.als_dict() for b in self.befunde],
        }


def _datei_befund(
    d: Dateiergebnis, stufe: Stufe, regel: Regel, meldung: str, blatt: str | None = None
) -> None:
    d.befunde.append(
        Befund(d.name, d.arbeitsgruppe, blatt, None, None, None, stufe, regel, meldung)
    )


@dataclass
class Umgebung:
    """What checking a file needs besides the file: built once per run.

    Worker processes receive it once when they start, not with every batch of files.
    """

    mappe_def: Any
    st: Any
    listen: dict[str, tuple[str, ...]]
    frei: dict[str, int]  # free tables -> input rows below them (the reserve)
    feldnamen: list[str]
    formelblaetter: set[str]  # sheets whose formula cells are looked up: all with tables
    tabellen: frozenset[str]  # the template's tables by name
    reihenfolge: dict[str, int]  # sheet -> position in the workbook, for sorting findings
    ags: dict[str, Any]  # Kürzel -> Arbeitsgruppe
    inhalte: bool = True  # keep the typed tables in the results (konsolidieren needs them)

    @classmethod
    def aus(
        cls,
        st: Any,
        mappe_def: Any,
        inhalte: bool = True,
    ) -> Umgebung:
        listen = dict(mappe_def.listen)
        listen["phasen"] = tuple(st.phasen)
        listen["kriterien"] = tuple(k.name for k in st.kriterien)
        listen["alle_kommunen"] = tuple(k.name for k in st.kommunen)
        return cls(
            mappe_def=mappe_def,
            st=st,
            listen=listen,
            frei={t.name: t.reserve for _, t in mappe_def.tabellen if t.frei},
            feldnamen=[f.name for _, f in mappe_def.felder] + list(RECHENGRUNDLAGEN),
            # Formula columns must hold their formula, input cells may have one the clerk
            # typed (`eingabeformeln_pruefen`): a sheet without any costs one search.
            formelblaetter={b.name for b, _ in mappe_def.tabellen},
            tabellen=frozenset(t.name for _, t in mappe_def.tabellen),
            reihenfolge={blatt.name: i for i, blatt in enumerate(mappe_def.blaetter)},
            ags={a.kuerzel: a for a in st.arbeitsgruppen},
            inhalte=inhalte,
        )


PARALLEL_AB = 60  # below this, starting worker processes costs more than it saves
ARBEITSPROZESSE = True  # False: read everything in this process (for profilers, tests of them)
STAPEL = 100  # files per batch: one pandera call per table and batch, memory bounded by it


def pruefen(
    pfade: Iterable[Any],
    st: Any,
    mappe_def: Any = None,
    anzeigenamen: Mapping[Any, str] | None = None,
    inhalte: bool = True,
    je_datei: Callable[[Dateiergebnis], None] | None = None,
) -> Pruefergebnis:
    """Check returned files against the definitions; one bad file never stops the others.

    Files are checked in batches, each batch by one worker process where there are enough
    files to pay for starting them: reading, converting, pandera over the batch's rows of each
    table and the cross rules, all in the worker. The main process only collects slim
    results: the AGs' typed inputs (see `Dateiergebnis.verdichten`) and the findings; with
    `inhalte=False` (`ikz pruefen`) the inputs only of files that get a Korrektur copy.
    `je_datei` sees each result here as soon as its batch is back, in the order of `pfade`,
    so a caller can take what it needs and let go of the rest while the others are checked.
    """
    from ikz_excel import definition

    mappe_def = mappe_def or definition.arbeitsmappe()
    umgebung = Umgebung.aus(st, mappe_def, inhalte)
    pfade = list(pfade)
    auftraege = list(zip(pfade, eindeutige_namen(pfade, anzeigenamen or {}), strict=True))
    ergebnisse = []
    for teil in _stapelweise(auftraege, umgebung):
        for d in teil:
            for g in d.gelesen.values():  # one copy of each definition, not one per batch
                g.tabelle = mappe_def.tabelle(g.tabelle.name)
            if je_datei is not None:
                je_datei(d)
            ergebnisse.append(d)
    return Pruefergebnis(ergebnisse)


def eindeutige_namen(pfade: Iterable[Any], anzeigenamen: Mapping[Any, str]) -> list[str]:
    """The name each file is reported under, unique within one run.

    Findings are routed to their file by name: two files called AG-01.xlsx in different
    folders must not share one (nor one's findings).
    """
    namen: list[str] = []
    vergeben: set[str] = set()
    for pfad in pfade:
        name = anzeigenamen.get(pfad) or lesbar(getattr(pfad, "name", str(pfad)))
        if name in vergeben:
            voll = lesbar(str(pfad))
            basis, nummer = (name if voll in vergeben else voll), 2
            name = basis
            while name in vergeben:
                name, nummer = f"{basis} ({nummer})", nummer + 1
        vergeben.add(name)
        namen.append(name)
    return namen


_ARBEITER: dict[str, Umgebung] = {}


def _arbeiter_start(umgebung: Umgebung) -> None:
    _ARBEITER["umgebung"] = umgebung


def _stapel_im_arbeiter(auftraege: list[tuple[Any, str]]) -> list[Dateiergebnis]:
    return stapel_pruefen(auftraege, _ARBEITER["umgebung"])


def _stapelweise(auftraege: list[tuple[Any, str]], u: Umgebung) -> Iterator[list[Dateiergebnis]]:
    """The checked batches in order, read in worker processes where that is cheap or pays.

    Forked workers are cheap, so files are always read in one (a crafted file that makes the
    reader abort then ends only that worker, see `_abgeschirmt`); from `PARALLEL_AB` files on,
    in as many as there are cores. Where a worker is a fresh Python (Windows), only large
    runs pay for that; small ones are read here.
    """
    from concurrent.futures.process import BrokenProcessPool

    from ikz_excel import arbeitsprozesse

    parallel = arbeitsprozesse.lohnt_sich(len(auftraege), PARALLEL_AB)
    kerne = arbeitsprozesse.kerne() if parallel else 1
    # In parallel, two batches per core: small enough that all cores finish at about the same
    # time, few enough that pandera's cost per call and table stays small (four per core
    # measured 6 % slower at 300 returns, session 14).
    groesse = max(1, min(STAPEL, -(-len(auftraege) // (2 * kerne)))) if parallel else STAPEL
    stapel = [auftraege[i : i + groesse] for i in range(0, len(auftraege), groesse)]
    if not ARBEITSPROZESSE or (not parallel and not arbeitsprozesse.geforkt()):
        for teil in stapel:
            yield stapel_pruefen(teil, u)
        return
    fertig = 0
    kaputt = False
    with arbeitsprozesse.pool(_arbeiter_start, (u,), min(kerne, len(stapel))) as pool:
        if pool is not None:
            try:
                for teil in pool.map(_stapel_im_arbeiter, stapel):
                    fertig += 1
                    yield teil
            except BrokenProcessPool:
                kaputt = True
            except (OSError, RuntimeError):  # no processes allowed here after all
                pass
    rest = stapel[fertig:]
    if kaputt:
        yield _abgeschirmt([auftrag for teil in rest for auftrag in teil], u, kerne)
    else:
        for teil in rest:
            yield stapel_pruefen(teil, u)


def _abgeschirmt(auftraege: list[tuple[Any, str]], u: Umgebung, kerne: int) -> list[Dateiergebnis]:
    """After a worker died: the remaining files one by one, until the culprit stands alone.

    A worker dies when a file makes the reader abort (a crafted file the checks before did not
    catch) or the machine runs out of memory. Each round reads every remaining file as a task
    of its own in a fresh pool; a death takes with it only the files in flight. When a round
    makes no progress, or few files remain, each is read in a process of its own: the file that
    ends it is reported as unreadable, the others are checked.
    """
    from concurrent.futures.process import BrokenProcessPool

    from ikz_excel import arbeitsprozesse

    fertig: dict[int, Dateiergebnis] = {}
    offen = list(range(len(auftraege)))
    while offen:
        einzeln = len(offen) <= kerne
        runde = [[i] for i in offen] if einzeln else [offen]
        for gruppe in runde:
            with arbeitsprozesse.pool(_arbeiter_start, (u,), 1 if einzeln else kerne) as pool:
                if pool is None:  # no more processes: read here
                    for i in gruppe:
                        fertig[i] = stapel_pruefen([auftraege[i]], u)[0]
                    continue
                laeufe = {}
                for i in gruppe:
                    try:
                        laeufe[i] = pool.submit(_stapel_im_arbeiter, [auftraege[i]])
                    except BrokenProcessPool:  # a file sent before ended its worker already:
                        break  # the others wait for the next round (a race seen in CI)
                    except (OSError, RuntimeError):  # no process could be started (fork
                        fertig[i] = stapel_pruefen([auftraege[i]], u)[0]  # failed): read here
                for i, lauf in laeufe.items():
                    try:
                        fertig[i] = lauf.result()[0]
                    except BrokenProcessPool:
                        if einzeln:
                            fertig[i] = _abbruch(*auftraege[i])
                    except (OSError, RuntimeError):
                        fertig[i] = stapel_pruefen([auftraege[i]], u)[0]
        vorher = len(offen)
        offen = [i for i in offen if i not in fertig]
        if len(offen) == vorher:  # no progress: from now on one file per process
            kerne = len(offen)
    return [fertig[i] for i in range(len(auftraege))]


def nicht_lesbar(pfad: Any, name: str, meldung: str) -> Dateiergebnis:
    """The result of a file that could not be read at all: one Fehler saying why."""
    d = Dateiergebnis(pfad, name, lesbar=False)
    _datei_befund(d, Stufe.FEHLER, Regel.DATEI, f"{name}: {meldung}")
    return d


def _abbruch(pfad: Any, name: str) -> Dateiergebnis:
    return nicht_lesbar(
        pfad,
        name,
        "Die Datei hat das Lesen abgebrochen (sie ist beschädigt oder absichtlich so gebaut). "
        "Bitte die Originalmappe ausfüllen und erneut senden.",
    )


def stapel_pruefen(auftraege: list[tuple[Any, str]], u: Umgebung) -> list[Dateiergebnis]:
    """Check a batch of files completely; the results carry only what reports need.

    Each step is guarded: an unexpected error (a bug of ours) marks the file it happened in,
    or the files whose table it was checking, and the others go on.
    """
    kontext = Kontext(
        listen=u.listen, parameter=u.st.parameter, parameter_blatt=u.st.blatt("tbl_Parameter")
    )
    je_tabelle: dict[str, list[Gelesen]] = {t.name: [] for _, t in u.mappe_def.tabellen}
    ergebnisse: list[Dateiergebnis] = []
    for pfad, name in auftraege:
        d = Dateiergebnis(pfad, name)
        ergebnisse.append(d)
        try:
            _datei_pruefen(d, kontext, u)
        except Exception as fehler:
            _unerwartet(d, fehler)
        for tname, g in d.gelesen.items():
            je_tabelle[tname].append(g)

    nach_name = {d.name: d for d in ergebnisse}
    for gelesene in je_tabelle.values():
        try:
            befunde = pandera_pruefen(gelesene, kontext) + pflicht_wenn_pruefen(gelesene, kontext)
        except Exception:  # then file by file: only the file it happens with is marked
            befunde = []
            for g in gelesene:
                try:
                    befunde += pandera_pruefen([g], kontext) + pflicht_wenn_pruefen([g], kontext)
                except Exception as fehler:
                    _unerwartet(nach_name[kontext.dateien[g.datei].name], fehler)
        for b in befunde:
            d = nach_name[b.datei]
            if d.lesbar:  # not for a file marked meanwhile
                d.befunde.append(b)
    for d in ergebnisse:
        try:
            if d.gelesen:
                d.befunde += querpruefungen(d, kontext, u.st, u.mappe_def)
                _erst_ohne_fehler(d)
                if _nur_leere_pflicht(d) and unausgefuellt(d, u.mappe_def, u.st):
                    _als_leer(d)
            d.befunde = _ohne_ueberholte_umwandlung(d.befunde)
            d.befunde.sort(key=functools.partial(_sortierung, u.reihenfolge))
            for g in d.gelesen.values():
                g.roh = g.roh.gekuerzt(s.kopf for s in g.tabelle.spalten if s.typ != "formel")
            d.verdichten(u.inhalte)
        except Exception as fehler:
            _unerwartet(d, fehler)
    return ergebnisse


def _gleich(a: Any, b: Any) -> bool:
    """A prefilled value as read back: a number saved by Calc or Excel may come back as a
    float (12345.0), a text with other line ends or spaces around it."""
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return float(a) == float(b)
    return " ".join(str(a).split()) == " ".join(str(b).split())


def unausgefuellt(d: Dateiergebnis, mappe_def: Any, st: Any) -> bool:
    """Not one input cell of any table or field filled, compared with the workbook as generated.

    The AG clicked "Antworten" on the mail with the workbook, or attached the wrong file: the
    check listed some 27 "Pflichtangabe fehlt" and wrote a Korrektur copy, where one sentence
    says what happened (coordination probe 24). What the generator writes does not count: the
    Lenkungsgruppe's texts (locked rows such as 1.1 Ausgangslage), the partner rows' Kommune and
    Einwohner, the criteria, a field's default, formulas. Compared by value as read, so a copy
    opened and saved in Excel or Calc is recognised all the same.
    """
    from ikz_excel.erzeugen import vorbelegung, vorgegebene_zeilen

    ag = st.arbeitsgruppe_jetzt(d.arbeitsgruppe)
    if ag is None or d.felder_falsch:
        return False
    for _, feld in mappe_def.felder:
        wert = d.felder.get(feld.name)
        if wert is not None and (feld.standard is None or not _gleich(wert, feld.standard)):
            return False
    texte = vorbelegung(st, ag)
    for _, tdef in mappe_def.tabellen:
        g = d.gelesen.get(tdef.name)
        if g is None:
            return False
        roh = g.roh
        if roh.ausserhalb:  # typed beyond the table: something was typed
            return False
        eingaben = {s.kopf for s in tdef.spalten if s.eingabe and s.typ != "formel"}
        vorgegeben: dict[str, list[Any]] = {}
        for zeile in vorgegebene_zeilen(tdef, st, ag):
            for kopf, wert in zeile.items():
                vorgegeben.setdefault(kopf, []).append(wert)
        gesperrt = {
            str(z.werte.get(tdef.schluessel))
            for z in tdef.zeilen
            if z.vorbelegt and not ist_leer(texte.get(z.vorbelegt))
        }
        for _, werte in roh.als_dicts():
            if tdef.schluessel and zeilenschluessel(werte.get(tdef.schluessel)) in gesperrt:
                continue  # the Lenkungsgruppe's own text, locked in the workbook
            for kopf in eingaben:
                wert = werte.get(kopf)
                if ist_leer(wert) or kopf == tdef.schluessel:
                    continue
                if not any(_gleich(wert, v) for v in vorgegeben.get(kopf, ())):
                    return False
    return True


def _nur_leere_pflicht(d: Dateiergebnis) -> bool:
    """Only missing entries found (and perhaps an older template): anything else (a renamed
    column, a deleted row, a text over a formula) is what the Steuerungsgruppe must hear of,
    even in a workbook without entries."""
    return any(b.regel is Regel.PFLICHT for b in d.befunde) and all(
        b.regel in (Regel.PFLICHT, Regel.VERSION) or b.stufe is Stufe.HINWEIS for b in d.befunde
    )


def _als_leer(d: Dateiergebnis) -> None:
    """One Fehler for the whole file instead of one per empty required cell."""
    ag = f" {d.arbeitsgruppe}" if d.arbeitsgruppe else ""
    d.leer = True
    # an older template's note stays: the filled workbook should be the current one
    d.befunde = [b for b in d.befunde if b.regel is Regel.VERSION]
    _datei_befund(
        d,
        Stufe.FEHLER,
        Regel.DATEI,
        f"{d.name}: Die Arbeitsmappe ist noch leer – keine Eingabezelle ist ausgefüllt, sie "
        f"ist unverändert, wie sie erzeugt wurde. Bitte bei der Arbeitsgruppe{ag} "
        "nachfragen, ob versehentlich die falsche Datei geschickt wurde (etwa beim Antworten "
        "die leere Mappe angehängt), und um die ausgefüllte Mappe bitten.",
    )


#: Rules about the value of the cell itself (not a sum over a column that starts there).
WERTREGELN = frozenset((Regel.TYP, Regel.BEREICH, Regel.LISTE, Regel.PARTNER))


def _ohne_ueberholte_umwandlung(befunde: list[Befund]) -> list[Befund]:
    """A cell whose value is a Fehler gets that Fehler alone.

    The Warnung that text was read as a number ("bitte nur die Zahl eintippen") would ask the
    clerk to type in exactly the value just found wrong.
    """
    falsch = {
        (b.blatt, b.zelle)
        for b in befunde
        if b.stufe is Stufe.FEHLER and b.zelle and b.regel in WERTREGELN
    }
    if not falsch:
        return befunde
    return [
        b for b in befunde if b.regel is not Regel.UMGEWANDELT or (b.blatt, b.zelle) not in falsch
    ]


def _unerwartet(d: Dateiergebnis, fehler: Exception) -> None:
    d.gelesen = {}
    d.lesbar = False
    _datei_befund(
        d,
        Stufe.FEHLER,
        Regel.DATEI,
        f"{d.name}: Beim Prüfen ist ein unerwarteter Fehler aufgetreten ({fehler!r}). Bitte "
        "die Datei an die Betreuung von ikz_excel geben.",
    )


def _datei_pruefen(d: Dateiergebnis, kontext: Kontext, u: Umgebung) -> None:
    """Read one file and check what can be checked within it; pandera comes per batch."""
    from ikz_excel.einlesen import KeineArbeitsmappe, LeseFehler, ruecklauf_lesen

    mappe_def, name = u.mappe_def, d.name
    try:
        r = ruecklauf_lesen(
            d.pfad,
            u.frei,
            u.feldnamen,
            u.formelblaetter,
            u.mappe_def.blattnamen,
            u.tabellen,
            [(t.name, b.name, t.koepfe) for b, t in u.mappe_def.tabellen],
        )
    except KeineArbeitsmappe as grund:
        d.lesbar = False
        _datei_befund(d, Stufe.FEHLER, Regel.DATEI, f"{name}: {grund}")
        return
    except LeseFehler as fehler:
        d.lesbar = False
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.DATEI,
            f"{name}: Die Datei ist beschädigt und lässt sich nicht lesen (technische "
            f"Meldung: {fehler}). {BESCHAEDIGT_WAS_TUN}",
        )
        return
    d.kennung = r.kennung
    d.gespeichert_am = r.gespeichert_am
    ags = u.ags
    if not _kennung_pruefen(d, r, mappe_def, ags, u.st):
        d.lesbar = not any(
            b.regel in (Regel.DATEI, Regel.VERSION) and b.stufe is Stufe.FEHLER for b in d.befunde
        )
        return
    ag = ags[d.arbeitsgruppe or ""]
    partner = _partner(r.kennung)
    datei = Datei(
        name,
        d.arbeitsgruppe,
        {"kommunen": partner or ag.partner},
        tippjahre(r.gespeichert_am),
        tuple(p for p in ag.partner if p not in partner) if partner else (),
    )
    nr = len(kontext.dateien)
    kontext.dateien.append(datei)
    if not _struktur_pruefen(d, r, mappe_def):
        return
    gelesen = {}
    for _, tdef in mappe_def.tabellen:
        g, b = umwandeln_tabelle(tdef, r.tabellen[tdef.name], nr, kontext)
        d.befunde += b
        # A table read by its header row (the workbook lost its tables) has formulas that
        # referred to it by name: after LibreOffice they show #NV, in every row (after Excel
        # they still compute). Their results are not compared (a Fehler per row would bury
        # the one message that matters; the Korrektur copy computes again), but a formula
        # typed over with a figure is reported as in any return: a cell without a formula
        # is told apart from one whose value is an error.
        d.befunde += formeln_pruefen(
            tdef,
            r.tabellen[tdef.name],
            r.formeln,
            nr,
            kontext,
            None if r.tabellen[tdef.name].ueber_kopf else g,
            darunter_mit_formeln=r.kennung.get(FORMELN_DARUNTER) == "ja",
            zeilenformeln=r.zeilenformeln,
        )
        d.befunde += eingabeformeln_pruefen(g, r.formeln, nr, kontext)
        d.befunde += ausserhalb_pruefen(tdef, r.tabellen[tdef.name], nr, kontext)
        d.befunde += jenseits_pruefen(
            tdef, r.tabellen[tdef.name], nr, kontext, r.kennung.get(BIS + tdef.name)
        )
        d.befunde += verbunden_pruefen(r.tabellen[tdef.name], r.verbunden, nr, kontext)
        d.befunde += verschoben_pruefen(g, nr, kontext)
        d.befunde += doppelte_zeilen_pruefen(g, nr, kontext)
        gelesen[tdef.name] = g
    d.befunde += blattformeln_pruefen(d, r, nr, kontext)
    d.befunde += rechengrundlagen_pruefen(r, nr, kontext)
    d.befunde += daneben_pruefen(r, nr, kontext)
    d.befunde += fremde_blaetter_pruefen(r, nr, kontext, mappe_def.blattnamen)
    d.befunde += notizen_pruefen(r, nr, kontext)
    varianten = gelesen["tbl_Varianten"].zeilen if "tbl_Varianten" in gelesen else []
    datei.listen["varianten"] = tuple(str(w["Variante"]) for _, w in varianten if w.get("Variante"))
    for blatt, feld in mappe_def.felder:
        if feld.name not in r.felder:
            _datei_befund(
                d,
                Stufe.FEHLER,
                Regel.STRUKTUR,
                f"{name}: Das Feld {feld.bezeichnung} (Blatt {blatt.name}) fehlt.",
                blatt.name,
            )
            continue
        fblatt, adresse, roh = r.felder[feld.name]
        u_wert = umwandeln(
            feld, roh, kontext.liste(feld.liste, nr) if feld.liste else None, datei.tippjahre
        )
        wert = u_wert.wert if u_wert.ok else None
        ort = f"{fblatt}!{adresse} ({feld.bezeichnung})"
        regel, text = None, ""
        if u_wert.ok and u_wert.hinweis and feld.liste and wert is not None:
            # read as the list value, but the workbook's formulas may not see it so
            stufe, warum = listenwert_umgewandelt(roh, wert)
            d.befunde.append(
                befund(
                    kontext,
                    nr,
                    fblatt,
                    adresse,
                    feld.bezeichnung,
                    roh,
                    stufe,
                    Regel.UMGEWANDELT,
                    f"{ort}: {u_wert.hinweis} {warum}",
                )
            )
        if isinstance(roh, Fehlerwert):
            regel, text = Regel.TYP, u_wert.fehler or ""
        elif wert is None and feld.pflicht:
            regel, text = Regel.PFLICHT, "Pflichtangabe fehlt. Bitte auswählen."
        elif (
            feld.liste
            and wert is not None
            and wert not in (kontext.liste(feld.liste, nr) or ())
            and not (feld.liste == "kommunen" and wert in datei.partner_jetzt)
        ):
            erlaubt = kontext.liste(feld.liste, nr)
            regel = Regel.LISTE
            text = (
                f"{zitat(_fmt(roh))} steht nicht in der Auswahlliste. {_gemeint(wert, erlaubt)}"
                "Bitte einen Wert aus der Liste wählen"
                + (f" ({', '.join(erlaubt)})." if erlaubt else ".")
            )
        if regel is not None:
            d.befunde.append(
                befund(
                    kontext,
                    nr,
                    fblatt,
                    adresse,
                    feld.bezeichnung,
                    roh,
                    Stufe.FEHLER,
                    regel,
                    f"{ort}: {text}",
                )
            )
            if regel is Regel.LISTE:  # as text, as it looked: a date not as its serial number
                d.felder_falsch[feld.name] = roh if isinstance(roh, str) else _fmt(roh)
                wert = None
        d.felder[feld.name] = wert
    d.gelesen = gelesen


def _ergebnis_pruefen(
    roh: Rohtabelle,
    werte: tuple[Any, ...],
    typisiert: Mapping[str, Any],
    rechnen: tuple[tuple[str, ...], Callable[[Mapping[str, Any]], Decimal | None]],
    zeile: int,
    kopf: str,
    nr: int,
    kontext: Kontext,
) -> list[Befund]:
    eingaben, formel = rechnen
    gezeigt = werte[roh.koepfe.index(kopf)]
    # Not saved by a spreadsheet (no result in the file), or inputs typed as text: the
    # workbook cannot compute those, and the conversion says so already. An error value
    # (Excel's #WERT! of a table row's formula copied below the table) is compared too.
    fehlerwert = isinstance(gezeigt, Fehlerwert)
    if (not fehlerwert and (type(gezeigt) is not float or not math.isfinite(gezeigt))) or any(
        type(werte[roh.koepfe.index(e)]) in (str, Fehlerwert) for e in eingaben if e in roh.koepfe
    ):
        return []
    richtig = formel(typisiert)
    if richtig is None or (
        not fehlerwert and abs(Decimal(repr(gezeigt)) - richtig) < Decimal("0.005")
    ):
        return []
    adresse = roh.zelle(zeile, kopf)
    if fehlerwert:
        zeigt = f"den Fehlerwert {gezeigt}"
        folge = (
            "rechnet nicht (z. B. eine Tabellenzeile hierher kopiert), und die Summen der Mappe "
            "zeigen dann ebenfalls Fehlerwerte."
        )
    else:
        zeigt = _fmt(gezeigt)
        folge = "rechnet nicht richtig (z. B. eine Tabellenzeile hierher kopiert)."
    return [
        befund(
            kontext,
            nr,
            roh.blatt,
            adresse,
            kopf,
            str(gezeigt) if fehlerwert else gezeigt,
            Stufe.WARNUNG,
            Regel.FORMEL,
            f"{roh.blatt}!{adresse} ({kopf}): Die Mappe zeigt hier {zeigt}, aus den Eingaben "
            f"der Zeile ergibt sich {_fmt(richtig)}; die Formel dieser Zelle {folge} Die "
            f"Übersicht rechnet mit {_fmt(richtig)}. Bitte mit dem Korrekturexemplar "
            "weiterarbeiten, es hat die richtige Formel.",
        )
    ]


def _zeilenformel_befund(
    roh: Rohtabelle, zeile: int, kopf: str, nr: int, kontext: Kontext, erste: str | None
) -> Befund:
    """One per cell, as each marks its cell in the Korrektur copy; the explanation once.

    A row copied into twenty rows below the table gives twenty of them, and twenty times the
    same paragraph would bury the other findings of the file. `erste`: the cell of the first,
    which explains.
    """
    adresse = roh.zelle(zeile, kopf)
    if erste is not None:
        meldung = (
            f"auch Zeile {zeile} hat die Formel einer Tabellenzeile, wie {roh.blatt}!{erste} "
            "(siehe dort). Bitte mit dem Korrekturexemplar weiterarbeiten."
        )
    else:
        meldung = (
            f"Zeile {zeile} steht unter der Tabelle, hat aber die Formel einer Tabellenzeile "
            "(vermutlich aus der Tabelle hierher kopiert). Diese Formel rechnet außerhalb der "
            "Tabelle nicht: Excel zeigt #WERT! (LibreOffice 0) und dann auch in den Summen "
            "der Mappe, oder die Zeile fehlt dort still. Die "
            "Übersicht rechnet richtig mit den Eingaben der Zeile. Bitte mit dem "
            "Korrekturexemplar weiterarbeiten, es hat die richtige Formel; zum Übernehmen einer "
            "Zeile künftig nur ihre gelben Zellen kopieren."
        )
    return befund(
        kontext,
        nr,
        roh.blatt,
        adresse,
        kopf,
        None,
        Stufe.WARNUNG,
        Regel.FORMEL,
        f"{roh.blatt}!{adresse} ({kopf}): {meldung}",
    )


def _tabellenname(tdef: Tabelle, blatt: str) -> str:
    return f"„{tdef.titel}“" if tdef.titel else f"auf dem Blatt {blatt}"


def _in_der_tabelle(tdef: Tabelle) -> str:
    """The table as the clerk sees it: by its title, not by its Excel name (tbl_…)."""
    return f"In der Tabelle „{tdef.titel}“" if tdef.titel else "In der Tabelle"


def ausserhalb_pruefen(tdef: Tabelle, roh: Rohtabelle, nr: int, kontext: Kontext) -> list[Befund]:
    """Entries below a table's input rows after empty rows are not read; unsaid, their
    figures would be lost.

    (The sheet must have been unprotected to type there: the cells are locked.)
    """
    tabelle = _tabellenname(tdef, roh.blatt)
    return [
        befund(
            kontext,
            nr,
            roh.blatt,
            zelle(zeile, spalte),
            None,
            None,
            Stufe.FEHLER,
            Regel.STRUKTUR,
            f"{roh.blatt}!{zelle(zeile, spalte)}: Zeile {zeile} steht unter den gelben "
            f"Eingabezeilen der Tabelle {tabelle}, nach leeren Zeilen, und wird nicht gelesen "
            f"({_inhalt(werte)}). Bitte die Angaben in freie gelbe Zeilen übertragen und hier "
            "löschen.",
        )
        for zeile, spalte, werte in roh.ausserhalb
    ]


def jenseits_pruefen(
    tdef: Tabelle, roh: Rohtabelle, nr: int, kontext: Kontext, bis: str | None = None
) -> list[Befund]:
    """Rows typed on below a table's input rows without a gap are read, but the workbook's own
    formulas end with the input rows: it shows other figures than the overview.

    `bis` (from `_ikz`) says how many rows below the header those formulas count. Without it
    (older workbooks) the input rows end `reserve` rows below the table as it stands; but a
    table grown on an unprotected sheet moved that end along, and 300 rows of Ressourcen
    passed without a word while the workbook's Kapitalwert left 240 of them out (probe of
    large returns). Rows inserted inside the range widen the formulas too; that is not seen
    here, and the last rows may then be named although counted (rare: all reserve rows used).
    """
    befunde: list[Befund] = []
    if not tdef.reserve:
        return befunde
    if bis is not None and bis.isdigit():
        eingaben = {s.kopf for s in tdef.spalten if s.eingabe and not s.formel}
        jenseits = [
            z
            for z, werte in roh.zeilen
            if z > roh.kopfzeile + int(bis)
            and any(
                not ist_leer(w) for k, w in zip(roh.koepfe, werte, strict=False) if k in eingaben
            )
        ]
    elif roh.unterhalb:
        jenseits = [z for z, _ in roh.darunter(tdef.reserve)[1]]
    else:
        jenseits = []
    if jenseits:
        tabelle = _tabellenname(tdef, roh.blatt)
        adresse = zelle(jenseits[0], roh.erste_spalte)
        zeilen = (
            f"Zeile {jenseits[0]} steht"
            if len(jenseits) == 1
            else f"Die Zeilen {jenseits[0]} bis {jenseits[-1]} stehen"
        )
        befunde.append(
            befund(
                kontext,
                nr,
                roh.blatt,
                adresse,
                None,
                None,
                Stufe.WARNUNG,
                Regel.STRUKTUR,
                f"{roh.blatt}!{adresse}: {zeilen} unter den gelben Eingabezeilen der "
                f"Tabelle {tabelle}. Sie zählen in der Übersicht, die Formeln dieser Mappe "
                "(Summen, Wirtschaftlichkeit) rechnen sie aber nicht mit. Bitte mit dem "
                "Korrekturexemplar weiterarbeiten: dort stehen sie in der Tabelle.",
            )
        )
    return befunde


def verbunden_pruefen(
    roh: Rohtabelle, verbunden: Mapping[str, list[str]], nr: int, kontext: Kontext
) -> list[Befund]:
    """Merged cells in a table: the clerk sees one entry over several rows, but only the
    first cell holds it, the others are empty (review: three times "Pflichtangabe fehlt" where
    "Stadt Helmstedt" stood, and no word of the merge)."""
    befunde = []
    links, rechts = roh.erste_spalte, roh.erste_spalte + len(roh.koepfe) - 1
    for bereich in verbunden.get(roh.blatt, []):
        erste, letzte = bereich.split(":")
        (oben, spalte_von), (unten, spalte_bis) = adresse_zerlegen(erste), adresse_zerlegen(letzte)
        # rows below the header down to where the table is read, its columns
        if unten <= roh.kopfzeile or oben > roh.bis or spalte_bis < links or spalte_von > rechts:
            continue
        verdeckt = [
            werte[c - links] if c - links < len(werte) else None
            for z, werte in roh.zeilen
            if oben <= z <= unten
            for c in range(max(spalte_von, links), min(spalte_bis, rechts) + 1)
            if (z, c) != (oben, spalte_von)
        ]
        if not verdeckt:  # one cell, or the others beside the table: nothing is lost
            continue
        if not any(ist_leer(w) for w in verdeckt):
            # LibreOffice may keep what the covered cells held: read, but not to be seen
            stufe, folge = (
                Stufe.HINWEIS,
                f"Excel zeigt nur den Inhalt von {erste}; die verdeckten Zellen haben noch "
                "eigene Einträge, die gelesen werden, in der Mappe aber nicht zu sehen sind. "
                "Bitte die Verbindung aufheben und die Einträge prüfen.",
            )
        else:
            stufe, folge = (
                Stufe.WARNUNG,
                f"Excel zeigt den Inhalt von {erste} über alle, gespeichert ist er nur dort; "
                "die anderen Zellen sind leer und werden so gelesen. Bitte die Verbindung "
                "aufheben (Start > Verbinden und zentrieren) und jede Zelle einzeln ausfüllen.",
            )
        befunde.append(
            befund(
                kontext,
                nr,
                roh.blatt,
                erste,
                None,
                None,
                stufe,
                Regel.STRUKTUR,
                f"{roh.blatt}!{bereich}: Die Zellen {bereich} sind verbunden: {folge}",
            )
        )
    return befunde


def verschoben_pruefen(g: Gelesen, nr: int, kontext: Kontext) -> list[Befund]:
    """Cells inserted or deleted in one column ("Zellen nach unten/oben verschieben") move its
    entries against the others' by a row: the last row then holds only that column, or lacks
    only it. The Pflicht Fehler named the row, and a clerk who filled it in made the return
    valid with every entry of the column in the wrong row (LibreOffice probe). A Hinweis at
    the cell asks to look; a row simply begun or a last amount forgotten looks the same."""
    tdef = g.tabelle
    koepfe = [s.kopf for s in tdef.spalten if s.eingabe and s.pflicht]
    if not tdef.frei or len(koepfe) < 3:
        return []
    zeilen = _gefuellte_spalten(g.roh, koepfe)
    if len(zeilen) < 3:
        return []
    zeile, gefuellt = zeilen[-1]
    # above: complete rows, and for an inserted cell the row where it stands empty
    luecken = [(z, f) for z, f in zeilen[:-1] if len(f) < len(koepfe)]
    if len(gefuellt) == 1 and all(
        len(luecken) == 1 and set(koepfe) - set(f) == set(gefuellt) for _, f in luecken
    ):
        kopf = gefuellt[0]
        darueber = f"bis auf Zeile {luecken[0][0]}, wo {kopf} fehlt" if luecken else "alle"
        text = (
            f"In Zeile {zeile} steht nur {kopf}, die Zeilen darüber sind vollständig "
            f"({darueber}). Wurde in der Spalte {kopf} eine Zelle eingefügt (Zellen nach unten "
            "verschoben)? Dann steht jeder Eintrag dieser Spalte darunter eine Zeile zu tief: "
            "bitte prüfen, bevor die fehlenden Angaben ergänzt werden."
        )
    elif len(gefuellt) == len(koepfe) - 1 and not luecken:
        kopf = next(k for k in koepfe if k not in gefuellt)
        text = (
            f"Nur in Zeile {zeile} fehlt {kopf}, alle Zeilen darüber sind vollständig. Wurde in "
            f"der Spalte {kopf} eine Zelle gelöscht (Zellen nach oben verschoben)? Dann steht "
            "jeder Eintrag dieser Spalte eine Zeile zu hoch: bitte prüfen, bevor die Angabe "
            "ergänzt wird."
        )
    else:
        return []
    adresse = g.adresse(zeile, kopf)
    return [
        befund(
            kontext,
            nr,
            g.roh.blatt,
            adresse,
            kopf,
            None,
            Stufe.HINWEIS,
            Regel.STRUKTUR,
            f"{g.roh.blatt}!{adresse}: {text}",
        )
    ]


#: Free tables whose rows are added up to money: what counts twice for a row there twice, the
#: entries whose product is that money (a row of 0 € counts nothing twice), and how two equal
#: positions are written as one.
DOPPELT_GEZAEHLT = {
    "tbl_Ressourcen": (
        "zählen ihre Kosten",
        ("Menge", "Kostensatz"),
        "in einer Zeile mit der Menge",
    ),
    "tbl_Nutzen": ("zählt ihr Betrag", ("Betrag",), "in einer Zeile"),
}


def doppelte_zeilen_pruefen(g: Gelesen | None, nr: int, kontext: Kontext) -> list[Befund]:
    """A row of Ressourcen or Nutzen equal to an earlier one in every entry is a Warnung.

    Filling a row down (Strg+U in Excel, Blatt > Zellen ausfüllen > Unten in Calc) or
    pasting it twice makes such rows, and the workbook and the overview add each: costs or
    savings count twice, without a word. Two positions that are really the same are written
    as one (with its Menge); so a copy is most likely a slip, but it may be meant: a Warnung
    at the copy, naming the row it repeats, not a Fehler.
    """
    if g is None or g.tabelle.name not in DOPPELT_GEZAEHLT:
        return []
    zaehlt, geld, zusammen = DOPPELT_GEZAEHLT[g.tabelle.name]
    roh = dict(g.roh.zeilen) if g.unlesbar else {}

    def angabe(zeile: int, werte: dict[str, Any], kopf: str) -> str:
        # a cell that was not read ("0,5 Stelle" in a Menge) by what was typed: read, two
        # such cells were both empty, and rows differing there "alike in every entry"
        wert = werte.get(kopf)
        if (zeile, kopf) in g.unlesbar and kopf in g.roh.koepfe:
            getippt = roh.get(zeile, ())
            i = g.roh.koepfe.index(kopf)
            wert = getippt[i] if i < len(getippt) else wert
        return "" if ist_leer(wert) else str(wert).casefold().strip()

    eingaben = [s.kopf for s in g.tabelle.spalten if s.typ != "formel"]
    erste = next((k for k in eingaben if k in g.roh.koepfe), None)
    if erste is None:
        return []
    gesehen: dict[tuple[str, ...], int] = {}
    erklaert: dict[tuple[str, ...], str] = {}  # the copy whose finding explains, by content
    befunde = []
    for zeile, werte in g.zeilen:
        inhalt = tuple(angabe(zeile, werte, k) for k in eingaben)
        if not any(inhalt):
            continue
        if inhalt not in gesehen:
            gesehen[inhalt] = zeile
            continue
        adresse = g.adresse(zeile, erste)
        ort = f"{g.roh.blatt}!{adresse}"
        if inhalt in erklaert:  # filled down over many rows: the paragraph once (as FORMEL)
            meldung = (
                f"{ort}: auch Zeile {zeile} gleicht Zeile {gesehen[inhalt]} in allen Angaben "
                f"(siehe {g.roh.blatt}!{erklaert[inhalt]})."
            )
        else:
            erklaert[inhalt] = adresse
            meldung = (
                f"{ort}: Zeile {zeile} gleicht Zeile {gesehen[inhalt]} in allen Angaben (wohl "
                "beim Ausfüllen nach unten oder Kopieren entstanden)"
                + ("" if any(werte.get(k) == 0 for k in geld) else f"; so {zaehlt} doppelt")
                + ". Bitte die Zeile löschen, wenn sie doppelt ist; sind es zwei gleiche Posten, "
                f"beide {zusammen} zusammenfassen."
            )
        befunde.append(_doppelt(kontext, g, adresse, Stufe.WARNUNG, meldung))
    return befunde


def _gefuellte_spalten(roh: Rohtabelle, koepfe: Sequence[str]) -> list[tuple[int, list[str]]]:
    """(Excel row, which of `koepfe` hold a value) of each row of `roh` with any of them.

    The same as looking each header up in `roh.als_dicts()`, without a dict per row: most
    rows are empty reserve rows, and this ran for every free table of every file (3 % of a
    file's check). A header twice counts with its later column, as in such a dict.
    """
    lage: dict[str, int] = {}
    for i, kopf in enumerate(roh.koepfe):
        lage[kopf] = i
    breite = len(roh.koepfe)
    spalten = [(kopf, lage.get(kopf)) for kopf in koepfe]
    zeilen: list[tuple[int, list[str]]] = []
    for z, werte in roh.zeilen:
        if len(werte) < breite:  # never read so; then exactly as `als_dicts` pairs them
            w = dict(zip(roh.koepfe, werte, strict=False))
            gefuellt = [k for k in koepfe if not ist_leer(w.get(k))]
        elif werte.count("") == len(werte):  # nothing at all in the row
            continue
        else:
            gefuellt = [k for k, i in spalten if i is not None and not ist_leer(werte[i])]
        if gefuellt:
            zeilen.append((z, gefuellt))
    return zeilen


def _zellinhalt(wert: Any, laenge: int = 40) -> str:
    """One cell's content for a message: numbers and dates as `_fmt` writes them, text quoted
    and shortened."""
    if isinstance(wert, str):
        text = " ".join(wert.split())
        return repr(text if len(text) <= laenge else text[: laenge - 2] + " …")
    return _fmt(wert)


def _zellenliste(zellen: Sequence[tuple[int, int, Any]], zahl: int | None = None) -> str:
    """Cells for a message, the first few with their content ("J5 'Kostensatz lt. KGSt 2012';
    J6 'nur wenn …'"), then "und N weitere" (`zahl`: how many there are, if more than given)."""
    zahl = len(zellen) if zahl is None else zahl
    text = "; ".join(f"{zelle(z, s)} {_zellinhalt(w)}" for z, s, w in zellen[:ANSEHEN])
    return text + (f" und {zahl - ANSEHEN} weitere" if zahl > ANSEHEN else "")


#: How many cells a message about content that is not read names, before "und N weitere".
ANSEHEN = 5


def eingabeformeln_pruefen(
    g: Gelesen, formeln: Mapping[str, set[str]], nr: int, kontext: Kontext
) -> list[Befund]:
    """A formula the clerk typed into an input cell (`=Nebenrechnung!B1`, `=35000+6234,56`).

    Its result is read and counts; but the Korrektur copy is written from the values read, so
    there the formula is gone and the value stands instead. Worth a Hinweis, one per column:
    Excel fills a formula typed into a table column down the whole column.
    """
    roh = g.roh
    vorhanden = formeln.get(roh.blatt)
    if not vorhanden:
        return []
    eingaben = (
        {g.tabelle.eingabespalte}  # prescribed rows: only their input column is typed into
        if g.tabelle.zeilen
        else {s.kopf for s in g.tabelle.spalten if s.eingabe}
    )
    spalten = {
        spaltenbuchstabe(roh.erste_spalte + i): (i, kopf)
        for i, kopf in enumerate(roh.koepfe)
        if kopf in eingaben
    }
    # Nearly all formulas stand in the formula columns; their first letter tells most apart.
    anfang = {b[0] for b in spalten}
    treffer = [
        (int(adresse[len(buchstaben) :]), buchstaben)
        for adresse in vorhanden
        if adresse[0] in anfang and (buchstaben := adresse.rstrip("0123456789")) in spalten
    ]
    if not treffer:
        return []
    werte = dict(roh.zeilen)  # only rows read: those beyond are a Fehler of their own
    je_spalte: dict[str, list[tuple[int, Any]]] = {}
    for zeile, buchstaben in sorted(treffer):
        i, kopf = spalten[buchstaben]
        if zeile not in werte or (zeile, kopf) in g.unlesbar:
            continue  # not read, or its value is a Fehler that says what to do
        je_spalte.setdefault(kopf, []).append((zeile, werte[zeile][i]))
    befunde = []
    for kopf, zellen in je_spalte.items():
        zeile, wert = zellen[0]
        adresse = roh.zelle(zeile, kopf)
        ergebnis = "leer" if ist_leer(wert) else _fmt(wert)
        if len(zellen) == 1:
            name = kopf
            if g.tabelle.zeilen:
                key = next((k for k, (z, _) in g.zeilen_nach_schluessel.items() if z == zeile), "")
                name = _zeilenname(g.tabelle, _zeile(g.tabelle, key)) or kopf
            text = (
                f"{roh.blatt}!{adresse} ({name}): Hier steht eine Formel; gelesen wird ihr "
                f"Ergebnis ({ergebnis}). Ein Korrekturexemplar enthält statt der Formel diesen "
                "Wert."
            )
        else:
            liste = _zellenliste(
                [(z, roh.erste_spalte + roh.koepfe.index(kopf), w) for z, w in zellen]
            )
            text = (
                f"{roh.blatt}!{adresse} ({kopf}): In {len(zellen)} Zellen dieser Spalte stehen "
                f"Formeln ({liste}); gelesen werden ihre Ergebnisse. Ein Korrekturexemplar "
                "enthält statt der Formeln diese Werte."
            )
        befunde.append(
            befund(kontext, nr, roh.blatt, adresse, kopf, wert, Stufe.HINWEIS, Regel.FORMEL, text)
        )
    return befunde


#: How many places of one template text (each way) and how many of the shifts found most often
#: `daneben_pruefen` looks at: inserted rows or columns move a template by a handful of shifts.
ORTE_JE_TEXT = 20
VERSCHIEBUNGEN = 20


def daneben_pruefen(r: Any, nr: int, kontext: Kontext) -> list[Befund]:
    """What a clerk typed on a sheet with tables outside them and outside what the template
    has there (a remark in J5 beside the table): it is read nowhere, and the Korrektur copy,
    written afresh, does not have it. One Hinweis per sheet.

    `_ikz` lists the cells the generator wrote outside the tables (`definition.ZELLEN`); a
    workbook made before it did has no such list and is not checked. Where rows or columns
    were inserted or deleted, the template's texts are found by their fingerprint wherever
    they are now, and the cells around them are looked for with the same shift.
    """
    befunde = []
    for schluessel in [k for k in r.kennung if k.startswith(ZELLEN)]:
        eintrag = r.kennung.pop(schluessel)  # not carried along with the result
        blatt = schluessel[len(ZELLEN) :]
        kandidaten = r.daneben.get(blatt)
        if not kandidaten:
            continue
        belegt = zellen_lesen(eintrag)
        if belegt is None:
            continue  # edited in `_ikz`, not to be trusted: as for a workbook without it
        texte = belegt.texte
        rest = [(z, s, w) for z, s, w in kandidaten if (z, s) not in belegt]
        if rest:  # a field is an input cell outside the tables, but no remark
            felder = {adresse_zerlegen(a) for b, a, _ in r.felder.values() if b == blatt}
            rest = [(z, s, w) for z, s, w in rest if (z, s) not in felder]
        if not rest:
            continue  # the usual case: everything where the template has it
        # Rows or columns inserted or deleted: each text of the template is recognised
        # wherever it stands now, and its shift says where the numbers and formulas around it
        # went (the sum beside "Summe der Anteile"). A text counts at its first few places
        # each way, and only the most frequent shifts are tried: a title copied all over the
        # sheet gave a shift per copy, and every other cell was tested against each.
        texte_da: set[tuple[int, int]] = set()  # cells holding a text of the template
        gepaart: Counter[str] = Counter()
        verschiebungen: Counter[tuple[int, int]] = Counter()
        for z, s, wert in kandidaten:
            if not isinstance(wert, str) or (summe := textsumme(wert)) not in texte:
                continue
            texte_da.add((z, s))
            gepaart[summe] += 1
            if gepaart[summe] <= ORTE_JE_TEXT:
                verschiebungen.update((z - oz, s - os) for oz, os in texte[summe][:ORTE_JE_TEXT])
        verschoben = belegt.verschoben(d for d, _ in verschiebungen.most_common(VERSCHIEBUNGEN))
        fremd = [
            (z, s, w) for z, s, w in rest if (z, s) not in texte_da and (z, s) not in verschoben
        ]
        if not fremd:
            continue
        erste = zelle(fremd[0][0], fremd[0][1])
        einer = len(fremd) == 1
        befunde.append(
            befund(
                kontext,
                nr,
                blatt,
                erste,
                None,
                fremd[0][2],
                Stufe.HINWEIS,
                Regel.STRUKTUR,
                f"{blatt}!{erste}: Auf dem Blatt {blatt} "
                + (
                    "steht außerhalb der Tabellen ein Eintrag, der nicht zur Vorlage gehört"
                    if einer
                    else f"stehen außerhalb der Tabellen {len(fremd)} Einträge, die nicht zur "
                    "Vorlage gehören"
                )
                + f" ({_zellenliste(fremd)}). "
                + (
                    "Er wird nicht gelesen und steht"
                    if einer
                    else "Sie werden nicht gelesen und stehen"
                )
                + " weder in der Übersicht noch im Korrekturexemplar. Wichtiges bitte in die "
                "Tabelle übertragen (z. B. in eine Beschreibung oder Begründung) oder die "
                "eigene Datei aufbewahren.",
            )
        )
    return befunde


#: How Excel ("Ressourcen (2)") and LibreOffice ("Ressourcen_2") name the copy of a sheet.
_KOPIE = re.compile(r"(.+?)(?: \(\d+\)|_\d+)")


def fremde_blaetter_pruefen(
    r: Any, nr: int, kontext: Kontext, vorlage: Collection[str] = ()
) -> list[Befund]:
    """A sheet the clerk added (Notizen, a Nebenrechnung, a copy of Ressourcen) with content:
    it is read nowhere, and the Korrektur copy, written afresh, does not have it. One Hinweis
    per sheet; an empty one is no loss and gives none.

    A copy of a sheet of the template is a Warnung: the clerk may have gone on in the copy
    ("Ressourcen (2)" with the real figures), and only the original is read (probe).
    """
    sichtbar = dict(r.blaetter)
    befunde = []
    for blatt, (zahl, zellen, mindestens) in r.fremde_blaetter.items():
        m = _KOPIE.fullmatch(blatt)
        original = m.group(1) if m and m.group(1) in vorlage and zahl else None
        art = "ausgeblendete Blatt" if sichtbar.get(blatt, "Visible") != "Visible" else "Blatt"
        erste = zelle(zellen[0][0], zellen[0][1]) if zellen else None
        if zahl:
            # Counting stops early on a sheet that holds very much (`einlesen.FREMD_ZAEHLEN`).
            liste = (
                _zellenliste(zellen) + " und weitere" if mindestens else _zellenliste(zellen, zahl)
            )
            was = (
                f"({'mindestens ' if mindestens else ''}{_fmt(zahl)} gefüllte "
                f"Zelle{'' if zahl == 1 else 'n'}{': ' + liste if zellen else ''})"
            )
        else:
            was = "(Zeichnungen, Bilder oder Diagramme)"
        befunde.append(
            befund(
                kontext,
                nr,
                blatt,
                erste,
                None,
                zellen[0][2] if zellen else None,
                Stufe.WARNUNG if original else Stufe.HINWEIS,
                Regel.STRUKTUR,
                f"{blatt}{'!' + erste if erste else ''}: "
                + (
                    f"Das {art} {zitat(blatt)} {was} ist eine Kopie des Blatts "
                    f"{zitat(original)}. Gelesen wird nur {zitat(original)}; die Kopie steht "
                    "weder in der Übersicht noch im Korrekturexemplar. Stehen die gültigen "
                    "Angaben in der Kopie, bitte sie in der eigenen Datei nach "
                    f"{zitat(original)} übertragen, dann die Kopie löschen und die Mappe erneut "
                    "senden."
                    if original
                    else f"Das {art} {blatt!r} gehört nicht zur Vorlage {was}. Sein Inhalt wird "
                    "nicht gelesen und steht weder in der Übersicht noch im Korrekturexemplar. "
                    "Bitte die eigene Datei mit diesem Blatt aufbewahren und Wichtiges in die "
                    "Tabellen der Vorlage übertragen (z. B. in eine Beschreibung oder "
                    "Begründung)."
                ),
            )
        )
    return befunde


def notizen_pruefen(r: Any, nr: int, kontext: Kontext) -> list[Befund]:
    """Notes the clerk put on cells (`einlesen._notizen`): read nowhere, and not in the
    Korrektur copy, which is written afresh. One Hinweis per sheet, naming them."""
    befunde = []
    for blatt, notizen in r.notizen.items():
        erste, _, text = notizen[0]
        liste = "; ".join(
            f"{ort or '?'}{' von ' + a if a else ''}: {_zellinhalt(t, 80)}"
            for ort, a, t in notizen[:3]
        ) + (f" und {len(notizen) - 3} weitere" if len(notizen) > 3 else "")
        zahl = f"{len(notizen)} Notiz" if len(notizen) == 1 else f"{len(notizen)} Notizen"
        befunde.append(
            befund(
                kontext,
                nr,
                blatt,
                erste or None,
                None,
                text,
                Stufe.HINWEIS,
                Regel.INHALT,
                f"{blatt}{'!' + erste if erste else ''}: {zahl} an Zellen ({liste}). Notizen und "
                "Kommentare werden nicht gelesen und stehen weder in der Übersicht noch im "
                "Korrekturexemplar. Bitte die eigene Datei aufbewahren und Wichtiges in die "
                "Tabelle übertragen (z. B. in eine Beschreibung oder Begründung).",
            )
        )
    return befunde


def _inhalt(werte: Sequence[Any], laenge: int = 160) -> str:
    """What a row holds, for a message: its filled cells, shortened."""
    text = "; ".join(_fmt(w) for w in werte if not ist_leer(w))
    return text if len(text) <= laenge else text[: laenge - 2] + " …"


#: The named cells of the Wirtschaftlichkeit the Steuerungsmappe fixes: where `_ikz` notes
#: what the workbook was written with, and what they are called.
RECHENGRUNDLAGEN = {
    "Zinssatz": ("kalkulationszinssatz", "Kalkulationszinssatz"),
    "Jahre": ("betrachtungszeitraum", "Betrachtungszeitraum"),
}


def rechengrundlagen_pruefen(r: Any, nr: int, kontext: Kontext) -> list[Befund]:
    """The Zinssatz or the Betrachtungszeitraum typed over on the Wirtschaftlichkeit (sheet
    protection removed): the AG's workbook showed another Kapitalwert than the overview, and
    nothing said so, unlike a changed Einwohner (LibreOffice probe). A Warnung at the cell."""
    befunde = []
    for name, (schluessel, bezeichnung) in RECHENGRUNDLAGEN.items():
        try:
            soll = Decimal(r.kennung[schluessel])
            blatt, adresse, wert = r.felder[name]
        except (KeyError, ArithmeticError, ValueError):
            continue  # a workbook from before, or a name gone: nothing to compare with
        zahl = isinstance(wert, int | float) and not isinstance(wert, bool)
        if zahl and math.isclose(wert, soll, rel_tol=1e-9, abs_tol=1e-12):
            continue
        vorgabe = _rechengrundlage(name, soll)
        gelesen = (
            "ist leer"
            if ist_leer(wert)
            else f"zeigt {_rechengrundlage(name, wert) if zahl else zitat(str(wert))}"
        )
        befunde.append(
            befund(
                kontext,
                nr,
                blatt,
                adresse,
                bezeichnung,
                None if ist_leer(wert) else wert,
                Stufe.WARNUNG,
                Regel.FORMEL,
                f"{blatt}!{adresse}: Der {bezeichnung} {gelesen}, vorgegeben ist {vorgabe} "
                f"(Steuerungsmappe). Die Übersicht rechnet mit {vorgabe}; die Mappe der "
                "Arbeitsgruppe zeigt daher andere Zahlen. Den Wert legt die Steuerungsgruppe "
                f"fest; das Korrekturexemplar hat wieder {vorgabe}.",
            )
        )
    return befunde


def _rechengrundlage(name: str, wert: Any) -> str:
    """3,1 % or 5 Jahre, as the workbook shows them."""
    if name == "Zinssatz":
        return f"{_fmt((Decimal(repr(wert)) if isinstance(wert, float) else wert) * 100)} %"
    return f"{_fmt(wert)} Jahre"


def blattformeln_pruefen(d: Dateiergebnis, r: Any, nr: int, kontext: Kontext) -> list[Befund]:
    """Formulas typed over or deleted on the sheets without input tables (Wirtschaftlichkeit).

    The figures of the overview are Python's and stay right; but the AG's own workbook would
    show a Kapitalwert nobody computed. `_ikz` lists where the generator put each formula.
    One Warnung per sheet; the Korrektur copy has all formulas again.
    """
    befunde = []
    for schluessel in [k for k in r.kennung if k.startswith(FORMELN)]:
        erwartet = r.kennung.pop(schluessel)  # not carried along with the result
        blatt = schluessel[len(FORMELN) :]
        vorhanden = r.blattformeln.get(blatt)
        if vorhanden is None:
            continue  # all there (counted), or the sheet is missing (a STRUKTUR finding)
        fehlend = [z for z in erwartet.split(",") if z and z not in vorhanden]
        if not fehlend:
            continue
        beispiele = ", ".join(fehlend[:5]) + (" …" if len(fehlend) > 5 else "")
        befunde.append(
            befund(
                kontext,
                nr,
                blatt,
                fehlend[0],
                None,
                None,
                Stufe.WARNUNG,
                Regel.FORMEL,
                f"{blatt}!{fehlend[0]}: Auf dem Blatt {blatt} "
                + ("wurde eine Formel" if len(fehlend) == 1 else f"wurden {len(fehlend)} Formeln")
                + f" überschrieben oder gelöscht ({beispiele}). Dort steht nicht mehr das "
                "berechnete Ergebnis; die Übersicht rechnet selbst und ist nicht betroffen. "
                "Bitte mit dem Korrekturexemplar weiterarbeiten (es hat alle Formeln) oder die "
                "Originalmappe verwenden.",
            )
        )
    return befunde


def _kosten(w: Mapping[str, Any]) -> Decimal | None:
    from ikz_excel.berechnung import kosten

    menge, satz = w.get("Menge"), w.get("Kostensatz")
    if isinstance(menge, Decimal | int) and isinstance(satz, Decimal | int):
        return kosten(Decimal(menge), Decimal(satz))
    return None


#: Kosten of one Ressourcen row above which a Warnung asks whether Menge and Kostensatz are
#: right: a whole IKZ programme of ten Kommunen costs a few millions.
KOSTEN_UNGEWOEHNLICH_AB = Decimal(10_000_000)
#: From here on, a spreadsheet's doubles no longer hold the cent of a sum (about 15
#: significant digits; differences seen from 1.2e12 euros on, cent campaign): a Fehler.
KOSTEN_UNMOEGLICH_AB = Decimal(100_000_000_000)


def _risikowert(w: Mapping[str, Any]) -> Decimal | None:
    e, a = w.get("Eintrittswahrscheinlichkeit"), w.get("Auswirkung")
    return Decimal(e * a) if isinstance(e, int) and isinstance(a, int) else None


#: Row formulas Python computes itself, by table and column: their inputs and what the cell
#: must show.
ZEILENERGEBNISSE: dict[
    tuple[str, str], tuple[tuple[str, ...], Callable[[Mapping[str, Any]], Decimal | None]]
] = {
    ("tbl_Ressourcen", "Kosten"): (("Menge", "Kostensatz"), _kosten),
    ("tbl_Risiken", "Risikowert"): (("Eintrittswahrscheinlichkeit", "Auswirkung"), _risikowert),
}


def formeln_pruefen(
    tdef: Tabelle,
    roh: Rohtabelle,
    formeln: Mapping[str, set[str]],
    nr: int,
    kontext: Kontext,
    gelesen: Gelesen | None = None,
    darunter_mit_formeln: bool = False,
    zeilenformeln: Mapping[str, set[str]] | None = None,
) -> list[Befund]:
    """A formula cell overwritten with a constant (sheet protection removed) is a Fehler.

    Python recomputes every figure anyway, but the AG's own workbook then shows a figure that
    is not computed from its inputs, and the Lenkungsgruppe would see two different numbers.
    The input rows below the table have the formula too (a row typed there counts in the
    workbook as well), so a row typed there must still have it: one inserted among them has
    none (`darunter_mit_formeln`: the workbook says it was made so). Rows beyond them, and
    below a table of a workbook made before, have none by nature and are left out.

    A formula that is there can still be wrong: a table row copied below the table brings a
    formula that refers to its own row only inside the table, and shows 0. Where Python
    computes the column itself (`ZEILENERGEBNISSE`) and the file carries the result the
    spreadsheet saved, the two must agree (given `gelesen`, the row's typed inputs). In
    LibreOffice that formula (`[#This Row]`, see `zeilenformeln`) even keeps the right saved
    value, and shows #WERT! only once Excel recalculates: its text is what tells.
    """
    befunde: list[Befund] = []
    if roh.blatt not in formeln:
        return befunde
    vorhanden = formeln[roh.blatt]
    zeilen = roh.zeilen[: len(roh.zeilen) - roh.unterhalb]
    unten = roh.darunter(tdef.reserve)[0]
    if darunter_mit_formeln:
        zeilen += unten
    kopiert = (zeilenformeln or {}).get(roh.blatt, set())
    erste: str | None = None  # the first copied formula's cell: its finding explains
    # the columns a clerk types into: a row with none of them filled is an empty row
    eingaben = [
        roh.koepfe.index(s.kopf) for s in tdef.spalten if s.typ != "formel" and s.kopf in roh.koepfe
    ]
    for spalte in tdef.spalten:
        if spalte.typ != "formel" or spalte.kopf not in roh.koepfe:
            continue
        i = roh.koepfe.index(spalte.kopf)
        rechnen = ZEILENERGEBNISSE.get((tdef.name, spalte.kopf)) if gelesen else None
        typisiert = dict(gelesen.zeilen) if gelesen and rechnen else {}
        gemeldet = set()
        leere_ohne: list[int] = []  # empty rows whose formula is gone: one finding for all
        leere_fest: list[tuple[int, Any]] = []  # empty rows with a constant instead: the same
        for zeile, _ in unten:
            adresse = roh.zelle(zeile, spalte.kopf)
            if adresse in kopiert:
                gemeldet.add(adresse)
                befunde.append(_zeilenformel_befund(roh, zeile, spalte.kopf, nr, kontext, erste))
                erste = erste or adresse
        for zeile, werte in zeilen:
            adresse = roh.zelle(zeile, spalte.kopf)
            if adresse in gemeldet:
                continue
            if adresse in vorhanden:
                if rechnen is not None and zeile in typisiert:
                    befunde += _ergebnis_pruefen(
                        roh, werte, typisiert[zeile], rechnen, zeile, spalte.kopf, nr, kontext
                    )
                continue
            wert = werte[i]
            leer = ist_leer(wert)
            if all(j >= len(werte) or ist_leer(werte[j]) for j in eingaben):
                if leer:
                    leere_ohne.append(zeile)
                    continue
                leere_fest.append((zeile, wert))
                if len(leere_fest) > 1:
                    continue
            # What the workbook then leaves out of its own sums, while the overview has it.
            folge = ""
            if leer and rechnen is not None and zeile in typisiert:
                ergebnis = rechnen[1](typisiert[zeile])
                if ergebnis:
                    folge = (
                        f" Die Mappe rechnet {spalte.kopf} dieser Zeile ({_fmt(ergebnis)}) "
                        "daher nirgends mit, die Übersicht schon."
                    )
            befunde.append(
                befund(
                    kontext,
                    nr,
                    roh.blatt,
                    adresse,
                    spalte.kopf,
                    None if leer else wert,
                    Stufe.WARNUNG if leer else Stufe.FEHLER,
                    Regel.FORMEL,
                    f"{roh.blatt}!{adresse} ({spalte.kopf}): "
                    + (
                        # LibreOffice leaves the formula out of a row inserted in a table
                        "Hier fehlt die Formel (gelöscht, oder die Zeile wurde eingefügt)"
                        if leer
                        else f"Die Formel wurde durch den festen Wert {_fmt(wert)} ersetzt"
                    )
                    + "."
                    + folge
                    + " Dieses Feld wird berechnet; das Korrekturexemplar hat die Formel "
                    "wieder, bitte damit weiterarbeiten.",
                )
            )
        if leere_ohne:
            befunde.append(_leere_ohne_formel(roh, spalte.kopf, leere_ohne, nr, kontext))
        if len(leere_fest) > 1:  # the first one's finding stands for all
            erste_fest = roh.zelle(leere_fest[0][0], spalte.kopf)
            befunde = [b for b in befunde if not (b.blatt == roh.blatt and b.zelle == erste_fest)]
            befunde.append(_leere_mit_festem_wert(roh, spalte.kopf, leere_fest, nr, kontext))
    return befunde


def _leere_mit_festem_wert(
    roh: Rohtabelle, kopf: str, zeilen: Sequence[tuple[int, Any]], nr: int, kontext: Kontext
) -> Befund:
    """A constant over the formula of two or more empty rows: one Fehler at the first,
    naming all.

    A figure typed into the first Kosten cell and dragged down the whole column replaced
    the formula in the 32 empty rows too, each a Fehler in the same words (Calc test 24); the
    few about rows with entries, which keep one each, were lost among them. It stays a
    Fehler, as in a row with entries: the workbook shows a figure nobody entered."""
    werte = {_fmt(w) for _, w in zeilen}
    wert = f"den festen Wert {next(iter(werte))}" if len(werte) == 1 else "feste Werte"
    wo, in_zeilen = _leere_zeilen_bereich(roh, kopf, [z for z, _ in zeilen])
    return befund(
        kontext,
        nr,
        roh.blatt,
        roh.zelle(zeilen[0][0], kopf),
        kopf,
        zeilen[0][1],
        Stufe.FEHLER,
        Regel.FORMEL,
        f"{wo} ({kopf}): {in_zeilen} wurde die Formel durch {wert} ersetzt (wohl nach unten "
        "ausgefüllt). Dieses Feld wird berechnet; das Korrekturexemplar hat die Formeln "
        "wieder, bitte damit weiterarbeiten.",
    )


def _leere_zeilen_bereich(roh: Rohtabelle, kopf: str, zeilen: Sequence[int]) -> tuple[str, str]:
    """Where the empty rows of one finding are, and "In diesen 32 leeren Zeilen" (or "In 33
    leeren Zeilen dazwischen", when rows with entries lie between): "I8 bis I44 … In 33
    leeren Zeilen" left the reader to count which of the 37 rows were meant (review 24).
    More than one row."""
    erste, letzte = roh.zelle(zeilen[0], kopf), roh.zelle(zeilen[-1], kopf)
    if zeilen[-1] - zeilen[0] + 1 == len(zeilen):
        return f"{roh.blatt}!{erste} bis {letzte}", f"In diesen {len(zeilen)} leeren Zeilen"
    return f"{roh.blatt}!{erste} bis {letzte}", f"In {len(zeilen)} leeren Zeilen dazwischen"


def _leere_ohne_formel(
    roh: Rohtabelle, kopf: str, zeilen: Sequence[int], nr: int, kontext: Kontext
) -> Befund:
    """The formula gone from empty rows of a table: one finding at the first, naming all.

    A clerk who clears the whole formula column (protection removed, column selected, Entf)
    clears it in the forty empty rows too; forty findings of the same words would bury what
    matters in the rows with entries, which keep one each. Nothing there is lost yet: what is
    typed into such a row later is what the workbook would leave out of its sums.
    """
    if len(zeilen) == 1:
        wo = f"{roh.blatt}!{roh.zelle(zeilen[0], kopf)}"
        was = "Hier fehlt in einer leeren Zeile die Formel"
    else:
        wo, in_zeilen = _leere_zeilen_bereich(roh, kopf, zeilen)
        was = f"{in_zeilen} fehlt die Formel"
    return befund(
        kontext,
        nr,
        roh.blatt,
        roh.zelle(zeilen[0], kopf),
        kopf,
        None,
        Stufe.WARNUNG,
        Regel.FORMEL,
        f"{wo} ({kopf}): {was} (gelöscht, oder die Zeile wurde eingefügt). Wird dort "
        f"später etwas eingetragen, rechnet die Mappe {kopf} dieser Zeilen nicht aus. Dieses "
        "Feld wird berechnet; das Korrekturexemplar hat die Formeln wieder, bitte damit "
        "weiterarbeiten.",
    )


def _sortierung(reihenfolge: Mapping[str, int], b: Befund) -> tuple:
    """File-level findings first, then sheets in workbook order, then cells top to bottom."""
    from ikz_excel.einlesen import _bezug_zerlegen

    ort = _bezug_zerlegen(f"X!{b.zelle}") if b.zelle else None
    return (
        reihenfolge.get(b.blatt or "", -1 if b.blatt is None else 99),
        ort[1] if ort else 0,
        ort[2] if ort else 0,
        b.regel,
    )


def _kennung_pruefen(
    d: Dateiergebnis, r: Any, mappe_def: Any, ags: Mapping[str, Any], st: Any
) -> bool:
    k = r.kennung
    if not k:
        vorlage = {b.name for b in mappe_def.blaetter if b.art != "intern"}
        if len(vorlage & {name for name, _ in r.blaetter}) > len(vorlage) / 2:
            # LibreOffice keeps no sheet "very hidden": after one save there, _ikz can be
            # shown, renamed or deleted like any other (LibreOffice probe)
            meldung = (
                "Die Mappe hat die Blätter der Arbeitsmappe, aber ihr internes Blatt _ikz fehlt "
                "(umbenannt oder gelöscht?); ohne es lässt sie sich keiner Arbeitsgruppe "
                "zuordnen. Bitte die Eingaben in die von der Steuerungsgruppe verschickte "
                "Mappe (oder ein Korrekturexemplar) übertragen und diese senden."
            )
        else:
            meldung = (
                "Die Datei ist keine Arbeitsmappe dieses Programms (das interne Blatt _ikz "
                "fehlt). Bitte die von der Steuerungsgruppe verschickte Mappe ausfüllen; eine "
                "selbst erstellte Tabelle kann nicht eingelesen werden."
            )
        _datei_befund(d, Stufe.FEHLER, Regel.STRUKTUR, f"{d.name}: {meldung}")
        return False
    if k.get("vorlage_id") != mappe_def.vorlage_id:
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.DATEI,
            f"{d.name}: Die Datei ist mit einer anderen Vorlage erstellt "
            f"({k.get('vorlage_id')!r}) und keine Arbeitsmappe dieses Programms.",
        )
        return False
    # the AG as the Steuerungsmappe calls it now: a Kürzel changed in case only is that AG
    d.arbeitsgruppe = st.kuerzel_jetzt(k.get("arbeitsgruppe")) or k.get("arbeitsgruppe")
    version = vorlagenversion(k)
    if version != mappe_def.schema_version:
        if version in mappe_def.lesbare_versionen and mappe_def.nur_anzeige_seit(version):
            # no figure differs: no reason to send the AG a copy (review: every valid return
            # got a Warnung and a Korrektur copy for a new line on the cover)
            _datei_befund(
                d,
                Stufe.HINWEIS,
                Regel.VERSION,
                f"{d.name}: Die Mappe stammt aus der {AELTERE_VORLAGE} {version} "
                f"(aktuell {mappe_def.schema_version}); seither hat sich nur die Anzeige der "
                "Mappe geändert, Eingaben und Zahlen sind dieselben: "
                + " ".join(mappe_def.aenderungen_seit(version))
                + " Die Arbeitsgruppe kann mit ihrer Mappe weiterarbeiten.",
            )
        elif version in mappe_def.lesbare_versionen:
            seither = " ".join(mappe_def.aenderungen_seit(version))
            _datei_befund(
                d,
                Stufe.WARNUNG,
                Regel.VERSION,
                f"{d.name}: Die Mappe stammt aus der {AELTERE_VORLAGE} {version} "
                f"(aktuell {mappe_def.schema_version}). Sie wird gelesen und nach der aktuellen "
                "Vorlage gerechnet; die Mappe selbst zeigt vielleicht andere Zahlen."
                + (f" Seither geändert: {seither}" if seither else "")
                + " Für die weitere Arbeit die aktuelle Vorlage verwenden: eine neue "
                "Arbeitsmappe oder, wenn eines geschrieben wird, das Korrekturexemplar.",
            )
        elif version > mappe_def.schema_version:  # a colleague's newer ikz_excel made it
            _datei_befund(
                d,
                Stufe.FEHLER,
                Regel.VERSION,
                f"{d.name}: Die Mappe stammt aus der neueren Vorlagenversion {version}; dieses "
                f"ikz_excel kennt Versionen bis {mappe_def.schema_version}. Bitte ikz_excel "
                "aktualisieren (README: ikz_excel mitten im Programm aktualisieren).",
            )
            return False
        else:
            _datei_befund(
                d,
                Stufe.FEHLER,
                Regel.VERSION,
                f"{d.name}: Die Mappe stammt aus der Vorlagenversion {version}, die nicht "
                f"mehr gelesen werden kann (aktuell {mappe_def.schema_version}). Bitte "
                "die Eingaben in die aktuelle Arbeitsmappe übertragen.",
            )
            return False
    if not _kennwerte_lesbar(k):
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.DATEI,
            f"{d.name}: Das interne Blatt _ikz ist verändert (Betrachtungszeitraum, Zinssatz "
            "oder Startjahr unlesbar). Bitte die Originalmappe verwenden.",
        )
        return False
    fremd = _fremdes_programm(k, st)
    if fremd is not None:
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.STRUKTUR,
            f"{d.name}: Die Mappe gehört zum Programm {fremd!r}, nicht zu {st.programm!r}; "
            "auch ihre Partnerkommunen sind andere. Sie wird nicht gelesen und zählt nicht. "
            "Bitte prüfen, wie sie in den Eingang kam; die Arbeitsgruppe braucht die Mappe "
            "aus diesem Programm (Ordner ausgang/). Wurden Programmname und Kommunen in der "
            "Steuerungsmappe geändert, nachdem die Mappen verschickt waren, sagen das alle "
            "Rückläufe: dann dort die alten Namen wiederherstellen.",
        )
        return False
    if d.arbeitsgruppe not in ags:
        _datei_befund(d, Stufe.FEHLER, Regel.STRUKTUR, _unbekannte_ag(d.name, k, st))
        return False
    genannt = _ag_im_dateinamen(d.name, ags)
    if genannt and d.arbeitsgruppe not in genannt:
        # A file is recognised by _ikz, not by its name; but a name that says another AG
        # suggests a mix-up, and this file may replace the named AG's return unnoticed.
        _datei_befund(
            d,
            Stufe.WARNUNG,
            Regel.DATEI,
            f"{d.name}: {DATEINAME_NENNT} {', '.join(genannt)}, die Mappe gehört aber zu "
            f"{d.arbeitsgruppe} (erkannt am internen Blatt _ikz) und zählt für "
            f"{d.arbeitsgruppe}. Bitte nachfragen, ob {', '.join(genannt)} die eigene Mappe "
            "schicken wollte.",
        )
    return True


DATEINAME_NENNT = "Der Dateiname nennt"  # a Warnung for the Steuerungsgruppe only
#: The version that counts is older in its Stammdaten than one it replaced: for the
#: Steuerungsgruppe only, too (a copy made for it alone would be of trimmed tables).
ZAEHLT_TROTZDEM = "Diese Fassung zählt (zuletzt gespeichert)"
#: The Warnung of a return from an older, still readable template version (not to be confused
#: with one from older Stammdaten: both are Regel.VERSION without a cell).
AELTERE_VORLAGE = "älteren Vorlagenversion"
#: How a return made from older Stammdaten is told (its VERSION finding says so).
ALTE_STAMMDATEN = "mit älteren Stammdaten erzeugt"
#: ... and one whose workbook computes with other figures than the overview (Zinssatz,
#: Zeitraum, Startjahr, Partner, Einwohner of the key): `zeigt_andere_zahlen`
ANDERE_ZAHLEN = "die Mappe der Arbeitsgruppe zeigt daher andere Zahlen"


def zeigt_andere_zahlen(d: Dateiergebnis) -> bool:
    """Whether the AG's workbook shows other figures than the overview computes: made from
    older Stammdaten, it keeps the old Zinssatz or Zeitraum. The overview says so at the
    return (session 23): the LG comparing the AG's own figures with it found two
    Kapitalwerte and only "gültig mit Warnungen"."""
    return any(
        b.regel is Regel.VERSION and ALTE_STAMMDATEN in b.meldung and ANDERE_ZAHLEN in b.meldung
        for b in d.befunde
    )


def unlesbare_je_ag(dateien: Iterable[Dateiergebnis], st: Any) -> dict[str, list[str]]:
    """The files without an AG (not read: .ods, encrypted, broken) by the AG their name
    names, where it names exactly one. Such an AG has sent something: "kein Rücklauf" alone
    had the Steuerungsgruppe remind it of the deadline instead of asking for an .xlsx (probe
    of odd returns)."""
    ags = {a.kuerzel: a for a in st.arbeitsgruppen}
    je_ag: dict[str, list[str]] = {}
    for d in dateien:
        if not d.arbeitsgruppe and len(genannt := _ag_im_namen_oder_ordner(d.name, ags)) == 1:
            je_ag.setdefault(genannt[0], []).append(d.name)
    return je_ag


def _ag_im_namen_oder_ordner(name: str, ags: Mapping[str, Any]) -> list[str]:
    """The AGs the file name names, else those of its nearest folder that names any: eingang/
    sorted by AG ("AG-05/Arbeitsmappe.xlsx", 0 bytes) left AG-05 "noch kein Rücklauf" though
    it had sent something (session 24)."""
    *ordner, datei = re.split(r"[\\/]", name)
    if genannt := _ag_im_dateinamen(datei, ags):
        return genannt
    for teil in reversed(ordner):
        # as a file name with an extension: the dots of "Mail vom 20.11.2012" are not one
        if genannt := _ag_im_dateinamen(f"{teil}.xlsx", ags):
            return genannt
    return []


def fremde_je_ag(dateien: Iterable[tuple[str, str | None]], st: Any) -> dict[str, list[str]]:
    """The workbooks of another AG by the one AG their file name names, each as "name (Mappe
    von AG-01)". "AW_ AG-04 Kultur.xlsx" holding AG-01's workbook (AG-04 filled the wrong blank
    one, or forwarded AG-01's) counts for AG-01; AG-04 stood under "Noch kein Rücklauf" as if
    it had sent nothing, and for a byte-identical copy the console said nothing at all about
    the name (session 24): whom to ask is AG-04, not whom to remind.

    Args:
        dateien: (name, AG recognised by _ikz) of each file, copies of the same bytes too.
    """
    ags = {a.kuerzel: a for a in st.arbeitsgruppen}
    je_ag: dict[str, list[str]] = {}
    for name, ag in dict.fromkeys(dateien):
        if ag in ags and len(genannt := _ag_im_dateinamen(name, ags)) == 1 and genannt[0] != ag:
            je_ag.setdefault(genannt[0], []).append(f"{name} (Mappe von {ag})")
    return je_ag


def _ag_im_dateinamen(name: str, ags: Mapping[str, Any]) -> list[str]:
    """The AG Kürzel a file name contains as a word of its own ("AG-02 Müller.xlsx",
    "ag-10_final.xlsx"); a word may hold hyphens, as Kürzel do."""
    stamm = re.split(r"[\\/]", name)[-1].rsplit(".", 1)[0]  # a Windows path has backslashes
    kuerzel = _kuerzel_klein(tuple(ags))
    gefunden = []
    for wort in re.findall(r"[^\W_]+(?:-[^\W_]+)*", stamm):
        teile = wort.casefold().split("-")  # "AG-01-final" holds "AG-01"
        gefunden += [
            kuerzel[anfang]
            for i in range(1, len(teile) + 1)
            if (anfang := "-".join(teile[:i])) in kuerzel
        ]
    return list(dict.fromkeys(gefunden))


@functools.lru_cache(maxsize=4)
def _kuerzel_klein(kuerzel: tuple[str, ...]) -> dict[str, str]:
    """The Kürzel by their casefolded form: once per run, not once per file (1,000 AGs)."""
    return {k.casefold(): k for k in kuerzel}


def _unbekannte_ag(name: str, k: Mapping[str, str], st: Any) -> str:
    """Why a workbook of this programme names an AG the Steuerungsmappe does not know.

    A workbook of another programme was turned away before (`_fremdes_programm`): this one
    is ours, and its AG was most likely renamed or deleted on the sheet Arbeitsgruppen after
    the workbooks went out. Its figures cannot be given to any AG, so it stays a Fehler; the
    message says which AG it may be now (same Handlungsfeld or name) and the two ways out.
    """
    ag = k.get("arbeitsgruppe")
    if not ag:
        return (
            f"{name}: Das interne Blatt _ikz nennt keine Arbeitsgruppe; die Zahlen lassen sich "
            "keiner zuordnen und zählen nicht. Bitte die Eingaben in die Mappe der "
            "Arbeitsgruppe aus dem Ordner ausgang/ übertragen."
        )
    kandidaten = [
        a.kuerzel
        for a in st.arbeitsgruppen
        if (k.get("handlungsfeld") and a.handlungsfeld == k.get("handlungsfeld"))
        or (k.get("bezeichnung") and a.bezeichnung == k.get("bezeichnung"))
    ]
    vermutung = f" (vielleicht in {' oder '.join(kandidaten)})" if 0 < len(kandidaten) <= 2 else ""
    mappe = f"von {kandidaten[0]}" if len(kandidaten) == 1 else "der umbenannten Arbeitsgruppe"
    blatt = st.blatt("tbl_Arbeitsgruppen")
    return (
        f"{name}: Die Arbeitsgruppe {ag!r} steht nicht (mehr) in der Steuerungsmappe (Blatt "
        f"{blatt}). Wurde sie umbenannt{vermutung} oder gelöscht? Die Zahlen lassen "
        "sich keiner Arbeitsgruppe zuordnen und zählen nicht. Entweder das Kürzel "
        f"{ag!r} auf dem Blatt {blatt} wieder eintragen, dann zählt diese Mappe; oder "
        f"mit 'ikz erzeugen' die Mappe {mappe} schreiben und die Arbeitsgruppe bitten, ihre "
        "Eingaben dorthin zu übertragen."
    )


def _partner(k: Mapping[str, str]) -> tuple[str, ...]:
    """The partner Kommunen a workbook was made for, as its `_ikz` names them."""
    return tuple(p.strip() for p in k.get("partner", "").split(";") if p.strip())


def _fremdes_programm(k: Mapping[str, str], st: Any) -> str | None:
    """The name of the other programme a workbook belongs to, or None if it is this one's.

    Its AG proves nothing: every programme has an AG-01, and read as ours such a workbook
    would bring its own figures and Kommunen into the overview and replace the real return.
    The programme's name alone proves too much: it may be corrected in the Steuerungsmappe
    after the workbooks went out, and a Kommune renamed too. Another name and partners of whom
    fewer than half are this programme's Kommunen together do.
    """
    programm = k.get("programm")
    if not programm or programm == st.programm:
        return None
    bekannt = {kommune.name for kommune in st.kommunen}
    partner = _partner(k)
    if not partner or 2 * sum(p in bekannt for p in partner) >= len(partner):
        return None
    return programm


def _kennwerte_lesbar(k: Mapping[str, str]) -> bool:
    """The parameters in `_ikz` are compared with the Steuerungsmappe's and named in messages
    (the figures use the Steuerungsmappe's): unreadable ones mean `_ikz` was edited."""
    from decimal import InvalidOperation

    try:
        jahre = int(k.get("betrachtungszeitraum") or 5)
        zins = Decimal(k.get("kalkulationszinssatz") or "0")
        start = int(k.get("startjahr") or 2000)
    except (ValueError, InvalidOperation):
        return False
    if not zins.is_finite():  # "NaN" would raise on comparing
        return False
    return 1 <= jahre <= 30 and Decimal(0) <= zins <= Decimal("0.15") and 1990 <= start <= 2100


def _struktur_pruefen(d: Dateiergebnis, r: Any, mappe_def: Any) -> bool:
    """Renamed or deleted sheets, tables and columns: say which, and how to repair."""
    ok = True
    blaetter = {n for n, _ in r.blaetter}
    for blatt in mappe_def.blaetter:
        if blatt.art in ("tabellen",) and blatt.name not in blaetter:
            fremd = sorted(blaetter - mappe_def.blattnamen)
            namen = ", ".join(name_mit_unterschied(f, blatt.name) for f in fremd)
            tipp = f" Vorhanden sind stattdessen: {namen}." if fremd else ""
            _datei_befund(
                d,
                Stufe.FEHLER,
                Regel.STRUKTUR,
                f"{d.name}: Das Blatt {blatt.name!r} fehlt oder wurde umbenannt.{tipp} "
                "Bitte den ursprünglichen Blattnamen wiederherstellen.",
                blatt.name,
            )
            ok = False
    if (
        ok
        and mappe_def.tabellen
        and not any(
            t.name in r.tabellen and not r.tabellen[t.name].ueber_kopf
            for _, t in mappe_def.tabellen
        )
    ):
        return _ohne_tabellen(d, r, mappe_def)
    folge = [*(b.name for b in mappe_def.blaetter if b.art != "intern"), LISTENBLATT]
    geloescht = [name for name in folge if name not in blaetter]

    def danach_geloescht(blatt: str) -> str | None:
        """The deleted sheet that followed `blatt` in the template: LibreOffice drops the
        tables of the sheet before a deleted one (LibreOffice probe), of no other. A deleted
        Hinweise sheet, first of all, explains no lost table (review21: a table turned into
        a range got that explanation and the return was not read)."""
        i = folge.index(blatt) + 1
        return folge[i] if i < len(folge) and folge[i] in geloescht else None

    intakt = any(
        t.name in r.tabellen and not r.tabellen[t.name].ueber_kopf for _, t in mappe_def.tabellen
    )
    vorlage = {t.name for _, t in mappe_def.tabellen}
    # a name of its own: `fremd` below holds a table's foreign column headers
    ersatz = fremde_tabellen(((n, t.blatt) for n, t in r.tabellen.items()), vorlage)
    # a table of a copied sheet ("tbl_Ressourcen_2"): where its original sheet was deleted in
    # LibreOffice and the copy renamed, LibreOffice lost the table of the sheet before it too
    kopie = next(
        (
            (n, b)
            for b, namen in ersatz.items()
            for n in namen
            if re.sub(r"_\d+$", "", n) in vorlage
        ),
        None,
    )
    konvertiert: list[int] = []  # the findings of tables turned into a range, by index
    for blatt, tdef in mappe_def.tabellen:
        roh = r.tabellen.get(tdef.name)
        if (
            roh is not None
            and roh.ueber_kopf
            and danach_geloescht(blatt.name) is None
            and kopie is None
        ):
            # One table turned into a range ("In Bereich konvertieren"), the others intact:
            # read by its header row as after a round trip through .xls (`_ohne_tabellen`),
            # its entries go into the Korrektur copy, which has the table again.
            konvertiert.append(len(d.befunde))
            _datei_befund(
                d,
                Stufe.FEHLER,
                Regel.STRUKTUR,
                f"{d.name}: Auf dem Blatt {blatt.name} ist {tdef.name} keine Tabelle mehr "
                "(vermutlich in einen normalen Zellbereich umgewandelt: Tabellenentwurf > In "
                f"Bereich konvertieren). {UEBER_KOEPFE_GELESEN} {OHNE_KORREKTUREXEMPLAR}",
                blatt.name,
            )
        elif roh is not None and roh.ueber_kopf and intakt:
            roh = None  # a sheet deleted or replaced too: the message below says what happened
        if roh is None:
            if blatt.name in blaetter:
                andere = ersatz.get(blatt.name, [])
                if len(andere) == 1:  # the sheet copied ("tbl_Ressourcen_2"), or renamed
                    was = (
                        f"Die Tabelle dort heißt jetzt {andere[0]!r} (wohl eine Kopie des "
                        "Blatts). Bitte die Eingaben in die Originalmappe übertragen; "
                        "wer den Blattschutz aufheben kann, kann die Tabelle auch wieder "
                        f"{tdef.name!r} nennen (Excel: Tabellenentwurf > Tabellenname; "
                        "LibreOffice: Daten > Bereich festlegen…, den Bereich "
                        f"{andere[0]!r} wählen, als Name {tdef.name!r} eintragen, "
                        f"Hinzufügen, dann {andere[0]!r} löschen)."
                    )
                elif (weg := danach_geloescht(blatt.name)) is not None:
                    # LibreOffice drops the tables of the sheet before a deleted one when it
                    # saves as .xlsx; the cells stay (LibreOffice probe)
                    was = (
                        f"Zugleich fehlt das Blatt {zitat(weg)}: Wurde es in "
                        "LibreOffice gelöscht, verliert LibreOffice beim Speichern auch "
                        "Tabellen anderer Blätter; die Eingaben stehen noch da. Bitte die "
                        "Eingaben in die Originalmappe übertragen."
                    )
                elif kopie is not None:
                    # the same, where the deleted sheet was a copy's original and the copy
                    # took its name ("Ressourcen_2" renamed "Ressourcen"): no sheet is missing
                    was = (
                        f"Zugleich ist die Tabelle {kopie[0]!r} auf dem Blatt {kopie[1]} die "
                        "einer Kopie: Wurde dort das Originalblatt in LibreOffice gelöscht, "
                        "verliert LibreOffice beim Speichern auch Tabellen anderer Blätter; die "
                        "Eingaben stehen noch da. Bitte die Eingaben in die Originalmappe "
                        "übertragen."
                    )
                else:
                    was = (
                        "Vermutlich wurde sie in einen normalen Zellbereich umgewandelt "
                        "(Tabellenentwurf > In Bereich konvertieren) oder gelöscht. Bitte die "
                        "Eingaben in die Originalmappe übertragen."
                    )
                _datei_befund(
                    d,
                    Stufe.FEHLER,
                    Regel.STRUKTUR,
                    f"{d.name}: Auf dem Blatt {blatt.name} fehlt die Tabelle {tdef.name}. {was}",
                    blatt.name,
                )
            ok = False
            continue
        fehlend = [k for k in tdef.koepfe if k not in roh.koepfe]
        fremd = [k for k in roh.koepfe if k not in tdef.koepfe]
        # One header renamed in place, nothing else moved: the column is still the one of the
        # template. It is read as such (the Fehler stays), so the AG gets a Korrektur copy
        # with its entries under the right header instead of only a message.
        umbenannt = (
            len(fremd) == len(fehlend) == 1
            and len(roh.koepfe) == len(tdef.koepfe)
            and roh.koepfe.index(fremd[0]) == tdef.koepfe.index(fehlend[0])
        )
        for kopf in fehlend:
            namen = ", ".join(name_mit_unterschied(f, kopf) for f in fremd)
            tipp = f" (stattdessen gefunden: {namen})" if fremd else ""
            # The header cell to repair, when it is clear: one column renamed.
            adresse = None
            if len(fremd) == len(fehlend) == 1:
                adresse = zelle(roh.kopfzeile, roh.erste_spalte + roh.koepfe.index(fremd[0]))
            wo = f" in {roh.blatt}!{adresse}" if adresse else ""
            was = f"Bitte die Spaltenüberschrift{wo} wiederherstellen."
            if not fremd:  # no header in its place: the column was deleted, entries and all
                adresse, was = _geloeschte_spalte(tdef, roh, kopf)
            befund = _spaltenbefund(
                d,
                roh,
                adresse,
                kopf,
                Stufe.FEHLER,
                f"{d.name}, Blatt {roh.blatt}: {_in_der_tabelle(tdef)} fehlt die Spalte "
                f"{kopf!r}{tipp}. {was}",
            )
            if umbenannt:
                befund = dataclasses.replace(befund, wert=fremd[0])
            d.befunde.append(befund)
        if umbenannt:
            roh.koepfe = tdef.koepfe
        elif fehlend:
            ok = False
        if not fehlend:
            d.befunde += _fremde_spalten(d, roh, fremd)
    if not ok:
        # another table's structure stops the reading: nothing was read and no Korrektur
        # copy can be written, with or without --ohne-berichte
        for i in konvertiert:
            b = d.befunde[i]
            d.befunde[i] = dataclasses.replace(
                b,
                meldung=b.meldung.removesuffix(f"{UEBER_KOEPFE_GELESEN} {OHNE_KORREKTUREXEMPLAR}")
                + ERST_NACH_DER_STRUKTUR,
            )
    return ok


def _geloeschte_spalte(tdef: Tabelle, roh: Any, kopf: str) -> tuple[str | None, str]:
    """(cell, what to do) for a template column missing without another header in its place.

    Deleted, then (Spalten löschen, after removing the sheet protection): there is no header
    to put back, as the message for a renamed one says, and its entries went with it. Where
    to insert it again is named by its neighbour, as the file has it now; the rest of the
    workbook is read only once it is back.
    """
    i = tdef.koepfe.index(kopf)
    links = next((k for k in reversed(tdef.koepfe[:i]) if k in roh.koepfe), None)
    rechts = next((k for k in tdef.koepfe[i + 1 :] if k in roh.koepfe), None)
    if rechts is not None:
        adresse = zelle(roh.kopfzeile, roh.erste_spalte + roh.koepfe.index(rechts))
        wo = f"vor der Spalte {rechts!r} ({roh.blatt}!{adresse})"
    elif links is not None:
        adresse = zelle(roh.kopfzeile, roh.erste_spalte + roh.koepfe.index(links) + 1)
        wo = f"nach der Spalte {links!r} ({roh.blatt}!{adresse})"
    else:
        adresse, wo = None, "in die Tabelle"
    return adresse, (
        f"Sie wurde wohl mit ihren Einträgen gelöscht. Bitte {wo} wieder eine Spalte "
        f"einfügen, als Überschrift {kopf!r} eintragen und ihre Einträge neu eingeben, oder "
        "die Eingaben in die Originalmappe übertragen. Die übrigen Eingaben der Mappe werden "
        "erst danach gelesen."
    )


# The Fehler of a return read by its header rows says what becomes of its entries. The check
# writes no copy: `berichte_schreiben` swaps the last sentence for `IM_KORREKTUREXEMPLAR` in
# the returns it writes one for; `ikz pruefen --ohne-berichte` writes none.
UEBER_KOEPFE_GELESEN = "Die Einträge wurden über die Spaltenköpfe gelesen und geprüft."
OHNE_KORREKTUREXEMPLAR = (
    "Ein Korrekturexemplar, das die Tabellen wieder hat und diese Einträge trägt, wurde "
    "nicht geschrieben; es entsteht mit dem Prüfbericht ('ikz pruefen' ohne --ohne-berichte)."
)
#: ... where another Fehler of the workbook's structure stops the reading
ERST_NACH_DER_STRUKTUR = (
    "Ihre Einträge werden über die Spaltenköpfe gelesen, sobald die übrigen Fehler im Aufbau "
    "der Mappe behoben sind; dann entsteht auch ein Korrekturexemplar, das die Tabelle wieder "
    "hat. Bis dahin wird aus der Mappe nichts gelesen."
)
#: ... where the copy was to be written and could not be (`berichte_schreiben`)
NICHT_GESCHRIEBEN = (
    "Das Korrekturexemplar, das die Tabellen wieder hätte und diese Einträge trüge, ließ sich "
    "nicht schreiben (siehe die Warnung dazu); es entsteht, sobald das behoben ist und erneut "
    "geprüft wird."
)
IM_KORREKTUREXEMPLAR = (
    "Sie stehen im Korrekturexemplar, das die Tabellen wieder hat; bitte dort prüfen (auch "
    "die übrigen Meldungen) und dieses Exemplar zurückschicken."
)


def _ohne_tabellen(d: Dateiergebnis, r: Any, mappe_def: Any) -> bool:
    """Every sheet there, no table left: the return went through the old .xls format
    (LibreOffice keeps no tables there; saved back as .xlsx they stay lost). The entries are
    still in the cells: read by the tables' header rows, they go into the Korrektur copy,
    which has the tables again, so the clerk checks it instead of typing everything anew.

    One Fehler stays (the return is not counted as if nothing had happened: the header rows
    and the rows below them are a guess the AG confirms). A table whose header row is not
    found (deleted, a column name typed over) is named with its sheet; then nothing is read,
    and the AG restores that header row or types the entries into the original workbook.
    """
    fehlen = [(blatt, tdef) for blatt, tdef in mappe_def.tabellen if tdef.name not in r.tabellen]
    anfang = (
        f"{d.name}: Die Mappe hat ihre Tabellen verloren (so kommt es, wenn sie zwischendurch "
        "im alten Excel-Format .xls gespeichert wurde: LibreOffice behält dabei keine "
        "Tabellen, auch nicht beim Zurückspeichern als .xlsx)."
    )
    if not fehlen:
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.STRUKTUR,
            f"{anfang} {UEBER_KOEPFE_GELESEN} {OHNE_KORREKTUREXEMPLAR}",
        )
        return True
    if len(fehlen) == len(mappe_def.tabellen):  # not one header row: one message, not nine
        blatt, tdef = fehlen[0]
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.STRUKTUR,
            f"{anfang} Auch ihre Kopfzeilen sind nicht zu finden (etwa die der Tabelle "
            f"{tdef.name} auf dem Blatt {blatt.name}: {' | '.join(tdef.koepfe)}). Bitte die "
            "Eingaben in die Originalmappe (.xlsx) übertragen und diese senden.",
        )
        return False
    for blatt, tdef in fehlen:
        koepfe = " | ".join(tdef.koepfe)
        _datei_befund(
            d,
            Stufe.FEHLER,
            Regel.STRUKTUR,
            f"{d.name}: Auf dem Blatt {blatt.name} ist die Kopfzeile der Tabelle {tdef.name} "
            f"({koepfe}) nicht zu finden (gelöscht oder überschrieben?); ihre Einträge lassen "
            "sich so nicht zuordnen.",
            blatt.name,
        )
    _datei_befund(
        d,
        Stufe.FEHLER,
        Regel.STRUKTUR,
        f"{anfang} Die Einträge stehen noch in den Zellen, aber ohne die genannte Kopfzeile "
        "lassen sie sich nicht lesen. Bitte die Kopfzeile mit genau diesen Spaltennamen "
        "wiederherstellen und die Datei erneut senden (dann kommt ein Korrekturexemplar mit "
        "allen Einträgen zurück) oder die Eingaben in die Originalmappe (.xlsx) übertragen "
        "und diese senden.",
    )
    return False


def name_mit_unterschied(gefunden: str, soll: str) -> str:
    """A sheet or column name found instead of `soll`, quoted as it looks, with what differs
    when the clerk cannot see it (review: "Ressourcen " with a space at the end, "Stärken–
    Schwächen" with a dash, 'Kostensatz\n(€)' in Python's notation)."""
    text = zitat(gefunden)
    if gefunden != gefunden.strip() and gefunden.strip() == soll:
        return f"{text} (mit Leerzeichen oder Zeilenumbruch am Rand)"
    if vergleichbar(gefunden) == vergleichbar(soll):
        return (
            f"{text} (unterscheidet sich nur in Leerzeichen, Strichen oder Groß-/Kleinschreibung)"
        )
    if "\n" in gefunden:
        return f"{text} (mit Zeilenumbruch)"
    return text


def _spaltenbefund(
    d: Dateiergebnis, roh: Any, adresse: str | None, kopf: str, stufe: Stufe, meldung: str
) -> Befund:
    """A finding about a column of a table as found: renamed, missing or inserted."""
    return Befund(
        d.name, d.arbeitsgruppe, roh.blatt, adresse, kopf, None, stufe, Regel.STRUKTUR, meldung
    )


def _fremde_spalten(d: Dateiergebnis, roh: Any, fremd: list[str]) -> list[Befund]:
    """A column the clerk inserted into a table: what it holds is read nowhere, so say so."""
    befunde = []
    for kopf in fremd:
        i = roh.koepfe.index(kopf)
        gefuellt = sum(1 for _, werte in roh.zeilen if i < len(werte) and not ist_leer(werte[i]))
        if not gefuellt:
            continue
        adresse = zelle(roh.kopfzeile, roh.erste_spalte + i)
        befunde.append(
            _spaltenbefund(
                d,
                roh,
                adresse,
                kopf,
                Stufe.HINWEIS,
                f"{roh.blatt}!{adresse}: Die Spalte {kopf!r} gehört nicht zur Vorlage. "
                + (
                    "Ihr Eintrag wird nicht gelesen und steht"
                    if gefuellt == 1
                    else f"Ihre {gefuellt} Einträge werden nicht gelesen und stehen"
                )
                + " weder in der Übersicht noch im Korrekturexemplar; Wichtiges bitte in eine "
                "Spalte der Vorlage übertragen (z. B. Beschreibung oder Begründung).",
            )
        )
    return befunde


def _gekuerzt(
    name: str, zeile: Mapping[str, Any], pz: Partnerzeilen, ka: Gelesen, kontext: Kontext
) -> str | None:
    """The one partner without a row of its own whose name the Kostenausgleich row `name` is
    a short form of ('Schöningen' for 'Stadt Schöningen'; 'Helmstedt' beside the row of the
    Landkreis for the Stadt).

    Not where the Einwohner say otherwise: the row shows another partner's figure, or
    another row of no partner's name shows the partner's own. The Stadt
    Helmstedt's row typed over with 'Stadt Wolfsburg' and a row 'Helmstedt' added: the added
    row took the partner's place, the Korrektur copy showed its Fallzahl, and the message
    asked to delete the real row (review)."""
    vorhanden = {_fmt(w.get("Kommune")) for _, w in ka.zeilen}
    gemeint = [p for p in _kurzform_von(name, pz.partner, kontext.listen) if p not in vorhanden]
    if len(gemeint) != 1:
        return None
    voll = gemeint[0]
    if not ist_leer(zeile.get("Einwohner")):
        if pz.zeigt_ihre(zeile, voll):
            return voll
        if pz.einwohner_von(zeile):
            return None  # another partner's row, its name typed over
        # A figure of no partner says nothing: a workbook that does not note its Einwohner
        # (`_erzeugte_einwohner`) shows those of the Stammdaten it was made with, and once
        # the Steuerungsmappe has new ones, 'Schöningen' over the row of the Stadt Schöningen
        # became two Fehler and the return invalid (review).
    if any(
        w is not zeile and _fmt(w.get("Kommune")) not in pz.partner and pz.zeigt_ihre(w, voll)
        for _, w in ka.zeilen
    ):
        return None  # that row is the partner's: `_zeilen_der_fehlenden` decides
    return voll


def _zeilen_der_fehlenden(
    fremd: Sequence[tuple[int, Mapping[str, Any]]],
    pz: Partnerzeilen,
    fehlend: Sequence[str],
    ka: Gelesen,
    d: Dateiergebnis,
    kontext: Kontext,
) -> dict[int, tuple[str, str]]:
    """Excel row -> (partner, why) for the Kostenausgleich rows of another name that are
    clearly the row of a partner without one: its name typed over.

    Clear is: the only missing partner for the only such row; else the one missing partner
    (of those a short form like 'Helmstedt' names) with the Einwohner the row still shows
    (a locked column, written from the Stammdaten), or the one whose row stood at this place
    in the generated table. A row that two could claim stays unassigned, and so does a row
    whose Einwohner are none of those partners' (another partner's row, or a Kommune added
    with its own figure): its Fallzahl or share would go to a partner it never was (review).
    """
    if not fremd or not fehlend:
        return {}
    platz = {z: i for i, (z, _) in enumerate(ka.zeilen)}
    vorlage = _partner(d.kennung)
    am_platz = len(ka.zeilen) == len(vorlage)  # no row inserted or deleted
    kandidaten: dict[int, list[str]] = {}
    for z, w in fremd:
        kurz = _kurzform_von(_fmt(w.get("Kommune")), pz.partner, kontext.listen)
        if not kurz and ist_leer(w.get("Einwohner")):
            # Neither its name nor the locked Einwohner say it was a partner's row: a row
            # added ('Stadt Wolfsburg', Fallzahl 77) after the last partner's was deleted
            # took her place as 'the only missing one' and, the copy sent back as it was,
            # its 77 counted for her (review). Its figures are named; the clerk types them.
            continue
        kandidaten[z] = [p for p in (kurz or fehlend) if p in fehlend]
        if kurz and not kandidaten[z] and not ist_leer(w.get("Einwohner")):
            # 'Schöningen' over the row of the Stadt Helmstedt, 'Stadt Schöningen' in its own:
            # the name tells nothing, the Einwohner may (an added row has none)
            kandidaten[z] = list(fehlend)
    zeilen = dict(fremd)
    zuordnung: dict[int, tuple[str, str]] = {}
    while True:
        vergeben = {p for p, _ in zuordnung.values()}
        vorschlag: dict[int, tuple[str, str]] = {}
        for z, moeglich in kandidaten.items():
            if z in zuordnung:
                continue
            k, grund = [p for p in moeglich if p not in vergeben], ""
            if not ist_leer(zeilen[z].get("Einwohner")):
                # the figure the row shows decides; one of no candidate's rules them all out
                gleich = [p for p in k if pz.zeigt_ihre(zeilen[z], p)]
                if len(k) > 1 and len(gleich) == 1:
                    grund = "nach der Einwohnerzahl der Zeile"
                k = gleich
            if len(k) > 1 and am_platz and vorlage[platz[z]] in k:
                k, grund = [vorlage[platz[z]]], "nach ihrem Platz in der Vorlage"
            if len(k) == 1:
                vorschlag[z] = (k[0], grund)
        beansprucht = Counter(p for p, _ in vorschlag.values())
        neu = {z: v for z, v in vorschlag.items() if beansprucht[v[0]] == 1}
        if not neu:
            # Claimed twice ('Helmstedt' added, and the Stadt's row typed over with 'Stadt
            # Wolfsburg'): the one row that shows the partner's Einwohner is its row (review).
            belegt = {
                z: v for z, v in vorschlag.items() if not ist_leer(zeilen[z].get("Einwohner"))
            }
            zahl = Counter(p for p, _ in belegt.values())
            neu = {
                z: (p, "nach der Einwohnerzahl der Zeile")
                for z, (p, _) in belegt.items()
                if zahl[p] == 1
            }
        if not neu:
            return zuordnung
        zuordnung.update(neu)


def _fremde_einwohner(
    d: Dateiergebnis,
    pz: Partnerzeilen,
    ka_zeilen: Sequence[tuple[int, Mapping[str, Any]]],
    kontext: Kontext,
    nr: int,
) -> list[Befund]:
    """A Fehler at each partner row of the Kostenausgleich that shows the Einwohner of
    another partner, not its own: its name was typed over. And at a partner row without
    Einwohner (added) while another row shows hers: 'Gemeinde Lehre' added at the end with
    a Fallzahl, her own row typed over or its name moved; the added row's figure counted
    for her, the one beside her Einwohner was dropped (probe)."""
    ka = d.gelesen["tbl_Kostenausgleich"]
    partner, einwohner = pz.partner, pz.einwohner
    getippt_als = {z: _fmt(w.get("Kommune")) for z, w in ka.roh.als_dicts()}

    def getippt(z: int, _w: Mapping[str, Any]) -> str | None:
        """The partner whose name (or a short form of it) the clerk typed in row `z`. Not
        the name the check read the row as: with her name blanked (the names moved by a
        row), that row and the Stadt Königslutter's, her Einwohner typed over its own, both
        showed the Stadt Schöningen's; 'typed over' passed Königslutter's row without a
        word, and the copy sent back unchanged split Schöningen's share to Königslutter and
        hers to Schöningen (review)."""
        gemeint = _kurzform_von(getippt_als.get(z, ""), partner, kontext.listen)
        return gemeint[0] if len(gemeint) == 1 else None

    befunde = []
    for z, w in ka_zeilen:
        name, gezeigt = w.get("Kommune"), w.get("Einwohner")
        if not isinstance(name, str):
            continue
        if ist_leer(gezeigt):
            if (dort := _zeile_ihrer_einwohner(name, z, ka.zeilen, pz)) is not None:
                befunde.append(_ohne_einwohner(ka, z, w, name, dort, einwohner, kontext, nr))
            continue
        if einwohner.get(name) == gezeigt:
            continue
        von = [p for p in pz.einwohner_von(w) if p != name]
        if len(von) != 1:
            continue
        werte = _ka_inhalt(w, ("Fallzahl", "Anteil individuell"))
        adresse = ka.adresse(z, "Kommune")
        hier = (
            f"{ka.roh.blatt}!{adresse}: In der Zeile von {zitat(name)} steht die Einwohnerzahl "
            f"{_fmt(gezeigt)} von {zitat(von[0])}"
        )
        if eigene := pz.eigene_zeilen(von[0], ka_zeilen, getippt):
            # She has her row, name and Einwohner: most likely the Einwohner were typed over
            # here (a cell copied, protection removed), which under this key moves nothing; as
            # a Fehler the return was invalid and its copy without the row's Fallzahl (probe).
            # But the same two rows come from her Einwohner typed over this partner's and the
            # two names swapped, each figure then counting for the other; silent, that passed
            # as valid (review). A Warnung: the return counts, the clerk looks.
            stufe = Stufe.WARNUNG
            text = (
                f"{hier}, die auch in Zeile {eigene[0]} bei {zitat(von[0])} steht: Eine "
                "Einwohnerzahl wurde überschrieben. Verteilt wird nach den Namen"
                + (f", hier {werte} für {name}" if werte else "")
                + f". Bitte prüfen, ob in den Zeilen {min(z, eigene[0])} und "
                f"{max(z, eigene[0])} die Namen noch zu den eingetragenen Werten gehören "
                "(wurden Namen vertauscht?); die Spalten Kommune und Einwohner sind "
                "vorgegeben."
            )
        else:
            stufe = Stufe.FEHLER
            text = (
                f"{hier}: wurde hier der Name überschrieben (oder die Spalte Kommune allein "
                "sortiert)? "
                + (f"Gezählt würde {werte} für {name}. " if werte else "")
                + "Die Spalte Kommune ist vorgegeben; bitte die Namen wieder eintragen, wie "
                "sie in der Originalmappe standen, und Fallzahl bzw. Anteil jeder Kommune in "
                "ihrer eigenen Zeile."
            )
        befunde.append(
            befund(
                kontext,
                nr,
                ka.roh.blatt,
                adresse,
                "Kommune",
                name,
                stufe,
                Regel.PARTNER,
                text,
            )
        )
    return befunde


def _name_neben_fremden_einwohnern(
    zeilen: Sequence[tuple[int, Mapping[str, Any]]], pz: Partnerzeilen
) -> set[int]:
    """The rows of a partner's name whose row is clearly another: it shows one other
    partner's Einwohner, no row of her name shows hers, and one row without a name does;
    and that row.

    The names dragged down one row (the top row's name left empty): the Landkreis's name
    over the Stadt Helmstedt's Einwohner made that row hers and the empty row, with her
    Einwohner and Fallzahl, one to delete; the copy left her Fallzahl empty although her row
    was plain (probe). Such rows are read as of no partner's name (`_zeilen_der_fehlenden`
    then gives the empty row to her); where the empty row is missing, or two show her
    Einwohner, nothing changes: whose figure it is, the return does not say."""
    weg: set[int] = set()
    for p in pz.partner:
        benannt = [(z, w) for z, w in zeilen if _fmt(w.get("Kommune")) == p]
        leer = [z for z, w in zeilen if ist_leer(w.get("Kommune")) and pz.zeigt_ihre(w, p)]
        if (
            benannt
            and len(leer) == 1
            and all(not pz.zeigt_ihre(w, p) and len(pz.einwohner_von(w)) == 1 for _, w in benannt)
        ):
            weg |= {z for z, _ in benannt} | set(leer)
    return weg


def _zeile_ihrer_einwohner(
    p: str, ausser: int, zeilen: Sequence[tuple[int, Mapping[str, Any]]], pz: Partnerzeilen
) -> tuple[int, Mapping[str, Any]] | None:
    """The one other row that shows `p`'s Einwohner under another name or none."""
    dort = pz.unter_anderem_namen(p, zeilen, ausser)
    return dort[0] if len(dort) == 1 else None


def _ohne_einwohner(
    ka: Gelesen,
    z: int,
    w: Mapping[str, Any],
    name: str,
    dort: tuple[int, Mapping[str, Any]],
    einwohner: Mapping[str, Any],
    kontext: Kontext,
    nr: int,
) -> Befund:
    z_dort, w_dort = dort
    unter = (
        "ohne Kommune"
        if ist_leer(w_dort.get("Kommune"))
        else f"unter {zitat(_fmt(w_dort.get('Kommune')))}"
    )
    getippt = _ka_inhalt(w, ("Fallzahl", "Anteil individuell"))
    dort_getippt = _ka_inhalt(w_dort, ("Fallzahl", "Anteil individuell"))
    adresse = ka.adresse(z, "Kommune")
    return befund(
        kontext,
        nr,
        ka.roh.blatt,
        adresse,
        "Kommune",
        name,
        Stufe.FEHLER,
        Regel.PARTNER,
        f"{ka.roh.blatt}!{adresse}: {zitat(name)} steht in einer Zeile ohne Einwohnerzahl "
        f"(hinzugefügt?), ihre Einwohnerzahl {_fmt(einwohner.get(name))} steht aber in Zeile "
        f"{z_dort} {unter}"
        + (f" mit {dort_getippt}" if dort_getippt else "")
        + ". "
        + (f"Gezählt würde {getippt} für {name}. " if getippt else "")
        + f"Die Spalte Kommune ist vorgegeben; bitte {zitat(name)} wieder in der Zeile ihrer "
        "Einwohnerzahl eintragen, dort ihre Fallzahl bzw. ihren Anteil, und die hinzugefügte "
        "Zeile löschen.",
    )


def _wo_die_fehlende_steht(
    p: str,
    ka_zeilen: Sequence[tuple[int, Mapping[str, Any]]],
    fremd: Sequence[tuple[int, Mapping[str, Any]]],
    zuordnung: Mapping[int, Any],
    pz: Partnerzeilen,
) -> str:
    """Where the row of the missing partner `p` may be, for her message: the row that still
    shows her Einwohner (locked), else the rows of no partner's name that show no other
    partner's.

    The names moved by a row ('Stadt Wolfsburg' over the Stadt Helmstedt's row, 'Stadt
    Helmstedt' over the Stadt Schöningen's): 'fehlt Stadt Schöningen' asked to type her
    name into row 8, the Stadt Helmstedt's, while her Einwohner and Fallzahl stood in row 10
    (review)."""
    hier = [(z, w) for z, w in [*ka_zeilen, *fremd] if z not in zuordnung and pz.zeigt_ihre(w, p)]
    if len(hier) == 1:
        z, w = hier[0]
        return (
            f"Ihre Einwohnerzahl {_fmt(pz.einwohner.get(p))} steht in Zeile {z} unter dem Namen "
            f"{zitat(_fmt(w.get('Kommune')))}: wurden dort Namen überschrieben oder "
            f"verschoben, bitte in Zeile {z} wieder {zitat(p)} eintragen und jede Kommune "
            "in der Zeile ihrer Einwohnerzahl; die Originalzeilen bitte nicht löschen."
        )
    # every other Kommune the figures are known of: in a workbook from before they were noted
    # (`gezeigte_einwohner`), also those of the programme that are no partner
    fremde_zahlen = {pz.einwohner.get(q) for q in pz.einwohner if q != p} - {None}
    andere = [
        f"Zeile {z}: {zitat(_fmt(w.get('Kommune')))}"
        for z, w in fremd
        if z not in zuordnung and w.get("Einwohner") not in fremde_zahlen
    ]
    if not andere:
        return "Bitte die Originalzeilen nicht löschen."
    return (
        f"Steht ihre Zeile unter anderem Namen da ({'; '.join(andere)}), bitte dort wieder "
        f"{zitat(p)} eintragen; die Originalzeilen bitte nicht löschen."
    )


#: From this many different figures on, their order is no chance: with six, two orders of 720.
#: Fewer (equal shares, one of them 0) run in order as they are.
MINDESTENS_SORTIERT = 6


def _spalte_allein_sortiert(
    ka_zeilen: Sequence[tuple[int, Mapping[str, Any]]],
    partner: Sequence[str],
    kopf: str,
    einwohner: Mapping[str, Any],
) -> str | None:
    """The message for Fallzahlen or shares that run in order from top to bottom while the
    Kommunen stand as generated: the column sorted alone ('Mit bestehender Markierung
    fortfahren', protection removed). Each figure then stood beside another Kommune, the
    return was valid and the overview split by them without a word (probe). Not where the
    Einwohner run the same way: figures by size of Kommune are what one expects."""
    namen = [str(w.get("Kommune")) for _, w in ka_zeilen]
    werte = [w.get(kopf) for _, w in ka_zeilen]
    if (
        namen != [p for p in partner if p in namen]
        or not all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in werte)
        or len(set(werte)) < MINDESTENS_SORTIERT
    ):
        return None
    zahlen = [Decimal(str(v)) for v in werte]
    auf = all(a <= b for a, b in itertools.pairwise(zahlen))
    ab = all(a >= b for a, b in itertools.pairwise(zahlen))
    if not (auf or ab):
        return None
    groessen = [einwohner.get(n) for n in namen]
    if all(isinstance(g, int) for g in groessen) and all(
        (a <= b) if auf else (a >= b) for a, b in itertools.pairwise(groessen)
    ):
        return None
    gezeigt = "; ".join(
        f"{_fmt(v * 100)} %" if kopf == "Anteil individuell" else _fmt(v) for v in zahlen
    )
    return (
        f"Die Werte der Spalte {kopf} stehen von oben nach unten "
        f"{'aufsteigend' if auf else 'absteigend'} sortiert ({gezeigt}), die Kommunen aber in "
        f"der Reihenfolge der Vorlage: Wurde die Spalte {kopf} allein sortiert? Dann steht "
        "jeder Wert bei einer anderen Kommune, und so würde verteilt. Bitte für jede Kommune "
        "prüfen, ob ihr Wert in ihrer Zeile steht."
    )


@dataclass(frozen=True)
class Partnerzeilen:
    """Whose row a row of one Kostenausgleich table is, by the two things a row says: the
    name in its Kommune cell and its Einwohner (a locked column the generator wrote from the
    Stammdaten, the one evidence a careless edit rarely touches).

    One answer for the check (`querpruefungen`, `_fremde_einwohner`) and the Korrektur copy
    (`berichte._wieder_benannt`): five small predicates there asked nearly the same question
    ('which row shows partner p's Einwohner, and does she have her own row?'), each with its
    own copy of the comparison, and each fix of session 15 had to find all of them. Which
    name counts stays the caller's choice, named at each call (`eigene_zeilen`): the name as
    typed, as a short form of it, or as the check has assigned the row.
    """

    partner: tuple[str, ...]
    einwohner: Mapping[str, Any]  # partner -> the Einwohner her row shows, as generated

    def einwohner_von(self, w: Mapping[str, Any]) -> list[str]:
        """The partners whose Einwohner the row `w` shows."""
        gezeigt = w.get("Einwohner")
        if ist_leer(gezeigt):
            return []
        return [p for p in self.partner if self.einwohner.get(p) == gezeigt]

    def zeigt_ihre(self, w: Mapping[str, Any], p: str) -> bool:
        """The row `w` shows `p`'s Einwohner."""
        soll = self.einwohner.get(p)
        return soll is not None and w.get("Einwohner") == soll

    def unter_anderem_namen(
        self, p: str, zeilen: Iterable[tuple[int, Mapping[str, Any]]], ausser: int | None = None
    ) -> list[tuple[int, Mapping[str, Any]]]:
        """The rows (but `ausser`) that show `p`'s Einwohner under another name, or none."""
        return [
            (z, w)
            for z, w in zeilen
            if z != ausser and self.zeigt_ihre(w, p) and _fmt(w.get("Kommune")) != p
        ]

    def eigene_zeilen(
        self,
        p: str,
        zeilen: Iterable[tuple[int, Mapping[str, Any]]],
        name: Callable[[int, Mapping[str, Any]], str | None],
    ) -> list[int]:
        """The rows that are `p`'s by both: `name` (the caller's rule) says `p`, and they show
        her Einwohner. A row hers only by the Einwohner is not her own row: with her name
        blanked and another's Einwohner typed over, two rows show hers (review)."""
        return [z for z, w in zeilen if name(z, w) == p and self.zeigt_ihre(w, p)]


def _ka_inhalt(
    w: Mapping[str, Any], koepfe: Sequence[str] = ("Einwohner", "Fallzahl", "Anteil individuell")
) -> str:
    """What a row of the Kostenausgleich holds besides its Kommune, for a message: a row the
    Korrektur copy leaves out must not take its figures with it unnamed."""
    teile = []
    for kopf in koepfe:
        wert = w.get(kopf)
        if ist_leer(wert):
            continue
        if kopf == "Anteil individuell" and isinstance(wert, int | float | Decimal):
            teile.append(f"{kopf} {_fmt(Decimal(str(wert)) * 100)} %")
        else:
            teile.append(f"{kopf} {_fmt(wert)}")
    return ", ".join(teile)


def querpruefungen(d: Dateiergebnis, kontext: Kontext, st: Any, mappe_def: Any) -> list[Befund]:
    """Rules across rows and sheets, as the Lenkungsgruppe would ask them."""
    nr = next(i for i, x in enumerate(kontext.dateien) if x.name == d.name)
    befunde: list[Befund] = []
    veraltet = _aeltere_stammdaten(d, st, mappe_def)

    def melden(
        tabelle: str,
        zeile: int | None,
        kopf: str | None,
        wert: Any,
        stufe: Stufe,
        regel: Regel,
        text: str,
        spalte_nennen: bool = False,
    ) -> None:
        """`spalte_nennen`: the column after the cell, as in the messages of the cells
        themselves ("Risiken!G12 (Gegenmaßnahme):"; "Risiken!G12:" alone left the clerk to
        count columns, README walk-through)."""
        g = d.gelesen[tabelle]
        adresse = g.adresse(zeile, kopf) if zeile and kopf else None
        ort = f"{g.roh.blatt}!{adresse}" if adresse else g.roh.blatt
        if spalte_nennen and adresse:
            ort = f"{ort} ({kopf})"
        befunde.append(
            befund(kontext, nr, g.roh.blatt, adresse, kopf, wert, stufe, regel, f"{ort}: {text}")
        )

    # Kostenausgleich: every partner has a row, and only they, once each; individual shares
    # sum to 100 %.
    ka = d.gelesen["tbl_Kostenausgleich"]
    partner = kontext.dateien[nr].listen.get("kommunen", ())
    schluessel = d.felder.get("Schluessel")
    # Rows inserted by the clerk (sheet protection removed): a second row of a partner or a
    # Kommune that is none would move the split, or (twice the same) leave the field without
    # one, while the return looked valid (clerk review). The rules of the keys below then
    # speak of the rows of a Kommune only.
    ka_zeilen: list[tuple[int, dict[str, Any]]] = []
    gesehen: dict[str, int] = {}
    fremd: list[tuple[int, dict[str, Any]]] = []  # rows of a name that is no partner's
    # the Einwohner the rows show (locked): those the workbook was written with
    einwohner_je_partner = gezeigte_einwohner(d, st)
    pz = Partnerzeilen(tuple(partner), einwohner_je_partner)
    namen = Counter(_fmt(w.get("Kommune")) for _, w in ka.zeilen if not ist_leer(w.get("Kommune")))

    def ohne_eigene_zeile(w: Mapping[str, Any]) -> bool:
        """The row shows the Einwohner of one partner that has no row of her name: its name
        was blanked, or another partner's typed or copied over hers. 'Zeile ohne Kommune …
        bitte die Zeile löschen' and 'Stadt Helmstedt steht schon in Zeile 8 … bitte diese
        Zeile löschen' asked to delete the row of the partner that was 'missing', and the
        copy lost her Fallzahl (probe). Such a row is read like a name typed over."""
        von = pz.einwohner_von(w)
        return len(von) == 1 and von[0] not in namen  # her name typed nowhere

    def getippt(_z: int, w: Mapping[str, Any]) -> str:
        """The name as read, before any row is assigned to a partner."""
        return _fmt(w.get("Kommune"))

    # A partner's name twice: hers is the row with her Einwohner, wherever it stands. Her name
    # copied over the row above hers made her own row the 'second' one, and the message asked
    # to delete it (probe).
    eigene = {p: zeilen[0] for p in partner if (zeilen := pz.eigene_zeilen(p, ka.zeilen, getippt))}
    verdraengt = _name_neben_fremden_einwohnern(ka.zeilen, pz) if partner else set()
    ohne_namen: list[tuple[int, dict[str, Any]]] = []
    zweimal: list[tuple[int, dict[str, Any], Any, int]] = []
    for z, w in ka.zeilen:
        kommune = w.get("Kommune")
        inhalt = _ka_inhalt(w)
        if partner and (
            z in verdraengt
            or ((ist_leer(kommune) or namen[_fmt(kommune)] > 1) and ohne_eigene_zeile(w))
        ):
            fremd.append((z, w))
            continue
        if ist_leer(kommune):
            if inhalt:
                ohne_namen.append((z, w))  # a partner's row, or one to delete: seen below
            elif schluessel == "gleiche Anteile":
                melden(
                    "tbl_Kostenausgleich",
                    z,
                    "Kommune",
                    None,
                    Stufe.WARNUNG,
                    Regel.STRUKTUR,
                    "Eine leere Zeile im Kostenausgleich. Bei „gleiche Anteile“ zählt die Mappe "
                    "sie mit (jede Kommune bekommt dort weniger als in der Übersicht); bitte die "
                    "Zeile löschen.",
                )
            continue
        name = _fmt(kommune)
        if partner and name not in partner and (voll := _gekuerzt(name, w, pz, ka, kontext)):
            # The prescribed row of 'Stadt Schöningen' renamed 'Schöningen': the message for a
            # foreign Kommune said to delete it, losing its Fallzahl or share (probe). Which
            # partner it is, is clear: the only one without its row whose name it shortens.
            melden(
                "tbl_Kostenausgleich",
                z,
                "Kommune",
                kommune,
                Stufe.WARNUNG,
                Regel.UMGEWANDELT,
                f"{name_mit_unterschied(name, voll)} wurde als Zeile der Partnerkommune "
                f"{zitat(voll)} gelesen, die "
                "sonst im Kostenausgleich fehlt. Die Spalte Kommune ist vorgegeben; bitte den "
                f"Namen wieder auf {zitat(voll)} setzen, die Zeile nicht löschen.",
            )
            w["Kommune"] = name = voll
        if partner and name not in partner:
            fremd.append((z, w))  # whose row it is, is clear once all rows are seen
        elif name in gesehen or eigene.get(name, z) != z:
            zweimal.append((z, w, kommune, gesehen.get(name) or eigene[name]))
            if name not in gesehen:
                # above her own row: the copy, which takes the first row of a name, takes
                # hers (`erzeugen._zusammenfuehren`, `berichte._weggelassene_zeilen`)
                w["Kommune"] = None
        else:
            gesehen[name] = z
            ka_zeilen.append((z, w))
    # A row of another name beside a partner without its row is that partner's row with its
    # name typed over (protection removed): 'bitte die Zeile löschen' beside 'Stadt Helmstedt
    # fehlt … Originalzeilen nicht löschen' contradicted itself, and the Korrektur copy lost
    # the row's Fallzahl (probe). Where it is clear whose row it is, the copy has it again
    # under that name, with what the row holds.
    fehlend = [p for p in partner if p not in gesehen]
    zuordnung = _zeilen_der_fehlenden(fremd, pz, fehlend, ka, d, kontext)
    fehlend = [p for p in fehlend if p not in {voll for voll, _ in zuordnung.values()}]
    hat_zeile = set(gesehen) | {voll for voll, _ in zuordnung.values()}

    def fehlen(namen: Sequence[str]) -> str:
        return f"fehl{'t' if len(namen) == 1 else 'en'} {' und '.join(zitat(p) for p in namen)}"

    zugeordnet = {z: voll for z, (voll, _) in zuordnung.items()}

    def zugeordnet_als(z: int, w: Mapping[str, Any]) -> str:
        """The name the check reads row `z` as: the partner it was found to be, or its own."""
        return zugeordnet.get(z) or _fmt(w.get("Kommune"))

    def ihre_zeile_fehlt(p: str) -> bool:
        return not pz.eigene_zeilen(p, ka.zeilen, zugeordnet_als)

    def verschoben(w: Mapping[str, Any], wer: str, verloren: str) -> str | None:
        """For a row to delete by its name: it shows the Einwohner of a partner without a
        row of her own, so it is hers, its name blanked, typed over or moved (the names
        shifted down a row: 'Eine Zeile ohne Kommune … bitte die Zeile löschen' at the top
        row, the Landkreis's, probe)."""
        von = pz.einwohner_von(w)
        if len(von) != 1 or not ihre_zeile_fehlt(von[0]):
            return None
        return (
            f"{wer} die Einwohnerzahl {_fmt(w.get('Einwohner'))} von {zitat(von[0])}: wurde "
            "hier ihr Name überschrieben oder gelöscht, oder wurden die Namen verschoben? Die "
            f"Spalte Kommune ist vorgegeben; bitte wieder {zitat(von[0])} eintragen, wie es in "
            "der Originalmappe stand, und jede Kommune in der Zeile ihrer Einwohnerzahl"
            + (f" ({fehlen(fehlend)})" if fehlend else "")
            + f".{verloren}"
        )

    for z, w in ohne_namen:
        inhalt = _ka_inhalt(w)
        melden(
            "tbl_Kostenausgleich",
            z,
            "Kommune",
            None,
            Stufe.FEHLER,
            Regel.PFLICHT,
            verschoben(w, "Eine Zeile ohne Kommune zeigt", f" Die Zeile enthält: {inhalt}.")
            or f"Eine Zeile ohne Kommune ({inhalt}). Im Kostenausgleich steht jede "
            "Partnerkommune genau einmal; bitte die Zeile löschen und die Angabe bei der "
            "Kommune eintragen.",
        )
    for z, w, kommune, erste in zweimal:
        name = _fmt(kommune)
        inhalt = _ka_inhalt(w)
        verloren = f" Die Zeile enthält: {inhalt}." if inhalt else ""
        melden(
            "tbl_Kostenausgleich",
            z,
            "Kommune",
            kommune,
            Stufe.FEHLER,
            Regel.EINDEUTIG,
            verschoben(w, f"{name} steht schon in Zeile {erste}; diese Zeile zeigt", verloren)
            or f"{name} steht schon in Zeile {erste}. Jede Partnerkommune steht "
            f"genau einmal im Kostenausgleich; bitte diese Zeile löschen und den Anteil in "
            f"Zeile {erste} eintragen.{verloren}",
        )

    namenlos: list[dict[str, Any]] = []
    for z, w in fremd:
        kommune = w.get("Kommune")
        name = "" if ist_leer(kommune) else _fmt(kommune)
        inhalt = _ka_inhalt(w)
        verloren = f" Die Zeile enthält: {inhalt}." if inhalt else ""
        gemeint = _kurzform_von(name, partner, kontext.listen)
        statt_voll = (
            f"{zitat(name)} steht hier statt des vollen Namens einer Partnerkommune "
            f"(Meinten Sie {' oder '.join(zitat(g) for g in gemeint)}?)."
        )
        voll, grund = zuordnung.get(z, (None, ""))
        if voll is not None:
            # What the Korrektur copy makes of the row, its list says (`berichte._wieder_benannt`):
            # here, with `ikz pruefen --ohne-berichte`, there is none (review).
            if voll in gemeint:
                text = (
                    f"{statt_voll} "
                    + (
                        f"{grund[0].upper()}{grund[1:]} ist es die Zeile von {zitat(voll)}."
                        if grund
                        else f"Von ihnen fehlt nur noch {zitat(voll)}: es ist ihre Zeile."
                    )
                    + " Die Spalte Kommune ist vorgegeben; bitte den Namen wieder auf "
                    f"{zitat(voll)} setzen, die Zeile nicht löschen."
                )
            else:
                # the names dragged down a row: hers stands below, beside another's Einwohner;
                # 'ihr Name wurde gelöscht, sonst fehlt' said she was gone (review)
                anderswo = [
                    f"Zeile {z2} neben der Einwohnerzahl von {zitat(pz.einwohner_von(w2)[0])}"
                    for z2, w2 in fremd
                    if z2 != z and z2 in verdraengt and _fmt(w2.get("Kommune")) == voll
                ]
                text = (
                    (
                        f"{zitat(name)} steht in der Zeile der Partnerkommune {zitat(voll)}"
                        if name
                        else "Die Zeile ohne Kommune ist die Zeile der Partnerkommune "
                        + zitat(voll)
                    )
                    + (f" ({grund})" if grund else "")
                    + (
                        f": ihr Name steht in {' und '.join(anderswo)} (wurden die Namen "
                        "verschoben?). "
                        if anderswo
                        else f": ihr Name wurde {'überschrieben' if name else 'gelöscht'}, "
                        f"sonst fehlt {voll} im Kostenausgleich. "
                    )
                    + f"Die Spalte Kommune ist vorgegeben; bitte wieder {zitat(voll)} eintragen, "
                    "wie es in der Originalmappe stand, und die Zeile mit ihren Angaben "
                    "behalten, nicht löschen."
                )
            w["Kommune"] = voll
            gesehen[voll] = z
            ka_zeilen.append((z, w))
        elif text := verschoben(
            w,
            "Eine Zeile ohne Kommune zeigt"
            if not name
            else f"{zitat(name)} steht zweimal im Kostenausgleich; diese Zeile zeigt"
            if name in partner and namen[name] > 1
            # once, her row elsewhere (`verdraengt`): 'zweimal' was false (review 16a)
            else f"Die Zeile mit dem Namen {zitat(name)} zeigt"
            if name in partner
            else f"{statt_voll[:-1]} und zeigt"
            if gemeint
            else f"{zitat(name)} ist keine Partnerkommune dieser Arbeitsgruppe und zeigt",
            verloren,
        ):
            pass
        elif gemeint and all(g in hat_zeile for g in gemeint):
            # every partner it names has its row: this one was added (the table grown by a
            # row), and 'wieder eintragen, wie er in der Originalmappe stand' named no name to
            # restore (review); so with another partner's row missing, whose name it is not
            text = (
                f"{zitat(name)} ist eine zusätzliche Zeile: "
                f"{' und '.join(zitat(g) for g in gemeint)} "
                f"{'hat' if len(gemeint) == 1 else 'haben'} schon eine eigene Zeile. Im "
                "Kostenausgleich steht jede Partnerkommune genau einmal; bitte diese Zeile "
                "löschen und ihre Angaben bei der Partnerkommune eintragen"
                + (
                    f" ({fehlen(fehlend)} und wurde hier ihr Name überschrieben: ihn wieder "
                    "eintragen und die Zeile behalten)"
                    if fehlend
                    else ""
                )
                + f".{verloren}"
            )
        elif gemeint:
            text = (
                f"{statt_voll} Die Spalte Kommune ist vorgegeben; bitte den Namen wieder "
                "eintragen, wie er in der Originalmappe stand, die Zeile nicht löschen."
                f"{verloren}"
            )
        elif fehlend:
            text = (
                f"{zitat(name)} ist keine Partnerkommune dieser Arbeitsgruppe, und im "
                f"Kostenausgleich {fehlen(fehlend)}. Wurde hier der Name einer "
                "Partnerkommune überschrieben, bitte ihn wieder eintragen, wie er in der "
                "Originalmappe stand, und die Zeile behalten; sonst die Zeile löschen"
                f".{verloren}"
            )
        else:
            text = (
                f"{zitat(name)} ist keine Partnerkommune dieser Arbeitsgruppe. Im "
                "Kostenausgleich steht jede Partnerkommune genau einmal; bitte die Zeile "
                f"löschen.{verloren}"
            )
        melden("tbl_Kostenausgleich", z, "Kommune", kommune, Stufe.FEHLER, Regel.PARTNER, text)
        if z in verdraengt and zuordnung.get(z) is None:
            # her name beside another's Einwohner, her row elsewhere: the copy, which takes the
            # first row of a name, must not take this one (blanked below: the message of a
            # missing partner names the row by its name as typed, not 'None', review 16a)
            namenlos.append(w)
    ka_zeilen.sort(key=lambda zw: zw[0])
    if schluessel in ("Fallzahl", "individuell"):
        # A partner's name over another partner's row ('Stadt Helmstedt' typed in the row of
        # the Stadt Schöningen, the Kommune column sorted alone): the Einwohner, locked, still
        # say whose row it is, and the Fallzahl or share typed there would count for the
        # partner of the name, unseen (review).
        befunde += _fremde_einwohner(d, pz, ka_zeilen, kontext, nr)
        kopf = "Fallzahl" if schluessel == "Fallzahl" else "Anteil individuell"
        if text := _spalte_allein_sortiert(ka_zeilen, partner, kopf, einwohner_je_partner):
            z = ka_zeilen[0][0]
            melden(
                "tbl_Kostenausgleich",
                z,
                kopf,
                ka_zeilen[0][1].get(kopf),
                Stufe.WARNUNG,
                Regel.INHALT,
                text,
            )
    for p in partner:
        if p not in gesehen:
            melden(
                "tbl_Kostenausgleich",
                None,
                None,
                p,
                Stufe.FEHLER,
                Regel.PARTNER,
                f"Die Partnerkommune {p} fehlt im Kostenausgleich. "
                + _wo_die_fehlende_steht(p, ka_zeilen, fremd, zuordnung, pz),
            )
    for w in namenlos:
        w["Kommune"] = None
    # Priorisierung: one row per criterion of the Prioritätenmatrix, as generated. A row the
    # clerk added was read nowhere, and a criterion twice let the last one count (clerk review).
    if "tbl_Einschaetzung" in d.gelesen:
        kriterien = [k.name for k in st.kriterien]
        gesehen_k: dict[str, int] = {}
        for z, w in d.gelesen["tbl_Einschaetzung"].zeilen:
            name = "" if ist_leer(w.get("Kriterium")) else _fmt(w.get("Kriterium"))
            if name in kriterien and name in gesehen_k:
                melden(
                    "tbl_Einschaetzung",
                    z,
                    "Kriterium",
                    name,
                    Stufe.FEHLER,
                    Regel.EINDEUTIG,
                    f"{name} steht schon in Zeile {gesehen_k[name]}; gewertet wird nur eine "
                    "Einschätzung je Kriterium. Bitte diese Zeile löschen.",
                )
            elif name in kriterien:
                gesehen_k[name] = z
            elif not all(ist_leer(v) for v in w.values()):
                melden(
                    "tbl_Einschaetzung",
                    z,
                    "Kriterium",
                    name or None,
                    Stufe.WARNUNG,
                    Regel.STRUKTUR,
                    (f"{zitat(name)} ist kein Kriterium" if name else "Eine Zeile ohne Kriterium")
                    + " der Prioritätenmatrix und wird nicht gewertet (die Kriterien legt die "
                    "Lenkungsgruppe fest). Gehört die Begründung zu einem der Kriterien, bitte "
                    "dort eintragen und die Zeile löschen.",
                )
        for name in kriterien:
            if name not in gesehen_k:
                melden(
                    "tbl_Einschaetzung",
                    None,
                    None,
                    name,
                    Stufe.FEHLER,
                    Regel.STRUKTUR,
                    f"Das Kriterium {name} fehlt in der Priorisierung. Bitte die Zeilen der "
                    "Vorlage nicht löschen; das Korrekturexemplar hat sie wieder.",
                )

    # A share or Fallzahl typed as text that is no number ('1/2', 'ca. 300') has its TYP
    # Fehler: 'braucht einen Anteil' beside it, and a sum without it ('ergeben 0 %'), told the
    # clerk of an empty cell and a wrong sum (probe). The sum is checked once all are numbers.
    nicht_lesbar = {kopf for _, kopf in ka.unlesbar}
    if schluessel == "individuell":
        anteile = [(z, w.get("Anteil individuell")) for z, w in ka_zeilen]
        for z, a in anteile:
            if a is None and (z, "Anteil individuell") not in ka.unlesbar:
                melden(
                    "tbl_Kostenausgleich",
                    z,
                    "Anteil individuell",
                    None,
                    Stufe.FEHLER,
                    Regel.PFLICHT,
                    "Beim Schlüssel 'individuell' braucht jede Kommune einen "
                    "Anteil (0 % ist erlaubt).",
                )
        # over every row, as the workbook's own check sums them (extra rows are Fehler above)
        alle = [w.get("Anteil individuell") for _, w in ka.zeilen]
        summe = _summe_der_anteile(ka)
        # To 6 places, as the workbook's own check says "100 %": three times =1/3 is right.
        # The split to the cent scales such shares to exactly 1 (berechnung.anteile).
        from ikz_excel.berechnung import ergibt_eins

        if not ergibt_eins(summe) and "Anteil individuell" not in nicht_lesbar:
            erste = ka_zeilen[0][0] if ka_zeilen else None
            # 30 typed for 30 %: a sum of "5080 %" helps nobody; the share says "Meinten Sie"
            ueber = any(isinstance(a, int | float | Decimal) and a > 1 for a in alle)
            melden(
                "tbl_Kostenausgleich",
                erste,
                "Anteil individuell",
                None,
                Stufe.FEHLER,
                Regel.SUMME,
                "Die individuellen Anteile ergeben nicht 100 %: bitte zuerst die Anteile über "
                "100 % berichtigen (wohl als ganze Zahl statt in Prozent eingegeben), dann so "
                "anpassen, dass die Summe genau 100 % ist."
                if ueber
                else _rundung_der_anteile(summe, alle)
                or f"Die individuellen Anteile ergeben {_fmt(summe * 100)} %, nicht "
                "100 %. Bitte so anpassen, dass die Summe genau 100 % ist.",
            )
    elif schluessel == "Fallzahl":
        for z, w in ka_zeilen:
            if w.get("Fallzahl") is None and (z, "Fallzahl") not in ka.unlesbar:
                melden(
                    "tbl_Kostenausgleich",
                    z,
                    "Fallzahl",
                    None,
                    Stufe.FEHLER,
                    Regel.PFLICHT,
                    "Beim Schlüssel 'Fallzahl' braucht jede Kommune eine Fallzahl (0 ist erlaubt).",
                )
        if (
            ka_zeilen
            and "Fallzahl" not in nicht_lesbar
            and not sum(Decimal(str(w.get("Fallzahl") or 0)) for _, w in ka_zeilen)
        ):
            melden(
                "tbl_Kostenausgleich",
                ka_zeilen[0][0],
                "Fallzahl",
                0,
                Stufe.FEHLER,
                Regel.SUMME,
                "Die Fallzahlen ergeben zusammen 0; so lässt sich nichts verteilen.",
            )

    elif schluessel == "Einwohner" and (
        (erzeugt := _erzeugte_einwohner(d)) is not None or not veraltet
    ):
        # Einwohner come from the Steuerungsmappe (a protected column): a changed or cleared
        # figure would silently move the split; the overview computes with the Stammdaten.
        # Compared with what the workbook was written with; a workbook from before that was
        # noted, and from older Stammdaten, has them in its VERSION finding instead.
        for z, name, zahl, richtig in _andere_einwohner(d, st, erzeugt):
            gelesen = "ist leer" if zahl is None else f"zeigt {_fmt(zahl)}"
            melden(
                "tbl_Kostenausgleich",
                z,
                "Einwohner",
                zahl,
                Stufe.WARNUNG,
                Regel.PARTNER,
                f"Die Einwohnerzahl von {name} {gelesen}, die Steuerungsmappe nennt "
                f"{_fmt(richtig)}. Verteilt wird mit {_fmt(richtig)}; das "
                "Korrekturexemplar zeigt diese Zahl. Einwohnerzahlen ändert die "
                "Steuerungsgruppe in der Steuerungsmappe.",
            )

    # Figures for another key than the chosen one: the clerk who typed shares and left the key
    # at its default Einwohner believes they count, and the overview splits otherwise (probe).
    if schluessel in kontext.listen.get("schluessel", ()):
        for fuer, kopf in FIGUR_DES_SCHLUESSELS.items():
            if schluessel == fuer:
                continue
            gefuellt = [
                (z, w[kopf])
                for z, w in ka_zeilen
                if isinstance(w.get(kopf), int | float | Decimal) and w[kopf]
            ]
            if gefuellt:
                was, die = (
                    ("individuelle Anteile", "individuellen Anteile")
                    if fuer == "individuell"
                    else ("Fallzahlen", "Fallzahlen")
                )
                melden(
                    "tbl_Kostenausgleich",
                    gefuellt[0][0],
                    kopf,
                    gefuellt[0][1],
                    Stufe.WARNUNG,
                    Regel.INHALT,
                    f"Hier stehen {was} ({len(gefuellt)} Kommune"
                    f"{'n' if len(gefuellt) > 1 else ''}), der Verteilungsschlüssel ist aber "
                    f"{zitat(schluessel)}: verteilt wird nach {zitat(schluessel)}, die {die} "
                    f"zählen nicht. Sollen sie gelten, bitte den Schlüssel {zitat(fuer)} "
                    f"wählen, sonst die {die} löschen.",
                )

    # At least one variant; the recommended one must be among them (checked as a list). Which
    # tables must not stay empty says the schema, from which the cover counts them too.
    for _, tdef in mappe_def.tabellen:
        if tdef.mindestens_eine_zeile and tdef.name in d.gelesen and not d.zeilen(tdef.name):
            g = d.gelesen[tdef.name]
            melden(
                tdef.name,
                g.roh.kopfzeile + 1,
                next(s.kopf for s in tdef.spalten if s.eingabe),
                None,
                Stufe.FEHLER,
                Regel.PFLICHT,
                "Es ist keine Variante beschrieben. Bitte mindestens die "
                "empfohlene Variante eintragen."
                if tdef.name == "tbl_Varianten"
                else f"In der Tabelle {_tabellenname(tdef, g.roh.blatt)} steht nichts. Bitte "
                "mindestens eine Zeile ausfüllen.",
            )

    # A risk needs a Gegenmaßnahme from the Risikowert on that the schema says (`pflicht_ab`,
    # which the loader allows only on the column computed here: PFLICHT_AB_SPALTEN).
    risiken = mappe_def.tabelle("tbl_Risiken")
    risikowert = PFLICHT_AB_SPALTEN["tbl_Risiken"]
    for z, w in d.gelesen["tbl_Risiken"].zeilen:
        e, a = w.get("Eintrittswahrscheinlichkeit"), w.get("Auswirkung")
        if not (isinstance(e, int) and isinstance(a, int)):
            continue
        for sp in risiken.spalten:
            for _kopf, ab in sp.pflicht_ab:
                if e * a >= ab and not w.get(sp.kopf):
                    was = "eine Gegenmaßnahme" if sp.kopf == "Gegenmaßnahme" else repr(sp.kopf)
                    melden(
                        "tbl_Risiken",
                        z,
                        sp.kopf,
                        None,
                        Stufe.FEHLER,
                        Regel.RISIKO,
                        f"Das Risiko {w.get('Risiko')!r} hat den {risikowert} {e * a} (ab "
                        f"{_fmt(ab)} hoch). Bitte {was} eintragen.",
                        spalte_nennen=True,
                    )

    # A row costing millions upon millions is a slip (Menge and Kostensatz swapped, a
    # Kostensatz in cent, a Menge of hours typed as euros): each cell alone was within its
    # range. From `KOSTEN_UNMOEGLICH_AB` on, not even a spreadsheet keeps the cent any more,
    # so neither the workbook nor the overview could show the figure right (cent campaign).
    # The range of each cell as the element check resolves it ('$Parameter', decimals): a
    # raw '$…' limit made the comparison a TypeError, and a Menge and a Kostensatz both
    # negative (each with its Fehler) gave a positive product and a third finding (review).
    bereiche = {
        s.kopf: _grenzen(s, kontext)
        for _, t in mappe_def.tabellen
        if t.name == "tbl_Ressourcen"
        for s in t.spalten
        if s.kopf in ("Menge", "Kostensatz")
    }
    for z, w in d.gelesen["tbl_Ressourcen"].zeilen if "tbl_Ressourcen" in d.gelesen else []:
        k = _kosten(w)
        if k is None or k <= KOSTEN_UNGEWOEHNLICH_AB:
            continue
        if any(
            (lo is not None and w[kopf] < lo) or (hi is not None and w[kopf] > hi)
            for kopf, (lo, hi) in bereiche.items()
        ):
            continue  # a cell out of its range has its Fehler already
        unmoeglich = k >= KOSTEN_UNMOEGLICH_AB
        melden(
            "tbl_Ressourcen",
            z,
            "Kosten",
            k,
            Stufe.FEHLER if unmoeglich else Stufe.WARNUNG,
            Regel.BEREICH,
            f"Menge {_fmt(w['Menge'])} × Kostensatz {deutsch.euro(w['Kostensatz'], 2)} ergibt "
            f"{deutsch.euro(k, 2)} in einer Zeile"
            + (
                f", mehr als eine Tabellenkalkulation auf den Cent genau rechnen kann "
                f"(ab {deutsch.euro(KOSTEN_UNMOEGLICH_AB)})"
                if unmoeglich
                else f" (ungewöhnlich hoch: mehr als {deutsch.euro(KOSTEN_UNGEWOEHNLICH_AB)})"
            )
            + ". Bitte Menge und Kostensatz prüfen: vertauscht, der Kostensatz in Cent statt "
            "Euro, oder Stunden als Euro eingetragen?",
        )

    # Empty sheets are allowed while working, but the LG should know.
    for tabelle, was in (
        ("tbl_Ressourcen", "Ressourcen"),
        ("tbl_Nutzen", "Nutzen"),
        ("tbl_Risiken", "Risiken"),
        ("tbl_StaerkenSchwaechen", "Stärken und Schwächen"),
        ("tbl_Meilensteine", "Meilensteine"),
    ):
        if not d.zeilen(tabelle):
            melden(
                tabelle,
                None,
                None,
                None,
                Stufe.WARNUNG,
                Regel.PFLICHT,
                f"Es sind keine {was} eingetragen. Ohne sie kann die Lenkungsgruppe das "
                "Handlungsfeld nicht bewerten.",
            )
    # Kommunen that were partners when the workbook went out and are no longer (struck off or
    # renamed): valid in this return, whose split uses its partners, but the Korrektur copy
    # with the current Stammdaten kept them unmarked, and sent back unchanged each became a
    # Fehler, one round at a time (lifecycle probe). A Warnung at each cell, red in the copy.
    ag = next((a for a in st.arbeitsgruppen if a.kuerzel == d.arbeitsgruppe), None)
    frueher = {
        w.kommune: w for w in vermerkte_weggefallene(d) if ag and w.kommune not in ag.partner
    }
    weg = set(_partner(d.kennung)) - set(ag.partner) if ag is not None else set()
    if ag is not None and (weg or frueher):
        umbenannt = vermutlich_umbenannt(d, st)
        for tabelle, zeile, kopf, wert in _kommunenzellen(d, mappe_def):
            alt = gemeinte_weggefallene(wert, d, st, frueher)
            if alt is None:
                # "Meinten Sie 'Landkreis Helmstedt' oder 'Stadt Helmstedt'?" for 'Helmstedt'
                # offered a Kommune that is none now, without a word (session 18)
                _fehler_aendern(
                    d,
                    tabelle,
                    zeile,
                    kopf,
                    lambda m: (
                        m
                        + "".join(
                            f" {zitat(k)} ist seit dem Versand der Mappe keine Partnerkommune "
                            "dieser Arbeitsgruppe mehr."
                            for k in sorted(weg | set(frueher))
                            if f"{k!r}" in m.partition("Meinten Sie ")[2]
                        )
                    ),
                )
                continue
            neu = (
                umbenannt.neu
                if umbenannt is not None and umbenannt.alt == alt
                else (frueher[alt].vermutlich if alt in frueher else None)
            )
            text = (
                (
                    ""
                    if wert == alt
                    else f"{zitat(str(wert))} ist {zitat(alt)}, anders geschrieben. "
                )
                + f"{zitat(alt)} ist seit dem Versand der Mappe keine Partnerkommune dieser "
                f"Arbeitsgruppe mehr (jetzt: {'; '.join(ag.partner)}). "
                + (
                    f"Vermutlich umbenannt in {zitat(neu)}? Dann bitte diese wählen, sonst eine "
                    "andere Partnerkommune oder die Angabe löschen."
                    if neu is not None
                    else "Bitte eine Partnerkommune wählen oder die Angabe löschen."
                )
                + _ZAEHLT_WEITER.get(tabelle, "")
            )
            if wert == alt and alt in weg:
                melden(tabelle, zeile, kopf, wert, Stufe.WARNUNG, Regel.PARTNER, text)
                continue
            # Not in the list of the workbook (another spelling, or a copy's list without
            # her): its Fehler said "Meinten Sie 'Gemeinde Lehre'?", a Kommune that is none
            # now, or only "keine Partnerkommune" (session 18). It says why, still a Fehler.
            _fehler_aendern(
                d, tabelle, zeile, kopf, lambda m, t=text: f"{m.split(': ', 1)[0]}: {t}"
            )
        _weggefallene_im_kostenausgleich(d, st, weg, umbenannt, melden)
        _frueher_weggefallene_nennen(d, befunde, frueher)
    _zurueckgenommene_nennen(d, befunde, zurueckgenommene(d, st))

    if veraltet:
        abweichend = andere_rechengrundlagen(d, st)
        texte = andere_texte(d, st)
        befunde.append(
            befund(
                kontext,
                nr,
                None,
                None,
                None,
                None,
                Stufe.WARNUNG if abweichend else Stufe.HINWEIS,
                Regel.VERSION,
                f"{d.name}: Die Mappe wurde {ALTE_STAMMDATEN}"
                + (
                    f": {'; '.join(abweichend + texte)}. "
                    + (
                        "Die Übersicht rechnet mit den aktuellen Werten wie bei allen "
                        f"Handlungsfeldern; {ANDERE_ZAHLEN}. "
                        if any(not a.startswith(_LAUFZEIT) for a in abweichend)
                        else "An den Zahlen ändert das nichts. "
                    )
                    + "Das Korrekturexemplar in berichte/ hat die aktuellen Stammdaten und alle "
                    "Eingaben: bitte der Arbeitsgruppe zum Weiterarbeiten schicken."
                    if abweichend
                    else (f": {'; '.join(texte)}." if texte else " (z. B. geänderte Texte).")
                    + " Zinssatz, Zeitraum, Startjahr und Partner "
                    "sind dieselben; an den Zahlen ändert das nichts."
                ),
            )
        )
    return befunde


def _fehler_aendern(
    d: Dateiergebnis, tabelle: str, zeile: int, kopf: str, neu: Callable[[str], str]
) -> None:
    """The message of the list's Fehler at a Kommune cell (`_keine_partnerkommune`), made
    anew by `neu` from the old one."""
    g = d.gelesen[tabelle]
    ort = (g.roh.blatt, g.adresse(zeile, kopf), Regel.PARTNER, Stufe.FEHLER)
    for i, b in enumerate(d.befunde):
        if (b.blatt, b.zelle, b.regel, b.stufe) == ort:
            d.befunde[i] = dataclasses.replace(b, meldung=neu(b.meldung))


#: What a cell naming a Kommune that is no partner now does to the figures: the Kommune column
#: of Ressourcen and Nutzen says where a cost or benefit arises, the split follows the
#: Kostenausgleich (README), so the amount of the row still counts.
_ZAEHLT_WEITER = {
    "tbl_Ressourcen": " Die Kosten dieser Zeile zählen weiter zu den Kosten der Arbeitsgruppe "
    "(verteilt nach dem Kostenausgleich, nicht nach dieser Spalte); bringt sie keine "
    "Partnerkommune mehr ein, bitte die Zeile löschen.",
    "tbl_Nutzen": " Der Nutzen dieser Zeile zählt weiter zum Nutzen der Arbeitsgruppe (verteilt "
    "nach dem Kostenausgleich, nicht nach dieser Spalte); entsteht er bei keiner Partnerkommune "
    "mehr, bitte die Zeile löschen.",
}
#: ... and in a return with Fehler, which the overview leaves out (`_erst_ohne_fehler`)
_ZAEHLT_WEITER_BEI_FEHLERN = {
    " Die Kosten dieser Zeile zählen weiter": " Sind die Fehler dieser Mappe behoben, zählen "
    "die Kosten dieser Zeile weiter",
    " Der Nutzen dieser Zeile zählt weiter": " Sind die Fehler dieser Mappe behoben, zählt der "
    "Nutzen dieser Zeile weiter",
}

#: `_ikz` of a Korrektur copy: the Kommunen its return had as partners that are none now,
#: with the figures that stood at them (JSON, `Weggefallene`). The copy's own partners are the
#: current ones, so a copy sent back (or a copy of that copy) knew nothing of them: the note
#: "Im Rücklauf stand 6 % bei 'Gemeinde Lehre'" was gone, the empty cell only "braucht einen
#: Anteil", the sum "94 %" without a word of the 6 % (session 18).
WEGGEFALLENE = "weggefallene_partner"


@dataclass(frozen=True)
class Weggefallene:
    """A partner of an earlier workbook of the AG that is none now. `vermutlich`: her probable
    new name; `kopf`, `wert`, `zeile`, `datei`: the Fallzahl or share that stood at her, in
    which row of which return (None: none); `bei`: the new partners whose cells in the copy
    the figure was meant for (empty: struck off, nobody new)."""

    kommune: str
    vermutlich: str | None = None
    kopf: str | None = None
    wert: Any = None
    zeile: int | None = None
    datei: str = ""
    bei: tuple[str, ...] = ()

    def als_dict(self) -> dict[str, Any]:
        w = self.wert
        return {
            **dataclasses.asdict(self),
            "wert": float(w) if isinstance(w, Decimal) else w,
            "bei": list(self.bei),
        }

    def figur(self) -> str:
        """'Anteil individuell 6 %' as the cell showed it, '' without a figure."""
        if self.kopf is None or ist_leer(self.wert):
            return ""
        if self.kopf == "Anteil individuell" and isinstance(self.wert, int | float | Decimal):
            return f"{self.kopf} {deutsch.prozent(self.wert)}"
        return f"{self.kopf} {_fmt(self.wert)}"


def vermerkte_weggefallene(d: Dateiergebnis) -> list[Weggefallene]:
    """What an earlier round noted in this workbook's `_ikz` (`WEGGEFALLENE`); [] for a
    workbook without (or with an unreadable) note."""
    try:
        roh = json.loads(d.kennung.get(WEGGEFALLENE) or "[]")
    except ValueError:
        return []
    return [w for e in (roh if isinstance(roh, list) else []) if (w := _vermerk(e)) is not None]


def _vermerk(e: Any) -> Weggefallene | None:
    """One entry of the note, each field only as `Weggefallene.als_dict` writes it: the cell is
    JSON a clerk can reach once LibreOffice has shown `_ikz`, and typed over ("vermutlich": a
    list, "bei": a number) it stopped the check of the copy with "unerwarteter Fehler"
    (review18a). A field of another kind is left out; an entry without a name is none."""
    if not isinstance(e, dict):
        return None

    def text(k: str) -> str | None:
        v = e.get(k)
        return v if isinstance(v, str) and v.strip() else None

    kommune = text("kommune")
    if kommune is None:
        return None
    wert = e.get("wert")
    if isinstance(wert, bool) or not (
        isinstance(wert, str) or (isinstance(wert, int | float) and math.isfinite(wert))
    ):
        wert = None
    zeile = e.get("zeile")
    if isinstance(zeile, bool) or not isinstance(zeile, int) or zeile < 1:
        zeile = None
    # a figure only with the row and file it stood in: `_wo_es_stand` names them
    kopf = text("kopf") if wert is not None and zeile is not None and text("datei") else None
    bei = e.get("bei")
    return Weggefallene(
        kommune,
        text("vermutlich"),
        kopf,
        wert if kopf is not None else None,
        zeile,
        text("datei") or "",
        tuple(b for b in bei if isinstance(b, str) and b.strip()) if isinstance(bei, list) else (),
    )


def weggefallene(d: Dateiergebnis, st: Any) -> list[Weggefallene]:
    """The partners of this return and of its earlier rounds that are none now, with the
    figures that stood at them: what the Korrektur copy notes in `_ikz` (`WEGGEFALLENE`).
    Also the partners taken back whose figure is still empty (`zurueckgenommene`)."""
    ag = st.arbeitsgruppe_jetzt(d.kennung.get("arbeitsgruppe"))
    if ag is None:
        return []
    weg, neu = partnerwechsel(d, st)
    umbenannt = vermutlich_umbenannt(d, st)
    g = d.gelesen.get("tbl_Kostenausgleich")
    kopf = FIGUR_DES_SCHLUESSELS.get(str(d.felder.get("Schluessel")))
    genannt = {_fmt(w.get("Kommune")) for _, w in g.zeilen} if g is not None else set()
    ohne_zeile = tuple(p for p in neu if p not in genannt)
    vermerkt = {w.kommune: w for w in vermerkte_weggefallene(d)}
    ergebnis = []
    for p in weg:
        zeile, wert = next(
            ((z, w.get(kopf)) for z, w in (g.zeilen if g else []) if _fmt(w.get("Kommune")) == p),
            (None, None),
        )
        frueher = vermerkt.get(p)
        if ist_leer(wert) and frueher is not None and frueher.figur() and not _verteilt(frueher, d):
            # Taken back, her cell left empty, struck off again: the figure of the earlier
            # round stays noted (with where it stood). Her empty cell replaced it, and taken
            # back once more she came back without a word of her 6 % (round 23).
            ergebnis.append(
                dataclasses.replace(
                    frueher,
                    vermutlich=(
                        umbenannt.neu
                        if umbenannt is not None and umbenannt.alt == p
                        else frueher.vermutlich
                    ),
                    bei=ohne_zeile,
                )
            )
            continue
        ergebnis.append(
            Weggefallene(
                p,
                umbenannt.neu if umbenannt is not None and umbenannt.alt == p else None,
                kopf if zeile is not None and not ist_leer(wert) else None,
                wert if zeile is not None and not ist_leer(wert) else None,
                zeile,
                d.name,
                ohne_zeile,
            )
        )
    schon = {w.kommune for w in ergebnis}
    ergebnis += [
        dataclasses.replace(w, kopf=None, wert=None, bei=()) if _verteilt(w, d) else w
        for w in vermerkte_weggefallene(d)
        if w.kommune not in schon and w.kommune not in ag.partner
    ]
    # Taken back, her figure still empty: noted on until the AG enters one. The next copy
    # forgot her 6 % after one round (round 22).
    ergebnis += [w for w in zurueckgenommene(d, st) if w.kommune not in schon]
    return ergebnis


def _verteilt(w: Weggefallene, d: Dateiergebnis) -> bool:
    """Whether the figure noted for a former partner is dealt with in this copy sent back:
    its key is another one now, or every row has its figure (individual shares: 100 %). The
    next copy then passes her on without it: "stand 6 % bei 'Gemeinde Lehre'" went into every
    later copy while she was no partner, long after her share had been spread (session 19).
    Her name stays noted, so a cell still naming her is recognised."""
    from ikz_excel.berechnung import ergibt_eins

    schluessel = d.felder.get("Schluessel")
    g = d.gelesen.get("tbl_Kostenausgleich")
    if not w.figur() or schluessel not in SCHLUESSEL or g is None or not g.zeilen:
        return False
    kopf = FIGUR_DES_SCHLUESSELS.get(str(schluessel))
    if kopf != w.kopf:
        return True  # another key chosen: her figure splits nothing now
    if any(ist_leer(z.get(kopf)) for _, z in g.zeilen):
        return False
    return kopf != "Anteil individuell" or ergibt_eins(_summe_der_anteile(g))


def gemeinte_weggefallene(
    wert: Any, d: Dateiergebnis, st: Any, frueher: Collection[str] = ()
) -> str | None:
    """The Kommune that is no partner now (of the return's, or noted by an earlier round:
    `frueher`) that a Kommune cell names: exactly, or certainly in another spelling ("Gem.
    Lehre", "gemeinde lehre", "Gemeinde-Lehre" for "Gemeinde Lehre"), as the check's short
    forms and `stammdaten.nah` read it. None if it could be two (a partner too, or two gone):
    no guess. Her probable new name counts as her ("Gemeinde Lehre" is nearly "Gemeinde Lehre
    am See", which is she). Before, only the exact old name was recognised, and 'Gem. Lehre'
    got "Meinten Sie 'Gemeinde Lehre'?", a Kommune that is none now (session 18)."""
    from ikz_excel.definition import arbeitsmappe
    from ikz_excel.stammdaten import nah  # stammdaten imports this module

    if not isinstance(wert, str) or not wert.strip():
        return None
    weg, _ = partnerwechsel(d, st)
    weg = [*weg, *(k for k in frueher if k not in weg)]
    if wert in weg:
        return wert
    ag = st.arbeitsgruppe_jetzt(d.kennung.get("arbeitsgruppe"))
    if not weg or ag is None or wert in ag.partner:
        return None
    namen = list(dict.fromkeys([*_partner(d.kennung), *weg, *ag.partner]))
    gleich = {vergleichbar(n).replace("-", " "): n for n in namen}
    if (genau := gleich.get(" ".join(vergleichbar(wert).replace("-", " ").split()))) is not None:
        kandidaten = {genau}
    else:
        listen = {
            "kommunenart": tuple(arbeitsmappe().listen.get("kommunenart", ())),
            "alle_kommunen": tuple(k.name for k in st.kommunen),
        }
        kandidaten = set(_kurzform_von(wert, namen, listen)) | {n for n in namen if nah(wert, n)}
    dieselbe = {w.vermutlich: w.kommune for w in vermerkte_weggefallene(d) if w.vermutlich}
    if (u := vermutlich_umbenannt(d, st)) is not None:
        dieselbe[u.neu] = u.alt
    kandidaten = {dieselbe.get(k, k) for k in kandidaten}
    if len(kandidaten) == 1 and (alt := next(iter(kandidaten))) in weg:
        return alt
    return None


def _weggefallene_im_kostenausgleich(
    d: Dateiergebnis,
    st: Any,
    weg: Collection[str],
    umbenannt: Umbenennung | None,
    melden: Callable[..., None],
) -> None:
    """A Warnung at the row of each Kommune of the return's Kostenausgleich that is no partner
    now: what stands there and what becomes of it. Only "Partnerkommunen … nicht mehr" said
    so before, for the whole file: whether her 6 % counted, and that the copy had no row for
    them (its sum 94 %), nobody could see (session 18). PO decision: the return counts as it
    is until the copy comes back (the overview splits on the workbook's partners, README);
    the copy leaves her out, and the AG spreads her share anew."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    if g is None or not weg:
        return
    schluessel = str(d.felder.get("Schluessel") or "")
    eigene = {w.kommune: w for w in weggefallene(d, st)}
    verteilt = uebersicht_verteilt(d, st)
    for z, w in g.zeilen:
        name = _fmt(w.get("Kommune"))
        if name not in weg or name not in eigene:
            continue
        e = eigene[name]
        neu = umbenannt.neu if umbenannt is not None and umbenannt.alt == name else None
        figur = e.figur()
        # her figure noted from an earlier return (her cell here empty, `weggefallene`): not
        # "Ihre Zeile (Fallzahl 120) zählt", the row of this return has none (round 23)
        eigene_figur = figur if e.datei == d.name else ""
        bekannt = any(k.name == name for k in st.kommunen)
        weg_text = (
            f"{zitat(name)} ist seit dem Versand der Mappe keine Partnerkommune dieser "
            "Arbeitsgruppe mehr"
            + (f" (vermutlich umbenannt in {zitat(neu)}?)" if neu else "")
            + ". "
        )
        if schluessel not in SCHLUESSEL:
            # no key chosen: the overview splits this workbook on nobody, and "Ihr Anteil nach
            # dem Schlüssel '' zählt" claimed a share it does not show (review18a)
            melden(
                "tbl_Kostenausgleich",
                z,
                "Kommune",
                w.get("Kommune"),
                Stufe.WARNUNG,
                Regel.PARTNER,
                weg_text + "Im Korrekturexemplar hat sie keine Zeile mehr; die Kosten verteilen "
                "sich dort nach dem Schlüssel, den die Arbeitsgruppe wählt, auf die übrigen "
                "Partnerkommunen.",
            )
            continue
        # Her Fallzahl empty under the key Fallzahl: a Fehler of its own (`_kostenausgleich…`,
        # "braucht jede Kommune eine Fallzahl"), so the overview splits this return on nobody.
        # "Ihr Anteil … zählt …, Stadt Helmstedt eingeschlossen" promised a share she does not
        # have, and would have only if someone typed her figure into a return the AG no longer
        # works in (session 24).
        ohne_fallzahl = (
            schluessel == "Fallzahl"
            and w.get("Fallzahl") is None
            and (z, "Fallzahl") not in g.unlesbar
        )
        if ohne_fallzahl:
            was_zaehlt = (
                "Ihre Fallzahl ist in dieser Mappe leer (ein Fehler an ihrer Fallzahl): Solange "
                "das so ist, verteilt die Übersicht die Kosten dieser Mappe auf keine Kommune"
            )
        elif verteilt:
            was_zaehlt = (
                (
                    f"Ihre Zeile ({eigene_figur}) zählt"
                    if eigene_figur
                    else f"Ihr Anteil nach dem Schlüssel {schluessel!r} zählt"
                )
                + _BIS_ZURUECK[False]
                + f" die Partner dieser Mappe, {name} eingeschlossen"
                + ("" if bekannt else f" (Blatt Kommunen: „{_NICHT_MEHR_IN_DER_STEUERUNGSMAPPE}“)")
            )
        else:  # figures that do not split: the overview shows no share of this field
            was_zaehlt = (
                "Die Übersicht verteilt die Kosten dieser Mappe auf keine Kommune, solange "
                "ihr Kostenausgleich so nicht aufgeht"
            )
        text = (
            weg_text
            + was_zaehlt
            + ". Im Korrekturexemplar hat sie keine Zeile mehr; "
            + (
                f"die Zelle von {' bzw. '.join(zitat(b) for b in e.bei)} nennt dort ihren Wert."
                if e.bei and figur
                else f"die Anteile der übrigen ergeben dort weniger als 100 %: bitte ihre "
                f"{figur.removeprefix('Anteil individuell ')} auf die Partnerkommunen verteilen."
                if e.kopf == "Anteil individuell"
                else "die Kosten verteilen sich dort nach dem Schlüssel auf die übrigen "
                "Partnerkommunen."
            )
        )
        kopf = e.kopf or "Kommune"
        melden("tbl_Kostenausgleich", z, kopf, w.get(kopf), Stufe.WARNUNG, Regel.PARTNER, text)


#: as konsolidieren.NICHT_IN_DEN_STAMMDATEN (which imports this module)
_NICHT_MEHR_IN_DER_STEUERUNGSMAPPE = "nicht mehr in der Steuerungsmappe"


def _frueher_weggefallene_nennen(
    d: Dateiergebnis, befunde: list[Befund], frueher: Mapping[str, Weggefallene]
) -> None:
    """The Fehler of a copy sent back at the cell a former partner's figure was meant for (still
    empty) and at a sum without it say what stood there, round after round."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    mit_wert = [w for w in frueher.values() if w.figur()]
    if g is None or not mit_wert:
        return
    wem = {z: _fmt(w.get("Kommune")) for z, w in g.zeilen}
    for i, b in enumerate(befunde):
        if b.blatt != g.roh.blatt or b.zelle is None or b.stufe is not Stufe.FEHLER:
            continue
        zeile = adresse_zerlegen(b.zelle)[0]
        dazu = ""
        if b.regel is Regel.PFLICHT:
            fuer = [w for w in mit_wert if w.kopf == b.spalte and wem.get(zeile) in w.bei]
            if fuer:
                p = wem[zeile]
                dazu = (
                    " "
                    + ". ".join(_wo_es_stand(w) for w in fuer)
                    + (
                        f" (vermutlich umbenannt in {zitat(p)}?)"
                        if any(w.vermutlich == p for w in fuer)
                        else ""
                    )
                    + f". Ob das für {zitat(p)} gilt, sagt die Mappe nicht: bitte den Wert von "
                    f"{p} eintragen."
                )
        elif b.regel is Regel.SUMME and b.spalte == "Anteil individuell":
            fehlen, einer = _was_in_der_summe_fehlt(
                _summe_der_anteile(g), [w for w in mit_wert if w.kopf == "Anteil individuell"]
            )
            if fehlen:
                dazu = (
                    " "
                    + ". ".join(_wo_es_stand(w) for w in fehlen)
                    + (
                        ": In der Summe fehlt einer dieser Werte"
                        if einer
                        else ": In der Summe fehlt das"
                    )
                    + (
                        "; bitte auf die Partnerkommunen verteilen."
                        if not any(w.bei for w in fehlen)
                        else "."
                    )
                )
        if dazu:
            befunde[i] = dataclasses.replace(b, meldung=b.meldung + dazu)


def zurueckgenommene(d: Dateiergebnis, st: Any) -> list[Weggefallene]:
    """The former partners an earlier round noted with a figure (`WEGGEFALLENE`) that are
    partners again in today's Steuerungsmappe and that this workbook's partners lack: struck
    off, the Korrektur copy went out without them, then taken back (round 21)."""
    ag = st.arbeitsgruppe_jetzt(d.kennung.get("arbeitsgruppe"))
    damals = _partner(d.kennung)
    if ag is None or not damals:
        return []
    # Already a partner of this copy (a copy of the copy that had her row again): named until
    # the AG enters a figure for her. Named for one round only, a clerk who left her cell
    # empty once lost her 6 % without a word (round 22).
    return [
        w
        for w in vermerkte_weggefallene(d)
        if w.figur()
        and w.kommune in ag.partner
        and (w.kommune not in damals or _ohne_figur(d, w.kommune, w.kopf))
    ]


def _ohne_figur(d: Dateiergebnis, kommune: str, kopf: str | None) -> bool:
    """Whether this return has no figure `kopf` for `kommune`: her cell empty, or no row."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    if g is None or kopf is None:
        return True
    return all(ist_leer(w.get(kopf)) for _, w in g.zeilen if _fmt(w.get("Kommune")) == kommune)


def schon_wieder_partner(d: Dateiergebnis, w: Weggefallene) -> bool:
    """Whether the partner taken back was one of this workbook's partners already: a copy of
    the copy that gave her a row again, her cell still empty."""
    return w.kommune in _partner(d.kennung)


def _wo_es_stand_zurueck(w: Weggefallene, schon: bool = False) -> str:
    """Where the figure of a partner taken back stood, for the copy sent back and the next.
    `schon`: she has a row in this copy already, so "seit dem Versand wieder Partnerkommune"
    would be wrong; her cell is what is missing."""
    if schon:
        return (
            f"Bei {zitat(w.kommune)} stand früher {w.figur()} (Rücklauf {w.datei}, Zeile "
            f"{w.zeile} der damals eingesandten Mappe); ihre Zelle in dieser Mappe ist leer"
        )
    return (
        f"In einem früheren Rücklauf ({w.datei}) stand {w.figur()} bei {zitat(w.kommune)} "
        f"(Zeile {w.zeile} der damals eingesandten Mappe), seit dem Versand dieser Mappe wieder "
        "Partnerkommune dieser Arbeitsgruppe"
    )


def _zurueckgenommene_nennen(
    d: Dateiergebnis, befunde: list[Befund], zurueck: Sequence[Weggefallene]
) -> None:
    """The Fehler at the sum of the individual shares of a copy sent back names the share of a
    partner taken back since the copy went out, when the gap is hers: the copy has no row for
    her, and "94 %, nicht 100 %" alone left the AG to guess where 6 % had gone (round 21)."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    anteile = [w for w in zurueck if w.kopf == "Anteil individuell"]
    if g is None or not anteile:
        return
    for i, b in enumerate(befunde):
        if (
            b.blatt != g.roh.blatt
            or b.stufe is not Stufe.FEHLER
            or b.regel is not Regel.SUMME
            or b.spalte != "Anteil individuell"
        ):
            continue
        fehlen, einer = _was_in_der_summe_fehlt(_summe_der_anteile(g), anteile)
        if fehlen:
            schon = [schon_wieder_partner(d, w) for w in fehlen]
            befunde[i] = dataclasses.replace(
                b,
                meldung=b.meldung
                + " "
                + ". ".join(_wo_es_stand_zurueck(w, s) for w, s in zip(fehlen, schon, strict=True))
                + (": In der Summe fehlt " + ("einer dieser Werte" if einer else "das"))
                + _was_zu_tun_zurueck(fehlen, schon),
            )


def _und(namen: Sequence[str]) -> str:
    """'A', 'A' und 'B', 'A', 'B' und 'C': quoted names for a message."""
    zitiert = [zitat(n) for n in namen]
    return " und ".join([", ".join(zitiert[:-1]), zitiert[-1]] if len(zitiert) > 1 else zitiert)


def _was_zu_tun_zurueck(fehlen: Sequence[Weggefallene], schon: Sequence[bool]) -> str:
    """The end of the sum's message for partners taken back whose share is missing: what the
    AG does about it. With one of them in a row of this copy already and one without, it said
    "im Korrekturexemplar hat jede wieder eine Zeile", as if neither had one here (round 23)."""
    if all(schon):
        return (
            "; bitte ihren Anteil eintragen (0 % ist erlaubt)."
            if len(fehlen) == 1
            else "; bitte ihre Anteile eintragen (0 % ist erlaubt)."
        )
    if not any(schon):
        return "; im Korrekturexemplar hat " + (
            "sie wieder eine Zeile." if len(fehlen) == 1 else "jede wieder eine Zeile."
        )
    ohne = [w.kommune for w, s in zip(fehlen, schon, strict=True) if not s]
    return (
        f"; im Korrekturexemplar {'hat' if len(ohne) == 1 else 'haben'} {_und(ohne)} wieder "
        f"eine Zeile. Bitte dort die Anteile von {_und([w.kommune for w in fehlen])} eintragen "
        "(0 % ist erlaubt)."
    )


#: A sum of shares this close to 100 % comes from rounded shares (3 × 33,33 % = 99,99 %).
_RUNDUNGSREST = Decimal("0.0005")


def _rundung_der_anteile(summe: Any, anteile: list[Any]) -> str | None:
    """The message for shares that miss 100 % by what rounding leaves (3 × 33,33 %), or None.

    No tolerance: the workbook's own check says the sum is not 100 % either, and what is
    missing would be split to no Kommune (berechnung scales the shares to 1, so a third of a
    hundredth of a percent would move between the Kommunen unseen). "99,99 %, nicht 100 %"
    alone left the clerk to look for a typing error: the message names the rounding and which
    change makes it exact.
    """
    zahlen = [Decimal(repr(a)) if isinstance(a, float) else a for a in anteile]
    zahlen = [a for a in zahlen if isinstance(a, Decimal | int) and a > 0]
    rest = 1 - Decimal(summe)
    if not zahlen or rest == 0 or abs(rest) > _RUNDUNGSREST:
        return None
    beispiel = zahlen[-1]
    richtung = "erhöhen" if rest > 0 else "verringern"
    return (
        f"Die individuellen Anteile ergeben {_fmt(summe * 100)} %, nicht 100 %: es "
        f"{'fehlen' if rest > 0 else 'sind'} {_fmt(abs(rest) * 100)} %"
        f"{'' if rest > 0 else ' zu viel'}, wohl durch gerundete Anteile (wie 3 × 33,33 %). "
        f"Bitte einen Anteil um {_fmt(abs(rest) * 100)} % {richtung} (z. B. "
        f"{_fmt((beispiel + rest) * 100)} % statt {_fmt(beispiel * 100)} %), sodass die Summe "
        "genau 100 % ist."
    )


def _summe_der_anteile(g: Any) -> Decimal:
    """The sum of the individual shares of a Kostenausgleich, over every row and only what is
    a number, as the check of the sum (and the workbook's own) adds them."""
    return sum(
        (
            Decimal(str(a))
            for _, w in g.zeilen
            if isinstance(a := w.get("Anteil individuell"), int | float | Decimal)
        ),
        Decimal(0),
    )


def _was_in_der_summe_fehlt(
    summe: Decimal, frueher: Sequence[Weggefallene]
) -> tuple[list[Weggefallene], bool]:
    """The former partners' shares whose absence the sum shows: all of them if the gap is their
    total, else those whose own share is the gap (True: more than one, the gap is one of
    them), else none. "… stand 6 % bei 'Gemeinde Lehre': In der Summe fehlt das" stood at
    every sum that was off, also at 99 % from a typo after her 6 % had been spread (session 19).
    Honest and simple: no search for a subset of several."""
    from ikz_excel.berechnung import ergibt_eins

    def anteil(w: Weggefallene) -> Decimal | None:
        return Decimal(str(w.wert)) if isinstance(w.wert, int | float) else None

    mit = [(w, a) for w in frueher if (a := anteil(w)) is not None]
    if not mit:
        return [], False
    if ergibt_eins(summe + sum((a for _, a in mit), Decimal(0))):
        return [w for w, _ in mit], False
    einzeln = [w for w, a in mit if ergibt_eins(summe + a)]
    return einzeln, len(einzeln) > 1


def _wo_es_stand(w: Weggefallene) -> str:
    """Where an earlier round's figure stood, for a message to a later one."""
    return (
        f"In einem früheren Rücklauf ({w.datei}) stand {w.figur()} bei "
        f"{zitat(w.kommune)} (Zeile {w.zeile} der damals eingesandten Mappe), seither keine "
        "Partnerkommune dieser Arbeitsgruppe mehr"
    )


def _kommunenzellen(d: Dateiergebnis, mappe_def: Any) -> Iterator[tuple[str, int, str, Any]]:
    """(table, row, header, value) of every cell whose list is the AG's partners, but the
    Kostenausgleich: its rows are the partners', the copy writes them anew."""
    for _, tdef in mappe_def.tabellen:
        g = d.gelesen.get(tdef.name)
        if g is None or tdef.name == "tbl_Kostenausgleich":
            continue
        if tdef.zeilen:
            for key, (zeile, wert) in g.zeilen_nach_schluessel.items():
                zdef = _zeile(tdef, key)
                eingabe = zdef.eingabe if zdef is not None else None
                if eingabe is not None and eingabe.liste == "kommunen" and tdef.eingabespalte:
                    yield tdef.name, zeile, tdef.eingabespalte, wert
            continue
        for spalte in tdef.spalten:
            if spalte.liste == "kommunen":
                for zeile, werte in g.zeilen:
                    yield tdef.name, zeile, spalte.kopf, werte.get(spalte.kopf)


def _aeltere_stammdaten(d: Dateiergebnis, st: Any, mappe_def: Any) -> bool:
    """Whether the return was made from other Stammdaten than its AG's workbook is made of now.

    Per AG (see `erzeugen.stammdaten_pruefsumme`): a new AG or a decision of the Lenkungsgruppe
    changes nothing in this one. A workbook from before that carries the checksum of all
    Stammdaten and differs: it gets the Hinweis once too often, never one too few.
    """
    from ikz_excel.erzeugen import stammdaten_pruefsumme

    pruefsumme = d.kennung.get("stammdaten_pruefsumme")
    ag = next((a for a in st.arbeitsgruppen if a.kuerzel == d.arbeitsgruppe), None)
    if pruefsumme is None or ag is None:  # an unknown AG is a finding of its own
        return False
    return pruefsumme != stammdaten_pruefsumme(st, ag, mappe_def)


_LAUFZEIT = ("Programmbeginn", "Programmende")  # what changes dates, not figures


@dataclass(frozen=True)
class Umbenennung:
    """A partner of the workbook that is none now, and the one new partner that is probably
    she under her new name (`vermutlich_umbenannt`). `sicher`: the new one has the Einwohner
    the workbook showed for the old one, so the Korrektur copy may carry her figure over."""

    alt: str
    neu: str
    sicher: bool


#: The column of the Kostenausgleich whose figures split the costs, per Verteilungsschlüssel
#: (the others need none).
FIGUR_DES_SCHLUESSELS = {"individuell": "Anteil individuell", "Fallzahl": "Fallzahl"}


def partnerwechsel(d: Dateiergebnis, st: Any) -> tuple[list[str], list[str]]:
    """(partners of the workbook that are none now, partners now that the workbook lacked),
    each in its list's order; both empty for an AG the Steuerungsmappe no longer has."""
    ag = st.arbeitsgruppe_jetzt(d.kennung.get("arbeitsgruppe"))
    damals = _partner(d.kennung)
    if ag is None or not damals:
        return [], []
    return [p for p in damals if p not in ag.partner], [p for p in ag.partner if p not in damals]


def vermutlich_umbenannt(d: Dateiergebnis, st: Any) -> Umbenennung | None:
    """The rename the Steuerungsgruppe probably made since the workbook went out, or None.

    Only one partner gone and one new, and either the same Einwohner (from `_ikz`, else the
    locked column of the return's row) or a name that is nearly the old one ("Gemeinde
    Talheim am See" for "Gemeinde Talheim"): "keine Partnerkommune mehr" and "jetzt auch …,
    … nicht mehr" left the Steuerungsgruppe and the clerk to see it themselves (session 17).
    Two gone or two new are a merger or an exchange of partners; nobody can say who is who.
    """
    from ikz_excel.stammdaten import nah  # stammdaten imports this module

    weg, neu = partnerwechsel(d, st)
    if len(weg) != 1 or len(neu) != 1:
        return None
    damals = (_erzeugte_einwohner(d) or {}).get(weg[0])
    if damals is None and (g := d.gelesen.get("tbl_Kostenausgleich")) is not None:
        gezeigt = [w.get("Einwohner") for _, w in g.zeilen if _fmt(w.get("Kommune")) == weg[0]]
        if gezeigt and isinstance(gezeigt[0], int) and not isinstance(gezeigt[0], bool):
            damals = gezeigt[0]
    jetzt = next((k.einwohner for k in st.kommunen if k.name == neu[0]), None)
    gleich = damals is not None and damals == jetzt
    if not (gleich or nah(weg[0], neu[0])):
        return None
    return Umbenennung(weg[0], neu[0], gleich)


def andere_rechengrundlagen(d: Dateiergebnis, st: Any) -> list[str]:
    """What the AG's workbook computes with that the Steuerungsmappe now says otherwise: the
    overview computes with the current values, the AG's own workbook shows other figures.
    Einwohner count where they split the costs (key Einwohner)."""
    k = d.kennung
    anders: list[str] = []
    zins = Decimal(k.get("kalkulationszinssatz") or st.zinssatz)
    if zins != st.zinssatz:
        anders.append(
            f"Kalkulationszinssatz {_fmt(zins * 100)} % (jetzt {_fmt(st.zinssatz * 100)} %)"
        )
    jahre = int(k.get("betrachtungszeitraum") or st.jahre)
    if jahre != st.jahre:
        anders.append(f"Betrachtungszeitraum {jahre} Jahre (jetzt {st.jahre})")
    start = int(k.get("startjahr") or st.startjahr)
    if start != st.startjahr:
        anders.append(f"Startjahr {start} (jetzt {st.startjahr})")
    # The workbook checks its dates against the Programmlaufzeit it was written with: a
    # Meilenstein after the old end could not be typed in (lifecycle probe).
    for schluessel, was, jetzt in (
        ("programmbeginn", _LAUFZEIT[0], st.programmbeginn),
        ("programmende", _LAUFZEIT[1], st.programmende),
    ):
        try:
            damals = date.fromisoformat(k.get(schluessel) or "")
        except ValueError:
            continue  # a workbook from before that was noted
        if jetzt and damals != jetzt:
            anders.append(
                f"{was} {damals:%d.%m.%Y} (jetzt {jetzt:%d.%m.%Y}; die Mappe nimmt nur Termine "
                "der alten Laufzeit an)"
            )
    partner = _partner(k)
    ag = st.arbeitsgruppe_jetzt(k.get("arbeitsgruppe"))
    if partner and ag is not None and set(partner) != set(ag.partner):
        neu = sorted(set(ag.partner) - set(partner))
        weg = sorted(set(partner) - set(ag.partner))
        anders.append(
            "Partnerkommunen "
            + ", ".join([*(f"jetzt auch {n}" for n in neu), *(f"{w} nicht mehr" for w in weg)])
            + (
                f" – {u.alt} vermutlich umbenannt in {zitat(u.neu)}?"
                if (u := vermutlich_umbenannt(d, st)) is not None
                else ""
            )
            # Shares need the AG's inputs per partner (Fallzahl, individual shares): until
            # the Korrektur copy comes back, the split can only be the workbook's, and only
            # if the overview can split it at all (not without a key: session 19).
            + (
                f" ({_BIS_KORREKTUR[any(b.stufe is Stufe.FEHLER for b in d.befunde)]})"
                if uebersicht_verteilt(d, st)
                else f" ({_KEINE_VERTEILUNG[d.felder.get('Schluessel') in SCHLUESSEL]})"
            )
        )
    if d.felder.get("Schluessel") == "Einwohner":
        if (erzeugt := _erzeugte_einwohner(d)) is not None:
            # the Steuerungsgruppe's changes; the clerk's are Warnungen at their cells
            stamm = {k.name: k.einwohner for k in st.kommunen}
            anders += [
                f"Einwohner {name} {_fmt(zahl)} (jetzt {_fmt(stamm[name])})"
                for name, zahl in erzeugt.items()
                if name in stamm and stamm[name] != zahl
            ]
        else:
            anders += [
                f"Einwohner {name} {'leer' if zahl is None else _fmt(zahl)} (jetzt {_fmt(richtig)})"
                for _, name, zahl, richtig in _andere_einwohner(d, st)
            ]
    return anders


def uebersicht_verteilt(d: Dateiergebnis, st: Any) -> bool:
    """Whether the overview splits this workbook's costs on its partners at all, as
    `konsolidieren` computes the shares: not without a key, nor with figures that do not
    split (individual shares not 100 %, no Fallzahl). The messages to a Kommune struck off
    promised "verteilt die Übersicht die Kosten auf die Partner dieser Mappe" either way,
    and the overview then showed no share of this field for anybody (session 19)."""
    from ikz_excel.konsolidieren import anteile_der_mappe  # it imports this module

    einwohner = {k.name: k.einwohner for k in st.kommunen}
    return anteile_der_mappe(d, d.felder.get("Schluessel"), einwohner) is not None


#: What becomes of a struck-off Kommune's row in a return the overview can split, by whether the
#: return has Fehler: `konsolidieren` splits only returns without, and the messages promised
#: "verteilt die Übersicht die Kosten auf die Partner dieser Mappe" also with a Fehler elsewhere
#: in the file, when the overview showed no share of it at all (session 20). Checked when all
#: findings of the file are in (`_erst_ohne_fehler`), and the Korrektur copy's note asks
#: `andere_rechengrundlagen` when they are.
_BIS_ZURUECK = {
    False: ", bis die Arbeitsgruppe das Korrekturexemplar zurückschickt: Die Übersicht verteilt "
    "die Kosten bis dahin auf",
    True: " erst, wenn die Fehler dieser Mappe behoben sind (bis dahin verteilt die Übersicht "
    "ihre Kosten auf keine Kommune), und dann, bis die Arbeitsgruppe das Korrekturexemplar "
    "zurückschickt: Die Übersicht verteilt die Kosten dann auf",
}
_BIS_KORREKTUR = {
    False: "bis die AG im Korrekturexemplar weiterarbeitet, verteilt die Übersicht die Kosten "
    "auf die Partner dieser Mappe",
    True: "solange diese Mappe Fehler hat, verteilt die Übersicht ihre Kosten auf keine Kommune; "
    "sobald die Fehler behoben sind, auf die Partner dieser Mappe, bis die AG im "
    "Korrekturexemplar weiterarbeitet",
}


def _erst_ohne_fehler(d: Dateiergebnis) -> None:
    """The promises of `_BIS_ZURUECK`, `_BIS_KORREKTUR` and `_ZAEHLT_WEITER` made true for a
    file with Fehler.
    Made when its findings are all in: the messages at a struck-off Kommune are written
    before the checks that come after them, and a Fehler there counts as much."""
    if not any(b.stufe is Stufe.FEHLER for b in d.befunde):
        return
    ersetzen = [
        *((v[False], v[True]) for v in (_BIS_ZURUECK, _BIS_KORREKTUR)),
        *_ZAEHLT_WEITER_BEI_FEHLERN.items(),
    ]
    for i, b in enumerate(d.befunde):
        if b.regel not in (Regel.PARTNER, Regel.VERSION):
            continue
        meldung = b.meldung
        for bisher, neu in ersetzen:
            meldung = meldung.replace(bisher, neu)
        if meldung != b.meldung:
            d.befunde[i] = dataclasses.replace(b, meldung=meldung)


#: What the overview does with a workbook it cannot split (`uebersicht_verteilt`), by whether
#: a key is chosen; the Korrektur copy has the current partners either way.
_KEINE_VERTEILUNG = {
    False: "in dieser Mappe ist kein Verteilungsschlüssel gewählt: Die Übersicht verteilt ihre "
    "Kosten auf keine Kommune, bis die AG im Korrekturexemplar einen wählt; dort stehen die "
    "jetzigen Partner",
    True: "der Kostenausgleich dieser Mappe geht so nicht auf: Die Übersicht verteilt ihre "
    "Kosten auf keine Kommune, bis die AG ihn im Korrekturexemplar berichtigt; dort stehen die "
    "jetzigen Partner",
}


def andere_texte(d: Dateiergebnis, st: Any) -> list[str]:
    """The AG's names the workbook was written with that the Steuerungsmappe has changed since:
    the overview shows the new ones, and "geänderte Texte" alone left the Steuerungsgruppe
    guessing which return was meant (lifecycle probe)."""
    ag = next((a for a in st.arbeitsgruppen if a.kuerzel == d.arbeitsgruppe), None)
    if ag is None:
        return []
    texte = [
        f"{was} {zitat(damals)} (jetzt {zitat(jetzt)})"
        for was, damals, jetzt in (
            # the same AG in other case ("AG-01", now "ag-01": `kuerzel_jetzt`) counts, and
            # its Kürzel is what the cover of its workbook shows differently (review 16b)
            ("Kürzel", d.kennung.get("arbeitsgruppe"), ag.kuerzel),
            ("Bezeichnung", d.kennung.get("bezeichnung"), ag.bezeichnung),
            ("Handlungsfeld", d.kennung.get("handlungsfeld"), ag.handlungsfeld),
            # a second programme year under a new name: the cover shows the old one
            ("Programm", d.kennung.get("programm"), st.programm),
        )
        if damals and damals != jetzt
    ]
    # the Abgabetermin on the cover, moved by the Lenkungsgruppe (session 23); a workbook
    # from before it was noted in `_ikz` keeps "z. B. geänderte Texte"
    try:
        termin = date.fromisoformat(d.kennung.get("abgabetermin") or "")
    except ValueError:
        termin = None
    if termin is not None and termin != ag.abgabetermin:
        texte.append(f"Abgabetermin {termin:%d.%m.%Y} (jetzt {ag.abgabetermin:%d.%m.%Y})")
    # Einwohner that split nothing here (key Einwohner: `andere_rechengrundlagen`), but the
    # workbook shows them: two names swapped on the Kommunen sheet were "z. B. geänderte
    # Texte" (session 18)
    schluessel = d.felder.get("Schluessel")
    if schluessel != "Einwohner" and (erzeugt := _erzeugte_einwohner(d)) is not None:
        stamm = {k.name: k.einwohner for k in st.kommunen}
        # no key chosen yet: "beim Schlüssel None" (review18a)
        einfluss = (
            f"beim Schlüssel {schluessel!r} ohne Einfluss auf die Anteile"
            if schluessel in SCHLUESSEL
            else "ohne Einfluss auf die Anteile, solange nicht der Schlüssel 'Einwohner' "
            "gewählt ist"
        )
        texte += [
            f"Einwohner {name} {_fmt(zahl)} (jetzt {_fmt(stamm[name])}; {einfluss})"
            for name, zahl in erzeugt.items()
            if name in stamm and stamm[name] != zahl and name in ag.partner
        ]
    return texte


def gezeigte_einwohner(d: Dateiergebnis, st: Any) -> dict[str, Any]:
    """The Einwohner per Kommune the rows of the return's Kostenausgleich show (a locked
    column): those its workbook was written with, else the Steuerungsmappe's. They tell
    whose row a row is when its name was typed over."""
    return _erzeugte_einwohner(d) or {k.name: k.einwohner for k in st.kommunen}


def _erzeugte_einwohner(d: Dateiergebnis) -> dict[str, int] | None:
    """The Einwohner per partner the workbook was written with (`_ikz`), None in a workbook
    from before they were noted there."""
    try:
        werte = json.loads(d.kennung.get("einwohner") or "null")
    except ValueError:
        return None
    if not isinstance(werte, dict):
        return None
    return {str(k): v for k, v in werte.items() if isinstance(v, int) and not isinstance(v, bool)}


def _andere_einwohner(
    d: Dateiergebnis, st: Any, soll: Mapping[str, int] | None = None
) -> list[tuple[int, str, int | None, int]]:
    """(row, Kommune, Einwohner in the return or None, Einwohner in the Steuerungsmappe) for
    each partner row whose figure differs from `soll` (default: the Steuerungsmappe's)."""
    if "tbl_Kostenausgleich" not in d.gelesen:
        return []
    stamm = {k.name: k.einwohner for k in st.kommunen}
    soll = stamm if soll is None else soll
    anders = []
    for z, w in d.gelesen["tbl_Kostenausgleich"].zeilen:
        name, zahl = str(w.get("Kommune") or ""), w.get("Einwohner")
        zahl = None if ist_leer(zahl) else zahl
        if name in stamm and name in soll and zahl != soll[name]:
            anders.append((z, name, zahl, stamm[name]))
    return anders
