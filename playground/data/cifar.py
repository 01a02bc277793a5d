"""CIFAR-10's python batches read without running what a pickle asks for.

The batches are Python pickles: a dict of a numpy uint8 array (``data``, N × 3072,
the red, green and blue 32 × 32 planes one after another), a list of ``labels``
and some names. ``pickle.load`` would call whatever function a file names, so
a tampered file could run anything. ``BatchUnpickler`` resolves only the three
names a numpy array needs (its class, its dtype and numpy's ``_reconstruct``);
any other global (``os.system``, ``builtins.eval``...) refuses the file before
anything is called. What comes out is then checked for exactly the shapes and
types a batch has.

    images, labels = read_split(directory, "train")  # uint8 (50000, 3, 32, 32), int64 (50000,)
    classes = read_classes(directory)                  # ["airplane", "automobile", ...]
"""
from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import numpy as np

SPLITS = {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)}
SIDE, CHANNELS = 32, 3
# The globals a pickled numpy array names (numpy 1 wrote numpy.core, numpy 2 writes numpy._core), and
# the one Python 3 uses for bytes in a protocol-2 pickle (answered by latin1_bytes, not _codecs itself).
ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
}


class CifarError(ValueError):
    """A file that is not a whole, well-formed CIFAR-10 batch; the message names it and says what is wrong."""


class Forbidden(pickle.UnpicklingError):
    """The pickle asks for something a CIFAR-10 batch never holds."""


def latin1_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """What ``_codecs.encode`` does in a protocol-2 pickle of bytes, and nothing else it could do."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise Forbidden("it asks to encode something other than bytes, which a CIFAR-10 batch never does")
    return text.encode("latin1")


class BatchUnpickler(pickle.Unpickler):
    """An unpickler that builds dicts, lists, strings, numbers and numpy arrays, and calls nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise Forbidden(f"it asks for {module}.{name}, which a CIFAR-10 batch never does")
        if name == "_reconstruct":
            return np.ndarray.__reduce__(np.zeros(0))[0]  # numpy's own _reconstruct, wherever it lives
        if name == "encode":
            return latin1_bytes
        return getattr(np, name)

    def persistent_load(self, pid: Any) -> Any:
        raise Forbidden("it refers to outside objects, which a CIFAR-10 batch never does")


def load_batch(path: Path) -> dict[str, Any]:
    """A batch file's dict, with nothing run on the way; CifarError for anything else."""
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
        # latin1: the batches were written by Python 2, whose byte strings this turns into str (numpy expects that).
        content = BatchUnpickler(io.BytesIO(raw), encoding="latin1").load()
    except FileNotFoundError:
        raise
    except Forbidden as error:
        raise CifarError(f"{name} is not a CIFAR-10 batch: {error}") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError, MemoryError, OverflowError) as error:
        raise CifarError(f"{name} is damaged or truncated ({type(error).__name__}: {error})") from None
    if not isinstance(content, dict):
        raise CifarError(f"{name} is not a CIFAR-10 batch: it holds a {type(content).__name__}, not a dict")
    return {key.decode("latin1") if isinstance(key, bytes) else key: value for key, value in content.items()}


def read_batch(path: Path, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """One batch: images uint8 (N, 3, 32, 32) and labels int64 (N,), checked."""
    name = Path(path).name
    batch = load_batch(path)
    data, labels = batch.get("data"), batch.get("labels")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
            or data.shape[1] != CHANNELS * SIDE * SIDE:
        what = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise CifarError(f"{name}: 'data' should be uint8 pictures (N, 3072), not {what}")
    if not isinstance(labels, list) or not all(type(label) is int for label in labels):
        raise CifarError(f"{name}: 'labels' should be a list of whole numbers")
    if len(labels) != len(data):
        raise CifarError(f"{name} holds {len(data):,} pictures but {len(labels):,} labels")
    label_array = np.asarray(labels, dtype=np.int64)
    if label_array.size and (label_array.min() < 0 or label_array.max() >= classes):
        raise CifarError(f"{name} has label {int(label_array.max())}; labels go from 0 to {classes - 1}")
    return data.reshape(-1, CHANNELS, SIDE, SIDE), label_array


def read_split(directory: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``train`` (five batches) or ``test`` split of ``cifar-10-batches-py``, in file order."""
    paths = [Path(directory) / name for name in SPLITS[split]]
    absent = [path.name for path in paths if not path.is_file()]
    if absent:
        raise FileNotFoundError(f"{Path(directory)} lacks {', '.join(absent)}")
    parts = [read_batch(path) for path in paths]
    return np.concatenate([images for images, _ in parts]), np.concatenate([labels for _, labels in parts])


def read_classes(directory: Path) -> list[str]:
    """The class names in ``batches.meta``."""
    names = load_batch(Path(directory) / "batches.meta").get("label_names")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise CifarError("batches.meta: 'label_names' should be a list of names")
    return names
