"""Recurrent layers: RNN, LSTM and GRU, read over a sequence one time step at a time."""
from __future__ import annotations

from .args import Bool, Choice, Float, Int
from .errors import Refusal
from .layer_type import LayerType
from .words import what

_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}  # weight blocks per layer and direction


def _shape(a, s):
    if len(s) != 2:
        raise Refusal(f"needs a sequence (time steps × features) but receives {what(s)}; "
                      "an Embedding layer turns token ids into one")
    return (s[0], a["hidden_size"] * (2 if a["bidirectional"] else 1))


def _check(a):
    if a["dropout"] and a["num_layers"] == 1:
        raise Refusal("dropout acts only between stacked layers; set num_layers to 2 or more, "
                      "or add a Dropout layer after it")


def _weights(name: str):
    """Per layer: input and hidden weights for each gate, for each direction."""
    def count(a, s, with_bias: bool) -> int:
        gates, hidden = _GATES[name], a["hidden_size"]
        directions = 2 if a["bidirectional"] else 1
        total = 0
        for layer in range(a["num_layers"]):
            inputs = s[1] if layer == 0 else hidden * directions
            total += gates * hidden * (inputs + hidden + (2 if with_bias and a["bias"] else 0))
        return total * directions
    return count


def _recurrent(name: str, description: str) -> LayerType:
    weights = _weights(name)
    extra = (Choice("nonlinearity", ("tanh", "relu"), "tanh"),) if name == "RNN" else ()
    return LayerType(
        name, "recurrent", description,
        (Int("hidden_size", 1, 2048, size=True), Int("num_layers", 1, 8, 1), *extra, Bool("bias", True),
         Float("dropout", 0, 1, 0.0), Bool("bidirectional", False)),
        shape=_shape, check=_check,
        params=lambda a, s: weights(a, s, True),
        macs=lambda a, s, out: s[0] * weights(a, s, False),
        # batch_first: every tensor in LayerLab has the batch first
        torch_args=lambda a, s: {"input_size": s[1], **a, "batch_first": True},
        inferred=("input_size",),
        wrapper="SequenceOutput",
    )


LAYERS = (
    _recurrent("RNN", "A plain recurrent layer: each step mixes the input with the previous hidden state."),
    _recurrent("LSTM", "Long short-term memory: gates decide what to keep, forget and output at each step."),
    _recurrent("GRU", "Gated recurrent unit: a lighter LSTM with update and reset gates."),
)
