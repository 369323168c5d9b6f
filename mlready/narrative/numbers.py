"""One way to write every number a person reads: shares, counts, scores, times, sizes.

Rules: percentages as "73%" (one decimal only below 10%, "under 0.1%" below that, never "-0%"; a tiny negative share is "0%"); counts with thousands
separators; other numbers with a few significant digits and no trailing zeros ("31.8", "0.42", "1,234"), never
"-0.00"; times in ms below a second, in s below a minute, else in min; sizes in KB/MB/GB. A missing or infinite value
is written "n/a".
"""
from __future__ import annotations

import math
from numbers import Real

NOT_AVAILABLE = "n/a"


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _trim(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: object, digits: int | None = None) -> str:
    """A number for a sentence: 1234.5 -> '1,235'; 31.7627 -> '31.8'; 0.4237 -> '0.42'; -0.001 -> '0'.

    `digits` fixes the decimals (trailing zeros removed); by default they follow the size: none from 100 on,
    one from 10, two below 10, and enough to show two significant digits below 0.1."""
    number_ = _finite(value)
    if number_ is None:
        return NOT_AVAILABLE
    size = abs(number_)
    if digits is None:
        if size >= 100:
            digits = 0
        elif size >= 10:
            digits = 1
        elif size >= 0.1 or size == 0:
            digits = 2
        else:
            digits = min(6, 1 - math.floor(math.log10(size)))
    if size >= 1000:
        return _trim(f"{number_:,.{digits}f}") if digits and size < 10_000 else f"{round(number_):,}"
    return _trim(f"{number_:.{digits}f}")


def count(value: object) -> str:
    """A whole count with thousands separators: 12345 -> '12,345'."""
    number_ = _finite(value)
    return NOT_AVAILABLE if number_ is None else f"{round(number_):,}"


def percent(share: object, digits: int | None = None) -> str:
    """A share (0.234) as a percentage: '23%'; '4.5%' and '99.5%' near the edges; 'under 0.1%' for tiny shares."""
    number_ = _finite(share)
    if number_ is None:
        return NOT_AVAILABLE
    value = number_ * 100
    if digits is None:
        if value != 0 and abs(value) < 0.1:
            return "under 0.1%" if value > 0 else "0%"
        near_edge = abs(value) < 10 or 90 < abs(value) < 100  # 4.5% and 99.5% keep their decimal
        digits = 1 if near_edge and round(value, 1) != round(value) else 0
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return f"{text}%"


def duration(seconds: object) -> str:
    """A time: 0.0153 -> '15 ms'; 1.234 -> '1.2 s'; 200 -> '3 min 20 s'."""
    number_ = _finite(seconds)
    if number_ is None:
        return NOT_AVAILABLE
    if number_ < 1:
        millis = number_ * 1000
        return f"{number(millis, 1 if millis < 10 else 0)} ms"
    if number_ < 60:
        return f"{number(number_, 1)} s"
    minutes, rest = divmod(round(number_), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def milliseconds(value: object) -> str:
    """A time given in milliseconds: 15.3 -> '15 ms'; 2300 -> '2.3 s'."""
    number_ = _finite(value)
    return NOT_AVAILABLE if number_ is None else duration(number_ / 1000)


def size(n_bytes: object) -> str:
    """A size in bytes: 1536 -> '1.5 KB'; 6_500_000 -> '6.2 MB'."""
    number_ = _finite(n_bytes)
    if number_ is None:
        return NOT_AVAILABLE
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if abs(number_) >= scale:
            amount = number_ / scale
            return f"{number(amount, 1 if abs(amount) < 100 else 0)} {unit}"
    return f"{count(number_)} bytes"


def is_number(value: object) -> bool:
    """True for int/float values (not booleans)."""
    return isinstance(value, Real) and not isinstance(value, bool)
