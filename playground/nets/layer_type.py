"""What the registry knows about one layer type.

A layer type is data plus small functions of its parsed arguments ``a`` and its input
shape ``s`` (without the batch): the output shape, the parameter count, the
multiply-accumulates, and the keyword arguments of its ``torch.nn`` constructor.
Building and exporting both go through ``torch_args``, so the module a student trains
and the script they download are the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .args import Arg
from .shapes import Shape

Args = dict[str, Any]


def same_shape(a: Args, s: Shape) -> Shape:
    return s


def no_params(a: Args, s: Shape) -> int:
    return 0


def no_macs(a: Args, s: Shape, out: Shape) -> int:
    return 0


def given_args(a: Args, s: Shape) -> Args:
    return dict(a)


def no_check(a: Args) -> None:
    return None


@dataclass(frozen=True)
class LayerType:
    """One entry of the registry, named as in torch.nn."""

    name: str
    category: str  # dense, conv, pool, norm, regularisation, recurrent, activation, block...
    description: str  # one line, for the palette and the docs
    args: tuple[Arg, ...] = ()
    shape: Callable[[Args, Shape], Shape] = same_shape  # raises Refusal for an input it cannot take
    params: Callable[[Args, Shape], int] = no_params
    macs: Callable[[Args, Shape, Shape], int] = no_macs
    torch_args: Callable[[Args, Shape], Args] = given_args
    check: Callable[[Args], None] = no_check  # refuses argument combinations, whatever the input
    inferred: tuple[str, ...] = ()  # torch arguments worked out from the input, refused if typed
    wrapper: str | None = None  # a class from modules.py that wraps (or, for blocks, assembles) it
    takes_tokens: bool = False  # reads token ids (a long input) rather than real numbers
    from_input: Callable[[Args, int], Args] | None = None  # fills arguments from the input's vocab_size
    # blocks: how the nested stacks' outputs combine; returns the output shape and the
    # projection layer (a spec such as {"type": "Conv2d", ...}) the block needs, if any
    combine: Callable[[Shape, list[Shape]], tuple[Shape, dict | None]] | None = None

    @property
    def nested(self) -> Arg | None:
        """A block's argument that holds its nested layers ("layers" or "branches")."""
        return next((a for a in self.args if a.kind in ("layers", "branches")), None)

    def arg(self, name: Any) -> Arg | None:
        return next((a for a in self.args if a.name == name), None)
