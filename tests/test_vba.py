"""The VBA project of the Steuerungsmappe, built from source text without Excel.

Excel is never available here, so every claim is checked with the independent readers that are:
oletools/olefile (as a malware analyst would read the file) and LibreOffice (which imports the
VBA project, binds the buttons and – with VBA support – compiles and runs the macros).

What "the source survives" means precisely (`vba.modulkern`): line ends CRLF/CR → LF, the
module header (`Attribute VB_...` lines at the very top) removed, a missing final line end added.
LibreOffice additionally puts `Rem Attribute VBA_ModuleType=...` and `Option VBASupport 1` in
front of every module and one more line end behind it; `_lo_modultext` undoes exactly that.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

import libreoffice
import olefile
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libreoffice import _profil_anlegen, braucht_libreoffice, soffice_umwandeln
from oletools.olevba import VBA_Parser, decompress_stream

from ikz_excel import pfade, vba

# Compression ------------------------------------------------------------------------------------

_WOERTER = (
    "Public Sub ",
    "End Sub",
    "Dim ",
    " As String",
    " As Long",
    "If ",
    " Then",
    "End If",
    "RunPython ",
    '"import ikz_excel.knoepfe as k; k.konsolidieren()"',
    "ThisWorkbook.Save",
    "Rückläufe prüfen",
    "Übersicht öffnen",
    "Größe",
    "€",
    "    ",
    "\t",
    "\r\n",
    "' ",
    "=",
    "&",
    "(",
    ")",
    ",",
    "0",
    "1",
    "42",
    "x",
    "Zeile",
    "Spalte",
)


def _vielfaeltiger_text(groesse: int, saat: int) -> bytes:
    """Code-like cp1252 text of exactly `groesse` bytes: words, umlauts, random runs, CRLF."""
    zufall = random.Random(saat)
    teile: list[bytes] = []
    laenge = 0
    while laenge < groesse:
        if zufall.random() < 0.2:
            teil = bytes(
                zufall.choice(b"abcdefghijklmnopqrstuvwxyz \xe4\xf6\xfc\xdf")
                for _ in range(zufall.randint(1, 9))
            )
        else:
            teil = zufall.choice(_WOERTER).encode("cp1252")
        teile.append(teil)
        laenge += len(teil)
    return b"".join(teile)[:groesse]


def _chunks(container: bytes) -> list[bytes]:
    """Split a CompressedContainer into its chunks (header included) by their size fields."""
    assert container[0] == 0x01
    chunks = []
    i = 1
    while i < len(container):
        (kopf,) = struct.unpack_from("<H", container, i)
        assert (kopf >> 12) & 0x7 == 0b011, "Chunk-Signatur"
        groesse = (kopf & 0x0FFF) + 3
        assert groesse <= 4098
        if not kopf & 0x8000:
            assert groesse == 4098, "ein roher Chunk ist immer 4098 Bytes lang"
        chunks.append(container[i : i + groesse])
        i += groesse
    assert i == len(container), "der letzte Chunk ragt über das Ende hinaus"
    return chunks


def _rundreise_pruefen(daten: bytes) -> None:
    """Compress, then read back with oletools and with our own decompressor.

    Exact equality, with one exception the spec itself makes (2.4.1.3.10): a last chunk that does
    not compress into 4098 bytes is stored raw and padded with zeros to 4096 bytes. Only nearly
    incompressible data of 3641 to 4095 trailing bytes gets there, never source text.
    """
    komprimiert = vba.komprimieren(daten)
    chunks = _chunks(komprimiert)
    assert len(chunks) == -(-len(daten) // 4096)
    erwartet = daten
    if chunks and not chunks[-1][1] & 0x80 and len(daten) % 4096:
        erwartet = daten + bytes(4096 - len(daten) % 4096)
    assert decompress_stream(bytearray(komprimiert)) == erwartet
    assert vba.dekomprimieren(komprimiert) == erwartet
    # Every chunk but the last stands for exactly 4096 bytes: Office reads chunk by chunk.
    for nummer, chunk in enumerate(chunks):
        teil = vba.dekomprimieren(b"\x01" + chunk)
        assert len(teil) == 4096 or nummer == len(chunks) - 1


def test_komprimieren_gibt_die_beispiele_der_spezifikation_byte_genau():
    """MS-OVBA 3.2.1 and 3.2.2 list the compressed bytes; ours must be the same."""
    assert vba.komprimieren(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
    )
    assert vba.komprimieren(b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa") == (
        bytes.fromhex(
            "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C"
            " 00 20 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
        )
    )


@pytest.mark.parametrize("groesse", [0, 1, 2, 3, 100, 4095, 4096, 4097, 8192, 50_000])
def test_komprimieren_rundreise_mit_oletools_text(groesse: int):
    daten = _vielfaeltiger_text(groesse, saat=groesse)
    assert len(daten) == groesse
    komprimiert = vba.komprimieren(daten)
    assert decompress_stream(bytearray(komprimiert)) == daten
    assert vba.dekomprimieren(komprimiert) == daten
    _rundreise_pruefen(daten)
    if groesse >= 4096:
        assert len(komprimiert) < 0.8 * groesse, "Text muss sich spürbar verkleinern"


@pytest.mark.parametrize("groesse", [100, 4095, 4096, 4097, 50_000])
def test_komprimieren_rundreise_unkomprimierbar_und_wiederholt(groesse: int):
    zufall = random.Random(groesse)
    _rundreise_pruefen(bytes(zufall.randrange(256) for _ in range(groesse)))
    _rundreise_pruefen(b"a" * groesse)
    _rundreise_pruefen(b"ab" * (groesse // 2))


def test_komprimieren_der_xlwings_quelle():
    daten = vba.xlwings_modulpfad().read_bytes()
    komprimiert = vba.komprimieren(daten)
    assert decompress_stream(bytearray(komprimiert)) == daten
    assert len(komprimiert) < len(daten) / 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=9000))
def test_komprimieren_rundreise_beliebige_bytes(daten: bytes):
    _rundreise_pruefen(daten)


_TEXTTEILE = st.one_of(
    st.sampled_from(_WOERTER),
    st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cs",)), max_size=20),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXTTEILE, max_size=1500).map("".join))
def test_komprimieren_rundreise_text(text: str):
    _rundreise_pruefen(text.encode("cp1252"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=200), st.integers(1, 120), st.binary(max_size=300))
def test_komprimieren_rundreise_ueber_chunkgrenzen(kern: bytes, anzahl: int, rest: bytes):
    """Long inputs (up to 24 kB) with repeats, so that matches run up to and across chunk ends."""
    _rundreise_pruefen(kern * anzahl + rest)


def test_dekomprimieren_lehnt_kaputte_daten_ab():
    with pytest.raises(ValueError, match="Signaturbyte"):
        vba.dekomprimieren(b"\x00abc")
    with pytest.raises(ValueError, match="Chunk-Signatur"):
        vba.dekomprimieren(b"\x01\xff\x0f")
    with pytest.raises(ValueError, match="vor den Anfang"):
        vba.dekomprimieren(b"\x01\x02\xb0\x01\x00\x00")  # copy token as the very first token


# Module sources ---------------------------------------------------------------------------------

_IKZ_BAS = pfade.vorlagen() / "vba" / "IKZ.bas"


def _prozedur(quelle: str, kopf: str) -> str:
    """Text of one procedure, from its header line to its `End Sub`/`End Function`."""
    treffer = re.search(
        rf"^{re.escape(kopf)}\n(.*?)^End (Sub|Function)$", quelle, re.MULTILINE | re.DOTALL
    )
    assert treffer, f"{kopf!r} fehlt"
    return treffer.group(1)


def _umlaute(text: str) -> str:
    """What the VBA function `Umlaute` makes of a `{ae}` placeholder text."""
    for platzhalter, zeichen in zip(
        ("{ae}", "{oe}", "{ue}", "{Ae}", "{Oe}", "{Ue}", "{ss}"), "äöüÄÖÜß", strict=True
    ):
        text = text.replace(platzhalter, zeichen)
    return text


def _makros_pruefen(quelle: str) -> None:
    """Each button macro hands its name and Python call to `Starten`, which saves first, checks
    the interpreter, then calls RunPython and looks at its result; VBA errors are caught."""
    from ikz_excel import knoepfe

    quelle = vba.modulkern(quelle)
    oeffentlich = re.findall(r"^Public Sub (\w+)\(\)$", quelle, re.MULTILINE)
    assert sorted(oeffentlich) == sorted(vba.MAKROS)
    for makro, funktion in vba.MAKROS.items():
        rumpf = _prozedur(quelle, f"Public Sub {makro}()")
        treffer = re.fullmatch(r'\s*Starten "([^"]+)", "([^"]+)"\s*', rumpf)
        assert treffer, makro
        assert _umlaute(treffer.group(1)) == knoepfe.NAMEN[funktion], "Name wie in den Meldungen"
        assert treffer.group(2) == f"import ikz_excel.knoepfe as k; k.{funktion}()"
    zeilen = [
        z.strip()
        for z in _prozedur(
            quelle, "Private Sub Starten(ByVal Aktion As String, ByVal Befehl As String)"
        ).splitlines()
    ]
    schritte = [
        "On Error GoTo Fehler",
        "ThisWorkbook.Save",
        "Interpreter = PythonInterpreter()",
        "Meldung = Interpreterfehler(Interpreter)",
        "If RunPython(Befehl) = PYTHON_FEHLER Then Pythonfehler Aktion, Interpreter",
        "Fehler:",
        "Fehlermeldung Aktion, Err.Number, Err.Description",
    ]
    stellen = [zeilen.index(schritt) for schritt in schritte]
    assert stellen == sorted(stellen), "Reihenfolge der Schritte in Starten"
    assert "Private Const PYTHON_FEHLER As Long = -1" in quelle
    interpreter = _prozedur(quelle, "Private Function PythonInterpreter() As String")
    assert 'GetConfig("INTERPRETER_WIN", "")' in interpreter
    assert 'GetConfig("INTERPRETER", "python")' in interpreter
    assert "Public Function Selbsttest() As String" in quelle


def test_starten_folgt_dem_xlwings_der_steuerungsmappe():
    """`Starten` copies what RunPython of the pinned xlwings does; an xlwings update that changes
    it must be looked at (interpreter lookup, the check that says "Could not find Interpreter!",
    -1 after a Python error, GetConfig as a public function that expands %VARIABLEN%)."""
    quelle = vba.module_laden()["xlwings"].replace("\r\n", "\n")
    runpython = _prozedur(quelle, "Public Function RunPython(PythonCommand As String)")
    assert 'interpreter = GetConfig("INTERPRETER_WIN", "")' in runpython
    assert 'interpreter = GetConfig("INTERPRETER", "python")' in runpython
    assert "RunPython = ExecuteWindows(False, PythonCommand, interpreter, PYTHONPATH)" in runpython
    assert "RunPython = -1" in runpython
    ausfuehren = quelle[quelle.index("Function ExecuteWindows(") :]
    ausfuehren = ausfuehren[: ausfuehren.index("End Function")]
    assert (
        'If Not IsFrozen And (PYTHON_WIN <> "python" And PYTHON_WIN <> "pythonw") Then'
        in ausfuehren
    )
    assert "If FileExists(PYTHON_WIN) Then" in ausfuehren
    assert 'MsgBox "Could not find Interpreter!", vbCritical' in ausfuehren
    assert "ExecuteWindows = -1" in ausfuehren
    assert re.search(
        r"^Function GetConfig\(configKey As String, Optional default As String", quelle, re.M
    )
    assert "GetConfig = ExpandEnvironmentStrings(GetConfig)" in quelle
    datei = quelle[quelle.index("Function FileExistsOnWindows(") :]
    assert "Attr = GetAttr(FileSpec)" in datei[: datei.index("End Function")]


def test_ikz_bas_ist_ascii_mit_crlf_und_benennt_sich_ikz():
    """ASCII + CRLF: the VBA editor imports the file correctly under any code page (fallback)."""
    roh = _IKZ_BAS.read_bytes()
    assert roh.isascii(), "Umlaute in IKZ.bas als {ae} usw. schreiben (siehe Kopf der Datei)"
    assert roh.count(b"\n") == roh.count(b"\r\n") and roh.count(b"\r") == roh.count(b"\r\n")
    assert roh.startswith(b'Attribute VB_Name = "IKZ"\r\n')
    assert roh.endswith(b"\r\n")


def test_ikz_bas_knoepfe_rufen_die_richtige_funktion():
    _makros_pruefen(_IKZ_BAS.read_text(encoding="ascii"))


def test_makros_passen_zu_den_knoepfen_der_steuerungsmappe():
    """The buttons `erzeugen.py` places must name macros that exist in module IKZ."""
    from ikz_excel import erzeugen

    knoepfe = getattr(erzeugen, "KNOEPFE", None)
    if knoepfe is None:
        pytest.skip("erzeugen.KNOEPFE gibt es (noch) nicht")
    makros = {eintrag[1] for eintrag in knoepfe}
    assert makros == {f"{vba.MODUL_IKZ}.{name}" for name in vba.MAKROS}


def test_python_seite_der_knoepfe_hat_die_funktionen():
    knoepfe = pytest.importorskip("ikz_excel.knoepfe")
    for funktion in vba.MAKROS.values():
        assert callable(getattr(knoepfe, funktion, None)), funktion


def test_module_laden_nimmt_xlwings_aus_dem_installierten_paket():
    import xlwings

    module = vba.module_laden()
    assert set(module) == {"IKZ", "xlwings"}
    assert vba.xlwings_modulpfad().parent == Path(xlwings.__file__).resolve().parent
    quelle = module["xlwings"]
    assert f"'Version: {xlwings.__version__}\r\n" in quelle
    # The module loads the DLL of exactly this version: the reason it must come from the package.
    assert f'Lib "xlwings64-{xlwings.__version__}.dll"' in quelle
    assert "Public Function RunPython(PythonCommand As String)" in quelle
    assert set(vba.module_laden(mit_xlwings=False)) == {"IKZ"}


def test_xlwings_braucht_unter_windows_kein_klassenmodul():
    """The class `Dictionary` (not built) is only used inside `#If Mac Then` branches."""
    zeilen = vba.module_laden()["xlwings"].splitlines()
    bedingung: list[str] = []
    for zeile in zeilen:
        befehl = zeile.strip()
        if befehl.startswith("#If "):
            bedingung.append(befehl)
        elif befehl.startswith("#Else"):
            bedingung[-1] = "NICHT " + bedingung[-1]
        elif befehl.startswith("#End If"):
            bedingung.pop()
        elif re.search(r"\bDictionary\b", befehl) and not befehl.startswith("'"):
            if "Scripting.Dictionary" in befehl:
                continue
            assert bedingung and bedingung[-1] == "#If Mac Then", zeile


def test_modulkern():
    assert vba.modulkern('Attribute VB_Name = "A"\r\nSub X()\r\nEnd Sub') == "Sub X()\nEnd Sub\n"
    assert vba.modulkern("Sub X()\rEnd Sub\n\n") == "Sub X()\nEnd Sub\n\n"
    kopf = 'Attribute VB_Name = "A"\nAttribute VB_Base = "0{x}"\nAttribute VB_Exposed = True\n'
    assert vba.modulkern(kopf + '\' a\nAttribute X.VB_Description = "d"\n') == (
        '\' a\nAttribute X.VB_Description = "d"\n'
    )
    assert vba.modulkern("") == ""


@pytest.mark.parametrize(
    ("module", "meldung"),
    [
        ({"Klasse": "VERSION 1.0 CLASS\nBEGIN\nEND\n"}, "Klassenmodul"),
        ({"A": 'Attribute VB_Name = "B"\nSub X()\nEnd Sub\n'}, "nennt sich"),
        ({"A": 'Sub X()\n  MsgBox "Ok"\n  MsgBox "\u2713"\nEnd Sub\n'}, "Zeile 3"),
        ({"Übersicht": "Sub X()\nEnd Sub\n"}, "kein gültiger VBA-Name"),
        ({"A_" * 16: ""}, "kein gültiger VBA-Name"),
        ({"ikz": "", "IKZ": ""}, "mehrfach"),
        ({"DieseArbeitsmappe": ""}, "mehrfach"),
        ({"Dir": ""}, "Verzeichnis-Stream"),
    ],
)
def test_vba_projekt_lehnt_ungueltiges_ab(module: dict[str, str], meldung: str):
    with pytest.raises(ValueError, match=meldung):
        vba.vba_projekt(module)


def test_vba_projekt_lehnt_code_fuer_unbekannte_dokumente_ab():
    with pytest.raises(ValueError, match="Tabelle9"):
        vba.vba_projekt({}, dokument_code={"Tabelle9": "Sub X()\nEnd Sub\n"})


# The compound file and the VBA streams ----------------------------------------------------------


def _ole(daten: bytes) -> olefile.OleFileIO:
    """Open strictly: olefile raises on anything it would otherwise only log as incorrect."""
    return olefile.OleFileIO(io.BytesIO(daten), raise_defects=olefile.DEFECT_INCORRECT)


def _module_lesen(quelle: bytes | Path) -> dict[str, str]:
    """Module name → source, as oletools extracts them (decoded with the project code page)."""
    if isinstance(quelle, Path):
        parser = VBA_Parser(str(quelle))
    else:
        parser = VBA_Parser("vbaProject.bin", data=quelle)
    try:
        assert parser.detect_vba_macros()
        return {strom.split("/")[-1]: code for _, strom, _, code in parser.extract_macros()}
    finally:
        parser.close()


_ROT, _SCHWARZ = 0, 1  # colour flag of a directory entry (MS-CFB 2.6.1)


def _rot_schwarz_pruefen(ole: olefile.OleFileIO) -> None:
    """Every storage's children form a red-black binary search tree in MS-CFB order."""
    eintraege = ole.direntries

    def schluessel(sid: int) -> tuple[int, str]:
        name = eintraege[sid].name
        return (len(name), name.upper())

    def pruefen(sid: int, unten: tuple[int, str] | None, oben: tuple[int, str] | None) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        eintrag = eintraege[sid]
        if unten is not None:
            assert schluessel(sid) > unten
        if oben is not None:
            assert schluessel(sid) < oben
        if eintrag.color == _ROT:
            for kind in (eintrag.sid_left, eintrag.sid_right):
                assert kind == olefile.NOSTREAM or eintraege[kind].color == _SCHWARZ
        links = pruefen(eintrag.sid_left, unten, schluessel(sid))
        rechts = pruefen(eintrag.sid_right, schluessel(sid), oben)
        assert links == rechts, "ungleiche Schwarzhöhe"
        return links + (eintrag.color == _SCHWARZ)

    speicher = (olefile.STGTY_ROOT, olefile.STGTY_STORAGE)
    for eintrag in eintraege:
        if eintrag is None or eintrag.entry_type not in speicher:
            continue
        if eintrag.sid_child != olefile.NOSTREAM:
            assert eintraege[eintrag.sid_child].color == _SCHWARZ
            pruefen(eintrag.sid_child, None, None)


