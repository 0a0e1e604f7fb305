"""The CRM's records: one SQLAlchemy class per table of the local store.

Money is held in integer fen/cents (`*_cents`) so sums are exact on SQLite and PostgreSQL alike.
Children point at their customer so a whole customer can enter or leave a device in one piece.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.models.base import Base, Tracked, utcnow
from crm_desktop.models.pinyin import sort_key
from crm_desktop.models.search_keys import search_key

LIVE = text("deleted_at IS NULL")


def reference_index(name: str, column: str, *, optional: bool = False) -> Index:
    """The rows that point at another row (their customer, contact, deal, contract, the one
    they were merged into), by that pointer. SQLite looks for the rows pointing at each row it
    deletes (its foreign key check), and a live index cannot serve that lookup: a full sync
    removing 1,000 of 10,000 customers scanned each child table once per removed row (34 s;
    100,000 would take hours), as does a sync removing what the server no longer shows (local
    migrations 0018, 0019).

    An `optional` pointer's index holds only the rows that point somewhere, so it stays small.
    A required one's is whole: SQLite's planner does not use an `IS NOT NULL` index for a
    column declared NOT NULL.
    """
    if optional:
        return Index(name, column, sqlite_where=text(f"{column} IS NOT NULL"))
    return Index(name, column)


def live_index(name: str, *columns: str, carry: tuple[str, ...] = ()) -> Index:
    """A partial index over live rows, ending in `id`: list queries sort on it, no table scan.

    `carry` adds columns a search checks on every row it walks (see queries/tables.py), so the
    walk reads only the index.
    """
    return Index(name, *columns, "id", *carry, sqlite_where=LIVE, postgresql_where=LIVE)


# What a search checks on each opportunity or task (its customer, its title), carried by their
# list indexes.
FOUND_BY = ("customer_id", "title")


def customer_list_index(name: str, column: str) -> Index:
    """A live index for sorting the customers list, carrying each row's full-text search key."""
    return live_index(name, column, carry=("search_key",))


def sort_key_of(source: str) -> Callable[[DefaultExecutionContext], str | None]:
    """The default of a derived sort-key column (see SORT_KEYS): models/pinyin.sort_key of the
    `source` column of the row being inserted. The writer, the pull and the demo set it
    themselves; this covers any other insert through SQLAlchemy."""

    def default(context: DefaultExecutionContext) -> str | None:
        return sort_key(context.get_current_parameters().get(source))

    return default


class User(Tracked, Base):
    __tablename__ = "users"

    login: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Derived, local only (SORT_KEYS): the owner and assignee columns sort by it.
    name_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("name"))
    role: Mapped[str] = mapped_column(String(16), default="rep")
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


def _search_key_of_new_row(context: DefaultExecutionContext) -> int:
    return search_key(context.get_current_parameters()["id"])


