"""How often a sync asks the server to return overdue customers to the pool: at the first sync,
then once an hour (the rule counts days), and at once when the last time cannot be trusted."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm_desktop.sync.engine import POOL_CHECK_EVERY, pool_check_due

NOW = datetime(2026, 11, 30, 9, 0)


@pytest.mark.parametrize(
    "checked, due",
    [
        (None, True),  # never asked
        ("", True),
        ("yesterday", True),  # unreadable
        ((NOW - timedelta(minutes=10)).isoformat(), False),
        ((NOW - POOL_CHECK_EVERY + timedelta(seconds=1)).isoformat(), False),
        ((NOW - POOL_CHECK_EVERY).isoformat(), True),
        ((NOW - timedelta(days=3)).isoformat(), True),
        ((NOW + timedelta(minutes=5)).isoformat(), True),  # the clock went back
    ],
)
def test_the_pool_is_checked_at_first_then_hourly(checked: str | None, due: bool) -> None:
    assert pool_check_due(checked, NOW) is due
