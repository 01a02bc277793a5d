"""The IDX reader, on small files written here in MNIST's exact format: gzipped or not, and every way one can be wrong."""
import gzip
import struct

import numpy as np
import pytest

from playground.data.idx import IdxError, parse_idx, read_idx, read_image_set


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    """An IDX file as MNIST's publishers write it: zeros, type code, rank, big-endian sizes, big-endian data."""
    big_endian = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(big_endian).tobytes()


def write_set(directory, prefix="t10k", count=5, gzipped=False, images=None, labels=None):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8) if images is None else images
    labels = (np.arange(count) % 10).astype(np.uint8) if labels is None else labels
    for name, array in ((f"{prefix}-images-idx3-ubyte", images), (f"{prefix}-labels-idx1-ubyte", labels)):
        raw = idx_bytes(array)
        path = directory / (name + ".gz" if gzipped else name)
        path.write_bytes(gzip.compress(raw) if gzipped else raw)
    return images, labels


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_pair_reads_back_exactly(tmp_path, gzipped):
    images, labels = write_set(tmp_path, gzipped=gzipped)
    read_images, read_labels = read_image_set(tmp_path, "t10k")
    assert read_images.dtype == np.uint8 and read_images.shape == (5, 28, 28) and read_images.flags.writeable
    assert np.array_equal(read_images, images)
    assert read_labels.dtype == np.int64 and read_labels.tolist() == [0, 1, 2, 3, 4]


def test_a_gzipped_file_is_known_by_its_bytes_not_its_name(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(gzip.compress(idx_bytes(np.array([7, 1], dtype=np.uint8))))
    assert read_idx(path).tolist() == [7, 1]


@pytest.mark.parametrize("code", [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_every_type_code_and_big_endian_values(code):
    array = np.arange(-3, 9).reshape(3, 2, 2)
    if code == 0x08:
        array = array + 3
    values = parse_idx(idx_bytes(array, code))
    assert values.shape == (3, 2, 2) and values.tolist() == array.tolist() and values.dtype.isnative


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "not an IDX file"),
    (b"PK\x03\x04rest of a zip", "not an IDX file"),
    (bytes([0, 0, 0x42, 1, 0, 0, 0, 1, 5]), "not an IDX file"),
    (bytes([0, 0, 0x08, 3, 0, 0, 0, 2]), "header is cut short"),
    (bytes([0, 0, 0x08, 0]), "header is cut short"),
    (idx_bytes(np.zeros((4, 3, 3), np.uint8))[:-5], r"truncated: its header promises 36 bytes of data \(4, 3, 3\), it holds 31"),
    (idx_bytes(np.zeros(3, np.uint8)) + b"\x00\x01", "2 bytes more than its header"),
    (bytes([0, 0, 0x08, 4]) + b"\xff\xff\xff\xff" * 4, "truncated"),  # a header promising 2^128 bytes
])
def test_a_malformed_file_gets_a_sentence_naming_it(raw, message):
    with pytest.raises(IdxError, match=message) as raised:
        parse_idx(raw, "t10k-images-idx3-ubyte")
    assert str(raised.value).startswith("t10k-images-idx3-ubyte ")


def test_a_truncated_gzip_is_refused_as_such(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    whole = gzip.compress(idx_bytes(np.random.default_rng(0).integers(0, 256, (50, 28, 28), dtype=np.uint8)))
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IdxError, match="t10k-images-idx3-ubyte.gz is a damaged or truncated gzip file"):
        read_idx(path)


def test_swapped_files_are_called_swapped(tmp_path):
    labels = np.arange(5, dtype=np.uint8)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(labels))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros((5, 28, 28), np.uint8)))
    with pytest.raises(IdxError, match="1-dimensional data .* swapped or misnamed"):
        read_image_set(tmp_path, "t10k")


def test_images_and_labels_of_different_counts_are_not_a_pair(tmp_path):
    write_set(tmp_path, labels=np.arange(4, dtype=np.uint8))
    with pytest.raises(IdxError, match="holds 5 images but t10k-labels-idx1-ubyte 4 labels"):
        read_image_set(tmp_path, "t10k")


def test_labels_out_of_range_and_values_of_the_wrong_type_are_refused(tmp_path):
    write_set(tmp_path, labels=np.array([0, 1, 2, 3, 12], dtype=np.uint8))
    with pytest.raises(IdxError, match="label 12; labels go from 0 to 9"):
        read_image_set(tmp_path, "t10k")
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((5, 2, 2)), code=0x0D))
    with pytest.raises(IdxError, match="float32 values; images .* are unsigned bytes"):
        read_image_set(tmp_path, "t10k")


def test_missing_files_are_named(tmp_path):
    write_set(tmp_path, prefix="train")
    (tmp_path / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="lacks train-labels-idx1-ubyte"):
        read_image_set(tmp_path, "train")
    with pytest.raises(FileNotFoundError, match="lacks t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte"):
        read_image_set(tmp_path, "t10k")