class Customer(Tracked, Base):
    __tablename__ = "customers"
    OWNER = "owner_id"

    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="company")
    grade: Mapped[str | None] = mapped_column(String(1))
    industry: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(32))
    phone2: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    last_followup_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_followup_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set by the server when the owner changes (NULL in the pool), and the lock a manager puts
    # on a customer so it never returns to the pool (server migration 0009).
    owned_since: Mapped[datetime | None] = mapped_column(DateTime)
    pool_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A grade a manager set by hand, and why: the server's grading leaves it as it is.
    grade_fixed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    grade_note: Mapped[str | None] = mapped_column(String(300))
    # The key of this customer in a finance or ERP system (unique on the server when set).
    external_ref: Mapped[str | None] = mapped_column(String(100))
    # Set with deleted_at when this customer was merged into another (services/merging.py):
    # a change made offline to this one goes to that one at sync.
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    # Derived, local only: when the customer returns to the public pool under the server's
    # rules as last synced (NULL: in the pool, locked, or no rules known); storage/pool_due.py.
    pool_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Derived, local only: lower-cased names, phone digits, email and identifiers in one string
    # so one indexed-free scan finds a customer by anything the user knows about it.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Derived, local only: the customer's rowid in the full-text indexes,
    # models/search_keys.search_key(id). Every insert path sets it.
    search_key: Mapped[int | None] = mapped_column(Integer, default=_search_key_of_new_row)
    # Derived, local only: what the name sorts by, pinyin for Chinese (SORT_KEYS).
    name_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("name"))

    __table_args__ = (
        customer_list_index("ix_customers_live_name", "name"),
        customer_list_index("ix_customers_live_name_sort", "name_sort"),
        customer_list_index("ix_customers_live_grade", "grade"),
        customer_list_index("ix_customers_live_industry", "industry"),
        customer_list_index("ix_customers_live_owner", "owner_id"),
        customer_list_index("ix_customers_live_phone", "phone"),
        customer_list_index("ix_customers_live_email", "email"),
        customer_list_index("ix_customers_live_last_followup", "last_followup_at"),
        customer_list_index("ix_customers_live_next_followup", "next_followup_at"),
        customer_list_index("ix_customers_live_created", "created_at"),
        customer_list_index("ix_customers_live_updated", "updated_at"),
        customer_list_index("ix_customers_live_pool_due", "pool_due_at"),
        # Today's parts, for one owner however many customers he has (queries/today.py).
        live_index("ix_customers_live_owner_next_followup", "owner_id", "next_followup_at"),
        live_index("ix_customers_live_owner_pool_due", "owner_id", "pool_due_at"),
        # Customers matching a search, for the other lists: read from the index alone.
        Index("ix_customers_search_key", "search_key", "id"),
        reference_index("ix_customers_merged_into", "merged_into_id", optional=True),
    )


class CustomerIdentifier(Tracked, Base):
    """Any typed number a customer is known by: tax number, ID card, policy, licence plate..."""

    __tablename__ = "customer_identifiers"
    PARENT = "customer_id"
    IN_CUSTOMER_SEARCH = True

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(100))
    # Upper-case, no spaces or dashes: "粤B 12345" and "粤b12345" are the same plate.
    value_key: Mapped[str] = mapped_column(String(100), index=True)


class Contact(Tracked, Base):
    __tablename__ = "contacts"
    PARENT = "customer_id"
    IN_CUSTOMER_SEARCH = True

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    mobile: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    messaging_id: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    # As a customer's: the contact this one was merged into (with deleted_at).
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    # Derived, local only: what the name sorts by (SORT_KEYS).
    name_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("name"))
    # Derived, local only: the customer's name_sort, kept by the store's triggers (local
    # migration 0017), so the list sorts by customer along an index.
    customer_sort: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_contacts_live_customer", "customer_id"),
        live_index("ix_contacts_live_customer_sort", "customer_sort"),
        live_index("ix_contacts_live_name", "name", carry=("customer_id",)),
        # The list sorted by name; a search checks the name on each row it walks.
        live_index("ix_contacts_live_name_sort", "name_sort", carry=("customer_id", "name")),
        reference_index("ix_contacts_merged_into", "merged_into_id", optional=True),
        reference_index("ix_contacts_customer", "customer_id"),
    )


class Product(Tracked, Base):
    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(32))
    list_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Derived, local only: what the name sorts by (SORT_KEYS). A price list is short: no index.
    name_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("name"))


