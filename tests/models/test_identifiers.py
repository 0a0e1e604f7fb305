"""ID card numbers and credit codes carry their own check: one mistyped character, or a number
cut short, is refused with a sentence naming it; the other kinds, and older tax numbers, are
taken as typed."""

from __future__ import annotations

import pytest

from crm_desktop.models.base import new_id
from crm_desktop.models.entities import CustomerIdentifier
from crm_desktop.models.identifiers import check_identifier, credit_code_check, id_card_check
from crm_desktop.models.search_keys import identifier_key
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile

VALID_ID = "11010519491231002X"  # the check character of GB 11643's own example
VALID_CODE = "91350100M000100Y43"


def test_the_check_characters_are_the_standards() -> None:
    assert id_card_check(VALID_ID[:17]) == "X"
    assert credit_code_check(VALID_CODE[:17]) == "3"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("id_card", VALID_ID),
        ("id_card", VALID_ID.lower()),  # the x of a number typed in small letters
        ("id_card", "110105491231002"),  # the first generation's 15 digits
        ("tax_number", VALID_CODE),
        ("tax_number", "440301123456789"),  # an old tax registration number
        ("tax_number", VALID_ID),  # an individual's old tax number: his ID card number
        ("tax_number", "91440300ABC"),  # not a credit code's shape: taken as typed
        ("licence_plate", "粤B12345"),
        ("policy_number", "PICC-2026-0001"),
    ],
)
def test_what_passes(kind: str, value: str) -> None:
    check_identifier(kind, value)


@pytest.mark.parametrize(
    ("kind", "value", "said"),
    [
        ("id_card", "110105194912310021", "not a valid ID card number"),  # wrong last digit
        ("id_card", "11010519491331002X", "not a valid ID card number"),  # a 13th month
        ("id_card", "1101051949", "not an ID card number"),  # cut short
        ("id_card", "粤B12345", "not an ID card number"),
        ("tax_number", "91350100M000100Y44", "not a valid tax number"),
    ],
)
def test_what_is_refused_and_how_it_is_said(kind: str, value: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said) as refused:
        check_identifier(kind, value)
    assert refused.value.field == "identifiers"
    assert f"“{value}”" in str(refused.value)


def test_the_writer_refuses_a_customer_with_a_mistyped_id_card_and_writes_nothing(
    profile: Profile,
) -> None:
    writer = profile.writer()
    before = writer.pending_changes()
    with pytest.raises(InvalidInput, match="not a valid ID card number"):
        writer.create(
            "customers",
            {"name": "王芳", "identifiers": [("id_card", "110105194912310021")]},
        )
    assert writer.pending_changes() == before
    made = writer.create("customers", {"name": "王芳", "identifiers": [("id_card", VALID_ID)]})
    assert made.primary_id


def test_a_number_the_customer_has_already_does_not_stop_an_edit(profile: Profile) -> None:
    """A legacy number that fails its check (synced from the server, written before the check)
    stays through an edit of anything else; a new one is held to it."""
    writer = profile.writer()
    customer = writer.create("customers", {"name": "王芳"}).primary_id
    legacy = "110105194912310021"
    with profile.store.write() as session:
        session.add(
            CustomerIdentifier(
                id=new_id(),
                customer_id=customer,
                kind="id_card",
                value=legacy,
                value_key=identifier_key(legacy),
            )
        )
    assert writer.update(
        "customers",
        customer,
        {"phone": "13800138000", "identifiers": [("id_card", legacy)]},
    )
    with pytest.raises(InvalidInput, match="not a valid ID card number"):
        writer.update(
            "customers",
            customer,
            {"identifiers": [("id_card", legacy), ("id_card", "440305199001011234")]},
        )
