"""Each kind of report built from the known store (tests/reports/known_store.py), its text read
back with pypdf: the Chinese names and the totals worked out by hand there."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_desktop.models.dates import local_date
from crm_desktop.profile import Profile
from crm_desktop.queries.company import Letterhead
from crm_desktop.reports import (
    KINDS,
    ReportError,
    ReportOptions,
    build_report,
    default_period,
    read_report,
    write_report,
)
from crm_desktop.reports.document import render
from crm_desktop.reports.quote import quote_report
from tests.reports.known_store import (
    FOLLOWUPS,
    RAE,
    TODAY,
    Known,
    pdf_lines,
    pdf_pages,
    squashed,
)


def build(profile: Profile, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    chosen = ReportOptions(**{"today": TODAY, "printed_by": "王经理", **options})
    with profile.store.read() as session:
        pages = build_report(kind, session, chosen, out)
    assert pages == len(PdfReader(io.BytesIO(out.getvalue())).pages)
    return out.getvalue()


def test_every_kind_builds_with_numbered_pages_and_who_printed_it(
    profile: Profile, known: Known
) -> None:
    needs = {"customer_id": known.huaqiang, "opportunity_id": known.erp}
    for kind, spec in KINDS.items():
        options = {spec.needs: needs[spec.needs]} if spec.needs else {}
        pages = pdf_pages(build(profile, kind, user_id=known.me, **options))
        for number, text in enumerate(pages, 1):
            assert f"{number} / {len(pages)}" in text, kind
            assert "Printed on 2031-06-15 by 王经理" in text, kind


def test_the_customer_profile(profile: Profile, known: Known) -> None:
    lines = pdf_lines(build(profile, "customer", customer_id=known.huaqiang))
    text = "\n".join(lines)
    assert lines[0] == "深圳市华强电子有限公司"
    assert "91440300MA5FTEST01" in text and "深圳市福田区华强北路1号" in text
    assert "张伟 采购经理 138 0013 8000" in lines  # the mobile as the window writes it
    assert "王芳 wangfang@example.com" in lines
    # Money as of 15 June 2031: 12,000.00 contracted, 4,500.00 paid, 7,500.00 outstanding of
    # which 1,500.00 overdue.
    for label, amount in (
        ("Contracted", "12,000.00"),
        ("Paid", "4,500.00"),
        ("Outstanding", "7,500.00"),
        ("Overdue", "1,500.00"),
    ):
        assert f"{label} {amount}" in lines
    # Its two open opportunities (not 京东方's): 6,300.00 + 1,000.00.
    assert any(line.startswith("华强电子ERP升级") and "6,300.00 50%" in line for line in lines)
    assert "Total (2) 7,300.00" in lines
    assert "京东方" not in text
    # The latest ten of twelve follow-ups, the latest first.
    assert text.index("第01次") < text.index("第10次")
    assert "第11次" not in text and "第12次" not in text
    assert f"The latest 10 of {FOLLOWUPS} follow-ups." in lines
    # C-1: outstanding and overdue; a total equal to the customer's.
    assert "C-1 Service 2031-01-01 2031-12-31 Active 12,000.00 7,500.00 1,500.00" in lines
    assert "Total (1) 7,500.00 1,500.00" in lines


def test_the_quote_with_its_letterhead_and_logo(profile: Profile, known: Known) -> None:
    company = Letterhead(
        name="星辰软件（深圳）有限公司",
        address="深圳市南山区科技园南区",
        phone="0755-2688 0000",
        email="sales@xingchen.example",
        website="www.xingchen.example",
        tax_id="91440300XC0000001",
        logo=png(40, 20),
    )
    with profile.store.read() as session:
        report = quote_report(session, ReportOptions(opportunity_id=known.erp), company)
    out = io.BytesIO()
    render(report, out, "王经理", TODAY)
    pdf = out.getvalue()
    lines = pdf_lines(pdf)
    text = "\n".join(lines)
    assert lines[0] == "星辰软件（深圳）有限公司"
    assert "Tax number: 91440300XC0000001" in lines
    assert "0755-2688 0000 · sales@xingchen.example · www.xingchen.example" in lines
    assert "To 深圳市华强电子有限公司" in lines
    assert "张伟 · 采购经理 · 138 0013 8000" in text
    # 3 × 1,200.00 = 3,600.00; 1.5 × 2,000.00 less 10% = 2,700.00; together 6,300.00.
    assert "1 SEAT-Y · 用户许可（年） 3 1,200.00 3,600.00" in lines
    assert "2 IMPL · 实施服务 1.5 2,000.00 10% 2,700.00" in lines
    assert "Total 6,300.00" in lines
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the logo


def test_a_quote_without_letterhead_or_with_a_broken_logo(profile: Profile, known: Known) -> None:
    plain = pdf_lines(build(profile, "quote", opportunity_id=known.upkeep))
    assert plain[0] == "Quotation"
    assert "No product lines: the amount quoted is 1,000.00." in plain
    broken = Letterhead("星辰软件", None, None, None, None, None, logo=b"\x89PNG not really")
    with profile.store.read() as session:
        report = quote_report(session, ReportOptions(opportunity_id=known.erp), broken)
    out = io.BytesIO()
    render(report, out, "", TODAY)
    assert pdf_lines(out.getvalue())[0] == "星辰软件"
    assert not PdfReader(io.BytesIO(out.getvalue())).pages[0].images


def test_the_pipeline_and_its_forecast(profile: Profile, known: Known) -> None:
    lines = pdf_lines(build(profile, "pipeline", start=date(2031, 6, 1), end=date(2031, 7, 31)))
    assert "Open opportunities on 2031-06-15; forecast from 2031-06-01 to 2031-07-31" in lines
    # By stage, every open stage, zeros included: the whole pipeline, whenever it closes.
    assert "Lead 1 1,000.00 100.00" in lines
    assert "Qualified 0 0.00 0.00" in lines
    assert "Proposal 1 6,300.00 3,150.00" in lines
    assert "Negotiation 1 50,000.00 40,000.00" in lines
    assert "Total 3 57,300.00 43,250.00" in lines
    # By month of expected close, in the period: July has the ERP upgrade and the screens;
    # the upkeep closes in August, after it.
    assert "2031-06 0 0.00 0.00" in lines
    assert "2031-07 2 56,300.00 43,150.00" in lines
    assert "Total 2 56,300.00 43,150.00" in lines
    assert not any(line.startswith("2031-08 ") for line in lines)
    # Every open one, soonest first, adding up to the stages' total.
    text = "\n".join(lines)
    assert (
        text.index("京东方显示屏采购")
        < text.index("华强电子ERP升级")
        < text.index("华强电子年度维保")
    )
    assert "京东方旧单" not in text
    assert "Total (3) 57,300.00 43,250.00" in lines
    # The customer's name wraps in its column: its lines follow each other.
    assert "北京京东方科技集团股份有限公司" in squashed(lines) and "李丽" in text


def test_the_pipeline_of_one_owner(profile: Profile, known: Known) -> None:
    lines = pdf_lines(build(profile, "pipeline", owner_ids=(RAE,)))
    text = "\n".join(lines)
    assert "京东方显示屏采购" in text and "华强" not in text
    assert "Total (1) 50,000.00 40,000.00" in lines
    # Said under the title: it is one person's, not the company's.
    assert any(line.endswith(" · Owner: 李丽") for line in lines[:4]), lines[:4]
    everyone = pdf_lines(build(profile, "pipeline"))
    assert not any("Owner:" in line for line in everyone[:4])
    # A manager's dashboard with nobody chosen passes his whole team: nothing to say.
    team = build(profile, "pipeline", owner_ids=(RAE, known.me), owners_chosen=False)
    assert not any("Owner:" in line for line in pdf_lines(team)[:4])
    two = pdf_lines(build(profile, "pipeline", owner_ids=(RAE, known.me)))
    assert "Owner: 李丽, 王经理" in squashed_subtitle(two)


def test_the_pipeline_of_one_industry_as_the_dashboard_filters_it(
    profile: Profile, known: Known
) -> None:
    """The dashboard's PDF is what its charts show: its industry (and grade) filter too."""
    lines = pdf_lines(build(profile, "pipeline", industry="电子"))
    text = "\n".join(lines)
    assert "华强电子ERP升级" in text and "京东方" not in text
    assert "Industry: 电子" in squashed_subtitle(lines)
    both = pdf_lines(build(profile, "pipeline", industry="电子", grade="A"))
    assert "Grade: A (top 5%) · Industry: 电子" in squashed_subtitle(both)


