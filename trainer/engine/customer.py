"""The customer's mood: anger arithmetic and one `transitions` state machine per session."""

from __future__ import annotations

from transitions import Machine

from trainer.engine.scenario import Scenario

# How much one reply carrying a category moves anger (0 calm - 100 furious). Bad behaviours
# escalate, some far more than others (DOMAIN.md); a scenario may override any in [effects].
DEFAULT_EFFECTS: dict[str, int] = {
    "acknowledging": -10,
    "apologizing": -8,
    "thanking": -5,
    "naming": -5,
    "inviting": -10,
    "summarizing": -10,
    "owning": -8,
    "solving": -12,
    "justifying": 12,
    "blaming": 22,
    "joking": 18,
    "arguing": 16,
    "condescending": 18,
    "dismissing": 20,
    "shouting": 25,
    "overpromising": 8,
}
# Good behaviours calm with diminishing returns: each earlier use of the category multiplies
# its effect by this, and the fifth in a row (four before it) annoys instead.
DIMINISH = 0.6
PARROT_STREAK = 4
PARROT_ANNOY = 5
# A bad behaviour repeated hurts more each time.
REPEAT_BAD = 0.25
SOLVE_TOO_EARLY = 10  # a solution before the customer feels heard
PARROTING = 8  # a near-duplicate of an earlier reply
PARROT_SIMILARITY = 90  # rapidfuzz ratio at or above which a reply repeats an earlier one
NO_EFFECT = 3  # a reply that does nothing: the customer waits, and it shows
SILENCE = 10  # each patience period without a reply
MAX_SILENCES = 3


class Mood:
    """The model of the state machine: the customer's anger and where replies lead."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.anger = float(scenario.anger_start)
        self.heard = False
        self.machine = Machine(
            model=self,
            states=list(scenario.states),
            transitions=transitions_of(scenario),
            initial=scenario.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=True,
        )

    # Conditions, named in transitions_of() and checked against the destination's anger level.
    def calmed_enough(self, event) -> bool:
        return self.anger <= self.scenario.states[event.transition.dest].anger

    def provoked_enough(self, event) -> bool:
        return self.anger >= self.scenario.states[event.transition.dest].anger

    def felt_heard(self, event) -> bool:
        return self.heard

    @property
    def current(self):
        return self.scenario.states[self.state]  # type: ignore[attr-defined]

    def available(self) -> list[str]:
        return self.machine.get_triggers(self.state)  # type: ignore[attr-defined]


def transitions_of(scenario: Scenario) -> list[dict]:
    """The scenario's transitions in the form `transitions.Machine` takes."""
    out = []
    for s in scenario.states.values():
        if s.calm:
            out.append({"trigger": "calm", "source": s.name, "dest": s.calm,
                        "conditions": "calmed_enough"})
        if s.provoke:
            out.append({"trigger": "provoke", "source": s.name, "dest": s.provoke,
                        "conditions": "provoked_enough"})
        if s.solve:
            out.append({"trigger": "solve", "source": s.name, "dest": s.solve,
                        "conditions": "felt_heard"})
        for cat, target in s.on:
            out.append({"trigger": f"on_{cat}", "source": s.name, "dest": target})
    return out


def mermaid(scenario: Scenario) -> str:
    """The state machine as a Mermaid state diagram (transitions' diagram extension)."""
    from transitions.extensions import GraphMachine

    class _Model:
        pass

    model = _Model()
    GraphMachine(
        model=model,
        states=list(scenario.states),
        transitions=[{k: v for k, v in t.items() if k != "conditions"}
                     for t in transitions_of(scenario)],
        initial=scenario.start,
        auto_transitions=False,
        graph_engine="mermaid",
        title=f"{scenario.title} ({scenario.id})",
        show_conditions=False,
    )
    text = model.get_graph().draw(None)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        # Mermaid's keyword is lower-case `class`; colouring the "active" state is noise here.
        if stripped.startswith("Class ") or stripped.startswith("classDef "):
            continue
        if stripped.startswith("state \""):
            name = stripped.split(" as ")[-1]
            st = scenario.states.get(name)
            if st is not None:
                label = f"{name} ({st.outcome or f'anger {st.anger}'})"
                line = line.replace(f'state "{name}"', f'state "{label}"')
        lines.append(line)
    for s in scenario.states.values():
        if s.final:
            lines.append(f"  {s.name} --> [*]")
    return "\n".join(lines).rstrip() + "\n"
