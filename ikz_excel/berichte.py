"""What goes back to people: the Prüfbericht, the Korrektur copies and the console report.

A Korrektur copy is written afresh from the definitions plus the values read (never by saving
the returned file again), with every faulty cell marked and commented, so the AG can fix it
in place and send it back as a normal return.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as uhrzeit
from decimal import Decimal
from pathlib import Path
from typing import Any

from ikz_excel import definition, deutsch, erzeugen, pfade, xlsx
from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.dateien import atomar, dateifehler, dateiname, freier_name, lesbar
from ikz_excel.einlesen import (
    adresse_zerlegen,
    ist_leer,
    vorlagenversion,
    wie_gezeigt,
    zeilenschluessel,
    zelle,
    zitat,
)
from ikz_excel.pruefen import (
    AELTERE_VORLAGE,
    DATEINAME_NENNT,
    FIGUR_DES_SCHLUESSELS,
    IM_KORREKTUREXEMPLAR,
    NICHT_GESCHRIEBEN,
    OHNE_KORREKTUREXEMPLAR,
    RECHENGRUNDLAGEN,
    WEGGEFALLENE,
    WERTREGELN,
    ZAEHLT_TROTZDEM,
    Dateiergebnis,
    Partnerzeilen,
    Pruefergebnis,
    andere_rechengrundlagen,
    gemeinte_weggefallene,
    gezeigte_einwohner,
    partnerwechsel,
    schon_wieder_partner,
    vermutlich_umbenannt,
    weggefallene,
    zurueckgenommene,
)

RECHENGRUNDLAGEN_NAMEN = frozenset(bezeichnung for _, bezeichnung in RECHENGRUNDLAGEN.values())

PRUEFBERICHT = "Pruefbericht.xlsx"
#: `ikz pruefen DATEI ...`: the reports of some files go to a folder of their own, so they
#: never replace (or remove) those of all of eingang/.
AUSWAHL = "Auswahl"
STUFENFARBE = {Stufe.FEHLER: "#FFC7CE", Stufe.WARNUNG: "#FFEB9C", Stufe.HINWEIS: "#DDEBF7"}


def eingaben_aus_ruecklauf(
    d: Dateiergebnis,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The input values of a return, as the generator takes them: exactly what was typed.

    Two exceptions: text that was understood as a number, date or list value ("1.234,50 €")
    comes back as what it was read as, so the copy's formulas compute it; and empty rows
    inside a table and between rows typed below it are kept, so that every cell stays at the
    address its finding names.
    """
    mappe_def = definition.arbeitsmappe()
    eingaben: dict[str, list[dict[str, Any]]] = {}
    for _, tdef in mappe_def.tabellen:
        g = d.gelesen.get(tdef.name)
        if g is None:
            continue
        typisiert = dict(g.zeilen)
        zeilen: list[dict[str, Any]] = []
        vorige = None
        for zeile, roh in g.roh.als_dicts():
            if tdef.frei and vorige is not None and zeile > vorige + 1:
                # Rows typed below the table after empty ones: the gap stays, so that each
                # cell keeps the address its finding (and the list of findings) names.
                luecke = range(zeile - vorige - 1)
                zeilen += [{s.kopf: None for s in tdef.spalten if s.eingabe} for _ in luecke]
            vorige = zeile
            wert = functools.partial(_eingabe, typisiert, zeile, roh)
            if tdef.zeilen:
                zeilen.append(
                    {
                        tdef.schluessel: str(zeilenschluessel(roh.get(tdef.schluessel or ""))),
                        tdef.eingabespalte: wert(tdef.eingabespalte or ""),
                    }
                )
                continue
            werte = {s.kopf: wert(s.kopf) for s in tdef.spalten if s.eingabe}
            if not tdef.frei:
                # the key as read (spaces typed after a Kommune gone): the copy matches it to
                # the prefilled rows
                erste = tdef.spalten[0].kopf
                werte[erste] = typisiert.get(zeile, {}).get(erste, roh.get(erste))
            zeilen.append(werte)
        if tdef.frei:
            while zeilen and all(v is None for v in zeilen[-1].values()):
                zeilen.pop()
            # Rows typed far below the table (after empty rows) are not read, a Fehler says
            # so; the copy takes them into its table, where the clerk meant them: sent back
            # unchanged, it would otherwise lose them.
            for _, _, werte in g.roh.ausserhalb:
                roh = dict(zip(g.roh.koepfe, werte, strict=False))
                zeilen.append(
                    {
                        s.kopf: None if ist_leer(roh.get(s.kopf)) else roh.get(s.kopf)
                        for s in tdef.spalten
                        if s.eingabe
                    }
                )
        eingaben[tdef.name] = zeilen
    felder = {name: wert for name, wert in d.felder.items() if wert is not None}
    # a value not in the list, as typed and red: the template's default in its place
    # ("Einwohner") looked like a choice, and sent back unchanged it passed (review)
    felder.update(d.felder_falsch)
    return eingaben, felder


def _eingabe(
    typisiert: dict[int, dict[str, Any]], zeile: int, roh: dict[str, Any], kopf: str
) -> Any:
    wert = roh.get(kopf)
    if ist_leer(wert):
        return None
    gelesen = typisiert.get(zeile, {}).get(kopf)
    if isinstance(wert, str) and gelesen is not None and gelesen != wert:
        return gelesen  # text understood as a number, date or list value
    if isinstance(gelesen, str):
        # A text cell holds what the check read, as text: "50 %" pasted, not 0,5; 0,5 typed
        # over a pasted format, "0,5", not the number again; a date "05.12.2026", not 46361
        # in the copy's text cell. Sent back, it is read the same (session 23).
        return gelesen
    if gelesen is None:
        return wie_gezeigt(wert)  # "12,5 %" refused in a Kostensatz, not 0,13 € there
    return wert


def korrektur_schreiben(
    d: Dateiergebnis, st: Any, ziel: Path, inhalt: tuple[Any, dict[str, Any]] | None = None
) -> Path | None:
    """A marked copy of the AG's own workbook, or None if the file could not be read at all.
    `inhalt`: what `_korrekturinhalt` gave, when the caller has it already."""
    inhalt = inhalt or _korrekturinhalt(d, st)
    if inhalt is None:
        return None
    ag, angaben = inhalt
    return erzeugen.arbeitsmappe_schreiben(st, ag, ziel, **angaben)


