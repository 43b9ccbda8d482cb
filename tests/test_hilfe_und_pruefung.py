"""What the clerk is told, what the workbook lets them type and what `pruefen` accepts agree.

For every input column and field of the Arbeitsmappe the cases come from the schema: the
limits, just outside them, a decimal where whole numbers belong, text of the longest allowed
length and one character more, dates at the edges of the programme, a value from the list and
one that is not. Each case is typed into a complete return; the data validation the generator
wrote (read back from the file, its semantics as Excel and LibreOffice apply them) must accept
exactly what the check accepts, and the input message, the validation's error message, the
"Erlaubte Werte" on the sheet Hinweise and the check's message must name the same limits. A
change to one side alone (a limit, a rounding, a strict `<`) fails here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import korpus
import openpyxl
import pytest
from libreoffice import braucht_libreoffice, ungueltige_zellen
from openpyxl.utils import get_column_letter, range_boundaries

from ikz_excel import definition, deutsch, erzeugen, pruefen, stammdaten
from ikz_excel.befunde import Regel, Stufe
from ikz_excel.definition import Spalte, grenze

#: What a data validation refuses are findings of these rules at the cell (a Warnung, such as
#: a text understood as a number, is no refusal).
WERTREGELN = {Regel.TYP, Regel.BEREICH, Regel.LISTE, Regel.PARTNER}
_NULLTAG = date(1899, 12, 30)


@dataclass
class Fall:
    blatt: str
    zelle: str
    name: str  # the column or field, or "3.7 …" for a prescribed row
    spalte: Spalte
    wert: Any
    tabelle: str | None  # None: a single field (Verteilungsschlüssel)
    nr: str | None = None  # the row of a table with prescribed rows
    datei: Path | None = None  # the return it was typed into


def _seriell(wert: Any) -> float:
    if isinstance(wert, datetime):
        return (wert - datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(wert, date):
        return float((wert - _NULLTAG).days)
    return float(wert)


def excel_nimmt(dv: Any, wert: Any, listen: dict[str, list[str]], varianten: list[str]) -> bool:
    """Whether Excel (and LibreOffice, which imports the same rules) accepts `wert` typed into
    a cell with the validation `dv`: the semantics of the OOXML types the generator writes.
    A list from a range of the sheet is the Varianten column, holding `varianten`."""
    if dv.type == "list":
        quelle = str(dv.formula1)
        if quelle.startswith("liste_"):
            werte = listen[quelle.removeprefix("liste_")]
        else:  # a range of the same sheet ($A$29:$A$38, the Varianten)
            assert quelle.startswith("$A$"), quelle
            werte = varianten
        return str(wert) in werte
    if dv.type in ("whole", "decimal", "date"):
        if isinstance(wert, str):
            return False
        x = _seriell(wert)
        if dv.type == "whole" and x != int(x):
            return False
        return float(dv.formula1) <= x <= float(dv.formula2)
    if dv.type == "textLength":
        assert dv.operator == "lessThanOrEqual", dv.operator
        return len(str(wert)) <= int(dv.formula1)
    raise AssertionError(f"unerwartete Datenüberprüfung {dv.type}")


def _werte(sp: Spalte, parameter: Any, listen: dict[str, list[str]], liste: list[str]) -> list:
    lo, hi = grenze(sp.min, parameter), grenze(sp.max, parameter)
    if sp.typ == "ganzzahl":
        return [lo, hi, lo - 1, hi + 1, lo + 0.5, hi - 0.5]
    if sp.typ in ("zahl", "betrag"):
        return [lo, hi, lo - 0.01, hi + 0.01, 0.5, 12.345]
    if sp.typ == "prozent":
        return [lo, hi, lo - 0.001, hi + 0.001, 0.3333333]
    if sp.typ == "datum":
        return [lo, hi, lo - timedelta(1), hi + timedelta(1)]
    if sp.typ == "liste":
        return [liste[0], liste[-1], "keiner dieser Werte"]
    n = sp.max_laenge or erzeugen.STANDARD_TEXTLAENGE
    text = " ".join([*sp.enthaelt, "x" * n])  # a text the check takes for its content
    return [text[:n], text[: n + 1]]


@pytest.fixture(scope="module")
def geprueft(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Fall, Any, bool, list]]:
    """(case, its validation, Excel accepts, the check's Fehler at the cell) for every case.

    A complete return per round: round k holds the k-th value of every column at once, each in
    its own cell (in a free table a row of its own below the complete rows, so that a value
    never changes what another row says, such as the Variante that 3.10 recommends)."""
    tmp = tmp_path_factory.mktemp("grenzen")
    st = stammdaten.standard()
    vorlage = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp / "vorlage.xlsx")
    mdef = definition.arbeitsmappe()
    wb = openpyxl.load_workbook(vorlage)
    basis, projekt, schluessel = korpus.ausgefuellte_werte(vorlage)
    listen = korpus._listen(vorlage)
    varianten = [str(v["Variante"]) for v in basis["tbl_Varianten"]]

    def werte_von(sp: Spalte) -> list:
        liste = varianten if sp.liste == "varianten" else listen.get(sp.liste or "", [])
        return _werte(sp, st.parameter, listen, liste)

    runden: dict[int, list[Fall]] = {}
    for blatt, tdef in mdef.tabellen:
        links, oben, _, _ = range_boundaries(wb[blatt.name].tables[tdef.name].ref)
        if tdef.zeilen:
            c = get_column_letter(links + tdef.koepfe.index(tdef.eingabespalte or ""))
            for i, z in enumerate(tdef.zeilen):
                if z.eingabe is None or z.vorbelegt:
                    continue
                nr = str(z.werte[tdef.schluessel or ""])
                for k, w in enumerate(werte_von(z.eingabe)):
                    name = f"{nr} {z.werte.get('Feld', '')}"
                    fall = Fall(blatt.name, f"{c}{oben + 1 + i}", name, z.eingabe, w, None, nr)
                    runden.setdefault(k, []).append(fall)
            continue
        zeile = len(basis.get(tdef.name, [])) if tdef.frei else 0
        for j, sp in enumerate(tdef.spalten):
            if not sp.eingabe:
                continue
            zelle = f"{get_column_letter(links + j)}{oben + 1 + zeile}"
            for k, w in enumerate(werte_von(sp)):
                runden.setdefault(k, []).append(Fall(blatt.name, zelle, sp.kopf, sp, w, tdef.name))
    for blatt, feld in mdef.felder:
        ziel = wb.defined_names[feld.name].attr_text.split("!")[1].replace("$", "")
        for k, w in enumerate(werte_von(feld)):
            runden.setdefault(k, []).append(Fall(blatt.name, ziel, feld.bezeichnung, feld, w, None))

    for k, faelle in runden.items():
        werte = {t: [dict(z) for z in v] for t, v in basis.items()}
        pb, key = dict(projekt), schluessel
        for f in faelle:
            if f.nr is not None:
                pb[f.nr] = f.wert
            elif f.tabelle is not None:
                zeilen = werte.setdefault(f.tabelle, [])
                tdef = mdef.tabelle(f.tabelle)
                index = len(basis.get(f.tabelle, [])) if tdef.frei else 0
                while len(zeilen) <= index:
                    zeilen.append({})
                zeilen[index][f.name] = f.wert
            else:
                key = f.wert
        datei = korpus.ausfuellen(vorlage, tmp / f"runde{k}.xlsx", werte, pb, key)
        for f in faelle:
            f.datei = datei
    alle = [f for k in sorted(runden) for f in runden[k]]
    dateien = sorted({f.datei for f in alle if f.datei})
    befunde = dict(zip(dateien, pruefen.pruefen(dateien, st).dateien, strict=True))
    ergebnis = []
    for f in alle:
        ws = wb[f.blatt]
        (dv,) = [v for v in ws.data_validations.dataValidation if f.zelle in v.sqref]
        fehler = [
            b
            for b in befunde[f.datei].befunde
            if (b.blatt, b.zelle) == (f.blatt, f.zelle)
            and b.stufe is Stufe.FEHLER
            and b.regel in WERTREGELN
        ]
        ergebnis.append((f, dv, excel_nimmt(dv, f.wert, listen, varianten), fehler))
    return ergebnis


def _kurz(wert: Any) -> str:
    return (
        f"Text aus {len(wert)} Zeichen" if isinstance(wert, str) and len(wert) > 30 else repr(wert)
    )


@braucht_libreoffice
def test_libreoffice_lehnt_ab_was_die_pruefung_ablehnt(geprueft: list) -> None:
    """The same cases in a real engine: what LibreOffice's own data validation marks as
    invalid (Extras > Detektiv > Ungültige Daten markieren) is exactly what the check refuses,
    and nothing else in the returns (a validation LibreOffice ignored, or one it imports
    otherwise – a list from a range, a date as a serial – would show here)."""
    dateien = sorted({f.datei for f, *_ in geprueft})
    markiert = ungueltige_zellen(dateien)
    abgelehnt = {(f.datei, f.blatt, f.zelle) for f, _dv, _n, fehler in geprueft if fehler}
    libreoffice = {(d, blatt, zelle) for d in dateien for blatt, zelle in markiert[d]}
    namen = {(f.datei, f.blatt, f.zelle): f"{f.name} {_kurz(f.wert)}" for f, *_ in geprueft}
    assert {namen.get(z, z) for z in libreoffice - abgelehnt} == set()
    assert {namen[z] for z in abgelehnt - libreoffice} == set()
    assert len(abgelehnt) > 40


def test_mappe_und_pruefung_nehmen_dieselben_werte(geprueft: list) -> None:
    abweichend = [
        f"{f.blatt}!{f.zelle} ({f.name}) {_kurz(f.wert)}: Mappe "
        f"{'nimmt' if nimmt else 'lehnt ab'}, Prüfung "
        f"{'lehnt ab: ' + fehler[0].meldung if fehler else 'nimmt'}"
        for f, _dv, nimmt, fehler in geprueft
        if nimmt == bool(fehler)
    ]
    assert abweichend == []
    # every kind of validation was tried, accepted and refused
    arten = {(dv.type, nimmt) for _f, dv, nimmt, _ in geprueft}
    for art in ("whole", "decimal", "date", "textLength", "list"):
        assert {(art, True), (art, False)} <= arten, art


def test_hilfe_meldung_und_pruefung_nennen_dieselben_grenzen(geprueft: list) -> None:
    """The limits as the clerk reads them: in the validation's error message, on Hinweise
    ("Erlaubte Werte") and in the check's finding for a value just outside."""
    st = stammdaten.standard()
    mdef = definition.arbeitsmappe()
    geprueft_grenzen = 0
    for f, dv, nimmt, fehler in geprueft:
        sp = f.spalte
        if sp.typ in ("liste",) or nimmt:
            continue
        lo, hi = grenze(sp.min, st.parameter), grenze(sp.max, st.parameter)
        if sp.typ == "text":
            grenzen = [str(sp.max_laenge or erzeugen.STANDARD_TEXTLAENGE)]
        elif sp.typ == "datum":
            grenzen = [f"{lo:%d.%m.%Y}", f"{hi:%d.%m.%Y}"]
        elif sp.typ == "prozent":
            grenzen = [f"{deutsch.zahl(Decimal(str(x)) * 100)} %" for x in (lo, hi)]
        else:
            grenzen = [deutsch.zahl(lo), deutsch.zahl(hi)]
        hinweis = erzeugen.erlaubte_werte(sp, mdef.listen, st.parameter)
        bereich = [b for b in fehler if b.regel is Regel.BEREICH]
        for g in grenzen:
            assert g in dv.error, (f.name, g, dv.error)
            assert g in hinweis, (f.name, g, hinweis)
            if bereich:  # out of range (a decimal in a whole number is a TYP finding instead)
                assert g in bereich[0].meldung, (f.name, g, bereich[0].meldung)
                geprueft_grenzen += 1
    assert geprueft_grenzen > 40


def test_eingabemeldung_ist_die_hilfe_des_schemas(geprueft: list) -> None:
    """The input message is the schema's help with its duty, never cut off by Excel's limit of
    255 characters, and the same text stands on Hinweise."""
    mdef = definition.arbeitsmappe()
    for f, dv, _nimmt, _fehler in geprueft:
        sp = f.spalte
        assert dv.showInputMessage and dv.prompt.startswith(sp.hilfe), (f.name, dv.prompt)
        bedingung = erzeugen.pflicht_bedingung(sp, mdef)
        assert ("Pflichtangabe" in dv.prompt) == (bedingung is not None), (f.name, dv.prompt)
        if bedingung:
            assert bedingung in dv.prompt, (f.name, dv.prompt)
        assert len(dv.prompt) < 255, f.name


def test_hilfe_sagt_was_die_pruefung_doppelt_nennt(geprueft: list, tmp_path: Path) -> None:
    """A column the check wants unique (the name of a Variante, which 3.10 refers to) says so
    where the clerk types it and on Hinweise (review: the second „A – Zentralisierung“ came
    back as a Fehler, the help had said nothing of it)."""
    st = stammdaten.standard()
    mdef = definition.arbeitsmappe()
    eindeutig = {f.name: (f, dv) for f, dv, _n, _b in geprueft if f.spalte.eindeutig}
    assert "Variante" in eindeutig
    for f, dv in eindeutig.values():
        assert erzeugen.NUR_EINMAL in dv.prompt, dv.prompt
        assert erzeugen.NUR_EINMAL in erzeugen.erlaubte_werte(f.spalte, mdef.listen, st.parameter)
    vorlage = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "v.xlsx")
    werte, projekt, _schluessel = korpus.ausgefuellte_werte(vorlage)
    varianten = [dict(v) for v in werte["tbl_Varianten"]]
    varianten[1]["Variante"] = str(varianten[0]["Variante"]).lower()
    pfad = korpus.ausfuellen(
        vorlage, tmp_path / "doppelt.xlsx", {**werte, "tbl_Varianten": varianten}, projekt
    )
    (b,) = [b for b in pruefen.pruefen([pfad], st).dateien[0].befunde if b.stufe is Stufe.FEHLER]
    assert (b.regel, b.spalte) == (Regel.EINDEUTIG, "Variante")


