"""Migrations are history: they carry their own statements (or frozen copies in their own
package) and never import live code that may change after they shipped."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from crm_desktop.models import search_keys
from crm_desktop.storage import search_index
from crm_desktop.storage.migrations import frozen
from crm_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ("crm_desktop.storage.migrations", ROOT / "crm_desktop/storage/migrations")
SERVER = ("crm_desktop.sync.server.migrations", ROOT / "crm_desktop/sync/server/migrations")
# The local env.py is the alembic environment, not history: the models' metadata it imports is
# only what `alembic revision --autogenerate` compares against; an upgrade runs none of it.
ENV_MAY_IMPORT = {
    LOCAL[1] / "env.py": {"crm_desktop.models.entities", "crm_desktop.models.base.Base"},
    SERVER[1] / "env.py": set(),
}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def live_imports(source: str, own_package: str) -> list[str]:
    """What the source imports from crm_desktop outside `own_package` (anywhere in the file,
    functions included), plus any relative import: alembic loads a revision file by its path,
    not as part of a package."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append("." * node.level + (node.module or ""))
                continue
            module = node.module or ""
            if _within(module, own_package):
                continue
            names = [f"{module}.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            in ("import_module", "__import__")
        ):
            names = [node.args[0].value]
        else:
            continue
        found.extend(
            name
            for name in names
            if _within(name, "crm_desktop") and not _within(name, own_package)
        )
    return found


def migration_files() -> list[tuple[str, Path]]:
    return [
        (package, path)
        for package, folder in (LOCAL, SERVER)
        for path in sorted(folder.rglob("*.py"))
        if path.name != "env.py"
    ]


@pytest.mark.parametrize(
    ("package", "path"),
    migration_files(),
    ids=[str(path.relative_to(ROOT)) for _package, path in migration_files()],
)
def test_a_migration_imports_nothing_live(package: str, path: Path) -> None:
    assert live_imports(path.read_text(encoding="utf-8"), package) == []


def test_every_revision_is_checked() -> None:
    checked = {path.name for _package, path in migration_files()}
    assert {"0002_search_index.py", "0005_customer_search_key.py", "frozen.py"} <= checked
    assert "0003_server_hardening.py" in checked


@pytest.mark.parametrize(("package", "folder"), [LOCAL, SERVER], ids=["local", "server"])
def test_an_alembic_environment_imports_only_what_it_declares(package: str, folder: Path) -> None:
    env = folder / "env.py"
    assert set(live_imports(env.read_text(encoding="utf-8"), package)) <= ENV_MAY_IMPORT[env]


@pytest.mark.parametrize(
    "source",
    [
        "from crm_desktop.models.search_keys import search_key",
        "import crm_desktop.storage.search_index",
        "from crm_desktop import models",
        "from crm_desktop.storage import search_index",
        "def upgrade():\n    from crm_desktop.storage.store import Store",
        "import importlib\nimportlib.import_module('crm_desktop.models.phones')",
        "from . import frozen",
    ],
)
def test_the_check_catches_a_live_import(source: str) -> None:
    assert live_imports(source, LOCAL[0]) != []


@pytest.mark.parametrize(
    "source",
    [
        "from crm_desktop.storage.migrations import frozen",
        "from crm_desktop.storage.migrations.frozen import search_key_v1",
        "import sqlalchemy as sa\nfrom alembic import op",
    ],
)
def test_the_check_lets_frozen_copies_and_libraries_through(source: str) -> None:
    assert live_imports(source, LOCAL[0]) == []


LOAD_ALL = """
import importlib.util
import sys
from pathlib import Path

for number, path in enumerate(sys.argv[1:]):
    spec = importlib.util.spec_from_file_location(f"revision_{number}", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
print("\\n".join(sorted(name for name in sys.modules if name.split(".")[0] == "crm_desktop")))
"""


