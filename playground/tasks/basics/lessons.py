"""The Basics page's lessons: two presets side by side and two sentences on what to look for.

Presets are partial configurations over the task's defaults, kept here beside the
configuration they change, so that a renamed field fails a test instead of
silently dropping out of a preset. The page, share links and assignments all
read them from ``GET /api/tasks`` (the Basics task's ``catalogue``).
"""
from __future__ import annotations

from typing import Any

ALL_FEATURES = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
OVERFIT_DATA = {"dataset": "gaussian", "noise": 50, "n_points": 100, "train_ratio": 30, "features": ALL_FEATURES,
                "hidden": [8, 8, 8], "activation": "relu", "epochs": 500}

LESSONS: list[dict[str, Any]] = [
    {
        "title": "XOR needs a hidden layer",
        "explanation": "A single perceptron draws one straight line, and no straight line separates XOR's opposite "
                       "corners. One hidden layer of a few neurons bends the boundary and solves it.",
        "presets": [
            {"id": "perceptron-xor", "label": "Perceptron on XOR",
             "config": {"dataset": "xor", "features": ["x1", "x2"], "hidden": [], "activation": "tanh", "epochs": 100}},
            {"id": "hidden-xor", "label": "One hidden layer",
             "config": {"dataset": "xor", "features": ["x1", "x2"], "hidden": [4], "activation": "tanh", "epochs": 100}},
        ],
    },
    {
        "title": "The spiral needs depth or the right features",
        "explanation": "With only x₁ and x₂ a network must build the spiral's curves itself, which takes several "
                       "layers and many epochs. Give it sin features and one small layer bends the plane almost at once.",
        "presets": [
            {"id": "spiral-deep", "label": "Deep, plain inputs",
             "config": {"dataset": "spiral", "features": ["x1", "x2"], "hidden": [8, 8, 6], "activation": "tanh",
                        "learning_rate": 0.03, "epochs": 300}},
            {"id": "spiral-features", "label": "Shallow, more features",
             "config": {"dataset": "spiral", "features": ["x1", "x2", "x1sq", "x2sq", "sinx1", "sinx2"], "hidden": [6],
                        "activation": "tanh", "learning_rate": 0.03, "epochs": 300}},
        ],
    },
    {
        "title": "Deep sigmoid stacks learn slowly",
        "explanation": "Sigmoid's slope is at most a quarter, so gradients shrink layer after layer and the first "
                       "layers barely move: watch the gradient norms. ReLU passes gradients through unchanged where "
                       "it is active, and the same deep stack learns.",
        "presets": [
            {"id": "deep-sigmoid", "label": "Six sigmoid layers",
             "config": {"dataset": "circle", "features": ["x1", "x2"], "hidden": [6] * 6, "activation": "sigmoid",
                        "optimizer": "sgd", "learning_rate": 0.1, "epochs": 150}},
            {"id": "deep-relu", "label": "Six ReLU layers",
             "config": {"dataset": "circle", "features": ["x1", "x2"], "hidden": [6] * 6, "activation": "relu",
                        "optimizer": "sgd", "learning_rate": 0.1, "epochs": 150}},
        ],
    },
    {
        "title": "Overfitting, and L2 to fix it",
        "explanation": "A big network trained on a few noisy points learns the noise: its training loss keeps falling "
                       "while the test loss turns back up. An L2 penalty keeps the weights small, the boundary smooth, "
                       "and the two curves together.",
        "presets": [
            {"id": "overfit", "label": "Overfit noisy data",
             "config": {**OVERFIT_DATA, "regularization": "none", "regularization_rate": 0}, "ui": {"showTest": True}},
            {"id": "overfit-l2", "label": "Same with L2",
             "config": {**OVERFIT_DATA, "regularization": "l2", "regularization_rate": 0.03}, "ui": {"showTest": True}},
        ],
    },
]
