"""A Kommune renamed in the Steuerungsmappe after the workbooks went out, and what the return of
an AG with figures per Kommune (Fallzahl, individuell) gets from `ikz pruefen`.

Found with an own programme (session 17): "Gemeinde Talheim" renamed "Gemeinde Talheim am See"
on the Kommunen sheet after AG-02 got its workbook, its return still said "Gemeinde Talheim"
20 %. The messages said "keine Partnerkommune mehr" without the likely new name, and the
Korrektur copy had the row of the new name with an empty share, the sum 80 %, and no word of
the 20 %. Here with the example: "Gemeinde Lehre" renamed, as the Steuerungsgruppe does it in
Excel (name on Kommunen and in each Partnerkommunen cell), the commands through the entry point.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aufruf import Lauf, ikz_aufrufen
from steuerungsmappe_tippen import eintragen, zelle

ALT = "Gemeinde Lehre"
KOEPFE = {"Fallzahl": "Fallzahl", "individuell": "Anteil individuell"}


def _ikz(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> Lauf:
    return ikz_aufrufen(monkeypatch, capsys, *args)


def _zurueck_und_umbenannt(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ag: str,
    neu: str,
    einwohner: int | None = None,
    dazu: dict[str, str] | None = None,
    geschrieben: dict[str, str] | None = None,
) -> Path:
    """The workbooks made, `ag`'s return filled in eingang/, then `ALT` renamed `neu` on the
    Kommunen sheet and in every AG's Partnerkommunen (and its Einwohner set, if given), and
    the renames `dazu` (old -> new) too. Returns the Arbeitsbereich."""
    ab, mappe, st = _ruecklauf(tmp_path, monkeypatch, capsys, ag, geschrieben)
    aenderungen: list[tuple[str, str, str, Any]] = []
    if einwohner is not None:
        aenderungen.append(("tbl_Kommunen", ALT, "Einwohner", einwohner))
    namen = {ALT: neu, **(dazu or {})}
    aenderungen += [("tbl_Kommunen", a, "Kommune", n) for a, n in namen.items()]
    for a in st.arbeitsgruppen:
        _, partner = zelle(mappe, "tbl_Arbeitsgruppen", a.kuerzel, "Partnerkommunen")
        if set(namen) & set(str(partner).split("; ")):
            neue = "; ".join(namen.get(p, p) for p in str(partner).split("; "))
            aenderungen.append(("tbl_Arbeitsgruppen", a.kuerzel, "Partnerkommunen", neue))
    eintragen(mappe, *aenderungen)
    return ab


def _ruecklauf(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ag: str,
    geschrieben: dict[str, str] | None = None,
    schluessel: str | None = "wie im Beispiel",
    anteile: dict[str, float] | None = None,
    ressource: dict[str, Any] | None = None,
) -> tuple[Path, Path, Any]:
    """The workbooks made and `ag`'s return (the example's entries) in eingang/; a Kommune
    cell holding a key of `geschrieben` is typed as its value instead ("Gem. Lehre"), the
    key `schluessel` chosen unless it is the example's (None: none chosen), the individual
    shares of `anteile` typed instead of the example's, the first row of Ressourcen with
    `ressource` typed over it.
    (Arbeitsbereich, Steuerungsmappe, Stammdaten)."""
    from ikz_excel import demo_daten, erzeugen, stammdaten

    ab = tmp_path / "ab"
    assert _ikz(monkeypatch, capsys, "init", "-a", str(ab)).code == 0
    assert _ikz(monkeypatch, capsys, "erzeugen", "-a", str(ab)).code == 0
    mappe = ab / "Steuerungsmappe.xlsm"
    st = stammdaten.lesen(mappe)
    eingaben, felder = demo_daten.eingaben(st, ag)
    if schluessel != "wie im Beispiel":
        felder["Schluessel"] = schluessel
    for tabelle in ("tbl_StaerkenSchwaechen", "tbl_Ressourcen", "tbl_Nutzen"):
        for e in eingaben.get(tabelle, []):
            e["Kommune"] = (geschrieben or {}).get(e.get("Kommune"), e.get("Kommune"))
    eingaben["tbl_Ressourcen"][0].update(ressource or {})
    for e in eingaben.get("tbl_Kostenausgleich", []):
        if e.get("Kommune") in (anteile or {}):
            e["Anteil individuell"] = (anteile or {})[e["Kommune"]]
    ziel = ab / "eingang" / f"{ag}.xlsx"
    erzeugen.arbeitsmappe_schreiben(
        st, st.arbeitsgruppe(ag), ziel, eingaben=eingaben, felder=felder
    )
    return ab, mappe, st


def _ohne_alt(mappe: Path, ag: str) -> str:
    """The Partnerkommunen of `ag` in the Steuerungsmappe without `ALT`: struck off."""
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", ag, "Partnerkommunen")
    return "; ".join(p for p in str(partner).split("; ") if p != ALT)


def _kostenausgleich(pfad: Path) -> tuple[Any, dict[str, int]]:
    """The sheet Kostenausgleich of a workbook and the Excel row of each Kommune on it."""
    ws = openpyxl.load_workbook(pfad)["Kostenausgleich"]
    zeilen = {str(ws.cell(r, 1).value): r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value}
    return ws, zeilen


def _spalte(ws: Any, kopf: str) -> int:
    return next(c.column for c in ws[6] if c.value == kopf)


def _hinweise(pfad: Path) -> list[tuple[Any, Any, Any]]:
    """(Blatt, Zelle, Text) of each line of the sheet Korrekturhinweise."""
    ws = openpyxl.load_workbook(pfad)["Korrekturhinweise"]
    return [(r[0], r[1], r[3]) for r in ws.iter_rows(min_row=5, values_only=True) if r[3]]


def _rot_solange(pfad: Path, blatt: str, adresse: str) -> list[str]:
    ws = openpyxl.load_workbook(pfad)[blatt]
    return [
        r.formula[0]
        for cf in ws.conditional_formatting
        if str(cf.sqref) == adresse
        for r in cf.rules
    ]


def _zurueckschicken(ab: Path, kopie: Path) -> None:
    """The clerk sends the Korrektur copy back as it came, into its own mail folder."""
    (ab / "eingang" / "Antwort").mkdir()
    shutil.copy(kopie, ab / "eingang" / "Antwort" / kopie.name)


def test_umbenannte_kommune_mit_gleicher_einwohnerzahl_behaelt_ihren_anteil(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Renamed, nothing else changed: the return's 6 % for Gemeinde Lehre stands at the new
    name in the copy (the same Einwohner say it is the same Kommune), red with where it came
    from; the messages name the likely new name. Sent back unchanged, the copy is valid with
    the share at the renamed Kommune (the sum 100 %), not 94 % and a guess."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-05", neu)

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert (
        f"Partnerkommunen jetzt auch {neu}, {ALT} nicht mehr – {ALT} vermutlich umbenannt in "
        f"'{neu}'?" in lauf.text
    )
    assert (
        f"'{ALT}' ist seit dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe mehr"
        in lauf.text
    )
    assert f"Vermutlich umbenannt in '{neu}'? Dann bitte diese wählen" in lauf.text
    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    ws, zeilen = _kostenausgleich(kopie)
    assert ALT not in zeilen
    d = ws.cell(zeilen[neu], _spalte(ws, "Anteil individuell"))
    assert d.value == pytest.approx(0.06)
    assert d.comment is not None
    kommentar = " ".join(d.comment.text.split())
    assert f"Im Rücklauf stand Anteil individuell 6 % bei '{ALT}' (Zeile 16 der eingesandten" in (
        kommentar
    )
    assert "dieselbe Einwohnerzahl" in kommentar and f"ob er für {neu} gilt" in kommentar
    assert _rot_solange(kopie, "Kostenausgleich", d.coordinate) == ["TRUE"]
    assert ("Kostenausgleich", d.coordinate, kommentar.removeprefix("Warnung: ")) in [
        (b, z, " ".join(str(t).split())) for b, z, t in _hinweise(kopie)
    ]
    # the split of the copy adds up as the return's did
    anteile = [ws.cell(r, _spalte(ws, "Anteil individuell")).value for r in zeilen.values()]
    assert sum(anteile) == pytest.approx(1)

    # the other cells that named the old Kommune (Stärken-Schwächen) have the new name
    ss = openpyxl.load_workbook(kopie)["Stärken-Schwächen"]
    (genannt,) = [c for r in ss.iter_rows() for c in r if c.value in (ALT, neu)]
    assert genannt.value == neu and genannt.comment is not None
    assert f"Dieses Korrekturexemplar hat hier schon '{neu}' eingetragen" in " ".join(
        genannt.comment.text.split()
    )
    assert _rot_solange(kopie, "Stärken-Schwächen", genannt.coordinate) == ["TRUE"]

    _zurueckschicken(ab, kopie)
    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))
    assert "Antwort/" in lauf.text and "Kostenausgleich!" not in lauf.text, lauf.text
    assert f"Antwort/{kopie.name} (AG-05): gültig – 0 Fehler, 0 Warnungen" in lauf.text, lauf.text


@pytest.mark.parametrize(
    ("ag", "neu", "einwohner", "vermutlich"),
    [
        # renamed and its Einwohner updated in the same go: probably, not certainly, the same
        ("AG-01", "Gemeinde Lehre am See", 12000, True),
        ("AG-05", "Gemeinde Lehre am See", 12000, True),
        # struck off and another one added in its place: no guess
        ("AG-05", "Gemeinde Wendeburg", 10300, False),
    ],
    ids=["fallzahl_einwohner_neu", "individuell_einwohner_neu", "andere_kommune"],
)
def test_weggefallene_kommune_ihr_wert_steht_am_neuen_partner_zum_eintragen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ag: str,
    neu: str,
    einwohner: int,
    vermutlich: bool,
) -> None:
    """Whose the figure is, the return does not say when the new partner has other Einwohner:
    the copy leaves her cell empty and red until filled, its comment and the list give the
    figure that stood at the old name. Carried over, the copy sent back unchanged would be
    valid with a figure that may be another Kommune's (the project's rule); so it is a Fehler
    at that cell."""
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, ag, neu, einwohner)

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert (f"vermutlich umbenannt in '{neu}'?" in lauf.text) is vermutlich
    if ag == "AG-05":  # names Gemeinde Lehre on Stärken-Schwächen too
        assert (f"Vermutlich umbenannt in '{neu}'?" in lauf.text) is vermutlich
        assert ("Bitte eine Partnerkommune wählen oder die Angabe löschen" in lauf.text) is not (
            vermutlich
        )
    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    ws, zeilen = _kostenausgleich(kopie)
    rueck = openpyxl.load_workbook(next((ab / "eingang").glob(f"{ag}.xlsx")))["Kostenausgleich"]
    schluessel = rueck["B4"].value
    kopf = KOEPFE[schluessel]
    alt_zeile = next(r for r in range(7, rueck.max_row + 1) if rueck.cell(r, 1).value == ALT)
    wert = rueck.cell(alt_zeile, _spalte(rueck, kopf)).value
    gezeigt = {"Fallzahl": str(wert), "Anteil individuell": f"{round(wert * 100)} %"}[kopf]
    c = ws.cell(zeilen[neu], _spalte(ws, kopf))
    assert c.value is None
    assert c.comment is not None
    kommentar = " ".join(c.comment.text.split())
    assert (
        f"Im Rücklauf stand {kopf} {gezeigt} bei '{ALT}' (Zeile {alt_zeile} der eingesandten "
        "Mappe), seit dem Versand keine Partnerkommune dieser Arbeitsgruppe mehr" in kommentar
    )
    assert ("(vermutlich umbenannt in" in kommentar) is vermutlich
    assert f"Bitte den Wert von {neu} eintragen." in kommentar
    assert _rot_solange(kopie, "Kostenausgleich", c.coordinate) == [f"LEN(TRIM({c.coordinate}))=0"]
    assert any(
        b == "Kostenausgleich" and z == c.coordinate and f"bei '{ALT}'" in str(t)
        for b, z, t in _hinweise(kopie)
    )

    _zurueckschicken(ab, kopie)
    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))
    antwort = lauf.text.split(f"Antwort/{kopie.name} (", 1)[1].split("Noch kein")[0]
    assert "fehlerhaft" in antwort
    assert f"Kostenausgleich!{c.coordinate}" in antwort


def test_zwei_umbenannte_kommunen_jede_neue_zelle_nennt_beide_werte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two partners gone and two new at once (renamed, or an exchange of partners): who is who,
    nobody can say, even with the same Einwohner. No guess in the messages; each new partner's
    cell in the copy stays empty and names both figures that stood at the old names."""
    neu, zweite = "Gemeinde Lehre am See", "Gemeinde Büddenstedt-Offleben"
    ab = _zurueck_und_umbenannt(
        tmp_path, monkeypatch, capsys, "AG-05", neu, dazu={"Gemeinde Büddenstedt": zweite}
    )

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert "vermutlich umbenannt" not in lauf.text.lower()
    (kopie,) = (ab / "berichte").glob("Korrektur_*.xlsx")
    ws, zeilen = _kostenausgleich(kopie)
    for name in (neu, zweite):
        c = ws.cell(zeilen[name], _spalte(ws, "Anteil individuell"))
        assert c.value is None and c.comment is not None
        kommentar = " ".join(c.comment.text.split())
        assert (
            "Im Rücklauf standen Anteil individuell 2 % bei 'Gemeinde Büddenstedt' (Zeile 15 der "
            "eingesandten Mappe) und Anteil individuell 6 % bei 'Gemeinde Lehre' (Zeile 16 der "
            "eingesandten Mappe), seit dem Versand keine Partnerkommunen dieser Arbeitsgruppe "
            f"mehr. Welcher davon für '{name}' gilt, sagt die Mappe nicht; darum steht hier "
            f"keiner. Bitte den Wert von {name} eintragen." in kommentar
        )


