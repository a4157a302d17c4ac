"""The engine: scenarios, analysis, the customer's mood, scoring and storage (no Textual)."""
