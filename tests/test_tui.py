"""The trainer as a person uses it: pick, type, watch the meter, reach the scorecard (pilot)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from trainer.tui.app import Options, TrainerApp
from trainer.tui.screens.dialogs import NameDialog
from trainer.tui.screens.picker import PickerScreen
from trainer.tui.screens.scorecard import ScorecardScreen
from trainer.tui.screens.session import SessionScreen
from trainer.tui.widgets.chat import Message


def make_app(tmp_path, **kw) -> TrainerApp:
    opts = Options(scenario_dirs=[FIXTURES], scorecards=tmp_path / "cards", seed=2, **kw)
    return TrainerApp(opts)


async def open_fixture(app, pilot, name="Ada") -> SessionScreen:
    await pilot.pause()
    assert isinstance(app.screen, PickerScreen)
    app.screen.query_one("#filter").value = "kettle"
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(app.screen, NameDialog):
        app.screen.query_one("#name").value = name
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    return app.screen


async def send(app, pilot, text: str) -> None:
    app.screen.query_one("#reply").value = text
    await pilot.press("enter")
    await pilot.pause()


async def end_early(pilot) -> None:
    """Ctrl+E, then yes: the session ends, saved as abandoned."""
    await pilot.press("ctrl+e")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()


def saved(tmp_path) -> dict:
    files = list((tmp_path / "cards").glob("*.toml"))
    assert len(files) == 1
    return tomllib.loads(files[0].read_text(encoding="utf-8"))


async def test_pick_type_watch_the_meter_and_reach_the_saved_scorecard(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_fixture(app, pilot)
        meter_before = str(screen.query_one("#meter").render())
        await send(app, pilot, "Sam, I'm so sorry. Can you tell me what happened?")
        assert str(screen.query_one("#meter").render()) != meter_before
        assert screen.session.anger < screen.scenario.anger_start
        await send(app, pilot, "I can send you a replacement kettle today.")
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.sub_title == "Scorecard"
        assert "Saved:" in str(app.screen.query_one("#saved").render())
    data = saved(tmp_path)
    assert data["outcome"] == "resolved" and data["trainee"] == "Ada" and len(data["turns"]) == 2


async def name_offered(tmp_path, **kw) -> str:
    """After a session as "Bea", what a new app's name dialog offers."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_fixture(app, pilot, name="Bea")
    again = make_app(tmp_path, **kw)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        again.screen.query_one("#filter").value = "kettle"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, NameDialog)
        return again.screen.query_one("#name").value


async def test_name_dialog_offers_the_last_name(tmp_path):
    assert await name_offered(tmp_path) == "Bea"


async def test_serve_never_prefills_the_name(tmp_path):
    assert await name_offered(tmp_path, serve=True) == ""


@pytest.mark.parametrize("text", ["[bold]x[/]", "[/]", "[link=x]", "[red]no[", "\x1b[31m", "🙂 مرحبا"])
async def test_replies_are_shown_exactly_as_typed(tmp_path, text):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_fixture(app, pilot)
        await send(app, pilot, text)
        shown = [str(m.render()) for m in screen.query(Message)]
        visible = text.replace("\x1b", "\ufffd")
        assert any(visible in s for s in shown), shown


