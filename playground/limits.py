"""How large a request body may be, per address, and the 413 that refuses one over it.

One table of limits (``BodyLimits``: a default, and larger ones for the few
addresses that take files) serves both places that count a body's bytes: the
server in front of Daphne (``playground/server.py``), which refuses a body while
it is still arriving, before Twisted spools it to disk, and the ASGI middleware
below, for servers without that guard (``runserver``, tests). Django under ASGI
reads a whole body into a temporary file before any view runs, with no cap of
its own, so the limit has to sit in front of it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field


class BodyTooLarge(Exception):
    pass


def error_body(message: str) -> bytes:
    """The API's JSON error (docs/api.md) for an answer given before Django sees the request."""
    return json.dumps({"errors": [{"path": "", "message": message}]}).encode()


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size // 1024} KB"


@dataclass(frozen=True)
class BodyLimits:
    """The largest body a request may send: ``default``, or the limit of its path in ``paths``."""

    default: int
    paths: dict[str, int] = field(default_factory=dict)

    def for_path(self, path: str) -> int:
        """The limit for a request path (query string excluded); a trailing slash does not matter."""
        return self.paths.get(path.rstrip("/") or "/", self.default)

    def refusal(self, path: str) -> str:
        return f"the request is too large; the limit here is {megabytes(self.for_path(path))}"

    @classmethod
    def from_settings(cls) -> BodyLimits:
        """JSON bodies are small; uploads (``POST /api/uploads``) have their own, larger limit."""
        from django.conf import settings

        return cls(settings.LAYERLAB_MAX_BODY_BYTES, {"/api/uploads": settings.LAYERLAB_MAX_UPLOAD_BYTES})


class BodySizeLimit:
    """ASGI middleware: a body over its path's limit is answered 413, by its declared length or as it arrives."""

    def __init__(self, app, limits: BodyLimits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limits.for_path(scope.get("path", "/"))
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return await self.refuse(send, scope)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self.refuse(send, scope)

    async def refuse(self, send, scope):
        body = error_body(self.limits.refusal(scope.get("path", "/")))
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
