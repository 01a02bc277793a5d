"""The Basics page's task: a small MLP on 2-D toy data, in the spirit of the TensorFlow playground.

Run it without the web site:

    from playground.tasks.basics import BasicsTask
    from playground.tasks.base import RunContext
    BasicsTask().run(BasicsTask.Config(), RunContext(emit=print))

Events (docs/api.md, "Basics events"): the points once; train/test/grad metrics every
``emit_every`` epochs; surface, units and weights every ``grid_every`` epochs. Both
reports also happen at the starting epoch (the untrained network) and the last one.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import pydantic
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from playground import nets
from playground.data import toy
from playground.data.split import Split
from playground.tasks import checkpoint, optim
from playground.tasks.base import JobContext, RunContext, Stopped, Task, TaskConfig, TaskFailure, finite
from playground.tasks.basics.config import BasicsConfig
from playground.tasks.basics.lessons import LESSONS
from playground.tasks.basics.pictures import BasicsPictures
from playground.tasks.fit import Every, Plan, fit, report
from playground.tasks.handlers import Event, Handlers, Progress
from playground.tasks.loop import SupervisedLoop, cpu_threads

ACTIVATION_LAYERS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": None}


@dataclass(frozen=True)
class Head:
    """What the output layer means for one kind of problem: its loss, its score and its picture."""

    outputs: int
    target_dtype: torch.dtype
    loss: Callable[[Tensor, Tensor], Tensor]
    correct: Callable[[Tensor, Tensor], Tensor] | None
    to_planes: Callable[[Tensor], Tensor]  # output (N, outputs) -> planes (C, N)
    value_range: tuple[float, float]


def head_for(problem: str, classes: int) -> Head:
    """Binary: one logit, BCE, surface 2·sigmoid−1. Multiclass: K logits, cross-entropy, K planes. Regression: MSE."""
    if problem == "regression":
        return Head(1, torch.float32, lambda out, y: F.mse_loss(out.squeeze(1), y), None, lambda out: out.T, (-1.0, 1.0))
    if classes == 2:
        return Head(
            1,
            torch.float32,
            lambda out, y: F.binary_cross_entropy_with_logits(out.squeeze(1), y),
            lambda out, y: ((out.squeeze(1) > 0) == (y > 0.5)).sum(),
            lambda out: (2 * torch.sigmoid(out) - 1).T,
            (-1.0, 1.0),
        )
    return Head(
        classes,
        torch.int64,
        F.cross_entropy,
        lambda out, y: (out.argmax(1) == y).sum(),
        lambda out: torch.softmax(out, 1).T,
        (0.0, 1.0),
    )


def output_classes(config: BasicsConfig) -> int:
    """Classes the output layer must tell apart (0 for regression); custom points decide their own."""
    if config.problem == "regression":
        return 0
    if config.dataset == "custom":
        return max(2, int(max(point[2] for point in config.points or [[0, 0, 0]])) + 1)
    return toy.DATASETS[config.dataset].classes


def toy_splits(config: BasicsConfig) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The points this configuration trains and tests on, the same every time."""
    if config.dataset == "custom":
        xy, labels = toy.custom_points(config.points or [], config.problem)
    else:
        xy, labels = toy.make_points(config.dataset, config.n_points, config.noise, config.data_seed)
    return toy.split(xy, labels, config.train_ratio, config.data_seed)


def device_split(points: tuple[np.ndarray, np.ndarray], features: list[str], head: Head, device: torch.device) -> Split:
    xy, labels = points
    x = toy.feature_columns(torch.from_numpy(xy).to(device), features)
    return Split(x, torch.from_numpy(labels).to(device=device, dtype=head.target_dtype))


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def optimizer_settings(config: BasicsConfig) -> optim.OptimizerSettings:
    """Plain SGD (no momentum) or Adam; L2 is their weight decay, which reaches the weights, not the biases."""
    decay = config.regularization_rate if config.regularization == "l2" else 0.0
    return optim.OptimizerSettings(config.optimizer, config.learning_rate, weight_decay=decay)


def make_optimizer(config: BasicsConfig, model: nn.Module) -> torch.optim.Optimizer:
    return optim.make_optimizer(model, optimizer_settings(config))


