"""What the toolkit's XlsxWriter writers share: a workbook with a formula memo, a GC pause.

XlsxWriter's `Worksheet._prepare_formula` runs some thirty regular-expression substitutions on
every formula (to prefix Excel's newer functions with `_xlfn.`), and a table's column formula
once more for each of its rows. An Arbeitsmappe has about 200 of them, the same 125 distinct
ones for every AG, and a third of its writing time went there. The result depends only on the
formula text and two flags, so each distinct text is prepared once per process.

The overview of the Lenkungsgruppe has no use for the memo (each of its formulas names its own
row), but it shares the pause of the cycle collector below.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

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
    """`xlsxwriter.Workbook` whose `add_worksheet` hands out `Blatt`s and which, once closed,
    reference counting can free."""

    worksheet_class = Blatt

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
