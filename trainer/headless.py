"""`trainer play --script`: a session driven by a script, printed as plain text."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from trainer.engine.script import parse_script
from trainer.engine.session import Session
from trainer.engine.paths import scorecards_dir
from trainer.engine.storage import Recorder, dumps


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def play_script(args, scenario, lib, trainee: str) -> int:
    from trainer.cli import err

    source = sys.stdin if args.script == "-" else _open_script(args.script)
    if source is None:
        return 1
    mode = "exam" if args.exam else "practice"
    from trainer.cli import use_model

    session = Session(scenario, seed=args.seed, extra_packs=lib.packs_for(scenario.language),
                      mode=mode, model=use_model(args))
    cohort = args.cohort if args.cohort is not None else (getattr(args, "g_cohort", None) or "")
    folder = scorecards_dir(args.scorecards or getattr(args, "g_scorecards", None))
    recorder = Recorder(session, folder, trainee, cohort)
    who = scenario.customer.name

    # SIGTERM/SIGHUP end the session as abandoned with what was said so far on disk.
    def _stop(signum, frame):
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            try:
                signal.signal(sig, _stop)
            except (ValueError, OSError):
                pass

    _out(f"# {scenario.title} ({scenario.id}, {scenario.language}) - seed {session.seed}")
    _out(f"{who}: {session.start()}")
    recorder.save()
    try:
        with source:
            for reply, seconds in parse_script(source):
                turn = session.reply(reply, seconds)
                for line in turn.interjections:
                    _out(f"{who} (after a silence): {line}")
                _out(f"You [+{seconds:g}s]: {_plain(turn.reply)}")
                if mode == "practice":
                    cats = ", ".join(turn.categories) or "nothing recognised"
                    _out(f"    ({cats}; anger {round(turn.anger_before)} -> {round(turn.anger)}, "
                         f"{turn.state})")
                if turn.customer:
                    _out(f"{who}: {turn.customer}")
                elif turn.ended:
                    _out("    (the customer left while waiting: this reply was not read)")
                recorder.save()
                if session.ended:
                    _out("# The conversation has ended: the rest of the script is not read.")
                    break
    except KeyboardInterrupt:
        session.quit()
    session.finish_unresolved()
    path = recorder.save()
    data = recorder.last
    _out(f"# Outcome: {data['outcome']} - score {data['score']}/100 - anger "
         f"{data['anger_start']} -> {data['anger_end']} in {data['turns_taken']} "
         f"turn{'' if data['turns_taken'] == 1 else 's'}")
    if path is None:
        err(recorder.error or "cannot save the scorecard")
        sys.stdout.write(dumps(data))
        sys.stdout.flush()
        return 2
    _out(str(path))
    return 0


def _plain(text: str) -> str:
    # Control characters would drive the terminal; show them as visible escapes instead.
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def _open_script(name: str):
    from trainer.cli import err

    try:
        return open(Path(name), encoding="utf-8", errors="replace")
    except OSError as exc:
        err(f"{name}: cannot read the script: {exc.strerror or exc}")
        return None
