"""The `ikz` command: a thin shell over the stage functions, in German, without tracebacks.

Heavy imports (pandas, pandera, XlsxWriter) happen inside the commands, so `ikz --help` answers
at once. Every expected failure becomes a German message and exit code 2; findings exit with 1.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.rich_utils as rich_utils
from typer import _click

if TYPE_CHECKING:  # the CLI imports what it needs when it needs it (start-up time)
    from rich.console import Console

    from ikz_excel.befunde import Befund, Stufe

# German help: typer's panel titles are module constants, click's texts go through `_`.
rich_utils.ARGUMENTS_PANEL_TITLE = "Argumente"
rich_utils.OPTIONS_PANEL_TITLE = "Optionen"
rich_utils.COMMANDS_PANEL_TITLE = "Befehle"
rich_utils.ERRORS_PANEL_TITLE = "Fehler"
rich_utils.ABORTED_TEXT = "Abgebrochen."
rich_utils.DEFAULT_STRING = "[Vorgabe: {}]"
rich_utils.REQUIRED_LONG_STRING = "[Pflicht]"
rich_utils.RICH_HELP = "Hilfe: [blue]'{command_path} {help_option}'[/]"
_HILFE = "Diese Hilfe zeigen und beenden."
_schreiben_original = _click.formatting.HelpFormatter.write_usage
_hilfeoption_original = _click.core.Command.get_help_option


def _aufruf(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    _schreiben_original(self, prog, args, "Aufruf: " if prefix is None else prefix)


def _hilfeoption(self, ctx):
    option = _hilfeoption_original(self, ctx)
    if option is not None:
        option.help = _HILFE
    return option


def _platzhalter(self, ctx) -> str | None:
    """A clerk reads ORDNER or DATEI beside an option, not Python's <path> or <list[Path]>."""
    return None if isinstance(self, typer.core.TyperArgument) else self.metavar


def _absaetze(absaetze: list[str], markup_mode: str) -> str:
    """A docstring's paragraph flows as one text (typer 0.29 kept its line breaks)."""
    return "\n\n".join(" ".join(absatz.split("\n")) for absatz in absaetze)


_click.formatting.HelpFormatter.write_usage = _aufruf  # type: ignore[method-assign]
_click.core.Command.get_help_option = _hilfeoption  # type: ignore[method-assign]
typer.core.TyperOption.display_type_rich = _platzhalter  # type: ignore[method-assign]
typer.core.TyperArgument.display_type_rich = _platzhalter  # type: ignore[method-assign]
rich_utils._fix_linebreaks = _absaetze

