"""What every benchmark's command line shares: the `--json PATH` option and printing the
table (then writing the figures, when asked)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

__all__ = ["bench_parser", "report"]


def bench_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """A parser for `prog` described by the first line of `doc`, with `--json PATH`."""
    parser = argparse.ArgumentParser(prog=prog, description=(doc or "").splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    return parser


def report(table: str, figures: Any, json_path: Path | None) -> None:
    """Print `table`; with `--json PATH`, also write `figures` there as JSON."""
    print(table)
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
