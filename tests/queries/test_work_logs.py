"""Work logs and team activity read from a real store: a day's summary of one person's work,
a team's logs of a day with who wrote none, and per-person counts over a range."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import SCOPE_KEY, User
from crm_desktop.profile import Profile
from crm_desktop.queries import work_logs
from crm_desktop.services.writer import Writer

ROB = "00000000-0000-4000-8000-0000000000b0"
RAE = "00000000-0000-4000-8000-0000000000aa"
DAY = date(2025, 3, 5)


def add_people(profile: Profile) -> None:
    with profile.store.write() as session:
        session.add_all(
            [User(id=ROB, login="rob", name="Rob"), User(id=RAE, login="rae", name="Rae")]
        )


def as_user(profile: Profile, user_id: str) -> Writer:
    return Writer(profile.store, user_id, profile.region)


def test_a_days_summary_holds_what_he_did_that_day_only(profile: Profile) -> None:
    add_people(profile)
    rob = as_user(profile, ROB)
    now = utcnow()
    acme = rob.create("customers", {"name": "Acme 华强", "owner_id": ROB}).primary_id
    old = profile.writer().create("customers", {"name": "Old Co", "owner_id": ROB}).primary_id
    rob.create(
        "followups",
        {"customer_id": old, "kind": "visit", "text": "Talked price " + "x" * 100},
    )
    rob.create(
        "followups",
        {
            "customer_id": acme,
            "kind": "call",
            "text": "Yesterday",
            "happened_at": now - timedelta(days=1),
        },
    )
    # Logged by someone else: not rob's work.
    as_user(profile, RAE).create(
        "followups", {"customer_id": acme, "kind": "call", "text": "Rae's call"}
    )
    task = rob.create("tasks", {"title": "Send quote", "assignee_id": ROB, "customer_id": acme})
    rob.update("tasks", task.primary_id, {"done": True})
    rob.create("tasks", {"title": "Still open", "assignee_id": ROB})

    with profile.store.read() as session:
        summary = work_logs.day_summary(
            session, ROB, now - timedelta(hours=1), now + timedelta(hours=1)
        )
        nobody = work_logs.day_summary(
            session, RAE, now - timedelta(days=3), now - timedelta(days=2)
        )
    assert [(line.customer_name, line.kind) for line in summary.followups] == [("Old Co", "visit")]
    assert summary.followups[0].text.startswith("Talked price xx")
    assert len(summary.followups[0].text) == work_logs.TEXT_CUT
    assert summary.followups[0].text.endswith("…")
    assert summary.followups_total == 1
    assert summary.new_customers == ["Acme 华强"] and summary.new_customers_total == 1
    assert summary.tasks_done == [work_logs.TaskLine("Send quote", "Acme 华强")]
    assert summary.tasks_done_total == 1
    assert nobody.is_empty()


def test_logs_of_a_day_with_comments_and_who_wrote_none(profile: Profile) -> None:
    add_people(profile)
    me = profile.user_id
    log = as_user(profile, ROB).create(
        "work_logs", {"author_id": ROB, "day": DAY, "done": "Visited Acme", "plan": "Call Li"}
    )
    as_user(profile, ROB).create(
        "work_logs", {"author_id": ROB, "day": DAY + timedelta(days=1), "done": "Next day"}
    )
    profile.writer().create(
        "work_log_comments", {"log_id": log.primary_id, "text": "Call Li first"}
    )

    with profile.store.read() as session:
        assert work_logs.log_of(session, ROB, DAY)["done"] == "Visited Acme"
        assert work_logs.log_of(session, RAE, DAY) is None
        (comment,) = work_logs.comments_of(session, log.primary_id)
        logs = work_logs.team_logs(session, [ROB, RAE, ROB], DAY)
        mine = work_logs.my_day(session, ROB, DAY, datetime(2025, 3, 5), datetime(2025, 3, 6))
        none_yet = work_logs.my_day(session, RAE, DAY, datetime(2025, 3, 5), datetime(2025, 3, 6))
    assert comment.text == "Call Li first" and comment.author_id == me
    assert [(t.author_name, t.log is not None) for t in logs] == [("Rob", True), ("Rae", False)]
    assert logs[0].log["plan"] == "Call Li"
    assert [c.text for c in logs[0].comments] == ["Call Li first"]
    assert mine.log["id"] == log.primary_id and mine.summary is None
    assert [c.text for c in mine.comments] == ["Call Li first"]
    assert none_yet.log is None and none_yet.summary is not None and none_yet.summary.is_empty()


def test_whose_logs_a_manager_reads(profile: Profile) -> None:
    add_people(profile)
    me = profile.user_id
    with profile.store.read() as session:
        name = session.get(User, me).name
        # Never synced: the profile's own user is its administrator, and leads its people.
        alone = work_logs.team_of(session, me)
        assert alone.role == "admin" and alone.leads
        assert [m[1] for m in alone.members] == [name, "Rae", "Rob"]
    # Synced as a rep: himself only.
    profile.store.set_setting(SCOPE_KEY, f"rep {{{me}}}")
    with profile.store.read() as session:
        assert work_logs.team_of(session, me).members == [(me, name)]
        assert not work_logs.team_of(session, me).leads
    # Sees rob's customers; reads the logs of rob and rae (rae reports to him by office).
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{ROB}}} {{{me},{RAE},{ROB}}}")
    with profile.store.read() as session:
        team = work_logs.team_of(session, me)
        readers = work_logs.team_of(session, me, logs=True)
    assert team.leads and [m[0] for m in team.members] == [me, ROB]
    assert [m[1] for m in readers.members][1:] == ["Rae", "Rob"]
    # A profile last synced before work logs knows only whose customers he sees.
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{ROB}}}")
    with profile.store.read() as session:
        assert [m[0] for m in work_logs.team_of(session, me, logs=True).members] == [me, ROB]


def test_team_activity_counts_per_person_in_the_range(profile: Profile) -> None:
    add_people(profile)
    rob, rae = as_user(profile, ROB), as_user(profile, RAE)
    now = utcnow()
    customers = [
        rob.create("customers", {"name": f"Rob's {n}", "owner_id": ROB}).primary_id
        for n in range(3)
    ]
    rae_customer = rae.create("customers", {"name": "Rae's", "owner_id": RAE}).primary_id
    for customer in customers[:2]:
        rob.create("followups", {"customer_id": customer, "kind": "call", "text": "call"})
    rob.create(
        "followups",
        {
            "customer_id": customers[2],
            "kind": "call",
            "text": "last week",
            "happened_at": now - timedelta(days=8),
        },
    )
    rae.create("followups", {"customer_id": rae_customer, "kind": "call", "text": "call"})
    for title in ("a", "b"):
        task = rae.create("tasks", {"title": title, "assignee_id": RAE}).primary_id
        rae.update("tasks", task, {"done": True})
    rae.create("tasks", {"title": "open", "assignee_id": RAE})
    deal = rob.create(
        "opportunities",
        {"customer_id": customers[0], "title": "Deal", "stage": "lead", "owner_id": ROB},
    ).primary_id
    rae.update("opportunities", deal, {"stage": "proposal"})  # rae changed it last
    rob.create(
        "opportunities",
        {"customer_id": customers[1], "title": "Other", "stage": "lead", "owner_id": ROB},
    )

    with profile.store.read() as session:
        rows = work_logs.team_activity(
            session, [ROB, RAE, profile.user_id], now - timedelta(hours=1), now + timedelta(hours=1)
        )
        week_ago = work_logs.team_activity(
            session, [ROB], now - timedelta(days=9), now - timedelta(days=7)
        )
    by_name = {row.name: row for row in rows}
    assert [row.user_id for row in rows] == [ROB, RAE, profile.user_id]
    rob_row, rae_row = by_name["Rob"], by_name["Rae"]
    assert (rob_row.followups, rob_row.customers_added, rob_row.tasks_done) == (2, 3, 0)
    assert rob_row.opportunities_changed == 1
    assert (rae_row.followups, rae_row.customers_added, rae_row.tasks_done) == (1, 1, 2)
    assert rae_row.opportunities_changed == 1
    assert rob_row.latest is not None and now - timedelta(minutes=5) < rob_row.latest
    me = rows[2]
    assert (me.followups, me.customers_added, me.tasks_done, me.opportunities_changed) == (
        0,
        0,
        0,
        0,
    )
    assert me.latest is None
    assert week_ago[0].followups == 1 and week_ago[0].customers_added == 0


def test_someone_who_left_counts_in_the_periods_he_worked_in(profile: Profile) -> None:
    """Found by a review: a rep switched off in the middle of a quarter vanished from the
    quarter's activity (an administrator's team is its active users), although his won deals
    still counted. He is not offered to choose, but his work in a period shows in it."""
    add_people(profile)
    me, now = profile.user_id, utcnow()
    profile.store.set_setting(SCOPE_KEY, f"admin {{{me},{ROB},{RAE}}}")
    customer = as_user(profile, RAE).create("customers", {"name": "Rae's", "owner_id": RAE})
    as_user(profile, RAE).create(
        "followups", {"customer_id": customer.primary_id, "kind": "call", "text": "before"}
    )
    with profile.store.write() as session:
        session.get(User, RAE).active = False
        session.get(User, ROB).active = False
    with profile.store.read() as session:
        team = work_logs.team_of(session, me)
        people = [person for person, _name in (*team.members, *team.departed)]
        rows = work_logs.team_activity(
            session, people, now - timedelta(hours=1), now + timedelta(hours=1), team.departed_ids
        )
    assert [person for person, _name in team.members] == [me]
    assert team.departed == [(RAE, "Rae"), (ROB, "Rob")]
    # Rae worked in the range, Rob did not: only Rae's row is there beside the admin's.
    assert [(row.user_id, row.followups) for row in rows] == [(me, 0), (RAE, 1)]
