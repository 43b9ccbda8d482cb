"""`ikz init` and `ikz erzeugen` through the real entry point `ikz_excel.cli.main`.

What is checked is what a Steuerungsgruppe relies on: German help for every verb; `init` builds
the workspace of FACHKONZEPT §2 and never overwrites a Steuerungsmappe without `--ersetzen` (and
then keeps a dated backup); `erzeugen` writes one workbook per AG, never touches one already sent
out unless told so, and never writes the Steuerungsmappe; usage errors exit 2 without traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aufruf import Lauf, ikz_aufrufen

from ikz_excel import cli, erzeugen, stammdaten

DATEINAMEN = [
    "AG-01_IT-Gemeinsames-Rechenzentrum.xlsx",
    "AG-02_Personalservice.xlsx",
    "AG-03_Wirtschaftsfoerderung.xlsx",
    "AG-04_Kultur-Tourismusfoerderung.xlsx",
    "AG-05_Gebaeude-Facilitymanagement.xlsx",
    "AG-06_Hoch-und-Tiefbau-baufachliche-Begleitung.xlsx",
    "AG-07_Brandschutz.xlsx",
    "AG-08_Arbeitsschutz.xlsx",
    "AG-09_Datenschutzbeauftragter.xlsx",
    "AG-10_Baederverwaltung.xlsx",
]
VERBEN = [str(c.name) for c in cli.app.registered_commands]


@pytest.fixture
def ikz(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `ikz ARGS` through `cli.main`, as the console script does; returns a `Lauf`."""

    def aufrufen(*args: str) -> Lauf:
        return ikz_aufrufen(monkeypatch, capsys, *args)

    return aufrufen


def _stand(pfad: Path) -> tuple[bytes, int, int]:
    """Content, modification time and inode: an atomic rewrite changes at least the inode."""
    s = pfad.stat()
    return pfad.read_bytes(), s.st_mtime_ns, s.st_ino


def _ausgang(bereich: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: _stand(p) for p in sorted((bereich / "ausgang").glob("*.xlsx"))}


@pytest.fixture
def bereich(tmp_path: Path) -> Path:
    """A workspace after `init`."""
    ab = tmp_path / "ab"
    erzeugen.init(ab)
    return ab


# Help --------------------------------------------------------------------------------------------


def test_alle_verben_des_fachkonzepts_vorhanden() -> None:
    assert {"init", "erzeugen", "pruefen", "konsolidieren", "demo"} <= set(VERBEN)


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["-h"]] + [[verb, "--help"] for verb in VERBEN],
    ids=["ohne_argumente", "--help", "-h"] + [f"{verb}_--help" for verb in VERBEN],
)
def test_hilfe_auf_deutsch(ikz: Any, args: list[str]) -> None:
    lauf = ikz(*args)
    # without a verb nothing was done: a usage error (exit 2), the help shown all the same
    assert lauf.code == (0 if args else 2)
    if not args:
        assert "Kein Befehl angegeben" in lauf.fehler
    assert "Aufruf:" in lauf.aus
    assert "Optionen" in lauf.aus
    assert "Diese Hilfe zeigen und beenden." in lauf.text
    for englisch in ("Usage:", "Show this message", "[default", "Options", "Commands", "COMMAND"):
        assert englisch not in lauf.aus, englisch
    for python in ("<bool>", "<path>", "list[", "<text>"):  # typer's type labels
        assert python not in lauf.aus, python
    if args and args[0] in VERBEN:
        assert f"ikz {args[0]}" in lauf.aus
        # Each paragraph of the command's text flows as one (the terminal is 200 wide here).
        befehl = next(b for b in cli.app.registered_commands if b.name == args[0])
        zeilen = {" ".join(zeile.split()) for zeile in lauf.aus.splitlines()}
        for absatz in inspect.cleandoc(befehl.callback.__doc__ or "").split("\n\n"):
            assert " ".join(absatz.split()) in zeilen, absatz


