"""Short jobs on a CNN run's latest checkpoint: predict, saliency, class visualisation, a confusion cell's pictures.

Each reads the checkpoint (weights, normalisation, classes) written after every
epoch, so it works while the run still trains and after it ends. Pictures come
back inline as data: URLs. Feature maps are taken from every Conv2d, inside
blocks too, with the paths ``/api/nets/inspect`` gives them ("3.layers.0",
"6.branches.1.2"), and have the shapes it predicts.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pydantic
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from playground.data.image_sets import SETS, ImageSetMissing, load_test_split
from playground.data.images import FileRefused
from playground.data.transforms import Normalize
from playground.data.uploads import reference_id, stored_file
from playground.nets.check import Node, check
from playground.tasks import checkpoint
from playground.tasks.base import JobContext, TaskFailure
from playground.tasks.cnn import pictures
from playground.tasks.cnn.building import build_model, load_data
from playground.tasks.cnn.config import CnnConfig
from playground.tasks.cnn.jobargs import ExamplesArgs, ImageArgs, SaliencyArgs, VisualizeArgs
from playground.tasks.loop import cpu_threads

EVALUATION_CHUNK = 1000


@dataclass
class Trained:
    """A run's network as its latest checkpoint has it, and how its inputs were normalised."""

    config: CnnConfig
    model: nn.Module
    normalize: Normalize
    mean: list[float]
    std: list[float]
    classes: list[str]
    shape: tuple[int, int, int]
    device: torch.device
    epoch: int
    step: int


def load_trained(ctx: JobContext) -> Trained:
    try:
        state = checkpoint.read_state(ctx.checkpoint_dir)
    except checkpoint.CheckpointError:
        raise TaskFailure("the run has no saved weights yet; they come after its first epoch") from None
    config = CnnConfig.model_validate(state["config"])
    device = torch.device(ctx.device)
    model = build_model(config, torch.device("cpu")).to(device)
    try:
        state = checkpoint.load_model(ctx.checkpoint_dir, model)
    except (OSError, RuntimeError, KeyError, checkpoint.CheckpointError) as error:
        raise TaskFailure(f"the run's weights could not be read just now ({error}); try again") from None
    model.eval()
    return Trained(config, model, Normalize(state["mean"], state["std"]), state["mean"], state["std"], state["classes"],
                   tuple(state["shape"]), device, int(state["epoch"]), int(state["step"]))


@functools.lru_cache(maxsize=4)
def _test_split(config_json: str, data_dir: str | None, upload: str | None) -> tuple[np.ndarray, np.ndarray]:
    config = CnnConfig.model_validate_json(config_json)
    directory = Path(data_dir) if data_dir else None
    try:
        if upload is None:
            images, labels = load_test_split(config.dataset, directory)
        else:
            images, labels = load_data(config, directory, Path(upload)).test
    except (ImageSetMissing, FileRefused, ValueError) as error:
        raise TaskFailure(str(error)) from None
    most = config.test_examples or len(labels)
    return images[:most], labels[:most]


def test_split(trained: Trained, ctx: JobContext) -> tuple[np.ndarray, np.ndarray]:
    """The run's test pictures, only those (kept between jobs of the same process)."""
    config = trained.config
    upload = None
    if config.dataset not in SETS:
        upload_id = reference_id(config.dataset)
        path = stored_file(ctx.uploads_dir / str(upload_id)) if upload_id and ctx.uploads_dir else None
        if path is None:
            raise TaskFailure(f"{config.dataset} is not there any more; its test pictures cannot be shown")
        upload = str(path)
    return _test_split(config.model_dump_json(), str(ctx.data_dir) if ctx.data_dir else None, upload)


def drawing_picture(drawing: list[list[float]], shape: tuple[int, int, int]) -> np.ndarray:
    """Grey rows fitted to the network's input (C, H, W) uint8; a colour network gets the grey in every channel."""
    channels, height, width = shape
    grey = Image.fromarray(np.clip(np.asarray(drawing, np.float32), 0, 255).astype(np.uint8))
    fitted = np.asarray(grey.resize((width, height), Image.Resampling.BILINEAR), np.uint8)
    return np.repeat(fitted[None], channels, axis=0)


