"""JavaScript regular expressions, read the way a browser reads them.

Lorebooks are written for SillyTavern, which hands `/pattern/flags` keys to JavaScript's
`RegExp`. `parse` checks a pattern against ECMAScript's grammar (with the Annex B
leniencies browsers apply without the `u` flag: a lone `{` or `]` is a literal, `\\8` is
"8", an out-of-range `\\1` is an octal escape, `\\k` without named groups is "k") and
builds a small tree. From the tree:

* `to_python` writes an equivalent pattern for Python's `re` with JavaScript's meaning:
  `\\d`, `\\w`, `\\b` are ASCII, `\\s` is JavaScript's whitespace set, `.` stops at the four
  JavaScript line terminators unless `s`, `^`/`$` see only the text's ends unless `m`,
  a back-reference to a group that did not take part matches the empty string, and the
  sticky flag `y` anchors at the start. Constructs `re` has no counterpart for (`\\p{..}`,
  a look-behind of varying width) raise `Unsupported`: the browser runs those itself.
* `risk` names the shape that can make a backtracking engine run for ages (a quantified
  group whose iterations can split a text in many ways: `(a+)+`, `(a|aa)*`, `((a*)*)*`),
  or returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "JS_LINE_TERMINATORS",
    "JS_WHITESPACE",
    "JsRegex",
    "JsSyntaxError",
    "Unsupported",
    "parse",
    "risk",
    "to_python",
]

#: JavaScript's `\s` (WhiteSpace and LineTerminator code points).
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_LINE_TERMINATORS = "\n\r\u2028\u2029"
_FLAGS = "dgimsuvy"
_SYNTAX = set("^$\\.*+?()[]{}|/")
_MAX_PATTERN = 10_000
_INF = None

# -- tree ------------------------------------------------------------------------------------

#: A set of code points: ranges, possibly negated; `unknown` is "could be anything".
Ranges = list[tuple[int, int]]


@dataclass
class Node:
    kind: str  # char dot esc class assert look group backref quant alt seq
    value: Any = None  # char: code point; esc: letter; assert: ^ $ b B; look: = ! <= <!
    items: list[Node] = field(default_factory=list)
    negated: bool = False  # class
    ranges: Ranges = field(default_factory=list)  # class members (code point ranges)
    escapes: list[str] = field(default_factory=list)  # class members: d D w W s S
    lo: int = 0  # quant
    hi: int | None = None  # quant (None: unbounded)
    lazy: bool = False
    name: str | None = None  # group / backref
    index: int = 0  # group / backref number
    flags_on: str = ""  # group modifiers (?ims-ims:...)
    flags_off: str = ""


@dataclass
class JsRegex:
    """A parsed JavaScript regular expression."""

    source: str
    flags: str
    tree: Node
    groups: int
    names: dict[str, int]

    @property
    def sticky(self) -> bool:
        return "y" in self.flags


class JsSyntaxError(ValueError):
    """JavaScript's `RegExp` would throw a SyntaxError for this pattern or flags."""


class Unsupported(ValueError):
    """A valid JavaScript pattern Python's `re` cannot express (the browser can run it)."""


# -- parser ----------------------------------------------------------------------------------


def _count_groups(src: str) -> tuple[int, bool]:
    """(number of capturing groups, whether any is named), skipping escapes and classes."""
    count, named, i, in_class = 0, False, 0, False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            if src.startswith("(?<", i) and not src.startswith(("(?<=", "(?<!"), i):
                count += 1
                named = True
            elif not src.startswith("(?", i):
                count += 1
        i += 1
    return count, named