def l1_penalty(config: BasicsConfig, model: nn.Module) -> Callable[[], Tensor] | None:
    if config.regularization != "l1" or config.regularization_rate == 0:
        return None
    weights = optim.weights(model)
    rate = config.regularization_rate
    return lambda: rate * sum(w.abs().sum() for w in weights)


def build_model(config: BasicsConfig, device: torch.device) -> nn.Module:
    """The network of net_spec, initialised from ``seed`` without disturbing anyone else's random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        model = nets.build_net(BasicsTask.net_spec(config))
    return model.to(device)


def resume(directory: Path, config: BasicsConfig, loop: SupervisedLoop) -> None:
    """Continue loop from a checkpoint of the same network; the optimiser's state too if it is the same kind."""
    saved = BasicsConfig.model_validate(checkpoint.read_state(directory)["config"])
    if BasicsTask.net_spec(saved) != BasicsTask.net_spec(config):
        raise ValueError("The checkpoint's network differs from this configuration's; keep features, hidden, activation, problem and the number of classes.")
    checkpoint.resume_loop(directory, loop, optimizer=saved.optimizer == config.optimizer)
    optim.apply_settings(loop.optimizer, optimizer_settings(config))  # this run's rate and L2, not the saved ones


# A checkpoint is saved after the first epoch and then at most this often, so that jobs (a
# prediction) work mid-run.
CHECKPOINT_SECONDS = 2.0
PLANE = 1e3  # points a prediction may ask about lie within ±PLANE on both axes


