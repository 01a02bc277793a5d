"""Upload checks, with no Django: each kind's summary, and every hostile file refused with a sentence before decoding."""
from __future__ import annotations

import io
import stat
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from playground.data.image_folders import ArchiveLimits, load_archive
from playground.data.images import FileRefused, load_rgb
from playground.data.uploads import UploadLimits, check, keep, references, stored_file
from upload_files import class_zip, picture, png_declaring, special_entry, symlink_entry, zip_bomb, zip_with

LIMITS = UploadLimits(archive=ArchiveLimits(expanded_bytes=1024 * 1024, files=50), text_bytes=10_000, vocabulary=40)


def refused(kind: str, data: bytes, limits: UploadLimits = LIMITS) -> str:
    with pytest.raises(FileRefused) as caught:
        check(kind, io.BytesIO(data), limits)
    return str(caught.value)


def test_a_zip_of_class_folders_is_summarised_by_class():
    checked = check("images", io.BytesIO(class_zip({"cats": 5, "dogs": 7})), LIMITS)
    assert checked.summary["classes"] == [{"name": "cats", "images": 5}, {"name": "dogs", "images": 7}]
    assert checked.summary["images"] == 12 and checked.filename == "images.zip"


def test_one_folder_around_the_classes_is_looked_inside():
    checked = check("images", io.BytesIO(class_zip({"a": 5, "b": 5}, prefix="pets/")), LIMITS)
    assert [c["name"] for c in checked.summary["classes"]] == ["a", "b"]


def test_junk_that_archivers_add_is_left_out():
    data = zip_with([("__MACOSX/cats/._0.png", b"junk"), ("cats/.DS_Store", b"junk")])
    assert check("images", io.BytesIO(data), LIMITS).summary["images"] == 11


def test_a_zip_bomb_of_a_few_kilobytes_is_refused_by_its_declared_sizes():
    bomb = zip_bomb(5 * 1024 * 1024)
    assert len(bomb) < 20_000
    assert "expands to more than 1 MB" in refused("images", bomb)


def test_a_png_declaring_50000_by_50000_pixels_in_a_few_kilobytes_is_refused_from_its_header():
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 5000
    assert "more pixels" in refused("image", bomb)
    assert "more pixels" in refused("images", zip_with([("cats/huge.png", bomb)]))


@pytest.mark.parametrize("name", ["../evil.png", "cats/../../evil.png", "/etc/evil.png", "C:/evil.png", "cats\\evil.png"])
def test_names_that_climb_out_or_are_absolute_are_refused(name):
    assert repr(name) in refused("images", zip_with([(name, picture())]))


def test_a_symbolic_link_is_refused():
    assert "symbolic link" in refused("images", zip_with([(symlink_entry(), b"/etc/passwd")]))


@pytest.mark.parametrize("mode", [stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK])
def test_device_files_pipes_and_sockets_are_refused(mode):
    assert "not a file" in refused("images", zip_with([(special_entry("cats/dev.png", mode | 0o644), b"")]))


def test_too_many_entries_are_refused_before_the_directory_is_read():
    crowded = class_zip({"cats": 30, "dogs": 30})
    assert "60 entries" in refused("images", crowded)


def test_an_archive_needs_two_classes_with_a_few_pictures_each():
    assert "1 class folder" in refused("images", class_zip({"cats": 8}))
    assert "'dogs' has 2" in refused("images", class_zip({"cats": 8, "dogs": 2}))


def test_pictures_outside_class_folders_and_other_files_are_refused():
    assert "not in a class folder" in refused("images", zip_with([("loose.png", picture())]))
    assert "not a .png" in refused("images", zip_with([("cats/notes.txt", b"hello")]))


@pytest.mark.parametrize("kind, data, words", [
    ("images", picture(), "not a zip archive"),
    ("images", b"just some text", "not a zip archive"),
    ("image", class_zip(), "not a PNG, JPEG or WebP"),
    ("image", b"hello", "not a PNG, JPEG or WebP"),
    ("text", picture(), "not UTF-8 text"),
    ("text", class_zip(), "not UTF-8 text"),
])
def test_a_file_that_is_not_what_its_kind_says_is_refused(kind, data, words):
    assert words in refused(kind, data)


def test_a_picture_named_png_that_is_not_one_is_refused_inside_a_zip():
    assert "not a PNG, JPEG or WebP" in refused("images", zip_with([("cats/fake.png", b"GIF89a not really")]))


