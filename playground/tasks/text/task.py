"""The Text page's task: a character-level language model (RNN, LSTM or GRU) that learns to write.

Run it without the web site:

    from playground.tasks.text import TextTask
    from playground.tasks.base import RunContext
    TextTask().run({"corpus": "sentences", "steps": 200}, RunContext(emit=print))

Training is truncated back-propagation through time over ``batch_size`` parallel
streams: the training text is cut into that many equal parts, each read in order,
``seq_len`` characters a step, the hidden state carried (and detached) from one step
to the next unless ``carry_state`` is off. Events (docs/api.md, "Text events"): the
corpus's statistics once; train loss (nats and bits per character), characters per
second and each layer's gradient norm every ``report_every`` steps; validation loss
every ``eval_every``; a generated sample every ``sample_every``; at the end the
characters' embeddings in 2-D. Short job ``sample``: a prompt continued, streamed.
"""
from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path
from typing import Any

import pydantic
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from playground import nets
from playground.data import corpora
from playground.data.uploads import UploadLimits
from playground.tasks import checkpoint, optim
from playground.tasks.base import Diverged, JobContext, RunContext, Stopped, Task, TaskFailure, emitted_together, finite
from playground.tasks.loop import autocast_dtype, cpu_threads, read_host
from playground.tasks.schedules import LearningRateSchedule, ScheduleSettings
from playground.tasks.text import model as charmodel
from playground.tasks.text.config import LAYER_TYPES, TextConfig
from playground.tasks.text.lessons import LESSONS

LOG2 = math.log(2)
CHECKPOINT_SECONDS = 5.0  # also saved this often, so the sampler can write with a model still training
VOCABULARY_HINT = {"python": 96, "tiny-shakespeare": 65}  # exact for these; others are counted


class TextControls(pydantic.BaseModel):
    """What may change while a Text run trains."""

    model_config = pydantic.ConfigDict(extra="forbid")
    learning_rate: float | None = pydantic.Field(None, gt=0, le=1, description="The optimiser's step size.")
    sample_temperature: float | None = pydantic.Field(None, ge=0, le=2,
                                                      description="Temperature of the samples written while training.")


class SampleArgs(pydantic.BaseModel):
    """A sample from the run's latest checkpoint."""

    model_config = pydantic.ConfigDict(extra="forbid")
    prompt: str = pydantic.Field("", max_length=2000, description="Text to continue; empty starts at a new line.")
    length: int = pydantic.Field(300, ge=1, le=2000, description="Characters to write after the prompt.")
    temperature: float = pydantic.Field(0.8, ge=0, le=2, description="0 always takes the likeliest character.")
    top_k: int = pydantic.Field(0, ge=0, le=1000, description="Draw only among the k likeliest; 0 for all.")
    seed: int | None = pydantic.Field(None, ge=0, le=2**32 - 1, description="Seed of the draws; none for a new one.")


def vocabulary_hint(corpus: str) -> int:
    """The vocabulary size a network is checked against before its corpus is read (exact for built-ins)."""
    if corpus in VOCABULARY_HINT:
        return VOCABULARY_HINT[corpus]
    if corpus in corpora.BUILT_IN:
        return len(set(corpora.built_in_text(corpus)))
    return UploadLimits().vocabulary


def read_corpus(config: TextConfig, data_dir: Path | None, upload: Any) -> str:
    try:
        text = corpora.load_text(config.corpus, data_dir, upload)
    except corpora.CorpusMissing as missing:
        raise TaskFailure(str(missing)[0].upper() + str(missing)[1:]) from None
    if len(text) < 4 * (config.seq_len + 1):
        raise TaskFailure(f"The corpus has only {len(text):,} characters; a sequence length of {config.seq_len} "
                          "needs a few times more. Choose a longer text or a shorter sequence.")
    return text


def streams(ids: Tensor, count: int) -> Tensor:
    """ids cut into ``count`` equal parts side by side (count, length); the few left over are dropped."""
    length = len(ids) // count
    return ids[: count * length].view(count, length)


