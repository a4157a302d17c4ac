"""`trainer analyze --jsonl`: JSON lines in, one result a line out, in order.

Lines are answered as soon as they arrive (a script may write one and wait for its answer);
when many lines are waiting at once, as with a file or a fast producer, they are analysed by
two processes in parallel, still answered in input order.
"""

from __future__ import annotations

import json
import os
import sys

from trainer.engine.categories import LANGUAGES

PARALLEL_FROM = 200  # lines waiting at once before a second process helps
MAX_BATCH = 50_000  # (input is also read at most 4 MB at a time)
CHUNK = 100  # lines a worker answers at a time

_analyzers: dict = {}
_defaults: dict = {}


def _setup(default_lang: str, packs: tuple, model: bool = True) -> None:
    _defaults["lang"] = default_lang
    _defaults["packs"] = packs
    _defaults["model"] = model


def answer(numbered: tuple[int, str]) -> tuple[str, bool]:
    """One input line as (output JSON text, ok)."""
    lineno, line = numbered
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError('each line must be an object with a "text" string')
        lang = item.get("lang", _defaults["lang"])
        names = item.get("names") or ()
        key = (lang, tuple(names) if isinstance(names, list) else names)
        try:
            analyzer = _analyzers.get(key)
        except TypeError:  # a list or object where a string belongs: reported just below
            analyzer = None
        if analyzer is None:
            analyzer = _new_analyzer(key)
        return analyzer.analyze(item["text"]).to_json(), True
    except (ValueError, json.JSONDecodeError) as exc:
        return json.dumps({"error": f"line {lineno}: {exc}"}, ensure_ascii=False), False


def _new_analyzer(key):
    """The analyzer for (lang, names), checked once and kept for the lines that follow."""
    from trainer.engine.analyzer import Analyzer

    lang, names = key
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"unknown lang {lang!r}")
    if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
        raise ValueError('"names" must be a list of strings')
    if len(_analyzers) > 1000:
        _analyzers.clear()
    analyzer = _analyzers[key] = Analyzer(lang, names, extra_packs=_defaults["packs"],
                                                model=_defaults["model"])
    return analyzer


def _answer_many(batch: list[tuple[int, str]]) -> tuple[str, bool]:
    """The answers to a batch as one block of lines (one string to pass back and write), and
    whether every line could be read."""
    answers = [answer(item) for item in batch]
    return "".join([text + "\n" for text, _ok in answers]), all(ok for _text, ok in answers)


def _batches(stream):
    """Lists of (line number, line): every complete line available now, without waiting."""
    import select

    fd = stream.fileno()
    pending = b""
    lineno = 0
    eof = False
    while not eof:
        ready, _, _ = select.select([fd], [], [])
        chunk = os.read(fd, 1 << 16) if ready else b""
        if not chunk:
            eof = True
        pending += chunk
        # Take whatever else is already there, so a fast producer gives big batches.
        while not eof and len(pending) < (1 << 22):
            more, _, _ = select.select([fd], [], [], 0)
            if not more:
                break
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                eof = True
                break
            pending += chunk
        *complete, pending = pending.split(b"\n")
        if eof and pending:
            complete.append(pending)
            pending = b""
        batch = []
        for raw in complete:
            lineno += 1
            line = raw.decode("utf-8", "replace")
            if line.strip():
                batch.append((lineno, line))
        for i in range(0, len(batch), MAX_BATCH):
            yield batch[i:i + MAX_BATCH]


def run(default_lang: str, packs: tuple, model: bool = True) -> int:
    """Answer stdin to stdout; exit status 1 when any line could not be read."""
    _setup(default_lang, packs, model)
    out = sys.stdout
    status = 0
    try:
        if os.name == "nt":  # select() does not work on Windows pipes
            raise OSError
        sys.stdin.fileno()
        batches = _batches(sys.stdin)
    except (OSError, ValueError, AttributeError):  # no usable descriptor: a line at a time
        batches = ([item] for item in enumerate(sys.stdin, 1) if item[1].strip())
    pool = None
    try:
        for batch in batches:
            big = len(batch) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
            if big and pool is None:
                pool = _pool()
            if big and pool is not None:
                # Small chunks, answered in order as they are done: both workers stay busy
                # while this process writes what is ready.
                chunks = [batch[i:i + CHUNK] for i in range(0, len(batch), CHUNK)]
                parts = pool.imap(_answer_many, chunks)
            else:
                parts = [_answer_many(batch)]
            for block, ok in parts:
                out.write(block)
                status = status or (0 if ok else 1)
            out.flush()
    finally:
        if pool is not None:
            pool.terminate()
    return status


def _pool():
    """Two worker processes that inherit the loaded packs (fork), or None where unavailable."""
    import multiprocessing

    from trainer.engine.analyzer import warm

    warm(model=_defaults["model"])  # every language's pack, once, before the workers fork
    try:
        ctx = multiprocessing.get_context("fork")
        return ctx.Pool(2, initializer=_setup, initargs=(_defaults["lang"], _defaults["packs"],
                                                           _defaults["model"]))
    except (ValueError, OSError):
        return None
