"""Command-line entry point: argument parsing and the headless commands (Textual loads lazily)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from trainer import __version__
from trainer.engine.categories import LANGUAGES


NO_MODEL_HELP = ("analyse replies with the pattern packs alone, without the statistical model "
                 "(docs/model.md)")


def _add_no_model(p: argparse.ArgumentParser, dest: str = "no_model") -> None:
    p.add_argument("--no-model", dest=dest, action="store_true", help=NO_MODEL_HELP)


def add_model_choice(p: argparse.ArgumentParser) -> None:
    """--model (the default, still accepted) or --no-model, one or the other: for `analyze`
    and for the benches that measure the analyzer as it runs."""
    which = p.add_mutually_exclusive_group()
    which.add_argument("--model", action="store_true",
                       help="with the statistical model: the default (kept for scripts written "
                            "when it was not)")
    which.add_argument("--no-model", action="store_true", help=NO_MODEL_HELP)


def use_model(args) -> bool:
    """Whether replies are analysed with the model: yes, unless --no-model (anywhere)."""
    return not (getattr(args, "no_model", False) or getattr(args, "g_no_model", False))


def _add_scenario_dirs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenarios", action="append", default=[], metavar="DIR", type=Path,
                   help="also read every *.toml scenario in DIR (repeatable)")
    p.add_argument("--patterns", action="append", default=[], metavar="FILE", type=Path,
                   help="an extra pattern pack (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Practise calming an angry customer. Without a command: open the trainer.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    # Options of the bare `trainer` (the TUI); kept under their own names so that a
    # subcommand's options of the same name do not overwrite them.
    parser.add_argument("--scenarios", dest="g_scenarios", action="append", default=[],
                        metavar="DIR", type=Path, help="also read every *.toml scenario in DIR")
    parser.add_argument("--patterns", dest="g_patterns", action="append", default=[],
                        metavar="FILE", type=Path, help="an extra pattern pack (repeatable)")
    parser.add_argument("--scorecards", dest="g_scorecards", metavar="DIR", type=Path,
                        help="where scorecards are saved")
    parser.add_argument("--trainee", dest="g_trainee", metavar="NAME", help="the trainee's name")
    parser.add_argument("--cohort", dest="g_cohort", metavar="NAME", help="cohort, for review")
    _add_no_model(parser, dest="g_no_model")
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="the scenarios found")
    _add_scenario_dirs(p)
    p.add_argument("--json", action="store_true", help="a JSON array")

    p = sub.add_parser("play", help="play a scenario (the TUI, or headless with --script)")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario id or a .toml file")
    _add_scenario_dirs(p)
    p.add_argument("--trainee", metavar="NAME")
    p.add_argument("--cohort", metavar="NAME", default=None)
    p.add_argument("--seed", type=int, default=None, metavar="N")
    p.add_argument("--exam", action="store_true", help="no coaching or tips until the end")
    p.add_argument("--scorecards", metavar="DIR", type=Path)
    p.add_argument("--script", metavar="FILE", help="headless: replies from FILE, - for stdin")
    _add_no_model(p)

    p = sub.add_parser("check", help="validate scenarios and run their self-tests")
    p.add_argument("paths", nargs="*", metavar="PATH", type=Path)
    _add_scenario_dirs(p)
    p.add_argument("--coverage", action="store_true", help="report self-test coverage")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    _add_no_model(p)

    p = sub.add_parser("analyze", help="analyse a reply (JSON out)")
    p.add_argument("text", nargs="?", metavar="TEXT")
    p.add_argument("--lang", default="en", choices=LANGUAGES)
    p.add_argument("--name", action="append", default=[], metavar="NAME",
                   help="the customer's name (repeatable)")
    p.add_argument("--jsonl", action="store_true", help="JSON lines on stdin, one result a line")
    p.add_argument("--patterns", action="append", default=[], metavar="FILE", type=Path)
    add_model_choice(p)

    p = sub.add_parser("review", help="saved scorecards, per trainee or per session")
    p.add_argument("--scorecards", action="append", default=[], metavar="DIR", type=Path)
    p.add_argument("--trainee", metavar="NAME")
    p.add_argument("--cohort", metavar="NAME")
    p.add_argument("--scenario", metavar="ID")
    p.add_argument("--since", metavar="DATE")
    p.add_argument("--until", metavar="DATE")
    p.add_argument("--sessions", action="store_true", help="one row per session")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = sub.add_parser("show", help="one scorecard, readable")
    p.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("graph", help="a scenario's state machine as a Mermaid diagram")
    p.add_argument("scenario", metavar="SCENARIO")
    _add_scenario_dirs(p)

    p = sub.add_parser("new", help="write a commented scenario to start from")
    p.add_argument("id", metavar="ID", help="the new scenario's id (also its file name)")
    p.add_argument("--lang", default="en", choices=LANGUAGES,
                   help="the language of the customer and the replies (default: en)")
    p.add_argument("--output", type=Path, default=Path("."), metavar="DIR",
                   help="the folder to write into (default: the current one)")

    sub.add_parser("schema", help="print the scenario JSON Schema")

    p = sub.add_parser("serve", help="the trainer for browsers")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--scorecards", metavar="DIR", type=Path)
    _add_scenario_dirs(p)
    _add_no_model(p)
    return parser


def err(message: str) -> None:
    """One line on stderr."""
    print(f"trainer: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from trainer import commands

        handler = getattr(commands, f"cmd_{args.command or 'tui'}")
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: leave quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # the last guard: one line, never a traceback (TRAINER_DEBUG=1 shows it)
        from trainer.engine.patterns import PackError

        if os.environ.get("TRAINER_DEBUG"):
            raise
        if isinstance(exc, PackError):
            err(str(exc))
        else:
            err(f"internal error: {type(exc).__name__}: {exc} (TRAINER_DEBUG=1 shows the traceback)")
        return 1


def dump_json(obj) -> None:
    # json.dumps, not json.dump: dump streams through the pure-Python encoder (5x slower).
    sys.stdout.write(json.dumps(obj, ensure_ascii=False))
    sys.stdout.write("\n")
