"""`crm-desktop server`: set up the shared PostgreSQL server and add its users.

    crm-desktop server init --dsn DSN
    crm-desktop server add-user NAME --role admin|manager|rep|clerk [--manager NAME]
                                [--name "Display Name"] [--office OFFICE] --dsn DSN
    crm-desktop server change-user NAME [--name DISPLAY] [--role ROLE]
                                   [--manager LOGIN | --no-manager] --dsn DSN
    crm-desktop server add-finance-user NAME --dsn DSN   (reads the erp_ views, nothing else)
    crm-desktop server pgbouncer-login [--login NAME] --dsn SUPERUSER-DSN
                                   (pgbouncer's auth_user and auth_query, per database)
    crm-desktop server add-office NAME [--parent OFFICE] [--live] --dsn DSN
    crm-desktop server office NAME [--live | --not-live] [--parent OFFICE] --dsn DSN
    crm-desktop server offices --dsn DSN                  (the tree, live or not, users)
    crm-desktop server move-user NAME --office OFFICE | --no-office --dsn DSN
    crm-desktop server trim-log [--older-than-days 90] --dsn DSN
    crm-desktop server deactivate-user NAME --dsn DSN     (activate-user NAME undoes it)
    crm-desktop server rules [--dsn DSN]                  (the public pool's rules)
    crm-desktop server rules set KEY VALUE [--dsn DSN]
    crm-desktop server company [--dsn DSN]                (the letterhead quotes print)
    crm-desktop server company set [--name TEXT] [--address TEXT] [--phone TEXT] [--email TEXT]
                               [--website TEXT] [--tax-id TEXT] [--logo FILE | --no-logo]
                               [--dsn DSN]
    crm-desktop server apply-rules [--dry-run] [--dsn DSN]
                                   (grade customers, return due ones to the pool)
    crm-desktop server handover --from NAME --to NAME [--dry-run] [--dsn DSN]
    crm-desktop server assign-clerk CLERK --rep REP --until YYYY-MM-DD [--dsn DSN]
    crm-desktop server unassign-clerk CLERK --rep REP [--dsn DSN]
    crm-desktop server backup | restore | status | upgrade ...   (commands/server_maintenance.py)

DSN is a libpq URL or key=value string for the deployment admin role (no superuser is needed
but for pgbouncer-login); its password may come from PGPASSWORD or ~/.pgpass instead. DSNs are
never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from typing import TextIO

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands import server_maintenance
from crm_desktop.commands.errors import UserError
from crm_desktop.commands.values import whole_number
from crm_desktop.models.choices import Role
from crm_desktop.sync.server.admin import (
    LETTERHEAD_LABELS,
    MAX_TRIM_DAYS,
    RULE_HELP,
    OfficeTree,
    RulesRun,
    ServerLetterhead,
    UserChange,
    add_crm_user,
    add_finance_user,
    add_office,
    apply_rules,
    assign_clerk,
    change_office,
    change_user,
    check_login,
    check_office_name,
    check_role,
    check_user_name,
    clerk_until,
    handover,
    move_user,
    read_letterhead,
    read_logo,
    read_offices,
    read_rules,
    set_active,
    set_letterhead,
    set_password,
    set_rule,
    trim_change_log,
    unassign_clerk,
)
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.grades import NO_GRADE
from crm_desktop.sync.server.pooler import AUTH_QUERY, POOLER_LOGIN, set_up_pooler_login
from crm_desktop.sync.server.schema import init_server

translate = QCoreApplication.translate

DSN_HELP = QT_TRANSLATE_NOOP(
    "CommandLine",
    "libpq URL or connection string of the admin role, e.g. "
    "'postgresql://crm_admin@db.example.com/crm?sslmode=verify-full&sslrootcert=ca.crt' "
    "(default: the PG* environment variables)",
)


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", "set up the shared PostgreSQL server and add its users"),
        description=translate(
            "CommandLine",
            "Create or upgrade the CRM schema on the shared PostgreSQL server, "
            "and add users (each one a PostgreSQL login role).",
        ),
    )
    actions = parser.add_subparsers(dest="server_action", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init",
        help=translate("CommandLine", "create or upgrade the schema (safe to run again)"),
        description=translate(
            "CommandLine",
            "Create the CRM tables, change log and access rules, or upgrade them. "
            "Running it again on an up-to-date server changes nothing.",
        ),
    )
    init.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    user = actions.add_parser(
        "add-user",
        help=translate("CommandLine", "add a user (a PostgreSQL login role)"),
        description=translate(
            "CommandLine",
            "Create a login role for a CRM user and give it its CRM role. The password "
            "is read from standard input when it is not a terminal, otherwise asked twice.",
        ),
    )
    user.add_argument(
        "login", metavar="NAME", help=translate("CommandLine", "login name (lower case)")
    )
    user.add_argument(
        "--role",
        required=True,
        help=translate("CommandLine", "one of {roles}").format(
            roles=", ".join(member.value for member in Role)
        ),
    )
    user.add_argument(
        "--manager", metavar="NAME", help=translate("CommandLine", "login of the user's manager")
    )
    user.add_argument(
        "--name", help=translate("CommandLine", "display name (default: the login name)")
    )
    user.add_argument(
        "--office",
        metavar="OFFICE",
        help=translate("CommandLine", "the office he works in (default: the head office)"),
    )
    user.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    change = actions.add_parser(
        "change-user",
        help=translate("CommandLine", "change a user's display name, role or manager"),
        description=translate(
            "CommandLine",
            "Change an existing user's display name, CRM role or manager; what is not "
            "given stays as it is. What he sees follows his new role and team from his devices' "
            "next sync. A user keeps his role while it is needed: customers he owns go to someone "
            "else first (server handover), his team to another manager, and a clerk assignment "
            "joining him is ended first (server unassign-clerk). Administrators only.",
        ),
    )
    change.add_argument("login", metavar="NAME", help=translate("CommandLine", "login name"))
    change.add_argument(
        "--name", metavar="DISPLAY", help=translate("CommandLine", "his new display name")
    )
    change.add_argument(
        "--role",
        metavar="ROLE",
        help=translate("CommandLine", "one of {roles}").format(
            roles=", ".join(member.value for member in Role)
        ),
    )
    reports_to = change.add_mutually_exclusive_group()
    reports_to.add_argument(
        "--manager",
        metavar="LOGIN",
        help=translate("CommandLine", "login of his new manager (a manager or an admin)"),
    )
    reports_to.add_argument(
        "--no-manager", action="store_true", help=translate("CommandLine", "he reports to nobody")
    )
    change.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    password = actions.add_parser(
        "set-password",
        help=translate("CommandLine", "give a user a new password"),
        description=translate(
            "CommandLine",
            "Give a CRM user a new password, for one he forgot or one others may know. "
            "The password is read from standard input when it is not a terminal, otherwise asked "
            "twice. His devices ask for it at their next sync.",
        ),
    )
    password.add_argument(
        "login", metavar="NAME", help=translate("CommandLine", "the user's login name")
    )
    password.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    finance = actions.add_parser(
        "add-finance-user",
        help=translate("CommandLine", "add a read-only login for a finance or ERP system"),
        description=translate(
            "CommandLine",
            "Create a login role that reads the views erp_customers, erp_contracts "
            "and erp_payments and nothing else (it is not a CRM user). The password is read from "
            "standard input when it is not a terminal, otherwise asked twice.",
        ),
    )
    finance.add_argument(
        "login", metavar="NAME", help=translate("CommandLine", "login name (lower case)")
    )
    finance.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    pooler = actions.add_parser(
        "pgbouncer-login",
        help=translate(
            "CommandLine", "make the login pgbouncer looks users up with (run as the superuser)"
        ),
        description=translate(
            "CommandLine",
            "Make the login pgbouncer's auth_user logs in as, and the function its "
            "auth_query calls, in the database of --dsn: pgbouncer then checks each user's own "
            "password without being the superuser. Connect as the superuser, straight to "
            "PostgreSQL; run it again for each database pgbouncer serves. The password is read "
            "from standard input when it is not a terminal, otherwise asked twice.",
        ),
    )
    pooler.add_argument(
        "--login",
        default=POOLER_LOGIN,
        metavar="NAME",
        help=translate("CommandLine", "default: {login}").format(login=POOLER_LOGIN),
    )
    pooler.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    _add_office_parsers(actions)

    trim = actions.add_parser(
        "trim-log",
        help=translate("CommandLine", "delete old entries of the change log"),
        description=translate(
            "CommandLine",
            "Delete change-log entries older than the given number of days. A device "
            "that has not synced since then downloads everything again at its next sync.",
        ),
    )
    trim.add_argument(
        "--older-than-days",
        type=whole_number,
        default=90,
        metavar="DAYS",
        help=translate("CommandLine", "1 to {most} (default: 90)").format(most=MAX_TRIM_DAYS),
    )
    trim.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    for action, what, described in (
        (
            "deactivate-user",
            translate("CommandLine", "disable a user: he can no longer log in; his records stay"),
            translate("CommandLine", "Disable a user: he can no longer log in; his records stay."),
        ),
        (
            "activate-user",
            translate("CommandLine", "enable a deactivated user again"),
            translate("CommandLine", "Enable a deactivated user again."),
        ),
    ):
        toggle = actions.add_parser(action, help=what, description=described)
        toggle.add_argument("login", metavar="NAME", help=translate("CommandLine", "login name"))
        toggle.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    apply = actions.add_parser(
        "apply-rules",
        help=translate(
            "CommandLine",
            "grade customers by value and return those nobody followed up to the pool",
        ),
        description=translate(
            "CommandLine",
            "Grade every customer A, B or C by what it paid in the last 12 months "
            "(a grade fixed by a manager stays), then return to the public pool every customer "
            "whose time without a follow-up has run out, by the rules (`server rules`) and its "
            "new grade. Devices return their own customers at each sync; run this as a daily "
            "scheduled job, as an administrator. --dry-run changes nothing and says what it "
            "would do.",
        ),
    )
    apply.add_argument(
        "--dry-run",
        action="store_true",
        help=translate("CommandLine", "say what would change, change nothing"),
    )
    apply.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    clerk = actions.add_parser(
        "assign-clerk",
        help=translate(
            "CommandLine", "let a clerk enter records for a rep until a date (or extend it)"
        ),
        description=translate(
            "CommandLine",
            "Let a clerk see and enter the rep's records, on the rep's behalf, until "
            "the end of the given day: today at the earliest, at most a year ahead. Running it "
            "again changes the date.",
        ),
    )
    clerk.add_argument("clerk", metavar="CLERK", help=translate("CommandLine", "the clerk's login"))
    clerk.add_argument(
        "--rep", required=True, metavar="REP", help=translate("CommandLine", "the rep's login")
    )
    clerk.add_argument(
        "--until",
        required=True,
        metavar="YYYY-MM-DD",
        help=translate("CommandLine", "the last day"),
    )
    clerk.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    unclerk = actions.add_parser(
        "unassign-clerk",
        help=translate("CommandLine", "end a clerk's grace period for a rep now"),
        description=translate(
            "CommandLine",
            "End a clerk's access to a rep's records now; his devices lose them at "
            "their next sync, and a change he makes after this is refused.",
        ),
    )
    unclerk.add_argument(
        "clerk", metavar="CLERK", help=translate("CommandLine", "the clerk's login")
    )
    unclerk.add_argument(
        "--rep", required=True, metavar="REP", help=translate("CommandLine", "the rep's login")
    )
    unclerk.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    hand = actions.add_parser(
        "handover",
        help=translate("CommandLine", "give everything a leaving user owns to another user"),
        description=translate(
            "CommandLine",
            "Move a user's customers, open opportunities and open tasks to another "
            "user in one transaction, recorded in each customer's history as a handover. "
            "--dry-run only counts them.",
        ),
    )
    hand.add_argument(
        "--from",
        dest="leaver",
        required=True,
        metavar="NAME",
        help=translate("CommandLine", "who leaves"),
    )
    hand.add_argument(
        "--to",
        dest="receiver",
        required=True,
        metavar="NAME",
        help=translate("CommandLine", "who takes over"),
    )
    hand.add_argument(
        "--dry-run", action="store_true", help=translate("CommandLine", "count, change nothing")
    )
    hand.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    rules = actions.add_parser(
        "rules",
        help=translate("CommandLine", "show or change the public pool's rules"),
        description=translate(
            "CommandLine",
            "Show the rules for returning customers to the public pool and for "
            "claiming them, or change one (administrators only).",
        ),
    )
    rules.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    rules_actions = rules.add_subparsers(dest="rules_action", metavar="set")
    change = rules_actions.add_parser(
        "set",
        help=translate("CommandLine", "change one rule"),
        description=translate(
            "CommandLine",
            "Change one rule. A per-grade override (pool_return_days_A, _B, _C) "
            "is cleared with the value 'none'.",
        ),
    )
    change.add_argument(
        "key", metavar="KEY", choices=list(RULE_HELP), help=translate("CommandLine", "the rule")
    )
    change.add_argument(
        "value", metavar="VALUE", help=translate("CommandLine", "a whole number (or 'none')")
    )
    # SUPPRESS: a --dsn given before `set` must not be overwritten by this one's default, or the
    # change would go to whatever database the PG* environment variables name.
    change.add_argument("--dsn", default=argparse.SUPPRESS, help=translate("CommandLine", DSN_HELP))
    _add_company_parsers(actions)
    server_maintenance.add_parsers(actions, DSN_HELP)
    return parser


# The letterhead's fields by their command-line options (--tax-id for tax_id).
COMPANY_OPTIONS = {key: "--" + key.replace("_", "-") for key in LETTERHEAD_LABELS}


def _add_company_parsers(actions: argparse._SubParsersAction) -> None:
    company = actions.add_parser(
        "company",
        help=translate("CommandLine", "show or change the company letterhead that quotes print"),
        description=translate(
            "CommandLine",
            "Show the company letterhead (name, address, phone, email, website, tax "
            "number and logo) that quotes printed as PDF carry, or change it (administrators "
            "only). Every device gets it at its next sync.",
        ),
    )
    company.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))
    company_actions = company.add_subparsers(dest="company_action", metavar="set")
    change = company_actions.add_parser(
        "set",
        help=translate("CommandLine", "change the letterhead"),
        description=translate(
            "CommandLine",
            "Change the fields given; the others stay as they are. An empty value "
            'clears a field (--name "" leaves quotes without a letterhead).',
        ),
    )
    for key, option in COMPANY_OPTIONS.items():
        change.add_argument(
            option,
            dest=f"letterhead_{key}",
            metavar="TEXT",
            help=translate("Letterhead", LETTERHEAD_LABELS[key]).lower(),
        )
    logo = change.add_mutually_exclusive_group()
    logo.add_argument(
        "--logo",
        metavar="FILE",
        help=translate("CommandLine", "a PNG or JPEG image of at most 512 KiB"),
    )
    logo.add_argument(
        "--no-logo",
        action="store_true",
        help=translate("CommandLine", "print quotes without a logo"),
    )
    change.add_argument(
        "--dsn", default=argparse.SUPPRESS, help=translate("CommandLine", DSN_HELP)
    )  # as rules set's


OFFICE_ACTIONS = ("add-office", "office", "offices", "move-user")


def _add_office_parsers(actions: argparse._SubParsersAction) -> None:
    add = actions.add_parser(
        "add-office",
        help=translate("CommandLine", "add an office (not live until switched on)"),
        description=translate(
            "CommandLine",
            "Add an office, at the top of the tree or under another office. Its users "
            "can log in but see nothing until it is live (--live, or later `server office NAME "
            "--live`), so the company can start one office at a time.",
        ),
    )
    add.add_argument("name", metavar="NAME", help=translate("CommandLine", "the office's name"))
    add.add_argument(
        "--parent", metavar="OFFICE", help=translate("CommandLine", "the office it belongs under")
    )
    add.add_argument("--live", action="store_true", help=translate("CommandLine", "live at once"))
    add.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    change = actions.add_parser(
        "office",
        help=translate(
            "CommandLine", "switch an office live or not, or move it under another office"
        ),
        description=translate(
            "CommandLine",
            "Switch an office live (its users start working at their next sync) or "
            "not yet live (they see nothing; their devices keep what they have), or move it under "
            "another office.",
        ),
    )
    change.add_argument("name", metavar="NAME", help=translate("CommandLine", "the office's name"))
    switch = change.add_mutually_exclusive_group()
    switch.add_argument(
        "--live",
        dest="live",
        action="store_const",
        const=True,
        help=translate("CommandLine", "live"),
    )
    switch.add_argument(
        "--not-live",
        dest="live",
        action="store_const",
        const=False,
        help=translate("CommandLine", "not yet live"),
    )
    change.add_argument(
        "--parent", metavar="OFFICE", help=translate("CommandLine", "move it under this office")
    )
    change.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    tree = actions.add_parser(
        "offices",
        help=translate(
            "CommandLine", "show the offices: the tree, which are live, how many users each has"
        ),
        description=translate(
            "CommandLine",
            "List the offices as a tree, each with whether it is live and how many "
            "active users work there.",
        ),
    )
    tree.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))

    move = actions.add_parser(
        "move-user",
        help=translate("CommandLine", "put a user in an office (or back in the head office)"),
        description=translate(
            "CommandLine",
            "Put an existing user in an office, or with --no-office back in the head "
            "office. What he sees follows at his next sync.",
        ),
    )
    move.add_argument("login", metavar="NAME", help=translate("CommandLine", "login name"))
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--office",
        metavar="OFFICE",
        help=translate("CommandLine", "the office he works in from now"),
    )
    where.add_argument(
        "--no-office", action="store_true", help=translate("CommandLine", "the head office")
    )
    move.add_argument("--dsn", default="", help=translate("CommandLine", DSN_HELP))


def run_offices(args: argparse.Namespace) -> int:
    if args.server_action == "add-office":
        add_office(args.dsn, args.name, parent=args.parent, live=args.live)
        under = f" under “{args.parent.strip()}”" if args.parent else ""
        state = "live" if args.live else "not live yet"
        print(f"Added office “{args.name.strip()}”{under}, {state}.")
        return 0
    if args.server_action == "office":
        change_office(args.dsn, args.name, live=args.live, parent=args.parent)
        name = args.name.strip()
        if args.parent:
            print(f"“{name}” is now under “{args.parent.strip()}”.")
        if args.live is not None:
            if args.live:
                print(f"“{name}” is live: its users work from their next sync.")
            else:
                print(f"“{name}” is not live: its users see nothing until it is.")
        return 0
    if args.server_action == "offices":
        print_offices(read_offices(args.dsn))
        return 0
    office = None if args.no_office else args.office
    move_user(args.dsn, args.login, office)
    where = f"“{office.strip()}”" if office else "the head office"
    print(f"“{args.login}” now works in {where}.")
    return 0


def print_offices(tree: OfficeTree) -> None:
    """One line per office, indented under the office it belongs to."""
    if not tree.offices:
        print("No offices yet: every user is in the head office, which is always live.")
        return
    for office in tree.offices:
        state = "live" if office.live else "not live yet"
        print(f"{'  ' * office.depth}{office.name}: {state}, {_users(office.users)}")
    print(f"(head office, always live): {_users(tree.head_office_users)}")


def _users(count: int) -> str:
    return f"{count} user" if count == 1 else f"{count} users"


def run(args: argparse.Namespace) -> int:
    try:
        if args.server_action in server_maintenance.ACTIONS:
            return server_maintenance.run(args)
        if args.server_action == "rules":
            return run_rules(args)
        if args.server_action == "company":
            return run_company(args)
        if args.server_action == "assign-clerk":
            last_day = _day(args.until)
            assign_clerk(args.dsn, args.clerk, args.rep, clerk_until(last_day))
            print(f"“{args.clerk}” enters records for “{args.rep}” until {last_day} inclusive.")
            return 0
        if args.server_action == "unassign-clerk":
            unassign_clerk(args.dsn, args.clerk, args.rep)
            print(f"“{args.clerk}” no longer enters records for “{args.rep}”.")
            return 0
        if args.server_action == "handover":
            moved = handover(args.dsn, args.leaver, args.receiver, dry_run=args.dry_run)
            what = (
                f"{moved.customers} customer(s), {moved.open_opportunities} open "
                f"opportunit{'y' if moved.open_opportunities == 1 else 'ies'}, "
                f"{moved.open_tasks} open task(s) and {moved.running_contracts} running "
                f"contract(s)"
            )
            if args.dry_run:
                print(f"Would hand {what} from “{args.leaver}” to “{args.receiver}”.")
            else:
                print(f"Handed {what} from “{args.leaver}” to “{args.receiver}”.")
            if moved.receiver_office_waiting:
                note = translate(
                    "CommandLine",
                    "Note: “{login}” works at {office}, which is not live yet: he can neither "
                    'sync nor see what he receives until it is (`server office "{office}" '
                    "--live`).",
                )
                print(note.format(login=args.receiver, office=moved.receiver_office_waiting))
            return 0
        if args.server_action == "apply-rules":
            print_rules_run(apply_rules(args.dsn, dry_run=args.dry_run), args.dry_run)
            return 0
        if args.server_action == "add-finance-user":
            return run_add_finance_user(args.login, args.dsn)
        if args.server_action == "set-password":
            return run_set_password(args.login, args.dsn)
        if args.server_action == "pgbouncer-login":
            return run_pooler_login(args.login, args.dsn)
        if args.server_action == "init":
            return run_init(args.dsn)
        if args.server_action == "trim-log":
            count = trim_change_log(args.dsn, args.older_than_days)
            print(f"Deleted {count} change-log entries older than {args.older_than_days} days.")
            return 0
        if args.server_action in ("deactivate-user", "activate-user"):
            active = args.server_action == "activate-user"
            owned = set_active(args.dsn, args.login, active)
            print(f"“{args.login}” can {'now' if active else 'no longer'} log in.")
            if not active and owned:
                # His customers keep counting down to the pool with nobody to follow them up.
                print(
                    f"“{args.login}” still owns {owned:,} customers: hand them over with "
                    f"`crm-desktop server handover --from {args.login} --to LOGIN`."
                )
            return 0
        if args.server_action in OFFICE_ACTIONS:
            return run_offices(args)
        if args.server_action == "change-user":
            changed = change_user(
                args.dsn,
                args.login,
                name=args.name,
                role=args.role,
                manager=args.manager,
                clear_manager=args.no_manager,
            )
            print(describe_change(changed))
            return 0
        return run_add_user(args.login, args.role, args.dsn, args.manager, args.name, args.office)
    except ServerAdminError as error:
        raise UserError(str(error)) from None


def describe_change(change: UserChange) -> str:
    """One sentence: each thing that changed, before → after, or that nothing needed to."""
    if change.nothing():
        return f"“{change.login}” already is as asked; nothing was changed."
    parts = []
    if change.name:
        parts.append(f"name “{change.name[0]}” → “{change.name[1]}”")
    if change.role:
        parts.append(f"role {change.role[0]} → {change.role[1]}")
    if change.manager:
        before, after = (f"“{login}”" if login else "none" for login in change.manager)
        parts.append(f"manager {before} → {after}")
    return f"Changed “{change.login}”: {'; '.join(parts)}."


def print_rules_run(run: RulesRun, dry_run: bool) -> None:
    """How many customers changed grade (to which), and how many returned to the pool; a dry
    run also lists each customer whose grade would change."""
    to = ", ".join(f"to {grade}: {count}" for grade, count in sorted(run.graded.items()))
    if dry_run:
        if run.changes:
            print(f"Would change the grade of {len(run.changes)} customer(s) ({to}):")
            for change in run.changes:
                print(f"  {change.name}: {change.old or NO_GRADE} → {change.new}")
        else:
            print("No customer would change grade.")
        print(f"Would return {run.returned} customer(s) to the public pool.")
        return
    if run.regraded:
        print(f"Changed the grade of {run.regraded} customer(s) ({to}).")
    else:
        print("No customer changed grade.")
    print(f"Returned {run.returned} customer(s) to the public pool.")


def _day(typed: str) -> date:
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise ServerAdminError(f"“{typed}” is not a date; write it as YYYY-MM-DD.") from None


def run_rules(args: argparse.Namespace) -> int:
    if args.rules_action == "set":
        rule = set_rule(args.dsn, args.key, args.value)
        print(f"{rule.key} is now {_shown(rule.value)}.")
        return 0
    for rule in read_rules(args.dsn):
        changed = f"{rule.updated_by}, {rule.updated_at:%Y-%m-%d %H:%M}"
        print(f"{rule.key:<26} {_shown(rule.value):>7}  {RULE_HELP[rule.key]} ({changed})")
    return 0


def run_company(args: argparse.Namespace) -> int:
    if args.company_action != "set":
        print_letterhead(read_letterhead(args.dsn))
        return 0
    changes: dict[str, object] = {
        key: getattr(args, f"letterhead_{key}")
        for key in COMPANY_OPTIONS
        if getattr(args, f"letterhead_{key}") is not None
    }
    if args.no_logo:
        changes["logo"] = None
    elif args.logo is not None:
        changes["logo"] = read_logo(args.logo)
    if not changes:
        options = ", ".join(COMPANY_OPTIONS.values())
        raise ServerAdminError(f"Say what to change: {options}, --logo FILE or --no-logo.")
    print_letterhead(set_letterhead(args.dsn, changes))
    print("Every device gets it at its next sync.")
    return 0


def print_letterhead(letterhead: ServerLetterhead) -> None:
    """One line per field, the logo's type and size, and who changed it last."""
    width = max(len(label) for label in LETTERHEAD_LABELS.values()) + 2
    for key, label in LETTERHEAD_LABELS.items():
        value = getattr(letterhead, key) or ""
        if key == "name" and not value:
            value = "(not set: quotes print without a letterhead)"
        print(f"{label + ':':<{width}}{value}")
    logo = "none"
    if letterhead.logo is not None:
        kind = "PNG" if letterhead.logo_type == "image/png" else "JPEG"
        logo = f"{kind}, {-(-len(letterhead.logo) // 1024)} KiB"
    print(f"{'Logo:':<{width}}{logo}")
    print(f"Last changed by {letterhead.updated_by}, {letterhead.updated_at:%Y-%m-%d %H:%M}")