class TextTask(Task):
    """Train a character-level RNN, LSTM or GRU on a corpus and let it write."""

    name = "text"
    title = "Text: a character-level RNN, LSTM or GRU that learns to write"
    Config = TextConfig
    Controls = TextControls
    Jobs = {"sample": SampleArgs}

    @staticmethod
    def net_spec(config: TextConfig, vocabulary: int | None = None) -> dict[str, Any]:
        """The whole network: ``seq_len`` token ids in, the configured layers, a Linear decoder to each character."""
        size = vocabulary or vocabulary_hint(config.corpus)
        return {"version": 1, "input": {"shape": [config.seq_len], "dtype": "long", "vocab_size": size},
                "layers": [*config.net, {"type": "Linear", "out_features": size}]}

    @staticmethod
    def catalogue() -> dict[str, Any]:
        return {
            "lessons": LESSONS,
            "layer_types": list(LAYER_TYPES),
            "corpora": {name: {"title": c.title, "description": c.description, "built_in": not c.dataset,
                               "dataset": c.dataset} for name, c in corpora.CORPORA.items()},
        }

    @classmethod
    def preview(cls, config: TextConfig | dict[str, Any], data_dir: Path | None = None,
                uploads_dir: Path | None = None) -> dict[str, Any]:
        """The corpus a run with this configuration reads: its statistics, its start and its split."""
        config = cls.Config.model_validate(config)
        text = read_corpus(config, data_dir, RunContext(emit=lambda *a: None, uploads_dir=uploads_dir).upload)
        train, val = corpora.split_by_position(text, config.val_fraction)
        return {"corpus": config.corpus, "statistics": corpora.corpus_statistics(text),
                "preview": corpora.preview(text), "vocabulary": "".join(sorted(set(text))),
                "train_characters": len(train), "val_characters": len(val)}

    def run(self, config: TextConfig | dict[str, Any], ctx: RunContext) -> None:
        config = self.Config.model_validate(config)
        device = torch.device(ctx.device)
        with cpu_threads(device, 1):
            Training(config, ctx, device).train()

    def job(self, kind: str, args: pydantic.BaseModel, ctx: JobContext) -> dict[str, Any]:
        if kind != "sample":
            raise TaskFailure(f"A text run answers sample jobs, not {kind!r}.")
        return sample_job(SampleArgs.model_validate(args), ctx)


