"""The subcommands: each `cmd_*` takes parsed arguments and returns an exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trainer.cli import dump_json, err
from trainer.engine.categories import LANGUAGES


def _extra_packs(args) -> tuple[Path, ...]:
    return tuple(getattr(args, "g_patterns", []) or []) + tuple(getattr(args, "patterns", []) or [])


def cmd_analyze(args) -> int:
    from trainer.engine.analyzer import Analyzer
    from trainer.engine.patterns import PackError

    packs = _extra_packs(args)
    try:
        if not args.jsonl:
            if args.text is None:
                err("analyze needs TEXT, or --jsonl to read JSON lines from stdin")
                return 2
            dump_json(Analyzer(args.lang, tuple(args.name), extra_packs=packs).analyze(args.text).as_dict())
            return 0
        analyzers: dict[tuple, Analyzer] = {}
        status = 0
        out = sys.stdout
        for lineno, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('each line must be an object with a "text" string')
                lang = item.get("lang", args.lang)
                if lang not in LANGUAGES:
                    raise ValueError(f"unknown lang {lang!r}")
                names = item.get("names") or []
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError('"names" must be a list of strings')
                key = (lang, tuple(names))
                analyzer = analyzers.get(key)
                if analyzer is None:
                    if len(analyzers) > 1000:
                        analyzers.clear()
                    analyzer = analyzers[key] = Analyzer(lang, tuple(names), extra_packs=packs)
                result = analyzer.analyze(item["text"]).as_dict()
            except (ValueError, json.JSONDecodeError) as exc:
                result = {"error": f"line {lineno}: {exc}"}
                status = 1
            out.write(json.dumps(result, ensure_ascii=False))
            out.write("\n")
        return status
    except PackError as exc:
        err(str(exc))
        return 1


# --- scenarios -------------------------------------------------------------------------------
def _dirs(args) -> list[Path]:
    return list(getattr(args, "g_scenarios", []) or []) + list(getattr(args, "scenarios", []) or [])


def _print_problems(problems, stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(str(p), file=stream)


def cmd_list(args) -> int:
    from trainer.engine.library import load_library

    lib = load_library(_dirs(args))
    for notice in lib.notices:
        err(notice)
    _print_problems([p for p in lib.problems if not p.warning])
    scenarios = lib.sorted()
    if args.json:
        dump_json([s.summary() for s in scenarios])
        return 0
    if not scenarios:
        print("No scenarios found.")
        return 0
    width = max(len(s.id) for s in scenarios)
    print(f"{'ID':<{width}}  LANG  DIFF  CUSTOMER              TITLE")
    for s in scenarios:
        print(f"{s.id:<{width}}  {s.language:<4}  {'*' * s.difficulty:<5} "
              f"{s.customer.name[:20]:<20}  {s.title}")
    return 0


def _resolve_or_report(args):
    from trainer.engine.library import resolve
    from trainer.engine.scenario import ScenarioError

    try:
        scenario, lib = resolve(args.scenario, _dirs(args))
    except ScenarioError as exc:
        _print_problems([p for p in exc.problems if not p.warning])
        return None, None
    for notice in lib.notices:
        err(notice)
    return scenario, lib


def cmd_graph(args) -> int:
    from trainer.engine.customer import mermaid

    scenario, _lib = _resolve_or_report(args)
    if scenario is None:
        return 1
    sys.stdout.write(mermaid(scenario))
    return 0


def _trainee(args) -> str:
    name = getattr(args, "trainee", None) or getattr(args, "g_trainee", None)
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on this system (containers): still save the scorecard
        return "trainee"


def cmd_play(args) -> int:
    scenario, lib = _resolve_or_report(args)
    if scenario is None:
        return 1
    if args.script is None:
        from trainer.tui import run_app

        return run_app(args, scenario=scenario)
    from trainer.headless import play_script

    return play_script(args, scenario, lib, _trainee(args))


def cmd_check(args) -> int:
    from trainer.engine.library import PACK_SUFFIX, load_library
    from trainer.engine.scenario import Problem, ScenarioError, load_scenario
    from trainer.engine.selftest import check_test

    problems: list = []
    scenarios = []
    packs: tuple[Path, ...] = ()
    if args.paths:
        seen: dict[str, str] = {}
        files: list[Path] = []
        for p in args.paths:
            if p.is_dir():
                found = sorted(x for x in p.glob("*.toml") if not x.name.endswith(PACK_SUFFIX))
                packs += tuple(sorted(p.glob("*" + PACK_SUFFIX)))
                if not found:
                    problems.append(Problem(str(p), 1, "no *.toml scenario files in this folder"))
                files += found
            else:
                files.append(p)
                packs += tuple(sorted(p.parent.glob("*" + PACK_SUFFIX))) if p.parent.is_dir() else ()
        for f in files:
            try:
                sc = load_scenario(f)
            except ScenarioError as exc:
                problems += exc.problems
                continue
            if sc.id in seen:
                problems.append(Problem(str(f), 1, f"duplicate id {sc.id!r}: also in {seen[sc.id]}"))
                continue
            seen[sc.id] = str(f)
            scenarios.append(sc)
    else:
        lib = load_library(_dirs(args))
        problems += lib.problems
        scenarios = lib.sorted()
        packs = tuple(lib.pattern_packs)
    tests_run = 0
    for sc in scenarios:
        problems += list(sc.warnings)
        for test in sc.tests:
            tests_run += 1
            try:
                problems += check_test(sc, test, packs)
            except Exception as exc:  # a self-test must never crash the check
                problems.append(Problem(sc.path, test.line, f"self-test {test.name!r} failed "
                                                            f"to run: {exc}"))
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    for p in sorted(problems, key=lambda p: (p.path, p.line)):
        print(str(p))
    if args.coverage:
        from trainer.engine.coverage import report

        for sc in scenarios:
            print(report(sc, packs))
    print(f"checked {len(scenarios)} scenario(s), {tests_run} self-test(s): "
          f"{len(errors)} problem(s), {len(warnings)} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return 1
    return 0
