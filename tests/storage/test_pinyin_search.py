"""Pinyin search: a Chinese name is found by its full pinyin, in words or not, by its initials,
and by Chinese and pinyin mixed; polyphonic characters by their common readings; a store made
before pinyin finds its customers so once upgraded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop.models import pinyin
from crm_desktop.models.entities import SORT_KEYS
from crm_desktop.models.search_keys import DERIVED_TEXT_VERSION, search_key
from crm_desktop.profile import Profile, open_profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage import search_index
from crm_desktop.storage.store import STORE_FILE, Store

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = TABLES["customers"]
NAMES = {
    "huaqiang": "深圳市华强电子有限公司",
    "huawei": "华为技术有限公司",
    "chongqing": "重庆火锅连锁",
    "changcheng": "长城汽车股份",
    # Unrelated names that share a syllable or an initial with the ones searched for.
    "huayuan": "花园酒店",
    "qiangsheng": "强生医疗器械",
    "northwind": "Northwind Trading",
    "beijing": "北京科技有限公司",
}


@pytest.fixture
def named(profile: Profile) -> dict[str, str]:
    writer = profile.writer()
    ids = {
        key: writer.create("customers", {"name": name}).primary_id for key, name in NAMES.items()
    }
    writer.create("contacts", {"customer_id": ids["northwind"], "name": "王小明"})
    return ids


def search(profile: Profile, typed: str) -> set[str]:
    with profile.store.read() as session:
        return set(list_ids(session, CUSTOMERS, ListQuery(search=typed)))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("huaqiang", {"huaqiang"}),
        ("HuaQiang", {"huaqiang"}),
        ("hua qiang", {"huaqiang"}),  # each word is found in the name's spelling
        ("hqdz", {"huaqiang"}),  # initials, from the middle of the name
        ("华qiang", {"huaqiang"}),  # Chinese and pinyin mixed
        ("华qdz", {"huaqiang"}),  # Chinese and initials
        ("华强 dianzi", {"huaqiang"}),
        ("huawei", {"huawei"}),
        ("hw", {"huawei"}),  # two initials: the short index, the start of the initials
        ("hwjs", {"huawei"}),
        ("chongqing", {"chongqing"}),  # 重庆 as the dictionary reads it...
        ("zhongqing", {"chongqing"}),  # ...and 重 as it is mostly read alone
        ("cq", {"chongqing"}),
        ("changcheng", {"changcheng"}),
        ("zhangcheng", {"changcheng"}),
        ("wangxiaoming", {"northwind"}),  # a contact's name, in pinyin, finds the customer
        ("wxm", {"northwind"}),
        ("beijingkeji", {"beijing"}),
    ],
)
def test_a_chinese_name_is_found_by_its_pinyin(
    profile: Profile, named: dict[str, str], typed: str, found: set[str]
) -> None:
    assert search(profile, typed) == {named[key] for key in found}


def test_full_width_typing_finds_what_ordinary_letters_and_digits_find(
    profile: Profile, named: dict[str, str]
) -> None:
    """An input method left in full-width mode types ＨＵＡＷＥＩ and １３９…."""
    phone = (
        profile.writer()
        .create("customers", {"name": "全角测试", "phone": "13912345678"})
        .primary_id
    )
    assert search(profile, "ｈｕａｗｅｉ") == {named["huawei"]}
    assert search(profile, "Ｎｏｒｔｈｗｉｎｄ") == {named["northwind"]}
    assert search(profile, "１３９１２３４５６７８") == {phone}


@pytest.mark.parametrize(
    "typed", ["0755 8888 1234 ext. 5", "0755-88881234转5", "0755-88881234 ext 5", "0755 8888 1234"]
)
def test_a_number_with_an_extension_is_found_as_the_window_shows_it(
    profile: Profile, typed: str
) -> None:
    """The window shows `0755 8888 1234 ext. 5`; pasted back into search, it finds its
    customer (the search text holds the number without its extension)."""
    office = (
        profile.writer()
        .create("customers", {"name": "分机测试", "phone": "0755-88881234 转 5"})
        .primary_id
    )
    assert search(profile, typed) == {office}


@pytest.mark.parametrize("typed", ["huaqiangx", "hqx", "hwx", "xiaowang", "zhongqingshi", "yh"])
def test_other_spellings_find_nothing(profile: Profile, named: dict[str, str], typed: str) -> None:
    assert search(profile, typed) == set()


def test_a_rare_reading_finds_nothing(profile: Profile, named: dict[str, str]) -> None:
    # pypinyin also lists classical readings (园 wán, 市 fú) that nobody types: not indexed.
    assert search(profile, "huawan") == set()
    assert search(profile, "shenzhenfu") == set()
    assert search(profile, "huayuan") == {named["huayuan"]}


def test_a_renamed_customer_is_found_by_its_new_pinyin_only(
    profile: Profile, named: dict[str, str]
) -> None:
    profile.writer().update("customers", named["huawei"], {"name": "荣耀终端"})
    assert search(profile, "huawei") == set()
    assert search(profile, "hw") == set()
    assert search(profile, "rongyao") == {named["huawei"]}
    assert search(profile, "ryzd") == {named["huawei"]}


def test_a_short_names_initials_find_the_customer_by_two_letters(profile: Profile) -> None:
    writer = profile.writer()
    huaqiang = writer.create(
        "customers", {"name": "深圳市华强电子有限公司", "short_name": "华强电子"}
    ).primary_id
    yuanhang = writer.create("customers", {"name": "深圳市远航物流有限公司"}).primary_id
    assert search(profile, "hq") == {huaqiang}  # its short name's initials start a word
    assert search(profile, "sz") == {huaqiang, yuanhang}
    assert search(profile, "yh") == set()  # the start of a word only, like any two letters
    with profile.store.read() as session:
        stored = session.scalar(
            text("SELECT search_text FROM customers WHERE id = :id"), {"id": huaqiang}
        )
    # The short name's spelling is inside the name's: in once.
    assert stored.count("huaqiangdianzi") == 1


def test_spellings_are_bounded_however_many_characters_have_two_readings() -> None:
    name = "重长行乐朝曾单解仇朴藏调" * 3  # every character has two common readings
    found = pinyin.spellings(name)
    assert 2 < len(found) <= 2 * pinyin.SPELLINGS_PER_NAME
    assert len(set(found)) == len(found)


def test_a_latin_name_has_no_spellings_and_loads_no_pinyin() -> None:
    # pypinyin costs 55 MB and 0.3 s: a process that never meets a Chinese name never loads it,
    # and the window's own thread, comparing searches as they are typed, never waits for it.
    code = (
        "import sys\n"
        "from crm_desktop.models.search_keys import query_terms, search_text_of\n"
        "from crm_desktop.models.pinyin import sort_key\n"
        "from crm_desktop.queries.tables import effective_search\n"
        "assert search_text_of('Acme Ltd', None, None, [], [('Emily', None, None, None)], [])"
        " == 'acme ltd\\x1femily'\n"
        "assert sort_key('Acme') == 'acme' and query_terms('acme 华强 138') != []\n"
        "assert effective_search('华qiang') != effective_search('华qian') != ()\n"
        "print('pypinyin' in sys.modules)\n"
        "query_terms('华qiang')\n"
        "print('pypinyin' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert ran.stdout.split() == ["False", "True"]


# -- a store made before pinyin ---------------------------------------------------------------

STAMP = "2024-01-01 08:00:00.000000"


def store_before_pinyin(directory: Path) -> None:
    """A store as the version before pinyin left it: schema 0011, search text without pinyin,
    no sort keys, and no note of which version derived them."""
    made = Store(directory)
    made.migrate("0011")
    made.close()
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw, raw:
        raw.execute(
            "INSERT INTO users (id, login, name, role, active, created_at, updated_at)"
            " VALUES ('u1', 'zhang', '张伟', 'rep', 1, ?, ?)",
            (STAMP, STAMP),
        )
        raw.executemany(
            "INSERT INTO customers (id, name, kind, owner_id, search_text, search_key,"
            " created_at, updated_at) VALUES (?, ?, 'company', 'u1', ?, ?, ?, ?)",
            [
                (customer_id, name, name.lower(), search_key(customer_id), STAMP, STAMP)
                for customer_id, name in (
                    ("c1", "华强电子"),
                    ("c2", "Baidu"),
                    ("c3", "阿里巴巴"),
                )
            ],
        )
        raw.execute(
            "INSERT INTO contacts (id, customer_id, name, created_at, updated_at)"
            " VALUES ('p1', 'c2', '李娜', ?, ?)",
            (STAMP, STAMP),
        )
        raw.execute(
            "INSERT INTO products (id, code, name, list_price_cents, active, created_at,"
            " updated_at) VALUES ('g1', 'P1', '服务器', 0, 1, ?, ?)",
            (STAMP, STAMP),
        )
        raw.execute(
            "INSERT INTO opportunities (id, customer_id, title, stage, amount_cents, probability,"
            " created_at, updated_at) VALUES ('o1', 'c1', '服务器采购', 'lead', 0, 10, ?, ?)",
            (STAMP, STAMP),
        )
        raw.execute(
            "INSERT INTO tasks (id, customer_id, title, priority, done, created_at, updated_at)"
            " VALUES ('t1', 'c1', '回访', 'normal', 0, ?, ?)",
            (STAMP, STAMP),
        )
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw, raw:
        # The old version's full-text index over the old search text.
        raw.execute(
            f"INSERT INTO {search_index.TRIGRAM_TABLE}(rowid, customer_id, search_text)"
            " SELECT search_key, id, search_text FROM customers"
        )
        found = raw.execute(
            f"SELECT count(*) FROM {search_index.TRIGRAM_TABLE}"
            f" WHERE {search_index.TRIGRAM_TABLE} MATCH '\"huaqiang\"'"
        ).fetchone()
        assert found == (0,)


def test_a_store_made_before_pinyin_finds_and_sorts_by_pinyin_once_upgraded(
    tmp_path: Path,
) -> None:
    store_before_pinyin(tmp_path)
    upgraded = open_profile(tmp_path)
    try:
        assert upgraded.store.revision() == upgraded.store.head()
        assert not upgraded.store.needs_upgrade()
        assert search(upgraded, "huaqiang") == {"c1"}
        assert search(upgraded, "hqdz") == {"c1"}
        assert search(upgraded, "lina") == {"c2"}  # its contact's name
        with upgraded.store.read() as session:
            by_name = list_ids(session, CUSTOMERS, ListQuery(sort="name"))
            assert by_name == ["c3", "c2", "c1"]  # a(li) < bai(du) < hua(qiang)
            for table, keys in SORT_KEYS.items():
                for column, key in keys.items():
                    rows = session.execute(text(f"SELECT {column}, {key} FROM {table}")).all()
                    assert rows, table
                    assert all(stored == pinyin.sort_key(value) for value, stored in rows), table
            version = session.execute(
                text("SELECT value FROM local_settings WHERE key = :key"),
                {"key": search_index.VERSION_KEY},
            ).scalar()
        assert version == str(DERIVED_TEXT_VERSION)
        assert list((tmp_path / "backups").glob("*.sqlite3")), "an upgrade backs up first"
    finally:
        upgraded.close()


def test_a_store_derived_by_another_version_derives_again_when_opened(
    profile: Profile, named: dict[str, str]
) -> None:
    directory = profile.directory
    with profile.store.write() as session:
        # As another version of the composition would have left them.
        session.execute(text("UPDATE customers SET search_text = lower(name), name_sort = NULL"))
        search_index.rebuild(session)
        session.execute(
            text("UPDATE local_settings SET value = '1' WHERE key = :key"),
            {"key": search_index.VERSION_KEY},
        )
    assert search(profile, "huaqiang") == set()
    assert profile.store.needs_upgrade()  # the window shows the upgrade window for it
    profile.close()

    reopened = open_profile(directory)
    try:
        assert not reopened.store.needs_upgrade()
        assert search(reopened, "huaqiang") == {named["huaqiang"]}
        with reopened.store.read() as session:
            missing = session.execute(
                text("SELECT count(*) FROM customers WHERE name_sort IS NULL")
            )
            assert missing.scalar() == 0
    finally:
        reopened.close()


def test_a_new_store_notes_the_version_that_derives_its_text(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        with store.read() as session:
            assert not search_index.derived_text_outdated(session)
        assert not store.needs_upgrade()
    finally:
        store.close()


def test_syllables_typed_apart_find_the_name_even_of_two_letters(profile: Profile) -> None:
    """`li na` and `bo ya` (words of two letters, which the short index finds only at the start
    of a word) find 李娜 and 博雅 by their spelling, and a Latin name written apart as typed."""
    writer = profile.writer()
    made = {
        name: writer.create("customers", {"name": name}).primary_id
        for name in ("李娜", "博雅文化", "Li Na Trading", "王丽娜", "Acme Co", "Go To Market Ltd")
    }
    for typed, found in (
        ("li na", {"李娜", "Li Na Trading", "王丽娜"}),
        ("LI NA", {"李娜", "Li Na Trading", "王丽娜"}),
        ("bo ya", {"博雅文化"}),
        ("acme co", {"Acme Co"}),
        # Words of a Latin name are still found in any order.
        ("na li", {"Li Na Trading"}),
        ("trading na li", {"Li Na Trading"}),
        ("to go", {"Go To Market Ltd"}),
    ):
        assert search(profile, typed) == {made[name] for name in found}, typed
