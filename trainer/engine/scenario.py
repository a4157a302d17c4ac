"""Scenarios: the TOML format read into small frozen dataclasses, with every problem located."""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

from trainer.engine.categories import BAD, CATEGORY_SET, FINAL_OUTCOMES, LANGUAGES
from trainer.engine.patterns import phrase_problem
from trainer.engine.tomlpos import KeyLines

# Reaction keys beyond the categories: what the customer says in situations, not to a behaviour.
SITUATIONS = ("silence", "too_early", "parroting", "no_effect")
TRANSITION_KEYS = ("calm", "provoke", "solve")
MAX_FILE_BYTES = 1_000_000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


@dataclass(frozen=True)
class Problem:
    """A problem in a scenario file, printed as `path:line: message`."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Customer:
    """Who the trainee is talking to."""

    name: str
    addressed_as: tuple[str, ...]
    wants: str
    opening: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.addressed_as)


@dataclass(frozen=True)
class State:
    """A mood of the customer: its anger level, its lines, and where replies lead from it."""

    name: str
    anger: int
    lines: tuple[str, ...]
    outcome: str | None = None  # set for final states
    calm: str | None = None
    provoke: str | None = None
    solve: str | None = None
    on: tuple[tuple[str, str], ...] = ()  # (category, target)
    reactions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def final(self) -> bool:
        return self.outcome is not None

    def targets(self) -> list[tuple[str, str]]:
        out = [(k, getattr(self, k)) for k in TRANSITION_KEYS if getattr(self, k)]
        return out + [(f"on_{c}", t) for c, t in self.on]


@dataclass(frozen=True)
class SelfTest:
    """A reply script and what must hold at its end."""

    name: str
    script: str
    outcome: str
    line_of: Callable[[], int] = field(compare=False, repr=False)
    state: str | None = None
    anger: tuple[int, int] | None = None
    by_turn: int | None = None
    seed: int = 1

    @property
    def line(self) -> int:
        """The test's line in its file (read off the text only when asked: a test failed)."""
        return self.line_of()


@dataclass(frozen=True)
class Scenario:
    """One scenario, as read from its file."""

    id: str
    title: str
    language: str
    difficulty: int
    version: str
    situation: str
    tags: tuple[str, ...]
    customer: Customer
    states: dict[str, State]
    start: str
    reactions: dict[str, tuple[str, ...]]
    effects: dict[str, int]
    max_turns: int
    patience: float
    solution: tuple[str, ...]
    facts: tuple[str, ...]
    phrases: tuple[tuple[str, tuple[str, ...]], ...]  # (category, phrases) this scenario adds
    heard_by: tuple[str, ...]
    tests: tuple[SelfTest, ...]
    path: str
    sha256: str
    bundled: bool = False
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def anger_start(self) -> int:
        return self.states[self.start].anger

    def summary(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "difficulty": self.difficulty,
            "customer": self.customer.name,
            "situation": self.situation,
            "tags": list(self.tags),
            "version": self.version,
            "path": self.path,
            "bundled": self.bundled,
        }


