"""The score model: skills with reasons traced to turns, an overall score, and tips.

Documented in docs/scoring.md. Pure arithmetic over the turns: the same replies always give the
same score.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.engine.categories import CATEGORY_LESSON, LESSONS
from trainer.engine.tips import tip_text

SCORE_MODEL = 1

# skill -> (categories that earn it, categories that cost it)
SKILLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "listening": (("inviting", "summarizing"), ("too_early",)),
    "empathy": (("acknowledging", "apologizing"), ()),
    "respect": (("naming", "thanking"), ("condescending",)),
    "composure": ((), ("joking", "arguing", "shouting", "dismissing")),
    "ownership": (("owning", "solving"), ("justifying", "blaming", "overpromising")),
}
SKILL_BASE = 40  # a skill with earning categories starts here; composure starts at 100
EARN = 20  # per reply showing one of the skill's good categories, at most EARN_CAP replies
EARN_CAP = 3
COST = 25  # per reply showing one of the skill's bad categories
OUTCOME_POINTS = {"resolved": 100, "unresolved": 40, "abandoned": 20, "escalated": 10,
                  "walked_out": 0}
WEIGHTS = {"skills": 0.5, "outcome": 0.3, "calming": 0.2}


@dataclass(frozen=True)
class Reason:
    """One point change of a skill, traced to a turn."""

    skill: str
    points: int
    turn: int
    category: str
    words: str

    def describe(self) -> str:
        sign = "+" if self.points > 0 else ""
        quote = f" \u201c{self.words}\u201d" if self.words else ""
        return f"{sign}{self.points} turn {self.turn}: {self.category}{quote}"


@dataclass(frozen=True)
class Skill:
    name: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Tip:
    text: str
    lesson: str  # essay id, e.g. "000"
    lesson_title: str
    turn: int  # 0 when not tied to one turn
    category: str


@dataclass(frozen=True)
class Assessment:
    score: int
    skills: tuple[Skill, ...]
    tips: tuple[Tip, ...]
    calming: int
    outcome_points: int


def _words(turn, category: str) -> str:
    if category in ("too_early",):
        spans = turn.analysis.spans("solving")
    else:
        spans = turn.analysis.spans(category)
    return " \u2026 ".join(turn.reply[s:e] for s, e in spans[:2])


def assess(turns, outcome: str, anger_start: float, anger_end: float, language: str) -> Assessment:
    """Skills, score and tips for a finished (or abandoned) session."""
    skills = []
    for name, (earn, cost) in SKILLS.items():
        reasons: list[Reason] = []
        earned = 0
        for t in turns:
            present = set(t.categories) | ({"too_early"} if t.too_early else set())
            good = [c for c in earn if c in present and not (c == "solving" and t.too_early)]
            if good and earned < EARN_CAP:
                earned += 1
                reasons.append(Reason(name, EARN, t.index, good[0], _words(t, good[0])))
            for c in cost:
                if c in present:
                    reasons.append(Reason(name, -COST, t.index, c, _words(t, c)))
        base = SKILL_BASE if earn else 100
        score = max(0, min(100, base + sum(r.points for r in reasons)))
        skills.append(Skill(name, score, tuple(reasons)))
    mean_skill = sum(s.score for s in skills) / len(skills)
    calming = max(0, min(100, round(50 + (anger_start - anger_end))))
    outcome_points = OUTCOME_POINTS.get(outcome, 0)
    if not turns:
        score = 0
    else:
        score = round(WEIGHTS["skills"] * mean_skill + WEIGHTS["outcome"] * outcome_points
                      + WEIGHTS["calming"] * calming)
    return Assessment(max(0, min(100, score)), tuple(skills), tuple(_tips(turns, outcome, language)),
                      calming, outcome_points)


# Bad categories by how much they teach when pointed out, worst first.
_TIP_ORDER = ("blaming", "dismissing", "shouting", "condescending", "joking", "arguing",
              "justifying", "overpromising")
_MISSING_ORDER = ("inviting", "acknowledging", "naming", "summarizing", "thanking", "solving")


def _tips(turns, outcome: str, language: str) -> list[Tip]:
    """Two to four tips tied to the trainee's own replies, each naming its lesson."""
    tips: list[Tip] = []

    def add(kind: str, category: str, turn: int, quote: str, lesson: str | None = None) -> None:
        lesson = lesson or CATEGORY_LESSON.get(category, "000")
        tips.append(Tip(tip_text(kind, language, quote=quote), lesson, LESSONS[lesson].title,
                        turn, category))

    for cat in _TIP_ORDER:
        if len(tips) >= 3:
            break
        first = next((t for t in turns if cat in t.categories), None)
        if first is not None:
            add(cat, cat, first.index, _words(first, cat) or first.reply[:60])
    first_early = next((t for t in turns if t.too_early), None)
    if first_early is not None:
        add("too_early", "solving", first_early.index, _words(first_early, "too_early"), "000")
    slow = next((t for t in turns if t.interjections), None)
    if slow is not None and len(tips) < 3:
        add("slow", "owning", slow.index, "", "001")
    seen = {c for t in turns for c in t.categories}
    for cat in _MISSING_ORDER:
        if len(tips) >= 2:
            break
        if cat not in seen:
            add(f"missing_{cat}", cat, 0, "")
    if len(tips) < 2:
        add("keep", "inviting", 0, "")
    return tips[:4]
