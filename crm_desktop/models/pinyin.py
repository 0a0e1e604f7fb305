"""Pinyin for names: the spellings a Chinese user types to find 华为 (`huawei`, `hw`) and the key
that sorts 阿里巴巴, Baidu and 华为 as a Chinese user expects (a..., b..., hua...).

pypinyin does the reading. Asked for a whole name it takes about 0.25 ms (it segments the text
into words and looks each up, every call), which would cost half a minute for the 250,000 names
of a 100,000-customer demo or first sync. So a name's runs of Chinese characters are cut into
the words of pypinyin's own dictionary (its segmenter, the step that makes 重庆 chóngqìng and 银行
yínháng rather than the characters' commoner readings) and each word's readings are cached: a
name costs a few dictionary lookups once its words have been seen.

pypinyin is imported on first use: it costs about 0.3 s and 55 MB (its phrase dictionary), which
a process that never meets a Chinese name (an English user's window, most tests) never pays.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from types import SimpleNamespace

# CJK ideographs: the basic block, extension A, compatibility, and extensions B to G (planes 2
# and 3). pypinyin reads nearly all of the first three; one it can't read is kept as it is.
HAN_RUN = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U0003134f]+"
)
_NOT_WORD = re.compile(r"[\W_]+")
_LATIN = re.compile("[a-zA-Z]")
_TONE = re.compile(r"[1-5]$")

# At most this many readings of one character are indexed (its reading in the name's words
# first, then its commonest other reading that some word has)...
READINGS_PER_CHARACTER = 2
# ...and at most this many spellings of one name (each a full spelling plus its initials): the
# name as read in its words, then with one character read otherwise, characters whose reading
# the words changed first (重庆: chongqing, then zhongqing). A long name with many characters of
# two readings would otherwise make 2**n spellings.
SPELLINGS_PER_NAME = 4


@dataclass(frozen=True)
class _Reading:
    """One character's readings: `toned` as the name's words read it (`chong2`, tone 5 for the
    neutral one); `plain` without tones, that reading first, then the character's commonest
    other one that some word has (`chong`, `zhong`); `by_word` when the word reads it otherwise
    than the character alone is commonly read (重 in 重庆), the readings a user may spell either
    way."""

    toned: str
    plain: tuple[str, ...]
    by_word: bool = False


@cache
def _pypinyin() -> SimpleNamespace:
    from pypinyin import Style, pinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.seg.mmseg import seg

    plain = cache(to_normal)
    # (character, plain reading) of every character of pypinyin's phrase dictionary (0.1 s):
    # the readings characters have in real words. pypinyin also lists rare and classical ones
    # (园 wán, 有 wěi, 市 fú), which would only make names match what nobody types.
    in_words = frozenset(
        (character, plain(readings[0]))
        for phrase, phrase_readings in PHRASES_DICT.items()
        if len(phrase) == len(phrase_readings)
        for character, readings in zip(phrase, phrase_readings, strict=True)
    )
    return SimpleNamespace(pinyin=pinyin, Style=Style, cut=seg.cut, in_words=in_words)


@cache
def _character(character: str) -> tuple[str, ...]:
    """A character's plain readings that occur in words, commonest first (pypinyin's order),
    at most READINGS_PER_CHARACTER."""
    engine = _pypinyin()
    found = engine.pinyin(character, style=engine.Style.NORMAL, heteronym=True)
    readings = [r for r in dict.fromkeys(found[0]) if (character, r) in engine.in_words]
    return tuple(readings[:READINGS_PER_CHARACTER])


@cache
def _word(word: str) -> tuple[_Reading | None, ...]:
    """Each character's readings in a word of pypinyin's dictionary (or a lone character);
    None for a character pypinyin can't read. Words repeat from name to name (有限公司, 科技,
    the common surnames), so this is cached; the segmenter only yields dictionary words and
    single characters, which bounds the cache."""
    engine = _pypinyin()
    toned = engine.pinyin(word, style=engine.Style.TONE3, neutral_tone_with_five=True)
    if len(toned) != len(word):  # characters it can't read may come back as one piece
        toned = [
            engine.pinyin(c, style=engine.Style.TONE3, neutral_tone_with_five=True)[0] for c in word
        ]
    readings: list[_Reading | None] = []
    for character, (reading, *_) in zip(word, toned, strict=True):
        if reading == character or not reading:
            readings.append(None)
            continue
        plain = _TONE.sub("", reading)
        alone = _character(character)
        by_word = bool(alone) and alone[0] != plain
        if len(word) > 1 and not by_word:
            # The word reads it as it is commonly read (有 in 有限公司): nobody spells it
            # otherwise there.
            readings.append(_Reading(reading, (plain,)))
            continue
        spellings = tuple(dict.fromkeys((plain, *alone)))[:READINGS_PER_CHARACTER]
        readings.append(_Reading(reading, spellings, by_word))
    return tuple(readings)


@lru_cache(maxsize=8192)
def _run(run: str) -> tuple[_Reading | None, ...]:
    """Each character's readings in a run of Chinese characters. Cached too: a name is read for
    its search text and its sort key, and contacts' names repeat."""
    readings: list[_Reading | None] = []
    for word in _pypinyin().cut(run):
        readings.extend(_word(word))
    return tuple(readings)


