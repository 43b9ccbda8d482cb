"""Stammdaten of an IKZ programme: Kommunen, Handlungsfelder, AGs, Parameter, LG decisions.

They come from one of two places with the same layout: the built-in Helmstedt 2012 programme
(`vorlagen/helmstedt_2012.yaml`, keyed by table and column header) or a workbook laid out like
the Steuerungsmappe. Both go through the same conversion and checks as a returned Arbeitsmappe,
so a wrong Zinssatz is reported with sheet and cell before thirty workbooks go out with it.

What stops every command is a `StammdatenFehler`. What the commands can work around, but the
Steuerungsgruppe must hear of (a decision of the LG in a row whose AG was renamed, the same
priority typed twice and differently), is a Warnung: data in `Stammdaten.warnungen`, and
gathered by `warnungen_sammeln()` for the shells whose stage function reads the Stammdaten
itself and returns no Stammdaten (`ikz init`, `ikz erzeugen`, the buttons).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ikz_excel import definition, pfade
from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.dateien import dateifehler
from ikz_excel.einlesen import (
    KeineArbeitsmappe,
    LeseFehler,
    Paket,
    Rohtabelle,
    ist_leer,
    sichtbar,
    tabellen_lesen,
    tippjahre,
    vergleichbar,
    zitat,
)
from ikz_excel.pruefen import (
    OHNE_JAHR,
    Datei,
    Gelesen,
    Kontext,
    ausserhalb_pruefen,
    befund,
    name_mit_unterschied,
    pandera_pruefen,
    pflicht_wenn_pruefen,
    umwandeln_tabelle,
)

KRITERIEN = (
    "Monetärer Erfolg",
    "Erfolgswahrscheinlichkeit",
    "Aufwand",
    "Personelle Kapazitäten",
    "Rechtliche Vorgaben",
    "Politische Widerstände",
)
STANDARD_DATEI = "helmstedt_2012.yaml"


class StammdatenFehler(Exception):
    """The Stammdaten cannot be used; `befunde` says where and why."""

    def __init__(self, befunde: list[Befund]) -> None:
        super().__init__("\n".join(b.meldung for b in befunde))
        self.befunde = befunde


@dataclass(frozen=True)
class Kommune:
    name: str
    art: str
    einwohner: int
    stand: date | None = None
    quelle: str = ""
    mitgliedsgemeinden: str = ""


@dataclass(frozen=True)
class Handlungsfeld:
    name: str
    nr: int | None = None
    aufgabengruppe: str = ""
    teilnehmer: str = ""
    modus: str = ""
    hoechste_prioritaet: bool = False
    festgelegte_prioritaet: int | None = None


@dataclass(frozen=True)
class Arbeitsgruppe:
    kuerzel: str
    bezeichnung: str
    handlungsfeld: str
    partner: tuple[str, ...]
    abgabetermin: date
    projektauftrag: str
    projektbeauftragte: str = ""
    #: further rows of Anlage 1 the AG works on (seed: AG-06 "Hoch- und Tiefbau" covers the
    #: Hochbau and the Tiefbau row), typed after the first in the Handlungsfeld cell
    weitere_handlungsfelder: tuple[str, ...] = ()

    @property
    def handlungsfelder(self) -> tuple[str, ...]:
        return (self.handlungsfeld, *self.weitere_handlungsfelder)

    @property
    def handlungsfelder_text(self) -> str:
        """As the Steuerungsmappe has it: where the LG reads what an AG covers (Übersicht,
        Prioritätenmatrix, the AG's own cover), all of them are shown."""
        return "; ".join(self.handlungsfelder)

    @property
    def handlungsfeld_kurz(self) -> str:
        """In a row of a long list beside the AG's Kürzel and in chart labels: the first field,
        "u. a." telling there are more (the full text was cut there, review)."""
        return self.handlungsfeld + (" u. a." if self.weitere_handlungsfelder else "")


@dataclass(frozen=True)
class Kriterium:
    name: str
    faktor: int
    bedeutung: str = ""


@dataclass(frozen=True)
class Entscheidung:
    """What the Lenkungsgruppe typed into `Prioritaet` for one AG: overrides and its priority."""

    ag: str
    punkte: dict[str, int | None]
    festgelegte_prioritaet: int | None = None
    bemerkung: str = ""


@dataclass(frozen=True)
class Meilenstein:
    meilenstein: str
    phase: str
    termin: date
    ebene: str = ""


@dataclass(frozen=True)
class Stammdaten:
    programm: str
    ausgangslage: str
    jahre: int
    zinssatz: Decimal
    zinssatz_quelle: str
    zinssatz_stand: date | None
    startjahr: int
    programmbeginn: date
    programmende: date
    kommunen: tuple[Kommune, ...]
    handlungsfelder: tuple[Handlungsfeld, ...]
    arbeitsgruppen: tuple[Arbeitsgruppe, ...]
    oberziele: tuple[str, ...]
    rahmenbedingungen: tuple[str, ...]
    phasen: tuple[str, ...]
    phasen_beschreibung: tuple[str, ...]
    meilensteine: tuple[Meilenstein, ...]
    kriterien: tuple[Kriterium, ...]
    entscheidungen: tuple[Entscheidung, ...]
    tabellen: dict[str, list[dict[str, Any]]] = field(repr=False, compare=False)
    quelle: str = ""
    #: what the commands work around but must say (Stufe WARNUNG, with sheet and cell)
    warnungen: tuple[Befund, ...] = field(default=(), repr=False, compare=False)
    #: table name -> its sheet as called in the file read: the Steuerungsgruppe may rename
    #: "Arbeitsgruppen" in Excel, the table is found anyway, and every message of erzeugen,
    #: pruefen and konsolidieren that sends the clerk there must name the sheet they see
    blaetter: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: read for a new Steuerungsmappe (`fuer_neuaufbau`): the rows of Prioritaet 'ikz init'
    #: leaves out of it or takes over although they may be the example's, said as done. Not
    #: in `warnungen`: init shows the new Steuerungsmappe's own, read after it is written
    neuaufbau: tuple[Befund, ...] = field(default=(), repr=False, compare=False)

    def blatt(self, tabelle: str) -> str:
        """The sheet of the Steuerungsmappe holding `tabelle`, as called in the file read
        (the template's name for the built-in Stammdaten)."""
        if tabelle in self.blaetter:
            return self.blaetter[tabelle]
        return next(b.name for b, t in definition.steuerungsmappe().tabellen if t.name == tabelle)

    @property
    def parameter(self) -> dict[str, Any]:
        """Values that definitions refer to as `$Name`."""
        return {
            "Betrachtungszeitraum": self.jahre,
            "Kalkulationszinssatz": self.zinssatz,
            "Startjahr": self.startjahr,
            "Programmbeginn": self.programmbeginn,
            "Programmende": self.programmende,
        }

    def kommune(self, name: str) -> Kommune:
        return next(k for k in self.kommunen if k.name == name)

    def arbeitsgruppe(self, kuerzel: str) -> Arbeitsgruppe:
        return next(a for a in self.arbeitsgruppen if a.kuerzel == kuerzel)

    def kuerzel_jetzt(self, kuerzel: str | None) -> str | None:
        """The current Kürzel of the AG a workbook names, or None if there is none.

        Only the case may differ: "AG-01" retyped as "ag-01" is the same AG to the clerk
        (Excel's own lookups ignore case, and the Steuerungsmappe allows no two Kürzel that
        differ in case only); its returns went on counting for no AG at all (steuer16)."""
        if not kuerzel:
            return None
        klein = kuerzel.casefold()
        return next((a.kuerzel for a in self.arbeitsgruppen if a.kuerzel.casefold() == klein), None)

    def arbeitsgruppe_jetzt(self, kuerzel: str | None) -> Arbeitsgruppe | None:
        """The AG a workbook names, by its current Kürzel (`kuerzel_jetzt`), or None."""
        jetzt = self.kuerzel_jetzt(kuerzel)
        return next((a for a in self.arbeitsgruppen if a.kuerzel == jetzt), None)

    def handlungsfeld(self, name: str) -> Handlungsfeld:
        return next(h for h in self.handlungsfelder if h.name == name)

    def entscheidung(self, ag: str) -> Entscheidung | None:
        return next((e for e in self.entscheidungen if e.ag == ag), None)

    def festgelegte_prioritaet(self, ag: str) -> int | None:
        """The LG's decision for an AG: its row on Prioritaet, else its Handlungsfeld's row.

        Both sheets have the column (Anlage 1 lists the priority per Handlungsfeld, the matrix
        per AG); a value typed in either must count, not vanish. When both hold one and they
        differ, Prioritaet wins: it is where the LG decides per AG (reading warns, naming both
        cells). An AG working on several fields carries the highest priority among them (1 is
        the highest): the LG fixed that field's priority, and the AG is the one doing it. Where
        the fields disagree, reading warns.
        """
        e = self.entscheidung(ag)
        if e is not None and e.festgelegte_prioritaet is not None:
            return e.festgelegte_prioritaet
        gruppe = next((a for a in self.arbeitsgruppen if a.kuerzel == ag), None)
        if gruppe is None:
            return None
        werte = [
            h.festgelegte_prioritaet
            for h in self.handlungsfelder
            if h.name in gruppe.handlungsfelder and h.festgelegte_prioritaet is not None
        ]
        return min(werte, default=None)

    @property
    def faktoren(self) -> dict[str, int]:
        return {k.name: k.faktor for k in self.kriterien}


# Loading --------------------------------------------------------------------------------------

_SAMMLUNG: ContextVar[list[Befund] | None] = ContextVar("stammdaten_warnungen", default=None)


@contextlib.contextmanager
def warnungen_sammeln() -> Iterator[list[Befund]]:
    """The Warnungen of all Stammdaten read inside the block, each once.

    `ikz init` and `ikz erzeugen` call a stage function that reads the Steuerungsmappe itself
    and returns no Stammdaten; their shell gathers what it must show this way instead of
    reading the file a second time.

    Example::

        with stammdaten.warnungen_sammeln() as warnungen:
            erzeugen.erzeugen(arbeitsbereich)
        for w in warnungen:
            print(w.meldung)
    """
    gesammelt: list[Befund] = []
    marke = _SAMMLUNG.set(gesammelt)
    try:
        yield gesammelt
    finally:
        _SAMMLUNG.reset(marke)


#: how the warnings about Prioritaet name the rebuild; the console adds the command to type
NEUAUFBAU = "'ikz init --ersetzen --stammdaten'"

_NEUAUFBAU: ContextVar[bool] = ContextVar("stammdaten_neuaufbau", default=False)


@contextlib.contextmanager
def fuer_neuaufbau() -> Iterator[None]:
    """Stammdaten read inside the block go into a new Steuerungsmappe ('ikz init').

    That Steuerungsmappe has a row on Prioritaet for every AG: 'ikz init --ersetzen
    --stammdaten', run because 'erzeugen' said a new AG had no row there, answered with the
    same warning and its own command as the remedy (new clerk probe). Inside the block that
    warning is left out; the rows whose inputs are not taken over are still named.
    """
    marke = _NEUAUFBAU.set(True)
    try:
        yield
    finally:
        _NEUAUFBAU.reset(marke)


def _warnungen_melden(st: Stammdaten) -> Stammdaten:
    """Read for a new Steuerungsmappe, what the rebuild leaves out or takes over unchecked
    (`Stammdaten.neuaufbau`): the other warnings are the old file's, and 'ikz init' shows the
    new one's, read after writing it."""
    gesammelt = _SAMMLUNG.get()
    if gesammelt is not None:
        neu = st.neuaufbau if _NEUAUFBAU.get() else st.warnungen
        gesammelt.extend(w for w in neu if w not in gesammelt)
    return st


def standard() -> Stammdaten:
    """The built-in Helmstedt 2012 programme of the seed paper."""
    datei = pfade.vorlagen() / STANDARD_DATEI
    with datei.open(encoding="utf-8") as f:
        daten = yaml.safe_load(f)
    return aus_rohtabellen(_rohtabellen_aus_daten(daten), datei.name)


def lesen(pfad: Path) -> Stammdaten:
    """Stammdaten from a Steuerungsmappe or a workbook of the same layout."""
    name = pfad.name
    if not pfad.exists():
        raise StammdatenFehler([_fehler(name, None, None, f"Die Datei {pfad} gibt es nicht.")])
    if pfad.suffix.lower() not in (".xlsx", ".xlsm"):
        raise StammdatenFehler(
            [
                _fehler(
                    name,
                    None,
                    None,
                    f"{name} ist keine Excel-Arbeitsmappe (.xlsx oder .xlsm). Bitte die "
                    "Stammdaten in "
                    "einer Mappe wie der Steuerungsmappe übergeben.",
                )
            ]
        )
    try:  # no rights, or a folder of that name: not a matter of passwords (review)
        with open(pfad, "rb"):
            pass
    except OSError as fehler:
        raise StammdatenFehler([_fehler(name, None, None, dateifehler(fehler) or "")]) from None
    mappe = definition.steuerungsmappe()
    frei = {t.name: t.reserve for _, t in mappe.tabellen if t.frei}
    try:
        paket = Paket(pfad.read_bytes())
        roh, _, blaetter = tabellen_lesen(paket, mit_unterhalb=frei)
    except (LeseFehler, KeineArbeitsmappe, OSError) as fehler:
        raise StammdatenFehler(
            [
                _fehler(
                    name,
                    None,
                    None,
                    f"{name} lässt sich nicht lesen: {_ohne_bitte(str(fehler))} Bitte die Mappe "
                    f"ohne Kennwort als .xlsm oder .xlsx speichern.{_juengste_sicherung(pfad)}",
                )
            ]
        ) from None
    namen = [b for b, _ in blaetter]
    neu_angelegt = None
    if _NEUAUFBAU.get() and PRIORITAET not in namen:
        neu_angelegt = _prioritaet_neu_anlegen(roh, pfad)
        namen.append(PRIORITAET)
    st = aus_rohtabellen(
        roh, name, namen, _druckbereiche(paket), tippjahre(paket.gespeichert_am()), pfad=pfad
    )
    if neu_angelegt is not None:
        st = replace(st, neuaufbau=(neu_angelegt, *st.neuaufbau))
        if (gesammelt := _SAMMLUNG.get()) is not None:
            gesammelt.insert(0, neu_angelegt)
    return st


#: the sheet of the Lenkungsgruppe's Faktoren and decisions: the one a rebuild may lay anew
PRIORITAET = "Prioritaet"


def _prioritaet_neu_anlegen(roh: dict[str, Rohtabelle], pfad: Path) -> Befund:
    """A deleted sheet Prioritaet, laid anew for 'ikz init --ersetzen --stammdaten': the
    Faktoren of the template, no decisions (each AG's row empty: the proposal counts). Every
    command, init too, stopped at "Das Blatt Prioritaet fehlt" and the team had no way out
    but retyping all Stammdaten into a new one (rest24). Its Stammdaten are on the other
    sheets and stay; what the Lenkungsgruppe had entered is gone with the sheet, so the
    warning says so and names the newest backup that still has it. Programm is not laid
    anew: it holds the programme's own Oberziele, Rahmenbedingungen and Phasen."""
    mappe = definition.steuerungsmappe()
    with (pfade.vorlagen() / STANDARD_DATEI).open(encoding="utf-8") as f:
        vorlage = _rohtabellen_aus_daten(yaml.safe_load(f))
    for blatt, tdef in mappe.tabellen:
        if blatt.name == PRIORITAET:
            roh[tdef.name] = (
                vorlage[tdef.name]
                if tdef.name == "tbl_Faktoren"
                else Rohtabelle(tdef.name, blatt.name, 1, 0, tdef.koepfe)
            )
    faktoren = ", ".join(f"{w[0]} {w[2]}" for _, w in vorlage["tbl_Faktoren"].zeilen)
    sicherung = _sicherung_mit_blatt(pfad, PRIORITAET)
    return Befund(
        pfad.name,
        None,
        PRIORITAET,
        None,
        None,
        None,
        Stufe.WARNUNG,
        Regel.STRUKTUR,
        f"{pfad.name}: Das Blatt {PRIORITAET} fehlte; es ist neu angelegt, mit den Faktoren der "
        f"Vorlage ({faktoren}) und ohne Entscheidungen der Lenkungsgruppe (leere Zeilen: der "
        "Vorschlag aus den Rückläufen gilt). Alle übrigen Stammdaten sind übernommen. Hatte die "
        "Lenkungsgruppe dort Faktoren oder Entscheidungen eingetragen, bitte sie neu eintragen"
        + (
            f" oder aus der Sicherung {sicherung[0]} (Stand {sicherung[1]}) übernehmen"
            if sicherung
            else ""
        )
        + ".",
    )


def _sicherung_mit_blatt(pfad: Path, blatt: str) -> tuple[str, str] | None:
    """The newest backup of the Steuerungsmappe that still has `blatt`, relative to its
    folder, and when it was made: with a sheet deleted, "eine Sicherung …, falls es eine
    gibt" left the team to open each one (rest24). `init --ersetzen` makes them, named by
    the time of the rebuild; the newest by that name, as `_juengste_sicherung` finds it."""
    import zipfile

    from defusedxml import ElementTree

    from ikz_excel.arbeitsbereich import SICHERUNG_MUSTER, SICHERUNGEN

    ordner = pfad.parent
    try:
        gefunden = [
            *ordner.glob(f"{SICHERUNGEN}/{SICHERUNG_MUSTER}"),
            *ordner.glob(SICHERUNG_MUSTER),
        ]
    except OSError:
        return None
    for sicherung in sorted(
        gefunden, key=lambda p: (p.name, p.parent.name == SICHERUNGEN), reverse=True
    ):
        try:
            with zipfile.ZipFile(sicherung) as z:
                wurzel = ElementTree.fromstring(z.read("xl/workbook.xml"))
        except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
            continue  # an unreadable backup is no way out: the next one
        namen = {e.get("name") for e in wurzel.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"}
        if blatt in namen:
            treffer = re.search(r"(\d{4})-(\d\d)-(\d\d)_(\d\d)(\d\d)", sicherung.name)
            stand = (
                f"{treffer[3]}.{treffer[2]}.{treffer[1]}, {treffer[4]}:{treffer[5]} Uhr"
                if treffer
                else datetime.fromtimestamp(sicherung.stat().st_mtime).strftime(
                    "%d.%m.%Y, %H:%M Uhr"
                )
            )
            return sicherung.relative_to(ordner).as_posix(), stand
    return None


def _juengste_sicherung(pfad: Path) -> str:
    """The sentence naming the newest backup of an earlier version beside `pfad`, if any.

    `init --ersetzen` keeps them in sicherungen/ since round 21; earlier versions left them
    beside the Steuerungsmappe, where an Arbeitsbereich not rebuilt since still has them, and
    "im Ordner sicherungen/" sent the user to a folder that was not there. Named as found,
    relative to the Steuerungsmappe's folder; the newest by the date in its name (a copy
    keeps the replaced file's modification time)."""
    from ikz_excel.arbeitsbereich import SICHERUNG_MUSTER, SICHERUNGEN

    ordner = pfad.parent
    try:
        gefunden = [
            *ordner.glob(f"{SICHERUNGEN}/{SICHERUNG_MUSTER}"),
            *ordner.glob(SICHERUNG_MUSTER),
        ]
    except OSError:
        return ""
    if not gefunden:
        return ""
    juengste = max(gefunden, key=lambda p: (p.name, p.parent.name == SICHERUNGEN))
    return (
        " Eine frühere Fassung ist gesichert als "
        f"{juengste.relative_to(ordner).as_posix()} (im Ordner {ordner})."
    )


def _blatt_fehlt(dateiname: str, blatt: str, pfad: Path | None) -> str:
    """A deleted sheet of the Steuerungsmappe, with a way out that works: "Bitte die Vorlage
    verwenden (ikz init)" was a dead end, 'ikz init --ersetzen --stammdaten' stopped at the
    missing sheet too (rest24). Prioritaet that command lays anew; any sheet can be copied
    back from the newest backup that still has it (`_sicherung_mit_blatt`)."""
    from ikz_excel.arbeitsbereich import befehlszeilenpfad

    sicherung = _sicherung_mit_blatt(pfad, blatt) if pfad is not None else None
    satz = f"{dateiname}: Das Blatt {blatt} fehlt."
    if sicherung:
        satz += (
            f" Die jüngste Sicherung, die es noch hat, ist {sicherung[0]} (Stand "
            f"{sicherung[1]}, im Ordner {pfad.parent if pfad else ''}). Daraus das Blatt in "
            f"diese Mappe kopieren (in Excel Rechtsklick auf den Reiter {blatt} > 'Verschieben "
            "oder kopieren', 'Kopie erstellen') oder die Sicherung an die Stelle der "
            f"{dateiname} kopieren; dann eintragen, was seit der Sicherung geändert wurde."
        )
    if blatt == PRIORITAET and pfad is not None:
        befehl = (
            f"ikz init --arbeitsbereich {befehlszeilenpfad(pfad.parent)} --ersetzen "
            f"--stammdaten {befehlszeilenpfad(pfad)}"
        )
        satz += (
            f" {'Oder neu' if sicherung else 'Neu'} anlegen, mit den Faktoren der Vorlage und "
            f"ohne Entscheidungen der Lenkungsgruppe (alle übrigen Stammdaten bleiben, die "
            f"bisherige Mappe wird gesichert): '{befehl}'."
        )
    elif not sicherung:
        satz += (
            " Eine Sicherung mit diesem Blatt gibt es nicht (sicherungen/ legt 'ikz init "
            "--ersetzen' an). Bitte es aus einer neuen Steuerungsmappe ('ikz init "
            "--arbeitsbereich' mit einem neuen Ordner) mit Rechtsklick auf den Reiter > "
            "'Verschieben oder kopieren' in diese kopieren und dort die Angaben des eigenen "
            "Programms eintragen."
        )
    return satz


def _ohne_bitte(grund: str) -> str:
    """The reader's reason without its advice, which speaks to an AG returning a workbook."""
    satz = grund.split(" Bitte ", 1)[0].strip()
    return satz if satz.endswith((".", "!", "?")) else f"{satz}."


def _fehler(datei: str, blatt: str | None, adresse: str | None, meldung: str) -> Befund:
    return Befund(datei, None, blatt, adresse, None, None, Stufe.FEHLER, Regel.STRUKTUR, meldung)


def _rohtabellen_aus_daten(daten: dict[str, list[dict[str, Any]]]) -> dict[str, Rohtabelle]:
    """Lay YAML rows out as if they stood in a sheet, so messages can still name a row."""
    mappe = definition.steuerungsmappe()
    roh = {}
    for blatt, tdef in mappe.tabellen:
        if tdef.name not in daten:
            continue
        r = Rohtabelle(tdef.name, blatt.name, 1, 0, tdef.koepfe)
        for i, zeile in enumerate(daten[tdef.name] or [], start=2):
            r.zeilen.append((i, tuple(zeile.get(k) for k in tdef.koepfe)))
        roh[tdef.name] = r
    return roh


def aus_rohtabellen(
    roh: dict[str, Rohtabelle],
    dateiname: str,
    blaetter: Collection[str] | None = None,
    druckbereiche: Mapping[str, int] | None = None,
    jahre: frozenset[int] = frozenset(),
    pfad: Path | None = None,
) -> Stammdaten:
    """`blaetter`, the sheets the file has: a missing table of a missing sheet is named as
    such ("Auf dem Blatt Kommunen fehlt die Tabelle" read as if the sheet were there).
    `druckbereiche`, the last row of each sheet's print area (`_druckbereiche`): entries
    below it are a Warnung (`_nicht_gedruckt`). `jahre`: the years the file was typed in
    (`einlesen.tippjahre`), which a date typed without its year got."""
    mappe = definition.steuerungsmappe()
    befunde: list[Befund] = []
    fehlen = [blatt.name for blatt, tdef in mappe.tabellen if tdef.name not in roh]
    if len(fehlen) > len(mappe.tabellen) / 2:
        # One clear sentence instead of one finding per missing table.
        raise StammdatenFehler(
            [
                _fehler(
                    dateiname,
                    None,
                    None,
                    f"{dateiname} ist keine Steuerungsmappe: die Tabellen der Blätter "
                    f"{', '.join(dict.fromkeys(fehlen))} fehlen. Ist es die Arbeitsmappe einer "
                    "Arbeitsgruppe? Bitte die Steuerungsmappe angeben (Steuerungsmappe.xlsm im "
                    "Arbeitsbereich, oder eine mit 'ikz init' angelegte Kopie).",
                )
            ]
        )
    genannt: set[str] = set()  # a missing sheet once, not once for each of its tables
    for blatt, tdef in mappe.tabellen:
        if tdef.name not in roh:
            tabelle = f"die Tabelle „{tdef.titel}“" if tdef.titel else "die Eingabetabelle"
            if blaetter is not None and blatt.name not in blaetter:
                if blatt.name in genannt:
                    # Prioritaet holds two tables, Programm three: the deleted sheet was
                    # named two or three times, word for word (session 24)
                    continue
                genannt.add(blatt.name)
                meldung = _blatt_fehlt(dateiname, blatt.name, pfad)
            else:
                meldung = (
                    f"{dateiname}: Auf dem Blatt {blatt.name} fehlt {tabelle}. Bitte die "
                    "Vorlage der Steuerungsmappe verwenden (ikz init)."
                )
            befunde.append(_fehler(dateiname, blatt.name, None, meldung))
            continue
        fehlend = [k for k in tdef.koepfe if k not in roh[tdef.name].koepfe]
        if fehlend:
            # what stands there instead, as it looks (review: "Partnerkommunen " with a space
            # was only "missing", though the sheet shows it)
            fremd = [k for k in roh[tdef.name].koepfe if k not in tdef.koepfe]
            statt = ", ".join(
                name_mit_unterschied(
                    f, next((k for k in fehlend if vergleichbar(k) == vergleichbar(f)), fehlend[0])
                )
                for f in fremd
            )
            befunde.append(
                _fehler(
                    dateiname,
                    roh[tdef.name].blatt,
                    None,
                    f"{dateiname}: In der Tabelle auf dem Blatt {roh[tdef.name].blatt} fehlt "
                    f"die Spalte {', '.join(repr(f) for f in fehlend)}"
                    + (f" (stattdessen gefunden: {statt})" if fremd else "")
                    + ". Bitte die Überschrift wiederherstellen.",
                )
            )
    if befunde:
        raise StammdatenFehler(befunde)

    # The phases are needed to check the milestones: read them first.
    kontext = Kontext(
        listen=dict(mappe.listen),
        parameter={},
        dateien=[Datei(dateiname, tippjahre=jahre)],
        parameter_blatt=roh["tbl_Parameter"].blatt,
    )
    gelesen: dict[str, Gelesen] = {}
    for name in ["tbl_Parameter", "tbl_Phasen"] + [
        t.name for _, t in mappe.tabellen if t.name not in ("tbl_Parameter", "tbl_Phasen")
    ]:
        tdef = mappe.tabelle(name)
        if name == "tbl_Meilensteine":
            kontext.listen = {
                **kontext.listen,
                "phasen": tuple(w["Phase"] for _, w in gelesen["tbl_Phasen"].zeilen if w["Phase"]),
            }
        g, b = umwandeln_tabelle(tdef, roh[name], 0, kontext)
        befunde += b
        befunde += ausserhalb_pruefen(tdef, roh[name], 0, kontext)
        befunde += pandera_pruefen([g], kontext)
        befunde += _gleich_aussehend(g, kontext)
        gelesen[name] = g
        if name == "tbl_Parameter":  # the limits `$Programmbeginn` … of the tables after it
            # a row deleted or renamed is a Fehler of its own: no limit then, no KeyError
            kontext.parameter = {
                **dict.fromkeys(("Programmbeginn", "Programmende")),
                **{k: w for k, (_z, w) in g.zeilen_nach_schluessel.items()},
            }
            beginn, ende = (kontext.parameter.get(k) for k in ("Programmbeginn", "Programmende"))
            if beginn and ende and ende <= beginn:  # one Fehler there, not one at every date
                kontext.parameter.update(Programmbeginn=None, Programmende=None)
    befunde += pflicht_wenn_pruefen(gelesen.values(), kontext)
    befunde = _termine_vor_dem_beginn(gelesen, kontext, befunde)
    fehler = [b for b in befunde if b.stufe is Stufe.FEHLER]
    if fehler:
        raise StammdatenFehler(fehler + _weitere_fehler(gelesen, dateiname, kontext, fehler))
    st = _bauen(gelesen, dateiname, kontext)
    if druckbereiche:
        st = replace(st, warnungen=st.warnungen + _nicht_gedruckt(roh, dateiname, druckbereiche))
    return _warnungen_melden(st)


#: the dates of the Steuerungsmappe that lie within the Programmlaufzeit, and their names
TERMINE = (
    ("tbl_Arbeitsgruppen", "Abgabetermin", "die Abgabetermine"),
    ("tbl_Meilensteine", "Termin", "die Termine der Meilensteine"),
)


def _termine_vor_dem_beginn(
    gelesen: Mapping[str, Gelesen], kontext: Kontext, befunde: list[Befund]
) -> list[Befund]:
    """All dates of the Steuerungsmappe (`TERMINE`, two or more) before the Programmbeginn:
    one Fehler at the Programmbeginn that names their cells and what to do, instead of one
    per cell. A new programme typed over the example with its new Laufzeit got eighteen times
    "30.11.2012 liegt außerhalb des erlaubten Bereichs … Bitte korrigieren." and no word that
    every date was still the example's; only the README warned (round 21). A single date
    before it keeps its own Fehler: that one is a typo, not a programme left behind."""
    beginn, ende = (kontext.parameter.get(k) for k in ("Programmbeginn", "Programmende"))
    parameter = gelesen.get("tbl_Parameter")
    if not isinstance(beginn, date) or not isinstance(ende, date) or parameter is None:
        return befunde
    if "Programmbeginn" not in parameter.zeilen_nach_schluessel:
        return befunde
    termine: list[tuple[str, str, str, date]] = []  # (what, sheet, cell, date)
    for name, kopf, was in TERMINE:
        if (g := gelesen.get(name)) is not None:
            termine += [
                (was, g.roh.blatt, g.adresse(z, kopf), w[kopf])
                for z, w in g.zeilen
                if isinstance(w.get(kopf), date)
            ]
    if len(termine) < 2 or any(t >= beginn for *_, t in termine):
        return befunde
    zellen = {(blatt, adresse) for _, blatt, adresse, _ in termine}
    bleiben = [
        b for b in befunde if not (b.regel is Regel.BEREICH and (b.blatt, b.zelle) in zellen)
    ]
    genannt = [
        f"{was} ({_zellbereich([(b, a) for w, b, a, _ in termine if w == was])})"
        for was in dict.fromkeys(w for w, *_ in termine)
    ]
    zeile = parameter.zeilen_nach_schluessel["Programmbeginn"][0]
    adresse = parameter.adresse(zeile, "Wert")
    daten = [t for *_, t in termine]
    meldung = (
        f"{parameter.roh.blatt}!{adresse} (Programmbeginn): Alle Termine der Steuerungsmappe "
        f"liegen vor dem Programmbeginn {beginn:%d.%m.%Y}: {' und '.join(genannt)}, vom "
        f"{min(daten):%d.%m.%Y} bis {max(daten):%d.%m.%Y}. Vermutlich stehen dort noch die des "
        "Beispielprogramms oder eines früheren Programms. Bitte die Termine des neuen Programms "
        f"eintragen (vom {beginn:%d.%m.%Y} bis {ende:%d.%m.%Y}); stimmt der Programmbeginn "
        "nicht, ihn hier korrigieren."
    )
    return [
        befund(
            kontext,
            0,
            parameter.roh.blatt,
            adresse,
            "Wert",
            beginn,
            Stufe.FEHLER,
            Regel.BEREICH,
            meldung,
        ),
        *bleiben,
    ]


def _zellbereich(zellen: list[tuple[str, str]]) -> str:
    """Cells of one column for a message: "Arbeitsgruppen!F4 bis F13" when they follow each
    other, else the first few and "und N weitere"."""
    from ikz_excel.einlesen import adresse_zerlegen

    blatt = zellen[0][0]
    teile = [adresse_zerlegen(a) for b, a in zellen if b == blatt]
    zeilen = [z for z, _ in teile]
    if len({s for _, s in teile}) == 1 and zeilen == list(
        range(zeilen[0], zeilen[0] + len(zeilen))
    ):
        erste, letzte = zellen[0][1], zellen[-1][1]
        return f"{blatt}!{erste}" + (f" bis {letzte}" if len(zellen) > 1 else "")
    namen = [a for _, a in zellen]
    return f"{blatt}!{', '.join(namen[:5])}" + (
        f" und {len(namen) - 5} weitere" if len(namen) > 5 else ""
    )


def _druckbereiche(paket: Paket) -> dict[str, int]:
    """The last row (1-based) of each sheet's print area; empty where the file has none (a
    Steuerungsmappe written before session 20 printed every row)."""
    bereiche = {}
    for blatt, bezug in paket.druckbereiche.items():
        if zeilen := [int(z) for z in _ZEILE_IM_BEZUG.findall(bezug)]:
            bereiche[blatt] = max(zeilen)
    return bereiche


#: the row of a cell in a reference such as 'Kommunen'!$A$1:$F$17
_ZEILE_IM_BEZUG = re.compile(r"\$?[A-Z]{1,3}\$?(\d+)\b")


def _nicht_gedruckt(
    roh: Mapping[str, Rohtabelle], dateiname: str, druckbereiche: Mapping[str, int]
) -> tuple[Befund, ...]:
    """A Warnung for each table with entries below its sheet's print area.

    The print area is fixed when the Steuerungsmappe is written: down to the last entry and
    three empty rows (print review 20). The Steuerungsgruppe then types its own programme
    over the example, with more Kommunen or Arbeitsgruppen than the example's ten: printed,
    the rows below simply were not there, and nothing on paper said so (review 20)."""
    befunde = []
    for _, tdef in definition.steuerungsmappe().tabellen:
        t = roh.get(tdef.name)
        if t is None or t.blatt not in druckbereiche or not tdef.frei:
            continue
        eingaben = [t.koepfe.index(s.kopf) for s in tdef.spalten if s.kopf in t.koepfe]
        unter = [
            z
            for z, werte in t.zeilen
            if z > druckbereiche[t.blatt] and any(not ist_leer(werte[i]) for i in eingaben)
        ]
        if not unter:
            continue
        adresse = t.zelle(unter[0], t.koepfe[0])
        befunde.append(
            Befund(
                dateiname,
                None,
                t.blatt,
                adresse,
                None,
                None,
                Stufe.WARNUNG,
                Regel.STRUKTUR,
                f"{dateiname}, {t.blatt}!{adresse}: "
                + (
                    "Diese Zeile druckt"
                    if len(unter) == 1
                    else f"Diese Zeile und {len(unter) - 1} weitere darunter drucken"
                )
                + f" nicht mit: Der Druckbereich des Blatts endet mit Zeile "
                f"{druckbereiche[t.blatt]} (beim Schreiben der Mappe festgelegt). Bitte den "
                "Druckbereich neu festlegen (Excel: Seitenlayout → Druckbereich; LibreOffice: "
                f"Format → Druckbereiche) oder die Mappe mit {NEUAUFBAU} neu aufbauen (alle "
                "Eingaben bleiben).",
            )
        )
    return tuple(befunde)


def _gleich_aussehend(g: Gelesen, kontext: Kontext) -> list[Befund]:
    """Names that must be unique and look the same on screen, but differ in what the eye does
    not see: a protected space or a double space from a pasted list, another dash.

    The check of unique columns compares case and outer spaces only; "Stadt Elze" beside
    "Stadt Elze" with a protected space on Kommunen made two Kommunen, both partners of one
    AG, two rows of the same name in its Kostenausgleich (new programme probe). Only what that
    check lets pass is named here, once, at the later cell.
    """
    befunde = []
    for spalte in g.tabelle.spalten:
        if not spalte.eindeutig:
            continue
        erste: dict[str, tuple[int, str]] = {}
        for zeile, werte in g.zeilen:
            wert = werte.get(spalte.kopf)
            if not isinstance(wert, str) or not wert.strip():
                continue
            schluessel = _locker(wert)
            if schluessel not in erste:
                erste[schluessel] = (zeile, wert)
                continue
            z, frueher = erste[schluessel]
            if frueher.casefold().strip() == wert.casefold().strip():
                continue  # said by the check of unique columns
            adresse, dort = g.adresse(zeile, spalte.kopf), g.adresse(z, spalte.kopf)
            befunde.append(
                befund(
                    kontext,
                    0,
                    g.roh.blatt,
                    adresse,
                    spalte.kopf,
                    wert,
                    Stufe.FEHLER,
                    Regel.EINDEUTIG,
                    f"{g.roh.blatt}!{adresse} ({spalte.kopf}): {zitat(wert)} ist derselbe Name "
                    f"wie {zitat(frueher)} in {g.roh.blatt}!{dort}, bis auf "
                    f"{_unterschied(wert, frueher)}. Jeder Eintrag darf nur einmal vorkommen: "
                    "bitte eine der Zeilen löschen, oder, sind es zwei verschiedene, sie "
                    "unterscheidbar benennen.",
                )
            )
    return befunde


def _unterschied(a: str, b: str) -> str:
    """What two names that look alike differ in, as a clerk can find it in the cell."""
    teile = []
    if any(z in a + b for z in "\u00a0\u202f\u2009\u2007"):
        teile.append("ein geschütztes Leerzeichen (etwa aus einer kopierten Liste)")
    if any(z in a + b for z in "\u200b\u2060\ufeff\u00ad"):
        teile.append("ein unsichtbares Zeichen")
    if "  " in a.strip() or "  " in b.strip():
        teile.append("ein doppeltes Leerzeichen")
    if vergleichbar(a) != vergleichbar(b) or any(z in a + b for z in "‐‑‒–—―−"):
        teile.append("Striche (Bindestrich, Gedankenstrich oder Leerzeichen)")
    striche = str.maketrans(dict.fromkeys("‐‑‒–—―−-", " "))
    ohne = [" ".join(sichtbar(t).translate(striche).split()) for t in (a, b)]
    if ohne[0] != ohne[1]:  # they are equal but for case
        teile.append("Groß-/Kleinschreibung")
    if not teile:
        return "Leerzeichen oder Striche"
    return ", ".join(teile[:-1]) + " und " + teile[-1] if len(teile) > 1 else teile[0]


def _weitere_fehler(
    gelesen: dict[str, Gelesen], dateiname: str, kontext: Kontext, fehler: list[Befund]
) -> list[Befund]:
    """The Fehler across tables (a partner not on Kommunen, a cell of only separators) beside
    those of single cells: they came one round later, and six mistakes took three runs to
    see (README walk-through). Cells already named are not named twice; should the rules
    across tables trip over a value found wrong, the cells' Fehler stand alone."""
    try:
        _bauen(gelesen, dateiname, kontext)
    except StammdatenFehler as weitere:
        schon = {(b.blatt, b.zelle) for b in fehler if b.zelle}
        return [b for b in weitere.befunde if not b.zelle or (b.blatt, b.zelle) not in schon]
    except Exception:  # a value found wrong above, computed with
        return []
    return []


def _bauen(gelesen: dict[str, Gelesen], dateiname: str, kontext: Kontext) -> Stammdaten:
    def zeilen(name: str) -> list[dict[str, Any]]:
        return [w for _, w in gelesen[name].zeilen]

    befunde: list[Befund] = []

    def melden(
        stufe: Stufe, name: str, zeile: int | None, kopf: str | None, meldung: str, wert: Any
    ) -> None:
        g = gelesen[name]
        adresse = g.adresse(zeile, kopf) if zeile and kopf else None
        ort = f"{g.roh.blatt}!{adresse}" if adresse else g.roh.blatt
        befunde.append(
            befund(
                kontext,
                0,
                g.roh.blatt,
                adresse,
                kopf,
                wert,
                stufe,
                Regel.STRUKTUR,
                f"{dateiname}, {ort}: {meldung}",
            )
        )

    def fehler(name: str, zeile: int | None, kopf: str | None, meldung: str) -> None:
        melden(Stufe.FEHLER, name, zeile, kopf, meldung, None)

    # as the sheets are called in this file: its tables are found by name, also on a sheet
    # renamed in Excel ("Kommunen 2026"), and a message must send the clerk there (probe)
    blatt = {name: g.roh.blatt for name, g in gelesen.items()}
    param = {k: w for k, (_z, w) in gelesen["tbl_Parameter"].zeilen_nach_schluessel.items()}
    param_zeilen = {w["Parameter"]: w for w in zeilen("tbl_Parameter")}
    kommunen = tuple(
        Kommune(
            w["Kommune"],
            w["Art"],
            w["Einwohner"],
            w["Stand"],
            w["Quelle"] or "",
            w["Mitgliedsgemeinden"] or "",
        )
        for w in zeilen("tbl_Kommunen")
    )
    namen = {k.name for k in kommunen}
    handlungsfelder = tuple(
        Handlungsfeld(
            w["Handlungsfeld"],
            w["Nr"],
            w["Aufgabengruppe"] or "",
            w["Potenzielle Teilnehmer"] or "",
            w["Modus"] or "",
            w["Höchste Priorität"] == "ja",
            w["Festgelegte Priorität"],
        )
        for w in zeilen("tbl_Handlungsfelder")
    )
    felder = {h.name for h in handlungsfelder}
    arbeitsgruppen = []
    bearbeitet: dict[str, list[tuple[str, int]]] = {}  # Handlungsfeld -> (AG, row) naming it
    unbekannt: dict[str, list[tuple[str, int]]] = {}  # partner not on Kommunen -> (AG, row)
    for zeile, w in gelesen["tbl_Arbeitsgruppen"].zeilen:
        partner = _liste(w["Partnerkommunen"])
        if not partner:  # a cell of only separators passed as filled (review)
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Partnerkommunen",
                f"{w['AG']} nennt keine Partnerkommune. Bitte die Partnerkommunen eintragen, "
                f"genau wie auf dem Blatt {blatt['tbl_Kommunen']}, getrennt durch Semikolon.",
            )
        for p in partner:
            if p not in namen:
                unbekannt.setdefault(p, []).append((w["AG"], zeile))
        if len(set(partner)) != len(partner):
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Partnerkommunen",
                f"{w['AG']} nennt eine Partnerkommune doppelt.",
            )
        if len(set(partner)) == 1:  # a forgotten semicolon list; no cooperation to split
            melden(
                Stufe.WARNUNG,
                "tbl_Arbeitsgruppen",
                zeile,
                "Partnerkommunen",
                f"{w['AG']} nennt nur eine Partnerkommune ({zitat(partner[0])}): Ihr "
                "Kostenausgleich hat eine Zeile, sie trägt alle Kosten und erhält allen Nutzen. "
                "Fehlen Partner, bitte ergänzen, getrennt durch Semikolon.",
                w["Partnerkommunen"],
            )
        eigene = _handlungsfelder(w["Handlungsfeld"], felder)
        if not eigene and w["Handlungsfeld"]:  # only separators
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Handlungsfeld",
                f"{w['AG']} nennt kein Handlungsfeld. Bitte das Handlungsfeld genau wie auf dem "
                f"Blatt {blatt['tbl_Handlungsfelder']} eintragen.",
            )
        for h in eigene:
            if h not in felder:
                fehler(
                    "tbl_Arbeitsgruppen",
                    zeile,
                    "Handlungsfeld",
                    f"Das Handlungsfeld {zitat(h)} von {w['AG']} steht nicht auf dem Blatt "
                    f"{blatt['tbl_Handlungsfelder']}. "
                    + _vielleicht(h, gelesen["tbl_Handlungsfelder"], "Handlungsfeld")
                    + " Bearbeitet die AG mehrere Handlungsfelder, diese durch Semikolon "
                    "trennen.",
                )
        for h in dict.fromkeys(eigene):
            bearbeitet.setdefault(h, []).append((w["AG"], zeile))
        for h in [h for h, n in Counter(eigene).items() if n > 1]:
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Handlungsfeld",
                f"{w['AG']} nennt das Handlungsfeld {h!r} doppelt. Bitte einmal streichen.",
            )
        arbeitsgruppen.append(
            Arbeitsgruppe(
                w["AG"],
                w["Bezeichnung"],
                eigene[0] if eigene else "",
                partner,
                w["Abgabetermin"],
                w["Projektauftrag"],
                w["Projektbeauftragte(r)"] or "",
                eigene[1:],
            )
        )
    # Once per name, at its first cell: a Kommune misspelt on Kommunen made ten Fehler, one
    # per AG naming it correctly (review).
    tabelle = gelesen["tbl_Arbeitsgruppen"]
    for p, wer in unbekannt.items():
        weitere = ", ".join(
            f"{ag} ({tabelle.adresse(z, 'Partnerkommunen')})" for ag, z in wer[1:4]
        ) + (f" und {len(wer) - 4} weiteren" if len(wer) > 4 else "")
        fehler(
            "tbl_Arbeitsgruppen",
            wer[0][1],
            "Partnerkommunen",
            f"Die Partnerkommune {zitat(p)} von {wer[0][0]}"
            + (f" (ebenso bei {weitere})" if weitere else "")
            + f" steht nicht auf dem Blatt {blatt['tbl_Kommunen']}. "
            + _was_gemeint(
                p, namen, gelesen["tbl_Kommunen"], "Kommune", kontext.listen.get("kommunenart", ())
            ),
        )
    if not arbeitsgruppen:
        fehler("tbl_Arbeitsgruppen", None, None, "Es ist keine Arbeitsgruppe eingetragen.")
    for h, wer in bearbeitet.items():
        if len(wer) > 1:  # once per field, at the second AG naming it
            melden(
                Stufe.WARNUNG,
                "tbl_Arbeitsgruppen",
                wer[1][1],
                "Handlungsfeld",
                _mehrfach_bearbeitet(h, wer, gelesen["tbl_Arbeitsgruppen"]),
                h,
            )
    kriterien = []
    for zeile, w in gelesen["tbl_Faktoren"].zeilen:
        if w["Kriterium"] not in KRITERIEN:
            fehler(
                "tbl_Faktoren",
                zeile,
                "Kriterium",
                f"Unbekanntes Kriterium {w['Kriterium']!r}. Erlaubt: {', '.join(KRITERIEN)}.",
            )
        kriterien.append(Kriterium(w["Kriterium"], w["Faktor"], w["Bedeutung"] or ""))
    fehlende = [k for k in KRITERIEN if k not in {k.name for k in kriterien}]
    faktoren = gelesen["tbl_Faktoren"]
    # A row whose Faktor was emptied counts as empty and is gone from the rows read; it still
    # stands on the sheet, and its cell is what to name (review).
    stehen = {
        str(werte[0]).strip(): zeile for zeile, werte in faktoren.roh.zeilen if werte and werte[0]
    }
    for k in [k for k in fehlende if k in stehen]:
        fehler(
            "tbl_Faktoren",
            stehen[k],
            "Faktor",
            f"Der Faktor für {k!r} fehlt. Bitte 3, 2 oder 1 eintragen.",
        )
    if fehlende := [k for k in fehlende if k not in stehen]:
        fehler(
            "tbl_Faktoren",
            None,
            None,
            f"Es fehlen die Kriterien {', '.join(fehlende)}. Jedes braucht einen Faktor.",
        )
    ags = {a.kuerzel for a in arbeitsgruppen}
    prioritaet = gelesen["tbl_Prioritaet"]
    # "AG-01" retyped as "ag-01" on Arbeitsgruppen is the same AG (`kuerzel_jetzt`): the
    # LG's decisions in its row keep counting, under the Kürzel as it is now
    klein = {k.casefold(): k for k in ags}
    for _, w in prioritaet.zeilen:
        if isinstance(w["AG"], str) and w["AG"] not in ags and w["AG"].casefold() in klein:
            w["AG"] = klein[w["AG"].casefold()]
    # A row whose AG was renamed or deleted on Arbeitsgruppen must not stop every command
    # (the README sends the user to 'ikz init --ersetzen' after a rename, which would refuse
    # too). It does not count, and leaves `tabellen` too, from which init writes the new
    # Steuerungsmappe with one row per AG; the warning says what it held.
    verwaist = [(z, w) for z, w in prioritaet.zeilen if w["AG"] not in ags]
    prioritaet.zeilen = [(z, w) for z, w in prioritaet.zeilen if w["AG"] in ags]
    # The example's decisions under a Kürzel the own programme reuses (AG-01 …): they counted
    # for the own AG, and 'init --ersetzen' kept them (new clerk probe). Left out like the rows
    # of a gone AG, so init writes these rows empty.
    reste, fraglich = _entscheidungen_des_beispiels(
        prioritaet.zeilen,
        [
            dict(zip(prioritaet.roh.koepfe, werte, strict=False))
            for _, werte in prioritaet.roh.zeilen
        ],
        arbeitsgruppen,
        {k.name for k in kommunen},
    )
    prioritaet.zeilen = [(z, w) for z, w in prioritaet.zeilen if all(w is not r for _, r in reste)]
    mit_eingaben = {w["AG"] for _, w in prioritaet.zeilen}
    # An AG added on Arbeitsgruppen has no row here (the table has no reserve rows): the LG
    # found out only when it wanted to type its points (lifecycle probe).
    spalte = prioritaet.roh.koepfe.index("AG") if "AG" in prioritaet.roh.koepfe else 0
    mit_zeile = {
        str(werte[spalte]).strip()
        for _, werte in prioritaet.roh.zeilen
        if len(werte) > spalte and werte[spalte]
    } | {w["AG"] for _, w in prioritaet.zeilen}
    ohne_zeile_gesagt = False
    neuaufbau = _NEUAUFBAU.get()
    vor_prioritaet = len(befunde)
    if (
        len(verwaist) + len(reste) > 1
        and not (mit_zeile - {w["AG"] for _, w in reste}) & ags
        and not any(_kandidaten(w, arbeitsgruppen, mit_eingaben) for _, w in verwaist)
    ):
        # A new programme typed over the example, before 'init --ersetzen': one warning for
        # all rows of the example, not seven long ones in every run (new programme probe).
        alte = [
            str(werte[spalte]).strip()
            for _, werte in prioritaet.roh.zeilen
            if len(werte) > spalte and werte[spalte]
        ]
        genannt = ", ".join(alte) if len(alte) <= 4 else f"{alte[0]} bis {alte[-1]}"
        erste, erste_werte = min(verwaist + reste, key=lambda zw: zw[0])
        gleich = [w["AG"] for _, w in reste]
        auch = ""
        if gleich:
            welche = (
                ("Diese Zeile gehörte" if len(gleich) == 1 else "Diese Zeilen gehörten")
                if neuaufbau
                else ("Diese Zeile gehört" if len(gleich) == 1 else "Diese Zeilen gehören")
            )
            auch = (
                f" – auch die in {_aufzaehlung(gleich)} nicht: {welche} noch zu den "
                "gleichnamigen Arbeitsgruppen des Beispiels (siehe Spalte Handlungsfeld)"
            )
        ags_text = (
            f"{_aufzaehlung([a.kuerzel for a in arbeitsgruppen])} "
            f"{'hat' if len(arbeitsgruppen) == 1 else 'haben'} keine"
        )
        anzahl, ab = len(verwaist) + len(reste), prioritaet.adresse(erste, "AG")
        if neuaufbau:
            # said by 'ikz init', which has just done what the warning advises
            meldung = (
                "Keine Zeile dieses Blatts gehörte zu einer Arbeitsgruppe des Blatts "
                f"{blatt['tbl_Arbeitsgruppen']} ({ags_text}): Hier standen noch die Zeilen von "
                f"{genannt}, etwa aus dem Beispielprogramm. Die Eingaben in {anzahl} davon (ab "
                f"{ab}) sind nicht in die neue Steuerungsmappe übernommen{auch}. Die neue hat "
                "eine Zeile je Arbeitsgruppe."
            )
        else:
            meldung = (
                "Keine Zeile dieses Blatts gehört zu einer Arbeitsgruppe des Blatts "
                f"{blatt['tbl_Arbeitsgruppen']} ({ags_text}): "
                f"Hier stehen noch die Zeilen von {genannt}, etwa aus dem Beispielprogramm; die "
                f"Eingaben in {anzahl} davon (ab {ab}) zählen nicht{auch}. 'ikz init --ersetzen "
                "--stammdaten' mit dieser Mappe legt eine Zeile je Arbeitsgruppe an und lässt "
                "diese Eingaben weg (alle anderen Eingaben bleiben)."
            )
        melden(Stufe.WARNUNG, "tbl_Prioritaet", erste, "AG", meldung, erste_werte["AG"])
        verwaist, reste, ohne_zeile_gesagt = [], [], True
    for zeile, w in fraglich:
        meldung = _vielleicht_des_beispiels(w, arbeitsgruppen, neuaufbau)
        melden(Stufe.WARNUNG, "tbl_Prioritaet", zeile, "Festgelegte Priorität", meldung, w["AG"])
    for zeile, w in reste:
        melden(
            Stufe.WARNUNG,
            "tbl_Prioritaet",
            zeile,
            "AG",
            _rest_des_beispiels(w, arbeitsgruppen, neuaufbau),
            w["AG"],
        )
    for zeile, w in verwaist:
        meldung = _verwaiste_zeile(
            w, arbeitsgruppen, mit_eingaben, blatt["tbl_Arbeitsgruppen"], neuaufbau
        )
        melden(Stufe.WARNUNG, "tbl_Prioritaet", zeile, "AG", meldung, w["AG"])
    # what the rebuild leaves out or takes over goes apart: the other warnings of the old
    # Steuerungsmappe are not shown by init, the new one's are (klein18)
    uebergang: list[Befund] = []
    if neuaufbau:
        uebergang, befunde[vor_prioritaet:] = befunde[vor_prioritaet:], []
    ohne = [a.kuerzel for a in arbeitsgruppen if a.kuerzel not in mit_zeile]
    # else said above, with this advice; a new Steuerungsmappe gets the rows
    if ohne and not verwaist and not ohne_zeile_gesagt and not _NEUAUFBAU.get():
        melden(
            Stufe.WARNUNG,
            "tbl_Prioritaet",
            None,
            None,
            f"Für {', '.join(ohne)} gibt es auf dem Blatt {blatt['tbl_Prioritaet']} keine Zeile: "
            "Punkte oder eine festgelegte Priorität der Lenkungsgruppe lassen sich dort erst "
            "eintragen, wenn 'ikz init --ersetzen --stammdaten' die Steuerungsmappe mit einer "
            "Zeile je Arbeitsgruppe neu geschrieben hat (alle Eingaben bleiben).",
            None,
        )
    entscheidungen = [
        Entscheidung(
            w["AG"],
            {k: w.get(k) for k in KRITERIEN},
            w["Festgelegte Priorität"],
            w["Bemerkung"] or "",
        )
        for _, w in prioritaet.zeilen
    ]
    for zeile, w, meldung in _zweimal_festgelegt(gelesen, arbeitsgruppen):
        melden(Stufe.WARNUNG, "tbl_Prioritaet", zeile, "Festgelegte Priorität", meldung, w)
    beginn, ende = param.get("Programmbeginn"), param.get("Programmende")
    getippt = {date.today().year, *kontext.dateien[0].tippjahre}  # `einlesen.tippjahre`
    if beginn and ende and ende <= beginn:
        fehler(
            "tbl_Parameter",
            gelesen["tbl_Parameter"].zeilen_nach_schluessel["Programmende"][0],
            "Wert",
            f"Das Programmende ({ende:%d.%m.%Y}) liegt nicht nach dem Programmbeginn "
            f"({beginn:%d.%m.%Y}). "
            # "31.12." typed for the end gets this year (session 20): asked, not assumed
            # in the year the Steuerungsmappe was saved, too: typed in December, checked in
            # January, "31.12." lay in no year the question looked at (round 21)
            + (f"{OHNE_JAHR} " if {beginn.year, ende.year} & getippt else "")
            + "Bitte beide Daten prüfen.",
        )
    start = param.get("Startjahr")
    if beginn and ende and beginn < ende and start and not beginn.year <= start <= ende.year + 1:
        # The calendar years of every Wirtschaftlichkeit sheet: 2031 or 2005 for a programme
        # of 2012-2014 went out without a word (review). A later start than the year after
        # the programme may be meant, so a Warnung.
        melden(
            Stufe.WARNUNG,
            "tbl_Parameter",
            gelesen["tbl_Parameter"].zeilen_nach_schluessel["Startjahr"][0],
            "Wert",
            f"Das Startjahr {start} liegt nicht in der Programmlaufzeit ({beginn:%d.%m.%Y} bis "
            f"{ende:%d.%m.%Y}) oder im Jahr danach; die Wirtschaftlichkeit jeder Arbeitsmappe "
            f"zählt ihre Jahre ab {start}. Bitte prüfen.",
            start,
        )
    _staende_pruefen(gelesen, melden)
    _texte_des_beispiels(gelesen, {k.name for k in kommunen}, melden)
    _meilensteine_pruefen(gelesen["tbl_Meilensteine"], melden)
    if any(b.stufe is Stufe.FEHLER for b in befunde):
        raise StammdatenFehler([b for b in befunde if b.stufe is Stufe.FEHLER])
    phasen = zeilen("tbl_Phasen")
    return Stammdaten(
        programm=param["Programm"],
        ausgangslage=param["Ausgangslage"],
        jahre=param["Betrachtungszeitraum"],
        zinssatz=Decimal(param["Kalkulationszinssatz"]),
        zinssatz_quelle=param_zeilen["Kalkulationszinssatz"].get("Quelle") or "",
        zinssatz_stand=param_zeilen["Kalkulationszinssatz"].get("Stand"),
        startjahr=param["Startjahr"],
        programmbeginn=beginn,
        programmende=ende,
        kommunen=kommunen,
        handlungsfelder=handlungsfelder,
        arbeitsgruppen=tuple(arbeitsgruppen),
        oberziele=tuple(w["Oberziel"] for w in zeilen("tbl_Oberziele")),
        rahmenbedingungen=tuple(w["Rahmenbedingung"] for w in zeilen("tbl_Rahmenbedingungen")),
        phasen=tuple(w["Phase"] for w in phasen),
        phasen_beschreibung=tuple(w["Beschreibung"] or "" for w in phasen),
        meilensteine=tuple(
            Meilenstein(w["Meilenstein"], w["Phase"], w["Termin"], w["Ebene"])
            for w in zeilen("tbl_Meilensteine")
        ),
        kriterien=tuple(kriterien),
        entscheidungen=tuple(entscheidungen),
        tabellen={name: [dict(w) for _, w in g.zeilen] for name, g in gelesen.items()},
        quelle=dateiname,
        warnungen=tuple(befunde),
        blaetter=blatt,
        neuaufbau=tuple(uebergang),
    )


