"""Customers graded A, B or C by what they are worth, on a profile that works without a server.

A linked profile's grades come from the server (server migration 0015: `server apply-rules`,
the daily job, and an administrator's sync); a profile on its own grades its customers by the
same rule once a day (`local.grade_customers`), so that "A (top 5%)" means what it says there
too. `rule` is the ranking; `local` reads the store and writes through the one write path.
"""
