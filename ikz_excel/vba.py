"""Build the Steuerungsmappe's VBA project (`xl/vbaProject.bin`) from source text, without Excel.

The buttons of the Steuerungsmappe need macros, and macros live in a binary VBA project. Excel
is not available where `ikz init` runs (and never in CI), so the project is assembled here from
the module sources under `vorlagen/vba/` plus the xlwings module of the *installed* xlwings
package – read at build time, so that the VBA module always names the same xlwings DLL version as
the Python package the user installs.

What is written, following [MS-OVBA] and [MS-CFB]:

* an OLE compound file (version 3, 512-byte sectors) with the storage `VBA` and the streams
  `PROJECT`, `PROJECTwm`, `VBA/_VBA_PROJECT`, `VBA/dir` and one stream per module;
* `_VBA_PROJECT` without performance cache (version 0xFFFF), and every module stream with
  `MODULEOFFSET` 0, i.e. only compressed source and no compiled P-code. The spec requires exactly
  this on write; Office then compiles the project from source when the workbook is opened. The
  xlwings module inside xlwings' own `quickstart_standalone.xlsm` is stored the same way;
* document modules for the workbook (`DieseArbeitsmappe`) and, on request, for worksheets. Their
  names must equal the `codeName`s in the workbook XML, which XlsxWriter writes from
  `set_vba_name`; `vba_einbinden` keeps both sides in step;
* no class modules: the xlwings class `Dictionary` is only compiled on macOS (`#If Mac Then`);
  on Windows the standalone xlwings module uses `Scripting.Dictionary`, so RunPython works with
  the standard module alone.

The project is deterministic: the same sources give the same bytes (project ID and the seed of
the `CMG`/`DPB`/`GC` obfuscation are derived from the content), so a rebuilt Steuerungsmappe does
not differ for no reason.

The MS-OVBA compression (2.4.1) is implemented here because the `ms-ovba-compression` package
1.0.1 writes streams that no decompressor reads back beyond about 100 bytes; the round trip
against oletools' decompressor is tested in `tests/test_vba.py`. The compound file writer is our
own for the same reason: the small amount of code is easier to check against the spec (and
against olefile, oletools and LibreOffice as readers) than another young dependency.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ikz_excel import pfade

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

__all__ = [
    "ARBEITSMAPPE",
    "CODEPAGE",
    "MAKROS",
    "MODUL_IKZ",
    "MODUL_XLWINGS",
    "dekomprimieren",
    "komprimieren",
    "module_laden",
    "modulkern",
    "steuerungsmappe_vba",
    "vba_einbinden",
    "vba_projekt",
    "xlwings_modulpfad",
]

#: Code page of all text in the project (PROJECTCODEPAGE). 1252 is what a German Windows writes;
#: every module source must be encodable in it.
CODEPAGE = 1252
_KODIERUNG = "cp1252"

#: VBA name of the workbook's document module, as a German Excel names it ("ThisWorkbook").
ARBEITSMAPPE = "DieseArbeitsmappe"

MODUL_IKZ = "IKZ"
MODUL_XLWINGS = "xlwings"

#: Public macros of the module IKZ bound to the buttons → function in `ikz_excel.knoepfe` that
#: each one runs through xlwings `RunPython`. The tests check the VBA source against this table.
MAKROS: dict[str, str] = {
    "ArbeitsmappenErzeugen": "erzeugen",
    "RuecklaeufePruefen": "pruefen",
    "Konsolidieren": "konsolidieren",
    "UebersichtOeffnen": "uebersicht_oeffnen",
}

# Type-library GUIDs of the Excel objects a document module extends (Attribute VB_Base).
_BASIS_ARBEITSMAPPE = "0{00020819-0000-0000-C000-000000000046}"
_BASIS_TABELLE = "0{00020820-0000-0000-C000-000000000046}"
_BASIS_DIAGRAMM = "0{00020821-0000-0000-C000-000000000046}"

# The references a new Excel workbook has besides the built-in VBA and Excel libraries. Neither
# module needs them; they are there so that the VBA editor shows an ordinary project.
_VERWEISE: tuple[tuple[str, str], ...] = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        "C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL#"
        "Microsoft Office 16.0 Object Library",
    ),
)

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_KOPF_ATTRIBUT = re.compile(r"Attribute VB_\w+ = .*")
_VB_NAME = re.compile(r'Attribute VB_Name = "([^"]*)"')


# MS-OVBA 2.4.1: compression ----------------------------------------------------------------------

_CHUNK = 4096
#: How many earlier occurrences of a 3-byte prefix are tried per position. Bounds the time on
#: repetitive input (indentation!) at a negligible cost in size; correctness does not depend on it.
_SUCHTIEFE = 256


def _bitzahl(abstand_zum_chunkanfang: int) -> int:
    """CopyToken Help (2.4.1.3.19.1): offset bits grow with the position inside the chunk."""
    return max(4, (abstand_zum_chunkanfang - 1).bit_length())


def _chunk_komprimieren(chunk: bytes) -> bytes:
    """One CompressedChunk (header included) for at most 4096 bytes of input.

    Greedy longest match over the latest `_SUCHTIEFE` earlier positions of the chunk with the same
    three bytes; among equally long matches the nearest wins. Any valid token stream decompresses
    to the same bytes, so the choice only affects the size, not what Office reads.
    """
    n = len(chunk)
    daten = bytearray()
    kandidaten: dict[bytes, list[int]] = {}
    pos = 0

    def merken(bis: int) -> None:
        nonlocal gemerkt
        while gemerkt < bis:
            if gemerkt + 3 <= n:
                kandidaten.setdefault(chunk[gemerkt : gemerkt + 3], []).append(gemerkt)
            gemerkt += 1

    gemerkt = 0
    while pos < n:
        flag_stelle = len(daten)
        daten.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            laenge = 0
            abstand = 0
            if pos >= 1 and pos + 3 <= n:
                bits = _bitzahl(pos)
                hoechstens = min((0xFFFF >> bits) + 3, n - pos)
                for kandidat in reversed(kandidaten.get(chunk[pos : pos + 3], ())[-_SUCHTIEFE:]):
                    if laenge and chunk[kandidat + laenge] != chunk[pos + laenge]:
                        continue
                    gleich = 3
                    while gleich < hoechstens and chunk[kandidat + gleich] == chunk[pos + gleich]:
                        gleich += 1
                    if gleich > laenge:
                        laenge, abstand = gleich, pos - kandidat
                        if laenge == hoechstens:
                            break
            if laenge >= 3:
                bits = _bitzahl(pos)
                token = ((abstand - 1) << (16 - bits)) | (laenge - 3)
                daten += struct.pack("<H", token)
                flags |= 1 << bit
                pos += laenge
            else:
                daten.append(chunk[pos])
                pos += 1
            merken(pos)
        daten[flag_stelle] = flags

    if len(daten) > _CHUNK:
        # 2.4.1.3.10: a chunk that does not fit in 4098 bytes is stored raw, always 4096 bytes
        # long; a short last chunk is padded with zeros (only incompressible data gets here).
        return struct.pack("<H", 0x3FFF) + chunk.ljust(_CHUNK, b"\x00")
    kopf = 0x8000 | 0x3000 | (len(daten) + 2 - 3)
    return struct.pack("<H", kopf) + bytes(daten)


def komprimieren(daten: bytes) -> bytes:
    """CompressedContainer (MS-OVBA 2.4.1.1.1) for `daten`, as module and dir streams hold it."""
    ausgabe = bytearray(b"\x01")
    for start in range(0, len(daten), _CHUNK):
        ausgabe += _chunk_komprimieren(daten[start : start + _CHUNK])
    return bytes(ausgabe)


def dekomprimieren(daten: bytes) -> bytes:
    """Inverse of `komprimieren` (MS-OVBA 2.4.1.3.1), strict about malformed input.

    Used to read projects back (e.g. in tests) without trusting our own compressor's view of
    the format: it follows the spec's decompression, not the compressor's code.
    """
    if not daten or daten[0] != 0x01:
        raise ValueError("Kein MS-OVBA-komprimierter Inhalt (Signaturbyte fehlt).")
    aus = bytearray()
    i = 1
    while i < len(daten):
        if i + 2 > len(daten):
            raise ValueError("Abgeschnittener Chunk-Kopf im komprimierten Inhalt.")
        (kopf,) = struct.unpack_from("<H", daten, i)
        if (kopf >> 12) & 0x7 != 0b011:
            raise ValueError(f"Ungültige Chunk-Signatur an Stelle {i}.")
        ende = min(len(daten), i + (kopf & 0x0FFF) + 3)
        i += 2
        if not kopf & 0x8000:
            aus += daten[i : i + _CHUNK]
            i += _CHUNK
            continue
        anfang = len(aus)
        while i < ende:
            flags = daten[i]
            i += 1
            for bit in range(8):
                if i >= ende:
                    break
                if not flags & (1 << bit):
                    aus.append(daten[i])
                    i += 1
                    continue
                if i + 2 > ende:
                    raise ValueError("Abgeschnittenes Kopier-Token im komprimierten Inhalt.")
                (token,) = struct.unpack_from("<H", daten, i)
                i += 2
                bits = _bitzahl(len(aus) - anfang)
                laenge = (token & (0xFFFF >> bits)) + 3
                abstand = (token >> (16 - bits)) + 1
                if abstand > len(aus) - anfang:
                    raise ValueError("Kopier-Token verweist vor den Anfang des Chunks.")
                for _ in range(laenge):
                    aus.append(aus[-abstand])
    return bytes(aus)


# Module sources ----------------------------------------------------------------------------------


def _zeilen_lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def modulkern(text: str) -> str:
    """The part of a module's source that must survive the trip into the project unchanged.

    Precisely: line ends CRLF and CR become LF; the module header – the `Attribute VB_...` lines
    at the very beginning (VB_Name in a `.bas` export; VB_Name, VB_Base ... in a stored document
    module) – is removed; a missing final line end is added. Attribute lines further down (e.g.
    `Attribute Proc.VB_Description`) belong to the code and stay.
    """
    zeilen = _zeilen_lf(text).split("\n")
    while zeilen and _KOPF_ATTRIBUT.fullmatch(zeilen[0]):
        zeilen.pop(0)
    kern = "\n".join(zeilen)
    if kern and not kern.endswith("\n"):
        kern += "\n"
    return kern


def _name_pruefen(name: str, art: str) -> None:
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"{art} {name!r} ist kein gültiger VBA-Name: erlaubt sind Buchstaben A–Z ohne "
            "Umlaute, Ziffern und _, beginnend mit einem Buchstaben, höchstens 31 Zeichen."
        )


def _kodieren(name: str, text: str) -> bytes:
    """Encode in the project's code page; say where the offending character is if it fails."""
    try:
        return text.encode(_KODIERUNG)
    except UnicodeEncodeError as fehler:
        zeile = text.count("\n", 0, fehler.start) + 1
        zeichen = text[fehler.start]
        raise ValueError(
            f"Das VBA-Modul {name!r} enthält in Zeile {zeile} das Zeichen {zeichen!r} "
            f"(U+{ord(zeichen):04X}), das es in der Codepage {CODEPAGE} nicht gibt."
        ) from None


