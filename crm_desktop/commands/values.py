"""Values typed on the command line that argparse checks with a function of ours: refused in
the user's language, in words a user without programming knows ("not a whole number", never
argparse's "invalid int value")."""

from __future__ import annotations

import argparse

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("CommandLine", "“{text}” is not a whole number").format(text=text)
        ) from None
