"""The conversation as a chat: customer and trainee told apart at a glance, text shown literally."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.engine.categories import GOOD

MAX_SHOWN = 4000  # a pasted novel is shown cut, so rendering stays quick


def literal(text: str) -> str:
    """Text safe to show: control characters made visible; markup is never parsed anyway."""
    text = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + " …"
    return "".join(c if c.isprintable() or c in " \n" else "\ufffd" for c in text)


def highlighted(text: str, matches) -> Content:
    """The reply with each triggering span coloured: green for good, red for bad behaviour."""
    text = literal(text)
    parts: list = []
    pos = 0
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.start < pos or m.start >= len(text):
            continue
        end = min(m.end, len(text))
        parts.append(text[pos:m.start])
        style = "bold $success" if m.category in GOOD else "bold $error"
        parts.append((text[m.start:end], style))
        pos = end
    parts.append(text[pos:])
    return Content.assemble(*parts)


class Message(Static):
    """One chat message."""


class ChatLog(VerticalScroll):
    """The conversation so far."""

    def __init__(self, customer_name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_name = customer_name

    def add_customer(self, text: str, kind: str = "line") -> None:
        label = self.customer_name + (" (after a silence)" if kind == "silence" else "")
        body = Content.assemble((label, "bold"), "\n", literal(text))
        self._add(Message(body, classes=f"customer {kind}"))

    def add_trainee(self, text: str, matches=(), note: str = "") -> None:
        body = Content.assemble(("You", "bold"), "\n", highlighted(text, matches) if matches
                                else literal(text))
        if note:
            body = Content.assemble(body, "\n", (note, "italic dim"))
        self._add(Message(body, classes="trainee"))

    def _add(self, message: Message) -> None:
        self.mount(message)
        self.call_after_refresh(self.scroll_end, animate=False)
