"""Reading workbooks: tables with their cell positions, and German input as clerks type it.

Returned files are only ever read (python-calamine, read-only), never loaded and saved: a round
trip through openpyxl drops what it does not model. Every value keeps its Excel row and column,
so any finding can name the cell a clerk has to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ikz_excel.definition import Spalte

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
_MEHRDEUTIG = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_DATUM_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_DATUM_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_EXCEL_NULLTAG = date(1899, 12, 30)


def ist_leer(roh: Any) -> bool:
    return roh is None or (isinstance(roh, str) and roh.strip() == "")


def zahl_aus_text(text: str) -> Umwandlung:
    """Understand '1.234,50 €', '3,5', '3,1 %' and friends; refuse what could mean two things.

    A lone dot followed by exactly three digits ('1.234') is German for 1234 but English for
    1.234: a thousandfold error in a cost figure is worse than asking, so it is refused.
    """
    original = text
    s = text.replace("\u00a0", " ").strip()
    prozent = s.endswith("%")
    if prozent:
        s = s[:-1].strip()
    s = _WAEHRUNG.sub("", s).replace(" ", "").replace("'", "")
    if not s:
        return Umwandlung(fehler=f"{original!r} enthält keine Zahl.")
    if _GANZ.match(s):
        zahl = Decimal(s)
    elif _MEHRDEUTIG.match(s):  # before _DE_TAUSENDER, which would read it as 1234
        return Umwandlung(
            fehler=f"{original!r} ist mehrdeutig (1.234 = tausendzweihundertvierunddreißig "
            "oder 1,234?). Bitte als Zahl ohne Tausenderpunkt eingeben, z. B. 1234 oder 1,234."
        )
    elif _DE_TAUSENDER.match(s):
        zahl = Decimal(s.replace(".", "").replace(",", "."))
    elif _NUR_KOMMA.match(s):
        zahl = Decimal(s.replace(",", "."))
    elif _EN_TAUSENDER.match(s) and "." in s:
        zahl = Decimal(s.replace(",", ""))
    elif _NUR_PUNKT.match(s):
        zahl = Decimal(s)
    else:
        return Umwandlung(
            fehler=f"{original!r} ist keine Zahl. Bitte nur Ziffern eingeben, z. B. 1234,50."
        )
    if prozent:
        zahl = zahl / 100
    return Umwandlung(zahl, hinweis=f"Text {original!r} wurde als Zahl {_deutsch(zahl)} gelesen.")


def _deutsch(zahl: Decimal) -> str:
    text = format(zahl.normalize(), "f")
    return text.replace(".", ",")


def datum_aus_text(text: str) -> Umwandlung:
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
        else:
            return Umwandlung(
                fehler=f"{text!r} ist kein Datum. Bitte als TT.MM.JJJJ eingeben, z. B. 31.12.2013."
            )
    except ValueError:
        return Umwandlung(fehler=f"{text!r} ist kein gültiges Kalenderdatum.")
    return Umwandlung(wert, hinweis=f"Text {text!r} wurde als Datum {wert:%d.%m.%Y} gelesen.")


def _als_decimal(roh: Any) -> Decimal:
    # repr of a float is the shortest text that round-trips: 0.1 stays 0.1, not 0.1000…0055
    return Decimal(repr(roh)) if isinstance(roh, float) else Decimal(roh)


def umwandeln(spalte: Spalte, roh: Any, listenwerte: tuple[str, ...] | None = None) -> Umwandlung:
    """Convert one raw cell value to the column's type (no range or list checks here)."""
    if ist_leer(roh):
        return _LEER
    typ = spalte.typ
    if typ in ("text", "liste"):
        if isinstance(roh, bool):
            roh = "ja" if roh else "nein"
        if isinstance(roh, float) and roh.is_integer():
            roh = int(roh)
        if isinstance(roh, (datetime, date)):
            roh = f"{roh:%d.%m.%Y}"
        text = str(roh).strip()
        if typ == "liste" and listenwerte and text in listenwerte and text != str(roh):
            # The workbook's formulas compare exactly: "jährlich " would count nowhere there.
            return Umwandlung(
                text, hinweis=f"{str(roh)!r} enthält Leerzeichen; gelesen als {text!r}."
            )
        if typ == "liste" and listenwerte and text not in listenwerte:
            for erlaubt in listenwerte:
                if erlaubt.casefold() == text.casefold():
                    return Umwandlung(erlaubt, hinweis=f"{text!r} wurde als {erlaubt!r} gelesen.")
        return Umwandlung(text)
    if typ == "datum":
        if isinstance(roh, datetime):
            return Umwandlung(roh.date())
        if isinstance(roh, date):
            return Umwandlung(roh)
        if isinstance(roh, (int, float)) and not isinstance(roh, bool):
            if 1 <= roh < 2958466 and float(roh).is_integer():
                wert = _EXCEL_NULLTAG + timedelta(days=int(roh))
                return Umwandlung(
                    wert, hinweis=f"Zahl {roh:g} wurde als Datum {wert:%d.%m.%Y} gelesen."
                )
            return Umwandlung(fehler=f"{roh!r} ist kein Datum. Bitte als TT.MM.JJJJ eingeben.")
        return datum_aus_text(str(roh))
    # numbers
    if isinstance(roh, bool):
        return Umwandlung(fehler=f"{roh!r} ist keine Zahl.")
    hinweis = None
    if isinstance(roh, (int, float)):
        zahl = _als_decimal(roh)
    elif isinstance(roh, (datetime, date)):
        return Umwandlung(fehler=f"Ein Datum ({roh:%d.%m.%Y}) steht, wo eine Zahl erwartet wird.")
    else:
        gelesen = zahl_aus_text(str(roh))
        if not gelesen.ok:
            return gelesen
        zahl, hinweis = gelesen.wert, gelesen.hinweis
    if not zahl.is_finite():
        return Umwandlung(fehler=f"{roh!r} ist keine endliche Zahl.")
    if typ == "ganzzahl":
        if zahl != zahl.to_integral_value():
            return Umwandlung(
                fehler=f"{_deutsch(zahl)} ist keine ganze Zahl. "
                "Bitte ohne Nachkommastellen eingeben."
            )
        return Umwandlung(int(zahl), hinweis=hinweis)
    return Umwandlung(zahl, hinweis=hinweis)


