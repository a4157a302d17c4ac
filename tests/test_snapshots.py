"""Snapshot tests (pytest-textual-snapshot): the picker, a session in progress, the scorecard.

Update after a deliberate change of the look: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from datetime import datetime, timezone

from tests.conftest import FIXTURES
from trainer.engine.scenario import load_scenario
from trainer.engine.session import Session
from trainer.engine.storage import scorecard_data
from trainer.tui.app import Options, TrainerApp
from trainer.tui.screens.scorecard import ScorecardScreen

SIZE = (110, 34)


def _app(tmp_path, **kw) -> TrainerApp:
    return TrainerApp(Options(scenario_dirs=[FIXTURES], scorecards=tmp_path, seed=2,
                              bundled=False, **kw))


def _no_blink(app) -> None:
    """A blinking cursor would make screenshots differ by when they are taken."""
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False


def test_picker(snap_compare, tmp_path):
    async def run_before(pilot):
        await pilot.pause()
        _no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_session_in_progress(snap_compare, tmp_path, monkeypatch):
    import trainer.tui.screens.session as session_screen

    # A frozen clock: the patience countdown shows the same number on every run.
    monkeypatch.setattr(session_screen, "now", lambda: 1000.0)

    async def run_before(pilot):
        app = pilot.app
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#reply").value = "Sam, I'm so sorry. Can you tell me what happened?"
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#reply").value = "[bold]I understand[/] how annoying that is"
        _no_blink(app)
        await pilot.pause()

    assert snap_compare(_app(tmp_path, trainee="Ada"), terminal_size=SIZE, run_before=run_before)


def test_scorecard(snap_compare, tmp_path):
    scenario = load_scenario(FIXTURES / "shop-en.toml")
    s = Session(scenario, seed=2)
    s.started = datetime(2026, 1, 1, 10, 0, tzinfo=timezone.utc)
    s.start()
    for text, seconds in [("Hmm, what is it?", 12), ("Calm down, it's just a kettle.", 8),
                          ("Sam, I'm sorry. Can you tell me what happened?", 15),
                          ("I can send you a replacement kettle today.", 9)]:
        if not s.ended:
            s.reply(text, seconds)
    data = scorecard_data(s, "Ada", "spring")
    app = _app(tmp_path)

    async def run_before(pilot):
        await pilot.pause()
        pilot.app.push_screen(ScorecardScreen(scenario, "Ada", data,
                                              tmp_path.parent / "cards" / "scorecard.toml", None))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
