"""The functions behind the buttons, called as the buttons would call them (without Excel)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
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
    assert s2.ok and s2.ort == ziel / "berichte" / "Pruefbericht.xlsx"
    assert s2.befunde == 5  # as konsolidieren and the console: the older draft does not count
    s3 = knoepfe.lauf("konsolidieren", mappe)
    assert s3.ok and "von 10 Arbeitsgruppen" in s3.text
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


def test_erzeugen_nennt_mappen_einer_aelteren_vorlagenversion(tmp_path: Path) -> None:
    """After an update, as on the console: which workbooks in ausgang/ have old formulas."""
    import korpus

    from ikz_excel import erzeugen

    mappe, _ = erzeugen.init(tmp_path / "ab")
    assert knoepfe.lauf("erzeugen", mappe).ok
    (alt,) = (tmp_path / "ab" / "ausgang").glob("AG-01_*.xlsx")
    paket = korpus.Paket.lesen(alt)
    korpus.ikz_setzen(paket, "schema_version", "1")
    paket.schreiben(alt)
    s = knoepfe.lauf("erzeugen", mappe)
    assert s.ok and "davon 1 aus einer älteren Vorlagenversion" in s.text


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


def test_xlwings_konfiguration_in_utf_8_wird_repariert(tmp_path: Path) -> None:
    """The UTF-8 file of an earlier version (code review: "Jürgen" still got "Could not find
    Interpreter!" after the update) is rewritten in cp1252, its line unchanged."""
    from ikz_excel import erzeugen

    zeile = '"INTERPRETER_WIN","C:\\Users\\Jürgen\\Python311\\pythonw.exe"\r\n'
    ziel = tmp_path / "xlwings.conf"
    ziel.write_bytes(zeile.encode("utf-8"))
    assert erzeugen.xlwings_konfiguration(tmp_path, "win32") == ziel
    assert ziel.read_bytes() == zeile.encode("cp1252")


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


def _aufruf(methode: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The arguments of a call, checked against the real xlwings signature."""
    import inspect

    return dict(inspect.signature(methode).bind(*args, **kwargs).arguments)


class _Buch:
    """Just enough of an open xlwings Book: name, fullname, activate(), close() and, of its
    Excel object, `Saved` (False: unsaved changes)."""

    def __init__(self, fullname: str, gespeichert: bool = True) -> None:
        from types import SimpleNamespace

        self.fullname, self.name = fullname, Path(fullname).name
        self.aktiviert = self.geschlossen = False
        self.api = SimpleNamespace(Saved=gespeichert)
        self.buecher: list[_Buch] | None = None

    def close(self, *args: Any, **kwargs: Any) -> None:
        import xlwings

        _aufruf(xlwings.Book.close, self, *args, **kwargs)
        self.geschlossen = True
        if self.buecher is not None:
            self.buecher.remove(self)

    def activate(self, *args: Any, **kwargs: Any) -> None:
        import xlwings

        _aufruf(xlwings.Book.activate, self, *args, **kwargs)
        self.aktiviert = True


class _Buecher(list[_Buch]):
    """Just enough of xlwings' Books: iterating and open(), which refuses a second book of the
    same name as Excel does."""

    def open(self, *args: Any, **kwargs: Any) -> _Buch:
        import xlwings

        fullname = _aufruf(xlwings.main.Books.open, self, *args, **kwargs)["fullname"]
        if any(b.name.lower() == Path(fullname).name.lower() for b in self):
            raise RuntimeError("Eine Arbeitsmappe mit demselben Namen ist bereits geöffnet.")
        buch = _Buch(fullname)
        self.append(buch)
        return buch

    def append(self, buch: _Buch) -> None:
        buch.buecher = self
        super().append(buch)


class _Excel:
    """Just enough of an xlwings App: `alert` and `books`."""

    def __init__(self) -> None:
        self.fenster: list[dict[str, Any]] = []
        self.books = _Buecher()

    def alert(self, *args: Any, **kwargs: Any) -> None:
        import xlwings

        self.fenster.append(_aufruf(xlwings.App.alert, self, *args, **kwargs))


class _Mappe:
    """Just enough of the calling xlwings Book; `fullname` may fail as xlwings' does on
    SharePoint when it cannot find the synchronised folder."""

    def __init__(self, fullname: str | Exception, excel: _Excel, blatt: _Blatt) -> None:
        self._fullname, self.app, self.sheets = fullname, excel, {knoepfe.BLATT: blatt}

    @property
    def fullname(self) -> str:
        if isinstance(self._fullname, Exception):
            raise self._fullname
        return self._fullname


def _knopf_druecken(
    monkeypatch: Any,
    steuerungsmappe: Path | str | Exception,
    knopf: Callable[[], None],
    excel: _Excel | None = None,
) -> tuple[_Excel, _Blatt]:
    """Press a button as Excel would: `xw.Book.caller()` is the calling Steuerungsmappe."""
    import xlwings

    excel, blatt = excel or _Excel(), _Blatt()
    name = steuerungsmappe if isinstance(steuerungsmappe, Exception) else str(steuerungsmappe)
    mappe = _Mappe(name, excel, blatt)
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


def test_knopf_ohne_blatt_steuerung_sagt_das_ergebnis_im_fenster(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The sheet Steuerung renamed in Excel ("Steuerung alt"): the status line could not be
    written and was dropped in silence, so a run that worked said nothing at all. A box tells
    the result and how to get the status lines back."""
    import xlwings

    from ikz_excel import erzeugen

    mappe, _ = erzeugen.init(tmp_path)
    excel = _Excel()
    aufrufer = _Mappe(str(mappe), excel, _Blatt())
    aufrufer.sheets = {"Steuerung alt": _Blatt()}  # xlwings: no sheet of that name, an error
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: aufrufer))
    knoepfe.erzeugen()
    (fenster,) = excel.fenster
    assert fenster["mode"] == "info" and fenster["title"] == "IKZ – Arbeitsmappen erzeugen"
    assert "10 Arbeitsmappe(n) geschrieben" in fenster["prompt"]
    assert f"({tmp_path / 'ausgang'})" in fenster["prompt"]
    assert "Das Blatt „Steuerung“ ließ sich nicht beschreiben" in fenster["prompt"]
    assert len(list((tmp_path / "ausgang").iterdir())) == 10


