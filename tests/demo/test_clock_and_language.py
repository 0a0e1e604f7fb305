"""The demo as a user in Beijing reads it: things happen in office hours on his clock, tasks
and next steps fall on working days at :00 or :30 or on a day alone, and a Chinese-named
customer's records are written in Chinese (an English-named one's in English)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import text

from crm_desktop.demo import make_demo
from crm_desktop.models.dates import is_day_only
from crm_desktop.profile import Profile
from crm_desktop.views.display import local_datetime

TODAY = date(2025, 6, 2)
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]+(?! 级)")  # a grade ("A 级") is a letter in Chinese too


@pytest.fixture
def beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's clock in Beijing, eight hours ahead of UTC (the demo's old office hours,
    09:00-18:00 UTC, were 17:00-02:00 there)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def demo(profile: Profile, beijing: None) -> Profile:
    make_demo(profile, 300, seed=11, today=TODAY, workers=0)
    return profile


def stored_times(profile: Profile, table: str, column: str) -> list[datetime]:
    with profile.store.read() as session:
        rows = session.execute(text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"))
        return [datetime.fromisoformat(value) for (value,) in rows]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("customers", "created_at"),
        ("opportunities", "created_at"),
        ("opportunities", "closed_at"),
        ("followups", "happened_at"),
        ("tasks", "done_at"),
        ("contracts", "created_at"),
        ("payments", "created_at"),
    ],
)
def test_things_happen_in_office_hours_on_the_users_clock(
    demo: Profile, table: str, column: str
) -> None:
    times = stored_times(demo, table, column)
    assert times
    hours = sorted({local_datetime(moment).hour for moment in times})
    assert hours[0] >= 9 and hours[-1] <= 17, (table, column, hours)


@pytest.mark.parametrize(
    ("table", "column"),
    [("tasks", "due_at"), ("followups", "next_step_at"), ("customers", "next_followup_at")],
)
def test_what_is_arranged_falls_on_a_working_day_on_the_hour_or_the_half(
    demo: Profile, table: str, column: str
) -> None:
    times = stored_times(demo, table, column)
    day_only = [moment for moment in times if is_day_only(moment)]
    timed = [local_datetime(moment) for moment in times if not is_day_only(moment)]
    assert day_only and timed  # some on a day alone, most at a time of it
    assert all(local_datetime(moment).weekday() < 5 for moment in times)
    assert all(9 <= shown.hour <= 17 and shown.minute in (0, 30) for shown in timed), timed
    assert all(shown.hour < 17 or shown.minute == 0 for shown in timed)  # 17:00 the last


def customer_texts(profile: Profile) -> dict[str, list[str]]:
    """Every text written about each customer, by the customer's name."""
    queries = (
        "SELECT c.name, c.notes FROM customers c",
        "SELECT c.name, c.grade_note FROM customers c",
        "SELECT c.name, x.title FROM contacts x JOIN customers c ON c.id = x.customer_id",
        "SELECT c.name, o.title FROM opportunities o JOIN customers c ON c.id = o.customer_id",
        "SELECT c.name, t.title FROM tasks t JOIN customers c ON c.id = t.customer_id",
        "SELECT c.name, f.text FROM followups f JOIN customers c ON c.id = f.customer_id",
        "SELECT c.name, f.promise FROM followups f JOIN customers c ON c.id = f.customer_id",
        "SELECT c.name, f.next_step FROM followups f JOIN customers c ON c.id = f.customer_id",
        "SELECT c.name, k.renewal_note FROM contracts k JOIN customers c ON c.id = k.customer_id",
        "SELECT c.name, p.notes FROM payments p JOIN customers c ON c.id = p.customer_id",
        "SELECT c.name, i.note FROM contract_instalments i"
        " JOIN customers c ON c.id = i.customer_id",
    )
    texts: dict[str, list[str]] = {}
    with profile.store.read() as session:
        for query in queries:
            for name, written in session.execute(text(query)):
                if written:
                    texts.setdefault(name, []).append(written)
    return texts


def test_a_customers_records_are_in_the_customers_language(demo: Profile) -> None:
    """No more "同创建材 pilot rollout" or "Send 北京市… the updated proposal"."""
    texts = customer_texts(demo)
    chinese = {name: written for name, written in texts.items() if HAN.search(name)}
    english = {name: written for name, written in texts.items() if not HAN.search(name)}
    assert len(chinese) > 100 and len(english) > 20
    mixed = [(name, t) for name, written in chinese.items() for t in written if LATIN.search(t)]
    assert mixed == []
    mixed = [(name, t) for name, written in english.items() for t in written if HAN.search(t)]
    assert mixed == []


def test_won_and_lost_reasons_are_the_teams_chinese_ones(demo: Profile) -> None:
    """The dashboard lists the main loss reasons as stored, in the caption of its won and lost
    chart: a rep's reasons, from the one list the team writes, never English in a Chinese
    caption ("Lost to competitor")."""
    with demo.store.read() as session:
        reasons = set(
            session.scalars(
                text("SELECT close_reason FROM opportunities WHERE close_reason IS NOT NULL")
            )
        )
    assert len(reasons) >= 8
    assert all(HAN.search(reason) and not LATIN.search(reason) for reason in reasons), reasons
