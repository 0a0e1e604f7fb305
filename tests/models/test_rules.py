"""Turning typed text into stored values: phones, money, dates, choices; refusing bad input."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.models.limits import MAX_MONEY_CENTS, MAX_PROBABILITY, MAX_QUANTITY
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


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("1,234.50", 123450),
        ("¥99", 9900),
        ("0.010", 1),
        ("2.5000", 250),
        # As a Chinese input method types them: full-width digits, its full stop and comma.
        ("１２３４。５", 123450),
        ("１２３４.５０", 123450),
        ("1，234.50", 123450),
        ("￥99", 9900),
        ("100元", 10000),
        ("¥1 000", 100000),
        ("12,345,678", 1234567800),
    ],
)
def test_money_in_yuan_becomes_fen(typed: str, cents: int) -> None:
    assert clean_value(FIELDS_BY_NAME["opportunities"]["amount_cents"], typed, "CN") == cents


@pytest.mark.parametrize("typed", ["12,50", "1,2", "1.234,50", "1,23,456", "12 34", "1,000 000"])
def test_a_comma_that_is_no_thousands_separator_is_refused_not_guessed(typed: str) -> None:
    """12,50 read as 1,250 would be a hundred times the amount, and nothing would show it."""
    with pytest.raises(InvalidInput) as caught:
        clean_value(FIELDS_BY_NAME["payments"]["amount_cents"], typed, "CN")
    assert caught.value.text() == (
        f"Amount “{typed}” is split where no thousands end: a comma or a space goes only "
        "between thousands (1,250.00), and the decimal point is a dot (12.50)."
    )


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


# -- control characters ----------------------------------------------------------------------


def refused(label: str, code: str) -> str:
    return f"{label} contains a control character (U+{code}); remove it."


@pytest.mark.parametrize(
    ("entity", "name", "typed", "sentence"),
    [
        ("customers", "name", "华强\x00电子", refused("Name", "0000")),
        ("customers", "name", "Acme\tLtd", refused("Name", "0009")),
        ("customers", "name", "Acme\nLtd", refused("Name", "000A")),
        ("customers", "name", "Acme\x7f", refused("Name", "007F")),
        ("customers", "name", "Acme\x85", refused("Name", "0085")),
        ("customers", "name", "\x9fAcme", refused("Name", "009F")),
        ("contacts", "name", "张\x1b伟", refused("Name", "001B")),
        ("customer_identifiers", "value", "粤B\x0012345", refused("Number", "0000")),
        ("customers", "email", "a\x00@b.cn", refused("Email", "0000")),
        ("customers", "phone", "138\x000013", refused("Phone", "0000")),
        ("customers", "grade", "A\rB", refused("Grade", "000D")),
    ],
)
def test_control_characters_in_single_line_fields_are_refused(
    entity: str, name: str, typed: str, sentence: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values(entity, {name: typed}, "CN", creating=False)
    assert caught.value.field == name
    assert caught.value.text() == sentence


@pytest.mark.parametrize(
    ("name", "pasted", "kept"),
    [
        ("name", "Acme Ltd\r\n", "Acme Ltd"),  # one cell copied from Excel
        ("name", "\t深圳华强\n", "深圳华强"),
        ("phone", "138 0013 8000\r\n", "+8613800138000"),
        ("grade", "A\r", "A"),
    ],
)
def test_line_breaks_and_tabs_around_a_pasted_value_are_taken_off(
    name: str, pasted: str, kept: str
) -> None:
    assert clean_values("customers", {name: pasted}, "CN", creating=False)[name] == kept


@pytest.mark.parametrize(
    ("entity", "name", "pasted", "kept"),
    [
        ("customers", "name", "华\u200b为", "华为"),  # zero-width space, from a chat
        ("customers", "name", "\ufeffAcme Ltd", "Acme Ltd"),  # a byte order mark
        ("customers", "name", "Acme \u202eLtd\u202c", "Acme Ltd"),  # a right-to-left override
        ("customers", "name", "\u2066Acme\u2069\u200e", "Acme"),  # an isolate, a mark
        ("contacts", "name", "张\u200d伟\u2060", "张伟"),
        ("customers", "phone", "138\u200b0013\u200c8000", "+8613800138000"),
        ("customer_identifiers", "value", "粤B\u200b12345", "粤B12345"),
        ("customers", "email", "li\u200b@acme.cn", "li@acme.cn"),
    ],
)
def test_invisible_characters_are_taken_out_of_one_line_values(
    entity: str, name: str, pasted: str, kept: str
) -> None:
    assert clean_values(entity, {name: pasted}, "CN", creating=False)[name] == kept


def test_a_value_of_invisible_characters_alone_is_blank() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values("customers", {"name": "\u200b\u200b"}, "CN", creating=True)
    assert caught.value.text() == "Name is required."


def test_long_text_keeps_its_invisible_characters() -> None:
    """An emoji's joiner and right-to-left script in a note are the user's to keep."""
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 \u202bمرحبا\u202c"
    assert clean_value(FIELDS_BY_NAME["followups"]["text"], family, "CN") == family


def test_long_text_keeps_tabs_and_line_breaks_and_normalises_carriage_returns() -> None:
    notes = FIELDS_BY_NAME["customers"]["notes"]
    assert (
        clean_value(notes, "1.\tcall back\n2.\tsend quote", "CN") == "1.\tcall back\n2.\tsend quote"
    )
    assert clean_value(notes, "Windows\r\nold Mac\rUnix\n", "CN") == "Windows\nold Mac\nUnix"
    promise = FIELDS_BY_NAME["followups"]["promise"]
    assert clean_value(promise, "a\r\n\r\nb", "CN") == "a\n\nb"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("a\x00b", "0000"), ("a\x0bb", "000B"), ("a\x0cb", "000C"), ("a\x80b", "0080")],
)
def test_long_text_refuses_other_control_characters(typed: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_value(FIELDS_BY_NAME["followups"]["text"], typed, "CN")
    assert caught.value.text() == refused("What was said", code)


def test_no_break_space_is_not_a_control_character() -> None:
    # U+00A0 is category Zs, right after the C1 block: the check must stop at U+009F.
    assert clean_value(FIELDS_BY_NAME["customers"]["name"], "华强\xa0电子", "CN") == "华强\xa0电子"


# -- numbers and their bounds ----------------------------------------------------------------

AMOUNT = FIELDS_BY_NAME["opportunities"]["amount_cents"]
AMOUNT_RANGE = "Amount must be between 0 and 1,000,000,000,000."


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("1e30", AMOUNT_RANGE),
        ("99999999999999999999", AMOUNT_RANGE),
        ("1e400", AMOUNT_RANGE),
        ("1e999999999", AMOUNT_RANGE),
        ("-1e999999999", AMOUNT_RANGE),
        ("1000000000000.01", AMOUNT_RANGE),
        (1e30, AMOUNT_RANGE),
        ("inf", "Amount must be a number, not “inf”."),
        ("nan", "Amount must be a number, not “nan”."),
        ("-Infinity", "Amount must be a number, not “-Infinity”."),
        (float("nan"), "Amount must be a number, not “nan”."),
        ("--5", "Amount must be a number, not “--5”."),
        ("12abc", "Amount must be a number, not “12abc”."),
    ],
)
def test_bad_or_huge_money_is_one_sentence(typed: object, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values("opportunities", {"amount_cents": typed}, "CN", creating=False)
    assert caught.value.field == "amount_cents"
    assert caught.value.text() == sentence


def test_money_up_to_the_limit_is_accepted() -> None:
    assert clean_value(AMOUNT, "1,000,000,000,000", "CN") == MAX_MONEY_CENTS
    assert clean_value(AMOUNT, "¥999999999999.99", "CN") == MAX_MONEY_CENTS - 1
    # From the service layer an int is already fen, and is held to the same bound.
    assert clean_value(AMOUNT, MAX_MONEY_CENTS, "CN") == MAX_MONEY_CENTS
    with pytest.raises(InvalidInput, match="between 0 and 1,000,000,000,000"):
        clean_value(AMOUNT, MAX_MONEY_CENTS + 1, "CN")
    with pytest.raises(InvalidInput, match="between 0 and 1,000,000,000,000"):
        clean_value(AMOUNT, 10**400, "CN")


QUANTITY_RANGE = "Quantity must be between 0 and 1,000,000,000."
PROBABILITY_RANGE = "Probability % must be between 0 and 100."


@pytest.mark.parametrize(
    ("entity", "name", "typed", "sentence"),
    [
        ("opportunity_lines", "quantity", "1e30", QUANTITY_RANGE),
        ("opportunity_lines", "quantity", "1e400", QUANTITY_RANGE),
        ("opportunity_lines", "quantity", 10**400, QUANTITY_RANGE),
        ("opportunity_lines", "quantity", "nan", "Quantity must be a number, not “nan”."),
        ("opportunity_lines", "quantity", "inf", "Quantity must be a number, not “inf”."),
        ("opportunity_lines", "quantity", "12abc", "Quantity must be a number, not “12abc”."),
        ("opportunities", "probability", "1e999999999", PROBABILITY_RANGE),
        ("opportunities", "probability", "99999999999999999999", PROBABILITY_RANGE),
        ("opportunities", "probability", "nan", "Probability % must be a number, not “nan”."),
        ("opportunities", "probability", "--5", "Probability % must be a number, not “--5”."),
        ("opportunities", "probability", "50.5", "Probability % must be a number, not “50.5”."),
    ],
)
def test_bad_or_huge_numbers_are_one_sentence(
    entity: str, name: str, typed: object, sentence: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values(entity, {name: typed}, "CN", creating=False)
    assert caught.value.field == name
    assert caught.value.text() == sentence


def test_numbers_up_to_their_limits_are_accepted() -> None:
    quantity = FIELDS_BY_NAME["opportunity_lines"]["quantity"]
    assert clean_value(quantity, "1,000,000,000", "CN") == MAX_QUANTITY
    assert clean_value(quantity, "0.1", "CN") == 0.1
    probability = FIELDS_BY_NAME["opportunities"]["probability"]
    assert clean_value(probability, "1e2", "CN") == MAX_PROBABILITY


def test_every_number_field_has_both_bounds() -> None:
    # The bound is what keeps a huge value from ever reaching int() or the server.
    every = [field for fields in FIELDS_BY_NAME.values() for field in fields.values()]
    numeric = [f for f in every if f.kind in (Kind.MONEY, Kind.INTEGER, Kind.NUMBER)]
    assert {"amount_cents", "quantity", "probability"} <= {f.name for f in numeric}
    for field in numeric:
        assert None not in (field.minimum, field.maximum), field.name
        if field.kind is Kind.MONEY:
            assert field.maximum == MAX_MONEY_CENTS / 100, field.name


def test_a_message_never_carries_a_control_character() -> None:
    from crm_desktop.models.validation import InvalidInput

    error = InvalidInput("x", "“{value}” is bad.", value="a\x1b[2Jb")
    assert error.text() == "“aU+001B[2Jb” is bad."


def test_a_note_has_a_length_limit() -> None:
    from crm_desktop.models.limits import MAX_LONG_TEXT
    from crm_desktop.models.rules import clean_values

    assert clean_values("customers", {"notes": "x" * MAX_LONG_TEXT}, "CN", creating=False)
    with pytest.raises(InvalidInput, match="Notes is longer than 100,000 characters"):
        clean_values("customers", {"notes": "x" * (MAX_LONG_TEXT + 1)}, "CN", creating=False)
