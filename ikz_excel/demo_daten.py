"""Die Eingaben der Demo-Rückläufe: was eine sorgfältige Arbeitsgruppe in ihre Mappe tippt.

Der Inhalt steht in `vorlagen/demo_ruecklaeufe.yaml`, damit Fachleute Texte und Zahlen ohne
Python ändern können. Dieses Modul übersetzt ihn in genau die Form, die
`erzeugen.arbeitsmappe_schreiben(..., eingaben=..., felder=...)` erwartet, und prüft dabei, was
sonst erst als Befund der Rücklaufprüfung auffiele: Ein Tippfehler in der Vorlage (eine Kommune,
die nicht Partner ist, Anteile, die nicht 100 % ergeben) sähe in der Demo aus wie einer der
absichtlich eingebauten Fehler und würde sie unbrauchbar machen.
"""

from __future__ import annotations

import copy
import functools
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from ikz_excel import pfade

DATEI = "demo_ruecklaeufe.yaml"

# Abschnitt der Vorlage -> Tabelle der Arbeitsmappe (freie Tabellen, Zeilen wie getippt).
TABELLEN: dict[str, str] = {
    "varianten": "tbl_Varianten",
    "staerken_schwaechen": "tbl_StaerkenSchwaechen",
    "ressourcen": "tbl_Ressourcen",
    "nutzen": "tbl_Nutzen",
    "risiken": "tbl_Risiken",
    "meilensteine": "tbl_Meilensteine",
}

# Spalten, deren Werte eine Partnerkommune der Arbeitsgruppe sein müssen.
KOMMUNENSPALTEN = ("Kommune", "Sitzkommune")


class VorlagenFehler(ValueError):
    """Die Demo-Vorlage widerspricht den Stammdaten oder sich selbst."""


@functools.cache
def _vorlage() -> dict[str, Any]:
    """Die Vorlage nur einmal lesen; jeder Aufruf von `eingaben` bekommt eine frische Kopie."""
    pfad = pfade.vorlagen() / DATEI
    with pfad.open(encoding="utf-8") as f:
        daten = yaml.safe_load(f)
    if not isinstance(daten, dict):
        raise VorlagenFehler(f"{pfad}: erwartet eine Zuordnung Arbeitsgruppe -> Eingaben.")
    return daten


def vorhandene_kuerzel() -> list[str]:
    """Die Arbeitsgruppen, für die die Vorlage Eingaben enthält."""
    return list(_vorlage())


def _wert(wert: Any) -> Any:
    """YAML-Gleitkommazahlen als Decimal, damit 0.3 nicht als 0.299999… in die Mappe geht."""
    if isinstance(wert, float):
        return Decimal(str(wert))
    return wert


def _zeile(zeile: dict[str, Any]) -> dict[str, Any]:
    return {str(k): _wert(v) for k, v in zeile.items()}


def _nr(nr: Any, ag: str) -> str:
    # "3.10" ohne Anführungszeichen wäre für YAML die Zahl 3.1: lieber laut scheitern als die
    # Empfohlene Variante stillschweigend unter 3.1 eintragen.
    if not isinstance(nr, str):
        raise VorlagenFehler(
            f"{ag}: Nr {nr!r} der Projektbeschreibung muss in Anführungszeichen stehen."
        )
    return nr


def _prozent_als_anteil(prozent: Any) -> Decimal:
    return Decimal(str(prozent)) / Decimal(100)


