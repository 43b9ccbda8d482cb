"""The check results of older versions, kept in archiv/ from one `konsolidieren` to the next.

eingang/ keeps every file ever received, and each run checked every version again, though of
an AG's versions only the newest counts: over a programme of some years, a run with 300 AGs
went from 4 s of CPU to 12 s after 30 rounds of returns, 80 % of it on versions that no longer
count (archive probe). Their bytes cannot change (the archive names them by SHA-256), so
neither can their findings, as long as the Stammdaten and this program stay the same: the key
of the store covers both, and any change of either checks everything once more.

Only versions that are sure to be replaced are taken from the store: of an AG's stored
versions, all but the newest. The newest stored one, new files and files without an AG are
checked as before, so the version that counts is always read afresh (its figures, its
Korrektur copy). A store that cannot be read or does not fit is ignored, and a file whose
findings cannot be stored exactly is simply checked again next time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as uhrzeit
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

from ikz_excel.befunde import Befund, Regel, Stufe
from ikz_excel.dateien import atomar
from ikz_excel.pruefen import Dateiergebnis

#: In archiv/, hidden: the Steuerungsgruppe has nothing to do with it, deleting it is harmless.
DATEINAME = ".pruefergebnisse.json"

#: What of the Stammdaten the check does not use: the Lenkungsgruppe's points and Faktoren
#: change between meetings and must not make every old version be read again.
_OHNE = frozenset({"entscheidungen", "kriterien", "tabellen", "quelle", "warnungen"})


def schluessel(st: Any) -> str:
    """What a stored result depends on besides the file's bytes: this program (its code and
    definitions), the Stammdaten, and the time zone LibreOffice's save times are read in."""
    from ikz_excel import pfade

    h = hashlib.sha256(pfade.programmstand().encode())
    stamm = {f.name: getattr(st, f.name) for f in dataclasses.fields(st) if f.name not in _OHNE}
    stamm["kriterien"] = [k.name for k in st.kriterien]  # their names are a list in the check
    h.update(repr(stamm).encode())
    for paket_name in ("python-calamine", "pandera", "pandas", "defusedxml"):  # they read and
        with contextlib.suppress(metadata.PackageNotFoundError):  # check: an update may too
            h.update(f"{paket_name}={metadata.version(paket_name)}".encode())
    h.update(repr((time.timezone, time.altzone, time.tzname)).encode())
    return h.hexdigest()


def _wert_hin(wert: Any) -> Any:
    """A finding's value with its type: Decimal, date and the rest come back as they were,
    so that the reports show them the same way. ValueError for a type not foreseen."""
    if wert is None or isinstance(wert, str):
        return wert
    if isinstance(wert, float) and type(wert) is not float:
        wert = float(wert)  # a Prozentwert or Eurowert: the number, as the reports show it
    for typ in (bool, int, float, Decimal, datetime, date, uhrzeit):
        if type(wert) is typ:  # exactly: a subclass (a bool is an int) is not foreseen
            return [typ.__name__, wert.isoformat() if hasattr(wert, "isoformat") else str(wert)]
    raise ValueError(type(wert).__name__)


_TYPEN: dict[str, Callable[[str], Any]] = {
    "bool": lambda s: s == "True",
    "int": int,
    "float": float,
    "Decimal": Decimal,
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": uhrzeit.fromisoformat,
}


def _wert_her(wert: Any) -> Any:
    if isinstance(wert, list):
        typ, text = wert
        return _TYPEN[typ](text)
    return wert


def _als_eintrag(d: Dateiergebnis) -> dict[str, Any] | None:
    try:
        befunde = [
            {
                **dataclasses.asdict(b),
                "wert": _wert_hin(b.wert),
                "stufe": b.stufe.name,
                "regel": b.regel.name,
            }
            for b in d.befunde
        ]
    except ValueError:
        return None
    if not all(isinstance(v, str) for v in d.kennung.values()):
        return None
    return {
        "name": d.name,
        "arbeitsgruppe": d.arbeitsgruppe,
        "kennung": d.kennung,
        "lesbar": d.lesbar,
        "gespeichert_am": d.gespeichert_am,
        "befunde": befunde,
        "leer": d.leer,
    }


