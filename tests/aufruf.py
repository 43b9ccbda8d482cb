"""`ikz ARGS` run through the real entry point, as the console script runs it, for tests."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass

import pytest
import typer.rich_utils

from ikz_excel import cli


@dataclass
class Lauf:
    code: int
    aus: str
    fehler: str

    @property
    def text(self) -> str:
        """stdout and stderr with rich's line breaks undone."""
        return " ".join((self.aus + "\n" + self.fehler).split())

    @property
    def fehlertext(self) -> str:
        """stderr with rich's line breaks undone."""
        return " ".join(self.fehler.split())


def ikz_aufrufen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> Lauf:
    """Wide console, no terminal colours: the messages are compared as text."""
    monkeypatch.setattr(sys, "argv", ["ikz", *args])
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(typer.rich_utils, "FORCE_TERMINAL", False)
    capsys.readouterr()
    with pytest.raises(SystemExit) as ende:
        cli.main()
    ausgabe = capsys.readouterr()
    code = ende.value.code
    return Lauf(0 if code is None else int(code), ausgabe.out, ausgabe.err)


def ikz(*args: str) -> Lauf:
    """`ikz ARGS` through `cli.main` in this process, without pytest's fixtures: for tests that
    run several commands in a row or inside helpers."""
    aus, fehler = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", "200")
        mp.setattr(typer.rich_utils, "FORCE_TERMINAL", False)
        mp.setattr(sys, "argv", ["ikz", *args])
        with (
            contextlib.redirect_stdout(aus),
            contextlib.redirect_stderr(fehler),
            pytest.raises(SystemExit) as ende,
        ):
            cli.main()
    code = ende.value.code
    return Lauf(0 if code is None else int(code), aus.getvalue(), fehler.getvalue())
