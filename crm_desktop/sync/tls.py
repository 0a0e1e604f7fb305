"""How the link to the server is encrypted: decided once at connect, kept in the stored address.

Pure functions over libpq connection parameters (the dict `conninfo_to_dict` gives), so the
rules are tested without a server. Another computer is reached with TLS only (`require`, or
`verify-full` against a CA file the user gives); no TLS only when asked for by name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

# libpq's sslmode values, weakest first.
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
REQUIRED = "require"
VERIFIED = "verify-full"
NO_TLS = "disable"
SYSTEM_ROOTS = "system"  # sslrootcert: the system's trusted certificates (libpq 16 and later)
# Modes that try, or settle for, an unencrypted connection.
UNENCRYPTED = frozenset({"disable", "allow"})


def is_local_host(host: str) -> bool:
    """This computer: a Unix socket (libpq's default when empty), localhost, or a loopback IP."""
    host = host.strip()
    if not host or host.startswith(("/", "@")):  # a socket directory, or an abstract socket
        return True
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_local(params: Mapping[str, str]) -> bool:
    """Whether every host the address names is this computer.

    Both by name and by number: `host` is what the certificate is checked against, `hostaddr`
    where the packets go, so `host=localhost hostaddr=203.0.113.5` is another computer. An empty
    `hostaddr` entry leaves its host to be looked up by name, so the name decides there.
    """
    hosts = params.get("host") or ""
    addresses = [a for a in (params.get("hostaddr") or "").split(",") if a.strip()]
    if hosts and not all(is_local_host(host) for host in hosts.split(",")):
        return False
    return all(is_local_host(address) for address in addresses)


def strictness(sslmode: str | None) -> int:
    """Position in SSLMODES; -1 for none or an unknown value."""
    return SSLMODES.index(sslmode) if sslmode in SSLMODES else -1


def with_tls(
    params: Mapping[str, str], ca: str | None = None, no_tls: bool = False
) -> dict[str, str]:
    """The parameters with the TLS settings every later sync will use.

    `no_tls` turns TLS off; `ca` (an absolute path) verifies the certificate and the host name
    against that CA, as `sslrootcert=system` in the address does against the system's trusted
    certificates (libpq takes that only with `verify-full`, and refuses any weaker sslmode as
    "weak"). Otherwise another computer needs at least `require`: a weaker sslmode in the
    address is raised to it, a stricter one is kept. For this computer the address is kept.
    """
    if ca and no_tls:
        raise ValueError("a CA file and no TLS exclude each other")
    chosen = dict(params)
    if no_tls:
        chosen["sslmode"] = NO_TLS
        chosen.pop("sslrootcert", None)
    elif ca:
        chosen["sslmode"] = VERIFIED
        chosen["sslrootcert"] = ca
    elif chosen.get("sslrootcert") == SYSTEM_ROOTS:
        chosen["sslmode"] = VERIFIED
    elif not is_local(params) and strictness(chosen.get("sslmode")) < strictness(REQUIRED):
        chosen["sslmode"] = REQUIRED
    return chosen


def is_unencrypted(params: Mapping[str, str]) -> bool:
    """Another computer reached without TLS (or with TLS only if the server insists)."""
    return not is_local(params) and params.get("sslmode") in UNENCRYPTED
