"""Prompt reports: what the prompt inspector shows for a reply, kept with it.

Each version (alternative) of a generated message keeps the report of the request that
produced it last (a "Continue" replaces it): the exact messages sent with their token
counts, the budget, and the lore trace (`app.generation.BuiltPrompt.to_dict()` plus how
the request ended). Reports are large and stay on this device: they never sync, and they
go wherever their message goes (deleted with it, copied into a branch).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, JsonValue

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import EntityType, Ref
from ._feature import Feature
from ._repository import Repository

__all__ = ["FEATURE", "PROMPT_REPORT", "PromptReport", "PromptReportRepository"]


class PromptReport(Entity):
    """The prompt behind version `alternative` of message `message_id`."""

    message_id: str = Field(min_length=1)
    chat_id: str = Field(min_length=1)
    alternative: int = Field(default=0, ge=0)
    report: dict[str, JsonValue] = Field(default_factory=dict)


class PromptReportRepository(Repository[PromptReport]):
    """One report per message version: `record` replaces the one kept before."""

    async def for_message(self, message_id: str, alternative: int = 0) -> PromptReport | None:
        async with translate_db_errors():
            found: list[dict[str, Any]] = await self.table.where(
                {"message_id": message_id, "alternative": alternative}
            ).to_array()
        if not found:
            return None
        return self.load(max(found, key=lambda r: (r["updated_at"], r["id"])))

    async def record(
        self, message_id: str, chat_id: str, alternative: int, report: dict[str, JsonValue]
    ) -> PromptReport:
        """Keep `report` for that version, replacing any earlier one (one transaction)."""
        async with translate_db_errors(), self.store.transaction("rw", *self.tables_used):
            old = await self.table.where(
                {"message_id": message_id, "alternative": alternative}
            ).primary_keys()
            if old:
                await self.table.bulk_delete(list(old))
            return await self.create(
                {
                    "message_id": message_id,
                    "chat_id": chat_id,
                    "alternative": alternative,
                    "report": report,
                }
            )


PROMPT_REPORT = EntityType(
    kind="prompt_report",
    table="prompt_reports",
    schema="id, message_id, chat_id, [message_id+alternative]",
    since=3,
    model=PromptReport,
    repository=PromptReportRepository,
    references=(
        Ref("message_id", "message", required=True, on_delete="cascade"),
        Ref("chat_id", "chat", required=True, on_delete="cascade"),
    ),
    section="chats",
    syncs=False,  # large, and only this device's inspector reads them
)

FEATURE = Feature("prompt_reports", (PROMPT_REPORT,))
