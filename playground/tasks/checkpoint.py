"""Checkpoints as a directory of safetensors and JSON; never pickle, so loading one runs no code.

    model.G.safetensors      the model's state dict
    optimizer.G.safetensors  every tensor in the optimiser's state dict, under a dotted name
    optimizer.G.json         the rest of the optimiser's state dict, with {"__tensor__": name} in place of tensors
    state.json               {"format": 1, "generation": G, "config": {...}, "epoch": e, "step": s, ...};
                             with "schedule": {...} when the run has a learning-rate schedule

Each save writes a new generation G beside the last one and then replaces
``state.json`` in one rename, so a reader (a short job, a weights download)
always finds a whole checkpoint, even while training writes the next: the files
``state.json`` names are complete, and they stay until two saves later. A reader
that was slower than that reads ``state.json`` again (``load_model``).
``save_loop`` and ``resume_loop`` do this for any task's ``SupervisedLoop``: a run
continued from its checkpoint trains on exactly as the uninterrupted run would.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import torch
from safetensors.torch import load_file, save_file
from torch import nn

if TYPE_CHECKING:
    from playground.tasks.loop import SupervisedLoop

FORMAT = 1
STATE_FILE = "state.json"
# The other files, named with their generation (model.3.safetensors); a checkpoint
# written before generations has them without one.
MODEL_FILE = "model.safetensors"
OPTIMIZER_TENSORS = "optimizer.safetensors"
OPTIMIZER_JSON = "optimizer.json"
READ_TRIES = 3  # a reader outrun by two saves reads state.json again, at most this often

T = TypeVar("T")


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
    try:
        generation = int(read_state(directory).get("generation") or 0) + 1
    except (CheckpointError, OSError, ValueError):
        generation = 1
    weights = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    save_file(weights, str(directory / file_name(MODEL_FILE, generation)))
    optimizer_tensors: dict[str, torch.Tensor] = {}
    structure = flatten_state(optimizer.state_dict(), optimizer_tensors)
    save_file(optimizer_tensors, str(directory / file_name(OPTIMIZER_TENSORS, generation)))
    (directory / file_name(OPTIMIZER_JSON, generation)).write_text(json.dumps(structure, indent=1, allow_nan=False))
    state = {"format": FORMAT, "generation": generation, "config": config, **progress}
    if schedule is not None:
        state["schedule"] = schedule
    _write_json(directory / STATE_FILE, state)
    _remove_old_generations(directory, keep={generation, generation - 1})


def file_name(name: str, generation: int | None) -> str:
    """``model.safetensors`` of generation 3 is ``model.3.safetensors``."""
    if generation is None:
        return name
    stem, suffix = name.split(".", 1)
    return f"{stem}.{generation}.{suffix}"


def _remove_old_generations(directory: Path, keep: set[int]) -> None:
    """Remove what no reader can still be opening: generations before the last two, and pre-generation files."""
    for name in (MODEL_FILE, OPTIMIZER_TENSORS, OPTIMIZER_JSON):
        stem, suffix = name.split(".", 1)
        for path in directory.glob(f"{stem}.*{suffix}"):
            middle = path.name[len(stem) + 1: -len(suffix) - 1]
            if path.name == name or (middle.isdigit() and int(middle) not in keep):
                path.unlink(missing_ok=True)


def read_state(directory: Path) -> dict[str, Any]:
    """The checkpoint's state.json: format, config, epoch, step."""
    path = Path(directory) / STATE_FILE
    if not path.is_file():
        raise CheckpointError(f"No complete checkpoint in {directory}.")
    state = json.loads(path.read_text())
    if state.get("format") != FORMAT:
        raise CheckpointError(f"Checkpoint format {state.get('format')!r} is not {FORMAT}.")
    return state


def load_model(directory: Path, model: nn.Module) -> dict[str, Any]:
    """Copy the saved weights into model (on whatever device it lives); answers the state.json they belong to."""
    state, weights = _read_latest(Path(directory), lambda path: load_file(str(path), device="cpu"))
    model.load_state_dict(weights)
    return state


def model_bytes(directory: Path) -> bytes:
    """The latest saved weights as one safetensors file's bytes (a download)."""
    return _read_latest(Path(directory), Path.read_bytes)[1]


def _read_latest(directory: Path, read: Callable[[Path], T]) -> tuple[dict[str, Any], T]:
    """state.json and ``read`` of the model file it names; read again if two saves came in between."""
    for _ in range(READ_TRIES):
        state = read_state(directory)
        try:
            return state, read(directory / file_name(MODEL_FILE, state.get("generation")))
        except FileNotFoundError:  # removed by a newer save: its state.json names a newer file
            continue
    raise CheckpointError(f"The checkpoint in {directory} changed faster than it could be read.")


def load_optimizer(directory: Path, optimizer: torch.optim.Optimizer, state: dict[str, Any] | None = None) -> None:
    """Restore the optimiser's state (of ``state``'s generation); it moves each tensor next to its parameter itself."""
    directory = Path(directory)
    generation = (state if state is not None else read_state(directory)).get("generation")
    # Kept on the CPU: non-capturable optimisers expect their step counters there.
    tensors = load_file(str(directory / file_name(OPTIMIZER_TENSORS, generation)), device="cpu")
    structure = json.loads((directory / file_name(OPTIMIZER_JSON, generation)).read_text())
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
    state = load_model(directory, loop.model)
    if optimizer:
        load_optimizer(directory, loop.optimizer, state)
        if loop.lr_schedule is not None and "schedule" in state:
            loop.lr_schedule.load_state_dict(state["schedule"])
    loop.epoch, loop.step = int(state["epoch"]), int(state["step"])
    return state