class Opportunity(Tracked, Base):
    __tablename__ = "opportunities"
    OWNER = "owner_id"
    PARENT = "customer_id"
    BELONGINGS = (("opportunity_lines", "opportunity_id"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    title: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), default="lead")
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    expected_close: Mapped[date | None] = mapped_column(Date)
    probability: Mapped[int] = mapped_column(Integer, default=10)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    close_reason: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    # Derived, local only: what the title sorts by (SORT_KEYS).
    title_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("title"))
    # Derived, local only: the customer's name_sort, kept by the store's triggers (local
    # migration 0017), so the list sorts by customer along an index.
    customer_sort: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_opportunities_live_customer", "customer_id"),
        live_index("ix_opportunities_live_customer_sort", "customer_sort"),
        live_index("ix_opportunities_live_title", "title", carry=("customer_id",)),
        live_index("ix_opportunities_live_title_sort", "title_sort", carry=FOUND_BY),
        live_index("ix_opportunities_live_stage", "stage", carry=FOUND_BY),
        live_index("ix_opportunities_live_amount", "amount_cents", carry=FOUND_BY),
        live_index("ix_opportunities_live_close", "expected_close", carry=FOUND_BY),
        live_index("ix_opportunities_live_owner", "owner_id", carry=FOUND_BY),
        reference_index("ix_opportunities_customer", "customer_id"),
        reference_index("ix_opportunities_contact", "contact_id", optional=True),
    )


class OpportunityLine(Tracked, Base):
    """A product on an opportunity, with the quantity and the price agreed for it."""

    __tablename__ = "opportunity_lines"
    PARENT = "customer_id"

    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    # Denormalised so a customer's whole subtree can be selected without joins when syncing.
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[float] = mapped_column(Float, default=1.0)
    unit_price_cents: Mapped[int] = mapped_column(Integer, default=0)
    # A whole percentage off the line (models/money.line_total_cents).
    discount_percent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Task(Tracked, Base):
    __tablename__ = "tasks"
    OWNER = "assignee_id"
    PARENT = "customer_id"

    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    # When to remind the assignee (NULL: no reminder); set by those who may write the task.
    remind_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Derived, local only: what the title sorts by (SORT_KEYS).
    title_sort: Mapped[str | None] = mapped_column(Text, default=sort_key_of("title"))
    # Derived, local only: the customer's name_sort, kept by the store's triggers (local
    # migration 0017), so the list sorts by customer along an index.
    customer_sort: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_tasks_live_due", "due_at", carry=FOUND_BY),
        live_index("ix_tasks_live_customer_sort", "customer_sort"),
        live_index("ix_tasks_live_title", "title", carry=("customer_id",)),
        live_index("ix_tasks_live_title_sort", "title_sort", carry=FOUND_BY),
        live_index("ix_tasks_live_priority", "priority", carry=FOUND_BY),
        live_index("ix_tasks_live_done", "done", carry=FOUND_BY),
        live_index("ix_tasks_live_assignee", "assignee_id", carry=FOUND_BY),
        live_index("ix_tasks_live_customer", "customer_id"),
        # Today's tasks and reminders for one assignee however many tasks he has.
        live_index("ix_tasks_live_assignee_due", "assignee_id", "due_at"),
        live_index("ix_tasks_live_assignee_remind", "assignee_id", "remind_at"),
        reference_index("ix_tasks_customer", "customer_id", optional=True),
        reference_index("ix_tasks_opportunity", "opportunity_id", optional=True),
    )


class FollowUp(Tracked, Base):
    """One contact with a customer: what was said, what was promised, and what happens next."""

    __tablename__ = "followups"
    PARENT = "customer_id"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    kind: Mapped[str] = mapped_column(String(16), default="call")
    happened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text, default="")
    promise: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        live_index("ix_followups_live_customer_time", "customer_id", "happened_at"),
        live_index("ix_followups_live_time", "happened_at"),
        reference_index("ix_followups_customer", "customer_id"),
        reference_index("ix_followups_contact", "contact_id", optional=True),
    )


class WorkLog(Tracked, Base):
    """A user's daily work log: what he did, tomorrow's plan, his problems. One per user and
    day among live rows, which the server enforces (server migration 0012); a device keeps no
    unique index of its own, so two of one user's devices writing the same day offline never
    stop a pull (the second is refused by the server and kept in its conflicts).

    Not a customer's child: the server shows it to its author, his managers (up his manager
    chain and by office, `crm_log_author_ids()`) and administrators; only the author writes it.
    """

    __tablename__ = "work_logs"
    OWNER = "author_id"

    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_work_logs_live_author_day", "author_id", "day"),
        live_index("ix_work_logs_live_day", "day"),
    )


