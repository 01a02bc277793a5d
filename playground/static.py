"""/static/ in the embedded default: WhiteNoise decides what to send, an ASGI app sends it.

WhiteNoise, as Django sites use it in production, picks the Brotli or gzip copy
that ``layerlab setup`` made beside each built file when the browser accepts it,
answers ETag and If-Modified-Since with 304, serves ranges, and sets the cache
headers: a year and ``immutable`` for Vite's hashed files under
``static/build/assets/`` (a new build gives them new names), a minute for the
rest (no caching with DEBUG on). WhiteNoise speaks WSGI and sync Django
middleware only, so this small ASGI face on its file index keeps static files
off the thread pool that requests and the database share.
"""
from __future__ import annotations

import os

from django.conf import settings
from django.contrib.staticfiles import finders
from whitenoise.base import WhiteNoise

IMMUTABLE = r"^/static/build/assets/"
CHUNK = 64 * 1024


def static_index(prefix: str) -> WhiteNoise:
    """Every file the staticfiles finders know (the build, Swagger UI's, the admin's), by URL, with its copies."""
    index = WhiteNoise(None, max_age=0 if settings.DEBUG else 60, immutable_file_test=IMMUTABLE)
    paths: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            storage_prefix = (getattr(storage, "prefix", None) or "").strip("/")
            url = prefix + (storage_prefix + "/" if storage_prefix else "") + path.replace("\\", "/")
            paths.setdefault(url, storage.path(path))  # the first finder's file wins, as in Django
    stats = {path: os.stat(path) for path in paths.values()}
    for url, path in paths.items():
        index.add_file_to_dictionary(url, path, stat_cache=stats)
    return index


class StaticFiles:
    """Serves ``STATIC_URL`` from the finders' files; everything else goes to ``app``.

    With DEBUG on, files are looked up at each request, so a rebuild of the front end
    shows without a restart.
    """

    def __init__(self, app):
        self.app = app
        self.prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        self.refresh = settings.DEBUG
        self.index = static_index(self.prefix)

    def find(self, url: str):
        if not WhiteNoise.url_is_canonical(url):
            return None
        if not self.refresh:
            return self.index.files.get(url)
        path = finders.find(url[len(self.prefix):])
        return self.index.get_static_file(path, url) if path else None

    async def __call__(self, scope, receive, send):
        static_file = None
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            static_file = self.find(scope["path"])
        if static_file is None:
            return await self.app(scope, receive, send)
        request_headers = {"HTTP_" + name.decode("latin-1").upper().replace("-", "_"): value.decode("latin-1")
                           for name, value in scope["headers"]}
        response = static_file.get_response(scope["method"], request_headers)
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.headers]
        await send({"type": "http.response.start", "status": int(response.status), "headers": headers})
        if response.file is None:
            return await send({"type": "http.response.body", "body": b""})
        try:
            while chunk := response.file.read(CHUNK):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            response.file.close()
        await send({"type": "http.response.body", "body": b""})
