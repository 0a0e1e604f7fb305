"""How users are named where one is chosen or read about: by name, and where two people share
a name (two 王伟 in one company are common), by name and login, so that the one chosen is the
one meant."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import User


def user_labels(session: Session, user_ids: Sequence[str]) -> dict[str, str]:
    """These users' labels, by id: the name, or "name (login)" for a name another user the
    device knows also has. Users the store does not hold are left out."""
    if not user_ids:
        return {}
    shared = (
        select(User.name)
        .where(User.deleted_at.is_(None))
        .group_by(User.name)
        .having(func.count() > 1)
    )
    statement = select(User.id, User.name, User.login, User.name.in_(shared)).where(
        User.id.in_(list(user_ids))
    )
    return {
        user_id: f"{name} ({login})" if twin else name
        for user_id, name, login, twin in session.execute(statement)
    }


def labelled(session: Session, user_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(id, label) of these users in the order given."""
    labels = user_labels(session, user_ids)
    return [(user_id, labels[user_id]) for user_id in user_ids if user_id in labels]