class WorkLogComment(Tracked, Base):
    """A comment on a work log, by one of the log's readers; read by the log's readers."""

    __tablename__ = "work_log_comments"
    OWNER = "author_id"

    log_id: Mapped[str] = mapped_column(ForeignKey("work_logs.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        live_index("ix_work_log_comments_live_log", "log_id", "created_at"),
        reference_index("ix_work_log_comments_log", "log_id"),
    )


class Note(Tracked, Base):
    """A note from one user to another, read by the two of them and administrators.

    `customer_id` and `opportunity_id` say what the note is about. They carry no local foreign
    key on purpose: the recipient often cannot see that customer, and the note must still
    arrive whole (a foreign key would make sync/references.py clear the link and file a
    conflict for every such note). The server keeps them pointing at a real customer the sender
    sees, and at an opportunity of that customer; a device shows the customer when it holds it.
    """

    __tablename__ = "notes"
    OWNER = "sender_id"

    sender_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    recipient_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    customer_id: Mapped[str | None] = mapped_column(String(36))
    opportunity_id: Mapped[str | None] = mapped_column(String(36))
    # Set by the recipient alone (the server refuses it from anyone else).
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        live_index("ix_notes_live_recipient", "recipient_id", "created_at"),
        live_index("ix_notes_live_sender", "sender_id", "created_at"),
        live_index("ix_notes_live_customer", "customer_id"),
    )


class Contract(Tracked, Base):
    """A contract or policy signed with a customer: its term, its amount, and whether it will
    be renewed. `renewed_from_id` is the contract this one renews (of the same customer)."""

    __tablename__ = "contracts"
    OWNER = "owner_id"
    PARENT = "customer_id"
    # A contract entered by mistake and deleted takes its plan and the payments recorded on it:
    # they would otherwise still count in its customer's money and grade.
    BELONGINGS = (("contract_instalments", "contract_id"), ("payments", "contract_id"))

    number: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"))
    kind: Mapped[str] = mapped_column(String(16), default="sale")
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    renewal_status: Mapped[str] = mapped_column(String(16), default="undecided")
    renewal_note: Mapped[str | None] = mapped_column(String(300))
    renewed_from_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    # Derived, local only: the customer's name_sort, kept by the store's triggers (local
    # migration 0017), so the list sorts by customer along an index.
    customer_sort: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_contracts_live_number", "number", carry=("customer_id",)),
        live_index("ix_contracts_live_customer", "customer_id"),
        live_index("ix_contracts_live_customer_sort", "customer_sort"),
        live_index("ix_contracts_live_end", "end_on", carry=("customer_id", "number")),
        live_index("ix_contracts_live_owner", "owner_id", carry=("customer_id", "number")),
        live_index("ix_contracts_live_renewed_from", "renewed_from_id"),
        reference_index("ix_contracts_renewed_from", "renewed_from_id", optional=True),
        # Today's contracts to renew, for one owner.
        live_index("ix_contracts_live_owner_end", "owner_id", "end_on"),
        reference_index("ix_contracts_customer", "customer_id"),
        reference_index("ix_contracts_opportunity", "opportunity_id", optional=True),
    )


class ContractInstalment(Tracked, Base):
    """One due date and amount of a contract's payment plan."""

    __tablename__ = "contract_instalments"
    PARENT = "customer_id"

    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    # Denormalised like opportunity_lines', so the row travels with its customer.
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    due_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        # Carrying the amount: what contracts owe is read from this index alone.
        live_index(
            "ix_contract_instalments_live_contract",
            "contract_id",
            "due_on",
            carry=("amount_cents",),
        ),
        live_index("ix_contract_instalments_live_customer", "customer_id", "due_on"),
        live_index("ix_contract_instalments_live_due", "due_on"),
        reference_index("ix_contract_instalments_customer", "customer_id"),
        reference_index("ix_contract_instalments_contract", "contract_id"),
    )


