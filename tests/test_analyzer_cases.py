"""The analyzer's development cases (tests/analyzer_cases/*.toml), one test per case.

Each must pass with the pattern packs alone (`--no-model`); tests/test_model.py checks them all
again with the model on, as the analyzer runs by default."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from trainer.engine.analyzer import analyze

CASES_DIR = Path(__file__).parent / "analyzer_cases"


def _cases():
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get("case", [])):
            yield pytest.param(data["language"], case, id=f"{path.stem}-{i}-{case['text'][:30]}")


@pytest.mark.parametrize(("language", "case"), list(_cases()))
def test_case(language, case):
    found = set(analyze(case["text"], language, case.get("names", []), model=False).categories)
    expect = set(case.get("expect", []))
    allowed = expect | set(case.get("allow", []))
    assert expect <= found, f"missed {sorted(expect - found)}"
    assert found <= allowed, f"false alarm {sorted(found - allowed)}"
