"""Learning-rate schedules: the same values as torch.optim.lr_scheduler at every step, a base that can change."""
import warnings

import pytest
import torch
from torch import nn

from playground.tasks.schedules import SCHEDULES, LearningRateSchedule, ScheduleSettings, lr_factor

TOTAL = 50


def torch_rates(make_scheduler, steps: int, lr: float = 0.2) -> list[float]:
    """The rate torch's scheduler sets before each of ``steps`` optimiser steps."""
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=lr)
    scheduler = make_scheduler(optimizer)
    rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stepping the scheduler without a real optimiser step
        for _ in range(steps):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
    return rates


def our_rates(settings: ScheduleSettings, steps: int, lr: float = 0.2) -> list[float]:
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=lr)
    schedule = LearningRateSchedule(optimizer, settings)
    rates = []
    for step in range(steps):
        schedule.apply(step)
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


@pytest.mark.parametrize(("settings", "reference"), [
    (ScheduleSettings("constant"), lambda o: torch.optim.lr_scheduler.ConstantLR(o, factor=1.0)),
    (ScheduleSettings("step", step_size=7, gamma=0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 7, 0.5)),
    (ScheduleSettings("cosine", total_steps=TOTAL), lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, TOTAL)),
    (ScheduleSettings("one_cycle", total_steps=TOTAL),
     lambda o: torch.optim.lr_scheduler.OneCycleLR(o, 0.2, total_steps=TOTAL, cycle_momentum=False)),
    (ScheduleSettings("one_cycle", total_steps=TOTAL, warmup_fraction=0.1, start_divisor=10, end_divisor=100),
     lambda o: torch.optim.lr_scheduler.OneCycleLR(o, 0.2, total_steps=TOTAL, pct_start=0.1, div_factor=10,
                                                   final_div_factor=100, cycle_momentum=False)),
])
def test_every_step_matches_torch(settings, reference):
    assert our_rates(settings, TOTAL) == pytest.approx(torch_rates(reference, TOTAL), rel=1e-9, abs=1e-12)


def test_known_values():
    cosine, cycle = ScheduleSettings("cosine", total_steps=100), ScheduleSettings("one_cycle", total_steps=100)
    assert [lr_factor(cosine, s) for s in (0, 50, 100)] == pytest.approx([1.0, 0.5, 0.0])
    assert lr_factor(cycle, 0) == pytest.approx(1 / 25) and lr_factor(cycle, 29) == pytest.approx(1.0)
    assert lr_factor(cycle, 99) == pytest.approx(1 / 25 / 1e4)
    assert [lr_factor(ScheduleSettings("step", step_size=10, gamma=0.1), s) for s in (9, 10, 25)] == pytest.approx([1, 0.1, 0.01])


def test_past_the_end_the_rate_stays_where_it_ended():
    cosine, cycle = ScheduleSettings("cosine", total_steps=20), ScheduleSettings("one_cycle", total_steps=20)
    assert lr_factor(cosine, 20) == lr_factor(cosine, 500) == 0.0  # torch's would rise again
    assert lr_factor(cycle, 19) == lr_factor(cycle, 20) == lr_factor(cycle, 500)  # torch's would fail


def test_a_new_base_rate_is_scaled_from_the_next_step():
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    schedule = LearningRateSchedule(optimizer, ScheduleSettings("step", step_size=10, gamma=0.5))
    schedule.apply(10)
    assert optimizer.param_groups[0]["lr"] == 0.5
    schedule.set_base(0.1)
    schedule.apply(10)
    assert optimizer.param_groups[0]["lr"] == 0.05


def test_its_state_is_plain_data_and_comes_back():
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.3)
    schedule = LearningRateSchedule(optimizer, ScheduleSettings("cosine", total_steps=10))
    schedule.set_base(0.7)
    other = LearningRateSchedule(optimizer, ScheduleSettings())
    other.load_state_dict(schedule.state_dict())
    assert other.settings == schedule.settings and other.base_lrs == [0.7]


@pytest.mark.parametrize(("settings", "message"), [
    ({"name": "warm"}, "constant, step, cosine, one_cycle"),
    ({"name": "cosine"}, "total steps"),
    ({"name": "step"}, "step size"),
    ({"name": "one_cycle", "total_steps": 10, "warmup_fraction": 0}, "warm-up"),
])
def test_incomplete_settings_are_refused_with_a_sentence(settings, message):
    with pytest.raises(ValueError, match=message):
        ScheduleSettings(**settings)


def test_every_schedule_says_what_it_does():
    assert all(words.endswith(".") for _, words in SCHEDULES.values())
