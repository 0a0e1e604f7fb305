"""The installed `crm-desktop connect`: a password typed into the address ends up in the keyring,
never in the profile, and the next `crm-desktop sync` finds it there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from tests.postgres import CrmDatabase

SCRIPT = Path(sys.executable).with_name("crm-desktop")
FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        input="",  # nothing typed: the password is the one in the address
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_password_in_the_address_goes_to_the_keyring(
    crm_db: CrmDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "secret-of-rob-1"
    crm_db.add_user("rob", "rep", password=secret)
    keyring_home = tmp_path / "keyring-data"
    # A keyring the user chose (keyrings.alt's file, kept here); no PG* variable helps libpq.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND=FILE_KEYRING,
        XDG_DATA_HOME=str(keyring_home),
    )
    directory = tmp_path / "rob"
    profile = ["--profile", str(directory)]
    server = f"postgresql://rob:{secret}@127.0.0.1:{crm_db.server.port}/{crm_db.name}"

    connected = run(env, *profile, "connect", "--server", server, "--user", "rob")
    assert connected.returncode == 0, connected.stderr
    assert "Connected as rob" in connected.stdout
    assert "secret" not in connected.stdout + connected.stderr
    synced = run(env, *profile, "sync")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("Sent 0 change(s)")

    for path in directory.rglob("*"):  # the SQLite file, its WAL, anything else
        if path.is_file():
            assert b"secret" not in path.read_bytes(), path
    opened = open_profile(directory)
    try:
        value = opened.store.setting(link.SERVER_KEY)
        found = link.link_of(opened.store)
    finally:
        opened.close()
    assert value is not None and "secret" not in value and "rob" not in value
    assert found is not None
    monkeypatch.setenv("XDG_DATA_HOME", str(keyring_home))
    assert PlaintextKeyring().get_password(link.KEYRING_SERVICE, found.keyring_name) == secret


def test_ca_and_no_tls_exclude_each_other(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    refused = run(
        env,
        *("--profile", str(tmp_path / "p"), "connect", "--server", "postgresql://crm.test/crm"),
        *("--user", "rob", "--ca", "ca.pem", "--no-tls"),
    )
    assert refused.returncode == 2
    assert "not allowed with argument" in refused.stderr
