"""Analyzer speed: pack load time, per-reply latency, a naive difflib baseline, and --jsonl rate.

    python bench/analyzer_bench.py [--replies 10000] [--difflib-sample 200] [--parts load,latency,difflib,jsonl] [--no-model]

Replies are built from the sentences of the bundled scenarios' self-tests and the analyzer's
development cases, cut and joined into 5-40 word replies, in all five languages.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.cli import add_model_choice, use_model  # noqa: E402


def corpus() -> dict[str, list[str]]:
    """Sentences per language from bundled scenarios' scripts and the development cases."""
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for t in data.get("tests", []):
            for line in t.get("script", "").splitlines():
                line = line.split("]", 1)[-1] if line.startswith("[+") else line
                if line.strip():
                    out.setdefault(data["language"], []).append(line.strip())
        for st in data.get("states", {}).values():
            out.setdefault(data["language"], []).extend(st.get("lines", []))
    for path in sorted((ROOT / "tests" / "analyzer_cases").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        out.setdefault(data["language"], []).extend(c["text"] for c in data.get("case", []))
    return out


def make_replies(n: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    sents = corpus()
    langs = sorted(sents)
    replies = []
    while len(replies) < n:
        lang = rng.choice(langs)
        target = rng.randint(5, 40)
        words: list[str] = []
        while len(words) < target:
            words += rng.choice(sents[lang]).split()
        replies.append((lang, " ".join(words[:target])))
    return replies


def naive_difflib(text: str, phrases: list[str]) -> int:
    """The same phrases, matched naively: every window of the phrase's length, difflib ratio."""
    words = text.lower().split()
    hits = 0
    for phrase in phrases:
        n = len(phrase.split())
        for i in range(max(1, len(words) - n + 1)):
            window = " ".join(words[i:i + n])
            if difflib.SequenceMatcher(None, phrase, window).ratio() >= 0.85:
                hits += 1
                break
    return hits


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replies", type=int, default=10_000)
    ap.add_argument("--difflib-sample", type=int, default=200)
    ap.add_argument("--parts", default="load,latency,difflib,jsonl",
                    help="which measurements to run, comma-separated (default: all)")
    add_model_choice(ap)
    args = ap.parse_args()
    args.model = use_model(args)
    parts = set(args.parts.split(","))
    # This machine's speed drifts (a shared virtual machine): a fixed pure-Python workload, timed
    # before and after, tells runs on a fast and a slow day apart.
    print(f"host: {host()}")
    from trainer.engine.analyzer import search_kind

    print(f"phrase search: {search_kind()}")
    print(f"calibration (fixed Python loop, best of 5): {calibrate() * 1000:.1f} ms")

    if "load" in parts:
        measure_load(args.model)
    measure_replies(args, parts)
    print(f"calibration again: {calibrate() * 1000:.1f} ms")
    return 0


def host() -> str:
    """The processor, its cores and cache: the same code runs a third slower on some hosts of
    this kind than on others, and the calibration loop (which fits in any cache) does not show
    it (docs/model.md)."""
    import os
    import platform

    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = info.get("model name") or platform.processor() or platform.machine()
    cache = f", cache {info['cache size']}" if "cache size" in info else ""
    return f"{name}, {os.cpu_count()} cores{cache}, Python {platform.python_version()}"


def calibrate() -> float:
    def work() -> int:
        d: dict[int, int] = {}
        for i in range(300_000):
            d[i & 1023] = d.get(i & 1023, 0) + i
        return len(d)

    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
    return best


def measure_load(model: bool = False) -> None:
    """Load time in a fresh process: read and compile all five packs, and with --model read
    the models too (three files: da, nb and sv share one)."""
    import os
    import tempfile

    shipped = tempfile.mkdtemp(prefix="bench-shipped-")
    code = ("import sys, time; t0=time.perf_counter(); from trainer.engine import analyzer as A; "
            "t=time.perf_counter(); from pathlib import Path; "
            "A.SHIPPED_DIR = Path(sys.argv[1]) if len(sys.argv) > 1 else A.SHIPPED_DIR; "
            f"A.warm(model={model}); print(t-t0, time.perf_counter()-t)")

    def load_once(*args: str, cache: str | None = None) -> list[str]:
        env = {**os.environ, "TRAINER_CACHE": cache or tempfile.mkdtemp(prefix="bench-cache-")}
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              cwd=ROOT, check=True, env=env).stdout.split()

    cache = tempfile.mkdtemp(prefix="bench-cache-")
    first = load_once(cache=cache)  # an empty cache: the packs are read and compiled, then cached
    runs = [load_once(cache=cache) for _ in range(5)]
    imports = statistics.median(float(r[0]) for r in runs)
    loads = statistics.median(float(r[1]) for r in runs)
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from trainer.engine.analyzer import compile_bundled; "
                    "compile_bundled(Path(sys.argv[1]))", shipped], cwd=ROOT, check=True)
    wheel = statistics.median(float(load_once(shipped)[1]) for _ in range(5))
    what = "all five packs and the three models" if model else "all five packs"
    print(f"load, {what} (fresh process, median of 5): {loads * 1000:.1f} ms from the "
          f"user's compiled cache; {wheel * 1000:.1f} ms from the packs precompiled in the wheel "
          f"(first start after installing, empty user cache); {float(first[1]) * 1000:.1f} ms "
          f"with neither (source checkout, first use: read TOML and compile); importing the "
          f"analyzer first: {imports * 1000:.1f} ms")


