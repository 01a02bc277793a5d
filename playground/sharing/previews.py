"""Link-preview pictures (1200 × 630 PNG) drawn with Pillow: a network's layers, or a run's loss curves.

No Django here: callers pass what to draw.
"""
from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
BACKGROUND = (250, 250, 247)
INK = (32, 36, 44)
MUTED = (110, 116, 128)
LAYER_COLOURS = {"Linear": (66, 133, 200), "Conv2d": (232, 139, 52), "LSTM": (146, 98, 196), "GRU": (146, 98, 196),
                 "RNN": (146, 98, 196), "Embedding": (60, 160, 120)}
OTHER_LAYER = (150, 156, 168)
SPLIT_COLOURS = {"train": (240, 140, 40), "test": (40, 110, 200), "val": (40, 110, 200)}


def font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _frame(title: str, subtitle: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((48, 36), title[:70], fill=INK, font=font(44))
    draw.text((48, 94), subtitle[:110], fill=MUTED, font=font(24))
    draw.text((SIZE[0] - 48, SIZE[1] - 30), "LayerLab", fill=MUTED, font=font(22), anchor="rs")
    return image, draw


def network_picture(title: str, subtitle: str, layers: list[dict[str, Any]]) -> bytes:
    """One box per top-level layer, left to right, with its type and output shape."""
    image, draw = _frame(title, subtitle)
    rows = [row for row in layers if "." not in row["path"]][:12]
    if not rows:
        draw.text((48, 300), "no layers", fill=MUTED, font=font(30))
        return png(image)
    gap, left, right = 14, 48, SIZE[0] - 48
    width = (right - left - gap * (len(rows) - 1)) / len(rows)
    biggest = max(max(row["params"], 1) for row in rows)
    for i, row in enumerate(rows):
        x0 = left + i * (width + gap)
        height = 120 + 220 * math.log1p(row["params"]) / math.log1p(biggest) if row["params"] else 90
        y0, y1 = 360 - height / 2, 360 + height / 2
        draw.rounded_rectangle((x0, y0, x0 + width, y1), radius=10, fill=LAYER_COLOURS.get(row["type"], OTHER_LAYER))
        size = 22 if width > 110 else 16
        draw.text((x0 + width / 2, y0 - 12), row["type"], fill=INK, font=font(size), anchor="ms")
        shape = "×".join(str(n) for n in row["output_shape"])
        draw.text((x0 + width / 2, y1 + 30), shape, fill=MUTED, font=font(size), anchor="ms")
    return png(image)


def curve_picture(title: str, subtitle: str, curves: dict[str, list[tuple[float, float]]]) -> bytes:
    """Loss against epoch (or step), a line per split, on axes that start at zero."""
    image, draw = _frame(title, subtitle)
    box = (90, 150, SIZE[0] - 60, SIZE[1] - 80)
    draw.line((box[0], box[3], box[2], box[3]), fill=MUTED, width=2)
    draw.line((box[0], box[1], box[0], box[3]), fill=MUTED, width=2)
    points = [p for line in curves.values() for p in line if math.isfinite(p[1])]
    if not points:
        draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), "no loss reported yet", fill=MUTED, font=font(30), anchor="mm")
        return png(image)
    x_max = max(p[0] for p in points) or 1.0
    y_max = max(p[1] for p in points) or 1.0
    draw.text((box[0] - 10, box[1]), f"{y_max:.3g}", fill=MUTED, font=font(18), anchor="rm")
    draw.text((box[0] - 10, box[3]), "0", fill=MUTED, font=font(18), anchor="rm")
    draw.text((box[2], box[3] + 28), f"{x_max:g}", fill=MUTED, font=font(18), anchor="rm")

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return (box[0] + (box[2] - box[0]) * p[0] / x_max, box[3] - (box[3] - box[1]) * p[1] / y_max)

    for i, (split, line) in enumerate(curves.items()):
        finite = [at(p) for p in line if math.isfinite(p[1])]
        colour = SPLIT_COLOURS.get(split, OTHER_LAYER)
        if len(finite) > 1:
            draw.line(finite, fill=colour, width=4, joint="curve")
        draw.text((box[2] - 10, box[1] + 10 + 30 * i), f"{split} loss", fill=colour, font=font(22), anchor="ra")
    return png(image)
