"""A fixed number of turns running at once in a process, the rest served strictly in arrival order.

threading.Semaphore lets a newcomer take a freed slot before a thread that has waited (and the one woken then
queues again at the back), so under load some turns would wait far longer than others. Here a freed slot is
handed to the longest waiting turn."""

from __future__ import annotations

import threading
from collections import deque


class TurnSlots:
    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("at least one turn slot is needed")
        self._free = slots
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()

    def __enter__(self) -> None:
        with self._guard:
            if self._free and not self._waiting:
                self._free -= 1
                return
            handover = threading.Lock()
            handover.acquire()
            self._waiting.append(handover)
        handover.acquire()  # released by the turn that hands its slot over

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1
