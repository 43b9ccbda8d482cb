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


def programmstand() -> str:
    """SHA-256 of this installation: its version, code, schemata and templates.

    What is kept from one run to the next (check results, Korrektur copies) is only reused
    while this is the same: any update of the program makes everything be done once more.
    The version counts for an installation without its sources. Not cached: reading the few
    files costs milliseconds, and a process must not outlive an update with an old answer.
    """
    import hashlib

    from ikz_excel import __version__

    h = hashlib.sha256(__version__.encode())
    for ordner in (_PAKET, schemata(), vorlagen()):
        muster = "*.py" if ordner == _PAKET else "**/*"
        for datei in sorted(ordner.glob(muster)):
            if datei.is_file() and "__pycache__" not in datei.parts:
                h.update(datei.relative_to(ordner).as_posix().encode() + b"\0" + datei.read_bytes())
    return h.hexdigest()