def test_steuerungsmappe_vba_aufbau():
    daten = vba.steuerungsmappe_vba()
    assert daten == vba.steuerungsmappe_vba(), "gleiche Quellen, gleiche Bytes"
    ole = _ole(daten)
    assert sorted("/".join(p) for p in ole.listdir()) == [
        "PROJECT",
        "PROJECTwm",
        "VBA/DieseArbeitsmappe",
        "VBA/IKZ",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        "VBA/xlwings",
    ]
    _rot_schwarz_pruefen(ole)
    # No performance cache: Office compiles from source (MS-OVBA 2.3.4.1, "MUST be 0xFFFF").
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")

    projekt = ole.openstream("PROJECT").read().decode("cp1252")
    assert projekt.endswith("\r\n") and "\n" not in projekt.replace("\r\n", "")
    zeilen = projekt.split("\r\n")
    assert re.fullmatch(r'ID="\{[0-9A-F-]{36}\}"', zeilen[0])
    assert zeilen[1:4] == ["Document=DieseArbeitsmappe/&H00000000", "Module=IKZ", "Module=xlwings"]
    assert 'Name="VBAProject"' in zeilen
    assert "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000" in zeilen
    werte = dict(z.split("=", 1) for z in zeilen if z[:4] in ("CMG=", "DPB=", 'GC="'))
    projekt_id = zeilen[0][3:].strip('"')
    assert vba._entschleiern(projekt_id, werte["CMG"].strip('"'))[0] == bytes(4)  # not locked
    assert vba._entschleiern(projekt_id, werte["DPB"].strip('"'))[0] == b"\x00"  # no password
    assert vba._entschleiern(projekt_id, werte["GC"].strip('"'))[0] == b"\xff"  # visible

    wm = ole.openstream("PROJECTwm").read()
    assert (
        wm
        == b"".join(
            n.encode() + b"\0" + n.encode("utf-16-le") + b"\0\0"
            for n in ("DieseArbeitsmappe", "IKZ", "xlwings")
        )
        + b"\0\0"
    )

    verzeichnis = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    assert struct.unpack_from("<HIH", verzeichnis, 30) == (0x0003, 2, 1252)  # PROJECTCODEPAGE
    for name in ("DieseArbeitsmappe", "IKZ", "xlwings"):
        satz = struct.pack("<HI", 0x0019, len(name)) + name.encode()  # MODULENAME
        assert verzeichnis.count(satz) == 1
    assert verzeichnis.count(struct.pack("<HII", 0x0031, 4, 0)) == 3  # MODULEOFFSET 0: no P-code
    assert verzeichnis.endswith(struct.pack("<HI", 0x0010, 0))


