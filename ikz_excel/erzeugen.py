"""Writing workbooks from the definitions: the Arbeitsmappe of each AG and the Steuerungsmappe.

Everything a clerk sees (sheets, tables, headers, dropdowns, input messages, help lines) comes
from `schemata/`; this module only decides where things go on the page. Formulas use only what
LibreOffice 7.4 computes too: classic functions, structured references in the
`tbl[[#This Row],[Spalte]]` form, no XLOOKUP, LET, FILTER and friends.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hashlib
import json
import math
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PureWindowsPath
from typing import Any

from xlsxwriter.utility import (
    quote_sheetname,
    xl_cell_to_rowcol,
    xl_col_to_name,
    xl_rowcol_to_cell,
)
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

import ikz_excel
from ikz_excel import definition, deutsch, einlesen, pfade, xlsx
from ikz_excel.dateien import atomar, dateiname, freier_name
from ikz_excel.definition import (
    BIS,
    FORMELN,
    FORMELN_DARUNTER,
    KORREKTURBLATT,
    LISTENBLATT,
    STANDARD_TEXTLAENGE,
    ZELLEN,
    Blatt,
    Feld,
    Mappe,
    Spalte,
    Tabelle,
    grenze,
)
from ikz_excel.stammdaten import Arbeitsgruppe, Stammdaten

INTERNBLATT = "_ikz"
ZAHLENFORMATE = {
    "betrag": '#,##0.00 "€"',
    "zahl": "#,##0.####",
    "ganzzahl": "0",
    "prozent": xlsx.PROZENTFORMAT,
    "datum": "DD.MM.YYYY",
    "text": "@",
    "liste": "@",
    "formel": "#,##0.00",
}
#: Pixels of a column 14 characters wide (Arial 10: 7 px a character plus 5 px padding).
SPALTE_PX_14 = 14 * 7 + 5
FARBE_EINGABE = "#FFF2CC"
FARBE_BERECHNET = "#E7E6E6"
FARBE_KOPF = "#1F4E78"
FARBE_VORGABE = "#F2F2F2"
#: Said in the input message and on Hinweise of a column whose entries must be unique.
NUR_EINMAL = "jeder Eintrag nur einmal"


@dataclass
class Platz:
    """Where a table ended up: needed by formulas on other sheets and by the help page."""

    blatt: str
    tabelle: Tabelle
    kopfzeile: int  # 0-based
    erste_zeile: int  # 0-based first data row
    letzte_zeile: int  # 0-based last data row
    reserve_bis: int  # 0-based last row where typing below the table still counts
    #: 0-based last row written with an entry (free tables; else the last row)
    ausgefuellt_bis: int = -1
    zeilen_nach_schluessel: dict[str, int] = field(default_factory=dict)

    def spalte(self, kopf: str) -> int:
        return self.tabelle.koepfe.index(kopf)

    def bereich(self, kopf: str, absolut: bool = True, mit_reserve: bool = False) -> str:
        c = self.spalte(kopf)
        a = xl_rowcol_to_cell(self.erste_zeile, c, absolut, absolut)
        bis = self.reserve_bis if mit_reserve else self.letzte_zeile
        b = xl_rowcol_to_cell(bis, c, absolut, absolut)
        return f"{a}:{b}"

    def bezug(self, kopf: str) -> str:
        """A column as the formulas of other sheets see it: with the input rows below the table.

        Rows typed there count (FACHKONZEPT §4), and Python counts them; a structured reference
        (tbl_Ressourcen[Kosten]) would leave them out, because a table on a protected sheet
        does not grow, and the AG's workbook would show another Kapitalwert than the overview.
        """
        if self.reserve_bis <= self.letzte_zeile:
            return f"{self.tabelle.name}[{kopf}]"
        return f"{blattbezug(self.blatt)}!{self.bereich(kopf, mit_reserve=True)}"


class Formate:
    """XlsxWriter formats are per workbook; build each combination once."""

    def __init__(self, mappe: Workbook) -> None:
        self.mappe = mappe
        self._cache: dict[tuple, Any] = {}
        basis = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.basis = basis
        self.titel = mappe.add_format(
            {**basis, "bold": True, "font_size": 14, "font_color": FARBE_KOPF}
        )
        self.untertitel = mappe.add_format(
            {**basis, "bold": True, "font_size": 11, "font_color": FARBE_KOPF}
        )
        self.text = mappe.add_format({**basis, "text_wrap": True})
        # beside a number flush right: "3.10 %" and the source of the rate touched (print review 20)
        self.text_eingerueckt = mappe.add_format(
            {**basis, "text_wrap": True, "align": "left", "indent": 1}
        )
        self.fett = mappe.add_format({**basis, "bold": True, "text_wrap": True})
        kopf = {
            **basis,
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": FARBE_KOPF,
            "text_wrap": True,
            "border": 1,
            "valign": "vcenter",
        }
        self.kopf = mappe.add_format(kopf)
        #: over numbers: "Summe" left beside the year "5" flush right printed as "5Summe"
        #: (print review 20)
        self.kopf_rechts = mappe.add_format({**kopf, "align": "right"})
        #: an upright header (`Spalte.kopf_hochkant`) in 9 pt, as in the Übersicht
        self.kopf_hoch = mappe.add_format(
            {
                **basis,
                "bold": True,
                "font_size": 9,
                "font_color": "#FFFFFF",
                "bg_color": FARBE_KOPF,
                "border": 1,
                "rotation": 90,
                "valign": "bottom",
                "align": "center",
            }
        )

    def zelle(self, typ: str, eingabe: bool, vorgabe: bool = False, fmt: str | None = None) -> Any:
        schluessel = (typ, eingabe, vorgabe, fmt)
        if schluessel not in self._cache:
            eigenschaften = {
                **self.basis,
                "border": 1,
                "border_color": "#A6A6A6",
                "num_format": fmt or ZAHLENFORMATE.get(typ, "General"),
                "locked": not eingabe,
                "text_wrap": typ in ("text", "liste"),
            }
            if typ == "datum":
                eigenschaften["align"] = "center"
            if typ in ("text", "liste"):
                # apart from a number flush right in the cell before ("12Pilotmigration",
                # "82.500,00 €jährlich" on paper, print review)
                eigenschaften.update(align="left", indent=1)  # indent needs an alignment
            if eingabe:
                eigenschaften["bg_color"] = FARBE_EINGABE
            elif typ == "formel":
                eigenschaften["bg_color"] = FARBE_BERECHNET
            elif vorgabe:
                eigenschaften["bg_color"] = FARBE_VORGABE
            if typ == "formel" and fmt is None:
                eigenschaften["num_format"] = "#,##0.00"
            self._cache[schluessel] = self.mappe.add_format(eigenschaften)
        return self._cache[schluessel]

    def einfach(self, **eigenschaften: Any) -> Any:
        schluessel = tuple(sorted(eigenschaften.items()))
        if schluessel not in self._cache:
            self._cache[schluessel] = self.mappe.add_format({**self.basis, **eigenschaften})
        return self._cache[schluessel]


def blattbezug(blatt: str) -> str:
    return quote_sheetname(blatt)


def _excelwert(wert: Any) -> Any:
    if isinstance(wert, Decimal):
        return float(wert) if wert.is_finite() else str(wert)
    if isinstance(wert, float) and not math.isfinite(wert):
        return str(wert)  # Excel has no infinity: a Korrektur copy shows what was there
    return wert


def _endliche_zahl(wert: Any) -> bool:
    if isinstance(wert, bool) or not isinstance(wert, (int, float, Decimal)):
        return False
    return wert.is_finite() if isinstance(wert, Decimal) else math.isfinite(wert)


class Schreiber:
    """Shared machinery of both workbooks: lists, tables with validation, fields, print set-up."""

    def __init__(self, pfad: Path, mappe_def: Mappe, parameter: Mapping[str, Any]) -> None:
        self.wb = xlsx.Mappe(
            # in_memory: no temporary files per part; a third faster, and the target is
            # written once, atomically, by the caller's rename anyway.
            str(pfad),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "in_memory": True,
                "default_format_properties": xlsx.standardschrift(),
            },
        )
        self.wb.set_size(1600, 1000)
        self.mappe_def = mappe_def
        self.parameter = parameter
        self.f = Formate(self.wb)
        self.plaetze: dict[str, Platz] = {}
        #: Column widths set by `spaltenbreiten`, per sheet: a merged explanation's height.
        self.breiten: dict[str, dict[int, float]] = {}
        self.listen: dict[str, tuple[str, ...]] = dict(mappe_def.listen)
        self.listenbereiche: dict[str, str] = {}  # list name -> validation source
        self.blaetter: dict[str, Worksheet] = {}
        self.feldorte: dict[str, tuple[str, str]] = {}
        # Validations whose list is a table written later on the same sheet (3.10 Varianten).
        self.aufgeschoben: list[tuple[Worksheet, int, int, int, Spalte]] = []

    # lists ------------------------------------------------------------------------------------
    def listen_schreiben(self, dynamisch: Mapping[str, Iterable[str]]) -> None:
        """All dropdown lists on one hidden sheet, each behind a defined name.

        Excel's inline lists break past 255 characters and cannot hold commas; a range behind a
        name has neither limit and is shown in the Name Manager for anybody who wonders.
        """
        self.listen.update({k: tuple(v) for k, v in dynamisch.items()})
        ws = self.wb.add_worksheet(LISTENBLATT)
        ws.hide()
        for spalte, (name, werte) in enumerate(sorted(self.listen.items())):
            ws.write_string(0, spalte, name, self.f.fett)
            for zeile, wert in enumerate(werte, start=1):
                ws.write_string(zeile, spalte, str(wert))
            letzte = max(len(werte), 1)
            bereich = (
                f"={LISTENBLATT}!${xl_col_to_name(spalte)}$2:${xl_col_to_name(spalte)}${letzte + 1}"
            )
            self.wb.define_name(f"liste_{name}", bereich)
            self.listenbereiche[name] = f"=liste_{name}"
        ws.protect()

    # validation -------------------------------------------------------------------------------
    def validierung(self, spalte: Spalte, quelle_liste: str | None = None) -> dict[str, Any]:
        titel = spalte.kopf[:32]
        hilfe = spalte.hilfe or spalte.kopf
        bedingung = pflicht_bedingung(spalte, self.mappe_def)
        zusatz = []
        if bedingung:
            komma = "," if bedingung.startswith("wenn") else ""
            zusatz.append(f"Pflichtangabe{komma} {bedingung}")
        elif bedingung is not None:
            zusatz.append("Pflichtangabe")
        if spalte.eindeutig:  # the check refuses a second one (also in other letter case)
            zusatz.append(NUR_EINMAL)
        if zusatz:
            hilfe = f"{hilfe} ({'; '.join(zusatz)})"
        v: dict[str, Any] = {
            "input_title": titel,
            "input_message": hilfe[:255],
            "error_title": "Ungültige Eingabe",
            "error_type": "stop",
            "ignore_blank": True,
        }
        lo = grenze(spalte.min, self.parameter)
        hi = grenze(spalte.max, self.parameter)
        typ = spalte.typ
        if typ == "liste":
            v.update(
                validate="list", source=quelle_liste or self.listenbereiche[spalte.liste or ""]
            )
            v["error_message"] = "Bitte einen Wert aus der Auswahlliste wählen."
            if quelle_liste is not None or not self.listen.get(spalte.liste or ""):
                # A source with empty cells (the Varianten column with its free rows): with
                # "Leere Zellen ignorieren" Excel then lets any text in (Microsoft: a list range
                # with a blank cell), which the check refuses as not in the list.
                v["ignore_blank"] = False
        elif typ in ("ganzzahl", "zahl", "betrag", "prozent"):
            v["validate"] = "integer" if typ == "ganzzahl" else "decimal"
            lo = -1e12 if lo is None else lo
            hi = 1e12 if hi is None else hi
            v.update(criteria="between", minimum=_excelwert(lo), maximum=_excelwert(hi))
            art = "eine ganze Zahl" if typ == "ganzzahl" else "eine Zahl"
            if typ == "prozent":
                v["error_message"] = (
                    f"Bitte einen Prozentsatz zwischen {lo * 100:g} % und {hi * 100:g} % eingeben."
                )
            else:
                v["error_message"] = (
                    f"Bitte {art} zwischen {deutsch.zahl(lo)} und {deutsch.zahl(hi)} eingeben."
                )
        elif typ == "datum":
            lo = lo or date(1990, 1, 1)
            hi = hi or date(2100, 12, 31)
            v.update(validate="date", criteria="between", minimum=lo, maximum=hi)
            v["error_message"] = (
                f"Bitte ein Datum zwischen {lo:%d.%m.%Y} und {hi:%d.%m.%Y} eingeben (TT.MM.JJJJ)."
            )
        else:
            laenge = spalte.hoechstlaenge or STANDARD_TEXTLAENGE
            v.update(validate="length", criteria="<=", value=laenge)
            v["error_message"] = f"Bitte höchstens {laenge} Zeichen eingeben."
        v["error_message"] = v["error_message"][:255]
        return v

    # sheets -----------------------------------------------------------------------------------
    def blatt_anlegen(self, blatt: Blatt, kopfzeile_text: str = "") -> Worksheet:
        ws = self.wb.add_worksheet(blatt.name)
        self.blaetter[blatt.name] = ws
        ws.hide_gridlines(2)
        ws.set_paper(9)  # A4
        if blatt.querformat:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        ws.set_header(xlsx.kopfzeile(kopfzeile_text, blatt.name))
        # The print date (&D, filled in by Excel or LibreOffice when printing): at the AG's
        # meeting, pages printed before and after a correction looked the same (print review).
        ws.set_footer("&L&8Gedruckt am &D&R&8Seite &P von &N")
        return ws

    def kopf_schreiben(self, ws: Worksheet, blatt: Blatt, breite: int) -> int:
        """Title and explanation at the top of a sheet; returns the next free row."""
        ws.write_string(0, 0, blatt.titel or blatt.name, self.f.titel)
        ws.set_row(0, 22)
        zeile = 1
        if blatt.hinweis:
            bis = max(breite - 1, 1)
            ws.merge_range(1, 0, 1, bis, blatt.hinweis, self.f.text)
            gesetzt = self.breiten.get(ws.name, {})
            spalten = [gesetzt.get(c, 8.43) for c in range(bis + 1)]
            zeilen = xlsx.textzeilen(blatt.hinweis, xlsx.zusammen(spalten))
            if zeilen > 1:
                ws.set_row(1, xlsx.zeilenhoehe(zeilen))
            zeile = 2
        return zeile + 1

    def felder_schreiben(
        self, ws: Worksheet, blatt: Blatt, zeile: int, werte: Mapping[str, Any] | None = None
    ) -> int:
        for feld in blatt.felder:
            self.feld_schreiben(ws, blatt, feld, zeile, (werte or {}).get(feld.name, feld.standard))
            zeile += 1
        return zeile + (1 if blatt.felder else 0)

    def feld_schreiben(
        self, ws: Worksheet, blatt: Blatt, feld: Feld, zeile: int, wert: Any = None
    ) -> None:
        ws.write_string(zeile, 0, feld.bezeichnung or feld.kopf, self.f.fett)
        fmt = self.f.zelle(feld.typ, True, fmt=feld.format)
        # both wrap: "gleiche Anteile" took two lines in its column, cut at the default height
        breiten = self.breiten.get(ws.name, {})
        zeilen = xlsx.textzeilen(feld.bezeichnung or feld.kopf, breiten.get(0, 8.43), fett=True)
        if isinstance(wert, str) and feld.typ in ("text", "liste"):
            zeilen = max(zeilen, xlsx.textzeilen(wert, breiten.get(1, 8.43), einzug=True))
        if zeilen > 1 and feld.typ in ("text", "liste"):  # wrapped: grows as the clerk types
            ws.wachsende_zeile(zeile, xlsx.zeilenhoehe(zeilen))  # (`xlsx.Zellenblatt`)
        elif zeilen > 1:
            ws.set_row(zeile, xlsx.zeilenhoehe(zeilen))
        self.feldorte[feld.name] = (blatt.name, xl_rowcol_to_cell(zeile, 1))
        if wert is not None:
            ws.write(zeile, 1, _excelwert(wert), fmt)
        else:
            ws.write_blank(zeile, 1, None, fmt)
        ws.data_validation(zeile, 1, zeile, 1, self.validierung(feld))
        self.wb.define_name(
            feld.name, f"={blattbezug(blatt.name)}!{xl_rowcol_to_cell(zeile, 1, True, True)}"
        )

    def tabelle_schreiben(
        self,
        ws: Worksheet,
        blatt: Blatt,
        tdef: Tabelle,
        zeile: int,
        daten: list[dict[str, Any]] | None = None,
        vorbelegt: Mapping[str, Any] | None = None,
        gesperrt_wenn_vorbelegt: bool = True,
        leer_danach: int = 5,
    ) -> Platz:
        """One Excel table with formats and validations; returns where it stands.

        `daten` are the rows to write (free tables: filled rows, then empty ones up to the
        pre-sized length, or `leer_danach` beyond the entries; tables with prescribed rows:
        ignored). `vorbelegt` maps Stammdaten keys to values for prescribed rows.
        """
        if tdef.titel:
            ws.write_string(zeile, 0, tdef.titel, self.f.untertitel)
            zeile += 1
        kopfzeile = zeile
        daten = list(daten or [])
        if tdef.zeilen:
            # Prescribed rows keep their order; values given for them are matched by key.
            nach_schluessel = {str(d.get(tdef.schluessel or "")): d for d in daten}
            zeilen = [
                {**nach_schluessel.get(str(z.werte[tdef.schluessel or ""]), {}), **z.werte}
                for z in tdef.zeilen
            ]
        else:
            leer = tdef.zeilen_leer - len(daten) if len(daten) < tdef.zeilen_leer else leer_danach
            zeilen = daten + [{} for _ in range(leer if tdef.frei else 0)]
            if not zeilen:
                zeilen = [{}]
        erste, letzte = kopfzeile + 1, kopfzeile + len(zeilen)
        spalten = []
        for s in tdef.spalten:
            eintrag: dict[str, Any] = {
                "header": s.kopf,
                "format": self.f.zelle(s.typ, s.eingabe, fmt=s.format),
                "header_format": self.f.kopf_hoch if s.kopf_hochkant else self.f.kopf,
            }
            if s.typ == "formel" and s.formel:
                eintrag["formula"] = s.formel
            spalten.append(eintrag)
        ws.add_table(
            kopfzeile,
            0,
            letzte,
            len(tdef.spalten) - 1,
            {
                "name": tdef.name,
                "columns": spalten,
                "autofilter": False,
                "style": "Table Style Light 1",
            },
        )
        platz = Platz(blatt.name, tdef, kopfzeile, erste, letzte, letzte)
        platz.ausgefuellt_bis = letzte if tdef.zeilen else kopfzeile + len(daten)
        self.plaetze[tdef.name] = platz
        # upright headers: bold 9 pt Arial printed 4.2 pt a character (LibreOffice, measured);
        # the others wrapped in bold 10 pt, with some room above and below on the dark fill
        hochkant = [len(s.kopf) * 4.4 + 10 for s in tdef.spalten if s.kopf_hochkant]
        # (in the columns as wide as they are: at least `spaltenbreiten`'s `mindest`)
        breiten = [
            self.breiten.get(ws.name, {}).get(c, s.breite) for c, s in enumerate(tdef.spalten)
        ]
        quer = [
            xlsx.zeilenhoehe(xlsx.textzeilen(s.kopf, b, fett=True)) + 5
            for s, b in zip(tdef.spalten, breiten, strict=True)
            if not s.kopf_hochkant
        ]
        ws.set_row(kopfzeile, max([18.0, *quer, *hochkant]))

        # cell values and per-row formats
        for i, werte in enumerate(zeilen):
            r = erste + i
            zdef = tdef.zeilen[i] if tdef.zeilen else None
            geschrieben: dict[str, Any] = {}
            eingabezeile = False  # a wrapped cell the clerk types into: its row may grow
            if zdef is not None:
                platz.zeilen_nach_schluessel[str(zdef.werte[tdef.schluessel or ""])] = r
            for c, s in enumerate(tdef.spalten):
                if s.typ == "formel":
                    continue
                wert = werte.get(s.kopf)
                eingabe = s.eingabe
                typ, fmt = s.typ, s.format
                if zdef is not None and s.kopf == tdef.eingabespalte:
                    eff = tdef.zeilen_spalte(zdef, s.kopf)
                    typ, fmt = eff.typ, eff.format
                    if zdef.vorbelegt is not None and (wert is None or zdef.eingabe is None):
                        wert = (vorbelegt or {}).get(zdef.vorbelegt)
                    eingabe = zdef.eingabe is not None
                    if zdef.vorbelegt is not None and not gesperrt_wenn_vorbelegt:
                        eingabe = True
                fmt_obj = self.f.zelle(typ, eingabe, vorgabe=not eingabe, fmt=fmt)
                geschrieben[s.kopf] = wert
                eingabezeile = eingabezeile or (eingabe and typ in ("text", "liste"))
                if wert is None or wert == "":
                    ws.write_blank(r, c, None, fmt_obj)
                elif isinstance(wert, (date, datetime)):
                    ws.write_datetime(
                        r,
                        c,
                        wert
                        if isinstance(wert, datetime)
                        else datetime(wert.year, wert.month, wert.day),
                        fmt_obj,
                    )
                elif _endliche_zahl(wert):
                    ws.write_number(r, c, float(wert), fmt_obj)
                else:  # text, and what is no finite number ("inf" typed or crafted) as text
                    ws.write_string(r, c, str(wert), fmt_obj)
            hoehe = _zeilenhoehe(tdef, breiten, geschrieben)
            if hoehe and eingabezeile:  # as the clerk types (`xlsx.Zellenblatt`)
                ws.wachsende_zeile(r, hoehe)
            elif hoehe:
                ws.set_row(r, hoehe)

        # validations: per column for free tables (incl. the reserve below), per row otherwise
        if tdef.zeilen:
            c = tdef.koepfe.index(tdef.eingabespalte or "")
            for i, zdef in enumerate(tdef.zeilen):
                if zdef.eingabe is None:
                    continue
                eff = tdef.zeilen_spalte(zdef, tdef.eingabespalte or "")
                self.validieren(ws, erste + i, erste + i, c, eff)
            for c, s in enumerate(tdef.spalten):
                if s.eingabe and s.kopf != tdef.eingabespalte:
                    self.validieren(ws, erste, letzte, c, s)
        else:
            bis = letzte + (tdef.reserve if tdef.frei else 0)
            platz.reserve_bis = bis
            for c, s in enumerate(tdef.spalten):
                if not s.eingabe:
                    continue
                self.validieren(ws, erste, bis, c, s)
                if bis > letzte:
                    fmt = self.f.zelle(s.typ, True, fmt=s.format)
                    for r in range(letzte + 1, bis + 1):
                        ws.write_blank(r, c, None, fmt)
            self._reserveformeln(ws, tdef, letzte + 1, bis)
        self._ganze_zahlen_ohne_komma(ws, tdef, erste, platz.reserve_bis)
        return platz

    def _ganze_zahlen_ohne_komma(self, ws: Worksheet, tdef: Tabelle, von: int, bis: int) -> None:
        """Whole numbers in a column of optional decimals without the decimal separator.

        Excel writes "#,##0.####" with the separator even without a decimal: a Menge of 10
        showed as "10," and a Fallzahl of 620 as "620," (print review; LibreOffice drops it).
        No number format tells whole numbers apart, a conditional one does.
        """
        for c, s in enumerate(tdef.spalten):
            if ".#" not in (s.format or ZAHLENFORMATE.get(s.typ, "")):
                continue
            zelle = xl_rowcol_to_cell(von, c, False, True)  # the top left of the range
            ws.conditional_format(
                von,
                c,
                bis,
                c,
                {
                    "type": "formula",
                    "criteria": f"=AND(ISNUMBER({zelle}),{zelle}=INT({zelle}))",
                    "format": self.f.einfach(num_format="#,##0"),
                },
            )

    def _reserveformeln(self, ws: Worksheet, tdef: Tabelle, von: int, bis: int) -> None:
        """The computed columns (Kosten, Risikowert) also in the input rows below the table.

        A row typed there counts, so it shows its figure like a table row. The formula gives
        "" while the row is empty: a 0 would make the reader take every reserve row for one
        somebody typed, and the sums over these rows (SUMIFS) skip the text.
        """
        eingaben = [c for c, s in enumerate(tdef.spalten) if s.eingabe]
        for c, s in enumerate(tdef.spalten):
            if s.typ != "formel" or not s.formel or not eingaben:
                continue
            fmt = self.f.zelle(s.typ, False, fmt=s.format)
            for r in range(von, bis + 1):
                zellen = ",".join(xl_rowcol_to_cell(r, e) for e in eingaben)
                formel = _zeilenformel(s.formel, tdef, r).removeprefix("=")
                ws.write_formula(r, c, f'=IF(COUNTA({zellen})=0,"",{formel})', fmt, "")

    def validieren(self, ws: Worksheet, von: int, bis: int, c: int, spalte: Spalte) -> None:
        """Add a validation now, or later when its list is a table not yet written."""
        if spalte.liste == "varianten" and "tbl_Varianten" not in self.plaetze:
            self.aufgeschoben.append((ws, von, bis, c, spalte))
            return
        ws.data_validation(von, c, bis, c, self.validierung(spalte, self._listenquelle(spalte)))

    def aufgeschobene_validieren(self) -> None:
        offen, self.aufgeschoben = self.aufgeschoben, []
        for ws, von, bis, c, spalte in offen:
            ws.data_validation(von, c, bis, c, self.validierung(spalte, self._listenquelle(spalte)))

    def _listenquelle(self, spalte: Spalte) -> str | None:
        if spalte.liste == "varianten" and "tbl_Varianten" in self.plaetze:
            p = self.plaetze["tbl_Varianten"]
            return f"={p.bereich('Variante', mit_reserve=True)}"
        return None

    def spaltenbreiten(
        self, ws: Worksheet, tabellen: Iterable[Tabelle], mindest: float = 12
    ) -> int:
        breiten: dict[int, float] = {}
        for t in tabellen:
            for c, s in enumerate(t.spalten):
                breiten[c] = max(breiten.get(c, mindest), s.breite)
        for c, b in breiten.items():
            self.spalten_setzen(ws, c, c, b)
        return len(breiten)

    def spalten_setzen(self, ws: Worksheet, von: int, bis: int, breite: float) -> None:
        """`set_column`, noted in `breiten`: the heights of wrapped rows and the page breaks
        are computed from the widths the columns really have."""
        ws.set_column(von, bis, breite)
        self.breiten.setdefault(ws.name, {}).update(dict.fromkeys(range(von, bis + 1), breite))

    def schuetzen(self, ws: Worksheet) -> None:
        """Protection without password: nothing is secret, but nothing breaks by accident."""
        ws.protect(
            "",
            {
                "format_columns": True,
                "format_rows": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )

    def schliessen(self) -> None:
        self.wb.close()


def _zeilenformel(formel: str, tdef: Tabelle, zeile: int) -> str:
    """A table's row formula for a sheet row outside it: tbl_X[@[Kopf]] becomes a cell."""
    muster = re.escape(tdef.name) + r"\[@(?:\[([^\]]+)\]|([^\]\[]+))\]"

    def zelle(m: re.Match[str]) -> str:
        return xl_rowcol_to_cell(zeile, tdef.koepfe.index(m.group(1) or m.group(2)))

    return re.sub(muster, zelle, formel)


