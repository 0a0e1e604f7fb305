"""The sidebar: where the user goes (Today, the record lists, and the views later parts add),
with a count beside the entries where one helps."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

KeyRole = Qt.ItemDataRole.UserRole + 1


class Navigation(QListWidget):
    chosen = Signal(str)  # an entry's key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setAccessibleName(self.tr("Go to"))
        self.setIconSize(QSize(20, 20))
        self.setSpacing(2)
        self._titles: dict[str, str] = {}
        self.currentItemChanged.connect(self._changed)

    def add(self, key: str, title: str, icon: QStyle.StandardPixmap) -> None:
        item = QListWidgetItem(self.style().standardIcon(icon), title)
        item.setData(KeyRole, key)
        self._titles[key] = title
        self.addItem(item)
        width = self.sizeHintForColumn(0) + 2 * self.frameWidth() + 24
        self.setFixedWidth(max(self.width() if self.count() > 1 else 0, width, 150))

    def set_count(self, key: str, count: int) -> None:
        """Show `count` beside the entry (nothing when 0)."""
        item = self._item(key)
        if item is not None:
            title = self._titles[key]
            item.setText(f"{title} ({count})" if count else title)

    def go(self, key: str) -> None:
        item = self._item(key)
        if item is not None and item is not self.currentItem():
            self.setCurrentItem(item)

    def key(self) -> str:
        item = self.currentItem()
        return str(item.data(KeyRole)) if item is not None else ""

    def _item(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(KeyRole) == key:
                return self.item(row)
        return None

    def _changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.chosen.emit(str(current.data(KeyRole)))
