"""Scorecards on disk: atomic, unique, autosaved, inside their folder whatever the name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from tests.conftest import FIXTURES, ROOT
from trainer.engine.session import Session
from trainer.engine.paths import scorecards_dir
from trainer.engine.storage import Recorder, reserve, safe_name


def test_scorecards_folder_option_then_env_then_user_data(tmp_path, monkeypatch):
    assert scorecards_dir(tmp_path / "a") == tmp_path / "a"
    monkeypatch.setenv("TRAINER_SCORECARDS", str(tmp_path / "b"))
    assert scorecards_dir(None) == tmp_path / "b"
    monkeypatch.delenv("TRAINER_SCORECARDS")
    assert scorecards_dir(None).name == "scorecards"


def test_odd_trainee_names_stay_inside_the_folder(tmp_path, fixture_scenario):
    for name in ["../../x", "a/b\\c:d", "..", "", "\x00\x1b[31m", "Zoë Ł. Øvergård", "🙂" * 50,
                 "con", "." * 300]:
        s = Session(fixture_scenario, seed=1)
        s.start()
        rec = Recorder(s, tmp_path / "cards", name)
        path = rec.save()
        assert path is not None and path.parent == tmp_path / "cards", name
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["trainee"] == name.replace("\x00", "\x00")
    assert all(p.parent == tmp_path / "cards" for p in (tmp_path / "cards").rglob("*"))


def test_safe_name_keeps_letters():
    assert safe_name("Zoë Øvergård") == "Zoë_Øvergård"
    assert safe_name("../../x") == "x"


def test_two_sessions_in_the_same_second_get_two_files(tmp_path):
    when = datetime(2026, 1, 1, 10, 0, 0, tzinfo=timezone.utc)
    a = reserve(tmp_path, "Ada", "shop-en", when)
    b = reserve(tmp_path, "Ada", "shop-en", when)
    assert a != b and a.exists() and b.exists()


def test_autosave_after_every_turn_says_abandoned_until_the_end(tmp_path, fixture_scenario):
    s = Session(fixture_scenario, seed=1)
    s.start()
    rec = Recorder(s, tmp_path, "Ada")
    rec.save()
    s.reply("Hmm.")
    path = rec.save()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["outcome"] == "abandoned" and len(data["turns"]) == 1
    s.reply("Sam, I'm so sorry. Can you tell me what happened?")
    s.reply("I can send you a replacement kettle.")
    rec.save()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["outcome"] == "resolved" and len(data["turns"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


def test_sigkill_mid_session_leaves_an_abandoned_scorecard_with_the_turns(tmp_path):
    cards = tmp_path / "cards"
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer", "play", str(FIXTURES / "shop-en.toml"), "--script", "-",
         "--scorecards", str(cards), "--seed", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT,
    )
    proc.stdin.write("Hmm, let me see.\n")
    proc.stdin.write("Sam, I'm so sorry about that.\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    data = None
    while time.monotonic() < deadline:
        files = list(cards.glob("*.toml")) if cards.exists() else []
        if files:
            try:
                data = tomllib.loads(files[0].read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError):
                data = None
            if data and len(data.get("turns", [])) == 2:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    files = list(cards.glob("*.toml"))
    assert len(files) == 1
    data = tomllib.loads(files[0].read_text(encoding="utf-8"))
    assert data["outcome"] == "abandoned"
    assert [t["reply"] for t in data["turns"]] == ["Hmm, let me see.", "Sam, I'm so sorry about that."]


def test_replies_with_odd_characters_are_stored_as_typed(tmp_path, fixture_scenario):
    s = Session(fixture_scenario, seed=1)
    s.start()
    odd = ["[bold]x[/]", "\x1b[31mred\x1b[0m", "مرحبا", "tab\there", "🙂", 'quote " and \\']
    for text in odd:
        if not s.ended:
            s.reply(text)
    path = Recorder(s, tmp_path, "Ada").save()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [t["reply"] for t in data["turns"]] == odd[: len(data["turns"])]


def test_lone_surrogates_are_replaced_not_fatal(tmp_path, fixture_scenario):
    s = Session(fixture_scenario, seed=1)
    s.start()
    s.reply("bad \ud800 text")
    path = Recorder(s, tmp_path, "Ada").save()
    assert tomllib.loads(path.read_text(encoding="utf-8"))["turns"][0]["reply"] == "bad \ufffd text"


def test_same_replies_always_give_the_same_score(fixture_scenario, tmp_path):
    scores = []
    for _ in range(2):
        s = Session(fixture_scenario, seed=4)
        s.start()
        for text in ["Hmm.", "Sam, I'm sorry. Tell me what happened?", "Calm down."]:
            if not s.ended:
                s.reply(text)
        scores.append(Recorder(s, tmp_path, "Ada").data()["score"])
    assert scores[0] == scores[1]


def test_stale_temporary_files_are_cleaned_fresh_ones_kept(tmp_path, fixture_scenario):
    stale = tmp_path / ".tmp-old.toml"
    fresh = tmp_path / ".tmp-new.toml"
    stale.write_text("x")
    fresh.write_text("y")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    s = Session(fixture_scenario, seed=1)
    s.start()
    Recorder(s, tmp_path, "Ada").save()
    assert not stale.exists() and fresh.exists()
