"""Which file column holds which field: the headers people's own spreadsheets have, guessed.

An export's own column names (`columns.py`) always read as themselves. Other headers are
recognised from the words Chinese and English lists use for a field (客户名称, 手机,
统一社会信用代码, "E-mail"), ignoring case, spaces, punctuation, full-width forms and markers
such as a trailing colon or （必填）. A mapping is `{file column index: target}`, a target
being what `mapping_targets` lists, or None for a column left out. A mapping the user
confirmed is kept per header signature in the profile's local settings, so the same export
from an old system maps the same way the next time, in the window and on the command line.

Targets beyond the export's names:
- `identifiers:<kind>` (customers): a column of one kind of identifier, such as ID card numbers
  under 身份证; its cells hold plain numbers. The export's `identifiers` column also takes plain
  numbers, their kind told from their form (see importing.py).
- `address` (contacts): the address of the customer a contact belongs to; it fills in a
  customer the import creates (a business card's company address).
- `contact:<field>` (customers): the contact person a customer list names beside each customer
  (联系人, 联系人手机, 职务): the row's customer gets a contact of that name.

A column headed "ID" is the record id only when it holds this program's ids; an old system's
row numbers are left out (see `reads_as_record_id`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from sqlalchemy.orm import Session

from crm_desktop.models.choices import IdentifierKind
from crm_desktop.models.entities import LocalSetting
from crm_desktop.models.fields import FIELDS, Kind
from crm_desktop.transfer.columns import IDENTIFIERS, TRANSFER_ENTITIES, transfer_columns

IDENTIFIER_PREFIX = IDENTIFIERS + ":"
CUSTOMER_NAME = "customer"  # the readable column beside customer_id: a customer by name
CUSTOMER_ADDRESS = "address"  # contacts only: their customer's address
CONTACT_PREFIX = "contact:"  # customers only: a field of the row's contact person
# The fields of a contact a customer list may give beside its customer, in the form's order.
CONTACT_FIELDS = ("name", "title", "mobile", "phone", "email")
CONTACT_NAME = CONTACT_PREFIX + "name"
MAPPING_KEY_PREFIX = "import_mapping_"
RECORD_ID = "id"  # the export's column of record ids
# A record id as this program makes them (models/base.new_id: a UUID's text).
_RECORD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# What people call each column ("|" between words), besides its export name and its field's
# English label; the Chinese labels of crm_desktop_zh_CN.ts are among the words. A common word
# for a target an entity does not have is skipped (a products file's 单位 is its unit, a
# contacts file's its company), and an entity's own words go first.
COMMON_WORDS: dict[str, str] = {
    "notes": "备注|说明|附注|备注信息|描述|remark|remarks|memo|comment|comments|note|description",
    "owner": (
        "负责人|业务员|销售|销售员|销售代表|客户经理|跟进人|归属人|所属销售|sales|salesperson|"
        "sales rep|rep|owner login"
    ),
    "customer": (
        "客户|客户名称|客户名|公司|公司名称|单位|单位名称|企业名称|所属客户|所属公司|company|"
        "company name|customer name|organization|organisation|org"
    ),
    "email": "邮箱|电邮|电子邮件|电子邮箱|邮件|邮件地址|邮箱地址|e-mail|mail|email address",
    "amount": "金额|总金额|总价|amount",
    "external_ref": "财务系统编号|财务编号|外部编号|erp编号|external ref",
    "contract": "合同|合同号|合同编号|合同号码|contract number",
}

ENTITY_WORDS: dict[str, dict[str, str]] = {
    "customers": {
        "name": (
            "客户名称|客户名|客户|公司名称|公司|名称|单位名称|单位|企业名称|企业|客户姓名|姓名|"
            "company|company name|customer|customer name"
        ),
        "short_name": "简称|客户简称|公司简称|short name|abbreviation",
        "kind": "客户类型|类型|type|customer type",
        "grade": "等级|级别|客户等级|客户级别|grade|level|rating",
        "grade_fixed": "人工锁定等级|锁定等级",
        "grade_note": "锁定等级的原因",
        "industry": "行业|所属行业|行业类别|industry",
        "source": "来源|客户来源|渠道|source|lead source",
        "phone": (
            "电话|联系电话|联络电话|电话号码|手机|手机号|手机号码|移动电话|行动电话|座机|固话|"
            "办公电话|公司电话|联系方式|phone|mobile|tel|telephone|cell|phone number"
        ),
        "phone2": "备用电话|其他电话|其它电话|第二电话|other phone",
        "website": "网址|网站|主页|官网|公司网址|website|web|url|homepage",
        "address": "地址|联系地址|公司地址|详细地址|通讯地址|办公地址|注册地址|address",
        "next_followup_at": "下次跟进|下次跟进时间|下次联系时间|next follow up",
        "external_ref": "客户编号|客户编码|客户代码",
        "identifiers": "证件号|证件号码|证件|证照号码|id number|id numbers",
        "identifiers:id_card": (
            "身份证|身份证号|身份证号码|身份证件号|身分证|身分证号|身分证字号|id card|"
            "id card number"
        ),
        "identifiers:tax_number": (
            "统一社会信用代码|社会信用代码|信用代码|税号|纳税人识别号|营业执照号|营业执照号码|"
            "统一编号|统编|tax number|tax id"
        ),
        "identifiers:licence_plate": (
            "车牌|车牌号|车牌号码|号牌|号牌号码|licence plate|license plate"
        ),
        "identifiers:policy_number": "保单号|保单号码|保单编号|policy number",
        "identifiers:member_number": (
            "会员号|会员卡号|会员编号|卡号|member number|membership number"
        ),
        "contact:name": (
            "联系人|联系人姓名|联系人名称|联络人|对接人|contact|contact name|contact person"
        ),
        "contact:title": "联系人职位|联系人职务|职位|职务|job title|title|position",
        "contact:mobile": "联系人手机|联系人手机号|联系人手机号码|contact mobile",
        "contact:phone": "联系人电话|联系人座机|contact phone",
        "contact:email": "联系人邮箱|联系人电子邮件|联系人电子邮箱|contact email",
    },
    "contacts": {
        "name": ("姓名|联系人|联系人姓名|联络人|名字|名称|name|contact|contact name|full name"),
        "title": "职位|职务|职称|头衔|岗位|job title|title|position",
        "mobile": ("手机|手机号|手机号码|移动电话|行动电话|mobile|cell|cellphone|mobile phone"),
        "phone": (
            "电话|座机|固话|办公电话|工作电话|联系电话|联络电话|电话号码|phone|tel|telephone|"
            "work phone|office phone"
        ),
        "messaging_id": (
            "微信号 / 聊天账号|微信|微信号|qq|qq号|qq号码|wechat|weixin|wechat id|聊天账号|im"
        ),
        "address": "地址|联系地址|公司地址|详细地址|通讯地址|address",
    },
    "products": {
        "code": "编码|产品编码|编号|产品编号|货号|物料编码|商品编码|sku|product code",
        "name": "产品名称|名称|品名|产品|商品名称|商品|product|product name",
        "unit": "单位|计量单位|unit",
        "list_price": "单价|价格|标准价|售价|零售价|定价|price|list price|unit price",
        "active": "启用|是否启用|有效|在售|active",
    },
    "opportunities": {
        "title": "商机名称|商机|标题|名称|项目名称|机会名称|opportunity",
        "stage": "阶段|销售阶段|stage",
        "amount": "商机金额|预计金额|预计成交金额",
        "expected_close": "预计成交日期|预计成交时间|预计签约日期|expected close date",
        "probability": "成交概率|赢率|概率|probability",
        "close_reason": "赢单输单原因|输赢原因|原因",
    },
    "tasks": {
        "title": "任务|任务名称|标题|主题|事项|task|subject",
        "due_at": "截止时间|截止日期|到期时间|期限|due|due date|deadline",
        "priority": "优先级|重要程度|priority",
        "assignee": "执行人|负责人|指派给|assigned to|assignee",
        "done": "已完成|完成|是否完成|done|completed",
        "remind_at": "提醒时间|提醒|reminder",
    },
    "followups": {
        "kind": "跟进方式|跟进类型|方式|类型|type",
        "happened_at": "跟进时间|跟进日期|沟通时间|时间|日期|date|when",
        "text": "沟通内容|跟进内容|内容|记录|详情|text|content",
        "promise": "承诺事项|承诺|promise",
        "next_step": "下一步|下一步计划|后续计划|next step",
        "next_step_at": "下一步日期|下次跟进时间|下次跟进|next step date",
    },
    "contracts": {
        "number": "合同号|合同编号|合同号码|编号|contract number",
        "kind": "合同类型|类型|type",
        "start_on": "开始日期|生效日期|起始日期|start date|start",
        "end_on": "到期日期|结束日期|终止日期|end date|end",
        "amount": "合同金额",
        "status": "合同状态|状态|status",
        "renewal_status": "续约状态",
        "renewal_note": "续约备注",
        "renewed_from": "续签的原合同|原合同|原合同号",
    },
    "contract_instalments": {
        "due_on": "到期日|应收日期|计划回款日期|日期|due date",
        "amount": "应收金额|计划金额|计划回款金额",
        "note": "备注|说明|remark|remarks|note|notes",
    },
    "payments": {
        "paid_on": "回款日期|收款日期|付款日期|到账日期|日期|date",
        "amount": "回款金额|收款金额|实收金额",
        "method": "付款方式|收款方式|支付方式|method|payment method",
        "reference": "凭证号|流水号|交易号|单号|reference",
    },
}

# Where a second column of the same kind goes once the first has taken its target: a
# customer's second phone column is its other phone; a contact's second landline its mobile.
OVERFLOW: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {"phone": ("phone2",)},
    "contacts": {"phone": ("mobile",), "mobile": ("phone",)},
}

# Markers of a header that are no part of its name: （必填）, (选填), [元]: money is in yuan anyway.
_MARKER = re.compile(
    r"[(\[【]\s*(必填|选填|可选|非必填|必须|required|optional|元|人民币|rmb|cny|¥)\s*[)\]】]$"
)
_TRAILING_NUMBER = re.compile(r"\d+$")
# Traditional characters of header words, as simplified ones: a Big5 file from Taiwan or Hong
# Kong heads its columns 客戶名稱 and 聯絡電話, which are then the words listed here.
_TRADITIONAL = str.maketrans(
    "業產價優會冊準憑劃別辦務動單號後員啟啓備頭實屬崗應開歸錄態總戶戸執時機來標溝註狀"
    "電碼稱稅簽簡類係繫約級納細終經結給統續編網職聯營銜計訊記證識話詳說説諾負財責賬帳"
    "貨贏車輸進郵銷鎖間階頁項預題額個絡門際為與點處區縣鎮幣庫貿專長發達傳選擇況這對過"
    "還當寫醫險齡齣據議積籤覽歷驗報廠",
    "业产价优会册准凭划别办务动单号后员启启备头实属岗应开归录态总户户执时机来标沟注状"
    "电码称税签简类系系约级纳细终经结给统续编网职联营衔计讯记证识话详说说诺负财责账账"
    "货赢车输进邮销锁间阶页项预题额个络门际为与点处区县镇币库贸专长发达传选择况这对过"
    "还当写医险龄出据议积签览历验报厂",
)


@dataclass(frozen=True)
class ColumnMapping:
    """The mapping a file gets when nobody chooses one, and where it comes from: the export's
    own names ("exact"), a mapping confirmed for this header before ("remembered"), or a
    guess from the header's words ("guessed"; a None there is a column nothing matched)."""

    columns: dict[int, str | None]
    origin: Literal["exact", "remembered", "guessed"]


