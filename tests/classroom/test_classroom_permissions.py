"""Every classroom route, and both sockets, tried by someone who may not: another student with a
guessed id, a teacher of another course, an anonymous visitor. Each gets 401, 403 or 404 (never
the thing), and a socket closes with 4404."""
from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from classroom_world import finished_run, json_post, person
from playground.asgi import application

ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]


def build_world():
    tess, other_teacher = person("tess", "teacher"), person("otto", "teacher")
    ann, ben, stranger = person("ann"), person("ben"), person("sam")
    course = json_post(tess, "/api/courses", {"name": "Course"}).json()
    for student in (ann, ben):
        json_post(student, "/api/courses/join", {"code": course["join_code"]})
    a = json_post(tess, f"/api/courses/{course['id']}/assignments",
                  {"title": "A", "task": "basics", "config": {"hidden": [2]}}).json()
    ann_run = finished_run(ann, {"hidden": [2]}, visibility="course")
    json_post(ann, f"/api/assignments/{a['id']}/submissions", {"run": ann_run.pk})
    private = finished_run(ann, {"hidden": [2]}, visibility="private")
    json_post(ann, f"/api/assignments/{a['id']}/attempts", {"run": private.pk})
    return {"tess": tess, "otto": other_teacher, "ann": ann, "ben": ben, "sam": stranger, "course": course["id"],
            "assignment": a["id"], "ann_run": ann_run, "private": private}


@pytest.fixture
def world(db):
    return build_world()


def routes(w):
    c, a = w["course"], w["assignment"]
    return [
        ("get", f"/api/courses/{c}", None),
        ("post", f"/api/courses/{c}/assignments", {"title": "B", "task": "basics"}),
        ("get", f"/api/assignments/{a}", None),
        ("post", f"/api/assignments/{a}/attempts", {"run": w["ann_run"].pk}),
        ("post", f"/api/assignments/{a}/submissions", {"run": w["ann_run"].pk}),
        ("get", f"/api/assignments/{a}/submissions", None),
        ("get", f"/api/assignments/{a}/leaderboard", None),
        ("get", f"/api/assignments/{a}/grades.csv", None),
        ("get", f"/api/assignments/{a}/dashboard", None),
    ]


def call(client, method, path, body):
    return json_post(client, path, body) if method == "post" else client.get(path)


@pytest.mark.parametrize("who", ["otto", "sam"])
def test_outsiders_get_404_on_every_course_route(world, who):
    for method, path, body in routes(world):
        answer = call(world[who], method, path, body)
        assert answer.status_code == 404, (who, path, answer.content)


def test_anonymous_visitors_get_401_on_every_course_route(world):
    from django.test import Client

    for method, path, body in routes(world):
        assert call(Client(), method, path, body).status_code == 401, path
    assert Client().get("/api/courses").status_code == 401
    assert json_post(Client(), "/api/courses", {"name": "x"}).status_code == 401
    assert json_post(Client(), "/api/courses/join", {"code": "ABCDEFGH"}).status_code == 401


def test_students_get_404_on_the_teachers_routes(world):
    a, c = world["assignment"], world["course"]
    assert json_post(world["ben"], f"/api/courses/{c}/assignments", {"title": "B", "task": "basics"}).status_code == 404
    for path in (f"/api/assignments/{a}/grades.csv", f"/api/assignments/{a}/dashboard"):
        assert world["ben"].get(path).status_code == 404, path


def test_a_student_sees_only_their_own_submissions(world):
    a = world["assignment"]
    assert world["ben"].get(f"/api/assignments/{a}/submissions").json() == []
    assert len(world["ann"].get(f"/api/assignments/{a}/submissions").json()) == 1


def test_a_student_may_not_submit_or_attach_another_students_run(world):
    a, run = world["assignment"], world["ann_run"]
    assert json_post(world["ben"], f"/api/assignments/{a}/submissions", {"run": run.pk}).status_code == 404
    assert json_post(world["ben"], f"/api/assignments/{a}/attempts", {"run": run.pk}).status_code == 404
    assert json_post(world["ann"], f"/api/assignments/{a}/submissions", {"run": world["private"].pk}).status_code == 400


def test_runs_by_guessed_id(world):
    """Ann's course run: her teacher and her classmates see it (it is shown to the course); the other
    teacher and a stranger do not. Her private run: nobody but Ann, her teacher included."""
    run, private = world["ann_run"], world["private"]
    for who, sees in (("tess", True), ("ben", True), ("otto", False), ("sam", False)):
        for path in (f"/api/runs/{run.pk}", f"/api/runs/{run.pk}/events"):
            assert (world[who].get(path).status_code == 200) is sees, (who, path)
    for who in ("tess", "ben", "otto", "sam"):
        for path in (f"/api/runs/{private.pk}", f"/api/runs/{private.pk}/events"):
            assert world[who].get(path, {"token": private.share_token}).status_code == 404, (who, path)
    assert world["ann"].get(f"/api/runs/{private.pk}/events").status_code == 200


def cookie_of(client) -> list[tuple[bytes, bytes]]:
    return ORIGIN + [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


async def closes_with_4404(path: str, headers) -> bool:
    ws = WebsocketCommunicator(application, path, headers=headers)
    await ws.connect()
    message = await ws.receive_output(timeout=10)
    return message["type"] == "websocket.close" and message.get("code") == 4404


@pytest.mark.django_db(transaction=True)
async def test_the_dashboard_socket_is_the_teachers_alone():
    w = await sync_to_async(build_world)()
    path = f"/ws/assignments/{w['assignment']}/"
    for who in ("ann", "otto", "sam"):
        assert await closes_with_4404(path, cookie_of(w[who])), who
    assert await closes_with_4404(path, ORIGIN)
    assert await closes_with_4404("/ws/assignments/999999/", cookie_of(w["tess"]))
    ws = WebsocketCommunicator(application, path, headers=cookie_of(w["tess"]))
    assert (await ws.connect())[0]
    rows = json.loads(await ws.receive_from(timeout=10))
    assert rows["type"] == "dashboard" and [r["student"] for r in rows["students"]] == ["ann", "ben"]
    assert rows["students"][0]["best"] == 0.9
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_run_socket_follows_visibility():
    w = await sync_to_async(build_world)()
    run, private = w["ann_run"], w["private"]
    for who in ("otto", "sam"):
        assert await closes_with_4404(f"/ws/runs/{run.pk}/", cookie_of(w[who])), who
    for who in ("tess", "ben", "otto"):
        assert await closes_with_4404(f"/ws/runs/{private.pk}/?token={private.share_token}", cookie_of(w[who])), who
    assert await closes_with_4404(f"/ws/runs/{private.pk}/?token={private.share_token}", ORIGIN)
    for who in ("tess", "ben", "ann"):
        ws = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/", headers=cookie_of(w[who]))
        assert (await ws.connect())[0]
        first = json.loads(await ws.receive_from(timeout=10))
        assert (first[0] if isinstance(first, list) else first)["seq"] == 1, who
        await ws.disconnect()
