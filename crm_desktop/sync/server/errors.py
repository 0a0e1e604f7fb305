"""Known failures of server administration, each one plain sentence for the person at the
terminal. Anything else is a bug and keeps its traceback."""

from __future__ import annotations

import re


class ServerAdminError(Exception):
    """A mistake or a server condition the administrator can act on."""


# What psycopg quotes of a malformed connection string ("S3cr3t%zz", the word after
# "password="): a piece of it may be the password itself.
_QUOTED = re.compile(r'"[^"]*"')


def invalid_connection_string(error: Exception) -> ServerAdminError:
    """The sentence for a connection string psycopg cannot read, with what it quoted of the
    string left out: the message goes to a terminal, a log or cron's mail."""
    reason = _QUOTED.sub("“…”", str(error).strip().splitlines()[0] if str(error).strip() else "")
    return ServerAdminError(
        f"The connection string is not valid ({reason or 'no reason given'}); check how it is "
        "written."
    )
