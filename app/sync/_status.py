"""What the sync is doing, as the screen shows it (and other tabs hear it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ._replica import Progress
from ._state import Rejection

__all__ = ["State", "SyncStatus"]

State = Literal["off", "signed_out", "syncing", "synced", "waiting", "offline", "error",
                "upgrade"]


@dataclass(frozen=True)
class SyncStatus:
    state: State = "off"
    #: records with changes the server has not acknowledged yet
    pending: int = 0
    rejected: tuple[Rejection, ...] = ()
    #: the first sync of a large library (push or pull), None otherwise
    progress: Progress | None = None
    error: str | None = None
    server: str | None = None
    username: str | None = None
    last_synced_ms: int | None = None
    #: seconds until the next attempt after a failure
    retry_in: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The one line the status shows (UI.md: "Synced", "Syncing", "Offline",
        "N changes waiting")."""
        if self.state == "syncing":
            return "Syncing"
        if self.state == "offline":
            return "Offline" + (f" — {self._waiting()}" if self.pending else "")
        if self.state == "off":
            return "Not syncing: sign in to a sync server"
        if self.state == "signed_out":
            return "Signed out" + (f" — {self._waiting()}" if self.pending else "")
        if self.state == "upgrade":
            return "Update Lorekeeper to keep syncing" + (
                f" — {self._waiting()}" if self.pending else "")
        if self.state == "error":
            return f"Sync failed: {self.error}" + (f" — {self._waiting()}" if self.pending else "")
        if self.pending:
            return self._waiting()
        return "Synced"

    def _waiting(self) -> str:
        return f"{self.pending} change{'' if self.pending == 1 else 's'} waiting"

    def to_message(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = [dict(r) for r in self.rejected]
        return data

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> SyncStatus:
        progress = data.get("progress")
        return cls(
            state=data.get("state", "off"), pending=int(data.get("pending", 0)),
            rejected=tuple(data.get("rejected") or ()),
            progress=Progress(**progress) if progress else None, error=data.get("error"),
            server=data.get("server"), username=data.get("username"),
            last_synced_ms=data.get("last_synced_ms"), retry_in=data.get("retry_in"))
