"""ikz_excel.xlsx writes byte for byte what stock XlsxWriter writes, only faster.

One deliberate difference: a formula whose result nobody computed gets an empty one instead of
XlsxWriter's placeholder 0, so that LibreOffice computes it (`Blatt._write_formula`).
The memo of prepared formulas must not change a single part of the file: not for formulas in
cells, table column formulas, validations or conditional formats, and not for the newer
functions XlsxWriter prefixes with `_xlfn.` (with and without `use_future_functions`).
"""

from __future__ import annotations

import gc
import inspect
import re
import weakref
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

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
        _zellen(wb, ws)
    wb.close()


def _zellen(wb: Any, ws: Worksheet) -> None:
    """Every kind of cell, with and without a format, with row and column formats: the cells
    `Blatt` writes itself and those it leaves to XlsxWriter."""
    fett = wb.add_format({"bold": True})
    offen = wb.add_format({"locked": False, "bg_color": "#FFF2CC", "num_format": "0.00%"})
    ws.set_row(30, None, fett)
    ws.set_column(8, 8, 12, offen)
    zahlen = [0, -0.0, 0.1, 1 / 3, -42, 1e20, 1.5e-300, 12345678901234567, 2.5, 7]
    for r in range(20, 40):
        for c, fmt in enumerate([None, fett, offen]):
            ws.write_blank(r, c, None, fmt)
            ws.write_string(r, 3 + c, f'<&"> {r}\n_x0041_ \x01', fmt)
            ws.write_number(r, 6 + c, zahlen[r % len(zahlen)], fmt)
        ws.write_blank(r, 8, None)  # column format
        ws.write_string(r, 9, "Zeile")  # row format in row 30
        ws.write_datetime(r, 10, datetime(2024, 2, 29, 13, 30), offen)
        ws.write_boolean(r, 11, r % 2 == 0, fett)
        ws.write_formula(r, 12, f"=G{r + 1}*2", offen, 1)
        ws.write_rich_string(r, 13, "a", fett, "b", offen)
    ws.write_comment(41, 3, "Kommentar")


_PLATZHALTER = re.compile(rb"(<f>[^<]*</f>)<v>0</v>")


def _gleiche_teile(original: Path, unsere: Path, platzhalter_leer: bool = False) -> None:
    """Both workbooks hold the same parts with the same bytes.

    `platzhalter_leer`: the original's placeholder results (0) count as written empty.
    """
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(unsere) as b:
        assert a.namelist() == b.namelist()
        for teil in a.namelist():
            erwartet = a.read(teil)
            if platzhalter_leer:
                erwartet = _PLATZHALTER.sub(rb"\1<v></v>", erwartet)
            assert erwartet == b.read(teil), teil


@pytest.mark.parametrize("zukunft", [False, True])
def test_gleiche_datei_wie_xlsxwriter(tmp_path: Path, zukunft: bool) -> None:
    _schreiben(xlsxwriter.Workbook, tmp_path / "original.xlsx", zukunft)
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", zukunft)
    _gleiche_teile(tmp_path / "original.xlsx", tmp_path / "memo.xlsx", platzhalter_leer=True)


def test_formel_ohne_platzhalter_ergebnis(tmp_path: Path) -> None:
    """No cell or table formula of a `Mappe` carries a 0 nobody computed; a given result stays."""
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", False)
    with zipfile.ZipFile(tmp_path / "memo.xlsx") as z:
        blatt = z.read("xl/worksheets/sheet1.xml")
    assert _PLATZHALTER.search(blatt) is None
    # Three plain cell formulas and the table formula in its four rows; the array formulas
    # (XLOOKUP is one for XlsxWriter) keep theirs: an empty result would make them text.
    assert blatt.count(b"<v></v>") == 3 + 4
    assert blatt.count(b'<f t="array"') == 2
    assert b"<f>G21*2</f><v>1</v>" in blatt


def test_memo_wird_benutzt(tmp_path: Path) -> None:
    if not hasattr(Worksheet, "_prepare_formula"):
        pytest.skip("XlsxWriter hat _prepare_formula umbenannt: das Memo ist wirkungslos")
    xlsx._vorbereitet.clear()
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", False)
    assert ("=SUM(A1:A3)", False, False) in xlsx._vorbereitet
    wb = xlsx.Mappe(str(tmp_path / "x.xlsx"))
    assert isinstance(wb.add_worksheet(), xlsx.Blatt)
    wb.close()


