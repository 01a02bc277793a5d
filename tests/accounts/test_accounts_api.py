"""Accounts: sign up, in and out, validators, throttling, password reset by e-mail, claiming anonymous work, tokens."""
from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from classroom_world import finished_run, json_post, person
from playground.files.models import Upload
from playground.runs.models import Run

pytestmark = pytest.mark.django_db

GOOD = "plum-orbit-4471"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def sign_up(client: Client, name: str = "ada", password: str = GOOD):
    return json_post(client, "/api/auth/signup", {"username": name, "email": f"{name}@example.org", "password": password})


def test_it_signs_up_signs_out_and_signs_in():
    client = Client()
    answer = sign_up(client)
    assert answer.status_code == 201, answer.content
    assert answer.json() == {"authenticated": True, "username": "ada", "email": "ada@example.org", "role": "teacher"}
    assert client.get("/api/auth/me").json()["username"] == "ada"
    assert json_post(client, "/api/auth/signout", {}).json()["authenticated"] is False
    assert client.get("/api/auth/me").json() == {"authenticated": False, "username": "", "email": "", "role": "anonymous"}
    assert json_post(client, "/api/auth/signin", {"username": "ada", "password": GOOD}).status_code == 200
    assert json_post(Client(), "/api/auth/signin", {"username": "ada@example.org", "password": GOOD}).status_code == 200


def test_only_the_first_account_is_a_teacher(settings):
    sign_up(Client(), "first")
    assert sign_up(Client(), "second").json()["role"] == "student"
    settings.LAYERLAB_FIRST_USER_IS_TEACHER = False
    assert sign_up(Client(), "third").json()["role"] == "student"


def test_passwords_are_hashed_with_argon2_outside_tests():
    from django.conf import settings as real

    from playground import settings as site

    assert site.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert real.AUTH_PASSWORD_VALIDATORS


def test_it_refuses_weak_passwords_taken_names_and_bad_addresses():
    sign_up(Client(), "ada")
    answer = json_post(Client(), "/api/auth/signup", {"username": "ADA", "email": "nope", "password": "123"})
    assert answer.status_code == 400
    paths = [e["path"] for e in answer.json()["errors"]]
    assert "username" in paths and "email" in paths and paths.count("password") >= 2
    assert any("too short" in e["message"] for e in answer.json()["errors"])


def test_wrong_passwords_are_throttled():
    sign_up(Client(), "ada")
    client = Client()
    for _ in range(5):
        assert json_post(client, "/api/auth/signin", {"username": "ada", "password": "wrong-one"}).status_code == 400
    refused = json_post(client, "/api/auth/signin", {"username": "ada", "password": GOOD})
    assert refused.status_code == 429
    assert "too many failed sign-ins" in refused.json()["errors"][0]["message"]


def test_anonymous_runs_and_uploads_move_to_the_account():
    client = Client()
    client.get("/")  # a session starts with the page
    session = client.session
    session.save()
    key = session.session_key
    client.cookies["sessionid"] = key
    run = finished_run(None)
    Run.objects.filter(pk=run.pk).update(session_key=key)
    upload = Upload.objects.create(kind="text", name="a.txt", summary={}, size=1, session_key=key)
    assert sign_up(client).status_code == 201
    run.refresh_from_db()
    upload.refresh_from_db()
    assert run.owner.username == "ada" and run.session_key == ""
    assert upload.owner.username == "ada"
    assert [r["id"] for r in client.get("/api/runs").json()] == [run.pk]


def test_password_reset_by_email():
    sign_up(Client(), "ada")
    answer = json_post(Client(), "/api/auth/password-reset", {"email": "ada@example.org"})
    assert answer.json() == {"sent": True}
    assert json_post(Client(), "/api/auth/password-reset", {"email": "nobody@example.org"}).json() == {"sent": True}
    assert len(mail.outbox) == 1
    uid, token = re.search(r"/account/reset/([^/]+)/(\S+)", mail.outbox[0].body).groups()
    weak = json_post(Client(), "/api/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "password"})
    assert weak.status_code == 400
    client = Client()
    assert json_post(client, "/api/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "new-" + GOOD}).status_code == 200
    assert json_post(client, "/api/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "x-" + GOOD}).status_code == 400
    assert json_post(Client(), "/api/auth/signin", {"username": "ada", "password": "new-" + GOOD}).status_code == 200


def test_personal_tokens_sign_scripts_in_and_stop_when_revoked():
    ada = person("ada")
    made = json_post(ada, "/api/auth/tokens", {"name": "laptop"})
    assert made.status_code == 201
    secret = made.json()["token"]
    assert secret.startswith("llp_")
    listed = ada.get("/api/auth/tokens").json()
    assert [t["name"] for t in listed] == ["laptop"] and "token" not in listed[0]
    script = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert script.get("/api/auth/me", **bearer).json()["username"] == "ada"
    run = finished_run(ada)
    assert script.get(f"/api/runs/{run.pk}", **bearer).json()["is_owner"] is True
    assert script.post(f"/api/runs/{run.pk}/visibility", {"visibility": "public"}, content_type="application/json", **bearer).status_code == 200
    assert ada.delete(f"/api/auth/tokens/{listed[0]['id']}").status_code == 204
    revoked = script.get("/api/auth/me", **bearer)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["errors"][0]["message"]


def test_owner_tokens_still_work_beside_personal_tokens():
    """A run's owner token (not a personal token) still controls its run."""
    from playground.runs.models import token_digest

    run = finished_run(None, status="running")
    Run.objects.filter(pk=run.pk).update(owner_token_digest=token_digest("owner-secret"))
    answer = Client().post(f"/api/runs/{run.pk}/pause", content_type="application/json", HTTP_AUTHORIZATION="Bearer owner-secret")
    assert answer.status_code == 200


def test_tokens_are_for_signed_in_people_and_only_their_own():
    assert Client().get("/api/auth/tokens").status_code == 401
    ada, bob = person("ada"), person("bob")
    made = json_post(ada, "/api/auth/tokens", {"name": "x"}).json()
    assert bob.delete(f"/api/auth/tokens/{made['id']}").status_code == 404
    assert json_post(ada, "/api/auth/tokens", {"name": ""}).status_code == 400


def test_account_pages_render(client):
    for path in ("/account/signin", "/account/signup", "/account/reset", "/account/tokens", "/account/reset/MQ/abc-def"):
        assert client.get(path).status_code == 200, path
