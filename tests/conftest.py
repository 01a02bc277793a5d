"""Fixtures shared by the whole suite: a running local executor, visitors, and waiting."""
from __future__ import annotations

import time

import pytest


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05):
    """Poll until predicate() is truthy; return its value or fail with what it last saw."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate.__name__}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def executor(django_db_setup, django_db_blocker):
    """Real training processes (spawned, on the CPU) reading the test database."""
    from playground.runs.executor import set_executor
    from playground.runs.local import LocalExecutor

    with django_db_blocker.unblock():
        local = LocalExecutor(slots=2, device="cpu")
        set_executor(local)
        local.start()
        wait_for(lambda: all(s.spare and s.spare.ready for s in local.slots), timeout=60)
        yield local
        local.shutdown()
        set_executor(None)


@pytest.fixture
def alice():
    """An anonymous visitor; her session starts with her first run, as in a browser."""
    from django.test import Client

    return Client()


@pytest.fixture
def bob():
    """Another anonymous visitor."""
    from django.test import Client

    return Client()
