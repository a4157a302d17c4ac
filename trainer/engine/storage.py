"""Scorecards on disk: where they live, the TOML written with tomli-w, atomic and never overwriting."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import tomli_w

from trainer import __version__
from trainer.engine.categories import CATEGORIES
from trainer.engine.scoring import SCORE_MODEL, assess

SCHEMA = 1
TMP_PREFIX = ".tmp-"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_name(name: str, limit: int = 40) -> str:
    """A trainee or scenario name as a file-name part: letters, digits, '-' and '_' only."""
    name = unicodedata.normalize("NFKC", _SURROGATE.sub("", name))
    out = "".join(c if (c.isalnum() or c in "-_") and c.isprintable() else "_" for c in name)
    out = re.sub(r"_+", "_", out).strip("_-.")[:limit]
    return out or "trainee"


def clean_text(text: str) -> str:
    """Text that UTF-8 can hold: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


class SaveError(Exception):
    """A scorecard that could not be written (the folder is missing rights, the disk is full)."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, fsync, then rename over it."""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def reserve(folder: Path, trainee: str, scenario_id: str, when: datetime) -> Path:
    """A new, unique scorecard path (created empty, exclusively): never another session's file."""
    stem = f"{when:%Y-%m-%dT%H%M%S}_{safe_name(trainee)}_{safe_name(scenario_id, 64)}"
    for n in range(1, 10_000):
        path = folder / (f"{stem}.toml" if n == 1 else f"{stem}_{n}.toml")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise SaveError(f"{folder}: too many scorecards named {stem}")


def scorecard_data(session, trainee: str, cohort: str = "") -> dict:
    """The scorecard of a session as a TOML-ready dict (CONTRACT.md keys, and more)."""
    sc = session.scenario
    outcome = session.outcome or "abandoned"
    turns = session.turns
    a = assess(turns, outcome, sc.anger_start, session.mood.anger, sc.language)
    counts = {c: 0 for c in CATEGORIES}
    for t in turns:
        for c in t.categories:
            counts[c] += 1
    total_seconds = sum(t.seconds for t in turns)
    data = {
        "schema": SCHEMA,
        "trainee": clean_text(trainee),
        "cohort": clean_text(cohort or ""),
        "scenario": sc.id,
        "scenario_title": sc.title,
        "scenario_version": sc.version,
        "scenario_sha256": sc.sha256,
        "language": sc.language,
        "mode": session.mode,
        "started": session.started,
        "ended": session.ended_at,
        "seed": session.seed,
        "outcome": outcome,
        "score": a.score,
        "score_model": SCORE_MODEL,
        "anger_start": sc.anger_start,
        "anger_end": session.anger,
        "turns_taken": len(turns),
        "duration_seconds": round(total_seconds, 1),
        "average_reply_seconds": round(total_seconds / len(turns), 1) if turns else 0.0,
        "final_state": session.state,
        "trainer_version": __version__,
        "analyzer": session.analyzed_with,
        "customer": sc.customer.name,
        "anger_history": session.anger_history,
        "counts": counts,
        "skills": {
            s.name: {"score": s.score, "reasons": [clean_text(r.describe()) for r in s.reasons]}
            for s in a.skills
        },
        "tips": [
            {"text": clean_text(t.text), "lesson": t.lesson, "lesson_title": t.lesson_title,
             "turn": t.turn, "category": t.category}
            for t in a.tips
        ],
        "turns": [_turn(t) for t in turns],
    }
    return data


def _turn(t) -> dict:
    return {
        "reply": clean_text(t.reply),
        "categories": list(t.categories),
        "seconds": round(t.seconds, 3),
        "anger": round(t.anger),
        "anger_change": round(t.anger) - round(t.anger_before),
        "state": t.state,
        "customer": clean_text(t.customer),
        "interjections": [clean_text(i) for i in t.interjections],
        "matches": [
            {"category": m.category, "start": m.start, "end": m.end, "pattern": clean_text(m.pattern),
             "text": clean_text(t.reply[m.start:m.end])}
            for m in t.analysis.matches
        ],
        "effects": [{"reason": r, "anger": d} for r, d in t.effects],
        "too_early": t.too_early,
        "parroting": t.parroting,
    }


def dumps(data: dict) -> str:
    # Every string that quotes a reply is cleaned where it is made; this is the backstop, so
    # that no lone surrogate can ever stop a scorecard from being written.
    return clean_text(tomli_w.dumps(data))


@dataclass
class Recorder:
    """Autosaves one session's scorecard after every turn, always to the same reserved file."""

    session: object
    folder: Path
    trainee: str
    cohort: str = ""
    path: Path | None = None
    error: str | None = None
    last: dict | None = None  # the scorecard as of the latest save, written or not

    def save(self) -> Path | None:
        """Write the scorecard now; on failure keep the error and return None (nothing lost:
        `last` holds the scorecard, which the caller can print as TOML)."""
        self.last = self.data()
        try:
            if self.path is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                clean_stale_temporaries(self.folder)
                self.path = reserve(self.folder, self.trainee, self.session.scenario.id,
                                    self.session.started)
            atomic_write(self.path, dumps(self.last).encode("utf-8"))
            self.error = None
            return self.path
        except (OSError, SaveError) as exc:
            self.error = f"cannot save the scorecard in {self.folder}: " + (
                getattr(exc, "strerror", None) or str(exc))
            return None

    def data(self) -> dict:
        return scorecard_data(self.session, self.trainee, self.cohort)


STALE_SECONDS = 600


def clean_stale_temporaries(folder: Path) -> int:
    """Remove temporary files a crashed writer left behind (older than ten minutes)."""
    import time

    removed = 0
    try:
        for p in folder.glob(TMP_PREFIX + "*"):
            try:
                if time.time() - p.stat().st_mtime > STALE_SECONDS:
                    p.unlink()
                    removed += 1
            except OSError:
                pass
    except OSError:
        pass
    return removed


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