def normalized_header(text: str) -> str:
    """A header as it is matched: NFKC (full-width to half-width), case-folded, traditional
    characters as simplified, markers such as "*", a trailing colon or （必填） taken off, then
    only letters and digits kept."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRADITIONAL).strip()
    previous = None
    while text != previous:
        previous = text
        text = _MARKER.sub("", text.strip("*:： \t")).strip()
    return "".join(char for char in text if char.isalnum())


def mapping_targets(entity: str) -> list[str]:
    """What a file column of `entity` can be read as, in the export's column order."""
    names = [column.name for column in transfer_columns(entity).columns]
    if entity == "customers":
        names += [IDENTIFIER_PREFIX + kind.value for kind in IdentifierKind]
        names += [CONTACT_PREFIX + name for name in CONTACT_FIELDS]
    if entity == "contacts":
        names.append(CUSTOMER_ADDRESS)
    return names


@cache
def _words(entity: str) -> dict[str, str]:
    """Normalised header words → target, for one entity: its targets' own names, its words,
    the common words, then its fields' English labels. Labels as translated at run time are
    left out: the Chinese ones are words already, and the result must not depend on which
    translation happens to be loaded when it is first asked for."""
    targets = set(mapping_targets(entity))
    words: dict[str, str] = {}

    def add(word: str, target: str) -> None:
        key = normalized_header(word)
        if key and target in targets:
            words.setdefault(key, target)

    for target in mapping_targets(entity):
        add(target, target)  # the export's own name, however spaced or cased
    for table in (ENTITY_WORDS.get(entity, {}), COMMON_WORDS):
        for target, listed in table.items():
            for word in listed.split("|"):
                add(word, target)
    for label, target in _label_targets(entity):
        add(label, target)
    return words