def _antwort(lauf: Lauf, datei: str) -> str:
    """What `ikz pruefen` says of one file."""
    return lauf.text.split(f"{datei} (", 1)[1].split("Noch kein")[0]


def _kommentar(pfad: Path, blatt: str, adresse: str) -> str:
    c = openpyxl.load_workbook(pfad)[blatt][adresse]
    return " ".join(c.comment.text.split()) if c.comment is not None else ""


def test_korrekturexemplar_zurueck_nennt_den_wert_der_alten_kommune_auch_in_runde_zwei_und_drei(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Renamed and the Einwohner changed: the copy leaves the cell of the new name empty and
    says that 6 % stood at Gemeinde Lehre. The AG sends the copy back without a value (and
    Stärken-Schwächen still with the old name), the coordination sends the next copy, it
    comes back the same: each round the Fehler at the empty cell, the sum and the old name
    say what stood where and what to do, in the messages and in the next copy. Before, the
    note lived only in the first copy's comment: round 2 said "braucht einen Anteil" and
    "ergeben 94 %" without a word of the 6 % (session 18)."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(tmp_path, monkeypatch, capsys, "AG-05", neu, 12000)
    assert _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    frueher = (
        f"In einem früheren Rücklauf (AG-05.xlsx) stand Anteil individuell 6 % bei '{ALT}' "
        "(Zeile 16 der damals eingesandten Mappe), seither keine Partnerkommune dieser "
        "Arbeitsgruppe mehr"
    )
    for runde in (2, 3):
        ordner = ab / "eingang" / f"Runde{runde}"
        ordner.mkdir()
        shutil.copy(kopie, ordner / kopie.name)
        for alt in (ab / "eingang").glob("*.xlsx"):
            alt.unlink()  # dealt with: only the copy sent back is in eingang/
        if runde == 3:
            shutil.rmtree(ab / "eingang" / "Runde2")
        lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))
        antwort = _antwort(lauf, f"Runde{runde}/{kopie.name}")
        assert "fehlerhaft" in antwort, antwort
        assert (
            f"Kostenausgleich!D16: Beim Schlüssel 'individuell' braucht jede Kommune einen "
            f"Anteil (0 % ist erlaubt). {frueher} (vermutlich umbenannt in '{neu}'?). Ob das "
            f"für '{neu}' gilt, sagt die Mappe nicht: bitte den Wert von {neu} eintragen."
            in antwort
        ), antwort
        assert (
            f"Kostenausgleich!D7: Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so "
            f"anpassen, dass die Summe genau 100 % ist. {frueher}: In der Summe fehlt das."
            in antwort
        )
        assert (
            f"Stärken-Schwächen!A9 (Kommune): '{ALT}' ist seit dem Versand der Mappe keine "
            "Partnerkommune dieser Arbeitsgruppe mehr" in antwort
        )
        assert f"Vermutlich umbenannt in '{neu}'? Dann bitte diese wählen" in antwort
        # the next copy has it at the cell, for the clerk
        assert frueher in _kommentar(kopie, "Kostenausgleich", "D16")
        assert frueher in _kommentar(kopie, "Kostenausgleich", "D7")
        assert any(
            (b, z) == ("Kostenausgleich", "D16") and frueher in " ".join(str(t).split())
            for b, z, t in _hinweise(kopie)
        )


