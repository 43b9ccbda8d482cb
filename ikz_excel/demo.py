"""`ikz demo`: the whole cycle on the built-in Helmstedt programme, in a fresh folder.

Returns are written as clerks send them: most of them complete, some with the mistakes that
happen in practice (text in a number cell, a missing Pflichtfeld, a Kommune that is not a
partner, shares that do not add up, a renamed column), one AG twice, one not at all.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ikz_excel import demo_daten, erzeugen, konsolidieren, stammdaten
from ikz_excel.arbeitsbereich import Abbruch, Arbeitsbereich
from ikz_excel.dateien import atomar

MARKE = ".ikz-demo"
OHNE_RUECKLAUF = "AG-08"


@dataclass
class Demo:
    arbeitsbereich: Path
    konsolidierung: Any
    fehler: dict[str, str] = field(default_factory=dict)  # AG -> which mistake it contains


MARKE_TEXT = "Von 'ikz demo' angelegt; darf gelöscht werden.\n"


def _ordner_vorbereiten(ziel: Path) -> None:
    """A fresh folder; a previous demo folder (recognised by its marker) may be replaced, as
    long as nobody has worked in it since (`_seither_bearbeitet`)."""
    if ziel.exists() and any(ziel.iterdir()):
        if not (ziel / MARKE).exists():
            raise Abbruch(
                f"Der Ordner {ziel} ist nicht leer und stammt nicht aus einer früheren Demo. "
                "Bitte mit --arbeitsbereich einen neuen Ordner angeben."
            )
        if bearbeitet := _seither_bearbeitet(ziel):
            raise Abbruch(
                f"Der Ordner {ziel} stammt aus einer früheren Demo, aber seither wurde darin "
                f"gearbeitet: {'; '.join(bearbeitet)}. Er wird darum nicht ersetzt. Bitte mit "
                "--arbeitsbereich einen neuen Ordner angeben; wird der alte nicht mehr "
                "gebraucht, ihn selbst löschen oder umbenennen."
            )
        shutil.rmtree(ziel)
    ziel.mkdir(parents=True, exist_ok=True)
    (ziel / MARKE).write_text(MARKE_TEXT, encoding="utf-8")


def _menschliche_eingaben(ziel: Path) -> dict[str, str]:
    """SHA-256 of what only people write in a workspace (FACHKONZEPT §2): the Steuerungsmappe
    and the files in eingang/, by their path in the folder. Everything else is derived, and
    what Windows Explorer and the macOS Finder leave in a folder they showed (Thumbs.db,
    .DS_Store: skipped by pruefen too) is nobody's work: it kept a demo folder merely
    looked at from being replaced (review 24)."""
    import hashlib

    from ikz_excel.einlesen import IGNORIERT

    dateien = [ziel / "Steuerungsmappe.xlsm"]
    if (ziel / "eingang").is_dir():
        dateien += sorted(
            p
            for p in (ziel / "eingang").rglob("*")
            if p.is_file() and p.name.casefold() not in IGNORIERT
        )
    summen = {}
    for pfad in dateien:
        try:
            summen[pfad.relative_to(ziel).as_posix()] = hashlib.sha256(
                pfad.read_bytes()
            ).hexdigest()
        except OSError:
            summen[pfad.relative_to(ziel).as_posix()] = "nicht lesbar"
    return summen


def _marke_schreiben(ziel: Path) -> None:
    """The marker names what the demo wrote by hand's place, so a rerun can tell whether
    someone worked in the folder since."""
    zeilen = [f"{summe}  {name}" for name, summe in _menschliche_eingaben(ziel).items()]
    (ziel / MARKE).write_text(MARKE_TEXT + "\n".join(zeilen) + "\n", encoding="utf-8")


def _seither_bearbeitet(ziel: Path) -> list[str]:
    """What someone changed in a demo folder since the demo wrote it: the Steuerungsmappe
    (own Stammdaten typed into it) and files put into eingang/ (real returns). "ikz demo"
    run again, as the README's first command, deleted the whole folder with them (session
    24). A marker of an older version names no files: then nothing is known to be the
    demo's, and a folder with a changed Steuerungsmappe cannot be told apart; it is
    replaced as before, unless the Steuerungsmappe or eingang/ is newer than the marker."""
    marke = ziel / MARKE
    try:
        text = marke.read_text(encoding="utf-8", errors="replace")
        stand = marke.stat().st_mtime
    except OSError:
        return []
    bekannt = {}
    for zeile in text.splitlines()[1:]:
        summe, _, name = zeile.partition("  ")
        if name:
            bekannt[name] = summe
    jetzt = _menschliche_eingaben(ziel)
    if not bekannt:  # an older marker: only what is clearly newer than the demo
        neuer = [
            name
            for name in jetzt
            if (ziel / name).is_file() and (ziel / name).stat().st_mtime > stand + 120
        ]
        jetzt = {n: s for n, s in jetzt.items() if n in neuer}
        bekannt = {}
    gesagt = []
    if "Steuerungsmappe.xlsm" in jetzt and jetzt["Steuerungsmappe.xlsm"] != bekannt.get(
        "Steuerungsmappe.xlsm"
    ):
        gesagt.append("Steuerungsmappe.xlsm wurde geändert")
    neu = [
        name.removeprefix("eingang/")
        for name, summe in jetzt.items()
        if name.startswith("eingang/") and bekannt.get(name) != summe
    ]
    if neu:
        mehr = f" und {len(neu) - 3} weitere" if len(neu) > 3 else ""
        gesagt.append(
            f"in eingang/ liegen {len(neu)} Datei(en), die die Demo nicht so geschrieben hat "
            f"({', '.join(neu[:3])}{mehr})"
        )
    return gesagt + _lenkungsgruppe_gearbeitet(ziel)


def _lenkungsgruppe_gearbeitet(ziel: Path) -> list[str]:
    """The overview saved by the Lenkungsgruppe (notes beside an AG, Faktoren tried), as
    konsolidieren recognises it, and whatever lies in sicherungen/ (its earlier overviews,
    replaced Steuerungsmappen): the demo writes neither, and `ikz demo` run again deleted
    them with the folder (rest24)."""
    from ikz_excel.einlesen import IGNORIERT

    ab = Arbeitsbereich(ziel)
    gesagt = []
    if konsolidieren.uebersicht_von_hand_gespeichert(ab.uebersicht):
        gesagt.append(
            f"{ab.uebersicht.name} wurde in Excel oder LibreOffice gespeichert (Notizen der "
            "Lenkungsgruppe?)"
        )
    if ab.sicherungen.is_dir():
        gesichert = sorted(
            p.relative_to(ab.sicherungen).as_posix()
            for p in ab.sicherungen.rglob("*")
            if p.is_file() and p.name.casefold() not in IGNORIERT
        )
        if gesichert:
            mehr = f" und {len(gesichert) - 3} weitere" if len(gesichert) > 3 else ""
            gesagt.append(
                f"in sicherungen/ liegen {len(gesichert)} Datei(en) "
                f"({', '.join(gesichert[:3])}{mehr})"
            )
    return gesagt


def spalte_umbenennen(pfad: Path, alt: str, neu: str) -> None:
    """What a clerk does by typing over a header: the header, the table column and formulas."""
    with zipfile.ZipFile(pfad) as quelle:
        teile = [(info, quelle.read(info.filename)) for info in quelle.infolist()]
    with atomar(pfad) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as ziel:
        for info, daten in teile:
            if info.filename.endswith(".xml") and (
                "worksheets/" in info.filename
                or "tables/" in info.filename
                or info.filename.endswith("sharedStrings.xml")
            ):
                text = daten.decode("utf-8")
                text = text.replace(f"<t>{alt}</t>", f"<t>{neu}</t>")
                text = text.replace(f'name="{alt}"', f'name="{neu}"')
                text = text.replace(f"[{alt}]", f"[{neu}]")
                daten = text.encode("utf-8")
            ziel.writestr(info, daten)


def _ruecklauf(st: Any, kuerzel: str, ziel: Path, zeitpunkt: datetime, aendern: Any = None) -> Path:
    eingaben, felder = demo_daten.eingaben(st, kuerzel)
    if aendern is not None:
        aendern(eingaben, felder)
    ag = st.arbeitsgruppe(kuerzel)
    ziel.parent.mkdir(parents=True, exist_ok=True)
    return erzeugen.arbeitsmappe_schreiben(
        st, ag, ziel, erzeugt_am=zeitpunkt, eingaben=eingaben, felder=felder
    )


def _zeile(eingaben: dict, tabelle: str, nr: int = 0) -> dict:
    return eingaben[tabelle][nr]


def demo(ziel: Path) -> Demo:
    _ordner_vorbereiten(ziel)
    ab = Arbeitsbereich(ziel)
    erzeugen.init(ziel)
    erzeugen.erzeugen(ziel)
    st = stammdaten.lesen(ab.steuerungsmappe)
    basis = datetime(2012, 11, 20, 9, 0)
    fehler: dict[str, str] = {}

    def text_in_zahl(e: dict, _f: dict) -> None:
        _zeile(e, "tbl_Ressourcen", 0)["Kostensatz"] = "1.234,50 €"
        _zeile(e, "tbl_Ressourcen", 1)["Menge"] = "zwei"

    def pflicht_fehlt(e: dict, _f: dict) -> None:
        e["tbl_Projektbeschreibung"] = [z for z in e["tbl_Projektbeschreibung"] if z["Nr"] != "4.2"]

    def fremde_kommune(e: dict, _f: dict) -> None:
        _zeile(e, "tbl_Ressourcen", 0)["Kommune"] = "Stadt Wolfsburg"

    def anteile_falsch(e: dict, f: dict) -> None:
        f["Schluessel"] = "individuell"
        zeilen = e["tbl_Kostenausgleich"]
        for z in zeilen:
            z["Anteil individuell"] = Decimal("0.3")

    def erste_fassung(e: dict, _f: dict) -> None:
        _zeile(e, "tbl_Risiken", 0)["Gegenmaßnahme"] = None
        _zeile(e, "tbl_Risiken", 0)["Eintrittswahrscheinlichkeit"] = 4
        _zeile(e, "tbl_Risiken", 0)["Auswirkung"] = 5

    besonderheiten = {
        "AG-02": (text_in_zahl, "Text in Zahlenfeldern („zwei“, „1.234,50 €“)"),
        "AG-05": (pflicht_fehlt, "Pflichtangabe 4.2 Exit-Strategie fehlt"),
        "AG-06": (fremde_kommune, "Kommune, die nicht Partner ist"),
        "AG-07": (anteile_falsch, "individuelle Anteile ergeben nicht 100 %"),
    }
    for i, ag in enumerate(st.arbeitsgruppen):
        if ag.kuerzel == OHNE_RUECKLAUF:
            fehler[ag.kuerzel] = "kein Rücklauf"
            continue
        zeitpunkt = basis + timedelta(days=i, hours=i)
        aendern, beschreibung = besonderheiten.get(ag.kuerzel, (None, ""))
        unterordner = ab.eingang / ("Mail vom 20.11.2012" if i % 2 else "Laufwerk")
        bezeichnung = ag.bezeichnung.replace("-/", "-").replace(" / ", " - ").replace("/", "-")
        name = f"{ag.kuerzel} {bezeichnung} ausgefüllt.xlsx"
        if ag.kuerzel == "AG-03":
            _ruecklauf(
                st,
                ag.kuerzel,
                unterordner / f"{ag.kuerzel} Entwurf.xlsx",
                zeitpunkt - timedelta(days=5),
                erste_fassung,
            )
            fehler[ag.kuerzel] = (
                "zwei Fassungen: die ältere ohne Gegenmaßnahme, es zählt die neuere"
            )
        pfad = _ruecklauf(st, ag.kuerzel, unterordner / name, zeitpunkt, aendern)
        if beschreibung:
            fehler[ag.kuerzel] = beschreibung
        if ag.kuerzel == "AG-09":
            spalte_umbenennen(pfad, "Menge", "Anzahl")
            fehler[ag.kuerzel] = "Spalte „Menge“ in „Anzahl“ umbenannt"
    (ab.eingang / "Mail vom 20.11.2012" / "~$AG-02 Personalservice ausgefüllt.xlsx").write_bytes(
        b"\x00" * 165
    )
    k = konsolidieren.konsolidieren(ziel)
    _marke_schreiben(ziel)
    return Demo(ziel, k, fehler)
