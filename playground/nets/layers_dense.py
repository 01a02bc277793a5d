"""Fully connected layers, flattening and embeddings."""
from __future__ import annotations

from .args import Bool, Int
from .errors import Refusal
from .layer_type import LayerType
from .shapes import numel
from .words import describe, number, what


def _linear_shape(a, s):
    if len(s) > 2:
        raise Refusal(f"receives {what(s)}; add a Flatten layer before it "
                      f"(it turns the volume into {number(numel(s))} values)")
    return s[:-1] + (a["out_features"],)


def _flatten_shape(a, s):
    rank = len(s) + 1  # torch counts the batch as dimension 0
    at = {}
    for name in ("start_dim", "end_dim"):
        d = a[name] + rank if a[name] < 0 else a[name]
        if not 0 <= d < rank:
            raise Refusal(f"{name} {a[name]} does not exist: with the batch, its input has {rank} dimensions")
        at[name] = d
    start, end = at["start_dim"], at["end_dim"]
    if start > end:
        raise Refusal(f"start_dim {a['start_dim']} comes after end_dim {a['end_dim']}")
    full = (1,) + s
    return full[1:start] + (numel(full[start:end + 1]),) + full[end + 1:]


def _embedding_from_input(a, vocab):
    n = a["num_embeddings"] if a["num_embeddings"] is not None else vocab
    if n < vocab:
        raise Refusal(f"num_embeddings {n} is smaller than the input's vocab_size {vocab}: "
                      f"token ids up to {vocab - 1} would have no vector")
    pad = a["padding_idx"]
    if pad is not None and not -n <= pad < n:
        raise Refusal(f"padding_idx {describe(pad)} must be between {-n} and {n - 1}")
    return {**a, "num_embeddings": n}


def _one_hot_from_input(a, vocab):
    n = a["num_classes"] if a["num_classes"] is not None else vocab
    if n < vocab:
        raise Refusal(f"num_classes {n} is smaller than the input's vocab_size {vocab}: "
                      f"token ids up to {vocab - 1} would have no place")
    return {**a, "num_classes": n}


LAYERS = (
    LayerType(
        "Linear", "dense", "Fully connected: every output is a weighted sum of all inputs plus a bias.",
        (Int("out_features", 1, 4096, size=True), Bool("bias", True)),
        shape=_linear_shape,
        params=lambda a, s: s[-1] * a["out_features"] + a["out_features"] * a["bias"],
        macs=lambda a, s, out: numel(out) * s[-1],
        torch_args=lambda a, s: {"in_features": s[-1], **a},
        inferred=("in_features",),
    ),
    LayerType(
        "Flatten", "reshape", "Lays a volume out as one long vector, ready for Linear layers.",
        (Int("start_dim", 1, 3, 1), Int("end_dim", -4, 3, -1)),
        shape=_flatten_shape,
    ),
    LayerType(
        "Embedding", "embedding", "Looks up a learned vector for each token id of a sequence.",
        (Int("num_embeddings", 1, 1_000_000, nullable=True, help="defaults to the input's vocab_size"),
         Int("embedding_dim", 1, 2048, size=True),
         Int("padding_idx", -1_000_000, 1_000_000, nullable=True)),
        shape=lambda a, s: s + (a["embedding_dim"],),
        params=lambda a, s: a["num_embeddings"] * a["embedding_dim"],
        takes_tokens=True,
        from_input=_embedding_from_input,
    ),
    LayerType(
        "OneHot", "embedding", "Turns each token id into a vector of zeros with a single one: nothing to learn.",
        (Int("num_classes", 1, 4096, nullable=True, help="defaults to the input's vocab_size"),),
        shape=lambda a, s: s + (a["num_classes"],),
        takes_tokens=True,
        from_input=_one_hot_from_input,
    ),
)
