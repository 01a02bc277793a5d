"""The supervised loop and fit: batches sliced on the device, one host read per report, control once per step."""
import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from playground.data.split import Split
from playground.data.transforms import Augment, Normalize
from playground.tasks.base import Control, Stopped
from playground.tasks.fit import Every, Plan, fit, metric_events, report
from playground.tasks.handlers import Event, Handlers
from playground.tasks.loop import SupervisedLoop, autocast_dtype, confusion_matrix, cpu_threads, read_host
from playground.tasks.schedules import LearningRateSchedule, ScheduleSettings


class CountingControl(Control):
    def __init__(self, changes_at: dict[int, dict] | None = None, stop_at: int | None = None) -> None:
        self.checks, self.changes_at, self.stop_at = 0, changes_at or {}, stop_at

    def check(self) -> dict:
        self.checks += 1
        if self.checks == self.stop_at:
            raise Stopped()
        return self.changes_at.get(self.checks, {})


def blobs(n: int = 64, device: str = "cpu") -> Split:
    """Two separable blobs: class 0 near (-2, 0), class 1 near (2, 0)."""
    generator = torch.Generator().manual_seed(0)
    y = torch.arange(n) % 2
    x = torch.randn(n, 2, generator=generator) * 0.5 + torch.stack([y * 4.0 - 2, torch.zeros(n)], 1)
    return Split(x.to(device), y.to(device))


def make_loop(control: Control | None = None, seed: int = 0, device: str = "cpu", **options) -> SupervisedLoop:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2)).to(device)
    optimizer = torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=0.1)
    return SupervisedLoop(
        model, optimizer, F.cross_entropy, batch_size=10, control=control or Control(),
        correct_fn=lambda out, y: (out.argmax(1) == y).sum(), seed=seed, **options,
    )


def test_each_epoch_checks_the_control_once_per_batch():
    control = CountingControl()
    loop = make_loop(control)
    loop.train_epoch(blobs(64), epoch=1)
    assert control.checks == loop.step == 7 and loop.epoch == 1


def test_a_learning_rate_change_reaches_every_group():
    loop = make_loop(CountingControl(changes_at={3: {"learning_rate": 0.5}}))
    loop.train_epoch(blobs(), epoch=1)
    assert [group["lr"] for group in loop.optimizer.param_groups] == [0.5, 0.5]


def test_controls_the_loop_does_not_apply_wait_for_the_task():
    loop = make_loop(CountingControl(changes_at={2: {"temperature": 0.7}, 4: {"learning_rate": 0.5, "temperature": 0.9}}))
    loop.train_epoch(blobs(), epoch=1)
    assert loop.take_changes() == {"temperature": 0.9} and loop.take_changes() == {}
    assert loop.optimizer.param_groups[0]["lr"] == 0.5


def test_the_batch_order_depends_on_seed_and_epoch_only():
    first, second, other = make_loop(seed=3), make_loop(seed=3), make_loop(seed=3)
    first.train_epoch(blobs(), epoch=5)
    second.train_epoch(blobs(), epoch=5)
    other.train_epoch(blobs(), epoch=6)
    assert torch.equal(first.model[0].weight, second.model[0].weight)
    assert not torch.equal(first.model[0].weight, other.model[0].weight)


def test_stopped_passes_through_and_the_loop_knows_how_far_it_got():
    loop = make_loop(CountingControl(stop_at=10))
    with pytest.raises(Stopped):
        fit(loop, blobs(), blobs(), Plan(epochs=3), lambda *args: None)
    assert (loop.epoch, loop.step) == (1, 9)


def test_running_totals_sum_the_training_loss_until_taken():
    loop = make_loop(running_totals=True)
    loop.train_epoch(blobs(64), epoch=1)
    totals = loop.take_running()
    assert totals.count == 64 and 0 < totals.loss.item() / 64 < 2 and 0 <= totals.correct.item() <= 64
    assert loop.take_running().count == 0


def test_evaluation_in_chunks_equals_one_pass():
    loop, data = make_loop(), blobs(100)
    [whole], [chunked] = loop.evaluate(data), loop.evaluate(data, chunk=7)
    assert whole.count == chunked.count == 100
    assert whole.loss.item() == pytest.approx(chunked.loss.item(), rel=1e-5)
    assert whole.correct.item() == chunked.correct.item()


def test_splits_evaluated_together_equal_each_alone():
    loop, train, test = make_loop(), blobs(100), blobs(30)
    together = loop.evaluate(train, test)
    alone = loop.evaluate(train) + loop.evaluate(test)
    for a, b in zip(together, alone):
        assert a.count == b.count
        assert a.loss.item() == pytest.approx(b.loss.item(), rel=1e-5)
        assert a.correct.item() == b.correct.item()


