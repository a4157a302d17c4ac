"""Text normalisation and tokenisation that keep code-point offsets into the text as typed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Letters that Unicode does not decompose into a base letter plus a mark, folded the way people
# type them on a keyboard without the key ("dziekuje" for "dziękuję", "forlat" for "forlåt").
_FOLD = {
    "ł": "l",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ß": "ss",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "`": "'",
    "´": "'",
}

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# One findall covers the whole text, in pieces (so offsets are running sums of lengths):
# spaces, then a word, a sentence end, a clause end (a hyphen only after a space: see
# tokenize) or any other character. ASCII classes are quicker to test, and most replies fold to
# ASCII.
_PIECES = (r"([^\S\n]*)(?:([^\W_]+(?:'[^\W_]+)*)|([.!?\n]+)|([,;:\u2013\u2014()]|-(?=\s))"
           r"|(.))")
_ALL = re.compile(_PIECES)
_ALL_ASCII = re.compile(_PIECES, re.ASCII)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# Abbreviations whose full stop does not end a sentence when a lower-case word or a number
# follows ("pga. vejret", "kl. 14", "np. jutro"); folded, and for "f.eks.", "bl.a.", "t.ex.",
# "e.g." the last part (a full stop between two letters never ends a sentence).
ABBREVIATIONS = frozenset({
    "g", "e", "etc", "approx", "incl", "excl", "vs", "dept", "pga", "eks", "fx", "ca", "evt",
    "mht", "inkl", "ekskl", "dvs", "osv", "nr", "kl", "tlf", "vedr", "jf", "iflg", "ifm", "ex",
    "resp", "exkl", "enl", "np", "tzn", "itd", "itp", "tj", "godz", "ul", "wg", "tys", "ds", "a",
})
_NEXT = re.compile(r"\s*(\S)")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.casefold()
    out = []
    for c in low:
        c = _FOLD.get(c, c)
        for d in unicodedata.normalize("NFKD", c):
            if not unicodedata.combining(d):
                out.append(_FOLD.get(d, d))
    return "".join(out)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and fold special letters; used for patterns and words."""
    return _fold_text(text)[0]


class Token(NamedTuple):
    """One word of a reply: its folded form and where it stands in the text as typed."""

    text: str
    start: int
    end: int
    sentence: int
    clause: int
    question: bool  # the sentence it stands in ends with "?"


def _fold_text(text: str) -> tuple[str, list[int] | None]:
    """text folded, and for each folded character its offset in text (None: the identity).

    Replies have few distinct non-ASCII characters (å, ę, ø, an emoji…): each is folded once
    and replaced throughout, which is quicker than folding every character. Only characters
    that fold to more or fewer than one ("æ" to "ae") need an offset table.
    """
    low = text.lower()
    if len(low) != len(text):  # a capital that lower-cases to two characters ("İ")
        return _fold_each(text)
    multi: dict[str, str] = {}
    for ch in set(_NON_ASCII.findall(low)):
        f = _fold_char(ch)
        if len(f) == 1 and f.isascii():
            low = low.replace(ch, f)
        elif f != ch:
            multi[ch] = f
    if "`" in low:
        low = low.replace("`", "'")
    if not multi:
        return low, None
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(low):
        f = multi.get(m.group())
        if f is None:
            continue
        i = m.start()
        parts.append(low[pos:i])
        offsets.extend(range(pos, i))
        parts.append(f)
        offsets.extend([i] * len(f))
        pos = i + 1
    parts.append(low[pos:])
    offsets.extend(range(pos, len(low)))
    return "".join(parts), offsets


def _fold_each(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        parts.append(f)
        offsets.extend([i] * len(f))
    return "".join(parts), offsets


def tokenize(text: str) -> list[Token]:
    """Split text into folded words, each with code-point offsets into the original text."""
    folded, offsets = _fold_text(text)
    native = _native_tokenize[0] if _native_tokenize else _find_native_tokenize()
    if native is not None:  # the same loop, compiled (_phrasefind.c)
        return native(folded, text, offsets, folded.isascii(), Token, _abbreviation,
                      _lower_next)
    return _tokenize(folded, text, offsets)


_native_tokenize: list = []  # [the compiled tokenizer or None], once looked for


def _find_native_tokenize():
    from trainer.engine.native import compiled

    _native_tokenize.append(compiled("tokenize"))
    return _native_tokenize[0]


def _tokenize(folded: str, text: str, offsets: list[int] | None) -> list[Token]:
    """tokenize() in Python, after folding: what the compiled one does, where it is not."""
    pieces = (_ALL_ASCII if folded.isascii() else _ALL).findall(folded)

    # One pass over the folded text: words, sentence ends and clause ends, in order.
    tokens: list[Token] = []
    add = tokens.append
    new = tuple.__new__
    questions: list[int] = []
    sentence = clause = 0
    word_end = -1  # where the last word ends in folded
    pos = 0
    for space, word, end, mark, _other in pieces:
        if space:
            pos += len(space)
        if word:
            a = pos
            pos = word_end = a + len(word)
            if offsets is None:
                add(new(Token, (word, a, pos, sentence, clause + sentence * 100000, False)))
            else:
                add(new(Token, (word, offsets[a], offsets[pos - 1] + 1, sentence,
                                clause + sentence * 100000, False)))
        elif end:
            at = pos
            pos += len(end)
            if end == "." and at == word_end and _abbreviation(
                    tokens[-1].text, folded, pos, text, offsets):
                continue  # "pga. vejret", "f.eks.", "ca. 3 dage": not a sentence end
            if end.strip(".") == "" and len(end) > 1 and _lower_next(folded, pos, text, offsets):
                clause += 1  # "tack för ditt tålamod... eller brist på det": a pause
                continue
            if "?" in end:
                questions.append(sentence)
            sentence += 1
        else:
            pos += 1  # a clause mark or any other character: one character either way
            if mark and (space or mark != "-"):  # a hyphen ends a clause only after a space
                clause += 1
    if questions:
        asked = set(questions)
        tokens = [t._replace(question=True) if t.sentence in asked else t for t in tokens]
    return tokens


def _next_char(folded: str, after: int, text: str, offsets) -> str:
    """The next visible character after `after` in folded, as typed ("" at the end)."""
    m = _NEXT.match(folded, after)
    if m is None:
        return ""
    return text[m.start(1) if offsets is None else offsets[m.start(1)]]


def _lower_next(folded: str, after: int, text: str, offsets) -> bool:
    """The next visible character after `after` is a lower-case letter, as typed."""
    return _next_char(folded, after, text, offsets).islower()


def _abbreviation(word: str, folded: str, after: int, text: str, offsets) -> bool:
    """The full stop right after `word` (ending at `after` in folded) belongs to an abbreviation."""
    if after < len(folded) and folded[after].isalnum():
        return True  # inside a word or number: "f.eks", "bl.a", "e.g", "8.000", "3.5"
    ordinal = word.isdigit()  # "3. mai", "24. december": a date, not a sentence end
    if word not in ABBREVIATIONS and not ordinal:
        return False
    following = _next_char(folded, after, text, offsets)
    return following.islower() or (following.isdigit() and not ordinal)


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _TOKEN.finditer(fold(text)))


def words(text: str) -> list[str]:
    """The folded words of a phrase."""
    return list(_words(text))
