"""Finding duplicates on a real profile: each reason, phone spellings, company forms, cities
from addresses, no match across cities or between different names, groups made by chains,
placeholders, an import's rows against the store and each other, and contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from sqlalchemy import update

from crm_desktop.duplicates import (
    STEPS,
    DuplicateGroup,
    DuplicateIndex,
    Reason,
    Why,
    find_duplicate_groups,
    reasons_text,
)
from crm_desktop.duplicates import scan as scan_module
from crm_desktop.duplicates.names import SIMILAR, likeness, name_core
from crm_desktop.duplicates.places import city_of, city_of_address, city_of_name
from crm_desktop.duplicates.records import MAX_SHARED
from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.storage.store import Cancelled


def make(profile: Profile, entity: str = "customers", **values: Any) -> str:
    changes = profile.writer().create(entity, values)
    assert changes.primary_id is not None
    return changes.primary_id


def groups(profile: Profile, entity: str = "customers") -> list[DuplicateGroup]:
    with profile.store.read() as session:
        return find_duplicate_groups(session, entity)


def id_sets(found: list[DuplicateGroup]) -> list[set[str]]:
    return [set(group.ids) for group in found]


def reasons_of(group: DuplicateGroup, member_id: str) -> tuple[Reason, ...]:
    return next(m.reasons for m in group.members if m.id == member_id)


# -- the parts: cities, names, likeness --------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("深圳市南山区科技园路1号", "深圳"),
        ("广东省深圳市福田区华强北路", "深圳"),
        ("广东深圳南山区科技园", "深圳"),  # neither 省 nor 市
        ("中国 广东省 深圳市", "深圳"),
        ("北京市朝阳区建国路8号", "北京"),  # not 辽宁's 朝阳
        ("朝阳区建国路8号", None),  # a district alone names no city
        ("中山路123号", None),  # a road named after 中山
        ("广东省中山市石岐区", "中山"),
        ("吉林市船营区", "吉林"),
        ("吉林省长春市朝阳区", "长春"),
        ("广西壮族自治区南宁市青秀区", "南宁"),
        ("新疆维吾尔自治区乌鲁木齐市天山区", "乌鲁木齐"),
        ("湖北省宜都市", "宜都"),  # a city with 市 that the table does not know
        ("昆山市玉山镇", "苏州"),  # a county-level city goes with its prefecture
        ("福田区市民中心", None),
        ("12 Century Avenue, Pudong, Shanghai", "上海"),
        ("Room 5, 88 Nanjing Road, Shanghai 200001, P.R. China", "上海"),
        ("88 Nanjing Road", None),  # a street of Shanghai, not the city of Nanjing
        ("Shenzhen, Guangdong, China", "深圳"),
        ("3 Queen's Road Central, Hong Kong", "香港"),
        ("Xi'an", "西安"),
        ("123 Main Street, Springfield", None),
        ("", None),
        (None, None),
    ],
)
def test_city_of_address(address: str | None, city: str | None) -> None:
    assert city_of_address(address) == city


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("深圳市华强电子有限公司", "深圳"),
        ("华强电子(深圳)有限公司", "深圳"),
        ("华强电子（深圳）有限公司", "深圳"),
        ("Northwind (Shanghai) Co., Ltd.", "上海"),
        ("Shenzhen Northwind Technology Ltd", "深圳"),
        ("华强电子有限公司", None),
        ("华强超市有限公司", None),  # 超市 is a supermarket: only known cities count in a name
    ],
)
def test_city_of_name(name: str, city: str | None) -> None:
    assert city_of_name(name) == city


def test_the_address_says_the_city_before_the_name() -> None:
    assert city_of("广州市天河区", "深圳市华强电子有限公司") == "广州"
    assert city_of(None, "深圳市华强电子有限公司") == "深圳"


@pytest.mark.parametrize(
    ("name", "city", "core"),
    [
        ("深圳市华强电子有限公司", "深圳", "华强电子"),
        ("华强电子(深圳)有限公司", "深圳", "华强电子"),
        ("华强电子（中国）股份有限公司", "深圳", "华强电子"),
        ("广东省深圳市华强电子有限责任公司", "深圳", "华强电子"),
        ("华强电子集团有限公司", None, "华强电子"),
        ("华强电子深圳分公司", "深圳", "华强电子"),
        ("华润万家（福田店）", "深圳", "华润万家福田店"),  # a branch in brackets is a branch
        ("工商银行(南山支行)", "深圳", "工商银行南山支行"),
        ("深圳市华强电子有限公司", "广州", "深圳市华强电子"),  # compared in 广州: kept whole
        ("中山大学", "广州", "中山大学"),
        ("有限公司", None, "有限公司"),  # nothing left: the name stays
        ("Northwind Technology Co., Ltd.", "深圳", "northwind technology"),
        ("Shenzhen Northwind Technology Limited", "深圳", "northwind technology"),
        ("The Northwind Group Inc", None, "northwind"),
        ("NORTHWIND  technology, LTD", None, "northwind technology"),
    ],
)
def test_name_core_strips_forms_places_and_case(name: str, city: str | None, core: str) -> None:
    assert name_core(name, city) == core


@pytest.mark.parametrize(
    ("first", "second", "similar"),
    [
        ("华强电子", "华强电子科技", True),  # the one found whole in the other
        ("northwind technology", "northwind technologies", True),
        ("华强电子科技发展", "华强电子科枝发展", True),  # one wrong character in eight
        ("华强电子", "华强科技", False),
        ("华强电子", "华强电器", False),
        ("华强", "华强电子", False),  # too short to be found inside another
        ("oakridge motors", "oakridge building supplies", False),  # a shared word only
        ("pacific trading", "pacific printing", False),
    ],
)
def test_likeness_threshold(first: str, second: str, similar: bool) -> None:
    assert (likeness(first, second) >= SIMILAR) is similar


# -- the reasons, on a store -------------------------------------------------------------------


def test_the_same_phone_in_any_spelling(profile: Profile) -> None:
    a = make(profile, name="甲公司", phone="+86 138-0013-8000")
    b = make(profile, name="乙商行", phone2="13800138000")
    c = make(profile, name="Gamma Ltd", phone="138 0013 8000")
    make(profile, name="丁公司", phone="13800138001")
    [group] = groups(profile)
    assert set(group.ids) == {a, b, c}
    assert reasons_of(group, b) == (Reason(Why.PHONE, "+8613800138000"),)
    assert reasons_of(group, b)[0].text() == "Same phone 138 0013 8000"


def test_a_landline_with_and_without_its_extension(profile: Profile) -> None:
    a = make(profile, name="甲公司", phone="0755-8888 1234 转 5")
    b = make(profile, name="乙公司", phone="+86 755 88881234")
    make(profile, name="丙公司", phone="010-8888 1234")  # the same digits in Beijing
    assert id_sets(groups(profile)) == [{a, b}]


def test_the_same_email_whatever_its_case(profile: Profile) -> None:
    a = make(profile, name="甲公司", email=" Sales@HQ.cn ")
    b = make(profile, name="乙公司", email="sales@hq.cn")
    make(profile, name="丙公司", email="sales@hq.com")
    [group] = groups(profile)
    assert set(group.ids) == {a, b}
    assert reasons_of(group, a)[0].why is Why.EMAIL


def test_the_same_identifier_in_any_spelling(profile: Profile) -> None:
    a = make(profile, name="甲", identifiers=[("licence_plate", "粤B 12345")])
    b = make(profile, name="乙", identifiers=[("licence_plate", "粤b-12345")])
    make(profile, name="丙", identifiers=[("member_number", "粤B12345")])  # another kind
    [group] = groups(profile)
    assert set(group.ids) == {a, b}
    [reason] = reasons_of(group, b)
    assert (reason.why, reason.identifier_kind) == (Why.IDENTIFIER, "licence_plate")
    assert reason.text().startswith("Same identifier: Licence plate 粤B")


def test_similar_company_names_in_one_city(profile: Profile) -> None:
    a = make(profile, name="深圳市华强电子有限公司", address="广东省深圳市南山区科技园路1号")
    b = make(profile, name="华强电子(深圳)有限公司")  # no address: the city is in the name
    c = make(profile, name="华强电子科技股份有限公司", address="深圳福田区华强北路")
    make(profile, name="华强科技有限公司", address="深圳市南山区")  # another company
    make(profile, name="华强电子有限公司", address="广州市天河区")  # another city
    [group] = groups(profile)
    assert set(group.ids) == {a, b, c}
    assert Reason(Why.NAME, city="深圳") in reasons_of(group, b)
    assert Reason(Why.NAME, city="深圳", score=90) in reasons_of(group, c)
    assert reasons_text(reasons_of(group, c)) == "Similar name (90%) in 深圳"


def test_a_name_like_several_shows_its_best_likeness(profile: Profile) -> None:
    a = make(profile, name="华强电子有限公司", address="深圳市")
    c = make(profile, name="华强电子科技有限公司", address="深圳市")
    e = make(profile, name="华强电子科技园有限公司", address="深圳市")
    [group] = groups(profile)
    assert set(group.ids) == {a, c, e}
    # 华强电子科技 is like 华强电子 (90) and more like 华强电子科技园 (92).
    assert reasons_of(group, c) == (Reason(Why.NAME, city="深圳", score=92),)
    assert reasons_of(group, a) == (Reason(Why.NAME, city="深圳", score=90),)


@pytest.mark.parametrize("first", [90, 92])
def test_each_reason_is_listed_once_at_its_best(first: int) -> None:
    noted = [
        Reason(Why.NAME, city="深圳", score=first),
        Reason(Why.PHONE, "+8613800138000"),
        Reason(Why.NAME, city="深圳", score=182 - first),
        Reason(Why.PHONE, "+8613800138000"),
    ]
    assert scan_module._best(noted) == (
        Reason(Why.PHONE, "+8613800138000"),
        Reason(Why.NAME, city="深圳", score=92),
    )


def test_english_and_chinese_addresses_meet_in_one_city(profile: Profile) -> None:
    a = make(profile, name="Northwind Technology Co., Ltd.", address="8 Keyuan Road, Shenzhen")
    b = make(profile, name="Northwind Technology Limited", address="深圳市南山区科技园")
    make(profile, name="Northwind Technology Limited", address="上海市浦东新区")
    assert id_sets(groups(profile)) == [{a, b}]


def test_no_match_between_different_names_or_cities(profile: Profile) -> None:
    make(profile, name="深圳市华强电子有限公司")
    make(profile, name="深圳市华强科技有限公司")
    make(profile, name="广州市华强电子有限公司")
    make(profile, name="Pacific Trading Ltd", address="Shenzhen")
    make(profile, name="Pacific Printing Ltd", address="Shenzhen")
    # Two stores of one chain are two customers.
    make(profile, name="华润万家（福田店）", address="深圳市福田区")
    make(profile, name="华润万家（南山店）", address="深圳市南山区")
    assert groups(profile) == []


def test_names_without_a_city_are_compared_only_with_each_other(profile: Profile) -> None:
    a = make(profile, name="华强电子有限公司")
    b = make(profile, name="华强电子股份有限公司")
    make(profile, name="华强电子有限公司", address="深圳市南山区")
    assert id_sets(groups(profile)) == [{a, b}]
    assert groups(profile)[0].members[0].reasons == (Reason(Why.NAME),)


def test_a_person_by_name_only_at_the_same_address(profile: Profile) -> None:
    a = make(profile, name="张伟", kind="person", address="广东省深圳市南山区科技园路1号")
    b = make(profile, name="张 伟", kind="person", address="深圳南山区科技园路 1 号")
    make(profile, name="张伟", kind="person", address="深圳市福田区深南大道2号")
    make(profile, name="张伟", kind="person")
    [group] = groups(profile)
    assert set(group.ids) == {a, b}
    assert reasons_of(group, a) == (Reason(Why.NAME_AND_ADDRESS),)


def test_a_chain_of_matches_is_one_group(profile: Profile) -> None:
    a = make(profile, name="甲公司", phone="13800138000")
    b = make(profile, name="乙公司", phone="13800138000", email="b@x.cn")
    c = make(profile, name="丙公司", email="b@x.cn")
    d = make(profile, name="丁公司", identifiers=[("tax_number", "91440300ABC")])
    e = make(profile, name="戊公司", identifiers=[("tax_number", "91440300abc")])
    found = groups(profile)
    assert id_sets(found) == [{a, b, c}, {d, e}]
    assert [r.why for r in reasons_of(found[0], a)] == [Why.PHONE]
    assert [r.why for r in reasons_of(found[0], b)] == [Why.PHONE, Why.EMAIL]
    assert [r.why for r in reasons_of(found[0], c)] == [Why.EMAIL]


def test_a_chain_too_long_is_split_by_kind_of_link(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "LONGEST_CHAIN", 3)
    a = make(profile, name="深圳市华强电子有限公司")
    b = make(profile, name="深圳华强电子", email="x@x.cn")
    c = make(profile, name="深圳市远航物流有限公司", email="x@x.cn")
    d = make(profile, name="远航物流(深圳)有限公司")
    found = groups(profile)
    assert sorted(map(sorted, id_sets(found))) == sorted(map(sorted, [{a, b}, {b, c}, {c, d}]))
    by_email = next(group for group in found if set(group.ids) == {b, c})
    assert [r.why for r in reasons_of(by_email, b)] == [Why.EMAIL]


def test_a_value_many_share_is_a_placeholder(profile: Profile) -> None:
    # Twenty branches may share their head office's email; twenty-one records sharing one are
    # a placeholder ("none@none.com"), and say nothing.
    assert MAX_SHARED == 20
    shared = []
    for number in range(41):
        name = chr(0x5000 + 7 * number) + chr(0x6000 + 11 * number)  # unlike one another
        email = "office@hq.cn" if number < 20 else "none@none.com"
        shared.append(make(profile, name=name, email=email))
    assert id_sets(groups(profile)) == [set(shared[:20])]


def test_deleted_records_are_left_out(profile: Profile) -> None:
    a = make(profile, name="甲公司", phone="13800138000")
    b = make(profile, name="乙公司", phone="13800138000")
    assert id_sets(groups(profile)) == [{a, b}]
    profile.writer().delete("customers", [b])
    assert groups(profile) == []
    # A deleted customer's identifier that is still live (as a sync may leave it) counts not.
    make(profile, name="丙公司", identifiers=[("tax_number", "914403")])
    d = make(profile, name="丁公司", identifiers=[("tax_number", "914403")])
    with profile.store.write() as session:
        session.execute(
            update(Customer).where(Customer.id == d).values(deleted_at=datetime(2030, 1, 1))
        )
    assert groups(profile) == []


def test_members_carry_what_the_list_shows(profile: Profile) -> None:
    profile.writer().update("users", profile.user_id, {"name": "Max"})
    a = make(profile, name="甲公司", phone="13800138000", email="a@x.cn", address="深圳市")
    make(profile, name="乙公司", phone="13800138000")
    member = next(m for m in groups(profile)[0].members if m.id == a)
    assert (member.name, member.phone, member.email, member.owner, member.city) == (
        "甲公司",
        "+8613800138000",
        "a@x.cn",
        "Max",
        "深圳",
    )


def test_progress_and_cancel(profile: Profile) -> None:
    make(profile, name="甲公司", phone="13800138000")
    make(profile, name="乙公司", phone="13800138000")
    steps: list[tuple[int, int]] = []
    with profile.store.read() as session:
        find_duplicate_groups(session, progress=lambda done, total: steps.append((done, total)))
    assert steps[0] == (0, STEPS) and steps[-1] == (STEPS, STEPS)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)
    with profile.store.read() as session, pytest.raises(Cancelled):
        find_duplicate_groups(session, cancelled=lambda: True)


def test_reason_texts_are_translated_in_their_context(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def translate(context: str, text: str, *_args: Any) -> str:
        asked.append((context, text))
        return text

    monkeypatch.setattr(QCoreApplication, "translate", translate)
    Reason(Why.NAME, city="深圳", score=90).text()
    Reason(Why.IDENTIFIER, "X1", "tax_number").text()
    assert asked == [
        ("Duplicates", "Similar name ({score}%) in {city}"),
        ("Choices", "Tax number"),
        ("Duplicates", "Same identifier: {kind} {value}"),
    ]


# -- contacts ----------------------------------------------------------------------------------


def test_contacts(profile: Profile) -> None:
    acme = make(profile, name="Acme", phone="0755 8888 1234")
    bolt = make(profile, name="Bolt")
    # The same mobile (in two spellings, in either field), at two customers.
    a = make(profile, "contacts", customer_id=acme, name="李雷", mobile="138-0013-8000")
    b = make(profile, "contacts", customer_id=bolt, name="Li Lei", phone="+8613800138000")
    # The same email.
    c = make(profile, "contacts", customer_id=acme, name="韩梅梅", email="mei@x.cn")
    d = make(profile, "contacts", customer_id=bolt, name="Han", email="MEI@x.cn")
    # The same name at the same customer, but not at another one.
    e = make(profile, "contacts", customer_id=acme, name="王 芳")
    f = make(profile, "contacts", customer_id=acme, name="王芳")
    make(profile, "contacts", customer_id=bolt, name="王芳")
    # An office's switchboard, shared by everyone there, is no sign; a direct line is.
    make(profile, "contacts", customer_id=acme, name="赵一", phone="0755 8888 1234")
    make(profile, "contacts", customer_id=acme, name="钱二", phone="0755 8888 1234")
    g = make(profile, "contacts", customer_id=acme, name="孙三", phone="0755 8888 1234 转 8")
    h = make(profile, "contacts", customer_id=bolt, name="Sun", phone="075588881234 ext 8")
    found = groups(profile, "contacts")
    assert sorted(map(sorted, id_sets(found))) == sorted(
        map(sorted, [{a, b}, {c, d}, {e, f}, {g, h}])
    )
    pair = next(group for group in found if set(group.ids) == {e, f})
    assert reasons_of(pair, e) == (Reason(Why.NAME_AT_CUSTOMER),)
    member = next(m for m in pair.members if m.id == e)
    assert (member.customer_id, member.customer) == (acme, "Acme")


# -- an import's rows --------------------------------------------------------------------------


@pytest.fixture
def stored(profile: Profile) -> dict[str, str]:
    return {
        "huaqiang": make(
            profile,
            name="深圳市华强电子有限公司",
            phone="0755-8888 1234",
            email="info@huaqiang.cn",
            address="深圳市福田区",
            identifiers=[("tax_number", "91440300ABC")],
        ),
        "northwind": make(profile, name="Northwind Technology Ltd", address="Pudong, Shanghai"),
        "zhang": make(profile, name="张伟", kind="person", address="深圳市南山区科技园路1号"),
    }


def index_of(profile: Profile, entity: str = "customers") -> DuplicateIndex:
    with profile.store.read() as session:
        return DuplicateIndex.build(session, entity)


def test_an_import_row_matches_stored_records(profile: Profile, stored: dict[str, str]) -> None:
    index = index_of(profile)
    assert len(index) == 3
    [match] = index.matches({"name": "新名字", "phone": "+86 755 8888-1234"})
    assert (match.record_id, match.row, match.name) == (
        stored["huaqiang"],
        None,
        "深圳市华强电子有限公司",
    )
    assert match.reasons == (Reason(Why.PHONE, "+8675588881234"),)
    [match] = index.matches({"name": "甲", "email": "INFO@huaqiang.cn "})
    assert match.reasons == (Reason(Why.EMAIL, "INFO@huaqiang.cn"),)
    [match] = index.matches({"name": "乙", "identifiers": [("tax_number", "91440300abc")]})
    assert match.reasons == (Reason(Why.IDENTIFIER, "91440300abc", "tax_number"),)
    [match] = index.matches({"name": "华强电子科技有限公司", "address": "广东省深圳市"})
    assert match.reasons == (Reason(Why.NAME, city="深圳", score=90),)
    [match] = index.matches({"name": "Northwind Technology Co., Ltd.", "address": "Shanghai"})
    assert (match.record_id, match.reasons) == (
        stored["northwind"],
        (Reason(Why.NAME, city="上海"),),
    )
    [match] = index.matches({"name": "张伟", "kind": "person", "address": "深圳南山区科技园路1号"})
    assert match.record_id == stored["zhang"]
    # Everything at once: one match, every reason, the most telling first.
    [match] = index.matches(
        {
            "name": "华强电子股份有限公司",
            "phone": "075588881234",
            "email": "info@huaqiang.cn",
            "address": "深圳市",
        }
    )
    assert [r.why for r in match.reasons] == [Why.PHONE, Why.EMAIL, Why.NAME]


def test_an_import_row_matching_nothing(profile: Profile, stored: dict[str, str]) -> None:
    index = index_of(profile)
    assert index.matches({"name": "华强科技有限公司", "address": "深圳市"}) == []
    assert index.matches({"name": "华强电子有限公司", "address": "广州市"}) == []
    assert index.matches({"name": "张伟", "kind": "person", "address": "深圳市福田区"}) == []
    # A number the writer would refuse matches nothing (the row is refused anyway).
    assert index.matches({"name": "丙", "phone": "12345"}) == []


def test_a_later_row_matches_an_earlier_row_of_the_file(
    profile: Profile, stored: dict[str, str]
) -> None:
    index = index_of(profile)
    first = {"name": "远航物流有限公司", "phone": "13900139000", "address": "深圳市"}
    assert index.matches(first) == []
    index.add(first, 2)
    [match] = index.matches({"name": "深圳远航物流", "phone": "139 0013 9000"})
    assert (match.record_id, match.row, match.name) == (None, 2, "远航物流有限公司")
    assert [r.why for r in match.reasons] == [Why.PHONE, Why.NAME]
    # A row matching both a stored record and an earlier row hears of both.
    index.add({"name": "另一家", "email": "info@huaqiang.cn"}, 3)
    found = index.matches({"name": "又一家", "email": "info@huaqiang.cn"})
    assert {(m.record_id, m.row) for m in found} == {(stored["huaqiang"], None), (None, 3)}


def test_an_import_of_contacts(profile: Profile) -> None:
    acme = make(profile, name="Acme")
    bolt = make(profile, name="Bolt")
    lei = make(profile, "contacts", customer_id=acme, name="李雷", mobile="13800138000")
    index = index_of(profile, "contacts")
    [match] = index.matches({"customer_id": bolt, "name": "Li Lei", "phone": "138 0013 8000"})
    assert (match.record_id, match.reasons) == (lei, (Reason(Why.PHONE, "+8613800138000"),))
    [match] = index.matches({"customer_id": acme, "name": "李 雷"})
    assert match.reasons == (Reason(Why.NAME_AT_CUSTOMER),)
    assert index.matches({"customer_id": bolt, "name": "李雷"}) == []
    index.add({"customer_id": bolt, "name": "韩梅梅", "email": "mei@x.cn"}, 7)
    [match] = index.matches({"customer_id": acme, "name": "Han", "email": "Mei@X.cn"})
    assert match.row == 7
