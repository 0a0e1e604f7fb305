"""scripts/setup.sh, which ./run and ./test source first, on a checkout whose .venv was left
without pip (Debian and Ubuntu without python3-venv make .venv/bin/python, then fail at
ensurepip): it makes the environment again instead of failing at every run after."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# A project with nothing to install: what is tried is setup.sh's own work.
PROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "setup-probe"
version = "0"

[project.optional-dependencies]
test = []

[tool.setuptools]
py-modules = []
"""


def test_a_venv_left_without_pip_is_made_again(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    (root / "pyproject.toml").write_text(PROJECT)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / ".venv"], check=True)
    assert (root / ".venv" / "bin" / "python").exists()

    done = subprocess.run(
        ["bash", "-c", "source scripts/setup.sh"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    pip = subprocess.run(
        [root / ".venv" / "bin" / "python", "-m", "pip", "--version"], capture_output=True
    )
    assert pip.returncode == 0
    assert any((root / ".venv").glob(".installed-*"))
