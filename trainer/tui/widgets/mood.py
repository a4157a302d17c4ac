"""The customer's anger: a coloured meter and the mood so far as a sparkline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

BLOCKS = "▁▂▃▄▅▆▇█"


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


def sparkline(history: list[int], width: int = 30) -> Content:
    """Anger per turn on a fixed 0-100 scale, one coloured block a turn (the latest at the end)."""
    values = history[-width:]
    parts = []
    for v in values:
        v = max(0, min(100, int(v)))
        parts.append((BLOCKS[min(len(BLOCKS) - 1, v * len(BLOCKS) // 101)], anger_colour(v)))
    return Content.assemble(*parts)


class MoodPanel(Vertical):
    """Anger now, the state's name, and anger over the turns."""

    def compose(self) -> ComposeResult:
        yield Static("Anger", classes="label")
        yield Static(id="meter")
        yield Static(id="state")
        yield Static(Content("Mood so far"), classes="label")
        yield Static(id="spark")

    def show(self, anger: int, state: str, history: list[int]) -> None:
        self.query_one("#meter", Static).update(meter(anger))
        self.query_one("#state", Static).update(Content.assemble("Mood: ", (state, "bold")))
        self.query_one("#spark", Static).update(sparkline(history))
