"""The customer's realism rules (DOMAIN.md), each seen on the fixture scenario."""

from __future__ import annotations

from trainer.engine.session import Session


def _session(sc, seed=1):
    s = Session(sc, seed=seed)
    s.start()
    return s


def test_bad_behaviour_escalates_and_some_far_more_than_others(fixture_scenario):
    a = _session(fixture_scenario)
    a.reply("Our policy does not allow that.")  # justifying
    b = _session(fixture_scenario)
    b.reply("Calm down.")  # dismissing
    start = fixture_scenario.anger_start
    assert start < a.anger < b.anger


def test_good_behaviour_calms_with_diminishing_returns(fixture_scenario):
    s = _session(fixture_scenario)
    drops = []
    for text in ["I'm sorry.", "I'm so sorry about this.", "I'm really sorry, truly."]:
        t = s.reply(text)
        drops.append(t.anger_before - t.anger)
    assert drops[0] > drops[1] > drops[2] > 0


def test_the_fifth_in_a_row_annoys(fixture_scenario):
    s = _session(fixture_scenario)
    texts = ["I'm sorry.", "Sorry about that one.", "I am sorry for it.", "So sorry, honestly.",
             "Sorry again, my friend."]
    turns = [s.reply(t) for t in texts if not s.ended]
    assert turns[-1].anger > turns[-1].anger_before


def test_solution_before_feeling_heard_lands_badly(fixture_scenario):
    s = _session(fixture_scenario)
    t = s.reply("I can send you a replacement kettle.")
    assert t.too_early and t.anger > t.anger_before and not s.ended
    assert t.customer == "You're not listening!"


def test_same_solution_after_listening_resolves(fixture_scenario):
    s = _session(fixture_scenario)
    s.reply("I'm so sorry. Can you tell me what happened?")
    t = s.reply("I can send you a replacement kettle.")
    assert s.outcome == "resolved" and t.ended and t.anger < fixture_scenario.anger_start


def test_parroting_annoys(fixture_scenario):
    s = _session(fixture_scenario)
    s.reply("I'm sorry, can you tell me what happened?")
    t = s.reply("I'm sorry, can you tell me what happened??")
    assert t.parroting and t.anger > t.anger_before


def test_slow_reply_costs_patience_and_the_customer_speaks_up(fixture_scenario):
    s = _session(fixture_scenario)
    t = s.reply("One moment.", seconds=65)  # two patience periods of 30 s
    assert len(t.interjections) == 2
    assert t.effects[0] == ("silence", 20.0)
    assert t.anger >= fixture_scenario.anger_start + 20


def test_blaming_escalates_at_once(fixture_scenario):
    s = _session(fixture_scenario)
    s.reply("That's your fault.")
    assert s.outcome == "escalated"


def test_turns_run_out_unresolved(fixture_scenario):
    s = _session(fixture_scenario)
    for i in range(fixture_scenario.max_turns):
        if s.ended:
            break
        s.reply(f"Reply number {i} about the weather.")
    assert s.outcome in ("unresolved", "walked_out")


def test_customer_never_repeats_a_line_while_alternatives_remain(fixture_scenario):
    s = _session(fixture_scenario)
    said = [s.start()]
    for text in ["Hmm.", "Okay then.", "Right.", "I see."]:
        said.append(s.reply(text).customer)
    pool = [line for line in said if line in fixture_scenario.states["angry"].lines]
    assert len(pool) == len(set(pool))


def test_same_seed_and_replies_replay_identically(fixture_scenario):
    replies = ["Hmm.", "I'm sorry.", "Calm down.", "Tell me what happened?", "A refund then."]

    def play(seed):
        s = _session(fixture_scenario, seed)
        return [s.start()] + [(t.customer, t.anger, t.state) for t in
                              (s.reply(r) for r in replies if not s.ended)]

    assert play(7) == play(7)
    assert play(7) != play(8) or play(7) != play(9)


def test_silence_while_waiting_can_end_the_session(fixture_scenario):
    s = _session(fixture_scenario)
    for _ in range(6):
        s.silence()
    assert s.outcome == "walked_out"


def test_a_scenario_can_add_phrases_of_its_own(tmp_path):
    from tests.conftest import FIXTURES
    from trainer.engine.scenario import load_scenario

    text = (FIXTURES / "shop-en.toml").read_text() + '\n[phrases]\njustifying = ["the kettle factory"]\n'
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    s = Session(load_scenario(path), seed=1)
    s.start()
    assert "justifying" in s.reply("It came from the kettle factory.").categories