def _zeilenhoehe(tdef: Tabelle, breiten: Sequence[float], werte: Mapping[str, Any]) -> float | None:
    """Row height for wrapped text: neither Excel nor LibreOffice fits it when opening a file.

    Counted in the widths of Arial's characters (`xlsx.textzeilen`): by characters per unit of
    width, rows came out a line or two higher than their text, a third in the Projektbeschreibung
    (print review)."""
    zeilen = 1
    for s, breite in zip(tdef.spalten, breiten, strict=True):
        text = werte.get(s.kopf)
        if not isinstance(text, str) or not text:
            continue
        einzug = s.typ in ("text", "liste")  # the indented format of `Formate.zelle`
        zeilen = max(zeilen, xlsx.textzeilen(text, breite, einzug=einzug))
    return xlsx.zeilenhoehe(zeilen) if zeilen > 1 else None


# The Arbeitsmappe ------------------------------------------------------------------------------


def _dynamische_listen(
    st: Stammdaten, ag: Arbeitsgruppe, mappe_def: Mappe
) -> dict[str, Sequence[str]]:
    """The dropdown lists of an Arbeitsmappe that come from the Stammdaten, those that a column
    of it offers: a list of all Kommunen that no column uses would make every workbook differ
    from the one written before a Kommune joined the programme (see `stammdaten_pruefsumme`)."""
    listen: dict[str, Sequence[str]] = {
        "kommunen": ag.partner,
        "alle_kommunen": [k.name for k in st.kommunen],
        "phasen": st.phasen,
        "kriterien": [k.name for k in st.kriterien],
        "varianten": ("(aus der Tabelle Varianten)",),
    }
    benutzt = _benutzte_listen(mappe_def)
    return {name: werte for name, werte in listen.items() if name in benutzt}


def vorbelegung(st: Stammdaten, ag: Arbeitsgruppe) -> dict[str, Any]:
    """Texts the Lenkungsgruppe gives every AG (Projektbeschreibung phases 1 and 2)."""
    partner = "\n".join(
        f"{p} ({deutsch.zahl(st.kommune(p).einwohner, gruppe_ab=1000)} Einwohner)"
        for p in ag.partner
    )
    return {
        "ausgangslage": st.ausgangslage,
        "oberziele": "\n".join(f"• {z}" for z in st.oberziele),
        "rahmenbedingungen": "\n".join(f"• {r}" for r in st.rahmenbedingungen),
        "projektauftrag": ag.projektauftrag,
        "partnerkommunen": partner,
        "projektbeauftragte": ag.projektbeauftragte,
    }


