"""Training as a run drives it: epochs of the loop, metric reports on an interval, handlers, early ends.

    plan = Plan(epochs=5, report_every=Every(steps=100), evaluate_every=Every(epochs=1))
    progress = fit(loop, train, test, plan, ctx.emit, handlers=handlers)

A report emits the training metrics (running totals since the last report, or
the training split evaluated), the test metrics when the evaluation is due, and
the gradient norms of ``grad_weights``, all read from the device at once. Reports
come every n epochs, every n optimiser steps (counted over the whole run, so a
continued run reports at the same steps) or every n seconds; the test split is
evaluated at every report unless ``evaluate_every`` says otherwise; training
always ends with a full report. With ``Plan.predictions`` each evaluation also
keeps every test example's predicted class for REPORT handlers (a confusion
matrix), from the same forward pass. A loss that is no longer a number ends the
run with ``Diverged`` right after the report that showed it: the check costs
nothing between reports.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from torch import Tensor

from playground.data.split import Split
from playground.tasks.base import Diverged, Emitter, emitted_together, finite
from playground.tasks.handlers import Event, Handlers, Progress
from playground.tasks.loop import SupervisedLoop, Totals, read_host

Clock = Callable[[], float]


@dataclass(frozen=True)
class Every:
    """An interval: every n epochs, every n optimiser steps or every n seconds (exactly one of them)."""

    epochs: int = 0
    steps: int = 0
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if sum(value > 0 for value in (self.epochs, self.steps, self.seconds)) != 1:
            raise ValueError("An interval is a number of epochs, of steps or of seconds, above zero: exactly one.")


@dataclass
class Plan:
    """Which epochs to train and when to report. Epochs are numbered on from ``start_epoch``."""

    epochs: int
    start_epoch: int = 0
    report_every: Every = field(default_factory=lambda: Every(epochs=1))
    evaluate_every: Every | None = None  # when the test split is evaluated; None: at every report
    target_test_loss: float | None = None  # stop once a report's test loss is at or below it
    predictions: bool = False  # keep each test example's predicted class (Progress.predictions) for REPORT handlers

    @property
    def last_epoch(self) -> int:
        return self.start_epoch + self.epochs


@dataclass
class Report:
    """What a report emitted, and the test split's predicted classes (on the device) when they were asked for."""

    metrics: list[dict[str, Any]]
    predictions: Tensor | None = None


def metric_events(epoch: float, values: list[float], splits: list[tuple[str, Totals]], norms: int) -> list[dict[str, Any]]:
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


def _not_finite_loss(values: list[float], splits: list[tuple[str, Totals]]) -> float | None:
    """The first summed loss that is NaN or infinite, if any."""
    at = 0
    for _, totals in splits:
        if totals.count and not math.isfinite(values[at]):
            return values[at]
        at += 1 + (totals.correct is not None)
    return None


def report(
    loop: SupervisedLoop,
    train: Split,
    test: Split | None,
    epoch: float,
    emit: Emitter,
    *,
    grad_weights: Sequence[Tensor] = (),
    predictions: bool = False,
) -> Report:
    """Emit train and test metrics (and gradient norms) with one read from the device; ``test`` None skips it.

    Train metrics are the loop's running totals when it keeps them (none before the
    first step), else an evaluation of the whole training split. With
    ``predictions`` the test split's predicted classes come back too, from the same
    forward pass, without being read. Raises ``Diverged`` after emitting, when a
    loss is NaN or infinite.
    """
    if loop.running_totals:
        splits = [("train", loop.take_running())]
        if test is not None:
            splits.append(("test", loop.evaluate(test, predictions=predictions)[0]))
    else:
        splits = list(zip(("train", "test"), loop.evaluate(train, *([test] if test else []), predictions=predictions)))
    device_values = [t for _, totals in splits for t in (totals.loss, totals.correct) if t is not None]
    norms = loop.grad_norms(grad_weights)
    values = read_host(device_values + norms)
    events = metric_events(epoch, values, splits, len(norms))
    with emitted_together(emit):
        for event in events:
            emit("metric", event, loop.step)
    bad = _not_finite_loss(values, splits)
    if bad is not None:
        raise Diverged(loop.step, bad)
    return Report(events, splits[1][1].predictions if test is not None else None)


