"""Pictures from outside: a PNG, JPEG or WebP file read from its header before it is decoded.

Pillow is allowed those three formats only, and ``guard_pillow`` makes it refuse
any picture past the pixel limit: ``Image.MAX_IMAGE_PIXELS`` is the limit and its
``DecompressionBombWarning`` (past the limit, under twice it) is an error, as
its ``DecompressionBombError`` (past twice) already is. ``open_header`` reads only
the header, so a PNG that declares 50,000 × 50,000 pixels in a few KB is refused
before a single pixel is decoded.

    image = open_header(file, "cat.png", pixels=4096 * 4096)  # no pixels decoded yet
    rgb = load_rgb(file, "cat.png", pixels=4096 * 4096, size=(64, 64))  # uint8 (64, 64, 3), upright
"""
from __future__ import annotations

import warnings
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("PNG", "JPEG", "WEBP")
EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


class FileRefused(ValueError):
    """A file from outside (an upload, a picture in one) that this site does not take; the message
    says which and why, in a sentence for the visitor."""


# Pillow only warns about a picture past MAX_IMAGE_PIXELS (up to twice it): in this process it refuses.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def guard_pillow(pixels: int) -> None:
    """Make Pillow refuse, in this process, any picture with more than ``pixels`` pixels."""
    Image.MAX_IMAGE_PIXELS = pixels


def open_header(source: BinaryIO, name: str, pixels: int, min_side: int = 1) -> Image.Image:
    """The picture with only its header read: format, width and height checked, no pixel decoded yet."""
    guard_pillow(pixels)
    try:
        image = Image.open(source, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused(too_many_pixels(name, None, pixels)) from None
    except UnidentifiedImageError:
        raise FileRefused(f"{name} is not a PNG, JPEG or WebP picture") from None
    except (OSError, ValueError, SyntaxError) as error:  # Pillow's plugins raise these on a damaged header
        raise FileRefused(f"{name} is damaged: its header cannot be read ({error})") from None
    width, height = image.size
    if width * height > pixels:
        image.close()
        raise FileRefused(too_many_pixels(name, image.size, pixels))
    if min(width, height) < min_side:
        image.close()
        raise FileRefused(f"{name} is {width} × {height} pixels; a picture needs at least {min_side} "
                             f"pixels on each side")
    return image


def too_many_pixels(name: str, size: tuple[int, int] | None, pixels: int) -> str:
    declared = f" ({size[0]:,} × {size[1]:,})" if size else ""
    return (f"{name} has more pixels{declared} than the {pixels:,} a picture may have here; "
            "make it smaller and upload it again")


def load_pixels(image: Image.Image, name: str) -> None:
    """Decode every pixel of a picture whose header passed; a damaged or cut-short file is refused."""
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused(too_many_pixels(name, image.size, Image.MAX_IMAGE_PIXELS or 0)) from None
    except (OSError, ValueError, SyntaxError) as error:
        raise FileRefused(f"{name} is damaged or cut short; its pixels cannot be read ({error})") from None


def decode(image: Image.Image, name: str) -> Image.Image:
    """Every pixel of a picture whose header passed, as RGB, the right way up (EXIF orientation)."""
    load_pixels(image, name)
    return ImageOps.exif_transpose(image).convert("RGB")


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the picture is seen: EXIF orientations 5 to 8 turn it a quarter."""
    try:
        orientation = image.getexif().get(0x0112, 1)
    except (OSError, ValueError, SyntaxError):
        orientation = 1
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scaled so it covers ``size`` (width, height), then its centre cropped to it."""
    return ImageOps.fit(image, size, method=Image.Resampling.BILINEAR)


def load_rgb(source: BinaryIO, name: str, pixels: int, size: tuple[int, int] | None = None,
             max_side: int | None = None) -> np.ndarray:
    """A picture as uint8 (height, width, 3): fitted to ``size``, or shrunk to ``max_side`` at most."""
    image = open_header(source, name, pixels)
    if size is not None and image.format == "JPEG":
        image.draft("RGB", size)  # JPEG decodes at 1/2, 1/4 or 1/8 scale: much less work for small sizes
    rgb = decode(image, name)
    if size is not None:
        rgb = fit(rgb, size)
    elif max_side is not None and max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(rgb, dtype=np.uint8)
