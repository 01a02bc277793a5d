"""What a visitor may upload, checked before anything in it is decoded or kept, and where it is kept.

Three kinds: ``images`` (a zip of one folder per class, ``image_folders.py``),
``text`` (a UTF-8 text file: a corpus) and ``image`` (one PNG, JPEG or WebP
picture). ``check`` reads the file as it arrived and answers a summary for the
visitor (classes and counts, characters and vocabulary, width × height), or
raises ``FileRefused`` with a sentence that says what to fix; only then does
``keep`` write it into the upload's folder. A configuration names an upload as
``"upload:<id>"``; ``references`` finds those in a configuration, and
``stored_file`` finds the file in an upload's folder.

    checked = check("text", file, UploadLimits())   # or FileRefused
    path = keep(checked, file, folder)              # folder/corpus.txt
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from playground.data.image_folders import ArchiveLimits, check_archive
from playground.data.images import SUFFIXES, FileRefused, load_pixels, open_header, upright_size

KINDS = {
    "images": "a zip of pictures, one folder per class (for the CNN page)",
    "text": "a UTF-8 text file, a corpus to learn to write from (for the Text page)",
    "image": "one PNG, JPEG or WebP picture (for the Style page)",
}
REFERENCE = re.compile(r"^upload:([1-9][0-9]{0,17})$")
PREVIEW_CHARACTERS = 300


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may hold. The body limit (``LAYERLAB_MAX_UPLOAD_BYTES``) caps the file itself."""

    archive: ArchiveLimits = field(default_factory=ArchiveLimits)
    image_pixels: int = 4096 * 4096
    image_min_side: int = 16
    text_bytes: int = 10 * 1024 * 1024
    vocabulary: int = 1000


@dataclass
class Checked:
    """An upload that passed: its kind, what the visitor is told of it, and the name it is kept under."""

    kind: str
    summary: dict[str, Any]
    filename: str
    content: bytes | None = None  # what to keep instead of the file as sent (text, normalised)


def check(kind: str, source: BinaryIO, limits: UploadLimits) -> Checked:
    """Every check of an upload of ``kind``; FileRefused with a sentence for the visitor otherwise."""
    if kind not in KINDS:
        raise FileRefused(f"there is no upload kind {kind!r}; choose one of {', '.join(KINDS)}")
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size == 0:
        raise FileRefused("the file is empty")
    if kind == "images":
        return Checked("images", {**check_archive(source, limits.archive), "bytes": size}, "images.zip")
    if kind == "text":
        return check_text(source, size, limits)
    return check_image(source, limits)


def check_text(source: BinaryIO, size: int, limits: UploadLimits) -> Checked:
    if size > limits.text_bytes:
        raise FileRefused(f"the text is {size / 1_048_576:.1f} MB; a corpus may be at most "
                          f"{limits.text_bytes / 1_048_576:.0f} MB")
    raw = source.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(f"the file is not UTF-8 text: byte 0x{raw[error.start]:02x} at position {error.start:,} "
                          "is not valid UTF-8; save it as UTF-8 plain text and upload it again") from None
    if "\x00" in text:
        raise FileRefused("the file holds NUL characters, so it is not plain text; upload a .txt file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FileRefused("the text holds only spaces and line breaks")
    vocabulary = sorted(set(text))
    if len(vocabulary) > limits.vocabulary:
        raise FileRefused(f"the text uses {len(vocabulary):,} different characters; a character-level model "
                          f"here takes at most {limits.vocabulary:,}")
    summary = {"characters": len(text), "vocabulary": len(vocabulary), "lines": text.count("\n") + 1,
               "bytes": size, "preview": text[:PREVIEW_CHARACTERS]}
    return Checked("text", summary, "corpus.txt", content=text.encode("utf-8"))


class Lent:
    """A file lent to Pillow: it may read and seek, but closing it stays its owner's business.

    Pillow 13 closes the file of a PNG it was given when the image is closed, and
    ``keep`` still has to copy it afterwards.
    """

    def __init__(self, source: BinaryIO):
        self._source = source

    def __getattr__(self, name: str):
        return getattr(self._source, name)

    def close(self) -> None:
        pass


def check_image(source: BinaryIO, limits: UploadLimits) -> Checked:
    image = open_header(Lent(source), "the picture", limits.image_pixels, limits.image_min_side)  # type: ignore[arg-type]
    try:
        width, height = upright_size(image)
        image_format = image.format
        # A whole decode, bounded by the pixel check above: a truncated or damaged file is refused now.
        load_pixels(image, "the picture")
    finally:
        image.close()
    return Checked("image", {"width": width, "height": height, "format": image_format},
                   "picture" + SUFFIXES[image_format])


def keep(checked: Checked, source: BinaryIO, folder: Path) -> Path:
    """Write an upload that passed into its folder, whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / checked.filename
    descriptor, partial = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            if checked.content is not None:
                out.write(checked.content)
            else:
                source.seek(0)
                shutil.copyfileobj(source, out, 1024 * 1024)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def stored_file(folder: Path) -> Path | None:
    """The file an upload's folder keeps, or None when it holds none (deleted, or never kept)."""
    if not folder.is_dir():
        return None
    files = [path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")]
    return files[0] if len(files) == 1 else None


def kind_of(path: Path) -> str:
    """The kind of a kept upload, from the name ``keep`` gave it."""
    if path.name == "images.zip":
        return "images"
    return "text" if path.name == "corpus.txt" else "image"


def reference_id(value: Any) -> int | None:
    """The id in ``"upload:<id>"``, or None for anything else."""
    match = REFERENCE.match(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def references(config: Any, path: str = "config") -> list[tuple[str, int]]:
    """Every ``"upload:<id>"`` anywhere in a configuration, with where it is (``config.dataset``)."""
    found = reference_id(config)
    if found is not None:
        return [(path, found)]
    if isinstance(config, dict):
        return [ref for key, value in config.items() for ref in references(value, f"{path}.{key}")]
    if isinstance(config, (list, tuple)):
        return [ref for index, value in enumerate(config) for ref in references(value, f"{path}.{index}")]
    return []
