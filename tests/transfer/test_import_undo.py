"""Undoing an import keeps what happened since, as the window's question promises ("Edits made
since to those records are kept"): a record it added and someone changed, or merged another
record into, stays; one nobody touched goes, even after a sync gave it the server's time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.services.merging import merge_records
from crm_desktop.transfer import staging
from crm_desktop.transfer.staging import ImportOutcome

ROWS = "客户名称,手机\n远航物流,13900139000\n华南电器,13712345678\n北辰贸易,13612345678\n"


def _import(profile: Profile, tmp_path: Path) -> ImportOutcome:
    path = tmp_path / "old system.csv"
    path.write_text(ROWS, encoding="utf-8")
    writer = profile.writer()
    table = staging.open_file(path).table
    mapping = staging.mapping_for(writer, "customers", table.header)
    staged = staging.stage(writer, "customers", table, mapping.columns, profile.region)
    staging.run(writer, staged, path.name)
    assert staged.outcome is not None and staged.outcome.added == 3
    return staged.outcome


def _live(profile: Profile) -> dict[str, Customer]:
    with profile.store.read() as session:
        rows = session.scalars(select(Customer).where(Customer.deleted_at.is_(None))).all()
        for row in rows:
            session.expunge(row)
    return {row.name: row for row in rows}


def test_undo_keeps_added_records_changed_or_merged_into_since(
    profile: Profile, tmp_path: Path
) -> None:
    outcome = _import(profile, tmp_path)
    added = _live(profile)
    writer = profile.writer()
    writer.update("customers", added["远航物流"].id, {"phone": "13900139009"})
    older = writer.create("customers", {"name": "华南电器（旧）"}).primary_id
    assert older is not None
    merge_records(writer, "customers", added["华南电器"].id, older, {})
    staging.undo(writer, outcome)
    after = _live(profile)
    assert set(after) == {"远航物流", "华南电器"}  # 北辰贸易, untouched, is gone
    assert after["远航物流"].phone == "+8613900139009"
    with profile.store.read() as session:
        assert session.get(Customer, older).merged_into_id == added["华南电器"].id


def test_undo_after_a_sync_takes_the_untouched_records(profile: Profile, tmp_path: Path) -> None:
    """A sync gives each record it sends the server's time (sync/push.py): later than the
    import, though nobody changed them."""
    outcome = _import(profile, tmp_path)
    with profile.store.write() as session:
        session.execute(update(Customer).values(updated_at=utcnow() + timedelta(minutes=5)))
    staging.undo(profile.writer(), outcome)
    assert _live(profile) == {}
