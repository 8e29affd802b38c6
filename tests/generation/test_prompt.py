"""The prompt builder: order, placeholders, budget, lore placement and the inspector data."""

from __future__ import annotations

import json

import pytest

from app.generation import (
    ChatPromptInputs,
    PromptTooLongError,
    StoryPromptInputs,
    TokenCounter,
    build_chat_prompt,
    build_story_prompt,
    token_counter,
)
from app.lore import LayerCache, MatchOptions
from tests.generation._prompt_data import character, lore, messages, persona, preset

RUN_IN_BROWSER = True


@pytest.fixture
async def counter() -> TokenCounter:
    return await token_counter("gpt-4o")


def chat(counter: TokenCounter, **kw: object) -> object:
    kw.setdefault("character", character())
    kw.setdefault("persona", persona())
    kw.setdefault("preset", preset())
    kw.setdefault("lore_cache", LayerCache())
    return build_chat_prompt(ChatPromptInputs(**kw), counter)  # type: ignore[arg-type]


async def test_parts_come_in_order_with_placeholders_filled(counter: TokenCounter) -> None:
    history = messages(["Hello {{char}}!", "Greetings, {{user}}."])
    built = chat(counter, messages=history)
    roles = [m.role for m in built.messages]
    assert roles == ["system", "user", "assistant", "system"]
    system = built.messages[0].content
    order = ["You are Aria. Talk with Sam.", "Aria is a dragon who guards Sam.",
             "Aria's personality: proud, curious", "Scenario: A cave under the mountain.",
             "Sam is a knight.", "[Example dialogue]\nSam: Hi\nAria: Hello, mortal."]
    assert [system.index(t) for t in order] == sorted(system.index(t) for t in order)
    assert built.messages[1].content == "Hello Aria!"
    assert built.messages[-1].content == "Stay in character as Aria."
    assert "{{" not in json.dumps([m.content for m in built.messages])
    kinds = [p.kind for p in built.parts]
    assert kinds[:5] == ["system_prompt", "character", "character", "character", "persona"]
    assert built.parts[-1].kind == "post_history"


async def test_separate_system_messages_when_not_merged(counter: TokenCounter) -> None:
    built = chat(counter, messages=messages(["Hi"]), preset=preset(merge_system=False))
    assert [m.role for m in built.messages][:6] == ["system"] * 6
    assert built.parts[0].message == 0 and built.parts[1].message == 1


async def test_token_counts_are_exact_and_add_up(counter: TokenCounter) -> None:
    built = chat(counter, messages=messages(["Hello there", "Hi"]))
    for part in built.parts:
        assert part.tokens == counter.count(part.text)
    assert built.message_tokens == tuple(counter.count(m.content) + 3 for m in built.messages)
    assert built.budget.used == sum(built.message_tokens) + 3
    assert built.tokenizer.exact and built.tokenizer.encoding == "o200k_base"
    json.dumps(built.to_dict())  # the inspector data is plain JSON


async def test_history_is_kept_newest_first_until_the_budget_is_spent(counter: TokenCounter) -> None:
    history = messages([f"Message number {i} " + "word " * 40 for i in range(200)])
    built = chat(counter, messages=history, preset=preset(context_size=2000, max_tokens=300))
    kept = [m.content for m in built.messages if m.role in ("user", "assistant")]
    assert 0 < len(kept) < 200
    assert kept == [h.content for h in history[-len(kept):]]
    assert built.history.kept == len(kept) and built.history.dropped == 200 - len(kept)
    assert built.history.first_kept_id == history[-len(kept)].id
    assert built.budget.used <= built.budget.available == 1700
    next_older = counter.count(str(history[-len(kept) - 1].content)) + 3
    assert built.budget.used + next_older > built.budget.available


async def test_info_and_error_messages_are_not_sent(counter: TokenCounter) -> None:
    history = messages(["Hi", "Oops", "Hello", "note"], roles=["user", "error", "assistant", "info"])
    built = chat(counter, messages=history)
    assert [m.content for m in built.messages if m.role != "system"] == ["Hi", "Hello"]
    assert built.history.not_sent == 2


async def test_too_long_fixed_parts_are_an_error_naming_them(counter: TokenCounter) -> None:
    huge = character(description="A very long description. " * 400)
    with pytest.raises(PromptTooLongError) as info:
        chat(counter, character=huge, messages=messages(["Hi"]), preset=preset(context_size=1024, max_tokens=256))
    assert "Aria's description" in str(info.value) and "768" in str(info.value)
    assert any(p.label == "Aria's description" for p in info.value.parts)


async def test_a_latest_message_too_long_is_an_error_not_dropped(counter: TokenCounter) -> None:
    history = messages(["short", "word " * 2000])
    with pytest.raises(PromptTooLongError, match="latest message alone needs"):
        chat(counter, messages=history, preset=preset(context_size=1024, max_tokens=256))


