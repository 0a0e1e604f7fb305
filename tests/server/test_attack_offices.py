"""Offices, tried with plain SQL by each role with his own password: a manager sees and hands out
customers within his office and the offices under it, and nothing of a sibling office; nobody but
an administrator writes offices or sets a user's office; the tree never loops; and a user whose
office is not live logs in but sees and changes nothing until it is.

The company: South (live) with Shenzhen (live) under it, East (live) with Hangzhou (not live)
under it. mia manages South and, directly, rae of East; sam is a rep in South, sid in Shenzhen,
eve and rae in East, hal in Hangzhou; kim manages Hangzhou; ada is an administrator without an
office (the head office); cal a clerk without an office. Each of mia, sam, sid, eve, rae and hal
owns one customer, and one customer is in the public pool.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import psycopg
import pytest

from crm_desktop.sync.server import admin
from tests.postgres import CrmDatabase

RLS_VIOLATION = "row-level security"
OWNERS = ("mia", "sam", "sid", "eve", "rae", "hal")
OFFICE_OF = (
    "SELECT o.name FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.login = %s"
)
VISIBLE = (
    "SELECT coalesce(u.login, 'pool') FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
    " WHERE c.deleted_at IS NULL"
)


@dataclass
class Company:
    db: CrmDatabase
    users: dict[str, str] = field(default_factory=dict)  # login -> users.id
    customers: dict[str, str] = field(default_factory=dict)  # owner login or "pool" -> id
    offices: dict[str, str] = field(default_factory=dict)  # name -> offices.id

    def add_user(
        self, login: str, role: str, office: str | None = None, manager: str | None = None
    ) -> str:
        """As `server add-user ... --office`, with a password of his own."""
        password = f"pw-{login}-{secrets.token_hex(4)}"
        self.users[login] = admin.add_user(
            self.db.admin_dsn, login, role, password, manager=manager, office=office
        )
        self.db.passwords[login] = password
        return self.users[login]

    def add_office(self, name: str, parent: str | None = None, live: bool = True) -> str:
        self.offices[name] = admin.add_office(self.db.admin_dsn, name, parent=parent, live=live)
        return self.offices[name]

    def owner_sql(self, statement: str, parameters: tuple = ()) -> list[tuple]:
        """Plain SQL as the deployment owner, who sees every row."""
        with self.db.connect_admin() as connection:
            cursor = connection.execute(statement, parameters)
            return cursor.fetchall() if cursor.description else []

    def office_of(self, login: str) -> str | None:
        return self.owner_sql(OFFICE_OF, (login,))[0][0]

    def owner_of(self, key: str) -> str | None:
        (row,) = self.owner_sql(
            "SELECT u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
            " WHERE c.id = %s",
            (self.customers[key],),
        )
        return row[0]

    def offices_as_built(self) -> list[tuple]:
        return self.owner_sql(
            "SELECT id, name, parent_id, live, created_at, created_by, updated_at, updated_by"
            " FROM offices ORDER BY name"
        )

    def seen_by(self, login: str) -> list[str]:
        with self.db.connect_as(login) as connection:
            return sorted(row[0] for row in connection.execute(VISIBLE))


@pytest.fixture
def company(crm_db: CrmDatabase) -> Company:
    built = Company(crm_db)
    built.add_office("South")
    built.add_office("Shenzhen", parent="South")
    built.add_office("East")
    built.add_office("Hangzhou", parent="East", live=False)
    built.add_user("ada", "admin")
    built.add_user("mia", "manager", office="South")
    built.add_user("sam", "rep", office="South")
    built.add_user("sid", "rep", office="Shenzhen")
    built.add_user("eve", "rep", office="East")
    built.add_user("rae", "rep", office="East", manager="mia")
    built.add_user("hal", "rep", office="Hangzhou")
    built.add_user("kim", "manager", office="Hangzhou")
    built.add_user("cal", "clerk")
    with crm_db.connect_admin() as connection:
        for key in (*OWNERS, "pool"):
            built.customers[key] = str(
                connection.execute(
                    "INSERT INTO customers (name, owner_id) VALUES (%s, %s) RETURNING id",
                    (f"{key} Ltd", built.users.get(key)),
                ).fetchone()[0]
            )
        connection.execute("INSERT INTO products (code, name) VALUES ('P1', 'Pump')")
    return built


# -- a manager's offices -------------------------------------------------------------------------


def test_a_manager_sees_his_office_and_those_under_it_not_a_sibling(company: Company) -> None:
    # South and Shenzhen under it; rae of East because mia is her manager; never eve of East or
    # hal of Hangzhou.
    assert company.seen_by("mia") == ["mia", "pool", "rae", "sam", "sid"]
    # A rep still sees only his own and the pool, whatever his office.
    assert company.seen_by("sam") == ["pool", "sam"]
    assert company.seen_by("eve") == ["eve", "pool"]


def test_what_a_manager_sees_reads_the_same_at_every_sync(company: Company) -> None:
    """The device resyncs in full when the list changes, compared as text: it is sorted, and a
    direct report who is also in the office counts once."""
    company.owner_sql(
        "UPDATE users SET manager_id = %s WHERE login = 'sid'", (company.users["mia"],)
    )
    with company.db.connect_as("mia") as connection:
        seen = connection.execute("SELECT crm_visible_owner_ids()::text[]").fetchone()[0]
    team = sorted(company.users[login] for login in ("sam", "sid", "rae"))
    assert seen == [company.users["mia"], *team]


def test_a_manager_hands_customers_only_to_his_offices(company: Company) -> None:
    with company.db.connect_as("mia") as connection:
        moved = connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s",
            (company.users["sid"], company.customers["pool"]),
        )
        assert moved.rowcount == 1
        for customer in ("sam", "sid"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
                connection.execute(
                    "UPDATE customers SET owner_id = %s WHERE id = %s",
                    (company.users["eve"], company.customers[customer]),
                )
    assert company.owner_of("pool") == "sid"
    assert (company.owner_of("sam"), company.owner_of("sid")) == ("sam", "sid")


def test_a_manager_assigns_clerks_only_to_reps_of_his_offices(company: Company) -> None:
    assign = (
        "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
        " VALUES (%s, %s, now() + interval '30 days')"
    )
    with company.db.connect_as("mia") as connection:
        connection.execute(assign, (company.users["cal"], company.users["sid"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(assign, (company.users["cal"], company.users["eve"]))
        seen = connection.execute("SELECT count(*) FROM clerk_assignments").fetchone()[0]
    assert seen == 1
    assigned = company.owner_sql(
        "SELECT r.login FROM clerk_assignments a JOIN users r ON r.id = a.rep_id"
    )
    assert assigned == [("sid",)]


def test_a_manager_still_sees_a_deactivated_reps_customers(company: Company) -> None:
    """Someone who left keeps his customers until they are handed over: his manager must still
    see them meanwhile, as he does a direct report's."""
    admin.set_active(company.db.admin_dsn, "sam", False)
    assert "sam" in company.seen_by("mia")


