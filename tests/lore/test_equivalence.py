"""Property test: the indexed matcher finds exactly what a naive reference finds.

CPython only (hypothesis); the engine's semantics tests also run in Pyodide.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.lore import LoreEntry, Matcher, MatchOptions
from tests.lore._reference import reference_active, reference_hits, reference_recursive

# Letters in both cases, digits, underscore, separators, symbols, combining marks, CJK,
# Hangul, Thai, a dotted capital I (lowers to two characters), final sigma, and characters
# NFKC changes: full-width letters, a ligature, a circled digit, a no-break space,
# half-width katakana with its voiced sound mark (which joins the katakana before it).
ALPHABET = "aAbBcC_1 -.#'\u0301é魔法엘แİΣςσ\nＡｂﬁ①\u00a0ｶﾞガ"

keys = st.text(alphabet=ALPHABET, min_size=1, max_size=4)
texts = st.text(alphabet=ALPHABET, max_size=60)


@st.composite
def entries(draw):
    n = draw(st.integers(1, 8))
    out = []
    for i in range(n):
        level = draw(st.sampled_from(["global", "story", "chat"]))
        out.append(
            LoreEntry(
                id=f"e{i}",
                level=level,
                scope_id=None if level == "global" else "s1",
                keys=draw(st.lists(keys, min_size=0, max_size=3)),
                secondary_keys=draw(st.lists(keys, max_size=2)),
                selective_logic=draw(st.sampled_from(["and_any", "and_all", "not_any", "not_all"])),
                case_sensitive=draw(st.sampled_from([None, True, False])),
                match_whole_words=draw(st.sampled_from([None, True, False])),
                enabled=draw(st.booleans()) or draw(st.booleans()),
                constant=draw(st.integers(0, 9)) == 0,
            )
        )
    return out


def text_with_keys(data, es):
    """A text stitched from the entries' keys (case-flipped sometimes) and random pieces."""
    pool = [k for e in es for k in (*e.keys, *e.secondary_keys)] or ["a"]
    piece = st.one_of(
        st.sampled_from(pool),
        st.sampled_from(pool).map(str.swapcase),
        st.text(alphabet=ALPHABET, max_size=2),
    )
    return "".join(data.draw(st.lists(piece, max_size=8)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), texts, st.booleans(), st.booleans())
def test_hits_match_reference(es, text, cs, ww):
    m = Matcher(es, MatchOptions(case_sensitive=cs, match_whole_words=ww, recursive=False))
    got = {(e.id, kind, idx, s, t) for e, kind, idx, s, t in m.find(text)}
    assert got == reference_hits(es, text, cs, ww)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), st.data(), st.booleans(), st.booleans())
def test_hits_in_key_rich_text_match_reference(es, data, cs, ww):
    text = text_with_keys(data, es)
    m = Matcher(es, MatchOptions(case_sensitive=cs, match_whole_words=ww, recursive=False))
    got = {(e.id, kind, idx, s, t) for e, kind, idx, s, t in m.find(text)}
    assert got == reference_hits(es, text, cs, ww)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), st.data(), st.booleans(), st.booleans())
def test_activation_matches_reference(es, data, cs, ww):
    text = text_with_keys(data, es)
    m = Matcher(es, MatchOptions(case_sensitive=cs, match_whole_words=ww, recursive=False))
    assert set(m.scan(text).ids) == reference_active(es, text, cs, ww)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abcd ", min_size=1, max_size=5), min_size=30, max_size=60), texts)
