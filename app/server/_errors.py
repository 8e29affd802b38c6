"""API errors: ``{"error": {"code", "message", ...}}`` with the status SYNC.md names."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

__all__ = ["ApiError", "error_response", "install_error_handlers", "validation_message"]

_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "invalid_request", 409: "conflict", 410: "reset_required",
          413: "payload_too_large", 422: "invalid_request", 426: "upgrade_required",
          429: "rate_limited"}


class ApiError(Exception):
    """Raised anywhere in a request; answered as the protocol's error body."""

    def __init__(self, status: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def error_response(error: ApiError) -> JSONResponse:
    body = {"error": {"code": error.code, "message": error.message, **error.extra}}
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def validation_message(error: ValidationError | RequestValidationError) -> str:
    """Where the request is wrong, never what it contained (no library content)."""
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(ApiError(422, "invalid_request", validation_message(exc)))


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODES.get(exc.status_code, "invalid_request")
    message = "not found" if exc.status_code == 404 else str(exc.detail)
    return error_response(ApiError(exc.status_code, code, message,
                                   headers=dict(exc.headers or {})))


def install_error_handlers(app: Any) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