async def test_live_coaching_shows_categories_and_words_before_sending(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_fixture(app, pilot)
        screen.query_one("#reply").value = "Calm down, it's your fault"
        await pilot.pause()
        coaching = str(screen.query_one("#coaching").render())
        assert "dismissing" in coaching and "Calm down" in coaching and "blaming" in coaching


async def test_exam_mode_hides_coaching(tmp_path):
    app = make_app(tmp_path, trainee="Ada", exam=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_fixture(app, pilot)
        assert not screen.query_one("#coaching").display
        await send(app, pilot, "Calm down")
        shown = " ".join(str(m.render()) for m in screen.query(Message))
        assert "dismissing" not in shown


async def test_end_early_asks_and_saves_abandoned(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_fixture(app, pilot)
        await send(app, pilot, "Hmm.")
        await end_early(pilot)
        assert isinstance(app.screen, ScorecardScreen)
    data = saved(tmp_path)
    assert data["outcome"] == "abandoned" and len(data["turns"]) == 1


async def test_ctrl_c_quits_with_the_session_autosaved(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_fixture(app, pilot)
        await send(app, pilot, "Hmm, let me check.")
        await pilot.press("ctrl+c")
        await pilot.pause()
    data = saved(tmp_path)
    assert data["outcome"] == "abandoned" and data["turns"][0]["reply"] == "Hmm, let me check."


async def test_small_terminal_and_resizing(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_fixture(app, pilot)
        assert screen.has_class("-narrow")
        await send(app, pilot, "Sam, I'm sorry.")
        await pilot.resize_terminal(20, 10)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.has_class("-wide")
        await send(app, pilot, "Can you tell me what happened?")
        assert len(screen.session.turns) == 2


async def test_review_and_help_from_the_picker(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_fixture(app, pilot)
        await send(app, pilot, "Calm down.")
        await end_early(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one("#trainees")
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#history").row_count == 1
        await pilot.press("escape", "escape")
        await pilot.press("f1")
        await pilot.pause()
        assert "What the essays teach" in " ".join(str(s.render()) for s in app.screen.query("Static"))


async def test_huge_paste_does_not_freeze(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_fixture(app, pilot)
        await send(app, pilot, "sorry " * 17000)  # ~100 KB
        assert len(screen.session.turns) == 1


async def test_retry_opens_a_new_session(tmp_path):
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_fixture(app, pilot)
        await send(app, pilot, "That's your fault.")  # escalates at once
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.session.turns
    assert len(list((tmp_path / "cards").glob("*.toml"))) == 2


def test_cards_folder_is_not_the_users(tmp_path):
    assert Path(tmp_path).exists()


async def test_picker_filters_as_you_type_and_arrows_move(tmp_path):
    app = TrainerApp(Options(scorecards=tmp_path / "cards"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#scenarios")
        total = table.row_count
        await pilot.press("s", "o", "f", "a")  # typed straight into the filter
        await pilot.pause()
        assert 0 < table.row_count < total
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await pilot.pause()
        await pilot.press("down", "down")
        assert table.cursor_row == 2


async def test_the_tui_session_uses_the_model_unless_switched_off(tmp_path):
    from trainer.cli import build_parser
    from trainer.tui.app import options_from_args

    assert options_from_args(build_parser().parse_args(["play", "x"])).model is True
    for argv in (["play", "x", "--no-model"], ["--no-model"], ["serve", "--no-model"]):
        assert options_from_args(build_parser().parse_args(argv)).model is False
    for model in (True, False):
        app = make_app(tmp_path / str(model), model=model)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await open_fixture(app, pilot)
            assert (screen.session.analyzer.model is not None) is model
            await end_early(pilot)
        files = list((tmp_path / str(model) / "cards").glob("*.toml"))
        card = tomllib.loads(files[0].read_text(encoding="utf-8"))
        assert card["analyzer"] == ("packs+model" if model else "packs")


def test_coaching_names_the_words_the_model_weighed_most():
    from trainer.engine.analyzer import Analyzer
    from trainer.tui.screens.session import coaching

    text = "Vi får hundratals sådana ärenden varje dag och alla får vänta på sin tur."
    analysis = Analyzer("sv").analyze(text)
    model = [m for m in analysis.matches if m.source == "model"]
    assert model, "the model should find this excuse"
    shown = coaching(analysis).plain
    assert f"{model[0].category} model “{model[0].pattern.removeprefix('model:').strip()}”" in shown
    assert "dismissing “alla får vänta”" in shown  # a pack match still shows its own words
    packs_only = coaching(Analyzer("sv", model=False).analyze(text)).plain
    assert "model" not in packs_only


async def test_typing_a_long_reply_scrolls_like_any_input_without_laying_out_the_screen(
        tmp_path, monkeypatch):
    """The reply box skips Textual's whole-screen layout on each key (trainer/tui/widgets/
    reply.py) and still shows what a stock Input shows: the end of a long line, cursor on it."""
    from textual.app import App
    from textual.widget import Widget
    from textual.widgets import Input

    from trainer.tui.widgets.reply import ReplyInput

    layouts = []
    refresh = Widget.refresh

    def counted(self, *args, layout=False, **kwargs):
        if layout:
            layouts.append(type(self).__name__)
        return refresh(self, *args, layout=layout, **kwargs)

    text = "I am so sorry this happened, I understand how frustrating it is, truly. "
    app = make_app(tmp_path, trainee="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_fixture(app, pilot)
        await pilot.pause()
        reply = screen.query_one("#reply")
        assert isinstance(reply, ReplyInput)
        monkeypatch.setattr(Widget, "refresh", counted)
        await pilot.press(*text[:5])
        for ch in text[5:30]:  # what a key does, without the pilot's wait for each
            reply.insert_text_at_cursor(ch)
            await pilot.pause(0)
        await pilot.pause()
        monkeypatch.setattr(Widget, "refresh", refresh)
        assert layouts == []
        assert reply.value == text[:30]
        assert "sorry" in str(screen.query_one("#coaching").render())  # coaching followed

    class Both(App):
        CSS = "Input { width: 40; }"

        def compose(self):
            yield Input(id="stock")
            yield ReplyInput(id="ours")

    both = Both()
    async with both.run_test(size=(60, 10)) as pilot:
        for box in ("#stock", "#ours"):
            both.query_one(box).focus()
            for ch in text:
                both.query_one(box).insert_text_at_cursor(ch)
                await pilot.pause(0)
            await pilot.press("left", "left", "home", "end", "backspace")
            await pilot.pause()
        stock, ours = both.query_one("#stock"), both.query_one("#ours")
        assert ours.value == stock.value == text[:-1]
        assert ours.scroll_x == stock.scroll_x > 0
        assert ours.virtual_size == stock.virtual_size
        shown = ours.render_line(0).text
        assert shown == stock.render_line(0).text
        assert shown.strip().endswith(text[-12:-1].strip())
