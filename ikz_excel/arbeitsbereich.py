"""The workspace of one IKZ programme (FACHKONZEPT §2): where each kind of file lives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEUERUNGSMAPPE = "Steuerungsmappe.xlsm"
UEBERSICHT = "Lenkungsgruppe_Uebersicht.xlsx"
#: the folder of the backups of replaced Steuerungsmappen, and how each is named
SICHERUNGEN = "sicherungen"
SICHERUNG_MUSTER = "Steuerungsmappe_Sicherung_*.xlsm"

#: Held while a run archives or writes reports; hidden, so that nobody takes it for a return.
#: (Named when only konsolidieren took it; kept, so that old workspaces get no second one.)
SPERRDATEI = ".konsolidieren.sperre"


class Abbruch(Exception):
    """A usage or set-up error: the German message says what to do; the CLI exits with 2."""


@dataclass(frozen=True)
class Arbeitsbereich:
    wurzel: Path

    @property
    def steuerungsmappe(self) -> Path:
        return self.wurzel / STEUERUNGSMAPPE

    @property
    def ausgang(self) -> Path:
        return self.wurzel / "ausgang"

    @property
    def eingang(self) -> Path:
        return self.wurzel / "eingang"

    @property
    def archiv(self) -> Path:
        return self.wurzel / "archiv"

    @property
    def berichte(self) -> Path:
        return self.wurzel / "berichte"

    @property
    def uebersicht(self) -> Path:
        return self.wurzel / UEBERSICHT

    @property
    def sicherungen(self) -> Path:
        """Where `init --ersetzen` keeps the Steuerungsmappe it replaced: not beside it, where
        after a few rebuilds several files looking alike invited opening the wrong one."""
        return self.wurzel / SICHERUNGEN

    @property
    def steuerungsmappe_sperre(self) -> tuple[Path, str | None] | None:
        """The lock file of an open Steuerungsmappe, and who opened it as it says.

        A lock file left by a crashed Excel or LibreOffice stays until deleted; "ist gerade
        geöffnet" alone then stood under every run, naming neither the file nor a person to
        ask (new programme probe)."""
        return sperrdatei(self.steuerungsmappe)

    @property
    def andere_steuerungsmappen(self) -> list[Path]:
        """The Steuerungsmappe saved in another format beside it ("Speichern unter" without
        macros, or from LibreOffice): it is not read, and edits made in it are not either
        (review: a changed Zinssatz saved as .xlsx went out in no workbook, without a word)."""
        stamm = Path(STEUERUNGSMAPPE).stem.casefold()
        arten = (".xlsx", ".ods", ".xls")  # the .xlsx first: it can be taken over at once
        try:
            gefunden = [
                p
                for p in self.wurzel.iterdir()
                if p.stem.casefold() == stamm and p.suffix.lower() in arten and p.is_file()
            ]
        except OSError:  # no such folder, or not to be listed
            return []
        return sorted(gefunden, key=lambda p: (arten.index(p.suffix.lower()), p.name))

    @contextlib.contextmanager
    def allein(self) -> Iterator[None]:
        """One run at a time writes here. Two `konsolidieren` at once (a button clicked twice)
        each archived the same files and wrote every ledger line twice; a `pruefen` beside a
        `konsolidieren` could note a Korrektur copy as written from its content while the
        other's bytes lay there, and the next run would keep the wrong copy (review)."""
        from ikz_excel.dateien import Belegt, sperre

        try:
            with sperre(self.archiv / SPERRDATEI):
                yield
        except Belegt:
            # the full path, as the README promises: a relative one ('arbeitsmappen') does not
            # say which of several workspaces is busy, nor where the other window runs
            raise Abbruch(
                f"In {self.wurzel.resolve()} läuft gerade ein anderes Prüfen oder Konsolidieren "
                "(vielleicht über einen Knopf in der Steuerungsmappe oder in einem zweiten "
                "Fenster). Bitte "
                "warten, bis es fertig ist, und dann erneut aufrufen."
            ) from None

    def ordner_anlegen(self) -> None:
        for ordner in (self.wurzel, self.ausgang, self.eingang, self.archiv, self.berichte):
            ordner.mkdir(parents=True, exist_ok=True)

    def pruefen_eingerichtet(self) -> None:
        """Refuse politely when `init` has not run here: the most common first mistake."""
        if not self.steuerungsmappe.exists():
            if andere := self.andere_steuerungsmappen:
                raise Abbruch(
                    f"Im Arbeitsbereich {self.wurzel} gibt es keine {STEUERUNGSMAPPE}, aber "
                    f"{andere[0].name} (in einem anderen Format gespeichert). "
                    + uebernehmen(
                        andere[0], f"ikz init --arbeitsbereich {befehlszeilenpfad(self.wurzel)}"
                    )
                    + f" Das schreibt die {STEUERUNGSMAPPE} mit ihren Stammdaten und den Knöpfen."
                )
            if not self.wurzel.exists() and (Path.cwd() / STEUERUNGSMAPPE).is_file():
                # called inside the workspace: 'ikz init' as advised below would nest a second
                # one in it (review)
                raise Abbruch(
                    f"Im Arbeitsbereich {self.wurzel} gibt es keine {STEUERUNGSMAPPE}, aber "
                    "das aktuelle Verzeichnis ist selbst ein Arbeitsbereich (die "
                    f"{STEUERUNGSMAPPE} liegt hier). Bitte '--arbeitsbereich .' angeben."
                )
            if hinweis := self._falscher_ordner():
                raise Abbruch(hinweis)
            raise Abbruch(
                f"Im Arbeitsbereich {self.wurzel} gibt es keine {STEUERUNGSMAPPE}. Bitte zuerst "
                f"'ikz init --arbeitsbereich {befehlszeilenpfad(self.wurzel)}' ausführen oder mit "
                "--arbeitsbereich "
                "den richtigen Ordner angeben."
            )

    def umgebender_bereich(self) -> tuple[Path, str] | None:
        """The Arbeitsbereich this folder lies in (eingang/, ausgang/alt/, ...), and the path
        of the folder inside it: `-a arbeitsmappen/eingang` names a part of one."""
        wurzel = self.wurzel
        # as typed first ("wo2" for "wo2/eingang"), resolved if ".." or "." was typed
        try:
            for oben in list(wurzel.parents)[:3] + list(wurzel.resolve().parents)[:3]:
                if (oben / STEUERUNGSMAPPE).is_file():
                    return oben, wurzel.resolve().relative_to(oben.resolve()).as_posix()
        except (OSError, ValueError):
            pass
        return None

    def _falscher_ordner(self) -> str | None:
        """The careless ways of naming the wrong place, said as such. "Bitte zuerst 'ikz init
        --arbeitsbereich arbeitsmappen/eingang'" sent the team, who had typed eingang/ or the
        Steuerungsmappe itself, to make a second Arbeitsbereich inside the first; a renamed
        Steuerungsmappe was answered the same way, and init then wrote the example programme
        beside it (session 22)."""
        wurzel = self.wurzel
        if wurzel.is_file():
            ordner = wurzel.parent
            return (
                f"{wurzel} ist eine Datei, kein Ordner. Mit --arbeitsbereich wird der Ordner "
                "angegeben, in dem die Steuerungsmappe liegt: '--arbeitsbereich "
                f"{befehlszeilenpfad(ordner if str(ordner) else '.')}'."
            )
        if umgebend := self.umgebender_bereich():
            oben, teil = umgebend
            return (
                f"{wurzel} ist kein Arbeitsbereich, sondern der Ordner {teil}/ im "
                f"Arbeitsbereich {oben}. Bitte '--arbeitsbereich {befehlszeilenpfad(oben)}' "
                "angeben (den Ordner mit der Steuerungsmappe)."
            )
        try:
            # .xlsm only: a folder of downloaded returns ("AG-01.xlsx") was asked whether a
            # return was the renamed Steuerungsmappe, to be named so (review22)
            umbenannt = sorted(
                p.name
                for p in wurzel.glob("*.xlsm")
                if not p.match(SICHERUNG_MUSTER)
                and not p.name.startswith(("~$", "."))
                and p.name != UEBERSICHT
            )
        except OSError:
            umbenannt = []
        if umbenannt:
            return (
                f"Im Arbeitsbereich {wurzel} gibt es keine {STEUERUNGSMAPPE}, aber "
                f"{' und '.join(umbenannt[:2])}. Wurde die Steuerungsmappe umbenannt? ikz liest "
                f"nur die Datei mit dem Namen {STEUERUNGSMAPPE}: bitte sie wieder so nennen "
                "(Excel vorher schließen) und den Befehl erneut aufrufen. 'ikz init' würde eine "
                "neue mit dem Beispielprogramm anlegen."
            )
        return self._bereich_daneben()

    def _bereich_daneben(self) -> str | None:
        """An Arbeitsbereich one level down: `-a "IKZ Mappen"` for "IKZ Mappen/Zusammenführung",
        or `ikz pruefen` without -a in the folder above a workspace not named arbeitsmappen.
        "Bitte zuerst 'ikz init --arbeitsbereich arbeitsmappen' ausführen" then led the team to
        a second Arbeitsbereich with the example programme beside its own (session 24)."""
        wurzel = self.wurzel
        if wurzel.is_dir():
            oben, wo = wurzel, f"Im Ordner {wurzel} liegt keine {STEUERUNGSMAPPE}, aber"
            art = ("der Unterordner", "die Unterordner")
        elif not wurzel.exists():
            oben = wurzel.parent
            wo = f"Den Ordner {wurzel} gibt es nicht, aber"
            art = ("der Ordner", "die Ordner")
        else:
            return None
        try:
            bereiche = sorted(
                p for p in oben.iterdir() if p.is_dir() and (p / STEUERUNGSMAPPE).is_file()
            )
        except OSError:
            return None
        if not bereiche:
            return None
        if len(bereiche) == 1:
            welcher = (
                f"{art[0]} {bereiche[0].name}/ ist ein Arbeitsbereich (dort liegt die "
                f"{STEUERUNGSMAPPE}). Bitte '--arbeitsbereich {befehlszeilenpfad(bereiche[0])}' "
                "angeben."
            )
        else:
            namen = ", ".join(f"{p.name}/" for p in bereiche[:5])
            welcher = (
                f"{art[1]} {namen} sind Arbeitsbereiche (dort liegt je eine "
                f"{STEUERUNGSMAPPE}). Bitte mit --arbeitsbereich den gemeinten angeben, etwa "
                f"'--arbeitsbereich {befehlszeilenpfad(bereiche[0])}'."
            )
        return (
            f"{wo} {welcher} 'ikz init' legte hier einen zweiten Arbeitsbereich mit dem "
            "Beispielprogramm an."
        )


