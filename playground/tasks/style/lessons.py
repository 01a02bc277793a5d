"""The Style page's lessons: presets side by side and what to look for in them.

Presets are partial configurations over the task's defaults, read by the page from
``GET /api/tasks`` (the Style task's ``catalogue``); a renamed field fails a test.
"""
from __future__ import annotations

from typing import Any

ALL_STYLE = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]

LESSONS: list[dict[str, Any]] = [
    {
        "title": "Content, style, and both",
        "explanation": "Started from noise, the content loss alone rebuilds the picture's shapes from what the "
                       "network sees at conv2_2 (deeper layers keep less of the detail); the style loss alone paints "
                       "the style's colours and strokes everywhere, with no shapes at all. Together they paint the "
                       "scene in the style.",
        "presets": [
            {"id": "content-only", "label": "Content only",
             "config": {"init": "noise", "content_layers": ["conv2_2"], "style_layers": [], "tv_weight": 1.0,
                        "iterations": 150}},
            {"id": "style-only", "label": "Style only",
             "config": {"init": "noise", "content_layers": [], "style_layers": ALL_STYLE, "tv_weight": 1.0,
                        "iterations": 150}},
            {"id": "both", "label": "Both",
             "config": {"init": "content", "content_layers": ["conv4_2"], "style_layers": ALL_STYLE,
                        "iterations": 150}},
        ],
    },
    {
        "title": "What each layer captures",
        "explanation": "Gram matrices of the first layers match colours and fine grain; deeper layers see larger "
                       "patterns, so matching them brings whole strokes and motifs across.",
        "presets": [
            {"id": "shallow-style", "label": "Shallow style layers",
             "config": {"init": "content", "style_layers": ["conv1_1", "conv2_1"], "iterations": 150}},
            {"id": "deep-style", "label": "Deep style layers",
             "config": {"init": "content", "style_layers": ["conv3_1", "conv4_1", "conv5_1"], "iterations": 150}},
        ],
    },
    {
        "title": "Keep the colours",
        "explanation": "Matching luminance only transfers the style's strokes and contrast while the content "
                       "keeps its own colours.",
        "presets": [
            {"id": "colour-style", "label": "Style's colours", "config": {"preserve_colour": False}},
            {"id": "colour-content", "label": "Content's colours", "config": {"preserve_colour": True}},
        ],
    },
]
