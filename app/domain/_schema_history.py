"""Schema versions the domain has shipped, oldest first.

Version 1 is the schema written before lorebook levels existed: lorebook entries
belonged to stories only (`story_id`) and there was no `series` table. Version 2 (the
current one) is assembled from what the feature modules declare in `register`.
"""

from __future__ import annotations

__all__ = ["CURRENT_VERSION", "VERSION_1_TABLES"]

CURRENT_VERSION = 2

VERSION_1_TABLES: dict[str, str] = {
    "settings": "key",
    "personas": "id, name, updated_at",
    "characters": "id, name, folder_id, *tags, updated_at",
    "chats": "id, character_id, folder_id, updated_at",
    "messages": "id, chat_id, [chat_id+created_at]",
    "stories": "id, title, folder_id, updated_at",
    "chapters": "id, story_id, [story_id+order]",
    "scene_beats": "id, story_id, chapter_id, [chapter_id+order]",
    "lorebook_entries": "id, story_id, name, category, *tags",
}