class _Parser:
    def __init__(self, src: str, flags: str) -> None:
        self.src = src
        self.pos = 0
        self.u = "u" in flags or "v" in flags
        self.total, self.has_names = _count_groups(src)
        self.named = self.u or self.has_names
        self.groups = 0
        self.names: dict[str, int] = {}
        self.backref_names: list[str] = []

    def error(self, message: str) -> JsSyntaxError:
        return JsSyntaxError(f"{message} at position {self.pos}")

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.src[i] if i < len(self.src) else ""

    def eat(self, s: str) -> bool:
        if self.src.startswith(s, self.pos):
            self.pos += len(s)
            return True
        return False

    # disjunction / alternative / term
    def disjunction(self) -> Node:
        alts = [self.alternative()]
        while self.eat("|"):
            alts.append(self.alternative())
        return alts[0] if len(alts) == 1 else Node("alt", items=alts)

    def alternative(self) -> Node:
        items: list[Node] = []
        while self.pos < len(self.src) and self.peek() not in "|)":
            items.append(self.term())
        return Node("seq", items=items)

    def term(self) -> Node:
        c = self.peek()
        if c == "^":
            self.pos += 1
            return self._no_quantifier(Node("assert", "^"))
        if c == "$":
            self.pos += 1
            return self._no_quantifier(Node("assert", "$"))
        if self.src.startswith(("\\b", "\\B"), self.pos):
            self.pos += 2
            return self._no_quantifier(Node("assert", self.src[self.pos - 1]))
        for opener, kind in (("(?<=", "<="), ("(?<!", "<!")):
            if self.eat(opener):
                body = self.disjunction()
                if not self.eat(")"):
                    raise self.error("Unterminated group")
                return self._no_quantifier(Node("look", kind, items=[body]))
        for opener, kind in (("(?=", "="), ("(?!", "!")):
            if self.eat(opener):
                body = self.disjunction()
                if not self.eat(")"):
                    raise self.error("Unterminated group")
                look = Node("look", kind, items=[body])
                if self.u:
                    return self._no_quantifier(look)
                return self.quantified(look)  # Annex B: a look-ahead may be quantified
        return self.quantified(self.atom())

    def _no_quantifier(self, node: Node) -> Node:
        if self.peek() in ("*", "+", "?") or self._braced_quantifier() is not None:
            raise self.error("Nothing to repeat")
        return node

    def _braced_quantifier(self) -> tuple[int, int | None, int] | None:
        """(min, max, length) when a `{n}`, `{n,}` or `{n,m}` starts here."""
        m = re.compile(r"\{(\d+)(?:(,)(\d*))?\}").match(self.src, self.pos)
        if m is None:
            return None
        lo = int(m.group(1))
        hi: int | None = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
        return lo, hi, m.end() - m.start()

    def quantified(self, atom: Node) -> Node:
        c = self.peek()
        lo: int
        hi: int | None
        if c == "*":
            lo, hi, n = 0, None, 1
        elif c == "+":
            lo, hi, n = 1, None, 1
        elif c == "?":
            lo, hi, n = 0, 1, 1
        else:
            braced = self._braced_quantifier()
            if braced is None:
                if c == "{" and self.u:
                    raise self.error("Incomplete quantifier")
                return atom
            lo, hi, n = braced
            if hi is not None and hi < lo:
                raise self.error("numbers out of order in {} quantifier")
        self.pos += n
        lazy = self.eat("?")
        if self.peek() in ("*", "+", "?") or self._braced_quantifier() is not None:
            raise self.error("Nothing to repeat")
        return Node("quant", items=[atom], lo=lo, hi=hi, lazy=lazy)

    def atom(self) -> Node:
        c = self.peek()
        if c == "":
            raise self.error("Unexpected end")
        if c in "*+?" or self._braced_quantifier() is not None:
            raise self.error("Nothing to repeat")
        if c == ".":
            self.pos += 1
            return Node("dot")
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.atom_escape()
        if c in ")":
            raise self.error("Unmatched ')'")
        if self.u and c in "]{}":
            raise self.error("Lone quantifier brackets")
        self.pos += 1
        return self._char(c)

    def _char(self, c: str) -> Node:
        cp = ord(c)
        if 0xD800 <= cp <= 0xDBFF and self.pos < len(self.src):
            nxt = ord(self.src[self.pos])
            if 0xDC00 <= nxt <= 0xDFFF:
                self.pos += 1
                cp = 0x10000 + ((cp - 0xD800) << 10) + (nxt - 0xDC00)
        return Node("char", cp)

    def group(self) -> Node:
        self.pos += 1  # (
        if self.eat("?:"):
            body = self.disjunction()
            node = Node("group", items=[body])
        elif self.peek() == "?" and self.peek(1) == "<":
            self.pos += 2
            m = re.compile(r"[A-Za-z_$\u00aa-\uffff][\w$\u00aa-\uffff\u200c\u200d]*").match(
                self.src, self.pos
            )
            if m is None or not self.src.startswith(">", m.end()):
                raise self.error("Invalid capture group name")
            name = m.group()
            if name in self.names:
                raise self.error("Duplicate capture group name")
            self.pos = m.end() + 1
            self.groups += 1
            index = self.groups
            self.names[name] = index
            body = self.disjunction()
            node = Node("group", items=[body], name=name, index=index)
        elif self.peek() == "?":
            m = re.compile(r"\?([ims]*)(?:-([ims]*))?:").match(self.src, self.pos)
            if m is None or (m.group(2) is not None and not (m.group(1) or m.group(2))):
                raise self.error("Invalid group")
            on, off = m.group(1), m.group(2) or ""
            if len(set(on + off)) != len(on + off):
                raise self.error("Repeated flag in modifiers")
            self.pos = m.end()
            body = self.disjunction()
            node = Node("group", items=[body], flags_on=on, flags_off=off)
        else:
            self.groups += 1
            index = self.groups
            body = self.disjunction()
            node = Node("group", items=[body], index=index)
        if not self.eat(")"):
            raise self.error("Unterminated group")
        return node

    # escapes
    def atom_escape(self) -> Node:
        self.pos += 1  # backslash
        c = self.peek()
        if c == "":
            raise self.error("\\ at end of pattern")
        if c.isdigit():
            return self.decimal_escape()
        if c == "k" and self.named:
            m = re.compile(r"k<([A-Za-z_$\u00aa-\uffff][\w$\u00aa-\uffff\u200c\u200d]*)>").match(
                self.src, self.pos
            )
            if m is None:
                raise self.error("Invalid named reference")
            self.pos = m.end()
            self.backref_names.append(m.group(1))
            return Node("backref", name=m.group(1))
        if c in "dDwWsS":
            self.pos += 1
            return Node("esc", c)
        if c in "pP" and self.u:
            m = re.compile(r"[pP]\{[A-Za-z0-9_=]+\}").match(self.src, self.pos)
            if m is None:
                raise self.error("Invalid property name")
            self.pos = m.end()
            return Node("esc", m.group())
        cp = self.character_escape(in_class=False)
        if cp is None:  # Annex B: "\c" not followed by a letter is a backslash
            return Node("char", ord("\\"))
        return Node("char", cp)

    def decimal_escape(self) -> Node:
        m = re.compile(r"\d+").match(self.src, self.pos)
        assert m is not None
        digits = m.group()
        if digits[0] == "0":
            if len(digits) == 1:
                self.pos += 1
                return Node("char", 0)
            if self.u:
                raise self.error("Invalid decimal escape")
            return Node("char", self.legacy_octal())
        number = int(digits)
        if number <= self.total:
            self.pos = m.end()
            return Node("backref", index=number)
        if self.u:
            raise self.error("Invalid escape")
        if digits[0] in "89":  # Annex B: "\8" and "\9" stand for themselves
            self.pos += 1
            return Node("char", ord(digits[0]))
        return Node("char", self.legacy_octal())  # Annex B: a legacy octal escape

    def legacy_octal(self) -> int:
        m = re.compile(r"[0-3][0-7]{0,2}|[4-7][0-7]?").match(self.src, self.pos)
        assert m is not None
        self.pos = m.end()
        return int(m.group(), 8)

    def character_escape(self, *, in_class: bool) -> int | None:
        """The code point of the escape at `pos` (after the backslash); None for Annex B's
        literal backslash (`\\c` not followed by a control letter)."""
        c = self.peek()
        simple = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
        if c in simple:
            self.pos += 1
            return simple[c]
        if c == "c":
            nxt = self.peek(1)
            if nxt.isascii() and nxt.isalpha():
                self.pos += 2
                return ord(nxt) % 32
            if in_class and not self.u and (nxt.isdigit() or nxt == "_"):
                self.pos += 2
                return ord(nxt) % 32
            if self.u:
                raise self.error("Invalid unicode escape")
            return None
        if c == "x":
            m = re.compile(r"x([0-9A-Fa-f]{2})").match(self.src, self.pos)
            if m is not None:
                self.pos = m.end()
                return int(m.group(1), 16)
            if self.u:
                raise self.error("Invalid escape")
            self.pos += 1
            return ord("x")
        if c == "u":
            return self.unicode_escape()
        if c == "0" and not self.peek(1).isdigit():
            self.pos += 1
            return 0
        if self.u:
            if c in _SYNTAX or (in_class and c == "-"):
                self.pos += 1
                return ord(c)
            raise self.error("Invalid escape")
        # Annex B identity escape: any other character stands for itself.
        self.pos += 1
        if c == "k":
            return ord("k")
        return self._char_cp(c)

    def _char_cp(self, c: str) -> int:
        node = self._char(c)
        return int(node.value)

    def unicode_escape(self) -> int:
        m = re.compile(r"u([0-9A-Fa-f]{4})").match(self.src, self.pos)
        if m is not None:
            self.pos = m.end()
            cp = int(m.group(1), 16)
            if self.u and 0xD800 <= cp <= 0xDBFF:
                low = re.compile(r"\\u([dD][c-fC-F][0-9A-Fa-f]{2})").match(self.src, self.pos)
                if low is not None:
                    self.pos = low.end()
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)
            return cp
        if self.u:
            m = re.compile(r"u\{([0-9A-Fa-f]+)\}").match(self.src, self.pos)
            if m is None or int(m.group(1), 16) > 0x10FFFF:
                raise self.error("Invalid Unicode escape")
            self.pos = m.end()
            return int(m.group(1), 16)
        self.pos += 1
        return ord("u")

    # classes
    def char_class(self) -> Node:
        self.pos += 1  # [
        node = Node("class", negated=self.eat("^"))
        while True:
            if self.pos >= len(self.src):
                raise self.error("Unterminated character class")
            if self.eat("]"):
                return node
            lo = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                hi = self.class_atom()
                if isinstance(lo, str) or isinstance(hi, str):
                    if self.u:
                        raise self.error("Invalid character class")
                    for item in (lo, hi):  # Annex B: "-" between a class escape is literal
                        self._add_class_item(node, item)
                    node.ranges.append((ord("-"), ord("-")))
                    continue
                if hi < lo:
                    raise self.error("Range out of order in character class")
                node.ranges.append((lo, hi))
            else:
                self._add_class_item(node, lo)

    @staticmethod
    def _add_class_item(node: Node, item: int | str) -> None:
        if isinstance(item, str):
            node.escapes.append(item)
        else:
            node.ranges.append((item, item))

    def class_atom(self) -> int | str:
        c = self.peek()
        if c != "\\":
            self.pos += 1
            return self._char_cp(c)
        self.pos += 1
        c = self.peek()
        if c == "":
            raise self.error("\\ at end of pattern")
        if c in "dDwWsS":
            self.pos += 1
            return c
        if c in "pP" and self.u:
            m = re.compile(r"[pP]\{[A-Za-z0-9_=]+\}").match(self.src, self.pos)
            if m is None:
                raise self.error("Invalid property name")
            self.pos = m.end()
            return m.group()
        if c == "b":
            self.pos += 1
            return 8
        if c == "-":
            self.pos += 1
            return ord("-")
        if c.isdigit() and not self.u:
            if c in "89":
                self.pos += 1
                return ord(c)
            return self.legacy_octal()
        if c == "B" and not self.u:
            self.pos += 1
            return ord("B")
        cp = self.character_escape(in_class=True)
        return ord("\\") if cp is None else cp


