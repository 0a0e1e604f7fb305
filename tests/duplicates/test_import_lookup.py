"""The import's lookup takes two shortcuts that must find exactly what the plain way finds: a
block's similar names scored only where likeness can pass (`_Names.similar` against
scan.similar_in), and a row's phones taken as the writer stored them rather than parsed again
(`DuplicateIndex.matches(values, stored)` against `matches(values)`)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from crm_desktop.duplicates import DuplicateIndex
from crm_desktop.duplicates.index import _Names
from crm_desktop.duplicates.scan import similar_in
from crm_desktop.profile import Profile

# Characters of company names, so that random names share many of them.
CHINESE = "华强电子科技深圳北京海尔美的中兴光学陶瓷纸业酒业茶业乐器文具玩具化工五金"
LATIN = ("north", "wind", "trading", "tech", "harbour", "motors", "foods", "pacific", "printing")


def _name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return " ".join(rng.choices(LATIN, k=rng.randrange(1, 5)))
    # Lengths around the ones likeness treats apart: under 4, 1.5 and 8 times as long.
    return "".join(rng.choices(CHINESE, k=rng.choice((2, 3, 4, 5, 6, 7, 8, 10, 14, 33))))


def _variant(name: str, rng: random.Random) -> str:
    """The name with a typo, a character more or fewer, or more words after it."""
    chars = list(name)
    pick = rng.random()
    if pick < 0.3:
        chars[rng.randrange(len(chars))] = rng.choice(CHINESE)
    elif pick < 0.5:
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(CHINESE))
    elif pick < 0.6 and len(chars) > 1:
        del chars[rng.randrange(len(chars))]
    elif pick < 0.8:
        chars += rng.choices(CHINESE, k=rng.randrange(1, 12))
    return "".join(chars)


@pytest.mark.parametrize("seed", range(4))
def test_a_block_finds_the_similar_names_similar_in_finds_in_its_order(seed: int) -> None:
    rng = random.Random(seed)
    found = several = 0
    for _block in range(60):
        block = _Names()
        names = [_name(rng) for _ in range(rng.randrange(1, 25))]
        names += [_variant(rng.choice(names), rng) for _ in range(rng.randrange(0, 120))]
        for at, name in enumerate(names):
            block.add(name, at)
        asked = [rng.choice(names) for _ in range(10)] + [
            _variant(rng.choice(names), rng) for _ in range(10)
        ]
        for name in asked:
            expected = [(other, score) for other, score, _at in similar_in(name, block.names)]
            assert block.similar(name) == expected, name
            found += bool(expected)
            several += len(expected) > 1
    # The names were alike enough to test something: most find some, many several.
    assert found > 600 and several > 300


def test_a_row_is_looked_up_alike_with_its_stored_phones(profile: Profile) -> None:
    writer = profile.writer()
    stored = {
        "mobile": writer.create("customers", {"name": "远航物流", "phone": "13900139000"}),
        "landline": writer.create(
            "customers", {"name": "华强电子", "phone": "0755-8888 1234", "address": "深圳市"}
        ),
        "extension": writer.create(
            "customers", {"name": "海尔集团", "phone2": "0532 8893 8888 转 12"}
        ),
    }
    assert all(changes.primary_id for changes in stored.values())
    rows: list[dict[str, Any]] = [
        {"name": "新远航", "phone": "139 0013 9000"},
        {"name": "新华强", "phone": "+86 755 8888-1234", "address": "广东省深圳市"},
        {"name": "华强电子有限公司", "phone2": "(0755) 88881234", "address": "深圳"},
        {"name": "青岛海尔", "phone": "0532-88938888 ext 99", "phone2": "13900139000"},
        {"name": "无关", "phone": "13700000000", "phone2": ""},
    ]
    with profile.store.read() as session:
        plain = DuplicateIndex.build(session, "customers", profile.region)
        quick = DuplicateIndex.build(session, "customers", profile.region)
    with writer.transaction() as unit:
        # The writer's values of each row, as an import would store them.
        cleaned = [unit.prepare("customers", row).values for row in rows]
    found = []
    for line, (row, values) in enumerate(zip(rows, cleaned, strict=True), start=2):
        expected = plain.matches(row)
        assert quick.matches(row, values) == expected
        found.append(sorted(match.name for match in expected))
        plain.add(row, line)
        quick.add(row, line)
    # By a phone in another spelling, the switchboard whatever the extension, an earlier row.
    assert found == [
        ["远航物流"],
        ["华强电子"],
        ["华强电子", "新华强"],
        ["新远航", "海尔集团", "远航物流"],
        [],
    ]