async def test_examples_are_pushed_out_by_a_growing_chat_or_kept(counter: TokenCounter) -> None:
    history = messages(["word " * 100 for _ in range(30)])
    long_examples = character(example_messages="<START>\n{{char}}: " + "roar " * 150)
    pushed = chat(counter, messages=history, character=long_examples,
                  preset=preset(context_size=1600, max_tokens=200))
    left = [p for p in pushed.parts if p.kind == "examples"]
    assert left and all(not p.included and p.reason == "budget" for p in left)
    kept = chat(counter, messages=history, character=long_examples,
                preset=preset(context_size=1600, max_tokens=200, examples="keep"))
    assert all(p.included for p in kept.parts if p.kind == "examples")
    assert kept.history.kept < pushed.history.kept


async def test_the_characters_own_system_prompt_wraps_the_presets(counter: TokenCounter) -> None:
    own = character(system_prompt="{{original}} Never break character.")
    built = chat(counter, character=own, messages=messages(["Hi"]))
    assert built.messages[0].content.startswith("You are Aria. Talk with Sam. Never break character.")
    plain = chat(counter, character=own, messages=messages(["Hi"]), preset=preset(prefer_character_prompts=False))
    assert "Never break" not in plain.messages[0].content


async def test_lore_is_placed_by_position_and_traced(counter: TokenCounter) -> None:
    entries = [
        lore("Sword", "sword", content="The Sword of Dawn is ancient."),
        lore("Cave", constant=True, content="The cave is damp.", level="character", scope_id="char-aria"),
        lore("Early", "sword", position="before_char", content="EARLY LORE"),
        lore("Deep", "sword", position="at_depth", depth=1, content="DEEP LORE"),
        lore("Hidden", "sword", secondary_keys=["moon"], selective_logic="and_all", content="x"),
        lore("Never", "unicorn", content="never"),
    ]
    history = messages(["Where is my sword?", "In the cave.", "Show me the sword now."])
    built = chat(counter, messages=history, lore_entries=entries)
    system = built.messages[0].content
    assert system.index("EARLY LORE") < system.index("Aria is a dragon") < system.index("The Sword of Dawn")
    assert built.messages[-3].content == "DEEP LORE"  # one message from the end, before post-history
    assert built.messages[-2].content == "Show me the sword now."
    trace = {e.name: e for e in built.lore.entries}
    assert set(trace) == {"Sword", "Cave", "Early", "Deep", "Hidden"}  # "Never" was no candidate
    assert built.lore.in_scope == 6 and built.lore.considered == 5
    sword = trace["Sword"]
    assert sword.included and sword.reason == "matched" and sword.placement == "after the character"
    assert {h.message_id for h in sword.hits} == {history[2].id}  # scan depth 2: the last two
    assert sword.hits[0].excerpt == "Show me the sword now." and sword.hits[0].key == "sword"
    assert trace["Cave"].constant and trace["Cave"].level == "character"
    assert trace["Cave"].scope_id == "char-aria"
    assert not trace["Hidden"].included and trace["Hidden"].reason == "secondary_logic"
    assert trace["Deep"].placement == "at depth 1"
    assert built.lore.scanned_message_ids == (history[1].id, history[2].id)


async def test_lore_budget_drops_entries_with_the_reason_but_never_constants(counter: TokenCounter) -> None:
    entries = [
        lore("Big", "sword", content="sword lore " * 60, priority=1),
        lore("Small", "sword", content="small sword note"),
        lore("Always", constant=True, content="constant text " * 40),
    ]
    built = chat(counter, messages=messages(["the sword"]), lore_entries=entries,
                 preset=preset(lore_token_budget=30))
    trace = {e.name: e for e in built.lore.entries}
    assert trace["Always"].included and "constant text" in built.messages[0].content
    assert not trace["Big"].included and trace["Big"].reason == "budget"
    assert "tokens" in trace["Big"].explanation
    assert built.lore.warnings  # constants alone are over the lore budget: said, not hidden


async def test_recursion_hits_name_the_entry_they_came_from(counter: TokenCounter) -> None:
    entries = [lore("Sword", "sword", content="Forged by the smith Brann."),
               lore("Brann", "brann", content="Brann lives in the valley.")]
    built = chat(counter, messages=messages(["the sword"]), lore_entries=entries)
    brann = next(e for e in built.lore.entries if e.name == "Brann")
    assert brann.included and brann.step == 1
    assert brann.hits[0].where == "recursion" and brann.hits[0].from_entry_name == "Sword"


async def test_key_matching_follows_the_apps_case_and_whole_word_settings(
    counter: TokenCounter,
) -> None:
    entries = [lore("Brann", "Brann", content="The smith.")]

    def included(**kw: object) -> bool:
        built = chat(counter, messages=messages(["ask brann, and Branninger"]),
                     lore_entries=entries, **kw)
        return any(e.name == "Brann" and e.included for e in built.lore.entries)

    assert included()  # the defaults: any case, whole words
    assert not included(matching=MatchOptions(case_sensitive=True))  # only "brann" (lower case) is there
    entries = [lore("Branninger", "Brann", content="A long name.")]
    built = chat(counter, messages=messages(["Branninger"]), lore_entries=entries)
    assert not any(e.included for e in built.lore.entries)  # whole words by default
    built = chat(counter, messages=messages(["Branninger"]), lore_entries=entries,
                 matching=MatchOptions(match_whole_words=False))
    assert any(e.included for e in built.lore.entries)


