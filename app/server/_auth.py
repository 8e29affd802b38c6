"""Accounts and sessions: argon2 password hashes, random tokens stored only as hashes."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import time
import unicodedata
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.sync._protocol import MIN_PASSWORD_LENGTH

from ._database import ServerDatabase
from ._errors import ApiError
from ._schema import sessions, users

__all__ = ["Accounts", "UserExistsError", "check_password", "check_username", "username_key"]

_USERNAME = re.compile(r"^[\w.@+-]{1,64}$")


class UserExistsError(ValueError):
    pass


def username_key(username: str) -> str:
    """The form usernames are compared in ("Élodie" and "élodie" are one account)."""
    return unicodedata.normalize("NFKC", username).casefold()


def check_username(username: str) -> str:
    name = unicodedata.normalize("NFKC", username.strip())
    if not _USERNAME.match(name):
        raise ApiError(400, "invalid_request",
                       "a username is 1-64 letters, digits or . _ @ + - (no spaces)")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ApiError(400, "invalid_request",
                       f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class Accounts:
    """Users and their sessions in the server database."""

    def __init__(self, db: ServerDatabase, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()
        self._decoy: str | None = None

    async def _decoy_hash(self) -> str:
        """Verified against when the username is unknown, so both cases cost the same."""
        if self._decoy is None:
            self._decoy = await asyncio.to_thread(self.hasher.hash, secrets.token_hex(16))
        return self._decoy

    async def create_user(self, username: str, password: str) -> str:
        """A new account; ``UserExistsError`` when the name is taken."""
        name = check_username(username)
        check_password(password)
        digest = await asyncio.to_thread(self.hasher.hash, password)
        user_id = str(uuid.uuid4())
        try:
            async with self.db.write() as conn:
                await conn.execute(insert(users).values(
                    id=user_id, username=name, username_key=username_key(name),
                    password_hash=digest, created_at_ms=_now_ms(), change_seq=0,
                    purged_seq=0))
        except IntegrityError:
            raise UserExistsError(f"the username {name!r} is taken") from None
        return user_id

    async def set_password(self, username: str, password: str) -> None:
        check_password(password)
        digest = await asyncio.to_thread(self.hasher.hash, password)
        async with self.db.write() as conn:
            result = await conn.execute(
                update(users).where(users.c.username_key == username_key(username))
                .values(password_hash=digest))
            if result.rowcount == 0:
                raise LookupError(f"no user {username!r}")

    async def verify(self, username: str, password: str) -> str | None:
        """The user id when the pair is right, else None (same work either way)."""
        async with self.db.read() as conn:
            row = (await conn.execute(
                select(users.c.id, users.c.password_hash)
                .where(users.c.username_key == username_key(username.strip())))).first()
        digest = row.password_hash if row is not None else await self._decoy_hash()
        try:
            await asyncio.to_thread(self.hasher.verify, digest, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self.hasher.check_needs_rehash(digest):
            new = await asyncio.to_thread(self.hasher.hash, password)
            async with self.db.write() as conn:
                await conn.execute(update(users).where(users.c.id == row.id)
                                   .values(password_hash=new))
        return str(row.id)

    async def open_session(self, user_id: str) -> str:
        """A new bearer token for ``user_id`` (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        async with self.db.write() as conn:
            await conn.execute(insert(sessions).values(
                token_hash=_token_hash(token), user_id=user_id, created_at_ms=_now_ms()))
        return token

    async def user_for_token(self, token: str) -> str | None:
        async with self.db.read() as conn:
            row = (await conn.execute(select(sessions.c.user_id)
                                      .where(sessions.c.token_hash == _token_hash(token)))).first()
        return None if row is None else str(row.user_id)

    async def close_session(self, token: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))

    async def close_all_sessions(self, username: str) -> int:
        async with self.db.write() as conn:
            ids = select(users.c.id).where(users.c.username_key == username_key(username))
            result = await conn.execute(delete(sessions).where(sessions.c.user_id.in_(ids)))
            return int(result.rowcount or 0)
