"""TUI speed: time to the first screen of `trainer` vs a bare Textual app, and typing cost.

    python bench/tui_bench.py [--runs 5] [--keys 200]

First screen: a fresh process per run, headless, from interpreter start until the first screen
(for the trainer: the scenario picker, filled) has been painted; then the app exits. The bare app has a Header, an Input and a Footer.
Typing: 200 keystrokes into the reply box of a session with live coaching on; for each, the
time the app spends handling it (the key, the Input's change, the analysis and the coaching
update), measured inside the app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import time
from textual.app import App
from textual.widgets import Header, Input, Footer
class Bare(App):
    def compose(self):
        yield Header(); yield Input(); yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(100, 30))
"""

TRAINER = """
from trainer.tui.app import TrainerApp, Options
from trainer.tui.screens.picker import PickerScreen
class Timed(PickerScreen):
    def on_mount(self):
        # Textual runs PickerScreen.on_mount too (handlers of every class in the MRO).
        self.call_after_refresh(self.app.exit)
class App(TrainerApp):
    def push_screen(self, screen, *args, **kwargs):
        if type(screen) is PickerScreen:
            screen = Timed()
        return super().push_screen(screen, *args, **kwargs)
App(Options()).run(headless=True, size=(100, 30))
"""


def first_screen(code: str, runs: int) -> float:
    times = []
    env = {**os.environ, "TRAINER_CACHE": tempfile.mkdtemp()}
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


async def typing(keys: int) -> list[float]:
    from trainer.engine.library import load_library
    from trainer.tui.app import Options, TrainerApp
    from trainer.tui.screens.session import SessionScreen

    costs: list[float] = []

    original = SessionScreen.on_input_changed

    def timed(self, event):
        t0 = time.perf_counter()
        original(self, event)
        costs.append(time.perf_counter() - t0)

    SessionScreen.on_input_changed = timed  # type: ignore[method-assign]
    lib = load_library()
    scenario = lib.scenarios.get("late-sofa-en") or lib.sorted()[0]
    app = TrainerApp(Options(trainee="bench", scorecards=Path(tempfile.mkdtemp())), scenario)
    text = ("Karen I am so sorry this happened, I understand how frustrating it is. Can you tell "
            "me what happened? I will deliver it tomorrow in the first slot, thank you. ") * 3
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        reply = screen.query_one("#reply")
        key_costs = []
        for ch in text[:keys]:
            t0 = time.perf_counter()
            # What a key press does in the app: the Input inserts the character, posts
            # Changed, and the screen handles it (analysis and coaching update).
            reply.insert_text_at_cursor(ch)
            await pilot.pause(0)
            key_costs.append(time.perf_counter() - t0)
    return costs, key_costs


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keys", type=int, default=200)
    args = ap.parse_args()
    bare = first_screen(BARE, args.runs)
    ours = first_screen(TRAINER, args.runs)
    print(f"first screen (median of {args.runs} processes): bare Textual app {bare * 1000:.0f} ms, "
          f"trainer {ours * 1000:.0f} ms, ratio {ours / bare:.2f} (target <= 1.5)")
    handler, per_key = asyncio.run(typing(args.keys))
    print(f"typing {len(per_key)} keys with live coaching: coaching handler p50 "
          f"{pct(handler, 0.5) * 1000:.2f} ms, p99 {pct(handler, 0.99) * 1000:.2f} ms, max "
          f"{max(handler) * 1000:.2f} ms")
    print(f"  whole key (insert, Changed message, handler, until idle): p50 "
          f"{pct(per_key, 0.5) * 1000:.2f} ms, p99 {pct(per_key, 0.99) * 1000:.2f} ms, max "
          f"{max(per_key) * 1000:.2f} ms (target p99 <= 16 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
