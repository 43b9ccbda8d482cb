"""Tests of the corpus itself: every kind must really be what it claims to be.

A check that rejects "the zip bomb" proves nothing if the file is not a zip bomb, and a check
that accepts "the complete return" proves nothing if a table was left empty. These tests pin
down each kind with the tools a reader would use (zipfile, olefile, python-calamine, openpyxl,
defusedxml), not with the corpus's own helpers. Fast: the corpus is built once per module.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import korpus
import olefile
import pytest
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ikz_excel import definition, erzeugen, stammdaten

XLSX_ARTEN = [
    "ausgefuellt",
    "text_in_zahl",
    "blatt_umbenannt",
    "blatt_geloescht",
    "spalte_umbenannt",
    "spalte_geloescht",
    "ohne_ikz",
    "alte_version",
    "fremde_vorlage",
    "makro",
    "uebergross",
]


@pytest.fixture(scope="module")
def ag() -> Any:
    return stammdaten.standard().arbeitsgruppen[0]


@pytest.fixture(scope="module")
def vorlage(tmp_path_factory: pytest.TempPathFactory, ag: Any) -> Path:
    st = stammdaten.standard()
    ordner = tmp_path_factory.mktemp("vorlage")
    return erzeugen.arbeitsmappe_schreiben(st, ag, ordner / erzeugen.arbeitsmappen_dateiname(ag))


@pytest.fixture(scope="module")
def k(tmp_path_factory: pytest.TempPathFactory, vorlage: Path) -> dict[str, Path]:
    return korpus.korpus_erzeugen(tmp_path_factory.mktemp("korpus"), vorlage)


def _tabelle(pfad: Path, name: str) -> tuple[str, list[str], list[list[Any]]]:
    """Sheet, headers and data rows of a table as python-calamine reads them."""
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name(name)
        raster = mappe.get_sheet_by_name(t.sheet).to_python(skip_empty_area=False)
        (z1, s1), (z2, s2) = t.start, t.end
        breite = s2 - s1 + 1
        # calamine's grid ends with the last cell that has a value: pad like the reader does
        zeilen = [
            (list(raster[z][s1 : s2 + 1]) if z < len(raster) else []) for z in range(z1, z2 + 1)
        ]
        zeilen = [z + [""] * (breite - len(z)) for z in zeilen]
        return t.sheet, [str(c) for c in t.columns], zeilen


def _blatt(pfad: Path, name: str) -> list[list[Any]]:
    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        return mappe.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _kennung(pfad: Path) -> dict[str, Any]:
    return {z[0]: z[1] for z in _blatt(pfad, "_ikz")}


def _text(pfad: Path, teil: str) -> str:
    with zipfile.ZipFile(pfad) as zf:
        return zf.read(teil).decode("utf-8")


def _blattteil(pfad: Path, blatt: str) -> str:
    """Part name of a sheet, found through workbook.xml and its rels (no corpus helpers)."""
    wb = _text(pfad, "xl/workbook.xml")
    rid = re.search(rf'<sheet name="{re.escape(blatt)}"[^>]*r:id="(rId\d+)"', wb).group(1)
    rels = _text(pfad, "xl/_rels/workbook.xml.rels")
    ziel = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    return "xl/" + ziel


def _gleich(a: Any, b: Any) -> bool:
    if isinstance(b, (date, datetime)) and not isinstance(b, datetime):
        return a == b or (isinstance(a, datetime) and a.date() == b)
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return isinstance(a, (int, float)) and abs(float(a) - float(b)) < 1e-9
    return a == b


# --------------------------------------------------------------------------------------------


def test_alle_arten_einzeln_in_eigenen_ordnern(k: dict[str, Path]) -> None:
    assert list(k) == list(korpus.ARTEN)
    assert all(p.is_file() for p in k.values())
    assert len({p.parent for p in k.values()}) == len(k)
    assert all(p.parent.name == art for art, p in k.items())


def test_kein_excel_und_leer(k: dict[str, Path]) -> None:
    for art in ("kein_excel", "leer"):
        assert k[art].suffix == ".xlsx"
        assert not zipfile.is_zipfile(k[art])
        assert not olefile.isOleFile(str(k[art])) if k[art].stat().st_size else True
    assert "Damen und Herren" in k["kein_excel"].read_text(encoding="utf-8")
    assert k["leer"].stat().st_size == 0


def test_xls_ist_biff8_in_ole_mit_workbook_strom(k: dict[str, Path]) -> None:
    pfad = k["xls"]
    assert pfad.suffix == ".xls" and olefile.isOleFile(str(pfad))
    with olefile.OleFileIO(str(pfad)) as ole:
        assert ole.exists("Workbook")
        kopf = ole.openstream("Workbook").read(8)
    typ, _laenge, version, art = struct.unpack("<HHHH", kopf)
    assert (typ, version, art) == (0x0809, 0x0600, 0x0005)  # BOF, BIFF8, workbook globals
    assert _kennung(pfad)["vorlage_id"] == "ikz-arbeitsmappe"
    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        zustand = {m.name: str(m.visible) for m in mappe.sheets_metadata}
    assert zustand["_ikz"].endswith("VeryHidden") and zustand["_listen"].endswith("Hidden")
    kopf = ["Ressourcenart", "Kommune", "Beschreibung", "Menge"]
    assert _blatt(pfad, "Ressourcen")[3][:4] == kopf


def test_ods_ist_opendocument(k: dict[str, Path]) -> None:
    pfad = k["ods"]
    with zipfile.ZipFile(pfad) as zf:
        erste = zf.infolist()[0]
        assert erste.filename == "mimetype" and erste.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "META-INF/manifest.xml" in zf.namelist()
        fromstring(zf.read("content.xml"))  # well-formed, no DTD
    assert _kennung(pfad)["arbeitsgruppe"] == "AG-01"
    zeitplan = _blatt(pfad, "Zeitplan")
    assert isinstance(zeitplan[3][2], date)


def test_csv_wie_deutsches_excel(k: dict[str, Path]) -> None:
    pfad = k["csv"]
    assert pfad.suffix == ".csv" and not zipfile.is_zipfile(pfad)
    text = pfad.read_bytes().decode("cp1252")
    zeilen = text.split("\r\n")
    assert zeilen[3].split(";")[:3] == ["Ressourcenart", "Kommune", "Beschreibung"]
    assert "0,5;Stelle" in text


def test_passwort_ist_verschluesselter_ole_container(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["passwort"]
    assert pfad.suffix == ".xlsx" and not zipfile.is_zipfile(pfad)
    with olefile.OleFileIO(str(pfad)) as ole:
        assert ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    import msoffcrypto

    datei = msoffcrypto.OfficeFile(pfad.open("rb"))
    assert datei.is_encrypted()
    datei.load_key(password=korpus.PASSWORT)
    klar = io.BytesIO()
    datei.decrypt(klar)
    with zipfile.ZipFile(klar) as zf, zipfile.ZipFile(vorlage) as original:
        assert zf.read("xl/workbook.xml") == original.read("xl/workbook.xml")


def test_kaputt_ist_abgeschnitten(k: dict[str, Path], vorlage: Path) -> None:
    inhalt = k["kaputt"].read_bytes()
    original = vorlage.read_bytes()
    assert inhalt == original[: len(original) * 60 // 100]
    assert inhalt.startswith(b"PK\x03\x04")
    assert not zipfile.is_zipfile(k["kaputt"])


def test_zipbombe_klein_auf_platte_riesig_entpackt(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["zipbombe"]
    assert pfad.stat().st_size < 5 * 10**6
    with zipfile.ZipFile(pfad) as zf, zipfile.ZipFile(vorlage) as original:
        infos = zf.infolist()
        assert [i.filename for i in infos] == original.namelist()
        groesste = max(infos, key=lambda i: i.file_size)
        assert groesste.file_size > 2**30 and sum(i.file_size for i in infos) > 10**9
        assert groesste.filename == _blattteil(pfad, korpus.ZIPBOMBE_BLATT)
        with zf.open(groesste) as f:  # only the start: the whole would be 1.1 GB
            anfang = f.read(64 * 1024)
        assert anfang.startswith(b"<?xml") and b"<sheetData>" + b" " * 1000 in anfang


def test_xml_entitaeten(k: dict[str, Path]) -> None:
    pfad = k["xml_entitaeten"]
    wb = _text(pfad, "xl/workbook.xml")
    assert "<!ENTITY lol9" in wb and "&lol9;" in wb
    with pytest.raises(DefusedXmlException):
        fromstring(wb.encode())
    ikz = _text(pfad, _blattteil(pfad, "_ikz"))
    assert '<!ENTITY xxe SYSTEM "file:///etc/passwd">' in ikz and "&xxe;" in ikz
    with pytest.raises(DefusedXmlException):
        fromstring(ikz.encode())


def test_makro(k: dict[str, Path]) -> None:
    pfad = k["makro"]
    assert pfad.suffix == ".xlsm"
    ct = _text(pfad, "[Content_Types].xml")
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in ct
    assert 'Target="vbaProject.bin"' in _text(pfad, "xl/_rels/workbook.xml.rels")
    with zipfile.ZipFile(pfad) as zf:
        vba = zf.read("xl/vbaProject.bin")
    with olefile.OleFileIO(vba) as ole:
        assert ole.exists("VBA/dir") and ole.exists("PROJECT")
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(pfad))
    try:
        assert parser.detect_vba_macros()
        quellen = [q for *_x, q in parser.extract_macros()]
        assert any("Sub Auto_Open()" in q for q in quellen)
        assert any(art == "AutoExec" for art, *_y in parser.analyze_macros())
    finally:
        parser.close()


def test_sperrdateien_und_systemdateien(k: dict[str, Path], vorlage: Path) -> None:
    excel = k["sperrdatei_excel"]
    assert excel.name == "~$" + vorlage.name and excel.stat().st_size == 165
    inhalt = excel.read_bytes()
    assert inhalt[1 : 1 + inhalt[0]] == b"Sachbearbeitung"
    lo = k["sperrdatei_libreoffice"]
    assert lo.name == f".~lock.{vorlage.name}#"
    assert lo.read_text(encoding="utf-8").count(",") == 4
    assert k["thumbs"].name == "Thumbs.db" and olefile.isOleFile(str(k["thumbs"]))
    with olefile.OleFileIO(str(k["thumbs"])) as ole:
        assert ole.exists("Catalog")
    assert k["ds_store"].name == ".DS_Store"
    assert k["ds_store"].read_bytes()[:8] == b"\x00\x00\x00\x01Bud1"


@pytest.mark.parametrize("art", XLSX_ARTEN)
def test_paket_ist_in_sich_stimmig(k: dict[str, Path], art: str) -> None:
    """Every relationship target exists, every part has a content type and vice versa."""
    with zipfile.ZipFile(k[art]) as zf:
        namen = set(zf.namelist())
        ct = zf.read("[Content_Types].xml").decode()
        assert zf.testzip() is None
        for rels in (n for n in namen if n.endswith(".rels")):
            basis = rels.replace("_rels/", "").removesuffix(".rels")
            ordner = basis.rsplit("/", 1)[0] if "/" in basis else ""
            for tag in re.findall(r"<Relationship\b[^>]*>", zf.read(rels).decode()):
                if 'TargetMode="External"' in tag:
                    continue
                ziel = re.search(r'Target="([^"]+)"', tag).group(1)
                teil = ziel.lstrip("/") if ziel.startswith("/") else _normal(ordner, ziel)
                assert teil in namen, f"{rels}: {ziel}"
    overrides = set(re.findall(r'PartName="/([^"]+)"', ct))
    endungen = set(re.findall(r'Extension="([^"]+)"', ct))
    assert overrides <= namen
    for n in namen - {"[Content_Types].xml"}:
        assert n in overrides or n.rsplit(".", 1)[-1] in endungen, n


def _normal(ordner: str, ziel: str) -> str:
    teile: list[str] = [t for t in ordner.split("/") if t]
    for t in ziel.split("/"):
        if t == "..":
            teile.pop()
        elif t not in ("", "."):
            teile.append(t)
    return "/".join(teile)


@pytest.mark.parametrize("art", XLSX_ARTEN)
def test_oeffnet_mit_openpyxl_und_calamine(k: dict[str, Path], art: str) -> None:
    mappe = load_workbook(k[art])
    assert "Hinweise" in mappe.sheetnames
    with CalamineWorkbook.from_path(str(k[art]), load_tables=True) as c:
        assert c.table_names


def test_blatt_umbenannt(k: dict[str, Path]) -> None:
    pfad = k["blatt_umbenannt"]
    mappe = load_workbook(pfad)
    assert "Ressourcen alt" in mappe.sheetnames and "Ressourcen" not in mappe.sheetnames
    assert mappe["Ressourcen alt"].print_title_rows == "$4:$4"
    assert "tbl_Ressourcen" in mappe["Ressourcen alt"].tables
    assert _tabelle(pfad, "tbl_Ressourcen")[0] == "Ressourcen alt"
    wb = _text(pfad, "xl/workbook.xml")
    assert not re.search(r"(?<![\w'])Ressourcen!", wb)
    assert "location=\"'Ressourcen alt'!A1\"" in _text(pfad, _blattteil(pfad, "Hinweise"))
    assert "<vt:lpstr>Ressourcen alt</vt:lpstr>" in _text(pfad, "docProps/app.xml")


def test_blatt_geloescht(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["blatt_geloescht"]
    mappe = load_workbook(pfad)
    assert "Risiken" not in mappe.sheetnames
    assert len(mappe.sheetnames) == len(load_workbook(vorlage).sheetnames) - 1
    # the print titles after the gap still belong to their own sheets
    assert mappe["Priorisierung"].print_title_rows == "$4:$4"
    assert mappe["Zeitplan"].print_title_rows == "$3:$3"
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as c:
        assert "tbl_Risiken" not in c.table_names and "Risiken" not in c.sheet_names
    with zipfile.ZipFile(pfad) as zf:
        alles = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith((".xml", ".rels")))
    # Excel leaves hyperlinks to a deleted sheet dangling; formulas and names lose the sheet
    assert 'location="Risiken!A1"' in alles
    alles = re.sub(r"<hyperlink\b[^>]*>", "", alles)
    assert "tbl_Risiken[" not in alles and "Risiken!" not in alles
    assert "<vt:lpstr>Risiken</vt:lpstr>" not in alles
    formeln = [c.value for z in mappe["Hinweise"].iter_rows() for c in z if c.data_type == "f"]
    assert any("SUBSTITUTE(#REF!," in f for f in formeln)  # what Excel leaves of tbl_Risiken[...]


def test_spalte_umbenannt(k: dict[str, Path]) -> None:
    pfad = k["spalte_umbenannt"]
    blatt, koepfe, _ = _tabelle(pfad, "tbl_Ressourcen")
    assert "Anzahl" in koepfe and "Menge" not in koepfe
    assert koepfe.index("Anzahl") == 3
    assert _blatt(pfad, blatt)[3][3] == "Anzahl"
    tabelle = load_workbook(pfad)[blatt].tables["tbl_Ressourcen"]
    assert [c.name for c in tabelle.tableColumns][3] == "Anzahl"
    assert "[Anzahl]" in tabelle.tableColumns[8].calculatedColumnFormula.attr_text
    # the help page lists the column under its old name: shared strings were not renamed
    assert any(z[1] == "Menge" for z in _blatt(pfad, "Hinweise") if len(z) > 1)


def test_spalte_geloescht(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["spalte_geloescht"]
    _, vorher, _ = _tabelle(vorlage, "tbl_Ressourcen")
    blatt, koepfe, zeilen = _tabelle(pfad, "tbl_Ressourcen")
    assert koepfe == [c for c in vorher if c != "Kostensatz"]
    assert _blatt(pfad, blatt)[3][: len(koepfe)] == koepfe
    assert len(zeilen[0]) == len(koepfe)
    ws = load_workbook(pfad)[blatt]
    assert ws.tables["tbl_Ressourcen"].ref == "A4:H44"
    gueltig = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert gueltig["F5:F64"] == "liste_kostenart" and "I5:I64" not in gueltig
    assert "#REF!" in ws["H5"].value


def test_ohne_ikz(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["ohne_ikz"]
    with CalamineWorkbook.from_path(str(pfad)) as c:
        assert "_ikz" not in c.sheet_names
        with CalamineWorkbook.from_path(str(vorlage)) as v:
            assert c.sheet_names == [n for n in v.sheet_names if n != "_ikz"]
    assert "_ikz" not in load_workbook(pfad).sheetnames


def test_alte_version_und_fremde_vorlage(k: dict[str, Path], vorlage: Path) -> None:
    original = _kennung(vorlage)
    alt = _kennung(k["alte_version"])
    fremd = _kennung(k["fremde_vorlage"])
    assert alt["schema_version"] == "0"
    assert fremd["vorlage_id"] == korpus.FREMDE_VORLAGE_ID != original["vorlage_id"]
    assert {**alt, "schema_version": original["schema_version"]} == original
    assert {**fremd, "vorlage_id": original["vorlage_id"]} == original
    assert load_workbook(k["alte_version"])["_ikz"].sheet_state == "veryHidden"


def test_uebergross(k: dict[str, Path]) -> None:
    pfad = k["uebergross"]
    assert pfad.stat().st_size > 60 * 2**20
    assert _kennung(pfad)["vorlage_id"] == "ikz-arbeitsmappe"


def test_uebergross_richtet_sich_nach_der_schwelle(tmp_path: Path, vorlage: Path) -> None:
    pfad = korpus.korpus_erzeugen(tmp_path, vorlage, groesse_mb=3, arten=["uebergross"])
    assert 3 * 2**20 < pfad["uebergross"].stat().st_size < 6 * 2**20


def test_text_in_zahl(k: dict[str, Path], ag: Any) -> None:
    _, koepfe, zeilen = _tabelle(k["text_in_zahl"], "tbl_Ressourcen")
    erste = dict(zip(koepfe, zeilen[0], strict=True))
    assert erste["Menge"] == "zwei" and erste["Kostensatz"] == "1.234,50 €"
    assert erste["Kostenart"] == "jährlich" and erste["ab Jahr"] == 1
    assert erste["Kommune"] in ag.partner and erste["Einheit"] and erste["Beschreibung"]
    assert erste["Kosten"] == 0  # ISNUMBER fails on text: what Excel caches too
    assert isinstance(dict(zip(koepfe, zeilen[1], strict=True))["Menge"], float)


def test_ausgefuellt_hat_die_werte_in_den_tabellen(k: dict[str, Path], vorlage: Path) -> None:
    pfad = k["ausgefuellt"]
    werte, beschreibung, _ = korpus.ausgefuellte_werte(vorlage)
    for name, soll in werte.items():
        _, koepfe, zeilen = _tabelle(pfad, name)
        for i, zeile in enumerate(soll):
            ist = dict(zip(koepfe, zeilen[i], strict=True))
            for kopf, wert in zeile.items():
                if wert == "":
                    assert ist[kopf] == "", (name, i, kopf)
                else:
                    assert _gleich(ist[kopf], wert), (name, i, kopf, ist[kopf], wert)
    _, koepfe, zeilen = _tabelle(pfad, "tbl_Projektbeschreibung")
    eintraege = {z[koepfe.index("Nr")]: z[koepfe.index("Eintrag")] for z in zeilen}
    for nr, wert in beschreibung.items():
        assert eintraege[nr] == wert


def test_ausgefuellt_ist_vollstaendig_und_gueltig(
    k: dict[str, Path], vorlage: Path, ag: Any
) -> None:
    """Every required input of the definition is filled, with values the workbook allows."""
    pfad = k["ausgefuellt"]
    st = stammdaten.standard()
    mappe_def = definition.arbeitsmappe()
    listen = {
        z[0]: [w for w in z[1:] if w != ""] for z in zip(*_blatt(pfad, "_listen"), strict=False)
    }
    _, _, varianten = _tabelle(pfad, "tbl_Varianten")
    for _blattdef, tdef in mappe_def.tabellen:
        _, koepfe, zeilen = _tabelle(pfad, tdef.name)
        if tdef.zeilen:
            continue
        gefuellt = [
            dict(zip(koepfe, z, strict=True))
            for z in zeilen
            if any(z[koepfe.index(s.kopf)] != "" for s in tdef.spalten if s.eingabe)
        ]
        if tdef.zeilen_aus is None:
            assert gefuellt, tdef.name
        else:  # prescribed rows (one per partner, per criterion): every one counts
            gefuellt = [dict(zip(koepfe, z, strict=True)) for z in zeilen]
        for zeile in gefuellt:
            for s in tdef.spalten:
                if s.eingabe and s.pflicht:
                    assert zeile[s.kopf] != "", (tdef.name, s.kopf)
                if s.typ == "liste" and zeile[s.kopf] != "":
                    erlaubt = (
                        ag.partner
                        if s.liste == "kommunen"
                        else [v[0] for v in varianten]
                        if s.liste == "varianten"
                        else listen[s.liste]
                    )
                    assert zeile[s.kopf] in erlaubt, (tdef.name, s.kopf, zeile[s.kopf])
            if "ab Jahr" in zeile:
                assert 1 <= zeile["ab Jahr"] <= st.jahre
            if tdef.name == "tbl_Risiken":
                wert = zeile["Eintrittswahrscheinlichkeit"] * zeile["Auswirkung"]
                assert zeile["Risikowert"] == wert
                if wert >= 15:
                    assert zeile["Gegenmaßnahme"]
            if tdef.name == "tbl_Meilensteine":
                assert date(2012, 2, 1) <= zeile["Termin"] <= date(2014, 12, 31)
            if tdef.name == "tbl_Ressourcen":
                assert zeile["Kosten"] == round(zeile["Menge"] * zeile["Kostensatz"], 2)
    assert any(r == 15 or r > 15 for r in (z[5] for z in _tabelle(pfad, "tbl_Risiken")[2]))
    _, koepfe, zeilen = _tabelle(pfad, "tbl_Projektbeschreibung")
    eintraege = {z[0]: z[koepfe.index("Eintrag")] for z in zeilen}
    tdef = next(t for _, t in mappe_def.tabellen if t.name == "tbl_Projektbeschreibung")
    for z in tdef.zeilen:
        if z.eingabe is not None and z.eingabe.pflicht:
            assert eintraege[z.werte["Nr"]] != "", z.werte["Nr"]
    assert all(w in eintraege["3.4"] for w in ("Aufgabenkritik", "eGovernment", "Outsourcing"))
    assert eintraege["3.6"] == "keine" and eintraege["3.8"] in ag.partner
    assert eintraege["3.10"] in [v[0] for v in varianten]
    assert _blatt(pfad, "Kostenausgleich")[3][1] == "Einwohner"


def test_ausgefuellt_behaelt_tabellen_gueltigkeiten_und_kennung(
    k: dict[str, Path], vorlage: Path
) -> None:
    vorher, nachher = load_workbook(vorlage), load_workbook(k["ausgefuellt"])
    assert nachher.sheetnames == vorher.sheetnames
    for name in vorher.sheetnames:
        a, b = vorher[name], nachher[name]
        assert dict(a.tables.items()) == dict(b.tables.items())
        assert [(str(d.sqref), d.formula1) for d in a.data_validations.dataValidation] == [
            (str(d.sqref), d.formula1) for d in b.data_validations.dataValidation
        ]
        assert a.protection.sheet == b.protection.sheet
        assert a.sheet_state == b.sheet_state
    assert _kennung(k["ausgefuellt"]) == _kennung(vorlage)
    assert set(nachher.defined_names) == set(vorher.defined_names)
    with zipfile.ZipFile(vorlage) as v, zipfile.ZipFile(k["ausgefuellt"]) as a:
        assert v.namelist() == a.namelist()
        geaendert = {n for n in v.namelist() if v.read(n) != a.read(n)}
    # only the sheets typed into and the shared strings
    assert "xl/workbook.xml" not in geaendert and "xl/styles.xml" not in geaendert
    assert "xl/sharedStrings.xml" in geaendert
    assert all(n.startswith("xl/worksheets/sheet") for n in geaendert - {"xl/sharedStrings.xml"})


def test_ausfuellen_unter_der_tabelle_leeren_und_formeln(tmp_path: Path, vorlage: Path) -> None:
    zeilen: list[dict[str, object]] = [{"Meilenstein": f"M{i}"} for i in range(17)]
    zeilen[0] = {"Meilenstein": "weg", "Termin": date(2013, 1, 2)}
    zeilen[1] = {"Meilenstein": korpus.Formel("=1+1", 2)}
    pfad = korpus.ausfuellen(vorlage, tmp_path / "a.xlsx", {"tbl_Meilensteine": zeilen})
    leeren: dict[str, list[dict[str, object]]] = {"tbl_Meilensteine": [{"Meilenstein": None}]}
    pfad = korpus.ausfuellen(pfad, tmp_path / "b.xlsx", leeren)
    blatt, _, tabelle = _tabelle(pfad, "tbl_Meilensteine")
    assert tabelle[0][0] == "" and tabelle[0][2] == date(2013, 1, 2)
    assert tabelle[1][0] == 2
    raster = _blatt(pfad, blatt)
    # 15 data rows: rows 16 and 17 land below the table, where a clerk would type them
    assert len(tabelle) == 15 and raster[18][0] == "M15" and raster[19][0] == "M16"
    assert load_workbook(pfad)[blatt]["A5"].value == "=1+1"
    with pytest.raises(KeyError, match="Anzahl"):
        korpus.ausfuellen(vorlage, tmp_path / "c.xlsx", {"tbl_Ressourcen": [{"Anzahl": 1}]})
    with pytest.raises(KeyError, match=r"9\.9"):
        korpus.ausfuellen(vorlage, tmp_path / "d.xlsx", {}, projektbeschreibung={"9.9": "x"})


@pytest.mark.libreoffice
def test_ods_mit_libreoffice(tmp_path: Path, vorlage: Path) -> None:
    """The one test that starts LibreOffice: a real conversion of the filled return."""
    from libreoffice import soffice_verfuegbar

    if not soffice_verfuegbar():
        pytest.skip("LibreOffice (soffice) ist nicht installiert")
    pfad = korpus.korpus_erzeugen(tmp_path, vorlage, arten=["ods"], libreoffice=True)["ods"]
    with zipfile.ZipFile(pfad) as zf:
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert _kennung(pfad)["vorlage_id"] == "ikz-arbeitsmappe"
