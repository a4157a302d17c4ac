"""Scoring the analyzer against a labelled set: precision, recall and F1 per category."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trainer.engine.analyzer import Analyzer
from trainer.engine.categories import CATEGORIES


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    language: str
    cases: int
    tallies: dict[str, Tally] = field(default_factory=dict)
    left_out: int = 0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def macro_f1(self) -> float:
        used = [t for t in self.tallies.values() if t.tp + t.fn + t.fp]
        return sum(t.f1 for t in used) / len(used) if used else 0.0


SPLITS = ("all", "dev", "held-out")


def same_text(text: str) -> str:
    """A reply's text as compared for repeats: lower case, its words only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def development_texts(folders: list[Path], language: str) -> set[str]:
    """The texts (as same_text gives them) of every case of a language in some folders of
    labelled files (<lang>*.toml), such as tests/analyzer_cases and tests/train_cases."""
    out: set[str] = set()
    for folder in folders:
        for path in sorted(folder.glob(f"{language}*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            if data.get("language", language) == language:
                out |= {same_text(c["text"]) for c in data.get("case", [])}
    return out


def evaluate_file(path: Path, split: str = "all", model: bool = True,
                  leave_out: set[str] = frozenset()) -> Result:
    """Run the cases of a labelled file through the analyzer (with its model unless not).

    split: "dev" (even-numbered cases: the half whose errors may guide pack tuning),
    "held-out" (odd-numbered: never looked at while tuning), or "all". Cases whose text (as
    same_text gives it) is in leave_out are skipped and counted in Result.left_out.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lang = data["language"]
    res = Result(lang, 0, {c: Tally() for c in CATEGORIES})
    analyzers: dict[tuple, Analyzer] = {}
    for i, case in enumerate(data.get("case", [])):
        if (split == "dev" and i % 2) or (split == "held-out" and not i % 2):
            continue
        if leave_out and same_text(case["text"]) in leave_out:
            res.left_out += 1
            continue
        names = tuple(case.get("names", []))
        an = analyzers.get(names)
        if an is None:
            an = analyzers[names] = Analyzer(lang, names, model=model)
        found = set(an.analyze(case["text"]).categories)
        tally(res, case, found)
    return res


def tally(res: Result, case: dict, found: set[str]) -> None:
    """Count one case: `found` against its `expect` (must be there) and `allow` (may be)."""
    expect = set(case.get("expect", []))
    allowed = expect | set(case.get("allow", []))
    res.cases += 1
    for c in CATEGORIES:
        if c in expect and c in found:
            res.tallies[c].tp += 1
        elif c in expect:
            res.tallies[c].fn += 1
        elif c in found and c not in allowed:
            res.tallies[c].fp += 1
    missed = sorted(expect - found)
    extra = sorted(found - allowed)
    if missed or extra:
        res.errors.append((case["text"], missed, extra))


def agreement(first: dict, second: dict) -> Result:
    """How well a second labeller's `expect` matches a first one's labels, scored exactly as
    the analyzer is (the second's `expect` in the place of what the analyzer found).

    Both are labelled files ({"language", "case": [...]}) of the same replies in the same
    order; a ValueError says where they differ.
    """
    a, b = first.get("case", []), second.get("case", [])
    if first.get("language") != second.get("language"):
        raise ValueError("the two files are in different languages")
    if len(a) != len(b):
        raise ValueError(f"{len(a)} cases against {len(b)}")
    res = Result(first["language"], 0, {c: Tally() for c in CATEGORIES})
    for i, (x, y) in enumerate(zip(a, b)):
        if x["text"] != y["text"]:
            raise ValueError(f"case {i + 1} has another text")
        tally(res, x, set(y.get("expect", [])))
    return res
