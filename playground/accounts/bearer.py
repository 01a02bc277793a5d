"""The one place a request's ``Authorization: Bearer`` token is read.

A personal API token (``llp_...``) signs the request in as its user, for every
route, as the session would; a token it does not know is a 401, because a revoked
token must not quietly become an anonymous visitor. Any other Bearer token is left
for the run and upload routes, which compare it with their owner tokens
(``playground/runs/access.py``).
"""
from __future__ import annotations

from django.utils import timezone

from playground.accounts.models import TOKEN_PREFIX, ApiToken, api_token_digest
from playground.runs.access import bearer_token
from playground.runs.errors import error_response

REVOKED = ("this API token is not valid (it may have been revoked); make a new one on /account/tokens "
           "and send it as Authorization: Bearer <token>")


def token_user(token: str):
    found = ApiToken.objects.select_related("user").filter(digest=api_token_digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.last_used is None or (now - found.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=found.pk).update(last_used=now)
    return found.user


class PersonalTokens:
    """Middleware after AuthenticationMiddleware: a personal token makes the request its user's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = bearer_token(request)
        if token is not None and token.startswith(TOKEN_PREFIX):
            user = token_user(token)
            if user is None:
                response = error_response(401, REVOKED)
                response["WWW-Authenticate"] = "Bearer"
                return response
            request.user = user
            request.api_token = True  # no CSRF token needed: a foreign page cannot send this header
        return self.get_response(request)