_BEISPIELTEXT = {
    "Programm": "Der Programmname ist noch der des Beispielprogramms Helmstedt 2012, die "
    "Kommunen sind andere. Er steht in jeder Arbeitsmappe und in der Übersicht. Bitte den Namen "
    "des eigenen Programms eintragen.",
    "Ausgangslage": "Die Ausgangslage ist noch die des Beispielprogramms Helmstedt 2012 („Der "
    "Landkreis Helmstedt und alle …“), die Kommunen sind andere. Sie steht als 1.1 in der "
    "Projektbeschreibung jeder Arbeitsmappe. Bitte die eigene eintragen.",
}

# The example's lists that go into every Arbeitsmappe or the overview: table → (the columns
# compared, the first one named; what it is called; where it stands). The Meilensteine with
# their Termine: where only the dates were changed, the Steuerungsgruppe has read them
_BEISPIELLISTEN = {
    "tbl_Oberziele": (
        ("Oberziel",),
        "Oberziele",
        "als 1.2 in der Projektbeschreibung jeder Arbeitsmappe",
    ),
    "tbl_Rahmenbedingungen": (
        ("Rahmenbedingung",),
        "Rahmenbedingungen",
        "als 1.3 in der Projektbeschreibung jeder Arbeitsmappe",
    ),
    "tbl_Meilensteine": (
        ("Meilenstein", "Termin"),
        "Meilensteine",
        "mit ihren Terminen im Zeitplan der Übersicht für die Lenkungsgruppe",
    ),
}


