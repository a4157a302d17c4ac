"""The commands of CONTRACT.md, run as a user runs them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

EXEMPLARY = "Sam, I'm so sorry. Can you tell me what happened?\nI can send you a replacement kettle today.\n"
POOR = "Our policy says no.\nCalm down, it's just a kettle haha\nThat's not true!!!\n"


def test_help_and_version():
    assert run_cli("--help").returncode == 0
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.startswith("trainer ")


def test_list_json_has_contract_keys():
    out = run_cli("list", "--json", "--scenarios", str(FIXTURES))
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    ids = {i["id"] for i in items}
    assert "shop-en" in ids and "late-sofa-en" in ids
    for item in items:
        assert {"id", "title", "language", "difficulty", "customer", "path"} <= set(item)


def test_env_scenarios_folder_is_read():
    out = run_cli("list", "--json", env={"TRAINER_SCENARIOS": str(FIXTURES)})
    assert "shop-en" in {i["id"] for i in json.loads(out.stdout)}


def test_play_script_exemplary_resolves_and_saves(tmp_path):
    cards = tmp_path / "cards"
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "3",
                  "--scorecards", str(cards), "--trainee", "Ada", input=EXEMPLARY)
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip().splitlines()[-1])
    assert path.parent == cards and path.exists()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["outcome"] == "resolved" and data["trainee"] == "Ada"
    assert data["anger_end"] < data["anger_start"]
    for key in ("schema", "cohort", "scenario", "scenario_version", "scenario_sha256", "language",
                "mode", "started", "ended", "seed", "score", "counts", "turns"):
        assert key in data
    assert set(data["counts"]) == {
        "acknowledging", "apologizing", "thanking", "naming", "inviting", "summarizing", "owning",
        "solving", "justifying", "blaming", "joking", "arguing", "condescending", "dismissing",
        "shouting", "overpromising"}
    for t in data["turns"]:
        assert {"reply", "categories", "seconds", "anger", "state", "customer"} <= set(t)


def test_play_script_poor_loses_the_customer(tmp_path):
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "3",
                  "--scorecards", str(tmp_path), input=POOR)
    data = tomllib.loads(Path(out.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8"))
    assert data["outcome"] in ("walked_out", "escalated")


def test_same_script_and_seed_replay_identically(tmp_path):
    outs = [run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "9",
                    "--scorecards", str(tmp_path), input=POOR + EXEMPLARY).stdout
            for _ in range(2)]
    strip = [o.strip().splitlines()[:-1] for o in outs]  # the last line is the (unique) path
    assert strip[0] == strip[1]


def test_patience_prefix_makes_the_customer_speak_up(tmp_path):
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "1",
                  "--scorecards", str(tmp_path), input="[+35s] Hmm, one moment.\n")
    assert "(after a silence)" in out.stdout
    data = tomllib.loads(Path(out.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8"))
    assert data["turns"][0]["seconds"] == 35


def test_script_ending_early_is_unresolved(tmp_path):
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "1",
                  "--scorecards", str(tmp_path), input="Hmm.\n\n")
    data = tomllib.loads(Path(out.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8"))
    assert data["outcome"] == "unresolved" and len(data["turns"]) == 1


def test_unwritable_scorecards_folder_prints_the_scorecard_and_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-",
                  "--scorecards", str(blocker / "sub"), input=EXEMPLARY)
    assert out.returncode == 2
    assert "cannot save the scorecard" in out.stderr and "Traceback" not in out.stderr
    body = out.stdout[out.stdout.index("schema = "):]
    assert tomllib.loads(body)["outcome"] == "resolved"


def test_unknown_scenario_is_one_line(tmp_path):
    out = run_cli("play", "no-such-scenario", "--script", "-", input="")
    assert out.returncode == 1 and "no scenario with id" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_passes_on_bundled_scenarios():
    out = run_cli("check")
    assert out.returncode == 0, out.stdout + out.stderr


def test_check_reports_problems_as_path_line_message(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text((FIXTURES / "shop-en.toml").read_text().replace('calm = "calmer"',
                                                                   'calm = "nowhere"'))
    out = run_cli("check", str(bad))
    assert out.returncode == 1
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert lines and all(line.startswith(f"{bad}:") for line in lines)
    assert "unknown state 'nowhere'" in out.stdout


def test_graph_prints_mermaid():
    out = run_cli("graph", str(FIXTURES / "shop-en.toml"))
    assert out.returncode == 0
    assert "stateDiagram-v2" in out.stdout and "angry --> calmer: calm" in out.stdout


def test_analyze_contract():
    text = "Karen, I'm so sorry. It's not your fault."
    out = run_cli("analyze", "--name", "Karen Miller", text)
    data = json.loads(out.stdout)
    assert "apologizing" in data["categories"] and "naming" in data["categories"]
    assert "blaming" not in data["categories"]
    for m in data["matches"]:
        assert {"category", "start", "end", "pattern"} <= set(m)
        assert 0 <= m["start"] < m["end"] <= len(text)


def test_analyze_jsonl_keeps_order_and_reports_bad_lines():
    lines = ['{"text": "sorry", "lang": "en"}', "not json", '{"text": "Tack så mycket", "lang": "sv"}',
             '{"text": "x", "lang": "xx"}']
    out = run_cli("analyze", "--jsonl", input="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1 and len(results) == 4
    assert "apologizing" in results[0]["categories"]
    assert "error" in results[1] and "error" in results[3]
    assert "thanking" in results[2]["categories"]


def test_analyze_jsonl_reports_lists_and_objects_where_strings_belong():
    lines = ['{"text": "sorry", "lang": ["en"]}', '{"text": "sorry", "names": {"a": 1}}',
             '{"text": "sorry", "names": [["Per"]]}', '{"text": "sorry", "names": "Per"}',
             '{"text": "sorry Per", "lang": "da", "names": ["Per"]}']
    out = run_cli("analyze", "--jsonl", input="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert [r.get("error", "")[:7] for r in results[:4]] == ["line 1:", "line 2:", "line 3:",
                                                              "line 4:"]
    assert results[4]["categories"] == ["apologizing", "naming"]


def test_new_writes_a_scenario_that_passes_check_and_never_overwrites(tmp_path):
    out = run_cli("new", "my-case", "--output", str(tmp_path))
    assert out.returncode == 0, out.stderr
    path = tmp_path / "my-case.toml"
    assert path.read_text().startswith("#:schema ./scenario.schema.json")
    assert (tmp_path / "scenario.schema.json").exists()
    assert run_cli("check", str(path)).returncode == 0
    before = path.read_text()
    again = run_cli("new", "my-case", "--output", str(tmp_path))
    assert again.returncode == 1 and path.read_text() == before


@pytest.mark.parametrize("lang", ["en", "nb", "da", "sv", "pl"])
def test_new_in_each_language_passes_check(tmp_path, lang):
    out = run_cli("new", f"case-{lang}", "--lang", lang, "--output", str(tmp_path))
    assert out.returncode == 0
    text = (tmp_path / f"case-{lang}.toml").read_text(encoding="utf-8")
    assert f'language = "{lang}"' in text
    check = run_cli("check", str(tmp_path / f"case-{lang}.toml"))
    assert check.returncode == 0, check.stdout


def test_schema_validates_every_bundled_scenario():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run_cli("schema").stdout)
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)


def test_without_a_terminal_the_tui_says_so_in_one_line():
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), input="")
    assert out.returncode == 2 and "needs a terminal" in out.stderr
    assert "Traceback" not in out.stderr
    bare = run_cli(input="")
    assert bare.returncode == 2 and "--script" in bare.stderr


def test_scenario_files_cannot_include_or_run_anything(tmp_path):
    text = (FIXTURES / "shop-en.toml").read_text()
    evil = tmp_path / "evil.toml"
    evil.write_text('include = "/etc/passwd"\n' + text.replace(
        'title = "Broken kettle"', 'title = "__import__(\'os\').system(\'touch pwned\')"'))
    out = run_cli("check", str(evil))
    assert "unknown key 'include' (ignored)" in out.stdout
    assert not (ROOT / "pwned").exists() and not (tmp_path / "pwned").exists()


def _bad_files(tmp_path):
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b'title = "' + b"x" * (10 * 1024 * 1024) + b'"\n')
    latin = tmp_path / "latin.toml"
    latin.write_bytes('id = "caf\xe9"\n'.encode("latin-1"))
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(bytes(range(256)) * 4)
    folder = tmp_path / "x.toml"
    folder.mkdir()
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('id = "a"\ntitle = [1, 2\n')
    return [huge, latin, garbage, folder, syntax, tmp_path / "missing.toml"]


@pytest.mark.parametrize("command", ["check", "play"])
def test_broken_files_give_path_line_message_and_exit_1(tmp_path, command):
    for bad in _bad_files(tmp_path):
        args = ["check", str(bad)] if command == "check" else ["play", str(bad), "--script", "-"]
        out = run_cli(*args, input="hello\n", timeout=60)
        text = out.stdout + out.stderr
        assert out.returncode == 1, (bad, text)
        assert "Traceback" not in text
        problem_lines = [line for line in text.splitlines() if line.startswith(str(bad) + ":")]
        assert problem_lines, (bad, text)
        assert all(line.split(":")[len(str(bad).split(":"))].isdigit() for line in problem_lines)


def test_a_trainers_own_pattern_pack_extends_the_analyzer(tmp_path):
    pack = tmp_path / "house.patterns.toml"
    pack.write_text('language = "en"\n[[patterns]]\ncategory = "owning"\n'
                    'phrases = ["kettle amnesty"]\n', encoding="utf-8")
    text = "We have a kettle amnesty."
    assert "owning" not in json.loads(run_cli("analyze", text).stdout)["categories"]
    out = run_cli("analyze", "--patterns", str(pack), text)
    assert "owning" in json.loads(out.stdout)["categories"]
    # A pack file in a scenarios folder applies to that folder's scenarios too.
    (tmp_path / "shop-en.toml").write_text((FIXTURES / "shop-en.toml").read_text(), encoding="utf-8")
    play = run_cli("play", "shop-en", "--scenarios", str(tmp_path), "--script", "-",
                   "--scorecards", str(tmp_path / "cards"), input=text + "\n")
    assert "owning" in play.stdout


def test_a_scorecard_in_a_scenario_folder_is_named_as_such(tmp_path):
    from trainer.engine.scenario import ScenarioError, parse_scenario

    card = 'schema = 1\ntrainee = "Ada"\nscenario = "x"\n[[turns]]\nreply = "hi"\n'
    with pytest.raises(ScenarioError, match="this is a scorecard, not a scenario"):
        parse_scenario(card, "card.toml")


def test_lines_after_the_end_are_not_read_and_play_says_so(tmp_path):
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--scorecards",
                  str(tmp_path), input="That's your fault.\nI'm sorry.\n")
    assert "the rest of the script is not read" in out.stdout
    assert "I'm sorry." not in out.stdout


def test_odd_replies_through_play_script(tmp_path):
    odd = ["[bold]x[/]", "[/]", "[link=x]", "\x1b[31mred\x1b[0m", "مرحبا آسف", "🙂👍🏽", "\x07bell",
           "sorry " * 17000]
    script = tmp_path / "odd.txt"
    script.write_bytes(("\n".join(odd) + "\n").encode("utf-8") + b"\xff\xfe broken utf-8\n")
    out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", str(script), "--seed", "1",
                  "--scorecards", str(tmp_path / "cards"), timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout  # never drives the terminal
    assert "[bold]x[/]" in out.stdout
    data = tomllib.loads(Path(out.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8"))
    assert data["turns"][0]["reply"] == "[bold]x[/]"
    assert data["turns"][3]["reply"] == "\x1b[31mred\x1b[0m"


def test_check_coverage_reports_states_reactions_and_simulated_trainees():
    out = run_cli("check", "--coverage", str(FIXTURES / "shop-en.toml"), timeout=120)
    assert out.returncode == 0
    assert "coverage of shop-en" in out.stdout
    assert "states no self-test reaches:" in out.stdout
    assert "reactions no self-test uses:" in out.stdout
    attentive = next(line for line in out.stdout.splitlines() if "attentive trainees" in line)
    careless = next(line for line in out.stdout.splitlines() if "careless trainees" in line)
    assert "resolved" in attentive and "average" in careless


def test_analyze_jsonl_answers_each_line_as_it_arrives():
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "trainer", "analyze", "--jsonl"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        for text in ["I'm so sorry", "Calm down"]:
            proc.stdin.write(json.dumps({"text": text}) + "\n")
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())  # would hang if the line were held back
            assert answer["categories"]
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_analyze_jsonl_in_bulk_keeps_order_across_processes(tmp_path):
    texts = [f"Reply {i}: I'm sorry" if i % 3 else f"Reply {i}: calm down" for i in range(600)]
    lines = [json.dumps({"text": t, "lang": "en"}) for t in texts]
    lines[250] = "not json"
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import subprocess
    import sys

    with open(data, encoding="utf-8") as f:
        out = subprocess.run([sys.executable, "-m", "trainer", "analyze", "--jsonl"], stdin=f,
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1 and len(results) == 600
    assert results[250] == {"error": "line 251: Expecting value: line 1 column 1 (char 0)"}
    for i, r in enumerate(results):
        if i != 250:
            expected = "apologizing" if i % 3 else "dismissing"
            assert expected in r["categories"], (i, r)
            assert r["matches"][0]["start"] >= len(f"Reply {i}: ") - 1


def test_a_pattern_pack_with_a_multi_word_alternative_is_refused_in_one_line(tmp_path):
    pack = tmp_path / "house.patterns.toml"
    pack.write_text('language = "en"\n[[patterns]]\ncategory = "solving"\n'
                    'phrases = ["send an email|e-mail"]\n', encoding="utf-8")
    out = run_cli("analyze", "--patterns", str(pack), "hello")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "'e-mail'" in out.stderr and "more than one word" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_check_reports_a_broken_pack_in_a_scenario_folder_once(tmp_path):
    (tmp_path / "shop-en.toml").write_text((FIXTURES / "shop-en.toml").read_text(), encoding="utf-8")
    (tmp_path / "house.patterns.toml").write_text(
        'language = "en"\n[[patterns]]\ncategory = "solving"\nphrases = ["send an email|e-mail"]\n',
        encoding="utf-8")
    out = run_cli("check", str(tmp_path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{tmp_path / 'house.patterns.toml'}:1:")
    assert "'e-mail'" in lines[0]


def test_play_and_check_use_the_model_unless_switched_off(tmp_path):
    reply = "That's honestly on the courier not us, we handed it over on time.\n"
    cards = {}
    for flags in ((), ("--no-model",)):
        out = run_cli("play", str(FIXTURES / "shop-en.toml"), "--script", "-", "--seed", "3",
                      "--scorecards", str(tmp_path / str(len(flags))), *flags, input=reply)
        assert out.returncode == 0, out.stderr
        cards[flags] = tomllib.loads(Path(out.stdout.strip().splitlines()[-1]).read_text("utf-8"))
    with_model, without = cards[()], cards[("--no-model",)]
    assert with_model["analyzer"] == "packs+model" and without["analyzer"] == "packs"
    assert set(without["turns"][0]["categories"]) <= set(with_model["turns"][0]["categories"])
    for flags in (("check", "--no-model"), ("--no-model", "check")):
        out = run_cli(*flags)
        assert out.returncode == 0, out.stdout + out.stderr


def test_served_sessions_keep_no_model():
    from trainer.serve import child_command

    assert "--no-model" in child_command(Path("/tmp/cards"), [], [], model=False)
    assert "--no-model" not in child_command(Path("/tmp/cards"), [], [])
