"""What every API request must pass before its view runs: CSRF on cookie writes, JSON for JSON bodies.

A foreign web page can make a visitor's browser send a "simple" POST (a form, or
text/plain) without asking this site first. It cannot send ``application/json``
or an ``Authorization`` header without a CORS preflight, which this site never
grants. So every operation that reads a JSON body refuses any other content type
(415), and writes that ride on the session cookie need the CSRF token.
"""
from __future__ import annotations

import functools
import inspect

from django.conf import settings
from django.http import HttpRequest, QueryDict
from ninja.utils import check_csrf

from playground.runs.errors import ApiError, error_response


class Visitor:
    """Anyone may call the API. Writes that ride on a session cookie must carry the CSRF token."""

    def __call__(self, request: HttpRequest):
        if getattr(request, "api_token", False):
            return True  # a personal API token in the Authorization header: no foreign page can send one
        cookie_write = request.method not in ("GET", "HEAD", "OPTIONS") and settings.SESSION_COOKIE_NAME in request.COOKIES
        if cookie_write:
            # The API reads no forms: the token comes from the X-CSRFToken header only, and a body
            # that claims to be a form (one without a boundary, say) is never parsed for it.
            request.POST = QueryDict()
            if check_csrf(request) is not None:
                raise ApiError(403, "", "the request is missing its CSRF token; reload the page and try again")
        return True


def takes_json_body(operation) -> bool:
    return any(model.__ninja_param_source__ == "body" for model in operation.models)


def not_json(request: HttpRequest) -> str | None:
    """Why a JSON operation's request body is not sent as JSON, or None.

    Only the transport is checked here, before who is asking: what the body says is
    validated after, so a stranger learns nothing from a run's 400s (they get 404).
    """
    if request.body and request.content_type != "application/json":
        sent = request.content_type or "no Content-Type"
        return f"send the body as JSON with the header Content-Type: application/json (this request sent {sent})"
    return None


def require_json_body(run):
    """Ninja "view" decorator: an operation that reads a JSON body first checks that the request sent one.

    It wraps the operation's ``run``, so it sees requests before authentication and parsing.
    """
    operation = getattr(run, "__self__", None)
    if operation is None or not takes_json_body(operation):
        return run

    if inspect.iscoroutinefunction(run):  # an async operation (short jobs): its run is awaited

        @functools.wraps(run)
        async def checked_async(request, *args, **kwargs):
            problem = not_json(request)
            if problem is not None:
                return error_response(415, problem)
            return await run(request, *args, **kwargs)

        return checked_async

    @functools.wraps(run)
    def checked(request, *args, **kwargs):
        problem = not_json(request)
        if problem is not None:
            return error_response(415, problem)
        return run(request, *args, **kwargs)

    return checked