def test_verschleierung_gleicht_den_beispielen_der_spezifikation_und_von_excel():
    """CMG/DPB/GC of MS-OVBA 3.1.6 and of an Excel-written file decode and re-encode exactly."""
    beispiele = {
        "{917DED54-440B-4FD1-A5C1-74ACF261E600}": (
            ("0705D8E3D8EDDBF1DBF1DBF1DBF1", bytes(4)),
            ("0E0CD1ECDFF4E7F5E7F5E7", b"\x00"),
            ("1517CAF1D6F9D7F9D706", b"\xff"),
        ),
        # xlwings' quickstart_standalone.xlsm, saved by Excel
        "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}": (
            ("8D8FA61394EA98EA98EA98EA98", bytes(4)),
            ("8D8FA61394EF95EF95EF", b"\x00"),
            ("8D8FA61394EF95EF9510", b"\xff"),
        ),
    }
    for projekt_id, werte in beispiele.items():
        for hexwert, klar in werte:
            daten, zufall = vba._entschleiern(projekt_id, hexwert)
            assert daten == klar
            assert vba._verschleiern(projekt_id, daten, zufall) == hexwert


def test_module_kommen_unveraendert_aus_dem_projekt():
    daten = vba.steuerungsmappe_vba()
    gelesen = _module_lesen(daten)
    vorlagen = vba.module_laden()
    assert set(gelesen) == {"DieseArbeitsmappe", *vorlagen}
    for name, quelle in vorlagen.items():
        assert vba.modulkern(gelesen[name]) == vba.modulkern(quelle), name
        assert gelesen[name].startswith(f'Attribute VB_Name = "{name}"\r\n')
        assert "\n" not in gelesen[name].replace("\r\n", ""), "VBA braucht CRLF"
    _makros_pruefen(gelesen["IKZ"])
    assert gelesen["DieseArbeitsmappe"].splitlines()[:2] == [
        'Attribute VB_Name = "DieseArbeitsmappe"',
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"',
    ]


