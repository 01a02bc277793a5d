"""Every lesson's presets are valid Basics configurations: a renamed field fails here, not silently on the page."""
from __future__ import annotations

import pytest

from playground.tasks.basics import BasicsTask
from playground.tasks.basics.config import BasicsConfig
from playground.tasks.basics.lessons import LESSONS

PRESETS = [preset for lesson in LESSONS for preset in lesson["presets"]]


@pytest.mark.parametrize("preset", PRESETS, ids=[p["id"] for p in PRESETS])
def test_a_preset_over_the_defaults_is_a_valid_configuration(preset):
    assert set(preset["config"]) <= set(BasicsConfig.model_fields)
    config = BasicsConfig.model_validate({**BasicsTask.default_config(), **preset["config"]})
    assert config.model_dump(include=set(preset["config"])) == preset["config"]


def test_lessons_pair_two_presets_with_unique_ids_and_reach_the_page():
    assert all(len(lesson["presets"]) == 2 and lesson["title"] and lesson["explanation"] for lesson in LESSONS)
    ids = [p["id"] for p in PRESETS]
    assert len(ids) == len(set(ids))
    assert BasicsTask.catalogue()["lessons"] == LESSONS
