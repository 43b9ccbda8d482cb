"""The printed layout of the Arbeitsmappe and of the Prüfbericht.

Page setup is read back with openpyxl (orientation, A4, fit to width, print titles, print
area); whether that prints as intended is checked once with LibreOffice: one soffice call
turns a blank and a filled workbook into PDFs, whose bookmarks (one per sheet) tell on which
page each sheet starts, so the pages per sheet can be counted without a PDF library.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from libreoffice import (
    _profil_anlegen,
    braucht_libreoffice,
    im_ci,
    soffice_pfad,
    soffice_umwandeln,
    zeilenhoehen,
)
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from ikz_excel import berichte, definition, demo, demo_daten, erzeugen, pruefen, stammdaten, xlsx

ZEITPUNKT = datetime(2012, 10, 1, 9, 0)
#: Smallest print scale still comfortably readable (10 pt text prints at 6.5 pt).
MINDESTMASSSTAB = 0.65


@pytest.fixture(scope="module")
def mappen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    st = stammdaten.standard()
    ag = st.arbeitsgruppen[0]
    ordner = tmp_path_factory.mktemp("druck")
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    return {
        "leer": erzeugen.arbeitsmappe_schreiben(st, ag, ordner / "leer.xlsx", erzeugt_am=ZEITPUNKT),
        "gefuellt": erzeugen.arbeitsmappe_schreiben(
            st,
            ag,
            ordner / "gefuellt.xlsx",
            erzeugt_am=ZEITPUNKT,
            eingaben=eingaben,
            felder=felder,
        ),
    }


@pytest.fixture(scope="module")
def leer(mappen: dict[str, Path]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(mappen["leer"])


def _sichtbar(wb: openpyxl.Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def _tabellenblaetter() -> list[definition.Blatt]:
    return [b for b in definition.arbeitsmappe().blaetter if b.art == "tabellen"]


def _spaltenbreite_px(ws: Worksheet, bis_spalte: int) -> float:
    """Width of columns A.. in pixels (Arial 10: a width unit is 7 px; default 8.43)."""
    breiten = dict.fromkeys(range(1, bis_spalte + 1), 8.43)
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for c in range(dim.min, min(dim.max or dim.min, bis_spalte) + 1):
                breiten[c] = dim.width
    return sum(b * 7 for b in breiten.values())


def _druckbereich(ws: Worksheet) -> str:
    """The print area without the sheet name, e.g. '$A$1:$E$33'."""
    return str(ws.print_area).split(",")[0].split("!")[-1]


def _letzte_druckspalte(ws: Worksheet) -> int:
    if ws.print_area:
        return range_boundaries(_druckbereich(ws))[2]
    return ws.max_column


def test_alle_blaetter_a4_quer_und_eine_seite_breit(leer: openpyxl.Workbook) -> None:
    """One orientation for the whole workbook; input sheets grow downwards page by page."""
    for ws in _sichtbar(leer):
        ps = ws.page_setup
        assert ps.paperSize == 9, ws.title
        assert ps.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ps.fitToWidth in (None, 1), ws.title  # None: the default, 1
        hoch = 1 if ws.title == "Wirtschaftlichkeit" else 0
        assert (1 if ps.fitToHeight is None else ps.fitToHeight) == hoch, ws.title  # None: 1


def test_massstab_lesbar(leer: openpyxl.Workbook) -> None:
    """Fit to width must not shrink a sheet below MINDESTMASSSTAB (Projektbeschreibung was
    at a third: its columns served the Varianten table below)."""
    for ws in _sichtbar(leer):
        m = ws.page_margins
        papier = 11.69 if ws.page_setup.orientation == "landscape" else 8.27  # A4, inches
        druckbreite_px = (papier - m.left - m.right) * 96
        massstab = min(1.0, druckbreite_px / _spaltenbreite_px(ws, _letzte_druckspalte(ws)))
        assert massstab >= MINDESTMASSSTAB, f"{ws.title}: {massstab:.0%}"


def test_druckbereich_endet_mit_der_tabelle(leer: openpyxl.Workbook) -> None:
    """Reserve rows below a free table stay input cells but are not printed."""
    mdef = definition.arbeitsmappe()
    for blatt in _tabellenblaetter():
        ws = leer[blatt.name]
        assert ws.print_area, blatt.name
        _, oben, rechts, unten = range_boundaries(_druckbereich(ws))
        assert oben == 1
        tabellenende = max(range_boundaries(ws.tables[t.name].ref)[3] for t in blatt.tabellen)
        breite = max(len(t.spalten) for t in blatt.tabellen)
        assert rechts >= breite, blatt.name
        assert tabellenende <= unten <= tabellenende + 3, blatt.name  # + sums below
        for tdef in blatt.tabellen:
            if not tdef.frei or not tdef.reserve:
                continue
            # the last reserve row: outside the print area, still an open input cell
            zeile = range_boundaries(ws.tables[tdef.name].ref)[3] + tdef.reserve
            c = next(i for i, s in enumerate(tdef.spalten, 1) if s.eingabe)
            zelle = ws.cell(zeile, c)
            assert zeile > unten
            assert zelle.protection.locked is False, zelle.coordinate
            assert any(zelle.coordinate in dv.sqref for dv in ws.data_validations.dataValidation)
    assert mdef.blatt("Risiken").querformat
    risiken = leer["Risiken"]
    rechts = range_boundaries(_druckbereich(risiken))[2]
    assert rechts >= len(mdef.tabelle("tbl_Risiken").spalten) + 7  # the heat map beside


def test_druckbereich_gefuellt_endet_nach_den_eintraegen(mappen: dict[str, Path]) -> None:
    """Print review: a filled workbook printed every pre-sized empty row of its tables (three
    entries and 37 empty rows, a second page of nothing). Written with entries, a free table
    prints them and three empty rows; the blank workbook keeps its form."""
    gefuellt = openpyxl.load_workbook(mappen["gefuellt"])
    leer = openpyxl.load_workbook(mappen["leer"])
    for name in ("Stärken-Schwächen", "Ressourcen", "Nutzen", "Zeitplan"):
        ws = gefuellt[name]
        (tabelle,) = ws.tables.values()
        _, oben, _, unten = range_boundaries(tabelle.ref)
        eingetragen = max(
            r for r in range(oben + 1, unten + 1) if ws.cell(r, 2).value not in (None, "")
        )
        assert range_boundaries(_druckbereich(ws))[3] == eingetragen + 3, name
        assert range_boundaries(_druckbereich(leer[name]))[3] >= unten, name


def test_drucktitel(leer: openpyxl.Workbook) -> None:
    for blatt in _tabellenblaetter():
        ws = leer[blatt.name]
        kopf = range_boundaries(ws.tables[blatt.tabellen[0].name].ref)[1]
        if len(blatt.tabellen) == 1:
            assert ws.print_title_rows == f"${kopf}:${kopf}", blatt.name
            continue
        # Projektbeschreibung: the Varianten under no other table's header (print review:
        # their names printed under "Nr")
        assert not ws.print_title_rows, blatt.name
    # the chart sits below the year table's header: a repeated header would print over it
    assert not leer["Wirtschaftlichkeit"].print_title_rows
    hinweise = leer["Hinweise"]
    titel = next(r for r in hinweise.iter_rows() if r[0].value == "Die Eingabefelder im Einzelnen")[
        0
    ].row
    assert hinweise.print_title_rows == f"${titel + 1}:${titel + 1}"
    assert hinweise.cell(titel + 1, 2).value == "Spalte / Feld"
    # the section starts a page: else its header would also print above page 1
    assert [b.id for b in hinweise.row_breaks.brk] == [titel - 1]


def test_zahlenformate_ohne_null_in_leeren_zeilen(leer: openpyxl.Workbook) -> None:
    """Formulas of empty rows give 0: shown as nothing where 0 means 'not filled in'."""

    def format_von(blatt: str, tabelle: str, kopf: str) -> str:
        ws = leer[blatt]
        links, oben, _, _ = range_boundaries(ws.tables[tabelle].ref)
        tdef = definition.arbeitsmappe().tabelle(tabelle)
        return ws.cell(oben + 1, links + tdef.koepfe.index(kopf)).number_format

    assert format_von("Risiken", "tbl_Risiken", "Risikowert") == '0;-0;""'
    assert format_von("Ressourcen", "tbl_Ressourcen", "Kosten").endswith(';""')
    # a share of 0 % is a value a reader must see
    assert format_von("Kostenausgleich", "tbl_Kostenausgleich", "Anteil") == "0.00 %"
    assert leer["Zeitplan"]["C4"].alignment.horizontal == "center"  # Termin


def test_eine_schrift_auf_jedem_blatt(mappen: dict[str, Path]) -> None:
    """Print review: the links to the sheets on the cover (Vollständigkeit) printed in Excel's
    Calibri 11 among the Arial 10 of the page."""
    wb = openpyxl.load_workbook(mappen["gefuellt"])
    for ws in _sichtbar(wb):
        schriften = {
            (z.font.name, z.coordinate)
            for zeile in ws.iter_rows()
            for z in zeile
            if z.value is not None and z.font.name != "Arial"
        }
        assert not schriften, ws.title
    links = [z for z in wb["Hinweise"]["A"] if z.hyperlink is not None]
    assert len(links) >= 9 and {(z.font.sz, z.font.u) for z in links} == {(10, "single")}


def test_ganze_zahlen_ohne_dezimalkomma(leer: openpyxl.Workbook) -> None:
    """Print review: Excel shows "#,##0.####" with its separator even for a whole number, a
    Menge of 10 as "10," and a Fallzahl of 620 as "620,". A conditional format gives whole
    numbers "#,##0", in every cell where the column takes input (the rows below included)."""
    gefunden = []
    for blatt in _tabellenblaetter():
        ws = leer[blatt.name]
        for tdef in blatt.tabellen:
            links, oben, _, _ = range_boundaries(ws.tables[tdef.name].ref)
            for c, spalte in enumerate(tdef.spalten, start=links):
                if ".#" not in ws.cell(oben + 1, c).number_format:
                    continue
                gefunden.append(spalte.kopf)
                buchstabe = get_column_letter(c)
                (eingabe,) = [
                    dv.sqref
                    for dv in ws.data_validations.dataValidation
                    if buchstabe in str(dv.sqref)
                ]
                ganz = [
                    (cf.sqref, r)
                    for cf in ws.conditional_formatting
                    for r in cf.rules
                    if r.dxf and r.dxf.numFmt and r.dxf.numFmt.formatCode == "#,##0"
                ]
                assert [str(b) for b, _ in ganz] == [str(eingabe)], spalte.kopf
                ((_, regel),) = ganz
                zelle = f"${buchstabe}{oben + 1}"
                assert regel.formula == [f"AND(ISNUMBER({zelle}),{zelle}=INT({zelle}))"]
    assert sorted(gefunden) == ["Fallzahl", "Menge"]


def test_summenhinweis_im_kostenausgleich_ganz_sichtbar(leer: openpyxl.Workbook) -> None:
    """Print review: the verdict under "Summe der Anteile" wraps in its column, but its row
    had the default height, so Excel showed "Achtung: Die Anteile" and cut the rest."""
    ws = leer["Kostenausgleich"]
    (zelle,) = [
        z for r in ws.iter_rows() for z in r if isinstance(z.value, str) and "Achtung" in z.value
    ]
    assert "Achtung: Die Anteile ergeben nicht 100 %." in zelle.value
    assert zelle.alignment.wrap_text and zelle.font.b
    # two lines of 10 pt bold in a column of width 14: LibreOffice printed them so
    assert ws.column_dimensions[zelle.column_letter].width < 20
    assert (ws.row_dimensions[zelle.row].height or 15) >= 2 * 13


# Prüfbericht ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pruefbericht(mappen: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    st = stammdaten.standard()
    ergebnis = pruefen.pruefen(list(mappen.values()), st)
    lang = "Korrektur_AG-06-Hoch-und-Tiefbau-baufachliche-Begleitung-ausgefuellt.xlsx"
    korrekturen = {ergebnis.dateien[0].name: Path(lang)}
    ziel = tmp_path_factory.mktemp("bericht") / "Pruefbericht.xlsx"
    return berichte.pruefbericht_schreiben(ergebnis, ziel, korrekturen, "2012-11-30T14:05:00")


def test_pruefbericht_kopf_und_fusszeile(pruefbericht: Path) -> None:
    wb = openpyxl.load_workbook(pruefbericht)
    for ws, titelzeile in ((wb["Dateien"], "$3:$3"), (wb["Befunde"], "$1:$1")):
        assert ws.oddHeader.left.text == "Prüfbericht der Rückläufe"
        assert ws.oddHeader.right.text == ws.title
        assert ws.oddFooter.left.text == "Stand 30.11.2012 14:05"
        assert ws.oddFooter.right.text == "Seite &P von &N"
        assert ws.print_title_rows == titelzeile
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.page_margins.left < 0.7  # not the default margins


def test_pruefbericht_zahlenspalten_und_verweise(pruefbericht: Path) -> None:
    ws = openpyxl.load_workbook(pruefbericht)["Dateien"]
    koepfe = {c.value: c for c in ws[3]}
    for kopf in ("Fehler", "Warnungen", "Hinweise"):
        spalte = koepfe[kopf].column
        assert koepfe[kopf].alignment.horizontal == ws.cell(4, spalte).alignment.horizontal
        assert ws.cell(4, spalte).alignment.horizontal in ("center", "right")
    verweis = ws.cell(4, koepfe["Korrektur"].column)
    assert verweis.hyperlink is not None
    buchstabe = koepfe["Korrektur"].column_letter
    assert ws.column_dimensions[buchstabe].width >= len(verweis.value)


def test_pruefbericht_blattnamen_ganz(pruefbericht: Path) -> None:
    """Print review: the column Blatt printed "Projektbeschreibun" over "g"."""
    ws = openpyxl.load_workbook(pruefbericht)["Befunde"]
    blatt = next(c for c in ws[1] if c.value == "Blatt")
    laengster = max(len(b.name) for b in definition.arbeitsmappe().blaetter if b.art != "intern")
    assert ws.column_dimensions[blatt.column_letter].width >= laengster + 1


def test_pruefbericht_spaltennamen_ganz(pruefbericht: Path) -> None:
    """Print review: the column Spalte (18 wide) printed "Eintrittswahrscheinlichkei" over
    "t". It is as wide as the longest word of a column header or field name."""
    ws = openpyxl.load_workbook(pruefbericht)["Befunde"]
    spalte = next(c for c in ws[1] if c.value == "Spalte")
    mappe = definition.arbeitsmappe()
    namen = [k for _, t in mappe.tabellen for k in t.koepfe]
    namen += [f.bezeichnung for _, f in mappe.felder]
    laengstes = max((w for n in namen for w in n.split()), key=len)
    assert laengstes == "Eintrittswahrscheinlichkeit"
    assert ws.column_dimensions[spalte.column_letter].width >= len(laengstes) + 1


def test_pruefbericht_zeigt_werte_wie_die_meldung(tmp_path: Path) -> None:
    """Print review: the column Wert showed Python's "-1234.5" (read in German: minus twelve
    thousand), "2500000000.0" and "2019-03-31" beside a message with "-1234,5",
    "2.500.000.000" and "31.03.2019"."""
    st = stammdaten.standard()
    ag = st.arbeitsgruppen[0]
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    eingaben["tbl_Ressourcen"][0]["Kostensatz"] = -1234.5
    eingaben["tbl_Ressourcen"][1]["Menge"] = 2_500_000_000
    eingaben["tbl_Meilensteine"][0]["Termin"] = datetime(2019, 3, 31)
    mappe = erzeugen.arbeitsmappe_schreiben(
        st, ag, tmp_path / "AG-01.xlsx", eingaben=eingaben, felder=felder
    )
    ergebnis = pruefen.pruefen([mappe], st)
    bericht = berichte.pruefbericht_schreiben(ergebnis, tmp_path / "Pruefbericht.xlsx", {}, None)
    ws = openpyxl.load_workbook(bericht)["Befunde"]
    koepfe = [c.value for c in ws[1]]
    zeilen = [dict(zip(koepfe, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    werte = {z["Spalte"]: z["Wert"] for z in zeilen}
    assert werte == {"Kostensatz": "-1234,5", "Menge": "2.500.000.000", "Termin": "31.03.2019"}
    for z in zeilen:
        assert z["Wert"] in z["Meldung"], z


# LibreOffice: pages per sheet ---------------------------------------------------------------


def _als_pdf(dateien: list[Path], ziel: Path) -> dict[Path, bytes]:
    """All files to PDF in one soffice start (own profile, ASCII names)."""
    assert soffice_pfad() is not None, "LibreOffice (soffice) fehlt"
    arbeit = Path(tempfile.mkdtemp(prefix="ikz_druck_"))
    try:
        _profil_anlegen(arbeit / "profil")
        kopien = []
        for i, d in enumerate(dateien):
            kopien.append(arbeit / f"d{i}{d.suffix}")
            shutil.copyfile(d, kopien[-1])
        rueckgabe, _, stderr = soffice_umwandeln(arbeit / "profil", "pdf", ziel, kopien, 180)
        assert rueckgabe is not None, stderr
        return {
            d: (ziel / f"{k.stem}.pdf").read_bytes() for d, k in zip(dateien, kopien, strict=True)
        }
    finally:
        shutil.rmtree(arbeit, ignore_errors=True)


def _seiten_je_blatt(pdf: bytes) -> dict[str, tuple[int, str]]:
    """Sheet -> (pages, orientation) from the bookmarks LibreOffice writes, one per sheet."""
    text = pdf.decode("latin-1")
    kids = re.findall(r"/Kids\[([^\]]*)\]", text)
    assert len(kids) == 1, "ein flacher Seitenbaum erwartet"
    seiten = [int(n) for n in re.findall(r"(\d+) 0 R", kids[0])]
    anfaenge = []
    for hexa, ref in re.findall(r"/Title<FEFF([0-9A-F]*)>\s*/Dest\[(\d+) 0 R", text):
        anfaenge.append((bytes.fromhex(hexa).decode("utf-16-be"), seiten.index(int(ref))))
    ergebnis = {}
    for i, (blatt, erste) in enumerate(anfaenge):
        naechste = anfaenge[i + 1][1] if i + 1 < len(anfaenge) else len(seiten)
        obj = re.search(rf"\n{seiten[erste]} 0 obj\s*<<.*?/MediaBox\[([^\]]*)\]", text, re.S)
        assert obj is not None
        breite, hoehe = (float(x) for x in obj.group(1).split()[2:4])
        ergebnis[blatt] = (naechste - erste, "landscape" if breite > hoehe else "portrait")
    return ergebnis


@pytest.fixture(scope="module")
def korrektur(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Korrektur copy as the demo's `ikz konsolidieren` writes it (AG-07: shares of 300 %)."""
    lauf = demo.demo(tmp_path_factory.mktemp("demo") / "ikz-demo")
    return lauf.arbeitsbereich / "berichte" / "Korrektur_AG-07-Brandschutz-ausgefuellt.xlsx"