def arbeitsmappe_schreiben(
    st: Stammdaten,
    ag: Arbeitsgruppe,
    ziel: Path,
    mappe_def: Mappe | None = None,
    erzeugt_am: datetime | None = None,
    eingaben: Mapping[str, list[dict[str, Any]]] | None = None,
    felder: Mapping[str, Any] | None = None,
    markierungen: Mapping[tuple[str, str], str] | None = None,
    korrekturliste: Sequence[Korrekturpunkt] = (),
    markiert_solange: Mapping[tuple[str, str], str] | None = None,
    vermerke: Mapping[str, str] | None = None,
) -> Path:
    """Write the Arbeitsmappe of one AG atomically.

    `eingaben` (table name -> rows by header; prescribed rows by their key, e.g. {"Nr": "3.1",
    "Eintrag": "ja"}) and `felder` fill the input cells: that is how the demo returns and the
    Korrektur copies are made, written afresh from the definitions and never by re-saving a
    returned file. `markierungen` ((sheet, A1) -> message) marks faulty cells with a comment;
    `korrekturliste` lists the findings on a sheet of their own (`definition.KORREKTURBLATT`);
    `markiert_solange` keeps a cell red only while it holds what was found (see `_markieren`).
    `vermerke` go into `_ikz` beside its identity: what a Korrektur copy must still know when
    it comes back (`pruefen.WEGGEFALLENE`), which its comments, never read, cannot carry.
    """
    mappe_def = mappe_def or definition.arbeitsmappe()
    erzeugt_am = erzeugt_am or datetime.now().replace(microsecond=0)
    with atomar(ziel) as tmp, xlsx.ohne_gc():
        _arbeitsmappe(
            tmp,
            st,
            ag,
            mappe_def,
            erzeugt_am,
            eingaben,
            felder,
            markierungen,
            korrekturliste,
            markiert_solange,
            vermerke,
        )
    return ziel


def _arbeitsmappe(
    pfad: Path,
    st: Stammdaten,
    ag: Arbeitsgruppe,
    mappe_def: Mappe,
    erzeugt_am: datetime,
    eingaben: Mapping[str, list[dict[str, Any]]] | None,
    felder: Mapping[str, Any] | None,
    markierungen: Mapping[tuple[str, str], str] | None,
    korrekturliste: Sequence[Korrekturpunkt] = (),
    markiert_solange: Mapping[tuple[str, str], str] | None = None,
    vermerke: Mapping[str, str] | None = None,
) -> None:
    """The body of `arbeitsmappe_schreiben`, a function of its own so that the workbook dies
    with this frame while the cycle collector is still paused (reference counting frees it,
    see `xlsx.Mappe.close`). Still alive when the pause ended, its objects were all walked by
    the next collection and freed by a later one: a tenth of the time of a Korrektur copy."""
    s = Schreiber(pfad, mappe_def, st.parameter)
    s.wb.set_properties(
        {
            "title": f"Arbeitsmappe {ag.kuerzel} – {ag.bezeichnung}",
            "subject": st.programm,
            "author": "Steuerungsgruppe",
            "company": st.programm,
            "comments": "Erzeugt mit ikz_excel",
            "created": erzeugt_am,
        }
    )
    kopftext = f"{ag.kuerzel} – {ag.bezeichnung}"
    if korrekturliste or markierungen:
        # on every page: printed, the corrected copy looked like the original but for the
        # cover and its last page (print review)
        kopftext = f"Korrekturexemplar {kopftext}"
    korrekturblatt = None
    if korrekturliste:
        # The first sheet of a Korrektur copy: it opens first, and printed it led no pile but
        # came out as the last page, after all the sheets it explains (print review).
        korrekturblatt = s.blatt_anlegen(Blatt(KORREKTURBLATT, querformat=True), kopftext)
    # All sheets first, in the order of the definition; Hinweise is filled last because
    # its completeness check refers to every table.
    for blatt in mappe_def.blaetter:
        if blatt.art != "intern":
            s.blatt_anlegen(blatt, kopftext)
    if markierungen:
        # Before the tables: LibreOffice shows only the first of the conditional formats that
        # hold for a cell, and the red must win over the format for whole numbers (review: a
        # Menge of 2.000.000 marked in Excel stood without red in LibreOffice).
        _markieren(s, markierungen, markiert_solange)
    s.listen_schreiben(_dynamische_listen(st, ag, mappe_def))
    vorbelegt = vorbelegung(st, ag)
    for blatt in mappe_def.blaetter:
        if blatt.art != "tabellen":
            continue
        ws = s.blaetter[blatt.name]
        # Risiken: the heat map stands beside the table. Every column at least 12 wide (Nr
        # 6 in the schema), the sheet printed at about two thirds (print review).
        breite = s.spaltenbreiten(ws, blatt.tabellen, mindest=0 if blatt.name == "Risiken" else 12)
        zeile = s.kopf_schreiben(ws, blatt, breite)
        zeile = s.felder_schreiben(ws, blatt, zeile, felder)
        erste_kopfzeile = None
        for tdef in blatt.tabellen:
            daten = _zusammenfuehren(
                tdef, vorgegebene_zeilen(tdef, st, ag), (eingaben or {}).get(tdef.name)
            )
            platz = s.tabelle_schreiben(ws, blatt, tdef, zeile, daten, vorbelegt)
            erste_kopfzeile = platz.kopfzeile if erste_kopfzeile is None else erste_kopfzeile
            zeile = platz.reserve_bis + 3
        if erste_kopfzeile is not None:
            ws.freeze_panes(erste_kopfzeile + 1, 0)
        if len(blatt.tabellen) == 1 and erste_kopfzeile is not None:
            # Not with a second table: the first one's "Nr | Phase | Feld | Eintrag" printed
            # above the Varianten, their names under "Nr" (print review). The Projekt-
            # beschreibung's rows say what they are without it; the Varianten have their own.
            ws.repeat_rows(erste_kopfzeile)
        s.aufgeschobene_validieren()
        zusatz = _blattzusaetze(s, ws, blatt)
        gedruckt = _druckbereich(
            ws, [s.plaetze[t.name] for t in blatt.tabellen], breite, zusatz, eingaben is not None
        )
        if gedruckt is not None and len(blatt.tabellen) > 1:
            mit_koepfen = bool(korrekturliste or markierungen)
            _seitenumbrueche(s, ws, blatt, *gedruckt, mit_koepfen=mit_koepfen)
        s.schuetzen(ws)
    _wirtschaftlichkeit(s, mappe_def, st)
    _hinweise(s, mappe_def, st, ag)
    _intern(s, st, ag, mappe_def, erzeugt_am, vermerke or {})
    if korrekturliste or markierungen:
        # The list names cells ("Ressourcen D6"), comments do not print, and the red of a
        # marked cell prints as the same light grey as the yellow of every input cell: on
        # paper, only the row and column headings find the cell (print review).
        for blatt in mappe_def.blaetter:
            if blatt.art != "intern":
                s.blaetter[blatt.name].print_row_col_headers()
    if korrekturblatt is not None:
        _korrekturliste(s, korrekturblatt, mappe_def, ag, korrekturliste)
    else:
        s.blaetter[mappe_def.blaetter[0].name].activate()
    if korrekturliste or markierungen:  # after the list: it writes a line on the Hinweise
        for blatt in mappe_def.blaetter:
            if blatt.art != "intern":
                _abstand_zu_den_zeilenkoepfen(s, s.blaetter[blatt.name])
    s.schliessen()


