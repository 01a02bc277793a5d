"""How values, numbers and shapes are written in messages to students.

Every function here is total: it never raises, whatever JSON-like value it is given,
because it runs while reporting someone else's mistake.
"""
from __future__ import annotations

import math
from typing import Any

_DIGITS = 30  # past this an int's digits are noise to a reader (and str() may refuse)


def describe(value: Any, depth: int = 0) -> str:
    """A short JSON-style rendering of a value a student typed: 'six', true, null, [3, 5]."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**_DIGITS else f"a number with more than {_DIGITS} digits"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 24 else value[:24] + "…")
    if isinstance(value, (list, tuple)):
        if depth >= 2:
            return "[…]"
        items = [describe(v, depth + 1) for v in value[:4]]
        return "[" + ", ".join(items + (["…"] if len(value) > 4 else [])) + "]"
    if isinstance(value, dict):
        if depth >= 2:
            return "{…}"
        items = [f"{describe(k, 2)}: {describe(v, depth + 1)}" for k, v in list(value.items())[:3]]
        return "{" + ", ".join(items + (["…"] if len(value) > 3 else [])) + "}"
    return f"a {type(value).__name__}"


def number(n: int) -> str:
    """61,706 and 25,000,000 for counts; small numbers stay plain (2048, not 2,048)."""
    return f"{n:,}" if abs(n) >= 10_000 else str(n)


def dims(shape: tuple[int, ...]) -> str:
    """16 × 5 × 5."""
    return " × ".join(str(d) for d in shape)


def what(shape: tuple[int, ...]) -> str:
    """What a layer receives, in words: a vector of 10 values, a 5 × 12 input, a 16 × 5 × 5 volume."""
    if len(shape) == 1:
        return f"a vector of {number(shape[0])} values"
    if len(shape) == 3:
        return f"a {dims(shape)} volume"
    return f"a {dims(shape)} input"


def typed(value: Any) -> str:
    """An argument value as the student wrote it: 5, [3, 5] or 'same'."""
    if isinstance(value, tuple):
        return "[" + ", ".join(typed(v) for v in value) + "]"
    return describe(value)


def nbytes(n: int) -> str:
    """A memory size: 600 MiB, 1.5 GiB."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
