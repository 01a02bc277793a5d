"""Pictures out of event rows: a large picture is a file once and a URL in its event; a small one stays inline."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from playground.tasks.base import RunContext, TaskFailure
from playground.tasks.picture_files import FILE_NAME, INLINE_BYTES, PictureFolder, encode, picture_event


def noise(height: int, width: int, channels: int = 3, seed: int = 0) -> np.ndarray:
    shape = (height, width) if channels == 1 else (height, width, channels)
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


def decoded(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


def test_a_200_kb_picture_is_written_once_and_its_event_carries_the_url(tmp_path):
    folder = PictureFolder(tmp_path / "pictures", "/api/runs/7/pictures/", max_bytes=10_000_000)
    pixels = noise(256, 256)
    event = picture_event("Style frame", pixels, folder, epoch=3)
    assert event["bytes"] > 190_000 and event["width"] == 256 and event["height"] == 256 and event["epoch"] == 3
    assert event["url"] == "/api/runs/7/pictures/000001-style-frame.png"
    written = tmp_path / "pictures" / "000001-style-frame.png"
    assert np.array_equal(decoded(written.read_bytes()), pixels)
    assert FILE_NAME.match(written.name)
    assert "base64" not in str(event)


def test_a_small_picture_stays_inline_as_a_data_url(tmp_path):
    folder = PictureFolder(tmp_path, "/p/", max_bytes=10_000_000)
    event = picture_event("tiny", noise(8, 8, 1), folder)
    assert event["bytes"] <= INLINE_BYTES and event["url"].startswith("data:image/png;base64,")
    assert np.array_equal(decoded(base64.b64decode(event["url"].split(",", 1)[1])), noise(8, 8, 1))
    assert not any(tmp_path.iterdir())


def test_without_a_folder_even_a_large_picture_travels_inline():
    events = []
    ctx = RunContext(emit=lambda type, data, step=None: events.append((type, data, step)))
    ctx.picture("frame", noise(128, 128), step=5, format="webp")
    (kind, data, step), = events
    assert kind == "image" and step == 5 and data["url"].startswith("data:image/webp;base64,")


def test_names_are_never_used_twice(tmp_path):
    (tmp_path / "000001-a.png").write_bytes(b"an earlier picture")
    folder = PictureFolder(tmp_path, "/p/", max_bytes=10_000_000)
    urls = [folder.save("a", encode(noise(4, 4)), "png") for _ in range(2)]
    assert urls == ["/p/000002-a.png", "/p/000003-a.png"]
    assert (tmp_path / "000001-a.png").read_bytes() == b"an earlier picture"


def test_a_run_that_draws_past_its_picture_cap_ends_saying_why(tmp_path):
    folder = PictureFolder(tmp_path, "/p/", max_bytes=300_000)
    picture_event("frame", noise(256, 256), folder)
    with pytest.raises(TaskFailure, match="pictures reached"):
        picture_event("frame", noise(256, 256, seed=1), folder)


def test_every_format_and_shape_encodes_and_wrong_ones_say_what_is_expected():
    for format in ("png", "webp", "jpeg"):
        for channels in (1, 3, 4):
            assert decoded(encode(noise(12, 10, channels), format)).shape[:2] == (12, 10)
    with pytest.raises(TypeError, match="uint8"):
        encode(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError, match="height, width"):
        encode(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match="set by the picture"):
        picture_event("x", noise(4, 4), None, url="elsewhere")


def test_a_task_finds_its_upload_or_is_told_it_is_gone(tmp_path):
    (tmp_path / "12").mkdir()
    (tmp_path / "12" / "corpus.txt").write_text("hello")
    ctx = RunContext(emit=lambda *args: None, uploads_dir=tmp_path)
    assert ctx.upload("upload:12").read_text() == "hello"
    with pytest.raises(TaskFailure, match="upload:13 is not there"):
        ctx.upload("upload:13")
    with pytest.raises(TaskFailure):
        RunContext(emit=lambda *args: None).upload("upload:12")
