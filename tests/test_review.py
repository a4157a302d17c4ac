"""`trainer review` and `trainer show` over mixed folders."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import FIXTURES, run_cli
from trainer.engine.review import collect
from trainer.engine.session import Session
from trainer.engine.storage import Recorder


def _play(scenario, folder, trainee, replies, cohort="c1", seed=1):
    s = Session(scenario, seed=seed)
    s.start()
    for r in replies:
        if not s.ended:
            s.reply(r)
    s.finish_unresolved()
    return Recorder(s, folder, trainee, cohort).save()


GOOD = ["Sam, I'm so sorry. Can you tell me what happened?", "I can send you a replacement kettle."]
BAD = ["Calm down.", "That's not true, haha"]


def _mixed(tmp_path, fixture_scenario):
    folder = tmp_path / "cards"
    _play(fixture_scenario, folder, "Ada", BAD)
    _play(fixture_scenario, folder, "Ada", GOOD)
    _play(fixture_scenario, folder, "=HYPERLINK(\"x\")", GOOD, cohort="-2+3")
    _play(fixture_scenario, folder, "../../etc", BAD)
    (folder / "corrupt.toml").write_text("this is [not toml")
    (folder / "other.toml").write_text('title = "not a scorecard"\n')
    (folder / ".tmp-abc.toml").write_text("half written")
    (folder / "notes.txt").write_text("hello")
    return folder


def test_review_table_json_and_csv(tmp_path, fixture_scenario):
    folder = _mixed(tmp_path, fixture_scenario)
    table = run_cli("review", "--scorecards", str(folder))
    assert table.returncode == 0
    assert "Ada" in table.stdout and "../../etc" in table.stdout
    assert "corrupt.toml" in table.stderr and "other.toml" in table.stderr
    assert ".tmp-abc" not in table.stderr

    data = json.loads(run_cli("review", "--scorecards", str(folder), "--format", "json").stdout)
    ada = next(t for t in data["trainees"] if t["trainee"] == "Ada")
    assert ada["sessions"] == 2 and ada["best"] >= ada["average"] >= 0
    assert {"trainee", "sessions", "best", "average", "latest"} <= set(ada)
    assert len(data["sessions"]) == 4 and len(data["skipped"]) == 2

    out = run_cli("review", "--scorecards", str(folder), "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"file", "trainee", "cohort", "scenario", "language", "started", "outcome", "score",
            "anger_start", "anger_end", "turns"} <= set(rows[0])
    formula = next(r for r in rows if "HYPERLINK" in r["trainee"])
    assert formula["trainee"].startswith("'=") and formula["cohort"] == "'-2+3"


def test_review_filters(tmp_path, fixture_scenario):
    folder = _mixed(tmp_path, fixture_scenario)

    def sessions(*args):
        out = run_cli("review", "--scorecards", str(folder), "--format", "json", *args)
        return json.loads(out.stdout)["sessions"]

    assert len(sessions("--trainee", "ada")) == 2
    assert len(sessions("--cohort=-2+3")) == 1
    assert len(sessions("--scenario", "shop-en")) == 4
    assert len(sessions("--scenario", "other")) == 0
    assert len(sessions("--since", "2000-01-01", "--until", "2999-01-01")) == 4
    assert len(sessions("--until", "2000-01-01")) == 0
    bad = run_cli("review", "--scorecards", str(folder), "--since", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_review_several_folders(tmp_path, fixture_scenario):
    a, b = tmp_path / "laptop1", tmp_path / "laptop2"
    _play(fixture_scenario, a, "Ada", GOOD)
    _play(fixture_scenario, b, "Ada", BAD)
    out = run_cli("review", "--scorecards", str(a), "--scorecards", str(b), "--format", "json")
    assert json.loads(out.stdout)["trainees"][0]["sessions"] == 2


def test_index_rereads_a_changed_file(tmp_path, fixture_scenario):
    folder = tmp_path / "cards"
    path = _play(fixture_scenario, folder, "Ada", GOOD)
    assert collect([folder]).sessions[0]["trainee"] == "Ada"
    text = path.read_text(encoding="utf-8").replace('trainee = "Ada"', 'trainee = "Bea"')
    path.write_text(text, encoding="utf-8")
    assert collect([folder]).sessions[0]["trainee"] == "Bea"
    path.write_text("garbage = [", encoding="utf-8")
    col = collect([folder])
    assert not col.sessions and "corrupt" in col.skipped[0]["reason"]


def test_show_prints_one_scorecard(tmp_path, fixture_scenario):
    path = _play(fixture_scenario, tmp_path, "Ada", GOOD)
    out = run_cli("show", str(path))
    assert out.returncode == 0
    assert "Outcome: resolved" in out.stdout and "Skills" in out.stdout and "«" in out.stdout
    missing = run_cli("show", str(tmp_path / "nope.toml"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    (tmp_path / "bad.toml").write_text("x = [")
    bad = run_cli("show", str(tmp_path / "bad.toml"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_fixture_path_exists():
    assert (FIXTURES / "shop-en.toml").exists()
