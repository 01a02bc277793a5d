"""The Style task through the API: its estimate before a run, and a run the server cannot hold refused."""
from __future__ import annotations

import json

import pytest

from playground.tasks.style.config import StyleConfig
from playground.tasks.style.estimate import estimate
from playground.tasks.style.vgg import FALLBACK_WIDTH

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def budget_for(size: int) -> int:
    """The memory a default run at ``size`` needs with the network the tests have (the offline stand-in)."""
    return estimate(StyleConfig(size=size), scale=FALLBACK_WIDTH)["memory_bytes"]


def test_the_preview_gives_the_memory_and_time_a_run_needs_and_whether_it_fits(alice, settings):
    settings.LAYERLAB_RUN_MEMORY = budget_for(400)
    answer = post(alice, "/api/tasks/style/preview", {"config": {"size": 256}}).json()
    assert answer["network"] == "random"
    assert answer["estimate"] == answer["estimates"]["random"] == estimate(StyleConfig(size=256), scale=FALLBACK_WIDTH)
    assert answer["estimates"]["imagenet"]["memory_bytes"] > answer["estimate"]["memory_bytes"]
    assert answer["estimate"]["seconds"]["cpu"] > 0 and answer["refusal"] is None
    assert answer["memory_budget"] == settings.LAYERLAB_RUN_MEMORY
    too_big = post(alice, "/api/tasks/style/preview", {"config": {"size": 1024}}).json()
    assert "the largest size that fits with these settings is 400 px" in too_big["refusal"]


def test_a_run_that_would_not_fit_is_refused_and_one_that_fits_is_queued(alice, settings):
    settings.LAYERLAB_RUN_MEMORY = budget_for(400)
    response = post(alice, "/api/runs", {"task": "style", "config": {"size": 1024}})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["path"] == "config.size" and "is 400 px" in error["message"]
    assert post(alice, "/api/runs", {"task": "style", "config": {"size": 400}}).status_code == 201


def test_a_run_may_name_only_its_visitors_uploads(alice):
    response = post(alice, "/api/runs", {"task": "style", "config": {"content": "upload:999"}})
    assert response.status_code in (400, 404) and "no upload 999 of yours" in response.json()["errors"][0]["message"]


def test_the_task_is_listed_with_its_catalogue(alice):
    style = next(t for t in alice.get("/api/tasks").json() if t["name"] == "style")
    assert style["default_config"]["content"] == "lighthouse"
    assert style["catalogue"]["feature_layers"]["conv4_2"] == 22
