"""Names as they are compared: a company's name without what every company's name has (its
legal form, its city, a bracketed place), and how alike two such names must be.

"深圳市华强电子有限公司", "华强电子(深圳)有限公司" and "华强电子股份有限公司" in 深圳 are all
"华强电子"; "Northwind Technology Co., Ltd." in Shenzhen and "Shenzhen Northwind Technology
Limited" are both "northwind technology".
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from crm_desktop.duplicates.places import (
    LATIN_SPELLINGS,
    has_cjk,
    strip_place,
)

# How alike two names must be (`likeness`, 0-100) to count as "similar".
#
# The likeness is the plain edit-distance ratio for names of about the same length, and 90% of
# the best partial match when one is much longer (1.5 times or more), so a name found whole in
# a longer one scores 90: "华强电子" in "华强电子科技" passes, and so do "Northwind Technology" /
# "Northwind Technologies" (90). 85 lets one wrong character through in Chinese names of seven
# characters or more (6/7 = 86%) and a typo or two in Latin ones, while companies that share
# only a trade name stay apart: "华强电子" / "华强科技" score 50, "华强电子" / "华强电器" 75,
# "Harbour Motors" / "Harbour Foods" 81, "Pacific Trading" / "Pacific Printing" 77. One
# wrong character in a short Chinese name (4 characters: 75, 6: 83) is therefore missed; such
# a pair usually shares a phone, an email or a tax number as well, which finds it.
SIMILAR = 85
# A name shorter than this is compared only whole, never found inside a longer one: "华强"
# is part of every "华强…" of the city, which says little, and chaining the group through it
# would join companies that merely share a trade name.
SHORTEST_CONTAINED = 4

# Legal forms, taken off the end again and again ("…集团有限公司"); the longest is tried
# first at each step.
_CHINESE_FORMS = re.compile(
    "(?:"
    + "|".join(
        (
            "集团股份有限公司",
            "股份有限公司",
            "有限责任公司",
            "集团有限公司",
            "有限公司",
            "集团公司",
            "分公司",
            "总公司",
            "公司",
            "集团",
            "股份",
            "有限",
        )
    )
    + ")+$"
)
_LATIN_FORMS = frozenset(
    {
        "co",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "company",
        "llc",
        "plc",
        "group",
        "holding",
        "holdings",
        "gmbh",
        "pte",
        "pty",
        "lp",
        "llp",
    }
)
_BRACKETED = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")
# A bracketed part naming a branch (华润万家（福田店）, 工商银行（南山支行）): another customer than
# the same name with another branch, so it stays in what is compared; a bracketed place
# (华强电子（深圳）) or note goes.
_BRANCH = re.compile(r"(?:店|分店|门店|分公司|营业部|支行|分行|办事处|分部|校区|分院|分厂)$")


def _unbracketed(text: str) -> str:
    return _BRACKETED.sub(lambda part: part[1] if _BRANCH.search(part[1].strip()) else " ", text)


_NOT_WORD = re.compile(r"[\W_]+")
_LATIN_WORDS = re.compile(r"[^\W_]+")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def name_core(name: str | None, city: str | None) -> str:
    """What is compared of a company's name in `city` (the city it is compared in, which is
    taken off its start: "深圳市华强" in 深圳 is "华强", but "中山大学" in 广州 stays whole)."""
    if not name:
        return ""
    plain = _unbracketed(_plain(name))
    if has_cjk(plain):
        return _chinese_core(_NOT_WORD.sub("", plain), city)
    return _latin_core(_LATIN_WORDS.findall(plain.replace("'", "").replace("&", " and ")), city)


def _chinese_core(text: str, city: str | None) -> str:
    core = text
    # Most names do not start with their city: strip_place is only asked when one may.
    if city is not None and city in text[: len(city) + 8]:
        rest, found = strip_place(text, any_city=False)
        if found == city and rest:
            core = rest
    core = _CHINESE_FORMS.sub("", core) or core
    # A branch says its city last: "华强电子深圳分公司" in 深圳 is 华强电子.
    if city is not None and core.endswith(city) and len(core) > len(city) + 1:
        core = core[: -len(city)]
    return core


def _latin_core(words: list[str], city: str | None) -> str:
    spellings = [s.split() for s in LATIN_SPELLINGS.get(city, ())] if city else []
    kept = list(words)
    while len(kept) > 1 and kept[-1] in _LATIN_FORMS:
        kept.pop()
    if len(kept) > 1 and kept[0] == "the":
        kept.pop(0)
    for spelling in spellings:
        size = len(spelling)
        if len(kept) > size and kept[:size] == spelling:
            kept = kept[size:]
        elif len(kept) > size and kept[-size:] == spelling:
            kept = kept[:-size]
    return " ".join(kept)


def person_key(name: str | None) -> str:
    """A person's name as compared (exactly): case, spaces and punctuation aside; Chinese names
    without spaces ("张 伟" is 张伟), Latin ones word by word."""
    if not name:
        return ""
    plain = _plain(name)
    if has_cjk(plain):
        return _NOT_WORD.sub("", plain)
    return " ".join(_LATIN_WORDS.findall(plain.replace("'", "")))


def address_key(address: str | None) -> str:
    """An address as compared (exactly), without the province and city it may start with:
    "广东省深圳市南山区科技园路1号" and "深圳南山区科技园路1号" are one address."""
    if not address:
        return ""
    plain = _plain(address)
    if has_cjk(plain):
        return strip_place(_NOT_WORD.sub("", plain))[0]
    return " ".join(_LATIN_WORDS.findall(plain.replace("'", "")))


def likeness(first: str, second: str) -> int:
    """How alike two names are, 0-100: the edit-distance ratio, or for a name much shorter
    than the other (1.5 times or more) 90% of how well it matches the best part of the longer
    one (60% when the longer is 8 times or more), as rapidfuzz's WRatio weighs it.

    WRatio itself is not used: it also scores by words, and any shared word then gives
    85.5 ("Oakridge Motors" / "Oakridge Building Supplies"), which would chain every company of
    one trade name into one group. Names shorter than SHORTEST_CONTAINED are only compared
    whole."""
    score = fuzz.ratio(first, second)
    short, long = (first, second) if len(first) <= len(second) else (second, first)
    if len(short) >= SHORTEST_CONTAINED and len(long) >= 1.5 * len(short):
        scale = 0.9 if len(long) < 8 * len(short) else 0.6
        score = max(score, scale * fuzz.partial_ratio(short, long))
    return round(score)
