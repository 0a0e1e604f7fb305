"""List queries: search by anything a user knows about a customer, sorting in SQL."""

from __future__ import annotations

import pytest

from crm_desktop.profile import Profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids

CUSTOMERS = TABLES["customers"]


@pytest.fixture
def three(profile: Profile) -> dict[str, str]:
    writer = profile.writer()
    ids = {}
    for key, values in {
        "huawei": {
            "name": "华为技术有限公司",
            "phone": "13800138000",
            "identifiers": [("licence_plate", "粤B 12345")],
        },
        "northwind": {"name": "Northwind Trading", "email": "sales@northwind.example"},
        "landline": {"name": "深圳华强电子", "phone": "0755-8888 1234", "grade": "A"},
    }.items():
        ids[key] = writer.create("customers", values).primary_id
    writer.create(
        "contacts",
        {"customer_id": ids["northwind"], "name": "Emily Carter", "mobile": "13912345678"},
    )
    return ids


def search(profile: Profile, text: str) -> list[str]:
    with profile.store.read() as session:
        return list_ids(session, CUSTOMERS, ListQuery(search=text))


@pytest.mark.parametrize("typed", ["138-0013-8000", "+86 138 0013 8000", "13800138000", "8000"])
def test_phone_in_any_format(profile: Profile, three: dict, typed: str) -> None:
    assert search(profile, typed) == [three["huawei"]]


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("华为", "huawei"),
        ("NORTHWIND", "northwind"),
        ("northwind.example", "northwind"),
        ("粤b12345", "huawei"),
        ("粤B-12345", "huawei"),
        ("emily", "northwind"),  # a contact's name finds the customer
        ("139 1234 5678", "northwind"),  # and a contact's mobile
        ("0755 8888 1234", "landline"),
    ],
)
def test_name_email_identifier_contact(profile: Profile, three: dict, typed: str, who: str) -> None:
    assert search(profile, typed) == [three[who]]


def test_words_must_all_match(profile: Profile, three: dict) -> None:
    assert search(profile, "华强 深圳") == [three["landline"]]
    assert search(profile, "华强 northwind") == []


def test_sort_and_filter_run_in_sql(profile: Profile, three: dict) -> None:
    with profile.store.read() as session:
        ascending = list_ids(session, CUSTOMERS, ListQuery(sort="name"))
        descending = list_ids(session, CUSTOMERS, ListQuery(sort="name", descending=True))
        graded = list_ids(session, CUSTOMERS, ListQuery(filters=(("grade", "A"),)))
    # Chinese names in pinyin order among the Latin ones: 华为 (hua) < Northwind < 深圳 (shen).
    assert ascending == [three["huawei"], three["northwind"], three["landline"]]
    assert descending == list(reversed(ascending))
    assert graded == [three["landline"]]


def test_deleted_customers_are_not_listed(profile: Profile, three: dict) -> None:
    profile.writer().delete("customers", [three["huawei"]])
    assert search(profile, "华为") == []


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("华强", "landline"),  # two Chinese characters in the middle of a name
        ("强", "landline"),  # one Chinese character
        ("em", "northwind"),  # two letters: the start of a word ("Emily")
        ("粤b", "huawei"),  # Chinese and a letter: trigram of the plate
    ],
)
def test_short_searches(profile: Profile, three: dict, typed: str, who: str) -> None:
    assert search(profile, typed) == [three[who]]


def test_single_latin_letter_does_not_filter(profile: Profile, three: dict) -> None:
    assert len(search(profile, "n")) == 3


def test_search_index_follows_edits_and_contacts(profile: Profile, three: dict) -> None:
    writer = profile.writer()
    writer.update("customers", three["huawei"], {"name": "荣耀终端有限公司"})
    assert search(profile, "华为") == []
    assert search(profile, "荣耀") == [three["huawei"]]
    writer.create("contacts", {"customer_id": three["huawei"], "name": "Zhao Min"})
    assert search(profile, "zhao") == [three["huawei"]]


def test_two_digits_find_mobiles_by_their_start(profile: Profile, three: dict) -> None:
    # 138... is Huawei's own phone, 139... the mobile of Northwind's contact; 0755 isn't a match.
    assert set(search(profile, "13")) == {three["huawei"], three["northwind"]}


