"""installer/build makes a one-folder app that runs with no Python: built once for the module,
then run the way a user's machine would, with none of the project's environment.

Slow (a build takes a minute or more), so marked `installer`: `./test` leaves it out and
.ci/run asks for it (`./test -m installer tests/installer`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_desktop import __version__
from tests.postgres import PostgresServer

pytestmark = pytest.mark.installer

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build"
APP = ROOT / "dist" / "crm-desktop" / "crm-desktop"
BUILD_TIMEOUT = 20 * 60  # seconds; about one minute on the 2-core CI machine
WINDOW_TIMEOUT = 60


@pytest.fixture(scope="module")
def app() -> Path:
    started = time.monotonic()
    built = subprocess.run(
        [str(BUILD)], cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert built.returncode == 0, f"{built.stdout[-4000:]}\n{built.stderr[-4000:]}"
    assert "Built in" in built.stdout
    assert APP.is_file()
    assert os.access(APP, os.X_OK)
    # How long and how big, in the test log (-ra shows nothing for a pass; -s or -rP do).
    size = sum(
        path.lstat().st_size
        for path in APP.parent.rglob("*")
        if path.is_file() and not path.is_symlink()
    )
    print(f"built in {time.monotonic() - started:.0f} s, {size / 1e6:.0f} MB")
    return APP


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """As on a machine without our Python: no PYTHONPATH, no venv on PATH, a fresh home."""
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    path = os.pathsep.join(
        directory
        for directory in ("/usr/local/bin", "/usr/bin", "/bin")
        if Path(directory).is_dir() and str(ROOT) not in directory
    )
    return {
        "HOME": str(home),
        "PATH": path,
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
    }


def run(app: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def test_the_built_app_prints_its_version(app: Path, clean_env: dict[str, str]) -> None:
    shown = run(app, clean_env, "--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == f"crm-desktop {__version__}\n"


def test_the_built_app_migrates_a_new_store_and_prints_a_chinese_report(
    app: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    """SQLite and the alembic migrations read from the bundle, the demo generator, and a PDF
    set in the bundled font (reportlab, resources/fonts)."""
    profile = tmp_path / "profile"
    demo = run(app, clean_env, "--profile", str(profile), "demo", "--customers", "30")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("Added demo data: 30 customers,")
    assert (profile / "crm.sqlite3").is_file()
    # Alembic ran them from real files in the bundle (migrations are read by path).
    for package in ("crm_desktop/storage/migrations", "crm_desktop/sync/server/migrations"):
        shipped = app.parent / "_internal" / package
        assert (shipped / "env.py").is_file()
        assert sorted(path.name for path in (shipped / "versions").glob("*.py")) == sorted(
            path.name for path in (ROOT / package / "versions").glob("*.py")
        )
    exported = run(app, clean_env, "--profile", str(profile), "export", "--entity", "customers")
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == 31  # the header and the 30
    pdf = tmp_path / "pipeline.pdf"
    report = run(
        app, clean_env, "--profile", str(profile), "report", "pipeline",
        "--language", "zh_CN", "--out", str(pdf),
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    page = PdfReader(pdf).pages[0]
    assert "销售漏斗" in page.extract_text()
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("WenQuanYiMicroHei" in name for name in fonts), fonts


def test_the_built_app_sets_up_a_server(
    app: Path, clean_env: dict[str, str], pg_cleanup: PostgresServer
) -> None:
    """psycopg's compiled core and the server's migrations, read from the bundle."""
    pg_cleanup.create_role("crm_frozen_owner", "frozen-owner-pw", "LOGIN CREATEROLE")
    pg_cleanup.create_database("crm_frozen", owner="crm_frozen_owner")
    dsn = pg_cleanup.dsn("crm_frozen_owner", "frozen-owner-pw", "crm_frozen")
    init = run(app, clean_env, "server", "init", "--dsn", dsn)
    assert init.returncode == 0, init.stderr
    assert "upgraded from empty" in init.stdout
    with pg_cleanup.connect("crm_frozen") as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert row is not None


@pytest.fixture
def window_process(
    app: Path, clean_env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    # A profile made by the command line: the first-run wizard is only for one the window makes.
    profile = tmp_path / "profile"
    demo = run(app, clean_env, "--profile", str(profile), "demo", "--customers", "30")
    assert demo.returncode == 0, demo.stderr
    output = (tmp_path / "window.out").open("wb")
    process = subprocess.Popen(
        [str(app), "--profile", str(profile)], env=clean_env, stdout=output, stderr=output
    )
    try:
        yield process, profile
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output.close()


def test_the_built_app_opens_its_window(
    window_process: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    process, profile = window_process
    log = profile / "crm-desktop.log"
    deadline = time.monotonic() + WINDOW_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if log.is_file() and "main window shown" in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.2)
    output = (tmp_path / "window.out").read_text(errors="replace")
    assert process.poll() is None, f"the app ended ({process.returncode}): {output}"
    assert log.is_file(), output
    text = log.read_text(encoding="utf-8")
    assert "main window shown" in text, text
    assert "Traceback" not in text
    # Still running a moment later: the window did not fall over right after showing.
    time.sleep(1)
    assert process.poll() is None, output
