"""The reply analyzer: which behaviour categories a reply shows, where, and which pattern fired."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from trainer.engine.categories import CATEGORIES
from trainer.engine.names import NameMatcher
from trainer.engine.native import (  # noqa: F401 (ENV_PURE_PYTHON, built_from: for callers)
    ENV_PURE_PYTHON, built_from, compiled, native_module, search_kind)
from trainer.engine.model import ReplyModel, model_for
from trainer.engine.patterns import IGNORE, Phrase, Settings, pack_with_extras
from trainer.engine.shouting import find_levity, find_shouting
from trainer.engine.text import Token, tokenize

# Replies longer than this are analysed on their first part only, so a pasted novel cannot
# freeze the interface (the shouting check still reads all of it: it is linear and cheap).
MAX_ANALYZED_CHARS = 4000
_CACHE_LIMIT = 50_000
_third = itemgetter(2)
_by_place = itemgetter(1, 2, 0)  # a Match's start, end, category
_json_string = json.encoder.encode_basestring  # a JSON string literal, non-ASCII kept as is


class Match(NamedTuple):
    """One category found in a reply: the span that triggered it and the pattern that fired."""

    category: str
    start: int
    end: int
    pattern: str
    score: float
    source: str = ""

    def as_dict(self, text: str | None = None) -> dict:
        d = {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "pattern": self.pattern,
            "score": round(self.score, 1),
        }
        if self.source:
            d["source"] = self.source
        if text is not None:
            d["text"] = text[self.start:self.end]
        return d


@dataclass(frozen=True)
class Analysis:
    """What a reply shows: its categories (in the fixed vocabulary order) and the matches."""

    text: str
    language: str
    matches: tuple[Match, ...]
    truncated: bool = False
    tags: frozenset[str] = field(default_factory=frozenset)  # scenario phrase kinds that fired

    @property
    def categories(self) -> tuple[str, ...]:
        found = {m.category for m in self.matches}
        return tuple(c for c in CATEGORIES if c in found)

    def spans(self, category: str) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.matches if m.category == category]

    def as_dict(self) -> dict:
        return {
            "categories": list(self.categories),
            "matches": [m.as_dict(self.text) for m in self.matches],
            "language": self.language,
            "truncated": self.truncated,
        }

    def to_json(self) -> str:
        """as_dict() as one line of JSON: the same text as json.dumps(ensure_ascii=False) gives,
        written directly (`analyze --jsonl` writes thousands a second)."""
        q = _json_string
        text = self.text
        matches = []
        for m in self.matches:
            source = f', "source": {q(m.source)}' if m.source else ""
            matches.append(
                f'{{"category": "{m.category}", "start": {m.start}, "end": {m.end}, '
                f'"pattern": {q(m.pattern)}, "score": {round(m.score, 1)!r}{source}, '
                f'"text": {q(text[m.start:m.end])}}}')
        categories = ", ".join(f'"{c}"' for c in self.categories)
        return (f'{{"categories": [{categories}], "matches": [{", ".join(matches)}], '
                f'"language": {q(self.language)}, '
                f'"truncated": {"true" if self.truncated else "false"}}}')


class PhraseIndex:
    """Compiled phrases: a vocabulary of words, fuzzy word lookup, and phrases keyed by anchor."""

    def __init__(self, phrases: list[Phrase], settings: Settings) -> None:
        self.phrases = phrases
        self.settings = settings
        vocab: dict[tuple[str, str], int] = {}
        freq: dict[int, int] = defaultdict(int)
        # Slots as tuples of vocabulary ids (tuples: the cheapest thing to unmarshal).
        compiled: list[tuple[tuple[tuple[int, ...], ...], bool]] = []
        negations = settings.negations
        for phrase in phrases:
            slot_ids = []
            has_negation = False
            for alts in phrase.slots:
                ids = []
                for alt in alts:
                    vid = vocab.get(alt)
                    if vid is None:
                        vid = vocab[alt] = len(vocab)
                    ids.append(vid)
                    freq[vid] += 1
                    has_negation = has_negation or alt[0] in negations
                slot_ids.append(tuple(dict.fromkeys(ids)))
            compiled.append((tuple(slot_ids), has_negation))
        self.vocab = vocab
        self.compiled = compiled
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.prefixes: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        # Fuzzy buckets: (first letter, length) -> [(word, id)] for words long enough to misspell.
        self.buckets: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        self.prefix_buckets: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
        for (word, kind), vid in vocab.items():
            if kind == "prefix":
                self.prefixes[len(word)][word].append(vid)
                if len(word) >= 8:
                    self.prefix_buckets[(word[0], len(word))].append((word, vid))
            else:
                self.exact[word].append(vid)
                if len(word) >= 5 and kind == "word":
                    self.buckets[(word[0], len(word))].append((word, vid))
        self.prefix_lengths = sorted(self.prefixes)
        words_of = {vid: word for (word, _kind), vid in vocab.items()}
        # Anchor: the rarest slot of each phrase; a phrase is only verified when its anchor fires
        # and its next rarest slot (`need`) is in the reply too: most candidates fail that test,
        # so it is kept with the anchor, one look each.
        self.by_anchor: dict[int, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
        # The remaining slots in the order to check that each appears in a reply, rarest first.
        self.checks: list[tuple[tuple[int, ...], ...]] = []
        for pi, (slots, _neg) in enumerate(compiled):
            if len(slots) == 1:
                anchor = 0
                need: tuple[int, ...] = ()
                self.checks.append(())
            else:
                # The rarest slot, where short function words ("i", "you", "nie") count as
                # common whatever the pack says: they are in almost every reply.
                weights = [sum(freq[i] for i in slot)
                           + (10_000 if all(len(words_of[i]) <= 3 for i in slot) else 0)
                           for slot in slots]
                anchor = weights.index(min(weights))
                order = [slots[k] for _w, k in
                         sorted((w, k) for k, w in enumerate(weights) if k != anchor)]
                need = order[0]
                self.checks.append(tuple(order[1:]))
            for vid in slots[anchor]:
                self.by_anchor[vid].append((pi, anchor, need))
        # Plain dicts from here on: lookups use .get(), and the state is marshalled (cache).
        self.exact = dict(self.exact)
        self.prefixes = {n: dict(d) for n, d in self.prefixes.items()}
        # Per first letter, the bucket words in order of length (each length's in pack order)
        # as (words, ids, starts), where starts[n] is where the words of n letters or more
        # begin: the words of every length a reply word may match are compared in one call.
        letters: dict[str, list[tuple[int, list[tuple[str, int]]]]] = defaultdict(list)
        for (letter, length), bucket in sorted(self.buckets.items()):
            letters[letter].append((length, bucket))
        self.letters = {}
        for letter, by_length in letters.items():
            pairs = [pair for _length, bucket in by_length for pair in bucket]
            lengths = [len(w) for w, _ in pairs]
            starts = tuple(bisect_left(lengths, n) for n in range(lengths[-1] + 2))
            self.letters[letter] = (tuple(w for w, _ in pairs), tuple(v for _, v in pairs), starts)
        del self.buckets
        self.prefix_buckets = {key: _columns(b) for key, b in self.prefix_buckets.items()}
        self.by_anchor = dict(self.by_anchor)
        self.n_vocab = len(vocab)
        self.has_negation = bytes(negated for _slots, negated in compiled)
        self.short = tuple(sorted(
            w for (w, kind) in vocab if kind == "word" and len(w) == 3 and w.isalpha()))
        self.layout = (sys.byteorder, _flat_layout(compiled, self.checks, self.by_anchor,
                                                   len(vocab)))
        self._word_cache: dict[str, dict[int, float]] = {}
        self._attach_compiled()

    _STATE = ("exact", "prefixes", "letters", "prefix_buckets", "prefix_lengths", "n_vocab",
              "has_negation", "short", "layout")
    # What only the Python phrase search reads: kept in the cache as one marshalled block,
    # read only when the compiled search is not there (a quarter of the load time spared).
    _PYTHON_SEARCH = ("vocab", "compiled", "checks", "by_anchor")

    def state(self) -> dict:
        """Everything compiled, as plain data (marshal can write it; it runs no code)."""
        import marshal

        st = {name: getattr(self, name) for name in self._STATE}
        st["python_search"] = marshal.dumps(tuple(getattr(self, n) for n in self._PYTHON_SEARCH))
        # The phrases' word slots are compiled into `compiled`: the cache keeps the rest.
        st["phrases"] = [tuple(p._replace(slots=())) for p in self.phrases]
        st["settings"] = dataclasses.asdict(self.settings)
        return st

    @classmethod
    def from_state(cls, st: dict) -> "PhraseIndex":
        index = cls.__new__(cls)
        for name in cls._STATE:
            setattr(index, name, st[name])
        index._python_search = st["python_search"]
        index.phrases = [Phrase._make(p) for p in st["phrases"]]
        index.settings = Settings(**st["settings"])
        index._word_cache = {}
        index._attach_compiled()
        if index._native is None:
            index._read_python_search()
        return index

    def _attach_compiled(self) -> None:
        """The compiled search and look-up (_phrasefind.c) for this index, where there are."""
        self._native = _native_index(self)
        self._native_lookup = compiled("lookup")

    def __getattr__(self, name: str):
        # (Only for attributes not set: the Python search's, from a compiled cache.)
        if name in PhraseIndex._PYTHON_SEARCH and "_python_search" in self.__dict__:
            self._read_python_search()
            return self.__dict__[name]
        raise AttributeError(name)

    def _read_python_search(self) -> None:
        import marshal

        values = marshal.loads(self.__dict__.pop("_python_search"))
        for name, value in zip(self._PYTHON_SEARCH, values):
            setattr(self, name, value)

    def short_words(self) -> frozenset[str]:
        """The pack's 3-letter words (folded): in capitals they are shouting, not acronyms."""
        known = self.__dict__.get("_short_words")
        if known is None:
            known = self._short_words = frozenset(self.short)
        return known

    def lookup(self, word: str) -> dict[int, float]:
        """Vocabulary ids this word matches, with a 0-100 similarity."""
        hit = self._word_cache.get(word)
        if hit is not None:
            return hit
        native = self._native_lookup
        if native is not None:  # the same, compiled (_phrasefind.c)
            found = native(word, self.exact, self.prefixes, self.prefix_lengths, self.letters,
                           self.prefix_buckets)
        else:
            found = self._lookup(word)
        if len(self._word_cache) > _CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[word] = found
        return found

    def _lookup(self, word: str) -> dict[int, float]:
        """lookup() in Python: what the compiled one (_phrasefind.c) does, where it is not."""
        found: dict[int, float] = {}
        for vid in self.exact.get(word, ()):
            found[vid] = 100.0
        for length in self.prefix_lengths:
            if length > len(word):
                break
            for vid in self.prefixes[length].get(word[:length], ()):
                found[vid] = 100.0
        n = len(word)
        if n >= 5 and word[0].isalpha():
            # Typos: in words of 5-6 letters one substituted or swapped letter (same length, so
            # "dziena" never reads as "dzien"); from 7 letters one edit of any kind; from 9, two.
            # The first letter must agree (so "worry" never reads as "sorry").
            # The shorter of the two words sets the tolerance, so a long reply word is never
            # read as a short pack word with letters added ("forlorat" is not "forlat").
            letter = self.letters.get(word[0])
            if letter is not None:
                words, ids, starts = letter
                k = 1 if n < 9 else 2
                top = len(starts) - 1
                lo = starts[min(n if n < 7 else n - k, top)]
                hi = starts[min(n + 1 if n < 7 else n + k + 1, top)]
                if lo < hi:
                    for d, i in _near(word, words[lo:hi], k):
                        length = len(words[lo + i])
                        shorter = min(n, length)
                        if (shorter < 7 and n != length) or (shorter < 9 and d > 1):
                            continue
                        vid = ids[lo + i]
                        if vid not in found:
                            found[vid] = 100.0 * (1 - d / max(n, length))
            # Prefixes tolerate one typo only when long (8+ letters): a short stem with a typo
            # matches too many unrelated words ("wylacz" for "wybacz*").
            for length in range(8, n + 1):
                bucket = self.prefix_buckets.get((word[0], length))
                if bucket is None:
                    continue
                for d, i in _near(word[:length], bucket[0], 1):
                    vid = bucket[1][i]
                    if vid not in found:
                        found[vid] = 100.0 * (1 - d / length)
        return found

    def find(self, tokens: list[Token]) -> list[tuple[Phrase, int, int, float]]:
        """Phrases found among the tokens: (phrase, first token, last token, score)."""
        cache = self._word_cache
        lookup = self.lookup
        per_token = [cache.get(t.text) or lookup(t.text) for t in tokens]
        native = self._native
        if native is None:
            found = self._candidates(tokens, per_token)
        else:
            found = native.find(tokens if type(tokens) is list else list(tokens), per_token)
        if not found:
            return []
        settings = self.settings
        has_negation = self.has_negation
        phrases = self.phrases
        negations = settings.negations
        window = settings.negation_window
        after = settings.negation_after
        negs = None
        results = []
        for pi, first, last, score in found:
            phrase = phrases[pi]
            if phrase.question and not tokens[last].question:
                continue
            if phrase.negatable:
                if negs is None:  # where the reply has negation words, found once
                    negs = [j for j, t in enumerate(tokens) if t[0] in negations]
                # (None near enough: the phrase cannot be negated.)
                if negs and negs[-1] >= first - window and negs[0] <= last + after \
                        and not (has_negation[pi] and _says_negation(
                            tokens, first, last, settings)) \
                        and _negated(tokens, first, last, settings):
                    continue
            results.append((phrase, first, last, score))
        return results

    def _candidates(self, tokens: list[Token], per_token: list[dict[int, float]]
                    ) -> list[tuple[int, int, int, float]]:
        """The phrases whose words are there, in order and near enough, before the question
        and negation rules: (phrase number, first token, last token, score).

        The compiled extension (_phrasefind.c) does the same, when it is built.
        """
        results = []
        compiled = self.compiled
        checks = self.checks
        by_anchor = self.by_anchor
        max_gap = self.settings.max_gap
        # One sentence at a time: no phrase crosses a sentence end, so a candidate needs all
        # its words in the anchor's sentence, and most that fail do so without a closer look.
        n = len(tokens)
        end = 0
        while end < n:
            begin = end
            sentence = tokens[begin][3]
            end += 1
            while end < n and tokens[end][3] == sentence:
                end += 1
            present: set[int] = set().union(*per_token[begin:end])
            absent: set[int] = set()  # phrases with a word nowhere in this sentence
            complete: set[int] = set()  # phrases whose every word is in this sentence
            for ti in range(begin, end):
                hits = per_token[ti]
                for vid, vid_score in hits.items():
                    anchored = by_anchor.get(vid)
                    if anchored is None:
                        continue
                    for pi, anchor, need in anchored:
                        if not need:
                            # One word, this one. (Another of the slot's words fitting the same
                            # token better gives a better-scored result of its own; the best one
                            # is kept.)
                            results.append((pi, ti, ti, vid_score))
                            continue
                        if present.isdisjoint(need):
                            continue
                        if pi not in complete:
                            if pi in absent:
                                continue
                            for slot in checks[pi]:
                                if present.isdisjoint(slot):
                                    absent.add(pi)
                                    break
                            else:
                                complete.add(pi)
                            if pi in absent:
                                continue
                        slots = compiled[pi][0]
                        span = _verify(slots, anchor, ti, per_token, tokens, max_gap)
                        if span is None:
                            continue
                        first, last, score = span
                        results.append((pi, first, last, (score + vid_score) / len(slots)))
        return results