@pytest.mark.parametrize(
    ("ag", "zelle_alt", "figur", "kopie_dort"),
    [
        (
            "AG-05",
            "D16",
            "Ihre Zeile (Anteil individuell 6 %) zählt",
            "die Anteile der übrigen ergeben dort weniger als 100 %: bitte ihre 6 % auf die "
            "Partnerkommunen verteilen.",
        ),
        (
            "AG-02",
            "C16",
            "Ihre Zeile (Fallzahl 160) zählt",
            "die Kosten verteilen sich dort nach dem Schlüssel auf die übrigen Partnerkommunen.",
        ),
        (
            "AG-03",
            "A16",
            "Ihr Anteil nach dem Schlüssel 'Einwohner' zählt",
            "die Kosten verteilen sich dort nach dem Schlüssel auf die übrigen Partnerkommunen.",
        ),
    ],
    ids=["individuell", "fallzahl", "einwohner"],
)
def test_gestrichene_kommune_die_meldung_nennt_ihre_zelle_und_was_mit_ihrem_wert_geschieht(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ag: str,
    zelle_alt: str,
    figur: str,
    kopie_dort: str,
) -> None:
    """Gemeinde Lehre left the AG after the workbook went out (struck off its Partnerkommunen,
    nobody new). Her row in the return's Kostenausgleich was named only by "Partnerkommunen
    Gemeinde Lehre nicht mehr": whether her share counted, and that the copy had no row for
    it, nobody could see (session 18). Now a Warnung at her cell says both; the overview
    does count her share until the copy is back (what the message says), and the copy sent
    back names what became of it."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, ag)
    ohne = _ohne_alt(mappe, ag)
    eintragen(mappe, ("tbl_Arbeitsgruppen", ag, "Partnerkommunen", ohne))

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 0, lauf.text
    assert (
        f"Warnung Kostenausgleich!{zelle_alt}: '{ALT}' ist seit dem Versand der Mappe keine "
        f"Partnerkommune dieser Arbeitsgruppe mehr. {figur}, bis die Arbeitsgruppe das "
        "Korrekturexemplar zurückschickt: Die Übersicht verteilt die Kosten bis dahin auf die "
        f"Partner dieser Mappe, {ALT} eingeschlossen. Im Korrekturexemplar hat sie keine Zeile "
        f"mehr; {kopie_dort}" in lauf.text
    ), lauf.text
    if ag == "AG-02":  # her Nutzen: counts for the AG, split by the Kostenausgleich
        assert (
            f"'{ALT}' ist seit dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe "
            f"mehr (jetzt: {ohne}). Bitte eine Partnerkommune wählen oder die Angabe löschen. "
            "Der Nutzen dieser Zeile zählt weiter zum Nutzen der Arbeitsgruppe" in lauf.text
        )
    kopie = ab / "berichte" / f"Korrektur_{ag}.xlsx"
    assert any(
        b == "Kostenausgleich" and kopie_dort in " ".join(str(t).split())
        for b, _, t in _hinweise(kopie)
    )
    # what the message says: her share counts in the overview until the copy is back
    assert _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(ab)).code == 0
    _, zeilen = _je_handlungsfeld(ab)
    (ihre,) = [z for z in zeilen if z.get("AG") == ag and z.get("Kommune") == ALT]
    assert ihre["Kostenanteil"] > 0

    if ag == "AG-05":
        _zurueckschicken(ab, kopie)
        for alt in (ab / "eingang").glob("*.xlsx"):
            alt.unlink()
        lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))
        antwort = _antwort(lauf, f"Antwort/{kopie.name}")
        assert (
            "Die individuellen Anteile ergeben 94 %, nicht 100 %. Bitte so anpassen, dass die "
            "Summe genau 100 % ist. In einem früheren Rücklauf (AG-05.xlsx) stand Anteil "
            f"individuell 6 % bei '{ALT}' (Zeile 16 der damals eingesandten Mappe), seither "
            "keine Partnerkommune dieser Arbeitsgruppe mehr: In der Summe fehlt das; bitte auf "
            "die Partnerkommunen verteilen." in antwort
        ), antwort
        assert (
            f"Stärken-Schwächen!A9 (Kommune): '{ALT}' ist seit dem Versand der Mappe keine "
            "Partnerkommune dieser Arbeitsgruppe mehr" in antwort
        )


# 'gemeinde lehre' (case only) was read as the list's 'Gemeinde Lehre' already (a Hinweis)
@pytest.mark.parametrize("geschrieben", ["Gem. Lehre", "Gde. Lehre", "Gemeinde-Lehre"])
def test_alter_name_anders_geschrieben_ist_die_umbenannte_kommune(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    geschrieben: str,
) -> None:
    """The return named Gemeinde Lehre as the clerk wrote it, pasted past the list. Renamed
    since: the Fehler said "Meinten Sie 'Gemeinde Lehre'?", a Kommune that is no partner now,
    and the copy kept the spelling, so the rename cost another round (session 18). Certain
    (only one partner it can be, the same Einwohner) it is she: the message says so, the copy
    has the new name, sent back unchanged it is valid."""
    neu = "Gemeinde Lehre am See"
    ab = _zurueck_und_umbenannt(
        tmp_path, monkeypatch, capsys, "AG-05", neu, geschrieben={ALT: geschrieben}
    )

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert (
        f"Fehler Stärken-Schwächen!A9 (Kommune): '{geschrieben}' ist '{ALT}', anders "
        f"geschrieben. '{ALT}' ist seit dem Versand der Mappe keine Partnerkommune dieser "
        "Arbeitsgruppe mehr (jetzt: " in lauf.text
    ), lauf.text
    assert f"Vermutlich umbenannt in '{neu}'? Dann bitte diese wählen" in lauf.text
    assert f"Meinten Sie '{ALT}'" not in lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    assert openpyxl.load_workbook(kopie)["Stärken-Schwächen"]["A9"].value == neu
    assert f"Dieses Korrekturexemplar hat hier schon '{neu}' eingetragen" in _kommentar(
        kopie, "Stärken-Schwächen", "A9"
    )

    _zurueckschicken(ab, kopie)
    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))
    assert f"Antwort/{kopie.name} (AG-05): gültig – 0 Fehler, 0 Warnungen" in lauf.text, lauf.text


def test_anders_geschrieben_und_zwei_moeglich_keine_vermutung(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Helmstedt' after Stadt Helmstedt was renamed: the Landkreis or the Stadt, the return
    does not say. No guess: neither "anders geschrieben" nor the new name in the copy."""
    neu = "Stadt Helmstedt (Kreisstadt)"
    ab = _zurueck_und_umbenannt(
        tmp_path,
        monkeypatch,
        capsys,
        "AG-05",
        "Gemeinde Lehre am See",
        dazu={"Stadt Helmstedt": neu},
        geschrieben={"Stadt Helmstedt": "Helmstedt"},
    )

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert "'Helmstedt' ist" not in lauf.text and "anders geschrieben" not in lauf.text
    # the short form offers both, and says which of them is no partner now
    assert (
        "Stärken-Schwächen!A6 (Kommune): 'Helmstedt' steht so nicht in der Auswahlliste der "
        "Partnerkommunen. Meinten Sie 'Landkreis Helmstedt' oder 'Stadt Helmstedt'? Bitte die "
        "Kommune mit ihrem vollen Namen aus der Auswahlliste wählen. 'Stadt Helmstedt' ist seit "
        "dem Versand der Mappe keine Partnerkommune dieser Arbeitsgruppe mehr." in lauf.text
    ), lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    assert openpyxl.load_workbook(kopie)["Stärken-Schwächen"]["A6"].value == "Helmstedt"


