"""The Text page's configuration: a corpus, the layers between characters and the decoder, and truncated BPTT.

``net`` is the middle of the network only: the input (``seq_len`` token ids below the
corpus's vocabulary size) and the decoder (a Linear layer to one score per character)
are the task's, so a student's stack always fits the corpus it is trained on.
"""
from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from playground.data.corpora import CORPORA
from playground.data.uploads import reference_id
from playground.tasks.base import TaskConfig
from playground.tasks.optim import OptimizerName
from playground.tasks.schedules import ScheduleName

MAX_SEED = 2**32 - 1
RECURRENT = ("RNN", "LSTM", "GRU")
# Layers that keep one vector per time step, so the decoder scores every next character.
LAYER_TYPES = ("Embedding", "OneHot", *RECURRENT, "Dropout", "LayerNorm", "Linear",
               "ReLU", "Tanh", "GELU", "SiLU", "LeakyReLU", "Sigmoid")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("text_config", message)


def lstm_net(hidden: int = 128, layers: int = 2, embedding: int = 32, dropout: float = 0.1) -> list[dict[str, Any]]:
    return [{"type": "Embedding", "embedding_dim": embedding},
            {"type": "LSTM", "hidden_size": hidden, "num_layers": layers, "dropout": dropout if layers > 1 else 0.0}]


class TextConfig(TaskConfig):
    """One Text run; the defaults train the classic 2-layer LSTM on Python's source."""

    corpus: str = Field("python", max_length=40, description="What to learn to write: " + ", ".join(CORPORA)
                        + ", or an upload of kind text as \"upload:<id>\".")
    val_fraction: float = Field(0.1, ge=0.01, le=0.5, description="The last part of the text kept to validate on.")
    net: list[dict[str, Any]] = Field(
        default_factory=lstm_net, min_length=1, max_length=12,
        description="The layers between the characters and the decoder: an Embedding (or OneHot) first, then RNN, "
                    "LSTM or GRU layers (with dropout between stacked ones). A Linear decoder to one score per "
                    "character follows.")
    seq_len: int = Field(64, ge=4, le=512, description="Characters per training sequence: how far back gradients "
                                                       "flow (truncated back-propagation through time).")
    batch_size: int = Field(32, ge=1, le=512, description="Parallel streams through the text, each read in order.")
    steps: int = Field(1000, ge=1, le=100_000, description="Optimiser steps to train (when continuing: this many more).")
    optimizer: OptimizerName = Field("adam", description="The optimiser.")
    learning_rate: float = Field(0.003, gt=0, le=1, description="Step size of the optimiser.")
    schedule: ScheduleName = Field("cosine", description="How the learning rate changes over the run.")
    weight_decay: float = Field(0.0, ge=0, le=0.1, description="Weight decay (L2 for Adam) on the weight matrices.")
    grad_clip: float = Field(5.0, ge=0, le=100, description="Largest norm of all gradients together; 0 to not clip.")
    carry_state: bool = Field(True, description="Carry each stream's hidden state from one batch to the next "
                                                "(detached); off: start every sequence from zeros.")
    report_every: int = Field(20, ge=1, le=10_000, description="Steps between training-loss reports.")
    eval_every: int = Field(100, ge=1, le=100_000, description="Steps between validation-loss reports.")
    eval_characters: int = Field(50_000, ge=1000, le=2_000_000, description="Characters of the validation text "
                                                                            "read at each validation.")
    sample_every: int = Field(200, ge=1, le=100_000, description="Steps between generated samples.")
    sample_length: int = Field(200, ge=10, le=2000, description="Characters in each sample generated while training.")
    sample_temperature: float = Field(0.8, ge=0, le=2, description="Temperature of those samples: lower is safer, "
                                                                   "higher more varied; 0 always takes the likeliest.")
    checkpoint_every: int = Field(500, ge=10, le=100_000, description="Steps between saved checkpoints (one is saved at least every 5 seconds too).")
    # Off by default: on an H200 the 2-layer, 128-unit LSTM trained 1.4x faster in float32 than under
    # bfloat16 autocast (bench/text.py); networks this small wait on kernel launches, not arithmetic.
    mixed_precision: bool = Field(False, description="bfloat16 autocast on a GPU that supports it: for large networks; "
                                                      "small recurrent ones train faster without it.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the initial weights and of the samples.")

    @field_validator("corpus")
    @classmethod
    def _known_corpus(cls, corpus: str) -> str:
        if corpus not in CORPORA and reference_id(corpus) is None:
            raise _refuse(f"There is no corpus {corpus!r}; choose one of {', '.join(CORPORA)}, or an upload "
                          "as \"upload:<id>\".")
        return corpus

    @field_validator("net")
    @classmethod
    def _forward_only(cls, net: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, layer in enumerate(net):
            kind = layer.get("type") if isinstance(layer, dict) else None
            if isinstance(kind, str) and kind not in LAYER_TYPES:
                raise _refuse(f"Layer {index + 1} ({kind}) does not keep one vector per character, which the "
                              f"decoder needs; a text network uses {', '.join(LAYER_TYPES)}.")
            if kind in RECURRENT and layer.get("bidirectional") is True:
                raise _refuse(f"Layer {index + 1} ({layer['type']}) is bidirectional: it would read the characters "
                              "it must predict. A model that writes reads left to right only.")
        return net