def test_umlaute_und_euro_ueberstehen_die_codepage():
    quelle = 'Sub Gruss()\r\n    MsgBox "Grüße aus Übersee: 5 €"\r\nEnd Sub\r\n'
    gelesen = _module_lesen(vba.vba_projekt({"Modul1": quelle}))
    assert vba.modulkern(gelesen["Modul1"]) == vba.modulkern(quelle)


def test_grosses_projekt_mit_vielen_modulen():
    """Many and large streams: several FAT, directory and MiniFAT sectors, deep sibling trees."""
    module = {
        f"Modul{nummer}": _vielfaeltiger_text(300 + 97 * nummer, nummer)
        .decode("cp1252")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        for nummer in range(60)
    }
    module = {name: "' " + text.replace("\n", "\n' ") + "\n" for name, text in module.items()}
    blaetter = [f"Tabelle{n}" for n in range(1, 31)]
    daten = vba.vba_projekt(module, blaetter=blaetter)
    assert len(daten) > 128 * 512, "mehr als ein FAT-Sektor"
    ole = _ole(daten)
    _rot_schwarz_pruefen(ole)
    gelesen = _module_lesen(daten)
    assert set(gelesen) == {"DieseArbeitsmappe", *blaetter, *module}
    for name, quelle in module.items():
        assert vba.modulkern(gelesen[name]) == vba.modulkern(quelle), name
    for name in blaetter:
        assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in gelesen[name]


