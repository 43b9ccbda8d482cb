"""What the toolkit's XlsxWriter writers share: a workbook with a formula memo, a GC pause.

XlsxWriter's `Worksheet._prepare_formula` runs some thirty regular-expression substitutions on
every formula (to prefix Excel's newer functions with `_xlfn.`), and a table's column formula
once more for each of its rows. An Arbeitsmappe has about 200 of them, the same 125 distinct
ones for every AG, and a third of its writing time went there. The result depends only on the
formula text and two flags, so each distinct text is prepared once per process.

The overview of the Lenkungsgruppe has no use for the memo (each of its formulas names its own
row), but it shares the pause of the cycle collector below. Its quarter of a million cells are
nearly all text and numbers, and writing their XML in `close()` took a fifth of its time: the
`Zellenblatt` below writes those two kinds directly.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

try:
    from xlsxwriter.utility import xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple
except ImportError:  # a later XlsxWriter without them: every cell is left to XlsxWriter
    _ZAHLEN: tuple[type, ...] = ()
    _TEXTE: tuple[type, ...] = ()
else:
    _ZAHLEN = (CellNumberTuple, CellDatetimeTuple)
    _TEXTE = (CellStringTuple,)

#: Prepared formulas kept at most: a bound for long-running processes, not a tuning knob. All
#: Arbeitsmappen together have about 125 distinct formulas; when full, the memo starts over.
GRENZE = 10_000
_vorbereitet: dict[tuple[str, bool, bool], str] = {}


class Blatt(Worksheet):
    """A worksheet whose formula preparation is memoized; writes exactly what XlsxWriter writes.

    `_prepare_formula` is private to XlsxWriter (checked against 3.3). Should a later version
    rename it or change its arguments so that it is no longer called this way, this override is
    simply never used: nothing breaks, writing is only as slow as before.
    """

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


class Mappe(Workbook):
    """`xlsxwriter.Workbook` whose `add_worksheet` hands out `Blatt`s."""

    worksheet_class = Blatt


class Zellenblatt(Worksheet):
    """A worksheet that writes its text and number cells faster; the same bytes as XlsxWriter.

    For each cell `Worksheet._write_cell` builds a list of attributes, escapes each (an integer
    style index by way of a caught TypeError) and dispatches on the name of the cell's class.
    A formatted text or number cell (a shared-string index or a number, in XlsxWriter's own
    cell tuples) always comes out as one fixed pattern, written here with one f-string. Every
    other cell, an unformatted one, and constant_memory mode go to XlsxWriter as they are.

    `_write_cell` and the cell tuples are private to XlsxWriter (checked against 3.3.1). Should
    a later version rename them, this override is never used or never matches: nothing breaks,
    writing is only as slow as before. Should it change the XML of a cell, tests/test_xlsx.py
    compares with stock XlsxWriter byte for byte and says so.
    """

    #: `write_string` and `write_number` without the wrapper that first tries the row as A1
    #: notation (`int(row)` in a try, arguments repacked): for the overview's 250,000 cells that
    #: was 5 % of its time. XlsxWriter's own undecorated writers (3.3.1), else the public ones.
    text = getattr(Worksheet, "_write_string", Worksheet.write_string)
    zahl = getattr(Worksheet, "_write_number", Worksheet.write_number)

    def _write_cell(self, row: int, col: int, cell: Any, *weitere: Any, **benannt: Any) -> None:
        art = type(cell)
        fmt = cell.format if art in _TEXTE or art in _ZAHLEN else None
        if fmt and not weitere and not benannt and not self.constant_memory:
            xf = fmt._get_xf_index()
            if type(xf) is int:
                ort = xl_rowcol_to_cell_fast(row, col)
                if art in _TEXTE:
                    self.fh.write(f'<c r="{ort}" s="{xf}" t="s"><v>{cell.string}</v></c>')
                else:
                    self.fh.write(f'<c r="{ort}" s="{xf}"><v>{cell.number:.16G}</v></c>')
                return
        super()._write_cell(row, col, cell, *weitere, **benannt)


class Zellenmappe(Workbook):
    """`xlsxwriter.Workbook` whose `add_worksheet` hands out `Zellenblatt`s."""

    worksheet_class = Zellenblatt


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
