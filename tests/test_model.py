"""The analyzer's model (trainer/engine/model.py): what it adds, how it explains it, and that
its packed fixed-point scoring computes the linear model it stores."""

from __future__ import annotations

import json
import marshal
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trainer.engine.model as model_module
from trainer.engine.analyzer import Analyzer
from trainer.engine.categories import CATEGORIES, LANGUAGES
from trainer.engine.model import ReplyModel, build_state, grams, model_for
from trainer.engine.text import tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_model(lang):
    m = model_for(lang)
    assert m is not None and lang in m.languages
    assert set(m.categories) <= set(CATEGORIES)
    # found from names and capitals, or closed word sets the packs already cover
    for c in ("naming", "shouting", "apologizing", "thanking", "joking"):
        assert c not in m.categories
    assert len(m.categories) == len(m.intercepts) == len(m.thresholds)


def test_scandinavian_languages_share_one_model_read_once():
    assert model_for("da") is model_for("nb") is model_for("sv")
    assert model_for("en") is not model_for("da")


def reference_logits(m: ReplyModel, ws: list[str]) -> list[float]:
    """The stored linear model computed plainly, feature by feature, in floats."""
    char_count: dict[str, int] = {}
    for w in set(ws):
        for g in grams(w, m.sizes):
            if g in m.char:
                char_count[g] = char_count.get(g, 0) + 1
    word_hits = [m.word[t] for t in set(ws) if t in m.word]
    word_hits += [m.pairs[p] for p in set(zip(ws, ws[1:])) if p in m.pairs]
    k_all = len(m.categories)
    char_sq = sum(n * m.field(m.char[g], k_all, 0) for g, n in char_count.items())
    word_sq = sum(m.field(p, k_all, 1) for p in word_hits)
    cn = math.sqrt(max(char_sq, m.char_floor)) or 1.0
    wn = math.sqrt(max(word_sq, m.word_floor)) or 1.0
    out = []
    for k, b in enumerate(m.intercepts):
        z = b
        z += sum(n * m.field(m.char[g], k, 0) for g, n in char_count.items()) / cn
        z += sum(m.field(p, k, 1) for p in word_hits) / wn
        out.append(z)
    return out


REPLIES = {
    "en": ["If you had read the terms you would have known.",
           "I can see why this is so frustrating, let me sort it out for you today.",
           "the the the the the", "ok", ""],
    "da": ["Vi får rigtig mange henvendelser, så du må vente.", "Tak for din tålmodighed."],
    "nb": ["Jeg forstår at dette er frustrerende, jeg ringer deg i morgen."],
    "sv": ["Vi får hundratals sådana ärenden varje dag och alla får vänta på sin tur."],
    "pl": ["Rozumiem, że to bardzo frustrujące, zajmę się tym osobiście."],
}


@pytest.mark.parametrize("lang", sorted(REPLIES))
def test_packed_scoring_equals_the_plain_computation(lang):
    m = model_for(lang)
    for text in REPLIES[lang]:
        ws = words(text)
        for fast, slow in zip(m.logits(ws), reference_logits(m, ws)):
            assert fast == pytest.approx(slow, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_packed_scoring_equals_the_plain_computation_on_any_text(text):
    m = model_for("da")
    ws = words(text)
    for fast, slow in zip(m.logits(ws), reference_logits(m, ws)):
        assert fast == pytest.approx(slow, abs=1e-6)


def assert_contributions_add_up(m: ReplyModel, ws: list[str]) -> None:
    """Each word's share of the push towards a category, over the whole reply, is the logit
    less the intercept; a repeated word or pair counts once, at its first place."""
    parts = m.contributions(ws, list(m.categories))
    for k, (category, z) in enumerate(zip(m.categories, m.logits(ws))):
        assert len(parts[category]) == min(len(ws), model_module.MAX_WORDS)
        assert sum(parts[category]) == pytest.approx(z - m.intercepts[k], abs=1e-6)
    seen = set()
    for i, w in enumerate(ws):
        if w in seen and (ws[i - 1], w) not in m.pairs and \
                (i + 1 == len(ws) or (w, ws[i + 1]) not in m.pairs):
            assert all(parts[c][i] == 0.0 for c in m.categories), (w, i)
        seen.add(w)


@pytest.mark.parametrize("lang", sorted(REPLIES))
def test_the_words_contributions_add_up_to_the_logit(lang):
    m = model_for(lang)
    for text in REPLIES[lang] + [f"{REPLIES[lang][0]} {REPLIES[lang][0]}"]:
        assert_contributions_add_up(m, words(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["vi", "får", "mange", "henvendelser", "du", "må", "vente",
                                 "tak", "for", "din", "tålmodighed", "så", "zzq"]), max_size=40))
