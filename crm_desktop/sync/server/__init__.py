"""The shared PostgreSQL server: its schema, its users (PostgreSQL login roles) and the row-level
security that decides who sees what. No Qt here; the command line and the sync engine use it."""
