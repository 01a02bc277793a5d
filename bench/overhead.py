"""What the playground's training loop costs, with events on, against a bare PyTorch loop.

Run from the repository root:

    .venv/bin/python bench/overhead.py                     # both cases, 1.5 to 3 minutes on a 2-core CPU
    .venv/bin/python bench/overhead.py --device cuda --rounds 7 --cnn-epochs 5

Each case trains the same model (same initial weights) on the same device tensors,
in the same batch order (one permutation per epoch from the loop's seed), with the
same optimiser, in several ways in this one process, alternating after a warm-up:

- bare: a plain loop written here (slice, forward, loss, backward, step), no events;
- bare + evaluation: the same, plus by hand the work behind the loop's metric
  reports (test split evaluated, training totals, gradient norms, one read);
- loop: ``SupervisedLoop.train_epoch`` alone: the loop's own cost;
- loop + events: ``fit`` as a run drives it, reporting every ``emit_every`` epochs
  through the real ``EventRecorder``, up a pipe to a store process that keeps them
  in a real SQLite store (a temporary data directory) with the executor's own
  ``EventRelay``, with the real ``RunControl`` polling the run's row, both made and
  ended as runner.execute_run does;
- Basics task (mlp only): ``BasicsTask().run`` itself: set-up, loop, metrics, pictures.

Cases: ``mlp`` is the Basics defaults (network, batch size, data, epochs; or
--mlp-epochs); ``cnn`` a small ConvNet (conv 8@3, pool, conv 16@3, pool, linear 10,
batch 64) on MNIST from ../shared/data/mnist, random images when it is absent.

Figures: samples/s by wall clock (median and best of the rounds) and by CPU time of
the whole process (all threads); each way's throughput over bare, from the best
rounds (the least disturbed by other programs) and as the median of per-round
ratios; the CPU that the control's thread and the store process took; and the
target lines: loop + events over bare and over bare + evaluation, best of rounds.
It reports; it does not fail.
"""
from __future__ import annotations

import argparse
import atexit
import gc
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.store_process import StoreProcess  # noqa: E402

TARGET = 0.97
MNIST_DIR = ROOT.parent / "shared" / "data" / "mnist"


