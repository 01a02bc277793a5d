"""Pictures for the Style page: uploaded as kind ``image``, bad ones refused with a sentence and nothing kept,
good ones read upright and in colour by the task."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from playground.tasks.style import inputs
from test_files_uploads_api import first_error, folders, nothing_kept, send  # noqa: F401 (folders is a fixture)
from upload_files import picture, png_chunk, png_declaring

pytestmark = pytest.mark.django_db


def real_bomb(side: int = 5000) -> bytes:
    """A real PNG of side × side black pixels: 25 million pixels in a few KB of zlib."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * ((side + 1) * side), 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")


BAD = [
    ("not-an-image", b"<html>hello</html>" * 50, "not a PNG, JPEG or WebP picture"),
    ("truncated", picture(200, 160, "PNG")[:20_000], "damaged or cut short"),
    ("bomb", real_bomb(), "more pixels (5,000 × 5,000) than the 16,777,216"),
    ("one-pixel", picture(1, 1), "at least 16 pixels on each side"),
    ("declared-50000", png_declaring(50_000, 50_000), "more pixels than the 16,777,216 a picture may have"),
]


@pytest.mark.parametrize("data, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_picture_is_refused_with_a_sentence_and_nothing_is_kept(alice, folders, data, words):  # noqa: F811
    assert len(data) < 100_000  # a few KB, whatever it declares
    response = send(alice, "image", data, name="mine.png")
    assert response.status_code == 400, response.content
    assert words in first_error(response)["message"]
    assert nothing_kept(folders)


@pytest.mark.parametrize("format", ["PNG", "JPEG", "WEBP"])
def test_a_small_picture_in_each_format_is_kept_whole(alice, folders, format):  # noqa: F811
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 60, 40)).save(out, format)  # a few hundred bytes: held in memory, not spilled
    response = send(alice, "image", out.getvalue(), name=f"small.{format.lower()}")
    assert response.status_code == 201, response.content  # Pillow 13 closed a PNG's file before it was kept
    kept = next((folders / "media" / "uploads" / str(response.json()["id"])).iterdir())
    assert kept.read_bytes() == out.getvalue()


def test_an_uploaded_picture_becomes_the_content_upright_in_colour_at_the_runs_size(alice, folders):  # noqa: F811
    pixels = np.zeros((60, 90, 3), dtype=np.uint8)
    pixels[:, :45] = (255, 0, 0)  # red on the left, as stored
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view"
    Image.fromarray(pixels).convert("CMYK").save(out, "JPEG", exif=exif, quality=95)
    response = send(alice, "image", out.getvalue(), name="phone.jpg")
    assert response.status_code == 201, response.content
    upload = response.json()
    assert upload["summary"] == {"width": 60, "height": 90, "format": "JPEG"}  # as seen, not as stored

    path = next((folders / "media" / "uploads" / str(upload["id"])).iterdir())
    image = inputs.source_image(f"upload:{upload['id']}", lambda reference: path)
    content, size = inputs.content_and_size(image, 64)
    assert size == (43, 64) and content.shape == (64, 43, 3)  # portrait now, longer side 64
    top, bottom = content[:20].reshape(-1, 3).mean(0), content[-20:].reshape(-1, 3).mean(0)
    assert top[0] > 200 and top[1] < 60 and bottom.max() < 60  # the red half is on top once turned
    style = inputs.style_pixels(image, size)
    assert style.shape == (64, 43, 3)
