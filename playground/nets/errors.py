"""What goes wrong with a network specification, said for a student."""
from __future__ import annotations


class NetError(Exception):
    """A specification that cannot be inspected or built.

    ``errors`` lists every problem found as ``{"path": str, "message": str}``: ``path``
    is where ("4", "3.layers.1", "6.branches.0.2", "input", or "" for the whole),
    ``message`` a sentence that names the layer in words.
    """

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = [{"path": str(e["path"]), "message": str(e["message"])} for e in errors]
        super().__init__("\n".join(e["message"] for e in self.errors))


class Refusal(Exception):
    """Raised by an argument or a registry function that cannot accept what it was given.

    The message continues a sentence that starts with the layer's name, either as a
    verb phrase ("receives a 16 × 5 × 5 volume; add a Flatten layer before it") or as
    a clause that follows a colon ("kernel_size 7 is larger than its 5 × 5 input").
    """


_VERBS = ("receives", "needs", "has ")


def about(who: str, refusal: Refusal | str) -> str:
    """Joins a layer's name and what is wrong with it into one sentence."""
    text = str(refusal)
    return f"{who} {text}" if text.startswith(_VERBS) else f"{who}: {text}"
