"""The `crm-desktop` command's first step. Loading the program (PySide6, SQLAlchemy, the
commands) takes a second or two; Ctrl+C pressed meanwhile ends it as Ctrl+C during a command
does, with a line and exit code 130, not with Python's traceback of the import it cut short.
"""

from __future__ import annotations

import signal
import sys

# Said before anything is loaded, so in English alone: the translations are not loaded yet.
STOPPED_WHILE_LOADING = "crm-desktop: Stopped while starting; nothing was changed."


def main() -> int:
    try:
        from crm_desktop.cli import main as run

        # A command answers Ctrl+C itself, in the user's language; what reaches here came
        # while the modules were loading, before any command ran (cli loads most of them as
        # it goes: the profile's, the translations').
        code = run()
    except KeyboardInterrupt:
        print(STOPPED_WHILE_LOADING, file=sys.stderr)
        return 130
    # The command has ended and said how: Ctrl+C while Python winds down (waiting for the
    # thread of an import's workers, say) would end it by the signal, silently, after the fact.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code
