"""What the explorer refuses before any work, and how every refusal looks: a small JSON body, never the input.

- `BodyLimit` answers 413 to a body larger than the limit, by its Content-Length before reading it, or as
  it arrives for a chunked body.
- `StrictJSONRoute` reads request bodies as strict JSON: UTF-8, and no unpaired surrogates (``"\\ud800"``),
  which no UTF-8 text can carry back. NaN and Infinity tokens (not JSON, but Python's json module reads
  them) and numbers beyond double range (1e999) become non-finite floats, which every field of the
  requests refuses by name (``allow_inf_nan=False``).
- `install_error_handlers` makes every error ``{"detail": {"message", "column", "field"}}``: validation errors
  name the field and a short reason, not the value (FastAPI's default echoes the input, which can be
  megabytes, or NaN that JSON cannot encode: a 500).
"""

from __future__ import annotations

import json
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

MAX_BODY = 64 * 1024  # bytes: many times what the largest valid request (a 2000-character formula) needs
MAX_MESSAGE = 300
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}\Z")


def error_body(message: str, column: int | None = None, field: str | None = None) -> dict:
    """The JSON body of every refusal."""
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    return {"detail": {"message": message, "column": column, "field": field}}


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes is answered 413 (chunked ones as they arrive)."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _send_json(send, 413, error_body(f"the request body is larger than {self.limit} bytes"))
            return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracked_send(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyTooLarge as error:
            if started:
                raise
            await _send_json(send, 413, error_body(error.detail))


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})


def strict_json(body: bytes) -> object:
    r"""`body` parsed as strict JSON: UTF-8 text, every string valid Unicode.

    Raises json.JSONDecodeError (which FastAPI answers as an invalid body) with a message that names no input.

    Examples
    --------
    >>> strict_json(b'{"xlim": [0, 1]}')
    {'xlim': [0, 1]}
    >>> strict_json(b'{"formula": "x\\ud800"}')
    Traceback (most recent call last):
    ...
    json.decoder.JSONDecodeError: a string holds an unpaired surrogate (invalid Unicode): line 1 column 1 (char 0)
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("the body is not UTF-8 text", "", error.start) from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("the body is nested too deeply", "", 0) from None
    pending = [data]
    while pending:  # a loop, not recursion: the body may nest as deeply as json.loads allowed
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise json.JSONDecodeError("a string holds an unpaired surrogate (invalid Unicode)", "", 0) from None
    return data


class StrictJSONRequest(Request):
    async def json(self) -> object:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is read by `strict_json`."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def strict_handler(request: Request):
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


def install_error_handlers(app: FastAPI) -> None:
    """Every error as `error_body`: validation errors by field and reason, HTTP errors with their headers."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        first = problems[0] if problems else {}
        if first.get("type") == "json_invalid":
            reason = (first.get("ctx") or {}).get("error", "not JSON")
            return JSONResponse(error_body(f"the body is not valid JSON: {reason}"), status_code=422)
        field = _field(first.get("loc", ()))
        message = f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid request"))
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})"
        return JSONResponse(error_body(message, field=field), status_code=422)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> JSONResponse:
        detail = error.detail
        if isinstance(detail, dict):
            body = error_body(str(detail.get("message", "")), detail.get("column"), detail.get("field"))
        else:
            body = error_body(str(detail))
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse(error_body("internal error"), status_code=500)


def _field(location) -> str | None:
    """The request field a validation error is about (``xlim.0``), with anything that is not a plain name hidden."""
    parts = []
    for part in location:
        if part == "[key]":
            continue  # pydantic's mark for a dict key that failed: the key itself is already "*"
        if isinstance(part, int):
            parts.append(str(part))
        elif isinstance(part, str) and _PLAIN_NAME.match(part):
            parts.append(part)
        else:
            parts.append("*")
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or None
