"""Accounts made in the live site's database for browser tests, with a role each.

Called from a test (`make_person`), it runs itself as a script in the site's environment:

    python tests/browser/people.py < {"username": ..., "password": ..., "role": "teacher"}
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "plum-orbit-4471"


def make_person(env: dict[str, str], username: str, role: str = "student") -> dict[str, str]:
    spec = json.dumps({"username": username, "password": PASSWORD, "role": role})
    done = subprocess.run([sys.executable, __file__], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, input=spec,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the account was not made:\n{done.stderr[-3000:]}")
    return {"username": username, "password": PASSWORD, "role": role}


def sign_in(page, server_url: str, person: dict[str, str]) -> None:
    """Signs the page's browser context in through the sign-in page."""
    page.goto(f"{server_url}/account/signin")
    page.get_by_label("User name or e-mail").fill(person["username"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server_url}/my/runs")


if __name__ == "__main__":
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from playground.accounts.models import Account

    spec = json.load(sys.stdin)
    user = get_user_model().objects.create_user(spec["username"], f"{spec['username']}@example.org", spec["password"])
    Account.objects.create(user=user, role=spec["role"])