def setup_store() -> None:
    """Django on a fresh, migrated SQLite store in a temporary data directory, removed at exit."""
    data_dir = tempfile.mkdtemp(prefix="layerlab-bench-")
    atexit.register(shutil.rmtree, data_dir, True)
    os.environ["LAYERLAB_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "playground.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


@dataclass
class Case:
    """One model and data set, and everything each way of training needs to train it identically."""

    name: str
    about: str
    train: Any  # playground.tasks.loop.Split
    test: Any
    make: Callable[[], tuple[nn.Module, torch.optim.Optimizer]]  # a fresh model and optimiser, the same each call
    loss_fn: Callable[[Tensor, Tensor], Tensor]
    correct_fn: Callable[[Tensor, Tensor], Tensor]
    batch_size: int
    epochs: int
    seed: int = 0
    emit_every: int = 1
    running_totals: bool = False  # True: training metrics summed as it goes, not by evaluating the training split
    task_config: Any = None  # a BasicsConfig: also time the Basics task itself
    thread_seconds: dict[str, list[float]] = field(default_factory=lambda: {"control": [], "wall": []})
    events: int = 0

    @property
    def device(self) -> torch.device:
        return self.train.x.device


# --- the ways of training; each gets a fresh model, its optimiser and a fresh run row ------------


def train_bare(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int, evaluate: bool = False) -> None:
    """The reference, as someone would write it by hand, in the loop's batch order.

    With ``evaluate`` it also does, by hand, the work behind the loop's reports: the
    training totals summed as it goes (or the training split evaluated), the test
    split evaluated and the gradient norms, read with one copy to the host.
    """
    from playground.tasks.loop import epoch_seed

    x, y, n = case.train.x, case.train.y, len(case.train)
    generator = torch.Generator(device=case.device)
    for epoch in range(1, case.epochs + 1):
        model.train()
        generator.manual_seed(epoch_seed(case.seed, epoch))
        order = torch.randperm(n, device=case.device, generator=generator)
        if evaluate:
            train_totals = [torch.zeros((), device=case.device), torch.zeros((), device=case.device)]
        for start in range(0, n, case.batch_size):
            batch = order[start : start + case.batch_size]
            output = model(x[batch])
            loss = case.loss_fn(output, y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if evaluate and case.running_totals:
                train_totals[0].add_(loss.detach() * len(batch))
                train_totals[1].add_(case.correct_fn(output.detach(), y[batch]))
        if evaluate and (epoch % case.emit_every == 0 or epoch == case.epochs):
            values = train_totals if case.running_totals else totals(case, model, case.train)
            values += totals(case, model, case.test) + [w.grad.norm() for w in weights(model)]
            torch.stack([v.double() for v in values]).tolist()


def weights(model: nn.Module) -> list[Tensor]:
    """The weights whose gradient norms the reports carry."""
    return [m.weight for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]


@torch.no_grad()
def totals(case: Case, model: nn.Module, split) -> list[Tensor]:
    """Summed loss and correct answers over a whole split."""
    model.eval()
    output = model(split.x)
    return [case.loss_fn(output, split.y) * len(split), case.correct_fn(output, split.y)]


def train_bare_evaluating(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int) -> None:
    train_bare(case, model, optimizer, run_id, evaluate=True)


def make_loop(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, control):
    from playground.tasks.loop import SupervisedLoop

    return SupervisedLoop(
        model, optimizer, case.loss_fn, batch_size=case.batch_size, control=control, correct_fn=case.correct_fn,
        running_totals=case.running_totals, seed=case.seed,
    )


def train_loop(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int) -> None:
    from playground.tasks.base import Control

    loop = make_loop(case, model, optimizer, Control())
    for epoch in range(1, case.epochs + 1):
        loop.train_epoch(case.train, epoch)


def train_loop_events(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int) -> None:
    from playground.tasks.loop import Schedule, fit

    with RunParts(case, run_id) as (recorder, control):
        loop = make_loop(case, model, optimizer, control)
        fit(loop, case.train, case.test, Schedule(case.epochs, 0, case.emit_every), recorder, grad_weights=weights(model))


def train_basics_task(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int) -> None:
    """The Basics task builds its own data, model and optimiser; the ones given are not used."""
    from playground.tasks.base import RunContext
    from playground.tasks.basics import BasicsTask

    with RunParts(case, run_id, note=False) as (recorder, control):
        BasicsTask().run(case.task_config, RunContext(emit=recorder, control=control, device=str(case.device)))


class RunParts:
    """The EventRecorder and RunControl of one run, made and ended as runner.execute_run does.

    The recorder delivers up a real pipe to the store process (``StoreProcess``),
    as a training process does to the web server. On the way out it notes the CPU
    time the control's polling thread took (``note``).
    """

    def __init__(self, case: Case, run_id: int, note: bool = True):
        self.case, self.run_id, self.note = case, run_id, note

    def __enter__(self):
        from playground.runs import store
        from playground.runs.control import RunControl
        from playground.runs.recorder import EventRecorder

        self.started = time.perf_counter()
        self.recorder = EventRecorder(self.run_id, STORE.deliver, first_seq=store.last_seq(self.run_id) + 1)
        self.control = RunControl(self.run_id, self.recorder)
        self.recorder("status", {"status": "running", "device": str(self.case.device)})
        return self.recorder, self.control

    def __exit__(self, *exc) -> None:
        if self.note:
            seconds = self.case.thread_seconds
            seconds["control"].append(thread_cpu(self.control._thread))
            seconds["wall"].append(time.perf_counter() - self.started)
            self.case.events = self.recorder.next_seq - 1
        self.control.close()
        self.recorder.finish("succeeded")


def thread_cpu(thread) -> float:
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


STORE = StoreProcess()


# --- the cases -------------------------------------------------------------------------------


def mlp_case(device: torch.device, epochs: int) -> Case:
    """The Basics defaults, built by the Basics task's own functions."""
    from playground.tasks.basics import task as basics

    config = basics.BasicsConfig(**({"epochs": epochs} if epochs else {}))
    head = basics.head_for(config.problem, basics.output_classes(config))
    splits = basics.toy_splits(config)
    train, test = (basics.device_split(splits[name], config.features, head, device) for name in ("train", "test"))

    def make():
        model = basics.build_model(config, device)
        return model, basics.make_optimizer(config, model)

    about = (f"Basics defaults: {config.dataset}, {len(train)} train / {len(test)} test points, hidden {config.hidden}, "
             f"{config.activation}, {config.optimizer}, batch {config.batch_size}, {config.epochs} epochs, "
             f"emit_every {config.emit_every}, grid_every {config.grid_every}")
    return Case("mlp", about, train, test, make, head.loss, head.correct, min(config.batch_size, len(train)),
                config.epochs, seed=config.seed, emit_every=config.emit_every, task_config=config)


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (MNIST's format), gzipped or not."""
    raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    ndim = raw[3]
    dims = np.frombuffer(raw, ">u4", ndim, 4).astype(int)
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mnist_or_random(directory: Path, count: int) -> tuple[Tensor, Tensor, str]:
    """Up to count images (N, 1, 28, 28) in [0, 1] and labels: MNIST's when its files are there, else random."""
    for prefix in ("train", "t10k"):
        for suffix in (".gz", ""):
            images = directory / f"{prefix}-images-idx3-ubyte{suffix}"
            labels = directory / f"{prefix}-labels-idx1-ubyte{suffix}"
            if images.exists() and labels.exists():
                x = torch.from_numpy(read_idx(images)[:count].astype(np.float32) / 255).unsqueeze(1)
                return x, torch.from_numpy(read_idx(labels)[:count].astype(np.int64)), f"MNIST {images.name}"
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(count, 1, 28, 28, generator=generator)
    return x, torch.randint(0, 10, (count,), generator=generator), "random images (no MNIST files found)"


def small_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),  # (8, 13, 13)
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),  # (16, 5, 5)
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10),
    )


