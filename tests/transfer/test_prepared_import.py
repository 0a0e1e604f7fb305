"""The wizard's import reuses what its check prepared (every row cleaned, its sort key and a new
customer's search text derived) and indexes new customers by the text composed then. It must
leave exactly the store an import that prepares every row again leaves: the same rows, outbox
entries, batch (undo) records, sort keys and search index; a cell corrected after the check is
what is written; and the writer cleans again only the values that changed."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Customer, User
from crm_desktop.models.search_keys import SEPARATOR, search_key
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile, open_profile
from crm_desktop.services import derived
from crm_desktop.services.writer import Writer
from crm_desktop.storage import search_index
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.transfer import ahead, importing, staging
from crm_desktop.transfer.staging import Decision, Staging
from crm_desktop.transfer.undo import AS_ADDED

# 13800138000 is the seeded Northwind's phone (a duplicate of the store); line 4 repeats line 2's
# mobile (a duplicate in the file); line 6 has a bad phone and line 7 a bad email; line 9 names
# an owner by login; identifiers by kind from their form.
CUSTOMERS = (
    "客户名称,手机,电话,邮箱,地址,证件号码,负责人\n"
    "远航物流有限公司,139 0013 9000,0755-2233 4455,Info@YuanHang.cn,深圳市南山区,粤B12346,\n"
    "北风贸易,+86 138-0013-8000,,,上海市浦东新区,,\n"
    "远航物流(深圳)有限公司,13900139000,,,深圳市,,\n"
    "华南电器有限公司,13712345678,020-8888 1234 转 8,,广州市天河区,91440101MA59ABCD1D,\n"
    "坏电话公司,12,,,,,\n"
    "坏邮箱公司,13611112222,,not-an-email,,,\n"
    "Acme Trading Co. Ltd,,,sales@acme.cn,Pudong Shanghai,,\n"
    "李娜的客户,13522223333,,,北京市朝阳区,,lina\n"
)

CARDS = (
    # A new company, twice (its second card adds a person to the company the first added).
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:陈明\r\nORG:深圳市晟琳光学有限公司;销售部\r\n"
    "TEL;TYPE=CELL:139 1111 2222\r\nEMAIL:chen@sheng.cn\r\n"
    "ADR;TYPE=WORK:;;科技路1号;南山区;深圳;;中国\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:刘洋\r\nORG:深圳市晟琳光学有限公司\r\n"
    "TEL;TYPE=CELL:13922223333\r\nEND:VCARD\r\n"
    # The seeded 张伟 at the seeded company (a duplicate), and a new person there.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:张伟\r\nORG:深圳市华强电子有限公司\r\n"
    "TEL;TYPE=CELL:13912345678\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:深圳市华强电子有限公司\r\n"
    "TEL;TYPE=WORK:0755-8888 1234 ext 5\r\nEND:VCARD\r\n"
    # A card without a company: a customer of kind person of that name.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:赵敏\r\nTEL;TYPE=CELL:13733334444\r\nEND:VCARD\r\n"
    # A card with a bad email: skipped, or, imported with the bad rows, refused with its
    # company added (as a card's company is added before its contact).
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:孙丽\r\nORG:杭州市新禾茶业有限公司\r\n"
    "EMAIL:sun at xinhe\r\nEND:VCARD\r\n"
)

Edit = Callable[[Profile, Staging], None]


@pytest.fixture
def triplets(seeded: Profile, tmp_path: Path) -> Iterator[tuple[Profile, Profile, Profile]]:
    """Three profiles holding the same seeded store."""
    opened = []
    for name in ("first", "second", "third"):
        directory = tmp_path / name
        directory.mkdir()
        source = sqlite3.connect(seeded.store.path)
        target = sqlite3.connect(directory / STORE_FILE)
        try:
            source.backup(target)  # committed data still in the WAL included
        finally:
            source.close()
            target.close()
        opened.append(open_profile(directory))
    yield opened[0], opened[1], opened[2]
    for profile in opened:
        profile.close()


def _import(
    profile: Profile,
    path: Path,
    entity: str,
    reuse: bool | str,
    edit: Edit | None = None,
    skip_bad: bool = True,
) -> Staging:
    """The wizard's steps: open, map, check, corrections, decisions, import."""
    writer = profile.writer()
    table = staging.open_file(path).table
    mapping = staging.mapping_for(writer, entity, table.header)
    staged = staging.stage(writer, entity, table, mapping.columns, profile.region)
    if edit is not None:
        edit(profile, staged)
    for at, row in enumerate(staged.duplicate_rows()):
        staged.decide(row.line, (Decision.FILL, Decision.ADD, Decision.SKIP)[at % 3])
    if reuse == "shuffled":
        # Each row given another row's: only what is alike may be reused, the rest cleaned.
        lines = sorted(staged.prepared)
        kept = [staged.prepared[line] for line in lines]
        staged.prepared.update(zip(lines, kept[1:] + kept[:1], strict=True))
    elif reuse:
        assert staged.prepared  # the check kept the rows it prepared
    else:
        # As if the check had kept nothing: every row is prepared again from its cells.
        staged.prepared.clear()
        staged.customers_prepared.clear()
    staging.run(writer, staged, path.name, skip_bad=skip_bad)
    return staged


