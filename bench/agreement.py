"""How well two labellers agree, scored exactly as the analyzer is scored.

    python bench/agreement.py tests/train_cases/nb-blind9.toml tests/relabel/nb-blind9.toml [--errors]

Each labeller's `expect` is scored against the other's `expect` and `allow`, as if it were
what the analyzer found: precision, recall and F1 per category, and macro-F1, both ways. With
--analyzer, the analyzer (as the trainer runs it, with its model; --no-model: the packs alone) is
scored against each labeller in the same table.
The agreement between two careful people is the ceiling a target such as "macro-F1 >= 0.90"
can be read against (tests/relabel/README.md).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.engine.categories import CATEGORIES  # noqa: E402
from trainer.engine.evaluation import Result, agreement, evaluate_file  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=Path, help="a labelled file (the original labels)")
    ap.add_argument("second", type=Path, help="the same replies, labelled by somebody else")
    ap.add_argument("--analyzer", action="store_true",
                    help="also score the analyzer against each labeller")
    ap.add_argument("--no-model", action="store_true",
                    help="with --analyzer: the pattern packs alone")
    ap.add_argument("--errors", action="store_true",
                    help="print the replies where the second labeller differs from the first")
    args = ap.parse_args()
    try:
        first, second = (tomllib.loads(p.read_text(encoding="utf-8"))
                         for p in (args.first, args.second))
        columns: list[tuple[str, Result]] = [
            ("2nd vs 1st", agreement(first, second)),
            ("1st vs 2nd", agreement(second, first)),
        ]
        if args.analyzer:
            name = "packs" if args.no_model else "analyzer"
            model = not args.no_model
            columns += [(f"{name} vs 1st", evaluate_file(args.first, model=model)),
                        (f"{name} vs 2nd", evaluate_file(args.second, model=model))]
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError,
            ValueError) as exc:
        ap.error(f"cannot compare: {exc}")
    res = columns[0][1]
    print(f"{res.language}, {res.cases} replies. P / R / F1 per category")
    print(f"{'category':<14}" + "".join(f"{name:>17}" for name, _ in columns))
    for c in CATEGORIES:
        row = f"{c:<14}"
        for _, r in columns:
            t = r.tallies[c]
            row += (f"{'-':>17}" if t.tp + t.fn + t.fp == 0
                    else f"  {t.precision:.2f}/{t.recall:.2f}/{t.f1:.2f}")
        print(row)
    print(f"{'macro-F1':<14}" + "".join(f"{r.macro_f1():>17.3f}" for _, r in columns))
    if args.errors:
        print(f"\n{len(res.errors)} replies where the second labeller's expect differs "
              "from the first's labels")
        for text, missed, extra in res.errors:
            print(f"  missed={missed} extra={extra}  {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
