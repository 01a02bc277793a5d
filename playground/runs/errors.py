"""API errors as students read them: where the problem is, and what is wrong, in words."""
from __future__ import annotations

from typing import Any, Iterable


class ApiError(Exception):
    def __init__(self, status: int, path: str = "", message: str = "", errors: list[dict[str, str]] | None = None):
        super().__init__(message or (errors and errors[0]["message"]) or "")
        self.status = status
        self.errors = errors if errors is not None else [{"path": path, "message": message}]


def pydantic_errors(errors: Iterable[dict[str, Any]], prefix: str = "", drop: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Turn pydantic's error list into {path, message} pairs a student can act on."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if str(part) not in drop]
        path = ".".join(([prefix] if prefix else []) + loc)
        name = loc[-1] if loc else "the request"
        message = str(error.get("msg", "is not valid"))
        if error.get("type") == "extra_forbidden":
            message = f"{name} is not a setting here; check its spelling"
        elif error.get("type") == "missing":
            message = f"{name} is required"
        else:
            message = f"{name}: {message[0].lower() + message[1:]}" if message else f"{name} is not valid"
        out.append({"path": path, "message": message})
    return out or [{"path": prefix, "message": "the request is not valid"}]
