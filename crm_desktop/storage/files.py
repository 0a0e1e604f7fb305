"""Files the user names (exports, reports, sheets, lists of rows to correct) are written whole
or not at all: under a name of their own beside the target, then put in its place with one
rename. A failed or interrupted write (a full disk, Ctrl+C, a crash) leaves the file that was
there before as it was, and no half-written one under its name."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def beside(target: Path) -> Path:
    """The name a new `target` is written under until whole: in the same folder (a rename
    never crosses disks), this process's and thread's own, so two writers never share it."""
    return target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.part")


@contextmanager
def written_whole(target: Path | str) -> Iterator[Path]:
    """The path to write: beside `target`, put in its place when the block ends without an
    error; removed when it raises (the error is the block's). A target that exists and is no
    regular file (a device such as /dev/null) is written to directly; a link, at the file it
    names; the file replaced keeps its permissions."""
    target = Path(target)
    if target.exists() and not target.is_file():
        yield target
        return
    # A link is followed: the file it names is replaced, and the link stays a link.
    target = target.resolve() if target.is_symlink() else target
    partial = beside(target)
    try:
        yield partial
        if target.exists():
            shutil.copymode(target, partial)  # who may read it stays as it was
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
