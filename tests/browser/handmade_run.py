"""A finished run with events written by hand, stored in the live site's database, owned by a new session.

The browser tests use it to show a run page events that no shipped task emits. Called from a test
(`hand_made_run`), it runs itself as a script in the site's environment, so that it writes to the
site's own database:

    python tests/browser/handmade_run.py < {"task": ..., "config": ..., "events": [...]}

and prints `{"id", "session", "share_token"}`: the run, the session cookie that owns it, and the
token that lets anyone else watch it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def hand_made_run(env: dict[str, str], task: str, events: list[dict[str, Any]], config: dict | None = None) -> dict[str, Any]:
    """Store a run of `task` whose events (after the first, `queued`) are `events`; None config: the task's defaults."""
    spec = json.dumps({"task": task, "config": config, "events": events})
    done = subprocess.run([sys.executable, __file__], cwd=ROOT, env={**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}, input=spec,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the hand-made run was not stored:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def as_owner(page, server_url: str, run: dict[str, Any]) -> None:
    """Makes the browser page's visitor the run's owner: it carries the session that owns the run."""
    page.context.add_cookies([{"name": "sessionid", "value": run["session"], "url": server_url}])


def store_run(spec: dict[str, Any]) -> dict[str, Any]:
    import time

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from playground.runs import store
    from playground.tasks import TASKS

    session = SessionStore()
    session.create()
    config = spec["config"] if spec["config"] is not None else TASKS[spec["task"]].default_config()
    # One transaction: the workers never see the run queued, so none of them trains it.
    with transaction.atomic():
        run = store.create_run(spec["task"], config, session_key=session.session_key)
        now = time.time()
        events = [{"seq": seq, "type": event["type"], "step": event.get("step"), "data": event["data"], "time": now}
                  for seq, event in enumerate(spec["events"], start=2)]
        store.record_events({run.pk: events})
    return {"id": run.pk, "session": session.session_key, "share_token": run.share_token}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(store_run(json.load(sys.stdin))))
