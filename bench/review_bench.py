"""Review at scale: 10,000 full scorecards; tomllib alone vs a cold and a warm `trainer review`.

    python bench/review_bench.py [--count 10000] [--turns 30] [--dir DIR]

Scorecards are real ones: a session of a bundled scenario is played with generated replies, and
its scorecard is written under varied trainees, cohorts, dates and scores. The index lives in a
temporary cache folder, so "cold" is really cold.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(folder: Path, count: int, turns: int) -> None:
    from trainer.engine.library import load_library
    from trainer.engine.session import Session
    from trainer.engine.storage import atomic_write, dumps, scorecard_data

    lib = load_library()
    scenarios = lib.sorted()
    rng = random.Random(5)
    replies = ["I'm sorry, can you tell me what happened?", "I understand how frustrating that is.",
               "Our policy says we cannot do that.", "So you need it before Saturday?",
               "Thank you for telling me.", "I will handle this myself.", "Hmm, okay."]
    templates = []
    for sc in scenarios[:5]:
        s = Session(sc, seed=1)
        s.start()
        s.outcome = None
        for i in range(turns):
            # Keep the session going past its end: the bench wants full, long scorecards.
            s.outcome = None
            s.reply(f"{rng.choice(replies)} ({i})", rng.uniform(3, 40))
        s.outcome = "resolved"
        templates.append(scorecard_data(s, "x"))
    folder.mkdir(parents=True, exist_ok=True)
    trainees = [f"trainee{i:03d}" for i in range(200)]
    for i in range(count):
        d = dict(rng.choice(templates))
        d["trainee"] = rng.choice(trainees)
        d["cohort"] = f"2026-{rng.randint(1, 12):02d}"
        d["score"] = rng.randint(0, 100)
        d["started"] = d["started"] - timedelta(days=rng.randint(0, 365), minutes=i)
        d["outcome"] = rng.choice(["resolved", "walked_out", "escalated", "unresolved"])
        atomic_write(folder / f"{i:05d}.toml", dumps(d).encode())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--turns", type=int, default=30)
    ap.add_argument("--dir", type=Path, help="reuse (or create) this folder of scorecards")
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="review-bench-"))
    existing = len(list(folder.glob("*.toml"))) if folder.exists() else 0
    if existing < args.count:
        t0 = time.perf_counter()
        generate(folder, args.count, args.turns)
        print(f"generated {args.count} scorecards in {time.perf_counter() - t0:.1f} s in {folder}")
    files = sorted(folder.glob("*.toml"))[: args.count]
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} scorecards, {size / len(files) / 1024:.1f} KiB each")

    # Drop the page cache's advantage as far as we can: read every file once first.
    for f in files:
        f.read_bytes()
    t0 = time.perf_counter()
    for f in files:
        with open(f, "rb") as fh:
            tomllib.load(fh)
    alone = time.perf_counter() - t0
    print(f"tomllib alone: {alone:.2f} s")

    cache = tempfile.mkdtemp(prefix="review-cache-")
    env = {**os.environ, "TRAINER_CACHE": cache}

    def review() -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "trainer", "review", "--scorecards", str(folder),
                        "--format", "json"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0

    cold = review()
    warm = min(review() for _ in range(3))
    print(f"cold review (process, builds the index): {cold:.2f} s = {cold / alone:.2f}x tomllib alone "
          f"(target <= 1.2x)")
    print(f"warm review (process, index up to date): {warm:.2f} s (target <= 1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