def _zusammenfuehren(
    tdef: Tabelle, vorgabe: list[dict[str, Any]], eingaben: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Typed rows over prefilled ones: matched by the first column where rows are given."""
    if not eingaben:
        return vorgabe
    if not vorgabe:
        return list(eingaben)
    erste = tdef.spalten[0].kopf
    nach: dict[str, dict[str, Any]] = {}
    for e in eingaben:  # a key twice (a row the clerk inserted): the first one, as read
        nach.setdefault(str(e.get(erste)), e)
    return [
        {**v, **{k: w for k, w in nach.get(str(v.get(erste)), {}).items() if k != erste}}
        for v in vorgabe
    ]


def _markieren(
    s: Schreiber,
    markierungen: Mapping[tuple[str, str], str],
    solange: Mapping[tuple[str, str], str] | None = None,
) -> None:
    """Faulty cells of a Korrektur copy: red fill and the finding as a comment.

    `solange` gives a cell the condition under which it still holds what was found (e.g.
    `=D6="zwei"`): the red goes once the clerk has corrected it. Without one it stays red.
    """
    rot = s.f.einfach(bg_color="#FFC7CE", font_color="#9C0006")
    for (blatt, zelle), meldung in markierungen.items():
        ws = s.blaetter.get(blatt)
        if ws is None:
            continue
        bedingung = (solange or {}).get((blatt, zelle), "=TRUE")
        ws.conditional_format(zelle, {"type": "formula", "criteria": bedingung, "format": rot})
        text = meldung[:2000]
        ws.write_comment(
            zelle,
            text,
            {"author": "Steuerungsgruppe", "visible": False, **kommentargroesse(text)},
        )


#: A comment box of the Korrektur copy: as wide as three of the default (128 pixels), the
#: text in Arial 8 so that `xlsx.textzeilen` measures it (XlsxWriter's default is Tahoma),
#: inside the box's inner margins (VML: 0.1 inch left and right, 0.05 at top and bottom).
KOMMENTAR_BREITE_PX = 384
KOMMENTAR_RAND_PX = (20, 10)
KOMMENTAR_ZEILE_PX = 12.5  # a line of Arial 8, in Excel and LibreOffice
KOMMENTAR_SCHRIFT = ("Arial", 8)


def kommentargroesse(text: str) -> dict[str, Any]:
    """Width, height and font of a comment box that shows all of `text`.

    The box had one size (384 × 148 pixels): a long finding, or several in one cell, was cut
    off when the clerk pointed at the cell, and a short one sat in a mostly empty box
    (klein18). Now as high as the text wraps, with one line to spare for a font drawn a little
    wider than measured; never below the default 74 pixels.
    """
    innen = KOMMENTAR_BREITE_PX - KOMMENTAR_RAND_PX[0]
    # textzeilen's width is Excel's column unit: 7 pixels each, 5 more, less the cell margin
    breite = (innen - 5 + xlsx.ZELLRAND_PX) / 7
    zeilen = xlsx.textzeilen(text, breite, punkt=KOMMENTAR_SCHRIFT[1])
    hoehe = (zeilen + 1) * KOMMENTAR_ZEILE_PX + KOMMENTAR_RAND_PX[1]
    return {
        "width": KOMMENTAR_BREITE_PX,
        "height": max(74, round(hoehe)),
        "font_name": KOMMENTAR_SCHRIFT[0],
        "font_size": KOMMENTAR_SCHRIFT[1],
    }


@dataclass(frozen=True)
class Korrekturpunkt:
    blatt: str | None
    zelle: str | None
    stufe: str
    meldung: str


def _korrekturliste(
    s: Schreiber,
    ws: Worksheet,
    mappe_def: Mappe,
    ag: Arbeitsgruppe,
    punkte: Sequence[Korrekturpunkt],
) -> None:
    """The findings of a Korrektur copy on its first sheet `ws`: shown first on opening and
    printed first.

    Comments do not print, and red cells are found by scrolling; the list says in one place
    what to correct, each entry linked to its cell.
    """
    reihenfolge = {b.name: i for i, b in enumerate(mappe_def.blaetter)}

    def ort(p: Korrekturpunkt) -> tuple[int, int, int]:
        if not p.zelle:
            return reihenfolge.get(p.blatt or "", -1), 0, 0
        zeile, spalte = xl_cell_to_rowcol(p.zelle)
        return reihenfolge.get(p.blatt or "", len(reihenfolge)), zeile, spalte

    # On the cover too: it says that the red cells are explained on the list (print review).
    hinweise = next(b.name for b in mappe_def.blaetter if b.art == "hinweise")
    s.blaetter[hinweise].merge_range(
        2,
        0,
        2,
        5,
        f"KORREKTUREXEMPLAR: {len(punkte)} "
        + ("Punkt" if len(punkte) == 1 else "Punkte")
        + f" zu berichtigen oder zu prüfen, aufgelistet auf dem Blatt {KORREKTURBLATT} "
        "(rote Registerkarte); die Zellen sind rot markiert.",
        s.f.einfach(bold=True, font_color="#C00000", text_wrap=True, valign="top"),
    )
    s.blaetter[hinweise].set_row(2, 28)
    ws.set_tab_color("#C00000")
    ws.write_string(0, 0, f"Korrekturexemplar {ag.kuerzel} – {ag.bezeichnung}", s.f.titel)
    ws.set_row(0, 22)
    erklaerung = (
        "Die Prüfung hat in dieser Mappe Folgendes gefunden. Gehört eine Meldung zu einer "
        "Zelle, ist die Zelle rot markiert, solange dort noch steht, was gefunden wurde, und "
        "ihr Kommentar wiederholt die Meldung; ausgedruckt zeigen die Blätter dafür Spalten- "
        "und Zeilenköpfe (A, B, C … und 1, 2, 3 …). Bitte korrigieren (Fehler unbedingt, "
        "Warnungen prüfen) und die Mappe erneut senden. Dieses Blatt wird beim Prüfen nicht "
        "gelesen."
    )
    ws.merge_range(1, 0, 1, 3, erklaerung, s.f.text)
    ws.set_row(1, 45)
    koepfe = ("Blatt", "Zelle", "Stufe", "Was zu tun ist")
    for c, (kopf, breite) in enumerate(zip(koepfe, (20, 9, 10, 110), strict=True)):
        ws.write_string(3, c, kopf, s.f.kopf)
        ws.set_column(c, c, breite)
    for r, p in enumerate(sorted(punkte, key=ort), start=4):
        ws.write_string(r, 0, p.blatt or "", s.f.text)
        if p.blatt and p.zelle and p.blatt in s.blaetter:
            ws.write_url(
                r,
                1,
                f"internal:{blattbezug(p.blatt)}!{p.zelle}",
                s.f.einfach(font_color="#0563C1", underline=1),  # at the top, like its row
                string=p.zelle,
            )
        else:
            ws.write_string(r, 1, p.zelle or "", s.f.text)
        ws.write_string(r, 2, p.stufe, s.f.fett)
        ws.write_string(r, 3, p.meldung, s.f.text)
        ws.set_row(r, xlsx.zeilenhoehe(xlsx.textzeilen(p.meldung, 110)))
    ws.repeat_rows(3)
    ws.freeze_panes(4, 0)
    ws.protect()
    ws.activate()


def vorgegebene_zeilen(tdef: Tabelle, st: Stammdaten, ag: Arbeitsgruppe) -> list[dict[str, Any]]:
    """Rows prefilled from the Stammdaten (one per partner, one per criterion)."""
    if tdef.zeilen_aus == "partner":
        quelle = [
            {"name": k.name, "einwohner": k.einwohner} for k in (st.kommune(p) for p in ag.partner)
        ]
    elif tdef.zeilen_aus == "kriterien":
        quelle = [{"name": k.name, "faktor": k.faktor} for k in st.kriterien]
    else:
        return []
    return [{kopf: q[schluessel] for kopf, schluessel in tdef.vorbelegung.items()} for q in quelle]


#: Empty rows printed below the entries of a workbook written with them: room to add by hand.
LEERE_DRUCKZEILEN = 3


def _druckbereich(
    ws: Worksheet,
    plaetze: list[Platz],
    spalten: int,
    zusatz: tuple[int, int] | None,
    mit_eingaben: bool = False,
) -> tuple[int, int] | None:
    """Print the tables down to their last row, without the reserve rows below them; returns
    the lower right cell printed.

    The reserve rows are formatted input cells for a table that grows; printed, they made
    whole pages of nothing but the repeated header and empty rows. `zusatz` is the lower
    right cell of what stands beside or below the tables (sums, the heat map).

    `mit_eingaben` (a Korrektur copy, a filled workbook): a free table prints its entries and
    `LEERE_DRUCKZEILEN` empty rows, not all of its pre-sized empty ones (print review: three
    risks printed with 22 empty rows, the Stärken-Schwächen a second page of nothing). The
    blank workbook prints them all: a form to fill in by hand. A print area is fixed when the
    file is written; Excel's print area as a formula that follows the entries, LibreOffice
    does not read (it printed every formatted row, the reserve too).
    """
    if not plaetze:
        return None
    if mit_eingaben:
        zeile = max(min(p.letzte_zeile, p.ausgefuellt_bis + LEERE_DRUCKZEILEN) for p in plaetze)
    else:
        zeile = max(p.letzte_zeile for p in plaetze)
    spalte = spalten - 1
    if zusatz is not None:
        zeile, spalte = max(zeile, zusatz[0]), max(spalte, zusatz[1])
    ws.print_area(0, 0, zeile, spalte)
    return zeile, spalte


#: Points of an A4 page in landscape within the margins of the Arbeitsmappe (0.7 and 0.5 inch).
DRUCKHOEHE = (8.27 - 2 * 0.7) * 72
DRUCKBREITE = (11.69 - 2 * 0.5) * 72
#: Rows of a table that stay on the page of its title (with its header row).
ZEILEN_BEIM_TITEL = 3


def _seitenumbrueche(
    s: Schreiber,
    ws: Worksheet,
    blatt: Blatt,
    unten: int,
    rechts: int,
    mit_koepfen: bool,
    ohne_titel: bool = False,
    massstab: float | None = None,
    setzen: bool = True,
) -> int:
    """Page breaks that keep the title of a second table with its header and first rows.

    Print review: "Geprüfte Varianten" stood alone at the foot of a page of the Projekt-
    beschreibung, its table on the next. A spreadsheet knows no "keep with next": the breaks
    are set here, page by page, from the rows' heights as written (`xlsx.zeilenhoehe`; a row
    of no set height as LibreOffice's 12.8 points, Excel's 12.75), with a page of 95 % of A4
    at the sheet's print scale (fit to the page's width; Excel rounds it down to a whole
    percent), so that neither program needs a break of its own in between; below the last
    title the programs break the pages themselves (they may fit more on a page). `mit_koepfen`:
    the Korrektur copy prints row and column headings, a column and a row more. `ohne_titel`:
    also the tables without a title row, by their header (the Steuerungsmappe's Programm
    printed the header of the Phasen alone at the foot of a page, print review 20).
    `massstab`: a scale set with the sheet (a page shorter, `_steuerungsmappe_drucken`)
    instead of the one fitting the page's width. Returns the pages counted so; `setzen=False`
    only counts them.
    """
    if massstab is None:
        massstab = _druckmassstab(s, ws, rechts, 30 if mit_koepfen else 0)
    seite = DRUCKHOEHE * 0.95 / massstab - (15 if mit_koepfen else 0)

    def hoehe(r: int) -> float:
        gesetzt = _gesetzte_hoehe(ws, r)
        return 12.8 if gesetzt is None else gesetzt

    # a table without a title of its own (the Steuerungsmappe's) keeps its header with it
    titel = {
        s.plaetze[t.name].kopfzeile - (1 if t.titel else 0): s.plaetze[t.name]
        for t in blatt.tabellen[1:]
        if t.titel or ohne_titel
    }
    umbrueche, belegt = [], 0.0
    for r in range(unten + 1):
        if r in titel:
            p = titel[r]
            bis = min(p.kopfzeile + ZEILEN_BEIM_TITEL, p.letzte_zeile, unten)
            if belegt and belegt + sum(hoehe(z) for z in range(r, bis + 1)) > seite:
                umbrueche.append(r)
                belegt = 0.0
        if belegt and belegt + hoehe(r) > seite:
            umbrueche.append(r)
            belegt = 0.0
        belegt += hoehe(r)
    # after the last title the spreadsheet breaks the pages itself (it may fit more on one)
    gesetzt = [r for r in umbrueche if r <= max(titel, default=-1)]
    if gesetzt and setzen:
        ws.set_h_pagebreaks(gesetzt)
    return len(umbrueche) + 1


def _druckmassstab(s: Schreiber, ws: Worksheet, rechts: int, mehr_pixel: int = 0) -> float:
    """The scale a sheet printed one page wide gets, from its columns' widths up to `rechts`
    as Excel turns them into pixels (plus `mehr_pixel`, e.g. the row headings): the page
    breaks and the short last page are counted at that scale."""
    breiten = s.breiten.get(ws.name, {})
    pixel = sum(int(breiten.get(c, 8.43) * 7 + 5) for c in range(rechts + 1)) + mehr_pixel
    return min(1.0, DRUCKBREITE / (pixel * 0.75))


def _abstand_zu_den_zeilenkoepfen(s: Schreiber, ws: Worksheet) -> None:
    """Text in column A indented one level where it stood flush left: printed with the row
    headings (a Korrektur copy), the title, the hint, the first header and the Hinweise's
    "Blatt" touched their frame (session 21). Only here: on screen and in the Arbeitsmappe,
    column A starts at the sheet's edge like every other column. A wrapped text the level
    (some 9 pixels) wraps onto a line more gets a row that high; one whose word would no
    longer fit on a line ("Ressourcenart" over its column) stays as it was.
    """
    texte = {i: text for text, i in ws.str_table.string_table.items()}
    eingerueckt: dict[int, Any] = {}
    for r, zeile in ws.table.items():
        zelle = zeile.get(0)
        fmt = getattr(zelle, "format", None)
        if fmt is None or fmt.indent or fmt.rotation or fmt.text_h_align not in (0, 1):
            continue
        if type(zelle).__name__ != "String":
            continue  # numbers stand flush right, away from the frame
        if fmt.text_wrap:
            rechts = next((m[3] for m in ws.merge if m[0] <= r <= m[2] and m[1] == 0), 0)
            breiten = s.breiten.get(ws.name, {})
            breite = xlsx.zusammen([breiten.get(c, 8.43) for c in range(rechts + 1)])
            text, punkt, fett = texte[zelle.string], fmt.font_size, bool(fmt.bold)
            zeilen = xlsx.textzeilen(text, breite, punkt, True, fett)
            if zeilen > xlsx.textzeilen(text, breite, punkt, False, fett):
                if any(xlsx.textzeilen(w, breite, punkt, True, fett) > 1 for w in text.split()):
                    continue
                hoehe = xlsx.zeilenhoehe(zeilen, punkt)
                if hoehe > (_gesetzte_hoehe(ws, r) or 0.0):
                    if r in ws.wachsende_zeilen:
                        ws.wachsende_zeile(r, hoehe)
                    else:
                        ws.set_row(r, hoehe)
        if id(fmt) not in eingerueckt:
            neu = copy.copy(fmt)
            # a format of its own, not the original's slots (a conditional format's dxf too:
            # two formats in one slot left the other empty, and the file was not written)
            neu.xf_index = neu.dxf_index = None
            neu.set_align("left")  # an indent needs an alignment
            neu.set_indent(1)
            s.wb.formats.append(neu)
            eingerueckt[id(fmt)] = neu
        zeile[0] = zelle._replace(format=eingerueckt[id(fmt)])


def _gesetzte_hoehe(ws: Worksheet, zeile: int) -> float | None:
    """The height in points `set_row` gave the row (XlsxWriter keeps it in pixels), or None."""
    info = ws.row_info.get(zeile)
    return None if info is None or info.height is None else info.height * 0.75


def _blattzusaetze(s: Schreiber, ws: Worksheet, blatt: Blatt) -> tuple[int, int] | None:
    """What stands beside a table: sums, the heat map. Returns its lower right cell."""
    if blatt.name == "Kostenausgleich":
        p = s.plaetze["tbl_Kostenausgleich"]
        r = p.letzte_zeile + 2
        c = p.spalte("Anteil")
        ws.write_string(r, c - 1, "Summe der Anteile", s.f.fett)
        breite = s.breiten.get(ws.name, {}).get(c - 1, 12)
        ws.set_row(r, xlsx.zeilenhoehe(xlsx.textzeilen("Summe der Anteile", breite, fett=True)))
        ws.write_formula(
            r,
            c,
            "=SUM(tbl_Kostenausgleich[Anteil])",
            s.f.zelle("formel", False, fmt=xlsx.PROZENTFORMAT),
        )
        ws.write_formula(
            r + 1,
            c - 1,
            '=IF(ROUND(SUM(tbl_Kostenausgleich[Anteil]),6)=1,"Die Anteile ergeben 100 %.",'
            '"Achtung: Die Anteile ergeben nicht 100 %.")',
            s.f.fett,
            "",
        )
        # Wrapped in the column: at the default height Excel showed "Achtung: Die Anteile" and
        # cut what was wrong with them (print review; it sizes no row when opening). Three
        # lines in LibreOffice, where 27 points cut the third.
        achtung = "Achtung: Die Anteile ergeben nicht 100 %."
        ws.set_row(r + 1, xlsx.zeilenhoehe(xlsx.textzeilen(achtung, breite, fett=True)))
        return r + 1, c
    if blatt.name == "Risiken":
        p = s.plaetze["tbl_Risiken"]
        c = p.spalte("Risikowert")
        # as in the Übersicht: the risks that need a Gegenmaßnahme stand out (print review),
        # from the Risikowert on which the schema requires it (`pflicht_ab`)
        ab = s.mappe_def.tabelle("tbl_Risiken").pflicht_ab_schwelle("Risikowert")
        if ab is not None:
            ws.conditional_format(
                p.erste_zeile,
                c,
                p.reserve_bis,
                c,
                {
                    "type": "cell",
                    "criteria": ">=",
                    "value": ab,
                    "format": s.f.einfach(bg_color="#FFC7CE", font_color="#9C0006"),
                },
            )
        return _heatmap(s, ws, p)
    return None


def _zonenfarbe(wert: int) -> str:
    if wert >= 15:
        return "#F8696B"
    if wert >= 10:
        return "#FFB366"
    if wert >= 5:
        return "#FFEB84"
    return "#A9D08E"


def _heatmap(s: Schreiber, ws: Worksheet, p: Platz) -> tuple[int, int]:
    """5×5 counts of risks by probability and impact, coloured by the Risikowert zone.

    Returns its lower right cell (for the print area).
    """
    links = len(p.tabelle.spalten) + 1
    oben = p.kopfzeile
    # Wrapped at the top of the table's header row: "Wahrscheinlichkeit →" in the cells to its
    # right would cut it where it used to run on over them.
    titel = "Risikomatrix: Anzahl der Risiken"
    untertitel = s.f.einfach(bold=True, font_size=11, font_color=FARBE_KOPF, text_wrap=True)
    ws.write_string(oben, links, titel, untertitel)
    # narrow, as in the Übersicht: the matrix beside the table sets how small the sheet prints
    ws.set_column(links - 1, links - 1, 2)  # the gap between table and matrix
    ws.set_column(links, links, 19)
    ws.set_column(links + 1, links + 5, 4)
    # Each axis's name on one line, outside the rows of the table's entries: the row of the
    # first entry had to be two lines high for "Auswirkung ↑ / Wahrscheinlichkeit →", and a
    # row of set height does not grow when the clerk types a longer Gegenmaßnahme into the
    # blank workbook (review 17b). The header row is no input; it grows for the title if need be.
    achse = s.f.einfach(bold=True, align="center", valign="bottom")
    ws.merge_range(oben, links + 1, oben, links + 5, "Wahrscheinlichkeit →", achse)
    gesetzt = _gesetzte_hoehe(ws, oben) or 0.0
    noetig = xlsx.zeilenhoehe(xlsx.textzeilen(titel, 19, punkt=11, fett=True), punkt=11)
    noetig += xlsx.zeilenhoehe(1)  # and the line of "Wahrscheinlichkeit →" below
    if noetig > gesetzt:
        ws.set_row(oben, noetig)
    ws.write_string(oben + 1, links, "Auswirkung ↑", s.f.fett)
    for w in range(1, 6):
        ws.write_number(oben + 1, links + w, w, s.f.einfach(bold=True, align="center", border=1))
    for i, a in enumerate(range(5, 0, -1)):
        r = oben + 2 + i
        ws.write_number(r, links, a, s.f.einfach(bold=True, align="right", border=1))
        for w in range(1, 6):
            fmt = s.f.einfach(bg_color=_zonenfarbe(w * a), align="center", border=1, locked=True)
            ws.write_formula(
                r,
                links + w,
                f"=COUNTIFS({p.bezug('Eintrittswahrscheinlichkeit')},{w},"
                f"{p.bezug('Auswirkung')},{a})",
                fmt,
            )
    # Not wrapped: the text runs on over the empty cells right of it instead of being cut
    # off at the row height of the table row it shares.
    legende = s.f.einfach()
    ws.write_string(oben + 8, links, "Grün < 5, Gelb 5–9, Orange 10–14,", legende)
    ws.write_string(oben + 9, links, "Rot ab 15 (Gegenmaßnahme Pflicht)", legende)
    return oben + 9, links + 5


def _wirtschaftlichkeit(s: Schreiber, mappe_def: Mappe, st: Stammdaten) -> None:
    blatt = next(b for b in mappe_def.blaetter if b.art == "wirtschaftlichkeit")
    ws = s.blaetter[blatt.name]
    n = st.jahre
    s.spalten_setzen(ws, 0, 0, 30)
    s.spalten_setzen(ws, 1, n + 1, 14)
    zeile = s.kopf_schreiben(ws, blatt, n + 2)
    # a loss in red, as in the Übersicht (print review)
    geld = s.f.zelle("formel", False, fmt='#,##0.00 "€";[Red]-#,##0.00 "€"')
    faktor = s.f.zelle("formel", False, fmt="0.000000")
    vorgabe_prozent = s.f.zelle("prozent", False, vorgabe=True, fmt=xlsx.PROZENTFORMAT)
    vorgabe_zahl = s.f.zelle("ganzzahl", False, vorgabe=True)

    ws.write_string(zeile, 0, "Kalkulationszinssatz", s.f.fett)
    ws.write_number(zeile, 1, float(st.zinssatz), vorgabe_prozent)
    quelle = st.zinssatz_quelle + (
        f" (Stand {st.zinssatz_stand:%d.%m.%Y})" if st.zinssatz_stand else ""
    )
    # over the year columns, wrapped: in C alone the source was cut at the column's edge
    # indented: flush left, it touched the rate flush right beside it (print review 20)
    if n > 1:
        ws.merge_range(zeile, 2, zeile, n + 1, quelle, s.f.text_eingerueckt)
    else:  # one year: a merge of one cell is none, XlsxWriter would write nothing
        ws.write_string(zeile, 2, quelle, s.f.text_eingerueckt)
    # counted as every other wrapped text (a merged row: neither program fits it, it stays set),
    # in the widths the year columns were given above, not a second copy of them
    breiten = s.breiten[ws.name]
    zeilen = xlsx.textzeilen(
        quelle, xlsx.zusammen([breiten[c] for c in range(2, n + 2)]), einzug=True
    )
    if zeilen > 1:
        ws.set_row(zeile, xlsx.zeilenhoehe(zeilen))
    s.wb.define_name("Zinssatz", f"={blattbezug(blatt.name)}!$B${zeile + 1}")
    ws.write_string(zeile + 1, 0, "Betrachtungszeitraum (Jahre)", s.f.fett)
    ws.write_number(zeile + 1, 1, n, vorgabe_zahl)
    s.wb.define_name("Jahre", f"={blattbezug(blatt.name)}!$B${zeile + 2}")
    ws.write_string(zeile + 2, 0, "Erstes Jahr (Kalenderjahr)", s.f.fett)
    ws.write_number(zeile + 2, 1, st.startjahr, vorgabe_zahl)

    kopf = zeile + 4
    ws.write_string(kopf, 0, "Jahr", s.f.kopf)
    for t in range(1, n + 1):
        ws.write_number(kopf, t, t, s.f.kopf)
    ws.write_string(kopf, n + 1, "Summe", s.f.kopf_rechts)
    zeilen = [
        "Kalenderjahr",
        "Kosten",
        "Nutzen",
        "Saldo",
        "Abzinsungsfaktor",
        "Barwert",
        "Kumulierter Barwert",
        "Amortisiert im Jahr",
    ]
    nr = {name: kopf + 1 + i for i, name in enumerate(zeilen)}
    for name, r in nr.items():
        ws.write_string(r, 0, name, s.f.fett)
    res, nut = s.plaetze["tbl_Ressourcen"], s.plaetze["tbl_Nutzen"]

    # SUMIFS over the table and the input rows below it; the Kosten of an empty row there is
    # "" (see Schreiber._reserveformeln), which SUMIFS skips and SUMPRODUCT would not.
    def summe_jahr(p: Platz, betrag: str, jahr: str) -> str:
        b, art, ab = p.bezug(betrag), p.bezug("Kostenart"), p.bezug("ab Jahr")
        return (
            f'SUMIFS({b},{art},"jährlich",{ab},">=1",{ab},"<="&{jahr})'
            f'+SUMIFS({b},{art},"einmalig",{ab},{jahr})'
        )

    for t in range(1, n + 1):
        jahr = xl_rowcol_to_cell(kopf, t, row_abs=True)
        c = lambda name, t=t: xl_rowcol_to_cell(nr[name], t)  # noqa: E731
        ws.write_formula(
            nr["Kalenderjahr"], t, f"=$B${zeile + 3}+{jahr}-1", vorgabe_zahl, st.startjahr + t - 1
        )
        ws.write_formula(nr["Kosten"], t, f"={summe_jahr(res, 'Kosten', jahr)}", geld)
        ws.write_formula(nr["Nutzen"], t, f"={summe_jahr(nut, 'Betrag', jahr)}", geld)
        ws.write_formula(nr["Saldo"], t, f"={c('Nutzen')}-{c('Kosten')}", geld)
        ws.write_formula(nr["Abzinsungsfaktor"], t, f"=1/(1+Zinssatz)^{jahr}", faktor)
        ws.write_formula(nr["Barwert"], t, f"={c('Saldo')}/(1+Zinssatz)^{jahr}", geld)
        vorher = xl_rowcol_to_cell(nr["Kumulierter Barwert"], t - 1) if t > 1 else None
        ws.write_formula(
            nr["Kumulierter Barwert"],
            t,
            f"={vorher}+{c('Barwert')}" if vorher else f"={c('Barwert')}",
            geld,
        )
        # From here to the end no year below 0, and something paid by now (berechnung.
        # amortisationsjahr); rounded to 6 places, so that float noise around an exact 0 does
        # not decide it.
        kum = f"{c('Kumulierter Barwert')}:{xl_rowcol_to_cell(nr['Kumulierter Barwert'], n)}"
        saldi = f"{xl_rowcol_to_cell(nr['Saldo'], 1)}:{c('Saldo')}"
        # Only the first such year: every later one met the test too and showed its number,
        # so "Amortisiert im Jahr 3 4 5" read as three answers (print review).
        frueher = (
            f",COUNT({xl_rowcol_to_cell(nr['Amortisiert im Jahr'], 1)}:"
            f"{xl_rowcol_to_cell(nr['Amortisiert im Jahr'], t - 1)})=0"
            if t > 1
            else ""
        )
        ws.write_formula(
            nr["Amortisiert im Jahr"],
            t,
            f"=IF(AND(SUMPRODUCT(--(ROUND({kum},6)<0))=0,"
            f'SUMPRODUCT(--(ROUND({saldi},6)<>0))>0{frueher}),{jahr},"")',
            vorgabe_zahl,
            "",
        )
    for name in ("Kosten", "Nutzen", "Saldo", "Barwert"):
        r = nr[name]
        ws.write_formula(
            r, n + 1, f"=SUM({xl_rowcol_to_cell(r, 1)}:{xl_rowcol_to_cell(r, n)})", geld
        )

    erg = nr["Amortisiert im Jahr"] + 2
    amortisiert = nr["Amortisiert im Jahr"]
    amort = f"{xl_rowcol_to_cell(amortisiert, 1)}:{xl_rowcol_to_cell(amortisiert, n)}"
    barwerte = f"{xl_rowcol_to_cell(nr['Barwert'], 1)}:{xl_rowcol_to_cell(nr['Barwert'], n)}"

    def summe_zeitraum(p: Platz, kostenart: str, betrag: str) -> str:
        ab = p.bezug("ab Jahr")
        return (
            f'=SUMIFS({p.bezug(betrag)},{p.bezug("Kostenart")},"{kostenart}",'
            f'{ab},">=1",{ab},"<="&Jahre)'
        )

    ergebnisse = [
        ("Kapitalwert", f"=SUM({barwerte})", geld),
        (
            "Amortisationsjahr",
            f'=IF(COUNT({amort})=0,"nicht im Zeitraum",MIN({amort}))',
            vorgabe_zahl,
        ),
        (
            "Kosten einmalig (Summe)",
            summe_zeitraum(res, "einmalig", "Kosten"),
            geld,
        ),
        (
            "Kosten jährlich (Summe je Jahr)",
            summe_zeitraum(res, "jährlich", "Kosten"),
            geld,
        ),
        (
            "Nutzen einmalig (Summe)",
            summe_zeitraum(nut, "einmalig", "Betrag"),
            geld,
        ),
        (
            "Nutzen jährlich (Summe je Jahr)",
            summe_zeitraum(nut, "jährlich", "Betrag"),
            geld,
        ),
    ]
    for i, (name, formel, fmt) in enumerate(ergebnisse):
        ws.write_string(erg + i, 0, name, s.f.fett)
        ws.write_formula(erg + i, 1, formel, fmt)
        s.wb.define_name(
            {"Kapitalwert": "Kapitalwert", "Amortisationsjahr": "Amortisationsjahr"}.get(
                name, "Summe_" + "_".join(name.split()[:2])
            ),
            f"={blattbezug(blatt.name)}!$B${erg + i + 1}",
        )

    diagramm = s.wb.add_chart({"type": "column"})
    for name, farbe in (("Kosten", "#C00000"), ("Nutzen", "#548235")):
        diagramm.add_series(
            {
                "name": name,
                "categories": [blatt.name, nr["Kalenderjahr"], 1, nr["Kalenderjahr"], n],
                "values": [blatt.name, nr[name], 1, nr[name], n],
                "fill": {"color": farbe},
            }
        )
    linie = s.wb.add_chart({"type": "line"})
    linie.add_series(
        {
            "name": "Kumulierter Barwert",
            "categories": [blatt.name, nr["Kalenderjahr"], 1, nr["Kalenderjahr"], n],
            "values": [blatt.name, nr["Kumulierter Barwert"], 1, nr["Kumulierter Barwert"], n],
            "line": {"color": FARBE_KOPF, "width": 2.25},
            "marker": {"type": "circle"},
        }
    )
    diagramm.combine(linie)
    diagramm.set_title({"name": "Kosten, Nutzen und kumulierter Barwert je Jahr"})
    diagramm.set_y_axis({"num_format": '#,##0 "€"'})
    # the years below the plot, not on the zero line between the bars (print review)
    diagramm.set_x_axis({"label_position": "low"})
    diagramm.set_legend({"position": "bottom"})
    # Beside the results, from column C to the Summe column, so that the sheet prints on one
    # page: below them it was cut in half by the page break, with the repeated header row
    # of the year table printed over its lower half.
    diagramm.set_size({"width": max(480, SPALTE_PX_14 * n), "height": 300})
    ws.insert_chart(erg, 2, diagramm, {"x_offset": 12, "y_offset": 0})
    ws.fit_to_pages(1, 1)
    s.schuetzen(ws)


#: Columns of Hinweise: Blatt | name | Pflicht | two merged for what is allowed | Hilfe (the
#: field list; the lines above and the Vollständigkeit table use the same columns).
HINWEISE_BREITEN = (28, 34, 18, 18, 18, 60)

#: The Stand of a table on Hinweise while one of its input cells shows an error value.
FEHLERWERT_STAND = (
    "Eine Eingabezelle zeigt einen Fehlerwert (z. B. #BEZUG!): bitte den Wert neu eingeben"
)


def _hinweise(s: Schreiber, mappe_def: Mappe, st: Stammdaten, ag: Arbeitsgruppe) -> None:
    blatt = next(b for b in mappe_def.blaetter if b.art == "hinweise")
    ws = s.blaetter[blatt.name]
    for c, b in enumerate(HINWEISE_BREITEN):
        s.spalten_setzen(ws, c, c, b)
    ws.write_string(0, 0, f"{blatt.titel} {ag.kuerzel}: {ag.bezeichnung}", s.f.titel)
    ws.set_row(0, 22)  # 14 pt: the file's default of 15 points cut it in LibreOffice
    ws.write_string(1, 0, st.programm, s.f.untertitel)
    zeile = 3
    partner = "; ".join(ag.partner)
    angaben = [
        ("Arbeitsgruppe", f"{ag.kuerzel} – {ag.bezeichnung}"),
        (
            "Handlungsfelder" if ag.weitere_handlungsfelder else "Handlungsfeld",
            ag.handlungsfelder_text,
        ),
        ("Partnerkommunen", partner),
        (
            "Projektbeauftragte(r)",
            # the AG's own entry stands in 2.3; a request here stayed after it was made
            ag.projektbeauftragte or "siehe Projektbeschreibung 2.3",
        ),
        ("Abgabetermin", f"{ag.abgabetermin:%d.%m.%Y}"),
        ("Rückgabe an", "die Steuerungsgruppe (per E-Mail oder über das gemeinsame Laufwerk)"),
    ]
    for name, wert in angaben:
        ws.write_string(zeile, 0, name, s.f.fett)
        ws.merge_range(zeile, 1, zeile, 5, wert, s.f.text)
        if (zeilen := xlsx.textzeilen(wert, xlsx.zusammen(list(HINWEISE_BREITEN[1:])))) > 1:
            ws.set_row(zeile, xlsx.zeilenhoehe(zeilen))
        zeile += 1
    zeile += 1
    ws.write_string(zeile, 0, "So füllen Sie die Mappe aus", s.f.untertitel)
    zeile += 1
    for absatz in hinweise_text(st=st, ag=ag, mappe=mappe_def):
        ws.merge_range(zeile, 0, zeile, 5, absatz, s.f.text)
        if (zeilen := xlsx.textzeilen(absatz, xlsx.zusammen(list(HINWEISE_BREITEN)))) > 1:
            ws.set_row(zeile, xlsx.zeilenhoehe(zeilen))
        zeile += 1

    zeile += 1
    ws.write_string(zeile, 0, "Vollständigkeit", s.f.untertitel)
    zeile += 1
    koepfe = [
        "Blatt",
        "Tabelle",
        "Ausgefüllte Zeilen",
        "Offene Pflichtangaben",
        "Text statt Zahl/Datum",
        "Stand",
    ]
    for c, kopf in enumerate(koepfe):
        ws.write_string(zeile, c, kopf, s.f.kopf)
    # two lines in 18 wide ("Offene | Pflichtangaben"), as the tables' header rows
    zeilen = max(
        xlsx.textzeilen(k, b, fett=True) for k, b in zip(koepfe, HINWEISE_BREITEN, strict=True)
    )
    ws.set_row(zeile, xlsx.zeilenhoehe(zeilen) + 5)
    zeile += 1
    zahl = s.f.zelle("ganzzahl", False, vorgabe=True)
    ergebnis = s.f.zelle("text", False, vorgabe=True)  # indented: apart from the count before
    for tblatt, tdef in mappe_def.tabellen:
        p = s.plaetze[tdef.name]
        gefuellt, offen, text = _vollstaendigkeit(s, p)
        # in the font of the page: without a format the link came in Excel's Calibri 11
        ws.write_url(
            zeile,
            0,
            f"internal:{blattbezug(tblatt.name)}!A1",
            s.f.einfach(font_color="#0563C1", underline=1),
            string=tblatt.name,
        )
        # The title the clerk sees above the table, not its Excel name (tbl_…).
        ws.write_string(zeile, 1, tdef.titel or tblatt.name, s.f.text)
        for spalte, formel in ((2, gefuellt), (3, offen), (4, text)):
            # An error value in an input cell (#BEZUG! pasted from another workbook) made all
            # three counts and the Stand error values too: blank here, the Stand says why.
            ws.write_formula(zeile, spalte, f'=IFERROR({formel.removeprefix("=")},"")', zahl)
        g, o, t = (xl_rowcol_to_cell(zeile, c) for c in (2, 3, 4))
        # "zwei" or a pasted "1.234,50 €" in a number cell fills it, but the workbook's own
        # formulas cannot reckon with it: not "vollständig" (clerk review)
        stand = (
            f'IF({o}+{t}=0,"vollständig",IF({o}>0,{o}&" Pflichtangabe(n) offen","")'
            f'&IF(AND({o}>0,{t}>0),", ","")&IF({t}>0,{t}&" Eingabe(n) Text statt Zahl/Datum",""))'
        )
        if tdef.frei and not tdef.mindestens_eine_zeile:
            stand = f'IF({g}=0,"noch keine Einträge",{stand})'
        stand = f'IF(COUNT({g},{o},{t})<3,"{FEHLERWERT_STAND}",{stand})'
        ws.write_formula(zeile, 5, f"={stand}", ergebnis, "")
        # As high as the longest Stand: Excel fits no row to a formula's new result, LibreOffice
        # opens a row of no set height at one line; "eingeben" was cut (review 17b).
        ws.set_row(
            zeile,
            xlsx.zeilenhoehe(xlsx.textzeilen(FEHLERWERT_STAND, HINWEISE_BREITEN[5], einzug=True)),
        )
        zeile += 1
    for merkmal in ("offen", "statt Zahl", "Fehlerwert"):  # red where something is to do
        ws.conditional_format(
            zeile - len(mappe_def.tabellen),
            5,
            zeile - 1,
            5,
            {
                "type": "text",
                "criteria": "containing",
                "value": merkmal,
                "format": s.f.einfach(font_color="#9C0006", bg_color="#FFC7CE"),
            },
        )

    zeile += 1
    # The field list starts on a page of its own and its header row repeats on the pages
    # after it (print titles also print on pages above them, hence the break).
    ws.set_h_pagebreaks([zeile])
    ws.write_string(zeile, 0, "Die Eingabefelder im Einzelnen", s.f.untertitel)
    zeile += 1
    for c, kopf in enumerate(
        ["Blatt", "Spalte / Feld", "Pflicht", "Erlaubte Werte", "", "Erläuterung"]
    ):
        ws.write_string(zeile, c, kopf, s.f.kopf)
    ws.repeat_rows(zeile)
    zeile += 1
    for tblatt, tdef in mappe_def.tabellen:
        eintraege: list[tuple[str, Spalte]] = [(f.bezeichnung or f.kopf, f) for f in tblatt.felder]
        if tdef.zeilen:
            eintraege += [
                (
                    f"{z.werte[tdef.schluessel or '']} {z.werte.get('Feld', '')}",
                    tdef.zeilen_spalte(z, tdef.eingabespalte or ""),
                )
                for z in tdef.zeilen
                if z.eingabe is not None
            ]
        else:
            eintraege += [(sp.kopf, sp) for sp in tdef.spalten if sp.eingabe]
        for name, sp in eintraege:
            ws.write_string(zeile, 0, tblatt.name, s.f.text)
            ws.write_string(zeile, 1, name, s.f.text)
            bedingung = pflicht_bedingung(sp, mappe_def)
            pflicht = "" if bedingung is None else bedingung or "ja"
            ws.write_string(zeile, 2, pflicht, s.f.text)
            erlaubt = erlaubte_werte(sp, s.listen, st.parameter)
            ws.merge_range(zeile, 3, zeile, 4, erlaubt, s.f.text)
            ws.write_string(zeile, 5, sp.hilfe, s.f.text)
            zeilen = max(
                xlsx.textzeilen(erlaubt, xlsx.zusammen(list(HINWEISE_BREITEN[3:5]))),
                xlsx.textzeilen(sp.hilfe, HINWEISE_BREITEN[5]),
                xlsx.textzeilen(name, HINWEISE_BREITEN[1]),
                xlsx.textzeilen(pflicht, HINWEISE_BREITEN[2]),
            )
            if zeilen > 1:
                ws.set_row(zeile, xlsx.zeilenhoehe(zeilen))
            zeile += 1
    s.schuetzen(ws)


@functools.cache
def _vorlagenumgebung() -> Any:
    """One jinja2 environment per process: it keeps the compiled template (compiling it anew cost
    a tenth of each workbook's time) and still reloads it when the file changes."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(pfade.vorlagen()),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )


def hinweise_text(**kontext: Any) -> list[str]:
    """The cover page's instructions: a jinja2 template, so the StG can word them without code."""
    text = _vorlagenumgebung().get_template("hinweise.txt.j2").render(**kontext)
    return [" ".join(a.split()) for a in text.split("\n\n") if a.strip()]


def erlaubte_werte(
    sp: Spalte, listen: Mapping[str, tuple[str, ...]], parameter: Mapping[str, Any]
) -> str:
    """The allowed values of a column in words, for the help page and the Prüfbericht."""
    lo, hi = grenze(sp.min, parameter), grenze(sp.max, parameter)
    if sp.typ == "liste":
        if sp.liste == "varianten":
            return "eine der Varianten aus der Tabelle Varianten"
        werte = listen.get(sp.liste or "", ())
        return ", ".join(werte)
    if sp.typ == "datum":
        teile = ["Datum TT.MM.JJJJ"]
        if lo and hi:
            teile.append(f"{lo:%d.%m.%Y} bis {hi:%d.%m.%Y}")
        return ", ".join(teile)
    if sp.typ == "prozent":
        return (
            f"Prozent {deutsch.prozent(lo)} bis {deutsch.prozent(hi)}"
            if lo is not None and hi is not None
            else "Prozent"
        )
    if sp.ist_zahl:
        art = {"ganzzahl": "ganze Zahl", "betrag": "Betrag in Euro", "zahl": "Zahl"}[sp.typ]
        if lo is not None and hi is not None:
            return f"{art} von {deutsch.zahl(lo)} bis {deutsch.zahl(hi)}"
        return art
    text = f"Text, höchstens {sp.hoechstlaenge or STANDARD_TEXTLAENGE} Zeichen"
    if sp.eindeutig:
        text += f", {NUR_EINMAL}"
    if sp.enthaelt:  # the limit too: the workbook and the check refuse a longer text here as well
        return f"{text}; muss eingehen auf: " + ", ".join(sp.enthaelt)
    return text


def pflicht_bedingung(sp: Spalte, mappe_def: Mappe) -> str | None:
    """When `sp` must be filled, in words for the input message and the help page: None if
    never, "" if always, else the condition of `pflicht_wenn` / `pflicht_bei`. From the schema,
    as the cover counts it: a help that said "nur beim Schlüssel Fallzahl" and a blank Pflicht
    column let the clerk leave Fallzahlen empty that the check then required (review)."""
    if sp.pflicht:
        return ""
    teile = [f"wenn unter {nr} nicht „{wert}“ gewählt ist" for nr, wert in sp.pflicht_wenn]
    teile += [f"ab {kopf} {deutsch.zahl(ab)}" for kopf, ab in sp.pflicht_ab]
    felder = {f.name: f for _, f in mappe_def.felder}
    for name, wert in sp.pflicht_bei:
        feld = felder.get(name)
        teile.append(f"beim {(feld.bezeichnung or feld.kopf) if feld else name} „{wert}“")
    return " oder ".join(teile) if teile else None


def _bereinigt(bezug: str) -> str:
    """What `bezug` holds as `pruefen` reads it: without spaces at the ends, no-break spaces
    (pasted from a web page or Word) or line breaks."""
    return f'TRIM(CLEAN(SUBSTITUTE({bezug},_xlfn.UNICHAR(160)," ")))'


def _laenge(bezug: str) -> str:
    """The length of what `bezug` holds as `pruefen` reads it: a cell of spaces, no-break
    spaces (pasted from a web page or Word) or line breaks alone is empty there too (review:
    the cover said "vollständig" where the Prüfbericht said "Pflichtangabe fehlt")."""
    return f"LEN({_bereinigt(bezug)})"


def _text_statt_zahl(bezug: str) -> str:
    """How many cells of `bezug` hold text (not blanks) where a number or date belongs."""
    return f"SUMPRODUCT(ISTEXT({bezug})*({_laenge(bezug)}>0))"


def _ist_zahl(sp: Spalte) -> bool:
    return sp.ist_zahl or sp.typ == "datum"


def _summe(teile: list[str]) -> str:
    return "=" + ("+".join(teile) or "0")


def _vollstaendigkeit(s: Schreiber, p: Platz) -> tuple[str, str, str]:
    """Formulas counting filled rows, open required cells and text in number cells of one
    table; blanks alone count as empty (`_laenge`). Each grows with the number of columns,
    not with its square: the longest stays far below Excel's 8,192 characters (tested)."""
    tdef = p.tabelle
    blatt = blattbezug(p.blatt)
    text: list[str] = []
    if tdef.zeilen:
        c = p.spalte(tdef.eingabespalte or "")
        zellen = []
        alle = []
        for z in tdef.zeilen:
            if z.eingabe is None:
                continue
            zeile = p.zeilen_nach_schluessel[str(z.werte[tdef.schluessel or ""])]
            adresse = f"{blatt}!{xl_rowcol_to_cell(zeile, c)}"
            alle.append(f"({_laenge(adresse)}>0)")
            if z.eingabe.pflicht:
                zellen.append(f"({_laenge(adresse)}=0)")
            # 3.7 when 3.6 is not "keine", as `pruefen.pflicht_wenn_pruefen` requires it
            for nr, ausser in z.eingabe.pflicht_wenn:
                andere = f"{blatt}!{xl_rowcol_to_cell(p.zeilen_nach_schluessel[nr], c)}"
                zellen.append(
                    f"({_laenge(adresse)}=0)*({_laenge(andere)}>0)"
                    f'*({_bereinigt(andere)}<>"{ausser}")'
                )
            if _ist_zahl(z.eingabe):
                text.append(_text_statt_zahl(adresse))
        return _summe(alle), _summe(zellen), _summe(text)
    eingaben = [sp.kopf for sp in tdef.spalten if sp.eingabe]
    pflicht = [sp.kopf for sp in tdef.spalten if sp.eingabe and sp.pflicht]
    zahlen = [sp.kopf for sp in tdef.spalten if sp.eingabe and _ist_zahl(sp)]
    if tdef.zeilen_aus is not None:
        gefuellt = (
            "=SUMPRODUCT(--((" + "+".join(_laenge(f"{tdef.name}[{k}]") for k in eingaben) + ")>0))"
        )
        offen = _summe(
            [f"SUMPRODUCT(--({_laenge(f'{tdef.name}[{k}]')}=0))" for k in pflicht]
            # the Fallzahl of every Kommune under the key "Fallzahl" (`pflicht_bei`)
            + [
                f'({feld}="{wert}")*SUMPRODUCT(--({_laenge(f"{tdef.name}[{sp.kopf}]")}=0))'
                for sp in tdef.spalten
                if sp.eingabe and not sp.pflicht
                for feld, wert in sp.pflicht_bei
            ]
        )
        # the sheet's single input cells, counted with the table below them
        felder = [f for b in s.mappe_def.blaetter if b.name == p.blatt for f in b.felder]
        offen += "".join(f"+({_laenge(f.name)}=0)" for f in felder if f.pflicht)
        text += [_text_statt_zahl(f.name) for f in felder if _ist_zahl(f)]
        text += [_text_statt_zahl(f"{tdef.name}[{k}]") for k in zahlen]
        return gefuellt, offen, _summe(text)
    # With the input rows below the table: an entry there counts, and may lack something.
    begonnen = "((" + "+".join(_laenge(p.bezug(k)) for k in eingaben) + ")>0)"
    gefuellt = f"=SUMPRODUCT(--{begonnen})"
    fehlt = "+".join(f"({_laenge(p.bezug(k))}=0)" for k in pflicht)
    offen = f"=SUMPRODUCT({begonnen}*({fehlt}))" if pflicht else "=0"
    if tdef.mindestens_eine_zeile:  # an empty table is an open entry, as for `pruefen`
        offen += f"+({gefuellt.removeprefix('=')}=0)"
    # a high risk without Gegenmaßnahme is not complete either (`pflicht_ab`); blanks alone
    # are empty, as for `pruefen` (COUNTIFS(…,"") took "   " for a measure)
    for sp in tdef.spalten:
        for kopf, ab in sp.pflicht_ab:
            offen += (
                f"+SUMPRODUCT(ISNUMBER({p.bezug(kopf)})*({p.bezug(kopf)}>={ab})"
                f"*({_laenge(p.bezug(sp.kopf))}=0))"
            )
    text += [_text_statt_zahl(p.bezug(k)) for k in zahlen]
    return gefuellt, offen, _summe(text)


def _intern(
    s: Schreiber,
    st: Stammdaten,
    ag: Arbeitsgruppe,
    mappe_def: Mappe,
    erzeugt_am: datetime,
    vermerke: Mapping[str, str],
) -> None:
    """The veryHidden `_ikz` sheet: how the toolkit recognises a return, whatever its name."""
    ws = s.wb.add_worksheet(INTERNBLATT)
    werte = kennung(st, ag, mappe_def, erzeugt_am) | dict(vermerke)
    # Where the formulas of the sheets without input tables stand (Wirtschaftlichkeit,
    # Hinweise): their layout never moves, so the check can find one typed over.
    for blatt in mappe_def.blaetter:
        if blatt.art not in ("tabellen", "intern") and blatt.name in s.blaetter:
            orte = getattr(s.blaetter[blatt.name], "formelorte", [])
            werte[FORMELN + blatt.name] = ",".join(xl_rowcol_to_cell(r, c) for r, c in orte)
    # Where the formulas that count a table's rows stop (`Platz.bezug`), in rows below its
    # header (rows inserted above move both): the check finds rows beyond, also inside a table
    # grown on an unprotected sheet.
    for name, platz in s.plaetze.items():
        if platz.tabelle.reserve:
            werte[BIS + name] = str(platz.reserve_bis - platz.kopfzeile)
    # What stands outside the tables of each sheet with tables (titles, help texts, sums, the
    # heat map): anything else a clerk types there is read nowhere, and the check says so.
    texte = xlsx.geteilte_texte(s.wb)
    for blatt in mappe_def.blaetter:
        if blatt.art == "tabellen" and blatt.name in s.blaetter:
            belegt = xlsx.belegte_zellen(s.blaetter[blatt.name], texte)
            if belegt is None:
                continue
            bereiche = [
                (p.kopfzeile, p.reserve_bis, len(p.tabelle.spalten))
                for p in (s.plaetze[t.name] for t in blatt.tabellen)
            ]
            werte[ZELLEN + blatt.name] = einlesen.zellen_eintragen(
                (z, c, text)
                for z, c, text in belegt
                if not any(oben <= z <= unten and c < breite for oben, unten, breite in bereiche)
            )
    for r, (k, v) in enumerate(werte.items()):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, str(v))
    ws.very_hidden()
    ws.protect()