def _label_targets(entity: str) -> list[tuple[str, str]]:
    """(field label, target) for the fields a label names well: a reference to a customer,
    contract or user reads as its readable column (a name, a number, a login). A reference
    to anything else is left out: its column holds an id, which no list a person keeps has."""
    by_field = {column.field: column.name for column in transfer_columns(entity).columns}
    pairs = []
    for field in FIELDS[entity]:
        if field.kind is Kind.REF and field.ref == "customers":
            pairs.append((field.label, CUSTOMER_NAME))
        elif field.kind is Kind.REF and field.ref == "contracts":
            pairs.append((field.label, field.name.removesuffix("_id")))
        elif field.kind is not Kind.REF or field.ref == "users":
            pairs.append((field.label, by_field[field.name]))
    return pairs


def recognised(entity: str, name: str) -> str | None:
    """The target a header word names for `entity`, whatever other columns there are."""
    key = normalized_header(name)
    words = _words(entity)
    target = words.get(key)
    if target is None and _TRAILING_NUMBER.search(key):
        # 电话1, 电话2, "Phone 2": a numbered column of a kind (phone2 itself matched above).
        target = words.get(_TRAILING_NUMBER.sub("", key))
    return target


@cache
def _all_words() -> frozenset[str]:
    return frozenset(word for entity in TRANSFER_ENTITIES for word in _words(entity))


