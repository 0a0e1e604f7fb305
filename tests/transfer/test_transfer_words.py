"""An import's sentences in the user's words: an identifier's kind by its name, as forms show it
(and read back so), and "name: reason" pairs from a format a language writes its own colon in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from crm_desktop.duplicates import Match
from crm_desktop.duplicates.model import Reason, Why
from crm_desktop.models.choices import choice_label
from crm_desktop.transfer.cells import parse_identifiers
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.reading import FileTable
from crm_desktop.transfer.staging import ImportOutcome, Staging

# What a Chinese translation of these messages says (the committed one may not have them yet).
CHINESE = {
    ("Choices", "Licence plate"): "车牌号",
    ("Transfer", "{name}: {reason}"): "{name}：{reason}",
    ("Transfer", "{name} ({place}): {reason}"): "{name}（{place}）：{reason}",
}


class Chinese(QTranslator):
    def translate(  # Qt override
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return CHINESE.get((context, source))  # None: not translated here

    def isEmpty(self) -> bool:  # Qt override
        return False


@pytest.fixture
def chinese(qapp: QCoreApplication) -> Iterator[None]:
    translator = Chinese()
    assert QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def refusal(text: str) -> str:
    with pytest.raises(TransferError) as refused:
        parse_identifiers(text)
    return str(refused.value)


def test_a_bad_identifier_is_shown_an_example_by_the_kinds_name(qapp: QCoreApplication) -> None:
    text = refusal("粤B12345")
    assert "licence_plate" not in text
    assert (
        text
        == "“粤B12345” is not an identifier; write kind:number, for example Licence plate:粤B12345."
    )


def test_the_example_is_in_the_users_language_and_reads_back(chinese: None) -> None:
    assert choice_label("licence_plate") == "车牌号"
    assert "车牌号:粤B12345" in refusal("plate:粤B12345")
    # What the example says to write is read as the kind it names.
    assert parse_identifiers("车牌号:粤B12345") == [("licence_plate", "粤B12345")]
    assert parse_identifiers("Licence plate:粤B1; tax_number:9144") == [
        ("licence_plate", "粤B1"),
        ("tax_number", "9144"),
    ]


def test_the_codes_the_export_writes_still_read(qapp: QCoreApplication) -> None:
    assert parse_identifiers("licence_plate:粤B12345; member_number:VIP1") == [
        ("licence_plate", "粤B12345"),
        ("member_number", "VIP1"),
    ]
    assert parse_identifiers("LICENCE PLATE:粤B1") == [("licence_plate", "粤B1")]


def test_the_words_a_column_is_headed_by_name_a_kind_whatever_the_language(
    qapp: QCoreApplication,
) -> None:
    """In an English program too: 车牌, 身份证, 税号 name their kinds, as they do as headers, and
    the full-width colon and semicolon of Chinese typing read as the ASCII ones."""
    assert parse_identifiers("车牌：粤B11111；身份证:11010519491231002X") == [
        ("licence_plate", "粤B11111"),
        ("id_card", "11010519491231002X"),
    ]
    assert parse_identifiers("车牌号:粤B22222; 税号:91440300MA5F") == [
        ("licence_plate", "粤B22222"),
        ("tax_number", "91440300MA5F"),
    ]
    with pytest.raises(TransferError):
        parse_identifiers("电话:13800138000")  # a phone is no identifier


def staging() -> Staging:
    table = FileTable(["name"], [], "line")
    return Staging("CN", "customers", table, {0: "name"}, ["name"], ["Name"], [])


def test_a_name_and_its_reason_are_one_translatable_sentence(chinese: None) -> None:
    same = (Reason(Why.EMAIL, "a@b.cn"),)
    stored = Match("同在公司", same, record_id="x")
    earlier = Match("同在公司", same, row=3)
    reasons = staging().match_text(Match("r", same)).split("：", 1)[-1]
    assert staging().match_text(stored) == f"同在公司：{reasons}"
    assert staging().match_text(earlier).startswith("同在公司（line 3 of this file）：")
    outcome = ImportOutcome("customers", "b", 1, 0, 0, [], ["name"], "line")
    assert "：Added 1, updated 0, skipped 0." in outcome.text()


def test_in_english_the_colon_is_the_usual_one(qapp: QCoreApplication) -> None:
    same = (Reason(Why.EMAIL, "a@b.cn"),)
    text = staging().match_text(Match("Acme", same, record_id="x"))
    assert text.startswith("Acme: ") and "a@b.cn" in text
    outcome = ImportOutcome("customers", "b", 1, 0, 0, [], ["name"], "line")
    assert outcome.text() == "Customer: Added 1, updated 0, skipped 0."