def _vergleichswert(wert: Any) -> Any:
    """A cell of such a list as compared: text as the eye reads it, a date as a date (YAML and
    the Excel reader may give a datetime at midnight)."""
    if isinstance(wert, str):
        return vergleichbar(wert)
    if isinstance(wert, datetime):
        return wert.date()
    return wert


@functools.cache
def _beispieldaten() -> dict[str, Any]:
    """The built-in example's tables as its YAML holds them, read once for the checks that
    look for its leftovers in an own programme (read only: the cache hands out this dict)."""
    with (pfade.vorlagen() / STANDARD_DATEI).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def _beispiel() -> tuple[dict[str, str], frozenset[str]]:
    """Programme name and Ausgangslage of the built-in example, as compared, and its Kommunen."""
    daten = _beispieldaten()
    texte = {
        z["Parameter"]: vergleichbar(str(z["Wert"]))
        for z in daten["tbl_Parameter"]
        if z["Parameter"] in ("Programm", "Ausgangslage")
    }
    return texte, frozenset(str(z["Kommune"]) for z in daten["tbl_Kommunen"])


@functools.cache
def _beispiel_listen() -> dict[str, tuple[tuple[Any, ...], ...]]:
    """Oberziele, Rahmenbedingungen and Meilensteine of the built-in example, as compared, in
    their order."""
    daten = _beispieldaten()
    return {
        name: tuple(tuple(_vergleichswert(z[s]) for s in spalten) for z in daten[name])
        for name, (spalten, _, _) in _BEISPIELLISTEN.items()
    }