def test_the_words_contributions_add_up_on_any_words(ws):
    assert_contributions_add_up(model_for("da"), [t.text for t in tokenize(" ".join(ws))])


def test_the_model_adds_what_the_pack_missed_with_span_and_cue_words():
    # Written for this test; in no training file.
    text = "Vi får hundratals sådana ärenden varje dag och alla får vänta på sin tur."
    pack_only = Analyzer("sv", model=False).analyze(text)
    both = Analyzer("sv", model=True).analyze(text)
    assert "justifying" not in pack_only.categories
    assert "justifying" in both.categories
    (m,) = [m for m in both.matches if m.source == "model"]
    assert m.category == "justifying"
    assert 75 <= m.score <= 100  # the probability, in per cent, above the threshold
    assert text[m.start:m.end] == text.rstrip(".")  # the one sentence, as typed
    assert m.pattern.startswith("model: ")
    cues = m.pattern.removeprefix("model: ").split(", ")
    assert 1 <= len(cues) <= 3 and all(c in text for c in cues)


def tiny_model(monkeypatch) -> ReplyModel:
    """A hand-made English model: "zorp" and "your zorp" push towards blaming."""
    state = build_state(
        ["en"], ["blaming", "solving"], [-2.0, -5.0],
        char={},
        word={"zorp": (1.0, [6.0, 0.0]), "your": (1.0, [0.5, 0.0]), "hello": (1.0, [-1.0, 0.0])},
        pairs={("your", "zorp"): (1.0, [6.0, 0.0])},
    )
    m = ReplyModel(state)
    monkeypatch.setitem(model_module._MODELS, "en", m)
    return m


def test_the_span_is_the_sentence_that_weighed_most_and_the_cues_its_words(monkeypatch):
    m = tiny_model(monkeypatch)
    text = "Hello there. Well, it is YOUR zorp, really. Bye."
    ws = words(text)
    z = m.logits(ws)
    assert z[0] == pytest.approx(-2.0 + (6 + 6 + 0.5 - 1) / math.sqrt(4))  # word block, L2
    assert z[1] == pytest.approx(-5.0)
    found = Analyzer("en", model=True).analyze(text)
    (hit,) = [x for x in found.matches if x.source == "model"]
    assert hit.category == "blaming"
    assert text[hit.start:hit.end] == "Well, it is YOUR zorp, really"
    assert hit.pattern == "model: YOUR, zorp"  # as typed, in reply order; only positive ones
    assert hit.score == round(100 / (1 + math.exp(-z[0])), 1)


def test_the_threshold_decides(monkeypatch):
    tiny_model(monkeypatch)
    # "hello" alone pushes away from blaming: nothing found
    found = Analyzer("en", model=True).analyze("hello hello")
    assert not [x for x in found.matches if x.source == "model"]


@pytest.mark.parametrize("lang, text", [
    ("nb", "Takk."), ("nb", "Takk, folkens."), ("sv", "Tack så mycket."), ("da", "Tusind tak."),
    ("pl", "Dzięki."), ("en", "Thanks."), ("en", "ok"), ("da", "Jo da..."),
])
def test_short_replies_get_nothing_from_the_model(lang, text):
    # The norm floor: a word or two is not evidence of anything.
    assert not [m for m in Analyzer(lang, model=True).analyze(text).matches if m.source == "model"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(LANGUAGES), st.text(max_size=400))
def test_the_model_never_removes_what_the_pack_found(lang, text):
    pack_only = Analyzer(lang, model=False).analyze(text)
    both = Analyzer(lang, model=True).analyze(text)
    assert set(pack_only.matches) <= set(both.matches)
    for m in both.matches:
        if m.source == "model":
            assert m.category not in pack_only.categories
            assert 0 <= m.start < m.end <= len(text)


