"""The CNN task on MNIST: does LeNet-5 reach 97 %, and what does the task cost against a bare PyTorch loop?

Run from the repository root:

    .venv/bin/python bench/cnn.py                  # about 3 minutes on a 2-core CPU
    .venv/bin/python bench/cnn.py --device cuda --rounds 11

Data: MNIST's 10,000 test pictures from ../shared/data/mnist (``t10k-*``, gzipped or
not), split 9,000 / 1,000 and written as ``train-*`` and ``t10k-*`` IDX files into
``datasets/mnist/`` of a temporary data directory, which the task then reads as it
reads the real set.

1. Accuracy: ``CnnTask().run`` itself (the LeNet-5 preset, Adam, 5 epochs, batch
   64, every event emitted to a list, a checkpoint after each epoch); the test
   accuracy after each epoch. Target: at least 97 % within the 5 epochs.
2. Training throughput: one epoch at a time, taking turns in a rotating order
   within each round, of
   - bare: a plain loop written here: the same uint8 pictures on the device, the
     same permutation per epoch, slice, normalise, forward, cross-entropy,
     backward, Adam step; nothing else;
   - task loop: ``SupervisedLoop.train_epoch`` on the task's own data split, model
     and optimiser (``task.prepare``, ``building.build_model``, ``task.make_loop``):
     the loop's control checks, batch transform and running totals included.
   Both start every round from the same weights. The figure is task loop / bare
   in pictures per second, per round: median and interquartile range over the rounds.
   Target: at least 0.97.
3. End to end: the whole task run of (1), set-up, per-epoch evaluation, confusion
   matrix, mistakes, filters and checkpoints included, against the bare loop's
   5 epochs plus a bare evaluation of the test split after each, the two taking
   turns over ``--e2e-rounds`` rounds (the first task run is the one of (1)); the
   ratio of the medians.

It reports; it does not fail.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.data.idx import read_image_set  # noqa: E402
from playground.tasks.base import Control, RunContext  # noqa: E402
from playground.tasks.cnn import CnnTask  # noqa: E402
from playground.tasks.cnn import building  # noqa: E402
from playground.tasks.cnn import task as cnn_task  # noqa: E402
from playground.tasks.cnn.lessons import NETS  # noqa: E402
from playground.tasks.loop import cpu_threads, epoch_seed  # noqa: E402

# ../shared/data/mnist beside the checkout (or beside the folder of worktrees it is in).
MNIST_DIR = next((p for p in (ROOT.parent / "shared" / "data" / "mnist", ROOT.parent.parent / "shared" / "data" / "mnist")
                  if p.is_dir()), ROOT.parent / "shared" / "data" / "mnist")
TRAIN, TEST = 9000, 1000


def idx_bytes(array: np.ndarray) -> bytes:
    return bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape) + array.tobytes()


def write_data_dir(source: Path, data_dir: Path) -> None:
    images, labels = read_image_set(source, "t10k")
    folder = data_dir / "datasets" / "mnist"
    folder.mkdir(parents=True)
    for prefix, part in (("train", slice(0, TRAIN)), ("t10k", slice(TRAIN, TRAIN + TEST))):
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes(images[part]))
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(labels[part].astype(np.uint8)))


def config(epochs: int) -> CnnTask.Config:
    return CnnTask.Config(dataset="mnist", net=NETS["lenet5"], epochs=epochs, batch_size=64, optimizer="adam",
                          learning_rate=0.002, report_every=50, misclassified=16)


def accuracy_run(data_dir: Path, device: str, epochs: int) -> tuple[list[float], float]:
    """The task as a run does it: test accuracy after each epoch, and its wall-clock seconds."""
    events: list[tuple[str, dict]] = []
    checkpoints = Path(tempfile.mkdtemp(prefix="cnn-bench-checkpoint-"))
    start = time.perf_counter()
    CnnTask().run(config(epochs), RunContext(emit=lambda type, data, step=None: events.append((type, data)),
                                             device=device, data_dir=data_dir, checkpoint_dir=checkpoints))
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    accuracies = [data["accuracy"] for type, data in events if type == "metric" and data["split"] == "test"]
    return accuracies, seconds


class Ways:
    """The bare loop and the task's loop on the same data, weights and batch order."""

    def __init__(self, data_dir: Path, device: torch.device) -> None:
        self.settings = config(1)
        images = building.load_data(self.settings, data_dir)
        self.data = cnn_task.prepare(self.settings, images, device)
        self.device = device
        self.initial = {k: v.clone() for k, v in building.build_model(self.settings, device).state_dict().items()}
        mean, std = self.data.mean, self.data.std
        self.mean = torch.tensor(mean, device=device).view(1, -1, 1, 1)
        self.inverse_std = 1 / torch.tensor(std, device=device).view(1, -1, 1, 1)
        self.batch = self.settings.batch_size

    def fresh_model(self) -> torch.nn.Module:
        model = building.build_model(self.settings, self.device)
        model.load_state_dict(self.initial)
        return model

    def bare_epoch(self, epoch: int) -> float:
        model = self.fresh_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=self.settings.learning_rate)
        x_all, y_all = self.data.train.x, self.data.train.y
        generator = torch.Generator(device=self.device)
        synchronize(self.device)
        start = time.perf_counter()
        model.train()
        generator.manual_seed(epoch_seed(0, epoch))
        order = torch.randperm(len(x_all), device=self.device, generator=generator)
        for at in range(0, len(x_all), self.batch):
            index = order[at : at + self.batch]
            x = (x_all[index].float() * (1 / 255) - self.mean) * self.inverse_std
            if self.device.type == "cuda":
                x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.device.type == "cuda"):
                loss = F.cross_entropy(model(x), y_all[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        synchronize(self.device)
        return time.perf_counter() - start

    def bare_evaluation(self) -> float:
        model = self.fresh_model().eval()
        synchronize(self.device)
        start = time.perf_counter()
        with torch.no_grad():
            x = (self.data.test.x.float() * (1 / 255) - self.mean) * self.inverse_std
            (model(x).argmax(1) == self.data.test.y).sum().item()
        return time.perf_counter() - start

    def loop_epoch(self, epoch: int) -> float:
        model = self.fresh_model()
        loop = cnn_task.make_loop(self.settings, model, Control(), len(self.data.train))
        synchronize(self.device)
        start = time.perf_counter()
        loop.train_epoch(self.data.train, epoch)
        loop.take_running().loss.item()  # what a report reads: the epoch's work is done
        synchronize(self.device)
        return time.perf_counter() - start


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return q[0], statistics.median(values), q[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the throughput comparison (one epoch each way)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--e2e-rounds", type=int, default=3, help="rounds of the end-to-end comparison")
    parser.add_argument("--mnist", type=Path, default=MNIST_DIR, help="folder with MNIST's t10k IDX files")
    args = parser.parse_args()
    device = torch.device(args.device)
    data_dir = Path(tempfile.mkdtemp(prefix="cnn-bench-data-"))
    write_data_dir(args.mnist, data_dir)
    print(f"load average {os.getloadavg()[0]:.2f} at the start; MNIST t10k from {args.mnist}: {TRAIN:,} to train, {TEST:,} to test, on {device}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads (the task trains with 1 on a CPU)")

    accuracies, task_seconds = accuracy_run(data_dir, args.device, args.epochs)
    print(f"\n1. LeNet-5 + Adam, {args.epochs} epochs: test accuracy per epoch "
          + ", ".join(f"{a:.2%}" for a in accuracies)
          + f" -> best {max(accuracies):.2%} ({'meets' if max(accuracies) >= 0.97 else 'MISSES'} the 97 % target); "
            f"the whole run took {task_seconds:.1f} s")

    with cpu_threads(device, 1):  # the task's own setting on a CPU, for both ways
        ways = Ways(data_dir, device)
        ways.bare_epoch(0), ways.loop_epoch(0)  # warm-up, not counted
        ratios, bare_rates, loop_rates = [], [], []
        for round_ in range(args.rounds):
            order = [("bare", ways.bare_epoch), ("loop", ways.loop_epoch)]
            if round_ % 2:
                order.reverse()
            seconds = {name: run(round_ + 1) for name, run in order}
            bare_rates.append(TRAIN / seconds["bare"])
            loop_rates.append(TRAIN / seconds["loop"])
            ratios.append(seconds["bare"] / seconds["loop"])
        bare_runs, task_runs = [], [task_seconds]
        for round_ in range(args.e2e_rounds):
            if round_:
                task_runs.append(accuracy_run(data_dir, args.device, args.epochs)[1])
            bare_runs.append(sum(ways.bare_epoch(100 + epoch) + ways.bare_evaluation() for epoch in range(args.epochs)))
    low, middle, high = quartiles(ratios)
    print(f"\n2. Training throughput over {args.rounds} rounds (pictures/s, medians): bare {statistics.median(bare_rates):,.0f}, "
          f"task loop {statistics.median(loop_rates):,.0f}; task loop / bare per round: median {middle:.3f}, "
          f"interquartile range {low:.3f}-{high:.3f} ({'meets' if middle >= 0.97 else 'MISSES'} the 0.97 target)")
    bare_total, task_total = statistics.median(bare_runs), statistics.median(task_runs)
    print(f"\n3. End to end over {args.e2e_rounds} rounds (medians), {args.epochs} epochs with a test evaluation after each: "
          f"bare {bare_total:.1f} s, the task's whole run {task_total:.1f} s (data loading, events, confusion matrix, "
          f"mistakes, filters, checkpoints included): bare / task {bare_total / task_total:.3f}")
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
