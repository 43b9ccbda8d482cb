"""Inputs found in review that once crashed a run or gave two different figures."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ikz_excel import demo_daten, einlesen, erzeugen, konsolidieren, pruefen, stammdaten
from ikz_excel.arbeitsbereich import SPERRDATEI, Arbeitsbereich


@pytest.fixture(scope="module")
def st() -> stammdaten.Stammdaten:
    return stammdaten.standard()


def _ruecklauf(st: stammdaten.Stammdaten, ziel: Path, aendern=None, ag: str = "AG-01") -> Path:
    eingaben, felder = demo_daten.eingaben(st, ag)
    if aendern:
        aendern(eingaben, felder)
    return erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(ag), ziel, eingaben=eingaben, felder=felder
    )


def _zip_aendern(quelle: Path, ziel: Path, teil: str, alt: bytes, neu: bytes) -> Path:
    """A copy of `quelle` with one byte string replaced in one part, as a tamperer would."""
    with zipfile.ZipFile(quelle) as z:
        teile = {i.filename: z.read(i.filename) for i in z.infolist()}
    teile[teil] = teile[teil].replace(alt, neu, 1)
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as z:
        for name, daten in teile.items():
            z.writestr(name, daten)
    return ziel


def test_listenwert_mit_leerzeichen_ist_eine_warnung(tmp_path: Path, st) -> None:
    def leerzeichen(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Kostenart"] = e["tbl_Ressourcen"][0]["Kostenart"] + " "

    d = pruefen.pruefen([_ruecklauf(st, tmp_path / "r.xlsx", leerzeichen)], st).dateien[0]
    assert [(b.blatt, b.regel.value, b.stufe.value) for b in d.befunde] == [
        ("Ressourcen", "UMGEWANDELT", "Warnung")
    ]
    assert "Auswahlliste" in d.befunde[0].meldung  # not "rechnen mit Text nicht"
    assert "rechnen mit Text" not in d.befunde[0].meldung


def test_betrag_mit_drei_nachkommastellen_laesst_konsolidieren_laufen(tmp_path: Path, st) -> None:
    erzeugen.init(tmp_path)

    def drei_stellen(e: dict, _f: dict) -> None:
        e["tbl_Nutzen"][0]["Betrag"] = 1234.567

    _ruecklauf(st, Arbeitsbereich(tmp_path).eingang / "r.xlsx", drei_stellen)
    k = konsolidieren.konsolidieren(tmp_path)
    teile = [z for z in k.kommunen() if z["AG"] == "AG-01"]
    assert teile and all(
        z["Nutzenanteil"] == z["Nutzenanteil"].quantize(Decimal("0.01")) for z in teile
    )


def test_fehlende_vorgegebene_zeile_ohne_abbruch(tmp_path: Path, st) -> None:
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    kaputt = _zip_aendern(
        pfad, tmp_path / "kaputt.xlsx", "xl/sharedStrings.xml", b"<t>4.2</t>", b"<t>4.2a</t>"
    )
    ergebnis = pruefen.pruefen([kaputt, pfad], st)
    # the row 4.2 missing, named where it belongs (below 4.1, row 21), since session 22
    assert ("STRUKTUR", "A22") in {(b.regel.value, b.zelle) for b in ergebnis.dateien[0].befunde}
    assert ergebnis.dateien[1].status == pruefen.GUELTIG


def test_zeile_geloescht_in_libreoffice_bleibt_lesbar(tmp_path: Path, st) -> None:
    """After a row was deleted, LibreOffice writes an empty last row and a dimension to match.

    Neither places a cell, so neither makes calamine allocate anything: the return reads as
    before (it once came back "nicht lesbar: reicht bis Zelle I1048576").
    """
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    with zipfile.ZipFile(pfad) as z:
        xml = z.read("xl/worksheets/sheet4.xml")
    dimension = re.search(rb'<dimension ref="[^"]*"/>', xml)
    assert dimension is not None
    wie_libreoffice = xml.replace(dimension.group(0), b'<dimension ref="A1:I1048576"/>').replace(
        b"</sheetData>",
        b'<row r="1048576" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
        b'outlineLevel="0" collapsed="false"></row></sheetData>',
    )
    geloescht = _zip_aendern(
        pfad, tmp_path / "geloescht.xlsx", "xl/worksheets/sheet4.xml", xml, (wie_libreoffice)
    )
    assert einlesen.datei_vorpruefen(geloescht) is None
    vorher, nachher = pruefen.pruefen([pfad, geloescht], st).dateien
    assert nachher.status == pruefen.GUELTIG, nachher.befunde
    assert {t: g.zeilen for t, g in nachher.gelesen.items()} == {
        t: g.zeilen for t, g in vorher.gelesen.items()
    }


def test_tabelle_ohne_kopfzeilen_kennzeichen_wird_gleich_gelesen(tmp_path: Path, st) -> None:
    """A filter set by a LibreOffice macro saves the table with headerRowCount="0": its header
    row then counts as the first data row. It is still the header, not seven Fehler."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    with zipfile.ZipFile(pfad) as z:
        xml = z.read("xl/tables/table4.xml")
    assert b'name="tbl_Ressourcen"' in xml and b"headerRowCount" not in xml
    ohne = _zip_aendern(
        pfad,
        tmp_path / "ohne.xlsx",
        "xl/tables/table4.xml",
        b"<table ",
        b'<table headerRowCount="0" ',
    )
    vorher, nachher = pruefen.pruefen([pfad, ohne], st).dateien
    assert nachher.status == pruefen.GUELTIG, [b.meldung for b in nachher.befunde]
    assert nachher.gelesen["tbl_Ressourcen"].zeilen == vorher.gelesen["tbl_Ressourcen"].zeilen


