"""Crafted and damaged returns found in review: each gives a finding, never a hang or a crash.

The reader scans the small parts of a workbook with regular expressions and lets
python-calamine read the sheets. These tests build the files a careless or hostile sender
could produce from a freshly generated return and check what a clerk would get.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from ikz_excel import (
    arbeitsprozesse,
    berichte,
    definition,
    demo_daten,
    einlesen,
    erzeugen,
    konsolidieren,
    pruefen,
    stammdaten,
)
from ikz_excel.arbeitsbereich import Abbruch, Arbeitsbereich


@pytest.fixture(scope="module")
def st() -> stammdaten.Stammdaten:
    return stammdaten.standard()


@pytest.fixture(scope="module")
def vorlage(st, tmp_path_factory) -> Path:
    eingaben, felder = demo_daten.eingaben(st, "AG-01")
    ziel = tmp_path_factory.mktemp("vorlage") / "r.xlsx"
    return erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe("AG-01"), ziel, eingaben=eingaben, felder=felder
    )


def _teile(pfad: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pfad) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _schreiben(ziel: Path, teile: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as z:
        for name, daten in teile.items():
            z.writestr(name, daten)
    return ziel


def _ressourcenblatt(teile: dict[str, bytes]) -> str:
    return "xl/worksheets/sheet4.xml"  # the generator's fourth sheet; asserted below


def _befunde(st, pfad: Path) -> list[tuple[str, str]]:
    d = pruefen.pruefen([pfad], st).dateien[0]
    return [(b.regel.value, b.meldung) for b in d.befunde]


def test_ressourcen_ist_das_vierte_blatt(vorlage: Path) -> None:
    assert b'name="tbl_Ressourcen"' in _teile(vorlage)["xl/tables/table4.xml"]
    assert b"table4.xml" in _teile(vorlage)["xl/worksheets/_rels/sheet4.xml.rels"]


_FERN = b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'


def _in_erste_zeile(xml: bytes, zusatz: bytes) -> bytes:
    """`zusatz` as the last cells of the sheet's first row: a near row, a far cell."""
    return xml.replace(b"</row>", zusatz + b"</row>", 1)


