"""How fast the window is on a big profile, beside a raw SQLite baseline on the same store.

    .venv/bin/python bench/bench_window.py [--customers 100000] [--profile DIR]

Builds (once) a demo profile, then in this one process measures: the main window until its
customers table shows filled rows; each keystroke of search-as-you-type, Chinese, digits,
Latin and pinyin; a column sort, in the customers list and by name in the others; peak memory
(before the pinyin searches too: the first one loads pypinyin's dictionaries). The baseline is
a plain `SELECT ... ORDER BY name LIMIT 200` with the sqlite3 module.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # crm_desktop from this checkout, as the other benches
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from crm_desktop.storage.store import STORE_FILE  # noqa: E402


def wait_until(app: QApplication, done, timeout: float = 30.0) -> float:
    """Run the real event loop until `done()`; seconds taken.

    The loop stays idle between checks, as it is while a user types, so the storage thread
    is not fighting a busy GUI thread for the interpreter lock.
    """
    start = time.perf_counter()
    loop = QEventLoop()
    timer = QTimer(interval=1)

    def check() -> None:
        if done() or time.perf_counter() - start > timeout:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    check()
    if not done():
        loop.exec()
    timer.stop()
    if not done():
        raise TimeoutError("the window did not finish in time")
    return time.perf_counter() - start


def raw_baseline(store: Path, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        connection = sqlite3.connect(store)
        connection.execute(
            "SELECT id, name, grade, phone, email, industry FROM customers"
            " WHERE deleted_at IS NULL ORDER BY name LIMIT 200"
        ).fetchall()
        connection.close()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def print_searches(measured: list[tuple]) -> None:
    for query, shown, loaded, count in measured:
        if shown is None:
            print(f"  {query!r:10} -> {count:6} rows: same search as before, no query")
            continue
        print(
            f"  {query!r:10} -> {count:6} rows: first screen {shown * 1000:6.1f} ms,"
            f" whole list {loaded * 1000:6.1f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    profile = args.profile or Path(tempfile.gettempdir()) / f"crm-bench-{args.customers}"
    if not (profile / STORE_FILE).exists():
        # In its own process, so this one's peak memory is the window's alone.
        started = time.perf_counter()
        demo = [sys.executable, "-m", "crm_desktop", "--profile", str(profile), "demo"]
        subprocess.run([*demo, "--customers", str(args.customers)], check=True)
        print(f"demo data, {args.customers} customers: {time.perf_counter() - started:.1f} s")

    baseline = raw_baseline(profile / STORE_FILE)
    app = QApplication(sys.argv)
    from crm_desktop.app import build_main_window
    from crm_desktop.views.search_box import SEARCH_DELAY_MS

    started = time.perf_counter()
    window = build_main_window(profile)
    window.show()
    model = window.models["customers"]
    view = window.views["customers"]

    def first_rows_shown() -> bool:
        return model.rowCount() > 0 and model.data(model.index(0, 0)) is not None

    # The view asks for the first page itself when it paints.
    wait_until(app, first_rows_shown)
    opened = time.perf_counter() - started

    def settled() -> bool:
        return window.runner.pending() == 0 and (model.rowCount() == 0 or first_rows_shown())

    wait_until(app, settled)
    rows = model.rowCount()

    # Typed into the real search box, so the pause that starts a query is part of the time.
    moments: dict[str, list[float]] = {"shown": [], "loaded": []}
    for each in window.models.values():
        each.shown.connect(lambda: moments["shown"].append(time.perf_counter()))
        each.loaded.connect(lambda: moments["loaded"].append(time.perf_counter()))
    search_timer = window.search.timer

    def search_settled() -> bool:
        return not search_timer.isActive() and window.runner.pending() == 0

    def type_searches(queries: tuple[str, ...]) -> list[tuple]:
        measured = []
        for query in queries:
            for times in moments.values():
                times.clear()
            start = time.perf_counter()
            window.search.setText(query)
            wait_until(app, search_settled)
            shown = moments["shown"][-1] - start if moments["shown"] else None
            loaded = moments["loaded"][-1] - start if moments["loaded"] else None
            current = window.models[window.tabs.current_entity()]
            measured.append((query, shown, loaded, current.rowCount()))
        window.search.setText("")
        wait_until(app, search_settled)
        return measured

    keystrokes = type_searches(
        ("华", "华强", "华强电", "1", "13", "138", "1380", "13800", "Nor", "North")
    )
    other_lists = {}
    for tab in (1, 2, 3):
        window.tabs.setCurrentIndex(tab)
        wait_until(app, search_settled)
        other_lists[window.tabs.current_entity()] = type_searches(("王", "华强电", "13", "North"))
    window.tabs.setCurrentIndex(0)
    wait_until(app, search_settled)

    def sort_by(entity: str, key: str, order: Qt.SortOrder) -> tuple:
        shown = window.models[entity]

        def sorted_() -> bool:
            return window.runner.pending() == 0 and (
                shown.rowCount() == 0 or shown.data(shown.index(0, 0)) is not None
            )

        for times in moments.values():
            times.clear()
        start = time.perf_counter()
        header = window.views[entity].horizontalHeader()
        header.setSortIndicator(shown.spec.column_keys().index(key), order)
        wait_until(app, sorted_)
        return (
            f"{entity} {key}",
            order.name,
            moments["shown"][-1] - start,
            moments["loaded"][-1] - start,
        )

    sorts = []
    for key in ("phone", "grade", "industry", "owner", "next_followup_at", "name"):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            sorts.append(sort_by("customers", key, order))
    # Names and titles sort by pinyin in the other lists too (models/pinyin.sort_key).
    for tab, key in ((1, "name"), (1, "customer"), (2, "title"), (2, "customer"), (3, "title")):
        window.tabs.setCurrentIndex(tab)
        wait_until(app, search_settled)
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            sorts.append(sort_by(window.tabs.current_entity(), key, order))
    for tab in (1, 2, 3):  # back to each list's default sort, which the window keeps
        window.tabs.setCurrentIndex(tab)
        entity = window.tabs.current_entity()
        sort_by(entity, window.models[entity].spec.default_sort, Qt.SortOrder.AscendingOrder)
    window.tabs.setCurrentIndex(0)
    wait_until(app, search_settled)
    header = view.horizontalHeader()
    header.setSortIndicator(model.spec.column_keys().index("name"), Qt.SortOrder.AscendingOrder)
    wait_until(app, settled)

    peak_before_pinyin_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Pinyin: whole, in words, by initials (two of them: the short index), a second reading
    # (长城 changcheng as zhangcheng), mixed with Chinese (the first such search in a process
    # loads pypinyin: about half a second, once).
    pinyin_keystrokes = type_searches(
        ("hua", "huaq", "huaqiang", "hua qiang", "hqdz", "hq", "zhangcheng", "华q", "华qiang")
    )

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    window.deleteLater()
    app.processEvents()

    print(f"rows in the customers table: {rows}")
    print(f"baseline, raw SELECT ... ORDER BY name LIMIT 200: {baseline * 1000:.1f} ms")
    print(f"main window until filled customers table:        {opened * 1000:.0f} ms")
    print(f"search keystrokes (typing pause {SEARCH_DELAY_MS} ms included):")
    print_searches(keystrokes)
    worst_shown = max(shown for _, shown, _, _ in keystrokes if shown is not None)
    worst_loaded = max(loaded for _, _, loaded, _ in keystrokes if loaded is not None)
    print(f"search-as-you-type, worst first screen:          {worst_shown * 1000:.1f} ms")
    print(f"search-as-you-type, worst whole list:            {worst_loaded * 1000:.1f} ms")
    print("pinyin search keystrokes:")
    print_searches(pinyin_keystrokes)
    worst_pinyin = max(shown for _, shown, _, _ in pinyin_keystrokes if shown is not None)
    print(f"pinyin search, worst first screen:               {worst_pinyin * 1000:.1f} ms")
    for key, order, shown, loaded in sorts:
        print(
            f"  sort by {key:24} {order:16}: first screen {shown * 1000:6.1f} ms,"
            f" whole list {loaded * 1000:6.1f} ms"
        )
    for entity, measured in other_lists.items():
        print(f"search keystrokes in the {entity} list:")
        print_searches(measured)
    worst_sort = max(loaded for *_, loaded in sorts)
    print(f"column sort, worst whole list:                   {worst_sort * 1000:.1f} ms")
    print(f"peak memory before the pinyin searches (max RSS): {peak_before_pinyin_mb:.0f} MB")
    print(f"peak memory (max RSS):                           {peak_mb:.0f} MB")
    app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
