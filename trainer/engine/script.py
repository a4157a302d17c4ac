"""The `--script` format: one reply per line, optionally prefixed by `[+Ns]` (time taken)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

DEFAULT_SECONDS = 10.0
_PREFIX = re.compile(r"^\s*\[\+\s*(\d+(?:\.\d+)?)\s*s\]\s?")


def parse_line(line: str) -> tuple[str, float] | None:
    """A script line as (reply, seconds); None for a blank line."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    seconds = DEFAULT_SECONDS
    m = _PREFIX.match(line)
    if m:
        seconds = float(m.group(1))
        line = line[m.end():]
        if not line.strip():
            return None
    return line, seconds


def parse_script(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    """Replies in order, read lazily (stdin is read line by line as it arrives)."""
    for line in lines:
        parsed = parse_line(line)
        if parsed is not None:
            yield parsed