@pytest.mark.parametrize(
    ("art", "zelle"),
    [
        ("wie Excel", _FERN),
        ("einfache Anführungszeichen", _FERN.replace(b'"', b"'")),
        ("kleine Buchstaben", _FERN.replace(b"XFD", b"xfd")),
        ("vier Buchstaben", _FERN.replace(b"XFD1048576", b"AAAA1")),
        ("Adresse doppelt", _FERN.replace(b'r="XFD1048576"', b'r="A1" r="XFD1048576"')),
        ("ferne Zeile", b'</row><row r="1048576"><c r="A1048576"><v>1</v></c>'),
        # five digits in the cell's r alone, the row near (with and without column letter)
        ("ferne Zelle, Zeile nah", b'<c r="B25000"><v>1</v></c>'),
        ("ohne Spaltenbuchstaben", b'<c r="25000"><v>1</v></c>'),
        # calamine takes an r right after the closing quote of the attribute before
        (
            "r ohne Leerzeichen davor",
            _FERN.replace(b'<c r="XFD1048576"', b'<c x="a"r="XFD1048576"'),
        ),
        # a row start inside an attribute value must not pass the cell's own r as a row's
        (
            "Zeilenanfang im Wert",
            _FERN.replace(b'<c r="XFD1048576"', b'<c r="A1" x="<row " r="XFD1048576"'),
        ),
    ],
)
def test_ferne_zelle_in_naher_zeile(tmp_path: Path, st, vorlage: Path, art, zelle) -> None:
    """calamine places a cell by its (last) r and would allocate the grid up to it: abort."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    teile[blatt] = _in_erste_zeile(teile[blatt], zelle)
    befunde = _befunde(st, _schreiben(tmp_path / "fern.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"], art
    assert "reicht bis Zelle" in befunde[0][1], art


def test_zeilenanfang_mit_r_im_attributwert_wird_abgelehnt(tmp_path: Path, st, vorlage) -> None:
    """' <row r="' inside a value, right before the cell's own far r: never a row's position."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    zelle = _FERN.replace(b'<c r="XFD1048576"', b'<c x=" <row r=" r="XFD1048576"')
    teile[blatt] = _in_erste_zeile(teile[blatt], zelle)
    befunde = _befunde(st, _schreiben(tmp_path / "wert.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"]


def test_viele_positionen_kosten_linear(tmp_path: Path, st, vorlage: Path) -> None:
    """60,000 r attributes in one row tag (190 KB of xlsx): refused at once, not after minutes
    of searching backwards from each (the check's cost grew with the square once)."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    attribute = b"".join(b' r="ZZ%d"' % (i % 9 + 1) for i in range(60_000))
    teile[blatt] = teile[blatt].replace(b"<sheetData>", b"<sheetData><row" + attribute + b"></row>")
    pfad = _schreiben(tmp_path / "langsam.xlsx", teile)
    start = time.perf_counter()
    grund = einlesen.datei_vorpruefen(pfad) or ""
    assert time.perf_counter() - start < 5
    assert "reicht bis Zelle ZZ" in grund


@pytest.mark.parametrize(
    "zusatz",
    [
        b"<c><v>1</v></c>" * 300,  # cells without position: placed after the previous one
        b'<c.x r="A1"/><c><v>1</v></c>',  # a decoy that has r, the cell that has none
        b'<c s="1"><v>1</v></c>',  # other attributes, but no r
        b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        b"<a/b:c><v>1</v></a/b:c>" * 300,  # prefixes quick-xml accepts
        b"<:c><v>1</v></:c>" * 300,
    ],
)
def test_zellen_ohne_adresse(tmp_path: Path, st, vorlage: Path, zusatz: bytes) -> None:
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    teile[blatt] = _in_erste_zeile(teile[blatt], zusatz)
    befunde = _befunde(st, _schreiben(tmp_path / "ohne_r.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"]
    assert "ohne Zelladresse" in befunde[0][1]


def test_formularsteuerelemente_nach_den_zellen(tmp_path: Path, st, vorlage: Path) -> None:
    """Excel and LibreOffice save buttons as form controls after the cells, anchored by
    `<xdr:row>` without an r: calamine reads cells only within sheetData, so that is fine."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    steuerelemente = (
        b'<controls xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
        b'spreadsheetDrawing"><control shapeId="1025" r:id="rId9" name="Knopf"><controlPr>'
        b"<anchor><from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row>"
        b"<xdr:rowOff>0</xdr:rowOff></from></anchor></controlPr></control></controls>"
    )
    teile[blatt] = teile[blatt].replace(b"</sheetData>", b"</sheetData>" + steuerelemente)
    assert _befunde(st, _schreiben(tmp_path / "knoepfe.xlsx", teile)) == []