def _funktionen_von_xlsxwriter() -> list[str]:
    """Every function name XlsxWriter's `_prepare_formula` prefixes (with or without future
    functions), read from its source; empty if it has none or no source."""
    try:
        quelle = inspect.getsource(Worksheet._prepare_formula)
    except (AttributeError, OSError, TypeError):
        return []
    return sorted(set(re.findall(r"_xlfn\.(?:_xlws\.)?([A-Z0-9.]+)\(", quelle)))


def test_formelgestalt_wie_xlsxwriter() -> None:
    """`Zellenblatt` asks XlsxWriter once per shape (digits as 0): for every function name
    XlsxWriter knows, amid numbers and cell references, it prepares what XlsxWriter prepares,
    for the second formula of a shape too (from the memo)."""
    namen = _funktionen_von_xlsxwriter()
    if not namen:
        pytest.skip("XlsxWriter bereitet Formeln anders vor: nichts zu vergleichen")
    assert {"XLOOKUP", "SINGLE", "T.DIST.2T"} <= set(namen)  # the list was read
    muster = [
        "={f}(A{z},B{z}:C9)",
        '=IF(ISNUMBER(J{z}),{f}(J{z},$J$8:$J$1007),"")',
        "=X{z}{f}({z})",  # a name right after a reference: no word boundary
        '=A{z}&" {f}("',  # inside a string
        "={z}{f}(1)",
        "{{={f}(A{z})}}",  # an array formula: left to XlsxWriter
        "={f}(A{z})}}",
        "=_xlfn.{f}(A{z})",  # already prefixed
    ]
    formeln = [m.format(f=f, z=z) for f in namen for m in muster for z in (1, 12, 345)]
    formeln += ["=A1INGLE(2)", "=1INGLE(2)", "=SUM(A1:A3)", "=K12", "XLOOKUP(A1,B1:B2,C1:C2)"]
    xlsx._gestalt_geaendert.clear()
    for zukunft in (False, True):
        for erweitern in (False, True):
            stock, unseres = Worksheet(), xlsx.Zellenblatt()
            stock.use_future_functions = unseres.use_future_functions = zukunft
            for formel in formeln:
                erwartet = stock._prepare_formula(formel, erweitern)
                assert unseres._prepare_formula(formel, erweitern) == erwartet, formel
    assert '=IF(ISNUMBER(J00),XLOOKUP(J00,$J$0:$J$0000),"")' in xlsx._gestalt_geaendert


def test_zellen_direkt_geschrieben() -> None:
    """With the XlsxWriter the toolkit was checked against, the direct path is in use, so that
    `test_gleiche_datei_wie_xlsxwriter` compares it."""
    if not hasattr(Worksheet, "_write_cell") or xlsx.CellBlankTuple is None:
        pytest.skip("XlsxWriter schreibt Zellen anders: Blatt überlässt sie ihm")
    assert xlsx._ZELLEN_WIE_XLSXWRITER


