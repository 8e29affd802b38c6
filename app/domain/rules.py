"""Rules (reusable prompt snippets), tags, and the many-to-many links between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from ._db_errors import translate_db_errors
from ._entity import Entity
from ._entity_type import EntityType, Ref
from ._feature import Feature, tables_of
from ._repository import Repository

__all__ = [
    "FEATURE",
    "RULE",
    "TAG",
    "TAG_RULE_LINK",
    "Rule",
    "RuleRepository",
    "Rules",
    "Tag",
    "TagRepository",
    "TagRuleLink",
    "TagRuleLinkRepository",
]


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


class RuleRepository(Repository[Rule]):
    """Deleting a rule deletes its links to tags."""


class TagRepository(Repository[Tag]):
    """Deleting a tag deletes its links to rules."""


class TagRuleLinkRepository(Repository[TagRuleLink]):
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

    @property
    def tables_used(self) -> tuple[str, ...]:
        return tables_of(self.rules, self.tags, self.links)


RULE = EntityType(
    kind="rule",
    table="rules",
    schema="id, name, updated_at",
    since=2,
    model=Rule,
    repository=RuleRepository,
    section="rules",
)
TAG = EntityType(
    kind="tag",
    table="tags",
    schema="id, name, updated_at",
    since=2,
    model=Tag,
    repository=TagRepository,
    section="rules",
)
TAG_RULE_LINK = EntityType(
    kind="tag_rule_link",
    table="tag_rule_links",
    schema="id, tag_id, rule_id",
    since=2,
    model=TagRuleLink,
    repository=TagRuleLinkRepository,
    label="tag link",
    references=(
        Ref("tag_id", "tag", required=True, on_delete="cascade"),
        Ref("rule_id", "rule", required=True, on_delete="cascade"),
    ),
    section="rules",
)

FEATURE = Feature(
    "rules",
    (RULE, TAG, TAG_RULE_LINK),
    api=lambda repos: Rules(
        repos.of("rule", RuleRepository),
        repos.of("tag", TagRepository),
        repos.of("tag_rule_link", TagRuleLinkRepository),
    ),
)
