"""Scoring the analyzer against a labelled file (trainer/engine/evaluation.py)."""

from __future__ import annotations

import pytest

from trainer.engine.evaluation import agreement, development_texts, evaluate_file, same_text

CASES = '''language = "en"

[[case]]
text = "I'm so sorry about the wait."
expect = ["apologizing"]

[[case]]
text = "Calm down."
expect = ["dismissing"]

[[case]]
text = "Our system was down, that is why."
expect = []

[[case]]
text = "Thank you for telling us."
expect = ["thanking"]
'''


def test_counts_hits_misses_and_false_alarms_per_category(tmp_path):
    path = tmp_path / "en.toml"
    path.write_text(CASES, encoding="utf-8")
    result = evaluate_file(path, model=False)
    assert result.cases == 4 and result.left_out == 0
    assert result.tallies["apologizing"].tp == 1
    assert result.tallies["thanking"].tp == 1
    # "Our system was down" is an excuse the labels say is not there: a false alarm.
    assert result.tallies["justifying"].fp == 1
    assert result.tallies["justifying"].precision == 0.0
    assert [text for text, _missed, extra in result.errors] == [
        "Our system was down, that is why."]


def test_the_halves_and_leaving_out_seen_texts(tmp_path):
    path = tmp_path / "en.toml"
    path.write_text(CASES, encoding="utf-8")
    assert evaluate_file(path, "dev").cases == 2  # cases 0 and 2
    held_out = evaluate_file(path, "held-out")
    assert held_out.cases == 2 and held_out.tallies["justifying"].fp == 0
    # The same words in other capitals and punctuation are the same reply.
    seen = {same_text("CALM DOWN!!")}
    result = evaluate_file(path, "held-out", leave_out=seen)
    assert result.cases == 1 and result.left_out == 1
    assert result.tallies["dismissing"].tp + result.tallies["dismissing"].fn == 0


def test_development_texts_reads_one_languages_files(tmp_path):
    (tmp_path / "en-a.toml").write_text(CASES, encoding="utf-8")
    (tmp_path / "pl.toml").write_text('language = "pl"\n[[case]]\ntext = "Przepraszam."\n',
                                      encoding="utf-8")
    texts = development_texts([tmp_path], "en")
    assert "calm down" in texts and "i m so sorry about the wait" in texts
    assert "przepraszam" not in texts
    assert development_texts([tmp_path], "pl") == {"przepraszam"}


def test_agreement_scores_a_second_labeller_as_the_analyzer_is_scored():
    first = {"language": "en", "case": [
        {"text": "Sorry.", "expect": ["apologizing"]},
        {"text": "As I said, read the terms.", "expect": ["condescending"], "allow": ["blaming"]},
        {"text": "Calm down.", "expect": ["dismissing"]},
    ]}
    second = {"language": "en", "case": [
        {"text": "Sorry.", "expect": ["apologizing"]},
        {"text": "As I said, read the terms.", "expect": ["blaming", "condescending"]},
        {"text": "Calm down.", "expect": ["arguing"]},
    ]}
    res = agreement(first, second)
    assert res.cases == 3
    assert res.tallies["apologizing"].tp == 1 and res.tallies["condescending"].tp == 1
    assert res.tallies["blaming"].fp == 0  # the first labeller allowed it
    assert res.tallies["dismissing"].fn == 1 and res.tallies["arguing"].fp == 1
    assert [text for text, _m, _e in res.errors] == ["Calm down."]
    # the other way round, the second's labels are the reference
    back = agreement(second, first)
    assert back.tallies["blaming"].fn == 1


def test_agreement_needs_the_same_replies_in_the_same_order():
    a = {"language": "en", "case": [{"text": "Sorry.", "expect": []}]}
    with pytest.raises(ValueError, match="another text"):
        agreement(a, {"language": "en", "case": [{"text": "Thanks.", "expect": []}]})
    with pytest.raises(ValueError, match="1 cases against 0"):
        agreement(a, {"language": "en", "case": []})
    with pytest.raises(ValueError, match="different languages"):
        agreement(a, {"language": "da", "case": [{"text": "Sorry.", "expect": []}]})