def test_ferne_zelle_in_ferner_zeile_bleibt_abgelehnt(tmp_path: Path, st) -> None:
    """Only a row's own position is passed over, never a cell's: not with a prefix either."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    for fern in (
        b'<row r="1048576"><c r="I1048576"><v>1</v></c></row>',
        b'<x:row r="1048576" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:c r="A1048576"><x:v>1</x:v></x:c></x:row>',
        b'<row r="5" x="1"><c r="AAA5"><v>1</v></c></row>',
    ):
        kaputt = _zip_aendern(
            pfad,
            tmp_path / "fern.xlsx",
            "xl/worksheets/sheet4.xml",
            b"</sheetData>",
            fern + b"</sheetData>",
        )
        assert "reicht bis Zelle" in (einlesen.datei_vorpruefen(kaputt) or ""), fern


def test_veraendertes_ikz_blatt_ist_ein_dateibefund(tmp_path: Path, st) -> None:
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    kaputt = _zip_aendern(
        pfad, tmp_path / "kaputt.xlsx", "xl/sharedStrings.xml", b"<t>0.031</t>", b"<t>3,1 %</t>"
    )
    d = pruefen.pruefen([kaputt], st).dateien[0]
    assert [(b.regel.value, b.stufe.value) for b in d.befunde] == [("DATEI", "Fehler")]


def test_kuerzel_mit_schraegstrich_bleibt_im_ausgang(st) -> None:
    ag = dataclasses.replace(st.arbeitsgruppen[0], kuerzel="../../AG/01")
    name = erzeugen.arbeitsmappen_dateiname(ag)
    assert "/" not in name and not name.startswith(".")


def test_paralleles_lesen_gibt_dieselben_befunde(tmp_path: Path, st, monkeypatch) -> None:
    def fehler(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = "zwei"

    dateien = [_ruecklauf(st, tmp_path / f"r{i}.xlsx", fehler if i % 2 else None) for i in range(4)]
    (tmp_path / "kaputt.xlsx").write_bytes(b"kein zip")
    dateien.append(tmp_path / "kaputt.xlsx")
    seriell = pruefen.pruefen(dateien, st)
    monkeypatch.setattr(pruefen, "PARALLEL_AB", 2)
    parallel = pruefen.pruefen(dateien, st)
    assert [b.als_dict() for b in parallel.befunde] == [b.als_dict() for b in seriell.befunde]
    assert [d.status for d in parallel.dateien] == [
        "gültig",
        "fehlerhaft",
        "gültig",
        "fehlerhaft",
        "nicht lesbar",
    ]


def _datei_befunde(st: stammdaten.Stammdaten, pfad: Path) -> list[tuple[str, str]]:
    d = pruefen.pruefen([pfad], st).dateien[0]
    return [(b.regel.value, b.meldung) for b in d.befunde]


def test_entitaeten_in_gemeinsamen_texten_und_blatt_werden_nicht_gelesen(
    tmp_path: Path, st
) -> None:
    """python-calamine parses these parts; they are refused before it sees them."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    dtd = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    for teil in ("xl/sharedStrings.xml", "xl/worksheets/sheet4.xml"):
        kaputt = _zip_aendern(pfad, tmp_path / "kaputt.xlsx", teil, b"?>", b"?>" + dtd)
        befunde = _datei_befunde(st, kaputt)
        assert len(befunde) == 1 and befunde[0][0] == "DATEI", teil
        assert "DOCTYPE/ENTITY" in befunde[0][1], teil


@pytest.mark.parametrize("deklaration", [b"<!DOCTYPE x>", b'<!ENTITY x "y">'])
def test_doctype_oder_entity_allein_wird_nicht_gelesen(tmp_path: Path, st, deklaration) -> None:
    """Either declaration alone refuses the file too, in a part the package reads itself and
    in the prologue of one python-calamine parses."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    for teil in ("xl/worksheets/sheet4.xml", "xl/sharedStrings.xml"):
        kaputt = _zip_aendern(pfad, tmp_path / "kaputt.xlsx", teil, b"?>", b"?>" + deklaration)
        befunde = _datei_befunde(st, kaputt)
        assert [r for r, _ in befunde] == ["DATEI"], (teil, deklaration)
        assert "DOCTYPE/ENTITY" in befunde[0][1], (teil, deklaration)


def test_beschaedigter_teil_trotz_heilem_verzeichnis(tmp_path: Path, st) -> None:
    """The zip directory is intact, one part's compressed bytes are not: a DATEI finding."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    daten = bytearray(pfad.read_bytes())
    with zipfile.ZipFile(pfad) as z:
        info = z.getinfo("xl/worksheets/sheet4.xml")
    # past the local header (30 bytes + name + extra), into the deflate stream
    anfang = info.header_offset + 30 + len(info.filename.encode()) + 40
    daten[anfang : anfang + 200] = bytes(200)
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(bytes(daten))
    ergebnis = pruefen.pruefen([kaputt, pfad], st)
    assert [b.regel.value for b in ergebnis.dateien[0].befunde] == ["DATEI"]
    assert ergebnis.dateien[0].status == pruefen.UNLESBAR
    assert ergebnis.dateien[1].status == pruefen.GUELTIG


