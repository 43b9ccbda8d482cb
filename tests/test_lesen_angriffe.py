"""Crafted and damaged returns found in review: each gives a finding, never a hang or a crash.

The reader scans the small parts of a workbook with regular expressions and lets
python-calamine read the sheets. These tests build the files a careless or hostile sender
could produce from a freshly generated return and check what a clerk would get.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from ikz_excel import berichte, demo_daten, einlesen, erzeugen, konsolidieren, pruefen, stammdaten
from ikz_excel.arbeitsbereich import Arbeitsbereich


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


@pytest.mark.parametrize(
    ("art", "zelle"),
    [
        ("Dimension gelogen", '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'),
        ("einfache Anführungszeichen", "<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>"),
    ],
)
def test_ferne_zelle_trotz_kleiner_dimension(tmp_path: Path, st, vorlage: Path, art, zelle):
    """calamine would allocate the grid up to the cell and abort the whole process."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    zeile = f'<row r="1048576">{zelle}</row>'.encode()
    teile[blatt] = teile[blatt].replace(b"</sheetData>", zeile + b"</sheetData>")
    befunde = _befunde(st, _schreiben(tmp_path / "fern.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"], art
    assert "XFD1048576" in befunde[0][1]


def test_zellen_ohne_position_zaehlen_mit(tmp_path: Path, st, vorlage: Path) -> None:
    """A reader places a cell without r after the previous one: 300 of them reach column KO."""
    teile = _teile(vorlage)
    blatt = _ressourcenblatt(teile)
    viele = b'<row r="70">' + b"<c><v>1</v></c>" * 300 + b"</row>"
    teile[blatt] = re.sub(rb"<dimension [^>]*/>", b"", teile[blatt])
    teile[blatt] = teile[blatt].replace(b"</sheetData>", viele + b"</sheetData>")
    befunde = _befunde(st, _schreiben(tmp_path / "ohne_r.xlsx", teile))
    assert [r for r, _ in befunde] == ["DATEI"]
    assert "reicht bis Zelle" in befunde[0][1]


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
    tabellen, _, _ = einlesen.tabellen_lesen(korrektur, {"tbl_Ressourcen"})
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
    with pytest.raises(OSError):
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


def _stirbt_bei_boeser_datei(d, kontext, u) -> None:
    """Stands in for a file that makes the reader abort the process (not only raise)."""
    if "boese" in d.name:
        os._exit(134)
    _ORIGINAL["lesen"](d, kontext, u)


_ORIGINAL: dict = {}


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the stand-in reaches the workers by forking",
)
def test_datei_die_den_leser_abbricht_nimmt_keine_andere_mit(
    tmp_path: Path, st, vorlage: Path, monkeypatch
) -> None:
    dateien = []
    for i in range(6):
        name = "boese.xlsx" if i == 2 else f"r{i}.xlsx"
        ziel = tmp_path / name
        ziel.write_bytes(vorlage.read_bytes())
        dateien.append(ziel)
    _ORIGINAL["lesen"] = pruefen._datei_pruefen
    monkeypatch.setattr(pruefen, "_datei_pruefen", _stirbt_bei_boeser_datei)
    monkeypatch.setattr(pruefen, "PARALLEL_AB", 2)
    monkeypatch.setattr(pruefen, "STAPEL", 2)
    ergebnis = pruefen.pruefen(dateien, st)
    status = {d.name: d.status for d in ergebnis.dateien}
    assert status.pop("boese.xlsx") == pruefen.UNLESBAR
    assert set(status.values()) == {pruefen.GUELTIG}
    assert [d.name for d in ergebnis.dateien] == [p.name for p in dateien]
    boese = next(d for d in ergebnis.dateien if d.name == "boese.xlsx")
    assert [b.regel.value for b in boese.befunde] == ["DATEI"]
