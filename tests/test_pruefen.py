"""`ikz pruefen` as a Steuerungsgruppe uses it: returns in eingang/, findings, reports, exit codes.

Every return here is made the way it reaches the Steuerungsgruppe: a freshly generated
Arbeitsmappe, filled (by the generator with `demo_daten`, or typed into with `korpus.ausfuellen`)
or broken by the corpus of bad files (tests/korpus.py). Cell findings are asserted as compact
lists of (blatt, zelle, regel); the expected cells are computed from the table positions that
python-calamine reports, not from the code under test.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import korpus
import openpyxl
import pytest
from aufruf import Lauf, ikz
from hypothesis import given
from hypothesis import strategies as hyp
from libreoffice import braucht_libreoffice, nachrechnen
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

from ikz_excel import (
    berichte,
    cli,
    definition,
    demo_daten,
    deutsch,
    einlesen,
    erzeugen,
    pfade,
    pruefen,
    stammdaten,
)
from ikz_excel.befunde import Regel, Stufe
from ikz_excel.einlesen import zitat
from ikz_excel.pruefen import Dateiergebnis

AG = "AG-01"
GROESSE_MB = 2  # threshold for `uebergross`: keeps the corpus small
BEFUND_FELDER = {
    "datei",
    "arbeitsgruppe",
    "blatt",
    "zelle",
    "spalte",
    "wert",
    "stufe",
    "regel",
    "meldung",
}
A1 = re.compile(r"[A-Z]{1,3}[1-9]\d*")

Eingaben = dict[str, list[dict[str, Any]]]
Aendern = Callable[[Eingaben, dict[str, Any]], None]
Befundliste = list[tuple[str | None, str | None, Regel]]


# Helpers -------------------------------------------------------------------------------------


def ruecklauf(st: Any, ziel: Path, aendern: Aendern | None = None, ag: str = AG) -> Path:
    """AG-01's return (or `ag`'s) as a careful AG fills it (demo_daten), optionally changed."""
    eingaben, felder = demo_daten.eingaben(st, ag)
    if aendern is not None:
        aendern(eingaben, felder)
    ziel.parent.mkdir(parents=True, exist_ok=True)
    return erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(ag), ziel, eingaben=eingaben, felder=felder
    )


def schluessel_waehlen(eingaben: Eingaben, felder: dict[str, Any], name: str) -> None:
    """The Verteilungsschlüssel `name`, as a careful clerk switches it: AG-01 counts by
    Fallzahl, and Fallzahlen left standing under another key are a Warnung of their own."""
    felder["Schluessel"] = name
    if name != "Fallzahl":
        for z in eingaben["tbl_Kostenausgleich"]:
            z["Fallzahl"] = None


def stand(ordner: Path) -> dict[str, str]:
    """SHA-256 of every file below `ordner`, by relative path."""
    return {
        str(p.relative_to(ordner)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(ordner.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Lage:
    """Where a table's data sits, as python-calamine reports it (Excel rows, 0-based columns).

    calamine's `start` is the first data row (the header is the row above it), `end` the last.
    """

    blatt: str
    erste_zeile: int
    letzte_zeile: int
    erste_spalte: int
    spalten: tuple[str, ...]

    @property
    def zeilen(self) -> int:
        return self.letzte_zeile - self.erste_zeile + 1

    def zelle(self, datenzeile: int, kopf: str) -> str:
        """A1 address of the 0-based data row `datenzeile` in column `kopf`."""
        spalte = self.erste_spalte + self.spalten.index(kopf)
        return f"{get_column_letter(spalte + 1)}{self.erste_zeile + datenzeile}"


def lage(pfad: Path, tabelle: str) -> Lage:
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name(tabelle)
        (z1, s1), (z2, _s2) = t.start, t.end
        return Lage(t.sheet, z1 + 1, z2 + 1, s1, tuple(str(c) for c in t.columns))


def nr_zelle(pfad: Path, nr: str) -> str:
    """The Eintrag cell of Projektbeschreibung row `nr`, found by reading the Nr column."""
    t = lage(pfad, "tbl_Projektbeschreibung")
    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        raster = mappe.get_sheet_by_name(t.blatt).to_python(skip_empty_area=False)
    spalte = t.erste_spalte + t.spalten.index("Nr")
    for i, zeile in enumerate(raster[t.erste_zeile - 1 : t.letzte_zeile]):
        if str(zeile[spalte]).strip() == nr:
            return t.zelle(i, "Eintrag")
    raise KeyError(nr)


def kompakt(d: Dateiergebnis) -> Befundliste:
    return [(b.blatt, b.zelle, b.regel) for b in d.befunde]


def projekt(eingaben: Eingaben, nr: str, eintrag: Any) -> None:
    """Set (or, with None, remove) one Projektbeschreibung entry."""
    zeilen = [z for z in eingaben["tbl_Projektbeschreibung"] if z["Nr"] != nr]
    if eintrag is not None:
        zeilen.append({"Nr": nr, "Eintrag": eintrag})
    eingaben["tbl_Projektbeschreibung"] = zeilen


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def st() -> Any:
    return stammdaten.standard()


@pytest.fixture(scope="module")
def vorlage(tmp_path_factory: pytest.TempPathFactory, st: Any) -> Path:
    """AG-01's Arbeitsmappe as `ikz erzeugen` sends it out, generated afresh."""
    ag = st.arbeitsgruppe(AG)
    ordner = tmp_path_factory.mktemp("vorlage")
    return erzeugen.arbeitsmappe_schreiben(st, ag, ordner / erzeugen.arbeitsmappen_dateiname(ag))


@pytest.fixture(scope="module")
def gueltig(tmp_path_factory: pytest.TempPathFactory, st: Any) -> Path:
    """A complete, correct return of AG-01."""
    return ruecklauf(st, tmp_path_factory.mktemp("gueltig") / "AG-01 ausgefüllt.xlsx")


@pytest.fixture(scope="module")
def korpus_dateien(tmp_path_factory: pytest.TempPathFactory, vorlage: Path) -> dict[str, Path]:
    return korpus.korpus_erzeugen(tmp_path_factory.mktemp("korpus"), vorlage, GROESSE_MB)


@pytest.fixture
def bereich(tmp_path: Path) -> Path:
    """A workspace after `init`, with an empty eingang/."""
    ab = tmp_path / "programm"
    erzeugen.init(ab)
    return ab


def test_gueltiger_ruecklauf_ist_gueltig(gueltig: Path, st: Any) -> None:
    """The baseline every other case changes exactly one thing of."""
    d = pruefen.pruefen([gueltig], st).dateien[0]
    assert (d.status, d.arbeitsgruppe, kompakt(d)) == (pruefen.GUELTIG, AG, [])
    eingaben, _ = demo_daten.eingaben(st, AG)
    assert len(d.zeilen("tbl_Ressourcen")) == len(eingaben["tbl_Ressourcen"]) > 0


# The corpus through `ikz pruefen --json` -----------------------------------------------------

#: kind -> (rule, what the message must say): each bad file is recognised for its own reason.
SCHLECHT: dict[str, tuple[Regel, str]] = {
    "kein_excel": (Regel.DATEI, "keine Excel-Arbeitsmappe"),
    "leer": (Regel.DATEI, "leer (0 Byte)"),
    "xls": (Regel.DATEI, "alten Excel-Format"),
    "ods": (Regel.DATEI, "OpenDocument"),
    "csv": (Regel.DATEI, "keine Excel-Arbeitsmappe"),
    "passwort": (Regel.DATEI, "Kennwort"),
    "kaputt": (Regel.DATEI, "beschädigt"),
    "zipbombe": (Regel.DATEI, "Zip-Bombe"),
    "xml_entitaeten": (Regel.DATEI, "DOCTYPE/ENTITY"),
    "makro": (Regel.DATEI, "Makros"),
    "uebergross": (Regel.DATEI, "MB groß"),
    "fremde_vorlage": (Regel.DATEI, "anderen Vorlage"),
    "blatt_umbenannt": (Regel.STRUKTUR, "Das Blatt 'Ressourcen' fehlt oder wurde umbenannt"),
    "blatt_geloescht": (Regel.STRUKTUR, "Das Blatt 'Risiken' fehlt"),
    "spalte_umbenannt": (Regel.STRUKTUR, "fehlt die Spalte 'Menge'"),
    "spalte_geloescht": (Regel.STRUKTUR, "fehlt die Spalte 'Kostensatz'"),
    "ohne_ikz": (Regel.STRUKTUR, "Blatt _ikz fehlt"),
    "alte_version": (Regel.VERSION, "Vorlagenversion 0"),
}
NEBENDATEIEN = ("sperrdatei_excel", "sperrdatei_libreoffice", "thumbs", "ds_store")
GUELTIGER_NAME = "Mail vom 20.11./AG-01 ausgefüllt.xlsx"


@dataclass
class Korpuslauf:
    lauf: Lauf
    bereich: Path
    vorher: dict[str, str]
    nachher: dict[str, str]

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.lauf.aus)

    def befunde(self, art: str) -> list[dict[str, Any]]:
        return [b for b in self.json["befunde"] if b["datei"].split("/")[0] == art]

    def datei(self, name: str) -> dict[str, Any]:
        (eintrag,) = [d for d in self.json["dateien"] if d["datei"] == name]
        return eintrag


@pytest.fixture(scope="module")
def korpuslauf(
    tmp_path_factory: pytest.TempPathFactory,
    korpus_dateien: dict[str, Path],
    gueltig: Path,
) -> Korpuslauf:
    """The whole corpus plus one valid return in eingang/, checked with `ikz pruefen --json`."""
    ab = tmp_path_factory.mktemp("korpuslauf") / "programm"
    erzeugen.init(ab)
    eingang = ab / "eingang"
    shutil.copytree(korpus_dateien["ausgefuellt"].parent.parent, eingang, dirs_exist_ok=True)
    (eingang / GUELTIGER_NAME).parent.mkdir()
    shutil.copyfile(gueltig, eingang / GUELTIGER_NAME)
    vorher = stand(eingang)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(einlesen, "MAX_DATEIGROESSE", GROESSE_MB * 2**20)
        lauf = ikz("pruefen", "-a", str(ab), "--json")
    return Korpuslauf(lauf, ab, vorher, stand(eingang))


def test_json_ist_alles_auf_stdout_und_exit_1(korpuslauf: Korpuslauf) -> None:
    lauf = korpuslauf.lauf
    assert lauf.code == 1, lauf.fehler
    daten = json.loads(lauf.aus)  # the whole of stdout, nothing before or after
    assert set(daten) == {"dateien", "befunde"}
    assert "Traceback" not in lauf.aus + lauf.fehler
    assert "Unerwarteter Fehler" not in lauf.fehler


def test_jede_schlechte_datei_mit_eigenem_befund(korpuslauf: Korpuslauf) -> None:
    for art, (regel, text) in SCHLECHT.items():
        befunde = korpuslauf.befunde(art)
        passend = [b for b in befunde if b["regel"] == regel and text in b["meldung"]]
        assert passend, (art, [(b["regel"], b["meldung"]) for b in befunde])
        assert all(b["stufe"] == "Fehler" for b in passend), art
        (eintrag,) = [d for d in korpuslauf.json["dateien"] if d["datei"].startswith(art + "/")]
        assert eintrag["status"] in (pruefen.UNLESBAR, pruefen.FEHLERHAFT), art
        assert eintrag["fehler"] >= 1


def test_keine_datei_haelt_die_anderen_auf(
    korpuslauf: Korpuslauf, korpus_dateien: dict[str, Path]
) -> None:
    """Every file but the lock and system files has its entry; those are skipped silently."""
    eingang = korpuslauf.bereich / "eingang"
    erwartet = {
        str(eingang / p.relative_to(korpus_dateien["ausgefuellt"].parent.parent))
        for art, p in korpus_dateien.items()
        if art not in NEBENDATEIEN
    } | {str(eingang / GUELTIGER_NAME)}
    gemeldet = {str(eingang / d["datei"]) for d in korpuslauf.json["dateien"]}
    assert gemeldet == erwartet
    for art in NEBENDATEIEN:
        assert korpuslauf.befunde(art) == []
        assert not any(d["datei"].startswith(art + "/") for d in korpuslauf.json["dateien"])


def test_gueltige_ruecklaeufe_im_korpus_sind_gueltig(korpuslauf: Korpuslauf) -> None:
    for name in (GUELTIGER_NAME, "ausgefuellt/AG-01_IT-Gemeinsames-Rechenzentrum.xlsx"):
        eintrag = korpuslauf.datei(name)
        assert eintrag["status"] == pruefen.GUELTIG, name
        assert (eintrag["arbeitsgruppe"], eintrag["fehler"], eintrag["warnungen"]) == (AG, 0, 0)
        assert eintrag["schema_version"] == str(definition.arbeitsmappe().schema_version)
        assert [b for b in korpuslauf.json["befunde"] if b["datei"] == name] == []


def test_text_in_zahl_im_korpus(korpuslauf: Korpuslauf, korpus_dateien: dict[str, Path]) -> None:
    t = lage(korpus_dateien["text_in_zahl"], "tbl_Ressourcen")
    befunde = [
        (b["blatt"], b["zelle"], b["regel"], b["stufe"]) for b in korpuslauf.befunde("text_in_zahl")
    ]
    assert befunde == [
        ("Ressourcen", t.zelle(0, "Menge"), "TYP", "Fehler"),
        ("Ressourcen", t.zelle(0, "Kostensatz"), "UMGEWANDELT", "Warnung"),
    ]


def test_umbenannte_spalte_zeigt_auf_ihre_ueberschrift(
    korpuslauf: Korpuslauf, korpus_dateien: dict[str, Path]
) -> None:
    t = lage(korpus_dateien["spalte_umbenannt"], "tbl_Ressourcen")
    (b,) = [b for b in korpuslauf.befunde("spalte_umbenannt") if b["regel"] == "STRUKTUR"]
    ueberschrift = f"{t.zelle(0, 'Anzahl').rstrip('0123456789')}{t.erste_zeile - 1}"
    assert (b["blatt"], b["zelle"]) == ("Ressourcen", ueberschrift)
    assert "stattdessen gefunden: 'Anzahl'" in b["meldung"]
    assert f"Ressourcen!{ueberschrift}" in b["meldung"]


def test_eingang_bleibt_byte_fuer_byte(korpuslauf: Korpuslauf) -> None:
    assert korpuslauf.nachher == korpuslauf.vorher
    assert len(korpuslauf.vorher) == len(korpus.ARTEN) + 1


def test_jeder_befund_hat_die_felder_des_fachkonzepts(korpuslauf: Korpuslauf) -> None:
    befunde = korpuslauf.json["befunde"]
    assert len(befunde) >= len(SCHLECHT) + 2
    dateien = {d["datei"] for d in korpuslauf.json["dateien"]}
    for b in befunde:
        assert set(b) == BEFUND_FELDER, b
        assert b["stufe"] in {"Fehler", "Warnung", "Hinweis"}
        assert b["regel"] in {r.value for r in Regel}
        assert b["datei"] in dateien
        assert b["arbeitsgruppe"] in (None, AG)
        assert isinstance(b["meldung"], str) and len(b["meldung"]) > 20
        if b["zelle"] is not None:
            assert A1.fullmatch(b["zelle"]) and b["blatt"], b
            assert f"{b['blatt']}!{b['zelle']}" in b["meldung"]


def test_meldungen_sind_deutsch(korpuslauf: Korpuslauf) -> None:
    deutsch = re.compile(r"\b(die|der|das|ist|nicht|Bitte|fehlt|Datei|Blatt)\b")
    for b in korpuslauf.json["befunde"]:
        assert deutsch.search(b["meldung"]), b["meldung"]
        assert not re.search(r"\b(the|is not|please|error)\b", b["meldung"], re.I), b["meldung"]


def test_uebergross_direkt_mit_kleiner_schwelle(
    korpus_dateien: dict[str, Path], st: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pfad = korpus_dateien["uebergross"]
    unter_25_mb = pruefen.pruefen([pfad], st).dateien[0]  # the blank template: it is read
    assert unter_25_mb.gelesen and unter_25_mb.arbeitsgruppe == AG
    # (and found unfilled, session 24: that one Fehler of rule DATEI is not about its size)
    assert [b.regel for b in unter_25_mb.befunde] == [Regel.DATEI] and unter_25_mb.leer
    monkeypatch.setattr(einlesen, "MAX_DATEIGROESSE", GROESSE_MB * 2**20)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert (kompakt(d), d.status) == ([(None, None, Regel.DATEI)], pruefen.UNLESBAR)


# Cell findings ---------------------------------------------------------------------------------


def _menge(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Ressourcen"][1]["Menge"] = "zwei"


def _kostensatz(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Ressourcen"][1]["Kostensatz"] = "1.234,50 €"


def _gewicht(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_StaerkenSchwaechen"][2]["Gewicht"] = 7


def _ab_jahr(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Ressourcen"][3]["ab Jahr"] = 9


def _kommune(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Ressourcen"][1]["Kommune"] = "Stadt Wolfsburg"


def _ohne_outsourcing(e: Eingaben, _f: dict[str, Any]) -> None:
    projekt(e, "3.4", "Aufgabenkritik und eGovernment wurden geprüft; beides bringt wenig.")


def _hindernisse_ohne_beschreibung(e: Eingaben, _f: dict[str, Any]) -> None:
    projekt(e, "3.6", "lösbar")
    projekt(e, "3.7", None)


def _variante_fehlt(e: Eingaben, _f: dict[str, Any]) -> None:
    projekt(e, "3.10", "D – Gibt es nicht")


def _termin(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Meilensteine"][2]["Termin"] = date(2016, 3, 31)


def _risiko(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Risiken"][1].update(
        {"Eintrittswahrscheinlichkeit": 5, "Auswirkung": 4, "Gegenmaßnahme": None}
    )


def _anteile(e: Eingaben, f: dict[str, Any]) -> None:
    schluessel_waehlen(e, f, "individuell")
    zeilen = e["tbl_Kostenausgleich"]
    assert len(zeilen) == 10
    for z in zeilen:
        z["Anteil individuell"] = Decimal("0.09")  # ten partners: 90 %


def _variante_doppelt(e: Eingaben, _f: dict[str, Any]) -> None:
    e["tbl_Varianten"][2]["Variante"] = e["tbl_Varianten"][0]["Variante"]


def _in(tabelle: str, zeile: int, kopf: str, regel: Regel) -> Callable[[Path], Befundliste]:
    def erwartet(pfad: Path) -> Befundliste:
        t = lage(pfad, tabelle)
        return [(t.blatt, t.zelle(zeile, kopf), regel)]

    return erwartet


def _nr(nr: str, regel: Regel) -> Callable[[Path], Befundliste]:
    return lambda pfad: [("Projektbeschreibung", nr_zelle(pfad, nr), regel)]


#: case -> (the one change, expected findings, stufe of those findings)
ZELLFAELLE: dict[str, tuple[Aendern, Callable[[Path], Befundliste], Stufe]] = {
    "menge_zwei": (_menge, _in("tbl_Ressourcen", 1, "Menge", Regel.TYP), Stufe.FEHLER),
    "kostensatz_als_text": (
        _kostensatz,
        _in("tbl_Ressourcen", 1, "Kostensatz", Regel.UMGEWANDELT),
        Stufe.WARNUNG,
    ),
    "gewicht_7": (
        _gewicht,
        _in("tbl_StaerkenSchwaechen", 2, "Gewicht", Regel.BEREICH),
        Stufe.FEHLER,
    ),
    "ab_jahr_9": (_ab_jahr, _in("tbl_Ressourcen", 3, "ab Jahr", Regel.BEREICH), Stufe.FEHLER),
    "kommune_fremd": (_kommune, _in("tbl_Ressourcen", 1, "Kommune", Regel.PARTNER), Stufe.FEHLER),
    "ohne_outsourcing": (_ohne_outsourcing, _nr("3.4", Regel.INHALT), Stufe.FEHLER),
    "hindernisse_ohne_beschreibung": (
        _hindernisse_ohne_beschreibung,
        _nr("3.7", Regel.PFLICHT),
        Stufe.FEHLER,
    ),
    "variante_unbekannt": (_variante_fehlt, _nr("3.10", Regel.LISTE), Stufe.FEHLER),
    "termin_2016": (_termin, _in("tbl_Meilensteine", 2, "Termin", Regel.BEREICH), Stufe.FEHLER),
    "risiko_ohne_massnahme": (
        _risiko,
        _in("tbl_Risiken", 1, "Gegenmaßnahme", Regel.RISIKO),
        Stufe.FEHLER,
    ),
    "anteile_90": (
        _anteile,
        _in("tbl_Kostenausgleich", 0, "Anteil individuell", Regel.SUMME),
        Stufe.FEHLER,
    ),
    "variante_doppelt": (
        _variante_doppelt,
        _in("tbl_Varianten", 2, "Variante", Regel.EINDEUTIG),
        Stufe.FEHLER,
    ),
}


@pytest.fixture(scope="module")
def zellfaelle(
    tmp_path_factory: pytest.TempPathFactory, st: Any, gueltig: Path
) -> dict[str, tuple[Path, Dateiergebnis]]:
    """All cases checked in one call, with the valid return among them: no finding may stray
    into another file (pandera validates all files' rows of a table in one frame)."""
    ordner = tmp_path_factory.mktemp("zellfaelle")
    pfade = {
        fall: ruecklauf(st, ordner / f"{fall}.xlsx", aendern)
        for fall, (aendern, _, _) in ZELLFAELLE.items()
    }
    mitte = len(pfade) // 2
    reihenfolge = [*list(pfade.values())[:mitte], gueltig, *list(pfade.values())[mitte:]]
    ergebnis = pruefen.pruefen(reihenfolge, st)
    nach_pfad = {d.pfad: d for d in ergebnis.dateien}
    assert nach_pfad[gueltig].befunde == []
    return {fall: (pfad, nach_pfad[pfad]) for fall, pfad in pfade.items()}


@pytest.mark.parametrize("fall", list(ZELLFAELLE))
def test_ein_fehler_ein_befund_an_seiner_zelle(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]], fall: str
) -> None:
    pfad, d = zellfaelle[fall]
    _, erwartet, stufe = ZELLFAELLE[fall]
    assert kompakt(d) == erwartet(pfad)
    assert [b.stufe for b in d.befunde] == [stufe]
    (b,) = d.befunde
    assert b.arbeitsgruppe == AG and b.datei == pfad.name
    assert b.meldung.startswith(f"{b.blatt}!{b.zelle}")
    assert d.status == (pruefen.FEHLERHAFT if stufe is Stufe.FEHLER else pruefen.MIT_WARNUNGEN)


def test_adressen_wie_im_fachlichen_beispiel(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]],
) -> None:
    """The layout the Lenkungsgruppe knows: 3.4 is D14, 3.7 is D17 on Projektbeschreibung."""
    assert kompakt(zellfaelle["ohne_outsourcing"][1]) == [
        ("Projektbeschreibung", "D14", Regel.INHALT)
    ]
    assert kompakt(zellfaelle["hindernisse_ohne_beschreibung"][1]) == [
        ("Projektbeschreibung", "D17", Regel.PFLICHT)
    ]


def test_meldungen_sagen_was_zu_tun_ist(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]], st: Any
) -> None:
    def meldung(fall: str) -> str:
        return zellfaelle[fall][1].befunde[0].meldung

    assert "'zwei' ist keine Zahl" in meldung("menge_zwei")
    assert "1234,5" in meldung("kostensatz_als_text")
    assert st.parameter["Betrachtungszeitraum"] == 5
    assert "1 bis 5" in meldung("ab_jahr_9")
    assert "1 bis 3" in meldung("gewicht_7")
    assert "Outsourcing" in meldung("ohne_outsourcing")
    assert "Aufgabenkritik" not in meldung("ohne_outsourcing").split(":", 1)[1]
    assert "'lösbar'" in meldung("hindernisse_ohne_beschreibung")
    assert "90 %" in meldung("anteile_90")
    assert "Wolfsburg" in meldung("kommune_fremd")
    assert "Risikowert 20" in meldung("risiko_ohne_massnahme")
    assert "31.12.2014" in meldung("termin_2016")
    assert "Zeile" in meldung("variante_doppelt")


@pytest.mark.parametrize("fall", ["anteile_90", "risiko_ohne_massnahme"])
def test_korrekturexemplar_rot_nur_bis_korrigiert(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]], st: Any, tmp_path: Path, fall: str
) -> None:
    """The shares' sum and a missing Gegenmaßnahme: red in the copy only while still wrong."""
    pfad, d = zellfaelle[fall]
    (b,) = d.befunde
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)[b.blatt or ""]
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    if fall == "risiko_ohne_massnahme":
        assert bedingungen[b.zelle] == [f"LEN(TRIM({b.zelle}))=0"]
        return
    t = lage(pfad, "tbl_Kostenausgleich")
    letzte = t.zelle(len(st.arbeitsgruppe(AG).partner) - 1, "Anteil individuell")
    assert bedingungen[b.zelle] == [f"ROUND(SUM({b.zelle}:{letzte}),6)<>1"]


def test_menge_zwei_wird_nicht_zusaetzlich_als_leer_gemeldet(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]],
) -> None:
    pfad, d = zellfaelle["menge_zwei"]
    zelle = lage(pfad, "tbl_Ressourcen").zelle(1, "Menge")
    assert [b.regel for b in d.befunde if b.zelle == zelle] == [Regel.TYP]
    assert d.befunde[0].wert == "zwei"


def test_kostensatz_als_text_wird_verstanden(
    zellfaelle: dict[str, tuple[Path, Dateiergebnis]],
) -> None:
    _, d = zellfaelle["kostensatz_als_text"]
    assert d.zahl(Stufe.FEHLER) == 0
    assert d.zeilen("tbl_Ressourcen")[1]["Kostensatz"] == Decimal("1234.50")


def test_anteile_als_ganze_zahlen_fragen_nach_prozent(st: Any, tmp_path: Path) -> None:
    """50 typed for 50 %: the message asks the question the clerk needs."""

    def ganze_zahlen(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        zeilen = e["tbl_Kostenausgleich"]
        for z, anteil in zip(zeilen, [50, 30, 20] + [0] * len(zeilen), strict=False):
            z["Anteil individuell"] = anteil

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", ganze_zahlen)], st).dateien[0]
    bereich = [b.meldung for b in d.befunde if b.regel is Regel.BEREICH]
    assert len(bereich) == 3
    assert (
        "50 (5000 %) liegt außerhalb des erlaubten Bereichs 0 % bis 100 %. Meinten Sie 50 %?"
        in bereich[0]
    )
    [summe] = [b.meldung for b in d.befunde if b.regel is Regel.SUMME]
    assert "ergeben nicht 100 %: bitte zuerst die Anteile über 100 % berichtigen" in summe
    assert "10000" not in summe


def test_anteile_beim_schluessel_einwohner_sind_eine_warnung(st: Any, tmp_path: Path) -> None:
    """Shares typed while the key stays at its default Einwohner: the clerk believes they
    count, the overview splits by Einwohner. A Warnung at the first share says so; with the
    key 'individuell' the same shares give none, and Fallzahlen under 'gleiche Anteile' get
    their own."""

    def anteile(schluessel: str, kopf: str = "Anteil individuell") -> Any:
        def fuellen(e: Eingaben, f: dict[str, Any]) -> None:
            schluessel_waehlen(e, f, schluessel)
            zeilen = e["tbl_Kostenausgleich"]
            for i, z in enumerate(zeilen):
                z[kopf] = Decimal(1) / len(zeilen) if kopf != "Fallzahl" else 10 + i
                if kopf != "Fallzahl" and i == 0:
                    z[kopf] = 0  # a 0 alone is no share anybody means

        return fuellen

    ergebnis = pruefen.pruefen(
        [
            ruecklauf(st, tmp_path / "einwohner.xlsx", anteile("Einwohner")),
            ruecklauf(st, tmp_path / "individuell.xlsx", anteile("individuell")),
            ruecklauf(st, tmp_path / "gleich.xlsx", anteile("gleiche Anteile", "Fallzahl")),
        ],
        st,
    )
    einwohner, individuell, gleich = ergebnis.dateien
    [w] = [b for b in einwohner.befunde if b.regel is Regel.INHALT]
    partner = len(st.arbeitsgruppe(AG).partner)
    assert w.stufe is Stufe.WARNUNG and w.spalte == "Anteil individuell"
    assert w.zelle == lage(tmp_path / "einwohner.xlsx", "tbl_Kostenausgleich").zelle(
        1, "Anteil individuell"
    )
    assert (
        f"Hier stehen individuelle Anteile ({partner - 1} Kommunen), der Verteilungsschlüssel "
        "ist aber 'Einwohner': verteilt wird nach 'Einwohner', die individuellen Anteile zählen "
        "nicht. Sollen sie gelten, bitte den Schlüssel 'individuell' wählen, sonst die "
        "individuellen Anteile löschen." in w.meldung
    )
    assert not [b for b in individuell.befunde if b.regel is Regel.INHALT]
    [f] = [b for b in gleich.befunde if b.regel is Regel.INHALT]
    assert f.spalte == "Fallzahl" and f"Fallzahlen ({partner} Kommunen)" in f.meldung


def _zeile_anhaengen(pfad: Path, blatt: str, tabelle: str, werte: dict[str, Any]) -> dict[str, str]:
    """What a clerk does after removing the sheet protection: a row added to the table's end
    (the table grows by it) and typed into. Returns the cells written, by header."""
    wb = openpyxl.load_workbook(pfad)
    ws = wb[blatt]
    t = ws.tables[tabelle]
    links, oben, rechts, unten = range_boundaries(t.ref)
    koepfe = [ws.cell(oben, c).value for c in range(links, rechts + 1)]
    neu = unten + 1
    t.ref = f"{get_column_letter(links)}{oben}:{get_column_letter(rechts)}{neu}"
    zellen = {}
    for kopf, wert in werte.items():
        ws.cell(neu, links + koepfe.index(kopf), wert)
        zellen[kopf] = f"{get_column_letter(links + koepfe.index(kopf))}{neu}"
    wb.save(pfad)
    return zellen


def _zeile_im_kostenausgleich(pfad: Path, kommune: str | None, anteil: float) -> str:
    zellen = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": kommune, "Anteil individuell": anteil},
    )
    return zellen["Kommune"]


