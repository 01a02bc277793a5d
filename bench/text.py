"""The Text task against a bare PyTorch loop, and the loss its classic 2-layer LSTM reaches, on Tiny Shakespeare.

Run from the repository root (reads ../shared/data/tinyshakespeare.txt, else the
catalogue's copy under $LAYERLAB_DATA_DIR):

    .venv/bin/python bench/text.py                       # about 5 minutes on a busy 2-core CPU
    .venv/bin/python bench/text.py --device cuda --steps 2000

1. Characters per second. The playground's training (``Training.advance`` of the
   Text task: control check, truncated BPTT step with carried state, gradient
   clipping, the schedule, Adam, a train-loss report with every layer's gradient
   norm every ``report_every`` steps, its events kept in a list) against a plain
   loop written here with the same modules (Embedding, 2-layer LSTM, Linear), the
   same initial weights, the same parallel streams, sequence length and batch size,
   the same optimiser and clipping, and no events. Both live in this one process and
   take turns, ``--chunk`` steps each, in an order that alternates from round to
   round, so whatever else the machine does reaches both alike. Validation and
   samples are set beyond the timed steps (they are work the bare loop does not
   do). A warm-up round is not counted. Figures: each way's chars/s (median over
   rounds), and playground / bare per round as the median and interquartile range.
   Target: ≥ 0.97.
2. The validation loss (nats and bits per character) that the "2-layer LSTM"
   lesson preset reaches in ``--steps`` steps, run whole as the site runs it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.tasks.base import RunContext  # noqa: E402
from playground.tasks.text import TextTask  # noqa: E402
from playground.tasks.text.lessons import LESSONS  # noqa: E402
from playground.tasks.text.task import Training  # noqa: E402

TARGET = 0.97
# ../shared beside the checkout (a worktree one level deeper looks one level further up)
SHARED = next((p for p in (ROOT.parent / "shared" / "data" / "tinyshakespeare.txt",
                           ROOT.parent.parent / "shared" / "data" / "tinyshakespeare.txt") if p.exists()),
              ROOT.parent / "shared" / "data" / "tinyshakespeare.txt")
CLASSIC = next(p for lesson in LESSONS for p in lesson["presets"] if p["id"] == "lstm-classic")["config"]


def data_folder(keep: list[Path]) -> Path:
    """A data directory whose catalogue holds Tiny Shakespeare (linked from ../shared when it is there)."""
    if not SHARED.exists():
        here = Path(os.environ.get("LAYERLAB_DATA_DIR", ROOT / "var"))
        if not (here / "datasets" / "tiny-shakespeare" / "input.txt").exists():
            sys.exit(f"Tiny Shakespeare is neither at {SHARED} nor fetched (./manage.py fetch_datasets tiny-shakespeare).")
        return here
    folder = Path(tempfile.mkdtemp(prefix="layerlab-text-bench-"))
    keep.append(folder)
    target = folder / "datasets" / "tiny-shakespeare"
    target.mkdir(parents=True)
    (target / "input.txt").symlink_to(SHARED)
    return folder


class BareLoop:
    """The same network as plain modules, trained by a loop written out here."""

    def __init__(self, training: Training, config) -> None:
        net = training.net
        embedding, lstm, decoder = net[0], net[1].rnn, net[2]
        self.embedding = nn.Embedding(embedding.num_embeddings, embedding.embedding_dim).to(training.device)
        self.lstm = nn.LSTM(lstm.input_size, lstm.hidden_size, lstm.num_layers, dropout=lstm.dropout,
                            batch_first=True).to(training.device)
        self.decoder = nn.Linear(decoder.in_features, decoder.out_features).to(training.device)
        self.embedding.load_state_dict(embedding.state_dict())
        self.lstm.load_state_dict(lstm.state_dict())
        self.decoder.load_state_dict(decoder.state_dict())
        self.modules = nn.ModuleList([self.embedding, self.lstm, self.decoder])
        self.parameters = list(self.modules.parameters())
        self.optimizer = torch.optim.Adam(self.parameters, lr=config.learning_rate)
        self.data = training.train_streams
        self.seq_len, self.clip = config.seq_len, config.grad_clip
        self.position, self.state = 0, None

    def steps(self, count: int) -> None:
        self.modules.train()
        for _ in range(count):
            if self.position + self.seq_len + 1 > self.data.shape[1]:
                self.position, self.state = 0, None
            x = self.data[:, self.position : self.position + self.seq_len]
            y = self.data[:, self.position + 1 : self.position + self.seq_len + 1]
            self.position += self.seq_len
            output, state = self.lstm(self.embedding(x), self.state)
            loss = F.cross_entropy(self.decoder(output).reshape(-1, self.decoder.out_features), y.reshape(-1))
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(self.parameters, self.clip, foreach=True)
            self.optimizer.step()
            self.state = tuple(t.detach() for t in state)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(device: torch.device, work) -> float:
    synchronize(device)
    start = time.perf_counter()
    work()
    synchronize(device)
    return time.perf_counter() - start


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def throughput(args, data_dir: Path, device: torch.device) -> None:
    timed_steps = (args.rounds + 1) * args.chunk
    config = TextTask.Config(**{**CLASSIC, "corpus": "tiny-shakespeare", "steps": timed_steps + 1,
                                "eval_every": 100_000, "sample_every": 100_000, "checkpoint_every": 100_000,
                                "schedule": "constant"})
    events: list = []
    training = Training(config, RunContext(emit=lambda *event: events.append(event), device=str(device),
                                           data_dir=data_dir), device)
    bare = BareLoop(training, config)
    training.start()
    chars = args.chunk * config.batch_size * config.seq_len
    play_rates, bare_rates, ratios = [], [], []
    for round_number in range(args.rounds + 1):
        ways = {"playground": lambda: training.advance(training.step + args.chunk), "bare": lambda: bare.steps(args.chunk)}
        order = list(ways) if round_number % 2 == 0 else list(reversed(ways))
        seconds = {name: timed(device, ways[name]) for name in order}
        if round_number == 0:
            continue  # warm-up
        play, plain = chars / seconds["playground"], chars / seconds["bare"]
        play_rates.append(play)
        bare_rates.append(plain)
        ratios.append(play / plain)
    q1, median, q3 = quartiles(ratios)
    print(f"LSTM {config.net[1]['hidden_size']}×{config.net[1]['num_layers']}, embedding {config.net[0]['embedding_dim']}, "
          f"batch {config.batch_size} × seq {config.seq_len}, {args.rounds} rounds of {args.chunk} steps each way, "
          f"{torch.get_num_threads()} thread(s), {device}")
    print(f"  playground  {statistics.median(play_rates):10,.0f} chars/s (median)")
    print(f"  bare        {statistics.median(bare_rates):10,.0f} chars/s (median)")
    print(f"  playground / bare per round: median {median:.3f}, IQR {q1:.3f}–{q3:.3f} "
          f"({'meets' if median >= TARGET else 'misses'} the {TARGET} target); "
          f"{sum(e[0] == 'metric' for e in events)} metric events")


def classic_loss(args, data_dir: Path, device: torch.device) -> None:
    events: list = []
    config = {**CLASSIC, "corpus": "tiny-shakespeare", "steps": args.steps, "eval_every": args.steps,
              "sample_every": args.steps, "eval_characters": 100_000}
    start = time.perf_counter()
    TextTask().run(config, RunContext(emit=lambda *event: events.append(event), device=str(device), data_dir=data_dir))
    seconds = time.perf_counter() - start
    val = [data for kind, data, *_ in events if kind == "metric" and data["split"] == "val"]
    [corpus] = [data for kind, data, *_ in events if kind == "table" and data["name"] == "corpus"]
    sample = [data for kind, data, *_ in events if kind == "text"][-1]["text"]
    print(f"2-layer LSTM preset, {args.steps} steps on {device} ({seconds:.0f} s): validation loss "
          f"{val[0]['loss']:.3f} → {val[-1]['loss']:.3f} nats ({val[-1]['bpc']:.3f} bits) per character; "
          f"unigram entropy {corpus['entropy_nats']:.3f} nats ({corpus['entropy_bits']:.3f} bits)")
    print("  its last sample:", repr(sample[:160]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch threads on the CPU (the task uses 1)")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--chunk", type=int, default=10, help="steps each way takes per turn")
    parser.add_argument("--steps", type=int, default=300, help="steps of the 2-layer LSTM preset for its loss")
    parser.add_argument("--skip-loss", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    keep: list[Path] = []
    try:
        data_dir = data_folder(keep)
        print(f"load average {os.getloadavg()[0]:.2f} before")
        throughput(args, data_dir, device)
        if not args.skip_loss:
            classic_loss(args, data_dir, device)
        print(f"load average {os.getloadavg()[0]:.2f} after")
    finally:
        for folder in keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