def test_gradient_norms_before_and_after_the_first_step():
    loop = make_loop()
    weights = [loop.model[0].weight, loop.model[2].weight]
    assert [n.item() for n in loop.grad_norms(weights)] == [0.0, 0.0]
    loop.train_epoch(blobs(16), epoch=1)
    assert [n.item() for n in loop.grad_norms(weights)] == pytest.approx([w.grad.norm().item() for w in weights])


def test_fit_reports_on_schedule_and_learns():
    events = []
    loop = make_loop()
    outcome = fit(loop, blobs(), blobs(32), Plan(epochs=10, report_every=Every(epochs=4)), lambda *e: events.append(e),
                  grad_weights=[loop.model[0].weight, loop.model[2].weight])
    epochs = [(data["split"], data["epoch"]) for _, data, _ in events]
    assert epochs == [(s, e) for e in (4, 8, 10) for s in ("train", "test", "grad")]
    assert outcome.epoch == 10 and outcome.metrics[1]["accuracy"] == 1.0
    assert [step for _, _, step in events][-1] == 70


def test_fit_stops_once_the_test_loss_meets_the_target():
    outcome = fit(make_loop(), blobs(), blobs(32), Plan(epochs=50, target_test_loss=0.3), lambda *e: None)
    assert outcome.epoch < 50 and outcome.reached_target <= 0.3


def test_resumed_epochs_are_numbered_on():
    finals = []
    fit(make_loop(), blobs(), blobs(), Plan(epochs=2, start_epoch=7), lambda *e: None,
        handlers=Handlers().on(Event.EPOCH, lambda progress: finals.append((progress.epoch, progress.final))))
    assert finals == [(8, False), (9, True)]


def test_a_report_reads_the_device_once(monkeypatch):
    loop = make_loop()
    loop.train_epoch(blobs(), epoch=1)
    reads = []
    for name in ("tolist", "item"):
        original = getattr(torch.Tensor, name)
        monkeypatch.setattr(torch.Tensor, name, lambda self, _o=original, _n=name: reads.append(_n) or _o(self))
    report(loop, blobs(), blobs(), 1, lambda *e: None, grad_weights=[loop.model[0].weight])
    assert reads == ["tolist"]


@pytest.mark.parametrize("kind", ["features", "augmented uint8 images with a schedule"])
def test_training_never_reads_the_device(monkeypatch, kind):
    if kind == "features":
        loop, data = make_loop(), blobs()
    else:
        loop, (x, y) = image_loop(running_totals=True), images()
        data = Split(x, y, transform=Normalize(0.4, 0.3), augment=Augment(crop_padding=2, flip=True))
        loop.lr_schedule = LearningRateSchedule(loop.optimizer, ScheduleSettings("one_cycle", total_steps=10))
    for name in ("tolist", "item", "cpu", "numpy", "__bool__", "__float__", "__int__"):
        monkeypatch.setattr(torch.Tensor, name, lambda self, *a, _n=name: pytest.fail(f"{_n} during training"))
    loop.train_epoch(data, epoch=1)


def test_not_finite_values_become_none():
    [totals] = make_loop().evaluate(blobs(4))
    events = metric_events(3, [math.nan, 2.0, math.inf], [("train", totals)], norms=1)
    assert events == [{"split": "train", "epoch": 3, "loss": None, "accuracy": 0.5}, {"split": "grad", "epoch": 3, "norms": [None]}]
    assert read_host([torch.tensor(1), torch.tensor([2.5])]) == [1.0, 2.5]


