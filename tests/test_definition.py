"""The definitions in schemata/: the contract of FACHKONZEPT §4, strict loading, one source.

Error cases write a changed copy of schemata/ into tmp_path (one fresh folder per case, because
`definition._laden` is cached by folder) and assert that the message names file and key.
The "one source" proof adds a column to a copy of the definition and follows it through the
generated workbook (table, validation, input message, line on Hinweise) into the validator.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from openpyxl.utils import get_column_letter, range_boundaries

from ikz_excel import definition, erzeugen, pfade, pruefen, stammdaten
from ikz_excel.befunde import Regel
from ikz_excel.definition import DefinitionsFehler, Mappe

# FACHKONZEPT §4: sheet -> table -> minimum headers (exact spelling). None: sheet without table.
ARBEITSMAPPE_VERTRAG: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("Hinweise", None, ()),
    ("Projektbeschreibung", "tbl_Projektbeschreibung", ("Nr", "Phase", "Feld", "Eintrag")),
    (
        "Projektbeschreibung",
        "tbl_Varianten",
        ("Variante", "Beschreibung", "Modus", "Rechtsform", "Sitzkommune"),
    ),
    (
        "Stärken-Schwächen",
        "tbl_StaerkenSchwaechen",
        ("Kommune", "Bereich", "Art", "Beschreibung", "Gewicht"),
    ),
    (
        "Ressourcen",
        "tbl_Ressourcen",
        (
            "Ressourcenart",
            "Kommune",
            "Beschreibung",
            "Menge",
            "Einheit",
            "Kostensatz",
            "Kostenart",
            "ab Jahr",
            "Kosten",
        ),
    ),
    (
        "Nutzen",
        "tbl_Nutzen",
        ("Nutzenart", "Kommune", "Beschreibung", "Betrag", "Kostenart", "ab Jahr", "Qualitativ"),
    ),
    ("Kostenausgleich", "tbl_Kostenausgleich", ("Kommune", "Einwohner", "Fallzahl", "Anteil")),
    ("Wirtschaftlichkeit", None, ()),
    (
        "Risiken",
        "tbl_Risiken",
        (
            "Nr",
            "Risiko",
            "Kategorie",
            "Eintrittswahrscheinlichkeit",
            "Auswirkung",
            "Risikowert",
            "Gegenmaßnahme",
            "Verantwortlich",
        ),
    ),
    ("Priorisierung", "tbl_Einschaetzung", ("Kriterium", "Punkte", "Begründung")),
    ("Zeitplan", "tbl_Meilensteine", ("Meilenstein", "Phase", "Termin", "Status")),
    ("_ikz", None, ()),
]

# FACHKONZEPT §4.1: (Nr, Phase, Feld) of tbl_Projektbeschreibung, in this order.
PROJEKTBESCHREIBUNG: list[tuple[str, str, str]] = [
    ("1.1", "Initiierung", "Ausgangslage"),
    ("1.2", "Initiierung", "Oberziele"),
    ("1.3", "Initiierung", "Rahmenbedingungen"),
    ("2.1", "Strategie", "Projektauftrag"),
    ("2.2", "Strategie", "Partnerkommunen"),
    ("2.3", "Strategie", "Projektbeauftragte(r)"),
    ("3.1", "Konzeption", "Externe Begleitung erforderlich (ja/nein)"),
    ("3.2", "Konzeption", "Begründung"),
    ("3.3", "Konzeption", "Ist-Situation"),
    ("3.4", "Konzeption", "Lösungsmöglichkeiten und Alternativen geprüft"),
    ("3.5", "Konzeption", "Personelle Konsequenzen"),
    ("3.6", "Konzeption", "Rechtliche Hindernisse (keine/lösbar/erheblich)"),
    ("3.7", "Konzeption", "Beschreibung der rechtlichen Hindernisse"),
    ("3.8", "Konzeption", "Vorgeschlagene Verortung (Sitzkommune)"),
    ("3.9", "Konzeption", "Vorschlag Kostenausgleich"),
    ("3.10", "Konzeption", "Empfohlene Variante"),
    ("4.1", "Umsetzung", "Rechtsform"),
    ("4.2", "Umsetzung", "Exit-Strategie"),
    ("5.1", "Echtbetrieb mit Evaluierung", "Kennzahlen für die Evaluierung"),
    ("5.2", "Echtbetrieb mit Evaluierung", "Berichtsweg"),
]

# Allowed values that FACHKONZEPT §4 names in parentheses: table, column, list values.
LISTENSPALTEN: list[tuple[str, str, tuple[str, ...]]] = [
    ("tbl_Varianten", "Modus", ("Z", "D", "O")),
    ("tbl_StaerkenSchwaechen", "Art", ("Stärke", "Schwäche", "Chance", "Risiko")),
    ("tbl_Ressourcen", "Ressourcenart", ("Personal", "Fachlich", "Finanziell", "Räumlich")),
    ("tbl_Ressourcen", "Kostenart", ("einmalig", "jährlich")),
    ("tbl_Nutzen", "Kostenart", ("einmalig", "jährlich")),
]
# Integer ranges that FACHKONZEPT §4 names: table, column, min, max.
BEREICHSSPALTEN: list[tuple[str, str, int, int]] = [
    ("tbl_StaerkenSchwaechen", "Gewicht", 1, 3),
    ("tbl_Nutzen", "Qualitativ", 0, 3),
    ("tbl_Risiken", "Eintrittswahrscheinlichkeit", 1, 5),
    ("tbl_Risiken", "Auswirkung", 1, 5),
    ("tbl_Einschaetzung", "Punkte", 1, 3),
]
FORMELSPALTEN: list[tuple[str, str]] = [
    ("tbl_Ressourcen", "Kosten"),
    ("tbl_Kostenausgleich", "Anteil"),
    ("tbl_Risiken", "Risikowert"),
]


@pytest.fixture(scope="module")
def mappe() -> Mappe:
    return definition.arbeitsmappe()


# The shipped definitions -----------------------------------------------------------------------


def test_ausgelieferte_definitionen_laden() -> None:
    am = definition.arbeitsmappe()
    sm = definition.steuerungsmappe()
    assert am.vorlage_id == "ikz-arbeitsmappe"
    assert sm.vorlage_id == "ikz-steuerungsmappe"
    assert am.schema_version >= 1
    assert am.quelle.name == "arbeitsmappe.yaml"
    assert sm.quelle.name == "steuerungsmappe.yaml"
    assert am.tabellen and sm.tabellen


def test_blaetter_der_arbeitsmappe_wie_im_fachkonzept(mappe: Mappe) -> None:
    erwartet = list(dict.fromkeys(blatt for blatt, _, _ in ARBEITSMAPPE_VERTRAG))
    assert [b.name for b in mappe.blaetter] == erwartet


@pytest.mark.parametrize(
    ("blatt", "tabelle", "koepfe"),
    [v for v in ARBEITSMAPPE_VERTRAG if v[1] is not None],
    ids=[str(v[1]) for v in ARBEITSMAPPE_VERTRAG if v[1] is not None],
)
def test_tabelle_mit_mindestspalten(
    mappe: Mappe, blatt: str, tabelle: str, koepfe: tuple[str, ...]
) -> None:
    assert mappe.blatt_von(tabelle).name == blatt
    fehlend = [k for k in koepfe if k not in mappe.tabelle(tabelle).koepfe]
    assert fehlend == [], f"{tabelle}: es fehlen die Spalten {fehlend}"


def test_keine_weiteren_tabellen_als_im_fachkonzept(mappe: Mappe) -> None:
    vertrag = {(blatt, tabelle) for blatt, tabelle, _ in ARBEITSMAPPE_VERTRAG if tabelle}
    assert {(b.name, t.name) for b, t in mappe.tabellen} == vertrag


def test_blaetter_ohne_tabelle_haben_ihre_art(mappe: Mappe) -> None:
    assert mappe.blatt("Hinweise").art == "hinweise"
    assert mappe.blatt("Wirtschaftlichkeit").art == "wirtschaftlichkeit"
    assert mappe.blatt("_ikz").art == "intern"
    for name in ("Hinweise", "Wirtschaftlichkeit", "_ikz"):
        assert mappe.blatt(name).tabellen == ()


def test_projektbeschreibung_zeilen_1_1_bis_5_2(mappe: Mappe) -> None:
    tdef = mappe.tabelle("tbl_Projektbeschreibung")
    zeilen = [(z.werte["Nr"], z.werte["Phase"], z.werte["Feld"]) for z in tdef.zeilen]
    assert zeilen == PROJEKTBESCHREIBUNG
    assert tdef.schluessel == "Nr"
    assert tdef.eingabespalte == "Eintrag"


def test_phasen_1_und_2_vorbelegt_3_bis_5_auszufuellen(mappe: Mappe) -> None:
    tdef = mappe.tabelle("tbl_Projektbeschreibung")
    for z in tdef.zeilen:
        nr = z.werte["Nr"]
        if nr in ("1.1", "1.2", "1.3", "2.1", "2.2"):
            assert z.vorbelegt, f"{nr} muss aus den Stammdaten vorbelegt sein"
            assert z.eingabe is None, f"{nr} ist Vorgabe der Lenkungsgruppe, keine Eingabe"
        elif nr == "2.3":
            # Projektbeauftragte(r): vorbelegt, aber von der AG einzutragen, wenn leer.
            assert z.vorbelegt == "projektbeauftragte"
            assert z.eingabe is not None
        else:
            assert z.vorbelegt is None, f"{nr} füllt die AG aus"
            assert z.eingabe is not None, f"{nr} braucht eine Eingabedefinition"


@pytest.mark.parametrize(
    ("nr", "liste", "werte"),
    [
        ("3.1", "ja_nein", ("ja", "nein")),
        ("3.6", "hindernisse", ("keine", "lösbar", "erheblich")),
        (
            "4.1",
            "rechtsform",
            (
                "Zweckvereinbarung delegierend",
                "Zweckvereinbarung mandatierend",
                "Zweckverband",
                "gemeinsame kommunale Anstalt",
                "andere",
            ),
        ),
    ],
)
def test_projektbeschreibung_auswahllisten(
    mappe: Mappe, nr: str, liste: str, werte: tuple[str, ...]
) -> None:
    tdef = mappe.tabelle("tbl_Projektbeschreibung")
    zeile = next(z for z in tdef.zeilen if z.werte["Nr"] == nr)
    eingabe = tdef.zeilen_spalte(zeile, "Eintrag")
    assert eingabe.typ == "liste"
    assert eingabe.liste == liste
    assert mappe.listen[liste] == werte


def test_3_4_verlangt_aufgabenkritik_egovernment_outsourcing(mappe: Mappe) -> None:
    tdef = mappe.tabelle("tbl_Projektbeschreibung")
    zeile = next(z for z in tdef.zeilen if z.werte["Nr"] == "3.4")
    assert set(tdef.zeilen_spalte(zeile, "Eintrag").enthaelt) == {
        "Aufgabenkritik",
        "eGovernment",
        "Outsourcing",
    }


@pytest.mark.parametrize(("tabelle", "kopf", "werte"), LISTENSPALTEN)
def test_listenspalten_mit_den_werten_des_fachkonzepts(
    mappe: Mappe, tabelle: str, kopf: str, werte: tuple[str, ...]
) -> None:
    spalte = mappe.tabelle(tabelle).spalte(kopf)
    assert spalte.typ == "liste"
    assert mappe.listen[spalte.liste or ""] == werte


@pytest.mark.parametrize(("tabelle", "kopf", "lo", "hi"), BEREICHSSPALTEN)
def test_ganzzahlspalten_mit_dem_bereich_des_fachkonzepts(
    mappe: Mappe, tabelle: str, kopf: str, lo: int, hi: int
) -> None:
    spalte = mappe.tabelle(tabelle).spalte(kopf)
    assert spalte.typ == "ganzzahl"
    assert (spalte.min, spalte.max) == (lo, hi)


@pytest.mark.parametrize(("tabelle", "kopf"), FORMELSPALTEN)
def test_formelspalten_sind_berechnet_und_gesperrt(mappe: Mappe, tabelle: str, kopf: str) -> None:
    spalte = mappe.tabelle(tabelle).spalte(kopf)
    assert spalte.typ == "formel"
    assert spalte.formel and spalte.formel.startswith("=")
    assert spalte.eingabe is False


def test_kostenausgleich_schluessel_ist_eingabefeld(mappe: Mappe) -> None:
    felder = mappe.blatt("Kostenausgleich").felder
    assert len(felder) == 1
    feld = felder[0]
    assert feld.eingabe and feld.typ == "liste"
    assert mappe.listen[feld.liste or ""] == (
        "Einwohner",
        "Fallzahl",
        "gleiche Anteile",
        "individuell",
    )


def test_jede_eingabespalte_hat_eine_eingabemeldung(mappe: Mappe) -> None:
    ohne = [
        f"{t.name}.{s.kopf}"
        for _, t in mappe.tabellen
        if not t.zeilen
        for s in t.spalten
        if s.eingabe and not s.hilfe
    ]
    ohne += [
        f"{t.name} {z.werte[t.schluessel or '']}"
        for _, t in mappe.tabellen
        for z in t.zeilen
        if z.eingabe is not None and not z.eingabe.hilfe
    ]
    assert ohne == []


def test_steuerungsmappe_blaetter_und_parameter() -> None:
    sm = definition.steuerungsmappe()
    namen = {b.name for b in sm.blaetter}
    for blatt in ("Steuerung", "Kommunen", "Handlungsfelder", "Arbeitsgruppen", "Parameter"):
        assert blatt in namen
    assert "Prioritaet" in namen
    assert sm.blatt_von("tbl_Faktoren").name == "Prioritaet"
    parameter = sm.tabelle("tbl_Parameter")
    zins = next(z for z in parameter.zeilen if z.werte["Parameter"] == "Kalkulationszinssatz")
    eingabe = parameter.zeilen_spalte(zins, "Wert")
    assert eingabe.typ == "prozent"
    assert eingabe.min == 0
    assert 0.031 <= eingabe.max < 0.31, "3,1 % muss gehen, 31 % (statt 3,1 %) nicht"
    jahre = next(z for z in parameter.zeilen if z.werte["Parameter"] == "Betrachtungszeitraum")
    assert parameter.zeilen_spalte(jahre, "Wert").typ == "ganzzahl"


# Definition errors name file and key -----------------------------------------------------------


def _kopie(tmp_path: Path) -> Path:
    ziel = tmp_path / "schemata"
    shutil.copytree(pfade.schemata(), ziel)
    return ziel


def _yaml_aendern(ordner: Path, datei: str, aendern: Callable[[Any], None]) -> None:
    pfad = ordner / datei
    daten = yaml.safe_load(pfad.read_text(encoding="utf-8"))
    aendern(daten)
    pfad.write_text(
        yaml.safe_dump(daten, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def _tabelle(daten: dict[str, Any], name: str) -> dict[str, Any]:
    for blatt in daten["blaetter"]:
        for tabelle in blatt.get("tabellen") or []:
            if tabelle["name"] == name:
                return tabelle
    raise KeyError(name)


def _spalte(daten: dict[str, Any], tabelle: str, kopf: str) -> dict[str, Any]:
    return next(s for s in _tabelle(daten, tabelle)["spalten"] if s["kopf"] == kopf)


def _pflict(d: dict[str, Any]) -> None:
    spalte = _spalte(d, "tbl_StaerkenSchwaechen", "Gewicht")
    spalte["pflict"] = spalte.pop("pflicht")


def _typ(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Ressourcen", "Menge")["typ"] = "zahlen"


def _liste(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Risiken", "Kategorie")["liste"] = "risikokategorien"


def _kopf_doppelt(d: dict[str, Any]) -> None:
    spalten = _tabelle(d, "tbl_Risiken")["spalten"]
    spalten.append(dict(_spalte(d, "tbl_Risiken", "Verantwortlich")))


def _tabelle_doppelt(d: dict[str, Any]) -> None:
    _tabelle(d, "tbl_Meilensteine")["name"] = "tbl_Risiken"


def _formel_fehlt(d: dict[str, Any]) -> None:
    del _spalte(d, "tbl_Risiken", "Risikowert")["formel"]


def _grenze_ohne_dollar(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Ressourcen", "ab Jahr")["max"] = "Betrachtungszeitraum"


def _blattschluessel(d: dict[str, Any]) -> None:
    blatt = next(b for b in d["blaetter"] if b["name"] == "Risiken")
    blatt["hinwies"] = blatt.pop("hinweis")


def _blatt_doppelt(d: dict[str, Any]) -> None:
    blatt = next(b for b in d["blaetter"] if b["name"] == "Zeitplan")
    blatt["name"] = "Risiken"
    blatt["tabellen"][0]["name"] = "tbl_Zeitplan"


def _steuerung_typ(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Faktoren", "Faktor")["typ"] = "ganzahl"


def _liste_doppelt(d: dict[str, Any]) -> None:
    d["modus"] = ["Z", "D", "Z"]


def _liste_entfernt(d: dict[str, Any]) -> None:
    del d["swot_art"]


FEHLERFAELLE: list[tuple[str, str, Callable[[Any], None], str, tuple[str, ...]]] = [
    # id, changed file, change, loader, text parts the message must contain
    (
        "unbekannter_schluessel_pflict",
        "arbeitsmappe.yaml",
        _pflict,
        "arbeitsmappe",
        (
            "arbeitsmappe.yaml",
            "'pflict'",
            "tbl_StaerkenSchwaechen",
            "Gemeint ist vielleicht 'pflicht'",
        ),
    ),
    (
        "unbekannter_typ",
        "arbeitsmappe.yaml",
        _typ,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_Ressourcen", "Typ", "'zahlen'"),
    ),
    (
        "unbekannte_liste",
        "arbeitsmappe.yaml",
        _liste,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_Risiken", "Liste", "'risikokategorien'"),
    ),
    (
        "kopf_doppelt",
        "arbeitsmappe.yaml",
        _kopf_doppelt,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_Risiken", "'Verantwortlich'", "doppelt"),
    ),
    (
        "tabelle_doppelt",
        "arbeitsmappe.yaml",
        _tabelle_doppelt,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "'tbl_Risiken'", "doppelt"),
    ),
    (
        "blatt_doppelt",
        "arbeitsmappe.yaml",
        _blatt_doppelt,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "'Risiken'", "doppelt"),
    ),
    (
        "formelspalte_ohne_formel",
        "arbeitsmappe.yaml",
        _formel_fehlt,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_Risiken", "'formel'"),
    ),
    (
        "grenze_ohne_dollar",
        "arbeitsmappe.yaml",
        _grenze_ohne_dollar,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_Ressourcen", "max", "'$Parameter'"),
    ),
    (
        "unbekannter_blattschluessel",
        "arbeitsmappe.yaml",
        _blattschluessel,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "'hinwies'", "Gemeint ist vielleicht 'hinweis'"),
    ),
    (
        "steuerungsmappe_unbekannter_typ",
        "steuerungsmappe.yaml",
        _steuerung_typ,
        "steuerungsmappe",
        ("steuerungsmappe.yaml", "tbl_Faktoren", "'ganzahl'"),
    ),
    (
        "liste_mit_doppelten_werten",
        "listen.yaml",
        _liste_doppelt,
        "arbeitsmappe",
        ("listen.yaml", "'modus'", "doppelt"),
    ),
    (
        "liste_entfernt_aber_benutzt",
        "listen.yaml",
        _liste_entfernt,
        "arbeitsmappe",
        ("arbeitsmappe.yaml", "tbl_StaerkenSchwaechen", "'swot_art'"),
    ),
]


def test_unveraenderte_kopie_laedt_wie_das_original(tmp_path: Path) -> None:
    """Control for the error cases: the copy mechanism itself does not break anything."""
    ordner = _kopie(tmp_path)
    _yaml_aendern(ordner, "arbeitsmappe.yaml", lambda d: None)
    kopie = definition.arbeitsmappe(ordner)
    assert kopie.quelle.parent == ordner.resolve()
    assert kopie.blaetter == definition.arbeitsmappe().blaetter
    assert kopie.listen == definition.arbeitsmappe().listen


@pytest.mark.parametrize(
    ("datei", "aendern", "lader", "teile"),
    [f[1:] for f in FEHLERFAELLE],
    ids=[f[0] for f in FEHLERFAELLE],
)
def test_definitionsfehler_nennt_datei_und_schluessel(
    tmp_path: Path,
    datei: str,
    aendern: Callable[[Any], None],
    lader: str,
    teile: tuple[str, ...],
) -> None:
    ordner = _kopie(tmp_path)
    _yaml_aendern(ordner, datei, aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        getattr(definition, lader)(ordner)
    meldung = str(fehler.value)
    for teil in teile:
        assert teil in meldung, f"{teil!r} fehlt in: {meldung}"


def test_kaputtes_yaml_nennt_die_datei(tmp_path: Path) -> None:
    ordner = _kopie(tmp_path)
    pfad = ordner / "arbeitsmappe.yaml"
    pfad.write_text(pfad.read_text(encoding="utf-8") + "\n  - {kopf: [unfertig\n", "utf-8")
    with pytest.raises(DefinitionsFehler, match=r"arbeitsmappe\.yaml: kein gültiges YAML"):
        definition.arbeitsmappe(ordner)


def test_grenze_mit_unbekanntem_parameter_faellt_beim_laden_auf(tmp_path: Path) -> None:
    ordner = _kopie(tmp_path)
    _yaml_aendern(
        ordner,
        "arbeitsmappe.yaml",
        lambda d: _spalte(d, "tbl_Ressourcen", "ab Jahr").update(max="$Betrachtungszeit"),
    )
    with pytest.raises(DefinitionsFehler, match=r"arbeitsmappe\.yaml.*Betrachtungszeit"):
        definition.arbeitsmappe(ordner)


@pytest.mark.parametrize(
    ("bedingung", "teile"),
    [
        ({"Schlüssel": "Fallzahl"}, ["pflicht_bei", "'Schlüssel'", "Felder: Schluessel"]),
        ({"Schluessel": "Fallzahlen"}, ["pflicht_bei", "'Fallzahlen'", "Einwohner, Fallzahl"]),
        ("Fallzahl", ["pflicht_bei muss eine Zuordnung"]),
    ],
)
def test_pflicht_bei_nennt_ein_feld_und_einen_seiner_werte(
    tmp_path: Path, bedingung: Any, teile: list[str]
) -> None:
    """A condition the cover could never meet (a typo in the field or its value) would leave
    the entries uncounted there while the check requires them: refused while loading."""
    ordner = _kopie(tmp_path)
    _yaml_aendern(
        ordner,
        "arbeitsmappe.yaml",
        lambda d: _spalte(d, "tbl_Kostenausgleich", "Fallzahl").update(pflicht_bei=bedingung),
    )
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    for teil in teile:
        assert teil in str(fehler.value), str(fehler.value)


def _pflicht_wenn_spalte(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Risiken", "Gegenmaßnahme")["pflicht_wenn"] = {"Risikowert": "0"}


def _pflicht_wenn_unbekannte_zeile(d: dict[str, Any]) -> None:
    zeile = next(
        z for z in _tabelle(d, "tbl_Projektbeschreibung")["zeilen"] if z["werte"]["Nr"] == "3.7"
    )
    zeile["eingabe"]["pflicht_wenn"] = {"3.66": "keine"}


@pytest.mark.parametrize(
    ("aendern", "teile"),
    [
        (_pflicht_wenn_spalte, ["'Gegenmaßnahme'", "pflicht_wenn gilt nur", "pflicht_bei"]),
        (_pflicht_wenn_unbekannte_zeile, ["pflicht_wenn nennt '3.66'", "3.6, 3.7"]),
    ],
)
def test_pflicht_wenn_nur_fuer_zeilen_und_bekannte_nummern(
    tmp_path: Path, aendern: Callable[[Any], None], teile: list[str]
) -> None:
    """A condition neither the check nor the cover would evaluate (on a column, or naming a
    row that does not exist) would have stood in the help alone: refused while loading."""
    ordner = _kopie(tmp_path)
    _yaml_aendern(ordner, "arbeitsmappe.yaml", aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    for teil in teile:
        assert teil in str(fehler.value), str(fehler.value)


@pytest.mark.parametrize("tabelle", ["tbl_Kostenausgleich", "tbl_Projektbeschreibung"])
def test_mindestens_eine_zeile_nur_bei_freien_zeilen(tmp_path: Path, tabelle: str) -> None:
    """A table whose rows come from the Stammdaten (zeilen_aus) or from the schema (zeilen) is
    never empty: 'at least one row' there would count on the cover for nothing the clerk can
    add. Refused while loading, naming the table."""
    ordner = _kopie(tmp_path)

    def aendern(d: dict[str, Any]) -> None:
        _tabelle(d, tabelle)["mindestens_eine_zeile"] = True

    _yaml_aendern(ordner, "arbeitsmappe.yaml", aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    assert "mindestens_eine_zeile gilt nur für Tabellen mit freien Zeilen" in str(fehler.value)


def _feld_pflicht_bei(d: dict[str, Any]) -> None:
    blatt = next(b for b in d["blaetter"] if b["name"] == "Kostenausgleich")
    blatt["felder"][0]["pflicht_bei"] = {"Gibtsnicht": "x"}


def _feld_pflicht_wenn(d: dict[str, Any]) -> None:
    blatt = next(b for b in d["blaetter"] if b["name"] == "Kostenausgleich")
    blatt["felder"][0]["pflicht_wenn"] = {"3.6": "keine"}


def _pflicht_bei_freie_tabelle(d: dict[str, Any]) -> None:
    """A field on the Risiken sheet and a condition on it in its free table."""
    blatt = next(b for b in d["blaetter"] if b["name"] == "Risiken")
    blatt["felder"] = [
        {"name": "Risikoart", "bezeichnung": "Art", "typ": "liste", "liste": "schluessel"}
    ]
    _spalte(d, "tbl_Risiken", "Gegenmaßnahme")["pflicht_bei"] = {"Risikoart": "Fallzahl"}


@pytest.mark.parametrize(
    ("aendern", "teile"),
    [
        (_feld_pflicht_bei, ["Feld 1", "pflicht_bei gilt nur für Spalten"]),
        (_feld_pflicht_wenn, ["Feld 1", "pflicht_wenn gilt nur für die eingabe einer Zeile"]),
        (
            _pflicht_bei_freie_tabelle,
            ["tbl_Risiken", "'Gegenmaßnahme'", "pflicht_bei gilt nur in Tabellen", "zeilen_aus"],
        ),
    ],
)
def test_bedingte_pflicht_nur_wo_deckblatt_und_pruefung_sie_kennen(
    tmp_path: Path, aendern: Callable[[Any], None], teile: list[str]
) -> None:
    """A condition on a single field or in a free table was loaded without a word (review):
    the input message then said "Pflichtangabe beim …", while neither the cover (it counts
    `pflicht_bei` only in tables whose rows come from the Stammdaten, and only `pflicht` of a
    field) nor the check evaluated it, and a misspelt field name there was not even noticed."""
    ordner = _kopie(tmp_path)
    _yaml_aendern(ordner, "arbeitsmappe.yaml", aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    for teil in teile:
        assert teil in str(fehler.value), str(fehler.value)


def _pflicht_ab_menge(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Ressourcen", "Beschreibung")["pflicht_ab"] = {"Menge": 10}


def _pflicht_ab_text(d: dict[str, Any]) -> None:
    _spalte(d, "tbl_Risiken", "Gegenmaßnahme")["pflicht_ab"] = {"Risikowert": "hoch"}


def _pflicht_ab_feld(d: dict[str, Any]) -> None:
    blatt = next(b for b in d["blaetter"] if b["name"] == "Kostenausgleich")
    blatt["felder"][0]["pflicht_ab"] = {"Risikowert": 15}


def _pflicht_ab_zeile(d: dict[str, Any]) -> None:
    zeile = next(
        z for z in _tabelle(d, "tbl_Projektbeschreibung")["zeilen"] if z["werte"]["Nr"] == "3.7"
    )
    zeile["eingabe"]["pflicht_ab"] = {"Risikowert": 15}


@pytest.mark.parametrize(
    ("aendern", "teile"),
    [
        (
            _pflicht_ab_menge,
            ["tbl_Ressourcen", "'Beschreibung'", "pflicht_ab nennt 'Menge'", "Risikowert in "],
        ),
        (_pflicht_ab_text, ["pflicht_ab muss eine Zuordnung (Spalte: Zahl)"]),
        (_pflicht_ab_feld, ["Feld 1", "pflicht_ab gilt nur für Spalten"]),
        (_pflicht_ab_zeile, ["Zeile", "pflicht_ab gilt nur für Spalten"]),
    ],
)
def test_pflicht_ab_nur_wo_die_pruefung_sie_auswertet(
    tmp_path: Path, aendern: Callable[[Any], None], teile: list[str]
) -> None:
    """`pflicht_ab` (the Gegenmaßnahme from Risikowert 15 on) is checked only where the check
    computes the column it names, the Risikowert: anywhere else the input message would say
    a duty nothing checks, as `pflicht_bei` in a free table once did. Refused while loading."""
    ordner = _kopie(tmp_path)
    _yaml_aendern(ordner, "arbeitsmappe.yaml", aendern)
    with pytest.raises(DefinitionsFehler) as fehler:
        definition.arbeitsmappe(ordner)
    for teil in teile:
        assert teil in str(fehler.value), str(fehler.value)


def test_gegenmassnahme_ab_risikowert_aus_dem_schema(tmp_path: Path) -> None:
    """The Gegenmaßnahme duty "ab Risikowert 15" was a Python constant beside a help text
    typed by hand (steuer16). Now the schema key `pflicht_ab` is the one source: set to 10 in a
    copy of schemata/, the workbook colours and counts from 10, its input message says it,
    and the check requires a measure for a risk of 12, which the shipped schema does not."""
    import korpus

    from ikz_excel.befunde import Stufe

    ordner = _kopie(tmp_path)
    _yaml_aendern(
        ordner,
        "arbeitsmappe.yaml",
        lambda d: _spalte(d, "tbl_Risiken", "Gegenmaßnahme").update(pflicht_ab={"Risikowert": 10}),
    )
    mappe_def = definition.arbeitsmappe(ordner)
    st = stammdaten.standard()
    vorlage = erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe("AG-01"), tmp_path / "v.xlsx", mappe_def=mappe_def
    )
    wb = openpyxl.load_workbook(vorlage)
    ws = wb["Risiken"]
    buchstabe, oben, _ = _spaltenzellen(ws, "tbl_Risiken", "Gegenmaßnahme")
    (dv,) = [dv for dv in ws.data_validations.dataValidation if f"{buchstabe}{oben}" in dv.sqref]
    assert dv.prompt == "Wie wird gegengesteuert? (Pflichtangabe ab Risikowert 10)"
    buchstabe, _, _ = _spaltenzellen(ws, "tbl_Risiken", "Risikowert")
    regeln = [
        r
        for bereich in ws.conditional_formatting
        for r in bereich.rules
        if str(bereich.sqref).startswith(buchstabe) and r.operator == "greaterThanOrEqual"
    ]
    assert [r.formula for r in regeln] == [["10"]]
    formeln = [
        str(c.value)
        for zeile in wb["Hinweise"].iter_rows()
        for c in zeile
        if "ISNUMBER(tbl_Risiken" in str(c.value) or "ISNUMBER(Risiken!" in str(c.value)
    ]
    assert formeln and all(">=10)" in f and ">=15)" not in f for f in formeln), formeln

    werte, projekt, schluessel = korpus.ausgefuellte_werte(vorlage)
    werte["tbl_Risiken"][0].update(
        {"Eintrittswahrscheinlichkeit": 3, "Auswirkung": 4, "Gegenmaßnahme": None}
    )
    ruecklauf = korpus.ausfuellen(vorlage, tmp_path / "r.xlsx", werte, projekt, schluessel)
    (d,) = pruefen.pruefen([ruecklauf], st, mappe_def).dateien
    risiko = [b for b in d.befunde if b.regel is Regel.RISIKO]
    assert [(b.spalte, b.stufe) for b in risiko] == [("Gegenmaßnahme", Stufe.FEHLER)]
    assert "hat den Risikowert 12 (ab 10 hoch). Bitte eine Gegenmaßnahme eintragen." in (
        risiko[0].meldung
    )


# One source: a column added to the definition appears everywhere --------------------------------

NEUE_SPALTE = {
    "kopf": "Priorität intern",
    "typ": "ganzzahl",
    "min": 1,
    "max": 9,
    "hilfe": "Testspalte",
}


@pytest.fixture(scope="module")
def erweitert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mappe, Path]:
    """A copy of schemata/ with one more input column in tbl_Risiken, and a workbook from it."""
    tmp = tmp_path_factory.mktemp("eine_quelle")
    ordner = _kopie(tmp)
    _yaml_aendern(
        ordner,
        "arbeitsmappe.yaml",
        lambda d: _tabelle(d, "tbl_Risiken")["spalten"].append(dict(NEUE_SPALTE)),
    )
    mappe_def = definition.arbeitsmappe(ordner)
    st = stammdaten.standard()
    ziel = tmp / "AG-01_erweitert.xlsx"
    erzeugen.arbeitsmappe_schreiben(st, st.arbeitsgruppen[0], ziel, mappe_def=mappe_def)
    return mappe_def, ziel


def _spaltenzellen(ws: Any, tabelle: str, kopf: str) -> tuple[str, int, int]:
    """Column letter, first and last data row of one column of an Excel table."""
    t = ws.tables[tabelle]
    links, oben, _, unten = range_boundaries(t.ref)
    index = [c.name for c in t.tableColumns].index(kopf)
    return get_column_letter(links + index), oben + 1, unten


def test_eine_quelle_spalte_in_der_tabelle(erweitert: tuple[Mappe, Path]) -> None:
    assert "Priorität intern" not in definition.arbeitsmappe().tabelle("tbl_Risiken").koepfe
    _, pfad = erweitert
    ws = openpyxl.load_workbook(pfad)["Risiken"]
    koepfe = [c.name for c in ws.tables["tbl_Risiken"].tableColumns]
    assert koepfe[-1] == "Priorität intern"
    buchstabe, oben, _ = _spaltenzellen(ws, "tbl_Risiken", "Priorität intern")
    assert ws[f"{buchstabe}{oben - 1}"].value == "Priorität intern"


def test_eine_quelle_validierung_und_eingabemeldung(erweitert: tuple[Mappe, Path]) -> None:
    _, pfad = erweitert
    ws = openpyxl.load_workbook(pfad, read_only=False)["Risiken"]
    buchstabe, oben, unten = _spaltenzellen(ws, "tbl_Risiken", "Priorität intern")
    treffer = [
        dv
        for dv in ws.data_validations.dataValidation
        if f"{buchstabe}{oben}" in dv.sqref and f"{buchstabe}{unten}" in dv.sqref
    ]
    assert len(treffer) == 1, "genau eine Datenüberprüfung über der ganzen Spalte"
    dv = treffer[0]
    assert dv.type == "whole"
    assert dv.operator in (None, "between")
    assert (dv.formula1, dv.formula2) == ("1", "9")
    assert dv.showInputMessage
    assert dv.prompt == "Testspalte"
    assert dv.promptTitle == "Priorität intern"


def test_eine_quelle_zeile_auf_hinweise(erweitert: tuple[Mappe, Path]) -> None:
    _, pfad = erweitert
    ws = openpyxl.load_workbook(pfad)["Hinweise"]
    zeilen = [
        [z.value for z in zeile]
        for zeile in ws.iter_rows()
        if zeile[0].value == "Risiken" and zeile[1].value == "Priorität intern"
    ]
    assert len(zeilen) == 1
    zeile = zeilen[0]
    assert zeile[5] == "Testspalte"
    assert "1 bis 9" in str(zeile[3])


@pytest.mark.parametrize(("wert", "bereich_erwartet"), [(12, True), (5, False)])
def test_eine_quelle_pruefung_meldet_bereich(
    erweitert: tuple[Mappe, Path], tmp_path: Path, wert: int, bereich_erwartet: bool
) -> None:
    mappe_def, vorlage = erweitert
    pfad = tmp_path / vorlage.name
    wb = openpyxl.load_workbook(vorlage)
    ws = wb["Risiken"]
    buchstabe, oben, _ = _spaltenzellen(ws, "tbl_Risiken", "Priorität intern")
    zelle = f"{buchstabe}{oben}"
    ws[zelle] = wert
    wb.save(pfad)

    ergebnis = pruefen.pruefen([pfad], stammdaten.standard(), mappe_def)
    an_der_zelle = [b for b in ergebnis.befunde if (b.blatt, b.zelle) == ("Risiken", zelle)]
    bereich = [b for b in an_der_zelle if b.regel is Regel.BEREICH]
    if bereich_erwartet:
        assert len(bereich) == 1, an_der_zelle
        assert bereich[0].spalte == "Priorität intern"
        assert "1 bis 9" in bereich[0].meldung
    else:
        assert bereich == []
