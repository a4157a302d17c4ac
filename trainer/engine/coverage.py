"""`trainer check --coverage`: what the self-tests reach, and a random walk of simulated sessions."""

from __future__ import annotations

import random
from collections import Counter

from trainer.engine.analyzer import Analysis, Match
from trainer.engine.categories import BAD, GOOD
from trainer.engine.scenario import Scenario
from trainer.engine.selftest import run_script
from trainer.engine.session import Session

WALKS = 300


def _reaction_keys(scenario: Scenario, session: Session) -> set[str]:
    said = {e.text for e in session.events if e.speaker == "customer"}
    keys = {k for k, pool in scenario.reactions.items() if said & set(pool)}
    for st in scenario.states.values():
        keys |= {k for k, pool in st.reactions if said & set(pool)}
    return keys


def _simulated(rng: random.Random, solution: bool) -> Analysis:
    """A reply as a random set of categories: mostly good, sometimes bad, sometimes nothing."""
    roll = rng.random()
    if roll < 0.1:
        cats: list[str] = []
    elif roll < 0.7:
        cats = rng.sample(GOOD, rng.randint(1, 3))
    elif roll < 0.9:
        cats = rng.sample(BAD, 1)
    else:
        cats = rng.sample(GOOD, 1) + rng.sample(BAD, 1)
    tags = frozenset({"solution"}) if "solving" in cats and solution and rng.random() < 0.7 else frozenset()
    matches = tuple(Match(c, 0, 0, "simulated", 100.0) for c in cats)
    return Analysis("(simulated)", "", matches, False, tags)


def walk(scenario: Scenario, n: int = WALKS, seed: int = 0) -> tuple[Counter, float, set[str]]:
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    turns = 0
    states: set[str] = set()
    for i in range(n):
        s = Session(scenario, seed=seed + i)
        s.start()
        states.add(s.state)
        while not s.ended:
            seconds = rng.choice([5, 10, 20, 40, scenario.patience + 5])
            s.apply(f"(simulated {len(s.turns) + 1})", seconds,
                    _simulated(rng, bool(scenario.solution)))
            states.add(s.state)
        outcomes[s.outcome] += 1
        turns += len(s.turns)
    return outcomes, turns / n, states


def report(scenario: Scenario, packs=()) -> str:
    reached: set[str] = set()
    reactions: set[str] = set()
    for test in scenario.tests:
        session = run_script(scenario, test.script, test.seed, packs)
        reached.add(scenario.start)
        reached |= {t.state for t in session.turns}
        reactions |= _reaction_keys(scenario, session)
    all_keys = set(scenario.reactions) | {k for st in scenario.states.values() for k, _ in st.reactions}
    outcomes, avg_turns, walked = walk(scenario)
    lines = [f"{scenario.path}: coverage of {scenario.id}"]
    lines.append(f"  self-tests: {len(scenario.tests)}; states reached {len(reached)}/"
                 f"{len(scenario.states)}")
    missing = [s for s in scenario.states if s not in reached]
    if missing:
        lines.append(f"  states no self-test reaches: {', '.join(missing)}")
    unused = sorted(all_keys - reactions)
    if unused:
        lines.append(f"  reactions no self-test uses: {', '.join(unused)}")
    total = sum(outcomes.values())
    dist = ", ".join(f"{o} {100 * c / total:.0f}%" for o, c in outcomes.most_common())
    lines.append(f"  random walk of {total} simulated sessions (random replies, mostly good, some "
                 f"bad, some slow): {dist}; average {avg_turns:.1f} turns")
    never = [s for s in scenario.states if s not in walked]
    if never:
        lines.append(f"  states the random walk never reached: {', '.join(never)}")
    return "\n".join(lines)