# Reading tables -------------------------------------------------------------------------------


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


@dataclass
class Rohtabelle:
    """A table as found in a file, before any typing: values with their Excel positions."""

    name: str
    blatt: str
    kopfzeile: int  # Excel row of the header
    erste_spalte: int  # 0-based column of the first table column
    koepfe: tuple[str, ...]
    zeilen: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    unterhalb: int = 0  # how many of the rows were typed directly below the table

    def zelle(self, zeile: int, kopf: str) -> str:
        return zelle(zeile, self.erste_spalte + self.koepfe.index(kopf))

    def als_dicts(self) -> list[tuple[int, dict[str, Any]]]:
        return [(z, dict(zip(self.koepfe, werte, strict=False))) for z, werte in self.zeilen]


class LeseFehler(Exception):
    """The file cannot be read as a workbook at all (corrupt, encrypted, not xlsx)."""


def tabellen_lesen(
    quelle: Any, mit_unterhalb: set[str] | None = None, auch: Iterable[str] = ()
) -> tuple[dict[str, Rohtabelle], dict[str, list[list[Any]]], list[tuple[str, str]]]:
    """All tables of a workbook, the grid of each sheet that has one, and all sheets' visibility.

    `mit_unterhalb` names the tables whose rows typed directly below the table count too
    (Excel grows a table when one types below it; a protected sheet or LibreOffice does not).
    `auch` names further sheets whose grid is wanted, read while the workbook is open anyway.
    """
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(quelle, (str, bytes)) or hasattr(quelle, "__fspath__"):
            mappe = CalamineWorkbook.from_path(str(quelle), load_tables=True)
        else:
            mappe = CalamineWorkbook.from_filelike(quelle, load_tables=True)
    except Exception as fehler:  # calamine raises its own error types per format
        raise LeseFehler(str(fehler)) from None
    with mappe:
        blaetter = [(m.name, str(m.visible).rsplit(".", 1)[-1]) for m in mappe.sheets_metadata]
        gitter: dict[str, list[list[Any]]] = {}
        tabellen: dict[str, Rohtabelle] = {}
        try:
            namen = mappe.table_names
        except Exception:
            namen = []
        for name in namen:
            tabelle = mappe.get_table_by_name(name)
            blatt = tabelle.sheet
            if blatt not in gitter:
                gitter[blatt] = mappe.get_sheet_by_name(blatt).to_python(skip_empty_area=False)
            start_zeile, start_spalte = tabelle.start
            end_zeile, _ = tabelle.end
            koepfe = tuple(str(k) for k in tabelle.columns)
            raster = gitter[blatt]
            breite = len(koepfe)
            roh = Rohtabelle(name, blatt, start_zeile, start_spalte, koepfe)
            for z in range(start_zeile, end_zeile + 1):
                roh.zeilen.append((z + 1, _ausschnitt(raster, z, start_spalte, breite)))
            if mit_unterhalb and name in mit_unterhalb:
                z = end_zeile + 1
                while z < len(raster):
                    werte = _ausschnitt(raster, z, start_spalte, breite)
                    if all(ist_leer(w) for w in werte):
                        break
                    roh.zeilen.append((z + 1, werte))
                    roh.unterhalb += 1
                    z += 1
            tabellen[name] = roh
        vorhanden = {n for n, _ in blaetter}
        for blatt in auch:
            if blatt in vorhanden and blatt not in gitter:
                gitter[blatt] = mappe.get_sheet_by_name(blatt).to_python(skip_empty_area=False)
        return tabellen, gitter, blaetter


