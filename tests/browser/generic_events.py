"""Events of every kind the generic run view shows, written by hand: metrics of two splits and a list
metric at a step interval, texts, a confusion matrix, a table of rows, a summary, pictures (a PNG as a
data URL, a file the site serves, planes sent as numbers) and log lines, ending in success."""
from __future__ import annotations

import base64
import io
import math

from PIL import Image

STEPS = range(10, 201, 10)
CLASSES = ["circle", "square", "triangle", "star", "cross"]
SAMPLES = {
    50: "Th wok an the fo tond, an hes wath sime.",
    100: "The king hath sent for you, and thou art come too late.",
    200: "ROMEO:\nBut soft, what light through yonder window breaks?\nIt is the east, and Juliet is the sun.",
}


def png_data_url(width: int = 96, height: int = 64) -> str:
    """A real PNG: six 'filters', each a small gradient of its own colour."""
    picture = Image.new("RGB", (width, height), "white")
    for k in range(6):
        left, top = (k % 3) * 32, (k // 3) * 32
        for x in range(2, 30):
            for y in range(2, 30):
                shade = int(255 * (0.5 + 0.5 * math.sin((x + y * (k + 1)) / 5)))
                picture.putpixel((left + x, top + y), (shade, (shade * (k + 1)) % 256, 255 - shade))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def surface_values(size: int = 24) -> str:
    """One plane of bytes, a diagonal boundary from -1 (0) to +1 (255), as the Basics surface is sent."""
    plane = bytes(max(0, min(255, int(128 + 40 * (x - y)))) for y in range(size) for x in range(size))
    return base64.b64encode(plane).decode()


def generic_events() -> list[dict]:
    events: list[dict] = [{"type": "status", "data": {"status": "running", "device": "cpu"}},
                          {"type": "log", "data": {"level": "info", "message": "Loaded 1,797 images of 5 classes."}}]
    for step in STEPS:
        loss = 1.6 * math.exp(-step / 60) + 0.12 + 0.03 * math.sin(step / 7)
        events.append({"type": "metric", "step": step,
                       "data": {"split": "train", "loss": loss, "accuracy": min(0.99, 1 - loss / 1.9)}})
        events.append({"type": "metric", "step": step,
                       "data": {"split": "grad", "norms": [0.8 * math.exp(-step / 90), 0.3 * math.exp(-step / 120), 0.05]}})
        if step % 50 == 0:
            val = 1.6 * math.exp(-step / 70) + 0.2
            events.append({"type": "metric", "step": step, "data": {"split": "val", "loss": val, "accuracy": 1 - val / 1.8}})
        if step in SAMPLES:
            events.append({"type": "text", "step": step, "data": {"name": "sample", "text": SAMPLES[step]}})
    events += [
        {"type": "log", "step": 120, "data": {"level": "warning", "message": "The validation loss rose twice in a row."}},
        {"type": "table", "step": 200, "data": {
            "name": "confusion", "labels": CLASSES,
            "matrix": [[41, 3, 1, 0, 0], [2, 38, 4, 1, 0], [0, 5, 36, 2, 2], [0, 1, 3, 40, 1], [1, 0, 2, 1, 43]]}},
        {"type": "table", "step": 200, "data": {
            "name": "mistakes", "columns": ["image", "true", "predicted", "confidence"],
            "rows": [[17, "square", "triangle", 0.71], [52, "triangle", "square", 0.64], [88, "star", "cross", 0.58]]}},
        {"type": "table", "step": 200, "data": {"name": "summary", "parameters": 61706, "device": "cpu", "input_shape": [1, 28, 28], "classes": CLASSES}},
        {"type": "image", "step": 200, "data": {"name": "filters", "url": png_data_url(), "width": 96, "height": 64}},
        {"type": "image", "step": 200, "data": {"name": "style frame", "url": "/static/studio/img/style.svg", "width": 320, "height": 180}},
        {"type": "image", "step": 200, "data": {"name": "surface", "width": 24, "height": 24, "channels": 1, "min": -1, "max": 1, "values": surface_values()}},
        {"type": "status", "data": {"status": "succeeded"}},
    ]
    return events