# The workbook (XlsxWriter) ----------------------------------------------------------------------


def _steuerungsmappe(
    pfad: Path, module: dict[str, str] | None = None, dokument_code: dict[str, str] | None = None
) -> Path:
    """A small Steuerungsmappe: sheet `Steuerung` with one button per macro, a second sheet."""
    mappe = xlsxwriter.Workbook(pfad)
    blatt = mappe.add_worksheet("Steuerung")
    for nummer, makro in enumerate(vba.MAKROS):
        blatt.insert_button(
            2 + 3 * nummer,
            1,
            {
                "macro": f"{vba.MODUL_IKZ}.{makro}",
                "caption": makro,
                "width": 200,
                "height": 30,
            },
        )
    mappe.add_worksheet("Faktoren").write("A1", "Faktor")
    if dokument_code is None:
        vba.vba_einbinden(mappe, module)
    else:
        # vba_einbinden has no dokument_code; the same steps by hand.
        mappe.set_vba_name(vba.ARBEITSMAPPE)
        for nummer, ws in enumerate(mappe.worksheets(), start=1):
            ws.set_vba_name(f"Tabelle{nummer}")
        projekt = vba.vba_projekt(
            module if module is not None else vba.module_laden(),
            blaetter=["Tabelle1", "Tabelle2"],
            dokument_code=dokument_code,
        )
        mappe.add_vba_project(io.BytesIO(projekt), is_stream=True)
    mappe.close()
    return pfad