app = typer.Typer(
    name="ikz",
    help="Arbeitsmappen für die interkommunale Zusammenarbeit erzeugen, Rückläufe prüfen und "
    "für die Lenkungsgruppe konsolidieren.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    options_metavar="[OPTIONEN]",
    subcommand_metavar="BEFEHL [ARGUMENTE]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)

Arbeitsbereich = Annotated[
    Path,
    typer.Option(
        "--arbeitsbereich",
        "-a",
        help="Ordner des Programms (mit Steuerungsmappe.xlsm, ausgang/, eingang/ ...).",
        metavar="ORDNER",
        show_default=True,
    ),
]
STANDARD_BEREICH = Path("arbeitsmappen")


def _konsole(stderr: bool = False):
    """Wrapped to the window on a terminal; into a file or a pipe (a scheduled run's log) each
    line stays whole, so that a path is never cut in two."""
    from rich.console import Console

    konsole = Console(stderr=stderr, highlight=False)
    konsole.soft_wrap = not konsole.is_terminal
    return konsole


def _e(text: object) -> str:
    """Data shown on the console is never read as rich markup ('[Winterdienst]' stays)."""
    from rich.markup import escape

    return escape(str(text))


def _im_bereich(pfad: Path, arbeitsbereich: Path) -> str:
    """A file or folder a run wrote, as the clerk finds it: relative to the Arbeitsbereich
    (with "/", a folder ending in "/"), absolute only outside it. `ikz pruefen` named them as
    the Arbeitsbereich was typed, `ikz konsolidieren` absolutely; the same Prüfbericht looked
    like two (round 21). `_bereich_nennen` says once where the Arbeitsbereich is."""
    try:
        relativ = pfad.resolve().relative_to(arbeitsbereich.resolve()).as_posix()
    except ValueError:
        return str(pfad.resolve())
    return relativ + "/" if pfad.is_dir() else relativ


def _bereich_nennen(konsole, arbeitsbereich: Path) -> None:
    """The line above the files a run wrote, named relative to it (`_im_bereich`)."""
    konsole.print(f"Arbeitsbereich: {_e(arbeitsbereich.resolve())}")


def _abbrechen(meldung: str) -> None:
    _konsole(stderr=True).print(f"[bold red]Fehler:[/] {_e(meldung)}")
    raise typer.Exit(2)


def _fehler_behandeln(fehler: Exception, danach: str = "") -> None:
    """The error as a German message and exit code 2; `danach` follows the Stammdaten's
    errors (what the stop means for the command's output)."""
    from ikz_excel.arbeitsbereich import Abbruch
    from ikz_excel.dateien import dateifehler
    from ikz_excel.stammdaten import StammdatenFehler

    if isinstance(fehler, StammdatenFehler):
        konsole = _konsole(stderr=True)
        # which file: the cells' messages name sheet and cell only (Kommunen!A10)
        datei = next((b.datei for b in fehler.befunde if b.datei), "")
        in_datei = f" (Datei {_e(datei)})" if datei else ""
        konsole.print(f"[bold red]Die Stammdaten sind fehlerhaft{in_datei}:[/]")
        for b in fehler.befunde:
            # the file once, in the line above: the checks across sheets began each line with
            # "Steuerungsmappe.xlsm, ", the cells' own did not, and the list read as if it
            # named two files (README walk-through); every line now begins with its cell
            meldung = b.meldung.removeprefix(f"{b.datei}, ") if b.datei else b.meldung
            konsole.print(f"  • {_e(meldung)}")
        if any(b.zelle for b in fehler.befunde):
            dort = f" in {_e(datei)}" if datei else ""
            konsole.print(
                f"Bitte die genannten Zellen{dort} korrigieren, die Mappe speichern und den "
                "Befehl erneut aufrufen."
            )
        if danach:
            konsole.print(danach, highlight=False)
        raise typer.Exit(2)
    if isinstance(fehler, Abbruch):
        _abbrechen(str(fehler))
    if meldung := dateifehler(fehler):
        _abbrechen(meldung)
    raise fehler


@app.command("init")
def init_befehl(
    arbeitsbereich: Arbeitsbereich = STANDARD_BEREICH,
    stammdaten: Annotated[
        Path | None,
        typer.Option(
            "--stammdaten",
            "-s",
            metavar="DATEI",
            help="Stammdaten aus einer eigenen Mappe im Aufbau der Steuerungsmappe (.xlsx oder "
            ".xlsm, auch die Steuerungsmappe selbst, um sie mit allen Eingaben neu aufzubauen). "
            "Ohne Angabe: das Beispielprogramm Helmstedt 2012.",
        ),
    ] = None,
    ersetzen: Annotated[
        bool,
        typer.Option(
            "--ersetzen",
            help="Eine vorhandene Steuerungsmappe ersetzen (sie wird als Sicherung aufbewahrt); "
            "ohne --stammdaten wieder durch das Beispielprogramm.",
        ),
    ] = False,
) -> None:
    """Arbeitsbereich anlegen und die Steuerungsmappe mit den Stammdaten schreiben."""
    from ikz_excel import erzeugen
    from ikz_excel import stammdaten as stammdaten_modul

    try:
        # read for the rebuild, the Stammdaten give only what it leaves out or takes over
        # unchecked (`Stammdaten.neuaufbau`); the other warnings are those of the new
        # Steuerungsmappe, read after writing it. The file read for it spoke of the old one:
        # "'ikz init --ersetzen --stammdaten' legt eine Zeile je Arbeitsgruppe an" after that
        # very command, at cells of rows the new one no longer has (klein18).
        with stammdaten_modul.warnungen_sammeln() as neuaufbau:
            mappe, gesichert = erzeugen.init_mit_sicherungen(arbeitsbereich, stammdaten, ersetzen)
        sicherung = gesichert.neu
    except Exception as fehler:
        _fehler_behandeln(fehler)
        return
    # Read apart from writing: a failure here (the new file locked by a virus scanner, a
    # network drive gone) ended as one of writing, exit 2 with no word of the file just
    # written nor of the backup of the old one (session 19).
    try:
        with stammdaten_modul.warnungen_sammeln() as warnungen:
            stammdaten_modul.lesen(mappe)
    except Exception as fehler:
        nachlesen = fehler
    else:
        nachlesen = None
    konsole = _konsole()
    if sicherung:
        konsole.print(
            f"[green]Steuerungsmappe neu geschrieben in:[/] {_e(arbeitsbereich.resolve())}"
        )
        konsole.print(
            "Die bisherige Steuerungsmappe ist gesichert als "
            f"{_e(_im_bereich(sicherung, arbeitsbereich))}."
        )
        _sicherungen_nennen(konsole, gesichert, arbeitsbereich)
    else:
        konsole.print(f"[green]Arbeitsbereich angelegt:[/] {_e(arbeitsbereich.resolve())}")
    # relative to the Arbeitsbereich named just above, as pruefen and konsolidieren name what
    # they wrote (session 22: init printed it as typed, erzeugen ausgang/ absolutely)
    konsole.print(f"Steuerungsmappe: {_e(_im_bereich(mappe, arbeitsbereich))}")
    _neuaufbau_melden(konsole, neuaufbau, stammdaten, mappe, sicherung)
    if nachlesen is not None:
        _nachlesen_gescheitert(nachlesen, mappe, sicherung, arbeitsbereich)
    _stammdatenwarnungen(konsole, warnungen)
    weiter = _befehl("ikz erzeugen", arbeitsbereich)
    if stammdaten is None:
        # the example went in: "Stammdaten prüfen, dann 'ikz erzeugen'" sent a new team to
        # make the Helmstedt workbooks; its own programme needs the rebuild first (README)
        from ikz_excel.arbeitsbereich import befehlszeilenpfad

        neu = _befehl(
            f"ikz init --ersetzen --stammdaten {befehlszeilenpfad(mappe)}", arbeitsbereich
        )
        konsole.print(
            "Die Steuerungsmappe enthält das Beispielprogramm Helmstedt 2012. Zum Ausprobieren: "
            f"'{_e(weiter)}'. Für das eigene Programm dort Parameter, Kommunen, Handlungsfelder "
            "und Arbeitsgruppen eintragen und speichern, dann "
            f"'{_e(neu)}' (eine Zeile je Arbeitsgruppe auf dem Blatt Prioritaet) und "
            f"'{_e(weiter)}'.",
            highlight=False,
        )
        return
    # "Stammdaten prüfen" read as a call to `ikz pruefen`, which checks returns (README walk)
    konsole.print(
        f"Nächster Schritt: die Stammdaten in der Steuerungsmappe durchsehen, dann '{_e(weiter)}'."
    )


def _sicherungen_nennen(konsole, gesichert: Any, arbeitsbereich: Path) -> None:
    """The earlier backups `init` moved into sicherungen/, and those it had to leave: a file
    the user kept is never moved without a word."""
    if gesichert.eingeordnet:
        n = len(gesichert.eingeordnet)
        konsole.print(
            (
                "Die frühere Sicherung, die neben der Steuerungsmappe lag, ist nach "
                if n == 1
                else f"Die {n} früheren Sicherungen, die neben der Steuerungsmappe lagen, "
                "sind nach "
            )
            + f"{_e(_im_bereich(gesichert.eingeordnet[0].parent, arbeitsbereich))} verschoben: "
            + _e(", ".join(p.name for p in gesichert.eingeordnet))
            + ".",
            highlight=False,
        )
    for p in gesichert.geblieben:
        konsole.print(
            f"[yellow]Achtung:[/] Die frühere Sicherung {_e(p.name)} ließ sich nicht nach "
            f"{_e(_im_bereich(gesichert.neu.parent, arbeitsbereich))} verschieben (geöffnet?) und "
            "liegt noch neben der Steuerungsmappe; bitte nicht mit ihr verwechseln, sie ist eine "
            "ältere Fassung.",
            highlight=False,
        )


def _nachlesen_gescheitert(
    fehler: Exception, mappe: Path, sicherung: Path | None, arbeitsbereich: Path
) -> None:
    """The new Steuerungsmappe is written, but reading it back failed: say so, where the old
    one is kept and what to do, exit 1 (the command did write; 2 means nothing happened)."""
    from ikz_excel.dateien import dateifehler
    from ikz_excel.stammdaten import StammdatenFehler

    if isinstance(fehler, StammdatenFehler):
        grund = "; ".join(b.meldung for b in fehler.befunde) or str(fehler)
    else:
        grund = dateifehler(fehler) or (
            f"unerwarteter Fehler {type(fehler).__name__}: {fehler}; bitte mit dem Befehl an "
            "die Betreuung von ikz_excel melden"
        )
    erzeugen = _befehl("ikz erzeugen", arbeitsbereich)
    _konsole(stderr=True).print(
        f"[bold red]Fehler:[/] Die neue Steuerungsmappe {_e(_im_bereich(mappe, arbeitsbereich))} "
        "ist geschrieben, ließ sich "
        f"danach aber nicht zur Kontrolle lesen: {_e(grund.rstrip('.'))}. "
        + (
            "Die bisherige ist unverändert als "
            f"{_e(_im_bereich(sicherung, arbeitsbereich))} gesichert; um zu ihr "
            f"zurückzukehren, die neue löschen und die Sicherung als {_e(mappe.name)} "
            "in den Arbeitsbereich kopieren. "
            if sicherung is not None
            else ""
        )
        + f"Sonst die neue in Excel öffnen und prüfen; '{_e(erzeugen)}' liest sie erneut und "
        "nennt, was nicht stimmt.",
        highlight=False,
    )
    raise typer.Exit(1)


def _neuaufbau_melden(
    konsole: Console,
    neuaufbau: list[Befund],
    quelle: Path | None,
    mappe: Path,
    sicherung: Path | None,
) -> None:
    """What the rebuild left out of the Stammdaten read, or took over although it may be the
    example's: before the new Steuerungsmappe's own warnings, which no longer show it. Read
    from the Steuerungsmappe itself, the cells named are those of the backup now: the file
    under the old name is the new one, its rows elsewhere."""
    for w in neuaufbau:
        meldung = w.meldung
        if (
            sicherung is not None
            and quelle is not None
            and quelle.resolve() == mappe.resolve()
            and meldung.startswith(f"{w.datei}, ")
        ):
            meldung = f"{_im_bereich(sicherung, mappe.parent)}, {meldung[len(w.datei) + 2 :]}"
        konsole.print(f"[yellow]Warnung:[/] {_e(meldung)}", highlight=False)


def _befehl(befehl: str, arbeitsbereich: Path) -> str:
    """A command to type next, with the workspace it was run in."""
    from ikz_excel.arbeitsbereich import befehlszeilenpfad

    if arbeitsbereich != STANDARD_BEREICH:
        befehl += f" --arbeitsbereich {befehlszeilenpfad(arbeitsbereich)}"
    return befehl


def _stammdatenwarnungen(konsole, warnungen: list, arbeitsbereich: Path | None = None) -> None:
    """What in the Steuerungsmappe does not count as it stands there (the command ran).

    A warning that sends the clerk to 'ikz init --ersetzen --stammdaten' "mit dieser Mappe"
    leaves the path to be worked out; typed as shown, init stops without a file (new clerk
    probe). With the workspace known, the whole command follows once, to copy.
    """
    from ikz_excel.arbeitsbereich import befehlszeilenpfad
    from ikz_excel.stammdaten import NEUAUFBAU

    for w in warnungen:
        konsole.print(f"[yellow]Warnung:[/] {_e(w.meldung)}", highlight=False)
    if arbeitsbereich is not None and any(NEUAUFBAU in w.meldung for w in warnungen):
        mappe = befehlszeilenpfad(arbeitsbereich / "Steuerungsmappe.xlsm")
        befehl = _befehl(f"ikz init --ersetzen --stammdaten {mappe}", arbeitsbereich)
        konsole.print(
            f"Befehl dazu: '{_e(befehl)}' (alle Stammdaten und Eingaben bleiben, die bisherige "
            "Steuerungsmappe wird gesichert).",
            highlight=False,
        )


@app.command("erzeugen")
def erzeugen_befehl(
    arbeitsbereich: Arbeitsbereich = STANDARD_BEREICH,
    ersetzen: Annotated[
        bool,
        typer.Option(
            "--ersetzen",
            help="Schon erzeugte Arbeitsmappen neu schreiben (die alten kommen nach ausgang/alt).",
        ),
    ] = False,
) -> None:
    """Eine Arbeitsmappe je Arbeitsgruppe in den Ordner ausgang/ schreiben."""
    from rich.progress import Progress

    from ikz_excel import erzeugen, stammdaten

    konsole = _konsole()
    try:
        with (
            stammdaten.warnungen_sammeln() as warnungen,
            Progress(console=konsole, transient=True) as fortschritt,
        ):
            aufgabe = fortschritt.add_task("Arbeitsmappen werden erzeugt", total=None)

            def melden(ag, ziel, geschrieben) -> None:
                fortschritt.update(
                    aufgabe, advance=1, description=_e(f"{ag.kuerzel} {ag.bezeichnung}")
                )

            ergebnis = erzeugen.erzeugen(arbeitsbereich, ersetzen, melden)
    except Exception as fehler:
        _fehler_behandeln(fehler)
        return
    for pfad in ergebnis.geschrieben:
        konsole.print(f"  [green]geschrieben[/]  {_e(pfad.name)}")
    for pfad, sperre, wer in ergebnis.geoeffnet:
        wie = f"{_e(wer)} hat sie geöffnet" if wer else "sie ist geöffnet"
        konsole.print(
            f"[yellow]Achtung:[/] {_e(pfad.name)} war beim Ersetzen geöffnet ({wie}, so die "
            f"Sperrdatei {_e(sperre.name)} daneben). Dort bitte ohne Speichern schließen und "
            "die neue öffnen: Gespeichert ersetzte die bisherige Mappe die neue. Ist sie "
            "nirgends mehr geöffnet, blieb die Sperrdatei von einem abgestürzten Excel oder "
            "LibreOffice übrig und kann gelöscht werden."
        )
    for pfad in ergebnis.uebersprungen:
        alt = ", mit älteren Stammdaten erzeugt" if pfad in ergebnis.veraltet else ""
        alt += ", ältere Vorlagenversion" if pfad in ergebnis.alte_vorlage else ""
        konsole.print(f"  [yellow]vorhanden[/]    {_e(pfad.name)} (nicht überschrieben{alt})")
    for w in ergebnis.weggelegt:
        marke = "[yellow]weggelegt[/]    " if w.ziel else "[red]Achtung[/]      "
        konsole.print(f"  {marke}{_e(w.meldung)}")
    _bereich_nennen(konsole, arbeitsbereich)
    konsole.print(
        f"{len(ergebnis.geschrieben)} Arbeitsmappe(n) geschrieben, "
        f"{len(ergebnis.uebersprungen)} schon vorhanden, "
        f"in {_e(_im_bereich(arbeitsbereich / 'ausgang', arbeitsbereich))}."
    )
    _steuerungsmappe_geoeffnet(konsole, arbeitsbereich)  # an unsaved Abgabetermin goes out too
    if ergebnis.gesichert:
        konsole.print(
            "Die bisherigen Mappen liegen in "
            f"{_e(_im_bereich(arbeitsbereich / 'ausgang' / 'alt', arbeitsbereich))}."
        )
    if ergebnis.veraltet:
        n = len(ergebnis.veraltet)
        konsole.print(
            f"[yellow]Achtung:[/] {n} vorhandene Mappe{'n' if n > 1 else ''} "
            f"{'wurden' if n > 1 else 'wurde'} mit älteren Stammdaten erzeugt, als die "
            "Steuerungsmappe jetzt enthält (z. B. anderer Zinssatz oder andere Partner). Noch "
            "nicht verschickt: neu schreiben mit "
            f"'{_e(_befehl('ikz erzeugen --ersetzen', arbeitsbereich))}' (die "
            "bisherigen kommen nach ausgang/alt/). Schon verschickt und noch in Arbeit: nicht "
            "neu verschicken (die Eingaben stehen nur in der Mappe der Arbeitsgruppe); sie "
            "arbeitet darin weiter, ihr Rücklauf wird mit den aktuellen Stammdaten gerechnet, "
            "und wo ihre Mappe andere Zahlen zeigt, bekommt sie beim Prüfen ein "
            "Korrekturexemplar mit den aktuellen Stammdaten und allen Eingaben. Schon "
            "ausgefüllt zurück: beim Konsolidieren sagt der Prüfbericht, was abweicht."
        )
    if ergebnis.alte_vorlage:
        n = len(ergebnis.alte_vorlage)
        konsole.print(
            f"[yellow]Achtung:[/] {n} vorhandene Mappe{'n' if n > 1 else ''} "
            f"{'stammen' if n > 1 else 'stammt'} aus einer älteren Vorlagenversion (vor dem "
            "letzten Update von ikz_excel); ihre Formeln oder ihre Anzeige sind teils anders. "
            "Noch nicht verschickt: diese Mappen aus ausgang/ löschen und "
            f"'{_e(_befehl('ikz erzeugen', arbeitsbereich))}' erneut aufrufen (mit --ersetzen "
            "würden alle Mappen neu geschrieben). Schon verschickt: "
            "Rückläufe werden gelesen und nach der aktuellen Vorlage gerechnet; wo sich "
            "Rechnungen geändert haben, mit einer Warnung und einem Korrekturexemplar der "
            "aktuellen Vorlage, sonst nur mit einem Hinweis."
        )
    if ergebnis.uebersprungen and not (ergebnis.veraltet or ergebnis.alte_vorlage):
        konsole.print("Vorhandene Mappen wurden nicht überschrieben; neu schreiben mit --ersetzen.")
    _stammdatenwarnungen(konsole, warnungen, arbeitsbereich)
    if any(w.ziel for w in ergebnis.weggelegt):
        konsole.print(
            "[yellow]Achtung:[/] Mappen umbenannter oder gestrichener Arbeitsgruppen wurden nach "
            "ausgang/alt/ verschoben (siehe oben); bitte nur die Mappen in ausgang/ verschicken."
        )


@app.command("pruefen")
def pruefen_befehl(
    pfade: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Dateien oder Ordner, die geprüft werden sollen. Ohne Angabe: alles in eingang/.",
            metavar="PFAD",
            show_default=False,
        ),
    ] = None,
    arbeitsbereich: Arbeitsbereich = STANDARD_BEREICH,
    json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Befunde als JSON auf die Standardausgabe, sonst nichts dort (berichte/ "
            "entsteht wie sonst, siehe --ohne-berichte).",
        ),
    ] = False,
    ohne_berichte: Annotated[
        bool,
        typer.Option(
            "--ohne-berichte",
            help="Keinen Prüfbericht und keine Korrekturexemplare nach berichte/ schreiben.",
        ),
    ] = False,
) -> None:
    """Rückläufe prüfen: jeder Befund mit Blatt, Zelle und was zu tun ist.

    Schreibt nach berichte/ den Prüfbericht und für jeden Rücklauf mit Fehlern oder Warnungen
    ein Korrekturexemplar (Korrektur_*.xlsx), das an die Arbeitsgruppe zurückgeht.

    Exit-Code 0: alles gültig; 1: mindestens ein Befund der Stufe Fehler (ohne die einer
    älteren Fassung, die eine neuere derselben AG ersetzt); 2: Aufruf- oder Einrichtungsfehler.
    """
    import json as jsonlib

    from ikz_excel import berichte, stammdaten

    konsole = _konsole(stderr=json)
    unbearbeitet = _unbearbeitete_korrekturen(arbeitsbereich)
    try:
        with stammdaten.warnungen_sammeln() as warnungen:
            lauf = berichte.arbeitsbereich_pruefen(arbeitsbereich, pfade or (), not ohne_berichte)
    except Exception as fehler:
        _fehler_behandeln(fehler)
        return
    ergebnis = lauf.ergebnis
    if json:
        print(jsonlib.dumps(ergebnis.als_json(), ensure_ascii=False, indent=2))
    else:
        if not lauf.dateien:
            # relative to the Arbeitsbereich, named once in full, like every path a run names
            _bereich_nennen(konsole, arbeitsbereich)
            orte = ", ".join(
                _im_bereich(p, arbeitsbereich) for p in (pfade or [arbeitsbereich / "eingang"])
            )
            konsole.print(
                f"Keine Rückläufe gefunden in {_e(orte)}. Die ausgefüllten Arbeitsmappen dort "
                "ablegen (Unterordner sind erlaubt) und erneut prüfen."
            )
        berichte.konsolenbericht(ergebnis, konsole)
    # What the JSON has no field for goes beside it, on stderr (contract audit: with --json
    # the later saved Steuerungsmappe.xlsx and the missing returns were not said at all).
    fehlend = lauf.fehlende()
    if len(fehlend) == 1:
        konsole.print(f"Noch kein Rücklauf erkannt von: {_e(fehlend[0])}.")
    elif fehlend:
        konsole.print(f"Noch kein Rücklauf erkannt von {len(fehlend)} Arbeitsgruppen:")
        for ag in fehlend:
            konsole.print(f"  {_e(ag)}")
    _nebendateien_nennen(konsole, lauf.nebendateien)
    if lauf.bericht:
        if lauf.dateien or json:
            _bereich_nennen(konsole, arbeitsbereich)
        konsole.print(f"Prüfbericht: {_e(_im_bereich(lauf.bericht, arbeitsbereich))}")
    _korrekturen_nennen(konsole, lauf.korrekturen, arbeitsbereich)
    _ohne_korrektur(konsole, ergebnis)
    _unbearbeitete_nennen(konsole, unbearbeitet, arbeitsbereich)
    _steuerungsmappe_geoeffnet(konsole, arbeitsbereich)
    if lauf.bericht:
        _offen_ueberschrieben(konsole, arbeitsbereich, (f"berichte/{berichte.PRUEFBERICHT}",))
    # with --json on stderr, beside the JSON
    _stammdatenwarnungen(konsole, warnungen, arbeitsbereich)
    raise typer.Exit(1 if ergebnis.hat_fehler else 0)


