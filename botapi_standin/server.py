"""The HTTP side of the stand-in: aiohttp server on loopback, dispatch, fault injection."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any, Self

from aiohttp import web

from botapi_standin.entities import JsonDict
from botapi_standin.state import ApiCall, Fault, StandinState, log
from botapi_standin.validation import (
    MAX_UPLOAD,
    ApiError,
    Params,
    Upload,
    bad_request,
    normalize_params,
)

Handler = Callable[[Params], Awaitable[Any]]


class HttpServer(StandinState):
    """The aiohttp server: routing to the `_api_<method>` handlers, files, injected faults."""

    async def start(self) -> None:
        """Bind the server (port 0 picks a free port, see `port`)."""
        self._closing = False
        self._methods: dict[str, Handler] = {  # method names are case-insensitive
            name[len("_api_") :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release pending long polls and close the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """Give to PTB as `base_url` (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Give to PTB as `base_file_url`."""
        return f"http://{self.host}:{self.port}/file/bot"

    # ------------------------------------------------------------------ HTTP plumbing

    @staticmethod
    def _error_response(
        code: int, description: str, retry_after: int | None = None
    ) -> web.Response:
        body: JsonDict = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=code)

    async def _read_params(self, request: web.Request) -> tuple[JsonDict, dict[str, Upload]]:
        raw: JsonDict = dict(request.query)
        files: dict[str, Upload] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad_request("can't parse JSON object")
                raw.update(body)
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        files[key] = Upload(value.filename, value.file.read(), value.content_type)
                    else:
                        raw[key] = value
        return normalize_params(raw), files

    @staticmethod
    def _drop(request: web.Request) -> None:
        """Simulate a network failure: close the socket without any HTTP response."""
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error_response(401, "Unauthorized")
        name = request.match_info["method"]
        handler = self._methods.get(name.lower())
        if handler is None:
            log.warning("LocalBotApi: unknown or unemulated method %s", name)
            self.unknown_methods.append(name)
            return self._error_response(404, "Not Found")
        method = handler.__name__[len("_api_") :]
        self.counters[method] += 1
        call = ApiCall(method, {})
        fault: Fault | None = None
        try:
            raw, files = await self._read_params(request)
            call.params = copy.deepcopy(raw) | {
                k: {"filename": u.filename, "size": len(u.content)} for k, u in files.items()
            }
            fault = self._take_fault(method, raw)
            if fault is not None and fault.drop and not fault.deliver:
                self._record(call, ok=False, description="connection dropped (drop_next)")
                self._drop(request)
            if fault is not None and not fault.drop:
                raise ApiError(fault.error_code, fault.description, fault.retry_after)
            result = await handler(Params(raw, files))
        except ApiError as exc:
            if exc.code == 429:
                self.rate_limited_count += 1
            self._record(
                call,
                ok=False,
                error_code=exc.code,
                description=exc.description,
                retry_after=exc.retry_after,
            )
            if fault is not None and fault.drop:
                self._drop(request)
            return self._error_response(exc.code, exc.description, exc.retry_after)
        self._record(call, result=result)
        if fault is not None and fault.drop:
            self._drop(request)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: ApiCall, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(call, key, value)
        if call.method != "getUpdates":
            self.sent.append(call)
            self._call_counts[call.method, call.ok] += 1
            self._notify()

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error_response(401, "Unauthorized")
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            return self._error_response(404, "Not Found")
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error_code: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` (optionally for `chat_id`) fail.

        Nothing is delivered. e.g. fail_next("sendMessage", error_code=429,
        description="Too Many Requests: retry after 3", retry_after=3).
        """
        self._faults.append(
            Fault(method.lower(), chat_id, times, error_code, description, retry_after)
        )

    def drop_next(
        self, method: str, *, chat_id: int | None = None, times: int = 1, deliver: bool = False
    ) -> None:
        """Close the connection without a response for the next `times` calls of `method`.

        With `deliver=True` the call takes effect first (the message IS sent), reproducing the
        "did it go through?" ambiguity of a timeout after Telegram processed the request.
        """
        self._faults.append(Fault(method.lower(), chat_id, times, drop=True, deliver=deliver))

    def clear_faults(self) -> None:
        self._faults.clear()

    def _take_fault(self, method: str, raw: JsonDict) -> Fault | None:
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, raw.get("chat_id")):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None
