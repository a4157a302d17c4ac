"""Instructions per analysed reply, counted by valgrind: a measure that does not drift.

    python bench/instructions.py [--replies 1000] [--no-model]

This machine's speed drifts by a factor of two from one minute to the next (a shared virtual
machine), so timings cannot show a 5% change. Counting instructions can: the same code on the
same replies executes the same instructions. The script runs a child process three times
under valgrind's callgrind: loading the packs only; loading and analysing N replies (which
fills the word caches); and that, then analysing N more. The differences per reply give the
cost with empty word caches (a fresh process, such as a --jsonl worker) and in steady state.
Needs valgrind; takes about 3 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.cli import add_model_choice, use_model  # noqa: E402

CHILD = """
import sys
sys.path.insert(0, {bench!r}); sys.path.insert(0, {root!r})
from analyzer_bench import make_replies
from trainer.engine.analyzer import Analyzer, warm
warm(model=sys.argv[3] == "model")
n = int(sys.argv[1])
replies = make_replies(2 * n)
analyzers = {{lang: Analyzer(lang, ("Monika Nowak",), model=sys.argv[3] == "model")
             for lang in ("en", "nb", "da", "sv", "pl")}}
if sys.argv[2] != "load":
    for lang, text in replies[:n]:
        analyzers[lang].analyze(text)
if sys.argv[2] == "measure":
    for lang, text in replies[n:]:
        analyzers[lang].analyze(text)
"""


def count(n: int, mode: str, model: bool = True) -> int:
    code = CHILD.format(bench=str(ROOT / "bench"), root=str(ROOT))
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", code, str(n), mode,
                          "model" if model else "packs"],
                         capture_output=True, text=True, env=env, check=True).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replies", type=int, default=1000)
    add_model_choice(ap)
    args = ap.parse_args()
    args.model = use_model(args)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 1
    model = args.model
    from trainer.engine.analyzer import search_kind

    print(f"phrase search: {search_kind()}")
    count(args.replies, "warm", model)  # compiles and caches the packs if this code is new
    load_only = count(args.replies, "load", model)
    warm_only = count(args.replies, "warm", model)
    measured = count(args.replies, "measure", model)
    print(f"instructions per reply (steady word caches, {args.replies} replies): "
          f"{(measured - warm_only) / args.replies:,.0f}")
    print(f"instructions per reply (first {args.replies} replies, empty word caches): "
          f"{(warm_only - load_only) / args.replies:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
