"""Scripts own their runs through the owner token; quotas hold for callers that keep no cookie."""
from __future__ import annotations

import json

import pytest
from django.test import Client

from playground.runs.models import Run

pytestmark = pytest.mark.django_db


def script(address: str = "203.0.113.7", **headers) -> Client:
    """A caller that keeps no cookie: every request is a new anonymous session."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address, **headers)


def create(client: Client, config: dict | None = None):
    return client.post("/api/runs", json.dumps({"task": "basics", "config": config or {}}), content_type="application/json")


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_owner_token_controls_the_run_and_the_share_token_only_watches():
    run = create(script()).json()
    owner, share = run["owner_token"], run["share_token"]
    assert owner != share
    assert script().post(f"/api/runs/{run['id']}/pause", **bearer(share)).status_code == 401
    refused = script().post(f"/api/runs/{run['id']}/cancel?token={share}")
    assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["errors"][0]["message"]
    seen = script().get(f"/api/runs/{run['id']}", **bearer(owner)).json()
    assert seen["is_owner"] and seen["share_token"] == share and "owner_token" not in seen
    assert script().post(f"/api/runs/{run['id']}/pause", **bearer(owner)).json()["status"] == "queued"
    control = script().post(f"/api/runs/{run['id']}/control", json.dumps({"learning_rate": 0.1}),
                            content_type="application/json", **bearer(owner))
    assert control.status_code == 200
    assert script().post(f"/api/runs/{run['id']}/cancel", **bearer(owner)).json()["status"] == "cancelled"
    assert Run.objects.get(pk=run["id"]).owner_token_digest != owner  # the database keeps only a digest


def test_an_owner_token_belongs_to_one_run():
    first, second = create(script()).json(), create(script()).json()
    assert script().post(f"/api/runs/{second['id']}/cancel", **bearer(first["owner_token"])).status_code == 401


def test_callers_without_cookies_share_the_quota_of_their_address(settings):
    settings.LAYERLAB_RUN_QUOTA_PER_ADDRESS = 3
    for _ in range(3):
        assert create(script()).status_code == 201
    refused = create(script())
    assert refused.status_code == 429
    assert "network address" in refused.json()["errors"][0]["message"]
    assert create(script("198.51.100.4")).status_code == 201  # another address has its own


def test_behind_a_proxy_the_quota_counts_the_address_it_names(settings):
    settings.LAYERLAB_RUN_QUOTA_PER_ADDRESS = 1
    settings.LAYERLAB_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    proxy = "127.0.0.1"
    assert create(script(proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")).status_code == 201
    # What the client wrote before the proxy's own entry does not make it someone else.
    assert create(script(proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")).status_code == 429
    assert create(script(proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")).status_code == 201


def test_without_the_setting_the_forwarded_header_is_ignored(settings):
    settings.LAYERLAB_RUN_QUOTA_PER_ADDRESS = 1
    assert create(script(HTTP_X_FORWARDED_FOR="1.1.1.1")).status_code == 201
    assert create(script(HTTP_X_FORWARDED_FOR="2.2.2.2")).status_code == 429


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_foreign_page_cannot_queue_runs_with_a_simple_request(content_type):
    body = json.dumps({"task": "basics", "config": {}})
    response = script(HTTP_ORIGIN="http://evil.example").post("/api/runs", body, content_type=content_type)
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["errors"][0]["message"]
    assert not Run.objects.exists()


def test_control_checks_ownership_before_the_body():
    run = create(script()).json()
    stranger, visitor = script(), Client()
    create(visitor)  # a visitor with a session of its own
    for body in ("[]", '{"learning_rate": "fast"}', "{}"):
        for url in (f"/api/runs/{run['id']}/control", f"/api/runs/{run['id']}/continue"):
            assert stranger.post(url, body, content_type="application/json").status_code == 401
            assert visitor.post(url, body, content_type="application/json").status_code == 404
