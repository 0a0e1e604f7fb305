"""Turning typed text into stored values: phones, money, dates, choices."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.models.phones import display_phone, normalize_phone, phone_search_keys
from crm_desktop.models.rules import clean_value, clean_values
from crm_desktop.models.search_keys import identifier_key, query_terms
from crm_desktop.models.validation import InvalidInput


@pytest.mark.parametrize(
    "typed", ["138-0013-8000", "+86 138 0013 8000", "13800138000", "(138)00138000"]
)
def test_one_mobile_in_many_spellings(typed: str) -> None:
    assert normalize_phone(typed) == "+8613800138000"


def test_landline_keys_include_trunk_zero() -> None:
    e164 = normalize_phone("0755-8888 1234")
    assert e164 == "+8675588881234"
    assert display_phone(e164) == "0755 8888 1234"
    assert "075588881234" in phone_search_keys(e164)


def test_foreign_numbers_display_internationally() -> None:
    assert display_phone(normalize_phone("+44 20 7946 0958")) == "+44 20 7946 0958"


@pytest.mark.parametrize(("typed", "cents"), [("1,234.50", 123450), ("¥99", 9900), ("0.015", 2)])
def test_money_in_yuan_becomes_fen(typed: str, cents: int) -> None:
    assert clean_value(FIELDS_BY_NAME["opportunities"]["amount_cents"], typed, "CN") == cents


def test_probability_out_of_range_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values("opportunities", {"probability": "120"}, "CN", creating=False)
    assert caught.value.field == "probability"
    assert caught.value.text() == "Probability % must be between 0 and 100."


def test_dates_and_datetimes() -> None:
    fields = FIELDS_BY_NAME
    assert clean_value(fields["opportunities"]["expected_close"], "2026/12/31", "CN") == date(
        2026, 12, 31
    )
    assert clean_value(fields["tasks"]["due_at"], "2026-12-31 17:30", "CN") == datetime(
        2026, 12, 31, 17, 30
    )
    with pytest.raises(InvalidInput, match="must be a date like"):
        clean_value(fields["tasks"]["due_at"], "next friday", "CN")


def test_unknown_field_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no field called “colour”"):
        clean_values("customers", {"colour": "red"}, "CN", creating=False)


def test_identifier_keys_and_query_terms() -> None:
    assert identifier_key("粤b 123-45") == "粤B12345"
    assert query_terms("+86 138 0013 8000") == [{"8613800138000", "+86 138 0013 8000"}]
    assert query_terms("华强  深圳") == [{"华强"}, {"深圳"}]


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "+86 199 1234 5678", "010-1234 5678", "400 810 8888", "+1 650 253 0000"],
)
def test_mobile_fast_path_gives_what_phonenumbers_gives(typed: str) -> None:
    import phonenumbers

    e164 = normalize_phone(typed)
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = "".join(ch for ch in national if ch.isdigit())
    expected = [e164[1:]] + ([digits] if digits != e164[1:] else [])
    assert phone_search_keys(e164) == expected
