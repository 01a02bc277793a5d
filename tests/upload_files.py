"""Files for upload tests, good and hostile, made in memory: pictures, zips of class folders, bombs and tricks."""
from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib

import numpy as np
from PIL import Image


def picture(width: int = 24, height: int = 20, format: str = "PNG", seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(out, format)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with a few bytes of image data: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def class_zip(classes: dict[str, int] | None = None, prefix: str = "", format: str = "PNG") -> bytes:
    """A zip of one folder per class, ``count`` small pictures in each."""
    classes = classes or {"cats": 5, "dogs": 6}
    out = io.BytesIO()
    suffix = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[format]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, count) in enumerate(classes.items()):
            for i in range(count):
                archive.writestr(f"{prefix}{name}/{i}.{suffix}", picture(16 + i, 12 + index, format, seed=i))
    return out.getvalue()


def zip_with(entries: list[tuple[zipfile.ZipInfo | str, bytes]], base: bytes | None = None) -> bytes:
    """A class zip with extra entries added (a name, or a ZipInfo for links and devices)."""
    out = io.BytesIO(base if base is not None else class_zip())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return out.getvalue()


def special_entry(name: str, mode: int) -> zipfile.ZipInfo:
    """An entry whose Unix mode says it is a link, a device, a pipe..."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def symlink_entry(name: str = "cats/link.png") -> zipfile.ZipInfo:
    return special_entry(name, stat.S_IFLNK | 0o777)


def zip_bomb(expanded: int) -> bytes:
    """A valid class zip plus one honest entry of ``expanded`` zero bytes: a few KB that expand past any limit."""
    return zip_with([("cats/zeros.png", b"\x00" * expanded)])
