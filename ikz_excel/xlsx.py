"""What the toolkit's XlsxWriter writers share: fast cells, a formula memo, a GC pause.

Writing the cells out is XlsxWriter's innermost loop: an Arbeitsmappe has some 2,600 cells,
more than half of them formatted blanks (the reserve rows below the input tables), and the
overview of the Lenkungsgruppe a quarter of a million, nearly all text and numbers. For the
kinds nearly all of them are, a blank, a shared string, a number or a date with a format,
`Zellenblatt` writes the element itself, in one piece, instead of through a list of attributes
that are each escaped (a row-and-column name and a format number need no escaping).

XlsxWriter's `Worksheet._prepare_formula` runs some thirty regular-expression substitutions on
every formula (to prefix Excel's newer functions with `_xlfn.`), and a table's column formula
once more for each of its rows. An Arbeitsmappe has about 200 of them, the same 125 distinct
ones for every AG, and a third of its writing time went there. The result depends only on the
formula text and two flags, so `Blatt` prepares each distinct text once per process. The
overview's 6,000 formulas (1,000 AGs) each name their own row, so no text repeats, but they
have only a handful of shapes (the formula with every digit as 0): `Zellenblatt` asks
XlsxWriter once per shape whether it changes anything, which saved an eighth of the overview's
time. The overview uses `Zellenmappe`, the Arbeitsmappen and Korrektur copies `Mappe`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

try:
    from xlsxwriter.worksheet import (
        CellBlankTuple,
        CellDatetimeTuple,
        CellFormulaTuple,
        CellNumberTuple,
        CellStringTuple,
    )
except ImportError:  # renamed in some later version: every cell goes through XlsxWriter
    CellBlankTuple = CellDatetimeTuple = CellNumberTuple = CellStringTuple = None  # type: ignore[assignment,misc]
    CellFormulaTuple = None  # type: ignore[assignment,misc]

#: Prepared formulas kept at most: a bound for long-running processes, not a tuning knob. All
#: Arbeitsmappen together have about 125 distinct formulas; when full, the memo starts over.
GRENZE = 10_000
_vorbereitet: dict[tuple[str, bool, bool], str] = {}
#: Every digit as 0: formulas that differ only in their numbers (row numbers) share one shape.
_NULLEN = str.maketrans("123456789", "000000000")
#: Per shape of formula: whether XlsxWriter changes more than the leading '=' (same bound).
_gestalt_geaendert: dict[str, bool] = {}


class Zellenblatt(Worksheet):
    """A worksheet whose common cells are written directly; writes exactly what XlsxWriter writes.

    `_write_cell`, `_write_string`, `_write_number` and the cell tuples are private to
    XlsxWriter (checked against 3.3). Should a later version rename them or change their
    arguments, these overrides are simply never used, and should it write these cells
    differently, the check at import (`_zellen_pruefen`) leaves every cell to it: nothing
    breaks, writing is only as slow as before.
    """

    def __init__(self) -> None:
        super().__init__()
        #: Rows whose height `wachsende_zeile` set: written without customHeight (see there).
        self.wachsende_zeilen: set[int] = set()
        self._zeile_waechst = False  # while `_write_row` writes one of them

    def wachsende_zeile(self, zeile: int, hoehe: float) -> None:
        """Give a row the height its text needs now, but let it grow as the clerk types.

        XlsxWriter's `set_row` writes every height as set by hand (`customHeight="1"`): such a
        row keeps its height whatever is typed into it, in Excel and in LibreOffice, and a
        longer answer was cut on the screen and in print. A height without that flag is what
        Excel itself saves for a row it fits to its text (ECMA-376: customHeight is "1 if the
        row height has been manually set"). LibreOffice (7.4, measured) opens the row at that
        height and makes it higher when a longer text is typed into it, also on a protected
        sheet, never lower (tests/test_zeilenhoehen_tippen.py); Excel, by its documentation,
        fits the row to its text when a cell in it is edited. Only for rows whose height comes
        from the text of unmerged cells: both programs leave merged cells out when they fit a
        row, and a row set for the layout (titles, headers, the risk matrix) stays as set.

        `_write_row` is private to XlsxWriter (checked against 3.3.1): should a later version
        rename it or write the row otherwise, these rows are simply written as set by hand
        again (tests/test_xlsx.py notices).
        """
        self.set_row(zeile, hoehe)
        self.wachsende_zeilen.add(zeile)

    def set_row_pixels(self, row: int, *args: Any, **kwargs: Any) -> int:
        """As XlsxWriter's; a row set so after `wachsende_zeile` is set by hand again.

        `set_row` ends here too: without this, a later `set_row` for the layout of a row that
        `wachsende_zeile` had set would still be written without customHeight and change its
        height with what is typed (the last call decides, as for XlsxWriter's own settings)."""
        self.wachsende_zeilen.discard(row)
        return super().set_row_pixels(row, *args, **kwargs)

    def _write_row(self, row: int, *args: Any, **kwargs: Any) -> None:
        self._zeile_waechst = row in self.wachsende_zeilen
        try:
            super()._write_row(row, *args, **kwargs)
        finally:
            self._zeile_waechst = False

    def _xml_start_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if self._zeile_waechst and tag == "row":
            attributes = [a for a in attributes if a[0] != "customHeight"]
        super()._xml_start_tag_unencoded(tag, attributes)

    def _xml_empty_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if self._zeile_waechst and tag == "row":
            attributes = [a for a in attributes if a[0] != "customHeight"]
        super()._xml_empty_tag_unencoded(tag, attributes)

    #: `write_string` and `write_number` without the wrapper that first tries the row as A1
    #: notation (`int(row)` in a try, arguments repacked): for the overview's 250,000 cells that
    #: was 5 % of its time. XlsxWriter's own undecorated writers, else the public ones.
    text = getattr(Worksheet, "_write_string", Worksheet.write_string)
    zahl = getattr(Worksheet, "_write_number", Worksheet.write_number)

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        if not (_ZELLEN_WIE_XLSXWRITER and self._zelle_direkt(row, col, cell)):
            super()._write_cell(row, col, cell)

    def _zelle_direkt(self, row: int, col: int, cell: Any) -> bool:
        """Write a formatted blank, shared string, number or date as XlsxWriter's `_write_cell`
        does; False for any other cell (no format, formulas, `constant_memory` ...).

        Used only where `_zellen_pruefen` found, for sample cells, the same text as the
        installed XlsxWriter writes. The format object is XlsxWriter's own.
        """
        fmt = cell.format
        if fmt is None or self.constant_memory:
            return False
        art = type(cell)
        if art is CellStringTuple:  # `string` is the index into the shared strings
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}" t="s">'
                f"<v>{cell.string}</v></c>"
            )
        elif art is CellNumberTuple or art is CellDatetimeTuple:  # a date is its serial number
            self.fh.write(
                f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}">'
                f"<v>{cell.number:.16G}</v></c>"
            )
        elif art is CellBlankTuple:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"/>')
        else:
            return False
        return True

    def _prepare_formula(self, formula: Any, expand_future_functions: bool = False) -> Any:
        """XlsxWriter's preparation, asked once per shape of formula instead of once per formula.

        Unless it is to prefix Excel's newer functions too (`use_future_functions`; tables and
        conditional formats ask for it; T.DIST.2T is one, a digit in its name), XlsxWriter
        removes the leading '=' of a formula and prefixes some thirty function names, none with
        a digit, where they stand before '(' (checked against 3.3; tests/test_xlsx.py tries
        every name it knows, tests/test_konsolidieren.py the whole overview). Its patterns see a
        digit only as a character that belongs to a word and is no space, so they match a
        formula exactly where they match its shape, the formula with every digit as 0: if
        XlsxWriter leaves the shape as it is, it leaves the formula as it is. Any formula whose
        shape it changes, and every other formula, it prepares itself.
        """
        if (
            type(formula) is not str
            or not formula.startswith("=")
            or formula.endswith("}")  # braces of an array formula: XlsxWriter removes them
            or expand_future_functions
            or self.use_future_functions
        ):
            return super()._prepare_formula(formula, expand_future_functions)
        gestalt = formula.translate(_NULLEN)
        geaendert = _gestalt_geaendert.get(gestalt)
        if geaendert is None:
            geaendert = super()._prepare_formula(gestalt) != gestalt[1:]
            if len(_gestalt_geaendert) >= GRENZE:
                _gestalt_geaendert.clear()
            _gestalt_geaendert[gestalt] = geaendert
        return super()._prepare_formula(formula) if geaendert else formula[1:]


