"""Whose records the tables show: all the user may see, his own, or the public pool."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

# Scope names, as the tables take them (views/table_model.RecordTableModel.set_scope).
ALL, MINE, POOL = "all", "mine", "pool"


class ScopeFilter(QComboBox):
    scope_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("scopeFilter")
        self.setAccessibleName(self.tr("Whose records"))
        for scope, text in (
            (ALL, self.tr("All I may see")),
            (MINE, self.tr("Mine")),
            (POOL, self.tr("Public pool")),
        ):
            self.addItem(text, scope)
        self.currentIndexChanged.connect(lambda _: self.scope_changed.emit(self.scope()))

    def scope(self) -> str:
        return str(self.currentData())

    def set_scope(self, scope: str) -> None:
        self.setCurrentIndex(max(0, self.findData(scope)))
