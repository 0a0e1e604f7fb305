"""A list's column headers in their own translation context: the contacts list calls a
contact's name 姓名 (a person's), the customers list a customer's 名称."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crm_desktop.queries.tables import TABLES, fetch_rows, list_ids
from crm_desktop.translations import translated
from crm_desktop.views.runner import Runner
from crm_desktop.views.table_model import RecordTableModel


def _name_header(entity: str, runner: Runner) -> str:
    spec = TABLES[entity]
    model = RecordTableModel(spec, runner, list_ids, fetch_rows)
    at = spec.column_keys().index("name")
    return model.headerData(at, Qt.Orientation.Horizontal)


def test_a_contact_s_name_header_is_a_person_s(qtbot: QtBot, runner: Runner) -> None:
    with translated("zh_CN"):
        assert _name_header("contacts", runner) == "姓名"
        assert _name_header("customers", runner) == "名称"
    assert _name_header("contacts", runner) == "Name"