def test_the_team_activity(profile: Profile, known: Known) -> None:
    # The last four days, and tomorrow should midnight pass while the store is made.
    today = local_date(known.now)
    start, end = today - timedelta(days=4), today + timedelta(days=1)
    lines = pdf_lines(build(profile, "activity", user_id=known.me, start=start, end=end))
    text = "\n".join(lines)
    # 王经理 logged the twelve follow-ups, entered both customers, finished one task and
    # made the four opportunities.
    assert f"王经理 {FOLLOWUPS} 2 1 4" in lines
    # A profile never synced is its own user's, who leads everyone in it: 李丽 did nothing.
    assert "李丽 0 0 0 0" in lines
    assert f"Total (2) {FOLLOWUPS} 2 1 4" in lines
    assert "第01次电话：讨论ERP升级方案" in text
    assert "北京京东方科技集团股份有限公司" in text and "寄送报价单" in text
    # A period before any of it: nothing done.
    quiet = pdf_lines(
        build(profile, "activity", user_id=known.me, start=date(2030, 1, 1), end=date(2030, 1, 31))
    )
    assert "王经理 0 0 0 0" in quiet and "第01次" not in "\n".join(quiet)


def test_the_renewal_list(profile: Profile, known: Known) -> None:
    lines = pdf_lines(build(profile, "renewals", start=date(2031, 6, 1), end=date(2031, 12, 31)))
    text = "\n".join(lines)
    assert "Contracts ending from 2031-06-01 to 2031-12-31" in lines
    assert text.index("C-2") < text.index("C-1")  # 10 July before 31 December
    row = "2031-07-10 C-2 北京京东方科技集团股份有限公司 Sale 800.00 Undecided 李丽"
    assert "".join(row.split()) in squashed(lines)
    assert "Total (2) 12,800.00" in lines
    # The list's note, under the contract's renewal state, however its cell wraps.
    assert "UndecidedAgreedtorenewbyphone" in squashed(lines)
    only_july = pdf_lines(build(profile, "renewals", start=date(2031, 7, 1), end=date(2031, 7, 31)))
    assert "Total (1) 800.00" in only_july
    # The screen's kind and renewal-state filters carry into the PDF.
    sales = pdf_lines(
        build(
            profile,
            "renewals",
            start=date(2031, 6, 1),
            end=date(2031, 12, 31),
            contract_kind="sale",
        )
    )
    assert "Total (1) 800.00" in sales
    renewing = pdf_lines(
        build(
            profile,
            "renewals",
            start=date(2031, 6, 1),
            end=date(2031, 12, 31),
            renewal_status="renewing",
        )
    )
    assert "No contract ends in this period." in renewing
    assert not any("C-2" in line for line in renewing)


