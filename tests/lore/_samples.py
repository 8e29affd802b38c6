"""Real-world-shaped lorebook files, built from the published specs and exporters' field lists."""

from __future__ import annotations

import copy
from typing import Any


def st_entry(uid: int, **over: Any) -> dict[str, Any]:
    """A SillyTavern world info entry with every field `newWorldInfoEntryDefinition` has."""
    entry = {
        "uid": uid,
        "key": ["Eldoria", "the old kingdom"],
        "keysecondary": ["war"],
        "comment": "Eldoria",
        "content": "Eldoria is a fallen kingdom in the north.",
        "constant": False,
        "vectorized": False,
        "selective": True,
        "selectiveLogic": 0,
        "addMemo": True,
        "order": 100,
        "position": 0,
        "disable": False,
        "ignoreBudget": False,
        "excludeRecursion": False,
        "preventRecursion": False,
        "matchPersonaDescription": False,
        "matchCharacterDescription": False,
        "matchCharacterPersonality": False,
        "matchCharacterDepthPrompt": False,
        "matchScenario": False,
        "matchCreatorNotes": False,
        "delayUntilRecursion": False,
        "probability": 100,
        "useProbability": True,
        "depth": 4,
        "outletName": "",
        "group": "",
        "groupOverride": False,
        "groupWeight": 100,
        "scanDepth": None,
        "caseSensitive": None,
        "matchWholeWords": None,
        "useGroupScoring": None,
        "automationId": "",
        "role": None,
        "sticky": 0,
        "cooldown": 0,
        "delay": 0,
        "triggers": [],
        "displayIndex": uid,
        "characterFilter": {"isExclude": False, "names": [], "tags": []},
    }
    entry.update(over)
    return entry


def st_world() -> dict[str, Any]:
    return {
        "entries": {
            "0": st_entry(0),
            "1": st_entry(
                1,
                key=["/sword of (dawn|dusk)/i"],
                keysecondary=["Aria", "Bren"],
                comment="The twin swords",
                content="Two swords forged together.",
                selectiveLogic=3,
                position=4,
                depth=2,
                role=0,
                probability=40,
                caseSensitive=True,
                matchWholeWords=False,
                scanDepth=5,
                delayUntilRecursion=2,
                preventRecursion=True,
                group="weapons",
                sticky=3,
                characterFilter={"isExclude": True, "names": ["Bob"], "tags": []},
            ),
            "7": st_entry(
                7,
                key=["moon"],
                keysecondary=["ignored"],
                selective=False,
                comment="Moon",
                content="The moon is red.",
                constant=True,
                disable=True,
                order=5,
                position=7,
                outletName="sky",
                useProbability=False,
                probability=10,
            ),
        },
        "originalData": {"name": "Eldoria", "entries": []},
    }


def st_card_book_entry(i: int, **over: Any) -> dict[str, Any]:
    """An entry as SillyTavern exports it into a card's `character_book`."""
    entry = {
        "id": i,
        "keys": ["Aria"],
        "secondary_keys": ["sister"],
        "comment": "Aria",
        "content": "Aria is {{char}}'s younger sister.",
        "constant": False,
        "selective": True,
        "insertion_order": 100,
        "enabled": True,
        "position": "after_char",
        "use_regex": True,
        "extensions": {
            "position": 1,
            "exclude_recursion": False,
            "display_index": i,
            "probability": 100,
            "useProbability": True,
            "depth": 4,
            "selectiveLogic": 2,
            "group": "",
            "group_override": False,
            "group_weight": 100,
            "prevent_recursion": False,
            "delay_until_recursion": False,
            "scan_depth": None,
            "match_whole_words": None,
            "use_group_scoring": False,
            "case_sensitive": None,
            "automation_id": "",
            "role": 0,
            "vectorized": False,
            "sticky": 0,
            "cooldown": 0,
            "delay": 0,
            "match_persona_description": False,
            "match_character_description": False,
            "match_character_personality": False,
            "match_character_depth_prompt": False,
            "match_scenario": False,
            "match_creator_notes": False,
            "triggers": [],
            "ignore_budget": False,
            "outlet_name": "",
        },
    }
    entry.update(over)
    return entry


