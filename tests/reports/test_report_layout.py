"""How reports sit on the page: a long table breaks across pages with its header on each, pages
are numbered "n / N", long names wrap inside their column and no text runs past another or off
the page."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from crm_desktop.profile import Profile
from crm_desktop.reports import ReportOptions, build_report
from crm_desktop.reports.document import (
    MARGIN,
    MAX_CELL_LINES,
    PAGE_SIZE,
    footer_line,
    wrap_text,
)
from crm_desktop.reports.fonts import register_font
from tests.reports.known_store import make, pdf_pages, squashed

LINES = 2000
HEADER = "CustomerTitleStageAmountProb.WeightedExpectedcloseOwner"  # spaces left out


def pipeline_pdf(profile: Profile, **options: object) -> bytes:
    out = io.BytesIO()
    with profile.store.read() as session:
        chosen = ReportOptions(today=date(2031, 1, 10), printed_by="王经理", **options)
        build_report("pipeline", session, chosen, out)
    return out.getvalue()


def test_a_2000_line_pipeline_breaks_across_pages_with_its_header_on_each(
    profile: Profile,
) -> None:
    customer = make(profile, "customers", name="广州天河科技")
    # One transaction of the real writer: 2,000 opportunities of ¥1.00, ¥2.00 … ¥2,000.00 at
    # 50%, closing one a day from 2031-01-01.
    with profile.writer().transaction() as unit:
        for n in range(1, LINES + 1):
            unit.create(
                "opportunities",
                {
                    "customer_id": customer,
                    "title": f"机会 {n:04d}",
                    "stage": "qualified",
                    "amount_cents": 100 * n,
                    "probability": 50,
                    "expected_close": date(2031, 1, 1) + timedelta(days=n - 1),
                },
            )
    pages = pdf_pages(pipeline_pdf(profile))
    assert len(pages) >= 20
    # The lines table starts on the first page and runs to the last: its header on each.
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines()]
        assert HEADER in squashed(lines), f"page {number}"  # however its labels wrap
        assert lines[-1] == f"{number} / {len(pages)}"
    lines = [line.strip() for line in "\n".join(pages).splitlines()]
    assert squashed(lines).count(HEADER) == len(pages)
    # Each line once, in order: 1 + 2 + … + 2000 = 2,001,000.00, half of it weighted.
    shown = [line for line in lines if line.startswith("广州天河科技 ")]
    assert len(shown) == LINES
    assert shown[0].split()[1:3] == ["机会", "0001"] and shown[-1].split()[2] == "2000"
    assert "Qualified 2000 2,001,000.00 1,000,500.00" in lines
    assert f"Total ({LINES}) 2,001,000.00 1,000,500.00" in lines
    assert "Total (2000) 2,001,000.00 1,000,500.00" in pages[-1]


def test_long_names_wrap_inside_their_column(profile: Profile) -> None:
    long_name = "深圳前海微众银行股份有限公司" * 8 + " International Holdings Limited"
    long_title = "Enterprise resource planning upgrade for all forty-two branch offices 二期"
    customer = make(profile, "customers", name=long_name)
    make(
        profile,
        "opportunities",
        customer_id=customer,
        title=long_title,
        stage="proposal",
        amount_cents=123_456_789,
        probability=35,
        expected_close=date(2031, 2, 3),
    )
    pdf = pipeline_pdf(profile)
    text = squashed(pdf_pages(pdf))
    assert "".join(long_name.split()) in text and "".join(long_title.split()) in text
    chunks = text_chunks(pdf)
    # The name takes several lines of its column, each starting at the column's left edge.
    name = "".join(long_name.split())
    name_lines = [c for c in chunks if len(c[2]) > 3 and "".join(c[2].split()) in name]
    assert len({round(y) for _x, y, _t, _w in name_lines}) >= 5
    assert len({round(x) for x, _y, _t, _w in name_lines}) == 1
    # Nothing runs into the next cell of its line, nor past the right margin.
    right = PAGE_SIZE[0] - MARGIN
    by_line: dict[int, list[tuple[float, float, str, float]]] = {}
    for chunk in chunks:
        by_line.setdefault(round(chunk[1]), []).append(chunk)
    for line in by_line.values():
        line.sort()
        for (x, _y, shown, width), following in zip(line, [*line[1:], None], strict=True):
            end = x + width
            assert end <= right + 0.5, shown
            if following is not None:
                assert end <= following[0], (shown, following[2])


def text_chunks(pdf: bytes) -> list[tuple[float, float, str, float]]:
    """(x, y, text, width) of every text shown, on the first page, by pypdf's reading."""
    metrics = register_font()
    found: dict[tuple[float, float], list] = {}

    def visit(text: str, cm: list, tm: list, _font: object, size: float) -> None:
        if text.strip():
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            # Runs in two font subsets are two calls at one origin: one text.
            entry = found.setdefault((round(x, 2), round(y, 2)), [x, y, "", size])
            entry[2] += text.strip("\n")

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return [
        (x, y, text.strip(), metrics.width(text.strip(), size))
        for x, y, text, size in found.values()
    ]


