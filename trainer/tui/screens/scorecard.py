"""The end of a session: the scorecard, with the saved file's path."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.engine.analyzer import Match
from trainer.tui.widgets.chat import highlighted, literal
from trainer.tui.widgets.mood import meter, sparkline

OUTCOME_TEXT = {
    "resolved": ("Resolved", "$success"),
    "walked_out": ("Walked out — and will tell everyone", "$error"),
    "escalated": ("Escalated to a manager", "$error"),
    "unresolved": ("Unresolved", "$warning"),
    "abandoned": ("Abandoned", "$warning"),
}


def skill_bar(score: int, width: int = 20) -> Content:
    filled = round(max(0, min(100, score)) * width / 100)
    style = "$success" if score >= 70 else "$warning" if score >= 40 else "$error"
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {score:>3}")


class ScorecardScreen(Screen):
    """What went well, what hurt, and which lesson to re-read."""

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("c", "choose", "Choose another"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, scenario, trainee: str, data: dict, path: Path | None,
                 error: str | None) -> None:
        super().__init__()
        self.scenario = scenario
        self.trainee = trainee
        self.data = data
        self.path = path
        self.error = error

    def compose(self) -> ComposeResult:
        d = self.data
        yield Header()
        with VerticalScroll(id="scorecard"):
            label, style = OUTCOME_TEXT.get(d["outcome"], (d["outcome"], "bold"))
            yield Static(Content.assemble(("Scorecard", "bold"), "  ", literal(d["scenario_title"]),
                                          "  —  ", literal(d["trainee"])), classes="title")
            yield Static(Content.assemble(("Outcome: ", "bold"), (label, f"bold {style}"),
                                          ("   Score: ", "bold"), (f"{d['score']}/100", "bold"),
                                          ("   Anger: ", "bold"),
                                          f"{d['anger_start']} → {d['anger_end']}",
                                          ("   Turns: ", "bold"), str(d["turns_taken"]),
                                          ("   Average reply: ", "bold"),
                                          f"{d['average_reply_seconds']} s"), id="summary")
            yield Static(Content.assemble(("Mood over time", "bold"), "  (",
                                          " → ".join(map(str, d["anger_history"])), ")"))
            yield Static(sparkline(d["anger_history"], 60), id="mood-spark")
            yield Static(Content("Skills"), classes="heading")
            for name, s in d["skills"].items():
                with Horizontal(classes="skill"):
                    yield Static(Content(name), classes="skill-name")
                    yield Static(skill_bar(s["score"]), classes="skill-bar")
                reasons = s["reasons"][:5]
                if reasons:
                    yield Static(Content("\n".join(literal(r) for r in reasons)),
                                 classes="reasons")
            if d["tips"]:
                yield Static(Content("Tips"), classes="heading")
                for t in d["tips"]:
                    yield Static(Content.assemble("• ", literal(t["text"]), "\n  ",
                                                  (f"Lesson {t['lesson']}: "
                                                   f"{t['lesson_title']}", "italic")),
                                 classes="tip")
            yield Static(Content("Turns"), classes="heading")
            for i, t in enumerate(d["turns"], 1):
                matches = [Match(m["category"], m["start"], m["end"], m["pattern"], 100.0)
                           for m in t["matches"]]
                cats = ", ".join(t["categories"]) or "nothing recognised"
                yield Static(Content.assemble((f"{i}. ", "bold"), highlighted(t["reply"], matches),
                                              "\n   ", (cats, "italic"), "   anger ",
                                              meter(t["anger"], 10),
                                              f" ({t['anger_change']:+d})",
                                              *(["\n   ", (self.scenario.customer.name + ": ",
                                                       "bold"), literal(t["customer"])]
                                                if t["customer"] else [])),
                             classes="turn")
            if self.path is not None and self.error is None:
                yield Static(Content.assemble(("Saved: ", "bold"), str(self.path)), id="saved")
            else:
                yield Static(Content.assemble(("Not saved: ", "bold $error"),
                                              self.error or "unknown error"), id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Scorecard"

    def action_retry(self) -> None:
        from trainer.tui.screens.session import SessionScreen

        self.app.switch_screen(SessionScreen(self.scenario, self.trainee))

    def action_choose(self) -> None:
        self.app.pop_screen()