def test_python_m_ikz_excel_wie_ikz(tmp_path: Path) -> None:
    """`py -m ikz_excel` for PCs where ikz.exe is not on PATH: same help, same exit codes."""
    import os
    import subprocess
    import sys

    # This checkout first, whatever ikz_excel the interpreter has installed.
    pfade = [str(Path(cli.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]
    umgebung = {
        **os.environ,
        "COLUMNS": "200",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": os.pathsep.join(p for p in pfade if p),
    }

    def aufrufen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ikz_excel", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=umgebung,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    hilfe = aufrufen("--help")
    assert hilfe.returncode == 0, hilfe.stderr
    assert "Aufruf:" in hilfe.stdout and "Diese Hilfe zeigen und beenden." in hilfe.stdout
    for verb in VERBEN:
        assert verb in hilfe.stdout, verb
    falsch = aufrufen("gibtesnicht")
    assert falsch.returncode == 2 and "Unbekannter Befehl" in falsch.stderr, falsch.stderr


# init --------------------------------------------------------------------------------------------


def test_init_legt_arbeitsbereich_an(ikz: Any, tmp_path: Path) -> None:
    ab = tmp_path / "programm"
    lauf = ikz("init", "--arbeitsbereich", str(ab))
    assert lauf.code == 0, lauf.fehler
    for ordner in ("ausgang", "eingang", "archiv", "berichte"):
        assert (ab / ordner).is_dir(), ordner
    mappe = ab / "Steuerungsmappe.xlsm"
    assert mappe.is_file()
    wb = openpyxl.load_workbook(mappe, read_only=True)
    for blatt in ("Steuerung", "Kommunen", "Handlungsfelder", "Arbeitsgruppen", "Parameter"):
        assert blatt in wb.sheetnames
    assert "Prioritaet" in wb.sheetnames
    assert "Arbeitsbereich angelegt" in lauf.text
    assert f"'ikz erzeugen --arbeitsbereich {ab}'" in lauf.text


def test_init_ohne_angabe_im_ordner_arbeitsmappen(
    ikz: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lauf = ikz("init")
    assert lauf.code == 0, lauf.fehler
    assert (tmp_path / "arbeitsmappen" / "Steuerungsmappe.xlsm").is_file()
    # the default workspace needs no option
    assert "Zum Ausprobieren: 'ikz erzeugen'." in lauf.text
    assert "'ikz init --ersetzen --stammdaten arbeitsmappen/Steuerungsmappe.xlsm'" in lauf.text


def test_zweites_init_mit_stammdaten_nennt_sie_im_vorschlag(
    ikz: Any, bereich: Path, tmp_path: Path
) -> None:
    """The command offered to start anew keeps --stammdaten: copied as shown, it brought back
    the Helmstedt example over one's own programme (review)."""
    eigene = tmp_path / "eigene Stammdaten.xlsx"
    shutil.copyfile(bereich / "Steuerungsmappe.xlsm", eigene)
    lauf = ikz("init", "-a", str(bereich), "--stammdaten", str(eigene))
    assert lauf.code == 2
    assert (
        f"'ikz init --arbeitsbereich {bereich} --stammdaten \"{eigene}\" --ersetzen'" in lauf.text
    )


def test_befehl_im_arbeitsbereich_selbst_nennt_punkt(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside the workspace without --arbeitsbereich: the advice was 'ikz init', which
    would nest a second workspace in it (review). ("Im Ordner darüber" helped only where the
    workspace is called arbeitsmappen: not said.)"""
    monkeypatch.chdir(bereich)
    lauf = ikz("erzeugen")
    assert lauf.code == 2
    assert "das aktuelle Verzeichnis ist selbst ein Arbeitsbereich" in lauf.text
    assert "'--arbeitsbereich .'" in lauf.text and not (bereich / "arbeitsmappen").exists()


def test_zweites_init_verweigert_und_laesst_mappe_unberuehrt(ikz: Any, bereich: Path) -> None:
    mappe = bereich / "Steuerungsmappe.xlsm"
    vorher = _stand(mappe)
    lauf = ikz("init", "-a", str(bereich))
    assert lauf.code == 2
    assert "Traceback" not in lauf.fehler
    assert "gibt es schon" in lauf.text
    # the command to copy names this workspace: without it, a new ./arbeitsmappen would appear
    assert f"'ikz init --arbeitsbereich {bereich} --ersetzen'" in lauf.text
    assert _stand(mappe) == vorher
    assert list(bereich.glob("**/Steuerungsmappe_Sicherung_*")) == []


def test_init_ersetzen_behaelt_datierte_sicherung(ikz: Any, bereich: Path) -> None:
    mappe = bereich / "Steuerungsmappe.xlsm"
    alt = mappe.read_bytes()
    tage = {datetime.now().strftime("%Y-%m-%d")}
    lauf = ikz("init", "-a", str(bereich), "--ersetzen")
    tage.add(datetime.now().strftime("%Y-%m-%d"))
    assert lauf.code == 0, lauf.fehler
    assert "Steuerungsmappe neu geschrieben" in lauf.text and "angelegt" not in lauf.text
    sicherungen = list((bereich / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm"))
    assert len(sicherungen) == 1
    sicherung = sicherungen[0]
    datum = re.fullmatch(
        r"Steuerungsmappe_Sicherung_(\d{4}-\d{2}-\d{2})_\d{6}\.xlsm", sicherung.name
    )
    assert datum is not None, sicherung.name
    assert datum.group(1) in tage
    assert sicherung.read_bytes() == alt
    assert sicherung.name in lauf.text
    assert stammdaten.lesen(mappe).arbeitsgruppen == stammdaten.standard().arbeitsgruppen


def test_init_ersetzen_neue_mappe_nicht_lesbar_nennt_geschriebene_und_sicherung(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new Steuerungsmappe written, reading it back refused (a virus scanner holding the
    fresh file): init ended with exit 2 and only the error of reading, as if nothing had been
    written, the backup of the old one unnamed (session 19). Now it says the file is
    written, where the old one is kept and what to do, exit 1."""
    mappe = bereich / "Steuerungsmappe.xlsm"
    alt = mappe.read_bytes()
    geschrieben = []
    init, lesen = erzeugen.init_mit_sicherungen, stammdaten.lesen

    def schreiben(*args: Any, **kwargs: Any) -> Any:
        ergebnis = init(*args, **kwargs)
        geschrieben.append(ergebnis)
        return ergebnis

    def gesperrt(pfad: Path, *args: Any, **kwargs: Any) -> Any:
        if geschrieben:
            raise PermissionError(13, "Permission denied", str(pfad))
        return lesen(pfad, *args, **kwargs)

    monkeypatch.setattr(erzeugen, "init_mit_sicherungen", schreiben)
    monkeypatch.setattr(stammdaten, "lesen", gesperrt)

    lauf = ikz("init", "-a", str(bereich), "--ersetzen")

    (sicherung,) = (bereich / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm")
    assert sicherung.read_bytes() == alt
    assert lauf.code == 1, lauf.text
    assert "Traceback" not in lauf.text and "Unerwarteter" not in lauf.text
    assert (
        f"Die bisherige Steuerungsmappe ist gesichert als sicherungen/{sicherung.name}" in lauf.text
    )
    assert (
        f"Die neue Steuerungsmappe {mappe.name} ist geschrieben, ließ sich danach aber nicht zur "
        "Kontrolle lesen: " in lauf.fehlertext
    ), lauf.text
    assert (
        f"Die bisherige ist unverändert als sicherungen/{sicherung.name} gesichert; um zu ihr "
        "zurückzukehren, "
        f"die neue löschen und die Sicherung als {mappe.name} in den Arbeitsbereich kopieren."
        in lauf.fehlertext
    )
    assert f"'ikz erzeugen --arbeitsbereich {bereich}' liest sie erneut" in lauf.fehlertext
    monkeypatch.undo()
    assert stammdaten.lesen(mappe).arbeitsgruppen == stammdaten.standard().arbeitsgruppen


class _StehendeUhr(datetime):
    """Every call of now() in the same second: two runs in quick succession."""

    @classmethod
    def now(cls, tz: Any = None) -> _StehendeUhr:
        return cls(2012, 4, 3, 12, 0, 0)


def test_init_ersetzen_zweimal_in_einer_sekunde_verliert_keine_sicherung(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mappe = bereich / "Steuerungsmappe.xlsm"
    st = stammdaten.standard()
    # The original carries something of its own (as if the LG had typed into it).
    erzeugen.steuerungsmappe_schreiben(dataclasses.replace(st, programm="Original"), mappe)
    original = mappe.read_bytes()
    monkeypatch.setattr(erzeugen, "datetime", _StehendeUhr)
    assert ikz("init", "-a", str(bereich), "--ersetzen").code == 0
    assert ikz("init", "-a", str(bereich), "--ersetzen").code == 0
    sicherungen = list((bereich / "sicherungen").glob("Steuerungsmappe_Sicherung_*.xlsm"))
    assert len(sicherungen) == 2
    assert original in [p.read_bytes() for p in sicherungen]


# erzeugen ----------------------------------------------------------------------------------------


def test_erzeugen_schreibt_zehn_arbeitsmappen(ikz: Any, bereich: Path) -> None:
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.fehler
    assert sorted(p.name for p in (bereich / "ausgang").iterdir()) == DATEINAMEN
    for name in DATEINAMEN:
        wb = openpyxl.load_workbook(bereich / "ausgang" / name, read_only=True)
        kennung = {z[0]: z[1] for z in wb["_ikz"].iter_rows(values_only=True)}
        assert kennung["arbeitsgruppe"] == name[:5]
        assert kennung["vorlage_id"] == "ikz-arbeitsmappe"
    assert "10 Arbeitsmappe(n) geschrieben" in lauf.text


def test_erzeugen_auf_allen_kernen_schreibt_dieselben_bytes(
    bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many AGs are written by worker processes: the same files, in the same order reported."""
    from ikz_excel import arbeitsprozesse

    am = datetime(2026, 12, 1, 12, 0)

    def inhalt() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((bereich / "ausgang").glob("*.xlsx"))}

    erzeugen.erzeugen(bereich, erzeugt_am=am)
    einer = inhalt()
    monkeypatch.setattr(erzeugen, "PARALLEL_AB", 2)
    monkeypatch.setattr(arbeitsprozesse, "kerne", lambda: 2)
    pools: list[Any] = []
    echter_pool = arbeitsprozesse.pool

    @contextlib.contextmanager
    def pool(*args: Any, **kwargs: Any) -> Any:
        with echter_pool(*args, **kwargs) as p:
            pools.append(p)
            yield p

    monkeypatch.setattr(arbeitsprozesse, "pool", pool)
    gemeldet: list[str] = []
    ergebnis = erzeugen.erzeugen(
        bereich,
        ersetzen=True,
        erzeugt_am=am,
        fortschritt=lambda ag, *_: gemeldet.append(ag.kuerzel),
    )
    assert len(ergebnis.geschrieben) == 10 and gemeldet == sorted(gemeldet)
    assert inhalt() == einer and len(einer) == 10
    assert len(pools) == 1 and pools[0] is not None  # written by worker processes


def test_zweites_erzeugen_ueberschreibt_nichts(ikz: Any, bereich: Path) -> None:
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    vorher = _ausgang(bereich)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.fehler
    assert _ausgang(bereich) == vorher
    assert not (bereich / "ausgang" / "alt").exists()
    assert "0 Arbeitsmappe(n) geschrieben, 10 schon vorhanden" in lauf.text
    assert "nicht überschrieben" in lauf.text
    assert "--ersetzen" in lauf.text


def test_erzeugen_ersetzen_verschiebt_alte_nach_alt(ikz: Any, bereich: Path) -> None:
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    vorher = _ausgang(bereich)
    lauf = ikz("erzeugen", "-a", str(bereich), "--ersetzen")
    assert lauf.code == 0, lauf.fehler
    assert "Die bisherigen Mappen liegen in ausgang/alt/." in lauf.text
    nachher = _ausgang(bereich)
    assert sorted(nachher) == DATEINAMEN
    for name in DATEINAMEN:
        assert nachher[name][2] != vorher[name][2], f"{name} wurde nicht neu geschrieben"
    alt = sorted((bereich / "ausgang" / "alt").iterdir())
    assert len(alt) == 10
    alte_inhalte = {p.read_bytes() for p in alt}
    assert alte_inhalte == {inhalt for inhalt, _, _ in vorher.values()}
    for p in alt:
        assert p.name[:6] in {n[:6] for n in DATEINAMEN}
        assert p.suffix == ".xlsx"


# Opens `auftrag["datei"]` itself, not a copy, in LibreOffice (which puts its lock file beside
# it) and, while it is open, runs `auftrag["befehl"]`; reports its output and whether the lock
# file was there. Closed without saving: the file stays as it was.
_UNO_GEOEFFNET_AUSFUEHREN = r"""
import subprocess
from pathlib import Path
dokument = oeffnen(auftrag["datei"], am_ort=True)
datei = Path(auftrag["datei"])
sperre = datei.with_name(".~lock." + datei.name + "#").exists()
lauf = subprocess.run(auftrag["befehl"], capture_output=True, text=True,
                      env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"})
ergebnis = [sperre, lauf.returncode, lauf.stdout + lauf.stderr]
dokument.close(True)
"""


def test_erzeugen_ersetzen_nennt_in_libreoffice_geoeffnete_mappe(ikz: Any, bereich: Path) -> None:
    """Clerk test (session 19): `erzeugen --ersetzen` replaced a workbook open in LibreOffice
    without a word; saved there, the old workbook would have replaced the new one. It is still
    replaced (the backup is in ausgang/alt/), and the run names it with who has it open."""
    import sys

    import libreoffice

    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    offen = bereich / "ausgang" / DATEINAMEN[7]
    sperre, code, text = libreoffice._uno_lauf(
        libreoffice._UNO_KOPF + _UNO_GEOEFFNET_AUSFUEHREN + libreoffice._UNO_SCHLUSS,
        {
            "datei": str(offen),
            "befehl": [
                sys.executable,
                "-m",
                "ikz_excel",
                "erzeugen",
                "-a",
                str(bereich),
                "--ersetzen",
            ],
        },
        240,
        "geoeffnet",
    )
    assert sperre and code == 0, text
    text = " ".join(text.split())
    assert (
        f"Achtung: {offen.name} war beim Ersetzen geöffnet (" in text
        and f"so die Sperrdatei .~lock.{offen.name}# daneben). Dort bitte ohne Speichern "
        "schließen und die neue öffnen"
        in text
    ), text
    assert text.count("war beim Ersetzen geöffnet") == 1  # only the open one


def test_erzeugen_ersetzen_zweimal_in_einer_sekunde_verliert_nichts(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    monkeypatch.setattr(erzeugen, "datetime", _StehendeUhr)
    assert ikz("erzeugen", "-a", str(bereich), "--ersetzen").code == 0
    assert ikz("erzeugen", "-a", str(bereich), "--ersetzen").code == 0
    assert len(list((bereich / "ausgang" / "alt").iterdir())) == 20


def test_erzeugen_schreibt_nie_die_steuerungsmappe(ikz: Any, bereich: Path) -> None:
    mappe = bereich / "Steuerungsmappe.xlsm"
    vorher = _stand(mappe)
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    assert _stand(mappe) == vorher
    assert ikz("erzeugen", "-a", str(bereich), "--ersetzen").code == 0
    assert _stand(mappe) == vorher
    assert sorted(p.name for p in bereich.iterdir() if p.is_file()) == ["Steuerungsmappe.xlsm"]


@pytest.mark.parametrize("vorhanden", [True, False], ids=["leerer_ordner", "ordner_fehlt"])
def test_erzeugen_ohne_init(ikz: Any, tmp_path: Path, vorhanden: bool) -> None:
    ab = tmp_path / "leer"
    if vorhanden:
        ab.mkdir()
    lauf = ikz("erzeugen", "-a", str(ab))
    assert lauf.code == 2
    assert "Traceback" not in lauf.fehler
    assert "ikz init" in lauf.text
    assert "Steuerungsmappe.xlsm" in lauf.text
    if vorhanden:
        assert list(ab.iterdir()) == []
    else:
        assert not ab.exists()


# Usage errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "meldung"),
    [
        (["--gibtsnicht"], "Unbekannte Option --gibtsnicht"),
        (["init", "--gibtsnicht"], "Unbekannte Option --gibtsnicht"),
        (["erzeugen", "--ersetzn"], "Unbekannte Option --ersetzn"),
        (["gibtsnicht"], "Unbekannter Befehl 'gibtsnicht'"),
        (["konsolidiern"], "Unbekannter Befehl 'konsolidiern'. Meinten Sie 'konsolidieren'?"),
        (["prüfen"], "Meinten Sie 'pruefen'?"),
        (["pruefen", "--arbeitsberich", "x"], "Meinten Sie --arbeitsbereich"),
        (["-a", "x", "konsolidieren"], "Die Option gehört hinter den Befehl"),
        (["-a", "x", "pruefen"], "z. B. 'ikz pruefen --arbeitsbereich ORDNER'"),
    ],
)
def test_nutzungsfehler_exit_2_ohne_traceback(ikz: Any, args: list[str], meldung: str) -> None:
    lauf = ikz(*args)
    assert lauf.code == 2
    assert "Traceback" not in lauf.fehler
    assert lauf.aus == ""
    assert meldung in lauf.text
    assert "--help" in lauf.fehler


@pytest.mark.parametrize(
    "args",
    [["init", "--stammdaten"], ["erzeugen", "zuviel"]],
    ids=["option_ohne_wert", "ueberzaehliges_argument"],
)
def test_nutzungsfehler_auf_deutsch(ikz: Any, args: list[str]) -> None:
    lauf = ikz(*args)
    assert lauf.code == 2
    assert "Traceback" not in lauf.fehler
    for englisch in ("requires an argument", "unexpected extra argument", "Got "):
        assert englisch not in lauf.fehler, lauf.fehler


def _steuerungsmappe_aendern(
    ikz: Any, bereich: Path, aendern: Callable[[dict[str, list[dict[str, Any]]]], None]
) -> None:
    """Edit the tables of the Steuerungsmappe as the Steuerungsgruppe would in Excel: `aendern`
    gets them by table name, rows by header; `init --ersetzen --stammdaten` reads them back."""
    import copy

    st = stammdaten.lesen(bereich / "Steuerungsmappe.xlsm")
    tabellen = copy.deepcopy(st.tabellen)
    aendern(tabellen)
    # An AG struck off goes from the Prioritaet table too (it has a row for each AG).
    ags = {z["AG"] for z in tabellen["tbl_Arbeitsgruppen"]}
    tabellen["tbl_Prioritaet"] = [z for z in tabellen["tbl_Prioritaet"] if z["AG"] in ags]
    bleiben = tuple(a for a in st.arbeitsgruppen if a.kuerzel in ags)
    neu = erzeugen.steuerungsmappe_schreiben(
        dataclasses.replace(st, tabellen=tabellen, arbeitsgruppen=bleiben),
        bereich.parent / "neu.xlsx",
    )
    lauf = ikz("init", "-a", str(bereich), "--stammdaten", str(neu), "--ersetzen")
    assert lauf.code == 0, lauf.text


def test_erzeugen_sagt_wenn_vorhandene_mappen_veraltet_sind(ikz: Any, bereich: Path) -> None:
    """The Zinssatz changed after `erzeugen`: the workbooks waiting in ausgang/ would ask with
    the old one. `erzeugen` overwrites nothing, but says which and what to do."""

    def zinssatz(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        zeilen = tabellen["tbl_Parameter"]
        next(z for z in zeilen if z["Parameter"] == "Kalkulationszinssatz")["Wert"] = 0.02

    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    _steuerungsmappe_aendern(ikz, bereich, zinssatz)
    vorher = _ausgang(bereich)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.fehler
    assert _ausgang(bereich) == vorher
    assert lauf.text.count("mit älteren Stammdaten erzeugt)") == 10
    assert "10 vorhandene Mappen wurden mit älteren Stammdaten erzeugt" in lauf.text
    assert f"ikz erzeugen --ersetzen --arbeitsbereich {bereich}" in lauf.text
    # written anew, they are current: nothing to say any more
    assert ikz("erzeugen", "-a", str(bereich), "--ersetzen").code == 0
    assert "älteren Stammdaten" not in ikz("erzeugen", "-a", str(bereich)).text


def test_erzeugen_nennt_mappen_einer_aelteren_vorlagenversion(ikz: Any, bereich: Path) -> None:
    """After an update of ikz_excel, workbooks not yet sent out carry the old formulas: said
    once per workbook and what to do; nothing is overwritten (upgrade review)."""
    import korpus

    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    alt = sorted((bereich / "ausgang").glob("AG-0[12]_*.xlsx"))
    for pfad in alt:
        paket = korpus.Paket.lesen(pfad)
        korpus.ikz_setzen(paket, "schema_version", "1")
        paket.schreiben(pfad)
    vorher = _ausgang(bereich)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.fehler
    assert _ausgang(bereich) == vorher
    assert lauf.text.count("ältere Vorlagenversion)") == 2
    assert "2 vorhandene Mappen stammen aus einer älteren Vorlagenversion" in lauf.text
    assert "älteren Stammdaten" not in lauf.text
    assert ikz("erzeugen", "-a", str(bereich), "--ersetzen").code == 0
    assert "Vorlagenversion" not in ikz("erzeugen", "-a", str(bereich)).text


def test_erzeugen_meldet_nur_mappen_deren_inhalt_sich_aendert(ikz: Any, bereich: Path) -> None:
    """Found in review: a festgelegte Priorität typed on the Handlungsfelder sheet, or a new
    AG, made every workbook 'mit älteren Stammdaten erzeugt'. Neither is in any workbook; of
    the ten only AG-02's is outdated, whose Projektauftrag changed."""

    def aendern(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        tabellen["tbl_Handlungsfelder"][0]["Festgelegte Priorität"] = 5
        for zeile in tabellen["tbl_Prioritaet"]:
            zeile["Festgelegte Priorität"] = 2
        ag02 = next(z for z in tabellen["tbl_Arbeitsgruppen"] if z["AG"] == "AG-02")
        ag02["Projektauftrag"] = "Neu gefasst."
        tabellen["tbl_Arbeitsgruppen"].append(
            {**ag02, "AG": "AG-11", "Bezeichnung": "Vergabestelle"}
        )

    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    _steuerungsmappe_aendern(ikz, bereich, aendern)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.text
    assert "geschrieben AG-11_Vergabestelle.xlsx" in lauf.text
    assert lauf.text.count("mit älteren Stammdaten erzeugt)") == 1
    assert (
        "AG-02_Personalservice.xlsx (nicht überschrieben, mit älteren Stammdaten erzeugt)"
        in lauf.text
    )
    assert "1 vorhandene Mappe wurde mit älteren Stammdaten erzeugt" in lauf.text


def _bezeichnung(kuerzel: str, neu: str) -> Callable[[dict[str, list[dict[str, Any]]]], None]:
    def aendern(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        next(z for z in tabellen["tbl_Arbeitsgruppen"] if z["AG"] == kuerzel)["Bezeichnung"] = neu

    return aendern


@pytest.mark.parametrize("ersetzen", [False, True], ids=["erzeugen", "ersetzen"])
def test_mappe_einer_umbenannten_ag_kommt_nach_alt(ikz: Any, bereich: Path, ersetzen: bool) -> None:
    """Found in review: the file name carries the Bezeichnung, so a renamed AG got a second
    workbook and the old one, with the old Stammdaten, stayed in ausgang/ unmentioned – also
    after --ersetzen. Now it goes to ausgang/alt/, and `erzeugen` says so and why."""
    ausgang = bereich / "ausgang"
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    alt = ausgang / "AG-02_Personalservice.xlsx"
    inhalt = alt.read_bytes()
    (ausgang / "alt").mkdir()
    (ausgang / "alt" / alt.name).write_bytes(b"eine fruehere")  # a free name is found beside it
    _steuerungsmappe_aendern(ikz, bereich, _bezeichnung("AG-02", "Personal- und Besoldungsstelle"))

    lauf = ikz("erzeugen", "-a", str(bereich), *(["--ersetzen"] if ersetzen else []))
    assert lauf.code == 0, lauf.text
    assert (
        "AG-02_Personalservice.xlsx nach ausgang/alt/AG-02_Personalservice_2.xlsx verschoben, "
        "weil die Arbeitsgruppe AG-02 jetzt 'Personal- und Besoldungsstelle' heißt (ihre Mappe: "
        "AG-02_Personal-und-Besoldungsstelle.xlsx)." in lauf.text
    )
    assert "bitte nur die Mappen in ausgang/ verschicken" in lauf.text
    assert sorted(p.name for p in ausgang.glob("*.xlsx")) == sorted(
        [*(n for n in DATEINAMEN if n != alt.name), "AG-02_Personal-und-Besoldungsstelle.xlsx"]
    )
    assert (ausgang / "alt" / "AG-02_Personalservice_2.xlsx").read_bytes() == inhalt
    assert (ausgang / "alt" / alt.name).read_bytes() == b"eine fruehere"
    # done once: the next run has nothing to move
    assert "verschoben" not in ikz("erzeugen", "-a", str(bereich)).text


def test_mappe_einer_gestrichenen_ag_kommt_nach_alt(ikz: Any, bereich: Path) -> None:
    """AG-10 struck off the Arbeitsgruppen sheet: its workbook must not be sent any more.
    What is not a workbook `erzeugen` wrote here stays: another file, a Korrektur copy put
    here to be sent, a workbook of AG-10 that the Steuerungsgruppe named itself."""
    ausgang = bereich / "ausgang"
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    mappe = ausgang / "AG-10_Baederverwaltung.xlsx"
    fremde = {
        "Verteiler.xlsx": b"kein Excel",
        "Korrektur_AG-10_Baederverwaltung.xlsx": mappe.read_bytes(),
        "Baeder fuer Frau Meier.xlsx": mappe.read_bytes(),
        "~$AG-10_Baederverwaltung.xlsx": b"Sperrdatei von Excel",
    }
    for name, inhalt in fremde.items():
        (ausgang / name).write_bytes(inhalt)

    def streichen(tabellen: dict[str, list[dict[str, Any]]]) -> None:
        tabellen["tbl_Arbeitsgruppen"] = [
            z for z in tabellen["tbl_Arbeitsgruppen"] if z["AG"] != "AG-10"
        ]

    _steuerungsmappe_aendern(ikz, bereich, streichen)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.text
    assert (
        "AG-10_Baederverwaltung.xlsx nach ausgang/alt/AG-10_Baederverwaltung.xlsx verschoben, "
        "weil es die Arbeitsgruppe AG-10 in der Steuerungsmappe nicht mehr gibt." in lauf.text
    )
    assert lauf.text.count("verschoben,") == 1
    assert (ausgang / "alt" / mappe.name).exists() and not mappe.exists()
    for name, inhalt in fremde.items():
        assert (ausgang / name).read_bytes() == inhalt, name


def test_geoeffnete_alte_mappe_wird_genannt(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open in Excel on Windows, the old workbook cannot be moved: the run goes on and says
    which file still lies in ausgang/ and what to do."""
    assert ikz("erzeugen", "-a", str(bereich)).code == 0
    _steuerungsmappe_aendern(ikz, bereich, _bezeichnung("AG-02", "Personal"))

    def gesperrt(self: Path, ziel: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "replace", gesperrt)
    lauf = ikz("erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.text
    assert (
        "AG-02_Personalservice.xlsx ließ sich nicht nach ausgang/alt/ verschieben (in Excel "
        "geöffnet?), obwohl die Arbeitsgruppe AG-02 jetzt 'Personal' heißt" in lauf.text
    )
    assert (bereich / "ausgang" / "AG-02_Personalservice.xlsx").exists()
    assert (bereich / "ausgang" / "AG-02_Personal.xlsx").exists()


def test_steuerungsmappe_in_anderem_format_wird_genannt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saved as .xlsx beside the .xlsm (a changed Zinssatz), it went out in no workbook and
    nothing said so; with only the .xlsx left, the advice was 'ikz init', which writes the
    Helmstedt data (review). A lock file during erzeugen: unsaved changes are not in it."""
    import os

    bereich = tmp_path / "ws"
    assert ikz_aufrufen(monkeypatch, capsys, "init", "-a", str(bereich)).code == 0
    xlsm = bereich / "Steuerungsmappe.xlsm"
    kopie = bereich / "Steuerungsmappe.xlsx"
    kopie.write_bytes(xlsm.read_bytes())
    os.utime(kopie, (xlsm.stat().st_mtime + 60, xlsm.stat().st_mtime + 60))
    (bereich / "~$Steuerungsmappe.xlsm").write_bytes(b"x")
    lauf = ikz_aufrufen(monkeypatch, capsys, "erzeugen", "-a", str(bereich))
    assert lauf.code == 0, lauf.text
    assert "Neben der Steuerungsmappe liegt Steuerungsmappe.xlsx, zuletzt später" in lauf.text
    assert f"ikz init --ersetzen --arbeitsbereich {bereich} --stammdaten {kopie}" in lauf.text
    assert "Die Steuerungsmappe ist gerade geöffnet." in lauf.text
    xlsm.unlink()
    lauf = ikz_aufrufen(monkeypatch, capsys, "erzeugen", "-a", str(bereich))
    assert lauf.code == 2
    assert "gibt es keine Steuerungsmappe.xlsm, aber Steuerungsmappe.xlsx" in lauf.text
    assert f"--stammdaten {kopie}" in lauf.text
    # saved as .ods ("Use ODF format"): init reads no .ods, so first save it as .xlsx
    kopie.rename(kopie.with_suffix(".ods"))
    lauf = ikz_aufrufen(monkeypatch, capsys, "erzeugen", "-a", str(bereich))
    assert lauf.code == 2
    assert "als Steuerungsmappe.xlsx speichern" in lauf.text
    assert f"--stammdaten {kopie}" in lauf.text


def test_init_ersetzen_gescheitert_laesst_fruehere_sicherungen_liegen(
    ikz: Any, bereich: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new Steuerungsmappe cannot be written (the old one open in Excel on Windows): init
    ends with exit 2, nothing written. The backup an earlier version left beside the
    Steuerungsmappe had been moved into sicherungen/ already, and no line said so (the
    console names the moved ones only after a rebuild). It stays where it was."""
    alt = bereich / "Steuerungsmappe_Sicherung_2026-01-05_093000.xlsm"  # as earlier versions did
    alt.write_bytes((bereich / "Steuerungsmappe.xlsm").read_bytes())

    def gesperrt(_st: Any, ziel: Path, *args: Any, **kwargs: Any) -> Path:
        raise PermissionError(13, "Permission denied", str(ziel))

    monkeypatch.setattr(erzeugen, "steuerungsmappe_schreiben", gesperrt)
    lauf = ikz("init", "-a", str(bereich), "--ersetzen")

    assert lauf.code == 2, lauf.text
    assert "Traceback" not in lauf.text
    assert alt.is_file(), sorted(p.name for p in bereich.rglob("*Sicherung*"))
    # nor a copy of the untouched original in sicherungen/ that no line names (review21)
    assert not (bereich / "sicherungen").exists(), sorted(bereich.rglob("*Sicherung*"))
