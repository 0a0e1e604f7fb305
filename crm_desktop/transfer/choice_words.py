"""A coded value as people write it in their sheets: its code (`company`, as the export writes
it), or its label in English or in Chinese (Company, 企业; Bank transfer, 转账), whatever the
language the program itself runs in: a clerk's sheet from an old system is in Chinese even on
an English command line.

The Chinese labels are read from the program's own Chinese translation, the one the window
shows them in, so a form and an import agree on every word.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QTranslator

from crm_desktop.models.choices import CHOICE_LABELS, DEFAULT_GRADE_SHARES, filled_label
from crm_desktop.resources import resources_dir
from crm_desktop.transfer.cells import matched_text

# The languages whose labels an import reads besides English.
LABEL_LANGUAGES = ("zh_CN",)
# Other words old systems' sheets use for a code ("|" between them): a field takes those of its
# own codes only, so 微信 is WeChat Pay for a payment and a message for a follow-up.
OTHER_WORDS = {
    "company": "公司|企业客户|单位|法人",
    "person": "个人客户|自然人|个体",
    "transfer": "转账|对公转账|汇款|电汇",
    "wechat": "微信|微信转账",
    "card": "银行卡|信用卡|pos",
    "active": "执行中|有效|生效|进行中|履行中",
    "ended": "到期|已结束|结束|已完成",
    "terminated": "终止|解除|已解除",
    "lead": "线索|潜在客户|初步沟通",
    "proposal": "报价|方案",
    "negotiation": "谈判|商谈",
    "won": "成交|签约|已签约",
    "lost": "丢单|失败|未成交",
    "call": "打电话|致电|电话沟通",
    "visit": "上门|上门拜访|面谈",
    "message": "微信|短信|qq",
    "email": "电子邮件",
    "high": "紧急|重要",
    "normal": "中|一般",
}


def choice_code(choices: tuple[str, ...], cell: str) -> str:
    """The code among `choices` that `cell` names by its code or a label; the cell as it is
    when it names none (the writer then refuses it, saying which values it takes)."""
    if cell in choices:
        return cell  # the code itself, as an export writes it: nearly every cell of a big file
    return _codes_by_word(choices).get(matched_text(cell), cell)


@cache
def _codes_by_word(choices: tuple[str, ...]) -> dict[str, str]:
    translators = [found for found in map(_translator, LABEL_LANGUAGES) if found is not None]
    words: dict[str, str] = {}
    for code in choices:
        words.setdefault(matched_text(code), code)
    for code in choices:
        label = CHOICE_LABELS.get(code)
        if label is None:
            continue
        named = [label, *(translator.translate("Choices", label) for translator in translators)]
        for name in named:
            if name:
                # A grade's label as an export of the defaults wrote it (the code, mostly).
                filled = filled_label(code, name, DEFAULT_GRADE_SHARES)
                words.setdefault(matched_text(filled), code)
    for code in choices:
        for name in OTHER_WORDS.get(code, "").split("|"):
            if name:
                words.setdefault(matched_text(name), code)
    return words


@cache
def _translator(language: str) -> QTranslator | None:
    """A translator of the program's .qm for `language`, loaded but never installed: it
    translates only what is asked of it here."""
    translator = QTranslator()
    if translator.load(f"crm_desktop_{language}", str(resources_dir() / "translations")):
        return translator
    return None