_ISO = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def _dump(profile: Profile, since: datetime) -> dict[str, list[str]]:
    """The store's rows as comparable text: ids numbered in the order the outbox first names
    them (the imports make new ones), search keys by those numbers, times the imports set as
    NOW."""
    connection = sqlite3.connect(profile.store.path)
    try:
        labels: dict[str, str] = {}
        for (row_id,) in connection.execute("SELECT row_id FROM outbox ORDER BY seq"):
            labels.setdefault(row_id, f"#{len(labels)}")
        for (batch_id,) in connection.execute("SELECT id FROM import_batches ORDER BY made_at"):
            labels.setdefault(batch_id, f"batch{len(labels)}")
        keys = {search_key(row_id): f"key{label}" for row_id, label in labels.items()}
        start = since.isoformat(" ")

        def plain(value: Any) -> Any:
            if isinstance(value, str):
                if value in labels:
                    return labels[value]
                if _ISO.match(value) and value.replace("T", " ") >= start:
                    return "NOW"
                if SEPARATOR in value:
                    # A search text: its contacts come in the order of their (random) ids.
                    return SEPARATOR.join(sorted(value.split(SEPARATOR)))
                if value[:1] in "{[":
                    return json.dumps(plain(json.loads(value)), ensure_ascii=False)
                return value
            if isinstance(value, int) and value in keys:
                return keys[value]
            if isinstance(value, dict) and set(value) == {AS_ADDED}:
                # An added record's fingerprint digests its fields, the ids it links to among
                # them: those differ between the profiles. Kept or not is what compares.
                return {AS_ADDED: "fingerprint" if value[AS_ADDED] else None}
            if isinstance(value, dict):
                return {plain(key): plain(item) for key, item in value.items()}
            if isinstance(value, list):
                return [plain(item) for item in value]
            return value

        dump: dict[str, list[str]] = {}
        for table, columns in (
            ("customers", "*"),
            ("contacts", "*"),
            ("customer_identifiers", "*"),
            ("import_batches", "*"),
            ("import_batch_rows", "*"),
            ("customer_trigrams", "rowid, *"),
            ("customer_grams", "rowid, *"),
        ):
            rows = connection.execute(f"SELECT {columns} FROM {table}")
            dump[table] = sorted(
                json.dumps([plain(value) for value in row], ensure_ascii=False) for row in rows
            )
        # The outbox in order: the server applies it so.
        dump["outbox"] = [
            json.dumps([plain(value) for value in row], ensure_ascii=False)
            for row in connection.execute(
                "SELECT entity, row_id, op, changes, base, made_at, made_by, group_id"
                " FROM outbox ORDER BY seq"
            )
        ]
        return dump
    finally:
        connection.close()


def _correct(profile: Profile, staged: Staging) -> None:
    """After the check: a good row's phone changed, the bad phone corrected, a good row's
    email spoilt."""
    writer = profile.writer()
    at = {row.line: at for at, row in enumerate(staged.rows)}
    staging.recheck(writer, staged, at[9], 1, "135 2222 9999", profile.region)
    staging.recheck(writer, staged, at[6], 1, "13644445555", profile.region)
    staging.recheck(writer, staged, at[8], 3, "sales at acme", profile.region)


