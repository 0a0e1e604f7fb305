"""`crm-desktop claim`, `release` and `assign`, through the real command line: the server
decides at once, the device shows its answer, and a refusal is the rule's own sentence."""

from __future__ import annotations

import pytest

from crm_desktop import cli
from tests.sync.conftest import Fleet


@pytest.fixture
def crm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    def run(fleet: Fleet, login: str, *argv: str) -> tuple[int, str, str]:
        # No keyring on a test machine: libpq's own PGPASSWORD, as the README says.
        monkeypatch.setenv("PGPASSWORD", fleet.db.passwords[login])
        capsys.readouterr()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def pool_customer(fleet: Fleet, name: str = "公海客户") -> str:
    return fleet.admin(
        "INSERT INTO customers (id, name) VALUES (gen_random_uuid(), %s) RETURNING id::text",
        (name,),
    )[0][0]


def history(fleet: Fleet, customer: str) -> list[tuple]:
    return fleet.admin(
        "SELECT kind, u.login, h.reason FROM customer_ownership h"
        " LEFT JOIN users u ON u.id = h.changed_by WHERE customer_id = %s ORDER BY h.id",
        (customer,),
    )


def test_claim_release_and_assign_from_the_command_line(fleet: Fleet, crm) -> None:
    customer = pool_customer(fleet)
    rob, mia = fleet.device("rob"), fleet.device("mia")
    rob.sync()
    profile = ["--profile", str(rob.directory)]

    code, out, err = crm(fleet, "rob", "claim", customer, *profile)
    assert (code, out, err) == (0, "The customer is yours now.\n", "")
    assert rob.row("customers", customer).owner_id == fleet.user_ids["rob"]  # shown at once

    code, out, _ = crm(fleet, "rob", "release", customer, "--reason", "客户搬走了", *profile)
    assert (code, out) == (0, "The customer is back in the public pool.\n")
    assert rob.row("customers", customer).owner_id is None
    # Claimed back at once: the reclaim block says until when.
    code, _, err = crm(fleet, "rob", "claim", customer, *profile)
    assert code == 1
    assert "you may claim it back from" in err and "reclaim_block_days" in err

    mia.sync()
    code, out, _ = crm(
        fleet, "mia", "assign", customer, "--to", "rob", "--profile", str(mia.directory)
    )
    assert (code, out) == (0, "The customer now belongs to “rob”.\n")
    assert [row[:2] for row in history(fleet, customer)] == [
        ("entered", None),
        ("claimed", "rob"),
        ("released", "rob"),
        ("assigned", "mia"),
    ]
    assert history(fleet, customer)[2][2] == "客户搬走了"
    # rae is not in mia's team.
    code, _, err = crm(
        fleet, "mia", "assign", customer, "--to", "rae", "--profile", str(mia.directory)
    )
    assert code == 1 and "there is no such user in your team" in err


def test_a_claim_of_a_customer_someone_took_first_is_one_sentence(fleet: Fleet, crm) -> None:
    customer = pool_customer(fleet)
    rob, rae = fleet.device("rob"), fleet.device("rae")
    rob.sync()
    rae.sync()
    assert crm(fleet, "rae", "claim", customer, "--profile", str(rae.directory))[0] == 0
    code, _, err = crm(fleet, "rob", "claim", customer, "--profile", str(rob.directory))
    assert code == 1
    assert "not in the pool any more" in err
    # rob's device learns the customer left the pool (he no longer sees it at all).
    assert rob.row("customers", customer) is None


def test_the_claim_cap_is_said_in_words(fleet: Fleet, crm) -> None:
    fleet.admin("UPDATE crm_rules SET value = 1 WHERE key = 'claim_per_day'")
    first, second = pool_customer(fleet, "甲"), pool_customer(fleet, "乙")
    rob = fleet.device("rob")
    rob.sync()
    assert crm(fleet, "rob", "claim", first, "--profile", str(rob.directory))[0] == 0
    code, _, err = crm(fleet, "rob", "claim", second, "--profile", str(rob.directory))
    assert code == 1
    assert "as many customers as one may in 24 hours (rule claim_per_day)" in err
    assert rob.row("customers", second).owner_id is None


def test_a_mistyped_id_is_one_sentence_before_any_server_work(fleet: Fleet, crm) -> None:
    rob = fleet.device("rob")
    for command in (["claim"], ["release", "--reason", "x"], ["assign", "--to", "rae"]):
        code, out, err = crm(
            fleet, "rob", command[0], "12345", *command[1:], "--profile", str(rob.directory)
        )
        assert (code, out) == (1, "")
        assert err == (
            "crm-desktop: “12345” is not a customer's id; copy it from the customer's page or "
            "an export.\n"
        )


def test_a_customer_given_to_a_clerk_is_refused_in_words(fleet: Fleet, crm) -> None:
    """Server 0035: a clerk of the manager's own team is no owner; the command says why."""
    fleet.db.add_user("cal", "clerk", manager="mia")
    customer = pool_customer(fleet)
    mia = fleet.device("mia")
    mia.sync()
    code, _, err = crm(
        fleet, "mia", "assign", customer, "--to", "cal", "--profile", str(mia.directory)
    )
    assert code == 1
    assert err.strip() == (
        "crm-desktop: “cal” is a clerk or an administrator: only a rep or a manager may own "
        "customers."
    )
    assert fleet.admin("SELECT owner_id FROM customers WHERE id = %s", (customer,)) == [(None,)]