def kennung(
    st: Stammdaten, ag: Arbeitsgruppe, mappe_def: Mappe, erzeugt_am: datetime
) -> dict[str, str]:
    return {
        "vorlage_id": mappe_def.vorlage_id,
        "schema_version": str(mappe_def.schema_version),
        "arbeitsgruppe": ag.kuerzel,
        "bezeichnung": ag.bezeichnung,
        "handlungsfeld": ag.handlungsfeld,
        "erzeugt_am": erzeugt_am.isoformat(),
        "stammdaten_pruefsumme": stammdaten_pruefsumme(st, ag, mappe_def),
        "programm": st.programm,
        "betrachtungszeitraum": str(st.jahre),
        "kalkulationszinssatz": str(st.zinssatz),
        "startjahr": str(st.startjahr),
        # the limits of the workbook's date checks (Meilensteine, Termine)
        "programmbeginn": st.programmbeginn.isoformat() if st.programmbeginn else "",
        "programmende": st.programmende.isoformat() if st.programmende else "",
        "partner": "; ".join(ag.partner),
        # what the cover shows: moved after the workbooks went out, the check names it
        # (it said only "z. B. geänderte Texte", session 23)
        "abgabetermin": ag.abgabetermin.isoformat(),
        # what the Kostenausgleich was written with: after a change of the Stammdaten, a
        # figure the clerk changed is told apart from one the Steuerungsgruppe changed
        "einwohner": json.dumps(
            {k.name: k.einwohner for k in st.kommunen if k.name in ag.partner},
            ensure_ascii=False,
        ),
        "ikz_excel_version": ikz_excel.__version__,
        # the input rows below the tables carry their formulas (see Schreiber._reserveformeln)
        FORMELN_DARUNTER: "ja",
    }