class Payment(Tracked, Base):
    """Money received from a customer, on one of its contracts or on account."""

    __tablename__ = "payments"
    PARENT = "customer_id"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str] = mapped_column(String(16), default="transfer")
    reference: Mapped[str | None] = mapped_column(String(100))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        live_index("ix_payments_live_customer", "customer_id", "paid_on"),
        live_index("ix_payments_live_contract", "contract_id", "paid_on", carry=("amount_cents",)),
        live_index("ix_payments_live_paid", "paid_on", carry=("customer_id", "amount_cents")),
        reference_index("ix_payments_customer", "customer_id"),
        reference_index("ix_payments_contract", "contract_id", optional=True),
    )


class OutboxEntry(Base):
    """A local change waiting to be pushed, written in the same transaction as the change itself.

    `changes` holds the new value of each changed field; `base` holds the value it replaced, so the
    server can tell a field someone else changed meanwhile (a conflict) from one nobody touched.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(8))  # insert | update | delete | restore
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    base: Mapped[dict] = mapped_column(JSON, default=dict)
    made_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    made_by: Mapped[str | None] = mapped_column(String(36))
    # Entries sharing a group (a merge's) are applied on the server together or not at all,
    # with the links between records checked once the whole group is in (local migration 0013).
    group_id: Mapped[str | None] = mapped_column(String(36))

    # AUTOINCREMENT: SQLite never hands out a seq again, even after the outbox was emptied.
    # Push receipts are keyed by (device, seq); a reused seq would find an old receipt.
    __table_args__ = ({"sqlite_autoincrement": True},)


class Conflict(Base):
    """A value that lost at the server, kept so nobody's typing is ever silently dropped.

    kind: `same_field` (someone else changed the field first; `kept_value` is theirs),
    `edited_deleted` (the record was deleted while this edit was offline), `deleted_over_edit`
    (this device's delete removed a record someone else had changed meanwhile; `reason` names
    him; his values stay in the deleted record), `refused` (the server would not take the
    change; `reason` says why, `field` is empty), `unreachable` (a row from the server points
    at a record this user may not see: the link was left out, or the row left off this device;
    `lost_value` says which, `reason` in words; see sync/references.py).
    """

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    kept_value: Mapped[object | None] = mapped_column(JSON)
    lost_value: Mapped[object | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime | None] = mapped_column(DateTime)
    made_by: Mapped[str | None] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


# local_settings key: the users whose records this device's user enters for them (a clerk's
# reps during their grace period), ids separated by commas, as the server said at the last
# sync; empty for anyone else. A clerk's new customer is owned by one of them, not by him.
ENTERS_FOR_KEY = "enters_for"
# What the server last said the user is and sees, as the pull keeps it: his role, the owners
# whose customers he sees, then the users whose work logs he reads ("manager {id,id} {id,id}";
# a profile last synced before work logs has no third part); absent on a profile never synced.
SCOPE_KEY = "sync_scope"
# The comments on his work logs the user has read on this device (Today lists the others),
# ids separated by commas. A comment has no read state on the server: its author wrote it for
# every reader of the log, and what one of them has seen is his device's to know.
COMMENTS_READ_KEY = "work_log_comments_read"
# The most read comments kept in it: Today lists a comment for a week only, so the oldest
# marks are no longer needed long before this many are made.
COMMENTS_READ_KEPT = 500


def _ids(listed: str) -> tuple[str, ...]:
    """The ids of a PostgreSQL array as text ("{id,id}")."""
    return tuple(i for i in listed.strip().strip("{}").split(",") if i)


@dataclass(frozen=True)
class Scope:
    role: str | None
    owners: tuple[str, ...]
    log_authors: tuple[str, ...] = ()  # empty too on a profile last synced before work logs

    @classmethod
    def parse(cls, stored: str | None) -> Scope:
        role, _, rest = (stored or "").partition(" ")
        owners, _, authors = rest.partition(" ")
        return cls(role or None, _ids(owners), _ids(authors))

    @property
    def enters_for(self) -> tuple[str, ...]:
        """The reps a clerk enters records for: the owners he sees."""
        return self.owners if self.role == "clerk" else ()

    @property
    def team(self) -> tuple[str, ...]:
        """A manager's team, himself included (his offices' people, his reports)."""
        return self.owners if self.role == "manager" else ()


def listed_ids(stored: str | None) -> list[str]:
    """The ids of a local setting that lists them separated by commas (ENTERS_FOR_KEY,
    COMMENTS_READ_KEY)."""
    return [i for i in (stored or "").split(",") if i]


def entered_for(stored: str | None) -> list[str]:
    """The reps of ENTERS_FOR_KEY's stored value."""
    return listed_ids(stored)


