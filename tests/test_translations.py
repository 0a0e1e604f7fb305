"""The committed translations cover every message in the code, and the compiled files match them.

A developer who adds a string gets a failing test naming it: run resources/translations/update.sh,
translate the new messages in crm_desktop_zh_CN.ts, and run update.sh again to recompile.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "crm_desktop"
TRANSLATIONS = ROOT / "resources" / "translations"
EXTRA_SOURCES = TRANSLATIONS / "extra_sources.py"
BIN = Path(sys.executable).parent
LANGUAGES = ("zh_CN", "en")
# Same options as resources/translations/update.sh.
LUPDATE_OPTIONS = ("-silent", "-no-obsolete", "-tr-function-alias", "QT_TRANSLATE_NOOP+=T")
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%(?:n|L?\d+)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    translations: tuple[str, ...]  # one per numerus form, or a single text
    finished: bool
    where: str

    @property
    def label(self) -> str:
        return f"[{self.context}] {self.source!r} ({self.where})"


Key = tuple[str, str, str]  # context, source, disambiguation comment


def read_ts(path: Path) -> dict[Key, Message]:
    messages: dict[Key, Message] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{path.name}: message without <translation>"
            forms = translation.findall("numerusform")
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            location = message.find("location")
            where = "" if location is None else location.get("filename", "")
            item = Message(
                context=name,
                source=message.findtext("source", ""),
                comment=message.findtext("comment", ""),
                translations=texts,
                finished=translation.get("type") is None,
                where=Path(where).name,
            )
            messages[(item.context, item.source, item.comment)] = item
    return messages


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def committed(language: str) -> dict[Key, Message]:
    return read_ts(TRANSLATIONS / f"crm_desktop_{language}.ts")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, Message]:
    """Every message lupdate finds in the current sources (a fresh .ts, so all unfinished)."""
    ts = tmp_path_factory.mktemp("lupdate") / "current_zh_CN.ts"
    command = [
        str(BIN / "pyside6-lupdate"),
        *LUPDATE_OPTIONS,
        "-source-language",
        "en",
        "-target-language",
        "zh_CN",
        *map(str, source_files()),
        str(EXTRA_SOURCES),
        "-ts",
        str(ts),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return read_ts(ts)


def has_chinese(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


# -- (a) every message in the code is translated --------------------------------------------


def test_lupdate_finds_the_marked_messages(extracted: dict[Key, Message]) -> None:
    """Guards the lupdate options: the T(...) labels and the plural messages are extracted."""
    contexts = {key[0] for key in extracted}
    assert {"Fields", "Columns", "Choices", "RecordForm", "Validation", "MainWindow"} <= contexts
    assert ("RecordForm", "New customer", "") in extracted
    assert ("MainWindow", "%n record(s)", "") in extracted


def test_every_message_in_the_code_has_a_finished_chinese_translation(
    extracted: dict[Key, Message],
) -> None:
    translated = committed("zh_CN")
    missing = [m.label for key, m in extracted.items() if key not in translated]
    unfinished = [
        m.label
        for key, m in extracted.items()
        if key in translated
        and (not translated[key].finished or not all(translated[key].translations))
    ]
    assert not missing, "not in crm_desktop_zh_CN.ts (run update.sh):\n" + "\n".join(missing)
    assert not unfinished, "untranslated in crm_desktop_zh_CN.ts:\n" + "\n".join(unfinished)


def test_committed_chinese_file_has_nothing_unfinished() -> None:
    bad = [m.label for m in committed("zh_CN").values() if not m.finished]
    bad += [m.label for m in committed("zh_CN").values() if not all(m.translations)]
    assert not bad, "unfinished in crm_desktop_zh_CN.ts:\n" + "\n".join(bad)


def _literal_calls(path: Path) -> list[tuple[str, str, int]]:
    """(context, source, line) of tr/translate/QT_TRANSLATE_NOOP calls with literal texts.

    Python's own parser sees inside f-strings, where lupdate's does not.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    noop_names = {"QT_TRANSLATE_NOOP"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == "QT_TRANSLATE_NOOP"
        ):
            noop_names.update(t.id for t in node.targets if isinstance(t, ast.Name))

    found: list[tuple[str, str, int]] = []

    def literal(node: ast.expr) -> str | None:
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        return node.value if is_text else None

    def visit(node: ast.AST, cls: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            cls = node.name
        if isinstance(node, ast.Call):
            func, args = node.func, node.args
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "tr" and isinstance(func, ast.Attribute) and args and cls:
                text = literal(args[0])
                if text is not None:
                    found.append((cls, text, node.lineno))
            elif (name == "translate" or name in noop_names) and len(args) >= 2:
                context, text = literal(args[0]), literal(args[1])
                if context is not None and text is not None:
                    found.append((context, text, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, cls)

    visit(tree, None)
    return found


def test_messages_lupdate_cannot_see_are_translated_too() -> None:
    """A tr() inside an f-string is invisible to lupdate; list it in extra_sources.py."""
    translated = {(key[0], key[1]) for key, m in committed("zh_CN").items() if m.finished}
    missing = [
        f"[{context}] {text!r} ({path.relative_to(ROOT)}:{line})"
        for path in source_files()
        for context, text, line in _literal_calls(path)
        if (context, text) not in translated
    ]
    assert not missing, (
        "not in crm_desktop_zh_CN.ts; if lupdate cannot see it, add it to "
        "resources/translations/extra_sources.py:\n" + "\n".join(missing)
    )


# -- (b) placeholders survive translation ---------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = []
    for m in committed(language).values():
        expected = set(PLACEHOLDER.findall(m.source))
        for text in m.translations:
            if text and set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{m.label} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_chinese_uses_chinese_quotation_marks() -> None:
    wrong = [
        m.label
        for m in committed("zh_CN").values()
        if "“" in m.source and not all("“" in t and "”" in t for t in m.translations)
    ]
    assert not wrong, "\n".join(wrong)


def test_english_plurals_read_right() -> None:
    for m in committed("en").values():
        if "%n" in m.source and len(m.translations) > 1:
            assert m.finished, m.label
            singular, plural = m.translations
            assert "(s)" not in singular + plural, m.label
            assert singular != plural, m.label


# -- (c) the compiled Chinese file is used ---------------------------------------------------


@pytest.fixture
def chinese(qapp: QCoreApplication):
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "crm_desktop_zh_CN.qm"))
    assert QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_chinese_translator_translates_the_window(chinese: QTranslator) -> None:
    assert QCoreApplication.translate("MainWindow", "Customers") == "客户"
    count = QCoreApplication.translate("MainWindow", "%n record(s)", "", 3)
    assert "3" in count
    assert has_chinese(count)
    label = QCoreApplication.translate("Fields", "Next follow-up")
    assert has_chinese(label)


