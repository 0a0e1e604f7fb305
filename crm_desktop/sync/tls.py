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

    Judged by `host`, the name the certificate is checked against, even when `hostaddr` says
    where the packets go; `hostaddr` counts only when there is no `host`.
    """
    hosts = params.get("host") or params.get("hostaddr") or ""
    return all(is_local_host(host) for host in hosts.split(","))


def strictness(sslmode: str | None) -> int:
    """Position in SSLMODES; -1 for none or an unknown value."""
    return SSLMODES.index(sslmode) if sslmode in SSLMODES else -1


def with_tls(
    params: Mapping[str, str], ca: str | None = None, no_tls: bool = False
) -> dict[str, str]:
    """The parameters with the TLS settings every later sync will use.

    `no_tls` turns TLS off; `ca` (an absolute path) verifies the certificate and the host name
    against that CA. Otherwise another computer needs at least `require`: a weaker sslmode in the
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
    elif not is_local(params) and strictness(chosen.get("sslmode")) < strictness(REQUIRED):
        chosen["sslmode"] = REQUIRED
    return chosen


def is_unencrypted(params: Mapping[str, str]) -> bool:
    """Another computer reached without TLS (or with TLS only if the server insists)."""
    return not is_local(params) and params.get("sslmode") in UNENCRYPTED
