"""The CNN task through the HTTP API: listed with its lessons, previewed, and refused with sentences."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_task_is_listed_with_its_presets_datasets_and_short_jobs(client):
    cnn = next(t for t in client.get("/api/tasks").json() if t["name"] == "cnn")
    assert len(cnn["catalogue"]["lessons"]) == 3 and set(cnn["catalogue"]["presets"]) >= {"lenet5", "resnet"}
    assert cnn["catalogue"]["datasets"]["glyphs"]["shape"] == [1, 28, 28]
    assert cnn["default_config"]["net"]["input"]["shape"] == [1, 28, 28]


def test_the_preview_shows_augmented_examples(client):
    response = post(client, "/api/tasks/cnn/preview", {"config": {"augment": ["rotate"]}})
    assert response.status_code == 200, response.content
    assert len(response.json()["examples"]) == 8


def test_a_dataset_that_is_not_here_is_a_400_saying_how_to_get_it(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    response = post(client, "/api/tasks/cnn/preview", {"config": {"dataset": "mnist"}})
    assert response.status_code == 400
    assert "fetch_datasets mnist" in response.json()["errors"][0]["message"]


def test_a_network_that_does_not_fit_is_a_400_naming_the_field(client):
    net = {"version": 1, "input": {"shape": [3, 32, 32]}, "layers": [{"type": "Flatten"}, {"type": "Linear", "out_features": 10}]}
    response = post(client, "/api/tasks/cnn/preview", {"config": {"net": net}})
    assert response.status_code == 400
    assert "glyphs pictures are 1 × 28 × 28" in response.json()["errors"][0]["message"]


def test_someone_elses_upload_cannot_be_previewed(client):
    response = post(client, "/api/tasks/cnn/preview", {"config": {"dataset": "upload:999"}})
    assert response.status_code == 400


@pytest.fixture
def cnn_run(settings, tmp_path, alice):
    from playground.runs.models import Run

    settings.MEDIA_ROOT = tmp_path
    alice.get("/api/csrf")
    session = alice.session
    session.save()
    return Run.objects.create(task="cnn", config={}, session_key=session.session_key, status="running")


def test_the_weights_download_to_the_owner_as_safetensors_once_there_are_some(cnn_run, alice, bob):
    from safetensors.torch import load

    from playground import nets
    from playground.runs.runner import checkpoint_dir
    from playground.tasks import checkpoint
    from playground.tasks.cnn.lessons import NETS

    url = f"/api/runs/{cnn_run.pk}/weights"
    assert alice.get(url).status_code == 404
    model = nets.build_net(NETS["lenet5"])
    import torch

    checkpoint.save_checkpoint(checkpoint_dir(cnn_run.pk), model, torch.optim.Adam(model.parameters()), {}, {"epoch": 1})
    response = alice.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    weights = load(b"".join(response.streaming_content))
    assert set(weights) == set(model.state_dict())
    assert bob.get(url).status_code == 404
    assert bob.get(f"{url}?token={cnn_run.share_token}").status_code == 200


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_drawing_is_read_through_the_short_jobs_route(job_pool, settings, tmp_path, alice):
    from cnn_world import train

    from playground.runs.models import Run
    from playground.runs.runner import checkpoint_dir

    settings.MEDIA_ROOT = tmp_path
    alice.get("/api/csrf")
    alice.session.save()
    run = Run.objects.create(task="cnn", config={}, status="succeeded", session_key=alice.session.session_key)
    train(checkpoint_dir=checkpoint_dir(run.pk))
    drawing = [[255 if 8 <= column <= 11 else 0 for column in range(20)] for _ in range(20)]
    answer = post(alice, f"/api/runs/{run.pk}/jobs", {"kind": "predict", "args": {"drawing": drawing}})
    assert answer.status_code == 200, answer.content
    assert [m["shape"] for m in answer.json()["result"]["feature_maps"]] == [[6, 28, 28], [16, 10, 10]]
    refused = post(alice, f"/api/runs/{run.pk}/jobs", {"kind": "saliency", "args": {"drawing": drawing, "target": 99}})
    assert refused.status_code == 422 and "there is no class 99" in refused.json()["errors"][0]["message"]
