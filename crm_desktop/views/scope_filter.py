"""Whose records the tables show: all the user may see, his own, his team's, or the public pool."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

# Scope names, as the tables take them (views/table_model.RecordTableModel.set_scope).
ALL, MINE, TEAM, POOL = "all", "mine", "team", "pool"


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

    def offer_team(self, offered: bool) -> None:
        """A manager also picks his team's records (his offices' people and his reports)."""
        held = self.findData(TEAM)
        if offered and held < 0:
            self.insertItem(2, self.tr("My team"), TEAM)
        elif not offered and held >= 0:
            if self.scope() == TEAM:
                self.set_scope(ALL)
            self.removeItem(self.findData(TEAM))