def _shown(value: int | None) -> str:
    return "none" if value is None else str(value)


def run_init(dsn: str) -> int:
    result = init_server(dsn)
    if result.changed:
        was = result.previous or "empty"
        print(f"Server schema upgraded from {was} to revision {result.current}.")
    else:
        print(f"Server schema already at revision {result.current}; nothing to do.")
    return 0


def run_add_user(
    login: str,
    role: str,
    dsn: str,
    manager: str | None = None,
    name: str | None = None,
    office: str | None = None,
    stdin: TextIO | None = None,
) -> int:
    # Check what we can before asking for a password the user would then type for nothing.
    check_login(login)
    check_role(role)
    check_user_name(name, login)
    if office is not None:
        check_office_name(office)
    password = read_password(login, stdin or sys.stdin)
    added = add_crm_user(dsn, login, role, password, manager=manager, name=name, office=office)
    where = f" in “{office.strip()}”" if office else ""
    print(f"Added {role} “{login}”{where}.")
    if added.took_over_login:
        print(
            f"“{login}” had a login on this server already, left from before a restore; it is "
            "his again, with the new password."
        )
    return 0


def run_set_password(login: str, dsn: str, stdin: TextIO | None = None) -> int:
    password = _checked_login_password(login, stdin)
    set_password(dsn, login, password)
    print(
        f"“{login}” has a new password. His devices ask for it at their next sync; give it to "
        "him in person."
    )
    return 0


