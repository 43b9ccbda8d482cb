"""Benchmark ohne Uhr: Maschinenbefehle je Rücklauf beim Prüfen, gegen den nackten Boden.

Warum: Auf einer geteilten virtuellen Maschine schwankt die Rechenzeit derselben Arbeit von
Minute zu Minute um bis zu 60 %; ein Verhältnis von Zeiten braucht dann viele Runden. valgrind
(callgrind) zählt dagegen die ausgeführten Befehle, und die sind bei gleichem Programm, gleichen
Dateien und gleicher Umgebung jedes Mal dieselben. Gemessen wird je Verfahren zweimal, mit 0
und mit N Dateien nach demselben Aufwärmen; die Differenz geteilt durch N sind die Befehle je
Datei, ohne Start, Importe und Aufwärmen. Verglichen werden:

- Boden: python-calamine öffnet die Mappe und liest jede Tabelle (`.to_python()`),
- prüfen: `pruefen.pruefen` in einem Prozess (die Arbeit je Datei; mit zwei Kernen teilt sie
  sich auf, siehe benchmarks/pruefen.py für Wandzeit und Speicher).

Braucht valgrind (Debian-Paket `valgrind`). Dauer: etwa vier Minuten (valgrind rechnet etwa
fünfzigmal langsamer).

Aufruf: .venv/bin/python benchmarks/befehle.py [--anzahl N] [--ordner O]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import _gemeinsam as g

AUFWAERMEN = 5


def _innen(modus: str, anzahl: int, ordner: Path, programmgroesse: int) -> None:
    """Läuft unter valgrind: aufwärmen, dann `anzahl` Dateien mit dem Verfahren `modus`."""
    from ikz_excel import pruefen, stammdaten

    pfade = sorted((ordner / "eingang").glob("*.xlsx"))
    st = g.synthetisches_programm(stammdaten.standard(), programmgroesse)
    pruefen.ARBEITSPROZESSE = False  # ein Prozess: valgrind zählt nur diesen
    pruefen.pruefen(pfade[:AUFWAERMEN], st)
    for pfad in pfade[:AUFWAERMEN]:
        g.calamine_tabellen(pfad)
    gemessen = pfade[AUFWAERMEN : AUFWAERMEN + anzahl]
    if modus == "boden":
        for pfad in gemessen:
            g.calamine_tabellen(pfad)
    elif gemessen:
        pruefen.pruefen(gemessen, st)


def _befehle(modus: str, anzahl: int, ordner: Path, programmgroesse: int) -> int:
    ergebnis = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--innen",
            modus,
            str(anzahl),
            str(ordner),
            str(programmgroesse),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},  # same hashes, same dict order: same count
    )
    treffer = re.search(r"Collected : (\d+)", ergebnis.stderr)
    if not treffer:
        raise RuntimeError(f"valgrind hat keine Befehlszahl ausgegeben:\n{ergebnis.stderr}")
    return int(treffer.group(1))


def main() -> None:
    args = g.argumente("Befehle je Datei (callgrind): prüfen gegen nacktes python-calamine.", 30)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind fehlt (Debian-Paket valgrind).")
    n = args.anzahl
    ordner = g.arbeitsordner(args, "befehle", "Rückläufe")
    try:
        from ikz_excel import stammdaten

        groesse = n + AUFWAERMEN
        st = g.synthetisches_programm(stammdaten.standard(), groesse)
        g.ruecklaeufe_schreiben(st, ordner / "eingang", groesse, args.seed)
        je_datei = {}
        for modus in ("boden", "prüfen"):
            leer = _befehle(modus, 0, ordner, groesse)
            voll = _befehle(modus, n, ordner, groesse)
            je_datei[modus] = (voll - leer) / n
        print("\nMaschinenbefehle je Datei (callgrind, ohne Start und Aufwärmen)")
        for modus, text in (
            ("boden", "Boden (calamine: Mappe öffnen, jede Tabelle)"),
            ("prüfen", "prüfen (alles je Datei, ein Prozess)"),
        ):
            g.zeile(text, f"{je_datei[modus] / 1e6:7.1f} Mio.")
        g.zeile("Verhältnis prüfen / Boden", f"{je_datei['prüfen'] / je_datei['boden']:7.2f}")
        print(
            "  (Auf zwei Kernen teilt sich die Arbeit; das Verhältnis der Wandzeiten ist etwa die "
            "Hälfte, siehe benchmarks/pruefen.py.)"
        )
    finally:
        if args.ordner is None:
            shutil.rmtree(ordner, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--innen":
        _innen(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
