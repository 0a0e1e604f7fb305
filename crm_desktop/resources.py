"""Where the files shipped with the program are: the `resources/` folder.

Run from source, it is the repository's `resources/` beside the package. Frozen by PyInstaller,
everything the bundle carries sits under `sys._MEIPASS` (the one-folder build's `_internal/`),
and installer/crm-desktop.spec puts `resources/` there. Bottom layer: imports nothing of ours.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resources_dir"]


def resources_dir() -> Path:
    """The folder holding `translations/`, `fonts/` and `icons/`."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
