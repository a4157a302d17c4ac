"""Help: the lessons of the essays and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.engine.categories import BAD, GOOD, LESSONS

KEYS = [
    ("Enter", "send the reply / start the highlighted scenario"),
    ("Ctrl+E", "end the session early (saved as abandoned)"),
    ("Ctrl+R", "review saved scorecards (from the picker)"),
    ("Ctrl+P", "command palette"),
    ("Ctrl+T", "light or dark theme"),
    ("F1", "this help"),
    ("Ctrl+Q / Ctrl+C", "quit (a session in progress is saved)"),
    ("r / c / q", "on the scorecard: retry, choose another, quit"),
]


class HelpScreen(ModalScreen):
    """The lessons and the keys."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content("What the essays teach"), classes="heading")
            for lesson in LESSONS.values():
                yield Static(Content.assemble((f"{lesson.essay} ({lesson.language}) ", "bold"),
                                              (lesson.title, "bold"), "\n", lesson.lesson),
                             classes="lesson")
            yield Static(Content("What the trainer looks for"), classes="heading")
            yield Static(Content.assemble(("Helps: ", "bold $success"), ", ".join(GOOD), "\n",
                                          ("Hurts: ", "bold $error"), ", ".join(BAD)))
            yield Static(Content("Keys"), classes="heading")
            yield Static(Content("\n".join(f"{k:<18} {v}" for k, v in KEYS)))
            yield Static(Content("Escape closes this help."), classes="dim")

    def action_dismiss(self) -> None:
        self.dismiss()
