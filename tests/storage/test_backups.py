"""Backups: checked copies, retention, restore with the waiting changes kept, a crash mid-way,
and a damaged store recovered (real SQLite files throughout)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop import profile as profiles
from crm_desktop.models.entities import Customer, OutboxEntry
from crm_desktop.profile import Profile, open_profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage import backups, search_index, suspended_indexes
from crm_desktop.storage.errors import LOCKED, StoreError, classify
from crm_desktop.storage.store import STORE_FILE, Store, sqlite_connection
from crm_desktop.sync import link, pull, push
from tests.storage.test_store import revisions_oldest_first

LINK = {link.SERVER_KEY: "host=192.0.2.1 dbname=crm", link.LOGIN_KEY: "rob"}


# -- helpers -----------------------------------------------------------------------------------


def customer_names(profile: Profile) -> dict[str, str]:
    with profile.store.read() as session:
        return {c.id: c.name for c in session.scalars(select(Customer))}


def outbox(profile: Profile) -> list[tuple[int, str, str, str]]:
    with profile.store.read() as session:
        return [
            (e.seq, e.entity, e.row_id, e.op)
            for e in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def found_by_search(profile: Profile, text: str) -> list[str]:
    with profile.store.read() as session:
        return list_ids(session, TABLES["customers"], ListQuery(search=text))


def names_in(directory: Path) -> set[str]:
    """The customers' names in the profile folder's store (opened and closed again)."""
    profile = open_profile(directory)
    try:
        with profile.store.read() as session:
            return set(session.scalars(select(Customer.name)))
    finally:
        profile.close()


def closed_with_customers(profile: Profile, name: str, count: int = 300) -> Path:
    """`count` customers named `name` (with the number for {}), the profile closed and its
    log folded into the file; returns the profile folder."""
    writer = profile.writer()
    for number in range(count):
        writer.create("customers", {"name": name.format(f"{number:03}"), "phone": "13800138000"})
    profile.close()
    settle(profile.directory)
    return profile.directory


def damage(path: Path, pages: list[int]) -> None:
    """Overwrite whole pages (numbered from 1) with garbage: the same garbage in every run, so
    that what can still be read of a page never depends on chance."""
    with closing(sqlite3.connect(path)) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * size)
            file.write(random.Random(page).randbytes(size))


def pages_of(path: Path, table: str) -> list[int]:
    with closing(sqlite3.connect(path)) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]


def page_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA page_count").fetchone()[0]


def settle(directory: Path) -> None:
    """Fold the log into the file, as a closed window leaves it."""
    with closing(sqlite3.connect(directory / STORE_FILE)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def backup_named(directory: Path, when: datetime, label: str) -> Path:
    folder = directory / "backups"
    folder.mkdir(exist_ok=True)
    path = folder / f"crm-{when.strftime('%Y%m%d-%H%M%S-%f')}-{label}.sqlite3"
    path.write_bytes(b"")
    return path


# -- the names the layers above own ------------------------------------------------------------


def test_setting_names_are_the_ones_sync_and_profile_use() -> None:
    assert backups.CURSOR_KEYS == (pull.CURSOR_KEY, pull.EPOCH_KEY)
    assert backups.SERVER_KEY == link.SERVER_KEY
    assert backups.PUSHED_THROUGH_KEY == push.PUSHED_THROUGH_KEY
    assert backups.USER_KEY == profiles.USER_KEY


# -- retention ---------------------------------------------------------------------------------


def test_retention_keeps_seven_days_and_four_weeks_of_each_kind(tmp_path: Path) -> None:
    now = datetime(2026, 3, 31, 18, 0)
    made = {}
    for age in range(60):  # two backups a day for 60 days
        for hour in (9, 17):
            when = datetime(2026, 3, 31, hour) - timedelta(days=age)
            made[(age, hour)] = backup_named(tmp_path, when, "daily")
    update = backup_named(tmp_path, now - timedelta(days=50), "before-0016")
    older_update = backup_named(tmp_path, now - timedelta(days=55), "before-0015")
    damaged = backup_named(tmp_path, now - timedelta(days=59), "damaged")
    manual = backup_named(tmp_path, now - timedelta(days=2, hours=1), "manual")

    removed = set(backups.prune(tmp_path, now))

    kept = {b.path for b in backups.list_backups(tmp_path)}
    daily_kept = sorted(age for (age, hour), path in made.items() if path in kept)
    # The newest (17:00) of each of the last 7 days; then the newest of each of the 4
    # calendar weeks (Monday to Sunday) before: of the week of 24 March (day 7), of 16-22
    # March (day 9), of 9-15 (day 16) and of 2-8 March (day 23).
    assert daily_kept == [0, 1, 2, 3, 4, 5, 6, 7, 9, 16, 23]
    assert all(made[(age, 17)] in kept for age in daily_kept)
    assert made[(0, 9)] in removed and made[(40, 17)] in removed
    # An update's copy is its own kind: the newest stays however old; older ones go.
    assert update in kept and older_update in removed
    assert damaged in kept and manual in kept
    assert not any(path.exists() for path in removed)


def test_every_copy_from_before_a_restore_stays_for_the_days_kept(tmp_path: Path) -> None:
    """Two restores in a day (the wrong copy, then the right one): the first copy from before
    a restore is the only one of what the user had, and a quit's pruning keeps it."""
    now = datetime(2026, 3, 31, 18, 0)
    first = backup_named(tmp_path, now - timedelta(hours=3), "before-restore")
    second = backup_named(tmp_path, now - timedelta(hours=2), "before-restore")
    week_old = [
        backup_named(tmp_path, now - timedelta(days=10, hours=hours), "before-restore")
        for hours in (1, 2)
    ]
    removed = set(backups.prune(tmp_path, now))
    assert first.exists() and second.exists()
    # Older than the days kept, a week keeps its newest, as for every kind.
    assert week_old[0].exists() and removed == {week_old[1]}


