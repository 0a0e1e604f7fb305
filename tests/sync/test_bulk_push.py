"""New records pushed many to a statement keep every rule of one-by-one pushing: each gets its
receipt and the server's stamp, and one the server refuses is refused alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from crm_desktop.sync import push
from crm_desktop.sync.engine import CrashPoints
from tests.sync.conftest import Fleet

COUNT = 30


class Calls:
    """How push sent its entries: runs (and what came back) and single entries."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[tuple[int, bool]] = []
        self.single: list[str] = []
        real_run, real_apply = push._apply_run, push._apply

        def apply_run(connection: Any, run: list) -> Any:
            results = real_run(connection, run)
            self.runs.append((len(run), results is not None))
            return results

        def apply(connection: Any, entry: Any, *args: Any) -> Any:
            self.single.append(entry.op)
            return real_apply(connection, entry, *args)

        monkeypatch.setattr(push, "_apply_run", apply_run)
        monkeypatch.setattr(push, "_apply", apply)


NEXT_FOLLOWUP = datetime(2026, 12, 5, 9, 30)  # as the device keeps times: naive UTC


def make_customers(fleet: Fleet, device: Any, owners: list[str]) -> list[str]:
    with device.writer.transaction() as unit:
        return [
            unit.create(
                "customers",
                {"name": f"批量 {n}", "owner_id": owner, "next_followup_at": NEXT_FOLLOWUP},
            )
            for n, owner in enumerate(owners)
        ]


def receipts(fleet: Fleet, login: str) -> int:
    return fleet.admin(
        "SELECT count(*) FROM sync_pushes WHERE pushed_by = "
        "(SELECT id FROM users WHERE login = %s)",
        (login,),
    )[0][0]


def test_a_run_of_new_records_goes_as_one_statement(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A time sent without its offset would be read in the session's zone.
    fleet.admin("ALTER ROLE rob SET timezone = 'Asia/Shanghai'")
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    calls = Calls(monkeypatch)
    report = rob.sync()
    assert calls.runs == [(COUNT, True)] and "insert" not in calls.single
    assert (report.pushed.applied, report.pushed.refused, rob.outbox()) == (COUNT, 0, 0)
    assert receipts(fleet, "rob") == COUNT
    for row_id in ids:
        on_server = fleet.server_row("customers", row_id)
        assert on_server is not None and on_server["created_by"] is not None
        assert on_server["next_followup_at"] == NEXT_FOLLOWUP.replace(tzinfo=UTC)
        # The device adopted the server's stamp of each row.
        assert rob.row("customers", row_id).updated_at == on_server["updated_at"].replace(
            tzinfo=None
        )


def test_one_refused_record_is_refused_alone(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    rob = fleet.device("rob")
    rob.sync()
    owners = [fleet.user_ids["rob"]] * COUNT
    owners[17] = fleet.user_ids["rae"]  # a rep may not make a customer for another rep
    ids = make_customers(fleet, rob, owners)
    calls = Calls(monkeypatch)
    report = rob.sync()
    assert calls.runs[0] == (COUNT, False)  # refused as a statement, then one by one
    assert (report.pushed.applied, report.pushed.refused) == (COUNT - 1, 1)
    assert [fleet.server_row("customers", i) is not None for i in ids] == [
        n != 17 for n in range(COUNT)
    ]
    (conflict,) = rob.conflicts()
    assert (conflict.kind, conflict.row_id) == ("refused", ids[17])
    assert conflict.lost_value["changes"]["owner_id"] == fleet.user_ids["rae"]
    assert receipts(fleet, "rob") == COUNT


def test_a_run_whose_answer_was_lost_is_not_applied_twice(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)

    def crash() -> None:
        raise RuntimeError("killed before the device recorded the results")

    with pytest.raises(RuntimeError):
        rob.sync(crash=CrashPoints(after_push_sent=crash))
    assert rob.outbox() == COUNT  # the device never learned the results
    stamps = {i: fleet.server_row("customers", i)["updated_at"] for i in ids}
    report = rob.sync()
    assert (report.pushed.applied, report.pushed.refused, rob.outbox()) == (COUNT, 0, 0)
    # Answered from the receipts: the rows were not written again.
    assert {i: fleet.server_row("customers", i)["updated_at"] for i in ids} == stamps
    assert receipts(fleet, "rob") == COUNT
    assert not rob.conflicts()


@pytest.mark.parametrize("login", ["rob", "ada"])
def test_receipts_are_looked_up_by_the_tables_key(fleet: Fleet, login: str) -> None:
    """A batch's receipt lookup reads this user's receipts by key, not every receipt ever
    written (a scan per batch made an import's first push quadratic)."""
    statement = "EXPLAIN " + push.RECEIPTS_OF
    with fleet.db.connect_as(login) as connection:
        connection.execute("SET enable_seqscan = off")  # what it can do, not what it costs
        plan = "\n".join(
            row[0]
            for row in connection.execute(statement, (fleet.user_ids[login], [1, 2])).fetchall()
        )
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert conditions, plan
    assert all("pushed_by" in line and "device_id" in line for line in conditions), plan


def test_a_first_sync_does_not_bring_back_what_it_sends(fleet: Fleet) -> None:
    """A first sync takes the server's copy first, then sends the device's records: they do
    not come straight back in the same sync (an import of 100,000 would)."""
    rob = fleet.device("rob")
    ids = make_customers(fleet, rob, [rob.profile.user_id] * COUNT)  # made before connecting
    users = fleet.admin("SELECT count(*) FROM users")[0][0]
    report = rob.sync()
    assert report.pushed.applied == COUNT and report.pulled.full
    assert report.pulled.received == users  # the server's copy: its users, none of ours
    assert all(fleet.server_row("customers", i) is not None for i in ids)
    assert all(rob.row("customers", i) is not None for i in ids)
    # Another device's first sync brings them all.
    assert fleet.device("rob").sync().pulled.received == users + COUNT
