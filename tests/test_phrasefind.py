"""The compiled phrase search, word look-up and tokenizer (trainer/engine/_phrasefind.c)
against the Python ones.

Both must give the same candidates, in the same order, with the same scores (and the same
tokens); the compiled one must refuse a damaged layout or odd input with an exception (the
analyzer then searches in Python), never read out of bounds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.engine import analyzer as A
from trainer.engine.analyzer import Analyzer, _expand, native_module
from trainer.engine.categories import LANGUAGES
from trainer.engine.native_build import ENV_NO_EXTENSION, cannot_build
from trainer.engine import text as T
from trainer.engine.patterns import parse_phrase
from trainer.engine.text import Token, tokenize

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("TRAINER_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _buildable() -> bool:
    """The install could compile the search here (as hatch_build.py decides), and was let."""
    return cannot_build() is None and not os.environ.get(ENV_NO_EXTENSION)


needs_native = pytest.mark.skipif(
    native_module() is None and not _buildable(),
    reason=f"the compiled phrase search is not built here ({cannot_build() or ENV_NO_EXTENSION})")


def test_the_compiled_search_is_built_where_a_compiler_is():
    """Where the install could compile it, it did, and it is current: otherwise the tests below
    would compare the Python search with itself."""
    if not _buildable() or os.environ.get(A.ENV_PURE_PYTHON):
        pytest.skip("no C compiler or Python headers here, or the compiled search turned off")
    assert native_module() is not None, \
        "trainer/engine/_phrasefind.c is not built or is stale: run pip install -e . again"
    assert Analyzer("en").index._native is not None


def _texts(lang: str) -> list[str]:
    texts = []
    for folder in ("analyzer_cases", "train_cases"):
        for path in sorted((ROOT / "tests" / folder).glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            if data.get("language") == lang:
                texts += [case["text"] for case in data.get("case", [])]
    return texts


def _both(index, text: str, contractions) -> tuple[list, list]:
    tokens = _expand(tokenize(text), contractions)
    per_token = [index.lookup(t.text) for t in tokens]
    return index._native.find(tokens, per_token), index._candidates(tokens, per_token)


@needs_native
@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_searches_find_the_same_on_every_development_case(lang):
    analyzer = Analyzer(lang)
    texts = _texts(lang)
    assert len(texts) > 500
    found = 0
    for text in texts:
        native, python = _both(analyzer.index, text, analyzer.settings.contractions)
        assert native == python, text
        found += len(python)
    assert found > len(texts)  # the comparison is not of empty lists


def _vocabulary(lang: str) -> list[str]:
    return sorted({word for word, _kind in Analyzer(lang).index.vocab})


WORDS = {lang: _vocabulary(lang) for lang in LANGUAGES}


@st.composite
def replies(draw):
    """Pack words (so that phrases fire) with typos, filler words and punctuation between."""
    lang = draw(st.sampled_from(LANGUAGES))
    parts = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.integers(0, 9))
        if kind < 6:
            word = draw(st.sampled_from(WORDS[lang]))
            if kind == 5 and len(word) > 5:  # a typo: one letter dropped
                i = draw(st.integers(1, len(word) - 1))
                word = word[:i] + word[i + 1:]
            parts.append(word)
        elif kind < 8:
            parts.append(draw(st.sampled_from(["not", "ikke", "inte", "nie", "the", "og", "i"])))
        else:
            parts.append(draw(st.sampled_from([".", ",", "?", "!", " -", ";", "...", "\n"])))
    return lang, " ".join(parts)


@needs_native
@SETTINGS
@given(replies())
def test_both_searches_find_the_same_on_generated_replies(reply):
    lang, text = reply
    analyzer = Analyzer(lang)
    native, python = _both(analyzer.index, text, analyzer.settings.contractions)
    assert native == python


@needs_native
def test_a_scenarios_own_phrases_are_searched_compiled_too():
    phrase = parse_phrase("solving", "zorp blip quax", source="test")
    analyzer = Analyzer("en", extra_phrases=[phrase])
    assert analyzer.extra._native is not None
    text = "zorp blip blip one two quax, and zorp blip one two three quax"
    native, python = _both(analyzer.extra, text, analyzer.settings.contractions)
    assert native == python and len(native) == 1


def test_the_python_search_gives_the_same_analysis(monkeypatch):
    """With the compiled search, look-up, tokenizer and word sum off (and the word caches they
    filled set aside), whole analyses are unchanged."""
    from trainer.engine import model as M

    texts = {lang: _texts(lang)[:150] for lang in LANGUAGES}
    expected = {lang: [Analyzer(lang, ("Monika Nowak",)).analyze(t) for t in texts[lang]]
                for lang in LANGUAGES}
    monkeypatch.setattr(T, "_native_tokenize", [None])
    monkeypatch.setattr(M, "_native_word_sum", [None])
    for lang in LANGUAGES:
        analyzer = Analyzer(lang)
        index = analyzer.index
        monkeypatch.setattr(index, "_native", None)
        monkeypatch.setattr(index, "_native_lookup", None)
        monkeypatch.setattr(index, "_word_cache", {})
        monkeypatch.setattr(analyzer.model, "_sums", M._WordSums(analyzer.model))
        got = [Analyzer(lang, ("Monika Nowak",)).analyze(t) for t in texts[lang]]
        assert got == expected[lang]


def test_turned_off_by_the_environment_variable_with_the_same_output():
    code = ("import sys; from trainer.engine.analyzer import Analyzer, native_module; "
            "print(native_module() is None); "
            "print(Analyzer('pl', ('Monika Nowak',)).analyze(sys.argv[1]).to_json())")
    text = "Pani Moniko, bardzo przepraszam, to nie Pani wina. Wyślemy nowy jutro."
    runs = []
    for env in ({}, {A.ENV_PURE_PYTHON: "1"}):
        done = subprocess.run([sys.executable, "-c", code, text], capture_output=True,
                              text=True, cwd=ROOT, env={**os.environ, **env}, check=True)
        runs.append(done.stdout.splitlines())
    assert runs[1][0] == "True"
    assert runs[0][1] == runs[1][1]
    assert '"apologizing"' in runs[0][1]


def test_a_stale_build_is_not_used(tmp_path):
    source = tmp_path / "_phrasefind.c"
    source.write_text("/* another version */")

    class Built:
        SOURCE_SHA256 = "0" * 64

    assert not A.built_from(Built, source)
    assert A.built_from(Built, tmp_path / "missing.c")  # an installed wheel without the source


def _layout(index) -> list[bytes]:
    return list(index.layout[1])


@needs_native
@pytest.mark.parametrize("damage", [
    lambda arrays: arrays.__setitem__(0, array("i", [10 ** 6]).tobytes() + arrays[0][4:]),
    lambda arrays: arrays.__setitem__(1, arrays[1][:-4]),
    lambda arrays: arrays.__setitem__(6, arrays[6][:-4]),
    lambda arrays: arrays.__setitem__(6, array("i", [10 ** 6, 0, -1]).tobytes() + arrays[6][12:]),
    lambda arrays: arrays.__setitem__(5, array("i", [5]).tobytes() + arrays[5][4:]),
    lambda arrays: arrays.__setitem__(3, arrays[3][:-1]),
    lambda arrays: arrays.pop(),
])
def test_a_damaged_layout_is_refused_and_python_searches(damage):
    index = Analyzer("en").index
    module = native_module()
    arrays = _layout(index)
    damage(arrays)
    with pytest.raises(ValueError):
        module.Index(tuple(arrays), index.n_vocab, index.settings.max_gap)
    damaged = A.PhraseIndex.from_state({**index.state(), "layout": (sys.byteorder, tuple(arrays))})
    assert damaged._native is None
    assert [p.text for p, *_ in damaged.find(tokenize("I'm so sorry, that is our fault."))] \
        == [p.text for p, *_ in index.find(tokenize("I'm so sorry, that is our fault."))]


@needs_native
@SETTINGS
@given(st.lists(st.binary(max_size=64).map(lambda b: b[: len(b) // 4 * 4]), min_size=7,
                max_size=7),
       st.integers(0, 50), st.integers(0, 5))
def test_arbitrary_layouts_are_refused_or_searched_safely(arrays, n_vocab, max_gap):
    module = native_module()
    try:
        index = module.Index(tuple(arrays), n_vocab, max_gap)
    except ValueError:
        return
    tokens = tokenize("a b c. d e")
    per_token = [{v: 100.0 for v in range(n_vocab) if (v + i) % 3 == 0}
                 for i in range(len(tokens))]
    for pi, first, last, score in index.find(tokens, per_token):
        assert 0 <= first <= last < len(tokens) and score >= 0


@needs_native
def test_odd_input_to_find_raises_and_never_crashes():
    index = Analyzer("en").index
    tokens = tokenize("so sorry")
    with pytest.raises(ValueError):
        index._native.find(tokens, [{}])  # lengths differ
    with pytest.raises(ValueError):
        index._native.find(tokens, [{index.n_vocab + 5: 100.0}, {}])
    with pytest.raises(TypeError):
        index._native.find(tokens, [{"x": 100.0}, {}])
    with pytest.raises(TypeError):
        index._native.find([("not", "a", "token")], [{}])
    with pytest.raises(TypeError):
        index._native.find(tuple(tokens), [{}, {}])
    assert index._native.find([], []) == []


# -- the compiled word lookup (PhraseIndex.lookup) ------------------------------------------

def _lookups(index, word: str) -> tuple[list, list]:
    native = native_module().lookup(word, index.exact, index.prefixes, index.prefix_lengths,
                                    index.letters, index.prefix_buckets)
    return list(native.items()), list(index._lookup(word).items())


@needs_native
@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_lookups_give_the_same_ids_scores_and_order_for_every_case_word(lang):
    index = Analyzer(lang).index
    words = {t.text for text in _texts(lang) for t in tokenize(text)}
    fuzzy = 0
    for word in sorted(words):
        native, python = _lookups(index, word)
        assert native == python, word
        fuzzy += any(score < 100 for _vid, score in python)
    assert fuzzy > 20  # typos were among them, not only exact words


def _edit(draw, word: str) -> str:
    """One typo of any kind, or none."""
    kind = draw(st.integers(0, 4))
    if not word or kind == 0:
        return word
    i = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from("aeiounrstlkøåæęłś"))
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + letter + word[i:]
    if kind == 3:
        return word[:i] + letter + word[i + 1:]
    return word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]


@st.composite
def typed_words(draw):
    lang = draw(st.sampled_from(LANGUAGES))
    word = draw(st.sampled_from(WORDS[lang]))
    for _ in range(draw(st.integers(0, 2))):
        word = _edit(draw, word)
    word += draw(st.sampled_from(["", "", "s", "en", "ene", "ing", "ami"]))
    return lang, word


@needs_native
@SETTINGS
@given(typed_words())
def test_both_lookups_agree_on_misspelt_words(typed):
    lang, word = typed
    native, python = _lookups(Analyzer(lang).index, word)
    assert native == python


@needs_native
@SETTINGS
@given(st.sampled_from(LANGUAGES), st.text(max_size=80))
def test_both_lookups_agree_on_any_text(lang, word):
    native, python = _lookups(Analyzer(lang).index, word)
    assert native == python


@needs_native
def test_the_compiled_lookup_refuses_odd_tables():
    lookup = native_module().lookup
    with pytest.raises(TypeError):
        lookup("sorryy", {}, {}, [], {"s": ("not", "a", "bucket")}, {})
    with pytest.raises(TypeError):
        lookup("sorryyyyy", {}, {}, [], {}, {("s", 8): ((1, 2), (3, 4))})
    with pytest.raises(TypeError):
        lookup("sorry", {"sorry": 5}, {}, [], {}, {})
    assert lookup("sorry", {"sorry": [7]}, {}, [], {}, {}) == {7: 100.0}


# -- the compiled tokenizer (text.tokenize) ---------------------------------------------------

def _tokenizations(text: str) -> tuple[list, list]:
    folded, offsets = T._fold_text(text)
    native = native_module().tokenize(folded, text, offsets, folded.isascii(), Token,
                                      T._abbreviation, T._lower_next)
    python = T._tokenize(folded, text, offsets)
    assert all(type(t) is Token for t in native)
    return native, python


def _scenario_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        texts += [t.get("script", "") for t in data.get("tests", [])]
        texts += [line for state in data.get("states", {}).values()
                  for line in state.get("lines", [])]
    return texts


@needs_native
def test_the_compiled_tokenizer_is_the_one_used():
    assert T.tokenize("Sorry.") == [Token("sorry", 0, 5, 0, 0, False)]
    assert T._native_tokenize == [native_module().tokenize]


@needs_native
def test_both_tokenizers_agree_on_every_case_and_scenario():
    texts = [text for lang in LANGUAGES for text in _texts(lang)] + _scenario_texts()
    assert len(texts) > 15_000
    questions = abbreviations = 0
    for text in texts:
        native, python = _tokenizations(text)
        assert native == python, text
        questions += any(t.question for t in python)
        abbreviations += any(a.sentence == b.sentence and "." in text[a.end:b.start]
                             for a, b in zip(python, python[1:]))
    assert questions > 1000 and abbreviations > 20  # the rare rules were exercised


# Characters the rules turn on: sentence and clause marks, spaces of every kind (\x1c is a space
# to Unicode but not to re.ASCII), apostrophes, letters that fold to two or none, digits, "_".
_TRICKY = list(".!?\n,;:-\u2013\u2014()'\u2019`\u00b4 \t\r\x0b\x0c\x1c\x1f\x85\xa0\u2003_") + [
    "a", "B", "z", "3", "\u0663", "\u00e6", "\u00c6", "\u00f8", "\u0142", "\u00df", "\u0130",
    "\u0301", "\ufb01", "\u01c5", "\U0001f642", "\u05d0", "pga", "kl", "f.eks", "Np", "24"]


@needs_native
@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_TRICKY), st.characters()), max_size=60).map("".join))
def test_both_tokenizers_agree_on_any_text(text):
    native, python = _tokenizations(text)
    assert native == python


@needs_native
def test_the_compiled_tokenizer_refuses_odd_input():
    tokenize_c = native_module().tokenize
    args = (T._abbreviation, T._lower_next)
    with pytest.raises(ValueError):  # offsets shorter than the folded text
        tokenize_c("aeble", "\u00e6ble", [0, 0], False, Token, *args)
    with pytest.raises(TypeError):
        tokenize_c("x", "x", (0,), True, Token, *args)
    with pytest.raises(TypeError):
        tokenize_c("x", "x", None, True, dict, *args)
    with pytest.raises(TypeError):
        tokenize_c("x", "x", [None], False, Token, *args)

    def broken(*_args):
        raise RuntimeError("asked")

    with pytest.raises(RuntimeError):
        tokenize_c("pga. vejret", "pga. vejret", None, True, Token, broken, T._lower_next)
    with pytest.raises(RuntimeError):
        tokenize_c("vent... nej", "vent... nej", None, True, Token, T._abbreviation, broken)
    assert tokenize_c("", "", None, True, Token, *args) == []


# -- the compiled word sum of the model (model._WordSums) -----------------------------------

def _sums(model, word: str) -> tuple[int, int]:
    from itertools import repeat

    from trainer.engine.model import grams

    native = native_module().word_sum(word, model.char, model.word, model.sizes)
    python = sum(map(model.char.get, grams(word, model.sizes), repeat(0))) \
        + model.word.get(word, 0)
    return native, python


def _models():
    from trainer.engine.model import model_for

    return {lang: model_for(lang) for lang in LANGUAGES if model_for(lang) is not None}


@needs_native
def test_both_word_sums_agree_on_every_case_word():
    models = _models()
    assert set(models) == set(LANGUAGES)
    known = 0
    for lang, model in models.items():
        for word in sorted({t.text for text in _texts(lang) for t in tokenize(text)}):
            native, python = _sums(model, word)
            assert native == python, word
            known += word in model.word
    assert known > 1000  # words with a feature of their own were among them


@needs_native
@SETTINGS
@given(st.sampled_from(LANGUAGES), st.text(max_size=30))
def test_both_word_sums_agree_on_any_text(lang, word):
    model = _models()[lang]
    native, python = _sums(model, word)
    assert native == python


@needs_native
def test_the_compiled_word_sum_is_the_one_used_and_refuses_odd_input():
    from trainer.engine import model as M

    model = _models()["en"]
    model._sums.pop("sorryy", None)
    assert model._sums["sorryy"] == _sums(model, "sorryy")[1]
    assert M._native_word_sum == [native_module().word_sum]
    word_sum = native_module().word_sum
    assert word_sum("aaaa", {" aa": 5, "aaa": 7}, {}, (3,)) == 5 + 7  # each gram once
    assert word_sum("", {}, {"": 4}, (3,)) == 4
    with pytest.raises(ValueError):
        word_sum("x", {}, {}, (0,))
    with pytest.raises(TypeError):
        word_sum("x", {}, {}, [3])
    with pytest.raises(TypeError):
        word_sum("abc", {" ab": "not a number"}, {}, (3,))
