"""The server's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["clients", "metadata", "records", "sessions", "users"]

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False),
    #: casefolded username: unique, so "Ana" and "ana" are one account
    Column("username_key", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    #: the last change number handed out for this user (pull cursors count these)
    Column("change_seq", BigInteger, nullable=False, default=0),
    #: tombstones with a change number up to this were purged
    Column("purged_seq", BigInteger, nullable=False, default=0),
)

sessions = Table(
    "sessions",
    metadata,
    #: sha256 of the bearer token; the token itself is never stored
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("created_at_ms", BigInteger, nullable=False),
)

clients = Table(
    "clients",
    metadata,
    Column("client_id", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("created_at_ms", BigInteger, nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"),
           primary_key=True),
    Column("tbl", String(64), primary_key=True),
    Column("rid", String(200), primary_key=True),
    #: JSON object: field -> [value, hlc]
    Column("fields", Text, nullable=False),
    #: the change number of the last change that altered this record
    Column("seq", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("changed_at_ms", BigInteger, nullable=False),
)
Index("records_by_seq", records.c.user_id, records.c.seq, unique=True)
