"""What the playground's training loop costs, with events on, against a bare PyTorch loop.

Run from the repository root:

    .venv/bin/python bench/overhead.py                     # both cases, 4 to 6 minutes on a 2-core CPU
    .venv/bin/python bench/overhead.py --device cuda --cnn-epochs 5

Each case trains the same model (same initial weights) on the same device tensors,
in the same batch order (one permutation per epoch from the loop's seed), with the
same optimiser, in several ways in this one process:

- bare: a plain loop written here (slice, forward, loss, backward, step), no events;
- bare + evaluation: the same, plus by hand the work behind the loop's metric
  reports (test split evaluated, training totals, gradient norms, one read);
- loop: ``SupervisedLoop.train_epoch`` alone: the loop's own cost;
- loop + events: ``Fit`` as ``fit`` drives it, reporting every ``emit_every`` epochs
  through the real ``EventRecorder``, up a pipe to a store process that keeps them
  in a real SQLite store (a temporary data directory) with the executor's own
  ``EventRelay``, with the real ``RunControl`` polling the run's row, both made and
  ended as runner.execute_run does;
- Basics task (mlp only): ``BasicsTask().run`` itself: set-up, loop, metrics, pictures.

The first four take turns epoch by epoch (each epoch in a rotating order), so a
change in what else the machine is doing reaches all of them alike; a round is
one whole run of each. The Basics task cannot be cut into epochs from outside and
runs whole after them. A warm-up round comes first and is not counted.

Cases: ``mlp`` is the Basics defaults (network, batch size, data, epochs; or
--mlp-epochs); ``cnn`` a small ConvNet (conv 8@3, pool, conv 16@3, pool, linear 10,
batch 64) on MNIST's IDX files in ../shared/data/mnist (kept as uint8 on the device,
normalised per batch), 4 epochs a round; synthetic images when they are absent; it says which.

Figures: samples/s by wall clock and by the process's CPU time (all threads), as
medians over rounds; each way's throughput over bare, per round, as the median and
interquartile range over the rounds, by wall clock and by CPU time; the CPU that the
control's thread and the store process took; the load average before and after.
The target lines: loop + events over bare and over bare + evaluation. It reports;
it does not fail.
"""
from __future__ import annotations

import argparse
import atexit
import gc
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
    train: Any  # playground.data.split.Split
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
    control_seconds: list[float] = field(default_factory=list)  # CPU of each run's control thread
    events: int = 0

    @property
    def device(self) -> torch.device:
        return self.train.x.device


# --- the ways of training, each driven one epoch at a time ------------------------------------