def test_neue_partnerkommune_ihre_zelle_im_korrekturexemplar_sagt_was_zu_tun_ist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """AG-10 (individuell) returned for three partners; then Gemeinde Lehre joined it. The
    copy has her row with an empty share beside shares that make 100 % without her; it was
    unmarked (session 18). Now red while empty, with what to do, and in the list."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-10")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-10", "Partnerkommunen")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-10", "Partnerkommunen", f"{partner}; {ALT}"))

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 0 and "Partnerkommunen jetzt auch Gemeinde Lehre" in lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-10.xlsx"
    ws, zeilen = _kostenausgleich(kopie)
    c = ws.cell(zeilen[ALT], _spalte(ws, "Anteil individuell"))
    assert c.value is None
    text = (
        f"'{ALT}' ist seit dem Versand der Mappe Partnerkommune dieser Arbeitsgruppe; der "
        "Rücklauf hatte keine Zeile für sie. Bitte ihren Anteil eintragen (0 % ist erlaubt) "
        "und die Anteile so anpassen, dass sie zusammen 100 % ergeben."
    )
    assert text in _kommentar(kopie, "Kostenausgleich", c.coordinate)
    assert _rot_solange(kopie, "Kostenausgleich", c.coordinate) == [f"LEN(TRIM({c.coordinate}))=0"]
    assert ("Kostenausgleich", c.coordinate, text) in [
        (b, z, " ".join(str(t).split())) for b, z, t in _hinweise(kopie)
    ]


def test_zwei_namen_auf_kommunen_getauscht_der_hinweis_nennt_die_einwohner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The names of Stadt Helmstedt and Stadt Schöningen swapped on the Kommunen sheet (each
    now has the other's Einwohner). For AG-05 (individuell) the Einwohner split nothing, and
    the Hinweis said only "z. B. geänderte Texte": which, nobody could tell (session 18)."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    eintragen(
        mappe,
        ("tbl_Kommunen", "Stadt Helmstedt", "Kommune", "Zwischenname"),
        ("tbl_Kommunen", "Stadt Schöningen", "Kommune", "Stadt Helmstedt"),
        ("tbl_Kommunen", "Zwischenname", "Kommune", "Stadt Schöningen"),
    )

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert (
        "Hinweis AG-05.xlsx: Die Mappe wurde mit älteren Stammdaten erzeugt: Einwohner Stadt "
        "Helmstedt 25.389 (jetzt 12.850; beim Schlüssel 'individuell' ohne Einfluss auf die "
        "Anteile); Einwohner Stadt Schöningen 12.850 (jetzt 25.389; beim Schlüssel "
        "'individuell' ohne Einfluss auf die Anteile). Zinssatz, Zeitraum, Startjahr und "
        "Partner sind dieselben; an den Zahlen ändert das nichts." in lauf.text
    ), lauf.text


@pytest.mark.parametrize(
    "vermerk",
    [
        "[{kaputt",
        '[{"kommune": "Gemeinde Lehre", "vermutlich": ["x"], "bei": 5}]',
        '[{"kommune": "Gemeinde Lehre", "vermutlich": 7, "kopf": "Anteil individuell", '
        '"wert": NaN, "zeile": "x", "datei": null, "bei": "Stadt Helmstedt"}]',
        '[{"kommune": 1}, null, "Gemeinde Lehre", {"kommune": ""}]',
        '{"kommune": "Gemeinde Lehre"}',
    ],
    ids=["kein_json", "listen", "falsche_typen", "keine_kommune", "kein_array"],
)
def test_vermerk_im_internen_blatt_von_hand_geaendert_keine_ausnahme(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    vermerk: str,
) -> None:
    """The note of a Korrektur copy (`_ikz`, weggefallene_partner) is JSON in a cell a clerk
    can reach once LibreOffice has shown the sheet. Typed over, it must not stop the check
    with a traceback (a list where a name belongs, a number where a list belongs): what
    cannot be read is no note, the copy is checked as one without (review18a)."""
    from ikz_excel.pruefen import WEGGEFALLENE

    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))
    assert _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    wb = openpyxl.load_workbook(kopie)
    (zeile,) = [r for r in wb["_ikz"].iter_rows() if r[0].value == WEGGEFALLENE]
    zeile[1].value = vermerk
    (ab / "eingang" / "Antwort").mkdir()
    wb.save(ab / "eingang" / "Antwort" / kopie.name)
    for alt in (ab / "eingang").glob("*.xlsx"):
        alt.unlink()

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 1 and "Traceback" not in lauf.text + lauf.fehler, lauf.text
    assert f"Antwort/{kopie.name} (AG-05): fehlerhaft" in lauf.text, lauf.text
    assert "Die individuellen Anteile ergeben 94 %" in lauf.text


def test_ohne_gewaehlten_schluessel_kein_schluessel_none_in_den_meldungen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A return without a key chosen yet: the overview splits it on nobody. The Warnung at a
    struck-off Kommune said "Ihr Anteil nach dem Schlüssel '' zählt, … Die Übersicht verteilt
    die Kosten bis dahin auf die Partner dieser Mappe", a share the overview does not show;
    two names swapped on Kommunen gave "beim Schlüssel None" (review18a)."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05", schluessel=None)
    eintragen(
        mappe,
        ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")),
        ("tbl_Kommunen", "Stadt Helmstedt", "Kommune", "Zwischenname"),
        ("tbl_Kommunen", "Stadt Schöningen", "Kommune", "Stadt Helmstedt"),
        ("tbl_Kommunen", "Zwischenname", "Kommune", "Stadt Schöningen"),
    )

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert "Schlüssel ''" not in lauf.text and "Schlüssel None" not in lauf.text, lauf.text
    assert (
        f"Warnung Kostenausgleich!A16: '{ALT}' ist seit dem Versand der Mappe keine "
        "Partnerkommune dieser Arbeitsgruppe mehr. Im Korrekturexemplar hat sie keine Zeile "
        "mehr; die Kosten verteilen sich dort nach dem Schlüssel, den die Arbeitsgruppe wählt, "
        "auf die übrigen Partnerkommunen." in lauf.text
    ), lauf.text
    assert (
        "Einwohner Stadt Helmstedt 25.389 (jetzt 12.850; ohne Einfluss auf die Anteile, "
        "solange nicht der Schlüssel 'Einwohner' gewählt ist)" in lauf.text
    )


@pytest.mark.parametrize(
    ("schluessel", "anteile", "datei", "zelle"),
    [
        (
            None,
            None,
            "in dieser Mappe ist kein Verteilungsschlüssel gewählt: Die Übersicht verteilt ihre "
            "Kosten auf keine Kommune, bis die AG im Korrekturexemplar einen wählt; dort stehen "
            "die jetzigen Partner",
            None,
        ),
        (
            "wie im Beispiel",
            {"Stadt Helmstedt": 0.3},  # a typo: the shares make 90 %, not 100 %
            "der Kostenausgleich dieser Mappe geht so nicht auf: Die Übersicht verteilt ihre "
            "Kosten auf keine Kommune, bis die AG ihn im Korrekturexemplar berichtigt; dort "
            "stehen die jetzigen Partner",
            f"Warnung Kostenausgleich!D16: '{ALT}' ist seit dem Versand der Mappe keine "
            "Partnerkommune dieser Arbeitsgruppe mehr. Die Übersicht verteilt die Kosten dieser "
            "Mappe auf keine Kommune, solange ihr Kostenausgleich so nicht aufgeht. Im "
            "Korrekturexemplar hat sie keine Zeile mehr;",
        ),
    ],
    ids=["kein_schluessel", "summe_90"],
)
def test_ohne_verteilung_verspricht_die_meldung_keine_die_es_nicht_gibt(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    schluessel: str | None,
    anteile: dict[str, float] | None,
    datei: str,
    zelle: str | None,
) -> None:
    """Gemeinde Lehre struck off AG-05, whose return has no key chosen, or individual shares
    that do not make 100 %. The file's warning said "Partnerkommunen Gemeinde Lehre nicht
    mehr (bis die AG im Korrekturexemplar weiterarbeitet, verteilt die Übersicht die Kosten auf
    die Partner dieser Mappe)", and with a key her cell "Die Übersicht verteilt die Kosten bis
    dahin auf die Partner dieser Mappe, Gemeinde Lehre eingeschlossen", but the overview
    splits such a workbook on nobody (session 19). Now both say what the overview does."""
    ab, mappe, _ = _ruecklauf(
        tmp_path, monkeypatch, capsys, "AG-05", schluessel=schluessel, anteile=anteile
    )
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert "verteilt die Übersicht die Kosten auf die Partner" not in lauf.text, lauf.text
    assert "verteilt die Kosten bis dahin auf die Partner" not in lauf.text, lauf.text
    assert f"Partnerkommunen {ALT} nicht mehr ({datei})" in lauf.text, lauf.text
    if zelle is not None:
        assert zelle in lauf.text, lauf.text
    # what the message says: no share of AG-05 for any Kommune in the overview
    assert _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(ab)).code in (0, 1)
    koepfe, zeilen = _je_handlungsfeld(ab)
    assert "Kostenanteil" in koepfe  # the column the keyed case fills (test above)
    assert [z for z in zeilen if z.get("AG") == "AG-05" and z.get("Kostenanteil")] == []


def test_mit_einem_fehler_anderswo_verspricht_die_meldung_die_verteilung_erst_danach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre struck off AG-05, whose return has a negative Menge on Ressourcen (a
    Fehler, in a row naming her). The overview splits only returns without Fehler, but her cell
    said "Die Übersicht verteilt die Kosten bis dahin auf die Partner dieser Mappe, Gemeinde
    Lehre eingeschlossen" and the file "(bis die AG im Korrekturexemplar weiterarbeitet,
    verteilt die Übersicht die Kosten auf die Partner dieser Mappe)", and the overview showed
    no share of AG-05 at all (session 20); so did "Die Kosten dieser Zeile zählen weiter" at
    her Ressourcen row. Now they say that this holds once the Fehler are fixed, in the check
    and the Korrektur copy's notes."""
    ab, mappe, _ = _ruecklauf(
        tmp_path, monkeypatch, capsys, "AG-05", ressource={"Menge": -3, "Kommune": ALT}
    )
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    assert lauf.code == 1 and "AG-05.xlsx (AG-05): fehlerhaft" in lauf.text, lauf.text
    assert "verteilt die Übersicht die Kosten auf die Partner" not in lauf.text, lauf.text
    assert "verteilt die Kosten bis dahin auf die Partner" not in lauf.text, lauf.text
    zelle = (
        f"Warnung Kostenausgleich!D16: '{ALT}' ist seit dem Versand der Mappe keine "
        "Partnerkommune dieser Arbeitsgruppe mehr. Ihre Zeile (Anteil individuell 6 %) zählt "
        "erst, wenn die Fehler dieser Mappe behoben sind (bis dahin verteilt die Übersicht ihre "
        "Kosten auf keine Kommune), und dann, bis die Arbeitsgruppe das Korrekturexemplar "
        "zurückschickt: Die Übersicht verteilt die Kosten dann auf die Partner dieser Mappe, "
        f"{ALT} eingeschlossen. Im Korrekturexemplar hat sie keine Zeile mehr;"
    )
    datei = (
        f"Partnerkommunen {ALT} nicht mehr (solange diese Mappe Fehler hat, verteilt die "
        "Übersicht ihre Kosten auf keine Kommune; sobald die Fehler behoben sind, auf die "
        "Partner dieser Mappe, bis die AG im Korrekturexemplar weiterarbeitet)"
    )
    assert zelle in lauf.text and datei in lauf.text, lauf.text
    # the row of Ressourcen naming her: its costs count once the Fehler are fixed
    assert (
        "Bitte eine Partnerkommune wählen oder die Angabe löschen. Sind die Fehler dieser Mappe "
        "behoben, zählen die Kosten dieser Zeile weiter zu den Kosten der Arbeitsgruppe "
        in " ".join(lauf.text.split())
    ), lauf.text
    assert "Die Kosten dieser Zeile zählen weiter" not in lauf.text, lauf.text
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    hinweise = [" ".join(str(t).split()) for _, _, t in _hinweise(kopie)]
    assert any(datei in t for t in hinweise), hinweise
    assert not any("Partner dieser Mappe)" in t for t in hinweise), hinweise
    # what the messages say: no share of AG-05 for any Kommune in the overview now
    assert _ikz(monkeypatch, capsys, "konsolidieren", "-a", str(ab)).code == 1
    _, zeilen = _je_handlungsfeld(ab)
    assert [z for z in zeilen if z.get("AG") == "AG-05" and z.get("Kostenanteil")] == []


