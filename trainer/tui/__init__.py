"""The Textual face of the trainer: a thin layer over trainer.engine."""

from __future__ import annotations


def run_app(args, scenario=None, serve: bool = False) -> int:
    """Build the app from parsed arguments and run it in this terminal."""
    import os
    import sys

    if not serve and not os.environ.get("TEXTUAL_DRIVER") and not (
        sys.stdin.isatty() and sys.stdout.isatty()
    ):
        from trainer.cli import err

        err("the trainer needs a terminal; without one, play headless: "
            "trainer play SCENARIO --script FILE (or - for stdin)")
        return 2
    from trainer.tui.app import TrainerApp, options_from_args

    app = TrainerApp(options_from_args(args, serve=serve), scenario=scenario)
    app.run()
    return app.return_code or 0