def test_day_after_day_the_weekly_copies_grow_old_as_promised(tmp_path: Path) -> None:
    """One backup a day for 90 days, pruned after each as a quit does: four weekly copies
    stay beside the seven daily ones (not the last eight days only)."""
    first = datetime(2026, 1, 1, 17)
    for day in range(90):
        made = first + timedelta(days=day)
        backup_named(tmp_path, made, "daily")
        backups.prune(tmp_path, made + timedelta(minutes=1))
    today = (first + timedelta(days=89)).date()  # 31 March, as above
    ages = sorted((today - b.made_at.date()).days for b in backups.list_backups(tmp_path))
    assert ages == [0, 1, 2, 3, 4, 5, 6, 7, 9, 16, 23]


def test_a_backup_dated_in_the_future_does_not_push_out_todays(tmp_path: Path) -> None:
    """Made once while the clock said 2030: kept, and each real copy stays beside it."""
    future = backup_named(tmp_path, datetime(2030, 1, 1, 12), "daily")
    now = datetime(2026, 3, 31, 18)
    today = backup_named(tmp_path, now - timedelta(hours=1), "daily")
    yesterday = backup_named(tmp_path, now - timedelta(days=1), "daily")
    assert backups.prune(tmp_path, now) == []
    assert future.exists() and today.exists() and yesterday.exists()


def test_the_only_backup_is_never_deleted(tmp_path: Path) -> None:
    old = backup_named(tmp_path, datetime(2025, 1, 1, 12), "daily")
    assert backups.prune(tmp_path, datetime(2026, 6, 1)) == []
    assert old.exists()


