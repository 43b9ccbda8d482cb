"""Benchmark `ikz pruefen`: N ausgefüllte, variierte Rückläufe gegen einen nackten Lesevorgang.

Warum: Issue 3 verlangt höchstens das Dreifache eines nackten python-calamine-Lesens derselben
Tabellen, flachen Speicher und beide Kerne. Der Boden wird im selben Lauf über dieselben Dateien
gemessen (Seiten-Cache warm für beide). Die Rückläufe sind die Demo-Eingaben der zehn
Arbeitsgruppen, zufällig gestreut, jede 20. mit einem echten Fehler und eine andere jede 20.
mit einer deutsch getippten Zahl; das Programm hat N Arbeitsgruppen, jeder Rücklauf gehört einer.

`pruefen.pruefen` nimmt alle Dateien in einem Aufruf; die Zeit je Datei wird gemessen, indem die
Pfade durch einen zählenden Iterator gereicht werden (Zeit zwischen zwei Dateien = Lesen,
Umwandeln, Felder einer Datei). Was danach kommt (pandera über alle Dateien je Tabelle,
Querprüfungen), ist die Sammelphase.

Aufruf: /tmp/venv/bin/python benchmarks/pruefen.py [--anzahl N] [--profil M]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import _gemeinsam as g

from ikz_excel import pruefen, stammdaten


def main() -> None:
    args = g.argumente("Benchmark: N Rückläufe prüfen, gegen nacktes python-calamine.")
    n = args.anzahl
    ordner = args.ordner or Path(tempfile.mkdtemp(prefix="ikz_bench_pruefen_"))
    ordner.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark pruefen: {n} Rückläufe, Ordner {ordner}")
    print(f"  Stand des Pakets: {g.stand()}, Python {sys.version.split()[0]}")
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

        proben = g.Speicherproben(n)
        with g.Stoppuhr() as lauf, g.Speicherfaden() as faden:
            ergebnis = pruefen.pruefen(g.zaehlende(pfade, proben), st)
        proben.ende("nach Sammelprüfung")
        spitze = g.spitzen_rss_mb()
        je_datei = proben.abstaende
        sammel = lauf.wand - sum(je_datei)

        status = Counter(d.status for d in ergebnis.dateien)
        stufen = Counter(b.stufe for b in ergebnis.befunde)
        eingebaut = sum(v for k, v in arten.items() if not k.startswith(g.KEIN_FEHLER))

        print("\nPrüfen (pruefen.pruefen über alle Dateien in einem Aufruf)")
        g.zeile("gesamt", f"{lauf.wand:7.2f} s")
        g.zeile("je Datei (gesamt / N)", f"{lauf.wand / n * 1000:7.1f} ms")
        g.zeile("Median je Datei (Lesen + Umwandeln)", f"{g.median_ms(je_datei):7.1f} ms")
        g.zeile(
            "90-%-Quantil je Datei (Lesen + Umwandeln)", f"{g.quantil_ms(je_datei, 0.9):7.1f} ms"
        )
        g.zeile("Sammelphase (pandera, Querprüfungen)", f"{sammel:7.2f} s")
        g.zeile("CPU-Zeit / Wandzeit (2 Kerne = 2,0)", f"{lauf.auslastung:7.2f}")
        g.zeile("Spitzen-RSS (ru_maxrss, ganzer Prozess)", f"{spitze:7.0f} MB")
        g.zeile("höchste RSS während der Prüfung (abgetastet)", f"{faden.hoechstwert:7.0f} MB")
        g.zeile("RSS im Verlauf", proben.text())
        zehn = next((mb for name, _, mb in proben.proben if name == "10%"), None)
        voll = next((mb for name, _, mb in proben.proben if name == "100%"), None)
        if zehn is not None and voll is not None and n >= 10:
            g.zeile(
                "Zuwachs je Datei (10 % → 100 %)", f"{(voll - zehn) * 1024 / (0.9 * n):7.1f} KB"
            )
        g.zeile("Aufwärmen (Importe, erste Datei)", f"{warm.wand:7.2f} s")
        g.zeile("Status", ", ".join(f"{k} {v}" for k, v in status.most_common()))
        g.zeile("Befunde", ", ".join(f"{k.value} {v}" for k, v in stufen.most_common()))
        g.zeile("eingebaute Fehler / fehlerhafte Dateien", f"{eingebaut} / {status['fehlerhaft']}")

        print("\nBoden (python-calamine: Mappe öffnen, jede Tabelle .to_python())")
        g.zeile("Median je Datei", f"{g.median_ms(boden_zeiten):7.2f} ms")
        g.zeile("gesamt", f"{boden.wand:7.2f} s")
        print("Zum Vergleich: ganze Blätter mit Tabellen und _ikz (was das Paket liest)")
        g.zeile("Median je Datei", f"{g.median_ms(blatt_zeiten):7.2f} ms")
        g.zeile("gesamt", f"{blaetter.wand:7.2f} s")

        print("\nVerhältnis prüfen / Boden (Ziel laut Issue 3: höchstens 3,0)")
        g.zeile("gesamt / gesamt", f"{lauf.wand / boden.wand:7.1f}")
        g.zeile(
            "Median je Datei / Median Boden",
            f"{g.median_ms(je_datei) / g.median_ms(boden_zeiten):7.1f}",
        )
        g.zeile("gesamt / gesamt (Boden: ganze Blätter)", f"{lauf.wand / blaetter.wand:7.1f}")

        if args.profil:
            m = min(args.profil, n)
            print(f"\nProfil (cProfile) über {m} Dateien")
            t = time.perf_counter()
            print(g.profil(lambda: pruefen.pruefen(pfade[:m], st)))
            print(f"  (Profillauf {time.perf_counter() - t:.1f} s)")
    finally:
        if args.ordner is None:
            shutil.rmtree(ordner, ignore_errors=True)


if __name__ == "__main__":
    main()
