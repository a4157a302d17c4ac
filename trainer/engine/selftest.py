"""Running a scenario's self-tests: reply scripts and what must hold at their end."""

from __future__ import annotations

from pathlib import Path

from trainer.engine.scenario import Problem, Scenario, SelfTest
from trainer.engine.script import parse_script
from trainer.engine.session import Session


def run_script(scenario: Scenario, script: str, seed: int = 1,
               extra_packs: tuple[Path, ...] = (), model: bool = True) -> Session:
    """Play a script to its end (or the session's) and return the session."""
    session = Session(scenario, seed=seed, extra_packs=extra_packs, model=model)
    session.start()
    for reply, seconds in parse_script(script.splitlines()):
        session.reply(reply, seconds)
        if session.ended:
            break
    session.finish_unresolved()
    return session


def check_test(scenario: Scenario, test: SelfTest, extra_packs=(),
               model: bool = True) -> list[Problem]:
    """Problems with one self-test (empty when it passes)."""
    session = run_script(scenario, test.script, test.seed, extra_packs, model)
    got = (f"got {session.outcome} (state {session.state}, anger {session.anger}, "
           f"{len(session.turns)} turns)")
    fails = []
    if test.outcome and session.outcome != test.outcome:
        fails.append(f"expected outcome {test.outcome}, {got}")
    if test.state and session.state != test.state:
        fails.append(f"expected final state {test.state}, {got}")
    if test.anger and not test.anger[0] <= session.anger <= test.anger[1]:
        fails.append(f"expected anger within {test.anger[0]}-{test.anger[1]}, {got}")
    if test.by_turn and session.outcome == test.outcome and len(session.turns) > test.by_turn:
        fails.append(f"expected {test.outcome} by turn {test.by_turn}, {got}")
    return [Problem(scenario.path, test.line, f"self-test {test.name!r}: {f}") for f in fails]
