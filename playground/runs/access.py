"""Who owns a run and who may watch it.

Signed-in users own runs through their account, anonymous visitors through their
session. Anyone holding a run's share token may watch it, and nothing more.
"""
from __future__ import annotations

import secrets

from playground.runs.models import Run


def session_key(session) -> str:
    if not session.session_key:
        session.save()
    return session.session_key


def owner_fields(request) -> dict:
    """The fields that make the requesting visitor the owner of a new run."""
    if request.user.is_authenticated:
        return {"owner": request.user, "session_key": ""}
    return {"owner": None, "session_key": session_key(request.session)}


def owner_filter(request) -> dict:
    if request.user.is_authenticated:
        return {"owner": request.user}
    return {"owner__isnull": True, "session_key": session_key(request.session)}


def _owns(user, session, run: Run) -> bool:
    if run.owner_id is not None:
        return bool(user is not None and user.is_authenticated and user.pk == run.owner_id)
    key = session.session_key if session is not None else None
    return bool(key) and secrets.compare_digest(key, run.session_key)


def owns(request, run: Run) -> bool:
    return _owns(request.user, request.session, run)


def token_matches(run: Run, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(str(token), run.share_token)


def may_view(request, run: Run, token: str | None) -> bool:
    return owns(request, run) or token_matches(run, token)


def owns_scope(scope, run: Run) -> bool:
    """Whether a WebSocket's visitor owns the run."""
    return _owns(scope.get("user"), scope.get("session"), run)


def may_view_scope(scope, run: Run, token: str | None) -> bool:
    return owns_scope(scope, run) or token_matches(run, token)
