"""An anonymous visitor's runs and uploads become their account's when they sign up or sign in."""
from __future__ import annotations

from playground.files.models import Upload
from playground.runs.models import Run


def claim_session(session_key: str | None, user) -> int:
    """Moves what the session owned to the user; answers how many runs moved."""
    if not session_key:
        return 0
    moved = Run.objects.filter(owner__isnull=True, session_key=session_key).update(owner=user, session_key="")
    Upload.objects.filter(owner__isnull=True, session_key=session_key).update(owner=user, session_key="")
    return moved
