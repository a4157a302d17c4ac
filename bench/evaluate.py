"""Precision, recall and F1 of the analyzer per category and language, on tests/eval/*.toml.

    python bench/evaluate.py [--split all|dev|held-out] [--set eval|eval-fresh|eval-writers] [--no-model] [--errors] [LANG ...]
    python bench/evaluate.py --file tests/train_cases/da-blind6.toml [--file ...] [--no-model]
    python bench/evaluate.py --split held-out --unseen    # without replies the analyzer was built from

The even-numbered cases of each file are the "dev" half: only their errors were read while
tuning the packs. The odd-numbered "held-out" half was never looked at; its figures are the
honest ones.

The labelled set was written apart from the pattern packs; see tests/eval/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.cli import add_model_choice, use_model  # noqa: E402
from trainer.engine.categories import CATEGORIES  # noqa: E402
from trainer.engine.evaluation import SPLITS, development_texts, evaluate_file  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("langs", nargs="*")
    ap.add_argument("--errors", action="store_true", help="print every missed or extra category")
    ap.add_argument("--split", choices=SPLITS, default="all")
    ap.add_argument("--set", choices=("eval", "eval-fresh", "eval-writers"), default="eval",
                    help="tests/eval (default), tests/eval-fresh (a second set, never tuned on) "
                         "or tests/eval-writers (a third, 300 replies a language by new "
                         "writers: never tuned or trained on, read it with --split all)")
    ap.add_argument("--file", type=Path, action="append", default=[],
                    help="a labelled file of cases to score instead of a set (repeatable)")
    ap.add_argument("--unseen", action="store_true",
                    help="leave out cases whose text (lower case, words only) is also a case in "
                         "tests/analyzer_cases or tests/train_cases: short stock replies are "
                         "sometimes written word for word by both sets' writers")
    add_model_choice(ap)
    ap.add_argument("--models", type=Path, metavar="DIR",
                    help="read the model files from DIR (made by bench/train_model.py --out "
                         "DIR) instead of the bundled ones")
    args = ap.parse_args()
    args.model = use_model(args)
    if args.models:
        if not args.model:
            ap.error("--models is for the model: not with --no-model")
        if not sorted(args.models.glob("*.marshal")):
            ap.error(f"no model files (*.marshal) in {args.models}")
        import trainer.engine.model as model_module
        model_module.MODEL_DIR = args.models
    files = args.file or sorted((EVAL.parent / args.set).glob("*.toml"))
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        ap.error(f"no such file: {', '.join(missing)}")

    def leave_out(path: Path) -> set[str]:
        """With --unseen, the texts of the development and training cases in path's language."""
        if not args.unseen:
            return set()
        language = tomllib.loads(path.read_text(encoding="utf-8"))["language"]
        tests = EVAL.parent
        return development_texts([tests / "analyzer_cases", tests / "train_cases"], language)

    try:
        results = [evaluate_file(f, args.split, args.model, leave_out(f)) for f in files
                   if args.file or not args.langs or f.stem in args.langs]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        ap.error(f"cannot read the cases: {exc!r}")
    header = f"{'category':<14}" + "".join(f"{r.language:>17}" for r in results)
    where = ", ".join(map(str, args.file)) if args.file else f"tests/{args.set}"
    print(f"set: {where}, split: {args.split}, "
          f"{'packs + model' if args.model else 'packs alone'}. P / R / F1 per category (cases: " + ", ".join(f"{r.language} {r.cases}" for r in results) + ")"
          + (" (left out as seen in development or training cases: " + ", ".join(
              f"{r.language} {r.left_out}" for r in results) + ")" if args.unseen else ""))
    print(header)
    for c in CATEGORIES:
        row = f"{c:<14}"
        for r in results:
            t = r.tallies[c]
            if t.tp + t.fn + t.fp == 0:
                row += f"{'-':>17}"
            else:
                row += f"  {t.precision:.2f}/{t.recall:.2f}/{t.f1:.2f}"
        print(row)
    print(f"{'macro-F1':<14}" + "".join(f"{r.macro_f1():>17.3f}" for r in results))
    if args.errors:
        for r in results:
            print(f"\n== {r.language}: {len(r.errors)} case(s) with errors")
            for text, missed, extra in r.errors:
                print(f"  missed={missed} extra={extra}  {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
