"""Background loops that must run once across all workers and hosts.

Every worker of every host starts them; a :class:`~content_hub.workers.lease.Lease`
(a PostgreSQL advisory lock, or a file lock beside a SQLite database) lets one
of them work, and another takes over within seconds when its holder dies.
They follow the change log from a cursor (the search indexer) or poll the
database (the scheduler).
"""