@pytest.fixture(scope="module")
def korrektur_ganze_menge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Korrektur copy whose only marked cell on Ressourcen is a whole Menge (2.000.000)."""
    ordner = tmp_path_factory.mktemp("menge")
    st = stammdaten.standard()
    ag = st.arbeitsgruppen[0]
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    eingaben["tbl_Ressourcen"][0].update(Menge=2_000_000, Kostensatz=1)
    mappe = erzeugen.arbeitsmappe_schreiben(
        st, ag, ordner / "AG-01.xlsx", eingaben=eingaben, felder=felder
    )
    (d,) = pruefen.pruefen([mappe], st).dateien
    auf_ressourcen = [(b.spalte, b.wert) for b in d.befunde if b.blatt == "Ressourcen"]
    assert auf_ressourcen == [("Menge", 2_000_000)]  # the only red cell of the sheet
    kopie = berichte.korrektur_schreiben(d, st, ordner / "Korrektur_AG-01.xlsx")
    assert kopie is not None
    return kopie


#: An AG's name whose "&", doubled in Excel's header code, stood at its 100th character.
LANGER_NAME = (
    "Bauaufsicht, Denkmalschutz, untere Naturschutzbehörde, Wasserbehörde, Bodenschutz, "
    "Lärmschutz & Abfallrecht"
)


@pytest.fixture(scope="module")
def langer_name(tmp_path_factory: pytest.TempPathFactory) -> Path:
    st = stammdaten.standard()
    ag = dataclasses.replace(st.arbeitsgruppen[0], kuerzel="07", bezeichnung=LANGER_NAME)
    return erzeugen.arbeitsmappe_schreiben(st, ag, tmp_path_factory.mktemp("name") / "AG-07.xlsx")


def _varianten_mit_langen_woertern() -> list[str]:
    """The demo's Variante names (all AGs) with the longest words: what clerks call them."""
    st = stammdaten.standard()
    namen = [
        z["Variante"]
        for ag in st.arbeitsgruppen
        for z in demo_daten.eingaben(st, ag.kuerzel)[0]["tbl_Varianten"]
    ]
    return sorted(namen, key=lambda n: -max(len(w) for w in n.split()))[:5]


