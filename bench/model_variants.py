"""Other kinds of model, compared with the shipped one on a blind round none of them learned from.

    pip install -e '.[train]'
    python bench/model_variants.py blind10 [en da-nb-sv pl] [--variants lr,mlp,sentences,residual]

Each variant learns from the same cases as bench/train_model.py --without ROUND, and is scored
on tests/train_cases/<lang>-ROUND.toml the way the analyzer runs: the categories the packs find,
plus those the variant gives a probability of at least the threshold. It prints macro-F1 per
language and threshold (0.75 and 0.85), and the packs alone for reference.

- lr: the shipped model (logistic regression per category on the same features; without the
  refits that weigh up specification cases, which only matter for tests/analyzer_cases);
- mlp: a neural network with one hidden layer (128 units) on the same features, all
  categories at once: can it combine features that a linear model only adds?
- sentences: the shipped model applied to each sentence as well, keeping the highest
  probability: does a blaming sentence get lost among friendly ones?
- residual: logistic regression fitted only on the cases where the packs did not already find
  the category, since the model only adds what the packs missed.

It takes a few minutes per group, most of it the mlp on da-nb-sv.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_model import (GROUPS, MIN_DF, MODEL_CATEGORIES, Features, cases_for,  # noqa: E402
                         have_sklearn, labelled_rows)

from trainer.engine.analyzer import Analyzer  # noqa: E402
from trainer.engine.categories import CATEGORIES  # noqa: E402
from trainer.engine.evaluation import Result, Tally, tally  # noqa: E402
from trainer.engine.text import tokenize  # noqa: E402

VARIANTS = ("lr", "mlp", "sentences", "residual")
THRESHOLDS = (0.75, 0.85)


def words_of(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def sentences_of(text: str) -> list[list[str]]:
    by: dict[int, list[str]] = {}
    for t in tokenize(text):
        by.setdefault(t.sentence, []).append(t.text)
    return list(by.values())


def packs_found(lang: str, case: dict) -> set[str]:
    return set(Analyzer(lang, tuple(case.get("names", [])), model=False)
               .analyze(case["text"]).categories)


def compare(round_name: str, group: str, variants: tuple[str, ...]) -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    langs = GROUPS[group]
    per_lang = [(lang, cases_for(lang, (round_name,))) for lang in langs]
    cases = [item for _lang, cs in per_lang for item in cs]
    words = [words_of(c["text"]) for c, _ in cases]
    features = Features(words, (3, 4, 5), MIN_DF, 0.5)
    X = features.matrix(words)
    tests = {}
    for lang in langs:
        path = ROOT / "tests" / "train_cases" / f"{lang}-{round_name}.toml"
        if path.is_file():
            tests[lang] = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    if not tests:
        print(f"{group}: no tests/train_cases/<lang>-{round_name}.toml")
        return
    packs = {lang: [packs_found(lang, c) for c in cs] for lang, cs in tests.items()}
    Xt = {lang: features.matrix([words_of(c["text"]) for c in cs]) for lang, cs in tests.items()}

    def score(probs: dict, threshold: float) -> str:
        out = []
        for lang, cs in tests.items():
            res = Result(lang, 0, {c: Tally() for c in CATEGORIES})
            for i, case in enumerate(cs):
                added = {cat for k, cat in enumerate(MODEL_CATEGORIES)
                         if probs[lang][i, k] >= threshold}
                tally(res, case, packs[lang][i] | added)
            out.append(f"{lang} {res.macro_f1():.3f}")
        return ", ".join(out)

    def empty() -> dict:
        return {lang: np.zeros((len(cs), len(MODEL_CATEGORIES))) for lang, cs in tests.items()}

    print(f"{group} on {round_name}: packs alone {score(empty(), 2.0)}")
    fitted = []  # the shipped kind of model, for lr and sentences
    for cat in MODEL_CATEGORIES if {"lr", "sentences"} & set(variants) else ():
        rows, y = labelled_rows(cases, cat)
        fitted.append(LogisticRegression(C=4, max_iter=5000, class_weight="balanced")
                      .fit(X[rows], np.array(y)))
    results: dict[str, dict] = {}
    if "lr" in variants:
        results["lr"] = empty()
        for k, m in enumerate(fitted):
            for lang in tests:
                results["lr"][lang][:, k] = m.predict_proba(Xt[lang])[:, 1]
    if "sentences" in variants:
        results["sentences"] = empty()
        for lang, cs in tests.items():
            owner, rows = [], []
            for i, case in enumerate(cs):
                for sentence in sentences_of(case["text"]):
                    owner.append(i)
                    rows.append(sentence)
            Xs = features.matrix(rows)
            for k, m in enumerate(fitted):
                best = m.predict_proba(Xt[lang])[:, 1]
                np.maximum.at(best, np.array(owner), m.predict_proba(Xs)[:, 1])
                results["sentences"][lang][:, k] = best
    if "residual" in variants:
        found = [packs_found(lang, c) for lang, cs in per_lang for c, _ in cs]
        results["residual"] = empty()
        for k, cat in enumerate(MODEL_CATEGORIES):
            rows, y = labelled_rows(cases, cat)
            keep = [j for j, i in enumerate(rows) if cat not in found[i]]
            m = LogisticRegression(C=4, max_iter=5000, class_weight="balanced").fit(
                X[[rows[j] for j in keep]], np.array([y[j] for j in keep]))
            for lang in tests:
                results["residual"][lang][:, k] = m.predict_proba(Xt[lang])[:, 1]
    if "mlp" in variants:
        from sklearn.neural_network import MLPClassifier

        Y = np.array([[1 if cat in c.get("expect", []) else 0 for cat in MODEL_CATEGORIES]
                      for c, _ in cases])
        m = MLPClassifier(hidden_layer_sizes=(128,), max_iter=30, random_state=0).fit(X, Y)
        results["mlp"] = {lang: m.predict_proba(Xt[lang]) for lang in tests}
    for name in variants:
        for threshold in THRESHOLDS:
            print(f"  {name:<10} at {threshold}: {score(results[name], threshold)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("round", help="a blind round of tests/train_cases to score on (blind10)")
    ap.add_argument("groups", nargs="*", help=f"some of {', '.join(GROUPS)} (default: all)")
    ap.add_argument("--variants", default=",".join(VARIANTS),
                    help=f"comma-separated, of {', '.join(VARIANTS)} (default: all)")
    args = ap.parse_args()
    variants = tuple(v for v in args.variants.split(",") if v)
    unknown = [v for v in variants if v not in VARIANTS] + [
        g for g in args.groups if g not in GROUPS]
    if unknown:
        ap.error(f"unknown: {', '.join(unknown)}")
    if not list((ROOT / "tests" / "train_cases").glob(f"*-{args.round}.toml")):
        ap.error(f"no tests/train_cases/*-{args.round}.toml")
    if not have_sklearn("model_variants"):
        return 2
    import warnings

    warnings.filterwarnings("ignore")  # the MLP's "not converged yet" after its 30 passes
    for group in args.groups or GROUPS:
        compare(args.round, group, variants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
