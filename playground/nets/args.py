"""Layer arguments: what each accepts, how it is checked, and how it is described.

One ``Arg`` describes one keyword of a ``torch.nn`` constructor. The same object
parses a student's JSON value, words the refusal, fills the builder's palette and
writes the JSON Schema, so these can never disagree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .errors import Refusal
from .limits import Limits
from .words import describe, number

@dataclass(frozen=True)
class Arg:
    """One accepted keyword of a layer type."""

    name: str
    kind: str  # int, float, bool, choice, int_or_pair; or a block's nested "layers" / "branches"
    default: Any = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()  # for "choice"; for int kinds, words accepted besides numbers
    nullable: bool = False  # null is accepted and means the default (None), e.g. a pool's stride
    size: bool = False  # a typed size: Limits.max_dim caps it further
    above_min: bool = False  # float bound is strict: eps > 0
    explicit: bool = False  # always written in an export, because torch's own default differs
    help: str = ""

    def top(self, limits: Limits) -> float | None:
        """The upper bound in force under these limits."""
        if self.size and self.max is not None:
            return min(self.max, limits.max_dim)
        return self.max

    def wants(self, limits: Limits) -> str:
        """What a good value looks like, as the end of "must be ..."."""
        lo, hi = self.min, self.top(limits)
        if self.kind in ("int", "int_or_pair"):
            words = f"a whole number between {number(lo)} and {number(hi)}"
            words += " or a list of two of them" if self.kind == "int_or_pair" else ""
        elif self.kind == "float" and self.above_min:
            words = f"a number greater than {lo:g} and at most {hi:g}"
        elif self.kind == "float":
            words = f"a number between {lo:g} and {hi:g}"
        elif self.kind == "choice":
            words = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "bool":
            words = "true or false"
        else:
            words = "a list of layers" if self.kind == "layers" else "a list of branches, each a list of layers"
        if self.choices and self.kind != "choice":
            words += ", " + " or ".join(repr(c) for c in self.choices)
        if self.nullable:
            words += " (or null for the default)"
        return words

    def parse(self, value: Any, limits: Limits) -> Any:
        """The value to build with (lists become tuples), or Refusal saying what was wrong."""
        if value is None and self.nullable:
            return None
        if isinstance(value, str) and value in self.choices:
            return value
        if self.kind == "int":
            got = whole(value, self.min, self.top(limits))
        elif self.kind == "int_or_pair":
            got = _int_or_pair(value, self.min, self.top(limits))
        elif self.kind == "float":
            got = _real(value, self.min, self.max, self.above_min)
        elif self.kind == "bool":
            got = value if isinstance(value, bool) else None
        else:
            got = None
        if got is None:
            raise Refusal(f"{self.name} must be {self.wants(limits)}, not {describe(value)}")
        return got

    def palette(self) -> dict[str, Any]:
        """This argument for the builder's palette and the docs."""
        return {"name": self.name, "type": self.kind, "default": self.default,
                "min": self.min, "max": self.max, "choices": list(self.choices) or None,
                "required": self.required}

    def schema(self) -> dict[str, Any]:
        """This argument as JSON Schema."""
        integer = {"type": "integer", "minimum": self.min, "maximum": self.max}
        options = {
            "int": [integer],
            "int_or_pair": [integer, {"type": "array", "items": integer, "minItems": 2, "maxItems": 2}],
            "float": [{"type": "number", "maximum": self.max,
                       ("exclusiveMinimum" if self.above_min else "minimum"): self.min}],
            "bool": [{"type": "boolean"}],
            "choice": [],
            "layers": [{"$ref": "#/$defs/layers"}],
            "branches": [{"type": "array", "items": {"$ref": "#/$defs/layers"},
                          "minItems": self.min, "maxItems": self.max}],
        }[self.kind]
        if self.choices:
            options.append({"enum": list(self.choices)})
        if self.nullable:
            options.append({"type": "null"})
        out: dict[str, Any] = options[0] if len(options) == 1 else {"oneOf": options}
        out = dict(out)
        if not self.required:
            out["default"] = self.default
        if self.help:
            out["description"] = self.help
        return out


def whole(value: Any, lo: float | None, hi: float | None) -> int | None:
    """An int within [lo, hi], or None. Bools are refused; 3.0 is taken as 3, 1.5 is not."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not value.is_integer():  # also false for NaN and infinities
            return None
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return None
    return int(value)


def _int_or_pair(value: Any, lo: float | None, hi: float | None) -> int | tuple[int, int] | None:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            return None
        pair = tuple(whole(v, lo, hi) for v in value)
        return None if None in pair else pair
    return whole(value, lo, hi)


def _real(value: Any, lo: float | None, hi: float | None, above: bool) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if lo is not None and (value <= lo if above else value < lo):
        return None
    if hi is not None and value > hi:
        return None
    return float(value)


# Shorthands that keep the registry entries on one line each.

def Int(name: str, lo: int, hi: int, default: Any = None, **kw: Any) -> Arg:
    return Arg(name, "int", default, min=lo, max=hi, required=default is None and not kw.get("nullable"), **kw)


def IntPair(name: str, lo: int, hi: int, default: Any = None, **kw: Any) -> Arg:
    return Arg(name, "int_or_pair", default, min=lo, max=hi,
               required=default is None and not kw.get("nullable"), **kw)


def Float(name: str, lo: float, hi: float, default: float, **kw: Any) -> Arg:
    return Arg(name, "float", default, min=lo, max=hi, **kw)


def Bool(name: str, default: bool, **kw: Any) -> Arg:
    return Arg(name, "bool", default, **kw)


def Choice(name: str, choices: tuple[str, ...], default: str, **kw: Any) -> Arg:
    return Arg(name, "choice", default, choices=choices, **kw)
