"""`crm-desktop`: the window by default, and sub-commands for work without one.

User mistakes end with one plain sentence on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from crm_desktop.models.validation import InvalidInput
from crm_desktop.storage.errors import StoreError
from crm_desktop.sync.errors import SyncError

# Sub-command name -> module in crm_desktop.commands.
COMMANDS = {
    "demo": "demo",
    "export": "export",
    "import": "import_",
    "server": "server",
    "connect": "connect",
    "sync": "sync_",
    "conflicts": "conflicts",
}


class UserError(Exception):
    """A mistake the user can fix; the message is one plain sentence."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-desktop", description="Offline-first CRM for field sales teams."
    )
    parser.add_argument("--profile", type=Path, help="profile folder (default: the user's own)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"crm_desktop.commands.{module_name}")
        sub = module.add_parser(subparsers, name)
        sub.add_argument("--profile", type=Path, default=argparse.SUPPRESS, help="profile folder")
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from crm_desktop.app import run_gui

            return run_gui(args.profile)
        return int(args.run(args) or 0)
    except (UserError, InvalidInput, StoreError, SyncError) as error:
        print(f"crm-desktop: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
