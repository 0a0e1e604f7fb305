"""A second throwaway PostgreSQL server, this one with TLS, and a keyring kept in a test folder.

The cluster reuses tests/postgres.py's harness (same binaries, service account, SCRAM passwords)
and adds `ssl = on` with a certificate from a throwaway CA made here with `cryptography`. The
certificate names localhost, crm.test and 127.0.0.1: tests reach it as `crm.test` with
`hostaddr=127.0.0.1`, a name that is not this computer while the packets stay on loopback.
A second, unrelated CA stands for "the wrong certificate".

Import the fixtures into a test module to use them (`from tests.sync.tls_server import ...`).
The cluster is started once per run however many modules import it.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from keyrings.alt.file import PlaintextKeyring
from psycopg import sql
from psycopg.conninfo import make_conninfo

from tests.postgres import (
    CRM_ADMIN,
    CRM_ADMIN_PASSWORD,
    LOOPBACK,
    CrmDatabase,
    PostgresServer,
    _service_account,
    find_postgres_bin,
    unique_name,
)

SERVER_NAMES = ("localhost", "crm.test")  # and 127.0.0.1: the certificate's subject names
REMOTE_NAME = "crm.test"  # not this computer by name; hostaddr keeps it on loopback


# -- certificates ------------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _validity(builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return builder.not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(
        now + datetime.timedelta(days=2)
    )


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @classmethod
    def make(cls, common_name: str) -> Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = _validity(
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(_name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
        )
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        return cls(key, builder.sign(key, hashes.SHA256()))

    def issue_server(self, names: tuple[str, ...], ip: str) -> tuple[bytes, bytes]:
        """A server certificate and its key, both PEM."""
        key = ec.generate_private_key(ec.SECP256R1())
        alternative = [x509.DNSName(name) for name in names]
        alternative.append(x509.IPAddress(ipaddress.ip_address(ip)))
        builder = _validity(
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
        )
        builder = builder.add_extension(
            x509.SubjectAlternativeName(alternative), critical=False
        ).add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        certificate = builder.sign(self.key, hashes.SHA256())
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return certificate.public_bytes(serialization.Encoding.PEM), key_pem

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


# -- the cluster -------------------------------------------------------------------------------


@dataclass
class TlsPostgresServer(PostgresServer):
    """tests.postgres's cluster with TLS on; plain TCP still allowed, so a client that asks for
    no TLS gets the server's own answer."""

    certificate: Path | None = None
    key: Path | None = None

    def install_certificate(self, certificate_pem: bytes, key_pem: bytes) -> None:
        # The server reads them as the service account and refuses a key others may read.
        self.certificate = self.base_dir / "server.crt"
        self.key = self.base_dir / "server.key"
        self.certificate.write_bytes(certificate_pem)
        self.key.write_bytes(key_pem)
        self.key.chmod(0o600)
        self._chown(self.certificate)
        self._chown(self.key)

    def initdb(self) -> None:
        super().initdb()
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all scram-sha-256\n"
            f"hostssl all all {LOOPBACK}/32 scram-sha-256\n"
            f"host all all {LOOPBACK}/32 scram-sha-256\n"
        )

    def _configure(self) -> None:
        super()._configure()
        assert self.certificate is not None and self.key is not None
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("ssl = on\n")
            conf.write(f"ssl_cert_file = '{self.certificate}'\n")
            conf.write(f"ssl_key_file = '{self.key}'\n")


@dataclass
class TlsCluster:
    server: TlsPostgresServer
    good_ca: Path  # signed the server's certificate
    wrong_ca: Path  # unrelated

    def remote_url(self, dbname: str, name: str = REMOTE_NAME, **query: str) -> str:
        """postgresql://crm.test:PORT/DB?hostaddr=127.0.0.1: another computer by name."""
        extra = "".join(f"&{key}={value}" for key, value in query.items())
        return f"postgresql://{name}:{self.server.port}/{dbname}?hostaddr={LOOPBACK}{extra}"


_cluster: TlsCluster | None = None


def _start_cluster(ca_dir: Path) -> TlsCluster:
    good, wrong = Authority.make("CRM test CA"), Authority.make("Somebody else's CA")
    good_ca, wrong_ca = ca_dir / "good_ca.pem", ca_dir / "wrong_ca.pem"
    good_ca.write_bytes(good.pem())
    wrong_ca.write_bytes(wrong.pem())
    # Not pytest's tmp_path: as root it lives under a mode-700 folder the service account can't
    # enter (see tests/postgres.py).
    base_dir = Path(tempfile.mkdtemp(prefix="crm-pg-tls-"))
    run_as = _service_account().pw_name if os.geteuid() == 0 else None
    server = TlsPostgresServer(bin_dir=find_postgres_bin(), base_dir=base_dir, run_as=run_as)
    server._chown(base_dir)
    server.install_certificate(*good.issue_server(SERVER_NAMES, LOOPBACK))
    try:
        server.initdb()
        server.start()
        server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
    except BaseException:
        _remove(server)
        raise
    return TlsCluster(server, good_ca, wrong_ca)


def _remove(server: PostgresServer) -> None:
    server.stop()
    shutil.rmtree(server.base_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def tls_cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> TlsCluster:
    """The TLS cluster, started at first use and stopped when the run ends."""
    global _cluster
    if _cluster is None:
        _cluster = _start_cluster(tmp_path_factory.mktemp("tls-ca"))
        request.config.add_cleanup(lambda: _remove(_cluster.server) if _cluster else None)
    return _cluster


@pytest.fixture
def tls_crm_db(tls_cluster: TlsCluster) -> Iterator[CrmDatabase]:
    """A fresh CRM database on the TLS cluster, made by `server init` as the CRM admin; the
    databases and roles the test made are dropped after."""
    from crm_desktop.sync.server.schema import init_server

    server = tls_cluster.server
    roles = server.names("SELECT rolname FROM pg_roles")
    name = server.create_database(unique_name("crm_tls"), owner=CRM_ADMIN)
    try:
        init_server(server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name))
        yield CrmDatabase(server, name)
    finally:
        server.drop_database(name)
        for role in server.names("SELECT rolname FROM pg_roles") - roles:
            server.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def plain_remote_url(db: CrmDatabase, **query: str) -> str:
    """The ordinary (no TLS) cluster named crm.test: another computer, by name."""
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    return f"postgresql://{REMOTE_NAME}:{db.server.port}/{db.name}?hostaddr={LOOPBACK}{extra}"


def local_address(db: CrmDatabase) -> str:
    return make_conninfo(host=db.server.host, port=db.server.port, dbname=db.name)


# -- a keyring ---------------------------------------------------------------------------------

FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's file keyring, kept under tmp_path and chosen the way a user would choose
    it (PYTHON_KEYRING_BACKEND), so the program counts it as a keyring. Child processes started
    with os.environ use the same file. The previous keyring is put back after the test."""
    data_home = tmp_path / "keyring-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_KEYRING)
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """keyring's own fail backend: a machine without a keyring."""
    from keyring.backends.fail import Keyring as FailKeyring

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
