"""A corpus of bad and tricky returns, each derived from a freshly generated Arbeitsmappe.

Every structural case is made by editing the zip and its XML parts directly. Loading and
saving with openpyxl would change formats, validations, charts, defined names and shared
strings as well, and a test would then no longer check the one fault it claims to check but
everything openpyxl does differently on save. Only the parts a case is about are touched; the
rest of the package stays byte for byte as XlsxWriter wrote it.

`korpus_erzeugen` builds all kinds (or a selection) into one folder, each kind in a subfolder
of its own under a realistic file name, so a test can hand one file or one folder to the
Rücklaufprüfung. `ausfuellen` types rows into a copy of a generated workbook the way a clerk
would (values in the existing cells, shared strings appended); other tests use it to make a
valid return and then break exactly one thing.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import os
import posixpath
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

__all__ = [
    "ARTEN",
    "FREMDE_VORLAGE_ID",
    "PASSWORT",
    "ZIPBOMBE_BYTES",
    "Formel",
    "Paket",
    "ausfuellen",
    "ausgefuellte_werte",
    "korpus_erzeugen",
    "ods_mit_libreoffice",
    "ole_schreiben",
]

#: All kinds, in the order they are built.
ARTEN: tuple[str, ...] = (
    "ausgefuellt",
    "text_in_zahl",
    "kein_excel",
    "leer",
    "xls",
    "ods",
    "csv",
    "passwort",
    "kaputt",
    "zipbombe",
    "xml_entitaeten",
    "makro",
    "makrotyp_ohne_makros",
    "outlook_mail",
    "word_alt",
    "xlsb",
    "sperrdatei_excel",
    "sperrdatei_libreoffice",
    "thumbs",
    "ds_store",
    "blatt_umbenannt",
    "blatt_geloescht",
    "spalte_umbenannt",
    "spalte_geloescht",
    "ohne_ikz",
    "alte_version",
    "fremde_vorlage",
    "uebergross",
)
PASSWORT = "geheim"
#: Uncompressed size of the zip bomb's sheet: more than 1 GB and more than 1 GiB.
ZIPBOMBE_BYTES = 1100 * 2**20
FREMDE_VORLAGE_ID = "kdo-haushaltsplanung"
ZIPBOMBE_BLATT = "Ressourcen"  # a sheet with a table, so a reader that only reads tables hits it

WB = "xl/workbook.xml"
SST = "xl/sharedStrings.xml"
CT = "[Content_Types].xml"
APP = "docProps/app.xml"
_REL_BASIS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_EXCEL_NULL = date(1899, 12, 30)


# --------------------------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------------------------


class Paket:
    """The parts of an xlsx in their original order, edited as text and written back as zip.

    Reads every part into memory: never open the `zipbombe` with it.
    """

    def __init__(self, teile: dict[str, bytes]) -> None:
        self.teile = teile

    @classmethod
    def lesen(cls, pfad: Path) -> Paket:
        with zipfile.ZipFile(pfad) as zf:
            return cls({i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()})

    def text(self, name: str) -> str:
        return self.teile[name].decode("utf-8")

    def setzen(self, name: str, inhalt: str | bytes) -> None:
        self.teile[name] = inhalt.encode("utf-8") if isinstance(inhalt, str) else inhalt

    def entfernen(self, name: str) -> None:
        self.teile.pop(name, None)

    def schreiben(self, ziel: Path) -> Path:
        ziel.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, inhalt in self.teile.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, inhalt)
        return ziel


_ATTR = re.compile(r'([\w:.-]+)="([^"]*)"')


def _attribute(tag: str) -> dict[str, str]:
    return {k: _xml_unescape(v) for k, v in _ATTR.findall(tag)}


def _xml_unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _attr_escape(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _attr_setzen(tag: str, name: str, wert: str) -> str:
    """Set or replace one attribute in a start tag (`<x a="1">` or `<x a="1"/>`)."""
    muster = re.compile(rf'(\s{re.escape(name)}=")[^"]*(")')
    if muster.search(tag):
        return muster.sub(lambda m: m.group(1) + _attr_escape(wert) + m.group(2), tag, count=1)
    ende = -2 if tag.endswith("/>") else -1
    return f'{tag[:ende]} {name}="{_attr_escape(wert)}"{tag[ende:]}'


def _attr_entfernen(tag: str, name: str) -> str:
    return re.sub(rf'\s{re.escape(name)}="[^"]*"', "", tag)


def _rels_pfad(teil: str) -> str:
    ordner, name = posixpath.split(teil)
    return posixpath.join(ordner, "_rels", name + ".rels")


@dataclass
class Beziehung:
    id: str
    typ: str  # last segment of the relationship type, e.g. "worksheet", "table"
    ziel: str  # part name inside the package, or the raw target if external
    extern: bool


def _beziehungen(paket: Paket, teil: str) -> list[Beziehung]:
    rels = _rels_pfad(teil)
    if rels not in paket.teile:
        return []
    ergebnis = []
    for tag in re.findall(r"<Relationship\b[^>]*>", paket.text(rels)):
        a = _attribute(tag)
        extern = a.get("TargetMode") == "External"
        ziel = a["Target"]
        if not extern:
            ziel = (
                ziel[1:]
                if ziel.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(teil), ziel))
            )
        ergebnis.append(Beziehung(a["Id"], a["Type"].rsplit("/", 1)[-1], ziel, extern))
    return ergebnis


def _beziehung_hinzufuegen(paket: Paket, teil: str, typ: str, target: str) -> str:
    rels = _rels_pfad(teil)
    xml = paket.text(rels)
    ids = {int(n) for n in re.findall(r'Id="rId(\d+)"', xml)}
    rid = f"rId{max(ids, default=0) + 1}"
    neu = f'<Relationship Id="{rid}" Type="{typ}" Target="{_attr_escape(target)}"/>'
    paket.setzen(rels, xml.replace("</Relationships>", neu + "</Relationships>"))
    return rid


def _inhaltstyp_override(paket: Paket, teil: str, typ: str | None) -> None:
    """Set (typ) or remove (None) the content-type override of one part."""
    xml = paket.text(CT)
    muster = re.compile(rf'<Override\b[^>]*PartName="/{re.escape(teil)}"[^>]*/>')
    xml = muster.sub("", xml)
    if typ is not None:
        xml = xml.replace("</Types>", f'<Override PartName="/{teil}" ContentType="{typ}"/></Types>')
    paket.setzen(CT, xml)


# --------------------------------------------------------------------------------------------
# Sheets, tables, cells
# --------------------------------------------------------------------------------------------


@dataclass
class Blatt:
    name: str
    rid: str
    pfad: str
    zustand: str
    index: int


def _blaetter(paket: Paket) -> list[Blatt]:
    ziele = {b.id: b.ziel for b in _beziehungen(paket, WB)}
    ergebnis = []
    for i, tag in enumerate(re.findall(r"<sheet\b[^>]*/>", paket.text(WB))):
        a = _attribute(tag)
        ergebnis.append(Blatt(a["name"], a["r:id"], ziele[a["r:id"]], a.get("state", "visible"), i))
    return ergebnis


def _spaltenname(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _spaltenindex(name: str) -> int:
    index = 0
    for zeichen in name:
        index = index * 26 + ord(zeichen) - 64
    return index - 1


def _bezug(zeile: int, spalte: int) -> str:
    """Excel row (1-based) and 0-based column to an A1 address."""
    return f"{_spaltenname(spalte)}{zeile}"


def _zerlegen(bezug: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", bezug)
    if m is None:
        raise ValueError(f"keine Zelladresse: {bezug!r}")
    return int(m.group(2)), _spaltenindex(m.group(1))


def _bereich(ref: str) -> tuple[int, int, int, int]:
    a, _, b = ref.partition(":")
    z1, s1 = _zerlegen(a)
    z2, s2 = _zerlegen(b or a)
    return z1, s1, z2, s2


@dataclass
class Tabelle:
    name: str
    pfad: str
    blatt: Blatt
    ref: str
    spalten: list[str]
    kopfzeilen: int = 1
    summenzeilen: int = 0

    @property
    def kopfzeile(self) -> int:
        return _bereich(self.ref)[0]

    @property
    def erste_zeile(self) -> int:
        return self.kopfzeile + self.kopfzeilen

    @property
    def letzte_zeile(self) -> int:
        return _bereich(self.ref)[2] - self.summenzeilen

    @property
    def erste_spalte(self) -> int:
        return _bereich(self.ref)[1]

    def spalte(self, kopf: str) -> int:
        """0-based sheet column of a header; KeyError names the headers that exist."""
        try:
            return self.erste_spalte + self.spalten.index(kopf)
        except ValueError:
            raise KeyError(f"{self.name} hat keine Spalte {kopf!r}: {self.spalten}") from None


def _tabellen(paket: Paket) -> dict[str, Tabelle]:
    ergebnis = {}
    for blatt in _blaetter(paket):
        for b in _beziehungen(paket, blatt.pfad):
            if b.typ != "table" or b.ziel not in paket.teile:
                continue
            xml = paket.text(b.ziel)
            kopf = _attribute(re.search(r"<table\b[^>]*>", xml).group(0))
            spalten = [
                _xml_unescape(n) for n in re.findall(r'<tableColumn\b[^>]*?\bname="([^"]*)"', xml)
            ]
            name = kopf.get("displayName") or kopf["name"]
            ergebnis[name] = Tabelle(
                name,
                b.ziel,
                blatt,
                kopf["ref"],
                spalten,
                int(kopf.get("headerRowCount", "1")),
                int(kopf.get("totalsRowCount", "0")),
            )
    return ergebnis


def _si_text(si: str) -> str:
    si = re.sub(r"<rPh\b.*?</rPh>", "", si, flags=re.S)
    return "".join(_xml_unescape(t) for t in re.findall(r"<t(?:\s[^>]*)?>(.*?)</t>", si, re.S))


def _si(text: str) -> str:
    raum = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<si><t{raum}>{escape(text)}</t></si>"


class Texte:
    """The shared-string table: read once, new strings appended as Excel does on save."""

    def __init__(self, paket: Paket) -> None:
        self.paket = paket
        xml = paket.text(SST)
        self.liste = [_si_text(si) for si in re.findall(r"<si>(.*?)</si>", xml, re.S)]
        self.index: dict[str, int] = {}
        for i, text in enumerate(self.liste):
            self.index.setdefault(text, i)
        self.neu: list[str] = []
        self.verweise = 0

    def nummer(self, text: str) -> int:
        self.verweise += 1
        if text not in self.index:
            self.index[text] = len(self.liste)
            self.liste.append(text)
            self.neu.append(text)
        return self.index[text]

    def zurueckschreiben(self) -> None:
        if not self.neu and not self.verweise:
            return
        xml = self.paket.text(SST)
        xml = xml.replace("</sst>", "".join(_si(t) for t in self.neu) + "</sst>")
        kopf = re.search(r"<sst\b[^>]*>", xml).group(0)
        alt = int(_attribute(kopf).get("count", "0"))
        neu = _attr_setzen(kopf, "count", str(alt + self.verweise))
        neu = _attr_setzen(neu, "uniqueCount", str(len(self.liste)))
        self.paket.setzen(SST, xml.replace(kopf, neu, 1))
        self.neu, self.verweise = [], 0


@dataclass(frozen=True)
class Formel:
    """A formula as a clerk types it, with the value a spreadsheet program would cache."""

    text: str
    wert: Any = None


def _zahltext(x: Any) -> str:
    if isinstance(x, int):
        return str(x)
    f = float(x)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def _seriennummer(wert: date | datetime) -> float:
    if isinstance(wert, datetime):
        tage = (wert.date() - _EXCEL_NULL).days
        return tage + (wert.hour * 3600 + wert.minute * 60 + wert.second) / 86400
    return float((wert - _EXCEL_NULL).days)


def _wert_xml(wert: Any, texte: Texte | None, formel: bool = False) -> tuple[str | None, str]:
    """(cell type attribute or None, `<v>` element) of a Python value."""
    if wert is None or wert == "":
        return None, ""
    if isinstance(wert, bool):
        return "b", f"<v>{int(wert)}</v>"
    if isinstance(wert, (date, datetime)):
        return None, f"<v>{_zahltext(_seriennummer(wert))}</v>"
    if isinstance(wert, (int, float, Decimal)):
        return None, f"<v>{_zahltext(wert)}</v>"
    text = str(wert)
    if formel or texte is None:
        if formel and text.startswith("#") and text.endswith(("!", "?", "A")):
            return "e", f"<v>{escape(text)}</v>"
        return "str", f"<v>{escape(text)}</v>"
    return "s", f"<v>{texte.nummer(text)}</v>"


def _zellmuster(bezug: str) -> re.Pattern[str]:
    return re.compile(rf'<c\b[^>]*\br="{bezug}"[^>]*?(?:/>|>.*?</c>)', re.S)


_ZELLE = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_ZEILE = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)


def _zellkopf(zelle: str) -> str:
    return re.match(r"<c\b[^>]*?(?=/?>)", zelle).group(0)


def _neue_zelle(alt: str | None, bezug: str, wert: Any, texte: Texte) -> str:
    """The cell XML for `wert`, keeping the style of the old cell."""
    kopf = _zellkopf(alt) if alt else f'<c r="{bezug}"'
    kopf = _attr_entfernen(kopf, "t")
    if isinstance(wert, Formel):
        typ, v = _wert_xml(wert.wert, texte, formel=True)
        innen = f"<f>{escape(wert.text.removeprefix('='))}</f>{v}"
    else:
        typ, innen = _wert_xml(wert, texte)
    if typ:
        kopf += f' t="{typ}"'
    return f"{kopf}>{innen}</c>" if innen else f"{kopf}/>"


def _zelle_ersetzen(xml: str, bezug: str, neu: Callable[[str | None], str]) -> str:
    """Replace cell `bezug` by neu(old cell or None); a missing row or cell is made in order."""
    m = _zellmuster(bezug).search(xml)
    if m is not None:
        return xml[: m.start()] + neu(m.group(0)) + xml[m.end() :]
    zeile, spalte = _zerlegen(bezug)
    zelle = neu(None)
    for z in _ZEILE.finditer(xml):
        r = int(_attribute(re.match(r"<row\b[^>]*?(?=/?>)", z.group(0)).group(0))["r"])
        if r > zeile:
            return xml[: z.start()] + f'<row r="{zeile}">{zelle}</row>' + xml[z.start() :]
        if r == zeile:
            text = z.group(0)
            if text.endswith("/>"):
                text = text[:-2] + "></row>"
            kopf_ende = text.index(">") + 1
            koerper = text[kopf_ende : -len("</row>")]
            pos = len(koerper)
            for c in _ZELLE.finditer(koerper):
                if _zerlegen(_attribute(_zellkopf(c.group(0)))["r"])[1] > spalte:
                    pos = c.start()
                    break
            text = text[:kopf_ende] + koerper[:pos] + zelle + koerper[pos:] + "</row>"
            return xml[: z.start()] + text + xml[z.end() :]
    xml = xml.replace("<sheetData/>", "<sheetData></sheetData>")
    return xml.replace("</sheetData>", f'<row r="{zeile}">{zelle}</row></sheetData>', 1)


def _zelle_lesen(xml: str, bezug: str, texte: Texte) -> Any:
    m = _zellmuster(bezug).search(xml)
    if m is None:
        return None
    zelle = m.group(0)
    typ = _attribute(_zellkopf(zelle)).get("t")
    if typ == "inlineStr":
        return _si_text(zelle)
    v = re.search(r"<v>(.*?)</v>", zelle, re.S)
    if v is None:
        return None
    roh = _xml_unescape(v.group(1))
    if typ == "s":
        return texte.liste[int(roh)]
    if typ in ("str", "e"):
        return roh
    if typ == "b":
        return roh == "1"
    return float(roh) if roh else None  # a formula written without a result has <v></v>


def _dimension_erweitern(xml: str, zeile: int, spalte: int) -> str:
    m = re.search(r'<dimension ref="([^"]+)"/>', xml)
    if m is None:
        return xml
    z1, s1, z2, s2 = _bereich(m.group(1))
    z2, s2 = max(z2, zeile), max(s2, spalte)
    ref = f"{_bezug(z1, s1)}:{_bezug(z2, s2)}"
    return xml[: m.start()] + f'<dimension ref="{ref}"/>' + xml[m.end() :]


def _zahl(wert: Any) -> float | None:
    if isinstance(wert, bool) or not isinstance(wert, (int, float, Decimal)):
        return None
    return float(wert)


def _runden(x: float, stellen: int = 2) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-stellen), rounding=ROUND_HALF_UP))


def _kosten(z: Mapping[str, Any]) -> float:
    menge, satz = _zahl(z.get("Menge")), _zahl(z.get("Kostensatz"))
    return 0.0 if menge is None or satz is None else _runden(menge * satz)


def _risikowert(z: Mapping[str, Any]) -> float:
    w, a = _zahl(z.get("Eintrittswahrscheinlichkeit")), _zahl(z.get("Auswirkung"))
    return 0.0 if w is None or a is None else w * a


#: Row-local calculated columns whose cached value `ausfuellen` refreshes, as Excel would on
#: save. All other formulas keep XlsxWriter's cached 0 (the file says fullCalcOnLoad); for real
#: values recalculate with tests/libreoffice.py.
ZEILENFORMELN: dict[tuple[str, str], Callable[[Mapping[str, Any]], Any]] = {
    ("tbl_Ressourcen", "Kosten"): _kosten,
    ("tbl_Risiken", "Risikowert"): _risikowert,
}


class Mappe:
    """An editing session on one package: sheet XML cached as text, shared strings appended."""

    def __init__(self, paket: Paket) -> None:
        self.paket = paket
        self.texte = Texte(paket)
        self.blaetter = {b.name: b for b in _blaetter(paket)}
        self.tabellen = _tabellen(paket)
        self._xml: dict[str, str] = {}

    def xml(self, blatt: str) -> str:
        pfad = self.blaetter[blatt].pfad
        if pfad not in self._xml:
            self._xml[pfad] = self.paket.text(pfad)
        return self._xml[pfad]

    def tabelle(self, name: str) -> Tabelle:
        try:
            return self.tabellen[name]
        except KeyError:
            raise KeyError(f"keine Tabelle {name!r}: {sorted(self.tabellen)}") from None

    def setzen(self, blatt: str, bezug: str, wert: Any) -> None:
        xml = _zelle_ersetzen(
            self.xml(blatt), bezug, lambda alt: _neue_zelle(alt, bezug, wert, self.texte)
        )
        zeile, spalte = _zerlegen(bezug)
        self._xml[self.blaetter[blatt].pfad] = _dimension_erweitern(xml, zeile, spalte)

    def lesen(self, blatt: str, bezug: str) -> Any:
        return _zelle_lesen(self.xml(blatt), bezug, self.texte)

    def formelwert_setzen(self, blatt: str, bezug: str, wert: Any) -> None:
        """Replace the cached value of a formula cell, leaving the formula as it is."""
        xml = self.xml(blatt)
        m = _zellmuster(bezug).search(xml)
        if m is None or "<f" not in m.group(0):
            return
        zelle = m.group(0)
        kopf = _attr_entfernen(_zellkopf(zelle), "t")
        typ, v = _wert_xml(wert, None, formel=True)
        if typ:
            kopf += f' t="{typ}"'
        formel = re.search(r"<f\b.*?(?:/>|</f>)", zelle, re.S).group(0)
        neu = f"{kopf}>{formel}{v}</c>"
        self._xml[self.blaetter[blatt].pfad] = xml[: m.start()] + neu + xml[m.end() :]

    def zeile_lesen(self, tab: Tabelle, zeile: int) -> dict[str, Any]:
        return {
            kopf: self.lesen(tab.blatt.name, _bezug(zeile, tab.erste_spalte + i))
            for i, kopf in enumerate(tab.spalten)
        }

    def name_zelle(self, name: str) -> tuple[str, str]:
        """Sheet and cell of a workbook-level defined name that points at one cell."""
        m = re.search(
            rf'<definedName name="{re.escape(name)}">([^<]*)</definedName>', self.paket.text(WB)
        )
        if m is None:
            raise KeyError(f"kein Name {name!r} in der Mappe")
        blatt, _, zelle = _xml_unescape(m.group(1)).rpartition("!")
        if blatt.startswith("'"):
            blatt = blatt[1:-1].replace("''", "'")
        return blatt, zelle.replace("$", "")

    def fertig(self) -> Paket:
        for pfad, xml in self._xml.items():
            self.paket.setzen(pfad, xml)
        self.texte.zurueckschreiben()
        return self.paket


# --------------------------------------------------------------------------------------------
# Typing values: ausfuellen and the values of a complete, correct return
# --------------------------------------------------------------------------------------------


def ausfuellen(
    vorlage: Path,
    ziel: Path,
    werte: Mapping[str, Sequence[Mapping[str, object]]],
    projektbeschreibung: Mapping[str, object] | None = None,
    schluessel: str | None = None,
) -> Path:
    """Type rows into a copy of a generated workbook, as a clerk does, and save it as `ziel`.

    `werte` maps a table name to rows keyed by header; row i goes into the table's i-th data
    row, rows beyond the table go into the sheet rows below it (where a clerk types when the
    protected table does not grow). A value of None or "" empties a cell, `Formel` writes a
    formula with its cached value, dates become date serials, strings become shared strings
    (so "1.234,50 €" in a number column is text, as after a paste that bypassed validation).
    `projektbeschreibung` maps a Nr ("3.1") to the Eintrag of that row; `schluessel` goes into
    the cell of the defined name `Schluessel`. Cells keep their style; nothing else changes,
    except that the cached values of the row formulas in `ZEILENFORMELN` are refreshed.
    """
    mappe = Mappe(Paket.lesen(vorlage))
    for name, zeilen in werte.items():
        tab = mappe.tabelle(name)
        for i, zeile in enumerate(zeilen):
            r = tab.erste_zeile + i
            for kopf, wert in zeile.items():
                mappe.setzen(tab.blatt.name, _bezug(r, tab.spalte(kopf)), wert)
        bis = min(tab.letzte_zeile, tab.erste_zeile + len(zeilen) - 1)
        for r in range(tab.erste_zeile, bis + 1):
            for (tname, kopf), rechnen in ZEILENFORMELN.items():
                if tname == name and kopf in tab.spalten:
                    wert = rechnen(mappe.zeile_lesen(tab, r))
                    mappe.formelwert_setzen(tab.blatt.name, _bezug(r, tab.spalte(kopf)), wert)
    if projektbeschreibung:
        tab = mappe.tabelle("tbl_Projektbeschreibung")
        nr_spalte, eintrag = tab.spalte("Nr"), tab.spalte("Eintrag")
        zeilen_nach_nr = {
            str(mappe.lesen(tab.blatt.name, _bezug(r, nr_spalte))): r
            for r in range(tab.erste_zeile, tab.letzte_zeile + 1)
        }
        for nr, wert in projektbeschreibung.items():
            if nr not in zeilen_nach_nr:
                raise KeyError(f"tbl_Projektbeschreibung hat keine Nr {nr!r}")
            mappe.setzen(tab.blatt.name, _bezug(zeilen_nach_nr[nr], eintrag), wert)
    if schluessel is not None:
        blatt, zelle = mappe.name_zelle("Schluessel")
        mappe.setzen(blatt, zelle, schluessel)
    return mappe.fertig().schreiben(Path(ziel))


def format_uebertragen(pfad: Path, nach: tuple[str, int, str], von: tuple[str, str]) -> Path:
    """Give the cell (tabelle, i-th data row, kopf) `nach` the style of the first data cell of
    column (tabelle, kopf) `von`, as when Excel reformats a cell on typing ("1.5" in a number
    cell becomes a date with a date format); its value stays. Saved in place."""
    mappe = Mappe(Paket.lesen(pfad))
    quelle = mappe.tabelle(von[0])
    alt = _zellmuster(_bezug(quelle.erste_zeile, quelle.spalte(von[1])))
    stil = _attribute(_zellkopf(alt.search(mappe.xml(quelle.blatt.name)).group(0)))["s"]
    ziel = mappe.tabelle(nach[0])
    bezug = _bezug(ziel.erste_zeile + nach[1], ziel.spalte(nach[2]))
    xml = mappe.xml(ziel.blatt.name)
    zelle = _zellmuster(bezug).search(xml)
    assert zelle is not None, bezug
    kopf = _zellkopf(zelle.group(0))
    neu = _attr_setzen(kopf, "s", stil) + zelle.group(0)[len(kopf) :]
    mappe._xml[ziel.blatt.pfad] = xml[: zelle.start()] + neu + xml[zelle.end() :]
    return mappe.fertig().schreiben(pfad)


def _raster(pfad: Path, blatt: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        return mappe.get_sheet_by_name(blatt).to_python(skip_empty_area=False)


def _listen(vorlage: Path) -> dict[str, list[str]]:
    """The dropdown lists of the workbook itself (hidden sheet `_listen`, one column each)."""
    raster = _raster(vorlage, "_listen")
    ergebnis: dict[str, list[str]] = {}
    for c, name in enumerate(raster[0] if raster else []):
        if name:
            ergebnis[str(name)] = [str(z[c]) for z in raster[1:] if c < len(z) and z[c] != ""]
    return ergebnis


def _kennung(pfad: Path) -> dict[str, str]:
    return {str(z[0]): str(z[1]) for z in _raster(pfad, "_ikz") if len(z) > 1 and z[0]}


def ausgefuellte_werte(
    vorlage: Path,
) -> tuple[dict[str, list[dict[str, object]]], dict[str, object], str]:
    """Rows, Projektbeschreibung entries and Schlüssel of a complete, correct return.

    Everything comes from the workbook itself: Kommunen are the AG's partners (from `_ikz`),
    list values from `_listen`, Kriterien from tbl_Einschaetzung, 'ab Jahr' within the
    Betrachtungszeitraum. Tests take this, break one thing and call `ausfuellen`.
    """
    kennung = _kennung(vorlage)
    partner = [p.strip() for p in kennung["partner"].split(";") if p.strip()]
    p = [partner[i % len(partner)] for i in range(4)]
    jahre = int(float(kennung.get("betrachtungszeitraum", "5")))
    listen = _listen(vorlage)

    def aus(liste: str, wert: str) -> str:
        """`wert` if the list offers it, else the list's first value: stays valid if it changes."""
        werte = listen.get(liste) or [wert]
        return wert if wert in werte else werte[0]

    einmalig, jaehrlich = aus("kostenart", "einmalig"), aus("kostenart", "jährlich")
    rf = [
        aus("rechtsform", r)
        for r in ("Zweckvereinbarung delegierend", "Zweckvereinbarung mandatierend", "andere")
    ]
    varianten: list[dict[str, object]] = [
        {
            "Variante": "A – Zentralisierung",
            "Beschreibung": (
                f"Ein gemeinsames Rechenzentrum beim {p[0]} übernimmt Betrieb, Datensicherung und "
                "die Fachverfahren für alle Partnerkommunen."
            ),
            "Modus": aus("modus", "Z"),
            "Rechtsform": rf[0],
            "Sitzkommune": p[0],
        },
        {
            "Variante": "B – Gemeinsame Standards",
            "Beschreibung": (
                "Jede Kommune betreibt ihre IT weiter, Beschaffung und Standards werden gemeinsam "
                "festgelegt."
            ),
            "Modus": aus("modus", "D"),
            "Rechtsform": rf[1],
            "Sitzkommune": p[1],
        },
        {
            "Variante": "C – Outsourcing",
            "Beschreibung": ("Der Betrieb wird an einen kommunalen IT-Dienstleister vergeben."),
            "Modus": aus("modus", "O"),
            "Rechtsform": rf[2],
            "Sitzkommune": p[0],
        },
    ]
    bereiche = listen.get("swot_bereich") or ["Personal"]
    arten = listen.get("swot_art") or ["Stärke"]
    staerken: list[dict[str, object]] = [
        {
            "Kommune": p[i % 4],
            "Bereich": bereiche[i % len(bereiche)],
            "Art": arten[i % len(arten)],
            "Beschreibung": text,
            "Gewicht": 1 + i % 3,
        }
        for i, text in enumerate(
            [
                "Erfahrenes Team für Serverbetrieb und Netzwerk vorhanden.",
                "Veraltete Hardware, Ersatz in den nächsten zwei Jahren nötig.",
                "Gemeinsame Beschaffung senkt Lizenzkosten deutlich.",
                "Ausfall einzelner Schlüsselpersonen gefährdet den Betrieb.",
                "Klare Zuständigkeiten in der Verwaltung.",
                "Räume für einen zweiten Serverstandort fehlen.",
            ]
        )
    ]
    ressourcen: list[dict[str, object]] = [
        {
            "Ressourcenart": aus("ressourcenart", "Personal"),
            "Kommune": p[0],
            "Beschreibung": "0,5 Stelle EG 9b Systembetreuung",
            "Menge": 0.5,
            "Einheit": "Stelle",
            "Kostensatz": 61000.0,
            "Kostenart": jaehrlich,
            "ab Jahr": 1,
        },
        {
            "Ressourcenart": aus("ressourcenart", "Fachlich"),
            "Kommune": p[1],
            "Beschreibung": "Migration der Fachverfahren",
            "Menge": 120,
            "Einheit": "Stunde",
            "Kostensatz": 85.0,
            "Kostenart": einmalig,
            "ab Jahr": 1,
        },
        {
            "Ressourcenart": aus("ressourcenart", "Finanziell"),
            "Kommune": p[0],
            "Beschreibung": "Serverhardware für das Rechenzentrum",
            "Menge": 1,
            "Einheit": "Stück",
            "Kostensatz": 48500.0,
            "Kostenart": einmalig,
            "ab Jahr": 1,
        },
        {
            "Ressourcenart": aus("ressourcenart", "Räumlich"),
            "Kommune": p[0],
            "Beschreibung": "Serverraum mit Klimatisierung",
            "Menge": 25,
            "Einheit": "m²",
            "Kostensatz": 120.0,
            "Kostenart": jaehrlich,
            "ab Jahr": min(2, jahre),
        },
        {
            "Ressourcenart": aus("ressourcenart", "Personal"),
            "Kommune": p[2],
            "Beschreibung": "Schulung der Anwenderinnen und Anwender",
            "Menge": 40,
            "Einheit": "Stunde",
            "Kostensatz": 55.5,
            "Kostenart": einmalig,
            "ab Jahr": min(2, jahre),
        },
    ]
    nutzen: list[dict[str, object]] = [
        {
            "Nutzenart": aus("nutzenart", "Personaleinsparung"),
            "Kommune": p[1],
            "Beschreibung": "Wegfall der eigenen Serverbetreuung",
            "Betrag": 45000.0,
            "Kostenart": jaehrlich,
            "ab Jahr": min(2, jahre),
            "Qualitativ": 0,
        },
        {
            "Nutzenart": aus("nutzenart", "Sachkosteneinsparung"),
            "Kommune": p[2],
            "Beschreibung": "Gemeinsame Lizenzverträge",
            "Betrag": 12000.0,
            "Kostenart": jaehrlich,
            "ab Jahr": 1,
            "Qualitativ": 1,
        },
        {
            "Nutzenart": aus("nutzenart", "Vermiedene Investition"),
            "Kommune": p[3],
            "Beschreibung": "Keine eigene Ersatzbeschaffung der Server",
            "Betrag": 30000.0,
            "Kostenart": einmalig,
            "ab Jahr": min(2, jahre),
            "Qualitativ": 0,
        },
        {
            "Nutzenart": aus("nutzenart", "Qualitativ"),
            "Kommune": p[0],
            "Beschreibung": "Höhere Ausfallsicherheit durch zwei Standorte",
            "Betrag": 0.0,
            "Kostenart": jaehrlich,
            "ab Jahr": 1,
            "Qualitativ": 3,
        },
    ]
    kategorien = listen.get("risikokategorie") or ["Finanziell"]
    risiken: list[dict[str, object]] = [
        {
            "Nr": i + 1,
            "Risiko": risiko,
            "Kategorie": aus("risikokategorie", kat),
            "Eintrittswahrscheinlichkeit": w,
            "Auswirkung": a,
            "Gegenmaßnahme": massnahme,
            "Verantwortlich": wer,
        }
        for i, (risiko, kat, w, a, massnahme, wer) in enumerate(
            [
                (
                    "Fachverfahren laufen nach der Migration nicht stabil",
                    kategorien[0],
                    4,
                    4,
                    "Parallelbetrieb über drei Monate und Rückfallplan",
                    "Projektleitung IT",
                ),
                (
                    "Räte stimmen der Zweckvereinbarung nicht zu",
                    "Politisch",
                    2,
                    5,
                    "Frühzeitige Information der Fraktionen",
                    "Hauptverwaltungsbeamte",
                ),
                (
                    "Personal lehnt Versetzung ab",
                    "Personell",
                    3,
                    3,
                    "Personalrat früh beteiligen, Besitzstand sichern",
                    "Personalämter",
                ),
                ("Förderung entfällt", "Finanziell", 2, 2, "", ""),
            ]
        )
    ]
    tab = _tabellen(Paket.lesen(vorlage))["tbl_Einschaetzung"]
    einschaetzung: list[dict[str, object]] = [
        {"Punkte": 1 + i % 3, "Begründung": f"Einschätzung der Arbeitsgruppe zu Kriterium {i + 1}."}
        for i in range(tab.letzte_zeile - tab.erste_zeile + 1)
    ]
    phasen = listen.get("phasen") or ["Konzeption"]
    status = listen.get("meilenstein_status") or ["offen"]

    def phase(i: int) -> str:
        return phasen[min(i, len(phasen) - 1)]

    meilensteine: list[dict[str, object]] = [
        {
            "Meilenstein": "Ist-Aufnahme in allen Partnerkommunen abgeschlossen",
            "Phase": phase(2),
            "Termin": date(2012, 6, 29),
            "Status": status[min(2, len(status) - 1)],
        },
        {
            "Meilenstein": "Arbeitsmappe an die Steuerungsgruppe",
            "Phase": phase(2),
            "Termin": date(2012, 11, 30),
            "Status": status[min(1, len(status) - 1)],
        },
        {
            "Meilenstein": "Beschluss der Räte über die Zweckvereinbarung",
            "Phase": phase(3),
            "Termin": date(2013, 3, 28),
            "Status": status[0],
        },
        {
            "Meilenstein": "Start des gemeinsamen Rechenzentrums",
            "Phase": phase(4),
            "Termin": date(2013, 10, 1),
            "Status": status[0],
        },
        {
            "Meilenstein": "Evaluierung nach einem Jahr Echtbetrieb",
            "Phase": phase(4),
            "Termin": date(2014, 10, 31),
            "Status": status[0],
        },
    ]
    werte = {
        "tbl_Varianten": varianten,
        "tbl_StaerkenSchwaechen": staerken,
        "tbl_Ressourcen": ressourcen,
        "tbl_Nutzen": nutzen,
        "tbl_Risiken": risiken,
        "tbl_Einschaetzung": einschaetzung,
        "tbl_Meilensteine": meilensteine,
    }
    projektbeschreibung: dict[str, object] = {
        "2.3": f"Erika Mustermann, {p[0]}, Tel. 05351 121-1234",
        "3.1": aus("ja_nein", "nein"),
        "3.2": "Die IT-Abteilungen der Partner haben genug Erfahrung; eine externe Begleitung "
        "ist nur für die Vertragsgestaltung vorgesehen.",
        "3.3": "Jede Partnerkommune betreibt eigene Server; Datensicherung und Updates werden "
        "uneinheitlich und mit wenig Personal erledigt.",
        "3.4": "Geprüft wurden eine Aufgabenkritik der heutigen IT-Leistungen, der Ausbau von "
        "eGovernment-Angeboten und ein Outsourcing an einen kommunalen Dienstleister.",
        "3.5": "Zwei Stellen wechseln zum Landkreis; keine betriebsbedingten Kündigungen.",
        "3.6": aus("hindernisse", "keine"),
        "3.8": p[0],
        "3.9": "Kosten und Einsparungen werden nach Einwohnern verteilt.",
        "3.10": varianten[0]["Variante"],
        "4.1": rf[0],
        "4.2": "Kündigung mit einer Frist von zwei Jahren zum Jahresende; Rückübertragung "
        "der Daten und des Personals ist geregelt.",
        "5.1": "Verfügbarkeit der Systeme, Kosten je Arbeitsplatz, Zufriedenheit der Nutzer.",
        "5.2": "Die AG berichtet der Steuerungsgruppe zu Beginn jedes Quartals.",
    }
    return werte, projektbeschreibung, aus("schluessel", "Einwohner")