class Bare:
    """The reference, as someone would write it by hand, in the loop's batch order.

    With ``evaluate`` it also does, by hand, the work behind the loop's reports: the
    training totals summed as it goes (or the training split evaluated), the test
    split evaluated and the gradient norms, read with one copy to the host.
    """

    def __init__(self, case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int, evaluate: bool = False):
        self.case, self.model, self.optimizer, self.evaluate = case, model, optimizer, evaluate

    def start(self) -> None:
        self.generator = torch.Generator(device=self.case.device)

    def epoch(self, epoch: int) -> None:
        from playground.tasks.loop import epoch_seed

        case, model, optimizer = self.case, self.model, self.optimizer
        x, y, n = case.train.x, case.train.y, len(case.train)
        model.train()
        self.generator.manual_seed(epoch_seed(case.seed, epoch))
        order = torch.randperm(n, device=case.device, generator=self.generator)
        if self.evaluate:
            train_totals = [torch.zeros((), device=case.device), torch.zeros((), device=case.device)]
        for start in range(0, n, case.batch_size):
            batch = order[start : start + case.batch_size]
            output = model(case.train.inputs(x[batch]))  # uint8 images normalised here, as the page does
            loss = case.loss_fn(output, y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if self.evaluate and case.running_totals:
                train_totals[0].add_(loss.detach() * len(batch))
                train_totals[1].add_(case.correct_fn(output.detach(), y[batch]))
        if self.evaluate and (epoch % case.emit_every == 0 or epoch == case.epochs):
            values = train_totals if case.running_totals else totals(case, model, case.train)
            values += totals(case, model, case.test) + [w.grad.norm() for w in weights(model)]
            torch.stack([v.double() for v in values]).tolist()

    def finish(self) -> None:
        pass


class BareEvaluating(Bare):
    def __init__(self, case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int):
        super().__init__(case, model, optimizer, run_id, evaluate=True)


def weights(model: nn.Module) -> list[Tensor]:
    """The weights whose gradient norms the reports carry."""
    return [m.weight for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]


@torch.no_grad()
def totals(case: Case, model: nn.Module, split) -> list[Tensor]:
    """Summed loss and correct answers over a whole split."""
    model.eval()
    output = model(split.inputs(split.x))
    return [case.loss_fn(output, split.y) * len(split), case.correct_fn(output, split.y)]


def make_loop(case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, control):
    from playground.tasks.loop import SupervisedLoop

    return SupervisedLoop(
        model, optimizer, case.loss_fn, batch_size=case.batch_size, control=control, correct_fn=case.correct_fn,
        running_totals=case.running_totals, seed=case.seed,
    )


class Loop:
    """``SupervisedLoop.train_epoch`` alone."""

    def __init__(self, case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int):
        self.case, self.model, self.optimizer = case, model, optimizer

    def start(self) -> None:
        from playground.tasks.base import Control

        self.loop = make_loop(self.case, self.model, self.optimizer, Control())

    def epoch(self, epoch: int) -> None:
        self.loop.train_epoch(self.case.train, epoch)

    def finish(self) -> None:
        pass


class LoopEvents:
    """``Fit`` epoch by epoch, exactly as ``fit`` drives it, with a run's real recorder and control."""

    def __init__(self, case: Case, model: nn.Module, optimizer: torch.optim.Optimizer, run_id: int):
        self.case, self.model, self.optimizer, self.parts = case, model, optimizer, RunParts(case, run_id)

    def start(self) -> None:
        from playground.tasks.fit import Every, Fit, Plan

        recorder, control = self.parts.__enter__()
        loop = make_loop(self.case, self.model, self.optimizer, control)
        plan = Plan(self.case.epochs, 0, Every(epochs=self.case.emit_every))
        self.fit = Fit(loop, self.case.train, self.case.test, plan, recorder, grad_weights=weights(self.model))

    def epoch(self, epoch: int) -> None:
        self.fit.run_epoch(epoch)

    def finish(self) -> None:
        self.fit.finish()
        self.parts.__exit__(None, None, None)


def train_basics_task(case: Case, run_id: int) -> None:
    """The Basics task builds its own data, model and optimiser."""
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

        self.recorder = EventRecorder(self.run_id, STORE.deliver, first_seq=store.last_seq(self.run_id) + 1)
        self.control = RunControl(self.run_id, self.recorder)
        self.recorder("status", {"status": "running", "device": str(self.case.device)})
        return self.recorder, self.control

    def __exit__(self, *exc) -> None:
        if self.note:
            self.case.control_seconds.append(thread_cpu(self.control._thread))
            self.case.events = self.recorder.next_seq - 1
        self.control.close()
        self.recorder.finish("succeeded")


def thread_cpu(thread) -> float:
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


STORE = StoreProcess()
WAYS: dict[str, type] = {"bare": Bare, "bare + evaluation": BareEvaluating, "loop": Loop, "loop + events": LoopEvents}


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


def mnist_or_synthetic(directory: Path, count: int) -> tuple[Tensor, Tensor, str]:
    """Up to count uint8 images (N, 1, 28, 28) and their labels: MNIST's when its IDX files are there, else synthetic."""
    from playground.data.idx import IdxError, read_image_set

    problems = []
    for prefix in ("train", "t10k"):
        try:
            images, labels = read_image_set(directory, prefix)
        except (FileNotFoundError, IdxError) as error:
            problems.append(str(error))
            continue
        x = torch.from_numpy(images[:count]).unsqueeze(1)
        return x, torch.from_numpy(labels[:count]), f"MNIST {prefix} files in {directory}"
    generator = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (count, 1, 28, 28), dtype=torch.uint8, generator=generator)
    why = problems[-1] if problems else "no files"
    return x, torch.randint(0, 10, (count,), generator=generator), f"synthetic random images, not MNIST ({why})"


