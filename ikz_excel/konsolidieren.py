"""From checked returns to the figures the Lenkungsgruppe decides on.

Python computes every figure itself from the input cells (berechnung.py); the formulas in the
workbooks only show the same figures to the clerks. The cached formula results in a return are
never read as data: a file saved by a program that did not recalculate would carry zeros.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ikz_excel import berechnung, deutsch
from ikz_excel.dateien import (
    MAX_PFAD,
    VERKNUEPFUNG_WAS_TUN,
    ZU_LANG_WAS_TUN,
    atomar,
    dateiname,
    grund,
    lesbar,
    reste_entfernen,
    verknuepfung_ohne_ziel,
    zu_langer_pfad,
)
from ikz_excel.einlesen import als_utc, vergleichbar, von_libreoffice
from ikz_excel.pruefen import Dateiergebnis, Pruefergebnis
from ikz_excel.pruefspeicher import Pruefspeicher


@dataclass(frozen=True)
class Kennzahlen:
    """The figures of one Arbeitsgruppe's return."""

    ag: str
    kosten_je_zeile: dict[int, Decimal]  # Excel row in tbl_Ressourcen -> Kosten
    wirtschaftlichkeit: berechnung.Wirtschaftlichkeit
    schluessel: str | None
    anteile: dict[str, Fraction] | None  # in the programme's order of the Kommunen
    risikowerte: dict[int, int]  # Excel row in tbl_Risiken -> Risikowert

    @property
    def jahre(self) -> int:
        return self.wirtschaftlichkeit.jahre

    @property
    def zinssatz(self) -> Decimal:
        return self.wirtschaftlichkeit.zinssatz

    @property
    def hoechster_risikowert(self) -> int | None:
        return max(self.risikowerte.values(), default=None)


def _dezimal(wert: Any) -> Decimal | None:
    if wert is None:
        return None
    return wert if isinstance(wert, Decimal) else Decimal(str(wert))


def auswerten(d: Dateiergebnis, st: Any) -> Kennzahlen:
    """Compute the figures of one return from its input cells and the Stammdaten.

    Betrachtungszeitraum, Zinssatz and Einwohner are the Steuerungsmappe's, not those the
    workbook was made with: the Lenkungsgruppe compares the Handlungsfelder, so all are
    computed alike. Where they differ, the AG's workbook shows other figures; the check warns
    and the Korrektur copy brings the AG the current Stammdaten.
    """
    kosten_je_zeile: dict[int, Decimal] = {}
    kosten_posten = []
    ressourcen = d.gelesen["tbl_Ressourcen"].zeilen if "tbl_Ressourcen" in d.gelesen else []
    for zeile, w in ressourcen:
        menge, satz = _dezimal(w.get("Menge")), _dezimal(w.get("Kostensatz"))
        if menge is None or satz is None:
            continue
        betrag = berechnung.kosten(menge, satz)
        kosten_je_zeile[zeile] = betrag
        if w.get("Kostenart") in berechnung.KOSTENARTEN and isinstance(w.get("ab Jahr"), int):
            kosten_posten.append(berechnung.Posten(betrag, w["Kostenart"], w["ab Jahr"]))
    nutzen_posten = []
    for _zeile, w in d.gelesen["tbl_Nutzen"].zeilen if "tbl_Nutzen" in d.gelesen else []:
        betrag = _dezimal(w.get("Betrag"))
        if betrag is None or w.get("Kostenart") not in berechnung.KOSTENARTEN:
            continue
        if not isinstance(w.get("ab Jahr"), int):
            continue
        nutzen_posten.append(berechnung.Posten(betrag, w["Kostenart"], w["ab Jahr"]))
    wirtschaftlichkeit = berechnung.wirtschaftlichkeit(
        kosten_posten, nutzen_posten, st.jahre, st.zinssatz
    )

    schluessel = d.felder.get("Schluessel")
    anteile = anteile_der_mappe(d, schluessel, {k.name: k.einwohner for k in st.kommunen})
    risikowerte = {}
    for zeile, w in d.gelesen["tbl_Risiken"].zeilen if "tbl_Risiken" in d.gelesen else []:
        e, a = w.get("Eintrittswahrscheinlichkeit"), w.get("Auswirkung")
        if isinstance(e, int) and isinstance(a, int) and 1 <= e <= 5 and 1 <= a <= 5:
            risikowerte[zeile] = berechnung.risikowert(e, a)

    return Kennzahlen(
        ag=d.arbeitsgruppe or "",
        kosten_je_zeile=kosten_je_zeile,
        wirtschaftlichkeit=wirtschaftlichkeit,
        schluessel=schluessel,
        anteile=anteile,
        risikowerte=risikowerte,
    )


def alphabetisch(name: str) -> tuple[str, str]:
    """A Kommune's place in the alphabet as a clerk checks it by eye (DIN 5007: 'ö' as 'o',
    'ß' as 'ss', no case, dashes and spaces as the check compares names); the name as typed
    decides between two that read alike, so the order is total."""
    zerlegt = unicodedata.normalize("NFKD", vergleichbar(name))
    return "".join(z for z in zerlegt if not unicodedata.combining(z)), name


def anteile_der_mappe(
    d: Dateiergebnis, schluessel: str | None, einwohner: dict[str, int]
) -> dict[str, Fraction] | None:
    """Shares by the chosen key, or None where the input does not allow them.

    `einwohner` are the Steuerungsmappe's; the workbook's own only for a Kommune it no longer
    knows (the check reports that Kommune).

    The shares follow the Kommunen's names in alphabetical order (`alphabetisch`), not the
    order of any rows: the split to the cent gives equal remainders by this order
    (`berechnung.verteilen`), and a table sorted by a clerk gave another Kommune the cent of a
    tie (three equal shares of an amount not divisible by 3). Nor the order of the sheet
    Kommunen of the Steuerungsmappe (session 17's rule): sorted there by Einwohner, the next
    overview showed a cent more at one Kommune and less at another, with no return changed
    (session 19). Kommunen the Steuerungsmappe no longer knows come last.

    A finding of the check says why; the overview then shows no shares for that field.
    """
    zeilen = (
        [w for _, w in d.gelesen["tbl_Kostenausgleich"].zeilen]
        if "tbl_Kostenausgleich" in d.gelesen
        else []
    )
    kommunen = sorted(
        (str(w.get("Kommune")) for w in zeilen if w.get("Kommune")),
        key=lambda name: (name not in einwohner, alphabetisch(name)),
    )
    if not kommunen or schluessel not in berechnung.SCHLUESSEL:
        return None
    try:
        return berechnung.anteile(
            schluessel,
            kommunen,
            einwohner={
                str(w["Kommune"]): einwohner.get(str(w["Kommune"]), int(w.get("Einwohner") or 0))
                for w in zeilen
            },
            fallzahl={str(w["Kommune"]): _dezimal(w.get("Fallzahl")) or Decimal(0) for w in zeilen},
            individuell={
                str(w["Kommune"]): _dezimal(w.get("Anteil individuell")) or Decimal(0)
                for w in zeilen
            },
        )
    except (ValueError, TypeError):
        return None


