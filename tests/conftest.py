"""Shared fixtures: scorecards and caches go to temporary folders, never the user's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_SCORECARDS", str(tmp_path / "scorecards"))
    monkeypatch.setenv("TRAINER_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TRAINER_SCENARIOS", raising=False)


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60):
    """Run `python -m trainer` as a user would; returns the CompletedProcess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args], input=input, capture_output=True, text=True,
        env=full_env, timeout=timeout, cwd=str(ROOT),
    )


@pytest.fixture
def fixture_scenario():
    from trainer.engine.scenario import load_scenario

    return load_scenario(FIXTURES / "shop-en.toml")
