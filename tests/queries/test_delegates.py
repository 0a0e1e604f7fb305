"""Whom a task may be handed to so that it reaches them (queries/records.delegates): the
server shows a task on a customer only to those who see the customer, and lets a task on no
customer change hands freely only by whoever made it."""

from __future__ import annotations

import pytest

from crm_desktop.models.entities import Customer, Task, User
from crm_desktop.profile import Profile
from crm_desktop.queries.records import delegates

MIA = "00000000-0000-4000-8000-00000000000a"  # my manager
ADA = "00000000-0000-4000-8000-00000000000b"  # an administrator
RAE = "00000000-0000-4000-8000-00000000000c"  # another rep
OLD = "00000000-0000-4000-8000-00000000000d"  # an administrator who left


@pytest.fixture
def team(profile: Profile) -> dict[str, str]:
    me = profile.user_id
    with profile.store.write() as session:
        session.add_all(
            [
                User(id=MIA, login="mia", name="Mia", role="manager"),
                User(id=ADA, login="ada", name="Ada", role="admin"),
                User(id=RAE, login="rae", name="Rae", role="rep"),
                User(id=OLD, login="old", name="Old", role="admin", active=False),
            ]
        )
        session.get(User, me).manager_id = MIA
        session.get(User, me).role = "rep"
    writer = profile.writer()
    writer.update("users", me, {"name": "Me"})
    mine = writer.create("customers", {"name": "Mine"}).primary_id
    pool = writer.create("customers", {"name": "Pool"}).primary_id
    with profile.store.write() as session:
        session.get(Customer, pool).owner_id = None

    def task(title: str, **values: object) -> str:
        return writer.create("tasks", {"title": title, "assignee_id": me, **values}).primary_id

    made = {
        "on mine": task("on mine", customer_id=mine),
        "on the pool's": task("on the pool's", customer_id=pool),
        "my own": task("my own"),
        "mia's": task("mia's"),
        "ada's": task("ada's"),
    }
    with profile.store.write() as session:
        session.get(Task, made["mia's"]).created_by = MIA
        session.get(Task, made["ada's"]).created_by = ADA
    return made


def names(profile: Profile, task: str, user: str) -> list[str]:
    with profile.store.read() as session:
        return [name for _id, name in delegates(session, task, user)]


def test_a_task_on_a_customer_goes_to_those_who_see_the_customer(
    profile: Profile, team: dict[str, str]
) -> None:
    me = profile.user_id
    assert names(profile, team["on mine"], me) == ["Ada", "Mia"]
    assert names(profile, team["on the pool's"], me) == ["Ada", "Mia", "Rae"]


def test_a_task_on_no_customer_changes_hands_freely_only_by_its_maker(
    profile: Profile, team: dict[str, str]
) -> None:
    me = profile.user_id
    assert names(profile, team["my own"], me) == ["Ada", "Mia", "Rae"]
    assert names(profile, team["mia's"], me) == []  # the server would refuse the change
    # Mia hands her own to anyone, Ada's only to those who report to her (Me); an
    # administrator hands any task to anyone.
    assert names(profile, team["mia's"], MIA) == ["Ada", "Me", "Rae"]
    assert names(profile, team["ada's"], MIA) == ["Me"]
    assert names(profile, team["mia's"], ADA) == ["Me", "Mia", "Rae"]
