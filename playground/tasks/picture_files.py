"""Pictures as image files: encoded once by the training process and carried in events as a URL.

A task hands ``RunContext.picture`` a uint8 array; it never builds a URL. A
picture over ``INLINE_BYTES`` once encoded (a style frame, a grid of feature
maps) is written once into the run's media folder by a ``PictureFolder``, under
a name never used twice, so that its URL can be cached for ever; the event
carries the URL. A small one, or any picture when no folder is given (tests and
benchmarks with a plain callable emitter), travels inline as a ``data:`` URL. The
page shows either with ``<img src>``; see docs/api.md "Pictures".
"""
from __future__ import annotations

import base64
import io
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from playground.tasks.failures import TaskFailure

INLINE_BYTES = 4096
FORMATS = {"png": ("PNG", "image/png"), "webp": ("WEBP", "image/webp"), "jpeg": ("JPEG", "image/jpeg")}
SUFFIX = {"png": "png", "webp": "webp", "jpeg": "jpg"}
FILE_NAME = re.compile(r"^[0-9]{6,}-[a-z0-9_-]{1,64}\.(png|webp|jpg)$")  # what a PictureFolder writes, and nothing else
CONTENT_TYPES = {"png": "image/png", "webp": "image/webp", "jpg": "image/jpeg"}
CHANNELS = (1, 3, 4)  # (H, W) grey, (H, W, 3) colour, (H, W, 4) with alpha


def encode(pixels: np.ndarray, format: str = "png", quality: int = 85) -> bytes:
    """uint8 (height, width), (height, width, 3) or (height, width, 4) as a PNG, WebP or JPEG file."""
    array = np.asarray(pixels)
    if array.dtype != np.uint8:
        raise TypeError(f"a picture is uint8 pixels, not {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    channels = array.shape[2] if array.ndim == 3 else 1 if array.ndim == 2 else 0
    if channels not in CHANNELS or array.size == 0:
        raise ValueError(f"a picture is (height, width), (height, width, 3) or (height, width, 4), not {array.shape}")
    if format not in FORMATS:
        raise ValueError(f"a picture is saved as one of {', '.join(FORMATS)}, not {format!r}")
    image = Image.fromarray(np.ascontiguousarray(array))  # L, RGB or RGBA, from the shape
    if format == "jpeg" and channels == 4:
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"compress_level": 6} if format == "png" else {"quality": quality}
    image.save(out, FORMATS[format][0], **options)
    return out.getvalue()


def data_url(encoded: bytes, format: str) -> str:
    return f"data:{FORMATS[format][1]};base64," + base64.b64encode(encoded).decode("ascii")


class PictureFolder:
    """Where one run writes its pictures, the URL they are served at, and how much it may write."""

    def __init__(self, directory: Path, url_prefix: str, max_bytes: int):
        self.directory = Path(directory)
        self.url_prefix = url_prefix
        self.max_bytes = max_bytes
        self.written = 0
        self._count = 0
        self._lock = threading.Lock()

    def save(self, name: str, encoded: bytes, format: str) -> str:
        """Write a picture under a new name; its URL. TaskFailure when the run's pictures reach the cap."""
        slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:64] or "picture"
        with self._lock:
            if self.written + len(encoded) > self.max_bytes:
                raise TaskFailure(f"the run stopped because its pictures reached {self.max_bytes / 1_048_576:g} MB, "
                                  "the most one run may keep; draw pictures less often")
            self.directory.mkdir(parents=True, exist_ok=True)
            while True:
                self._count += 1
                file_name = f"{self._count:06d}-{slug}.{SUFFIX[format]}"
                try:
                    # "x": a name is written once, so its URL may be cached for ever.
                    with open(self.directory / file_name, "xb") as out:
                        out.write(encoded)
                    break
                except FileExistsError:
                    continue
            self.written += len(encoded)
        return self.url_prefix + file_name


def picture_event(name: str, pixels: np.ndarray, folder: PictureFolder | None, format: str = "png",
                  quality: int = 85, **fields: Any) -> dict[str, Any]:
    """The data of an ``image`` event showing ``pixels``: a file's URL, or a data: URL for a small one."""
    reserved = {"name", "url", "width", "height", "format", "bytes"} & set(fields)
    if reserved:
        raise ValueError(f"{', '.join(sorted(reserved))} are set by the picture itself")
    encoded = encode(pixels, format, quality)
    height, width = np.asarray(pixels).shape[:2]
    if folder is None or len(encoded) <= INLINE_BYTES:
        url = data_url(encoded, format)
    else:
        url = folder.save(name, encoded, format)
    return {"name": name, "url": url, "width": int(width), "height": int(height), "format": format,
            "bytes": len(encoded), **fields}