@app.command("konsolidieren")
def konsolidieren_befehl(arbeitsbereich: Arbeitsbereich = STANDARD_BEREICH) -> None:
    """Rückläufe archivieren, prüfen und die Lenkungsgruppe_Uebersicht.xlsx schreiben.

    Jede Datei in eingang/ wird zuerst unverändert nach archiv/ kopiert (mit SHA-256 im
    Eingangsbuch); eingang/ bleibt unberührt. Exit-Codes wie bei pruefen.

    Prüfbericht und Korrekturexemplare entstehen in berichte/ wie bei pruefen; von einer AG
    zählt die zuletzt gespeicherte Fassung.
    """
    from ikz_excel import konsolidieren, stammdaten

    konsole = _konsole()
    buch_fehlte = _eingangsbuch_fehlt(arbeitsbereich)
    unbearbeitet = _unbearbeitete_korrekturen(arbeitsbereich)
    try:
        with (
            stammdaten.warnungen_sammeln() as warnungen,
            konsole.status("Rückläufe werden archiviert, geprüft und konsolidiert ..."),
        ):
            k = konsolidieren.konsolidieren(arbeitsbereich)
    except Exception as fehler:
        from ikz_excel.arbeitsbereich import uebersicht_unveraendert

        _fehler_behandeln(fehler, uebersicht_unveraendert(arbeitsbereich))
        return
    _zusammenfassung(konsole, k, arbeitsbereich)
    _nebendateien_nennen(konsole, k.nebendateien)
    _unbearbeitete_nennen(konsole, unbearbeitet, arbeitsbereich)
    if buch_fehlte:
        konsole.print(
            f"[yellow]Achtung:[/] {_e(buch_fehlte)} fehlte, obwohl hier schon konsolidiert "
            "wurde (gelöscht oder verschoben?); das Eingangsbuch beginnt neu mit dem, was jetzt "
            "in eingang/ liegt. Frühere Fassungen, die nicht mehr in eingang/ liegen, und die "
            "Zeiten ihres Eingangs fehlen darin. Gibt es eine Datensicherung des Ordners "
            "archiv/, ihn aus ihr zurückholen (das alte Eingangsbuch ersetzt dann das neue) und "
            "erneut konsolidieren.",
            highlight=False,
        )
    _stammdatenwarnungen(konsole, warnungen, arbeitsbereich)
    _bearbeitete_uebersicht_nennen(konsole, k, arbeitsbereich)
    _steuerungsmappe_geoeffnet(konsole, arbeitsbereich)
    from ikz_excel.arbeitsbereich import UEBERSICHT
    from ikz_excel.berichte import PRUEFBERICHT

    _offen_ueberschrieben(konsole, arbeitsbereich, (UEBERSICHT, f"berichte/{PRUEFBERICHT}"))
    raise typer.Exit(1 if k.pruefung.hat_fehler else 0)