# Archive and ledger ---------------------------------------------------------------------------

EINGANGSBUCH = "Eingangsbuch.csv"
BUCHSPALTEN = (
    "sha256",
    "archivdatei",
    "herkunft",
    "groesse",
    "eingegangen_am",
    "geaendert_am",
    "arbeitsgruppe",
    "schema_version",
    "gespeichert_am",
    "status",
)


@dataclass
class Eingang:
    """One distinct file (by content) found in eingang/ and kept in archiv/."""

    sha256: str
    archivdatei: Path
    herkunft: str  # path relative to eingang/, as the clerk named it (first, in the ledger)
    groesse: int
    eingegangen_am: str
    geaendert_am: str
    neu: bool = False
    arbeitsgruppe: str | None = None
    schema_version: str | None = None
    gespeichert_am: str = ""
    status: str = ""
    weitere_namen: list[str] = field(default_factory=list)
    nicht_gelesen: str = ""  # why it could not be read; then it has no SHA-256 and no copy
    was_tun: str = ""  # then also what the clerk can do about it (console, Prüfbericht)
    wiederhergestellt: str = ""  # its archive copy was missing or changed: how it was
    dateien: int = 1  # files of eingang/ with these bytes in this run
    im_eingang: str = ""  # its name in eingang/ in this run, when not `herkunft`

    @classmethod
    def ungelesen(cls, herkunft: str, fehler: OSError, pfad: Path | None = None) -> Eingang:
        """A file of eingang/ that could not be read: not archived, tried again next time."""
        was_tun = NICHT_GELESEN_WAS_TUN
        if pfad is not None and verknuepfung_ohne_ziel(pfad):
            warum = (
                f"die Datei ist eine Verknüpfung, deren Ziel fehlt: {lesbar(str(pfad.readlink()))}"
            )
            was_tun = VERKNUEPFUNG_WAS_TUN
        elif (
            isinstance(fehler, FileNotFoundError)
            and pfad is not None
            and (laenge := zu_langer_pfad(pfad))
        ):
            warum = (
                f"ihr Pfad ist mit {laenge} Zeichen zu lang für Windows (höchstens {MAX_PFAD - 1})"
            )
            was_tun = ZU_LANG_WAS_TUN
        elif isinstance(fehler, FileNotFoundError):
            warum = "die Datei ist inzwischen verschwunden, wohl verschoben oder gelöscht"
        else:
            warum = grund(fehler)
        return cls("", Path(), herkunft, 0, "", "", nicht_gelesen=warum, was_tun=was_tun)


NICHT_GELESEN_WAS_TUN = (
    "Ist die Datei noch geöffnet, oder fehlt die Leseberechtigung? Sie ist noch nicht "
    "archiviert; das nächste Konsolidieren versucht es erneut."
)


