import threading
import time

import pytest

from agent.turn_slots import TurnSlots


def wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_a_freed_slot_goes_to_the_turn_that_waited_longest():
    slots = TurnSlots(1)
    entered: list[int] = []

    def turn(n: int) -> None:
        with slots:
            entered.append(n)

    slots.__enter__()  # a turn is running
    threads = []
    for n in range(6):
        threads.append(threading.Thread(target=turn, args=(n,)))
        threads[-1].start()
        wait_for(lambda n=n: len(slots._waiting) == n + 1)  # queued before the next one arrives
    slots.__exit__(None, None, None)
    for thread in threads:
        thread.join(timeout=5)
    assert entered == list(range(6))
    with slots:  # every slot came back
        pass


def test_no_more_turns_run_at_once_than_there_are_slots():
    slots = TurnSlots(2)
    inside = peak = 0
    guard = threading.Lock()

    def turn() -> None:
        nonlocal inside, peak
        with slots:
            with guard:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.005)
            with guard:
                inside -= 1

    threads = [threading.Thread(target=turn) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert peak == 2 and inside == 0


def test_a_turn_that_raises_gives_its_slot_back():
    slots = TurnSlots(1)
    with pytest.raises(RuntimeError), slots:
        raise RuntimeError("the turn failed")
    done = threading.Event()
    threading.Thread(target=lambda: (slots.__enter__(), done.set())).start()
    assert done.wait(5)


def test_at_least_one_slot():
    with pytest.raises(ValueError):
        TurnSlots(0)