def _ausschnitt(raster: list[list[Any]], zeile: int, spalte: int, breite: int) -> tuple[Any, ...]:
    if zeile >= len(raster):
        return ("",) * breite
    reihe = raster[zeile]
    werte = reihe[spalte : spalte + breite]
    return tuple(werte) + ("",) * (breite - len(werte))


def blatt_lesen(quelle: Any, blatt: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        mappe = CalamineWorkbook.from_path(str(quelle))
        with mappe:
            return mappe.get_sheet_by_name(blatt).to_python(skip_empty_area=False)
    except Exception as fehler:
        raise LeseFehler(str(fehler)) from None


# Returned files ------------------------------------------------------------------------------

MAX_DATEIGROESSE = 25 * 1024 * 1024  # an Arbeitsmappe is ~100 KB; 25 MB is not a return
MAX_ENTPACKT = 250 * 1024 * 1024  # cap before parsing: a zip bomb never reaches the XML parser
MAX_VERHAELTNIS = 200  # uncompressed/compressed of one part; real sheets stay well below
IGNORIERT = ("Thumbs.db", ".DS_Store", "desktop.ini")


def ist_nebendatei(pfad: Any) -> bool:
    """Lock files and system litter that appear in shared folders: never a return."""
    name = pfad.name
    return name.startswith("~$") or name.startswith(".~lock.") or name in IGNORIERT


def datei_vorpruefen(pfad: Any) -> str | None:
    """Why a file cannot be an Arbeitsmappe, in German, or None if it may be one.

    Looks only at bytes and the zip directory, so nothing dangerous is ever parsed: encrypted
    and old binary files, OpenDocument, CSV, macro workbooks, zip bombs and XML entity tricks
    are recognised before python-calamine sees them.
    """
    import zipfile

    try:
        groesse = pfad.stat().st_size
    except OSError as fehler:
        return f"Die Datei lässt sich nicht lesen ({fehler.strerror})."
    if groesse == 0:
        return "Die Datei ist leer (0 Byte). Bitte die ausgefüllte Arbeitsmappe erneut senden."
    if groesse > MAX_DATEIGROESSE:
        return (
            f"Die Datei ist {groesse / 1024 / 1024:.0f} MB groß; eine Arbeitsmappe hat unter 1 MB. "
            "Bitte nur die Arbeitsmappe senden (keine eingebetteten Bilder oder Anhänge)."
        )
    with pfad.open("rb") as f:
        anfang = f.read(8)
    if anfang.startswith(b"\xd0\xcf\x11\xe0"):
        inhalt = pfad.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in inhalt:
            return (
                "Die Datei ist mit einem Kennwort geschützt und kann nicht gelesen werden. Bitte "
                "in Excel unter Datei > Informationen > Arbeitsmappe schützen das Kennwort "
                "entfernen und erneut senden (der Blattschutz ohne Kennwort bleibt)."
            )
        return (
            "Die Datei ist im alten Excel-Format (.xls). Bitte die Original-Arbeitsmappe (.xlsx) "
            "verwenden oder in Excel 'Speichern unter' > Excel-Arbeitsmappe (.xlsx) wählen."
        )
    if not anfang.startswith(b"PK"):
        return (
            "Die Datei ist keine Excel-Arbeitsmappe (z. B. CSV, Text oder PDF). Bitte die "
            "ausgefüllte Arbeitsmappe (.xlsx) senden, nicht eine exportierte Tabelle."
        )
    try:
        with zipfile.ZipFile(pfad) as z:
            teile = z.infolist()
            namen = {t.filename for t in teile}
            # Sizes first: nothing is decompressed before the zip bomb check.
            if sum(t.file_size for t in teile) > MAX_ENTPACKT or any(
                t.compress_size
                and t.file_size / t.compress_size > MAX_VERHAELTNIS
                and t.file_size > 10 * 1024 * 1024
                for t in teile
            ):
                return (
                    "Die Datei würde entpackt ungewöhnlich groß (mögliche Zip-Bombe) und wird "
                    "nicht geöffnet. Bitte die Original-Arbeitsmappe ausfüllen und senden."
                )
            if "mimetype" in namen:
                with z.open("mimetype") as f:
                    if b"opendocument" in f.read(200):
                        return (
                            "Die Datei ist im OpenDocument-Format (.ods). Bitte in LibreOffice "
                            "'Speichern unter' > Excel 2007-365 (.xlsx) wählen und erneut senden."
                        )
            if "[Content_Types].xml" not in namen or "xl/workbook.xml" not in namen:
                return "Die Datei ist keine Excel-Arbeitsmappe (es fehlt xl/workbook.xml)."
            if "xl/vbaProject.bin" in namen or b"macroEnabled" in z.read("[Content_Types].xml"):
                return (
                    "Die Datei enthält Makros (.xlsm). Makros werden aus Sicherheitsgründen nicht "
                    "geöffnet. Bitte als Excel-Arbeitsmappe (.xlsx) speichern und erneut senden."
                )
            for teil in teile:
                if teil.filename.endswith((".xml", ".rels")):
                    with z.open(teil) as f:
                        kopf = f.read(4096)
                    if b"<!DOCTYPE" in kopf or b"<!ENTITY" in kopf:
                        return (
                            "Die Datei enthält XML-Konstrukte (DOCTYPE/ENTITY), die Excel selbst "
                            "nie schreibt; sie wird aus Sicherheitsgründen nicht geöffnet."
                        )
                    ausdehnung = _AUSDEHNUNG.search(kopf)
                    if ausdehnung and _zu_gross(ausdehnung.group(1).decode("ascii", "replace")):
                        return (
                            "Ein Blatt der Datei reicht bis Zelle "
                            f"{ausdehnung.group(1).decode('ascii', 'replace').split(':')[-1]}; "
                            "eine Arbeitsmappe ist viel kleiner. Bitte Eingaben weit außerhalb "
                            "der Tabellen löschen oder die Originalmappe verwenden."
                        )
    except zipfile.BadZipFile:
        return (
            "Die Datei ist beschädigt oder unvollständig (z. B. abgebrochene Übertragung). Bitte "
            "erneut senden."
        )
    except (OSError, EOFError, RuntimeError) as fehler:
        return f"Die Datei ist beschädigt ({fehler})."
    return None


_AUSDEHNUNG = re.compile(rb'<dimension ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
MAX_ZEILEN = 100_000
MAX_SPALTEN = 500


def _zu_gross(bereich: str) -> bool:
    """A sheet far beyond any table: reading it would allocate the whole empty grid."""
    treffer = re.fullmatch(r"(?:[A-Z]+\d+:)?([A-Z]+)(\d+)", bereich)
    if not treffer:
        return False
    spalte = 0
    for buchstabe in treffer.group(1):
        spalte = spalte * 26 + ord(buchstabe) - 64
    return int(treffer.group(2)) > MAX_ZEILEN or spalte > MAX_SPALTEN


@dataclass
class Ruecklauf:
    """Everything read from one returned file; nothing is interpreted yet."""

    pfad: Any
    kennung: dict[str, str]
    tabellen: dict[str, Rohtabelle]
    blaetter: list[tuple[str, str]]
    felder: dict[str, tuple[str, str, Any]]  # name -> (sheet, A1, raw value)
    formeln: dict[str, set[str]] = field(default_factory=dict)  # sheet -> A1 cells with <f>


def definierte_namen(pfad: Any) -> dict[str, str]:
    """Defined names of the workbook (name -> reference), read with defusedxml."""
    import zipfile

    from defusedxml import ElementTree

    with zipfile.ZipFile(pfad) as z, z.open("xl/workbook.xml") as f:
        wurzel = ElementTree.parse(f).getroot()
    namen = {}
    for element in wurzel.iter():
        if element.tag.endswith("definedName") and element.get("localSheetId") is None:
            namen[element.get("name", "")] = (element.text or "").strip()
    return namen


def _bezug_zerlegen(bezug: str) -> tuple[str, int, int] | None:
    treffer = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]{1,3})\$?(\d+)", bezug)
    if not treffer:
        return None
    blatt = treffer.group(1).replace("''", "'")
    spalte = 0
    for buchstabe in treffer.group(2):
        spalte = spalte * 26 + (ord(buchstabe) - 64)
    return blatt, int(treffer.group(3)), spalte - 1