@functools.cache
def _beispiel_prioritaet() -> dict[str, dict[str, Any]]:
    """AG → its row of Prioritaet in the built-in example (the Helmstedt LG's decisions)."""
    daten = _beispieldaten()
    return {str(z["AG"]): z for z in daten["tbl_Prioritaet"]}


def _entscheidungen_des_beispiels(
    zeilen: list[tuple[int, dict[str, Any]]],
    tabelle: list[dict[str, Any]],
    arbeitsgruppen: list[Arbeitsgruppe],
    kommunen: set[str],
) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, dict[str, Any]]]]:
    """Rows of Prioritaet that still hold the example's decisions for an AG of the same Kürzel:
    those left out, and those that count but may be the example's (`_vielleicht_des_beispiels`).

    A new programme numbers its AGs AG-01, AG-02 … like the example; its rows of Prioritaet
    kept the Helmstedt LG's "Festgelegte Priorität 1" beside the example's Handlungsfeld, which
    then counted for the own AGs and stood in the overview as the own LG's decision (new clerk
    probe). Only where nothing can be the own LG's: no Kommune of the example, the row's
    Handlungsfeld the example's and not the AG's, every input as in the example, and the
    whole `tabelle` (all rows of Prioritaet as they stand, empty ones too) still the example's:
    a row with its Handlungsfeld for every AG of the example. Without the last, an own
    programme rebuilt by 'init' whose AG-09 worked on "Datenschutzbeauftragter" (a Handlungsfeld
    of the example) lost its LG's Priorität 1 once the Handlungsfeld was renamed on
    Arbeitsgruppen (Review 17a).

    With a Kommune of the example in the programme, or the table no longer the example's
    whole, the row may be the own LG's real decision (the Helmstedt programme with an AG's
    Handlungsfeld renamed, or the AG-09 above) and counts; it is only named: else the
    example's "Festgelegte Priorität 1" counted unsaid for an own programme with one Helmstedt
    Kommune or with the example's other rows deleted by hand, and 'init' wrote the own
    Handlungsfeld beside it (Review 17a).
    """
    _, beispielkommunen = _beispiel()
    beispiel = _beispiel_prioritaet()
    noch_da = {
        ag
        for w in tabelle
        if (ag := str(w.get("AG") or "").strip()) in beispiel
        and isinstance(feld := w.get("Handlungsfeld"), str)
        and vergleichbar(feld) == vergleichbar(str(beispiel[ag]["Handlungsfeld"]))
    }
    felder = {a.kuerzel: a for a in arbeitsgruppen}
    eingaben = (*KRITERIEN, "Festgelegte Priorität", "Bemerkung")
    reste = []
    for zeile, w in zeilen:
        b, ag = beispiel.get(w["AG"]), felder.get(w["AG"])
        if b is None or ag is None or not isinstance(w.get("Handlungsfeld"), str):
            continue
        feld = vergleichbar(w["Handlungsfeld"])
        if feld != vergleichbar(str(b["Handlungsfeld"])) or feld in (
            vergleichbar(ag.handlungsfeld),
            vergleichbar(ag.handlungsfelder_text),
        ):
            continue
        if all((w.get(k) or None) == (b.get(k) or None) for k in eingaben):
            reste.append((zeile, w))
    if kommunen & beispielkommunen or noch_da != set(beispiel):
        return [], reste
    return reste, []


