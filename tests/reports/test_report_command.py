"""`crm-desktop report KIND … --out FILE.pdf` end to end, in English and Chinese, and its
sentences for what it cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from crm_desktop.cli import main
from crm_desktop.profile import LANGUAGE_KEY, Profile
from crm_desktop.reports import KINDS
from tests.reports.known_store import FOLLOWUPS, Known, pdf_lines, squashed


@pytest.fixture
def report(
    profile: Profile, qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Run the command on the test's profile: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["report", *args, "--profile", str(profile.directory)])
        printed = capsys.readouterr()
        return code, printed.out, printed.err

    return run


def test_every_kind_from_the_command_line(report, known: Known, tmp_path: Path) -> None:
    needs = {"customer": ["--customer", known.huaqiang], "quote": ["--opportunity", known.erp]}
    period = ["--from", "2031-06-01", "--to", "2031-12-31"]
    expected = {
        # Its payments are dated 2031: none received today, so all of it is outstanding.
        "customer": ["深圳市华强电子有限公司", "Outstanding 12,000.00", "Total (2) 7,300.00"],
        "quote": ["Quotation", "1 SEAT-Y · 用户许可（年） 3 1,200.00 3,600.00", "Total 6,300.00"],
        "pipeline": ["Total 3 57,300.00 43,250.00", "Total (3) 57,300.00 43,250.00"],
        # The last seven days, today included: the store's follow-ups, made just now.
        "activity": [f"王经理 {FOLLOWUPS} 2 1 4"],
        "renewals": ["Contracts ending from 2031-06-01 to 2031-12-31", "Total (2) 12,800.00"],
        # Money falls due in 2031: nothing is overdue today.
        "receivables": ["No customer has money overdue."],
    }
    for kind, spec in KINDS.items():
        out = tmp_path / f"{kind}.pdf"
        args = [kind, *needs.get(kind, []), *(period if kind != "activity" and spec.period else [])]
        code, printed, errors = report(*args, "--language", "en", "--out", str(out))
        assert (code, errors) == (0, ""), kind
        assert printed == f"{out}\n"
        lines = pdf_lines(out)
        for line in expected[kind]:
            assert line in lines, (kind, line)
        assert "Printed on" in lines[-2] and "by 王经理" in lines[-2]


def test_in_chinese_and_for_one_owner(report, known: Known, tmp_path: Path) -> None:
    out = tmp_path / "销售漏斗.pdf"
    code, _printed, errors = report(
        "pipeline", "--owner", "lili", "--language", "zh_CN", "--out", str(out)
    )
    assert (code, errors) == (0, "")
    text = squashed(pdf_lines(out))
    # The window's words: the stage and the field names in Chinese.
    assert "商务谈判" in text and "金额" in text
    assert "京东方显示屏采购" in text and "华强" not in text
    assert "50,000.00" in text and "40,000.00" in text
    # The application's language is as it was.
    assert QCoreApplication.translate("Choices", "Negotiation") == "Negotiation"


def test_the_language_chosen_in_the_window(
    report, profile: Profile, known: Known, tmp_path: Path
) -> None:
    profile.store.set_setting(LANGUAGE_KEY, "zh_CN")
    out = tmp_path / "应收.pdf"
    code, _printed, _errors = report("pipeline", "--out", str(out))
    assert code == 0
    assert "方案报价" in squashed(pdf_lines(out))  # the proposal stage, as the window names it
    profile.store.set_setting(LANGUAGE_KEY, "en")
    report("pipeline", "--out", str(out))
    assert "Proposal" in squashed(pdf_lines(out))


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["customer", "--customer", "nope"], "No customer with the id “nope” is on this device."),
        (
            ["quote", "--opportunity", "nope"],
            "No opportunity with the id “nope” is on this device.",
        ),
        (["customer"], "Say which customer: --customer ID."),
        (["quote"], "Say which opportunity to quote: --opportunity ID."),
        (["pipeline", "--customer", "x"], "--customer is for the customer report only."),
        (
            ["renewals", "--from", "2031-02-01", "--to", "2031-01-01"],
            "--to 2031-01-01 is before --from 2031-02-01.",
        ),
        (
            ["renewals", "--from", "31/12/2031"],
            "--from “31/12/2031” is not a date; write it as YYYY-MM-DD.",
        ),
        (
            ["receivables", "--to", "2031-01-01"],
            "The receivables report has no period: leave out --from and --to (they are for "
            "pipeline, activity and renewals).",
        ),
        (["pipeline", "--owner", "nobody"], "No user has the login “nobody” on this device."),
        (
            ["quote", "--opportunity", "x", "--owner", "lili"],
            "--owner is not for the quote report: it is about one record.",
        ),
    ],
)
def test_what_it_cannot_do_is_one_sentence(
    report, known: Known, tmp_path: Path, args: list[str], sentence: str
) -> None:
    out = tmp_path / "report.pdf"
    code, printed, errors = report(*args, "--out", str(out))
    assert (code, printed) == (1, "")
    assert errors == f"crm-desktop: {sentence}\n"
    assert not out.exists()


def test_a_file_it_cannot_write(report, known: Known, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "report.pdf"
    code, _printed, errors = report("receivables", "--out", str(missing))
    assert code == 1
    assert errors == (
        f"crm-desktop: Could not write {missing}: the folder {missing.parent} does not exist.\n"
    )
    code, _printed, errors = report("receivables", "--out", str(tmp_path))
    assert errors == f"crm-desktop: --out {tmp_path} is a folder; name the PDF file to write.\n"


def test_a_file_the_system_refuses(report, known: Known, tmp_path: Path) -> None:
    """A name longer than the file system allows: refused by the write itself (as root too, as
    CI runs), said in one sentence, nothing left behind."""
    out = tmp_path / ("报" * 100 + ".pdf")  # 300 bytes of UTF-8 and more: over NAME_MAX
    code, printed, errors = report("receivables", "--out", str(out))
    assert (code, printed) == (1, "")
    assert errors == f"crm-desktop: Could not write {out}: the name is too long.\n"
    assert [path.name for path in tmp_path.iterdir()] == ["profile"]  # the test's own