def _je_handlungsfeld(ab: Path) -> tuple[list[Any], list[dict[str, Any]]]:
    """The column headers of the overview's sheet Kommunen je Handlungsfeld, and its rows by
    them."""
    ws = openpyxl.load_workbook(ab / "Lenkungsgruppe_Uebersicht.xlsx", data_only=True)[
        "Kommunen je Handlungsfeld"
    ]
    kopf = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Kommune")
    koepfe = [c.value for c in ws[kopf]]
    return koepfe, [
        dict(zip(koepfe, r, strict=False)) for r in ws.iter_rows(min_row=kopf + 1, values_only=True)
    ]


def _anteile_tippen(kopie: Path, ziel: Path, dazu: dict[str, float]) -> None:
    """The AG types shares into the Korrektur copy (added to what stands there) and sends it
    back as `ziel`."""
    wb = openpyxl.load_workbook(kopie)
    ws = wb["Kostenausgleich"]
    spalte = _spalte(ws, "Anteil individuell")
    for r in range(7, ws.max_row + 1):
        if (name := ws.cell(r, 1).value) in dazu:
            ws.cell(r, spalte).value = round(ws.cell(r, spalte).value + dazu[name], 6)
    ziel.parent.mkdir(exist_ok=True)
    wb.save(ziel)


