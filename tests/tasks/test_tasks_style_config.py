"""The Style task's configuration, lessons and estimate: refusals speak to a student, estimates grow as they should."""
from __future__ import annotations

import pydantic
import pytest

from playground.tasks import TASKS
from playground.tasks.style import StyleTask
from playground.tasks.style.config import StyleConfig
from playground.tasks.style.estimate import estimate, largest_size, refusal
from playground.tasks.style.lessons import LESSONS

PRESETS = [preset for lesson in LESSONS for preset in lesson["presets"]]


def refused(**config) -> str:
    with pytest.raises(pydantic.ValidationError) as caught:
        StyleConfig(**config)
    return str(caught.value)


def test_the_task_is_registered_and_its_defaults_are_valid():
    assert TASKS["style"] is StyleTask
    config = StyleConfig.model_validate(StyleTask.default_config())
    assert config.content == "lighthouse" and config.style_layers[0] == "conv1_1"
    assert config.layer_weights() == {name: 1.0 for name in config.style_layers}
    assert config.last_layer == 29  # conv5_1's ReLU: nothing deeper is built


@pytest.mark.parametrize("config, words", [
    ({"content": "mona-lisa"}, "neither a built-in picture"),
    ({"style": "upload:0"}, "neither a built-in picture"),
    ({"style_b": "../etc/passwd"}, "neither a built-in picture"),
    ({"content_layers": ["conv9_9"]}, "conv1_1"),
    ({"style_layers": ["conv1_1", "conv1_1"]}, "repeated: conv1_1"),
    ({"content_layers": [], "style_layers": []}, "at least one content layer or one style layer"),
    ({"style_layer_weights": [1, 2]}, "2 weights for 5 style layers"),
    ({"size": 4096}, "less than or equal to 1024"),
    ({"size": True}, "not true or false"),
    ({"iterations": 0}, "greater than or equal to 1"),
    ({"optimizer": "sgd"}, "'lbfgs' or 'adam'"),
    ({"blend": 2}, "less than or equal to 1"),
    ({"painter": "Monet"}, "Extra inputs are not permitted"),
])
def test_bad_settings_are_refused_with_a_sentence(config, words):
    assert words in refused(**config)


def test_uploads_are_named_by_reference():
    assert StyleConfig(content="upload:12", style_b="upload:3").content == "upload:12"


@pytest.mark.parametrize("preset", PRESETS, ids=[p["id"] for p in PRESETS])
def test_a_preset_over_the_defaults_is_a_valid_configuration(preset):
    assert set(preset["config"]) <= set(StyleConfig.model_fields)
    config = StyleConfig.model_validate({**StyleTask.default_config(), **preset["config"]})
    assert config.model_dump(include=set(preset["config"])) == preset["config"]


def test_the_lessons_and_the_network_reach_the_page():
    catalogue = StyleTask.catalogue()
    assert catalogue["lessons"] == LESSONS and len({p["id"] for p in PRESETS}) == len(PRESETS)
    assert {"lighthouse", "swirls"} <= set(catalogue["pictures"])
    assert len(catalogue["layers"]) == 37 and catalogue["feature_layers"]["conv4_2"] == 22
    assert len(catalogue["spec"]["layers"]) == 37


def test_the_estimate_grows_with_the_picture_and_the_depth():
    small, large = estimate(StyleConfig(size=128)), estimate(StyleConfig(size=512))
    assert 6 < large["memory_bytes"] / small["memory_bytes"] < 16  # activations grow with the pixels, weights do not
    assert large["seconds"]["cpu"] > 10 * small["seconds"]["cpu"] > 0
    shallow = estimate(StyleConfig(size=512, content_layers=[], style_layers=["conv1_1", "conv2_1"]))
    assert shallow["memory_bytes"] < large["memory_bytes"] and shallow["seconds"]["cpu"] < large["seconds"]["cpu"] / 5
    assert StyleTask.preview({"size": 128})["estimates"]["imagenet"] == small
    assert StyleTask.preview({"size": 128})["estimates"]["random"]["seconds"]["cpu"] < small["seconds"]["cpu"] / 8


def test_a_run_too_big_for_the_budget_is_refused_naming_the_largest_size_that_fits():
    config = StyleConfig(size=1024)
    budget = estimate(StyleConfig(size=600))["memory_bytes"]
    fits = largest_size(config, budget)
    assert fits is not None and 576 <= fits <= 600 and fits % 16 == 0
    assert estimate(config, fits)["memory_bytes"] <= budget < estimate(config, fits + 16)["memory_bytes"]
    message = refusal(config, budget)
    assert message.startswith("at 1024 px this run needs about") and f"is {fits} px" in message
    assert refusal(StyleConfig(size=256), budget) is None
    assert "choose fewer or shallower layers" in refusal(config, 1000)
