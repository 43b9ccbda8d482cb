"""What careless clerks do to a returned workbook in LibreOffice Calc, and what `ikz pruefen`
then says (session 21).

Each case is done in Calc itself (`in_calc_bearbeiten`: its own commands, its own save),
all in one soffice start, because what Calc writes is not what openpyxl would: a cleared
formula column, a row filled down, a deleted table column. Cases the earlier sessions cover
with files edited as XML (sorted tables, hidden rows, merged cells, sheets added or renamed,
comments, texts in number cells) behaved right in Calc as well and are not repeated here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import test_pruefen
from aufruf import ikz
from libreoffice import braucht_libreoffice, in_calc_bearbeiten
from test_pruefen import lage

from ikz_excel import demo_daten, erzeugen

pytestmark = braucht_libreoffice

# the fixtures of test_pruefen: the Standard-Stammdaten and AG-01's complete, correct return,
# as the clerk opens it in Calc
st, gueltig = test_pruefen.st, test_pruefen.gueltig


@pytest.fixture(scope="module")
def befunde(
    tmp_path_factory: pytest.TempPathFactory, gueltig: Path, st: Any
) -> dict[str, list[dict[str, Any]]]:
    """The findings of `ikz pruefen --json` per case, each case saved by Calc into eingang/."""
    ab = tmp_path_factory.mktemp("calc") / "programm"
    erzeugen.init(ab)
    r = lage(gueltig, "tbl_Ressourcen")
    gefuellt = len(demo_daten.eingaben(st, "AG-01")[0]["tbl_Ressourcen"])
    letzte = r.zelle(gefuellt - 1, "Ressourcenart")  # the last row with entries
    bis_vor_kosten = r.zelle(gefuellt + 1, r.spalten[r.spalten.index("Kosten") - 1])
    faelle: dict[str, list[tuple[str, ...]]] = {
        # protection off, the Kosten cells of the table selected, Entf
        "Kosten geleert": [
            ("schutz_aus", r.blatt),
            ("leeren", r.blatt, f"{r.zelle(0, 'Kosten')}:{r.zelle(r.zeilen - 1, 'Kosten')}"),
        ],
        # the last row's entries selected with the two rows below, filled down
        "ausgefüllt": [
            ("schutz_aus", r.blatt),
            ("unten_ausfuellen", r.blatt, f"{letzte}:{bis_vor_kosten}"),
        ],
        # Rechtsklick auf den Spaltenkopf > Spalten löschen
        "Einheit gelöscht": [
            ("schutz_aus", r.blatt),
            ("spalte_loeschen", r.blatt, r.zelle(0, "Einheit")),
        ],
        # the unit typed with the number, as the clerk says it
        "Menge mit Einheit": [("tippen", r.blatt, r.zelle(0, "Menge"), "0,5 Stelle")],
        # the sheet copied to work on the copy, the original deleted, the copy renamed
        "Blatt ersetzt": [
            ("schutz_aus", r.blatt),
            ("blatt_kopieren", r.blatt, f"{r.blatt}_2"),
            ("blatt_loeschen", r.blatt),
            ("blatt_umbenennen", f"{r.blatt}_2", r.blatt),
        ],
        # the same, then the table named back as the message says for LibreOffice
        "Tabelle zurückbenannt": [
            ("schutz_aus", r.blatt),
            ("blatt_kopieren", r.blatt, f"{r.blatt}_2"),
            ("blatt_loeschen", r.blatt),
            ("blatt_umbenennen", f"{r.blatt}_2", r.blatt),
            ("tabelle_umbenennen", r.blatt, "tbl_Ressourcen_2", "tbl_Ressourcen"),
        ],
    }
    return in_calc_pruefen(gueltig, ab, faelle)


def in_calc_pruefen(
    gueltig: Path, ab: Path, faelle: dict[str, list[tuple[str, ...]]]
) -> dict[str, list[dict[str, Any]]]:
    """Each case's steps done in Calc on `gueltig`, saved as "AG-01 <case>.xlsx" into the
    eingang/ of `ab`, then one `ikz pruefen --json`: its findings per case."""
    eingang = ab / "eingang"
    in_calc_bearbeiten(
        [(gueltig, eingang / f"AG-01 {fall}.xlsx", schritte) for fall, schritte in faelle.items()]
    )
    lauf = ikz("pruefen", "-a", str(ab), "--json", "--ohne-berichte")
    assert lauf.code in (0, 1), lauf.text
    je_datei: dict[str, list[dict[str, Any]]] = {fall: [] for fall in faelle}
    for b in json.loads(lauf.aus)["befunde"]:
        je_datei[b["datei"].removeprefix("AG-01 ").removesuffix(".xlsx")].append(b)
    return je_datei


def test_geleerte_formelspalte_nennt_die_leeren_zeilen_einmal(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path, st: Any
) -> None:
    """Clerk test in Calc: protection off, the Kosten column of the table cleared. Each of
    the 40 table rows got its own Warnung, most of them for empty rows in the same words:
    the few about rows with entries (what the workbook now leaves out) were lost among them.
    Rows with entries keep one each; the empty ones are one Warnung naming all."""
    r = lage(gueltig, "tbl_Ressourcen")
    gefuellt = len(demo_daten.eingaben(st, "AG-01")[0]["tbl_Ressourcen"])
    formeln = [b for b in befunde["Kosten geleert"] if b["regel"] == "FORMEL"]
    assert [b["zelle"] for b in formeln] == [r.zelle(i, "Kosten") for i in range(gefuellt + 1)], [
        b["meldung"] for b in formeln
    ]
    *zeilen, leere = formeln
    assert all("Die Mappe rechnet Kosten dieser Zeile" in b["meldung"] for b in zeilen)
    assert all(b["stufe"] == "Warnung" for b in formeln)
    assert leere["meldung"].startswith(
        f"{r.blatt}!{r.zelle(gefuellt, 'Kosten')} bis {r.zelle(r.zeilen - 1, 'Kosten')} "
        f"(Kosten): In diesen {r.zeilen - gefuellt} leeren Zeilen fehlt die Formel"
    ), leere["meldung"]
    assert "das Korrekturexemplar hat die Formeln wieder" in leere["meldung"]


def test_nach_unten_ausgefuellte_zeile_zaehlt_nicht_still_doppelt(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path, st: Any
) -> None:
    """Clerk test in Calc: the last Ressource filled down into two more rows (Blatt > Zellen
    ausfüllen > Unten, meant to copy the Kommune). The return was 'gültig', and its costs
    counted three times in the workbook and in the overview. Each copy is now a Warnung at
    its row, naming the row it repeats."""
    r = lage(gueltig, "tbl_Ressourcen")
    gefuellt = len(demo_daten.eingaben(st, "AG-01")[0]["tbl_Ressourcen"])
    zeile = r.erste_zeile + gefuellt - 1
    doppelt = [b for b in befunde["ausgefüllt"] if b["regel"] == "EINDEUTIG"]
    assert [(b["blatt"], b["zelle"], b["stufe"]) for b in doppelt] == [
        (r.blatt, r.zelle(gefuellt, "Ressourcenart"), "Warnung"),
        (r.blatt, r.zelle(gefuellt + 1, "Ressourcenart"), "Warnung"),
    ]
    assert f"Zeile {zeile + 1} gleicht Zeile {zeile} in allen Angaben" in doppelt[0]["meldung"]
    assert "so zählen ihre Kosten doppelt" in doppelt[0]["meldung"]
    # the second copy points to the first, as copied formulas do: the paragraph once
    assert doppelt[1]["meldung"] == (
        f"{r.blatt}!{doppelt[1]['zelle']}: auch Zeile {zeile + 2} gleicht Zeile {zeile} in "
        f"allen Angaben (siehe {r.blatt}!{doppelt[0]['zelle']})."
    )
    assert not [b for b in befunde["ausgefüllt"] if b["stufe"] == "Fehler"]


def test_geloeschte_spalte_sagt_dass_sie_geloescht_ist(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path
) -> None:
    """Clerk test in Calc: protection off, the column Einheit deleted. The message asked to
    restore the column's header, which is not there to restore, and did not say that the
    rest of the workbook is not read until then."""
    r = lage(gueltig, "tbl_Ressourcen")
    (b,) = befunde["Einheit gelöscht"]
    assert b["stufe"] == "Fehler" and b["regel"] == "STRUKTUR"
    assert (
        "fehlt die Spalte 'Einheit'. Sie wurde wohl mit ihren Einträgen gelöscht." in (b["meldung"])
    )
    # Kostensatz, right of Einheit in the template, is where Einheit was
    assert f"vor der Spalte 'Kostensatz' ({r.blatt}!{r.zelle(-1, 'Einheit')})" in b["meldung"]
    assert "Spaltenüberschrift" not in b["meldung"]
    assert "Die übrigen Eingaben der Mappe werden erst danach gelesen." in b["meldung"]


def test_ersetztes_blatt_erklaert_die_verlorene_tabelle_des_blatts_davor(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path
) -> None:
    """Clerk test in Calc: Ressourcen copied, the original deleted, the copy renamed back.
    LibreOffice then saves the sheet before it (Stärken-Schwächen) without its table, and
    the message said it was probably converted to a range or deleted, which the clerk never
    touched. It now says what happened, as for a deleted sheet."""
    r = lage(gueltig, "tbl_Ressourcen")
    meldungen = {b["blatt"]: b["meldung"] for b in befunde["Blatt ersetzt"]}
    assert "Die Tabelle dort heißt jetzt 'tbl_Ressourcen_2'" in meldungen[r.blatt]
    davor = meldungen["Stärken-Schwächen"]
    assert "fehlt die Tabelle tbl_StaerkenSchwaechen" in davor
    assert (
        f"Zugleich ist die Tabelle 'tbl_Ressourcen_2' auf dem Blatt {r.blatt} die einer "
        "Kopie: Wurde dort das Originalblatt in LibreOffice gelöscht, verliert LibreOffice "
        "beim Speichern auch Tabellen anderer Blätter" in davor
    ), davor
    assert "In Bereich konvertieren" not in davor


def test_kopierte_tabelle_nennt_den_weg_in_excel_und_libreoffice(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path
) -> None:
    """Clerk test in Calc: the sheet copied, the original deleted, the copy renamed back. The
    message named only Excel's menu (Tabellenentwurf > Tabellenname), which Calc, where this
    happens, does not have. It names Calc's way too; done in Calc, the table is read again."""
    r = lage(gueltig, "tbl_Ressourcen")
    meldungen = {b["blatt"]: b["meldung"] for b in befunde["Blatt ersetzt"]}
    assert (
        "die Tabelle auch wieder 'tbl_Ressourcen' nennen (Excel: Tabellenentwurf > "
        "Tabellenname; LibreOffice: Daten > Bereich festlegen…, den Bereich "
        "'tbl_Ressourcen_2' wählen, als Name 'tbl_Ressourcen' eintragen, Hinzufügen, dann "
        "'tbl_Ressourcen_2' löschen)." in meldungen[r.blatt]
    ), meldungen[r.blatt]
    zurueck = befunde["Tabelle zurückbenannt"]
    assert not [b for b in zurueck if b["blatt"] == r.blatt and b["regel"] == "STRUKTUR"], zurueck


def test_menge_mit_einheit_nennt_die_zahl(
    befunde: dict[str, list[dict[str, Any]]], gueltig: Path
) -> None:
    """Clerk test in Calc: '0,5 Stelle' typed into a Menge stays text in Calc. The message
    asked for "nur Ziffern, z. B. 1234,50", as if no number had been typed; it now names the
    number and says the unit is what to leave out (Einheit has its own column)."""
    r = lage(gueltig, "tbl_Ressourcen")
    (b,) = befunde["Menge mit Einheit"]
    assert (b["zelle"], b["stufe"], b["regel"]) == (r.zelle(0, "Menge"), "Fehler", "TYP")
    assert b["meldung"].endswith(
        "'0,5 Stelle' ist keine Zahl. Bitte nur die Zahl eingeben, ohne Einheit oder Wort "
        "dahinter, z. B. 0,5."
    ), b["meldung"]
