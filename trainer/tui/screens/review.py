"""Review: the cohort table from saved scorecards, and one trainee's progress over time."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from trainer.engine import review
from trainer.tui.widgets.chat import literal


class ReviewScreen(Screen):
    """Per trainee: sessions, best, average, latest, trend, weakest skill."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("enter", "open", "History")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.trainees: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-info")
        yield DataTable(id="trainees", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review"
        col = review.collect([self.folder])
        rows = review.per_trainee(review.select(col.sessions))
        self.trainees = {t["trainee"]: t for t in rows}
        info = f"{len(col.sessions)} session(s) in {self.folder}"
        if col.skipped:
            info += f"; {len(col.skipped)} file(s) skipped (not scorecards)"
        self.query_one("#review-info", Static).update(Content(info))
        table = self.query_one("#trainees", DataTable)
        for label in ("Trainee", "Sessions", "Best", "Average", "Latest", "Trend", "Weakest"):
            table.add_column(label)
        for t in rows:
            trend = f"{t['trend']:+g}" if t["sessions"] >= 2 else ""
            table.add_row(Text(literal(t["trainee"])[:30]), str(t["sessions"]), str(t["best"]),
                          f"{t['average']:g}", str(t["latest"]), trend, t["weakest_skill"],
                          key=t["trainee"])
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#trainees", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key in self.trainees:
            self.app.push_screen(TraineeScreen(self.trainees[key]))


class TraineeScreen(Screen):
    """One trainee's sessions and progress."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, trainee: dict) -> None:
        super().__init__()
        self.trainee = trainee

    def compose(self) -> ComposeResult:
        t = self.trainee
        yield Header()
        yield Static(Content.assemble((literal(t["trainee"]), "bold"),
                                      f"  {t['sessions']} session(s), best {t['best']}, average "
                                      f"{t['average']:g}, latest {t['latest']}, weakest skill: "
                                      f"{t['weakest_skill'] or '-'}"), id="trainee-info")
        yield Static(Content("Score over time"), classes="heading")
        scores = [float(h["score"]) for h in t["history"]]
        yield Sparkline(scores if len(scores) > 1 else scores * 2, id="progress",
                        min_color="red", max_color="green")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Trainee history"
        table = self.query_one("#history", DataTable)
        for label in ("Started", "Scenario", "Outcome", "Score"):
            table.add_column(label)
        for h in self.trainee["history"]:
            table.add_row(h["started"][:16].replace("T", " "), Text(h["scenario"]), h["outcome"],
                          str(h["score"]))