def uebernehmen(mappe: Path, init: str) -> str:
    """How to take over a Steuerungsmappe saved in another format with `init` (the command
    without --stammdaten): an .ods or .xls must become an .xlsx first, `init` reads no other
    (review: the advice led in a circle)."""
    if mappe.suffix.lower() == ".xlsx":
        return f"Bitte sie mit '{init} --stammdaten {befehlszeilenpfad(mappe)}' übernehmen."
    xlsx = mappe.with_suffix(".xlsx")
    return (
        f"Bitte sie in Excel oder LibreOffice als {xlsx.name} speichern (Dateityp „Excel "
        f"2007-365 (.xlsx)“) und mit '{init} --stammdaten {befehlszeilenpfad(xlsx)}' übernehmen."
    )


def befehlszeilenpfad(pfad: Path | str) -> str:
    """A path as one would type it into a command: in double quotes when it holds a space."""
    text = str(pfad)
    return f'"{text}"' if any(z.isspace() for z in text) else text


def beim_schreiben_geoeffnet(arbeitsbereich: Path, dateien: tuple[str, ...]) -> list[str]:
    """One warning for each file of `dateien` (relative to the Arbeitsbereich) a run has just
    written while a lock file lay beside it: Excel refuses the write and says so, LibreOffice
    lets it happen and keeps showing the old figures; saved there, they replace the new ones.

    One text for the console and the buttons (session 22 added it to the console only; a
    button pressed while the overview was open in Calc said nothing). A file older than its
    lock file was not written since it was opened: the Prüfbericht stays as it is when its
    bytes would be the same (session 24), and "zeigt noch den alten Stand" was then untrue
    (review 24)."""
    texte = []
    for name in dateien:
        if not (sperre := sperrdatei(arbeitsbereich / name)):
            continue
        datei, wer = sperre
        try:
            if (arbeitsbereich / name).stat().st_mtime < datei.stat().st_mtime:
                continue
        except OSError:
            pass  # not to be told: warned as before
        wie = f"{wer} hat sie geöffnet" if wer else "sie ist geöffnet"
        texte.append(
            f"{name} war beim Schreiben geöffnet ({wie}, so die Sperrdatei {datei.name} "
            "daneben). Dort bitte ohne Speichern schließen und neu öffnen: Das offene Fenster "
            "zeigt noch den alten Stand, gespeichert ersetzte er den neuen. Ist sie nirgends "
            "mehr geöffnet, blieb die Sperrdatei von einem abgestürzten Excel oder LibreOffice "
            "übrig und kann gelöscht werden."
        )
    return texte


