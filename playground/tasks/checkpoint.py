"""Checkpoints as a directory of safetensors and JSON; never pickle, so loading one runs no code.

    model.safetensors      the model's state dict
    optimizer.safetensors  every tensor in the optimiser's state dict, under a dotted name
    optimizer.json         the rest of the optimiser's state dict, with {"__tensor__": name} in place of tensors
    state.json             {"format": 1, "config": {...}, "epoch": e, "step": s, ...}, written last;
                           with "schedule": {...} when the run has a learning-rate schedule

``state.json`` is written last, so a directory that has it holds a whole checkpoint.
``save_loop`` and ``resume_loop`` do this for any task's ``SupervisedLoop``: a run
continued from its checkpoint trains on exactly as the uninterrupted run would.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from safetensors.torch import load_file, save_file
from torch import nn

if TYPE_CHECKING:
    from playground.tasks.loop import SupervisedLoop

FORMAT = 1
MODEL_FILE = "model.safetensors"
OPTIMIZER_TENSORS = "optimizer.safetensors"
OPTIMIZER_JSON = "optimizer.json"
STATE_FILE = "state.json"


class CheckpointError(Exception):
    """A checkpoint directory that is missing, incomplete or from another format."""


def flatten_state(value: Any, tensors: dict[str, torch.Tensor], name: str = "") -> Any:
    """A JSON-able copy of value with each tensor moved into ``tensors`` under its dotted path.

    Dicts whose keys are not all strings (the optimiser's state is keyed by parameter
    number) and tuples are tagged, so ``unflatten_state`` gives back exactly the same
    structure.
    """
    if isinstance(value, torch.Tensor):
        tensors[name] = value.detach().cpu().contiguous()
        return {"__tensor__": name}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: flatten_state(item, tensors, f"{name}.{key}".lstrip(".")) for key, item in value.items()}
        return {"__items__": [[key, flatten_state(item, tensors, f"{name}.{key}".lstrip("."))] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [flatten_state(item, tensors, f"{name}.{i}") for i, item in enumerate(value)]}
    if isinstance(value, list):
        return [flatten_state(item, tensors, f"{name}.{i}") for i, item in enumerate(value)]
    return value


def unflatten_state(value: Any, tensors: dict[str, torch.Tensor]) -> Any:
    """The inverse of flatten_state."""
    if isinstance(value, dict):
        if "__tensor__" in value:
            return tensors[value["__tensor__"]]
        if "__items__" in value:
            return {key: unflatten_state(item, tensors) for key, item in value["__items__"]}
        if "__tuple__" in value:
            return tuple(unflatten_state(item, tensors) for item in value["__tuple__"])
        return {key: unflatten_state(item, tensors) for key, item in value.items()}
    if isinstance(value, list):
        return [unflatten_state(item, tensors) for item in value]
    return value


def _write_json(path: Path, value: Any) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value, indent=1, allow_nan=False))
    os.replace(temporary, path)


def _write_tensors(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    temporary = path.with_suffix(".tmp")
    save_file(tensors, str(temporary))
    os.replace(temporary, path)


def save_checkpoint(
    directory: Path,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    config: dict[str, Any],
    progress: dict[str, Any],
    schedule: dict[str, Any] | None = None,
) -> None:
    """Write the model, the optimiser, the configuration, progress (epoch, step, ...) and a schedule's state."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / STATE_FILE).unlink(missing_ok=True)  # until the new one lands, the old set is not whole
    weights = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    _write_tensors(directory / MODEL_FILE, weights)
    optimizer_tensors: dict[str, torch.Tensor] = {}
    structure = flatten_state(optimizer.state_dict(), optimizer_tensors)
    _write_tensors(directory / OPTIMIZER_TENSORS, optimizer_tensors)
    _write_json(directory / OPTIMIZER_JSON, structure)
    state = {"format": FORMAT, "config": config, **progress}
    if schedule is not None:
        state["schedule"] = schedule
    _write_json(directory / STATE_FILE, state)


def read_state(directory: Path) -> dict[str, Any]:
    """The checkpoint's state.json: format, config, epoch, step."""
    path = Path(directory) / STATE_FILE
    if not path.is_file():
        raise CheckpointError(f"No complete checkpoint in {directory}.")
    state = json.loads(path.read_text())
    if state.get("format") != FORMAT:
        raise CheckpointError(f"Checkpoint format {state.get('format')!r} is not {FORMAT}.")
    return state


def load_model(directory: Path, model: nn.Module) -> None:
    """Copy the saved weights into model (on whatever device it lives)."""
    model.load_state_dict(load_file(str(Path(directory) / MODEL_FILE), device="cpu"))


def load_optimizer(directory: Path, optimizer: torch.optim.Optimizer) -> None:
    """Restore the optimiser's state; it moves each tensor next to its parameter itself."""
    directory = Path(directory)
    # Kept on the CPU: non-capturable optimisers expect their step counters there.
    tensors = load_file(str(directory / OPTIMIZER_TENSORS), device="cpu")
    structure = json.loads((directory / OPTIMIZER_JSON).read_text())
    optimizer.load_state_dict(unflatten_state(structure, tensors))


def save_loop(directory: Path, loop: SupervisedLoop, config: dict[str, Any], **progress: Any) -> None:
    """Checkpoint a loop: its model, optimiser and schedule, the configuration, its epoch and step (and progress)."""
    schedule = loop.lr_schedule.state_dict() if loop.lr_schedule is not None else None
    save_checkpoint(directory, loop.model, loop.optimizer, config, {"epoch": loop.epoch, "step": loop.step, **progress}, schedule)


def resume_loop(directory: Path, loop: SupervisedLoop, *, optimizer: bool = True) -> dict[str, Any]:
    """Load a checkpoint into loop (the model; the optimiser and schedule too unless ``optimizer`` is False).

    The loop goes on from the saved epoch and step; returns the checkpoint's
    state.json (its configuration, progress and schedule) for the task to check.
    """
    state = read_state(directory)
    load_model(directory, loop.model)
    if optimizer:
        load_optimizer(directory, loop.optimizer)
        if loop.lr_schedule is not None and "schedule" in state:
            loop.lr_schedule.load_state_dict(state["schedule"])
    loop.epoch, loop.step = int(state["epoch"]), int(state["step"])
    return state
