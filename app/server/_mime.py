"""The content types and the compressible file types of the built site (shared by the
sync server and the development static server in ``tools/server.py``)."""

from __future__ import annotations

__all__ = ["COMPRESSIBLE", "MIME"]

MIME = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".toml": "text/plain",
    ".py": "text/plain",
    ".css": "text/css",
    ".html": "text/html",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
#: Compressed like a static host would (GitHub Pages, Netlify, nginx gzip_static).
COMPRESSIBLE = {".wasm", ".mjs", ".js", ".json", ".css", ".html", ".toml", ".webmanifest", ".py"}