def test_zellen_anders_geschrieben_bleiben_xlsxwriter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the direct path found to differ, every cell goes through XlsxWriter."""
    monkeypatch.setattr(xlsx, "_ZELLEN_WIE_XLSXWRITER", False)
    aufgerufen = []
    monkeypatch.setattr(
        xlsx.Blatt, "_zelle_direkt", lambda *a: aufgerufen.append(a) or True, raising=True
    )
    _schreiben(xlsx.Mappe, tmp_path / "memo.xlsx", False)
    assert not aufgerufen
    _schreiben(xlsxwriter.Workbook, tmp_path / "original.xlsx", False)
    _gleiche_teile(tmp_path / "original.xlsx", tmp_path / "memo.xlsx", platzhalter_leer=True)


def _alle_zellen(klasse: type, pfad: Path, optionen: dict[str, bool]) -> None:
    wb = klasse(str(pfad), optionen)
    wb.set_properties({"created": datetime(2012, 4, 3, 12, 0, 0)})
    fett = wb.add_format({"bold": True})
    geld = wb.add_format({"num_format": '#,##0.00 "€"'})
    datum = wb.add_format({"num_format": "DD.MM.YYYY"})
    ws = wb.add_worksheet("Zellen")
    ws.set_row(3, 20, fett)  # unformatted cells take the row's format
    ws.set_column(2, 2, 12, geld)  # or the column's
    texte = ["a", 'ä & <b> "x"', "  Leerraum ", "Zeile\nzwei", "\x01 Steuer", "=1+1", "a"]
    zahlen = [0, -1, 1.5, 1e20, 1 / 3, 12345678901234567890, -0.0, 2**-30]
    # Zellenblatt's direct writers where there are any, so their cells are compared too.
    text, zahl_ = getattr(ws, "text", ws.write_string), getattr(ws, "zahl", ws.write_number)
    for r in range(8):
        for c, wert in enumerate(texte):
            text(r, c, wert, fett if r % 2 else None)
        for c, zahl in enumerate(zahlen, start=len(texte)):
            zahl_(r, c, zahl, geld if r % 3 else None)
        ws.write_datetime(r, 20, datetime(2026, 12, 1, 12, 30), datum)
        ws.write_formula(r, 21, "=A1&B1", fett, "ab")
        ws.write_blank(r, 22, None, fett)
        ws.write_boolean(r, 23, True, fett)
        ws.write_rich_string(r, 24, "x", fett, "y", fett)
        ws.write_url(r, 25, "https://example.org/?a=1&b=2", fett, "Link")
    if not optionen.get("constant_memory"):  # tables need the whole sheet in memory
        ws.add_table(10, 0, 13, 2, {"name": "tbl_Zellen", "data": [["x", 1, 2.5]] * 3})
    assert ws.constant_memory == bool(optionen.get("constant_memory"))
    wb.close()


# "in_memory" would switch constant_memory off again.
@pytest.mark.parametrize("optionen", [{"in_memory": True}, {"constant_memory": True}])
def test_zellenmappe_schreibt_wie_xlsxwriter(tmp_path: Path, optionen: dict[str, bool]) -> None:
    _alle_zellen(xlsxwriter.Workbook, tmp_path / "original.xlsx", optionen)
    _alle_zellen(xlsx.Zellenmappe, tmp_path / "zellen.xlsx", optionen)
    _gleiche_teile(tmp_path / "original.xlsx", tmp_path / "zellen.xlsx")


def test_zellenblatt_schreibt_selbst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the speed, not the bytes: the fast path must still match XlsxWriter's cells."""
    if not xlsx._ZELLEN_WIE_XLSXWRITER:
        pytest.skip("XlsxWriter schreibt Zellen anders: der schnelle Weg ist abgeschaltet")
    an_xlsxwriter: list[str] = []
    original = Worksheet._write_cell

    def gezaehlt(self: Worksheet, row: int, col: int, cell: object) -> None:
        an_xlsxwriter.append(type(cell).__name__)
        original(self, row, col, cell)

    monkeypatch.setattr(Worksheet, "_write_cell", gezaehlt)
    wb = xlsx.Zellenmappe(str(tmp_path / "z.xlsx"), {"in_memory": True})
    ws = wb.add_worksheet()
    fett = wb.add_format({"bold": True})
    ws.text(0, 0, "a", fett)
    ws.zahl(0, 1, 1.5, fett)
    ws.write_datetime(0, 2, datetime(2026, 1, 1), fett)
    ws.write_string(0, 3, "ohne Format")
    ws.write_formula(0, 4, "=1", fett, 1)
    wb.close()
    assert an_xlsxwriter == ["String", "Formula"]


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


# Header sections (xlsx.kopfzeile): the PDF tests (test_druck, test_uebersicht_druck) see a
# header as printed; these see each rule of the code at its edge, where a slip moves one
# character.

_LANG = "Interkommunale Zusammenarbeit " * 5  # 150 characters


@pytest.mark.parametrize(
    ("text", "erwartet"),
    [
        ("Bau & Umwelt", "Bau && Umwelt"),  # one "&" would start a code
        ("07 – Bauhof", " 07 – Bauhof"),  # after "&8" a digit would be read as the size
        ("2. Welle", " 2. Welle"),
        ("AG-07", "AG-07"),
        ("", ""),
        # cut after whole characters: 118 of them and "…" fill the 119 left beside the space
        # a leading digit may need
        ("x" * 200, "x" * 118 + "…"),
        ("x" * 119, "x" * 119),
        ("x" * 120, "x" * 118 + "…"),
        # the cut never falls between the two "&" of one: a lone "&" took the next code
        ("a" * 117 + "&" + "b" * 10, "a" * 117 + "…"),
        ("a" * 116 + "&" + "b" * 10, "a" * 116 + "&&…"),
        # spaces before the cut go: "Zusammenarbeit …" would print a gap
        (_LANG, _LANG[:118].rstrip() + "…"),
        # Excel counts UTF-16 units: a character outside the BMP is two
        ("😀" * 70, "😀" * 59 + "…"),
    ],
)
def test_kopfzeilenabschnitt(text: str, erwartet: str) -> None:
    assert xlsx.kopfzeilenabschnitt(text) == erwartet


