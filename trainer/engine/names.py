"""Recognising the customer's name in a reply, in its inflected and titled forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from trainer.engine.text import Token, fold, words

if TYPE_CHECKING:
    from trainer.engine.analyzer import Match
    from trainer.engine.patterns import Settings

_VOWELS = "aeiouy"


# Polish first names and the diminutives customers are addressed by ("Pani Kasiu" for
# Katarzyna); their case forms are recognised like the names themselves.
POLISH_DIMINUTIVES = {
    "katarzyna": ("kasia", "kasienka"), "malgorzata": ("gosia", "malgosia"),
    "aleksandra": ("ola", "oleńka"), "magdalena": ("magda", "madzia"), "agnieszka": ("aga",),
    "joanna": ("asia",), "anna": ("ania", "anka"), "barbara": ("basia",), "elzbieta": ("ela",),
    "ewa": ("ewka",), "monika": ("monia",), "dorota": ("dorotka",), "justyna": ("justynka",),
    "krystyna": ("krysia",), "zofia": ("zosia",), "maria": ("marysia",), "jadwiga": ("jadzia",),
    "tomasz": ("tomek",), "krzysztof": ("krzysiek",), "piotr": ("piotrek",),
    "michal": ("michalek",), "jan": ("janek",), "andrzej": ("jedrek",), "pawel": ("pawelek",),
    "marcin": ("marcinek",), "lukasz": ("lukaszek",), "wojciech": ("wojtek",),
    "stanislaw": ("stas", "staszek"), "aleksander": ("olek",), "grzegorz": ("grzesiek",),
    "jozef": ("jozek",), "kazimierz": ("kazik",), "wladyslaw": ("wladek",),
    "zbigniew": ("zbyszek",), "jerzy": ("jurek",), "mateusz": ("mateuszek",),
}


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
    if stem.endswith("si") or stem.endswith("zi"):
        stems.add(stem[:-1])  # Kasia -> Kasiu (stem "kas"), Zosia -> Zosiu
    return {s for s in stems if len(s) >= 2}


_UNSEEN = object()


def _words_at(tokens: list[Token], begin: int, words: tuple[str, ...], clause: int | None = None
              ) -> bool:
    """tokens[begin:] start with these words (all in this clause, when one is given)."""
    end = begin + len(words)
    return begin >= 0 and end <= len(tokens) and all(
        tokens[k].text == w and (clause is None or tokens[k].clause == clause)
        for k, w in zip(range(begin, end), words))


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
        # Stems of two letters ("ew" for Ewa) and diminutives match only after a title.
        self.short_stems: dict[str, str] = {}
        if language == "pl":
            for w in list(self.name_words):
                for s in _polish_stems(w):
                    (self.stems if len(s) >= 3 else self.short_stems).setdefault(s, w)
                # Diminutives count only after a title: "Pani Kasiu", never "Kasa".
                for form in POLISH_DIMINUTIVES.get(w, ()):
                    for s in _polish_stems(form):
                        self.short_stems.setdefault(s, w)

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
        if len(word) >= 6:
            # One typo in names of six letters or more; never for names that are also common
            # words ("Klara" is not "klart").
            for w in self.name_words:
                if (len(w) >= 6 and w[0] == word[0] and w not in self.settings.name_words
                        and OSA.distance(word, w, score_cutoff=1) <= 1):
                    return w
        for stem, w in self.stems.items():
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return w
        return None

    def _short(self, word: str) -> str | None:
        for stem, w in self.short_stems.items():
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return w
        return None

    @staticmethod
    def _alone(tokens: list[Token], i: int) -> bool:
        """The word is a clause of its own, in a reply of more than one word ("takk, per.")."""
        clause = tokens[i].clause
        before = i > 0 and tokens[i - 1].clause == clause
        after = i + 1 < len(tokens) and tokens[i + 1].clause == clause
        return len(tokens) > 1 and not before and not after

    def _in_compound(self, tokens: list[Token], i: int, text: str) -> bool:
        """The first part of a hyphenated word ("RUT-avdraget"), unless a double name."""
        end = tokens[i].end
        if text[end:end + 1] not in ("-", "\u2010", "\u2011") or i + 1 >= len(tokens):
            return False
        nxt = tokens[i + 1]
        return nxt.start == end + 1 and self._which(nxt.text) is None

    def _someone_else(self, tokens: list[Token], i: int) -> bool:
        """Someone else's name: "my colleague Sten", "Sten Berg from the warehouse", a signature."""
        clause = tokens[i].clause
        colleagues = self.settings.colleague_words
        for j in (i - 1, i - 2):
            if j >= 0 and tokens[j].clause == clause and tokens[j].text in colleagues:
                return True
        # "Best wishes, Chloe": the writer signs (a closing may end a clause, or a line).
        if any(_words_at(tokens, i - len(closing), closing) for closing in self.settings.sign_offs):
            return True
        j = i + 1
        while j < len(tokens) and tokens[j].clause == clause and self._which(tokens[j].text):
            j += 1  # the rest of the name ("Sten Berg fra lageret")
        return any(_words_at(tokens, j, words_after, clause)
                   for words_after in self.settings.from_words)

    def find(self, tokens: list[Token], text: str) -> list["Match"]:
        from trainer.engine.analyzer import Match

        if not self.name_words:
            return []
        found: list[Match] = []
        memo = self._memo
        titles = self.titles
        short = self.short_stems
        for i, tok in enumerate(tokens):
            w = memo.get(tok[0], _UNSEEN)  # (most words: seen before, and no name)
            if w is _UNSEEN:
                w = self._which(tok[0])
            if w is None and not short:  # only Polish stems after a title need a second look
                continue
            titled = i > 0 and tokens[i - 1][0] in titles and tokens[i - 1][4] == tok[4]
            if w is None and titled:
                w = self._short(tok.text)
            if w is None:
                continue
            if self._someone_else(tokens, i) or self._in_compound(tokens, i, text):
                continue
            capitalised = text[tok.start:tok.start + 1].isupper()
            if w in self.settings.name_words and not titled:
                # A name that is also a common word ("per e-post") counts only when written as
                # a name: capitalised, and at a sentence start only when set apart by a comma
                # ("Per, jeg …"), since every sentence starts with a capital. Lower-case, it
                # counts only set apart on its own ("takk, per.").
                if not capitalised:
                    if not self._alone(tokens, i):
                        continue
                at_start = i == 0 or tokens[i - 1].sentence != tok.sentence
                after = text[tok.end:tok.end + 2]
                if at_start and not after.startswith((",", "!", "?", ".", " -")) and len(tokens) > i + 1 \
                        and tokens[i + 1].sentence == tok.sentence:
                    continue
            start = tokens[i - 1].start if titled else tok.start
            if found and found[-1].end >= start - 1 and text[found[-1].end:start].strip() == "":
                prev = found.pop()
                start = prev.start
            found.append(Match("naming", start, tok.end, f"name:{self.name_words[w]}", 100.0,
                               "name"))
        return found