def test_moving_a_user_changes_what_his_manager_sees(company: Company) -> None:
    with company.db.connect_as("ada") as connection:
        moved = connection.execute(
            "UPDATE users SET office_id = %s WHERE login = 'sam'", (company.offices["East"],)
        )
        assert moved.rowcount == 1
    assert company.seen_by("mia") == ["mia", "pool", "rae", "sid"]


def test_a_manager_never_sees_or_takes_what_his_own_boss_owns(company: Company) -> None:
    """Server 0033: dan directs South and manages mia, also of South. Office by office mia's
    team held dan; now what a manager sees flows down the chain only: not dan's customers, nor
    his work log, nor a customer of his to take. dan still sees mia's."""
    company.add_user("dan", "manager", office="South")
    company.owner_sql(
        "UPDATE users SET manager_id = %s WHERE login = 'mia'", (company.users["dan"],)
    )
    with company.db.connect_admin() as connection:
        company.customers["dan"] = str(
            connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('dan Ltd', %s) RETURNING id",
                (company.users["dan"],),
            ).fetchone()[0]
        )
    with company.db.connect_as("dan") as connection:
        connection.execute(
            "INSERT INTO work_logs (author_id, day, done)"
            " VALUES (crm_current_user_id(), current_date, '和董事长谈了名单')"
        )

    assert "dan" not in company.seen_by("mia")
    assert company.seen_by("mia") == ["mia", "pool", "rae", "sam", "sid"]
    # rae of East is mia's direct report, not dan's, and of none of his offices.
    assert company.seen_by("dan") == ["dan", "mia", "pool", "sam", "sid"]
    with company.db.connect_as("mia") as connection:
        taken = connection.execute(
            "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s",
            (company.customers["dan"],),
        )
        assert taken.rowcount == 0
        logs = connection.execute("SELECT count(*) FROM work_logs").fetchone()[0]
        assert logs == 0
        team = connection.execute("SELECT crm_team_ids()::text[]").fetchone()[0]
        assert company.users["dan"] not in team
    assert company.owner_of("dan") == "dan"
    with company.db.connect_as("dan") as connection:
        assert connection.execute("SELECT count(*) FROM work_logs").fetchone()[0] == 1