def owner_of_new_record(user_id: str, reps: list[str]) -> str | None:
    """Whose a new record is when nobody is named: the user's own, or for a clerk the one rep
    he enters records for; None when he serves several and must choose."""
    if not reps:
        return user_id
    return reps[0] if len(reps) == 1 else None


class ImportBatch(Base):
    """One import run on this device (local only): what it did, and whether it was undone.
    Its rows say which records it added and what it replaced in those it updated."""

    __tablename__ = "import_batches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by: Mapped[str | None] = mapped_column(String(36))
    added: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportedRow(Base):
    """A record an import added or updated. `before`: for one it updated, the values it
    replaced; for one it added, a digest of its fields as added (transfer/undo.py), so that undo
    leaves a record changed since (None in a batch of an older version)."""

    __tablename__ = "import_batch_rows"

    batch_id: Mapped[str] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True
    )
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    action: Mapped[str] = mapped_column(String(8))  # added | updated
    before: Mapped[dict | None] = mapped_column(JSON)


class OwnershipChange(Base):
    """One change of a customer's owner as the server recorded it (its migration 0006): who
    had it, who has it, how (entered, claimed, released, assigned, returned, handed over), why,
    by whom and when. Read-only here: the pull brings a customer's history with it."""

    __tablename__ = "ownership_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # server's
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    previous_owner_id: Mapped[str | None] = mapped_column(String(36))
    owner_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (Index("ix_ownership_history_customer", "customer_id", "changed_at"),)


class PoolRule(Base):
    """One of the server's public-pool rules as the last sync read it (storage/pool_due.py):
    its key on the server (crm_rules) and its number of days."""

    __tablename__ = "pool_rules"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)


class CompanyLetterhead(Base):
    """The company letterhead an administrator set on the server (crm_company), as the last sync
    read it: what a quote printed as PDF carries. One row (id 1) or none before the first sync
    from a server that has it; read through queries/company.letterhead."""

    __tablename__ = "company_letterhead"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    tax_id: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(16))  # image/png or image/jpeg
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)  # the server's clock


class UserSync(Base):
    """When a user the device's user reads (himself, his team) last synced, by the server's
    clock, as the last sync read it (server table user_syncs, latest of his devices)."""

    __tablename__ = "user_syncs"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime)


class LocalSetting(Base):
    """Small per-profile facts the store itself needs (current user, default phone region...)."""

    __tablename__ = "local_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# What names and titles sort by: {table: {column: its sort-key column}}, each key
# models/pinyin.sort_key of the column (pinyin for Chinese, so 阿里 < Baidu < 华为). Derived on
# each device: every path that writes the column writes its key (writer, pull, demo), and a
# store opened by a version that derives them otherwise derives them again
# (storage/search_index.refresh_derived_text).
SORT_KEYS: dict[str, dict[str, str]] = {
    "users": {"name": "name_sort"},
    "customers": {"name": "name_sort"},
    "contacts": {"name": "name_sort"},
    "products": {"name": "name_sort"},
    "opportunities": {"title": "title_sort"},
    "tasks": {"title": "title_sort"},
}


def sort_keys_of(entity: str, values: Mapping[str, Any]) -> dict[str, str | None]:
    """The sort keys of an entity's columns among `values` ({} when none of them is there)."""
    return {
        key: sort_key(values[column])
        for column, key in SORT_KEYS.get(entity, {}).items()
        if column in values
    }


