"""Content addresses: the same task and normalised configuration always give the same slug."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any


def canonical(task: str, config: dict[str, Any]) -> bytes:
    """One byte string per meaning: keys sorted, no spaces, numbers as JSON writes them."""
    return json.dumps({"task": task, "config": config}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def slug_of(task: str, config: dict[str, Any]) -> str:
    """12 URL-safe characters: the first 72 bits of the content's SHA-256."""
    return base64.urlsafe_b64encode(hashlib.sha256(canonical(task, config)).digest()[:9]).decode()