def _gestrichen_und_zurueck(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    anteile: dict[str, float],
) -> tuple[Path, Path]:
    """Gemeinde Lehre struck off AG-05 after its return, `ikz pruefen` writes the Korrektur
    copy, and the AG sends it back with `anteile` typed in (the first return taken out of
    eingang/): the workspace and the copy's path."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", _ohne_alt(mappe, "AG-05")))
    assert _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    (ab / "eingang" / "AG-05.xlsx").unlink()
    _anteile_tippen(kopie, ab / "eingang" / "Antwort" / kopie.name, anteile)
    return ab, kopie


def test_summe_aus_anderem_grund_falsch_nennt_den_anteil_der_gestrichenen_nicht(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre (6 %) struck off AG-05. The AG spreads her 6 % in the Korrektur copy
    with a typo (5 % to Stadt Helmstedt, 99 % in all) and sends it back. The Fehler at the
    sum said "… stand Anteil individuell 6 % bei 'Gemeinde Lehre' …: In der Summe fehlt das",
    which was no longer so: 1 % was missing (session 19). Now it names her 6 % only when the
    gap is hers (still 94 %)."""
    ab, kopie = _gestrichen_und_zurueck(tmp_path, monkeypatch, capsys, {"Stadt Helmstedt": 0.05})

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    antwort = _antwort(lauf, f"Antwort/{kopie.name}")
    assert "Die individuellen Anteile ergeben 99 %, nicht 100 %." in antwort, antwort
    assert f"6 % bei '{ALT}'" not in antwort and "In der Summe fehlt" not in antwort, antwort


