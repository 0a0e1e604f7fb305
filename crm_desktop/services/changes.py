"""What a write changed, so each screen refreshes only what it shows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ChangeSet:
    created: dict[str, set[str]] = field(default_factory=dict)
    updated: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    # The id of the record the call was about (the new customer of a create, say).
    primary_id: str | None = None
    # Set by deletes (an UndoToken, for `restore`) and merges (a MergeUndo, or a MergedGroup
    # for several records merged into one, for `unmerge`).
    undo: UndoToken | MergeUndo | MergedGroup | None = None
    # Entities changed in ways not itemised (a sync): every view of them should requery.
    reload: set[str] = field(default_factory=set)

    @classmethod
    def everything(cls, entities: set[str]) -> ChangeSet:
        return cls(reload=set(entities))

    def add(self, kind: str, entity: str, row_id: str) -> None:
        getattr(self, kind).setdefault(entity, set()).add(row_id)

    def entities(self) -> set[str]:
        return set(self.created) | set(self.updated) | set(self.deleted) | self.reload

    def ids(self, entity: str) -> set[str]:
        return (
            self.created.get(entity, set())
            | self.updated.get(entity, set())
            | self.deleted.get(entity, set())
        )

    def is_empty(self) -> bool:
        return not self.entities()


@dataclass(frozen=True)
class UndoToken:
    """A soft delete, identified by its entity, the ids the user chose and the stamp it set."""

    entity: str
    ids: tuple[str, ...]
    deleted_at: str  # ISO text of the exact stamp shared by every row the delete touched


@dataclass(frozen=True)
class MergeUndo:
    """A merge (services/merging.py), with what undoing it puts back."""

    entity: str
    kept_id: str
    merged_id: str
    # The kept record's fields the merge changed, with the values they had.
    kept_before: tuple[tuple[str, object], ...]
    # What moved from the merged-away record to the kept one: (entity, column, ids).
    moved: tuple[tuple[str, str, tuple[str, ...]], ...]
    deleted: UndoToken  # the merged-away record's delete
    # Unique values (a finance system key) the merged-away record gave up to the kept one.
    released: tuple[tuple[str, object], ...] = ()
    # (field, value the merge set) for each field of kept_before: undo puts back only those
    # still as the merge left them, so an edit made since stays.
    kept_after: tuple[tuple[str, object], ...] = ()

    # As a MergedGroup has them: a pair's merge is a group of one.
    @property
    def merges(self) -> tuple[MergeUndo, ...]:
        return (self,)

    @property
    def merged_ids(self) -> tuple[str, ...]:
        return (self.merged_id,)


@dataclass(frozen=True)
class MergedGroup:
    """Several records merged into one, a pair at a time in one transaction: each pair's
    MergeUndo in the order they were merged (undone the other way round)."""

    merges: tuple[MergeUndo, ...]

    @property
    def merged_ids(self) -> tuple[str, ...]:
        return tuple(merge.merged_id for merge in self.merges)
