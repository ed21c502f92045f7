"""Running slow work (PDFs, big lists) off the screen's thread, and getting the result back on it.

    task = run_task(build_pdf, run_id, path, on_done=self._pdf_ready, on_error=self._show_error)

`fn` runs on a QThreadPool thread; `on_done(result)` or `on_error(exception)` then run on the GUI thread
(Qt queues signals emitted from the worker to the receiver's thread). A task is kept alive until it has
reported, so callers need not hold on to it. Pass `with_progress=True` and `fn` receives a
`progress(done, total)` keyword argument whose calls reach `task.signals.progress` on the GUI thread.

While any task is running, Python's automatic garbage collection is paused (and restored when the last
task has reported). Otherwise the collector can run on a pool thread and destroy Qt widgets there,
which crashes the app; reference counting still frees everything that is not in a cycle meanwhile.
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

_running: set["Task"] = set()
_gc_was_enabled = False


class TaskSignals(QObject):
    """What a task reports: its result, the exception it raised, or progress.

    Lives on the GUI thread (created there), so its own slots run there too.
    """

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, task: "Task") -> None:
        super().__init__()
        self.task = task

    @Slot(object)
    def release(self, _value: object) -> None:
        # Let every slot queued for this report run first, then let the task go.
        task = self.task
        QTimer.singleShot(0, lambda: _finished(task))


def _finished(task: "Task") -> None:
    """On the GUI thread, after the task's report was delivered: forget it; collect garbage again if idle."""
    if task in _running:
        _running.discard(task)
        if not _running and _gc_was_enabled:
            gc.enable()


class Task(QRunnable):
    """A call of `fn(*args, **kwargs)` to run on a thread pool; see the module docstring."""

    def __init__(self, fn: Callable[..., Any], *args: Any, with_progress: bool = False, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; _running keeps it alive until it reports
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = TaskSignals(self)
        if with_progress:
            self.kwargs["progress"] = self.signals.progress.emit

    def run(self) -> None:  # on a pool thread
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # handed to the GUI thread, which shows it in plain words
            log.warning("Background task %s failed: %s", getattr(self.fn, "__name__", self.fn), type(exc).__name__)
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(result)


def pool() -> QThreadPool:
    """The shared thread pool."""
    return QThreadPool.globalInstance()


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    with_progress: bool = False,
    thread_pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Task:
    """Start `fn(*args, **kwargs)` on the pool; connect `on_done` / `on_error`; return the task."""
    task = Task(fn, *args, with_progress=with_progress, **kwargs)
    if on_done is not None:
        task.signals.finished.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    task.signals.finished.connect(task.signals.release)
    task.signals.failed.connect(task.signals.release)
    global _gc_was_enabled
    if not _running:
        _gc_was_enabled = gc.isenabled()
        gc.disable()  # see the module docstring: never collect Qt objects on a pool thread
    _running.add(task)
    (thread_pool or pool()).start(task)
    return task


def running() -> int:
    """How many started tasks have not reported yet."""
    return len(_running)


def wait_for_all(msecs: int = 30000) -> bool:
    """Wait for every pool thread to finish (on quit, so a PDF is never left half-written)."""
    return pool().waitForDone(msecs)