def _korrekturinhalt(d: Dateiergebnis, st: Any) -> tuple[Any, dict[str, Any]] | None:
    """The AG and what `erzeugen.arbeitsmappe_schreiben` gets for the copy: all it holds."""
    if not d.gelesen or d.arbeitsgruppe is None:
        return None
    ag = st.arbeitsgruppe(d.arbeitsgruppe)
    eingaben, felder = eingaben_aus_ruecklauf(d)
    # Where the rows typed far below a table were (each a Fehler there): now in the table.
    uebernommen = {
        (g.roh.blatt, zelle(z, spalte)): f" „{tdef.titel}“" if tdef.titel else f" auf {g.roh.blatt}"
        for _, tdef in definition.arbeitsmappe().tabellen
        if tdef.frei and (g := d.gelesen.get(tdef.name)) is not None
        for z, spalte, _ in g.roh.ausserhalb
    }
    markierungen: dict[tuple[str, str], str] = {}
    solange: dict[tuple[str, str], str] = {}
    liste = []
    weggelassen = _weggelassene_zeilen(d, st, ag)
    wieder_benannt = _wieder_benannt(d, st)
    umbenannt = vermutlich_umbenannt(d, st)
    if umbenannt is not None and umbenannt.sicher:
        _umbenannt_eintragen(
            eingaben, umbenannt.alt, umbenannt.neu, lambda w: gemeinte_weggefallene(w, d, st)
        )
    for w in (w for ws in wieder_benannt.values() for w in ws):
        if w.unklar:
            # The name says one partner, the Einwohner another: whose the figure is, the
            # return does not say. Carried to the partner of the name, the copy sent back
            # unchanged was valid, and with names swapped each counted for the other (probe).
            for zeile in eingaben.get("tbl_Kostenausgleich", []):
                if zeile.get("Kommune") == w.partner:
                    zeile.update({kopf: None for kopf, _, _ in w.figuren if kopf in zeile})
                    break
    umsetzen = _platz_in_der_kopie(d, st, ag)
    partnerzeilen = _partnerzeilen_der_kopie(d, st, ag)
    ka_blatt = (
        d.gelesen["tbl_Kostenausgleich"].roh.blatt if "tbl_Kostenausgleich" in d.gelesen else None
    )
    for b in d.befunde:
        if b.stufe is Stufe.HINWEIS and b.zelle is None:
            continue
        if b.blatt is not None and b.blatt == ka_blatt:
            b = dataclasses.replace(b, meldung=_zeilen_der_eingesandten(b.meldung))
        if b.blatt and b.zelle and (b.blatt, adresse_zerlegen(b.zelle)[0]) in weggelassen:
            # A row the copy does not have (inserted among the prescribed ones, a Kommune
            # twice): listed without a cell, which would be another row's or an empty one.
            liste.append(
                erzeugen.Korrekturpunkt(
                    b.blatt,
                    None,
                    b.stufe.value,
                    f"{b.meldung} Diese Zeile steht nicht in diesem Korrekturexemplar.",
                )
            )
            continue
        if b.regel is Regel.VERSION and ZAEHLT_TROTZDEM in b.meldung:
            continue  # for the Steuerungsgruppe: which version counts is not the AG's to fix
        if b.regel is Regel.VERSION and b.zelle is None and AELTERE_VORLAGE in b.meldung:
            # The copy is of the current template: the AG reads why its figures may differ.
            version = vorlagenversion(d.kennung)
            seither = " ".join(definition.arbeitsmappe().aenderungen_seit(version))
            liste.append(
                erzeugen.Korrekturpunkt(
                    None,
                    None,
                    b.stufe.value,
                    f"Ihre Mappe stammt aus einer älteren Vorlagenversion ({version}) von "
                    "ikz_excel."
                    + (f" Seither geändert: {seither}" if seither else "")
                    + " Dieses Korrekturexemplar hat die aktuelle Vorlage und alle Ihre "
                    "Eingaben; die berechneten Zahlen können sich dadurch geändert haben. Bitte "
                    "mit diesem Exemplar weiterarbeiten.",
                )
            )
            continue
        if b.regel is Regel.VERSION and b.zelle is None:
            # Written for the Steuerungsgruppe (berichte/, send the copy); the AG reads it in
            # the copy itself, which already has what the message asks for.
            liste.append(
                erzeugen.Korrekturpunkt(
                    None,
                    None,
                    b.stufe.value,
                    "Die Steuerungsgruppe hat seit dem Versand dieser Mappe die Stammdaten "
                    "geändert"
                    + (
                        f": {'; '.join(anders)}"
                        if (anders := andere_rechengrundlagen(d, st))
                        else ""
                    )
                    + ". Dieses Korrekturexemplar hat die aktuellen Stammdaten und alle Ihre "
                    "Eingaben; die berechneten Zahlen können sich dadurch geändert haben. Bitte "
                    "mit diesem Exemplar weiterarbeiten.",
                )
            )
            continue
        if b.regel is Regel.STRUKTUR and (b.blatt, b.zelle) in uebernommen:
            liste.append(
                erzeugen.Korrekturpunkt(
                    b.blatt,
                    None,
                    b.stufe.value,
                    f"{b.meldung} – In diesem Korrekturexemplar steht die Zeile am Ende der "
                    f"Tabelle{uebernommen[(b.blatt, b.zelle)]}; bitte dort prüfen.",
                )
            )
            continue
        if (
            b.regel is Regel.STRUKTUR
            and b.stufe is Stufe.FEHLER
            and isinstance(b.wert, str)
            and b.zelle
            and b.spalte
        ):
            # a header renamed in place (pruefen read the column as the template's): the copy
            # has the right header again, nothing left to mark
            liste.append(
                erzeugen.Korrekturpunkt(
                    b.blatt,
                    b.zelle,
                    b.stufe.value,
                    f"Die Spaltenüberschrift {b.blatt}!{b.zelle} hieß {b.wert!r}; in diesem "
                    f"Korrekturexemplar steht wieder {b.spalte!r}, mit Ihren Einträgen darunter. "
                    "Bitte Spaltenüberschriften nicht ändern: sonst lässt sich die Mappe nicht "
                    "lesen.",
                )
            )
            continue
        if b.regel is Regel.STRUKTUR and b.stufe is not Stufe.FEHLER:
            # Repaired by the copy itself: rows typed on below the input rows stand in its
            # table (listed, not marked); a column inserted is not in it (listed, no link).
            spalte_fehlt = b.stufe is Stufe.HINWEIS
            ort_in_liste = None if spalte_fehlt else b.zelle
            liste.append(erzeugen.Korrekturpunkt(b.blatt, ort_in_liste, b.stufe.value, b.meldung))
            continue
        if b.stufe is Stufe.HINWEIS:
            # Nothing to correct (a formula of the clerk's that the copy holds as its value):
            # listed with its cell, not marked red.
            liste.append(erzeugen.Korrekturpunkt(b.blatt, b.zelle, b.stufe.value, b.meldung))
            continue
        wieder_alle = wieder_benannt.get((b.blatt or "", b.zelle or ""), [])
        wieder = wieder_alle[0] if wieder_alle else None
        im_ruecklauf = b.zelle
        if b.blatt and b.zelle:
            b = dataclasses.replace(b, zelle=umsetzen(b.blatt, b.zelle, b.regel))
            if b.zelle != im_ruecklauf:
                # The row stands elsewhere in the copy: 'Kostenausgleich!A10: In der Zeile
                # von …' commented A8 of the copy, whose row 10 is another partner's (review).
                b = dataclasses.replace(
                    b, meldung=_mit_platz_der_kopie(b.meldung, b.blatt, im_ruecklauf, b.zelle)
                )
        elif (
            b.regel is Regel.PARTNER
            and b.zelle is None
            and isinstance(b.wert, str)
            and (b.blatt, b.wert) in partnerzeilen
        ):
            # A partner without her row in the return has it again in the copy: that is where
            # the clerk types her figures, not the title of the sheet (review).
            hier = partnerzeilen[(b.blatt, b.wert)]
            b = dataclasses.replace(
                b,
                zelle=hier,
                meldung=f"{b.meldung} In diesem Korrekturexemplar steht {b.wert} wieder in "
                f"ihrer Zeile ({b.blatt}!{hier}); bitte dort ihre Angaben eintragen bzw. "
                "prüfen.",
            )
        if wieder is not None and not wieder.unklar:
            # the check's message says whose row it is; what the copy did, only the copy can
            # say (`ikz pruefen --ohne-berichte` writes none, review)
            mit = ", ".join(f"{kopf} {_figur_text(kopf, wert)}" for kopf, _, wert in wieder.figuren)
            b = dataclasses.replace(
                b,
                meldung=f"{b.meldung} Das Korrekturexemplar hat die Zeile wieder als "
                f"{zitat(wieder.partner)}"
                + (f" mit {mit}" if mit else "")
                + f"; bitte dort prüfen, ob die Angaben für {wieder.partner} gelten.",
            )
        if b.stufe is Stufe.WARNUNG and (offen := [w.partner for w in wieder_alle if w.figuren]):
            # 'Verteilt wird nach den Namen, hier 50 % für …' no longer holds in the copy
            b = dataclasses.replace(
                b,
                meldung=f"{b.meldung} Weil die Mappe nicht sagt, wessen Wert es ist, lässt "
                f"dieses Korrekturexemplar {' und '.join(zitat(p) for p in offen)} ohne Wert; "
                "bitte für jede ihren eintragen.",
            )
        neu_eingetragen = (
            umbenannt is not None
            and umbenannt.sicher
            and b.regel is Regel.PARTNER
            and gemeinte_weggefallene(b.wert, d, st) == umbenannt.alt
            and b.blatt != ka_blatt
        )
        if neu_eingetragen and umbenannt is not None:
            b = dataclasses.replace(
                b,
                meldung=f"{b.meldung} Dieses Korrekturexemplar hat hier schon "
                f"{zitat(umbenannt.neu)} eingetragen (dieselbe Einwohnerzahl wie "
                f"{umbenannt.alt}); bitte prüfen.",
            )
        ort = (b.blatt or "Hinweise", b.zelle or "A1")
        text = f"{b.stufe.value}: {b.meldung}"
        bedingung = _noch_falsch(b, len(eingaben.get("tbl_Kostenausgleich", []))) or "=TRUE"
        if neu_eingetragen:
            bedingung = "=TRUE"  # the old name is gone: red until someone has looked
        zellen = [(ort, text)]
        figurbedingung: dict[tuple[str, str], str] = {}
        if wieder is not None:
            # The copy has the partner's name again, the typed name is gone: red all the same,
            # and so are the figures the row brought, until someone has looked (probe).
            bedingung = "=TRUE"
        for wieder in wieder_alle:
            for kopf, herkunft, wert in wieder.figuren:
                hier = (b.blatt, umsetzen(b.blatt, herkunft, b.regel))
                nr = adresse_zerlegen(herkunft)[0]
                if wieder.unklar:
                    text = (
                        f"{b.stufe.value}: In Zeile {nr} der eingesandten Mappe stand {kopf} "
                        f"{_figur_text(kopf, wert)} bei {zitat(wieder.partner)}, aber "
                        f"{wieder.herkunft}. {wieder.frage}; darum steht er hier nicht. Bitte "
                        f"den Wert von {wieder.partner} eintragen."
                    )
                    figurbedingung[hier] = f"=LEN(TRIM({hier[1]}))=0"
                else:
                    text = (
                        f"{b.stufe.value}: Aus Zeile {nr} der eingesandten Mappe übernommen, "
                        f"wo {wieder.herkunft}; bitte prüfen, ob der Wert für {wieder.partner} "
                        "gilt."
                    )
                zellen.append((hier, text))
        for ort, text in zellen:
            rot = figurbedingung.get(ort, bedingung)
            # Two findings in one cell: red while either holds (different conditions: always).
            solange[ort] = rot if solange.get(ort, rot) == rot else "=TRUE"
            markierungen[ort] = f"{markierungen[ort]}\n{text}" if ort in markierungen else text
        liste.append(erzeugen.Korrekturpunkt(b.blatt, b.zelle, b.stufe.value, b.meldung))
    for ort, meldung, rot in [
        *_werte_weggefallener(d, st, eingaben, partnerzeilen),
        *_werte_zurueckgenommener(d, st, partnerzeilen),
    ]:
        text = f"{Stufe.WARNUNG.value}: {meldung}"
        solange[ort] = rot if solange.get(ort, rot) == rot else "=TRUE"
        markierungen[ort] = f"{markierungen[ort]}\n{text}" if ort in markierungen else text
        liste.append(erzeugen.Korrekturpunkt(ort[0], ort[1], Stufe.WARNUNG.value, meldung))
    try:
        erzeugt_am = datetime.fromisoformat(d.kennung.get("erzeugt_am", ""))
    except ValueError:
        erzeugt_am = None
    # the copy's partners are the current ones: what stood at the others, only this says
    # when it comes back (or a copy of it does)
    vermerkt = [w.als_dict() for w in weggefallene(d, st)]
    return ag, {
        "erzeugt_am": erzeugt_am,
        "eingaben": eingaben,
        "felder": felder,
        "markierungen": markierungen,
        "korrekturliste": liste,
        "markiert_solange": solange,
        "vermerke": (
            {WEGGEFALLENE: json.dumps(vermerkt, ensure_ascii=False, default=str)}
            if vermerkt
            else {}
        ),
    }


