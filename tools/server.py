"""A small static file server for the built site (and the test pages), 127.0.0.1 only.

Serves correct MIME types for ``.wasm``/``.mjs``/``.webmanifest``, can mount the site
under a sub-path (``--base /lorekeeper/``) to prove it works there, and runs in a thread
so tests can start and stop it.
"""

from __future__ import annotations

import email.utils
import gzip
import http.server
import os
import posixpath
import threading
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from app.server._mime import COMPRESSIBLE, MIME

__all__ = ["StaticServer"]

_gzip_cache: dict[tuple[str, int, int], bytes] = {}
_gzip_lock = threading.Lock()


def _gzipped(path: str, stat: os.stat_result) -> bytes:
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _gzip_lock:
        body = _gzip_cache.get(key)
        if body is None:
            with open(path, "rb") as handle:
                body = gzip.compress(handle.read(), compresslevel=6, mtime=0)
            _gzip_cache[key] = body
    return body


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    mounts: ClassVar[Mapping[str, Path]] = {}
    dynamic: ClassVar[Mapping[str, bytes]] = {}

    def translate_path(self, path: str) -> str:
        path = urllib.parse.unquote(path.split("?", 1)[0].split("#", 1)[0])
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if path == prefix.rstrip("/") or path.startswith(prefix):
                rel = posixpath.normpath(path[len(prefix):] or "/").lstrip("/")
                if rel.startswith(".."):
                    break
                return str(self.mounts[prefix] / rel)
        return "/nonexistent"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in self.dynamic:
            body = self.dynamic[path]
            self.send_response(200)
            kind = "text/html" if path.endswith("/") else self.guess_type(path)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        for prefix in self.mounts:
            if path == prefix.rstrip("/") and prefix != "/":
                self.send_response(301)
                self.send_header("Location", prefix)
                self.end_headers()
                return
        if not self._send_gzipped(head_only=False):
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._send_gzipped(head_only=True):
            super().do_HEAD()

    def _send_gzipped(self, head_only: bool) -> bool:
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return False
        path = self.translate_path(self.path)
        if os.path.splitext(path)[1] not in COMPRESSIBLE or not os.path.isfile(path):
            return False
        stat = os.stat(path)
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)
            self.end_headers()
            return True
        body = _gzipped(path, stat)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", modified)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        return True

    def end_headers(self) -> None:
        if self.path.split("?", 1)[0] not in self.dynamic:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that drops a connection mid-download is not an error here


class StaticServer:
    """Serve folders at URL prefixes on 127.0.0.1 in a background thread."""

    def __init__(self, mounts: Mapping[str, Path], port: int = 0, host: str = "127.0.0.1",
                 dynamic: Mapping[str, bytes] | None = None) -> None:
        handler = type("Handler", (_Handler,), {"mounts": dict(mounts),
                                                 "dynamic": dict(dynamic or {})})
        self._httpd = _Server((host, port), handler)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def start(self) -> StaticServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


