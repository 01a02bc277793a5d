"""Waiting for something that happens in another process or thread."""
from __future__ import annotations

import time


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05):
    """Poll until predicate() is truthy; return its value or fail naming what it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate.__name__}")
        time.sleep(interval)