def recognised_count(header: Sequence[str]) -> int:
    """How many of a header's names some entity's file would have: how much a decoding of a
    file reads like one of this program's (see reading.encoding_of)."""
    words = _all_words()
    return sum(1 for name in header if normalized_header(name) in words)


def guess_mapping(
    entity: str, header: Sequence[str], rows: Sequence[Sequence[str]] | None = None
) -> dict[int, str | None]:
    """`{column index: target or None}` for every column of `header`.

    Export names go first, then words (客户名称 → name), then numbered words (电话2). Each target
    is taken once: a second column of a kind goes to its OVERFLOW target when that is free
    (a customer's second phone to phone2), and is None otherwise, like a column nothing
    matched. A column headed "ID" or "Id" is read as the record id only when `rows` (the
    file's cells) show it holds this program's ids: see `reads_as_record_id`."""
    targets = set(mapping_targets(entity))
    mapping: dict[int, str | None] = dict.fromkeys(range(len(header)))
    taken: set[str] = set()
    exact = {normalized_header(target): target for target in targets}
    overflow = OVERFLOW.get(entity, {})

    def fits(at: int, target: str) -> bool:
        return target != RECORD_ID or reads_as_record_id(header, at, rows)

    for at, name in enumerate(header):
        target = exact.get(normalized_header(name))
        if target is not None and target not in taken and fits(at, target):
            mapping[at] = target
            taken.add(target)
    for at, name in enumerate(header):
        if mapping[at] is not None:
            continue
        wanted = recognised(entity, name)
        if wanted is None:
            continue
        for target in (
            wanted,
            *_contact_side(entity, mapping, at, name),
            *overflow.get(wanted, ()),
        ):
            if target not in taken and fits(at, target):
                mapping[at] = target
                taken.add(target)
                break
    return mapping


def _contact_side(
    entity: str, mapping: dict[int, str | None], at: int, name: str
) -> tuple[str, ...]:
    """The contact person's field a column right of his name may be (手机 after 联系人 is his
    mobile), when the record's own is taken: tried before a second phone of the customer."""
    if CONTACT_NAME not in (mapping[before] for before in range(at)):
        return ()
    own = recognised("contacts", name)
    target = f"{CONTACT_PREFIX}{own}" if own else None
    return (target,) if target in mapping_targets(entity) else ()