def _rest_des_beispiels(
    w: dict[str, Any], arbeitsgruppen: list[Arbeitsgruppe], neuaufbau: bool = False
) -> str:
    """Whose decision the row holds, that it does not count and how it goes away (or, for
    `neuaufbau`, that the new Steuerungsmappe has the row without it)."""
    ag = next(a for a in arbeitsgruppen if a.kuerzel == w["AG"])
    if neuaufbau:
        return (
            f"Diese Zeile war noch die von {w['AG']} des Beispielprogramms Helmstedt 2012 "
            f"(Handlungsfeld {w['Handlungsfeld']!r}); Ihre {w['AG']} bearbeitet "
            f"{ag.handlungsfelder_text!r}. Die Eingaben hier ({_eingaben(w)}) waren "
            "Entscheidungen der Lenkungsgruppe des Beispiels und sind nicht in die neue "
            f"Steuerungsmappe übernommen; die Zeile von {w['AG']} steht dort leer."
        )
    return (
        f"Diese Zeile ist noch die von {w['AG']} des Beispielprogramms Helmstedt 2012 "
        f"(Handlungsfeld {w['Handlungsfeld']!r}); Ihre {w['AG']} bearbeitet "
        f"{ag.handlungsfelder_text!r}. Die Eingaben hier ({_eingaben(w)}) sind Entscheidungen "
        "der Lenkungsgruppe des Beispiels und zählen nicht. 'ikz init --ersetzen --stammdaten' "
        "mit dieser Mappe schreibt die Zeile ohne sie (alle anderen Eingaben bleiben)."
    )


