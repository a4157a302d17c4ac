"""The session: the chat, the customer's mood, the patience timer, live coaching and the reply."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from trainer.engine import customer as rules
from trainer.engine.categories import GOOD
from trainer.engine.session import Session
from trainer.engine.storage import Recorder
from trainer.tui.widgets.chat import ChatLog, literal
from trainer.tui.widgets.mood import MoodPanel
from trainer.tui.widgets.reply import ReplyInput

MAX_REPLY = 20_000


def now() -> float:
    """The session's clock (a function of its own, so tests can freeze it)."""
    return time.monotonic()  # characters the reply box takes; a longer paste is cut there


def coaching(analysis) -> Content:
    """Which categories the draft triggers, with the words that trigger them."""
    if not analysis.matches:
        return Content.assemble(("Coaching: ", "bold"), ("nothing recognised yet", "dim"))
    parts: list = [("Coaching: ", "bold")]
    seen = set()
    for m in analysis.matches:
        if (m.category, m.start) in seen:
            continue
        seen.add((m.category, m.start))
        if len(seen) > 1:
            parts.append("  ")
        style = "$success" if m.category in GOOD else "$error"
        cues = m.pattern.removeprefix("model:").strip() if m.source == "model" else ""
        if cues:  # the model's span is a whole sentence: its weightiest words say more
            parts += [(m.category, f"bold {style}"), (" model", "dim"), f" “{literal(cues)[:40]}”"]
            continue
        words = literal(analysis.text[m.start:m.end])[:40]
        parts += [(m.category, f"bold {style}"), f" “{words}”"]
    return Content.assemble(*parts)


class SessionScreen(Screen):
    """One conversation with the customer."""

    BINDINGS = [
        Binding("ctrl+e", "end", "End session", priority=True),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, scenario, trainee: str) -> None:
        super().__init__()
        self.scenario = scenario
        self.trainee = trainee
        self.shown_silences = 0
        self.session: Session | None = None
        self.recorder: Recorder | None = None
        self.turn_started = now()
        self.finished = False

    def compose(self) -> ComposeResult:
        sc = self.scenario
        yield Header()
        with Horizontal(id="session"):
            with Vertical(id="conversation"):
                yield ChatLog(sc.customer.name, id="chat")
                yield Static(id="coaching")
                yield ReplyInput(placeholder="Type your reply and press Enter", id="reply",
                                 max_length=MAX_REPLY)
            with Vertical(id="side"):
                yield Static(self._persona(), id="persona")
                yield MoodPanel(id="mood")
                yield Static(id="patience")
        yield Footer()

    def _persona(self) -> Content:
        sc = self.scenario
        c = sc.customer
        parts = [(literal(c.name), "bold"), "\n", literal(sc.situation)]
        if c.wants:
            parts += ["\n\n", ("Wants: ", "bold"), literal(c.wants)]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        opts = self.app.options
        self.exam = opts.exam
        self.sub_title = f"{self.scenario.title} — {'exam' if self.exam else 'practice'}"
        self.session = Session(self.scenario, seed=opts.seed,
                               extra_packs=tuple(self.app.library.packs_for(self.scenario.language))
                               + tuple(opts.packs), mode="exam" if self.exam else "practice",
                               model=opts.model)
        self.recorder = Recorder(self.session, self.app.scorecards, self.trainee, opts.cohort)
        chat = self.query_one(ChatLog)
        chat.add_customer(self.session.start(), "opening")
        self._save()
        self._refresh_mood()
        self.query_one("#coaching", Static).display = not self.exam
        if not self.exam:
            self.query_one("#coaching", Static).update(coaching(self.session.preview("")))
        self.turn_started = now()
        self._tick()  # show the patience at once, not half a second later
        self.set_interval(0.5, self._tick)
        self.query_one("#reply", Input).focus()

    # --- the clock -------------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.session is None or self.session.ended:
            return
        patience = self.scenario.patience
        waited = now() - self.turn_started
        pending = self.session.silences_pending
        if pending < rules.MAX_SILENCES and waited >= (pending + 1) * patience:
            line = self.session.silence()
            if line:
                self.shown_silences += 1
                self.query_one(ChatLog).add_customer(line, "silence")
            self._refresh_mood()
            self._save()
            if self.session.ended:
                self._finish()
                return
            pending += 1
        if pending >= rules.MAX_SILENCES:
            text = Content.assemble(("Patience: ", "bold"), ("run out", "$error"))
        else:
            left = max(0, int((pending + 1) * patience - waited))
            style = "$error" if left <= 10 else "$warning" if left <= patience / 2 else "$success"
            text = Content.assemble(("Patience: ", "bold"), (f"{left} s", style))
        self.query_one("#patience", Static).update(text, layout=False)  # one line, fixed

    # --- typing and sending ----------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "reply" and not self.exam and self.session is not None:
            # Fixed height in the stylesheet: repaint only, no layout pass (typing stays quick).
            self.query_one("#coaching", Static).update(coaching(self.session.preview(event.value)),
                                                       layout=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "reply" or self.session is None or self.session.ended:
            return
        text = event.value
        if not text.strip():
            self.notify("Type a reply first.", severity="warning", timeout=2)
            return
        seconds = now() - self.turn_started
        turn = self.session.reply(text, seconds)
        self.turn_started = now()
        event.input.value = ""
        chat = self.query_one(ChatLog)
        for line in turn.interjections[self.shown_silences:]:
            chat.add_customer(line, "silence")
        self.shown_silences = 0
        note = ""
        if not self.exam:
            cats = ", ".join(turn.categories) or "nothing recognised"
            change = round(turn.anger) - round(turn.anger_before)
            note = f"{cats} · anger {change:+d}"
        chat.add_trainee(text, () if self.exam else turn.analysis.matches, note)
        if turn.customer:
            chat.add_customer(turn.customer, "final" if turn.ended else "line")
        self._refresh_mood()
        self._save()
        if self.session.ended:
            self._finish()

    # --- ending ----------------------------------------------------------------------------------
    def action_end(self) -> None:
        from trainer.tui.screens.dialogs import ConfirmDialog

        if self.session is None or self.session.ended:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.abandon()
                self._finish()

        self.app.push_screen(ConfirmDialog("End this session now? It is saved as abandoned."),
                             answer)

    def abandon(self) -> None:
        """Quit before the end (a key, Ctrl+C, a closed tab): saved as abandoned."""
        if self.session is not None and not self.session.ended:
            self.session.quit()
            self._save()

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        from trainer.tui.screens.scorecard import ScorecardScreen

        self.query_one("#reply", Input).disabled = True
        data = self.recorder.last or self.recorder.data()  # saved just before, after each turn
        self.app.switch_screen(ScorecardScreen(self.scenario, self.trainee, data,
                                               self.recorder.path, self.recorder.error))

    def _save(self) -> None:
        if self.recorder is None:
            return
        if self.recorder.save() is None and self.recorder.error:
            self.notify(self.recorder.error, severity="error", timeout=8)

    def _refresh_mood(self) -> None:
        s = self.session
        self.query_one(MoodPanel).show(s.anger, s.state, s.anger_history)
