"""ikz_excel.xlsx writes byte for byte what stock XlsxWriter writes, only faster.

The memo of prepared formulas must not change a single part of the file: not for formulas in
cells, table column formulas, validations or conditional formats, and not for the newer
functions XlsxWriter prefixes with `_xlfn.` (with and without `use_future_functions`).
"""

from __future__ import annotations

import gc
import weakref
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ikz_excel import xlsx

FORMELN = [
    "=SUM(A1:A3)",
    "=XLOOKUP(1,A1:A3,B1:B3)",
    "=STDEV.S(A1:A3)+CEILING.MATH(A1)",
    '=IF(ISNUMBER(A1),A1,"")',
    "{=SUM(A1:A3*B1:B3)}",
]


def _schreiben(klasse: type, pfad: Path, zukunft: bool) -> None:
    wb = klasse(str(pfad), {"use_future_functions": zukunft, "in_memory": True})
    wb.set_properties({"created": datetime(2012, 4, 3, 12, 0, 0)})
    for name in ("Eins", "Zwei"):
        ws = wb.add_worksheet(name)
        for _ in range(2):  # the second round is served from the memo
            for r, formel in enumerate(FORMELN):
                ws.write_formula(r, 3, formel, None, 0)
        ws.add_table(
            10,
            0,
            14,
            2,
            {
                "name": f"tbl_{name}",
                "columns": [
                    {"header": "a"},
                    {"header": "b"},
                    {"header": "c", "formula": "=STDEV.S([@a],[@b])"},
                ],
            },
        )
        ws.data_validation(0, 0, 3, 0, {"validate": "custom", "value": "=ISOWEEKNUM(A1)>0"})
        ws.conditional_format(
            "A1:A3", {"type": "formula", "criteria": "=XOR(A1>1,B1>1)", "format": wb.add_format()}
        )
    wb.close()


@pytest.mark.parametrize("zukunft", [False, True])
def test_gleiche_datei_wie_xlsxwriter(tmp_path: Path, zukunft: bool) -> None:
    _schreiben(xlsxwriter.Workbook, tmp_path / "original.xlsx", zukunft)
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", zukunft)
    with (
        zipfile.ZipFile(tmp_path / "original.xlsx") as a,
        zipfile.ZipFile(tmp_path / "memo.xlsx") as b,
    ):
        assert a.namelist() == b.namelist()
        for teil in a.namelist():
            assert a.read(teil) == b.read(teil), teil


def test_memo_wird_benutzt(tmp_path: Path) -> None:
    if not hasattr(Worksheet, "_prepare_formula"):
        pytest.skip("XlsxWriter hat _prepare_formula umbenannt: das Memo ist wirkungslos")
    xlsx._vorbereitet.clear()
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", False)
    assert ("=SUM(A1:A3)", False, False) in xlsx._vorbereitet
    wb = xlsx.Mappe(str(tmp_path / "x.xlsx"))
    assert isinstance(wb.add_worksheet(), xlsx.Blatt)
    wb.close()


def test_gc_pause_laesst_die_einstellung_wie_sie_war() -> None:
    an = gc.isenabled()
    try:
        gc.enable()
        with pytest.raises(RuntimeError), xlsx.ohne_gc():
            assert not gc.isenabled()
            raise RuntimeError
        assert gc.isenabled()
        gc.disable()
        with xlsx.ohne_gc():
            pass
        assert not gc.isenabled()  # a caller who switched it off keeps it off
    finally:
        if an:
            gc.enable()


def test_geschlossene_mappe_ohne_zyklensammler_frei(tmp_path: Path) -> None:
    """Reference counting alone frees a closed Mappe: `arbeitsmappe_schreiben` relies on it to
    free its workbook before the cycle collector resumes (see `xlsx.Mappe.close`)."""
    an = gc.isenabled()
    gc.disable()
    try:
        _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", False)  # a closed Mappe left behind
        wb = xlsx.Mappe(str(tmp_path / "x.xlsx"), {"in_memory": True})
        ws = wb.add_worksheet("Eins")
        ws.write_string(0, 0, "a", wb.add_format({"bold": True}))
        wb.close()
        weg = weakref.ref(wb)
        del wb, ws
        assert weg() is None
    finally:
        if an:
            gc.enable()


def test_arbeitsmappe_ohne_zyklensammler_frei(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`arbeitsmappe_schreiben` returns with its workbook freed, nothing left to the collector."""
    from ikz_excel import erzeugen, stammdaten

    st = stammdaten.standard()
    mappen: list[weakref.ref[xlsx.Mappe]] = []
    schliessen = xlsx.Mappe.close

    def merken(self: xlsx.Mappe) -> None:
        mappen.append(weakref.ref(self))
        schliessen(self)

    monkeypatch.setattr(xlsx.Mappe, "close", merken)
    an = gc.isenabled()
    gc.disable()
    try:
        erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "a.xlsx")
        assert len(mappen) == 1
        assert mappen[0]() is None
    finally:
        if an:
            gc.enable()