def _umbenannt_eintragen(
    eingaben: dict[str, list[dict[str, Any]]],
    alt: str,
    neu: str,
    gemeint: Callable[[Any], str | None],
) -> None:
    """The new name of a certainly renamed partner in every cell of the copy that chooses a
    partner (not the Kostenausgleich: `_werte_weggefallener`). With the old one, the copy sent
    back unchanged was a Fehler at each such cell ("steht so nicht in der Auswahlliste") and
    cost the AG another round for a rename nobody doubted (session 17). `gemeint`: the old
    partner a cell certainly names, also spelled otherwise ("Gem. Lehre", session 18)."""
    for _, tdef in definition.arbeitsmappe().tabellen:
        if tdef.name == "tbl_Kostenausgleich" or tdef.name not in eingaben:
            continue
        if tdef.zeilen:
            schluessel, spalte = tdef.schluessel or "", tdef.eingabespalte or ""
            waehlen = {
                str(z.werte.get(schluessel))
                for z in tdef.zeilen
                if z.eingabe is not None and z.eingabe.liste == "kommunen"
            }
            kopfe = [spalte] if waehlen else []
        else:
            waehlen = set()
            kopfe = [s.kopf for s in tdef.spalten if s.liste == "kommunen"]
        for e in eingaben[tdef.name]:
            if tdef.zeilen and str(e.get(tdef.schluessel or "")) not in waehlen:
                continue
            for kopf in kopfe:
                if e.get(kopf) == alt or gemeint(e.get(kopf)) == alt:
                    e[kopf] = neu


def _werte_weggefallener(
    d: Dateiergebnis,
    st: Any,
    eingaben: dict[str, list[dict[str, Any]]],
    partnerzeilen: dict[tuple[str, str], str],
) -> list[tuple[tuple[str, str], str, str]]:
    """(cell in the copy, Warnung, red while) for the Fallzahl or share the return had
    for a Kommune that is no partner any more, where a new partner has no row in the return.

    The copy writes the rows of the current partners: the old one's row was gone with its
    figure, the new one's empty, the sum 80 %, and neither list nor comment said what had
    stood there; a clerk sending it back had to guess (session 17). Now the figure stands at
    the new partner's cell, in the comment and the list. Carried over only when the rename is
    certain (`Umbenennung.sicher`: one gone, one new, the same Einwohner), PO decision: else
    the cell stays empty and red, so that the copy sent back unchanged is a Fehler and never
    valid with a figure counted for another Kommune. Edits `eingaben` for the carried one.
    """
    g = d.gelesen.get("tbl_Kostenausgleich")
    kopf = FIGUR_DES_SCHLUESSELS.get(str(d.felder.get("Schluessel")))
    weg, neu = partnerwechsel(d, st)
    if g is None or kopf is None or kopf not in g.roh.koepfe or not (weg or neu):
        return []
    genannt = {_text(w.get("Kommune")) for _, w in g.zeilen}
    neu = [p for p in neu if p not in genannt and (g.roh.blatt, p) in partnerzeilen]
    roh = dict(g.roh.als_dicts())
    stand: list[tuple[str, int, Any]] = []  # (old partner, row in the return, figure)
    for p in weg:
        zeile = next((z for z, w in g.zeilen if _text(w.get("Kommune")) == p), None)
        if zeile is not None and not ist_leer(wert := roh.get(zeile, {}).get(kopf)):
            stand.append((p, zeile, wert))
    # the copy writes the template's columns, whatever the return made of them
    versatz = [s.kopf for s in definition.arbeitsmappe().tabelle("tbl_Kostenausgleich").spalten]

    def ort_von(p: str) -> tuple[str, str]:
        zeile_der_kopie, spalte = adresse_zerlegen(partnerzeilen[(g.roh.blatt, p)])
        return (g.roh.blatt, zelle(zeile_der_kopie, spalte + versatz.index(kopf)))

    if neu and not stand:
        # A partner added since: her row in the copy had an empty cell, unmarked, beside
        # shares that made 100 % without her (session 18); sent back, only "braucht einen
        # Anteil" said why.
        was = (
            "ihren Anteil eintragen (0 % ist erlaubt) und die Anteile so anpassen, dass sie "
            "zusammen 100 % ergeben."
            if kopf == "Anteil individuell"
            else "ihre Fallzahl eintragen (0 ist erlaubt)."
        )
        # Taken back since the copy went out that left her out: what stood at her in the
        # return before it, which the copy's note keeps; the next copy said only "hatte keine
        # Zeile für sie" and the AG had to dig out her 6 % (round 21).
        zurueck = {w.kommune: w for w in zurueckgenommene(d, st) if w.kopf == kopf}
        return [
            (
                ort_von(p),
                (
                    f"{zitat(p)} ist seit dem Versand der Mappe wieder Partnerkommune dieser "
                    f"Arbeitsgruppe. In einem früheren Rücklauf ({w.datei}) stand bei ihr "
                    f"{w.figur()} (Zeile {w.zeile} der damals eingesandten Mappe). Bitte {was}"
                    if (w := zurueck.get(p)) is not None
                    else f"{zitat(p)} ist seit dem Versand der Mappe Partnerkommune dieser "
                    f"Arbeitsgruppe; der Rücklauf hatte keine Zeile für sie. Bitte {was}"
                ),
                f"=LEN(TRIM({ort_von(p)[1]}))=0",
            )
            for p in neu
        ]
    if not neu or not stand:
        return []
    umbenannt = vermutlich_umbenannt(d, st)
    vorn = " und ".join(
        f"{kopf} {_figur_text(kopf, wert)} bei {zitat(p)} (Zeile {z} der eingesandten Mappe)"
        for p, z, wert in stand
    )
    stand_da, keine = (
        ("stand", "seit dem Versand keine Partnerkommune dieser Arbeitsgruppe mehr")
        if len(stand) == 1
        else ("standen", "seit dem Versand keine Partnerkommunen dieser Arbeitsgruppe mehr")
    )
    ergebnis = []
    for p in neu:
        ort = ort_von(p)
        vermutlich = umbenannt is not None and umbenannt.neu == p
        if vermutlich and umbenannt is not None and umbenannt.sicher and len(stand) == 1:
            for e in eingaben.get("tbl_Kostenausgleich", []):
                if e.get("Kommune") == umbenannt.alt:
                    e["Kommune"] = p
                    break
            text = (
                f"Im Rücklauf stand {vorn}, {keine}. {zitat(p)} hat dieselbe Einwohnerzahl und "
                "ist vermutlich dieselbe Kommune unter neuem Namen: Der Wert steht darum hier. "
                f"Bitte prüfen, ob er für {p} gilt."
            )
            ergebnis.append((ort, text, "=TRUE"))
            continue
        text = (
            f"Im Rücklauf {stand_da} {vorn}, {keine}"
            + (f" (vermutlich umbenannt in {zitat(p)}?)" if vermutlich else "")
            + (
                f". Ob der Wert für {zitat(p)} gilt, sagt die Mappe nicht; darum steht er hier "
                "nicht."
                if len(stand) == 1
                else f". Welcher davon für {zitat(p)} gilt, sagt die Mappe nicht; darum steht "
                "hier keiner."
            )
            + f" Bitte den Wert von {p} eintragen."
        )
        ergebnis.append((ort, text, f"=LEN(TRIM({ort[1]}))=0"))
    return ergebnis


def _werte_zurueckgenommener(
    d: Dateiergebnis, st: Any, partnerzeilen: dict[tuple[str, str], str]
) -> list[tuple[tuple[str, str], str, str]]:
    """(cell in the copy, Warnung, red while) for a partner taken back whose row this return
    had already (a copy of the copy) and whose figure is still empty: what stood at her before
    she was struck off. Named only in the first copy after she was taken back, a clerk who
    left her cell empty once lost her 6 % without a word in the copy after (round 22)."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    kopf = FIGUR_DES_SCHLUESSELS.get(str(d.felder.get("Schluessel")))
    if g is None or kopf is None:
        return []
    was = (
        "ihren Anteil eintragen (0 % ist erlaubt) und die Anteile so anpassen, dass sie "
        "zusammen 100 % ergeben."
        if kopf == "Anteil individuell"
        else "ihre Fallzahl eintragen (0 ist erlaubt)."
    )
    versatz = [s.kopf for s in definition.arbeitsmappe().tabelle("tbl_Kostenausgleich").spalten]
    ergebnis = []
    for w in zurueckgenommene(d, st):
        if w.kopf != kopf or not schon_wieder_partner(d, w):
            continue
        if (kommune := partnerzeilen.get((g.roh.blatt, w.kommune))) is None:
            continue
        zeile, spalte = adresse_zerlegen(kommune)
        ort = (g.roh.blatt, zelle(zeile, spalte + versatz.index(kopf)))
        ergebnis.append(
            (
                ort,
                f"Bei {zitat(w.kommune)} stand früher {w.figur()} (Rücklauf {w.datei}, Zeile "
                f"{w.zeile} der damals eingesandten Mappe), bevor sie aus den Partnerkommunen "
                f"gestrichen und wieder aufgenommen wurde; ihre Zelle ist noch leer. Bitte {was}",
                f"=LEN(TRIM({ort[1]}))=0",
            )
        )
    return ergebnis


def _text(wert: Any) -> str:
    return "" if wert is None else str(wert)


@dataclass(frozen=True)
class _Wieder:
    """A Kostenausgleich row the copy writes as `partner`'s whose name in the return was
    another (`herkunft`: what stood there, for a message); `figuren`: (header, cell in the
    return, value) of the Fallzahl or share typed in it. `unklar`: the row named a partner
    and showed another's Einwohner, so whose the figures are is open."""

    partner: str
    figuren: list[tuple[str, str, Any]]
    herkunft: str
    unklar: bool
    frage: str  # for an `unklar` row: what the return does not say