def lg_blaetter(st: Any) -> str:
    """'Blatt Prioritaet' (or 'Blätter … und …'): where in the Steuerungsmappe the Lenkungsgruppe's
    decisions count (Faktoren, abweichende Punkte, festgelegte Priorität)."""
    namen = list(dict.fromkeys(st.blatt(t) for t in ("tbl_Faktoren", "tbl_Prioritaet")))
    return ("Blätter " if len(namen) > 1 else "Blatt ") + " und ".join(namen)


#: the types a spreadsheet program saves the overview as, besides its own .xlsx
KOPIE_ALS_TABELLE = frozenset({".ods", ".fods", ".xls", ".xlsm", ".xlsb", ".csv", ".numbers"})


def uebersicht_kopien(ziel: Path, seit: float | None) -> list[Path]:
    """Copies of the overview `ziel` in its folder under another type, saved after `seit` (the
    time the last run wrote `ziel`; None: there was none): "Lenkungsgruppe_Uebersicht.ods",
    as LibreOffice offers to save it ("ODF-Format verwenden"). No command reads them, and the
    team may think the LG's notes in them count (session 24). Lock files and our own hidden
    temporary files are none; an .xlsx of another name is no such copy either, nor a PDF
    printed for the LG's meeting: nobody types a decision into it (review 24)."""
    stamm = ziel.stem.casefold()
    try:
        kandidaten = list(ziel.parent.iterdir())
    except OSError:
        return []
    kopien = []
    for p in kandidaten:
        if (
            p.name.startswith((".", "~$"))
            or not p.name.casefold().startswith(stamm)
            or p.suffix.casefold() not in KOPIE_ALS_TABELLE
        ):
            continue
        try:
            if p.is_file() and (seit is None or p.stat().st_mtime > seit):
                kopien.append(p)
        except OSError:
            continue
    return sorted(kopien)


