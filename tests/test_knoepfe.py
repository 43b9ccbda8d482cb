"""The functions behind the buttons, called as the buttons would call them (without Excel)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from ikz_excel import demo, knoepfe
from ikz_excel.arbeitsbereich import Arbeitsbereich


class _Bereich:
    def __init__(self, blatt: _Blatt, von: tuple[int, int], bis: tuple[int, int]) -> None:
        self.blatt, self.von, self.bis = blatt, von, bis

    @property
    def value(self) -> list[list[Any]]:
        return [
            [self.blatt.zellen.get((r, c)) for c in range(self.von[1], self.bis[1] + 1)]
            for r in range(self.von[0], self.bis[0] + 1)
        ]

    @value.setter
    def value(self, zeilen: list[list[Any]]) -> None:
        for i, zeile in enumerate(zeilen):
            for j, wert in enumerate(zeile):
                self.blatt.zellen[(self.von[0] + i, self.von[1] + j)] = wert


class _Blatt:
    """Just enough of an xlwings Sheet: range((r, c), (r, c)).value."""

    def __init__(self) -> None:
        self.zellen: dict[tuple[int, int], Any] = {}

    def range(self, von: tuple[int, int], bis: tuple[int, int]) -> _Bereich:
        return _Bereich(self, von, bis)


def _sha(pfad: Path) -> str:
    return hashlib.sha256(pfad.read_bytes()).hexdigest()


def test_knoepfe_laufen_und_lassen_die_steuerungsmappe_unveraendert(tmp_path: Path) -> None:
    ziel = tmp_path / "ikz-demo"
    demo.demo(ziel)
    mappe = Arbeitsbereich(ziel).steuerungsmappe
    vorher = _sha(mappe)
    s1 = knoepfe.lauf("erzeugen", mappe)
    assert s1.ok and "0 Arbeitsmappe(n) geschrieben, 10 schon vorhanden" in s1.text
    s2 = knoepfe.lauf("pruefen", mappe)
    assert s2.ok and s2.ort == ziel.resolve() / "berichte" / "Pruefbericht.xlsx"
    assert s2.befunde == 5  # as konsolidieren and the console: the older draft does not count
    s3 = knoepfe.lauf("konsolidieren", mappe)
    assert s3.ok and "von 10 Handlungsfeldern" in s3.text
    assert s3.befunde == 5  # one Fehler in each of five returns; AG-03's older draft not counted
    s4 = knoepfe.lauf("uebersicht_oeffnen", mappe)
    assert s4.ok and s4.ort is not None and s4.ort.exists()
    assert _sha(mappe) == vorher


def test_erzeugen_nennt_die_mappe_einer_umbenannten_ag(tmp_path: Path) -> None:
    """The button says, like the CLI, which old workbook went to ausgang/alt/ and why."""
    import copy
    import dataclasses

    from ikz_excel import erzeugen, stammdaten

    mappe, _ = erzeugen.init(tmp_path / "ab")
    assert knoepfe.lauf("erzeugen", mappe).ok
    st = stammdaten.lesen(mappe)
    tabellen = copy.deepcopy(st.tabellen)
    zeile = next(z for z in tabellen["tbl_Arbeitsgruppen"] if z["AG"] == "AG-02")
    zeile["Bezeichnung"] = "Personal"
    neu = erzeugen.steuerungsmappe_schreiben(
        dataclasses.replace(st, tabellen=tabellen), tmp_path / "neu.xlsx"
    )
    erzeugen.init(tmp_path / "ab", neu, ersetzen=True)
    s = knoepfe.lauf("erzeugen", mappe)
    assert s.ok
    assert (
        "1 Arbeitsmappe(n) geschrieben, 9 schon vorhanden; AG-02_Personalservice.xlsx nach "
        "ausgang/alt/AG-02_Personalservice.xlsx verschoben, weil die Arbeitsgruppe AG-02 jetzt "
        "'Personal' heißt (ihre Mappe: AG-02_Personal.xlsx)." in s.text
    )


def test_fehler_werden_zur_deutschen_statuszeile(tmp_path: Path) -> None:
    s = knoepfe.lauf("konsolidieren", tmp_path / "Steuerungsmappe.xlsm")
    assert not s.ok
    assert "ikz init" in s.text
    s = knoepfe.lauf("uebersicht_oeffnen", tmp_path / "Steuerungsmappe.xlsm")
    assert not s.ok and "Konsolidieren" in s.text


def test_status_neueste_zuerst(tmp_path: Path) -> None:
    blatt = _Blatt()
    for i in range(20):
        knoepfe.status_schreiben(blatt, knoepfe.Status("Test", True, f"Lauf {i}"))
    oben = knoepfe.STATUSZEILE + 2
    assert "Lauf 19" in blatt.zellen[(oben, 3)]
    assert "Lauf 18" in blatt.zellen[(oben + 1, 3)]
    assert (oben + knoepfe.HISTORIE, 3) not in blatt.zellen


def test_statusbereich_steht_in_der_steuerungsmappe(tmp_path: Path) -> None:
    from ikz_excel import erzeugen

    erzeugen.init(tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "Steuerungsmappe.xlsm", keep_vba=True)["Steuerung"]
    assert ws.cell(knoepfe.STATUSZEILE + 1, 2).value == "Zeitpunkt"
    assert ws.cell(knoepfe.STATUSZEILE + 1, 3).value == "Ergebnis"


def test_lg_eingaben_werden_beim_naechsten_konsolidieren_gelesen(tmp_path: Path) -> None:
    ziel = tmp_path / "ikz-demo"
    demo.demo(ziel)
    mappe = Arbeitsbereich(ziel).steuerungsmappe
    wb = openpyxl.load_workbook(mappe, keep_vba=True)
    ws = wb["Prioritaet"]
    tabelle = ws.tables["tbl_Prioritaet"]
    kopf = [c.value for c in ws[tabelle.ref.split(":")[0][1:]]]  # header row
    zeile = int(tabelle.ref.split(":")[0][1:]) + 1  # AG-01
    ws.cell(zeile, kopf.index("Monetärer Erfolg") + 1, 1)
    ws.cell(zeile, kopf.index("Festgelegte Priorität") + 1, 7)
    ws.cell(zeile, kopf.index("Bemerkung") + 1, "Erst nach Auskunft des Finanzamts")
    wb.save(mappe)
    knoepfe.lauf("konsolidieren", mappe)
    from ikz_excel import konsolidieren

    k = konsolidieren.konsolidieren(ziel)
    ag1 = next(s for s in k.ags if s.ag.kuerzel == "AG-01")
    assert ag1.punkte["Monetärer Erfolg"].lg == 1
    # the proposal it replaced stays visible (the Kapitalwert of AG-01 gives 3)
    assert ag1.punkte["Monetärer Erfolg"].herkunft == "Lenkungsgruppe (Vorschlag 3)"
    assert ag1.festgelegte_prioritaet == 7
    # the LG's reason stands beside its points in the overview
    matrix = openpyxl.load_workbook(ziel / "Lenkungsgruppe_Uebersicht.xlsx")["Prioritätenmatrix"]
    texte = [str(c.value) for zeile in matrix.iter_rows() for c in zeile if c.value]
    assert any(
        "Vorschlag 3" in t and "Bemerkung der Lenkungsgruppe: Erst nach Auskunft" in t
        for t in texte
    )


def test_xlwings_konfiguration_nur_unter_windows(tmp_path: Path, monkeypatch: Any) -> None:
    """cp1252 with CRLF (xlwings reads it with VBA `Open`), %LOCALAPPDATA% in front of a
    per-user installation; an existing file is left alone."""
    from ikz_excel import erzeugen

    assert erzeugen.xlwings_konfiguration(tmp_path, "linux") is None
    assert not (tmp_path / "xlwings.conf").exists()
    benutzer = tmp_path / "Jürgen"
    python = benutzer / "AppData" / "Local" / "Programs" / "Python" / "Python311" / "python.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    python.with_name("pythonw.exe").write_bytes(b"")
    monkeypatch.setattr("sys.executable", str(python))
    monkeypatch.setenv("USERPROFILE", str(benutzer))
    monkeypatch.setenv("LOCALAPPDATA", str(benutzer / "AppData" / "Local"))
    ordner = tmp_path / "arbeitsmappen"
    ordner.mkdir()
    ziel = erzeugen.xlwings_konfiguration(ordner, "win32")
    assert ziel == ordner / "xlwings.conf"
    assert ziel.read_bytes() == (
        b'"INTERPRETER_WIN","%LOCALAPPDATA%\\Programs\\Python\\Python311\\pythonw.exe"\r\n'
    )
    eigene = '"INTERPRETER_WIN","C:\\Users\\Jürgen\\eigenes\\pythonw.exe"\r\n'.encode("cp1252")
    ziel.write_bytes(eigene)
    erzeugen.xlwings_konfiguration(ordner, "win32")
    assert ziel.read_bytes() == eigene

    # Without the variables the path is written as it is, ü as one cp1252 byte.
    monkeypatch.delenv("USERPROFILE")
    monkeypatch.delenv("LOCALAPPDATA")
    (tmp_path / "zweiter").mkdir()
    ziel = erzeugen.xlwings_konfiguration(tmp_path / "zweiter", "win32")
    assert ziel is not None and b"J\xfcrgen" in ziel.read_bytes()
    pfad = PureWindowsPath(python.with_name("pythonw.exe"))
    assert ziel.read_bytes().decode("cp1252") == f'"INTERPRETER_WIN","{pfad}"\r\n'


def test_xlwings_konfiguration_ohne_umlaute_aus_cp1252(tmp_path: Path, monkeypatch: Any) -> None:
    """A path xlwings could not read in cp1252 becomes "pythonw" (Python via PATH)."""
    from ikz_excel import erzeugen

    python = tmp_path / "Łukasz" / "python.exe"
    python.parent.mkdir()
    python.write_bytes(b"")
    monkeypatch.setattr("sys.executable", str(python))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "Łukasz"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    ziel = erzeugen.xlwings_konfiguration(tmp_path, "win32")
    assert ziel is not None and ziel.read_bytes() == b'"INTERPRETER_WIN","pythonw"\r\n'


_LOKAL = r"C:\Users\Jürgen\AppData\Local"
_PROFIL = r"C:\Users\Jürgen"


@pytest.mark.parametrize(
    ("interpreter", "umgebung", "wert"),
    [
        (
            _LOKAL + r"\Programs\Python\Python311\pythonw.exe",
            {"LOCALAPPDATA": _LOKAL, "USERPROFILE": _PROFIL},
            r"%LOCALAPPDATA%\Programs\Python\Python311\pythonw.exe",
        ),
        # Windows compares paths without regard to case; a trailing separator does not matter.
        (
            r"c:\users\JÜRGEN\appdata\local\Programs\Python\Python312\pythonw.exe",
            {"LOCALAPPDATA": _LOKAL + "\\", "USERPROFILE": _PROFIL},
            r"%LOCALAPPDATA%\Programs\Python\Python312\pythonw.exe",
        ),
        (
            _PROFIL + r"\IKZ\.venv\Scripts\pythonw.exe",
            {"LOCALAPPDATA": _LOKAL, "USERPROFILE": _PROFIL},
            r"%USERPROFILE%\IKZ\.venv\Scripts\pythonw.exe",
        ),
        (
            _PROFIL + r"\anaconda3\pythonw.exe",
            {"USERPROFILE": _PROFIL},
            r"%USERPROFILE%\anaconda3\pythonw.exe",
        ),
        # Installed for all users: the same path on every PC, written as it is.
        (
            r"C:\Program Files\Python311\pythonw.exe",
            {"LOCALAPPDATA": _LOKAL, "USERPROFILE": _PROFIL},
            r"C:\Program Files\Python311\pythonw.exe",
        ),
        (
            r"C:\Users\Jürgen2\python.exe",
            {"USERPROFILE": _PROFIL},
            r"C:\Users\Jürgen2\python.exe",
        ),
        (r"D:\Python\python.exe", {}, r"D:\Python\python.exe"),
        (r"D:\Python\python.exe", {"USERPROFILE": ""}, r"D:\Python\python.exe"),
        # Not in cp1252: neither the path nor its %USERPROFILE% form would work.
        (r"D:\Łódź\python.exe", {}, "pythonw"),
        (r"C:\Users\Łukasz\python.exe", {"USERPROFILE": r"C:\Users\Łukasz"}, "pythonw"),
    ],
)
def test_xlwings_interpreter(interpreter: str, umgebung: dict[str, str], wert: str) -> None:
    from ikz_excel import erzeugen

    assert erzeugen.xlwings_interpreter(interpreter, umgebung) == wert


class _Excel:
    """Just enough of an xlwings App: `alert`, checked against the real xlwings signature."""

    def __init__(self) -> None:
        self.fenster: list[dict[str, Any]] = []

    def alert(self, *args: Any, **kwargs: Any) -> None:
        import inspect

        import xlwings

        aufruf = inspect.signature(xlwings.App.alert).bind(self, *args, **kwargs)
        self.fenster.append(dict(aufruf.arguments))


def _knopf_druecken(
    monkeypatch: Any, steuerungsmappe: Path, knopf: Callable[[], None]
) -> tuple[_Excel, _Blatt]:
    """Press a button as Excel would: `xw.Book.caller()` is the calling Steuerungsmappe."""
    import xlwings

    excel, blatt = _Excel(), _Blatt()
    mappe = SimpleNamespace(fullname=str(steuerungsmappe), app=excel, sheets={knoepfe.BLATT: blatt})
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: mappe))
    knopf()
    return excel, blatt


def test_knopf_zeigt_den_fehler_im_fenster(tmp_path: Path, monkeypatch: Any) -> None:
    """xlwings' alert takes `mode`, not `style`: the box with the German message must open
    instead of a Python error in Excel."""
    excel, blatt = _knopf_druecken(
        monkeypatch, tmp_path / "Steuerungsmappe.xlsm", knoepfe.konsolidieren
    )
    (fenster,) = excel.fenster
    assert fenster["mode"] == "critical" and "ikz init" in fenster["prompt"]
    assert fenster["title"] == "IKZ – Konsolidieren"
    assert "ikz init" in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_knopf_zeigt_warnungen_zur_steuerungsmappe_im_fenster(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A decision of the LG that does not count (two different priorities for AG-01) must not
    hide in a status line: the action runs, and a box names the cells."""
    from steuerungsmappe_tippen import eintragen

    from ikz_excel import erzeugen, stammdaten

    mappe, _ = erzeugen.init(tmp_path)
    feld = stammdaten.lesen(mappe).arbeitsgruppe("AG-01").handlungsfeld
    (dort,) = eintragen(mappe, ("tbl_Handlungsfelder", feld, "Festgelegte Priorität", 3))
    excel, blatt = _knopf_druecken(monkeypatch, mappe, knoepfe.erzeugen)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "info" and dort in fenster["prompt"]
    zeile = blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]
    assert "10 Arbeitsmappe(n) geschrieben" in zeile and "; Warnung: " in zeile
    assert (tmp_path / "ausgang").is_dir() and len(list((tmp_path / "ausgang").iterdir())) == 10
