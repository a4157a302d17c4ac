"""`trainer analyze --jsonl`: JSON lines in, one result a line out, in order.

Lines are answered as soon as they arrive (a script may write one and wait for its answer);
when many lines are waiting at once, as with a file or a fast producer, they are analysed by
two processes in parallel, still answered in input order.

In parallel, the waiting lines are put in order of language and cut into chunks; one process
takes chunks from the front of that order and the other from the back, until they meet. So
each process mostly reads one part of the languages' tables (which stay in the CPU's cache)
and looks up fewer new words, and neither waits for the other at the end. Answers are held
until every line before them is answered.
"""

from __future__ import annotations

import json
import os
import re
import sys

from trainer.engine.categories import LANGUAGES

PARALLEL_FROM = 200  # lines waiting at once before a second process helps
MAX_BATCH = 50_000  # (input is also read at most 4 MB at a time)
CHUNK = 100  # lines a worker answers at a time
_LANG = re.compile(r'"lang"\s*:\s*"([^"\\]*)"')  # a line's language, to order lines by

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
    """The answers to a batch as one block of lines (one string to write), and whether every
    line could be read."""
    texts, ok = _answer_lines(batch)
    return "".join([text + "\n" for text in texts]), ok


def _answer_lines(batch: list[tuple[int, str]]) -> tuple[list[str], bool]:
    """The answers to a batch, a line each, and whether every line could be read."""
    answers = [answer(item) for item in batch]
    return [text for text, _ok in answers], all(ok for _text, ok in answers)


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
    workers = None
    try:
        for batch in batches:
            big = len(batch) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
            if big and workers is None:
                workers = _Workers.start()
            if big and workers:
                parts = workers.answer(batch)
            else:
                parts = [_answer_many(batch)]
            for block, ok in parts:
                out.write(block)
                status = status or (0 if ok else 1)
            out.flush()
    finally:
        if workers:
            workers.stop()
    return status


class _Workers:
    """Two forked processes that answer chunks of lines sent over pipes, one chunk at a time
    each (so that neither side can block the other on a full pipe). A process that dies has
    its chunk answered here, and gets no more."""

    def __init__(self, processes: list, conns: list) -> None:
        self.processes = processes
        self.conns = conns

    def __bool__(self) -> bool:
        return bool(self.conns)

    @classmethod
    def start(cls) -> "_Workers | None":
        """The two processes, with every language's pack loaded before they fork, or None
        where processes cannot fork (then one process answers everything)."""
        import multiprocessing

        from trainer.engine.analyzer import warm

        warm(model=_defaults["model"])
        try:
            ctx = multiprocessing.get_context("fork")
            processes, conns = [], []
            for _ in range(2):
                ours, theirs = ctx.Pipe()
                process = ctx.Process(target=_serve, args=(theirs, [ours, *conns]),
                                      daemon=True)
                process.start()
                theirs.close()
                processes.append(process)
                conns.append(ours)
        except (ValueError, OSError):
            return None
        return cls(processes, conns)

    def answer(self, batch: list[tuple[int, str]]):
        """(block of answer lines, all read) for the batch, in input order, as they are ready."""
        from multiprocessing.connection import wait

        def language(i: int) -> str:
            found = _LANG.search(batch[i][1])
            return found.group(1) if found else ""

        order = sorted(range(len(batch)), key=language)
        chunks = [order[i:i + CHUNK] for i in range(0, len(order), CHUNK)]
        answers: list = [None] * len(batch)
        front, back = 0, len(chunks)  # chunks not yet given out: chunks[front:back]
        given: dict = {}  # connection -> the chunk it is answering
        done = 0  # answers up to here are written
        ok_all = True

        def settle(chunk: list[int], texts: list[str], ok: bool) -> None:
            nonlocal ok_all
            for i, text in zip(chunk, texts):
                answers[i] = text
            ok_all = ok_all and ok

        while True:
            for k, conn in enumerate(self.conns):
                if conn not in given and front < back:
                    if k == 0:
                        chunk, front = chunks[front], front + 1
                    else:
                        back -= 1
                        chunk = chunks[back]
                    given[conn] = chunk
                    try:
                        conn.send([batch[i] for i in chunk])
                    except OSError:  # (a process that died: its chunk is answered below)
                        pass
            if not given:
                break
            for conn in wait(list(given)):
                chunk = given.pop(conn)
                try:
                    settle(chunk, *conn.recv())
                except (EOFError, OSError):  # the process died: answer its chunk here
                    self._lose(conn)
                    settle(chunk, *_answer_lines([batch[i] for i in chunk]))
            if not self.conns and front < back:  # both died: answer the rest here
                for chunk in chunks[front:back]:
                    settle(chunk, *_answer_lines([batch[i] for i in chunk]))
                front = back
            start = done
            while done < len(answers) and answers[done] is not None:
                done += 1
            if done > start:
                yield "".join([text + "\n" for text in answers[start:done]]), True
                answers[start:done] = [""] * (done - start)  # (written: let them go)
        yield "", ok_all

    def _lose(self, conn) -> None:
        at = self.conns.index(conn)
        self.conns.pop(at)
        self.processes.pop(at).join(timeout=1)
        conn.close()

    def stop(self) -> None:
        for conn in self.conns:
            try:
                conn.send(None)
                conn.close()
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        self.conns, self.processes = [], []


def _serve(conn, parents_ends: list) -> None:
    """A worker process: answer chunks of lines until told to stop (None) or the pipe closes.

    Any failure ends it quietly: the parent then answers the chunk itself, and reports what
    went wrong the way the command reports any error (one line)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us
    for end in parents_ends:
        end.close()
    try:
        while True:
            chunk = conn.recv()
            if chunk is None:
                return
            conn.send(_answer_lines(chunk))
    except Exception:  # noqa: BLE001 (a closed pipe, or an error the parent will meet again)
        return
