"""The training-only cases (tests/train_cases), the third evaluation set (tests/eval-writers)
and the second labeller's files (tests/relabel) are well formed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from trainer.engine.categories import CATEGORIES, LANGUAGES

FILES = sorted((Path(__file__).parent / "train_cases").glob("*.toml"))
WRITERS = sorted((Path(__file__).parent / "eval-writers").glob("*.toml"))
RELABEL = sorted((Path(__file__).parent / "relabel").glob("*.toml"))


def test_there_are_training_cases():
    assert len(FILES) >= 4


def test_the_third_evaluation_set_has_every_language():
    assert sorted(p.stem for p in WRITERS) == sorted(LANGUAGES)


@pytest.mark.parametrize("path", RELABEL, ids=lambda p: p.name)
def test_a_relabelled_file_has_the_same_replies_as_its_original(path):
    original = path.parent.parent / "train_cases" / path.name
    first = tomllib.loads(original.read_text(encoding="utf-8"))["case"]
    second = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    assert [(c["text"], c.get("names", [])) for c in second] == [
        (c["text"], c.get("names", [])) for c in first]


def test_every_language_was_relabelled():
    assert sorted(p.name.split("-")[0] for p in RELABEL) == sorted(LANGUAGES)


@pytest.mark.parametrize("path", FILES + WRITERS + RELABEL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_training_file_is_well_formed(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["language"] in LANGUAGES
    assert path.stem == data["language"] or path.name.startswith(data["language"] + "-")
    texts = set()
    for case in data["case"]:
        assert isinstance(case["text"], str) and case["text"].strip()
        assert case["text"] not in texts, f"repeated: {case['text']}"
        texts.add(case["text"])
        expect, allow = case.get("expect", []), case.get("allow", [])
        assert set(expect) <= set(CATEGORIES) and set(allow) <= set(CATEGORIES)
        assert not set(expect) & set(allow)
        assert all(isinstance(n, str) for n in case.get("names", []))
