"""Uploads through the API: a summary for a good file, a 4xx sentence for a bad one, and nothing kept of it."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from playground.files.models import Upload
from playground.files.uploads import check_references
from playground.runs.errors import ApiError
from playground.runs.models import Run
from upload_files import class_zip, picture, png_declaring, symlink_entry, zip_bomb, zip_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    """Each test's own media and incoming folders, so that "nothing kept" can be looked at."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "incoming"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # every upload but the smallest goes through a temporary file
    settings.LAYERLAB_UPLOAD_MAX_EXPANDED_BYTES = 1024 * 1024
    return tmp_path


def send(client: Client, kind: str, data: bytes, name: str = "file", **headers):
    return client.post("/api/uploads", {"kind": kind, "file": SimpleUploadedFile(name, data)}, **headers)


def first_error(response) -> dict:
    return response.json()["errors"][0]


def nothing_kept(tmp_path: Path) -> bool:
    uploads = tmp_path / "media" / "uploads"
    return (Upload.objects.count() == 0 and not any((tmp_path / "incoming").iterdir())
            and (not uploads.exists() or not any(uploads.iterdir())))


@pytest.mark.parametrize("kind, data, summary", [
    ("images", class_zip({"cats": 5, "dogs": 6}), {"images": 11}),
    ("text", "To be, or not to be".encode(), {"characters": 19, "vocabulary": 9}),
    ("image", picture(40, 30, "WEBP"), {"width": 40, "height": 30, "format": "WEBP"}),
])
def test_an_upload_answers_its_summary_and_is_kept_in_its_folder(alice, folders, kind, data, summary):
    response = send(alice, kind, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == kind and body["name"] == "file" and body["size"] == len(data) and body["owner_token"]
    assert summary.items() <= body["summary"].items()
    kept = list((folders / "media" / "uploads" / str(body["id"])).iterdir())
    assert len(kept) == 1 and kept[0].stat().st_size > 0
    assert not any((folders / "incoming").iterdir())  # Django's temporary copy is gone


@pytest.mark.parametrize("kind, data, words", [
    ("images", zip_bomb(5 * 1024 * 1024), "expands to more than 1 MB"),
    ("image", png_declaring(50_000, 50_000), "more pixels than the 16,777,216"),
    ("images", zip_with([("cats/huge.png", png_declaring(50_000, 50_000))]), "more pixels"),
    ("images", picture(), "not a zip archive"),
    ("image", b"%PDF-1.4 not a picture" * 100, "not a PNG, JPEG or WebP"),
    ("text", picture(200, 200), "not UTF-8 text"),
    ("images", zip_with([("../escape.png", picture())]), "climbs out"),
    ("images", zip_with([("cats/../../escape.png", picture())]), "climbs out"),
    ("images", zip_with([(symlink_entry(), b"/etc/passwd")]), "symbolic link"),
    ("images", class_zip({"cats": 9}), "at least two"),
    ("text", b"", "empty"),
])
def test_each_bad_upload_is_refused_with_a_sentence_and_nothing_is_kept(alice, folders, kind, data, words):
    response = send(alice, kind, data)
    assert response.status_code == 400, response.content
    error = first_error(response)
    assert words in error["message"] and error["path"] == "file"
    assert nothing_kept(folders)


def test_the_kind_must_be_one_of_three_and_the_file_must_come(alice, folders):
    response = send(alice, "video", b"x")
    assert response.status_code == 400 and first_error(response)["path"] == "kind"
    response = alice.post("/api/uploads", {"kind": "text"})
    assert response.status_code == 400 and first_error(response)["path"] == "file"
    assert nothing_kept(folders)


def test_an_upload_must_be_multipart(alice, folders):
    response = alice.post("/api/uploads", b'{"kind": "text"}', content_type="application/json")
    assert response.status_code == 415 and "multipart/form-data" in first_error(response)["message"]


def test_a_cookie_upload_needs_the_csrf_token(folders):
    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/api/csrf").json()["csrftoken"]
    browser.get("/api/uploads")  # the session exists
    browser.cookies["sessionid"] = "x"  # a cookie write, as a foreign page's form would send
    refused = send(browser, "text", b"hello")
    assert refused.status_code == 403 and nothing_kept(folders)
    assert send(browser, "text", b"hello", HTTP_X_CSRFTOKEN=token).status_code == 201


def test_uploads_belong_to_their_visitor(alice, bob, folders):
    mine = send(alice, "text", b"alice's corpus").json()
    assert [u["id"] for u in alice.get("/api/uploads").json()] == [mine["id"]]
    assert bob.get("/api/uploads").json() == []
    assert bob.delete(f"/api/uploads/{mine['id']}").status_code == 404
    assert Upload.objects.filter(pk=mine["id"]).exists()


def test_a_script_owns_its_upload_through_the_owner_token(folders):
    created = send(Client(), "text", b"a script's corpus").json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {created['owner_token']}"}
    assert [u["id"] for u in Client().get("/api/uploads", **bearer).json()] == [created["id"]]
    assert Client().delete(f"/api/uploads/{created['id']}").status_code == 404
    assert Client().delete(f"/api/uploads/{created['id']}", **bearer).status_code == 204
    assert nothing_kept(folders)


def test_deleting_an_upload_removes_its_file_unless_a_run_uses_it(alice, folders):
    upload = send(alice, "text", b"some text").json()
    run = Run.objects.create(task="basics", config={"dataset": f"upload:{upload['id']}"}, status="queued")
    refused = alice.delete(f"/api/uploads/{upload['id']}")
    assert refused.status_code == 409 and f"run {run.pk}" in first_error(refused)["message"]
    Run.objects.filter(pk=run.pk).update(status="succeeded")
    assert alice.delete(f"/api/uploads/{upload['id']}").status_code == 204
    assert nothing_kept(folders)


def test_a_visitor_keeps_only_so_many_uploads(alice, settings, folders):
    settings.LAYERLAB_UPLOAD_QUOTA = 2
    for _ in range(2):
        assert send(alice, "text", b"text").status_code == 201
    refused = send(alice, "text", b"text")
    assert refused.status_code == 429 and "delete one" in first_error(refused)["message"]


def visitor_request(client: Client | None = None, **headers):
    request = RequestFactory().post("/api/runs", **headers)
    key = client.cookies["sessionid"].value if client is not None else None
    request.session = SessionStore(session_key=key)
    request.user = AnonymousUser()
    return request


def test_a_configuration_may_name_only_its_requesters_uploads(alice, bob, folders):
    upload = send(alice, "images", class_zip()).json()
    config = {"dataset": f"upload:{upload['id']}", "other": "upload:999"}
    with pytest.raises(ApiError) as refused:
        check_references(visitor_request(alice), config)
    assert [e["path"] for e in refused.value.errors] == ["config.other"]
    bob.get("/api/uploads")
    bob.session.save()
    bob.cookies["sessionid"] = bob.session.session_key
    with pytest.raises(ApiError) as refused:
        check_references(visitor_request(bob), {"dataset": f"upload:{upload['id']}"})
    assert refused.value.status == 400 and "no upload" in refused.value.errors[0]["message"]
    check_references(visitor_request(alice), {"dataset": f"upload:{upload['id']}"})
    check_references(visitor_request(HTTP_AUTHORIZATION=f"Bearer {upload['owner_token']}"),
                     {"dataset": f"upload:{upload['id']}"})
