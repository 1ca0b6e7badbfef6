"""Turn work that runs too long into an exception: a wall-clock deadline for layout and templates.

A book's CSS, SVG or templates can make WeasyPrint or Jinja run for hours; `deadline` interrupts
the work (SIGALRM in the main thread) and raises `Overtime`, which the pipeline reports as a
diagnostic. Deadlines nest: the inner one never extends the outer. Off the main thread (where no
signal can be delivered) the work runs unguarded.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager


class Overtime(Exception):
    def __init__(self, what: str, seconds: float):
        super().__init__(f"{what} took longer than {seconds:g} s")
        self.what, self.seconds = what, seconds


def seconds_for(name: str, default: float) -> float:
    """A limit, overridable by the environment (PUBLISH_<NAME>_TIMEOUT, in seconds)."""
    value = os.environ.get(f"PUBLISH_{name.upper()}_TIMEOUT", "")
    try:
        return float(value) if float(value) > 0 else default
    except ValueError:
        return default


@contextmanager
def deadline(seconds: float, what: str):
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    limit = min(seconds, outer_left) if outer_left else seconds

    def expire(signum, frame):
        raise Overtime(what, seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # give the outer deadline what is left of it (at least a tick, so it still fires)
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 0.001))
