"""Which city a customer is in, from its address (there is no city field) or, without one,
from its name: "深圳市南山区…", "广东省深圳市…", "广东深圳南山区…" and "…, Nanshan, Shenzhen"
are all 深圳.

A city is named by its Chinese name without 市 (the key similar names are compared within);
English addresses are read through the Latin spellings of city_table.py, so a customer written
in English and one written in Chinese can meet in the same city.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from crm_desktop.duplicates.city_table import CITIES, PROVINCES

# Cities that are part of a bigger one for the purpose of comparing names (a county-level city
# is written both ways: "江苏省苏州市昆山市…" and "昆山市…"), and phonenumbers' misspelling.
PART_OF: dict[str, str] = {
    "株州": "株洲",
    "昆山": "苏州",
    "常熟": "苏州",
    "张家港": "苏州",
    "太仓": "苏州",
    "江阴": "无锡",
    "宜兴": "无锡",
    "义乌": "金华",
    "东阳": "金华",
    "永康": "金华",
    "慈溪": "宁波",
    "余姚": "宁波",
    "晋江": "泉州",
    "石狮": "泉州",
    "南安": "泉州",
    "乐清": "温州",
    "瑞安": "温州",
    "海宁": "嘉兴",
    "桐乡": "嘉兴",
    "诸暨": "绍兴",
}
_CITY_NAMES: frozenset[str] = frozenset(name for name, _ in CITIES) | frozenset(PART_OF)
_LATIN_CITY: dict[str, str] = {}
for _name, _spellings in CITIES:
    for _spelling in _spellings:
        # Two cities spelled alike (苏州 and 宿州 are both Suzhou): the table lists the
        # bigger first, by area code, and it wins.
        _LATIN_CITY.setdefault(_spelling, PART_OF.get(_name, _name))
LATIN_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _name, _spellings in CITIES:
    LATIN_SPELLINGS.setdefault(PART_OF.get(_name, _name), _spellings)
_LATIN_PROVINCES: frozenset[str] = frozenset(s for _, spellings in PROVINCES for s in spellings)


# One pattern for the country, province and city an address starts with: a single regular
# expression does in C what looking each part up would do in many Python steps (a fifth of the
# time, which is most of a search's time at 100,000 customers). Longer names come first in
# each alternation (黑龙江, then shorter), and a known city followed by 区, 县, 路… is a
# district or a road named after it (北京市朝阳区 is not 辽宁's 朝阳; 中山路 is no city).
def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(set(names), key=len, reverse=True))


_COUNTRY_PART = r"(?:中华人民共和国|中国)?"
_PROVINCE_PART = (
    r"(?:(?P<province>" + _alternation(name for name, _ in PROVINCES) + r")"
    r"(?:省|[\u4e00-\u9fff]{0,4}?自治区)?)?"
)
_KNOWN_CITY_PART = r"(?P<known>" + _alternation(_CITY_NAMES) + r")(?![区县镇路街道巷])"
# A city the table does not know, written with 市 (a county-level city: "宜都市…").
_OTHER_CITY_PART = r"(?P<other>[\u4e00-\u9fff]{2,4}?)市"
_PLACE = re.compile(
    _COUNTRY_PART + _PROVINCE_PART + r"(?:" + _KNOWN_CITY_PART + "|" + _OTHER_CITY_PART + ")?"
)
_KNOWN_PLACE = re.compile(
    _COUNTRY_PART + _PROVINCE_PART + r"(?:" + _KNOWN_CITY_PART + r"|(?P<other>(?!)))?"
)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_WORD = re.compile(r"[\W_]+")
# What comes before 市 in a city the table does not know must not be a district or a road.
_NOT_A_CITY = re.compile(r"[区县镇乡村路街道号巷弄里]")
_BRACKETED = re.compile(r"[(（\[【]([^)）\]】]*)[)）\]】]")

# English: words that say what a part of the address is, not which place.
_LATIN_NOISE = frozenset(
    {"city", "shi", "province", "sheng", "district", "prc", "pr", "china", "p", "r", "c", "the"}
)
_STREET_WORDS = frozenset(
    {"road", "rd", "street", "st", "avenue", "ave", "boulevard", "blvd", "lu", "dadao", "lane"}
)
_LATIN_PARTS = re.compile(r"[,，;；\n]+")
_LATIN_WORDS = re.compile(r"[a-z]+")
# A single word is read as a city only from this length: "Ali" or "Aba" are too often
# something else; a whole part of the address ("…, Aba") still counts.
_SHORTEST_CITY_WORD = 4


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def _compact(text: str) -> str:
    """Full-width forms made plain (NFKC), without spaces or punctuation (Chinese text)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text))