def small_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),  # (8, 13, 13)
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),  # (16, 5, 5)
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10),
    )


def cnn_case(device: torch.device, epochs: int, train_size: int, test_size: int, mnist: Path) -> Case:
    from playground.data.split import Split
    from playground.data.transforms import Normalize

    x, y, source = mnist_or_synthetic(mnist, train_size + test_size)
    x, y = x.to(device), y.to(device)
    normalize = Normalize(0.1307, 0.3081)  # MNIST's mean and standard deviation
    train = Split(x[:train_size], y[:train_size], transform=normalize)
    test = Split(x[train_size:], y[train_size:], transform=normalize)

    def make():
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = small_cnn().to(device)
        return model, torch.optim.Adam(model.parameters(), lr=1e-3)

    about = (f"small CNN on {source}: {len(train)} train / {len(test)} test images (uint8, normalised per batch), "
             f"batch 64, {epochs} epochs, metrics every epoch (training loss summed as it goes, test set evaluated)")
    return Case("cnn", about, train, test, make, F.cross_entropy, lambda out, t: (out.argmax(1) == t).sum(), 64,
                epochs, running_totals=True)


# --- timing ----------------------------------------------------------------------------------


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class Clock:
    """Wall and process CPU seconds of the segments timed through it."""

    def __init__(self, device: torch.device) -> None:
        self.device, self.wall, self.cpu = device, 0.0, 0.0

    def time(self, segment: Callable[[], None]) -> None:
        synchronize(self.device)
        start, start_cpu = time.perf_counter(), time.process_time()
        segment()
        synchronize(self.device)
        self.wall += time.perf_counter() - start
        self.cpu += time.process_time() - start_cpu

    def discount(self, seconds: float) -> None:
        """Take off time that another way's thread spent during this clock's segments."""
        self.wall -= seconds
        self.cpu -= seconds


