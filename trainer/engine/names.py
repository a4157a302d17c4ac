"""Recognising the customer's name in a reply, in its inflected and titled forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from trainer.engine.text import Token, fold, words

if TYPE_CHECKING:
    from trainer.engine.analyzer import Match
    from trainer.engine.patterns import Settings

_VOWELS = "aeiouy"


def _polish_stems(word: str) -> set[str]:
    """Stems that Polish case endings attach to: Monika -> monik/monic, Marek -> mark."""
    stems = set()
    stem = word[:-1] if word[-1] in _VOWELS else word
    stems.add(stem)
    if stem.endswith("k"):
        stems.add(stem[:-1] + "c")  # Monice
    if stem.endswith("g"):
        stems.add(stem[:-1] + "dz")  # Jadwidze
    if stem.endswith("r") and word[-1] not in _VOWELS:
        stems.add(stem + "z")  # Piotrze
    if len(word) >= 4 and word[-2] == "e" and word[-1] not in _VOWELS:
        stems.add(word[:-2] + word[-1])  # Marek -> Marku, Pawel -> Pawle
    return {s for s in stems if len(s) >= 3}


class NameMatcher:
    """Finds the customer's names (first name, surname, any listed form) in a reply."""

    def __init__(self, names, language: str, settings: "Settings") -> None:
        self.language = language
        self.settings = settings
        self.titles = {fold(t) for t in settings.titles}
        self.name_words: dict[str, str] = {}  # folded word -> how the trainer wrote it
        for name in names:
            if not isinstance(name, str):
                continue
            for w in words(name):
                if w not in self.titles and len(w) >= 2:
                    self.name_words.setdefault(w, name)
        self._memo: dict[str, str | None] = {}
        self.stems: dict[str, str] = {}
        if language == "pl":
            for w in self.name_words:
                for s in _polish_stems(w):
                    self.stems.setdefault(s, w)

    def _which(self, word: str) -> str | None:
        """The name word this reply word is a form of (memoised: replies repeat words)."""
        try:
            return self._memo[word]
        except KeyError:
            pass
        found = self._which_uncached(word)
        if len(self._memo) > 20_000:
            self._memo.clear()
        self._memo[word] = found
        return found

    def _which_uncached(self, word: str) -> str | None:
        if word in self.name_words:
            return word
        if len(word) >= 5:
            for w in self.name_words:
                if len(w) >= 5 and w[0] == word[0] and OSA.distance(word, w, score_cutoff=1) <= 1:
                    return w
        for stem, w in self.stems.items():
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return w
        return None

    def find(self, tokens: list[Token], text: str) -> list["Match"]:
        from trainer.engine.analyzer import Match

        if not self.name_words:
            return []
        found: list[Match] = []
        for i, tok in enumerate(tokens):
            w = self._which(tok.text)
            if w is None:
                continue
            titled = i > 0 and tokens[i - 1].text in self.titles and tokens[i - 1].clause == tok.clause
            capitalised = text[tok.start:tok.start + 1].isupper()
            # A name that is also a common word ("per e-post") counts only when written as a
            # name: capitalised, or after a title.
            if w in self.settings.name_words and not (capitalised or titled):
                continue
            start = tokens[i - 1].start if titled else tok.start
            if found and found[-1].end >= start - 1 and text[found[-1].end:start].strip() == "":
                prev = found.pop()
                start = prev.start
            found.append(Match("naming", start, tok.end, f"name:{self.name_words[w]}", 100.0,
                               "name"))
        return found