def test_backup_on_quit_at_most_once_a_day(profile: Profile) -> None:
    directory = profile.directory
    profile.close()
    day = datetime(2026, 4, 2, 18, 30)
    first = backups.backup_on_quit(directory, now=day)
    assert first is not None and first.exists()
    assert backups.backup_on_quit(directory, now=day + timedelta(hours=3)) is None
    second = backups.backup_on_quit(directory, now=day + timedelta(days=1))
    assert second is not None
    listed = backups.list_backups(directory)
    assert [b.kind for b in listed] == ["daily", "daily"]
    assert listed[0].path == second and listed[0].size == second.stat().st_size > 0
    # A whole store of its own: no log beside it, and it opens as a profile.
    assert not Path(f"{second}-wal").exists()
    with closing(sqlite3.connect(second)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- checked copies ----------------------------------------------------------------------------


def test_a_copy_that_fails_its_check_is_deleted_and_reported(profile: Profile) -> None:
    directory = closed_with_customers(profile, "Customer {}")
    path = directory / STORE_FILE
    middle = page_count(path) // 2
    damage(path, [middle, middle + 1, middle + 2])

    with pytest.raises(StoreError, match="failed its check"):
        backups.back_up(directory)
    assert list((directory / "backups").iterdir()) == []  # no copy, no .part


def test_backup_to_a_file_of_ones_choice(profile: Profile, tmp_path: Path) -> None:
    profile.writer().create("customers", {"name": "Acme"})
    target = tmp_path / "elsewhere" / "my-copy.sqlite3"
    made = backups.back_up(profile.directory, out=target)  # while the store is open
    assert made == target
    backups.check_copy(target)
    assert backups.list_backups(profile.directory) == []


# -- restore -----------------------------------------------------------------------------------


def test_restore_puts_the_copy_back_and_keeps_the_current_store_aside(profile: Profile) -> None:
    directory = profile.directory
    writer = profile.writer()
    kept = writer.create("customers", {"name": "Kept Ltd"}).primary_id
    copy = backups.back_up(directory)
    writer.create("customers", {"name": "Later Ltd"})
    profile.close()

    report = backups.restore(directory, copy)

    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {kept}  # a local profile: the copy as it was
        assert found_by_search(reopened, "Later") == []
    finally:
        reopened.close()
    assert report.kept_aside is not None and report.kept_aside.exists()
    with closing(sqlite3.connect(report.kept_aside)) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM customers")}
    assert names == {"Kept Ltd", "Later Ltd"}
    assert [b.kind for b in backups.list_backups(directory)] == ["before_restore", "manual"]
    assert list(directory.glob(f"{backups.STAGING_DIR}*")) == []


def test_unsynced_changes_survive_a_restore(profile: Profile) -> None:
    directory = profile.directory
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    profile.store.set_setting(pull.CURSOR_KEY, "1:1:")
    profile.store.set_setting(pull.EPOCH_KEY, "e1")
    writer = profile.writer()
    pushed = writer.create("customers", {"name": "Pushed Co"}).primary_id
    edited = writer.create("customers", {"name": "Old Name"}).primary_id
    copy = backups.back_up(directory)
    # After the copy: a sync pushed both (their entries left the outbox) ...
    with profile.store.write() as session:
        session.query(OutboxEntry).delete()
    profile.store.set_setting(push.PUSHED_THROUGH_KEY, "2")
    # ... then the user went on working offline.
    writer.update("customers", edited, {"name": "New Name 银河"})
    added = writer.create("customers", {"name": "Added Later"}).primary_id
    contact = writer.create("contacts", {"customer_id": added, "name": "张伟"}).primary_id
    waiting = outbox(profile)
    assert len(waiting) == 3
    profile.store.set_setting(profiles.LANGUAGE_KEY, "zh_CN")
    profile.close()

    report = backups.restore(directory, copy)

    assert report.linked and report.unsynced == 3 and report.records_kept >= 3
    restored = open_profile(directory)
    try:
        # Exactly what was waiting, under the same numbers (their push receipts' keys); the
        # copy's two entries were pushed since and are not sent again.
        assert outbox(restored) == waiting
        names = customer_names(restored)
        assert names[edited] == "New Name 银河" and names[added] == "Added Later"
        assert names[pushed] == "Pushed Co"
        assert found_by_search(restored, "银河") == [edited]
        assert found_by_search(restored, "张伟") == [added]
        assert restored.store.setting(pull.CURSOR_KEY) is None  # the next sync is full
        assert restored.store.setting(pull.EPOCH_KEY) is None
        assert restored.store.setting(link.SERVER_KEY) == LINK[link.SERVER_KEY]
        assert restored.store.setting(profiles.LANGUAGE_KEY) == "zh_CN"
        assert restored.store.setting(push.PUSHED_THROUGH_KEY) == "2"
        # A new change is numbered above every number either store handed out.
        restored.writer().update("contacts", contact, {"title": "经理"})
        assert outbox(restored)[-1][0] > max(seq for seq, *_ in waiting)
    finally:
        restored.close()


def test_a_local_profile_keeps_the_copys_own_outbox(profile: Profile) -> None:
    directory = profile.directory
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    copy_outbox = outbox(profile)
    profile.writer().create("customers", {"name": "Second"})
    profile.close()
    report = backups.restore(directory, copy)
    assert not report.linked
    restored = open_profile(directory)
    try:
        assert outbox(restored) == copy_outbox
        assert set(customer_names(restored)) == {first}
    finally:
        restored.close()


def test_restore_refuses_what_is_not_a_good_copy(profile: Profile, tmp_path: Path) -> None:
    directory = profile.directory
    profile.writer().create("customers", {"name": "Mine"})
    profile.close()
    before = (directory / STORE_FILE).read_bytes()

    with pytest.raises(StoreError, match="There is no file"):
        backups.restore(directory, tmp_path / "missing.sqlite3")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello, not a database " * 100)
    with pytest.raises(StoreError, match="is not a CRM Desktop data file"):
        backups.restore(directory, text_file)
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="is not a CRM Desktop data file"):
        backups.restore(directory, other)
    newer = backups.back_up(directory, out=tmp_path / "newer.sqlite3")
    with closing(sqlite3.connect(newer)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StoreError, match="newer version"):
        backups.restore(directory, newer)
    damaged = backups.back_up(directory, out=tmp_path / "damaged.sqlite3")
    damage(damaged, [2, 3, 4, 5])
    with pytest.raises(StoreError, match="is damaged"):
        backups.restore(directory, damaged)

    assert (directory / STORE_FILE).read_bytes() == before
    assert not (directory / "backups").exists() or not any((directory / "backups").iterdir())


