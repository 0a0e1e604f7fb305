"""A round the server cancels to break a deadlock runs again: two devices of one user that lock
the same rows in another order (a push and the pool's return, say) must not leave the user with
an error for what a second try does. The server here cancels the first tries itself, the way
PostgreSQL cancels one side of a deadlock (SQLSTATE 40P01)."""

from __future__ import annotations

import pytest

from crm_desktop.sync.engine import SYNC_ATTEMPTS
from crm_desktop.sync.errors import SyncError
from tests.sync.conftest import Fleet


def cancel_first_follow_ups(fleet: Fleet, times: int) -> None:
    """The first `times` follow-ups sent to the server are cancelled as a deadlock would be."""
    fleet.admin("CREATE SEQUENCE test_cancelled_tries")
    fleet.admin("GRANT USAGE ON SEQUENCE test_cancelled_tries TO crm_users")
    fleet.admin(
        f"""
        CREATE FUNCTION test_cancel_as_deadlock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('test_cancelled_tries') <= {times} THEN
                RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected';
            END IF;
            RETURN NEW;
        END
        $$"""
    )
    fleet.admin(
        "CREATE TRIGGER test_cancel_as_deadlock BEFORE INSERT ON followups"
        " FOR EACH ROW EXECUTE FUNCTION test_cancel_as_deadlock()"
    )


def follow_ups_of(fleet: Fleet, customer: str) -> list[tuple]:
    return fleet.admin("SELECT text FROM followups WHERE customer_id = %s", (customer,))


def test_a_round_cancelled_as_a_deadlock_runs_again_and_sends_once(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "重试公司"}).primary_id
    rob.sync()
    rob.writer.create("followups", {"customer_id": customer, "kind": "call", "text": "回访"})
    cancel_first_follow_ups(fleet, SYNC_ATTEMPTS - 1)

    report = rob.sync()
    assert (report.pushed.refused, report.pushed.conflicts) == (0, 0)
    assert follow_ups_of(fleet, customer) == [("回访",)]
    assert rob.profile.writer().pending_changes() == 0


def test_a_deadlock_every_time_is_said_and_nothing_is_lost(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "重试公司"}).primary_id
    rob.sync()
    rob.writer.create("followups", {"customer_id": customer, "kind": "call", "text": "回访"})
    cancel_first_follow_ups(fleet, SYNC_ATTEMPTS)

    with pytest.raises(SyncError, match="deadlock detected"):
        rob.sync()
    assert follow_ups_of(fleet, customer) == []
    waiting = rob.profile.writer().pending_changes()
    assert waiting >= 1
    # The next sync (the server no longer cancels) sends it, once.
    rob.sync()
    assert follow_ups_of(fleet, customer) == [("回访",)]
    assert rob.profile.writer().pending_changes() == 0
