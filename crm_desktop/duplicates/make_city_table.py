"""Writes city_table.py: the mainland's cities, each with the Latin spellings an English
address gives it, taken from phonenumbers' area-code descriptions and pypinyin.

    cd crm_desktop/duplicates && ../../.venv/bin/python make_city_table.py > city_table.py

Run again only to refresh the table (a new phonenumbers release); the app reads the table it
wrote and never imports this module, so neither the ~60 MB of phonenumbers' geocoding data nor
pypinyin's dictionaries are loaded to find duplicates.
"""

from __future__ import annotations

import re
import sys

# Province-level names as addresses begin with them, and as English addresses spell them.
PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("河北", ("hebei",)), ("山西", ("shanxi",)), ("辽宁", ("liaoning",)),
    ("吉林", ("jilin",)), ("黑龙江", ("heilongjiang",)), ("江苏", ("jiangsu",)),
    ("浙江", ("zhejiang",)), ("安徽", ("anhui",)), ("福建", ("fujian",)),
    ("江西", ("jiangxi",)), ("山东", ("shandong",)), ("河南", ("henan",)),
    ("湖北", ("hubei",)), ("湖南", ("hunan",)), ("广东", ("guangdong",)),
    ("海南", ("hainan",)), ("四川", ("sichuan",)), ("贵州", ("guizhou",)),
    ("云南", ("yunnan",)), ("陕西", ("shaanxi",)), ("甘肃", ("gansu",)),
    ("青海", ("qinghai",)), ("台湾", ("taiwan",)), ("内蒙古", ("inner mongolia", "neimenggu")),
    ("广西", ("guangxi",)), ("西藏", ("tibet", "xizang")), ("宁夏", ("ningxia",)),
    ("新疆", ("xinjiang",)),
)  # fmt: skip

# Cities an address names without any province, and those phonenumbers' mainland data lacks.
EXTRA_CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("香港", ("hong kong", "hongkong", "hk")),
    ("澳门", ("macau", "macao")),
    ("台北", ("taipei",)),
    ("高雄", ("kaohsiung",)),
    ("三亚", ("sanya",)),
    ("株洲", ("zhuzhou",)),  # phonenumbers writes it 株州
)
# English names phonenumbers gives a prefecture that belong to another city (金昌 is not 武威).
WRONG_SPELLINGS: tuple[tuple[str, str], ...] = (("武威", "jinchang"),)

# The peoples an autonomous prefecture is named after ("恩施土家族苗族自治州" is 恩施).
_ETHNIC_PREFECTURE = re.compile(
    r"(?:土家族|苗族|彝族|白族|壮族|藏族|回族|朝鲜族|布依族|蒙古族|蒙古|哈萨克|柯尔克孜|傣族"
    r"|景颇族|傈僳族|哈尼族|羌族|侗族)+自治州$"
)
_SUFFIX = re.compile(r"(?:市|地区|自治州|盟)$")


def _city_names(description: str) -> list[str]:
    """ "广东省深圳市" → ["深圳"]; "辽宁省沈阳市、铁岭市" → ["沈阳", "铁岭"]; counties dropped."""
    names = []
    for position, item in enumerate(description.split("、")):
        if position == 0:
            for province, _latin in PROVINCES:
                if item.startswith(province):
                    item = item[len(province) :]
                    item = re.sub(r"^(?:省|[\u4e00-\u9fff]{0,4}?自治区)", "", item)
                    break
        elif not _SUFFIX.search(item):
            continue  # a county or a town listed after the city ("嘉黎县", "双湖")
        item = _ETHNIC_PREFECTURE.sub("", item)
        item = _SUFFIX.sub("", item)
        # 吉林 is a province and its city; 海南 (Qinghai's prefecture) is read as the province.
        if len(item) >= 2 and (item == "吉林" or item not in {name for name, _ in PROVINCES}):
            names.append(item)
    return names


def build() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from phonenumbers.geodata import GEOCODE_DATA
    from pypinyin import lazy_pinyin

    cities: dict[str, list[str]] = {}
    # Landline area codes: 86 and two or three digits (longer prefixes are mobile ranges).
    for prefix in sorted(key for key in GEOCODE_DATA if key.startswith("86") and len(key) <= 5):
        described = GEOCODE_DATA[prefix]
        names = _city_names(described.get("zh", ""))
        english = described.get("en", "").split(",")[0].split("/")
        for name in names:
            latin = cities.setdefault(name, [])
            spelled = "".join(lazy_pinyin(name))
            # phonenumbers' English names in a list of several cities are not always in the
            # order of the Chinese ones ("长沙市、湘潭市、株州市" is "Zhuzhou/Changsha/Xiangtan").
            given = english[0] if len(names) == 1 and len(english) == 1 else ""
            for spelling in (spelled, given):
                spelling = re.sub(r"[^a-z ]", "", spelling.lower()).strip()
                if spelling and spelling not in latin:
                    latin.append(spelling)
    for name, wrong in WRONG_SPELLINGS:
        cities[name].remove(wrong)
    for name, latin in EXTRA_CITIES:
        cities.setdefault(name, []).extend(s for s in latin if s not in cities.get(name, []))
    return tuple((name, tuple(latin)) for name, latin in cities.items())


def _strings(texts: tuple[str, ...]) -> str:
    """A tuple of strings as ruff's format writes it (double quotes)."""
    inside = ", ".join(f'"{text}"' for text in texts)
    return f"({inside},)" if len(texts) == 1 else f"({inside})"


def main() -> int:
    out = sys.stdout
    out.write('"""The cities an address or a company name may start with (made by\n')
    out.write("make_city_table.py from phonenumbers' area codes and pypinyin; do not edit).\n")
    out.write('"""\n\n')
    out.write("# (name as Chinese addresses write it without 市, its Latin spellings)\n")
    out.write("CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (\n")
    for name, latin in build():
        out.write(f'    ("{name}", {_strings(latin)}),\n')
    out.write(")  # fmt: skip\n\n")
    out.write("# (province-level name, its Latin spellings)\n")
    out.write("PROVINCES: tuple[tuple[str, tuple[str, ...]], ...] = (\n")
    for name, latin in PROVINCES:
        out.write(f'    ("{name}", {_strings(latin)}),\n')
    out.write(")  # fmt: skip\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
