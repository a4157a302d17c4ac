"""The reply box: an Input that does not lay out the whole screen again on every key."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class ReplyInput(Input):
    """Textual's Input sets its virtual size (the width of its text, for scrolling) on every
    change, and a virtual size is a layout reactive: each key then lays out every widget on the
    screen, the whole chat included, which was half of what a key cost in a long session. The
    box has a fixed height, so nothing around it moves when its text grows: the new width is
    stored without that pass (the box still repaints, and scrolls to the cursor as before)."""

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
