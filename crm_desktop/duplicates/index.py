"""Checking import rows for duplicates: an index of the store's live customers (or contacts)
built once, asked about each row, and told about each row taken so that a later row of the
same file matching an earlier one is reported against that row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from crm_desktop.duplicates.model import Match, Reason, Why
from crm_desktop.duplicates.names import SHORTEST_CONTAINED, SIMILAR, likeness
from crm_desktop.duplicates.records import (
    ENTITIES,
    MAX_SHARED,
    Executor,
    Record,
    read_records,
    record_of_values,
    without_cyclic_gc,
)
from crm_desktop.duplicates.scan import LARGEST_BLOCK
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.storage.store import Cancelled, cancel_when


class _Entry(NamedTuple):
    """A record of the store (its id) or a row of the file (its key), by name."""

    name: str
    record_id: str | None = None
    row: int | str | None = None


class _Names:
    """The company names of one block, a list of them for rapidfuzz to go through, and their
    positions in it by length."""

    __slots__ = ("by_length", "by_name", "names")

    def __init__(self) -> None:
        self.by_name: dict[str, list[int]] = {}
        self.names: list[str] = []
        self.by_length: dict[int, list[int]] = {}

    def add(self, name: str, at: int) -> None:
        found = self.by_name.get(name)
        if found is None:
            self.by_name[name] = found = []
            self.by_length.setdefault(len(name), []).append(len(self.names))
            self.names.append(name)
        found.append(at)

    def similar(self, name: str) -> list[tuple[str, int]]:
        """(other, score) as scan.similar_in(name, self.names) yields them, in its order.

        similar_in scores every name of the block with WRatio (about 0.5 µs a name: a
        100,000-row file checked against blocks of a hundred names spends seconds in it), then
        keeps those `likeness` scores high enough. Only a name passing a cheaper test that
        every name likeness keeps passes too is scored here: a plain edit-distance ratio of
        SIMILAR or nearly (likeness's own measure for names of about the same length), or,
        for a name much longer or shorter, the partial ratio likeness scales by 0.9."""
        names = self.names
        candidates = {
            at
            for _other, _score, at in process.extract(
                name, names, scorer=fuzz.ratio, score_cutoff=_RATIO_AT_LEAST, limit=None
            )
        }
        contained = [
            at
            for size, positions in self.by_length.items()
            if _may_contain(len(name), size)
            for at in positions
        ]
        if contained:
            others = [names[at] for at in contained]
            candidates.update(
                contained[index]
                for _other, _score, index in process.extract(
                    name,
                    others,
                    scorer=fuzz.partial_ratio,
                    score_cutoff=_PARTIAL_AT_LEAST,
                    limit=None,
                )
            )
        found: list[tuple[float, int, str, int]] = []
        for at in candidates:
            other = names[at]
            rough = fuzz.WRatio(name, other, score_cutoff=SIMILAR)
            if other != name and rough >= SIMILAR:
                score = likeness(name, other)
                if score >= SIMILAR:
                    found.append((-rough, at, other, score))
        # process.extract's order: the highest WRatio first, then the earlier name.
        found.sort()
        return [(other, score) for _rough, _at, other, score in found]


# likeness(a, b) >= SIMILAR needs its unrounded score at SIMILAR - 0.5 or more: either the
# edit-distance ratio, or 0.9 times the partial ratio (its factor for a name 1.5 to 8 times as
# long as the other; at 0.6, beyond, nothing reaches SIMILAR). A little lower still, so that
# rapidfuzz's rounding never leaves out a name that passes.
_RATIO_AT_LEAST = SIMILAR - 0.6
_PARTIAL_AT_LEAST = (SIMILAR - 0.6) / 0.9


def _may_contain(first: int, second: int) -> bool:
    """Whether likeness compares names of these lengths by the partial ratio at 0.9."""
    short, long = min(first, second), max(first, second)
    return short >= SHORTEST_CONTAINED and 1.5 * short <= long < 8 * short


class DuplicateIndex:
    """What the store's live records are found by, for `matches` to look rows up in, by the
    same reasons as find_duplicate_groups (on the storage thread, in the import's session):

        index = DuplicateIndex.build(session, "customers", profile.region)
        for line, values in rows:  # the writer's values of each row
            found = index.matches(values)  # stored records, and earlier rows by their line
            index.add(values, line)

    A row is told of each record it shares a value with (no groups are formed: a chain
    through other records is not followed)."""

    def __init__(self, entity: str = "customers", region: str = DEFAULT_REGION) -> None:
        if entity not in ENTITIES:
            raise ValueError(entity)
        self.entity = entity
        self.region = region
        self._entries: list[_Entry] = []
        self._phones: dict[str, list[int]] = {}
        self._emails: dict[str, list[int]] = {}
        self._identifiers: dict[tuple[str, str], list[int]] = {}
        # A person's (name, address); a contact's (customer id, name).
        self._people: dict[tuple[str, str], list[int]] = {}
        # Company names by (city, first character) and by (city, first two characters): the
        # second for a block too big to go through for every row (see scan.LARGEST_BLOCK).
        self._blocks: dict[tuple[str, str], _Names] = {}
        self._fine_blocks: dict[tuple[str, str], _Names] = {}
        # The last row `matches` described, for `add` of the same row (an import asks about
        # a row, then adds it): describing a row is most of the time either takes.
        self._last: tuple[dict[str, Any], Record] | None = None

    @classmethod
    def build(
        cls,
        session_or_connection: Executor,
        entity: str = "customers",
        region: str = DEFAULT_REGION,
        cancelled: Callable[[], bool] | None = None,
    ) -> DuplicateIndex:
        """The index of the store's live customers or contacts (raises storage.store.Cancelled
        once `cancelled()` is true)."""
        index = cls(entity, region)
        stop = cancelled or (lambda: False)
        with without_cyclic_gc():
            with cancel_when(session_or_connection, stop):
                records = read_records(session_or_connection, entity, stop)
            if stop():
                raise Cancelled
            for record in records:
                index._add(record, _Entry(record.name, record_id=record.id))
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, values: Mapping[str, Any], row_key: int | str) -> None:
        """Take a row of the file into the index: later rows matching it say `row_key`."""
        record = self._described(values)
        self._add(record, _Entry(record.name, row=row_key))

    def _described(
        self, values: Mapping[str, Any], stored: Mapping[str, Any] | None = None
    ) -> Record:
        if self._last is not None and self._last[0] == values:
            return self._last[1]
        record = record_of_values(self.entity, values, self.region, stored)
        self._last = (dict(values), record)
        return record

    def _add(self, record: Record, entry: _Entry) -> None:
        at = len(self._entries)
        self._entries.append(entry)
        for key in record.phone_keys:
            self._phones.setdefault(key, []).append(at)
        if record.email_key:
            self._emails.setdefault(record.email_key, []).append(at)
        for kind, key, _value in record.identifiers:
            self._identifiers.setdefault((kind, key), []).append(at)
        people = self._people_key(record)
        if people is not None:
            self._people.setdefault(people, []).append(at)
        if self.entity == "customers" and record.company and record.name_key:
            city, name = record.city or "", record.name_key
            for blocks, key in ((self._blocks, name[:1]), (self._fine_blocks, name[:2])):
                block = blocks.get((city, key))
                if block is None:
                    blocks[city, key] = block = _Names()
                block.add(name, at)

    def _people_key(self, record: Record) -> tuple[str, str] | None:
        if self.entity == "contacts":
            if record.name_key and record.customer_id:
                return record.customer_id, record.name_key
            return None
        if not record.company and record.name_key and record.address_key:
            return record.name_key, record.address_key
        return None

    def matches(
        self, values: Mapping[str, Any], stored: Mapping[str, Any] | None = None
    ) -> list[Match]:
        """The records (and rows added before) this row's writer values may duplicate, those
        with the most reasons first. `stored`: the row's values as the writer cleaned them for
        storing (UnitOfWork.prepare), whose phones are then not parsed again."""
        record = self._described(values, stored)
        found: dict[int, dict[tuple, Reason]] = {}

        def note(hits: list[int] | None, reason: Reason) -> None:
            if not hits or len(hits) > MAX_SHARED:
                return  # a placeholder many records share says nothing
            key = (reason.why, reason.value, reason.identifier_kind)
            for at in hits:
                held = found.setdefault(at, {})
                if key not in held or held[key].score < reason.score:
                    held[key] = reason

        for phone in record.phone_keys:
            note(self._phones.get(phone), Reason(Why.PHONE, phone))
        if record.email_key:
            note(self._emails.get(record.email_key), Reason(Why.EMAIL, record.email or ""))
        for kind, key, value in record.identifiers:
            note(self._identifiers.get((kind, key)), Reason(Why.IDENTIFIER, value, kind))
        people = self._people_key(record)
        if people is not None:
            why = Why.NAME_AT_CUSTOMER if self.entity == "contacts" else Why.NAME_AND_ADDRESS
            note(self._people.get(people), Reason(why))
        if self.entity == "customers" and record.company and record.name_key:
            self._similar_names(record, note)
        matches = [
            Match(
                name=self._entries[at].name,
                reasons=tuple(sorted(reasons.values(), key=Reason.order)),
                record_id=self._entries[at].record_id,
                row=self._entries[at].row,
            )
            for at, reasons in found.items()
        ]
        matches.sort(key=lambda match: (-len(match.reasons), match.name, str(match.record_id)))
        return matches

    def _similar_names(
        self, record: Record, note: Callable[[list[int] | None, Reason], None]
    ) -> None:
        city, name = record.city or "", record.name_key
        block = self._blocks.get((city, name[:1]))
        if block is None:
            return
        if len(block.names) > LARGEST_BLOCK:
            block = self._fine_blocks.get((city, name[:2]))
            if block is None:
                return
        note(block.by_name.get(name), Reason(Why.NAME, city=city))
        for other, score in block.similar(name):
            note(block.by_name[other], Reason(Why.NAME, city=city, score=score))
