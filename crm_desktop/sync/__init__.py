"""Sync with the shared PostgreSQL server: server schema and roles now; outbox push and pull next.

No Qt widgets here: sync reports progress through plain callbacks the window implements.
"""
