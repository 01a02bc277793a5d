"""An ASGI middleware that refuses request bodies over a size limit with 413, and the JSON error it answers with.

Django under ASGI reads a whole body into a temporary file before any view
runs, with no cap of its own, so the limit has to sit in front of it.
"""
from __future__ import annotations

import json


class BodyTooLarge(Exception):
    pass


def error_body(message: str) -> bytes:
    """The API's JSON error (docs/api.md) for an answer given before Django sees the request."""
    return json.dumps({"errors": [{"path": "", "message": message}]}).encode()


class BodySizeLimit:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_bytes:
            return await self.refuse(send)
        seen = 0
        started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
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
                await self.refuse(send)

    async def refuse(self, send):
        limit = f"{self.max_bytes / 1_048_576:.1f} MB" if self.max_bytes >= 1_048_576 else f"{self.max_bytes // 1024} KB"
        body = error_body(f"the request is too large; the limit is {limit}")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
