"""Closing the window while a sync waits on a server that does not answer: the program's
process ends at once, not when the network gives up (until then it held the profile, and the
program opened again could not use it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from crm_desktop.profile import open_profile
from crm_desktop.sync import link

# Run as the program runs (python -m crm_desktop --profile DIR): the window is closed as soon
# as its sync thread is at work, and the moment it closed is printed.
CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from crm_desktop.cli import main
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.sync_controller import syncs_still_running

app = QApplication(sys.argv[:1])

def close_once_syncing():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if windows and syncs_still_running():
        time.sleep(0.5)  # the connection is being made
        print("closing", time.monotonic(), flush=True)
        windows[0].close()
        return
    QTimer.singleShot(50, close_once_syncing)

QTimer.singleShot(50, close_once_syncing)
sys.exit(main(["--profile", sys.argv[1]]))
"""

# A connection attempt is allowed this long by the address itself: were the process to wait for
# it, it would still be there.
SILENT_FOR_S = 120


def test_the_process_ends_when_the_window_closes_on_a_silent_server(tmp_path: Path) -> None:
    # A server that takes the connection and never answers it.
    silent = socket.create_server(("127.0.0.1", 0), backlog=8)
    try:
        port = silent.getsockname()[1]
        profile = open_profile(tmp_path / "profile")
        try:
            address = f"host=127.0.0.1 port={port} dbname=crm connect_timeout={SILENT_FOR_S}"
            profile.store.set_setting(link.SERVER_KEY, address)
            profile.store.set_setting(link.LOGIN_KEY, "rob")
        finally:
            profile.close()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path / "profile")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PGPASSWORD": "secret"},
        )
        try:
            out, err = child.communicate(timeout=SILENT_FOR_S / 2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise AssertionError("the process outlived its window by a minute") from None
        ended = time.monotonic()
    finally:
        silent.close()
    assert child.returncode == 0, err
    closing = [line for line in out.splitlines() if line.startswith("closing ")]
    assert closing, (out, err)
    # The window waits a few seconds for the sync to stop (sync_controller.SHUTDOWN_WAIT_S).
    assert ended - float(closing[0].split()[1]) < 45
