"""Merging two customers from the real window: select two rows, Merge…, pick the values, and
undo it from the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import Contact, Customer
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.merge_dialog import MergeDialog
from tests.views.helpers import wait_idle
from tests.views.test_assign_handover_ui import select_customers, shown_dialog


def _customer(window: MainWindow, customer_id: str) -> Customer:
    with window.profile.store.read() as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        session.expunge(row)
        return row


def test_merge_two_selected_customers_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    writer = window.profile.writer()
    kept = writer.create("customers", {"name": "深圳华强电子", "phone": "13800138000"}).primary_id
    other = writer.create(
        "customers", {"name": "华强电子有限公司", "email": "sales@hq.cn", "industry": "电子"}
    ).primary_id
    contact = writer.create("contacts", {"customer_id": other, "name": "李雷"}).primary_id
    window.models["customers"].reload()
    wait_idle(qtbot, window)
    select_customers(qtbot, window, [kept, other])

    window.records.merge_action.trigger()
    dialog = shown_dialog(qtbot, window, MergeDialog)
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=5000)
    # Keep the first-created customer, whichever row it was in.
    keep_index = dialog.ids.index(kept)
    dialog.keep_buttons[keep_index].click()
    other_index = 1 - keep_index
    # The kept one has no email: the other's is chosen for it; its own name stays chosen.
    assert dialog.choices["email"].checkedId() == other_index
    assert dialog.choices["name"].checkedId() == keep_index
    # The user takes the other's name as well.
    dialog.choices["name"].button(other_index).click()
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, window)

    merged = _customer(window, kept)
    assert (merged.name, merged.email, merged.industry) == (
        "华强电子有限公司",
        "sales@hq.cn",
        "电子",
    )
    gone = _customer(window, other)
    assert gone.deleted_at is not None and gone.merged_into_id == kept
    with window.profile.store.read() as session:
        assert session.scalar(select(Contact.customer_id).where(Contact.id == contact)) == kept
    assert window.records.undo_button.isVisible()
    assert window.records.undo_action.text() == "Undo merge"
    qtbot.waitUntil(lambda: window.models["customers"].rowCount() == 1, timeout=5000)

    window.records.undo_button.click()
    wait_idle(qtbot, window)
    assert _customer(window, kept).name == "深圳华强电子"
    assert _customer(window, kept).email is None
    assert _customer(window, other).deleted_at is None
    with window.profile.store.read() as session:
        assert session.scalar(select(Contact.customer_id).where(Contact.id == contact)) == other
    qtbot.waitUntil(lambda: window.models["customers"].rowCount() == 2, timeout=5000)


def test_merge_asks_for_two_or_more(qtbot: QtBot, window: MainWindow) -> None:
    writer = window.profile.writer()
    only = writer.create("customers", {"name": "Acme"}).primary_id
    window.models["customers"].reload()
    wait_idle(qtbot, window)
    select_customers(qtbot, window, [only])
    with qtbot.waitSignal(window.records.message) as said:
        assert window.records.merge_selected() is None
    assert said.args[0] == "Select two customers or more, or two contacts or more, to merge."
    assert not any(d.isVisible() for d in window.findChildren(MergeDialog))


def test_three_customers_merge_in_one_step_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    """Each field may come from any of them; everything of the two others moves to the kept
    one, and one undo puts all three back."""
    writer = window.profile.writer()
    first = writer.create("customers", {"name": "华强电子", "phone": "13800138000"}).primary_id
    second = writer.create("customers", {"name": "华强电子有限公司", "industry": "电子"})
    third = writer.create(
        "customers", {"name": "深圳华强电子有限公司", "email": "sales@hq.cn", "industry": "贸易"}
    )
    others = [second.primary_id, third.primary_id]
    contacts = [
        writer.create("contacts", {"customer_id": other, "name": name}).primary_id
        for other, name in zip(others, ("李雷", "韩梅梅"), strict=True)
    ]
    window.models["customers"].reload()
    wait_idle(qtbot, window)
    select_customers(qtbot, window, [first, *others])
    window.records.merge_action.trigger()
    dialog = shown_dialog(qtbot, window, MergeDialog)
    assert isinstance(dialog, MergeDialog) and len(dialog.ids) == 3
    qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=5000)
    assert dialog.windowTitle() == "Merge 3 customers"
    assert dialog.kept_and_merged()[0] == first  # entered first
    at = {row_id: dialog.ids.index(row_id) for row_id in (first, *others)}
    # Empty on the kept one: the first entered of the others that has one fills it.
    assert dialog.choices["industry"].checkedId() == at[others[0]]
    assert dialog.choices["email"].checkedId() == at[others[1]]
    dialog.choices["name"].button(at[others[1]]).click()  # the third's full name
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, window)

    merged = _customer(window, first)
    assert (merged.name, merged.email, merged.industry, merged.phone) == (
        "深圳华强电子有限公司",
        "sales@hq.cn",
        "电子",
        "+8613800138000",
    )
    for other in others:
        assert _customer(window, other).merged_into_id == first
    with window.profile.store.read() as session:
        owners = set(session.scalars(select(Contact.customer_id).where(Contact.id.in_(contacts))))
    assert owners == {first}
    qtbot.waitUntil(lambda: window.models["customers"].rowCount() == 1, timeout=5000)

    window.records.undo_button.click()
    wait_idle(qtbot, window)
    assert _customer(window, first).name == "华强电子" and _customer(window, first).email is None
    assert all(_customer(window, other).deleted_at is None for other in others)
    with window.profile.store.read() as session:
        back = dict(session.execute(select(Contact.id, Contact.customer_id)).all())
    assert [back[contact] for contact in contacts] == others
    qtbot.waitUntil(lambda: window.models["customers"].rowCount() == 3, timeout=5000)


def test_find_duplicates_then_merge_from_the_list(qtbot: QtBot, window: MainWindow) -> None:
    writer = window.profile.writer()
    first = writer.create("customers", {"name": "华强电子", "phone": "13800138000"}).primary_id
    second = writer.create(
        "customers", {"name": "深圳华强电子有限公司", "phone": "+86 138-0013-8000"}
    ).primary_id
    writer.create("customers", {"name": "Unrelated Ltd", "phone": "13912345678"})
    window.go("duplicates")
    view = window.duplicates
    assert view is not None
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.scan_button.click()
    assert view.model.rowCount() == 1
    view.select_group(0)
    view.merge_button.click()
    dialog = shown_dialog(qtbot, window, MergeDialog)
    assert isinstance(dialog, MergeDialog) and sorted(dialog.ids) == sorted([first, second])
    qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=5000)
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    wait_idle(qtbot, window)
    kept, (merged,) = dialog.kept_and_merged()
    assert _customer(window, merged).merged_into_id == kept
    # The merged group leaves the list without another search.
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)


def test_the_customer_entered_first_is_kept_unless_chosen_and_owners_are_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A rep's customer and a newer import of it by the clerk: the rep's is kept by default
    (it carries the history), whichever comes first in the list, and the dialog says whose
    each is and when it was entered."""
    writer = window.profile.writer()
    rep = writer.create("users", {"login": "lina", "name": "李娜", "role": "rep"}).primary_id
    elder = writer.create(
        "customers", {"name": "杭州市华强贸易有限责任公司", "owner_id": rep}
    ).primary_id
    newer = writer.create("customers", {"name": "杭州市华强贸易有限公司", "phone": "13800138000"})
    for order in ([newer.primary_id, elder], [elder, newer.primary_id]):
        dialog = MergeDialog("customers", order, window.runner, window.reader, window.writer)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=5000)
        assert dialog.kept_and_merged()[0] == elder
        shown = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"Owner", "Entered", "李娜"} <= shown
        # The newer one's phone fills the kept one's empty field.
        assert dialog.chosen_values() == {"phone": "+8613800138000"}
        dialog.close()