def test_xlsm_mit_knopf_und_allen_modulen(tmp_path: Path):
    pfad = _steuerungsmappe(tmp_path / "Steuerungsmappe.xlsm")
    with zipfile.ZipFile(pfad) as archiv:
        namen = set(archiv.namelist())
        typen = archiv.read("[Content_Types].xml").decode()
        arbeitsmappe = archiv.read("xl/workbook.xml").decode()
        blatt1 = archiv.read("xl/worksheets/sheet1.xml").decode()
        blatt2 = archiv.read("xl/worksheets/sheet2.xml").decode()
        vml = archiv.read("xl/drawings/vmlDrawing1.vml").decode()
    assert "xl/vbaProject.bin" in namen
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in typen
    assert 'codeName="DieseArbeitsmappe"' in arbeitsmappe
    assert 'codeName="Tabelle1"' in blatt1 and 'codeName="Tabelle2"' in blatt2
    for makro in vba.MAKROS:
        assert f"<x:FmlaMacro>[0]!IKZ.{makro}</x:FmlaMacro>" in vml

    gelesen = _module_lesen(pfad)
    vorlagen = vba.module_laden()
    assert set(gelesen) == {"DieseArbeitsmappe", "Tabelle1", "Tabelle2", *vorlagen}
    for name, quelle in vorlagen.items():
        assert vba.modulkern(gelesen[name]) == vba.modulkern(quelle), name


