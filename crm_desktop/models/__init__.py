"""SQLAlchemy entities and the domain rules on them. No Qt widgets here."""