def test_a_manager_in_a_loop_of_managers_still_sees_his_reps(company: Company) -> None:
    """Two managers set as each other's: neither sees the other (each is above the other), and
    the lookup ends."""
    company.add_user("dan", "manager", office="South", manager="mia")
    company.owner_sql(
        "UPDATE users SET manager_id = %s WHERE login = 'mia'", (company.users["dan"],)
    )
    assert company.seen_by("mia") == ["mia", "pool", "rae", "sam", "sid"]
    assert "mia" not in company.seen_by("dan")


def overdue(company: Company, *owners: str) -> None:
    """These owners' customers had nothing done for forty days (the rule gives thirty)."""
    for owner in owners:
        company.owner_sql(
            "UPDATE customers SET owned_since = now() - interval '40 days' WHERE id = %s",
            (company.customers[owner],),
        )


def test_an_office_not_live_keeps_its_reps_customers_from_the_pool(company: Company) -> None:
    """Server 0036: hal of Hangzhou (not live) cannot sync or follow anything up: his overdue
    customer stays his, while sam's goes back to the pool."""
    overdue(company, "hal", "sam")
    with company.db.connect_as("ada") as connection:
        returned = connection.execute("SELECT crm_return_due_customers()").fetchone()[0]
    assert returned == 1
    assert (company.owner_of("hal"), company.owner_of("sam")) == ("hal", None)


def test_an_office_going_live_starts_its_reps_countdown_then(company: Company) -> None:
    overdue(company, "hal")
    admin.change_office(company.db.admin_dsn, "Hangzhou", live=True)
    (since,) = company.owner_sql(
        "SELECT owned_since > now() - interval '1 minute' FROM customers WHERE id = %s",
        (company.customers["hal"],),
    )[0]
    assert since
    with company.db.connect_as("ada") as connection:
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 0
    assert company.owner_of("hal") == "hal"


def owned_since_now(company: Company, owner: str) -> bool:
    (row,) = company.owner_sql(
        "SELECT owned_since > now() - interval '1 minute' FROM customers WHERE id = %s",
        (company.customers[owner],),
    )
    return row[0]


@pytest.mark.parametrize(("mover", "into"), [("ada", "East"), ("owner", None)])
def test_a_user_moved_from_a_waiting_office_into_a_live_one_starts_his_countdown(
    company: Company, mover: str, into: str | None
) -> None:
    """Server 0037: hal moves from Hangzhou (waiting) to East, or to the head office, moved by
    an administrator or the deployment owner. He could not follow anything up while he waited:
    his overdue customer is not returned the next moment, its countdown starts now."""
    overdue(company, "hal")
    dsn = company.db.admin_dsn if mover == "owner" else company.db.dsn_for(mover)
    admin.move_user(dsn, "hal", into)
    assert owned_since_now(company, "hal")
    with company.db.connect_as("ada") as connection:
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 0
    assert company.owner_of("hal") == "hal"


