"""What a new record's values give without reading the store: the values cleaned, the sort
keys, a customer's identifiers and its search text.

Cleaning a value (parsing a phone, reading a name's pinyin) is most of a new row's cost, and it
needs nothing but the values and the region the phones are read in. So it is its own step:
`Writer.prepare` derives a row here, then makes the checks that read the store; an import may
derive its rows beforehand (in its check, or in worker processes while it writes) and hand each
`CleanedRow` to `prepare`, which reuses what is still the same. This module reads no store and
imports no Qt widgets, so a worker process may run it.

A customer's identifiers are checked here too, but a problem with them is kept on the row
(`identifier_problem`) for `prepare` to raise after its checks that read the store: a row with
an unknown owner and a bad ID number is refused for its owner, as it always was.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any

from crm_desktop.models.entities import SORT_KEYS, sort_keys_of
from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.models.identifiers import check_identifier
from crm_desktop.models.rules import clean_value, clean_values
from crm_desktop.models.search_keys import search_text_of
from crm_desktop.models.validation import InvalidInput

# Customer fields that feed its search text (search_index composes it from these, as stored).
SEARCHED_FIELDS = frozenset({"name", "short_name", "email", "phone", "phone2"})

_IDENTIFIER_VALUE = FIELDS_BY_NAME["customer_identifiers"]["value"]


@dataclass(frozen=True, slots=True)
class CleanedRow:
    """What `derive` made of a new record's values: the values as given and as cleaned, the
    sort keys, a customer's identifiers and its search text (as a new customer, with no
    contacts yet). Given to a later `derive` or `prepare` (`reuse`), the values equal to those
    given here are not cleaned again; the checks that read the store (references, unique
    values, the default owner) are made again every time, as the store may have changed."""

    entity: str
    region: str
    given: dict[str, Any]  # the values as given, a customer's identifiers left out
    cleaned: dict[str, Any]  # clean_values of `given`, before defaults
    # (column, key) pairs rather than a dict: 100,000 of these are kept through a check.
    sort_keys: tuple[tuple[str, str | None], ...]
    identifiers_given: Any  # a customer's identifiers as given (None: none given)
    identifiers: tuple[tuple[str, str], ...]
    search_text: str = ""  # a customer's, from its SEARCHED_FIELDS and identifiers
    # Why the identifiers given are refused (then `identifiers` is empty); None when they are not.
    identifier_problem: InvalidInput | None = None


def derive(
    entity: str, values: dict[str, Any], region: str, reuse: CleanedRow | None = None
) -> CleanedRow:
    """A new record's values cleaned, with what derives from them; raises InvalidInput for the
    first value that is not valid (a customer's identifiers aside: `identifier_problem`).
    `reuse`: what an earlier derive of (nearly) these values made; the values that are still
    the same are not cleaned again."""
    values = dict(values)
    identifiers = values.pop("identifiers", None) if entity == "customers" else None
    if reuse is not None and (reuse.entity, reuse.region) != (entity, region):
        reuse = None
    pure = _clean(entity, values, region, reuse)
    if reuse is not None and same_fields(pure, reuse.cleaned, SORT_KEYS.get(entity, ())):
        sort_keys = reuse.sort_keys  # the same names: the same pinyin
    else:
        sort_keys = tuple(sort_keys_of(entity, pure).items())
    problem: InvalidInput | None = None
    if identifiers is None:
        pairs: tuple[tuple[str, str], ...] = ()
    elif reuse is not None and same(identifiers, reuse.identifiers_given):
        pairs, problem = reuse.identifiers, reuse.identifier_problem
    else:
        try:
            pairs = tuple(identifier_pairs(identifiers, region))
        except InvalidInput as refused:
            pairs, problem = (), refused
    text = ""
    if entity == "customers":
        if (
            reuse is not None
            and same_fields(pure, reuse.cleaned, SEARCHED_FIELDS)
            and pairs == reuse.identifiers
        ):
            text = reuse.search_text
        else:
            # A new customer has no contacts yet; its identifiers are these (insert adds them
            # with it). Composed here rather than when the search index is brought up to date:
            # the name's pinyin was just read for its sort key, and pinyin's cache still holds it.
            text = search_text_of(
                pure.get("name"),
                pure.get("short_name"),
                pure.get("email"),
                [pure.get("phone"), pure.get("phone2")],
                (),
                [value for _kind, value in pairs],
            )
    if reuse is not None and (pure, sort_keys, pairs, problem) == (
        reuse.cleaned,
        reuse.sort_keys,
        reuse.identifiers,
        reuse.identifier_problem,
    ):
        return reuse  # all of it as before: kept once, not once more
    return CleanedRow(entity, region, values, pure, sort_keys, identifiers, pairs, text, problem)


def _clean(
    entity: str, values: dict[str, Any], region: str, reuse: CleanedRow | None
) -> dict[str, Any]:
    """clean_values of a new record's values (not to be changed: it may be `reuse`'s),
    cleaning again only the values that differ from those `reuse` was made from."""
    if reuse is None or values.keys() != reuse.given.keys():
        # Other fields given: a required one may be missing now, so all are checked.
        return clean_values(entity, values, region, creating=True)
    given = reuse.given
    changed = {name: value for name, value in values.items() if not same(value, given[name])}
    if not changed:
        return reuse.cleaned
    # Fields clean each on its own, and the others were clean: the first problem among the
    # changed ones is the first clean_values of them all would raise.
    cleaned = dict(reuse.cleaned)
    cleaned.update(clean_values(entity, changed, region, creating=False))
    return cleaned


def identifier_pairs(
    wanted: Iterable[Any], region: str, stored: Container[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(kind, value) pairs, from pairs or dicts, cleaned, blanks left out, each once; those
    not `stored` already held to their kind's check (models/identifiers.py)."""
    pairs: dict[tuple[str, str], None] = {}
    for item in wanted:
        kind, value = (item["kind"], item["value"]) if isinstance(item, dict) else item
        if value is None or not str(value).strip():
            continue
        # Cleaned before comparing with the stored pairs, and untrimmed: a control character
        # at either end is refused as it is in any other field, not quietly cut off.
        cleaned = clean_value(_IDENTIFIER_VALUE, value, region)
        if (str(kind), cleaned) not in stored:
            # One the customer has already (a legacy number, another device's) does not
            # stop an edit of anything else: only those added are held to their check.
            check_identifier(str(kind), cleaned)
        pairs[(str(kind), cleaned)] = None
    return list(pairs)


def same(given: Any, earlier: Any) -> bool:
    """Whether a value is the one given before: equal and of the same type (1, 1.0 and True are
    equal, but a money field reads the int 1 as one fen and the float 1.0 as one yuan)."""
    return given is earlier or (type(given) is type(earlier) and given == earlier)


def same_fields(cleaned: dict[str, Any], earlier: dict[str, Any], names: Iterable[str]) -> bool:
    """Whether these fields were cleaned to the same values (what derives from them is)."""
    return all(same(cleaned.get(name), earlier.get(name)) for name in names)
