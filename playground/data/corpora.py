"""Text corpora for the Text page: built-in ones, a catalogue dataset, and uploads; their statistics and split.

Built-in corpora need nothing downloaded and the repository carries no third-party
text: ``python`` is the source of Python's own standard library (already on every
machine that runs the site), ``sentences`` a small generated text for quick demos,
and ``brackets`` generated nested brackets whose closing ones depend on what was
opened long before. ``tiny-shakespeare`` comes from the dataset catalogue
(``./manage.py fetch_datasets tiny-shakespeare``); an upload is named
``"upload:<id>"``. Everything here is plain Python: no Django, no torch.

    text = load_text("sentences")
    train, val = split_by_position(text, 0.1)
    corpus_statistics(text)["entropy_bits"]  # the loss a model that ignores context cannot beat
"""
from __future__ import annotations

import functools
import math
import random
import sysconfig
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from playground.data import catalog

PYTHON_CHARACTERS = 2_000_000  # whole files of the standard library until this many characters
PREVIEW_CHARACTERS = 600
PRINTABLE = frozenset(chr(code) for code in range(32, 127)) | {"\n"}


class CorpusMissing(Exception):
    """A corpus that is not on this machine; the message says how to get it."""


@dataclass(frozen=True)
class Corpus:
    name: str
    title: str
    description: str
    dataset: str = ""  # the catalogue entry it comes from (not built in)


CORPORA: dict[str, Corpus] = {
    "python": Corpus("python", "Python source",
                     "About 2 million characters of the Python standard library's own source, whole files in name "
                     "order: a network learns indentation, keywords and matched brackets."),
    "sentences": Corpus("sentences", "Small sentences",
                        "About 30,000 characters of generated sentences from a few dozen words: "
                        "a model learns to spell them within a minute."),
    "brackets": Corpus("brackets", "Matched brackets",
                       "About 90,000 characters of generated brackets of four kinds, opened, then a run of letters, "
                       "then closed in reverse: each closing bracket depends on one opened 10 to 30 characters "
                       "before, a test of long memory."),
    "tiny-shakespeare": Corpus("tiny-shakespeare", "Tiny Shakespeare",
                               "1.1 million characters of Shakespeare's plays, Karpathy's char-rnn corpus.",
                               dataset="tiny-shakespeare"),
}


def python_stdlib_text(limit: int = PYTHON_CHARACTERS) -> str:
    """Whole ASCII source files of the standard library's top folder, in name order, until ``limit`` characters."""
    folder = Path(sysconfig.get_paths()["stdlib"])
    parts, total = [], 0
    for path in sorted(folder.glob("*.py")):
        try:
            text = path.read_bytes().decode("ascii")
        except (OSError, UnicodeDecodeError):
            continue  # non-ASCII files would bring a few rare characters into the vocabulary
        text = text.replace("\r\n", "\n").replace("\t", "    ").replace("\x0c", "")
        if not set(text) <= PRINTABLE:
            continue  # a stray control character would be a letter of its own
        part = f"# {path.name}\n{text.rstrip()}\n\n"
        if total + len(part) > limit and parts:
            break
        parts.append(part)
        total += len(part)
    if not parts:
        raise CorpusMissing("this Python installation has no standard-library source files to read")
    return "".join(parts)[:limit]


SUBJECTS = ("the cat", "a dog", "my friend", "the old man", "a small bird", "the teacher", "her brother", "the fox")
VERBS = ("sees", "likes", "finds", "follows", "helps", "watches", "calls", "meets")
OBJECTS = ("the garden", "a red ball", "the river", "an apple", "the little house", "a green tree", "the moon")
ENDINGS = (" today", " again", " at night", " in the morning", "", "")