def test_an_old_copy_is_brought_up_to_date(profile: Profile, tmp_path: Path) -> None:
    directory = profile.directory
    old = tmp_path / "old"
    store = Store(old)
    old.mkdir()
    store.migrate(revisions_oldest_first()[0])
    store.close()
    profile.close()
    report = backups.restore(directory, old / STORE_FILE)
    assert report.restored_from == old / STORE_FILE
    reopened = Store(directory)
    try:
        assert reopened.revision() == reopened.head()
    finally:
        reopened.close()


def test_a_store_in_use_is_not_replaced(profile: Profile) -> None:
    directory = profile.directory
    copy = backups.back_up(directory)
    with profile.store.read() as session:  # a reader holds a connection open
        session.scalar(select(Customer.id))
        with pytest.raises(StoreError, match="busy in another program"):
            backups.restore(directory, copy)
    profile.close()


def test_killed_just_before_the_swap_leaves_the_old_store_whole(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = profile.directory
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    second = profile.writer().create("customers", {"name": "Second"}).primary_id
    profile.close()

    def crash() -> None:
        raise OSError("the power went")

    monkeypatch.setattr(backups, "_before_replace", crash)
    with pytest.raises(OSError):
        backups.restore(directory, copy)
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first, second}
    finally:
        reopened.close()
    assert not backups.is_damaged(directory)


SCRIPT = """
import os, signal, sys
from pathlib import Path
from crm_desktop.storage import backups
point = sys.argv[3]
def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
if point == "before_replace":
    backups._before_replace = kill
else:
    real = backups._merge
    def merge_then_die(*args, **kwargs):
        real(*args, **kwargs)
        kill()
    backups._merge = merge_then_die
backups.restore(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def killed_running(script: str, *arguments: object) -> None:
    """Run a restore script in a process of its own, which kills itself where it says."""
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == -9, done.stderr


@pytest.mark.parametrize("point", ["after_merge", "before_replace"])
def test_a_process_killed_mid_restore_leaves_the_old_store_whole(
    profile: Profile, point: str
) -> None:
    directory = profile.directory
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    second = profile.writer().create("customers", {"name": "Second"}).primary_id
    profile.close()
    killed_running(SCRIPT, directory, copy, point)
    assert not backups.is_damaged(directory)
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first, second}
        assert len(outbox(reopened)) == 3  # the local user, and both customers
    finally:
        reopened.close()
    # The half-built store is cleared by the next restore, which goes through.
    report = backups.restore(directory, copy)
    assert report.unsynced == 3
    assert list(directory.glob(f"{backups.STAGING_DIR}*")) == []


WAITING_SCRIPT = """
import sys, time
from pathlib import Path
from crm_desktop.storage import backups
directory, copy, go = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
real = backups._merge
def merge_slowly(*args, **kwargs):
    real(*args, **kwargs)
    (directory / "merged").touch()
    while not go.exists():
        time.sleep(0.05)
