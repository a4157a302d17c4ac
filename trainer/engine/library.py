"""Finding scenarios: the bundled ones, `--scenarios` folders and `$TRAINER_SCENARIOS`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from trainer.engine.scenario import Problem, Scenario, ScenarioError, load_scenario

ENV_SCENARIOS = "TRAINER_SCENARIOS"
PACK_SUFFIX = ".patterns.toml"


def bundled_dir() -> Path:
    """The bundled scenarios: inside the wheel, or the repository's scenarios/ in a checkout."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "_bundled_scenarios"
    if inside.is_dir():
        return inside
    return here.parent / "scenarios"


def user_dirs(extra: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """Folders named on the command line, then those of $TRAINER_SCENARIOS."""
    dirs = [Path(d) for d in extra]
    env = os.environ.get(ENV_SCENARIOS, "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d.strip()]
    return dirs


def _scenario_files(folder: Path) -> list[Path]:
    try:
        return sorted(
            p for p in folder.glob("*.toml")
            if not p.name.endswith(PACK_SUFFIX) and not p.name.startswith(".")
        )
    except OSError:
        return []


@dataclass
class Library:
    """Every scenario found, with the problems met on the way."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    pattern_packs: list[Path] = field(default_factory=list)

    def sorted(self) -> list[Scenario]:
        return sorted(self.scenarios.values(), key=lambda s: (s.language, s.difficulty, s.id))

    def packs_for(self, language: str) -> tuple[Path, ...]:
        """Extra pattern packs found beside scenarios (each applies to its own language only)."""
        return tuple(self.pattern_packs)


def load_library(extra_dirs: list[Path] | tuple[Path, ...] = (), *, bundled: bool = True) -> Library:
    """Load every scenario; a user scenario with a bundled id replaces it (with a notice)."""
    lib = Library()
    if bundled:
        for path in _scenario_files(bundled_dir()):
            try:
                sc = load_scenario(path, bundled=True)
            except ScenarioError as exc:
                lib.problems += exc.problems
                continue
            lib.scenarios[sc.id] = sc
    seen_user: dict[str, str] = {}
    for folder in user_dirs(extra_dirs):
        if not folder.is_dir():
            lib.problems.append(Problem(str(folder), 1, "scenario folder not found"))
            continue
        lib.pattern_packs += sorted(folder.glob("*" + PACK_SUFFIX))
        for path in _scenario_files(folder):
            try:
                sc = load_scenario(path)
            except ScenarioError as exc:
                lib.problems += exc.problems
                continue
            if sc.id in seen_user:
                lib.problems.append(Problem(str(path), 1, f"duplicate id {sc.id!r}: also in "
                                                          f"{seen_user[sc.id]}"))
                continue
            seen_user[sc.id] = str(path)
            if sc.id in lib.scenarios and lib.scenarios[sc.id].bundled:
                lib.notices.append(f"{path}: replaces the bundled scenario {sc.id!r}")
            lib.scenarios[sc.id] = sc
    return lib


def resolve(ref: str, extra_dirs=()) -> tuple[Scenario, Library]:
    """A scenario by id, or by path to a .toml file; ScenarioError when it cannot be had."""
    p = Path(ref)
    if ref.endswith(".toml") or os.sep in ref or (os.altsep and os.altsep in ref):
        lib = Library()
        for folder in user_dirs(extra_dirs):
            if folder.is_dir():
                lib.pattern_packs += sorted(folder.glob("*" + PACK_SUFFIX))
        if p.parent.is_dir():
            lib.pattern_packs += sorted(p.parent.glob("*" + PACK_SUFFIX))
        sc = load_scenario(p)
        lib.scenarios[sc.id] = sc
        return sc, lib
    lib = load_library(extra_dirs)
    if ref in lib.scenarios:
        return lib.scenarios[ref], lib
    known = ", ".join(sorted(lib.scenarios)) or "none"
    raise ScenarioError([Problem(ref, 1, f"no scenario with id {ref!r} (known: {known})")])
