"""Known failures of server administration, each one plain sentence for the person at the
terminal. Anything else is a bug and keeps its traceback."""

from __future__ import annotations


class ServerAdminError(Exception):
    """A mistake or a server condition the administrator can act on."""