@app.command("demo")
def demo_befehl(
    arbeitsbereich: Annotated[
        Path,
        typer.Option("--arbeitsbereich", "-a", metavar="ORDNER", help="Neuer Ordner für die Demo."),
    ] = Path("ikz-demo"),
) -> None:
    """Den ganzen Ablauf am Programm Helmstedt 2012 vorführen, in einem neuen Ordner.

    init, erzeugen, ausgefüllte Rückläufe (einige mit typischen Fehlern, eine AG doppelt, eine
    ohne Rücklauf) und konsolidieren. Zeigt am Ende, welche Dateien man öffnen sollte.
    """
    from ikz_excel import demo

    konsole = _konsole()
    try:
        with konsole.status("Demo läuft: Arbeitsmappen erzeugen, ausfüllen, prüfen ..."):
            ergebnis = demo.demo(arbeitsbereich)
    except Exception as fehler:
        _fehler_behandeln(fehler)
        return
    k = ergebnis.konsolidierung
    konsole.print("[bold]Demo: Interkommunale Zusammenarbeit im Landkreis Helmstedt (2012)[/]")
    konsole.print("Eingebaute Fehler der Rückläufe, die die Prüfung finden soll:")
    for ag, text in ergebnis.fehler.items():
        konsole.print(f"  {_e(ag)}: {_e(text)}")
    _zusammenfassung(konsole, k, arbeitsbereich, je_datei=3)
    # relative to the Arbeitsbereich, which the summary above names once in full (round 21)
    konsole.print("\n[bold]Jetzt ansehen, im Arbeitsbereich oben:[/]")
    konsole.print("  1. Lenkungsgruppe_Uebersicht.xlsx  (für die Lenkungsgruppe)")
    konsole.print("  2. berichte/Pruefbericht.xlsx  (alle Befunde mit Zelle)")
    konsole.print("  3. berichte/Korrektur_*.xlsx  (Korrekturexemplare zum Zurückschicken)")
    konsole.print("  4. Steuerungsmappe.xlsm  (Stammdaten, Faktoren, Entscheidungen)")
    konsole.print(
        "Die Demo-Rückläufe enthalten absichtlich Fehler; der Aufruf endet trotzdem mit 0."
    )