class Blatt(Zellenblatt):
    """A `Zellenblatt` whose formulas carry no invented result and are prepared once.

    `_write_formula` and `_prepare_formula` are private to XlsxWriter (checked against 3.3). Should
    a later version rename them or change their arguments so that they are no longer called this
    way, the overrides are simply never used: formulas then carry XlsxWriter's 0 again (see
    below) and writing is only as slow as before.
    """

    def __init__(self) -> None:
        super().__init__()
        #: (row, column) of every formula written, so the workbook can say where they stand
        self.formelorte: list[tuple[int, int]] = []

    def _write_formula(
        self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0
    ) -> Any:
        """A result of 0 is XlsxWriter's placeholder (it computes nothing): write none instead.

        Excel recalculates every formula on load anyway. LibreOffice keeps the stored results of
        a file that says it comes from Excel ("never recalculate" is its default), so a filled
        Korrektur copy would show 0 € and "noch keine Einträge" there until the user presses
        Ctrl+Shift+F9. A formula with an empty result is computed when shown (XlsxWriter's FAQ
        names this workaround). Table column formulas come through here too.
        """
        ergebnis = super()._write_formula(row, col, formula, cell_format, value)
        if ergebnis != 0:
            return ergebnis
        self.formelorte.append((row, col))
        if type(value) in (int, float) and value == 0:
            zelle = self.table.get(row, {}).get(col)
            if CellFormulaTuple is not None and type(zelle) is CellFormulaTuple:  # not an array
                self.table[row][col] = zelle._replace(value="")
        return ergebnis

    def _prepare_formula(self, formula: Any, expand_future_functions: bool = False) -> Any:
        if not isinstance(formula, str):  # not seen in practice; left to XlsxWriter as it is
            return super()._prepare_formula(formula, expand_future_functions)
        schluessel = (formula, expand_future_functions, self.use_future_functions)
        try:
            return _vorbereitet[schluessel]
        except KeyError:
            pass
        ergebnis = super()._prepare_formula(formula, expand_future_functions)
        if len(_vorbereitet) >= GRENZE:
            _vorbereitet.clear()
        _vorbereitet[schluessel] = ergebnis
        return ergebnis