def test_an_import_reusing_its_check_leaves_the_store_an_import_from_scratch_leaves(
    triplets: tuple[Profile, Profile, Profile], tmp_path: Path
) -> None:
    path = tmp_path / "old system.csv"
    path.write_bytes(CUSTOMERS.encode("gbk"))
    since = utcnow()
    first, second, third = triplets
    reused = _import(first, path, "customers", reuse=True, edit=_correct)
    _import(second, path, "customers", reuse=False, edit=_correct)
    _import(third, path, "customers", reuse="shuffled", edit=_correct)
    assert reused.outcome is not None
    assert (reused.outcome.added, reused.outcome.updated) == (5, 1)
    assert [line for line, _why, _cells in reused.outcome.skipped] == [7, 8]
    assert _dump(first, since) == _dump(second, since) == _dump(third, since)

    with first.store.read() as session:
        phones = dict(session.execute(select(Customer.name, Customer.phone)).all())
    assert phones["李娜的客户"] == "+8613522229999"  # as corrected, not as checked
    assert phones["坏电话公司"] == "+8613644445555"


@pytest.mark.parametrize("skip_bad", [True, False])
def test_cards_reusing_their_check_leave_the_same_store(
    triplets: tuple[Profile, Profile, Profile], tmp_path: Path, skip_bad: bool
) -> None:
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8")
    since = utcnow()
    first, second, third = triplets
    reused = _import(first, path, "contacts", reuse=True, skip_bad=skip_bad)
    _import(second, path, "contacts", reuse=False, skip_bad=skip_bad)
    _import(third, path, "contacts", reuse="shuffled", skip_bad=skip_bad)
    assert reused.outcome is not None
    assert reused.outcome.added == 4
    assert [line for line, _why, _cells in reused.outcome.skipped] == [reused.rows[-1].line]
    assert reused.customers_prepared  # the new companies, kept from the check
    assert _dump(first, since) == _dump(second, since) == _dump(third, since)
    with first.store.read() as session:
        names = set(session.scalars(select(Customer.name)))
    assert {"深圳市晟琳光学有限公司", "赵敏"} <= names
    # The refused card's company: added only when the card was tried.
    assert ("杭州市新禾茶业有限公司" in names) is not skip_bad
    assert reused.outcome.customers_created == (2 if skip_bad else 3)


@pytest.mark.parametrize(("file_name", "entity"), [("a.csv", "customers"), ("a.vcf", "contacts")])
def test_new_customers_are_indexed_by_the_text_the_index_composes(
    seeded: Profile, tmp_path: Path, file_name: str, entity: str
) -> None:
    path = tmp_path / file_name
    if entity == "customers":
        path.write_bytes(CUSTOMERS.encode("gbk"))
    else:
        path.write_text(CARDS, encoding="utf-8")
    staged = _import(seeded, path, entity, reuse=True)
    assert staged.outcome is not None and staged.outcome.added
    with seeded.store.write() as session:
        # Composed again from the stored rows, no customer's text changes...
        assert search_index.refresh_customers(session, None) == 0
        connection = session.connection().connection.driver_connection
        texts = connection.execute(
            "SELECT search_key, id, search_text FROM customers WHERE search_text != ''"
        ).fetchall()
        trigrams = connection.execute(
            "SELECT rowid, customer_id, search_text FROM customer_trigrams"
        ).fetchall()
        grams = connection.execute("SELECT rowid, customer_id, grams FROM customer_grams")
        # ...and the index holds each text once, under the customer's key.
        assert sorted(trigrams) == sorted(texts)
        assert sorted(grams) == sorted(
            (key, row_id, search_index.short_grams(text)) for key, row_id, text in texts
        )
    names = {text.split("\x1f")[0] for _key, _id, text in texts}
    assert {"远航物流有限公司", "深圳市晟琳光学有限公司"} & names


# -- the writer ----------------------------------------------------------------------------------

COMPANY = {
    "name": "深圳市华强电子有限公司",
    "phone": "0755 8888 1234",
    "email": "Info@HuaQiang.cn",
    "identifiers": [("tax_number", "91440300ABC")],
}


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """A new row's values without what each prepare makes anew (its id and what derives it)."""
    return {k: v for k, v in values.items() if k not in ("id", "search_key")}