def has_han(text: str) -> bool:
    return HAN_RUN.search(text) is not None


def sort_key(text: str | None) -> str | None:
    """What a name sorts by: lower case, each Chinese character as its toned pinyin followed by
    itself ("华为" -> "hua2华wei4为"), so 阿里巴巴 (a1阿...) < baidu < 华为 < Huawei Ltd, and two
    names read alike stay apart, grouped by their characters. Full-width letters count as
    ordinary ones (NFKC).

    The key is derived, local-only data in each table that sorts by it (`name_sort`,
    `title_sort`: models/entities.SORT_KEYS); every path that writes the name writes it too.
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text).casefold()
    return _sort_key(text) if has_han(text) else text


# Names repeat (people's names above all; a deal's title made from its customer's short name):
# cached whole, a repeated one costs a lookup.
NAMES_CACHED = 16384


@lru_cache(maxsize=NAMES_CACHED)
def _sort_key(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in HAN_RUN.finditer(text):
        parts.append(text[position : match.start()])
        for character, reading in zip(match.group(), _run(match.group()), strict=True):
            parts.append(character if reading is None else reading.toned + character)
        position = match.end()
    parts.append(text[position:])
    return "".join(parts)


def spellings(text: str | None) -> tuple[str, ...]:
    """The pinyin spellings a name is found by, when it has Chinese characters: whole and by its
    initials, letters and digits only ("深圳市华强电子" -> "shenzhenshihuaqiangdianzi",
    "szshqdz"), then the same with one character read another way (see SPELLINGS_PER_NAME).
    Other letters and digits stay as they are ("ABC科技" -> "abckeji", "abckj"). Initials of a
    name of one character are left out: a lone letter finds nothing. Empty for a name without
    Chinese characters."""
    return _spellings(text, initials_from=2)


def query_spellings(term: str) -> tuple[str, ...]:
    """What a search word mixing Chinese characters and Latin letters (`华qiang`, `华qdz`) may
    mean: its spellings (`huaqiang`, `hqiang`; `huaqdz`, `hqdz`), matched like any other. A word
    of Chinese characters alone is searched as it is, not as pinyin (华 would find 花 too)."""
    if not _LATIN.search(term):
        return ()
    return _spellings(term, initials_from=1)


def _spellings(text: str | None, initials_from: int) -> tuple[str, ...]:
    if not text:
        return ()
    text = unicodedata.normalize("NFKC", text).casefold()
    return _han_spellings(text, initials_from) if has_han(text) else ()


@lru_cache(maxsize=NAMES_CACHED)
def _han_spellings(text: str, initials_from: int) -> tuple[str, ...]:
    # The name in pieces: each Chinese character's plain readings, or a run of anything else.
    pieces: list[tuple[str, ...]] = []
    first: list[str] = []  # each piece's initial (a Chinese character's) or itself
    by_word: list[int] = []  # pieces whose other reading is their commonest alone
    others: list[int] = []  # pieces with another reading
    chinese = 0
    position = 0
    for match in HAN_RUN.finditer(text):
        _add_other(pieces, first, text[position : match.start()])
        for character, reading in zip(match.group(), _run(match.group()), strict=True):
            if reading is None:
                _add_other(pieces, first, character)
                continue
            if len(reading.plain) > 1:
                (by_word if reading.by_word else others).append(len(pieces))
            pieces.append(reading.plain)
            first.append(reading.plain[0][0])
            chinese += 1
        position = match.end()
    _add_other(pieces, first, text[position:])
    initials = chinese >= initials_from
    whole = [piece[0] for piece in pieces]
    found = {"".join(whole): None}
    if initials:
        found["".join(first)] = None
    # One character read its other way at a time, those the name's words read otherwise than
    # alone first (重庆: chongqing, then zhongqing); at most SPELLINGS_PER_NAME in all.
    for index in (by_word + others)[: SPELLINGS_PER_NAME - 1]:
        other = pieces[index][1]
        found["".join([*whole[:index], other, *whole[index + 1 :]])] = None
        if initials:
            found["".join([*first[:index], other[0], *first[index + 1 :]])] = None
    return tuple(found)


def _add_other(pieces: list[tuple[str, ...]], first: list[str], text: str) -> None:
    kept = _NOT_WORD.sub("", text)
    if kept:
        pieces.append((kept,))
        first.append(kept)
