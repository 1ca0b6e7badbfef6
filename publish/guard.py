"""Turn work that runs too long into an exception: a processor-time deadline for layout and templates.

A book's CSS, SVG or templates can make WeasyPrint or Jinja run for hours; `deadline` interrupts
the work (SIGPROF in the main thread) and raises `Overtime`, which the pipeline reports as a
diagnostic. The limit counts this process's processor time, not the clock: a machine busy with other
work (CI running tests side by side) must not fail a good book. Nothing here waits on the clock:
every file a book names is read without blocking (confine.py), and nothing is fetched over a network. Deadlines nest: the timer is set for the earliest of them, and the Overtime raised is
that deadline's, so an outer limit is never reported as an inner one. Off the main thread (where no
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
        super().__init__(f"{what} took longer than {seconds:g} s of processor time")
        self.what, self.seconds = what, seconds


_active: list[tuple[float, str, float]] = []  # (expires at, in process time; what; seconds), outermost first


def seconds_for(name: str, default: float) -> float:
    """A limit, overridable by the environment (PUBLISH_<NAME>_TIMEOUT, in seconds)."""
    value = os.environ.get(f"PUBLISH_{name.upper()}_TIMEOUT", "")
    try:
        return float(value) if float(value) > 0 else default
    except ValueError:
        return default


def _expire(signum, frame):
    _at, what, seconds = min(_active)
    raise Overtime(what, seconds)


def expired() -> Overtime:
    """The Overtime of the earliest deadline (for work that caught and logged the one raised)."""
    _at, what, seconds = min(_active) if _active else (0, "the work", 0)
    return Overtime(what, seconds)


def _arm() -> None:
    if _active:  # then every 0.1 s of processor time: an Overtime swallowed by the work is raised again
        signal.setitimer(signal.ITIMER_PROF, max(min(_active)[0] - time.process_time(), 0.001), 0.1)
    else:
        signal.setitimer(signal.ITIMER_PROF, 0)


@contextmanager
def deadline(seconds: float, what: str):
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    entry = (time.process_time() + seconds, what, seconds)
    previous = signal.signal(signal.SIGPROF, _expire) if not _active else None
    _active.append(entry)
    _arm()
    try:
        yield
    finally:
        _active.remove(entry)
        _arm()
        if previous is not None:
            signal.signal(signal.SIGPROF, previous)


@contextmanager
def memory_cap(extra: int):
    """Let the work below allocate at most `extra` more bytes of address space (a MemoryError
    beyond), so a template that builds a gigabyte string fails instead of the machine swapping.
    Only the soft limit is changed, and restored after; nothing else runs meanwhile (no subprocess)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        yield
        return
    cap = used + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft < cap:
        yield  # an outer, tighter cap stays
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
