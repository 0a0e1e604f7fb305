"""The worker processes that derive a large file's rows ahead of its import: a worker that dies
or never starts leaves the rest to the import, Ctrl+C on the command line is the import's alone,
and a worker ends with the process that started it, even one killed outright."""

from __future__ import annotations

import multiprocessing.spawn
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from crm_desktop.transfer import ahead

ROOT = Path(__file__).resolve().parents[2]


def _values_killing_the_worker(cells: Sequence[str]) -> dict[str, Any]:
    if cells[0] == "dies":
        os._exit(3)
    return {"name": cells[0]}


def _ctrl_c_as_the_worker_sees_it(cells: Sequence[str]) -> dict[str, Any]:
    return {"name": cells[0], "notes": str(signal.getsignal(signal.SIGINT))}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ahead, "AHEAD_FROM", 1)
    monkeypatch.setattr(ahead, "CHUNK_ROWS", 2)


def wait_for(done: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.usefixtures("small_chunks")
def test_a_worker_that_dies_leaves_the_rest_to_the_import() -> None:
    rows = [["甲"], ["乙"], ["dies"], ["丙"], ["丁"], ["戊"], ["己"], ["庚"], ["辛"], ["壬"]]
    with ahead.DerivedAhead("customers", "CN", rows, _values_killing_the_worker, workers=1) as run:
        # The worker derived the first chunk, then died on the second: every chunk queued
        # behind it has failed before the import asks for its first row.
        wait_for(lambda: all(future.done() for _chunk, future in run._pending))
        first = run.for_row(0)  # its answer came; what the import asks next would be queued
        assert first is not None and first.cleaned["name"] == "甲"
        assert first.search_text.startswith("甲")
        assert run.for_row(1) is not None
        # The chunk with the row that killed it never comes, nor any after: the import's.
        assert [run.for_row(at) for at in range(2, 10)] == [None] * 8
    assert run.derived == 2


@pytest.mark.usefixtures("small_chunks")
def test_a_worker_that_cannot_start_leaves_it_all_to_the_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A frozen app's executable gone, say: no interpreter to run a worker with.
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", "/nonexistent/python")
    rows = [["甲"], ["乙"], ["丙"]]
    with ahead.DerivedAhead("customers", "CN", rows, _values_killing_the_worker, workers=1) as run:
        assert [run.for_row(at) for at in range(3)] == [None] * 3
    assert run.derived == 0


def _slow_on_its_first_row(cells: Sequence[str]) -> dict[str, Any]:
    if cells[0] == "甲":
        time.sleep(10)  # busy long after the import asks for the part
    return {"name": cells[0]}


@pytest.mark.usefixtures("small_chunks")
def test_the_import_derives_a_part_itself_rather_than_wait_for_a_worker() -> None:
    rows = [["甲"], ["乙"], ["丙"], ["丁"], ["戊"], ["己"]]
    with ahead.DerivedAhead("customers", "CN", rows, _slow_on_its_first_row, workers=1) as run:
        # The worker is on the first part (or still starting): the import derives it.
        assert [run.for_row(at) for at in range(2)] == [None, None]
        assert run.derived == 0
    # A part given up (cancelled before a worker took it) is no answer of the workers': they
    # are still not up, and a part queued for them is still not waited for.
    given_up: Future[list[Any]] = Future()
    given_up.cancel()
    run._worker_answered(given_up)
    assert not run._answered.is_set()
    # Asked to, it waits: the tests' way to know a worker derived the rows.
    rows = [["乙"], ["丙"]]
    with ahead.DerivedAhead(
        "customers", "CN", rows, _slow_on_its_first_row, workers=1, wait=True
    ) as run:
        row = run.for_row(0)
        assert row is not None and row.cleaned["name"] == "乙"


@pytest.mark.usefixtures("small_chunks")
def test_ctrl_c_on_the_command_line_is_the_imports_alone() -> None:
    rows = [["甲"], ["乙"]]
    before = signal.getsignal(signal.SIGINT)
    with ahead.DerivedAhead(
        "customers", "CN", rows, _ctrl_c_as_the_worker_sees_it, workers=1, wait=True
    ) as run:
        row = run.for_row(0)
    assert row is not None and row.cleaned["notes"] == str(signal.SIG_IGN)
    assert signal.getsignal(signal.SIGINT) is before  # the import still answers it


KILLED_PARENT = """
import os, signal, sys, time
from crm_desktop.transfer import ahead

def slow(cells):
    time.sleep(60)
    return {"name": cells[0]}

if __name__ == "__main__":
    ahead.AHEAD_FROM = 1
    run = ahead.DerivedAhead("customers", "CN", [["甲"]], slow, workers=1)
    while not run._pool._processes:
        time.sleep(0.05)
    time.sleep(1)  # its worker is deriving
    print(*run._pool._processes, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_worker_ends_with_the_process_that_started_it_even_one_killed(tmp_path: Path) -> None:
    script = tmp_path / "killed.py"
    script.write_text(textwrap.dedent(KILLED_PARENT), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    workers = [int(pid) for pid in done.stdout.split()]
    assert workers

    def gone() -> bool:
        for pid in workers:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            status = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
            if status != "Z":  # a zombie has ended: only its entry waits to be read
                return False
        return True

    wait_for(gone, 20)