def test_zahlen_in_den_hilfetexten_liegen_im_erlaubten_bereich() -> None:
    """The help is typed by hand in the schema beside the limits it explains ("1 = sehr
    unwahrscheinlich bis 5 = fast sicher"): a limit changed alone would leave the clerk a
    scale the workbook and the check no longer accept. A scale in the help spans the range;
    no number in it lies outside; the threshold of the Gegenmaßnahme in the sheet's note is the
    schema's."""
    import re

    st = stammdaten.standard()
    mdef = definition.arbeitsmappe()
    zahlen = 0
    for blatt, tdef in mdef.tabellen:
        for sp in tdef.spalten:
            if not sp.ist_zahl or sp.min is None or sp.max is None:
                continue
            lo, hi = grenze(sp.min, st.parameter), grenze(sp.max, st.parameter)
            faktor = 100 if sp.typ == "prozent" else 1
            genannt = [Decimal(z) for z in re.findall(r"\d+", sp.hilfe)]
            for z in genannt:
                assert lo * faktor <= z <= hi * faktor, (blatt.name, sp.kopf, z, sp.hilfe)
            if sp.typ == "ganzzahl" and len(genannt) > 1 and " bis " in sp.hilfe:
                assert (min(genannt), max(genannt)) == (lo, hi), (sp.kopf, sp.hilfe)
            zahlen += len(genannt)
    assert zahlen > 10
    # the sheet's note is prose beside the schema key the rest reads (`pflicht_ab`)
    risiken = mdef.blatt("Risiken")
    ab = risiken.tabellen[0].pflicht_ab_schwelle("Risikowert")
    assert ab is not None and f"Risikowert ab {ab}" in risiken.hinweis


