"""Reading saved scorecards for review, through an index that keeps large folders fast.

The TOML files stay the truth: the index (SQLite in the per-user cache folder) remembers each
file's summary row keyed by path, size and modification time, and a changed file is re-read.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from trainer.engine.paths import cache_dir
from trainer.engine.storage import TMP_PREFIX

INDEX_VERSION = 1
FIELDS = ("file", "trainee", "cohort", "scenario", "language", "started", "outcome", "score",
          "anger_start", "anger_end", "turns", "mode", "scenario_version", "duration_seconds")
SKILL_NAMES = ("listening", "empathy", "respect", "composure", "ownership")
REQUIRED = ("schema", "trainee", "scenario", "language", "started", "outcome", "score",
            "anger_start", "anger_end")


class NotAScorecard(Exception):
    pass


def summarize(data: dict, path: str) -> dict:
    """The review row of one parsed scorecard."""
    if not isinstance(data, dict):
        raise NotAScorecard("not a table")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise NotAScorecard(f"not a scorecard (missing {', '.join(missing)})")
    started = data["started"]
    if isinstance(started, datetime):
        started_s = started.isoformat().replace("+00:00", "Z")
    else:
        started_s = str(started)
    turns = data.get("turns", [])
    row = {
        "file": path,
        "trainee": str(data["trainee"]),
        "cohort": str(data.get("cohort", "")),
        "scenario": str(data["scenario"]),
        "language": str(data["language"]),
        "started": started_s,
        "outcome": str(data["outcome"]),
        "score": _int(data["score"]),
        "anger_start": _int(data["anger_start"]),
        "anger_end": _int(data["anger_end"]),
        "turns": len(turns) if isinstance(turns, list) else _int(data.get("turns_taken", 0)),
        "mode": str(data.get("mode", "practice")),
        "scenario_version": str(data.get("scenario_version", "")),
        "duration_seconds": float(data.get("duration_seconds", 0) or 0),
    }
    skills = data.get("skills", {})
    for name in SKILL_NAMES:
        s = skills.get(name, {}) if isinstance(skills, dict) else {}
        row[f"skill_{name}"] = _int(s.get("score")) if isinstance(s, dict) and "score" in s else None
    return row


def _int(v) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise NotAScorecard(f"not a scorecard (a number expected, got {v!r})")
    return int(v)


@dataclass
class Collection:
    sessions: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def _files(folders) -> list[os.DirEntry]:
    out = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        out += [e for e in entries
                if e.name.endswith(".toml") and not e.name.startswith((TMP_PREFIX, "."))]
    return sorted(out, key=lambda e: e.path)


class Index:
    """The SQLite index; a broken or unwritable cache only makes review slower, never fail."""

    def __init__(self, path: Path | None) -> None:
        self.db = None
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, "
                "mtime INTEGER, version INTEGER, row TEXT, error TEXT)"
            )
        except sqlite3.Error:
            self.db = None

    def load(self) -> dict[str, tuple]:
        if self.db is None:
            return {}
        try:
            return {r[0]: r[1:] for r in self.db.execute(
                "SELECT path, size, mtime, version, row, error FROM files")}
        except sqlite3.Error:
            return {}

    def store(self, rows: list[tuple]) -> None:
        if self.db is None or not rows:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _read_one(key: str) -> tuple[dict | None, str]:
    """Parse one file into its review row, or the reason it is not a scorecard."""
    try:
        with open(key, "rb") as f:
            return summarize(tomllib.load(f), key), ""
    except tomllib.TOMLDecodeError as exc:
        return None, f"corrupt TOML: {exc}"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read: {exc}"
    except NotAScorecard as exc:
        return None, str(exc)


def _read_many(keys: list[str]) -> list[tuple[dict | None, str]]:
    """Parse files; many of them in parallel processes (parsing TOML is the whole cost)."""
    workers = min(4, os.cpu_count() or 1)
    if len(keys) < PARALLEL_FROM or workers < 2:
        return [_read_one(k) for k in keys]
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_read_one, keys, chunksize=64))
    except (OSError, RuntimeError):  # no processes allowed here: do it in this one
        return [_read_one(k) for k in keys]


PARALLEL_FROM = 400


def collect(folders, use_index: bool = True) -> Collection:
    """Every session of the folders; files that are not scorecards are listed in skipped."""
    index = Index(cache_dir() / "review-index.sqlite" if use_index else None)
    known = index.load()
    out = Collection()
    todo: list[tuple[str, int, int]] = []
    for entry in _files(folders):
        key = entry.path
        try:
            st = entry.stat()
        except OSError as exc:
            out.skipped.append({"file": key, "reason": exc.strerror or str(exc)})
            continue
        hit = known.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns and hit[2] == INDEX_VERSION:
            if hit[4]:
                out.skipped.append({"file": key, "reason": hit[4]})
            else:
                out.sessions.append(json.loads(hit[3]))
            continue
        todo.append((key, st.st_size, st.st_mtime_ns))
    fresh: list[tuple] = []
    for (key, size, mtime), (row, error) in zip(todo, _read_many([t[0] for t in todo])):
        if error:
            out.skipped.append({"file": key, "reason": error})
        else:
            out.sessions.append(row)
        fresh.append((key, size, mtime, INDEX_VERSION, json.dumps(row) if row else "", error))
    index.store(fresh)
    index.close()
    return out


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None


def select(sessions, trainee=None, cohort=None, scenario=None, since=None, until=None):
    out = []
    for s in sessions:
        if trainee is not None and s["trainee"].casefold() != trainee.casefold():
            continue
        if cohort is not None and s["cohort"].casefold() != cohort.casefold():
            continue
        if scenario is not None and s["scenario"] != scenario:
            continue
        day = s["started"][:10]
        if since is not None and day < since.isoformat():
            continue
        if until is not None and day > until.isoformat():
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s["started"], s["file"]))


def per_trainee(sessions) -> list[dict]:
    """Per trainee: sessions, best, average, latest score, trend, outcomes, weakest skill."""
    groups: dict[str, list[dict]] = {}
    for s in sessions:
        groups.setdefault(s["trainee"], []).append(s)
    out = []
    for trainee, rows in sorted(groups.items(), key=lambda kv: kv[0].casefold()):
        rows = sorted(rows, key=lambda s: s["started"])
        scores = [r["score"] for r in rows]
        k = min(3, len(scores) // 2) if len(scores) >= 2 else 0
        trend = round(sum(scores[-k:]) / k - sum(scores[:k]) / k, 1) if k else 0.0
        outcomes: dict[str, int] = {}
        for r in rows:
            outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        skill_means = {}
        for name in SKILL_NAMES:
            vals = [r.get(f"skill_{name}") for r in rows if r.get(f"skill_{name}") is not None]
            if vals:
                skill_means[name] = round(sum(vals) / len(vals), 1)
        weakest = min(skill_means, key=lambda n: (skill_means[n], n)) if skill_means else ""
        out.append({
            "trainee": trainee,
            "cohort": ", ".join(sorted({r["cohort"] for r in rows if r["cohort"]})),
            "sessions": len(rows),
            "best": max(scores),
            "average": round(sum(scores) / len(scores), 1),
            "latest": scores[-1],
            "trend": trend,
            "outcomes": outcomes,
            "weakest_skill": weakest,
            "skills": skill_means,
            "first": rows[0]["started"],
            "last": rows[-1]["started"],
            "history": [{"started": r["started"], "score": r["score"], "scenario": r["scenario"],
                         "outcome": r["outcome"]} for r in rows],
        })
    return out


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
