"""The OpenAPI document is a contract a client generator can use: every answer, the tasks, each config."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from playground.runs import schemas
from playground.tasks import TASKS
from playground.tasks.base import Task, TaskConfig

pytestmark = pytest.mark.django_db
ERRORS = {"$ref": "#/components/schemas/ErrorsOut"}


@pytest.fixture(scope="module")
def document(django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get("/api/openapi.json").json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def schema_of(answer):
    return answer["content"]["application/json"]["schema"]


def test_every_operation_documents_its_errors_with_the_error_shape(document):
    for path, method, operation in operations(document):
        answers = operation["responses"]
        assert schema_of(answers["500"]) == ERRORS, (method, path)
        errors = {status for status in answers if status.startswith(("4", "5"))}
        assert all(schema_of(answers[status]) == ERRORS for status in errors), (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= errors, (method, path)
        if operation.get("security"):
            assert {"401", "404"} <= errors, (method, path)


def test_every_operation_that_reads_a_json_body_refuses_other_content_types(document):
    script = Client()
    bodies = [(path, op) for path, method, op in operations(document) if "requestBody" in op]
    assert len(bodies) >= 6
    for path, operation in bodies:
        url = re.sub(r"\{\w+\}", "1", path.replace("{name}", "basics"))
        response = script.post(url, '{"x": 1}', content_type="text/plain")
        assert response.status_code == 415, url
        assert "415" in operation["responses"]


def test_tasks_are_an_enum_of_the_registry(document):
    components = document["components"]["schemas"]
    assert components["RunOut"]["properties"]["task"]["enum"] == list(TASKS)
    assert components["TaskOut"]["properties"]["name"]["enum"] == list(TASKS)
    body = document["paths"]["/api/runs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    # The tests register a task of their own (tests/probe_task.py): the request is a union tagged by task.
    basics = body["discriminator"]["mapping"]["basics"] if "discriminator" in body else body["$ref"]
    request = components[basics.rsplit("/", 1)[1]]
    assert request["properties"]["task"]["const"] == "basics"
    config = request["properties"]["config"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    assert components[config]["properties"]["epochs"]["type"] == "integer"
    assert components[config]["additionalProperties"] is False


def test_a_second_task_makes_the_run_request_a_union_tagged_by_task(monkeypatch):
    from pydantic import TypeAdapter

    class DrawConfig(TaskConfig):
        strokes: int = 3

    class DrawTask(Task):
        name, title, Config = "draw", "Draw", DrawConfig

    monkeypatch.setitem(TASKS, "draw", DrawTask)
    request = schemas.run_request_model()
    schema = TypeAdapter(request).json_schema()
    assert schema["discriminator"]["propertyName"] == "task"
    assert set(schema["discriminator"]["mapping"]) == set(TASKS) >= {"basics", "draw"}
    parsed = TypeAdapter(request).validate_python({"task": "draw", "config": {"strokes": 5}})
    assert isinstance(parsed.config, DrawConfig) and parsed.config.strokes == 5


def test_a_run_request_names_the_setting_that_is_wrong():
    response = Client().post("/api/runs", json.dumps({"task": "basics", "config": {"epochs": 0}}),
                             content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "config.epochs"


def test_controls_are_documented_for_both_ways_of_owning_a_run(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["OwnerToken"] == {"type": "http", "scheme": "bearer", "description": "The run's owner_token."}
    assert schemes["SessionOwner"]["in"] == "cookie"
    cancel = document["paths"]["/api/runs/{run_id}/cancel"]["post"]
    assert cancel["security"] == [{"OwnerToken": []}, {"SessionOwner": []}]
