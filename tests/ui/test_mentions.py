"""Mentions: which entries a chapter's text activates, and where each mention is."""

from __future__ import annotations

from app.domain import LorebookEntry
from app.lore import MatchOptions
from app.ui._mentions import MentionIndex, tag_key

RUN_IN_BROWSER = True


def entry(name: str, keys: list[str], **extra) -> LorebookEntry:
    return LorebookEntry.parse({"name": name, "level": "global", "keys": keys, **extra})


def marked(mentions, row=0):
    line = mentions.lines[row]
    return [(line.text[m.start : m.end], m.kind) for m in line.marks]


def names(mentions):
    return [e.name for e in mentions.entries]


def test_keys_are_marked_where_the_engine_matches_them():
    index = MentionIndex(
        [entry("Mara", ["Mara"]), entry("Keep", ["keep"]), entry("Off", ["door"], enabled=False)]
    )
    m = index.analyse("Mara opened the door to the keep. Marathon, mara.")
    assert marked(m) == [("Mara", "key"), ("keep", "key"), ("mara", "key")]  # whole words only
    assert names(m) == ["Mara", "Keep"]
    assert m.counts == {index.entries[0].id: 2, index.entries[1].id: 1}


def test_case_and_whole_word_defaults_come_from_the_options():
    index = MentionIndex([entry("Mara", ["Mara"])], MatchOptions(case_sensitive=True))
    assert marked(index.analyse("mara and Mara")) == [("Mara", "key")]
    substring = MentionIndex([entry("Mar", ["Mar"])], MatchOptions(match_whole_words=False))
    assert marked(substring.analyse("Marathon")) == [("Mar", "key")]


def test_secondary_logic_decides_and_works_across_lines():
    index = MentionIndex(
        [
            entry("Castle", ["castle"], secondary_keys=["night"], selective_logic="and_any"),
            entry("Day", ["sun"], secondary_keys=["night"], selective_logic="not_any"),
        ]
    )
    first = index.analyse("The castle.\nThe sun rose.")
    assert names(first) == ["Day"]
    assert marked(first, 0) == []
    second = index.analyse("The castle.\nThe sun rose.\nThen night fell.")
    assert names(second) == ["Castle"]
    assert marked(second, 0) == [("castle", "key")]
    assert marked(second, 2) == [("night", "key")]  # the secondary key that decided it
    assert marked(second, 1) == []


def test_tags_activate_every_entry_carrying_them():
    index = MentionIndex(
        [
            entry("Aria", [], tags=["Main Cast"]),
            entry("Bo", [], tags=["main-cast", "villain"]),
            entry("Cy", [], tags=["villain"], enabled=False),
        ]
    )
    m = index.analyse("Remember @main_cast and @Villain. Mail me@main-cast please; @nobody.")
    assert marked(m) == [("@main_cast", "tag"), ("@Villain", "tag")]
    assert names(m) == ["Aria", "Bo"]
    assert m.lines[0].marks[0].entry_ids == (index.entries[0].id, index.entries[1].id)
    assert tag_key("Main Cast") == tag_key("main_cast") == "main-cast"


def test_overlapping_mentions_become_one_mark_naming_all():
    index = MentionIndex([entry("Mara", ["Mara"]), entry("Mara Vell", ["Mara Vell"])])
    m = index.analyse("Here is Mara Vell.")
    (mark,) = m.lines[0].marks
    assert m.lines[0].text[mark.start : mark.end] == "Mara Vell"
    assert set(mark.entry_ids) == {e.id for e in index.entries}


def test_unchanged_lines_are_not_matched_again():
    index = MentionIndex([entry("Mara", ["Mara"])])
    calls = []
    find = index.matcher.find
    index.matcher.find = lambda text: calls.append(text) or find(text)  # type: ignore[method-assign]
    text = "\n".join(f"Line {i} with Mara." for i in range(50))
    index.analyse(text)
    assert len(calls) == 50
    index.analyse(text.replace("Line 7 ", "Line 7b "))
    assert calls[50:] == ["Line 7b with Mara."]


def test_offsets_are_in_the_original_text_with_non_ascii():
    index = MentionIndex([entry("Strasse", ["straße"])])
    line = "Die große Straße und ÉLODIE"
    m = index.analyse(line)
    assert [line[x.start : x.end] for x in m.lines[0].marks] == ["Straße"]


def test_overlapping_keys_of_one_entry_count_once():
    index = MentionIndex([entry("Keep", ["keep", "the keep"])])
    m = index.analyse("Up to the keep, then the keep again.")
    assert marked(m) == [("the keep", "key"), ("the keep", "key")]
    assert m.counts == {index.entries[0].id: 2}


def test_long_paragraphs_are_cut_after_sentences_and_cuts_stay_put():
    from app.ui._mentions import PIECE, pieces

    sentence = "Mara walked along the old road. "
    paragraph = sentence * 200  # 6,400 characters, one line
    text = "Title\n" + paragraph + "\nEnd"
    cut = pieces(text)
    assert "".join(p + ("\n" if nl else "") for p, nl in cut) == text
    assert [nl for _, nl in cut] == [True] + [False] * (len(cut) - 3) + [True, False]
    assert all(len(p) <= PIECE + PIECE // 2 for p, _ in cut)
    assert all(p.endswith(". ") for p, _ in cut[1:-2])
    edited = "Title\n" + "Mara ran. " + paragraph + "\nEnd"
    later = pieces(edited)
    assert later[2:] == cut[2:] or sum(a != b for a, b in zip(later, cut, strict=False)) <= 2


def test_an_edit_in_a_long_paragraph_rematches_one_piece():
    index = MentionIndex([entry("Mara", ["Mara"])])
    calls = []
    find = index.matcher.find
    index.matcher.find = lambda text: calls.append(text) or find(text)  # type: ignore[method-assign]
    paragraph = "Mara walked along the old road. " * 200
    first = index.analyse(paragraph)
    assert sum(len(line.marks) for line in first.lines) == 200
    calls.clear()
    index.analyse(paragraph[:3000] + "x" + paragraph[3000:])
    assert len(calls) == 1