def cnn_case(device: torch.device, epochs: int, train_size: int, test_size: int, mnist: Path) -> Case:
    from playground.tasks.loop import Split

    x, y, source = mnist_or_random(mnist, train_size + test_size)
    x, y = x.to(device), y.to(device)
    train, test = Split(x[:train_size], y[:train_size]), Split(x[train_size:], y[train_size:])

    def make():
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = small_cnn().to(device)
        return model, torch.optim.Adam(model.parameters(), lr=1e-3)

    about = (f"small CNN on {source}: {len(train)} train / {len(test)} test images, batch 64, {epochs} epochs, "
             "metrics every epoch (training loss summed as it goes, test set evaluated)")
    return Case("cnn", about, train, test, make, F.cross_entropy, lambda out, t: (out.argmax(1) == t).sum(), 64,
                epochs, running_totals=True)


# --- timing ----------------------------------------------------------------------------------


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(case: Case, train: Callable) -> tuple[float, float, nn.Module]:
    """Wall and process CPU seconds that one way of training takes from the same start, and the model it leaves."""
    from playground.runs import store

    model, optimizer = case.make()
    run_id = store.create_run("basics", {}, session_key="bench").pk  # the web process's work, not the run's
    gc.collect()  # not in the middle of someone else's round
    synchronize(case.device)
    start, start_cpu = time.perf_counter(), time.process_time()
    train(case, model, optimizer, run_id)
    synchronize(case.device)
    return time.perf_counter() - start, time.process_time() - start_cpu, model


def weights_differ(a: nn.Module, b: nn.Module) -> float:
    return max((pa - pb).abs().max().item() for pa, pb in zip(a.parameters(), b.parameters()))