def geteilte_texte(mappe: Workbook) -> dict[int, str] | None:
    """The workbook's shared strings by their index, for `belegte_zellen`; None where this
    XlsxWriter keeps them otherwise (private to it: checked against 3.3)."""
    texte = getattr(getattr(mappe, "str_table", None), "string_table", None)
    if not isinstance(texte, dict):
        return None
    return {i: t for t, i in texte.items() if isinstance(i, int) and isinstance(t, str)}


def belegte_zellen(
    blatt: Worksheet, texte: dict[int, str] | None
) -> list[tuple[int, int, str | None]] | None:
    """Every cell of `blatt` written so far that holds something: (0-based row, column, its
    text, or None for a number, date or formula); formatted blanks are left out.

    From XlsxWriter's table of cells before the file is written (`table` and the cell tuples
    are private to it: checked against 3.3). None where this XlsxWriter keeps its cells
    otherwise: the caller then records nothing, and nothing is checked against it.
    """
    zellen = getattr(blatt, "table", None)
    if (
        CellBlankTuple is None
        or CellStringTuple is None
        or texte is None
        or not isinstance(zellen, dict)
        or getattr(blatt, "constant_memory", True)
    ):
        return None
    ergebnis: list[tuple[int, int, str | None]] = []
    for zeile, reihe in zellen.items():
        for spalte, zelle in reihe.items():
            art = type(zelle)
            if art is CellBlankTuple:
                continue
            text = texte.get(zelle.string) if art is CellStringTuple else None
            ergebnis.append((zeile, spalte, text))
    return ergebnis


class _Probeformat:
    """Stands in for a format with index 7 while the sample cells are compared."""

    def _get_xf_index(self) -> int:
        return 7


