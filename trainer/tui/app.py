"""The trainer app: options, screens, bindings and the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trainer.engine.library import Library, load_library


@dataclass
class Options:
    """What the command line said, for the app."""

    scenario_dirs: list[Path] = field(default_factory=list)
    packs: list[Path] = field(default_factory=list)
    scorecards: Path | None = None
    trainee: str | None = None
    cohort: str = ""
    seed: int | None = None
    exam: bool = False
    serve: bool = False
    bundled: bool = True  # tests and snapshots can show only their own scenarios
    model: bool = True  # analyse with the statistical model too (--no-model: packs alone)


def options_from_args(args, serve: bool = False) -> Options:
    from trainer.cli import use_model

    dirs = list(getattr(args, "g_scenarios", []) or []) + list(getattr(args, "scenarios", []) or [])
    packs = list(getattr(args, "g_patterns", []) or []) + list(getattr(args, "patterns", []) or [])
    return Options(
        scenario_dirs=dirs,
        packs=packs,
        scorecards=getattr(args, "scorecards", None) or getattr(args, "g_scorecards", None),
        trainee=getattr(args, "trainee", None) or getattr(args, "g_trainee", None),
        cohort=(getattr(args, "cohort", None) or getattr(args, "g_cohort", None) or ""),
        seed=getattr(args, "seed", None),
        exam=bool(getattr(args, "exam", False)),
        serve=serve,
        model=use_model(args),
    )


LAST_TRAINEE = "last-trainee"


class TrainerApp(App):
    """Practise calming an angry customer."""

    TITLE = "Angry-customer trainer"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses may live anywhere
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
    ]

    def __init__(self, options: Options | None = None, scenario=None) -> None:
        super().__init__()
        self.options = options or Options()
        self.direct_scenario = scenario
        self.library: Library = Library()
        from trainer.engine.paths import scorecards_dir

        self.scorecards = scorecards_dir(self.options.scorecards)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.library = load_library(self.options.scenario_dirs, bundled=self.options.bundled)
        for notice in self.library.notices:
            self.notify(notice, timeout=6)
        from trainer.tui.screens.picker import PickerScreen

        self.push_screen(PickerScreen())
        if self.direct_scenario is not None:
            self.start_session(self.direct_scenario)

    # --- sessions ------------------------------------------------------------------------------
    def start_session(self, scenario) -> None:
        """Ask for the trainee's name (unless given), then open the session."""
        from trainer.tui.screens.dialogs import NameDialog
        from trainer.tui.screens.session import SessionScreen

        if self.options.trainee:
            self.push_screen(SessionScreen(scenario, self.options.trainee))
            return
        offered = "" if self.options.serve else self.last_trainee()

        def chosen(name: str | None) -> None:
            if name:
                self.remember_trainee(name)
                self.push_screen(SessionScreen(scenario, name))

        self.push_screen(NameDialog(offered, scenario.title), chosen)

    def last_trainee(self) -> str:
        from trainer.engine.paths import cache_dir

        try:
            return (cache_dir() / LAST_TRAINEE).read_text(encoding="utf-8").strip()[:80]
        except (OSError, UnicodeDecodeError):
            return ""

    def remember_trainee(self, name: str) -> None:
        if self.options.serve:
            return  # browsers share this machine: never offer one trainee's name to another
        from trainer.engine.paths import cache_dir

        try:
            cache_dir().mkdir(parents=True, exist_ok=True)
            (cache_dir() / LAST_TRAINEE).write_text(name, encoding="utf-8")
        except OSError:
            pass

    # --- actions -------------------------------------------------------------------------------
    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_review(self) -> None:
        from trainer.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(self.scorecards))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    async def action_quit(self) -> None:
        """Quit cleanly: a session in progress is saved as abandoned first."""
        self.abandon_sessions()
        self.exit()

    def abandon_sessions(self) -> None:
        # Duck-typed, so quitting from the picker does not import the session engine.
        for screen in self.screen_stack:
            abandon = getattr(screen, "abandon", None)
            if abandon is not None:
                abandon()

    def on_unmount(self) -> None:
        self.abandon_sessions()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Review scorecards", "The cohort's saved scorecards",
                            self.action_review)
        yield SystemCommand("Lessons and keys", "What the essays teach, and the keys",
                            self.action_help)
        yield SystemCommand("Light or dark theme", "Switch between the light and dark theme",
                            self.action_toggle_theme)
