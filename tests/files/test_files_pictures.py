"""A run's pictures as files: written by its process, served to its owner and share-token holders, 404 to others."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.test import Client
from PIL import Image

from playground.runs import runner, store
from playground.runs.models import Run, token_digest
from playground.tasks import TASKS
from playground.tasks.base import RunContext, Task, TaskConfig

# The run's training code polls its row from a thread of its own: rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

FRAME = np.random.default_rng(0).integers(0, 256, (256, 256, 3), dtype=np.uint8)  # ~200 KB as a PNG


class PictureTask(Task):
    """Draws one large picture and one small one."""

    name = "pictures"
    title = "Pictures (tests only)"

    class Config(TaskConfig):
        pass

    def run(self, config: TaskConfig, ctx: RunContext) -> None:
        ctx.picture("frame", FRAME, step=1, epoch=1)
        ctx.picture("dot", np.zeros((4, 4), np.uint8), step=1)


@pytest.fixture
def picture_run(monkeypatch, settings, tmp_path, alice):
    """A finished run of PictureTask owned by alice's session, and the events it recorded."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(TASKS, "pictures", PictureTask)
    run = Run.objects.create(task="pictures", config={}, session_key=alice.session.session_key, status="running",
                             owner_token_digest=token_digest("a script's owner token"))
    sent: list[dict] = []
    assert runner.execute_run(run.pk, lambda run_id, texts: sent.extend(json.loads(t) for t in texts), "cpu") == "succeeded"
    store.record_events({run.pk: sent})
    return run, [e["data"] for e in sent if e["type"] == "image"]


def test_a_large_picture_becomes_a_file_and_a_small_one_stays_inline(picture_run, tmp_path):
    run, (frame, dot) = picture_run
    assert frame["url"] == f"/api/runs/{run.pk}/pictures/000001-frame.png" and frame["epoch"] == 1
    assert frame["bytes"] > 190_000 and (tmp_path / "runs" / str(run.pk) / "pictures" / "000001-frame.png").is_file()
    assert dot["url"].startswith("data:image/png;base64,")
    assert store.events_after(run.pk, 0)[-1]["data"]["status"] == "succeeded"


def test_the_owner_and_a_share_token_holder_fetch_the_picture_and_others_get_404(picture_run, alice, bob):
    run, (frame, _) = picture_run
    mine = alice.get(frame["url"])
    assert mine.status_code == 200 and mine["Content-Type"] == "image/png"
    assert "immutable" in mine["Cache-Control"] and "private" in mine["Cache-Control"]
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(b"".join(mine.streaming_content)))), FRAME)
    shared = bob.get(f"{frame['url']}?token={run.share_token}")
    assert shared.status_code == 200
    assert Client().get(frame["url"], HTTP_AUTHORIZATION="Bearer a script's owner token").status_code == 200
    assert bob.get(frame["url"]).status_code == 404
    assert bob.get(f"{frame['url']}?token=wrong").status_code == 404
    assert Client().get(frame["url"]).json()["errors"][0]["message"]


@pytest.mark.parametrize("name", ["000009-frame.png", "..%2F..%2Fsecret_key", "frame.png", "000001-frame.png.bak"])
def test_only_pictures_the_run_wrote_are_served(picture_run, alice, name):
    run, _ = picture_run
    assert alice.get(f"/api/runs/{run.pk}/pictures/{name}").status_code == 404
