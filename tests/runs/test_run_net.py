"""A run's answer carries the network its configuration trains, for the run page's layer stack."""
from __future__ import annotations

import json

import pytest

from playground.runs.models import Run
from playground.tasks import TASKS

pytestmark = pytest.mark.django_db


def create(client, config):
    response = client.post("/api/runs", json.dumps({"task": "basics", "config": config}), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_run_answers_the_network_its_configuration_trains(alice):
    run = create(alice, {"dataset": "three", "hidden": [5, 3], "activation": "relu", "epochs": 1})
    basics = TASKS["basics"]
    assert run["net"] == basics.net_spec(basics.Config.model_validate(run["config"]))
    assert [layer["type"] for layer in run["net"]["layers"]] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert run["net"]["layers"][-1]["out_features"] == 3  # one output per class
    inspected = alice.post("/api/nets/inspect", json.dumps({"net": run["net"]}), content_type="application/json")
    assert inspected.status_code == 200 and inspected.json()["output_shape"] == [3]


def test_a_run_whose_stored_configuration_no_longer_reads_answers_no_network(alice):
    run = create(alice, {"epochs": 1})
    Run.objects.filter(pk=run["id"]).update(config={**run["config"], "hidden": "not a list"})
    again = alice.get(f"/api/runs/{run['id']}").json()
    assert again["net"] is None and again["config"]["hidden"] == "not a list"
