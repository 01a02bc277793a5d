"""Who owns a run, who may watch it, and where a request comes from.

Signed-in users own runs through their account (by session, or by a personal API
token that ``playground/accounts/bearer.py`` turns into the request's user),
anonymous visitors through their session, and scripts through the owner token that
creating a run returns once (sent back as ``Authorization: Bearer <owner token>``).
Who else may watch depends on the run's visibility: nobody (private), whoever
holds its share token (link), everyone (public), and whom the rules other apps
add to ``VIEWER_RULES`` let in (the classroom's: a course's teacher, and its members
for a run shown to the course). A private run is its owner's alone.
"""
from __future__ import annotations

import secrets
from typing import Any, Callable

from django.conf import settings

from playground.runs.models import Run, new_owner_token, token_digest


def same_secret(given: str | None, kept: str) -> bool:
    """Compare in constant time; any text may be given (compare_digest refuses non-ASCII str)."""
    if not given or not kept:
        return False
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), kept.encode("utf-8", "surrogatepass"))


def session_key(session) -> str:
    if not session.session_key:
        session.save()
    return session.session_key


def client_address(request) -> str:
    """The caller's address: the socket's peer, or the last address the proxy named in its header.

    The last one is the address the proxy itself saw; earlier ones are whatever the
    client claimed. The header is read only when LAYERLAB_CLIENT_ADDRESS_HEADER names it.
    """
    header = settings.LAYERLAB_CLIENT_ADDRESS_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return (request.META.get("REMOTE_ADDR") or "")[:64]


def owner_fields(request) -> tuple[dict, str]:
    """The fields that make the requesting visitor the owner of a new run, and its new owner token."""
    token = new_owner_token()
    fields = {"owner_token_digest": token_digest(token), "client_address": client_address(request)}
    if request.user.is_authenticated:
        fields.update(owner=request.user, session_key="")
    else:
        fields.update(owner=None, session_key=session_key(request.session))
    return fields, token


def owner_filter(request) -> dict:
    """The runs of the requesting visitor's account or session (a request without a session has none)."""
    if request.user.is_authenticated:
        return {"owner": request.user}
    return {"owner__isnull": True, "session_key": request.session.session_key or "-"}


def bearer_token(request) -> str | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _owns(user, session, run: Run) -> bool:
    if run.owner_id is not None:
        return bool(user is not None and user.is_authenticated and user.pk == run.owner_id)
    key = session.session_key if session is not None else None
    return same_secret(key, run.session_key)


def holds_owner_token(request, run: Run) -> bool:
    token = bearer_token(request)
    return token is not None and same_secret(token_digest(token), run.owner_token_digest)


def owns(request, run: Run) -> bool:
    return holds_owner_token(request, run) or _owns(request.user, request.session, run)


def token_matches(run: Run, token: str | None) -> bool:
    return same_secret(token, run.share_token)


# Rules (user, run) -> bool that let someone other than its owner see a run that is not
# private; apps add theirs when they load (the classroom's, in classroom/apps.py).
VIEWER_RULES: list[Callable[[Any, Run], bool]] = []


def open_to(run: Run, token: str | None) -> bool:
    """Whether anyone may see the run without being looked up: it is public, or shared by link and the token came."""
    return run.visibility == "public" or (run.visibility == "link" and token_matches(run, token))


def others_may_view(user, run: Run, token: str | None) -> bool:
    """Whether someone who does not own the run may see it (may query the database)."""
    if run.visibility == "private":
        return False
    if open_to(run, token):
        return True
    return user is not None and user.is_authenticated and any(rule(user, run) for rule in VIEWER_RULES)


def may_view(request, run: Run, token: str | None) -> bool:
    return owns(request, run) or others_may_view(request.user, run, token)


def owns_scope(scope, run: Run) -> bool:
    """Whether a WebSocket's visitor owns the run."""
    return _owns(scope.get("user"), scope.get("session"), run)


def may_view_scope(scope, run: Run, token: str | None) -> bool:
    """Whether a WebSocket's visitor may watch the run, its user already in the scope.

    It may query the database (the viewer rules): call it from a thread (database_sync_to_async);
    ``runs/consumers.may_watch`` does, looking the user up only when it must.
    """
    return owns_scope(scope, run) or others_may_view(scope.get("user"), run, token)