def test_auswahlliste_mit_leeren_zellen_laesst_nicht_alles_zu(geprueft: list) -> None:
    """With "ignore blank" set, Excel accepts any entry in a cell whose list range holds an
    empty cell (Microsoft's note on data validation). 3.10 Empfohlene Variante lists the
    Varianten column with its free rows: the check refuses a name not among the variants, so
    the workbook must as well. Only the named lists on `_listen`, written as long as their
    values, may ignore blanks (an empty cell stays allowed: Pflicht is the cover's job)."""
    listen = [(f, dv) for f, dv, _n, _b in geprueft if dv.type == "list"]
    bereich = [(f, dv) for f, dv in listen if not str(dv.formula1).startswith("liste_")]
    assert [f.nr for f, _ in bereich] and {f.nr for f, _ in bereich} == {"3.10"}
    for f, dv in bereich:
        assert dv.allow_blank is False, (f.name, dv.formula1)
    for f, dv in listen:
        if dv.allow_blank:
            assert str(dv.formula1).startswith("liste_"), (f.name, dv.formula1)


def test_listenwert_in_anderer_schreibung_ist_ein_hinweis(tmp_path: Path) -> None:
    """'EINMALIG' for „einmalig“: Excel's dropdown takes it (its lists ignore case) and the
    workbook's formulas count it (tests/test_arbeitsmappe_libreoffice.py), so the check must
    not warn that they "compare exactly": a Hinweis, no Korrektur copy. A blank after the
    value is different: the formulas miss it, the Warnung stays."""
    st = stammdaten.standard()
    vorlage = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "v.xlsx")
    werte, projekt, schluessel = korpus.ausgefuellte_werte(vorlage)
    pfade = []
    for name, schreibung in (("gross", str.upper), ("leerzeichen", lambda t: f"{t} ")):
        ressourcen = [dict(z) for z in werte["tbl_Ressourcen"]]
        ressourcen[0]["Kostenart"] = schreibung(str(ressourcen[0]["Kostenart"]))
        pfade.append(
            korpus.ausfuellen(
                vorlage,
                tmp_path / f"{name}.xlsx",
                {**werte, "tbl_Ressourcen": ressourcen},
                projekt,
                schluessel,
            )
        )
    gross, leer = pruefen.pruefen(pfade, st).dateien
    (b,) = gross.befunde
    assert (b.regel, b.stufe) == (Regel.UMGEWANDELT, Stufe.HINWEIS), b.meldung
    assert "genau" not in b.meldung and "wie mit dem Wert der Auswahlliste" in b.meldung
    assert gross.status == pruefen.MIT_HINWEISEN and not gross.braucht_korrektur
    (b,) = leer.befunde
    assert (b.regel, b.stufe) == (Regel.UMGEWANDELT, Stufe.WARNUNG) and "genau" in b.meldung