def _vielleicht_des_beispiels(
    w: dict[str, Any], arbeitsgruppen: list[Arbeitsgruppe], neuaufbau: bool = False
) -> str:
    """That the row may hold the example LG's decision, which counts, and how to undo it.

    For `neuaufbau`: taken over, with the AG's own Handlungsfeld beside it, after which no
    command can tell it from the own LG's decision; said once more, as done (klein18: init
    repeated the advice to run itself)."""
    ag = next(a for a in arbeitsgruppen if a.kuerzel == w["AG"])
    if neuaufbau:
        return (
            f"Neben {w['AG']} stand noch das Handlungsfeld {w['Handlungsfeld']!r} der "
            f"{w['AG']} des Beispielprogramms Helmstedt 2012. Die Eingaben hier "
            f"({_eingaben(w)}) sind dieselben wie im Beispiel; sie sind in die neue "
            f"Steuerungsmappe übernommen und zählen für Ihre {w['AG']}, daneben steht jetzt "
            f"deren Handlungsfeld {ag.handlungsfelder_text!r}. Hat Ihre Lenkungsgruppe das "
            f"nicht so entschieden, bitte die Eingaben in der Zeile von {w['AG']} auf dem "
            "Blatt Prioritaet der neuen Steuerungsmappe löschen."
        )
    return (
        f"Neben {w['AG']} steht noch das Handlungsfeld {w['Handlungsfeld']!r} der {w['AG']} des "
        f"Beispielprogramms Helmstedt 2012; Ihre {w['AG']} bearbeitet "
        f"{ag.handlungsfelder_text!r}. Die Eingaben hier ({_eingaben(w)}) sind dieselben wie im "
        f"Beispiel und zählen für Ihre {w['AG']}. Hat Ihre Lenkungsgruppe das nicht so "
        "entschieden, bitte die Eingaben in dieser Zeile löschen; hat sie es, schreibt 'ikz "
        "init --ersetzen --stammdaten' mit dieser Mappe das Handlungsfeld Ihrer "
        f"{w['AG']} daneben (alle Eingaben bleiben), dann entfällt diese Warnung."
    )