def uebersicht_kopien_text(kopien: list[Path], st: Any) -> str:
    """One sentence for the console and the button "Konsolidieren" on `uebersicht_kopien`,
    worded as the one on an overview saved as .xlsx (cli._bearbeitete_uebersicht_nennen)."""
    if not kopien:
        return ""
    namen = " und ".join(p.name for p in kopien)
    eine = len(kopien) == 1
    return (
        f"{namen} {'wurde' if eine else 'wurden'} nach dem letzten Konsolidieren gespeichert, "
        f"{'wird' if eine else 'werden'} aber von keinem Befehl gelesen: Was die "
        "Lenkungsgruppe dort entschieden hat (Faktoren, abweichende Punkte, festgelegte "
        f"Priorität), gilt nur, wenn es in der Steuerungsmappe steht ({lg_blaetter(st)}), also "
        "bitte dort eintragen und erneut konsolidieren."
    )


def uebersicht_unveraendert(arbeitsbereich: Path) -> str:
    """Said when konsolidieren stops before its work (faulty Stammdaten): the overview that
    lies there is the one of an earlier run. The coordination team had typed the LG's Faktoren,
    got an error for one cell, and took the overview to the LG as if it were new (session 23).
    One text for the console and the button "Konsolidieren" (the Faktoren are typed in the
    Steuerungsmappe, beside the button; it said only "Die Stammdaten sind fehlerhaft")."""
    from datetime import datetime

    try:
        stand = datetime.fromtimestamp((arbeitsbereich / UEBERSICHT).stat().st_mtime)
    except (OSError, ValueError):
        return ""
    return (
        f"Konsolidiert wurde nichts: {UEBERSICHT} ist unverändert (Stand {stand:%d.%m.%Y %H:%M}) "
        "und zeigt die Eingaben in der Steuerungsmappe seitdem noch nicht."
    )


