"""Names and titles sort by pinyin in every list, on an index: 阿里巴巴 (a) before Baidu before
北京 (bei) before 华为 (hua); Latin names ignore case; the key follows every change of name."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from crm_desktop.models.entities import SORTED_BY_CUSTOMER, Contact, Customer, Product
from crm_desktop.models.pinyin import sort_key
from crm_desktop.profile import Profile
from crm_desktop.queries import tables
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage.store import sqlite_connection

# In the order a Chinese user expects them. By code point they were: capitals, then lower case,
# then 北 (U+5317), 华 (U+534E), 重 (U+91CD) and 阿 (U+963F).
CUSTOMERS_IN_ORDER = (
    "阿里巴巴",
    "Baidu",
    "北京科技",
    "重庆火锅",
    "华为技术",
    "huawei cloud",
    "Zebra",
)


@pytest.fixture
def customers(profile: Profile) -> dict[str, str]:
    writer = profile.writer()
    # Made in the opposite order: the time they were made does not give the order away.
    return {
        name: writer.create("customers", {"name": name}).primary_id
        for name in reversed(CUSTOMERS_IN_ORDER)
    }


def ids(profile: Profile, entity: str, sort: str, descending: bool = False) -> list[str]:
    with profile.store.read() as session:
        return list_ids(session, TABLES[entity], ListQuery(sort=sort, descending=descending))


def test_customers_sort_by_pinyin(profile: Profile, customers: dict[str, str]) -> None:
    expected = [customers[name] for name in CUSTOMERS_IN_ORDER]
    assert ids(profile, "customers", "name") == expected
    assert ids(profile, "customers", "name", descending=True) == expected[::-1]


def test_the_first_screen_is_the_start_of_the_whole_list(
    profile: Profile, customers: dict[str, str]
) -> None:
    with profile.store.read() as session:
        first = list_ids(session, TABLES["customers"], ListQuery(sort="name"), limit=3)
    assert first == [customers[name] for name in CUSTOMERS_IN_ORDER[:3]]


def test_contacts_sort_by_their_name_and_by_their_customers(
    profile: Profile, customers: dict[str, str]
) -> None:
    writer = profile.writer()
    made = {
        name: writer.create(
            "contacts", {"customer_id": customers[customer], "name": name}
        ).primary_id
        for name, customer in (
            ("张伟", "阿里巴巴"),  # zhang
            ("Emily", "华为技术"),  # emily
            ("陈杰", "Zebra"),  # chen
            ("李娜", "Baidu"),  # li
        )
    }
    by_name = ["陈杰", "Emily", "李娜", "张伟"]
    assert ids(profile, "contacts", "name") == [made[name] for name in by_name]
    by_customer = ["张伟", "李娜", "Emily", "陈杰"]  # 阿里巴巴, Baidu, 华为技术, Zebra
    assert ids(profile, "contacts", "customer") == [made[name] for name in by_customer]


def test_a_renamed_customer_moves_its_rows_in_the_lists_sorted_by_customer(
    profile: Profile, customers: dict[str, str]
) -> None:
    writer = profile.writer()
    contacts = {
        customer: writer.create(
            "contacts", {"customer_id": customers[customer], "name": "Li"}
        ).primary_id
        for customer in ("Baidu", "Zebra")
    }
    tasks = {
        customer: writer.create(
            "tasks", {"customer_id": customers[customer], "title": "Call"}
        ).primary_id
        for customer in ("Baidu", "Zebra")
    }
    loose = writer.create("tasks", {"title": "Plan"}).primary_id  # of no customer: last
    assert ids(profile, "contacts", "customer") == [contacts["Baidu"], contacts["Zebra"]]
    assert ids(profile, "tasks", "customer") == [tasks["Baidu"], tasks["Zebra"], loose]
    assert ids(profile, "tasks", "customer", descending=True) == [
        tasks["Zebra"],
        tasks["Baidu"],
        loose,
    ]
    writer.update("customers", customers["Zebra"], {"name": "安徽"})  # an: before Baidu
    assert ids(profile, "contacts", "customer") == [contacts["Zebra"], contacts["Baidu"]]
    assert ids(profile, "tasks", "customer") == [tasks["Zebra"], tasks["Baidu"], loose]


def test_products_opportunities_and_tasks_sort_by_pinyin(
    profile: Profile, customers: dict[str, str]
) -> None:
    writer = profile.writer()
    products = {
        name: writer.create("products", {"code": code, "name": name}).primary_id
        for code, name in (("P1", "显示器"), ("P2", "Adapter"), ("P3", "服务器"), ("P4", "mouse"))
    }
    expected = [products[name] for name in ("Adapter", "服务器", "mouse", "显示器")]
    assert ids(profile, "products", "name") == expected
    deals = {
        title: writer.create(
            "opportunities",
            {"customer_id": customers["Zebra"], "title": title, "stage": "lead"},
        ).primary_id
        for title in ("续约", "安装服务", "Upgrade")
    }
    expected = [deals[title] for title in ("安装服务", "Upgrade", "续约")]  # an, up, xu
    assert ids(profile, "opportunities", "title") == expected
    tasks = {
        title: writer.create(
            "tasks", {"customer_id": customers["阿里巴巴"], "title": title}
        ).primary_id
        for title in ("回访", "报价", "call back")
    }
    expected = [tasks[title] for title in ("报价", "call back", "回访")]  # bao, call, hui
    assert ids(profile, "tasks", "title") == expected


def test_owners_sort_by_pinyin(profile: Profile) -> None:
    writer = profile.writer()
    owners = {
        name: writer.create("users", {"login": login, "name": name, "role": "rep"}).primary_id
        for login, name in (("zw", "张伟"), ("ec", "emily Carter"), ("ln", "李娜"))
    }
    made = {
        name: writer.create("customers", {"name": f"Client {name}", "owner_id": owner}).primary_id
        for name, owner in owners.items()
    }
    expected = [made[name] for name in ("emily Carter", "李娜", "张伟")]  # e, li, zhang
    assert ids(profile, "customers", "owner") == expected
    assert ids(profile, "customers", "owner", descending=True) == expected[::-1]
    # With a search the owners are joined instead of walked: the same order.
    with profile.store.read() as session:
        searched = list_ids(session, TABLES["customers"], ListQuery(search="client", sort="owner"))
    assert searched == expected


def test_a_renamed_record_moves_in_the_list(profile: Profile, customers: dict[str, str]) -> None:
    writer = profile.writer()
    writer.update("customers", customers["Zebra"], {"name": "安徽"})  # an: right after 阿里巴巴
    order = ids(profile, "customers", "name")
    assert order[:2] == [customers["阿里巴巴"], customers["Zebra"]]
    with profile.store.read() as session:
        stored = session.scalar(select(Customer.name_sort).where(Customer.id == customers["Zebra"]))
    assert stored == sort_key("安徽") == "an1安hui1徽"
    contact = writer.create("contacts", {"customer_id": customers["Zebra"], "name": "Zoe"})
    writer.update("contacts", contact.primary_id, {"name": "赵敏"})
    product = writer.create("products", {"code": "X", "name": "Widget"})
    writer.update("products", product.primary_id, {"name": "网关"})
    with profile.store.read() as session:
        assert session.get(Contact, contact.primary_id).name_sort == "zhao4赵min3敏"
        assert session.get(Product, product.primary_id).name_sort == "wang3网guan1关"


def test_the_sort_key_never_reaches_the_outbox(profile: Profile, customers: dict[str, str]) -> None:
    profile.writer().update("customers", customers["Zebra"], {"name": "安徽"})
    with profile.store.read() as session:
        changes = session.execute(text("SELECT changes, base FROM outbox")).all()
    assert changes and not any("name_sort" in c or "name_sort" in b for c, b in changes)


@pytest.mark.parametrize(
    ("entity", "sort", "index"),
    [
        ("customers", "name", "ix_customers_live_name_sort"),
        ("contacts", "name", "ix_contacts_live_name_sort"),
        ("opportunities", "title", "ix_opportunities_live_title_sort"),
        ("tasks", "title", "ix_tasks_live_title_sort"),
        # By their customer's name: the customer's key is kept on each row (local migration
        # 0017), so the list walks its own index instead of sorting a join.
        ("contacts", "customer", "ix_contacts_live_customer_sort"),
        ("opportunities", "customer", "ix_opportunities_live_customer_sort"),
        ("tasks", "customer", "ix_tasks_live_customer_sort"),
        ("contracts", "customer", "ix_contracts_live_customer_sort"),
    ],
)
def test_the_sort_walks_an_index_without_sorting(
    profile: Profile, monkeypatch: pytest.MonkeyPatch, entity: str, sort: str, index: str
) -> None:
    statements: list[str] = []
    real = tables.fetch_column

    def seen(session: Session, statement: Select) -> list[Any]:
        literal = statement.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        statements.append(str(literal))
        return real(session, statement)

    monkeypatch.setattr(tables, "fetch_column", seen)
    with profile.store.read() as session:
        list_ids(session, TABLES[entity], ListQuery(sort=sort))
        plan = sqlite_connection(session).execute("EXPLAIN QUERY PLAN " + statements[0])
        details = " ".join(str(row[-1]) for row in plan)
    assert index in details
    assert "TEMP B-TREE" not in details  # no sort of the whole list


def test_the_demo_sets_the_sort_keys_the_app_derives(profile: Profile) -> None:
    from crm_desktop.demo import make_demo
    from crm_desktop.storage import search_index

    make_demo(profile, 60, seed=5, workers=0)
    with profile.store.write() as session:
        # Derived again as an upgrade would: not one key the demo wrote differs.
        assert search_index.refresh_sort_keys(session) == 0
        for table in ("customers", "contacts", "opportunities", "tasks", "users", "products"):
            column = "title_sort" if table in ("opportunities", "tasks") else "name_sort"
            missing = session.execute(text(f"SELECT count(*) FROM {table} WHERE {column} IS NULL"))
            assert missing.scalar() == 0, table
        for table in SORTED_BY_CUSTOMER:  # the customer's key, as the store's triggers keep it
            wrong = session.execute(
                text(
                    f"SELECT count(*) FROM {table} WHERE customer_sort IS NOT"
                    f" (SELECT name_sort FROM customers WHERE id = {table}.customer_id)"
                )
            )
            assert wrong.scalar() == 0, table
        session.rollback()