def test_knopf_ohne_aufrufende_mappe_meldet_deutsch_auf_stderr(
    monkeypatch: Any, capsys: Any
) -> None:
    """Without a calling book there is no box of ours: xlwings shows stderr when Python exits
    with a code other than 0, so that is where the German text goes, not a traceback."""
    import xlwings

    def ohne_excel(cls: Any) -> Any:
        raise xlwings.XlwingsError("Book.caller() must not be called directly.")

    monkeypatch.setattr(xlwings.Book, "caller", classmethod(ohne_excel))
    with pytest.raises(SystemExit) as ende:
        knoepfe.pruefen()
    assert ende.value.code not in (0, None)
    fehler = capsys.readouterr().err
    assert fehler.startswith("IKZ – Rückläufe prüfen: Die aufrufende Excel-Mappe ist nicht")
    assert "Traceback" not in fehler


@pytest.mark.parametrize(
    "fullname",
    [
        "https://contoso.sharepoint.com/sites/IKZ/Freigegebene Dokumente/Steuerungsmappe.xlsm",
        "HTTP://intranet/ikz/Steuerungsmappe.xlsm",
        "xlwings-Fehler",  # stands for xlwings' XlwingsError from `fullname`
    ],
)
def test_knopf_mappe_aus_browser_oder_sharepoint(monkeypatch: Any, fullname: str) -> None:
    """A book Excel knows only by its URL has no folder here: the clerk is told to open it from
    the synchronised folder in the Explorer, in the box and in the status line."""
    import xlwings

    name: str | Exception = fullname
    if fullname == "xlwings-Fehler":
        name = xlwings.XlwingsError("Couldn't find your SharePoint folder.")
    excel, blatt = _knopf_druecken(monkeypatch, name, knoepfe.erzeugen)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "critical" and fenster["title"] == "IKZ – Arbeitsmappen erzeugen"
    assert fenster["prompt"].startswith(knoepfe.ONLINE)
    assert "im Explorer den synchronisierten Ordner" in fenster["prompt"]
    assert knoepfe.ONLINE in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_knopf_ohne_fenster_meldet_deutsch_auf_stderr(
    tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    """Should even the message box fail, the German text still reaches xlwings' error box."""

    class _OhneFenster(_Excel):
        def alert(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("Excel ist beschäftigt")

    with pytest.raises(SystemExit) as ende:
        _knopf_druecken(
            monkeypatch, tmp_path / "Steuerungsmappe.xlsm", knoepfe.konsolidieren, _OhneFenster()
        )
    assert ende.value.code not in (0, None)
    fehler = capsys.readouterr().err
    assert fehler.startswith("IKZ – Konsolidieren: Unerwarteter Fehler (RuntimeError")
    assert "Traceback" not in fehler


def test_statuszeile_nennt_das_laufwerk_wie_geoeffnet(tmp_path: Path) -> None:
    """resolve() would turn Z:\\ into \\\\server\\share (cpython issue 82174); here a
    symlink stands for the drive: the path keeps the spelling the mappe was opened with."""
    from ikz_excel import erzeugen

    erzeugen.init(tmp_path / "server" / "ikz")
    laufwerk = tmp_path / "Z"
    laufwerk.symlink_to(tmp_path / "server")
    s = knoepfe.lauf("erzeugen", laufwerk / "ikz" / "Steuerungsmappe.xlsm")
    assert s.ok and s.ort == laufwerk / "ikz" / "ausgang"
    s = knoepfe.lauf("pruefen", laufwerk / "ikz" / "Steuerungsmappe.xlsm")
    assert s.ok and s.ort == laufwerk / "ikz" / "berichte" / "Pruefbericht.xlsx"


def test_umbenannte_steuerungsmappe_bricht_ab(tmp_path: Path) -> None:
    """The stages read Steuerungsmappe.xlsm of the folder: a copy under another name would run
    on other data than the clerk sees, so it stops and names both files."""
    import shutil

    from ikz_excel import erzeugen

    mappe, _ = erzeugen.init(tmp_path)
    kopie = tmp_path / "Steuerungsmappe - Kopie.xlsm"
    shutil.copy2(mappe, kopie)
    s = knoepfe.lauf("erzeugen", kopie)
    assert not s.ok
    assert "„Steuerungsmappe - Kopie.xlsm“" in s.text and f"({mappe})" in s.text
    assert "als Steuerungsmappe.xlsm im Arbeitsbereich speichern" in s.text
    assert not any((tmp_path / "ausgang").iterdir())
    # Windows does not tell the case apart: the same file under another spelling is fine.
    assert knoepfe.lauf("erzeugen", tmp_path / "STEUERUNGSMAPPE.XLSM").ok


def test_allein_verschobene_steuerungsmappe_bricht_ab(tmp_path: Path, monkeypatch: Any) -> None:
    """A Steuerungsmappe moved alone (to the Desktop) must not create a workspace there."""
    import shutil

    from ikz_excel import erzeugen

    mappe, _ = erzeugen.init(tmp_path / "ab")
    desktop = tmp_path / "Desktop"
    desktop.mkdir()
    shutil.copy2(mappe, desktop / "Steuerungsmappe.xlsm")
    for aktion in knoepfe.AKTIONEN:
        s = knoepfe.lauf(aktion, desktop / "Steuerungsmappe.xlsm")
        assert not s.ok and s.text.startswith(
            "Diese Steuerungsmappe liegt nicht in ihrem Arbeitsbereich"
        )
        assert "'ikz init --arbeitsbereich <Ordner>'" in s.text
    assert sorted(p.name for p in desktop.iterdir()) == ["Steuerungsmappe.xlsm"]
    # the same message in the box when the button is pressed
    excel, _ = _knopf_druecken(monkeypatch, desktop / "Steuerungsmappe.xlsm", knoepfe.erzeugen)
    (fenster,) = excel.fenster
    assert "nicht in ihrem Arbeitsbereich" in fenster["prompt"]
    # a workspace whose eingang/ was deleted is still one: the stage says what is missing
    shutil.rmtree(tmp_path / "ab" / "eingang")
    s = knoepfe.lauf("konsolidieren", mappe)
    assert "nicht in ihrem Arbeitsbereich" not in s.text


def _mit_uebersicht(wurzel: Path) -> tuple[Path, Path]:
    from ikz_excel import erzeugen

    mappe, _ = erzeugen.init(wurzel)
    uebersicht = Arbeitsbereich(wurzel).uebersicht
    uebersicht.write_bytes(b"")  # the button only opens it
    return mappe, uebersicht


def test_uebersicht_oeffnen_ueber_das_aufrufende_excel(tmp_path: Path, monkeypatch: Any) -> None:
    mappe, uebersicht = _mit_uebersicht(tmp_path)
    excel, blatt = _knopf_druecken(monkeypatch, mappe, knoepfe.uebersicht_oeffnen)
    assert [b.fullname for b in excel.books] == [str(uebersicht)]
    assert not excel.fenster
    assert "Übersicht öffnen: geöffnet" in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_uebersicht_oeffnen_nimmt_die_schon_offene(tmp_path: Path, monkeypatch: Any) -> None:
    """Excel refuses a second book of the same name; the open one, spelt with another path
    (\\\\server\\share for Z:\\, here a symlink), is the same file and comes to the front."""
    mappe, uebersicht = _mit_uebersicht(tmp_path / "server")
    (tmp_path / "Z").symlink_to(tmp_path / "server")
    excel = _Excel()
    offen = _Buch(str(tmp_path / "Z" / uebersicht.name))
    excel.books.append(offen)
    excel, _ = _knopf_druecken(monkeypatch, mappe, knoepfe.uebersicht_oeffnen, excel)
    assert offen.aktiviert and len(excel.books) == 1
    assert not excel.fenster


def test_uebersicht_oeffnen_meldet_eine_andere_gleichnamige(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """An overview of another workspace open under the same name must not pass for this one."""
    mappe, uebersicht = _mit_uebersicht(tmp_path / "ab")
    fremd = tmp_path / "Vorjahr" / uebersicht.name
    fremd.parent.mkdir()
    fremd.write_bytes(b"")
    excel = _Excel()
    excel.books.append(_Buch(str(fremd)))
    excel, blatt = _knopf_druecken(monkeypatch, mappe, knoepfe.uebersicht_oeffnen, excel)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "critical"
    assert f"schon eine andere {uebersicht.name} geöffnet ({fremd})" in fenster["prompt"]
    assert not excel.books[0].aktiviert
    assert f"geöffnet ({fremd})" in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_uebersicht_oeffnen_fehler_im_fenster(tmp_path: Path, monkeypatch: Any) -> None:
    mappe, uebersicht = _mit_uebersicht(tmp_path)

    class _Gesperrt(_Buecher):
        def open(self, *args: Any, **kwargs: Any) -> _Buch:
            raise RuntimeError("Zugriff verweigert")

    excel = _Excel()
    excel.books = _Gesperrt()
    excel, blatt = _knopf_druecken(monkeypatch, mappe, knoepfe.uebersicht_oeffnen, excel)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "critical" and fenster["title"] == "IKZ – Übersicht öffnen"
    assert fenster["prompt"].startswith(f"Die Übersicht {uebersicht} ließ sich nicht öffnen")
    assert "Übersicht öffnen: Die Übersicht" in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]


def test_offene_uebersicht_und_pruefbericht_werden_zum_lauf_geschlossen(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """ "Übersicht öffnen" opens it in the same Excel, and the next "Konsolidieren" failed after
    all its work: Windows does not replace a file open in Excel (Windows review). Ours and
    unchanged, they are closed for the run and opened again; a Korrektur copy of another
    workspace stays open."""
    ziel = tmp_path / "ikz-demo"
    demo.demo(ziel)
    ab = Arbeitsbereich(ziel)
    excel = _Excel()
    uebersicht, bericht = _Buch(str(ab.uebersicht)), _Buch(str(ab.berichte / "Pruefbericht.xlsx"))
    fremd_ordner = tmp_path / "Vorjahr" / "berichte"
    fremd_ordner.mkdir(parents=True)
    (fremd_ordner / "Korrektur_AG-01.xlsx").write_bytes(b"")
    fremd = _Buch(str(fremd_ordner / "Korrektur_AG-01.xlsx"))
    for b in (uebersicht, bericht, fremd):
        excel.books.append(b)
    excel, blatt = _knopf_druecken(monkeypatch, ab.steuerungsmappe, knoepfe.konsolidieren, excel)
    assert not excel.fenster, excel.fenster
    assert "Konsolidieren: " in blatt.zellen[(knoepfe.STATUSZEILE + 2, 3)]
    assert uebersicht.geschlossen and bericht.geschlossen and not fremd.geschlossen
    assert sorted(b.fullname for b in excel.books) == sorted(
        [fremd.fullname, str(ab.uebersicht), str(ab.berichte / "Pruefbericht.xlsx")]
    )
    # "Rückläufe prüfen" writes no overview: an open one stays as it is
    excel.books[:] = []
    offen = _Buch(str(ab.uebersicht))
    excel.books.append(offen)
    _knopf_druecken(monkeypatch, ab.steuerungsmappe, knoepfe.pruefen, excel)
    assert not offen.geschlossen


def test_geaenderte_offene_uebersicht_haelt_den_lauf_vorher_an(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Closing would discard what the LG typed into the open overview: nothing runs, the box
    says what to do, and the overview is untouched."""
    ziel = tmp_path / "ikz-demo"
    demo.demo(ziel)
    ab = Arbeitsbereich(ziel)
    vorher = _sha(ab.uebersicht)
    buch = ab.archiv / "Eingangsbuch.csv"
    buch_vorher = _sha(buch)
    quelle = next(ab.eingang.rglob("AG-10*.xlsx")).read_bytes()
    (ab.eingang / "neu.xlsx").write_bytes(quelle[:-10] + b"0123456789")  # new bytes
    excel = _Excel()
    bericht = _Buch(str(ab.berichte / "Pruefbericht.xlsx"))  # unchanged, found first
    geaendert = _Buch(str(ab.uebersicht), gespeichert=False)
    excel.books.append(bericht)
    excel.books.append(geaendert)
    excel, _ = _knopf_druecken(monkeypatch, ab.steuerungsmappe, knoepfe.konsolidieren, excel)
    (fenster,) = excel.fenster
    assert fenster["mode"] == "critical"
    assert "ist in Excel geöffnet und hat ungespeicherte Änderungen" in fenster["prompt"]
    assert not geaendert.geschlossen and _sha(ab.uebersicht) == vorher
    assert not bericht.geschlossen  # nothing closed when the run does not start (review)
    assert _sha(buch) == buch_vorher  # not even archived


def test_pruefen_und_konsolidieren_zaehlen_doppelte_dateien_gleich(tmp_path: Path) -> None:
    """The same return saved twice from two mails ("… (2).xlsx"): "Prüfen" said "11 Datei(en)
    geprüft" and "Konsolidieren" "10 Rücklauf/Rückläufe" for the same eingang/, as if one
    return had got lost between the two buttons. Both now say that one file is a copy."""
    ziel = tmp_path / "ikz-demo"
    demo.demo(ziel)
    mappe = Arbeitsbereich(ziel).steuerungsmappe
    (original,) = (ziel / "eingang").rglob("AG-07 *.xlsx")
    shutil.copy(original, original.with_name(original.stem + " (2).xlsx"))
    s = knoepfe.lauf("pruefen", mappe)
    assert s.text.startswith("11 Dateien geprüft, davon 1 doppelt (zählt einmal), 4 gültig"), s.text
    s = knoepfe.lauf("konsolidieren", mappe)
    assert s.text.startswith("10 Rückläufe (11 Dateien, davon 1 doppelt), 4 von 10 "), s.text