def test_a_move_between_live_offices_or_into_a_waiting_one_keeps_the_countdown(
    company: Company,
) -> None:
    """sam moves between live offices: what he did not follow up stays due. eve moves into
    Hangzhou (waiting): her customer waits with her (0036) and keeps its date."""
    overdue(company, "sam", "eve")
    admin.move_user(company.db.admin_dsn, "sam", "East")
    admin.move_user(company.db.admin_dsn, "eve", "Hangzhou")
    assert not owned_since_now(company, "sam") and not owned_since_now(company, "eve")
    with company.db.connect_as("ada") as connection:
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 1
    assert (company.owner_of("sam"), company.owner_of("eve")) == (None, "eve")


@pytest.mark.parametrize("login", ["sam", "mia", "kim"])
def test_nobody_but_an_administrator_restarts_a_countdown(company: Company, login) -> None:
    """A rep or a manager setting owned_since (to now, to keep a customer longer) is put back;
    an administrator may set it to now, and to nothing else."""
    overdue(company, "sam")
    before = company.owner_sql(
        "SELECT owned_since FROM customers WHERE id = %s", (company.customers["sam"],)
    )
    with company.db.connect_as(login) as connection:
        connection.execute(
            "UPDATE customers SET owned_since = now() WHERE id = %s", (company.customers["sam"],)
        )
    after = company.owner_sql(
        "SELECT owned_since FROM customers WHERE id = %s", (company.customers["sam"],)
    )
    assert after == before
    with company.db.connect_as("ada") as connection:
        for moment in ("now() - interval '400 days'", "now() + interval '1 day'"):
            connection.execute(
                f"UPDATE customers SET owned_since = {moment} WHERE id = %s",
                (company.customers["sam"],),
            )
        assert (
            company.owner_sql(
                "SELECT owned_since FROM customers WHERE id = %s", (company.customers["sam"],)
            )
            == before
        )
        connection.execute(
            "UPDATE customers SET owned_since = now() WHERE id = %s", (company.customers["sam"],)
        )
    restarted = company.owner_sql(
        "SELECT owned_since > now() - interval '1 minute' FROM customers WHERE id = %s",
        (company.customers["sam"],),
    )
    assert restarted == [(True,)]


# -- nobody but an administrator writes offices ------------------------------------------------

ATTACKS = [
    # Move oneself, or one's people, into another office to see more.
    "UPDATE users SET office_id = (SELECT id FROM offices WHERE name = 'East')"
    " WHERE login IN ('mia', 'sam', 'hal', 'kim', 'cal')",
    "UPDATE users SET office_id = NULL",
    # Take another office under one's own, switch one live, rename one.
    "UPDATE offices SET parent_id = (SELECT id FROM offices WHERE name = 'South')"
    " WHERE name = 'East'",
    "UPDATE offices SET live = true",
    "UPDATE offices SET name = 'Mine'",
    "INSERT INTO offices (name, live) VALUES ('Mine', true)",
    "INSERT INTO users (login, name, role, office_id) VALUES ('zed', 'zed', 'rep',"
    " (SELECT id FROM offices WHERE name = 'South'))",
    "DELETE FROM offices",
    "TRUNCATE offices CASCADE",
    "ALTER TABLE offices DISABLE TRIGGER crm_check_office",
    "DROP POLICY offices_update ON offices",
]


@pytest.mark.parametrize("login", ["mia", "sam", "hal", "kim", "cal"])
def test_only_an_administrator_writes_offices_or_sets_a_users_office(
    company: Company, login: str
) -> None:
    offices = company.offices_as_built()
    where = {user: company.office_of(user) for user in company.users}
    with company.db.connect_as(login) as connection:
        for statement in ATTACKS:
            try:
                changed = connection.execute(statement).rowcount
            except psycopg.errors.InsufficientPrivilege:
                changed = 0
            assert changed == 0, statement
    assert company.offices_as_built() == offices
    assert {user: company.office_of(user) for user in company.users} == where


def test_an_administrator_is_not_stopped_by_those_rules(company: Company) -> None:
    """The contrast: the same statements work for a CRM administrator."""
    with company.db.connect_as("ada") as connection:
        connection.execute("INSERT INTO offices (name, live) VALUES ('Beijing', true)")
        assert connection.execute(ATTACKS[3]).rowcount == 5
    assert company.owner_sql("SELECT count(*) FROM offices WHERE live")[0][0] == 5


