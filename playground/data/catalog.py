"""Datasets and weights on disk: what each named one needs, where it lives, where it comes from, and whether it is there.

Everything lives under the data directory (``$LAYERLAB_DATA_DIR``):
``datasets/<name>/`` holds a dataset in its publisher's own file names,
``weights/`` pretrained weights. ``fetch.py`` downloads an entry's files and
checks them against the checksums below; where a machine cannot reach the
internet, the same files placed there by hand work as well.

Checksums, and where each comes from:

- MNIST: its publisher (yann.lecun.com) gives none; the SHA-256 of each canonical
  ``.gz`` file, as widely recorded (the same bytes torchvision's MD5s describe).
- Fashion-MNIST: the MD5s its publisher lists in its README, and the files' SHA-256.
- CIFAR-10: the MD5 on its publisher's page, and the archive's SHA-256.
- Tiny Shakespeare: its publisher (karpathy/char-rnn) gives none; the SHA-256 of the
  canonical ``input.txt`` (1,115,394 bytes).
- VGG-19: PyTorch publishes the first 8 hex digits of the file's SHA-256 in its name
  (``vgg19-dcbb9e9d.pth``, what ``torch.hub`` checks); that prefix is checked.

    catalog.missing(data_dir, CATALOG["mnist"])  # [] when it is all there
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Download:
    """One file to fetch: saved as ``file`` in the entry's folder, checked, unpacked if it is an archive."""

    file: str
    sha256: str = ""
    md5: str = ""
    sha256_prefix: str = ""
    unpack: tuple[str, ...] = ()  # members to take out of a .tar.gz (then the archive goes)


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    kind: Literal["dataset", "weights"]
    needs: tuple[tuple[str, ...], ...]  # each needed file, as its accepted names (the first is the canonical one)
    downloads: tuple[Download, ...]
    mirrors: tuple[str, ...]  # URL prefixes a download's file name is appended to, tried in order
    source: str  # the publisher's page, for whoever places the files by hand
    notes: str = ""
    classes: tuple[str, ...] = field(default=())

    @property
    def folder(self) -> str:
        """Where it lives, relative to the data directory."""
        return f"datasets/{self.name}" if self.kind == "dataset" else "weights"


def idx_files(*pairs: tuple[str, str, str]) -> tuple[tuple[tuple[str, ...], ...], tuple[Download, ...]]:
    """The four IDX files of MNIST-like sets: needed gzipped or not, downloaded gzipped."""
    needs = tuple((name, f"{name}.gz") for name, _, _ in pairs)
    downloads = tuple(Download(f"{name}.gz", sha256=sha256, md5=md5) for name, sha256, md5 in pairs)
    return needs, downloads


MNIST_NEEDS, MNIST_DOWNLOADS = idx_files(
    ("train-images-idx3-ubyte", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", ""),
    ("train-labels-idx1-ubyte", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", ""),
    ("t10k-images-idx3-ubyte", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", ""),
    ("t10k-labels-idx1-ubyte", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", ""),
)
FASHION_NEEDS, FASHION_DOWNLOADS = idx_files(
    ("train-images-idx3-ubyte", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
     "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
    ("train-labels-idx1-ubyte", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
     "25c81989df183df01b3e8a0aad5dffbe"),
    ("t10k-images-idx3-ubyte", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
     "bef4ecab320f06d8554ea6380940ec79"),
    ("t10k-labels-idx1-ubyte", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
     "bb300cfdad3c16e7a12a480ee83cd310"),
)
CIFAR_BATCHES = ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5",
                 "test_batch", "batches.meta")

CATALOG: dict[str, Entry] = {
    "mnist": Entry(
        "mnist", "MNIST handwritten digits (60,000 + 10,000, 28 × 28 grey)", "dataset",
        MNIST_NEEDS, MNIST_DOWNLOADS,
        mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/",
                 "http://yann.lecun.com/exdb/mnist/"),
        source="http://yann.lecun.com/exdb/mnist/", classes=tuple("0123456789"),
    ),
    "fashion-mnist": Entry(
        "fashion-mnist", "Fashion-MNIST clothing (60,000 + 10,000, 28 × 28 grey)", "dataset",
        FASHION_NEEDS, FASHION_DOWNLOADS,
        mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                 "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        source="https://github.com/zalandoresearch/fashion-mnist",
        classes=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                 "Ankle boot"),
    ),
    "cifar-10": Entry(
        "cifar-10", "CIFAR-10 photos (50,000 + 10,000, 32 × 32 colour)", "dataset",
        tuple((f"cifar-10-batches-py/{name}",) for name in CIFAR_BATCHES),
        (Download("cifar-10-python.tar.gz", sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
                  md5="c58f30108f718f92721af3b95e74349a",
                  unpack=tuple(f"cifar-10-batches-py/{name}" for name in CIFAR_BATCHES)),),
        mirrors=("https://www.cs.toronto.edu/~kriz/",),
        source="https://www.cs.toronto.edu/~kriz/cifar.html",
        notes="the python version: the cifar-10-batches-py folder out of cifar-10-python.tar.gz",
        classes=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
    ),
    "tiny-shakespeare": Entry(
        "tiny-shakespeare", "Tiny Shakespeare (1.1 million characters of the plays)", "dataset",
        (("input.txt",),),
        (Download("input.txt", sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"),),
        mirrors=("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/",),
        source="https://github.com/karpathy/char-rnn/tree/master/data/tinyshakespeare",
    ),
    "vgg19": Entry(
        "vgg19", "VGG-19 trained on ImageNet (PyTorch's weights, 548 MB), for style transfer", "weights",
        (("vgg19-dcbb9e9d.pth",),),
        (Download("vgg19-dcbb9e9d.pth", sha256_prefix="dcbb9e9d"),),
        mirrors=("https://download.pytorch.org/models/",),
        source="https://pytorch.org/vision/stable/models/generated/torchvision.models.vgg19.html",
    ),
}


def folder(data_dir: Path, entry: Entry) -> Path:
    return Path(data_dir) / entry.folder


def find(data_dir: Path, entry: Entry, names: tuple[str, ...]) -> Path | None:
    """The first of a needed file's accepted names that is there."""
    for name in names:
        path = folder(data_dir, entry) / name
        if path.is_file():
            return path
    return None


def missing(data_dir: Path, entry: Entry) -> list[str]:
    """The needed files that are not there, by their canonical names."""
    return [names[0] for names in entry.needs if find(data_dir, entry, names) is None]


def by_hand(entry: Entry, where: Path | None = None) -> str:
    """What to place where (``where``, or the folder under $LAYERLAB_DATA_DIR), for a machine that cannot download."""
    files = ", ".join(names[0] + (" (or .gz)" if len(names) > 1 else "") for names in entry.needs)
    what = f" ({entry.notes})" if entry.notes else ""
    return f"place {files}{what} in {where or '$LAYERLAB_DATA_DIR/' + entry.folder}/; get them from {entry.source}"


def availability(data_dir: Path, kind: str | None = None) -> list[dict]:
    """Each entry, whether it is there, and how to get it when it is not (``GET /api/datasets``)."""
    out = []
    for entry in CATALOG.values():
        if kind is not None and entry.kind != kind:
            continue
        absent = missing(data_dir, entry)
        command = "fetch_datasets" if entry.kind == "dataset" else "fetch_weights"
        out.append({
            "name": entry.name, "title": entry.title, "kind": entry.kind, "present": not absent,
            "missing": absent, "classes": list(entry.classes),
            "how": "" if not absent else f"run ./manage.py {command} {entry.name} on the server, or {by_hand(entry)}",
        })
    return out
