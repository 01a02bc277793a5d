"""The public API through HTTP alone: its contract, and a clear 4xx for every bad request."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from playground.runs import store
from playground.runs.api import task_description
from playground.runs.models import Run

pytestmark = pytest.mark.django_db

LENET = {
    "version": 1,
    "input": {"shape": [1, 28, 28]},
    "layers": [
        {"type": "Conv2d", "out_channels": 6, "kernel_size": 5, "padding": 2},
        {"type": "Tanh"},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Conv2d", "out_channels": 16, "kernel_size": 5},
        {"type": "Tanh"},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 120},
        {"type": "Tanh"},
        {"type": "Linear", "out_features": 84},
        {"type": "Tanh"},
        {"type": "Linear", "out_features": 10},
    ],
}


def post(client, url, body):
    return client.post(url, json.dumps(body) if not isinstance(body, (str, bytes)) else body, content_type="application/json")


def errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    for error in body["errors"]:
        assert isinstance(error["path"], str) and error["message"], error
    return body["errors"]


def test_tasks_list_their_default_config_and_schema(client):
    tasks = client.get("/api/tasks").json()
    basics = next(t for t in tasks if t["name"] == "basics")
    assert basics["title"]
    assert basics["schema"]["type"] == "object"
    assert set(basics["default_config"]) <= set(basics["schema"]["properties"])


def test_inspecting_lenet_reports_its_shapes_and_61706_parameters(client):
    response = post(client, "/api/nets/inspect", {"net": LENET})
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["total_params"] == 61706
    shapes = [layer["output_shape"] for layer in report["layers"]]
    for expected in ([6, 28, 28], [16, 10, 10], [16, 5, 5], [400], [10]):
        assert expected in shapes
    assert report["output_shape"] == [10]


@pytest.mark.parametrize(
    "net, where",
    [
        ({**LENET, "layers": [{"type": "Conv3d", "out_channels": 2, "kernel_size": 3}]}, "0"),
        ({**LENET, "layers": [{"type": "Conv2d", "out_channels": 4, "kernel_size": 29}]}, "0"),
        ({**LENET, "layers": [{"type": "Flatten"}, {"type": "Linear", "out_features": 10**12}]}, "1"),
        ({**LENET, "layers": [{"type": "Conv2d", "out_channels": "six", "kernel_size": 5}]}, "0"),
        ({**LENET, "layers": [{"type": "Conv2d", "out_channels": True, "kernel_size": 5}]}, "0"),
        ({**LENET, "layers": [{"type": "ReLU", "inplace": True}]}, "0"),
        ("not a network", None),
        (None, None),
        ({"version": 1, "input": {"shape": [1, 28, 28]}, "layers": "Conv2d"}, None),
    ],
)
def test_bad_networks_get_a_400_naming_the_layer(client, net, where):
    response = post(client, "/api/nets/inspect", {"net": net})
    assert response.status_code == 400
    found = errors(response)
    if where is not None:
        assert found[0]["path"] == where


@pytest.mark.parametrize("body", ["{not json", "[1, 2", b"\xff\xfe", "", "[]", '{"net": 1, "batch_size": "x"}'])
def test_malformed_bodies_get_a_400(client, body):
    for url in ("/api/nets/inspect", "/api/runs", "/api/tasks/basics/preview"):
        response = post(client, url, body)
        assert response.status_code in (400, 422) and response.status_code < 500, (url, body)
        errors(response)


def test_a_run_is_created_and_read_back(alice):
    response = post(alice, "/api/runs", {"task": "basics", "config": {"epochs": 3}})
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "queued" and run["queue_position"] >= 1
    assert run["config"]["epochs"] == 3 and run["is_owner"]
    assert alice.get(f"/api/runs/{run['id']}").json()["id"] == run["id"]
    events = alice.get(f"/api/runs/{run['id']}/events?after=0").json()["events"]
    assert [{k: e[k] for k in ("seq", "type", "step", "data")} for e in events] == [
        {"seq": 1, "type": "status", "step": None, "data": {"status": "queued", "position": run["queue_position"]}}
    ]
    assert isinstance(events[0]["time"], float)


@pytest.mark.parametrize(
    "body, path",
    [
        ({"task": "nope", "config": {}}, "task"),
        ({"task": "basics", "config": {"epochs": -1}}, "config.epochs"),
        ({"task": "basics", "config": {"epochs": "many"}}, "config.epochs"),
        ({"task": "basics", "config": {"colour": "red"}}, "config.colour"),
        ({"task": "basics", "config": []}, "config"),
        ({"config": {}}, "task"),
    ],
)
def test_bad_run_configs_get_a_400_with_the_setting_named(alice, body, path):
    response = post(alice, "/api/runs", body)
    assert response.status_code == 400
    assert errors(response)[0]["path"] == path


def test_a_visitor_over_quota_gets_a_429(alice, settings):
    settings.LAYERLAB_RUN_QUOTA_ANONYMOUS = 2
    for _ in range(2):
        assert post(alice, "/api/runs", {"task": "basics", "config": {}}).status_code == 201
    response = post(alice, "/api/runs", {"task": "basics", "config": {}})
    assert response.status_code == 429
    assert "runs" in errors(response)[0]["message"]


def test_another_visitor_cannot_see_or_stop_a_private_run(alice, bob):
    run = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    assert bob.get(f"/api/runs/{run['id']}").status_code == 404
    assert bob.get(f"/api/runs/{run['id']}/events").status_code == 404
    assert bob.post(f"/api/runs/{run['id']}/cancel").status_code == 401  # bob shows no session or owner token
    shared = bob.get(f"/api/runs/{run['id']}?token={run['share_token']}")
    assert shared.status_code == 200 and shared.json()["share_token"] is None
    assert bob.post(f"/api/runs/{run['id']}/cancel?token={run['share_token']}").status_code == 401
    post(bob, "/api/runs", {"task": "basics", "config": {}})  # now bob has a session of his own
    assert bob.post(f"/api/runs/{run['id']}/cancel").status_code == 404


def test_cancelling_a_queued_run_ends_it_at_once(alice):
    run = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    assert alice.post(f"/api/runs/{run['id']}/cancel").json()["status"] == "cancelled"
    statuses = [e["data"]["status"] for e in store.events_after(run["id"], 0)]
    assert statuses == ["queued", "cancelled"]
    assert alice.post(f"/api/runs/{run['id']}/pause").status_code == 409


def test_controls_check_their_values(alice):
    run = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    for bad in ({"learning_rate": -1}, {"learning_rate": "fast"}, {}):
        response = post(alice, f"/api/runs/{run['id']}/control", bad)
        assert response.status_code == 400
        errors(response)
    assert post(alice, f"/api/runs/{run['id']}/continue", {"epochs": 5}).status_code == 409


def test_event_paging_checks_its_bounds(alice):
    run = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    for query in ("after=-1", "limit=0", "limit=100000", "after=x"):
        response = alice.get(f"/api/runs/{run['id']}/events?{query}")
        assert response.status_code == 400, query


def test_cookie_writes_need_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["sessionid"] = "abc"
    response = post(browser, "/api/runs", {"task": "basics", "config": {}})
    assert response.status_code == 403
    assert "CSRF" in errors(response)[0]["message"]
    token = browser.get("/api/csrf").json()["csrftoken"]
    response = browser.post(
        "/api/runs", json.dumps({"task": "basics", "config": {}}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


def test_scripts_without_cookies_need_no_csrf_token():
    script = Client(enforce_csrf_checks=True)
    assert post(script, "/api/runs", {"task": "basics", "config": {}}).status_code == 201


def test_the_preview_gives_the_points_a_run_trains_on(client):
    response = post(client, "/api/tasks/basics/preview", {"config": {"dataset": "circle", "n_points": 100}})
    assert response.status_code == 200
    points = response.json()
    assert len(points["train"]) + len(points["test"]) == 100
    assert post(client, "/api/tasks/basics/preview", {"config": {"dataset": "moons"}}).status_code == 400


def test_the_openapi_schema_and_page_are_served(client):
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200


def test_runs_survive_in_the_store(alice):
    run = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    assert Run.objects.get(pk=run["id"]).session_key


def test_controls_are_checked_against_the_runs_task_and_kept_on_the_run(alice):
    tasks = {t["name"]: t for t in alice.get("/api/tasks").json()}
    assert set(tasks["basics"]["controls"]["properties"]) == {"learning_rate"}
    assert set(tasks["probe"]["controls"]["properties"]) == {"step_seconds", "level"}
    basics = post(alice, "/api/runs", {"task": "basics", "config": {}}).json()
    for bad, path in (({"level": 3}, "level"), ({"learning_rate": None}, "learning_rate"), ({"learning_rate": 11}, "learning_rate")):
        response = post(alice, f"/api/runs/{basics['id']}/control", bad)
        assert response.status_code == 400 and errors(response)[0]["path"] == path, (bad, response.content)
    empty = post(alice, f"/api/runs/{basics['id']}/control", {})
    assert empty.status_code == 400 and "learning_rate" in errors(empty)[0]["message"]
    assert post(alice, f"/api/runs/{basics['id']}/control", {"learning_rate": 0.5}).json()["controls"] == {"learning_rate": 0.5}
    assert post(alice, f"/api/runs/{basics['id']}/control", {"learning_rate": 0.25}).json()["controls"] == {"learning_rate": 0.25}
    probe = post(alice, "/api/runs", {"task": "probe", "config": {}}).json()
    assert post(alice, f"/api/runs/{probe['id']}/control", {"learning_rate": 0.5}).status_code == 400
    assert post(alice, f"/api/runs/{probe['id']}/control", {"level": 7}).json()["controls"] == {"level": 7}
    assert post(alice, f"/api/runs/{probe['id']}/control", {"step_seconds": 0}).json()["controls"] == {"level": 7, "step_seconds": 0}
    alice.post(f"/api/runs/{basics['id']}/cancel")
    ended = post(alice, f"/api/runs/{basics['id']}/control", {"learning_rate": 0.5})
    assert ended.status_code == 409 and "cancelled" in errors(ended)[0]["message"]



@pytest.fixture
def fresh_descriptions():
    task_description.cache_clear()
    yield
    task_description.cache_clear()  # none made from a test's stand-ins stays


def test_the_task_list_reads_each_catalogue_afresh_and_makes_the_schemas_once(client, monkeypatch, fresh_descriptions):
    from playground.tasks import TASKS

    basics = TASKS["basics"]
    made = []
    monkeypatch.setattr(basics, "schema", classmethod(lambda cls: made.append(1) or {"type": "object"}))
    monkeypatch.setattr(basics, "catalogue", staticmethod(lambda: {"datasets": {"first": {}}}))

    def listed():
        return next(t for t in client.get("/api/tasks").json() if t["name"] == "basics")

    assert listed()["catalogue"] == {"datasets": {"first": {}}}
    monkeypatch.setattr(basics, "catalogue", staticmethod(lambda: {"datasets": {"second": {}}}))  # a dataset fetched
    second = listed()
    assert second["catalogue"] == {"datasets": {"second": {}}} and second["schema"] == {"type": "object"}
    assert len(made) == 1