def test_an_office_is_never_deleted_even_by_an_administrator(company: Company) -> None:
    with (
        company.db.connect_as("ada") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("DELETE FROM offices")
    # The owner holds DELETE as owner, but no policy lets a row go.
    assert company.owner_sql("DELETE FROM offices WHERE name = 'Shenzhen' RETURNING id") == []
    assert company.owner_sql("SELECT count(*) FROM offices")[0][0] == 4


def test_who_changed_an_office_and_when_is_the_servers_to_say(company: Company) -> None:
    stamps = (
        "SELECT created_by, updated_by, updated_at > now() - interval '1 minute'"
        " FROM offices WHERE name = 'Hangzhou'"
    )
    with company.db.connect_as("ada") as connection:
        connection.execute("UPDATE offices SET live = true WHERE name = 'Hangzhou'")
        for column in ("updated_by", "updated_at", "created_by", "id"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(f"UPDATE offices SET {column} = {column} WHERE name = 'East'")
    assert company.owner_sql(stamps) == [("crm_admin", "ada", True)]
    # The owner may name the columns, and the server still says who and when.
    company.owner_sql(
        "UPDATE offices SET updated_by = 'mallory', updated_at = '2000-01-01',"
        " created_by = 'mallory' WHERE name = 'Hangzhou'"
    )
    assert company.owner_sql(stamps) == [("crm_admin", "crm_admin", True)]


# -- the tree never loops -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ada", "owner"])
def test_no_office_goes_under_itself_or_one_of_its_own(company: Company, who: str) -> None:
    connect = company.db.connect_admin if who == "owner" else lambda: company.db.connect_as(who)
    offices = company.offices_as_built()
    with connect() as connection:
        with pytest.raises(
            psycopg.errors.CheckViolation,
            match="the office South cannot go under Shenzhen, which is inside it",
        ):
            connection.execute(
                "UPDATE offices SET parent_id = %s WHERE name = 'South'",
                (company.offices["Shenzhen"],),
            )
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute("UPDATE offices SET parent_id = id WHERE name = 'East'")
        assert company.offices_as_built() == offices
        # A move that closes no loop is fine.
        connection.execute(
            "UPDATE offices SET parent_id = %s WHERE name = 'Shenzhen'", (company.offices["East"],)
        )
    assert company.owner_sql(
        "SELECT p.name FROM offices o JOIN offices p ON p.id = o.parent_id"
        " WHERE o.name = 'Shenzhen'"
    ) == [("East",)]


def test_two_moves_at_once_cannot_close_a_loop(company: Company) -> None:
    with company.db.connect_as("ada") as one, company.db.connect_as("ada") as two:
        one.autocommit = two.autocommit = False
        one.execute(
            "UPDATE offices SET parent_id = %s WHERE name = 'East'", (company.offices["South"],)
        )
        # The second waits for the first, then sees its move and refuses to close the loop.
        two.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            two.execute(
                "UPDATE offices SET parent_id = %s WHERE name = 'South'",
                (company.offices["East"],),
            )
        one.commit()
        two.rollback()
        with pytest.raises(psycopg.errors.CheckViolation, match="which is inside it"):
            two.execute(
                "UPDATE offices SET parent_id = %s WHERE name = 'South'",
                (company.offices["East"],),
            )
    assert company.owner_sql(
        "SELECT o.name, p.name FROM offices o LEFT JOIN offices p ON p.id = o.parent_id"
        " WHERE o.name IN ('South', 'East') ORDER BY 1"
    ) == [("East", "South"), ("South", None)]


def test_an_office_name_is_a_plain_one_line_name(company: Company) -> None:
    for name in ("", "   ", " South2", "Line\nbreak", "Bell\x07"):
        with pytest.raises(psycopg.errors.CheckViolation):
            company.owner_sql("INSERT INTO offices (name) VALUES (%s)", (name,))
    with pytest.raises(psycopg.errors.UniqueViolation):
        company.owner_sql("INSERT INTO offices (name) VALUES ('South')")
    assert company.owner_sql("SELECT count(*) FROM offices")[0][0] == 4


# -- an office that is not live ----------------------------------------------------------------


def test_a_rep_of_an_office_not_live_sees_and_changes_nothing(company: Company) -> None:
    with company.db.connect_as("hal") as connection:
        assert connection.execute("SELECT crm_office_waiting()").fetchone()[0] == "Hangzhou"
        identity = connection.execute(
            "SELECT crm_current_user_id(), crm_current_role(), crm_visible_owner_ids()"
        ).fetchone()
        assert identity == (None, None, None)
        for table in ("customers", "products", "sync_changes", "clerk_assignments"):
            count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert count == 0, table
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('new', %s)", (company.users["hal"],)
            )
        renamed = connection.execute(
            "UPDATE customers SET name = 'renamed' WHERE id = %s", (company.customers["hal"],)
        )
        assert renamed.rowcount == 0
        # Who is who and which offices exist are no secret; they tell him where he stands.
        assert connection.execute("SELECT count(*) FROM users").fetchone()[0] == 9
        assert connection.execute("SELECT count(*) FROM offices").fetchone()[0] == 4
    # What he could not see is there: the change log, the products, his own customer's name.
    assert company.owner_sql("SELECT count(*) > 0 FROM sync_changes")[0][0]
    assert company.owner_sql(
        "SELECT name FROM customers WHERE id = %s", (company.customers["hal"],)
    ) == [("hal Ltd",)]
    assert company.owner_sql("SELECT count(*) FROM customers WHERE name = 'new'")[0][0] == 0


def test_a_manager_of_an_office_not_live_sees_nothing_either(company: Company) -> None:
    company.owner_sql(
        "UPDATE users SET manager_id = %s WHERE login = 'eve'", (company.users["kim"],)
    )
    assert company.seen_by("kim") == []
    with company.db.connect_as("kim") as connection:
        assert connection.execute("SELECT crm_team_ids()").fetchone()[0] == []
        assert connection.execute("SELECT crm_office_waiting()").fetchone()[0] == "Hangzhou"


def test_switching_the_office_live_lets_its_users_work(company: Company) -> None:
    admin.change_office(company.db.admin_dsn, "Hangzhou", live=True)
    with company.db.connect_as("hal") as connection:
        assert connection.execute("SELECT crm_office_waiting()").fetchone()[0] is None
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('new', %s)", (company.users["hal"],)
        )
    assert company.seen_by("hal") == ["hal", "hal", "pool"]
    # And back: not live again, he sees nothing, his customers stay his.
    admin.change_office(company.db.admin_dsn, "Hangzhou", live=False)
    assert company.seen_by("hal") == []
    assert company.owner_of("hal") == "hal"