# Columns derived on each device from the rest of its store: never sent to the server, never in
# the outbox.
LOCAL_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    entity: frozenset(keys.values()) for entity, keys in SORT_KEYS.items()
}
LOCAL_ONLY_COLUMNS["customers"] |= {"search_text", "search_key", "pool_due_at"}
# Lists that sort by their rows' customer (local migration 0017).
SORTED_BY_CUSTOMER = ("contacts", "opportunities", "tasks", "contracts")
# Derived columns a new row reads from another row as it goes in, in the INSERT itself: the SQL
# giving the value, bound to the new row's column named beside it. What the writer and the pull
# set this way, the store's triggers need not set by writing each new row a second time.
LOOKED_UP_ON_INSERT = {
    "customer_sort": ("(SELECT name_sort FROM customers WHERE id = ?)", "customer_id"),
}
LOCAL_ONLY_COLUMNS.update(
    {e: LOCAL_ONLY_COLUMNS.get(e, frozenset()) | {"customer_sort"} for e in SORTED_BY_CUSTOMER}
)

# Columns only the server writes (its triggers, or a decision asked of it at once, like a
# manager's lock): a device keeps what the pull brings and never sends them.
SERVER_SET_COLUMNS: dict[str, frozenset[str]] = {
    "customers": frozenset({"owned_since", "pool_locked"}),
}

# Tables whose rows sync, by the entity name used in the outbox, exports and the command line;
# parents before children, the order in which rows can be inserted.
ENTITIES: dict[str, type[Tracked]] = {
    "users": User,
    "customers": Customer,
    "customer_identifiers": CustomerIdentifier,
    "contacts": Contact,
    "products": Product,
    "opportunities": Opportunity,
    "opportunity_lines": OpportunityLine,
    "tasks": Task,
    "followups": FollowUp,
    "work_logs": WorkLog,
    "work_log_comments": WorkLogComment,
    "notes": Note,
    "contracts": Contract,
    "contract_instalments": ContractInstalment,
    "payments": Payment,
}

# Tables whose rows hang off a customer (their PARENT), in insert order: they leave a device,
# come back from undo, and arrive on another rep's device together with it.
CUSTOMER_CHILDREN = tuple(name for name, model in ENTITIES.items() if model.PARENT)


def belongings(entity: str) -> tuple[tuple[str, str], ...]:
    """What a delete of `entity` takes with it, as (table, column pointing at it): a customer
    everything that hangs off it, others their declared BELONGINGS."""
    if entity == "customers":
        return tuple((child, "customer_id") for child in CUSTOMER_CHILDREN)
    return ENTITIES[entity].BELONGINGS


# Tables whose records can be merged into another of their kind (services/merging.py): the
# merged-away record keeps a pointer, merged_into_id, to the kept one.
MERGEABLE = tuple(name for name, model in ENTITIES.items() if hasattr(model, "merged_into_id"))
# Values the server keeps unique (its migration 0014), and a product's code, unique in the
# store itself: (column, among live rows only; otherwise deleted rows hold theirs too). An
# import refuses a repeat before the server would refuse it at the next sync, and a merge
# moves such a value off the merged-away record before the kept one takes it.
UNIQUE_COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "customers": (("external_ref", False),),
    "products": (("code", False),),
    "contracts": (("number", True), ("external_ref", False)),
    "payments": (("external_ref", False),),
}
# Tables whose rows' fields are part of their customer's search text.
IN_CUSTOMER_SEARCH = tuple(name for name, model in ENTITIES.items() if model.IN_CUSTOMER_SEARCH)


def user_columns(entity: str) -> tuple[str, ...]:
    """The columns of an entity that name a user: who owns, is assigned, made or changed it."""
    table = ENTITIES[entity].__table__
    named = [
        column.name
        for column in table.columns
        if any(key.column.table.name == "users" for key in column.foreign_keys)
    ]
    return (*named, "created_by", "updated_by")