def test_vba_einbinden_gibt_diagrammblaettern_ein_eigenes_dokumentmodul(tmp_path: Path):
    mappe = xlsxwriter.Workbook(tmp_path / "mit_diagramm.xlsm")
    blatt = mappe.add_worksheet("Daten")
    blatt.write_column("A1", [1, 2, 3])
    diagramm = mappe.add_chart({"type": "column"})
    diagramm.add_series({"values": "=Daten!$A$1:$A$3"})
    mappe.add_chartsheet("Bild").set_chart(diagramm)
    namen = vba.vba_einbinden(mappe, {"IKZ": "Sub X()\nEnd Sub\n"})
    mappe.close()
    assert namen == {"Daten": "Tabelle1", "Bild": "Diagramm1"}
    gelesen = _module_lesen(tmp_path / "mit_diagramm.xlsm")
    assert '"0{00020821-0000-0000-C000-000000000046}"' in gelesen["Diagramm1"]


# LibreOffice ------------------------------------------------------------------------------------

_LO_REGISTRY = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">\
<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">\
<prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">\
<prop oor:name="Executable" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA">\
<prop oor:name="Save" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def _nach_ods(quelle: Path, ziel: Path) -> Path:
    """Let LibreOffice import the xlsm (VBA included) and save it as ods: a fresh profile
    (shared profiles lose files), macros allowed, VBA on."""
    ordner = Path(tempfile.mkdtemp(prefix="ikz_vba_lo_"))
    try:
        _profil_anlegen(ordner / "profil", registry=_LO_REGISTRY)
        kopie = ordner / "mappe.xlsm"
        shutil.copyfile(quelle, kopie)
        rueckgabe, ausgabe, fehler = soffice_umwandeln(
            ordner / "profil", "ods", ordner, [kopie], 180
        )
        ergebnis = ordner / "mappe.ods"
        assert rueckgabe is not None and ergebnis.is_file(), (
            f"LibreOffice hat nichts geschrieben: {ausgabe!r} {fehler!r}"
        )
        shutil.copyfile(ergebnis, ziel)
    finally:
        shutil.rmtree(ordner, ignore_errors=True)
    return ziel


def _lo_modultext(xml: bytes) -> tuple[str, str]:
    """(module type, source) of a module in the ods, without what LibreOffice adds."""
    wurzel = ElementTree.fromstring(xml)
    art = wurzel.get("{http://openoffice.org/2000/script}moduleType") or ""
    zeilen = (wurzel.text or "").split("\n")
    assert zeilen[0].startswith("Rem Attribute VBA_ModuleType=")
    assert zeilen[1] == "Option VBASupport 1"
    text = "\n".join(zeilen[2:])
    assert text.endswith("\n\n") or text == "\n"
    return art, text[:-1]


@pytest.mark.libreoffice
@braucht_libreoffice
def test_libreoffice_liest_module_und_knoepfe(tmp_path: Path):
    """The real Steuerungsmappe (with xlwings): LibreOffice imports every module and button."""
    ods = _nach_ods(_steuerungsmappe(tmp_path / "Steuerungsmappe.xlsm"), tmp_path / "s.ods")
    with zipfile.ZipFile(ods) as archiv:
        namen = set(archiv.namelist())
        inhalt = archiv.read("content.xml").decode()
        module = {
            Path(n).stem: _lo_modultext(archiv.read(n))
            for n in namen
            if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")
        }
    vorlagen = vba.module_laden()
    assert set(module) == {"DieseArbeitsmappe", "Tabelle1", "Tabelle2", *vorlagen}
    for name, quelle in vorlagen.items():
        art, text = module[name]
        assert art == "normal"
        assert text == vba.modulkern(quelle), name
    for name in ("DieseArbeitsmappe", "Tabelle1", "Tabelle2"):
        assert module[name][0] == "document", name
    for makro in vba.MAKROS:
        ziel = f"vnd.sun.star.script:VBAProject.IKZ.{makro}?language=Basic&amp;location=document"
        assert f'xlink:href="{ziel}"' in inhalt, makro


# Runs in LibreOffice's UNO Python (`_uno_lauf`): opens a private copy of the document with
# macros allowed, calls the given scripts (without arguments, and the `aufrufe` with theirs) and
# reads back cells of `Steuerung`.
_UNO_MAKROS = r"""
dokument = oeffnen(auftrag["datei"], MacroExecutionMode=4)  # ALWAYS_EXECUTE_NO_WARN
ergebnis = {"skripte": {}, "aufrufe": [], "zellen": {}}

def aufrufen(url, argumente):
    try:
        return dokument.getScriptProvider().getScript(url).invoke(tuple(argumente), (), ())[0]
    except Exception as fehler:
        return "FEHLER: %r" % (fehler,)

for url in auftrag["skripte"]:
    ergebnis["skripte"][url] = aufrufen(url, ())
for url, argumente in auftrag["aufrufe"]:
    ergebnis["aufrufe"].append(aufrufen(url, argumente))
blatt = dokument.Sheets.getByName("Steuerung")
for zelle in auftrag["zellen"]:
    ergebnis["zellen"][zelle] = blatt.getCellRangeByName(zelle).String
dokument.close(True)
"""