def _befunde_der_zaehlenden(konsole, k, je_datei: int) -> None:
    """What keeps the exit code at 1: the Fehler of the versions that count, and the older
    versions that do not (their Fehler no longer matter)."""
    from ikz_excel.befunde import Stufe

    zaehlend = [d for d in k.pruefung.dateien if not d.ersetzt_durch]
    fehlerhaft = [d for d in zaehlend if d.zahl(Stufe.FEHLER)]
    _befundliste(
        konsole,
        fehlerhaft,
        Stufe.FEHLER,
        "mit Fehlern[/] (alle Befunde im Prüfbericht, Korrekturexemplare zum Zurückschicken "
        "in berichte/):",
        je_datei,
    )
    # Warnungen do not stop a return, but some mean the AG's workbook shows other figures than
    # the overview (older Stammdaten, text it cannot compute): named here, not only in the report.
    _befundliste(
        konsole,
        [d for d in zaehlend if not d.zahl(Stufe.FEHLER) and d.zahl(Stufe.WARNUNG)],
        Stufe.WARNUNG,
        "mit Warnungen[/] (zählen, bitte trotzdem ansehen):",
        je_datei,
    )
    nach_name = {d.name: d for d in k.pruefung.dateien}
    for d in k.pruefung.dateien:
        if d.ersetzt_durch:
            konsole.print(
                f"Ältere Fassung, zählt nicht: {_e(d.name)} ({_e(d.arbeitsgruppe)}; es zählt "
                f"{_e(d.ersetzt_durch)})." + _fremder_dateiname(nach_name.get(d.ersetzt_durch))
            )
    if not k.eingaenge:
        konsole.print(
            "Keine Rückläufe in eingang/: die Übersicht zeigt alle Handlungsfelder als 'kein "
            "Rücklauf'. Die ausgefüllten Arbeitsmappen in eingang/ ablegen und erneut "
            "konsolidieren."
        )
    elif not fehlerhaft:
        konsole.print("[green]Alle zählenden Rückläufe ohne Fehler.[/]")


def _fremde_nennen(konsole, k) -> None:
    """An AG without a return of its own whose name a workbook of another AG carries ("AW_
    AG-04 Kultur.xlsx" with AG-01's workbook): the table said "kein Rücklauf", and the team
    would remind AG-04 of the deadline instead of asking which workbook it meant to send
    (session 24)."""
    from ikz_excel.pruefen import fremde_je_ag

    da = {d.arbeitsgruppe for d in k.pruefung.dateien}
    # each content is checked once: its other names in eingang/ are those of the ledger entry
    paare = [(d.name, d.arbeitsgruppe) for d in k.pruefung.dateien] + [
        (n, e.arbeitsgruppe) for e in k.eingaenge for n in e.weitere_namen
    ]
    for kuerzel, namen in fremde_je_ag(paare, k.st).items():
        if kuerzel not in da:
            konsole.print(
                f"[yellow]{_e(kuerzel)}: kein eigener Rücklauf, aber unter ihrem Namen:[/] "
                f"{_e(', '.join(namen))}. Erkannt wird eine Mappe am internen Blatt _ikz: sie "
                f"zählt für die andere Arbeitsgruppe. Bitte bei {_e(kuerzel)} nachfragen, ob "
                "sie die eigene Mappe schicken wollte (liegt in ausgang/, falls sie die falsche "
                "bekommen hat).",
                highlight=False,
            )


def _fremder_dateiname(zaehlt: Any) -> str:
    """The version that counts is named after another AG ('AG-03 ….xlsx' in AG-04's
    workbook): AG-03 wrote into AG-04's copy, and AG-04's own return no longer counts. Said
    only in the Prüfbericht so far, while the console said which version counts (probe)."""
    from ikz_excel.befunde import Regel
    from ikz_excel.pruefen import DATEINAME_NENNT

    for b in zaehlt.befunde if zaehlt is not None else ():
        if b.regel is Regel.DATEI and DATEINAME_NENNT in b.meldung:
            # the message starts with the file's name, which may itself hold ': ' (review)
            text = b.meldung.removeprefix(f"{zaehlt.name}: ")
            return f" Achtung, zu {_e(zaehlt.name)}: {_e(text)}"
    return ""


