"""The likely duplicates of customers a sync brought, found on a real profile by what they share
with the others, as Find duplicates would find them, reading only the records concerned."""

from __future__ import annotations

from typing import Any

from crm_desktop.duplicates import Why
from crm_desktop.duplicates.arrived import doubles_of_arrived
from crm_desktop.duplicates.model import DuplicateGroup
from crm_desktop.duplicates.records import MAX_SHARED
from crm_desktop.profile import Profile


def make(profile: Profile, **values: Any) -> str:
    changes = profile.writer().create("customers", values)
    assert changes.primary_id is not None
    return changes.primary_id


def doubles(profile: Profile, arrived: list[str]) -> list[DuplicateGroup]:
    with profile.store.read() as session:
        return doubles_of_arrived(session, arrived)


def whys(group: DuplicateGroup) -> set[Why]:
    return {reason.why for member in group.members for reason in member.reasons}


def test_each_shared_value_finds_the_customer_already_here(profile: Profile) -> None:
    by_phone = make(profile, name="华强电子", phone="0755-8888 1234 转 5")
    by_email = make(profile, name="Northwind", email="Sales@Northwind.example")
    by_id = make(
        profile, name="张伟", kind="person", identifiers=[("id_card", "11010519491231002X")]
    )
    by_name = make(profile, name="深圳市远航环保有限公司", address="深圳市南山区")
    unrelated = make(profile, name="上海东方餐饮", phone="021-5555 0000")
    came = [
        make(profile, name="华强电子有限公司", phone="+86 755 8888 1234"),
        make(profile, name="Northwind Traders", email="sales@northwind.example"),
        make(profile, name="张伟", kind="person", identifiers=[("id_card", "11010519491231002x")]),
        make(profile, name="深圳市远航环保有限公司", address="深圳市福田区"),
        make(profile, name="北京新来的公司", phone="010-6666 1234"),
    ]
    found = {frozenset(group.ids): whys(group) for group in doubles(profile, came)}
    expected = {
        frozenset({by_phone, came[0]}): Why.PHONE,
        frozenset({by_email, came[1]}): Why.EMAIL,
        frozenset({by_id, came[2]}): Why.IDENTIFIER,
        frozenset({by_name, came[3]}): Why.NAME,
    }
    assert set(found) == set(expected)
    for ids, why in expected.items():
        assert why in found[ids]  # (and a name alike, for some)
    assert unrelated not in {i for ids in found for i in ids}


def test_two_that_arrived_together_are_found_as_each_others_double(profile: Profile) -> None:
    first = make(profile, name="远航科技", phone="13800138000")
    second = make(profile, name="远航科技 (office)", phone="138 0013 8000")
    [group] = doubles(profile, [first, second])
    assert set(group.ids) == {first, second}


def test_a_placeholder_shared_by_many_is_no_sign_of_a_double(profile: Profile) -> None:
    for number in range(MAX_SHARED):
        make(profile, name=f"客户{number}", email="none@none.example")
    came = make(profile, name="新客户", email="none@none.example")
    assert doubles(profile, [came]) == []
    # The same check among the whole store agrees: it is not the sample that decides.
    lone = make(profile, name="另一个", email="lone@example.com")
    twin = make(profile, name="又一个", email="lone@example.com")
    [group] = doubles(profile, [twin])
    assert set(group.ids) == {lone, twin}


def test_deleted_customers_are_no_doubles(profile: Profile) -> None:
    gone = make(profile, name="旧公司", phone="13900139000")
    profile.writer().delete("customers", [gone])
    came = make(profile, name="旧公司", phone="13900139000")
    assert doubles(profile, [came]) == []
    make(profile, name="新公司", phone="13700137000")
    again = make(profile, name="新公司", phone="13700137000")
    assert len(doubles(profile, [again])) == 1
    # One that arrived and was deleted since is looked for no more.
    profile.writer().delete("customers", [again])
    assert doubles(profile, [again]) == []