def stammdaten_pruefsumme(st: Stammdaten, ag: Arbeitsgruppe, mappe_def: Mappe | None = None) -> str:
    """SHA-256 of what of the Stammdaten goes into the Arbeitsmappe of `ag`.

    Stored in `_ikz`, it tells `erzeugen` and `pruefen` whether a workbook was made from other
    Stammdaten than the Steuerungsmappe holds now. Only what this AG's workbook shows counts:
    a new AG, another AG's row, a Kommune that is no partner, the Handlungsfelder sheet and
    the Lenkungsgruppe's decisions (points, Faktoren, festgelegte Priorität) change nothing in
    it, and must not make it look outdated. Built from the same helpers that fill the workbook
    (`vorbelegung`, `vorgegebene_zeilen`, `_dynamische_listen`); whatever else of `st` a sheet or
    the template `hinweise.txt.j2` shows belongs here too (tests/test_pruefsumme.py checks
    that the workbook changes exactly when this does).
    """
    mappe_def = mappe_def or definition.arbeitsmappe()
    inhalt = {
        "programm": st.programm,
        # Zeitraum, Zinssatz, Startjahr; Programmbeginn and -ende bound the Termine
        "parameter": st.parameter,
        "zinssatz_herkunft": [st.zinssatz_quelle, st.zinssatz_stand],
        "arbeitsgruppe": _ohne_leere_weitere(dataclasses.asdict(ag)),
        "vorbelegung": vorbelegung(st, ag),  # texts, and the partners with their Einwohner
        "zeilen": {
            t.name: vorgegebene_zeilen(t, st, ag) for _, t in mappe_def.tabellen if t.zeilen_aus
        },
        "listen": {k: list(v) for k, v in _dynamische_listen(st, ag, mappe_def).items()},
    }
    text = json.dumps(inhalt, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ohne_leere_weitere(ag: dict[str, Any]) -> dict[str, Any]:
    """Workbooks made before AGs could name several Handlungsfelder keep their checksum: an
    update of the toolkit alone must not make every workbook look outdated."""
    if not ag.get("weitere_handlungsfelder"):
        ag.pop("weitere_handlungsfelder", None)
    return ag


def _benutzte_listen(mappe_def: Mappe) -> set[str]:
    """The lists a column, prescribed row or field of a workbook offers as its dropdown."""
    spalten: list[Spalte] = [sp for _, t in mappe_def.tabellen for sp in t.spalten]
    spalten += [z.eingabe for _, t in mappe_def.tabellen for z in t.zeilen if z.eingabe]
    spalten += [f for _, f in mappe_def.felder]
    return {sp.liste for sp in spalten if sp.typ == "liste" and sp.liste}


def arbeitsmappen_dateiname(ag: Arbeitsgruppe) -> str:
    return f"{dateiname(ag.kuerzel)}_{dateiname(ag.bezeichnung)}.xlsx"


# The Steuerungsmappe ---------------------------------------------------------------------------

KNOEPFE = (
    (
        "Arbeitsmappen erzeugen",
        "IKZ.ArbeitsmappenErzeugen",
        "Schreibt für jede Arbeitsgruppe eine Arbeitsmappe in den Ordner ausgang.",
    ),
    (
        "Rückläufe prüfen",
        "IKZ.RuecklaeufePruefen",
        "Prüft alle Dateien im Ordner eingang und schreibt den Prüfbericht nach berichte.",
    ),
    (
        "Konsolidieren",
        "IKZ.Konsolidieren",
        "Archiviert die Rückläufe und schreibt die Lenkungsgruppe_Uebersicht.xlsx.",
    ),
    ("Übersicht öffnen", "IKZ.UebersichtOeffnen", "Öffnet die Lenkungsgruppe_Uebersicht.xlsx."),
)
STATUSZEILE = 14  # 0-based first row of the status area on `Steuerung`


def steuerungsmappe_schreiben(st: Stammdaten, ziel: Path, makros: bool | None = None) -> Path:
    """Write the master workbook once (`ikz init`); afterwards it is only ever read.

    An .xlsm gets the VBA project with the four buttons (vorlagen/vba/ plus the xlwings module
    of the installed xlwings); an .xlsx of the same layout (e.g. for `--stammdaten`) does not.
    """
    makros = ziel.suffix.lower() == ".xlsm" if makros is None else makros
    mappe_def = definition.steuerungsmappe()
    with atomar(ziel) as tmp:
        # The programme's dates stand in this very workbook: a validation fixed to today's
        # would refuse an Abgabetermin after the LG moved the end. `pruefen` checks them.
        offen = dict.fromkeys(("Programmbeginn", "Programmende"))
        s = Schreiber(tmp, mappe_def, {**st.parameter, **offen})
        s.wb.set_properties(
            {
                "title": f"Steuerungsmappe – {st.programm}",
                "author": "Steuerungsgruppe",
                "comments": "Erzeugt mit ikz_excel",
            }
        )
        for blatt in mappe_def.blaetter:
            s.blatt_anlegen(blatt, st.programm)
        s.listen_schreiben(
            {
                "phasen": st.phasen,
                "kriterien": [k.name for k in st.kriterien],
                "kommunen": [k.name for k in st.kommunen],
                "alle_kommunen": [k.name for k in st.kommunen],
                "varianten": ("-",),
            }
        )
        if makros:  # after every sheet exists, the lists too: each gets its module
            from ikz_excel import vba

            vba.vba_einbinden(s.wb)
        for blatt in mappe_def.blaetter:
            ws = s.blaetter[blatt.name]
            if blatt.art == "steuerung":
                _steuerung(s, ws, blatt, st, mit_knoepfen=makros)
                continue
            breite = s.spaltenbreiten(ws, blatt.tabellen)
            zeile = s.kopf_schreiben(ws, blatt, breite)
            plaetze = []
            for i, tdef in enumerate(blatt.tabellen):
                # A table with another below it: two empty rows, no input rows beyond them.
                # All of them printed between the tables, twelve empty rows between the
                # Oberziele and the Rahmenbedingungen (session 21); what is typed below a
                # table counts up to the next one (`einlesen`), and more rows are inserted.
                darunter = i < len(blatt.tabellen) - 1
                plaetze.append(
                    s.tabelle_schreiben(
                        ws,
                        blatt,
                        dataclasses.replace(tdef, reserve=0) if darunter else tdef,
                        zeile,
                        _steuerungszeilen(st, tdef.name),
                        gesperrt_wenn_vorbelegt=False,
                        leer_danach=LEER_ZWISCHEN_TABELLEN if darunter else 5,
                    )
                )
                zeile = plaetze[-1].reserve_bis + 3
            if plaetze:
                ws.freeze_panes(plaetze[0].kopfzeile + 1, 0)
                _steuerungsmappe_drucken(s, ws, blatt, plaetze, breite)
        s.blaetter["Steuerung"].activate()
        s.schliessen()
    return ziel


#: Empty rows of a table of the Steuerungsmappe with another table below it on its sheet.
LEER_ZWISCHEN_TABELLEN = 2
#: How much of a last page the Steuerungsmappe's sheet may fill and still print a page shorter:
#: 30 % of a page, printed at three quarters at least (`_steuerungsmappe_drucken`).
RESTSEITE = 0.3
#: A sheet printed at a scale of its own instead of fitted to the page's width gets at most this
#: share of the width's scale as Excel's pixels give it: LibreOffice's columns are wider (the
#: Programm fitted at 67 % where they give 74 %), and at 68 % it printed the Beschreibung of the
#: Phasen on pages of their own.
BREITENRESERVE = 0.88


def _steuerungsmappe_drucken(
    s: Schreiber, ws: Worksheet, blatt: Blatt, plaetze: list[Platz], spalten: int
) -> None:
    """Print a sheet of the Steuerungsmappe down to its last entry.

    Print review 20: the empty input rows below the Arbeitsgruppen printed as well, AG-10
    alone on a seventh page with 15 empty rows. The print area is fixed when the workbook is
    written (neither program follows the entries); README says how to set it anew after
    rows were added. The header repeated on every page is that of the sheet's last table,
    the one a long sheet continues with: the first one's stood over the Phasen of the
    Programm. A page printed before that table begins shows no repeated header.

    A sheet whose last page would hold only a little (up to `RESTSEITE` of a page) prints a
    little smaller, a page shorter: AG-10 stood alone on its page (print review 20). Heights
    as `_seitenumbrueche` counts them. With a second table, not fitted to a number of pages:
    Excel ignores the page breaks of a sheet fitted so, and the breaks that keep the table's
    header with its rows are needed then too (the Phasen's header with one row at the foot of
    a page, session 21). Such a sheet gets the scale of a page less as a whole percent and its
    breaks at that scale, if they leave it a page shorter; else its size and its breaks.
    """
    unten, rechts = _druckbereich(ws, plaetze, spalten, None, mit_eingaben=True) or (0, 0)
    ws.repeat_rows(plaetze[-1].kopfzeile)
    massstab = _druckmassstab(s, ws, rechts)
    seite = DRUCKHOEHE / massstab
    hoehe = sum(_gesetzte_hoehe(ws, r) or 12.8 for r in range(unten + 1))
    if len(plaetze) == 1:
        xlsx.eine_seite_weniger(ws, hoehe, seite, RESTSEITE)
        return
    seiten = _seitenumbrueche(
        s, ws, blatt, unten, rechts, mit_koepfen=False, ohne_titel=True, setzen=False
    )
    if seiten > 1 and hoehe - (seiten - 1) * seite <= RESTSEITE * seite:
        # down to the scale that shrinks a last page of `RESTSEITE` away, not further; from
        # `BREITENRESERVE` of the width's scale: a scale set so is not fitted to the width
        bis = int(massstab * 100 / (1 + RESTSEITE))
        for prozent in range(int(massstab * 100 * BREITENRESERVE), bis - 1, -1):
            kleiner = _seitenumbrueche(
                s, ws, blatt, unten, rechts, False, True, massstab=prozent / 100, setzen=False
            )
            if kleiner < seiten:
                ws.set_print_scale(prozent)
                _seitenumbrueche(s, ws, blatt, unten, rechts, False, True, prozent / 100)
                return
    _seitenumbrueche(s, ws, blatt, unten, rechts, mit_koepfen=False, ohne_titel=True)


def _steuerungszeilen(st: Stammdaten, tabelle: str) -> list[dict[str, Any]]:
    """The rows of a table of the Steuerungsmappe; `tbl_Prioritaet` has one per Arbeitsgruppe.

    The LG types its points and the festgelegte Priorität into that table (FACHKONZEPT §6). A
    row without any decision yet (AG-05 in Anlage 1) is empty input and not kept when the
    Stammdaten are read, and the table has no free rows: without its row here, the LG could
    decide nothing for that AG.
    """
    zeilen = st.tabellen.get(tabelle, [])
    if tabelle != "tbl_Prioritaet":
        return zeilen
    vorhanden = {z.get("AG"): z for z in zeilen}
    # the Handlungsfeld as the AG's row names it now (a second one added, a field renamed):
    # the column only shows it, the LG's inputs beside it stay
    ergebnis = [
        {**vorhanden.pop(ag.kuerzel, {"AG": ag.kuerzel}), "Handlungsfeld": ag.handlungsfelder_text}
        for ag in st.arbeitsgruppen
    ]
    return ergebnis + list(vorhanden.values())


def _steuerung(
    s: Schreiber, ws: Worksheet, blatt: Blatt, st: Stammdaten, mit_knoepfen: bool
) -> None:
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 70)
    ws.write_string(0, 1, f"Steuerungsmappe: {st.programm}", s.f.titel)
    # over both columns: in B alone the text was cut after two lines (print review)
    ws.merge_range(
        1,
        1,
        1,
        2,
        "Stammdaten, Faktoren und Entscheidungen der Lenkungsgruppe stehen auf den folgenden "
        "Blättern. Die Knöpfe führen dieselben Schritte aus wie die Befehle 'ikz erzeugen', "
        "'ikz pruefen' und 'ikz konsolidieren'.",
        s.f.text,
    )
    ws.set_row(1, 30)
    for i, (text, makro, erklaerung) in enumerate(KNOEPFE):
        zeile = 3 + 2 * i
        if mit_knoepfen:
            ws.insert_button(
                zeile,
                1,
                {
                    "macro": makro,
                    "caption": text,
                    "width": 200,
                    "height": 30,
                },
            )
        # the caption in the cell as well: a button does not print (nor should it, on paper it
        # is of no use), and the explanations stood alone beside nothing (print review 20)
        ws.write_string(zeile, 1, text, s.f.fett)
        ws.write_string(zeile, 2, erklaerung, s.f.text)
    ws.write_string(STATUSZEILE - 1, 1, "Letzte Läufe", s.f.untertitel)
    for c, kopf in enumerate(["Zeitpunkt", "Ergebnis"], start=1):
        ws.write_string(STATUSZEILE, c, kopf, s.f.kopf)


