"""Shouting in text: words in capitals and runs of exclamation marks, judged from the letters."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.engine.analyzer import Match

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_BANGS = re.compile(r"[!\uff01][!?\uff01\uff1f1]*[!\uff01]")  # "!!", "!?!", "!!1"


def _is_caps(word: str) -> bool:
    return word.isupper() and not any(c.islower() for c in word)


def find_shouting(text: str, acronyms: set[str]) -> list["Match"]:
    """Matches for capitals (a word of 4+ letters, or 3 capital words in a row) and "!!"."""
    from trainer.engine.analyzer import Match

    found: list[Match] = []
    run: list[re.Match] = []

    def close_run() -> None:
        long_words = [m for m in run if len(m.group()) >= 4]
        if long_words or len(run) >= 3:
            found.append(Match("shouting", run[0].start(), run[-1].end(), "capitals", 100.0,
                               "shouting"))
        run.clear()

    prev_end = 0
    for m in _WORD.finditer(text):
        word = m.group()
        caps = len(word) >= 2 and _is_caps(word) and word.replace("\u2019", "'") not in acronyms
        # Words in capitals that are not acronyms; a run breaks at any other word.
        if caps and (not run or not _WORD.search(text[prev_end:m.start()])):
            run.append(m)
        else:
            if run:
                close_run()
            if caps:
                run.append(m)
        prev_end = m.end()
    if run:
        close_run()
    for m in _BANGS.finditer(text):
        found.append(Match("shouting", m.start(), m.end(), "exclamation marks", 100.0,
                           "shouting"))
    return found
