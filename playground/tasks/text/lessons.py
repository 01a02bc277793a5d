"""The Text page's lessons: two presets side by side and two sentences on what to look for.

Presets are partial configurations over the task's defaults (``config.py``); the page,
share links and assignments read them from ``GET /api/tasks`` (the task's catalogue).
"""
from __future__ import annotations

from typing import Any

from playground.tasks.text.config import lstm_net


def one_layer(kind: str, hidden: int, embedding: int = 16, **extra: Any) -> list[dict[str, Any]]:
    return [{"type": "Embedding", "embedding_dim": embedding}, {"type": kind, "hidden_size": hidden, **extra}]


BRACKETS = {"corpus": "brackets", "seq_len": 64, "batch_size": 32, "steps": 800, "learning_rate": 0.005,
            "eval_every": 100, "sample_every": 200, "sample_length": 160}

LONG_RELU = {"corpus": "sentences", "net": one_layer("RNN", 128, nonlinearity="relu"), "seq_len": 200,
             "batch_size": 16, "steps": 200, "learning_rate": 0.01, "schedule": "constant", "eval_every": 50,
             "sample_every": 50, "report_every": 10}

LESSONS: list[dict[str, Any]] = [
    {
        "title": "Long memory needs gates",
        "explanation": "Each closing bracket matches one opened 10 to 30 characters before. A plain RNN's memory "
                       "and gradient fade at every step back, so it learns the runs of letters but guesses the "
                       "closing brackets; an LSTM's cell carries the open brackets along: its loss falls below "
                       "the RNN's, and its samples close what they opened.",
        "presets": [
            {"id": "rnn-brackets", "label": "Plain RNN on brackets",
             "config": {**BRACKETS, "net": one_layer("RNN", 64)}},
            {"id": "lstm-brackets", "label": "LSTM on brackets",
             "config": {**BRACKETS, "net": one_layer("LSTM", 64)}},
        ],
    },
    {
        "title": "The classic char-rnn",
        "explanation": "Two stacked LSTM layers reading Python's source soon indent, open and close brackets and "
                       "spell keywords. A GRU has fewer gates and weights, and often keeps up with it.",
        "presets": [
            {"id": "lstm-classic", "label": "2-layer LSTM",
             "config": {"corpus": "python", "net": lstm_net(128, 2, 32, 0.1), "steps": 1000}},
            {"id": "gru-classic", "label": "2-layer GRU",
             "config": {"corpus": "python", "net": [{"type": "Embedding", "embedding_dim": 32},
                                                    {"type": "GRU", "hidden_size": 128, "num_layers": 2,
                                                     "dropout": 0.1}], "steps": 1000}},
        ],
    },
    {
        "title": "Clipping gradients on long sequences",
        "explanation": "Back-propagating through 200 steps of a ReLU RNN multiplies the gradient by the same weights "
                       "again and again, and now and then it leaps. Unclipped, those leaps knock the weights about; "
                       "clipped at norm 1, every step stays a small one and the loss ends lower. Compare the "
                       "gradient norms.",
        "presets": [
            {"id": "rnn-unclipped", "label": "ReLU RNN, no clipping",
             "config": {**LONG_RELU, "grad_clip": 0}},
            {"id": "rnn-clipped", "label": "Clipped at 1",
             "config": {**LONG_RELU, "grad_clip": 1}},
        ],
    },
    {
        "title": "Hidden state carried across batches",
        "explanation": "Each stream is read in order, so the state at the end of one batch is the right start for "
                       "the next: carried (and detached), it remembers past the sequence length. Reset to zeros, "
                       "every sequence starts blind and the loss stays higher.",
        "presets": [
            {"id": "lstm-carry", "label": "State carried",
             "config": {**BRACKETS, "seq_len": 16, "steps": 600, "net": one_layer("LSTM", 64), "carry_state": True}},
            {"id": "lstm-reset", "label": "State reset",
             "config": {**BRACKETS, "seq_len": 16, "steps": 600, "net": one_layer("LSTM", 64), "carry_state": False}},
        ],
    },
]