async def test_probability_rolls_are_reproducible_from_the_recorded_seed(counter: TokenCounter) -> None:
    entries = [lore(f"Maybe{i}", "sword", probability=50, content=f"maybe {i}") for i in range(12)]
    first = chat(counter, messages=messages(["sword"]), lore_entries=entries)
    again = chat(counter, messages=messages(["sword"]), lore_entries=entries, seed=first.lore.seed)
    assert [e.included for e in first.lore.entries] == [e.included for e in again.lore.entries]
    reasons = {e.reason for e in first.lore.entries}
    assert "probability" in reasons and "matched" in reasons


async def test_lore_variables_and_outlets_are_filled(counter: TokenCounter) -> None:
    entries = [
        lore("Brann", category="character", constant=True, content="Brann the smith."),
        lore("Out", "sword", position="outlet", extensions={"outlet_name": "weapons"}, content="WEAPON LORE"),
    ]
    system = "Cast: {{all_characters}}\nWeapons: {{outlet::weapons}}"
    built = chat(counter, messages=messages(["my sword"]), lore_entries=entries, preset=preset(system))
    assert "Cast: Brann: Brann the smith." in built.messages[0].content
    assert "Weapons: WEAPON LORE" in built.messages[0].content
    unused = chat(counter, messages=messages(["my sword"]), lore_entries=entries)
    assert any("outlet 'weapons'" in w for w in unused.warnings)


async def test_continue_nudges_chat_models_and_prefills_where_the_provider_can(counter: TokenCounter) -> None:
    history = messages(["Tell me a story", "Once upon a time"])
    nudged = chat(counter, messages=history, continue_last=True)
    assert nudged.messages[-1].role == "system" and "Continue your last message" in nudged.messages[-1].content
    prefill = chat(counter, messages=history, continue_last=True, prefill=True)
    assert prefill.messages[-1] .content == "Once upon a time" and prefill.continue_last
    assert prefill.messages[-2].content == "Stay in character as Aria."
    assert prefill.request().continue_last


async def test_text_mode_renders_the_instruct_template(counter: TokenCounter) -> None:
    history = messages(["Hi", "Hello"])
    built = chat(counter, messages=history, mode="text", preset=preset(instruct_template="chatml"))
    assert built.text is not None and built.text.endswith("<|im_start|>assistant\n")
    assert "<|im_end|>" in built.stop
    request = built.request("fake")
    assert request.prompt == built.text and "<|im_end|>" in request.sampling.stop
    assert built.budget.used == sum(built.message_tokens) + counter.count("<|im_start|>assistant\n")
    cont = chat(counter, messages=history, mode="text", continue_last=True)
    assert cont.text is not None and cont.text.endswith("Hello")


async def test_story_continue_and_beat(counter: TokenCounter) -> None:
    text = "\n\n".join(f"Paragraph {i}: the knight rides on. " + "more " * 30 for i in range(60))
    entries = [lore("Knight", "knight", content="The knight is called Sam."),
               lore("Dragon", "dragon", content="The dragon is red.")]
    built = build_story_prompt(
        StoryPromptInputs(text=text, beat="The dragon attacks.", lore_entries=entries,
                          preset=preset("Write well.", context_size=1500, max_tokens=300)),
        counter,
    )
    assert built.messages[0].content.startswith("Write well.")
    assert "The dragon is red." in built.messages[0].content
    story = built.messages[1].content
    assert story.startswith("The story so far:") and "Paragraph 59" in story and "Paragraph 0:" not in story
    assert story.endswith("The dragon attacks.")
    assert built.budget.used <= built.budget.available
    dragon = next(e for e in built.lore.entries if e.name == "Dragon")
    assert dragon.hits[0].where == "scene beat"
    cont = build_story_prompt(StoryPromptInputs(text=text, mode="text", preset=preset(context_size=1500)), counter)
    assert cont.text is not None and cont.text.rstrip().endswith("more")
    assert cont.continue_last and "Continue the story" in cont.text


async def test_lore_edits_reach_the_next_build_with_the_same_cache(counter: TokenCounter) -> None:
    cache = LayerCache()
    history = messages(["the sword and the moon"])
    first = [lore("Sword", "sword", content="old sword text")]
    built = chat(counter, messages=history, lore_entries=first, lore_cache=cache)
    assert "old sword text" in built.messages[0].content
    edited = [first[0].model_copy(update={"content": "new sword text"}), lore("Moon", "moon", content="moon text")]
    again = chat(counter, messages=history, lore_entries=edited, lore_cache=cache)
    assert "new sword text" in again.messages[0].content and "moon text" in again.messages[0].content
    assert "old sword text" not in again.messages[0].content