def _sha256(pfad: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with pfad.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def eingangsbuch_lesen(archiv: Path, wie_geschrieben: bool = False) -> list[dict[str, str]]:
    """The ledger's entries, paths with "/" as this version writes them.

    Earlier versions wrote `Mail\\AG-01.xlsx` on Windows; compared with `Mail/AG-01.xlsx` every
    file in a subfolder became a new name of itself. A backslash is no part of a Windows file
    name, so it is read as the separator. `wie_geschrieben` keeps the lines as they stand, for
    appending: the ledger only grows, its old lines are not rewritten.
    """
    buch = archiv / EINGANGSBUCH
    if not buch.exists():
        return []
    zeilen = list(_buch_lesen(buch.read_bytes()))
    if not wie_geschrieben:
        for z in zeilen:
            for spalte in ("herkunft", "archivdatei"):
                if "\\" in (z.get(spalte) or ""):
                    z[spalte] = z[spalte].replace("\\", "/")
            for spalte in ("eingegangen_am", "geaendert_am", "gespeichert_am"):
                z[spalte] = _zeitpunkt(z[spalte])
        # A line cut after the SHA-256 names the archive folder itself as its copy (review):
        # such a file is archived anew. Nor may a hand-edited path lead out of the archive.
        zeilen = [
            z
            for z in zeilen
            if _SHA256.fullmatch(z["sha256"]) and _ARCHIVDATEI.fullmatch(z["archivdatei"])
        ]
    return zeilen


_SHA256 = re.compile(r"[0-9a-f]{64}")
_ARCHIVDATEI = re.compile(r"dateien/[^/]+\.[A-Za-z0-9]+")


def _zeitpunkt(text: str) -> str:
    """A ledger time as ISO text; one typed by hand as "20.11.2012 09:00" is converted, one
    that is no time at all becomes "" (a report dated by it stopped the run; review)."""
    if not text:
        return ""
    for muster in (None, "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            zeit = (
                datetime.fromisoformat(text)
                if muster is None
                else datetime.strptime(text.strip(), muster)
            )
        except ValueError:
            continue
        return text if muster is None else zeit.isoformat()  # ISO as it stands
    return ""


def _buch_lesen(roh: bytes) -> Iterator[dict[str, str]]:
    """The ledger's lines, also after someone opened and saved it by hand.

    Excel saves a CSV in the Windows character set, perhaps with commas; a stray header
    deletion, NUL bytes or a cut last line must not stop every later run with "Unerwarteter
    Fehler" (review). Lines without a SHA-256 are left to the caller.
    """
    import csv
    import io

    roh = roh.replace(b"\0", b"")
    try:
        text = roh.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = roh.decode("cp1252", errors="replace")
    erste = next((z for z in text.splitlines() if z.strip()), "")
    trenner = max((";", ",", "\t"), key=erste.count)
    koepfe = None if "sha256" in erste else list(BUCHSPALTEN)  # the header line deleted
    for z in csv.DictReader(io.StringIO(text), koepfe, restval="", delimiter=trenner):
        yield {k: v if isinstance(v, str) else "" for k, v in z.items() if k}


def _eingangsbuch_schreiben(archiv: Path, zeilen: list[dict[str, str]]) -> None:
    """Rewrite the whole ledger atomically: an interrupted run never leaves half a line."""
    import csv

    with atomar(archiv / EINGANGSBUCH) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
        schreiber = csv.DictWriter(f, fieldnames=BUCHSPALTEN, delimiter=";", extrasaction="ignore")
        schreiber.writeheader()
        schreiber.writerows(zeilen)


#: Files up to this size are read into memory once: hashed and copied from the same bytes.
GANZ_LESEN_BIS = 64 * 1024 * 1024


def _inhalt(pfad: Path) -> bytes:
    return pfad.read_bytes()


def _zeitstempel(mtime: float) -> str:
    return datetime.fromtimestamp(mtime).replace(microsecond=0).isoformat()


@dataclass
class _Gelesen:
    """What archiving learnt of one file in eingang/: its bytes, or why it could not be read."""

    groesse: int = 0
    geaendert_am: str = ""
    sha256: str = ""
    daten: bytes | None = None  # None for a large file: copied from the disk
    fehler: OSError | None = None


def _lesen(pfad: Path) -> _Gelesen:
    """Read a file once, so that its archive copy holds exactly the bytes that were hashed."""
    try:
        stat = pfad.stat()
    except OSError as fehler:
        return _Gelesen(fehler=fehler)
    gelesen = _Gelesen(stat.st_size, _zeitstempel(stat.st_mtime))
    try:
        if stat.st_size <= GANZ_LESEN_BIS:
            import hashlib

            gelesen.daten = _inhalt(pfad)
            gelesen.groesse = len(gelesen.daten)
            gelesen.sha256 = hashlib.sha256(gelesen.daten).hexdigest()
        else:
            gelesen.sha256 = _sha256(pfad)
    except OSError as fehler:
        gelesen.fehler = fehler
    return gelesen


def _kopieren(gelesen: _Gelesen, quelle: Path, ziel: Path, eingegangen_am: str) -> None:
    """The archive copy, written atomically; an error here is the archive's, not the file's.
    Its modification time is its time of receipt (see `_wie_archiviert`)."""
    import shutil

    with atomar(ziel) as tmp:
        if gelesen.daten is not None:
            tmp.write_bytes(gelesen.daten)
        else:
            shutil.copyfile(quelle, tmp)
    with contextlib.suppress(OSError, ValueError):
        zeit = datetime.fromisoformat(eingegangen_am).timestamp()
        os.utime(ziel, (zeit, zeit))


def _groesse(text: str, sonst: int) -> int:
    """The ledger's size, or `sonst` where a hand-edited ledger says "5,65E+04"."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return sonst


def _archivkopie_pruefen(gelesen: _Gelesen, quelle: Path, kopie: Path, eingegangen_am: str) -> str:
    """Put back an archive copy that is gone or other than the bytes the ledger names.

    Deleted or changed by hand, it was read in place of the file in eingang/: a valid return
    showed as "kein Rücklauf" or damaged, on every later run (review). The file in eingang/
    has the bytes the ledger names (it was just hashed); from them the copy is written again.
    Returns what was wrong, or "" when the copy is as archived.
    """
    try:
        stand = kopie.stat()
        if stand.st_size == gelesen.groesse and (
            gelesen.daten is None  # too large to compare: the size
            or _wie_archiviert(stand.st_mtime, eingegangen_am)
            or kopie.read_bytes() == gelesen.daten
        ):
            return ""
        wie = "verändert"
    except FileNotFoundError:
        wie = "fehlte"
    except OSError:
        return ""  # not to be read now: it is read (and reported) by the check if need be
    try:
        _kopieren(gelesen, quelle, kopie, eingegangen_am)
    except OSError as fehler:
        if gelesen.daten is not None or fehler.filename != str(quelle):
            raise  # the archive cannot be written: stop, nothing is lost
        return ""  # the large file locked meanwhile: the copy stays as it is, for now
    return wie


def _wie_archiviert(mtime: float, eingegangen_am: str) -> bool:
    """An archive copy carries its time of receipt as modification time (`_kopieren`): one
    changed by hand carries another, and only then are its bytes compared. Reading every copy
    on every run doubled the reading on a network drive (review)."""
    try:
        return abs(mtime - datetime.fromisoformat(eingegangen_am).timestamp()) < 1
    except ValueError:
        return False


def archivieren(
    eingang: Path, archiv: Path, jetzt: datetime | None = None
) -> tuple[list[Eingang], list[Path]]:
    """Copy every file of eingang/ byte for byte into archiv/; the ledger only grows.

    Nothing in eingang/ is changed. The same bytes under any name are one entry; a new name
    for known bytes is not a new receipt. Returns the distinct files now in eingang/ (in the
    order found) and the lock files and litter that were skipped.

    A file that cannot be read (locked, no permission) must not stop the others. If the ledger
    knows it (same origin, size and modification time) its archived copy stands in for it;
    otherwise it is returned last, without SHA-256 and archive copy and with the reason in
    `nicht_gelesen`, and the next run tries again.
    """
    from ikz_excel.einlesen import dateien_finden

    jetzt = jetzt or datetime.now().replace(microsecond=0)
    archiv.mkdir(parents=True, exist_ok=True)
    buch = eingangsbuch_lesen(archiv)
    bekannt = {z["sha256"]: z for z in buch}
    nach_herkunft = {(z["herkunft"], z["groesse"], z["geaendert_am"]): z for z in buch}
    dateien, nebendateien = dateien_finden([eingang]) if eingang.exists() else ([], [])
    gesehen: dict[str, Eingang] = {}
    nicht_gelesen: list[Eingang] = []
    for pfad in dateien:
        # with "/" on every system: a workspace on a share used from Windows and Linux must
        # find its own ledger entries
        herkunft = lesbar(pfad.relative_to(eingang).as_posix())
        gelesen = _lesen(pfad)
        if gelesen.fehler is not None:
            z = nach_herkunft.get((herkunft, str(gelesen.groesse), gelesen.geaendert_am))
            if z is None or not (archiv / z["archivdatei"]).is_file():
                nicht_gelesen.append(Eingang.ungelesen(herkunft, gelesen.fehler, pfad))
                continue
            gelesen.sha256 = z["sha256"]  # unchanged since it was archived: its copy stands in
        sha = gelesen.sha256
        if sha in gesehen:
            gesehen[sha].dateien += 1
            if herkunft != gesehen[sha].herkunft:  # the first name, taken from the ledger
                gesehen[sha].weitere_namen.append(herkunft)
            continue
        if sha in bekannt:
            z = bekannt[sha]
            e = Eingang(
                sha,
                archiv / z["archivdatei"],
                z["herkunft"],
                _groesse(z["groesse"], gelesen.groesse),
                z["eingegangen_am"],
                z["geaendert_am"],
                neu=False,
            )
            if herkunft != z["herkunft"]:
                e.weitere_namen.append(herkunft)
                e.im_eingang = herkunft
            if gelesen.fehler is None:
                e.wiederhergestellt = _archivkopie_pruefen(
                    gelesen, pfad, e.archivdatei, z["eingegangen_am"]
                )
        else:
            stamm = herkunft[: -len(pfad.suffix)] if pfad.suffix else herkunft  # no "-xlsx.xlsx"
            name = f"{sha[:12]}_{dateiname(stamm.replace('/', '_'))}{pfad.suffix.lower()}"
            ziel = archiv / "dateien" / name
            try:
                if not ziel.exists():
                    _kopieren(gelesen, pfad, ziel, jetzt.isoformat())
            except OSError as fehler:
                if gelesen.daten is not None or fehler.filename != str(pfad):
                    raise  # the archive cannot be written: stop, nothing is lost
                nicht_gelesen.append(Eingang.ungelesen(herkunft, fehler))
                continue
            e = Eingang(
                sha,
                ziel,
                herkunft,
                gelesen.groesse,
                jetzt.isoformat(),
                gelesen.geaendert_am,
                neu=True,
            )
        gesehen[sha] = e
    return [*gesehen.values(), *nicht_gelesen], nebendateien


def eingangsbuch_ergaenzen(archiv: Path, eingaenge: list[Eingang]) -> int:
    """Append the new receipts (with AG and status as found on receipt); returns how many.

    A run without any receipt writes the ledger's header all the same: konsolidieren before
    the first return (to see the overview) left none, and the next run said "archiv/
    Eingangsbuch.csv fehlte, obwohl hier schon konsolidiert wurde (gelöscht oder
    verschoben?)" of a ledger nobody had deleted (review 24)."""
    buch = eingangsbuch_lesen(archiv, wie_geschrieben=True)
    neue = [e for e in eingaenge if e.neu]
    if not neue and (archiv / EINGANGSBUCH).exists():
        return 0
    for e in neue:
        buch.append(
            {
                "sha256": e.sha256,
                "archivdatei": e.archivdatei.relative_to(archiv).as_posix(),
                "herkunft": e.herkunft,
                "groesse": str(e.groesse),
                "eingegangen_am": e.eingegangen_am,
                "geaendert_am": e.geaendert_am,
                "arbeitsgruppe": e.arbeitsgruppe or "",
                "schema_version": e.schema_version or "",
                "gespeichert_am": e.gespeichert_am,
                "status": e.status,
            }
        )
    _eingangsbuch_schreiben(archiv, buch)
    return len(neue)


# Consolidation --------------------------------------------------------------------------------

KEIN_RUECKLAUF = "kein Rücklauf"


@dataclass(frozen=True)
class Punkt:
    """One point of the Prioritätenmatrix: the proposal, where it comes from, the LG's word."""

    vorschlag: int | None
    quelle: str
    lg: int | None

    @property
    def wirksam(self) -> int | None:
        return self.lg if self.lg is not None else self.vorschlag

    @property
    def herkunft(self) -> str:
        """Where the point comes from; the LG's word names the proposal it replaced."""
        if self.lg is None:
            return self.quelle
        if self.vorschlag is None or self.vorschlag == self.lg:
            return "Lenkungsgruppe"
        return f"Lenkungsgruppe (Vorschlag {self.vorschlag})"


@dataclass
class AGStand:
    ag: Any  # stammdaten.Arbeitsgruppe
    status: str
    datei: Dateiergebnis | None = None
    eingang: Eingang | None = None
    kennzahlen: Kennzahlen | None = None
    versionen: int = 0
    punkte: dict[str, Punkt] = field(default_factory=dict)
    festgelegte_prioritaet: int | None = None
    bemerkung: str = ""
    # No return in eingang/, but the ledger has one: archived files (archiv/...) of this AG
    # that are no longer in eingang/ (someone tidied it up); they do not count.
    im_archiv: list[str] = field(default_factory=list)
    # No readable return, but files whose name names this AG could not be read
    unlesbar: list[str] = field(default_factory=list)

    @property
    def statustext(self) -> str:
        if self.unlesbar:
            archiv = f"; im Archiv: {', '.join(self.im_archiv)}" if self.im_archiv else ""
            return f"kein lesbarer Rücklauf (nicht lesbar: {', '.join(self.unlesbar)}{archiv})"
        if self.im_archiv:
            return f"{KEIN_RUECKLAUF} in eingang/ (im Archiv: {', '.join(self.im_archiv)})"
        return self.status

    @property
    def gueltig(self) -> bool:
        return self.kennzahlen is not None

    def gesamt(self, faktoren: dict[str, int]) -> int | None:
        werte = {k: p.wirksam for k, p in self.punkte.items()}
        if len(werte) != len(faktoren) or any(v is None for v in werte.values()):
            return None
        return berechnung.gesamtpunkte(faktoren, werte)  # type: ignore[arg-type]


@dataclass
class Konsolidierung:
    stand: datetime
    st: Any
    ags: list[AGStand]
    eingaenge: list[Eingang]
    pruefung: Any  # Pruefergebnis
    nebendateien: list[Path] = field(default_factory=list)
    nur_im_archiv: list[dict[str, str]] = field(default_factory=list)  # ledger rows
    #: the Korrektur copies written in this run, by the file they are for (berichte/)
    korrekturen: dict[str, Path] = field(default_factory=dict)
    #: the overview as someone saved it in Excel or Calc since the last run, kept before it
    #: was written anew: (its copy in sicherungen/, who saved it, when)
    uebersicht_bearbeitet: tuple[Path, str, str] | None = None
    #: copies of the overview under another type (.ods) saved since the last run: no command
    #: reads them (`arbeitsbereich.uebersicht_kopien`)
    uebersicht_kopien: list[Path] = field(default_factory=list)

    @property
    def faktoren(self) -> dict[str, int]:
        return self.st.faktoren

    def gesamtpunkte(self) -> dict[str, int]:
        return {s.ag.kuerzel: g for s in self.ags if (g := s.gesamt(self.faktoren)) is not None}

    def raenge(self) -> dict[str, int]:
        return berechnung.raenge(self.gesamtpunkte())

    def kommunen(self) -> list[dict[str, Any]]:
        """Per Kommune and AG its share of costs and benefits over the whole period.

        Amounts are split by the AG's key with the largest-remainder method, so every AG's
        parts add up to its total to the cent.
        """
        zeilen = []
        for s in self.ags:
            k = s.kennzahlen
            if k is None or k.anteile is None:
                continue
            # Amounts may carry more than cents (a Betrag of 1234,567 €): split cents only.
            kosten = _cent(sum(k.wirtschaftlichkeit.kosten, Decimal(0)))
            nutzen = _cent(sum(k.wirtschaftlichkeit.nutzen, Decimal(0)))
            kosten_teile = berechnung.verteilen(kosten, k.anteile)
            nutzen_teile = berechnung.verteilen(nutzen, k.anteile)
            prozent = berechnung.anteile_prozent(k.anteile)
            for kommune in k.anteile:
                zeilen.append(
                    {
                        "AG": s.ag.kuerzel,
                        "Handlungsfeld": s.ag.handlungsfeld_kurz,
                        "Kommune": kommune,
                        "Schlüssel": k.schluessel,
                        "Anteil": k.anteile[kommune],
                        "Anteil %": prozent[kommune],
                        "Kostenanteil": kosten_teile[kommune],
                        "Nutzenanteil": nutzen_teile[kommune],
                        "Saldo": nutzen_teile[kommune] - kosten_teile[kommune],
                    }
                )
        return zeilen

    def kommunen_summe(self, zeilen: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Per Kommune the sums over all AGs; `zeilen` are those of `kommunen()` if at hand.

        Splitting every AG's amounts with Fractions is the dearest part of writing the overview
        (a quarter of a second for 1,000 AGs), and the overview needs both lists: it passes the
        rows it already has instead of having them computed twice.
        """
        if zeilen is None:
            zeilen = self.kommunen()
        summen: dict[str, dict[str, Any]] = {
            k.name: {
                "Kommune": k.name,
                "Art": k.art,
                "Einwohner": k.einwohner,
                "Kostenanteil": Decimal(0),
                "Nutzenanteil": Decimal(0),
                "Saldo": Decimal(0),
                "Arbeitsgruppen": 0,
            }
            for k in self.st.kommunen
        }
        for z in zeilen:
            s = summen.setdefault(
                z["Kommune"],
                {
                    # a partner of a workbook from older Stammdaten, since removed or renamed:
                    # its share stands until the AG sends the Korrektur copy (lifecycle probe)
                    "Kommune": z["Kommune"],
                    "Art": NICHT_IN_DEN_STAMMDATEN,
                    "Einwohner": None,
                    "Kostenanteil": Decimal(0),
                    "Nutzenanteil": Decimal(0),
                    "Saldo": Decimal(0),
                    "Arbeitsgruppen": 0,
                },
            )
            s["Kostenanteil"] += z["Kostenanteil"]
            s["Nutzenanteil"] += z["Nutzenanteil"]
            s["Saldo"] += z["Saldo"]
            s["Arbeitsgruppen"] += 1  # in which it is a partner with a share
        return list(summen.values())


NICHT_IN_DEN_STAMMDATEN = "nicht mehr in der Steuerungsmappe"


def _cent(betrag: Decimal) -> Decimal:
    from decimal import ROUND_HALF_UP

    return betrag.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def punkte_vorschlagen(s: AGStand, st: Any) -> dict[str, Punkt]:
    """Points per criterion: derived from the figures where possible, else the AG's own view."""
    from ikz_excel.stammdaten import KRITERIEN

    eigene: dict[str, int | None] = {}
    if s.datei is not None:
        for w in s.datei.zeilen("tbl_Einschaetzung"):
            punkte = w.get("Punkte")
            eigene[str(w.get("Kriterium"))] = punkte if isinstance(punkte, int) else None
    abgeleitet: dict[str, tuple[int | None, str]] = {}
    k = s.kennzahlen
    if k is not None and s.datei is not None:
        w = k.wirtschaftlichkeit
        # with the figure it comes from: why a field ranks where it does, in its own row
        abgeleitet["Monetärer Erfolg"] = (
            berechnung.punkte_monetaer(w.kapitalwert),
            f"aus Kapitalwert {deutsch.euro(w.kapitalwert)}",
        )
        abgeleitet["Aufwand"] = (
            berechnung.punkte_aufwand(w.kosten_einmalig),
            f"aus einmaligen Kosten {deutsch.euro(w.kosten_einmalig)}",
        )
        abgeleitet["Rechtliche Vorgaben"] = (
            berechnung.punkte_rechtlich(s.datei.eintrag("3.6")),
            f"aus Projektbeschreibung 3.6 ({s.datei.eintrag('3.6') or 'leer'})",
        )
        abgeleitet["Erfolgswahrscheinlichkeit"] = (
            berechnung.punkte_erfolg(k.hoechster_risikowert),
            f"aus höchstem Risikowert {k.hoechster_risikowert}",
        )
    entscheidung = st.entscheidung(s.ag.kuerzel)
    ergebnis = {}
    for kriterium in KRITERIEN:
        wert, quelle = abgeleitet.get(kriterium, (None, ""))
        if wert is None and s.kennzahlen is not None:
            wert, quelle = eigene.get(kriterium), "Einschätzung der AG"
        lg = entscheidung.punkte.get(kriterium) if entscheidung else None
        ergebnis[kriterium] = Punkt(wert, quelle if wert is not None else "offen", lg)
    return ergebnis


# What the overview and the points take from a return besides its Kennzahlen.
UEBERSICHT_TABELLEN = (
    "tbl_Projektbeschreibung",
    "tbl_Varianten",
    "tbl_Risiken",
    "tbl_StaerkenSchwaechen",
    "tbl_Meilensteine",
    "tbl_Einschaetzung",
)
UEBERSICHT_EINTRAEGE = ("3.6", "3.10", "4.1")


def fassung(e: Eingang) -> tuple[str, str, str]:
    """The order of an AG's versions: the last one in this order counts (FACHKONZEPT §7).

    When the clerk last saved it (docProps/core.xml, read with the file), else the file's date;
    see `einlesen.Paket.gespeichert_am`. Equal keys: the one found later in eingang/ counts.
    """
    return (e.gespeichert_am, e.geaendert_am, e.eingegangen_am)


def aeltere_fassungen_kennzeichnen(
    dateien: list[Dateiergebnis], erste_herkunft: Mapping[str, str] | None = None
) -> None:
    """For `ikz pruefen` over eingang/: the same choice of the version that counts as here.

    Without the ledger it has no receipt times; the order is when the clerk last saved each
    file, else its date, else its place in eingang/. An older version gets no Korrektur copy.
    """
    neueste: dict[str, tuple[tuple[str, str, int], Dateiergebnis]] = {}
    geaendert_am: dict[int, str] = {}
    for i, d in enumerate(dateien):
        if not d.arbeitsgruppe:
            continue
        try:
            geaendert = _zeitstempel(Path(d.pfad).stat().st_mtime)
        except OSError:
            geaendert = ""
        geaendert_am[id(d)] = geaendert
        schluessel = ((d.gespeichert_am if d.lesbar else "") or geaendert, geaendert, i)
        bisher = neueste.get(d.arbeitsgruppe)
        if bisher is None or schluessel > bisher[0]:
            neueste[d.arbeitsgruppe] = (schluessel, d)
    gilt = {ag: d for ag, (_, d) in neueste.items()}
    # The same file saved twice (mailed again, "AG-01 (2).xlsx") is no older version; here it
    # is found by its content. Of such copies the first received counts, as in the archive,
    # which is named after it: so pruefen and konsolidieren give its Korrektur copy the same
    # name. The ledger (`erste_herkunft`: SHA-256 -> first name) knows which came first; for
    # bytes not archived yet, the file date (a copy gets a newer one), else the first found.
    gleich = {
        id(d): _gleicher_inhalt(Path(d.pfad), Path(gilt[d.arbeitsgruppe].pfad))
        for d in dateien
        if d.arbeitsgruppe and d is not gilt[d.arbeitsgruppe]
    }
    stelle = {id(d): i for i, d in enumerate(dateien)}
    archiviert_als = {
        ag: erste_herkunft.get(_sha256(Path(d.pfad)), "")
        for ag, d in gilt.items()
        if erste_herkunft and any(gleich.get(id(x)) for x in dateien if x.arbeitsgruppe == ag)
    }

    def frueher(d: Dateiergebnis) -> tuple[bool, str, int]:
        nicht_im_buch = d.name != archiviert_als.get(d.arbeitsgruppe or "")
        return nicht_im_buch, geaendert_am[id(d)], stelle[id(d)]

    for d in dateien:
        bisher = gilt.get(d.arbeitsgruppe or "")
        if gleich.get(id(d)) and bisher is not None and frueher(d) < frueher(bisher):
            gilt[d.arbeitsgruppe or ""] = d
            gleich[id(bisher)] = True
    _ersetzte_kennzeichnen(dateien, gilt)
    for d in dateien:
        if d.ersetzt_durch:
            d.identisch = gleich.get(id(d), False)


def _gleicher_inhalt(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and _sha256(a) == _sha256(b)
    except OSError:
        return False


def _ersetzte_kennzeichnen(dateien: list[Dateiergebnis], neueste: dict[str, Any]) -> None:
    """Each older version names the one that counts and keeps nothing to correct.

    The last saved counts, also a workbook from older Stammdaten saved after the Korrektur
    copy with the current ones: a colleague went on in the old workbook, and the corrections
    were gone without a word (lifecycle probe). Said at the version that counts.
    """
    from ikz_excel.befunde import Befund, Regel, Stufe
    from ikz_excel.pruefen import (
        ALTE_STAMMDATEN,
        ERST_NACH_DER_STRUKTUR,
        OHNE_KORREKTUREXEMPLAR,
        ZAEHLT_TROTZDEM,
    )

    # A version read by its header rows said its copy comes with the Prüfbericht ('ikz
    # pruefen' ohne --ohne-berichte), or once the other structure Fehler are repaired: a
    # replaced one gets none, by any run (review 22 for the second).
    versprochen = (
        (OHNE_KORREKTUREXEMPLAR, ""),
        (ERST_NACH_DER_STRUKTUR, "Aus der Mappe wird nichts gelesen. "),
    )

    def ohne_versprechen(b: Befund, gilt: Dateiergebnis) -> Befund:
        for ende, statt in versprochen:
            if b.regel is Regel.STRUKTUR and b.meldung.endswith(ende):
                return dataclasses.replace(
                    b,
                    meldung=b.meldung.removesuffix(ende)
                    + statt
                    + f"Für diese ältere Fassung entsteht kein Korrekturexemplar; es zählt "
                    f"{gilt.name}.",
                )
        return b

    def alt(d: Dateiergebnis) -> bool:
        return any(b.regel is Regel.VERSION and ALTE_STAMMDATEN in b.meldung for b in d.befunde)

    neuer: dict[str, Dateiergebnis] = {}
    for d in dateien:
        gilt = neueste.get(d.arbeitsgruppe or "")
        if gilt is not None and gilt is not d:
            d.ersetzt_durch = gilt.name
            if d.lesbar and not alt(d) and alt(gilt):
                neuer.setdefault(gilt.name, d)
            d.gelesen, d.felder = {}, {}
            d.befunde = [ohne_versprechen(b, gilt) for b in d.befunde]
    for gilt in (d for d in dateien if d.name in neuer):
        ersetzt = neuer[gilt.name].name
        gilt.befunde.append(
            Befund(
                gilt.name,
                gilt.arbeitsgruppe,
                None,
                None,
                None,
                None,
                Stufe.WARNUNG,
                Regel.VERSION,
                f"{gilt.name}: {ZAEHLT_TROTZDEM}, ist aber "
                f"{ALTE_STAMMDATEN} als die ersetzte {ersetzt} (wohl ein Korrekturexemplar). "
                "Wurde in der alten Mappe weitergearbeitet, fehlen hier die Berichtigungen aus "
                f"{ersetzt}: bitte mit der Arbeitsgruppe klären, welche Fassung gilt.",
            )
        )


class _JeDatei:
    """Per file, as soon as it is checked: its figures, then only what the overview shows.

    A return with Fehler gets no figures (the check says why); one that gets a Korrektur copy
    keeps all it has, the copy is written from it. Of an AG's versions the newest counts; one
    that a newer one replaces keeps only identity, status and findings (the Rücklauf sheet
    and the Prüfbericht list them) and gets no Korrektur copy: so memory grows with the
    number of AGs the overview shows, not with the number of files received.
    """

    def __init__(self, st: Any, eingaenge: list[Eingang]) -> None:
        self.st = st
        self.kennzahlen: dict[str, Kennzahlen] = {}
        self.eingang = {e.archivdatei: (i, e) for i, e in enumerate(eingaenge)}
        self.neueste: dict[str, tuple[Any, Eingang, Dateiergebnis]] = {}
        self.versionen: Counter[str] = Counter()

    def __call__(self, d: Dateiergebnis) -> None:
        from ikz_excel.befunde import Stufe

        _, e = self.eingang[d.pfad]
        schluessel = self.rang(d)
        e.arbeitsgruppe, e.schema_version, e.status = (
            d.arbeitsgruppe,
            d.kennung.get("schema_version"),
            d.status,
        )
        if d.gelesen and not d.zahl(Stufe.FEHLER):
            self.kennzahlen[d.name] = auswerten(d, self.st)
        if not d.braucht_korrektur:
            d.nur_behalten(UEBERSICHT_TABELLEN, UEBERSICHT_EINTRAEGE)
        if not d.arbeitsgruppe:
            return
        self.versionen[d.arbeitsgruppe] += 1
        bisher = self.neueste.get(d.arbeitsgruppe)
        if bisher is None or schluessel > bisher[0]:
            self.neueste[d.arbeitsgruppe] = (schluessel, e, d)
            if bisher is not None:
                self._ersetzt(bisher[2])
        else:
            self._ersetzt(d)

    def rang(self, d: Dateiergebnis) -> tuple[tuple[str, str, str], int]:
        """Where `d` stands among its AG's versions: the highest counts. The position breaks
        ties, so the choice does not depend on the order results come in. Notes the save
        time on its Eingang, where the ledger and the overview take it from."""
        i, e = self.eingang[d.pfad]
        e.gespeichert_am = (d.gespeichert_am if d.lesbar else "") or e.geaendert_am
        return fassung(e), i

    def _ersetzt(self, d: Dateiergebnis) -> None:
        """A version a newer one replaces: nobody should correct it, so no Korrektur copy."""
        self.kennzahlen.pop(d.name, None)
        d.gelesen, d.felder = {}, {}

    def ersetzte_kennzeichnen(self, dateien: list[Dateiergebnis]) -> None:
        """Once all are in: each older version names the one that counts (reports say so)."""
        _ersetzte_kennzeichnen(dateien, {ag: d for ag, (_, _, d) in self.neueste.items()})


def anzeigenamen(archiviert: list[Eingang]) -> dict[Path, str]:
    """The name each archived file is reported under: the one it was received under, unless
    another file of this run was received under that name too. Then the one it has in
    eingang/ now: the old "AG-01.xlsx", renamed "AG-01 alt.xlsx" when the new one was saved
    as "AG-01.xlsx", was reported as "AG-01.xlsx" and the new one under its path in the
    archive (store probe)."""
    mehrfach = Counter(e.herkunft for e in archiviert)
    return {
        e.archivdatei: (e.im_eingang or e.herkunft) if mehrfach[e.herkunft] > 1 else e.herkunft
        for e in archiviert
    }


def _pruefen(
    archiviert: list[Eingang], st: Any, je_datei: _JeDatei, speicher: Pruefspeicher
) -> Pruefergebnis:
    """Check the files, but take the older versions whose results are stored from the store.

    Of an AG's stored versions all but the newest are sure to be replaced, whatever the new
    files hold: their results come from the store. The rest is checked. The results are in
    the order of `archiviert`, as if all had been checked.
    """
    from ikz_excel import pruefen

    pfade = [e.archivdatei for e in archiviert]
    namen = dict(zip(pfade, pruefen.eindeutige_namen(pfade, anzeigenamen(archiviert)), strict=True))
    gespeichert: dict[str, list[tuple[tuple[Any, int], Dateiergebnis]]] = {}
    for e in archiviert:
        d = speicher.ergebnis(e.sha256, namen[e.archivdatei], e.archivdatei)
        if d is not None and d.arbeitsgruppe:
            gespeichert.setdefault(d.arbeitsgruppe, []).append((je_datei.rang(d), d))
    ersetzt = {
        d.pfad: (schluessel, d)
        for versionen in gespeichert.values()
        for schluessel, d in sorted(versionen, key=lambda v: v[0])[:-1]
    }
    sha = {e.archivdatei: e.sha256 for e in archiviert}

    def geprueft(d: Dateiergebnis) -> None:
        speicher.merken(sha[d.pfad], d)
        je_datei(d)

    ergebnis = pruefen.pruefen(
        [p for p in pfade if p not in ersetzt], st, anzeigenamen=namen, je_datei=geprueft
    )
    # The fresh check of the newest stored version may rank it otherwise than stored (it
    # could not be read this time): a stored version that would now count is checked too,
    # so that the version that counts is always one read in this run (review).
    nochmal = {
        p
        for p, (schluessel, d) in ersetzt.items()
        if (neueste := je_datei.neueste.get(d.arbeitsgruppe or "")) is None
        or schluessel > neueste[0]
    }
    if nochmal:
        nachgeprueft = pruefen.pruefen(
            [p for p in pfade if p in nochmal], st, anzeigenamen=namen, je_datei=geprueft
        )
        ergebnis.dateien += nachgeprueft.dateien
    for p, (_, d) in ersetzt.items():
        if p not in nochmal:
            je_datei(d)
            ergebnis.dateien.append(d)
    reihenfolge = {p: i for i, p in enumerate(pfade)}
    ergebnis.dateien.sort(key=lambda d: reihenfolge[d.pfad])
    return ergebnis


def _uebersicht_schreiben(k: Konsolidierung, ziel: Path) -> None:
    """The overview, or a message a clerk understands when it cannot be replaced."""
    from ikz_excel import uebersicht
    from ikz_excel.arbeitsbereich import Abbruch, uebersicht_kopien

    try:
        seit = ziel.stat().st_mtime
    except OSError:
        seit = None  # no overview yet (or unreadable): every copy beside it is named
    k.uebersicht_kopien = uebersicht_kopien(ziel, seit)
    try:
        k.uebersicht_bearbeitet = _bearbeitete_uebersicht_sichern(ziel)
        uebersicht.schreiben(k, ziel)
    except OSError as fehler:
        raise Abbruch(
            f"Die Übersicht {ziel} ließ sich nicht schreiben ({grund(fehler)}). Ist "
            "sie in Excel geöffnet? Bitte schließen und erneut konsolidieren. "
            "Prüfbericht und Korrekturexemplare in berichte/ sind geschrieben."
        ) from None


def _ortszeit(wann: str) -> str:
    """docProps' "modified" (W3CDTF, in UTC: "2026-12-05T23:30:00Z") as the local time of this
    machine, "2026-12-06T00:30": the backup's name and the console's date were an hour or two
    off the clock on the wall, around midnight a day (session 24). The other files in
    sicherungen/ are named by local time too. A time without zone is UTC (ECMA-376 writes it
    so); one that is no time stays as it was. LibreOffice's local time with a "Z" is made UTC
    first (`einlesen.als_utc`, by `_bearbeitete_uebersicht_sichern`). Read by
    `datetime.fromisoformat`, as `als_utc` reads it."""
    if "T" not in wann:  # a date alone is no save time
        return wann
    try:
        zeit = datetime.fromisoformat(wann.strip())
        if zeit.tzinfo is None:
            zeit = zeit.replace(tzinfo=UTC)
        return zeit.astimezone().strftime("%Y-%m-%dT%H:%M")
    except (ValueError, OverflowError, OSError):
        return wann


def _uebersicht_gespeichert(ziel: Path) -> tuple[dict[str, str], bytes] | None:
    """The docProps of the overview as someone saved it (core.xml's fields, app.xml), or None
    if it is missing or nobody saved it since ikz wrote it.

    What ikz writes has "Zuletzt gespeichert" equal to "Erstellt" (docProps/core.xml); a
    spreadsheet program that saves it sets the first to its own time. A file that is not what
    ikz wrote (saved as .ods under this name?) counts as saved, with no fields.
    """
    import zipfile

    from defusedxml import ElementTree

    anwendung = b""
    try:
        with zipfile.ZipFile(ziel) as z:
            wurzel = ElementTree.fromstring(z.read("docProps/core.xml"))
            with contextlib.suppress(KeyError):
                anwendung = z.read("docProps/app.xml")
    except FileNotFoundError:
        return None
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        wurzel = None  # not what ikz wrote (saved as .ods under this name?): kept as well
    werte = {
        e.tag.rsplit("}", 1)[-1]: (e.text or "").strip()
        for e in (wurzel if wurzel is not None else ())
    }
    if werte and werte.get("modified", "") == werte.get("created", ""):
        return None
    return werte, anwendung


def uebersicht_von_hand_gespeichert(ziel: Path) -> bool:
    """Whether the Lenkungsgruppe saved the overview since ikz wrote it: its notes are work
    that konsolidieren keeps in sicherungen/ and `ikz demo` does not delete (rest24)."""
    return _uebersicht_gespeichert(ziel) is not None


def _bearbeitete_uebersicht_sichern(ziel: Path) -> tuple[Path, str, str] | None:
    """The overview as the Lenkungsgruppe saved it, copied into sicherungen/ before the run
    writes it anew; None if nobody saved it since it was written (`_uebersicht_gespeichert`).

    The LG tries Faktoren in it, notes a decision beside an AG, and saves it in Excel or Calc;
    the next konsolidieren replaced it without a word, and the notes were gone (session 23).
    """
    from ikz_excel.arbeitsbereich import SICHERUNGEN
    from ikz_excel.dateien import freier_name

    gespeichert = _uebersicht_gespeichert(ziel)
    if gespeichert is None:
        return None
    werte, anwendung = gespeichert
    wann = werte.get("modified", "")
    # Calc writes its local time with a "Z" (13:15 in Berlin as "13:15:40Z"): read as UTC,
    # the name was an hour or two late (review 24), as the returns' save time once was
    if von_libreoffice(anwendung):
        wann = als_utc(wann)
    wann = _ortszeit(wann)
    stempel = re.sub(r"\D", "", wann)[:12] or datetime.now().strftime("%Y%m%d%H%M")
    ordner = ziel.parent / SICHERUNGEN
    ordner.mkdir(exist_ok=True)
    name = ordner / f"{ziel.stem}_bearbeitet_{stempel[:8]}-{stempel[8:]}.xlsx"
    # kept already by a run that then could not write the overview (open in Excel): once
    if name.is_file() and name.read_bytes() == ziel.read_bytes():
        return name, werte.get("lastModifiedBy", ""), wann
    sicherung = freier_name(name)
    shutil.copy2(ziel, sicherung)
    return sicherung, werte.get("lastModifiedBy", ""), wann


def konsolidieren(
    arbeitsbereich: Path, jetzt: datetime | None = None, mit_uebersicht: bool = True
) -> Konsolidierung:
    """Archive, check, pick the newest version per AG, write reports and the overview."""
    from ikz_excel import stammdaten
    from ikz_excel.arbeitsbereich import Arbeitsbereich

    ab = Arbeitsbereich(arbeitsbereich)
    ab.pruefen_eingerichtet()
    st = stammdaten.lesen(ab.steuerungsmappe)
    ab.ordner_anlegen()
    with ab.allein():
        return _konsolidieren(ab, st, jetzt, mit_uebersicht)


def _konsolidieren(
    ab: Any, st: Any, jetzt: datetime | None, mit_uebersicht: bool
) -> Konsolidierung:
    from ikz_excel import berichte, pruefen

    jetzt = jetzt or datetime.now().replace(microsecond=0)
    reste_entfernen([ab.wurzel, ab.berichte, ab.archiv, ab.archiv / "dateien"])
    eingaenge, nebendateien = archivieren(ab.eingang, ab.archiv, jetzt)
    archiviert = [e for e in eingaenge if not e.nicht_gelesen]
    je_datei = _JeDatei(st, archiviert)
    speicher = Pruefspeicher(ab.archiv, st)
    ergebnis = _pruefen(archiviert, st, je_datei, speicher)
    # Names as pruefen gives them (unique within the run), continued for the unread files,
    # which archivieren puts last.
    namen = pruefen.eindeutige_namen(
        [e.archivdatei if not e.nicht_gelesen else e.herkunft for e in eingaenge],
        anzeigenamen(archiviert),
    )
    for e, name in zip(eingaenge[len(archiviert) :], namen[len(archiviert) :], strict=True):
        d = pruefen.nicht_lesbar(
            e.herkunft,
            name,
            f"Die Datei lässt sich nicht lesen ({e.nicht_gelesen}). {e.was_tun}",
        )
        e.status = d.status
        ergebnis.dateien.append(d)
    je_datei.ersetzte_kennzeichnen(ergebnis.dateien)
    speicher.schreiben()
    eingangsbuch_ergaenzen(ab.archiv, eingaenge)

    staende = []
    buch = eingangsbuch_lesen(ab.archiv)
    in_eingang = {e.sha256 for e in eingaenge}
    unlesbar = pruefen.unlesbare_je_ag(ergebnis.dateien, st)
    for ag in st.arbeitsgruppen:
        if ag.kuerzel not in je_datei.neueste:
            # also those noted under the Kürzel in other case ("AG-01", now "ag-01")
            frueher = [
                f"archiv/{z['archivdatei']}"
                for z in buch
                if (z.get("arbeitsgruppe") or "").casefold() == ag.kuerzel.casefold()
            ]
            s = AGStand(ag, KEIN_RUECKLAUF, im_archiv=list(dict.fromkeys(frueher)))
            s.unlesbar = unlesbar.get(ag.kuerzel, [])
        else:
            _, e, d = je_datei.neueste[ag.kuerzel]
            s = AGStand(ag, d.status, d, e, versionen=je_datei.versionen[ag.kuerzel])
            s.kennzahlen = je_datei.kennzahlen.get(d.name)
        s.punkte = punkte_vorschlagen(s, st)
        # typed on Prioritaet, else on Handlungsfelder: the LG may use either sheet
        s.festgelegte_prioritaet = st.festgelegte_prioritaet(ag.kuerzel)
        entscheidung = st.entscheidung(ag.kuerzel)
        if entscheidung:
            s.bemerkung = entscheidung.bemerkung
        staende.append(s)
    k = Konsolidierung(jetzt, st, staende, eingaenge, ergebnis, nebendateien)
    # Versions overwritten in eingang/ under the same name, or removed from it: still listed.
    k.nur_im_archiv = [z for z in buch if z.get("sha256") not in in_eingang]
    stand_der_daten = max((e.eingegangen_am for e in eingaenge), default="")
    daneben = None
    if mit_uebersicht:
        daneben = functools.partial(_uebersicht_schreiben, k, ab.uebersicht)
    # The overview is written here while worker processes write the Korrektur copies.
    _, k.korrekturen = berichte.berichte_schreiben(
        ergebnis,
        st,
        ab.berichte,
        stand_der_daten,
        daneben,
        korrekturstand=ab.archiv / berichte.KORREKTURSTAND,
    )
    return k