def _natuerlich(text: str | None) -> list[Any]:
    """AG-2 before AG-10, as the Steuerungsmappe lists them (review)."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text or "")]


def _befundliste(konsole, dateien: list, stufe: Stufe, titel: str, je_datei: int) -> None:
    """The files with findings of `stufe`, each with its first `je_datei` messages."""
    from ikz_excel.befunde import Regel, Stufe

    if dateien:
        anzahl = "1 Rücklauf" if len(dateien) == 1 else f"{len(dateien)} Rückläufe"
        konsole.print(f"[bold]{anzahl} {titel}")
    # in the order of the table above, not of the folders the files lay in
    for d in sorted(
        dateien, key=lambda d: (not d.arbeitsgruppe, _natuerlich(d.arbeitsgruppe), d.name)
    ):
        befunde = [b for b in d.befunde if b.stufe is stufe]
        n = len(befunde)
        art = "Fehler" if stufe is Stufe.FEHLER else f"Warnung{'' if n == 1 else 'en'}"
        konsole.print(f"  {_e(d.arbeitsgruppe or '–')}  {_e(d.name)}: {n} {art}")
        for b in befunde[:je_datei]:
            konsole.print(f"      {_e(b.meldung)}", highlight=False)
        if n > je_datei:
            konsole.print(f"      … und {n - je_datei} weitere (Prüfbericht)")
        if (
            stufe is Stufe.FEHLER
            and not d.braucht_korrektur
            and any(b.regel is Regel.STRUKTUR for b in befunde)
        ):
            # a renamed sheet, a deleted or moved column, not a workbook of ours: its tables
            # cannot be mapped, so there is nothing to mark in a copy (a CSV or a zip, not
            # read at all, has its own advice: no "own workbook" to correct)
            konsole.print(
                "      Kein neues Korrekturexemplar (ihre Tabellen oder ihre Arbeitsgruppe "
                "lassen sich nicht zuordnen): die AG berichtigt ihre eigene Mappe wie angegeben."
            )


def _unbearbeitete_korrekturen(arbeitsbereich: Path) -> list[Path]:
    """Files in eingang/ with the very bytes of a Korrektur copy in berichte/: copied back
    before the AG worked in it (a file the AG opened and saved has other bytes). Read before
    the run, which may write the copies anew. It counted as the AG's newest return, and the
    console read as if the AG had answered (session 22)."""
    import hashlib

    from ikz_excel.arbeitsbereich import Arbeitsbereich

    ab = Arbeitsbereich(arbeitsbereich)

    def sha(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    try:
        groessen: dict[int, set[str]] = {}
        for p in ab.berichte.glob("Korrektur_*.xlsx"):
            groessen.setdefault(p.stat().st_size, set()).add(sha(p))
        if not groessen:
            return []
        return sorted(
            p
            for p in ab.eingang.rglob("*.xlsx")
            if p.is_file() and p.stat().st_size in groessen and sha(p) in groessen[p.stat().st_size]
        )
    except OSError:  # not to be read: the run itself says what is wrong
        return []


def _unbearbeitete_nennen(konsole, dateien: list[Path], arbeitsbereich: Path) -> None:
    for p in dateien:
        name = _im_bereich(p, arbeitsbereich)
        konsole.print(
            f"[yellow]Achtung:[/] {_e(name)} ist ein Korrekturexemplar aus berichte/, "
            "unverändert, also noch nicht von der Arbeitsgruppe bearbeitet; es zählt trotzdem "
            "als ihr neuester Rücklauf. Versehentlich nach eingang/ kopiert? Dann dort löschen "
            "und erneut aufrufen; das Korrekturexemplar geht an die Arbeitsgruppe.",
            highlight=False,
        )


def _eingangsbuch_fehlt(arbeitsbereich: Path) -> str | None:
    """archiv/ or its Eingangsbuch deleted by hand after an earlier konsolidieren (the
    overview or archived copies show there was one): the run began a new ledger with "10 neu
    archiviert", as if every return had just come in, and the history was gone without a
    word (session 22). Returns the missing path as named relative to the Arbeitsbereich."""
    from ikz_excel.arbeitsbereich import Arbeitsbereich
    from ikz_excel.konsolidieren import EINGANGSBUCH

    ab = Arbeitsbereich(arbeitsbereich)
    buch = ab.archiv / EINGANGSBUCH
    try:
        if buch.exists() or not ab.steuerungsmappe.exists():
            return None
        frueher = ab.uebersicht.exists() or any((ab.archiv / "dateien").glob("*"))
    except OSError:
        return None
    if not frueher:
        return None
    return "archiv/" if not ab.archiv.exists() else f"archiv/{EINGANGSBUCH}"


def _bearbeitete_uebersicht_nennen(konsole, k: Any, arbeitsbereich: Path) -> None:
    """The overview the Lenkungsgruppe had saved with its own edits: where that state went,
    and where a decision has to be typed to count (session 23: replaced without a word). A copy
    saved as .ods beside it is read by nothing: said too (session 24)."""
    from ikz_excel.arbeitsbereich import UEBERSICHT, lg_blaetter, uebersicht_kopien_text

    if text := uebersicht_kopien_text(k.uebersicht_kopien, k.st):
        konsole.print(f"[yellow]Achtung:[/] {_e(text)}", highlight=False)
    if k.uebersicht_bearbeitet is None:
        return
    sicherung, wer, wann = k.uebersicht_bearbeitet
    tag = re.match(r"(\d{4})-(\d\d)-(\d\d)", wann)
    angaben = [f"von {wer}"] if wer else []
    if tag:
        angaben.append(f"am {tag[3]}.{tag[2]}.{tag[1]}")
    von_wem = f" ({', '.join(angaben)})" if angaben else ""
    blaetter = lg_blaetter(k.st)
    konsole.print(
        f"[yellow]Achtung:[/] {_e(UEBERSICHT)} war nach dem letzten Konsolidieren in Excel oder "
        f"LibreOffice gespeichert worden{_e(von_wem)}. Sie wird bei jedem "
        "Konsolidieren neu geschrieben; der bearbeitete Stand liegt jetzt in "
        f"{_e(_im_bereich(sicherung, arbeitsbereich))}. Was die Lenkungsgruppe dort "
        "entschieden hat (Faktoren, abweichende Punkte, festgelegte Priorität), bitte in die "
        f"Steuerungsmappe eintragen ({_e(blaetter)}) und erneut konsolidieren: Nur dort "
        "gilt es und bleibt erhalten.",
        highlight=False,
    )


def _offen_ueberschrieben(konsole, arbeitsbereich: Path, dateien: tuple[str, ...]) -> None:
    """A file the run wrote while LibreOffice (or a crashed Excel) held it open, said like a
    workbook `erzeugen --ersetzen` replaced while open (session 22: the overview open in Calc
    during konsolidieren, not a word). The text is the buttons' too."""
    from ikz_excel.arbeitsbereich import beim_schreiben_geoeffnet

    for text in beim_schreiben_geoeffnet(arbeitsbereich, dateien):
        konsole.print(f"[yellow]Achtung:[/] {_e(text)}", highlight=False)


def _steuerungsmappe_geoeffnet(konsole, arbeitsbereich: Path) -> None:
    """What was read may not be what the Steuerungsgruppe sees: the workbook is open, or a
    copy in another format lies beside it."""
    from ikz_excel.arbeitsbereich import Arbeitsbereich, uebernehmen

    ab = Arbeitsbereich(arbeitsbereich)
    if sperre := ab.steuerungsmappe_sperre:
        datei, wer = sperre
        quelle = f"die Sperrdatei {_e(datei.name)} daneben"
        wie = f"{_e(wer)} hat sie geöffnet (so {quelle})." if wer else f"So sagt es {quelle}."
        konsole.print(
            f"[yellow]Die Steuerungsmappe ist gerade geöffnet.[/] {wie} Gelesen wurde der zuletzt "
            "gespeicherte Stand: ungespeicherte Änderungen fehlen. Bitte dort speichern und den "
            "Befehl wiederholen. "
            "Ist die Mappe nirgends mehr geöffnet, blieb die Sperrdatei von einem abgestürzten "
            "Excel oder LibreOffice übrig und kann gelöscht werden."
        )
    try:
        gelesen = ab.steuerungsmappe.stat().st_mtime
        spaeter = [p for p in ab.andere_steuerungsmappen if p.stat().st_mtime > gelesen]
    except OSError:
        return
    for andere in spaeter:
        konsole.print(
            f"[yellow]Neben der Steuerungsmappe liegt {_e(andere.name)}, zuletzt später "
            "gespeichert.[/] Gelesen wurde die Steuerungsmappe.xlsm; was nur in "
            f"{_e(andere.name)} steht, zählt nicht. Wurde sie versehentlich ohne Makros "
            "gespeichert? "
            + _e(uebernehmen(andere, _befehl("ikz init --ersetzen", arbeitsbereich)))
            + " Die bisherige wird gesichert."
        )


def _nebendateien_nennen(konsole, nebendateien: list[Path]) -> None:
    """Lock files (`~$…`, `.~lock.…#`) and the like skipped in eingang/, by pruefen and
    konsolidieren alike: konsolidieren said nothing, and a return still open in Excel beside
    its lock file looked taken in (review 22)."""
    if nebendateien:
        konsole.print(
            f"{len(nebendateien)} Sperr-, System- oder noch ladende Download-Datei"
            f"{'' if len(nebendateien) == 1 else 'en'} übersprungen "
            f"({_e(', '.join(p.name for p in nebendateien[:3]))})."
        )


