"""The CNN page's task: a network of the builder's layers trained to classify pictures.

    from playground.tasks.cnn import CnnTask
    from playground.tasks.base import RunContext
    CnnTask().run(CnnTask.Config(), RunContext(emit=print))

The whole dataset goes to the device once, as uint8; each batch is augmented and
normalised there (data/transforms.py). On CUDA the model runs channels-last
under bf16 autocast. Events (docs/api.md, "CNN events"): the dataset once; train
loss and accuracy every ``report_every`` steps; test loss and accuracy, images
per second, the confusion matrix, the worst mistakes and the first layer's
filters after each epoch. The checkpoint is saved after each epoch, so the
short jobs (jobs.py) work while the run still trains.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from playground.data.image_sets import ImageSet, SETS, describe
from playground.data.split import Split
from playground.data.transforms import Augment, Normalize
from playground.tasks import checkpoint, optim
from playground.tasks.base import Control, JobContext, RunContext, Stopped, Task, TaskFailure, emitted_together
from playground.tasks.cnn import pictures
from playground.tasks.cnn.building import build_model, check_fits, load_data
from playground.tasks.cnn.jobs import answer
from playground.tasks.cnn.config import CnnConfig
from playground.tasks.cnn.jobargs import JOBS
from playground.tasks.cnn.lessons import LESSONS, PRESETS
from playground.tasks.fit import Every, Plan, fit
from playground.tasks.handlers import Event, Handlers, Progress
from playground.tasks.loop import SupervisedLoop, confusion_matrix, cpu_threads
from playground.tasks.schedules import LearningRateSchedule, ScheduleSettings

ROTATION_DEGREES = 10.0
PREVIEW_EXAMPLES = 8


class CnnControls(pydantic.BaseModel):
    """What may change while a CNN run trains."""

    model_config = pydantic.ConfigDict(extra="forbid")
    learning_rate: float | None = pydantic.Field(None, gt=0, le=10, description="The optimiser's step size from the next step on.")


class ToModel(Normalize):
    """Normalise a batch, and lay it out channels-last where the model is (on CUDA)."""

    def __init__(self, mean: list[float], std: list[float], channels_last: bool) -> None:
        super().__init__(mean, std)
        self.channels_last = channels_last

    def __call__(self, x: Tensor) -> Tensor:
        x = super().__call__(x)
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last else x


def augmentation(config: CnnConfig, side: int) -> Augment | None:
    if not config.augment:
        return None
    return Augment(crop_padding=max(2, side // 8) if "crop" in config.augment else 0, flip="flip" in config.augment,
                   rotation=ROTATION_DEGREES if "rotate" in config.augment else 0.0)


@dataclass
class Prepared:
    images: ImageSet
    train: Split
    test: Split
    mean: list[float]
    std: list[float]


def prepare(config: CnnConfig, images: ImageSet, device: torch.device) -> Prepared:
    mean, std = images.channel_statistics()
    transform = ToModel(mean, std, channels_last=device.type == "cuda")
    to = lambda array, dtype: torch.from_numpy(np.ascontiguousarray(array)).to(device=device, dtype=dtype)  # noqa: E731
    train = Split(to(images.train[0], torch.uint8), to(images.train[1], torch.int64), transform,
                  augmentation(config, images.shape[-1]))
    test = Split(to(images.test[0], torch.uint8), to(images.test[1], torch.int64), transform)
    return Prepared(images, train, test, mean, std)


def first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


def make_loop(config: CnnConfig, model: nn.Module, control: Control, train_size: int) -> SupervisedLoop:
    optimizer = optim.make_optimizer(model, optim.OptimizerSettings(
        config.optimizer, config.learning_rate, config.weight_decay, config.momentum if config.optimizer == "sgd" else 0.0))
    batch_size = min(config.batch_size, train_size)
    total = config.epochs * -(-train_size // batch_size)
    settings = ScheduleSettings(config.schedule, total_steps=max(total, 2), step_size=max(1, total // 3))
    smoothing = config.label_smoothing
    return SupervisedLoop(
        model, optimizer, lambda out, y: F.cross_entropy(out, y, label_smoothing=smoothing),
        batch_size=batch_size, control=control, correct_fn=lambda out, y: (out.argmax(1) == y).sum(),
        lr_schedule=LearningRateSchedule(optimizer, settings) if config.schedule != "constant" else None,
        mixed_precision=True, running_totals=True, seed=config.seed,
    )


class EpochPictures:
    """After each epoch: speed, confusion matrix, worst mistakes, filters and the checkpoint."""

    def __init__(self, config: CnnConfig, ctx: RunContext, data: Prepared, loop: SupervisedLoop) -> None:
        self.config, self.ctx, self.data, self.loop = config, ctx, data, loop
        self.classes = data.images.classes
        self.since = time.perf_counter()
        self.examples_per_epoch = len(data.train)

    def restart_clock(self, progress: Progress | None = None) -> None:
        self.since = time.perf_counter()

    def __call__(self, progress: Progress) -> None:
        seconds = time.perf_counter() - self.since  # the report before this read the device: work is done
        emit, step = self.ctx.emit, self.loop.step
        with emitted_together(emit):
            emit("metric", {"split": "speed", "epoch": progress.epoch,
                            "images_per_second": round(self.examples_per_epoch / max(seconds, 1e-9), 1)}, step)
            if progress.predictions is not None:
                self.confusion(progress.epoch, progress.predictions)
                self.mistakes(progress.epoch, progress.predictions)
            self.filters(progress.epoch)
        save(self.ctx, self.config, self.loop, self.data)
        self.restart_clock()

    def confusion(self, epoch: int, predictions: Tensor) -> None:
        matrix = confusion_matrix(predictions, self.data.test.y, len(self.classes)).tolist()
        self.ctx.emit("table", {"name": "confusion", "epoch": epoch, "labels": self.classes, "matrix": matrix},
                      self.loop.step)

    @torch.no_grad()
    def mistakes(self, epoch: int, predictions: Tensor) -> None:
        """The wrong answers given with the most confidence, each with its three best guesses."""
        most = self.config.misclassified
        if not most:
            return
        test = self.data.test
        wrong = torch.nonzero(predictions != test.y).squeeze(1)[:4096]
        if len(wrong) == 0:
            rows, tiles = [], []
        else:
            self.loop.model.eval()
            with self.loop._autocast():
                probabilities = torch.softmax(self.loop.model(test.inputs(test.x[wrong])).float(), 1)
            true_p = probabilities.gather(1, test.y[wrong].unsqueeze(1)).squeeze(1)
            order = torch.argsort(true_p)[:most]
            chosen = wrong[order]
            top_p, top_k = probabilities[order].topk(min(3, len(self.classes)), 1)
            chosen_list, top_p_list, top_k_list = chosen.tolist(), top_p.tolist(), top_k.tolist()
            stored = test.x[chosen].cpu().numpy()
            labels = test.y[chosen].tolist()
            rows = [[index, self.classes[label], *[f"{self.classes[k]} ({p:.0%})" for k, p in zip(ks, ps)]]
                    for index, label, ks, ps in zip(chosen_list, labels, top_k_list, top_p_list)]
            tiles = [pictures.picture_of(image) for image in stored]
        columns = ["test image", "true", "guess 1", "guess 2", "guess 3"][: 2 + min(3, len(self.classes))]
        self.ctx.emit("table", {"name": "misclassified", "epoch": epoch, "columns": columns, "rows": rows,
                                "pictures": [pictures.inline(tile) for tile in tiles]}, self.loop.step)

    def filters(self, epoch: int) -> None:
        conv = first_conv(self.loop.model)
        if conv is None:
            return
        weight = conv.weight.detach().float().cpu().numpy()
        self.ctx.picture("filters", pictures.filters_picture(weight), self.loop.step, epoch=epoch,
                         caption=f"The first layer's {len(weight)} filters after epoch {epoch}")


def save(ctx: RunContext, config: CnnConfig, loop: SupervisedLoop, data: Prepared) -> None:
    if ctx.checkpoint_dir is not None:
        checkpoint.save_loop(ctx.checkpoint_dir, loop, config.model_dump(mode="json"), mean=data.mean, std=data.std,
                             classes=data.images.classes, shape=list(data.images.shape))


class CnnTask(Task):
    """Train a convolutional network on pictures and show what it learns."""

    name = "cnn"
    title = "CNN: image classification"
    Config = CnnConfig
    Controls = CnnControls
    Jobs = JOBS

    @staticmethod
    def net_spec(config: CnnConfig) -> dict[str, Any]:
        return config.net

    @staticmethod
    def catalogue() -> dict[str, Any]:
        return {"lessons": LESSONS, "presets": PRESETS, "datasets": describe(None),
                "augmentations": {"crop": "Shift by up to an eighth of the side (padding, then a random crop).",
                                  "flip": "Mirror left to right half of the time (not for digits!).",
                                  "rotate": f"Turn by up to {ROTATION_DEGREES:g}° either way."}}

    @classmethod
    def preview(cls, config: CnnConfig | dict[str, Any], data_dir: Path | None = None,
                uploads_dir: Path | None = None) -> dict[str, Any]:
        """A few training pictures as they are, and as the augmentation changes them."""
        config = cls.Config.model_validate(config)
        places = RunContext(emit=lambda *event: None, data_dir=data_dir, uploads_dir=uploads_dir)
        upload = places.upload(config.dataset) if config.dataset not in SETS else None
        images = load_data(config, data_dir, upload)
        stored = torch.from_numpy(np.ascontiguousarray(images.train[0][:PREVIEW_EXAMPLES]))
        augment = augmentation(config, images.shape[-1])
        generator = torch.Generator().manual_seed(config.seed)
        changed = augment(stored, generator).round().clamp(0, 255).to(torch.uint8) if augment else None
        examples = []
        for index in range(len(stored)):
            example = {"label": images.classes[int(images.train[1][index])],
                       "picture": pictures.inline(pictures.picture_of(stored[index].numpy()))}
            if changed is not None:
                example["augmented"] = pictures.inline(pictures.picture_of(changed[index].numpy()))
            examples.append(example)
        return {"dataset": config.dataset, "classes": images.classes, "shape": list(images.shape),
                "train": len(images.train[1]), "test": len(images.test[1]), "examples": examples}

    def run(self, config: CnnConfig | dict[str, Any], ctx: RunContext) -> None:
        config = self.Config.model_validate(config)
        device = torch.device(ctx.device)
        with cpu_threads(device, 1):  # see cpu_threads: on a shared CPU more threads made runs slower
            self._train(config, ctx, device)

    def _train(self, config: CnnConfig, ctx: RunContext, device: torch.device) -> None:
        upload = ctx.upload(config.dataset) if config.dataset not in SETS else None
        images = load_data(config, ctx.data_dir, upload)
        check_fits(config, images)
        data = prepare(config, images, device)
        model = build_model(config, device)
        loop = make_loop(config, model, ctx.control, len(data.train))
        if ctx.resume_dir:
            resume(ctx.resume_dir, config, loop)
        precision = "bf16 autocast, channels-last" if loop.amp_dtype is not None else "float32"
        ctx.emit("table", {"name": "dataset", "dataset": config.dataset, "classes": images.classes,
                           "shape": list(images.shape), "train": len(data.train), "test": len(data.test),
                           "mean": data.mean, "std": data.std}, loop.step)
        ctx.emit("log", {"level": "info", "message": f"Training on {device.type} ({precision}): {len(data.train):,} "
                                                     f"pictures to learn, {len(data.test):,} to test."}, loop.step)
        epochs = EpochPictures(config, ctx, data, loop)
        epochs.filters(loop.epoch)
        handlers = Handlers().on(Event.EPOCH, epochs)
        plan = Plan(config.epochs, loop.epoch, Every(steps=config.report_every), evaluate_every=Every(epochs=1),
                    predictions=True)
        epochs.restart_clock()
        try:
            fit(loop, data.train, data.test, plan, ctx.emit, handlers=handlers)
        except Stopped:
            save(ctx, config, loop, data)
            raise
        save(ctx, config, loop, data)

    def job(self, kind: str, args: pydantic.BaseModel, ctx: JobContext) -> dict[str, Any]:
        return answer(kind, args, ctx)


def resume(directory: Path, config: CnnConfig, loop: SupervisedLoop) -> None:
    saved = CnnConfig.model_validate(checkpoint.read_state(directory)["config"])
    if saved.net != config.net:
        raise TaskFailure("the checkpoint's network differs from this configuration's; keep the same layers to continue")
    checkpoint.resume_loop(directory, loop, optimizer=saved.optimizer == config.optimizer)
