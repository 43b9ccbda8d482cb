"""Benchmark `ikz konsolidieren`: N Rückläufe durch Archiv, Prüfung, Berichte und Übersicht.

Warum: Issue 4 verlangt höchstens das Dreifache desselben nackten python-calamine-Lesens wie im
Prüf-Benchmark und flachen Speicher. Der Arbeitsbereich wird wie beim Anwender angelegt: eine
Stammdatenmappe mit N Arbeitsgruppen (Klone der zehn Helmstedter AGs, mit Zeilen in
Arbeitsgruppen und Prioritaet), `erzeugen.init(..., stammdaten_datei=...)` liest sie und schreibt
die Steuerungsmappe, die N Rückläufe liegen in drei Unterordnern von `eingang/`. Jede AG hat
genau einen Rücklauf, so entstehen N Zeilen in der Übersicht (der ungünstige Fall). Mit
`--fassungen K` schickt jede von N/K AGs K Fassungen: dieselbe Zahl Dateien, eine K-mal kleinere
Übersicht; so trennt sich, was mit der Zahl der Dateien wächst, von dem, was mit der Zahl der
AGs (der Größe der Übersicht) wächst.

Die Zeiten der Phasen (Stammdaten lesen, Archiv, Speicherdatum, Prüfung, Auswertung, Berichte,
Übersicht) werden gemessen, indem die Funktionen des Pakets für die Dauer des Laufs umhüllt
werden; der Paketcode bleibt unverändert. Zeit und RSS je gelesener Datei kommen aus einem
Protokoll um die Lesefunktion des Pakets, auch wenn es in Arbeitsprozessen liest. Danach ein
zweiter Lauf ohne neue Dateien, wie ihn die Steuerungsgruppe vor jeder Sitzung macht.

Danach weitere Runden aus Boden und erstem Lauf im Wechsel (`--runden`, Standard 3); der Median
ihrer Verhältnisse ist die Zahl, die zählt.

Aufruf: .venv/bin/python benchmarks/konsolidieren.py [--anzahl N] [--fassungen K] [--runden R]
[--ordner O] [--profil M]
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from pathlib import Path

import _gemeinsam as g

from ikz_excel import berichte, erzeugen, konsolidieren, pruefen, stammdaten, uebersicht

PHASEN = (
    (stammdaten, "lesen"),
    (konsolidieren, "archivieren"),
    (pruefen, "pruefen"),
    (konsolidieren, "eingangsbuch_ergaenzen"),
    (konsolidieren, "auswerten"),
    (konsolidieren, "punkte_vorschlagen"),
    (berichte, "berichte_schreiben"),
    (uebersicht, "schreiben"),
)
PHASENTEXT = {
    "lesen": "Steuerungsmappe lesen",
    "archivieren": "Archiv (SHA-256, Kopie)",
    "pruefen": "Prüfung, Kennzahlen je Datei (pruefen.pruefen)",
    "eingangsbuch_ergaenzen": "Eingangsbuch",
    "auswerten": "Kennzahlen (auswerten, in der Prüfung)",
    "punkte_vorschlagen": "Punkte vorschlagen",
    "berichte_schreiben": "Korrekturexemplare neben Übersicht; Prüfbericht",
    "schreiben": "Lenkungsgruppe_Uebersicht.xlsx",
}


def _frisch(bereich: Path, mit_steuerungsmappe: bool = False) -> None:
    """Ein Arbeitsbereich wie vor dem ersten Konsolidieren: nur eingang/ bleibt."""
    for teil in ("archiv", "berichte", "ausgang"):
        shutil.rmtree(bereich / teil, ignore_errors=True)
    (bereich / "Lenkungsgruppe_Uebersicht.xlsx").unlink(missing_ok=True)
    if mit_steuerungsmappe:
        (bereich / "Steuerungsmappe.xlsm").unlink(missing_ok=True)


def main() -> None:
    args = g.argumente(
        "Benchmark: N Rückläufe konsolidieren, gegen nacktes python-calamine.",
        weitere=lambda p: p.add_argument(
            "--fassungen", type=int, default=1, help="Fassungen je AG (Standard 1: N AGs)"
        ),
    )
    n, k_fassungen = args.anzahl, max(1, args.fassungen)
    ags = -(-n // k_fassungen)
    ordner = g.arbeitsordner(args, "konsolidieren", f"Rückläufe von {ags} AGs")
    try:
        st = g.synthetisches_programm(stammdaten.standard(), ags)
        stamm = ordner / f"Stammdaten_{ags}_AGs.xlsx"
        bereich = ordner / (
            "arbeitsbereich" + (f"_{k_fassungen}_fassungen" if k_fassungen > 1 else "")
        )
        with g.Stoppuhr() as einrichten:
            erzeugen.steuerungsmappe_schreiben(st, stamm)
            _frisch(bereich, mit_steuerungsmappe=True)
            erzeugen.init(bereich, stammdaten_datei=stamm)
        print(
            f"  Steuerungsmappe mit {n} Arbeitsgruppen über init --stammdaten: "
            f"{einrichten.wand:.1f} s"
        )
        with g.Stoppuhr() as erzeugung:
            pfade, arten = g.ruecklaeufe_schreiben(
                st, bereich / "eingang", n, args.seed, unterordner=3, fassungen=k_fassungen
            )
        print(
            f"  {n} Rückläufe geschrieben in {erzeugung.wand:.1f} s (2 Prozesse); eingebaut: "
            + ", ".join(f"{k} {v}" for k, v in sorted(arten.items()))
        )
        g.seiten_cache_waermen(pfade)
        boden_zeiten, boden = g.boden_messen(pfade, g.calamine_tabellen)

        protokoll = g.Dateiprotokoll(*g.lesefunktion(), ordner / "protokoll.txt")
        phasen, phasen_rueckbau, innen = g.phasen_messen(PHASEN)
        try:
            with g.Stoppuhr() as lauf, g.Speicherfaden() as faden, protokoll:
                k = konsolidieren.konsolidieren(bereich)
            spitze = g.spitzen_rss_mb()
            je_datei = protokoll.dauern()
            erster = dict(phasen)
            phasen.clear()
            with g.Stoppuhr() as zweiter:
                konsolidieren.konsolidieren(bereich)
            zweiter_phasen = dict(phasen)
        finally:
            phasen_rueckbau()

        status = Counter(d.status for d in k.pruefung.dateien)
        korrekturen = len(list((bereich / "berichte").glob("Korrektur_*.xlsx")))
        gueltig = sum(1 for s in k.ags if s.gueltig)
        eingebaut = sum(v for name, v in arten.items() if not name.startswith(g.KEIN_FEHLER))

        print("\nKonsolidieren (konsolidieren.konsolidieren, erster Lauf)")
        g.zeile("gesamt", f"{lauf.wand:7.2f} s")
        g.zeile("je Datei (gesamt / N)", f"{lauf.wand / n * 1000:7.1f} ms")
        g.zeile("Median je Datei: lesen und in sich prüfen", f"{g.median_ms(je_datei):7.1f} ms")
        g.zeile("CPU-Zeit / Wandzeit (2 Kerne = 2,0)", f"{lauf.auslastung:7.2f}")
        g.zeile("Spitzen-RSS (ru_maxrss, ganzer Prozess)", f"{spitze:7.0f} MB")
        g.zeile("höchste RSS während des Laufs (abgetastet)", f"{faden.hoechstwert:7.0f} MB")
        g.zeile("RSS Hauptprozess über die Laufzeit", faden.text())
        g.zeile("RSS je Prozess nach 10/50/100 % seiner Dateien", protokoll.rss_text(os.getpid()))
        print("  Phasen (Wandzeit, erster / zweiter Lauf):")
        for _, name in PHASEN:
            g.zeile(
                f"  {'  darin ' if name in innen else ''}{PHASENTEXT[name]}",
                f"{erster.get(name, 0):7.2f} s / {zweiter_phasen.get(name, 0):7.2f} s",
            )
        rest = lauf.wand - sum(t for name, t in erster.items() if name not in innen)
        g.zeile("  übrige Zeit", f"{rest:7.2f} s")
        g.zeile("zweiter Lauf (nichts Neues in eingang/)", f"{zweiter.wand:7.2f} s")
        g.zeile("Status der Rückläufe", ", ".join(f"{s} {z}" for s, z in status.most_common()))
        g.zeile("eingebaute Fehler / fehlerhafte Dateien", f"{eingebaut} / {status['fehlerhaft']}")
        g.zeile("Korrekturexemplare / gültige AGs in der Übersicht", f"{korrekturen} / {gueltig}")

        g.boden_und_verhaeltnis("konsolidieren", 4, lauf, je_datei, boden, boden_zeiten)

        def erster_lauf() -> g.Lauf:
            _frisch(bereich)
            with g.Stoppuhr() as gemessen:
                konsolidieren.konsolidieren(bereich)
            return gemessen

        weitere = g.runden(max(0, args.runden - 1), lambda: g.boden_messen(pfade)[1], erster_lauf)
        g.runden_ausgeben("konsolidieren (erster Lauf)", 4, [(boden, lauf), *weitere])

        if args.profil:
            m = min(args.profil, n)
            klein = ordner / "profil"
            shutil.rmtree(klein, ignore_errors=True)
            shutil.copytree(bereich / "eingang", klein / "eingang_alle")
            erzeugen.init(klein, stammdaten_datei=stamm)
            for pfad in sorted((klein / "eingang_alle").rglob("*.xlsx"))[:m]:
                ziel = klein / "eingang" / pfad.relative_to(klein / "eingang_alle")
                ziel.parent.mkdir(parents=True, exist_ok=True)
                pfad.replace(ziel)
            # cProfile sieht keine Arbeitsprozesse: für das Profil liest der Hauptprozess selbst.
            pruefen.ARBEITSPROZESSE = False
            print(f"\nProfil (cProfile) über {m} Dateien (erster Lauf), alles im Hauptprozess")
            t = time.perf_counter()
            try:
                print(g.profil(lambda: konsolidieren.konsolidieren(klein)))
            finally:
                pruefen.ARBEITSPROZESSE = True
            print(f"  (Profillauf {time.perf_counter() - t:.1f} s)")
    finally:
        if args.ordner is None:
            shutil.rmtree(ordner, ignore_errors=True)


if __name__ == "__main__":
    main()