def test_prepare_cleans_again_only_the_values_that_changed(profile: Profile) -> None:
    with profile.writer().transaction() as unit:
        first = unit.prepare("customers", COMPANY)
        assert first.cleaned is not None
        same = unit.prepare("customers", COMPANY, reuse=first.cleaned)
        assert same.cleaned is first.cleaned  # nothing changed: nothing cleaned
        assert _stored(same.values) == _stored(first.values) and same.id != first.id

        changed = {**COMPANY, "phone": "139-0013-9000", "name": "华强电子"}
        reused = unit.prepare("customers", changed, reuse=first.cleaned)
        fresh = unit.prepare("customers", changed)
        assert _stored(reused.values) == _stored(fresh.values)
        assert reused.values["phone"] == "+8613900139000"
        assert reused.values["name_sort"] == fresh.values["name_sort"] != first.values["name_sort"]
        assert reused.values["search_text"] == fresh.values["search_text"]
        assert reused.identifiers == fresh.identifiers == (("tax_number", "91440300ABC"),)

        # A value refused now is refused with the sentence a fresh prepare gives.
        bad = {**COMPANY, "email": "not-an-email"}
        with pytest.raises(InvalidInput) as without:
            unit.prepare("customers", bad)
        with pytest.raises(InvalidInput) as with_reuse:
            unit.prepare("customers", bad, reuse=first.cleaned)
        assert str(with_reuse.value) == str(without.value)
        # Fields given differ: a required one left out is missed, as without reuse.
        with pytest.raises(InvalidInput, match="required"):
            unit.prepare("customers", {"phone": "13800138000"}, reuse=first.cleaned)


def test_a_value_of_another_type_is_cleaned_again(profile: Profile) -> None:
    with profile.writer().transaction() as unit:
        # The service layer's int is fen; a float, like typed text, is yuan.
        in_yuan = unit.prepare(
            "products", {"name": "螺丝", "code": "LS-1", "list_price_cents": 1.0}
        )
        assert in_yuan.values["list_price_cents"] == 100 and in_yuan.cleaned is not None
        in_fen = unit.prepare(
            "products",
            {"name": "螺丝", "code": "LS-1", "list_price_cents": 1},
            reuse=in_yuan.cleaned,
        )
        assert in_fen.values["list_price_cents"] == 1


def test_what_was_cleaned_for_another_region_is_not_reused(profile: Profile) -> None:
    values = {"name": "Northwind", "phone": "020 7946 0958"}
    with Writer(profile.store, profile.writer().user_id, "GB").transaction() as unit:
        london = unit.prepare("customers", values)
    assert london.values["phone"] == "+442079460958"
    with profile.writer().transaction() as unit:
        here = unit.prepare("customers", values, reuse=london.cleaned)
    assert here.values["phone"] == "+862079460958"  # Guangzhou's 020, read in China


def test_a_delete_of_many_refuses_them_all_for_one_not_there(profile: Profile) -> None:
    """What an import's undo deletes hundreds at a time: one query says which are live, and
    a record deleted already, or never made, refuses the delete, naming it."""
    writer = profile.writer()
    ids = [writer.create("customers", {"name": f"客户{n}"}).primary_id for n in range(3)]
    assert all(ids)
    gone = ids[1]
    assert gone is not None
    writer.delete("customers", [gone])
    for wanted in ([*ids], [ids[0], "no-such-id"]):
        missing = gone if gone in wanted else "no-such-id"
        with pytest.raises(InvalidInput, match=missing):
            writer.delete("customers", [row_id for row_id in wanted if row_id])
    with profile.store.read() as session:
        live = session.scalars(select(Customer.id).where(Customer.deleted_at.is_(None))).all()
    assert set(live) == {ids[0], ids[2]}  # nothing of a refused delete was kept
    writer.delete("customers", [row_id for row_id in (ids[0], ids[2]) if row_id])


# -- rows derived ahead, in worker processes ----------------------------------------------------


@pytest.fixture
def ahead_runs(monkeypatch: pytest.MonkeyPatch) -> list[ahead.DerivedAhead]:
    """Workers for files of any size, in chunks of 3 rows (several, some with no new record);
    the DerivedAhead each import made, to ask what its workers derived."""
    made: list[ahead.DerivedAhead] = []
    monkeypatch.setattr(ahead, "AHEAD_FROM", 1)
    monkeypatch.setattr(ahead, "CHUNK_ROWS", 3)

    class Recorded(ahead.DerivedAhead):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["workers"] = 1  # also on a one-core machine
            kwargs["wait"] = True  # every row from the worker, however slowly it starts
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(importing, "DerivedAhead", Recorded)
    return made


