"""Static files go out as production sites send them: compressed, and cached for good when their name has a hash."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli
import pytest
from channels.testing import HttpCommunicator
from whitenoise.compress import Compressor

from playground.static import StaticFiles
from playground.studio.manifest import entry_key

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = b"export const greeting = 'hello';\n" * 200  # compressible, as built scripts are


async def not_static(scope, receive, send):
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b"not a static file"})


@pytest.fixture(params=[False, True], ids=["indexed", "looked-up"])
def static_app(request, settings, tmp_path):
    """StaticFiles over a built-looking directory: files indexed at start-up (DEBUG off) or looked up per request."""
    assets = tmp_path / "build" / "assets"
    assets.mkdir(parents=True)
    (assets / "basics-AbC123xy.js").write_bytes(SCRIPT)
    (tmp_path / "build" / "notes.txt").write_bytes(b"plain words " * 100)
    for path in (assets / "basics-AbC123xy.js", tmp_path / "build" / "notes.txt"):
        Compressor(quiet=True).compress(str(path))  # what `layerlab setup` does after a build
    settings.STATICFILES_DIRS = [tmp_path]
    settings.DEBUG = request.param
    return StaticFiles(not_static)


async def get(app, path: str, **headers: str) -> dict:
    raw = [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    response = await HttpCommunicator(app, "GET", path, headers=raw).get_response(timeout=5)
    response["headers"] = {name.decode().lower(): value.decode() for name, value in response["headers"]}
    return response


async def test_a_browser_that_takes_brotli_gets_brotli(static_app):
    response = await get(static_app, "/static/build/assets/basics-AbC123xy.js", accept_encoding="gzip, deflate, br")
    assert response["status"] == 200
    assert response["headers"]["content-encoding"] == "br"
    assert "accept-encoding" in response["headers"]["vary"].lower()
    assert brotli.decompress(response["body"]) == SCRIPT
    assert len(response["body"]) < len(SCRIPT) / 10


async def test_a_browser_that_takes_gzip_gets_gzip_and_one_that_takes_neither_the_file(static_app):
    zipped = await get(static_app, "/static/build/assets/basics-AbC123xy.js", accept_encoding="gzip")
    assert zipped["headers"]["content-encoding"] == "gzip" and gzip.decompress(zipped["body"]) == SCRIPT
    plain = await get(static_app, "/static/build/assets/basics-AbC123xy.js")
    assert "content-encoding" not in plain["headers"] and plain["body"] == SCRIPT
    assert plain["headers"]["content-type"].startswith("text/javascript")


async def test_hashed_build_files_are_cached_for_good_and_others_revalidated(static_app, settings):
    hashed = await get(static_app, "/static/build/assets/basics-AbC123xy.js")
    assert hashed["headers"]["cache-control"] == "max-age=315360000, public, immutable"
    other = await get(static_app, "/static/build/notes.txt")
    assert "immutable" not in other["headers"]["cache-control"]
    assert other["headers"]["cache-control"] == f"max-age={0 if settings.DEBUG else 60}, public"
    again = await get(static_app, "/static/build/notes.txt", if_none_match=other["headers"]["etag"])
    assert again["status"] == 304 and again["body"] == b""


async def test_what_is_not_a_static_file_goes_on_to_the_site(static_app):
    for path in ("/static/build/missing.js", "/static/../settings.py", "/basics"):
        response = await get(static_app, path)
        assert response["body"] == b"not a static file", path


def built_entry_files() -> list[str]:
    manifest = ROOT / "static" / "build" / ".vite" / "manifest.json"
    if not manifest.exists():
        pytest.skip("the front end is not built: run ./layerlab setup")
    entry = json.loads(manifest.read_text())[entry_key("basics")]
    return [entry["file"], *entry.get("css", []), *(json.loads(manifest.read_text())[i]["file"] for i in entry.get("imports", []))]


async def test_the_basics_page_files_go_out_compressed_and_immutable_from_the_site():
    from playground.asgi import application

    for name in built_entry_files():
        content = (ROOT / "static" / "build" / name).read_bytes()
        response = await get(application, f"/static/build/{name}", accept_encoding="gzip, deflate, br, zstd")
        assert response["status"] == 200, name
        assert response["headers"]["cache-control"] == "max-age=315360000, public, immutable", name
        if len(content) < 1024:
            continue  # too small to gain from compression: sent as it is
        assert response["headers"].get("content-encoding") == "br", f"{name} has no Brotli copy: run ./layerlab setup"
        assert brotli.decompress(response["body"]) == content


async def test_swagger_ui_is_served_from_the_project():
    from playground.asgi import application

    response = await get(application, "/static/ninja/swagger-ui-bundle.js")
    assert response["status"] == 200 and b"SwaggerUI" in response["body"]
