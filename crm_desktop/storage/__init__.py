"""The local SQLite store: opening it, migrating it, and the errors it can raise."""
