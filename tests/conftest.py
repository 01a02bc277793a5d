"""Fixtures shared by the whole suite: a running local executor, visitors, and waiting."""
from __future__ import annotations

import pytest

from waiting import wait_for


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


@pytest.fixture(scope="session")
def job_pool(django_db_setup):
    """The short-job pool the API and the job socket use: one warm process, a 5 s limit."""
    from playground.runs.jobs import JobPool, set_job_pool

    pool = JobPool(workers=1, device="cpu", seconds=5, queue=2)
    set_job_pool(pool)
    pool.start()
    wait_for(lambda: pool.wait_ready(timeout=1), timeout=60)
    yield pool
    pool.shutdown()
    set_job_pool(None)


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


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in this thread
    for the rest of the session, which async tests after it could not start theirs beside."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
