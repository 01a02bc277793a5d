"""A small supervised training loop over tensors that already live on the device.

Each epoch draws one permutation on the device and slices batches from it (no
DataLoader). A step is: check the control, index the batch, forward, backward,
optimiser step. Nothing is read back to the host during an epoch; metrics are
summed on the device and read with one ``.tolist()`` per emit. The Basics page
uses it now and the CNN page will reuse it, so it knows nothing of either.

    loop = SupervisedLoop(model, optimizer, loss_fn, batch_size=32, control=ctx.control)
    fit(loop, data, Schedule(epochs=10), ctx.emit)
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from playground.tasks.base import Control, Emitter, emitted_together, finite

EVALUATION_CHUNK_NUMBERS = 2**18
LossFunction = Callable[[Tensor, Tensor], Tensor]  # (output, target) -> mean loss
CorrectFunction = Callable[[Tensor, Tensor], Tensor]  # (output, target) -> number right, a 0-d tensor
EpochHook = Callable[[int, bool], None]  # (epoch, final)


@dataclass
class Split:
    """Inputs and targets of one split, both on the training device."""

    x: Tensor
    y: Tensor

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class Totals:
    """Loss and correct answers summed over ``count`` examples, still on the device."""

    loss: Tensor
    correct: Tensor | None
    count: int


def epoch_seed(seed: int, epoch: int) -> int:
    """The seed of one epoch's shuffle: order depends on (seed, epoch) only, so a resumed run repeats it."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


def autocast_dtype(device: torch.device, wanted: bool) -> torch.dtype | None:
    """bf16 where it is safe and fast (a CUDA GPU that supports it); otherwise full precision."""
    if wanted and device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return None


@contextlib.contextmanager
def cpu_threads(device: torch.device, count: int) -> Iterator[None]:
    """Use count intra-op threads while training on the CPU, then restore the process's setting.

    A tiny network's kernels gain nothing from more threads, and on a busy machine
    the threads' waiting for one another made a Basics run 5 to 20 times slower.
    """
    if device.type != "cpu":
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def read_host(values: Sequence[Tensor]) -> list[float]:
    """Bring several 0-d device tensors to the host at once: one synchronisation, not one each."""
    if not values:
        return []
    return torch.stack([v.detach().reshape(()) for v in values]).tolist()