# Commands ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weggelegt:
    """A workbook in ausgang/ that no AG gets under its name any more, moved to ausgang/alt/."""

    datei: Path
    ziel: Path | None  # None: it could not be moved (open in Excel?) and is still in ausgang/
    grund: str  # completes "… verschoben, weil …"

    @property
    def meldung(self) -> str:
        if self.ziel is None:
            return (
                f"{self.datei.name} ließ sich nicht nach ausgang/alt/ verschieben (in Excel "
                f"geöffnet?), obwohl {self.grund}. Bitte schließen und erneut erzeugen oder "
                "selbst verschieben; diese Mappe nicht mehr verschicken."
            )
        return f"{self.datei.name} nach ausgang/alt/{self.ziel.name} verschoben, weil {self.grund}."


@dataclass
class ErzeugenErgebnis:
    geschrieben: list[Path] = field(default_factory=list)
    uebersprungen: list[Path] = field(default_factory=list)
    gesichert: list[Path] = field(default_factory=list)
    #: of `uebersprungen`: made from other Stammdaten than the Steuerungsmappe's now
    veraltet: list[Path] = field(default_factory=list)
    #: of `uebersprungen`: made with an older template version (an update of ikz_excel)
    alte_vorlage: list[Path] = field(default_factory=list)
    #: workbooks of renamed or struck-off AGs, moved out of ausgang/
    weggelegt: list[Weggelegt] = field(default_factory=list)
    #: of `geschrieben`: replaced while open in Excel or LibreOffice (its lock file, and who)
    geoeffnet: list[tuple[Path, Path, str | None]] = field(default_factory=list)


@dataclass
class Sicherungen:
    """What `init` did with backups: the one of the Steuerungsmappe it replaced (None: there
    was none), the earlier ones it moved from beside the Steuerungsmappe into sicherungen/,
    and those it could not move (open in Excel?), still where they were."""

    neu: Path | None = None
    eingeordnet: list[Path] = field(default_factory=list)
    geblieben: list[Path] = field(default_factory=list)


def init(
    arbeitsbereich: Path, stammdaten_datei: Path | None = None, ersetzen: bool = False
) -> tuple[Path, Path | None]:
    """Create the workspace and its Steuerungsmappe; returns it and the backup of an old one."""
    mappe, gesichert = init_mit_sicherungen(arbeitsbereich, stammdaten_datei, ersetzen)
    return mappe, gesichert.neu


