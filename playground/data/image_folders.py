"""A zip of pictures in one folder per class: checked from its directory and headers, then loaded as arrays.

The layout is ``cats/1.png, cats/2.jpg, dogs/1.webp...`` (or the same inside one
top folder). Before anything is decompressed, the archive's own end record says
how many entries it holds, and its directory gives every name, type and size: a
name that climbs out (``../x.png``, ``/etc/x``, ``C:\\x``), a link or a device
file, an encrypted entry, an unusual compression, or more expanded bytes than
the limit (a zip bomb: its sizes are declared, and ``zipfile`` never reads past
them) refuses the archive. Then each picture's header is read for its format and
pixel count (``images.open_header``); no pixel is decoded until training loads
them.

    summary = check_archive(file, limits)  # {"classes": [{"name": "cats", "images": 12}, ...], "images": 24}
    images, labels, classes = load_archive(path, (32, 32), pixels)  # uint8 (N, 32, 32, 3), int64 (N,)
"""
from __future__ import annotations

import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np

from playground.data.images import EXTENSIONS, FileRefused, load_rgb, open_header

END_RECORD = b"PK\x05\x06"
END_RECORD_64 = b"PK\x06\x06"
END_LOCATOR_64 = b"PK\x06\x07"
JUNK = ("__MACOSX",)  # folders some archivers add beside the content


@dataclass(frozen=True)
class ArchiveLimits:
    expanded_bytes: int = 200 * 1024 * 1024
    files: int = 5000
    pixels: int = 4096 * 4096
    classes: int = 100
    min_per_class: int = 5
    min_side: int = 8


def declared_entries(source: BinaryIO) -> int:
    """How many entries the archive's end record says it holds; read before its directory is."""
    source.seek(0, 2)
    size = source.tell()
    tail_start = max(0, size - (22 + 65535))  # the end record, then a comment of at most 64 KB
    source.seek(tail_start)
    tail = source.read()
    at = tail.rfind(END_RECORD)
    if at < 0 or len(tail) - at < 22:
        raise FileRefused("the file is not a zip archive; the images kind takes a .zip with one folder per class")
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    if entries != 0xFFFF:
        return entries
    # A ZIP64 archive: its locator, just before the end record, points to the 64-bit end record.
    locator_at = tail_start + at - 20
    source.seek(max(locator_at, 0))
    locator = source.read(20)
    if locator_at < 0 or not locator.startswith(END_LOCATOR_64):
        raise FileRefused("the zip archive is damaged: its end record cannot be read")
    (record_at,) = struct.unpack_from("<Q", locator, 8)
    source.seek(record_at)
    record = source.read(56)
    if len(record) < 56 or not record.startswith(END_RECORD_64):
        raise FileRefused("the zip archive is damaged: its end record cannot be read")
    return struct.unpack_from("<Q", record, 32)[0]


def name_problem(name: str) -> str | None:
    """Why an entry's name may not be unpacked anywhere, or None."""
    if name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return f"{name!r} is an absolute or Windows path; names inside the zip must be relative, like cats/1.png"
    parts = name.rstrip("/").split("/")
    if any(part in ("..", ".") for part in parts):
        return f"{name!r} climbs out of its folder ('..'); names inside the zip must stay inside it"
    if any(part == "" for part in parts) or any(ord(c) < 32 for c in name):
        return f"{name!r} is not a usable name"
    return None


def type_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a plain file or folder we can read, or None."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        what = "a symbolic link" if stat.S_ISLNK(mode) else "a device, pipe or socket, not a file"
        return f"{info.filename!r} is {what}; the zip may hold only folders and pictures"
    if info.flag_bits & 0x1:
        return f"{info.filename!r} is encrypted; zip it again without a password"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"{info.filename!r} uses an unusual compression; zip it again with the ordinary (deflate) one"
    return None


def is_junk(parts: tuple[str, ...]) -> bool:
    """Entries archivers add on their own (``__MACOSX/``, ``.DS_Store``): left out, not refused."""
    return parts[0] in JUNK or any(part.startswith(".") for part in parts)


