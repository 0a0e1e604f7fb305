"""Connecting to real servers, with and without TLS: certificates checked, no TLS only when
asked for, and passwords kept out of the profile.

The TLS server is reached as `crm.test` (hostaddr 127.0.0.1): another computer by name, so the
client requires TLS, while the packets stay on this machine.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from psycopg.conninfo import conninfo_to_dict

from crm_desktop import cli
from crm_desktop.profile import Profile, open_profile
from crm_desktop.sync import link
from crm_desktop.sync.connecting import connect_profile
from crm_desktop.sync.engine import sync_once
from crm_desktop.sync.errors import MESSAGES, SyncError, SyncProblem
from tests.postgres import CrmDatabase
from tests.sync import tls_server
from tests.sync.tls_server import TlsCluster, local_address, plain_remote_url

tls_cluster = tls_server.tls_cluster
tls_crm_db = tls_server.tls_crm_db
file_keyring = tls_server.file_keyring
no_keyring = tls_server.no_keyring


def stored(profile: Profile) -> dict[str, str]:
    server = profile.store.setting(link.SERVER_KEY)
    assert server is not None
    return conninfo_to_dict(server)


def nothing_stored(profile: Profile) -> bool:
    return (
        profile.store.setting(link.SERVER_KEY) is None
        and profile.store.setting(link.LOGIN_KEY) is None
        and link.link_of(profile.store) is None
    )


def connect_command(
    monkeypatch: pytest.MonkeyPatch, directory: Path, password: str, *args: str
) -> int:
    """`crm-desktop connect ...` in this process, the password on standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.main(["--profile", str(directory), "connect", *args])


def test_verified_with_the_ca_file(
    tls_cluster: TlsCluster,
    tls_crm_db: CrmDatabase,
    file_keyring: PlaintextKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tls_crm_db.add_user("rob", "rep")
    password = tls_crm_db.passwords["rob"]
    monkeypatch.chdir(tls_cluster.good_ca.parent)  # a relative path is stored absolute
    server = tls_cluster.remote_url(tls_crm_db.name)
    directory = tmp_path / "rob"
    code = connect_command(
        monkeypatch, directory, password, "--server", server, "--user", "rob", "--ca", "good_ca.pem"
    )
    assert code == 0, capsys.readouterr().err
    assert "Connected as rob" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)

    profile = open_profile(directory)
    try:
        params = stored(profile)
        assert params["sslmode"] == "verify-full"
        assert params["sslrootcert"] == str(tls_cluster.good_ca)
        assert params["host"] == "crm.test" and params["hostaddr"] == "127.0.0.1"
        assert "password" not in params and "user" not in params
        found = link.link_of(profile.store)
        assert found is not None and not found.unencrypted
        assert link.stored_password(found) == password
        # A later sync verifies the same way, the password coming from the keyring.
        connection = link.open_connection(found)
        try:
            assert connection.pgconn.ssl_in_use
        finally:
            connection.close()
        report = sync_once(profile)
        assert report.finished_at is not None
    finally:
        profile.close()


@pytest.mark.parametrize("case", ["wrong CA", "wrong host name"])
def test_an_untrusted_certificate_is_refused_and_nothing_kept(
    case: str,
    tls_cluster: TlsCluster,
    tls_crm_db: CrmDatabase,
    file_keyring: PlaintextKeyring,
    profile: Profile,
) -> None:
    tls_crm_db.add_user("rob", "rep")
    if case == "wrong CA":
        server, ca = tls_cluster.remote_url(tls_crm_db.name), tls_cluster.wrong_ca
    else:  # signed by the right CA, but not for this name
        server, ca = tls_cluster.remote_url(tls_crm_db.name, name="other.test"), tls_cluster.good_ca
    with pytest.raises(SyncError) as caught:
        connect_profile(profile.store, server, "rob", tls_crm_db.passwords["rob"], ca=str(ca))
    assert caught.value.problem is SyncProblem.CERTIFICATE
    assert str(caught.value) == MESSAGES[SyncProblem.CERTIFICATE]
    assert nothing_stored(profile)
    assert not Path(file_keyring.file_path).exists()  # no password kept either