def _zellen_pruefen() -> bool:
    """Whether `Zellenblatt._zelle_direkt` writes sample cells exactly as XlsxWriter does.

    Run once, at import: a later XlsxWriter that writes these cells differently (another
    attribute, another number format) then gets every cell written by itself.
    """
    if CellBlankTuple is None:
        return False
    f = _Probeformat()
    proben = [
        CellBlankTuple(f),
        CellStringTuple(12, f),
        CellDatetimeTuple(45000.5, f),
        *(CellNumberTuple(z, f) for z in (0.0, -0.0, 0.1, 1 / 3, -42.0, 1e20, 1.5e-300)),
    ]
    try:
        for i, zelle in enumerate(proben):
            zeile, spalte = (i, i) if i % 2 else (1048575 - i, 16383 - i)
            stock, direkt = Zellenblatt(), Zellenblatt()
            stock.fh, direkt.fh = StringIO(), StringIO()
            Worksheet._write_cell(stock, zeile, spalte, zelle)
            if not direkt._zelle_direkt(zeile, spalte, zelle):
                return False
            if stock.fh.getvalue() != direkt.fh.getvalue():
                return False
    except Exception:  # whatever a later version does differently: leave the cells to it
        return False
    return True


class Zellenmappe(Workbook):
    """`xlsxwriter.Workbook` whose `add_worksheet` hands out `Zellenblatt`s and which, once
    closed, reference counting can free."""

    worksheet_class = Zellenblatt

    def close(self) -> None:
        """Close as XlsxWriter does, then break the one reference cycle of a workbook.

        Each worksheet keeps the bound method `workbook.add_format` (as `workbook_add_format`,
        for checkbox formats; checked against XlsxWriter 3.3), so workbook and sheets form a
        cycle that holds every cell until the cycle collector finds it: thousands of objects
        to walk per Arbeitsmappe. The file is written when `close` returns and nothing is added
        to a closed workbook, so the method is no longer needed. Should a later version keep
        it under another name, the cycle stays and the collector frees it as before; a test
        (tests/test_xlsx.py) notices.
        """
        super().close()
        for ws in self.worksheets():
            ws.workbook_add_format = None


class Mappe(Zellenmappe):
    """A `Zellenmappe` whose `add_worksheet` hands out `Blatt`s (with the formula memo)."""

    worksheet_class = Blatt


_ZELLEN_WIE_XLSXWRITER = _zellen_pruefen()