@pytest.mark.parametrize("text", [
    "", " ", "!!!", "\x00\x07\x1b[31m", "[bold]hi[/bold] " * 50, "🙂" * 30,
    "مرحبا، أنا آسف جدًا على التأخير", "ok " * 3000,
])
def test_odd_replies(text):
    for lang in LANGUAGES:
        a = Analyzer(lang, model=True).analyze(text)
        for m in a.matches:
            assert 0 <= m.start <= m.end <= len(text)


def test_a_missing_or_broken_model_file_leaves_the_pack_alone(tmp_path, monkeypatch):
    (tmp_path / "en.marshal").write_bytes(b"not a model")
    (tmp_path / "pl.marshal").write_bytes(marshal.dumps({"format": 999}))
    monkeypatch.setattr(model_module, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(model_module, "_MODELS", {})
    monkeypatch.setattr(model_module, "_BY_PATH", {})
    for lang in ("en", "pl", "da"):  # unreadable, another format, no file
        assert model_for(lang) is None
        text = "If you had read the terms you would have known."
        assert Analyzer(lang, model=True).analyze(text).categories == \
            Analyzer(lang, model=False).analyze(text).categories


def test_cli_model_flag():
    text = "Vi får hundratals sådana ärenden varje dag och alla får vänta på sin tur."
    run = [sys.executable, "-m", "trainer", "analyze", "--lang", "sv"]
    with_model = json.loads(subprocess.run(run + [text], capture_output=True,
                                           text=True, check=True).stdout)
    asked = json.loads(subprocess.run(run + ["--model", text], capture_output=True,
                                      text=True, check=True).stdout)
    assert asked == with_model  # --model is the default, still accepted
    without = json.loads(subprocess.run(run + ["--no-model", text], capture_output=True,
                                        text=True, check=True).stdout)
    anywhere = json.loads(subprocess.run(
        [sys.executable, "-m", "trainer", "--no-model", "analyze", "--lang", "sv", text],
        capture_output=True, text=True, check=True).stdout)
    assert anywhere == without
    assert "justifying" in with_model["categories"]
    assert "justifying" not in without["categories"]
    sources = {m.get("source") for m in with_model["matches"]}
    assert "model" in sources
    assert "model" not in {m.get("source") for m in without["matches"]}


def test_jsonl_model_flag():
    line = json.dumps({"text": "Vi får hundratals sådana ärenden varje dag och alla får vänta "
                               "på sin tur.", "lang": "sv"})
    run = [sys.executable, "-m", "trainer", "analyze", "--jsonl"]
    a = json.loads(subprocess.run(run, input=line + "\n", capture_output=True,
                                  text=True, check=True).stdout)
    b = json.loads(subprocess.run(run + ["--no-model"], input=line + "\n", capture_output=True,
                                  text=True, check=True).stdout)
    assert "justifying" in a["categories"] and "justifying" not in b["categories"]


def test_the_model_is_on_unless_switched_off():
    text = "Vi får hundratals sådana ärenden varje dag och alla får vänta på sin tur."
    assert Analyzer("sv").model is not None
    assert "model" in {m.source for m in Analyzer("sv").analyze(text).matches}
    assert Analyzer("sv", model=False).model is None
    assert "model" not in {m.source for m in Analyzer("sv", model=False).analyze(text).matches}


def test_with_the_model_every_development_case_still_passes():
    # The cases in tests/analyzer_cases are the analyzer's specification; the model is trained
    # not to break them (bench/train_model.py weights up any it would flag wrongly).
    import tomllib
    from pathlib import Path

    failures = []
    for path in sorted((Path(__file__).parent / "analyzer_cases").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        analyzers: dict = {}
        for case in data["case"]:
            names = tuple(case.get("names", []))
            an = analyzers.get(names) or analyzers.setdefault(
                names, Analyzer(data["language"], names, model=True))
            found = set(an.analyze(case["text"]).categories)
            expect = set(case.get("expect", []))
            if not expect <= found or not found <= expect | set(case.get("allow", [])):
                failures.append((path.name, case["text"], sorted(found)))
    assert not failures, failures[:5]
