"""Shouting in text: words in capitals and runs of exclamation marks, judged from the letters."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trainer.engine.text import fold

if TYPE_CHECKING:
    from trainer.engine.analyzer import Match

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# Two capital Latin letters in a row: without them there are no words in capitals to look at.
_TWO_CAPS = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isupper())
                       + "]{2}")
_BANGS = re.compile(r"[!\uff01][!?\uff01\uff1f1]*[!\uff01]")  # "!!", "!?!", "!!1"


def _is_caps(word: str) -> bool:
    return word.isupper() and not any(c.islower() for c in word)


def find_shouting(text: str, acronyms: set[str], known: frozenset[str] = frozenset()
                  ) -> list["Match"]:
    """Matches for capitals and "!!".

    Capitals: a word of 4+ letters, 3 capital words in a row, or a 3-letter word of the
    language ("NOT", "NIE", "LÄS": one of `known`, folded as pack words are) that is not an
    acronym. Other short words in capitals are taken for abbreviations.
    """
    # Most replies have neither two capitals in a row nor an exclamation mark: nothing to do.
    two_caps = _TWO_CAPS.search(text) is not None
    if not two_caps and "!" not in text and "\uff01" not in text:
        return []
    from trainer.engine.analyzer import Match

    found: list[Match] = []
    run: list[re.Match] = []

    def close_run() -> None:
        long_words = [m for m in run if len(m.group()) >= 4
                      or (len(m.group()) == 3 and fold(m.group()) in known)]
        if long_words or len(run) >= 3:
            found.append(Match("shouting", run[0].start(), run[-1].end(), "capitals", 100.0,
                               "shouting"))
        run.clear()

    prev_end = 0
    # Capitals are looked for in Latin script (all five languages); two capitals in a row are
    # the least a word in capitals needs, and most replies have none.
    words = _WORD.finditer(text) if two_caps else ()
    for m in words:
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


# Laughing and winking faces: levity, which an angry customer reads as not being taken seriously
# (essay 003). A plain smile (🙂) is left alone: it is often just politeness.
_LEVITY = re.compile(
    r"(?<![\w/]):-?[)D]+(?!\w)|(?<![\w/]);-?[)D]+(?!\w)|(?<!\w)[xX]D+(?!\w)|(?<![\w/]):-?[pP](?!\w)"
    r"|[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F61C\U0001F61D\U0001F61B\U0001F643"
    r"\U0001F604\U0001F601\U0001F609\U0001F92A]+"
)


_EMOJI_HINT = re.compile(r"[\U0001F600-\U0001F64F\U0001F900-\U0001F92F]")


def find_levity(text: str) -> list["Match"]:
    """Matches for laughing or winking emoticons and emoji (joking)."""
    # Quick tests first: most replies have no colon, semicolon, "xD" or emoji.
    if (":" not in text and ";" not in text and "xD" not in text and "XD" not in text
            and (text.isascii() or not _EMOJI_HINT.search(text))):
        return []
    from trainer.engine.analyzer import Match

    return [Match("joking", m.start(), m.end(), "laughing face", 100.0, "levity")
            for m in _LEVITY.finditer(text)]