@contextlib.contextmanager
def ohne_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a workbook is built and written.

    XlsxWriter keeps a small tuple per cell until `close()`. Allocating them sets off full
    collections, and each walks every object the process holds, the returns read by
    `konsolidieren` included: for the overview of 1,000 AGs (250,000 cells) four of them took
    0.6 s, a quarter of its time. The cells hold no cycles, reference counting frees them; the
    few cycles that do arise are collected after the pause. The caller's setting is kept.
    """
    an = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if an:
            gc.enable()


def standardschrift() -> dict[str, Any]:
    """Arial 10 as a workbook's own font (`default_format_properties`), not only its cells':
    column widths count digits of that font. With XlsxWriter's Calibri, which LibreOffice
    replaces by the much wider DejaVu Sans where Calibri and Carlito are missing, every column
    printed a third wider (the Risiken of an Arbeitsmappe at half size). In Excel Arial 10 and
    Calibri 11 have the same digit width: the widths stay as they were. `font_scheme` "none":
    else Excel ties the font to the theme's. A fresh dict per workbook: XlsxWriter adds its own
    keys to the one it is given."""
    return {"font_name": "Arial", "font_size": 10, "font_scheme": "none"}


#: A percentage as German typography writes it, "44,29 %" (DIN 5008), not "44,29%". The
#: space is a literal of the format: the cell stays a number that Excel and LibreOffice show
#: times 100, sum and sort (only a format without "%" would show 0,4429).
PROZENTFORMAT = "0.00 %"

#: Excel refuses a header or footer of more than 255 characters (XlsxWriter leaves it out with
#: only a warning): two sections of at most this many, with their codes, stay below.
KOPFZEILE_ABSCHNITT = 120


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # how Excel counts the 255


def kopfzeilenabschnitt(text: str) -> str:
    """A text for one section of a printed header or footer, as Excel's codes need it.

    "&" doubled, or "Bau & Umwelt" would start a code. Cut after whole characters with "…",
    never between the two "&" of one: a lone "&" before "&R" printed "&R" and lost the right
    section (review). A leading digit gets a space: after the size code "&8" a programme
    "2. Welle" printed as ". Welle" in 82 pt.
    """
    teile = ["&&" if z == "&" else z for z in text]
    platz = KOPFZEILE_ABSCHNITT - 1  # for the space before a digit
    if sum(map(_utf16, teile)) > platz:
        gekuerzt: list[str] = []
        laenge = _utf16("…")
        for teil in teile:
            if laenge + _utf16(teil) > platz:
                break
            gekuerzt.append(teil)
            laenge += _utf16(teil)
        teile = ["".join(gekuerzt).rstrip(), "…"]
    ergebnis = "".join(teile)
    return f" {ergebnis}" if ergebnis[:1].isdigit() else ergebnis


def kopfzeile(links: str, rechts: str) -> str:
    """A header in 8 pt, one text on the left and one on the right."""
    return f"&L&8{kopfzeilenabschnitt(links)}&R&8{kopfzeilenabschnitt(rechts)}"


# Wrapped text ----------------------------------------------------------------------------------

#: Advance widths of Arial in thousandths of its size, by character (Liberation Sans, which
#: LibreOffice prints for Arial, has the same widths). Neither Excel nor LibreOffice fits a row
#: to its wrapped text when opening a file, so the writers set each height; counting characters
#: instead of their widths took a row of "ii" for one of "mm" and made rows a line or more too
#: high, tables a page longer (print review).
_ARIAL_TAUSENDSTEL: dict[str, int] = {
    zeichen: breite
    for breite, zeichen_ in (
        (190, "'"),
        (222, "ijl‚‘’"),
        (259, "|¦"),
        (277, " !,./:;I[\\]ftÌÍÎÏìíîï"),
        (333, "()-`r{}¡¨²³´·¸¹„“”"),
        (350, "•"),
        (354, '"'),
        (365, "º"),
        (370, "ª"),
        (389, "*"),
        (399, "°"),
        (469, "^"),
        (500, "Jcksvxyzçýÿ"),
        (537, "¶"),
        (548, "±÷"),
        (552, "¯"),
        (556, "#$0123456789?L_abdeghnopqu¢£¤¥§«»àáâãäåèéêëðñòóôõöùúûüþ–€"),
        (576, "µ"),
        (583, "+<=>~¬×−"),
        (610, "FTZ¿ßø"),
        (666, "&ABEKPSVXYÀÁÂÃÄÅÈÉÊËÝÞ"),
        (722, "CDHNRUwÇÐÑÙÚÛÜ"),
        (736, "©®"),
        (777, "GOQÒÓÔÕÖØ"),
        (833, "Mm¼½¾"),
        (889, "%æ"),
        (943, "W"),
        (1000, "Æ—…→"),
        (1015, "@"),
    )
    for zeichen in zeichen_
}

#: Arial bold where it is wider than regular.
_ARIAL_FETT_TAUSENDSTEL: dict[str, int] = _ARIAL_TAUSENDSTEL | {
    zeichen: breite
    for breite, zeichen_ in (
        (237, "'"),
        (277, "ijl‚‘’"),
        (279, "|¦"),
        (333, "!:;[]ft"),
        (389, "r{}"),
        (474, '"'),
        (500, "„“”"),
        (556, "Jcksvxy¶çýÿ"),
        (583, "^"),
        (610, "?Lbdghnopquðñòóôõöùúûüþ"),
        (722, "&ABKÀÁÂÃÄÅ"),
        (777, "w"),
        (889, "m"),
        (975, "@"),
    )
    for zeichen in zeichen_
}

#: Pixels (96 per inch) a cell keeps free beside its text: about 3 on each side.
ZELLRAND_PX = 6
#: Pixels of an indent of one level (`indent: 1`): Excel about 9, LibreOffice three spaces.
EINZUG_PX = 11


def _zeichen_px(zeichen: str, punkt: float, fett: bool = False) -> float:
    """A character's width in pixels, the larger of its exact width and that rounded to whole
    pixels: Excel lays out text on the screen in whole pixels, LibreOffice exactly."""
    tabelle = _ARIAL_FETT_TAUSENDSTEL if fett else _ARIAL_TAUSENDSTEL
    genau = tabelle.get(zeichen, 1000 if ord(zeichen) > 0x2FF else 600) * punkt / 750
    return max(genau, float(round(genau)))


class _Zeichenbreiten(dict[str, float]):
    """Pixels of each character in one font size and weight, counted when first asked for."""

    def __init__(self, punkt: float, fett: bool) -> None:
        super().__init__()
        self.punkt, self.fett = punkt, fett

    def __missing__(self, zeichen: str) -> float:
        px = self[zeichen] = _zeichen_px(zeichen, self.punkt, self.fett)
        return px


@functools.lru_cache(maxsize=64)
def _zeichenbreiten(punkt: float, fett: bool) -> _Zeichenbreiten:
    return _Zeichenbreiten(punkt, fett)


@functools.lru_cache(maxsize=8192)
def _teil_px(teil: str, punkt: float, fett: bool) -> float:
    """The width of a piece of a word: words repeat in a workbook's texts, and adding up their
    characters made row heights the dearest part of a Korrekturexemplar (session 17); each
    character's width looked up, not counted anew (the Lenkungsgruppe's overview counts the
    words of a thousand AGs, session 24)."""
    return sum(map(_zeichenbreiten(punkt, fett).__getitem__, teil))


@functools.lru_cache(maxsize=4096)
def textzeilen(
    text: str, breite: float, punkt: float = 10, einzug: bool = False, fett: bool = False
) -> int:
    """Lines of Arial `text` wrapped in a column `breite` wide (Excel's unit, a digit of Arial
    10: 7 pixels, and 5 more per column), as the spreadsheet wraps it: at spaces and after a
    hyphen within a word ("Tourismus-|Marketinggesellschaft"), a line break starts a line, a
    word longer than the line is broken.

    Args:
        einzug: the cell's format is indented one level (text cells of the Arbeitsmappe).
        fett: in bold.
    """
    platz = max(int(breite * 7 + 5) - ZELLRAND_PX - (EINZUG_PX if einzug else 0), 10)
    leer = _zeichen_px(" ", punkt, fett)
    zeilen = 0
    for absatz in text.split("\n"):
        zeilen += 1
        belegt = 0.0  # pixels of the current line
        for wort in absatz.split():
            # most words have no hyphen: no regular expression for them
            teile = _NACH_BINDESTRICH.findall(wort) if "-" in wort else (wort,)
            for i, teil in enumerate(teile):
                laenge = _teil_px(teil, punkt, fett)
                davor = leer if i == 0 else 0.0
                if belegt and belegt + davor + laenge <= platz:
                    belegt += davor + laenge
                    continue
                if belegt:
                    zeilen += 1
                if laenge <= platz:  # the word starts the line (most): no letter counted
                    belegt = laenge
                    continue
                belegt = 0.0
                for z in teil:  # a word longer than the line goes on over several
                    px = _zeichen_px(z, punkt, fett)
                    if belegt and belegt + px > platz:
                        zeilen += 1
                        belegt = 0.0
                    belegt += px
    return zeilen


#: A word in the pieces a spreadsheet may wrap it into: each up to a hyphen between letters.
_NACH_BINDESTRICH = re.compile(r".+?(?:(?<=\w)-(?=\w)|$)")


def zusammen(breiten: list[float]) -> float:
    """The width of merged columns in Excel's unit (each column has 5 pixels beyond its width)."""
    return sum(breiten) + (len(breiten) - 1) * 5 / 7