def reads_as_record_id(
    header: Sequence[str], at: int, rows: Sequence[Sequence[str]] | None
) -> bool:
    """Whether column `at` is the record id: headed with the export's own `id`, or headed
    otherwise ("ID", "Id") and holding only this program's ids. An old system's ID column
    holds its own row numbers (1, 2, 3...): read as ids they would name records that are not
    here, or, worse, the wrong ones. Without the cells (`rows` None) only `id` is."""
    if header[at] == RECORD_ID:
        return True
    if rows is None:
        return False
    values = (cells[at].strip() for cells in rows if at < len(cells))
    return all(_RECORD_ID.fullmatch(value) for value in values if value)


# Headings of the column of row numbers an old system's list starts with (as matched:
# normalized_header; "#" normalizes to nothing and is told by its own text).
ROW_NUMBER_HEADINGS = frozenset({"序号", "行号", "序", "no"})


def row_number_column(header: Sequence[str], at: int, rows: Sequence[Sequence[str]]) -> bool:
    """Whether column `at` holds a list's row numbers: headed so (序号, No., #) and holding
    whole numbers only. Nothing of a record: an import leaves it out."""
    heading = header[at]
    if heading.strip() != "#" and normalized_header(heading) not in ROW_NUMBER_HEADINGS:
        return False
    return all(
        cells[at].strip().isdigit() for cells in rows if at < len(cells) and cells[at].strip()
    )


def foreign_id_column(entity: str, header: Sequence[str], at: int) -> bool:
    """Whether column `at` is headed as an id ("ID", "Id") other than the export's own `id`:
    one `guess_mapping` leaves out when it holds anything but this program's ids."""
    return header[at] != RECORD_ID and recognised(entity, header[at]) == RECORD_ID


def exact_mapping(entity: str, header: Sequence[str]) -> dict[int, str | None] | None:
    """The mapping of a header made only of distinct export names (a file this program
    exported), or None."""
    targets = set(mapping_targets(entity))
    if len(set(header)) != len(header) or not all(name in targets for name in header):
        return None
    return dict(enumerate(header))


def mapping_key(header: Sequence[str]) -> str:
    """A stable signature of a header (16 hex digits): equal for headers that differ only in
    what matching ignores (case, spaces, punctuation, markers), so an old system's export
    is the same header every month."""
    joined = "\x1f".join(normalized_header(name) for name in header)
    return hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()


def _setting_key(entity: str, header: Sequence[str]) -> str:
    # local_settings.key is 64 characters: 15 + at most 20 (contract_instalments) + 1 + 16.
    return f"{MAPPING_KEY_PREFIX}{entity}_{mapping_key(header)}"


def remembered_mapping(
    session: Session, entity: str, header: Sequence[str]
) -> dict[int, str | None] | None:
    """The mapping confirmed for this header of `entity`, or None. One that no longer fits
    (a column renamed by a later version) is forgotten rather than half applied."""
    stored = session.get(LocalSetting, _setting_key(entity, header))
    if stored is None:
        return None
    try:
        columns = json.loads(stored.value)["columns"]
    except (ValueError, KeyError, TypeError):
        return None
    targets = set(mapping_targets(entity))
    if (
        not isinstance(columns, list)
        or len(columns) != len(header)
        or not all(target is None or target in targets for target in columns)
    ):
        return None
    return dict(enumerate(columns))


def remember_mapping(
    session: Session, entity: str, header: Sequence[str], mapping: Mapping[int, str | None]
) -> None:
    """Keep `mapping` (columns it leaves out are ignored) as the one for this header of
    `entity`; written when the caller's session commits (a Store.write() block)."""
    targets = set(mapping_targets(entity))
    columns = [mapping.get(at) for at in range(len(header))]
    if not all(target is None or target in targets for target in columns):
        raise ValueError(f"not a target of {entity}: {columns}")
    value = json.dumps({"header": list(header), "columns": columns}, ensure_ascii=False)
    session.merge(LocalSetting(key=_setting_key(entity, header), value=value))


def default_mapping(
    session: Session,
    entity: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]] | None = None,
) -> ColumnMapping:
    """The mapping an import uses unless told otherwise: the export's names when the header is
    only those, else the one confirmed for this header, else a guess (from the file's cells
    too, `rows`, when given: see guess_mapping)."""
    exact = exact_mapping(entity, header)
    if exact is not None:
        return ColumnMapping(exact, "exact")
    remembered = remembered_mapping(session, entity, header)
    if remembered is not None:
        return ColumnMapping(remembered, "remembered")
    return ColumnMapping(guess_mapping(entity, header, rows), "guessed")
