"""Checking tables against their definitions: convert first, then pandera, then the cross rules.

The pandera schemas are compiled from the same `schemata/` definitions that generated the
workbook, so generator and validator cannot drift. Values are converted before pandera sees them
(a failed coercion would hide a column's other checks), and all files' rows of one table are
validated in one call: pandera costs milliseconds per call, not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.definition import Spalte, Tabelle, grenze
from ikz_excel.einlesen import Rohtabelle, ist_leer, umwandeln, zelle

STATISCH = object()


@dataclass
class Datei:
    """What the checks need to know about one file besides its cells."""

    name: str
    arbeitsgruppe: str | None = None
    listen: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per-file lists (kommunen)


@dataclass
class Kontext:
    listen: Mapping[str, tuple[str, ...]]
    parameter: Mapping[str, Any]
    dateien: list[Datei] = field(default_factory=list)

    def liste(self, name: str, datei: int) -> tuple[str, ...] | None:
        if name in self.dateien[datei].listen:
            return self.dateien[datei].listen[name]
        return self.listen.get(name)


@dataclass
class Gelesen:
    """One table of one file after conversion: typed rows with their Excel rows."""

    tabelle: Tabelle
    roh: Rohtabelle
    datei: int
    zeilen: list[tuple[int, dict[str, Any]]]  # free tables: (Excel row, values)
    zeilen_nach_schluessel: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def adresse(self, zeile: int, kopf: str) -> str:
        return self.roh.zelle(zeile, kopf)


def _fmt(wert: Any) -> str:
    if isinstance(wert, Decimal):
        return format(wert.normalize(), "f").replace(".", ",")
    if isinstance(wert, float):
        return f"{wert:g}".replace(".", ",")
    if isinstance(wert, date):
        return f"{wert:%d.%m.%Y}"
    return str(wert)


def befund(
    kontext: Kontext, datei: int, blatt: str | None, adresse: str | None, spalte: str | None,
    wert: Any, stufe: Stufe, regel: Regel, meldung: str,
) -> Befund:
    d = kontext.dateien[datei]
    return Befund(d.name, d.arbeitsgruppe, blatt, adresse, spalte, wert, stufe, regel, meldung)


# Conversion -----------------------------------------------------------------------------------


def umwandeln_tabelle(
    tdef: Tabelle, roh: Rohtabelle, datei: int, kontext: Kontext
) -> tuple[Gelesen, list[Befund]]:
    """Type every input cell; unreadable ones become TYP findings and count as empty."""
    befunde: list[Befund] = []
    gelesen = Gelesen(tdef, roh, datei, [])
    eingaben = [s.kopf for s in tdef.spalten if s.eingabe]

    def lesen(spalte: Spalte, zeile: int, roh_wert: Any) -> Any:
        listenwerte = kontext.liste(spalte.liste, datei) if spalte.liste else None
        u = umwandeln(spalte, roh_wert, listenwerte)
        adresse = roh.zelle(zeile, spalte.kopf)
        if not u.ok:
            befunde.append(befund(
                kontext, datei, roh.blatt, adresse, spalte.kopf, roh_wert, Stufe.FEHLER, Regel.TYP,
                f"{roh.blatt}!{adresse} ({spalte.kopf}): {u.fehler}",
            ))
            return None
        if u.hinweis:
            befunde.append(befund(
                kontext, datei, roh.blatt, adresse, spalte.kopf, roh_wert, Stufe.HINWEIS,
                Regel.UMGEWANDELT, f"{roh.blatt}!{adresse} ({spalte.kopf}): {u.hinweis} "
                "Bitte prüfen und künftig als Zahl bzw. Datum eingeben.",
            ))
        return u.wert

    if tdef.zeilen:
        schluessel, eingabe = tdef.schluessel, tdef.eingabespalte
        assert schluessel and eingabe
        for zeile, werte in roh.als_dicts():
            key = werte.get(schluessel)
            key = None if ist_leer(key) else str(int(key) if isinstance(key, float) and key.is_integer() else key).strip()
            zdef = next((z for z in tdef.zeilen if str(z.werte.get(schluessel)) == key), None)
            if zdef is None:
                continue
            spalte = tdef.zeilen_spalte(zdef, eingabe)
            gelesen.zeilen_nach_schluessel[key] = (zeile, lesen(spalte, zeile, werte.get(eingabe)))
            gelesen.zeilen.append((zeile, {
                k: (lesen(tdef.spalte(k), zeile, v) if k != eingabe and tdef.spalte(k).eingabe
                    else gelesen.zeilen_nach_schluessel[key][1] if k == eingabe else v)
                for k, v in werte.items()
            }))
        for zdef in tdef.zeilen:
            key = str(zdef.werte[schluessel])
            if key not in gelesen.zeilen_nach_schluessel:
                befunde.append(befund(
                    kontext, datei, roh.blatt, None, schluessel, key, Stufe.FEHLER, Regel.STRUKTUR,
                    f"{roh.blatt}: In der Tabelle {tdef.name} fehlt die Zeile {schluessel} {key} "
                    f"({zdef.werte.get('Feld') or zdef.werte.get('Parameter') or ''}). Bitte die "
                    "Zeile nicht löschen; nehmen Sie die Originalmappe und übertragen Sie die Eingaben.",
                ))
        return gelesen, befunde

    for zeile, werte in roh.als_dicts():
        if all(ist_leer(werte.get(k)) for k in eingaben):
            continue
        typisiert = {
            s.kopf: lesen(s, zeile, werte.get(s.kopf)) if s.eingabe else werte.get(s.kopf)
            for s in tdef.spalten
        }
        gelesen.zeilen.append((zeile, typisiert))
    return gelesen, befunde


# pandera --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pruefung:
    regel: Regel
    stufe: Stufe
    meldung: Callable[[Any], str]  # value -> German message tail


def _regeln(spalte: Spalte, kontext: Kontext) -> list[tuple[Callable[[Any, int], bool], _Pruefung]]:
    """Element checks of one column: (predicate(value, file) -> ok, what to report)."""
    regeln: list[tuple[Callable[[Any, int], bool], _Pruefung]] = []
    unten = grenze(spalte.min, kontext.parameter)
    oben = grenze(spalte.max, kontext.parameter)
    if unten is not None or oben is not None:
        def im_bereich(v: Any, _d: int, lo: Any = unten, hi: Any = oben) -> bool:
            return (lo is None or v >= lo) and (hi is None or v <= hi)

        regeln.append((im_bereich, _Pruefung(
            Regel.BEREICH, Stufe.FEHLER,
            lambda v, lo=unten, hi=oben: f"{_fmt(v)} liegt außerhalb des erlaubten Bereichs "
            f"{_bereich_text(lo, hi, spalte)}. Bitte korrigieren.",
        )))
    warn = grenze(spalte.warnung_max, kontext.parameter)
    if warn is not None:
        regeln.append((lambda v, _d, w=warn: v <= w, _Pruefung(
            Regel.BEREICH, Stufe.WARNUNG,
            lambda v, w=warn: f"{_fmt(v)} ist ungewöhnlich hoch (mehr als {_fmt(w)}). Bitte prüfen.",
        )))
    if spalte.liste:
        name = spalte.liste

        def in_liste(v: Any, d: int, name: str = name) -> bool:
            erlaubt = kontext.liste(name, d)
            return erlaubt is None or v in erlaubt

        regel = Regel.PARTNER if name in ("kommunen",) else Regel.LISTE
        regeln.append((in_liste, _Pruefung(
            regel, Stufe.FEHLER,
            lambda v, name=name: (
                f"{v!r} ist keine Partnerkommune dieser Arbeitsgruppe. Bitte eine Kommune aus "
                "der Auswahlliste wählen." if name == "kommunen" else
                f"{v!r} steht nicht in der Auswahlliste. Bitte einen Wert aus der Liste wählen"
                + (f" ({', '.join(kontext.listen[name])})." if name in kontext.listen else ".")
            ),
        )))
    if spalte.max_laenge:
        regeln.append((lambda v, _d, n=spalte.max_laenge: len(str(v)) <= n, _Pruefung(
            Regel.BEREICH, Stufe.FEHLER,
            lambda v, n=spalte.max_laenge: f"Der Text ist {len(str(v))} Zeichen lang, erlaubt "
            f"sind {n}. Bitte kürzen.",
        )))
    if spalte.enthaelt:
        woerter = spalte.enthaelt

        def enthaelt(v: Any, _d: int) -> bool:
            text = str(v).casefold().replace("-", "")
            return all(w.casefold().replace("-", "") in text for w in woerter)

        regeln.append((enthaelt, _Pruefung(
            Regel.INHALT, Stufe.FEHLER,
            lambda v: "Es fehlt die Auseinandersetzung mit: " + ", ".join(
                w for w in woerter if w.casefold().replace("-", "")
                not in str(v).casefold().replace("-", "")
            ) + ". Bitte ausdrücklich darauf eingehen.",
        )))
    return regeln


def _bereich_text(lo: Any, hi: Any, spalte: Spalte) -> str:
    def f(x: Any) -> str:
        if spalte.typ == "prozent":
            return f"{Decimal(str(x)) * 100:g} %".replace(".", ",")
        return _fmt(x)

    if lo is not None and hi is not None:
        return f"{f(lo)} bis {f(hi)}"
    return f"ab {f(lo)}" if lo is not None else f"bis {f(hi)}"


def _schema(spalten: Mapping[str, tuple[Spalte, list]], name: str) -> Any:
    import pandas as pd
    import pandera.pandas as pa

    columns = {}
    for key, (spalte, regeln) in spalten.items():
        checks = []
        for praedikat, _ in regeln:
            def pruefe(s: pd.Series, p: Callable[[Any, int], bool] = praedikat) -> pd.Series:
                return pd.Series(
                    [v is None or p(v, idx[0]) for idx, v in s.items()], index=s.index, dtype=bool
                )

            checks.append(pa.Check(pruefe, ignore_na=False))
        columns[key] = pa.Column(None, nullable=not spalte.pflicht, checks=checks, required=False)
    return pa.DataFrameSchema(columns, name=name)


def pandera_pruefen(gelesene: list[Gelesen], kontext: Kontext) -> list[Befund]:
    """Validate one table definition over all files at once; failures become findings."""
    import pandas as pd
    import pandera.pandas as pa

    if not gelesene:
        return []
    tdef = gelesene[0].tabelle
    befunde: list[Befund] = []
    if tdef.zeilen:
        spalten = {}
        for zdef in tdef.zeilen:
            if zdef.eingabe is None:
                continue
            spalte = tdef.zeilen_spalte(zdef, tdef.eingabespalte or "")
            spalten[str(zdef.werte[tdef.schluessel or ""])] = (spalte, _regeln(spalte, kontext))
        datensaetze, index = [], []
        for g in gelesene:
            datensaetze.append({k: w for k, (_z, w) in g.zeilen_nach_schluessel.items()})
            index.append((g.datei, 0))
    else:
        spalten = {
            s.kopf: (s, _regeln(s, kontext)) for s in tdef.spalten if s.eingabe
        }
        datensaetze, index = [], []
        for g in gelesene:
            for zeile, werte in g.zeilen:
                datensaetze.append({k: werte.get(k) for k in spalten})
                index.append((g.datei, zeile))
    if not datensaetze:
        return befunde
    rahmen = pd.DataFrame(
        datensaetze, index=pd.MultiIndex.from_tuples(index, names=["datei", "zeile"]),
        columns=list(spalten), dtype=object,
    )
    rahmen = rahmen.astype(object).where(rahmen.notna(), None)
    nach_datei = {g.datei: g for g in gelesene}
    try:
        _schema(spalten, tdef.name).validate(rahmen, lazy=True)
        fehlschlaege = []
    except pa.errors.SchemaErrors as fehler:
        fehlschlaege = fehler.failure_cases.to_dict("records")
    for fall in fehlschlaege:
        key, idx = fall["column"], fall["index"]
        if key not in spalten or not isinstance(idx, tuple):
            continue
        datei, zeile = idx
        g = nach_datei[datei]
        spalte, regeln = spalten[key]
        if tdef.zeilen:
            zeile = g.zeilen_nach_schluessel[key][0]
            kopf, wert = tdef.eingabespalte or key, g.zeilen_nach_schluessel[key][1]
            bezeichnung = f"{key} {_feldname(tdef, key)}"
        else:
            kopf, wert = key, rahmen.at[(datei, zeile), key]
            bezeichnung = key
        adresse = g.adresse(zeile, kopf)
        ort = f"{g.roh.blatt}!{adresse} ({bezeichnung})"
        if fall["check"] == "not_nullable":
            befunde.append(befund(
                kontext, datei, g.roh.blatt, adresse, kopf, None, Stufe.FEHLER, Regel.PFLICHT,
                f"{ort}: Pflichtangabe fehlt. Bitte ausfüllen.",
            ))
            continue
        nummer = fall["check_number"]
        if nummer is None or not 0 <= int(nummer) < len(regeln):
            continue
        pruefung = regeln[int(nummer)][1]
        befunde.append(befund(
            kontext, datei, g.roh.blatt, adresse, kopf, wert, pruefung.stufe, pruefung.regel,
            f"{ort}: {pruefung.meldung(wert)}",
        ))
    befunde.extend(_eindeutig(gelesene, spalten, kontext))
    return befunde


def _feldname(tdef: Tabelle, key: str) -> str:
    for z in tdef.zeilen:
        if str(z.werte.get(tdef.schluessel or "")) == key:
            return str(z.werte.get("Feld") or z.werte.get("Parameter") or "")
    return ""


def _eindeutig(
    gelesene: Iterable[Gelesen], spalten: Mapping[str, tuple[Spalte, list]], kontext: Kontext
) -> list[Befund]:
    befunde = []
    for key, (spalte, _) in spalten.items():
        if not spalte.eindeutig:
            continue
        for g in gelesene:
            gesehen: dict[Any, int] = {}
            for zeile, werte in g.zeilen:
                wert = werte.get(key)
                if wert is None:
                    continue
                normal = str(wert).casefold().strip()
                if normal in gesehen:
                    adresse = g.adresse(zeile, key)
                    befunde.append(befund(
                        kontext, g.datei, g.roh.blatt, adresse, key, wert, Stufe.FEHLER,
                        Regel.EINDEUTIG, f"{g.roh.blatt}!{adresse} ({key}): {wert!r} steht schon in "
                        f"Zeile {gesehen[normal]}. Jeder Eintrag darf nur einmal vorkommen.",
                    ))
                else:
                    gesehen[normal] = zeile
    return befunde


def pflicht_wenn_pruefen(gelesene: Iterable[Gelesen], kontext: Kontext) -> list[Befund]:
    """Conditional duties between prescribed rows (3.7 is required unless 3.6 is 'keine')."""
    befunde = []
    for g in gelesene:
        tdef = g.tabelle
        for zdef in tdef.zeilen:
            if zdef.eingabe is None or not zdef.eingabe.pflicht_wenn:
                continue
            key = str(zdef.werte[tdef.schluessel or ""])
            if key not in g.zeilen_nach_schluessel:
                continue
            zeile, wert = g.zeilen_nach_schluessel[key]
            for andere, ausser in zdef.eingabe.pflicht_wenn:
                anderer_wert = g.zeilen_nach_schluessel.get(andere, (0, None))[1]
                if anderer_wert not in (None, ausser) and wert is None:
                    adresse = g.adresse(zeile, tdef.eingabespalte or "")
                    befunde.append(befund(
                        kontext, g.datei, g.roh.blatt, adresse, tdef.eingabespalte, None,
                        Stufe.FEHLER, Regel.PFLICHT,
                        f"{g.roh.blatt}!{adresse} ({key} {_feldname(tdef, key)}): Pflichtangabe, "
                        f"weil unter {andere} {anderer_wert!r} gewählt ist. Bitte ausfüllen.",
                    ))
    return befunde


def zelladresse(zeile: int, spalte: int) -> str:
    return zelle(zeile, spalte)