def measure(case: Case, rounds: int) -> None:
    ways: dict[str, Callable] = {
        "bare": train_bare, "bare + evaluation": train_bare_evaluating, "loop": train_loop, "loop + events": train_loop_events,
    }
    if case.task_config is not None:
        ways["Basics task"] = train_basics_task
    samples = case.epochs * len(case.train)
    store_cpu = STORE.cpu_seconds()
    print(f"\ncase {case.name}: {case.about}")
    models = {name: timed(case, train)[2] for name, train in ways.items()}  # warm-up: lazy initialisation
    wall: dict[str, list[float]] = {name: [] for name in ways}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    names = list(ways)
    for round in range(rounds):
        for name in names[round % len(names):] + names[: round % len(names)]:  # rotate: no way always goes first
            seconds, cpu_seconds, _ = timed(case, ways[name])
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)

    print(f"  {'samples/s: median':>35s} {'best':>8s} {'by CPU':>8s}   ratio to bare: best, per-round median")
    for name in ways:
        print(f"  {name:17s} {samples / statistics.median(wall[name]):17,.0f} {samples / min(wall[name]):8,.0f} "
              f"{samples / statistics.median(cpu[name]):8,.0f}   {ratios(wall, name, 'bare')}")
    threads = case.thread_seconds
    run_wall = sum(threads["wall"])
    print(f"  a run with events: control thread {1000 * statistics.median(threads['control']):.0f} ms "
          f"({100 * sum(threads['control']) / run_wall:.1f}% of its wall time); {case.events} events, stored by "
          f"the store process in {STORE.cpu_seconds() - store_cpu:.2f} CPU s over all rounds")
    difference = weights_differ(models["loop + events"], models["bare"])
    print(f"  same weights after loop + events and bare: {'yes' if difference == 0 else f'no, up to {difference:.3g} apart'}")
    for reference in ("bare", "bare + evaluation"):
        best = min(wall[reference]) / min(wall["loop + events"])
        print(f"  ratio {best:.3f} (target >= {TARGET})  {case.name}: loop + events / {reference}, "
              f"best of {rounds} rounds each ({ratios(wall, 'loop + events', reference)})")


def ratios(wall: dict[str, list[float]], name: str, reference: str) -> str:
    """Throughput of name over reference: of the best rounds, and the median of per-round ratios."""
    best = min(wall[reference]) / min(wall[name])
    paired = statistics.median(r / n for n, r in zip(wall[name], wall[reference]))
    return f"{best:.3f}, {paired:.3f}"


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="auto", help="auto (cuda when there is one), cpu, cuda, cuda:1 ...")
    parser.add_argument("--cases", default="mlp,cnn", help="comma-separated, from: mlp, cnn")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds after the warm-up round")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch CPU threads; 0: what a training process of the site gets (cores // LAYERLAB_SLOTS)")
    parser.add_argument("--mlp-epochs", type=int, default=0, help="0: the Basics default")
    parser.add_argument("--cnn-epochs", type=int, default=2)
    parser.add_argument("--cnn-train", type=int, default=9000, help="training images")
    parser.add_argument("--cnn-test", type=int, default=1000, help="test images, evaluated at every report")
    parser.add_argument("--mnist", type=Path, default=MNIST_DIR, help="folder with MNIST's IDX files")
    args = parser.parse_args()

    setup_store()
    STORE.start()
    from django.conf import settings

    device = pick_device(args.device)
    threads = args.threads or max(1, (os.cpu_count() or 1) // settings.LAYERLAB_SLOTS)
    torch.set_num_threads(threads)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{threads} torch thread(s)"
    print(f"overhead: torch {torch.__version__} on {device} ({where}), {args.rounds} rounds after a warm-up round")
    for name in args.cases.split(","):
        if name == "mlp":
            measure(mlp_case(device, args.mlp_epochs), args.rounds)
        elif name == "cnn":
            measure(cnn_case(device, args.cnn_epochs, args.cnn_train, args.cnn_test, args.mnist), args.rounds)
        else:
            parser.error(f"unknown case {name!r}")


if __name__ == "__main__":
    main()