def _texte_des_beispiels(
    gelesen: dict[str, Gelesen], kommunen: set[str], melden: Callable[..., None]
) -> None:
    """The Helmstedt example's name, Ausgangslage, Oberziele, Rahmenbedingungen and
    Meilensteine (with their Termine, in the overview's Zeitplan) left in a programme of other
    Kommunen.

    A new Steuerungsgruppe replaces Kommunen and Arbeitsgruppen and may overlook the text
    above them: "Der Landkreis Helmstedt und alle seine kreisangehörigen Städte …" went out
    as 1.1 of every Arbeitsmappe of another Landkreis, without a word (new programme probe).
    A Warnung: the text may be meant, nothing is computed from it.
    """
    texte, beispielkommunen = _beispiel()
    if kommunen & beispielkommunen:
        return
    tabelle = gelesen["tbl_Parameter"]
    for name, (zeile, wert) in tabelle.zeilen_nach_schluessel.items():
        if name in texte and isinstance(wert, str) and vergleichbar(wert) == texte[name]:
            melden(Stufe.WARNUNG, "tbl_Parameter", zeile, "Wert", _BEISPIELTEXT[name], wert)
    # A list counts as the example's only while it is the example's whole and unchanged: where
    # a row was changed, added or deleted, the Steuerungsgruppe has read it and kept the rest
    # on purpose ("Kosteneinsparungen" is an Oberziel of many programmes)
    for name, (spalten, was, wo) in _BEISPIELLISTEN.items():
        zeilen = gelesen[name].zeilen
        hier = tuple(tuple(_vergleichswert(w.get(s)) for s in spalten) for _, w in zeilen)
        if not zeilen or hier != _beispiel_listen()[name]:
            continue
        spalte = spalten[0]
        erste = zeilen[0][1][spalte]
        bis = gelesen[name].adresse(zeilen[-1][0], spalte)
        melden(
            Stufe.WARNUNG,
            name,
            zeilen[0][0],
            spalte,
            f"Die {was} (diese Zelle bis {bis}) sind noch alle die des Beispielprogramms "
            f"Helmstedt 2012 („{_anfang(erste)}“), die Kommunen sind andere. Sie stehen {wo}. "
            "Bitte die eigenen eintragen; gelten sie unverändert auch für Ihr Programm, kann "
            "diese Warnung bleiben.",
            erste,
        )


def _anfang(text: str, woerter: int = 5) -> str:
    """The first words of a long text, enough to recognise it in a message."""
    teile = text.split()
    return " ".join(teile[:woerter]) + (" …" if len(teile) > woerter else "")


def _staende_pruefen(gelesen: dict[str, Gelesen], melden: Callable[..., None]) -> None:
    """A Stand after today is a typo (2105 for 2015), which went silently into every
    Arbeitsmappe and the overview (probe). Only a Warnung: nothing is computed from it."""
    heute = date.today()
    for name in ("tbl_Kommunen", "tbl_Parameter"):
        for zeile, w in gelesen[name].zeilen:
            stand = w.get("Stand")
            if isinstance(stand, date) and stand > heute:
                wovon = f"von {w['Kommune']}" if name == "tbl_Kommunen" else f"zu {w['Parameter']}"
                melden(
                    Stufe.WARNUNG,
                    name,
                    zeile,
                    "Stand",
                    f"Der Stand {wovon} ({stand:%d.%m.%Y}) liegt in der Zukunft; eine Quelle "
                    "hat ihren Stand heute oder früher. Bitte das Datum prüfen (Tippfehler im "
                    "Jahr?).",
                    stand,
                )


def _meilensteine_pruefen(tabelle: Gelesen, melden: Callable[..., None]) -> None:
    """A Meilenstein twice (a copied row, or one moved by adding instead of changing) shows
    twice in the Zeitplan of every overview, perhaps with two dates (probe)."""
    erste: dict[str, tuple[int, Any]] = {}
    for zeile, w in tabelle.zeilen:
        name = vergleichbar(str(w["Meilenstein"]))
        if name not in erste:
            erste[name] = (zeile, w["Termin"])
            continue
        z, termin = erste[name]
        wo = tabelle.adresse(z, "Meilenstein")
        if termin == w["Termin"]:
            folge = "mit demselben Termin. Bitte eine der Zeilen löschen."
        else:
            folge = (
                f"mit dem Termin {termin:%d.%m.%Y}, hier mit {w['Termin']:%d.%m.%Y}; der "
                "Zeitplan der Übersicht zeigt beide. Bitte eine der Zeilen löschen oder die "
                "Meilensteine unterscheidbar benennen."
            )
        melden(
            Stufe.WARNUNG,
            "tbl_Meilensteine",
            zeile,
            "Meilenstein",
            f"Der Meilenstein {zitat(w['Meilenstein'])} steht schon in {wo} {folge}",
            w["Meilenstein"],
        )


def _mehrfach_bearbeitet(feld: str, wer: list[tuple[str, int]], tabelle: Gelesen) -> str:
    """Why a field named by several AGs is worth a look: the overview lists it with each,
    and what both enter for it would count twice."""
    namen = [f"{ag} ({tabelle.roh.blatt}!{tabelle.adresse(z, 'Handlungsfeld')})" for ag, z in wer]
    if len(namen) > 4:
        namen = [*namen[:3], f"{len(namen) - 3} weitere"]
    return (
        f"Das Handlungsfeld {feld!r} nennen mehrere Arbeitsgruppen: {', '.join(namen)}. Die "
        "Übersicht führt es bei jeder; tragen sie dieselben Kosten oder Einsparungen ein, zählen "
        "diese doppelt. Ist das nicht gewollt, das Handlungsfeld nur bei einer Arbeitsgruppe "
        "eintragen."
    )


def _handlungsfelder(zelle: Any, felder: Collection[str]) -> tuple[str, ...]:
    """The Handlungsfelder named in an AG's cell: one, or several separated by semicolons.

    A name of Anlage 1 that itself holds a semicolon stays whole: it must not be cut into two
    unknown fields."""
    text = str(zelle or "").strip()
    if text in felder:
        return (text,)
    return _liste(text)


def _liste(zelle: Any) -> tuple[str, ...]:
    """Names in one cell, separated by semicolons or line breaks (Alt+Enter: one per line is
    how many type a list into a cell; review)."""
    text = str(zelle or "").replace("\r", "\n").replace("\n", ";")
    return tuple(t.strip() for t in text.split(";") if t.strip())