def parse(source: str, flags: str = "") -> JsRegex:
    """Parse `source` with `flags` as JavaScript's `new RegExp(source, flags)` would."""
    if len(source) > _MAX_PATTERN:
        raise JsSyntaxError(f"pattern longer than {_MAX_PATTERN} characters")
    for f in flags:
        if f not in _FLAGS:
            raise JsSyntaxError(f"Invalid flags: {flags!r}")
    if len(set(flags)) != len(flags) or ("u" in flags and "v" in flags):
        raise JsSyntaxError(f"Invalid flags: {flags!r}")
    if "v" in flags:
        raise Unsupported("the v flag is not supported")
    p = _Parser(source, flags)
    try:
        tree = p.disjunction()
    except RecursionError:
        raise JsSyntaxError("pattern nested too deeply") from None
    if p.pos < len(source):
        raise p.error("Unmatched ')'")
    for name in p.backref_names:
        if name not in p.names:
            raise JsSyntaxError(f"Invalid named capture referenced: {name}")
    return JsRegex(source, flags, tree, p.groups, p.names)


# -- translation to Python's re ----------------------------------------------------------------

_W = "A-Za-z0-9_"
_D = "0-9"
_S = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in JS_WHITESPACE)
_LT = "\\n\\r\\u2028\\u2029"
_ESC_CLASS = {"d": _D, "w": _W, "s": _S}