@pytest.fixture(scope="module")
def lange_varianten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """AG-01 filled as the demo, its Varianten named as the demo's with the longest words."""
    st = stammdaten.standard()
    ag = st.arbeitsgruppen[0]
    eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
    vorlage = eingaben["tbl_Varianten"][0]
    eingaben["tbl_Varianten"] = [
        {**vorlage, "Variante": name} for name in _varianten_mit_langen_woertern()
    ]
    ziel = tmp_path_factory.mktemp("varianten") / "AG-01.xlsx"
    return erzeugen.arbeitsmappe_schreiben(st, ag, ziel, eingaben=eingaben, felder=felder)


@pytest.fixture(scope="module")
def steuerungsmappe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ziel = tmp_path_factory.mktemp("steuerung") / "Steuerungsmappe.xlsm"
    return erzeugen.steuerungsmappe_schreiben(stammdaten.standard(), ziel)


@pytest.fixture(scope="module")
def pdfs(
    mappen: dict[str, Path],
    pruefbericht: Path,
    korrektur: Path,
    korrektur_ganze_menge: Path,
    langer_name: Path,
    steuerungsmappe: Path,
    lange_varianten: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[Path, bytes]:
    """Every printed file of this module in one soffice start."""
    dateien = [
        mappen["leer"],
        mappen["gefuellt"],
        pruefbericht,
        korrektur,
        korrektur_ganze_menge,
        langer_name,
        steuerungsmappe,
        lange_varianten,
    ]
    return _als_pdf(dateien, tmp_path_factory.mktemp("pdf"))


braucht_pdftotext = pytest.mark.skipif(  # never skipped in CI: the set-up installs poppler-utils
    shutil.which("pdftotext") is None and not im_ci(), reason="pdftotext (poppler-utils) fehlt"
)


def _woerter_je_seite(pdf: bytes) -> list[list[tuple[float, str]]]:
    """(top edge, word) of every word, page by page, as pdftotext reads the PDF."""
    text = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [
        [(float(y), html.unescape(w)) for y, w in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]*)<', s)]
        for s in text.split("<page ")[1:]
    ]


@braucht_libreoffice
@braucht_pdftotext
def test_spaltenkoepfe_gedruckt_ohne_getrenntes_wort(
    mappen: dict[str, Path], pdfs: dict[Path, bytes]
) -> None:
    """Print review: the Risiken printed "Eintrittswahrschei" over "nlichkeit" in a column of
    width 12. Every word of every table header stands whole in the printed header line; an
    upright header (`kopf_hochkant`) whole on the page."""
    seiten = _woerter_je_seite(pdfs[mappen["gefuellt"]])
    alle = {w for seite in seiten for _, w in seite}
    for blatt in _tabellenblaetter():
        for tdef in blatt.tabellen:
            hochkant = {s.kopf for s in tdef.spalten if s.kopf_hochkant}
            assert hochkant <= alle, tdef.name
            woerter = {w for kopf in tdef.koepfe if kopf not in hochkant for w in kopf.split()}
            erstes = tdef.koepfe[0].split()[0]
            # the header line: around a word of the first header, all of the header words
            kopfzeilen = [
                {w for y, w in seite if abs(y - y0) < 12}
                for seite in seiten
                for y0, w0 in seite
                if w0 == erstes
            ]
            assert any(woerter <= zeile for zeile in kopfzeilen), (
                tdef.name,
                sorted(woerter - set().union(*kopfzeilen)),
            )


