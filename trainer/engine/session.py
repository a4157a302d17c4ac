"""The session runner, a pull API: start() gives the opening line; reply() gives a Turn.

The TUI and the headless `play --script` both drive this one class.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rapidfuzz import fuzz

from trainer.engine import customer as rules
from trainer.engine.analyzer import Analysis, Analyzer, pack_settings
from trainer.engine.categories import BAD, GOOD
from trainer.engine.patterns import parse_phrase
from trainer.engine.scenario import Scenario
from trainer.engine.text import fold

# Replies longer than this are stored cut, so one enormous paste cannot bloat a scorecard.
MAX_STORED_REPLY = 20_000


@dataclass(frozen=True)
class Turn:
    """One reply of the trainee and what it did to the customer."""

    index: int
    reply: str
    seconds: float
    analysis: Analysis
    anger_before: float
    anger: float
    state_before: str
    state: str
    customer: str
    interjections: tuple[str, ...] = ()
    effects: tuple[tuple[str, float], ...] = ()  # (reason, anger change), reason a category
    too_early: bool = False                      #   or too_early / parroting / no_effect / silence
    parroting: bool = False
    ended: bool = False
    outcome: str | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return self.analysis.categories


@dataclass
class Event:
    """A line of the conversation as it happened."""

    speaker: str  # "customer" | "trainee"
    text: str
    kind: str = "line"  # line | opening | silence | reaction | final


def scenario_phrases(scenario: Scenario, settings) -> list:
    """A scenario's own phrases: the solution it accepts (solving) and facts to ask (inviting)."""
    out = []
    for text in scenario.solution:
        out.append(parse_phrase("solving", text, source="scenario:solution",
                                contractions=settings.contractions))
    for text in scenario.facts:
        out.append(parse_phrase("inviting", text, source="scenario:fact",
                                contractions=settings.contractions))
    for category, texts in scenario.phrases:
        for text in texts:
            out.append(parse_phrase(category, text, source="scenario:phrases",
                                    contractions=settings.contractions))
    return [p for p in out if p.slots]


