"""Where the trainer keeps things: scorecards and its cache, each overridable by a variable."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "angry-customer-trainer"
ENV_SCORECARDS = "TRAINER_SCORECARDS"
ENV_CACHE = "TRAINER_CACHE"


def scorecards_dir(option: Path | None = None) -> Path:
    """--scorecards, else $TRAINER_SCORECARDS, else the per-user data folder."""
    if option is not None:
        return Path(option)
    env = os.environ.get(ENV_SCORECARDS)
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "scorecards"


def cache_dir() -> Path:
    """$TRAINER_CACHE, else the per-user cache folder (safe to delete at any time)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME)
