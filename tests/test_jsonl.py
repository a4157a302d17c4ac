"""`trainer analyze --jsonl` in bulk: two processes, lines ordered by language, answers in order.

(The line-at-a-time behaviour and the error lines are in tests/test_cli.py.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from trainer import jsonl

TEXTS = {
    "en": ["I'm so sorry, that was our mistake.", "Calm down, it's just a parcel haha",
           "Thank you for waiting, Monika. I will call you back today."],
    "da": ["Undskyld, det var vores fejl.", "Tak for din tålmodighed, jeg ringer i morgen."],
    "nb": ["Beklager, det er vår feil.", "Du burde ha lest vilkårene."],
    "sv": ["Förlåt, det var vårt fel.", "Tack för ditt tålamod... eller brist på det."],
    "pl": ["Pani Moniko, bardzo przepraszam.", "To nie nasza wina, proszę się uspokoić."],
}


def _lines(n: int) -> list[str]:
    """Lines in every language, interleaved, a few with names, some that cannot be read."""
    langs = sorted(TEXTS)
    out = []
    for i in range(n):
        lang = langs[(i * 7) % len(langs)]
        texts = TEXTS[lang]
        item = {"text": f"{i}. {texts[i % len(texts)]}", "lang": lang}
        if i % 4 == 0:
            item["names"] = ["Monika Nowak"]
        out.append(json.dumps(item, ensure_ascii=i % 2 == 0))
    out[37] = "not json"
    out[111] = '{"text": "x", "lang": "xx"}'
    out[150] = '{"lang": "pl", "text": "Bardzo przepraszam"}'  # "lang" before the text
    return out


def _one_by_one(lines: list[str]) -> list[str]:
    """What each line's answer must be: answered alone, in this process."""
    jsonl._setup("en", (), True)
    return [jsonl.answer((i, line))[0] for i, line in enumerate(lines, 1)]


def test_bulk_answers_are_the_lines_own_answers_in_input_order(tmp_path):
    lines = _lines(3 * jsonl.PARALLEL_FROM)
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(data, encoding="utf-8") as f:
        out = subprocess.run([sys.executable, "-m", "trainer", "analyze", "--jsonl"], stdin=f,
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1 and out.stderr == ""
    assert out.stdout.splitlines() == _one_by_one(lines)


@pytest.fixture
def workers():
    jsonl._setup("en", (), True)
    started = jsonl._Workers.start()
    if started is None:
        pytest.skip("processes cannot fork here")
    yield started
    started.stop()


def _answered(workers, lines: list[str]) -> tuple[list[str], bool]:
    blocks = list(workers.answer(list(enumerate(lines, 1))))
    return "".join(block for block, _ok in blocks).splitlines(), all(ok for _b, ok in blocks)


def test_the_workers_take_chunks_from_both_ends_and_answer_in_order(workers):
    lines = _lines(2 * jsonl.PARALLEL_FROM)
    got, ok = _answered(workers, lines)
    assert got == _one_by_one(lines) and not ok
    good = [line for k, line in enumerate(lines) if k not in (37, 111)]
    got, ok = _answered(workers, good)  # the same processes, a second batch
    assert got == _one_by_one(good) and ok


def test_a_worker_that_dies_has_its_lines_answered_all_the_same(workers):
    os.kill(workers.processes[1].pid, signal.SIGKILL)
    workers.processes[1].join(timeout=10)
    lines = _lines(jsonl.PARALLEL_FROM)
    got, _ok = _answered(workers, lines)
    assert got == _one_by_one(lines)
    assert len(workers.conns) == 1  # the dead one gets no more lines


def test_with_both_workers_dead_this_process_answers_everything(workers):
    for process in workers.processes:
        os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=10)
    lines = _lines(jsonl.PARALLEL_FROM)
    got, _ok = _answered(workers, lines)
    assert got == _one_by_one(lines)
    assert not workers


def test_output_cut_short_leaves_quietly():
    lines = _lines(4 * jsonl.PARALLEL_FROM)
    proc = subprocess.Popen(f"{sys.executable} -m trainer analyze --jsonl | head -c 100",
                            shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, text=True)
    out, err = proc.communicate("\n".join(lines) + "\n", timeout=120)
    assert len(out) == 100 and err == ""
