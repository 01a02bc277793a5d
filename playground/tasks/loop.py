"""A small supervised training loop over tensors that already live on the device.

Each epoch draws one permutation on the device and slices batches from it (no
DataLoader). A step is: check the control, take the batch (augmented and
transformed on the device when its split says so), set the scheduled learning
rate, forward, backward, optimiser step. Nothing is read back to the host during
an epoch; metrics are summed on the device and read with one ``.tolist()`` per
report. It knows nothing of any page; ``fit.py`` drives it, with reports and handlers.

    loop = SupervisedLoop(model, optimizer, loss_fn, batch_size=32, control=ctx.control)
    loop.train_epoch(train, epoch=1)
    [test_totals] = loop.evaluate(test, predictions=True)
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from playground.data.split import Split
from playground.tasks.base import Control
from playground.tasks.schedules import LearningRateSchedule

EVALUATION_CHUNK_NUMBERS = 2**18
LossFunction = Callable[[Tensor, Tensor], Tensor]  # (output, target) -> mean loss
CorrectFunction = Callable[[Tensor, Tensor], Tensor]  # (output, target) -> number right, a 0-d tensor
PredictFunction = Callable[[Tensor], Tensor]  # output (N, ...) -> the predicted class of each example (N,)
StepHook = Callable[[], bool]  # after each optimiser step; True ends the epoch there


@dataclass
class Totals:
    """Loss and correct answers summed over ``count`` examples, and optionally each prediction, still on the device."""

    loss: Tensor
    correct: Tensor | None
    count: int
    predictions: Tensor | None = None  # (count,) int64, in the split's order


def predict_class(output: Tensor) -> Tensor:
    """The highest-scoring class of each example."""
    return output.argmax(1)


def confusion_matrix(predictions: Tensor, targets: Tensor, classes: int) -> Tensor:
    """Counts (classes, classes) on the device: row = true class, column = predicted class.

    ``index_add_``, not ``bincount``: on a GPU bincount reads its input's maximum back to size its output.
    """
    cells = targets.long() * classes + predictions.long()
    counts = torch.zeros(classes * classes, dtype=torch.int64, device=cells.device)
    return counts.index_add_(0, cells, torch.ones_like(cells)).reshape(classes, classes)


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
    """Trains ``model`` one epoch at a time on a Split; counts steps; applies control changes and the schedule."""

    def __init__(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        loss_fn: LossFunction,
        *,
        batch_size: int,
        control: Control,
        correct_fn: CorrectFunction | None = None,
        predict_fn: PredictFunction = predict_class,
        penalty_fn: Callable[[], Tensor] | None = None,
        lr_schedule: LearningRateSchedule | None = None,
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
        self.predict_fn = predict_fn
        self.penalty_fn = penalty_fn  # added to the loss for the gradient, left out of the reported loss
        self.lr_schedule = lr_schedule  # None: the optimiser's rates stay as they are
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
        self.changes: dict[str, Any] = {}  # live controls the loop does not apply itself (apply_changes)
        self._joined_cache: tuple[tuple[int, ...], Split, Sequence[Split]] | None = None

    def _zero_totals(self) -> Totals:
        zero = torch.zeros((), device=self.device)
        return Totals(zero.clone(), zero.clone() if self.correct_fn else None, 0)

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def apply_changes(self, changes: dict[str, Any]) -> None:
        """Live controls changed from outside while training (``ctx.control.check()``, by field name).

        The loop applies ``learning_rate`` (the schedule's base, if any); whatever else
        changed waits in ``self.changes`` for the task, which takes it with ``take_changes``.
        """
        changes = dict(changes)
        if "learning_rate" in changes:
            lr = float(changes.pop("learning_rate"))
            if self.lr_schedule is not None:
                self.lr_schedule.set_base(lr)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
        self.changes.update(changes)

    def take_changes(self) -> dict[str, Any]:
        """The controls other than the learning rate that changed since the task last asked."""
        changes, self.changes = self.changes, {}
        return changes

    def steps_per_epoch(self, data: Split) -> int:
        return -(-len(data) // self.batch_size)

    def train_epoch(self, data: Split, epoch: int, after_step: StepHook | None = None) -> bool:
        """One pass over data in the order fixed by (seed, epoch); False if ``after_step`` ended it early.

        ``after_step()`` runs after every optimiser step (reports by steps or by
        seconds, handlers); returning True ends the epoch there, unfinished
        (after its last step, the epoch is finished all the same).
        """
        self.model.train()
        self.generator.manual_seed(epoch_seed(self.seed, epoch))
        order = torch.randperm(len(data), device=self.device, generator=self.generator)
        for start in range(0, len(data), self.batch_size):
            changes = self.control.check()
            if changes:
                self.apply_changes(changes)
            x, y = data.training_batch(order[start : start + self.batch_size], self.generator)
            self.train_step(x, y)
            if after_step is not None and after_step() and start + self.batch_size < len(data):
                return False
        self.epoch = epoch
        return True

    def train_step(self, x: Tensor, y: Tensor) -> None:
        with self._autocast():
            output = self.model(x)
            loss = self.loss_fn(output, y)
        objective = loss + self.penalty_fn() if self.penalty_fn else loss
        self.optimizer.zero_grad(set_to_none=True)
        objective.backward()
        if self.lr_schedule is not None:
            self.lr_schedule.apply(self.step)
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
    def evaluate(self, *splits: Split, chunk: int | None = None, predictions: bool = False) -> list[Totals]:
        """Loss and correct answers over each whole split, without gradients, ``chunk`` examples at a time.

        With ``predictions`` each Totals also holds every example's predicted class
        (``predict_fn``, argmax by default), for a confusion matrix or the worst
        mistakes. The default chunk holds about a million input numbers, so that a
        chunk's activations stay in cache (1000 MNIST images at once took half as
        long again as 256 at a time). Splits that fit in one chunk together, and
        share their transform, share one forward pass: for small data a report
        costs as many kernels as it launches, whatever their size.
        """
        self.model.eval()
        chunk = chunk or max(1, EVALUATION_CHUNK_NUMBERS // max(1, splits[0].x[0].numel()))
        same_transform = all(split.transform is splits[0].transform for split in splits)
        if len(splits) > 1 and same_transform and sum(map(len, splits)) <= chunk:
            joined = self._joined(splits)
            with self._autocast():
                output = self.model(joined.inputs(joined.x))
            totals, at = [], 0
            for split in splits:
                totals.append(self._totals(output[at : at + len(split)], joined.y[at : at + len(split)], predictions))
                at += len(split)
            return totals
        return [self._evaluate_in_chunks(split, chunk, predictions) for split in splits]

    def _joined(self, splits: Sequence[Split]) -> Split:
        """The splits end to end, made once: the data of a run does not change."""
        key = tuple(id(split.x) for split in splits)
        if self._joined_cache is None or self._joined_cache[0] != key:
            joined = Split(torch.cat([s.x for s in splits]), torch.cat([s.y for s in splits]), splits[0].transform)
            self._joined_cache = (key, joined, splits)  # holding the splits keeps their ids theirs
        return self._joined_cache[1]

    def _totals(self, output: Tensor, y: Tensor, predictions: bool = False) -> Totals:
        with self._autocast():
            loss = self.loss_fn(output, y).float() * len(y)
        correct = self.correct_fn(output, y) if self.correct_fn else None
        return Totals(loss, correct, len(y), self.predict_fn(output) if predictions else None)

    def _evaluate_in_chunks(self, data: Split, chunk: int, predictions: bool) -> Totals:
        totals, predicted = self._zero_totals(), []
        for start in range(0, len(data), chunk):
            x, y = data.x[start : start + chunk], data.y[start : start + chunk]
            with self._autocast():
                output = self.model(data.inputs(x))
            part = self._totals(output, y, predictions)
            totals.loss.add_(part.loss)
            if totals.correct is not None and part.correct is not None:
                totals.correct.add_(part.correct)
            if part.predictions is not None:
                predicted.append(part.predictions)
        totals.count = len(data)
        if predictions:
            totals.predictions = torch.cat(predicted) if predicted else torch.zeros(0, dtype=torch.int64, device=self.device)
        return totals

    def grad_norms(self, weights: Sequence[Tensor]) -> list[Tensor]:
        """Norm of each weight's gradient from the latest step, as device tensors."""
        grads = [w.grad for w in weights if w.grad is not None]
        if not grads or len(grads) < len(weights):  # none asked for, or before the first step
            return [w.grad.norm() if w.grad is not None else torch.zeros((), device=self.device) for w in weights]
        return list(torch._foreach_norm(grads))  # one kernel for all, as clip_grad_norm_ does
