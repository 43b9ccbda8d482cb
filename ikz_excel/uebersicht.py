"""Lenkungsgruppe_Uebersicht.xlsx: the one workbook the mayors decide on (FACHKONZEPT §8).

Derived, never edited by hand, rebuilt on every `konsolidieren`. Figures are Python's; where the
Lenkungsgruppe should be able to try something (other Faktoren), the cells hold live formulas
whose cached results are Python's figures, so the file shows the right numbers even in a viewer
that does not recalculate. Text from returns is always written as text, never as a formula.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.utility import (
    quote_sheetname,
    xl_col_to_name,
    xl_range_abs,
    xl_rowcol_to_cell,
)

from ikz_excel import berechnung, definition, deutsch, xlsx
from ikz_excel.dateien import atomar
from ikz_excel.konsolidieren import KEIN_RUECKLAUF, Konsolidierung
from ikz_excel.pruefen import FEHLERHAFT, NICHT_AUSGEFUELLT, UNLESBAR, zeigt_andere_zahlen
from ikz_excel.stammdaten import KRITERIEN

#: The two bar charts on sheets of their own, each after the sheet of its table (session 21):
#: below a table of more than one page, a chart printed under the table's header, repeated
#: on every page of its sheet, an empty band above the chart.
KAPITALWERT_DIAGRAMM = "Diagramm Kapitalwert"
NETTOEFFEKT_DIAGRAMM = "Diagramm Nettoeffekt"
BLAETTER = (
    "Übersicht",
    KAPITALWERT_DIAGRAMM,
    "Prioritätenmatrix",
    "Wirtschaftlichkeit",
    "Kommunen",
    NETTOEFFEKT_DIAGRAMM,
    "Kommunen-Matrix",
    "Kommunen je Handlungsfeld",
    "Risiken",
    "Risikomatrix",
    "Stärken-Schwächen",
    "Zeitplan",
    "Rücklauf",
    "Befunde",
    "Weitere Handlungsfelder",
)
GELD = '#,##0.00 "€";[Red]-#,##0.00 "€"'
#: Whole euros where a row holds many amounts side by side (the Übersicht): narrower columns.
GELD_GANZ = '#,##0 "€";[Red]-#,##0 "€"'
DUNKEL = "#1F4E78"
ROT = "#C00000"  # costs and losses, in charts
#: Points: the default row (17 pixels) and what A4 landscape prints between the margins.
ZEILENHOEHE = 12.75
#: Points of a row of a subheading in 11 pt (`_Mappe.untertitel`): Calc needs 13.8, Excel
#: sets Arial 11 in 19 pixels (14.25): both more than the default row.
UNTERTITELZEILE = 15
SEITENHOEHE = (8.27 - 2 * 0.6) * 72
DRUCKBREITE = (11.69 - 2 * 0.4) * 72
#: Points of each row of the Risikomatrix: its boxes all alike, about as high as wide.
MATRIXZEILE = 30
#: How much of a last page a table may fill and still print a page shorter
#: (`_Mappe.keine_restseite`): 15 % of a page, printed at about seven eighths at most.
RESTSEITE = 0.15


#: What a criterion of SUMIFS/COUNTIFS reads as more than text: a comparison in front
#: (=, <, >) and the wildcards (*, ?, ~ escaping them).
_KRITERIUM_SONDER = re.compile(r"^[=<>]|[*?~]")


def _genau(text: str, zelle: str | None = None) -> str:
    """The criterion of SUMIFS/COUNTIFS that matches `text` itself: the cell `zelle` holding
    it where the text means only itself, else the text as a literal.

    A criterion is read as an operator and a pattern: the Kommune "<Lehre>" summed every
    Kommune sorting before it, "=1+1" none, and a quote in an AG's Kürzel ('AG "IT"') broke
    the formula (#VALUE!), while Python showed the right figures (review). "=" in front makes
    the rest a value to equal, "~" keeps * and ? from standing for other letters.
    """
    sonder = _KRITERIUM_SONDER.search(text)
    if zelle is not None and not sonder:
        return zelle
    wert = "=" + re.sub(r"([*?~])", r"~\1", text) if sonder else text
    return '"' + wert.replace('"', '""') + '"'


def _suchtext(text: str) -> str:
    """`text` as the value MATCH(…, 0) finds only itself: in Excel (and in LibreOffice with
    wildcards, as for .xlsx) * ? ~ stand for other letters unless "~" escapes them; a quote is
    doubled inside the literal."""
    return '"' + re.sub(r"([*?~])", r"~\1", text).replace('"', '""') + '"'


def _zahl(wert: Any) -> Any:
    if isinstance(wert, Decimal):
        return float(wert)
    return wert


class _Mappe:
    def __init__(self, pfad: Path, k: Konsolidierung) -> None:
        self.wb = xlsx.Zellenmappe(
            str(pfad),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "in_memory": True,
                "default_format_properties": xlsx.standardschrift(),
                "default_row_height": 17,
            },
        )
        self.wb.set_properties(
            {
                "title": "Übersicht für die Lenkungsgruppe",
                "subject": k.st.programm,
                "author": "Steuerungsgruppe",
                "comments": "Erzeugt mit ikz_excel; wird bei jedem Konsolidieren neu geschrieben.",
                "created": k.stand,
            }
        )
        # font_scheme "none": a font equal to the theme's name would otherwise be tied to the
        # theme (Calibri) in Excel.
        basis = {"font_name": "Arial", "font_size": 10, "valign": "top", "font_scheme": "none"}
        self.basis = basis
        #: Formats that wrap text, by id, with their font size: rows get their height from these.
        self.umbruch: dict[int, float] = {}
        #: Of these, the indented ones, by id, with their levels of indent, and the bold ones.
        self.einzug: dict[int, int] = {}
        self.umbruch_fett: set[int] = set()
        #: Formats of numbers, by id: their columns get a header flush right.
        self.zahlen: set[int] = set()
        #: Row heights set so far, per sheet: a block beside a table shares its rows.
        self.hoehen: dict[str, dict[int, float]] = {}
        #: Column widths set so far, per sheet, and the hints still to write (`drucken`).
        self.breiten: dict[str, dict[int, float]] = {}
        self.hinweise: dict[str, str] = {}
        self.titel = self.fmt(bold=True, font_size=14, font_color=DUNKEL)
        self.untertitel = self.fmt(bold=True, font_size=11, font_color=DUNKEL)
        self.text = self.fmt(text_wrap=True)
        self.hinweis = self.fmt(italic=True, text_wrap=True)
        #: text beside a number or a text that may fill its column, kept apart from it: a line
        #: of a wrapped text ends where it fills the column, and the next column's text began
        #: a space after it ("Wirtschaftsförderung beim delegierend", print review)
        self.eingerueckt = self.fmt(text_wrap=True, align="left", indent=1)
        self.fett = self.fmt(bold=True)
        self.warnung = self.fmt(bold=True, font_color=ROT)
        self.geld = self.fmt(num_format=GELD)
        #: a table's totals row: whole euros, as in the Übersicht, the only table with one
        #: totals rows: in whole euros where the table shows them so (the Übersicht), or cents
        self.summe_geld = self.fmt(num_format=GELD_GANZ, bold=True)
        self.summe_cent = self.fmt(num_format=GELD, bold=True)
        self.ganz = self.fmt(num_format="0")
        self.prozent = self.fmt(num_format=xlsx.PROZENTFORMAT)
        self.datum = self.fmt(num_format="DD.MM.YYYY")
        self.eingabe = self.fmt(bg_color="#FFF2CC", border=1, num_format="0", bold=True)
        kopf = {
            "bold": True,
            "text_wrap": True,
            "font_color": "#FFFFFF",
            "bg_color": DUNKEL,
            "font_size": 9,
        }
        self.kopf = self.fmt(**kopf, valign="vcenter")
        # indented from the right: on screen the filter button stands there, over the text
        self.kopf_rechts = self.fmt(**kopf, valign="vcenter", align="right", indent=2)
        # Long single words ("Eintrittswahrscheinlichkeit") in narrow number columns: upright.
        self.kopf_hoch = self.fmt(**kopf, rotation=90, valign="bottom", align="center")
        self.k = k
        # Two sheets show them and each call walks all AGs (Ränge: every AG against every other).
        self.gesamt, self.raenge = k.gesamtpunkte(), k.raenge()

    def fmt(self, **eigenschaften: Any) -> Any:
        f = self.wb.add_format({**self.basis, **eigenschaften})
        zahlformat = eigenschaften.get("num_format")
        if zahlformat not in (None, "@") and "YY" not in str(zahlformat):  # dates: left as text
            self.zahlen.add(id(f))
        if eigenschaften.get("text_wrap"):
            self.umbruch[id(f)] = eigenschaften.get("font_size", self.basis["font_size"])
            if eigenschaften.get("indent"):
                # counted without it, "gültig mit Warnungen (2 Fassungen)" took a line more
                # than its row had, and "Fassungen)" was cut on paper (README walk-through)
                self.einzug[id(f)] = eigenschaften["indent"]
            if eigenschaften.get("bold"):
                self.umbruch_fett.add(id(f))
        return f

    def blatt(self, name: str, titel: str, hinweis: str = "") -> Any:
        """A sheet for A4 landscape, one page wide; the hint goes below the title when the
        printed width is known (`drucken`)."""
        ws = self.wb.add_worksheet(name)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.hide_gridlines(2)
        ws.set_header(xlsx.kopfzeile(self.k.st.programm, name))
        ws.set_footer(f"&L&8Stand {self.k.stand:%d.%m.%Y %H:%M}&R&8Seite &P von &N")
        ws.write_string(0, 0, titel, self.titel)
        self.hoehe_mindestens(ws, 0, 20)  # 14 pt: the default row of Arial 10 would cut it
        if hinweis:
            self.hinweise[ws.name] = hinweis
        return ws

    def hoehe_mindestens(self, ws: Any, zeile: int, hoehe: float) -> None:
        """A row at least `hoehe` points high, noted: a block beside a table shares its rows,
        and `hoehe` adds them up for the page."""
        hoehen = self.hoehen.setdefault(ws.name, {})
        if hoehe > hoehen.get(zeile, 0):
            hoehen[zeile] = hoehe
            ws.set_row(zeile, hoehe)

    def hoehe(self, ws: Any, bis: int) -> float:
        """Height in points of rows 0 to `bis` as set so far (others of the default height)."""
        gesetzt = self.hoehen.get(ws.name, {})
        return sum(gesetzt.get(r, ZEILENHOEHE) for r in range(bis + 1))

    def spalte(self, ws: Any, erste: int, letzte: int, breite: float) -> None:
        """Column widths, noted: a hint above the table wraps within the printed ones."""
        ws.set_column(erste, letzte, breite)
        for c in range(erste, letzte + 1):
            self.breiten.setdefault(ws.name, {})[c] = breite

    def tabelle(
        self,
        ws: Any,
        zeile: int,
        name: str,
        spalten: list[tuple[str, float, Any]],
        daten: list[list[Any]],
        hoch: frozenset[str] = frozenset(),
        summen: dict[str, Any] | None = None,
        summen_format: Any = None,
    ) -> tuple[int, int]:
        """A filterable table from column A; values typed by Python type; headers named
        in `hoch` are written upright (for long words over narrow number columns). Rows with
        wrapped text get a height to match. Returns (first, last) data row.

        `summen` gives a totals row below the last data row: a text for a column, or Python's
        sum of it, written as a SUBTOTAL over the column's shown rows (a filter changes it).
        """
        erste, letzte = zeile + 1, zeile + max(len(daten), 1)
        spalten_def: list[dict[str, Any]] = []
        for kopf, _, f in spalten:
            # over a column of numbers, flush right like them (a left "Warnungen" stood over
            # the Fehler count of the column before, print review)
            kopf_format = self.kopf_rechts if id(f) in self.zahlen else self.kopf
            d = {"header": kopf, "header_format": self.kopf_hoch if kopf in hoch else kopf_format}
            summe = (summen or {}).get(kopf)
            if isinstance(summe, str):
                d.update(total_string=summe, format=self.fett)
            elif summe is not None:
                # spelled out with the table's name: LibreOffice does not know the bare [Spalte]
                # XlsxWriter writes for its built-in "sum"
                d.update(
                    total_function=f"SUBTOTAL(109,{name}[{kopf}])",
                    total_value=_zahl(summe),
                    format=summen_format or self.summe_geld,
                )
            spalten_def.append(d)
        ws.add_table(
            zeile,
            0,
            letzte + (1 if summen else 0),
            len(spalten) - 1,
            {
                "name": name,
                "columns": spalten_def,
                "style": "Table Style Light 9",
                "total_row": bool(summen),
            },
        )
        spalten = [
            (
                kopf,
                _breite(kopf, breite, [z[c] for z in daten], f, self.umbruch.get(id(f)), hoch),
                f,
            )
            for c, (kopf, breite, f) in enumerate(spalten)
        ]
        for c, (_, breite, _) in enumerate(spalten):
            self.spalte(ws, c, c, breite)
        self.hoehe_mindestens(ws, zeile, _kopfhoehe(spalten, hoch))
        self.zeilen(ws, erste, daten, [fmt for _, _, fmt in spalten], [b for _, b, _ in spalten])
        return erste, letzte

    def zeilen(
        self,
        ws: Any,
        erste: int,
        daten: list[list[Any]],
        formate: list[Any],
        breiten: list[float] | None = None,
    ) -> None:
        """Rows of cells from `erste` on, column `c` in `formate[c]`.

        With `breiten`, a row whose text wraps gets the height of its longest cell: neither
        LibreOffice nor Excel fits row heights of a file when they open it, so wrapped text
        would run over the next row.
        """
        schreiben = self.schreiben
        # per wrapped column: what `_zeilenhoehe` needs, how long a text surely fits a line,
        # and the heights of its texts so far (a column repeats its texts: a look-up in a
        # dict is cheaper than one in the cache of `_zeilenhoehe`, 25,000 for 200 AGs)
        umbruch = [
            (
                c,
                (
                    breiten[c],
                    self.umbruch[id(f)],
                    self.einzug.get(id(f), 0),
                    id(f) in self.umbruch_fett,
                ),
                _einzeilig_bis(breiten[c], self.umbruch[id(f)], self.einzug.get(id(f), 0)),
                {},
            )
            for c, f in enumerate(formate)
            if breiten is not None and id(f) in self.umbruch
        ]
        # The two common cases of `schreiben` written out here, the rest through it: a call
        # less for each of some 250,000 cells of a large overview.
        als_text, als_zahl = ws.text, ws.zahl
        for r, werte in enumerate(daten, start=erste):
            for c, wert in enumerate(werte):
                art = type(wert)
                if art is str and wert:
                    als_text(r, c, wert, formate[c])
                elif art is float or art is Decimal or art is int:
                    als_zahl(r, c, float(wert), formate[c])
                else:
                    schreiben(ws, r, c, wert, formate[c])
            hoehe = 0.0
            for c, schrift, einzeilig, gemerkt in umbruch:
                text = werte[c]
                if type(text) is str and (len(text) > einzeilig or "\n" in text):
                    h = gemerkt.get(text)
                    if h is None:
                        h = gemerkt[text] = _zeilenhoehe(text, *schrift)
                    if h > hoehe:
                        hoehe = h
            if hoehe:
                self.hoehe_mindestens(ws, r, hoehe)

    def drucken(
        self,
        ws: Any,
        kopfzeile: int,
        bereiche: list[tuple[int, int, int, int]],
        fixieren: bool = True,
    ) -> None:
        """Print areas (first row, first column, last row, last column), each on pages of its own.

        One table per sheet, its header in row `kopfzeile`, repeated on every page and frozen
        on screen; a block beside it (per-year totals, heat map) has its header in that row
        too and prints on pages of its own. The areas leave out what is of no use on paper
        (checksums …). `fixieren`: the header stays on screen when scrolling (not for a sheet
        that fits a screen, such as the Risikomatrix).
        """
        if fixieren:
            ws.freeze_panes(kopfzeile + 1, 0)
        ws.print_area(*bereiche[0])
        hinweis = self.hinweise.pop(ws.name, "")
        if hinweis:
            # Merged over the printed columns of the table, not beyond: the text that ran on
            # into a column outside the print area was cut off on paper (print review).
            _, links, _, rechts = bereiche[0]
            breite = sum(
                self.breiten.get(ws.name, {}).get(c, 8.43) for c in range(links, rechts + 1)
            )
            ws.merge_range(1, links, 1, rechts, hinweis, self.hinweis)
            self.hoehe_mindestens(ws, 1, _zeilenhoehe(hinweis, breite, 10) or 16)
        # The header row repeats on every page of the sheet, also above a print area below
        # the table, where it reads like that area's column heads (review for the
        # Lenkungsgruppe; the bar charts have sheets of their own since session 21): not
        # repeated when whatever has it fits on one page.
        mit_kopf = [b for b in bereiche if b[0] <= kopfzeile]
        if len(mit_kopf) == len(bereiche) or not all(self.eine_seite(ws, b) for b in mit_kopf):
            ws.repeat_rows(kopfzeile)
        if len(bereiche) == 1:
            self.keine_restseite(ws, bereiche[0])
        if len(bereiche) > 1:
            # XlsxWriter's print_area takes one range; Excel and LibreOffice take a list of
            # them, printing each on pages of its own (the defined name _xlnm.Print_Area).
            blatt = quote_sheetname(ws.name)
            ws.print_area_range = ",".join(
                f"{blatt}!{xl_range_abs(*bereich)}" for bereich in bereiche
            )

    def seitenhoehe(self, ws: Any, links: int, rechts: int) -> float:
        """Points of sheet height a page surely holds when columns `links` to `rechts` are
        printed one page wide.

        A table wider than the page prints smaller, all of the sheet's pages alike, and the
        page holds more. Its width is taken as Excel measures Arial 10 (7 pixels a character
        and 5 of margin; LibreOffice's are wider, so it prints smaller still), and only 90 %
        of the page is counted: the spreadsheet's own rounding of the scale (Excel rounds it
        down to a whole percent)."""
        breiten = self.breiten.get(ws.name, {})
        breite = sum(_pixel(breiten.get(c, 8.43)) * 0.75 for c in range(links, rechts + 1))
        massstab = min(1.0, DRUCKBREITE / breite) if breite else 1.0
        return SEITENHOEHE * 0.9 / massstab

    def keine_restseite(self, ws: Any, bereich: tuple[int, int, int, int]) -> None:
        """Print area `bereich`, the sheet's only one, a page shorter when the last page would
        hold only a few rows: the Kommunen je Handlungsfeld of the demo printed its last two
        rows alone on a second page (print review 19). The sheet then prints up to an eighth
        smaller (the row heights are estimated generously, so usually less); a table that
        runs well onto its last page keeps its size.

        What counts is the rest on the last page, at most 15 % of a page, not 15 % of all the
        others: a table of eight pages and more, its last page full, printed smaller to save
        one of them (the overview of a large programme, every sheet of many pages; review 19).
        """
        oben, links, unten, rechts = bereich
        hoehe = self.hoehe(ws, unten) - self.hoehe(ws, oben - 1)
        seite = self.seitenhoehe(ws, links, rechts) / 0.9  # the page, without the reserve
        xlsx.eine_seite_weniger(ws, hoehe, seite, RESTSEITE)

    def eine_seite(self, ws: Any, bereich: tuple[int, int, int, int]) -> bool:
        """Whether print area `bereich` surely fits on one page (its rows' heights are set)."""
        oben, links, unten, rechts = bereich
        hoehe = self.hoehe(ws, unten) - self.hoehe(ws, oben - 1)
        return hoehe <= self.seitenhoehe(ws, links, rechts)

    def schreiben(self, ws: Any, r: int, c: int, wert: Any, fmt: Any = None) -> None:
        """Type-safe cell writing: strings are always strings (a '=HYPERLINK' stays text)."""
        # The two common cases first, by exact type: this runs for every one of some 250,000
        # cells of a large overview. Anything else (subclasses too) takes the full chain below.
        # `text` and `zahl` are XlsxWriter's writers without the A1-notation wrapper.
        art = type(wert)
        if art is str and wert:
            ws.text(r, c, wert, fmt)
        elif art is float or art is Decimal or art is int:
            ws.zahl(r, c, float(wert), fmt)
        elif wert is None or wert == "":
            ws.write_blank(r, c, None, fmt)
        elif isinstance(wert, _Formel):
            ws.write_formula(r, c, wert.formel, fmt, _zahl(wert.ergebnis))
        elif isinstance(wert, bool):
            ws.write_string(r, c, "ja" if wert else "nein", fmt)
        elif isinstance(wert, (int, float, Decimal)):
            ws.write_number(r, c, float(wert), fmt)
        elif isinstance(wert, datetime):
            ws.write_datetime(r, c, wert, fmt or self.datum)
        elif isinstance(wert, date):
            ws.write_datetime(r, c, datetime(wert.year, wert.month, wert.day), fmt or self.datum)
        else:
            ws.write_string(r, c, str(wert), fmt)


def _wortbreite(breite: float, werte: list[Any], punkt: float) -> float:
    """A wrapped column wide enough for its longest word, within a third more than planned.

    Spreadsheets break a word that does not fit at any letter ("Zweckvereinbaru|ng"); a
    mayor reading the printout should not have to put it together again. Words break after
    a hyphen or slash anyway; a character of 10 pt Arial is about one unit of width.
    """
    laengstes = 0
    for w in werte:
        # no word of a text is longer than the text: most are too short to need splitting
        # (a column of a large overview has a thousand of them, mostly the same few names)
        if type(w) is str and len(w) > laengstes:
            laengstes = max(laengstes, *map(len, _WORTGRENZE.split(w)))
    return min(max(breite, laengstes * punkt / 10 + 1), breite * 4 / 3)


_WORTGRENZE = re.compile(r"\s+|(?<=[-/])")


def _gekuerzt(text: str, breite: float) -> str:
    """A name for a one-line cell of a long list, shortened after a whole word with " …".

    Cut at the column's edge, it read "gemeinsame Einric" on paper (print review); the full
    name stands on the Übersicht. Arial 10 fits about 1.1 characters per unit of width.
    """
    zeichen = int(breite * 1.1)
    if len(text) <= zeichen:
        return text
    frei = zeichen - 2  # for " …"
    kurz = text[:frei]
    if text[frei] != " " and " " in kurz:
        kurz = kurz[: kurz.rindex(" ")]
    return kurz.rstrip(" ,;:-") + " …"


def _breite(
    kopf: str, breite: float, werte: list[Any], f: Any, punkt: float | None, hoch: frozenset[str]
) -> float:
    """A column's width: its longest word where it wraps (`punkt`: its font size), its largest
    amount in format `f`, and room for its header's longest word unless that is written
    upright."""
    if punkt is not None:
        breite = _wortbreite(breite, werte, punkt)
    breite = max(breite, _zahlbreite(werte, f))
    return breite if kopf in hoch else max(breite, _kopfwortbreite(kopf))


def _zahlbreite(werte: list[Any], f: Any) -> float:
    """Room for the largest amount of a column and for the column's sum: "###" stood in the
    Kosten, Barwert and Kommunen columns from nine digits on (probe of large programmes)."""
    format_ = str(getattr(f, "num_format", "") or "")
    if "€" not in format_:  # first: most columns hold no amounts, and need no look at them
        return 0
    zahlen = [
        abs(w) for w in werte if isinstance(w, int | float | Decimal) and not isinstance(w, bool)
    ]
    if not zahlen:
        return 0
    groesste = max(max(zahlen), sum(zahlen))  # the total row sums some columns
    stellen = 2 if re.search(r"0[.,]00", format_) else 0
    # digits with thousands points, a sign, decimals, " €" and the cell's margins
    return len(f"{groesste:,.{stellen}f}") + 4


def _kopfwortbreite(kopf: str) -> float:
    """A header's column wide enough for its longest word in bold, beside the filter button.

    Print review: "Gesa|mt", "Ran|g", "Warnung|en" – a column planned for its numbers broke
    the header word; the filter button takes about two units of the cell's width.
    """
    return max(map(len, _WORTGRENZE.split(kopf)), default=0) + 3


@functools.lru_cache(maxsize=8192)
def _zeilenhoehe(
    text: str, breite: float, punkt: float, einzug: int = 0, fett: bool = False
) -> float:
    """Height in points of a cell of Arial `text` wrapped in a column `breite` wide (0 for a
    line: the row's default holds it); `einzug`: levels of indent, `fett`: in bold.

    Counted by the width of each letter as the spreadsheet wraps (`xlsx.textzeilen`, as the
    Arbeitsmappe). Counted by characters before (a little less than one per unit of width,
    to be safe), some 60 rows of the demo's overview were a line or more higher than Calc
    needs, and „(ältere Stammdaten)“ was still cut (measured in LibreOffice, sessions 23 and
    24). Excel's line spacing (`zeilenhoehe`): the overview is opened there too. Remembered:
    a column repeats its texts (Handlungsfelder, Status, Schlüssel), and the overview of 1,000
    AGs asked 35,000 times for 2,200 different ones.
    """
    zeilen = xlsx.textzeilen(text, breite - einzug * EINZUG_PX / 7, punkt, fett=fett)
    return xlsx.zeilenhoehe(zeilen, punkt) if zeilen > 1 else 0.0


#: Pixels of a level of indent where the overview counts its rows: Excel's, with the cell's
#: margins (`xlsx.ZELLRAND_PX`) the most either program keeps free. The Arbeitsmappe's
#: LibreOffice indent (`xlsx.EINZUG_PX`, 11) with Excel's margins made „gültig mit Warnungen
#: (2 Fassungen; ältere Stammdaten)“ seven lines in the Prioritätenmatrix's Rücklauf, 13 wide:
#: "Stammdaten)" broken, where Calc fits even "Warnungen (2" in a line and needs five (and
#: Excel, with 9 pixels, five too).
EINZUG_PX = 9


def _einzeilig_bis(breite: float, punkt: float, einzug: int = 0) -> float:
    """Characters that fit a line of the column however wide they are (the widest, "@", is
    1.015 em): a shorter text needs no count, as most cells of a large overview."""
    platz = breite * 7 + 4 - xlsx.ZELLRAND_PX - einzug * EINZUG_PX  # as `_zeilenhoehe`
    return platz / (punkt * 1015 / 750 + 0.5)


#: Pixels of a header cell taken by the filter button (about two units of width), or by the
#: indent of a header flush right that keeps its text from under the button.
FILTERKNOPF_PX = 2 * xlsx.EINZUG_PX


def _kopfhoehe(spalten: list[tuple[str, float, Any]], hoch: frozenset[str]) -> float:
    """Header row height: upright headers as long as their longest word or half their text,
    the others wrapped in bold 9 pt beside the filter button, counted by the width of their
    letters (`xlsx.textzeilen`). At least two lines: 30 points were 17 more than Calc needs
    for a header of one line (measured in LibreOffice, session 24)."""
    hoehe = xlsx.zeilenhoehe(2, 9)
    for kopf, breite, _ in spalten:
        if kopf in hoch:
            zeilen = max(1, int(breite / 2.5))  # 9 pt lines side by side in the column
            laenge = max(max(map(len, kopf.split())), -(-len(kopf) // zeilen))
            hoehe = max(hoehe, laenge * 4.8 + 14)
        else:
            platz = breite - FILTERKNOPF_PX / 7
            hoehe = max(hoehe, xlsx.zeilenhoehe(xlsx.textzeilen(kopf, platz, 9, fett=True), 9))
    return min(hoehe, 409.0)


class _Formel:
    def __init__(self, formel: str, ergebnis: Any = 0) -> None:
        self.formel = formel
        self.ergebnis = ergebnis if ergebnis is not None else ""


def _euro(betrag: Decimal) -> str:
    return f"{deutsch.zahl(betrag)} €"


def _risiko_hoch() -> int | float | None:
    """From which Risikowert a risk is high: where the Arbeitsmappe asks for a Gegenmaßnahme
    and colours the value red (schema `pflicht_ab`). The overview said "ab 15" by itself, so a
    changed schema would have coloured the AGs' sheets and the mayors' overview differently.
    (The Erfolgswahrscheinlichkeit points are a rule of their own: berechnung.)"""
    return definition.arbeitsmappe().tabelle("tbl_Risiken").pflicht_ab_schwelle("Risikowert")


def _hohe_risiken_rot(m: _Mappe, ws: Any, erste: int, letzte: int, spalte: int) -> None:
    """A Risikowert from `_risiko_hoch` on in red in `spalte` of the rows `erste` to `letzte`,
    the colour it has on the AGs' sheet Risiken."""
    if (ab := _risiko_hoch()) is not None:
        ws.conditional_format(
            erste,
            spalte,
            letzte,
            spalte,
            {
                "type": "cell",
                "criteria": ">=",
                "value": ab,
                "format": m.fmt(bg_color="#FFC7CE", font_color="#9C0006"),
            },
        )


def _modus_erklaert() -> str:
    """What Z, D and O stand for, in the words of the Arbeitsmappe's help (print review: the
    column "Modus" showed letters the Lenkungsgruppe had nowhere to look up)."""
    for _, tdef in definition.arbeitsmappe().tabellen:
        for spalte in tdef.spalten:
            if spalte.kopf == "Modus" and spalte.hilfe:
                return f" Modus: {spalte.hilfe}"
    return ""


def schreiben(k: Konsolidierung, ziel: Path) -> Path:
    """Write the overview atomically: killed at any moment, the last good one stays."""
    with atomar(ziel) as tmp, xlsx.ohne_gc():
        m = _Mappe(tmp, k)
        blaetter = {name: None for name in BLAETTER}
        blaetter["Übersicht"] = m.blatt(
            "Übersicht",
            f"Übersicht für die Lenkungsgruppe – {k.st.programm}",
            f"Stand {k.stand:%d.%m.%Y %H:%M}. Eine Zeile je Arbeitsgruppe mit ihren "
            "Handlungsfeldern; Kennzahlen nur aus Rückläufen ohne Fehler. Kosten und Nutzen "
            "jährlich: der volle Jahresbetrag, sobald alle Posten laufen (die Beträge je Jahr "
            "stehen auf dem Blatt Wirtschaftlichkeit). Gesamtpunkte und Rang kommen aus der "
            "Prioritätenmatrix."
            + (
                f" Ein höchster Risikowert ab {deutsch.zahl(hoch)} ist rot (wie auf dem Blatt "
                "Risiken)."
                if (hoch := _risiko_hoch()) is not None
                else ""
            )
            + _modus_erklaert()
            + (
                " Handlungsfelder ohne eigene Arbeitsgruppe: Blatt Weitere Handlungsfelder."
                if _weitere(k)
                else ""
            )
            + _aeltere_stammdaten_erklaert(s.datei for s in k.ags),
        )
        blaetter[KAPITALWERT_DIAGRAMM] = m.blatt(
            KAPITALWERT_DIAGRAMM, f"Kapitalwert je Handlungsfeld: {_welche(k)}"
        )
        matrix = _prioritaetenmatrix(m, k)
        wirtschaft = _wirtschaftlichkeit(m, k)
        _uebersicht(m, k, blaetter["Übersicht"], matrix, wirtschaft)
        _kapitalwert_diagramm(m, k, blaetter[KAPITALWERT_DIAGRAMM])
        _kommunen(m, k)  # with the Kommunen-Matrix and Kommunen je Handlungsfeld
        _risiken(m, k)
        _staerken(m, k)
        _zeitplan(m, k)
        _ruecklauf(m, k)
        _weitere_handlungsfelder(m, k)
        m.wb.worksheets()[0].activate()
        m.wb.close()
    return ziel


def _uebersicht(
    m: _Mappe,
    k: Konsolidierung,
    ws: Any,
    matrix: dict[str, tuple[str, str]],
    wirtschaft: dict[str, str],
) -> None:
    gesamt, raenge = m.gesamt, m.raenge
    geld = m.fmt(num_format=GELD_GANZ)
    spalten = [
        ("AG", 7, m.text),
        ("Handlungsfeld", 20, m.text),
        ("Rücklauf", 12, m.eingerueckt),
        # often every Kommune of the Landkreis: wide, so the row stays low
        ("Partner", 16.5, m.fmt(text_wrap=True, font_size=8)),
        ("Modus", 5, m.text),
        ("Variante", 14, m.fmt(text_wrap=True, font_size=9)),
        ("Rechtsform", 14.5, m.fmt(text_wrap=True, font_size=9, align="left", indent=1)),
        ("Kosten einmalig", 11, geld),
        ("Kosten jährlich", 11, geld),
        # without it no rough sum of the row comes near its Kapitalwert (an investment avoided)
        ("Nutzen einmalig", 11, geld),
        ("Nutzen jährlich", 11, geld),
        ("Kapitalwert", 12, geld),
        ("Amortisation", 10, m.eingerueckt),
        ("höchster Risikowert", 5, m.ganz),
        ("Gesamtpunkte", 5, m.ganz),
        ("Rang", 5, m.ganz),
        ("festgelegte Priorität", 5, m.ganz),
    ]
    # Modus (one letter) and Amortisation: their headers ran into the next (print review)
    hoch = frozenset(
        [
            "Modus",
            "Amortisation",
            "höchster Risikowert",
            "Gesamtpunkte",
            "Rang",
            "festgelegte Priorität",
        ]
    )
    daten = []
    for s in k.ags:
        variante = modus = rechtsform = None
        partner = _partnertext(s.ag.partner, k.st)
        verteilt = tuple(s.kennzahlen.anteile or ()) if s.kennzahlen is not None else ()
        if verteilt and set(verteilt) != set(s.ag.partner):
            # a workbook from before the partners changed: its split uses its own partners
            # until the Korrektur copy comes back; the column said otherwise (lifecycle probe)
            partner += f" (verteilt noch auf die Partner der Mappe: {_partnertext(verteilt, k.st)})"
        zeile: list[Any] = [
            s.ag.kuerzel,
            s.ag.handlungsfelder_text,
            _status_text(s, k.stand.date()),
            partner,
        ]
        if s.datei is not None and s.gueltig:
            variante = s.datei.eintrag("3.10")
            rechtsform = s.datei.eintrag("4.1")
            for v in s.datei.zeilen("tbl_Varianten"):
                if v.get("Variante") == variante:
                    modus = v.get("Modus")
        zeile += [modus, variante, rechtsform]
        if s.kennzahlen is not None:
            w = s.kennzahlen.wirtschaftlichkeit
            amortisation = (
                f"Jahr {w.amortisationsjahr}" if w.amortisationsjahr else "nicht im Zeitraum"
            )
            zeile += [
                w.kosten_einmalig,
                w.kosten_jaehrlich,
                w.nutzen_einmalig,
                w.nutzen_jaehrlich,
                _Formel(wirtschaft[s.ag.kuerzel], w.kapitalwert),
                amortisation,
                s.kennzahlen.hoechster_risikowert,
            ]
        else:
            zeile += [None] * 7
        g_zelle, r_zelle = matrix[s.ag.kuerzel]
        zeile += [
            _Formel(f'=IF(ISNUMBER({g_zelle}),{g_zelle},"")', gesamt.get(s.ag.kuerzel)),
            _Formel(f'=IF(ISNUMBER({r_zelle}),{r_zelle},"")', raenge.get(s.ag.kuerzel)),
            s.festgelegte_prioritaet,
        ]
        daten.append(zeile)
    kopfe = [kopf for kopf, _, _ in spalten]
    # Six of ten rows may have no figures: the label says whose figures are summed.
    summen: dict[str, Any] = {
        "AG": "Summe",
        "Handlungsfeld": "der gezeigten Zeilen (Zahlen nur aus Rückläufen ohne Fehler)",
    }
    for kopf in ("Kosten einmalig", "Kosten jährlich", "Nutzen einmalig", "Nutzen jährlich"):
        c = kopfe.index(kopf)
        summen[kopf] = sum((z[c] for z in daten if z[c] is not None), Decimal(0))
    kw = kopfe.index("Kapitalwert")
    summen["Kapitalwert"] = sum(
        (z[kw].ergebnis for z in daten if isinstance(z[kw], _Formel)), Decimal(0)
    )
    erste, letzte = m.tabelle(ws, 3, "tbl_Uebersicht", spalten, daten, hoch=hoch, summen=summen)
    summe = letzte + 1
    hinweis = f"{quote_sheetname('Prioritätenmatrix')}!{xl_rowcol_to_cell(*FAKTORHINWEIS)}"
    ws.write_formula(2, 0, f"={hinweis}", m.warnung, "")  # tried Faktoren: said here too
    ws.conditional_format(
        erste,
        2,
        letzte,
        2,
        {
            "type": "text",
            "criteria": "begins with",
            "value": "gültig",
            "format": m.fmt(bg_color="#C6EFCE", font_color="#006100"),
        },
    )
    ws.conditional_format(  # the one status without a colour (review)
        erste,
        2,
        letzte,
        2,
        {
            "type": "text",
            "criteria": "begins with",
            "value": KEIN_RUECKLAUF,
            "format": m.fmt(bg_color="#FFEB9C", font_color="#9C5700"),
        },
    )
    for status in (FEHLERHAFT, UNLESBAR):  # what the LG cannot decide on yet, in red
        ws.conditional_format(
            erste,
            2,
            letzte,
            2,
            {
                "type": "text",
                "criteria": "begins with",
                "value": status,
                "format": m.fmt(bg_color="#FFC7CE", font_color="#9C0006"),
            },
        )
    # A high risk (as on the sheet Risiken) in the colour it has there: the one figure of the
    # row that is bad when high stood plain among the others (print review).
    _hohe_risiken_rot(m, ws, erste, letzte, kopfe.index("höchster Risikowert"))
    # No data bar on the Kapitalwert: with negative values both engines draw the bar's axis
    # through the digits (print review); the sheet Diagramm Kapitalwert shows the amounts as
    # bars.
    m.drucken(ws, 3, [(0, 0, summe, len(spalten) - 1)])


def _kapitalwert_diagramm(m: _Mappe, k: Konsolidierung, ws: Any) -> None:
    """The Kapitalwert of each AG with one as a bar, on a sheet of its own. A chart label with
    the Kürzel: two AGs may work on the same field."""
    mit_wert = [
        (f"{s.ag.kuerzel}: {s.ag.handlungsfeld_kurz}", s.kennzahlen.wirtschaftlichkeit.kapitalwert)
        for s in k.ags
        if s.kennzahlen is not None
    ]
    _diagrammblatt(
        m,
        ws,
        f"Kapitalwert je Handlungsfeld: {_welche(k)}",
        "Kapitalwert",
        mit_wert,
        "#2E75B6",
        "Kapitalwert je Arbeitsgruppe wie auf dem Blatt Übersicht, Verluste rot. "
        + ("" if mit_wert else "Noch kein Rücklauf ohne Fehler: noch kein Kapitalwert. ")
        + _grundlage(k),
    )


_WEITERE = [
    ("Nr", 5, None),
    ("Handlungsfeld", 30, "eingerueckt"),  # apart from the Nr before it
    ("Aufgabengruppe", 22, "eingerueckt"),
    ("Potenzielle Teilnehmer", 30, "klein"),
    ("Modus", 7, None),
    ("Stand", 31, None),  # "keine Arbeitsgruppe eingesetzt" on one line
    ("Festgelegte Priorität (Anlage 1)", 11, None),
]


def _weitere(k: Konsolidierung) -> list[tuple[Any, str]]:
    """The fields of Anlage 1 that are no AG's first field, with what became of them.

    A field an AG works on beside its first (AG-06: Hochbau and Tiefbau) is no field "without
    an AG": the LG must not read that its priority-1 Tiefbau row was forgotten."""
    erste = {s.ag.handlungsfeld for s in k.ags}
    weitere = []
    for h in k.st.handlungsfelder:
        if h.name in erste:
            continue
        wer = [s.ag.kuerzel for s in k.ags if h.name in s.ag.weitere_handlungsfelder]
        weitere.append(
            (h, f"bearbeitet von {', '.join(wer)}" if wer else "keine Arbeitsgruppe eingesetzt")
        )
    return weitere


def _weitere_handlungsfelder(m: _Mappe, k: Konsolidierung) -> None:
    """The fields of Anlage 1 without an AG of their own: listed with their status, never
    silently gone.

    On a sheet of their own: beside the Übersicht they shared its sheet rows, and a filter on
    either table hid rows, even the totals row, of the other (review)."""
    weitere = _weitere(k)
    ws = m.blatt(
        "Weitere Handlungsfelder",
        "Weitere Handlungsfelder der Anlage 1 (ohne eigene Arbeitsgruppe)",
        "Handlungsfelder der Stammdaten, für die keine eigene Arbeitsgruppe eingesetzt ist: "
        "hier aufgeführt, damit keines stillschweigend fehlt. „bearbeitet von“: Die genannte "
        "Arbeitsgruppe untersucht dieses Handlungsfeld mit ihrem ersten; seine Zahlen stehen in "
        "ihrer Zeile auf dem Blatt Übersicht."
        + ("" if weitere else " Zu jedem Handlungsfeld gibt es eine Arbeitsgruppe."),
    )
    zeile = 3
    arten = {"klein": m.fmt(text_wrap=True, font_size=8), "eingerueckt": m.eingerueckt}
    spalten = [(kopf, breite, arten.get(art or "", m.text)) for kopf, breite, art in _WEITERE]
    daten = [
        [
            h.nr,
            h.name,
            h.aufgabengruppe,
            h.teilnehmer,
            h.modus,
            stand,
            h.festgelegte_prioritaet,
        ]
        for h, stand in weitere
    ]
    _, letzte = m.tabelle(ws, zeile, "tbl_WeitereHandlungsfelder", spalten, daten)
    m.drucken(ws, zeile, [(0, 0, letzte, len(spalten) - 1)])


def _partnertext(partner: tuple[str, ...], st: Any) -> str:
    """The partners of an AG; "alle 10 Kommunen" where it is every one of the programme, as
    it often is: ten names in each row made every row of the overview seven lines high."""
    alle = {k.name for k in st.kommunen}
    if len(alle) > 2 and set(partner) == alle:
        return f"alle {len(alle)} Kommunen des Programms"
    return "; ".join(partner)


def _balken(
    m: _Mappe,
    ws: Any,
    titel: str,
    name: str,
    balken: list[tuple[str, Any]],
    hilfe: tuple[int, int],
    farbe: str,
    platz: float,
) -> list[tuple[Any, int]]:
    """Horizontal bar charts of euro amounts, each with its height in pixels, the labels at the
    left edge (not on the bars, which are often negative).

    One chart, one bar of 24 pixels per row, as long as it fits `platz` (pixels of a printed
    page, see `_diagrammblatt`). Longer lists go on several charts of at most that height,
    with thinner bars and smaller labels, on one scale, titled "(Teil 1 von 3)": one chart
    of 60 AGs was taller than a page and printed across two, its second half under the
    repeated table header (probe of large programmes).

    A loss in red, bar by bar: "invert if negative" is ignored by LibreOffice and gives Excel
    white bars, and a Kommune losing 61.603 € showed in the green of a gain (print review).
    So the charts draw a copy of the figures, as values in hidden columns at `hilfe` (first
    row, column), not the table's cells: sorting the table moves its rows, and the colours,
    fixed per bar, would have stayed (review). The figures come from the returns; nothing the
    LG types in the file changes them. Hidden or filtered rows do not hide bars.
    """
    zeile, spalte = hilfe
    # not wrapped: Calc fits a row to wrapped text in a hidden column too, at the column's
    # width before hiding (a label of 75 characters seven lines, 80 points); the chart lays
    # out its labels itself
    beschriftungen = m.fmt()
    for j, (beschriftung, wert) in enumerate(balken):
        ws.write_string(zeile + j, spalte, beschriftung, beschriftungen)
        ws.write_number(zeile + j, spalte + 1, _zahl(wert), m.geld)
    ws.set_column(spalte, spalte + 1, None, None, {"hidden": True})
    if BALKEN_RAND + BALKEN * len(balken) <= platz:
        teile, je_teil, schritt = 1, max(len(balken), 1), BALKEN
    else:
        schritt = BALKEN_SCHMAL
        passen = max(int((platz - BALKEN_RAND_TEIL) // schritt), 1)
        teile = -(-len(balken) // passen)
        je_teil = -(-len(balken) // teile)  # evenly: not 29 bars and then 2
    diagramme = []
    for t in range(teile):
        von = zeile + t * je_teil
        stuecke = balken[t * je_teil : (t + 1) * je_teil]
        bis = von + len(stuecke) - 1
        diagramm = m.wb.add_chart({"type": "bar"})
        diagramm.add_series(
            {
                "name": name,
                "categories": [ws.name, von, spalte, bis, spalte],
                "values": [ws.name, von, spalte + 1, bis, spalte + 1],
                "fill": {"color": farbe},
                "points": [{"fill": {"color": ROT if _zahl(w) < 0 else farbe}} for _, w in stuecke],
            }
        )
        diagramm.show_hidden_data()
        # at most six steps on round numbers: left to the spreadsheet, LibreOffice labelled
        # the Nettoeffekt je Kommune every 10.000 € from -70.000 €, ten labels running into
        # each other (print review 19); in parts, one scale on every part
        achse: dict[str, Any] = {"num_format": '#,##0 "€"', **_skala([w for _, w in balken])}
        if teile == 1:
            diagramm.set_title({"name": titel})
            diagramm.set_x_axis(achse)
            diagramm.set_y_axis({"reverse": True, "label_position": "low"})
            hoehe = max(288, BALKEN_RAND + BALKEN * len(stuecke))
        else:
            # the one scale: a bar of one page compares with one of the next
            diagramm.set_title(
                {"name": f"{titel} (Teil {t + 1} von {teile})", "name_font": {"size": 12}}
            )
            diagramm.set_x_axis(achse)
            diagramm.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 9}})
            hoehe = BALKEN_RAND_TEIL + schritt * len(stuecke)
        diagramm.set_legend({"none": True})
        diagramme.append((diagramm, int(hoehe)))
    return diagramme


#: Pixels per bar of a chart and for its title and axis; thinner for charts in parts.
BALKEN, BALKEN_RAND = 24, 80
BALKEN_SCHMAL, BALKEN_RAND_TEIL = 18, 100
#: Pixels of a row of the default height (17 pixels, 12.75 points).
ZEILE_PX = 17


def _skala(werte: list[Any]) -> dict[str, float]:
    """Minimum, maximum and step of a value axis over all `werte`, on round numbers, with 0."""
    zahlen = [float(_zahl(w)) for w in werte] or [0.0]
    unten, oben = min(0.0, *zahlen), max(0.0, *zahlen)
    if oben == unten:  # all 0: an axis from 0 to 0 is none (review)
        oben = 1.0
    spanne = oben - unten
    groesse = 10 ** math.floor(math.log10(spanne / 5))
    schritt = next(f * groesse for f in (1, 2, 2.5, 5, 10) if spanne / (f * groesse) <= 6)
    return {
        "min": math.floor(unten / schritt) * schritt,
        "max": math.ceil(oben / schritt) * schritt,
        "major_unit": schritt,
    }


def _pixel(breite: float) -> int:
    """Pixels of a column `breite` characters wide, as Excel measures Arial 10."""
    return int(breite * 7 + 5)


#: Width in pixels of the charts on a sheet of their own, ten columns of 98 pixels: A4
#: landscape at 100 % (1045 pixels, LibreOffice's columns a little wider than Excel's).
DIAGRAMMBREITE = 980


def _diagrammblatt(
    m: _Mappe,
    ws: Any,
    titel: str,
    name: str,
    balken: list[tuple[str, Any]],
    farbe: str,
    hinweis: str,
) -> None:
    """A bar chart (`_balken`) on a sheet of its own, each part on a page of its own.

    Below its table, the chart printed under the table's header, repeated on every page of a
    sheet whose table runs over more than one: an empty band above the chart (print review
    20). A row's repetition cannot be left off one page, nor does a page break of a sheet
    fitted to a page's width hold; above the table, the chart would have stood on screen
    where the Lenkungsgruppe looks for the table, and frozen with its header. So, as the
    Risikomatrix: its own sheet, the title first, one page wide at full size.
    """
    rechts = 9
    m.spalte(ws, 0, rechts, (DIAGRAMMBREITE / 10 - 5) / 7)
    ws.merge_range(1, 0, 1, rechts, hinweis, m.hinweis)
    m.hoehe_mindestens(ws, 1, _zeilenhoehe(hinweis, DIAGRAMMBREITE / 7, 10) or 16)
    # a page at full size, less the title and hint above the first chart and a row below
    platz = (m.seitenhoehe(ws, 0, rechts) - m.hoehe(ws, 2) - ZEILENHOEHE) / 0.75
    hilfe = (3, rechts + 2)  # hidden, right of the printed columns
    diagramme = _balken(m, ws, titel, name, balken, hilfe, farbe, platz) if balken else []
    bereiche = _diagramme_einfuegen(ws, diagramme, 2, 0, DIAGRAMMBREITE - 20, rechts)
    bereiche = [(0, 0, 2, rechts)] if not bereiche else [(0, *bereiche[0][1:]), *bereiche[1:]]
    ws.print_area(*bereiche[0])
    if len(bereiche) > 1:  # each on pages of its own, as in `_Mappe.drucken`
        blatt = quote_sheetname(ws.name)
        ws.print_area_range = ",".join(f"{blatt}!{xl_range_abs(*b)}" for b in bereiche)


def _diagramme_einfuegen(
    ws: Any,
    diagramme: list[tuple[Any, int]],
    zeile: int,
    spalte: int,
    breite: float,
    letzte_spalte: int,
) -> list[tuple[int, int, int, int]]:
    """The charts one below the other from row `zeile` on, `breite` pixels wide; returns a
    print area for each, so that each prints whole on a page of its own (a print area starts
    a new page; a manual page break is ignored when a sheet is fitted to a page's width)."""
    bereiche = []
    for diagramm, hoehe in diagramme:
        ws.insert_chart(
            zeile + 1,
            spalte,
            diagramm,
            {"x_scale": breite / 480, "y_scale": hoehe / 288, "object_position": 3},
        )
        unten = zeile + 2 + -(-hoehe // ZEILE_PX)
        bereiche.append((zeile, 0, unten, letzte_spalte))
        zeile = unten + 1
    return bereiche


def _grundlage(k: Konsolidierung) -> str:
    """Which AGs a sheet's figures rest on: four of ten must not read as "all"."""
    fehlen = [s for s in k.ags if not s.gueltig]
    if not fehlen:
        return f"Grundlage: die Rückläufe aller {len(k.ags)} Arbeitsgruppen."
    # why each is missing, in one pair of brackets: "AG-02 (fehlerhaft; 2 Fassungen)". Without
    # „ältere Stammdaten“: it is not why an AG is missing, and these sheets do not explain it;
    # eight sheets said "AG-02 (fehlerhaft (ältere Stammdaten))" for each AG (review 23)
    namen = ", ".join(
        f"{s.ag.kuerzel} ({_einfach_geklammert(_status_text(s, aeltere=False))})"
        for s in fehlen[:12]
    )
    if len(fehlen) > 12:
        namen += f" und {len(fehlen) - 12} weitere"
    gueltig = len(k.ags) - len(fehlen)
    return (
        f"Grundlage: die Rückläufe ohne Fehler von {gueltig} der {len(k.ags)} "
        f"Arbeitsgruppen; es fehlen {namen} (siehe Blatt Rücklauf)."
    )


def _einfach_geklammert(text: str) -> str:
    """'fehlerhaft; 2 Fassungen' for 'fehlerhaft (2 Fassungen)', to stand in brackets itself."""
    return f"{text[:-1].replace(' (', '; ', 1)}" if text.endswith(")") else text


def _welche(k: Konsolidierung) -> str:
    """Whose figures a sum or chart shows: "aller" over four of ten AGs misled (review)."""
    gueltig = sum(1 for s in k.ags if s.gueltig)
    if gueltig == len(k.ags):
        return "alle Handlungsfelder"
    return f"gültige Rückläufe ({gueltig} von {len(k.ags)} Arbeitsgruppen)"


def _status_text(s: Any, stand: date | None = None, aeltere: bool = True) -> str:
    """The status of an AG's return; a missing one says until when it was due. `aeltere`:
    with „ältere Stammdaten“ where the sheet explains it (Übersicht, Prioritätenmatrix)."""
    if s.status == KEIN_RUECKLAUF:
        termin = getattr(s.ag, "abgabetermin", None)
        if stand is None or not isinstance(termin, date):
            return s.statustext
        frist = "überfällig seit" if termin < stand else "fällig am"
        if s.statustext.endswith(")"):  # "(im Archiv: …)": one pair of brackets, not two
            return f"{s.statustext[:-1]}; {frist} {termin:%d.%m.%Y})"
        return f"{s.statustext} ({frist} {termin:%d.%m.%Y})"
    zusaetze = [f"{s.versionen} Fassungen"] if s.versionen > 1 else []
    if s.datei is not None and s.datei.leer:  # the workbook came back as it was sent
        zusaetze.insert(0, NICHT_AUSGEFUELLT)
    if aeltere and s.datei is not None and zeigt_andere_zahlen(s.datei):
        zusaetze.append(AELTERE_STAMMDATEN)
    return f"{s.status} ({'; '.join(zusaetze)})" if zusaetze else s.status


#: At a return whose AG's workbook computes with older Stammdaten (`zeigt_andere_zahlen`),
#: explained by `_aeltere_stammdaten_erklaert` in the note of the sheet
AELTERE_STAMMDATEN = "ältere Stammdaten"


def _aeltere_stammdaten_erklaert(dateien: Iterable[Any]) -> str:
    """The sentence for the note of Übersicht and Rücklauf, when a return is so marked."""
    if not any(zeigt_andere_zahlen(d) for d in dateien if d is not None):
        return ""
    return (
        f" Rücklauf „{AELTERE_STAMMDATEN}“: Die Mappe wurde vor einer Änderung der "
        "Steuerungsmappe erzeugt und zeigt andere Zahlen (etwa mit einem anderen Zinssatz); "
        "die Kennzahlen hier sind mit den aktuellen Stammdaten gerechnet wie bei allen "
        "Handlungsfeldern. Die Arbeitsgruppe bekommt das Korrekturexemplar aus berichte/ zum "
        "Weiterarbeiten (Befund auf dem Blatt Befunde)."
    )


#: A Faktor emptied, or pasted as text ("2,5 " from a mail): SUMPRODUCT counts it as 0; the
#: text alone was said to be a "Faktor zur Probe" (session 23)
FAKTOR_LEER = "Ein Faktor ist leer oder keine Zahl und zählt als 0: bitte 3, 2 oder 1 eintragen."
FAKTOREN_PROBE = (
    "Faktoren zur Probe: Gesamt und Rang (auch auf dem Blatt Übersicht) sind nicht die "
    "verbindlichen; verbindlich sind die Faktoren der Steuerungsmappe."
)
#: The Prioritätenmatrix: the row of the Faktoren and the column of the first criterion; the
#: note about tried Faktoren stands in that row above Gesamt, and the Übersicht repeats it.
FAKTORZEILE, ERSTE_KRITERIUMSSPALTE = 4, 3
FAKTORHINWEIS = (FAKTORZEILE, ERSTE_KRITERIUMSSPALTE + len(KRITERIEN))


def _prioritaetenmatrix(m: _Mappe, k: Konsolidierung) -> dict[str, tuple[str, str]]:
    """Faktor × Punkte with live formulas: the LG can try other Faktoren right here."""
    ws = m.blatt(
        "Prioritätenmatrix",
        "Prioritätenmatrix (Anlage 1)",
        "Gelbe Felder: Faktoren (3, 2 oder 1) zum Ausprobieren; Gesamt und Rang rechnen sofort "
        "neu. Verbindlich sind die Faktoren der Steuerungsmappe.",
    )
    ws.merge_range(
        2,
        0,
        2,
        9,
        "Punkte bedeuten immer „günstig“: 3 = hoher monetärer Erfolg, "
        "wahrscheinlicher Erfolg, geringer Aufwand, Kapazitäten vorhanden, keine "
        "rechtlichen Hindernisse, geringe politische Widerstände.",
        m.text,
    )
    m.hoehe_mindestens(ws, 2, 28)
    faktor_zeile, erste_kriterium = FAKTORZEILE, ERSTE_KRITERIUMSSPALTE
    ws.write_string(faktor_zeile, erste_kriterium - 1, "Faktor", m.fett)
    for i, kriterium in enumerate(KRITERIEN):
        ws.write_number(faktor_zeile, erste_kriterium + i, k.faktoren[kriterium], m.eingabe)
        ws.data_validation(
            faktor_zeile,
            erste_kriterium + i,
            faktor_zeile,
            erste_kriterium + i,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 1,
                "maximum": 3,
                "input_title": "Faktor",
                "input_message": "3, 2 oder 1",
            },
        )
    faktoren = (
        f"${xl_col_to_name(erste_kriterium)}${faktor_zeile + 1}:"
        f"${xl_col_to_name(erste_kriterium + 5)}${faktor_zeile + 1}"
    )
    kopfzeile = faktor_zeile + 2
    erste = kopfzeile + 1
    letzte = erste + len(k.ags) - 1
    gesamt_spalte = erste_kriterium + len(KRITERIEN)  # where FAKTORHINWEIS stands too
    # Tried Faktoren change Gesamt and Rang here and on Übersicht without a word, and an
    # emptied one (or one pasted as text) counts as 0 (review): said beside them, and on
    # Übersicht.
    abweichend = ",".join(
        f"{xl_rowcol_to_cell(faktor_zeile, erste_kriterium + i)}<>{k.faktoren[kriterium]}"
        for i, kriterium in enumerate(KRITERIEN)
    )
    ws.write_formula(
        *FAKTORHINWEIS,
        f'=IF(COUNT({faktoren})<{len(KRITERIEN)},"{FAKTOR_LEER}",'
        f'IF(OR({abweichend}),"{FAKTOREN_PROBE}",""))',
        m.warnung,
        "",
    )
    gesamt_bereich = (
        f"${xl_col_to_name(gesamt_spalte)}${erste + 1}:"
        f"${xl_col_to_name(gesamt_spalte)}${letzte + 1}"
    )
    blatt = quote_sheetname("Prioritätenmatrix")
    ag_bereich, rang_bereich = (
        f"${xl_col_to_name(spalte)}${erste + 1}:${xl_col_to_name(spalte)}${letzte + 1}"
        for spalte in (0, gesamt_spalte + 1)
    )
    spalten = [("AG", 7, m.text), ("Handlungsfeld", 24, m.text), ("Rücklauf", 13, m.eingerueckt)]
    spalten += [(kriterium, 6, m.ganz) for kriterium in KRITERIEN]
    spalten += [
        ("Gesamt", 8, m.ganz),
        ("Rang", 6, m.ganz),
        ("festgelegte Priorität", 6, m.ganz),
        # indented: the priority before it read as the number of a list ("1 keine Punkte")
        ("Herkunft der Punkte", 56, m.fmt(text_wrap=True, font_size=8, align="left", indent=1)),
    ]
    hoch = frozenset([*KRITERIEN, "festgelegte Priorität"])
    gesamt, raenge = m.gesamt, m.raenge
    daten, orte = [], {}
    for i, s in enumerate(k.ags):
        r = erste + i
        punkte = [s.punkte[kr].wirksam for kr in KRITERIEN]
        von = xl_rowcol_to_cell(r, erste_kriterium)
        bis = xl_rowcol_to_cell(r, erste_kriterium + 5)
        g = xl_rowcol_to_cell(r, gesamt_spalte)
        if all(p is None for p in punkte):  # six times "offen" made rows of three lines
            herkunft = "keine Punkte (kein gültiger Rücklauf)"
        else:
            herkunft = "; ".join(f"{kr}: {s.punkte[kr].herkunft}" for kr in KRITERIEN)
        if s.bemerkung:  # the LG's reason for its points or its priority
            herkunft += f". Bemerkung der Lenkungsgruppe: {s.bemerkung}"
        daten.append(
            [
                s.ag.kuerzel,
                s.ag.handlungsfelder_text,
                _status_text(s),
                *punkte,
                _Formel(
                    f'=IF(COUNT({von}:{bis})=6,SUMPRODUCT({faktoren},{von}:{bis}),"")',
                    gesamt.get(s.ag.kuerzel),
                ),
                _Formel(
                    f'=IF(ISNUMBER({g}),RANK({g},{gesamt_bereich}),"")', raenge.get(s.ag.kuerzel)
                ),
                s.festgelegte_prioritaet,
                herkunft,
            ]
        )
        # Looked up by the AG, not by the row: the LG sorts this table by Gesamt in Calc or
        # Excel, which moves the rows without changing the Übersicht's references to them;
        # the Übersicht then showed an AG with the points and rank of another (session 23).
        zeile_der_ag = f"MATCH({_suchtext(s.ag.kuerzel)},{blatt}!{ag_bereich},0)"
        orte[s.ag.kuerzel] = (
            f"INDEX({blatt}!{gesamt_bereich},{zeile_der_ag})",
            f"INDEX({blatt}!{rang_bereich},{zeile_der_ag})",
        )
    m.tabelle(ws, kopfzeile, "tbl_Prioritaetenmatrix", spalten, daten, hoch=hoch)
    ws.conditional_format(
        erste,
        erste_kriterium,
        letzte,
        erste_kriterium + 5,
        {
            "type": "3_color_scale",
            "min_color": "#F8696B",
            "mid_color": "#FFEB84",
            "max_color": "#63BE7B",
            "min_type": "num",
            "min_value": 1,
            "mid_type": "num",
            "mid_value": 2,
            "max_type": "num",
            "max_value": 3,
        },
    )
    r = letzte + 3
    ws.write_string(r, 0, "So entstehen die vorgeschlagenen Punkte", m.untertitel)
    m.hoehe_mindestens(ws, r, UNTERTITELZEILE)
    regeln = [
        # from the constants the points are computed with, so the explanation cannot drift
        f"Monetärer Erfolg: Kapitalwert ≤ 0 € → 1; unter "
        f"{_euro(berechnung.MONETAER_SCHWELLE_HOCH)} → 2; "
        f"ab {_euro(berechnung.MONETAER_SCHWELLE_HOCH)} → 3.",
        f"Erfolgswahrscheinlichkeit: höchster Risikowert ab {berechnung.ERFOLG_RISIKO_HOCH} → 1; "
        f"ab {berechnung.ERFOLG_RISIKO_MITTEL} → 2; sonst 3.",
        f"Aufwand: einmalige Kosten über {_euro(berechnung.AUFWAND_SCHWELLE_HOCH)} → 1; "
        f"über {_euro(berechnung.AUFWAND_SCHWELLE_MITTEL)} → 2; sonst 3.",
        "Rechtliche Vorgaben: Projektbeschreibung 3.6 erheblich → 1, lösbar → 2, keine → 3.",
        "Personelle Kapazitäten und Politische Widerstände: Einschätzung der Arbeitsgruppe.",
        f"Trägt die Lenkungsgruppe in der Steuerungsmappe (Blatt {k.st.blatt('tbl_Prioritaet')}) "
        "Punkte ein, gelten diese. Gesamt = Σ Faktor × Punkte; gleiche Gesamtpunkte teilen sich "
        "einen Rang.",
    ]
    for i, regel in enumerate(regeln, start=1):
        ws.write_string(r + i, 0, f"• {regel}", m.fmt())
    m.drucken(ws, kopfzeile, [(0, 0, r + len(regeln), len(spalten) - 1)])
    # The LG decides on this table: on one page, unless that would shrink it below two
    # thirds (page 4 held the last two AGs alone, print review; row heights are estimated
    # generously, ten AGs print at about 80 %).
    if m.hoehe(ws, r + len(regeln)) <= SEITENHOEHE * 3 / 2:
        ws.fit_to_pages(1, 1)
    return orte


def _wirtschaftlichkeit(m: _Mappe, k: Konsolidierung) -> dict[str, str]:
    ws = m.blatt(
        "Wirtschaftlichkeit",
        "Wirtschaftlichkeit je Handlungsfeld und Jahr",
        "Zahlungen am Jahresende, für alle Handlungsfelder abgezinst mit dem "
        f"Kalkulationszinssatz der Steuerungsmappe ({deutsch.zahl(k.st.zinssatz * 100)} %) "
        f"über {k.st.jahre} Jahre. {_grundlage(k)}",
    )
    spalten = [
        ("AG", 7, m.text),
        # One row per year: not wrapped; a long name shortened (the AG says which it is).
        ("Handlungsfeld", 40, m.fmt()),
        ("Jahr", 6, m.ganz),
        ("Kalenderjahr", 12, m.ganz),
        ("Kosten", 14, m.geld),
        ("Nutzen", 14, m.geld),
        ("Saldo", 14, m.geld),
        ("Barwert", 14, m.geld),
        ("Kumulierter Barwert", 15, m.geld),
    ]
    daten = []
    for s in k.ags:
        if s.kennzahlen is None:
            continue
        w = s.kennzahlen.wirtschaftlichkeit
        for t in range(w.jahre):
            daten.append(
                [
                    s.ag.kuerzel,
                    _gekuerzt(s.ag.handlungsfeld_kurz, 40),
                    t + 1,
                    k.st.startjahr + t,
                    w.kosten[t],
                    w.nutzen[t],
                    w.saldo[t],
                    w.barwert[t],
                    w.kumuliert[t],
                ]
            )
    _, letzte = m.tabelle(ws, 3, "tbl_Wirtschaftlichkeit", spalten, daten)
    formeln = {
        s.ag.kuerzel: "=SUMIFS(tbl_Wirtschaftlichkeit[Barwert],tbl_Wirtschaftlichkeit[AG],"
        + _genau(s.ag.kuerzel)
        + ")"
        for s in k.ags
    }
    # All fields together per calendar year: what the programme costs and brings each year.
    jahre = sorted({z[3] for z in daten})
    links = len(spalten) + 1
    # Beside the table, its header in the table's header row: printed on a page of its own.
    welche = _welche(k)
    ws.write_string(2, links, f"{welche[:1].upper()}{welche[1:]} je Jahr", m.untertitel)
    m.hoehe_mindestens(ws, 2, UNTERTITELZEILE)
    for c, kopf in enumerate(["Kalenderjahr", "Kosten", "Nutzen", "Saldo"]):
        ws.write_string(3, links + c, kopf, m.kopf)
        m.spalte(ws, links + c, links + c, 15)
    # One pass over the rows, not one per year and column; per year the amounts are added in
    # row order as before, so the Decimal sums are the same to the last digit.
    je_jahr: dict[Any, dict[str, Any]] = {}
    for z in daten:
        summen = je_jahr.setdefault(z[3], {"Kosten": Decimal(0), "Nutzen": Decimal(0)})
        summen["Kosten"] += z[4]
        summen["Nutzen"] += z[5]
    for i, jahr in enumerate(jahre):
        r = 4 + i
        ws.write_number(r, links, jahr, m.ganz)
        jahr_zelle = xl_rowcol_to_cell(r, links)
        summen = je_jahr[jahr]
        for c, name in enumerate(["Kosten", "Nutzen"], start=1):
            wert = summen[name]
            ws.write_formula(
                r,
                links + c,
                f"=SUMIFS(tbl_Wirtschaftlichkeit[{name}],"
                f"tbl_Wirtschaftlichkeit[Kalenderjahr],{jahr_zelle})",
                m.geld,
                float(wert),
            )
        ws.write_formula(
            r,
            links + 3,
            f"={xl_rowcol_to_cell(r, links + 2)}-{xl_rowcol_to_cell(r, links + 1)}",
            m.geld,
            float(summen["Nutzen"] - summen["Kosten"]),
        )
    if jahre:
        diagramm = m.wb.add_chart({"type": "column"})
        for c, (name, farbe) in enumerate((("Kosten", ROT), ("Nutzen", "#548235")), start=1):
            diagramm.add_series(
                {
                    "name": name,
                    "categories": ["Wirtschaftlichkeit", 4, links, 3 + len(jahre), links],
                    "values": ["Wirtschaftlichkeit", 4, links + c, 3 + len(jahre), links + c],
                    "fill": {"color": farbe},
                }
            )
        diagramm.set_title({"name": f"Kosten und Nutzen je Jahr: {_welche(k)}"})
        diagramm.set_y_axis({"num_format": '#,##0 "€"'})
        diagramm.set_legend({"position": "bottom"})
        ws.insert_chart(
            5 + len(jahre), links, diagramm, {"x_scale": 1.3, "y_scale": 1.2, "object_position": 3}
        )
    # The chart is 624 × 346 pixels: 21 rows of 17 pixels, three default columns (64 pixels)
    # more than the four of the table (110 pixels).
    rechts = (0, links, 5 + len(jahre) + (22 if jahre else 0), links + 6)
    m.drucken(ws, 3, [(0, 0, letzte, len(spalten) - 1), rechts])
    return formeln


def _kommunen(m: _Mappe, k: Konsolidierung) -> None:
    ws = m.blatt(
        "Kommunen",
        "Wer zahlt, wer gewinnt: Anteile der Kommunen an Kosten und Nutzen",
        f"{_grundlage(k)} Kosten und Nutzen des Betrachtungszeitraums, nominal (nicht "
        "abgezinst, darum nicht gleich der Summe der Kapitalwerte), je Arbeitsgruppe nach deren "
        "Verteilungsschlüssel (Blatt Kostenausgleich der AG), auf den Cent verteilt (Summe der "
        "Anteile = Gesamtbetrag; bei gleichem Rest geht der Cent an die Kommune, die im Alphabet "
        "vorn steht) – nicht danach, bei welcher Kommune eine Stelle oder Einsparung "
        "anfällt (Spalte Kommune der Ressourcen und Nutzen). Der Saldo je Kommune und "
        "Handlungsfeld steht auf dem Blatt Kommunen-Matrix, Anteile, Kosten und Nutzen je "
        "Kommune und Arbeitsgruppe auf dem Blatt Kommunen je Handlungsfeld."
        + _kreis_doppelt(k, detail := k.kommunen()),
    )
    summen = k.kommunen_summe(detail)
    spalten = [
        ("Kommune", 26, m.text),
        ("Art", 13, m.text),
        ("Einwohner", 11, m.fmt(num_format="#,##0")),
        ("Kostenanteil", 15, m.geld),
        ("Nutzenanteil", 15, m.geld),
        ("Saldo", 15, m.geld),
        ("Arbeitsgruppen", 14, m.ganz),
    ]
    kopf = 3
    erste = kopf + 1
    daten = []
    # Names equal but for case: a Kommune renamed so in the Steuerungsmappe ('Gemeinde lehre'
    # corrected) beside the old name of returns sent before. SUMIFS does not tell them apart
    # and gave each the other's shares too (review); EXACT does.
    faelle = Counter(z["Kommune"].casefold() for z in summen)
    for i, z in enumerate(summen):
        r = erste + i
        zelle = xl_rowcol_to_cell(r, 0)
        kommune = _genau(z["Kommune"], zelle)
        if faelle[z["Kommune"].casefold()] > 1:
            gleich = f"EXACT(tbl_KommunenDetail[Kommune],{zelle})"
            kosten = f"=SUMPRODUCT({gleich}*tbl_KommunenDetail[Kostenanteil])"
            nutzen = f"=SUMPRODUCT({gleich}*tbl_KommunenDetail[Nutzenanteil])"
            anzahl = f"=SUMPRODUCT(--{gleich})"
        else:
            kosten = (
                f"=SUMIFS(tbl_KommunenDetail[Kostenanteil],tbl_KommunenDetail[Kommune],{kommune})"
            )
            nutzen = (
                f"=SUMIFS(tbl_KommunenDetail[Nutzenanteil],tbl_KommunenDetail[Kommune],{kommune})"
            )
            anzahl = f"=COUNTIFS(tbl_KommunenDetail[Kommune],{kommune})"
        daten.append(
            [
                z["Kommune"],
                z["Art"],
                z["Einwohner"],
                _Formel(kosten, z["Kostenanteil"]),
                _Formel(nutzen, z["Nutzenanteil"]),
                _Formel(f"={xl_rowcol_to_cell(r, 4)}-{xl_rowcol_to_cell(r, 3)}", z["Saldo"]),
                _Formel(anzahl, z["Arbeitsgruppen"]),
            ]
        )
    summe = {
        "Kommune": "Summe",
        "Art": "der gezeigten Zeilen",
        **{
            spalte: sum((z[spalte] for z in summen), Decimal(0))
            for spalte in ("Kostenanteil", "Nutzenanteil", "Saldo")
        },
    }
    erste, letzte = m.tabelle(
        ws, kopf, "tbl_Kommunen", spalten, daten, summen=summe, summen_format=m.summe_cent
    )
    ende = letzte + 1  # the totals row
    m.drucken(ws, kopf, [(0, 0, ende, len(spalten) - 1)])
    _diagrammblatt(
        m,
        m.blatt(NETTOEFFEKT_DIAGRAMM, "Nettoeffekt je Kommune im Betrachtungszeitraum"),
        "Nettoeffekt je Kommune im Betrachtungszeitraum",
        "Saldo (Nutzen − Kosten)",
        [(z[0], z[5].ergebnis) for z in daten],
        "#548235",
        "Saldo (Nutzenanteil − Kostenanteil) je Kommune wie auf dem Blatt Kommunen, Verluste "
        "rot. " + _grundlage(k),
    )

    _kommunen_matrix(m, k, detail, summen)

    # On a sheet of its own: beside the table above it shared its sheet rows, and filtering it
    # to one AG hid the Kommunen and the totals row (review).
    ws = m.blatt(
        "Kommunen je Handlungsfeld",
        "Anteile je Kommune und Handlungsfeld",
        f"{_grundlage(k)} Je Kommune und Arbeitsgruppe ihr Anteil nach dem "
        "Verteilungsschlüssel der AG und ihr Teil an Kosten und Nutzen des "
        "Betrachtungszeitraums (nominal, auf den Cent verteilt), geordnet nach Kommunen wie in "
        "der Steuerungsmappe, darin nach Arbeitsgruppen: Jede Kommune findet ihre Zeilen "
        "beieinander. Die Summen je Kommune stehen auf dem Blatt Kommunen, der Saldo je "
        "Kommune und Handlungsfeld im Überblick auf dem Blatt Kommunen-Matrix.",
    )
    spalten2 = [
        ("Kommune", 26, m.text),
        ("AG", 7, m.text),
        # One row per Kommune and AG: not wrapped; a long name shortened.
        ("Handlungsfeld", 40, m.fmt()),
        ("Schlüssel", 12, m.eingerueckt),  # a cut Handlungsfeld ran into the next column
        ("Anteil", 9, m.fmt(num_format=xlsx.PROZENTFORMAT)),
        ("Kostenanteil", 14, m.geld),
        ("Nutzenanteil", 14, m.geld),
        ("Saldo", 14, m.geld),
    ]
    daten2 = [
        [
            z["Kommune"],
            z["AG"],
            _gekuerzt(z["Handlungsfeld"], 40),
            z["Schlüssel"],
            float(z["Anteil"]),
            z["Kostenanteil"],
            z["Nutzenanteil"],
            z["Saldo"],
        ]
        for z in _nach_kommunen(detail, summen)
    ]
    _, letzte2 = m.tabelle(ws, 3, "tbl_KommunenDetail", spalten2, daten2)
    m.drucken(ws, 3, [(0, 0, letzte2, len(spalten2) - 1)])


def _nach_kommunen(
    detail: list[dict[str, Any]], summen: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows of `Konsolidierung.kommunen` Kommune by Kommune, in the order of the Kommunen
    sheet (the Steuerungsmappe's), each Kommune's in the order of the AGs.

    Sorted by AG, a mayor hunted the rows of the own Kommune over all pages (16 at 60 AGs);
    now they stand together. What an AG-wise reader needs (the split of one AG over its
    partners) is its row of the Kommunen-Matrix, or the filter of this table.
    """
    rang = {z["Kommune"]: i for i, z in enumerate(summen)}
    return sorted(detail, key=lambda z: rang.get(z["Kommune"], len(rang)))  # stable: AG order


#: Kommunen side by side on one page of the Kommunen-Matrix: with more, A4 landscape one page
#: wide would print below three quarters; a larger programme prints in parts of at most this
#: many side by side (see `_kommunen_matrix`).
MATRIX_JE_SEITE = 12
#: Columns of each part of the Kommunen-Matrix before its Kommunen: AG, Handlungsfeld, alle
#: Kommunen.
MATRIX_VORSPANN = 3
#: Width of the Handlungsfeld of the Kommunen-Matrix: two lines at most, shortened after a word.
MATRIX_FELDBREITE = 30
GRAU = "#F2F2F2"


def _zwei_zeilen(text: str, breite: float) -> str:
    """`text` shortened after a whole word (" …") to two lines of a column `breite` wide.

    On one line "Wirtschaftsförderung …" and "Erstellung von …" left a mayor guessing which
    field a row is; two lines name it, and 60 AGs still print on two pages.
    """
    text = text.replace("u. a.", "u.\u00a0a.")  # not "u." at a line's end, "a." below it
    laenge = int(breite * 2.2)
    kurz = _gekuerzt(text, laenge / 1.1)
    while laenge > breite and _zeilenhoehe(kurz, breite, 10) > _zeilenhoehe("a\na", breite, 10):
        laenge -= 1
        kurz = _gekuerzt(text, laenge / 1.1)
    return kurz


def _matrix_status(s: Any) -> str:
    """A short word for an AG without figures, in its total's cell: why its row is empty (the
    full status with the deadline stands on the Übersicht)."""
    if s.unlesbar:
        return UNLESBAR
    if s.status.startswith(KEIN_RUECKLAUF):
        return KEIN_RUECKLAUF
    if s.kennzahlen is not None:  # valid, but its Kostenausgleich gives no shares
        return "ohne Anteile"
    return s.status


def _kommunen_matrix(
    m: _Mappe, k: Konsolidierung, detail: list[dict[str, Any]], summen: list[dict[str, Any]]
) -> None:
    """What the programme costs and brings each Kommune, per Handlungsfeld: AGs down,
    Kommunen across, in each cell the Kommune's Nutzenanteil minus Kostenanteil of that AG.

    Every mayor asks that one question; before, the answer was spread over the detail list,
    16 printed pages at 60 AGs. Here it is one column, with the Kommune's total below (the
    Saldo of the Kommunen sheet) and each AG's total beside (Nutzen minus Kosten of the
    field). Every AG has its row: one without figures says why ("kein Rücklauf") instead of
    vanishing. The cells are SUMIFS over tbl_KommunenDetail (classic functions, which
    LibreOffice knows) with Python's figures cached. A grid to read and print, not a
    filterable table: a filter would hide AGs from the totals, and the filter buttons would
    take the room of the Kommunen's names.

    More than `MATRIX_JE_SEITE` Kommunen would print too small on one page's width: they are
    split into blocks side by side, each a print area (a page wide) with its own title and
    the AG, Handlungsfeld and total columns again. Repeated print columns would have done
    that too, but with them the first page's title and hint were cut on every other page,
    and the engine, not the programme, chose where a block ends.
    """
    von, bis = k.st.startjahr, k.st.startjahr + k.st.jahre - 1
    kommunen = [z["Kommune"] for z in summen]
    anzahl = len(kommunen)
    teile = max(-(-anzahl // MATRIX_JE_SEITE), 1)
    je_teil = -(-anzahl // teile) if anzahl else 0  # evenly: not 12 and then 1
    bloecke = [kommunen[t * je_teil : (t + 1) * je_teil] for t in range(teile)]
    titel = f"Nettoeffekt (Nutzenanteil − Kostenanteil) je Kommune und Handlungsfeld, {von}–{bis}"
    ws = m.blatt(
        "Kommunen-Matrix",
        titel,
        f"{_grundlage(k)} Je Arbeitsgruppe (Zeile) und Kommune (Spalte) ihr Anteil am Nutzen "
        f"minus ihr Anteil an den Kosten über den Betrachtungszeitraum ({k.st.jahre} Jahre, "
        f"{von}–{bis}), nominal (nicht abgezinst), nach dem Verteilungsschlüssel der AG: "
        "derselbe Saldo wie auf dem Blatt Kommunen, dessen Werte die Zeile „Summe“ zeigt. "
        "Rot unterlegt: Die Kommune trägt dort mehr Kosten, als sie Nutzen erhält. In vollen "
        "Euro; auf den Cent, mit Kosten und Nutzen getrennt, auf dem Blatt Kommunen je "
        "Handlungsfeld. „offen“: Partner, aber noch kein Rücklauf ohne Fehler (warum, sagt die "
        "Spalte „alle Kommunen“); „fehlt“: Partner laut Steuerungsmappe, aber nicht in der "
        "Mappe, die die AG zurückgeschickt hat (vor der Aufnahme erzeugt; ihre Zahlen sind auf "
        "die Partner dieser Mappe verteilt); „–“: nicht Partner dieser Arbeitsgruppe."
        + (
            " Handlungsfelder ohne eigene Arbeitsgruppe: Blatt Weitere Handlungsfelder."
            if _weitere(k)
            else ""
        )
        + (
            f" {anzahl} Kommunen: in {teile} Teilen nebeneinander, je Teil eine Seite breit."
            if teile > 1
            else ""
        ),
    )
    saldo = {(z["AG"], z["Kommune"]): z["Saldo"] for z in detail}
    summe_je_kommune = {z["Kommune"]: z["Saldo"] for z in summen}
    kopf, erste = 3, 4
    letzte = erste + max(len(k.ags), 1) - 1
    summe_zeile = letzte + 1

    f = _MatrixFormate(m)
    titel_umbruch = m.fmt(bold=True, font_size=14, font_color=DUNKEL, text_wrap=True)
    ag_breite = max([7.0, *(len(s.ag.kuerzel) + 1.0 for s in k.ags)])
    # Nutzen minus Kosten of each AG with shares, the sum of its row: one pass over the rows
    zeilensummen = {
        s.ag.kuerzel: Decimal(0)
        for s in k.ags
        if s.kennzahlen is not None and s.kennzahlen.anteile is not None
    }
    for (ag, _), wert in saldo.items():
        zeilensummen[ag] += wert
    gesamtsumme = sum(zeilensummen.values(), Decimal(0))
    gesamt_breite = max(13.0, _zahlbreite([gesamtsumme, *zeilensummen.values()], f.geld))
    felder = [_zwei_zeilen(s.ag.handlungsfeld_kurz, MATRIX_FELDBREITE) for s in k.ags]
    bereiche = []
    links = 0
    for t, block in enumerate(bloecke):
        rechts = links + MATRIX_VORSPANN + len(block) - 1
        bereiche.append((0, links, summe_zeile, rechts))
        # Labels and the AG's total at the left of every part (its page).
        for i, s in enumerate(k.ags):
            r = erste + i
            ws.write_string(r, links, s.ag.kuerzel, f.einzeilig)
            ws.write_string(r, links + 1, felder[i], m.text)
            m.hoehe_mindestens(ws, r, _zeilenhoehe(felder[i], MATRIX_FELDBREITE, 10))
            ag_zelle = _genau(s.ag.kuerzel, xl_rowcol_to_cell(r, links, col_abs=True))
            if s.ag.kuerzel in zeilensummen:
                ws.write_formula(
                    r,
                    links + 2,
                    f"=SUMIFS(tbl_KommunenDetail[Saldo],tbl_KommunenDetail[AG],{ag_zelle})",
                    f.gesamt,
                    float(zeilensummen[s.ag.kuerzel]),
                )
            else:
                status = _matrix_status(s)
                ws.write_string(r, links + 2, status, f.status.get(status, f.status_rot))
            for j, kommune in enumerate(block):
                c = links + MATRIX_VORSPANN + j
                wert = saldo.get((s.ag.kuerzel, kommune))
                if s.ag.kuerzel in zeilensummen and wert is not None:
                    kommune_zelle = _genau(kommune, xl_rowcol_to_cell(kopf, c, row_abs=True))
                    ws.write_formula(
                        r,
                        c,
                        f"=SUMIFS(tbl_KommunenDetail[Saldo],tbl_KommunenDetail[AG],{ag_zelle},"
                        f"tbl_KommunenDetail[Kommune],{kommune_zelle})",
                        f.geld,
                        float(wert),
                    )
                elif kommune in s.ag.partner:
                    # With figures, a partner without a share was added to the AG after its
                    # workbook was made: "–" would tell its mayor the AG is none of theirs.
                    wort = "fehlt" if s.ag.kuerzel in zeilensummen else "offen"
                    ws.write_string(r, c, wort, f.offen)
                else:
                    ws.write_string(r, c, "–", f.fehlt)

        # The totals: per Kommune its Saldo of the Kommunen sheet, and the programme's.
        ws.write_string(summe_zeile, links, "Summe", f.summe_text)
        ws.write_string(
            summe_zeile,
            links + 1,
            "alle Handlungsfelder" if all(s.gueltig for s in k.ags) else "gültige Rückläufe",
            f.summe_text,
        )
        for c, wert in [
            (links + 2, gesamtsumme),
            *((links + MATRIX_VORSPANN + j, summe_je_kommune[x]) for j, x in enumerate(block)),
        ]:
            ws.write_formula(
                summe_zeile,
                c,
                f"=SUM({xl_rowcol_to_cell(erste, c)}:{xl_rowcol_to_cell(letzte, c)})",
                f.summe_gesamt if c == links + 2 else f.summe_geld,
                float(wert),
            )
        ws.conditional_format(erste, links + 2, summe_zeile, rechts, f.verlust)

        # Header and widths: a Kommune's column as wide as its name's longest word (wrapped)
        # and its largest amount; the names as in tbl_KommunenDetail, which the SUMIFS match.
        ws.write_string(kopf, links, "AG", m.kopf)
        ws.write_string(kopf, links + 1, "Handlungsfeld", m.kopf)
        ws.write_string(kopf, links + 2, "alle Kommunen", f.kopf_zahl)
        m.spalte(ws, links, links, ag_breite)
        m.spalte(ws, links + 1, links + 1, MATRIX_FELDBREITE)
        m.spalte(ws, links + 2, links + 2, gesamt_breite)
        kopfhoehe = 30.0
        for j, kommune in enumerate(block):
            c = links + MATRIX_VORSPANN + j
            ws.write_string(kopf, c, kommune, f.kopf_zahl)
            werte = [saldo.get((s.ag.kuerzel, kommune)) for s in k.ags]
            wort = max((len(w) for w in kommune.split()), default=0)
            breite = min(
                max(
                    11.0,
                    wort * 0.9 + 1.5,
                    _zahlbreite([*werte, summe_je_kommune[kommune]], f.geld),
                ),
                20.0,
            )
            m.spalte(ws, c, c, breite)
            kopfhoehe = max(kopfhoehe, _zeilenhoehe(kommune, breite, 9, fett=True))
        m.hoehe_mindestens(ws, kopf, min(kopfhoehe, 120.0))

        # Title over the part's own columns, wrapped: beyond them it was cut on paper.
        breite = sum(m.breiten[ws.name][c] for c in range(links, rechts + 1))
        teil = f" (Teil {t + 1} von {teile})" if teile > 1 else ""
        ws.merge_range(0, links, 0, rechts, titel + teil, titel_umbruch)
        m.hoehe_mindestens(ws, 0, _zeilenhoehe(titel + teil, breite, 14, fett=True) or 20)
        if t:
            erster, letzter = block[0], block[-1]
            ws.merge_range(
                1,
                links,
                1,
                rechts,
                f"Fortsetzung: die Kommunen {kommunen.index(erster) + 1} bis "
                f"{kommunen.index(letzter) + 1} von {anzahl} ({erster} bis {letzter}); "
                "was die Zahlen bedeuten, steht über Teil 1.",
                m.hinweis,
            )
        links = rechts + 1

    m.drucken(ws, kopf, bereiche)
    # names and totals stay in view when scrolling; a second part repeats them anyway
    ws.freeze_panes(erste, MATRIX_VORSPANN if teile == 1 else 0)


class _MatrixFormate:
    """The formats of the Kommunen-Matrix, made once for all its parts."""

    def __init__(self, m: _Mappe) -> None:
        self.geld = m.fmt(num_format=GELD_GANZ)
        self.gesamt = m.fmt(num_format=GELD_GANZ, bold=True, bg_color=GRAU)
        self.summe_geld = m.fmt(num_format=GELD_GANZ, bold=True, top=1)
        self.summe_gesamt = m.fmt(num_format=GELD_GANZ, bold=True, top=1, bg_color=GRAU)
        self.summe_text = m.fmt(bold=True, top=1)
        self.offen = m.fmt(italic=True, font_color="#7F7F7F", align="right")
        self.fehlt = m.fmt(font_color="#7F7F7F", align="center")
        self.einzeilig = m.fmt()  # the Kürzel, at the top beside a name of two lines
        # the colours of the status on the Übersicht
        self.status = {
            KEIN_RUECKLAUF: m.fmt(
                italic=True, align="right", bg_color="#FFEB9C", font_color="#9C5700"
            ),
        }
        self.status_rot = m.fmt(
            italic=True, align="right", bg_color="#FFC7CE", font_color="#9C0006"
        )
        self.kopf_zahl = m.fmt(
            bold=True,
            text_wrap=True,
            font_color="#FFFFFF",
            bg_color=DUNKEL,
            font_size=9,
            valign="vcenter",
            align="right",
        )
        # A loss, in the colours of a bad figure elsewhere: shaded, so it shows on a grey print.
        self.verlust = {
            "type": "cell",
            "criteria": "<",
            "value": 0,
            "format": m.fmt(bg_color="#FFC7CE", font_color="#9C0006"),
        }


#: Kommunen whose Einwohner include those of other Kommunen of the programme.
KREISE = frozenset({"Landkreis", "Region"})


def _kreis_doppelt(k: Konsolidierung, detail: list[dict[str, Any]]) -> str:
    """Where the Einwohner key counts a Landkreis's people twice, say what share it got.

    A Landkreis's Einwohner are those of its Gemeinden: beside them it carries about half. That
    may be what the AG wants (a common arrangement), but the mayors should see it as a choice,
    not discover it in a column of percentages.
    """
    arten = {kommune.name: kommune.art for kommune in k.st.kommunen}
    je_ag: dict[str, list[dict[str, Any]]] = {}
    for z in detail:
        if z["Schlüssel"] == "Einwohner":
            je_ag.setdefault(z["AG"], []).append(z)
    kreise: dict[str, list[str]] = {}
    for ag, zeilen in je_ag.items():
        mitglieder = [
            z for z in zeilen if arten.get(z["Kommune"]) not in KREISE | {"Kreisfreie Stadt"}
        ]
        if not mitglieder:
            continue
        for z in zeilen:
            if arten.get(z["Kommune"]) in KREISE:
                kreise.setdefault(z["Kommune"], []).append(
                    f"in {ag} {deutsch.zahl(z['Anteil %'], 1)} %"
                )
    if not kreise:
        return ""

    def aufzaehlung(ags: list[str]) -> str:
        if len(ags) > 6:
            return ", ".join(ags[:6]) + f" und in {len(ags) - 6} weiteren AGs"
        return ", ".join(ags[:-1]) + " und " + ags[-1] if len(ags) > 1 else ags[0]

    def benannt(kreis: str) -> str:  # "der Landkreis Helmstedt", "die Region Hannover"
        artikel = {"Landkreis": "der ", "Region": "die "}.get(kreis.split()[0], "")
        return artikel + kreis

    saetze = " ".join(
        f"So trägt {benannt(kreis)} {aufzaehlung(ags)} der Kosten und Nutzen."
        for kreis, ags in kreise.items()
    )
    return (
        " Beim Schlüssel Einwohner zählt ein Landkreis (bzw. eine Region) mit allen Einwohnern "
        f"seines Gebiets, also mit denen seiner Gemeinden noch einmal. {saetze} Soll er anders "
        "beteiligt sein, wählt die AG den Schlüssel „individuell“."
    )


def _risiken(m: _Mappe, k: Konsolidierung) -> None:
    spalten = [
        ("AG", 7, m.text),
        ("Handlungsfeld", 22, m.text),
        ("Nr", 5, m.ganz),
        ("Risiko", 36, m.eingerueckt),
        ("Kategorie", 13, m.eingerueckt),
        ("Eintrittswahrscheinlichkeit", 5, m.ganz),
        ("Auswirkung", 5, m.ganz),
        ("Risikowert", 5, m.ganz),
        # apart from the Risikowert before it: "16 Kosten offen darstellen" (print review)
        ("Gegenmaßnahme", 36, m.eingerueckt),
        ("Verantwortlich", 16, m.eingerueckt),
    ]
    hoch = frozenset(["Eintrittswahrscheinlichkeit", "Auswirkung", "Risikowert"])
    daten = []
    for s in k.ags:
        if s.datei is None or s.kennzahlen is None:
            continue
        for zeile, w in s.datei.gelesen["tbl_Risiken"].zeilen:
            daten.append(
                [
                    s.ag.kuerzel,
                    s.ag.handlungsfeld_kurz,
                    w.get("Nr"),
                    w.get("Risiko"),
                    w.get("Kategorie"),
                    w.get("Eintrittswahrscheinlichkeit"),
                    w.get("Auswirkung"),
                    s.kennzahlen.risikowerte.get(zeile),
                    w.get("Gegenmaßnahme"),
                    w.get("Verantwortlich"),
                ]
            )
    ws = m.blatt(
        "Risiken",
        "Risiken der Handlungsfelder",
        "Risikowert = Eintrittswahrscheinlichkeit × Auswirkung"
        + (f"; ab {deutsch.zahl(ab)} hoch" if (ab := _risiko_hoch()) is not None else "")
        + ". Die Risikomatrix (Anzahl der Risiken je Feld) steht auf dem Blatt Risikomatrix. "
        + _grundlage(k),
    )
    erste, letzte = m.tabelle(ws, 3, "tbl_RisikenAlle", spalten, daten, hoch=hoch)
    _hohe_risiken_rot(m, ws, erste, letzte, 7)
    m.drucken(ws, 3, [(0, 0, letzte, len(spalten) - 1)])
    _risikomatrix(m, k, daten)


def _risikomatrix(m: _Mappe, k: Konsolidierung, daten: list[list[Any]]) -> None:
    """The 5×5 matrix of all risks on a sheet of its own.

    Below the risk table on its sheet (print review 19), it printed under that table's header,
    repeated on every page of a sheet whose table runs over a page: an empty band above the
    matrix (print review 20). A sheet of its own starts with the matrix, and the Lenkungsgruppe
    finds it by its tab rather than below a long table."""
    ws = m.blatt(
        "Risikomatrix",
        "Risikomatrix aller Handlungsfelder (Anzahl)",
        "Anzahl der Risiken je Feld: die Eintrittswahrscheinlichkeit steigt nach rechts, die "
        "Auswirkung nach oben; die Risiken selbst stehen auf dem Blatt Risiken. " + _grundlage(k),
    )
    oben = 3
    ws.write_string(
        oben, 0, "Auswirkung ↑ / Wahrscheinlichkeit →", m.fmt(bold=True, valign="bottom")
    )
    m.spalte(ws, 0, 0, 34)
    m.spalte(ws, 1, 5, 8)
    zonen = {4: "#A9D08E", 9: "#FFEB84", 14: "#FFB366", 25: "#F8696B"}
    # Counted once, not once per cell of the matrix; keys compare like the values (3 == 3.0).
    anzahlen = Counter((z[5], z[6]) for z in daten)
    for w in range(1, 6):
        ws.write_number(oben, w, w, m.fmt(bold=True, align="center", valign="bottom"))
    for i, a in enumerate(range(5, 0, -1)):
        r = oben + 1 + i
        m.hoehe_mindestens(ws, r, MATRIXZEILE)
        ws.write_number(r, 0, a, m.fmt(bold=True, align="right", valign="vcenter", border=1))
        for w in range(1, 6):
            farbe = next(f for grenze, f in zonen.items() if w * a <= grenze)
            ws.write_formula(
                r,
                w,
                f"=COUNTIFS(tbl_RisikenAlle[Eintrittswahrscheinlichkeit],{w},"
                f"tbl_RisikenAlle[Auswirkung],{a})",
                m.fmt(bg_color=farbe, align="center", valign="vcenter", border=1),
                anzahlen[w, a],
            )
    # the colours in words: printed in black and white they are four greys
    ws.merge_range(
        oben + 7,
        0,
        oben + 7,
        5,
        "Risikowert (Wahrscheinlichkeit × Auswirkung): grün bis 4, gelb 5–9, orange 10–14, "
        "rot ab 15.",
        m.text,
    )
    m.hoehe_mindestens(ws, oben + 7, 2 * ZEILENHOEHE)
    m.drucken(ws, oben, [(0, 0, oben + 7, 5)], fixieren=False)


def _staerken(m: _Mappe, k: Konsolidierung) -> None:
    ws = m.blatt(
        "Stärken-Schwächen", "Stärken-Schwächen-Analyse der Handlungsfelder", _grundlage(k)
    )
    spalten = [
        ("AG", 7, m.text),
        ("Handlungsfeld", 22, m.text),
        ("Kommune", 24, m.text),
        ("Bereich", 14, m.text),
        ("Art", 10, m.text),
        ("Beschreibung", 56, m.text),
        ("Gewicht", 8, m.ganz),
    ]
    # Per AG grouped as the analysis reads: strengths, weaknesses, chances, risks, the weightiest
    # first; the AG's own order within that (print review: the four were mixed).
    arten = {art: i for i, art in enumerate(definition.arbeitsmappe().listen["swot_art"])}

    def ordnung(w: dict[str, Any]) -> tuple[int, int]:
        gewicht = w.get("Gewicht")
        return arten.get(w.get("Art") or "", len(arten)), -(gewicht if type(gewicht) is int else 0)

    daten = [
        [
            s.ag.kuerzel,
            s.ag.handlungsfeld_kurz,
            w.get("Kommune"),
            w.get("Bereich"),
            w.get("Art"),
            w.get("Beschreibung"),
            w.get("Gewicht"),
        ]
        for s in k.ags
        if s.datei is not None and s.kennzahlen is not None
        for w in sorted(s.datei.zeilen("tbl_StaerkenSchwaechen"), key=ordnung)
    ]
    _, letzte = m.tabelle(ws, 3, "tbl_StaerkenSchwaechenAlle", spalten, daten)
    m.drucken(ws, 3, [(0, 0, letzte, len(spalten) - 1)])


def _monate(beginn: date, ende: date) -> list[date]:
    monate, jahr, monat = [], beginn.year, beginn.month
    while (jahr, monat) <= (ende.year, ende.month):
        monate.append(date(jahr, monat, 1))
        jahr, monat = (jahr + 1, 1) if monat == 12 else (jahr, monat + 1)
    return monate


def _zeitplan(m: _Mappe, k: Konsolidierung) -> None:
    ws = m.blatt(
        "Zeitplan",
        "Meilensteine des Gesamtprojekts und der Einzelprojekte",
        "Rechts: ein ◆ im Monat des Termins.",
    )
    spalten = [
        ("Ebene", 12, m.text),
        ("AG", 7, m.text),
        ("Meilenstein", 36, m.text),
        ("Phase", 16, m.eingerueckt),
        ("Termin", 11, m.datum),
        ("Status", 11, m.eingerueckt),
    ]
    daten: list[list[Any]] = [
        ["Gesamtprojekt", "", ms.meilenstein, ms.phase, ms.termin, ""]
        for ms in sorted(k.st.meilensteine, key=lambda x: x.termin)
    ]
    for s in k.ags:
        if s.datei is None or s.kennzahlen is None:
            continue
        for w in s.datei.zeilen("tbl_Meilensteine"):
            daten.append(
                [
                    "Einzelprojekt",
                    s.ag.kuerzel,
                    w.get("Meilenstein"),
                    w.get("Phase"),
                    w.get("Termin"),
                    w.get("Status"),
                ]
            )
    erste, letzte = m.tabelle(ws, 3, "tbl_ZeitplanAlle", spalten, daten)
    monate = _monate(k.st.programmbeginn, k.st.programmende)
    links = len(spalten)
    monatsformat = m.fmt(
        num_format="MMM YY", rotation=90, bold=True, align="center", border=1, font_size=8
    )
    marke = m.fmt(align="center", font_color=DUNKEL, bold=True)
    spalte_je_monat: dict[tuple[int, int], int] = {}
    for i, monat in enumerate(monate):
        c = links + i
        spalte_je_monat[monat.year, monat.month] = c
        m.spalte(ws, c, c, 2)
        ws.write_datetime(3, c, datetime(monat.year, monat.month, 1), monatsformat)
    if monate:
        # the months upright in 8 pt bold ("Sep 14"): Calc needs 29 points for them, beyond
        # the two lines of the table's headers (measured in LibreOffice, session 24)
        m.hoehe_mindestens(ws, 3, 30)
    # A marker where a milestone falls: the overview is rebuilt on every run, so a formula
    # per month and milestone (157,000 of them for 1,000 AGs) would buy nothing. One look-up per
    # milestone, not one test per month and milestone.
    for r, zeile in enumerate(daten, start=erste):
        wert = zeile[4]
        if isinstance(wert, date):
            c = spalte_je_monat.get((wert.year, wert.month))
            if c is not None:
                ws.write_string(r, c, "◆", marke)
    m.drucken(ws, 3, [(0, 0, letzte, links + max(len(monate), 1) - 1)])
    if monate and daten:
        ws.conditional_format(
            erste,
            links,
            letzte,
            links + len(monate) - 1,
            {
                "type": "cell",
                "criteria": "==",
                "value": '"◆"',
                "format": m.fmt(bg_color="#BDD7EE"),
            },
        )


def _zeitpunkt(text: str) -> datetime | str:
    """An ISO time of the archive as a date cell, in local time ('Z' is UTC); else the text."""
    if not text:
        return text
    try:
        zeit = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if zeit.tzinfo is not None:
        zeit = zeit.astimezone().replace(tzinfo=None)
    return zeit


def _ruecklauf(m: _Mappe, k: Konsolidierung) -> None:
    ws = m.blatt(
        "Rücklauf",
        "Rücklauf: jede eingegangene Datei mit Status und Zahl der Befunde",
        "Von mehreren Fassungen einer AG zählt die zuletzt in Excel/LibreOffice gespeicherte "
        "(Eigenschaft „Zuletzt gespeichert“ der Mappe). Alle Fassungen liegen im Archiv "
        "(Archivdatei und SHA-256 in den letzten Spalten, nicht gedruckt). Die Befunde stehen "
        "auf dem Blatt Befunde." + _aeltere_stammdaten_erklaert(k.pruefung.dateien),
    )
    zaehlt = {id(s.eingang) for s in k.ags if s.eingang is not None}
    zeit = m.fmt(num_format="DD.MM.YYYY HH:MM")
    spalten = [
        ("Datei", 30, m.text),
        ("weitere Namen", 16, m.text),
        ("AG", 7, m.text),
        ("Status", 14, m.text),
        ("zählt", 6, m.text),
        ("Fehler", 7, m.ganz),
        ("Warnungen", 10, m.ganz),
        ("Hinweise", 9, m.ganz),
        ("gespeichert am", 15, zeit),
        ("eingegangen am", 15, zeit),
        ("Archivdatei", 40, m.fmt()),
        ("SHA-256", 20, m.fmt()),
    ]
    gedruckt = 10  # Archivdatei and SHA-256 are for the archive, not for paper
    daten = []
    for e, d in zip(k.eingaenge, k.pruefung.dateien, strict=True):
        daten.append(
            [
                d.name,
                "; ".join(n for n in (e.herkunft, *e.weitere_namen) if n != d.name),
                d.arbeitsgruppe,
                f"{d.status} ({NICHT_AUSGEFUELLT})"
                if d.leer
                else f"{d.status} ({AELTERE_STAMMDATEN})"
                if zeigt_andere_zahlen(d)
                else d.status,
                "ja" if id(e) in zaehlt else "nein",
                *(
                    sum(1 for b in d.befunde if b.stufe.value == st)
                    for st in ("Fehler", "Warnung", "Hinweis")
                ),
                _zeitpunkt(e.gespeichert_am),
                _zeitpunkt(e.eingegangen_am),
                e.archivdatei.name,
                e.sha256,
            ]
        )
    for z in k.nur_im_archiv:
        daten.append(
            [
                z.get("herkunft", ""),
                "",
                z.get("arbeitsgruppe", ""),
                f"nicht mehr in eingang/, nur im Archiv (beim Eingang: {z.get('status', '')})",
                "nein",
                None,
                None,
                None,
                _zeitpunkt(z.get("gespeichert_am", "")),
                _zeitpunkt(z.get("eingegangen_am", "")),
                Path(z.get("archivdatei", "")).name,
                z.get("sha256", ""),
            ]
        )
    for s in k.ags:
        if s.status == KEIN_RUECKLAUF:
            daten.append(["", "", s.ag.kuerzel, s.statustext, "", None, None, None, "", "", "", ""])
    _, letzte = m.tabelle(ws, 3, "tbl_Ruecklauf", spalten, daten)
    befunde = [b for d in k.pruefung.dateien for b in d.befunde]
    # An older version's findings do not count: said in each row, they cannot pass for current.
    zaehlt_nicht = {d.name for d in k.pruefung.dateien if d.ersetzt_durch}
    m.drucken(ws, 3, [(0, 0, letzte, gedruckt - 1)])

    # On a sheet of their own: beside the files they shared sheet rows, and filtering the
    # findings to one file hid the other files' rows (review).
    ws = m.blatt(
        "Befunde",
        "Befunde aller Rückläufe",
        "Jeder Befund mit Datei, Blatt und Zelle, wie im Prüfbericht; die Befunde einer älteren "
        "Fassung zählen nicht (so bei der Datei vermerkt)."
        + (
            "" if befunde else " Keine Befunde: alle Rückläufe ohne Fehler, Warnungen und Hinweise."
        ),
    )
    spalten2 = [
        ("Datei", 30, m.text),
        ("AG", 7, m.text),
        ("Blatt", 14, m.text),
        ("Zelle", 7, m.text),
        ("Stufe", 8, m.text),
        ("Art", 16, m.text),  # in words: "UMGEWANDELT" was jargon (print review)
        ("Meldung", 60, m.text),
    ]
    _, letzte2 = m.tabelle(
        ws,
        3,
        "tbl_Befunde",
        spalten2,
        [
            [
                f"{b.datei} (ältere Fassung, zählt nicht)" if b.datei in zaehlt_nicht else b.datei,
                b.arbeitsgruppe,
                b.blatt,
                b.zelle,
                b.stufe.value,
                b.regel.bezeichnung,
                b.meldung,
            ]
            for b in befunde
        ],
    )
    m.drucken(ws, 3, [(0, 0, letzte2, len(spalten2) - 1)])
