"""fit: reports by epochs, steps or seconds, handlers in order, early ends, and a diverged loss that ends the run."""
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from playground.data.split import Split
from playground.tasks.base import Control, Diverged, RunContext
from playground.tasks.fit import Every, Plan, fit
from playground.tasks.handlers import Event, Handlers
from playground.tasks.loop import SupervisedLoop


def blobs(n: int = 60) -> Split:
    generator = torch.Generator().manual_seed(0)
    y = torch.arange(n) % 2
    return Split(torch.randn(n, 2, generator=generator) * 0.5 + torch.stack([y * 4.0 - 2, torch.zeros(n)], 1), y)


def make_loop(lr: float = 0.1, **options) -> SupervisedLoop:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))
    return SupervisedLoop(
        model, torch.optim.SGD(model.parameters(), lr=lr), F.cross_entropy, batch_size=10, control=Control(),
        correct_fn=lambda out, y: (out.argmax(1) == y).sum(), **options,
    )


class Events(list):
    """An emitter that keeps (split, epoch, step) of each metric."""

    def __call__(self, type, data, step=None):
        self.append((data["split"], data["epoch"], step))

    def splits(self, name):
        return [(epoch, step) for split, epoch, step in self if split == name]


class FakeClock:
    """A clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_reports_every_n_steps_count_over_the_run_and_end_with_a_full_report():
    events = Events()
    # 6 steps an epoch; train metrics every 4 steps, the test split at the end of every other epoch.
    fit(make_loop(running_totals=True), blobs(), blobs(20), Plan(epochs=3, report_every=Every(steps=4),
        evaluate_every=Every(epochs=2)), events)
    assert events.splits("train") == [(0.6667, 4), (1.3333, 8), (2, 12), (2.6667, 16), (3, 18)]
    assert events.splits("test") == [(2, 12), (3, 18)]


def test_a_step_report_at_an_epochs_end_is_not_repeated():
    events = Events()
    fit(make_loop(running_totals=True), blobs(), blobs(20), Plan(epochs=2, report_every=Every(steps=6)), events)
    assert events.splits("train") == [(1, 6), (2, 12)] and events.splits("test") == [(1, 6), (2, 12)]


@pytest.mark.parametrize(("seconds_per_step", "train_steps"), [
    (1.0, [3, 6, 9, 12, 15, 18]),  # every 2.5 s: at 3 s, then 2.5 s after each report
    (0.7, [4, 6, 10, 12, 16, 18]),  # the epoch's evaluation at 6 resets the interval
    (0.001, [6, 12, 18]),  # a fast run: only the epochs' evaluations report
])
def test_reports_every_n_seconds_follow_the_clock_not_the_steps(seconds_per_step, train_steps):
    events, clock = Events(), FakeClock()
    handlers = Handlers().on(Event.STEP, lambda progress: clock.advance(seconds_per_step))
    fit(make_loop(running_totals=True), blobs(), blobs(20),
        Plan(epochs=3, report_every=Every(seconds=2.5), evaluate_every=Every(epochs=1)), events, handlers=handlers, clock=clock)
    assert [step for _, step in events.splits("train")] == train_steps
    assert [step for _, step in events.splits("test")] == [6, 12, 18]


def test_handlers_fire_in_event_order_and_in_the_order_they_were_added():
    seen = []
    handlers = Handlers()
    for name in ("first", "second"):
        handlers.on(Event.STEP, lambda p, n=name: seen.append((n, "step", p.step)), every=5)
        handlers.on(Event.REPORT, lambda p, n=name: seen.append((n, "report", p.step)))
        handlers.on(Event.EPOCH, lambda p, n=name: seen.append((n, "epoch", p.epoch, p.final)))
        handlers.on(Event.END, lambda p, n=name: seen.append((n, "end", p.step)))
    fit(make_loop(), blobs(), blobs(20), Plan(epochs=2), lambda *e: None, handlers=handlers)
    assert seen == [
        ("first", "step", 5), ("second", "step", 5),
        ("first", "report", 6), ("second", "report", 6), ("first", "epoch", 1, False), ("second", "epoch", 1, False),
        ("first", "step", 10), ("second", "step", 10),
        ("first", "report", 12), ("second", "report", 12), ("first", "epoch", 2, True), ("second", "epoch", 2, True),
        ("first", "end", 12), ("second", "end", 12),
    ]


def test_every_counts_epochs_and_reports_too():
    epochs, reports = [], []
    handlers = Handlers().on(Event.EPOCH, lambda p: epochs.append(p.epoch), every=3)
    handlers.on(Event.REPORT, lambda p: reports.append(p.reports), every=2)
    fit(make_loop(), blobs(), blobs(20), Plan(epochs=7, start_epoch=2), lambda *e: None, handlers=handlers)
    assert epochs == [3, 6, 9] and reports == [2, 4, 6]


def test_a_handler_can_end_training_within_an_epoch():
    ended = []
    handlers = Handlers().on(Event.STEP, lambda p: p.terminate(), every=9)
    handlers.on(Event.END, lambda p: ended.append((p.epoch, p.step, p.loop.epoch)))
    events = Events()
    progress = fit(make_loop(), blobs(), blobs(20), Plan(epochs=5), events, handlers=handlers)
    assert ended == [(2, 9, 1)] and progress.terminated  # stopped 3 steps into epoch 2; epoch 1 is the last finished
    assert events.splits("test") == [(1, 6), (1.5, 9)]  # and said where it stopped


def test_the_target_can_be_met_at_a_step_report():
    events = Events()
    progress = fit(make_loop(running_totals=True), blobs(), blobs(20),
                   Plan(epochs=50, report_every=Every(steps=2), target_test_loss=0.3), events)
    assert progress.reached_target <= 0.3 and progress.step % 2 == 0 and progress.step == events[-1][2]


def test_an_absurd_learning_rate_ends_the_run_at_the_report_that_shows_it():
    events = Events()
    loop = make_loop(lr=1e38)
    with pytest.raises(Diverged, match=r"^the loss became (NaN|infinite) at step 6; try a lower learning rate$") as raised:
        fit(loop, blobs(), blobs(20), Plan(epochs=10), events)
    assert raised.value.step == 6 and [split for split, _, _ in events] == ["train", "test"]
    assert (loop.step, loop.epoch) == (6, 1)


def test_a_diverged_loss_is_found_without_reading_the_device_between_reports(monkeypatch):
    loop = make_loop(lr=1e38)
    reads = []
    original = torch.Tensor.tolist
    monkeypatch.setattr(torch.Tensor, "tolist", lambda self: reads.append(loop.step) or original(self))
    with pytest.raises(Diverged):
        fit(loop, blobs(), blobs(20), Plan(epochs=10, report_every=Every(epochs=2)), lambda *e: None)
    assert reads == [12]  # one read, at the first report


def test_the_runner_records_the_sentence_as_the_failure():
    from playground.runs.runner import describe_failure

    assert describe_failure(Diverged(120, float("nan"))) == "the loss became NaN at step 120; try a lower learning rate"
    assert RunContext(emit=print).control.check() == {}


@pytest.mark.parametrize("interval", [{}, {"epochs": 1, "steps": 2}, {"seconds": -1}])
def test_an_interval_is_exactly_one_positive_amount(interval):
    with pytest.raises(ValueError, match="exactly one"):
        Every(**interval)


def test_report_handlers_get_the_test_predictions_of_the_same_evaluation():
    seen, test, loop = [], blobs(20), make_loop(running_totals=True)
    handlers = Handlers().on(Event.REPORT, lambda p: seen.append((p.step, p.predictions, p.metrics)))
    fit(loop, blobs(), test, Plan(epochs=2, report_every=Every(steps=4), evaluate_every=Every(epochs=1), predictions=True),
        lambda *e: None, handlers=handlers)
    assert [step for step, _, _ in seen] == [4, 6, 8, 12]
    assert seen[0][1] is None and seen[2][1] is seen[1][1]  # a report without evaluation keeps the last one
    predictions, metrics = seen[3][1], seen[3][2]
    assert torch.equal(predictions, loop.model(test.x).argmax(1))
    accuracy = next(m["accuracy"] for m in metrics if m["split"] == "test")
    assert accuracy == (predictions == test.y).float().mean().item()


def test_ending_at_an_epochs_last_step_finishes_that_epoch():
    seen = []
    handlers = Handlers().on(Event.STEP, lambda p: p.terminate(), every=6)
    handlers.on(Event.EPOCH, lambda p: seen.append(("epoch", p.epoch, p.final)))
    handlers.on(Event.END, lambda p: seen.append(("end", p.loop.epoch, p.step)))
    events = Events()
    fit(make_loop(), blobs(), blobs(20), Plan(epochs=5, report_every=Every(epochs=2)), events, handlers=handlers)
    assert seen == [("epoch", 1, True), ("end", 1, 6)] and events.splits("test") == [(1, 6)]  # ends with a report