def test_zusaetzliche_zeile_im_kostenausgleich_ist_ein_fehler(st: Any, tmp_path: Path) -> None:
    """A partner twice made the field's whole split vanish from the overview, a Kommune that
    is no partner was charged a share, and the return was valid (clerk review)."""
    from ikz_excel import konsolidieren

    def individuell(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        for i, z in enumerate(e["tbl_Kostenausgleich"]):
            z["Anteil individuell"] = 0.4 if i == 0 else 0.05

    doppelt = ruecklauf(st, tmp_path / "doppelt.xlsx", individuell)
    zelle_doppelt = _zeile_im_kostenausgleich(doppelt, st.kommunen[0].name, 0.15)
    fremd = ruecklauf(st, tmp_path / "fremd.xlsx", individuell)
    zelle_fremd = _zeile_im_kostenausgleich(fremd, "Stadt Wolfsburg", 0.15)
    ohne = ruecklauf(st, tmp_path / "ohne.xlsx", individuell)
    zelle_ohne = _zeile_im_kostenausgleich(ohne, None, 0.15)
    ergebnis = pruefen.pruefen([doppelt, fremd, ohne], st)
    fehler = [
        [(b.zelle, b.regel) for b in d.befunde if b.stufe is Stufe.FEHLER] for d in ergebnis.dateien
    ]
    assert fehler == [
        [(zelle_doppelt, Regel.EINDEUTIG)],
        [(zelle_fremd, Regel.PARTNER)],
        [(zelle_ohne, Regel.PFLICHT)],
    ]
    meldung = next(b.meldung for b in ergebnis.dateien[0].befunde if b.regel is Regel.EINDEUTIG)
    assert f"{st.kommunen[0].name} steht schon in Zeile" in meldung
    assert all(d.status == pruefen.FEHLERHAFT for d in ergebnis.dateien)

    # the overview counts the field as faulty, not as valid without its split
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    (ab / "eingang" / "doppelt.xlsx").write_bytes(doppelt.read_bytes())
    k = konsolidieren.konsolidieren(ab)
    stand = next(s for s in k.ags if s.ag.kuerzel == AG)
    assert not stand.gueltig


def test_eingefuegte_zeilen_in_vorgegebenen_tabellen_werden_gemeldet(
    st: Any, tmp_path: Path
) -> None:
    """A row added to the Projektbeschreibung or the Priorisierung was read nowhere and its
    text was lost without a word (clerk review); a criterion twice or missing is a Fehler."""
    projekt_zeile = ruecklauf(st, tmp_path / "projekt.xlsx")
    zellen = _zeile_anhaengen(
        projekt_zeile,
        "Projektbeschreibung",
        "tbl_Projektbeschreibung",
        {"Nr": "5.3", "Phase": "Umsetzung", "Feld": "Nachsorge", "Eintrag": "Jährlicher Bericht."},
    )
    kriterium = ruecklauf(st, tmp_path / "kriterium.xlsx")
    zellen_k = _zeile_anhaengen(
        kriterium,
        "Priorisierung",
        "tbl_Einschaetzung",
        {"Kriterium": "Akzeptanz bei Vereinen", "Punkte": 2, "Begründung": "Gemischt."},
    )
    doppelt = ruecklauf(st, tmp_path / "doppelt.xlsx")
    zellen_d = _zeile_anhaengen(
        doppelt,
        "Priorisierung",
        "tbl_Einschaetzung",
        {"Kriterium": st.kriterien[0].name, "Punkte": 1, "Begründung": "Doch nicht."},
    )

    # the last criterion's row deleted: the table one row shorter, the row cleared
    geloescht = ruecklauf(st, tmp_path / "geloescht.xlsx")
    wb = openpyxl.load_workbook(geloescht)
    _tabellenzeile_loeschen(wb["Priorisierung"], None, "tbl_Einschaetzung")
    wb.save(geloescht)

    ergebnis = pruefen.pruefen([projekt_zeile, kriterium, doppelt, geloescht], st)
    befunde = [
        [(b.zelle, b.stufe, b.regel) for b in d.befunde if b.regel is not Regel.FORMEL]
        for d in ergebnis.dateien
    ]
    assert befunde == [
        [(zellen["Eintrag"], Stufe.WARNUNG, Regel.STRUKTUR)],
        [(zellen_k["Kriterium"], Stufe.WARNUNG, Regel.STRUKTUR)],
        [(zellen_d["Kriterium"], Stufe.FEHLER, Regel.EINDEUTIG)],
        [(None, Stufe.FEHLER, Regel.STRUKTUR)],
    ]
    assert st.kriterien[-1].name in ergebnis.dateien[3].befunde[0].meldung
    meldung = ergebnis.dateien[0].befunde[0].meldung
    assert "'5.3 | Umsetzung | Nachsorge | Jährlicher Bericht.'" in meldung
    assert "wird nicht gelesen" in meldung


def test_drei_drittel_wie_in_excel_getippt_ergeben_100_prozent(st: Any, tmp_path: Path) -> None:
    """=1/3 three times sums to 0.9999999999999999: the workbook says "100 %", so must the
    check (Kämmerei review); the euro parts still add up to the cent. 33,33 % three times is
    still wrong."""
    from ikz_excel import konsolidieren

    def drittel(anteil: float) -> Callable[[Eingaben, dict[str, Any]], None]:
        def aendern(e: Eingaben, f: dict[str, Any]) -> None:
            schluessel_waehlen(e, f, "individuell")
            zeilen = e["tbl_Kostenausgleich"]
            for i, z in enumerate(zeilen):
                z["Anteil individuell"] = anteil if i < 3 else 0

        return aendern

    ergebnis = pruefen.pruefen(
        [
            ruecklauf(st, tmp_path / "drittel.xlsx", drittel(1 / 3)),
            ruecklauf(st, tmp_path / "gerundet.xlsx", drittel(0.3333)),
        ],
        st,
    )
    genau, gerundet = ergebnis.dateien
    assert [b.meldung for b in genau.befunde if b.regel is Regel.SUMME] == []
    anteile = konsolidieren.anteile_der_mappe(genau, "individuell", {})
    assert anteile is not None and sum(anteile.values()) == 1
    assert len({a for a in anteile.values() if a}) == 1  # three equal thirds
    (summe,) = [b.meldung for b in gerundet.befunde if b.regel is Regel.SUMME]
    assert "ergeben 99,99 %, nicht 100 %" in summe


def test_als_text_getippter_falscher_wert_nur_ein_befund(st: Any, tmp_path: Path) -> None:
    """'15' typed as text for 15 %: the Fehler alone. The Warnung that the text was read as 15
    said to type in what was read, exactly the value found wrong. The Korrektur copy has the
    number 15, red until corrected."""

    def als_text(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        zeilen = e["tbl_Kostenausgleich"]
        for z, anteil in zip(zeilen, ["15", 0.85] + [0] * len(zeilen), strict=False):
            z["Anteil individuell"] = anteil

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", als_text)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel in (Regel.BEREICH, Regel.UMGEWANDELT)]
    assert (b.regel, b.stufe) == (Regel.BEREICH, Stufe.FEHLER)
    assert "Meinten Sie 15 %?" in b.meldung
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    mappe = openpyxl.load_workbook(kopie)
    assert mappe["Kostenausgleich"][b.zelle].value == 15


def test_vorgegebene_zeile_heisst_in_der_meldung_wie_im_blatt(st: Any, tmp_path: Path) -> None:
    """'Projektbeschreibung!D11 (3.1 Externe Begleitung …)', not '(Eintrag)'."""

    def gross(e: Eingaben, _f: dict[str, Any]) -> None:
        next(z for z in e["tbl_Projektbeschreibung"] if z["Nr"] == "3.1")["Eintrag"] = "Ja"

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", gross)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.UMGEWANDELT]
    assert b.blatt == "Projektbeschreibung" and f"!{b.zelle} (3.1 " in b.meldung
    assert "(Eintrag)" not in b.meldung


def test_vertippte_kommune_bekommt_einen_vorschlag(st: Any, tmp_path: Path) -> None:
    partner = st.arbeitsgruppe(AG).partner[0]

    def vertippt(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Kommune"] = partner[:-1]  # 'Stadt Helmsted'
        e["tbl_Ressourcen"][1]["Kommune"] = "Stadt Wolfsburg"  # no partner at all

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", vertippt)], st).dateien[0]
    tippfehler, fremd = [b.meldung for b in d.befunde if b.regel is Regel.PARTNER]
    assert f"Meinten Sie {partner!r}?" in tippfehler
    assert "Meinten Sie" not in fremd


def test_eingefuegte_minuszeichen_und_tausenderkomma_in_betraegen(st: Any, tmp_path: Path) -> None:
    """Pasted into the money columns as text (probe): '−41.234,56' with the minus Word and
    PDFs write was 'keine Zahl, nur Ziffern eingeben' (the clerk sees a number), '(500)' from
    an accounting report too; '5,000' from an English quote was read as 5 € with a Warnung,
    a thousandfold wrong Kostensatz in the figures."""

    def eingefuegt(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Nutzen"][0]["Betrag"] = "\u221241.234,56"
        e["tbl_Nutzen"][1]["Betrag"] = "(500)"
        e["tbl_Ressourcen"][0]["Kostensatz"] = "5,000"

    pfad = ruecklauf(st, tmp_path / "r.xlsx", eingefuegt)
    d = pruefen.pruefen([pfad], st).dateien[0]
    nutzen, ressourcen = lage(pfad, "tbl_Nutzen"), lage(pfad, "tbl_Ressourcen")
    assert kompakt(d) == [
        (ressourcen.blatt, ressourcen.zelle(0, "Kostensatz"), Regel.TYP),
        (nutzen.blatt, nutzen.zelle(0, "Betrag"), Regel.BEREICH),
        (nutzen.blatt, nutzen.zelle(1, "Betrag"), Regel.BEREICH),
    ]
    kostensatz, minus, klammer = (b.meldung for b in d.befunde)
    assert "'5,000' ist mehrdeutig (5000 mit Komma als Tausendertrennzeichen oder 5" in kostensatz
    assert "-41.234,56 liegt außerhalb" in minus and "ohne Minuszeichen eintragen" in minus
    assert "-500 liegt außerhalb" in klammer and "ohne Minuszeichen eintragen" in klammer


def test_kurzform_einer_partnerkommune_nennt_den_vollen_namen(st: Any, tmp_path: Path) -> None:
    """'Schöningen' typed over the dropdown (pasted, or the validation gone) is a partner, in
    short: 'ist keine Partnerkommune' puzzled the clerk and named no way out (probe)."""
    kurz = ["Schöningen", "SG Velpke", "Helmstedt", "LK Helmstedt", "Königslutter", "Nord Elm"]

    def kurzformen(e: Eingaben, _f: dict[str, Any]) -> None:
        for zeile, name in zip(e["tbl_Ressourcen"], kurz, strict=False):
            zeile["Kommune"] = name
        e["tbl_Ressourcen"][len(kurz)]["Kommune"] = "Stadt Wolfsburg"  # no partner at all

    pfad = ruecklauf(st, tmp_path / "r.xlsx", kurzformen)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Ressourcen")
    meldung = {b.zelle: b.meldung for b in d.befunde if b.regel is Regel.PARTNER}
    gemeint = [
        "'Stadt Schöningen'",
        "'Samtgemeinde Velpke'",
        "'Landkreis Helmstedt' oder 'Stadt Helmstedt'",
        "'Landkreis Helmstedt'",  # LK: not the Stadt
        "'Stadt Königslutter am Elm'",
        "'Samtgemeinde Nord-Elm'",
    ]
    for i, (name, voll) in enumerate(zip(kurz, gemeint, strict=True)):
        assert meldung[t.zelle(i, "Kommune")] == (
            f"{t.blatt}!{t.zelle(i, 'Kommune')} (Kommune): '{name}' steht so nicht in der "
            f"Auswahlliste der Partnerkommunen. Meinten Sie {voll}? Bitte die Kommune mit "
            "ihrem vollen Namen aus der Auswahlliste wählen."
        )
    fremd = meldung[t.zelle(len(kurz), "Kommune")]
    assert "ist keine Partnerkommune dieser Arbeitsgruppe" in fremd
    assert "Meinten Sie" not in fremd


def test_andere_kommune_des_programms_ist_keine_kurzform(st: Any, tmp_path: Path) -> None:
    """AG-10's partners are the three Städte: the Landkreis Helmstedt, a Kommune of the
    programme, really is no partner and must not be taken for the Stadt Helmstedt."""

    def landkreis(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Kommune"] = "Landkreis Helmstedt"
        e["tbl_Ressourcen"][1]["Kommune"] = "Helmstedt"

    pfad = ruecklauf(st, tmp_path / "r.xlsx", landkreis, ag="AG-10")
    d = pruefen.pruefen([pfad], st).dateien[0]
    lk, kurz = [b.meldung for b in d.befunde if b.regel is Regel.PARTNER]
    assert "'Landkreis Helmstedt' ist keine Partnerkommune dieser Arbeitsgruppe." in lk
    assert "Meinten Sie" not in lk
    assert "Meinten Sie 'Stadt Helmstedt'?" in kurz


def test_grosse_zahlen_in_meldungen_mit_tausenderpunkten(st: Any, tmp_path: Path) -> None:
    def riesig(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Kostensatz"] = 123456789012

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", riesig)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.BEREICH]
    assert "123.456.789.012 liegt außerhalb des erlaubten Bereichs 0 bis 100.000.000" in b.meldung


def test_negative_einsparung_sagt_wie_es_richtig_geht(st: Any, tmp_path: Path) -> None:
    def negativ(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Nutzen"][0]["Betrag"] = -41234.56

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", negativ)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.BEREICH]
    assert "-41.234,56 liegt außerhalb des erlaubten Bereichs" in b.meldung
    assert "Beträge ohne Minuszeichen eintragen" in b.meldung


def test_negative_menge_sagt_wie_es_richtig_geht(st: Any, tmp_path: Path) -> None:
    """A Menge of -2 got only "Bitte korrigieren", a negative Betrag the hint (README walk 20)."""

    def negativ(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = -2

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", negativ)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.BEREICH]
    assert b.meldung.endswith(
        "-2 liegt außerhalb des erlaubten Bereichs 0 bis 1.000.000. "
        "Bitte ohne Minuszeichen eintragen."
    ), b.meldung


# Rows typed below a table ----------------------------------------------------------------------


def test_zeile_direkt_unter_der_tabelle_wird_gelesen(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    t = lage(gueltig, "tbl_Ressourcen")
    tabellenzeilen = t.zeilen
    zusatz = {
        "Ressourcenart": "Personal",
        "Kommune": "Stadt Wolfsburg",
        "Beschreibung": "Nachgetragen unter der Tabelle",
        "Menge": "drei",
        "Einheit": "Stelle",
        "Kostensatz": 52000,
        "Kostenart": "jährlich",
        "ab Jahr": 2,
    }
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 mit Zusatzzeile.xlsx",
        {"tbl_Ressourcen": [{}] * tabellenzeilen + [zusatz]},
    )
    assert lage(pfad, "tbl_Ressourcen") == t  # the table did not grow: the row is below it
    d = pruefen.pruefen([pfad], st).dateien[0]
    zeilen = d.zeilen("tbl_Ressourcen")
    assert zeilen[-1]["Beschreibung"] == "Nachgetragen unter der Tabelle"
    assert zeilen[-1]["Kostensatz"] == 52000 and zeilen[-1]["ab Jahr"] == 2
    assert d.gelesen["tbl_Ressourcen"].roh.unterhalb == 1
    unten = t.letzte_zeile + 1
    assert kompakt(d) == [
        ("Ressourcen", f"B{unten}", Regel.PARTNER),
        ("Ressourcen", f"D{unten}", Regel.TYP),
    ]
    assert t.zelle(tabellenzeilen, "Menge") == f"D{unten}"


def test_zeilen_im_gelben_bereich_auch_nach_luecke_gelesen_darunter_ein_fehler(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Every filled row of the input rows below the table counts, also after empty ones, and
    so does a row that follows on without a gap; a row further down after empty ones (the
    sheet had to be unprotected) is a Fehler at its cell, never dropped."""
    t = lage(gueltig, "tbl_Ressourcen")
    reserve = definition.arbeitsmappe().tabelle("tbl_Ressourcen").reserve
    zeile = {
        "Ressourcenart": "Personal",
        "Kommune": "Stadt Helmstedt",
        "Menge": 1,
        "Einheit": "Stelle",
        "Kostensatz": 150000,
        "Kostenart": "jährlich",
        "ab Jahr": 1,
    }
    unten: list[dict[str, Any]] = [{}] * (reserve + 3)
    unten[4] = dict(zeile, Beschreibung="nach vier leeren Zeilen")
    unten[reserve - 1] = dict(zeile, Beschreibung="letzte gelbe Zeile")
    unten[reserve] = dict(zeile, Beschreibung="gleich danach")
    unten[reserve + 2] = {"Beschreibung": "darunter"}
    pfad = korpus.ausfuellen(
        gueltig, tmp_path / "AG-01 Luecke.xlsx", {"tbl_Ressourcen": [{}] * t.zeilen + unten}
    )
    assert lage(pfad, "tbl_Ressourcen") == t
    d = pruefen.pruefen([pfad], st).dateien[0]
    beschreibungen = [z["Beschreibung"] for z in d.zeilen("tbl_Ressourcen")]
    assert beschreibungen[-3:] == [
        "nach vier leeren Zeilen",
        "letzte gelbe Zeile",
        "gleich danach",
    ]
    ausserhalb = t.letzte_zeile + reserve + 3
    spalte = t.zelle(0, "Beschreibung").rstrip("0123456789")
    # the row typed on after the yellow ones counts, but the workbook's formulas miss it
    danach = t.zelle(t.zeilen + reserve, "Ressourcenart")
    assert kompakt(d) == [
        ("Ressourcen", danach, Regel.STRUKTUR),
        ("Ressourcen", f"{spalte}{ausserhalb}", Regel.STRUKTUR),
    ]
    warnung, fehler = d.befunde
    assert (warnung.stufe, fehler.stufe) == (Stufe.WARNUNG, Stufe.FEHLER)
    assert "rechnen sie aber nicht mit" in warnung.meldung
    assert "Korrekturexemplar" in warnung.meldung
    assert f"Zeile {ausserhalb} steht unter den gelben Eingabezeilen" in fehler.meldung
    assert "wird nicht gelesen (darunter)" in fehler.meldung  # what it holds: not lost


def test_korrekturexemplar_uebernimmt_zeilen_weit_unter_der_tabelle(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A cost row typed far below the yellow rows is not read (a Fehler); the copy takes it into
    its table, so that sending the copy back unchanged does not lose it (found in review)."""
    from ikz_excel import berichte

    t = lage(gueltig, "tbl_Ressourcen")
    reserve = definition.arbeitsmappe().tabelle("tbl_Ressourcen").reserve
    weit = {
        "Ressourcenart": "Finanziell",
        "Beschreibung": "weit unten",
        "Kommune": st.arbeitsgruppe(AG).partner[0],
        "Menge": 1,
        "Einheit": "Stück",
        "Kostensatz": 4000,
        "Kostenart": "einmalig",
        "ab Jahr": 1,
    }
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 weit.xlsx",
        {"tbl_Ressourcen": [{}] * (t.zeilen + reserve + 3) + [weit]},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    (fehler,) = d.befunde
    assert (fehler.stufe, fehler.regel) == (Stufe.FEHLER, Regel.STRUKTUR)
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur_AG-01.xlsx")
    assert kopie is not None
    zurueck = pruefen.pruefen([kopie], st).dateien[0]
    assert zurueck.status.startswith("gültig"), zurueck.befunde
    beschreibungen = [z["Beschreibung"] for z in zurueck.zeilen("tbl_Ressourcen")]
    assert beschreibungen.count("weit unten") == 1
    mappe = openpyxl.load_workbook(kopie, read_only=True)
    liste = [str(z[3]) for z in mappe[definition.KORREKTURBLATT].iter_rows(values_only=True)]
    assert any("steht die Zeile am Ende der Tabelle" in text for text in liste)


def test_korrekturexemplar_behaelt_zeilen_nach_luecke_an_ihrer_adresse(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A faulty row typed below the table after empty ones: the copy has it in the same row,
    so the mark, the comment and the list of findings point at the cell that holds it."""
    t = lage(gueltig, "tbl_Ressourcen")
    unten: list[dict[str, Any]] = [{}] * 4 + [
        {"Ressourcenart": "Personal", "Kommune": "Stadt Wolfsburg", "Menge": 1, "Kostensatz": 5}
    ]
    pfad = korpus.ausfuellen(
        gueltig, tmp_path / "AG-01 Luecke.xlsx", {"tbl_Ressourcen": [{}] * t.zeilen + unten}
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    partner = [(b.blatt, b.zelle) for b in d.befunde if b.regel is Regel.PARTNER]
    assert partner == [("Ressourcen", t.zelle(t.zeilen + 4, "Kommune"))]
    korrektur = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert korrektur is not None
    zurueck = pruefen.pruefen([korrektur], st).dateien[0]
    assert [(b.blatt, b.zelle) for b in zurueck.befunde if b.regel is Regel.PARTNER] == partner
    blatt = openpyxl.load_workbook(korrektur)["Ressourcen"]
    assert blatt[partner[0][1]].value == "Stadt Wolfsburg" and blatt[partner[0][1]].comment


# LibreOffice ------------------------------------------------------------------------------------


@braucht_libreoffice
def test_von_libreoffice_gespeichert_ist_normaler_ruecklauf(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    pfad = nachrechnen([gueltig], tmp_path)[gueltig]
    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        zustand = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in mappe.sheets_metadata}
    assert zustand["_ikz"] == "Hidden"  # no longer veryHidden after LibreOffice
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert d.arbeitsgruppe == AG
    assert [b for b in d.befunde if b.stufe is Stufe.FEHLER] == []
    assert not [b for b in d.befunde if b.regel in (Regel.STRUKTUR, Regel.DATEI, Regel.FORMEL)]
    eingaben, _ = demo_daten.eingaben(st, AG)
    assert [z["Beschreibung"] for z in d.zeilen("tbl_Ressourcen")] == [
        z["Beschreibung"] for z in eingaben["tbl_Ressourcen"]
    ]


def _ueber_xls(original: Path, ziel: Path) -> Path:
    """`original` saved in LibreOffice as .xls and that one saved back as .xlsx at `ziel`, as
    a clerk does it with "Speichern unter" (the .xls is left beside the original)."""
    from libreoffice import speichern_als

    xls = speichern_als(original, original.with_suffix(".xls"))
    return speichern_als(xls, ziel)


def _eintraege(d: Dateiergebnis) -> dict[str, list[dict[str, Any]]]:
    """The rows with entries of each table of a checked return, by what was typed."""
    return {
        tdef.name: [
            {s.kopf: z.get(s.kopf) for s in tdef.spalten if s.eingabe} for z in d.zeilen(tdef.name)
        ]
        for _, tdef in definition.arbeitsmappe().tabellen
    }


@braucht_libreoffice
def test_als_xls_gespeichert_kommen_die_eintraege_im_korrekturexemplar_zurueck(
    st: Any, bereich: Path, tmp_path: Path
) -> None:
    """Clerk test in Calc (session 19): a return saved as .xls in LibreOffice has lost its
    tables, and saving it back as .xlsx does not bring them back; the entries stay in their
    cells. Session 19 asked the AG to type them all into the original workbook again (hours
    of work). Now the tables are found by their header rows, the entries checked as in any
    return (same messages, same cells), and the Korrektur copy carries them in real tables:
    the AG checks it and sends it back. One Fehler stays and says so."""
    original = ruecklauf(st, tmp_path / "AG-01 Rückmeldung.xlsx", _kommune)
    _ueber_xls(original, bereich / "eingang" / "AG-01 Rückmeldung.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    verloren = [b for b in befunde if b["regel"] == "STRUKTUR"]
    assert [(b["stufe"], b["blatt"], b["zelle"]) for b in verloren] == [("Fehler", None, None)]
    assert verloren[0]["meldung"] == (
        "AG-01 Rückmeldung.xlsx: Die Mappe hat ihre Tabellen verloren (so kommt es, wenn sie "
        "zwischendurch im alten Excel-Format .xls gespeichert wurde: LibreOffice behält dabei "
        "keine Tabellen, auch nicht beim Zurückspeichern als .xlsx). Die Einträge wurden über "
        "die Spaltenköpfe gelesen und geprüft. Sie stehen im Korrekturexemplar, das die "
        "Tabellen wieder hat; bitte dort prüfen (auch die übrigen Meldungen) und dieses "
        "Exemplar zurückschicken."
    )
    # the entries checked as in the original: the Kommune not among the partners, in its cell
    # (and no Warnung per formula row: the formulas show #NV without their tables)
    erwartet = pruefen.pruefen([original], st).dateien[0]
    assert (
        [
            (b["blatt"], b["zelle"], b["regel"], b["meldung"])
            for b in befunde
            if b is not verloren[0]
        ]
        == [(b.blatt, b.zelle, b.regel.name, b.meldung) for b in erwartet.befunde]
        != []
    )
    # the Korrektur copy holds the same entries as the original return, in tables
    (korrektur,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    zurueck = pruefen.pruefen([korrektur], st).dateien[0]
    assert _eintraege(zurueck) == _eintraege(erwartet)
    assert sum(map(len, _eintraege(zurueck).values())) > 40
    assert [(b.blatt, b.zelle, b.regel) for b in zurueck.befunde] == [
        (b.blatt, b.zelle, b.regel) for b in erwartet.befunde
    ]
    blatt = openpyxl.load_workbook(korrektur)[definition.KORREKTURBLATT]
    assert any(
        "über die Spaltenköpfe gelesen" in str(z.value)
        for reihe in blatt.iter_rows()
        for z in reihe
    )
    # the .xls itself says how to get there
    (xls,) = pruefen.pruefen([original.with_suffix(".xls")], st).dateien[0].befunde
    assert xls.meldung.endswith(
        "Wurde sie in LibreOffice als .xls gespeichert, hat sie dabei ihre Tabellen verloren: "
        "dann dort 'Speichern unter' > Excel 2007-365 (.xlsx) wählen und die .xlsx senden (oder "
        "statt der .xls in eingang/ ablegen); ihre Einträge werden über die Spaltenköpfe "
        "gelesen und kommen im Korrekturexemplar zurück."
    )


@braucht_libreoffice
def test_als_xls_gespeichert_ohne_berichte_kein_korrekturexemplar_versprochen(
    gueltig: Path, bereich: Path, tmp_path: Path
) -> None:
    """`ikz pruefen --ohne-berichte` writes no Korrektur copy: the Fehler of a return that lost
    its tables does not say its entries were put into one (session 20 said so); it says how
    to get one."""
    _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), bereich / "eingang" / "AG-01.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json", "--ohne-berichte")
    assert lauf.code == 1, lauf.fehler
    (verloren,) = [b for b in json.loads(lauf.aus)["befunde"] if b["regel"] == "STRUKTUR"]
    assert "übertragen" not in verloren["meldung"]
    assert verloren["meldung"].endswith(
        "Die Einträge wurden über die Spaltenköpfe gelesen und geprüft. Ein Korrekturexemplar, "
        "das die Tabellen wieder hat und diese Einträge trägt, wurde nicht geschrieben; es "
        "entsteht mit dem Prüfbericht ('ikz pruefen' ohne --ohne-berichte)."
    )
    assert not (bereich / "berichte").exists() or not list(
        (bereich / "berichte").glob("Korrektur_*.xlsx")
    )


@braucht_libreoffice
def test_als_xls_gespeichert_zaehlt_nach_dem_korrekturexemplar(
    gueltig: Path, bereich: Path, tmp_path: Path
) -> None:
    """`ikz konsolidieren` as the Steuerungsgruppe runs it: the return without tables does not
    count (fehlerhaft, with the message); the Korrektur copy the AG sends back unchanged
    counts, with the very figures of the return as it was filled in."""
    from ikz_excel import konsolidieren

    vergleich = tmp_path / "vergleich"
    erzeugen.init(vergleich)
    shutil.copy(gueltig, vergleich / "eingang" / "AG-01.xlsx")
    soll = next(s for s in konsolidieren.konsolidieren(vergleich).ags if s.ag.kuerzel == AG)
    assert soll.statustext == "gültig" and soll.kennzahlen is not None

    eingang = bereich / "eingang"
    _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), eingang / "AG-01.xlsx")
    lauf = ikz("konsolidieren", "-a", str(bereich))
    assert lauf.code == 1, lauf.fehler
    assert "AG-01.xlsx: Die Mappe hat ihre Tabellen verloren" in " ".join(lauf.aus.split())
    (korrektur,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    shutil.copy(korrektur, eingang / korrektur.name)
    ist = next(s for s in konsolidieren.konsolidieren(bereich).ags if s.ag.kuerzel == AG)
    assert (ist.statustext, ist.datei and ist.datei.name) == ("gültig", korrektur.name)
    assert ist.kennzahlen == soll.kennzahlen


@braucht_libreoffice
def test_als_xls_gespeichert_mit_zeilen_ueber_einer_tabelle(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """After the round trip the clerk inserted two rows above the Ressourcen: the table's
    header is found two rows lower, and its entries are read as in the original."""
    ziel = _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), tmp_path / "zurueck.xlsx")
    mappe = openpyxl.load_workbook(ziel)
    mappe["Ressourcen"].insert_rows(3, 2)
    mappe.save(ziel)
    d = pruefen.pruefen([ziel], st).dateien[0]
    assert [(b.stufe, b.regel, b.zelle) for b in d.befunde] == [
        (Stufe.FEHLER, Regel.STRUKTUR, None)
    ]
    assert "über die Spaltenköpfe gelesen" in d.befunde[0].meldung
    original = pruefen.pruefen([gueltig], st).dateien[0]
    assert _eintraege(d) == _eintraege(original)
    assert [z for z, _ in d.gelesen["tbl_Ressourcen"].zeilen] == [
        z + 2 for z, _ in original.gelesen["tbl_Ressourcen"].zeilen
    ]


@braucht_libreoffice
def test_als_xls_gespeichert_mit_leerer_zeile_in_tabellen_ohne_eingabezeilen(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Review 20: after the round trip the clerk inserted an empty row in Calc into the
    Kostenausgleich (and here also into the Projektbeschreibung and the Priorisierung, the
    tables without input rows below them). The rows below it are still rows of the table
    (review 20 got six false "Partnerkommune fehlt"); reading on stops before "Summe der
    Anteile" and before the title of the Geprüfte Varianten."""
    from libreoffice import in_calc_zeilen_einfuegen

    zurueck = _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), tmp_path / "z.xlsx")
    mappe = openpyxl.load_workbook(gueltig)
    oben = {
        blatt: range_boundaries(mappe[blatt].tables[name].ref)[1]
        for blatt, name in [
            ("Kostenausgleich", "tbl_Kostenausgleich"),
            ("Projektbeschreibung", "tbl_Projektbeschreibung"),
            ("Priorisierung", "tbl_Einschaetzung"),
        ]
    }
    ziel = in_calc_zeilen_einfuegen(
        zurueck, tmp_path / "AG-01 mit Leerzeile.xlsx", [(b, z + 3) for b, z in oben.items()]
    )
    d = pruefen.pruefen([ziel], st).dateien[0]
    assert [(b.stufe, b.regel, b.zelle) for b in d.befunde] == [
        (Stufe.FEHLER, Regel.STRUKTUR, None)
    ], [b.meldung for b in d.befunde]
    original = pruefen.pruefen([gueltig], st).dateien[0]
    assert _eintraege(d) == _eintraege(original)
    kommunen = [z.get("Kommune") for z in d.zeilen("tbl_Kostenausgleich")]
    assert kommunen == [z.get("Kommune") for z in original.zeilen("tbl_Kostenausgleich")]
    assert len(kommunen) > 4
    # the rows below the empty one, one row lower; none beyond the table's
    for name in ("tbl_Kostenausgleich", "tbl_Projektbeschreibung", "tbl_Einschaetzung"):
        oben_z = next(v for b, v in oben.items() if d.gelesen[name].roh.blatt == b)
        soll = [z if z < oben_z + 3 else z + 1 for z, _ in original.gelesen[name].zeilen]
        assert [z for z, _ in d.gelesen[name].zeilen] == soll, name
    korrektur = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert korrektur is not None
    assert _eintraege(pruefen.pruefen([korrektur], st).dateien[0]) == _eintraege(original)


@braucht_libreoffice
def test_als_xls_gespeichert_ueberschriebene_formel_wird_gemeldet(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """After the round trip the clerk typed a figure over a Kosten formula (after an Excel
    .xls round trip the formulas still compute, and so it goes unnoticed in the workbook).
    The check reports it as in any return; the other formulas, which show #NV after
    LibreOffice's round trip, are still formulas and bring no message each."""
    from libreoffice import in_calc_zeilen_einfuegen

    zurueck = _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), tmp_path / "z.xlsx")
    ws = openpyxl.load_workbook(gueltig)["Ressourcen"]
    _, oben, _, _ = range_boundaries(ws.tables["tbl_Ressourcen"].ref)
    kosten = next(z for z in ws[oben] if z.value == "Kosten").column_letter + str(oben + 2)
    ziel = in_calc_zeilen_einfuegen(
        zurueck, tmp_path / "AG-01 getippt.xlsx", [], [("Ressourcen", kosten, "1234")]
    )
    d = pruefen.pruefen([ziel], st).dateien[0]
    formel = [b for b in d.befunde if b.regel is Regel.FORMEL]
    assert [(b.stufe, b.blatt, b.zelle) for b in formel] == [(Stufe.FEHLER, "Ressourcen", kosten)]
    assert formel[0].meldung.startswith(
        f"Ressourcen!{kosten} (Kosten): Die Formel wurde durch den festen Wert 1234"
    )
    assert "das Korrekturexemplar hat die Formel wieder" in formel[0].meldung


def test_eine_tabelle_in_bereich_konvertiert_kommt_im_korrekturexemplar_zurueck(
    gueltig: Path, st: Any, bereich: Path
) -> None:
    """The clerk turned the Risiken into a range (Tabellenentwurf > In Bereich konvertieren),
    the other tables are intact. Session 20 asked the AG to type the entries into the original
    workbook again; now that table is read by its header row as after a round trip through
    .xls, checked as usual, and the Korrektur copy has it as a table again."""
    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Risiken"].tables["tbl_Risiken"]
    mappe.save(bereich / "eingang" / "AG-01.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    assert [(b["stufe"], b["regel"], b["blatt"]) for b in befunde] == [
        ("Fehler", "STRUKTUR", "Risiken")
    ]
    assert befunde[0]["meldung"] == (
        "AG-01.xlsx: Auf dem Blatt Risiken ist tbl_Risiken keine Tabelle mehr (vermutlich in "
        "einen normalen Zellbereich umgewandelt: Tabellenentwurf > In Bereich konvertieren). "
        "Die Einträge wurden über die Spaltenköpfe gelesen und geprüft. Sie stehen im "
        "Korrekturexemplar, das die Tabellen wieder hat; bitte dort prüfen (auch die übrigen "
        "Meldungen) und dieses Exemplar zurückschicken."
    )
    (korrektur,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    assert "tbl_Risiken" in openpyxl.load_workbook(korrektur)["Risiken"].tables
    zurueck = pruefen.pruefen([korrektur], st).dateien[0]
    assert _eintraege(zurueck) == _eintraege(pruefen.pruefen([gueltig], st).dateien[0])
    assert len(_eintraege(zurueck)["tbl_Risiken"]) > 2
    assert zurueck.befunde == []


def _ohne_tabellen_mit_leerzeile(
    pfad: Path, blatt: str, tabelle: str
) -> tuple[openpyxl.Workbook, Any, tuple[int, int, int, int]]:
    """The workbook at `pfad` without its tables (as after a round trip through .xls), an
    empty row inserted as the third of `tabelle`; with the sheet and the table's old bounds."""
    mappe = openpyxl.load_workbook(pfad)
    ws = mappe[blatt]
    grenzen = range_boundaries(ws.tables[tabelle].ref)
    for b in mappe.worksheets:
        for name in list(b.tables):
            del b.tables[name]
    ws.insert_rows(grenzen[1] + 3)
    return mappe, ws, grenzen


def test_ohne_tabellen_leere_zeile_und_geleerte_kommune_darunter(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Right below an empty row inserted into the Kostenausgleich, the clerk cleared the name
    of a Kommune: reading on stops only at "Summe der Anteile" (a text of the template below
    the table), so her row and those below it are still read, and the check names her row."""
    mappe, ws, (links, oben, _, unten) = _ohne_tabellen_mit_leerzeile(
        gueltig, "Kostenausgleich", "tbl_Kostenausgleich"
    )
    ws.cell(oben + 4, links).value = None
    mappe.save(tmp_path / "AG-01.xlsx")
    d = pruefen.pruefen([tmp_path / "AG-01.xlsx"], st).dateien[0]
    gelesen = [z for z, _ in d.gelesen["tbl_Kostenausgleich"].zeilen]
    assert gelesen == [z for z in range(oben + 1, unten + 2) if z != oben + 3]
    assert ("Kostenausgleich", f"A{oben + 4}") in {(b.blatt, b.zelle) for b in d.befunde}


@braucht_libreoffice
def test_als_xls_gespeichert_und_kopfzeile_geloescht(
    gueltig: Path, bereich: Path, tmp_path: Path
) -> None:
    """The same return, and then the clerk deleted the header row of the Risiken (row 4):
    that table's entries cannot be assigned to columns. The check names sheet, table and the
    column names to restore; nothing is read, no Korrektur copy with half the entries."""
    ziel = _ueber_xls(shutil.copy(gueltig, tmp_path / "AG-01.xlsx"), tmp_path / "zurueck.xlsx")
    mappe = openpyxl.load_workbook(ziel)
    mappe["Risiken"].delete_rows(4)
    mappe.save(bereich / "eingang" / "AG-01.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    assert [(b["stufe"], b["regel"], b["blatt"]) for b in befunde] == [
        ("Fehler", "STRUKTUR", None),
        ("Fehler", "STRUKTUR", "Risiken"),
    ]
    assert befunde[1]["meldung"] == (
        "AG-01.xlsx: Auf dem Blatt Risiken ist die Kopfzeile der Tabelle tbl_Risiken (Nr | "
        "Risiko | Kategorie | Eintrittswahrscheinlichkeit | Auswirkung | Risikowert | "
        "Gegenmaßnahme | Verantwortlich) nicht zu finden (gelöscht oder überschrieben?); ihre "
        "Einträge lassen sich so nicht zuordnen."
    )
    assert (
        "Bitte die Kopfzeile mit genau diesen Spaltennamen wiederherstellen"
        in (befunde[0]["meldung"])
    )
    assert list((bereich / "berichte").glob("Korrektur_*.xlsx")) == []


def test_ohne_tabellen_und_ohne_kopfzeilen_eine_meldung(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """No table left and not one header row to find them by (all typed over): one Fehler,
    not one per table (session 19 had nine), naming a table with its columns."""
    mappe = openpyxl.load_workbook(gueltig)
    for ws in mappe.worksheets:
        for name, bereich in list(ws.tables.items()):
            links, oben, rechts, _ = range_boundaries(bereich)
            for spalte in range(links, rechts + 1):
                ws.cell(oben, spalte).value = "x"
            del ws.tables[name]
    mappe.save(tmp_path / "AG-01.xlsx")
    d = pruefen.pruefen([tmp_path / "AG-01.xlsx"], st).dateien[0]
    assert [(b.stufe, b.regel, b.blatt) for b in d.befunde] == [
        (Stufe.FEHLER, Regel.STRUKTUR, None)
    ]
    assert d.befunde[0].meldung.endswith(
        "Auch ihre Kopfzeilen sind nicht zu finden (etwa die der Tabelle "
        "tbl_Projektbeschreibung auf dem Blatt Projektbeschreibung: Nr | Phase | Feld | "
        "Eintrag). Bitte die Eingaben in die Originalmappe (.xlsx) übertragen und diese senden."
    )
    assert d.gelesen == {}


# Prüfbericht and Korrektur copies --------------------------------------------------------------


def _fehlerhaft(e: Eingaben, f: dict[str, Any]) -> None:
    _menge(e, f)
    _kommune(e, f)
    e["tbl_Ressourcen"][2]["Kostensatz"] = "1.234,50 €"


def _eingaben_der_tabellen(pfad: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The input columns of every table, as read: what the AG typed."""
    mappe_def = definition.arbeitsmappe()
    tabellen, _, _ = einlesen.tabellen_lesen(
        pfad, {t.name: t.reserve for _, t in mappe_def.tabellen}
    )
    ergebnis = {}
    for _, tdef in mappe_def.tabellen:
        koepfe = [tdef.spalten[0].kopf] + [s.kopf for s in tdef.spalten[1:] if s.eingabe]
        ergebnis[tdef.name] = [
            tuple(w.get(k) for k in koepfe) for _, w in tabellen[tdef.name].als_dicts()
        ]
    return ergebnis


@pytest.fixture
def berichtslauf(bereich: Path, st: Any, gueltig: Path) -> tuple[Path, Lauf]:
    eingang = bereich / "eingang"
    ruecklauf(st, eingang / "AG-01_Rueckmeldung.xlsx", _fehlerhaft)
    ruecklauf(st, eingang / "AG-02_Rueckmeldung.xlsx", ag="AG-02")  # another AG: both count
    return bereich, ikz("pruefen", "-a", str(bereich))


def test_pruefbericht_eine_zeile_je_befund(berichtslauf: tuple[Path, Lauf], st: Any) -> None:
    ab, lauf = berichtslauf
    assert lauf.code == 1, lauf.fehler
    assert "Prüfbericht" in lauf.aus and "Traceback" not in lauf.aus + lauf.fehler
    eingang = ab / "eingang"
    dateien, _ = einlesen.dateien_finden([eingang])
    erwartet = pruefen.pruefen(dateien, stammdaten.lesen(ab / "Steuerungsmappe.xlsm"))
    mappe = openpyxl.load_workbook(ab / "berichte" / berichte.PRUEFBERICHT, read_only=True)
    try:
        assert mappe.sheetnames == ["Dateien", "Befunde"]
        zeilen = list(mappe["Befunde"].iter_rows(values_only=True))
        uebersicht = list(mappe["Dateien"].iter_rows(values_only=True))
    finally:
        mappe.close()
    assert zeilen[0] == (
        "Datei",
        "AG",
        "Blatt",
        "Zelle",
        "Spalte",
        "Wert",
        "Stufe",
        "Regel",
        "Meldung",
    )
    # the rule in words, its code beside it (print review: "RISIKO" alone said nothing)
    assert [(z[0], z[2], z[3], z[6], z[7], z[8]) for z in zeilen[1:]] == [
        (b.datei, b.blatt, b.zelle, b.stufe.value, f"{b.regel.bezeichnung} ({b.regel})", b.meldung)
        for b in erwartet.befunde
    ]
    assert len(zeilen) - 1 == len(erwartet.befunde) == 3
    status = {z[0]: z[2] for z in uebersicht[3:] if z[0]}
    assert status == {
        "AG-01_Rueckmeldung.xlsx": pruefen.FEHLERHAFT,
        "AG-02_Rueckmeldung.xlsx": pruefen.GUELTIG,
    }


def test_korrekturexemplar(berichtslauf: tuple[Path, Lauf], st: Any) -> None:
    ab, _ = berichtslauf
    original = ab / "eingang" / "AG-01_Rueckmeldung.xlsx"
    korrektur = ab / "berichte" / "Korrektur_AG-01_Rueckmeldung.xlsx"
    assert sorted(p.name for p in (ab / "berichte").iterdir()) == [
        "Korrektur_AG-01_Rueckmeldung.xlsx",
        "Pruefbericht.xlsx",
    ]  # the valid return gets none
    befunde = pruefen.pruefen([original], st).dateien[0].befunde
    t = lage(original, "tbl_Ressourcen")
    assert [(b.blatt, b.zelle, b.regel) for b in befunde] == [
        ("Ressourcen", t.zelle(1, "Kommune"), Regel.PARTNER),
        ("Ressourcen", t.zelle(1, "Menge"), Regel.TYP),
        ("Ressourcen", t.zelle(2, "Kostensatz"), Regel.UMGEWANDELT),
    ]

    # everything the AG typed is in the copy, the wrong text included; text that was
    # understood as a number comes back as that number, so the copy's formulas compute it
    typisiert = _eingaben_der_tabellen(original)
    ressourcen = typisiert["tbl_Ressourcen"]
    spalte = definition.arbeitsmappe().tabelle("tbl_Ressourcen")
    koepfe = [spalte.spalten[0].kopf] + [s.kopf for s in spalte.spalten[1:] if s.eingabe]
    i = koepfe.index("Kostensatz")
    ressourcen[2] = (*ressourcen[2][:i], 1234.5, *ressourcen[2][i + 1 :])
    assert _eingaben_der_tabellen(korrektur) == typisiert
    mappe = openpyxl.load_workbook(korrektur)
    try:
        blatt = mappe["Ressourcen"]
        assert blatt[t.zelle(1, "Menge")].value == "zwei"
        assert blatt[t.zelle(2, "Kostensatz")].value == 1234.5
        for b in befunde:
            kommentar = blatt[b.zelle].comment
            assert kommentar is not None, b.zelle
            assert b.meldung in kommentar.text
            assert b.stufe.value in kommentar.text
        assert blatt[t.zelle(0, "Menge")].comment is None
        # red while the cell still holds what was found; a converted value is already right
        bedingungen = {
            str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in blatt.conditional_formatting
        }
        for b in befunde:
            erwartet = {
                Regel.TYP: f'{b.zelle}="{b.wert}"',
                Regel.PARTNER: f'{b.zelle}="{b.wert}"',
                Regel.UMGEWANDELT: f'{b.zelle}="{b.wert}"',
            }[b.regel]
            assert bedingungen[b.zelle] == [erwartet], b
        # the list of what to correct is what the AG sees first, each entry linked to its cell
        liste = mappe[definition.KORREKTURBLATT]
        assert mappe.active.title == definition.KORREKTURBLATT
        zeilen = [z for z in liste.iter_rows(min_row=5) if z[0].value]
        assert [(z[0].value, z[1].value, z[2].value, z[3].value) for z in zeilen] == [
            (b.blatt, b.zelle, b.stufe.value, b.meldung) for b in befunde
        ]
        assert [z[1].hyperlink.location for z in zeilen] == [
            f"{b.blatt}!{b.zelle}" for b in befunde
        ]
        assert liste.print_title_rows == "$4:$4" and liste.page_setup.orientation == "landscape"
        # the cover, the first printed page, says what this copy is (the list prints last)
        assert mappe["Hinweise"]["A3"].value == (
            "KORREKTUREXEMPLAR: 3 Punkte zu berichtigen oder zu prüfen, aufgelistet auf dem Blatt "
            "Korrekturhinweise (rote Registerkarte); die Zellen sind rot markiert."
        )
    finally:
        mappe.close()

    # round trip: the copy is AG-01's workbook again, with the same findings but the one
    # already repaired by the conversion
    zurueck = pruefen.pruefen([korrektur], st).dateien[0]
    assert zurueck.arbeitsgruppe == AG
    assert zurueck.felder["Schluessel"] == "Fallzahl"
    assert [
        (b.blatt, b.zelle, b.spalte, b.wert, b.stufe, b.regel, b.meldung) for b in zurueck.befunde
    ] == [
        (b.blatt, b.zelle, b.spalte, b.wert, b.stufe, b.regel, b.meldung)
        for b in befunde
        if b.regel is not Regel.UMGEWANDELT
    ]


def test_zwei_gleichnamige_dateien_in_verschiedenen_ordnern(
    bereich: Path, st: Any, gueltig: Path
) -> None:
    """Two returns mailed under the same name (by two AGs; versions of one AG are another
    matter): the findings and the Korrektur copy belong to the faulty one, neither hides the
    other."""
    eingang = bereich / "eingang"
    fehlerhaft = ruecklauf(st, eingang / "Mail vom 20.11." / "Rücklauf.xlsx", _kommune)
    korrigiert = ruecklauf(st, eingang / "Mail vom 27.11." / "Rücklauf.xlsx", ag="AG-02")

    # directly, without display names: both are called Rücklauf.xlsx
    for reihenfolge in ([fehlerhaft, korrigiert], [korrigiert, fehlerhaft]):
        ergebnis = pruefen.pruefen(reihenfolge, st)
        nach_pfad = {d.pfad: d for d in ergebnis.dateien}
        assert kompakt(nach_pfad[korrigiert]) == []
        assert [r for _, _, r in kompakt(nach_pfad[fehlerhaft])] == [Regel.PARTNER]
        assert len({d.name for d in ergebnis.dateien}) == 2

    # through the CLI, with the folder as name
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1
    daten = json.loads(lauf.aus)
    assert {d["datei"]: d["status"] for d in daten["dateien"]} == {
        "Mail vom 20.11./Rücklauf.xlsx": pruefen.FEHLERHAFT,
        "Mail vom 27.11./Rücklauf.xlsx": pruefen.GUELTIG,
    }
    korrekturen = sorted((bereich / "berichte").glob("Korrektur_*.xlsx"))
    assert len(korrekturen) == 1
    assert pruefen.pruefen(korrekturen, st).dateien[0].befunde[0].regel is Regel.PARTNER

    # two explicit files of the same name
    lauf = ikz("pruefen", "-a", str(bereich), "--json", str(fehlerhaft), str(korrigiert))
    daten = json.loads(lauf.aus)
    assert [d["status"] for d in daten["dateien"]] == [pruefen.FEHLERHAFT, pruefen.GUELTIG]
    assert len({d["datei"] for d in daten["dateien"]}) == 2


def test_zwei_fehlerhafte_gleichnamige_bekommen_je_ein_korrekturexemplar(
    bereich: Path, st: Any
) -> None:
    eingang = bereich / "eingang"
    ruecklauf(st, eingang / "Mail vom 20.11." / "Rücklauf.xlsx", _kommune)
    ruecklauf(st, eingang / "Mail vom 27.11." / "Rücklauf.xlsx", _menge, ag="AG-02")
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    korrekturen = sorted((bereich / "berichte").glob("Korrektur_*.xlsx"))
    regeln = sorted(pruefen.pruefen([k], st).dateien[0].befunde[0].regel for k in korrekturen)
    assert regeln == [Regel.PARTNER, Regel.TYP]


def test_behobener_ruecklauf_verliert_sein_korrekturexemplar(
    bereich: Path, st: Any, gueltig: Path
) -> None:
    ziel = bereich / "eingang" / "AG-01.xlsx"
    ruecklauf(st, ziel, _menge)
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    korrektur = bereich / "berichte" / "Korrektur_AG-01.xlsx"
    assert korrektur.exists()
    shutil.copyfile(gueltig, ziel)
    assert ikz("pruefen", "-a", str(bereich)).code == 0
    assert not korrektur.exists()


def test_unveraendertes_korrekturexemplar_wird_nicht_neu_geschrieben(
    bereich: Path, st: Any
) -> None:
    """A second run writes no copy whose content would not change: berichte/ synced to a share
    uploads nothing, a copy open in Excel is no reason for a Warnung (archive probe). Changed
    findings, a copy changed or deleted by hand, and other Stammdaten write it anew."""
    eingang, berichte_ordner = bereich / "eingang", bereich / "berichte"
    ruecklauf(st, eingang / "AG-01.xlsx", _menge)
    ruecklauf(st, eingang / "AG-02.xlsx", _termin, ag="AG-02")
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    eins, zwei = berichte_ordner / "Korrektur_AG-01.xlsx", berichte_ordner / "Korrektur_AG-02.xlsx"

    def stand(pfad: Path) -> tuple[int, int]:
        return pfad.stat().st_ino, pfad.stat().st_mtime_ns

    vorher = {p: stand(p) for p in (eins, zwei)}
    bytes_vorher = eins.read_bytes()
    for befehl in ("pruefen", "konsolidieren", "pruefen"):
        assert ikz(befehl, "-a", str(bereich)).code == 1
        assert {p: stand(p) for p in (eins, zwei)} == vorher, befehl
    # the workspace named relatively ("ikz pruefen -a ." in it): the same copies
    with contextlib.chdir(bereich):
        assert ikz("pruefen", "-a", ".").code == 1
    assert {p: stand(p) for p in (eins, zwei)} == vorher
    # what it would be written as: the same bytes (a skipped copy is no older kind of copy)
    d = pruefen.pruefen([eingang / "AG-01.xlsx"], st).dateien[0]
    frisch = berichte.korrektur_schreiben(d, st, bereich / "frisch.xlsx")
    assert frisch is not None and frisch.read_bytes() == bytes_vorher
    (bereich / "frisch.xlsx").unlink()
    # only AG-02's return changed: only its copy is written
    ruecklauf(st, eingang / "AG-02.xlsx", _menge, ag="AG-02")
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    assert stand(eins) == vorher[eins] and stand(zwei) != vorher[zwei]
    # changed by hand (someone typed into it and saved), or deleted: written anew
    os.utime(eins, (1_000_000_000, 1_000_000_000))
    zwei.unlink()
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    assert eins.read_bytes() == bytes_vorher and eins.stat().st_mtime_ns != 1_000_000_000 * 10**9
    assert zwei.is_file()
    # a note that cannot be read, or of another shape: every copy anew, and no error
    for notiz in ("{", "[]", '{"x": 1}'):
        vorher = {p: stand(p) for p in (eins, zwei)}
        (bereich / "archiv" / berichte.KORREKTURSTAND).write_text(notiz, encoding="utf-8")
        assert ikz("pruefen", "-a", str(bereich)).code == 1
        assert all(stand(p) != vorher[p] for p in (eins, zwei)), notiz
    # other Stammdaten, even only the Lenkungsgruppe's points: another ground for every copy
    grund = berichte.korrekturgrundlage(st)
    assert grund == berichte.korrekturgrundlage(stammdaten.standard())
    assert berichte.korrekturgrundlage(dataclasses.replace(st, zinssatz=Decimal("0.02"))) != grund
    faktor = dataclasses.replace(st.kriterien[0], faktor=st.kriterien[0].faktor + 1)
    lg = dataclasses.replace(st, kriterien=[faktor, *st.kriterien[1:]])
    assert berichte.korrekturgrundlage(lg) != grund


def test_korrekturexemplar_einer_anderen_ag_unter_demselben_namen_wird_neu_geschrieben(
    tmp_path: Path, st: Any
) -> None:
    """Under one name in eingang/, first AG-01's barely touched Mappe, then AG-02's: with one
    Projektauftrag and the same partners their content is the same, but the copy is another
    AG's (sent back, it would count for AG-01). Review: it stayed AG-01's."""
    auftrag = "Untersuchung gemäß Beschluss der Lenkungsgruppe."
    ags = tuple(dataclasses.replace(a, projektauftrag=auftrag) for a in st.arbeitsgruppen)
    gleich = dataclasses.replace(st, arbeitsgruppen=ags)
    eingang, archiv = tmp_path / "eingang", tmp_path / "archiv"
    archiv.mkdir()
    zeitpunkt = datetime(2024, 1, 2, 3, 4, 5)  # `ikz erzeugen` writes all AGs at one time
    for ag in ("AG-01", "AG-02"):
        datei = erzeugen.arbeitsmappe_schreiben(
            gleich,
            gleich.arbeitsgruppe(ag),
            eingang / "Rueckmeldung.xlsx",
            erzeugt_am=zeitpunkt,
            # one choice made: an untouched Mappe gets no copy (session 24); the Fallzahlen
            # this key asks for are missing, in both
            felder={"Schluessel": "Fallzahl"},
        )
        ergebnis = pruefen.pruefen([datei], gleich)
        _, kopien = berichte.berichte_schreiben(
            ergebnis, gleich, tmp_path / "berichte", korrekturstand=archiv / berichte.KORREKTURSTAND
        )
        kennung = openpyxl.load_workbook(kopien["Rueckmeldung.xlsx"]).properties.title
        assert kennung.startswith(f"Arbeitsmappe {ag} "), (ag, kennung)


def test_korrekturstand_in_einem_pfad_ausserhalb_von_utf8(tmp_path: Path, st: Any) -> None:
    """A workspace whose name is not UTF-8 (a Latin-1 folder on a Linux share): the note of the
    copies is written all the same, instead of ending the finished run with an error."""
    if sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8":
        pytest.skip("Dateinamen aus Bytes gibt es nur unter Linux mit UTF-8")
    bereich = tmp_path / os.fsdecode(b"K\xf6nigslutter")
    erzeugen.init(bereich)
    eins = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx", _menge)
    lauf = berichte.arbeitsbereich_pruefen(bereich)
    kopie = lauf.korrekturen[eins.name]
    vorher = kopie.stat().st_mtime_ns
    assert berichte.arbeitsbereich_pruefen(bereich).korrekturen[eins.name] == kopie
    assert kopie.stat().st_mtime_ns == vorher  # the note was read back: not written anew
    # konsolidieren there too, with its check store (same kind of note) twice
    from ikz_excel import konsolidieren, pruefspeicher

    for _ in range(2):
        assert konsolidieren.konsolidieren(bereich).pruefung.hat_fehler
    assert (bereich / "archiv" / pruefspeicher.DATEINAME).is_file()


def test_entfernter_ruecklauf_korrekturexemplar_kommt_nach_alt(
    bereich: Path, st: Any, gueltig: Path
) -> None:
    """A file taken out of eingang/: its copy must not be sent back by mistake."""
    ruecklauf(st, bereich / "eingang" / "AG-01.xlsx", _menge)
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    (bereich / "eingang" / "AG-01.xlsx").unlink()
    shutil.copyfile(gueltig, bereich / "eingang" / "AG-01 neu.xlsx")
    assert ikz("pruefen", "-a", str(bereich)).code == 0
    assert list((bereich / "berichte").glob("Korrektur_*")) == []
    assert (bereich / "berichte" / "alt" / "Korrektur_AG-01.xlsx").is_file()


def test_pruefen_einzelner_dateien_laesst_den_pruefbericht_stehen(
    bereich: Path, st: Any, gueltig: Path
) -> None:
    """`ikz pruefen DATEI`: a report of its own; the report and copies of eingang/ stay."""
    ruecklauf(st, bereich / "eingang" / "AG-01.xlsx", _menge)
    assert ikz("pruefen", "-a", str(bereich)).code == 1
    bericht = bereich / "berichte" / berichte.PRUEFBERICHT
    vorher = bericht.read_bytes()
    korrektur = bereich / "berichte" / "Korrektur_AG-01.xlsx"
    kopie_vorher = korrektur.read_bytes()
    # the same name as the file in eingang/, but fixed: its copy there must not go
    auswahl_datei = bereich.parent / "Auswahl" / "AG-01.xlsx"
    auswahl_datei.parent.mkdir()
    shutil.copyfile(gueltig, auswahl_datei)
    lauf = ikz("pruefen", "-a", str(bereich), str(auswahl_datei))
    assert lauf.code == 0
    auswahl = bereich / "berichte" / berichte.AUSWAHL / berichte.PRUEFBERICHT
    # named relative to the Arbeitsbereich, as konsolidieren names its own (round 21)
    assert "Prüfbericht: berichte/Auswahl/Pruefbericht.xlsx" in lauf.aus and auswahl.is_file()
    assert bericht.read_bytes() == vorher
    assert korrektur.read_bytes() == kopie_vorher
    # a faulty selected file gets its copy beside the selection's report
    ruecklauf(st, auswahl_datei, _menge)
    assert ikz("pruefen", "-a", str(bereich), str(auswahl_datei)).code == 1
    assert (auswahl.parent / "Korrektur_AG-01.xlsx").is_file()
    assert korrektur.read_bytes() == kopie_vorher


# Exit codes -------------------------------------------------------------------------------------


def test_exit_0_wenn_alles_gueltig(bereich: Path, st: Any, gueltig: Path) -> None:
    shutil.copyfile(gueltig, bereich / "eingang" / "AG-01.xlsx")
    ruecklauf(st, bereich / "eingang" / "AG-01 mit Hinweis.xlsx", _kostensatz)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.aus + lauf.fehler
    daten = json.loads(lauf.aus)
    assert {d["status"] for d in daten["dateien"]} == {pruefen.GUELTIG, pruefen.MIT_WARNUNGEN}
    assert {b["stufe"] for b in daten["befunde"]} == {"Warnung"}


def test_exit_1_bei_fehlern(bereich: Path, st: Any, gueltig: Path) -> None:
    shutil.copyfile(gueltig, bereich / "eingang" / "AG-01.xlsx")
    ruecklauf(st, bereich / "eingang" / "AG-01 falsch.xlsx", _termin)
    lauf = ikz("pruefen", "-a", str(bereich))
    assert lauf.code == 1
    assert "fehlerhaft" in lauf.aus and "Zeitplan" in lauf.aus


def test_json_sagt_welche_fassung_zaehlt(bereich: Path, st: Any) -> None:
    """Exit 0 although the JSON lists a Fehler: it is in an older version that does not count.
    A tool reading the JSON must be able to tell that, as the console and the report can."""
    alt = ruecklauf(st, bereich / "eingang" / "AG-01 Entwurf.xlsx", _termin)
    os.utime(alt, (1_000_000_000, 1_000_000_000))
    ruecklauf(st, bereich / "eingang" / "AG-01 endgültig.xlsx")  # saved later
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.aus + lauf.fehler
    daten = json.loads(lauf.aus)
    assert {b["stufe"] for b in daten["befunde"]} == {"Fehler"}
    dateien = {d["datei"]: d for d in daten["dateien"]}
    assert dateien["AG-01 Entwurf.xlsx"]["zaehlt"] is False
    assert dateien["AG-01 Entwurf.xlsx"]["ersetzt_durch"] == "AG-01 endgültig.xlsx"
    assert dateien["AG-01 endgültig.xlsx"]["zaehlt"] is True
    assert dateien["AG-01 endgültig.xlsx"]["ersetzt_durch"] is None


def test_json_werte_sind_zahlen_und_stderr_sagt_was_fehlt(bereich: Path, st: Any) -> None:
    """Contract audit: an amount out of range came out as "-3.0" (a Decimal as text) beside
    numbers of other columns; and with --json the missing returns were said nowhere."""

    def negativ(e: Eingaben, f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = -3
        e["tbl_Ressourcen"][1]["Menge"] = Decimal("2.5")

    ruecklauf(st, bereich / "eingang" / "AG-01.xlsx", negativ)
    lauf = ikz("pruefen", "-a", str(bereich), "--json", "--ohne-berichte")
    daten = json.loads(lauf.aus)
    werte = [b["wert"] for b in daten["befunde"] if b["spalte"] == "Menge"]
    assert -3 in werte and all(not isinstance(w, str) for w in werte), daten["befunde"]
    from ikz_excel.befunde import _json_wert

    # exact: not cut to a whole number after rounding to float (review)
    assert _json_wert(Decimal("-2.99999999999999999")) == -3.0
    assert _json_wert(Decimal("2.5")) == 2.5 and _json_wert(Decimal("sNaN")) == "sNaN"
    # whole numbers without ".0", whatever their type; no NaN or Infinity, which JSON lacks
    for ganz in (Decimal("-3.0"), 7.0, 7):
        assert json.dumps(_json_wert(ganz)) in ("-3", "7")
    assert [_json_wert(w) for w in (float("inf"), float("nan"))] == ["inf", "nan"]
    assert "Noch kein Rücklauf erkannt von 9 Arbeitsgruppen: AG-02 " in " ".join(
        lauf.fehler.split()
    )


def test_json_in_eine_datei_ist_utf8_auch_unter_windows(
    bereich: Path, st: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redirected on Windows, Python writes cp1252: `ikz pruefen --json > befunde.json` was no
    UTF-8 JSON, and a name with "Ł" ended the run with a UnicodeEncodeError (Windows review).
    A stream like Windows' (cp1252, not a terminal) gets UTF-8."""

    ruecklauf(st, bereich / "eingang" / "AG-01 Rückmeldung Łódź.xlsx")
    aus = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    fehler = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setattr(sys, "stdout", aus)
    monkeypatch.setattr(sys, "stderr", fehler)
    monkeypatch.setattr(sys, "argv", ["ikz", "pruefen", "-a", str(bereich), "--json"])
    with pytest.raises(SystemExit) as ende:
        cli.main()
    aus.flush()
    daten = json.loads(aus.buffer.getvalue().decode("utf-8"))  # type: ignore[attr-defined]
    assert ende.value.code == 0, daten
    assert [d["datei"] for d in daten["dateien"]] == ["AG-01 Rückmeldung Łódź.xlsx"]


def test_konsole_und_eigene_kodierung_bleiben(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a redirected stream becomes UTF-8: a console keeps its encoding and shows a
    character it lacks as "?" instead of ending the run, and a PYTHONIOENCODING the user
    chose is theirs."""

    class Konsole(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    konsole = Konsole(io.BytesIO(), encoding="ascii")
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    monkeypatch.setattr(sys, "stdout", konsole)
    monkeypatch.setattr(sys, "stderr", konsole)
    cli._ausgabe_einrichten()
    assert konsole.encoding == "ascii"
    konsole.write("Łódź")
    konsole.flush()
    assert konsole.buffer.getvalue() == b"??d?"  # type: ignore[attr-defined]
    umgeleitet = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setenv("PYTHONIOENCODING", "cp1252")
    monkeypatch.setattr(sys, "stdout", umgeleitet)
    cli._ausgabe_einrichten()
    assert umgeleitet.encoding == "cp1252"
    # an error handler chosen there stays too
    streng = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setenv("PYTHONIOENCODING", "ascii:strict")
    monkeypatch.setattr(sys, "stdout", streng)
    cli._ausgabe_einrichten()
    assert streng.errors == "strict"
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    cli._ausgabe_einrichten()
    assert streng.errors == "replace"


def test_dieselbe_datei_zweimal_ist_keine_aeltere_fassung(bereich: Path, st: Any) -> None:
    """Mailed twice ("AG-01 (2).xlsx"): a copy that counts once, not an older version; an older
    version's findings stay in the Prüfbericht, the console names only its status."""
    eingang = bereich / "eingang"
    alt = ruecklauf(st, eingang / "AG-01 Entwurf.xlsx", _termin)
    os.utime(alt, (1_000_000_000, 1_000_000_000))
    neu = ruecklauf(st, eingang / "AG-01.xlsx", _risiko)  # a Fehler, for the Befunde below
    shutil.copyfile(neu, eingang / "AG-01 (2).xlsx")
    lauf = ikz("pruefen", "-a", str(bereich))
    assert lauf.code == 1, lauf.aus + lauf.fehler
    zeilen = lauf.aus.splitlines()
    status = {z.split(":", 1)[0].split(" (AG")[0]: z for z in zeilen if "(AG-01)" in z}
    assert "ältere Fassung, zählt nicht (es zählt AG-01" in status["AG-01 Entwurf.xlsx"]
    kopie, original = sorted(n for n in status if n != "AG-01 Entwurf.xlsx")
    assert sorted([kopie, original]) == ["AG-01 (2).xlsx", "AG-01.xlsx"]
    gezaehlt = next(n for n in (kopie, original) if "dieselbe Datei" not in status[n])
    andere = next(n for n in (kopie, original) if n != gezaehlt)
    assert f"dieselbe Datei wie {gezaehlt}, zählt nur einmal" in status[andere]
    assert "Zeitplan" not in lauf.aus  # the older version's Fehler: only in the Prüfbericht
    # the Prüfbericht's Befunde name it so too: "(dieselbe Datei, zählt nur einmal)" left open
    # which, once filtered to the file (klein18); the older version stays one
    ws = openpyxl.load_workbook(bereich / "berichte" / "Pruefbericht.xlsx")["Befunde"]
    dateien = {z[0] for z in ws.iter_rows(min_row=2, max_col=1, values_only=True) if z[0]}
    assert f"{andere} (dieselbe Datei wie {gezaehlt}, zählt nur einmal)" in dateien, dateien
    assert "AG-01 Entwurf.xlsx (ältere Fassung, zählt nicht)" in dateien, dateien


def test_erneut_geschickte_kopie_aendert_das_korrekturexemplar_nicht(
    bereich: Path, st: Any
) -> None:
    """The same faulty file mailed again later: pruefen and konsolidieren keep the first one as
    the one that counts, as the archive does, so its Korrektur copy keeps its name and none is
    moved to berichte/alt/."""
    eingang = bereich / "eingang"
    erste = ruecklauf(st, eingang / "Bauhof_final.xlsx", _termin)
    os.utime(erste, (1_000_000_000, 1_000_000_000))
    assert ikz("konsolidieren", "-a", str(bereich)).code == 1
    shutil.copyfile(erste, eingang / "Bauhof_final (2).xlsx")  # sorts first, copied later
    for befehl in ("konsolidieren", "pruefen", "konsolidieren"):
        lauf = ikz(befehl, "-a", str(bereich))
        assert lauf.code == 1, lauf.aus + lauf.fehler
        if befehl == "pruefen":
            assert "(2).xlsx (AG-01): fehlerhaft – dieselbe Datei wie Bauhof_final.xlsx" in lauf.aus
        korrekturen = sorted(p.name for p in (bereich / "berichte").rglob("Korrektur_*.xlsx"))
        assert korrekturen == ["Korrektur_AG-01_Bauhof_final.xlsx"], befehl


def test_dateiname_einer_anderen_ag_ist_eine_warnung(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """AG-01's workbook mailed as 'AG-02 … Schmidt.xlsx' counts for AG-01 (by _ikz), but a mix-up
    is likely and it may replace AG-01's real return: said, not silent (found in review)."""
    falsch = tmp_path / "AG-02 Personalservice Schmidt.xlsx"
    shutil.copyfile(gueltig, falsch)
    d = pruefen.pruefen([falsch, gueltig], st).dateien
    (w,) = d[0].befunde
    assert (w.stufe, w.regel, d[0].arbeitsgruppe) == (Stufe.WARNUNG, Regel.DATEI, AG)
    assert "Der Dateiname nennt AG-02, die Mappe gehört aber zu AG-01" in w.meldung
    assert d[1].befunde == []  # "AG-01 ausgefüllt.xlsx" names its own AG
    # for the Steuerungsgruppe only: no Korrektur copy of AG-01's inputs named "AG-02 …"
    assert not d[0].braucht_korrektur
    # a folder is no file name, also with Windows' backslashes (found in review)
    ags = {a.kuerzel: a for a in st.arbeitsgruppen}
    assert pruefen._ag_im_dateinamen("AG-01\\Schmidt.xlsx", ags) == []
    assert pruefen._ag_im_dateinamen("AG-01\\AG-02 final.xlsx", ags) == ["AG-02"]


def test_leerer_eingang_sagt_wo_gesucht_wurde(bereich: Path) -> None:
    """Found in review: 'Keine Dateien gefunden.' said not where, and konsolidieren on an empty
    eingang/ printed 'Alle zählenden Rückläufe ohne Fehler.'"""
    lauf = ikz("pruefen", "-a", str(bereich))
    assert lauf.code == 0
    assert "Keine Rückläufe gefunden in eingang/." in " ".join(lauf.aus.split())
    lauf = ikz("konsolidieren", "-a", str(bereich))
    assert lauf.code == 0
    assert "Keine Rückläufe in eingang/" in lauf.aus
    shutil.rmtree(bereich / "eingang")  # tidied away: empty, as for konsolidieren
    assert ikz("pruefen", "-a", str(bereich)).code == 0
    assert "ohne Fehler" not in lauf.aus


def test_arbeitsmappe_als_stammdaten_ist_ein_satz(gueltig: Path, tmp_path: Path) -> None:
    lauf = ikz("init", "-a", str(tmp_path / "neu"), "--stammdaten", str(gueltig))
    assert lauf.code == 2
    text = " ".join((lauf.aus + lauf.fehler).split())
    assert "ist keine Steuerungsmappe" in text and "Arbeitsmappe einer Arbeitsgruppe?" in text
    assert "tbl_" not in text and text.count("•") == 1


def test_kopie_mit_aelterem_datum_aendert_das_korrekturexemplar_nicht(
    bereich: Path, st: Any
) -> None:
    """The same faulty file added again from a network drive, which keeps the older file date:
    pruefen asks the ledger which copy came first, as konsolidieren counts it (found in review:
    the Korrektur copy's name alternated and berichte/alt/ filled up)."""
    eingang = bereich / "eingang"
    erste = ruecklauf(st, eingang / "AG-01 Personalservice ausgefüllt.xlsx", _termin)
    assert ikz("konsolidieren", "-a", str(bereich)).code == 1
    kopie = eingang / "AG-01 Kopie vom Laufwerk.xlsx"  # sorts first, and is dated older
    shutil.copyfile(erste, kopie)
    os.utime(kopie, (1_000_000_000, 1_000_000_000))
    for befehl in ("pruefen", "konsolidieren", "pruefen"):
        assert ikz(befehl, "-a", str(bereich)).code == 1
        korrekturen = sorted(p.name for p in (bereich / "berichte").rglob("Korrektur_*.xlsx"))
        assert korrekturen == ["Korrektur_AG-01-Personalservice-ausgefuellt.xlsx"], befehl


@pytest.mark.parametrize("json_ausgabe", [False, True])
def test_exit_2_ohne_steuerungsmappe(bereich: Path, gueltig: Path, json_ausgabe: bool) -> None:
    shutil.copyfile(gueltig, bereich / "eingang" / "AG-01.xlsx")
    (bereich / "Steuerungsmappe.xlsm").unlink()
    lauf = ikz("pruefen", "-a", str(bereich), *(["--json"] if json_ausgabe else []))
    assert lauf.code == 2
    assert lauf.aus == ""
    text = " ".join(lauf.fehler.split())
    assert "Steuerungsmappe.xlsm" in text and "ikz init" in text
    assert "Traceback" not in lauf.fehler
    assert not (bereich / "berichte" / berichte.PRUEFBERICHT).exists()


def test_exit_2_bei_unbekanntem_pfad(bereich: Path) -> None:
    lauf = ikz("pruefen", "-a", str(bereich), str(bereich / "gibt-es-nicht.xlsx"))
    assert lauf.code == 2
    assert "nicht gefunden" in lauf.fehler and "Traceback" not in lauf.fehler


# Versions -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mappe_def_mit_version_0(tmp_path_factory: pytest.TempPathFactory) -> Any:
    ordner = tmp_path_factory.mktemp("schemata") / "schemata"
    shutil.copytree(pfade.schemata(), ordner)
    datei = ordner / "arbeitsmappe.yaml"
    text = datei.read_text(encoding="utf-8")
    zeile = re.search(r"\nlesbare_versionen: \[([0-9, ]+)\]\n", text)
    assert zeile is not None
    datei.write_text(
        text.replace(zeile[0], f"\nlesbare_versionen: [{zeile[1]}, 0]\n"), encoding="utf-8"
    )
    mappe_def = definition.arbeitsmappe(ordner)
    assert mappe_def.lesbare_versionen[-1] == 0
    return mappe_def


@pytest.fixture(scope="module")
def alt_ausgefuellt(tmp_path_factory: pytest.TempPathFactory, gueltig: Path) -> Path:
    """The complete return, but from template version 0."""
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "schema_version", "0")
    return paket.schreiben(tmp_path_factory.mktemp("alt") / "AG-01 alt.xlsx")


def test_alte_version_wird_abgelehnt(
    korpus_dateien: dict[str, Path], alt_ausgefuellt: Path, st: Any
) -> None:
    for pfad in (korpus_dateien["alte_version"], alt_ausgefuellt):
        d = pruefen.pruefen([pfad], st).dateien[0]
        assert kompakt(d) == [(None, None, Regel.VERSION)]
        assert d.befunde[0].stufe is Stufe.FEHLER
        assert "Vorlagenversion 0" in d.befunde[0].meldung
        assert d.status == pruefen.UNLESBAR and d.gelesen == {}


def test_lesbare_alte_version_mit_warnung(
    alt_ausgefuellt: Path, mappe_def_mit_version_0: Any, st: Any
) -> None:
    d = pruefen.pruefen([alt_ausgefuellt], st, mappe_def=mappe_def_mit_version_0).dateien[0]
    assert kompakt(d) == [(None, None, Regel.VERSION)]
    assert d.befunde[0].stufe is Stufe.WARNUNG
    assert "älteren Vorlagenversion 0" in d.befunde[0].meldung
    assert d.status == pruefen.MIT_WARNUNGEN
    eingaben, _ = demo_daten.eingaben(st, AG)
    assert len(d.zeilen("tbl_Ressourcen")) == len(eingaben["tbl_Ressourcen"])


def test_ruecklauf_der_vorigen_vorlagenversion_sagt_was_sich_geaendert_hat(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """After an update of ikz_excel the returns of workbooks sent out before still count, and
    the AG hears what its own workbook computes differently (upgrade review: the new
    Amortisationsjahr rule was applied without a word) and gets the current template."""
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "schema_version", "1")
    alt = paket.schreiben(tmp_path / "AG-01 vor dem Update.xlsx")
    d = pruefen.pruefen([alt], st).dateien[0]
    (b,) = d.befunde
    aktuell = definition.arbeitsmappe().schema_version
    assert (b.regel, b.stufe) == (Regel.VERSION, Stufe.WARNUNG)
    assert f"älteren Vorlagenversion 1 (aktuell {aktuell})" in b.meldung
    # every change since version 1, the oldest first
    assert "Seither geändert: Das Amortisationsjahr ist jetzt" in b.meldung
    assert "Die Vollständigkeitsprüfung auf dem Blatt Hinweise zählt jetzt" in b.meldung
    assert d.status == pruefen.MIT_WARNUNGEN and d.braucht_korrektur
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    assert einlesen.kennung_lesen(kopie)["schema_version"] == str(aktuell)
    # the clerk reads why in the copy, not "the Stammdaten changed" (regression review)
    texte = korpus.korrekturhinweise(kopie)
    assert any("älteren Vorlagenversion (1)" in t and "Amortisationsjahr" in t for t in texte)
    assert not any("Stammdaten geändert" in t for t in texte)


def test_ruecklauf_vor_einer_reinen_anzeigeaenderung_ist_ein_hinweis(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Version 3 changed only what the workbook shows (its cover's completeness count): a
    valid return of version 2 computes the same and needs no Warnung and no Korrektur copy
    (review: every valid return of the programme got both)."""
    mappe_def = definition.arbeitsmappe()
    assert mappe_def.nur_anzeige_seit(mappe_def.schema_version - 1)
    assert not mappe_def.nur_anzeige_seit(1)  # version 2 changed the Amortisationsjahr
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "schema_version", "2")
    d = pruefen.pruefen([paket.schreiben(tmp_path / "AG-01 v2.xlsx")], st).dateien[0]
    (b,) = d.befunde
    assert (b.regel, b.stufe) == (Regel.VERSION, Stufe.HINWEIS)
    assert "nur die Anzeige" in b.meldung and "Vollständigkeitsprüfung" in b.meldung
    assert d.status == pruefen.MIT_HINWEISEN and not d.braucht_korrektur


def test_ruecklauf_einer_neueren_vorlagenversion_bittet_um_ein_update(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Made by a colleague's newer ikz_excel: not "no longer readable", but "update"."""
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "schema_version", "99")
    d = pruefen.pruefen([paket.schreiben(tmp_path / "AG-01 neu.xlsx")], st).dateien[0]
    (b,) = d.befunde
    assert (b.regel, b.stufe) == (Regel.VERSION, Stufe.FEHLER)
    assert "neueren Vorlagenversion 99" in b.meldung and "ikz_excel aktualisieren" in b.meldung


def test_lesbare_alte_version_findet_weiter_fehler(
    korpus_dateien: dict[str, Path], mappe_def_mit_version_0: Any, st: Any
) -> None:
    """The empty template of version 0 is read, so that it is empty is reported (one Fehler
    since session 24, instead of each empty Pflichtfeld), beside its version's Warnung."""
    d = pruefen.pruefen(
        [korpus_dateien["alte_version"]], st, mappe_def=mappe_def_mit_version_0
    ).dateien[0]
    assert [(b.regel, b.stufe) for b in d.befunde if b.regel is Regel.VERSION] == [
        (Regel.VERSION, Stufe.WARNUNG)
    ]
    assert d.gelesen and d.leer and d.status == pruefen.FEHLERHAFT


def test_ueberschriebene_formel_ist_ein_fehler(tmp_path: Path) -> None:
    """Protection removed, Kosten typed over: a FORMEL finding at that cell; cleared: Warnung."""
    import openpyxl

    from ikz_excel import demo_daten, erzeugen, pruefen, stammdaten

    st = stammdaten.standard()
    ag = st.arbeitsgruppe("AG-01")
    eingaben, felder = demo_daten.eingaben(st, "AG-01")
    original = erzeugen.arbeitsmappe_schreiben(
        st, ag, tmp_path / "AG-01.xlsx", eingaben=eingaben, felder=felder
    )
    wb = openpyxl.load_workbook(original)
    ws = wb["Ressourcen"]
    kopf = next(r for r in ws.iter_rows() if any(c.value == "Kosten" for c in r))
    spalte = next(c.column_letter for c in kopf if c.value == "Kosten")
    zeile = kopf[0].row + 1
    ws[f"{spalte}{zeile}"] = 99999
    ws[f"{spalte}{zeile + 1}"] = None
    geaendert = tmp_path / "AG-01 geändert.xlsx"
    wb.save(geaendert)
    ergebnis = pruefen.pruefen([original, geaendert], st)
    assert [b for b in ergebnis.dateien[0].befunde if b.regel.value == "FORMEL"] == []
    formeln = [
        (b.blatt, b.zelle, b.stufe.value)
        for b in ergebnis.dateien[1].befunde
        if b.regel.value == "FORMEL"
    ]
    assert formeln == [
        ("Ressourcen", f"{spalte}{zeile}", "Fehler"),
        ("Ressourcen", f"{spalte}{zeile + 1}", "Warnung"),
    ]
    # the Korrektur copy has the formulas back: red only where a constant stands in their place
    from ikz_excel import berichte

    kopie = berichte.korrektur_schreiben(ergebnis.dateien[1], st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    wb = openpyxl.load_workbook(kopie)
    ws = wb["Ressourcen"]
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    for z in (zeile, zeile + 1):
        assert str(ws[f"{spalte}{z}"].value).startswith("=")
        assert bedingungen[f"{spalte}{z}"] == [f"NOT(_xlfn.ISFORMULA({spalte}{z}))"]
    # Wirtschaftlichkeit has no input table: a formula typed over there is found all the same
    wb = openpyxl.load_workbook(original)
    wb["Wirtschaftlichkeit"]["C12"] = 123456
    wb["Wirtschaftlichkeit"]["D12"] = None
    wb.save(tmp_path / "AG-01 Kapitalwert getippt.xlsx")
    (w,) = pruefen.pruefen([tmp_path / "AG-01 Kapitalwert getippt.xlsx"], st).dateien[0].befunde
    assert (w.blatt, w.zelle, w.stufe.value, w.regel.value) == (
        "Wirtschaftlichkeit",
        "C12",
        "Warnung",
        "FORMEL",
    )
    assert "wurden 2 Formeln überschrieben oder gelöscht (C12, D12)" in w.meldung
    # an empty formula cell is also what LibreOffice leaves in a row inserted into a table
    leer = next(b for b in ergebnis.dateien[1].befunde if b.stufe.value == "Warnung")
    assert (
        "die Zeile wurde eingefügt" in leer.meldung
        and "Korrekturexemplar hat die Formel" in leer.meldung
    )


def test_mappe_eines_anderen_programms_zaehlt_nicht(st: Any, gueltig: Path) -> None:
    """Every programme has an AG-01: a workbook of another one (other name, other Kommunen)
    is a Fehler and not read; a programme renamed after sending out keeps its returns."""
    import dataclasses

    def umbenannt(name: str) -> str:
        return f"{name} (Holzminden)"

    anderes = dataclasses.replace(
        st,
        programm="IKZ im Landkreis Holzminden",
        kommunen=tuple(dataclasses.replace(k, name=umbenannt(k.name)) for k in st.kommunen),
        arbeitsgruppen=tuple(
            dataclasses.replace(a, partner=tuple(umbenannt(p) for p in a.partner))
            for a in st.arbeitsgruppen
        ),
    )
    d = pruefen.pruefen([gueltig], anderes).dateien[0]
    assert [(b.stufe, b.regel) for b in d.befunde] == [(Stufe.FEHLER, Regel.STRUKTUR)]
    assert "gehört zum Programm 'Interkommunale Zusammenarbeit" in d.befunde[0].meldung
    assert not d.gelesen and d.status == "fehlerhaft"

    neuer_name = dataclasses.replace(st, programm="IKZ Helmstedt (neuer Titel)")
    # read; only told that its workbook still shows the old title
    befunde = pruefen.pruefen([gueltig], neuer_name).dateien[0].befunde
    assert [(b.stufe, b.regel) for b in befunde] == [(Stufe.HINWEIS, Regel.VERSION)]
    # renamed, and one Kommune renamed too (on both sheets, as reading the Steuerungsmappe
    # demands): still this programme (found in review)
    eine = st.kommunen[-1].name
    auch_kommune = dataclasses.replace(
        neuer_name,
        kommunen=tuple(
            dataclasses.replace(k, name=umbenannt(k.name)) if k.name == eine else k
            for k in st.kommunen
        ),
        arbeitsgruppen=tuple(
            dataclasses.replace(
                a, partner=tuple(umbenannt(p) if p == eine else p for p in a.partner)
            )
            for a in st.arbeitsgruppen
        ),
    )
    d = pruefen.pruefen([gueltig], auch_kommune).dateien[0]
    assert d.gelesen and not [b for b in d.befunde if b.regel is Regel.STRUKTUR]


def test_mappe_einer_umbenannten_ag_nennt_die_wahrscheinliche_ursache(
    st: Any, gueltig: Path
) -> None:
    """AG-01 renamed on Arbeitsgruppen after the workbooks went out: its return is ours (same
    programme, same Kommunen), so the message asks about the rename, names the AG it may be
    now and both ways out, not "another programme"; still a Fehler, the figures have no AG."""
    import dataclasses

    def umbenannt(programm: str) -> Any:
        return dataclasses.replace(
            st,
            programm=programm,
            arbeitsgruppen=tuple(
                dataclasses.replace(a, kuerzel="AG-IT") if a.kuerzel == AG else a
                for a in st.arbeitsgruppen
            ),
        )

    # with the programme renamed too: its Kommunen still say it is this one
    for programm in (st.programm, "IKZ Helmstedt (neuer Titel)"):
        d = pruefen.pruefen([gueltig], umbenannt(programm)).dateien[0]
        assert [(b.stufe, b.regel) for b in d.befunde] == [(Stufe.FEHLER, Regel.STRUKTUR)]
        meldung = d.befunde[0].meldung
        assert (
            "Die Arbeitsgruppe 'AG-01' steht nicht (mehr) in der Steuerungsmappe (Blatt "
            "Arbeitsgruppen). Wurde sie umbenannt (vielleicht in AG-IT) oder gelöscht?"
        ) in meldung
        assert "das Kürzel 'AG-01' auf dem Blatt Arbeitsgruppen wieder eintragen" in meldung
        assert "mit 'ikz erzeugen' die Mappe von AG-IT schreiben" in meldung
        assert "anderen Programm" not in meldung
        assert not d.gelesen and d.status == "fehlerhaft"

    # deleted: no AG of the same Handlungsfeld or name to suggest
    geloescht = dataclasses.replace(
        st, arbeitsgruppen=tuple(a for a in st.arbeitsgruppen if a.kuerzel != AG)
    )
    (b,) = pruefen.pruefen([gueltig], geloescht).dateien[0].befunde
    assert "Wurde sie umbenannt oder gelöscht?" in b.meldung
    assert "die Mappe der umbenannten Arbeitsgruppe schreiben" in b.meldung


def test_andere_rechengrundlagen_sind_eine_warnung(st: Any, gueltig: Path) -> None:
    """Zinssatz changed after the workbooks went out: the return is computed with its own, and
    the Steuerungsgruppe is told so, by name and value; other changes stay a Hinweis."""
    import dataclasses

    nur_texte = dataclasses.replace(st, ausgangslage=f"{st.ausgangslage} Neu.")
    (h,) = pruefen.pruefen([gueltig], nur_texte).dateien[0].befunde
    assert (h.stufe, h.regel) == (Stufe.HINWEIS, Regel.VERSION)
    assert "Zinssatz, Zeitraum, Startjahr und Partner sind dieselben" in h.meldung

    ag = st.arbeitsgruppe(AG)
    neu = dataclasses.replace(
        st,
        zinssatz=Decimal("0.02"),
        jahre=st.jahre + 1,
        arbeitsgruppen=tuple(
            dataclasses.replace(a, partner=a.partner[1:]) if a is ag else a
            for a in st.arbeitsgruppen
        ),
    )
    d = pruefen.pruefen([gueltig], neu).dateien[0]
    (w,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    assert w.stufe is Stufe.WARNUNG
    assert (
        f"Kalkulationszinssatz 3,1 % (jetzt 2 %); Betrachtungszeitraum {st.jahre} Jahre "
        f"(jetzt {st.jahre + 1}); Partnerkommunen {ag.partner[0]} nicht mehr (bis die AG im "
        "Korrekturexemplar weiterarbeitet, verteilt die Übersicht die Kosten auf die Partner "
        "dieser Mappe)." in w.meldung
    )
    assert "Korrekturexemplar" in w.meldung


def test_uebersicht_rechnet_mit_den_aktuellen_stammdaten(st: Any, tmp_path: Path) -> None:
    """Zinssatz and Einwohner changed after the workbook went out (or Einwohner overwritten in
    it): the overview computes every Handlungsfeld alike with the Steuerungsmappe's values, and
    each changed Einwohner row is a Warnung at its cell (found in review: silently old ones)."""
    import dataclasses

    from ikz_excel import berechnung, berichte, konsolidieren

    def nach_einwohnern(eingaben: Eingaben, felder: dict[str, Any]) -> None:
        schluessel_waehlen(eingaben, felder, "Einwohner")

    gueltig = ruecklauf(st, tmp_path / "AG-01.xlsx", nach_einwohnern)
    d = pruefen.pruefen([gueltig], st).dateien[0]
    assert d.befunde == []
    vorher = konsolidieren.auswerten(d, st)
    assert d.felder["Schluessel"] == "Einwohner" and vorher.anteile
    kommune = next(k for k in st.kommunen if k.name in vorher.anteile)
    neu = dataclasses.replace(
        st,
        zinssatz=Decimal("0.02"),
        kommunen=tuple(
            dataclasses.replace(k, einwohner=k.einwohner * 2) if k is kommune else k
            for k in st.kommunen
        ),
    )
    d = pruefen.pruefen([gueltig], neu).dateien[0]
    # The Steuerungsgruppe changed them: one VERSION Warnung names them, no row warnings
    # telling the Steuerungsgruppe to change Einwohner in the Steuerungsmappe.
    assert [b for b in d.befunde if b.spalte == "Einwohner"] == []
    (v,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    assert v.stufe is Stufe.WARNUNG
    assert "Die Übersicht rechnet mit den aktuellen Werten" in v.meldung
    alt, jetzt = pruefen._fmt(kommune.einwohner), pruefen._fmt(kommune.einwohner * 2)
    assert f"Einwohner {kommune.name} {alt} (jetzt {jetzt})" in v.meldung

    # The AG reads in its copy what concerns it, not the Steuerungsgruppe's instruction.
    kopie = berichte.korrektur_schreiben(d, neu, tmp_path / "Korrektur_AG-01.xlsx")
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie, read_only=True)[definition.KORREKTURBLATT]
    liste = " ".join(str(z[3]) for z in blatt.iter_rows(values_only=True))
    assert (
        "Die Steuerungsgruppe hat seit dem Versand dieser Mappe die Stammdaten geändert: " in liste
    )
    assert "Kalkulationszinssatz 3,1 % (jetzt 2 %)" in liste
    assert "berichte/" not in liste

    nachher = konsolidieren.auswerten(d, neu)
    assert nachher.zinssatz == Decimal("0.02")
    assert nachher.wirtschaftlichkeit.kapitalwert != vorher.wirtschaftlichkeit.kapitalwert
    einwohner = {k.name: k.einwohner for k in neu.kommunen if k.name in vorher.anteile}
    assert nachher.anteile == berechnung.anteile(
        "Einwohner", list(vorher.anteile), einwohner=einwohner
    )


def test_eigene_einwohneraenderung_bleibt_neben_neuen_stammdaten_an_ihrer_zelle(
    st: Any, tmp_path: Path
) -> None:
    """The Steuerungsgruppe changed one partner's Einwohner after sending, the clerk typed
    over another's: the VERSION finding named the clerk's figure as an older Stammdatum
    ("Musterstadt 31.000 (jetzt 30.000)", which it never was) and no cell (README walk-through).
    `_ikz` notes what the workbook was written with; a workbook from before keeps the old
    behaviour."""
    import dataclasses

    def nach_einwohnern(eingaben: Eingaben, felder: dict[str, Any]) -> None:
        schluessel_waehlen(eingaben, felder, "Einwohner")

    pfad = ruecklauf(st, tmp_path / "AG-01.xlsx", nach_einwohnern)
    paket = korpus.Paket.lesen(pfad)  # as written before `_ikz` noted the Einwohner
    korpus.ikz_setzen(paket, "einwohner", "")
    alt_pfad = paket.schreiben(tmp_path / "AG-01 alt.xlsx")
    t = lage(pfad, "tbl_Kostenausgleich")
    adresse = t.zelle(1, "Einwohner")
    for datei in (pfad, alt_pfad):
        mappe = openpyxl.load_workbook(datei)
        geaendert, getippt = (mappe[t.blatt][t.zelle(i, "Kommune")].value for i in (0, 1))
        mappe[t.blatt][adresse] = st.kommune(getippt).einwohner + 1000
        mappe.save(datei)
    neu = dataclasses.replace(
        st,
        kommunen=tuple(
            dataclasses.replace(k, einwohner=k.einwohner + 500) if k.name == geaendert else k
            for k in st.kommunen
        ),
    )
    d = pruefen.pruefen([pfad], neu).dateien[0]
    (v,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    alt = st.kommune(geaendert).einwohner
    assert f"Einwohner {geaendert} {pruefen._fmt(alt)} (jetzt {pruefen._fmt(alt + 500)})" in (
        v.meldung
    )
    assert getippt not in v.meldung
    (w,) = [b for b in d.befunde if b.spalte == "Einwohner"]
    assert (w.stufe, w.zelle) == (Stufe.WARNUNG, adresse)
    assert f"Die Einwohnerzahl von {getippt} zeigt" in w.meldung

    frueher = pruefen.pruefen([alt_pfad], neu).dateien[0]
    (v,) = [b for b in frueher.befunde if b.regel is Regel.VERSION]
    assert getippt in v.meldung and geaendert in v.meldung
    assert not [b for b in frueher.befunde if b.spalte == "Einwohner"]


def test_was_nicht_in_der_mappe_steht_macht_sie_nicht_aelter(st: Any, gueltig: Path) -> None:
    """Found in review: the Lenkungsgruppe's decisions, a new AG or another AG's partners gave
    every return a Hinweis 'mit älteren Stammdaten erzeugt'. None of it is in AG-01's workbook."""
    import dataclasses

    hf = st.arbeitsgruppe(AG).handlungsfeld
    andere = st.arbeitsgruppe("AG-02")
    neu = dataclasses.replace(
        st,
        handlungsfelder=tuple(
            dataclasses.replace(h, festgelegte_prioritaet=5) if h.name == hf else h
            for h in st.handlungsfelder
        ),
        entscheidungen=tuple(
            dataclasses.replace(e, festgelegte_prioritaet=2, bemerkung="Vorrang")
            for e in st.entscheidungen
        ),
        kriterien=tuple(dataclasses.replace(k, faktor=1) for k in st.kriterien),
        arbeitsgruppen=(
            *(
                dataclasses.replace(a, partner=a.partner[1:]) if a is andere else a
                for a in st.arbeitsgruppen
            ),
            dataclasses.replace(andere, kuerzel="AG-11", bezeichnung="Vergabestelle"),
        ),
    )
    assert pruefen.pruefen([gueltig], neu).dateien[0].befunde == []


def test_pruefsumme_aus_aelterer_fassung_ist_ein_hinweis(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """Workbooks written before the checksum was per AG carry one over all Stammdaten: it
    differs, and they get the Hinweis as before (not an error, not a crash)."""
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "stammdaten_pruefsumme", "0" * 64)
    alt = paket.schreiben(tmp_path / "AG-01 alt.xlsx")
    (h,) = pruefen.pruefen([alt], st).dateien[0].befunde
    assert (h.stufe, h.regel) == (Stufe.HINWEIS, Regel.VERSION)
    assert "mit älteren Stammdaten erzeugt" in h.meldung


@pytest.mark.parametrize("einwohner", [90000, None])
def test_in_der_mappe_geaenderte_einwohner_sind_eine_warnung(
    st: Any, tmp_path: Path, einwohner: int | None
) -> None:
    """The clerk unprotected Kostenausgleich and typed over (or cleared) an Einwohner cell: a
    Warnung at the cell; the split uses the Steuerungsmappe's figure, and in the Korrektur copy,
    which shows that figure again, the cell is not red (found in review: 'zeigt ,' and red for
    good)."""
    from ikz_excel import berichte

    def nach_einwohnern(eingaben: Eingaben, felder: dict[str, Any]) -> None:
        schluessel_waehlen(eingaben, felder, "Einwohner")

    pfad = ruecklauf(st, tmp_path / "AG-01.xlsx", nach_einwohnern)
    t = lage(pfad, "tbl_Kostenausgleich")
    adresse = t.zelle(0, "Einwohner")
    mappe = openpyxl.load_workbook(pfad)
    kommune = mappe[t.blatt][t.zelle(0, "Kommune")].value
    mappe[t.blatt][adresse] = einwohner
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (w,) = d.befunde
    assert (w.stufe, w.regel, w.zelle) == (Stufe.WARNUNG, Regel.PARTNER, adresse)
    gelesen = "ist leer" if einwohner is None else "zeigt 90.000"
    richtig = pruefen._fmt(st.kommune(kommune).einwohner)
    assert f"Die Einwohnerzahl von {kommune} {gelesen}, die Steuerungsmappe nennt {richtig}" in (
        w.meldung
    )
    assert berichte._noch_falsch(w) in (f"={adresse}=90000", f"=LEN(TRIM({adresse}))=0")


def test_eingefuegte_spalte_mit_inhalt_ist_ein_hinweis(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """A column 'Bemerkung' added to the table: read nowhere, so the clerk is told, at its
    header; the figures are read as before and the copy marks no header of its own."""
    from openpyxl.utils import range_boundaries
    from openpyxl.worksheet.table import TableColumn

    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe["Ressourcen"]
    t = ws.tables["tbl_Ressourcen"]
    links, oben, rechts, unten = range_boundaries(t.ref)
    neu = rechts + 1
    ws.cell(oben, neu, "Bemerkung")
    ws.cell(oben + 1, neu, "mit Personalrat abgestimmt")
    t.ref = f"{get_column_letter(links)}{oben}:{get_column_letter(neu)}{unten}"
    t.tableColumns.append(TableColumn(id=len(t.tableColumns) + 1, name="Bemerkung"))
    if t.autoFilter is not None:
        t.autoFilter.ref = t.ref
    pfad = tmp_path / "AG-01 mit Bemerkung.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = d.befunde
    assert (b.stufe, b.regel, b.blatt, b.zelle) == (
        Stufe.HINWEIS,
        Regel.STRUKTUR,
        "Ressourcen",
        f"{get_column_letter(neu)}{oben}",
    )
    assert "'Bemerkung' gehört nicht zur Vorlage. Ihr Eintrag wird nicht gelesen" in b.meldung
    assert d.status == pruefen.MIT_HINWEISEN == "gültig mit Hinweisen"  # no Warnung in it
    assert d.zeilen("tbl_Ressourcen") == pruefen.pruefen([gueltig], st).dateien[0].zeilen(
        "tbl_Ressourcen"
    )


def test_formel_in_gelber_zeile_unter_der_tabelle_wird_geprueft(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """The input rows below a table carry the Kosten formula: typed over there, or missing in
    a row inserted among them, the workbook shows another figure than the overview."""
    t = lage(gueltig, "tbl_Ressourcen")
    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe["Ressourcen"]
    zeilen = {}
    for n, kosten in ((t.zeilen + 1, 5000), (t.zeilen + 3, None)):
        for kopf, wert in (
            ("Ressourcenart", "Fachlich"),
            ("Kommune", "Stadt Helmstedt"),
            ("Menge", 2),
            ("Kostensatz", 4000),
            ("Kostenart", "einmalig"),
            ("ab Jahr", 1),
        ):
            ws[t.zelle(n, kopf)] = wert
        assert str(ws[t.zelle(n, "Kosten")].value).startswith("=")  # the generator's formula
        ws[t.zelle(n, "Kosten")] = kosten
        zeilen[n] = t.zelle(n, "Kosten")
    pfad = tmp_path / "AG-01 Kosten getippt.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    formel = [(b.zelle, b.stufe) for b in d.befunde if b.regel is Regel.FORMEL]
    assert formel == [
        (zeilen[t.zeilen + 1], Stufe.FEHLER),
        (zeilen[t.zeilen + 3], Stufe.WARNUNG),
    ]
    # The missing one says what the workbook leaves out (found in review: only "fehlt").
    (fehlt,) = [b for b in d.befunde if b.zelle == zeilen[t.zeilen + 3]]
    assert "Die Mappe rechnet Kosten dieser Zeile (8000) daher nirgends mit" in fehlt.meldung


def test_datum_als_text_meldung_ohne_formeln(st: Any, tmp_path: Path) -> None:
    """Zeitplan has no formulas: a date typed as text is asked for as a date, not because
    formulas could not compute it."""
    termin = demo_daten.eingaben(st, AG)[0]["tbl_Meilensteine"][0]["Termin"]

    def als_text(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Meilensteine"][0]["Termin"] = f"{termin:%d.%m.%Y}"

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", als_text)], st).dateien[0]
    (b,) = d.befunde
    assert (b.regel, b.blatt) == (Regel.UMGEWANDELT, "Zeitplan")
    assert "bitte als TT.MM.JJJJ eingeben" in b.meldung and "Formeln" not in b.meldung


@braucht_libreoffice
def test_formel_die_falsch_rechnet_ist_eine_warnung(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A Kosten formula that is there but computes something else (a table row pasted below
    the table shows 0): the workbook saved by a spreadsheet shows another figure than Python
    computes from the row, so the clerk is told which and where."""
    t = lage(gueltig, "tbl_Ressourcen")
    mappe = openpyxl.load_workbook(gueltig)
    zelle = t.zelle(0, "Kosten")
    mappe["Ressourcen"][zelle] = "=0"
    geaendert = tmp_path / "AG-01 Formel.xlsx"
    mappe.save(geaendert)
    gespeichert = nachrechnen([geaendert], tmp_path / "lo")[geaendert]
    d = pruefen.pruefen([gespeichert], st).dateien[0]
    formel = [b for b in d.befunde if b.regel is Regel.FORMEL]
    assert [(b.zelle, b.stufe) for b in formel] == [(zelle, Stufe.WARNUNG)]
    erwartet = d.zeilen("tbl_Ressourcen")[0]
    richtig = pruefen._fmt(erwartet["Menge"] * erwartet["Kostensatz"])
    assert f"Die Mappe zeigt hier 0, aus den Eingaben der Zeile ergibt sich {richtig}" in (
        formel[0].meldung
    )


def test_gelbe_zeilen_aelterer_mappen_ohne_formeln(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A workbook made before the input rows below the tables had formulas (no mark in _ikz):
    a row typed there, with or without a formula copied in, is no FORMEL finding."""
    t = lage(gueltig, "tbl_Ressourcen")
    mappe = openpyxl.load_workbook(gueltig)
    ikz = mappe["_ikz"]
    (zeile,) = [z for z in ikz.iter_rows() if z[0].value == definition.FORMELN_DARUNTER]
    zeile[0].value = zeile[1].value = None
    ws = mappe["Ressourcen"]
    for n in (t.zeilen + 1, t.zeilen + 2):
        ws[t.zelle(n, "Ressourcenart")] = "Fachlich"
        ws[t.zelle(n, "Kommune")] = "Stadt Helmstedt"
        ws[t.zelle(n, "Menge")] = 1
        ws[t.zelle(n, "Kostensatz")] = 100
        ws[t.zelle(n, "Kostenart")] = "einmalig"
        ws[t.zelle(n, "ab Jahr")] = 1
    ws[t.zelle(t.zeilen + 2, "Kosten")] = None  # as in an old workbook
    pfad = tmp_path / "AG-01 alt.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert [b for b in d.befunde if b.regel is Regel.FORMEL] == []


def test_korrektur_markiert_umgewandelten_text_mit_zeilenumbruch_nicht_dauerhaft() -> None:
    """'Stadt Helmstedt⏎' read as the list value: the copy holds the clean value, so the cell
    is not red for good (found in review: the text cannot be written as a formula literal)."""
    from ikz_excel import berichte
    from ikz_excel.befunde import Befund

    b = Befund(
        "AG-01.xlsx", "AG-01", "Ressourcen", "B6", "Kommune", "Stadt Helmstedt\n",
        Stufe.HINWEIS, Regel.UMGEWANDELT, "…",
    )  # fmt: skip
    assert berichte._noch_falsch(b) == "=FALSE"


# Nothing of the clerk's gets lost silently ------------------------------------------------------
# Review (LibreOffice): error values read as empty cells, sheets and remarks of the clerk's own,
# formulas in input cells. Each is said, at its sheet and cell.


def _fehlerwert_meldung(zelle: str, kopf: str, wert: str, erwartet: str = "einer Zahl") -> str:
    return (
        f"Ressourcen!{zelle} ({kopf}): Die Zelle zeigt einen Fehlerwert ({wert}) statt "
        f"{erwartet}. Bitte die Formel durch den Wert ersetzen."
    )


def test_fehlerwert_in_eingabezelle_ist_kein_fehlender_eintrag(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """=1/0 in a Kostensatz shows #DIV/0!; python-calamine reads it as empty, which made it
    'Pflichtangabe fehlt' and an empty cell in the Korrektur copy."""
    t = lage(gueltig, "tbl_Ressourcen")
    zelle = t.zelle(2, "Kostensatz")
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 Bezug.xlsx",
        {"tbl_Ressourcen": [{}, {}, {"Kostensatz": korpus.Formel("=1/0", "#DIV/0!")}]},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [("Ressourcen", zelle, Regel.TYP)]
    (b,) = d.befunde
    assert b.stufe is Stufe.FEHLER
    assert b.meldung == _fehlerwert_meldung(zelle, "Kostensatz", "#DIV/0!")
    # the copy shows what the cell showed, red and commented, instead of an empty cell
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)["Ressourcen"]
    assert blatt[zelle].value == "#DIV/0!"
    assert b.meldung in blatt[zelle].comment.text


@pytest.mark.parametrize(
    ("tabelle", "kopf", "fehler", "erwartet"),
    [
        ("tbl_Ressourcen", "Menge", "#N/A", "statt einer Zahl"),
        ("tbl_Ressourcen", "Beschreibung", "#REF!", "statt eines Textes"),
        ("tbl_Ressourcen", "Kommune", "#NAME?", "statt eines Werts aus der Auswahlliste"),
        ("tbl_Meilensteine", "Termin", "#VALUE!", "statt eines Datums"),
    ],
)
def test_eingefuegter_fehlerwert_ohne_formel(
    gueltig: Path, st: Any, tmp_path: Path, tabelle: str, kopf: str, fehler: str, erwartet: str
) -> None:
    """An error pasted as a value (no formula behind it), in columns of every kind."""
    t = lage(gueltig, tabelle)
    zelle = t.zelle(0, kopf)
    mappe = openpyxl.load_workbook(gueltig)
    mappe[t.blatt][zelle] = fehler  # openpyxl stores an error text as an error cell
    assert mappe[t.blatt][zelle].data_type == "e"
    pfad = tmp_path / "AG-01 Fehlerwert.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [(t.blatt, zelle, Regel.TYP)]
    assert d.befunde[0].meldung.endswith(
        f"): Die Zelle enthält einen Fehlerwert ({fehler}) {erwartet}. Bitte den richtigen "
        "Wert eingeben."
    )


def test_fremde_blaetter_mit_inhalt_sind_ein_hinweis(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Sheets the clerk added: with content a Hinweis each (their content is read nowhere and
    not in the Korrektur copy), an empty one none, nor the Korrekturhinweise of a copy."""
    mappe = openpyxl.load_workbook(gueltig)
    notizen = mappe.create_sheet("Notizen")
    notizen["A1"] = "Offene Fragen an die Kämmerei: Kostensatz EG 9 prüfen"
    notizen["A2"] = "Nebenrechnung"
    notizen["B2"] = 27500
    mappe.create_sheet("Tabelle1")  # added and left empty
    versteckt = mappe.create_sheet("Nebenrechnung")
    versteckt["C3"] = "Stellenkosten 55000"
    versteckt.sheet_state = "hidden"
    mappe.create_sheet(definition.KORREKTURBLATT)["A1"] = "Korrekturexemplar AG-01"
    t = lage(gueltig, "tbl_Ressourcen")
    mappe["Ressourcen"][t.zelle(1, "Menge")] = "zwölf"  # a Fehler too: a copy is written
    pfad = tmp_path / "AG-01 mit Notizen.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    hinweise = [b for b in d.befunde if b.stufe is Stufe.HINWEIS]
    assert [(b.blatt, b.zelle, b.regel) for b in hinweise] == [
        ("Notizen", "A1", Regel.STRUKTUR),
        ("Nebenrechnung", "C3", Regel.STRUKTUR),
    ]
    notiz, neben = hinweise
    assert notiz.meldung.startswith(
        "Notizen!A1: Das Blatt 'Notizen' gehört nicht zur Vorlage (3 gefüllte Zellen: "
        "A1 'Offene Fragen an die Kämmerei: Kostens …'; A2 'Nebenrechnung'; B2 27.500). Sein "
        "Inhalt wird nicht gelesen und steht weder in der Übersicht noch im Korrekturexemplar."
    )
    assert "eigene Datei mit diesem Blatt aufbewahren" in notiz.meldung
    assert "Das ausgeblendete Blatt 'Nebenrechnung'" in neben.meldung
    assert kompakt(d).count(("Ressourcen", t.zelle(1, "Menge"), Regel.TYP)) == 1
    # the copy has no such sheet, but its list of findings says what became of it
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    korrektur = openpyxl.load_workbook(kopie)
    assert "Notizen" not in korrektur.sheetnames
    liste = [z[3] for z in korrektur[definition.KORREKTURBLATT].iter_rows(values_only=True)]
    assert notiz.meldung in liste and neben.meldung in liste


def test_kopie_eines_vorlagenblatts_ist_eine_warnung(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """ "Ressourcen (2)" (Excel's name for a copy) or "Risiken_2" (LibreOffice's) with content:
    the clerk may have gone on in the copy, and only the original is read (probe). A Warnung
    each; the copy of a sheet of one's own stays a Hinweis, an empty copy gives nothing."""
    mappe = openpyxl.load_workbook(gueltig)
    mappe.create_sheet("Ressourcen (2)")["B5"] = "Sachbearbeitung"
    mappe["Ressourcen (2)"]["D5"] = 1.5
    mappe.create_sheet("Risiken_2")["C4"] = "Widerstand im Rat"
    mappe.create_sheet("Nutzen (2)")  # empty
    mappe.create_sheet("Notizen (2)")["A1"] = "Fragen"
    pfad = tmp_path / "AG-01 mit Kopie.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    fremd = sorted(
        (b for b in d.befunde if b.regel is Regel.STRUKTUR),
        key=lambda b: (b.stufe is Stufe.HINWEIS, b.blatt),
    )
    assert [(b.blatt, b.zelle, b.stufe) for b in fremd] == [
        ("Ressourcen (2)", "B5", Stufe.WARNUNG),
        ("Risiken_2", "C4", Stufe.WARNUNG),
        ("Notizen (2)", "A1", Stufe.HINWEIS),
    ]
    assert fremd[0].meldung == (
        "Ressourcen (2)!B5: Das Blatt 'Ressourcen (2)' (2 gefüllte Zellen: B5 'Sachbearbeitung'; "
        "D5 1,5) ist eine Kopie des Blatts 'Ressourcen'. Gelesen wird nur 'Ressourcen'; die "
        "Kopie steht weder in der Übersicht noch im Korrekturexemplar. Stehen die gültigen "
        "Angaben in der Kopie, bitte sie in der eigenen Datei nach 'Ressourcen' übertragen, "
        "dann die Kopie löschen und die Mappe erneut senden."
    )
    assert d.braucht_korrektur


def _daneben(gueltig: Path, ziel: Path, aendern: Callable[[openpyxl.Workbook], None]) -> Path:
    mappe = openpyxl.load_workbook(gueltig)
    aendern(mappe)
    mappe.save(ziel)
    return ziel


def test_eintraege_neben_den_tabellen_sind_ein_hinweis(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A remark typed beside a table (the sheet unprotected) is read nowhere and lost in the
    Korrektur copy: one Hinweis per sheet naming the cells and what they hold. What the
    template has there (titles, the field, sums, the heat map) is none of it."""

    def bemerkungen(mappe: openpyxl.Workbook) -> None:
        mappe["Ressourcen"]["J5"] = "Kostensatz lt. KGSt 2012, bitte prüfen"
        mappe["Ressourcen"]["J6"] = "nur wenn Variante B gewählt wird, sonst 0"
        mappe["Kostenausgleich"]["A25"] = "Lehre zahlt erst ab 2014"  # under a fixed table
        mappe["Risiken"]["Q3"] = 5  # beside the heat map

    d = pruefen.pruefen([_daneben(gueltig, tmp_path / "AG-01 Bemerkung.xlsx", bemerkungen)], st)
    befunde = d.dateien[0].befunde
    assert [(b.blatt, b.zelle, b.stufe, b.regel) for b in befunde] == [
        ("Ressourcen", "J5", Stufe.HINWEIS, Regel.STRUKTUR),
        ("Kostenausgleich", "A25", Stufe.HINWEIS, Regel.STRUKTUR),
        ("Risiken", "Q3", Stufe.HINWEIS, Regel.STRUKTUR),
    ]
    assert befunde[0].meldung == (
        "Ressourcen!J5: Auf dem Blatt Ressourcen stehen außerhalb der Tabellen 2 Einträge, die "
        "nicht zur Vorlage gehören (J5 'Kostensatz lt. KGSt 2012, bitte prüfen'; J6 'nur wenn "
        "Variante B gewählt wird, sons …'). Sie werden nicht gelesen und stehen weder in der "
        "Übersicht noch im Korrekturexemplar. Wichtiges bitte in die Tabelle übertragen (z. B. "
        "in eine Beschreibung oder Begründung) oder die eigene Datei aufbewahren."
    )
    assert "ein Eintrag, der nicht zur Vorlage gehört (A25 'Lehre zahlt erst ab 2014')" in (
        befunde[1].meldung
    )
    assert d.dateien[0].status == pruefen.MIT_HINWEISEN


def test_eigene_tabelle_neben_der_tabelle_ist_ein_hinweis(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A table of the clerk's own beside the template's (Format as table) is no place of the
    template: what it holds is read nowhere either."""
    from openpyxl.worksheet.table import Table

    def eigene_tabelle(mappe: openpyxl.Workbook) -> None:
        ws = mappe["Ressourcen"]
        ws["K4"], ws["L4"] = "Frage", "an wen"
        ws["K5"], ws["L5"] = "Kostensatz EG 9?", "Kämmerei"
        ws.add_table(Table(displayName="tbl_Fragen", ref="K4:L5"))

    pfad = _daneben(gueltig, tmp_path / "AG-01 eigene Tabelle.xlsx", eigene_tabelle)
    (b,) = pruefen.pruefen([pfad], st).dateien[0].befunde
    assert (b.blatt, b.zelle, b.stufe) == ("Ressourcen", "K4", Stufe.HINWEIS)
    assert "4 Einträge, die nicht zur Vorlage gehören (K4 'Frage'; L4 'an wen'; K5" in b.meldung


def test_verschobene_vorlage_ist_kein_eintrag_daneben(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Rows or columns inserted (the sheet unprotected) move what the template has beside and
    below the tables: recognised by its texts, and the cells around them with the same shift."""

    def verschieben(mappe: openpyxl.Workbook) -> None:
        mappe["Risiken"].move_range("J4:O13", cols=1)  # a column inserted in the table
        mappe["Kostenausgleich"].move_range("D18:E19", rows=1)  # a row inserted below it

    pfad = _daneben(gueltig, tmp_path / "AG-01 verschoben.xlsx", verschieben)
    assert openpyxl.load_workbook(pfad)["Risiken"]["L5"].value == 1  # axis numbers moved too
    assert pruefen.pruefen([pfad], st).dateien[0].befunde == []


def test_mappe_ohne_liste_der_vorlagenzellen_wird_daneben_nicht_geprueft(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A workbook made before `_ikz` listed what the template has beside the tables: without
    the list, a title could not be told from a remark, so nothing is said (no false alarm)."""

    def alt_mit_bemerkung(mappe: openpyxl.Workbook) -> None:
        for zeile in mappe["_ikz"].iter_rows():
            if str(zeile[0].value).startswith(definition.ZELLEN):
                zeile[0].value = zeile[1].value = None
        mappe["Ressourcen"]["J5"] = "Kostensatz lt. KGSt 2012"

    pfad = _daneben(gueltig, tmp_path / "AG-01 alt.xlsx", alt_mit_bemerkung)
    assert pruefen.pruefen([pfad], st).dateien[0].befunde == []


def test_jede_liste_der_vorlagenzellen_wird_gelesen(vorlage: Path) -> None:
    """The bounds that tell an edited list (`einlesen.VORLAGE_ZEILEN`) leave room for what
    the generator writes: every sheet with tables of the template gets its check."""
    kennung = einlesen.kennung_lesen(vorlage)
    listen = {k: v for k, v in kennung.items() if k.startswith(definition.ZELLEN)}
    assert len(listen) >= 3
    assert [k for k, v in listen.items() if einlesen.zellen_lesen(v) is None] == []


@pytest.mark.parametrize("eintrag", ["A1:A20001", "A1:A2," + "Z999," * 2500])
def test_bearbeitete_liste_der_vorlagenzellen_wird_nicht_geprueft(
    gueltig: Path, st: Any, tmp_path: Path, eintrag: str
) -> None:
    """The list in `_ikz` edited (the clerk can unhide it): a block no template has, or more
    entries than a template has, is no list. Nothing is said, as for a workbook without one;
    trusted, such a list made sets of millions of cells, or named every title of the sheet
    as an entry of the clerk's."""

    def bearbeitet(mappe: openpyxl.Workbook) -> None:
        for zeile in mappe["_ikz"].iter_rows():
            if zeile[0].value == definition.ZELLEN + "Ressourcen":
                zeile[1].value = eintrag
        mappe["Ressourcen"]["J5"] = "Kostensatz lt. KGSt 2012"

    pfad = _daneben(gueltig, tmp_path / "AG-01 bearbeitet.xlsx", bearbeitet)
    assert pruefen.pruefen([pfad], st).dateien[0].befunde == []


def test_viele_kopien_eines_titels_daneben_kosten_linear() -> None:
    """The sheet's title copied 12,000 times beside the table, and as many notes: each copy gave
    a shift, and each note was tested against all of them (3 s here, 47 s for 20,000 each).
    The most frequent shifts are enough for rows or columns inserted; the notes are named."""
    titel, n = "Ressourcen", 12_000  # the old way some 12 s: far from the limit either way
    kandidaten = (
        [(1, 0, titel)]
        + [(100 + i, 12, titel) for i in range(n)]
        + [(100 + i, 13, f"Notiz {i}") for i in range(n)]
    )
    r = SimpleNamespace(
        kennung={definition.ZELLEN + "Ressourcen": f"A1#{einlesen.textsumme(titel)},A2#0"},
        daneben={"Ressourcen": kandidaten},
        felder={},
    )
    kontext = pruefen.Kontext({}, {}, [pruefen.Datei("AG-01.xlsx", AG)])
    start = time.perf_counter()
    (b,) = pruefen.daneben_pruefen(r, 0, kontext)
    assert time.perf_counter() - start < 2.0  # a guard against quadratic work, not a benchmark
    assert b.zelle == "N100"
    assert f"stehen außerhalb der Tabellen {n} Einträge" in b.meldung


def test_formel_in_eingabezelle_ist_ein_hinweis(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A formula in an input cell counts with its result; the Korrektur copy holds that value
    instead, so the clerk is told, once per column (Excel fills a formula down a column)."""
    ressourcen, nutzen = lage(gueltig, "tbl_Ressourcen"), lage(gueltig, "tbl_Nutzen")
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 Nebenrechnung.xlsx",
        {
            "tbl_Ressourcen": [
                {"Kostensatz": korpus.Formel("=Nebenrechnung!B1", 55000)},
                {"Menge": korpus.Formel("=1+2", 3)},
                {"Menge": korpus.Formel("=2*2", 4)},
            ],
            "tbl_Nutzen": [{"Betrag": korpus.Formel("=35000+6234.56", 41234.56)}],
        },
        projektbeschreibung={"3.3": korpus.Formel('="Jede Kommune"&" betreibt Server."', "x")},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    satz, menge, betrag = (
        ressourcen.zelle(0, "Kostensatz"),
        ressourcen.zelle(1, "Menge"),
        (nutzen.zelle(0, "Betrag")),
    )
    ist = nr_zelle(pfad, "3.3")
    assert [(b.blatt, b.zelle, b.stufe, b.regel) for b in d.befunde] == [
        ("Projektbeschreibung", ist, Stufe.HINWEIS, Regel.FORMEL),
        ("Ressourcen", satz, Stufe.HINWEIS, Regel.FORMEL),
        ("Ressourcen", menge, Stufe.HINWEIS, Regel.FORMEL),
        ("Nutzen", betrag, Stufe.HINWEIS, Regel.FORMEL),
    ]
    meldungen = [b.meldung for b in d.befunde]
    assert meldungen[0].startswith(f"Projektbeschreibung!{ist} (3.3 Ist-Situation): Hier steht")
    assert meldungen[1] == (
        f"Ressourcen!{satz} (Kostensatz): Hier steht eine Formel; gelesen wird ihr Ergebnis "
        "(55.000). Ein Korrekturexemplar enthält statt der Formel diesen Wert."
    )
    assert meldungen[2].startswith(
        f"Ressourcen!{menge} (Menge): In 2 Zellen dieser Spalte stehen Formeln "
        f"({menge} 3; {ressourcen.zelle(2, 'Menge')} 4); gelesen werden ihre Ergebnisse."
    )
    assert "(41.234,56)" in meldungen[3]
    assert d.zeilen("tbl_Nutzen")[0]["Betrag"] == Decimal("41234.56")  # it counts


def test_formel_in_eingabezelle_im_korrekturexemplar(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """The copy holds the formula's value, lists the Hinweis with its cell and marks nothing
    red: there is nothing to correct."""
    t = lage(gueltig, "tbl_Ressourcen")
    satz = t.zelle(0, "Kostensatz")
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 Formel.xlsx",
        {
            "tbl_Ressourcen": [
                {"Kostensatz": korpus.Formel("=52000+3000", 55000)},
                {"Menge": "zwei"},
            ]
        },
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [
        ("Ressourcen", satz, Regel.FORMEL),
        ("Ressourcen", t.zelle(1, "Menge"), Regel.TYP),
    ]
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    mappe = openpyxl.load_workbook(kopie)
    blatt = mappe["Ressourcen"]
    assert blatt[satz].value == 55000 and blatt[satz].comment is None
    rot = {str(cf.sqref) for cf in blatt.conditional_formatting}
    assert satz not in rot and t.zelle(1, "Menge") in rot
    zeilen = [z for z in mappe[definition.KORREKTURBLATT].iter_rows(min_row=5) if z[0].value]
    assert [(z[1].value, z[2].value) for z in zeilen] == [
        (satz, "Hinweis"),
        (t.zelle(1, "Menge"), "Fehler"),
    ]
    assert zeilen[0][1].hyperlink.location == f"Ressourcen!{satz}"


@braucht_libreoffice
def test_von_libreoffice_gespeichert_fehlerwert_bemerkung_und_notizblatt(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """As the review found them, saved by a real spreadsheet program: LibreOffice computes
    =1/0 and stores #DIV/0! as the cell's value; the remark beside the table and the sheet of
    notes are said, and nothing of the template moved by the clerk raises a false alarm."""
    t = lage(gueltig, "tbl_Ressourcen")
    zelle = t.zelle(2, "Kostensatz")

    def aendern(mappe: openpyxl.Workbook) -> None:
        mappe["Ressourcen"][zelle] = "=1/0"
        mappe["Ressourcen"]["J5"] = "nur wenn Variante B gewählt wird, sonst 0"
        mappe.create_sheet("Notizen")["A1"] = "Offene Fragen an die Kämmerei"
        mappe["Kostenausgleich"].move_range("D18:E19", rows=1)  # sum and its text move down

    geaendert = _daneben(gueltig, tmp_path / "AG-01 Bezug.xlsx", aendern)
    gespeichert = nachrechnen([geaendert], tmp_path / "lo")[geaendert]
    d = pruefen.pruefen([gespeichert], st).dateien[0]
    assert zelle == "F7"  # below J5: the findings come row by row
    assert [(b.blatt, b.zelle, b.stufe, b.regel) for b in d.befunde] == [
        ("Ressourcen", "J5", Stufe.HINWEIS, Regel.STRUKTUR),
        ("Ressourcen", zelle, Stufe.FEHLER, Regel.TYP),
        ("Notizen", "A1", Stufe.HINWEIS, Regel.STRUKTUR),
    ]
    assert d.befunde[1].meldung == _fehlerwert_meldung(zelle, "Kostensatz", "#DIV/0!")


@pytest.mark.parametrize("zins", ["NaN", "sNaN", "Infinity", "0,031"])
def test_unsinniger_zinssatz_in_ikz_ist_ein_befund(
    gueltig: Path, st: Any, tmp_path: Path, zins: str
) -> None:
    """`_ikz` edited by hand: 'NaN' raised on comparing and ended as 'unerwarteter Fehler'."""
    paket = korpus.Paket.lesen(gueltig)
    korpus.ikz_setzen(paket, "kalkulationszinssatz", zins)
    pfad = paket.schreiben(tmp_path / "AG-01 zins.xlsx")
    (b,) = pruefen.pruefen([pfad], st).dateien[0].befunde
    assert (b.stufe, b.regel) == (Stufe.FEHLER, Regel.DATEI)
    assert "Das interne Blatt _ikz ist verändert" in b.meldung


def test_jahreszahl_im_termin_heisst_so_auch_auf_dem_schnellen_weg(st: Any, tmp_path: Path) -> None:
    """2013 typed into a date cell is stored as 05.07.1905. The fast conversion took it for a
    date and the clerk read "05.07.1905 liegt außerhalb des erlaubten Bereichs"; the message
    that says what happened was only on the full path (found while rereading the session)."""
    from datetime import datetime

    def jahr(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Meilensteine"][0]["Termin"] = datetime(1905, 7, 5)

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", jahr)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.spalte == "Termin"]
    assert "2013 ist eine Jahreszahl, kein Datum" in b.meldung


def test_datum_als_zahl_ohne_datumsformat(st: Any, tmp_path: Path) -> None:
    """A date pasted over its cell's format shows as 41500: a number, not text (clerk review:
    the message spoke of text)."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    t = lage(pfad, "tbl_Meilensteine")
    wb = openpyxl.load_workbook(pfad)
    zelle = wb[t.blatt][t.zelle(0, "Termin")]
    zelle.value, zelle.number_format = 41500, "General"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if b.zelle == t.zelle(0, "Termin")]
    assert b.regel is Regel.UMGEWANDELT and b.stufe is Stufe.WARNUNG
    assert "Zahl 41500 wurde als Datum 14.08.2013 gelesen." in b.meldung
    assert "als Zahl" in b.meldung and "Text" not in b.meldung


def test_zahl_im_termin_deutsch_in_meldung_und_pruefbericht(st: Any, tmp_path: Path) -> None:
    """Review: a number in a date cell that is no day was written as Python writes it, "1e+20
    ist kein Datum", "123456789.125 ist kein Datum" (read in German: 123 million), while the
    Prüfbericht's column Wert beside it said "123.456.789,125"."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    t = lage(pfad, "tbl_Meilensteine")
    wb = openpyxl.load_workbook(pfad)
    for i, zahl in enumerate([123456789.125, 1e20]):
        zelle = wb[t.blatt][t.zelle(i, "Termin")]
        zelle.value, zelle.number_format = zahl, "General"
    wb.save(pfad)
    ergebnis = pruefen.pruefen([pfad], st)
    meldungen = {b.zelle: b.meldung for b in ergebnis.dateien[0].befunde}
    assert "123.456.789,125 ist kein Datum" in meldungen[t.zelle(0, "Termin")]
    assert "100.000.000.000.000.000.000 ist kein Datum" in meldungen[t.zelle(1, "Termin")]
    bericht = berichte.pruefbericht_schreiben(ergebnis, tmp_path / "Pruefbericht.xlsx", {}, None)
    ws = openpyxl.load_workbook(bericht)["Befunde"]
    koepfe = [c.value for c in ws[1]]
    for zeile in ws.iter_rows(min_row=2, values_only=True):
        z = dict(zip(koepfe, zeile, strict=True))
        if z["Spalte"] == "Termin":
            assert z["Wert"] in z["Meldung"], z


def test_formel_mit_fehlerwert_ist_eine_warnung(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A formula showing an error value (#WERT!) in a row below the table: before, only a
    wrong number was compared, an error value passed without a word while the workbook's sums
    showed errors (clerk review)."""
    t = lage(gueltig, "tbl_Ressourcen")
    zelle = t.zelle(t.zeilen, "Kosten")  # the first input row below the table
    kopiert = {
        "Ressourcenart": "Fachlich",
        "Kommune": "Stadt Helmstedt",
        "Menge": 2,
        "Kostensatz": 4000,
        "Kostenart": "einmalig",
        "ab Jahr": 1,
        "Kosten": korpus.Formel("=D5*F5/0", "#VALUE!"),
    }
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 Fehlerwert.xlsx",
        {"tbl_Ressourcen": [{}] * t.zeilen + [kopiert]},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.FORMEL]
    assert (b.zelle, b.stufe) == (zelle, Stufe.WARNUNG)
    assert "den Fehlerwert #VALUE!, aus den Eingaben der Zeile ergibt sich 8000" in b.meldung


def _kopierte_ressourcenzeile(gespeichert: Any) -> dict[str, Any]:
    """A row of tbl_Ressourcen as copied from the table: its Kosten keep the [#This Row]
    formula, with the value the spreadsheet saved."""
    return {
        "Ressourcenart": "Fachlich",
        "Kommune": "Stadt Helmstedt",
        "Beschreibung": "Schulung",
        "Einheit": "Kurs",
        "Menge": 2,
        "Kostensatz": 4000,
        "Kostenart": "einmalig",
        "ab Jahr": 1,
        "Kosten": korpus.Formel(
            "=IF(AND(ISNUMBER(tbl_Ressourcen[[#This Row],[Menge]]),ISNUMBER(tbl_Ressourcen"
            "[[#This Row],[Kostensatz]])),ROUND(tbl_Ressourcen[[#This Row],[Menge]]*"
            "tbl_Ressourcen[[#This Row],[Kostensatz]],2),0)",
            gespeichert,
        ),
    }


@pytest.mark.parametrize("gespeichert", [8000, "#VALUE!"], ids=["libreoffice", "excel"])
def test_tabellenzeile_unter_die_tabelle_kopiert(
    gueltig: Path, st: Any, tmp_path: Path, gespeichert: Any
) -> None:
    """A table row copied below the table brings its [#This Row] formula, which computes
    nothing there. LibreOffice even saves the right value (8000), so comparing values passed
    it; Excel shows #WERT!, and the workbook's sums then too (left alone in session 8). The
    formula text tells, one Warnung either way; the row itself counts."""
    t = lage(gueltig, "tbl_Ressourcen")
    zeile = t.zeilen  # the first input row below the table
    zelle = t.zelle(zeile, "Kosten")
    kopiert = _kopierte_ressourcenzeile(gespeichert)
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 kopiert.xlsx",
        {"tbl_Ressourcen": [{}] * t.zeilen + [kopiert]},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.FORMEL]
    assert (b.zelle, b.stufe, b.spalte) == (zelle, Stufe.WARNUNG, "Kosten")
    assert "aus der Tabelle hierher kopiert" in b.meldung and "#WERT!" in b.meldung
    assert d.status == pruefen.MIT_WARNUNGEN and d.braucht_korrektur
    assert any(z.get("Kostensatz") == 4000 for z in d.zeilen("tbl_Ressourcen"))
    # the table's own rows keep their [#This Row] formulas without a word
    assert all(b.zelle == zelle for b in d.befunde if b.regel is Regel.FORMEL)


def test_in_viele_zeilen_kopierte_tabellenzeile_erklaert_einmal(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """One row pasted into several rows below the table: a Warnung per cell (each marks its
    cell in the Korrektur copy), but the paragraph once; the others point to it."""
    t = lage(gueltig, "tbl_Ressourcen")
    kopiert = _kopierte_ressourcenzeile(8000)
    pfad = korpus.ausfuellen(
        gueltig,
        tmp_path / "AG-01 dreimal.xlsx",
        {"tbl_Ressourcen": [{}] * t.zeilen + [kopiert] * 3},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    formeln = [b for b in d.befunde if b.regel is Regel.FORMEL]
    erste = t.zelle(t.zeilen, "Kosten")
    assert [b.zelle for b in formeln] == [t.zelle(t.zeilen + i, "Kosten") for i in range(3)]
    assert "aus der Tabelle hierher kopiert" in formeln[0].meldung
    for b in formeln[1:]:
        assert f"wie Ressourcen!{erste} (siehe dort)" in b.meldung, b.meldung
        assert "Korrekturexemplar" in b.meldung and len(b.meldung) < 200


def _zelle_setzen(pfad: Path, blatt: str, adresse: str, wert: Any) -> None:
    wb = openpyxl.load_workbook(pfad)
    wb[blatt][adresse] = wert
    wb.save(pfad)


def _korrekturliste(d: Dateiergebnis, st: Any, ziel: Path) -> list[tuple[Any, Any, Any]]:
    kopie = berichte.korrektur_schreiben(d, st, ziel)
    assert kopie is not None
    liste = openpyxl.load_workbook(kopie)[definition.KORREKTURBLATT]
    return [
        (z[0].value, z[1].value or None, z[3].value)
        for z in liste.iter_rows(min_row=5)
        if z[3].value
    ]


def test_kopierte_vorgegebene_zeile_und_leerzeichen_nach_namen(st: Any, tmp_path: Path) -> None:
    """Code review of the new rules: a prescribed row copied (3.3 twice) was read as the last
    one without a word; a space typed after a Kommune or a criterion made it another one
    ("Partnerkommune fehlt", the points "offen"); the Korrektur copy's list called a missing
    criterion a renamed column header."""
    pfad = ruecklauf(st, tmp_path / "kopiert.xlsx")
    zellen = _zeile_anhaengen(
        pfad,
        "Projektbeschreibung",
        "tbl_Projektbeschreibung",
        {"Nr": "3.3", "Phase": "Konzeption", "Eintrag": "Zweite Fassung von 3.3."},
    )
    leer = ruecklauf(st, tmp_path / "leer_kopiert.xlsx")
    _zeile_anhaengen(leer, "Projektbeschreibung", "tbl_Projektbeschreibung", {"Nr": "3.1"})
    leerzeichen = ruecklauf(st, tmp_path / "leerzeichen.xlsx")
    ka, ei = lage(leerzeichen, "tbl_Kostenausgleich"), lage(leerzeichen, "tbl_Einschaetzung")
    _zelle_setzen(leerzeichen, ka.blatt, ka.zelle(0, "Kommune"), st.kommunen[0].name + " ")
    _zelle_setzen(leerzeichen, ei.blatt, ei.zelle(0, "Kriterium"), st.kriterien[0].name + " ")
    ergebnis = pruefen.pruefen([pfad, leer, leerzeichen], st)
    kopiert, leer_d, leerzeichen_d = ergebnis.dateien
    assert [(b.zelle, b.stufe, b.regel) for b in kopiert.befunde] == [
        (zellen["Eintrag"], Stufe.WARNUNG, Regel.STRUKTUR)
    ]
    assert "Nr 3.3 steht schon in Zeile" in kopiert.befunde[0].meldung
    assert "'3.3 | Konzeption | Zweite Fassung von 3.3.'" in kopiert.befunde[0].meldung
    assert kopiert.eintrag("3.3") != "Zweite Fassung von 3.3."  # the first one counts
    assert leer_d.befunde == [] and leerzeichen_d.befunde == []
    assert leerzeichen_d.zeilen("tbl_Kostenausgleich")[0]["Kommune"] == st.kommunen[0].name
    assert leerzeichen_d.zeilen("tbl_Einschaetzung")[0]["Kriterium"] == st.kriterien[0].name

    # the Korrektur copy (of a faulty return) keeps the share of the row with the space
    def individuell_und_menge(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        for i, z in enumerate(e["tbl_Kostenausgleich"]):
            z["Anteil individuell"] = 0.55 if i == 0 else 0.05
        _menge(e, f)

    faul = ruecklauf(st, tmp_path / "faul.xlsx", individuell_und_menge)
    _zelle_setzen(faul, ka.blatt, ka.zelle(0, "Kommune"), st.kommunen[0].name + " ")
    kopie = berichte.korrektur_schreiben(
        pruefen.pruefen([faul], st).dateien[0], st, tmp_path / "K.xlsx"
    )
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)[ka.blatt]
    assert blatt[ka.zelle(0, "Kommune")].value == st.kommunen[0].name
    assert blatt[ka.zelle(0, "Anteil individuell")].value == 0.55

    # the list of a copy names a missing criterion as such, and a copied row without a cell
    geloescht = ruecklauf(st, tmp_path / "ohne_kriterium.xlsx")
    wb = openpyxl.load_workbook(geloescht)
    t = wb["Priorisierung"].tables["tbl_Einschaetzung"]
    links, oben, rechts, unten = range_boundaries(t.ref)
    t.ref = f"{get_column_letter(links)}{oben}:{get_column_letter(rechts)}{unten - 1}"
    for c in range(links, rechts + 1):
        wb["Priorisierung"].cell(unten, c).value = None
    wb.save(geloescht)
    d = pruefen.pruefen([geloescht], st).dateien[0]
    liste = _korrekturliste(d, st, tmp_path / "Korrektur_ohne.xlsx")
    assert [(z[0], z[1]) for z in liste] == [("Priorisierung", None)]
    assert liste[0][2].startswith(f"Priorisierung: Das Kriterium {st.kriterien[-1].name} fehlt")
    liste = _korrekturliste(kopiert, st, tmp_path / "Korrektur_kopiert.xlsx")
    assert [(z[0], z[1]) for z in liste] == [("Projektbeschreibung", None)]
    assert liste[0][2].endswith("Diese Zeile steht nicht in diesem Korrekturexemplar.")


def test_leere_und_einwohnerzeilen_im_kostenausgleich(st: Any, tmp_path: Path) -> None:
    """An inserted row left empty is no Fehler of a missing share (code review: it was), but
    under "gleiche Anteile" the workbook counts it (Warnung); a row with only Einwohner is a
    Fehler; the copy lists what it leaves out with the figures the row held."""

    def schluessel(name: str, anteil: float | None = None) -> Aendern:
        def aendern(e: Eingaben, f: dict[str, Any]) -> None:
            schluessel_waehlen(e, f, name)
            if anteil is not None:
                for z in e["tbl_Kostenausgleich"]:
                    z["Anteil individuell"] = anteil

        return aendern

    individuell = ruecklauf(st, tmp_path / "individuell.xlsx", schluessel("individuell", 0.1))
    _zeile_anhaengen(individuell, "Kostenausgleich", "tbl_Kostenausgleich", {"Kommune": None})
    gleich = ruecklauf(st, tmp_path / "gleich.xlsx", schluessel("gleiche Anteile"))
    z_gleich = _zeile_anhaengen(gleich, "Kostenausgleich", "tbl_Kostenausgleich", {"Kommune": None})
    einwohner = ruecklauf(st, tmp_path / "einwohner.xlsx")
    z_einw = _zeile_anhaengen(
        einwohner, "Kostenausgleich", "tbl_Kostenausgleich", {"Kommune": None, "Einwohner": 50000}
    )
    doppelt = ruecklauf(st, tmp_path / "doppelt.xlsx", schluessel("individuell", 0.1))
    _zeile_anhaengen(
        doppelt,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": st.kommunen[0].name, "Anteil individuell": 0.15},
    )
    ergebnis = pruefen.pruefen([individuell, gleich, einwohner, doppelt], st)
    ohne_formel = [
        [(b.zelle, b.stufe, b.regel) for b in d.befunde if b.regel is not Regel.FORMEL]
        for d in ergebnis.dateien
    ]
    assert ohne_formel[0] == []
    assert ohne_formel[1] == [(z_gleich["Kommune"], Stufe.WARNUNG, Regel.STRUKTUR)]
    assert ohne_formel[2] == [(z_einw["Kommune"], Stufe.FEHLER, Regel.PFLICHT)]
    assert "(Einwohner 50.000)" in ergebnis.dateien[2].befunde[0].meldung
    (b,) = [b for b in ergebnis.dateien[3].befunde if b.regel is Regel.EINDEUTIG]
    assert "Die Zeile enthält: " in b.meldung and "Anteil individuell 15 %" in b.meldung
    liste = _korrekturliste(ergebnis.dateien[3], st, tmp_path / "Korrektur_doppelt.xlsx")
    eindeutig = [z for z in liste if "steht schon in Zeile" in z[2]]
    assert [(z[0], z[1]) for z in eindeutig] == [("Kostenausgleich", None)]


def test_pruefen_nennt_ags_ohne_ruecklauf(tmp_path: Path) -> None:
    """Before the meeting the Steuerungsgruppe wants to know whom to remind: `pruefen` named
    only the files (print review: AG-08 was missing from everything but the overview)."""
    from ikz_excel import demo

    ab = demo.demo(tmp_path / "ikz-demo").arbeitsbereich
    lauf = ikz("pruefen", "-a", str(ab))
    assert "Noch kein Rücklauf erkannt von: AG-08 Arbeitsschutz (Abgabetermin " in lauf.aus
    # checking a single file says nothing about the others
    eine = next((ab / "eingang").rglob("AG-10*.xlsx"))
    assert "Noch kein Rücklauf" not in ikz("pruefen", "-a", str(ab), str(eine)).aus
    # several: a line each, to be read off as a reminder list (README walk 20: nine on one line)
    for kuerzel in ("AG-01", "AG-02"):
        for datei in (ab / "eingang").rglob(f"{kuerzel}*.xlsx"):
            datei.unlink()
    zeilen = ikz("pruefen", "-a", str(ab), "--ohne-berichte").aus.splitlines()
    i = zeilen.index("Noch kein Rücklauf erkannt von 3 Arbeitsgruppen:")
    assert [z.split(" (Abgabetermin ")[0] for z in zeilen[i + 1 : i + 4]] == [
        "  AG-01 IT / Gemeinsames Rechenzentrum",
        "  AG-02 Personalservice",
        "  AG-08 Arbeitsschutz",
    ]


def test_namen_mit_geschuetztem_leerzeichen_und_vorbelegte_zeilen(st: Any, tmp_path: Path) -> None:
    """Last review: a partner named with a no-break space in the Steuerungsmappe made an
    untouched return faulty (the check collapsed the space, the Stammdaten keep it) and lost
    its Fallzahl in the Korrektur copy; and the copy's list dropped the cell of a row the
    Lenkungsgruppe prefilled (1.1), which the copy has."""
    import dataclasses

    ag = st.arbeitsgruppe(AG)
    alt = ag.partner[-1]
    neu = alt.replace(" ", "\u00a0", 1)
    st2 = dataclasses.replace(
        st,
        kommunen=tuple(
            dataclasses.replace(k, name=neu) if k.name == alt else k for k in st.kommunen
        ),
        arbeitsgruppen=tuple(
            dataclasses.replace(a, partner=tuple(neu if p == alt else p for p in a.partner))
            for a in st.arbeitsgruppen
        ),
    )
    ag2 = st2.arbeitsgruppe(AG)
    eingaben = {"tbl_Kostenausgleich": [{"Kommune": k, "Fallzahl": 7} for k in ag2.partner]}
    pfad = erzeugen.arbeitsmappe_schreiben(
        st2, ag2, tmp_path / "nbsp.xlsx", eingaben=eingaben, felder={"Schluessel": "Fallzahl"}
    )
    d = pruefen.pruefen([pfad], st2).dateien[0]
    assert [b.regel for b in d.befunde if b.blatt == "Kostenausgleich"] == []

    p = ruecklauf(st, tmp_path / "vorbelegt.xlsx")
    z = nr_zelle(p, "1.1")
    wb = openpyxl.load_workbook(p)
    wb["Projektbeschreibung"][z] = '="abc"'
    wb.save(p)
    _zeile_anhaengen(
        p, "Projektbeschreibung", "tbl_Projektbeschreibung", {"Nr": "3.3", "Eintrag": "zweite"}
    )
    d = pruefen.pruefen([p], st).dateien[0]
    liste = _korrekturliste(d, st, tmp_path / "K.xlsx")
    assert ("Projektbeschreibung", z) in [(a, b) for a, b, _ in liste]


def test_gekuerzter_name_im_kostenausgleich_behaelt_die_zeile(st: Any, tmp_path: Path) -> None:
    """'Stadt Schöningen' in the Kostenausgleich renamed 'Schöningen' (protection removed,
    the clerk 'tidied up'): the message for a foreign Kommune said to delete the row, and
    with it the Fallzahl; the partner 'fehlte'. The row is that partner's: read as such, a
    Warnung, the same split, and the Korrektur copy has the full name with the Fallzahl."""
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    pfad = ruecklauf(st, ab / "eingang" / "kurz.xlsx")
    ka = lage(pfad, "tbl_Kostenausgleich")
    partner = st.arbeitsgruppe(AG).partner
    i = partner.index("Stadt Schöningen")
    vorher = pruefen.pruefen([pfad], st).dateien[0].zeilen("tbl_Kostenausgleich")[i]
    _zelle_setzen(pfad, ka.blatt, ka.zelle(i, "Kommune"), "Schöningen")

    lauf = ikz("pruefen", "-a", str(ab), "--json")
    assert lauf.code == 0, lauf.fehler
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["blatt"], b["zelle"], b["stufe"], b["regel"]) == (
        ka.blatt,
        ka.zelle(i, "Kommune"),
        "Warnung",
        "UMGEWANDELT",
    )
    assert (
        "'Schöningen' wurde als Zeile der Partnerkommune 'Stadt Schöningen' gelesen"
        in (b["meldung"])
    )
    assert (
        "bitte den Namen wieder auf 'Stadt Schöningen' setzen, die Zeile nicht löschen"
        in (b["meldung"])
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert d.zeilen("tbl_Kostenausgleich")[i] == vorher
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "K.xlsx")
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)[ka.blatt]
    assert blatt[ka.zelle(i, "Kommune")].value == "Stadt Schöningen"
    assert blatt[ka.zelle(i, "Fallzahl")].value == vorher["Fallzahl"]

    # 'Helmstedt' twice: Landkreis or Stadt is not clear from the name; the message names
    # both, no longer says to delete the rows, and which one each is by its Einwohner (see
    # test_kurzform_zweimal_behaelt_die_werte_im_korrekturexemplar)
    zweimal = ruecklauf(st, tmp_path / "zweimal.xlsx")
    for j in (0, 1):
        _zelle_setzen(zweimal, ka.blatt, ka.zelle(j, "Kommune"), "Helmstedt")
    d = pruefen.pruefen([zweimal], st).dateien[0]
    an_zelle = [b for b in d.befunde if b.zelle in (ka.zelle(0, "Kommune"), ka.zelle(1, "Kommune"))]
    assert [b.regel for b in an_zelle] == [Regel.PARTNER, Regel.PARTNER]
    for b in an_zelle:
        assert "Meinten Sie 'Landkreis Helmstedt' oder 'Stadt Helmstedt'?" in b.meldung
        assert b.meldung.endswith("die Zeile nicht löschen."), b.meldung


def test_zusaetzliche_zeile_mit_kurzform_im_kostenausgleich(st: Any, tmp_path: Path) -> None:
    """A row added to the Kostenausgleich (protection removed, the table grown by a row) for
    'Schöningen', whose row 'Stadt Schöningen' stands above: 'bitte den Namen wieder
    eintragen, wie er in der Originalmappe stand, die Zeile nicht löschen' named no name and
    would have made a second row of the partner (review). It is an extra row, to delete; the
    Korrektur copy has it no more. A prescribed row typed over keeps its message: then a
    partner lacks its row, and the name to restore is that one's."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    ka = lage(pfad, "tbl_Kostenausgleich")
    zelle = _zeile_anhaengen(
        pfad, ka.blatt, "tbl_Kostenausgleich", {"Kommune": "Schöningen", "Fallzahl": 120}
    )["Kommune"]
    d = pruefen.pruefen([pfad], st).dateien[0]
    [b] = [b for b in d.befunde if b.zelle == zelle]
    assert (b.stufe, b.regel) == (Stufe.FEHLER, Regel.PARTNER)
    assert b.meldung.startswith(
        "Kostenausgleich!" + zelle + ": 'Schöningen' ist eine zusätzliche Zeile: "
        "'Stadt Schöningen' hat schon eine eigene Zeile."
    ), b.meldung
    assert "bitte diese Zeile löschen" in b.meldung and "Fallzahl 120" in b.meldung
    assert "nicht löschen" not in b.meldung
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "K.xlsx")
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)[ka.blatt]
    namen = [blatt[ka.zelle(i, "Kommune")].value for i in range(ka.zeilen + 1)]
    assert "Schöningen" not in namen and namen.count("Stadt Schöningen") == 1

    # the row of Stadt Helmstedt typed over with 'Schöningen': restore the name there
    ueber = ruecklauf(st, tmp_path / "ueber.xlsx")
    i = st.arbeitsgruppe(AG).partner.index("Stadt Helmstedt")
    _zelle_setzen(ueber, ka.blatt, ka.zelle(i, "Kommune"), "Schöningen")
    d = pruefen.pruefen([ueber], st).dateien[0]
    [b] = [b for b in d.befunde if b.zelle == ka.zelle(i, "Kommune")]
    # its Einwohner tell whose row it is (review)
    assert b.meldung.startswith(
        f"Kostenausgleich!{ka.zelle(i, 'Kommune')}: 'Schöningen' steht in der Zeile der "
        "Partnerkommune 'Stadt Helmstedt': ihr Name wurde überschrieben"
    ), b.meldung
    assert "wie es in der Originalmappe stand, und die Zeile mit ihren Angaben" in b.meldung


@pytest.mark.parametrize(
    ("gefunden", "soll", "erwartet"),
    [
        ("Ressourcen ", "Ressourcen", "'Ressourcen ' (mit Leerzeichen oder Zeilenumbruch am Rand)"),
        ("Stärken–Schwächen", "Stärken-Schwächen", "(unterscheidet sich nur in Leerzeichen, Str"),
        ("Kostensatz\n(€)", "Kostensatz", "'Kostensatz (€)' (mit Zeilenumbruch)"),
        ("Anzahl", "Menge", "'Anzahl'"),
    ],
)
def test_umbenannter_name_zeigt_den_unsichtbaren_unterschied(
    gefunden: str, soll: str, erwartet: str
) -> None:
    """Review: "Vorhanden sind stattdessen: Ressourcen ." – the clerk cannot see the space,
    and 'Kostensatz\\n(€)' was Python's notation."""
    text = pruefen.name_mit_unterschied(gefunden, soll)
    assert text.startswith(erwartet) or erwartet in text, text
    assert "\\n" not in text


def _verbinden(quelle: Path, ziel: Path, blatt: str, bereich: str) -> Path:
    """Merge `bereich` on `blatt` as Excel writes it (<mergeCells> after the sheet data)."""
    paket = korpus.Paket.lesen(quelle)
    teil = next(b.pfad for b in korpus._blaetter(paket) if b.name == blatt).lstrip("/")
    teil = teil if teil.startswith("xl/") else "xl/" + teil
    xml = paket.text(teil)
    if "<mergeCells" in xml:  # the title and hint above the table are merged already
        zahl = int(re.search(r'<mergeCells count="(\d+)"', xml).group(1))
        xml = xml.replace(f'<mergeCells count="{zahl}">', f'<mergeCells count="{zahl + 1}">')
        xml = xml.replace("</mergeCells>", f'<mergeCell ref="{bereich}"/></mergeCells>')
    else:
        xml = xml.replace(
            "</sheetData>",
            f'</sheetData><mergeCells count="1"><mergeCell ref="{bereich}"/></mergeCells>',
        )
    paket.setzen(teil, xml)
    return paket.schreiben(ziel)


@pytest.mark.parametrize("verdeckt_gefuellt", [False, True], ids=["excel", "libreoffice"])
def test_verbundene_zellen_in_einer_tabelle(
    gueltig: Path, st: Any, tmp_path: Path, verdeckt_gefuellt: bool
) -> None:
    """Merged cells: Excel keeps only the first cell's value, so the others read empty
    (review: three times "Pflichtangabe fehlt" where the clerk saw "Stadt Helmstedt", and no
    word of the merge): a Warnung at the merge. LibreOffice may keep what the covered cells
    held: then they are read, and a Hinweis says they are hidden."""
    t = lage(gueltig, "tbl_Ressourcen")
    bereich = f"{t.zelle(0, 'Kommune')}:{t.zelle(2, 'Kommune')}"
    pfad = gueltig
    if not verdeckt_gefuellt:
        leer = {"Kommune": None}
        pfad = korpus.ausfuellen(
            gueltig, tmp_path / "leer.xlsx", {"tbl_Ressourcen": [{}, leer, leer]}
        )
    pfad = _verbinden(pfad, tmp_path / "verbunden.xlsx", t.blatt, bereich)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if "sind verbunden" in b.meldung]
    assert b.zelle == bereich.split(":")[0] and bereich in b.meldung
    if verdeckt_gefuellt:
        assert b.stufe is Stufe.HINWEIS and "eigene Einträge" in b.meldung
    else:
        assert b.stufe is Stufe.WARNUNG and "Verbindung aufheben" in b.meldung
        pflicht = [x.zelle for x in d.befunde if x.regel is Regel.PFLICHT]
        assert pflicht == [t.zelle(1, "Kommune"), t.zelle(2, "Kommune")]
    # a merge outside the tables (the template has some), of one cell, or reaching right of
    # the table from its last column: nothing of the table is hidden, nothing is said
    letzte = t.zelle(0, t.spalten[-1])
    rechts = f"{get_column_letter(t.erste_spalte + len(t.spalten) + 1)}{t.erste_zeile}"
    for name, anders in (
        ("frei", "A1:C1"),
        ("eine", f"{letzte}:{letzte}"),
        ("rechts", f"{letzte}:{rechts}"),
    ):
        frei = _verbinden(gueltig, tmp_path / f"{name}.xlsx", t.blatt, anders)
        befunde = pruefen.pruefen([frei], st).dateien[0].befunde
        assert not [x for x in befunde if "verbunden" in x.meldung], (anders, befunde)


def test_umbenannte_tabelle_wird_beim_namen_genannt(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A copied sheet's table is "tbl_Ressourcen_2" (review: the message only said to copy
    everything into the original): name it and say how to rename it back."""
    paket = korpus.Paket.lesen(gueltig)
    teil = next(
        n
        for n in paket.teile
        if n.startswith("xl/tables/") and 'name="tbl_Ressourcen"' in paket.text(n)
    )
    paket.setzen(teil, paket.text(teil).replace('"tbl_Ressourcen"', '"tbl_Ressourcen_2"'))
    d = pruefen.pruefen([paket.schreiben(tmp_path / "kopie.xlsx")], st).dateien[0]
    (b,) = [b for b in d.befunde if "fehlt die Tabelle tbl_Ressourcen" in b.meldung]
    assert "heißt jetzt 'tbl_Ressourcen_2'" in b.meldung
    assert "die Tabelle auch wieder 'tbl_Ressourcen' nennen (Excel: Tabellenentwurf" in b.meldung


def test_leerer_verteilungsschluessel_ist_ein_fehler_an_seiner_zelle(
    st: Any, tmp_path: Path
) -> None:
    """The one Feld outside the tables (a list): emptied, the return passed as valid and the
    overview showed no shares (mutation review: no test noticed the Pflicht going)."""

    def ohne(_e: Eingaben, f: dict[str, Any]) -> None:
        f["Schluessel"] = None

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "ohne.xlsx", ohne)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.stufe is Stufe.FEHLER]
    assert (b.blatt, b.zelle, b.regel) == ("Kostenausgleich", "B4", Regel.PFLICHT)


def test_formeltext_im_feld_bleibt_im_korrekturexemplar_text(st: Any, tmp_path: Path) -> None:
    """A Verteilungsschlüssel "=HYPERLINK(…)" goes back into the Korrektur copy as the text it
    was, never as a formula that Excel would run, and red until corrected. (The copy wrote the
    template's "Einwohner" there, not red: sent back unchanged, that passed.)"""
    from ikz_excel import berichte

    formel = '=HYPERLINK("http://x.invalid","klick")'

    def link(_e: Eingaben, f: dict[str, Any]) -> None:
        f["Schluessel"] = formel

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "link.xlsx", link)], st).dateien[0]
    assert any(b.zelle == "B4" and b.regel is Regel.LISTE for b in d.befunde)
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)["Kostenausgleich"]
    assert (ws["B4"].value, ws["B4"].data_type) == (formel, "s")
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    assert bedingungen["B4"] == ['B4="=HYPERLINK(""http://x.invalid"",""klick"")"']


def test_zinssatz_oder_zeitraum_in_der_mappe_ueberschrieben_ist_eine_warnung(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """The Wirtschaftlichkeit unprotected and 5 % typed over the 3,1 % (or 10 Jahre over 5):
    the AG's workbook showed another Kapitalwert than the overview, and the return passed
    without a word (LibreOffice probe). A Warnung at the cell; the copy has the Vorgabe again,
    red only if typed over anew."""
    from ikz_excel import berichte

    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe["Wirtschaftlichkeit"]
    zins = mappe.defined_names["Zinssatz"].attr_text.split("!")[1].replace("$", "")
    jahre = mappe.defined_names["Jahre"].attr_text.split("!")[1].replace("$", "")
    ws[zins] = 0.05
    ws[jahre] = 10
    pfad = tmp_path / "AG-01 Zins.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    z, j = sorted((b for b in d.befunde if b.regel is Regel.FORMEL), key=lambda b: b.zelle or "")
    assert (z.blatt, z.zelle, z.stufe, z.spalte) == (
        "Wirtschaftlichkeit",
        zins,
        Stufe.WARNUNG,
        "Kalkulationszinssatz",
    )
    assert z.meldung == (
        f"Wirtschaftlichkeit!{zins}: Der Kalkulationszinssatz zeigt 5 %, vorgegeben ist 3,1 % "
        "(Steuerungsmappe). Die Übersicht rechnet mit 3,1 %; die Mappe der Arbeitsgruppe zeigt "
        "daher andere Zahlen. Den Wert legt die Steuerungsgruppe fest; das Korrekturexemplar "
        "hat wieder 3,1 %."
    )
    assert "Der Betrachtungszeitraum zeigt 10 Jahre, vorgegeben ist 5 Jahre" in j.meldung
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)["Wirtschaftlichkeit"]
    assert (ws[zins].value, ws[jahre].value) == (0.031, 5)
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    assert bedingungen[zins] == [f"{zins}=0.05"] and bedingungen[jahre] == [f"{jahre}=10"]
    assert pruefen.pruefen([gueltig], st).dateien[0].befunde == []


def test_libreoffice_dateien_und_blaetter_sagen_was_geschah(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """Found with LibreOffice itself: a .fods was "CSV, Text oder PDF"; an _ikz shown and
    renamed there (LibreOffice keeps no sheet very hidden) made the AG's own workbook "keine
    Arbeitsmappe dieses Programms"; a Verteilungsschlüssel not in the list did not name the
    list."""
    fods = tmp_path / "AG-01.fods"
    fods.write_text(
        '<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:'
        'xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        "</office:document>",
        encoding="utf-8",
    )
    mappe = openpyxl.load_workbook(gueltig)
    mappe["_ikz"].title = "Intern"
    umbenannt = tmp_path / "AG-01 umbenannt.xlsx"
    mappe.save(umbenannt)

    def freitext(_e: Eingaben, f: dict[str, Any]) -> None:
        f["Schluessel"] = "nach Einwohnern"

    frei = ruecklauf(st, tmp_path / "frei.xlsx", freitext)
    a, b, c = pruefen.pruefen([fods, umbenannt, frei], st).dateien
    assert "OpenDocument-Format (flaches XML, .fods)" in a.befunde[0].meldung
    assert "hat die Blätter der Arbeitsmappe, aber ihr internes Blatt _ikz fehlt" in (
        b.befunde[0].meldung
    )
    (liste,) = [x for x in c.befunde if x.regel is Regel.LISTE]
    assert liste.meldung.endswith(
        "'nach Einwohnern' steht nicht in der Auswahlliste. Bitte einen Wert aus der Liste "
        "wählen (Einwohner, Fallzahl, gleiche Anteile, individuell)."
    )


def test_geloeschtes_blatt_erklaert_fehlende_tabellen_anderer_blaetter(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """LibreOffice drops the tables of the sheet before a deleted one when it saves: the
    message blamed the untouched sheet ("in einen normalen Zellbereich umgewandelt"); now it
    names the deleted sheet as the likely cause (LibreOffice probe). Simulated: the sheet
    deleted and the table before it removed, its cells kept."""
    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Stärken-Schwächen"]
    ws = mappe["Projektbeschreibung"]
    for name in list(ws.tables):
        del ws.tables[name]
    pfad = tmp_path / "AG-01 ohne Blatt.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    fehlt = [b.meldung for b in d.befunde if "die Tabelle tbl_Projektbeschreibung" in b.meldung]
    assert (
        fehlt
        and "Zugleich fehlt das Blatt 'Stärken-Schwächen': Wurde es in LibreOffice" in (fehlt[0])
    )


def test_geloeschte_hinweise_erklaeren_keine_umgewandelte_tabelle(
    gueltig: Path, bereich: Path
) -> None:
    """The sheet Hinweise deleted and tbl_Risiken turned into a range. LibreOffice drops the
    tables of the sheet before a deleted one; before Hinweise, the first, there is none. The
    message blamed the deleted Hinweise for the lost table and nothing was read (review21);
    it is the message of a table turned into a range, and the entries go into the Korrektur
    copy."""
    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Risiken"].tables["tbl_Risiken"]
    del mappe["Hinweise"]
    mappe.save(bereich / "eingang" / "AG-01.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    (risiken,) = [b for b in json.loads(lauf.aus)["befunde"] if b["regel"] == "STRUKTUR"]
    assert risiken["blatt"] == "Risiken", risiken
    assert "Hinweise" not in risiken["meldung"], risiken["meldung"]
    assert "ist tbl_Risiken keine Tabelle mehr" in risiken["meldung"], risiken["meldung"]
    assert "Sie stehen im Korrekturexemplar" in risiken["meldung"], risiken["meldung"]
    assert (bereich / "berichte" / "Korrektur_AG-01.xlsx").exists()


@pytest.mark.parametrize("richtung", ["eingefuegt", "geloescht"])
def test_verschobene_zellen_einer_spalte_werden_vermutet(
    st: Any, gueltig: Path, tmp_path: Path, richtung: str
) -> None:
    """A cell inserted ("nach unten verschieben") or deleted ("nach oben") in one column of
    Ressourcen: only the last row's Pflicht was reported, and filling it in made the return
    valid with the column's entries in the wrong rows (LibreOffice probe). A Hinweis at that
    cell asks to look."""
    t = lage(gueltig, "tbl_Ressourcen")
    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe[t.blatt]
    zeilen = len(demo_daten.eingaben(st, AG)[0]["tbl_Ressourcen"])
    zellen = [ws[t.zelle(i, "Beschreibung")] for i in range(zeilen + 1)]
    werte = [z.value for z in zellen]
    if richtung == "eingefuegt":  # an empty cell at the second row, the rest one row lower
        neu = [werte[0], None, *werte[1:zeilen]]
    else:  # the second row's cell deleted, the rest one row higher
        neu = [werte[0], *werte[2:zeilen], None, None]
    for zelle, wert in zip(zellen, neu, strict=False):
        zelle.value = wert
    pfad = tmp_path / f"AG-01 {richtung}.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    hinweise = [b for b in d.befunde if "verschoben" in b.meldung]
    if richtung == "eingefuegt":
        # the second row lacks its Beschreibung (a Fehler), the last holds only it
        (h,) = hinweise
        assert h.zelle == t.zelle(zeilen, "Beschreibung") and h.stufe is Stufe.HINWEIS
        assert "steht nur Beschreibung" in h.meldung and "eingefügt" in h.meldung
        luecke = einlesen.adresse_zerlegen(t.zelle(1, "Beschreibung"))[0]
        assert f"(bis auf Zeile {luecke}, wo Beschreibung fehlt)" in h.meldung
    else:
        (h,) = hinweise
        assert h.zelle == t.zelle(zeilen - 1, "Beschreibung")
        assert "Nur in Zeile" in h.meldung and "gelöscht (Zellen nach oben" in h.meldung
    assert pruefen.pruefen([gueltig], st).dateien[0].befunde == []


_ZELLWERT = hyp.one_of(
    hyp.sampled_from(["", " ", "x", "\xa0", None, 0, 0.0, False]), hyp.text(max_size=3)
)


@given(
    koepfe=hyp.lists(hyp.sampled_from("ABCD"), min_size=1, max_size=6),
    gefragt=hyp.lists(hyp.sampled_from("ABCDE"), min_size=1, max_size=5),
    zeilen=hyp.lists(hyp.lists(_ZELLWERT, max_size=7), max_size=6),
)
def test_gefuellte_spalten_wie_je_zeile_ein_dict(
    koepfe: list[str], gefragt: list[str], zeilen: list[list[Any]]
) -> None:
    """The filled columns of each row, found by position, are what looking each header up in
    `als_dicts()` finds: also with a header twice, a row shorter or longer than the headers."""
    roh = einlesen.Rohtabelle("t", "B", 1, 0, tuple(koepfe))
    roh.zeilen = [(i + 2, tuple(w)) for i, w in enumerate(zeilen)]
    erwartet = [
        (z, [k for k in gefragt if not einlesen.ist_leer(w.get(k))]) for z, w in roh.als_dicts()
    ]
    assert pruefen._gefuellte_spalten(roh, gefragt) == [(z, f) for z, f in erwartet if f]


def test_nicht_mehr_partner_ist_in_jeder_zelle_eine_warnung(
    st: Any, gueltig: Path, tmp_path: Path
) -> None:
    """A partner removed (or renamed) after sending: the Korrektur copy with the current
    Stammdaten kept the old name unmarked, and sent back unchanged each cell became a Fehler,
    one round at a time (lifecycle probe). Now a Warnung at each cell, red in the copy."""
    import dataclasses

    from ikz_excel import berichte

    eingaben, _ = demo_daten.eingaben(st, AG)
    genannt = [z["Kommune"] for z in eingaben["tbl_Ressourcen"] + eingaben["tbl_Nutzen"]]
    weg = next(k for k in st.arbeitsgruppe(AG).partner if k in genannt)
    neu = dataclasses.replace(
        st,
        arbeitsgruppen=tuple(
            dataclasses.replace(a, partner=tuple(p for p in a.partner if p != weg))
            if a.kuerzel == AG
            else a
            for a in st.arbeitsgruppen
        ),
    )
    d = pruefen.pruefen([gueltig], neu).dateien[0]
    warnungen = [b for b in d.befunde if b.regel is Regel.PARTNER and b.wert == weg]
    assert len(warnungen) >= genannt.count(weg) >= 1
    assert all(b.stufe is Stufe.WARNUNG and b.zelle for b in warnungen)
    assert "ist seit dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe mehr" in (
        warnungen[0].meldung
    )
    kopie = berichte.korrektur_schreiben(d, neu, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)[warnungen[0].blatt or ""]
    bedingungen = {
        str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting
    }
    z = warnungen[0].zelle
    assert ws[z].value == weg and bedingungen[z] == [f'{z}="{weg}"']
    assert pruefen.pruefen([gueltig], st).dateien[0].befunde == []
    # until the copy comes back, the overview splits among this workbook's partners: the old
    # one is a row of its own on Kommunen, said to be no longer in the Steuerungsmappe when
    # it was renamed (here: removed, it keeps its Art)
    from ikz_excel import konsolidieren

    umbenannt = dataclasses.replace(neu, kommunen=tuple(k for k in neu.kommunen if k.name != weg))
    ergebnis = pruefen.pruefen([gueltig], umbenannt).dateien[0]
    k = konsolidieren.Konsolidierung(
        datetime(2012, 11, 30),
        umbenannt,
        [],
        [],
        pruefen.Pruefergebnis([ergebnis]),
    )
    s = konsolidieren.AGStand(umbenannt.arbeitsgruppe(AG), ergebnis.status, ergebnis)
    s.kennzahlen = konsolidieren.auswerten(ergebnis, umbenannt)
    k.ags.append(s)
    (zeile,) = [z for z in k.kommunen_summe() if z["Kommune"] == weg]
    assert (zeile["Art"], zeile["Einwohner"]) == (konsolidieren.NICHT_IN_DEN_STAMMDATEN, None)
    # and the overview's Partner column says whom the split still uses
    from python_calamine import CalamineWorkbook

    from ikz_excel import uebersicht

    s.punkte = konsolidieren.punkte_vorschlagen(s, umbenannt)
    k.eingaenge.append(
        konsolidieren.Eingang("0" * 64, gueltig, gueltig.name, 1, "2012-11-30T12:00:00", "")
    )
    pfad = uebersicht.schreiben(k, tmp_path / "Uebersicht.xlsx")
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name("tbl_Uebersicht")
        (ag_zeile,) = [dict(zip(t.columns, z, strict=True)) for z in t.to_python()]
    assert "(verteilt noch auf die Partner der Mappe: " in ag_zeile["Partner"]
    assert weg in ag_zeile["Partner"]


def test_verlaengerte_programmlaufzeit_ist_eine_warnung(st: Any, gueltig: Path) -> None:
    """Programmende extended after sending: "älteren Stammdaten (z. B. geänderte Texte) … an
    den Zahlen ändert das nichts" was all, while the workbook still refused every Meilenstein
    after the old end (lifecycle probe). Named, and the Korrektur copy has the new limits."""
    import dataclasses

    spaeter = date(st.programmende.year + 1, 12, 31)
    neu = dataclasses.replace(st, programmende=spaeter)
    d = pruefen.pruefen([gueltig], neu).dateien[0]
    (v,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    assert v.stufe is Stufe.WARNUNG
    assert (
        f"Programmende {st.programmende:%d.%m.%Y} (jetzt {spaeter:%d.%m.%Y}; die Mappe nimmt nur "
        "Termine der alten Laufzeit an)" in v.meldung
    )
    assert "An den Zahlen ändert das nichts." in v.meldung and "andere Zahlen" not in v.meldung
    assert d.braucht_korrektur


def test_umbenannte_bezeichnung_wird_im_hinweis_genannt(st: Any, gueltig: Path) -> None:
    """An AG renamed in the Steuerungsmappe after sending: the Hinweis said only "z. B.
    geänderte Texte", and the Steuerungsgruppe had to guess what had changed (lifecycle
    probe). It names the old and the new Bezeichnung; nothing else changes."""
    import dataclasses

    ags = tuple(
        dataclasses.replace(a, bezeichnung="Bauhof und Grünflächen") if a.kuerzel == AG else a
        for a in st.arbeitsgruppen
    )
    neu = dataclasses.replace(st, arbeitsgruppen=ags)
    d = pruefen.pruefen([gueltig], neu).dateien[0]
    (v,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    alt = st.arbeitsgruppe(AG).bezeichnung
    assert v.stufe is Stufe.HINWEIS
    assert f"Bezeichnung '{alt}' (jetzt 'Bauhof und Grünflächen')." in v.meldung
    assert "geänderte Texte" not in v.meldung and "an den Zahlen ändert das nichts" in v.meldung
    # with a changed figure too, the names come after it and the figure decides the Stufe
    zins = dataclasses.replace(neu, zinssatz=Decimal("0.05"))
    d = pruefen.pruefen([gueltig], zins).dateien[0]
    (v,) = [b for b in d.befunde if b.regel is Regel.VERSION]
    assert v.stufe is Stufe.WARNUNG
    assert "(jetzt 5 %); Bezeichnung '" in v.meldung


def test_notizen_an_zellen_werden_genannt(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """A note the clerk put on a figure ("Kostensatz lt. KGSt-Bericht") was read nowhere and
    missing from the Korrektur copy, without a word (probe of odd returns). A Hinweis per
    sheet names them; the notes of a Korrektur copy itself (ours) are not the clerk's."""
    from openpyxl.comments import Comment

    from ikz_excel import berichte

    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe["Ressourcen"]
    ws["F6"].comment = Comment("Kostensatz lt. KGSt-Bericht 2012, Tabelle 3", "Schmidt")
    ws["D5"].comment = Comment("geschätzt", "Schmidt")
    ws["D5"].value = "zwei"  # a Fehler too: a Korrektur copy is written
    pfad = tmp_path / "AG-01 mit Notiz.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (hinweis,) = [b for b in d.befunde if "Notiz" in b.meldung]
    assert (hinweis.stufe, hinweis.blatt, hinweis.zelle) == (Stufe.HINWEIS, "Ressourcen", "D5")
    assert "2 Notizen an Zellen (D5 von Schmidt: 'geschätzt'; F6 von Schmidt: " in hinweis.meldung
    assert "stehen weder in der Übersicht noch im Korrekturexemplar" in hinweis.meldung
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur_AG-01.xlsx")
    assert kopie is not None
    zurueck = pruefen.pruefen([kopie], st).dateien[0]
    assert not [b for b in zurueck.befunde if "Notiz" in b.meldung]


@braucht_libreoffice
def test_eigene_notizen_nach_libreoffice_nicht_als_notizen_der_ag(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A Korrektur copy saved by LibreOffice and sent back unchanged got the Hinweis '1 Notiz an
    Zellen (D5: "Fehler: Ressourcen!D5: …")' about our own note: LibreOffice saves its author
    as blank (review). A note is ours when its text is a message of the copy's own list,
    whoever is named as its author; a note the clerk wrote in the copy, or a line she added
    to ours, is still named."""
    from openpyxl.comments import Comment

    from ikz_excel import berichte

    mappe = openpyxl.load_workbook(gueltig)
    mappe["Ressourcen"]["D5"].value = "zwei"
    mappe["Ressourcen"]["D6"].value = "drei"
    pfad = tmp_path / "AG-01 fehlerhaft.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur_AG-01.xlsx")
    assert kopie is not None
    mit_notiz = tmp_path / "Korrektur_AG-01 mit Notiz.xlsx"
    mappe = openpyxl.load_workbook(kopie)
    ws = mappe["Ressourcen"]
    ws["F7"].comment = Comment("Kostensatz lt. KGSt-Bericht 2012", "")
    ws["D6"].comment = Comment(f"{ws['D6'].comment.text}\nMenge lt. Angebot", "")
    mappe.save(mit_notiz)
    (tmp_path / "lo").mkdir()
    gespeichert = nachrechnen([kopie, mit_notiz], tmp_path / "lo")
    ws = openpyxl.load_workbook(gespeichert[kopie])["Ressourcen"]
    assert ws["D5"].comment.author.strip() == ""  # what the Hinweis was about
    zurueck = pruefen.pruefen([gespeichert[kopie]], st).dateien[0]
    assert not [b for b in zurueck.befunde if "Notiz" in b.meldung]
    zurueck = pruefen.pruefen([gespeichert[mit_notiz]], st).dateien[0]
    (hinweis,) = [b for b in zurueck.befunde if "Notiz" in b.meldung]
    assert "2 Notizen an Zellen (D6: " in hinweis.meldung
    assert "F7: 'Kostensatz lt. KGSt-Bericht 2012'" in hinweis.meldung


def test_eigene_notiz_am_text_erkannt() -> None:
    """Ours: messages of the copy's list (two in one cell, one with a line break, the last
    cut at 2000 characters as written) and the copy's line on a figure it took over; the
    clerk's: anything else, also a line added to ours, and any note in a file without the
    list."""
    lang = "Fehler: Kostenausgleich!C8: " + "x" * 2100
    meldungen = frozenset({"Fehler: Ressourcen!D5: zwei\nist keine Zahl.", "Warnung: B", lang})
    eigen = einlesen._eigene_notiz
    assert eigen("Fehler: Ressourcen!D5: zwei\nist keine Zahl.\nWarnung: B", meldungen)
    assert eigen(lang[:2000], meldungen)
    assert eigen(
        "Fehler: Aus Zeile 10 der eingesandten Mappe übernommen, wo keine Kommune stand",
        meldungen,
    )
    assert not eigen("Warnung: B\nStimmt so, siehe Ratsbeschluss", meldungen)
    assert not eigen("Kostensatz lt. KGSt-Bericht", meldungen)
    assert not eigen("Warnung: B", frozenset())


def test_notizen_aus_kommentarthread_leer_und_viele(gueltig: Path, st: Any, tmp_path: Path) -> None:
    """Excel 365 saves a threaded comment also as a note, behind a preamble in English and
    with an id as its author: the clerk's text is what is named, not "[Threaded comment] Your
    version of Excel ..." nor "von tc={...}"; an empty note says nothing; and of many notes
    at most `NOTIZEN_HOECHSTENS` per file are read, the message shows three and the rest as
    a number."""
    from openpyxl.comments import Comment

    from ikz_excel import einlesen

    thread = (
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
        "comment; however, any edits to it will get removed if the file is opened in a newer "
        "version of Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924\n\n"
        "Comment:\n    Menge lt. Angebot vom 3. März"
    )
    mappe = openpyxl.load_workbook(gueltig)
    ws = mappe["Ressourcen"]
    ws["D5"].comment = Comment(thread, "tc={5C9B2F1A-0D3E-4C7B-9A21-6E8F0B1C2D3E}")
    ws["D6"].comment = Comment("  ", "Schmidt")
    weiter = next(n for n in mappe.sheetnames[mappe.sheetnames.index("Ressourcen") + 1 :])
    for i in range(einlesen.NOTIZEN_HOECHSTENS + 5):
        mappe[weiter].cell(row=60 + i, column=30).comment = Comment(f"Frage {i}", "Meier")
    pfad = tmp_path / "AG-01 mit Kommentaren.xlsx"
    mappe.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    hinweise = {b.blatt: b.meldung for b in d.befunde if " an Zellen (" in b.meldung}
    assert hinweise["Ressourcen"].startswith(
        "Ressourcen!D5: 1 Notiz an Zellen (D5: 'Menge lt. Angebot vom 3. März'). Notizen"
    )
    n = einlesen.NOTIZEN_HOECHSTENS - 1
    assert hinweise[weiter].startswith(
        f"{weiter}!AD60: {n} Notizen an Zellen (AD60 von Meier: 'Frage 0'; AD61 von Meier: "
        f"'Frage 1'; AD62 von Meier: 'Frage 2' und {n - 3} weitere). Notizen"
    )


def test_unlesbare_datei_einer_ag_ist_kein_fehlender_ruecklauf(bereich: Path, st: Any) -> None:
    """A return saved as .ods or sent encrypted named the AG "noch kein Rücklauf", and the
    overview said "kein Rücklauf": the Steuerungsgruppe would remind the AG of the deadline
    instead of asking for an .xlsx (probe of odd returns)."""
    from ikz_excel import konsolidieren

    (bereich / "eingang" / "AG-02 Personalservice.xlsx").write_bytes(b"Name;Menge\nA;1\n")
    lauf = ikz("pruefen", "-a", str(bereich))
    text = " ".join(lauf.aus.split())
    ag = st.arbeitsgruppe("AG-02")
    assert (
        f"AG-02 {ag.bezeichnung} (Abgabetermin {ag.abgabetermin:%d.%m.%Y}; nicht lesbar: "
        "AG-02 Personalservice.xlsx)" in text
    )
    assert f"AG-03 {st.arbeitsgruppe('AG-03').bezeichnung} (Abgabetermin" in text
    k = konsolidieren.konsolidieren(bereich)
    (s,) = [s for s in k.ags if s.ag.kuerzel == "AG-02"]
    assert s.statustext == "kein lesbarer Rücklauf (nicht lesbar: AG-02 Personalservice.xlsx)"
    (s3,) = [s for s in k.ags if s.ag.kuerzel == "AG-03"]
    assert s3.statustext == "kein Rücklauf"
    zeilen = ikz("konsolidieren", "-a", str(bereich)).aus.splitlines()
    (zeile,) = [z for z in zeilen if "AG-02" in z and "Personalservice" in z and "│" in z]
    assert "│ nicht lesbar " in zeile  # the console's table, not "kein Rücklauf"


def test_risiko_ohne_gegenmassnahme_nennt_die_spalte(tmp_path: Path, st: Any) -> None:
    """README walk-through: "Risiken!G6: Das Risiko … Bitte eine Gegenmaßnahme eintragen."
    named the cell but not its column, unlike the messages of the cells themselves
    ("Ressourcen!D6 (Menge): …"). Now "(Gegenmaßnahme)" stands after the cell."""
    bereich = tmp_path / "programm"
    erzeugen.init(bereich)
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01 ausgefüllt.xlsx", _risiko)
    t = lage(pfad, "tbl_Risiken")
    text = " ".join(ikz("pruefen", "-a", str(bereich)).aus.split())
    assert f"Fehler {t.blatt}!{t.zelle(1, 'Gegenmaßnahme')} (Gegenmaßnahme): Das Risiko " in text


def test_ods_ruecklauf_sagt_wie_die_steuerungsgruppe_ihn_selbst_umwandelt(bereich: Path) -> None:
    """README walk-through: a return saved by LibreOffice as .ods only asked the AG to send it
    again as .xlsx, while the Steuerungsgruppe has LibreOffice itself. Now the Befund says how
    it converts the file and where the .xlsx goes, and that the .ods must leave eingang/."""
    ods = bereich / "eingang" / "AG-02 Personalservice.ods"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    lauf = ikz("pruefen", "-a", str(bereich))
    text = " ".join(lauf.aus.split())
    assert (
        "AG-02 Personalservice.ods: Die Datei ist im OpenDocument-Format (.ods). Bitte selbst "
        "umwandeln, die Arbeitsgruppe muss nicht erneut senden: in LibreOffice öffnen, 'Datei' "
        "> 'Speichern unter' mit dem Dateityp „Excel 2007-365 (.xlsx)“, die .xlsx in eingang/ "
        "ablegen und diese Datei aus eingang/ nehmen (sonst bleibt dieser Fehler). Oder die "
        "Arbeitsgruppe bitten, so zu speichern und erneut zu senden." in text
    ), text


def test_unlesbare_datei_zaehlt_nur_fuer_die_eine_genannte_ag(st: Any) -> None:
    """Only a file that could not be read, and whose name names exactly one AG, makes that AG
    "kein lesbarer Rücklauf": a file read as another AG's is that AG's, whatever its name, and
    a name with two Kürzel says nothing about either."""
    dateien = [
        Dateiergebnis(Path("a"), "AG-02 Personalservice.ods", lesbar=False),
        Dateiergebnis(Path("b"), "AG-03 und AG-04 gemeinsam.xlsx", lesbar=False),
        Dateiergebnis(Path("c"), "AG-05 Kopie.xlsx", "AG-01"),
        Dateiergebnis(Path("d"), "Rücklauf.xlsx", lesbar=False),
    ]
    assert pruefen.unlesbare_je_ag(dateien, st) == {"AG-02": ["AG-02 Personalservice.ods"]}
    # what lies in the archive is still named beside it
    from ikz_excel import konsolidieren

    s = konsolidieren.AGStand(
        st.arbeitsgruppe("AG-02"),
        konsolidieren.KEIN_RUECKLAUF,
        im_archiv=["archiv/2026-03-01/AG-02.xlsx"],
        unlesbar=["AG-02 Personalservice.ods"],
    )
    assert s.statustext == (
        "kein lesbarer Rücklauf (nicht lesbar: AG-02 Personalservice.ods; "
        "im Archiv: archiv/2026-03-01/AG-02.xlsx)"
    )


def test_ueber_die_formeln_hinaus_vergroesserte_tabelle_ist_eine_warnung(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """Sheet unprotected, the table grown row by row (Excel extends it while typing below):
    300 Ressourcen passed "gültig", while the workbook's Wirtschaftlichkeit, whose ranges end
    with the yellow rows, left most of them out (probe of large returns). Rows beyond where
    the formulas count are a Warnung, also inside the table; within them, nothing."""
    from openpyxl.worksheet.table import Table

    t = lage(gueltig, "tbl_Ressourcen")
    from ikz_excel import einlesen

    # the last row the formulas count
    bis = t.erste_zeile - 1 + int(einlesen.kennung_lesen(gueltig)["bis:tbl_Ressourcen"])

    def vergroessert(letzte: int, nur_formeln: bool = False) -> Path:
        mappe = openpyxl.load_workbook(gueltig)
        ws = mappe["Ressourcen"]
        alt: Table = ws.tables["tbl_Ressourcen"]
        anfang = alt.ref.split(":")[0]
        ende = get_column_letter(t.erste_spalte + len(t.spalten)) + str(letzte)
        alt.ref = f"{anfang}:{ende}"
        if alt.autoFilter is not None:
            alt.autoFilter.ref = alt.ref
        for z in range(t.letzte_zeile + 1, letzte + 1):
            if nur_formeln:  # Excel fills a calculated column into the rows a table grows by
                ws[t.zelle(z - t.erste_zeile, "Kosten")] = 0
                continue
            for kopf, wert in (
                ("Ressourcenart", "Sachmittel"),
                ("Kommune", "Stadt Helmstedt"),
                ("Beschreibung", f"Zeile {z}"),
                ("Menge", 1),
                ("Kostensatz", 100),
                ("Kostenart", "einmalig"),
                ("ab Jahr", 1),
            ):
                ws[t.zelle(z - t.erste_zeile, kopf)] = wert
        pfad = tmp_path / f"AG-01 bis {letzte}{' Formeln' if nur_formeln else ''}.xlsx"
        mappe.save(pfad)
        return pfad

    d = pruefen.pruefen([vergroessert(bis + 3)], st).dateien[0]
    (w,) = [b for b in d.befunde if "unter den gelben Eingabezeilen" in b.meldung]
    assert w.stufe is Stufe.WARNUNG and w.zelle == t.zelle(bis + 1 - t.erste_zeile, "Ressourcenart")
    assert f"Die Zeilen {bis + 1} bis {bis + 3} stehen" in w.meldung
    assert d.braucht_korrektur
    d = pruefen.pruefen([vergroessert(bis)], st).dateien[0]
    assert not [b for b in d.befunde if "unter den gelben Eingabezeilen" in b.meldung]
    # grown by its corner only: below, nothing but the formula column, no row to miss
    d = pruefen.pruefen([vergroessert(bis + 3, nur_formeln=True)], st).dateien[0]
    assert not [b for b in d.befunde if "unter den gelben Eingabezeilen" in b.meldung]


def test_kalenderjahr_in_ab_jahr_nennt_das_jahr_des_zeitraums(st: Any, tmp_path: Path) -> None:
    """'2014' typed (pasted past the dropdown's check) into 'ab Jahr', which counts the years
    of the Betrachtungszeitraum: 'Bitte korrigieren' left the clerk guessing (probe)."""
    start, jahre = st.startjahr, st.jahre

    def kalenderjahre(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["ab Jahr"] = start + 1
        e["tbl_Nutzen"][0]["ab Jahr"] = str(start + jahre)  # as text, after the period

    pfad = ruecklauf(st, tmp_path / "r.xlsx", kalenderjahre)
    d = pruefen.pruefen([pfad], st).dateien[0]
    ressourcen, nutzen = lage(pfad, "tbl_Ressourcen"), lage(pfad, "tbl_Nutzen")
    assert [(b.blatt, b.zelle, b.regel) for b in d.befunde if b.stufe is Stufe.FEHLER] == [
        (ressourcen.blatt, ressourcen.zelle(0, "ab Jahr"), Regel.BEREICH),
        (nutzen.blatt, nutzen.zelle(0, "ab Jahr"), Regel.BEREICH),
    ]
    im_zeitraum, danach = (b.meldung for b in d.befunde if b.stufe is Stufe.FEHLER)
    zaehlung = (
        f"„ab Jahr“ zählt die Jahre des Betrachtungszeitraums: 1 = {start} bis {jahre} = "
        f"{start + jahre - 1}"
    )
    assert f"{start + 1} liegt außerhalb des erlaubten Bereichs 1 bis {jahre}." in im_zeitraum
    assert f"Meinten Sie 2? {zaehlung}" in im_zeitraum
    assert zaehlung in danach and "Meinten Sie" not in danach
    assert "Auch als Kalenderjahr liegt die Zahl außerhalb dieses Zeitraums" in danach


def test_gezippter_ruecklauf_nennt_die_mappe_im_archiv(st: Any, tmp_path: Path) -> None:
    """The return mailed as a zip (mail filter, size): 'andere Dateien aus der Mail gehören
    nicht in eingang/' sent the Steuerungsgruppe away from the workbook inside (probe)."""
    import zipfile

    ab = tmp_path / "ab"
    erzeugen.init(ab)
    mappe = ruecklauf(st, tmp_path / "AG-01 ausgefüllt.xlsx")
    archiv = ab / "eingang" / "Rücklauf AG-01.zip"
    with zipfile.ZipFile(archiv, "w") as z:
        z.write(mappe, "Rücklauf/AG-01 ausgefüllt.xlsx")
        z.writestr("Rücklauf/Anschreiben.txt", "Anbei unsere Mappe.")
    lauf = ikz("pruefen", "-a", str(ab), "--json")
    assert lauf.code == 1
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["datei"], b["regel"], b["stufe"]) == ("Rücklauf AG-01.zip", "DATEI", "Fehler")
    assert b["meldung"] == (
        "Rücklauf AG-01.zip: Die Datei ist ein Zip-Archiv mit 'AG-01 ausgefüllt.xlsx' darin, "
        "keine Excel-Arbeitsmappe. Bitte die Arbeitsmappe aus dem Archiv entpacken, in "
        "eingang/ ablegen und das Archiv aus eingang/ entfernen."
    )


def test_jahr_monat_und_quartal_als_termin_nennen_einen_tag(st: Any, tmp_path: Path) -> None:
    """A schedule pasted from Word: '2013', '09/2013', 'Q3/2013' as text in Termin. 'ist kein
    Datum, bitte als TT.MM.JJJJ' left open which day; a year typed as a number already said
    'Jahreszahl, z. B. 31.12.2013' (probe)."""

    def ungefaehr(e: Eingaben, _f: dict[str, Any]) -> None:
        termine = ["2013", "09/2013", "Q3/2013"]
        for zeile, termin in zip(e["tbl_Meilensteine"], termine, strict=False):
            zeile["Termin"] = termin

    pfad = ruecklauf(st, tmp_path / "r.xlsx", ungefaehr)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Meilensteine")
    assert kompakt(d) == [(t.blatt, t.zelle(i, "Termin"), Regel.TYP) for i in range(3)]
    assert [b.meldung.partition(": ")[2] for b in d.befunde] == [
        "'2013' ist eine Jahreszahl, kein Datum. Bitte ein Datum eingeben, z. B. 31.12.2013.",
        "'09/2013' ist ein Monat, kein Datum. Bitte ein Datum eingeben, z. B. 30.09.2013.",
        "'Q3/2013' ist ein Quartal, kein Datum. Bitte ein Datum eingeben, z. B. 30.09.2013 "
        "(das Ende des Quartals).",
    ]


def test_unlesbarer_anteil_ist_nicht_leer_und_die_summe_wartet(st: Any, tmp_path: Path) -> None:
    """'1/2' or 'ca. 300' pasted as text into Anteil individuell or Fallzahl: beside the TYP
    Fehler stood 'braucht jede Kommune einen Anteil' at the same, filled cell and 'ergeben
    0 %' for a sum without the unreadable shares (probe). One Fehler per cell; the sum is
    checked once all shares are numbers."""
    partner = len(st.arbeitsgruppe(AG).partner)

    def halbe(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        for i, z in enumerate(e["tbl_Kostenausgleich"]):
            z["Anteil individuell"] = "1/2" if i < 2 else 0

    def ungefaehr(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "Fallzahl")
        for i, z in enumerate(e["tbl_Kostenausgleich"]):
            z["Fallzahl"] = "ca. 300" if i == 0 else 0

    anteile = ruecklauf(st, tmp_path / "anteile.xlsx", halbe)
    fallzahlen = ruecklauf(st, tmp_path / "fallzahlen.xlsx", ungefaehr)
    a, f = pruefen.pruefen([anteile, fallzahlen], st).dateien
    t = lage(anteile, "tbl_Kostenausgleich")
    assert partner > 2
    assert kompakt(a) == [(t.blatt, t.zelle(i, "Anteil individuell"), Regel.TYP) for i in (0, 1)]
    assert a.befunde[0].meldung.endswith(
        "'1/2' ist keine Zahl. Den Anteil bitte in Prozent eingeben: für 1/2 50 %."
    )  # the share meant, in percent (session 22)
    assert kompakt(f) == [(t.blatt, t.zelle(0, "Fallzahl"), Regel.TYP)]


@braucht_libreoffice
def test_dezimalpunkt_wie_calc_ihn_speichert_sagt_komma(
    vorlage: Path, st: Any, tmp_path: Path
) -> None:
    """Clerk test in Calc (session 19): '1.5' and '4500.50' typed with an English decimal
    point stay text in a German LibreOffice (Excel makes a date of '1.5'). They are read as 1,5 and
    4500,5 with a Warnung, which asked for the number "ohne Einheit, Leerzeichen oder
    Zusatz" – none of which the clerk had typed. It now says what to type instead. A dot
    that groups thousands ('1.234' in a whole number) is not meant."""
    from libreoffice import in_calc_tippen

    t = lage(vorlage, "tbl_Ressourcen")
    menge, satz = t.zelle(0, "Menge"), t.zelle(0, "Kostensatz")
    assert in_calc_tippen(vorlage, t.blatt, menge, ["1.5", "4500.50"]) == [
        (0.0, "1.5"),
        (0.0, "4500.50"),
    ]  # text, as typed: no number, no date (the same in the Kostensatz)

    befunde = _menge_und_satz_getippt(st, tmp_path, t, "1.5", "4500.50")
    assert befunde[menge] == (
        f"{t.blatt}!{menge} (Menge): Text '1.5' wurde als Zahl 1,5 gelesen. Mit Punkt statt "
        "Komma ist die Eingabe Text, mit dem die Formeln der Mappe nicht rechnen; bitte mit "
        "Komma eintippen: 1,5."
    )
    assert befunde[satz].endswith("bitte mit Komma eintippen: 4500,50.")
    assert pruefen.dezimalpunkt_als_komma("1.234", 1234) is None  # thousands, not decimals


def test_dezimalpunkt_ohne_ziffer_davor_oder_mit_plus(
    vorlage: Path, st: Any, tmp_path: Path
) -> None:
    """Review 19: '.5' and '+1.5' are read as 0,5 and 1,5 like '1.5', but their Warnung still
    asked for the number "ohne Einheit, Leerzeichen oder Zusatz". They get the comma too,
    written as the clerk types it (0,5 and 1,5)."""
    t = lage(vorlage, "tbl_Ressourcen")
    menge, satz = t.zelle(0, "Menge"), t.zelle(0, "Kostensatz")
    befunde = _menge_und_satz_getippt(st, tmp_path, t, ".5", "+1.5")
    assert befunde[menge].endswith("bitte mit Komma eintippen: 0,5."), befunde[menge]
    assert befunde[satz].endswith("bitte mit Komma eintippen: 1,5."), befunde[satz]


def _menge_und_satz_getippt(
    st: Any, tmp_path: Path, t: Any, menge: str, satz: str
) -> dict[str, str]:
    """The messages of `ikz pruefen`, by cell, for a return with Menge and Kostensatz of the
    first Ressource stored as these texts (as Calc keeps a number with a decimal point)."""
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    pfad = ruecklauf(st, ab / "eingang" / "AG-01 Punkt.xlsx")
    wb = openpyxl.load_workbook(pfad)
    wb[t.blatt][t.zelle(0, "Menge")], wb[t.blatt][t.zelle(0, "Kostensatz")] = menge, satz
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(ab), "--json")
    return {b["zelle"]: b["meldung"] for b in json.loads(lauf.aus)["befunde"]}


def test_risiko_nr_mit_punkt_oder_buchstaben(st: Any, tmp_path: Path) -> None:
    """'1.', 'R1', 'Nr. 1' in the Nr of the Risiken (numbered as in a Word list): each was
    'ist keine Zahl. Bitte nur Ziffern eingeben, z. B. 1234', as if no number stood there
    (probe). '1.' is read as 1 with a Warnung, like other text understood as a number;
    'R1' and 'Nr. 1' are not read, the message names the number to type. The Korrektur copy
    has 1 and the typed texts, each marked."""
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    pfad = ruecklauf(st, ab / "eingang" / "AG-01 Risiken.xlsx")
    t = lage(pfad, "tbl_Risiken")
    getippt = ["1.", "R1", "Nr. 1"]
    wb = openpyxl.load_workbook(pfad)
    for i, text in enumerate(getippt):
        wb[t.blatt][t.zelle(i, "Nr")] = text
    wb.save(pfad)

    lauf = ikz("pruefen", "-a", str(ab), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    assert [(b["blatt"], b["zelle"], b["stufe"], b["regel"]) for b in befunde] == [
        (t.blatt, t.zelle(0, "Nr"), "Warnung", "UMGEWANDELT"),
        (t.blatt, t.zelle(1, "Nr"), "Fehler", "TYP"),
        (t.blatt, t.zelle(2, "Nr"), "Fehler", "TYP"),
    ]
    punkt, r1, nr1 = (b["meldung"].partition(": ")[2] for b in befunde)
    assert punkt.startswith("Text '1.' wurde als Zahl 1 gelesen. ")
    assert r1 == (
        "'R1' ist keine Zahl. Bitte nur die Zahl eingeben, ohne Buchstaben oder Zeichen "
        "davor oder danach, z. B. 1."
    )
    assert nr1.startswith("'Nr. 1' ist keine Zahl. Bitte nur die Zahl eingeben") and (
        nr1.endswith("z. B. 1.")
    )
    assert "1234" not in r1 + nr1

    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    blatt = openpyxl.load_workbook(kopie)[t.blatt]
    assert [blatt[t.zelle(i, "Nr")].value for i in range(3)] == [1, "R1", "Nr. 1"]
    d = pruefen.pruefen([pfad], st).dateien[0]
    inhalt = berichte._korrekturinhalt(d, st)
    assert inhalt is not None
    markiert = inhalt[1]["markierungen"]
    assert all((t.blatt, t.zelle(i, "Nr")) in markiert for i in range(3))


def test_ungefaehre_termine_nennen_einen_tag(st: Any, tmp_path: Path) -> None:
    """'Ende 2013', '2013/14', 'Mitte 2014', 'Anfang 2014', '1. Hj. 2014' in Termin: a
    generic 'kein Datum' beside the messages for '2013', '09/2013' and 'Q3/2013', which name
    a day (probe). Each says what it is and suggests a day; a Fehler, not read as that day
    (a guess would move the Meilenstein unseen). The Korrektur copy keeps the texts, marked."""
    pfad = ruecklauf(st, tmp_path / "AG-01 Termine.xlsx")
    t = lage(pfad, "tbl_Meilensteine")
    getippt = ["Ende 2013", "2013/14", "Mitte 2014", "Anfang 2014", "1. Hj. 2014"]
    wb = openpyxl.load_workbook(pfad)
    for i, text in enumerate(getippt):
        wb[t.blatt][t.zelle(i, "Termin")] = text
    wb.save(pfad)

    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [(t.blatt, t.zelle(i, "Termin"), Regel.TYP) for i in range(5)]
    assert all(b.stufe is Stufe.FEHLER for b in d.befunde)
    assert [b.meldung.partition(": ")[2] for b in d.befunde] == [
        "'Ende 2013' ist eine ungefähre Zeitangabe, kein Datum. Bitte ein Datum eingeben, "
        "z. B. 31.12.2013 (das Ende des Jahres).",
        "'2013/14' nennt zwei Jahre, kein Datum. Bitte ein Datum eingeben, z. B. 31.12.2014 "
        "(das Ende des Zeitraums).",
        "'Mitte 2014' ist eine ungefähre Zeitangabe, kein Datum. Bitte ein Datum eingeben, "
        "z. B. 30.06.2014 (die Mitte des Jahres).",
        "'Anfang 2014' ist eine ungefähre Zeitangabe, kein Datum. Bitte ein Datum eingeben, "
        "z. B. 31.03.2014 (das Ende des ersten Quartals).",
        "'1. Hj. 2014' ist ein Halbjahr, kein Datum. Bitte ein Datum eingeben, z. B. "
        "30.06.2014 (das Ende des Halbjahres).",
    ]
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)[t.blatt]
    assert [blatt[t.zelle(i, "Termin")].value for i in range(5)] == getippt


def test_zwei_kommunen_in_einer_zelle_heisst_zeile_teilen(st: Any, tmp_path: Path) -> None:
    """'Samtgemeinde Velpke, Gemeinde Lehre' in one Kommune cell (the cost shared, typed over
    the dropdown): 'ist keine Partnerkommune' puzzled the clerk, both are partners (probe).
    The message names the partners recognised and says to split the row; where one Kommune
    is meant for all (Sitzkommune) to choose one. The Korrektur copy keeps the text, red."""
    pfad = ruecklauf(st, tmp_path / "AG-01 zwei Kommunen.xlsx")
    t = lage(pfad, "tbl_Ressourcen")
    v = lage(pfad, "tbl_Varianten")
    assert (t.blatt, t.zelle(0, "Kommune")) == ("Ressourcen", "B5")
    wb = openpyxl.load_workbook(pfad)
    wb[t.blatt]["B5"] = "Samtgemeinde Velpke, Gemeinde Lehre"
    wb[t.blatt][t.zelle(1, "Kommune")] = "Helmstedt und SG Velpke"
    wb[t.blatt][t.zelle(2, "Kommune")] = "Stadt Helmstedt, Bauamt"  # one Kommune
    wb[v.blatt][v.zelle(0, "Sitzkommune")] = "Stadt Helmstedt / Stadt Schöningen"
    wb.save(pfad)

    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [
        (v.blatt, v.zelle(0, "Sitzkommune"), Regel.PARTNER),
        (t.blatt, "B5", Regel.PARTNER),
        (t.blatt, t.zelle(1, "Kommune"), Regel.PARTNER),
        (t.blatt, t.zelle(2, "Kommune"), Regel.PARTNER),
    ]
    sitz, zwei, kurz, eine = (b.meldung for b in d.befunde)
    assert zwei == (
        "Ressourcen!B5 (Kommune): 'Samtgemeinde Velpke, Gemeinde Lehre' nennt mehrere Kommunen "
        "(erkannt: 'Samtgemeinde Velpke'; 'Gemeinde Lehre'). Je Zeile steht eine Kommune: "
        "bitte die Zeile teilen, also für jede Kommune eine eigene Zeile anlegen, dort die "
        "Kommune aus der Auswahlliste wählen und Mengen oder Beträge auf die Zeilen aufteilen."
    )
    assert "keine Partnerkommune" not in zwei
    assert "(erkannt: 'Landkreis Helmstedt' oder 'Stadt Helmstedt'; 'Samtgemeinde Velpke')" in kurz
    assert "nennt mehrere Kommunen (erkannt: 'Stadt Helmstedt'; 'Stadt Schöningen')" in sitz
    assert sitz.endswith(
        "Hier steht genau eine Kommune: bitte die gemeinte aus der Auswahlliste wählen."
    )
    assert "nennt mehrere" not in eine and "ist keine Partnerkommune" in eine

    inhalt = berichte._korrekturinhalt(d, st)
    assert inhalt is not None
    assert (t.blatt, "B5") in inhalt[1]["markierungen"]
    assert inhalt[1]["markiert_solange"][(t.blatt, "B5")] == (
        '=B5="Samtgemeinde Velpke, Gemeinde Lehre"'
    )
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx", inhalt)
    assert kopie is not None
    blatt = openpyxl.load_workbook(kopie)[t.blatt]
    assert blatt["B5"].value == "Samtgemeinde Velpke, Gemeinde Lehre"
    assert blatt[t.zelle(0, "Menge")].value == d.zeilen("tbl_Ressourcen")[0]["Menge"]


def _kostenausgleich_der_kopie(
    d: Dateiergebnis, st: Any, ziel: Path
) -> tuple[Any, dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """The Kostenausgleich sheet of `d`'s Korrektur copy, its comments and red conditions."""
    inhalt = berichte._korrekturinhalt(d, st)
    assert inhalt is not None
    kopie = berichte.korrektur_schreiben(d, st, ziel, inhalt)
    assert kopie is not None
    angaben = inhalt[1]
    return (
        openpyxl.load_workbook(kopie)["Kostenausgleich"],
        angaben["markierungen"],
        angaben["markiert_solange"],
    )


def test_andere_kommune_ueber_einer_vorgegebenen_zeile(st: Any, tmp_path: Path) -> None:
    """'Stadt Wolfsburg' typed over the prescribed row of the Stadt Helmstedt (protection
    removed): 'keine Partnerkommune … bitte die Zeile löschen' stood beside 'Stadt Helmstedt
    fehlt … Originalzeilen nicht löschen', and the Korrektur copy lost the row's Fallzahl
    (probe). One Fehler at the cell: whose row it is, that the name was typed over, to set
    it again and keep the row; the copy has the partner's name with the Fallzahl, marked."""
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    pfad = ruecklauf(st, ab / "eingang" / "AG-01 Wolfsburg.xlsx")
    ka = lage(pfad, "tbl_Kostenausgleich")
    assert (ka.blatt, ka.zelle(1, "Kommune")) == ("Kostenausgleich", "A8")
    partner = st.arbeitsgruppe(AG).partner
    assert partner[1] == "Stadt Helmstedt"
    fallzahl = ka.zelle(1, "Fallzahl")
    _zelle_setzen(pfad, "Kostenausgleich", "A8", "Stadt Wolfsburg")
    vorher = openpyxl.load_workbook(pfad)["Kostenausgleich"][fallzahl].value
    assert vorher

    lauf = ikz("pruefen", "-a", str(ab), "--json")
    assert lauf.code == 1, lauf.fehler
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["blatt"], b["zelle"], b["stufe"], b["regel"], b["wert"]) == (
        "Kostenausgleich",
        "A8",
        "Fehler",
        "PARTNER",
        "Stadt Wolfsburg",
    )
    assert b["meldung"] == (
        "Kostenausgleich!A8: 'Stadt Wolfsburg' steht in der Zeile der Partnerkommune "
        "'Stadt Helmstedt': ihr Name wurde überschrieben, sonst fehlt Stadt Helmstedt im "
        "Kostenausgleich. Die Spalte Kommune ist vorgegeben; bitte wieder 'Stadt Helmstedt' "
        "eintragen, wie es in der Originalmappe stand, und die Zeile mit ihren Angaben "
        "behalten, nicht löschen."
    )
    assert "löschen." not in b["meldung"].replace("nicht löschen.", "")
    # what the copy made of the row, the copy says; without reports there is no copy, and
    # the message said 'Das Korrekturexemplar hat die Zeile wieder als …' all the same
    ohne = ikz("pruefen", "-a", str(ab), "--ohne-berichte", "--json")
    (b_ohne,) = json.loads(ohne.aus)["befunde"]
    assert "Korrekturexemplar" not in b_ohne["meldung"], b_ohne["meldung"]

    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    blatt = openpyxl.load_workbook(kopie)["Kostenausgleich"]
    assert [blatt.cell(ka.erste_zeile + i, 1).value for i in range(len(partner))] == list(partner)
    assert blatt["A8"].value == "Stadt Helmstedt" and blatt[fallzahl].value == vorher
    d = pruefen.pruefen([pfad], st).dateien[0]
    _, markiert, solange = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    assert "'Stadt Wolfsburg' steht in der Zeile" in markiert[("Kostenausgleich", "A8")]
    assert (
        "nicht löschen. Das Korrekturexemplar hat die Zeile wieder als 'Stadt Helmstedt' mit "
        f"Fallzahl {vorher}; bitte dort prüfen, ob die Angaben für Stadt Helmstedt gelten."
        in markiert[("Kostenausgleich", "A8")]
    )
    assert (
        "Aus Zeile 8 der eingesandten Mappe übernommen, wo 'Stadt Wolfsburg' stand"
        in (markiert[("Kostenausgleich", fallzahl)])
    )
    assert solange[("Kostenausgleich", "A8")] == solange[("Kostenausgleich", fallzahl)] == "=TRUE"

    # A Kommune of the programme that is no partner (AG-10: the three Städte), over the row
    # of the Stadt Helmstedt, with an individual share: the same, the share kept
    def individuell(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "individuell")
        for z, anteil in zip(e["tbl_Kostenausgleich"], (0.5, 0.2, 0.3), strict=True):
            z["Anteil individuell"] = anteil

    zehn = ruecklauf(st, tmp_path / "AG-10.xlsx", individuell, ag="AG-10")
    assert st.arbeitsgruppe("AG-10").partner[0] == "Stadt Helmstedt"
    _zelle_setzen(zehn, "Kostenausgleich", "A7", "Landkreis Helmstedt")
    d = pruefen.pruefen([zehn], st).dateien[0]
    assert [(b.zelle, b.stufe, b.regel) for b in d.befunde] == [("A7", Stufe.FEHLER, Regel.PARTNER)]
    assert d.befunde[0].meldung.startswith(
        "Kostenausgleich!A7: 'Landkreis Helmstedt' steht in der Zeile der Partnerkommune "
        "'Stadt Helmstedt': ihr Name wurde überschrieben"
    )
    blatt, markiert, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K10.xlsx")
    assert "mit Anteil individuell 50 %" in markiert[("Kostenausgleich", "A7")]
    assert (blatt["A7"].value, blatt["D7"].value) == ("Stadt Helmstedt", 0.5)
    assert ("Kostenausgleich", "D7") in markiert

    # Two rows typed over, their Einwohner cleared too: nothing left says they were prescribed
    # rows (a row added after one was deleted looks the same, review), so neither is given to
    # a partner by its place; each names its figures, the copy leaves them to the clerk
    zwei = ruecklauf(st, tmp_path / "zwei.xlsx")
    wb = openpyxl.load_workbook(zwei)
    ws = wb["Kostenausgleich"]
    ws["A8"], ws["B8"], ws["A9"], ws["B9"] = "Stadt Wolfsburg", None, "Stadt Braunschweig", None
    wb.save(zwei)
    d = pruefen.pruefen([zwei], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde if b.regel is Regel.PARTNER}
    assert set(meldungen) == {"A8", "A9", None}
    assert all(
        "im Kostenausgleich fehlen 'Stadt Helmstedt' und 'Stadt Königslutter am Elm'" in m
        for z, m in meldungen.items()
        if z
    )
    assert "Die Zeile enthält: Fallzahl" in meldungen["A8"]

    # ... unless a row was deleted as well: then whose it is stays open, and the messages at
    # the cell and for the missing partners say the same
    geloescht = ruecklauf(st, tmp_path / "geloescht.xlsx")
    wb = openpyxl.load_workbook(geloescht)
    ws = wb["Kostenausgleich"]
    _tabellenzeile_loeschen(ws, None)
    ws["A8"], ws["B8"] = "Stadt Wolfsburg", None
    wb.save(geloescht)
    d = pruefen.pruefen([geloescht], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde if b.regel is Regel.PARTNER}
    assert set(meldungen) == {"A8", None}
    assert (
        "'Stadt Wolfsburg' ist keine Partnerkommune dieser Arbeitsgruppe, und im "
        f"Kostenausgleich fehlen 'Stadt Helmstedt' und {partner[-1]!r}. Wurde hier der Name "
        "einer Partnerkommune überschrieben, bitte ihn wieder eintragen" in meldungen["A8"]
    )
    fehlt = [b.meldung for b in d.befunde if b.zelle is None and b.regel is Regel.PARTNER]
    assert len(fehlt) == 2
    assert all(
        "Steht ihre Zeile unter anderem Namen da (Zeile 8: 'Stadt Wolfsburg')" in m for m in fehlt
    )


def test_kurzform_zweimal_behaelt_die_werte_im_korrekturexemplar(st: Any, tmp_path: Path) -> None:
    """'Helmstedt' typed in A7 and A8 (Landkreis and Stadt): the message named both, but the
    Korrektur copy dropped both rows' Fallzahlen; they survived only in the message text
    (probe). The Einwohner the rows still show tell whose each is: the copy has both rows
    with their Fallzahlen, marked, and the message names the candidates and the row's
    partner."""
    pfad = ruecklauf(st, tmp_path / "AG-01 Helmstedt.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A7"].value, ws["A8"].value) == ("Landkreis Helmstedt", "Stadt Helmstedt")
    fallzahlen = (ws["C7"].value, ws["C8"].value)
    ws["A7"] = ws["A8"] = "Helmstedt"
    wb.save(pfad)

    d = pruefen.pruefen([pfad], st).dateien[0]
    assert [(b.zelle, b.stufe, b.regel) for b in d.befunde] == [
        ("A7", Stufe.FEHLER, Regel.PARTNER),
        ("A8", Stufe.FEHLER, Regel.PARTNER),
    ]
    for b, voll in zip(d.befunde, ("Landkreis", "Stadt"), strict=True):
        assert "Meinten Sie 'Landkreis Helmstedt' oder 'Stadt Helmstedt'?" in b.meldung
        assert (
            f"Nach der Einwohnerzahl der Zeile ist es die Zeile von '{voll} Helmstedt'."
            in b.meldung
        )
    blatt, markiert, solange = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    for zelle, voll, fallzahl in zip(("A7", "A8"), ("Landkreis", "Stadt"), fallzahlen, strict=True):
        assert (
            f"wieder als '{voll} Helmstedt' mit Fallzahl {fallzahl};"
            in (markiert[("Kostenausgleich", zelle)])
        )
    assert [blatt[f"A{z}"].value for z in (7, 8)] == ["Landkreis Helmstedt", "Stadt Helmstedt"]
    assert (blatt["C7"].value, blatt["C8"].value) == fallzahlen
    for zelle in ("A7", "A8", "C7", "C8"):
        assert ("Kostenausgleich", zelle) in markiert
        assert solange[("Kostenausgleich", zelle)] == "=TRUE"

    # the Einwohner cleared as well: the place in the generated table still tells
    ohne = ruecklauf(st, tmp_path / "ohne Einwohner.xlsx")
    wb = openpyxl.load_workbook(ohne)
    ws = wb["Kostenausgleich"]
    ws["A7"] = ws["A8"] = "Helmstedt"
    ws["B7"] = ws["B8"] = None
    wb.save(ohne)
    d = pruefen.pruefen([ohne], st).dateien[0]
    platz = [b.meldung for b in d.befunde if b.zelle in ("A7", "A8")]
    assert len(platz) == 2
    assert all("Nach ihrem Platz in der Vorlage ist es die Zeile von" in m for m in platz)
    blatt, _, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K2.xlsx")
    assert (blatt["C7"].value, blatt["C8"].value) == fallzahlen


@pytest.mark.parametrize(
    ("menge", "satz", "stufe", "stichwort"),
    [
        # an hourly rate typed as the number of hours, and the hours as the rate
        (1600, 65000, Stufe.WARNUNG, "ungewöhnlich hoch: mehr als 10.000.000 €"),
        # each cell at its limit: 1e14 €, beyond what a spreadsheet keeps to the cent
        (1000000, 100000000, Stufe.FEHLER, "auf den Cent genau rechnen kann"),
    ],
)
def test_zeile_mit_unmoeglich_hohen_kosten(
    st: Any, tmp_path: Path, menge: int, satz: int, stufe: Stufe, stichwort: str
) -> None:
    """Each cell within its range, the row in the millions upon millions: a slip (cent
    campaign: from about 1.2e12 € on, LibreOffice no longer agrees to the cent)."""

    def hoch(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = menge
        e["tbl_Ressourcen"][0]["Kostensatz"] = satz

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", hoch)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.BEREICH]
    assert b.stufe is stufe and b.blatt == "Ressourcen" and b.spalte == "Kosten"
    assert b.zelle is not None and b.zelle.startswith("I"), b.zelle
    assert stichwort in b.meldung, b.meldung
    assert "Bitte Menge und Kostensatz prüfen" in b.meldung


def test_ueblich_hohe_kosten_ohne_befund(st: Any, tmp_path: Path) -> None:
    def bau(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = 1
        e["tbl_Ressourcen"][0]["Kostensatz"] = 9_999_999.99  # a fire station, say

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", bau)], st).dateien[0]
    assert [b for b in d.befunde if b.regel is Regel.BEREICH] == []


def _tabellenzeile_loeschen(
    ws: Any, zeile: int | None, tabelle: str = "tbl_Kostenausgleich"
) -> None:
    """What Excel does for 'Tabellenzeilen löschen' (protection removed): the rows below move
    up, the table shrinks by one row. `zeile` None: the last row."""
    t = ws.tables[tabelle]
    links, oben, rechts, unten = range_boundaries(t.ref)
    for z in range(unten if zeile is None else zeile, unten):
        for s in range(links, rechts + 1):
            ws.cell(z, s).value = ws.cell(z + 1, s).value
    for s in range(links, rechts + 1):
        ws.cell(unten, s).value = None
    t.ref = f"{get_column_letter(links)}{oben}:{get_column_letter(rechts)}{unten - 1}"


def test_einwohner_der_zeile_sagen_wessen_zeile_es_ist(st: Any, tmp_path: Path) -> None:
    """Review of the rows read as a partner's: the Einwohner a row shows (locked, from the
    Stammdaten) were asked only between several candidates. The row of 'Stadt Königslutter am
    Elm' deleted and 'Stadt Wolfsburg' added with its own Einwohner and Fallzahl: the copy
    had Wolfsburg's Fallzahl as Königslutter's. 'Stadt Helmstedt' typed into the row of the
    Stadt Schöningen (and 'Stadt Wolfsburg' over Helmstedt's): Helmstedt's Fallzahl went to
    Schöningen and Schöningen's to Helmstedt; names swapped passed without a word. And the
    copy marked the row's old place, another partner's row, not where the value now stands."""
    # deleted and added: Wolfsburg's figures are no partner's
    pfad = ruecklauf(st, tmp_path / "geloescht und neu.xlsx")
    wb = openpyxl.load_workbook(pfad)
    assert wb["Kostenausgleich"]["A9"].value == "Stadt Königslutter am Elm"
    _tabellenzeile_loeschen(wb["Kostenausgleich"], 9)
    wb.save(pfad)
    zellen = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": "Stadt Wolfsburg", "Einwohner": 124151, "Fallzahl": 300},
    )
    d = pruefen.pruefen([pfad], st).dateien[0]
    [b] = [b for b in d.befunde if b.zelle == zellen["Kommune"]]
    assert "ist keine Partnerkommune dieser Arbeitsgruppe, und im Kostenausgleich fehlt" in (
        b.meldung
    )
    assert "steht in der Zeile der Partnerkommune" not in b.meldung
    blatt, _, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K1.xlsx")
    assert (blatt["A9"].value, blatt["C9"].value) == ("Stadt Königslutter am Elm", None)

    # names moved by a row: neither row counts for the partner of its Einwohner's name
    pfad = ruecklauf(st, tmp_path / "verschoben.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert ws["A10"].value == "Stadt Schöningen"
    helmstedt, schoeningen = ws["C8"].value, ws["C10"].value
    ws["A8"], ws["A10"] = "Stadt Wolfsburg", "Stadt Helmstedt"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde if b.regel is Regel.PARTNER}
    assert "steht in der Zeile der Partnerkommune 'Stadt Schöningen'" not in meldungen["A8"]
    assert (
        "In der Zeile von 'Stadt Helmstedt' steht die Einwohnerzahl 12.850 von 'Stadt "
        f"Schöningen': wurde hier der Name überschrieben (oder die Spalte Kommune allein "
        f"sortiert)? Gezählt würde Fallzahl {schoeningen} für Stadt Helmstedt." in meldungen["A10"]
    )
    blatt, markiert, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K2.xlsx")
    assert blatt["C10"].value != helmstedt
    assert ("Kostenausgleich", "A8") in markiert  # the copy's row of the Stadt Helmstedt

    # Landkreis and Stadt swapped, key Fallzahl: a Fehler at each, no more valid
    pfad = ruecklauf(st, tmp_path / "vertauscht.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    ws["A7"], ws["A8"] = "Stadt Helmstedt", "Landkreis Helmstedt"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert kompakt(d) == [
        ("Kostenausgleich", "A7", Regel.PARTNER),
        ("Kostenausgleich", "A8", Regel.PARTNER),
    ]
    assert "steht die Einwohnerzahl 97.749 von 'Landkreis Helmstedt'" in d.befunde[0].meldung

    # the rows sorted by Fallzahl, then one typed over: the copy marks the partner's row
    pfad = ruecklauf(st, tmp_path / "sortiert.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    zeilen = sorted(
        ([ws.cell(z, s).value for s in range(1, 5)] for z in range(7, 17)), key=lambda w: w[2]
    )
    for z, werte in enumerate(zeilen, start=7):
        for s, wert in enumerate(werte, start=1):
            ws.cell(z, s).value = wert
    z = 7 + [w[0] for w in zeilen].index("Stadt Helmstedt")
    assert z != 8
    ws.cell(z, 1).value = "Stadt Wolfsburg"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert [b.zelle for b in d.befunde] == [f"A{z}"]
    blatt, markiert, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K3.xlsx")
    assert (blatt["A8"].value, blatt["C8"].value) == ("Stadt Helmstedt", helmstedt)
    assert {zelle for blatt_, zelle in markiert if blatt_ == "Kostenausgleich"} == {"A8", "C8"}
    assert f"Aus Zeile {z} der eingesandten Mappe übernommen" in markiert[("Kostenausgleich", "C8")]
    liste = _korrekturliste(d, st, tmp_path / "K4.xlsx")
    assert [ort for _, ort, _ in liste] == ["A8"]


def test_kurzform_als_zusaetzliche_zeile_neben_einer_fehlenden(st: Any, tmp_path: Path) -> None:
    """Review of the merge: 'Schöningen' added below 'Stadt Schöningen' while the row of the
    Gemeinde Lehre was deleted said 'bitte den Namen wieder eintragen, wie er in der
    Originalmappe stand' (a second 'Stadt Schöningen'). It is an extra row still; the message
    names the partner that lacks its row."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    assert wb["Kostenausgleich"]["A16"].value == "Gemeinde Lehre"
    _tabellenzeile_loeschen(wb["Kostenausgleich"], 16)
    wb.save(pfad)
    zelle = _zeile_anhaengen(
        pfad, "Kostenausgleich", "tbl_Kostenausgleich", {"Kommune": "Schöningen", "Fallzahl": 77}
    )["Kommune"]
    d = pruefen.pruefen([pfad], st).dateien[0]
    [b] = [b for b in d.befunde if b.zelle == zelle]
    assert "'Schöningen' ist eine zusätzliche Zeile: 'Stadt Schöningen' hat schon" in b.meldung
    assert "(fehlt 'Gemeinde Lehre' und wurde hier ihr Name überschrieben" in b.meldung
    assert "wie er in der Originalmappe stand" not in b.meldung


def test_hinzugefuegte_kurzform_nimmt_nicht_die_zeile_der_partnerkommune(
    st: Any, tmp_path: Path
) -> None:
    """The Stadt Helmstedt's row typed over with 'Stadt Wolfsburg' (still showing its
    Einwohner and Fallzahl) and a row 'Helmstedt' added with another Fallzahl: the short name
    took the Stadt's place (a Warnung only), the copy showed the added row's 999, and the
    message asked to delete the real row (review). The row with the Stadt's Einwohner is its
    row; the added one is an extra row."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert ws["A8"].value == "Stadt Helmstedt"
    fallzahl = ws["C8"].value
    ws["A8"] = "Stadt Wolfsburg"
    wb.save(pfad)
    zelle = _zeile_anhaengen(
        pfad, "Kostenausgleich", "tbl_Kostenausgleich", {"Kommune": "Helmstedt", "Fallzahl": 999}
    )["Kommune"]
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde if b.blatt == "Kostenausgleich"}
    assert "steht in der Zeile der Partnerkommune 'Stadt Helmstedt'" in meldungen["A8"]
    assert "Fallzahl 999" not in meldungen["A8"]
    assert "'Helmstedt' ist eine zusätzliche Zeile" in meldungen[zelle], meldungen[zelle]
    assert "Fallzahl 999" in meldungen[zelle]  # named, as the copy leaves the row out
    assert not any("fehlt im Kostenausgleich" in m for m in meldungen.values())
    blatt, markiert, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    assert (blatt["A8"].value, blatt["C8"].value) == ("Stadt Helmstedt", fallzahl)
    assert ("Kostenausgleich", "A8") in markiert
    assert 999 not in [blatt.cell(z, 3).value for z in range(7, 20)]


def test_hohe_kosten_nicht_neben_negativer_menge_und_kostensatz(st: Any, tmp_path: Path) -> None:
    """Menge and Kostensatz both negative, each with its Fehler: their product is positive and
    above 10 Mio. €, and a Warnung on the Kosten asked a third time about the same slip."""

    def negativ(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = -200_000
        e["tbl_Ressourcen"][0]["Kostensatz"] = -100

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", negativ)], st).dateien[0]
    bereich = [b for b in d.befunde if b.regel is Regel.BEREICH]
    assert sorted(b.spalte for b in bereich) == ["Kostensatz", "Menge"], bereich


def test_hohe_kosten_mit_parametergrenze_im_schema(st: Any, tmp_path: Path) -> None:
    """A schema limit of Menge or Kostensatz written as '$Parameter' (as 'ab Jahr' has one):
    it was compared unresolved, a TypeError, and the file got 'ein unerwarteter Fehler'
    instead of its findings (review)."""
    ordner = tmp_path / "schemata"
    shutil.copytree(pfade.schemata(), ordner)
    datei = ordner / "arbeitsmappe.yaml"
    alt = "{kopf: Menge, typ: zahl, min: 0, max: 1000000,"
    text = datei.read_text(encoding="utf-8")
    assert alt in text
    datei.write_text(
        text.replace(alt, "{kopf: Menge, typ: zahl, min: 0, max: $Betrachtungszeitraum,"),
        encoding="utf-8",
    )

    def hoch(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Menge"] = 5
        e["tbl_Ressourcen"][0]["Kostensatz"] = 50_000_000

    pfad = ruecklauf(st, tmp_path / "r.xlsx", hoch)
    mappe_def = definition.arbeitsmappe(ordner)
    d = pruefen.pruefen([pfad], st, mappe_def=mappe_def).dateien[0]
    assert not any("unerwarteter Fehler" in b.meldung for b in d.befunde), d.befunde
    (b,) = [b for b in d.befunde if b.spalte == "Kosten"]
    assert b.stufe is Stufe.WARNUNG and b.zelle == "I5", b


def test_kurzform_bleibt_partnerzeile_bei_geaenderten_einwohnern(st: Any, tmp_path: Path) -> None:
    """'Schöningen' over the row of the Stadt Schöningen in a workbook that does not note the
    Einwohner it was made with (`_ikz` without them), the Steuerungsmappe with a new figure
    since: the row shows the old one, of no partner. It was no longer read as her row (the
    Einwohner 'said otherwise'), and a Warnung became two Fehler, the return invalid (review).
    """
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    ka = lage(pfad, "tbl_Kostenausgleich")
    i = st.arbeitsgruppe(AG).partner.index("Stadt Schöningen")
    wb = openpyxl.load_workbook(pfad)
    wb[ka.blatt][ka.zelle(i, "Kommune")] = "Schöningen"
    ikz = wb["_ikz"]
    (zeile,) = [r for r in range(1, ikz.max_row + 1) if ikz.cell(r, 1).value == "einwohner"]
    ikz.cell(zeile, 2).value = None
    wb.save(pfad)
    neu = dataclasses.replace(
        st,
        kommunen=tuple(
            dataclasses.replace(k, einwohner=k.einwohner + 7) if k.name == "Stadt Schöningen" else k
            for k in st.kommunen
        ),
    )
    d = pruefen.pruefen([pfad], neu).dateien[0]
    assert d.status.startswith("gültig"), [b.meldung for b in d.befunde]
    (b,) = [b for b in d.befunde if b.blatt == ka.blatt and b.zelle == ka.zelle(i, "Kommune")]
    assert b.stufe is Stufe.WARNUNG and "'Stadt Schöningen' gelesen" in b.meldung


def test_namen_um_eine_zeile_verschoben_fuehren_zu_den_richtigen_zellen(
    bereich: Path, st: Any, tmp_path: Path
) -> None:
    """Review of the names moved by a row ('Stadt Wolfsburg' over the Stadt Helmstedt's row,
    'Stadt Helmstedt' over the Stadt Schöningen's): 'fehlt Stadt Schöningen' asked to type
    her name into row 8, the Stadt Helmstedt's, while her Einwohner and Fallzahl stood in row
    10; the copy carried row 10's Fallzahl over to the Stadt Helmstedt unmarked; and its
    comments opened with the return's cells ('Kostenausgleich!A10:' at the copy's A8)."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01 verschoben.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A8"].value, ws["A10"].value) == ("Stadt Helmstedt", "Stadt Schöningen")
    schoeningen = ws["C10"].value
    ws["A8"], ws["A10"] = "Stadt Wolfsburg", "Stadt Helmstedt"
    wb.save(pfad)

    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    (fehlt,) = [b for b in befunde if b["zelle"] is None and b["wert"] == "Stadt Schöningen"]
    assert (
        "Ihre Einwohnerzahl 12.850 steht in Zeile 10 unter dem Namen 'Stadt Helmstedt'"
        in (fehlt["meldung"])
    )
    assert "Zeile 8" not in fehlt["meldung"]
    (a8,) = [b for b in befunde if b["zelle"] == "A8"]
    assert "Einwohnerzahl 25.389 von 'Stadt Helmstedt'" in a8["meldung"], a8["meldung"]
    assert "bitte wieder 'Stadt Helmstedt' eintragen" in a8["meldung"]

    d = pruefen.pruefen([pfad], st).dateien[0]
    blatt, markiert, solange = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    # whose the 115 beside the Stadt Schöningen's Einwohner is, the return does not say: not
    # carried to the Stadt Helmstedt (sent back unchanged, it would have counted for her),
    # red while empty, the comment says what stood where
    assert (blatt["A8"].value, blatt["C8"].value) == ("Stadt Helmstedt", None)
    assert markiert[("Kostenausgleich", "C8")] == (
        f"Fehler: In Zeile 10 der eingesandten Mappe stand Fallzahl {schoeningen} bei 'Stadt "
        "Helmstedt', aber neben der Einwohnerzahl 12.850 von 'Stadt Schöningen'. Für welche "
        "der beiden Kommunen der Wert gilt, sagt die Mappe nicht; darum steht er hier nicht. "
        "Bitte den Wert von Stadt Helmstedt eintragen."
    )
    assert solange[("Kostenausgleich", "C8")] == "=LEN(TRIM(C8))=0"
    # the comment at the copy's row says which cell it is here, and which it was
    assert markiert[("Kostenausgleich", "A8")].startswith(
        "Fehler: Kostenausgleich!A8 (in der eingesandten Mappe A10): In der Zeile von 'Stadt "
        "Helmstedt' steht die Einwohnerzahl 12.850"
    )
    # the missing partner is marked at her row of the copy, not at the sheet's title
    assert blatt["A10"].value == "Stadt Schöningen"
    assert "Die Partnerkommune Stadt Schöningen fehlt" in markiert[("Kostenausgleich", "A10")]
    assert ("Kostenausgleich", "A1") not in markiert
    liste = _korrekturliste(d, st, tmp_path / "K2.xlsx")
    (punkt,) = [p for p in liste if "Stadt Schöningen fehlt" in p[2]]
    assert punkt[1] == "A10"
    assert "In diesem Korrekturexemplar steht Stadt Schöningen wieder in ihrer Zeile" in punkt[2]


@pytest.mark.parametrize("geloescht", [9, 16])
def test_hinzugefuegte_zeile_ohne_einwohner_ist_nicht_die_der_fehlenden(
    bereich: Path, st: Any, tmp_path: Path, geloescht: int
) -> None:
    """Review: the row of a partner deleted and a row added ('Stadt Wolfsburg', Fallzahl 77,
    no Einwohner: an added row has none) was given to her as 'the only missing one'. The copy
    had 77 in her row, red, but sent back as it was it passed, and 77 counted for a Kommune
    it was never typed for. Neither the name nor the locked Einwohner say it is her row: it is
    a row of no partner, its figures named; the copy leaves her Fallzahl to the clerk."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01 neu.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    name = ws.cell(geloescht, 1).value
    _tabellenzeile_loeschen(ws, geloescht)
    wb.save(pfad)
    zelle = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": "Stadt Wolfsburg", "Fallzahl": 77},
    )["Kommune"]

    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    (b,) = [b for b in befunde if b["zelle"] == zelle]
    assert (
        f"ist keine Partnerkommune dieser Arbeitsgruppe, und im Kostenausgleich fehlt {name!r}"
        in (b["meldung"])
    )
    assert "Die Zeile enthält: Fallzahl 77." in b["meldung"]
    assert "steht in der Zeile der Partnerkommune" not in b["meldung"]
    assert any(x["zelle"] is None and x["wert"] == name for x in befunde)

    d = pruefen.pruefen([pfad], st).dateien[0]
    blatt, _, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    assert (blatt.cell(geloescht, 1).value, blatt.cell(geloescht, 3).value) == (name, None)
    assert 77 not in [blatt.cell(z, 3).value for z in range(7, 20)]


@pytest.mark.parametrize(
    ("zeile", "name", "partner_der_zeile"),
    [
        (10, None, "Stadt Schöningen"),  # the name blanked
        (9, "Stadt Helmstedt", "Stadt Königslutter am Elm"),  # the name above copied down
        (7, "Stadt Helmstedt", "Landkreis Helmstedt"),  # the name below copied up
    ],
)
def test_geloeschter_oder_kopierter_name_ist_die_zeile_der_partnerkommune(
    st: Any, tmp_path: Path, zeile: int, name: str | None, partner_der_zeile: str
) -> None:
    """Probe: a partner's name blanked, or another partner's name copied over it (the row
    still shows her Einwohner, locked). 'Eine Zeile ohne Kommune … bitte die Zeile löschen'
    and 'Stadt Helmstedt steht schon in Zeile 8 … bitte diese Zeile löschen' asked to delete
    the very row of the partner that 'fehlt'; copied upwards, the Stadt Helmstedt's own row
    was the one to delete. The copy lost the row's Fallzahl. The row is read as hers, as a
    name typed over."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert ws.cell(zeile, 1).value == partner_der_zeile
    fallzahl = ws.cell(zeile, 3).value
    ws.cell(zeile, 1).value = name
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = d.befunde
    assert (b.zelle, b.stufe, b.regel) == (f"A{zeile}", Stufe.FEHLER, Regel.PARTNER)
    assert f"Zeile der Partnerkommune {partner_der_zeile!r}" in b.meldung, b.meldung
    assert "löschen" not in b.meldung.replace("nicht löschen", "")
    blatt, markiert, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    assert [blatt.cell(z, 1).value for z in range(7, 17)] == list(st.arbeitsgruppe(AG).partner)
    assert blatt.cell(zeile, 3).value == fallzahl
    assert (
        f"Aus Zeile {zeile} der eingesandten Mappe übernommen"
        in markiert[("Kostenausgleich", f"C{zeile}")]
    )


def test_fallzahlen_allein_sortiert_ist_eine_warnung(bereich: Path, st: Any) -> None:
    """Probe: the Fallzahl column sorted alone (protection removed, 'Mit bestehender Markierung
    fortfahren'): every Fallzahl stood beside another Kommune, the return was valid without a
    word, and the overview split by them. A Warnung at the column's first cell; sorting the
    whole rows (test above) stays without one."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01 sortiert.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    werte = sorted(ws.cell(z, 3).value for z in range(7, 17))
    for z, wert in enumerate(werte, start=7):
        ws.cell(z, 3).value = wert
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.fehler
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["zelle"], b["stufe"], b["regel"], b["spalte"]) == (
        "C7",
        "Warnung",
        "INHALT",
        "Fallzahl",
    )
    assert (
        "Die Werte der Spalte Fallzahl stehen von oben nach unten aufsteigend sortiert"
        in (b["meldung"])
    )
    assert "Wurde die Spalte Fallzahl allein sortiert?" in b["meldung"]


@pytest.mark.parametrize(
    "getippt", ["stadt schöningen", "Stadt\xa0Schöningen", "Stadt  Schöningen"]
)
def test_name_nur_anders_geschrieben_ist_die_zeile_der_partnerkommune(
    bereich: Path, st: Any, getippt: str
) -> None:
    """Probe: the Stadt Schöningen's name typed in small letters, or pasted with a protected
    space or two spaces (from a mail or a web page), over her row. It was a Fehler saying
    "'Stadt Schöningen' steht in der Zeile der Partnerkommune 'Stadt Schöningen': ihr Name
    wurde überschrieben" – two names that look the same, the return invalid. It is her name
    as plainly as the short form 'Schöningen': a Warnung that says what differs."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    _zelle_setzen(pfad, "Kostenausgleich", "A10", getippt)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.fehler
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["zelle"], b["stufe"], b["regel"]) == ("A10", "Warnung", "UMGEWANDELT")
    assert b["meldung"].startswith(
        f"Kostenausgleich!A10: {zitat(getippt)} (unterscheidet sich nur in Leerzeichen, Strichen "
        "oder Groß-/Kleinschreibung) wurde als Zeile der Partnerkommune 'Stadt Schöningen' "
        "gelesen"
    ), b["meldung"]


def test_kopierte_zeile_unter_anderem_namen_ist_eine_zusaetzliche(st: Any, tmp_path: Path) -> None:
    """Probe: the Landkreis's row copied below the table and the copy's name typed over
    ('Stadt Wolfsburg', still with the Landkreis's Einwohner). The Landkreis has its own row,
    so this one is an extra row to delete, not the Landkreis's with its name typed over
    ('bitte wieder Landkreis Helmstedt eintragen' would have made it twice)."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    zelle = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": "Stadt Wolfsburg", "Einwohner": 97749, "Fallzahl": 620},
    )["Kommune"]
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.PARTNER]
    assert b.zelle == zelle
    assert "bitte die Zeile löschen. Die Zeile enthält: Einwohner 97.749, Fallzahl 620." in (
        b.meldung
    )
    assert "Landkreis Helmstedt" not in b.meldung


def test_vertauschte_namen_korrekturexemplar_unveraendert_zurueck_zaehlt_nicht(
    bereich: Path, st: Any
) -> None:
    """Probe: the names of two partners swapped (the Fallzahlen beside their Einwohner). The
    Korrektur copy put each Fallzahl in the row of the name, red; sent back unchanged it was
    valid, and each Kommune's Fallzahl counted for the other without a word. Whose each is,
    the return does not say: the copy leaves both empty, and unchanged it is still a Fehler."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A8"].value, ws["A11"].value) == ("Stadt Helmstedt", "Samtgemeinde Grasleben")
    ws["A8"], ws["A11"] = "Samtgemeinde Grasleben", "Stadt Helmstedt"
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(bereich))
    assert lauf.code == 1, lauf.fehler
    (kopie,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    blatt = openpyxl.load_workbook(kopie)["Kostenausgleich"]
    assert (blatt["C8"].value, blatt["C11"].value) == (None, None)

    pfad.unlink()
    shutil.copy(kopie, bereich / "eingang" / "AG-01 Korrektur zurück.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = json.loads(lauf.aus)["befunde"]
    assert {(b["zelle"], b["regel"]) for b in befunde} == {("C8", "PFLICHT"), ("C11", "PFLICHT")}


def test_hinzugefuegte_zeile_mit_dem_namen_neben_ihrer_ueberschriebenen(
    bereich: Path, st: Any
) -> None:
    """Probe: the Gemeinde Lehre's row typed over ('Stadt Wolfsburg', still with her
    Einwohner and Fallzahl 92) and a row 'Gemeinde Lehre' added with 77. The added row, of her
    name, was her row: 77 counted, the copy had 77 unmarked, and sent back unchanged it was
    valid. Which of the two figures is hers, the return does not say: a Fehler at the added
    row, and the copy leaves her Fallzahl empty."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    _zelle_setzen(pfad, "Kostenausgleich", "A16", "Stadt Wolfsburg")
    zelle = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": "Gemeinde Lehre", "Fallzahl": 77},
    )["Kommune"]
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = {b["zelle"]: b for b in json.loads(lauf.aus)["befunde"]}
    assert (
        "'Gemeinde Lehre' steht in einer Zeile ohne Einwohnerzahl (hinzugefügt?), ihre "
        "Einwohnerzahl 11.714 steht aber in Zeile 16 unter 'Stadt Wolfsburg' mit Fallzahl 92. "
        "Gezählt würde Fallzahl 77 für Gemeinde Lehre." in befunde[zelle]["meldung"]
    )
    (kopie,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    blatt = openpyxl.load_workbook(kopie)["Kostenausgleich"]
    assert (blatt["A16"].value, blatt["C16"].value) == ("Gemeinde Lehre", None)
    assert 77 not in [blatt.cell(z, 3).value for z in range(7, 20)]
    # row 16 of the copy is hers: the row of the comment is the return's, and says so
    assert (
        "aber in einer Zeile ohne Einwohnerzahl; ihre stand in Zeile 16 der eingesandten Mappe."
        in blatt["C16"].comment.text
    ), blatt["C16"].comment.text


def _namen_eine_zeile_runter(ws: Any) -> None:
    namen = [ws.cell(z, 1).value for z in range(7, 17)]
    ws.cell(7, 1).value = None
    for z, name in enumerate(namen[:-1], start=8):
        ws.cell(z, 1).value = name


def _helmstedt_und_schoeningen(ws: Any) -> None:
    ws["A8"], ws["A10"] = "Helmstedt", "Stadt Helmstedt"


def _heeseberg_zweimal(ws: Any) -> None:
    # copied from A12 over the Gemeinde Lehre's row, her name over the Stadt Schöningen's
    ws["A16"], ws["A10"] = "Samtgemeinde Heeseberg", "Gemeinde Lehre"


@pytest.mark.parametrize(
    ("aendern", "zelle", "partner_der_zeile"),
    [
        (_namen_eine_zeile_runter, "A7", "Landkreis Helmstedt"),
        (_helmstedt_und_schoeningen, "A8", "Stadt Helmstedt"),
        (_heeseberg_zweimal, "A16", "Gemeinde Lehre"),
    ],
)
def test_keine_loeschbitte_an_der_zeile_einer_partnerkommune(
    st: Any, tmp_path: Path, aendern: Callable[[Any], None], zelle: str, partner_der_zeile: str
) -> None:
    """Probe with random edits: the names shifted down a row left the Landkreis's row without
    a name ('Eine Zeile ohne Kommune … bitte die Zeile löschen'); 'Helmstedt' over the Stadt
    Helmstedt's row while her name stood over the Stadt Schöningen's ('zusätzliche Zeile …
    bitte diese Zeile löschen'); 'Samtgemeinde Heeseberg' copied over the Gemeinde Lehre's
    row, her name over another ('steht schon in Zeile 12 … bitte diese Zeile löschen'). Each
    row still shows the Einwohner of a partner without a row of her own: the message says
    whose, not to delete it."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    aendern(wb["Kostenausgleich"])
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    (b,) = [b for b in d.befunde if b.zelle == zelle]
    assert b.stufe is Stufe.FEHLER
    # the names dragged down: the empty row is plainly the Landkreis's, and the copy has it
    # as hers (test_namen_eine_zeile_runter_behaelt_die_fallzahl_der_eindeutigen_zeile)
    assert (
        f"von {partner_der_zeile!r}: wurde hier ihr Name überschrieben oder gelöscht" in b.meldung
        or f"ist die Zeile der Partnerkommune {partner_der_zeile!r}" in b.meldung
    ), b.meldung
    assert f"bitte wieder {partner_der_zeile!r} eintragen" in b.meldung
    assert "löschen" not in b.meldung.replace("gelöscht", "").replace("nicht löschen", "")


def test_einwohnerzahl_ueberschrieben_beim_schluessel_fallzahl(bereich: Path, st: Any) -> None:
    """Probe: in LibreOffice with the protection removed, the Gemeinde Lehre's Einwohner cell
    copied over the Stadt Königslutter's. Both names stand in their rows, the Gemeinde Lehre
    with her own Einwohner: the row is Königslutter's, its Einwohner typed over, which under
    the key Fallzahl moves nothing. It was a Fehler 'wurde hier der Name überschrieben?', the
    return invalid, and the copy left Königslutter's Fallzahl out."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A9"].value, ws["A16"].value) == ("Stadt Königslutter am Elm", "Gemeinde Lehre")
    ws["B9"] = ws["B16"].value
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.aus
    # a Warnung only (review: the same two rows come from names swapped as well)
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["zelle"], b["stufe"]) == ("A9", "Warnung")
    assert (
        "Verteilt wird nach den Namen, hier Fallzahl 130 für Stadt Königslutter am Elm"
        in (b["meldung"])
    )


def test_einwohnerzahl_ueberschrieben_und_namen_vertauscht_ist_eine_warnung(
    bereich: Path, st: Any
) -> None:
    """Review probe (random edits): the Stadt Schöningen's Einwohner typed over the Stadt
    Helmstedt's (protection removed) and the two names swapped. Row 8 ('Stadt Schöningen',
    her Einwohner) looked like her own row, row 10 like the Stadt Helmstedt's with only its
    Einwohner typed over: valid without a word, and each share counted for the other
    Kommune. The return still counts (most often only the Einwohner were typed over), but a
    Warnung names both rows and asks whether the names were swapped."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A8"].value, ws["A10"].value) == ("Stadt Helmstedt", "Stadt Schöningen")
    ws["B8"] = ws["B10"].value
    ws["A8"], ws["A10"] = "Stadt Schöningen", "Stadt Helmstedt"
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 0, lauf.aus
    (b,) = json.loads(lauf.aus)["befunde"]
    assert (b["zelle"], b["stufe"], b["regel"]) == ("A10", "Warnung", "PARTNER")
    assert b["meldung"].startswith(
        "Kostenausgleich!A10: In der Zeile von 'Stadt Helmstedt' steht die Einwohnerzahl "
        "12.850 von 'Stadt Schöningen', die auch in Zeile 8 bei 'Stadt Schöningen' steht"
    ), b["meldung"]
    assert (
        "Bitte prüfen, ob in den Zeilen 8 und 10 die Namen noch zu den eingetragenen"
        in (b["meldung"])
    )


@pytest.mark.parametrize(("ag", "spalte"), [("AG-01", 3), ("AG-10", 4)])
def test_korrekturexemplar_nach_ueberschriebener_einwohnerzahl_laesst_beide_werte_offen(
    bereich: Path, st: Any, ag: str, spalte: int
) -> None:
    """Review 16a (known gap of the random edits): the first partner's Einwohner copied over
    the third's, the two names swapped, the second partner's name blanked. The return has the
    Fehler of the blanked name and the Warnung 'Eine Einwohnerzahl wurde überschrieben' at the
    two rows; its Korrektur copy writes every Einwohner from the Stammdaten, so the evidence
    and the Warnung were gone, and the copy sent back unchanged was valid with the two
    figures exchanged (AG-01 by Fallzahl, AG-10 by share). Now the copy leaves both figures
    empty, red, each with where it stood; sent back unchanged it has a Fehler."""
    pfad = ruecklauf(st, bereich / "eingang" / f"{ag}.xlsx", ag=ag)
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    erste, zweite, dritte = st.arbeitsgruppe(ag).partner[:3]
    assert [ws.cell(z, 1).value for z in (7, 8, 9)] == [erste, zweite, dritte]
    werte = {p: ws.cell(z, spalte).value for z, p in ((7, erste), (8, zweite), (9, dritte))}
    ws["B9"] = ws["B7"].value
    ws["A7"], ws["A9"] = dritte, erste
    wb.save(pfad)
    # without a Fehler the return counts as it is, and its copy is that return with comments
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert [b.stufe for b in d.befunde] == [Stufe.WARNUNG], kompakt(d)
    blatt, _, _ = _kostenausgleich_der_kopie(d, st, bereich / "K.xlsx")
    assert [blatt.cell(z, spalte).value for z in (7, 9)] == [werte[dritte], werte[erste]]

    ws["A8"] = None
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    stufen = {b.zelle: b.stufe for b in d.befunde}
    assert stufen == {"A7": Stufe.WARNUNG, "A8": Stufe.FEHLER}, kompakt(d)

    blatt, kommentare, rot = _kostenausgleich_der_kopie(d, st, bereich / "K.xlsx")
    buchstabe = get_column_letter(spalte)
    assert [blatt.cell(z, 1).value for z in (7, 8, 9)] == [erste, zweite, dritte]
    # whose figure each was, the return does not say: both open, red while empty
    assert [blatt.cell(z, spalte).value for z in (7, 8, 9)] == [None, werte[zweite], None]
    # each partner's name stood in the other's row of the return
    for z, wo, partner in ((7, 9, erste), (9, 7, dritte)):
        kommentar = kommentare[("Kostenausgleich", f"{buchstabe}{z}")]
        assert f"In Zeile {wo} der eingesandten Mappe stand" in kommentar, kommentar
        assert f"bei {zitat(partner)}" in kommentar, kommentar
        assert "darum steht er hier nicht" in kommentar, kommentar
        assert rot[("Kostenausgleich", f"{buchstabe}{z}")] == f"=LEN(TRIM({buchstabe}{z}))=0"
    assert (
        f"lässt dieses Korrekturexemplar {zitat(dritte)} und {zitat(erste)} ohne Wert"
        in kommentare[("Kostenausgleich", "A9")]
    ), kommentare[("Kostenausgleich", "A9")]
    zurueck = pruefen.pruefen([bereich / "K.xlsx"], st).dateien[0]
    assert any(b.stufe is Stufe.FEHLER for b in zurueck.befunde), kompakt(zurueck)


def test_name_ueber_die_zeile_davor_kopiert_loescht_nicht_die_echte(
    st: Any, tmp_path: Path
) -> None:
    """Probe: 'Stadt Helmstedt' copied up over the Landkreis's row, 'Landkreis Helmstedt' typed
    over the Samtgemeinde Grasleben's. The first 'Stadt Helmstedt' counted as hers, and her
    own row (name and Einwohner) got 'steht schon in Zeile 7 … bitte diese Zeile löschen'.
    Her row is the one with her Einwohner; the copied name is the one to fix, and the copy
    has her row's Fallzahl."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    ws["A7"], ws["A11"] = "Stadt Helmstedt", "Landkreis Helmstedt"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde}
    assert "A8" not in meldungen, meldungen.get("A8")
    assert meldungen["A7"].startswith(
        "Kostenausgleich!A7: Stadt Helmstedt steht schon in Zeile 8; diese Zeile zeigt die "
        "Einwohnerzahl 97.749 von 'Landkreis Helmstedt'"
    ), meldungen["A7"]
    assert "löschen" not in meldungen["A7"].replace("gelöscht", "")
    # the copy has her own row's Fallzahl, not the copied name's
    fallzahl = openpyxl.load_workbook(pfad)["Kostenausgleich"]["C8"].value
    blatt, _, _ = _kostenausgleich_der_kopie(d, st, tmp_path / "K.xlsx")
    assert (blatt["A8"].value, blatt["C8"].value) == ("Stadt Helmstedt", fallzahl)


def test_einwohner_ueberschrieben_und_name_verschoben_zaehlt_nicht_fuer_die_andere(
    bereich: Path, st: Any
) -> None:
    """Review probe (random edits, AG-10, key individuell): the Stadt Schöningen's Einwohner
    typed over the Stadt Königslutter's (protection removed), then Königslutter's name moved
    down a row, over Schöningen's. Row 9 ('Stadt Königslutter am Elm', Schöningen's Einwohner,
    her 30 %) passed as 'only the Einwohner typed over', because the nameless row 8, read as
    Schöningen's by the same Einwohner, counted as her own row. One Fehler (row 8); the copy
    gave Königslutter 30 % and Schöningen 20 %, and sent back unchanged it was valid."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-10.xlsx", ag="AG-10")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A8"].value, ws["A9"].value) == ("Stadt Königslutter am Elm", "Stadt Schöningen")
    assert (ws["D8"].value, ws["D9"].value) == (0.2, 0.3)
    ws["B8"] = ws["B9"].value
    ws["A8"], ws["A9"] = None, "Stadt Königslutter am Elm"
    wb.save(pfad)
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    befunde = {b["zelle"]: b for b in json.loads(lauf.aus)["befunde"]}
    assert befunde["A9"]["stufe"] == "Fehler"
    assert (
        "In der Zeile von 'Stadt Königslutter am Elm' steht die Einwohnerzahl 12.850 von "
        "'Stadt Schöningen'" in befunde["A9"]["meldung"]
    )

    (kopie,) = (bereich / "berichte").glob("Korrektur_*.xlsx")
    pfad.unlink()
    shutil.copy(kopie, bereich / "eingang" / "AG-10 Korrektur zurück.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    assert any(b["stufe"] == "Fehler" for b in json.loads(lauf.aus)["befunde"])


def test_wert_in_meldung_und_pruefbericht_gleich() -> None:
    """Message and Prüfbericht write a read value the same way, as a German Excel shows it:
    `pruefen._fmt` printed "True" and dropped a time the report's column Wert showed."""
    for wert, text in [
        (True, "WAHR"),
        (False, "FALSCH"),
        (datetime(2013, 3, 31, 14, 5), "31.03.2013 14:05"),
        (datetime(2013, 3, 31), "31.03.2013"),
        (date(2013, 3, 31), "31.03.2013"),
        (Decimal("-1234.5"), "-1234,5"),
        (2_500_000_000.0, "2.500.000.000"),
        ("1.5", "1.5"),
    ]:
        assert pruefen._fmt(wert) == berichte._wert_text(wert) == deutsch.wert(wert) == text
    assert berichte._wert_text(None) == ""


def _menge_im_datumsformat(bereich: Path, gueltig: Path, wert: Any) -> tuple[str, str]:
    """AG-01's first Menge set to `wert` in a cell formatted as a date (as Excel leaves it after
    reading "1.5" as 1 May), checked by `ikz pruefen`: the cell and the console text."""
    ziel = bereich / "eingang" / "AG-01.xlsx"
    korpus.ausfuellen(gueltig, ziel, {"tbl_Ressourcen": [{"Menge": wert}]})
    korpus.format_uebertragen(ziel, ("tbl_Ressourcen", 0, "Menge"), ("tbl_Meilensteine", "Termin"))
    t = lage(ziel, "tbl_Ressourcen")
    lauf = ikz("pruefen", "-a", str(bereich))
    assert lauf.code == 1, lauf.fehler
    return f"{t.blatt}!{t.zelle(0, 'Menge')}", " ".join(lauf.aus.split())


@pytest.mark.parametrize(
    ("tag", "getippt", "gemeint"),
    [
        (date(date.today().year, 5, 1), "1.5", "1,5 (oder 1,05)"),
        (date(date.today().year, 12, 3), "3.12", "3,12"),
    ],
)
def test_zahl_von_excel_als_datum_gelesen_sagt_was_geschah(
    bereich: Path, gueltig: Path, tag: date, getippt: str, gemeint: str
) -> None:
    """German Excel turns "1.5" typed into a number column into the date 1 May (and formats
    the cell as a date); python-calamine then gives a date. The check refused it with "Ein
    Datum (01.05.2026) steht, wo eine Zahl erwartet wird. Hat Excel eine Eingabe wie 1.5 als
    Datum gelesen?" – the same example for every date. Now it says which input Excel most
    likely read, as what, and the number to type (steuer16)."""
    zelle, text = _menge_im_datumsformat(bereich, gueltig, tag)
    assert (
        f"{zelle} (Menge): Excel hat hier vermutlich die Eingabe {getippt} als Datum "
        f"{tag:%d.%m.} gelesen (gespeichert: {tag:%d.%m.%Y}); erwartet wird eine Zahl. Gemeint "
        f"war wohl {gemeint}." in text
    ), text
    assert "bitte eine leere gelbe Zelle derselben Spalte kopieren" in text


@pytest.mark.parametrize(
    ("tag", "gespeichert", "gesagt"),
    [
        (date(2023, 3, 15), None, "Hier steht die Zahl 45.000, angezeigt als Datum 15.03.2023."),
        (
            date(2025, 5, 1),
            "2025-06-30T09:00:00Z",
            "Excel hat hier vermutlich die Eingabe 1.5 als Datum 01.05. gelesen",
        ),
    ],
    ids=["zahl", "im-jahr-des-speicherns"],
)
def test_datum_nur_im_jahr_des_tippens_als_getippte_eingabe_gedeutet(
    bereich: Path, gueltig: Path, tag: date, gespeichert: str | None, gesagt: str
) -> None:
    """45000 in a number cell formatted as a date shows as 15.03.2023 and was called "Excel
    hat hier vermutlich die Eingabe 15.3 als Datum 15.03. gelesen … Gemeint war wohl 15,3"
    (review). Excel dates a typed "15.3" in the year of typing: only a date in the year the
    file was last saved, or in the current one, is read as such an input; another names the
    number."""
    ziel = bereich / "eingang" / "AG-01.xlsx"
    korpus.ausfuellen(gueltig, ziel, {"tbl_Ressourcen": [{"Menge": tag}]})
    korpus.format_uebertragen(ziel, ("tbl_Ressourcen", 0, "Menge"), ("tbl_Meilensteine", "Termin"))
    if gespeichert:
        paket = korpus.Paket.lesen(ziel)
        core = re.sub(
            r"(<dcterms:modified[^>]*>)[^<]*(<)",
            rf"\g<1>{gespeichert}\g<2>",
            paket.text("docProps/core.xml"),
        )
        assert gespeichert in core
        paket.setzen("docProps/core.xml", core)
        paket.schreiben(ziel)
    t = lage(ziel, "tbl_Ressourcen")

    lauf = ikz("pruefen", "-a", str(bereich))

    assert lauf.code == 1, lauf.fehler
    text = " ".join(lauf.aus.split())
    assert f"{t.blatt}!{t.zelle(0, 'Menge')} (Menge): {gesagt}" in text, text
    assert ("vermutlich" in text) == (gespeichert is not None), text


def test_langer_falscher_text_bleibt_im_korrekturexemplar_rot_ohne_zu_langen_vergleich(
    st: Any, tmp_path: Path
) -> None:
    """A cell found wrong is red in the copy while it holds the value read (=B5="…"). A text
    of 300 characters cannot be compared so: Excel takes at most 255 in a formula's literal
    and calls the whole file damaged. Such a cell stays red until someone looks."""
    lang = "Stadt Helmstedt und " * 15

    def langer_text(e: Eingaben, _f: dict[str, Any]) -> None:
        e["tbl_Ressourcen"][0]["Kommune"] = lang

    pfad = ruecklauf(st, tmp_path / "r.xlsx", langer_text)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Ressourcen")
    adresse = t.zelle(0, "Kommune")
    assert [(b.zelle, b.regel) for b in d.befunde] == [(adresse, Regel.PARTNER)]

    inhalt = berichte._korrekturinhalt(d, st)
    assert inhalt is not None
    assert inhalt[1]["markiert_solange"][(t.blatt, adresse)] == "=TRUE"
    kopie = berichte.korrektur_schreiben(d, st, tmp_path / "Korrektur.xlsx", inhalt)
    assert kopie is not None
    ws = openpyxl.load_workbook(kopie)[t.blatt]
    assert ws[adresse].value.startswith("Stadt Helmstedt und Stadt Helmstedt und")
    formeln = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules if r.formula]
    literale = [x for f in formeln for x in re.findall(r'"((?:[^"]|"")*)"', f)]
    assert all(len(x) <= 255 for x in literale), [len(x) for x in literale]


def test_ohne_variante_ist_ein_fehler_an_der_tabelle(st: Any, tmp_path: Path) -> None:
    """Every Variante deleted: the Steuerungsgruppe cannot compare what the AG proposes. A
    Fehler at the table's first row (the schema's mindestens_eine_zeile, which the cover
    counts as an open entry too), saying what to enter."""

    def ohne_varianten(e: Eingaben, _f: dict[str, Any]) -> None:
        for z in e["tbl_Varianten"]:
            for k in z:
                z[k] = None

    pfad = ruecklauf(st, tmp_path / "r.xlsx", ohne_varianten)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Varianten")
    (b,) = [b for b in d.befunde if b.blatt == t.blatt and b.regel is Regel.PFLICHT]
    assert (b.zelle, b.stufe) == (t.zelle(0, "Variante"), Stufe.FEHLER)
    assert b.meldung.endswith(
        "Es ist keine Variante beschrieben. Bitte mindestens die empfohlene Variante eintragen."
    )
    assert d.status == "fehlerhaft", d.status


def test_tippfehler_im_listenfeld_nennt_den_gemeinten_wert(st: Any, tmp_path: Path) -> None:
    """'Einwohnr' in the Verteilungsschlüssel (typed over the dropdown): the message asks
    "Meinten Sie 'Einwohner'?" before listing what is allowed; a far-off text gets no
    guess."""

    def tippfehler(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "Einwohnr")

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "r.xlsx", tippfehler)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.LISTE]
    assert (b.stufe, b.wert) == (Stufe.FEHLER, "Einwohnr")
    assert "'Einwohnr' steht nicht in der Auswahlliste. Meinten Sie 'Einwohner'? Bitte " in (
        b.meldung
    )

    def weit_weg(e: Eingaben, f: dict[str, Any]) -> None:
        schluessel_waehlen(e, f, "nach Fläche")

    d = pruefen.pruefen([ruecklauf(st, tmp_path / "w.xlsx", weit_weg)], st).dateien[0]
    (b,) = [b for b in d.befunde if b.regel is Regel.LISTE]
    assert "Meinten Sie" not in b.meldung and "Bitte einen Wert aus der Liste wählen" in b.meldung


def test_namen_eine_zeile_runter_nennt_den_getippten_namen(bereich: Path, st: Any) -> None:
    """Review 16a: AG-10 (individuell), the names of rows 7 and 8 dragged down one row: row 7
    without a name shows the Stadt Helmstedt's Einwohner, 'Stadt Helmstedt' stands (once) in
    row 8 beside the Stadt Königslutter's, her name is gone. The message at A8 said 'Stadt
    Helmstedt' steht zweimal im Kostenausgleich', and the one for the missing Stadt
    Königslutter 'steht in Zeile 8 unter dem Namen 'None'' (the check had already blanked
    the row's name for the copy). Now: the row with that name, and the name as typed."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-10.xlsx", ag="AG-10")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A7"].value, ws["A8"].value) == ("Stadt Helmstedt", "Stadt Königslutter am Elm")
    ws["A7"], ws["A8"] = None, "Stadt Helmstedt"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde}
    assert "zweimal" not in meldungen["A8"], meldungen["A8"]
    assert meldungen["A8"].startswith(
        "Kostenausgleich!A8: Die Zeile mit dem Namen 'Stadt Helmstedt' zeigt die Einwohnerzahl "
        "16.370 von 'Stadt Königslutter am Elm'"
    ), meldungen["A8"]
    assert (
        "Ihre Einwohnerzahl 16.370 steht in Zeile 8 unter dem Namen 'Stadt Helmstedt'"
        in meldungen[None]
    ), meldungen[None]


def test_namen_runter_und_zwei_namenlose_zeilen_mit_ihrer_einwohnerzahl(
    bereich: Path, st: Any
) -> None:
    """Review 16a (a mutant of `_name_neben_fremden_einwohnern` with 'one row without a name
    or more' went unnoticed): the names of rows 7 and 8 of AG-10 dragged down, and a row
    added without a name beside the Stadt Helmstedt's Einwohner copied. Two rows without a
    name show hers: whose row is hers, the return does not say, and her name in row 8 still
    counts as typed. With the mutant the check also said 'Die Partnerkommune Stadt Helmstedt
    fehlt', while her name stands in row 8."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-10.xlsx", ag="AG-10")
    zelle = _zeile_anhaengen(
        pfad,
        "Kostenausgleich",
        "tbl_Kostenausgleich",
        {"Kommune": None, "Einwohner": 25389, "Anteil individuell": 0.1},
    )["Kommune"]
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A7"].value, ws["B7"].value) == ("Stadt Helmstedt", 25389)
    ws["A7"], ws["A8"] = None, "Stadt Helmstedt"
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b.meldung for b in d.befunde}
    assert not any("Stadt Helmstedt fehlt" in m for m in meldungen.values()), meldungen
    assert meldungen["A8"].startswith(
        "Kostenausgleich!A8: In der Zeile von 'Stadt Helmstedt' steht die Einwohnerzahl "
        "16.370 von 'Stadt Königslutter am Elm'"
    ), meldungen["A8"]
    assert meldungen[zelle].startswith(
        f"Kostenausgleich!{zelle}: Eine Zeile ohne Kommune zeigt die Einwohnerzahl 25.389"
    ), meldungen[zelle]


def test_namen_eine_zeile_runter_behaelt_die_fallzahl_der_eindeutigen_zeile(
    bereich: Path, st: Any
) -> None:
    """Probe (random edits): the names dragged down one row, the top row's name left empty.
    That row still shows the Landkreis's Einwohner, and no other row does; her name stands
    beside the Stadt Helmstedt's Einwohner. The copy left every Fallzahl empty, even her 620,
    and listed the message about A7 as 'Diese Zeile steht nicht in diesem
    Korrekturexemplar'. Her row is clear: the copy has it with her 620, red with where it came
    from; the Fallzahlen beside a name and another partner's Einwohner stay empty."""
    pfad = ruecklauf(st, bereich / "eingang" / "AG-01.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    assert (ws["A7"].value, ws["C7"].value) == ("Landkreis Helmstedt", 620)
    _namen_eine_zeile_runter(ws)
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    meldungen = {b.zelle: b for b in d.befunde}
    assert meldungen["A7"].stufe is Stufe.FEHLER
    assert "'Landkreis Helmstedt'" in meldungen["A7"].meldung
    assert "ist die Zeile der Partnerkommune 'Landkreis Helmstedt'" in meldungen["A7"].meldung
    # her name stands in A8: 'ihr Name wurde gelöscht, sonst fehlt Landkreis Helmstedt' was
    # false (review)
    assert "sonst fehlt" not in meldungen["A7"].meldung, meldungen["A7"].meldung
    assert (
        "ihr Name steht in Zeile 8 neben der Einwohnerzahl von 'Stadt Helmstedt' (wurden die "
        "Namen verschoben?)" in meldungen["A7"].meldung
    ), meldungen["A7"].meldung
    assert "von 'Stadt Helmstedt'" in meldungen["A8"].meldung, meldungen["A8"].meldung
    assert "löschen" not in meldungen["A8"].meldung.replace("gelöscht", "")
    # 'Landkreis Helmstedt' stands once, beside the Stadt Helmstedt's Einwohner (review 16a)
    assert "zweimal" not in meldungen["A8"].meldung, meldungen["A8"].meldung

    blatt, kommentare, _ = _kostenausgleich_der_kopie(d, st, bereich / "K.xlsx")
    assert (blatt["A7"].value, blatt["C7"].value) == ("Landkreis Helmstedt", 620)
    assert [blatt.cell(z, 3).value for z in range(8, 17)] == [None] * 9
    assert "keine Kommune stand" in kommentare[("Kostenausgleich", "C7")]
    assert (
        "Das Korrekturexemplar hat die Zeile wieder als 'Landkreis Helmstedt' mit Fallzahl 620"
        in kommentare[("Kostenausgleich", "A7")]
    )
    hinweise = [
        " ".join(str(c.value) for c in zeile if c.value is not None)
        for zeile in openpyxl.load_workbook(bereich / "K.xlsx")["Korrekturhinweise"].iter_rows()
    ]
    (a7,) = [h for h in hinweise if "Zeile der Partnerkommune 'Landkreis Helmstedt'" in h]
    assert "steht nicht in diesem Korrekturexemplar" not in a7, a7


@pytest.mark.parametrize(
    ("meldung", "markiert"),
    [
        ("Die Zeilen 3 bis 5 zeigen", "Die Zeilen 3 bis 5 der eingesandten Mappe zeigen"),
        ("in den Zeilen 8 und 10.", "in den Zeilen 8 und 10 der eingesandten Mappe."),
        ("Zeilen 8, 9 und 12;", "Zeilen 8, 9 und 12 der eingesandten Mappe;"),
        ("steht schon in Zeile 8;", "steht schon in Zeile 8 der eingesandten Mappe;"),
        ("in Zeile 12 der eingesandten Mappe", "in Zeile 12 der eingesandten Mappe"),
        (
            "Zeilen 8 und 10 der eingesandten Mappe",
            "Zeilen 8 und 10 der eingesandten Mappe",
        ),
        ("Zeilen 3 bis 5 der eingesandten Mappe", "Zeilen 3 bis 5 der eingesandten Mappe"),
    ],
)
def test_zeilenangabe_wird_als_ganze_markiert(meldung: str, markiert: str) -> None:
    """'Die Zeilen 3 bis 5' became 'Zeilen 3 der eingesandten Mappe bis 5', and a list already
    marked was marked again in part ('Zeilen 8 der eingesandten Mappe und 10 der …'): the
    marking takes the whole list or range (review; latent, no message says so today)."""
    assert berichte._zeilen_der_eingesandten(meldung) == markiert


def test_zeilenangaben_im_text_des_korrekturexemplars_sind_die_der_eingesandten_mappe(
    st: Any, tmp_path: Path
) -> None:
    """Review: the copy's list converted a message's leading cell to the copy's, but the row
    numbers in its text stayed the return's: 'Stadt Helmstedt steht schon in Zeile 8' and
    'Ihre Einwohnerzahl … steht in Zeile 16 unter dem Namen …' named rows that in the copy
    hold another Kommune. They describe the return, and now say so."""
    pfad = ruecklauf(st, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(pfad)
    ws = wb["Kostenausgleich"]
    ws["A7"], ws["A11"] = "Stadt Helmstedt", "Landkreis Helmstedt"  # copied up, typed over
    wb.save(pfad)
    d = pruefen.pruefen([pfad], st).dateien[0]
    assert any("steht schon in Zeile 8;" in b.meldung for b in d.befunde)  # the check's own
    texte = [text for _, _, text in _korrekturliste(d, st, tmp_path / "K.xlsx")]
    assert any("steht schon in Zeile 8 der eingesandten Mappe;" in t for t in texte), texte
    assert not any(
        re.search(r"Zeilen? \d+(?! der eingesandten Mappe)\b", t)
        for t in texte
        if t.startswith("Kostenausgleich")
    ), texte


@pytest.mark.parametrize(
    ("menge", "gesagt"),
    [
        (12, "Hier steht die Zahl 12, angezeigt als Datum 12.01.1900."),
        (1.5, "Hier steht die Zahl 1,5, angezeigt als Datum 01.01.1900 12:00."),
        (0.5, "Hier steht die Zahl 0,5 (als Uhrzeit 12:00), angezeigt als Datum oder Uhrzeit."),
    ],
)
def test_zahl_in_einer_als_datum_formatierten_zelle_wird_als_zahl_genannt(
    bereich: Path, gueltig: Path, menge: float, gesagt: str
) -> None:
    """After Excel made "1.5" a date, the clerk types the number again into that cell: it
    stays formatted as a date, and python-calamine gives a day in 1900 (a time of day below
    1). The message said "Ein Datum mit Uhrzeit (01.01.1900 12:00)", "vermutlich die Eingabe
    12.1 … Gemeint war wohl 12,1" for a typed 12, "'12:00:00' ist keine Zahl" for 0,5 (review
    16b); it names the number that is there."""
    zelle, text = _menge_im_datumsformat(bereich, gueltig, menge)
    assert f"{zelle} (Menge): {gesagt}" in text, text
    assert "bitte eine leere gelbe Zelle derselben Spalte kopieren" in text
    assert "vermutlich" not in text and "keine Zahl" not in text, text


def _risiken_als_bereich_nutzen_umbenannt(gueltig: Path) -> Any:
    """The valid return with its Risiken turned into a range and two Nutzen headers typed over."""
    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Risiken"].tables["tbl_Risiken"]
    ws = mappe["Nutzen"]
    links, oben, _, _ = range_boundaries(ws.tables["tbl_Nutzen"].ref)
    for i in (0, 1):
        spalte = ws.tables["tbl_Nutzen"].tableColumns[i]
        spalte.name = ws.cell(oben, links + i).value = f"{spalte.name} alt"
    return mappe


def test_in_bereich_konvertiert_und_andere_spalte_umbenannt_verspricht_nichts(
    gueltig: Path, bereich: Path
) -> None:
    """The Risiken turned into a range, and two headers of the Nutzen typed over: the
    structure Fehler of the Nutzen stops the reading, so no entry is read and no Korrektur
    copy is written. The Fehler of the Risiken does not say its entries were read and stand
    in a copy (or would with 'ikz pruefen'); it says they are read once the rest is repaired."""
    mappe = _risiken_als_bereich_nutzen_umbenannt(gueltig)
    mappe.save(bereich / "eingang" / "AG-01.xlsx")
    lauf = ikz("pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.fehler
    assert not list((bereich / "berichte").glob("Korrektur_*.xlsx"))
    (risiken,) = [b for b in json.loads(lauf.aus)["befunde"] if b["blatt"] == "Risiken"]
    assert risiken["meldung"] == (
        "AG-01.xlsx: Auf dem Blatt Risiken ist tbl_Risiken keine Tabelle mehr (vermutlich in "
        "einen normalen Zellbereich umgewandelt: Tabellenentwurf > In Bereich konvertieren). "
        "Ihre Einträge werden über die Spaltenköpfe gelesen, sobald die übrigen Fehler im "
        "Aufbau der Mappe behoben sind; dann entsteht auch ein Korrekturexemplar, das die "
        "Tabelle wieder hat. Bis dahin wird aus der Mappe nichts gelesen."
    )


def test_doppelte_zeile_nur_wenn_die_getippten_angaben_gleich_sind(st: Any, tmp_path: Path) -> None:
    """Two Ressourcen alike but for their Menge, each typed with its unit ("0,5 Stelle",
    "1 Stelle"): each is a Fehler at its Menge, and they are no duplicate rows. Read, both
    Menge cells were empty, and the Warnung said the rows were alike "in allen Angaben" and
    their costs counted twice (neither counts while its Menge is not a number)."""

    def aendern(e: Eingaben, _f: dict[str, Any]) -> None:
        zeile = e["tbl_Ressourcen"][0]
        e["tbl_Ressourcen"][1:1] = [
            {**zeile, "Menge": "0,5 Stelle"},
            {**zeile, "Menge": "1 Stelle"},
        ]

    pfad = ruecklauf(st, tmp_path / "AG-01.xlsx", aendern)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Ressourcen")
    assert [(b.zelle, b.regel) for b in d.befunde if b.blatt == t.blatt] == [
        (t.zelle(1, "Menge"), Regel.TYP),
        (t.zelle(2, "Menge"), Regel.TYP),
    ], [b.meldung for b in d.befunde]


def test_doppelte_zeile_ohne_betrag_zaehlt_nichts_doppelt(st: Any, tmp_path: Path) -> None:
    """A qualitative Nutzen (Betrag 0) pasted twice is a Warnung at the copy, but it does not
    say that its Betrag counts twice: 0 € counts nothing, and the overview does not add the
    Qualitativ."""

    def aendern(e: Eingaben, _f: dict[str, Any]) -> None:
        zeile = {**e["tbl_Nutzen"][0], "Betrag": Decimal(0), "Qualitativ": 2}
        e["tbl_Nutzen"][0:1] = [zeile, dict(zeile)]

    pfad = ruecklauf(st, tmp_path / "AG-01.xlsx", aendern)
    d = pruefen.pruefen([pfad], st).dateien[0]
    t = lage(pfad, "tbl_Nutzen")
    (b,) = [b for b in d.befunde if b.regel is Regel.EINDEUTIG]
    assert b.zelle == t.zelle(1, "Nutzenart")
    assert "doppelt" not in b.meldung.split("entstanden)")[1].split("Bitte")[0], b.meldung
    assert b.meldung.endswith("beide in einer Zeile zusammenfassen."), b.meldung


def test_in_bereich_konvertiert_korrekturexemplar_nicht_geschrieben(
    gueltig: Path, bereich: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The Risiken turned into a range, and the Korrektur copy cannot be written (a full
    disk). The Fehler said the copy "wurde nicht geschrieben; es entsteht mit dem Prüfbericht
    ('ikz pruefen' ohne --ohne-berichte)", right after that very command; it says the copy
    failed, as the Warnung beside it does."""
    import errno

    from aufruf import ikz_aufrufen

    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Risiken"].tables["tbl_Risiken"]
    mappe.save(bereich / "eingang" / "AG-01.xlsx")

    def voll(_d: Any, _st: Any, ziel: Path, *_inhalt: Any) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(ziel))

    monkeypatch.setattr(berichte, "korrektur_schreiben", voll)
    lauf = ikz_aufrufen(monkeypatch, capsys, "pruefen", "-a", str(bereich), "--json")
    assert lauf.code == 1, lauf.text
    befunde = json.loads(lauf.aus)["befunde"]
    (risiken,) = [b for b in befunde if b["regel"] == "STRUKTUR"]
    assert "ohne-berichte" not in risiken["meldung"], risiken["meldung"]
    assert risiken["meldung"].endswith(
        "Das Korrekturexemplar, das die Tabellen wieder hätte und diese Einträge trüge, ließ "
        "sich nicht schreiben (siehe die Warnung dazu); es entsteht, sobald das behoben ist und "
        "erneut geprüft wird."
    )
    assert any(
        "ließ sich nicht schreiben" in b["meldung"] for b in befunde if b["regel"] == "DATEI"
    )


def test_ohne_tabellen_anmerkung_unter_der_priorisierung_bleibt_draussen(
    gueltig: Path, st: Any, tmp_path: Path
) -> None:
    """A return that lost its tables, with an empty row inserted into the Priorisierung and a
    note typed two rows below it in the first column. The note became a row of the table
    (the rows after a gap at the foot of the sheet count with their first cell filled): a
    Warnung that it is no Kriterium and two "Pflichtangabe fehlt". It stays outside, as in any
    return (a Hinweis at its cell), and the rows below the empty one are still read."""
    mappe, ws, (links, _, _, unten) = _ohne_tabellen_mit_leerzeile(
        gueltig, "Priorisierung", "tbl_Einschaetzung"
    )
    notiz = f"{get_column_letter(links)}{unten + 4}"
    ws[notiz] = "Anmerkung: Punkte mit dem Kämmerer abgestimmt"
    mappe.save(tmp_path / "AG-01.xlsx")
    d = pruefen.pruefen([tmp_path / "AG-01.xlsx"], st).dateien[0]
    auf_dem_blatt = [(b.stufe, b.zelle) for b in d.befunde if b.blatt == "Priorisierung"]
    assert auf_dem_blatt == [(Stufe.HINWEIS, notiz)], [b.meldung for b in d.befunde]
    original = pruefen.pruefen([gueltig], st).dateien[0]
    assert _eintraege(d)["tbl_Einschaetzung"] == _eintraege(original)["tbl_Einschaetzung"]


def _aeltere_und_neuere_fassung(mappe: Any, gueltig: Path, bereich: Path) -> None:
    """`mappe` as AG-01's older return (saved long before), the valid one as its newer."""
    alt = bereich / "eingang" / "AG-01 alt.xlsx"
    mappe.save(alt)
    paket = korpus.Paket.lesen(alt)
    core = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*(<)",
        r"\g<1>2020-01-01T08:00:00Z\g<2>",
        paket.text("docProps/core.xml"),
    )
    paket.setzen("docProps/core.xml", core)
    paket.schreiben(alt)
    shutil.copy(gueltig, bereich / "eingang" / "AG-01 neu.xlsx")


def test_in_bereich_konvertiert_aeltere_fassung_ohne_korrekturexemplar(
    gueltig: Path, bereich: Path
) -> None:
    """An older return of AG-01 with its Risiken turned into a range, a newer valid one
    beside it: the older counts nowhere and gets no Korrektur copy, by any run. Its Fehler said
    the copy "entsteht mit dem Prüfbericht ('ikz pruefen' ohne --ohne-berichte)", after that
    very command (review21); it says that none comes, and which version counts."""
    mappe = openpyxl.load_workbook(gueltig)
    del mappe["Risiken"].tables["tbl_Risiken"]
    _aeltere_und_neuere_fassung(mappe, gueltig, bereich)
    for zusatz in ((), ("--ohne-berichte",)):
        lauf = ikz("pruefen", "-a", str(bereich), "--json", *zusatz)
        befunde = json.loads(lauf.aus)["befunde"]
        (risiken,) = [b for b in befunde if b["regel"] == "STRUKTUR"]
        assert risiken["datei"] == "AG-01 alt.xlsx", risiken
        assert "ohne-berichte" not in risiken["meldung"], risiken["meldung"]
        assert risiken["meldung"].endswith(
            "Für diese ältere Fassung entsteht kein Korrekturexemplar; es zählt AG-01 neu.xlsx."
        ), risiken["meldung"]
    assert not list((bereich / "berichte").glob("Korrektur_*"))


def test_aeltere_fassung_mit_weiterem_strukturfehler_ohne_korrekturexemplar(
    gueltig: Path, bereich: Path
) -> None:
    """As above, but the older version has two headers of the Nutzen typed over as well: its
    Fehler of the Risiken said "dann entsteht auch ein Korrekturexemplar", once the rest is
    repaired, and a replaced version gets none (review 22). It says that none comes, and which
    version counts."""
    mappe = _risiken_als_bereich_nutzen_umbenannt(gueltig)
    _aeltere_und_neuere_fassung(mappe, gueltig, bereich)

    lauf = ikz("pruefen", "-a", str(bereich), "--json")

    (risiken,) = [b for b in json.loads(lauf.aus)["befunde"] if b["blatt"] == "Risiken"]
    assert risiken["datei"] == "AG-01 alt.xlsx", risiken
    assert "dann entsteht auch ein Korrekturexemplar" not in risiken["meldung"], risiken
    assert risiken["meldung"].endswith(
        "(vermutlich in einen normalen Zellbereich umgewandelt: Tabellenentwurf > In Bereich "
        "konvertieren). Aus der Mappe wird nichts gelesen. Für diese ältere Fassung entsteht "
        "kein Korrekturexemplar; es zählt AG-01 neu.xlsx."
    ), risiken["meldung"]
    assert not list((bereich / "berichte").glob("Korrektur_*"))