def eingaben(st: Any, kuerzel: str) -> tuple[dict[str, list[dict[str, Any]]], dict[str, object]]:
    """Die Eingaben einer Arbeitsgruppe: (Tabelle -> Zeilen nach Spaltenkopf, Felder).

    Vorgegebene Zeilen (Projektbeschreibung, Kostenausgleich, Einschätzung) werden über ihre
    erste Spalte zugeordnet (Nr, Kommune, Kriterium). Die Rückgabe ist jedes Mal neu, damit die
    Demo einzelne Werte verfälschen kann, ohne die Vorlage zu verändern.
    """
    vorlage = _vorlage()
    if kuerzel not in vorlage:
        raise VorlagenFehler(
            f"Für die Arbeitsgruppe {kuerzel} enthält {DATEI} keine Eingaben "
            f"(vorhanden: {', '.join(vorlage)})."
        )
    d = copy.deepcopy(vorlage[kuerzel])
    ag = st.arbeitsgruppe(kuerzel)
    partner = tuple(ag.partner)

    def partner_pruefen(kommune: Any, wo: str) -> None:
        if kommune not in partner:
            raise VorlagenFehler(
                f"{kuerzel}, {wo}: {kommune!r} ist keine Partnerkommune "
                f"(Partner: {', '.join(partner)})."
            )

    ergebnis: dict[str, list[dict[str, Any]]] = {}

    projekt = d.get("projektbeschreibung") or {}
    ergebnis["tbl_Projektbeschreibung"] = [
        {"Nr": _nr(nr, kuerzel), "Eintrag": _wert(eintrag)} for nr, eintrag in projekt.items()
    ]
    if "3.8" in projekt:
        partner_pruefen(projekt["3.8"], "Projektbeschreibung 3.8")

    for abschnitt, tabelle in TABELLEN.items():
        zeilen = [_zeile(z) for z in d.get(abschnitt) or []]
        for i, z in enumerate(zeilen, start=1):
            for spalte in KOMMUNENSPALTEN:
                if z.get(spalte):
                    partner_pruefen(z[spalte], f"{abschnitt} Zeile {i}, {spalte}")
            for spalte, w in z.items():
                if isinstance(w, date) and not st.programmbeginn <= w <= st.programmende:
                    raise VorlagenFehler(
                        f"{kuerzel}, {abschnitt} Zeile {i}: {spalte} {w:%d.%m.%Y} liegt außerhalb "
                        f"der Programmlaufzeit."
                    )
        ergebnis[tabelle] = zeilen

    schluessel = d.get("schluessel") or "Einwohner"
    ergebnis["tbl_Kostenausgleich"] = _kostenausgleich(d, schluessel, partner, kuerzel)

    einschaetzung = d.get("einschaetzung") or {}
    zeilen_e = []
    for kriterium in st.kriterien:
        e = einschaetzung.get(kriterium.name)
        if e is None:
            raise VorlagenFehler(f"{kuerzel}: Einschätzung zum Kriterium {kriterium.name!r} fehlt.")
        zeilen_e.append(
            {"Kriterium": kriterium.name, "Punkte": e["Punkte"], "Begründung": e["Begründung"]}
        )
    ergebnis["tbl_Einschaetzung"] = zeilen_e

    return ergebnis, {"Schluessel": schluessel}


def _kostenausgleich(
    d: dict[str, Any], schluessel: str, partner: tuple[str, ...], kuerzel: str
) -> list[dict[str, Any]]:
    """Eine Zeile je Partner: mit Fallzahl bzw. individuellem Anteil, sonst nur die Kommune.

    Die Zeilen gibt es bei jedem Schlüssel, damit die Demo einen Fehler wie „Anteile ergeben
    nicht 100 %“ durch Überschreiben einzelner Werte einbauen kann. Unvollständige Angaben
    scheitern hier, weil die Prüfung sie sonst als Fehler der AG meldete.
    """
    if schluessel == "Fallzahl":
        fallzahlen = d.get("fallzahlen") or {}
        fehlend = [p for p in partner if p not in fallzahlen]
        fremd = [k for k in fallzahlen if k not in partner]
        if fehlend or fremd:
            raise VorlagenFehler(
                f"{kuerzel}: Fallzahlen passen nicht zu den Partnern (fehlend: {fehlend}, "
                f"keine Partner: {fremd})."
            )
        return [{"Kommune": p, "Fallzahl": _wert(fallzahlen[p])} for p in partner]
    if schluessel == "individuell":
        anteile = d.get("anteile") or {}
        fehlend = [p for p in partner if p not in anteile]
        fremd = [k for k in anteile if k not in partner]
        if fehlend or fremd:
            raise VorlagenFehler(
                f"{kuerzel}: Anteile passen nicht zu den Partnern (fehlend: {fehlend}, "
                f"keine Partner: {fremd})."
            )
        summe = sum((Decimal(str(anteile[p])) for p in partner), Decimal(0))
        if summe != 100:
            raise VorlagenFehler(f"{kuerzel}: Die Anteile ergeben {summe} %, nicht 100 %.")
        return [
            {"Kommune": p, "Anteil individuell": _prozent_als_anteil(anteile[p])} for p in partner
        ]
    return [{"Kommune": p} for p in partner]