backups._merge = merge_slowly
print(backups.restore(directory, copy).unsynced)
"""


def test_two_restores_at_once_one_is_refused_and_nothing_is_lost(profile: Profile) -> None:
    directory = profile.directory
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    second = profile.writer().create("customers", {"name": "Second"}).primary_id
    profile.close()
    go = directory / "go"
    other = subprocess.Popen(
        [sys.executable, "-c", WAITING_SCRIPT, str(directory), str(copy), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        deadline = datetime.now() + timedelta(seconds=60)
        while not (directory / "merged").exists():
            assert other.poll() is None, other.communicate()
            assert datetime.now() < deadline
            time.sleep(0.05)
        with pytest.raises(StoreError, match="Another CRM Desktop is restoring"):
            backups.restore(directory, copy)
        with pytest.raises(StoreError, match="Another CRM Desktop is restoring"):
            backups.recover(directory)
        go.touch()
        out, err = other.communicate(timeout=120)
    finally:
        go.touch()
        other.wait(timeout=120)
    assert other.returncode == 0, err
    assert out.split() == ["3"]
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first, second}  # the waiting one kept
        assert len(outbox(reopened)) == 3
    finally:
        reopened.close()
    assert list(directory.glob(f"{backups.STAGING_DIR}*")) == []
    backups.restore(directory, copy)  # the lock was let go


def test_nothing_else_opens_or_writes_the_store_while_a_restore_replaces_it(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From its first read of the store to the swap, a restore keeps everyone else out: a
    profile opened meanwhile (a second window, a scheduled sync) is refused in a sentence, and
    a plain connection cannot write. What they wrote would go into the file being replaced."""
    directory = profile.directory
    copy = backups.back_up(directory)
    profile.close()
    seen: dict[str, object] = {}
    merge = backups._merge

    def merge_while_others_try(*args: object, **kwargs: object) -> None:
        with pytest.raises(StoreError) as refused:
            open_profile(directory)
        seen["open"] = refused.value.message
        with closing(sqlite3.connect(directory / STORE_FILE, timeout=0)) as other:
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                seen["write"] = str(error)
        merge(*args, **kwargs)

    monkeypatch.setattr(backups, "_merge", merge_while_others_try)
    backups.restore(directory, copy)
    assert seen == {"open": backups.BUSY_RESTORING, "write": "database is locked"}
    open_profile(directory).close()  # and once it is done, it opens


def test_a_repair_is_refused_while_the_store_is_open_and_changes_nothing(
    profile: Profile,
) -> None:
    """`backup --check` finding damage while the window is open must not swap the file out from
    under the window: the repair is refused, the store and the backups folder as they were."""
    directory = profile.directory
    profile.writer().create("customers", {"name": "Typed in the window"})
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw:
        before = raw.execute("SELECT count(*) FROM customers").fetchone()
    with pytest.raises(StoreError) as refused:
        backups.recover(directory)
    assert refused.value.message == LOCKED
    assert backups.list_backups(directory) == []
    with profile.store.read() as session:
        assert (session.query(Customer).count(),) == before


# -- a damaged store ---------------------------------------------------------------------------


def make_busy_profile(profile: Profile) -> tuple[list[str], int]:
    """A linked profile with a few hundred customers waiting to be sent."""
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    profile.store.set_setting(pull.CURSOR_KEY, "1:1:")
    writer = profile.writer()
    ids = [
        writer.create("customers", {"name": f"客户 {number:04}", "phone": "13800138000"}).primary_id
        for number in range(400)
    ]
    return ids, len(outbox(profile))


