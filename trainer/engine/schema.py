"""The scenario format as a JSON Schema (draft-07, what Taplo and Even Better TOML understand)."""

from __future__ import annotations

from trainer.engine.categories import CATEGORIES, FINAL_OUTCOMES, LANGUAGES, OUTCOMES
from trainer.engine.scenario import SITUATIONS

_LINES = {
    "description": "A line, or a list of lines (one is picked).",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
}
_REACTIONS = {
    "type": "object",
    "description": "What the customer says back, keyed by behaviour category or situation.",
    "propertyNames": {"enum": list(CATEGORIES) + list(SITUATIONS)},
    "additionalProperties": _LINES,
}
_STATE_NAME = {"type": "string", "minLength": 1}


def scenario_schema() -> dict:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://angry-customer-trainer.invalid/scenario.schema.json",
        "title": "Angry-customer trainer scenario",
        "description": "A scenario: the customer, their moods, and self-tests. See docs/authoring.md.",
        "type": "object",
        "required": ["id", "title", "language", "difficulty", "situation", "customer", "mood",
                     "states"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$",
                   "description": "Unique id, used on the command line."},
            "title": {"type": "string", "minLength": 1},
            "language": {"enum": list(LANGUAGES)},
            "difficulty": {"type": "integer", "minimum": 1, "maximum": 5},
            "version": {"type": "string", "description": "Your revision; saved in scorecards."},
            "situation": {"type": "string", "minLength": 1,
                          "description": "What the trainee is told."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "customer": {
                "type": "object",
                "required": ["name", "opening"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "addressed_as": {"type": "array", "items": {"type": "string"}},
                    "wants": {"type": "string"},
                    "opening": _LINES,
                },
            },
            "limits": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "max_turns": {"type": "integer", "minimum": 1, "maximum": 200},
                    "patience_seconds": {"type": "integer", "minimum": 5, "maximum": 3600},
                },
            },
            "solution": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "phrases": {"type": "array", "items": {"type": "string"}},
                    "facts": {"type": "array", "items": {"type": "string"}},
                },
            },
            "phrases": {
                "type": "object",
                "description": "Phrases this scenario adds to the analyzer, by category.",
                "propertyNames": {"enum": list(CATEGORIES)},
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "rules": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"heard_by": {"type": "array", "items": {"enum": list(CATEGORIES)}}},
            },
            "effects": {
                "type": "object",
                "propertyNames": {"enum": list(CATEGORIES)},
                "additionalProperties": {"type": "integer", "minimum": -50, "maximum": 50},
            },
            "mood": {
                "type": "object",
                "required": ["start"],
                "additionalProperties": False,
                "properties": {"start": _STATE_NAME},
            },
            "states": {
                "type": "object",
                "minProperties": 2,
                "additionalProperties": {
                    "type": "object",
                    "required": ["anger", "lines"],
                    "additionalProperties": False,
                    "properties": {
                        "anger": {"type": "integer", "minimum": 0, "maximum": 100},
                        "lines": _LINES,
                        "outcome": {"enum": list(FINAL_OUTCOMES)},
                        "calm": _STATE_NAME,
                        "provoke": _STATE_NAME,
                        "solve": _STATE_NAME,
                        "on": {"type": "object", "propertyNames": {"enum": list(CATEGORIES)},
                               "additionalProperties": _STATE_NAME},
                        "reactions": _REACTIONS,
                    },
                },
            },
            "reactions": _REACTIONS,
            "tests": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["script", "outcome"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "script": {"type": "string"},
                        "outcome": {"enum": [o for o in OUTCOMES if o != "abandoned"]},
                        "state": {"type": "string"},
                        "anger": {"type": "array", "items": {"type": "integer", "minimum": 0,
                                                             "maximum": 100},
                                  "minItems": 2, "maxItems": 2},
                        "by_turn": {"type": "integer", "minimum": 1},
                        "seed": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    }
