"""JavaScript regular expressions: our reading of the grammar and our translation to
Python's `re` agree with a real JavaScript engine (V8: the page's in the browser tier,
Node's in CPython) on validity and on the first match."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from app.lore._jsregex import JsSyntaxError, Unsupported, parse, risk, to_python
from app.lore._regex_run import _to_code_points

RUN_IN_BROWSER = True

#: (pattern, flags, text): each is run by JavaScript and by our translation.
CORPUS: list[tuple[str, str, str]] = [
    ("\\bcafé\\b", "", "un café."),
    ("\\bcafé\\b", "", "un cafés"),
    ("\\bé", "", "é"),
    ("\\w+", "", "naïve"),
    ("\\W", "", "naïve"),
    ("\\d+", "", "\u06634"),
    ("\\D", "", "\u0663"),
    ("a\\sb", "", "a\u00a0b"),
    ("a\\sb", "", "a\u001cb"),
    ("a\\sb", "", "a\u2028b"),
    ("a\\sb", "", "a\ufeffb"),
    ("a\\sb", "", "a\u0085b"),
    ("a\\Sb", "", "a\u0085b"),
    ("a.b", "", "a\rb"),
    ("a.b", "", "a\u2028b"),
    ("a.b", "", "a\u0085b"),
    ("a.b", "s", "a\nb"),
    ("^b", "m", "a\rb"),
    ("^b", "m", "a\u2028b"),
    ("^b", "", "a\nb"),
    ("a$", "", "a\n"),
    ("a$", "m", "a\rb"),
    ("a$", "m", "a\u2029b"),
    ("(a)?\\1b", "", "b"),
    ("(?<n>x)\\k<n>", "", "axx"),
    ("\\k<n>", "", "k<n>"),
    ("[^]", "", "\n"),
    ("[]", "", "a"),
    ("a{", "", "a{"),
    ("{", "", "{"),
    ("]", "", "]"),
    ("x{2,}", "", "axxx"),
    ("x{,2}", "", "x{,2}"),
    ("\\x41", "", "A"),
    ("\\u0041", "", "A"),
    ("\\cJ", "", "a\n"),
    ("\\c1", "", "\\c1"),
    ("[\\c1]", "", "\x11"),
    ("\\0", "", "\x00"),
    ("\\12", "", "\n"),
    ("\\8", "", "8"),
    ("(?:a|ab)c", "", "abc"),
    ("[a-z]+", "i", "ABC"),
    ("[\\w-z]+", "", "-z_"),
    ("(?<=a)b", "", "ab"),
    ("(?<!a)b", "", "ab cb"),
    ("a+?", "", "aaa"),
    ("b", "y", "ab"),
    ("a", "y", "ab"),
    (".", "", "\U0001f600"),
    (".", "u", "\U0001f600x"),
    ("\\u{1F600}", "u", "x\U0001f600"),
    ("\\u{2}", "", "uu"),
    ("x|", "", "y"),
    ("(a|b)*c", "g", "ababc"),
    ("\\/path", "", "a/path"),
    ("[\\b]", "", "\x08"),
    ("\\Bb", "", "ab b"),
]
#: Patterns (with flags) JavaScript rejects.
INVALID: list[tuple[str, str]] = [
    ("(", ""),
    ("a**", ""),
    ("[z-a]", ""),
    ("{1}", ""),
    ("x{2,1}", ""),
    ("(?<1a>x)", ""),
    ("(?<a>x)(?<a>y)", ""),
    ("\\u{110000}", "u"),
    ("[\\d-z]", "u"),
    ("a{", "u"),
    ("\\k<nope>(?<a>x)", ""),
    ("(?i)x", ""),
    ("a", "gg"),
    ("a", "uv"),
    ("\\p{L", "u"),
]

_JS_RUNNER = """
(items) => items.map(([source, flags, text]) => {
  let re;
  try { re = new RegExp(source, flags); } catch (e) { return "invalid"; }
  if (text === null || text === undefined) return "valid";
  re.lastIndex = 0;
  const m = re.exec(text);
  return m === null ? "none" : [m.index, m.index + m[0].length];
})
"""


def javascript(items: list[tuple[str, str, str | None]]) -> list[object]:
    """What JavaScript says for each (source, flags, text): "invalid", "valid" (no text),
    "none" or the UTF-16 span of the first match."""
    if sys.platform == "emscripten":
        import js
        from pyodide.ffi import to_js

        out = js.eval(_JS_RUNNER)(to_js([list(i) for i in items])).to_py()
        return [list(x) if not isinstance(x, str) else x for x in out]
    node = shutil.which("node")
    assert node is not None, "node is part of ./lk setup"
    script = (
        "const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        f"process.stdout.write(JSON.stringify(({_JS_RUNNER})(items)));"
    )
    done = subprocess.run(
        [node, "-e", script],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    result: list[object] = json.loads(done.stdout)
    return result


def ours(source: str, flags: str, text: str) -> object:
    js = parse(source, flags)
    pattern = to_python(js)
    m = pattern.match(text) if js.sticky else pattern.search(text)
    return "none" if m is None else [m.start(), m.end()]


def test_translation_agrees_with_javascript() -> None:
    verdicts = javascript([(s, f, t) for s, f, t in CORPUS])
    for (source, flags, text), verdict in zip(CORPUS, verdicts, strict=True):
        want = verdict
        if isinstance(verdict, list):
            want = list(_to_code_points(text, verdict))  # type: ignore[arg-type]
        assert ours(source, flags, text) == want, (source, flags, text)


def test_validity_agrees_with_javascript() -> None:
    valid = [(s, f, None) for s, f, _ in CORPUS]
    verdicts = javascript([*valid, *[(s, f, None) for s, f in INVALID]])
    assert verdicts == ["valid"] * len(valid) + ["invalid"] * len(INVALID)
    for source, flags in INVALID:
        with pytest.raises((JsSyntaxError, Unsupported)):
            parse(source, flags)


def test_unicode_properties_are_left_to_the_browser() -> None:
    js = parse("\\p{L}+", "u")
    with pytest.raises(Unsupported, match="only run by the browser"):
        to_python(js)
    assert parse("\\p{L}", "").source == "\\p{L}"  # without u: a "p" and "{L}"
    assert ours("\\p{L}", "", "p{L}") == [0, 4]


def test_modifier_groups() -> None:
    assert ours("(?i:a)b", "", "Ab") == [0, 2]
    assert ours("(?i:a)b", "", "AB") == "none"
    assert ours("a(?-i:b)", "i", "AB") == "none"
    assert ours("(?s:a.b)", "", "a\nb") == [0, 3]


@pytest.mark.parametrize(
    ("source", "catastrophic"),
    [
        ("(a+)+$", True),
        ("(a|aa)*c", True),
        ("((a*)*)*b", True),
        ("(\\w+\\s?)+$", True),
        ("(.*)*x", True),
        ("(?:cat|dog)+", False),
        ("(?:\\s*,\\s*\\w+)+", False),
        ("\\bdawn(?:blade)?\\b", False),
        ("sword of (dawn|dusk)", False),
        ("\\x01{{user}}:[^\\x01]*?hello", False),
        ("(a)\\1+", False),
        ("(?:(a)\\1)+", True),
    ],
)
def test_risk_of_catastrophic_backtracking(source: str, catastrophic: bool) -> None:
    assert (risk(parse(source, "")) is not None) is catastrophic