def _cp(cp: int) -> str:
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def _escape_set(letter: str, negated: bool) -> str:
    return f"[{'^' if negated else ''}{_ESC_CLASS[letter.lower()]}]"


class _Translator:
    def __init__(self, js: JsRegex) -> None:
        self.js = js
        self.names = {name: f"g{index}" for name, index in js.names.items()}

    def node(self, n: Node, flags: str) -> str:
        kind = n.kind
        if kind == "seq":
            return "".join(self.node(item, flags) for item in n.items)
        if kind == "alt":
            return "(?:" + "|".join(self.node(item, flags) for item in n.items) + ")"
        if kind == "char":
            return _cp(int(n.value))
        if kind == "dot":
            return "[\\s\\S]" if "s" in flags else f"[^{_LT}]"
        if kind == "esc":
            if len(n.value) > 1:
                raise Unsupported(f"\\{n.value} (Unicode property) is only run by the browser")
            return _escape_set(n.value, n.value.isupper())
        if kind == "class":
            return self.char_class(n)
        if kind == "assert":
            if n.value == "^":
                return f"(?:\\A|(?<=[{_LT}]))" if "m" in flags else "\\A"
            if n.value == "$":
                return f"(?=[{_LT}]|\\Z)" if "m" in flags else "\\Z"
            return "(?a:\\b)" if n.value == "b" else "(?a:\\B)"
        if kind == "look":
            return f"(?{n.value}{self.node(n.items[0], flags)})"
        if kind == "group":
            inner_flags = "".join(f for f in flags if f not in n.flags_off) + n.flags_on
            body = self.node(n.items[0], inner_flags)
            if n.flags_on or n.flags_off:
                on = "i" if "i" in n.flags_on else ""
                off = "i" if "i" in n.flags_off else ""
                if on or off:
                    return f"(?{on}{'-' + off if off else ''}:{body})"
                return f"(?:{body})"
            if n.index:
                return f"(?P<g{n.index}>{body})"
            return f"(?:{body})"
        if kind == "backref":
            index = n.index if n.name is None else self.js.names[n.name]
            # JavaScript: a group that has not taken part matches the empty string.
            return f"(?(g{index})(?P=g{index}))"
        if kind == "quant":
            body = self.node(n.items[0], flags)
            if n.hi is None:
                q = "*" if n.lo == 0 else "+" if n.lo == 1 else f"{{{n.lo},}}"
            elif n.lo == 0 and n.hi == 1:
                q = "?"
            elif n.lo == n.hi:
                q = f"{{{n.lo}}}"
            else:
                q = f"{{{n.lo},{n.hi}}}"
            return f"(?:{body}){q}{'?' if n.lazy else ''}"
        raise AssertionError(kind)

    def char_class(self, n: Node) -> str:
        plain = "".join(_cp(lo) if lo == hi else f"{_cp(lo)}-{_cp(hi)}" for lo, hi in n.ranges)
        for esc in n.escapes:
            if len(esc) > 1:
                raise Unsupported(f"\\{esc} (Unicode property) is only run by the browser")
        positive = [e for e in n.escapes if e.islower()]
        negative = [e for e in n.escapes if e.isupper()]
        plain += "".join(_ESC_CLASS[e] for e in positive)
        if not negative:
            if not plain:
                return "[\\s\\S]" if n.negated else "(?!)"
            return f"[{'^' if n.negated else ''}{plain}]"
        parts = ([f"[{plain}]"] if plain else []) + [_escape_set(e, True) for e in negative]
        union = "(?:" + "|".join(parts) + ")"
        return f"(?:(?!{union})[\\s\\S])" if n.negated else union


