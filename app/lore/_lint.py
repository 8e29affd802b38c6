"""Lint for lorebooks: problems a writer should fix before they cost prompt space."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._keys import parse_key
from ._options import MatchOptions
from ._text import lower, normalize_key
from ._trace import ScanResult

__all__ = ["COMMON_WORDS", "LintIssue", "lint"]

#: Words so frequent in prose that a key made of one of them matches almost every text.
COMMON_WORDS = frozenset(
    """a about after all also an and any are as at be because been but by can come could day
    do even first for from get give go good have he her here him his how i if in into is it
    its just know like look make man me more my new no not now of on one only or other our
    out over people say see she so some take than that the their them then there these they
    thing think this time to two up us use very want was way we well what when which who will
    with would year you your yes said says said back down still where why too must""".split()
)
_PROBES = (
    "The quick brown fox jumps over the lazy dog.",
    "She said nothing, and the rain kept falling on the empty street.",
    "1234567890 !?.,;:",
    "彼女は静かに笑った。",
)


@dataclass
class LintIssue:
    """One finding. `kind` is one of: key_collision, common_key, never_fits, invalid_key
    (a `/…/` key matched as plain text), slow_regex (may backtrack catastrophically, or gave
    up in a scan), never_activates."""

    kind: str
    message: str
    entry_ids: list[str] = field(default_factory=list)
    key: str | None = None


def lint(
    entries: Iterable[Any],
    options: MatchOptions | None = None,
    *,
    sample_text: str | None = None,
    common_ratio: float = 0.5,
    scans: Iterable[ScanResult] = (),
) -> list[LintIssue]:
    """Check entries for keys that collide across scopes, keys that match nearly
    everything, `/…/` keys that are not working regular expressions, regex keys that can
    backtrack catastrophically (or gave up in one of `scans`), entries that can never
    activate and entries that can never fit the token budget. `sample_text` (e.g. the
    story so far) adds a frequency check: a key found in more than `common_ratio` of its
    paragraphs is reported as common."""
    opts = options or MatchOptions()
    entries = list(entries)
    issues: list[LintIssue] = []
    by_key: dict[str, list[Any]] = {}
    paragraphs = [p for p in (sample_text or "").split("\n\n") if p.strip()]
    folded_paragraphs = [normalize_key(p, False) for p in paragraphs]
    plain_paragraphs = [normalize_key(p, True) for p in paragraphs]
    for e in entries:
        for raw in [*(e.keys or ()), *(e.secondary_keys or ())]:
            if not isinstance(raw, str) or not raw.strip():
                continue
            spec = parse_key(raw)
            if spec.problem is not None:
                issues.append(
                    LintIssue(
                        "invalid_key",
                        f"key {raw!r} is written as a regular expression, but {spec.problem};"
                        " it is matched as plain text (as SillyTavern does)",
                        [e.id],
                        raw,
                    )
                )
            regex = spec.regex
            if regex is not None:
                if regex.risk is not None:
                    issues.append(
                        LintIssue(
                            "slow_regex",
                            f"regex key {raw!r} has {regex.risk}: on some texts it can run for"
                            " a very long time (a scan gives up on it after the time limit)",
                            [e.id],
                            raw,
                        )
                    )
                elif regex.python is not None:
                    finds = regex.python.match if regex.sticky else regex.python.search
                    hits = sum(1 for p in _PROBES if finds(p))
                    if finds("") is not None or hits >= 3:
                        issues.append(
                            LintIssue(
                                "common_key",
                                f"regex key {raw!r} matches almost any text",
                                [e.id],
                                raw,
                            )
                        )
                continue
            cs = opts.case_sensitive if e.case_sensitive is None else e.case_sensitive
            text = spec.text
            norm = normalize_key(text, bool(cs))
            by_key.setdefault(normalize_key(text, False), []).append(e)
            stripped = norm
            if lower(stripped) in COMMON_WORDS or (len(stripped) <= 2 and stripped.isascii()):
                issues.append(
                    LintIssue("common_key", f"key {raw!r} is a very common word", [e.id], raw)
                )
            elif folded_paragraphs:
                pool = plain_paragraphs if cs else folded_paragraphs
                found = sum(1 for p in pool if norm in p)
                if found > common_ratio * len(paragraphs) and len(paragraphs) >= 4:
                    issues.append(
                        LintIssue(
                            "common_key",
                            f"key {raw!r} occurs in {found} of {len(paragraphs)} paragraphs",
                            [e.id],
                            raw,
                        )
                    )
        if not e.constant and not any(isinstance(k, str) and k.strip() for k in e.keys or ()):
            issues.append(
                LintIssue(
                    "never_activates", f"entry {e.name!r} has no keys and is not constant", [e.id]
                )
            )
        if opts.token_budget is not None:
            tokens = opts.count_tokens(e.content or "")
            if tokens > opts.token_budget:
                what = "always overflows the budget (constant)" if e.constant else "can never fit"
                issues.append(
                    LintIssue(
                        "never_fits",
                        f"entry {e.name!r} needs {tokens} tokens; budget is {opts.token_budget}: {what}",
                        [e.id],
                    )
                )
    reported: set[tuple[str, str]] = set()
    for result in scans:
        for item in result.trace:
            for problem in item.key_problems:
                if problem.problem == "timeout" and (item.entry_id, problem.key) not in reported:
                    reported.add((item.entry_id, problem.key))
                    issues.append(
                        LintIssue(
                            "slow_regex",
                            f"regex key {problem.key!r} gave up in a scan: {problem.detail}",
                            [item.entry_id],
                            problem.key,
                        )
                    )
    for key, owners in by_key.items():
        layers = {(o.level, o.scope_id) for o in owners}
        if len(layers) > 1:
            where = ", ".join(sorted(f"{lv}" + (f":{sid}" if sid else "") for lv, sid in layers))
            issues.append(
                LintIssue(
                    "key_collision",
                    f"key {key!r} is used by entries in several scopes ({where})",
                    [o.id for o in owners],
                    key,
                )
            )
    return issues
