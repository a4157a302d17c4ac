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


# Simulated trainees: chances of a reply showing nothing, good behaviour only, one bad
# behaviour, or both; and the chance of a reply slower than the customer's patience.
PROFILES = {
    "attentive": {"nothing": 0.05, "good": 0.9, "bad": 0.03, "slow": 0.0},
    "careless": {"nothing": 0.1, "good": 0.6, "bad": 0.2, "slow": 0.2},
}


def _simulated(rng: random.Random, solution: bool, profile: dict) -> Analysis:
    """A reply as a random set of categories, drawn by the trainee profile."""
    roll = rng.random()
    if roll < profile["nothing"]:
        cats: list[str] = []
    elif roll < profile["nothing"] + profile["good"]:
        cats = rng.sample(GOOD, rng.randint(1, 3))
    elif roll < profile["nothing"] + profile["good"] + profile["bad"]:
        cats = rng.sample(BAD, 1)
    else:
        cats = rng.sample(GOOD, 1) + rng.sample(BAD, 1)
    tags = frozenset({"solution"}) if "solving" in cats and solution and rng.random() < 0.7 else frozenset()
    matches = tuple(Match(c, 0, 0, "simulated", 100.0) for c in cats)
    return Analysis("(simulated)", "", matches, False, tags)


def walk(scenario: Scenario, profile: str = "careless", n: int = WALKS,
         seed: int = 0) -> tuple[Counter, float, set[str]]:
    """Play n simulated sessions; returns outcomes, average turns and the states reached."""
    rng = random.Random(seed)
    prof = PROFILES[profile]
    outcomes: Counter = Counter()
    turns = 0
    states: set[str] = set()
    for i in range(n):
        s = Session(scenario, seed=seed + i)
        s.start()
        states.add(s.state)
        while not s.ended:
            slow = rng.random() < prof["slow"]
            seconds = scenario.patience + 5 if slow else rng.choice([5, 10, 20])
            # A random text: simulated replies must not read as repeats of each other.
            text = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=24))
            s.apply(text, seconds,
                    _simulated(rng, bool(scenario.solution), prof))
            states.add(s.state)
        outcomes[s.outcome] += 1
        turns += len(s.turns)
    return outcomes, turns / n, states


def report(scenario: Scenario, packs=(), model: bool = True) -> str:
    reached: set[str] = set()
    reactions: set[str] = set()
    for test in scenario.tests:
        session = run_script(scenario, test.script, test.seed, packs, model)
        reached.add(scenario.start)
        reached |= {t.state for t in session.turns}
        reactions |= _reaction_keys(scenario, session)
    all_keys = set(scenario.reactions) | {k for st in scenario.states.values() for k, _ in st.reactions}
    lines = [f"{scenario.path}: coverage of {scenario.id}"]
    lines.append(f"  self-tests: {len(scenario.tests)}; states reached {len(reached)}/"
                 f"{len(scenario.states)}")
    missing = [s for s in scenario.states if s not in reached]
    if missing:
        lines.append(f"  states no self-test reaches: {', '.join(missing)}")
    unused = sorted(all_keys - reactions)
    if unused:
        lines.append(f"  reactions no self-test uses: {', '.join(unused)}")
    walked: set[str] = set()
    for profile, what in (("attentive", "mostly good replies, in time"),
                          ("careless", "a random mix: some bad, some slow")):
        outcomes, avg_turns, reached = walk(scenario, profile)
        walked |= reached
        total = sum(outcomes.values())
        dist = ", ".join(f"{o} {100 * c / total:.0f}%" for o, c in outcomes.most_common())
        lines.append(f"  {total} simulated {profile} trainees ({what}): {dist}; "
                     f"average {avg_turns:.1f} turns")
    never = [s for s in scenario.states if s not in walked]
    if never:
        lines.append(f"  states no simulated trainee reached: {', '.join(never)}")
    return "\n".join(lines)