def test_chinese_translator_translates_validation_errors(chinese: QTranslator) -> None:
    from crm_desktop.models.rules import clean_values
    from crm_desktop.models.validation import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        clean_values("customers", {"name": ""}, "CN", creating=True)
    text = refused.value.text()
    assert has_chinese(text)
    assert QCoreApplication.translate("Fields", "Name") in text
    assert "required" not in text


def test_a_person_s_name_is_called_so_in_chinese(chinese: QTranslator) -> None:
    """姓名 for a contact's name (a person's), 名称 for a company's or a product's."""
    from crm_desktop.models.fields import FIELDS_BY_NAME

    assert FIELDS_BY_NAME["contacts"]["name"].display_label() == "姓名"
    assert FIELDS_BY_NAME["customers"]["name"].display_label() == "名称"
    assert FIELDS_BY_NAME["products"]["name"].display_label() == "名称"


def test_chinese_translator_translates_an_undo_refused(
    chinese: QTranslator, tmp_path: Path
) -> None:
    from crm_desktop.models.validation import InvalidInput
    from crm_desktop.profile import open_profile
    from crm_desktop.transfer.undo import undo_import

    profile = open_profile(tmp_path / "profile")
    try:
        with pytest.raises(InvalidInput) as refused:
            undo_import(profile.writer(), "no such batch")
    finally:
        profile.close()
    assert refused.value.text() == "这台电脑上没有这次导入。"


def test_english_translator_gives_english_plurals(qapp: QCoreApplication) -> None:
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "crm_desktop_en.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert QCoreApplication.translate("MainWindow", "%n record(s)", "", 1) == "1 record"
        assert QCoreApplication.translate("MainWindow", "%n record(s)", "", 5) == "5 records"
        assert QCoreApplication.translate("MainWindow", "Customers") == "Customers"
    finally:
        QCoreApplication.removeTranslator(translator)


# -- (d) the committed .qm files are compiled from the committed .ts files -------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_files_are_up_to_date(language: str, tmp_path: Path) -> None:
    ts = TRANSLATIONS / f"crm_desktop_{language}.ts"
    qm = tmp_path / f"crm_desktop_{language}.qm"
    command = [str(BIN / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert qm.read_bytes() == (TRANSLATIONS / qm.name).read_bytes(), (
        f"{qm.name} is stale: run resources/translations/update.sh"
    )


def test_a_phone_extension_reads_as_chinese_writes_it_and_reads_back(
    chinese: QTranslator,
) -> None:
    from crm_desktop.models.phones import display_phone, normalize_phone

    shown = display_phone("+8675588881234;ext=123")
    assert shown == "0755 8888 1234 转 123"
    assert normalize_phone(shown) == "+8675588881234;ext=123"


def test_the_reasons_of_a_likeness_are_joined_as_chinese_writes_a_list(
    chinese: QTranslator,
) -> None:
    from crm_desktop.duplicates.model import Reason, Why, reasons_text

    text = reasons_text((Reason(Why.PHONE, "+8613800138000"), Reason(Why.EMAIL, "a@b.cn")))
    assert "；" in text and "; " not in text