_FORMELZELLE = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<f\b')


def formelzellen(pfad: Any, blaetter: Iterable[str]) -> dict[str, set[str]]:
    """The cells that hold a formula, per sheet.

    python-calamine returns only values, so a formula overwritten by a typed constant looks the
    same as a computed one; the sheet XML tells them apart (`<c r="I5"><f>…</f>`). The map of
    sheet names to parts is parsed with defusedxml; the sheets themselves are only scanned
    for that pattern (no XML parser, so nothing to expand), which is ten times faster.
    """
    import posixpath
    import zipfile

    from defusedxml import ElementTree

    gesucht = set(blaetter)
    ergebnis: dict[str, set[str]] = {}
    with zipfile.ZipFile(pfad) as z:
        with z.open("xl/workbook.xml") as f:
            mappe = ElementTree.parse(f).getroot()
        with z.open("xl/_rels/workbook.xml.rels") as f:
            beziehungen = ElementTree.parse(f).getroot()
        ziele = {b.get("Id"): b.get("Target", "") for b in beziehungen}
        for element in mappe.iter():
            if not element.tag.endswith("}sheet") or element.get("name") not in gesucht:
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            ziel = ziele.get(rid, "")
            teil = ziel.lstrip("/") if ziel.startswith("/") else posixpath.join("xl", ziel)
            xml = z.read(posixpath.normpath(teil))
            ergebnis[element.get("name")] = {
                treffer.decode("ascii") for treffer in _FORMELZELLE.findall(xml)
            }
    return ergebnis