def run_add_finance_user(login: str, dsn: str, stdin: TextIO | None = None) -> int:
    password = _checked_login_password(login, stdin)
    add_finance_user(dsn, login, password)
    print(f"Added finance login “{login}”: it reads erp_customers, erp_contracts and erp_payments.")
    return 0


def run_pooler_login(login: str, dsn: str, stdin: TextIO | None = None) -> int:
    password = _checked_login_password(login, stdin)
    set_up_pooler_login(dsn, password, login)
    print(
        f"pgbouncer may now look users up as “{login}”. In pgbouncer.ini:\n"
        f"auth_user = {login}\n"
        f"auth_query = {AUTH_QUERY}\n"
        f"and in its auth_file, {login}'s password (or its SCRAM verifier)."
    )
    return 0


def _checked_login_password(login: str, stdin: TextIO | None) -> str:
    """The password for `login`, asked only once the login is one a role may have: nobody
    types a password for a name refused straight after."""
    check_login(login)
    return read_password(login, stdin or sys.stdin)


def read_password(login: str, stdin: TextIO) -> str:
    """From a pipe, the first line; at a terminal, asked twice without echo."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {login}: ")
    second = getpass.getpass("Again: ")
    if first != second:
        raise UserError("The two passwords differ; nothing was changed.")
    return first