@pytest.mark.parametrize(
    ("praefix", "ende"),
    [
        (b"x:", b"</x:sheetData>"),
        ("é:".encode(), "</é:sheetData>".encode()),
        (b"", b""),  # no end tag: to the end of the sheet
        # prefixes quick-xml accepts, with a decoy after the far cell (found in review)
        (b":", b"<!--<sheetData>--></:sheetData>"),
        (b"a/b:", b"<?x <sheetData>?></a/b:sheetData>"),
        (b"a\x0cb:", b"<![CDATA[<sheetData>]]></a\x0cb:sheetData>"),
        (b"a<:", b"<sheetData/></a<:sheetData>"),
    ],
)
def test_ferne_zelle_in_zelldaten_mit_praefix(tmp_path: Path, st, vorlage, praefix, ende) -> None:
    """The cell data is found under any prefix calamine's parser accepts, the far cell in it
    too, whatever decoys stand after it; without an end tag it reaches to the end."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    xml = _in_erste_zeile(teile[blatt], _FERN)
    teile[blatt] = xml.replace(b"<sheetData>", b"<" + praefix + b"sheetData>").replace(
        b"</sheetData>", ende
    )
    befunde = _befunde(st, _schreiben(tmp_path / "praefix.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"]
    assert "reicht bis Zelle XFD1048576" in befunde[0][1]


@pytest.mark.parametrize("art", ["Groß- und Kleinschreibung", "Beziehung im Kommentar"])
def test_blatt_das_ein_leser_anders_findet(tmp_path: Path, st, vorlage: Path, art) -> None:
    """Every part a reader could take for the sheet is checked, not only the one we resolve."""
    teile = _teile(vorlage)
    rels = "xl/_rels/workbook.xml.rels"
    if art == "Groß- und Kleinschreibung":
        teile[rels] = teile[rels].replace(
            b'Target="worksheets/sheet12.xml"', b'Target="Worksheets/Sheet12.xml"'
        )
    else:
        kommentar = (
            b'<!--<Relationship Id="rId12" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet11.xml"/>-->'
        )
        teile[rels] = teile[rels].replace(b"</Relationships>", kommentar + b"</Relationships>")
    teile["xl/worksheets/sheet12.xml"] = _in_erste_zeile(teile["xl/worksheets/sheet12.xml"], _FERN)
    befunde = _befunde(st, _schreiben(tmp_path / "anders.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"], art
    assert "XFD1048576" in befunde[0][1]


@pytest.mark.parametrize(
    "aenderung",
    [
        (b'ref="A4:I44"', b'ref="A4:I44" totalsRowCount="-3000000"'),
        (b'ref="A4:I44"', b'ref="A4:I44" headerRowCount="-100"'),
        (b'ref="A4:I44"', b'ref="A4:I44" headerRowCount="2"'),
        (b"</tableColumns>", b'<tableColumn id="99" name="mehr"/></tableColumns>'),
        (b'ref="A4:I44"', b'ref="A44:I4"'),
    ],
)
def test_widerspruechliche_tabelle(tmp_path: Path, st, vorlage: Path, aenderung) -> None:
    """Header and totals rows, range and columns must fit, or the wrong cells would be read."""
    teile = _teile(vorlage)
    alt, neu = aenderung
    assert alt in teile["xl/tables/table4.xml"]
    teile["xl/tables/table4.xml"] = teile["xl/tables/table4.xml"].replace(alt, neu, 1)
    befunde = _befunde(st, _schreiben(tmp_path / "tabelle.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"]
    assert "widersprüchlich" in befunde[0][1]


def test_unendliche_zahl_gibt_befund_und_korrekturexemplar(tmp_path: Path, st, vorlage) -> None:
    """`inf` in a number cell: a TYP finding, and the copy shows it as text (Excel has no inf)."""
    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    teile[blatt], n = re.subn(rb'(<c r="D5"[^>]*>)<v>[^<]*</v>', rb"\1<v>inf</v>", teile[blatt])
    assert n == 1
    _schreiben(ab.eingang / "inf.xlsx", teile)
    lauf = berichte.arbeitsbereich_pruefen(tmp_path)
    regeln = [(b.zelle, b.regel.value) for b in lauf.ergebnis.befunde]
    assert ("D5", "TYP") in regeln
    assert "inf.xlsx" in lauf.korrekturen
    assert (ab.berichte / berichte.PRUEFBERICHT).exists()


def test_zahl_aus_vielen_leerzeichen() -> None:
    """A text of a million spaces between two digits: refused at once, the message short."""
    from ikz_excel.definition import Spalte

    text = "1" + " " * 1_000_000 + "1"
    start = time.perf_counter()
    u = einlesen.umwandeln(Spalte(kopf="Menge", typ="zahl"), text)
    assert time.perf_counter() - start < 1
    assert not u.ok and len(u.fehler or "") < 200


def test_korrekturexemplar_das_scheitert_wird_warnung(tmp_path, st, monkeypatch) -> None:
    """One copy that cannot be written: a Warnung of its file, the other copies are written."""
    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    for name, ag in (("a.xlsx", "AG-01"), ("b.xlsx", "AG-02")):  # two AGs: both count
        eingaben, felder = demo_daten.eingaben(st, ag)
        eingaben["tbl_Ressourcen"][0]["Menge"] = "zwei"
        erzeugen.arbeitsmappe_schreiben(
            st, st.arbeitsgruppe(ag), ab.eingang / name, eingaben=eingaben, felder=felder
        )
    original = berichte.korrektur_schreiben

    def scheitert_bei_a(d, st_, ziel, *inhalt):
        if d.name == "a.xlsx":
            raise OSError(28, "Kein Speicherplatz mehr")
        return original(d, st_, ziel, *inhalt)

    monkeypatch.setattr(berichte, "korrektur_schreiben", scheitert_bei_a)
    lauf = berichte.arbeitsbereich_pruefen(tmp_path)
    assert list(lauf.korrekturen) == ["b.xlsx"]
    a = next(d for d in lauf.ergebnis.dateien if d.name == "a.xlsx")
    assert any("Korrekturexemplar" in b.meldung and b.stufe.value == "Warnung" for b in a.befunde)


@pytest.mark.parametrize(
    ("teil", "anhang"),
    [
        ("xl/_rels/workbook.xml.rels", b"<Relationship " * 40_000),
        ("xl/tables/table4.xml", b"<tableColumn " * 40_000),
        ("xl/worksheets/sheet4.xml", b' r="A1"' * 40_000),
    ],
)
def test_gebaute_teile_kosten_keine_stunden(tmp_path, st, vorlage, teil, anhang) -> None:
    """Unclosed start tags repeated: a pattern that crossed tags would need hours here.

    Not a speed test: the bound is a thousand times what a return needs; only a quadratic
    scan could exceed it.
    """
    teile = _teile(vorlage)
    if teil.startswith("xl/worksheets"):  # into a text node, where a crafted value could stand
        teile[teil] = teile[teil].replace(b"</sheetData>", b"</sheetData><!--" + anhang + b"-->")
    else:
        teile[teil] = teile[teil] + anhang
    pfad = _schreiben(tmp_path / "gebaut.xlsx", teile)
    start = time.perf_counter()
    pruefen.pruefen([pfad], st)
    assert time.perf_counter() - start < 10


def test_zeilenformelsuche_bleibt_linear(tmp_path: Path, st, vorlage: Path) -> None:
    """The search for a table row's formula copied below the table (only on a sheet with rows
    below a table) read each formula's text; a pattern doing so scanned the same megabyte again
    for every crafted `r="A1"` in one tag (15 s for a 19 MB part, review; 9 s for this one).
    Not a speed test: the bound is ten times what the linear scan needs here (0.3 s)."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    unten = b'<row r="45"><c r="A45" t="inlineStr"><is><t>Personal</t></is></c></row>'
    xml = re.sub(rb'<row r="45".*?</row>', b"", teile[blatt])
    xml = xml.replace(b'<row r="46"', unten + b'<row r="46"', 1)
    # random letters: a repeated run would be refused as a zip bomb before any scan
    rng = random.Random(7)
    zeichen = bytes(range(97, 123)) + b" #"
    block = rng.randbytes(1 << 20).translate(bytes(zeichen[i % len(zeichen)] for i in range(256)))
    boese = (b"X" + b' r="A1"' * 70 + b"><f " + block) * 12  # 12 MB; more is refused as too big
    teile[blatt] = xml.replace(b"</sheetData>", b"</sheetData><!--<x:c/>" + boese + b"-->")
    pfad = _schreiben(tmp_path / "zeilenformel.xlsx", teile)
    start = time.perf_counter()
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert time.perf_counter() - start < 4
    assert d.gelesen, [b.meldung for b in d.befunde]  # read, so the search ran