def test_a_damaged_store_is_found_and_replaced_with_what_could_be_read(profile: Profile) -> None:
    directory = profile.directory
    user = profile.user_id
    _ids, waiting = make_busy_profile(profile)
    profile.close()
    settle(directory)
    path = directory / STORE_FILE
    outbox_pages = pages_of(path, "outbox")
    customer_pages = pages_of(path, "customers")
    assert len(outbox_pages) > 4 and len(customer_pages) > 4
    # One page of the outbox's rows and two of the customers'. Pages of rows, chosen by their
    # table, not a tree's inner page: one of those holds the way to hundreds of rows (which
    # ids decide), and whichever page lay in the middle of the file once lost a random share.
    middle = len(customer_pages) // 2
    bad = sorted({outbox_pages[len(outbox_pages) // 2], *customer_pages[middle : middle + 2]})
    damage(path, bad)
    assert backups.is_damaged(directory)

    report = backups.recover(directory)

    assert not backups.is_damaged(directory)
    assert report.restored_from is None  # no backup yet: a fresh store
    assert report.linked and report.incomplete
    assert report.kept_aside is not None and report.kept_aside.exists()
    assert report.kept_aside.parent == directory / "backups"
    # Only the rows on the bad outbox page are lost; the rest of the waiting changes are kept.
    assert waiting - 40 < report.unsynced < waiting
    recovered = open_profile(directory)
    try:
        assert recovered.user_id == user
        assert recovered.store.setting(link.SERVER_KEY) == LINK[link.SERVER_KEY]
        assert recovered.store.setting(pull.CURSOR_KEY) is None
        assert len(outbox(recovered)) == report.unsynced
        # The records the kept changes make are there, as far as they could be read.
        assert len(customer_names(recovered)) > 300
    finally:
        recovered.close()
    assert [b.kind for b in backups.list_backups(directory)] == ["damaged"]


def test_recovery_starts_from_the_newest_good_backup(profile: Profile) -> None:
    directory = profile.directory
    writer = profile.writer()
    kept = writer.create("customers", {"name": "In The Backup"}).primary_id
    backups.back_up(directory, kind=backups.DAILY)
    newer = writer.create("customers", {"name": "After The Backup"}).primary_id
    profile.close()
    settle(directory)
    damage(directory / STORE_FILE, [1])  # even the header: nothing can be read

    report = backups.recover(directory)

    assert report.restored_from is not None and report.kept_aside is not None
    assert report.incomplete
    recovered = open_profile(directory)
    try:
        names = customer_names(recovered)
        assert kept in names and newer not in names
    finally:
        recovered.close()


def test_a_pending_restore_is_done_once(profile: Profile) -> None:
    directory = profile.directory
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    profile.writer().create("customers", {"name": "Second"})
    backups.schedule_restore(directory, copy)
    assert backups.pending_restore(directory) == copy
    profile.close()
    report = backups.run_pending_restore(directory)
    assert report is not None and report.restored_from == copy
    assert backups.pending_restore(directory) is None
    assert backups.run_pending_restore(directory) is None
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first}
    finally:
        reopened.close()


PENDING_SCRIPT = """
import os, signal, sys
from pathlib import Path
from crm_desktop.storage import backups
def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)
if sys.argv[2] == "after_swap":
    real = backups._swap_in
    def swap_then_die(*args, **kwargs):
        real(*args, **kwargs)
        kill()
    backups._swap_in = swap_then_die
else:
    backups._before_replace = kill
backups.run_pending_restore(Path(sys.argv[1]))
"""


def test_a_pending_restore_killed_after_its_swap_is_not_done_again(profile: Profile) -> None:
    """Done again at the next start, it would restore the copy over the store just restored
    and keep that aside as "before restore": what the user had would be in an older copy
    only, which the next quit's pruning could take."""
    directory = profile.directory
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    second = profile.writer().create("customers", {"name": "Second"}).primary_id
    backups.schedule_restore(directory, copy)
    profile.close()
    killed_running(PENDING_SCRIPT, directory, "after_swap")
    assert backups.pending_restore(directory) == copy  # the note outlived the process...
    assert backups.run_pending_restore(directory) is None  # ...the next start: nothing to do
    assert backups.pending_restore(directory) is None
    (aside,) = [b for b in backups.list_backups(directory) if b.kind == backups.BEFORE_RESTORE]
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first}
    finally:
        reopened.close()
    # Kept aside: what the user had before the restore, not the restored copy.
    with closing(sqlite3.connect(f"file:{aside.path}?mode=ro", uri=True)) as connection:
        held = {row_id for (row_id,) in connection.execute("SELECT id FROM customers")}
    assert held == {first, second}


def test_a_pending_restore_killed_before_its_swap_is_done_at_the_next_start(
    profile: Profile,
) -> None:
    directory = profile.directory
    first = profile.writer().create("customers", {"name": "First"}).primary_id
    copy = backups.back_up(directory)
    profile.writer().create("customers", {"name": "Second"})
    backups.schedule_restore(directory, copy)
    profile.close()
    killed_running(PENDING_SCRIPT, directory, "before_swap")
    report = backups.run_pending_restore(directory)  # the next start
    assert report is not None and report.restored_from == copy
    assert backups.pending_restore(directory) is None
    reopened = open_profile(directory)
    try:
        assert set(customer_names(reopened)) == {first}
    finally:
        reopened.close()


def test_settings_about_the_files_schema_are_never_carried(profile: Profile) -> None:
    """A first sync's load killed half-way leaves the contacts' indexes off, noted in a
    setting: carried into the new store, that note would make it unopenable ("index already
    exists"), after a restore as after a recovery."""
    directory = profile.directory
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    writer = profile.writer()
    for number in range(300):
        writer.create("customers", {"name": f"C{number:04} " + "x" * 150})
    copy = backups.back_up(directory)

    def suspend() -> None:
        with profile.store.engine.execution_options(write=True).begin() as connection:
            assert suspended_indexes.suspend_indexes(sqlite_connection(connection), "contacts")

    suspend()
    profile.close()
    backups.restore(directory, copy)
    reopened = open_profile(directory)  # raised "index ... already exists" before
    profile = reopened
    suspend()
    profile.close()
    settle(directory)
    path = directory / STORE_FILE
    damage(path, pages_of(path, "customers")[5:7])
    assert backups.is_damaged(directory)
    backups.recover(directory)
    recovered = open_profile(directory)
    try:
        assert recovered.store.setting(suspended_indexes.SUSPENDED_KEY) is None
        assert recovered.store.setting(search_index.VERSION_KEY) is not None
    finally:
        recovered.close()


def break_an_index(directory: Path) -> None:
    """An index of customers that no longer matches its table (as a torn write to its pages
    leaves it): the quick check does not see it, the integrity check does."""
    with closing(sqlite3.connect(directory / STORE_FILE)) as connection:
        name = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'"
            " AND sql IS NOT NULL AND sql NOT LIKE '%(id DESC)' LIMIT 1"  # not broken before
        ).fetchone()[0]
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = ?",
            (f"CREATE INDEX {name} ON customers(id DESC)", name),
        )
        connection.commit()
    assert not backups.is_damaged(directory)
    assert backups.is_damaged(directory, full=True)


