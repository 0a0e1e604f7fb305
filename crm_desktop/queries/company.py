"""The company letterhead quotes printed as PDF carry: the header and logo an administrator set
on the server, as the last sync brought it (models.entities.CompanyLetterhead)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm_desktop.models.entities import CompanyLetterhead


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str | None
    phone: str | None
    email: str | None
    website: str | None
    tax_id: str | None
    logo: bytes | None  # PNG or JPEG


def letterhead(session: Session) -> Letterhead | None:
    """The letterhead, or None when no name has been set (never synced with a server that has
    one, or the administrator has not filled it in yet): a quote then prints without one."""
    row = session.get(CompanyLetterhead, 1)
    if row is None or not row.name.strip():
        return None
    return Letterhead(
        name=row.name,
        address=_text(row.address),
        phone=_text(row.phone),
        email=_text(row.email),
        website=_text(row.website),
        tax_id=_text(row.tax_id),
        logo=bytes(row.logo) if row.logo else None,
    )


def _text(value: str | None) -> str | None:
    # An emptied field is stored as NULL by the server side, but an old row might hold "":
    # a header line with nothing in it is the same as no line.
    return value if value and value.strip() else None