def one_round(case: Case, turn: int) -> tuple[dict[str, Clock], dict[str, nn.Module]]:
    """Every way trains one whole run, the ways taking turns epoch by epoch in a rotating order.

    The run with events has a control thread that polls its row all through the
    round, the other ways' turns included, where a real run's would not exist.
    What it costs during their turns (its CPU time then, an upper bound of the
    wall time it takes from them) is taken off their clocks; during the run's own
    turns it polls as in a real run, and is counted there.
    """
    from playground.runs import store

    ways, clocks, models = {}, {}, {}
    for name, way in WAYS.items():
        model, optimizer = case.make()
        run_id = store.create_run("basics", {}, session_key="bench").pk  # the web process's work, not the run's
        ways[name], clocks[name], models[name] = way(case, model, optimizer, run_id), Clock(case.device), model
    names, events = list(WAYS), "loop + events"
    gc.collect()  # not in the middle of a round
    for name in names:
        clocks[name].time(ways[name].start)
    polling = ways[events].parts.control._thread

    def turn_of(name: str, segment: Callable[[], None]) -> None:
        before = thread_cpu(polling)
        clocks[name].time(segment)
        if name != events:
            clocks[name].discount(thread_cpu(polling) - before)

    for epoch in range(1, case.epochs + 1):
        shift = (turn + epoch) % len(names)
        for name in names[shift:] + names[:shift]:
            turn_of(name, lambda: ways[name].epoch(epoch))
    for name in names:  # the run with events finishes last (WAYS' order): its control thread ends with it
        turn_of(name, ways[name].finish)
    if case.task_config is not None:
        clocks["Basics task"] = Clock(case.device)
        run_id = store.create_run("basics", {}, session_key="bench").pk
        clocks["Basics task"].time(lambda: train_basics_task(case, run_id))
    return clocks, models


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile."""
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def spread(values: list[float]) -> str:
    q1, median, q3 = quartiles(values)
    return f"{median:.3f} [{q1:.3f}-{q3:.3f}]"


def weights_differ(a: nn.Module, b: nn.Module) -> float:
    return max((pa - pb).abs().max().item() for pa, pb in zip(a.parameters(), b.parameters()))


def measure(case: Case, rounds: int) -> None:
    samples = case.epochs * len(case.train)
    print(f"\ncase {case.name}: {case.about}")
    _, models = one_round(case, 0)  # warm-up: lazy initialisation, first allocations
    case.control_seconds = []
    store_cpu = STORE.cpu_seconds()
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for turn in range(rounds):
        clocks, _ = one_round(case, turn)
        for name, clock in clocks.items():
            wall.setdefault(name, []).append(clock.wall)
            cpu.setdefault(name, []).append(clock.cpu)

    print(f"  {'samples/s':>29s} {'by CPU':>8s}   throughput / bare, per round: median [interquartile range]")
    print(f"  {'':17s} {'(median)':>11s} {'':8s}   {'by wall clock':23s} by CPU time")
    for name in wall:
        by_wall = [b / w for b, w in zip(wall["bare"], wall[name])]
        by_cpu = [b / c for b, c in zip(cpu["bare"], cpu[name])]
        print(f"  {name:17s} {samples / statistics.median(wall[name]):11,.0f} {samples / statistics.median(cpu[name]):8,.0f}"
              f"   {spread(by_wall):23s} {spread(by_cpu)}")
    print(f"  a run with events: its control thread polled for {1000 * statistics.median(case.control_seconds):.0f} ms of "
          f"CPU a round, all but the share in its own turns taken off the other ways' clocks; {case.events} events, "
          f"stored by the store process in {STORE.cpu_seconds() - store_cpu:.2f} CPU s over {rounds} rounds")
    difference = weights_differ(models["loop + events"], models["bare"])
    print(f"  same weights after loop + events and bare: {'yes' if difference == 0 else f'no, up to {difference:.3g} apart'}")
    for reference in ("bare", "bare + evaluation"):
        by_wall = [r / w for r, w in zip(wall[reference], wall["loop + events"])]
        by_cpu = [r / c for r, c in zip(cpu[reference], cpu["loop + events"])]
        q1, median, q3 = quartiles(by_wall)
        print(f"  ratio {median:.3f} [{q1:.3f}-{q3:.3f}] (target >= {TARGET})  {case.name}: loop + events / {reference}, "
              f"median [interquartile range] of {rounds} rounds by wall clock; by CPU time {spread(by_cpu)}")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="auto", help="auto (cuda when there is one), cpu, cuda, cuda:1 ...")
    parser.add_argument("--cases", default="mlp,cnn", help="comma-separated, from: mlp, cnn")
    parser.add_argument("--rounds", type=int, default=11, help="timed rounds after the warm-up round (at least 4)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch CPU threads; 0: what a training process of the site gets (cores // LAYERLAB_SLOTS)")
    parser.add_argument("--mlp-epochs", type=int, default=0, help="0: the Basics default")
    parser.add_argument("--cnn-epochs", type=int, default=4, help="epochs a round: each is a turn, more turns pair better")
    parser.add_argument("--cnn-train", type=int, default=9000, help="training images")
    parser.add_argument("--cnn-test", type=int, default=1000, help="test images, evaluated at every report")
    parser.add_argument("--mnist", type=Path, default=MNIST_DIR, help="folder with MNIST's IDX files (gzipped or not)")
    args = parser.parse_args()
    if args.rounds < 4:
        parser.error("quartiles need at least 4 rounds")

    setup_store()
    STORE.start()
    from django.conf import settings

    device = pick_device(args.device)
    threads = args.threads or max(1, (os.cpu_count() or 1) // settings.LAYERLAB_SLOTS)
    torch.set_num_threads(threads)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{threads} torch thread(s)"
    print(f"overhead: torch {torch.__version__} on {device} ({where}), {args.rounds} rounds after a warm-up round; "
          f"{load_average()}")
    for name in args.cases.split(","):
        if name == "mlp":
            measure(mlp_case(device, args.mlp_epochs), args.rounds)
        elif name == "cnn":
            measure(cnn_case(device, args.cnn_epochs, args.cnn_train, args.cnn_test, args.mnist), args.rounds)
        else:
            parser.error(f"unknown case {name!r}")
    print(f"\nafter: {load_average()}")


if __name__ == "__main__":
    main()
