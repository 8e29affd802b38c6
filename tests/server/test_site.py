"""The built site beside the API on one port: MIME types, gzip, sub-path, CORS."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from app.server import ServerConfig
from tests.server._support import Api, running_app


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "static" / "vendor").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Lorekeeper</title>")
    (root / "static" / "vendor" / "pyodide.asm.wasm").write_bytes(b"\0asm" + b"\1" * 4000)
    (root / "static" / "boot.mjs").write_text("export const x = 1;\n" * 200)
    (root / "manifest.webmanifest").write_text('{"name": "Lorekeeper"}')
    (root / "icon.png").write_bytes(b"\x89PNG\r\n")
    (root / "help").mkdir()
    (root / "help" / "index.html").write_text("<!doctype html><title>Help</title>")
    return root


async def _client(tmp_path: Path, site: Path, base: str = "/", **extra: Any) -> Any:
    config = ServerConfig(database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}",
                          site_dir=site, base=base, purge_interval_s=0, **extra)
    return running_app(config)


async def test_site_and_api_share_one_origin(tmp_path: Path, site: Path) -> None:
    async with await _client(tmp_path, site) as app:
        api = Api(app)
        index = await api.http.get("/")
        assert index.status_code == 200
        assert index.headers["content-type"].startswith("text/html")
        assert index.headers["cache-control"] == "no-cache"
        assert (await api.http.get("/api/v1/health")).json()["status"] == "ok"
        assert (await api.http.get("/missing.js")).status_code == 404
        await api.close()


async def test_mime_types_and_gzip_like_a_static_host(tmp_path: Path, site: Path) -> None:
    async with await _client(tmp_path, site) as app:
        api = Api(app)
        wasm = await api.http.get("/static/vendor/pyodide.asm.wasm",
                                  headers={"Accept-Encoding": "gzip"})
        assert wasm.headers["content-type"] == "application/wasm"
        assert wasm.headers["content-encoding"] == "gzip"
        assert wasm.content == (site / "static/vendor/pyodide.asm.wasm").read_bytes()
        raw = await api.http.get("/static/vendor/pyodide.asm.wasm",
                                 headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in raw.headers
        assert raw.content == wasm.content
        mjs = await api.http.get("/static/boot.mjs", headers={"Accept-Encoding": "gzip"})
        assert mjs.headers["content-type"].startswith("text/javascript")
        assert int(mjs.headers["content-length"]) < len(mjs.content)
        manifest = await api.http.get("/manifest.webmanifest")
        assert manifest.headers["content-type"] == "application/manifest+json"
        png = await api.http.get("/icon.png")
        assert png.headers["content-type"] == "image/png"
        again = await api.http.get("/static/boot.mjs", headers={
            "Accept-Encoding": "gzip", "If-Modified-Since": mjs.headers["last-modified"]})
        assert again.status_code == 304
        head = await api.http.head("/static/boot.mjs", headers={"Accept-Encoding": "gzip"})
        assert head.status_code == 200 and head.content == b""
        async with api.http.stream("GET", "/static/boot.mjs",
                                   headers={"Accept-Encoding": "gzip"}) as streamed:
            compressed = b"".join([chunk async for chunk in streamed.aiter_raw()])
        assert gzip.decompress(compressed) == (site / "static/boot.mjs").read_bytes()
        await api.close()


async def test_the_site_under_a_sub_path(tmp_path: Path, site: Path) -> None:
    async with await _client(tmp_path, site, base="/lorekeeper/") as app:
        api = Api(app)
        assert (await api.http.get("/lorekeeper/")).status_code == 200
        redirect = await api.http.get("/lorekeeper")
        assert redirect.status_code == 301 and redirect.headers["location"] == "/lorekeeper/"
        folder = await api.http.get("/lorekeeper/help")
        assert folder.status_code == 301 and folder.headers["location"] == "/lorekeeper/help/"
        assert (await api.http.get("/lorekeeper/help/")).text.endswith("<title>Help</title>")
        assert (await api.http.get("/")).status_code == 404
        assert (await api.http.get("/api/v1/health")).status_code == 200
        await api.close()


async def test_no_file_outside_the_site_is_served(tmp_path: Path, site: Path) -> None:
    (tmp_path / "secret.txt").write_text("nope")
    async with await _client(tmp_path, site) as app:
        api = Api(app)
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/static/../../secret.txt"):
            response = await api.http.get(path)
            assert response.status_code == 404
            assert b"nope" not in response.content
        await api.close()


async def test_cors_answers_only_configured_origins(tmp_path: Path, site: Path) -> None:
    async with await _client(tmp_path, site,
                             cors_origins=("https://lore.example.org",)) as app:
        api = Api(app)
        preflight = {"Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "authorization,content-type"}
        allowed = await api.http.options("/api/v1/sync/push", headers={
            "Origin": "https://lore.example.org", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://lore.example.org"
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        refused = await api.http.options("/api/v1/sync/push", headers={
            "Origin": "https://evil.example.com", **preflight})
        assert "access-control-allow-origin" not in refused.headers
        simple = await api.http.get("/api/v1/health", headers={"Origin": "https://lore.example.org"})
        assert simple.headers["access-control-allow-origin"] == "https://lore.example.org"
        await api.close()


def test_cors_origins_come_from_flags_and_the_environment(monkeypatch: Any) -> None:
    import argparse

    from tools.__main__ import _server_config

    monkeypatch.setenv("LK_CORS_ORIGINS", "https://a.example, https://b.example/")
    args = argparse.Namespace(data="data", open_registration=True,
                              cors_origin=["https://c.example", "https://a.example"])
    config = _server_config(args)
    assert config.cors_origins == ("https://a.example", "https://b.example", "https://c.example")
    assert config.open_registration
