"""What the work log says above a day without a log: "filled in from this computer's records"
only when something was, and plainly that there was nothing to fill in otherwise."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import SCOPE_KEY
from crm_desktop.profile import Profile
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle
from tests.views.test_work_log_view import open_view


def test_a_day_without_work_does_not_claim_to_be_filled_in(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    view = open_view(qtbot, profile, runner)
    assert view.done_edit.toPlainText() == ""
    state = view.state.text()
    assert "filled in from" not in state
    assert "no follow-ups, new customers or finished tasks" in state and "to fill in" in state
    assert view.day.isoformat() in state


def test_a_day_with_work_says_it_was_filled_in(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    writer = profile.writer()
    acme = writer.create("customers", {"name": "Acme", "owner_id": profile.user_id}).primary_id
    writer.create("followups", {"customer_id": acme, "kind": "call", "text": "Asked for a quote"})
    view = open_view(qtbot, profile, runner)
    assert "Asked for a quote" in view.done_edit.toPlainText()
    assert "filled in from this device's records" in view.state.text()

    view.previous_button.click()  # the day before: nothing done then
    idle(qtbot, runner)
    assert view.done_edit.toPlainText() == ""
    assert "filled in from" not in view.state.text()
