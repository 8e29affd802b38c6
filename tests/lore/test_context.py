"""The prompt context builder."""

from __future__ import annotations

from app.lore import (
    LayerCache,
    LoreContext,
    MatchOptions,
    ScanContext,
    build_context,
    build_context_async,
)
from tests.lore._factory import entry

RUN_IN_BROWSER = True


def story_entries():
    return [
        entry("Ann", name="Ann", content="{{char}}'s sister.", category="character"),
        entry("Bob", name="Bob", level="series", content="A smith.", category="character"),
        entry("Ember", name="Ember", level="story", content="A city.", category="location"),
        entry("Zed", name="Zed", content="A sword.", category="item"),
        entry("war", name="The War", content="Long ago.", category="event"),
        entry("memo", name="Memo", content="Remember.", category="note"),
        entry("Hidden", name="Hidden", content="x", category="character", enabled=False),
    ]


def test_chapter_and_scene_beat_variables():
    ctx = LoreContext(
        entries=story_entries(),
        chapter_text="Ann walked to Ember.",
        scene_beat_text="Bob forges Zed.",
        char="Cara",
        options=MatchOptions(recursive=False),
    )
    out = build_context(
        "CH:{{matched_entries_chapter}}|ALIAS:{{lorebook_chapter_matched_entries}}|SB:{{lorebook_scenebeat_matched_entries}}",
        ctx,
        separator=";",
    )
    assert out.text == (
        "CH:Ann: Cara's sister.;Ember: A city.|ALIAS:Ann: Cara's sister.;Ember: A city."
        "|SB:Zed: A sword.;Bob: A smith."  # same order: global before series
    )
    assert out.warnings == []
    assert set(out.scans) == {"chapter", "scenebeat"}


def test_all_category_variables_include_inherited_entries():
    ctx = LoreContext(entries=story_entries(), char="Cara")
    out = build_context(
        "{{all_characters}}\n--\n{{all_locations}}\n--\n{{all_items}}\n--\n{{all_events}}\n--\n{{all_notes}}",
        ctx,
        separator=" / ",
    )
    assert out.text.split("\n--\n") == [
        "Ann: Cara's sister. / Bob: A smith.",
        "Ember: A city.",
        "Zed: A sword.",
        "The War: Long ago.",
        "Memo: Remember.",
    ]


def test_simple_variables():
    ctx = LoreContext(
        char="Cara", user="Dee", persona="A bard.", description="Tall.", scenario="Inn."
    )
    out = build_context("{{char}} {{user}} {{persona}} {{description}} {{ scenario }}", ctx)
    assert out.text == "Cara Dee A bard. Tall. Inn."


def test_unknown_variables_stay_visible_and_warn():
    out = build_context("Hello {{mystery}} and {{char}}", LoreContext(char="Cara"))
    assert out.text == "Hello {{mystery}} and Cara"
    assert out.warnings == ["unknown template variable {{mystery}} left as written"]


def test_missing_scan_text_warns():
    out = build_context(
        "[{{lorebook_scenebeat_matched_entries}}]", LoreContext(entries=story_entries())
    )
    assert out.text == "[]"
    assert "no text to scan" in out.warnings[0]


def test_chat_messages_stand_in_for_chapter():
    ctx = LoreContext(
        entries=story_entries(),
        messages=["old Bob", "Ann here"],
        options=MatchOptions(scan_depth=1, recursive=False),
        char="Cara",
    )
    assert build_context("{{matched_entries_chapter}}", ctx).text == "Ann: Cara's sister."


def test_budget_warning_surfaces():
    ctx = LoreContext(
        entries=[entry(id="c", constant=True, content="x" * 100)],
        chapter_text="",
        options=MatchOptions(token_budget=5),
    )
    out = build_context("{{matched_entries_chapter}}", ctx)
    assert out.text == "c: " + "x" * 100
    assert any("budget" in w for w in out.warnings)


def test_shared_cache_is_used():
    cache = LayerCache()
    ctx = LoreContext(entries=story_entries(), chapter_text="Ann", cache=cache)
    build_context("{{matched_entries_chapter}}", ctx)
    builds = cache.builds
    build_context("{{matched_entries_chapter}}", ctx)
    assert cache.builds == builds


def outlet_entries():
    return [
        entry("rain", name="Rain", content="It rains.", position="outlet", outlet_name="weather"),
        entry(
            "wind",
            name="Wind",
            content="It blows.",
            position="outlet",
            outlet_name="weather",
            insertion_order=5,
        ),
        entry("sun", name="Sun", content="It shines.", position="outlet", outlet_name=""),
        entry("Ann", name="Ann", content="A knight."),
    ]


def test_outlets_are_placed_by_name_and_left_out_of_the_block():
    ctx = LoreContext(
        entries=outlet_entries(),
        chapter_text="Ann, rain, wind and sun.",
        options=MatchOptions(recursive=False),
    )
    out = build_context(
        "[{{outlet::weather}}] [{{ outlet:: weather }}] {{matched_entries_chapter}}",
        ctx,
        separator="|",
    )
    # insertion order ascending; an outlet without a name goes nowhere (SillyTavern skips it)
    assert (
        out.text
        == "[Wind: It blows.|Rain: It rains.] [Wind: It blows.|Rain: It rains.] Ann: A knight."
    )
    assert build_context("{{outlet::nothing}}", ctx).text == ""


def test_scan_context_reaches_the_scan():
    elf = entry("elf", name="Elf", content="Pointy ears.", match_persona_description=True)
    ctx = LoreContext(
        entries=[elf], chapter_text="Hello.", scan=ScanContext(persona_description="I am an elf.")
    )
    assert build_context("{{matched_entries_chapter}}", ctx).text == "Elf: Pointy ears."


async def test_async_builder_gives_the_same_text():
    ctx = LoreContext(
        entries=[*story_entries(), *outlet_entries()],
        chapter_text="Ann walked to Ember in the rain.",
        scene_beat_text="Bob.",
        char="Cara",
        options=MatchOptions(recursive=False),
    )
    template = (
        "{{matched_entries_chapter}}/{{lorebook_scenebeat_matched_entries}}/{{outlet::weather}}"
    )
    sync = build_context(template, ctx)
    both = await build_context_async(template, ctx)
    assert both.text == sync.text
    assert set(both.scans) == {"chapter", "scenebeat"}
