"""Fixed-window request counters per client address and per session (in process: each worker counts its own)."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    def __init__(self, *, per_minute: int, window: float = 60.0) -> None:
        self.per_minute, self.window = per_minute, window
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (and is counted), else the seconds until the window resets."""
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 100_000:
                self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
            start, count = self._counts.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.per_minute:
                return max(1, int(self.window - (now - start)) + 1)
            self._counts[key] = (start, count + 1)
            return 0