class _Reader:
    """Collects problems while reading values of the parsed TOML, each with its line."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        self._pos: KeyLines | None = None
        self.problems: list[Problem] = []

    def pos_line(self, *key) -> int:
        return self.pos.line(*key)

    @property
    def pos(self) -> KeyLines:
        # Key positions are needed only to report a problem: read them off the text then.
        if self._pos is None:
            self._pos = KeyLines(self.source)
        return self._pos

    def error(self, message: str, *key) -> None:
        self.problems.append(Problem(self.path, self.pos.line(*key), message))

    def warn(self, message: str, *key) -> None:
        self.problems.append(Problem(self.path, self.pos.line(*key), message, warning=True))

    def string(self, table: dict, key: str, *where, required=True, default="") -> str:
        value = table.get(key)
        name = ".".join(str(w) for w in (*where, key))
        if value is None:
            if required:
                self.error(f"missing {name}", *where)
            return default
        if not isinstance(value, str):
            self.error(f"{name} must be a string, not {_type(value)}", *where, key)
            return default
        if required and not value.strip():
            self.error(f"{name} must not be empty", *where, key)
        return value

    def strings(self, table: dict, key: str, *where, required=False, allow_one=True) -> tuple[str, ...]:
        value = table.get(key)
        name = ".".join(str(w) for w in (*where, key))
        if value is None:
            if required:
                self.error(f"missing {name}", *where)
            return ()
        if isinstance(value, str) and allow_one:
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f"{name} must be a list of strings", *where, key)
            return ()
        if any(not v.strip() for v in value):
            self.error(f"{name} has an empty string", *where, key)
        if required and not value:
            self.error(f"{name} must not be empty", *where, key)
        return tuple(v for v in value if v.strip())

    def integer(self, table: dict, key: str, lo: int, hi: int, *where, default=None, required=False):
        value = table.get(key)
        name = ".".join(str(w) for w in (*where, key))
        if value is None:
            if required:
                self.error(f"missing {name}", *where)
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not value.is_integer()
        ):
            self.error(f"{name} must be a whole number, not {_type(value)}", *where, key)
            return default
        if not lo <= value <= hi:
            self.error(f"{name} must be between {lo} and {hi}, not {value}", *where, key)
            return default
        return int(value)

    def table(self, data: dict, key: str, *where, required=False) -> dict:
        value = data.get(key)
        name = ".".join(str(w) for w in (*where, key))
        if value is None:
            if required:
                self.error(f"missing [{name}]", *where)
            return {}
        if not isinstance(value, dict):
            self.error(f"{name} must be a table, not {_type(value)}", *where, key)
            return {}
        return value

    def unknown_keys(self, table: dict, known: tuple[str, ...], *where) -> None:
        for key in table:
            if key not in known:
                name = ".".join(str(w) for w in (*where, key))
                self.warn(f"unknown key {name!r} (ignored)", *where, key)


def _type(value) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


TOP_KEYS = ("id", "title", "language", "difficulty", "version", "situation", "tags", "customer",
            "phrases",
            "limits", "solution", "rules", "effects", "mood", "states", "reactions", "tests")


def parse_scenario(source: str, path: str, *, bundled: bool = False) -> Scenario:
    """Read a scenario from TOML text; raises ScenarioError with every problem found."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        msg = getattr(exc, "msg", None) or re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ScenarioError([Problem(path, line, f"invalid TOML: {msg}")]) from None
    r = _Reader(path, source)
    if "trainee" in data and "turns" in data and "states" not in data:
        raise ScenarioError([Problem(path, 1, "this is a scorecard, not a scenario (keep "
                                              "scorecards out of scenario folders)")])
    r.unknown_keys(data, TOP_KEYS)

    sid = r.string(data, "id")
    if sid and not ID_PATTERN.match(sid):
        r.error("id must be lower-case letters, digits, '-' or '_' (at most 64)", "id")
    title = r.string(data, "title")
    language = r.string(data, "language")
    if language and language not in LANGUAGES:
        r.error(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}", "language")
    difficulty = r.integer(data, "difficulty", 1, 5, default=3, required=True)
    version = data.get("version", "1")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str):
        r.error("version must be a string", "version")
        version = "1"
    situation = r.string(data, "situation")
    tags = r.strings(data, "tags")

    c = r.table(data, "customer", required=True)
    r.unknown_keys(c, ("name", "addressed_as", "wants", "opening"), "customer")
    present = isinstance(data.get("customer"), dict)  # else already reported as missing
    customer = Customer(
        r.string(c, "name", "customer") if present else "",
        r.strings(c, "addressed_as", "customer"),
        r.string(c, "wants", "customer", required=False),
        r.strings(c, "opening", "customer", required=present),
    )

    limits = r.table(data, "limits")
    r.unknown_keys(limits, ("max_turns", "patience_seconds"), "limits")
    max_turns = r.integer(limits, "max_turns", 1, 200, "limits", default=12)
    patience = r.integer(limits, "patience_seconds", 5, 3600, "limits", default=60)

    sol = r.table(data, "solution")
    r.unknown_keys(sol, ("phrases", "facts"), "solution")
    solution = r.strings(sol, "phrases", "solution")
    facts = r.strings(sol, "facts", "solution")
    for key, texts in (("phrases", solution), ("facts", facts)):
        for text in texts:
            if problem := phrase_problem(text):
                r.error(f"solution.{key}: {problem}", "solution", key)

    phrases_raw = r.table(data, "phrases")
    phrases = []
    for cat in phrases_raw:
        if cat not in CATEGORY_SET:
            r.error(f"unknown category {cat!r} in [phrases]", "phrases", cat)
            continue
        texts = r.strings(phrases_raw, cat, "phrases")
        for text in texts:
            if problem := phrase_problem(text):
                r.error(f"phrases.{cat}: {problem}", "phrases", cat)
        if texts:
            phrases.append((cat, texts))

    rules = r.table(data, "rules")
    r.unknown_keys(rules, ("heard_by",), "rules")
    heard_by = r.strings(rules, "heard_by", "rules") or ("acknowledging", "inviting", "summarizing")
    for cat in heard_by:
        if cat not in CATEGORY_SET:
            r.error(f"unknown category {cat!r} in rules.heard_by", "rules", "heard_by")

    effects_raw = r.table(data, "effects")
    effects: dict[str, int] = {}
    for cat in effects_raw:
        if cat not in CATEGORY_SET:
            r.error(f"unknown category {cat!r} in [effects]", "effects", cat)
            continue
        v = r.integer(effects_raw, cat, -50, 50, "effects")
        if v is not None:
            effects[cat] = v

    reactions = _reactions(r, r.table(data, "reactions"), ("reactions",))

    mood = r.table(data, "mood", required=True)
    r.unknown_keys(mood, ("start",), "mood")
    # An empty [mood] table still needs its start; a missing one was reported above.
    start = r.string(mood, "start", "mood") if isinstance(data.get("mood"), dict) else ""

    states_raw = r.table(data, "states", required=True)
    states: dict[str, State] = {}
    for name, st in states_raw.items():
        where = ("states", name)
        if not isinstance(st, dict):
            r.error(f"states.{name} must be a table", *where)
            continue
        r.unknown_keys(st, ("anger", "lines", "outcome", "calm", "provoke", "solve", "on",
                            "reactions"), *where)
        outcome = st.get("outcome")
        if outcome is not None and outcome not in FINAL_OUTCOMES:
            r.error(f"states.{name}.outcome must be one of {', '.join(FINAL_OUTCOMES)}, "
                    f"not {outcome!r}", *where, "outcome")
            outcome = None
        anger = r.integer(st, "anger", 0, 100, *where, default=50, required=True)
        lines = r.strings(st, "lines", *where)
        if not lines:
            r.error(f"state {name!r} has no lines for the customer to say", *where)
        trans = {}
        for key in TRANSITION_KEYS:
            v = st.get(key)
            if v is None:
                continue
            if not isinstance(v, str):
                r.error(f"states.{name}.{key} must be a state name", *where, key)
                continue
            trans[key] = v
        on_raw = r.table(st, "on", *where)
        on = []
        for cat, target in on_raw.items():
            if cat not in CATEGORY_SET:
                r.error(f"unknown category {cat!r} in states.{name}.on", *where, "on", cat)
            elif not isinstance(target, str):
                r.error(f"states.{name}.on.{cat} must be a state name", *where, "on", cat)
            else:
                on.append((cat, target))
        if outcome and (trans or on):
            r.error(f"final state {name!r} (outcome {outcome}) cannot lead anywhere", *where)
        st_reactions = _reactions(r, r.table(st, "reactions", *where), where + ("reactions",))
        states[name] = State(name, anger, lines, outcome, trans.get("calm"), trans.get("provoke"),
                             trans.get("solve"), tuple(on), tuple(st_reactions.items()))

    _check_graph(r, states, start)

    for cat in BAD:
        if cat not in reactions and not any(dict(s.reactions).get(cat) for s in states.values()):
            r.warn(f"no reaction lines for {cat!r}: the customer answers with a mood line",
                   "reactions")

    tests = _tests(r, data.get("tests", []), states)

    errors = [p for p in r.problems if not p.warning]
    if errors:
        raise ScenarioError(sorted(r.problems, key=lambda p: p.line))
    return Scenario(
        id=sid, title=title, language=language, difficulty=difficulty, version=version,
        situation=situation, tags=tags, customer=customer, states=states, start=start,
        reactions=reactions, effects=effects, max_turns=max_turns, patience=float(patience),
        solution=solution, facts=facts, phrases=tuple(phrases), heard_by=tuple(heard_by), tests=tests, path=path,
        sha256=hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(),
        bundled=bundled, warnings=tuple(r.problems),
    )