def test_index_damage_the_quick_check_misses(profile: Profile) -> None:
    directory = profile.directory
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    writer = profile.writer()
    for number in range(200):
        writer.create("customers", {"name": f"C{number}", "phone": f"1380013{number:04}"})
    copy = backups.back_up(directory)
    waiting = writer.create("customers", {"name": "Waiting"}).primary_id
    profile.close()
    settle(directory)
    break_an_index(directory)

    # A restore replaces the damaged store all the same, kept aside as it is.
    report = backups.restore(directory, copy)
    assert report.kept_aside is not None and "damaged" in report.kept_aside.name
    assert waiting in names_by_id(directory)
    assert not backups.is_damaged(directory, full=True)

    # The daily backup on a store with a broken index rebuilds the index and goes on.
    settle(directory)
    break_an_index(directory)
    made = backups.backup_on_quit(directory)
    assert made is not None
    backups.check_copy(made)
    assert not backups.is_damaged(directory, full=True)
    assert backups.check_due(directory) == "quick"  # no clean close was noted

    # A backup the user asks for (the window's Back up now, `crm-desktop backup`) while the
    # window may be open rewrites nothing: the next start's full check repairs the index.
    break_an_index(directory)
    backups.note_started(directory, checked=True)
    backups.note_closed_cleanly(directory)
    with pytest.raises(StoreError, match="backup --check"):
        backups.back_up(directory, backups.MANUAL)
    assert backups.is_damaged(directory, full=True)
    assert backups.check_due(directory) == "full"
    assert not backups.check(directory, full=True)  # what the start does: repaired, sound
    assert not backups.is_damaged(directory, full=True)
    assert waiting in names_by_id(directory)


@pytest.mark.parametrize("kind", [backups.DAILY, backups.MANUAL])
def test_a_backup_that_fails_its_check_asks_for_the_full_check(profile: Profile, kind: str) -> None:
    directory = closed_with_customers(profile, "Customer {}")
    backups.note_started(directory, checked=True)
    backups.note_closed_cleanly(directory)
    assert backups.check_due(directory) is None
    damage(directory / STORE_FILE, pages_of(directory / STORE_FILE, "customers")[3:5])

    with pytest.raises(StoreError, match="backup --check"):
        if kind == backups.DAILY:
            backups.backup_on_quit(directory)
        else:
            backups.back_up(directory, kind)
    assert backups.check_due(directory) == "full"
    assert backups.list_backups(directory) == []  # no copy that failed its check is kept


def test_the_check_at_start_runs_only_when_due(profile: Profile) -> None:
    directory = profile.directory
    profile.close()
    assert backups.check_due(directory) == "quick"  # never checked
    backups.note_started(directory, checked=True)
    assert backups.check_due(directory) == "quick"  # not closed cleanly (yet)
    backups.note_closed_cleanly(directory)
    assert backups.check_due(directory) is None
    later = datetime.now() + timedelta(days=backups.CHECK_EVERY_DAYS + 1)
    assert backups.check_due(directory, later) == "quick"
    backups.note_started(directory, checked=False)
    assert backups.check_due(directory) == "quick"  # a session that did not end cleanly
    backups.note_closed_cleanly(directory)
    damage(directory / STORE_FILE, [1])
    assert backups.check_due(directory) == "quick"  # the header cannot be read


def names_by_id(directory: Path) -> set[str]:
    reopened = open_profile(directory)
    try:
        return set(customer_names(reopened))
    finally:
        reopened.close()


