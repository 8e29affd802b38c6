"""Accounts and sessions: argon2 hashes, hashed tokens, logout, rate limits."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.server import ServerConfig
from app.server._schema import sessions, users
from tests.server._support import Api, running_app


async def test_register_needs_open_registration(sqlite_url: str) -> None:
    async with running_app(ServerConfig(database_url=sqlite_url, purge_interval_s=0)) as app:
        api = Api(app)
        response = await api.http.post("/api/v1/auth/register",
                                       json={"username": "ana", "password": "long enough"})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
        await api.close()


async def test_register_then_login(app: Any) -> None:
    api = Api(app)
    response = await api.http.post("/api/v1/auth/register",
                                   json={"username": "Ana", "password": "long enough"})
    assert response.status_code == 201
    user_id = response.json()["user_id"]
    again = await api.http.post("/api/v1/auth/register",
                                json={"username": "ana", "password": "long enough"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    login = await api.login("ANA", "long enough")
    assert login.status_code == 200
    assert login.json()["user_id"] == user_id
    assert len(login.json()["token"]) >= 40
    await api.close()


async def test_short_password_and_bad_username_are_refused(app: Any) -> None:
    api = Api(app)
    short = await api.http.post("/api/v1/auth/register",
                                json={"username": "ana", "password": "1234567"})
    assert short.status_code == 400
    assert "8 characters" in short.json()["error"]["message"]
    spaces = await api.http.post("/api/v1/auth/register",
                                 json={"username": "a b", "password": "12345678"})
    assert spaces.status_code == 400
    missing = await api.http.post("/api/v1/auth/register", json={"username": "ana"})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid_request"
    await api.close()


async def test_passwords_are_stored_as_argon2_with_default_costs(sqlite_url: str) -> None:
    from argon2 import PasswordHasher

    config = ServerConfig(database_url=sqlite_url, open_registration=True, purge_interval_s=0)
    async with running_app(config, hasher=PasswordHasher()) as app:
        api = Api(app)
        response = await api.http.post("/api/v1/auth/register",
                                       json={"username": "ana", "password": "sesame open"})
        assert response.status_code == 201
        async with app.state.server.db.read() as conn:
            digest = (await conn.execute(select(users.c.password_hash))).scalar_one()
        assert digest.startswith("$argon2id$")
        assert "sesame" not in digest
        assert PasswordHasher().verify(digest, "sesame open")
        assert (await api.login("ana", "sesame open")).status_code == 200
        await api.close()


async def test_wrong_password_and_unknown_user_get_the_same_answer(make_api: Any) -> None:
    api = await make_api()
    wrong = await api.login(api.username, "not the password")
    unknown = await api.login("nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "unauthorized"


async def test_tokens_are_stored_only_as_hashes(make_api: Any, app: Any) -> None:
    api = await make_api()
    async with app.state.server.db.read() as conn:
        stored = (await conn.execute(select(sessions.c.token_hash))).scalars().all()
    assert api.token not in stored
    assert hashlib.sha256(api.token.encode()).hexdigest() in stored


async def test_calls_without_a_valid_token_are_unauthorized(app: Any) -> None:
    api = Api(app)
    for token in (None, "made-up"):
        api.token = token
        for response in (await api.pull(), await api.push([])):
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"
    health = await api.http.get("/api/v1/health")
    assert health.status_code == 200 and health.json() == {"status": "ok", "protocol": 1}
    await api.close()


async def test_logout_ends_the_session_at_once(make_api: Any) -> None:
    api = await make_api()
    assert (await api.pull()).status_code == 200
    response = await api.http.post("/api/v1/auth/logout", headers=api.headers())
    assert response.status_code == 204
    assert (await api.pull()).status_code == 401
    assert (await api.http.post("/api/v1/auth/logout", headers=api.headers())).status_code == 401


async def test_other_sessions_survive_one_logout(make_api: Any) -> None:
    first = await make_api()
    second = Api(first.app)
    await second.login(first.username, "correct horse")
    await first.http.post("/api/v1/auth/logout", headers=first.headers())
    assert (await second.pull()).status_code == 200
    await second.close()


async def test_failed_logins_are_rate_limited_per_user(sqlite_url: str) -> None:
    config = ServerConfig(database_url=sqlite_url, purge_interval_s=0,
                          login_failures_per_user=3)
    async with running_app(config) as app:
        api = await Api(app).signup("ana", "right password")
        for _ in range(3):
            assert (await api.login("ana", "wrong")).status_code == 401
        limited = await api.login("ana", "right password")
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
        other = await Api(app).signup("bob", "right password")  # other users are not affected
        assert other.token
        await api.close()
        await other.close()


async def test_failed_logins_are_rate_limited_per_address(sqlite_url: str) -> None:
    config = ServerConfig(database_url=sqlite_url, purge_interval_s=0,
                          login_failures_per_address=4)
    async with running_app(config) as app:
        guesser = Api(app, address="10.0.0.9")
        for n in range(4):
            assert (await guesser.login(f"name{n}", "guess")).status_code == 401
        assert (await guesser.login("name9", "guess")).status_code == 429
        elsewhere = Api(app, address="10.0.0.10")
        assert (await elsewhere.login("name9", "guess")).status_code == 401
        await guesser.close()
        await elsewhere.close()


async def test_requests_are_rate_limited_per_user(sqlite_url: str) -> None:
    config = ServerConfig(database_url=sqlite_url, purge_interval_s=0,
                          requests_per_second=0.01, request_burst=3)
    async with running_app(config) as app:
        api = await Api(app).signup()
        statuses = [(await api.pull()).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        other = await Api(app).signup()
        assert (await other.pull()).status_code == 200
        await api.close()
        await other.close()


def test_user_command_makes_an_account_and_resets_its_password(
        tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    import asyncio
    import io

    from tools.__main__ import main

    monkeypatch.delenv("LK_DATABASE_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("first password\n"))
    assert main(["user", "add", "zoe", "--data", str(tmp_path)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("other password\n"))
    assert main(["user", "add", "Zoe", "--data", str(tmp_path)]) == 2
    assert "taken" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "yan", "--data", str(tmp_path)]) == 2
    assert "8 characters" in capsys.readouterr().err

    async def login(password: str) -> int:
        url = f"sqlite+aiosqlite:///{tmp_path / 'lorekeeper.sqlite3'}"
        async with running_app(ServerConfig(database_url=url, purge_interval_s=0)) as app:
            api = Api(app)
            status = (await api.login("zoe", password)).status_code
            await api.close()
            return status

    assert asyncio.run(login("first password")) == 200
    monkeypatch.setattr("sys.stdin", io.StringIO("second password\n"))
    assert main(["user", "password", "zoe", "--data", str(tmp_path)]) == 0
    assert asyncio.run(login("first password")) == 401
    assert asyncio.run(login("second password")) == 200