def _line_from_message(msg: str) -> int:
    m = re.search(r"line (\d+)", msg)
    return int(m.group(1)) if m else 1


def _reactions(r: _Reader, table: dict, where: tuple) -> dict[str, tuple[str, ...]]:
    out = {}
    for key in table:
        if key not in CATEGORY_SET and key not in SITUATIONS:
            r.error(f"unknown category {key!r} in {'.'.join(map(str, where))} (categories: "
                    f"see DOMAIN.md; situations: {', '.join(SITUATIONS)})", *where, key)
            continue
        lines = r.strings(table, key, *where)
        if lines:
            out[key] = lines
    return out


def _check_graph(r: _Reader, states: dict[str, State], start: str) -> None:
    if not states:
        r.error("no states: a scenario needs mood states and final states", "states")
        return
    if start and start not in states:
        r.error(f"mood.start names an unknown state {start!r}", "mood", "start")
        return
    if start and states[start].final:
        r.error("mood.start cannot be a final state", "mood", "start")
    for s in states.values():
        for key, target in s.targets():
            if target not in states:
                where = ("states", s.name, "on", key[3:]) if key.startswith("on_") else (
                    "states", s.name, key)
                r.error(f"states.{s.name}: {key.replace('on_', 'on.')} leads to unknown state "
                        f"{target!r}", *where)
        if not s.final and not s.targets():
            r.error(f"state {s.name!r} is not final and leads nowhere (give it calm, provoke "
                    "or solve, or an outcome)", "states", s.name)
    if not start or start not in states:
        return
    seen = {start}
    queue = deque([start])
    while queue:
        for _k, t in states[queue.popleft()].targets():
            if t in states and t not in seen:
                seen.add(t)
                queue.append(t)
    for name in states:
        if name not in seen:
            r.error(f"state {name!r} cannot be reached from the start state {start!r}",
                    "states", name)
    if not any(states[n].outcome == "resolved" for n in seen):
        r.error("no path from the start state to a state with outcome \"resolved\"", "mood",
                "start")
    if not any(states[n].outcome in ("walked_out", "escalated") for n in seen):
        r.warn("the customer can never walk out or escalate", "mood", "start")


