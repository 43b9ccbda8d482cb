"""Stammdaten of an IKZ programme: Kommunen, Handlungsfelder, AGs, Parameter, LG decisions.

They come from one of two places with the same layout: the built-in Helmstedt 2012 programme
(`vorlagen/helmstedt_2012.yaml`, keyed by table and column header) or a workbook laid out like
the Steuerungsmappe. Both go through the same conversion and checks as a returned Arbeitsmappe,
so a wrong Zinssatz is reported with sheet and cell before thirty workbooks go out with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ikz_excel import definition, pfade
from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.einlesen import LeseFehler, Rohtabelle, tabellen_lesen
from ikz_excel.pruefen import (
    Datei,
    Gelesen,
    Kontext,
    ausserhalb_pruefen,
    befund,
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

    def handlungsfeld(self, name: str) -> Handlungsfeld:
        return next(h for h in self.handlungsfelder if h.name == name)

    def entscheidung(self, ag: str) -> Entscheidung | None:
        return next((e for e in self.entscheidungen if e.ag == ag), None)

    @property
    def faktoren(self) -> dict[str, int]:
        return {k.name: k.faktor for k in self.kriterien}


# Loading --------------------------------------------------------------------------------------


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
    mappe = definition.steuerungsmappe()
    frei = {t.name: t.reserve for _, t in mappe.tabellen if t.frei}
    try:
        roh, _, _ = tabellen_lesen(pfad, mit_unterhalb=frei)
    except LeseFehler as fehler:
        raise StammdatenFehler(
            [
                _fehler(
                    name,
                    None,
                    None,
                    f"{name} lässt sich nicht lesen: {_ohne_bitte(str(fehler))} Bitte die Mappe "
                    "ohne Kennwort als .xlsm oder .xlsx speichern. Eine frühere Fassung liegt als "
                    "Steuerungsmappe_Sicherung_*.xlsm im Arbeitsbereich, wenn die Mappe einmal "
                    "ersetzt wurde.",
                )
            ]
        ) from None
    return aus_rohtabellen(roh, name)


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


def aus_rohtabellen(roh: dict[str, Rohtabelle], dateiname: str) -> Stammdaten:
    mappe = definition.steuerungsmappe()
    befunde: list[Befund] = []
    for blatt, tdef in mappe.tabellen:
        if tdef.name not in roh:
            befunde.append(
                _fehler(
                    dateiname,
                    blatt.name,
                    None,
                    f"{dateiname}: Die Tabelle {tdef.name} (Blatt {blatt.name}) fehlt. Bitte die "
                    "Vorlage der Steuerungsmappe verwenden (ikz init).",
                )
            )
            continue
        fehlend = [k for k in tdef.koepfe if k not in roh[tdef.name].koepfe]
        if fehlend:
            befunde.append(
                _fehler(
                    dateiname,
                    roh[tdef.name].blatt,
                    None,
                    f"{dateiname}: In der Tabelle {tdef.name} (Blatt {roh[tdef.name].blatt}) fehlt "
                    f"die Spalte {', '.join(repr(f) for f in fehlend)}. Bitte die Überschrift "
                    "wiederherstellen.",
                )
            )
    if befunde:
        raise StammdatenFehler(befunde)

    # The phases are needed to check the milestones: read them first.
    kontext = Kontext(listen=dict(mappe.listen), parameter={}, dateien=[Datei(dateiname)])
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
        gelesen[name] = g
    befunde += pflicht_wenn_pruefen(gelesen.values(), kontext)
    fehler = [b for b in befunde if b.stufe is Stufe.FEHLER]
    if fehler:
        raise StammdatenFehler(fehler)
    return _bauen(gelesen, dateiname, kontext)


def _bauen(gelesen: dict[str, Gelesen], dateiname: str, kontext: Kontext) -> Stammdaten:
    def zeilen(name: str) -> list[dict[str, Any]]:
        return [w for _, w in gelesen[name].zeilen]

    befunde: list[Befund] = []

    def fehler(name: str, zeile: int | None, kopf: str | None, meldung: str) -> None:
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
                None,
                Stufe.FEHLER,
                Regel.STRUKTUR,
                f"{dateiname}, {ort}: {meldung}",
            )
        )

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
    for zeile, w in gelesen["tbl_Arbeitsgruppen"].zeilen:
        partner = tuple(p.strip() for p in str(w["Partnerkommunen"] or "").split(";") if p.strip())
        for p in partner:
            if p not in namen:
                fehler(
                    "tbl_Arbeitsgruppen",
                    zeile,
                    "Partnerkommunen",
                    f"Die Partnerkommune {p!r} von {w['AG']} steht nicht auf dem Blatt "
                    "Kommunen. Bitte den Namen genau wie dort schreiben.",
                )
        if len(set(partner)) != len(partner):
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Partnerkommunen",
                f"{w['AG']} nennt eine Partnerkommune doppelt.",
            )
        if w["Handlungsfeld"] and w["Handlungsfeld"] not in felder:
            fehler(
                "tbl_Arbeitsgruppen",
                zeile,
                "Handlungsfeld",
                f"Das Handlungsfeld {w['Handlungsfeld']!r} von {w['AG']} steht nicht auf dem "
                "Blatt Handlungsfelder.",
            )
        arbeitsgruppen.append(
            Arbeitsgruppe(
                w["AG"],
                w["Bezeichnung"],
                w["Handlungsfeld"],
                partner,
                w["Abgabetermin"],
                w["Projektauftrag"],
                w["Projektbeauftragte(r)"] or "",
            )
        )
    if not arbeitsgruppen:
        fehler("tbl_Arbeitsgruppen", None, None, "Es ist keine Arbeitsgruppe eingetragen.")
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
    if fehlende:
        fehler(
            "tbl_Faktoren",
            None,
            None,
            f"Es fehlen die Kriterien {', '.join(fehlende)}. Jedes braucht einen Faktor.",
        )
    ags = {a.kuerzel for a in arbeitsgruppen}
    entscheidungen = []
    for zeile, w in gelesen["tbl_Prioritaet"].zeilen:
        if w["AG"] not in ags:
            fehler(
                "tbl_Prioritaet",
                zeile,
                "AG",
                f"Die AG {w['AG']!r} steht nicht auf dem Blatt Arbeitsgruppen.",
            )
        entscheidungen.append(
            Entscheidung(
                w["AG"],
                {k: w.get(k) for k in KRITERIEN},
                w["Festgelegte Priorität"],
                w["Bemerkung"] or "",
            )
        )
    beginn, ende = param.get("Programmbeginn"), param.get("Programmende")
    if beginn and ende and ende <= beginn:
        fehler("tbl_Parameter", None, None, "Das Programmende liegt nicht nach dem Programmbeginn.")
    if befunde:
        raise StammdatenFehler(befunde)
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
    )
