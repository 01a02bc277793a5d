"""IDX files, the format of MNIST and Fashion-MNIST, read into numpy arrays; gzipped or not.

An IDX file is two zero bytes, a type code, the number of dimensions, each
dimension as a big-endian 32-bit count, then the values, big-endian, row-major.
Nothing is trusted: a file that is not IDX, is cut short or has bytes left over,
or holds labels where images belong, raises ``IdxError`` with a sentence that
names the file and what is wrong.

    images, labels = read_image_set(directory, "t10k")  # uint8 (N, 28, 28), int64 (N,)
"""
from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

import numpy as np

GZIP_MAGIC = b"\x1f\x8b"
TYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
         0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


class IdxError(ValueError):
    """A file that is not a whole, well-formed IDX file of what it should hold."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, unzipped when it is gzipped (whatever its name says)."""
    raw = Path(path).read_bytes()
    if not raw.startswith(GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IdxError(f"{Path(path).name} is a damaged or truncated gzip file ({error}).") from None


def parse_idx(raw: bytes, name: str = "the file") -> np.ndarray:
    """An IDX file's contents as an array in native byte order."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in TYPES:
        raise IdxError(f"{name} is not an IDX file: it should start with two zero bytes and a type code.")
    dtype, ndim = TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise IdxError(f"{name} is truncated: its header is cut short.")
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    expected = math.prod(shape) * dtype.itemsize  # Python integers: a hostile header cannot overflow them
    if len(raw) - header < expected:
        raise IdxError(f"{name} is truncated: its header promises {expected:,} bytes of data {shape}, "
                       f"it holds {len(raw) - header:,}.")
    if len(raw) - header > expected:
        raise IdxError(f"{name} has {len(raw) - header - expected:,} bytes more than its header {shape} describes.")
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))  # a writable copy


def read_idx(path: Path) -> np.ndarray:
    """The array in an IDX file, gzipped or not."""
    return parse_idx(read_bytes(path), Path(path).name)


def find_file(directory: Path, name: str) -> Path | None:
    """``name`` or ``name.gz`` in directory, whichever is there (the plain one first)."""
    for candidate in (Path(directory) / name, Path(directory) / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def read_image_set(directory: Path, prefix: str, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Images uint8 (N, rows, columns) and labels int64 (N,) from ``{prefix}-images-idx3-ubyte`` and
    ``{prefix}-labels-idx1-ubyte`` (each gzipped or not), as MNIST and Fashion-MNIST publish them."""
    paths = {kind: find_file(directory, f"{prefix}-{kind}-idx{rank}-ubyte") for kind, rank in (("images", 3), ("labels", 1))}
    missing = [f"{prefix}-{kind}-idx{3 if kind == 'images' else 1}-ubyte" for kind, path in paths.items() if path is None]
    if missing:
        raise FileNotFoundError(f"{Path(directory)} lacks {' and '.join(missing)} (or the same with .gz).")
    images, labels = read_idx(paths["images"]), read_idx(paths["labels"])
    _check(paths["images"].name, images, rank=3, what="images (count, rows, columns)")
    _check(paths["labels"].name, labels, rank=1, what="labels (count)")
    if len(images) != len(labels):
        raise IdxError(f"{paths['images'].name} holds {len(images):,} images but {paths['labels'].name} "
                       f"{len(labels):,} labels: they are not a pair.")
    if labels.size and labels.max() >= classes:
        raise IdxError(f"{paths['labels'].name} has label {int(labels.max())}; labels go from 0 to {classes - 1}.")
    return images, labels.astype(np.int64)


def _check(name: str, array: np.ndarray, rank: int, what: str) -> None:
    if array.ndim != rank:
        raise IdxError(f"{name} holds {array.ndim}-dimensional data {array.shape}; {what} is {rank}-dimensional. "
                       "Are the files swapped or misnamed?")
    if array.dtype != np.uint8:
        raise IdxError(f"{name} holds {array.dtype} values; {what} are unsigned bytes.")
