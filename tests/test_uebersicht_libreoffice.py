"""Real engine: LibreOffice recalculates the Lenkungsgruppe_Uebersicht of the demo.

No error value anywhere, and Gesamt, Rang, Kapitalwert and the Kommunen's shares computed by the
workbook's formulas equal Python's to the cent.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import kommunen_matrix
import pytest
from libreoffice import braucht_libreoffice, fehlerzellen, nachrechnen
from python_calamine import CalamineWorkbook

from ikz_excel import demo, uebersicht
from ikz_excel.konsolidieren import Konsolidierung

pytestmark = braucht_libreoffice


@pytest.fixture(scope="module")
def laeufe(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[demo.Demo, dict[str, Path], Konsolidierung]:
    """The demo's overview and that of the demo spread over 24 Kommunen (its Kommunen-Matrix
    in two parts), recalculated in one LibreOffice call with the Korrektur copies."""
    d = demo.demo(tmp_path_factory.mktemp("uebersicht") / "ikz-demo")
    quelle = d.arbeitsbereich / "Lenkungsgruppe_Uebersicht.xlsx"
    k_viele = kommunen_matrix.viele_kommunen(d.konsolidierung)
    viele = uebersicht.schreiben(k_viele, d.arbeitsbereich.parent / "viele_kommunen.xlsx")
    korrekturen = sorted((d.arbeitsbereich / "berichte").glob("*.xlsx"))
    zurueck = nachrechnen([quelle, viele, *korrekturen], d.arbeitsbereich.parent / "lo")
    for datei in korrekturen:
        assert fehlerzellen(zurueck[datei]) == [], datei.name
    return d, {"demo": zurueck[quelle], "viele": zurueck[viele]}, k_viele


@pytest.fixture(scope="module")
def lauf(laeufe: tuple[demo.Demo, dict[str, Path], Konsolidierung]) -> tuple[demo.Demo, Path]:
    return laeufe[0], laeufe[1]["demo"]


def _teil(pfad: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(pfad) as z:
        return z.read(name)


def _tabelle(pfad: Path, name: str) -> list[dict[str, Any]]:
    with CalamineWorkbook.from_path(str(pfad), load_tables=True) as mappe:
        t = mappe.get_table_by_name(name)
        return [dict(zip(t.columns, z, strict=True)) for z in t.to_python()]


def test_keine_fehlerwerte(lauf: tuple[demo.Demo, Path]) -> None:
    assert fehlerzellen(lauf[1]) == []


def test_gesamt_und_rang_wie_python(lauf: tuple[demo.Demo, Path]) -> None:
    d, pfad = lauf
    gesamt, raenge = d.konsolidierung.gesamtpunkte(), d.konsolidierung.raenge()
    assert gesamt, "die Demo braucht bewertbare Handlungsfelder"
    for zeile in _tabelle(pfad, "tbl_Prioritaetenmatrix"):
        ag = zeile["AG"]
        assert (zeile["Gesamt"] or None) == gesamt.get(ag), ag
        assert (zeile["Rang"] or None) == raenge.get(ag), ag
    for zeile in _tabelle(pfad, "tbl_Uebersicht"):
        assert (zeile["Gesamtpunkte"] or None) == gesamt.get(zeile["AG"])
        assert (zeile["Rang"] or None) == raenge.get(zeile["AG"])


def test_kapitalwert_wie_python(lauf: tuple[demo.Demo, Path]) -> None:
    d, pfad = lauf
    kapitalwerte = {
        s.ag.kuerzel: s.kennzahlen.wirtschaftlichkeit.kapitalwert
        for s in d.konsolidierung.ags
        if s.kennzahlen
    }
    for zeile in _tabelle(pfad, "tbl_Uebersicht"):
        if zeile["AG"] in kapitalwerte:
            assert abs(Decimal(str(zeile["Kapitalwert"])) - kapitalwerte[zeile["AG"]]) <= Decimal(
                "0.005"
            )
        else:
            assert zeile["Kapitalwert"] in ("", None)


def test_kommunen_anteile_wie_python(lauf: tuple[demo.Demo, Path]) -> None:
    d, pfad = lauf
    erwartet = {z["Kommune"]: z for z in d.konsolidierung.kommunen_summe()}
    zeilen = _tabelle(pfad, "tbl_Kommunen")
    assert {z["Kommune"] for z in zeilen} == set(erwartet)
    for z in zeilen:
        e = erwartet[z["Kommune"]]
        for spalte in ("Kostenanteil", "Nutzenanteil", "Saldo"):
            assert abs(Decimal(str(z[spalte])) - e[spalte]) <= Decimal("0.005"), (z, spalte)


def test_kommunen_matrix_wie_python(
    laeufe: tuple[demo.Demo, dict[str, Path], Konsolidierung],
) -> None:
    """Each mayor's column: the SUMIFS over the detail list, recalculated by LibreOffice, give
    Python's Saldo of each Kommune and AG to the cent, the totals the Kommunen sheet's and each
    field's Nutzen minus Kosten; with 24 Kommunen in two parts as with ten in one. AGs without
    figures keep their row with the status; no error value anywhere."""
    d, pfade, k_viele = laeufe
    for k, pfad, teile in ((d.konsolidierung, pfade["demo"], 1), (k_viele, pfade["viele"], 2)):
        assert fehlerzellen(pfad) == []
        gezeigt = kommunen_matrix.vergleichen(k, _alle_blaetter(pfad)[kommunen_matrix.BLATT])
        assert len(gezeigt.kommunen) == teile
        assert {gezeigt.je_ag[s.ag.kuerzel] for s in k.ags if not s.gueltig} >= {
            "fehlerhaft",
            "kein Rücklauf",
        }
        # the row "Summe" is the Saldo column of the Kommunen sheet
        saldo = {z["Kommune"]: z["Saldo"] for z in _tabelle(pfad, "tbl_Kommunen")}
        assert {
            x: kommunen_matrix.gleich(w, Decimal(str(saldo[x])))
            for x, w in gezeigt.je_kommune.items()
        } == dict.fromkeys(saldo, True)


def _summenzeile(pfad: Path, blatt: str = "Übersicht", erste: str = "AG") -> dict[str, Any]:
    import openpyxl

    ws = openpyxl.load_workbook(pfad, data_only=True)[blatt]
    zeilen = list(ws.iter_rows(values_only=True))
    kopf = next(z for z in zeilen if z[0] == erste)
    summe = next(z for z in zeilen if z[0] == "Summe")
    werte: dict[str, Any] = {}
    for name, wert in zip(kopf, summe, strict=True):
        werte.setdefault(name, wert)  # the first table's column: a second one stands beside it
    return werte


def test_summenzeile_der_kommunen_wie_python(lauf: tuple[demo.Demo, Path]) -> None:
    """All Kommunen together carry what all fields cost and save, to the cent."""
    d, pfad = lauf
    summe = _summenzeile(pfad, "Kommunen", "Kommune")
    zeilen = d.konsolidierung.kommunen_summe()
    for spalte in ("Kostenanteil", "Nutzenanteil", "Saldo"):
        erwartet = sum(z[spalte] for z in zeilen)
        assert erwartet and abs(Decimal(str(summe[spalte])) - erwartet) <= Decimal("0.005")


SUMMIERT = {
    "Kosten einmalig": "kosten_einmalig",
    "Kosten jährlich": "kosten_jaehrlich",
    "Nutzen einmalig": "nutzen_einmalig",
    "Nutzen jährlich": "nutzen_jaehrlich",
    "Kapitalwert": "kapitalwert",
}


def test_summenzeile_wie_python_und_folgt_dem_filter(
    tmp_path: Path, lauf: tuple[demo.Demo, Path]
) -> None:
    """The mayors see what the whole programme costs and saves; a filter (here a hidden row,
    as a filter hides it) changes the sum, as SUBTOTAL promises."""
    import openpyxl

    d, pfad = lauf
    wirtschaft = {
        s.ag.kuerzel: s.kennzahlen.wirtschaftlichkeit for s in d.konsolidierung.ags if s.kennzahlen
    }
    assert len(wirtschaft) >= 2, "die Demo braucht Handlungsfelder mit Zahlen"
    summe = _summenzeile(pfad)
    for spalte, feld in SUMMIERT.items():
        erwartet = sum(getattr(w, feld) for w in wirtschaft.values())
        assert abs(Decimal(str(summe[spalte])) - erwartet) <= Decimal("0.005"), spalte

    wb = openpyxl.load_workbook(d.arbeitsbereich / "Lenkungsgruppe_Uebersicht.xlsx")
    ws = wb["Übersicht"]
    ag, weg = next(iter(wirtschaft.items()))
    zeile = next(r[0].row for r in ws.iter_rows() if r[0].value == ag)
    ws.row_dimensions[zeile].hidden = True
    gefiltert = tmp_path / "gefiltert.xlsx"
    wb.save(gefiltert)
    summe = _summenzeile(nachrechnen([gefiltert], tmp_path / "lo")[gefiltert])
    erwartet = sum(w.kapitalwert for a, w in wirtschaft.items() if a != ag)
    assert weg.kapitalwert and abs(Decimal(str(summe["Kapitalwert"])) - erwartet) <= Decimal(
        "0.005"
    )


def test_anderer_faktor_in_der_datei_aendert_den_rang(
    tmp_path: Path, lauf: tuple[demo.Demo, Path]
) -> None:
    """The LG tries other Faktoren right in the overview: the formulas follow."""
    import openpyxl

    d, _ = lauf
    wb = openpyxl.load_workbook(d.arbeitsbereich / "Lenkungsgruppe_Uebersicht.xlsx")
    ws = wb["Prioritätenmatrix"]
    faktorzeile = next(r for r in ws.iter_rows() if any(c.value == "Faktor" for c in r))
    faktoren = [c for c in faktorzeile if isinstance(c.value, int)]
    for zelle, wert in zip(faktoren, [1, 1, 1, 1, 1, 3], strict=True):
        zelle.value = wert
    geaendert = tmp_path / "faktoren.xlsx"
    wb.save(geaendert)
    faktoren[2].value = None  # emptied: counts as 0
    leer = tmp_path / "leer.xlsx"
    wb.save(leer)
    gerechnet = nachrechnen([geaendert, leer], tmp_path / "lo")
    zurueck = gerechnet[geaendert]
    # tried Faktoren are said beside them and on Übersicht; the delivered ones say nothing
    for pfad, text in ((lauf[1], ""), (zurueck, uebersicht.FAKTOREN_PROBE)):
        blaetter = _alle_blaetter(pfad)
        zeile, spalte = uebersicht.FAKTORHINWEIS
        assert blaetter["Prioritätenmatrix"][zeile][spalte] == text
        assert blaetter["Übersicht"][2][0] == text
    assert _alle_blaetter(gerechnet[leer])["Übersicht"][2][0] == uebersicht.FAKTOR_LEER
    stand = {s.ag.kuerzel: s for s in d.konsolidierung.ags}
    for zeile in _tabelle(zurueck, "tbl_Prioritaetenmatrix"):
        s = stand[zeile["AG"]]
        punkte = [s.punkte[k].wirksam for k in s.punkte]
        if all(p is not None for p in punkte):
            assert zeile["Gesamt"] == sum(punkte[:5]) + 3 * punkte[5]


def _gleicher_wert(x: Any, y: Any) -> bool:
    """Equal, numbers up to float noise (Python's exact cents against the engine's doubles)."""
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9)
    return x == y


def _alle_blaetter(pfad: Path) -> dict[str, list[list[Any]]]:
    with CalamineWorkbook.from_path(str(pfad)) as mappe:
        return {
            name: mappe.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in mappe.sheet_names
        }


def test_libreoffice_wie_ausgeliefert_zeigt_gerechnete_werte(
    tmp_path: Path, lauf: tuple[demo.Demo, Path]
) -> None:
    """A clerk's LibreOffice keeps stored results of files that say they come from Excel.

    So what it shows of each file we write (Steuerungsmappe, Arbeitsmappe, Korrektur copy,
    overview) must equal what it computes when forced to recalculate: no placeholder 0 and no
    "noch keine Einträge" in a filled Korrektur copy.
    """
    d, _ = lauf
    bereich = d.arbeitsbereich
    dateien = [
        bereich / "Steuerungsmappe.xlsm",
        sorted((bereich / "ausgang").glob("*.xlsx"))[0],
        *sorted((bereich / "berichte").glob("Korrektur_*.xlsx")),
        bereich / "Lenkungsgruppe_Uebersicht.xlsx",
    ]
    gezeigt = nachrechnen(dateien, tmp_path / "gezeigt", wie_ausgeliefert=True)
    gerechnet = nachrechnen(dateien, tmp_path / "gerechnet")
    for datei in dateien:
        a, b = _alle_blaetter(gezeigt[datei]), _alle_blaetter(gerechnet[datei])
        for blatt in b:
            abweichend = [
                (z + 1, s + 1, x, y)
                for z, (za, zb) in enumerate(zip(a[blatt], b[blatt], strict=True))
                for s, (x, y) in enumerate(zip(za, zb, strict=True))
                if not _gleicher_wert(x, y)
            ]
            assert abweichend == [], (datei.name, blatt, abweichend[:5])

    # saved by LibreOffice, the Steuerungsmappe is still the Steuerungsmappe: its buttons
    # became form controls whose anchors (<xdr:row>) stand after the cells
    from ikz_excel import stammdaten

    gespeichert = gezeigt[bereich / "Steuerungsmappe.xlsm"]
    assert b"<xdr:row>" in _teil(gespeichert, "xl/worksheets/sheet1.xml")
    original = stammdaten.lesen(bereich / "Steuerungsmappe.xlsm")
    assert dataclasses.replace(stammdaten.lesen(gespeichert), quelle=original.quelle) == original


#: Names a Steuerungsgruppe may type that a SUMIFS criterion reads as an operator or a
#: pattern: "<…" compares, "*" stands for any text (here every "Gemeinde …"), a quote ends a
#: string in a formula.
SONDERNAMEN = {"Gemeinde Lehre": '<Lehre "am Elm">', "Gemeinde Büddenstedt": "Gemeinde *"}
SONDERKUERZEL = {"AG-01": 'AG "01"', "AG-03": "AG-0?"}


def _umbenannt(wert: Any, namen: dict[str, str]) -> Any:
    """`wert` with each Kommune of `namen` renamed, in a text or a list of partners."""
    if isinstance(wert, str):
        return "; ".join(namen.get(teil.strip(), teil.strip()) for teil in wert.split(";"))
    return wert


def test_kommunen_und_ags_mit_zeichen_der_kriterien(tmp_path: Path) -> None:
    """A Kommune named '<Lehre "am Elm">' or 'Gemeinde *', an AG 'AG "01"' or 'AG-0?' in the
    Steuerungsmappe: the SUMIFS of the Kommunen sheet, the Kommunen-Matrix and the Übersicht's
    Kapitalwert read such a name as a comparison or a pattern ('<…' summed the Kommunen sorting
    before it, 'Gemeinde *' all Gemeinden, 'AG-0?' AG-01 to AG-09) or broke on the quote
    (#VALUE!), while Python showed the right figures (review). Now they match the name itself."""
    import steuerungsmappe_tippen as tippen

    from ikz_excel import demo_daten, erzeugen, konsolidieren, stammdaten

    ab = tmp_path / "ab"
    erzeugen.init(ab)
    mappe = ab / "Steuerungsmappe.xlsm"
    alt = stammdaten.lesen(mappe)
    eingaben = []
    for ag in alt.arbeitsgruppen:
        e, felder = demo_daten.eingaben(alt, ag.kuerzel)
        for zeilen in e.values():
            for z in zeilen:
                if isinstance(z.get("Kommune"), str):
                    z["Kommune"] = SONDERNAMEN.get(z["Kommune"], z["Kommune"])
        eingaben.append((SONDERKUERZEL.get(ag.kuerzel, ag.kuerzel), e, felder))
    tippen.eintragen(
        mappe,
        *(("tbl_Kommunen", a, "Kommune", n) for a, n in SONDERNAMEN.items()),
        *(
            (
                "tbl_Arbeitsgruppen",
                ag.kuerzel,
                "Partnerkommunen",
                _umbenannt(
                    tippen.zelle(mappe, "tbl_Arbeitsgruppen", ag.kuerzel, "Partnerkommunen")[1],
                    SONDERNAMEN,
                ),
            )
            for ag in alt.arbeitsgruppen
        ),
        *(("tbl_Arbeitsgruppen", a, "AG", n) for a, n in SONDERKUERZEL.items()),
        *(("tbl_Prioritaet", a, "AG", n) for a, n in SONDERKUERZEL.items()),
    )
    st = stammdaten.lesen(mappe)
    assert {k.name for k in st.kommunen} >= set(SONDERNAMEN.values())
    for i, (kuerzel, e, felder) in enumerate(eingaben):
        erzeugen.arbeitsmappe_schreiben(
            st, st.arbeitsgruppe(kuerzel), ab / "eingang" / f"{i}.xlsx", eingaben=e, felder=felder
        )
    k = konsolidieren.konsolidieren(ab)
    assert all(s.gueltig for s in k.ags), [(s.ag.kuerzel, s.status) for s in k.ags]

    pfad = nachrechnen([ab / "Lenkungsgruppe_Uebersicht.xlsx"], tmp_path / "lo")[
        ab / "Lenkungsgruppe_Uebersicht.xlsx"
    ]
    assert fehlerzellen(pfad) == []
    kommunen_matrix.vergleichen(k, _alle_blaetter(pfad)[kommunen_matrix.BLATT])
    gezeigt = {z["Kommune"]: z for z in _tabelle(pfad, "tbl_Kommunen")}
    for z in k.kommunen_summe():
        for spalte in ("Kostenanteil", "Nutzenanteil", "Saldo", "Arbeitsgruppen"):
            assert kommunen_matrix.gleich(gezeigt[z["Kommune"]][spalte], Decimal(z[spalte])), (
                z["Kommune"],
                spalte,
            )
    kapitalwert = {z["AG"]: z["Kapitalwert"] for z in _tabelle(pfad, "tbl_Uebersicht")}
    for s in k.ags:
        erwartet = s.kennzahlen.wirtschaftlichkeit.kapitalwert
        assert kommunen_matrix.gleich(kapitalwert[s.ag.kuerzel], erwartet), s.ag.kuerzel


def test_kommune_nur_in_gross_und_kleinschreibung_umbenannt(tmp_path: Path) -> None:
    """'Gemeinde Lehre' written 'Gemeinde LEHRE' in the Steuerungsmappe after the workbooks
    went out: the returns still split to 'Gemeinde Lehre' (now 'nicht mehr in der
    Steuerungsmappe'), the renamed Kommune has no share yet. SUMIFS, blind to case, gave both
    rows of the Kommunen sheet the old name's shares, counted twice in its total (review)."""
    import steuerungsmappe_tippen as tippen

    from ikz_excel import demo_daten, erzeugen, konsolidieren, stammdaten

    ab = tmp_path / "ab"
    erzeugen.init(ab)
    mappe = ab / "Steuerungsmappe.xlsm"
    st = stammdaten.lesen(mappe)
    for ag in st.arbeitsgruppen[:3]:
        e, felder = demo_daten.eingaben(st, ag.kuerzel)
        ziel = ab / "eingang" / f"{ag.kuerzel}.xlsx"
        erzeugen.arbeitsmappe_schreiben(st, ag, ziel, eingaben=e, felder=felder)
    tippen.eintragen(
        mappe,
        ("tbl_Kommunen", "Gemeinde Lehre", "Kommune", "Gemeinde LEHRE"),
        *(
            (
                "tbl_Arbeitsgruppen",
                ag.kuerzel,
                "Partnerkommunen",
                _umbenannt(
                    tippen.zelle(mappe, "tbl_Arbeitsgruppen", ag.kuerzel, "Partnerkommunen")[1],
                    {"Gemeinde Lehre": "Gemeinde LEHRE"},
                ),
            )
            for ag in st.arbeitsgruppen
        ),
    )
    k = konsolidieren.konsolidieren(ab)
    summen = {z["Kommune"]: z for z in k.kommunen_summe()}
    assert summen["Gemeinde Lehre"]["Saldo"] and not summen["Gemeinde LEHRE"]["Arbeitsgruppen"]

    quelle = ab / "Lenkungsgruppe_Uebersicht.xlsx"
    pfad = nachrechnen([quelle], tmp_path / "lo")[quelle]
    assert fehlerzellen(pfad) == []
    gezeigt = {z["Kommune"]: z for z in _tabelle(pfad, "tbl_Kommunen")}
    for name, z in summen.items():
        for spalte in ("Kostenanteil", "Nutzenanteil", "Saldo", "Arbeitsgruppen"):
            assert kommunen_matrix.gleich(gezeigt[name][spalte], Decimal(z[spalte])), (
                name,
                spalte,
                gezeigt[name][spalte],
            )
    kommunen_matrix.vergleichen(k, _alle_blaetter(pfad)[kommunen_matrix.BLATT])
