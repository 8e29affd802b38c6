"""Alembic migrations of the sync server's database (run on every start)."""