def measure_replies(args, parts: set[str]) -> None:
    from trainer.engine.analyzer import Analyzer

    replies = make_replies(args.replies)
    words = [len(t.split()) for _, t in replies]
    print(f"replies: {len(replies)} ({min(words)}-{max(words)} words, mean "
          f"{statistics.mean(words):.1f}), languages: "
          + ", ".join(f"{lang} {sum(1 for lg, _ in replies if lg == lang)}"
                      for lang in sorted({lg for lg, _ in replies})))
    analyzers = {lang: Analyzer(lang, ("Monika Nowak", "Per Hansen", "Karen Miller"),
                                model=args.model)
                 for lang in {lg for lg, _ in replies}}
    if "latency" in parts:
        latency(replies, analyzers)
    if "difflib" in parts:
        against_difflib(replies[: args.difflib_sample], analyzers)
    if "jsonl" in parts:
        jsonl_rate(replies, [] if args.model else ["--no-model"])


def latency(replies, analyzers) -> None:
    times = []
    for lang, text in replies:
        t0 = time.perf_counter()
        analyzers[lang].analyze(text)
        times.append(time.perf_counter() - t0)
    print(f"analyse: p50 {pct(times, 0.5) * 1000:.3f} ms, p99 {pct(times, 0.99) * 1000:.3f} ms, "
          f"max {max(times) * 1000:.3f} ms, mean {statistics.mean(times) * 1000:.3f} ms")

    # The cold path: first sight of every word (the pack's and the model's word caches emptied
    # before each reply).
    cold = []
    for lang, text in replies[:1000]:
        analyzers[lang].index._word_cache.clear()
        if analyzers[lang].model is not None:
            analyzers[lang].model._sums.clear()
        t0 = time.perf_counter()
        analyzers[lang].analyze(text)
        cold.append(time.perf_counter() - t0)
    print(f"analyse with empty word caches ({len(cold):,} replies): p50 "
          f"{pct(cold, 0.5) * 1000:.3f} ms, p99 {pct(cold, 0.99) * 1000:.3f} ms")


def against_difflib(sample, analyzers) -> None:
    from trainer.engine.patterns import bundled_pack

    phrases = {lang: [p.text.lower().replace("*", "").replace("|", " ")
                      for p in bundled_pack(lang).phrases] for lang in analyzers}
    naive, ours = [], []
    for lang, text in sample:
        t0 = time.perf_counter()
        naive_difflib(text, phrases[lang])
        naive.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        analyzers[lang].analyze(text)
        ours.append(time.perf_counter() - t0)
    print(f"difflib baseline on {len(sample)} replies: mean {statistics.mean(naive) * 1000:.1f} ms per "
          f"reply vs {statistics.mean(ours) * 1000:.3f} ms: {statistics.mean(naive) / statistics.mean(ours):,.0f}x")



def jsonl_rate(replies, flags: list[str]) -> None:
    """`trainer analyze --jsonl` throughput after start-up: time N lines minus time of 5."""
    lines = "".join(json.dumps({"text": t, "lang": lg, "names": ["Monika Nowak"]}) + "\n"
                    for lg, t in replies)

    def run(payload: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "trainer", "analyze", "--jsonl", *flags],
                       input=payload,
                       capture_output=True, text=True, cwd=ROOT, check=True)
        return time.perf_counter() - t0

    # Start-up: a handful of lines, one per language, so every pack is loaded in both runs.
    one_each = "".join(json.dumps({"text": "ok", "lang": lg}) + "\n"
                       for lg in ("en", "nb", "da", "sv", "pl"))
    run(lines)  # fills the compiled-pack cache, as any earlier use of the trainer would
    # Best of several runs (another process on the machine only ever slows a run down), and
    # the median as well, to show the spread.
    start_only = min(run(one_each) for _ in range(3))
    fulls = sorted(run(lines) for _ in range(5))
    rate = (len(replies) - 5) / max(1e-9, fulls[0] - start_only)
    median = (len(replies) - 5) / max(1e-9, statistics.median(fulls) - start_only)
    print(f"trainer analyze --jsonl: {len(replies)} replies in {fulls[0]:.2f} s (best of 5; "
          f"median {statistics.median(fulls):.2f} s), start-up {start_only:.2f} s: "
          f"{rate:,.0f} replies/s after start-up (median run {median:,.0f}/s)")


if __name__ == "__main__":
    raise SystemExit(main())
