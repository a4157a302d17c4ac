"""The fixed vocabulary of behaviour categories and the lessons they come from."""

from __future__ import annotations

from dataclasses import dataclass

GOOD = (
    "acknowledging",
    "apologizing",
    "thanking",
    "naming",
    "inviting",
    "summarizing",
    "owning",
    "solving",
)
BAD = (
    "justifying",
    "blaming",
    "joking",
    "arguing",
    "condescending",
    "dismissing",
    "shouting",
    "overpromising",
)
CATEGORIES = GOOD + BAD
CATEGORY_SET = frozenset(CATEGORIES)
LANGUAGES = ("en", "nb", "da", "sv", "pl")
OUTCOMES = ("resolved", "walked_out", "escalated", "unresolved", "abandoned")
FINAL_OUTCOMES = ("resolved", "walked_out", "escalated")


def is_good(category: str) -> bool:
    """True for the categories a trainee should show."""
    return category in GOOD


@dataclass(frozen=True)
class Lesson:
    """One essay of ../shared/seeds and what it teaches."""

    essay: str
    language: str
    title: str
    lesson: str


LESSONS: dict[str, Lesson] = {
    "000": Lesson(
        "000",
        "nb",
        "Close your mouth and listen (Lukk munnen og lytt)",
        "Do not justify the outcome or explain the rules, and never tell the customer they did "
        "something wrong. Listen, and invite them: \u201ctell me what happened?\u201d. Suggest "
        "solutions only after that.",
    ),
    "001": Lesson(
        "001",
        "da",
        "Pick up your phone (Tag din telefon)",
        "Answer quickly: customers are impatient and move on to a competitor. When you talk, listen.",
    ),
    "002": Lesson(
        "002",
        "sv",
        "The customer is always wrong (Kunden har alltid fel)",
        "You may be legally right; it does not matter. Let the customer be heard, seen, respected "
        "and confirmed. Never make them feel stupid, never deceive them. Be grateful for every "
        "customer.",
    ),
    "003": Lesson(
        "003",
        "pl",
        "When the customer is very angry (Gdy klient jest mocno rozgniewany)",
        "Stay serious, no jokes. Do not argue. Listen and name the needs you hear. Address the "
        "customer by name. Slow down, lower your voice, keep your composure.",
    ),
    "004": Lesson(
        "004",
        "pl",
        "The customer is our master: take control (Klient nasz pan)",
        "Be a partner, neither servile nor stamping your foot. Like a doctor: let them describe "
        "the pain, ask questions, then propose the right solution yourself.",
    ),
}

# Which essay teaches each category (the first one named in DOMAIN.md).
CATEGORY_LESSON: dict[str, str] = {
    "acknowledging": "000",
    "apologizing": "000",
    "thanking": "002",
    "naming": "003",
    "inviting": "000",
    "summarizing": "003",
    "owning": "002",
    "solving": "004",
    "justifying": "000",
    "blaming": "000",
    "joking": "003",
    "arguing": "003",
    "condescending": "002",
    "dismissing": "000",
    "shouting": "003",
    "overpromising": "002",
}