def _aus_eintrag(eintrag: dict[str, Any], pfad: Path, ags: set[str]) -> Dateiergebnis:
    """The result as stored; ValueError for an entry of any other shape (edited by hand, or
    written by something else): a wrong type must not stop the run or choose the version."""
    texte = (eintrag["name"], eintrag["arbeitsgruppe"], eintrag["gespeichert_am"])
    kennung = eintrag["kennung"]
    if (
        not all(isinstance(t, str) for t in texte)
        or eintrag["arbeitsgruppe"] not in ags
        or eintrag["lesbar"] is not True
        or not isinstance(kennung, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in kennung.items())
        or not isinstance(eintrag["befunde"], list)
    ):
        raise ValueError("kein Eintrag dieses Speichers")
    return Dateiergebnis(
        pfad,
        eintrag["name"],
        eintrag["arbeitsgruppe"],
        dict(eintrag["kennung"]),
        befunde=[
            Befund(
                **{
                    **b,
                    "wert": _wert_her(b["wert"]),
                    "stufe": Stufe[b["stufe"]],
                    "regel": Regel[b["regel"]],
                }
            )
            for b in eintrag["befunde"]
        ],
        lesbar=eintrag["lesbar"],
        gespeichert_am=eintrag["gespeichert_am"],
        leer=eintrag.get("leer") is True,  # noted since session 24
    )


class Pruefspeicher:
    """The stored results of one workspace, for one key (see `schluessel`)."""

    def __init__(self, archiv: Path, st: Any) -> None:
        self.datei = archiv / DATEINAME
        self.schluessel = schluessel(st)
        self.ags = {a.kuerzel for a in st.arbeitsgruppen}
        self.eintraege: dict[str, dict[str, Any]] = {}
        self.neu: dict[str, dict[str, Any]] = {}  # of this run: what `schreiben` stores
        try:
            inhalt = json.loads(self.datei.read_text(encoding="utf-8"))
            if inhalt.get("schluessel") == self.schluessel:
                self.eintraege = {
                    k: v for k, v in dict(inhalt["dateien"]).items() if isinstance(v, dict)
                }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # none yet, or unreadable: everything is checked, as without it

    def ergebnis(self, sha256: str, name: str, pfad: Path) -> Dateiergebnis | None:
        """The stored result of these bytes under this name (findings quote the name)."""
        eintrag = self.eintraege.get(sha256)
        if eintrag is None or eintrag.get("name") != name:
            return None
        try:
            d = _aus_eintrag(eintrag, pfad, self.ags)
        except Exception:  # whatever stands there: then it is checked, as without a store
            return None
        self.neu[sha256] = eintrag
        return d

    def merken(self, sha256: str, d: Dateiergebnis) -> None:
        """Keep a result just checked, as the check gave it: before the run adds findings
        that belong to this run only (which version counts, a copy not written)."""
        # Not a file that could not be read or checked: that may be of the moment (memory,
        # a worker ended), and its file date would rank it among the versions (review).
        if d.arbeitsgruppe and d.lesbar and (eintrag := _als_eintrag(d)) is not None:
            self.neu[sha256] = eintrag

    def schreiben(self) -> None:
        """Store the results of this run's files, and only these: what left eingang/ goes,
        so the store grows with what is there, not with every run."""
        if self.neu == self.eintraege and self.datei.exists():
            return  # unchanged: a second run writes nothing
        inhalt = {"schluessel": self.schluessel, "dateien": self.neu}
        try:
            with atomar(self.datei) as tmp:
                # ASCII: a text with surrogates (a name not in UTF-8) cannot be written as UTF-8
                tmp.write_text(json.dumps(inhalt), encoding="utf-8")
        except (OSError, ValueError):
            pass  # only a saving: the next run checks these files again
        self.eintraege = dict(self.neu)
