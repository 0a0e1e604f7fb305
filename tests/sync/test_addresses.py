"""The server address as people type it: a plain host, a URL, a key=value string. Pure: no
server, no profile."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from crm_desktop.sync import link, tls
from crm_desktop.sync.errors import MESSAGES, SyncError, SyncProblem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("crm.example.com", {"host": "crm.example.com", "dbname": "crm"}),
        ("crm.example.com:5433", {"host": "crm.example.com", "port": "5433", "dbname": "crm"}),
        ("10.0.0.5:5432", {"host": "10.0.0.5", "port": "5432", "dbname": "crm"}),
        ("[::1]:5432", {"host": "::1", "port": "5432", "dbname": "crm"}),
        ("::1", {"host": "::1", "dbname": "crm"}),
        ("crm.example.com/sales", {"host": "crm.example.com", "dbname": "sales"}),
        (
            "  crm.example.com:5433/sales  ",
            {"host": "crm.example.com", "port": "5433", "dbname": "sales"},
        ),
        ("crm.example.com/", {"host": "crm.example.com", "dbname": "crm"}),
        (
            "crm.example.com/crm?sslmode=verify-full",
            {"host": "crm.example.com", "dbname": "crm", "sslmode": "verify-full"},
        ),
        ("localhost", {"host": "localhost", "dbname": "crm"}),
    ],
)
def test_a_plain_address(typed: str, expected: dict[str, str]) -> None:
    params, password = link.parse_address(typed)
    assert params == expected
    assert password is None
    assert conninfo_to_dict(link.address(params)) == params  # stored, it reads back the same


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # The URL and key=value forms keep libpq's own meaning: no database is added.
        (
            "postgresql://crm.example.com:5433/sales",
            {"host": "crm.example.com", "port": "5433", "dbname": "sales"},
        ),
        ("postgres://crm.example.com", {"host": "crm.example.com"}),
        ("postgresql://[::1]:5432/crm", {"host": "::1", "port": "5432", "dbname": "crm"}),
        (
            "host=crm.example.com port=5433 dbname=sales",
            {"host": "crm.example.com", "port": "5433", "dbname": "sales"},
        ),
        ("host=a.test,b.test port=5432,", {"host": "a.test,b.test", "port": "5432,"}),
        (
            "host=crm.test hostaddr=10.0.0.5 connect_timeout=5",
            {"host": "crm.test", "hostaddr": "10.0.0.5", "connect_timeout": "5"},
        ),
    ],
)
def test_urls_and_key_value_strings(typed: str, expected: dict[str, str]) -> None:
    assert link.parse_address(typed) == (expected, None)


def test_a_login_in_a_plain_address_is_taken_out() -> None:
    params, password = link.parse_address("rob:s3cret@crm.example.com:5433/sales")
    assert params == {"host": "crm.example.com", "port": "5433", "dbname": "sales"}
    assert password == "s3cret"


@pytest.mark.parametrize(
    "typed",
    [
        "postgresql://host:notaport/db",
        "crm.example.com:notaport",
        "crm.example.com:0",
        "crm.example.com:65536",
        "crm.example.com:-1/crm",
        "host=",
        "host=crm.test port=",
        "host=crm.test dbname=",
        "host=[::1] port=5432",
        "host=crm.test port=abc",
        "host=crm.test hostaddr=not-an-ip",
        "host=crm.test sslmode=bogus",
        "postgresql://crm.test/crm?connect_timeout=abc",
        "postgresql://crm.test/crm?foo=bar",
        "crm example com",
        "crm.example.com s3cret",
        "host=crm.test s3cret",
        "[::1",
    ],
)
def test_a_bad_address_is_the_address_sentence(typed: str) -> None:
    with pytest.raises(SyncError) as caught:
        link.parse_address(typed)
    assert caught.value.problem is SyncProblem.ADDRESS
    assert caught.value.text() == MESSAGES[SyncProblem.ADDRESS]
    assert "s3cret" not in caught.value.text()


@pytest.mark.parametrize(
    ("typed", "sslmode"),
    [
        ("crm.example.com", "require"),
        ("10.0.0.5:5432/crm", "require"),
        ("crm.example.com/crm?sslmode=prefer", "require"),
        ("crm.example.com/crm?sslmode=verify-full", "verify-full"),
        ("127.0.0.1:5432/crm", None),
        ("[::1]:5432", None),
        ("localhost/crm", None),
    ],
)
def test_a_plain_address_keeps_the_tls_rules(typed: str, sslmode: str | None) -> None:
    params, _password = link.parse_address(typed)
    assert tls.with_tls(params).get("sslmode") == sslmode


def test_the_unreachable_sentence_promises_nothing() -> None:
    connecting = MESSAGES[SyncProblem.UNREACHABLE]
    assert "later" not in connecting and "check the address" in connecting
    assert "sent at the next sync" in MESSAGES[SyncProblem.OFFLINE]  # background syncs keep theirs


@pytest.mark.parametrize(
    "typed",
    ["１０.０.０.５：５４３３／sales", "10。0。0。5：5433/sales", "10.0.0.5:5433／sales"],
)
def test_an_address_typed_with_a_chinese_input_method_is_read_as_meant(typed: str) -> None:
    params, password = link.parse_address(typed)
    assert (params, password) == ({"host": "10.0.0.5", "port": "5433", "dbname": "sales"}, None)


def test_a_password_or_a_path_in_the_address_is_kept_as_typed() -> None:
    params, password = link.parse_address(
        "rob:密码。ｘ²@１０.０.０.５/crm?sslrootcert=/home/张三/证书。pem"
    )
    assert password == "密码。ｘ²"
    assert params["host"] == "10.0.0.5" and params["sslrootcert"] == "/home/张三/证书。pem"