def _figur_text(kopf: str, wert: Any) -> str:
    """A Fallzahl or share as the cell shows it: a share in per cent. Its own name: as a second
    `_wert_text` (the Prüfbericht's, further down) the later one replaced it, and every copy
    with an `unklar` figure failed with a TypeError (merge of kausgl15, review)."""
    if kopf == "Anteil individuell" and isinstance(wert, int | float | Decimal):
        return deutsch.prozent(wert)
    return _wert_text(wert)


def _wieder_benannt(d: Dateiergebnis, st: Any) -> dict[tuple[str, str], list[_Wieder]]:
    """(sheet, Kommune cell) -> what the copy makes of each Kostenausgleich row that it
    writes as a partner's row whose name in the return was another: typed over or blanked
    and found to be a partner's row by its Einwohner (a PARTNER Fehler there), or a
    partner's name over another partner's Einwohner (names moved by a row, swapped, the
    column sorted alone). The red of 'still the typed name' would never show, and the
    figures came from a row that said another Kommune; the Fallzahl carried over to the
    partner of the name went unmarked (review).

    In the copy of an invalid return also the two rows of the Warnung 'Eine Einwohnerzahl
    wurde überschrieben' (one partner's Einwohner beside another's name and in her own row):
    the copy writes every Einwohner from the Stammdaten, so that evidence and its Warnung
    were gone, and sent back unchanged it counted by the names, which with the names swapped
    as well exchanged the two figures without a word (review 16a). Both stay open."""
    g = d.gelesen.get("tbl_Kostenausgleich")
    if g is None:
        return {}
    gelesen = dict(g.zeilen)
    roh = dict(g.roh.als_dicts())
    einwohner = gezeigte_einwohner(d, st)
    # every Kommune whose Einwohner the workbook shows (its partners, or for an older workbook
    # all of the Stammdaten): the check has decided whose row it is, the copy only says why
    pz = Partnerzeilen(tuple(einwohner), einwohner)
    wieder: dict[tuple[str, str], list[_Wieder]] = {}
    # a valid return counts already: its copy is that return with comments (PO, session 16)
    ungueltig = any(b.stufe is Stufe.FEHLER for b in d.befunde)
    for b in d.befunde:
        if not (
            b.regel is Regel.PARTNER
            and (b.stufe is Stufe.FEHLER or (ungueltig and b.stufe is Stufe.WARNUNG))
            and b.blatt == g.roh.blatt
            and b.spalte == "Kommune"
            and b.zelle
        ):
            continue
        zeile = adresse_zerlegen(b.zelle)[0]
        name = gelesen.get(zeile, {}).get("Kommune")
        if not isinstance(name, str):
            continue
        unklar, frage = False, ""
        dazu: list[_Wieder] = []
        if b.stufe is Stufe.WARNUNG and (ist_leer(b.wert) or name != b.wert):
            continue  # only the Warnung about Einwohner beside a partner's name, below
        if ist_leer(b.wert):
            herkunft = "keine Kommune stand"
        elif name != b.wert:
            herkunft = f"{zitat(_text(b.wert))} stand"
        elif ist_leer(gezeigt := gelesen.get(zeile, {}).get("Einwohner")):
            # an added row of her name, her Einwohner in another row (`pruefen._ohne_einwohner`)
            dort = pz.unter_anderem_namen(name, g.zeilen, ausser=zeile)
            if len(dort) != 1 or b.stufe is Stufe.WARNUNG:
                continue
            # the return's row: in the copy, row 16 may be hers (review 16a)
            herkunft = (
                "in einer Zeile ohne Einwohnerzahl; ihre stand in Zeile "
                f"{dort[0][0]} der eingesandten Mappe"
            )
            unklar, frage = True, "Welcher Wert für sie gilt, sagt die Mappe nicht"
        else:
            von = [p for p in pz.einwohner_von(gelesen[zeile]) if p != name]
            if einwohner.get(name) == gezeigt or len(von) != 1:
                continue
            herkunft = f"neben der Einwohnerzahl {deutsch.zahl(gezeigt)} von {zitat(von[0])}"
            unklar, frage = (
                True,
                "Für welche der beiden Kommunen der Wert gilt, sagt die Mappe nicht",
            )
            if b.stufe is Stufe.WARNUNG:
                # her own row, name and Einwohner: its figure may as well be the other's
                ihre = pz.eigene_zeilen(von[0], g.zeilen, lambda _z, w: w.get("Kommune"))
                if not (ihre := [z for z in ihre if z != zeile]):
                    continue
                dazu = [
                    _Wieder(
                        von[0],
                        _figuren(g, roh, z),
                        f"ihre Einwohnerzahl {deutsch.zahl(gezeigt)} stand auch in Zeile "
                        f"{zeile} der eingesandten Mappe bei {zitat(name)} (überschrieben "
                        "oder Namen vertauscht?)",
                        True,
                        "Welcher Wert für sie gilt, sagt die Mappe nicht",
                    )
                    for z in ihre
                ]
        wieder[(b.blatt, b.zelle)] = [
            _Wieder(name, _figuren(g, roh, zeile), herkunft, unklar, frage),
            *dazu,
        ]
    return wieder


def _figuren(g: Any, roh: dict[int, dict[str, Any]], zeile: int) -> list[tuple[str, str, Any]]:
    """(header, cell in the return, value) of the Fallzahl or share typed in row `zeile`."""
    return [
        (kopf, g.adresse(zeile, kopf), wert)
        for kopf in ("Fallzahl", "Anteil individuell")
        if kopf in g.roh.koepfe and not ist_leer(wert := roh.get(zeile, {}).get(kopf))
    ]


#: A row number in a message's text ('steht schon in Zeile 8', 'in den Zeilen 8 und 10', 'die
#: Zeilen 3 bis 5'), the whole list at once: atomic, so that a list already marked is not
#: matched again in part ('Zeilen 8' of 'Zeilen 8 und 10 der eingesandten Mappe'), nor the
#: range cut ('Zeilen 3 der eingesandten Mappe bis 5').
_ZEILENANGABE = re.compile(
    r"\bZeilen? (?>\d+(?:(?:, | und | bis | oder )\d+)*)"
    r"(?! der (?:damals )?eingesandten Mappe)(?!\d)"
)


def _zeilen_der_eingesandten(meldung: str) -> str:
    """A Kostenausgleich message for the copy's list, its row numbers marked as the return's.

    The copy writes each partner in her row again (`_platz_in_der_kopie`): the leading cell
    was converted, but 'Stadt Helmstedt steht schon in Zeile 8' or 'Ihre Einwohnerzahl steht
    in Zeile 16 unter dem Namen …' named rows of the return that in the copy hold another
    Kommune, or none (review). Converted they would be false: they describe what the return
    showed; so they say so."""
    return _ZEILENANGABE.sub(lambda m: f"{m.group(0)} der eingesandten Mappe", meldung)


def _mit_platz_der_kopie(meldung: str, blatt: str, alt: str, neu: str) -> str:
    """A message that opens with the cell in the return, for the copy's cell `neu`."""
    vorn = f"{blatt}!{alt}"
    if not meldung.startswith(vorn):
        return meldung
    return f"{blatt}!{neu} (in der eingesandten Mappe {alt}){meldung[len(vorn) :]}"


def _partnerzeilen_der_kopie(d: Dateiergebnis, st: Any, ag: Any) -> dict[tuple[str, str], str]:
    """(sheet, partner) -> the Kommune cell of her row in the copy's Kostenausgleich, which
    writes one row per partner in the order of the Stammdaten."""
    tdef = definition.arbeitsmappe().tabelle("tbl_Kostenausgleich")
    g = d.gelesen.get("tbl_Kostenausgleich")
    if g is None:
        return {}
    erste = tdef.spalten[0].kopf
    return {
        (g.roh.blatt, str(v.get(erste))): g.adresse(g.roh.kopfzeile + 1 + i, erste)
        for i, v in enumerate(erzeugen.vorgegebene_zeilen(tdef, st, ag))
    }


def _platz_in_der_kopie(d: Dateiergebnis, st: Any, ag: Any) -> Callable[[str, str, Regel], str]:
    """Where a cell of the return's Kostenausgleich is in the Korrektur copy.

    The copy writes one row per partner in the order of the Stammdaten (see
    `erzeugen._zusammenfuehren`), whatever order the return had: a row typed over and read
    as a partner's (`pruefen._zeilen_der_fehlenden`), rows deleted, added or sorted. Marked at
    the return's address, the red and 'bitte prüfen, ob der Wert für … gilt' sat on another
    partner's row, the value they meant unmarked (review). The sum of the shares is marked at
    the first row, from which its range runs.
    """
    tdef = definition.arbeitsmappe().tabelle("tbl_Kostenausgleich")
    g = d.gelesen.get("tbl_Kostenausgleich")
    if g is None:
        return lambda _blatt, adresse, _regel: adresse
    erste = tdef.spalten[0].kopf
    reihe = [str(v.get(erste)) for v in erzeugen.vorgegebene_zeilen(tdef, st, ag)]
    oben = g.roh.kopfzeile + 1
    ziel: dict[int, int] = {}
    for z, w in g.zeilen:
        name = str(w.get(erste))
        if name in reihe and oben + reihe.index(name) not in ziel.values():
            ziel[z] = oben + reihe.index(name)

    def umsetzen(blatt: str, adresse: str, regel: Regel) -> str:
        zeile, spalte = adresse_zerlegen(adresse)
        if blatt != g.roh.blatt or not oben <= zeile <= max(ziel, default=0):
            return adresse
        if regel is Regel.SUMME:
            return zelle(oben, spalte)
        return zelle(ziel.get(zeile, zeile), spalte)

    return umsetzen


