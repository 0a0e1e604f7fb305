"""Values as an old system's sheet writes them: a coded value by its label, in Chinese or
English, whatever language the program runs in (企业, 转账, 谈判, "Bank transfer"), and a user by
the name people call him (张伟) as well as by his login."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import Customer, FollowUp, Opportunity, Payment
from crm_desktop.profile import Profile
from crm_desktop.transfer.choice_words import choice_code
from crm_desktop.transfer.importing import ImportFailed, import_file

PAYMENT_METHODS = ("transfer", "cash", "card", "wechat", "alipay", "cheque")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("choices", "cell", "code"),
    [
        (("company", "person"), "企业", "company"),
        (("company", "person"), " 个人 ", "person"),
        (("company", "person"), "COMPANY", "company"),
        (PAYMENT_METHODS, "银行转账", "transfer"),  # the window's own label
        (PAYMENT_METHODS, "转账", "transfer"),  # as sheets write it
        (PAYMENT_METHODS, "Bank transfer", "transfer"),
        (PAYMENT_METHODS, "微信", "wechat"),
        (("call", "visit", "email", "message", "note"), "微信", "message"),  # a follow-up's
        (("lead", "qualified", "proposal", "negotiation", "won", "lost"), "谈判", "negotiation"),
        (("A", "B", "C"), "a", "A"),
        (("A", "B", "C"), "Ａ", "A"),  # full-width
        (("company", "person"), "外星人", "外星人"),  # none: left for the writer to refuse
    ],
)
def test_a_label_names_its_code(choices: tuple[str, ...], cell: str, code: str) -> None:
    assert choice_code(choices, cell.strip()) == code


def test_a_chinese_sheet_s_coded_columns_import(profile: Profile, tmp_path: Path) -> None:
    writer = profile.writer()
    customers = _write(
        tmp_path,
        "客户.csv",
        "客户名称,客户类型,等级\n深圳华强电子有限公司,企业,a\n李娜,个人,C\n",
    )
    import_file(writer, "customers", customers, update=False)
    opportunities = _write(
        tmp_path, "商机.csv", "商机名称,客户,阶段\n年度采购,深圳华强电子有限公司,谈判\n"
    )
    import_file(writer, "opportunities", opportunities, update=False)
    followups = _write(
        tmp_path, "跟进.csv", "客户,跟进方式,沟通内容\n李娜,上门拜访,送样品\n李娜,微信,报价\n"
    )
    import_file(writer, "followups", followups, update=False)
    with profile.store.read() as session:
        kinds = dict(session.execute(select(Customer.name, Customer.kind)).all())
        grades = dict(session.execute(select(Customer.name, Customer.grade)).all())
        stage = session.scalar(select(Opportunity.stage))
        ways = dict(session.execute(select(FollowUp.text, FollowUp.kind)).all())
    assert kinds == {"深圳华强电子有限公司": "company", "李娜": "person"}
    assert grades == {"深圳华强电子有限公司": "A", "李娜": "C"}
    assert stage == "negotiation"
    assert ways == {"送样品": "visit", "报价": "message"}


def test_a_value_no_label_names_is_refused_listing_the_labels(
    profile: Profile, tmp_path: Path
) -> None:
    path = _write(tmp_path, "客户.csv", "客户名称,客户类型\n深圳华强电子有限公司,外星人\n")
    with pytest.raises(ImportFailed) as refused:
        import_file(profile.writer(), "customers", path, update=False)
    assert "Kind cannot be “外星人”; use one of: Company, Person." in str(refused.value)


def test_an_owner_named_as_people_call_him(profile: Profile, tmp_path: Path) -> None:
    writer = profile.writer()
    with writer.transaction() as unit:
        zhang = unit.create("users", {"login": "demo.zhangwei", "name": "张伟", "role": "rep"})
        unit.create("users", {"login": "wang1", "name": "王芳", "role": "rep"})
        unit.create("users", {"login": "wang2", "name": "王芳", "role": "rep"})
        unit.create("customers", {"name": "深圳华强电子有限公司"})
    payments = _write(
        tmp_path,
        "回款.csv",
        "客户,回款日期,回款金额,付款方式\n深圳华强电子有限公司,2026-11-02,5000,转账\n",
    )
    import_file(writer, "payments", payments, update=False)
    deals = _write(
        tmp_path, "商机.csv", "商机名称,客户,阶段,负责人\n年度采购,深圳华强电子有限公司,谈判,张伟\n"
    )
    import_file(writer, "opportunities", deals, update=False)
    with profile.store.read() as session:
        method = session.scalar(select(Payment.method))
        owner = session.scalar(select(Opportunity.owner_id))
    assert (method, owner) == ("transfer", zhang)
    for who, sentence in (
        ("王芳", "several users are named “王芳”; give the one you mean by his login."),
        ("赵六", "there is no user with the login or name “赵六”."),
    ):
        path = _write(tmp_path, "客户.csv", f"客户名称,负责人\n远航物流,{who}\n")
        with pytest.raises(ImportFailed) as refused:
            import_file(writer, "customers", path, update=False)
        assert sentence in str(refused.value)


@pytest.mark.parametrize(
    ("header", "cell"),
    [("身份证号", "1.10105E+17"), ("手机", "1.38001E+10"), ("保单号", "2.3E+19")],
)
def test_a_number_excel_shortened_is_refused_saying_why(
    profile: Profile, tmp_path: Path, header: str, cell: str
) -> None:
    """Excel saves a long number it shows as 1.10105E+17 to CSV just so: the digits are gone,
    and stored, the ID number would name nobody."""
    path = _write(tmp_path, "客户.csv", f"客户名称,{header}\n远航物流,{cell}\n")
    with pytest.raises(ImportFailed) as refused:
        import_file(profile.writer(), "customers", path, update=False)
    assert f"line 2: “{cell}” is a long number Excel shortened when it saved the file" in str(
        refused.value
    )
    with profile.store.read() as session:
        assert session.scalar(select(Customer.id)) is None
