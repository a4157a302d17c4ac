"""Loading and validating scenario files: every problem at once, located as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.engine.scenario import ScenarioError, load_scenario

FIXTURE = Path(__file__).parent / "fixtures" / "shop-en.toml"


def _problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return [str(p) for p in exc.value.problems if not p.warning]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_fixture_loads():
    sc = load_scenario(FIXTURE)
    assert sc.id == "shop-en" and sc.start == "angry" and sc.anger_start == 70


def test_transition_to_unknown_state_is_reported_on_its_line(tmp_path):
    text = FIXTURE.read_text().replace('calm = "calmer"', 'calm = "calmr"')
    problems = _problems(tmp_path, text)
    line = _line_of(text, 'calm = "calmr"')
    assert any(p.startswith(f"{tmp_path / 's.toml'}:{line}:") and "unknown state 'calmr'" in p
               for p in problems), problems


def test_unknown_category_in_reactions(tmp_path):
    text = FIXTURE.read_text().replace("joking = [", "jokes = [")
    problems = _problems(tmp_path, text)
    assert any(f":{_line_of(text, 'jokes = [')}:" in p and "unknown category 'jokes'" in p
               for p in problems)


def test_unreachable_state(tmp_path):
    text = FIXTURE.read_text() + '\n[states.lost]\nanger = 50\nlines = ["x"]\ncalm = "resolved"\n'
    problems = _problems(tmp_path, text)
    assert any("'lost' cannot be reached" in p for p in problems)


def test_no_path_to_resolved(tmp_path):
    text = (FIXTURE.read_text().replace('solve = "resolved"\n', "")
            .replace('outcome = "resolved"', 'outcome = "escalated"'))
    problems = _problems(tmp_path, text)
    assert any('no path from the start state to a state with outcome "resolved"' in p
               for p in problems)


def test_state_without_lines(tmp_path):
    text = FIXTURE.read_text().replace('lines = ["Okay.", "Go on.", "Fine."]', "lines = []")
    problems = _problems(tmp_path, text)
    assert any("state 'calmer' has no lines" in p for p in problems)


def test_wrong_types_are_reported_together(tmp_path):
    text = (FIXTURE.read_text().replace("difficulty = 1", 'difficulty = "easy"')
            .replace("anger = 45", 'anger = "medium"'))
    problems = _problems(tmp_path, text)
    assert any(f":{_line_of(text, 'difficulty =')}:" in p and "difficulty" in p for p in problems)
    anger_line = _line_of(text, "anger = \"medium\"")
    assert any(f":{anger_line}:" in p and "anger" in p for p in problems)


def test_broken_toml_gives_its_line(tmp_path):
    text = FIXTURE.read_text().replace('title = "Broken kettle"', 'title = "Broken kettle')
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and "invalid TOML" in problems[0]
    assert f":{_line_of(text, 'title =')}:" in problems[0]


def test_missing_required_keys(tmp_path):
    problems = _problems(tmp_path, 'id = "x"\n')
    for key in ("title", "language", "situation", "[customer]", "[mood]", "[states]"):
        assert any(key in p for p in problems), key


def test_not_utf8_binary_and_folder(tmp_path):
    bad = tmp_path / "latin.toml"
    bad.write_bytes('title = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(bad)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"id = 1\n\x00\x01\x02")
    with pytest.raises(ScenarioError, match="binary"):
        load_scenario(binary)
    folder = tmp_path / "x.toml"
    folder.mkdir()
    with pytest.raises(ScenarioError, match="folder"):
        load_scenario(folder)


def test_unknown_key_is_a_warning(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("titel = 'x'\n" + FIXTURE.read_text(), encoding="utf-8")
    sc = load_scenario(path)
    assert any(p.warning and "titel" in p.message and p.line == 1 for p in sc.warnings)


def test_duplicate_ids_in_user_folders_are_an_error(tmp_path):
    from trainer.engine.library import load_library

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "s.toml").write_text(FIXTURE.read_text(), encoding="utf-8")
    lib = load_library([tmp_path / "a", tmp_path / "b"], bundled=False)
    assert any("duplicate id 'shop-en'" in str(p) for p in lib.problems)


def test_an_empty_customer_table_is_reported(tmp_path):
    # Found by the property test: `[customer]` with nothing in it used to crash the session.
    text = FIXTURE.read_text()
    start = text.index("[customer]")
    end = text.index("[limits]")
    problems = _problems(tmp_path, text[:start] + "[customer]\n\n" + text[end:])
    assert any("missing customer.name" in p for p in problems)
    assert any("missing customer.opening" in p for p in problems)


def test_an_empty_mood_table_is_reported(tmp_path):
    # Found by the property test: `[mood]` without `start` used to crash the session.
    text = FIXTURE.read_text().replace('start = "angry"\n', "")
    problems = _problems(tmp_path, text)
    assert any("missing mood.start" in p for p in problems)


def test_a_multi_word_alternative_is_reported_on_its_line(tmp_path):
    """"vvs-mand" in `a|vvs-mand` would silently need an extra word; the check says so."""
    text = FIXTURE.read_text().replace('phrases = ["replacement kettle", "refund"]',
                                       'phrases = ["replacement kettle|e-kettle", "refund"]')
    problems = _problems(tmp_path, text)
    line = _line_of(text, "e-kettle")
    assert any(f":{line}:" in p and "'e-kettle'" in p and "more than one word" in p
               for p in problems), problems
