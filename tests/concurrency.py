"""Real concurrent writers for the tests: threads released together, each on its own database
connection (use them in transactional tests)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_together(workers: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Starts every worker at the same instant; returns their results and exceptions."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcome = work()
            with lock:
                results.append(outcome)
        except BaseException as error:  # every failure must reach the assertion
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
