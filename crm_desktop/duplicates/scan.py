"""Finding the likely duplicates among all live customers (or contacts) of a store.

Records sharing a phone, an email or an identifier are found by grouping on those keys; similar
company names are compared with rapidfuzz only within a block (same city, same first character
of the name as compared), so 100,000 customers take seconds, not the many minutes comparing
all five billion pairs would. Each match links two records; the groups are what the links
connect (union-find), so a sharing a phone with b and b an email with c puts a, b and c in one
group.

What is not compared, on purpose:

- Names of customers with no city (no address and no city in the name) are compared only with
  each other: against every city's they would chain the same name in ten cities into one group.
- Names whose first characters differ are in different blocks: a typo there ("华强电子" /
  "化强电子") is missed, unless the two share a phone, an email or an identifier.
- A person's name (a private customer's, a contact's) is no evidence alone: 张伟 is the name of
  hundreds of thousands. A private customer counts as a duplicate by name only at the same
  address, a contact only at the same customer.
- A value shared by more than MAX_SHARED records (records.py) is a placeholder.
- A chain longer than LONGEST_CHAIN is split (see there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rapidfuzz import fuzz, process

from crm_desktop.duplicates.model import DuplicateGroup, Member, Reason, Why
from crm_desktop.duplicates.names import SIMILAR, likeness
from crm_desktop.duplicates.records import (
    MAX_SHARED,
    Executor,
    Record,
    read_records,
    without_cyclic_gc,
)
from crm_desktop.storage.store import Cancelled, cancel_when

Progress = Callable[[int, int], None]
Stop = Callable[[], bool]
# Progress is given in hundredths of the whole; reading the rows is about half of it.
STEPS = 100
_READ_UNTIL, _KEYS_UNTIL, _NAMES_UNTIL = 50, 55, 95
# A block of more distinct names than this (all of a big city's names starting with one
# character) is split again by the first two characters: comparing within it costs the
# square of its size.
LARGEST_BLOCK = 1500
# A group of more records than this is no record entered that many times but a chain of
# coincidences (a's name is b's, b's email is c's, c's name is d's…): it is shown as the groups
# its name links make and the groups its shared values make, apart.
LONGEST_CHAIN = 30


def _never() -> bool:
    return False


def find_duplicate_groups(
    session_or_connection: Executor,
    entity: str = "customers",
    progress: Progress | None = None,
    cancelled: Stop | None = None,
) -> list[DuplicateGroup]:
    """The groups of likely duplicates among the live customers or contacts, largest first.

    `progress(done, STEPS)` is called as the search goes on; once `cancelled()` is true the
    search stops and raises storage.store.Cancelled."""
    stop = cancelled or _never

    def report(done: int) -> None:
        if progress is not None:
            progress(done, STEPS)
        if stop():
            raise Cancelled

    def read_step(done: int, total: int) -> None:
        if progress is not None and total:
            progress(done * _READ_UNTIL // total, STEPS)

    report(0)
    with without_cyclic_gc():
        with cancel_when(session_or_connection, stop):
            records = read_records(session_or_connection, entity, stop, read_step)
        report(_READ_UNTIL)
        groups = groups_among(records, entity, report)
        # Dropped while the collector is still paused: once running again, its first pass
        # walks every object made meanwhile that is still alive (a quarter of a second for
        # the records of 100,000 customers, with the GUI thread waiting on the lock).
        del records
    report(STEPS)
    return groups


def groups_among(
    records: list[Record], entity: str, report: Callable[[int], None] | None = None
) -> list[DuplicateGroup]:
    """The groups of likely duplicates among these records, largest first; `report(done)`
    follows the search from _READ_UNTIL to _NAMES_UNTIL of STEPS."""
    tell = report or (lambda _done: None)
    links = _Links(len(records))
    _join_exact(links, records, entity)
    tell(_KEYS_UNTIL)
    if entity == "customers":
        _join_similar_names(links, records, lambda share: tell(_KEYS_UNTIL + share))
    return links.groups(records, entity)


def _join_exact(links: _Links, records: list[Record], entity: str) -> None:
    phones: dict[str, list[int]] = {}
    emails: dict[str, list[int]] = {}
    identifiers: dict[tuple[str, str], list[int]] = {}
    stored: dict[tuple[str, str], str] = {}  # an identifier as the first record wrote it
    names: dict[tuple[str, str], list[int]] = {}
    for at, record in enumerate(records):
        for key in record.phone_keys:
            phones.setdefault(key, []).append(at)
        if record.email_key:
            emails.setdefault(record.email_key, []).append(at)
        for kind, key, value in record.identifiers:
            identifiers.setdefault((kind, key), []).append(at)
            stored.setdefault((kind, key), value)
        if entity == "contacts":
            if record.name_key and record.customer_id:
                names.setdefault((record.customer_id, record.name_key), []).append(at)
        elif not record.company and record.name_key and record.address_key:
            names.setdefault((record.name_key, record.address_key), []).append(at)
    for phone, found in _shared(phones):
        links.join_all(found, Reason(Why.PHONE, phone))
    for email, found in _shared(emails):
        # Shown as one of them wrote it; compared without case.
        links.join_all(found, Reason(Why.EMAIL, records[found[0]].email or email))
    for (kind, key), found in _shared(identifiers):
        links.join_all(found, Reason(Why.IDENTIFIER, stored[kind, key], kind))
    why = Why.NAME_AT_CUSTOMER if entity == "contacts" else Why.NAME_AND_ADDRESS
    for _key, found in _shared(names):
        links.join_all(found, Reason(why))


def _shared(by_key: dict[Any, list[int]]) -> Iterable[tuple[Any, list[int]]]:
    """The values two records or more share (and not so many that they are placeholders)."""
    return ((key, found) for key, found in by_key.items() if 1 < len(found) <= MAX_SHARED)


def name_blocks(records: Iterable[tuple[int, Record]]) -> dict[tuple[str, str], dict[str, list]]:
    """Companies by (city or "", first character of the name as compared), then by that name:
    the records whose names are compared with each other."""
    blocks: dict[tuple[str, str], dict[str, list]] = {}
    for at, record in records:
        if record.company and record.name_key:
            block = blocks.setdefault((record.city or "", record.name_key[0]), {})
            block.setdefault(record.name_key, []).append(at)
    return blocks


def split_large(
    blocks: dict[tuple[str, str], dict[str, list]],
) -> list[tuple[str, dict[str, list]]]:
    """The blocks as (city, names), a block of more than LARGEST_BLOCK names split by the
    first two characters."""
    split: list[tuple[str, dict[str, list]]] = []
    for (city, _first), names in blocks.items():
        if len(names) <= LARGEST_BLOCK:
            split.append((city, names))
            continue
        parts: dict[str, dict[str, list]] = {}
        for name, found in names.items():
            parts.setdefault(name[:2], {})[name] = found
        split.extend((city, part) for part in parts.values())
    return split


def similar_pairs(names: list[str]) -> Iterable[tuple[int, int, int]]:
    """(i, j, score) for each pair of distinct names (i < j) that are similar."""
    for i in range(len(names) - 1):
        for _other, score, j in similar_in(names[i], names[i + 1 :]):
            yield i, i + 1 + j, score


def similar_in(name: str, names: list[str]) -> Iterable[tuple[str, int, int]]:
    """(other, score, its position) for the names like `name` (other than itself) among
    `names`. rapidfuzz's WRatio, in C, picks the few candidates (it scores every pair at
    least as high as `likeness` does); `likeness` scores those."""
    for other, _rough, at in process.extract(
        name, names, scorer=fuzz.WRatio, score_cutoff=SIMILAR, limit=None
    ):
        if other != name:
            score = likeness(name, other)
            if score >= SIMILAR:
                yield other, score, at


def _join_similar_names(
    links: _Links, records: list[Record], report: Callable[[int], None]
) -> None:
    blocks = split_large(name_blocks(enumerate(records)))
    share = _NAMES_UNTIL - _KEYS_UNTIL
    for done, (city, by_name) in enumerate(blocks):
        if done % 200 == 0:
            report(done * share // max(len(blocks), 1))
        for found in by_name.values():
            links.join_all(found, Reason(Why.NAME, city=city))
        if len(by_name) < 2:
            continue
        names = list(by_name)
        for i, j, score in similar_pairs(names):
            first, second = by_name[names[i]], by_name[names[j]]
            if len(first) > MAX_SHARED or len(second) > MAX_SHARED:
                continue
            links.join(first[0], second[0], Reason(Why.NAME, city=city, score=score))
            # Those of the same name are joined already; each takes part in the likeness.
            reason = Reason(Why.NAME, city=city, score=score)
            for at in (*first[1:], *second[1:]):
                links.note(at, reason)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, at: int) -> int:
        parent = self.parent
        root = at
        while parent[root] != root:
            root = parent[root]
        while parent[at] != root:  # path compression
            parent[at], at = root, parent[at]
        return root

    def union(self, first: int, second: int) -> None:
        one, other = self.root(first), self.root(second)
        if one != other:
            self.parent[other] = one


class _Links:
    """Union-find over record positions, with the reasons each record was linked for and the
    links themselves (by name, or by a shared value), for splitting a chain."""

    def __init__(self, size: int) -> None:
        self._sets = _UnionFind(size)
        # Each linked record's reasons as noted (the same one may come twice: _reasons_of
        # sorts that out, once, for the records shown; a list is a quarter of a dict's size).
        self._reasons: dict[int, list[Reason]] = {}
        self._edges: list[tuple[int, int, bool]] = []  # (one, other, by name)

    def note(self, at: int, reason: Reason) -> None:
        held = self._reasons.get(at)
        if held is None:
            self._reasons[at] = [reason]
        elif reason not in held:
            held.append(reason)

    def join(self, first: int, second: int, reason: Reason) -> None:
        self.note(first, reason)
        self.note(second, reason)
        self._edges.append((first, second, reason.why is Why.NAME))
        self._sets.union(first, second)

    def join_all(self, found: list[int], reason: Reason) -> None:
        """Link records that share a value, unless too many do (a placeholder)."""
        if len(found) < 2 or len(found) > MAX_SHARED:
            return
        for at in found[1:]:
            self.join(found[0], at, reason)

    def groups(self, records: list[Record], entity: str) -> list[DuplicateGroup]:
        components: dict[int, list[int]] = {}
        for at in self._reasons:
            components.setdefault(self._sets.root(at), []).append(at)
        chains = {root for root, found in components.items() if len(found) > LONGEST_CHAIN}
        groups = [
            self._group(records, entity, found, None)
            for root, found in components.items()
            if root not in chains
        ]
        if chains:
            groups.extend(self._split_chains(records, entity, chains))
        groups.sort(key=lambda group: (-len(group.members), _member_order(group.members[0])))
        return groups

    def _split_chains(
        self, records: list[Record], entity: str, chains: set[int]
    ) -> list[DuplicateGroup]:
        """The groups of a chain too long to be one record: those its name links make, and
        those its shared values make, apart (a record may be in one of each)."""
        groups = []
        for by_name in (True, False):
            sets = _UnionFind(len(records))
            linked: set[int] = set()
            for one, other, named in self._edges:
                if named is by_name and self._sets.root(one) in chains:
                    sets.union(one, other)
                    linked.update((one, other))
            parts: dict[int, list[int]] = {}
            for at in linked:
                parts.setdefault(sets.root(at), []).append(at)
            groups.extend(self._group(records, entity, found, by_name) for found in parts.values())
        return groups

    def _group(
        self, records: list[Record], entity: str, found: list[int], by_name: bool | None
    ) -> DuplicateGroup:
        """A group of these records, with their reasons (only those by name, or only the
        others, when `by_name` says)."""
        members = []
        for at in found:
            reasons = _best(self._reasons[at])
            if by_name is not None:
                reasons = tuple(r for r in reasons if (r.why is Why.NAME) is by_name)
            members.append(_member(records[at], reasons))
        members.sort(key=_member_order)
        return DuplicateGroup(entity, tuple(members))


def _best(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Each reason once, a name's likeness in a city at its best, in Reason.order."""
    best: dict[tuple, Reason] = {}
    for reason in reasons:
        key = (reason.why, reason.value, reason.identifier_kind, reason.city)
        known = best.get(key)
        if known is None or known.score < reason.score:
            best[key] = reason
    return tuple(sorted(best.values(), key=Reason.order))


def _member(record: Record, reasons: tuple[Reason, ...]) -> Member:
    return Member(
        id=record.id,
        name=record.name,
        phone=record.phone,
        email=record.email,
        owner=record.owner,
        city=record.city,
        reasons=reasons,
        customer_id=record.customer_id,
        customer=record.customer,
    )


def _member_order(member: Member) -> tuple[str, str]:
    return member.name.casefold(), member.id
