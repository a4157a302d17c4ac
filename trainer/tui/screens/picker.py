"""The start screen: the scenario picker, filtered as you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from trainer.tui.widgets.chat import literal


def one_line(text: str, width: int = 60) -> str:
    text = " ".join(literal(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class PickerScreen(Screen):
    """Choose a scenario."""

    BINDINGS = [
        Binding("enter", "choose", "Start", show=True),
        Binding("ctrl+r", "app.review", "Review"),
        Binding("ctrl+f", "focus_filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: title, language, customer, tag…", id="filter")
        yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        yield Static(id="situation")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Choose a scenario"
        table = self.query_one("#scenarios", DataTable)
        table.add_column("Scenario", key="title")
        table.add_column("Lang", key="lang")
        table.add_column("Difficulty", key="difficulty")
        table.add_column("Customer", key="customer")
        table.add_column("Situation", key="situation")
        self.refill("")
        # Filter as you type: the filter has the focus; arrow keys move in the table.
        self.query_one("#filter", Input).focus()
        problems = [p for p in self.app.library.problems if not p.warning]
        if problems:
            self.notify(f"{len(problems)} scenario problem(s): run `trainer check`",
                        severity="warning", timeout=6)

    def refill(self, query: str) -> None:
        table = self.query_one("#scenarios", DataTable)
        table.clear()
        words = query.casefold().split()
        for sc in self.app.library.sorted():
            hay = " ".join([sc.id, sc.title, sc.language, sc.customer.name, sc.situation,
                            *sc.tags, f"d{sc.difficulty}"]).casefold()
            if all(w in hay for w in words):
                # Rich Text cells: shown literally (a string cell would be read as markup).
                table.add_row(
                    Text(one_line(sc.title, 34)), sc.language, "★" * sc.difficulty,
                    Text(one_line(sc.customer.name, 22)), Text(one_line(sc.situation)),
                    key=sc.id,
                )
        self.show_situation()

    def selected(self):
        table = self.query_one("#scenarios", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.app.library.scenarios.get(key)

    def show_situation(self) -> None:
        sc = self.selected()
        box = self.query_one("#situation", Static)
        if sc is None:
            box.update("No scenario matches the filter." if self.app.library.scenarios
                       else "No scenarios found.")
            return
        box.update(Content.assemble((literal(sc.title), "bold"), f"  ({sc.language}, difficulty "
                                    f"{sc.difficulty})\n", literal(sc.situation)))

    def on_key(self, event) -> None:
        table = self.query_one("#scenarios", DataTable)
        if self.focused is self.query_one("#filter", Input) and event.key in (
            "down", "up", "pagedown", "pageup"
        ):
            getattr(table, f"action_{'cursor_' if event.key in ('down', 'up') else ''}"
                           f"{event.key.replace('pagedown', 'page_down').replace('pageup', 'page_up')}")()
            event.stop()
            event.prevent_default()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.action_choose()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_situation()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        sc = self.selected()
        if sc is not None:
            self.app.start_session(sc)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#scenarios", DataTable).focus()
