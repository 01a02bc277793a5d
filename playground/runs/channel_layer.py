"""The embedded default's channel layer: Channels' in-memory layer, swept for expired messages once a second.

Channels sweeps every queue and group on every receive, so with hundreds of
watchers each message costs a pass over all of them. Expiry only needs a sweep
now and then.
"""
from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

SWEEP_SECONDS = 1.0


class SweepingInMemoryLayer(InMemoryChannelLayer):
    _swept = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            super()._clean_expired()