@pytest.mark.parametrize("text", ["9" * 300, "Bau & " * 60, "&" * 200, "1 & 2 " * 50])
def test_kopfzeile_bleibt_unter_excels_255_zeichen(text: str) -> None:
    """Two sections of at most 120 UTF-16 units with their codes: under Excel's 255, also
    with a leading digit's space."""
    kopf = xlsx.kopfzeile(text, text)
    assert kopf.startswith("&L&8 " if text[0].isdigit() else "&L&8")
    assert len(kopf.encode("utf-16-le")) // 2 <= 255
    links = kopf.removeprefix("&L&8").split("&R&8")[0]
    assert len(links) <= xlsx.KOPFZEILE_ABSCHNITT
    # every "&" paired: no code begins inside the text
    assert re.fullmatch(r"(?:[^&]|&&)*", links), links


def _zeilen_schreiben(klasse: type, pfad: Path) -> None:
    wb = klasse(str(pfad), {"in_memory": True})
    wb.set_properties({"created": datetime(2012, 4, 3, 12, 0, 0)})
    ws = wb.add_worksheet()
    umbruch = wb.add_format({"text_wrap": True, "locked": False})
    wachsen = getattr(ws, "wachsende_zeile", ws.set_row)
    ws.write_string(0, 0, "Titel")
    ws.set_row(0, 22)  # set by hand: stays
    ws.write_string(1, 0, "eine Antwort über\nzwei Zeilen", umbruch)
    wachsen(1, 27)
    wachsen(3, 40)  # a row without cells: XlsxWriter writes it as an empty element
    ws.set_row_pixels(4, 30, None, {"hidden": True})
    ws.write_string(4, 0, "versteckt")
    wb.close()


def test_wachsende_zeile_ohne_customheight(tmp_path: Path) -> None:
    """A row's height from its text, written as Excel writes a row it fits itself: `ht`
    without customHeight="1", so that it grows as the clerk types (Excel, LibreOffice); the
    file otherwise as XlsxWriter writes it. Fails should a later XlsxWriter write its rows
    otherwise (`Zellenblatt._write_row`): the rows would no longer grow."""
    _zeilen_schreiben(xlsxwriter.Workbook, tmp_path / "original.xlsx")
    _zeilen_schreiben(xlsx.Mappe, tmp_path / "unsere.xlsx")
    with zipfile.ZipFile(tmp_path / "unsere.xlsx") as z:
        blatt = z.read("xl/worksheets/sheet1.xml").decode()
    zeilen = dict(re.findall(r'<row r="(\d+)"([^>]*?)/?>', blatt))
    assert zeilen["1"].endswith('ht="21.75" customHeight="1"')
    assert zeilen["2"].endswith('ht="27"')
    assert zeilen["4"].endswith('ht="39.75"')
    assert 'hidden="1" customHeight="1"' in zeilen["5"]
    with zipfile.ZipFile(tmp_path / "original.xlsx") as z:
        original = z.read("xl/worksheets/sheet1.xml").decode()
    ohne = re.sub(r'(<row r="[24]"[^>]*?) customHeight="1"', r"\1", original)
    assert ohne == blatt


def test_set_row_nach_wachsende_zeile_setzt_die_zeile_fest(tmp_path: Path) -> None:
    """The last call for a row decides, as for XlsxWriter's own settings: a row that
    `wachsende_zeile` had set and `set_row` sets again (for the layout) is written set by hand,
    one set the other way round grows (review 18b: it stayed growing after `set_row`)."""
    wb = xlsx.Mappe(str(tmp_path / "zeilen.xlsx"), {"in_memory": True})
    ws = wb.add_worksheet()
    umbruch = wb.add_format({"text_wrap": True, "locked": False})
    for r in (0, 1):
        ws.write_string(r, 0, "eine Antwort über\nzwei Zeilen", umbruch)
    ws.wachsende_zeile(0, 27)
    ws.set_row(0, 40)  # afterwards set by hand: stays 40
    ws.set_row(1, 40)
    ws.wachsende_zeile(1, 27)  # afterwards growing
    wb.close()
    with zipfile.ZipFile(tmp_path / "zeilen.xlsx") as z:
        blatt = z.read("xl/worksheets/sheet1.xml").decode()
    zeilen = dict(re.findall(r'<row r="(\d+)"([^>]*?)/?>', blatt))
    assert zeilen["1"].endswith('ht="39.75" customHeight="1"')
    assert zeilen["2"].endswith('ht="27"')
