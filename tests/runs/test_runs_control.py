"""RunControl: the run's process reads its row and hands the task what changed, by control name."""
from __future__ import annotations

import pytest

from playground.runs.control import RunControl
from playground.runs.models import Run
from waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_check_returns_each_changed_control_once_and_those_set_before_the_start_at_once():
    run = Run.objects.create(task="probe", config={}, status="running", controls={"level": 2})
    control = RunControl(run.pk, recorder=lambda *args: None, poll_interval=0.02)
    try:
        assert wait_for(control.check, timeout=5) == {"level": 2}
        assert control.check() == {}
        Run.objects.filter(pk=run.pk).update(controls={"level": 2, "step_seconds": 0.5})
        assert wait_for(control.check, timeout=5) == {"step_seconds": 0.5}
        Run.objects.filter(pk=run.pk).update(controls={"level": 9, "step_seconds": 0.5})
        assert wait_for(control.check, timeout=5) == {"level": 9}
    finally:
        control.close()
