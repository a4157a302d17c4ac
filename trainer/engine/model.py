"""A second opinion beside the pattern packs: a linear model over word and letter n-grams.

The packs find the phrasings someone wrote down. Replies written by other people say the same
things in words no pack lists ("if you had read the terms", "as I already wrote"), and more
phrase families stopped paying off (tests/eval-fresh). So a logistic-regression model per
category, trained on the labelled development cases (bench/train_model.py), adds the categories
it is confident of that the pack did not find (on by default; Analyzer(model=False) runs the
packs alone: see docs/model.md for what it gains and costs). It never removes what the pack
found.

Features, all on the folded words of trainer.engine.text.tokenize:
- letter n-grams (3 to 5, with a space at each end of the word) of each distinct word,
  weighted by idf and scaled by the square root of the sum of their squared weights;
- the distinct words and adjacent word pairs, weighted by idf, L2-normalised;
both norms have a floor, so that a word or two cannot weigh as much as a sentence.
Both are sums over words and pairs, so a reply costs a few dictionary looks: each feature's
weights for every category, times its idf, are stored packed side by side in one integer
(fixed point, each field offset to stay non-negative), with its idf squared and a count of 1
in two more fields, letters in the low block of fields and words in the high block. Adding
the integers adds all the categories, both norms and both counts at once; a word's letter
n-grams and its own word feature are added up once and remembered, so a reply is the sum of
one integer per distinct word and one per known word pair, done by sum() in C.

What fired, for a model match: the sentence whose words weighed most towards the category
is the span, and the pattern names the words that weighed most ("model: read, terms").

The model file is data made by bench/train_model.py (marshal: reading it can never run code).
This module needs only the standard library; training needs scikit-learn. Where the
analyzer's compiled module is built (_phrasefind.c), a new word's sum is added up there, with
the same result.
"""

from __future__ import annotations

import math
import marshal
import sys
from itertools import compress, count, repeat
from operator import gt
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
FORMAT = 3
GRAM_SIZES = (3, 4, 5)
FIELD_BITS = 32  # one C unsigned int per field: read all at once through a memoryview
SCALE = 1 << 10  # fixed point: 1/1024 (the norm divides the rounding error by ~50)
OFFSET = 1 << 17  # added to every weight field so that it is never negative
MAX_WORDS = 400  # the model reads a reply's first 400 words: a field then holds every sum
_WORD_CACHE_LIMIT = 50_000


def grams(word: str, sizes: tuple[int, ...] = GRAM_SIZES) -> set[str]:
    """The letter n-grams of one folded word, with a space marking each end."""
    p = f" {word} "
    n = len(p)
    return {p[i:i + k] for k in sizes for i in range(n - k + 1)}


def pairs_of(words: list[str]) -> set[tuple[str, str]]:
    """A reply's distinct adjacent word pairs."""
    return set(zip(words, words[1:]))


def build_state(
    languages: list[str],
    categories: list[str],
    intercepts: list[float],
    char: dict[str, tuple[float, list[float]]],
    word: dict[str, tuple[float, list[float]]],
    pairs: dict[tuple[str, str], tuple[float, list[float]]],
    threshold: float = 0.85,
    gram_sizes: tuple[int, ...] = GRAM_SIZES,
    char_floor: float = 0.0,
    word_floor: float = 0.0,
    info: dict | None = None,
) -> dict:
    """A model file's contents, from each feature's idf and its weight per category."""
    k_all = len(categories)
    block = k_all + 2  # the weights, the idf squared, the count

    def pack(idf: float, weights: list[float], at: int) -> int:
        fields = [round(idf * w * SCALE) for w in weights] + [round(idf * idf * SCALE)]
        if max(map(abs, fields)) >= OFFSET:
            raise ValueError("a weight too large for the fixed-point layout")
        v = 1 << ((at + k_all + 1) * FIELD_BITS)  # the count
        for k, q in enumerate(fields):
            v |= (q + OFFSET) << ((at + k) * FIELD_BITS)
        return v

    return {
        "format": FORMAT,
        "languages": list(languages),
        "categories": list(categories),
        "thresholds": [threshold] * k_all,
        "intercepts": [float(b) for b in intercepts],
        "field_bits": FIELD_BITS,
        "scale": SCALE,
        "offset": OFFSET,
        "gram_sizes": list(gram_sizes),
        "char_floor": float(char_floor),
        "word_floor": float(word_floor),
        "char": {f: pack(idf, ws, 0) for f, (idf, ws) in char.items()},
        "word": {f: pack(idf, ws, block) for f, (idf, ws) in word.items()},
        "pairs": {f: pack(idf, ws, block) for f, (idf, ws) in pairs.items()},
        "info": info or {},
    }


