"""What the analyzer makes of text nobody here wrote: ../shared/eval-real and the essays.

    python bench/real_replies.py [--show] [--no-model]

eval-real is unlabelled: the counts say how often each category fires; --show prints every
line that fired something, to read for false alarms. The essays (../shared/seeds) are split into
sentences and analysed in their own language. Nothing from ../shared is copied into the project.
The analyzer runs as the trainer runs it, with its model (docs/model.md): what only the model
found is counted apart and, with --show, marked "model:". --no-model: the pattern packs alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.cli import add_model_choice, use_model  # noqa: E402
SHARED = ROOT.parent / "shared"
ESSAY_LANG = {"000": "nb", "001": "da", "002": "sv", "003": "pl", "004": "pl"}


def main() -> int:
    from trainer.engine.analyzer import Analyzer

    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print every line that fired something")
    add_model_choice(ap)
    args = ap.parse_args()
    args.model = use_model(args)
    analyzers: dict[str, Analyzer] = {}
    by_model: dict[str, Counter] = {}

    def analyze(text: str, lang: str) -> tuple[tuple[str, ...], list[str]]:
        """The categories, and those only the model found."""
        if lang not in analyzers:
            analyzers[lang] = Analyzer(lang, model=args.model)
        analysis = analyzers[lang].analyze(text)
        return analysis.categories, sorted({m.category for m in analysis.matches
                                             if m.source == "model"})

    path = SHARED / "eval-real" / "utterances.jsonl"
    if not path.exists():
        print(f"{path}: not found (../shared beside the repository)")
        return 1
    per_lang: dict[str, Counter] = {}
    lines: dict[str, int] = Counter()
    fired: dict[str, int] = Counter()
    shown = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(raw)
        cats, modelled = analyze(item["text"], item["lang"])
        lines[item["lang"]] += 1
        per_lang.setdefault(item["lang"], Counter()).update(cats)
        by_model.setdefault(item["lang"], Counter()).update(modelled)
        if cats:
            fired[item["lang"]] += 1
            mark = f" (model: {','.join(modelled)})" if modelled else ""
            shown.append(f"  {item['lang']} {','.join(cats)}{mark}: {item['text']}")
    print("eval-real: lines that fired anything, and how often each category fired")
    for lang in sorted(per_lang):
        counts = ", ".join(f"{c} {n}" for c, n in per_lang[lang].most_common())
        print(f"  {lang}: {fired[lang]}/{lines[lang]} lines; {counts or 'nothing'}")
        if args.model:
            added = ", ".join(f"{c} {n}" for c, n in by_model[lang].most_common())
            print(f"      of which only the model found: {added or 'nothing'}")
    if args.show:
        print("\n".join(shown))
    print("\nessays (sentences that fired something / all sentences):")
    for essay in sorted((SHARED / "seeds").glob("*.txt")):
        lang = ESSAY_LANG.get(essay.name[:3], "en")
        sentences = [s.strip() for s in re.split(r"(?<=[.!?…])\s+|\n", essay.read_text(encoding="utf-8"))
                     if len(s.strip().split()) >= 3]
        counts: Counter = Counter()
        model_only: Counter = Counter()
        hit = 0
        for s in sentences:
            cats, modelled = analyze(s, lang)
            counts.update(cats)
            model_only.update(modelled)
            hit += bool(cats)
            if args.show and cats:
                mark = f" (model: {','.join(modelled)})" if modelled else ""
                print(f"  {essay.name[:3]} {','.join(cats)}{mark}: {s[:110]}")
        print(f"  {essay.name[:3]} ({lang}): {hit}/{len(sentences)}; "
              + ", ".join(f"{c} {n}" for c, n in counts.most_common()))
        if args.model:
            added = ", ".join(f"{c} {n}" for c, n in model_only.most_common())
            print(f"      of which only the model found: {added or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