def test_mixed_precision_only_on_a_gpu_and_threads_are_restored():
    assert autocast_dtype(torch.device("cpu"), True) is None
    before = torch.get_num_threads()
    with cpu_threads(torch.device("cpu"), 1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_on_a_gpu_an_epoch_and_its_predictions_never_wait_for_the_device():
    loop = make_loop(device="cuda", mixed_precision=True, running_totals=True)
    data = blobs(640, device="cuda")
    x, y = images(64)
    image_data = Split(x.cuda(), y.cuda(), transform=Normalize(0.4, 0.3), augment=Augment(crop_padding=2, flip=True))
    images_loop = image_loop(device="cuda", running_totals=True, mixed_precision=True)
    loop.train_epoch(data, epoch=1)  # warm up: the first calls may synchronise while allocating
    images_loop.train_epoch(image_data, epoch=1)
    torch.cuda.set_sync_debug_mode("error")
    try:
        loop.train_epoch(data, epoch=2)
        images_loop.train_epoch(image_data, epoch=2)
        [totals] = images_loop.evaluate(image_data, predictions=True)
        confusion_matrix(totals.predictions, image_data.y, classes=2)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert loop.amp_dtype in (torch.bfloat16, None)


def test_with_running_totals_the_train_metric_sums_the_steps_and_is_absent_before_any():
    events = []
    loop = make_loop(running_totals=True)
    report(loop, blobs(), blobs(), 0, lambda *e: events.append(e[1]))
    assert [e["split"] for e in events] == ["test"]
    loop.train_epoch(blobs(64), epoch=1)
    train, test = report(loop, blobs(), blobs(), 1, lambda *e: None).metrics
    assert train["split"] == "train" and 0 < train["loss"] < 2 and test["split"] == "test"


def test_evaluation_can_return_every_prediction_in_order():
    loop, train, test = make_loop(), blobs(100), blobs(30)
    loop.train_epoch(train, epoch=1)
    for chunk in (None, 7):  # together in one pass, and in chunks
        totals = loop.evaluate(train, test, chunk=chunk, predictions=True)
        for split, total in zip((train, test), totals):
            assert torch.equal(total.predictions, loop.model(split.x).argmax(1))
            assert total.correct.item() == (total.predictions == split.y).sum().item()
    assert loop.evaluate(test)[0].predictions is None


def test_a_confusion_matrix_counts_true_rows_and_predicted_columns():
    matrix = confusion_matrix(torch.tensor([0, 2, 2, 1, 0]), torch.tensor([0, 2, 1, 1, 2]), classes=3)
    assert matrix.tolist() == [[1, 0, 0], [0, 1, 1], [1, 0, 1]]


def images(n: int = 40) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 images (N, 1, 6, 6) with a bright left or right half, labelled by the side."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randint(0, 60, (n, 1, 6, 6), dtype=torch.uint8, generator=generator)
    y = torch.arange(n) % 2
    x[y == 0, :, :, :3] += 180
    x[y == 1, :, :, 3:] += 180
    return x, y


def image_loop(seed: int = 0, device: str = "cpu", **options) -> SupervisedLoop:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(72, 2)).to(device)
    return SupervisedLoop(model, torch.optim.SGD(model.parameters(), lr=0.05), F.cross_entropy, batch_size=8,
                          control=Control(), correct_fn=lambda out, y: (out.argmax(1) == y).sum(), seed=seed, **options)


def test_uint8_storage_with_a_transform_trains_exactly_as_float_storage():
    x, y = images()
    normalize = Normalize(0.4, 0.3)
    stored_small = Split(x, y, transform=normalize)
    stored_float = Split(normalize(x), y)
    assert stored_small.x.dtype == torch.uint8 and stored_small.x.element_size() * 4 == stored_float.x.element_size()
    small, float_ = image_loop(), image_loop()
    for epoch in (1, 2):
        small.train_epoch(stored_small, epoch)
        float_.train_epoch(stored_float, epoch)
    for a, b in zip(small.model.parameters(), float_.model.parameters()):
        assert torch.equal(a, b)
    [a], [b] = small.evaluate(stored_small, predictions=True), float_.evaluate(stored_float, predictions=True)
    assert a.loss.item() == b.loss.item() and torch.equal(a.predictions, b.predictions)


def test_splits_with_another_transform_are_evaluated_apart():
    x, y = images()
    loop = image_loop()
    first, second = Split(x, y, transform=Normalize(0.4, 0.3)), Split(x, y, transform=Normalize(0.0, 1.0))
    together = loop.evaluate(first, second)
    assert [t.loss.item() for t in together] == [loop.evaluate(s)[0].loss.item() for s in (first, second)]
    assert together[0].loss.item() != together[1].loss.item()


def test_augmented_training_is_reproducible_from_the_seed_and_differs_from_plain():
    x, y = images()
    augmented = Split(x, y, transform=Normalize(0.4, 0.3), augment=Augment(crop_padding=1, flip=True))
    plain = Split(x, y, transform=Normalize(0.4, 0.3))
    runs = [image_loop(), image_loop(), image_loop(seed=1), image_loop()]
    for loop, data in zip(runs, (augmented, augmented, augmented, plain)):
        loop.train_epoch(data, epoch=1)
    weights = [loop.model[0].weight for loop in runs]
    assert torch.equal(weights[0], weights[1])
    assert not torch.equal(weights[0], weights[2]) and not torch.equal(weights[0], weights[3])


def test_a_schedule_sets_the_rate_before_each_step_and_a_new_rate_becomes_its_base():
    loop = make_loop(CountingControl(changes_at={4: {"learning_rate": 1.0}}))
    rates = []
    original = loop.optimizer.step
    loop.optimizer.step = lambda: rates.append(loop.optimizer.param_groups[0]["lr"]) or original()
    loop.lr_schedule = LearningRateSchedule(loop.optimizer, ScheduleSettings("step", step_size=2, gamma=0.5))
    loop.train_epoch(blobs(60), epoch=1)
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.5, 0.25, 0.25])  # the change arrives before the fourth step
