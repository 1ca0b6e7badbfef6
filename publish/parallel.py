"""Turn a build's tasks (an edition's HTML, its PDF and EPUB, its press PDF…) into artifacts, in worker
processes or in this one, and hand them back in the tasks' order.

A task runs the same way in either: its layout cache entries, warnings and errors come back with its
artifacts, and only this process writes (the cache, build/), so a build killed at any write is one
process killed. Workers are forked once the book is loaded (they share it, nothing is pickled but
the artifacts) and run a task in their main thread: the processor-time limits (SIGPROF), the memory
cap and the confined reads of publish.guard, styles and fetch hold there as here.
"""
from __future__ import annotations

import multiprocessing
import os
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .diagnostics import BookError


@dataclass(frozen=True)
class Task:
    edition: str  # the output folder: "en", "ja", "en-ja"
    lang: str | None  # the translation of a bilingual edition, else None
    kind: str  # "html", "pdf" (the PDF edition, and the EPUB when asked: it needs the layout), "print", "epub"
    outputs: tuple  # (format, path in the generation) for each artifact the task makes
    steps: tuple  # progress lines, in order


@dataclass
class Result:
    artifacts: list = field(default_factory=list)  # (path in the generation, bytes or {name: bytes})
    pending: list = field(default_factory=list)  # layout cache entries to write
    made: list = field(default_factory=list)  # layouts made (not served by the cache)
    warnings: list = field(default_factory=list)  # (message, category name)
    errors: list = field(default_factory=list)  # diagnostics of a BookError
    seconds: float = 0.0  # processor time


_context: dict = {}  # set before the workers are forked: root, loaded, styles, render


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _bound_to(parent: int) -> None:
    """A worker dies with the build (killed or not): it never outlives it holding its output pipes."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _run(task: Task) -> Result:
    result = Result()
    start = time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _context["render"](task, result)
        except BookError as exc:
            result.artifacts, result.errors = [], list(exc.diagnostics)
    result.warnings = [(str(w.message), w.category.__name__) for w in caught]
    result.seconds = time.process_time() - start
    return result


def run_all(tasks: list, context: dict, jobs: int, progress):
    """Each task's Result, in the order of `tasks`; each task's progress lines shown, in that order,
    when its result is taken (a task done early is shown without waiting)."""
    _context.clear()
    _context.update(context)
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            for step in task.steps:
                progress(step)
            yield task, _run(task)
        return
    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork"),
                             initializer=_bound_to, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_run, task) for task in tasks]
        for task, future in zip(tasks, futures):
            for step in task.steps:
                progress(step)
            yield task, future.result()
