"""The built site, served beside the API: the MIME types static hosts use, gzip for text
and wasm (compressed once per file version), a sub-path base, revalidation on every load
(the service worker keeps the offline copy)."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import mimetypes
import os
import posixpath
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from ._mime import COMPRESSIBLE, MIME

__all__ = ["COMPRESSIBLE", "MIME", "SiteFiles"]



def _content_type(path: str) -> str:
    kind = MIME.get(os.path.splitext(path)[1])
    if kind is None:
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return kind  # Starlette adds "; charset=utf-8" to text types


class SiteFiles:
    """``handle(request, rel)`` answers for the file ``rel`` under ``root``."""

    def __init__(self, root: Path, base: str = "/") -> None:
        self.root = root.resolve()
        self.base = base
        self._gzip: dict[tuple[str, int, int], bytes] = {}
        self._lock = asyncio.Lock()

    def _resolve(self, rel: str) -> str | None:
        clean = posixpath.normpath("/" + rel).lstrip("/")
        if clean.startswith(".."):
            return None
        path = os.path.join(self.root, clean)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None

    async def _gzipped(self, path: str, stat: os.stat_result) -> bytes:
        key = (path, stat.st_mtime_ns, stat.st_size)
        async with self._lock:
            body = self._gzip.get(key)
            if body is None:
                def compress() -> bytes:
                    with open(path, "rb") as handle:
                        return gzip.compress(handle.read(), compresslevel=6, mtime=0)

                body = await asyncio.to_thread(compress)
                self._gzip = {k: v for k, v in self._gzip.items() if k[0] != path}
                self._gzip[key] = body
        return body

    async def handle(self, request: Request, rel: str) -> Response:
        path = self._resolve(rel)
        if path is not None and rel and not rel.endswith("/") and path.endswith(
                "/index.html") and not rel.endswith("index.html"):
            return RedirectResponse(self.base + rel + "/", status_code=301)
        if path is None:
            return PlainTextResponse("Not found", status_code=404)
        headers = {"Cache-Control": "no-cache"}
        kind = _content_type(path)
        gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
        if gzip_ok and os.path.splitext(path)[1] in COMPRESSIBLE:
            stat = os.stat(path)
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            headers.update({"Last-Modified": modified, "Vary": "Accept-Encoding"})
            if request.headers.get("if-modified-since") == modified:
                return Response(status_code=304, headers=headers)
            body = await self._gzipped(path, stat)
            headers["Content-Encoding"] = "gzip"
            if request.method == "HEAD":
                headers["Content-Length"] = str(len(body))
                return Response(status_code=200, headers=headers, media_type=kind)
            return Response(body, headers=headers, media_type=kind)
        return FileResponse(path, headers=headers, media_type=kind)

    async def base_redirect(self, _request: Request) -> Response:
        return RedirectResponse(self.base, status_code=301)
