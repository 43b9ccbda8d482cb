"""Where the shipped definitions and templates live.

In a wheel `schemata/` and `vorlagen/` are copied into the package; in a source checkout they
stand beside it. Looking in both places keeps one code path for `pip install .` and for the tests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PAKET = Path(__file__).resolve().parent


def _finden(name: str) -> Path:
    for kandidat in (_PAKET / name, _PAKET.parent / name):
        if kandidat.is_dir():
            return kandidat
    raise FileNotFoundError(f"Ordner {name!r} fehlt in der Installation von ikz_excel")


# Cached: the answer cannot change while the process runs, and the Korrektur copies asked for
# it several times each. A missing folder raises and is therefore asked again next time.
@cache
def schemata() -> Path:
    return _finden("schemata")


@cache
def vorlagen() -> Path:
    return _finden("vorlagen")