def test_loading_every_revision_loads_no_live_module() -> None:
    """What the import check cannot see: a frozen module, or a package on the way to it,
    that itself imports live code."""
    revisions = [path for _package, path in migration_files() if path.parent.name == "versions"]
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_ALL, *map(str, revisions)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    packages = {"crm_desktop", "crm_desktop.storage"}  # on the way to the migrations package
    live = [name for name in loaded if name not in packages and not _within(name, LOCAL[0])]
    assert live == []
    assert "crm_desktop.storage.migrations.frozen" in loaded  # the check saw what was loaded


# Awkward inputs: CJK of every block the grams know (and one they don't), full-width and
# accented Latin, underscores, separators, digits of other scripts, nothing at all.
AWKWARD_TEXTS = (
    "",
    "x",
    "深圳市华强电子有限公司",
    "li lei\x1flilei@example.com\x1f+8613800138000\x1f13800138000",
    "粤b12345\x1f粤b-12345",
    "㐀㐁㐂 extension a",
    "豈更車 compatibility",
    "𠀀𠀁 extension b",
    "snake_case under_score __x__",
    "ＡＢＣ１２３ full width",
    "Ünïcödé straße ǅemal",
    "١٢٣ ٤٥ arabic-indic",
    "中a文b字c",
    "  spaced\tout\n  ",
    "a-b.c/d·e",
)
AWKWARD_IDS = (
    "",
    "c1",
    "0b9f3a52-6a0c-4c5e-9d6b-2f1c3e4d5a6b",
    "客户-1",
    "😀",
    "\x00",
    "x" * 300,
)


@pytest.mark.parametrize("customer_id", AWKWARD_IDS)
def test_the_frozen_search_key_is_still_the_live_one(customer_id: str) -> None:
    key = frozen.search_key_v1(customer_id)
    assert key == search_keys.search_key(customer_id)
    assert 0 <= key < 2**63  # an SQLite integer


@pytest.mark.parametrize("search_text", AWKWARD_TEXTS)
def test_the_frozen_grams_are_still_the_live_ones(search_text: str) -> None:
    assert frozen.short_grams_v1(search_text) == search_index.short_grams(search_text)


def test_the_frozen_index_tables_are_still_the_live_ones() -> None:
    assert frozen.FTS_CREATE_V1 == search_index.CREATE_STATEMENTS
    assert frozen.FTS_DROP_V1 == search_index.DROP_STATEMENTS
    assert (frozen.TRIGRAM_TABLE_V1, frozen.GRAM_TABLE_V1) == (
        search_index.TRIGRAM_TABLE,
        search_index.GRAM_TABLE,
    )


def index_rows(session) -> list[tuple]:
    trigrams = session.execute(
        text("SELECT rowid, customer_id, search_text FROM customer_trigrams ORDER BY rowid")
    ).all()
    grams = session.execute(
        text("SELECT rowid, customer_id, grams FROM customer_grams ORDER BY rowid")
    ).all()
    return [tuple(row) for row in trigrams] + [tuple(row) for row in grams]


def test_the_frozen_rebuild_makes_the_index_the_live_rebuild_makes(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        with store.write() as session:
            for number, search_text in enumerate(AWKWARD_TEXTS):
                session.execute(
                    text(
                        "INSERT INTO customers (id, name, kind, search_text, created_at,"
                        " updated_at) VALUES (:id, :name, 'company', :text, :at, :at)"
                    ),
                    {
                        "id": AWKWARD_IDS[number % len(AWKWARD_IDS)] + f"-{number}",
                        "name": f"customer {number}",
                        "text": search_text,
                        "at": "2024-01-01 00:00:00",
                    },
                )
            search_index.rebuild(session)
            live = index_rows(session)
            frozen.rebuild_fts_v1(session.connection())
            assert index_rows(session) == live
        assert len(live) == 2 * len(AWKWARD_TEXTS)
    finally:
        store.close()