def _makros_ausfuehren(
    datei: Path,
    skripte: list[str],
    zellen: list[str],
    aufrufe: Sequence[tuple[str, list[str]]] = (),
) -> dict:
    auftrag = {"datei": str(datei), "skripte": skripte, "zellen": zellen, "aufrufe": list(aufrufe)}
    return libreoffice._uno_lauf(
        libreoffice._UNO_KOPF + _UNO_MAKROS + libreoffice._UNO_SCHLUSS,
        auftrag,
        240,
        "vba",
        registry=_LO_REGISTRY,
    )


_SELBSTTEST = "IKZ-Selbsttest ok: Rückläufe prüfen, Übersicht öffnen"


def _skript(pfad: str) -> str:
    return f"vnd.sun.star.script:VBAProject.{pfad}?language=Basic&location=document"


@pytest.mark.libreoffice
@braucht_libreoffice
def test_libreoffice_uebersetzt_und_startet_die_makros(tmp_path: Path):
    """A build without the xlwings module compiles in LibreOffice and its macros really run.

    `Selbsttest` returns its text (umlauts via ChrW and case-sensitive Replace included);
    `Interpreterfehler`, the check the buttons make before RunPython, accepts "python",
    "pythonw" and an existing file and explains where to set the path otherwise; a
    macro in the document module writes into `Steuerung` through the VBA object model and
    reports the codeNames, which proves the document modules are bound to workbook and sheet.
    Without xlwings because LibreOffice 7.4 Basic ignores `#If`/`#Else` and compiles both
    branches, which for xlwings.bas gives two `If` per `End If` and fails the whole library.
    IKZ still compiles without it: LibreOffice looks up `RunPython` and `GetConfig` only when
    they are called, which only `Starten` does (a syntax error anywhere would fail all of it).
    """
    code = (
        "Public Sub SelbsttestEintragen()\n"
        '    ThisWorkbook.Worksheets("Steuerung").Range("A1").Value = IKZ.Selbsttest()\n'
        '    Me.Worksheets("Steuerung").Range("A2").Value = Me.CodeName\n'
        '    Me.Worksheets("Steuerung").Range("A3").Value = '
        'Me.Worksheets("Steuerung").CodeName\n'
        "End Sub\n"
    )
    datei = _steuerungsmappe(
        tmp_path / "Test.xlsm",
        module=vba.module_laden(mit_xlwings=False),
        dokument_code={vba.ARBEITSMAPPE: code},
    )
    selbsttest = _skript("IKZ.Selbsttest")
    eintragen = _skript("DieseArbeitsmappe.SelbsttestEintragen")
    # The interpreter check of `Starten` (GetConfig and RunPython need xlwings and Windows).
    vorhanden = tmp_path / "pythonw.exe"
    vorhanden.write_bytes(b"")
    fehlt = tmp_path / "Jürgen" / "pythonw.exe"
    pruefen = _skript("IKZ.Interpreterfehler")
    aufrufe = [
        (pruefen, [wert])
        for wert in ("python", "pythonw", str(vorhanden), str(tmp_path), str(fehlt))
    ]
    ergebnis = _makros_ausfuehren(datei, [selbsttest, eintragen], ["A1", "A2", "A3"], aufrufe)
    assert ergebnis["skripte"][selbsttest] == _SELBSTTEST
    assert not str(ergebnis["skripte"][eintragen] or "").startswith("FEHLER"), ergebnis
    assert ergebnis["zellen"] == {"A1": _SELBSTTEST, "A2": "DieseArbeitsmappe", "A3": "Tabelle1"}
    python, pythonw, datei_da, ordner, meldung = ergebnis["aufrufe"]
    assert (python, pythonw, datei_da) == ("", "", ""), ergebnis["aufrufe"]
    assert ordner.startswith("Das Python für die Knöpfe wurde nicht gefunden:"), ordner
    assert meldung.startswith("Das Python für die Knöpfe wurde nicht gefunden:"), meldung
    assert f"\r\n\r\n{fehlt}\r\n\r\n" in meldung
    assert "\\xlwings.conf\r\n  (neben der Steuerungsmappe: gilt für alle" in meldung
    assert "\\.xlwings\\xlwings.conf\r\n  (nur für Sie; die Zeile" in meldung
    assert 'Abschnitt "Knöpfe in der Steuerungsmappe".' in meldung
    assert "{" not in meldung, "alle Platzhalter ersetzt"