def sperrdatei(mappe: Path) -> tuple[Path, str | None] | None:
    """The lock file Excel (`~$…`) or LibreOffice (`.~lock.…#`) keeps beside `mappe` while it
    is open, and who opened it as the lock file says; None if there is none."""
    for name in (f"~${mappe.name}", f".~lock.{mappe.name}#"):
        datei = mappe.with_name(name)
        try:
            with datei.open("rb") as f:  # a lock file is small; whatever else lies there
                daten = f.read(4096)
        except FileNotFoundError:
            continue
        except OSError:  # there, but not to be read (Excel holds it): open all the same
            return datei, None
        return datei, _wer_sperrt(daten, excel=name.startswith("~$"))
    return None


def _wer_sperrt(daten: bytes, excel: bool) -> str | None:
    """The user name in a lock file, or None if it holds none that can be read.

    Excel's owner file `~$…` (as LibreOffice reads it, svl/msodocumentlockfile.cxx): the name's
    length (at most 52) and the name in the Windows code page, spaces up to byte 55, there the
    length again as two bytes and the name in UTF-16, which keeps letters the code page lacks
    ("Łukasz"); Word's owner file has the second copy one byte earlier. Read at byte 54 for an
    Excel file, a name of 32 letters came out as 32 Chinese characters (review).

    LibreOffice's `.~lock.…#` is one entry "Name,Login,Rechner,Zeit,Profil;" in UTF-8, a comma,
    semicolon or backslash in a field escaped by a backslash: "Müller\\, Hans" is the name
    "Müller, Hans", which a plain split cut to "Müller\\" (review).
    """
    namen: list[str] = []
    if excel and daten:
        laenge = daten[0]
        if 0 < laenge <= 52:
            for stelle in (55, 54):  # Excel, Word
                breit = daten[stelle + 2 : stelle + 2 + 2 * laenge]
                if daten[stelle : stelle + 2] == bytes([laenge, 0]) and len(breit) == 2 * laenge:
                    with contextlib.suppress(UnicodeError):
                        namen.append(breit.decode("utf-16-le"))
                        break
            else:  # only without the UTF-16 copy: the code page has '?' for what it lacks
                namen.append(daten[1 : 1 + laenge].decode("cp1252", errors="replace"))
    elif daten:
        namen += _libreoffice_felder(daten.decode("utf-8", errors="replace"))[:2]
    for name in namen:
        name = name.strip()
        if name and name.isprintable() and "\ufffd" not in name:
            return name
    return None


def _libreoffice_felder(text: str) -> list[str]:
    """The fields of the first entry of a LibreOffice lock file, unescaped; a field without
    its closing separator is not taken (a file cut while written)."""
    felder: list[str] = []
    feld: list[str] = []
    maskiert = False
    for zeichen in text:
        if maskiert:
            feld.append(zeichen)
            maskiert = False
        elif zeichen == "\\":
            maskiert = True
        elif zeichen in ",;":
            felder.append("".join(feld))
            feld = []
            if zeichen == ";":
                break
        else:
            feld.append(zeichen)
    return felder