def to_python(js: JsRegex) -> re.Pattern[str]:
    """`js` as a Python pattern with JavaScript's meaning (use `.match` when `js.sticky`)."""
    text = _Translator(js).node(js.tree, js.flags)
    try:
        return re.compile(text, re.IGNORECASE if "i" in js.flags else 0)
    except (re.error, RecursionError, OverflowError) as exc:
        raise Unsupported(f"Python's re cannot run this pattern ({exc})") from None


# -- risk of catastrophic backtracking -----------------------------------------------------------

_ALL: Ranges = [(0, 0x10FFFF)]
_WORD: Ranges = [(48, 57), (65, 90), (95, 95), (97, 122)]
_DIGIT: Ranges = [(48, 57)]
_SPACE: Ranges = [(ord(c), ord(c)) for c in JS_WHITESPACE]


def _complement(r: Ranges) -> Ranges:
    out: Ranges = []
    prev = 0
    for lo, hi in sorted(r):
        if lo > prev:
            out.append((prev, lo - 1))
        prev = max(prev, hi + 1)
    if prev <= 0x10FFFF:
        out.append((prev, 0x10FFFF))
    return out


def _esc_ranges(letter: str) -> Ranges:
    base = {"d": _DIGIT, "w": _WORD, "s": _SPACE}.get(letter.lower(), _ALL)
    return _complement(base) if letter.isupper() and letter.lower() in "dws" else base