def card_v2() -> dict[str, Any]:
    return {
        "spec": "chara_card_v2",
        "spec_version": "2.0",
        "data": {
            "name": "Seraphina",
            "description": "A guardian of the forest.",
            "personality": "kind, protective",
            "scenario": "{{user}} wakes up in the forest.",
            "first_mes": "You're awake!",
            "mes_example": "<START>\n{{char}}: Hello.",
            "creator_notes": "Made for testing.",
            "system_prompt": "",
            "post_history_instructions": "",
            "alternate_greetings": ["Hi there."],
            "tags": ["fantasy"],
            "creator": "someone",
            "character_version": "1.2",
            "extensions": {
                "talkativeness": "0.5",
                "fav": False,
                "world": "Eldoria",
                "depth_prompt": {"prompt": "", "depth": 4},
            },
            "character_book": {
                "name": "Seraphina's lore",
                "description": "",
                "scan_depth": 50,
                "token_budget": 500,
                "recursive_scanning": False,
                "extensions": {},
                "entries": [
                    st_card_book_entry(0),
                    st_card_book_entry(
                        1,
                        keys=["forest", "glade"],
                        secondary_keys=[],
                        comment="Forest",
                        name="The forest",
                        content="An ancient forest.",
                        constant=True,
                        priority=10,
                        insertion_order=5,
                        position="before_char",
                        case_sensitive=True,
                        some_future_field={"nested": [1, 2]},
                    ),
                ],
            },
        },
    }


def card_v3() -> dict[str, Any]:
    card = copy.deepcopy(card_v2())
    card["spec"] = "chara_card_v3"
    card["spec_version"] = "3.0"
    data = card["data"]
    data.update(
        {
            "nickname": "Sera",
            "creator_notes_multilingual": {"en": "Made for testing.", "ko": "테스트용"},
            "source": ["https://example.invalid/sera"],
            "group_only_greetings": [],
            "creation_date": 1700000000,
            "modification_date": 1700000500,
            "assets": [{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}],
        }
    )
    book = data["character_book"]
    book["entries"][0]["use_regex"] = False
    book["entries"][1]["use_regex"] = False
    book["entries"].append(
        {
            "keys": ["/\\bdawn(?:blade)?\\b/i"],
            "content": "@@depth 2\nDawnblade glows at sunrise.",
            "extensions": {},
            "enabled": True,
            "insertion_order": 50,
            "use_regex": True,
            "constant": False,
            "id": "dawn",
        }
    )
    return card


def lorebook_v3() -> dict[str, Any]:
    book = copy.deepcopy(card_v3()["data"]["character_book"])
    return {"spec": "lorebook_v3", "data": book}


def novelai_book() -> dict[str, Any]:
    return {
        "lorebookVersion": 5,
        "entries": [
            {
                "text": "Kael is a wandering mage.",
                "contextConfig": {
                    "prefix": "",
                    "suffix": "\n",
                    "tokenBudget": 1,
                    "reservedTokens": 0,
                    "budgetPriority": 400,
                    "trimDirection": "trimBottom",
                    "insertionType": "newline",
                    "maximumTrimType": "sentence",
                    "insertionPosition": -1,
                },
                "lastUpdatedAt": 1650000000000,
                "displayName": "Kael",
                "id": "6f1c7a4e-0000-4000-8000-000000000001",
                "keys": ["Kael", "/wander(ing|er)/"],
                "searchRange": 1000,
                "enabled": True,
                "forceActivation": False,
                "keyRelative": False,
                "nonStoryActivatable": False,
                "category": "c1",
                "loreBiasGroups": [{"phrases": [], "ensureSequenceFinish": False}],
            },
            {
                "text": "The world is flat.",
                "contextConfig": {"budgetPriority": 800, "insertionPosition": 0},
                "displayName": "World",
                "keys": [],
                "enabled": True,
                "forceActivation": True,
            },
        ],
        "settings": {"orderByKeyLocations": False},
        "categories": [{"name": "Characters", "id": "c1", "enabled": True}],
    }


def agnai_book() -> dict[str, Any]:
    return {
        "kind": "memory",
        "name": "Tavern memories",
        "description": "Things the bartender knows",
        "userId": "u1",
        "entries": [
            {
                "name": "Bartender",
                "entry": "Grom runs the tavern.",
                "keywords": ["Grom", "bartend*"],
                "priority": 10,
                "weight": 5,
                "enabled": True,
            },
            {
                "name": "Ale",
                "entry": "The ale is sour.",
                "keywords": ["ale"],
                "priority": 0,
                "weight": 1,
                "enabled": False,
            },
        ],
    }
