"""The rules behind the link's address, without a server: which host is this computer, which
sslmode a connect chooses, how a password is taken out of each form of address, and how libpq's
words are sorted into problems."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import psycopg
import pytest
from keyrings.alt.file import PlaintextKeyring
from psycopg.conninfo import conninfo_to_dict

from crm_desktop.profile import Profile
from crm_desktop.sync import link, tls
from crm_desktop.sync.connecting import check_connection
from crm_desktop.sync.errors import MESSAGES, SyncError, SyncProblem
from tests.sync import tls_server

file_keyring = tls_server.file_keyring
no_keyring = tls_server.no_keyring


# -- which host is this computer ---------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["", "/var/run/postgresql", "/tmp", "@abstract", "localhost", "LocalHost", "127.0.0.1",
     "127.9.8.7", "::1", "[::1]"],
)  # fmt: skip
def test_this_computer(host: str) -> None:
    assert tls.is_local_host(host)


@pytest.mark.parametrize(
    "host",
    ["crm.test", "db.example.com", "10.0.0.5", "192.168.1.2", "0.0.0.0", "::", "fe80::1",
     "localhost.example.com", "128.0.0.1"],
)  # fmt: skip
def test_another_computer(host: str) -> None:
    assert not tls.is_local_host(host)


def test_this_computer_by_name_and_by_where_the_packets_go() -> None:
    # The certificate is checked against `host`: another computer by name is another computer.
    assert not tls.is_local({"host": "crm.test", "hostaddr": "127.0.0.1"})
    # `hostaddr` is where the packets go: a local name there still leaves this computer.
    assert not tls.is_local({"host": "localhost", "hostaddr": "203.0.113.5"})
    assert not tls.is_local({"host": "localhost,localhost", "hostaddr": "127.0.0.1,203.0.113.5"})
    assert tls.is_local({"host": "localhost", "hostaddr": "127.0.0.1"})
    assert tls.is_local({"host": "localhost,localhost", "hostaddr": "127.0.0.1,"})  # "": by host
    assert tls.is_local({"hostaddr": "127.0.0.1"})
    assert tls.is_local({"hostaddr": "::1"})
    assert not tls.is_local({"hostaddr": "10.1.2.3"})
    assert tls.is_local({})  # libpq's default: the Unix socket
    assert not tls.is_local({"host": "localhost,crm.test"})  # any other computer counts


def test_a_local_name_for_another_computers_address_gets_tls() -> None:
    params = {"host": "localhost", "hostaddr": "203.0.113.5", "dbname": "crm"}
    assert tls.with_tls(params)["sslmode"] == "require"
    assert tls.is_unencrypted({**params, "sslmode": "disable"})


# -- which sslmode -----------------------------------------------------------------------------

REMOTE = {"host": "crm.test", "port": "5432", "dbname": "crm"}
LOCAL = {"host": "127.0.0.1", "port": "5432", "dbname": "crm"}


def test_another_computer_needs_tls() -> None:
    assert tls.with_tls(REMOTE) == {**REMOTE, "sslmode": "require"}
    for weaker in ("disable", "allow", "prefer", "nonsense"):
        assert tls.with_tls({**REMOTE, "sslmode": weaker})["sslmode"] == "require"
    for stricter in ("require", "verify-ca", "verify-full"):
        assert tls.with_tls({**REMOTE, "sslmode": stricter})["sslmode"] == stricter


def test_the_systems_certificates_are_checked_with_verify_full() -> None:
    # libpq takes sslrootcert=system only with verify-full ("weak sslmode"): the address asks
    # for the system's trusted certificates, so the certificate and the host name are verified.
    for params in (REMOTE, LOCAL):
        for weaker in (None, "disable", "prefer", "require", "verify-ca"):
            asked = {**params, "sslrootcert": "system"}
            if weaker:
                asked["sslmode"] = weaker
            chosen = tls.with_tls(asked)
            assert chosen["sslmode"] == "verify-full", asked
            assert chosen["sslrootcert"] == "system"
    # Asked for by name, no TLS still wins, and a CA file given replaces the system's.
    chosen = tls.with_tls({**REMOTE, "sslrootcert": "system"}, no_tls=True)
    assert chosen == {**REMOTE, "sslmode": "disable"}
    chosen = tls.with_tls({**REMOTE, "sslrootcert": "system"}, ca="/etc/crm/ca.pem")
    assert (chosen["sslmode"], chosen["sslrootcert"]) == ("verify-full", "/etc/crm/ca.pem")


def test_the_systems_certificates_are_not_refused_by_libpq_as_a_weak_mode() -> None:
    # A closed port on this computer, named as another one: libpq gets as far as trying to
    # connect, where a weak sslmode would have stopped it first (and been called a certificate
    # problem).
    server = "host=crm.test hostaddr=127.0.0.1 port=1 dbname=crm sslrootcert=system"
    with pytest.raises(SyncError) as caught:
        check_connection(server, "rob", "pw")
    assert caught.value.problem is SyncProblem.UNREACHABLE


def test_this_computer_keeps_its_address() -> None:
    assert tls.with_tls(LOCAL) == LOCAL
    assert tls.with_tls({**LOCAL, "sslmode": "prefer"})["sslmode"] == "prefer"
    assert tls.with_tls({"dbname": "crm"}) == {"dbname": "crm"}


def test_a_ca_file_verifies_host_and_certificate() -> None:
    for params in (REMOTE, LOCAL, {**REMOTE, "sslmode": "verify-ca", "sslrootcert": "/old.pem"}):
        chosen = tls.with_tls(params, ca="/etc/crm/ca.pem")
        assert chosen["sslmode"] == "verify-full"
        assert chosen["sslrootcert"] == "/etc/crm/ca.pem"


def test_no_tls_only_when_asked() -> None:
    chosen = tls.with_tls({**REMOTE, "sslmode": "verify-full", "sslrootcert": "/ca"}, no_tls=True)
    assert chosen == {**REMOTE, "sslmode": "disable"}
    assert tls.is_unencrypted(chosen)
    with pytest.raises(ValueError):
        tls.with_tls(REMOTE, ca="/ca.pem", no_tls=True)


def test_what_counts_as_unencrypted() -> None:
    assert tls.is_unencrypted({**REMOTE, "sslmode": "disable"})
    assert tls.is_unencrypted({**REMOTE, "sslmode": "allow"})
    assert not tls.is_unencrypted({**LOCAL, "sslmode": "disable"})  # never leaves this computer
    assert not tls.is_unencrypted({**REMOTE, "sslmode": "require"})
    assert link.ServerLink("host=crm.test sslmode=disable", "rob").unencrypted
    assert not link.ServerLink("host=crm.test sslmode=require", "rob").unencrypted


# -- the password out of the address -----------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [
        "postgresql://rob:s3cret%40x@crm.test:5432/crm?sslmode=verify-ca",
        "postgres://rob:s3cret%40x@crm.test:5432/crm?sslmode=verify-ca",
        "postgresql://crm.test:5432/crm?user=rob&password=s3cret%40x&sslmode=verify-ca",
        "host=crm.test port=5432 dbname=crm user=rob password='s3cret@x' sslmode=verify-ca",
        "host=crm.test port=5432 dbname=crm user=rob password=s3cret@x sslmode=verify-ca",
    ],
)
def test_password_and_user_come_out_of_every_form(server: str) -> None:
    params, password = link.parse_address(server)
    assert password == "s3cret@x"
    assert params == {"host": "crm.test", "port": "5432", "dbname": "crm", "sslmode": "verify-ca"}
    stored = link.address(params)
    assert "s3cret" not in stored and "rob" not in stored
    assert conninfo_to_dict(stored) == params


def test_an_address_without_password() -> None:
    params, password = link.parse_address("postgresql://crm.test/crm")
    assert password is None
    assert params == {"host": "crm.test", "dbname": "crm"}
    assert link.parse_address("postgresql://rob:@crm.test/crm")[1] is None  # empty: none


def test_a_bad_address_is_said_without_quoting_it() -> None:
    with pytest.raises(SyncError) as caught:
        link.parse_address("host=crm.test s3cret")
    assert caught.value.problem is SyncProblem.ADDRESS
    assert "s3cret" not in caught.value.text()


def test_link_of_never_shows_an_old_password(profile: Profile) -> None:
    old = "postgresql://rob:s3cret@crm.test/crm"
    profile.store.set_setting(link.SERVER_KEY, old)
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    found = link.link_of(profile.store)
    assert found is not None and "s3cret" not in found.server
    assert found.dsn(None).count("s3cret") == 0
    assert profile.store.setting(link.SERVER_KEY) == old  # reading writes nothing


def test_an_old_password_moves_to_the_keyring(
    profile: Profile, file_keyring: PlaintextKeyring
) -> None:
    profile.store.set_setting(link.SERVER_KEY, "postgresql://rob:s3cret@crm.test/crm")
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    assert link.move_stored_password(profile.store) is None  # kept in the keyring instead
    stored = profile.store.setting(link.SERVER_KEY)
    assert stored is not None and "s3cret" not in stored and "rob" not in stored
    found = link.link_of(profile.store)
    assert found is not None and link.stored_password(found) == "s3cret"
    assert link.move_stored_password(profile.store) is None
    assert profile.store.setting(link.SERVER_KEY) == stored


def test_an_old_password_with_no_keyring_is_used_once_and_dropped(
    profile: Profile, no_keyring: None
) -> None:
    profile.store.set_setting(link.SERVER_KEY, "host=crm.test dbname=crm password=s3cret")
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    assert link.move_stored_password(profile.store) == "s3cret"
    assert "s3cret" not in (profile.store.setting(link.SERVER_KEY) or "")


# -- what counts as a keyring ------------------------------------------------------------------


@pytest.fixture
def keyring_restored() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_a_plain_file_keyring_counts_only_when_chosen(
    monkeypatch: pytest.MonkeyPatch, keyring_restored: None
) -> None:
    # Installed is not chosen: keyrings.alt's plain file is no place for a password by default.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent")  # no keyringrc.cfg
    keyring.set_keyring(PlaintextKeyring())
    assert not link.keyring_available()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", tls_server.FILE_KEYRING)
    assert link.keyring_available()


def test_no_keyring(no_keyring: None) -> None:
    assert not link.keyring_available()


# -- libpq's words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ('connection to server at "127.0.0.1", port 5432 failed: SSL error: certificate '
         "verify failed", SyncProblem.CERTIFICATE),
        ('server certificate for "localhost" (and 2 other names) does not match host name '
         '"crm.test"', SyncProblem.CERTIFICATE),
        ("server does not support SSL, but SSL was required", SyncProblem.NO_TLS),
        ('password authentication failed for user "rob"', SyncProblem.AUTH),
        ('connection to server at "127.0.0.1", port 1 failed: Connection refused',
         SyncProblem.OFFLINE),
    ],
)  # fmt: skip
def test_connect_errors_in_plain_words(message: str, problem: SyncProblem) -> None:
    error = link.classify_connect_error(psycopg.OperationalError(message))
    assert error.problem is problem
    assert error.text() == MESSAGES[problem].format(detail="")


def test_an_old_profile_to_another_computer_gets_tls_too(tmp_path) -> None:
    from crm_desktop.profile import open_profile
    from crm_desktop.sync import link

    profile = open_profile(tmp_path / "old")
    try:
        # As an older version stored it: no sslmode, so libpq's `prefer` would apply.
        profile.store.set_setting(link.SERVER_KEY, "host=crm.example.com port=5432 dbname=crm")
        profile.store.set_setting(link.LOGIN_KEY, "rob")
        stored = link.link_of(profile.store)
        assert stored is not None
        assert "sslmode=require" in stored.server
        profile.store.set_setting(link.SERVER_KEY, "host=127.0.0.1 port=5432 dbname=crm")
        assert "sslmode" not in link.link_of(profile.store).server
    finally:
        profile.close()


@pytest.mark.parametrize(
    "stored",
    [
        "host=crm.example.com port=5432 dbname=crm sslmode=verify-full sslrootcert=/etc/ca.pem",
        "host=127.0.0.1 port=6543 dbname='sales db'",
        "host=::1 dbname=crm",
        "host=crm.test hostaddr=127.0.0.1 port=5432 dbname=crm sslmode=require",
    ],
)
def test_a_stored_address_is_shown_as_a_url_that_reads_back_the_same(stored: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    from crm_desktop.sync.link import as_url

    shown = as_url(stored)
    assert shown.startswith("postgresql://")
    assert conninfo_to_dict(shown) == conninfo_to_dict(stored)