def eine_seite_weniger(ws: Worksheet, hoehe: float, seite: float, rest: float) -> bool:
    """Print `hoehe` points on a page shorter, a little smaller, when the last of the pages
    `seite` points high would hold at most `rest` of a page: a few rows alone on a last page
    (the overview's Kommunen je Handlungsfeld, the Steuerungsmappe's AG-10; print reviews 19
    and 20). Only the rest counts, so a long table with a full last page keeps its size.
    Returns whether it does (the programs then break the pages themselves)."""
    seiten = math.ceil(hoehe / seite)
    if seiten > 1 and hoehe - (seiten - 1) * seite <= rest * seite:
        ws.fit_to_pages(1, seiten - 1)
        return True
    return False


def zeilenhoehe(zeilen: int, punkt: float = 10) -> float:
    """Points of a row of `zeilen` lines of Arial, 1.5 points for the cell's edges (at most
    Excel's 409).

    Excel puts the lines of Arial 10 as far apart as its default row is high, 17 pixels (12.75
    points: it fits a row of two lines to 25.5, of three to 38.25), LibreOffice 11.2 points.
    At 12 points a line, Excel showed less than the last line of a long text: 13 lines (the
    Ausgangslage of AG-05) lost 8 points of 12.75 (review 17b)."""
    return min(409.0, zeilen * punkt * 1.275 + 1.5)