def _entscheidungen_nennen(konsole, k: Any) -> None:
    """What of the Lenkungsgruppe's decisions this run read from the Steuerungsmappe: the
    Faktoren, and the points it set against the proposal. The coordination team typed them
    and saw only ranks change, or not, without knowing whether they were read (session 23)."""
    blatt = k.st.blatt("tbl_Faktoren")
    faktoren = ", ".join(f"{kriterium} {wert}" for kriterium, wert in k.faktoren.items())
    je_ag = [
        f"{s.ag.kuerzel}: "
        + ", ".join(
            f"{kriterium} {p.lg}"
            + (f" (Vorschlag {p.vorschlag})" if p.vorschlag is not None else "")
            for kriterium, p in s.punkte.items()
            if p.lg is not None
        )
        for s in k.ags
        if any(p.lg is not None for p in s.punkte.values())
    ]
    text = f"Aus der Steuerungsmappe (Blatt {blatt}) gelesen: Faktoren {faktoren}."
    if je_ag:
        text += " Punkte der Lenkungsgruppe: " + "; ".join(je_ag) + "."
    konsole.print(_e(text), highlight=False)


def _zusammenfassung(konsole, k, arbeitsbereich: Path, je_datei: int = 1) -> None:
    from rich.table import Table

    from ikz_excel import deutsch

    neu = sum(1 for e in k.eingaenge if e.neu)
    # Same bytes under two names are one receipt; say so, or the count looks wrong. Counted
    # from what was archived: a file added meanwhile is no copy of another (review).
    doppelt = sum(e.dateien - 1 for e in k.eingaenge)
    erste = next((e for e in k.eingaenge if e.dateien > 1), None)
    gleich = (
        f" ({doppelt} davon mit gleichem Inhalt wie eine andere, z. B. "
        f"{_e(erste.weitere_namen[-1])})"
        if erste and erste.weitere_namen
        else f" ({doppelt} davon mit gleichem Inhalt wie eine andere)"
        if doppelt
        else ""
    )
    konsole.print(
        f"{len(k.eingaenge) + doppelt} Datei(en) in eingang/{gleich}, {neu} neu archiviert."
    )
    if kopien := [e for e in k.eingaenge if e.wiederhergestellt]:
        konsole.print(
            f"[bold]{len(kopien)} Archivkopie(n) fehlten oder waren verändert[/] (zuerst "
            f"{_e(kopien[0].archivdatei.name)}: {kopien[0].wiederhergestellt}); aus eingang/ "
            "wiederhergestellt. Im Archiv bitte nichts von Hand löschen oder ändern.",
            highlight=False,
        )
    if k.nur_im_archiv:
        konsole.print(
            f"{len(k.nur_im_archiv)} früher erhaltene Fassung(en) nur noch im Archiv (in "
            "eingang/ überschrieben oder entfernt); das Blatt Rücklauf der Übersicht nennt sie."
        )
    for e in k.eingaenge:
        if e.nicht_gelesen:
            konsole.print(
                f"[red]Nicht lesbar:[/] {_e(e.herkunft)} ({_e(e.nicht_gelesen)}). {_e(e.was_tun)}",
                highlight=False,
            )
    tabelle = Table(title="Stand der Arbeitsgruppen", show_lines=False)
    # the LG's festgelegte Priorität beside the computed rank, as on the overview (session 23)
    rechts = ("Kapitalwert", "Gesamt", "Rang", "festgelegt")
    for kopf in ("AG", "Bezeichnung", "Rücklauf", *rechts):
        tabelle.add_column(kopf, justify="right" if kopf in rechts else "left")
    gesamt, raenge = k.gesamtpunkte(), k.raenge()
    for s in k.ags:
        kw = s.kennzahlen.wirtschaftlichkeit.kapitalwert if s.kennzahlen else None
        tabelle.add_row(
            _e(s.ag.kuerzel),
            _e(s.ag.bezeichnung),
            _e(_ruecklauf_text(s)),
            deutsch.euro(kw, stellen=2) if kw is not None else "–",
            str(gesamt.get(s.ag.kuerzel, "–")),
            str(raenge.get(s.ag.kuerzel, "–")),
            "–" if s.festgelegte_prioritaet is None else str(s.festgelegte_prioritaet),
        )
    konsole.print(tabelle)
    _entscheidungen_nennen(konsole, k)
    for s in k.ags:
        if s.im_archiv:
            konsole.print(
                f"[yellow]{_e(s.ag.kuerzel)}: kein Rücklauf in eingang/, aber im Archiv:[/] "
                f"{_e(', '.join(s.im_archiv))}. Wurde die Datei aus eingang/ entfernt? Es zählt "
                "nur, was in eingang/ liegt: zum Zählen die Datei wieder dorthin legen.",
                highlight=False,
            )
    _fremde_nennen(konsole, k)
    _befunde_der_zaehlenden(konsole, k, je_datei)
    from ikz_excel.arbeitsbereich import UEBERSICHT

    _bereich_nennen(konsole, arbeitsbereich)
    uebersicht = _im_bereich(arbeitsbereich / UEBERSICHT, arbeitsbereich)
    konsole.print(f"Übersicht für die Lenkungsgruppe: [bold]{_e(uebersicht)}[/]")
    bericht = arbeitsbereich / "berichte" / "Pruefbericht.xlsx"
    konsole.print(f"Prüfbericht: {_e(_im_bereich(bericht, arbeitsbereich))}")
    _korrekturen_nennen(konsole, k.korrekturen, arbeitsbereich)
    _ohne_korrektur(konsole, k.pruefung)


def _ruecklauf_text(s) -> str:
    """The Rücklauf column of "Stand der Arbeitsgruppen", in the overview's words. A return
    whose AG's workbook shows figures from older Stammdaten says so: the team reads the
    console first and otherwise compared two Kapitalwerte without a word (session 24)."""
    from ikz_excel.pruefen import NICHT_AUSGEFUELLT, zeigt_andere_zahlen
    from ikz_excel.uebersicht import AELTERE_STAMMDATEN

    if s.unlesbar:
        return "nicht lesbar"
    zusaetze = ["im Archiv"] if s.im_archiv else []
    if s.datei is not None and s.datei.leer:  # as on the sheets Übersicht and Rücklauf
        zusaetze.insert(0, NICHT_AUSGEFUELLT)
    if s.datei is not None and zeigt_andere_zahlen(s.datei):
        zusaetze.append(AELTERE_STAMMDATEN)
    return f"{s.status} ({'; '.join(zusaetze)})" if zusaetze else s.status


#: how many Korrektur copies the console names; the Prüfbericht lists all
_KORREKTUREN_GENANNT = 5


def _korrekturen_nennen(konsole, korrekturen: dict[str, Path], arbeitsbereich: Path) -> None:
    """The Korrektur copies of this run by name, and what to do with them. "Korrekturexemplare
    für 1 Datei(en) in berichte" said neither which file nor that it goes back to the AG, and
    `konsolidieren` called them "markierte Mappen" and named "Prüfbericht und
    Korrekturexemplare" also when there were none (README walk, session 20)."""
    if not korrekturen:
        return
    namen = sorted(p.name for p in korrekturen.values())
    genannt = ", ".join(namen[:_KORREKTUREN_GENANNT]) + (
        f" und {len(namen) - _KORREKTUREN_GENANNT} weitere (alle im Prüfbericht)"
        if len(namen) > _KORREKTUREN_GENANNT
        else ""
    )
    ordner = _im_bereich(next(iter(korrekturen.values())).parent, arbeitsbereich)
    konsole.print(
        (
            "Korrekturexemplar zum Zurückschicken an die Arbeitsgruppe"
            if len(namen) == 1
            else f"{len(namen)} Korrekturexemplare zum Zurückschicken an die Arbeitsgruppen"
        )
        + f" in {_e(ordner)}: {_e(genannt)}.",
        highlight=False,
    )


