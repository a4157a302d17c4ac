"""Property-based tests (hypothesis): mutated scenarios and generated replies never crash.

Examples per property: $TRAINER_HYPOTHESIS_EXAMPLES (default 150, kept small for CI).
"""

from __future__ import annotations

import copy
import json
import os
import tomllib

import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from trainer.engine.analyzer import analyze
from trainer.engine.categories import LANGUAGES
from trainer.engine.scenario import Problem, Scenario, ScenarioError, parse_scenario
from trainer.engine.session import Session
from trainer.engine.storage import Recorder

EXAMPLES = int(os.environ.get("TRAINER_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
BASE = tomllib.loads((FIXTURES / "shop-en.toml").read_text(encoding="utf-8"))
BASE_SOURCE = (FIXTURES / "shop-en.toml").read_text(encoding="utf-8")


def _paths(obj, prefix=()):
    """Every key path in a nested dict/list structure."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


PATHS = list(_paths(BASE))

VALUES = st.one_of(
    st.none(),  # None means: delete the key
    st.integers(min_value=-10**6, max_value=10**6),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(""),
    st.text(max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "ab " * n),
    st.lists(st.text(max_size=10), max_size=5),
    st.integers(min_value=1, max_value=5000).map(lambda n: ["x"] * n),
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=3),
    st.sampled_from(["nowhere", "blame", "walked_out", "resolved", "angry", "joking", "xx"]),
)


def _mutate(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    last = path[-1]
    if value is None:
        if isinstance(target, dict):
            target.pop(last, None)
        elif isinstance(target, list) and last < len(target):
            target.pop(last)
    else:
        target[last] = value
    return data


def _assert_clean(source: str) -> Scenario | None:
    """Parsing either gives a scenario or located problems, never another exception."""
    try:
        return parse_scenario(source, "mutant.toml")
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert isinstance(p, Problem) and p.path == "mutant.toml"
            assert isinstance(p.line, int) and p.line >= 1
            assert str(p).startswith(f"mutant.toml:{p.line}: ") and "\n" not in p.message
        return None


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=4))
def test_mutated_scenarios_load_or_report_problems(mutations):
    data = copy.deepcopy(BASE)
    for path, value in mutations:
        try:
            data = _mutate(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    try:
        source = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not representable in TOML at all
    scenario = _assert_clean(source)
    if scenario is not None:
        # A scenario that loads can be played without a crash.
        s = Session(scenario, seed=1)
        s.start()
        for reply in ["Hmm.", "I'm sorry, tell me what happened?", "Calm down!!"]:
            if not s.ended:
                s.reply(reply, 70)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_as_a_scenario_never_crashes(text):
    _assert_clean(text)


@SETTINGS
@given(st.integers(min_value=0, max_value=len(BASE_SOURCE) - 1), st.text(min_size=1, max_size=3))
def test_a_scenario_with_a_few_characters_changed_never_crashes(pos, insert):
    _assert_clean(BASE_SOURCE[:pos] + insert + BASE_SOURCE[pos + 1:])


ODD = st.sampled_from([
    "[bold]x[/]", "[/]", "[link=x]", "\x1b[31mred\x1b[0m", "\x00\x07\x08", "🙂👍🏽👨‍👩‍👧", "مرحبا آسف",
    "\u202eevil\u202c", "\ud800", "\udfff x", "A" * 5000, "!" * 300, "I'm SORRY!!!", "\r\n\t",
])
REPLIES = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    ODD,
    st.lists(ODD, min_size=1, max_size=4).map(" ".join),
)


@SETTINGS
@given(REPLIES, st.sampled_from(LANGUAGES), st.lists(st.text(max_size=15), max_size=3))
def test_any_reply_is_analysed_with_valid_spans(text, lang, names):
    a = analyze(text, lang, names)
    for m in a.matches:
        assert 0 <= m.start < m.end <= len(text)
        assert m.category in {"acknowledging", "apologizing", "thanking", "naming", "inviting",
                              "summarizing", "owning", "solving", "justifying", "blaming",
                              "joking", "arguing", "condescending", "dismissing", "shouting",
                              "overpromising"}
    # --jsonl writes its lines directly: the same text json.dumps would give.
    assert a.to_json() == json.dumps(a.as_dict(), ensure_ascii=False)


NORDIC_POLISH = st.text(alphabet="abcæøåÆØÅąęłŁßİΣ😀\u0301 .,!?'", max_size=60)


@SETTINGS
@given(st.one_of(REPLIES, NORDIC_POLISH))
def test_every_token_is_its_span_folded(text):
    # Each token points at the characters it came from, whichever way the text was folded:
    # one for one, "æ" to "ae", a combining accent to nothing.
    from trainer.engine.text import fold, tokenize

    for tok in tokenize(text):
        assert 0 <= tok.start < tok.end <= len(text)
        assert tok.text in fold(text[tok.start:tok.end])  # ("¼" folds to "1⁄4": two words)


@SETTINGS
@given(st.lists(st.tuples(REPLIES, st.floats(min_value=0, max_value=500)), min_size=1, max_size=5))
# Found by CI: a shouted reply with a lone surrogate, quoted in a skill's reason.
@example([("A" * 2700 + " \ud800 " + "A" * 2700, 0.0)])
def test_any_replies_play_and_save_as_typed(tmp_path_factory, replies):
    from trainer.engine.scenario import load_scenario

    scenario = load_scenario(FIXTURES / "shop-en.toml")
    s = Session(scenario, seed=3)
    s.start()
    sent = []
    for text, seconds in replies:
        if s.ended:
            break
        s.reply(text, seconds)
        sent.append(text)
    path = Recorder(s, tmp_path_factory.mktemp("cards"), "trainee").save()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stored = [t["reply"] for t in data["turns"]]
    expected = [t[:20_000] for t in sent]
    expected = ["".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in t) for t in expected]
    assert stored == expected
    assert 0 <= data["score"] <= 100 and 0 <= data["anger_end"] <= 100


TUI_EXAMPLES = max(1, EXAMPLES // 30)


@settings(max_examples=TUI_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(REPLIES, min_size=4, max_size=4))
def test_any_replies_through_the_tui_are_shown_literally(tmp_path_factory, replies):
    import asyncio

    from trainer.tui.app import Options, TrainerApp
    from trainer.tui.screens.session import SessionScreen
    from trainer.tui.widgets.chat import Message, literal

    folder = tmp_path_factory.mktemp("tui")

    async def run():
        app = TrainerApp(Options(scenario_dirs=[FIXTURES], scorecards=folder, seed=1,
                                 trainee="Ada", bundled=False))
        async with app.run_test(size=(90, 28)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            for text in replies:
                if not isinstance(app.screen, SessionScreen) or not text.strip():
                    continue
                screen.query_one("#reply").value = text
                await pilot.press("enter")
                await pilot.pause()
                if app.screen is screen:  # still talking: the reply is in the chat as typed
                    mine = [m for m in screen.query(Message) if m.has_class("trainee")]
                    shown = str(mine[-1].render())
                    visible = literal(text.replace("\ud800", "\ufffd")).strip()
                    assert visible[:40].strip() in shown

    asyncio.run(run())