def class_members(archive: zipfile.ZipFile, limits: ArchiveLimits) -> dict[str, list[zipfile.ZipInfo]]:
    """Each class folder's picture entries, in name order, after every name, type and size is checked."""
    pictures: list[tuple[tuple[str, ...], zipfile.ZipInfo]] = []
    expanded = 0
    for info in archive.infolist():
        problem = name_problem(info.filename) or type_problem(info)
        if problem:
            raise FileRefused(problem)
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or is_junk(parts):
            continue
        if PurePosixPath(info.filename).suffix.lower() not in EXTENSIONS:
            raise FileRefused(f"{info.filename!r} is not a .png, .jpg or .webp picture; "
                              "the zip may hold only folders and pictures")
        expanded += info.file_size
        if expanded > limits.expanded_bytes:
            raise FileRefused(f"the zip expands to more than {limits.expanded_bytes / 1_048_576:.0f} MB; "
                              "send fewer or smaller pictures")
        pictures.append((parts, info))
    # One folder around everything (what zipping a folder makes) is not a class: look inside it.
    if pictures and len({parts[0] for parts, _ in pictures}) == 1 and all(len(parts) == 3 for parts, _ in pictures):
        pictures = [(parts[1:], info) for parts, info in pictures]
    classes: dict[str, list[zipfile.ZipInfo]] = {}
    for parts, info in pictures:
        if len(parts) != 2:
            raise FileRefused(f"{info.filename!r} is not in a class folder; put each class's pictures in a "
                              "folder of its own at the top of the zip (cats/1.png, dogs/1.png)")
        classes.setdefault(parts[0], []).append(info)
    return {name: sorted(infos, key=lambda i: i.filename) for name, infos in sorted(classes.items())}


def check_classes(classes: dict[str, list[zipfile.ZipInfo]], limits: ArchiveLimits) -> None:
    if len(classes) < 2:
        raise FileRefused(f"the zip holds {len(classes)} class folder{'s' if len(classes) != 1 else ''}; "
                          "a classifier needs at least two (one folder per class)")
    if len(classes) > limits.classes:
        raise FileRefused(f"the zip holds {len(classes)} class folders; at most {limits.classes} are allowed")
    small = [name for name, infos in classes.items() if len(infos) < limits.min_per_class]
    if small:
        raise FileRefused(f"class {small[0]!r} has {len(classes[small[0]])} picture(s); each class needs at "
                          f"least {limits.min_per_class}")


def open_archive(source: BinaryIO, limits: ArchiveLimits) -> zipfile.ZipFile:
    entries = declared_entries(source)
    if entries > limits.files:
        raise FileRefused(f"the zip holds {entries:,} entries; at most {limits.files:,} are allowed")
    source.seek(0)
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise FileRefused(f"the zip archive is damaged ({error})") from None


def check_archive(source: BinaryIO, limits: ArchiveLimits) -> dict:
    """The archive's classes and counts, after every check; FileRefused with a sentence otherwise."""
    with open_archive(source, limits) as archive:
        classes = class_members(archive, limits)
        check_classes(classes, limits)
        for infos in classes.values():
            for info in infos:
                try:
                    with archive.open(info) as member:
                        open_header(member, info.filename, limits.pixels, limits.min_side).close()
                except (zipfile.BadZipFile, OSError, EOFError) as error:
                    raise FileRefused(f"{info.filename!r} cannot be read from the zip ({error})") from None
    return {"classes": [{"name": name, "images": len(infos)} for name, infos in classes.items()],
            "images": sum(len(infos) for infos in classes.values())}


def load_archive(path: Path, size: tuple[int, int], limits: ArchiveLimits = ArchiveLimits()
                 ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every picture, fitted to ``size`` (width, height), as uint8 (N, height, width, 3); labels int64 (N,)
    numbered in the order of the class names, which come third."""
    with open(path, "rb") as source, open_archive(source, limits) as archive:
        classes = class_members(archive, limits)
        images, labels = [], []
        for label, infos in enumerate(classes.values()):
            for info in infos:
                try:
                    with archive.open(info) as member:
                        images.append(load_rgb(member, info.filename, limits.pixels, size=size))
                except (zipfile.BadZipFile, EOFError) as error:  # a CRC or size that does not match: tampered
                    raise FileRefused(f"{info.filename!r} is damaged inside the zip ({error})") from None
                labels.append(label)
    width, height = size
    stacked = np.stack(images) if images else np.zeros((0, height, width, 3), np.uint8)
    return stacked, np.asarray(labels, dtype=np.int64), list(classes)