def init_mit_sicherungen(
    arbeitsbereich: Path, stammdaten_datei: Path | None = None, ersetzen: bool = False
) -> tuple[Path, Sicherungen]:
    """`init`, with all it did with backups (`Sicherungen`), for the command to say."""
    from ikz_excel import stammdaten
    from ikz_excel.arbeitsbereich import Abbruch, Arbeitsbereich, befehlszeilenpfad

    ab = Arbeitsbereich(arbeitsbereich)
    umgebend = ab.umgebender_bereich()
    teile = ("eingang", "ausgang", "archiv", "berichte", "sicherungen")
    if umgebend and umgebend[1].split("/")[0] in teile and not ab.steuerungsmappe.exists():
        # `init -a arbeitsmappen/eingang` (or run inside eingang/ with '-a .') nested a second
        # Arbeitsbereich, with the example programme, in the first: its Steuerungsmappe and
        # folders then lay among the returns (session 22). A programme's folder beside the
        # Steuerungsmappe of another (IKZ/2013 under IKZ/) is the user's own order.
        oben, teil = umgebend
        raise Abbruch(
            f"{ab.wurzel} liegt im Arbeitsbereich {oben} (Ordner {teil}/); dort wird kein "
            "zweiter angelegt. Für diesen Arbeitsbereich '--arbeitsbereich "
            f"{befehlszeilenpfad(oben)}' angeben; für ein weiteres Programm einen Ordner "
            "außerhalb wählen."
        )
    if ab.steuerungsmappe.exists() and not ersetzen:
        # with the Stammdaten asked for: without them the hint would bring back Helmstedt
        wurzel = befehlszeilenpfad(ab.wurzel)
        if stammdaten_datei:
            aus = f" --stammdaten {befehlszeilenpfad(stammdaten_datei)}"
            raise Abbruch(
                f"{ab.steuerungsmappe} gibt es schon. Sie enthält vielleicht Eingaben der "
                "Lenkungsgruppe und wird nicht überschrieben. Wenn Sie wirklich neu beginnen "
                f"wollen: 'ikz init --arbeitsbereich {wurzel}{aus} --ersetzen' (die alte Mappe "
                "wird als Sicherung aufbewahrt)."
            )
        # Plain '--ersetzen' writes the Helmstedt example again: a team that wanted its own
        # programme rebuilt (new lists, a row per AG on Prioritaet) lost it to the backup.
        eigene = befehlszeilenpfad(ab.steuerungsmappe)
        raise Abbruch(
            f"{ab.steuerungsmappe} gibt es schon. Sie enthält vielleicht Eingaben der "
            "Lenkungsgruppe und wird nicht überschrieben. Um sie mit ihren Stammdaten und "
            "Eingaben neu aufzubauen (neue Auswahllisten, eine Zeile je Arbeitsgruppe auf "
            f"Prioritaet): 'ikz init --arbeitsbereich {wurzel} --ersetzen --stammdaten "
            f"{eigene}'. Wenn Sie wirklich neu beginnen wollen, mit dem Beispielprogramm "
            f"Helmstedt 2012: 'ikz init --arbeitsbereich {wurzel} --ersetzen'. Die alte Mappe "
            "wird jeweils als Sicherung aufbewahrt."
        )
    with stammdaten.fuer_neuaufbau():
        st = stammdaten.lesen(stammdaten_datei) if stammdaten_datei else stammdaten.standard()
    ab.ordner_anlegen()
    gesichert = Sicherungen()
    if ab.steuerungsmappe.exists():
        # In sicherungen/, named as a backup: beside the live one, each rebuild left another
        # file that looked alike, and the user could open the wrong one (round 21).
        ab.sicherungen.mkdir(exist_ok=True)
        stempel = datetime.now().strftime("%Y-%m-%d_%H%M%S")
        gesichert.neu = freier_name(ab.sicherungen / f"Steuerungsmappe_Sicherung_{stempel}.xlsm")
        # the original stays until the new one is in
        shutil.copy2(ab.steuerungsmappe, gesichert.neu)
    try:
        steuerungsmappe_schreiben(st, ab.steuerungsmappe)
    except BaseException:
        # nothing written, the original untouched: this run's copy of it would be a backup of
        # nothing replaced, one more alike file in sicherungen/ that no line names (review21)
        if gesichert.neu is not None:
            gesichert.neu.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                ab.sicherungen.rmdir()  # only if empty: earlier backups stay
        raise
    if gesichert.neu is not None:
        # only once the new one is in: a failed init ("nichts geschrieben") moved none unsaid
        _fruehere_sicherungen_einordnen(ab, gesichert)
    xlwings_konfiguration(ab.wurzel)
    return ab.steuerungsmappe, gesichert


def _fruehere_sicherungen_einordnen(ab: Any, gesichert: Sicherungen) -> None:
    """The backups earlier versions left beside the Steuerungsmappe go into sicherungen/ with
    the new one, under their names (never over another: `freier_name`); moved, never deleted,
    and the command names them. One that cannot be moved (open in Excel on Windows) stays."""
    from ikz_excel.arbeitsbereich import SICHERUNG_MUSTER

    for alt in sorted(ab.wurzel.glob(SICHERUNG_MUSTER)):
        if not alt.is_file():
            continue
        try:
            ziel = alt.rename(freier_name(ab.sicherungen / alt.name))
        except OSError:
            gesichert.geblieben.append(alt)
        else:
            gesichert.eingeordnet.append(ziel)


def xlwings_konfiguration(ordner: Path, plattform: str | None = None) -> Path | None:
    """On Windows, tell the buttons which Python to start (xlwings reads `xlwings.conf` beside
    the workbook). Elsewhere nothing is written: the path of a Linux interpreter means nothing
    to Excel on another PC. An existing file is left alone: the user may have edited it.

    The file is written in cp1252 with CRLF because xlwings reads it with VBA `Open ... For
    Input`, i.e. in the ANSI code page of a German Windows: UTF-8 turned `C:\\Users\\Jürgen`
    into garbage and the buttons into "Could not find Interpreter!". What goes into it is
    `xlwings_interpreter` of this Python (of its `pythonw.exe` if there is one).
    """
    import os
    import sys

    if (plattform or sys.platform) != "win32":
        return None
    ziel = ordner / "xlwings.conf"
    if ziel.exists():
        _nach_cp1252(ziel)
        return ziel
    interpreter = Path(sys.executable)
    fenster = interpreter.with_name("pythonw.exe")
    if fenster.exists():
        interpreter = fenster
    wert = xlwings_interpreter(str(interpreter), os.environ)
    ziel.write_text(f'"INTERPRETER_WIN","{wert}"\n', encoding="cp1252", newline="\r\n")
    return ziel


def _nach_cp1252(datei: Path) -> None:
    """An existing `xlwings.conf` in UTF-8 with umlauts (as earlier versions wrote it, or an
    editor saved it) stays broken for VBA: rewritten in cp1252, its lines unchanged. A file
    that is not UTF-8 is ANSI already; one that cp1252 cannot hold stays as it is."""
    daten = datei.read_bytes()
    if daten.isascii():
        return
    try:
        text = daten.decode("utf-8")
        neu = text.encode("cp1252")
    except UnicodeError:
        return
    with atomar(datei) as tmp:
        tmp.write_bytes(neu)


#: Environment variables that stand in `xlwings.conf` for the start of the interpreter's path,
#: the narrower first: LOCALAPPDATA lies below USERPROFILE.
_XLWINGS_VARIABLEN = ("LOCALAPPDATA", "USERPROFILE")


def xlwings_interpreter(interpreter: str, umgebung: Mapping[str, str]) -> str:
    """The value of INTERPRETER_WIN in `xlwings.conf` for the Windows path `interpreter`.

    The file lies beside the Steuerungsmappe, often on a shared drive that several colleagues
    use, so one user's `C:\\Users\\<Name>\\...` would be wrong for all others. Below
    `%LOCALAPPDATA%` (where python.org installs for one user) or `%USERPROFILE%` the path is
    therefore written with the variable in front, compared without regard to case as Windows
    does; xlwings (GetConfig) expands variables in config values, so the line fits everyone
    with the same installation. Other paths (an installation for all users) stay as they are.

    Falls back to "pythonw", i.e. Python found via PATH (README, step 1 of the Windows set-up;
    xlwings then starts `python` as for "python"), when the value cannot be written in cp1252
    or the path itself is not in cp1252: xlwings reads the file in the ANSI code page, and it
    checks the expanded path with VBA's own file functions (GetAttr), which like `Open` take
    paths in that code page, so below a user name like "Łukasz" the path would fail either way.

    Args:
        interpreter: path of the Python to start (Windows separators or `/`).
        umgebung: the environment, usually `os.environ`.

    Returns:
        e.g. `%LOCALAPPDATA%\\Programs\\Python\\Python311\\pythonw.exe`.
    """
    pfad = PureWindowsPath(interpreter)
    wert = str(pfad)
    for name in _XLWINGS_VARIABLEN:
        basis = umgebung.get(name, "")
        if basis and pfad.is_relative_to(PureWindowsPath(basis)):
            wert = str(PureWindowsPath(f"%{name}%", pfad.relative_to(PureWindowsPath(basis))))
            break
    try:
        wert.encode("cp1252")
        str(pfad).encode("cp1252")
    except UnicodeEncodeError:
        return "pythonw"
    return wert


#: From this many Arbeitsmappen on they are written on all cores (see arbeitsprozesse).
PARALLEL_AB = 20
_ARBEITER: dict[str, Any] = {}


def _arbeiter_start(st: Stammdaten, mappe_def: Mappe, erzeugt_am: datetime | None) -> None:
    _ARBEITER.update(st=st, mappe_def=mappe_def, erzeugt_am=erzeugt_am)


def _im_arbeiter(auftrag: tuple[str, Path]) -> Path:
    kuerzel, ziel = auftrag
    st = _ARBEITER["st"]
    return arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(kuerzel), ziel, _ARBEITER["mappe_def"], _ARBEITER["erzeugt_am"]
    )


def _alle_schreiben(
    st: Stammdaten,
    auftraege: list[tuple[Arbeitsgruppe, Path]],
    mappe_def: Mappe,
    erzeugt_am: datetime | None,
) -> Iterator[tuple[Arbeitsgruppe, Path]]:
    """Write the Arbeitsmappen, on all cores when there are many; yields each when written.

    A programme of a hundred AGs took five seconds on one core. Each workbook is written
    atomically by whichever process writes it, so an interruption leaves no half file.
    """
    from ikz_excel import arbeitsprozesse

    if arbeitsprozesse.lohnt_sich(len(auftraege), PARALLEL_AB):
        with arbeitsprozesse.pool(_arbeiter_start, (st, mappe_def, erzeugt_am)) as pool:
            if pool is not None:
                laeufe = pool.map(
                    _im_arbeiter, [(ag.kuerzel, ziel) for ag, ziel in auftraege], chunksize=4
                )
                for (ag, _), ziel in zip(auftraege, laeufe, strict=True):
                    yield ag, ziel
                return
    for ag, ziel in auftraege:
        yield ag, arbeitsmappe_schreiben(st, ag, ziel, mappe_def, erzeugt_am)


def erzeugen(
    arbeitsbereich: Path,
    ersetzen: bool = False,
    fortschritt: Any = None,
    erzeugt_am: datetime | None = None,
) -> ErzeugenErgebnis:
    """One Arbeitsmappe per AG into `ausgang/`; never silently over one already sent out."""
    from ikz_excel import stammdaten
    from ikz_excel.arbeitsbereich import Arbeitsbereich, sperrdatei

    ab = Arbeitsbereich(arbeitsbereich)
    ab.pruefen_eingerichtet()
    st = stammdaten.lesen(ab.steuerungsmappe)
    ab.ordner_anlegen()
    ergebnis = ErzeugenErgebnis()
    mappe_def = definition.arbeitsmappe()
    stempel = datetime.now().strftime("%Y-%m-%d_%H%M%S")
    auftraege = []
    for ag in st.arbeitsgruppen:
        ziel = ab.ausgang / arbeitsmappen_dateiname(ag)
        if ziel.exists():
            if not ersetzen:
                ergebnis.uebersprungen.append(ziel)
                # Changed Stammdaten (a Zinssatz, a partner) must not go unnoticed: workbooks
                # sent out from here would ask with the old ones.
                kennung = einlesen.kennung_lesen(ziel)
                pruefsumme = kennung.get("stammdaten_pruefsumme")
                if pruefsumme is not None and pruefsumme != stammdaten_pruefsumme(
                    st, ag, mappe_def
                ):
                    ergebnis.veraltet.append(ziel)
                # After an update of ikz_excel, workbooks not yet sent out have old formulas.
                if kennung and einlesen.vorlagenversion(kennung) < mappe_def.schema_version:
                    ergebnis.alte_vorlage.append(ziel)
                if fortschritt:
                    fortschritt(ag, ziel, False)
                continue
            alt = freier_name(ab.ausgang / "alt" / f"{ziel.stem}_{stempel}{ziel.suffix}")
            alt.parent.mkdir(exist_ok=True)
            shutil.copy2(ziel, alt)
            ergebnis.gesichert.append(alt)
            if (sperre := sperrdatei(ziel)) is not None:
                # LibreOffice (and Excel elsewhere than on Windows) lets it be replaced; saved
                # there, the old workbook would overwrite the new one (clerk test, session 19)
                ergebnis.geoeffnet.append((ziel, *sperre))
        auftraege.append((ag, ziel))
    for ag, ziel in _alle_schreiben(st, auftraege, mappe_def, erzeugt_am):
        ergebnis.geschrieben.append(ziel)
        if fortschritt:
            fortschritt(ag, ziel, True)
    ergebnis.weggelegt = _ueberholte_weglegen(ab.ausgang, st, mappe_def)
    return ergebnis


#: completes "… nicht mehr gibt" for an AG whose returns are in: the Kürzel was changed after
#: they came (or the AG struck off with its work done), and from now on they do not count
_RUECKLAEUFE_ZAEHLEN_NICHT = (
    "; Achtung: Von {kuerzel} sind schon Rückläufe eingegangen (archiv/Eingangsbuch.csv). Sie "
    "zählen nicht mehr, solange das Kürzel {kuerzel} nicht wieder auf dem Blatt {blatt} "
    "steht. Wurde nur das Kürzel geändert, es dort zurückändern; sonst muss die Arbeitsgruppe "
    "ihre Eingaben in ihre neue Mappe übertragen"
)


def _eingegangen(arbeitsbereich: Path) -> set[str]:
    """The AGs with a return in the ledger. Only what `konsolidieren` already read: the files
    in eingang/ are read in worker processes, never here (a crafted one could end the run)."""
    from ikz_excel.konsolidieren import eingangsbuch_lesen

    try:
        return {z.get("arbeitsgruppe") or "" for z in eingangsbuch_lesen(arbeitsbereich / "archiv")}
    except (OSError, ValueError, KeyError):  # a ledger that cannot be read says nothing here
        return set()


def _ueberholte_weglegen(ausgang: Path, st: Stammdaten, mappe_def: Mappe) -> list[Weggelegt]:
    """Move the workbooks of AGs renamed or struck off since to ausgang/alt/ (never delete).

    The file name carries the AG's Bezeichnung: renamed, the AG got a new file and the old one,
    with the old Stammdaten, lay beside it unmentioned, even after `--ersetzen` – two workbooks
    for one AG, and the wrong one might be sent. Ours is a file with our `_ikz` whose name
    starts as `erzeugen` names that AG's workbooks; anything else (a Korrektur copy put here,
    a file the Steuerungsgruppe named itself, not a workbook at all) stays where it is.
    """
    ziele = {ag.kuerzel: ausgang / arbeitsmappen_dateiname(ag) for ag in st.arbeitsgruppen}
    namen = {z.name for z in ziele.values()}
    weg: list[Weggelegt] = []
    for pfad in sorted(ausgang.glob("*.xlsx")):
        if pfad.name in namen or pfad.name.startswith(("~$", ".")) or not pfad.is_file():
            continue
        kennung = einlesen.kennung_lesen(pfad)
        kuerzel = kennung.get("arbeitsgruppe") or ""
        unsere = kennung.get("vorlage_id") == mappe_def.vorlage_id and kuerzel
        if not unsere or not pfad.name.startswith(f"{dateiname(kuerzel)}_"):
            continue
        # "AG-01" retyped as "ag-01" is the same AG: its old workbook is only renamed
        kuerzel = st.kuerzel_jetzt(kuerzel) or kuerzel
        ziel = ziele.get(kuerzel)
        if ziel is None:
            grund = f"es die Arbeitsgruppe {kuerzel} in der Steuerungsmappe nicht mehr gibt"
            if kuerzel in _eingegangen(ausgang.parent):
                grund += _RUECKLAEUFE_ZAEHLEN_NICHT.format(
                    kuerzel=kuerzel, blatt=st.blatt("tbl_Arbeitsgruppen")
                )
        elif ziel.exists() and ziel.samefile(pfad):  # the same file on a drive blind to case
            continue
        elif kennung.get("bezeichnung") != st.arbeitsgruppe(kuerzel).bezeichnung:
            grund = (
                f"die Arbeitsgruppe {kuerzel} jetzt "
                f"{st.arbeitsgruppe(kuerzel).bezeichnung!r} heißt (ihre Mappe: {ziel.name})"
            )
        else:
            grund = f"die Mappe der Arbeitsgruppe {kuerzel} jetzt {ziel.name} heißt"
        alt = freier_name(ausgang / "alt" / pfad.name)
        alt.parent.mkdir(exist_ok=True)
        try:
            pfad.replace(alt)
        except OSError:  # open in Excel on Windows: it stays, and is said so
            weg.append(Weggelegt(pfad, None, grund))
            continue
        weg.append(Weggelegt(pfad, alt, grund))
    return weg