def test_only_the_offices_own_flag_counts(company: Company) -> None:
    """An office may go live before the one it sits under: Ningbo is live inside Hangzhou."""
    company.add_office("Ningbo", parent="Hangzhou", live=True)
    company.add_user("nat", "rep", office="Ningbo")
    company.customers["nat"] = str(
        company.owner_sql(
            "INSERT INTO customers (name, owner_id) VALUES ('nat Ltd', %s) RETURNING id",
            (company.users["nat"],),
        )[0][0]
    )
    assert company.seen_by("nat") == ["nat", "pool"]
    assert company.seen_by("hal") == []


def test_an_administrator_is_never_held_back_by_his_office(company: Company) -> None:
    company.add_user("ann", "admin", office="Hangzhou")
    with company.db.connect_as("ann") as connection:
        assert connection.execute("SELECT crm_office_waiting()").fetchone()[0] is None
        assert connection.execute("SELECT crm_current_role()").fetchone()[0] == "admin"
    assert len(company.seen_by("ann")) == len(OWNERS) + 1


def test_a_waiting_user_stays_waiting_after_set_role(company: Company) -> None:
    with company.db.connect_as("hal") as connection:
        connection.execute("SET ROLE crm_users")
        assert connection.execute("SELECT crm_office_waiting()").fetchone()[0] == "Hangzhou"
        assert connection.execute("SELECT count(*) FROM customers").fetchone()[0] == 0
