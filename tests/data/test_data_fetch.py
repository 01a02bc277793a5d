"""Fetching datasets from a local HTTP server this test starts, serving small files: never the internet."""
from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest

from playground.data import catalog
from playground.data.catalog import CATALOG, Download, Entry, availability, missing
from playground.data.fetch import FetchFailed, Unreachable, fetch, progress_bar
from playground.data.idx import read_image_set
from mirror import QuietHandler, publish, serving
from waiting import free_port

TEXT = b"First Citizen:\nBefore we proceed any further, hear me speak.\n" * 50


class LyingHandler(QuietHandler):
    """Promises more bytes than it sends: a download cut short."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"only this much")


@pytest.fixture
def mirror(tmp_path):
    """A local mirror: files under mirror/<entry>/<file>, served over HTTP; yields (base URL, folder)."""
    root = tmp_path / "mirror"
    root.mkdir()
    with serving(root) as base:
        yield base, root


def text_entry(sha256: str = "", md5: str = "") -> Entry:
    return Entry("tiny", "A small text", "dataset", (("input.txt",),), (Download("input.txt", sha256=sha256, md5=md5),),
                 mirrors=("http://127.0.0.1:9/",), source="https://example.org/tiny")


def test_a_file_is_downloaded_with_a_progress_bar_and_its_checksums_checked(mirror, tmp_path):
    base, root = mirror
    sha256 = publish(root, "tiny", "input.txt", TEXT)
    out = io.StringIO()
    entry = text_entry(sha256, hashlib.md5(TEXT).hexdigest())
    assert missing(tmp_path / "data", entry) == ["input.txt"]
    fetch(entry, tmp_path / "data", base=base, out=out)
    assert (tmp_path / "data" / "datasets" / "tiny" / "input.txt").read_bytes() == TEXT
    assert "input.txt [" in out.getvalue() and "#" * 30 in out.getvalue()
    assert missing(tmp_path / "data", entry) == []
    assert fetch(entry, tmp_path / "data", base=base) == []  # present: nothing fetched again


@pytest.mark.parametrize("checksums", [{"sha256": "0" * 64}, {"md5": "0" * 32}, {"sha256_prefix": "00000000"}])
def test_a_file_with_the_wrong_checksum_is_deleted_and_reported(mirror, tmp_path, checksums):
    base, root = mirror
    publish(root, "tiny", "input.txt", TEXT)
    entry = Entry("tiny", "A small text", "dataset", (("input.txt",),), (Download("input.txt", **checksums),),
                  mirrors=(), source="https://example.org/tiny")
    with pytest.raises(FetchFailed, match="not the published|does not start with") as failed:
        fetch(entry, tmp_path / "data", base=base)
    assert "it was deleted" in str(failed.value)
    assert list((tmp_path / "data" / "datasets" / "tiny").iterdir()) == []


def test_where_nothing_can_be_reached_it_says_what_to_place_where(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(Unreachable) as failed:
        fetch(text_entry("0" * 64), tmp_path / "data", base=closed, timeout=5)
    message = str(failed.value)
    assert "could not download input.txt" in message
    assert f"place input.txt in {tmp_path / 'data' / 'datasets' / 'tiny'}/" in message
    assert "https://example.org/tiny" in message
    assert list((tmp_path / "data" / "datasets" / "tiny").iterdir()) == []


def test_a_download_cut_short_is_not_kept(tmp_path):
    with serving(tmp_path, LyingHandler) as base:
        with pytest.raises(Unreachable, match="stopped after 14 of 100,000 bytes|IncompleteRead|incomplete"):
            fetch(text_entry(), tmp_path / "data", base=base)
    assert list((tmp_path / "data" / "datasets" / "tiny").iterdir()) == []


def idx(array_bytes: bytes, dims: tuple[int, ...]) -> bytes:
    return bytes([0, 0, 0x08, len(dims)]) + b"".join(d.to_bytes(4, "big") for d in dims) + array_bytes


def test_idx_files_fetched_gzipped_are_read_by_the_idx_reader(mirror, tmp_path):
    base, root = mirror
    images = idx(bytes(range(256)) * 3, (3, 16, 16))  # three 16 × 16 pictures
    files = {"t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": idx(bytes([1, 2, 3]), (3,))}
    downloads = tuple(Download(f"{name}.gz", sha256=publish(root, "digits", f"{name}.gz", gzip.compress(data)))
                      for name, data in files.items())
    entry = Entry("digits", "Digits", "dataset", tuple((n, f"{n}.gz") for n in files), downloads, (), "https://example.org")
    fetch(entry, tmp_path / "data", base=base)
    pictures, labels = read_image_set(tmp_path / "data" / "datasets" / "digits", "t10k")
    assert pictures.shape == (3, 16, 16) and labels.tolist() == [1, 2, 3]


def tar_gz(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return out.getvalue()


def test_an_archive_gives_up_only_the_named_files_and_then_goes(mirror, tmp_path):
    base, root = mirror
    wanted = ("batches/a", "batches/b")
    archive = tar_gz({"batches/a": b"A", "batches/b": b"B", "../escape": b"no", "batches/extra": b"no"})
    entry = Entry("packed", "Packed", "dataset", tuple((name,) for name in wanted),
                  (Download("packed.tar.gz", sha256=publish(root, "packed", "packed.tar.gz", archive), unpack=wanted),),
                  (), "https://example.org")
    fetch(entry, tmp_path / "data", base=base)
    folder = tmp_path / "data" / "datasets" / "packed"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == ["batches/a", "batches/b"]
    assert not (tmp_path / "data" / "datasets" / "escape").exists()


def test_an_archive_whose_named_file_is_a_link_is_refused(mirror, tmp_path):
    base, root = mirror
    archive = tar_gz({"batches/a": b"A"}, links=("batches/b",))
    entry = Entry("packed", "Packed", "dataset", (("batches/a",), ("batches/b",)),
                  (Download("packed.tar.gz", sha256=publish(root, "packed", "packed.tar.gz", archive),
                            unpack=("batches/a", "batches/b")),), (), "https://example.org")
    with pytest.raises(FetchFailed, match="lacks batches/b"):
        fetch(entry, tmp_path / "data", base=base)


def test_the_catalogue_knows_each_named_dataset_its_files_and_a_checksum_for_each():
    assert {"mnist", "fashion-mnist", "cifar-10", "tiny-shakespeare", "vgg19"} <= set(CATALOG)
    for entry in CATALOG.values():
        assert entry.downloads and entry.mirrors and entry.source
        for download in entry.downloads:
            assert download.sha256 or download.md5 or download.sha256_prefix, download
    assert CATALOG["mnist"].needs[0] == ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz")
    assert catalog.folder("/data", CATALOG["vgg19"]).as_posix() == "/data/weights"


def test_availability_says_what_is_there_and_how_to_get_the_rest(tmp_path):
    folder = tmp_path / "datasets" / "tiny-shakespeare"
    folder.mkdir(parents=True)
    (folder / "input.txt").write_text("hello")
    mnist = tmp_path / "datasets" / "mnist"
    mnist.mkdir()
    for names in CATALOG["mnist"].needs[:3]:
        (mnist / names[1]).write_bytes(b"")  # gzipped names count too
    by_name = {item["name"]: item for item in availability(tmp_path)}
    assert by_name["tiny-shakespeare"]["present"] and by_name["tiny-shakespeare"]["how"] == ""
    assert by_name["mnist"]["missing"] == ["t10k-labels-idx1-ubyte"]
    assert "./manage.py fetch_datasets mnist" in by_name["mnist"]["how"]
    assert "./manage.py fetch_weights vgg19" in by_name["vgg19"]["how"]
    assert "$LAYERLAB_DATA_DIR/datasets/mnist/" in by_name["mnist"]["how"]


def test_the_progress_bar_fills_as_bytes_come():
    assert progress_bar("f", 0, 100, width=10) == "f [          ]    0.0 of 0.0 MB"
    assert progress_bar("f", 50, 100, width=10).startswith("f [#####     ]")
    assert progress_bar("f", 2 * 1_048_576, 0) == "f      2.0 MB"
