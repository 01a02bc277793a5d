"""Text uploads as corpora: bad ones refused with a sentence and nothing kept; a good one previewed as the Text
task reads it (markup and all, as data); a missing catalogue corpus says how to get it; a run's weights download."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from torch import nn

from playground.files.models import Upload
from playground.runs.models import Run
from playground.runs.runner import checkpoint_dir
from playground.tasks import checkpoint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "incoming"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DATA_DIR = tmp_path / "data"
    settings.LAYERLAB_UPLOAD_MAX_TEXT_BYTES = 5000
    settings.LAYERLAB_UPLOAD_MAX_VOCABULARY = 60
    return tmp_path


def send(client: Client, data: bytes, name: str = "corpus.txt"):
    return client.post("/api/uploads", {"kind": "text", "file": SimpleUploadedFile(name, data)})


def nothing_kept(tmp_path: Path) -> bool:
    uploads = tmp_path / "media" / "uploads"
    return (Upload.objects.count() == 0 and not any((tmp_path / "incoming").iterdir())
            and (not uploads.exists() or not any(uploads.iterdir())))


def preview(client: Client, corpus: str):
    return client.post("/api/tasks/text/preview", json.dumps({"config": {"corpus": corpus}}),
                       content_type="application/json")


@pytest.mark.parametrize("data, words", [
    ("Ça a été écrit en Latin-1.\n".encode("latin-1"), "is not valid UTF-8"),
    (b"", "empty"),
    (b"   \n\n  \n", "only spaces"),
    (b"abcdefghij\n" * 500, "at most"),  # 5.5 KB over a 5,000-byte limit
    ("".join(chr(0x4E00 + i) for i in range(80)).encode(), "80 different characters"),
])
def test_a_bad_text_is_refused_with_a_sentence_and_nothing_is_kept(alice, folders, data, words):
    response = send(alice, data)
    assert 400 <= response.status_code < 500, response.content
    assert words in response.json()["errors"][0]["message"]
    assert nothing_kept(folders)


def test_an_uploaded_text_is_a_corpus_previewed_as_data(alice, folders):
    text = "<script>alert('hi')</script>\n" + "To be, or not to be.\n" * 20
    upload = send(alice, text.encode()).json()
    answer = preview(alice, f"upload:{upload['id']}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["preview"].startswith("<script>alert('hi')</script>")
    assert body["statistics"]["characters"] == len(text) and body["statistics"]["entropy_bits"] > 3
    assert body["train_characters"] + body["val_characters"] == len(text)


def test_another_visitors_upload_is_no_corpus_of_yours(alice, bob):
    upload = send(alice, b"alice's own words\n" * 5).json()
    answer = preview(bob, f"upload:{upload['id']}")
    assert answer.status_code == 400 and "no upload" in answer.json()["errors"][0]["message"]


def test_a_catalogue_corpus_not_on_the_server_says_how_to_get_it(alice):
    answer = preview(alice, "tiny-shakespeare")
    assert answer.status_code == 400
    assert "fetch_datasets tiny-shakespeare" in answer.json()["errors"][0]["message"]


def test_built_in_corpora_preview_with_their_statistics(alice):
    body = preview(alice, "brackets").json()
    assert body["statistics"]["vocabulary"] == len(body["vocabulary"]) == 10  # four pairs, a, newline
    assert body["statistics"]["most_frequent"][0][1] > 0.05


def test_a_runs_weights_download_for_its_owner_only(alice, bob):
    created = alice.post("/api/runs", json.dumps({"task": "text", "config": {"corpus": "sentences", "steps": 1}}),
                         content_type="application/json")
    assert created.status_code == 201, created.content
    run_id = created.json()["id"]
    assert alice.get(f"/api/runs/{run_id}/weights").status_code == 404  # no checkpoint yet
    model = nn.Linear(2, 2)
    checkpoint.save_checkpoint(checkpoint_dir(run_id), model, __import__("torch").optim.SGD(model.parameters(), 0.1),
                               {}, {"epoch": 0, "step": 1})
    answer = alice.get(f"/api/runs/{run_id}/weights")
    assert answer.status_code == 200 and b"".join(answer.streaming_content)[:8]
    assert 'filename="layerlab-run-' in answer["Content-Disposition"]
    assert bob.get(f"/api/runs/{run_id}/weights").status_code == 404
    Run.objects.filter(pk=run_id).update(status="cancelled")


def test_a_text_runs_live_controls_are_its_learning_rate_and_sample_temperature(alice):
    created = alice.post("/api/runs", json.dumps({"task": "text", "config": {"corpus": "sentences", "steps": 1}}),
                         content_type="application/json")
    run_id = created.json()["id"]
    control = lambda body: alice.post(f"/api/runs/{run_id}/control", json.dumps(body), content_type="application/json")
    answer = control({"sample_temperature": 0.3})
    assert answer.status_code == 200, answer.content
    assert answer.json()["controls"]["sample_temperature"] == 0.3
    assert control({"sample_temperature": 5}).status_code == 400
    refused = control({"temperature": 1})
    assert refused.status_code == 400 and "not a setting here" in refused.json()["errors"][0]["message"]
    Run.objects.filter(pk=run_id).update(status="cancelled")
