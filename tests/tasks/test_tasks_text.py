"""The Text task on the small generated corpora: it learns, it writes only its corpus's characters, sampling
at temperature 0 repeats itself, carried state beats reset state, and its events say what the page draws."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from playground.data import corpora
from playground.tasks.base import Control, JobContext, RunContext, TaskFailure
from playground.tasks.text import TextTask
from playground.tasks.text.model import Vocabulary, next_ids
from playground.tasks.text.task import SampleArgs

from recording import Recorder

QUICK = {"corpus": "sentences", "net": [{"type": "Embedding", "embedding_dim": 16},
                                        {"type": "LSTM", "hidden_size": 64}],
         "seq_len": 32, "batch_size": 16, "steps": 150, "learning_rate": 0.01, "report_every": 25,
         "eval_every": 75, "sample_every": 75, "sample_length": 80, "eval_characters": 3000}


def run_text(checkpoint_dir: Path | None = None, **config) -> Recorder:
    recorder = Recorder()
    TextTask().run({**QUICK, **config}, RunContext(emit=recorder, checkpoint_dir=checkpoint_dir))
    return recorder


@pytest.fixture(scope="module")
def lstm_run(tmp_path_factory) -> tuple[Recorder, Path]:
    folder = tmp_path_factory.mktemp("text-checkpoint")
    return run_text(folder), folder


def test_an_lstm_falls_well_below_the_unigram_entropy(lstm_run):
    recorder, _ = lstm_run
    entropy = corpora.corpus_statistics(corpora.load_text("sentences"))["entropy_nats"]
    [corpus] = recorder.named("corpus")
    assert corpus["entropy_nats"] == pytest.approx(entropy)
    val = recorder.metrics("val")
    assert val[0]["loss"] > 0.9 * entropy  # the untrained network, before any step
    assert val[-1]["loss"] < 0.6 * entropy, (val[-1], entropy)
    assert all(v["bpc"] == pytest.approx(v["loss"] / math.log(2)) for v in val)


def test_samples_use_only_the_corpus_characters(lstm_run):
    recorder, _ = lstm_run
    alphabet = set(corpora.load_text("sentences"))
    samples = recorder.named("sample")
    assert len(samples) == 2 and all(len(s["text"]) == 80 for s in samples)  # at step 75, and at the end
    assert all(set(s["text"]) <= alphabet for s in samples)


def test_the_events_carry_train_loss_speed_gradients_and_the_embedding(lstm_run):
    recorder, _ = lstm_run
    steps = [e["step"] for e in recorder.events if e["type"] == "metric" and e["data"]["split"] == "train"]
    assert steps == [25, 50, 75, 100, 125, 150]
    assert all(m["chars_per_second"] > 0 for m in recorder.metrics("speed"))
    [corpus] = recorder.named("corpus")
    assert corpus["layers"] == ["Embedding 1", "LSTM 2", "decoder"]
    assert all(len(g["norms"]) == 3 and all(n > 0 for n in g["norms"]) for g in recorder.metrics("grad"))
    [embedding] = recorder.named("embedding")
    vocabulary = sorted(set(corpora.load_text("sentences")))
    assert [row[0] for row in embedding["rows"]] == vocabulary and len(embedding["rows"][0]) == 3


def sample(folder: Path, parts: list | None = None, **args) -> dict:
    ctx = JobContext(config=TextTask.Config(**QUICK), checkpoint_dir=folder,
                     send=(parts.append if parts is not None else lambda data: None))
    return TextTask().job("sample", SampleArgs(**args), ctx)


def test_sampling_at_temperature_zero_is_deterministic_and_streams_its_characters(lstm_run):
    _, folder = lstm_run
    parts: list[dict] = []
    first = sample(folder, parts, prompt="The cat", temperature=0, length=60, seed=1)
    second = sample(folder, prompt="The cat", temperature=0, length=60, seed=2)
    assert first["text"] == second["text"] and len(first["text"]) == 60
    assert "".join(p["text"] for p in parts) == first["text"] and first["step"] == 150
    warm = sample(folder, prompt="A dog", temperature=1.0, top_k=5, length=60, seed=3)
    assert set(warm["text"]) <= set(corpora.load_text("sentences"))


def test_a_prompt_with_characters_outside_the_vocabulary_is_refused_with_a_sentence(lstm_run):
    _, folder = lstm_run
    with pytest.raises(TaskFailure, match=r"never saw in its corpus: '#', '1', 'Z'\."):
        sample(folder, prompt="Zebra #1")


def test_sampling_before_any_checkpoint_says_so(tmp_path):
    with pytest.raises(TaskFailure, match="saved no model yet"):
        sample(tmp_path, prompt="The")


def test_top_k_one_and_temperature_zero_both_take_the_likeliest():
    scores = torch.tensor([[0.1, 3.0, 0.5], [2.0, -1.0, 0.0]])
    assert next_ids(scores, 0.0, 0, None).tolist() == [1, 0]
    assert next_ids(scores, 1.5, 1, torch.Generator().manual_seed(0)).tolist() == [1, 0]


def test_carried_hidden_state_beats_reset_state_on_brackets():
    quick = {"corpus": "brackets", "net": [{"type": "Embedding", "embedding_dim": 8},
                                           {"type": "LSTM", "hidden_size": 48}],
             "seq_len": 4, "batch_size": 32, "steps": 300, "learning_rate": 0.01, "report_every": 100,
             "eval_every": 1000, "sample_every": 1000, "sample_length": 10, "eval_characters": 6000}
    carried = run_text(**quick, carry_state=True).metrics("val")[-1]["loss"]
    reset = run_text(**quick, carry_state=False).metrics("val")[-1]["loss"]
    assert carried < reset - 0.03, (carried, reset)


def test_vocabulary_encodes_and_decodes_any_characters():
    vocabulary = Vocabulary.of("héllo wörld 🙂\n")
    ids = vocabulary.encode("wörld 🙂")
    assert vocabulary.decode(ids.tolist()) == "wörld 🙂" and vocabulary.unknown("xyz") == ["x", "y", "z"]


def test_a_corpus_that_is_not_here_says_how_to_get_it(tmp_path):
    with pytest.raises(TaskFailure, match="fetch_datasets tiny-shakespeare"):
        TextTask().run({**QUICK, "corpus": "tiny-shakespeare"}, RunContext(emit=Recorder(), data_dir=tmp_path))


def test_a_bidirectional_layer_and_an_unknown_corpus_are_refused():
    with pytest.raises(ValueError, match="bidirectional"):
        TextTask.Config(net=[{"type": "Embedding", "embedding_dim": 8},
                             {"type": "GRU", "hidden_size": 8, "bidirectional": True}])
    with pytest.raises(ValueError, match=r"Layer 2 \(Flatten\) does not keep one vector per character"):
        TextTask.Config(net=[{"type": "Embedding", "embedding_dim": 8}, {"type": "Flatten"}])
    with pytest.raises(ValueError, match="no corpus 'poems'"):
        TextTask.Config(corpus="poems")


def test_one_hot_input_trains_and_gives_an_embedding_map():
    recorder = run_text(net=[{"type": "OneHot"}, {"type": "GRU", "hidden_size": 16}], steps=10,
                        eval_every=10, sample_every=10)
    [embedding] = recorder.named("embedding")
    assert len(embedding["rows"]) == len(set(corpora.load_text("sentences")))


def test_the_built_in_python_corpus_is_real_text_of_a_megabyte_or_more():
    text = corpora.load_text("python")
    assert len(text) >= 1_000_000 and text == corpora.python_stdlib_text()  # the same every time
    assert "def " in text and len(set(text)) <= 96
    train, val = corpora.split_by_position(text, 0.1)
    assert train + val == text and len(val) == len(text) // 10


def test_a_run_continues_from_its_checkpoint_at_the_step_it_reached(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    small = {"steps": 10, "report_every": 5, "eval_every": 100, "sample_every": 100}
    TextTask().run({**QUICK, **small}, RunContext(emit=Recorder(), checkpoint_dir=first))
    recorder = Recorder()
    TextTask().run({**QUICK, **small}, RunContext(emit=recorder, checkpoint_dir=second, resume_dir=first))
    assert [m["step"] for m in recorder.events if m["type"] == "metric" and m["data"]["split"] == "train"] == [15, 20]
    with pytest.raises(TaskFailure, match="other characters"):
        TextTask().run({**QUICK, **small, "corpus": "brackets"}, RunContext(emit=Recorder(), resume_dir=first))


class ChangesOnce(Control):
    """Asks, before the first step, for greedy samples and another learning rate."""

    def __init__(self) -> None:
        self.changes = {"sample_temperature": 0.0, "learning_rate": 0.001}

    def check(self) -> dict:
        changes, self.changes = self.changes, {}
        return changes


def test_live_controls_change_the_samples_temperature_and_the_rate():
    recorder = Recorder()
    control = ChangesOnce()
    TextTask().run({**QUICK, "steps": 10, "sample_every": 5, "schedule": "constant"},
                   RunContext(emit=recorder, control=control))
    samples = recorder.named("sample")
    assert [s["temperature"] for s in samples] == [0.0, 0.0]
    assert TextTask.Controls(sample_temperature=0.5).sample_temperature == 0.5