def test_formeln_in_einfachen_anfuehrungszeichen(tmp_path: Path, st, vorlage: Path) -> None:
    """Some writers quote attributes with ': the formulas must still count as formulas."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    teile[blatt] = re.sub(rb'(<c[^>]*?) r="([A-Z]+\d+)"', rb"\1 r='\2'", teile[blatt])
    assert b"r='I5'" in teile[blatt]
    befunde = _befunde(st, _schreiben(tmp_path / "einfach.xlsx", teile))
    assert [r for r, _ in befunde if r == "FORMEL"] == []


def test_summenzeile_ist_keine_eingabe_unter_der_tabelle(tmp_path: Path, st, vorlage) -> None:
    teile = _teile(vorlage)
    tabelle = teile["xl/tables/table4.xml"]
    assert b'ref="A4:I44"' in tabelle
    teile["xl/tables/table4.xml"] = tabelle.replace(
        b'ref="A4:I44"', b'ref="A4:I45" totalsRowCount="1"'
    )
    summe = b'<row r="45"><c r="A45" t="inlineStr"><is><t>Summe</t></is></c></row>'
    blatt = _ressourcenblatt(teile)
    teile[blatt] = re.sub(rb'<row r="45".*?</row>', b"", teile[blatt])
    teile[blatt] = teile[blatt].replace(b'<row r="46"', summe + b'<row r="46"', 1)
    assert b"Summe" in teile[blatt]
    befunde = _befunde(st, _schreiben(tmp_path / "summe.xlsx", teile))
    assert not any("Summe" in m for _, m in befunde), befunde


def test_korrekturexemplar_behaelt_letzte_zeile_ohne_erste_spalte(tmp_path: Path, st) -> None:
    """The last typed row has no Ressourcenart (a PFLICHT finding) but everything else."""
    eingaben, felder = demo_daten.eingaben(st, "AG-01")
    zeile = dict(eingaben["tbl_Ressourcen"][0], Ressourcenart=None, Beschreibung="ohne Art")
    eingaben["tbl_Ressourcen"].append(zeile)
    erzeugen.init(tmp_path)
    eingang = Arbeitsbereich(tmp_path).eingang
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe("AG-01"), eingang / "r.xlsx", eingaben=eingaben, felder=felder
    )
    lauf = berichte.arbeitsbereich_pruefen(tmp_path)
    korrektur = lauf.korrekturen["r.xlsx"]
    tabellen, _, _ = einlesen.tabellen_lesen(korrektur, {"tbl_Ressourcen": 20})
    beschreibungen = [w["Beschreibung"] for _, w in tabellen["tbl_Ressourcen"].als_dicts()]
    assert "ohne Art" in beschreibungen


def test_uebersicht_nicht_schreibbar_berichte_trotzdem(tmp_path: Path, st) -> None:
    """The overview open in Excel (here: a folder in its place): the AGs still get answers."""
    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)

    def fehler(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = "zwei"

    eingaben, felder = demo_daten.eingaben(st, "AG-01")
    fehler(eingaben, felder)
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe("AG-01"), ab.eingang / "r.xlsx", eingaben=eingaben, felder=felder
    )
    ab.uebersicht.mkdir()
    with pytest.raises(Abbruch, match="Prüfbericht und Korrekturexemplare"):
        konsolidieren.konsolidieren(tmp_path)
    assert (ab.berichte / berichte.PRUEFBERICHT).exists()
    assert list(ab.berichte.glob("Korrektur_*.xlsx"))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(stellen=hs.lists(hs.tuples(hs.integers(0, 10**9), hs.integers(0, 255)), max_size=6))
def test_verfaelschte_bytes_geben_befunde_keinen_absturz(
    tmp_path: Path, st, vorlage: Path, stellen
) -> None:
    """Any damage to a return's bytes: a finding about the file, never an exception."""
    daten = bytearray(vorlage.read_bytes())
    for stelle, wert in stellen:
        daten[stelle % len(daten)] = wert
    pfad = tmp_path / "verfaelscht.xlsx"
    pfad.write_bytes(bytes(daten))
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert not any("unerwarteter Fehler" in b.meldung for b in d.befunde), d.befunde