def _ohne_korrektur(konsole, ergebnis) -> None:
    """Copies that could not be written (disk full) are said here, not only in the report
    (review: 1 of 5 copies written, and the console was silent)."""
    if fehlend := ergebnis.ohne_korrektur:
        erster = next(iter(fehlend.values()))
        zahl = (
            "1 Korrekturexemplar ließ"
            if len(fehlend) == 1
            else f"{len(fehlend)} Korrekturexemplare ließen"
        )
        konsole.print(
            f"[bold red]{zahl} sich nicht schreiben:[/] {_e(erster)} Die Befunde "
            f"{'dieses Rücklaufs' if len(fehlend) == 1 else 'dieser Rückläufe'} stehen im "
            "Prüfbericht."
        )


def _ohne_zip_nachhall(weiter: Callable[[Any], None]) -> Callable[[Any], None]:
    """An unraisable-exception hook without the echo of a full disk: XlsxWriter leaves its
    ZipFile behind when writing fails, and its `__del__` fails once more, printing a
    traceback after the German message (review)."""

    def haken(u: Any) -> None:
        if isinstance(u.exc_value, OSError) and "ZipFile" in repr(u.object):
            return
        weiter(u)

    return haken


def _ausgabe_einrichten() -> None:
    """Into a file or a pipe, Windows writes cp1252: `--json > befunde.json` was no UTF-8 JSON,
    and a file name with "Ł" ended a finished run with a UnicodeEncodeError (Windows review).
    There UTF-8, unless the user chose otherwise (PYTHONIOENCODING); on a console, a character
    it cannot show becomes "?" instead of an error, unless PYTHONIOENCODING says how to
    handle it ("utf-8:strict")."""
    gewaehlt = os.environ.get("PYTHONIOENCODING")
    for strom in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if not strom.isatty() and gewaehlt is None:
                strom.reconfigure(encoding="utf-8", errors="replace")
            elif ":" not in (gewaehlt or ""):
                strom.reconfigure(errors="replace")


def beenden_wie_strg_c(hauptprozess: int) -> Callable[[int, Any], None]:
    """The SIGTERM handler of the CLI: Ctrl+C in the process that set it, plain termination in
    a worker forked from it. A worker inherits the handler until it sets its own; a SIGTERM in
    that moment (the pool ending its workers after one died) became a KeyboardInterrupt the
    worker survived, and the pool then waited for it forever (a hang seen in CI)."""

    def beenden(signum: int, _rahmen: Any) -> None:
        if os.getpid() != hauptprozess:
            os._exit(128 + signum)
        raise KeyboardInterrupt

    return beenden


def main() -> None:
    """Entry point: usage errors in German with exit 2, never a traceback for the user."""
    import signal

    from typer._click import exceptions

    # Stopped from outside (a scheduler, `kill`): end like Ctrl+C, so every half-written file
    # is removed on the way out instead of staying behind as a hidden temporary file.
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGTERM, beenden_wie_strg_c(os.getpid()))
    sys.unraisablehook = _ohne_zip_nachhall(sys.unraisablehook)
    _ausgabe_einrichten()
    try:
        ergebnis = app(prog_name="ikz", standalone_mode=False)
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        sys.exit(130)
    except exceptions.NoArgsIsHelpError:
        # The help is shown; still a call without a verb did nothing, and a script or
        # scheduler that forgot it must see that (FACHKONZEPT: 2 for usage errors).
        print(
            "Kein Befehl angegeben: bitte einen der oben genannten Befehle nennen, z. B. "
            "'ikz demo'.",
            file=sys.stderr,
        )
        sys.exit(2)
    except exceptions.NoSuchOption as fehler:
        _nutzungsfehler(fehler, _unbekannte_option(fehler))
    except exceptions.BadParameter as fehler:
        _nutzungsfehler(fehler, f"Ungültiger Wert: {fehler.format_message()}")
    except exceptions.MissingParameter as fehler:
        _nutzungsfehler(fehler, f"Es fehlt eine Angabe: {fehler.format_message()}")
    except exceptions.UsageError as fehler:
        _nutzungsfehler(fehler, _nutzung_deutsch(fehler.format_message()))
    except typer.Exit as ende:
        sys.exit(ende.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except typer.Abort:
        print("Abgebrochen.", file=sys.stderr)
        sys.exit(1)
    except Exception as fehler:
        print(
            f"Unerwarteter Fehler: {type(fehler).__name__}: {fehler}\nBitte diesen Fehler mit "
            "dem aufgerufenen Befehl an die Betreuung von ikz_excel melden.",
            file=sys.stderr,
        )
        sys.exit(2)
    sys.exit(ergebnis if isinstance(ergebnis, int) else 0)


_NUTZUNG = (
    (r"No such command '(.+)'\. Did you mean (.+)\?", "Unbekannter Befehl '{0}'. Meinten Sie {1}?"),
    (r"No such command '(.+)'\.?", "Unbekannter Befehl '{0}'."),
    (r"Option '(.+)' requires an argument\.?", "Die Option {0} braucht einen Wert."),
    (r"Option '(.+)' requires (\d+) arguments\.?", "Die Option {0} braucht {1} Werte."),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)", "Unerwartete zusätzliche Angabe: {0}."),
    (r"Missing argument '(.+)'\.?", "Es fehlt die Angabe {0}."),
    (r"Missing option '(.+)'\.?", "Es fehlt die Option {0}."),
    (r"No such option: (.+)", "Unbekannte Option {0}."),
)


def _nutzung_deutsch(text: str) -> str:
    """click's usage texts in German; an unknown one is passed through rather than lost."""
    import re

    for muster, deutsch in _NUTZUNG:
        treffer = re.fullmatch(muster, text.strip())
        if treffer:
            return deutsch.format(*treffer.groups())
    return text


_BEREICHSOPTION = ("-a", "--arbeitsbereich")


def _unbekannte_option(fehler) -> str:
    """Name the option meant, and say where `-a` goes when it was put before the verb."""
    meldung = f"Unbekannte Option {fehler.option_name}."
    if fehler.possibilities:
        meldung += f" Meinten Sie {' oder '.join(fehler.possibilities)}?"  # best first
    ctx = getattr(fehler, "ctx", None)
    if ctx is not None and ctx.command_path == "ikz" and fehler.option_name in _BEREICHSOPTION:
        # The verb the user typed, if there is one after the option: that is the example.
        verben = [c.name for c in app.registered_commands]
        verb = next((a for a in sys.argv[1:] if a in verben), "konsolidieren")
        meldung += (
            f" Die Option gehört hinter den Befehl, z. B. 'ikz {verb} --arbeitsbereich ORDNER'."
        )
    return meldung


def _nutzungsfehler(fehler: Exception, meldung: str) -> None:
    ctx = getattr(fehler, "ctx", None)
    befehl = ctx.command_path if ctx is not None else "ikz"
    verben = {c.name for c in app.registered_commands}
    if befehl == "ikz" and len(sys.argv) > 1 and sys.argv[1] in verben:
        befehl = f"ikz {sys.argv[1]}"
    print(f"Fehler: {meldung}\nHilfe: {befehl} --help", file=sys.stderr)
    sys.exit(2)
