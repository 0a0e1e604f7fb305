"""The one way data changes: service calls, each one transaction with its outbox entries."""
