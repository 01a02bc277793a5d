"""Reads Vite's build manifest so pages can load their built entry (script, CSS, preloads)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

BUILD_URL = "build/"


def manifest_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / "build" / ".vite" / "manifest.json"


@dataclass
class EntryAssets:
    """The files a page needs for one entry, as paths under STATIC_URL."""

    script: str
    styles: list[str] = field(default_factory=list)
    preloads: list[str] = field(default_factory=list)


_cache: dict[str, tuple[float, dict]] = {}


def load_manifest() -> dict | None:
    """The manifest, re-read when the file changes; None when the front end is not built."""
    path = manifest_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    manifest = json.loads(path.read_text())
    _cache[str(path)] = (mtime, manifest)
    return manifest


def entry_key(name: str) -> str:
    """A page's entry in the manifest: the `main.ts` of its folder in frontend/src/."""
    return f"src/{name}/main.ts"


def entry_assets(name: str) -> EntryAssets | None:
    """The script, styles and preloads of the page's entry, or None when it is not built."""
    manifest = load_manifest()
    if manifest is None:
        return None
    key = entry_key(name)
    chunk = manifest.get(key)
    if chunk is None:
        return None
    styles: list[str] = []
    preloads: list[str] = []
    seen: set[str] = set()

    def visit(chunk_key: str, is_entry: bool) -> None:
        if chunk_key in seen:
            return
        seen.add(chunk_key)
        item = manifest[chunk_key]
        for css in item.get("css", []):
            if BUILD_URL + css not in styles:
                styles.append(BUILD_URL + css)
        if not is_entry:
            preloads.append(BUILD_URL + item["file"])
        for imported in item.get("imports", []):
            visit(imported, False)

    visit(key, True)
    return EntryAssets(script=BUILD_URL + chunk["file"], styles=styles, preloads=preloads)