def test_ferne_zelle_ohne_dimension_wird_nicht_geoeffnet(tmp_path: Path, st) -> None:
    """Without <dimension> the reader would allocate the grid up to the farthest cell."""
    pfad = _ruecklauf(st, tmp_path / "r.xlsx")
    with zipfile.ZipFile(pfad) as z:
        xml = z.read("xl/worksheets/sheet4.xml")
    ohne = re.sub(rb"<dimension [^>]*/>", b"", xml)
    fern = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    ohne = ohne.replace(b"</sheetData>", fern + b"</sheetData>")
    kaputt = _zip_aendern(pfad, tmp_path / "fern.xlsx", "xl/worksheets/sheet4.xml", xml, ohne)
    befunde = _datei_befunde(st, kaputt)
    assert [r for r, _ in befunde] == ["DATEI"]
    assert "XFD1048576" in befunde[0][1]


def test_geschriebene_dateien_lesen_auch_die_kollegen(tmp_path: Path) -> None:
    """Written atomically, but not private: a shared drive needs the folder's usual rights."""
    from ikz_excel import dateien

    alt = os.umask(0o022)
    try:
        neu = tmp_path / "neu.txt"
        with dateien.atomar(neu) as tmp:
            tmp.write_text("x")
        assert neu.stat().st_mode & 0o777 == 0o666 & ~dateien._UMASK
        vorhanden = tmp_path / "vorhanden.txt"
        vorhanden.write_text("alt")
        vorhanden.chmod(0o640)
        with dateien.atomar(vorhanden) as tmp:
            tmp.write_text("neu")
        assert vorhanden.stat().st_mode & 0o777 == 0o640
        assert vorhanden.read_text() == "neu"
    finally:
        os.umask(alt)