def test_verteilungsschluessel_in_anderer_schreibung(tmp_path: Path) -> None:
    """The key is a single field, not a table cell, and was read as the list value without a
    word: "Einwohner " (pasted, a blank at the end) was 'gültig', while the workbook's
    formulas (Schluessel="Einwohner") miss it – recalculated in LibreOffice every Kommune's
    Anteil was 0 and the sheet said "Die Anteile ergeben nicht 100 %", the overview split by
    Einwohner (review). Now as for a table's list value: a Warnung at the cell and a Korrektur
    copy with the key from the list; only the letter case ("EINWOHNER") is a Hinweis."""
    from ikz_excel import berichte

    st = stammdaten.standard()
    vorlage = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "v.xlsx")
    werte, projekt, _ = korpus.ausgefuellte_werte(vorlage)
    pfade = [
        korpus.ausfuellen(vorlage, tmp_path / f"{name}.xlsx", werte, projekt, schluessel)
        for name, schluessel in (
            ("leerzeichen", "Einwohner "),
            ("geschuetzt", "Einwohner\u00a0"),
            ("gross", "EINWOHNER"),
        )
    ]
    leer, geschuetzt, gross = pruefen.pruefen(pfade, st).dateien
    for d in (leer, geschuetzt):
        (b,) = d.befunde
        assert (b.regel, b.stufe, b.blatt, b.zelle) == (
            Regel.UMGEWANDELT,
            Stufe.WARNUNG,
            "Kostenausgleich",
            "B4",
        ), b.meldung
        assert b.meldung.startswith("Kostenausgleich!B4 (Verteilungsschlüssel): ")
        assert "genau" in b.meldung and d.felder["Schluessel"] == "Einwohner"
        assert d.braucht_korrektur
    kopie = berichte.korrektur_schreiben(leer, st, tmp_path / "Korrektur.xlsx")
    assert kopie is not None
    assert openpyxl.load_workbook(kopie)["Kostenausgleich"]["B4"].value == "Einwohner"
    (b,) = gross.befunde
    assert (b.regel, b.stufe) == (Regel.UMGEWANDELT, Stufe.HINWEIS), b.meldung
    assert "wie mit dem Wert der Auswahlliste" in b.meldung and not gross.braucht_korrektur