def ruecklauf_lesen(
    pfad: Any, frei: set[str], feldnamen: Iterable[str] = (), formelblaetter: Iterable[str] = ()
) -> Ruecklauf:
    """Read one return: the `_ikz` identity, all tables, the named single cells.

    Raises LeseFehler when python-calamine cannot open the file at all.
    """
    from python_calamine import CalamineWorkbook

    tabellen, gitter, blaetter = tabellen_lesen(pfad, mit_unterhalb=frei, auch=("_ikz",))
    kennung: dict[str, str] = {}
    namen = [n for n, _ in blaetter]
    if "_ikz" in gitter:
        for reihe in gitter["_ikz"]:
            if len(reihe) >= 2 and str(reihe[0]).strip():
                kennung[str(reihe[0]).strip()] = str(reihe[1]).strip()
    felder: dict[str, tuple[str, str, Any]] = {}
    feldnamen = list(feldnamen)
    if feldnamen:
        try:
            bezuege = definierte_namen(pfad)
        except Exception:  # a workbook without readable names simply has no fields
            bezuege = {}
        for name in feldnamen:
            ort = _bezug_zerlegen(bezuege.get(name, ""))
            if ort is None or ort[0] not in namen:
                continue
            blatt, zeile, spalte = ort
            if blatt not in gitter:
                try:
                    mappe = CalamineWorkbook.from_path(str(pfad))
                    with mappe:
                        gitter[blatt] = mappe.get_sheet_by_name(blatt).to_python(
                            skip_empty_area=False
                        )
                except Exception as fehler:
                    raise LeseFehler(str(fehler)) from None
            raster = gitter[blatt]
            wert = (
                raster[zeile - 1][spalte]
                if zeile - 1 < len(raster) and spalte < len(raster[zeile - 1])
                else ""
            )
            felder[name] = (blatt, zelle(zeile, spalte), wert)
    formeln: dict[str, set[str]] = {}
    if formelblaetter:
        try:
            formeln = formelzellen(pfad, formelblaetter)
        except Exception as fehler:
            raise LeseFehler(f"Formeln nicht lesbar: {fehler}") from None
    return Ruecklauf(pfad, kennung, tabellen, blaetter, felder, formeln)


def dateien_finden(pfade: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """Files to check under the given files and folders (recursively), and the litter skipped.

    Sorted by path so that reports and the archive come out the same on every run.
    """
    from pathlib import Path

    kandidaten, nebendateien = [], []
    for pfad in pfade:
        pfad = Path(pfad)
        gefunden = sorted(p for p in pfad.rglob("*") if p.is_file()) if pfad.is_dir() else [pfad]
        for datei in gefunden:
            (nebendateien if ist_nebendatei(datei) else kandidaten).append(datei)
    return kandidaten, nebendateien
