"""The input of a network: one example's shape, of real numbers or of token ids."""
from __future__ import annotations

from typing import Any

from .args import whole
from .limits import Limits
from .shapes import Shape, numel
from .words import describe, number

MAX_VOCAB = 1_000_000
Flow = tuple[Shape, "int | None"]  # what reaches a layer: its shape, and the vocabulary size for token ids


def read_input(value: Any, limits: Limits) -> tuple[Flow | None, list[str]]:
    """What the first layer receives, or None and every problem with the input."""
    if not isinstance(value, dict):
        return None, [f'the input must be an object such as {{"shape": [1, 28, 28]}}, not {describe(value)}']
    problems = [f"the input has no field {describe(key)}; its fields are shape, dtype and vocab_size"
                for key in value if key not in ("shape", "dtype", "vocab_size")]
    dtype = value.get("dtype", "float")
    if not isinstance(dtype, str) or dtype not in ("float", "long"):
        return None, problems + [f"the input's dtype must be 'float' (numbers) or 'long' (token ids), "
                                 f"not {describe(dtype)}"]
    shape = _shape(value.get("shape"), dtype, limits, problems)
    vocab = None
    if dtype == "long":
        vocab = whole(value.get("vocab_size"), 1, MAX_VOCAB)
        if vocab is None:
            problems.append("a long input (token ids) needs vocab_size, how many different tokens there are: "
                            f"a whole number between 1 and {number(MAX_VOCAB)}, "
                            f"not {describe(value.get('vocab_size'))}")
    elif "vocab_size" in value:
        problems.append('vocab_size belongs to token inputs; add "dtype": "long" or leave it out')
    return (None if problems else (shape, vocab)), problems


def _shape(shape: Any, dtype: str, limits: Limits, problems: list[str]) -> Shape:
    ranks, wanted = ((1,), "one whole number, the sequence length, such as [64]") if dtype == "long" else (
        (1, 2, 3), "1 to 3 whole numbers, such as [1, 28, 28] or [2]")
    if not isinstance(shape, list) or len(shape) not in ranks:
        problems.append(f"the input's shape must be a list of {wanted}, not {describe(shape)}")
        return ()
    sizes = tuple(whole(d, 1, limits.max_dim) for d in shape)
    problems += [f"entry {i + 1} of the input's shape must be a whole number between 1 and {limits.max_dim}, "
                 f"not {describe(d)}" for i, (size, d) in enumerate(zip(sizes, shape)) if size is None]
    if None not in sizes and numel(sizes) > limits.max_input_elements:
        problems.append(f"the input holds {number(numel(sizes))} values per example; "
                        f"the limit is {number(limits.max_input_elements)}")
    return sizes
