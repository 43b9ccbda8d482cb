"""Gemeinsame Helfer der Benchmarks: synthetisches Programm, Rückläufe, Zeit- und Speichermessung.

Die drei Benchmarks (erzeugen, pruefen, konsolidieren) sollen dasselbe Programm mit vielen
Arbeitsgruppen und dieselben Rückläufe verwenden, damit ihre Zahlen vergleichbar sind; deshalb
steht hier einmal, wie das Programm geklont, wie Rückläufe variiert und verfälscht und wie
Speicher und CPU gemessen werden. Die Benchmarks laufen auf Abruf, geben Zahlen aus und prüfen
nichts: Sie sollen zeigen, wo die Zeit bleibt, nicht einen Build scheitern lassen.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import multiprocessing
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ikz_excel import demo_daten, erzeugen, stammdaten
from ikz_excel.stammdaten import Stammdaten

ORIGINALE = tuple(f"AG-{i:02d}" for i in range(1, 11))
KEIN_FEHLER = "Warnung: "  # Vorsilbe eingebauter Abweichungen, die kein Fehler sind
JEDE_N = 20  # jede 20. AG (5 %) mit einem echten Fehler, eine andere jede 20. mit einer Warnung
SEITE = os.sysconf("SC_PAGE_SIZE")
NEU_SCHREIBEN = "NEU"  # liegt diese Datei im Ordner, werden die Rückläufe neu geschrieben


# Kommandozeile ----------------------------------------------------------------------------------


def argumente(
    beschreibung: str,
    anzahl: int = 1000,
    weitere: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """Dieselben Schalter für alle Benchmarks, damit man sie gleich aufruft; `weitere` ergänzt."""
    p = argparse.ArgumentParser(description=beschreibung)
    p.add_argument("--anzahl", type=int, default=anzahl, help=f"Anzahl Dateien (Standard {anzahl})")
    p.add_argument("--seed", type=int, default=2012, help="Startwert der Zufallsvariation")
    p.add_argument(
        "--ordner",
        type=Path,
        default=None,
        help="Arbeitsordner (bleibt erhalten); ohne Angabe ein temporärer, der gelöscht wird",
    )
    p.add_argument(
        "--runden",
        type=int,
        default=3,
        help="Runden aus Boden und Lauf im Wechsel; berichtet wird der Median (Standard 3), "
        "weil die Rechenzeit auf geteilten Maschinen von Minute zu Minute schwankt",
    )
    p.add_argument(
        "--profil",
        type=int,
        default=0,
        metavar="N",
        help="zusätzlich einen cProfile-Lauf über N Dateien ausgeben (0 = keiner)",
    )
    if weitere is not None:
        weitere(p)
    return p.parse_args()


def arbeitsordner(args: argparse.Namespace, name: str, was: str) -> Path:
    """Der Ordner des Laufs (`--ordner` oder ein temporärer) und die Kopfzeilen der Ausgabe."""
    ordner = args.ordner or Path(tempfile.mkdtemp(prefix=f"ikz_bench_{name}_"))
    ordner.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark {name}: {args.anzahl} {was}, Ordner {ordner}")
    print(f"  Stand des Pakets: {stand()}, Python {sys.version.split()[0]}")
    last = os.getloadavg()[0]
    # Session 21: runs beside a test suite measured 5.4 instead of 3.0 (a core was taken);
    # say so at the top rather than let the ratio be read as the package's.
    unruhig = " – nicht ruhig: nur mit Läufen derselben Minuten vergleichen" if last > 0.7 else ""
    print(f"  Last des Rechners beim Start (1 min): {last:.2f}{unruhig}")
    return ordner


def stand() -> str:
    """Welcher Stand des Pakets gemessen wurde: Zahlen ohne Commit sind nicht nachvollziehbar."""
    import subprocess

    wurzel = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(wurzel), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        geaendert = subprocess.run(
            ["git", "-C", str(wurzel), "status", "--porcelain", "--", "ikz_excel", "schemata"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unbekannt (kein git)"
    return f"{commit}" + (
        " mit lokalen Änderungen in ikz_excel/ oder schemata/" if geaendert else ""
    )


# Messen -----------------------------------------------------------------------------------------


def rss_mb() -> float:
    """Aktuelle Resident Set Size; /proc ist billig genug, um sie mitten im Lauf abzufragen."""
    # bytes, not text: the first text read imports a codec, and a worker forked in the middle
    # of that import (this runs in a thread beside the pool) would wait for it forever
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * SEITE / 2**20


def spitzen_rss_mb() -> float:
    """Höchste RSS des Prozesses seit dem Start (ru_maxrss ist unter Linux in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_sekunden() -> float:
    """CPU-Zeit dieses Prozesses und seiner beendeten Kinder (falls das Paket Prozesse nutzt)."""
    selbst = resource.getrusage(resource.RUSAGE_SELF)
    kinder = resource.getrusage(resource.RUSAGE_CHILDREN)
    return selbst.ru_utime + selbst.ru_stime + kinder.ru_utime + kinder.ru_stime


def median_ms(sekunden: Sequence[float]) -> float:
    return statistics.median(sekunden) * 1000 if sekunden else float("nan")


def quantil_ms(sekunden: Sequence[float], q: float) -> float:
    if not sekunden:
        return float("nan")
    werte = sorted(sekunden)
    return werte[min(len(werte) - 1, int(q * len(werte)))] * 1000


@dataclasses.dataclass
class Lauf:
    """Wand- und CPU-Zeit eines Abschnitts; CPU/Wand zeigt, wie viele Kerne arbeiten."""

    wand: float = 0.0
    cpu: float = 0.0

    @property
    def auslastung(self) -> float:
        return self.cpu / self.wand if self.wand else float("nan")


class Stoppuhr:
    """`with Stoppuhr() as lauf:` misst Wand- und CPU-Zeit des Blocks."""

    def __enter__(self) -> Lauf:
        self.lauf = Lauf()
        self._wand, self._cpu = time.perf_counter(), cpu_sekunden()
        return self.lauf

    def __exit__(self, *_: object) -> None:
        self.lauf.wand = time.perf_counter() - self._wand
        self.lauf.cpu = cpu_sekunden() - self._cpu


class Speicherproben:
    """RSS nach 10 %, 50 % und 100 % der Dateien: zeigt, ob der Speicher mit N wächst.

    `zaehlen()` wird einmal je Datei aufgerufen (aus der Schleife oder aus einem Haken im
    Paket); die Zeit zwischen zwei Aufrufen ist die Zeit je Datei.
    """

    MARKEN = (0.1, 0.5, 1.0)

    def __init__(self, anzahl: int) -> None:
        self.anzahl = anzahl
        self.gezaehlt = 0
        self.proben: list[tuple[str, int, float]] = []
        self.abstaende: list[float] = []
        self._letzt: float | None = None
        self._marken = {max(1, round(m * anzahl)): m for m in self.MARKEN}

    def start(self, uhr: bool = True) -> None:
        """Erste Probe; mit `uhr=False` misst erst der zweite `zaehlen()`-Aufruf einen Abstand."""
        self.proben.append(("Start", 0, rss_mb()))
        self._letzt = time.perf_counter() if uhr else None

    def zaehlen(self) -> None:
        jetzt = time.perf_counter()
        if self._letzt is not None:
            self.abstaende.append(jetzt - self._letzt)
        self._letzt = jetzt
        self.gezaehlt += 1
        if self.gezaehlt in self._marken:
            self.proben.append((f"{self._marken[self.gezaehlt]:.0%}", self.gezaehlt, rss_mb()))

    def ende(self, text: str = "Ende") -> None:
        self.proben.append((text, self.gezaehlt, rss_mb()))

    def text(self) -> str:
        return ", ".join(f"{name} ({n} Dateien) {mb:.0f} MB" for name, n, mb in self.proben)


class Speicherfaden:
    """Tastet die RSS im Hintergrund ab, wo die Schleife im Paket liegt und kein Haken passt."""

    def __init__(self, takt: float = 0.02) -> None:
        self.takt = takt
        self.werte: list[tuple[float, float]] = []
        self._stopp = threading.Event()
        self._faden = threading.Thread(target=self._lauf, daemon=True)

    def _lauf(self) -> None:
        start = time.perf_counter()
        while not self._stopp.is_set():
            self.werte.append((time.perf_counter() - start, rss_mb()))
            self._stopp.wait(self.takt)

    def __enter__(self) -> Speicherfaden:
        self._faden.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopp.set()
        self._faden.join()

    @property
    def hoechstwert(self) -> float:
        return max((mb for _, mb in self.werte), default=float("nan"))

    def text(self) -> str:
        """RSS nach 10 %, 50 % und 100 % der Laufzeit (wo keine Zählung je Datei möglich ist)."""
        if not self.werte:
            return "–"
        ende = self.werte[-1][0]
        teile = []
        for anteil in (0.1, 0.5, 1.0):
            t, mb = next(((t, mb) for t, mb in self.werte if t >= anteil * ende), self.werte[-1])
            teile.append(f"{anteil:.0%} ({t:.1f} s) {mb:.0f} MB")
        return ", ".join(teile)


_PROTOKOLL: dict[str, Any] = {}


def _protokolliert(*args: Any, **kwargs: Any) -> Any:
    """Ersatz für die Lesefunktion des Pakets; schreibt je Datei eine Zeile ins Protokoll.

    Liegt auf Modulebene, damit ein Arbeitsprozess des Pakets (ProcessPoolExecutor mit fork) sie
    per Namen findet; das Original und die Protokolldatei erbt er beim Abzweigen.
    """
    start = time.perf_counter()
    try:
        return _PROTOKOLL["original"](*args, **kwargs)
    finally:
        ende = time.perf_counter()
        zeile = f"{os.getpid()} {start:.6f} {ende:.6f} {rss_mb():.1f}\n"
        os.write(_PROTOKOLL["fd"], zeile.encode("ascii"))


class Dateiprotokoll:
    """Zeit und RSS je Datei, gemessen im Paket, auch wenn es Dateien in Arbeitsprozessen liest.

    Ersetzt `modul.name` (die Funktion, die genau eine Datei liest) für die Dauer des Blocks.
    Jeder Aufruf hängt Prozessnummer, Start, Ende (perf_counter ist unter Linux CLOCK_MONOTONIC,
    also über Prozesse vergleichbar) und RSS an eine Datei an; kurze Zeilen mit O_APPEND kommen
    aus mehreren Prozessen unvermischt an. Der Paketcode bleibt unverändert.
    """

    def __init__(self, modul: Any, name: str, datei: Path) -> None:
        self.modul, self.name, self.datei = modul, name, datei

    def __enter__(self) -> Dateiprotokoll:
        self.datei.unlink(missing_ok=True)
        fd = os.open(self.datei, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        _PROTOKOLL.update(original=getattr(self.modul, self.name), fd=fd)
        setattr(self.modul, self.name, _protokolliert)
        return self

    def __exit__(self, *_: object) -> None:
        setattr(self.modul, self.name, _PROTOKOLL.pop("original"))
        os.close(_PROTOKOLL.pop("fd"))

    def eintraege(self) -> list[tuple[int, float, float, float]]:
        """(Prozess, Start, Ende, RSS in MB) je gelesener Datei, nach Ende sortiert."""
        zeilen = []
        for zeile in self.datei.read_text(encoding="ascii").splitlines():
            pid, start, ende, rss = zeile.split()
            zeilen.append((int(pid), float(start), float(ende), float(rss)))
        return sorted(zeilen, key=lambda z: z[2])

    def dauern(self) -> list[float]:
        return [ende - start for _, start, ende, _ in self.eintraege()]

    def rss_text(self, eltern_pid: int) -> str:
        """RSS je Prozess nach 10 %, 50 % und 100 % der Dateien, die er gelesen hat."""
        je_prozess: dict[int, list[float]] = {}
        for pid, _, _, rss in self.eintraege():
            je_prozess.setdefault(pid, []).append(rss)
        teile = []
        for pid, werte in sorted(je_prozess.items()):
            name = "Hauptprozess" if pid == eltern_pid else f"Arbeitsprozess {pid}"
            marken = [werte[max(0, round(a * len(werte)) - 1)] for a in (0.1, 0.5, 1.0)]
            teile.append(
                f"{name} ({len(werte)} Dateien): "
                + " / ".join(f"{mb:.0f}" for mb in marken)
                + " MB"
            )
        return "; ".join(teile) or "–"


def lesefunktion() -> tuple[Any, str]:
    """Die Funktion, die im Paket genau eine Datei liest und in sich prüft.

    Sie läuft ab einer Mindestzahl Dateien in Arbeitsprozessen; was je Stapel folgt (pandera
    über den Stapel, Querprüfungen, Korrekturexemplare), zählt nicht dazu.
    """
    from ikz_excel import pruefen

    return pruefen, "_datei_pruefen"


def phasen_messen(
    ziele: Sequence[tuple[Any, str]],
) -> tuple[dict[str, float], Callable[[], None], set[str]]:
    """Summiert die Wandzeit je Funktion (z. B. Archiv, Prüfung, Berichte, Übersicht).

    Ruft eine gemessene Funktion eine andere auf (die Berichte schreiben neben sich die
    Übersicht), zählt die innere mit, steht aber in der dritten Rückgabe: So ergeben die
    äußeren Phasen mit der übrigen Zeit genau die Gesamtzeit.
    """
    zeiten: dict[str, float] = {}
    innen: set[str] = set()
    aktiv: list[str] = []
    rueckbau = []
    for modul, name in ziele:
        original = getattr(modul, name)

        def gemessen(*args: Any, _o: Any = original, _n: str = name, **kwargs: Any) -> Any:
            if aktiv:
                innen.add(_n)
            aktiv.append(_n)
            t = time.perf_counter()
            try:
                return _o(*args, **kwargs)
            finally:
                zeiten[_n] = zeiten.get(_n, 0.0) + time.perf_counter() - t
                aktiv.pop()

        setattr(modul, name, gemessen)
        rueckbau.append((modul, name, original))

    def zurueck() -> None:
        for modul, name, original in reversed(rueckbau):
            setattr(modul, name, original)

    return zeiten, zurueck, innen


def profil(funktion: Callable[[], Any], zeilen: int = 25) -> str:
    """cProfile-Auszug nach eigener Zeit und nach kumulierter Zeit (Overhead ca. 1,5–2×)."""
    p = cProfile.Profile()
    p.enable()
    funktion()
    p.disable()
    ausgabe = io.StringIO()
    for sortierung in ("tottime", "cumulative"):
        ausgabe.write(f"\n--- sortiert nach {sortierung} ---\n")
        s = pstats.Stats(p, stream=ausgabe)
        s.strip_dirs().sort_stats(sortierung).print_stats(zeilen)
    return ausgabe.getvalue()


def zeile(text: str, wert: str) -> None:
    print(f"  {text:<52} {wert}")


# Synthetisches Programm -------------------------------------------------------------------------


def original_von(kuerzel: str) -> str:
    """AG-0013 ist ein Klon von AG-03: die Nummer modulo zehn wählt das Vorbild."""
    return ORIGINALE[(int(kuerzel.split("-")[1]) - 1) % len(ORIGINALE)]


def synthetisches_programm(st: Stammdaten, anzahl: int) -> Stammdaten:
    """Das Helmstedter Programm mit `anzahl` Arbeitsgruppen AG-0001 … (Klone der zehn).

    Gebaut über die Tabellen und `aus_rohtabellen`, also mit derselben Umwandlung und Prüfung wie
    eine echte Steuerungsmappe: so passt `st.tabellen` (und die daraus geschriebene
    Steuerungsmappe) zu `st.arbeitsgruppen`, und die Prüfsumme der Stammdaten ist die eines
    echten großen Programms.
    """
    # Umgewandelte Werte zurück in die Form der YAML-Vorlage: Decimal als float, wie ihn YAML
    # liefert (als Decimal käme 0.031 als Text „0.031“ an und wäre mehrdeutig).
    tabellen = {
        name: [{k: float(w) if isinstance(w, Decimal) else w for k, w in z.items()} for z in zeilen]
        for name, zeilen in st.tabellen.items()
    }
    ag_zeilen = {z["AG"]: z for z in st.tabellen["tbl_Arbeitsgruppen"]}
    prio_zeilen = {z["AG"]: z for z in st.tabellen["tbl_Prioritaet"]}
    ags, prio = [], []
    for i in range(1, anzahl + 1):
        kuerzel = f"AG-{i:04d}"
        vorbild = original_von(kuerzel)
        z = dict(ag_zeilen[vorbild])
        z["AG"] = kuerzel
        z["Bezeichnung"] = f"{z['Bezeichnung']} {i:04d}"
        z["Projektauftrag"] = str(z["Projektauftrag"]).replace(vorbild, kuerzel)
        ags.append(z)
        p = dict(prio_zeilen.get(vorbild) or {"Handlungsfeld": z["Handlungsfeld"]})
        p["AG"] = kuerzel
        prio.append(p)
    tabellen["tbl_Arbeitsgruppen"] = ags
    tabellen["tbl_Prioritaet"] = prio
    roh = stammdaten._rohtabellen_aus_daten(tabellen)
    return stammdaten.aus_rohtabellen(roh, f"synthetisch_{anzahl}")


# Rückläufe --------------------------------------------------------------------------------------


def _betrag(wert: Any, rng: random.Random) -> Any:
    if isinstance(wert, (int, float, Decimal)) and not isinstance(wert, bool):
        return max(1, round(float(wert) * rng.uniform(0.7, 1.3)))
    return wert


def variieren(
    st: Stammdaten, eingaben: dict[str, list[dict[str, Any]]], rng: random.Random
) -> None:
    """Plausible Streuung: Beträge, Mengen, Gewichte, Punkte, Termine, mal eine Zeile weniger.

    Alles bleibt gültig (Bereiche, Listen, Programmlaufzeit), damit nur die absichtlich
    eingebauten Fehler als Fehler gezählt werden.
    """
    for z in eingaben.get("tbl_Ressourcen", []):
        z["Kostensatz"] = _betrag(z.get("Kostensatz"), rng)
        if isinstance(z.get("Menge"), int):
            z["Menge"] = max(1, z["Menge"] + rng.randint(-1, 2))
    for z in eingaben.get("tbl_Nutzen", []):
        z["Betrag"] = _betrag(z.get("Betrag"), rng)
    for z in eingaben.get("tbl_StaerkenSchwaechen", []):
        z["Gewicht"] = rng.randint(1, 3)
    for z in eingaben.get("tbl_Risiken", []):
        if z.get("Gegenmaßnahme"):
            z["Eintrittswahrscheinlichkeit"] = rng.randint(1, 5)
            z["Auswirkung"] = rng.randint(1, 5)
    for z in eingaben.get("tbl_Einschaetzung", []):
        z["Punkte"] = rng.randint(1, 3)
    for z in eingaben.get("tbl_Kostenausgleich", []):
        if isinstance(z.get("Fallzahl"), int):
            z["Fallzahl"] = max(1, round(z["Fallzahl"] * rng.uniform(0.8, 1.2)))
    for z in eingaben.get("tbl_Meilensteine", []):
        if isinstance(z.get("Termin"), date):
            neu = z["Termin"] + timedelta(days=rng.randint(-20, 20))
            z["Termin"] = min(max(neu, st.programmbeginn), st.programmende)
    for tabelle in ("tbl_Ressourcen", "tbl_Nutzen", "tbl_StaerkenSchwaechen"):
        zeilen = eingaben.get(tabelle, [])
        if len(zeilen) > 2 and rng.random() < 0.3:
            zeilen.pop()
    for z in eingaben.get("tbl_Projektbeschreibung", []):
        if z["Nr"] == "3.3" and isinstance(z.get("Eintrag"), str):
            z["Eintrag"] += f" Stand der Erhebung: {rng.randint(1, 28)}.{rng.randint(1, 12)}.2012."


def _fehler_text_in_zahl(e: dict, _f: dict) -> None:
    e["tbl_Ressourcen"][0]["Menge"] = "zwei"


def _fehler_pflicht(e: dict, _f: dict) -> None:
    e["tbl_Projektbeschreibung"] = [z for z in e["tbl_Projektbeschreibung"] if z["Nr"] != "4.2"]


def _fehler_fremde_kommune(e: dict, _f: dict) -> None:
    e["tbl_Ressourcen"][0]["Kommune"] = "Stadt Wolfsburg"


def _fehler_anteile(e: dict, f: dict) -> None:
    f["Schluessel"] = "individuell"
    for z in e["tbl_Kostenausgleich"]:
        z.pop("Fallzahl", None)
        z["Anteil individuell"] = Decimal("0.3")


def _fehler_punkte(e: dict, _f: dict) -> None:
    e["tbl_Einschaetzung"][0]["Punkte"] = 7


FEHLERARTEN: dict[str, Callable[[dict, dict], None]] = {
    "Text in Zahlenfeld": _fehler_text_in_zahl,
    "Pflichtangabe fehlt": _fehler_pflicht,
    "Kommune ist kein Partner": _fehler_fremde_kommune,
    "Anteile nicht 100 %": _fehler_anteile,
    "Punkte außerhalb 1–3": _fehler_punkte,
}


def ruecklauf_daten(
    st_standard: Stammdaten, kuerzel: str, seed: int
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any], str]:
    """Eingaben eines Rücklaufs: Demo-Werte des Vorbilds, variiert, in ~5 % mit einem Fehler.

    Die Demo-Daten gibt es nur für AG-01 … AG-10; die Klone haben dieselben Partner, also passen
    die Eingaben des Vorbilds.
    """
    rng = random.Random(f"{seed}:{kuerzel}")
    eingaben, felder = demo_daten.eingaben(st_standard, original_von(kuerzel))
    felder = dict(felder)
    variieren(st_standard, eingaben, rng)
    # Fest jede 20. AG mit Fehler und jede 20. mit Warnung (versetzt): so sind es auch bei
    # kleinem N genau 5 %, und die Fehlerarten wechseln reihum.
    art = ""
    nr = int(kuerzel.split("-")[1])
    if nr % JEDE_N == JEDE_N // 2:
        art = sorted(FEHLERARTEN)[(nr // JEDE_N) % len(FEHLERARTEN)]
        FEHLERARTEN[art](eingaben, felder)
    elif nr % JEDE_N == JEDE_N - 1 and eingaben.get("tbl_Ressourcen"):
        z = eingaben["tbl_Ressourcen"][0]
        z["Kostensatz"] = f"{int(z['Kostensatz']):,}".replace(",", ".") + ",50 €"
        art = KEIN_FEHLER + "Zahl als Text"
    return eingaben, felder, art


_ARBEIT: dict[str, Any] = {}


def _arbeiter_start(st_gross: Stammdaten, seed: int) -> None:
    _ARBEIT["st"] = st_gross
    _ARBEIT["standard"] = stammdaten.standard()
    _ARBEIT["seed"] = seed


def _ein_ruecklauf(auftrag: tuple[str, str, int]) -> tuple[str, str]:
    kuerzel, ziel, fassung = auftrag
    st = _ARBEIT["st"]
    eingaben, felder, art = ruecklauf_daten(_ARBEIT["standard"], kuerzel, _ARBEIT["seed"] + fassung)
    pfad = Path(ziel)
    pfad.parent.mkdir(parents=True, exist_ok=True)
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(kuerzel), pfad, eingaben=eingaben, felder=felder
    )
    return ziel, art


def ruecklaeufe_schreiben(
    st_gross: Stammdaten,
    ordner: Path,
    anzahl: int,
    seed: int,
    prozesse: int | None = None,
    unterordner: int = 1,
    fassungen: int = 1,
) -> tuple[list[Path], dict[str, int]]:
    """`anzahl` ausgefüllte Rückläufe der AGs AG-0001 … in `ordner` (beide Kerne schreiben).

    Mit `fassungen` > 1 schickt jede AG so viele Fassungen (mit anders variierten Werten, also
    anderen Bytes); dann reichen `anzahl / fassungen` Arbeitsgruppen. Die Erzeugung läuft in
    eigenen Prozessen: So zählt ihr Speicher nicht zur Spitzen-RSS des Messprozesses, und die
    Vorbereitung dauert nur halb so lange. Gibt die Pfade (sortiert wie `dateien_finden` sie
    findet) und die Zahl je eingebauter Fehlerart zurück.
    """
    if anzahl > len(st_gross.arbeitsgruppen) * fassungen:
        raise ValueError("mehr Rückläufe als Arbeitsgruppen mal Fassungen")
    auftraege = []
    for i in range(anzahl):
        ag, fassung = st_gross.arbeitsgruppen[i // fassungen], i % fassungen
        nr = int(ag.kuerzel.split("-")[1])
        teil = ordner / f"Postfach {nr % unterordner + 1}" if unterordner > 1 else ordner
        zusatz = f" Fassung {fassung + 1}" if fassungen > 1 else ""
        name = f"{ag.kuerzel} {ag.bezeichnung.replace('/', '-')} ausgefüllt{zusatz}.xlsx"
        auftraege.append((ag.kuerzel, str(teil / name), fassung))
    if (
        all(Path(ziel).exists() for _, ziel, _ in auftraege)
        and not ordner.joinpath(NEU_SCHREIBEN).exists()
    ):
        # --ordner mit den Rückläufen eines früheren Laufs: nur die Fehlerarten neu bestimmen.
        standard = stammdaten.standard()
        ergebnisse = [(z, ruecklauf_daten(standard, k, seed + f)[2]) for k, z, f in auftraege]
        print(f"  (vorhandene Rückläufe in {ordner} wiederverwendet)")
    else:
        kontext = multiprocessing.get_context("fork")
        with kontext.Pool(
            prozesse or os.cpu_count() or 1, _arbeiter_start, (st_gross, seed)
        ) as pool:
            ergebnisse = pool.map(_ein_ruecklauf, auftraege, chunksize=8)
    arten: dict[str, int] = {}
    for _, art in ergebnisse:
        if art:
            arten[art] = arten.get(art, 0) + 1
    return sorted(Path(p) for p, _ in ergebnisse), arten


# Boden: python-calamine ohne Modell --------------------------------------------------------------


def calamine_tabellen(pfad: Path) -> int:
    """Der Boden der Issues: Mappe öffnen, jede Tabelle `.to_python()`; gibt die Zellenzahl."""
    from python_calamine import CalamineWorkbook

    zellen = 0
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        for name in mappe.table_names:
            for reihe in mappe.get_table_by_name(name).to_python():
                zellen += len(reihe)
    return zellen


def calamine_blaetter(pfad: Path) -> int:
    """Zum Vergleich: was das Paket tatsächlich liest (ganze Blätter mit Tabellen und `_ikz`)."""
    from python_calamine import CalamineWorkbook

    zellen = 0
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        blaetter = {mappe.get_table_by_name(n).sheet for n in mappe.table_names} | {"_ikz"}
        for blatt in blaetter:
            for reihe in mappe.get_sheet_by_name(blatt).to_python(skip_empty_area=False):
                zellen += len(reihe)
    return zellen


def boden_messen(
    pfade: Sequence[Path], lesen: Callable[[Path], int] = calamine_tabellen
) -> tuple[list[float], Lauf]:
    """Zeit je Datei und insgesamt für einen nackten Lesevorgang derselben Dateien."""
    zeiten = []
    with Stoppuhr() as lauf:
        for pfad in pfade:
            t = time.perf_counter()
            lesen(pfad)
            zeiten.append(time.perf_counter() - t)
    return zeiten, lauf


def seiten_cache_waermen(pfade: Iterable[Path]) -> None:
    """Alle Dateien einmal lesen, damit weder Boden noch Paket den ersten Plattenzugriff zahlen."""
    for pfad in pfade:
        pfad.read_bytes()


def boden_und_verhaeltnis(
    was: str,
    issue: int,
    lauf: Any,
    je_datei: list[float],
    boden: Any,
    boden_zeiten: list[float],
    vergleich: tuple[Any, list[float]] | None = None,
) -> None:
    """The floor (a bare python-calamine read) and the ratios, printed alike by every benchmark."""
    print("\nBoden (python-calamine: Mappe öffnen, jede Tabelle .to_python())")
    zeile("Median je Datei", f"{median_ms(boden_zeiten):7.2f} ms")
    zeile("gesamt", f"{boden.wand:7.2f} s")
    if vergleich is not None:
        print("Zum Vergleich: ganze Blätter mit Tabellen und _ikz (was das Paket liest)")
        zeile("Median je Datei", f"{median_ms(vergleich[1]):7.2f} ms")
        zeile("gesamt", f"{vergleich[0].wand:7.2f} s")
    print(f"\nVerhältnis {was} / Boden (Ziel laut Issue {issue}: höchstens 3,0)")
    zeile("Wandzeit gesamt / Boden gesamt", f"{lauf.wand / boden.wand:7.1f}")
    zeile("CPU-Zeit gesamt / Boden CPU-Zeit", f"{lauf.cpu / boden.cpu:7.1f}")
    zeile(
        "Median Lesen je Datei / Median Boden",
        f"{median_ms(je_datei) / median_ms(boden_zeiten):7.1f}",
    )


def runden(
    anzahl: int, boden: Callable[[], Lauf], lauf: Callable[[], Lauf]
) -> list[tuple[Lauf, Lauf]]:
    """Boden und Lauf `anzahl`-mal im Wechsel: Schwankungen der Maschine treffen beide gleich.

    Auf einer geteilten virtuellen Maschine ändert sich die Rechenzeit derselben Arbeit von
    Minute zu Minute um bis zu 60 %; ein Verhältnis aus einem Boden von vorhin und einem Lauf
    von jetzt misst dann die Maschine, nicht das Paket.
    """
    ergebnis = []
    for _ in range(anzahl):
        b = boden()
        ergebnis.append((b, lauf()))
    return ergebnis


def runden_ausgeben(was: str, issue: int, ergebnisse: list[tuple[Lauf, Lauf]]) -> None:
    print(f"\nRunden (Boden, dann {was}; Ziel laut Issue {issue}: höchstens 3,0)")
    verhaeltnisse = []
    for i, (b, gemessen) in enumerate(ergebnisse, start=1):
        verhaeltnisse.append(gemessen.wand / b.wand)
        zeile(
            f"Runde {i}: Boden / {was} / Verhältnis",
            f"{b.wand:6.2f} s / {gemessen.wand:6.2f} s / {gemessen.wand / b.wand:5.2f}",
        )
    zeile("Median der Verhältnisse (Wandzeit)", f"{statistics.median(verhaeltnisse):7.2f}")
    zeile("kleinstes / größtes Verhältnis", f"{min(verhaeltnisse):.2f} / {max(verhaeltnisse):.2f}")