def _native_index(index: PhraseIndex):
    """The index's phrases in the compiled search's form, or None (then Python searches)."""
    module = native_module()
    byteorder, arrays = index.layout
    if module is None or byteorder != sys.byteorder:
        return None
    try:
        return module.Index(arrays, index.n_vocab, index.settings.max_gap)
    except (ValueError, TypeError, OverflowError, MemoryError):
        return None  # a damaged cache file, say: the Python search reads the same phrases


def _flat_layout(compiled, checks, by_anchor, n_vocab: int) -> tuple[bytes, ...]:
    """The phrases as _phrasefind.c reads them: seven arrays of C ints (see Index there).

    Sets of vocabulary ids, each sorted: every phrase's word slots, in order. A phrase's checks
    and the `need` beside each anchor are slots of the same phrase, so they are set numbers.
    """
    from array import array

    pool, set_start = array("i"), array("i", [0])
    slot_first, check_first, check_sets = array("i"), array("i"), array("i")
    anchored_first, anchored = array("i", [0]), array("i")
    set_of: list[dict[tuple[int, ...], int]] = []
    for slots, _negated in compiled:
        slot_first.append(len(set_start) - 1)
        numbers: dict[tuple[int, ...], int] = {}
        for slot in slots:
            numbers.setdefault(slot, len(set_start) - 1)
            pool.extend(sorted(slot))
            set_start.append(len(pool))
        set_of.append(numbers)
    slot_first.append(len(set_start) - 1)
    for pi, slots in enumerate(checks):
        check_first.append(len(check_sets))
        check_sets.extend(set_of[pi][slot] for slot in slots)
    check_first.append(len(check_sets))
    for vid in range(n_vocab):
        for pi, anchor, need in by_anchor.get(vid, ()):
            anchored.extend((pi, anchor, set_of[pi][need] if need else -1))
        anchored_first.append(len(anchored) // 3)
    return tuple(a.tobytes() for a in (pool, set_start, slot_first, check_first, check_sets,
                                        anchored_first, anchored))


def _columns(bucket: list[tuple[str, int]]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    return tuple(w for w, _ in bucket), tuple(v for _, v in bucket)


def _near(word: str, words: tuple[str, ...], k: int):
    """(distance, position) of the words within k edits of word, in their order."""
    if len(words) < 4:  # a call per word is quicker than setting up a batch
        for i, cand in enumerate(words):
            d = OSA.distance(word, cand, score_cutoff=k)
            if d <= k:
                yield d, i
        return
    for _cand, d, i in sorted(extract(word, words, scorer=OSA.distance, score_cutoff=k,
                                      limit=None), key=_third):
        yield d, i


def _verify(slots, anchor, ti, per_token, tokens, max_gap):
    """Match the other slots around the anchor, in order, each within max_gap words.

    (first token, last token, total score of the slots other than the anchor), or None.
    """
    if anchor + 1 < len(slots):
        after = _chain(slots[anchor + 1:], 0, ti, 1, per_token, tokens, max_gap)
        if after is None:
            return None
    else:
        after = ti, 0.0
    if anchor:
        before = _chain(slots[anchor - 1::-1], 0, ti, -1, per_token, tokens, max_gap)
        if before is None:
            return None
        return before[0], after[0], after[1] + before[1]
    return ti, after[0], after[1]


def _chain(wants, k, at, step, per_token, tokens, max_gap):
    """Match the slots wants[k:] one after another beyond `at`: (where the last is, total score).

    Each slot takes the nearest token (in direction step) that matches one of its words, at most
    max_gap words on; if the slots after it then fail, the next such token is tried ("I will,
    I will send"). Adjacent words may straddle a comma; skipping words may not leave the clause,
    and nothing crosses a sentence end.
    """
    want = wants[k]
    last = k + 1 == len(wants)
    _w, _a, _b, sentence, clause, _q = tokens[at]
    nxt = at + step
    stop = min(nxt + 1 + max_gap, len(tokens)) if step == 1 else max(nxt - 1 - max_gap, -1)
    for j in range(nxt, stop, step):
        tok = tokens[j]
        if tok[3] != sentence or (tok[4] != clause and j != nxt):
            return None
        pt = per_token[j]
        best = -1.0
        if len(pt) < len(want):  # a token matches few words; a slot may have many
            for v, sc in pt.items():
                if sc > best and v in want:
                    best = sc
        else:
            for v in want:
                sc = pt.get(v)
                if sc is not None and sc > best:
                    best = sc
        if best >= 0:
            if last:
                return j, best
            rest = _chain(wants, k + 1, j, step, per_token, tokens, max_gap)
            if rest is not None:
                return rest[0], best + rest[1]
    return None


def _says_negation(tokens: list[Token], first: int, last: int, settings: Settings) -> bool:
    """The match itself contains a negation word ("not your fault"): nothing cancels it.

    Only as matched: `gjort något|inget fel` matched as "gjort något fel" can still be negated.
    """
    negations = settings.negations
    return any(tokens[j].text in negations for j in range(first, last + 1))


def _negates(tokens: list[Token], j: int, settings: Settings) -> bool:
    """Token j is a negation word that negates ("no worries" and "don't worry" do not)."""
    if tokens[j].text not in settings.negations:
        return False
    return not (j + 1 < len(tokens) and tokens[j + 1].text in settings.not_negating_before)


def _negated(tokens: list[Token], first: int, last: int, settings: Settings) -> bool:
    """A negation word shortly before the phrase, or between its words, in the same clause."""
    clause = tokens[first].clause
    lo = max(0, first - settings.negation_window)
    stops = settings.negation_stops
    for j in range(first - 1, lo - 1, -1):
        if tokens[j].clause != clause or tokens[j].text in stops:
            break
        if _negates(tokens, j, settings):
            return True
    if any(_negates(tokens, j, settings) for j in range(first + 1, last)):
        return True
    end_clause = tokens[last].clause
    for j in range(last + 1, min(len(tokens), last + 1 + settings.negation_after)):
        if tokens[j].clause != end_clause:
            break
        if _negates(tokens, j, settings):
            return True
    return False


def _expand(tokens: list[Token], contractions: dict[str, tuple[str, ...]]) -> list[Token]:
    if not contractions:
        return tokens
    out: list[Token] = []
    for t in tokens:
        exp = contractions.get(t.text)
        if exp is None and "'" in t.text:
            exp = contractions.get(t.text.replace("'", ""))
        if exp:
            out.extend(Token(w, t.start, t.end, t.sentence, t.clause, t.question) for w in exp)
        else:
            out.append(t)
    return out


@lru_cache(maxsize=64)
def _index_for(pack_key: tuple) -> PhraseIndex:
    import gc

    language, extras = pack_key
    name = _compiled_name(language) if not extras else None
    index = _cached_index(name) if name else None
    if index is None:
        pack = pack_with_extras(language, extras)
        index = PhraseIndex(pack.phrases, pack.settings)
        if name:
            _store_index(name, index)
    # A compiled pack is a few hundred thousand objects that live as long as the process: kept
    # out of the cyclic collector's sight, a collection during a reply stays short (p99).
    gc.freeze()
    return index


# The compiled bundled packs are cached, keyed by the pack file, the code that compiles it and
# the Python version: a changed pack or a new trainer version compiles afresh. An installed
# wheel ships them precompiled (hatch_build.py) in trainer/_compiled, so even the first start
# after installing does not compile; otherwise the first use writes them to the user's cache
# folder. marshal, not pickle: reading a compiled pack can never run code.
# (Not _phrasefind.c: the compiled search reads the layout analyzer.py writes, and checks it.)
_CODE_FILES = ("analyzer.py", "patterns.py", "text.py")
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "_compiled"


def _compiled_name(language: str) -> str | None:
    import hashlib

    from trainer.engine.patterns import bundled_pack_path

    try:
        h = hashlib.sha256(bundled_pack_path(language).read_bytes())
        here = Path(__file__).resolve().parent
        for name in _CODE_FILES:
            h.update((here / name).read_bytes())
        h.update(sys.version.encode())
        return f"{language}-{h.hexdigest()[:24]}.marshal"
    except OSError:
        return None


def _cache_path(name: str) -> Path:
    from trainer.engine.paths import cache_dir

    return cache_dir() / "packs" / name


def _read_compiled(path: Path) -> PhraseIndex | None:
    import gc
    import marshal

    # Unmarshalling makes a few hundred thousand objects, none of them garbage: the cyclic
    # collector would scan them again and again (half the load time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return PhraseIndex.from_state(marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None  # missing, unreadable or from another layout: compile instead
    finally:
        if was_enabled:
            gc.enable()


def _cached_index(name: str) -> PhraseIndex | None:
    """A compiled pack: shipped in the wheel, else from the user's cache, else None."""
    shipped = SHIPPED_DIR / name
    if shipped.is_file() and (index := _read_compiled(shipped)) is not None:
        return index
    path = _cache_path(name)  # (only now: finding the user's cache folder costs an import)
    return _read_compiled(path) if path.is_file() else None


def compile_bundled(dest: Path) -> list[Path]:
    """Compile every bundled pack into dest, named as the loader looks for them (for wheels)."""
    import marshal

    from trainer.engine.categories import LANGUAGES

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGUAGES:
        name = _compiled_name(lang)
        if name is None:
            continue
        pack = pack_with_extras(lang, ())
        path = dest / name
        path.write_bytes(marshal.dumps(PhraseIndex(pack.phrases, pack.settings).state()))
        written.append(path)
    return written


def _store_index(name: str, index: PhraseIndex) -> None:
    import marshal
    import os
    import tempfile

    path = _cache_path(name)
    language = name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{language}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(index.state()))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # no cache: slower start, same results


class Analyzer:
    """Analyses replies in one language, for one customer, with optional extra phrases.

    Extra phrases (a scenario's own) are compiled into a small second index, so the shared
    language index is built once per process.
    """

    def __init__(
        self,
        language: str,
        names: list[str] | tuple[str, ...] = (),
        extra_phrases: list[Phrase] | tuple[Phrase, ...] = (),
        extra_packs: tuple[Path, ...] = (),
        model: bool = True,
    ) -> None:
        self.language = language
        self.model = model_for(language) if model else None
        self.index = _index_for((language, tuple(extra_packs)))
        self.settings = self.index.settings
        self.extra = PhraseIndex(list(extra_phrases), self.settings) if extra_phrases else None
        self.names = NameMatcher(names, language, self.settings)

    def analyze(self, text: str) -> Analysis:
        """Find the categories in a reply."""
        truncated = len(text) > MAX_ANALYZED_CHARS
        head = text[:MAX_ANALYZED_CHARS]
        raw_tokens = tokenize(head)
        tokens = _expand(raw_tokens, self.settings.contractions)
        found = self.index.find(tokens)
        if self.extra is not None:
            found += self.extra.find(tokens)
        matches: list[Match] = []
        suppressors: list[tuple[Match, tuple[str, ...]]] = []
        tags: set[str] = set()
        new = tuple.__new__
        for phrase, first, last, score in found:
            m = new(Match, (phrase.category, tokens[first][1], tokens[last][2], phrase.text,
                            score, phrase.source))
            matches.append(m)
            if phrase.suppresses:
                suppressors.append((m, phrase.suppresses))
            if phrase.source.startswith("scenario:"):
                tags.add(phrase.source.split(":", 1)[1])
        if suppressors:
            matches = [
                m for m in matches
                if not any(
                    m.category in cats and m.start < s.end and s.start < m.end
                    for s, cats in suppressors
                )
            ]
        matches = _dedupe([m for m in matches if m.category != IGNORE])
        if self.model is not None and raw_tokens:
            matches += _model_matches(self.model, raw_tokens, head, matches)
        matches += self.names.find(raw_tokens, head)
        matches += find_shouting(text, self.settings.acronyms, self.index.short_words())
        matches += find_levity(head)
        matches.sort(key=_by_place)
        return Analysis(text, self.language, tuple(matches), truncated, frozenset(tags))


def _model_matches(model: ReplyModel, tokens: list, text: str, found: list[Match]) -> list[Match]:
    """The categories the model is confident of that the pack did not find.

    The span is the sentence whose words pushed most towards the category; the pattern names
    the (up to three) words that pushed most, as typed.
    """
    words = [t.text for t in tokens]
    detected = model.detect(words)
    if not detected:
        return []
    have = {m.category for m in found}
    detected = [(category, p) for category, p in detected if category not in have]
    if not detected:
        return []
    explained = model.contributions(words, [category for category, _p in detected])
    out = []
    for category, p in detected:
        weights = explained[category]
        by_sentence: dict[int, float] = {}
        for t, w in zip(tokens, weights):
            by_sentence[t.sentence] = by_sentence.get(t.sentence, 0.0) + w
        best = max(by_sentence, key=by_sentence.__getitem__)
        inside = [(w, i) for i, (t, w) in enumerate(zip(tokens, weights)) if t.sentence == best]
        first = min(i for _, i in inside)
        last = max(i for _, i in inside)
        cues = sorted(i for w, i in sorted(inside, reverse=True)[:3] if w > 0)
        shown = ", ".join(text[tokens[i].start:tokens[i].end] for i in cues)
        out.append(Match(category, tokens[first].start, tokens[last].end,
                         f"model: {shown}" if shown else "model", round(p * 100, 1), "model"))
    return out


def _dedupe(matches: list[Match]) -> list[Match]:
    """Keep one match per category and place: the longest, then best-scoring, of overlaps."""
    if len(matches) < 2:
        return matches
    best: list[Match] = []
    for m in sorted(matches, key=_longest_first):
        category, start, end = m[0], m[1], m[2]
        for b in best:
            if b[0] == category and b[1] < end and start < b[2]:
                break
        else:
            best.append(m)
    return best


def _longest_first(m: Match) -> tuple[int, float]:
    return m[1] - m[2], -m[4]


def pack_settings(language: str, extra_packs: tuple[Path, ...] = ()) -> Settings:
    """The settings of a language's pack (with a trainer's extra packs), from the loaded index."""
    return _index_for((language, tuple(extra_packs))).settings


def analyze(text: str, language: str = "en", names: list[str] | tuple[str, ...] = (),
            model: bool = True) -> Analysis:
    """Analyse one reply with the bundled pack of a language (and its model, unless asked not)."""
    return Analyzer(language, tuple(names), model=model).analyze(text)


def warm(languages: tuple[str, ...] | None = None, model: bool = True) -> None:
    """Load and compile the bundled packs (and, with model, read the models) ahead of use."""
    from trainer.engine.categories import LANGUAGES

    for lang in languages or LANGUAGES:
        _index_for((lang, ()))
        if model:
            model_for(lang)
