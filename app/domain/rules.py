"""Rules (reusable prompt snippets), tags, and the many-to-many links between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._module import declare
from ._repository import Repository
from ._store import Store

__all__ = [
    "TABLES",
    "Rule",
    "RuleRepository",
    "Rules",
    "Tag",
    "TagRepository",
    "TagRuleLink",
    "TagRuleLinkRepository",
    "register",
]

TABLES = {
    "rules": "id, name, updated_at",
    "tags": "id, name, updated_at",
    "tag_rule_links": "id, tag_id, rule_id",
}


class Rule(Entity):
    name: str = Field(min_length=1)
    content: str = ""
    type: Literal["system", "before", "after"] = "system"
    always_on: bool = False


class Tag(Entity):
    name: str = Field(min_length=1)
    color: str | None = None


class TagRuleLink(Entity):
    tag_id: str = Field(min_length=1)
    rule_id: str = Field(min_length=1)


class _DeletesLinks:
    link_field: str

    async def _cascade_delete(self, entity: Entity) -> None:
        links = self.store.table("tag_rule_links")  # type: ignore[attr-defined]
        await links.where(self.link_field).equals(entity.id).delete()


class RuleRepository(_DeletesLinks, Repository[Rule]):
    table_name = "rules"
    model = Rule
    kind = "rule"
    cascade_tables = ("tag_rule_links",)
    link_field = "rule_id"


class TagRepository(_DeletesLinks, Repository[Tag]):
    table_name = "tags"
    model = Tag
    kind = "tag"
    cascade_tables = ("tag_rule_links",)
    link_field = "tag_id"


class TagRuleLinkRepository(Repository[TagRuleLink]):
    table_name = "tag_rule_links"
    model = TagRuleLink
    kind = "tag link"
    references = (("tag_id", "tag"), ("rule_id", "rule"))

    async def link(self, tag_id: str, rule_id: str) -> TagRuleLink:
        """Link a tag and a rule (idempotent: an existing link is returned)."""
        async with translate_db_errors(), self.store.transaction("rw", *self.write_tables):
            for link in await self.where("tag_id", tag_id):
                if link.rule_id == rule_id:
                    return link
            return await self.create({"tag_id": tag_id, "rule_id": rule_id})

    async def unlink(self, tag_id: str, rule_id: str) -> int:
        async with translate_db_errors(), self.store.transaction("rw", self.table_name):
            doomed = [lk.id for lk in await self.where("tag_id", tag_id) if lk.rule_id == rule_id]
            await self.table.bulk_delete(doomed)
        return len(doomed)

    async def rules_for_tag(self, tag_id: str) -> list[str]:
        return [link.rule_id for link in await self.where("tag_id", tag_id)]

    async def tags_for_rule(self, rule_id: str) -> list[str]:
        return [link.tag_id for link in await self.where("rule_id", rule_id)]


@dataclass(frozen=True)
class Rules:
    """The rules module's repositories."""

    rules: RuleRepository
    tags: TagRepository
    links: TagRuleLinkRepository


def register(store: Store) -> Rules:
    """Declare rules, tags and their links; return the three repositories."""
    api = Rules(RuleRepository(store), TagRepository(store), TagRuleLinkRepository(store))
    return declare(store, "rules", TABLES, api)
