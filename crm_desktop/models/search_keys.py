"""What a customer can be found by: one lower-cased string per customer, and the query side."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

from crm_desktop.models.phones import phone_query_digits, phone_search_keys
from crm_desktop.models.pinyin import query_spellings, spellings

SEPARATOR = "\x1f"  # never typed, so a query can't match across two fields
# The version of what a store derives from names: the search text search_text_of composes and
# the sort keys of models/pinyin.sort_key. A store whose rows were derived by another version
# (one made before pinyin, version 1) derives them all again when it is opened
# (storage/search_index.refresh_derived_text). Change it whenever either composition changes
# what a search finds or how rows sort. Not for a change that only orders the same parts
# otherwise (contacts and identifiers taken in an order of their own, 2026-12-01): a search
# finds the same rows, and deriving all again would hold a 100,000-customer store's upgrade for
# a minute and more (10.6 s at 10,000); a text is composed anew when its customer next changes.
DERIVED_TEXT_VERSION = 2
_KEY_NOISE = re.compile(r"[\s\-_./·]+")


def search_key(customer_id: str) -> int:
    """A stable positive 63-bit integer for a customer id: its rowid in the full-text indexes
    (FTS5 rows need integer ids) and its `customers.search_key`. Never change it: stored
    indexes are keyed by it."""
    digest = hashlib.blake2b(customer_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def identifier_key(value: str) -> str:
    """ "粤B 12345", "粤b-12345" and "粤B12345" are one licence plate; same for policy numbers."""
    return _KEY_NOISE.sub("", value).upper()


def search_text_of(
    name: str | None,
    short_name: str | None,
    email: str | None,
    phones: Iterable[str | None],
    contacts: Iterable[tuple[str | None, str | None, str | None, str | None]],
    identifiers: Iterable[str],
    phone_keys: Callable[[str | None], list[str]] = phone_search_keys,
) -> str:
    """A customer's search text from its own fields, its contacts' (name, email, phone,
    mobile) and its identifier values: the one composition every writer of it uses.

    Names, emails and the like, then the pinyin spellings of the customer's and its contacts'
    names (models/pinyin.spellings: `huaqiangdianzi`, `hqdz`), then the phones' search keys,
    then identifier keys, lower-cased and joined by SEPARATOR. Contacts and identifiers are
    taken in an order of their own, not the order given: a text composed from a file's rows
    and one composed again from the store's (in whatever order an index hands them) must be
    the same. `phone_keys` may be given a faster equivalent of phone_search_keys for numbers
    known to be simple (the demo's; its tests check the two agree).
    """
    people = sorted(contacts, key=_in_order)
    identifiers = sorted(identifiers)
    texts = [name, short_name, email] + [p[0] for p in people] + [p[1] for p in people]
    parts: list[str] = [t.strip().lower() for t in texts if t and t.strip()]
    parts.extend(_spelled([name, short_name] + [p[0] for p in people]))
    for phone in [*phones] + [p[2] for p in people] + [p[3] for p in people]:
        parts.extend(phone_keys(phone))
    parts.extend(identifier_key(value).lower() for value in identifiers if value)
    return SEPARATOR.join(parts)


def _in_order(contact: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple(value or "" for value in contact)


def _spelled(names: list[str | None]) -> list[str]:
    """The pinyin spellings of these names, each once. One inside another already there (a
    short name's, 华强电子 in 深圳市华强电子) finds nothing more by three letters or more, only
    perhaps by its first two (the short index holds the start of each word): it goes in as
    those two. Pinyin adds half again to a customer's search text, and the full-text index's
    time grows with it."""
    spelled: list[str] = []
    for each in names:
        for spelling in spellings(each):
            if any(spelling in earlier for earlier in spelled):
                spelling = spelling[:2]
            if spelling not in spelled:
                spelled.append(spelling)
    return spelled


# A syllable of pinyin as people type it without tones (an initial, then a final): `li`, `na`,
# `zhuang`, `er`. Loose on purpose: it only decides whether short words typed apart are read as
# one name's spelling.
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu"
    r"|ua|uo|ue|ui|ve|a|o|e|i|u|v)"
)


def _spelled_together(words: list[str]) -> list[tuple[str, ...]]:
    """For each word of a search, the one name's spelling it may be part of: a run of pinyin
    syllables with one of fewer than three letters (`li na`, `bo ya`), as typed and without
    its spaces (`li na`, `lina`); nothing for other words. The short index finds a word of two
    letters only at the start of a word, and a name's spelling is one word (`lina`)."""
    together: list[tuple[str, ...]] = [() for _ in words]
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and words[end].isascii() and _SYLLABLE.fullmatch(words[end]):
            end += 1
        run = words[start:end]
        if len(run) > 1 and any(len(word) < 3 for word in run):
            spelled = (" ".join(run), "".join(run))
            together[start:end] = [spelled] * len(run)
        start = max(end, start + 1)
    return together


def query_terms(query: str, spelled: bool = True) -> list[set[str]]:
    """Each term a customer must match, as the set of spellings any one of which counts.

    A query that reads as a phone number is one term of its digits, whatever its spaces and
    dashes; otherwise each word is a term (all must match), tried as typed and as an identifier,
    and a word mixing Chinese and Latin letters (`华qiang`) also as pinyin (`huaqiang`). Pinyin
    typed as words (`hua qiang`) needs nothing more: each word is found in the name's spelling.
    `spelled=False` leaves the pinyin out (it is the same for the same word): the window compares
    searches on its own thread, which must not wait for pypinyin to load.
    """
    # Full-width letters and digits as an input method left in full-width mode types them
    # (１３９…, ＡＣＭＥ): the stored text holds the ordinary ones.
    query = unicodedata.normalize("NFKC", query).strip()
    if not query:
        return []
    digits = phone_query_digits(query)
    if digits is not None:
        return [{digits, query.lower()}]
    terms = []
    words = query.lower().split()
    # Each word of `li na` matches as itself (Li Na Trading, in any order) or as part of the
    # whole name's spelling (李娜: `lina`).
    for word, together in zip(words, _spelled_together(words), strict=True):
        variants = {word, *together}
        key = identifier_key(word).lower()
        if key:
            variants.add(key)
        if spelled:
            variants.update(query_spellings(word))
        terms.append(variants)
    return terms
