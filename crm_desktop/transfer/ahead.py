"""A large file's new rows derived in worker processes, ahead of the import that writes them.

Cleaning a row's values, reading its names' pinyin and composing its search text
(services/derived.py) needs nothing from the store, and it is half of an import's time. While
the import checks and writes one part of the file, a worker derives the next parts: the import
hands each row's `CleanedRow` to the writer's `prepare`, which reuses what equals the row's
values as the import reads them and makes every check that reads the store itself. A row a
worker could not derive (a value that is not valid, say) is derived by the import as before,
which says what is wrong with it; a worker that fails leaves the rest to the import too. What
is written is the same either way: only where the time goes changes.

The import never sits idle for a worker. Until the workers have answered once (a new
interpreter loading the models and pypinyin takes a few seconds), and whenever they are behind,
the import derives the part it has reached itself; it waits only for a part a worker is on.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from crm_desktop.services.derived import CleanedRow, derive

log = logging.getLogger(__name__)

# Below this many rows the import derives them itself: starting a worker (a new interpreter
# that loads the models and pypinyin) and taking its rows back cost more than they save. On
# two cores, an import of customers into a new profile, without and with one worker: 20,000
# rows 6.5-6.7 s and 7.0-8.4 s, 35,000 rows 11.6-12.3 s and 11.5-12.0 s, 100,000 rows
# 40.8-49.0 s and 29.9-33.0 s (2026-12-03, in turn).
AHEAD_FROM = 40_000
CHUNK_ROWS = 2_000
# At most this many processes: the import itself keeps one core busy writing.
MOST_WORKERS = 3

# What a row's cells are as the writer's values (the import's own reading, with no store).
RowValues = Callable[[Sequence[str]], dict[str, Any]]

# Set in each worker process by _start.
_job: tuple[RowValues, str, str] | None = None


class DerivedAhead:
    """`for_row(i)`: the CleanedRow a worker made of the file's row i, or None. Rows are asked
    for in order; a context manager, which stops the workers when the import ends."""

    def __init__(
        self,
        entity: str,
        region: str,
        rows: Sequence[Sequence[str]],
        values_of: RowValues,
        *,
        workers: int | None = None,
        wait: bool = False,
    ) -> None:
        """`wait`: take every part from the workers, however long they take (the tests' way to
        know which process derived a row)."""
        if workers is None:
            workers = min(_cores() - 1, MOST_WORKERS)
        self._chunks = [rows[at : at + CHUNK_ROWS] for at in range(0, len(rows), CHUNK_ROWS)]
        self._pool: ProcessPoolExecutor | None = None
        # (chunk, its rows as a worker derives them), in order.
        self._pending: deque[tuple[int, Future[list[CleanedRow | None]]]] = deque()
        self._next_chunk = 0
        self._chunk_at = -1
        self._current: list[CleanedRow | None] = []
        self.derived = 0  # rows a worker derived (the tests' evidence that workers ran)
        self._wait = wait
        # Set (from the pool's own thread) once a worker has answered: the workers are up.
        self._answered = threading.Event()
        if workers < 1 or len(rows) < AHEAD_FROM:
            return
        self._workers = workers
        try:
            # "spawn" rather than fork: the window's process holds an open SQLite connection,
            # Qt state and threads, none of which a forked copy may touch. Making the pool may
            # start multiprocessing's resource tracker, a process too, which may fail as well.
            self._pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(values_of, entity, region),
            )
        except Exception:
            _say_workers_stopped()
            return
        self._submit()

    def __enter__(self) -> DerivedAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            # Not waited for: a cancelled import ends at once, and a worker ends after the chunk
            # it is on (or when this process does).
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._pending.clear()

    def for_row(self, index: int) -> CleanedRow | None:
        chunk, at = divmod(index, CHUNK_ROWS)
        if chunk != self._chunk_at:
            self._current = self._take(chunk)
            self._chunk_at = chunk
        return self._current[at] if at < len(self._current) else None

    def _submit(self) -> None:
        # A bounded queue: the workers run ahead of the import, but not by the whole file,
        # whose derived rows would all wait in memory.
        try:
            with _children_ignore_ctrl_c():
                while self._pool is not None and (
                    self._next_chunk < len(self._chunks)
                    and len(self._pending) < 2 * self._workers + 1
                ):
                    chunk = self._chunks[self._next_chunk]
                    future = self._pool.submit(_derive_chunk, chunk)
                    future.add_done_callback(self._worker_answered)
                    self._pending.append((self._next_chunk, future))
                    self._next_chunk += 1
        except Exception:  # a worker that died, or never started: the import derives the rest
            _say_workers_stopped()
            self.close()

    def _worker_answered(self, future: Future[list[CleanedRow | None]]) -> None:
        if not future.cancelled():  # a part given up was never a worker's answer
            self._answered.set()

    def _take(self, chunk: int) -> list[CleanedRow | None]:
        while self._pending and self._pending[0][0] < chunk:
            self._pending.popleft()[1].cancel()  # no new record in it: nothing to take
        self._next_chunk = max(self._next_chunk, chunk)  # nor in those never submitted
        self._submit()
        if self._pool is None or not self._pending or self._pending[0][0] != chunk:
            return []
        future = self._pending.popleft()[1]
        # A part no worker is on yet: this process would wait for longer than it takes to
        # derive it (a worker is on a part the import no longer needs, or still starting, its
        # parts queued and marked running before it can run them).
        behind = not future.running() or not self._answered.is_set()
        if not future.done() and behind and not self._wait:
            future.cancel()
            self._submit()
            return []
        try:
            derived = future.result()
        except Exception:  # a worker that died: the import derives the rest
            _say_workers_stopped()
            self.close()
            return []
        self._submit()
        self.derived += sum(row is not None for row in derived)
        return derived


def _say_workers_stopped() -> None:
    log.warning("workers deriving rows stopped; the import derives them", exc_info=True)


def _cores() -> int:
    """The cores this process may run on (its affinity, where the system says), else all."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl+C: the terminal sends it to every process of
    the command line, and a worker still starting would print its own traceback before the
    import says it stopped. The import alone answers it, and its workers end with it. (Only
    the main thread may set a signal's handler; the window starts its import on the storage
    thread, where no Ctrl+C comes.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _start(values_of: RowValues, entity: str, region: str) -> None:
    global _job
    _job = (values_of, entity, region)
    parent = multiprocessing.parent_process()
    if parent is not None:
        # A worker ends with the import's process, even one killed outright, rather than wait
        # for chunks that will never come.
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _derive_chunk(rows: Sequence[Sequence[str]]) -> list[CleanedRow | None]:
    assert _job is not None, "a worker derives after _start"
    values_of, entity, region = _job
    derived: list[CleanedRow | None] = []
    for cells in rows:
        try:
            row = derive(entity, values_of(cells), region)
        except Exception:  # the import, deriving the row itself, says what is wrong
            row = None
        # A row refused for its identifiers is refused after the checks that read the store
        # (services/derived.py): the import derives it again to find which comes first.
        derived.append(None if row is None or row.identifier_problem else row)
    return derived