# --------------------------------------------------------------------------------------------
# Formula rewriting, sheet and column surgery
# --------------------------------------------------------------------------------------------

_FORMELTAGS = (
    "f",
    "formula",
    "formula1",
    "formula2",
    "calculatedColumnFormula",
    "totalsRowFormula",
    "definedName",
    "c:f",
)


def _formeln_umschreiben(paket: Paket, fn: Callable[[str], str]) -> None:
    """Apply `fn` to every formula text in the package; cells turned #REF! cache the error."""
    tags = "|".join(re.escape(t) for t in _FORMELTAGS)
    muster = re.compile(rf"(<({tags})\b[^>]*(?<!/)>)(.*?)(</\2>)", re.S)
    for teil in list(paket.teile):
        if not teil.endswith(".xml") or not teil.startswith("xl/"):
            continue
        alt = paket.text(teil)
        neu = muster.sub(
            lambda m: m.group(1) + escape(fn(_xml_unescape(m.group(3)))) + m.group(4), alt
        )
        if neu == alt:
            continue
        if teil.startswith("xl/worksheets/"):
            neu = _ZELLE.sub(_fehler_cachen, neu)
        paket.setzen(teil, neu)


def _fehler_cachen(m: re.Match[str]) -> str:
    """Cache #REF! for a formula that now contains it.

    Right for most formulas; a guarded one such as IF(ISNUMBER(#REF!),…,0) would really give
    0 after recalculation (the file says fullCalcOnLoad, so Excel and LibreOffice recompute).
    """
    zelle = m.group(0)
    f = re.search(r"<f\b[^>]*>(.*?)</f>", zelle, re.S)
    if f is None or "#REF!" not in f.group(1):
        return zelle
    kopf = _attr_entfernen(_zellkopf(zelle), "t") + ' t="e"'
    return f"{kopf}>{f.group(0)}<v>#REF!</v></c>"