def test_the_command_says_the_certificate_sentence(
    tls_cluster: TlsCluster,
    tls_crm_db: CrmDatabase,
    no_keyring: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tls_crm_db.add_user("rob", "rep")
    directory = tmp_path / "rob"
    server = tls_cluster.remote_url(tls_crm_db.name)
    args = ("--server", server, "--user", "rob", "--ca", str(tls_cluster.wrong_ca))
    code = connect_command(monkeypatch, directory, tls_crm_db.passwords["rob"], *args)
    assert code == 1
    assert capsys.readouterr().err == f"crm-desktop: {MESSAGES[SyncProblem.CERTIFICATE]}\n"
    profile = open_profile(directory)
    try:
        assert nothing_stored(profile)
    finally:
        profile.close()


def test_another_computer_gets_tls_by_default(
    tls_cluster: TlsCluster, tls_crm_db: CrmDatabase, no_keyring: None, profile: Profile
) -> None:
    tls_crm_db.add_user("rob", "rep")
    password = tls_crm_db.passwords["rob"]
    # A weaker sslmode in the address is not kept: another computer needs at least `require`.
    server = tls_cluster.remote_url(tls_crm_db.name, sslmode="prefer")
    connected = connect_profile(profile.store, server, "rob", password)
    assert connected.had_password and not connected.password_saved  # no keyring here
    assert stored(profile)["sslmode"] == "require"
    found = link.link_of(profile.store)
    assert found is not None
    connection = link.open_connection(found, password)
    try:
        assert connection.pgconn.ssl_in_use
    finally:
        connection.close()


def test_a_server_without_tls_is_refused_unless_asked(
    crm_db: CrmDatabase, no_keyring: None, profile: Profile
) -> None:
    crm_db.add_user("rob", "rep")
    password = crm_db.passwords["rob"]
    for server in (plain_remote_url(crm_db), plain_remote_url(crm_db, sslmode="disable")):
        with pytest.raises(SyncError) as caught:
            connect_profile(profile.store, server, "rob", password)
        assert caught.value.problem is SyncProblem.NO_TLS
        assert "does not offer an encrypted connection" in str(caught.value)
        assert nothing_stored(profile)

    connect_profile(profile.store, plain_remote_url(crm_db), "rob", password, no_tls=True)
    assert stored(profile)["sslmode"] == "disable"
    found = link.link_of(profile.store)
    assert found is not None and found.unencrypted
    assert sync_once(profile, password=password).finished_at is not None


def test_a_password_in_the_address_and_a_typed_one(
    crm_db: CrmDatabase, no_keyring: None, profile: Profile
) -> None:
    crm_db.add_user("rob", "rep")
    right = crm_db.passwords["rob"]
    port, name = crm_db.server.port, crm_db.name
    # The typed password wins over the one in the address.
    with pytest.raises(SyncError) as caught:
        connect_profile(
            profile.store, f"postgresql://rob:{right}@127.0.0.1:{port}/{name}", "rob", "typo"
        )
    assert caught.value.problem is SyncProblem.AUTH
    connected = connect_profile(
        profile.store, f"postgresql://rob:wrong@127.0.0.1:{port}/{name}", "rob", right
    )
    assert connected.had_password
    assert "wrong" not in (profile.store.setting(link.SERVER_KEY) or "")


def test_an_old_profile_loses_its_stored_password_at_the_next_sync(
    crm_db: CrmDatabase, file_keyring: PlaintextKeyring, profile: Profile
) -> None:
    crm_db.add_user("rob", "rep")
    password = crm_db.passwords["rob"]
    # As the old version stored it: the address as typed, password and all.
    old = f"{local_address(crm_db)} user=rob password={password}"
    profile.store.set_setting(link.SERVER_KEY, old)
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    assert sync_once(profile).finished_at is not None  # no password given: the keyring's
    assert password not in (profile.store.setting(link.SERVER_KEY) or "")
    assert stored(profile) == conninfo_to_dict(local_address(crm_db))
    found = link.link_of(profile.store)
    assert found is not None and link.stored_password(found) == password
    assert sync_once(profile).finished_at is not None


def test_an_unreadable_ca_file_is_said_plainly(
    crm_db: CrmDatabase, profile: Profile, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-ca.pem"
    with pytest.raises(SyncError) as caught:
        connect_profile(profile.store, plain_remote_url(crm_db), "rob", "pw", ca=str(missing))
    assert caught.value.problem is SyncProblem.CA_FILE
    assert str(missing) in str(caught.value)
    assert nothing_stored(profile)


def test_a_file_that_holds_no_certificate_is_said_for_what_it_is(
    crm_db: CrmDatabase, profile: Profile, tmp_path: Path
) -> None:
    """A key, a document or a picture chosen as the CA file: not "the server's certificate is
    not trusted", which sends the user to the administrator for nothing."""
    wrong = tmp_path / "server.key"
    wrong.write_text("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SyncError) as caught:
        connect_profile(profile.store, plain_remote_url(crm_db), "rob", "pw", ca=str(wrong))
    assert caught.value.problem is SyncProblem.NOT_A_CA_FILE
    assert str(wrong) in str(caught.value)
    assert nothing_stored(profile)