NUR_MIT_FORK = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the stand-in reaches the workers by forking",
)


def _boese_datei_bricht_ab(monkeypatch) -> None:
    """Make any file named boese… abort the process that reads it (not only raise), as a
    crafted file could make the reader do."""
    original = pruefen._datei_pruefen

    def lesen(d, kontext, u) -> None:
        if "boese" in d.name:
            os._exit(134)
        original(d, kontext, u)

    monkeypatch.setattr(pruefen, "_datei_pruefen", lesen)


@NUR_MIT_FORK
def test_datei_die_den_leser_abbricht_nimmt_keine_andere_mit(
    tmp_path: Path, st, vorlage: Path, monkeypatch
) -> None:
    dateien = []
    for i in range(6):
        name = "boese.xlsx" if i == 2 else f"r{i}.xlsx"
        ziel = tmp_path / name
        ziel.write_bytes(vorlage.read_bytes())
        dateien.append(ziel)
    _boese_datei_bricht_ab(monkeypatch)
    monkeypatch.setattr(arbeitsprozesse, "kerne", lambda: 2)
    monkeypatch.setattr(pruefen, "PARALLEL_AB", 2)
    monkeypatch.setattr(pruefen, "STAPEL", 2)
    ergebnis = pruefen.pruefen(dateien, st)
    status = {d.name: d.status for d in ergebnis.dateien}
    assert status.pop("boese.xlsx") == pruefen.UNLESBAR
    assert set(status.values()) == {pruefen.GUELTIG}
    assert [d.name for d in ergebnis.dateien] == [p.name for p in dateien]
    boese = next(d for d in ergebnis.dateien if d.name == "boese.xlsx")
    assert [b.regel.value for b in boese.befunde] == ["DATEI"]