class PredictArgs(TaskConfig):
    """Points of the plane, as [x, y], at which to ask the trained network."""

    points: list[tuple[float, float]] = pydantic.Field(min_length=1, max_length=10_000)

    @pydantic.field_validator("points")
    @classmethod
    def _on_the_plane(cls, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if not all(math.isfinite(v) and abs(v) <= PLANE for point in points for v in point):
            raise ValueError(f"every coordinate must be a number between {-PLANE:g} and {PLANE:g}")
        return points


class BasicsControls(TaskConfig):
    """What a visitor may change while a Basics run trains."""

    learning_rate: Optional[float] = pydantic.Field(None, gt=0, le=10, allow_inf_nan=False)


class BasicsTask(Task):
    """Train an MLP on a toy dataset and show its surface, its neurons and its curves."""

    name = "basics"
    title = "Basics: 2-D classification and regression"
    Config = BasicsConfig
    Controls = BasicsControls
    Jobs = {"predict": PredictArgs}

    @staticmethod
    def net_spec(config: BasicsConfig) -> dict[str, Any]:
        """The network specification (see playground.nets) this configuration trains."""
        layers: list[dict[str, Any]] = []
        activation = ACTIVATION_LAYERS[config.activation]
        for width in config.hidden:
            layers.append({"type": "Linear", "out_features": width})
            if activation:
                layers.append({"type": activation})
        layers.append({"type": "Linear", "out_features": head_for(config.problem, output_classes(config)).outputs})
        return {"version": 1, "input": {"shape": [len(config.features)]}, "layers": layers}

    @staticmethod
    def catalogue() -> dict[str, Any]:
        """The datasets and input features, with their words, for the page's controls, and its lessons."""
        return {
            "lessons": LESSONS,
            "datasets": {
                name: {"problem": d.problem, "classes": d.classes, "description": d.description}
                for name, d in toy.DATASETS.items()
            },
            "features": {name: {"label": f.label, "description": f.description} for name, f in toy.FEATURES.items()},
        }

    @classmethod
    def preview(cls, config: BasicsConfig | dict[str, Any], data_dir: Path | None = None,
                uploads_dir: Path | None = None) -> dict[str, Any]:
        """The points a run with this configuration would train and test on (its data needs no files)."""
        splits = toy_splits(cls.Config.model_validate(config))
        return {name: toy.as_rows(*splits[name]) for name in ("train", "test")}

    def job(self, kind: str, args: PredictArgs, ctx: JobContext) -> dict[str, Any]:
        """``predict``: the trained network's output at each point, from the run's latest checkpoint.

        Classification gives each point's class probabilities and likeliest class;
        regression its value.
        """
        config = ctx.config
        device = torch.device(ctx.device)
        head = head_for(config.problem, output_classes(config))
        model = build_model(config, device)
        try:
            checkpoint.load_model(ctx.checkpoint_dir, model)
        except (OSError, RuntimeError, checkpoint.CheckpointError):
            raise TaskFailure("the run's checkpoint could not be read just now; ask again") from None
        model.eval()
        with torch.no_grad(), cpu_threads(device, 1):
            xy = torch.tensor(args.points, dtype=torch.float32, device=device)
            out = model(toy.feature_columns(xy, config.features))
            if config.problem == "regression":
                return {"problem": "regression", "values": [finite(v) for v in out[:, 0].tolist()]}
            if head.outputs == 1:
                positive = torch.sigmoid(out[:, 0])
                probabilities = torch.stack([1 - positive, positive], dim=1)
            else:
                probabilities = torch.softmax(out, dim=1)
            rows = [[finite(p) for p in row] for row in probabilities.tolist()]
        return {"problem": "classification", "probabilities": rows,
                "classes": probabilities.argmax(dim=1).tolist()}

    def run(self, config: BasicsConfig | dict[str, Any], ctx: RunContext) -> None:
        config = self.Config.model_validate(config)
        device = torch.device(ctx.device)
        with cpu_threads(device, 1):
            self._train(config, ctx, device)

    def _train(self, config: BasicsConfig, ctx: RunContext, device: torch.device) -> None:
        head = head_for(config.problem, output_classes(config))
        splits = toy_splits(config)
        train, test = (device_split(splits[name], config.features, head, device) for name in ("train", "test"))
        loop = make_loop(config, ctx, head, device, len(train))
        linears = linear_layers(loop.model)
        pictures = BasicsPictures(
            loop.model, linears, config.features, config.activation, head.to_planes, head.value_range, config.grid_size, device
        )

        ctx.emit("table", {"name": "points", **{n: toy.as_rows(*splits[n]) for n in ("train", "test")}}, loop.step)
        report(loop, train, test, loop.epoch, ctx.emit)  # the untrained (or resumed) network
        pictures.emit(loop.epoch, loop.step, ctx.emit)

        def draw(progress: Progress) -> None:
            if progress.final or progress.epoch % config.grid_every == 0:
                pictures.emit(progress.epoch, loop.step, ctx.emit)

        saved_at = [float("-inf")]  # the first epoch saves one, so that jobs work early

        def keep_checkpoint(progress: Progress) -> None:
            if time.monotonic() - saved_at[0] >= CHECKPOINT_SECONDS and not progress.final:
                save(ctx, config, loop)
                saved_at[0] = time.monotonic()

        plan = Plan(config.epochs, loop.epoch, Every(epochs=config.emit_every), target_test_loss=config.target_test_loss)
        try:
            outcome = fit(loop, train, test, plan, ctx.emit, grad_weights=[m.weight for m in linears],
                          handlers=Handlers().on(Event.EPOCH, draw).on(Event.EPOCH, keep_checkpoint))
        except Stopped:
            save(ctx, config, loop)
            raise
        if outcome.reached_target is not None:
            message = (f"Stopped at epoch {outcome.epoch}: the test loss {outcome.reached_target:.4g} "
                       f"reached the target {config.target_test_loss:g}.")
            ctx.emit("log", {"level": "info", "message": message}, loop.step)
        save(ctx, config, loop)


def make_loop(config: BasicsConfig, ctx: RunContext, head: Head, device: torch.device, train_size: int) -> SupervisedLoop:
    """Model, optimiser and loop, continuing from ctx.resume_dir when there is one."""
    model = build_model(config, device)
    loop = SupervisedLoop(
        model, make_optimizer(config, model), head.loss,
        batch_size=min(config.batch_size, train_size), control=ctx.control, correct_fn=head.correct,
        penalty_fn=l1_penalty(config, model), seed=config.seed,
    )
    if ctx.resume_dir:
        resume(ctx.resume_dir, config, loop)
    return loop


def save(ctx: RunContext, config: BasicsConfig, loop: SupervisedLoop) -> None:
    """Checkpoint the loop's model and optimiser with the configuration and progress, if the run keeps one."""
    if ctx.checkpoint_dir is not None:
        checkpoint.save_loop(ctx.checkpoint_dir, loop, config.model_dump(mode="json"))
