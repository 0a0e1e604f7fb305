"""A small known store for the reports, made through the real write path (the `known` fixture
in conftest.py), and a PDF's text as a text extractor reads it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import User
from crm_desktop.profile import Profile

TODAY = date(2031, 6, 15)  # the day money is counted by
RAE = "00000000-0000-4000-8000-0000000000aa"
FOLLOWUPS = 12  # on 华强, all logged by the profile's user in the last three days


@dataclass(frozen=True)
class Known:
    me: str
    huaqiang: str  # 深圳市华强电子有限公司, the profile user's
    boe: str  # 北京京东方科技集团股份有限公司, Rae's (李丽)
    erp: str  # 华强's proposal with two product lines
    upkeep: str  # 华强's lead without lines
    screens: str  # 京东方's negotiation, Rae's
    won: str  # 京东方's won deal: in no pipeline
    c1: str
    c2: str
    now: datetime  # when the store was made (naive UTC): the follow-ups are before it


def make(profile: Profile, entity: str, **values: object) -> str:
    changes = profile.writer().create(entity, dict(values))
    assert changes.primary_id is not None
    return changes.primary_id


def build_known(profile: Profile) -> Known:
    """Worked out by hand (money as of TODAY, 15 June 2031):

    - 华强: contract C-1, ¥12,000.00 from 1 Jan to 31 Dec 2031, four instalments of ¥3,000.00
      (1 Jan, Apr, Jul, Oct), paid ¥3,000.00 + ¥1,500.00: outstanding 7,500.00, overdue
      1,500.00 (since 1 April). Open: ERP upgrade (proposal, 50%, closes 15 July) of 3 ×
      1,200.00 + 1.5 × 2,000.00 less 10% = 3,600.00 + 2,700.00 = 6,300.00, weighted 3,150.00;
      upkeep (lead, 10%, 20 August) 1,000.00, weighted 100.00.
    - 京东方 (Rae's): contract C-2, ¥800.00, no plan, started 10 May, ends 10 July, unpaid:
      outstanding and overdue 800.00 (since 10 May). Open: screens (negotiation, 80%, 1 July)
      50,000.00, weighted 40,000.00. Won: 9,999.00 (no pipeline).
    - Pipeline: 3 open, 57,300.00, weighted 43,250.00.
    """
    me = profile.user_id
    profile.writer().update("users", me, {"name": "王经理"})
    with profile.store.write() as session:
        session.add(User(id=RAE, login="lili", name="李丽", role="rep"))
    huaqiang = make(
        profile,
        "customers",
        name="深圳市华强电子有限公司",
        industry="电子",
        address="深圳市福田区华强北路1号",
        identifiers=[("tax_number", "91440300MA5FTEST01")],
    )
    boe = make(profile, "customers", name="北京京东方科技集团股份有限公司", owner_id=RAE)
    zhang = make(
        profile,
        "contacts",
        customer_id=huaqiang,
        name="张伟",
        title="采购经理",
        mobile="13800138000",
    )
    make(profile, "contacts", customer_id=huaqiang, name="王芳", email="wangfang@example.com")
    seats = make(
        profile, "products", code="SEAT-Y", name="用户许可（年）", list_price_cents=120_000
    )
    service = make(profile, "products", code="IMPL", name="实施服务", list_price_cents=200_000)
    erp = make(
        profile,
        "opportunities",
        customer_id=huaqiang,
        contact_id=zhang,
        title="华强电子ERP升级",
        stage="proposal",
        probability=50,
        expected_close=date(2031, 7, 15),
    )
    make(
        profile,
        "opportunity_lines",
        opportunity_id=erp,
        product_id=seats,
        quantity=3,
        unit_price_cents=120_000,
    )
    make(
        profile,
        "opportunity_lines",
        opportunity_id=erp,
        product_id=service,
        quantity=1.5,
        unit_price_cents=200_000,
        discount_percent=10,
    )
    upkeep = make(
        profile,
        "opportunities",
        customer_id=huaqiang,
        title="华强电子年度维保",
        stage="lead",
        amount_cents=100_000,
        probability=10,
        expected_close=date(2031, 8, 20),
    )
    screens = make(
        profile,
        "opportunities",
        customer_id=boe,
        title="京东方显示屏采购",
        stage="negotiation",
        amount_cents=5_000_000,
        probability=80,
        expected_close=date(2031, 7, 1),
        owner_id=RAE,
    )
    won = make(
        profile,
        "opportunities",
        customer_id=boe,
        title="京东方旧单",
        stage="won",
        amount_cents=999_900,
        probability=100,
        expected_close=date(2031, 5, 1),
        owner_id=RAE,
    )
    c1 = make(
        profile,
        "contracts",
        number="C-1",
        customer_id=huaqiang,
        kind="service",
        start_on=date(2031, 1, 1),
        end_on=date(2031, 12, 31),
        amount_cents=1_200_000,
        status="active",
        renewal_note="Agreed to renew by phone",
    )
    for month in (1, 4, 7, 10):
        make(
            profile,
            "contract_instalments",
            contract_id=c1,
            due_on=date(2031, month, 1),
            amount_cents=300_000,
        )
    for paid_on, cents in ((date(2031, 1, 3), 300_000), (date(2031, 4, 20), 150_000)):
        make(
            profile,
            "payments",
            customer_id=huaqiang,
            contract_id=c1,
            paid_on=paid_on,
            amount_cents=cents,
        )
    c2 = make(
        profile,
        "contracts",
        number="C-2",
        customer_id=boe,
        kind="sale",
        start_on=date(2031, 5, 10),
        end_on=date(2031, 7, 10),
        amount_cents=80_000,
        status="active",
        owner_id=RAE,
    )
    now = utcnow()
    for k in range(1, FOLLOWUPS + 1):  # k = 1 is the latest
        make(
            profile,
            "followups",
            customer_id=huaqiang,
            kind="call",
            happened_at=now - timedelta(hours=5 * k),
            text=f"第{k:02d}次电话：讨论ERP升级方案",
        )
    task = make(profile, "tasks", title="寄送报价单", customer_id=huaqiang, assignee_id=me)
    profile.writer().update("tasks", task, {"done": True})  # done now: counted as of now
    return Known(me, huaqiang, boe, erp, upkeep, screens, won, c1, c2, now)


def pdf_pages(pdf: bytes | Path) -> list[str]:
    """Each page's text as pypdf extracts it."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    return [page.extract_text() for page in PdfReader(source).pages]


def pdf_lines(pdf: bytes | Path) -> list[str]:
    return [line.strip() for page in pdf_pages(pdf) for line in page.splitlines()]


def squashed(lines: list[str]) -> str:
    """The text without spaces or line breaks: a row reads the same however its cells wrap."""
    return "".join("".join(lines).split())