class Fit:
    """One training run's epochs, reports and handlers; ``fit`` drives it, and so can a benchmark, epoch by epoch."""

    def __init__(
        self,
        loop: SupervisedLoop,
        train: Split,
        test: Split | None,
        plan: Plan,
        emit: Emitter,
        *,
        grad_weights: Sequence[Tensor] = (),
        handlers: Handlers | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.loop, self.train, self.test, self.plan, self.emit = loop, train, test, plan, emit
        self.grad_weights = grad_weights
        self.handlers = handlers or Handlers()
        self.clock = clock
        self.progress = Progress(loop, plan.start_epoch)
        self.evaluate_every = plan.evaluate_every or plan.report_every
        self._last_time = {"report": clock(), "evaluate": clock()}
        self._pending = {"report": False, "evaluate": False}  # due at an epoch's last step: its end reports
        self._evaluated_at = -1  # the step of the latest report with the test split
        self._epoch_first_step = loop.step
        by_step = any(every.steps or every.seconds for every in (plan.report_every, self.evaluate_every))
        self._after_step = self._step_done if by_step or self.handlers.has(Event.STEP) else None
        self._steps_per_epoch = loop.steps_per_epoch(train)

    def run_epoch(self, epoch: int) -> bool:
        """Train one epoch with its reports and handlers; False once training should end.

        Training ends with a full report, unless the report that ended it (a met
        target) was at this very step. EPOCH handlers run for finished epochs only.
        """
        self.progress.epoch = epoch
        self._epoch_first_step = self.loop.step
        finished = self.loop.train_epoch(self.train, epoch, self._after_step)
        final = not finished or self.progress.terminated or epoch == self.plan.last_epoch
        evaluate = final or self._pending["evaluate"] or self._epoch_due(self.evaluate_every, epoch)
        wanted = evaluate or self._pending["report"] or self._epoch_due(self.plan.report_every, epoch)
        self._pending = {"report": False, "evaluate": False}
        if wanted and self._evaluated_at != self.loop.step:
            self._report(self._epochs_done(), evaluate)
        self.progress.final = final
        if finished:
            self.handlers.fire(Event.EPOCH, self.progress)
        return not final

    def finish(self) -> Progress:
        """Fire the END handlers; the Progress says where training ended."""
        self.progress.final = True
        self.handlers.fire(Event.END, self.progress)
        return self.progress

    def _step_done(self) -> bool:
        """After each optimiser step: STEP handlers, then a report if one is due; True ends the epoch."""
        self.handlers.fire(Event.STEP, self.progress)
        evaluate = self._step_due(self.evaluate_every, "evaluate")
        if evaluate or self._step_due(self.plan.report_every, "report"):
            if self.loop.step - self._epoch_first_step < self._steps_per_epoch:
                self._report(self._epochs_done(), evaluate)
            else:  # the epoch's last step: one report at its end says it all
                self._pending = {"report": True, "evaluate": evaluate}
        return self.progress.terminated

    def _epochs_done(self) -> float:
        """The epoch's number at its end; within it, the fraction of epochs done (2.25)."""
        done = self.loop.step - self._epoch_first_step
        if done >= self._steps_per_epoch:
            return self.progress.epoch
        return round(self.progress.epoch - 1 + done / self._steps_per_epoch, 4)

    def _step_due(self, every: Every, name: str) -> bool:
        if every.steps:
            return self.loop.step % every.steps == 0
        if every.seconds:
            return self.clock() - self._last_time[name] >= every.seconds
        return False

    @staticmethod
    def _epoch_due(every: Every, epoch: int) -> bool:
        return every.epochs > 0 and epoch % every.epochs == 0

    def _report(self, epoch: float, evaluate: bool) -> None:
        test = self.test if evaluate else None
        done = report(self.loop, self.train, test, epoch, self.emit, grad_weights=self.grad_weights,
                      predictions=self.plan.predictions and evaluate)
        self.progress.metrics = done.metrics
        if evaluate:
            self.progress.predictions = done.predictions
        self.progress.reports += 1
        now = self.clock()
        self._last_time["report"] = now
        if evaluate:
            self._last_time["evaluate"], self._evaluated_at = now, self.loop.step
            self._check_target()
        self.handlers.fire(Event.REPORT, self.progress)

    def _check_target(self) -> None:
        target = self.plan.target_test_loss
        test_loss = next((e["loss"] for e in self.progress.metrics if e["split"] == "test"), None)
        if target is not None and test_loss is not None and test_loss <= target:
            self.progress.reached_target = test_loss
            self.progress.terminate()


def fit(
    loop: SupervisedLoop,
    train: Split,
    test: Split | None,
    plan: Plan,
    emit: Emitter,
    *,
    grad_weights: Sequence[Tensor] = (),
    handlers: Handlers | None = None,
    clock: Clock = time.monotonic,
) -> Progress:
    """Train the planned epochs with their reports and handlers; stop early when the test loss meets the target.

    ``Stopped`` from the control and ``Diverged`` from a report pass through, END
    handlers unfired; ``loop.step`` says how far it got.
    """
    run = Fit(loop, train, test, plan, emit, grad_weights=grad_weights, handlers=handlers, clock=clock)
    for epoch in range(plan.start_epoch + 1, plan.last_epoch + 1):
        if not run.run_epoch(epoch):
            break
    return run.finish()
