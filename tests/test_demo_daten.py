"""Die Demo-Rückläufe: jede ausgefüllte Mappe besteht die Prüfung und ergibt eine echte Rangfolge.

Die Demo baut ihre absichtlichen Fehler auf diese Eingaben auf; enthielten schon die
„richtigen“ Eingaben einen Fehler, könnte niemand die eingebauten von den versehentlichen
unterscheiden. Deshalb wird jede Mappe so geprüft, wie die Steuerungsgruppe es täte.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ikz_excel import demo_daten, erzeugen, konsolidieren, pruefen, stammdaten
from ikz_excel.demo_daten import VorlagenFehler

ST = stammdaten.standard()
KUERZEL = [ag.kuerzel for ag in ST.arbeitsgruppen]


@dataclass
class Ergebnis:
    pfad: Path
    datei: Any  # pruefen.Dateiergebnis
    kennzahlen: Any  # konsolidieren.Kennzahlen


@pytest.fixture(scope="module")
def ergebnisse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Ergebnis]:
    """Alle zehn Rückläufe einmal schreiben, prüfen und auswerten."""
    ordner = tmp_path_factory.mktemp("demo_daten")
    aus: dict[str, Ergebnis] = {}
    for ag in ST.arbeitsgruppen:
        e, f = demo_daten.eingaben(ST, ag.kuerzel)
        pfad = erzeugen.arbeitsmappe_schreiben(
            ST, ag, ordner / f"{ag.kuerzel}.xlsx", eingaben=e, felder=f
        )
        datei = pruefen.pruefen([pfad], ST).dateien[0]
        aus[ag.kuerzel] = Ergebnis(pfad, datei, konsolidieren.auswerten(datei, ST))
    return aus


def _befunde(datei: Any) -> str:
    return "\n".join(
        f"  {b.stufe.value} {b.regel.value} {b.blatt}!{b.zelle} [{b.spalte}]: {b.meldung}"
        for b in datei.befunde
    )


def test_vorlage_deckt_alle_arbeitsgruppen_ab() -> None:
    assert sorted(demo_daten.vorhandene_kuerzel()) == sorted(KUERZEL)


@pytest.mark.parametrize("kuerzel", KUERZEL)
def test_ruecklauf_ohne_fehler(ergebnisse: dict[str, Ergebnis], kuerzel: str) -> None:
    d = ergebnisse[kuerzel].datei
    fehler = [b for b in d.befunde if b.stufe.value == "Fehler"]
    assert not fehler, f"{kuerzel}: Befunde der Prüfung:\n{_befunde(d)}"
    assert d.arbeitsgruppe == kuerzel


def test_wirtschaftlichkeit_ergibt_eine_rangfolge(ergebnisse: dict[str, Ergebnis]) -> None:
    kapitalwerte = {k: e.kennzahlen.wirtschaftlichkeit.kapitalwert for k, e in ergebnisse.items()}
    positiv = [k for k, w in kapitalwerte.items() if w > 0]
    negativ = [k for k, w in kapitalwerte.items() if w < 0]
    assert len(positiv) >= 3, kapitalwerte
    assert len(negativ) >= 2, kapitalwerte
    # Die Handlungsfelder, die sich nach Fachkonzept nicht tragen, tragen sich auch hier nicht.
    assert kapitalwerte["AG-04"] < 0 and kapitalwerte["AG-10"] < 0
    assert ergebnisse["AG-04"].kennzahlen.wirtschaftlichkeit.amortisationsjahr is None
    # Verschiedene Amortisationsjahre, damit die Übersicht mehr als „ja/nein“ zeigt.
    jahre = {e.kennzahlen.wirtschaftlichkeit.amortisationsjahr for e in ergebnisse.values()}
    assert len(jahre - {None}) >= 3, jahre


def test_schluessel_wechseln_und_anteile_sind_vollstaendig(
    ergebnisse: dict[str, Ergebnis],
) -> None:
    schluessel = {e.kennzahlen.schluessel for e in ergebnisse.values()}
    assert schluessel == {"Einwohner", "Fallzahl", "gleiche Anteile", "individuell"}
    for k, e in ergebnisse.items():
        anteile = e.kennzahlen.anteile
        assert anteile is not None, k
        assert sum(anteile.values()) == 1, (k, anteile)
        assert set(anteile) == set(ST.arbeitsgruppe(k).partner), k


@pytest.mark.parametrize("kuerzel", KUERZEL)
def test_eingaben_haben_die_erwartete_form(kuerzel: str) -> None:
    e, f = demo_daten.eingaben(ST, kuerzel)
    ag = ST.arbeitsgruppe(kuerzel)
    assert f["Schluessel"] in ("Einwohner", "Fallzahl", "gleiche Anteile", "individuell")

    projekt = {z["Nr"]: z["Eintrag"] for z in e["tbl_Projektbeschreibung"]}
    erwartet = {"2.3", *(f"3.{i}" for i in range(1, 11)), "4.1", "4.2", "5.1", "5.2"}
    assert erwartet - {"3.7"} <= set(projekt), sorted(erwartet - set(projekt))
    assert projekt["3.6"] == "keine" or projekt.get("3.7")
    assert projekt["3.8"] in ag.partner
    varianten = [z["Variante"] for z in e["tbl_Varianten"]]
    assert projekt["3.10"] in varianten
    assert 2 <= len(varianten) <= 3

    assert 4 <= len(e["tbl_StaerkenSchwaechen"]) <= 8
    assert 3 <= len(e["tbl_Ressourcen"]) <= 8
    assert 3 <= len(e["tbl_Nutzen"]) <= 6
    assert 3 <= len(e["tbl_Risiken"]) <= 6
    assert 3 <= len(e["tbl_Meilensteine"]) <= 5

    for z in e["tbl_Ressourcen"]:
        for spalte in ("Menge", "Kostensatz", "ab Jahr"):
            assert isinstance(z[spalte], (int, Decimal)) and not isinstance(z[spalte], bool), z
    for z in e["tbl_Nutzen"]:
        assert isinstance(z["Betrag"], (int, Decimal)), z
    for z in e["tbl_Risiken"]:
        if z["Eintrittswahrscheinlichkeit"] * z["Auswirkung"] >= 15:
            assert z.get("Gegenmaßnahme"), z
    for z in e["tbl_Meilensteine"]:
        assert z["Phase"] in ST.phasen, z
        assert isinstance(z["Termin"], date), z
        assert date(2012, 8, 1) <= z["Termin"] <= date(2014, 12, 31), z

    kriterien = [z["Kriterium"] for z in e["tbl_Einschaetzung"]]
    assert kriterien == [k.name for k in ST.kriterien]
    assert all(z["Punkte"] in (1, 2, 3) and z["Begründung"] for z in e["tbl_Einschaetzung"])

    if f["Schluessel"] == "individuell":
        anteile = [z["Anteil individuell"] for z in e["tbl_Kostenausgleich"]]
        assert all(isinstance(a, Decimal) for a in anteile)
        assert sum(anteile) == 1
    # Eine Zeile je Partner bei jedem Schlüssel: die Demo verfälscht Werte in diesen Zeilen.
    assert [z["Kommune"] for z in e["tbl_Kostenausgleich"]] == list(ag.partner)
    if f["Schluessel"] == "Fallzahl":
        assert all(isinstance(z["Fallzahl"], (int, Decimal)) for z in e["tbl_Kostenausgleich"])


def test_jeder_aufruf_liefert_eine_frische_kopie() -> None:
    """Die Demo verfälscht einzelne Werte; das darf den nächsten Rücklauf nicht treffen."""
    e, f = demo_daten.eingaben(ST, "AG-02")
    e["tbl_Ressourcen"][0]["Kostensatz"] = "1.234,50 €"
    f["Schluessel"] = "individuell"
    e2, f2 = demo_daten.eingaben(ST, "AG-02")
    assert e2["tbl_Ressourcen"][0]["Kostensatz"] != "1.234,50 €"
    assert f2["Schluessel"] == "Fallzahl"


def test_unbekannte_arbeitsgruppe() -> None:
    with pytest.raises(VorlagenFehler, match="AG-99"):
        demo_daten.eingaben(ST, "AG-99")