@braucht_libreoffice
@braucht_pdftotext
def test_variantennamen_gedruckt_ohne_getrenntes_wort(
    lange_varianten: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review: the Varianten of the Projektbeschreibung (column A, 14 wide) printed
    "Vertragsmanag" over "ement", "Abrechnungsdi" over "enstleister". The demo's names with
    the longest words print every word whole (24 wide: 'Entwicklungsgesellschaft')."""
    alle = {w for seite in _woerter_je_seite(pdfs[lange_varianten]) for _, w in seite}
    namen = _varianten_mit_langen_woertern()
    assert max(len(w) for n in namen for w in n.split()) >= 24  # 'Entwicklungsgesellschaft'
    # at its hyphen a word may break ('Energiespar-' over 'Contracting'), nowhere else
    getrennt = [
        w
        for n in namen
        for w in n.split()
        if w not in alle and not set(re.split(r"(?<=-)", w)) <= alle
    ]
    assert getrennt == [], getrennt


@braucht_libreoffice
@braucht_pdftotext
def test_steuerungsmappe_spaltenkoepfe_ohne_getrenntes_wort(
    steuerungsmappe: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review: the Prioritäten of the Steuerungsmappe printed "Erfolgswahrsc" over
    "heinlichkeit" (seen once the workbook's own font was Arial, as Excel measures it)."""
    seiten = _woerter_je_seite(pdfs[steuerungsmappe])
    (tdef,) = [t for _, t in definition.steuerungsmappe().tabellen if t.name == "tbl_Prioritaet"]
    woerter = {w for kopf in tdef.koepfe for w in kopf.split()}
    # the header line: around the word "Handlungsfeld", all of the header words
    kopfzeilen = [
        {w for y, w in seite if abs(y - y0) < 12}
        for seite in seiten
        for y0, w0 in seite
        if w0 == "Handlungsfeld"
    ]
    assert any(woerter <= zeile for zeile in kopfzeilen), sorted(woerter - set().union(*kopfzeilen))


@braucht_libreoffice
@braucht_pdftotext
def test_korrekturexemplar_auf_jeder_seite_erkennbar(
    korrektur: Path, mappen: dict[str, Path], pdfs: dict[Path, bytes]
) -> None:
    """Print review: printed, the Korrektur copy looked like the AG's first printout but for
    the cover and its last page, and no page said when it was printed."""
    seiten = [" ".join(w for _, w in s) for s in _woerter_je_seite(pdfs[korrektur])]
    assert len(seiten) > 10
    for nr, seite in enumerate(seiten, 1):
        assert "Korrekturexemplar AG-07 – Brandschutz" in seite, nr
        assert re.search(r"Gedruckt am \d", seite), nr  # the date LibreOffice put for &D
    original = _woerter_je_seite(pdfs[mappen["gefuellt"]])
    for nr, seite in enumerate((" ".join(w for _, w in s) for s in original), 1):
        assert "AG-01 – IT / Gemeinsames Rechenzentrum" in seite, nr
        assert "Korrekturexemplar" not in seite and re.search(r"Gedruckt am \d", seite), nr


@braucht_libreoffice
def test_korrekturexemplar_beginnt_mit_den_korrekturhinweisen(
    korrektur: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review: the list of what to correct opened first but printed as the last page,
    after the sheets it explains. It is the first sheet, and so the first printed page."""
    assert openpyxl.load_workbook(korrektur, read_only=True).sheetnames[0] == "Korrekturhinweise"
    blaetter = list(_seiten_je_blatt(pdfs[korrektur]))
    assert blaetter[0] == "Korrekturhinweise" and blaetter[1] == "Hinweise", blaetter


@braucht_libreoffice
@braucht_pdftotext
def test_prozent_mit_leerzeichen_gedruckt(mappen: dict[str, Path], pdfs: dict[Path, bytes]) -> None:
    """Print review: the shares printed "44,29%", German typography writes "44,29 %". The space
    is in the number format, so the cell stays a number shown times 100 (not a text)."""
    woerter = [w for seite in _woerter_je_seite(pdfs[mappen["gefuellt"]]) for _, w in seite]
    assert not [w for w in woerter if re.fullmatch(r"-?[\d.,]+%", w)]
    prozente = [a for a, b in itertools.pairwise(woerter) if b == "%"]
    assert any(re.fullmatch(r"\d+[.,]\d\d", p) for p in prozente), prozente
    ws = openpyxl.load_workbook(mappen["gefuellt"])["Kostenausgleich"]
    anteile = [z for r in ws.iter_rows() for z in r if z.number_format == "0.00 %"]
    assert anteile and {z.data_type for z in anteile} <= {"n", "f"}


def _massstaebe(pdf: bytes) -> list[float]:
    """The print scale of each page: LibreOffice scales the 8 pt page header with the sheet,
    whose first word is 10.4 pt high at 100 %."""
    text = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    massstaebe = []
    for seite in text.split("<page ")[1:]:
        y1, y2 = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', seite)[0]
        massstaebe.append((float(y2) - float(y1)) / 10.4)
    return massstaebe


@braucht_libreoffice
@braucht_pdftotext
def test_risiken_gross_genug_gedruckt(
    mappen: dict[str, Path], korrektur: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review: the Risiken of a Korrektur copy printed at about two thirds (in
    LibreOffice without Calibri at half: the column widths counted the digits of the wider
    DejaVu Sans). Arial as the workbook's font, upright headers over the three narrow number
    columns and a narrower heat map: at least 75 %, the Korrektur copy with its headings too."""
    for mappe in (mappen["leer"], korrektur):
        pdf = pdfs[mappe]
        seiten = _seiten_je_blatt(pdf)
        anfang = sum(n for n, _ in list(seiten.values())[: list(seiten).index("Risiken")])
        massstab = _massstaebe(pdf)[anfang]
        assert massstab >= 0.75, (mappe.name, round(massstab, 2))
    with zipfile.ZipFile(korrektur) as z:
        stile = z.read("xl/styles.xml").decode()
    erste = re.search(r"<font>(.*?)</font>", stile)
    assert erste and '<name val="Arial"/>' in erste.group(1)


def _mit_spaltenkoepfen(seite: list[tuple[float, str]]) -> bool:
    """Whether a line of the page has "A", "B" and "C": the printed column headings."""
    return any(
        {"A", "B", "C"} <= {w for y, w in seite if abs(y - y0) < 2} for y0, a in seite if a == "A"
    )


@braucht_libreoffice
@braucht_pdftotext
def test_korrekturexemplar_findet_die_zelle_auf_papier(
    korrektur: Path, mappen: dict[str, Path], pdfs: dict[Path, bytes]
) -> None:
    """Print review: the list said "Kostenausgleich D7", but printed in black and white the
    red cell looked like every yellow input cell, comments do not print, and no page showed
    which column is D. The Korrektur copy prints its headings; the AG's own workbook not."""
    seiten = _woerter_je_seite(pdfs[korrektur])
    liste = [s for s in seiten if any(w == "Korrekturhinweise" for _, w in s[:5])]
    blaetter = [s for s in seiten if s not in liste]
    assert liste and len(blaetter) > 10
    assert all(_mit_spaltenkoepfen(s) for s in blaetter)
    assert not any(_mit_spaltenkoepfen(s) for s in _woerter_je_seite(pdfs[mappen["gefuellt"]]))
    ws = openpyxl.load_workbook(korrektur)["Kostenausgleich"]
    assert ws.print_options.headings


@braucht_libreoffice
def test_seiten_je_blatt_mit_libreoffice(
    mappen: dict[str, Path], pruefbericht: Path, pdfs: dict[Path, bytes]
) -> None:
    leer = _seiten_je_blatt(pdfs[mappen["leer"]])
    gefuellt = _seiten_je_blatt(pdfs[mappen["gefuellt"]])
    sichtbar = [b.name for b in definition.arbeitsmappe().blaetter if b.art != "intern"]
    assert list(leer) == sichtbar
    assert {o for _, o in [*leer.values(), *gefuellt.values()]} == {"landscape"}
    # empty reserve rows make no pages: a blank sheet prints on one page, the tables with 30
    # or 40 empty rows (a form to fill in by hand) on two at most
    erwartet: dict[str, Any] = dict.fromkeys(sichtbar, 1)
    # Projektbeschreibung: 2 since its column A is as wide as a long Variante's word (the
    # sheet printed a little smaller, the blank form's rows on fewer pages); 3 since the rows
    # of the Lenkungsgruppe's texts are as high as Excel needs them (12.75 points a line,
    # review 17b): "Geprüfte Varianten" with its header and first rows no longer fits on the
    # second page and starts the third (test_titel_der_varianten_auf_der_seite_ihrer_tabelle)
    erwartet.update({"Hinweise": 4, "Projektbeschreibung": 3})
    erwartet.update({"Stärken-Schwächen": 2, "Ressourcen": 2})
    assert {b: n for b, (n, _) in leer.items()} == erwartet
    # the chart no longer splits across pages; filled sheets keep to a few pages, and a few
    # entries print on one page without the form's empty rows (print review)
    for blatt in ("Wirtschaftlichkeit", "Risiken", "Kostenausgleich", "Stärken-Schwächen"):
        assert gefuellt[blatt][0] == 1, blatt
    assert gefuellt["Ressourcen"][0] == gefuellt["Nutzen"][0] == 1
    assert all(n <= 4 for n, _ in gefuellt.values()), gefuellt
    bericht = _seiten_je_blatt(pdfs[pruefbericht])
    assert {b: o for b, (_, o) in bericht.items()} == {
        "Dateien": "landscape",
        "Befunde": "landscape",
    }


def test_steuerungsmappe_lesbar_gedruckt(tmp_path: Path) -> None:
    """The wide sheets of the Steuerungsmappe printed upright at about 40 % (Kommunen,
    Programm: print review); landscape where the columns need it."""
    pfad = erzeugen.steuerungsmappe_schreiben(stammdaten.standard(), tmp_path / "S.xlsm")
    wb = openpyxl.load_workbook(pfad, keep_vba=True)
    # the introduction over both columns (in B alone it was cut after two lines)
    assert "B2:C2" in {str(b) for b in wb["Steuerung"].merged_cells.ranges}
    for ws in _sichtbar(wb):
        m = ws.page_margins
        papier = 11.69 if ws.page_setup.orientation == "landscape" else 8.27
        druckbreite_px = (papier - m.left - m.right) * 96
        massstab = min(1.0, druckbreite_px / _spaltenbreite_px(ws, _letzte_druckspalte(ws)))
        assert massstab >= MINDESTMASSSTAB, f"{ws.title}: {massstab:.0%}"


def test_hohe_risikowerte_hervorgehoben(leer: openpyxl.Workbook) -> None:
    """From 15 a Gegenmaßnahme is required: those Risikowerte stand out, in the table and the
    input rows below it, as in the Übersicht (print review: only the Übersicht showed them)."""
    ws = leer["Risiken"]
    links, oben, _, unten = range_boundaries(ws.tables["tbl_Risiken"].ref)
    spalte = next(c for c in range(links, links + 20) if ws.cell(oben, c).value == "Risikowert")
    regeln = [
        (str(cf.sqref), r)
        for cf in ws.conditional_formatting
        for r in cf.rules
        if r.type == "cellIs" and r.operator == "greaterThanOrEqual"
    ]
    ((bereich, regel),) = regeln
    min_col, erste, max_col, letzte = range_boundaries(bereich)
    assert (min_col, max_col, erste) == (spalte, spalte, oben + 1)
    assert letzte > unten and regel.formula == ["15"]


def test_wirtschaftlichkeit_verlust_rot_und_jahre_unter_dem_diagramm(
    leer: openpyxl.Workbook, mappen: dict[str, Path]
) -> None:
    """Print review: a negative Kapitalwert was black here (red in the Übersicht), and the
    years stood on the zero line between the bars."""
    import zipfile

    ws = leer["Wirtschaftlichkeit"]
    kapitalwert = next(r[1] for r in ws.iter_rows(max_col=2) if r[0].value == "Kapitalwert")
    assert "[Red]-" in kapitalwert.number_format
    with zipfile.ZipFile(mappen["leer"]) as z:
        diagramme = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    (diagramm,) = [d for d in diagramme if "kumulierter Barwert je Jahr" in d]
    assert "<c:catAx>" in diagramm and '<c:tickLblPos val="low"/>' in diagramm.split("<c:catAx>")[1]


def _rosa_punkte(pdf: bytes, seiten: range) -> int:
    """Pixels in the red of a marked cell (#FFC7CE) on the given pages (0-based), rendered."""
    anzahl = 0
    for seite in seiten:
        ppm = subprocess.run(
            ["pdftoppm", "-r", "30", "-f", str(seite + 1), "-l", str(seite + 1), "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        kopf = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
        assert kopf is not None
        pixel = ppm[kopf.end() :]
        anzahl += sum(
            1
            for i in range(0, len(pixel) - 2, 3)
            if pixel[i] > 240 and 180 < pixel[i + 1] < 215 and 190 < pixel[i + 2] < 225
        )
    return anzahl


@braucht_libreoffice
@pytest.mark.skipif(  # never skipped in CI: the set-up installs poppler-utils
    shutil.which("pdftoppm") is None and not im_ci(), reason="pdftoppm (poppler-utils) fehlt"
)
def test_korrekturexemplar_markiert_ganze_zahl_auch_in_libreoffice(
    korrektur_ganze_menge: Path, pdfs: dict[Path, bytes]
) -> None:
    """Review: the conditional format that gives a whole Menge "#,##0" came before the red
    of a marked cell, and LibreOffice applies only the first matching one: a Menge of
    2.000.000 (more than allowed) stood in the Korrektur copy without any red, in Excel red."""
    pdf = pdfs[korrektur_ganze_menge]
    seiten = _seiten_je_blatt(pdf)
    anfang = sum(n for n, _ in list(seiten.values())[: list(seiten).index("Ressourcen")])
    ressourcen = range(anfang, anfang + seiten["Ressourcen"][0])
    assert _rosa_punkte(pdf, ressourcen) > 20


@braucht_libreoffice
@braucht_pdftotext
def test_kopfzeile_mit_langem_namen_ampersand_und_ziffer(
    langer_name: Path, pdfs: dict[Path, bytes]
) -> None:
    """Review: the header cut the AG's name after 100 characters of its Excel code, between
    the two "&" of "Lärmschutz && Abfallrecht": the lone "&" took the "&R" of the right
    section, which printed "&R…" on the left instead of the sheet's name. And a Kürzel "07"
    after the size code "&8" was read as the size 807, not printed."""
    mappe = langer_name
    wb = openpyxl.load_workbook(mappe)
    for ws in _sichtbar(wb):
        with zipfile.ZipFile(mappe) as z:
            xml = z.read(f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml").decode()
        (kopf,) = re.findall(r"<oddHeader>(.*?)</oddHeader>", xml)
        assert len(html.unescape(kopf)) <= 255, ws.title  # Excel's limit
    pdf = pdfs[mappe]
    blaetter = [b for b, (n, _) in _seiten_je_blatt(pdf).items() for _ in range(n)]
    seiten = _woerter_je_seite(pdf)
    assert len(seiten) == len(blaetter)
    for blatt, seite in zip(blaetter, seiten, strict=True):
        kopf = [w for y, w in seite if y < 45]  # the header, in the top margin
        assert kopf[:2] == ["07", "–"], (blatt, kopf)
        assert blatt in kopf and "Lärmschutz" in kopf and not any("&R" in w for w in kopf), kopf


@pytest.fixture(scope="module")
def demo_mappen(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every AG's Arbeitsmappe filled with the demo's entries (the longest texts there are)."""
    st = stammdaten.standard()
    ordner = tmp_path_factory.mktemp("alle")
    mappen = []
    for ag in st.arbeitsgruppen:
        eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
        ziel = ordner / f"{ag.kuerzel}.xlsx"
        mappen.append(
            erzeugen.arbeitsmappe_schreiben(st, ag, ziel, eingaben=eingaben, felder=felder)
        )
    return mappen


@braucht_libreoffice
def test_zeilenhoehen_passen_zum_text(
    demo_mappen: list[Path], mappen: dict[str, Path], korrektur: Path
) -> None:
    """Print review 17: rows were a line or more higher than their text (the Ausgangslage of
    AG-05 197 points for 158, Stärken-Schwächen two lines for one), the Projektbeschreibung
    printed on three pages; the verdict under the Kostenausgleich's sum (27 points) cut its
    third line in LibreOffice. Calc fits each row to its text: the height the row opens with
    must hold it (nothing cut) and may be at most about a line more (Excel puts lines 12.75
    points apart, Calc 11.2). Merged cells are left out: Calc fits no row to them. The
    demo's Prüfbericht too: the status of the replaced AG-03 Entwurf printed its last line
    over the next row, the name of AG-09's file too. The blank workbook: the label of the
    Risiken's matrix printed its second line over the row below."""
    zu_knapp, zu_hoch = [], []
    demo_bericht = korrektur.parent / "Pruefbericht.xlsx"  # the demo's, a replaced file too
    dateien = [*demo_mappen, mappen["leer"], korrektur, demo_bericht]
    for pfad, zeilen in zeilenhoehen(dateien).items():
        wb = openpyxl.load_workbook(pfad)
        for blatt, r, gesetzt, noetig in zeilen:
            bereiche = wb[blatt].merged_cells.ranges
            if any(b.min_row <= r <= b.max_row for b in bereiche):
                continue
            # a verdict by formula is as high as its longer text ("Achtung: …")
            formel = any(
                isinstance(z.value, str) and z.value.startswith("=") and z.alignment.wrap_text
                for z in wb[blatt][r]
            )
            ort = (pfad.name, blatt, r, round(gesetzt, 1), round(noetig, 1))
            if gesetzt < noetig - 0.5:
                zu_knapp.append(ort)
            # Excel's lines are 12.75 points apart, 1.14 times Calc's: a line more than that
            elif gesetzt > noetig * 12.75 / 11.2 + 13 and not formel:
                zu_hoch.append(ort)
    assert not zu_knapp, "\n".join(map(str, zu_knapp))
    assert not zu_hoch


@pytest.fixture(scope="module")
def demo_pdfs(
    demo_mappen: list[Path],
    mappen: dict[str, Path],
    korrektur: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[Path, bytes]:
    """Every AG's demo workbook, the blank one and a Korrektur copy in one soffice start."""
    return _als_pdf([*demo_mappen, mappen["leer"], korrektur], tmp_path_factory.mktemp("pdfs"))


@braucht_libreoffice
@braucht_pdftotext
def test_titel_der_varianten_auf_der_seite_ihrer_tabelle(
    demo_pdfs: dict[Path, bytes], demo_mappen: list[Path]
) -> None:
    """Print review 17: "Geprüfte Varianten" stood alone at the foot of a page of the
    Projektbeschreibung, its table on the next. The title's page shows the table's header
    and, in a filled workbook, its first Variante."""
    st = stammdaten.standard()
    erste = {
        mappe: demo_daten.eingaben(st, ag.kuerzel)[0]["tbl_Varianten"][0]["Variante"]
        for mappe, ag in zip(demo_mappen, st.arbeitsgruppen, strict=True)
    }
    allein, gefunden = [], 0
    for mappe, pdf in demo_pdfs.items():
        seiten = _seiten_je_blatt(pdf)
        blaetter = list(seiten)
        anfang = sum(n for n, _ in list(seiten.values())[: blaetter.index("Projektbeschreibung")])
        anzahl = seiten["Projektbeschreibung"][0]
        for seite in _woerter_je_seite(pdf)[anfang : anfang + anzahl]:
            text = " ".join(w for _, w in seite)
            if "Geprüfte Varianten" not in text:
                continue
            gefunden += 1
            # a long word of the name: a name of several lines reads interleaved with its row
            wort = max(erste.get(mappe, "Sitzkommune").split(), key=len).rstrip("-")
            if not {"Sitzkommune", wort} <= {w for _, w in seite}:
                allein.append(mappe.name)
    assert gefunden == len(demo_pdfs)
    assert not allein


def _gedruckte_woerter(pdf: bytes) -> dict[str, Counter[str]]:
    """Sheet -> how often its pages print each word, without the punctuation around it."""
    seiten, woerter, anfang = _seiten_je_blatt(pdf), _woerter_je_seite(pdf), 0
    ergebnis = {}
    for blatt, (anzahl, _) in seiten.items():
        ergebnis[blatt] = Counter(
            _ohne_satzzeichen(w) for seite in woerter[anfang : anfang + anzahl] for _, w in seite
        )
        anfang += anzahl
    return ergebnis


def _ohne_satzzeichen(wort: str) -> str:
    return wort.strip(",.;:()„“”\"'")


@braucht_libreoffice
@braucht_pdftotext
def test_lange_woerter_der_demo_gedruckt_ganz(
    demo_pdfs: dict[Path, bytes], demo_mappen: list[Path]
) -> None:
    """Print review 17: "Gemeindebrandmeiste|r" and "Datenschutzbeauftragt|e/r" under
    Verantwortlich (Risiken, 20 wide), "Abrechnungs|fall" under Einheit (Ressourcen, 12 wide):
    LibreOffice broke a word longer than its column. Every long word the demo's AGs enter in a
    table prints whole (after a hyphen it may wrap)."""
    st = stammdaten.standard()
    blatt_der_tabelle = {t.name: b.name for b, t in definition.arbeitsmappe().tabellen}
    getrennt = []
    for mappe, ag in zip(demo_mappen, st.arbeitsgruppen, strict=True):
        gedruckt = _gedruckte_woerter(demo_pdfs[mappe])
        eingegeben: dict[str, Counter[str]] = {}
        for tabelle, zeilen in demo_daten.eingaben(st, ag.kuerzel)[0].items():
            zaehler = eingegeben.setdefault(blatt_der_tabelle[tabelle], Counter())
            for zeile in zeilen:
                for wert in zeile.values():
                    if isinstance(wert, str):
                        zaehler.update(_ohne_satzzeichen(w) for w in wert.split())
        for blatt, woerter in eingegeben.items():
            for wort, anzahl in woerter.items():
                teile = set(re.findall(r".+?(?:-(?=\w)|$)", wort))  # may wrap after a hyphen
                if (
                    len(wort) < 10
                    or gedruckt[blatt][wort] >= anzahl
                    or (len(teile) > 1 and teile <= gedruckt[blatt].keys())
                ):
                    continue
                getrennt.append((ag.kuerzel, blatt, wort))
    assert not getrennt, "\n".join(map(str, sorted(set(getrennt))))


def test_leere_zeilen_der_leeren_mappe_wachsen_beim_tippen(leer: openpyxl.Workbook) -> None:
    """Review 17b: the row of the Risiken's first entry was written two lines high for the
    matrix's label beside it ("Auswirkung ↓ / Wahrscheinlichkeit →"); a row of set height does
    not grow in Excel or LibreOffice when the clerk types a longer Gegenmaßnahme into the
    blank workbook. A table row with nothing written in it but formulas has no height of its
    own; the matrix's labels stand on one line each, the probability's in the header row."""
    fest = []
    for ws in _sichtbar(leer):
        for tabelle in ws.tables.values():
            links, oben, rechts, unten = range_boundaries(tabelle.ref)
            for r in range(oben + 1, unten + 1):
                texte = [
                    z.value
                    for z in ws[r][links - 1 : rechts]
                    if isinstance(z.value, str) and not z.value.startswith("=")
                ]
                if not texte and ws.row_dimensions[r].height is not None:
                    fest.append((ws.title, r, ws.row_dimensions[r].height))
    assert not fest
    risiken = leer["Risiken"]
    beschriftungen = {
        z.value: z.coordinate
        for zeile in risiken.iter_rows()
        for z in zeile
        if isinstance(z.value, str) and ("↑" in z.value or "→" in z.value)
    }
    assert beschriftungen == {"Auswirkung ↑": "J5", "Wahrscheinlichkeit →": "K4"}


def _spaltenbreiten(ws: Worksheet) -> dict[int, float]:
    """Column -> width as written (a `<col>` may stand for several columns)."""
    breiten: dict[int, float] = {}
    for d in ws.column_dimensions.values():
        if d.min and d.max and d.width:
            breiten.update(dict.fromkeys(range(d.min, d.max + 1), d.width))
    return breiten


#: Points of a line of wrapped Arial 10 in Excel: as high as its default row, 17 pixels; a row
#: of two lines it fits to 25.5 points, of three to 38.25.
EXCEL_ZEILE = 12.75


def test_zeilen_so_hoch_wie_excel_sie_braucht(demo_mappen: list[Path], korrektur: Path) -> None:
    """Review 17b: the heights counted 12 points a line, as LibreOffice needs them (11.2), not
    Excel, whose lines of Arial 10 are 12.75 apart: the Ausgangslage of AG-05 (13 lines) got
    157.5 points, and Excel cut the lower part of its last line. Every row of a set height in
    the demo workbooks and a Korrektur copy is as high as Excel needs its wrapped texts
    (counted with `xlsx.textzeilen` in their column, or their merged columns)."""
    zu_knapp = []
    for pfad in [*demo_mappen, korrektur]:
        for ws in _sichtbar(openpyxl.load_workbook(pfad)):
            breiten = _spaltenbreiten(ws)
            bereiche = {(b.min_row, b.min_col): b for b in ws.merged_cells.ranges}
            for r, d in ws.row_dimensions.items():
                if d.height is None:
                    continue
                for z in ws[r]:
                    if not isinstance(z.value, str) or not z.alignment.wrap_text:
                        continue
                    if z.value.startswith("=") or z.alignment.text_rotation:
                        continue
                    bereich = bereiche.get((r, z.column))
                    bis = bereich.max_col if bereich else z.column
                    breite = xlsx.zusammen([breiten.get(c, 8.43) for c in range(z.column, bis + 1)])
                    punkt = z.font.sz or 10
                    zeilen = xlsx.textzeilen(
                        z.value, breite, punkt, einzug=bool(z.alignment.indent), fett=z.font.b
                    )
                    if zeilen > 1 and d.height < EXCEL_ZEILE * punkt / 10 * zeilen:
                        zu_knapp.append((pfad.name, ws.title, z.coordinate, zeilen, d.height))
    assert not zu_knapp, "\n".join(map(str, zu_knapp))


@braucht_libreoffice
@braucht_pdftotext
def test_titel_der_varianten_bei_jeder_textlaenge_auf_der_seite_ihrer_tabelle(
    tmp_path: Path,
) -> None:
    """Review 17b: with rows as high as Excel needs them, no demo workbook put "Geprüfte
    Varianten" at the foot of a page any more, and the test above passed without the page
    breaks. AG-10's Projektbeschreibung with 0 to 40 lines more in its last two entries, four
    at a time (less than the title, its header and first Variante need): the title moves down
    a page in steps, and wherever it lands, its page shows the header and the first Variante."""
    st = stammdaten.standard()
    ag = next(a for a in st.arbeitsgruppen if a.kuerzel == "AG-10")
    mappen = []
    for mehr in range(0, 44, 4):
        eingaben, felder = demo_daten.eingaben(st, ag.kuerzel)
        for eintrag, zeilen in zip(
            eingaben["tbl_Projektbeschreibung"][-2:], (mehr // 2, mehr - mehr // 2), strict=True
        ):
            eintrag["Eintrag"] += "".join(["\nWeitere Angabe."] * zeilen)
        mappen.append(
            erzeugen.arbeitsmappe_schreiben(
                st, ag, tmp_path / f"mehr{mehr}.xlsx", eingaben=eingaben, felder=felder
            )
        )
    erste = demo_daten.eingaben(st, ag.kuerzel)[0]["tbl_Varianten"][0]["Variante"]
    wort = max(erste.split(), key=len).rstrip("-")
    allein = []
    for mappe, pdf in _als_pdf(mappen, tmp_path / "pdf").items():
        seiten = _seiten_je_blatt(pdf)
        anfang = sum(
            n
            for b, (n, _) in seiten.items()
            if list(seiten).index(b) < list(seiten).index("Projektbeschreibung")
        )
        anzahl = seiten["Projektbeschreibung"][0]
        for seite in _woerter_je_seite(pdf)[anfang : anfang + anzahl]:
            woerter = {w for _, w in seite}
            if {"Geprüfte", "Varianten"} <= woerter and not {"Sitzkommune", wort} <= woerter:
                allein.append(mappe.name)
    assert not allein


def _kommentarfelder(mappe: Path) -> dict[tuple[int, int], tuple[float, float]]:
    """(row, column) counted from 0 → (width, height) in points of each comment box, as the
    VML of the file gives them to Excel and LibreOffice."""
    felder = {}
    with zipfile.ZipFile(mappe) as z:
        for name in (n for n in z.namelist() if n.endswith(".vml")):
            vml = z.read(name).decode("utf-8")
            for form in re.findall(r"<v:shape .*?</v:shape>", vml, re.S):
                if 'ObjectType="Note"' not in form:
                    continue
                breite, hoehe = (
                    float(re.search(rf"{m}:([\d.]+)pt", form).group(1))  # type: ignore[union-attr]
                    for m in ("width", "height")
                )
                zeile = int(re.search(r"<x:Row>(\d+)</x:Row>", form).group(1))  # type: ignore[union-attr]
                spalte = int(re.search(r"<x:Column>(\d+)</x:Column>", form).group(1))  # type: ignore[union-attr]
                felder[(zeile, spalte)] = (breite, hoehe)
    return felder


def test_kommentar_im_korrekturexemplar_so_hoch_wie_sein_text(tmp_path: Path) -> None:
    """The comment at a red cell of a Korrektur copy repeats its findings. Its box had one
    size, 384 × 148 pixels: two long findings in one cell were cut off when the clerk pointed
    at it, the last sentence ("Bitte …") unseen; a short one sat in a mostly empty box
    (klein18). Now the box is as high as its text: per line of Arial 8 (the comment's font)
    at least 12 pixels, for a line of at most 70 characters in 364 pixels, and short ones
    small. Written as berichte writes a copy, with the messages of a real check."""
    st = stammdaten.standard()
    eingaben, felder = demo_daten.eingaben(st, "AG-10")
    lang = "\n".join(
        f"Warnung: Im Rücklauf standen Anteil individuell {i} % bei 'Gemeinde Lehre' (Zeile "
        f"{14 + i} der eingesandten Mappe), seit dem Versand keine Partnerkommune dieser "
        "Arbeitsgruppe mehr. Welcher Wert für 'Gemeinde Lehre am See' gilt, sagt die Mappe "
        "nicht; darum steht hier keiner. Bitte den Wert von Gemeinde Lehre am See eintragen."
        for i in range(1, 5)
    )
    kurz = "Fehler: Ressourcen!D5 (Menge): 'zwei' ist keine Zahl."
    pfad = erzeugen.arbeitsmappe_schreiben(
        st,
        st.arbeitsgruppe("AG-10"),
        tmp_path / "Korrektur_AG-10.xlsx",
        eingaben=eingaben,
        felder=felder,
        markierungen={("Ressourcen", "D5"): kurz, ("Ressourcen", "E5"): lang},
    )

    boxen = _kommentarfelder(pfad)

    assert len(lang) > 1000
    px = 96 / 72
    breite, hoehe = boxen[(4, 4)]
    zeilen = sum(-(-len(absatz) // 70) for absatz in lang.split("\n"))
    assert breite * px >= 364 and hoehe * px >= zeilen * 12, (breite, hoehe, zeilen)
    assert boxen[(4, 3)][1] * px < 148 * 0.75


def _woerter_mit_x(pdf: bytes) -> list[list[tuple[float, float, float, str]]]:
    """(top edge, left edge, right edge, word) of every word, page by page."""
    text = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    muster = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<'
    return [
        [
            (float(y), float(x1), float(x2), html.unescape(w))
            for x1, y, x2, w in re.findall(muster, s)
        ]
        for s in text.split("<page ")[1:]
    ]


def _abstand_links(
    seiten: list[list[tuple[float, float, float, str]]], wort: str, links: str
) -> list[float]:
    """Points between each `wort` and the word next left of it on its line, where that is
    `links` (pdftotext lists the words of a page column by column, not line by line)."""
    abstaende = []
    for seite in seiten:
        for y, x1, _, w in seite:
            if w != wort:
                continue
            davor = [(x1 - b, v) for y2, _, b, v in seite if abs(y2 - y) < 2 and b <= x1]
            if davor and min(davor)[1] == links:
                abstaende.append(min(davor)[0])
    return abstaende


@braucht_libreoffice
@braucht_pdftotext
def test_quelle_des_zinssatzes_gedruckt_abgesetzt(
    mappen: dict[str, Path], pdfs: dict[Path, bytes]
) -> None:
    """Print review 20: on the Wirtschaftlichkeit the source of the rate, flush left, touched
    the "3,10 %" flush right beside it ("%BMF,", 1.9 points apart). Indented, more than
    the width of two spaces lie between them."""
    erstes = stammdaten.standard().zinssatz_quelle.split()[0]
    abstaende = _abstand_links(_woerter_mit_x(pdfs[mappen["leer"]]), erstes, "%")
    assert len(abstaende) == 1, abstaende
    assert abstaende[0] > 6, abstaende


@braucht_libreoffice
@braucht_pdftotext
def test_summe_der_jahre_gedruckt_abgesetzt(
    mappen: dict[str, Path], pdfs: dict[Path, bytes]
) -> None:
    """Print review 20: the header "Summe" of the Wirtschaftlichkeit, flush left, touched the
    last year's number flush right beside it ("5Summe"). Over sums, it is flush right too."""
    jahre = str(stammdaten.standard().jahre)
    for name in ("leer", "gefuellt"):
        abstaende = _abstand_links(_woerter_mit_x(pdfs[mappen[name]]), "Summe", jahre)
        assert len(abstaende) == 1 and abstaende[0] > 6, (name, abstaende)


@braucht_libreoffice
def test_steuerungsmappe_gedruckt_quer_ohne_leere_seiten(
    steuerungsmappe: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review 20: the first page (Steuerung) printed upright, the others landscape; the
    Arbeitsgruppen printed AG-10 alone on a second page with 15 empty input rows below it.
    Now every sheet landscape, each down to its last entry and three empty rows, the
    Arbeitsgruppen of the example on one page. Session 21: the Programm printed twelve empty
    rows between its tables and took two pages; with two empty rows below a table that has
    another below it, one."""
    seiten = _seiten_je_blatt(pdfs[steuerungsmappe])
    sichtbar = [b.name for b in definition.steuerungsmappe().blaetter if b.art != "intern"]
    assert list(seiten) == sichtbar
    assert {o for _, o in seiten.values()} == {"landscape"}, seiten
    assert seiten["Arbeitsgruppen"][0] == 1, seiten
    assert seiten["Programm"][0] == 1, seiten
    assert sum(n for n, _ in seiten.values()) <= 10, seiten


@braucht_libreoffice
@braucht_pdftotext
def test_steuerungsmappe_gedruckt_mit_beschrifteten_schritten_und_richtigem_kopf(
    steuerungsmappe: Path, pdfs: dict[Path, bytes]
) -> None:
    """Print review 20: the buttons do not print (of no use on paper), and their explanations
    stood beside nothing; now each explanation has the button's caption beside it. The
    Programm's second page, the Phasen, printed under the header of the Oberziele, and their
    own header stood alone at the foot of the first."""
    seiten = [" ".join(w for _, w in s) for s in _woerter_je_seite(pdfs[steuerungsmappe])]
    for text, _, erklaerung in erzeugen.KNOEPFE:
        assert f"{text} {erklaerung.split()[0]}" in seiten[0], (text, seiten[0])
    # the header "Oberziel" (the title says "Oberziele,") once: not repeated over the Phasen
    woerter = " ".join(seiten).split()
    assert woerter.count("Oberziel") == 1 and woerter.count("Rahmenbedingung") == 1
    # and the Phasen's header not alone at the foot of the page before them
    phasen = next(s for s in seiten if "Beschreibung" in s.split())
    assert "Initiierung" in phasen, phasen


def _mit_weiteren(ordner: Path, rahmen: int, phasen: int) -> Path:
    """A Steuerungsmappe whose Programm has `rahmen` Rahmenbedingungen and `phasen` Phasen
    more, each with the text of one of the example's (the LG's own programme typed over it)."""
    st = stammdaten.standard()
    tabellen = dict(st.tabellen)
    for name, mehr in (("tbl_Rahmenbedingungen", rahmen), ("tbl_Phasen", phasen)):
        vorher = tabellen[name]
        zeilen = list(vorher)
        for i in range(mehr):
            zeilen.append({**vorher[i % len(vorher)], "Nr": len(zeilen) + 1})
            if name == "tbl_Phasen":
                zeilen[-1]["Phase"] = f"Phase {len(zeilen)}"
        tabellen[name] = zeilen
    st = dataclasses.replace(st, tabellen=tabellen)
    ziel = ordner / f"Steuerungsmappe_{rahmen}_{phasen}.xlsm"
    return erzeugen.steuerungsmappe_schreiben(st, ziel)


@braucht_libreoffice
@braucht_pdftotext
def test_programm_eine_seite_kuerzer_mit_dem_kopf_der_phasen_bei_ihren_zeilen(
    tmp_path: Path,
) -> None:
    """Session 21: a Programm of 15 Rahmenbedingungen and 13 Phasen printed a page shorter
    (fitted to two pages), without the breaks that keep a table's header with its rows: the
    Phasen's header stood at the foot of the first page with only "Initiierung" below it;
    fitted so, Excel would ignore such breaks anyway. Now it prints at a scale of its own with
    the breaks, two pages, the header with its first three rows and no column on pages of
    its own; a Programm a little shorter, at its size, keeps them too."""
    mappen = [_mit_weiteren(tmp_path, 8, 8), _mit_weiteren(tmp_path, 6, 6)]
    ws = openpyxl.load_workbook(mappen[0], keep_vba=True)["Programm"]
    assert ws.page_setup.scale and ws.row_breaks.brk  # a scale of its own, with its breaks
    pdfs = _als_pdf(mappen, tmp_path / "pdf")
    for mappe in mappen:
        seiten = _seiten_je_blatt(pdfs[mappe])
        assert seiten["Programm"][0] == 2, (mappe.name, seiten)
        anfang = sum(n for n, _ in list(seiten.values())[: list(seiten).index("Programm")])
        programm = [[w for _, w in s] for s in _woerter_je_seite(pdfs[mappe])[anfang : anfang + 2]]
        # the page with the Phasen's header has their first three rows, each whole (its "Nr")
        kopf = next(s for s in programm if "Beschreibung" in s)
        assert {"Initiierung", "Strategie", "Konzeption"} <= set(kopf), (mappe.name, kopf)
        assert all("Nr" in s for s in programm), (mappe.name, programm)


@braucht_libreoffice
@braucht_pdftotext
def test_korrekturexemplar_text_in_spalte_a_abgesetzt_vom_zeilenkopf(
    korrektur: Path, pdfs: dict[Path, bytes]
) -> None:
    """Session 21: printed with row headings, the title and the texts of column A began a
    point from the headings' frame. The frame is not text: a row number stands in the middle
    of the headings, which begin at the left margin (0.5 inch), so the frame is as far right
    of the number's middle as the margin is left of it. The first word of every printed row
    stands at least 3 points right of it; only the header "Ressourcenart" fills its column
    (indented, it would break)."""
    seiten = _seiten_je_blatt(pdfs[korrektur])
    woerter = _woerter_mit_x(pdfs[korrektur])
    anfang, abstaende = 0, []
    for blatt, (n, _) in seiten.items():
        for seite in woerter[anfang : anfang + n]:
            if blatt == definition.KORREKTURBLATT:
                continue  # printed without headings
            for y, x1, x2, w in seite:
                if not (w.isdigit() and x2 < 55):
                    continue  # a row number, in the headings at the left margin
                rahmen = x1 + x2 - 36  # the middle's distance from the margin, once more
                zeile = [(x, v) for y2, x, _, v in seite if abs(y2 - y) < 4 and x > x2]
                if zeile and min(zeile)[1] != "Ressourcenart":
                    abstaende.append((round(min(zeile)[0] - rahmen, 1), blatt, *min(zeile)))
        anfang += n
    assert len(abstaende) > 100
    assert min(abstaende)[0] >= 3, sorted(abstaende)[:10]


def test_risikomatrix_der_arbeitsmappe_pfeil_wie_in_der_uebersicht(
    leer: openpyxl.Workbook,
) -> None:
    """Session 21: "Auswirkung ↓" stood over the rows 5 to 1 of the Risiken's matrix, while
    the Übersicht says the Auswirkung grows upwards: the arrow points there, as "→" does
    where the Wahrscheinlichkeit grows."""
    ws = leer["Risiken"]
    assert ws["J5"].value == "Auswirkung ↑"
    assert [ws.cell(r, 10).value for r in range(6, 11)] == [5, 4, 3, 2, 1]
    assert [ws.cell(5, c).value for c in range(11, 16)] == [1, 2, 3, 4, 5]
