"""Team activity on a real profile, offscreen: a manager's team, counted per person for a day
and for a week, with Previous/Next moving the period."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import SCOPE_KEY, User, UserSync
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import local_datetime
from crm_desktop.views.runner import Runner
from crm_desktop.views.team_activity_view import DAY, WEEK, TeamActivityView
from tests.views.helpers import idle

ROB = "00000000-0000-4000-8000-0000000000b0"
RAE = "00000000-0000-4000-8000-0000000000aa"


def test_a_manager_sees_his_teams_counts_by_day_and_week(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    me = profile.user_id
    with profile.store.write() as session:
        session.add_all(
            [User(id=ROB, login="rob", name="Rob"), User(id=RAE, login="rae", name="Rae")]
        )
        # As the last sync told this device, by the server's clock (naive UTC, as stored).
        session.add(UserSync(user_id=ROB, synced_at=datetime(2026, 11, 30, 1, 5)))
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{ROB}}}")  # rae is not his
    rob = Writer(profile.store, ROB, profile.region)
    customer = rob.create("customers", {"name": "Acme", "owner_id": ROB}).primary_id
    rob.create("followups", {"customer_id": customer, "kind": "call", "text": "today"})
    rob.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "a week ago",
            "happened_at": utcnow() - timedelta(days=7),
        },
    )
    task = rob.create("tasks", {"title": "Quote", "assignee_id": ROB}).primary_id
    rob.update("tasks", task, {"done": True})

    view = TeamActivityView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    idle(qtbot, runner)

    assert view.mode == DAY
    assert [row.user_id for row in view.rows] == [me, ROB]
    assert view.counts_of(ROB) == (1, 1, 1, 0)
    assert view.counts_of(me) == (0, 0, 0, 0)
    assert view.counts_of(RAE) is None
    assert view.table.rowCount() == 3  # and the team's total
    assert view.table.item(2, 1).text() == "1"
    assert view.table.item(1, 0).text() == "Rob"
    rob_synced = local_datetime(datetime(2026, 11, 30, 1, 5)).strftime("%Y-%m-%d %H:%M")
    assert view.table.item(1, 6).text() == rob_synced
    assert view.table.item(0, 6).text() == "never"  # this profile never synced

    view.previous_button.click()  # yesterday: nothing
    idle(qtbot, runner)
    assert view.counts_of(ROB) == (0, 0, 0, 0)

    view.go_today()
    view.mode_buttons[WEEK].click()
    idle(qtbot, runner)
    first, last = view.days()
    assert (last - first).days == 6
    view.previous_button.click()  # the week before: the follow-up of a week ago
    idle(qtbot, runner)
    assert view.counts_of(ROB) == (1, 0, 0, 0)

    # A write refreshes the counts.
    view.next_button.click()
    idle(qtbot, runner)
    runner.write(lambda: rob.create("customers", {"name": "Beta", "owner_id": ROB}))
    idle(qtbot, runner)
    idle(qtbot, runner)
    assert view.counts_of(ROB) == (1, 2, 1, 0)


def test_a_rep_sees_only_himself(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    view = TeamActivityView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(view)
    idle(qtbot, runner)
    assert [row.user_id for row in view.rows] == [profile.user_id]
    assert view.table.rowCount() == 1