def test_many_substring_keys_trie_matches_reference(key_list, text):
    # more than FIND_LOOP_LIMIT substring keys: exercises the trie regex path
    es = [LoreEntry(id=f"k{i}", keys=[k], match_whole_words=False) for i, k in enumerate(key_list)]
    m = Matcher(es, MatchOptions(recursive=False))
    got = {(e.id, kind, idx, s, t) for e, kind, idx, s, t in m.find(text)}
    assert got == reference_hits(es, text, False, True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab c", min_size=1, max_size=7), min_size=10, max_size=40), texts)
def test_many_multiword_keys_match_reference(key_list, text):
    # many keys sharing first words: exercises the second-run dispatch
    es = [LoreEntry(id=f"k{i}", keys=["ab " + k]) for i, k in enumerate(key_list)]
    m = Matcher(es, MatchOptions(recursive=False))
    got = {(e.id, kind, idx, s, t) for e, kind, idx, s, t in m.find("ab " + text)}
    assert got == reference_hits(es, "ab " + text, False, True)


VOCAB = ["ann", "bob", "cid", "dee", "eve", "x"]
words = st.lists(st.sampled_from(VOCAB), max_size=6).map(" ".join)


@st.composite
def linked_entries(draw):
    out = []
    for i in range(draw(st.integers(1, 7))):
        out.append(
            LoreEntry(
                id=f"e{i}",
                keys=draw(st.lists(st.sampled_from(VOCAB), max_size=2)),
                secondary_keys=draw(st.lists(st.sampled_from(VOCAB), max_size=2)),
                selective_logic=draw(st.sampled_from(["and_any", "and_all", "not_any", "not_all"])),
                content=draw(words),
                enabled=draw(st.integers(0, 5)) > 0,
                constant=draw(st.integers(0, 6)) == 0,
                exclude_recursion=draw(st.booleans()),
                prevent_recursion=draw(st.integers(0, 3)) == 0,
                delay_until_recursion=draw(st.integers(0, 3)) == 0,
            )
        )
    return out


@settings(max_examples=300, deadline=None)
@given(linked_entries(), words, st.integers(0, 4))
def test_recursion_matches_reference(es, text, max_recursion):
    result = Matcher(es, MatchOptions(max_recursion=max_recursion)).scan(text)
    got = {item.entry_id: item.step for item in result.trace if item.included}
    assert got == reference_recursive(es, text, max_recursion)
    assert set(result.ids) == set(got)


@st.composite
def windowed_entries(draw):
    return [
        LoreEntry(
            id=f"e{i}",
            keys=draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=2)),
            secondary_keys=draw(st.lists(st.sampled_from(VOCAB), max_size=1)),
            selective_logic=draw(st.sampled_from(["and_any", "not_any"])),
            scan_depth=draw(st.none() | st.integers(0, 5)),
        )
        for i in range(draw(st.integers(1, 6)))
    ]


@settings(max_examples=250, deadline=None)
@given(windowed_entries(), st.lists(words, max_size=6), st.integers(0, 4))
def test_message_windows_match_reference(es, messages, depth):
    result = Matcher(es, MatchOptions(scan_depth=depth, recursive=False)).scan(messages)
    expected = set()
    for e in es:
        d = depth if e.scan_depth is None else e.scan_depth
        window = messages[max(0, len(messages) - d) :] if d else []
        if reference_active([e], "\n\x01\n".join(window), False, True) == {e.id}:
            expected.add(e.id)
    assert set(result.ids) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(-3, 3), st.integers(0, 5), st.integers(0, 60)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 60),
)
def test_budget_matches_reference(specs, budget):
    es = [
        LoreEntry(
            id=f"e{i}",
            keys=["k"],
            constant=constant,
            priority=priority,
            insertion_order=order,
            content="x" * (4 * tokens),
        )
        for i, (constant, priority, order, tokens) in enumerate(specs)
    ]
    result = Matcher(es, MatchOptions(recursive=False, token_budget=budget)).scan("k")
    # constants first (never dropped), then SillyTavern's priority: higher order first;
    # an entry that exactly fills the budget is admitted (SillyTavern drops it)
    ranked = sorted(
        range(len(es)),
        key=lambda i: (not es[i].constant, -es[i].insertion_order, -es[i].priority, i),
    )
    used, admitted = 0, []
    for i in ranked:
        cost = specs[i][3]
        if es[i].constant or used + cost <= budget:
            used += cost
            admitted.append(i)
    assert set(result.ids) == {f"e{i}" for i in admitted}
    assert result.tokens_used == used
    # prompt order: ascending order; equal order in reverse admission (SillyTavern's unshift)
    assert result.ids == [
        f"e{i}" for i in sorted(admitted, key=lambda i: (es[i].insertion_order, -admitted.index(i)))
    ]
