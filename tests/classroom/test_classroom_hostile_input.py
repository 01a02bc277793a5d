"""Malformed and hostile bodies on the account, sharing and classroom routes: a 4xx with a sentence, never a 500."""
from __future__ import annotations

import pytest

from classroom_world import json_post, person

pytestmark = pytest.mark.django_db

HOSTILE = [None, [], "text", 7, True, {"x": 1}, {"title": "\x00" * 300}, {"run": "1"}, {"run": True}, {"run": -1},
           {"code": "😀" * 40}, {"task": "basics", "config": "no"}, {"task": "basics", "config": {"hidden": "wide"}},
           {"title": "T", "task": "basics", "deadline": "soon"}, {"title": "T", "task": "basics", "max_params": 1.5},
           {"title": "T", "task": "basics", "instructions": "x" * 30000}, {"name": ""}, {"visibility": "friends"},
           {"username": ["a"], "password": 1}, {"email": "a" * 300}]


def test_no_body_makes_a_server_error():
    teacher = person("tess", "teacher")
    course = json_post(teacher, "/api/courses", {"name": "C"}).json()["id"]
    assignment = json_post(teacher, f"/api/courses/{course}/assignments", {"title": "A", "task": "basics"}).json()["id"]
    paths = ["/api/courses", "/api/courses/join", f"/api/courses/{course}/assignments", f"/api/assignments/{assignment}/attempts",
             f"/api/assignments/{assignment}/submissions", "/api/configs", "/api/auth/signin", "/api/auth/signup",
             "/api/auth/password-reset", "/api/auth/password-reset/confirm", "/api/auth/tokens"]
    for path in paths:
        for body in HOSTILE:
            answer = json_post(teacher, path, body)
            assert 400 <= answer.status_code < 500, (path, body, answer.status_code, answer.content[:300])
            assert answer.json()["errors"][0]["message"], (path, body)
        assert teacher.post(path, "a=1", content_type="application/x-www-form-urlencoded").status_code == 415, path
    for path in ("/api/configs/%00", "/api/configs/" + "x" * 500, "/api/assignments/99999999999999999999",
                 "/api/courses/abc", "/api/gallery?limit=0", "/api/runs?status=x"):
        assert 400 <= teacher.get(path).status_code < 500, path
