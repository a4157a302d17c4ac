"""Run the analyzer's development cases of some languages and print the failures.

    python bench/cases.py LANG [LANG ...] [--file STEM]

The same check as tests/test_analyzer_cases.py, faster to read while editing a pack.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.engine.analyzer import analyze  # noqa: E402

CASES = ROOT / "tests" / "analyzer_cases"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("langs", nargs="+")
    ap.add_argument("--file", help="only this case file (its stem, e.g. en-more)")
    args = ap.parse_args()
    failed = total = 0
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if data["language"] not in args.langs or (args.file and path.stem != args.file):
            continue
        for i, case in enumerate(data.get("case", [])):
            total += 1
            found = set(analyze(case["text"], data["language"], case.get("names", [])).categories)
            expect = set(case.get("expect", []))
            allowed = expect | set(case.get("allow", []))
            missed, extra = sorted(expect - found), sorted(found - allowed)
            if missed or extra:
                failed += 1
                print(f"{path.stem}#{i}: missed={missed} extra={extra}  {case['text']}")
    print(f"{total - failed}/{total} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