def test_eingabemeldung_und_hinweise_nennen_jede_bedingte_pflicht(tmp_path: Path) -> None:
    """What the input message and the Hinweise sheet say about a duty, as the clerk reads it
    in a new workbook: under which Verteilungsschlüssel a Fallzahl is required (by the field's
    name, not the schema's key 'Schluessel'), 3.7 only when 3.6 is not "keine", and that a
    Variante may stand only once. The Hinweise sheet names the condition in its column
    Pflicht, not a bare "ja" that made every Fallzahl look required."""
    st = stammdaten.standard()
    pfad = erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(pfad)
    meldungen = {
        (ws.title, dv.promptTitle, str(dv.sqref)): dv.prompt
        for ws in wb.worksheets
        for dv in ws.data_validations.dataValidation
        if dv.prompt
    }
    meldung = {(blatt, titel): m for (blatt, titel, _), m in meldungen.items()}
    assert meldung["Kostenausgleich", "Fallzahl"].endswith(
        "(Pflichtangabe beim Verteilungsschlüssel „Fallzahl“)"
    )
    assert meldung["Kostenausgleich", "Anteil individuell"].endswith(
        "(Pflichtangabe beim Verteilungsschlüssel „individuell“)"
    )
    (hindernisse,) = [m for m in meldungen.values() if m.startswith("Welche rechtlichen Hinder")]
    assert hindernisse.endswith("(Pflichtangabe, wenn unter 3.6 nicht „keine“ gewählt ist)")
    assert meldung["Projektbeschreibung", "Variante"].endswith(
        "(Pflichtangabe; jeder Eintrag nur einmal)"
    )
    hinweise = {
        (z[0], z[1]): (z[2], z[3])
        for z in wb["Hinweise"].iter_rows(values_only=True)
        if len(z) > 3 and z[0] and z[1]
    }
    assert hinweise["Kostenausgleich", "Fallzahl"][0] == "beim Verteilungsschlüssel „Fallzahl“"
    assert hinweise["Projektbeschreibung", "3.7 Beschreibung der rechtlichen Hindernisse"][0] == (
        "wenn unter 3.6 nicht „keine“ gewählt ist"
    )
    assert hinweise["Projektbeschreibung", "Variante"] == (
        "ja",
        "Text, höchstens 60 Zeichen, jeder Eintrag nur einmal",
    )