@NUR_MIT_FORK
def test_auch_eine_einzelne_datei_bricht_nur_ihren_prozess_ab(
    tmp_path: Path, st, vorlage: Path, monkeypatch
) -> None:
    """A small run (no parallel reading) reads in a worker too: the run survives."""
    boese = tmp_path / "boese.xlsx"
    boese.write_bytes(vorlage.read_bytes())
    _boese_datei_bricht_ab(monkeypatch)
    d = pruefen.pruefen([boese], st).dateien[0]
    assert d.status == pruefen.UNLESBAR
    assert [b.regel.value for b in d.befunde] == ["DATEI"]


@pytest.mark.parametrize("wert", [b"NaN", b"inf", b"1e308"])
def test_gespeichertes_ergebnis_nicht_endlich(tmp_path: Path, st, vorlage: Path, wert) -> None:
    """A Kosten cell whose saved result is NaN or infinite: no internal error (found in review);
    a finite but absurd one is just another figure."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    teile[blatt], n = re.subn(
        rb'(<c r="I5"[^>]*>)(<f>[^<]*</f>)<v>[^<]*</v>', rb"\1\2<v>" + wert + rb"</v>", teile[blatt]
    )
    assert n == 1
    d = pruefen.pruefen([_schreiben(tmp_path / "nan.xlsx", teile)], st).dateien[0]
    assert d.lesbar and not [b for b in d.befunde if b.regel.value == "DATEI"]


# Sheets the clerk added: counted in their XML, never read into a grid ---------------------------


def _mit_blaettern(teile: dict[str, bytes], blaetter: dict[str, bytes]) -> dict[str, bytes]:
    """The workbook with further sheets, as a clerk adds them."""
    for i, (name, xml) in enumerate(blaetter.items()):
        teil = f"worksheets/fremd{i}.xml"
        teile[f"xl/{teil}"] = xml
        teile["xl/workbook.xml"] = teile["xl/workbook.xml"].replace(
            b"</sheets>",
            f'<sheet name="{name}" sheetId="{100 + i}" r:id="rIdF{i}"/></sheets>'.encode(),
        )
        teile["xl/_rels/workbook.xml.rels"] = teile["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Id="rIdF{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="{teil}"/></Relationships>'.encode(),
        )
        teile["[Content_Types].xml"] = teile["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/xl/{teil}" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.worksheet+xml"/></Types>'.encode(),
        )
    return teile


def _blatt(zeilen: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>' + zeilen + b"</sheetData></worksheet>"
    )


def _inline(ort: str, text: str) -> bytes:
    return f'<c r="{ort}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_fremde_blaetter_werden_nicht_gelesen(tmp_path: Path, st, vorlage: Path) -> None:
    """Five sheets of the clerk's, each with A1 and GR20000 (a 53 KB file; any number would
    do): read to be counted, each became a grid of 4 million cells (2 s, 300 MB; 20 sheets
    7.6 s, 790 MB). Counted in their XML, each is a Hinweis with its cells all the same."""
    blatt = _blatt(
        b'<row r="1">' + _inline("A1", "x") + b'</row><row r="20000">'
        + _inline("GR20000", "y") + b"</row>"
    )  # fmt: skip
    namen = [f"Notiz{i}" for i in range(5)]
    teile = _mit_blaettern(_teile(vorlage), dict.fromkeys(namen, blatt))
    pfad = _schreiben(tmp_path / "fremd.xlsx", teile)
    tracemalloc.start()
    try:
        r = einlesen.ruecklauf_lesen(
            pfad, {}, vorlagenblaetter=definition.arbeitsmappe().blattnamen
        )
        spitze = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert spitze < 50 * 1024 * 1024
    assert r.fremde_blaetter == dict.fromkeys(namen, (2, [(1, 0, "x"), (20000, 199, "y")], False))
    befunde = _befunde(st, pfad)
    assert len(befunde) == 5
    assert befunde[0][1].startswith(
        "Notiz0!A1: Das Blatt 'Notiz0' gehört nicht zur Vorlage (2 gefüllte Zellen: A1 'x'; "
        "GR20000 'y'). Sein Inhalt wird nicht gelesen"
    )


def test_fremdes_blatt_aus_dem_xml(tmp_path: Path, st, vorlage: Path, monkeypatch) -> None:
    """What the cells of an added sheet hold, from its XML: shared and inline strings, numbers,
    truth values, formulas' results; empty results and blanks are nothing. Counting stops
    after `FREMD_ZAEHLEN` values per file ("mindestens"); each sheet still names its first."""
    teile = _teile(vorlage)
    sst = teile["xl/sharedStrings.xml"]
    index = sst.count(b"<si>")
    teile["xl/sharedStrings.xml"] = sst.replace(
        b"</sst>", b"<si><t>Frage &amp; Antwort</t></si></sst>"
    )
    notizen = _blatt(
        b'<row r="2"><c r="A2" s="1"/><c r="B2" t="s"><v>%d</v></c>' % index
        + b'<c r="C2"><v>27500</v></c><c r="D2"><f>C2/4</f><v>6875.5</v></c>'
        + b'<c r="E2" t="str"><f>""</f><v></v></c>' + _inline("F2", " ")
        + b'<c r="G2" t="b"><v>1</v></c><c r="H2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    )  # fmt: skip
    viele = _blatt(
        b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (z, z, z) for z in range(1, 9))
    )
    teile = _mit_blaettern(teile, {"Notizen": notizen, "Viele": viele, "Noch mehr": viele})
    pfad = _schreiben(tmp_path / "fremd.xlsx", teile)
    monkeypatch.setattr(einlesen, "FREMD_ZAEHLEN", 12)
    r = einlesen.ruecklauf_lesen(pfad, {}, vorlagenblaetter=definition.arbeitsmappe().blattnamen)
    assert r.fremde_blaetter == {
        "Notizen": (
            5,
            [
                (2, 1, "Frage & Antwort"),
                (2, 2, 27500),
                (2, 3, 6875.5),
                (2, 6, True),
                (2, 7, "#DIV/0!"),
            ],
            False,
        ),
        "Viele": (7, [(z, 0, z) for z in range(1, 6)], True),  # 12 counted in all
        "Noch mehr": (5, [(z, 0, z) for z in range(1, 6)], True),  # the first few all the same
    }
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert {b.meldung.split(". Sein")[0] for b in d.befunde} == {
        "Notizen!B2: Das Blatt 'Notizen' gehört nicht zur Vorlage (5 gefüllte Zellen: B2 'Frage "
        "& Antwort'; C2 27.500; D2 6875,5; G2 WAHR; H2 '#DIV/0!')",
        "Viele!A1: Das Blatt 'Viele' gehört nicht zur Vorlage (mindestens 7 gefüllte Zellen: A1 "
        "1; A2 2; A3 3; A4 4; A5 5 und weitere)",
        "Noch mehr!A1: Das Blatt 'Noch mehr' gehört nicht zur Vorlage (mindestens 5 gefüllte "
        "Zellen: A1 1; A2 2; A3 3; A4 4; A5 5 und weitere)",
    }


def test_abgeschirmt_wenn_der_pool_beim_einreichen_schon_kaputt_ist(
    tmp_path: Path, st, vorlage: Path, monkeypatch
) -> None:
    """Seen once in a full test run: the first file ended its worker while the others were
    still being submitted, and `submit` itself raised BrokenProcessPool, ending the run. The
    files not yet submitted wait for the next round; every file gets its result."""
    import contextlib
    from concurrent.futures.process import BrokenProcessPool

    dateien = []
    for i in range(4):
        ziel = tmp_path / f"r{i}.xlsx"
        ziel.write_bytes(vorlage.read_bytes())
        dateien.append((ziel, ziel.name))
    u = pruefen.Umgebung.aus(st, definition.arbeitsmappe())
    gestorben = []

    class Erledigt:
        def __init__(self, ergebnis: list) -> None:
            self.ergebnis = ergebnis

        def result(self) -> list:
            return self.ergebnis

    class Pool:
        def __init__(self) -> None:
            self.eingereicht = 0

        def submit(self, _fn, auftraege: list) -> Erledigt:
            self.eingereicht += 1
            if not gestorben and self.eingereicht == 2:  # the first round's pool breaks
                gestorben.append(True)
                raise BrokenProcessPool("ein Arbeitsprozess ist gestorben")
            return Erledigt(pruefen.stapel_pruefen(auftraege, u))

    @contextlib.contextmanager
    def pool(*_args, **_kwargs):
        yield Pool()

    monkeypatch.setattr(arbeitsprozesse, "pool", pool)
    ergebnisse = pruefen._abgeschirmt(dateien, u, 2)
    assert gestorben and [d.name for d in ergebnisse] == [n for _, n in dateien]
    assert all(d.lesbar and d.arbeitsgruppe == "AG-01" for d in ergebnisse)


def test_abgeschirmt_wenn_kein_prozess_mehr_startet(
    tmp_path: Path, st, vorlage: Path, monkeypatch
) -> None:
    """Python starts a pool's processes at `submit`; when the system allows no more (fork
    fails: too many processes, no memory), `submit` raises OSError. That ended the run with a
    traceback after a worker had died; now the files are read in this process."""
    import contextlib

    dateien = []
    for i in range(3):
        ziel = tmp_path / f"r{i}.xlsx"
        ziel.write_bytes(vorlage.read_bytes())
        dateien.append((ziel, ziel.name))
    u = pruefen.Umgebung.aus(st, definition.arbeitsmappe())

    class Pool:
        def submit(self, _fn, _auftraege: list) -> None:
            raise OSError(11, "Resource temporarily unavailable")

    @contextlib.contextmanager
    def pool(*_args, **_kwargs):
        yield Pool()

    monkeypatch.setattr(arbeitsprozesse, "pool", pool)
    ergebnisse = pruefen._abgeschirmt(dateien, u, 2)
    assert [d.name for d in ergebnisse] == [n for _, n in dateien]
    assert all(d.lesbar and d.arbeitsgruppe == "AG-01" for d in ergebnisse)


@NUR_MIT_FORK
def test_sigterm_beendet_einen_arbeitsprozess_vor_seiner_einrichtung() -> None:
    """A worker forked from the CLI has the CLI's SIGTERM handler until it sets its own. The
    pool, ending its workers after one died, sent SIGTERM in that moment: it became a
    KeyboardInterrupt the worker swallowed (as `_process_worker` does), and the pool waited
    for it forever (the CI hang). In a forked process the handler ends it instead."""
    import signal
    import time

    from ikz_excel import cli

    vorher = signal.signal(signal.SIGTERM, cli.beenden_wie_strg_c(os.getpid()))
    try:
        kind = os.fork()
        if kind == 0:  # a worker before `_start`: swallows every exception, like the pool's
            try:
                time.sleep(30)
            except BaseException:
                os._exit(7)
            os._exit(0)
        time.sleep(0.2)
        os.kill(kind, signal.SIGTERM)
        _, status = os.waitpid(kind, 0)
    finally:
        signal.signal(signal.SIGTERM, vorher)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGTERM
    # in the process that set it, it is Ctrl+C, as before
    with pytest.raises(KeyboardInterrupt):
        cli.beenden_wie_strg_c(os.getpid())(signal.SIGTERM, None)


_LUECKE = hs.sampled_from([b"", b" ", b"\t", b"\n", b"  "])
#: A position attribute as calamine would read one, and near misses: before it junk or the end
#: of another attribute, letters of any case and digits of any count, either quote.
_POSITION = hs.tuples(
    hs.sampled_from([b"", b" ", b"<c ", b'x="a"', b"<x:c ", b"ar", b":", b"-"]),
    _LUECKE,
    hs.sampled_from([b"=", b""]),
    _LUECKE,
    hs.sampled_from([b'"', b"'", b"`", b""]),
    hs.text("AZaxz", max_size=4).map(str.encode),
    hs.text("0123456789", max_size=8).map(str.encode),
    hs.binary(max_size=3),
).map(lambda t: t[0] + b"r" + b"".join(t[1:]))


@settings(max_examples=1000)
@given(hs.lists(_POSITION | hs.binary(max_size=4), min_size=1, max_size=4).map(b"".join))
def test_vorpruefung_der_weiten_position_uebersieht_keine(xml: bytes) -> None:
    """`_vielleicht_weit` spares a sheet the search for far positions only where that search
    finds none (review 18b): a later change to `_WEITE_POSITION` (another quote, another
    alphabet) that the pre-check does not follow would let a far cell through unseen, and
    calamine allocate its grid up to it."""
    if einlesen._WEITE_POSITION.search(xml):
        assert einlesen._vielleicht_weit(xml), xml