def test_verteilter_anteil_der_gestrichenen_geht_nicht_in_das_naechste_korrekturexemplar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Gemeinde Lehre (6 %) struck off AG-05. The AG spreads her 6 % in the Korrektur copy
    (to Stadt Helmstedt, 100 % in all) but leaves her name on Stärken-Schwächen, so a next copy
    follows. It still noted her 6 % and named them at the sum and the cells of the copy after
    that, long after they were spread (session 19). Now it notes only her name: a cell still
    naming her is recognised, her figure is history."""
    from ikz_excel.pruefen import WEGGEFALLENE

    ab, kopie = _gestrichen_und_zurueck(tmp_path, monkeypatch, capsys, {"Stadt Helmstedt": 0.06})

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    antwort = _antwort(lauf, f"Antwort/{kopie.name}")
    assert "Die individuellen Anteile ergeben" not in antwort, antwort
    assert (
        f"Stärken-Schwächen!A9 (Kommune): '{ALT}' ist seit dem Versand der Mappe keine "
        "Partnerkommune dieser Arbeitsgruppe mehr" in antwort
    ), antwort
    wb = openpyxl.load_workbook(kopie)  # the next copy, for round 3
    (vermerk,) = [r[1].value for r in wb["_ikz"].iter_rows() if r[0].value == WEGGEFALLENE]
    (eintrag,) = json.loads(vermerk)
    assert eintrag["kommune"] == ALT
    assert eintrag["kopf"] is None and eintrag["wert"] is None, eintrag
    texte = [" ".join(str(t).split()) for _, _, t in _hinweise(kopie)]
    assert not [t for t in texte if "6 %" in t], texte


@pytest.mark.parametrize(
    ("dazu", "genannt", "summe"),
    [
        ({}, ["Gemeinde Büddenstedt", ALT], "92"),
        ({"Stadt Helmstedt": 0.02}, [ALT], "94"),
        ({"Stadt Helmstedt": 0.06}, ["Gemeinde Büddenstedt"], "98"),
        ({"Stadt Helmstedt": 0.07}, [], "99"),
    ],
    ids=["keiner_verteilt", "zwei_prozent_verteilt", "sechs_prozent_verteilt", "vertippt"],
)
def test_zwei_gestrichene_die_summe_nennt_was_ihr_fehlt(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dazu: dict[str, float],
    genannt: list[str],
    summe: str,
) -> None:
    """Gemeinde Büddenstedt (2 %) and Gemeinde Lehre (6 %) struck off AG-05. The Fehler at the
    sum of the copy sent back names the shares the sum lacks: both (92 %), the one not yet
    spread, or none when the gap is neither (session 19)."""
    ab, mappe, _ = _ruecklauf(tmp_path, monkeypatch, capsys, "AG-05")
    _, partner = zelle(mappe, "tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen")
    ohne = "; ".join(p for p in str(partner).split("; ") if p not in (ALT, "Gemeinde Büddenstedt"))
    eintragen(mappe, ("tbl_Arbeitsgruppen", "AG-05", "Partnerkommunen", ohne))
    assert _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab)).code == 0
    kopie = ab / "berichte" / "Korrektur_AG-05.xlsx"
    (ab / "eingang" / "AG-05.xlsx").unlink()
    _anteile_tippen(kopie, ab / "eingang" / "Antwort" / kopie.name, dazu)

    lauf = _ikz(monkeypatch, capsys, "pruefen", "-a", str(ab))

    antwort = _antwort(lauf, f"Antwort/{kopie.name}")
    satz = antwort.split(f"Die individuellen Anteile ergeben {summe} %, nicht 100 %.", 1)[1]
    satz = satz.split("Kostenausgleich!", 1)[0].split("Stärken-Schwächen!", 1)[0]
    assert [k for k in ("Gemeinde Büddenstedt", ALT) if f"bei '{k}'" in satz] == genannt, satz
    assert ("In der Summe fehlt das; bitte auf die Partnerkommunen verteilen." in satz) is bool(
        genannt
    ), satz
