"""What the record form adds for money: an opportunity's quote lines (its amount is their sum),
a quote line's price taken from the product's list price, and, once an opportunity is won,
the offer to create its contract. Kept apart from record_form.py, which stays one generic
form for every entity."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox

from crm_desktop.models.choices import ContractKind, ContractStatus, Stage
from crm_desktop.models.validation import run_on
from crm_desktop.views.display import format_money
from crm_desktop.views.quote_lines import QuoteLines

if TYPE_CHECKING:
    from crm_desktop.views.record_form import RecordForm


def extend(form: RecordForm, layout: QFormLayout) -> None:
    """Add the money parts this entity's form has, if any."""
    if form.entity == "opportunities" and form.row_id:
        quote = QuoteLines(form.row_id, form._runner, form._reader, form._writer, form)
        quote.lines_read.connect(partial(_lines_read, form))
        layout.addRow(QCoreApplication.translate("RecordForm", "Quote"), quote)
        form.quote = quote
        form.resize(720, 720)
    if form.entity == "opportunity_lines" and "product_id" in form.editors:
        form.editors["product_id"].edited.connect(partial(_product_chosen, form))
    if form.entity == "payments" and "amount_cents" in form.editors:
        hint = QLabel()
        hint.setObjectName("overpaymentHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #8a5300;")
        hint.hide()
        layout.addRow(hint)
        form.overpayment_hint = hint
        for name in ("amount_cents", "contract_id", "paid_on"):
            if name in form.editors:
                form.editors[name].edited.connect(partial(_check_overpayment, form))


def fill_defaults(form: RecordForm) -> None:
    """A new quote line (the form's first, or the next after Save and new) is one of the
    product shown, at its list price."""
    if form.entity != "opportunity_lines" or form.row_id:
        return
    if "quantity" in form.editors and "quantity" not in form._preset:
        form.editors["quantity"].set_value(1)
        form.forget_change("quantity")
    if "product_id" in form.editors:
        _product_chosen(form)


def choices_arrived(form: RecordForm, field: str) -> None:
    """A list of a money form was filled: a new line's product list shows its first product,
    chosen without a click, so its price is fetched as if it had been picked."""
    if form.entity == "opportunity_lines" and field == "product_id":
        _product_chosen(form)


def _lines_read(form: RecordForm, count: int, total: int) -> None:
    """With lines, the amount is their sum: shown, not typed (the writer keeps it so)."""
    editor = form.editors.get("amount_cents")
    if editor is None:
        return
    editor.setEnabled(count == 0)
    if count:
        editor.set_value(total)
        editor.setToolTip(
            QCoreApplication.translate("RecordForm", "The sum of the quote lines below.")
        )
        form.forget_change("amount_cents")
    else:
        editor.setToolTip("")


def _product_chosen(form: RecordForm) -> None:
    """A new line starts at the product's list price, as every rep quotes it."""
    product_id = form.editors["product_id"].value()
    if not product_id or form.row_id:
        return
    work = partial(form._reader.record, "products", product_id)
    form._runner.submit(work, partial(_price_arrived, form, product_id))


def _price_arrived(form: RecordForm, product_id: str, product: dict[str, Any] | None) -> None:
    if product is None or form.editors["product_id"].value() != product_id:
        return
    # Filled in for the user, not typed by him: closing the untouched form asks nothing.
    untouched = not form.has_unsaved_changes()
    form.editors["unit_price_cents"].set_value(product["list_price_cents"])
    if untouched:
        form.forget_change("unit_price_cents")


def _check_overpayment(form: RecordForm) -> None:
    """A payment typed larger than what its contract still owes, or dated before the contract
    starts, is said under the form as it is typed: a slip of a digit or of the year, or a
    deposit on purpose, which the user may still save."""
    contract_id = form.values().get("contract_id")
    if not contract_id:
        if form.overpayment_hint is not None:
            form.overpayment_hint.hide()
        return
    reader = form._reader

    def read() -> tuple[int | None, date | None]:
        contract = reader.record("contracts", contract_id) or {}
        return reader.left_to_pay(contract_id, form.row_id, date.today()), contract.get("start_on")

    form._runner.submit(read, partial(_contract_read, form, contract_id))


def _contract_read(
    form: RecordForm, contract_id: str, facts: tuple[int | None, date | None]
) -> None:
    values = form.values()
    if values.get("contract_id") != contract_id:
        return  # another contract chosen meanwhile: its own answer follows
    hint = form.overpayment_hint
    if hint is None:
        return
    left, starts = facts
    amount, paid_on = values.get("amount_cents"), values.get("paid_on")
    said = []
    # Text the amount box cannot read (12,50) is no amount yet: saving says so.
    if left is not None and isinstance(amount, int) and amount > left:
        text = QCoreApplication.translate(
            "RecordForm", "This is %1 more than the contract still owes (%2)."
        )
        said.append(
            text.replace("%1", format_money(amount - left)).replace("%2", format_money(left))
        )
    if isinstance(paid_on, date) and starts is not None and paid_on < starts:
        text = QCoreApplication.translate(
            "RecordForm", "It is dated %1, before the contract starts (%2): is the year right?"
        )
        said.append(text.replace("%1", paid_on.isoformat()).replace("%2", starts.isoformat()))
    hint.setText(run_on(*said))
    hint.setVisible(bool(said))


def after_save(form: RecordForm, saved: dict[str, Any], primary_id: str | None) -> None:
    """A payment saved: the amount proposed was what the contract owed, which it now does not
    (Save and new proposes the same contract, not the same amount again). An opportunity just
    marked won: offer to create its contract."""
    if form.entity == "payments":
        form._preset.pop("amount_cents", None)
    if form.entity != "opportunities" or saved.get("stage") != Stage.WON.value:
        return
    opportunity_id = form.row_id or primary_id
    if opportunity_id is None:
        return
    work = partial(form._reader.record, "opportunities", opportunity_id)
    form._runner.submit(work, partial(_offer_contract, form, opportunity_id))


def _offer_contract(
    form: RecordForm, opportunity_id: str, values: dict[str, Any] | None
) -> QMessageBox | None:
    if values is None:
        return None
    opportunity = {**values, "id": opportunity_id}
    parent = form.parentWidget()
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("RecordForm", "Opportunity won"),
        QCoreApplication.translate("RecordForm", "“%1” is won. Create its contract now?").replace(
            "%1", opportunity["title"]
        ),
        parent=parent,
    )
    box.setObjectName("offerContract")
    create = box.addButton(
        QCoreApplication.translate("RecordForm", "Create the contract"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(
        QCoreApplication.translate("RecordForm", "Not now"), QMessageBox.ButtonRole.RejectRole
    )
    box.buttonClicked.connect(
        lambda button: _contract_form(form, opportunity) if button is create else None
    )
    box.open()
    return box


def _contract_form(form: RecordForm, opportunity: dict[str, Any]) -> RecordForm:
    from crm_desktop.views.record_form import RecordForm

    preset = {
        "customer_id": opportunity["customer_id"],
        "opportunity_id": opportunity["id"],
        "kind": ContractKind.SALE.value,
        "status": ContractStatus.ACTIVE.value,
        "start_on": date.today(),
        "amount_cents": opportunity["amount_cents"],
        "owner_id": opportunity["owner_id"],
    }
    contract = RecordForm(
        "contracts",
        form._runner,
        form._reader,
        form._writer,
        None,
        preset,
        parent=form.parentWidget(),
    )
    contract.setModal(True)
    contract.show()
    return contract
