"""Failed sign-ins, counted per name and address and per address alone, in Django's cache.

With the embedded default's local-memory cache the count is per web process; with
several web nodes, point CACHES at Redis so that they share it.
"""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"signin-fail:{username.lower()[:150]}:{address}", f"signin-fail-address:{address}"


def refused(username: str, address: str) -> str | None:
    """Why another try is refused now, or None."""
    pair, whole = _keys(username, address)
    minutes = max(1, settings.LAYERLAB_SIGNIN_WINDOW // 60)
    if (cache.get(pair) or 0) >= settings.LAYERLAB_SIGNIN_ATTEMPTS:
        return f"too many failed sign-ins for this name; wait {minutes} minutes, or reset your password"
    if (cache.get(whole) or 0) >= settings.LAYERLAB_SIGNIN_ATTEMPTS * 4:
        return f"too many failed sign-ins from your network address; wait {minutes} minutes"
    return None


def failed(username: str, address: str) -> None:
    for key in _keys(username, address):
        if cache.add(key, 1, settings.LAYERLAB_SIGNIN_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, settings.LAYERLAB_SIGNIN_WINDOW)


def succeeded(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