class SupervisedLoop:
    """Trains ``model`` one epoch at a time on a Split; counts steps; applies control changes."""

    def __init__(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        loss_fn: LossFunction,
        *,
        batch_size: int,
        control: Control,
        correct_fn: CorrectFunction | None = None,
        penalty_fn: Callable[[], Tensor] | None = None,
        mixed_precision: bool = False,
        running_totals: bool = False,
        seed: int = 0,
        step: int = 0,
        epoch: int = 0,
    ) -> None:
        self.model = model
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.correct_fn = correct_fn
        self.penalty_fn = penalty_fn  # added to the loss for the gradient, left out of the reported loss
        self.batch_size = batch_size
        self.control = control
        self.seed = seed
        self.step = step  # optimiser steps taken, counting from the run this one continues
        self.epoch = epoch  # last epoch finished
        self.device = next(model.parameters()).device
        self.amp_dtype = autocast_dtype(self.device, mixed_precision)
        self.generator = torch.Generator(device=self.device)
        # Summing the training loss as it goes costs a few kernels a step. Without it the
        # train metrics come from evaluating the whole training split at each report,
        # which is cheaper for small data and measures the same weights as the test split.
        self.running_totals = running_totals
        self._running = self._zero_totals()
        self._joined_cache: tuple[tuple[int, ...], Split, Sequence[Split]] | None = None

    def _zero_totals(self) -> Totals:
        zero = torch.zeros((), device=self.device)
        return Totals(zero.clone(), zero.clone() if self.correct_fn else None, 0)

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def apply_changes(self, changes: dict[str, Any]) -> None:
        """Settings changed from outside while training: today the learning rate."""
        if "lr" in changes:
            for group in self.optimizer.param_groups:
                group["lr"] = float(changes["lr"])

    def train_epoch(self, data: Split, epoch: int) -> None:
        """One pass over data in the order fixed by (seed, epoch)."""
        self.model.train()
        self.generator.manual_seed(epoch_seed(self.seed, epoch))
        order = torch.randperm(len(data), device=self.device, generator=self.generator)
        for start in range(0, len(data), self.batch_size):
            changes = self.control.check()
            if changes:
                self.apply_changes(changes)
            batch = order[start : start + self.batch_size]
            self.train_step(data.x[batch], data.y[batch])
        self.epoch = epoch

    def train_step(self, x: Tensor, y: Tensor) -> None:
        with self._autocast():
            output = self.model(x)
            loss = self.loss_fn(output, y)
        objective = loss + self.penalty_fn() if self.penalty_fn else loss
        self.optimizer.zero_grad(set_to_none=True)
        objective.backward()
        self.optimizer.step()
        self.step += 1
        if self.running_totals:
            self._add_running(output.detach(), y, loss.detach())

    def _add_running(self, output: Tensor, y: Tensor, loss: Tensor) -> None:
        self._running.loss.add_(loss * len(y))
        if self._running.correct is not None and self.correct_fn:
            self._running.correct.add_(self.correct_fn(output, y))
        self._running.count += len(y)

    def take_running(self) -> Totals:
        """The training totals summed since the last call, and start again from zero."""
        totals, self._running = self._running, self._zero_totals()
        return totals

    @torch.no_grad()
    def evaluate(self, *splits: Split, chunk: int | None = None) -> list[Totals]:
        """Loss and correct answers over each whole split, without gradients, ``chunk`` examples at a time.

        The default chunk holds about a million input numbers, so that a chunk's
        activations stay in cache (1000 MNIST images at once took half as long
        again as 256 at a time). Splits that fit in one chunk together share one
        forward pass: for small data a report costs as many kernels as it
        launches, whatever their size.
        """
        self.model.eval()
        chunk = chunk or max(1, EVALUATION_CHUNK_NUMBERS // max(1, splits[0].x[0].numel()))
        if len(splits) > 1 and sum(map(len, splits)) <= chunk:
            joined = self._joined(splits)
            with self._autocast():
                output = self.model(joined.x)
            totals, at = [], 0
            for split in splits:
                totals.append(self._totals(output[at : at + len(split)], joined.y[at : at + len(split)]))
                at += len(split)
            return totals
        return [self._evaluate_in_chunks(split, chunk) for split in splits]

    def _joined(self, splits: Sequence[Split]) -> Split:
        """The splits end to end, made once: the data of a run does not change."""
        key = tuple(id(split.x) for split in splits)
        if self._joined_cache is None or self._joined_cache[0] != key:
            joined = Split(torch.cat([s.x for s in splits]), torch.cat([s.y for s in splits]))
            self._joined_cache = (key, joined, splits)  # holding the splits keeps their ids theirs
        return self._joined_cache[1]

    def _totals(self, output: Tensor, y: Tensor) -> Totals:
        with self._autocast():
            loss = self.loss_fn(output, y).float() * len(y)
        correct = self.correct_fn(output, y) if self.correct_fn else None
        return Totals(loss, correct, len(y))

    def _evaluate_in_chunks(self, data: Split, chunk: int) -> Totals:
        totals = self._zero_totals()
        for start in range(0, len(data), chunk):
            x, y = data.x[start : start + chunk], data.y[start : start + chunk]
            with self._autocast():
                output = self.model(x)
            part = self._totals(output, y)
            totals.loss.add_(part.loss)
            if totals.correct is not None and part.correct is not None:
                totals.correct.add_(part.correct)
        totals.count = len(data)
        return totals

    def grad_norms(self, weights: Sequence[Tensor]) -> list[Tensor]:
        """Norm of each weight's gradient from the latest step, as device tensors."""
        grads = [w.grad for w in weights if w.grad is not None]
        if not grads or len(grads) < len(weights):  # none asked for, or before the first step
            return [w.grad.norm() if w.grad is not None else torch.zeros((), device=self.device) for w in weights]
        return list(torch._foreach_norm(grads))  # one kernel for all, as clip_grad_norm_ does


@dataclass
class Schedule:
    """Which epochs to train and when to report. Epochs are numbered on from ``start_epoch``."""

    epochs: int
    start_epoch: int = 0
    emit_every: int = 1
    target_test_loss: float | None = None

    @property
    def last_epoch(self) -> int:
        return self.start_epoch + self.epochs

    def emits_at(self, epoch: int) -> bool:
        return epoch % self.emit_every == 0 or epoch == self.last_epoch


@dataclass
class Outcome:
    """How fit ended: the last finished epoch, its metrics, and the test loss if it met the target."""

    epoch: int
    metrics: list[dict[str, Any]] = field(default_factory=list)
    reached_target: float | None = None


def metric_events(epoch: int, values: list[float], splits: list[tuple[str, Totals]], norms: int) -> list[dict[str, Any]]:
    """Turn the numbers read from the device back into metric event data, in order; empty splits say nothing."""
    events, at = [], 0
    for name, totals in splits:
        if totals.count == 0:
            at += 1 + (totals.correct is not None)
            continue
        loss = values[at] / max(totals.count, 1)
        event: dict[str, Any] = {"split": name, "epoch": epoch, "loss": finite(loss)}
        at += 1
        if totals.correct is not None:
            event["accuracy"] = finite(values[at] / max(totals.count, 1))
            at += 1
        events.append(event)
    if norms:
        events.append({"split": "grad", "epoch": epoch, "norms": [finite(v) for v in values[at : at + norms]]})
    return events


def report(
    loop: SupervisedLoop,
    train: Split,
    test: Split,
    epoch: int,
    emit: Emitter,
    *,
    grad_weights: Sequence[Tensor] = (),
) -> list[dict[str, Any]]:
    """Emit train and test metrics (and gradient norms) for this epoch with one read from the device.

    Train metrics are the loop's running totals when it keeps them (none before the
    first step), else an evaluation of the whole training split.
    """
    if loop.running_totals:
        splits = [("train", loop.take_running()), ("test", loop.evaluate(test)[0])]
    else:
        splits = list(zip(("train", "test"), loop.evaluate(train, test)))
    device_values = [t for _, totals in splits for t in (totals.loss, totals.correct) if t is not None]
    norms = loop.grad_norms(grad_weights)
    events = metric_events(epoch, read_host(device_values + norms), splits, len(norms))
    with emitted_together(emit):
        for event in events:
            emit("metric", event, loop.step)
    return events


def fit(
    loop: SupervisedLoop,
    train: Split,
    test: Split,
    schedule: Schedule,
    emit: Emitter,
    *,
    grad_weights: Sequence[Tensor] = (),
    after_epoch: EpochHook | None = None,
) -> Outcome:
    """Train the scheduled epochs, reporting every ``emit_every``; stop early when the test loss meets the target.

    ``after_epoch(epoch, final)`` runs after each epoch's report (pictures and the
    like); ``final`` is true for the epoch the run ends on. ``Stopped`` from the
    control passes through; ``loop.step`` says how far it got.
    """
    outcome = Outcome(schedule.start_epoch)
    for epoch in range(schedule.start_epoch + 1, schedule.last_epoch + 1):
        loop.train_epoch(train, epoch)
        outcome.epoch = epoch
        if schedule.emits_at(epoch):
            outcome.metrics = report(loop, train, test, epoch, emit, grad_weights=grad_weights)
            outcome.reached_target = _met_target(outcome.metrics, schedule.target_test_loss)
        final = epoch == schedule.last_epoch or outcome.reached_target is not None
        if after_epoch:
            after_epoch(epoch, final)
        if final:
            break
    return outcome


def _met_target(events: list[dict[str, Any]], target: float | None) -> float | None:
    """The test loss if it is at or below the target, else None."""
    test_loss = next((e["loss"] for e in events if e["split"] == "test"), None)
    if target is None or test_loss is None or test_loss > target:
        return None
    return test_loss