def test_pictures_in_each_format_are_read_with_their_size():
    for format in ("PNG", "JPEG", "WEBP"):
        checked = check("image", io.BytesIO(picture(40, 30, format)), LIMITS)
        assert checked.summary == {"width": 40, "height": 30, "format": format}


def test_a_tiny_or_truncated_picture_is_refused():
    assert "at least 16 pixels" in refused("image", picture(1, 1))
    whole = picture(64, 64, "JPEG")
    assert "damaged or cut short" in refused("image", whole[: len(whole) // 2])


def test_exif_orientation_turns_the_reported_size():
    out = io.BytesIO()
    image = Image.new("RGB", (40, 20))
    exif = image.getexif()
    exif[0x0112] = 6  # rotated a quarter turn
    image.save(out, "JPEG", exif=exif)
    assert check("image", io.BytesIO(out.getvalue()), LIMITS).summary["width"] == 20
    assert load_rgb(io.BytesIO(out.getvalue()), "x.jpg", 10_000).shape == (40, 20, 3)


def test_text_is_summarised_with_its_vocabulary_and_newlines_normalised():
    checked = check("text", io.BytesIO("ab\r\nba\n<script>".encode()), LIMITS)
    assert checked.summary["characters"] == 14 and checked.summary["vocabulary"] == 11
    assert checked.content == b"ab\nba\n<script>"
    assert checked.summary["preview"] == "ab\nba\n<script>"


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \n\n ", "only spaces"),
    (b"caf\xe9", "byte 0xe9 at position 3"),
    (b"a\x00b", "NUL"),
    ("".join(chr(0x4E00 + i) for i in range(50)).encode(), "50 different characters"),
    (b"x" * 10_001, "at most 0 MB"),
])
def test_bad_text_is_refused(data, words):
    assert words in refused("text", data)


def test_an_unknown_kind_is_refused():
    assert "no upload kind 'video'" in refused("video", b"x")


def test_kept_files_are_found_again(tmp_path):
    data = class_zip()
    checked = check("images", io.BytesIO(data), LIMITS)
    path = keep(checked, io.BytesIO(data), tmp_path / "7")
    assert path.read_bytes() == data and stored_file(tmp_path / "7") == path
    assert [p.name for p in (tmp_path / "7").iterdir()] == ["images.zip"]
    assert stored_file(tmp_path / "8") is None


def test_a_kept_archive_loads_as_uint8_arrays_in_class_order(tmp_path):
    (tmp_path / "images.zip").write_bytes(class_zip({"cats": 5, "dogs": 6}))
    images, labels, classes = load_archive(tmp_path / "images.zip", (8, 10))
    assert images.shape == (11, 10, 8, 3) and images.dtype == np.uint8
    assert classes == ["cats", "dogs"] and labels.tolist() == [0] * 5 + [1] * 6


def test_a_tampered_member_is_caught_when_loading(tmp_path):
    data = bytearray(class_zip({"cats": 5, "dogs": 5}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("dogs/4.png")
    # Flip a byte of the compressed data: the CRC no longer matches.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    data[start] ^= 0xFF
    (tmp_path / "images.zip").write_bytes(bytes(data))
    with pytest.raises(FileRefused, match="dogs/4.png"):
        load_archive(tmp_path / "images.zip", (8, 8))


def test_references_to_uploads_are_found_anywhere_in_a_config():
    config = {"dataset": "upload:12", "styles": ["upload:3", "builtin"], "n": 1, "x": "upload:0", "y": "upload:1a"}
    assert references(config) == [("config.dataset", 12), ("config.styles.0", 3)]


def test_zip64_end_records_are_read_for_their_entry_count():
    # A ZIP64 archive says 0xFFFF entries in its classic end record and the real count in the 64-bit one.
    from playground.data.image_folders import declared_entries

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(3):
            archive.writestr(f"a/{i}.png", b"x")
    data = bytearray(out.getvalue())
    end = data.rfind(b"PK\x05\x06")
    directory_size, directory_at = struct.unpack_from("<II", data, end + 12)
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 3, 3, directory_size, directory_at)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    classic = bytes(data[end:end + 8]) + struct.pack("<HHII", 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\x00\x00"
    patched = bytes(data[:end]) + record + locator + classic
    assert declared_entries(io.BytesIO(patched)) == 3