def test_lines_break_between_words_and_between_chinese_characters() -> None:
    metrics = register_font()

    def wrapped(text: str, width: float) -> list[str]:
        lines = wrap_text(text, width, metrics, 8)
        assert all(metrics.width(line, 8) <= width for line in lines), lines
        return lines

    chinese = wrapped("深圳市华强电子有限公司，采购部。", 40)  # five characters a line
    assert "".join(chinese) == "深圳市华强电子有限公司，采购部。"
    assert not any(line.startswith(("，", "。")) for line in chinese)
    latin = wrapped("long title with some English words", 60)
    assert " ".join(latin) == "long title with some English words"
    assert all(word.isalpha() for line in latin for word in line.split())
    number = wrapped("HT-20260202-00000081", 40)  # one word wider than the line: cut in it
    assert len(number) > 1 and "".join(number) == "HT-20260202-00000081"
    assert wrapped("first\nsecond", 200) == ["first", "second"]
    many = wrap_text("\n".join(["x"] * (MAX_CELL_LINES * 2)), 200, metrics, 8)
    assert len(many) == MAX_CELL_LINES and many[-1] == "x…"
    # A row fits on a page: a very long text is cut, saying so, and still within its width.
    cut = wrapped("深" * 1000, 40)
    assert len(cut) == MAX_CELL_LINES and cut[-1].endswith("…") and cut[0] == "深深深深深"


def test_large_amounts_stay_on_one_line(profile: Profile) -> None:
    """The renewal list's Amount column, a tenth of the page, would break ¥1,234,567,890.12
    into "1,234,567,890.1" and "2": a number's column widens to hold its widest figure."""
    today = date(2031, 1, 10)
    amounts = (123_456_789, 123_456_789_012, 1_000)
    for number, cents in enumerate(amounts):
        customer = make(profile, "customers", name=f"客户{number}")
        make(profile, "contracts", number=f"R-{number}", customer_id=customer, kind="sale",
             amount_cents=cents, status="active", start_on=today - timedelta(days=40),
             end_on=today + timedelta(days=5 + number))  # fmt: skip
    out = io.BytesIO()
    with profile.store.read() as session:
        options = ReportOptions(today=today, printed_by="王经理")
        build_report("renewals", session, options, out)
    lines = [line.strip() for line in "\n".join(pdf_pages(out.getvalue())).splitlines()]
    # Each row on one line: the room came from the customer's column, not from the dates'
    # or the renewal's, which stay whole too.
    assert "2031-01-16 R-1 客户1 Sale 1,234,567,890.12 Undecided root" in lines
    assert "2031-01-15 R-0 客户0 Sale 1,234,567.89 Undecided root" in lines
    assert "Total (3) 1,235,802,468.01" in lines


def test_a_long_title_is_cut_short_in_the_footer_before_the_page_number(
    profile: Profile,
) -> None:
    """A customer's page is titled with its name; the footer repeats the title and ran over
    "1 / 1" for a long one."""
    long_name = "深圳市南山区前海深港合作区" * 5 + "华南大区营销服务中心"
    customer = make(profile, "customers", name=long_name)
    out = io.BytesIO()
    with profile.store.read() as session:
        chosen = ReportOptions(today=date(2031, 1, 10), printed_by="王经理", customer_id=customer)
        build_report("customer", session, chosen, out)
    chunks = text_chunks(out.getvalue())
    lowest = min(y for _x, y, _t, _w in chunks)
    footer = sorted(chunk for chunk in chunks if abs(chunk[1] - lowest) < 1)
    (x, _y, line, width), (number_x, _, number, _) = footer
    assert number == "1 / 1"
    assert x + width < number_x  # the footer ends before the page number starts
    assert line.startswith(long_name[:10]) and "…" in line
    assert line.endswith("王经理")  # who printed it and when are kept whole


def test_a_footer_that_fits_is_left_whole() -> None:
    def width_of(text: str) -> float:
        return float(len(text))

    assert footer_line("Acme", "Printed on 2031-01-10", 100, width_of) == (
        "Acme · Printed on 2031-01-10"
    )
    assert footer_line("Acme Holdings", "Printed", 17, width_of) == "Acme H… · Printed"
    assert footer_line("Acme Holdings", "Printed", 16, width_of) == "Acme… · Printed"
