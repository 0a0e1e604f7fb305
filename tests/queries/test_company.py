"""The letterhead quotes print, as the device's store holds it after a sync: none until the
server's row has a name, blank lines left out."""

from __future__ import annotations

from datetime import datetime

from crm_desktop.models.entities import CompanyLetterhead
from crm_desktop.profile import Profile
from crm_desktop.queries.company import Letterhead, letterhead

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def store(profile: Profile, **values: object) -> None:
    with profile.store.write() as session:
        session.merge(CompanyLetterhead(id=1, updated_at=datetime(2031, 3, 3, 9), **values))


def read(profile: Profile) -> Letterhead | None:
    with profile.store.read() as session:
        return letterhead(session)


def test_none_before_a_sync_brought_one(profile: Profile) -> None:
    assert read(profile) is None


def test_none_while_the_administrator_has_set_no_name(profile: Profile) -> None:
    store(profile, name="", phone="0755-8888 8888", logo=PNG, logo_type="image/png")
    assert read(profile) is None
    store(profile, name="   ", phone="0755-8888 8888")
    assert read(profile) is None


def test_the_letterhead_with_blank_fields_left_out(profile: Profile) -> None:
    store(
        profile,
        name="华强电子有限公司",
        address="深圳市福田区华强北路 1 号",
        phone="",
        email=" ",
        website=None,
        tax_id="91440300MA5XXXXX1X",
        logo=PNG,
        logo_type="image/png",
    )
    assert read(profile) == Letterhead(
        name="华强电子有限公司",
        address="深圳市福田区华强北路 1 号",
        phone=None,
        email=None,
        website=None,
        tax_id="91440300MA5XXXXX1X",
        logo=PNG,
    )