def chosen_picture(args: ImageArgs, trained: Trained, ctx: JobContext) -> tuple[np.ndarray, int | None]:
    """The picture a job is about, as stored (C, H, W) uint8, and its true class when it is a test picture."""
    if args.drawing is not None:
        return drawing_picture(args.drawing, trained.shape), None
    images, labels = test_split(trained, ctx)
    if args.index >= len(images):
        raise TaskFailure(f"there is no test picture {args.index}; the test split has {len(images):,} (0 to {len(images) - 1})")
    return images[args.index], int(labels[args.index])


def model_input(trained: Trained, stored: np.ndarray) -> Tensor:
    return trained.normalize(torch.from_numpy(np.ascontiguousarray(stored))[None].to(trained.device))


def conv_layers(spec: dict[str, Any], model: nn.Module) -> list[tuple[Node, nn.Module]]:
    """Every Conv2d of the network with its checked node (path, output shape), in reading order."""

    def pair(nodes: list[Node], modules: Any) -> Iterator[tuple[Node, nn.Module]]:
        for node, module in zip(nodes, modules):
            yield node, module
            if node.stacks:
                parts = [module.body] if hasattr(module, "body") else list(module.branches)
                for stack, part in zip(node.stacks, parts):
                    yield from pair(stack, part)
            if node.projection is not None:
                yield node.projection, module.projection

    return [(node, module) for node, module in pair(check(spec).nodes, model) if node.entry.name == "Conv2d"]


def stored_pixels(trained: Trained, x: Tensor) -> np.ndarray:
    """Normalised input (1, C, H, W) back to pixels, for a picture."""
    mean = torch.tensor(trained.mean, device=x.device).view(1, -1, 1, 1)
    std = torch.tensor(trained.std, device=x.device).view(1, -1, 1, 1)
    values = ((x * std + mean).clamp(0, 1) * 255).round().to(torch.uint8)
    return pictures.picture_of(values[0].cpu().numpy())


def predict(args: ImageArgs, ctx: JobContext) -> dict[str, Any]:
    trained = load_trained(ctx)
    stored, true = chosen_picture(args, trained, ctx)
    maps: dict[str, Tensor] = {}
    layers = conv_layers(trained.config.net, trained.model)
    hooks = [module.register_forward_hook(lambda _m, _i, out, path=node.path: maps.__setitem__(path, out.detach()))
             for node, module in layers]
    try:
        with torch.no_grad():
            probabilities = torch.softmax(trained.model(model_input(trained, stored)).float(), 1)[0].tolist()
    finally:
        for hook in hooks:
            hook.remove()
    feature_maps = []
    for node, _ in layers:
        values = maps[node.path][0].float().cpu().numpy()
        feature_maps.append({"path": node.path, "type": node.entry.name, "shape": list(values.shape),
                             "inspected_shape": list(node.out_shape), "shown": min(32, len(values)),
                             "picture": pictures.inline(pictures.maps_picture(values))})
    best = int(np.argmax(probabilities))
    return {"classes": trained.classes, "probabilities": [round(p, 5) for p in probabilities], "predicted": best,
            "true": true, "input": pictures.inline(pictures.enlarge(pictures.picture_of(stored), 4)),
            "feature_maps": feature_maps, "epoch": trained.epoch, "step": trained.step}


def saliency(args: SaliencyArgs, ctx: JobContext) -> dict[str, Any]:
    """The gradient of a class score with respect to each input pixel (its largest size over the channels)."""
    trained = load_trained(ctx)
    stored, true = chosen_picture(args, trained, ctx)
    x = model_input(trained, stored).requires_grad_(True)
    scores = trained.model(x)[0]
    target = int(scores.argmax()) if args.target is None else args.target
    if target >= len(trained.classes):
        raise TaskFailure(f"there is no class {target}; the classes are 0 to {len(trained.classes) - 1}")
    scores[target].backward()
    gradient = x.grad[0].abs().amax(0).cpu().numpy()  # (H, W)
    heat = pictures.scaled(gradient)
    overlay = np.stack([heat, (heat * 0.45).astype(np.uint8), np.zeros_like(heat)], axis=2)  # dark red to orange
    return {"target": target, "class": trained.classes[target], "true": true, "shape": list(gradient.shape),
            "saliency": pictures.inline(pictures.enlarge(overlay, 4)),
            "input": pictures.inline(pictures.enlarge(pictures.picture_of(stored), 4))}