_native_word_sum: list = []  # [the compiled word sum or None], once looked for


def _find_native_word_sum():
    from trainer.engine.native import compiled

    _native_word_sum.append(compiled("word_sum"))
    return _native_word_sum[0]


class _WordSums(dict):
    """word -> the packed sum of its letter n-grams and its own word feature; filled on use."""

    def __init__(self, model: "ReplyModel") -> None:
        super().__init__()
        self.model = model

    def __missing__(self, word: str) -> int:
        m = self.model
        native = _native_word_sum[0] if _native_word_sum else _find_native_word_sum()
        if native is not None:  # the same sum, compiled (_phrasefind.c)
            total = native(word, m.char, m.word, m.sizes)
        else:
            total = sum(map(m.char.get, grams(word, m.sizes), repeat(0))) + m.word.get(word, 0)
        if len(self) >= _WORD_CACHE_LIMIT:
            self.clear()
        self[word] = total
        return total


class ReplyModel:
    """One trained model: logistic regression per category over the features above."""

    def __init__(self, state: dict) -> None:
        if state.get("format") != FORMAT:
            raise ValueError("model file of another format")
        self.languages: tuple[str, ...] = tuple(state["languages"])
        self.categories: tuple[str, ...] = tuple(state["categories"])
        self.thresholds: tuple[float, ...] = tuple(state["thresholds"])
        self.intercepts: tuple[float, ...] = tuple(state["intercepts"])
        self.bits: int = state["field_bits"]
        self.scale: float = float(state["scale"])
        self.offset: int = state["offset"]
        self.char: dict[str, int] = state["char"]
        self.word: dict[str, int] = state["word"]
        self.pairs: dict[tuple[str, str], int] = state["pairs"]
        self.sizes: tuple[int, ...] = tuple(state.get("gram_sizes", GRAM_SIZES))
        self.char_floor: float = state.get("char_floor", 0.0)
        self.word_floor: float = state.get("word_floor", 0.0)
        self.info: dict = state.get("info", {})
        self._mask = (1 << self.bits) - 1
        self._k = len(self.categories)
        self._block = self._k + 2
        self._bytes = 2 * self._block * self.bits // 8
        if self.bits != 32 or memoryview(b"\0" * 4).cast("I").itemsize != 4:
            raise ValueError("model fields must be 32-bit unsigned ints")
        self._sums = _WordSums(self)
        # a threshold as a logit: p > t  <=>  z > log(t / (1 - t))
        self._cut = tuple(math.log(t / (1 - t)) for t in self.thresholds)

    # -- scoring ---------------------------------------------------------------------------

    def _total(self, words: list[str]) -> int:
        if len(words) > MAX_WORDS:
            words = words[:MAX_WORDS]
        total = sum(map(self._sums.__getitem__, set(words)))
        if len(words) > 1:
            # Most of a reply's word pairs are not in the model: only the known ones are added
            # (adding a 0 to a packed sum would still copy all of it).
            pairs = self.pairs
            known = set(filter(pairs.__contains__, zip(words, words[1:])))
            if known:
                total = sum(map(pairs.__getitem__, known), total)
        return total

    def _unpack(self, packed: int) -> list[int]:
        """Every field of a packed sum at once, as unsigned ints: letters' block, words' block."""
        return memoryview(packed.to_bytes(self._bytes, sys.byteorder)).cast("I").tolist()

    def _norms(self, f: list[int]) -> tuple[float, float]:
        """The letters' and the words' norms of a reply, from its unpacked fields."""
        k_all, b, scale, off = self._k, self._block, self.scale, self.offset
        return (math.sqrt(max((f[k_all] - off * f[k_all + 1]) / scale, self.char_floor)) or 1.0,
                math.sqrt(max((f[b + k_all] - off * f[b + k_all + 1]) / scale, self.word_floor))
                or 1.0)

    def logits(self, words: list[str]) -> list[float]:
        """One logit per category (in self.categories order) for a reply's folded words."""
        f = self._unpack(self._total(words))
        k_all, b, scale, off = self._k, self._block, self.scale, self.offset
        c_off, w_off = off * f[k_all + 1], off * f[b + k_all + 1]
        c_norm, w_norm = self._norms(f)
        c_norm, w_norm = scale * c_norm, scale * w_norm
        return [z + (c - c_off) / c_norm + (w - w_off) / w_norm
                for z, c, w in zip(self.intercepts, f, f[b:])]

    def detect(self, words: list[str]) -> list[tuple[str, float]]:
        """The categories whose probability passes their threshold, with the probability."""
        if not words:
            return []
        z = self.logits(words)
        if not any(map(gt, z, self._cut)):
            return []
        return [(self.categories[k], 1.0 / (1.0 + math.exp(-v)))
                for k, v in enumerate(z) if v > self._cut[k]]

    # -- explaining ------------------------------------------------------------------------

    def field(self, packed: int, k: int, block: int, count: int = 1) -> float:
        """Field k of block 0 (letters) or 1 (words) of a sum of `count` packed features."""
        at = (block * self._block + k) * self.bits
        return (((packed >> at) & self._mask) - self.offset * count) / self.scale

    def contributions(self, words: list[str], categories: list[str]) -> dict[str, list[float]]:
        """How much each word (by position) pushed the reply towards each of some categories.

        A distinct word's letter n-grams and its own word feature count at its first place;
        a word pair's weight is split between its two words. The reply's norms are found once,
        and every distinct word's fields are read at once (their packed sums' bytes side by
        side, read as one array of fields).
        """
        words = words[:MAX_WORDS]
        k_all, b, scale, off = self._k, self._block, self.scale, self.offset
        c_norm, w_norm = self._norms(self._unpack(self._total(words)))
        first: dict[str, int] = {}
        for i, w in enumerate(words):
            first.setdefault(w, i)
        to_bytes, size, order = int.to_bytes, self._bytes, sys.byteorder
        flat = memoryview(b"".join([to_bytes(self._sums[w], size, order) for w in first])) \
            .cast("I")
        step = 2 * b  # the fields of one word
        c_counts, w_counts = flat[k_all + 1::step].tolist(), flat[b + k_all + 1::step].tolist()
        ks = [self.categories.index(category) for category in categories]
        out: dict[str, list[float]] = {}
        for category, k in zip(categories, ks):
            weights = out[category] = [0.0] * len(words)
            for i, c, c_count, w, w_count in zip(first.values(), flat[k::step].tolist(), c_counts,
                                                   flat[b + k::step].tolist(), w_counts):
                v = 0.0
                if c_count:
                    v += (c - off * c_count) / scale / c_norm
                if w_count:
                    v += (w - off * w_count) / scale / w_norm
                weights[i] += v
        known: dict[tuple[str, str], int] = {}  # each known pair at its first place
        for i in compress(count(), map(self.pairs.__contains__, zip(words, words[1:]))):
            known.setdefault((words[i], words[i + 1]), i)
        if known:
            flat = memoryview(b"".join([to_bytes(self.pairs[p], size, order) for p in known])) \
                .cast("I")
            for category, k in zip(categories, ks):
                weights = out[category]
                for i, w in zip(known.values(), flat[b + k::step].tolist()):
                    half = (w - off) / scale / w_norm / 2
                    weights[i] += half
                    weights[i + 1] += half
        return out


_MODELS: dict[str, ReplyModel | None] = {}
_BY_PATH: dict[Path, ReplyModel | None] = {}


def model_path(language: str) -> Path | None:
    """The bundled model file that covers a language, if there is one."""
    for path in sorted(MODEL_DIR.glob("*.marshal")):
        if language in path.stem.split("-"):
            return path
    return None


def model_for(language: str) -> ReplyModel | None:
    """The bundled model for a language (loaded once per process), or None if there is none
    or it cannot be read: the analyzer then runs on the pack alone."""
    if language in _MODELS:
        return _MODELS[language]
    model = None
    path = model_path(language)
    if path is not None:
        if path not in _BY_PATH:  # one file serves da, nb and sv: read it once
            try:
                _BY_PATH[path] = ReplyModel(marshal.loads(path.read_bytes()))
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                _BY_PATH[path] = None
        model = _BY_PATH[path]
        if model is not None and language not in model.languages:
            model = None
    _MODELS[language] = model
    return model