def test_a_restore_does_not_take_over_another_machines_server_link(
    profile: Profile, tmp_path: Path
) -> None:
    """Settings describe the device: a copy made on a linked machine, restored into a profile
    working on this computer only, leaves it unlinked (and the report says so)."""
    elsewhere = open_profile(tmp_path / "elsewhere")
    for key, value in LINK.items():
        elsewhere.store.set_setting(key, value)
    elsewhere.writer().create("customers", {"name": "From Elsewhere"})
    copy = backups.back_up(elsewhere.directory)
    elsewhere.close()
    directory = profile.directory
    profile.close()

    report = backups.restore(directory, copy)

    assert not report.linked
    restored = open_profile(directory)
    try:
        assert restored.store.setting(link.SERVER_KEY) is None
        assert restored.store.setting(link.LOGIN_KEY) is None
        assert "From Elsewhere" in set(customer_names(restored).values())
    finally:
        restored.close()


def test_a_colleagues_copy_restored_on_a_linked_profile_keeps_this_user(
    profile: Profile, tmp_path: Path
) -> None:
    """A copy made by a colleague's CRM Desktop: the device's user stays (new records are not
    the colleague's), his waiting changes are not taken over, and the report says so."""
    colleague = open_profile(tmp_path / "colleague")
    colleague.writer().update("users", colleague.user_id, {"login": "rae", "name": "Rae"})
    for key, value in LINK.items():
        colleague.store.set_setting(key, value)
    colleague.writer().create("customers", {"name": "Colleague's"})
    copy = backups.back_up(colleague.directory)
    theirs = colleague.user_id
    colleague.close()
    directory, mine = profile.directory, profile.user_id
    for key, value in LINK.items():
        profile.store.set_setting(key, value)
    profile.close()

    report = backups.restore(directory, copy)

    assert report.linked and report.another_users
    restored = open_profile(directory)
    try:
        assert restored.user_id == mine != theirs
        # His waiting change is not sent as this user's; this user's own still waits.
        assert [entry[1] for entry in outbox(restored)] == ["users"]
    finally:
        restored.close()
    # The same user's own copy says nothing of the kind.
    assert not backups.restore(directory, backups.back_up(directory)).another_users


def test_two_threads_noting_the_check_at_once_leave_the_state_whole(profile: Profile) -> None:
    """The storage thread and the network's may both meet damage at once: each asks for the
    full check, and neither write fails nor leaves half a file."""
    import threading

    directory = profile.directory
    failures: list[BaseException] = []

    def ask(times: int) -> None:
        try:
            for _ in range(times):
                backups.request_full_check(directory)
                backups.note_started(directory, checked=False)
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=ask, args=(300,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert backups.check_due(directory) == "full"
    assert list(directory.glob("*.part")) == []


def test_damage_in_the_search_index_is_found_by_the_full_check_and_rebuilt(
    profile: Profile,
) -> None:
    """`PRAGMA integrity_check` does not read FTS5's index: a search that runs into damage
    there asks for the full check, which must find it and rebuild the index, or every start
    would check again and every search fail."""
    directory = closed_with_customers(profile, "Kunde {} Handel")
    with closing(sqlite3.connect(directory / STORE_FILE)) as connection:
        connection.execute(
            f"UPDATE {search_index.TRIGRAM_TABLE}_data SET block = randomblob(length(block))"
            " WHERE id > 10"
        )
        connection.commit()
    assert not backups.is_damaged(directory)  # the quick check does not see it
    reopened = open_profile(directory)
    try:
        with pytest.raises(Exception) as met:  # raw or through SQLAlchemy, as it comes
            found_by_search(reopened, "handel")
        # What the window and the command line make of it: the sentence, and the request.
        known = classify(met.value, str(directory / STORE_FILE))
        assert isinstance(known, StoreError) and "damaged" in known.text()
    finally:
        reopened.close()
    assert backups.check_due(directory) == "full"
    assert backups.is_damaged(directory, full=True)

    assert not backups.check(directory, full=True)  # what the start does: rebuilt, sound

    assert not backups.is_damaged(directory, full=True)
    reopened = open_profile(directory)
    try:
        assert len(found_by_search(reopened, "handel")) == 300
    finally:
        reopened.close()


def test_a_lock_left_by_a_restore_that_died_does_not_keep_the_profile_shut(
    profile: Profile,
) -> None:
    directory = profile.directory
    profile.close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    # QLockFile's own format: the holder's pid, program and host.
    (directory / backups.LOCK_FILE).write_text(f"{dead.stdout.strip()}\npython\n{os.uname()[1]}\n")
    assert not backups.restore_in_progress(directory)
    open_profile(directory).close()
