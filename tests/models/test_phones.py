"""Phone numbers: a mainland mobile has 11 digits, landlines need their area code, and an
extension is kept with the number (and the number without it still finds it)."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from crm_desktop.models.phones import (
    _mainland_pattern_valid,
    display_phone,
    normalize_phone,
    phone_search_keys,
)
from crm_desktop.models.rules import clean_values, problems
from crm_desktop.models.search_keys import query_terms, search_text_of
from crm_desktop.models.validation import InvalidInput


@pytest.mark.parametrize(
    "typed", ["1380013800", "138 0013 800", "138001380001", "+86 138 0013 80001"]
)
def test_mainland_mobiles_of_10_or_12_digits_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values("customers", {"phone": typed}, "CN", creating=False)
    assert caught.value.field == "phone"
    digits = sum(ch.isdigit() for ch in typed) - (2 if typed.startswith("+86") else 0)
    assert caught.value.text() == (
        f"Phone: “{typed}” has {digits} digits; a mobile number in China has 11."
    )


def test_the_refusal_names_the_field_it_is_about() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_values("contacts", {"mobile": "1391234567"}, "CN", creating=False)
    assert caught.value.field == "mobile"
    assert caught.value.text().startswith("Mobile: “1391234567” has 10 digits")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "+8613800138000"),
        ("139 1234 5678", "+8613912345678"),
        ("+86 199-1234-5678", "+8619912345678"),
        ("010-8888 6666", "+861088886666"),
        ("0755-8888 1234", "+8675588881234"),
        ("(021) 6888 8888", "+862168888888"),
    ],
)
def test_eleven_digit_mobiles_and_landlines_with_area_code_are_accepted(
    typed: str, stored: str
) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0755-8888 1234 转5", "+8675588881234;ext=5", "0755 8888 1234 ext. 5"),
        ("0755-8888 1234转5", "+8675588881234;ext=5", "0755 8888 1234 ext. 5"),
        ("0755-8888 1234 分机 5", "+8675588881234;ext=5", "0755 8888 1234 ext. 5"),
        ("+86 10 8888 6666 ext 12", "+861088886666;ext=12", "010 8888 6666 ext. 12"),
        ("010 8888 6666 x5", "+861088886666;ext=5", "010 8888 6666 ext. 5"),
    ],
)
def test_an_extension_is_kept(typed: str, stored: str, shown: str) -> None:
    assert normalize_phone(typed) == stored
    assert display_phone(stored) == shown
    # What the form shows is read back as the same number.
    assert normalize_phone(display_phone(stored)) == stored


def test_a_number_with_an_extension_is_found_by_its_main_number() -> None:
    stored = normalize_phone("0755-8888 1234 转5")
    assert phone_search_keys(stored) == phone_search_keys("+8675588881234")
    text = search_text_of("华强电子", None, None, [stored], [], [])
    for query in ("0755 8888 1234", "+86 755 8888 1234", "75588881234"):
        (term,) = query_terms(query)
        assert any(spelling in text for spelling in term), query


def test_problems_gives_every_bad_field_and_clean_values_the_first() -> None:
    values = {"name": "", "phone": "1380013800", "email": "nobody-at-example", "grade": "A"}
    found = problems("customers", values, "CN", creating=True)
    assert list(found) == ["name", "phone", "email"]
    assert found["name"].text() == "Name is required."
    assert found["email"].text() == "“nobody-at-example” is not an email address."
    with pytest.raises(InvalidInput) as caught:
        clean_values("customers", values, "CN", creating=True)
    assert caught.value.field == "name"


def test_problems_when_creating_names_missing_required_fields_and_unknown_ones() -> None:
    found = problems("customers", {"colour": "red"}, "CN", creating=True)
    assert set(found) == {"colour", "name"}
    assert (
        problems("customers", {"name": "Acme", "phone": "13800138000"}, "CN", creating=True) == {}
    )
    assert problems("customers", {"phone": "13800138000"}, "CN", creating=False) == {}


def _fully_parsed(typed: str) -> str | None:
    """normalize_phone's answer the slow way: phonenumbers' own parsing and checks."""
    try:
        number = phonenumbers.parse(typed, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _assert_agrees_with_full_parsing(spellings: list[str]) -> None:
    """Valid numbers stored as phonenumbers stores them, the rest refused as it refuses them;
    and both sides of the rule were tried."""
    stored = refused = 0
    for typed in spellings:
        expected = _fully_parsed(typed)
        if expected is None:
            with pytest.raises(InvalidInput):
                normalize_phone(typed)
            refused += 1
        else:
            assert normalize_phone(typed) == expected, typed
            stored += 1
    assert stored > 1000 and refused > 1000


def test_the_quick_path_for_mobiles_agrees_with_full_parsing() -> None:
    # Every 11-digit number from 1 in four spellings: valid ones stored as phonenumbers
    # stores them, the rest refused as phonenumbers refuses them.
    rng = random.Random(7)
    spellings = []
    for _ in range(5000):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        spellings += [
            digits,
            "+86" + digits,
            f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}",
        ]
    _assert_agrees_with_full_parsing(spellings)


def _national_digits(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


def test_search_keys_agree_with_phonenumbers_for_every_kind_of_mainland_number() -> None:
    # Random valid mainland numbers of every length and kind (landlines of two- and three-digit
    # area codes, mobiles, 400/800 and 95xxx service numbers, 1010 carriers): the quick paths
    # give the keys the full parsing gives.
    rng = random.Random(11)
    checked: set[str] = set()
    for _ in range(50_000):
        length = rng.choice([8, 9, 10, 11, 12])
        national = rng.choice("123456789") + "".join(
            rng.choice("0123456789") for _ in range(length - 1)
        )
        if rng.random() < 0.2:
            national = rng.choice(["400", "800", "10", "95", "1010", "20", "755"]) + national[3:]
        e164 = "+86" + national
        if not phonenumbers.is_valid_number(phonenumbers.parse(e164, None)):
            continue
        expected = [e164[1:]]
        if _national_digits(e164) != expected[0]:
            expected.append(_national_digits(e164))
        assert phone_search_keys(e164) == expected, e164
        checked.add(national[:2] if not national.startswith(("400", "800")) else national[:3])
    # Each kind was met: both sides of every quick path's exclusions.
    assert {"10", "20", "75", "13", "95", "400", "800"} <= checked


def test_the_quick_path_for_landlines_agrees_with_full_parsing() -> None:
    # Numbers after a trunk 0 or +86, of every length around a landline's, in the spellings
    # people type: valid ones stored as phonenumbers stores them, the rest refused as it does.
    rng = random.Random(5)
    spellings = []
    for _ in range(4000):
        length = rng.choice([8, 9, 10, 11, 12])
        national = rng.choice(["10", "20", "21", "755", "571", "4", "8", "9", "3", "1"])
        national += "".join(rng.choice("0123456789") for _ in range(length - len(national)))
        spellings += [
            "0" + national,
            "+86" + national,
            f"0{national[:3]}-{national[3:]}",
            f"+86 {national[:3]} {national[3:]}",
        ]
    _assert_agrees_with_full_parsing(spellings)


def test_the_two_pattern_check_never_calls_valid_what_phonenumbers_refuses() -> None:
    # Random mainland national numbers of every length: whenever the mobile-or-landline
    # patterns say valid, phonenumbers agrees; and they do say so for nearly every valid one.
    rng = random.Random(13)
    said_valid = agreed_valid = 0
    for _ in range(40_000):
        length = rng.choice([7, 8, 9, 10, 11, 12])
        national = rng.choice("123456789") + "".join(
            rng.choice("0123456789") for _ in range(length - 1)
        )
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(national))
        valid = phonenumbers.is_valid_number(number)
        if _mainland_pattern_valid(national):
            assert valid, national
            said_valid += 1
        agreed_valid += valid
    assert said_valid > 0.9 * agreed_valid > 1000


def test_full_width_digits_are_stored_as_ordinary_ones() -> None:
    # As a Chinese input method may type them: read as their digits, never stored as typed.
    assert normalize_phone("１３８００１３８０００") == "+8613800138000"
    assert normalize_phone("+86 １３８ ００１３ ８０００") == "+8613800138000"
