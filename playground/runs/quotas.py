"""What each role may ask of the trainers: anonymous < student < teacher.

A limit set is ``runs`` (queued or training at once), ``epochs`` (of one run),
``parameters`` (of its network) and ``run_seconds`` (of training before the run is
stopped, failed, saying so). The defaults below are overridden per role by the
LAYERLAB_ROLE_LIMITS setting; anonymous visitors' and signed-in users' ``runs``
default to LAYERLAB_RUN_QUOTA_ANONYMOUS and LAYERLAB_RUN_QUOTA_USER. A limit a
request passes is answered 429 with a sentence that says which and what to do.

Roles come from the visitor's account (``accounts.roles.role_of``): anonymous, or the
account's role (student by default, teacher when granted).
"""
from __future__ import annotations

from typing import Any

from django.conf import settings

from playground.accounts.roles import role_of
from playground.runs.errors import ApiError

ROLES = ("anonymous", "student", "teacher")

DEFAULTS: dict[str, dict[str, int]] = {
    "anonymous": {"epochs": 5_000, "parameters": 5_000_000, "run_seconds": 10 * 60},
    "student": {"epochs": 20_000, "parameters": 25_000_000, "run_seconds": 30 * 60},
    "teacher": {"runs": 20, "epochs": 100_000, "parameters": 100_000_000, "run_seconds": 2 * 60 * 60},
}


def limits(role: str) -> dict[str, int]:
    quota = settings.LAYERLAB_RUN_QUOTA_ANONYMOUS if role == "anonymous" else settings.LAYERLAB_RUN_QUOTA_USER
    merged = {"runs": quota, **DEFAULTS.get(role, DEFAULTS["student"])}
    merged.update(settings.LAYERLAB_ROLE_LIMITS.get(role, {}))
    # The server's own limit stays the ceiling of everyone's run time.
    merged["run_seconds"] = min(merged["run_seconds"], settings.LAYERLAB_RUN_TIME_LIMIT)
    return merged


def run_seconds(run) -> int:
    """How long this run may train: its owner's role's limit (runs of scripts and sessions: anonymous)."""
    return limits(role_of(run.owner) if run.owner_id else "anonymous")["run_seconds"]


def who(role: str) -> str:
    return {"anonymous": "without signing in", "student": "as a student"}.get(role, f"as a {role}")


def check_request(user, config: dict[str, Any], parameters: int | None) -> None:
    """Refuse (429) a run whose epochs or network are over the requester's role's limits."""
    role = role_of(user)
    allowed = limits(role)
    epochs = config.get("epochs") if isinstance(config, dict) else None
    if isinstance(epochs, int) and epochs > allowed["epochs"]:
        raise ApiError(429, "config.epochs", f"runs started {who(role)} may train at most {allowed['epochs']} "
                                             f"epochs; ask for fewer{'' if role == 'teacher' else ', or sign in with a role that allows more'}")
    if parameters is not None and parameters > allowed["parameters"]:
        raise ApiError(429, "config.net", f"networks trained {who(role)} may have at most {allowed['parameters']:,} "
                                          f"parameters and this one has {parameters:,}; make it smaller")


def check_active(user, active: int) -> None:
    """Refuse (429) one more run to a requester who already has their role's number queued or training."""
    role = role_of(user)
    quota = limits(role)["runs"]
    if active >= quota:
        raise ApiError(429, "", f"you already have {quota} runs queued or training; wait for one to finish or stop one")