def _tests(r: _Reader, raw, states: dict[str, State]) -> tuple[SelfTest, ...]:
    if not isinstance(raw, list):
        r.error("tests must be an array of tables ([[tests]])", "tests")
        return ()
    out = []
    for i, t in enumerate(raw):
        where = ("tests", i)
        if not isinstance(t, dict):
            r.error(f"tests #{i + 1} must be a table", *where)
            continue
        r.unknown_keys(t, ("name", "script", "outcome", "state", "anger", "by_turn", "seed"), *where)
        name = r.string(t, "name", *where, required=False) or f"test {i + 1}"
        script = r.string(t, "script", *where)
        outcome = r.string(t, "outcome", *where)
        from trainer.engine.categories import OUTCOMES
        if outcome and outcome not in OUTCOMES:
            r.error(f"tests {name!r}: outcome must be one of {', '.join(OUTCOMES)}", *where,
                    "outcome")
        state = t.get("state")
        if state is not None and (not isinstance(state, str) or state not in states):
            r.error(f"tests {name!r}: unknown state {state!r}", *where, "state")
            state = None
        anger = t.get("anger")
        if anger is not None:
            if (not isinstance(anger, list) or len(anger) != 2
                    or not all(isinstance(a, int) and not isinstance(a, bool) for a in anger)
                    or not 0 <= anger[0] <= anger[1] <= 100):
                r.error(f"tests {name!r}: anger must be [low, high] within 0-100", *where, "anger")
                anger = None
            else:
                anger = (anger[0], anger[1])
        by_turn = r.integer(t, "by_turn", 1, 200, *where)
        seed = r.integer(t, "seed", 0, 2**31, *where, default=1)
        out.append(SelfTest(name, script, outcome, functools.partial(r.pos_line, *where), state,
                            anger, by_turn, seed))
    return tuple(out)


def load_scenario(path: Path, *, bundled: bool = False) -> Scenario:
    """Read a scenario file; every failure is a ScenarioError with located problems."""
    label = str(path)
    try:
        if path.is_dir():
            raise ScenarioError([Problem(label, 1, "is a folder, not a scenario file")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError([Problem(label, 1, f"file too large ({size:,} bytes; a scenario "
                                                   f"is at most {MAX_FILE_BYTES:,})")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(label, 1, "no such file")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(label, 1, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(label, line, "not UTF-8 text")]) from None
    if "\x00" in source:
        raise ScenarioError([Problem(label, source[: source.index("\x00")].count("\n") + 1,
                                     "binary data (a NUL byte): not a TOML file")])
    return parse_scenario(source, label, bundled=bundled)
