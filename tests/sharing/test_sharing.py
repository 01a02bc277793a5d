"""Share links: content-addressed slugs, /s/<slug> pages with Open Graph previews, run visibility, the gallery."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from classroom_world import finished_run, json_post, person
from playground.tasks import TASKS

pytestmark = pytest.mark.django_db


def share(client, config, task="basics"):
    return json_post(client, "/api/configs", {"task": task, "config": config})


def test_the_same_configuration_gets_the_same_slug():
    first = share(Client(), {"dataset": "spiral", "hidden": [6, 6]})
    assert first.status_code == 201
    slug = first.json()["slug"]
    assert first.json()["url"] == f"/s/{slug}"
    # Spelled out in full, in another order, by someone else: the same configuration.
    full = TASKS["basics"].Config.model_validate({"hidden": [6, 6], "dataset": "spiral"}).model_dump(mode="json")
    again = share(Client(), dict(reversed(list(full.items()))))
    assert again.status_code == 200 and again.json()["slug"] == slug
    assert share(Client(), {"dataset": "spiral", "hidden": [6, 5]}).json()["slug"] != slug
    assert Client().get(f"/api/configs/{slug}").json() == {"task": "basics", "config": full}


def test_it_refuses_bad_configurations_and_unknown_slugs():
    bad = share(Client(), {"hidden": [99]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"].startswith("config.hidden")
    assert share(Client(), {}, task="nope").status_code == 400
    assert json_post(Client(), "/api/configs", {"task": "basics", "config": [], "x": 1}).status_code == 400
    assert Client().get("/api/configs/unknownslug1").status_code == 404
    assert Client().get("/s/unknownslug1").status_code == 404


def test_the_slug_page_carries_the_configuration_and_a_preview():
    slug = share(Client(), {"dataset": "circle", "hidden": [3]}).json()["slug"]
    html = Client().get(f"/s/{slug}").content.decode()
    assert 'id="shared-config"' in html and '"circle"' in html
    assert 'property="og:title"' in html and f"/s/{slug}/preview.png" in html
    picture = Client().get(f"/s/{slug}/preview.png")
    assert picture["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).size == (1200, 630)


def test_private_runs_are_the_owners_alone():
    ada, bob = person("ada"), person("bob")
    run = finished_run(ada, visibility="private")
    token = run.share_token
    for path in (f"/api/runs/{run.pk}", f"/api/runs/{run.pk}/events", f"/api/runs/{run.pk}/pictures/000001-a.png",
                 f"/runs/{run.pk}/preview.png"):
        assert bob.get(path, {"token": token}).status_code == 404, path
        assert Client().get(path, {"token": token}).status_code == 404, path
    assert ada.get(f"/api/runs/{run.pk}").status_code == 200
    assert ada.get(f"/runs/{run.pk}/preview.png").status_code == 200


def test_link_runs_need_the_token_and_public_runs_do_not():
    ada, bob = person("ada"), person("bob")
    run = finished_run(ada)
    assert run.visibility == "link"
    assert bob.get(f"/api/runs/{run.pk}").status_code == 404
    assert bob.get(f"/api/runs/{run.pk}", {"token": run.share_token}).status_code == 200
    html = Client().get(f"/runs/{run.pk}", {"token": run.share_token}).content.decode()
    assert 'property="og:image"' in html and f"/runs/{run.pk}/preview.png?token={run.share_token}" in html
    assert 'property="og:title"' not in Client().get(f"/runs/{run.pk}").content.decode()
    assert json_post(ada, f"/api/runs/{run.pk}/visibility", {"visibility": "public"}).json()["visibility"] == "public"
    assert bob.get(f"/api/runs/{run.pk}").status_code == 200
    assert [r["id"] for r in Client().get("/api/gallery").json()] == [run.pk]
    assert Client().get("/api/gallery").json()[0]["metric"] == {"name": "test.accuracy", "value": 0.9}


def test_only_the_owner_sets_visibility():
    ada, bob = person("ada"), person("bob")
    run = finished_run(ada)
    assert json_post(bob, f"/api/runs/{run.pk}/visibility", {"visibility": "public"}).status_code == 404
    assert json_post(Client(), f"/api/runs/{run.pk}/visibility", {"visibility": "public"}).status_code == 401
    assert json_post(ada, f"/api/runs/{run.pk}/visibility", {"visibility": "everyone"}).status_code == 400


def test_my_runs_filter_by_status_and_task():
    ada = person("ada")
    done, failed = finished_run(ada), finished_run(ada, status="failed")
    assert [r["id"] for r in ada.get("/api/runs", {"status": "failed"}).json()] == [failed.pk]
    assert {r["id"] for r in ada.get("/api/runs", {"task": "basics"}).json()} == {done.pk, failed.pk}
    assert ada.get("/api/runs", {"status": "bogus"}).status_code == 400


def test_library_pages_render(client):
    for path in ("/gallery", "/my/runs", "/compare?runs=1,2"):
        assert client.get(path).status_code == 200, path