def city_of(address: str | None, name: str | None = None) -> str | None:
    """The city of a record from its address; with none there, from its name ("深圳市华强电子
    有限公司", "华强电子(深圳)有限公司", "Shenzhen Northwind Ltd"); None when neither says."""
    return city_of_address(address) or city_of_name(name)


def city_of_address(address: str | None) -> str | None:
    if not address or not address.strip():
        return None
    if has_cjk(address):
        return _chinese_city(_compact(address).lstrip("0123456789"))
    return _latin_city(address)


def city_of_name(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    plain = unicodedata.normalize("NFKC", name)
    for inside in _BRACKETED.findall(plain):
        city = _known_city(_compact(inside).removesuffix("市"))
        if city is not None:
            return city
    if has_cjk(plain):
        return _chinese_city(_compact(_BRACKETED.sub("", plain)), False)
    words = _LATIN_WORDS.findall(plain.casefold().replace("'", ""))
    for count in (2, 1):
        if len(words) > count and " ".join(words[:count]) in _LATIN_CITY:
            return _LATIN_CITY[" ".join(words[:count])]
    return None


def strip_place(text: str, any_city: bool = True) -> tuple[str, str | None]:
    """Compact Chinese text without the country, province and city it starts with, and that
    city: "广东省深圳市南山区…" → ("南山区…", "深圳"). With `any_city` False only the table's
    cities count: in a name, "华强超市" is a supermarket, not the city of 华强超."""
    found = (_PLACE if any_city else _KNOWN_PLACE).match(text)
    assert found is not None  # every part of the pattern is optional
    province, known, other = found.group("province", "known", "other")
    rest = text[found.end() :]
    if known is not None:
        return rest.removeprefix("市"), _city_key(known)
    if other is not None and not _NOT_A_CITY.search(other):
        return rest, _city_key(other)
    if province is not None and rest.startswith("市"):
        # The province's name was the city's: "吉林市船营区…".
        return rest[1:], _city_key(province)
    if other is not None:
        rest = text[found.start("other") :]  # "福田区市民中心" names no city
    return rest, None


def _chinese_city(text: str, any_city: bool = True) -> str | None:
    return strip_place(text, any_city)[1]


def _known_city(text: str) -> str | None:
    if text in _CITY_NAMES:
        return _city_key(text)
    return _LATIN_CITY.get(" ".join(_LATIN_WORDS.findall(text.casefold())))


def _city_key(name: str) -> str:
    return PART_OF.get(name, name)


def _latin_city(address: str) -> str | None:
    """The last part of an English address that names a city: "12 Century Avenue, Pudong,
    Shanghai 200120, China" → 上海; an unknown one gives None."""
    for part in reversed(_LATIN_PARTS.split(address.casefold().replace("'", ""))):
        words = [w for w in _LATIN_WORDS.findall(part) if w not in _LATIN_NOISE]
        if not words:
            continue
        whole = " ".join(words)
        if whole in _LATIN_CITY:
            return _LATIN_CITY[whole]
        if whole in _LATIN_PROVINCES:
            continue
        for at in range(len(words) - 1, -1, -1):
            if at + 1 < len(words) and words[at + 1] in _STREET_WORDS:
                continue  # "Nanjing Road" is a street of Shanghai
            pair = " ".join(words[at : at + 2])
            if at + 1 < len(words) and pair in _LATIN_CITY:
                return _LATIN_CITY[pair]
            if len(words[at]) >= _SHORTEST_CITY_WORD and words[at] in _LATIN_CITY:
                return _LATIN_CITY[words[at]]
    return None
