"""The customer's anger: a coloured meter and the mood so far as a sparkline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static


def anger_colour(anger: int) -> str:
    if anger >= 75:
        return "$error"
    if anger >= 45:
        return "$warning"
    return "$success"


def meter(anger: int, width: int = 20) -> Content:
    filled = round(max(0, min(100, anger)) * width / 100)
    return Content.assemble(("█" * filled, anger_colour(anger)), ("░" * (width - filled), "dim"),
                            f" {anger:>3}")


class MoodPanel(Vertical):
    """Anger now, the state's name, and anger over the turns."""

    def compose(self) -> ComposeResult:
        yield Static("Anger", classes="label")
        yield Static(id="meter")
        yield Static(id="state")
        yield Sparkline([], id="spark", min_color="green", max_color="red")

    def show(self, anger: int, state: str, history: list[int]) -> None:
        self.query_one("#meter", Static).update(meter(anger))
        self.query_one("#state", Static).update(Content.assemble("Mood: ", (state, "bold")))
        spark = self.query_one("#spark", Sparkline)
        # A sparkline needs two points to show a trend; repeat the first at the start.
        spark.data = [float(a) for a in (history if len(history) > 1 else history * 2)]