class Training:
    """One run's state: the data as parallel streams, the network, its optimiser and where it stands."""

    def __init__(self, config: TextConfig, ctx: RunContext, device: torch.device) -> None:
        self.config, self.ctx, self.device = config, ctx, device
        text = read_corpus(config, ctx.data_dir, ctx.upload)
        self.statistics = corpora.corpus_statistics(text)
        self.vocabulary = charmodel.Vocabulary.of(text)
        train, val = corpora.split_by_position(text, config.val_fraction)
        ids = self.vocabulary.encode(text).to(device)
        self.train_streams = streams(ids[: len(train)], config.batch_size)
        if self.train_streams.shape[1] < config.seq_len + 1:
            raise TaskFailure(f"Cut into {config.batch_size} streams, the training text gives each only "
                              f"{self.train_streams.shape[1]} characters, fewer than a sequence of {config.seq_len}; "
                              "use fewer streams (batch size) or shorter sequences.")
        val_ids = ids[len(train):][: config.eval_characters + 1]
        self.val_streams = streams(val_ids, max(1, min(config.batch_size, len(val_ids) // (config.seq_len + 1))))
        self.net = self._build()
        self.names, self.groups = charmodel.layer_groups(self.net)
        self.parameters = [p for group in self.groups for p in group]
        self.optimizer = optim.make_optimizer(self.net, optim.OptimizerSettings(
            config.optimizer, config.learning_rate, config.weight_decay, momentum=0.9 if config.optimizer == "sgd" else 0.0))
        self.step = 0
        self.generator = torch.Generator(device=device).manual_seed(config.seed)
        self.sample_temperature = config.sample_temperature
        if ctx.resume_dir:
            self._resume(ctx.resume_dir)
        self.last_step = self.step + config.steps
        settings = ScheduleSettings(config.schedule, total_steps=max(2, self.last_step)) if config.schedule != "step" \
            else ScheduleSettings("step", step_size=max(1, self.last_step // 3), gamma=0.3)
        self.schedule = LearningRateSchedule(self.optimizer, settings)
        self.amp = autocast_dtype(device, config.mixed_precision)
        self.state: charmodel.State | None = None
        self.position = 0

    def _build(self) -> nn.Sequential:
        spec = TextTask.net_spec(self.config, len(self.vocabulary))
        try:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(self.config.seed)
                net = nets.build_net(spec)
        except nets.NetError as error:
            problems = "; ".join(e["message"] for e in error.errors[:3])
            raise TaskFailure(f"The network does not fit this corpus: {problems}") from None
        return net.to(self.device)

    def _resume(self, directory: Path) -> None:
        state = checkpoint.read_state(directory)
        if state.get("vocabulary") != self.vocabulary.characters:
            raise TaskFailure("The checkpoint was trained on other characters; continue on the same corpus.")
        state = checkpoint.load_model(directory, self.net)
        try:
            checkpoint.load_optimizer(directory, self.optimizer, state)
        except (ValueError, KeyError):
            pass  # another optimiser: the weights go on, its state starts afresh
        optim.apply_settings(self.optimizer, optim.OptimizerSettings(
            self.config.optimizer, self.config.learning_rate, self.config.weight_decay))
        self.step = int(state["step"])

    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        """bf16 autocast on a GPU that has it (the loss is computed in float32 all the same)."""
        if self.amp is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp)

    # --- training -------------------------------------------------------------------------

    def train(self) -> None:
        """The whole run: the corpus and the untrained loss, every step, then the last reports and checkpoint."""
        self.start()
        try:
            self.advance(self.last_step)
        except Stopped:
            self.save()
            raise
        self.finish()

    def start(self) -> None:
        config, emit, stats = self.config, self.ctx.emit, self.statistics
        emit("table", {"name": "corpus", "corpus": config.corpus, "characters": stats["characters"],
                       "vocabulary": stats["vocabulary"], "entropy_nats": stats["entropy_nats"],
                       "entropy_bits": stats["entropy_bits"], "layers": self.names,
                       "steps": self.last_step}, self.step)
        emit("log", {"level": "info", "message": (
            f"{stats['characters']:,} characters, {stats['vocabulary']} different; a model that ignores context "
            f"cannot beat {stats['entropy_nats']:.3f} nats ({stats['entropy_bits']:.3f} bits) per character.")}, self.step)
        self.validate()
        self._running = torch.zeros((), device=self.device)
        self._counted, self._clock, self._chars = 0, time.perf_counter(), 0
        self._saved = time.monotonic()

    def advance(self, until: int) -> None:
        """Train until ``until`` steps are taken, reporting, validating, sampling and saving on the way."""
        config = self.config
        while self.step < min(until, self.last_step):
            self._apply(self.ctx.control.check())
            reporting = (self.step + 1) % config.report_every == 0 or self.step + 1 == self.last_step
            loss, norms = self.train_step(reporting)
            self._running += loss
            self._counted += 1
            self._chars += config.batch_size * config.seq_len
            if reporting:
                elapsed = time.perf_counter() - self._clock
                self.report(self._running / self._counted, norms, self._chars / max(elapsed, 1e-9))
                self._running.zero_()
                self._counted, self._clock, self._chars = 0, time.perf_counter(), 0
            if self.step % config.eval_every == 0 and self.step != self.last_step:
                self.validate()
            if self.step % config.sample_every == 0 and self.step != self.last_step:
                self.emit_sample()
            if self.step % config.checkpoint_every == 0 or time.monotonic() - self._saved >= CHECKPOINT_SECONDS:
                self.save()

    def finish(self) -> None:
        self.validate()
        self.emit_sample()
        self.emit_embedding()
        self.save()

    def _apply(self, changes: dict[str, Any]) -> None:
        rate = changes.get("learning_rate", changes.get("lr"))
        if rate is not None:
            self.schedule.set_base(float(rate))
        if changes.get("sample_temperature") is not None:
            self.sample_temperature = float(changes["sample_temperature"])

    def batch(self) -> tuple[Tensor, Tensor]:
        """The next seq_len characters of every stream and the ones that follow them; at the end, from the start."""
        length = self.config.seq_len
        if self.position + length + 1 > self.train_streams.shape[1]:
            self.position, self.state = 0, None
        x = self.train_streams[:, self.position : self.position + length]
        y = self.train_streams[:, self.position + 1 : self.position + length + 1]
        self.position += length
        return x, y

    def train_step(self, measure_norms: bool) -> tuple[Tensor, Tensor | None]:
        x, y = self.batch()
        self.net.train()
        with self.autocast():
            scores, state = charmodel.run(self.net, x, self.state if self.config.carry_state else None)
        loss = F.cross_entropy(scores.float().reshape(-1, scores.shape[-1]), y.reshape(-1))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norms = charmodel.group_norms(self.groups) if measure_norms else None
        if self.config.grad_clip > 0:
            nn.utils.clip_grad_norm_(self.parameters, self.config.grad_clip, foreach=True)
        self.schedule.apply(self.step)
        self.optimizer.step()
        self.step += 1
        self.state = charmodel.detach(state) if self.config.carry_state else None
        return loss.detach(), norms

    def report(self, loss: Tensor, norms: Tensor | None, chars_per_second: float) -> None:
        values = read_host([loss, *(norms if norms is not None else [])])
        nats = values[0]
        with emitted_together(self.ctx.emit):
            self.ctx.emit("metric", {"split": "train", "loss": finite(nats), "bpc": finite(nats / LOG2)}, self.step)
            self.ctx.emit("metric", {"split": "speed", "chars_per_second": round(chars_per_second)}, self.step)
            if norms is not None:
                self.ctx.emit("metric", {"split": "grad", "norms": [finite(v) for v in values[1:]]}, self.step)
        if not math.isfinite(nats):
            raise Diverged(self.step, nats)

    @torch.no_grad()
    def validation_loss(self) -> float:
        """Mean loss per character over the validation streams, state carried through them as in training."""
        self.net.eval()
        data, length = self.val_streams, self.config.seq_len
        total, count, state = torch.zeros((), device=self.device), 0, None
        for start in range(0, data.shape[1] - 1, length):
            x = data[:, start : min(start + length, data.shape[1] - 1)]
            y = data[:, start + 1 : start + 1 + x.shape[1]]
            with self.autocast():
                scores, after = charmodel.run(self.net, x, state if self.config.carry_state else None)
            total += F.cross_entropy(scores.float().reshape(-1, scores.shape[-1]), y.reshape(-1), reduction="sum")
            count += y.numel()
            state = after
        self.net.train()
        return float(total.item()) / max(count, 1)

    def validate(self) -> float:
        nats = self.validation_loss()
        self.ctx.emit("metric", {"split": "val", "loss": finite(nats), "bpc": finite(nats / LOG2)}, self.step)
        if not math.isfinite(nats):
            raise Diverged(self.step, nats)
        return nats

    def emit_sample(self) -> None:
        start = self.vocabulary.encode("\n" if "\n" in self.vocabulary.index else self.vocabulary.characters[0])
        with self.autocast():
            ids = charmodel.generate(self.net, start.to(self.device), self.config.sample_length,
                                     self.sample_temperature, 0, self.generator)
        self.ctx.emit("text", {"name": "sample", "text": self.vocabulary.decode(ids),
                               "temperature": self.sample_temperature}, self.step)

    def emit_embedding(self) -> None:
        vectors = charmodel.embedding_matrix(self.net)
        if vectors is None:
            return
        points = charmodel.pca_2d(vectors[: len(self.vocabulary)]).cpu().tolist()
        counts = dict(self.statistics["most_frequent"])
        rows = [[char, round(x, 4), round(y, 4)] for char, (x, y) in zip(self.vocabulary.characters, points)]
        self.ctx.emit("table", {"name": "embedding", "columns": ["character", "x", "y"], "rows": rows,
                                "frequent": list(counts)}, self.step)

    def save(self) -> None:
        self._saved = time.monotonic()
        if self.ctx.checkpoint_dir is None:
            return
        checkpoint.save_checkpoint(self.ctx.checkpoint_dir, self.net, self.optimizer, self.config.model_dump(mode="json"),
                                   {"epoch": 0, "step": self.step, "vocabulary": self.vocabulary.characters},
                                   self.schedule.state_dict())


# --- sampling as a short job ----------------------------------------------------------------

STREAM_EVERY = 0.03  # seconds: characters sent together at most this often


def load_for_sampling(ctx: JobContext) -> tuple[nn.Sequential, charmodel.Vocabulary, int]:
    try:
        state = checkpoint.read_state(ctx.checkpoint_dir)
    except checkpoint.CheckpointError:
        raise TaskFailure("This run has saved no model yet; sample once it has trained a little.") from None
    config = TextConfig.model_validate(state["config"])
    vocabulary = charmodel.Vocabulary(state["vocabulary"])
    net = nets.build_net(TextTask.net_spec(config, len(vocabulary)))
    state = checkpoint.load_model(ctx.checkpoint_dir, net)
    return net.to(ctx.device).eval(), vocabulary, int(state["step"])


def sample_job(args: SampleArgs, ctx: JobContext) -> dict[str, Any]:
    """Continue the prompt from the latest checkpoint, sending the characters to ``ctx.part`` as they come."""
    net, vocabulary, step = load_for_sampling(ctx)
    unknown = vocabulary.unknown(args.prompt)
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:8]) + (" and more" if len(unknown) > 8 else "")
        raise TaskFailure(f"The prompt uses characters this model never saw in its corpus: {shown}. "
                          "Leave them out or train on a text that has them.")
    prompt = args.prompt or ("\n" if "\n" in vocabulary.index else vocabulary.characters[0])
    device = torch.device(ctx.device)
    generator = torch.Generator(device=device).manual_seed(
        args.seed if args.seed is not None else int(torch.randint(0, 2**31, ()).item()))
    pending: list[int] = []
    last = time.perf_counter()

    def send(char_id: int) -> None:
        nonlocal last
        pending.append(char_id)
        if time.perf_counter() - last >= STREAM_EVERY:
            ctx.part({"text": vocabulary.decode(pending)})
            pending.clear()
            last = time.perf_counter()

    with cpu_threads(device, 1):
        ids = charmodel.generate(net, vocabulary.encode(prompt).to(device), args.length, args.temperature,
                                 args.top_k, generator, on_id=send)
    if pending:
        ctx.part({"text": vocabulary.decode(pending)})
    return {"prompt": args.prompt, "text": vocabulary.decode(ids), "step": step, "temperature": args.temperature,
            "top_k": args.top_k}
