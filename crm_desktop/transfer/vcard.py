"""Business cards (vCard 2.1, 3.0 and 4.0, several to a file) as a contacts table, a row a card.

Phones export 2.1 cards, often with names as quoted-printable UTF-8 (`CHARSET=UTF-8;ENCODING=
QUOTED-PRINTABLE`) and sometimes GBK, in the value or in the whole file; address books export
3.0 or 4.0. A card becomes a contact under the contact export's column names, plus `customer`
for its company (ORG) and `address` for its address, which the import gives the customer it
creates for the company (see importing.py). What a contact has no field for goes into its
notes, each under a label, rather than being lost: numbers beyond a mobile and a phone, faxes,
further emails and messaging IDs, more addresses, a website.

vobject reads the lines (its `parseLine`: names, parameters, quoting); the values are decoded
here. Its value objects are not used: they take a NOTE up to its first comma, which 2.1 cards
do not escape, and its quoted-printable decoding stops a whole file at one card's bad byte.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.headers import CUSTOMER_ADDRESS, CUSTOMER_NAME
from crm_desktop.transfer.reading import NOT_DECODABLE, FileTable, decoded_text, file_bytes

T = QT_TRANSLATE_NOOP
NO_CARDS = T("Transfer", "The file {path} holds no business cards (vCard).")
UNENDED_CARD = T("Transfer", "Line {line}: the card that starts here has no END:VCARD.")
BAD_LINE = T("Transfer", "Line {line} of the card file cannot be read ({reason}).")
# Labels of what a card has beyond a contact's fields, written into the contact's notes.
OTHER_PHONES = T("Transfer", "Other phones: {numbers}")
FAXES = T("Transfer", "Fax: {numbers}")
OTHER_EMAILS = T("Transfer", "Other emails: {emails}")
OTHER_MESSAGING = T("Transfer", "Other messaging IDs: {ids}")
ADDRESS_NOTE = T("Transfer", "Address: {address}")
WEBSITE_NOTE = T("Transfer", "Website: {url}")

VCARD_COLUMNS = (
    "name",
    "title",
    "mobile",
    "phone",
    "email",
    "messaging_id",
    CUSTOMER_NAME,
    CUSTOMER_ADDRESS,
    "notes",
)
LIST_SEPARATOR = ", "

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PROPERTY_START = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")
_MOBILE_DIGITS = re.compile(r"(?:86)?1[3-9]\d{9}")
_NOT_DIGITS = re.compile(r"\D+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# A TEL of these types is a mobile; other typed numbers are landlines (work, home...).
_MOBILE_TYPES = frozenset({"cell", "mobile", "iphone"})
_LANDLINE_TYPES = frozenset({"work", "home", "main", "pager", "car", "isdn", "bbs", "video"})
# Messaging properties, the one a Chinese contact is most reached on first.
_MESSAGING = ("X-WECHAT", "X-WEIXIN", "X-QQ", "IMPP", "X-SKYPE", "X-JABBER", "X-AIM", "X-MSN")
# The charsets a card names that GB18030 reads whole: a phone saying GB2312 writes GBK too.
_GB_CHARSETS = frozenset({"gb2312", "gbk", "gb18030", "cp936", "euc_cn"})
# A mainland address names no country: its users' letters go nowhere else.
_HOME_COUNTRY = frozenset({"中国", "中华人民共和国", "中國"})


@dataclass
class _Property:
    name: str  # upper case
    value: str  # as written, before unescaping (quoted-printable already decoded)
    line: int
    types: set[str] = field(default_factory=set)  # lower case: "cell", "work", "pref"...

    @property
    def preferred(self) -> bool:
        return "pref" in self.types


@dataclass
class _Card:
    line: int  # of its BEGIN:VCARD
    properties: list[_Property] = field(default_factory=list)
    version: str = "3.0"

    def all(self, *names: str) -> list[_Property]:
        found = [p for p in self.properties if p.name in names]
        # The preferred one first, the card's order otherwise (sorted() is stable).
        return sorted(found, key=lambda p: not p.preferred)

    def texts(self, *names: str) -> list[str]:
        return [t for t in (_unescaped(p.value, self.version) for p in self.all(*names)) if t]

    def parts(self, name: str) -> list[str]:
        found = self.all(name)
        return _components(found[0].value, self.version) if found else []


def read_vcard(path: Path, *, encoding: str | None = None) -> FileTable:
    """The cards of a .vcf file as a contacts table (VCARD_COLUMNS; place "line", the line
    of each card's BEGIN:VCARD). `encoding` overrides the detected one for the whole file;
    a quoted-printable value is decoded in the CHARSET it names. Raises TransferError."""
    text, used = decoded_text(file_bytes(path), encoding)
    rows = [(card.line, _row(card)) for card in _cards(text, used)]
    if not rows:
        raise TransferError(NO_CARDS, path=path)
    return FileTable(list(VCARD_COLUMNS), rows, "line", encoding=used, source="vcard")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) with folded lines unfolded: a line starting with a space or tab
    continues the one before (3.0, 4.0), as does the line after a quoted-printable value
    ending in "=" (2.1), and a 2.1 base64 value runs on until a blank line."""
    number, current = 0, None
    quoted = base64 = False
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if current is not None:
            if quoted and current[1].endswith("="):
                current = (current[0], current[1][:-1] + line)
                continue
            if line[:1] in (" ", "\t"):
                current = (current[0], current[1] + line[1:])
                continue
            if base64 and line.strip() and not _PROPERTY_START.match(line):
                continue  # a photo's data: nothing of it is kept
            yield current
            current = None
        if not line.strip():
            quoted = base64 = False
            continue
        head = line.split(":", 1)[0].upper()
        quoted = "QUOTED-PRINTABLE" in head
        base64 = "BASE64" in head or "ENCODING=B" in head
        current = (number, line)
    if current is not None:
        yield current


def _cards(text: str, encoding: str) -> Iterator[_Card]:
    from vobject.base import ParseError, parseLine

    card: _Card | None = None
    for number, line in _logical_lines(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                raise TransferError(UNENDED_CARD, line=card.line)
            card = _Card(number)
            continue
        if card is None:
            continue  # text around the cards is no part of them
        if upper == "END:VCARD":
            yield card
            card = None
            continue
        try:
            name, params, value, _group = parseLine(line, number)
        except ParseError as error:
            raise TransferError(BAD_LINE, line=number, reason=error) from None
        prop = _property(name.upper(), params, value, number, encoding)
        if prop.name == "VERSION":
            card.version = prop.value.strip()
        card.properties.append(prop)
    if card is not None:
        raise TransferError(UNENDED_CARD, line=card.line)


def _property(
    name: str, params: list[list[str]], value: str, line: int, encoding: str
) -> _Property:
    """A line's property: its types gathered from every way the versions write them (2.1
    `TEL;CELL;PREF`, 3.0 `TYPE=CELL,PREF`, 4.0 `TYPE="cell,voice";PREF=1`), and its value
    with any quoted-printable decoded."""
    types: set[str] = set()
    charset = None
    quoted = False
    for param in params:
        key = param[0].upper()
        values = [item.strip().lower() for v in param[1:] for item in v.split(",")]
        if len(param) == 1:  # a 2.1 bare parameter
            if key == "QUOTED-PRINTABLE":
                quoted = True
            else:
                types.add(key.lower())
        elif key == "TYPE":
            types.update(values)
        elif key == "PREF":
            types.add("pref")
        elif key == "ENCODING":
            quoted = quoted or "quoted-printable" in values
        elif key == "CHARSET" and values:
            charset = values[0]
    if quoted:
        value = _quoted_printable(value, charset, encoding, line)
    return _Property(name, value, line, types)


def _quoted_printable(value: str, charset: str | None, encoding: str, line: int) -> str:
    """A quoted-printable value in the charset it names; a phone that names none, or names one
    its bytes are not (UTF-8 on GBK bytes), is read in the file's encoding or as GB18030."""
    # Quoted-printable is ASCII; raw characters in it, which some phones leave, are bytes of
    # the file's encoding (never of UTF-16, whose bytes no quoted-printable value holds). A
    # UTF-8 file's byte-order mark belongs to the file, not to each value.
    byte_encoding = "utf-8" if encoding.startswith(("utf-16", "utf-8")) else encoding
    data = quopri.decodestring(value.encode(byte_encoding, errors="replace"))
    tried: list[str] = []
    for name in (charset, byte_encoding, "utf-8", "gb18030"):
        if name is None:
            continue
        try:
            codec = codecs.lookup("gb18030" if name in _GB_CHARSETS else name).name
        except LookupError:
            continue
        if codec in tried:
            continue
        tried.append(codec)
        try:
            # A 2.1 value's line breaks are encoded (=0D=0A): a note keeps plain newlines.
            return data.decode(codec).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise TransferError(NOT_DECODABLE, line=line, encoding=charset or encoding)


def _components(value: str, version: str) -> list[str]:
    """A structured value (N, ORG, ADR) split at its unescaped semicolons, each unescaped."""
    parts = re.split(r"(?<!\\);", value)
    return [_unescaped(part, version) for part in parts]


def _unescaped(value: str, version: str) -> str:
    """A text value with its escapes undone: 3.0 and 4.0 escape newlines, commas, semicolons
    and backslashes; 2.1 escapes nothing but semicolons (a "\\n" there is what was typed,
    and its newlines come quoted-printable)."""
    if version.startswith("2"):
        return value.replace("\\;", ";").replace("\\,", ",").strip()

    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        return "\n" if char in "nN" else char

    return re.sub(r"\\(.)", one, value).strip()


def _row(card: _Card) -> list[str]:
    notes = card.texts("NOTE")
    organisation = [part for part in card.parts("ORG") if part]
    company = organisation[0] if organisation else ""
    department = " ".join(organisation[1:])
    name = _name(card) or company
    title = " ".join(part for part in (department, *card.texts("TITLE", "ROLE")[:1]) if part)
    mobile, phone, others, faxes = _phones(card)
    emails = card.texts("EMAIL")
    messaging = [_without_scheme(text) for text in card.texts(*_MESSAGING)]
    addresses = [a for a in (_address(card, prop) for prop in card.all("ADR")) if a]
    extra = [
        (OTHER_PHONES, "numbers", others),
        (FAXES, "numbers", faxes),
        (OTHER_EMAILS, "emails", emails[1:]),
        (OTHER_MESSAGING, "ids", messaging[1:]),
    ]
    for label, key, items in extra:
        if items:
            notes.append(_note(label, **{key: LIST_SEPARATOR.join(items)}))
    notes += [_note(ADDRESS_NOTE, address=address) for address in addresses[1:]]
    notes += [_note(WEBSITE_NOTE, url=url) for url in card.texts("URL")]
    cells = {
        "name": name,
        "title": title,
        "mobile": mobile,
        "phone": phone,
        "email": emails[0] if emails else "",
        "messaging_id": messaging[0] if messaging else "",
        CUSTOMER_NAME: company,
        CUSTOMER_ADDRESS: addresses[0] if addresses else "",
        "notes": "\n".join(notes),
    }
    return [cells[column] for column in VCARD_COLUMNS]


def _note(label: str, **params: str) -> str:
    return QCoreApplication.translate("Transfer", label).format(**params)


def _name(card: _Card) -> str:
    """FN, or the name N puts together: family name first for a Chinese one (张伟), given name
    first otherwise (Fang Wang)."""
    full = card.texts("FN")
    if full:
        return full[0]
    family, given, additional, prefix, suffix = (card.parts("N") + [""] * 5)[:5]
    if _CJK.search(family + given):
        return f"{family}{given}{additional}".strip()
    return " ".join(part for part in (prefix, given, additional, family, suffix) if part)


def _phones(card: _Card) -> tuple[str, str, list[str], list[str]]:
    """(mobile, phone, other numbers, faxes). The first mobile is the mobile and the first
    landline (a work one before others) the phone; with no landline a second mobile is the
    phone, as a person with two mobiles gives both. A number typed as neither is a mobile
    when it has a mainland mobile's digits."""
    mobiles: list[str] = []
    landlines: list[tuple[bool, str]] = []  # (is not work, number)
    faxes: list[str] = []
    for prop in card.all("TEL"):
        number = _unescaped(prop.value, card.version)
        number = re.sub(r"^tel:", "", number, flags=re.IGNORECASE).replace(";ext=", " ext ")
        if not number:
            continue
        if "fax" in prop.types:
            faxes.append(number)
        elif prop.types & _MOBILE_TYPES:
            mobiles.append(number)
        elif prop.types & _LANDLINE_TYPES:
            landlines.append(("work" not in prop.types, number))
        elif _MOBILE_DIGITS.fullmatch(_NOT_DIGITS.sub("", number)):
            mobiles.append(number)
        else:
            landlines.append((True, number))
    others = [number for _, number in sorted(landlines, key=lambda pair: pair[0])]
    mobile = mobiles.pop(0) if mobiles else ""
    spare = others or mobiles
    phone = spare.pop(0) if spare else ""
    return mobile, phone, mobiles + others, faxes


def _without_scheme(text: str) -> str:
    """A messaging ID without the URI scheme 4.0 puts before it (`IMPP:xmpp:li@example.com`)."""
    return _URI_SCHEME.sub("", text, count=1).strip() if ":" in text else text


def _address(card: _Card, prop: _Property) -> str:
    """An ADR as one line: from the province down, unspaced, for a Chinese address (广东深圳
    华强北路1号), from the street up, with commas, for another."""
    parts = _components(prop.value, card.version) + [""] * 7
    box, extended, street, city, region, code, country = parts[:7]
    if _CJK.search(street + city + region + country):
        if country in _HOME_COUNTRY:
            country = ""
        text = "".join((country, region, city, street, extended, box))
        return f"{text} {code}".strip()
    region = f"{region} {code}".strip()
    return ", ".join(part for part in (box, extended, street, city, region, country) if part)