def _locker(text: str) -> str:
    """A name as the eye reads it, a dash like a space too: "Gemeinde-Adorf" for "Gemeinde
    Adorf" (review)."""
    return " ".join(vergleichbar(text).replace("-", " ").split())


def _was_gemeint(
    name: str, bekannt: Collection[str], tabelle: Gelesen, kopf: str, arten: Collection[str] = ()
) -> str:
    """What to do about a name not on the sheet: the one it nearly is, with its cell, or the
    separator that was meant (review: "Nord–Elm" with another dash was only "not there", and
    a list separated by commas was called one Kommune)."""

    for zeile, w in tabelle.zeilen:
        if w[kopf] and _locker(str(w[kopf])) == _locker(name):
            ort = f"{tabelle.roh.blatt}!{tabelle.adresse(zeile, kopf)}"
            return (
                f"In {ort} steht {zitat(str(w[kopf]))}: die beiden unterscheiden sich nur in "
                "Leerzeichen, Strichen oder Groß-/Kleinschreibung. Bitte an beiden Stellen "
                "gleich schreiben."
            )
    for trenner in (",", "/"):
        teile = [t.strip() for t in name.split(trenner) if t.strip()]
        if len(teile) > 1 and all(t in bekannt for t in teile):
            return f"Bitte die Namen durch Semikolon (;) trennen, nicht durch {trenner!r}."
    if any(t in name for t in (",", "/", " und ")):
        return "Bitte den Namen genau wie dort schreiben; mehrere durch Semikolon (;) trennen."
    neu = (
        f" Ist es eine weitere Kommune, sie auf dem Blatt {tabelle.roh.blatt} mit Art und "
        "Einwohnerzahl ergänzen."
    )
    # a member of a Samtgemeinde named for it (probe), also with its Art: "Gemeinde Mariental"
    # only got "ist es eine weitere Kommune, sie ergänzen"; added so beside its Samtgemeinde,
    # its inhabitants count twice (review)
    kern = _ohne_art(name, arten)
    for zeile, w in tabelle.zeilen:
        mitglieder = _liste(w.get("Mitgliedsgemeinden"))
        if w[kopf] and any(_ohne_art(m, arten) == kern for m in mitglieder):
            ort = f"{tabelle.roh.blatt}!{tabelle.adresse(zeile, 'Mitgliedsgemeinden')}"
            return (
                f"{zitat(name)} ist Mitgliedsgemeinde von {zitat(str(w[kopf]))} ({ort}); "
                f"Partner ist dann meist {zitat(str(w[kopf]))}: bitte sie nennen." + neu
            )
    return _vielleicht(name, tabelle, kopf) + neu


def _ohne_art(name: str, arten: Collection[str]) -> str:
    """A Kommune's name as compared, without an Art from the list in front ("Gemeinde")."""
    text = _locker(name)
    for art in sorted((_locker(a) for a in arten), key=len, reverse=True):
        if text.startswith(art + " "):
            return text[len(art) + 1 :]
    return text


def _vielleicht(name: str, tabelle: Gelesen, kopf: str) -> str:
    """The request to write a name as on its sheet, with the names it probably means and
    their cells (at most three). "Bitte den Namen genau wie dort schreiben" alone left the
    Steuerungsgruppe to search a sheet of sixty Handlungsfelder (new programme probe)."""
    kandidaten = [
        (z, str(w[kopf])) for z, w in tabelle.zeilen if w[kopf] and nah(name, str(w[kopf]))
    ]
    orte = [f"{zitat(n)} in {tabelle.roh.blatt}!{tabelle.adresse(z, kopf)}" for z, n in kandidaten]
    if len(orte) == 1:
        return f"Gemeint ist vielleicht {orte[0]}: bitte den Namen genau so schreiben."
    if 1 < len(orte) <= 3:
        return (
            f"Gemeint ist vielleicht {', '.join(orte[:-1])} oder {orte[-1]}: bitte den Namen "
            "genau so schreiben."
        )
    return "Bitte den Namen genau wie dort schreiben."


_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def nah(getippt: str, name: str) -> bool:
    """Whether a name typed for a Kommune or Handlungsfeld is probably `name`: the same words
    with some left out ("Stadt Alfeld" for "Stadt Alfeld (Leine)", "Personalwesen" for
    "Personalwesen umfassend"), or a typo or a missing comma.

    Umlauts count as written out ("Koenigslutter" from a list in ASCII, review). A typo is
    judged on what follows the words both begin with: over the whole name, the shared "Stadt "
    or "Samtgemeinde " made "Stadt Uelzen" the likely "Stadt Elze" and "Samtgemeinde Süd-Elm"
    the likely "Samtgemeinde Nord-Elm", other Kommunen the clerk was asked to write (review).
    """
    a, b = (re.findall(r"\w+", _locker(t).translate(_UMLAUTE)) for t in (getippt, name))
    if not a or not b:
        return False
    kurz, lang = sorted((a, b), key=len)
    if any(lang[i : i + len(kurz)] == kurz for i in range(len(lang) - len(kurz) + 1)):
        return True
    gleich = 0
    while gleich < min(len(a), len(b)) and a[gleich] == b[gleich]:
        gleich += 1
    rest_a, rest_b = " ".join(a[gleich:]), " ".join(b[gleich:])
    return difflib.SequenceMatcher(None, rest_a, rest_b).ratio() >= 0.85


def _eingaben(w: dict[str, Any]) -> str:
    """What the LG typed into one row of Prioritaet, as a clerk would read it out."""
    teile = []
    punkte = [f"{k} {w[k]}" for k in KRITERIEN if w.get(k) is not None]
    if punkte:
        teile.append(f"Punkte {', '.join(punkte)}")
    if w.get("Festgelegte Priorität") is not None:
        teile.append(f"Festgelegte Priorität {w['Festgelegte Priorität']}")
    if w.get("Bemerkung"):
        bemerkung = str(w["Bemerkung"])
        bemerkung = bemerkung if len(bemerkung) <= 60 else f"{bemerkung[:57]}..."
        teile.append(f"Bemerkung {bemerkung!r}")
    return "; ".join(teile)


def _aufzaehlung(namen: list[str]) -> str:
    return (
        ", ".join(namen)
        if len(namen) <= 4
        else f"{', '.join(namen[:3])} und {len(namen) - 3} weitere"
    )


def _kandidaten(
    w: dict[str, Any], arbeitsgruppen: list[Arbeitsgruppe], mit_eingaben: set[str]
) -> list[str]:
    """The current AGs a row of Prioritaet of a gone AG may belong to: same Handlungsfeld,
    no decision of their own."""
    return [
        a.kuerzel
        for a in arbeitsgruppen
        if w.get("Handlungsfeld") in (a.handlungsfeld, a.handlungsfelder_text)
        and a.kuerzel not in mit_eingaben
    ]


def _verwaiste_zeile(
    w: dict[str, Any],
    arbeitsgruppen: list[Arbeitsgruppe],
    mit_eingaben: set[str],
    blatt_arbeitsgruppen: str = "Arbeitsgruppen",
    neuaufbau: bool = False,
) -> str:
    """Why a row of Prioritaet does not count, what it held and where it may belong.

    A renamed AG keeps its Handlungsfeld: a current AG of that field without any decision of
    its own is named as the likely new name.
    """
    kandidaten = _kandidaten(w, arbeitsgruppen, mit_eingaben)
    if w["AG"]:
        wer = (
            f"Die AG {w['AG']!r} steht nicht mehr auf dem Blatt {blatt_arbeitsgruppen} "
            "(umbenannt oder gelöscht?)."
        )
    else:
        wer = "In dieser Zeile fehlt das Kürzel der AG."
    if len(kandidaten) == 1:
        wohin = (
            f"Gehören sie jetzt zu {kandidaten[0]} (gleiches Handlungsfeld), bitte in deren "
            "Zeile eintragen"
        )
    else:
        wohin = "Gehören sie zu einer umbenannten AG, bitte in deren Zeile eintragen"
    if neuaufbau:
        return (
            f"{wer} Ihre Eingaben in dieser Zeile ({_eingaben(w)}) sind nicht in die neue "
            f"Steuerungsmappe übernommen. {wohin} (Blatt Prioritaet der neuen Steuerungsmappe)."
        )
    return (
        f"{wer} Ihre Eingaben in dieser Zeile ({_eingaben(w)}) zählen nicht und werden von "
        f"'ikz init' nicht in eine neue Steuerungsmappe übernommen. {wohin}; fehlt die Zeile, legt "
        "'ikz init --ersetzen --stammdaten' mit dieser Mappe eine je Arbeitsgruppe an."
    )


def _zweimal_festgelegt(
    gelesen: dict[str, Gelesen], arbeitsgruppen: list[Arbeitsgruppe]
) -> Iterator[tuple[int | None, Any, str]]:
    """Where an AG's festgelegte Priorität and Anlage 1's value for one of its fields differ.

    Prioritaet counts (`Stammdaten.festgelegte_prioritaet`); the other value must not stand
    there unnoticed, the LG may have meant it. Without a value there, an AG's fields that
    disagree are the same question: the highest counts, which the LG should know.
    """
    felder = gelesen["tbl_Handlungsfelder"]
    kopf = "Festgelegte Priorität"
    feldwert = {
        w["Handlungsfeld"]: (w[kopf], f"{felder.roh.blatt}!{felder.adresse(z, kopf)}")
        for z, w in felder.zeilen
        if w[kopf] is not None
    }
    zeilen = {w["AG"]: (z, w[kopf]) for z, w in gelesen["tbl_Prioritaet"].zeilen}
    for ag in arbeitsgruppen:
        zeile, gilt = zeilen.get(ag.kuerzel, (None, None))
        eigene = [(f, *feldwert[f]) for f in ag.handlungsfelder if f in feldwert]
        if gilt is not None:
            for feld, wert, dort in eigene:
                if wert != gilt:
                    yield (
                        zeile,
                        gilt,
                        f"Festgelegte Priorität von {ag.kuerzel}: hier {gilt}, in {dort} "
                        f"(Handlungsfeld {feld!r}) aber {wert}. Es gilt der Wert hier ({gilt}); "
                        f"bitte {dort} angleichen oder leeren.",
                    )
        elif len({wert for _, wert, _ in eigene}) > 1:
            hoechste = min(wert for _, wert, _ in eigene)
            liste = "; ".join(f"{feld!r}: {wert} in {dort}" for feld, wert, dort in eigene)
            yield (
                zeile,
                None,
                f"{ag.kuerzel} bearbeitet Handlungsfelder mit verschiedener festgelegter "
                f"Priorität ({liste}). Es gilt die höchste ({hoechste}). Soll eine andere "
                f"gelten, sie für {ag.kuerzel} in der Spalte {kopf!r} auf dem Blatt "
                f"{gelesen['tbl_Prioritaet'].roh.blatt} eintragen.",
            )
