"""`crm-desktop server company`: the company letterhead quotes print, shown to anyone signed in
and changed by an administrator only, through the real command line against the real server.
Every refusal is one sentence and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.test_server_command import crm  # noqa: F401  (the fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000  # the server checks the signature, not the pixels
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
LABELS = ("Company name", "Address", "Phone", "Email", "Website", "Tax number", "Logo")


def shown(out: str) -> dict[str, str]:
    """The printed letterhead by label ("Company name": "Acme"...)."""
    return {
        label.strip(): value.strip()
        for label, _, value in (line.partition(":") for line in out.splitlines())
        if label in LABELS
    }


def server_row(crm_db) -> tuple:
    with crm_db.connect_admin() as connection:
        return connection.execute(
            "SELECT name, address, phone, email, website, tax_id, logo, logo_type, updated_by"
            " FROM crm_company"
        ).fetchone()


def test_an_admin_sets_the_letterhead_and_everyone_reads_it(crm, crm_db, tmp_path: Path) -> None:  # noqa: F811
    code, out, err = crm("server", "company", "--dsn", crm_db.admin_dsn)
    assert (code, err) == (0, "")
    assert shown(out)["Company name"] == "(not set: quotes print without a letterhead)"
    assert shown(out)["Logo"] == "none"
    assert f"Last changed by {crm_db.admin_login}, " in out

    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    code, out, err = crm(
        "server", "company", "set", "--name", " 华强电子有限公司 ", "--address", "深圳市福田区",
        "--phone", "0755-8888 8888", "--tax-id", "91440300MA5XXXXX1X", "--logo", str(logo),
        "--dsn", crm_db.admin_dsn,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.endswith("Every device gets it at its next sync.\n")
    assert server_row(crm_db) == (
        "华强电子有限公司",
        "深圳市福田区",
        "0755-8888 8888",
        None,
        None,
        "91440300MA5XXXXX1X",
        PNG,
        "image/png",
        crm_db.admin_login,
    )

    # A rep reads it as it is now; a CRM administrator changes part of it, in his own name.
    crm_db.add_user("rob", "rep", password="rob-pw-2026")
    crm_db.add_user("ada", "admin", password="ada-pw-2026")
    rob = crm_db.server.dsn("rob", "rob-pw-2026", crm_db.name)
    ada = crm_db.server.dsn("ada", "ada-pw-2026", crm_db.name)
    code, out, _ = crm("server", "company", "--dsn", rob)
    assert code == 0 and shown(out) == {
        "Company name": "华强电子有限公司",
        "Address": "深圳市福田区",
        "Phone": "0755-8888 8888",
        "Email": "",
        "Website": "",
        "Tax number": "91440300MA5XXXXX1X",
        "Logo": "PNG, 2 KiB",
    }
    jpeg = tmp_path / "logo.jpg"
    jpeg.write_bytes(JPEG)
    code, _, err = crm(
        "server", "company", "set", "--address", "", "--website", "hq.example.cn",
        "--logo", str(jpeg), "--dsn", ada,
    )  # fmt: skip
    assert (code, err) == (0, "")
    row = server_row(crm_db)
    assert (row[1], row[4], row[6], row[7], row[8]) == (
        None,
        "hq.example.cn",
        JPEG,
        "image/jpeg",
        "ada",
    )
    code, _, _ = crm("server", "company", "set", "--no-logo", "--dsn", ada)
    assert code == 0 and server_row(crm_db)[6:] == (None, None, "ada")

    # The rep may only read it.
    code, _, err = crm("server", "company", "set", "--name", "Rob's Ltd", "--dsn", rob)
    assert code == 1 and "Only an administrator may change the company letterhead." in err
    assert server_row(crm_db)[0] == "华强电子有限公司"


@pytest.mark.parametrize(
    ("arguments", "content", "message"),
    [
        (
            ("--name", "Acme", "--logo", "{file}"),
            b"GIF89a" + b"\x00" * 40,
            "must be a PNG or JPEG image",
        ),
        (
            ("--name", "Acme", "--logo", "{file}"),
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "is neither",
        ),
        (
            ("--name", "Acme", "--logo", "{file}"),
            b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024),
            "is 601 KiB; a logo may be at most 512 KiB.",
        ),
        (
            ("--name", "Acme", "--logo", "{missing}"),
            b"",
            "The logo file “missing.png” cannot be read.",
        ),
        (("--name", "x" * 201), b"", "Company name may be at most 200 characters long."),
        (("--tax-id", "91\t44"), b"", "Tax number must be one line of text"),
        ((), b"", "Say what to change: --name, --address"),
    ],
)
def test_a_bad_letterhead_is_one_sentence_and_changes_nothing(
    crm,  # noqa: F811
    crm_db,
    tmp_path: Path,
    arguments: tuple[str, ...],
    content: bytes,
    message: str,
) -> None:
    before = server_row(crm_db)
    file = tmp_path / "logo.png"
    file.write_bytes(content)
    argv = [a.format(file=file, missing=tmp_path / "missing.png") for a in arguments]
    code, out, err = crm("server", "company", "set", *argv, "--dsn", crm_db.admin_dsn)
    assert (code, out) == (1, "") and message in err
    assert len(err.strip().splitlines()) == 1
    assert server_row(crm_db) == before


def test_a_server_not_yet_upgraded_says_so(crm, crm_db) -> None:  # noqa: F811
    with crm_db.connect_admin() as connection:
        connection.execute("DROP TABLE crm_company")  # as a server before migration 0018
    code, _, err = crm("server", "company", "--dsn", crm_db.admin_dsn)
    assert code == 1 and "does not keep a company letterhead yet" in err