def test_effective_search_ignores_what_filters_nothing() -> None:
    from crm_desktop.queries.tables import effective_search

    assert effective_search("") == effective_search("n") == ()
    assert effective_search("no") != effective_search("n")
    assert effective_search(" 华强 ") == effective_search("华强")


def test_sort_by_owner_name_matches_a_plain_join(profile: Profile) -> None:
    writer = profile.writer()
    zhang = writer.create("users", {"login": "zhang", "name": "Zhang Wei", "role": "rep"})
    adams = writer.create("users", {"login": "adams", "name": "Adams", "role": "rep"})
    owners = [zhang.primary_id, adams.primary_id, None, profile.user_id, zhang.primary_id]
    for number, owner in enumerate(owners):
        created = writer.create("customers", {"name": f"C{number}", "owner_id": owner})
        if owner is None:  # the writer makes the current user owner of a new customer
            writer.update("customers", created.primary_id, {"owner_id": None})
    from sqlalchemy import select as sql_select

    from crm_desktop.models.entities import Customer, User

    with profile.store.read() as session:
        for descending in (False, True):
            fast = list_ids(session, CUSTOMERS, ListQuery(sort="owner", descending=descending))
            # The public pool (no owner) comes last either way, like every empty value.
            # Users sort by their names' pinyin (models/pinyin.py), as the list does.
            key = User.name_sort
            name = (key.desc() if descending else key.asc()).nulls_last()
            ident = Customer.id.desc() if descending else Customer.id
            joined = sql_select(Customer.id).outerjoin(User, User.id == Customer.owner_id)
            plain = list(session.scalars(joined.order_by(name, ident)))
            assert fast == plain


def test_user_name_columns_say_which_reference_they_follow() -> None:
    # Without `via` the owner sort silently falls back to the slow join (same order, 4x time).
    from crm_desktop.models.entities import Customer, Opportunity, Task

    assert TABLES["customers"].column("owner").via is Customer.owner_id
    assert TABLES["opportunities"].column("owner").via is Opportunity.owner_id
    assert TABLES["tasks"].column("assignee").via is Task.assignee_id


@pytest.fixture
def many(profile: Profile) -> Profile:
    """Enough customers that a first screen is a strict prefix: 60, half of them with a 138
    mobile, under three owners."""
    from crm_desktop.demo.generator import make_demo

    make_demo(profile, 60, workers=0)
    return profile


@pytest.mark.parametrize("search", ["", "13", "有限", "公司 13"])
@pytest.mark.parametrize("sort", ["name", "phone", "owner", "grade"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_limited_list_is_the_start_of_the_whole_list(
    many: Profile, search: str, sort: str, descending: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm_desktop.queries import tables

    query = ListQuery(search=search, sort=sort, descending=descending)
    with many.store.read() as session:
        whole = list_ids(session, CUSTOMERS, query)
        assert len(whole) > 3
        for limit in (1, 3, len(whole) + 5):
            assert list_ids(session, CUSTOMERS, query, limit) == whole[:limit]
        # Searches with many hits walk the list in order instead: the same rows, same order.
        monkeypatch.setattr(tables, "FEW_HITS", 1)
        assert list_ids(session, CUSTOMERS, query) == whole
        for limit in (1, 3, len(whole) + 5):
            assert list_ids(session, CUSTOMERS, query, limit) == whole[:limit]


def test_a_read_is_cancelled_when_its_answer_is_no_longer_wanted(many: Profile) -> None:
    from crm_desktop.storage.store import Cancelled, cancel_when

    query = ListQuery(search="13")
    with many.store.read() as session:
        whole = list_ids(session, CUSTOMERS, query)
        with pytest.raises(Cancelled), cancel_when(session, lambda: True, every=1):
            list_ids(session, CUSTOMERS, query)
        with cancel_when(session, lambda: False, every=1):
            assert list_ids(session, CUSTOMERS, query) == whole
        # The handler is gone with the block: the session reads normally again.
        assert list_ids(session, CUSTOMERS, query) == whole


def test_every_customer_carries_its_search_key(many: Profile, three: dict) -> None:
    from sqlalchemy import text

    from crm_desktop.models.search_keys import search_key

    with many.store.read() as session:
        rows = session.execute(text("SELECT id, search_key FROM customers")).all()
    assert len(rows) == 63  # the demo's and the writer's
    assert all(key == search_key(customer_id) for customer_id, key in rows)
