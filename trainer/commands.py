"""The subcommands: each `cmd_*` takes parsed arguments and returns an exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trainer.cli import dump_json, err, use_model
from trainer.engine.categories import LANGUAGES


def _extra_packs(args) -> tuple[Path, ...]:
    return tuple(getattr(args, "g_patterns", []) or []) + tuple(getattr(args, "patterns", []) or [])


def cmd_analyze(args) -> int:
    from trainer.engine.analyzer import Analyzer
    from trainer.engine.patterns import PackError

    packs = _extra_packs(args)
    model = use_model(args)
    try:
        if not args.jsonl:
            if args.text is None:
                err("analyze needs TEXT, or --jsonl to read JSON lines from stdin")
                return 2
            analyzer = Analyzer(args.lang, tuple(args.name), extra_packs=packs, model=model)
            dump_json(analyzer.analyze(args.text).as_dict())
            return 0
        from trainer.engine.analyzer import warm
        from trainer.jsonl import run

        warm((args.lang,), model)  # load the default pack before any worker is forked
        return run(args.lang, packs, model=model)
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
    packs += _extra_packs(args)
    # A trainer's pack that cannot be read is one problem, on its own line, not one per test.
    from trainer.engine.patterns import PackError, pack_with_extras

    broken: set[str] = set()
    for lang in sorted({sc.language for sc in scenarios}):
        try:
            pack_with_extras(lang, packs)
        except PackError as exc:
            broken.add(lang)
            problem = Problem(exc.path, exc.line, exc.message)
            if str(problem) not in {str(p) for p in problems}:
                problems.append(problem)
    tests_run = 0
    model = use_model(args)
    for sc in scenarios:
        problems += list(sc.warnings)
        if sc.language in broken:
            continue  # its self-tests would only repeat the pack's problem
        for test in sc.tests:
            tests_run += 1
            try:
                problems += check_test(sc, test, packs, model)
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
            print(report(sc, packs, model))
    files = len({p.path for p in problems} | {sc.path for sc in scenarios})
    print(f"checked {files} file(s), {len(scenarios)} valid scenario(s), {tests_run} self-test(s): "
          f"{len(errors)} problem(s), {len(warnings)} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return 1
    return 0


# --- scorecards ------------------------------------------------------------------------------
def cmd_review(args) -> int:
    import csv

    from trainer.engine import review
    from trainer.engine.paths import scorecards_dir

    try:
        since = review.parse_day(args.since) if args.since else None
        until = review.parse_day(args.until) if args.until else None
    except ValueError as exc:
        err(str(exc))
        return 2
    folders = args.scorecards or [scorecards_dir(None)]
    for folder in folders:
        if not Path(folder).is_dir():
            err(f"{folder}: no such scorecard folder")
    col = review.collect(folders)
    for s in col.skipped:
        err(f"{s['file']}: skipped: {s['reason']}")
    sessions = review.select(col.sessions, args.trainee, args.cohort, args.scenario, since, until)
    trainees = review.per_trainee(sessions)
    if args.format == "json":
        dump_json({
            "trainees": [{k: v for k, v in t.items() if k != "history"} | {"history": t["history"]}
                         for t in trainees],
            "sessions": [{k: s.get(k) for k in review.FIELDS} | {
                f"skill_{n}": s.get(f"skill_{n}") for n in review.SKILL_NAMES} for s in sessions],
            "skipped": col.skipped,
        })
        return 0
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        cols = list(review.FIELDS) + [f"skill_{n}" for n in review.SKILL_NAMES]
        writer.writerow(cols)
        for s in sessions:
            writer.writerow([review.csv_safe(s.get(c)) for c in cols])
        return 0
    if not sessions:
        print("No scorecards found" + (" for these filters." if col.sessions else "."))
        return 0
    if args.sessions:
        rows = [[s["started"][:16].replace("T", " "), s["trainee"], s["scenario"], s["outcome"],
                 str(s["score"]), f"{s['anger_start']}->{s['anger_end']}", str(s["turns"])]
                for s in sessions]
        _table(["STARTED", "TRAINEE", "SCENARIO", "OUTCOME", "SCORE", "ANGER", "TURNS"], rows)
        return 0
    rows = []
    for t in trainees:
        outcomes = " ".join(f"{k}:{v}" for k, v in sorted(t["outcomes"].items()))
        trend = f"{t['trend']:+g}" if t["sessions"] >= 2 else ""
        rows.append([t["trainee"], str(t["sessions"]), str(t["best"]), f"{t['average']:g}",
                     str(t["latest"]), trend, t["weakest_skill"], outcomes])
    _table(["TRAINEE", "SESSIONS", "BEST", "AVERAGE", "LATEST", "TREND", "WEAKEST", "OUTCOMES"],
           rows)
    return 0


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _table(header: list[str], rows: list[list[str]]) -> None:
    rows = [[_printable(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    widths = [min(w, 40) for w in widths]
    for r in [header] + rows:
        print("  ".join(c[:w].ljust(w) for c, w in zip(r, widths)).rstrip())


def cmd_show(args) -> int:
    import tomllib

    from trainer.engine.report import render_text

    try:
        data = tomllib.loads(args.file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        err(f"{args.file}: no such file")
        return 1
    except IsADirectoryError:
        err(f"{args.file}: is a folder, not a scorecard")
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        err(f"{args.file}: cannot read: {exc}")
        return 1
    except tomllib.TOMLDecodeError as exc:
        err(f"{args.file}: not a scorecard (corrupt TOML: {exc})")
        return 1
    from trainer.engine.review import NotAScorecard, summarize

    try:
        summarize(data, str(args.file))
    except NotAScorecard as exc:
        err(f"{args.file}: {exc}")
        return 1
    sys.stdout.write(render_text(data))
    return 0


# --- authoring -------------------------------------------------------------------------------
def _schema_text() -> str:
    from trainer.engine.schema import scenario_schema

    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args) -> int:
    sys.stdout.write(_schema_text())
    return 0


def cmd_new(args) -> int:
    from importlib import resources

    from trainer.engine.scenario import ID_PATTERN

    if not ID_PATTERN.match(args.id):
        err(f"{args.id!r}: an id is lower-case letters, digits, '-' or '_' (at most 64)")
        return 1
    template = resources.files("trainer.templates").joinpath(f"new-{args.lang}.toml")
    if not template.is_file():
        template = resources.files("trainer.templates").joinpath("new-en.toml")
        err(f"no {args.lang} template yet: writing the English one; set language = "
            f"\"{args.lang}\" and translate it")
    text = template.read_text(encoding="utf-8").replace("{id}", args.id)
    out_dir: Path = args.output
    target = out_dir / f"{args.id}.toml"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        err(f"{target}: already exists; not overwritten")
        return 1
    except OSError as exc:
        err(f"{target}: cannot write: {exc.strerror or exc}")
        return 1
    schema = out_dir / "scenario.schema.json"
    try:
        with open(schema, "x", encoding="utf-8") as f:
            f.write(_schema_text())
        print(f"wrote {target} and {schema}")
    except FileExistsError:
        print(f"wrote {target}")
    except OSError as exc:
        err(f"{schema}: cannot write: {exc.strerror or exc}")
    return 0


def cmd_tui(args) -> int:
    from trainer.tui import run_app

    return run_app(args, serve=bool(getattr(args, "served", False)))


def cmd_serve(args) -> int:
    from trainer.serve import serve

    return serve(args)
