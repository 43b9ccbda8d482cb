"""The generated Arbeitsmappe, read back and compared with schemata/ and a golden dump.

The golden file is a normalised YAML dump (sheets, tables, headers, validations, formulas,
protection, print set-up) so that every change to the template shows as a reviewed diff.
Regenerate after an intended change with:
IKZ_GOLDEN_NEU=1 pytest tests/test_arbeitsmappe_struktur.py
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl.worksheet.worksheet import Worksheet

from ikz_excel import definition, erzeugen, stammdaten

GOLDEN = Path(__file__).parent / "golden" / "arbeitsmappe_AG-01.yaml"
ZEITPUNKT = datetime(2012, 4, 3, 12, 0, 0)


@pytest.fixture(scope="module")
def mappe(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    st = stammdaten.standard()
    ag = st.arbeitsgruppen[0]
    pfad = erzeugen.arbeitsmappe_schreiben(
        st, ag, tmp_path_factory.mktemp("struktur") / "AG-01.xlsx", erzeugt_am=ZEITPUNKT
    )
    return openpyxl.load_workbook(pfad)


def _validierungen(ws: Worksheet) -> list[dict[str, Any]]:
    ergebnis = []
    for dv in ws.data_validations.dataValidation:
        ergebnis.append(
            {
                "bereich": str(dv.sqref),
                "typ": dv.type,
                "operator": dv.operator,
                "formel1": dv.formula1,
                "formel2": dv.formula2,
                "titel": dv.promptTitle,
                "meldung": dv.prompt,
                "fehler": dv.error,
            }
        )
    return sorted(ergebnis, key=lambda v: v["bereich"])


def dump(wb: openpyxl.Workbook) -> dict[str, Any]:
    """Everything about the template that must not drift, without volatile parts."""
    blaetter = {}
    for ws in wb.worksheets:
        formeln = {}
        for zeile in ws.iter_rows():
            for zelle in zeile:
                if isinstance(zelle.value, str) and zelle.value.startswith("="):
                    formeln[zelle.coordinate] = zelle.value
        blaetter[ws.title] = {
            "zustand": ws.sheet_state,
            "geschuetzt": bool(ws.protection.sheet),
            "papier": ws.page_setup.paperSize,
            "ausrichtung": ws.page_setup.orientation,
            "fixiert": ws.freeze_panes,
            "tabellen": {
                name: {"bereich": t.ref, "koepfe": [c.name for c in t.tableColumns]}
                for name, t in sorted((t.name, t) for t in ws.tables.values())
            },
            "validierungen": _validierungen(ws),
            "formeln": dict(sorted(formeln.items())) if ws.title != "_ikz" else {},
        }
    namen = {n: str(wb.defined_names[n].attr_text) for n in sorted(wb.defined_names)}
    return {"blaetter": blaetter, "namen": namen}


def test_goldene_datei(mappe: openpyxl.Workbook) -> None:
    ist = dump(mappe)
    if os.environ.get("IKZ_GOLDEN_NEU") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(
            yaml.safe_dump(ist, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8"
        )
        if os.environ.get("IKZ_GOLDEN_NEU"):
            pytest.skip("goldene Datei neu geschrieben")
    erwartet = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    assert ist == erwartet, "Die Vorlage hat sich geändert: Diff prüfen, dann IKZ_GOLDEN_NEU=1"


VORLAGENSTAND = GOLDEN.with_name("vorlagenstand.yaml")


def _rechenteil(golden: dict[str, Any]) -> str:
    """What decides how a returned workbook computes and is read: formulas, tables, names."""
    teil = {
        "formeln": {b: w["formeln"] for b, w in golden["blaetter"].items()},
        "tabellen": {b: w["tabellen"] for b, w in golden["blaetter"].items()},
        "namen": golden["namen"],
    }
    text = yaml.safe_dump(teil, allow_unicode=True, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_neue_formeln_brauchen_eine_neue_vorlagenversion() -> None:
    """Returns of workbooks sent out before an update are read with the new rules; only a new
    schema_version tells the AG that its own workbook computes otherwise (review: the
    Amortisationsjahr formula changed and the version stayed). So a change of the formulas,
    tables or names in the golden file must come with one, and with its `aenderungen` text."""
    golden = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    mdef = definition.arbeitsmappe()
    ist = {"schema_version": mdef.schema_version, "rechenteil": _rechenteil(golden)}
    stand = yaml.safe_load(VORLAGENSTAND.read_text(encoding="utf-8"))
    # checked before IKZ_GOLDEN_NEU writes anything: that is the very command run after a change
    if ist["rechenteil"] != stand["rechenteil"]:
        assert mdef.schema_version > stand["schema_version"], (
            "Formeln, Tabellen oder Namen der Arbeitsmappe haben sich geändert: schema_version "
            "in schemata/arbeitsmappe.yaml erhöhen, die bisherige in lesbare_versionen "
            "aufnehmen, unter aenderungen sagen, was die AG anders sieht; dann IKZ_GOLDEN_NEU=1"
        )
        if os.environ.get("IKZ_GOLDEN_NEU"):
            VORLAGENSTAND.write_text(yaml.safe_dump(ist), encoding="utf-8")
    assert mdef.schema_version in mdef.aenderungen or mdef.schema_version == 1
    assert mdef.schema_version - 1 in mdef.lesbare_versionen or mdef.schema_version == 1


def test_formeln_unter_der_grenze_von_excel(mappe: openpyxl.Workbook) -> None:
    """Excel refuses a formula of more than 8,192 characters; the completeness formulas on
    Hinweise grow with the columns of a table (a second required column must not double them)."""
    laengen = [
        len(str(z.value))
        for ws in mappe.worksheets
        for zeile in ws.iter_rows()
        for z in zeile
        if z.data_type == "f"
    ]
    assert max(laengen) < 8192 / 4


def test_blaetter_und_tabellen_wie_definiert(mappe: openpyxl.Workbook) -> None:
    mdef = definition.arbeitsmappe()
    erwartet = [b.name for b in mdef.blaetter if b.art != "intern"]
    assert [ws.title for ws in mappe.worksheets if ws.sheet_state == "visible"] == erwartet
    assert mappe["_ikz"].sheet_state == "veryHidden"
    assert mappe["_listen"].sheet_state == "hidden"
    for blatt, tdef in mdef.tabellen:
        tabelle = mappe[blatt.name].tables[tdef.name]
        assert [c.name for c in tabelle.tableColumns] == list(tdef.koepfe)


def test_jede_eingabespalte_hat_pruefung_mit_meldung(mappe: openpyxl.Workbook) -> None:
    mdef = definition.arbeitsmappe()
    for blatt, tdef in mdef.tabellen:
        ws = mappe[blatt.name]
        tabelle = ws.tables[tdef.name]
        erste_zeile = int(tabelle.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
        for i, spalte in enumerate(tdef.spalten):
            buchstabe = openpyxl.utils.get_column_letter(i + 1)
            zelle = f"{buchstabe}{erste_zeile}"
            eingabe = (spalte.eingabe and not tdef.zeilen) or (
                tdef.zeilen and spalte.kopf == tdef.eingabespalte
            )
            if tdef.zeilen and spalte.kopf == tdef.eingabespalte:
                zelle = f"{buchstabe}{erste_zeile + 6}"  # 3.1, the first row the AG fills
            treffer = [dv for dv in ws.data_validations.dataValidation if zelle in dv.sqref]
            if eingabe:
                assert treffer, f"{blatt.name}!{zelle} ({spalte.kopf}) ohne Datenprüfung"
                assert treffer[0].prompt, f"{blatt.name}!{zelle} ohne Eingabemeldung"
                assert ws[zelle].protection.locked is False
            else:
                assert ws[zelle].protection.locked is not False, f"{blatt.name}!{zelle}"


def test_schutz_druck_und_kennung(mappe: openpyxl.Workbook) -> None:
    for ws in mappe.worksheets:
        if ws.title == "_listen":
            continue
        assert ws.protection.sheet, ws.title
        assert ws.protection.password in (None, ""), ws.title
        if ws.sheet_state == "visible":
            assert ws.page_setup.paperSize == 9, ws.title  # A4
            assert ws.page_setup.fitToWidth == 1 or ws.sheet_properties.pageSetUpPr.fitToPage
    kennung = {r[0].value: r[1].value for r in mappe["_ikz"].iter_rows()}
    assert kennung["vorlage_id"] == "ikz-arbeitsmappe"
    assert kennung["schema_version"] == str(definition.arbeitsmappe().schema_version)
    assert kennung["arbeitsgruppe"] == "AG-01"
    assert kennung["erzeugt_am"] == ZEITPUNKT.isoformat()
    assert len(kennung["stammdaten_pruefsumme"]) == 64


def test_listen_ueber_namen_auf_verstecktem_blatt(mappe: openpyxl.Workbook) -> None:
    ws = mappe["Ressourcen"]
    listen = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert listen and all(dv.formula1.startswith("liste_") for dv in listen)
    kommunen = mappe.defined_names["liste_kommunen"].attr_text
    assert kommunen.startswith("_listen!")
    partner = stammdaten.standard().arbeitsgruppen[0].partner
    bereich = mappe["_listen"][kommunen.split("!")[1].replace("$", "")]
    assert tuple(zeile[0].value for zeile in bereich) == partner


def test_gedruckt_lesbar(mappe: openpyxl.Workbook) -> None:
    """From the print review: the source of the Zinssatz was cut at the edge of column C,
    Einwohner printed as 97749, and the cover asked for 2.3 after the AG had filled it in."""
    ws = mappe["Wirtschaftlichkeit"]
    zins = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Kalkulationszinssatz")
    quelle = next(b for b in ws.merged_cells.ranges if b.min_row == zins and b.min_col == 3)
    assert quelle.max_col >= 7 and "Stand" in ws.cell(zins, 3).value
    assert ws.cell(zins, 3).alignment.wrap_text
    ka = mappe["Kostenausgleich"]
    einwohner = [c for c in ka.tables["tbl_Kostenausgleich"].tableColumns if c.name == "Einwohner"]
    assert einwohner
    formate = {
        c.number_format
        for zeile in ka.iter_rows()
        for c in zeile
        if isinstance(c.value, int) and c.value > 1000
    }
    assert formate == {"#,##0"}, formate
    hinweise = mappe["Hinweise"]
    angaben = {hinweise.cell(r, 1).value: hinweise.cell(r, 2).value for r in range(1, 12)}
    assert "bitte" not in angaben["Projektbeauftragte(r)"]


def test_quelle_des_zinssatzes_bei_einem_jahr(tmp_path: Path) -> None:
    """A period of one year (allowed): the source over one column is no merge (XlsxWriter
    wrote nothing there, code review)."""
    import dataclasses

    st = dataclasses.replace(stammdaten.standard(), jahre=1)
    pfad = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "AG-01.xlsx")
    ws = openpyxl.load_workbook(pfad)["Wirtschaftlichkeit"]
    zins = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Kalkulationszinssatz")
    assert st.zinssatz_quelle in ws.cell(zins, 3).value


def test_quelle_des_zinssatzes_so_hoch_wie_ihr_text(mappe: openpyxl.Workbook) -> None:
    """The source of the Zinssatz (merged over the year columns) was 41 points high by an
    estimate per character, three lines for two; counted like every other wrapped text, the
    built-in source prints on two lines (LibreOffice, session 18) and the row is as high."""
    ws = mappe["Wirtschaftlichkeit"]
    zins = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Kalkulationszinssatz")
    assert ws.row_dimensions[zins].height == 27.0
