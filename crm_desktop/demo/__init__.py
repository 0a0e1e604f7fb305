"""Sample data for trying the CRM out: realistic customers, deals, tasks and follow-ups.

Demo rows are written straight into the local store and write NO outbox entries: they are local
sample data and never sync to a server.
"""

from crm_desktop.demo.generator import DemoCounts, make_demo

__all__ = ["DemoCounts", "make_demo"]