class Session:
    """One conversation with the customer of a scenario."""

    def __init__(self, scenario: Scenario, seed: int | None = None,
                 extra_packs: tuple[Path, ...] = (), mode: str = "practice",
                 model: bool = True) -> None:
        self.scenario = scenario
        self.seed = seed if seed is not None else secrets.randbelow(2**31)
        self.mode = mode
        self.rng = random.Random(self.seed)
        settings = pack_settings(scenario.language, extra_packs)
        self.analyzer = Analyzer(
            scenario.language, scenario.customer.names,
            extra_phrases=scenario_phrases(scenario, settings), extra_packs=extra_packs,
            model=model,
        )
        self.effects = {**rules.DEFAULT_EFFECTS, **scenario.effects}
        self.mood = rules.Mood(scenario)
        self.turns: list[Turn] = []
        self.events: list[Event] = []
        self.said: set[str] = set()
        self.last_line = ""
        self.outcome: str | None = None
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self.elapsed = 0.0
        self._pending: list[str] = []  # silences since the last reply
        self._opened = False
        self.facts_asked: set[str] = set()

    # --- state -------------------------------------------------------------------------------
    @property
    def analyzed_with(self) -> str:
        """"packs+model", or "packs" when the model was switched off or could not be read."""
        return "packs+model" if self.analyzer.model is not None else "packs"

    @property
    def anger(self) -> int:
        return round(self.mood.anger)

    @property
    def state(self) -> str:
        return self.mood.state  # type: ignore[attr-defined]

    @property
    def ended(self) -> bool:
        return self.outcome is not None

    @property
    def anger_history(self) -> list[int]:
        return [self.scenario.anger_start] + [round(t.anger) for t in self.turns]

    @property
    def silences_pending(self) -> int:
        """How many times the customer has spoken up since the last reply."""
        return len(self._pending)

    @property
    def ended_at(self) -> datetime:
        return self.started + timedelta(seconds=round(self.elapsed, 3))

    # --- the pull API ------------------------------------------------------------------------
    def start(self) -> str:
        """The customer's opening line (the same on every call)."""
        if not self._opened:
            self._opened = True
            line = self._pick(self.scenario.customer.opening)
            self.events.append(Event("customer", line, "opening"))
        return self.events[0].text

    def preview(self, text: str) -> Analysis:
        """Analyse a draft without sending it (live coaching)."""
        return self.analyzer.analyze(text)

    def silence(self) -> str | None:
        """The patience ran out before a reply: the customer speaks up, angrier."""
        if self.ended:
            return None
        self.start()
        self.mood.anger = min(100.0, self.mood.anger + rules.SILENCE)
        self._fire(["provoke"])
        if self.mood.current.final:
            line = self._finish_line()
        else:
            line = self._pick(self._reaction("silence") or self.mood.current.lines)
        self._pending.append(line)
        self.events.append(Event("customer", line, "silence"))
        return line

    def reply(self, text: str, seconds: float = 10.0) -> Turn:
        """Send a reply that took `seconds` to write; returns what it did."""
        return self.apply(text, seconds, None)

    def apply(self, text: str, seconds: float, analysis: Analysis | None) -> Turn:
        """A reply with a given analysis (None: analyse it); simulations pass their own."""
        if self.ended:
            raise RuntimeError("the session has ended")
        self.start()
        seconds = max(0.0, float(seconds)) if seconds == seconds else 0.0  # NaN -> 0
        due = min(rules.MAX_SILENCES, int(seconds // self.scenario.patience))
        while len(self._pending) < due and not self.ended:
            self.silence()
        interjections = tuple(self._pending)
        silences = len(self._pending)
        self._pending = []
        self.elapsed += seconds
        stored = text if len(text) <= MAX_STORED_REPLY else text[:MAX_STORED_REPLY]
        self.events.append(Event("trainee", stored))
        if analysis is None:
            analysis = self.analyzer.analyze(text)
        anger_before = self.mood.anger
        state_before = self.state
        index = len(self.turns) + 1
        if self.ended:
            # The customer walked out while waiting: the reply is recorded, not read.
            turn = Turn(index, stored, seconds, analysis, anger_before, anger_before, state_before,
                        self.state, "", interjections, (("silence", rules.SILENCE * silences),),
                        ended=True, outcome=self.outcome)
            self.turns.append(turn)
            return turn

        heard_before = self.mood.heard
        parroting = self._is_parroting(text)
        effects, too_early = self._effects(analysis, heard_before, parroting)
        if silences:
            effects.insert(0, ("silence", float(rules.SILENCE * silences)))
        delta = sum(d for r, d in effects if r != "silence")  # silence already applied
        self.mood.anger = max(0.0, min(100.0, self.mood.anger + delta))
        cats = set(analysis.categories)
        accepted = "solution" in analysis.tags or not self.scenario.solution
        triggers = [f"on_{c}" for c in sorted(cats, key=lambda c: -self.effects.get(c, 0))]
        if "solving" in cats and accepted and heard_before:
            triggers.append("solve")
        triggers += ["provoke", "calm"]
        self._fire(triggers)
        if cats & set(self.scenario.heard_by):
            self.mood.heard = True
        self.facts_asked |= {m.pattern for m in analysis.matches if m.source == "scenario:fact"}

        changed = self.state != state_before
        if self.mood.current.final:
            line = self._finish_line()
        else:
            line = self._answer(analysis, effects, too_early, parroting, changed)
            if index >= self.scenario.max_turns:
                self.outcome = "unresolved"
        self.events.append(Event("customer", line, "final" if self.ended else "reaction"))
        turn = Turn(index, stored, seconds, analysis, anger_before, self.mood.anger, state_before,
                    self.state, line, interjections, tuple(effects), too_early, parroting,
                    self.ended, self.outcome)
        self.turns.append(turn)
        return turn

    def quit(self) -> None:
        """The trainee leaves before the end: the session is abandoned."""
        if not self.ended:
            self.outcome = "abandoned"

    def finish_unresolved(self) -> None:
        """The script ran out before a final state."""
        if not self.ended:
            self.outcome = "unresolved"

    # --- the rules ---------------------------------------------------------------------------
    def _is_parroting(self, text: str) -> bool:
        folded = fold(text).strip()
        if len(folded) < 8:
            return False
        return any(
            fuzz.ratio(folded, fold(t.reply).strip(), score_cutoff=rules.PARROT_SIMILARITY)
            for t in self.turns
        )

    def _effects(self, analysis: Analysis, heard: bool, parroting: bool):
        effects: list[tuple[str, float]] = []
        too_early = False
        earlier = [set(t.categories) for t in self.turns]
        for cat in analysis.categories:
            base = self.effects.get(cat, 0)
            before = sum(cat in e for e in earlier)
            if cat in GOOD:
                if parroting:
                    continue
                if cat == "solving" and not heard:
                    too_early = True
                    effects.append(("too_early", float(rules.SOLVE_TOO_EARLY)))
                    continue
                streak = 0
                for e in reversed(earlier):
                    if cat not in e:
                        break
                    streak += 1
                if streak >= rules.PARROT_STREAK:
                    effects.append((cat, float(rules.PARROT_ANNOY)))
                else:
                    effects.append((cat, round(base * rules.DIMINISH ** before, 1)))
            elif cat in BAD:
                effects.append((cat, round(base * (1 + rules.REPEAT_BAD * before), 1)))
        if parroting:
            effects.append(("parroting", float(rules.PARROTING)))
        if not analysis.categories and not parroting:
            effects.append(("no_effect", float(rules.NO_EFFECT)))
        return effects, too_early

    def _fire(self, triggers: list[str]) -> None:
        before = self.state
        for trig in triggers:
            if trig in self.mood.available():
                self.mood.trigger(trig)  # type: ignore[attr-defined]
                if self.state != before:
                    break
        if self.mood.current.final and self.outcome is None:
            st = self.mood.current
            self.outcome = st.outcome
            if st.outcome == "resolved":
                self.mood.anger = min(self.mood.anger, float(st.anger))
            else:
                self.mood.anger = max(self.mood.anger, float(st.anger))

    def _reaction(self, key: str) -> tuple[str, ...]:
        own = dict(self.mood.current.reactions).get(key)
        return own or self.scenario.reactions.get(key, ())

    def _answer(self, analysis, effects, too_early, parroting, changed) -> str:
        """The customer reacts to the most salient thing the trainee just did."""
        cats = analysis.categories
        bad = sorted((c for c in cats if c in BAD), key=lambda c: -self.effects.get(c, 0))
        for c in bad:
            if self._reaction(c):
                return self._pick(self._reaction(c))
        if parroting and self._reaction("parroting"):
            return self._pick(self._reaction("parroting"))
        if too_early and self._reaction("too_early"):
            return self._pick(self._reaction("too_early"))
        if changed:
            return self._pick(self.mood.current.lines)
        good = sorted((c for c in cats if c in GOOD), key=lambda c: self.effects.get(c, 0))
        for c in good:
            if self._reaction(c) and self.rng.random() < 0.6:
                return self._pick(self._reaction(c))
        if not cats and self._reaction("no_effect"):
            return self._pick(self._reaction("no_effect"))
        return self._pick(self.mood.current.lines)

    def _finish_line(self) -> str:
        return self._pick(self.mood.current.lines)

    def _pick(self, pool) -> str:
        """A line of the pool not said yet this session; when all were, not the last one."""
        pool = list(pool)
        fresh = [line for line in pool if line not in self.said]
        choices = fresh or [line for line in pool if line != self.last_line] or pool
        line = choices[self.rng.randrange(len(choices))]
        self.said.add(line)
        self.last_line = line
        return line
