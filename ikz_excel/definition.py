"""Declarative sheet definitions from `schemata/`: the one source for generator, validator and help.

The YAML files are checked strictly while loading (unknown keys, types, lists, duplicate headers)
so that a typo in a definition is reported with file and key before any workbook is written:
a definition error found later would surface as a broken workbook in thirty town halls.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ikz_excel import pfade

#: The length a text column without its own `max_laenge` allows: in the workbook's data
#: validation and in the check alike (`Spalte.hoechstlaenge`).
STANDARD_TEXTLAENGE = 4000
TYPEN = ("text", "ganzzahl", "zahl", "betrag", "prozent", "datum", "liste", "formel")
# Lists that are not in listen.yaml: they come from the Stammdaten or from the workbook itself.
DYNAMISCHE_LISTEN = ("kommunen", "alle_kommunen", "phasen", "kriterien", "varianten")
ZEILENQUELLEN = ("partner", "kriterien")
# Stammdaten parameters a limit may name as `$Name`.
PARAMETER = (
    "Betrachtungszeitraum",
    "Kalkulationszinssatz",
    "Startjahr",
    "Programmbeginn",
    "Programmende",
)

_SPALTEN_SCHLUESSEL = {
    "kopf",
    "typ",
    "eingabe",
    "pflicht",
    "liste",
    "min",
    "max",
    "max_laenge",
    "formel",
    "breite",
    "hilfe",
    "format",
    "eindeutig",
    "enthaelt",
    "pflicht_wenn",
    "pflicht_bei",
    "pflicht_ab",
    "standard",
    "warnung_max",
    "tausender_moeglich",
    "kopf_hochkant",
}
_ZEILEN_SCHLUESSEL = {"werte", "eingabe", "vorbelegt"}
_TABELLEN_SCHLUESSEL = {
    "name",
    "spalten",
    "zeilen",
    "zeilen_leer",
    "zeilen_aus",
    "vorbelegung",
    "hinweis",
    "reserve",
    "schluessel",
    "eingabespalte",
    "titel",
    "mindestens_eine_zeile",
}
_FELD_SCHLUESSEL = _SPALTEN_SCHLUESSEL | {"name", "bezeichnung"}
_BLATT_SCHLUESSEL = {"name", "titel", "hinweis", "art", "tabellen", "felder", "querformat"}
_MAPPE_SCHLUESSEL = {
    "mappe",
    "vorlage_id",
    "schema_version",
    "blaetter",
    "lesbare_versionen",
    "aenderungen",
    "nur_anzeige",
}
BLATTARTEN = ("tabellen", "hinweise", "wirtschaftlichkeit", "steuerung", "intern")


class DefinitionsFehler(ValueError):
    """A definition file is wrong; the message names file and key."""


@dataclass(frozen=True)
class Spalte:
    """One input or derived column (or, as `Feld`, a single named cell)."""

    kopf: str
    typ: str = "text"
    eingabe: bool = True
    pflicht: bool = False
    liste: str | None = None
    min: Any = None
    max: Any = None
    max_laenge: int | None = None
    formel: str | None = None
    breite: float = 14
    hilfe: str = ""
    format: str | None = None
    eindeutig: bool = False
    enthaelt: tuple[str, ...] = ()
    pflicht_wenn: tuple[
        tuple[str, str], ...
    ] = ()  # ((Nr of another row, value that it must NOT be),)
    # ((name of a field of the same sheet, value it must be),): required only then, as the
    # Fallzahl of every Kommune under the key "Fallzahl". Declared here, not only in the
    # check, so that the cover's count of open entries and the help say the same (review:
    # the cover said "vollständig" where the check found ten Fallzahlen missing).
    pflicht_bei: tuple[tuple[str, str], ...] = ()
    # ((another column of the same row, the value from which on),): required only then, as
    # the Gegenmaßnahme of a risk from Risikowert 15 on. The generator's colouring and count
    # of open entries, the input message and the check all read it here (steuer16: a Python
    # constant, and a help text a test had to keep in step with it).
    pflicht_ab: tuple[tuple[str, int | float], ...] = ()
    standard: Any = None
    warnung_max: Any = None
    # Figures in the thousands are common here and three decimals are not: "5,000" is then
    # English for 5000 as likely as German for 5, and refused as ambiguous (as in amounts).
    tausender_moeglich: bool = False
    # The header written upright, as in the Übersicht: a long word over a narrow number column
    # ("Eintrittswahrscheinlichkeit" over one digit) would otherwise set the column's width.
    kopf_hochkant: bool = False

    @property
    def ist_zahl(self) -> bool:
        return self.typ in ("ganzzahl", "zahl", "betrag", "prozent")

    @property
    def hoechstlaenge(self) -> int | None:
        """The most characters an entry may have, or None for no limit. One rule for the
        workbook's data validation, its help and the check: the workbook limited a text column
        without `max_laenge` to 4,000 characters and the check let a longer text pasted past
        the validation pass (review 22)."""
        if self.max_laenge:
            return self.max_laenge
        return STANDARD_TEXTLAENGE if self.typ == "text" else None


@dataclass(frozen=True)
class Feld(Spalte):
    """A single named input cell above a table (e.g. the Verteilungsschlüssel)."""

    name: str = ""
    bezeichnung: str = ""


@dataclass(frozen=True)
class Zeile:
    """A row the definition prescribes (Projektbeschreibung 3.1, Parameter Kalkulationszinssatz)."""

    werte: Mapping[str, Any]
    eingabe: Spalte | None = None  # how this row's input cell is typed and checked
    vorbelegt: str | None = None  # Stammdaten key that fills the input cell; it is then locked


@dataclass(frozen=True)
class Tabelle:
    name: str
    spalten: tuple[Spalte, ...]
    titel: str = ""
    hinweis: str = ""
    zeilen: tuple[Zeile, ...] = ()
    zeilen_leer: int = 0
    zeilen_aus: str | None = None
    vorbelegung: Mapping[str, str] = field(default_factory=dict)
    reserve: int = 0
    schluessel: str | None = None  # column that names a prescribed row
    eingabespalte: str | None = None  # the one input column of a table with prescribed rows
    # a free table that must not stay empty (the Varianten, one of which 3.10 recommends): the
    # check requires a row, and the cover counts an empty table as an open entry
    mindestens_eine_zeile: bool = False

    @property
    def koepfe(self) -> tuple[str, ...]:
        return tuple(s.kopf for s in self.spalten)

    def spalte(self, kopf: str) -> Spalte:
        for s in self.spalten:
            if s.kopf == kopf:
                return s
        raise KeyError(kopf)

    def pflicht_ab_schwelle(self, kopf: str) -> int | float | None:
        """From which value of column `kopf` on another column of the row is required (the
        lowest, if several name it); None if no `pflicht_ab` names it."""
        werte = [ab for s in self.spalten for k, ab in s.pflicht_ab if k == kopf]
        return min(werte) if werte else None

    @property
    def frei(self) -> bool:
        """Free tables take any number of rows, also typed directly below the table."""
        return not self.zeilen and self.zeilen_aus is None

    def zeilen_spalte(self, zeile: Zeile, kopf: str) -> Spalte:
        """The effective column definition of one cell: a prescribed row may override it."""
        s = self.spalte(kopf)
        if zeile.eingabe is not None and kopf == self.eingabespalte:
            return zeile.eingabe
        return s


#: The sheet of a Korrektur copy that lists its findings; the check ignores it in a return.
#: `_ikz` key of workbooks whose input rows below the tables have the tables' formulas: only
#: there a typed row without its formula is one the clerk broke.
FORMELN_DARUNTER = "formeln_unter_tabellen"
#: Where `pflicht_ab` is evaluated: by table, the column it may name. The check computes that
#: column itself (a formula column: Risikowert = Eintrittswahrscheinlichkeit × Auswirkung, see
#: `pruefen.querpruefungen`); anywhere else only the input message would have said the duty.
PFLICHT_AB_SPALTEN = {"tbl_Risiken": "Risikowert"}
KORREKTURBLATT = "Korrekturhinweise"
#: Prefix of the `_ikz` keys that list a sheet's formula cells ("formeln:Wirtschaftlichkeit").
FORMELN = "formeln:"
#: Prefix of the `_ikz` keys that list, per sheet with input tables, the cells outside its
#: tables that the generator wrote something into ("zellen:Ressourcen", see
#: `einlesen.zellen_eintragen`): what a clerk types anywhere else there is read nowhere.
ZELLEN = "zellen:"
#: Prefix of the `_ikz` keys with how many rows below its header the workbook's formulas
#: count of each table ("bis:tbl_Ressourcen" = "60"): a table grown beyond (sheet unprotected)
#: is read in full, while the workbook's own sums and Wirtschaftlichkeit stop there.
BIS = "bis:"
#: The hidden sheet with the dropdown lists, which every Arbeitsmappe has besides its sheets.
LISTENBLATT = "_listen"


@dataclass(frozen=True)
class Blatt:
    name: str
    art: str = "tabellen"
    titel: str = ""
    hinweis: str = ""
    tabellen: tuple[Tabelle, ...] = ()
    felder: tuple[Feld, ...] = ()
    querformat: bool = False


@dataclass(frozen=True)
class Mappe:
    name: str
    vorlage_id: str
    schema_version: int
    blaetter: tuple[Blatt, ...]
    listen: Mapping[str, tuple[str, ...]]
    quelle: Path
    lesbare_versionen: tuple[int, ...] = ()
    #: per version, what changed for the user since the one before (said to older returns)
    aenderungen: Mapping[int, str] = field(default_factory=dict)
    #: versions that changed only what the workbook shows, no input and no figure it computes
    nur_anzeige: frozenset[int] = frozenset()

    def aenderungen_seit(self, version: int) -> list[str]:
        return [
            t for v, t in sorted(self.aenderungen.items()) if version < v <= self.schema_version
        ]

    def nur_anzeige_seit(self, version: int) -> bool:
        """Whether a workbook of `version` computes and reads as the current one: then its
        return needs no Warnung and no Korrektur copy for its version alone."""
        return all(v in self.nur_anzeige for v in range(version + 1, self.schema_version + 1))

    @property
    def blattnamen(self) -> frozenset[str]:
        """Every sheet a workbook of this definition has or may come back with: its own, the
        hidden list sheet, and the list of findings of a Korrektur copy."""
        return frozenset({b.name for b in self.blaetter} | {LISTENBLATT, KORREKTURBLATT})

    def blatt(self, name: str) -> Blatt:
        for b in self.blaetter:
            if b.name == name:
                return b
        raise KeyError(name)

    @property
    def tabellen(self) -> tuple[tuple[Blatt, Tabelle], ...]:
        return tuple((b, t) for b in self.blaetter for t in b.tabellen)

    def tabelle(self, name: str) -> Tabelle:
        for _, t in self.tabellen:
            if t.name == name:
                return t
        raise KeyError(name)

    def blatt_von(self, tabellenname: str) -> Blatt:
        for b, t in self.tabellen:
            if t.name == tabellenname:
                return b
        raise KeyError(tabellenname)

    @property
    def felder(self) -> tuple[tuple[Blatt, Feld], ...]:
        return tuple((b, f) for b in self.blaetter for f in b.felder)


# Loading --------------------------------------------------------------------------------------


def _pruefe_schluessel(daten: Any, erlaubt: set[str], datei: Path, ort: str) -> dict[str, Any]:
    if not isinstance(daten, dict):
        raise DefinitionsFehler(f"{datei.name}: {ort} muss eine Zuordnung (Schlüssel: Wert) sein.")
    for schluessel in daten:
        if schluessel not in erlaubt:
            vorschlag = difflib.get_close_matches(str(schluessel), sorted(erlaubt), n=1)
            tipp = f" Gemeint ist vielleicht {vorschlag[0]!r}." if vorschlag else ""
            raise DefinitionsFehler(
                f"{datei.name}: unbekannter Schlüssel {schluessel!r} in {ort}.{tipp} "
                f"Erlaubt sind: {', '.join(sorted(erlaubt))}."
            )
    return daten


def _spalte(
    daten: Any, datei: Path, ort: str, listen: Mapping[str, Any], klasse: type[Spalte] = Spalte
) -> Spalte:
    erlaubt = _FELD_SCHLUESSEL if klasse is Feld else _SPALTEN_SCHLUESSEL
    d = dict(_pruefe_schluessel(daten, erlaubt, datei, ort))
    if klasse is Spalte and "kopf" not in d:
        raise DefinitionsFehler(f"{datei.name}: {ort} braucht einen 'kopf'.")
    typ = d.setdefault("typ", "text")
    if typ not in TYPEN:
        raise DefinitionsFehler(
            f"{datei.name}: {ort} hat den unbekannten Typ {typ!r}. Erlaubt: {', '.join(TYPEN)}."
        )
    liste = d.get("liste")
    if typ == "liste" and not liste:
        raise DefinitionsFehler(f"{datei.name}: {ort} ist vom Typ 'liste', nennt aber keine Liste.")
    if liste is not None and liste not in listen and liste not in DYNAMISCHE_LISTEN:
        raise DefinitionsFehler(
            f"{datei.name}: {ort} nennt die unbekannte Liste {liste!r}. Bekannt: "
            f"{', '.join(sorted([*listen, *DYNAMISCHE_LISTEN]))}."
        )
    if typ == "formel":
        if not d.get("formel"):
            raise DefinitionsFehler(f"{datei.name}: {ort} ist vom Typ 'formel' ohne 'formel'.")
        d.setdefault("eingabe", False)
    if "enthaelt" in d:
        d["enthaelt"] = tuple(d["enthaelt"])
    if "pflicht_ab" in d:
        ab = d["pflicht_ab"]
        if (
            not isinstance(ab, dict)
            or not ab
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in ab.values())
        ):
            raise DefinitionsFehler(
                f"{datei.name}: {ort}.pflicht_ab muss eine Zuordnung (Spalte: Zahl) sein, z. B. "
                "{Risikowert: 15}."
            )
        d["pflicht_ab"] = tuple((str(k), v) for k, v in ab.items())
    for bedingt in ("pflicht_wenn", "pflicht_bei"):
        if bedingt in d:
            if not isinstance(d[bedingt], dict) or not d[bedingt]:
                raise DefinitionsFehler(
                    f"{datei.name}: {ort}.{bedingt} muss eine Zuordnung (Name: Wert) sein."
                )
            d[bedingt] = tuple((str(k), str(v)) for k, v in d[bedingt].items())
    for grenze in ("min", "max", "warnung_max"):
        wert = d.get(grenze)
        if isinstance(wert, str) and not wert.startswith("$"):
            raise DefinitionsFehler(
                f"{datei.name}: {ort}.{grenze} muss eine Zahl, ein Datum oder '$Parameter' sein."
            )
        if isinstance(wert, str) and wert[1:] not in PARAMETER:
            vorschlag = difflib.get_close_matches(wert[1:], PARAMETER, n=1)
            tipp = f" Gemeint ist vielleicht '${vorschlag[0]}'." if vorschlag else ""
            raise DefinitionsFehler(
                f"{datei.name}: {ort}.{grenze} nennt den unbekannten Parameter {wert!r}.{tipp} "
                f"Bekannt: {', '.join('$' + p for p in PARAMETER)}."
            )
    if klasse is Feld:
        d.setdefault("kopf", d.get("bezeichnung") or d.get("name", ""))
        if not d.get("name") or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", d["name"]):
            raise DefinitionsFehler(f"{datei.name}: {ort} braucht einen gültigen Namen ('name').")
    return klasse(**d)


def _tabelle(daten: Any, datei: Path, ort: str, listen: Mapping[str, Any]) -> Tabelle:
    d = dict(_pruefe_schluessel(daten, _TABELLEN_SCHLUESSEL, datei, ort))
    name = d.get("name")
    if not name or not re.fullmatch(r"tbl_[A-Za-z0-9_]+", str(name)):
        raise DefinitionsFehler(f"{datei.name}: {ort} braucht einen Namen der Form 'tbl_Name'.")
    ort = f"Tabelle {name}"
    spalten = tuple(
        _spalte(s, datei, f"{ort}, Spalte {i}", listen)
        for i, s in enumerate(d.pop("spalten", []), 1)
    )
    if not spalten:
        raise DefinitionsFehler(f"{datei.name}: {ort} hat keine Spalten.")
    gesehen: set[str] = set()
    for s in spalten:
        if s.kopf in gesehen:
            raise DefinitionsFehler(f"{datei.name}: {ort} hat die Spalte {s.kopf!r} doppelt.")
        gesehen.add(s.kopf)
    zeilen = []
    for i, z in enumerate(d.pop("zeilen", []) or [], 1):
        zd = dict(_pruefe_schluessel(z, _ZEILEN_SCHLUESSEL, datei, f"{ort}, Zeile {i}"))
        for kopf in zd.get("werte", {}):
            if kopf not in gesehen:
                raise DefinitionsFehler(
                    f"{datei.name}: {ort}, Zeile {i} nennt die unbekannte Spalte {kopf!r}."
                )
        eingabe = zd.get("eingabe")
        for nur_spalten in ("pflicht_bei", "pflicht_ab"):
            if isinstance(eingabe, dict) and nur_spalten in eingabe:
                # the cover counts it for columns only; a row would be required in the check
                # alone
                raise DefinitionsFehler(
                    f"{datei.name}: {ort}, Zeile {i}: {nur_spalten} gilt nur für Spalten; für "
                    "eine Zeile pflicht_wenn verwenden."
                )
        zeilen.append(
            Zeile(
                werte=dict(zd.get("werte", {})),
                eingabe=None
                if eingabe is None
                else _spalte(
                    {"kopf": d.get("eingabespalte", ""), **eingabe},
                    datei,
                    f"{ort}, Zeile {i}, eingabe",
                    listen,
                ),
                vorbelegt=zd.get("vorbelegt"),
            )
        )
    for schluessel in ("schluessel", "eingabespalte"):
        if d.get(schluessel) and d[schluessel] not in gesehen:
            raise DefinitionsFehler(
                f"{datei.name}: {ort}.{schluessel} nennt die unbekannte Spalte {d[schluessel]!r}."
            )
    # A condition the check and the cover do not know would only show in the help (or
    # nowhere): pflicht_wenn names another prescribed row, and only rows have it.
    for s in spalten:
        if s.pflicht_wenn:
            raise DefinitionsFehler(
                f"{datei.name}: {ort}, Spalte {s.kopf!r}: pflicht_wenn gilt nur für die eingabe "
                "einer Zeile; für eine Spalte pflicht_bei verwenden."
            )
        # the cover counts it only where the rows come from the Stammdaten (one per Kommune,
        # as the Fallzahlen); in a free table only the help would have said it (review)
        if s.pflicht_bei and d.get("zeilen_aus") is None:
            raise DefinitionsFehler(
                f"{datei.name}: {ort} ({d.get('name')}), Spalte {s.kopf!r}: pflicht_bei gilt "
                "nur in Tabellen mit zeilen_aus (eine Zeile je Kommune wie der Kostenausgleich)."
            )
        # the check computes only the Risikowert; elsewhere only the input message and the
        # cover would have said it
        for kopf, _ab in s.pflicht_ab:
            if PFLICHT_AB_SPALTEN.get(str(name)) != kopf or kopf not in gesehen:
                erlaubt = "; ".join(f"{k} in {t}" for t, k in PFLICHT_AB_SPALTEN.items())
                raise DefinitionsFehler(
                    f"{datei.name}: {ort}, Spalte {s.kopf!r}: pflicht_ab nennt {kopf!r}; die "
                    f"Prüfung wertet pflicht_ab nur für {erlaubt} aus."
                )
    nummern = [str(z.werte.get(d.get("schluessel") or "")) for z in zeilen]
    for z in zeilen:
        for nr, _wert in z.eingabe.pflicht_wenn if z.eingabe else ():
            if nr not in nummern:
                raise DefinitionsFehler(
                    f"{datei.name}: {ort}: pflicht_wenn nennt {nr!r}, keine Zeile der Tabelle "
                    f"(Zeilen: {', '.join(nummern)})."
                )
    if d.get("mindestens_eine_zeile") and (zeilen or d.get("zeilen_aus")):
        raise DefinitionsFehler(
            f"{datei.name}: {ort}.mindestens_eine_zeile gilt nur für Tabellen mit freien Zeilen."
        )
    if zeilen and not d.get("eingabespalte"):
        raise DefinitionsFehler(f"{datei.name}: {ort} mit 'zeilen' braucht eine 'eingabespalte'.")
    if d.get("zeilen_aus") is not None and d["zeilen_aus"] not in ZEILENQUELLEN:
        raise DefinitionsFehler(
            f"{datei.name}: {ort}.zeilen_aus muss eine von {', '.join(ZEILENQUELLEN)} sein."
        )
    for kopf in d.get("vorbelegung", {}) or {}:
        if kopf not in gesehen:
            raise DefinitionsFehler(
                f"{datei.name}: {ort}.vorbelegung nennt die unbekannte Spalte {kopf!r}."
            )
    return Tabelle(
        name=name,
        spalten=spalten,
        zeilen=tuple(zeilen),
        **{k: v for k, v in d.items() if k != "name"},
    )


def _blatt(daten: Any, datei: Path, listen: Mapping[str, Any]) -> Blatt:
    d = dict(_pruefe_schluessel(daten, _BLATT_SCHLUESSEL, datei, "Blatt"))
    name = d.get("name")
    if not name:
        raise DefinitionsFehler(f"{datei.name}: ein Blatt hat keinen Namen.")
    if len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
        raise DefinitionsFehler(f"{datei.name}: Blattname {name!r} ist in Excel nicht erlaubt.")
    if d.get("art", "tabellen") not in BLATTARTEN:
        raise DefinitionsFehler(
            f"{datei.name}: Blatt {name}: 'art' muss eine von {', '.join(BLATTARTEN)} sein."
        )
    tabellen = tuple(
        _tabelle(t, datei, f"Blatt {name}, Tabelle {i}", listen)
        for i, t in enumerate(d.pop("tabellen", []) or [], 1)
    )
    felder = tuple(
        _spalte(f, datei, f"Blatt {name}, Feld {i}", listen, Feld)
        for i, f in enumerate(d.pop("felder", []) or [], 1)
    )
    # A single field's duty is `pflicht` alone: the cover and the check know no condition
    # there, the input message would have been the only place to say it (review).
    for i, f in enumerate(felder, 1):
        for nur_spalten in ("pflicht_bei", "pflicht_ab"):
            if getattr(f, nur_spalten):
                raise DefinitionsFehler(
                    f"{datei.name}: Blatt {name}, Feld {i}: {nur_spalten} gilt nur für Spalten "
                    "einer Tabelle."
                )
        if f.pflicht_wenn:
            raise DefinitionsFehler(
                f"{datei.name}: Blatt {name}, Feld {i}: pflicht_wenn gilt nur für die eingabe "
                "einer Zeile."
            )
    nach_name = {f.name: f for f in felder}
    for t in tabellen:
        for s in t.spalten:
            for feld, wert in s.pflicht_bei:
                ort = f"{datei.name}: Tabelle {t.name}, Spalte {s.kopf!r}: pflicht_bei"
                if feld not in nach_name:
                    raise DefinitionsFehler(
                        f"{ort} nennt {feld!r}, kein Feld des Blatts {name}. Felder: "
                        f"{', '.join(sorted(nach_name)) or 'keine'}."
                    )
                werte = listen.get(nach_name[feld].liste or "")
                if werte is not None and wert not in werte:
                    raise DefinitionsFehler(
                        f"{ort}: {wert!r} steht nicht in der Liste des Felds {feld} "
                        f"({', '.join(werte)})."
                    )
    return Blatt(tabellen=tabellen, felder=felder, **d)  # type: ignore[arg-type]


def _yaml(datei: Path) -> Any:
    try:
        with datei.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except yaml.YAMLError as fehler:
        raise DefinitionsFehler(f"{datei.name}: kein gültiges YAML ({fehler}).") from None


def listen_laden(ordner: Path) -> dict[str, tuple[str, ...]]:
    datei = ordner / "listen.yaml"
    daten = _yaml(datei) or {}
    if not isinstance(daten, dict):
        raise DefinitionsFehler(f"{datei.name}: erwartet wird eine Zuordnung Listenname: [Werte].")
    listen = {}
    for name, werte in daten.items():
        if not isinstance(werte, list) or not werte:
            raise DefinitionsFehler(f"{datei.name}: Liste {name!r} ist leer oder keine Liste.")
        if len(set(map(str, werte))) != len(werte):
            raise DefinitionsFehler(f"{datei.name}: Liste {name!r} enthält Werte doppelt.")
        if name in DYNAMISCHE_LISTEN:
            raise DefinitionsFehler(
                f"{datei.name}: {name!r} ist für eine dynamische Liste reserviert."
            )
        listen[name] = tuple(str(w) for w in werte)
    return listen


def mappe_laden(datei: Path, listen: Mapping[str, tuple[str, ...]]) -> Mappe:
    daten = _pruefe_schluessel(_yaml(datei), _MAPPE_SCHLUESSEL, datei, "oberste Ebene")
    for pflicht in ("mappe", "vorlage_id", "schema_version", "blaetter"):
        if pflicht not in daten:
            raise DefinitionsFehler(f"{datei.name}: Schlüssel {pflicht!r} fehlt.")
    blaetter = tuple(_blatt(b, datei, listen) for b in daten["blaetter"])
    namen = [b.name for b in blaetter]
    tabellen = [t.name for b in blaetter for t in b.tabellen]
    for art, werte in (("Blatt", namen), ("Tabelle", tabellen)):
        doppelt = {w for w in werte if werte.count(w) > 1}
        if doppelt:
            raise DefinitionsFehler(f"{datei.name}: {art} {sorted(doppelt)[0]!r} ist doppelt.")
    return Mappe(
        name=daten["mappe"],
        vorlage_id=daten["vorlage_id"],
        schema_version=int(daten["schema_version"]),
        blaetter=blaetter,
        listen=listen,
        quelle=datei,
        lesbare_versionen=tuple(daten.get("lesbare_versionen", ())),
        nur_anzeige=frozenset(int(v) for v in daten.get("nur_anzeige") or ()),
        aenderungen={int(v): str(t).strip() for v, t in (daten.get("aenderungen") or {}).items()},
    )


@cache
def _laden(ordner: Path, name: str) -> Mappe:
    return mappe_laden(ordner / f"{name}.yaml", listen_laden(ordner))


def arbeitsmappe(ordner: Path | None = None) -> Mappe:
    """The Arbeitsmappe definition; `ordner` lets tests use a changed copy of `schemata/`."""
    return _laden((ordner or pfade.schemata()).resolve(), "arbeitsmappe")


def steuerungsmappe(ordner: Path | None = None) -> Mappe:
    return _laden((ordner or pfade.schemata()).resolve(), "steuerungsmappe")


def grenze(wert: Any, parameter: Mapping[str, Any]) -> Any:
    """Resolve a limit like `$Betrachtungszeitraum` against the Stammdaten parameters."""
    if isinstance(wert, str) and wert.startswith("$"):
        return parameter[wert[1:]]
    return wert
