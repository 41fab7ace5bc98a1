"""The year-ahead run (scripts/test, libfaketime) must not make waiting cost CPU.

libfaketime 0.9.10's "monotonic fix" turns a thread's timed wait for the GIL into a loop that
burns CPU while it waits: the year-ahead suite took half as long again and its UI tests began to
miss their deadlines. scripts/test switches it off (FAKETIME_FORCE_MONOTONIC_FIX=0); this test
runs in both of the suite's runs and fails in the second if the switch is lost. In the first run
(no libfaketime) it holds trivially, as it should."""

import sys
import threading
import time


def _cpu_spent_waiting_for_the_gil() -> float:
    """CPU seconds a thread spends while another holds the GIL for about 0.1 s.

    The waiter wakes (from an event) while the holder is busy in pure Python, so it has to
    wait for the GIL; a wait that sleeps costs microseconds, one that spins costs milliseconds."""
    go = threading.Event()
    spent: list[float] = []

    def holder() -> None:
        go.set()
        end = time.perf_counter() + 0.1
        while time.perf_counter() < end:
            pass

    def waiter() -> None:
        start = time.thread_time()
        go.wait()
        spent.append(time.thread_time() - start)

    threads = [threading.Thread(target=waiter), threading.Thread(target=holder)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return spent[0]


def test_waiting_for_the_gil_costs_no_cpu() -> None:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # the default; a test before this one may have changed it
    try:
        spent = sum(_cpu_spent_waiting_for_the_gil() for _ in range(5))
    finally:
        sys.setswitchinterval(interval)
    assert spent < 0.004, f"threads waiting for the GIL spent {spent * 1000:.1f} ms of CPU"
