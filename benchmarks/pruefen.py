"""Benchmark `ikz pruefen`: N ausgefüllte, variierte Rückläufe gegen einen nackten Lesevorgang.

Warum: Issue 3 verlangt höchstens das Dreifache eines nackten python-calamine-Lesens derselben
Tabellen, flachen Speicher und beide Kerne. Der Boden wird im selben Lauf über dieselben Dateien
gemessen (Seiten-Cache warm für beide). Die Rückläufe sind die Demo-Eingaben der zehn
Arbeitsgruppen, zufällig gestreut, jede 20. mit einem echten Fehler und eine andere jede 20.
mit einer deutsch getippten Zahl; das Programm hat N Arbeitsgruppen, jeder Rücklauf gehört einer.

`pruefen.pruefen` nimmt alle Dateien in einem Aufruf und prüft sie ab einer Mindestzahl in
Stapeln in Arbeitsprozessen, so wie `ikz pruefen` (ohne Berichte: `inhalte=False`, die
Korrekturexemplare entstehen dort im Arbeitsprozess). Zeit und RSS je Datei misst ein Protokoll
um die Funktion, die eine Datei liest und in sich prüft (siehe `_gemeinsam.Dateiprotokoll`), auch
in den Arbeitsprozessen; pandera und Querprüfungen folgen je Stapel. Die CPU-Zeit zählt die
Arbeitsprozesse mit: CPU/Wand zeigt, ob beide Kerne arbeiten. Zum Vergleich der Speicher eines
Laufs, der die Inhalte behält (wie `konsolidieren`).

Weil die Rechenzeit auf geteilten Maschinen schwankt, folgen weitere Runden aus Boden und Lauf
im Wechsel (`--runden`, Standard 3); der Median ihrer Verhältnisse ist die Zahl, die zählt.

Aufruf: .venv/bin/python benchmarks/pruefen.py [--anzahl N] [--runden R] [--ordner O] [--profil M]
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter

import _gemeinsam as g

from ikz_excel import pruefen, stammdaten


def main() -> None:
    args = g.argumente("Benchmark: N Rückläufe prüfen, gegen nacktes python-calamine.")
    n = args.anzahl
    ordner = g.arbeitsordner(args, "pruefen", "Rückläufe")
    try:
        st = g.synthetisches_programm(stammdaten.standard(), n)
        with g.Stoppuhr() as erzeugung:
            pfade, arten = g.ruecklaeufe_schreiben(st, ordner / "eingang", n, args.seed)
        print(
            f"  {n} Rückläufe geschrieben in {erzeugung.wand:.1f} s (2 Prozesse); eingebaut: "
            + ", ".join(f"{k} {v}" for k, v in sorted(arten.items()))
        )
        g.seiten_cache_waermen(pfade)

        # Aufwärmen: Importe von pandas/pandera und Caches der Definitionen; zählt nicht mit.
        with g.Stoppuhr() as warm:
            pruefen.pruefen(pfade[:1], st)

        boden_zeiten, boden = g.boden_messen(pfade, g.calamine_tabellen)
        blatt_zeiten, blaetter = g.boden_messen(pfade, g.calamine_blaetter)

        protokoll = g.Dateiprotokoll(*g.lesefunktion(), ordner / "protokoll.txt")
        with g.Stoppuhr() as lauf, g.Speicherfaden() as faden, protokoll:
            start = time.perf_counter()
            ergebnis = pruefen.pruefen(pfade, st, inhalte=False)
        spitze = g.spitzen_rss_mb()
        eintraege = protokoll.eintraege()
        je_datei = protokoll.dauern()
        prozesse = {pid for pid, *_ in eintraege}
        lesephase = max((ende for _, _, ende, _ in eintraege), default=start) - start
        rest = lauf.wand - lesephase

        status = Counter(d.status for d in ergebnis.dateien)
        stufen = Counter(b.stufe for b in ergebnis.befunde)
        eingebaut = sum(v for k, v in arten.items() if not k.startswith(g.KEIN_FEHLER))

        print("\nPrüfen (pruefen.pruefen über alle Dateien, inhalte=False wie bei `ikz pruefen`)")
        g.zeile("gesamt", f"{lauf.wand:7.2f} s")
        g.zeile("je Datei (gesamt / N)", f"{lauf.wand / n * 1000:7.1f} ms")
        g.zeile(f"bis zur letzten Datei ({len(prozesse)} Prozess(e))", f"{lesephase:7.2f} s")
        g.zeile("  Median je Datei: lesen und in sich prüfen", f"{g.median_ms(je_datei):7.1f} ms")
        g.zeile("  90-%-Quantil je Datei", f"{g.quantil_ms(je_datei, 0.9):7.1f} ms")
        g.zeile("danach (letzter Stapel: pandera, Querprüfungen; sammeln)", f"{rest:7.2f} s")
        g.zeile("CPU-Zeit / Wandzeit (2 Kerne = 2,0)", f"{lauf.auslastung:7.2f}")
        g.zeile("CPU-Zeit gesamt (alle Prozesse)", f"{lauf.cpu:7.2f} s")
        g.zeile("Spitzen-RSS Hauptprozess (ru_maxrss)", f"{spitze:7.0f} MB")
        g.zeile("RSS Hauptprozess über die Laufzeit", faden.text())
        g.zeile("RSS je Prozess nach 10/50/100 % seiner Dateien", protokoll.rss_text(os.getpid()))
        g.zeile("Aufwärmen (Importe, erste Datei)", f"{warm.wand:7.2f} s")
        g.zeile("Status", ", ".join(f"{k} {v}" for k, v in status.most_common()))
        g.zeile("Befunde", ", ".join(f"{k.value} {v}" for k, v in stufen.most_common()))
        g.zeile("eingebaute Fehler / fehlerhafte Dateien", f"{eingebaut} / {status['fehlerhaft']}")

        g.boden_und_verhaeltnis(
            "prüfen", 3, lauf, je_datei, boden, boden_zeiten, (blaetter, blatt_zeiten)
        )
        g.zeile("Wandzeit gesamt / Boden ganze Blätter", f"{lauf.wand / blaetter.wand:7.1f}")

        # Zum Vergleich mit Inhalten, wie `konsolidieren` sie für die Übersicht braucht.
        with g.Speicherfaden() as faden_inhalte:
            mit_inhalten = pruefen.pruefen(pfade, st)
        g.zeile("RSS Hauptprozess mit Inhalten (konsolidieren)", faden_inhalte.text())
        del mit_inhalten

        def nur_pruefen() -> g.Lauf:
            with g.Stoppuhr() as gemessen:
                pruefen.pruefen(pfade, st, inhalte=False)
            return gemessen

        weitere = g.runden(max(0, args.runden - 1), lambda: g.boden_messen(pfade)[1], nur_pruefen)
        g.runden_ausgeben("prüfen", 3, [(boden, lauf), *weitere])

        if args.profil:
            m = min(args.profil, n)
            # cProfile sieht keine Arbeitsprozesse: für das Profil liest der Hauptprozess selbst.
            pruefen.ARBEITSPROZESSE = False
            print(f"\nProfil (cProfile) über {m} Dateien, alles im Hauptprozess")
            t = time.perf_counter()
            try:
                print(g.profil(lambda: pruefen.pruefen(pfade[:m], st)))
            finally:
                pruefen.ARBEITSPROZESSE = True
            print(f"  (Profillauf {time.perf_counter() - t:.1f} s)")
    finally:
        if args.ordner is None:
            shutil.rmtree(ordner, ignore_errors=True)


if __name__ == "__main__":
    main()
