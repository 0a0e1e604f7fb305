"""What each entity declares about itself agrees with its own table: the writer, the pull and
the windows rely on it instead of lists of their own."""

from __future__ import annotations

import pytest

from crm_desktop.models.entities import (
    CUSTOMER_CHILDREN,
    ENTITIES,
    IN_CUSTOMER_SEARCH,
    user_columns,
)


def _targets(entity: str, column: str) -> set[str]:
    table = ENTITIES[entity].__table__
    return {key.column.table.name for key in table.columns[column].foreign_keys}


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_declared_columns_point_where_they_say(entity: str) -> None:
    model = ENTITIES[entity]
    if model.OWNER is not None:
        assert _targets(entity, model.OWNER) == {"users"}
        assert model.OWNER in user_columns(entity)
    if model.PARENT is not None:
        assert _targets(entity, model.PARENT) == {"customers"}
    # Every table that points at a customer hangs off it (a customer merged away points at the
    # one it was merged into: that is no parent).
    table = model.__table__
    to_customers = [
        c.name
        for c in table.columns
        if _targets(entity, c.name) == {"customers"} and c.name != "merged_into_id"
    ]
    assert to_customers == ([model.PARENT] if model.PARENT else [])


def test_parents_come_before_their_children_and_search_children_hang_off_customers() -> None:
    order = list(ENTITIES)
    for entity, model in ENTITIES.items():
        for key in model.__table__.foreign_keys:
            target = key.column.table.name
            if target != entity:
                assert order.index(target) < order.index(entity), (entity, target)
    assert set(IN_CUSTOMER_SEARCH) == {"contacts", "customer_identifiers"}
    assert set(IN_CUSTOMER_SEARCH) <= set(CUSTOMER_CHILDREN)
    assert "customers" not in CUSTOMER_CHILDREN and "products" not in CUSTOMER_CHILDREN
