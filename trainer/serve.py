"""`trainer serve`: the same Textual app for browsers, one process per browser (textual-serve)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "tui" / "serve_templates"


def child_command(scorecards: Path, scenario_dirs, packs, model: bool = True) -> str:
    """The command each browser's session runs: the TUI, marked as served."""
    parts = [sys.executable, "-m", "trainer", "--served", "--scorecards", str(scorecards)]
    if not model:
        parts.append("--no-model")
    for d in scenario_dirs:
        parts += ["--scenarios", str(Path(d).resolve())]
    for p in packs:
        parts += ["--patterns", str(Path(p).resolve())]
    return shlex.join(parts)


def serve(args) -> int:
    from trainer.cli import err, use_model
    from trainer.engine.paths import scorecards_dir

    try:
        from textual_serve.server import Server
    except ImportError:
        err("trainer serve needs textual-serve: pip install 'angry-customer-trainer[serve]'")
        return 1
    folder = scorecards_dir(args.scorecards).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err(f"{folder}: cannot create the scorecard folder: {exc.strerror or exc}")
        return 1
    dirs = list(getattr(args, "g_scenarios", []) or []) + list(getattr(args, "scenarios", []) or [])
    packs = list(getattr(args, "g_patterns", []) or []) + list(getattr(args, "patterns", []) or [])
    command = child_command(folder, dirs, packs, model=use_model(args))
    server = Server(command, host=args.host, port=args.port, title="Angry-customer trainer",
                    templates_path=TEMPLATES)
    print(f"Serving the trainer on http://{args.host}:{args.port} (Ctrl+C stops it)")
    print(f"Scorecards are saved in {folder}")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("Warning: reachable from other machines on this network, without a password; "
              "see the README.")
    sys.stdout.flush()
    try:
        server.serve()
    except OSError as exc:
        err(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        pass
    print("Stopped.")
    return 0
