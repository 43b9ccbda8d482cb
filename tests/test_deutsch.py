"""German number text: one writer for messages, console and help texts."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ikz_excel import deutsch
from ikz_excel.einlesen import zahl_aus_text


def test_zahl_wie_im_text() -> None:
    assert deutsch.zahl(Decimal("1234.50")) == "1234,5"
    assert deutsch.zahl(2013) == "2013"
    assert deutsch.zahl(19650) == "19.650"
    assert deutsch.zahl(0.031) == "0,031"
    assert deutsch.zahl(Decimal("-1234567.891")) == "-1.234.567,891"
    assert deutsch.zahl(Decimal("5E+3")) == "5000"
    assert deutsch.zahl(float("inf")) == "inf"
    assert deutsch.zahl(Decimal("NaN")) == "NaN"


def test_euro_gruppiert_ab_tausend() -> None:
    assert deutsch.euro(Decimal("237302.4")) == "237.302 €"
    assert deutsch.euro(Decimal("1234.565"), stellen=2) == "1.234,57 €"  # half up, as Excel
    assert deutsch.euro(Decimal("-0.005"), stellen=2) == "-0,01 €"
    assert deutsch.euro(Decimal("-999.5")) == "-1.000 €"
    assert deutsch.euro(0, stellen=2) == "0,00 €"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_was_geschrieben_wird_liest_einlesen_zurueck(wert: Decimal) -> None:
    # Whole numbers grouped as "12.345" are refused where a decimal could be meant (1,2345?):
    # in a whole-number column they read back.
    text = deutsch.zahl(wert)
    gelesen = zahl_aus_text(text, ganzzahlig=wert == wert.to_integral_value())
    assert gelesen.fehler is None, text
    assert gelesen.wert == wert


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_euro_liest_einlesen_zurueck(wert: Decimal) -> None:
    gelesen = zahl_aus_text(deutsch.euro(wert, stellen=2))
    assert gelesen.fehler is None
    assert gelesen.wert == wert


def test_prozentgrenzen_aus_yaml_ohne_binaerrest() -> None:
    from ikz_excel import deutsch

    # A share from YAML is a float: 0.29 * 100 is 28.999999999999996 and 0.07 * 100 is
    # 7.000000000000001 (0.15 and 0.031 happen to give exactly 15 and 3.1).
    assert deutsch.prozent(0.29) == "29 %"
    assert deutsch.prozent(0.07) == "7 %"
    assert deutsch.prozent(0.15) == "15 %"
    assert deutsch.prozent(0.031) == "3,1 %"


def test_systemfehler_auf_deutsch(tmp_path: Path) -> None:
    """`ikz init -a DATEI` said "File exists" / "Not a directory" (found in review)."""
    from ikz_excel.dateien import grund

    datei = tmp_path / "keinordner"
    datei.write_text("x")
    with pytest.raises(OSError) as kein_ordner:
        (datei / "unter").mkdir()
    assert grund(kein_ordner.value) == "ein Teil des Pfades ist eine Datei, kein Ordner"
    with pytest.raises(OSError) as gibt_es:
        datei.mkdir()
    assert grund(gibt_es.value) == "eine Datei dieses Namens gibt es schon"
    assert grund(OSError(9999, "Something odd")) == "Something odd"


#: Figures as the reader hands them on: ints of any size, every finite float, Decimals of
#: up to 40 digits (exponents bounded: 1E+999999 would be a megabyte of zeros).
_ZAHLEN = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.builds(
        lambda m, e: Decimal(f"{m}E{e}"), st.integers(-(10**40), 10**40), st.integers(-40, 40)
    ),
)


def _zurueck(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@given(_ZAHLEN)
@example(10**30 + 1)
@example(Decimal("123456789012345678901234567890.5"))
def test_zahl_verliert_keine_ziffer(wert: int | float | Decimal) -> None:
    """Review of the Prüfbericht's column Wert (deutsch.zahl): 10**30 + 1 came out as
    "1.000.000.000.000.000.000.000.000.000.000", rounded to Python's 28 digits."""
    genau = Decimal(repr(wert)) if isinstance(wert, float) else Decimal(wert)
    assert _zurueck(deutsch.zahl(wert)) == genau


@given(_ZAHLEN, st.integers(0, 4))
@example(Decimal("1E+40"), 2)
def test_zahl_gerundet_stuerzt_nicht_ab(wert: int | float | Decimal, stellen: int) -> None:
    """quantize() in the default context raised InvalidOperation from 28 digits on
    (deutsch.euro(Decimal("1E+40"), 2))."""
    genau = Decimal(repr(wert)) if isinstance(wert, float) else Decimal(wert)
    text = deutsch.zahl(wert, stellen)
    assert abs(_zurueck(text) - genau) <= Decimal(1).scaleb(-stellen) / 2
    assert len(text.partition(",")[2]) == stellen
