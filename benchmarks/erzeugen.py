"""Benchmark `ikz erzeugen`: N Arbeitsmappen eines synthetischen Programms gegen den Boden.

Warum: Issue 2 verlangt höchstens das Doppelte eines nackten XlsxWriter-Schreibens derselben
Zellen und einen Speicherbedarf, der nicht mit der Zahl der Mappen wächst. Der Boden wird im
selben Lauf gemessen (gleiche Maschine, gleicher Seiten-Cache): eine erzeugte Mappe wird mit
openpyxl zurückgelesen und ihr Inhalt (Werte, Formeln, Formate je Zelle, Gültigkeitsprüfungen,
Tabellen, Namen) N-mal als schlichte Schreibaufrufe ohne Definitionen, Stammdaten oder
Berechnung geschrieben. Dazu die Startzeit von `ikz --help`, die Issue 2 „deutlich unter einer
halben Sekunde“ verlangt.

Aufruf: /tmp/venv/bin/python benchmarks/erzeugen.py [--anzahl N] [--profil M]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import _gemeinsam as g

from ikz_excel import definition, erzeugen, stammdaten

# Boden: die Mappe als schlichte Schreibaufrufe ---------------------------------------------------

VALIDIERUNGSTYPEN = {
    "whole": "integer",
    "decimal": "decimal",
    "list": "list",
    "date": "date",
    "time": "time",
    "textLength": "length",
    "custom": "custom",
}
OPERATOREN = {
    None: "between",
    "between": "between",
    "notBetween": "not between",
    "equal": "==",
    "notEqual": "!=",
    "greaterThan": ">",
    "lessThan": "<",
    "greaterThanOrEqual": ">=",
    "lessThanOrEqual": "<=",
}


@dataclass
class Blattinhalt:
    name: str
    zustand: str
    zellen: list[tuple[int, int, Any, tuple]] = field(default_factory=list)
    validierungen: list[dict[str, Any]] = field(default_factory=list)
    tabellen: list[tuple[str, str, list[str]]] = field(default_factory=list)
    verbunden: list[str] = field(default_factory=list)
    bedingte_formate: list[str] = field(default_factory=list)
    diagramme: int = 0


@dataclass
class Mappeninhalt:
    blaetter: list[Blattinhalt]
    namen: list[tuple[str, str]]

    def zaehlen(self) -> dict[str, int]:
        zellen = [z for b in self.blaetter for z in b.zellen]
        return {
            "Blätter": len(self.blaetter),
            "Zellen (mit Wert oder Format)": len(zellen),
            "davon Formeln": sum(
                1 for z in zellen if isinstance(z[2], str) and z[2].startswith("=")
            ),
            "Gültigkeitsprüfungen": sum(len(b.validierungen) for b in self.blaetter),
            "Tabellen": sum(len(b.tabellen) for b in self.blaetter),
            "Namen": len(self.namen),
            "bedingte Formate": sum(len(b.bedingte_formate) for b in self.blaetter),
            "Diagramme": sum(b.diagramme for b in self.blaetter),
            "Formate": len({z[3] for z in zellen}),
        }


def _formatschluessel(zelle: Any) -> tuple:
    fuellung = zelle.fill.fgColor.rgb if zelle.fill.fill_type == "solid" else None
    return (
        zelle.number_format,
        bool(zelle.protection.locked),
        bool(zelle.font.b),
        fuellung if isinstance(fuellung, str) else None,
        bool(zelle.alignment.wrap_text),
    )


def _diagramme_je_blatt(pfad: Path) -> dict[int, int]:
    """openpyxl verwirft Diagramme beim Laden; gezählt wird darum im Zip (Blattnummer -> Anzahl)."""
    import re
    import zipfile

    with zipfile.ZipFile(pfad) as z:
        namen = z.namelist()
        diagramme_je_zeichnung = {
            n: z.read(n).count(b"charts/chart")
            for n in namen
            if re.fullmatch(r"xl/drawings/_rels/drawing\d+\.xml\.rels", n)
        }
        ergebnis = {}
        for n in namen:
            treffer = re.fullmatch(r"xl/worksheets/_rels/sheet(\d+)\.xml\.rels", n)
            if not treffer:
                continue
            for zeichnung in re.findall(rb"drawings/(drawing\d+\.xml)", z.read(n)):
                rels = f"xl/drawings/_rels/{zeichnung.decode()}.rels"
                ergebnis[int(treffer.group(1)) - 1] = diagramme_je_zeichnung.get(rels, 0)
    return ergebnis


def inhalt_lesen(pfad: Path) -> Mappeninhalt:
    """Was in einer erzeugten Mappe steht, so wie openpyxl es sieht (einmal, nicht gemessen)."""
    import openpyxl

    mappe = openpyxl.load_workbook(pfad)
    diagramme = _diagramme_je_blatt(pfad)
    blaetter = []
    for i, ws in enumerate(mappe.worksheets):
        b = Blattinhalt(ws.title, ws.sheet_state, diagramme=diagramme.get(i, 0))
        for cf in ws.conditional_formatting:
            b.bedingte_formate += [str(cf.sqref)] * len(cf.rules)
        for reihe in ws.iter_rows():
            for z in reihe:
                if z.value is None and not z.has_style:
                    continue
                b.zellen.append((z.row - 1, z.column - 1, z.value, _formatschluessel(z)))
        for dv in ws.data_validations.dataValidation:
            b.validierungen.append(
                {
                    "bereich": str(dv.sqref),
                    "typ": dv.type,
                    "operator": dv.operator,
                    "formel1": dv.formula1,
                    "formel2": dv.formula2,
                    "titel": dv.promptTitle,
                    "hilfe": dv.prompt,
                    "fehlertitel": dv.errorTitle,
                    "fehler": dv.error,
                }
            )
        for t in ws.tables.values():
            b.tabellen.append((t.name, t.ref, [s.name for s in t.tableColumns]))
        b.verbunden = [str(r) for r in ws.merged_cells.ranges]
        blaetter.append(b)
    namen = [(n, d.attr_text) for n, d in mappe.defined_names.items()]
    return Mappeninhalt(blaetter, namen)


def boden_schreiben(inhalt: Mappeninhalt, ziel: Path) -> None:
    """Dieselben Zellen mit XlsxWriter, ohne Modell: eine Schleife über gespeicherte Werte."""
    import xlsxwriter
    from openpyxl.worksheet.formula import ArrayFormula
    from xlsxwriter.utility import xl_cell_to_rowcol

    mappe = xlsxwriter.Workbook(str(ziel), {"strings_to_formulas": False, "strings_to_urls": False})
    formate: dict[tuple, Any] = {}
    rot = ("General", True, False, "FFFFC7CE", False)

    def format_fuer(schluessel: tuple) -> Any:
        if schluessel not in formate:
            zahl, gesperrt, fett, farbe, umbruch = schluessel
            eigenschaften: dict[str, Any] = {"num_format": zahl, "locked": gesperrt}
            if fett:
                eigenschaften["bold"] = True
            if farbe:
                eigenschaften["bg_color"] = "#" + farbe[-6:]
            if umbruch:
                eigenschaften["text_wrap"] = True
            formate[schluessel] = mappe.add_format(eigenschaften)
        return formate[schluessel]

    for b in inhalt.blaetter:
        ws = mappe.add_worksheet(b.name)
        for r, c, wert, schluessel in b.zellen:
            fmt = format_fuer(schluessel)
            if wert is None:
                ws.write_blank(r, c, None, fmt)
            elif isinstance(wert, ArrayFormula):
                ws.write_array_formula(wert.ref, wert.text, fmt)
            elif isinstance(wert, str) and wert.startswith("="):
                ws.write_formula(r, c, wert, fmt, 0)
            elif isinstance(wert, str):
                ws.write_string(r, c, wert, fmt)
            elif isinstance(wert, bool):
                ws.write_boolean(r, c, wert, fmt)
            elif isinstance(wert, (datetime, date)):
                ws.write_datetime(r, c, wert, fmt)
            else:
                ws.write_number(r, c, wert, fmt)
        for bereich in b.verbunden:
            erste, letzte = bereich.split(":")
            (r1, c1), (r2, c2) = xl_cell_to_rowcol(erste), xl_cell_to_rowcol(letzte)
            ws.merge_range(r1, c1, r2, c2, None)
        for name, ref, koepfe in b.tabellen:
            erste, letzte = ref.split(":")
            (r1, c1), (r2, c2) = xl_cell_to_rowcol(erste), xl_cell_to_rowcol(letzte)
            ws.add_table(
                r1,
                c1,
                r2,
                c2,
                {"name": name, "autofilter": False, "columns": [{"header": k} for k in koepfe]},
            )
        for bereich in b.bedingte_formate:
            ws.conditional_format(
                bereich, {"type": "formula", "criteria": "=TRUE", "format": format_fuer(rot)}
            )
        for i in range(b.diagramme):
            # Wie im Original: Säulen (zwei Reihen) kombiniert mit einer Linie, Jahre in Spalte A.
            saeulen = mappe.add_chart({"type": "column"})
            for c in (1, 2):
                saeulen.add_series(
                    {"categories": [b.name, 1, 0, 6, 0], "values": [b.name, 1, c, 6, c]}
                )
            linie = mappe.add_chart({"type": "line"})
            linie.add_series({"categories": [b.name, 1, 0, 6, 0], "values": [b.name, 1, 3, 6, 3]})
            saeulen.combine(linie)
            ws.insert_chart(20 + 20 * i, 0, saeulen)
        for v in b.validierungen:
            bereiche = v["bereich"].split()
            erste = bereiche[0].split(":")
            (r1, c1) = xl_cell_to_rowcol(erste[0])
            (r2, c2) = xl_cell_to_rowcol(erste[-1])
            optionen: dict[str, Any] = {
                "validate": VALIDIERUNGSTYPEN.get(v["typ"], "any"),
                "input_title": v["titel"] or "",
                "input_message": v["hilfe"] or "",
                "error_title": v["fehlertitel"] or "",
                "error_message": v["fehler"] or "",
            }
            if len(bereiche) > 1:
                optionen["multi_range"] = v["bereich"]
            if optionen["validate"] in ("list", "custom"):
                optionen["value"] = v["formel1"]
            elif optionen["validate"] != "any":
                optionen["criteria"] = OPERATOREN.get(v["operator"], "between")
                optionen["value"] = v["formel1"]
                if v["formel2"] is not None:
                    optionen["maximum"] = v["formel2"]
            ws.data_validation(r1, c1, r2, c2, optionen)
        if b.zustand == "hidden":
            ws.hide()
        elif b.zustand == "veryHidden":
            ws.very_hidden()
        ws.protect()
    for name, bezug in inhalt.namen:
        mappe.define_name(name, f"={bezug}")
    mappe.close()


# Startzeit --------------------------------------------------------------------------------------


def startzeit(befehl: list[str], wiederholungen: int = 10) -> float:
    """Median der Wandzeit eines frischen Prozesses in ms (der erste Lauf wärmt nur den Cache)."""
    subprocess.run(befehl, capture_output=True, check=True)
    zeiten = []
    for _ in range(wiederholungen):
        t = time.perf_counter()
        subprocess.run(befehl, capture_output=True, check=True)
        zeiten.append(time.perf_counter() - t)
    return statistics.median(zeiten) * 1000


def startzeiten() -> None:
    python = sys.executable
    ikz = Path(python).with_name("ikz")
    leer = startzeit([python, "-c", "pass"])
    importiert = startzeit([python, "-c", "import ikz_excel.cli"])
    hilfe = startzeit([str(ikz), "--help"]) if ikz.exists() else float("nan")
    geladen = subprocess.run(
        [
            python,
            "-c",
            "import sys, ikz_excel.cli; "
            "print(*[m for m in ('pandas', 'pandera', 'openpyxl', 'xlsxwriter', 'python_calamine',"
            " 'numpy', 'rich', 'typer') if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    print("\nStartzeit (Median aus 10 frischen Prozessen)")
    g.zeile("python -c pass (Interpreter allein)", f"{leer:7.1f} ms")
    g.zeile("python -c 'import ikz_excel.cli'", f"{importiert:7.1f} ms")
    g.zeile("  davon Import ikz_excel.cli", f"{importiert - leer:7.1f} ms")
    g.zeile(f"{ikz.name} --help", f"{hilfe:7.1f} ms")
    g.zeile("nach Import von ikz_excel.cli geladen", ", ".join(geladen) or "–")


# Ablauf -----------------------------------------------------------------------------------------


def main() -> None:
    args = g.argumente("Benchmark: N Arbeitsmappen erzeugen, gegen nacktes XlsxWriter.")
    n = args.anzahl
    ordner = g.arbeitsordner(args, "erzeugen", "Arbeitsmappen")
    try:
        t = time.perf_counter()
        st = g.synthetisches_programm(stammdaten.standard(), n)
        print(f"  synthetisches Programm mit {n} Arbeitsgruppen: {time.perf_counter() - t:.2f} s")
        mappe_def = definition.arbeitsmappe()
        ausgang = ordner / "ausgang"
        ausgang.mkdir(exist_ok=True)
        # Aufwärmen (Importe, Caches); zählt nicht.
        erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], ordner / "warm.xlsx", mappe_def)

        proben = g.Speicherproben(n)
        zeiten: list[float] = []
        proben.start()
        with g.Stoppuhr() as lauf:
            for ag in st.arbeitsgruppen:
                t = time.perf_counter()
                erzeugen.arbeitsmappe_schreiben(
                    st, ag, ausgang / erzeugen.arbeitsmappen_dateiname(ag), mappe_def
                )
                zeiten.append(time.perf_counter() - t)
                proben.zaehlen()
        spitze = g.spitzen_rss_mb()
        groesse = statistics.median(p.stat().st_size for p in ausgang.iterdir()) / 1024

        pruefsumme = []
        for _ in range(5):
            t = time.perf_counter()
            _ = erzeugen.stammdaten_pruefsumme(st, st.arbeitsgruppen[0], mappe_def)
            pruefsumme.append(time.perf_counter() - t)

        inhalt = inhalt_lesen(ausgang / erzeugen.arbeitsmappen_dateiname(st.arbeitsgruppen[0]))
        boden = ordner / "boden"
        boden.mkdir(exist_ok=True)
        boden_schreiben(inhalt, boden / "warm.xlsx")
        boden_zeiten: list[float] = []
        with g.Stoppuhr() as boden_lauf:
            for i in range(n):
                t = time.perf_counter()
                boden_schreiben(inhalt, boden / f"boden_{i:05d}.xlsx")
                boden_zeiten.append(time.perf_counter() - t)
        boden_groesse = statistics.median(p.stat().st_size for p in boden.iterdir()) / 1024

        print("\nErzeugen (erzeugen.arbeitsmappe_schreiben, leere Mappen wie `ikz erzeugen`)")
        g.zeile("Median je Mappe", f"{g.median_ms(zeiten):7.1f} ms")
        g.zeile("90-%-Quantil je Mappe", f"{g.quantil_ms(zeiten, 0.9):7.1f} ms")
        g.zeile("gesamt", f"{lauf.wand:7.2f} s")
        g.zeile("CPU-Zeit / Wandzeit (2 Kerne = 2,0)", f"{lauf.auslastung:7.2f}")
        g.zeile("Spitzen-RSS (ru_maxrss)", f"{spitze:7.0f} MB")
        g.zeile("RSS im Verlauf", proben.text())
        g.zeile("Median Dateigröße", f"{groesse:7.0f} KB")
        g.zeile("stammdaten_pruefsumme je Mappe", f"{g.median_ms(pruefsumme):7.1f} ms")

        print("\nBoden (XlsxWriter, dieselben Zellen ohne Modell)")
        for text, wert in inhalt.zaehlen().items():
            g.zeile(f"  {text}", str(wert))
        g.zeile("Median je Mappe", f"{g.median_ms(boden_zeiten):7.1f} ms")
        g.zeile("gesamt", f"{boden_lauf.wand:7.2f} s")
        g.zeile("Median Dateigröße", f"{boden_groesse:7.0f} KB")

        print("\nVerhältnis erzeugen / Boden (Ziel laut Issue 2: höchstens 2,0)")
        g.zeile("Median", f"{g.median_ms(zeiten) / g.median_ms(boden_zeiten):7.2f}")
        g.zeile("gesamt", f"{lauf.wand / boden_lauf.wand:7.2f}")

        startzeiten()

        if args.profil:
            m = min(args.profil, n)
            profil_ordner = ordner / "profil"
            profil_ordner.mkdir(exist_ok=True)

            def schreiben() -> None:
                for ag in st.arbeitsgruppen[:m]:
                    erzeugen.arbeitsmappe_schreiben(
                        st, ag, profil_ordner / erzeugen.arbeitsmappen_dateiname(ag), mappe_def
                    )

            print(f"\nProfil (cProfile) über {m} Mappen")
            print(g.profil(schreiben))
    finally:
        if args.ordner is None:
            shutil.rmtree(ordner, ignore_errors=True)


if __name__ == "__main__":
    main()
