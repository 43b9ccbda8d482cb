"""The package's and the tests' source as merged: nothing defined twice at module level.

After the merge of kausgl15, berichte.py had two `_wert_text`: the Kostenausgleich's
(`kopf, wert`) and, further down, the Prüfbericht's (`wert`). Python keeps the later one, so
every Korrektur copy with a figure whose Kommune the return leaves open (names swapped or
moved by a row) failed with a TypeError, only a Warnung in the console. ruff's F811 does not
see it: the first one is used before the second is defined. A test defined twice runs once.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

WURZEL = Path(__file__).resolve().parent.parent
DATEIEN = sorted([*(WURZEL / "ikz_excel").glob("*.py"), *(WURZEL / "tests").glob("*.py")])


@pytest.mark.parametrize("datei", DATEIEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nichts_zweimal_definiert(datei: Path) -> None:
    baum = ast.parse(datei.read_text(encoding="utf-8"))
    namen = Counter(
        n.name
        for n in baum.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )
    assert not [n for n, anzahl in namen.items() if anzahl > 1]