def _fold(r: Ranges, icase: bool) -> Ranges:
    if not icase:
        return r
    out = list(r)
    for lo, hi in r:
        a, b = max(lo, 65), min(hi, 90)
        if a <= b:
            out.append((a + 32, b + 32))
        a, b = max(lo, 97), min(hi, 122)
        if a <= b:
            out.append((a - 32, b - 32))
    return out


def _overlap(a: Ranges, b: Ranges) -> bool:
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)


class _Risk:
    """First sets, nullability and "what an iteration can end with" for quantified groups."""

    def __init__(self, icase: bool, dotall: bool) -> None:
        self.icase = icase
        self.dotall = dotall

    def atom_set(self, n: Node) -> Ranges:
        if n.kind == "char":
            return _fold([(int(n.value), int(n.value))], self.icase)
        if n.kind == "dot":
            return (
                _ALL
                if self.dotall
                else _complement([(ord(c), ord(c)) for c in JS_LINE_TERMINATORS])
            )
        if n.kind == "esc":
            return _esc_ranges(n.value) if len(n.value) == 1 else _ALL
        if n.kind == "class":
            r: Ranges = _fold(list(n.ranges), self.icase)
            for e in n.escapes:
                r = r + (_esc_ranges(e) if len(e) == 1 else _ALL)
            return _complement(r) if n.negated else r
        return _ALL  # back-reference: anything

    def nullable(self, n: Node) -> bool:
        k = n.kind
        if k in ("assert", "look"):
            return True
        if k == "seq":
            return all(self.nullable(i) for i in n.items)
        if k == "alt":
            return any(self.nullable(i) for i in n.items)
        if k == "group":
            return self.nullable(n.items[0])
        if k == "quant":
            return n.lo == 0 or self.nullable(n.items[0])
        return k == "backref"

    def first(self, n: Node) -> Ranges:
        k = n.kind
        if k in ("assert", "look"):
            return []
        if k == "seq":
            out: Ranges = []
            for item in n.items:
                out += self.first(item)
                if not self.nullable(item):
                    break
            return out
        if k == "alt":
            return [r for item in n.items for r in self.first(item)]
        if k in ("group", "quant"):
            return self.first(n.items[0])
        return self.atom_set(n)

    def tail_loops(self, n: Node) -> list[Ranges]:
        """Char sets of unbounded repeats that can end a match of `n`."""
        k = n.kind
        if k == "seq":
            out: list[Ranges] = []
            for item in reversed(n.items):
                out += self.tail_loops(item)
                if not self.nullable(item):
                    break
            return out
        if k == "alt":
            return [r for item in n.items for r in self.tail_loops(item)]
        if k == "group":
            return self.tail_loops(n.items[0])
        if k == "quant":
            inner = self.tail_loops(n.items[0])
            if n.hi is None or n.hi > 16:
                inner = [*inner, self.first(n.items[0])]
            return inner
        return []

    def check(self, n: Node) -> str | None:
        k = n.kind
        if k == "quant" and (n.hi is None or n.hi > 16):
            body = n.items[0]
            first = self.first(body)
            for loop in self.tail_loops(body):
                if _overlap(loop, first):
                    return "a repeated group that itself repeats what it starts with"
            for alt in self._alternations(body):
                firsts = [self.first(a) for a in alt.items]
                for i in range(len(firsts)):
                    for j in range(i + 1, len(firsts)):
                        if _overlap(firsts[i], firsts[j]):
                            return "a repeated choice whose branches can start alike"
            if body.kind != "backref" and self._has_backref(body):
                return "a repeated group with a back-reference"
        for item in n.items:
            found = self.check(item)
            if found:
                return found
        return None

    def _alternations(self, n: Node) -> list[Node]:
        if n.kind == "quant" and (n.hi is None or n.hi > 16):
            return []  # inner repeats are checked on their own
        out = [n] if n.kind == "alt" else []
        for item in n.items:
            out += self._alternations(item)
        return out

    def _has_backref(self, n: Node) -> bool:
        return n.kind == "backref" or any(self._has_backref(i) for i in n.items)


def risk(js: JsRegex) -> str | None:
    """Why `js` may backtrack catastrophically on some text, or None."""
    return _Risk("i" in js.flags, "s" in js.flags).check(js.tree)
