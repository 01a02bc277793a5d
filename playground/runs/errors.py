"""API errors as students read them: where the problem is, and what is wrong, in words.

Every error answer of the API, whoever makes it (a view, the router, Django, a
crash), is ``{"errors": [{"path", "message"}]}``; ``error_response`` builds it.
"""
from __future__ import annotations

import logging
import secrets
from typing import Any, Iterable

from django.http import JsonResponse

log = logging.getLogger("playground.errors")


class ApiError(Exception):
    def __init__(self, status: int, path: str = "", message: str = "", errors: list[dict[str, str]] | None = None):
        super().__init__(message or (errors and errors[0]["message"]) or "")
        self.status = status
        self.errors = errors if errors is not None else [{"path": path, "message": message}]


def error_response(status: int, message: str, path: str = "", headers: dict[str, str] | None = None) -> JsonResponse:
    return JsonResponse({"errors": [{"path": path, "message": message}]}, status=status, headers=headers)


def log_server_error(request, error: BaseException | None = None) -> str:
    """Log the error (by default the exception being handled) under a new id, and return the id.

    The visitor is shown only the id; whoever runs the server finds the traceback by it.
    """
    error_id = secrets.token_hex(4)
    log.error("error id %s: %s %s failed", error_id, request.method, request.path, exc_info=error or True)
    return error_id


def server_error_message(error_id: str) -> str:
    return f"something went wrong on the server; please try again later (error id {error_id})"


def pydantic_errors(errors: Iterable[dict[str, Any]], prefix: str = "", drop: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Turn pydantic's error list into {path, message} pairs a student can act on."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if str(part) not in drop]
        path = ".".join(([prefix] if prefix else []) + loc)
        name = loc[-1] if loc else "the request"
        message = str(error.get("msg", "is not valid"))
        kind = error.get("type")
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            # A tagged union (a run request's task): the tag is what is wrong.
            tag = error.get("ctx", {}).get("discriminator", "").strip("'")
            path = ".".join(([prefix] if prefix else []) + loc + [tag])
            message = (f"{tag} is required" if kind == "union_tag_not_found" else
                       f"there is no {tag} {error['ctx']['tag']!r}; choose one of {error['ctx']['expected_tags']}")
        elif not loc and kind in ("model_attributes_type", "model_type", "dict_type"):
            message = "the request body must be a JSON object ({...})"
        elif kind == "extra_forbidden":
            message = f"{name} is not a setting here; check its spelling"
        elif kind == "missing":
            message = f"{name} is required"
        else:
            message = f"{name}: {message[0].lower() + message[1:]}" if message else f"{name} is not valid"
        out.append({"path": path, "message": message})
    return out or [{"path": prefix, "message": "the request is not valid"}]
