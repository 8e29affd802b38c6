"""ImportFlow: one file's way into the library, as stores a view can show.

    flow = ImportFlow(state)
    await flow.open(file)       # a browser File (or anything with name and arrayBuffer())
    flow.phase                  # "reading" → "preview" (or "failed")
    flow.scope_key.set("story:<id>"); flow.on_conflict.set("copy")
    await flow.start()          # "importing" (done/total move) → "done" | "cancelled" | "failed"
    flow.cancel()               # from the Cancel button, while importing: nothing is written

Nothing here touches the document; ``import_panel`` shows a flow.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Literal, cast

from app.reactive import Writable, get, writable

from ._state import UiState

if TYPE_CHECKING:
    from app.domain import ConflictPolicy, ImportReport, LorebookLevel
    from app.domain.files import ScopeOption
    from app.domain.library import CancelToken, Incoming, LoreScope

__all__ = ["ImportFlow", "ImportPhase", "file_bytes", "file_list", "scope_key", "scope_of"]

ImportPhase = Literal["idle", "reading", "failed", "preview", "importing", "done", "cancelled"]
GLOBAL_KEY = "global"


def scope_key(level: str, scope_id: str | None) -> str:
    """``"story:<id>"`` (``"global"``): a scope as a select option's value."""
    return GLOBAL_KEY if level == "global" or not scope_id else f"{level}:{scope_id}"


def scope_of(key: str) -> LoreScope:
    """The scope a select option's value names (``"story:<id>"``; anything else: global)."""
    from app.domain import LEVELS
    from app.domain.library import LoreScope

    level, _, scope_id = key.partition(":")
    if level not in LEVELS or level == "global" or not scope_id:
        return LoreScope()
    return LoreScope(cast("LorebookLevel", level), scope_id)


def file_list(files: Any) -> list[Any]:
    """The files of an input's or a drop's ``files`` (a ``FileList`` or a list)."""
    if files is None or type(files).__name__ in ("JsNull", "JsUndefined"):
        return []
    if hasattr(files, "item"):
        return [files.item(i) for i in range(int(files.length))]
    return list(files)


async def file_bytes(file: Any) -> bytes:
    """A picked file's bytes (``await file.arrayBuffer()``)."""
    buffer = await file.arrayBuffer()
    return bytes(buffer.to_bytes()) if hasattr(buffer, "to_bytes") else bytes(buffer)


def _messages(error: BaseException) -> list[str]:
    from app.domain import DomainError, InvalidDataError

    if isinstance(error, InvalidDataError):
        return [str(e) for e in error.errors] or [str(error)]
    if isinstance(error, DomainError):
        return [str(error)]
    text = str(error).strip()
    return [f"{type(error).__name__}: {text}" if text else type(error).__name__]


class ImportFlow:
    """The stores of one import and the actions that move it along."""

    def __init__(self, state: UiState, *, preferred_scope: str = GLOBAL_KEY) -> None:
        self.state = state
        self.preferred_scope = preferred_scope
        self.phase: Writable[ImportPhase] = writable("idle")
        self.filename: Writable[str] = writable("")
        self.incoming: Writable[Incoming | None] = writable(None)
        self.errors: Writable[list[str]] = writable([])
        #: Whether the errors are the file's (else: storage, a scope gone...).
        self.failed_in_file: Writable[bool] = writable(True)
        self.scopes: Writable[list[ScopeOption]] = writable([])
        self.scope_key: Writable[str] = writable(preferred_scope)
        self.on_conflict: Writable[str] = writable("skip")
        self.done: Writable[int] = writable(0)
        self.total: Writable[int] = writable(0)
        self.report: Writable[ImportReport | None] = writable(None)
        self._token: CancelToken | None = None
        self._reading = 0

    # -- reading ---------------------------------------------------------------------------
    async def open(self, file: Any) -> None:
        """Read a picked or dropped file and describe it (nothing is written)."""
        name = str(getattr(file, "name", "") or "the file")
        ticket = self._begin_reading(name)
        try:
            data = await file_bytes(file)
        except Exception as error:
            if ticket == self._reading:
                self._fail([f"{name} could not be read ({error})."])
            return
        await self._describe(name, data, ticket)

    async def read(self, name: str, data: bytes) -> None:
        """Describe bytes already in hand (nothing is written)."""
        await self._describe(name, data, self._begin_reading(name))

    def _begin_reading(self, name: str) -> int:
        if get(self.phase) == "importing":
            raise RuntimeError("an import is running; cancel it first")
        self._reading += 1
        self.filename.set(name)
        self.incoming.set(None)
        self.report.set(None)
        self.errors.set([])
        self.phase.set("reading")
        return self._reading

    async def _describe(self, name: str, data: bytes, ticket: int) -> None:
        await asyncio.sleep(0)  # let "Reading…" paint before the file is parsed
        try:
            incoming = await self.state.files.importer.describe(data, name)
            scopes = await self.state.files.scopes() if incoming.scoped else []
        except Exception as error:
            if ticket == self._reading:
                self._fail(_messages(error))
            return
        if ticket != self._reading:  # another file was chosen meanwhile
            return
        keys = {scope_key(o.scope.level, o.scope.scope_id) for o in scopes}
        self.scopes.set(scopes)
        self.scope_key.set(self.preferred_scope if self.preferred_scope in keys else GLOBAL_KEY)
        self.on_conflict.set("skip")
        self.incoming.set(incoming)
        self.phase.set("preview")

    def _fail(self, messages: list[str], *, in_file: bool = True) -> None:
        self.failed_in_file.set(in_file)
        self.errors.set(messages)
        self.phase.set("failed")

    # -- importing -------------------------------------------------------------------------
    async def start(self) -> ImportReport | None:
        """Import the previewed file with the chosen scope and conflict policy."""
        from app.domain import InvalidDataError
        from app.domain.library import CancelToken, ImportCancelled, ImportChoice

        incoming = get(self.incoming)
        if incoming is None or get(self.phase) != "preview":
            return None
        policy = get(self.on_conflict)
        if policy not in ("skip", "overwrite", "copy"):
            policy = "skip"
        choice = ImportChoice(
            scope=scope_of(get(self.scope_key)), on_conflict=cast("ConflictPolicy", policy)
        )
        token = self._token = CancelToken()
        self.done.set(0)
        self.total.set(incoming.total)
        self.phase.set("importing")

        def progress(done: int, total: int) -> None:
            self.total.set(total)
            self.done.set(done)

        try:
            report = await self.state.import_file(incoming, choice, progress=progress, cancel=token)
        except ImportCancelled:
            self.phase.set("cancelled")
            return None
        except Exception as error:
            in_file = isinstance(error, InvalidDataError) and any(
                e.path != "scope" for e in error.errors
            )
            self._fail(_messages(error), in_file=in_file)
            return None
        finally:
            self._token = None
        self.report.set(report)
        self.phase.set("done")
        return report

    def cancel(self) -> None:
        """Stop the running import; it writes nothing."""
        if self._token is not None:
            self._token.cancel()

    def reset(self) -> None:
        """Back to nothing chosen (a running import is cancelled)."""
        self.cancel()
        self._reading += 1
        self.incoming.set(None)
        self.report.set(None)
        self.errors.set([])
        self.phase.set("idle")