def test_rows_derived_by_workers_leave_the_store_an_import_deriving_them_itself_leaves(
    triplets: tuple[Profile, Profile, Profile],
    tmp_path: Path,
    ahead_runs: list[ahead.DerivedAhead],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = "\n".join(line for line in CUSTOMERS.split("\n") if "坏" not in line)
    path = tmp_path / "old system.csv"
    path.write_bytes(good.encode("gbk"))
    since = utcnow()
    first, second, third = triplets
    cleaned: list[str] = []  # customers this process cleaned (rather than reused a worker's)
    clean_values = derived.clean_values

    def counted(entity: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if entity == "customers":
            cleaned.append(args[0].get("name"))
        return clean_values(entity, *args, **kwargs)

    monkeypatch.setattr(derived, "clean_values", counted)
    by_workers = importing.import_file(first.writer(), "customers", path, update=False)
    assert cleaned == []
    # The wizard's check derives its rows in the workers too; its import reuses the check's.
    staged = _import(third, path, "customers", reuse=True)
    assert cleaned == []
    assert [run.derived for run in ahead_runs] == [6, 6, 0]
    ahead.AHEAD_FROM = 10**9  # (monkeypatch puts it back) the import derives every row itself
    by_itself = importing.import_file(second.writer(), "customers", path, update=False)
    assert len(ahead_runs) == 4 and ahead_runs[-1].derived == 0
    assert len(cleaned) == 6
    assert by_workers.created == by_itself.created == 6
    assert _dump(first, since) == _dump(second, since)
    # One of the two rows that look like duplicates fills the stored record in instead.
    assert staged.outcome is not None and staged.outcome.added == 5
    with third.store.read() as session:
        owner = session.scalar(select(Customer.owner_id).where(Customer.name == "李娜的客户"))
        assert owner == session.scalar(select(User.id).where(User.login == "lina"))


def test_a_row_a_worker_could_not_derive_is_refused_as_without_workers(
    seeded: Profile, tmp_path: Path, ahead_runs: list[ahead.DerivedAhead]
) -> None:
    path = tmp_path / "old system.csv"
    path.write_bytes(CUSTOMERS.encode("gbk"))
    with pytest.raises(importing.ImportFailed) as failed:
        importing.import_file(seeded.writer(), "customers", path, update=False)
    assert ahead_runs[0].derived == 6  # the two bad rows were left to the import
    ahead.AHEAD_FROM = 10**9
    with pytest.raises(importing.ImportFailed) as without_workers:
        importing.import_file(seeded.writer(), "customers", path, update=False)
    assert str(failed.value) == str(without_workers.value)
    assert "line 6" in str(failed.value) and "line 7" in str(failed.value)
    with seeded.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 2  # nothing added


def test_a_row_refused_for_its_owner_and_its_id_number_is_refused_for_its_owner(
    profile: Profile,
) -> None:
    """The identifiers are checked with the other values but refused after the checks that read
    the store, as they always were: the row's first problem stays the one it was."""
    values = {
        "name": "华强",
        "owner_id": "00000000-0000-4000-8000-00000000dead",
        "identifiers": [("id_card", "110101199003071234")],
    }
    with profile.writer().transaction() as unit, pytest.raises(InvalidInput) as refused:
        unit.prepare("customers", values)
    assert refused.value.field == "owner_id"
    made = derived.derive("customers", values, profile.region)
    assert made.identifiers == () and made.identifier_problem is not None
    with profile.writer().transaction() as unit, pytest.raises(InvalidInput) as reused:
        unit.prepare("customers", values, reuse=made)
    assert reused.value.field == "owner_id"
    # With a known owner the ID number is what is wrong, reused or not.
    values["owner_id"] = profile.user_id
    with profile.writer().transaction() as unit, pytest.raises(InvalidInput) as alone:
        unit.prepare("customers", values, reuse=made)
    assert alone.value is made.identifier_problem
    assert "ID card" in str(alone.value)