def _weggelassene_zeilen(d: Dateiergebnis, st: Any, ag: Any) -> set[tuple[str, int]]:
    """(sheet, Excel row) of the rows of a return that its Korrektur copy does not have.

    A table of prescribed rows (Projektbeschreibung) or of rows from the Stammdaten (one per
    partner, one per criterion) is written again from those; a row the clerk added, or a
    second one of the same key, is not in it (see `erzeugen._zusammenfuehren`).
    """
    weg: set[tuple[str, int]] = set()
    for _, tdef in definition.arbeitsmappe().tabellen:
        g = d.gelesen.get(tdef.name)
        if g is None or not (tdef.zeilen or tdef.zeilen_aus):
            continue
        zeilen: list[tuple[int, str | None]]
        if tdef.zeilen:
            # keyed as pruefen reads them, from the raw rows (the read ones may have been
            # thinned out by then, `Dateiergebnis.verdichten`)
            spalte = tdef.schluessel or ""
            erlaubt = {str(z.werte.get(spalte)) for z in tdef.zeilen}
            zeilen = [(z, zeilenschluessel(w.get(spalte))) for z, w in g.roh.als_dicts()]
        else:
            erste = tdef.spalten[0].kopf
            erlaubt = {str(v.get(erste)) for v in erzeugen.vorgegebene_zeilen(tdef, st, ag)}
            zeilen = [(z, str(w.get(erste))) for z, w in g.zeilen]
        erste_je_schluessel: dict[str, int] = {}
        for z, k in zeilen:
            if k is not None and k in erlaubt:
                erste_je_schluessel.setdefault(k, z)
        behalten = set(erste_je_schluessel.values())
        weg |= {(g.roh.blatt, z) for z, _ in g.roh.als_dicts() if z not in behalten}
    return weg


#: Findings about a cell's own value: the copy holds that value (text read as a number or a
#: list value: what it was read as), the red can follow it.
_ZELLWERT = WERTREGELN | {Regel.UMGEWANDELT}


def _noch_falsch(b: Befund, anteile: int = 0) -> str | None:
    """The condition under which the cell of `b` still holds what was found, or None (stays
    red): the value as the copy writes it (for text read as a number or list value: that
    text), emptiness for a missing entry, a constant where a formula belongs, individual
    shares (`anteile` rows from the marked one down) that do not add up to 100 %.

    The copy puts every formula back and writes text read as a number as that number, so
    such a cell is repaired there already: red would send the clerk looking for something to
    correct that is not there any more. The finding stays in the comment and the list.
    """
    if not b.zelle:
        return None
    if b.regel in (Regel.PFLICHT, Regel.RISIKO) or (b.regel is Regel.PARTNER and b.wert is None):
        # RISIKO: the Gegenmaßnahme is missing; PARTNER: an Einwohner cell was cleared
        return f"=LEN(TRIM({b.zelle}))=0"
    if b.regel is Regel.FORMEL and b.spalte in RECHENGRUNDLAGEN_NAMEN:
        # a value the Steuerungsmappe fixes: the copy has it again, red if typed over anew
        wert = b.wert
        if isinstance(wert, int | float) and not isinstance(wert, bool):
            return f"={b.zelle}={format(Decimal(repr(wert)).normalize(), 'f')}"
        return f"=LEN(TRIM({b.zelle}))=0" if wert is None else None
    if b.regel is Regel.FORMEL:
        return f"=NOT(ISFORMULA({b.zelle}))"  # XlsxWriter writes it as _xlfn.ISFORMULA
    if b.regel is Regel.SUMME and b.spalte == "Anteil individuell" and anteile:
        from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell

        zeile, spalte = xl_cell_to_rowcol(b.zelle)
        bereich = f"{b.zelle}:{xl_rowcol_to_cell(zeile + anteile - 1, spalte)}"
        return f"=ROUND(SUM({bereich}),6)<>1"
    if b.regel not in _ZELLWERT:
        return None
    wert = b.wert
    if b.regel is Regel.UMGEWANDELT and not isinstance(wert, str):
        return None  # a number read as a date: the copy holds the same number as that date
    text = wert.replace('"', '""') if isinstance(wert, str) else ""
    if text and len(text) <= 250 and "\n" not in text:  # Excel: at most 255 in a literal
        return f'={b.zelle}="{text}"'
    if text and b.regel is Regel.UMGEWANDELT:
        return "=FALSE"  # the copy holds what it was read as; this text cannot come back
    if isinstance(wert, int | float | Decimal) and not isinstance(wert, bool):
        zahl = Decimal(repr(wert)) if isinstance(wert, float) else Decimal(wert)
        if zahl.is_finite():
            return f"={b.zelle}={format(zahl.normalize(), 'f')}"
    return None