def _standardmodul(name: str, text: str) -> bytes:
    """Source as stored in a standard module stream: VB_Name header, CRLF, code page 1252."""
    if text.lstrip().upper().startswith("VERSION 1.0 CLASS"):
        raise ValueError(
            f"{name!r} ist ein Klassenmodul (.cls); unterstützt werden nur Standardmodule."
        )
    erste = _zeilen_lf(text).split("\n", 1)[0]
    gefunden = _VB_NAME.fullmatch(erste)
    if gefunden and gefunden.group(1) != name:
        raise ValueError(
            f"Das Modul {name!r} nennt sich im Quelltext {gefunden.group(1)!r} "
            "(Attribute VB_Name); beide Namen müssen gleich sein."
        )
    _kodieren(name, _zeilen_lf(text))  # first, so that line numbers in errors match the file
    quelltext = f'Attribute VB_Name = "{name}"\n' + modulkern(text)
    return _kodieren(name, quelltext.replace("\n", "\r\n"))


def _dokumentmodul(name: str, basis: str, code: str) -> bytes:
    """Source of a document module: the attributes Excel itself writes, then optional code."""
    kopf = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{basis}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    _kodieren(name, _zeilen_lf(code))
    quelltext = "\n".join(kopf) + "\n" + modulkern(code)
    return _kodieren(name, quelltext.replace("\n", "\r\n"))