def test_the_receivables(profile: Profile, known: Known) -> None:
    lines = pdf_lines(build(profile, "receivables"))
    assert "Customers with money overdue on 2031-06-15" in lines
    # Most overdue first: 华强 1,500.00 (since 1 April), 京东方 800.00 (since 10 May).
    assert "深圳市华强电子有限公司 王经理 1,500.00 2031-04-01 7,500.00 1" in lines
    assert "北京京东方科技集团股份有限公司 李丽 800.00 2031-05-10 800.00 1" in lines
    assert "Total (2) 2,300.00 8,300.00 2" in lines
    mine = pdf_lines(build(profile, "receivables", owner_ids=(known.me,)))
    assert "Total (1) 1,500.00 7,500.00 1" in mine
    assert "Customers with money overdue on 2031-06-15 · Owner: 王经理" in mine


def test_read_with_the_session_then_written_without_it(profile: Profile, known: Known) -> None:
    options = ReportOptions(today=TODAY, start=date(2031, 6, 1), end=date(2031, 7, 31))
    with profile.store.read() as session:
        report = read_report("pipeline", session, options)
    profile.close()  # the layout and the PDF need no store
    out = io.BytesIO()
    assert write_report(report, options, out) == 1
    assert "Total (3) 57,300.00 43,250.00" in pdf_lines(out.getvalue())


def test_a_record_not_on_this_device_is_one_sentence(profile: Profile, known: Known) -> None:
    with pytest.raises(ReportError) as missing:
        build(profile, "customer", customer_id="nope")
    assert missing.value.text() == "No customer with the id “nope” is on this device."
    with pytest.raises(ReportError) as missing:
        build(profile, "quote", opportunity_id="nope")
    assert missing.value.text() == "No opportunity with the id “nope” is on this device."


def test_a_path_is_written_whole(profile: Profile, known: Known, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "应收.pdf"
    out.write_bytes(b"the old report")
    with profile.store.read() as session:
        build_report("receivables", session, ReportOptions(today=TODAY), out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["应收.pdf"]  # no part file left


def test_default_periods() -> None:
    today = date(2031, 6, 15)
    assert default_period("pipeline", today) == (date(2031, 6, 1), date(2031, 11, 30))
    assert default_period("pipeline", today, end=date(2031, 8, 31)) == (
        date(2031, 3, 1),
        date(2031, 8, 31),
    )
    # From a day: six months on, to the day before the same day; from the 31st (or a 29th
    # into February), to the last day of the sixth month.
    assert default_period("pipeline", today, start=date(2031, 6, 15)) == (
        date(2031, 6, 15),
        date(2031, 12, 14),
    )
    assert default_period("pipeline", today, start=date(2026, 10, 31)) == (
        date(2026, 10, 31),
        date(2027, 4, 30),
    )
    assert default_period("pipeline", today, start=date(2031, 8, 30)) == (
        date(2031, 8, 30),
        date(2032, 2, 29),
    )
    assert default_period("activity", today) == (date(2031, 6, 9), today)
    assert default_period("renewals", today) == (today, date(2031, 7, 15))
    assert default_period("renewals", today, start=date(2031, 1, 1)) == (
        date(2031, 1, 1),
        date(2031, 1, 31),
    )


def png(width: int, height: int) -> bytes:
    """A red-and-white striped PNG, written by hand (zlib and struct: no image library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + (b"\xc0\x10\x20" if y % 4 < 2 else b"\xff\xff\xff") * width for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def squashed_subtitle(lines: list[str]) -> str:
    """The lines under the title, as one (a long subtitle wraps)."""
    return " ".join(lines[1:4])
