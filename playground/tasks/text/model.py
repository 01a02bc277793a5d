"""The network of a Text run read one batch at a time with its hidden state kept, and sampled from.

``nets.build_net`` builds the specification as an ``nn.Sequential`` whose recurrent
layers sit in ``SequenceOutput`` wrappers that drop their final state (what an
exported script wants). Here the same modules are run in order, but each recurrent
layer is called with the state it left last time, and returns the new one, so that
truncated back-propagation through time can carry it across batches.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from playground.nets.modules import SequenceOutput

State = list[Any]  # one entry per recurrent layer: a tensor (RNN, GRU) or a pair of tensors (LSTM)


class Vocabulary:
    """The characters of a corpus in code-point order, and text to ids and back."""

    def __init__(self, characters: str) -> None:
        self.characters = characters
        self.codes = np.array([ord(c) for c in characters], dtype=np.int64)
        self.index = {c: i for i, c in enumerate(characters)}

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        return cls("".join(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.characters)

    def encode(self, text: str) -> Tensor:
        """The ids of every character of text (all of them in the vocabulary), as int64."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        return torch.from_numpy(np.searchsorted(self.codes, codes))

    def unknown(self, text: str) -> list[str]:
        return sorted({c for c in text if c not in self.index})

    def decode(self, ids: list[int]) -> str:
        return "".join(self.characters[i] for i in ids)


def recurrent_layers(net: nn.Sequential) -> list[nn.RNNBase]:
    return [m.rnn for m in net if isinstance(m, SequenceOutput)]


def run(net: nn.Sequential, x: Tensor, state: State | None) -> tuple[Tensor, State]:
    """Scores (N, T, vocabulary) for ids x (N, T), from ``state`` (None: zeros); and the state after."""
    after: State = []
    for module in net:
        if isinstance(module, SequenceOutput):
            x, last = module.rnn(x, state[len(after)] if state is not None else None)
            after.append(last)
        else:
            x = module(x)
    return x, after


def detach(state: State) -> State:
    """The same state cut from the graph of the batch that made it."""
    return [tuple(t.detach() for t in s) if isinstance(s, tuple) else s.detach() for s in state]


def layer_groups(net: nn.Sequential) -> tuple[list[str], list[list[nn.Parameter]]]:
    """The weights by layer as a student counts them: each layer of a stacked RNN on its own, then the decoder."""
    names, groups = [], []
    for index, module in enumerate(net):
        inner = module.rnn if isinstance(module, SequenceOutput) else module
        if isinstance(inner, nn.RNNBase):
            for layer in range(inner.num_layers):
                params = [p for name, p in inner.named_parameters() if name.split("_")[-1] in (f"l{layer}",)
                          or name.endswith(f"_l{layer}_reverse")]
                names.append(f"{type(inner).__name__} {index + 1}" + (f".{layer + 1}" if inner.num_layers > 1 else ""))
                groups.append(params)
            continue
        params = [p for p in module.parameters() if p.requires_grad]
        if params:
            names.append(f"{type(inner).__name__} {index + 1}" if index < len(net) - 1 else "decoder")
            groups.append(params)
    return names, groups


def group_norms(groups: list[list[nn.Parameter]]) -> Tensor:
    """The gradient norm of each group, on the device (zero where a group has no gradient yet)."""
    device = groups[0][0].device
    norms = []
    for params in groups:
        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            norms.append(torch.zeros((), device=device))
            continue
        squares = torch.stack([n.float() ** 2 for n in torch._foreach_norm(grads)])
        norms.append(squares.sum().sqrt())
    return torch.stack(norms)


def next_ids(scores: Tensor, temperature: float, top_k: int, generator: torch.Generator | None) -> Tensor:
    """One id per row of scores (N, V): the likeliest at temperature 0, else drawn from the tempered top k."""
    scores = scores.float()
    if temperature <= 1e-4:
        return scores.argmax(-1)
    if 0 < top_k < scores.shape[-1]:
        kth = scores.topk(top_k, dim=-1).values[..., -1:]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    probabilities = torch.softmax(scores / temperature, dim=-1)
    return torch.multinomial(probabilities, 1, generator=generator).squeeze(-1)


@torch.no_grad()
def generate(net: nn.Sequential, prompt_ids: Tensor, length: int, temperature: float, top_k: int = 0,
             generator: torch.Generator | None = None, on_id: Any = None) -> list[int]:
    """``length`` ids that follow the prompt, one at a time, its state carried.

    Without ``on_id`` the ids stay on the device until the end (one read); with it,
    each id is read as it comes and handed to ``on_id`` (streaming to a visitor).
    """
    was_training = net.training
    net.eval()
    try:
        scores, state = run(net, prompt_ids.view(1, -1), None)
        out: list[Tensor] = []
        for _ in range(length):
            chosen = next_ids(scores[:, -1], temperature, top_k, generator)
            out.append(chosen)
            if on_id is not None:
                on_id(int(chosen.item()))
            scores, state = run(net, chosen.view(1, 1), state)
        return torch.cat(out).tolist() if out else []
    finally:
        net.train(was_training)


def embedding_matrix(net: nn.Sequential) -> Tensor | None:
    """A vector per character: an Embedding's rows, or after a OneHot the first recurrent layer's input weights."""
    first = net[0]
    if isinstance(first, nn.Embedding):
        return first.weight.detach().float()
    recurrent = recurrent_layers(net)
    if recurrent and len(net) > 1 and type(first).__name__ == "OneHot":
        return recurrent[0].weight_ih_l0.detach().float().T
    return None


def pca_2d(vectors: Tensor) -> Tensor:
    """The vectors projected on their two directions of largest variance (N, 2)."""
    centred = vectors - vectors.mean(0, keepdim=True)
    if centred.shape[1] < 2:
        return torch.cat([centred, torch.zeros_like(centred)], 1)[:, :2]
    _, _, v = torch.linalg.svd(centred, full_matrices=False)
    return centred @ v[:2].T