def blur(x: Tensor) -> Tensor:
    """A light 3 × 3 Gaussian blur of each channel: the regulariser that keeps a visualisation a picture."""
    kernel = torch.tensor([1.0, 2.0, 1.0], device=x.device)
    kernel = (kernel[:, None] * kernel[None, :] / 16).expand(x.shape[1], 1, 3, 3)
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), kernel, groups=x.shape[1])


def class_picture(trained: Trained, target: int, steps: int, generator: torch.Generator) -> np.ndarray:
    """Gradient ascent on the input for one class score, with L2 decay, random shifts (jitter) and blurring."""
    channels, height, width = trained.shape
    x = (0.05 * torch.randn(1, channels, height, width, generator=generator)).to(trained.device).requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr=0.1)
    low = ((0 - torch.tensor(trained.mean)) / torch.tensor(trained.std)).view(1, -1, 1, 1).to(trained.device)
    high = ((1 - torch.tensor(trained.mean)) / torch.tensor(trained.std)).view(1, -1, 1, 1).to(trained.device)
    for step in range(steps):
        dy, dx = (int(v) for v in torch.randint(-2, 3, (2,), generator=generator))
        shifted = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
        score = trained.model(shifted)[0, target]
        loss = -score + 0.02 * (x**2).mean() * x[0].numel() ** 0.5
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            if step % 4 == 3:
                x.copy_(blur(x))
            x.copy_(torch.maximum(torch.minimum(x, high), low))
    return pictures.enlarge(stored_pixels(trained, x.detach()), 4)


def visualize(args: VisualizeArgs, ctx: JobContext) -> dict[str, Any]:
    trained = load_trained(ctx)
    wanted = args.classes if args.classes is not None else list(range(len(trained.classes)))
    wrong = [c for c in wanted if c >= len(trained.classes)]
    if wrong:
        raise TaskFailure(f"there is no class {wrong[0]}; the classes are 0 to {len(trained.classes) - 1}")
    generator = torch.Generator().manual_seed(0)
    made = []
    for target in wanted:
        piece = {"class": target, "name": trained.classes[target],
                 "picture": pictures.inline(class_picture(trained, target, args.steps, generator))}
        ctx.part(piece)
        made.append(piece)
    return {"pictures": made, "epoch": trained.epoch, "step": trained.step}


def examples(args: ExamplesArgs, ctx: JobContext) -> dict[str, Any]:
    trained = load_trained(ctx)
    count = len(trained.classes)
    if args.true >= count or args.predicted >= count:
        raise TaskFailure(f"the classes are 0 to {count - 1}")
    images, labels = test_split(trained, ctx)
    candidates = np.flatnonzero(labels == args.true)
    found: list[int] = []
    with torch.no_grad():
        for at in range(0, len(candidates), EVALUATION_CHUNK):
            chosen = candidates[at : at + EVALUATION_CHUNK]
            x = trained.normalize(torch.from_numpy(images[chosen]).to(trained.device))
            predicted = trained.model(x).argmax(1).cpu().numpy()
            found.extend(int(i) for i in chosen[predicted == args.predicted])
            if len(found) >= args.limit:
                break
    found = found[: args.limit]
    return {"true": args.true, "predicted": args.predicted, "indices": found,
            "pictures": [pictures.inline(pictures.enlarge(pictures.picture_of(images[i]), 2)) for i in found]}


ANSWERS = {"predict": predict, "saliency": saliency, "visualize": visualize, "examples": examples}


def answer(kind: str, args: pydantic.BaseModel, ctx: JobContext) -> dict[str, Any]:
    if kind not in ANSWERS:
        raise TaskFailure(f"a CNN run answers {', '.join(ANSWERS)}, not {kind!r}")
    with cpu_threads(torch.device(ctx.device), 1):
        return ANSWERS[kind](args, ctx)
