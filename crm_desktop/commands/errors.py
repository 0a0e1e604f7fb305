"""The error a sub-command raises for a mistake the user can fix.

Kept beside the commands, not in cli.py, so a command never imports the program that runs it.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix; the message is one plain sentence."""
