"""People are named so that the one chosen is the one meant: namesakes carry their logins, and
lists of people are in pinyin order."""

from __future__ import annotations

from crm_desktop.models.entities import User
from crm_desktop.profile import Profile
from crm_desktop.queries.people import user_labels
from crm_desktop.queries.records import choices_for


def add_users(profile: Profile, *users: tuple[str, str, bool]) -> dict[str, str]:
    with profile.store.write() as session:
        made = [User(login=login, name=name, active=active) for login, name, active in users]
        session.add_all(made)
        session.flush()
        return {user.login: user.id for user in made}


def test_namesakes_carry_their_logins_and_others_their_names(profile: Profile) -> None:
    ids = add_users(
        profile, ("wangwei", "王伟", True), ("wangwei2", "王伟", False), ("zhangsan", "张三", True)
    )
    with profile.store.read() as session:
        labels = user_labels(session, list(ids.values()))
    assert labels == {
        ids["wangwei"]: "王伟 (wangwei)",
        ids["wangwei2"]: "王伟 (wangwei2)",
        ids["zhangsan"]: "张三",
    }


def test_users_to_choose_are_in_pinyin_order_and_may_leave_out_those_switched_off(
    profile: Profile,
) -> None:
    ids = add_users(
        profile, ("zhangsan", "张三", True), ("liuqiang", "刘强", False), ("anna", "安娜", True)
    )
    with profile.store.read() as session:
        everyone = [label for _, label in choices_for(session, "users")]
        active = [user_id for user_id, _ in choices_for(session, "users", active_only=True)]
    # 安 an < 刘 liu < 张 zhang, wherever the profile's own user falls among them.
    ours = [name for name in everyone if name in ("张三", "刘强", "安娜")]
    assert ours == ["安娜", "刘强", "张三"]
    assert ids["liuqiang"] not in active and ids["anna"] in active


def test_a_customers_owner_is_offered_among_those_the_user_may_give_it_to(
    profile: Profile,
) -> None:
    """As the server said at the last sync: a rep himself, a clerk his reps, a manager his
    team; a profile never synced (its own administrator) anyone who may own customers."""
    from crm_desktop.models.choices import OWNER_ROLES
    from crm_desktop.models.entities import SCOPE_KEY

    ids = add_users(
        profile,
        ("rob", "罗波", True),
        ("rae", "芮伊", True),
        ("mia", "米娅", True),
        ("max", "马克斯", True),
    )
    me = profile.user_id

    def offered() -> set[str]:
        with profile.store.read() as session:
            return {i for i, _ in choices_for(session, "users", None, OWNER_ROLES, me)}

    everyone = offered()
    assert set(ids.values()) <= everyone
    for scope, expected in (
        (f"rep {{{me}}} {{}}", {me}),
        (f"clerk {{{ids['rob']},{ids['rae']}}}", {ids["rob"], ids["rae"]}),
        (f"manager {{{me},{ids['rob']}}} {{}}", {me, ids["rob"]}),
        ("admin {}", everyone),
    ):
        profile.store.set_setting(SCOPE_KEY, scope)
        assert offered() == expected, scope
