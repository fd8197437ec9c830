"""Floats print as the shortest decimal that reads back as the same Float, written out without
an exponent, with no `.0` on integral values (`4`, `9223372036854776000` for 2^63, `0.0000001`),
`-0` for negative zero, `inf`/`-inf` (stdlib_api §5; Rust's f64 Display). Python's `repr` gives
the same shortest digits, so the model writes `repr(x)` positionally.

The Mesh program prints each Float four ways: interpolated, `String.from`, inside a list, and
`Json.encode` of a one-element list, where Floats take serde_json's layout as the reference
does (`4.0`, `1e-7`, `1.5e300`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import strategies as st
from prop_harness import MODES, Checker, assert_lines, check_property, program

I64 = (-(2**63), 2**63 - 1)


def display(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = format(Decimal(repr(x)), "f")
    return s[:-2] if s.endswith(".0") else s


def json_number(x: float) -> str:
    """serde_json's layout (ryu): positional while the point falls within 16 digits of the
    first one (and no further than 5 places right of it), scientific otherwise."""
    if x == 0:
        return "-0.0" if math.copysign(1, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    digits, exp = _digits(abs(x))
    n, p = len(digits), exp + len(digits)  # the value lies in [10^(p-1), 10^p)
    if n <= p <= 16:
        return f"{sign}{digits}{'0' * (p - n)}.0"
    if 0 < p <= 16:
        return f"{sign}{digits[:p]}.{digits[p:]}"
    if -5 < p <= 0:
        return f"{sign}0.{'0' * -p}{digits}"
    mant = digits if n == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{mant}e{p - 1}"


def _digits(x: float) -> tuple[str, int]:
    """Shortest round-trip digits (no trailing zeros) and exponent: x == int(digits) * 10**exp."""
    sign, ds, exp = Decimal(repr(x)).normalize().as_tuple()
    assert isinstance(exp, int)
    return "".join(map(str, ds)), exp


def line_of(x: float) -> str:
    d = display(x)
    return f"{d}\t{d}\t[{d}]\t[{json_number(x)}]"


POWERS = st.integers(-1074, 1023).map(lambda k: math.ldexp(1.0, k))
NEAR = st.tuples(POWERS | st.sampled_from([2.0**63, 2.0**64, 1e15, 1e16, 1e17, 1e21, 1e-5, 1e-7]),
                 st.integers(-3, 3)).map(lambda p: _step(p[0], p[1]))
FLOATS = st.floats(allow_nan=False, allow_infinity=False) | POWERS | NEAR | st.integers(-(2**70), 2**70).map(float)


def _step(x: float, n: int) -> float:
    for _ in range(abs(n)):
        x = math.nextafter(x, math.inf if n > 0 else -math.inf)
    return x


ROWS = st.one_of(
    FLOATS.map(lambda x: ("f", repr(x), x)),
    st.integers(*I64).map(lambda n: ("i", str(n), float(n))),
    st.integers(2**63 - 5000, 2**63 - 1).map(lambda n: ("i", str(n), float(n))),
)


@pytest.mark.parametrize("mode", MODES)
def test_float_display_matches_model(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("float_display", program("float_display.mpl"))

    def check(batch: list[tuple[str, str, float]]) -> None:
        got = checker.run([f"{kind}\t{text}" for kind, text, _ in batch], mode)
        assert_lines(got, [line_of(x) for _, _, x in batch])

    check_property(st.lists(ROWS, min_size=1, max_size=40), check, mode)


def test_model_examples() -> None:
    assert [display(x) for x in (4.0, 2.0**63, 1e-7, -0.0, 0.1, 1e21, 5e-324)] == [
        "4", "9223372036854776000", "0.0000001", "-0", "0.1", "1000000000000000000000",
        "0." + "0" * 323 + "5"]
    assert [json_number(x) for x in (4.0, 1e15, 1e16, 1.5e17, 0.001, 1e-5, 1.25e-7, -0.0, 1e300, 123.456)] == [
        "4.0", "1000000000000000.0", "1e16", "1.5e17", "0.001", "0.00001", "1.25e-7", "-0.0", "1e300", "123.456"]


def to_ints(x: float) -> str:
    """Float.to_int truncates toward zero; floor/ceil; round halves away from zero."""
    r = math.floor(abs(x) + 0.5) if abs(x) % 1 == 0.5 else round(abs(x))
    return f"{math.trunc(x)} {math.floor(x)} {math.ceil(x)} {int(math.copysign(r, x))}"


# every Float whose conversions all fit in an Int
IN_RANGE = st.floats(min_value=-(2.0**63) + 1024, max_value=2.0**63 - 1024) | st.integers(-10, 10).map(
    lambda n: n / 2)


@pytest.mark.parametrize("mode", MODES)
def test_float_to_int_conversions(build_checker: Any, mode: str) -> None:
    checker: Checker = build_checker("float_display", program("float_display.mpl"))

    def check(batch: list[float]) -> None:
        got = checker.run([f"t\t{x!r}" for x in batch], mode)
        assert_lines(got, [to_ints(x) for x in batch])

    check_property(st.lists(IN_RANGE, min_size=1, max_size=40), check, mode)


def test_float_to_int_out_of_range_saturates(build_checker: Any) -> None:
    checker: Checker = build_checker("float_display", program("float_display.mpl"))
    got = checker.run(["t\t1e19", "t\t-1e19", "t\tinf", "t\tnan"], "normal")
    big, small = str(2**63 - 1), str(-(2**63))
    assert got == [" ".join([big] * 4), " ".join([small] * 4), " ".join([big] * 4), "0 0 0 0"]