def pruefbericht_schreiben(
    ergebnis: Pruefergebnis, ziel: Path, korrekturen: dict[str, Path], stand: str = ""
) -> Path:
    """One row per finding with a link to the cell in the Korrektur copy; one row per file.

    `stand` (the newest receipt) dates the report instead of the clock, so that running
    `konsolidieren` twice on the same returns writes the same report.
    """

    import xlsxwriter

    zeitpunkt = datetime.fromisoformat(stand) if stand else datetime.now().replace(microsecond=0)

    def seite_einrichten(blatt: Any, name: str, kopfzeile: int) -> None:
        """Like the overview: A4 landscape, one page wide, header and footer, print titles."""
        blatt.set_landscape()
        blatt.set_paper(9)
        blatt.fit_to_pages(1, 0)
        blatt.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        blatt.set_header(xlsx.kopfzeile("Prüfbericht der Rückläufe", name))
        blatt.set_footer(f"&L&8Stand {zeitpunkt:%d.%m.%Y %H:%M}&R&8Seite &P von &N")
        blatt.repeat_rows(kopfzeile)

    def zeilenhoehe(blatt: Any, r: int, texte: Iterable[tuple[str, float]]) -> None:
        """Height for wrapped text: neither Excel nor LibreOffice fits it when opening.

        In the widths of Arial's characters (`xlsx.textzeilen`): counted as 1.25 characters
        per unit of width, the status of a replaced file printed its last line over the next
        row, a long file name too (print review 17)."""
        zeilen = max((xlsx.textzeilen(s, breite) for s, breite in texte), default=1)
        if zeilen > 1:
            blatt.set_row(r, xlsx.zeilenhoehe(zeilen))

    # unchanged, it keeps its date: "zweimal hintereinander ändert sich nichts außer dem
    # Zeitstempel der Übersicht" (README), as the Korrektur copies do (session 24)
    with atomar(ziel, nur_wenn_anders=True) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "in_memory": True,
                "default_format_properties": xlsx.standardschrift(),
            },
        )
        wb.set_properties({"title": "Prüfbericht", "author": "ikz_excel", "created": zeitpunkt})
        basis = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
        kopfstil = {**basis, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78"}
        kopf = wb.add_format(kopfstil)
        # Counts and their headers centred: a left-aligned header over right-aligned numbers
        # made the counts look as if they stood under the next column.
        kopf_zahl = wb.add_format({**kopfstil, "align": "center"})
        text = wb.add_format(basis)
        # apart from a file name that fills its column ("…ausgefüllt.xlsxAG-04", print review)
        eingerueckt = wb.add_format({**basis, "align": "left", "indent": 1})
        zahl = wb.add_format({**basis, "align": "center"})
        verweis = wb.add_format({**basis, "font_color": "#0563C1", "underline": 1})
        titel = wb.add_format({**basis, "bold": True, "font_size": 14, "text_wrap": False})
        farben = {s: wb.add_format({**basis, "bg_color": f}) for s, f in STUFENFARBE.items()}

        ws = wb.add_worksheet("Dateien")
        ws.write_string(
            0, 0, f"Prüfbericht – Stand der Rückläufe {zeitpunkt:%d.%m.%Y %H:%M}", titel
        )
        ws.set_row(0, 22)  # 14 pt: the file's default of 15 points cut it in LibreOffice
        koepfe = [
            "Datei",
            "Arbeitsgruppe",
            "Status",
            "Fehler",
            "Warnungen",
            "Hinweise",
            "Korrektur",
        ]
        # The Korrektur column as wide as its longest link: LibreOffice does not wrap a link,
        # it ran past the edge of the table and the page.
        laengste = max((len(p.name) for p in korrekturen.values()), default=0)
        breiten = [44, 14, 24, 9, 11, 9, min(max(30, laengste + 2), 80)]
        for c, (k, b) in enumerate(zip(koepfe, breiten, strict=True)):
            ws.write_string(2, c, k, kopf_zahl if c in (3, 4, 5) else kopf)
            ws.set_column(c, c, b)
        for r, d in enumerate(ergebnis.dateien, start=3):
            ws.write_string(r, 0, d.name, text)
            ws.write_string(r, 1, d.arbeitsgruppe or "", eingerueckt)
            fehlerfarbe = d.zahl(Stufe.FEHLER) and not d.ersetzt_durch
            ws.write_string(r, 2, d.statustext, farben[Stufe.FEHLER] if fehlerfarbe else text)
            for c, stufe in enumerate((Stufe.FEHLER, Stufe.WARNUNG, Stufe.HINWEIS), start=3):
                ws.write_number(r, c, d.zahl(stufe), zahl)
            korrektur = korrekturen[d.name].name if d.name in korrekturen else ""
            if korrektur:
                ws.write_url(r, 6, f"external:{korrektur}", verweis, string=korrektur)
            zeilenhoehe(
                ws,
                r,
                [(d.name, breiten[0]), (d.statustext, breiten[2]), (korrektur, breiten[6])],
            )
        ws.autofilter(2, 0, 2 + len(ergebnis.dateien), len(koepfe) - 1)
        ws.freeze_panes(3, 0)
        seite_einrichten(ws, "Dateien", 2)

        wf = wb.add_worksheet("Befunde")
        koepfe = ["Datei", "AG", "Blatt", "Zelle", "Spalte", "Wert", "Stufe", "Regel", "Meldung"]
        # Regel in words with its code: "RISIKO" said nothing to a clerk (print review); the
        # code stays for whoever filters on it, as in `pruefen --json`.
        # Blatt as wide as "Projektbeschreibung": in 16 it broke into "Projektbeschreibun|g"
        # (seen once the workbook's own font was Arial, as Excel measures it); Spalte as wide
        # as "Eintrittswahrscheinlichkeit", the longest word of a header (in 18 it broke):
        # Datei and Meldung give the room, the page stays as wide
        breiten = [26, 8, 21, 7, 28, 16, 9, 20, 54]
        for c, (k, b) in enumerate(zip(koepfe, breiten, strict=True)):
            wf.write_string(0, c, k, kopf)
            wf.set_column(c, c, b)
        # An older version's findings stood red like those that count, under its bare name:
        # a clerk read "Fehler D12" of the first return beside the corrected one that counts
        # (new clerk probe). Named as on the sheet Dateien and in the overview, not coloured.
        # A copy with the same bytes names the file that counts, as on the sheet Dateien:
        # "dieselbe Datei" alone did not say which, once the sheet was filtered (klein18)
        ersetzt = {
            d.name: f"dieselbe Datei wie {d.ersetzt_durch}, zählt nur einmal"
            if d.identisch
            else "ältere Fassung, zählt nicht"
            for d in ergebnis.dateien
            if d.ersetzt_durch
        }
        for r, b in enumerate(ergebnis.befunde, start=1):
            fmt = text if b.datei in ersetzt else farben[b.stufe]
            wert = _wert_text(b.wert)
            datei = f"{b.datei} ({ersetzt[b.datei]})" if b.datei in ersetzt else b.datei
            wf.write_string(r, 0, datei, fmt)
            wf.write_string(r, 1, b.arbeitsgruppe or "", fmt)
            wf.write_string(r, 2, b.blatt or "", fmt)
            korrektur = korrekturen.get(b.datei)
            if b.zelle and b.blatt and korrektur is not None:
                ziel_zelle = f"'{b.blatt}'!{b.zelle}"
                wf.write_url(r, 3, f"external:{korrektur.name}#{ziel_zelle}", fmt, string=b.zelle)
            else:
                wf.write_string(r, 3, b.zelle or "", fmt)
            wf.write_string(r, 4, b.spalte or "", fmt)
            wf.write_string(r, 5, wert, fmt)
            wf.write_string(r, 6, b.stufe.value, fmt)
            regel = regeltext(b.regel)
            wf.write_string(r, 7, regel, fmt)
            wf.write_string(r, 8, b.meldung, fmt)
            zeilenhoehe(
                wf,
                r,
                zip(
                    (datei, b.blatt or "", b.spalte or "", wert, regel, b.meldung),
                    (breiten[0], breiten[2], breiten[4], breiten[5], breiten[7], breiten[8]),
                    strict=True,
                ),
            )
        wf.autofilter(0, 0, max(len(ergebnis.befunde), 1), len(koepfe) - 1)
        wf.freeze_panes(1, 0)
        seite_einrichten(wf, "Befunde", 0)
        wb.close()
    return ziel


def regeltext(regel: Regel) -> str:
    """The rule as the Prüfbericht names it: in words, with the stable code that tools and
    the JSON output use, e.g. "Angabe fehlt (PFLICHT)"."""
    return f"{regel.bezeichnung} ({regel.value})"


def _wert_text(wert: Any) -> str:
    """The value read, as the finding's message writes it (`deutsch.wert`); empty for none."""
    return "" if wert is None else deutsch.wert(wert)


def nennt_kuerzel(text: str, kuerzel: str) -> bool:
    """Whether `text` (a file name) names the AG `kuerzel`, as clerks write it: 'AG-03',
    'AG 03', 'ag_03', 'AG03'; not 'AG-031' for 'AG-03'."""
    teile = re.findall(r"[^\W_]+", kuerzel)
    if not teile:
        return False
    muster = r"[\W_]*".join(re.escape(t) for t in teile)
    vorn = r"(?<!\d)" if teile[0][0].isdigit() else r"(?<![^\W\d_])"
    hinten = r"(?!\d)" if teile[-1][-1].isdigit() else r"(?![^\W\d_])"
    return re.search(vorn + muster + hinten, text, re.IGNORECASE) is not None


def korrekturziele(
    namen: Iterable[str], ordner: Path, kuerzel: dict[str, str] | None = None
) -> dict[str, Path]:
    """Where each file's Korrektur copy goes, decided before checking.

    Decided for all files at once and in their order, so the copies can be written wherever a
    file is checked (in a worker process) without two files claiming one name: AG-01.xlsx in
    two folders must not replace each other's copy. The first of the same name gets the plain
    name: `berichte_schreiben` puts the versions that count first.

    `kuerzel` (by file name: the AG a return is of) goes into the name when the file's own
    name does not say it: two AGs that both sent "Arbeitsmappe.xlsx" got
    "Korrektur_Arbeitsmappe.xlsx" and "Korrektur_Mail-Y-Arbeitsmappe.xlsx", and nobody could
    tell which to send to whom (coordination probe 24). Now "Korrektur_AG-03_Arbeitsmappe.xlsx".
    """
    kuerzel = kuerzel or {}
    ziele: dict[str, Path] = {}
    # compared without case: on Windows and on most shares "AG-01" and "ag-01" are one file
    vergeben: set[str] = set()
    for name in namen:
        # a Korrektur copy sent back: "Korrektur_AG-02 ….xlsx", not "Korrektur_Korrektur_…"
        stamm = re.sub(r"(?i)^(korrektur_)+", "", Path(name).stem) or Path(name).stem
        ag = kuerzel.get(name) or ""
        vorsatz = f"{dateiname(ag)}_" if dateiname(ag) and not nennt_kuerzel(stamm, ag) else ""
        datei = f"Korrektur_{vorsatz}{dateiname(stamm)}.xlsx"
        if datei.casefold() in vergeben:
            # with its folder, still without the prefix: a copy sent back beside the first
            # return was "Korrektur_Mail-20-03-Korrektur_AG-01-….xlsx" (new clerk probe)
            basis, nummer = vorsatz + dateiname(str(Path(name).parent / stamm)), 2
            datei = f"Korrektur_{basis}.xlsx"
            while datei.casefold() in vergeben:
                datei, nummer = f"Korrektur_{basis}-{nummer}.xlsx", nummer + 1
        vergeben.add(datei.casefold())
        ziele[name] = ordner / datei
    return ziele


PARALLEL_AB = 8  # a Korrektur copy takes some 35 ms: from here on two cores pay off

_ARBEITER: dict[str, Any] = {}


def _arbeiter_start(st: Any, nachrangig: bool) -> None:
    _ARBEITER["st"] = st
    if nachrangig and hasattr(os, "nice"):  # Windows has no nice; the workers then just share
        # The main process writes the overview meanwhile: the longest single task, it should
        # not have to share its core; the workers take what CPU is left.
        os.nice(10)


#: In archiv/, hidden (not in berichte/, which people read): from what each Korrektur copy was
#: written, by its path, so that an unchanged one is not written again. A second run then
#: changes none of them: a folder synced to a share uploads nothing, a copy open in Excel is
#: no reason for a Warnung, and a run of some hundred AGs saves a second of CPU (archive probe).
KORREKTURSTAND = ".korrekturen.json"

Korrektur = tuple[Path | None, str | None, dict[str, Any] | None]
"""A copy written (or unchanged), or why not; and what `KORREKTURSTAND` notes of it."""


def korrekturgrundlage(st: Any) -> str:
    """What a Korrektur copy depends on besides the return: this program and the Stammdaten
    (all of them: the few runs after the Lenkungsgruppe's decisions write the copies anew)."""
    import xlsxwriter

    daten = repr([pfade.programmstand(), xlsxwriter.__version__, st])
    return hashlib.sha256(daten.encode("utf-8", "surrogatepass")).hexdigest()


def _fuer_schluessel(wert: Any) -> Any:
    """A value of a copy's content in the key with its type; TypeError for any other type:
    then the copy has no key and is simply written each time."""
    if isinstance(wert, (datetime, date, uhrzeit, Decimal)):
        return [type(wert).__name__, str(wert)]
    if isinstance(wert, erzeugen.Korrekturpunkt):
        return dataclasses.astuple(wert)
    raise TypeError(type(wert).__name__)


def _korrekturschluessel(
    grundlage: str, ziel: Path, ag: Any, angaben: dict[str, Any]
) -> str | None:
    """`ag` counts too: the untouched Mappe of AG-02, saved under the name AG-01's had, holds
    the same content when both have one Projektauftrag and the same partners (review)."""
    inhalt = {
        name: list(wert.items()) if isinstance(wert, dict) and name != "eingaben" else wert
        for name, wert in angaben.items()
    }
    try:
        text = json.dumps([grundlage, ziel.name, ag.kuerzel, inhalt], default=_fuer_schluessel)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _dateistand(pfad: Path) -> dict[str, int]:
    """Size and time of the file as written: changed by anyone since, it is written anew."""
    try:
        s = pfad.stat()
    except OSError:
        return {}
    return {"groesse": s.st_size, "geaendert_ns": s.st_mtime_ns}


def _ohne_inhalt(name: str) -> str:
    """Why a copy was not written when the return's tables are not at hand (`_korrektur`):
    what, and what to do, as the console and the Prüfbericht say it of a full disk."""
    return (
        f"Die Tabellen von {name} wurden nicht gelesen; ohne sie gibt es nichts, woraus das "
        "Korrekturexemplar entstehen könnte. Bitte der Arbeitsgruppe die Befunde dieser Datei "
        "schicken: Sie behebt sie in ihrer eigenen Mappe und schickt diese wieder ein."
    )


def _korrektur(
    d: Dateiergebnis, st: Any, ziel: Path, grundlage: str = "", bisher: Any = None
) -> Korrektur:
    """One Korrektur copy, or why it could not be written: one copy never stops the others.

    Not written again when `bisher` (its entry in `KORREKTURSTAND`) shows the file there was
    written from the same content and not changed since."""
    try:
        # Only a file that was read needs a copy (`braucht_korrektur`), and a file is read only
        # once its AG is one of the Steuerungsmappe's (`pruefen._kennung_pruefen` before
        # `Dateiergebnis.gelesen` is set; the check's store keeps no tables): there should
        # always be an `inhalt`. Should there be none after all, the Prüfbericht says so in
        # German and what to do; an assert here read "AssertionError: …" there (session 24).
        inhalt = _korrekturinhalt(d, st)
        if inhalt is None:
            return None, _ohne_inhalt(d.name), None
        schluessel = _korrekturschluessel(grundlage, ziel, *inhalt) if grundlage else None
        if schluessel is not None and bisher == {"schluessel": schluessel, **_dateistand(ziel)}:
            return ziel, None, bisher
        korrektur_schreiben(d, st, ziel, inhalt)
        stand = {"schluessel": schluessel, **_dateistand(ziel)} if schluessel else None
        return ziel, None, stand
    except Exception as fehler:
        return None, dateifehler(fehler) or f"{type(fehler).__name__}: {fehler}", None


def _korrektur_im_arbeiter(d: Dateiergebnis, ziel: Path, grundlage: str, bisher: Any) -> Korrektur:
    return _korrektur(d, _ARBEITER["st"], ziel, grundlage, bisher)


def _eintrag(ziel: Path) -> str:
    """A copy's entry in `KORREKTURSTAND`: its absolute path. The demo names the workspace
    absolutely, `ikz konsolidieren -a .` relatively; both are one copy (found as a new user:
    the first run after the demo wrote every copy again)."""
    return str(ziel.absolute())


def _korrekturstand_lesen(datei: Path | None) -> dict[str, Any]:
    try:
        stand = json.loads(datei.read_text(encoding="utf-8")) if datei else {}
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: every copy is written, as without it
    return stand if isinstance(stand, dict) else {}


def _korrekturstand_schreiben(
    datei: Path | None, ordner: Path, alt: dict[str, Any], neu: dict[str, Any]
) -> None:
    """Note this run's copies in `ordner`; those of other folders (`ikz pruefen` of a
    selection writes to berichte/Auswahl) stay as they were."""
    neu = {
        **{p: v for p, v in alt.items() if Path(p).parent != ordner.absolute()},
        **neu,
    }
    if datei is None or not datei.parent.is_dir() or neu == alt:
        return
    try:
        with atomar(datei) as tmp:
            # ASCII: a path not in UTF-8 (surrogates on Linux) cannot be written as UTF-8
            tmp.write_text(json.dumps(neu), encoding="utf-8")
    except (OSError, ValueError):
        pass  # only a saving: the copies are written again next time


def _korrekturen_schreiben(
    auftraege: list[tuple[Dateiergebnis, Path]],
    st: Any,
    daneben: Callable[[], None] | None = None,
    stand: dict[str, Any] | None = None,
) -> list[Korrektur]:
    """Write the Korrektur copies, on all cores when there are many, while `daneben` runs here.

    `konsolidieren` writes the overview in the meantime: both are mostly XlsxWriter's work and
    would otherwise wait for each other on one core. `daneben` must not raise. `stand` (see
    `KORREKTURSTAND`, by path) spares writing the copies that would not change.
    """
    from concurrent.futures.process import BrokenProcessPool

    from ikz_excel import arbeitsprozesse

    stand = stand or {}
    grundlage = korrekturgrundlage(st) if auftraege else ""
    bisher = [stand.get(_eintrag(ziel)) for _, ziel in auftraege]
    ergebnisse: list[Korrektur] = []
    parallel = arbeitsprozesse.lohnt_sich(len(auftraege), PARALLEL_AB)
    with arbeitsprozesse.pool(_arbeiter_start, (st, daneben is not None)) as pool:
        laufend = []
        if pool is not None and parallel:
            try:
                laufend = [
                    pool.submit(_korrektur_im_arbeiter, d, z, grundlage, b)
                    for (d, z), b in zip(auftraege, bisher, strict=True)
                ]
            except (OSError, RuntimeError):  # no processes allowed here: written below
                laufend = []
        if daneben is not None:
            daneben()
        try:
            ergebnisse = [f.result() for f in laufend]
        except BrokenProcessPool:  # a worker died (out of memory?): written below
            ergebnisse = []
    if len(ergebnisse) != len(auftraege):
        ergebnisse = [
            _korrektur(d, st, ziel, grundlage, b)
            for (d, ziel), b in zip(auftraege, bisher, strict=True)
        ]
    return ergebnisse


def berichte_schreiben(
    ergebnis: Pruefergebnis,
    st: Any,
    ordner: Path,
    stand: str = "",
    daneben: Callable[[], Any] | None = None,
    korrekturstand: Path | None = None,
) -> tuple[Path, dict[str, Path]]:
    """Prüfbericht plus a Korrektur copy for every return with Fehler or Warnungen.

    `daneben` runs in this process while the copies are being written (see
    `_korrekturen_schreiben`); should it fail, copies and Prüfbericht are written all the same
    before its error goes on: the Arbeitsgruppen can be answered even when the overview is
    open in Excel and cannot be replaced. A copy that cannot be written becomes a Warnung of
    its file in the Prüfbericht.

    `ergebnis` holds all files `ordner` reports on (all of eingang/, or one selection): Korrektur
    copies in `ordner` that belong to none of them (the file was removed from eingang/) move to
    `ordner`/alt, so that nobody sends one back. `korrekturstand` (see `KORREKTURSTAND`): where
    to note what the copies were written from; without it, every copy is written.
    """
    ordner.mkdir(parents=True, exist_ok=True)
    # The version that counts is named first: its copy takes the plain name. The AG that
    # sends back its Korrektur_AG-10.xlsx beside the first return got Korrektur_AG-10-2.xlsx,
    # the name kept free for the older AG-10.xlsx, which gets no copy (klein18).
    ziele = korrekturziele(
        (d.name for d in sorted(ergebnis.dateien, key=lambda d: bool(d.ersetzt_durch))),
        ordner,
        # only of an AG of the Steuerungsmappe: the copy of a file that cannot be read, or of
        # one whose AG was struck off, keeps the name it had (it stays, see below)
        {
            d.name: k
            for d in ergebnis.dateien
            if d.lesbar and (k := st.kuerzel_jetzt(d.arbeitsgruppe))
        },
    )
    auftraege = []
    behalten: set[Path] = set()
    for d in ergebnis.dateien:
        ziel = ziele[d.name]
        if d.braucht_korrektur:
            auftraege.append((d, ziel))
        elif d.lesbar and ziel.exists():
            if not d.gelesen and d.zahl(Stufe.FEHLER) and not d.ersetzt_durch:
                # Still faulty, but no copy can be made now (its AG struck off or renamed):
                # the old copy holds all its inputs and stays (review: it was deleted).
                behalten.add(ziel)
            else:
                # Read and fixed since the last run, or replaced by a newer version: an old
                # Korrektur copy would only confuse. (A file that could not be read at all is
                # not fixed: its old copy stays.)
                try:
                    ziel.unlink()
                except OSError:  # open in Excel on Windows: it goes next time (Windows review)
                    behalten.add(ziel)
    fehler_daneben: list[Exception] = []

    def daneben_gefangen() -> None:
        try:
            daneben()  # type: ignore[misc]
        except Exception as fehler:
            fehler_daneben.append(fehler)

    korrekturen: dict[str, Path] = {}
    bisher = _korrekturstand_lesen(korrekturstand)
    vorher = {d.name: _ins_korrekturexemplar(d) for d, _ in auftraege}
    geschrieben = _korrekturen_schreiben(
        auftraege, st, daneben_gefangen if daneben is not None else None, bisher
    )
    neuer_stand = {}
    for (d, ziel), (pfad, fehler, woraus) in zip(auftraege, geschrieben, strict=True):
        if woraus is not None:
            neuer_stand[_eintrag(ziel)] = woraus
        if pfad is not None:
            korrekturen[d.name] = pfad
            continue
        # Not written, and `_korrektur` says why: the check's own words, saying that the copy
        # failed ('ikz pruefen' ohne --ohne-berichte was just what had been run)
        d.befunde = vorher[d.name]
        _ins_korrekturexemplar(d, NICHT_GESCHRIEBEN)
        fehler = fehler if fehler.endswith((".", "!", "?")) else fehler + "."
        ergebnis.ohne_korrektur[d.name] = fehler
        d.befunde.append(
            Befund(
                d.name,
                d.arbeitsgruppe,
                None,
                None,
                None,
                None,
                Stufe.WARNUNG,
                Regel.DATEI,
                f"{d.name}: Das Korrekturexemplar {ziel.name} ließ sich nicht schreiben: "
                f"{fehler} Die Befunde stehen hier im Prüfbericht.",
            )
        )
    bericht = pruefbericht_schreiben(ergebnis, ordner / PRUEFBERICHT, korrekturen, stand)
    # The old copy of a file that could not be read stays: it is not fixed. Nor is one whose
    # new copy could not be written (a full disk) moved away: "unverändert", says the message.
    unlesbar = (ziele[d.name] for d in ergebnis.dateien if not d.lesbar)
    ohne = (ziele[name] for name in ergebnis.ohne_korrektur)
    veraltete_korrekturen_weglegen(ordner, {*korrekturen.values(), *unlesbar, *ohne, *behalten})
    _korrekturstand_schreiben(korrekturstand, ordner, bisher, neuer_stand)
    if fehler_daneben:
        raise fehler_daneben[0]
    return bericht, korrekturen


def _ins_korrekturexemplar(d: Dateiergebnis, satz: str = IM_KORREKTUREXEMPLAR) -> list[Befund]:
    """The Fehler of a return read by its header rows says, once its copy is being written,
    that the entries stand in it (the check cannot know that; `pruefen.OHNE_KORREKTUREXEMPLAR`),
    or `satz`. Returns the findings as they were, for a copy that could not be written after
    all."""
    vorher = list(d.befunde)
    d.befunde = [
        dataclasses.replace(b, meldung=b.meldung.removesuffix(OHNE_KORREKTUREXEMPLAR) + satz)
        if b.regel is Regel.STRUKTUR and b.meldung.endswith(OHNE_KORREKTUREXEMPLAR)
        else b
        for b in d.befunde
    ]
    return vorher


def veraltete_korrekturen_weglegen(ordner: Path, bleiben: set[Path]) -> list[Path]:
    """Move the Korrektur copies in `ordner` other than `bleiben` to `ordner`/alt."""
    weg = []
    for pfad in sorted(ordner.glob("Korrektur_*.xlsx")):
        if pfad in bleiben or not pfad.is_file():
            continue
        ziel = freier_name(ordner / "alt" / pfad.name)
        ziel.parent.mkdir(exist_ok=True)
        try:
            pfad.replace(ziel)
        except OSError:  # open in Excel on Windows: it stays, and is moved next time
            continue
        weg.append(ziel)
    return weg


def konsolenbericht(ergebnis: Pruefergebnis, konsole: Any, max_je_datei: int = 40) -> None:
    """The German report on the terminal: per file its status, then findings grouped by sheet."""
    from rich.markup import escape

    stil = {Stufe.FEHLER: "red", Stufe.WARNUNG: "yellow", Stufe.HINWEIS: "cyan"}
    for d in ergebnis.dateien:
        farbe = "green" if d.status.startswith("gültig") else "red"
        if d.ersetzt_durch:
            farbe = "dim"
        ag = f" ({d.arbeitsgruppe})" if d.arbeitsgruppe else ""
        w, h = d.zahl(Stufe.WARNUNG), d.zahl(Stufe.HINWEIS)
        konsole.print(
            f"[bold]{escape(d.name)}[/]{ag}: [{farbe}]{escape(d.statustext)}[/]"
            f" – {d.zahl(Stufe.FEHLER)} Fehler, {w} Warnung{'' if w == 1 else 'en'}, "
            f"{h} Hinweis{'' if h == 1 else 'e'}"
        )
        if d.ersetzt_durch:  # counts nowhere: its findings only in the Prüfbericht,
            # but a name naming another AG concerns this copy (session 24)
            for b in d.befunde if d.identisch else ():
                if b.regel is Regel.DATEI and DATEINAME_NENNT in b.meldung:
                    konsole.print(f"    [{stil[b.stufe]}]{b.stufe.value:<8}[/] {escape(b.meldung)}")
            continue
        blatt = object()
        for b in d.befunde[:max_je_datei]:
            if b.blatt != blatt:
                blatt = b.blatt
                konsole.print(f"  [bold]{escape(b.blatt or 'Datei')}[/]")
            konsole.print(f"    [{stil[b.stufe]}]{b.stufe.value:<8}[/] {escape(b.meldung)}")
        if len(d.befunde) > max_je_datei:
            konsole.print(f"    … und {len(d.befunde) - max_je_datei} weitere (siehe Prüfbericht)")


@dataclass
class Pruefung:
    """One `pruefen` run on a workspace, as the CLI and the buttons both need it."""

    ergebnis: Pruefergebnis
    dateien: list[Path]
    nebendateien: list[Path]
    bericht: Path | None = None
    korrekturen: dict[str, Path] = field(default_factory=dict)
    #: The AGs of which eingang/ holds no file recognised as theirs: before the meeting, whom
    #: to remind. Empty when other files or folders were checked.
    ohne_ruecklauf: list[Any] = field(default_factory=list)
    #: of those, the files that name the AG but could not be read (`pruefen.unlesbare_je_ag`)
    unlesbar: dict[str, list[str]] = field(default_factory=dict)
    #: of those, the workbooks of another AG saved under their name (`pruefen.fremde_je_ag`)
    fremd: dict[str, list[str]] = field(default_factory=dict)

    def fehlende(self) -> list[str]:
        """The AGs without a return, one each: the console lists them a line each (nine AGs
        on one line were hard to read off before the meeting, README walk 20)."""
        return [
            f"{ag.kuerzel} {ag.bezeichnung} (Abgabetermin {ag.abgabetermin:%d.%m.%Y}"
            + (
                f"; nicht lesbar: {', '.join(self.unlesbar[ag.kuerzel])}"
                if ag.kuerzel in self.unlesbar
                else ""
            )
            + (
                f"; unter ihrem Namen, aber nicht ihre Mappe: {', '.join(self.fremd[ag.kuerzel])}"
                if ag.kuerzel in self.fremd
                else ""
            )
            + ")"
            for ag in self.ohne_ruecklauf
        ]


def anzeigename(pfad: Path, quellen: Iterable[Path], ab: Any = None) -> str:
    """The name a clerk recognises: a return in eingang/ relative to it, as `konsolidieren`
    and the Eingangsbuch name it, another file of the Arbeitsbereich `ab` relative to that,
    else relative to the folder that was searched. `ikz pruefen eingang/Laufwerk` named
    'AG-05.xlsx' what `konsolidieren` calls 'Laufwerk/AG-05.xlsx' (round 21).

    With "/" on every system, as the Eingangsbuch writes a file's origin: pruefen asks the
    ledger by this name.
    """
    if ab is not None:
        # the file itself not resolved: a link in eingang/ is named where it lies
        wie = ((pfad.absolute(), Path.absolute), (pfad.parent.resolve() / pfad.name, Path.resolve))
        for ordner in (ab.eingang, ab.wurzel):
            for datei, aufloesen in wie:
                try:
                    return lesbar(datei.relative_to(aufloesen(ordner)).as_posix())
                except (ValueError, OSError):
                    continue
    for quelle in quellen:
        if quelle.is_dir():
            try:
                return lesbar(pfad.relative_to(quelle).as_posix())
            except ValueError:
                continue
    return lesbar(pfad.name)


def arbeitsbereich_pruefen(
    wurzel: Path, pfade: Iterable[Path] = (), mit_berichten: bool = True
) -> Pruefung:
    """Check the given files and folders (default: eingang/) and write the reports."""
    from ikz_excel import stammdaten
    from ikz_excel.arbeitsbereich import Arbeitsbereich

    ab = Arbeitsbereich(wurzel)
    ab.pruefen_eingerichtet()
    st = stammdaten.lesen(ab.steuerungsmappe)
    if not pfade:
        ab.eingang.mkdir(exist_ok=True)  # deleted by someone tidying up: empty, as konsolidieren
    with ab.allein() if mit_berichten else contextlib.nullcontext():
        return _arbeitsbereich_pruefen(ab, st, list(pfade), mit_berichten)


def _arbeitsbereich_pruefen(ab: Any, st: Any, auswahl: list[Path], mit_berichten: bool) -> Pruefung:
    from ikz_excel import pruefen
    from ikz_excel.einlesen import dateien_finden

    quellen = auswahl or [ab.eingang]
    for quelle in quellen:
        if not quelle.exists():
            raise FileNotFoundError(2, "Datei oder Ordner nicht gefunden", str(quelle))
    dateien, nebendateien = dateien_finden(quellen)
    # The Korrektur copies need the contents of faulty files only; the rest can go.
    ergebnis = pruefen.pruefen(
        dateien,
        st,
        anzeigenamen={p: anzeigename(p, quellen, ab) for p in dateien},
        inhalte=False,
    )
    lauf = Pruefung(ergebnis, dateien, nebendateien)
    alle = all(q.resolve() == ab.eingang.resolve() for q in quellen)
    if alle:
        da = {d.arbeitsgruppe for d in ergebnis.dateien}
        lauf.ohne_ruecklauf = [ag for ag in st.arbeitsgruppen if ag.kuerzel not in da]
        lauf.unlesbar = pruefen.unlesbare_je_ag(ergebnis.dateien, st)
        lauf.fremd = pruefen.fremde_je_ag(((d.name, d.arbeitsgruppe) for d in ergebnis.dateien), st)
        from ikz_excel.konsolidieren import aeltere_fassungen_kennzeichnen, eingangsbuch_lesen

        # The ledger knows which of identical copies came first, as konsolidieren counts it.
        erste = {z["sha256"]: z["herkunft"] for z in eingangsbuch_lesen(ab.archiv)}
        aeltere_fassungen_kennzeichnen(ergebnis.dateien, erste)
    if mit_berichten:
        ordner = ab.berichte if alle else ab.berichte / AUSWAHL
        lauf.bericht, lauf.korrekturen = berichte_schreiben(
            ergebnis, st, ordner, korrekturstand=ab.archiv / KORREKTURSTAND
        )
    return lauf