def sentences_text(count: int = 900, seed: int = 7) -> str:
    """Short sentences from a tiny grammar, one per line; the same every time."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}."
        lines.append(sentence[0].upper() + sentence[1:])
    return "\n".join(lines) + "\n"


PAIRS = ("()", "[]", "{}", "<>")


def brackets_text(lines: int = 2500, seed: int = 11) -> str:
    """Lines of one or two groups: 2 to 5 opening brackets, 8 to 24 letters, then the same closed in reverse.

    Each closing bracket must match one opened 10 to 30 characters before, and nothing
    in between says which: only a network that remembers that long writes them right.
    The same text every time.
    """
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        groups = []
        for _ in range(rng.randint(1, 2)):
            opened = [rng.choice(PAIRS) for _ in range(rng.randint(2, 5))]
            groups.append("".join(pair[0] for pair in opened) + "a" * rng.randint(8, 24)
                          + "".join(pair[1] for pair in reversed(opened)))
        out.append("".join(groups))
    return "\n".join(out) + "\n"


BUILT_IN: dict[str, Callable[[], str]] = {
    "python": python_stdlib_text,
    "sentences": sentences_text,
    "brackets": brackets_text,
}


@functools.lru_cache(maxsize=4)
def built_in_text(name: str) -> str:
    return BUILT_IN[name]()


def dataset_text(name: str, data_dir: Path | None) -> str:
    """A catalogue corpus's text; CorpusMissing saying how to get it when it is not on disk."""
    entry = catalog.CATALOG[CORPORA[name].dataset]
    path = catalog.find(Path(data_dir), entry, entry.needs[0]) if data_dir is not None else None
    if path is None:
        raise CorpusMissing(f"the {CORPORA[name].title} corpus is not on this server: run "
                            f"./manage.py fetch_datasets {entry.name}, or {catalog.by_hand(entry)}")
    return path.read_text(encoding="utf-8")


def load_text(name: str, data_dir: Path | None = None, upload: Callable[[str], Path] | None = None) -> str:
    """The text of a corpus: built in, from the catalogue, or an upload (``upload`` finds its file)."""
    if name.startswith("upload:"):
        if upload is None:
            raise CorpusMissing("uploaded corpora are read only where uploads are kept")
        return upload(name).read_text(encoding="utf-8")
    if name in BUILT_IN:
        return built_in_text(name)
    if name in CORPORA:
        return dataset_text(name, data_dir)
    raise CorpusMissing(f"there is no corpus {name!r}; choose one of {', '.join(CORPORA)} or an upload")


def availability(data_dir: Path | None) -> dict[str, dict]:
    """Each named corpus with its words, whether it is here, and how to get it when it is not."""
    out = {}
    for name, corpus in CORPORA.items():
        present, how = True, ""
        if corpus.dataset:
            entry = catalog.CATALOG[corpus.dataset]
            present = data_dir is not None and not catalog.missing(Path(data_dir), entry)
            how = "" if present else (f"run ./manage.py fetch_datasets {entry.name} on the server, or "
                                      f"{catalog.by_hand(entry)}")
        out[name] = {"title": corpus.title, "description": corpus.description, "present": present, "how": how,
                     "built_in": not corpus.dataset}
    return out


def split_by_position(text: str, val_fraction: float) -> tuple[str, str]:
    """The first part of the text to train on and the last ``val_fraction`` of it to validate on."""
    cut = len(text) - max(1, int(len(text) * val_fraction))
    return text[:cut], text[cut:]


def unigram_entropy(counts: Counter) -> float:
    """Entropy in nats of the characters' frequencies: the loss of the best model that ignores context."""
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values() if c)


def corpus_statistics(text: str, top: int = 12) -> dict:
    """Characters, vocabulary, the most frequent characters and the unigram entropy (nats and bits)."""
    counts = Counter(text)
    entropy = unigram_entropy(counts)
    return {
        "characters": len(text),
        "vocabulary": len(counts),
        "lines": text.count("\n") + 1,
        "most_frequent": [[char, count / len(text)] for char, count in counts.most_common(top)],
        "entropy_nats": entropy,
        "entropy_bits": entropy / math.log(2),
    }


def preview(text: str, characters: int = PREVIEW_CHARACTERS) -> str:
    return text[:characters]