def _blattbezug(name: str) -> str:
    """A sheet name as formulas write it: quoted unless it is a plain identifier."""
    einfach = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name)
    if einfach and not re.fullmatch(r"[A-Za-z]{1,3}\d+", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def _blattmuster(name: str) -> str:
    zitiert = re.escape("'" + name.replace("'", "''") + "'")
    varianten = [zitiert]
    if _blattbezug(name) == name:
        varianten.append(re.escape(name))
    return rf"(?<![\w.'\]])(?:{'|'.join(varianten)})!"


_STRUKTUR_INNEN = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"


def _strukturbezuege(tabelle: str, fn: Callable[[str], str]) -> Callable[[str], str]:
    """A formula rewriter that hands each `tabelle[...]` reference's inner text to `fn`."""
    muster = re.compile(rf"(?<![\w.]){re.escape(tabelle)}({_STRUKTUR_INNEN})")

    def umschreiben(formel: str) -> str:
        def ersetzen(m: re.Match[str]) -> str:
            innen = m.group(1)[1:-1]
            neu = fn(innen)
            return "#REF!" if neu == "#REF!" else f"{tabelle}[{neu}]"

        return muster.sub(ersetzen, formel)

    return umschreiben


def _app_titel(paket: Paket, fn: Callable[[str], str | None]) -> None:
    """Rename (fn returns text) or drop (None) entries of docProps/app.xml's TitlesOfParts."""
    if APP not in paket.teile:
        return
    xml = paket.text(APP)
    paare = re.search(r"<HeadingPairs>(.*?)</HeadingPairs>", xml, re.S)
    titel = re.search(r"<TitlesOfParts>(.*?)</TitlesOfParts>", xml, re.S)
    if paare is None or titel is None:
        return
    kategorien = re.findall(
        r"<vt:variant><vt:lpstr>(.*?)</vt:lpstr></vt:variant><vt:variant><vt:i4>(\d+)</vt:i4>"
        r"</vt:variant>",
        paare.group(1),
        re.S,
    )
    eintraege = [
        _xml_unescape(t) for t in re.findall(r"<vt:lpstr>(.*?)</vt:lpstr>", titel.group(1))
    ]
    neu_kat: list[tuple[str, int]] = []
    neu_eintraege: list[str] = []
    pos = 0
    for kat, anzahl in kategorien:
        teil = [fn(t) for t in eintraege[pos : pos + int(anzahl)]]
        pos += int(anzahl)
        teil = [t for t in teil if t is not None]
        if teil:
            neu_kat.append((kat, len(teil)))
            neu_eintraege.extend(teil)
    paare_xml = (
        f'<HeadingPairs><vt:vector size="{2 * len(neu_kat)}" baseType="variant">'
        + "".join(
            f"<vt:variant><vt:lpstr>{k}</vt:lpstr></vt:variant>"
            f"<vt:variant><vt:i4>{n}</vt:i4></vt:variant>"
            for k, n in neu_kat
        )
        + "</vt:vector></HeadingPairs>"
    )
    titel_xml = (
        f'<TitlesOfParts><vt:vector size="{len(neu_eintraege)}" baseType="lpstr">'
        + "".join(f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in neu_eintraege)
        + "</vt:vector></TitlesOfParts>"
    )
    xml = xml[: paare.start()] + paare_xml + xml[paare.end() :]
    titel = re.search(r"<TitlesOfParts>.*?</TitlesOfParts>", xml, re.S)
    paket.setzen(APP, xml[: titel.start()] + titel_xml + xml[titel.end() :])


def blatt_umbenennen(paket: Paket, alt: str, neu: str) -> None:
    """Rename a sheet everywhere Excel would: sheet list, names, formulas, links, app.xml."""
    wb = paket.text(WB)
    wb = re.sub(
        r"<sheet\b[^>]*/>",
        lambda m: (
            _attr_setzen(m.group(0), "name", neu)
            if _attribute(m.group(0))["name"] == alt
            else m.group(0)
        ),
        wb,
    )
    paket.setzen(WB, wb)
    muster = re.compile(_blattmuster(alt))
    bezug = _blattbezug(neu) + "!"
    _formeln_umschreiben(paket, lambda f: muster.sub(lambda _m: bezug, f))
    for b in _blaetter(paket):
        xml = paket.text(b.pfad)
        neu_xml = re.sub(
            r'(<hyperlink\b[^>]*\blocation=")([^"]*)(")',
            lambda m: (
                m.group(1)
                + _attr_escape(muster.sub(lambda _m: bezug, _xml_unescape(m.group(2))))
                + m.group(3)
            ),
            xml,
        )
        if neu_xml != xml:
            paket.setzen(b.pfad, neu_xml)
    praefixe = (_blattbezug(alt) + "!", "'" + alt.replace("'", "''") + "'!", alt + "!")

    def titel(t: str) -> str:
        if t == alt:
            return neu
        for p in praefixe:
            if t.startswith(p):
                return bezug + t[len(p) :]
        return t

    _app_titel(paket, titel)


def _teilbaum(paket: Paket, start: str) -> set[str]:
    gesehen = {start}
    stapel = [start]
    while stapel:
        for b in _beziehungen(paket, stapel.pop()):
            if not b.extern and b.ziel in paket.teile and b.ziel not in gesehen:
                gesehen.add(b.ziel)
                stapel.append(b.ziel)
    return gesehen


def blatt_entfernen(paket: Paket, name: str) -> None:
    """Delete a sheet as Excel does: its parts, tables, names and references (#REF!)."""
    blaetter = _blaetter(paket)
    blatt = next((b for b in blaetter if b.name == name), None)
    if blatt is None:
        raise KeyError(f"kein Blatt {name!r}")
    tabellen = [t.name for t in _tabellen(paket).values() if t.blatt.name == name]
    i = blatt.index

    wb = paket.text(WB)
    wb = re.sub(
        r"<sheet\b[^>]*/>",
        lambda m: "" if _attribute(m.group(0)).get("r:id") == blatt.rid else m.group(0),
        wb,
    )

    def name_anpassen(m: re.Match[str]) -> str:
        kopf = re.match(r"<definedName\b[^>]*>", m.group(0)).group(0)
        lokal = _attribute(kopf).get("localSheetId")
        if lokal is None:
            return m.group(0)
        if int(lokal) == i:
            return ""
        if int(lokal) > i:
            return m.group(0).replace(kopf, _attr_setzen(kopf, "localSheetId", str(int(lokal) - 1)))
        return m.group(0)

    wb = re.sub(r"<definedName\b[^>]*>.*?</definedName>", name_anpassen, wb, flags=re.S)
    wb = wb.replace("<definedNames></definedNames>", "")

    def ansicht(m: re.Match[str]) -> str:
        tag = m.group(0)
        for attr in ("activeTab", "firstSheet"):
            wert = _attribute(tag).get(attr)
            if wert is not None and int(wert) >= i and int(wert) > 0:
                tag = _attr_setzen(tag, attr, str(int(wert) - 1))
        return tag

    wb = re.sub(r"<workbookView\b[^>]*>", ansicht, wb)
    paket.setzen(WB, wb)
    rels = _rels_pfad(WB)
    paket.setzen(
        rels,
        re.sub(rf'<Relationship\b[^>]*\bId="{re.escape(blatt.rid)}"[^>]*/>', "", paket.text(rels)),
    )

    # the sheet's own parts, unless something that stays still points at them
    eigene = _teilbaum(paket, blatt.pfad)
    fremd = {
        b.ziel
        for teil in paket.teile
        if teil not in eigene and not teil.endswith(".rels")
        for b in _beziehungen(paket, teil)
    }
    weg = {blatt.pfad} | (eigene - fremd)
    if "xl/calcChain.xml" in paket.teile:  # Excel rebuilds it; stale entries make it repair
        weg.add("xl/calcChain.xml")
        paket.setzen(rels, re.sub(r"<Relationship\b[^>]*calcChain[^>]*/>", "", paket.text(rels)))
    for teil in weg:
        paket.entfernen(teil)
        paket.entfernen(_rels_pfad(teil))
        _inhaltstyp_override(paket, teil, None)

    bezug = re.compile(
        _blattmuster(name)
        + r"(?:\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?"
        + r"|\$?\d+:\$?\d+|\$?[A-Z]{1,3}:\$?[A-Z]{1,3})"
    )
    umschreiber = [_strukturbezuege(t, lambda _innen: "#REF!") for t in tabellen]

    def formel(f: str) -> str:
        f = bezug.sub("#REF!", f)
        for u in umschreiber:
            f = u(f)
        return f

    _formeln_umschreiben(paket, formel)
    praefixe = (_blattbezug(name) + "!", name + "!")
    _app_titel(paket, lambda t: None if t == name or t.startswith(praefixe) else t)


def spalte_umbenennen(paket: Paket, tabelle: str, alt: str, neu: str) -> None:
    """Rename a table column: header cell, tableColumn and structured references."""
    mappe = Mappe(paket)
    tab = mappe.tabelle(tabelle)
    mappe.setzen(tab.blatt.name, _bezug(tab.kopfzeile, tab.spalte(alt)), neu)
    mappe.fertig()
    xml = paket.text(tab.pfad)
    xml = re.sub(
        r"<tableColumn\b[^>]*>",
        lambda m: (
            _attr_setzen(m.group(0), "name", neu)
            if _attribute(m.group(0)).get("name") == alt
            else m.group(0)
        ),
        xml,
    )
    paket.setzen(tab.pfad, xml)

    def innen(text: str) -> str:
        if "[" not in text:
            return {alt: neu, "@" + alt: "@" + neu}.get(text, text)
        return text.replace(f"[{alt}]", f"[{neu}]")

    _formeln_umschreiben(paket, _strukturbezuege(tabelle, innen))


def _bereich_ohne_spalte(bereiche: str, c: int) -> str:
    """A space-separated list of ranges after column c (0-based) was deleted."""
    ergebnis = []
    for teil in bereiche.split():
        z1, s1, z2, s2 = _bereich(teil)
        if s1 == s2 == c:
            continue
        if s1 > c:
            s1 -= 1
        if s2 >= c:
            s2 -= 1
        a, b = _bezug(z1, s1), _bezug(z2, s2)
        ergebnis.append(a if a == b and ":" not in teil else f"{a}:{b}")
    return " ".join(ergebnis)


def spalte_entfernen(paket: Paket, tabelle: str, kopf: str) -> None:
    """Delete a table column as Excel does: cells shift left, references become #REF!.

    Structured references are rewritten; A1 references into the sheet from elsewhere are not
    (the generated workbook has none: every cross-sheet formula uses table names).
    """
    tabellen = _tabellen(paket)
    tab = tabellen[tabelle]
    c = tab.spalte(kopf)

    xml = paket.text(tab.pfad)
    xml = re.sub(
        r"<tableColumn\b[^>]*?(?:/>|>.*?</tableColumn>)",
        lambda m: (
            ""
            if _attribute(re.match(r"<tableColumn\b[^>]*>", m.group(0)).group(0)).get("name")
            == kopf
            else m.group(0)
        ),
        xml,
        flags=re.S,
    )
    xml = re.sub(
        r'(<tableColumns count=")(\d+)(")',
        lambda m: f"{m.group(1)}{int(m.group(2)) - 1}{m.group(3)}",
        xml,
    )
    paket.setzen(tab.pfad, xml)
    for andere in tabellen.values():  # this table shrinks, tables to the right move left
        if andere.blatt.name != tab.blatt.name:
            continue
        txml = paket.text(andere.pfad)
        txml = re.sub(
            r'(<(?:table|autoFilter)\b[^>]*\bref=")([^"]+)(")',
            lambda m: m.group(1) + _bereich_ohne_spalte(m.group(2), c) + m.group(3),
            txml,
        )
        paket.setzen(andere.pfad, txml)

    s = paket.text(tab.blatt.pfad)

    def zelle(m: re.Match[str]) -> str:
        text = m.group(0)
        kopf_tag = _zellkopf(text)
        zeile, spalte = _zerlegen(_attribute(kopf_tag)["r"])
        if spalte == c:
            return ""
        if spalte > c:
            return _attr_setzen(kopf_tag, "r", _bezug(zeile, spalte - 1)) + text[len(kopf_tag) :]
        return text

    s = _ZELLE.sub(zelle, s)

    def spans(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        return f'spans="{a}:{max(a, b - 1) if b > c else b}"'

    s = re.sub(r'spans="(\d+):(\d+)"', spans, s)
    for attr, tag in (
        ("ref", "dimension"),
        ("ref", "mergeCell"),
        ("sqref", "dataValidation"),
        ("sqref", "conditionalFormatting"),
        ("ref", "hyperlink"),
    ):

        def bereich(m: re.Match[str]) -> str:
            neu = _bereich_ohne_spalte(m.group(2), c)
            return m.group(1) + (neu or "\0") + m.group(3)

        s = re.sub(rf'(<{tag}\b[^>]*\b{attr}=")([^"]+)(")', bereich, s)
    # drop the elements whose whole range was the deleted column
    s = re.sub(r"<dataValidation\b[^>]*\0.*?</dataValidation>", "", s, flags=re.S)
    s = re.sub(r"<conditionalFormatting\b[^>]*\0.*?</conditionalFormatting>", "", s, flags=re.S)
    s = re.sub(r"<(?:mergeCell|hyperlink)\b[^>]*\0[^>]*/>", "", s)
    for liste, element in (("dataValidations", "dataValidation"), ("mergeCells", "mergeCell")):
        m = re.search(rf"<{liste} count=\"\d+\">(.*?)</{liste}>", s, re.S)
        if m:
            n = len(re.findall(rf"<{element}\b", m.group(1)))
            ersatz = f'<{liste} count="{n}">{m.group(1)}</{liste}>' if n else ""
            s = s[: m.start()] + ersatz + s[m.end() :]

    def spaltenbreite(m: re.Match[str]) -> str:
        tag = m.group(0)
        a = _attribute(tag)
        lo, hi = int(a["min"]) - 1, int(a["max"]) - 1
        if lo == hi == c:
            return ""
        if lo > c:
            lo -= 1
        if hi >= c:
            hi -= 1
        return _attr_setzen(_attr_setzen(tag, "min", str(lo + 1)), "max", str(hi + 1))

    s = re.sub(r"<col\b[^>]*/>", spaltenbreite, s)
    paket.setzen(tab.blatt.pfad, s)

    def innen(text: str) -> str:
        if text in (kopf, "@" + kopf) or f"[{kopf}]" in text:
            return "#REF!"
        return text

    _formeln_umschreiben(paket, _strukturbezuege(tabelle, innen))


def korrekturhinweise(pfad: Path) -> list[str]:
    """Every text on the sheet Korrekturhinweise of a Korrektur copy, as the AG reads it."""
    import openpyxl

    from ikz_excel import definition

    blatt = openpyxl.load_workbook(pfad)[definition.KORREKTURBLATT]
    return [str(c.value) for zeile in blatt.iter_rows() for c in zeile if c.value]


def ikz_setzen(paket: Paket, schluessel: str, wert: str) -> None:
    """Change one value of the veryHidden `_ikz` sheet (column A key, column B value)."""
    mappe = Mappe(paket)
    for r in range(1, 200):
        if mappe.lesen("_ikz", f"A{r}") == schluessel:
            mappe.setzen("_ikz", f"B{r}", wert)
            mappe.fertig()
            return
    raise KeyError(f"_ikz hat keinen Schlüssel {schluessel!r}")


# --------------------------------------------------------------------------------------------
# OLE compound files (xls, Thumbs.db, vbaProject.bin, encrypted packages)
# --------------------------------------------------------------------------------------------

_FREI, _ENDE, _FATSEKTOR, _KEIN = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _OleEintrag:
    name: str
    typ: int  # 1 storage, 2 stream, 5 root
    daten: bytes = b""
    kinder: dict[str, _OleEintrag] | None = None
    nummer: int = 0
    start: int = _ENDE
    links: int = _KEIN
    rechts: int = _KEIN
    kind: int = _KEIN
    farbe: int = 1


def ole_schreiben(stroeme: Mapping[str, bytes], wurzel_clsid: bytes = bytes(16)) -> bytes:
    """A compound file (version 3) with the given streams; "VBA/dir" makes storage "VBA".

    Small streams go into the mini stream as the format demands; sibling trees are balanced
    red-black trees in the format's name order, so strict readers find every entry.
    """
    wurzel = _OleEintrag("Root Entry", 5, kinder={})
    for pfad, daten in stroeme.items():
        knoten = wurzel
        *ordner, name = pfad.split("/")
        for teil in ordner:
            assert knoten.kinder is not None
            knoten = knoten.kinder.setdefault(teil, _OleEintrag(teil, 1, kinder={}))
        assert knoten.kinder is not None
        knoten.kinder[name] = _OleEintrag(name, 2, daten)

    eintraege = [wurzel]
    warte = [wurzel]
    while warte:
        knoten = warte.pop(0)
        for kind in (knoten.kinder or {}).values():
            kind.nummer = len(eintraege)
            eintraege.append(kind)
            warte.append(kind)

    def baum(knoten: _OleEintrag) -> None:
        kinder = sorted((knoten.kinder or {}).values(), key=lambda e: (len(e.name), e.name.upper()))
        tiefe_max = math.floor(math.log2(len(kinder))) if kinder else 0
        voll = len(kinder) == 2 ** (tiefe_max + 1) - 1

        def bauen(teil: list[_OleEintrag], tiefe: int) -> int:
            if not teil:
                return _KEIN
            mitte = len(teil) // 2
            e = teil[mitte]
            e.farbe = 0 if (tiefe == tiefe_max and not voll and tiefe > 0) else 1
            e.links = bauen(teil[:mitte], tiefe + 1)
            e.rechts = bauen(teil[mitte + 1 :], tiefe + 1)
            return e.nummer

        knoten.kind = bauen(kinder, 0)
        for kind in kinder:
            if kind.typ == 1:
                baum(kind)

    baum(wurzel)

    mini = bytearray()
    minifat: list[int] = []
    gross = []
    for e in eintraege:
        if e.typ != 2 or not e.daten:
            continue
        if len(e.daten) < 4096:
            n = -(-len(e.daten) // 64)
            e.start = len(minifat)
            minifat.extend(range(e.start + 1, e.start + n))
            minifat.append(_ENDE)
            mini += e.daten.ljust(n * 64, b"\0")
        else:
            gross.append(e)
    n_dir = -(-len(eintraege) // 4)
    n_minifat = -(-len(minifat) * 4 // 512)
    n_mini = -(-len(mini) // 512)
    n_gross = sum(-(-len(e.daten) // 512) for e in gross)
    n_daten = n_dir + n_minifat + n_mini + n_gross
    n_fat = 1
    while n_fat * 128 < n_fat + n_daten:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("zu groß für eine Compound-Datei ohne DIFAT")
    fat = [_FREI] * (n_fat * 128)
    for k in range(n_fat):
        fat[k] = _FATSEKTOR
    naechster = n_fat

    def kette(n: int) -> int:
        nonlocal naechster
        if n == 0:
            return _ENDE
        start = naechster
        for k in range(start, start + n - 1):
            fat[k] = k + 1
        fat[start + n - 1] = _ENDE
        naechster += n
        return start

    erster_dir = kette(n_dir)
    erster_minifat = kette(n_minifat)
    wurzel.start = kette(n_mini)
    for e in gross:
        e.start = kette(-(-len(e.daten) // 512))

    def eintrag_bytes(e: _OleEintrag) -> bytes:
        name = e.name.encode("utf-16-le") + b"\0\0"
        groesse = len(mini) if e.typ == 5 else len(e.daten)
        clsid = wurzel_clsid if e.typ == 5 else bytes(16)
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            e.typ,
            e.farbe,
            e.links,
            e.rechts,
            e.kind,
            clsid,
            0,
            0,
            0,
            e.start if (e.typ == 5 or e.daten) else _ENDE,
            groesse,
        )

    leer = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _KEIN, _KEIN, _KEIN, bytes(16), 0, 0, 0, 0, 0
    )
    verzeichnis = b"".join(eintrag_bytes(e) for e in eintraege)
    verzeichnis += leer * (n_dir * 4 - len(eintraege))
    difat = list(range(n_fat)) + [_FREI] * (109 - n_fat)
    kopf = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        n_fat,
        erster_dir,
        0,
        4096,
        erster_minifat if n_minifat else _ENDE,
        n_minifat,
        _ENDE,
        0,
    ) + struct.pack("<109I", *difat)

    def sektoren(daten: bytes) -> bytes:
        return daten.ljust(-(-len(daten) // 512) * 512, b"\0")

    teile = [
        kopf,
        struct.pack(f"<{len(fat)}I", *fat),
        verzeichnis,
        sektoren(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else b"",
        sektoren(bytes(mini)),
    ]
    teile += [sektoren(e.daten) for e in gross]
    return b"".join(teile)


def _biff(typ: int, daten: bytes) -> bytes:
    return struct.pack("<HH", typ, len(daten)) + daten


def _xls_bytes(blaetter: Sequence[tuple[str, str, list[list[Any]]]]) -> bytes:
    """A BIFF8 Workbook stream: every sheet's values (texts and numbers), no formatting.

    What "Speichern unter: Excel 97-2003" leaves of a return, as far as a reader sees it.
    """

    def bof(art: int) -> bytes:
        return _biff(0x0809, struct.pack("<HHHHII", 0x0600, art, 0x0DBB, 0x07CC, 0x41, 0x06))

    zustand = {"visible": 0, "hidden": 1, "veryHidden": 2}
    bereiche = []
    for _name, _zustand, raster in blaetter:
        saetze = [bof(0x10)]
        zeilen = len(raster)
        spalten = max((len(z) for z in raster), default=0)
        saetze.append(_biff(0x0200, struct.pack("<IIHHH", 0, zeilen, 0, spalten, 0)))
        for r, zeile in enumerate(raster[:65535]):
            for c, wert in enumerate(zeile[:255]):
                if isinstance(wert, bool) or wert in ("", None):
                    continue
                if isinstance(wert, (int, float)):
                    saetze.append(_biff(0x0203, struct.pack("<HHHd", r, c, 0x0F, float(wert))))
                else:
                    text = str(wert)[:255]
                    saetze.append(
                        _biff(
                            0x0204,
                            struct.pack("<HHHH", r, c, 0x0F, len(text))
                            + b"\x01"
                            + text.encode("utf-16-le"),
                        )
                    )
        saetze.append(_biff(0x000A, b""))
        bereiche.append(b"".join(saetze))

    def boundsheet(pos: int, name: str, z: str) -> bytes:
        return _biff(
            0x0085,
            struct.pack("<IBB", pos, zustand.get(z, 0), 0)
            + bytes([len(name), 1])
            + name.encode("utf-16-le"),
        )

    kopf = bof(0x05) + _biff(0x0042, struct.pack("<H", 1200))
    laenge = len(kopf) + sum(len(boundsheet(0, n, z)) for n, z, _ in blaetter) + 4
    global_teil = kopf
    pos = laenge
    for (name, z, _), bereich in zip(blaetter, bereiche, strict=True):
        global_teil += boundsheet(pos, name, z)
        pos += len(bereich)
    global_teil += _biff(0x000A, b"")
    return global_teil + b"".join(bereiche)


def _ovba_komprimieren(daten: bytes) -> bytes:
    """MS-OVBA compression with literal tokens only: valid, if not small."""
    aus = bytearray(b"\x01")
    for i in range(0, max(len(daten), 1), 3640):
        stueck = daten[i : i + 3640]
        inhalt = b"".join(b"\x00" + stueck[k : k + 8] for k in range(0, len(stueck), 8))
        aus += struct.pack("<H", (len(inhalt) + 2 - 3) | 0x3000 | 0x8000) + inhalt
    return bytes(aus)


def _vba_projekt() -> bytes:
    """A vbaProject.bin with one standard module `Modul1` holding an Auto_Open macro."""

    def satz(kennung: int, daten: bytes = b"") -> bytes:
        return struct.pack("<HI", kennung, len(daten)) + daten

    modul = "Modul1"
    quelle = (
        f'Attribute VB_Name = "{modul}"\r\n'
        "Sub Auto_Open()\r\n"
        '    MsgBox "Diese Arbeitsmappe enthält ein Makro."\r\n'
        "End Sub\r\n"
    ).encode("cp1252")
    verzeichnis = b"".join(
        [
            satz(0x0001, struct.pack("<I", 1)),
            satz(0x0002, struct.pack("<I", 0x0409)),
            satz(0x0014, struct.pack("<I", 0x0409)),
            satz(0x0003, struct.pack("<H", 1252)),
            satz(0x0004, b"VBAProject"),
            satz(0x0005),
            satz(0x0040),
            satz(0x0006),
            satz(0x003D),
            satz(0x0007, struct.pack("<I", 0)),
            satz(0x0008, struct.pack("<I", 0)),
            struct.pack("<HIIH", 0x0009, 4, 1, 0),
            satz(0x000C),
            satz(0x003C),
            satz(0x000F, struct.pack("<H", 1)),
            satz(0x0013, struct.pack("<H", 0xFFFF)),
            satz(0x0019, modul.encode()),
            satz(0x0047, modul.encode("utf-16-le")),
            satz(0x001A, modul.encode()),
            satz(0x0032, modul.encode("utf-16-le")),
            satz(0x001C),
            satz(0x0048),
            satz(0x0031, struct.pack("<I", 0)),
            satz(0x001E, struct.pack("<I", 0)),
            satz(0x002C, struct.pack("<H", 0xFFFF)),
            satz(0x0021),
            satz(0x002B),
            satz(0x0010),
        ]
    )
    projekt = (
        'ID="{5D5E1A7C-1B2F-4C52-9A0E-3E6B2F6C1D11}"\r\n'
        f"Module={modul}\r\n"
        'Name="VBAProject"\r\n'
        'HelpContextID="0"\r\n'
        'VersionCompatible32="393222000"\r\n'
        "\r\n[Host Extender Info]\r\n"
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n"
        f"\r\n[Workspace]\r\n{modul}=0, 0, 0, 0, C\r\n"
    ).encode("cp1252")
    return ole_schreiben(
        {
            "VBA/dir": _ovba_komprimieren(verzeichnis),
            "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
            f"VBA/{modul}": _ovba_komprimieren(quelle),
            "PROJECT": projekt,
            "PROJECTwm": modul.encode() + b"\0" + modul.encode("utf-16-le") + b"\0\0\0\0",
        }
    )


def _verschluesseln(quelle: Path, ziel: Path) -> Path:
    """Encrypt with the password `PASSWORT` (Agile encryption, as Excel 2010+ does)."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:  # without msoffcrypto-tool: the container only, not decryptable
        info = (
            struct.pack("<HHI", 4, 4, 0x40)
            + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'
        )
        inhalt = quelle.read_bytes()
        paket = struct.pack("<Q", len(inhalt)) + os.urandom(-(-len(inhalt) // 16) * 16)
        ziel.write_bytes(ole_schreiben({"EncryptionInfo": info, "EncryptedPackage": paket}))
        return ziel
    with quelle.open("rb") as ein, ziel.open("wb") as aus:
        OOXMLFile(ein).encrypt(PASSWORT, aus)
    return ziel


# --------------------------------------------------------------------------------------------
# Raw zip writing for the bomb, ODS
# --------------------------------------------------------------------------------------------


def _zip_eintraege_schreiben(
    ziel: Path, eintraege: Iterable[tuple[str, Callable[[], Iterable[bytes]], int, int, int]]
) -> None:
    """A zip from (name, compressed chunks, crc, compressed size, size) without zip64."""
    zentral = []
    with ziel.open("wb") as f:
        for name, stuecke, crc, komprimiert, groesse in eintraege:
            kodiert = name.encode()
            pos = f.tell()
            f.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0x0800,
                    8,
                    0,
                    0x21,
                    crc,
                    komprimiert,
                    groesse,
                    len(kodiert),
                    0,
                )
                + kodiert
            )
            for stueck in stuecke():
                f.write(stueck)
            zentral.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0x0800,
                    8,
                    0,
                    0x21,
                    crc,
                    komprimiert,
                    groesse,
                    len(kodiert),
                    0,
                    0,
                    0,
                    0,
                    0,
                    pos,
                )
                + kodiert
            )
        anfang = f.tell()
        for z in zentral:
            f.write(z)
        f.write(
            struct.pack(
                "<IHHHHIIH",
                0x06054B50,
                0,
                0,
                len(zentral),
                len(zentral),
                f.tell() - anfang,
                anfang,
                0,
            )
        )


def _zipbombe(vorlage: Path, ziel: Path, nutzlast: int = ZIPBOMBE_BYTES) -> Path:
    """The workbook with `nutzlast` spaces inside one sheet's <sheetData>: > 1 GB inflated.

    A deflate stream flushed with Z_FULL_FLUSH starts afresh, so 1 MiB of spaces compresses to
    the same bytes every time: compress one block, write it n times. Nothing of the size ever
    sits in memory, and building takes well under a second.
    """
    paket = Paket.lesen(vorlage)
    pfad = next(b.pfad for b in _blaetter(paket) if b.name == ZIPBOMBE_BLATT)
    block = 2**20
    n = -(-nutzlast // block)
    eintraege = []
    for name, inhalt in paket.teile.items():
        if name != pfad:
            roh = zlib.compressobj(6, zlib.DEFLATED, -15)
            k = roh.compress(inhalt) + roh.flush()
            eintraege.append((name, lambda k=k: [k], zlib.crc32(inhalt), len(k), len(inhalt)))
            continue
        text = inhalt
        schnitt = text.index(b"<sheetData>") + len(b"<sheetData>")
        vorn, hinten = text[:schnitt], text[schnitt:]
        roh = zlib.compressobj(9, zlib.DEFLATED, -15)
        k_vorn = roh.compress(vorn) + roh.flush(zlib.Z_FULL_FLUSH)
        leer = b" " * block
        k_block = roh.compress(leer) + roh.flush(zlib.Z_FULL_FLUSH)
        k_hinten = roh.compress(hinten) + roh.flush()
        crc = zlib.crc32(vorn)
        for _ in range(n):
            crc = zlib.crc32(leer, crc)
        crc = zlib.crc32(hinten, crc)

        def stuecke(a: bytes = k_vorn, b: bytes = k_block, c: bytes = k_hinten) -> Iterable[bytes]:
            yield a
            for _ in range(n):
                yield b
            yield c

        eintraege.append(
            (
                name,
                stuecke,
                crc,
                len(k_vorn) + n * len(k_block) + len(k_hinten),
                len(vorn) + n * block + len(hinten),
            )
        )
    _zip_eintraege_schreiben(ziel, eintraege)
    return ziel


def _blattdaten(pfad: Path) -> list[tuple[str, str, list[list[Any]]]]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        zustand = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
        return [
            (
                m.name,
                zustand.get(str(m.visible).rsplit(".", 1)[-1], "visible"),
                mappe.get_sheet_by_name(m.name).to_python(skip_empty_area=False),
            )
            for m in mappe.sheets_metadata
        ]


def _ods_bytes(blaetter: Sequence[tuple[str, str, list[list[Any]]]]) -> bytes:
    """A minimal but valid OpenDocument spreadsheet with the sheets' values."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"'
    )

    def zelle(wert: Any) -> str:
        if wert in ("", None):
            return "<table:table-cell/>"
        if isinstance(wert, bool):
            return (
                f'<table:table-cell office:value-type="boolean" '
                f'office:boolean-value="{str(wert).lower()}"><text:p>{wert}</text:p>'
                "</table:table-cell>"
            )
        if isinstance(wert, (int, float)):
            return (
                f'<table:table-cell office:value-type="float" office:value="{wert!r}">'
                f"<text:p>{wert}</text:p></table:table-cell>"
            )
        if isinstance(wert, (date, datetime)):
            return (
                f'<table:table-cell office:value-type="date" '
                f'office:date-value="{wert.isoformat()}"><text:p>{wert.isoformat()}</text:p>'
                "</table:table-cell>"
            )
        absaetze = "".join(f"<text:p>{escape(z)}</text:p>" for z in str(wert).split("\n"))
        return f'<table:table-cell office:value-type="string">{absaetze}</table:table-cell>'

    tabellen = []
    for name, zustand, raster in blaetter:
        stil = "ta1" if zustand == "visible" else "ta2"
        zeilen = (
            "".join(
                "<table:table-row>" + "".join(zelle(w) for w in z) + "</table:table-row>"
                for z in raster
            )
            or "<table:table-row><table:table-cell/></table:table-row>"
        )
        tabellen.append(
            f'<table:table table:name="{_attr_escape(name)}" '
            f'table:style-name="{stil}"><table:table-column/>{zeilen}</table:table>'
        )
    inhalt = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns}>'
        "<office:automatic-styles>"
        '<style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        + "".join(tabellen)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    stile = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns}/>'
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ns}><office:meta>'
        "<meta:generator>ikz_excel tests/korpus.py</meta:generator></office:meta>"
        "</office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{t}" manifest:media-type="text/xml"/>'
            for t in ("content.xml", "styles.xml", "meta.xml")
        )
        + "</manifest:manifest>"
    )
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        for name, text in (
            ("content.xml", inhalt),
            ("styles.xml", stile),
            ("meta.xml", meta),
            ("META-INF/manifest.xml", manifest),
        ):
            zf.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return puffer.getvalue()


def ods_mit_libreoffice(quelle: Path, ziel: Path, zeitlimit: float = 180) -> Path:
    """Convert with LibreOffice headless, in a profile of its own, checking the result exists."""
    from libreoffice import soffice_pfad, soffice_umwandeln

    if soffice_pfad() is None:
        raise FileNotFoundError("LibreOffice (soffice) ist nicht installiert")
    with tempfile.TemporaryDirectory(prefix="korpus-lo-") as tmp:
        profil, aus = Path(tmp, "profil"), Path(tmp, "aus")
        aus.mkdir()
        kopie = Path(tmp, "eingabe" + quelle.suffix)
        shutil.copyfile(quelle, kopie)
        rueckgabe, ausgabe, fehler = soffice_umwandeln(profil, "ods", aus, [kopie], zeitlimit)
        if rueckgabe is None:
            raise subprocess.TimeoutExpired("soffice", zeitlimit)
        ergebnis = aus / "eingabe.ods"
        if not ergebnis.exists():
            raise RuntimeError(f"LibreOffice hat nichts erzeugt: {ausgabe!r} {fehler!r}")
        ziel.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(ergebnis, ziel)
    return ziel


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


def _deutsch(wert: Any) -> str:
    if isinstance(wert, float):
        return f"{wert:.12g}".replace(".", ",")
    return str(wert)


def _makro(vorlage: Path, ziel: Path) -> Path:
    paket = Paket.lesen(vorlage)
    paket.setzen("xl/vbaProject.bin", _vba_projekt())
    ct = paket.text(CT).replace(_CT_XLSX, _CT_XLSM)
    if 'Extension="bin"' not in ct:
        ct = ct.replace(
            "<Override ",
            '<Default Extension="bin" '
            'ContentType="application/vnd.ms-office.vbaProject"/><Override ',
            1,
        )
    paket.setzen(CT, ct)
    _beziehung_hinzufuegen(
        paket,
        WB,
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "vbaProject.bin",
    )
    return paket.schreiben(ziel)


def _entitaeten(vorlage: Path, ziel: Path) -> Path:
    """Billion laughs in workbook.xml, an external entity (file:///etc/passwd) in `_ikz`."""
    paket = Paket.lesen(vorlage)
    lachen = "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    dtd = f'<!DOCTYPE workbook [\n<!ENTITY lol "lol">\n{lachen}]>\n'
    wb = paket.text(WB)
    ende = wb.index("?>") + 2
    wb = wb[:ende] + "\n" + dtd + wb[ende:].lstrip("\n")
    wb = wb.replace(
        "</definedNames>", '<definedName name="Lachen">"&lol9;"</definedName></definedNames>'
    )
    paket.setzen(WB, wb)
    ikz = next(b.pfad for b in _blaetter(paket) if b.name == "_ikz")
    xml = paket.text(ikz)
    ende = xml.index("?>") + 2
    xml = (
        xml[:ende]
        + '\n<!DOCTYPE worksheet [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        + xml[ende:].lstrip("\n")
    )
    xml = _zelle_ersetzen(
        xml, "B1", lambda _alt: '<c r="B1" t="inlineStr"><is><t>&xxe;</t></is></c>'
    )
    paket.setzen(ikz, xml)
    return paket.schreiben(ziel)


def _uebergross(vorlage: Path, ziel: Path, groesse_mb: int) -> Path:
    """A valid workbook above `groesse_mb` MiB: a stored custom XML part full of base64."""
    paket = Paket.lesen(vorlage)
    teil = "customXml/item1.xml"
    _beziehung_hinzufuegen(paket, WB, f"{_REL_BASIS}/customXml", "../customXml/item1.xml")
    paket.schreiben(ziel)
    ziel_bytes = groesse_mb * 2**20 + 2**20
    with zipfile.ZipFile(ziel, "a") as zf:
        info = zipfile.ZipInfo(teil, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        with zf.open(info, "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<ballast xmlns="urn:ikz:ballast">')
            geschrieben = 0
            while geschrieben < ziel_bytes:
                stueck = base64.b64encode(os.urandom(3 * 2**20))
                f.write(stueck)
                geschrieben += len(stueck)
            f.write(b"</ballast>")
    return ziel


def _excel_sperrdatei(benutzer: str = "Sachbearbeitung") -> bytes:
    """Excel's owner file: user name as ANSI (length byte first), then as UTF-16; 165 bytes."""
    ansi = bytes([len(benutzer)]) + benutzer.encode("cp1252")
    ansi = ansi.ljust(54, b" ")
    unicode = bytes([len(benutzer), 0]) + benutzer.encode("utf-16-le")
    return (ansi + unicode).ljust(165, b" ")[:165]


def korpus_erzeugen(
    ordner: Path,
    vorlage: Path,
    groesse_mb: int = 60,
    arten: Iterable[str] | None = None,
    libreoffice: bool = False,
) -> dict[str, Path]:
    """Build the corpus (all kinds of `ARTEN`, or a selection) and return kind -> file.

    Each kind lies alone in `ordner/<kind>/`, under the name a clerk's program would give it
    (the generated name, `.xlsm`, `~$…`, `.~lock.…#`, `Thumbs.db`, `.DS_Store`). `groesse_mb`
    is the threshold `uebergross` must exceed. `xls`, `ods` and `csv` carry the values of the
    filled return (`ausgefuellt`), as if a clerk had saved it in that format; `libreoffice=True`
    converts it with LibreOffice instead of writing a minimal ODS itself.
    """
    ordner, vorlage = Path(ordner), Path(vorlage)
    gewaehlt = list(ARTEN if arten is None else arten)
    unbekannt = set(gewaehlt) - set(ARTEN)
    if unbekannt:
        raise KeyError(f"unbekannte Arten: {sorted(unbekannt)}")
    name = vorlage.name
    ergebnis: dict[str, Path] = {}

    def ziel(art: str, dateiname: str = name) -> Path:
        pfad = ordner / art / dateiname
        pfad.parent.mkdir(parents=True, exist_ok=True)
        return pfad

    werte, projektbeschreibung, schluessel = ausgefuellte_werte(vorlage)
    gefuellt: Path | None = None

    def ausgefuellt() -> Path:
        nonlocal gefuellt
        if gefuellt is None:
            gefuellt = ausfuellen(
                vorlage, ziel("ausgefuellt"), werte, projektbeschreibung, schluessel
            )
        return gefuellt

    def text_in_zahl() -> Path:
        zeilen = [dict(z) for z in werte["tbl_Ressourcen"]]
        zeilen[0].update(
            {
                "Menge": "zwei",
                "Kostensatz": "1.234,50 €",
                "Kostenart": werte["tbl_Ressourcen"][0]["Kostenart"],
                "ab Jahr": 1,
            }
        )
        return ausfuellen(
            vorlage,
            ziel("text_in_zahl"),
            {**werte, "tbl_Ressourcen": zeilen},
            projektbeschreibung,
            schluessel,
        )

    def kein_excel() -> Path:
        pfad = ziel("kein_excel")
        pfad.write_text(
            "Sehr geehrte Damen und Herren,\n\nanbei die Rückmeldung unserer Arbeitsgruppe.\n"
            "Die Tabelle folgt per Post.\n\nMit freundlichen Grüßen\n",
            encoding="utf-8",
        )
        return pfad

    def leer() -> Path:
        pfad = ziel("leer")
        pfad.write_bytes(b"")
        return pfad

    def xls() -> Path:
        pfad = ziel("xls", vorlage.stem + ".xls")
        workbook = _xls_bytes(_blattdaten(ausgefuellt()))
        clsid = bytes.fromhex("2008020000000000C000000000000046")  # {00020820-…} Excel
        pfad.write_bytes(ole_schreiben({"Workbook": workbook}, clsid))
        return pfad

    def ods() -> Path:
        pfad = ziel("ods", vorlage.stem + ".ods")
        if libreoffice:
            return ods_mit_libreoffice(ausgefuellt(), pfad)
        pfad.write_bytes(_ods_bytes(_blattdaten(ausgefuellt())))
        return pfad

    def csv_() -> Path:
        pfad = ziel("csv", vorlage.stem + ".csv")
        raster = _raster(ausgefuellt(), "Ressourcen")
        puffer = io.StringIO()
        schreiber = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
        for zeile in raster:
            schreiber.writerow([_deutsch(w) for w in zeile])
        pfad.write_bytes(puffer.getvalue().encode("cp1252", errors="replace"))
        return pfad

    def passwort() -> Path:
        return _verschluesseln(vorlage, ziel("passwort"))

    def outlook_mail() -> Path:
        """The whole mail dragged from Outlook into the folder: its return is an attachment."""
        pfad = ziel("outlook_mail", "AW Rücklauf AG-01.msg")
        stroeme = {
            "__substg1.0_0037001F": "AW: Rücklauf AG-01".encode("utf-16-le"),
            "__properties_version1.0": bytes(32),
        }
        pfad.write_bytes(ole_schreiben(stroeme))
        return pfad

    def word_alt() -> Path:
        pfad = ziel("word_alt", "Anschreiben.doc")
        pfad.write_bytes(ole_schreiben({"WordDocument": bytes(512), "1Table": bytes(64)}))
        return pfad

    def xlsb() -> Path:
        """Excel's binary workbook: a zip like .xlsx, but its parts are .bin, not XML."""
        pfad = ziel("xlsb", vorlage.stem + ".xlsb")
        with zipfile.ZipFile(pfad, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.bin", bytes(64))
            z.writestr("xl/worksheets/sheet1.bin", bytes(64))
        return pfad

    def makrotyp_ohne_makros() -> Path:
        """LibreOffice "Excel 2007-365 mit Makros": the macro type, but no macro in it."""
        paket = Paket.lesen(ausgefuellt())
        paket.setzen(CT, paket.text(CT).replace(_CT_XLSX, _CT_XLSM))
        return paket.schreiben(ziel("makrotyp_ohne_makros", vorlage.stem + ".xlsm"))

    def kaputt() -> Path:
        pfad = ziel("kaputt")
        inhalt = vorlage.read_bytes()
        pfad.write_bytes(inhalt[: len(inhalt) * 60 // 100])
        return pfad

    def bearbeiten(art: str, schritt: Callable[[Paket], None]) -> Path:
        paket = Paket.lesen(vorlage)
        schritt(paket)
        return paket.schreiben(ziel(art))

    def sperrdatei_excel() -> Path:
        pfad = ziel("sperrdatei_excel", "~$" + name)
        pfad.write_bytes(_excel_sperrdatei())
        return pfad

    def sperrdatei_libreoffice() -> Path:
        pfad = ziel("sperrdatei_libreoffice", f".~lock.{name}#")
        pfad.write_text(
            "Erika Mustermann,mustermann,RATHAUS-PC17,25.11.2012 09:12,"
            "file:///C:/Users/mustermann/AppData/Roaming/LibreOffice/4;\n",
            encoding="utf-8",
        )
        return pfad

    def thumbs() -> Path:
        pfad = ziel("thumbs", "Thumbs.db")
        katalog = struct.pack("<HHI", 16, 7, 1) + bytes(8)
        pfad.write_bytes(ole_schreiben({"Catalog": katalog, "1": b"\xff\xd8\xff\xe0" + bytes(60)}))
        return pfad

    def ds_store() -> Path:
        pfad = ziel("ds_store", ".DS_Store")
        kopf = b"\x00\x00\x00\x01Bud1" + struct.pack(">III", 0x1000, 0x800, 0x1000)
        pfad.write_bytes(kopf.ljust(6148, b"\x00"))
        return pfad

    bauplan: dict[str, Callable[[], Path]] = {
        "ausgefuellt": ausgefuellt,
        "text_in_zahl": text_in_zahl,
        "kein_excel": kein_excel,
        "leer": leer,
        "xls": xls,
        "ods": ods,
        "csv": csv_,
        "passwort": passwort,
        "kaputt": kaputt,
        "zipbombe": lambda: _zipbombe(vorlage, ziel("zipbombe")),
        "xml_entitaeten": lambda: _entitaeten(vorlage, ziel("xml_entitaeten")),
        "makro": lambda: _makro(vorlage, ziel("makro", vorlage.stem + ".xlsm")),
        "makrotyp_ohne_makros": makrotyp_ohne_makros,
        "outlook_mail": outlook_mail,
        "word_alt": word_alt,
        "xlsb": xlsb,
        "sperrdatei_excel": sperrdatei_excel,
        "sperrdatei_libreoffice": sperrdatei_libreoffice,
        "thumbs": thumbs,
        "ds_store": ds_store,
        "blatt_umbenannt": lambda: bearbeiten(
            "blatt_umbenannt", lambda p: blatt_umbenennen(p, "Ressourcen", "Ressourcen alt")
        ),
        "blatt_geloescht": lambda: bearbeiten(
            "blatt_geloescht", lambda p: blatt_entfernen(p, "Risiken")
        ),
        "spalte_umbenannt": lambda: bearbeiten(
            "spalte_umbenannt",
            lambda p: spalte_umbenennen(p, "tbl_Ressourcen", "Menge", "Anzahl"),
        ),
        "spalte_geloescht": lambda: bearbeiten(
            "spalte_geloescht", lambda p: spalte_entfernen(p, "tbl_Ressourcen", "Kostensatz")
        ),
        "ohne_ikz": lambda: bearbeiten("ohne_ikz", lambda p: blatt_entfernen(p, "_ikz")),
        "alte_version": lambda: bearbeiten(
            "alte_version", lambda p: ikz_setzen(p, "schema_version", "0")
        ),
        "fremde_vorlage": lambda: bearbeiten(
            "fremde_vorlage", lambda p: ikz_setzen(p, "vorlage_id", FREMDE_VORLAGE_ID)
        ),
        "uebergross": lambda: _uebergross(vorlage, ziel("uebergross"), groesse_mb),
    }
    for art in gewaehlt:
        ergebnis[art] = bauplan[art]()
    return ergebnis