def test_korrekturexemplare_aus_arbeitsprozessen(tmp_path: Path, st, monkeypatch) -> None:
    """Copies written by worker processes equal those written one after the other."""
    from ikz_excel import berichte

    def fehler(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = "zwei"

    erzeugen.init(tmp_path)
    eingang = Arbeitsbereich(tmp_path).eingang
    for i in range(4):  # four AGs: every return counts
        _ruecklauf(st, eingang / f"r{i}.xlsx", fehler if i % 2 else None, f"AG-0{i + 1}")
    seriell = berichte.arbeitsbereich_pruefen(tmp_path)
    zellen_seriell = {n: _zellen(p) for n, p in seriell.korrekturen.items()}
    monkeypatch.setattr(pruefen, "PARALLEL_AB", 2)
    monkeypatch.setattr(berichte, "PARALLEL_AB", 2)
    for p in seriell.korrekturen.values():
        p.unlink()
    parallel = berichte.arbeitsbereich_pruefen(tmp_path)
    assert sorted(parallel.korrekturen) == ["r1.xlsx", "r3.xlsx"]
    assert {n: _zellen(p) for n, p in parallel.korrekturen.items()} == zellen_seriell
    # unchanged, the workers leave them as they are (berichte.KORREKTURSTAND)
    vorher = {p: p.stat().st_mtime_ns for p in parallel.korrekturen.values()}
    wieder = berichte.arbeitsbereich_pruefen(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in wieder.korrekturen.values()} == vorher


def _zellen(pfad: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(pfad)
    return {
        (ws.title, z.coordinate): (z.value, z.comment.text if z.comment else None)
        for ws in wb.worksheets
        if ws.title != "_ikz"
        for reihe in ws.iter_rows()
        for z in reihe
        if z.value is not None or z.comment
    }


def test_geprueft_bleibt_nur_was_berichte_und_uebersicht_brauchen(tmp_path: Path, st) -> None:
    def fehler(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = "zwei"

    gut = _ruecklauf(st, tmp_path / "gut.xlsx")
    schlecht = _ruecklauf(st, tmp_path / "schlecht.xlsx", fehler)
    d_gut, d_schlecht = pruefen.pruefen([gut, schlecht], st).dateien
    # the raw cells only where a Korrektur copy is to be written from them
    assert all(g.roh.zeilen == [] for g in d_gut.gelesen.values())
    assert d_schlecht.gelesen["tbl_Ressourcen"].roh.zeilen
    # typed inputs stay; the Lenkungsgruppe's prefilled texts (phases 1 and 2) do not
    assert d_gut.eintrag("3.1") == "ja" and d_gut.eintrag("4.1")
    assert d_gut.eintrag("1.1") is None
    assert d_gut.zeilen("tbl_Ressourcen") and d_gut.felder["Schluessel"]
    # for `ikz pruefen` (inhalte=False) only the faulty file keeps its tables
    d_gut, d_schlecht = pruefen.pruefen([gut, schlecht], st, inhalte=False).dateien
    assert d_gut.gelesen == {} and d_gut.status == pruefen.GUELTIG
    assert d_schlecht.gelesen["tbl_Ressourcen"].roh.zeilen


_OHNE_IMPORT = """
import os
import sys
from ikz_excel import arbeitsprozesse

arbeitsprozesse._prctl_vorbereiten()  # in the parent, before the pool
geladen = []


class Melder:
    def find_spec(self, name, path=None, target=None):
        geladen.append(name)
        return None


sys.meta_path.insert(0, Melder())
arbeitsprozesse._start(lambda: None, (), os.getppid())
print(geladen)
"""


def test_arbeitsprozess_importiert_beim_start_nichts() -> None:
    """A worker forked while another thread of the parent imports a module waits for that
    import forever (seen: the benchmark's memory sampler reading text, the worker's start
    reading text, both importing the ascii codec). So the start imports nothing."""
    import subprocess
    import sys

    lauf = subprocess.run(
        [sys.executable, "-c", _OHNE_IMPORT], capture_output=True, text=True, check=True
    )
    assert lauf.stdout.strip() == "[]"


_ELTERN_STIRBT = """
import time
from ikz_excel import arbeitsprozesse


def pid(_):
    import os

    return os.getpid()


def warten(_):
    time.sleep(600)


with arbeitsprozesse.pool(lambda: None, (), 2) as pool:
    print(*set(pool.map(pid, range(8))), flush=True)
    pool.submit(warten, 0)
    pool.submit(warten, 1)
    time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl gibt es nur unter Linux")
def test_arbeitsprozesse_enden_mit_dem_elternprozess() -> None:
    """Killed with SIGKILL (a kill -9, the task manager), the parent left its workers alive
    for good, blocked on a full pipe and holding the run's files (review)."""
    import signal
    import subprocess
    import time

    arbeiter: list[int] = []
    eltern = subprocess.Popen(
        [sys.executable, "-c", _ELTERN_STIRBT], stdout=subprocess.PIPE, text=True
    )
    try:
        arbeiter += [int(p) for p in (eltern.stdout.readline() if eltern.stdout else "").split()]
        assert arbeiter
        time.sleep(0.3)  # both waiting
        eltern.send_signal(signal.SIGKILL)
        eltern.wait(10)
        ende = time.monotonic() + 10
        while time.monotonic() < ende and any(_lebt(p) for p in arbeiter):
            time.sleep(0.05)
        assert not any(_lebt(p) for p in arbeiter)
    finally:
        eltern.kill()
        for p in [p for p in arbeiter if _lebt(p)]:  # without the fix: they would stay
            os.kill(p, signal.SIGKILL)


def _lebt(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"  # a zombie is gone, only not yet reaped
    except (FileNotFoundError, IndexError):
        return False


# Windows and shared drives ----------------------------------------------------------------------


def test_korrekturexemplare_unterscheiden_sich_nicht_nur_in_gross_klein() -> None:
    """On NTFS and most shares "AG-01 Entwurf" and "ag-01 entwurf" are one file."""
    from ikz_excel import berichte

    ziele = berichte.korrekturziele(["a/AG-01 Entwurf.xlsx", "b/ag-01 entwurf.xlsx"], Path("k"))
    namen = [p.name.casefold() for p in ziele.values()]
    assert len(set(namen)) == 2, namen


def test_ersetzen_versucht_es_unter_windows_noch_einmal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A virus scanner holds the file just written for a moment: the rename is tried again
    (Windows); elsewhere a refusal is final at once."""
    from ikz_excel import dateien

    echt, versuche = os.replace, []

    def gesperrt_beim_ersten_mal(quelle: Path, ziel: Path) -> None:
        versuche.append(ziel)
        if len(versuche) == 1:
            raise PermissionError(13, "Zugriff verweigert", str(ziel))
        echt(quelle, ziel)

    monkeypatch.setattr(dateien.os, "replace", gesperrt_beim_ersten_mal)
    monkeypatch.setattr(dateien, "WARTEN_WINDOWS", (0.0, 0.0))
    (tmp_path / "neu").write_text("neu")
    dateien._ersetzen(tmp_path / "neu", tmp_path / "ziel", "win32")
    assert (tmp_path / "ziel").read_text() == "neu" and len(versuche) == 2
    versuche.clear()
    (tmp_path / "neu").write_text("neu")
    with pytest.raises(PermissionError):
        dateien._ersetzen(tmp_path / "neu", tmp_path / "ziel", "linux")
    assert len(versuche) == 1


@pytest.mark.parametrize("name", ["THUMBS.DB", "Desktop.ini", "3F2A9C1B", "~DF12AB.tmp"])
def test_systemdateien_und_excels_zwischendateien_sind_keine_ruecklaeufe(name: str) -> None:
    assert einlesen.ist_nebendatei(Path(name))


@pytest.mark.parametrize(
    "name",
    [
        "AG-01 Personal.xlsx.crdownload",
        "AG-01.xlsx.part",
        "AG-01.XLSX.PART",
        "AG-01.xlsx.partial",
        "AG-01.xlsx.download",
    ],
)
def test_laufende_downloads_sind_keine_ruecklaeufe(name: str) -> None:
    """A download still running (Chrome, Edge: .crdownload; Firefox: .part) was "beschädigt …
    Bitte erneut senden" and archived: the AG was asked to send again although only the
    download here had not finished (probe of odd returns)."""
    assert einlesen.ist_nebendatei(Path(name))


def test_datei_nur_aus_nullbytes_sagt_synchronisierung(tmp_path: Path) -> None:
    """An interrupted OneDrive or network copy leaves the size and zeros: not "CSV, Text oder
    PDF"."""
    pfad = tmp_path / "AG-01.xlsx"
    pfad.write_bytes(bytes(40_000))
    with pytest.raises(einlesen.KeineArbeitsmappe) as fehler:
        einlesen.datei_oeffnen(pfad)
    assert "nur Nullbytes" in str(fehler.value) and "Synchronisierung" in str(fehler.value)


def test_verschluesselung_durch_vertraulichkeitsbezeichnung(tmp_path: Path) -> None:
    """A sensitivity label with encryption (Purview, IRM) was told to remove a password that
    does not exist (probe of odd returns): the container names the DRM transform."""
    from korpus import ole_schreiben

    transform = "Microsoft.Metadata.DRMTransform".encode("utf-16-le")
    pfad = tmp_path / "AG-01.xlsx"
    pfad.write_bytes(
        ole_schreiben(
            {
                "EncryptionInfo": b"\0" * 64,
                "EncryptedPackage": bytes(4096),
                "\x06DataSpaces/TransformInfo/DRMEncryptedTransform/\x06Primary": transform,
            }
        )
    )
    grund = einlesen.datei_vorpruefen(pfad) or ""
    if not grund:
        with pytest.raises(einlesen.KeineArbeitsmappe) as fehler:
            einlesen.datei_oeffnen(pfad)
        grund = str(fehler.value)
    assert "Vertraulichkeitsbezeichnung" in grund and "Kennwort" not in grund


@pytest.mark.parametrize("name", ["AG-01.xlsx", "20121130.xlsx", "Tabelle.tmp.xlsx"])
def test_ruecklaeufe_sind_keine_nebendateien(name: str) -> None:
    assert not einlesen.ist_nebendatei(Path(name))


def test_herkunft_im_eingangsbuch_mit_schraegstrich(tmp_path: Path, st) -> None:
    """The ledger names a file's origin the same way on Windows and Linux."""
    from ikz_excel import konsolidieren

    eingang = tmp_path / "eingang"
    demo_daten_datei = eingang / "Mail" / "AG-01.xlsx"
    demo_daten_datei.parent.mkdir(parents=True)
    erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppe("AG-01"), demo_daten_datei)
    eingaenge, _ = konsolidieren.archivieren(eingang, tmp_path / "archiv")
    konsolidieren.eingangsbuch_ergaenzen(tmp_path / "archiv", eingaenge)
    (zeile,) = konsolidieren.eingangsbuch_lesen(tmp_path / "archiv")
    assert zeile["herkunft"] == "Mail/AG-01.xlsx"
    assert zeile["archivdatei"].startswith("dateien/") and "\\" not in zeile["archivdatei"]


@pytest.mark.skipif(os.name != "posix", reason="Dateinamen als Bytes gibt es nur unter POSIX")
def test_dateiname_ohne_utf8_haelt_keinen_lauf_auf(tmp_path: Path, st, monkeypatch, capsys) -> None:
    """A zip from Windows unpacked on Linux leaves "B\\x84derverwaltung" on disk, no UTF-8: the
    Prüfbericht and the Eingangsbuch could not take the name, and the run stopped for every AG
    (review). The name shows with "�"; the file is read, archived and reported, twice alike."""
    from aufruf import ikz_aufrufen

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    quelle = _ruecklauf(st, tmp_path / "AG-10.xlsx", ag="AG-10")
    ziel = os.fsencode(ab.eingang) + b"/AG-10 B\x84derverwaltung.xlsx"
    with open(ziel, "wb") as f:
        f.write(quelle.read_bytes())
    _ruecklauf(st, ab.eingang / "AG-04.xlsx", ag="AG-04")
    lauf = ikz_aufrufen(monkeypatch, capsys, "pruefen", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 0, lauf.text
    assert "AG-10 B\ufffdderverwaltung.xlsx (AG-10): gültig" in lauf.text
    for _ in range(2):
        lauf = ikz_aufrufen(monkeypatch, capsys, "konsolidieren", "--arbeitsbereich", str(tmp_path))
        assert lauf.code == 0, lauf.text
    buch = konsolidieren.eingangsbuch_lesen(ab.archiv)
    assert sorted(z["herkunft"] for z in buch) == ["AG-04.xlsx", "AG-10 B\ufffdderverwaltung.xlsx"]
    assert os.path.exists(ziel)  # eingang/ untouched
    # two such names that look alike once shown (review: the second fell back to the raw path)
    with open(os.fsencode(ab.eingang) + b"/AG-10 B\x94derverwaltung.xlsx", "wb") as f:
        f.write(_ruecklauf(st, tmp_path / "AG-09.xlsx", ag="AG-09").read_bytes())
    lauf = ikz_aufrufen(monkeypatch, capsys, "pruefen", "--arbeitsbereich", str(tmp_path))
    assert lauf.code in (0, 1), lauf.text
    assert "Unerwarteter Fehler" not in lauf.text


@pytest.mark.skipif(os.name != "posix", reason="symbolische Verknüpfungen wie unter Linux")
def test_verknuepfung_ohne_ziel_wird_genannt(tmp_path: Path, st, monkeypatch, capsys) -> None:
    """A link in eingang/ whose target is gone was skipped without a word, and the console
    counted one file less (review). Now it is a Fehler that says what to do."""
    from aufruf import ikz_aufrufen

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    _ruecklauf(st, ab.eingang / "AG-10.xlsx", ag="AG-10")
    (ab.eingang / "AG-09 Verknüpfung.xlsx").symlink_to(tmp_path / "weg" / "AG-09.xlsx")
    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz_aufrufen(monkeypatch, capsys, befehl, "--arbeitsbereich", str(tmp_path))
        assert lauf.code == 1, lauf.text
        assert "AG-09 Verknüpfung.xlsx" in lauf.text
        assert "eine Verknüpfung, deren Ziel fehlt" in lauf.text
        assert "Bitte die Arbeitsmappe selbst in eingang/ ablegen, keine Verknüpfung." in lauf.text


def test_beschaedigte_texte_sagen_was_zu_tun_ist(tmp_path: Path, st) -> None:
    """A shared-string index beyond the table (a damaged part): the reader's English message
    stood alone in the German one (review). Now it is marked technical, with what to do."""
    quelle = _ruecklauf(st, tmp_path / "heil.xlsx")
    with zipfile.ZipFile(quelle) as z:
        teile = {i.filename: z.read(i.filename) for i in z.infolist()}
    for blatt in [n for n in teile if n.startswith("xl/worksheets/sheet")]:
        teile[blatt] = re.sub(rb'(t="s"[^>]*><v>)\d+', rb"\g<1>999999", teile[blatt], count=1)
    kaputt = tmp_path / "kaputt.xlsx"
    with zipfile.ZipFile(kaputt, "w", zipfile.ZIP_DEFLATED) as z:
        for name, daten in teile.items():
            z.writestr(name, daten)
    d = pruefen.pruefen([kaputt], st).dateien[0]
    (b,) = d.befunde
    assert b.regel.value == "DATEI" and "beschädigt" in b.meldung
    assert "technische Meldung:" in b.meldung and "erneut speichern" in b.meldung


@pytest.mark.skipif(os.name != "posix", reason="symbolische Verknüpfungen wie unter Linux")
def test_unlesbarer_ordner_haelt_an_verknuepfter_wird_gelesen(
    tmp_path: Path, st, monkeypatch, capsys
) -> None:
    """An eingang/ (or a folder in it) without read rights counted as empty: exit 0, every AG
    "kein Rücklauf", the overview replaced and the Korrektur copies moved aside; a folder
    linked into eingang/ (a network drive) was skipped silently (review). Now the run stops
    before it writes anything, and a linked folder is read (once, even when linked into
    itself)."""
    from aufruf import ikz_aufrufen

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    _ruecklauf(st, ab.eingang / "AG-10.xlsx", ag="AG-10")
    laufwerk = tmp_path / "laufwerk"
    laufwerk.mkdir()
    _ruecklauf(st, laufwerk / "AG-04.xlsx", ag="AG-04")
    (ab.eingang / "Netzlaufwerk").symlink_to(laufwerk)
    (laufwerk / "wieder").symlink_to(ab.eingang)  # a loop
    lauf = ikz_aufrufen(monkeypatch, capsys, "konsolidieren", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 0, lauf.text
    assert sorted(z["arbeitsgruppe"] for z in konsolidieren.eingangsbuch_lesen(ab.archiv)) == [
        "AG-04",
        "AG-10",
    ]
    uebersicht = (tmp_path / "Lenkungsgruppe_Uebersicht.xlsx").read_bytes()

    echt = os.scandir

    def gesperrt(pfad):
        if Path(pfad).resolve() == laufwerk.resolve():
            raise PermissionError(13, "Permission denied", str(pfad))
        return echt(pfad)

    monkeypatch.setattr(einlesen.os, "scandir", gesperrt)
    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz_aufrufen(monkeypatch, capsys, befehl, "--arbeitsbereich", str(tmp_path))
        assert lauf.code == 2, lauf.text
        assert "Traceback" not in lauf.text
        assert (
            f"Der Ordner {ab.eingang / 'Netzlaufwerk'} lässt sich nicht lesen (keine "
            "Berechtigung). Die Rückläufe darin würden als fehlend gelten; darum wurde nichts "
            "geprüft und nichts geschrieben." in " ".join(lauf.text.split())
        )
    assert (tmp_path / "Lenkungsgruppe_Uebersicht.xlsx").read_bytes() == uebersicht


def test_dateifehler_sagen_was_und_wo(tmp_path: Path, monkeypatch) -> None:
    """The system's messages named our hidden temporary file, said "(None)" for a full disk
    and "in Excel geöffnet?" for every refusal, even of a folder (review)."""
    import errno
    import tempfile

    from xlsxwriter.exceptions import FileCreateError

    from ikz_excel import dateien

    voll = dateien.dateifehler(OSError(errno.ENOSPC, "No space left on device"))
    assert voll is not None and voll.startswith("Der Datenträger ist voll. Bitte Platz schaffen")
    assert "None" not in voll
    ordner = tmp_path / "Lenkungsgruppe_Uebersicht.xlsx"
    ordner.mkdir()
    assert dateien.dateifehler(IsADirectoryError(errno.EISDIR, "Is a directory", str(ordner))) == (
        f"{ordner} ist ein Ordner; dort gehört eine Datei hin. Bitte den Ordner umbenennen oder "
        "verschieben und erneut aufrufen."
    )
    # XlsxWriter wraps the OSError; a full disk names the file being written
    eingewickelt = FileCreateError(OSError(errno.ENOSPC, "No space", str(tmp_path / "x.xlsx")))
    assert f"(beim Schreiben von {tmp_path / 'x.xlsx'})" in (
        dateien.dateifehler(eingewickelt) or ""
    )
    assert dateien.dateifehler(ValueError("kein Dateifehler")) is None

    # a folder without write rights: the temporary file is not named, the folder is
    def verweigert(**kwargs):
        raise PermissionError(13, "Permission denied", str(kwargs["dir"]) + "/.x.abc.xlsx.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", verweigert)
    monkeypatch.setattr(dateien.os, "access", lambda pfad, modus: Path(pfad) != tmp_path)
    ziel = tmp_path / "Pruefbericht.xlsx"
    with pytest.raises(PermissionError) as gefangen, dateien.atomar(ziel):
        pass
    assert gefangen.value.filename == str(ziel)
    assert dateien.dateifehler(gefangen.value) == (
        f"Keine Schreibberechtigung im Ordner {tmp_path}. Bitte die Rechte des Ordners prüfen "
        "lassen (oder einen anderen Arbeitsbereich wählen) und erneut aufrufen."
    )


def test_dateifehler_unter_windows(tmp_path: Path, monkeypatch) -> None:
    """Windows (simulated): a file open in another program says so by its code 32; a folder
    without write rights is found by trying, as `os.access` says yes to every folder there;
    and a temporary file that cannot be deleted (read-only) no longer takes the place of the
    error that tells the user what happened (Windows review)."""
    import tempfile

    from ikz_excel import dateien

    ziel = tmp_path / "Lenkungsgruppe_Uebersicht.xlsx"
    ziel.write_bytes(b"alt")
    for code in (32, 33):  # sharing violation, lock violation
        offen = PermissionError(13, "Der Prozess kann nicht auf die Datei zugreifen", str(ziel))
        offen.winerror = code  # type: ignore[attr-defined]
        assert dateien.dateifehler(offen) == (
            f"{ziel} ist in einem anderen Programm geöffnet (Excel?). Bitte dort schließen und "
            "erneut aufrufen."
        )
    assert dateien._beschreibbar(tmp_path, "win32")

    def verweigert(**kwargs):
        raise PermissionError(13, "Zugriff verweigert", str(kwargs.get("dir")))

    with monkeypatch.context() as m:
        m.setattr(tempfile, "TemporaryFile", verweigert)
        assert not dateien._beschreibbar(tmp_path, "win32")

    def ersetzen(quelle, ziel_, plattform=None):
        fehler = PermissionError(13, "Zugriff verweigert", str(quelle), None, str(ziel_))
        fehler.winerror = 5  # type: ignore[attr-defined]
        raise fehler

    echt = Path.unlink

    def nicht_loeschbar(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith(".tmp"):
            raise PermissionError(13, "Zugriff verweigert", str(self))
        echt(self, missing_ok)

    monkeypatch.setattr(dateien, "_ersetzen", ersetzen)
    monkeypatch.setattr(Path, "unlink", nicht_loeschbar)
    with pytest.raises(PermissionError) as gefangen, dateien.atomar(ziel) as tmp:
        tmp.write_bytes(b"neu")
    assert gefangen.value.filename == str(ziel)  # not the temporary file
    assert getattr(gefangen.value, "winerror", None) == 5
    assert ziel.read_bytes() == b"alt"


def test_steuerungsmappe_als_ordner_sagt_es(tmp_path: Path) -> None:
    """A folder named Steuerungsmappe.xlsm (or one without read rights) got "[Errno 13]
    Permission denied" and advice about passwords (review)."""
    ordner = tmp_path / "Steuerungsmappe.xlsm"
    ordner.mkdir()
    with pytest.raises(stammdaten.StammdatenFehler) as fehler:
        stammdaten.lesen(ordner)
    (b,) = fehler.value.befunde
    assert f"{ordner} ist ein Ordner; dort gehört eine Datei hin." in b.meldung
    assert "Kennwort" not in b.meldung and "Errno" not in b.meldung


def test_nicht_geschriebene_korrekturexemplare_stehen_in_der_konsole(
    tmp_path: Path, st, monkeypatch, capsys
) -> None:
    """A full disk: 1 of 5 copies was written and the console said nothing (review)."""
    import errno

    from aufruf import ikz_aufrufen

    from ikz_excel import berichte

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)

    def text_in_menge(e: dict, _f: dict) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = "zwei"

    _ruecklauf(st, ab.eingang / "AG-10.xlsx", text_in_menge, ag="AG-10")
    assert ikz_aufrufen(monkeypatch, capsys, "pruefen", "-a", str(tmp_path)).code == 1
    (alte,) = ab.berichte.glob("Korrektur_*.xlsx")
    vorher = alte.read_bytes()

    def voll(_d, _st, ziel: Path, *_inhalt) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(ziel))

    monkeypatch.setattr(berichte, "korrektur_schreiben", voll)
    os.utime(alte, (1_000_000_000, 1_000_000_000))  # changed since: to be written anew
    for befehl in ("pruefen", "konsolidieren"):
        lauf = ikz_aufrufen(monkeypatch, capsys, befehl, "--arbeitsbereich", str(tmp_path))
        assert lauf.code == 1, lauf.text
        text = " ".join(lauf.text.split())
        assert "1 Korrekturexemplar ließ sich nicht schreiben: Der Datenträger ist voll" in text
        assert "Die Befunde dieses Rücklaufs stehen im Prüfbericht." in text
        # "was schon dort stand, ist unverändert": the old copy was moved to alt/ (review)
        assert alte.read_bytes() == vorher and not (ab.berichte / "alt").exists()


def test_dateifehler_wirft_selbst_nicht(tmp_path: Path, monkeypatch) -> None:
    """A parent folder that may not be entered: Path.is_dir() raised, and the message about
    one refusal became an "Unerwarteter Fehler" of its own (code review)."""
    import errno

    from ikz_excel import dateien

    ziel = tmp_path / "gesperrt" / "Pruefbericht.xlsx"
    echt = os.stat

    def verweigert(pfad, *args, **kwargs):
        if str(pfad).startswith(str(tmp_path / "gesperrt")):
            raise PermissionError(errno.EACCES, "Permission denied", str(pfad))
        return echt(pfad, *args, **kwargs)

    monkeypatch.setattr(os, "stat", verweigert)
    meldung = dateien.dateifehler(PermissionError(errno.EACCES, "Permission denied", str(ziel)))
    assert meldung is not None and str(ziel) in meldung


def test_zweites_konsolidieren_zur_selben_zeit_wird_abgewiesen(
    tmp_path: Path, st, monkeypatch, capsys
) -> None:
    """Two runs at once (a button clicked twice) each archived the same files: every ledger
    line twice, for good (review). The second is refused while the first holds the lock."""
    from aufruf import ikz_aufrufen

    from ikz_excel import dateien

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    _ruecklauf(st, ab.eingang / "AG-10.xlsx", ag="AG-10")
    with dateien.sperre(ab.archiv / SPERRDATEI):
        lauf = ikz_aufrufen(monkeypatch, capsys, "konsolidieren", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 2, lauf.text
    assert "läuft gerade ein anderes Prüfen oder Konsolidieren" in lauf.text
    assert konsolidieren.eingangsbuch_lesen(ab.archiv) == []
    lauf = ikz_aufrufen(monkeypatch, capsys, "konsolidieren", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 0, lauf.text
    assert len(konsolidieren.eingangsbuch_lesen(ab.archiv)) == 1


def test_pruefen_mit_berichten_wartet_nicht_neben_einem_konsolidieren(
    tmp_path: Path, st, monkeypatch, capsys
) -> None:
    """`pruefen` writes the same Prüfbericht, Korrektur copies and their note as a
    `konsolidieren`: beside one it could note a copy as written from its content while the
    other's bytes lay there, and the next run would keep the wrong copy (review). So it is
    refused while another run holds the lock; without reports (`--json --ohne-berichte`)
    it only reads and may run."""
    from aufruf import ikz_aufrufen

    from ikz_excel import dateien

    erzeugen.init(tmp_path)
    ab = Arbeitsbereich(tmp_path)
    _ruecklauf(st, ab.eingang / "AG-10.xlsx", ag="AG-10")
    with dateien.sperre(ab.archiv / SPERRDATEI):
        lauf = ikz_aufrufen(monkeypatch, capsys, "pruefen", "--arbeitsbereich", str(tmp_path))
        assert lauf.code == 2, lauf.text
        assert "läuft gerade ein anderes Prüfen oder Konsolidieren" in lauf.text
        assert not ab.berichte.exists() or not any(ab.berichte.iterdir())
        lauf = ikz_aufrufen(
            monkeypatch, capsys, "pruefen", "--arbeitsbereich", str(tmp_path), "--ohne-berichte"
        )
        assert lauf.code == 0, lauf.text
    lauf = ikz_aufrufen(monkeypatch, capsys, "pruefen", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 0, lauf.text
    assert (ab.berichte / "Pruefbericht.xlsx").exists()
    # and the other way round: a konsolidieren waits for the pruefen
    with ab.allein():
        lauf = ikz_aufrufen(monkeypatch, capsys, "konsolidieren", "--arbeitsbereich", str(tmp_path))
    assert lauf.code == 2, lauf.text


def test_reste_eines_abgebrochenen_laufs_werden_entfernt(tmp_path: Path) -> None:
    """kill -9 leaves the hidden temporary files of `atomar` (a partial archive copy of 28
    MB); the next run removes those older than an hour, nothing else (review)."""
    import time

    from ikz_excel import dateien

    with dateien.atomar(tmp_path / "Pruefbericht.xlsx") as tmp:
        rest = tmp.with_name(tmp.name.replace("Pruefbericht", "Rest"))
        rest.write_bytes(b"halb")
    alt = time.time() - 7200
    os.utime(rest, (alt, alt))
    frisch = tmp_path / ".Korrektur_AG-01.abcd1234.xlsx.tmp"  # another command writes it now
    frisch.write_bytes(b"")
    fremd = tmp_path / ".notizen.tmp"  # not ours
    fremd.write_bytes(b"")
    os.utime(fremd, (alt, alt))
    assert dateien.reste_entfernen([tmp_path]) == 1
    assert not rest.exists() and frisch.exists() and fremd.exists()
    assert (tmp_path / "Pruefbericht.xlsx").exists()