# MS-OVBA 2.3.4.2: the dir stream -----------------------------------------------------------------


def _satz(kennung: int, inhalt: bytes) -> bytes:
    return struct.pack("<HI", kennung, len(inhalt)) + inhalt


def _satz_doppelt(kennung: int, zweite: int, text: str) -> bytes:
    """Record with an MBCS and a UTF-16 copy of the same text (e.g. PROJECTDOCSTRING)."""
    return _satz(kennung, text.encode(_KODIERUNG)) + _satz(zweite, text.encode("utf-16-le"))


@dataclass(frozen=True)
class _Modul:
    name: str
    dokument: bool
    quelle: bytes


def _dir_stream(projektname: str, module: Sequence[_Modul]) -> bytes:
    d = bytearray()
    d += _satz(0x0001, struct.pack("<I", 3))  # PROJECTSYSKIND: 64-bit Windows
    d += _satz(0x0002, struct.pack("<I", 0x0409))  # PROJECTLCID (MUST be 0x409)
    d += _satz(0x0014, struct.pack("<I", 0x0409))  # PROJECTLCIDINVOKE (MUST be 0x409)
    d += _satz(0x0003, struct.pack("<H", CODEPAGE))  # PROJECTCODEPAGE
    d += _satz(0x0004, projektname.encode(_KODIERUNG))  # PROJECTNAME
    d += _satz_doppelt(0x0005, 0x0040, "")  # PROJECTDOCSTRING
    d += _satz_doppelt(0x0006, 0x003D, "")  # PROJECTHELPFILEPATH
    d += _satz(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    d += _satz(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION (Reserved=4, major, minor)
    d += _satz_doppelt(0x000C, 0x003C, "")  # PROJECTCONSTANTS
    for name, libid in _VERWEISE:
        d += _satz_doppelt(0x0016, 0x003E, name)  # REFERENCENAME
        kennung = libid.encode(_KODIERUNG)
        inhalt = struct.pack("<I", len(kennung)) + kennung + struct.pack("<IH", 0, 0)
        d += _satz(0x000D, inhalt)  # REFERENCEREGISTERED
    d += _satz(0x000F, struct.pack("<H", len(module)))  # PROJECTMODULES
    d += _satz(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for modul in module:
        d += _satz(0x0019, modul.name.encode(_KODIERUNG))  # MODULENAME
        d += _satz(0x0047, modul.name.encode("utf-16-le"))  # MODULENAMEUNICODE
        d += _satz_doppelt(0x001A, 0x0032, modul.name)  # MODULESTREAMNAME
        d += _satz_doppelt(0x001C, 0x0048, "")  # MODULEDOCSTRING
        d += _satz(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: no P-code before the source
        d += _satz(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        d += _satz(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        d += struct.pack("<HI", 0x0022 if modul.dokument else 0x0021, 0)  # MODULETYPE
        d += struct.pack("<HI", 0x002B, 0)  # module terminator
    d += struct.pack("<HI", 0x0010, 0)  # dir terminator
    return bytes(d)


# MS-OVBA 2.3.1: the PROJECT stream and its obfuscated values (2.4.3) -----------------------------


def _verschleiern(projekt_id: str, daten: bytes, zufall: bytes) -> str:
    """Data Encryption (2.4.3.2) of CMG/DPB/GC; `zufall` stands in for the random bytes."""
    seed = zufall[0]
    version = 2
    projkey = sum(projekt_id.encode(_KODIERUNG)) & 0xFF
    aus = bytearray([seed, seed ^ version, seed ^ projkey])
    klar1, verschl1, verschl2 = projkey, seed ^ projkey, seed ^ version
    ignoriert = zufall[1 : 1 + ((seed & 6) // 2)]
    for byte in bytes(ignoriert) + struct.pack("<I", len(daten)) + daten:
        verschl = byte ^ ((verschl2 + klar1) & 0xFF)
        aus.append(verschl)
        verschl2, verschl1, klar1 = verschl1, verschl, byte
    return aus.hex().upper()


def _entschleiern(projekt_id: str, hexwert: str) -> tuple[bytes, bytes]:
    """Data Decryption (2.4.3.3), the inverse: (data, seed and ignored bytes as `zufall`).

    Returning `zufall` lets the tests re-encrypt the examples of the spec and of real Excel
    files byte for byte.
    """
    roh = bytes.fromhex(hexwert)
    seed, version_enc, projkey_enc = roh[0], roh[1], roh[2]
    if seed ^ version_enc != 2:
        raise ValueError("Unbekannte Version der Verschleierung im PROJECT-Stream.")
    projkey = seed ^ projkey_enc
    if projkey != sum(projekt_id.encode(_KODIERUNG)) & 0xFF:
        raise ValueError("Verschleierung passt nicht zur Projekt-ID.")
    klar1, verschl1, verschl2 = projkey, projkey_enc, version_enc
    klar = bytearray()
    for verschl in roh[3:]:
        byte = verschl ^ ((verschl2 + klar1) & 0xFF)
        klar.append(byte)
        verschl2, verschl1, klar1 = verschl1, verschl, byte
    ignoriert = (seed & 6) // 2
    (laenge,) = struct.unpack_from("<I", klar, ignoriert)
    daten = bytes(klar[ignoriert + 4 :])
    if len(daten) != laenge:
        raise ValueError("Länge der verschleierten Daten stimmt nicht.")
    return daten, bytes([seed]) + bytes(klar[:ignoriert])


def _project_stream(projekt_id: str, projektname: str, module: Sequence[_Modul]) -> bytes:
    zeilen = [f'ID="{projekt_id}"']
    for modul in module:
        zeilen.append(
            f"Document={modul.name}/&H00000000" if modul.dokument else f"Module={modul.name}"
        )
    zeilen += [f'Name="{projektname}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    zufall = hashlib.sha256(projekt_id.encode("ascii")).digest()
    werte = (
        ("CMG", struct.pack("<I", 0)),  # protection state: nothing locked
        ("DPB", b"\x00"),  # no password
        ("GC", b"\xff"),  # project visible
    )
    for nummer, (schluessel, daten) in enumerate(werte):
        zeilen.append(f'{schluessel}="{_verschleiern(projekt_id, daten, zufall[4 * nummer :])}"')
    zeilen += [
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    zeilen += [f"{modul.name}=0, 0, 0, 0, C" for modul in module]
    return ("\r\n".join(zeilen) + "\r\n").encode(_KODIERUNG)


def _projectwm_stream(module: Sequence[_Modul]) -> bytes:
    """Module names in MBCS and UTF-16 (2.3.3), so Unicode names survive other code pages."""
    aus = bytearray()
    for modul in module:
        aus += modul.name.encode(_KODIERUNG) + b"\x00"
        aus += modul.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(aus + b"\x00\x00")


# MS-CFB: the compound file -----------------------------------------------------------------------

_SEKTOR = 512
_MINISEKTOR = 64
_MINI_GRENZE = 4096
_FREI = 0xFFFFFFFF
_KETTENENDE = 0xFFFFFFFE
_FAT_SEKTOR = 0xFFFFFFFD
_KEIN_EINTRAG = 0xFFFFFFFF

#: A storage: name → stream content (bytes) or nested storage.
Baum = Mapping[str, "bytes | Baum"]


@dataclass
class _Eintrag:
    name: str
    art: int  # 1 storage, 2 stream, 5 root
    inhalt: bytes = b""
    links: int = _KEIN_EINTRAG
    rechts: int = _KEIN_EINTRAG
    kind: int = _KEIN_EINTRAG
    rot: bool = False
    start: int = _KETTENENDE
    groesse: int = 0


def _cfb_schluessel(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4 order of siblings: shorter names first, then upper-case comparison."""
    return (len(name), name.upper())


def _geschwister_baum(
    eintraege: list[_Eintrag], ids: list[int], tiefe: int, tiefen: dict[int, int]
) -> int:
    """Balanced binary search tree over sorted sibling ids; returns the id of its root."""
    if not ids:
        return _KEIN_EINTRAG
    mitte = len(ids) // 2
    wurzel = ids[mitte]
    tiefen[wurzel] = tiefe
    eintraege[wurzel].links = _geschwister_baum(eintraege, ids[:mitte], tiefe + 1, tiefen)
    eintraege[wurzel].rechts = _geschwister_baum(eintraege, ids[mitte + 1 :], tiefe + 1, tiefen)
    return wurzel


def _verzeichnis(baum: Baum) -> list[_Eintrag]:
    """Flatten the storage tree into directory entries with valid red-black sibling trees.

    Halving the sorted siblings gives a tree whose empty links lie at two adjacent depths at
    most; colouring the deepest level red (all others black) then meets the red-black rules.
    """
    eintraege = [_Eintrag("Root Entry", 5)]

    def hinzufuegen(eltern: int, inhalt: Baum) -> None:
        kinder: list[int] = []
        for name in sorted(inhalt, key=_cfb_schluessel):
            if len(name) > 31 or not name:
                raise ValueError(f"Ungültiger Name im Verbunddokument: {name!r}")
            wert = inhalt[name]
            eintraege.append(
                _Eintrag(name, 2, bytes(wert))
                if isinstance(wert, bytes | bytearray)
                else _Eintrag(name, 1)
            )
            kinder.append(len(eintraege) - 1)
        schluessel = [_cfb_schluessel(eintraege[k].name) for k in kinder]
        if len(set(schluessel)) != len(schluessel):
            raise ValueError(
                "Zwei Einträge im Verbunddokument unterscheiden sich nur in der "
                "Groß-/Kleinschreibung."
            )
        tiefen: dict[int, int] = {}
        eintraege[eltern].kind = _geschwister_baum(eintraege, kinder, 0, tiefen)
        if tiefen:
            unterste = max(tiefen.values())
            for nummer, tiefe in tiefen.items():
                eintraege[nummer].rot = tiefe == unterste and tiefe > 0
        for nummer in kinder:
            wert = inhalt[eintraege[nummer].name]
            if not isinstance(wert, bytes | bytearray):
                hinzufuegen(nummer, wert)

    hinzufuegen(0, baum)
    return eintraege


def _sektoren(anzahl_bytes: int, groesse: int) -> int:
    return -(-anzahl_bytes // groesse)


def _verbunddatei(baum: Baum) -> bytes:
    """Write an MS-CFB version 3 file: header, FAT, directory, MiniFAT, mini stream, streams.

    Streams under 4096 bytes live in the mini stream (64-byte mini sectors), as the spec
    requires; readers find a stream's sectors by its size alone.
    """
    eintraege = _verzeichnis(baum)

    mini = bytearray()
    minifat: list[int] = []
    grosse: list[_Eintrag] = []
    for eintrag in eintraege:
        if eintrag.art != 2:
            continue
        eintrag.groesse = len(eintrag.inhalt)
        if not eintrag.inhalt:
            continue
        if len(eintrag.inhalt) < _MINI_GRENZE:
            erster = len(minifat)
            anzahl = _sektoren(len(eintrag.inhalt), _MINISEKTOR)
            minifat += [*range(erster + 1, erster + anzahl), _KETTENENDE]
            mini += eintrag.inhalt.ljust(anzahl * _MINISEKTOR, b"\x00")
            eintrag.start = erster
        else:
            grosse.append(eintrag)

    n_verzeichnis = _sektoren(len(eintraege) * 128, _SEKTOR)
    n_minifat = _sektoren(len(minifat) * 4, _SEKTOR)
    n_mini = _sektoren(len(mini), _SEKTOR)
    n_gross = sum(_sektoren(len(e.inhalt), _SEKTOR) for e in grosse)
    n_fat = 1
    while n_fat * (_SEKTOR // 4) < n_fat + n_verzeichnis + n_minifat + n_mini + n_gross:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("Das VBA-Projekt ist zu groß für ein Verbunddokument ohne DIFAT.")

    fat: list[int] = [_FAT_SEKTOR] * n_fat

    def kette(anzahl: int) -> int:
        if anzahl == 0:
            return _KETTENENDE
        erster = len(fat)
        fat.extend(range(erster + 1, erster + anzahl))
        fat.append(_KETTENENDE)
        return erster

    erster_verzeichnis = kette(n_verzeichnis)
    erster_minifat = kette(n_minifat)
    eintraege[0].start = kette(n_mini)
    eintraege[0].groesse = len(mini)
    for eintrag in grosse:
        eintrag.start = kette(_sektoren(len(eintrag.inhalt), _SEKTOR))
    fat += [_FREI] * (n_fat * (_SEKTOR // 4) - len(fat))

    kopf = bytearray()
    kopf += bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
    kopf += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    kopf += struct.pack(
        "<IIIIIIIII",
        0,
        n_fat,
        erster_verzeichnis,
        0,
        _MINI_GRENZE,
        erster_minifat,
        n_minifat,
        _KETTENENDE,
        0,
    )
    difat = list(range(n_fat)) + [_FREI] * (109 - n_fat)
    kopf += struct.pack("<109I", *difat)

    verzeichnis = bytearray()
    for eintrag in eintraege:
        name = eintrag.name.encode("utf-16-le") + b"\x00\x00"
        verzeichnis += name.ljust(64, b"\x00")
        verzeichnis += struct.pack("<HBB", len(name), eintrag.art, 0 if eintrag.rot else 1)
        verzeichnis += struct.pack("<III", eintrag.links, eintrag.rechts, eintrag.kind)
        verzeichnis += bytes(16 + 4 + 8 + 8)  # CLSID, state bits, creation and modified time
        start = 0 if eintrag.art == 1 else eintrag.start
        verzeichnis += struct.pack("<IQ", start, eintrag.groesse)
    leer = bytes(64) + struct.pack("<HBB", 0, 0, 0)
    leer += struct.pack("<III", _KEIN_EINTRAG, _KEIN_EINTRAG, _KEIN_EINTRAG) + bytes(48)
    while len(verzeichnis) % _SEKTOR:
        verzeichnis += leer

    def aufgefuellt(daten: bytes | bytearray) -> bytes:
        return bytes(daten).ljust(_sektoren(len(daten), _SEKTOR) * _SEKTOR, b"\x00")

    teile = [
        bytes(kopf),
        struct.pack(f"<{len(fat)}I", *fat),
        bytes(verzeichnis),
        aufgefuellt(
            struct.pack(f"<{len(minifat)}I", *minifat)
            + struct.pack("<I", _FREI) * (-len(minifat) % (_SEKTOR // 4))
        ),
        aufgefuellt(mini),
        *(aufgefuellt(e.inhalt) for e in grosse),
    ]
    return b"".join(teile)


# Public API --------------------------------------------------------------------------------------


def vba_projekt(
    module: Mapping[str, str],
    *,
    arbeitsmappe: str = ARBEITSMAPPE,
    blaetter: Sequence[str] = (),
    diagramme: Sequence[str] = (),
    dokument_code: Mapping[str, str] | None = None,
    projektname: str = "VBAProject",
) -> bytes:
    """Build a vbaProject.bin from standard-module sources; return its bytes.

    `module` maps module name → source text as in a `.bas` file (a leading `Attribute VB_Name`
    line is optional but must match the name; LF or CRLF). `arbeitsmappe`, `blaetter` and
    `diagramme` name the document modules of the workbook, its worksheets and chart sheets:
    each must equal a `codeName` in the workbook (XlsxWriter: `set_vba_name`). A sheet without
    document module is common practice (XlsxWriter's documented way of reusing a vbaProject.bin
    from a one-sheet workbook relies on Excel adding it); a document module without its sheet
    is not, which is why no sheet modules are written unless asked for. `dokument_code` may put
    code (e.g. `Workbook_Open`) into document modules, keyed by their names.
    """
    _name_pruefen(projektname, "Der Projektname")
    dokument_code = dict(dokument_code or {})
    eintraege: list[_Modul] = []
    dokumente = [(arbeitsmappe, _BASIS_ARBEITSMAPPE)]
    dokumente += [(name, _BASIS_TABELLE) for name in blaetter]
    dokumente += [(name, _BASIS_DIAGRAMM) for name in diagramme]
    for name, basis in dokumente:
        _name_pruefen(name, "Der Dokumentmodulname")
        quelle = _dokumentmodul(name, basis, dokument_code.pop(name, ""))
        eintraege.append(_Modul(name, True, quelle))
    if dokument_code:
        raise ValueError(f"Code für unbekannte Dokumentmodule: {', '.join(sorted(dokument_code))}")
    for name, text in module.items():
        _name_pruefen(name, "Der Modulname")
        eintraege.append(_Modul(name, False, _standardmodul(name, text)))
    namen = [m.name.upper() for m in eintraege]
    if "DIR" in namen:
        raise ValueError("Ein Modul darf nicht 'dir' heißen: so heißt der Verzeichnis-Stream.")
    doppelt = sorted({n for n in namen if namen.count(n) > 1})
    if doppelt:
        raise ValueError(f"Modulnamen kommen mehrfach vor: {', '.join(doppelt)}")

    kennung = "\n".join([projektname, *(f"{m.name}:{m.dokument}" for m in eintraege)])
    projekt_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "ikz_excel/" + kennung)).upper() + "}"
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001),  # as in MS-OVBA 3.1.1
        "dir": komprimieren(_dir_stream(projektname, eintraege)),
    }
    for modul in eintraege:
        vba[modul.name] = komprimieren(modul.quelle)
    return _verbunddatei(
        {
            "PROJECT": _project_stream(projekt_id, projektname, eintraege),
            "PROJECTwm": _projectwm_stream(eintraege),
            "VBA": vba,
        }
    )


def xlwings_modulpfad() -> Path:
    """`xlwings.bas` of the installed xlwings: the standalone module that carries RunPython."""
    try:
        import xlwings
    except ImportError as fehler:
        raise RuntimeError(
            "Das Paket xlwings ist nicht installiert; ohne es kann das VBA-Projekt der "
            "Steuerungsmappe nicht gebaut werden (pip install ikz_excel installiert es mit)."
        ) from fehler
    pfad = Path(xlwings.__file__).resolve().parent / "xlwings.bas"
    if not pfad.is_file():
        raise RuntimeError(
            f"Im installierten xlwings {xlwings.__version__} fehlt das VBA-Modul {pfad}."
        )
    return pfad


def _vba_vorlagen() -> Path:
    return pfade.vorlagen() / "vba"


def module_laden(*, mit_xlwings: bool = True) -> dict[str, str]:
    """Sources of the Steuerungsmappe's standard modules: every `vorlagen/vba/*.bas`, xlwings.

    The `.bas` files are read as cp1252, the encoding the VBA editor uses when it imports and
    exports them, so the same files work as the manual fallback (import in the VBA editor).
    """
    module: dict[str, str] = {}
    for datei in sorted(_vba_vorlagen().glob("*.bas")):
        module[datei.stem] = datei.read_bytes().decode(_KODIERUNG)
    if MODUL_IKZ not in module:
        raise FileNotFoundError(f"Das VBA-Modul {MODUL_IKZ}.bas fehlt in {_vba_vorlagen()}.")
    if mit_xlwings:
        module[MODUL_XLWINGS] = xlwings_modulpfad().read_bytes().decode(_KODIERUNG)
    return module


def steuerungsmappe_vba(blaetter: Sequence[str] = ()) -> bytes:
    """The Steuerungsmappe's VBA project: module IKZ, the xlwings module, `DieseArbeitsmappe`.

    The workbook's codeName must be `ARBEITSMAPPE` (`set_vba_name("DieseArbeitsmappe")`);
    `blaetter` are sheet codeNames to give document modules (see `vba_projekt`).
    """
    return vba_projekt(module_laden(), blaetter=blaetter)


def vba_einbinden(mappe: Workbook, module: Mapping[str, str] | None = None) -> dict[str, str]:
    """Add the project to an XlsxWriter workbook with matching codeNames; call after all sheets.

    Sets the workbook's codeName to `DieseArbeitsmappe` and every sheet's to `Tabelle<n>` /
    `Diagramm<n>` (as a German Excel would), so that each sheet has its document module. Returns
    sheet name → codeName. `module` defaults to `module_laden()`.
    """
    from xlsxwriter.chartsheet import Chartsheet

    mappe.set_vba_name(ARBEITSMAPPE)
    blaetter: list[str] = []
    diagramme: list[str] = []
    namen: dict[str, str] = {}
    for blatt in mappe.worksheets():
        if isinstance(blatt, Chartsheet):
            codename = f"Diagramm{len(diagramme) + 1}"
            diagramme.append(codename)
        else:
            codename = f"Tabelle{len(blaetter) + 1}"
            blaetter.append(codename)
        blatt.set_vba_name(codename)
        namen[blatt.name] = codename
    projekt = vba_projekt(
        module_laden() if module is None else module, blaetter=blaetter, diagramme=diagramme
    )
    import io

    mappe.add_vba_project(io.BytesIO(projekt), is_stream=True)  # type: ignore[arg-type]
    return namen
