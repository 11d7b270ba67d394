"""End-to-end benchmark of what users run: `verify()`, `check()` and the CLI, first pass and warm.

Usage::

    python benchmarks/end_to_end.py                         # 10,000 sources and every other case (about 5-15 min)
    python benchmarks/end_to_end.py --sizes 1 100 1000 10000
    python benchmarks/end_to_end.py --quick                  # smaller sizes, under 2 minutes
    python benchmarks/end_to_end.py --label before           # names the JSON file

It measures whatever `quotecheck` the interpreter imports (run it with the
virtual environment of the checkout you want to measure; it never puts a
source tree on `sys.path`). Every case runs in its own subprocess with a time
bound (`--timeout`): a case that does not finish is killed and recorded as
"timed out after N s", with the sizes that did finish. Each case prints lines
of JSON as it goes, so a killed case keeps what it measured.

The cases (the targets are issue 12's):

- `scale`: a synthetic registry (`generate.py`, cached under benchmarks/data/)
  indexed with `quotecheck index` into a private cache directory, then, in a
  FRESH process, the registry loaded, its saved index loaded (timed apart),
  and `quotecheck.verify()` called once on each quotation (the first pass) and
  then on the same quotations again (warm). Quotations are drawn as
  `run.py` draws them. Recall: the returned passage is in the true source and
  overlaps the true passage; candidate recall: a candidate window of the true
  source covers the true passage (this one reads the index's internals, and is
  recorded as unavailable if they change). The naive baseline, in this
  process: rapidfuzz `partial_ratio_alignment` against every source's text,
  keeping the best (as `run.py`).
- `letter`: `verify()` against the Krishna letter alone, and the naive scan,
  in one process.
- `articles`: `quotecheck.check()` of each seed article in fixtures/articles,
  first pass in a fresh process and warm; and the CLI `quotecheck check
  fixtures/articles` as a whole process, beside the interpreter start-up with
  `import quotecheck`.
- `growth`: series of sizes timed in one process, so only their ratios
  matter: a quotation with every fifth word changed (200, 400, 800 words, and
  1,600 past the target's sizes) against a 20,000-word source, once as one
  sentence (its punctuation dropped) and once as prose; 10 and 100 brackets
  and ellipses in one quotation of an article, as the issue's `alpha [x] gamma`
  repeated (two words of the letter) and as a run of source words with every
  third word bracketed or left out; a 50-word quotation with one word changed
  against 1 and against 1,000 near-identical sources (one word differs between
  any two), first pass and warm.
- `memory`: peak RSS and JSON size of `quotecheck check --format json` on an
  article of quotations of one repeated word against a source of that word.

Results are printed as a Markdown table and written to
benchmarks/results/end-to-end-LABEL.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # generate.py; never the source tree: the code measured is the installed `quotecheck`

from baseline import found  # noqa: E402
from generate import Sample, chain, quotations, render, write_registry  # noqa: E402

LETTER = ROOT / "fixtures" / "sources" / "krishna-2020-06-08.txt"
ARTICLES = ROOT / "fixtures" / "articles"
SPEAKER = "Speaker 0"


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _significant(x: float) -> float:
    """Three significant figures: 0.0512, 1.16, 232.0."""
    return float(f"{x:.3g}")


def _ms(seconds: float) -> float:
    return round(1000 * seconds, 4)


def naive_scan(texts: list[tuple[str, str]], samples: list[Sample]) -> dict[str, Any]:
    """run.py's baseline (`baseline.scan`): the quotation against every source, keeping the best."""
    from baseline import scan  # noqa: PLC0415 - only the parent times the naive scan

    times, hits = scan(samples, texts)
    return {
        "quotes": len(samples),
        "median_ms": _ms(statistics.median(times)),
        "p99_ms": _ms(_percentile(times, 0.99)),
        "recall": hits / len(samples),
    }


def _sample_dict(sample: Sample) -> dict[str, Any]:
    return {k: getattr(sample, k) for k in ("text", "source_id", "start", "end", "edits", "words")}


def _read_samples(path: Path) -> list[Sample]:
    return [Sample(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


def _emit(**row: Any) -> None:
    """A worker's result line: the parent reads these even when it has to kill the worker."""
    print(json.dumps(row), flush=True)


def _prime(registry: Any) -> float:
    """Builds or loads `registry`'s index outside the timings: through `quotecheck.sources.index.index_for` where it exists,
    else through a `verify()` of words no source has. Returns the seconds it took."""
    import quotecheck  # noqa: PLC0415

    t = time.perf_counter()
    try:
        from quotecheck.sources.index import index_for  # noqa: PLC0415
    except ImportError:
        quotecheck.verify("zqxj vbnm wqpz", registry=registry)
    else:
        index_for(registry)
    return time.perf_counter() - t


# ---------------------------------------------------------------------------------------------------------------
# Workers: each runs in its own process (`--worker NAME SPEC`) and prints JSON lines.


def worker_scale(spec: dict[str, Any]) -> None:
    """A fresh process: load the registry and its saved index, then verify each quotation twice."""
    t = time.perf_counter()
    import quotecheck  # noqa: PLC0415

    _emit(event="import", seconds=time.perf_counter() - t, module=quotecheck.__file__)
    t = time.perf_counter()
    registry = quotecheck.Registry.from_path(spec["data"])
    _emit(event="registry_load", seconds=time.perf_counter() - t)
    _emit(event="index_load", seconds=_prime(registry))
    samples = _read_samples(Path(spec["samples"]))
    texts = [(source.id, source.text) for source in registry]
    step = max(1, len(samples) // max(1, spec["baseline_quotes"]))
    for name in ("first", "warm"):
        for n, sample in enumerate(samples):
            t, cpu = time.perf_counter(), time.process_time()
            result = quotecheck.verify(sample.text, registry=registry)
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
            source = result.source
            hit = source is not None and found(sample, source.id, source.start, source.end)
            _emit(event="verify", **{"pass": name}, n=n, seconds=seconds, cpu=cpu, found=hit)
            if name == "first" and n % step == 0 and n // step < spec["baseline_quotes"]:
                # The naive scan spread over the first pass, so that a change in the machine's load touches both.
                _emit(event="naive", n=n, **naive_scan(texts, [sample]))
    _emit(event="candidate_recall", **_candidate_recall(registry, samples))


def _candidate_recall(registry: Any, samples: list[Sample]) -> dict[str, Any]:
    """run.py's candidate recall. It reads the index's internals; if they changed, says so instead."""
    try:
        from quotecheck.matching.align import _pieces  # noqa: PLC0415
        from quotecheck.sources import index as qindex  # noqa: PLC0415
        from quotecheck.text.normalize import tokenize  # noqa: PLC0415

        index = qindex.index_for(registry)
        position = {source.id: n for n, source in enumerate(registry)}
        held = 0
        for sample in samples:
            tokens = tokenize(sample.text, marks=True)
            source = registry[sample.source_id]
            span = [n for n, token in enumerate(source.tokens) if sample.start <= token.start and token.end <= sample.end]
            windows = index.candidates(_pieces(tokens), ellipses=sample.text.count("..."))
            if any(lo <= span[0] and span[-1] < hi for lo, hi in windows.get(position[sample.source_id], [])):
                held += 1
    except (ImportError, AttributeError, TypeError) as error:
        return {"candidate_recall": None, "why": f"the index's internals changed: {error}"}
    return {"candidate_recall": held / len(samples)}


def worker_letter(spec: dict[str, Any]) -> None:
    """verify() against the letter alone, first pass and warm, and the naive scan in the same process."""
    import quotecheck  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(LETTER, tmp)
        registry = quotecheck.Registry.from_path(tmp)
    samples = _read_samples(Path(spec["samples"]))
    _emit(event="index_load", seconds=_prime(registry))
    texts = [(source.id, source.text) for source in registry]
    naive: list[float] = []
    for name in ("first", "warm"):
        times, hits = [], 0
        for sample in samples:
            t = time.perf_counter()
            result = quotecheck.verify(sample.text, registry=registry)
            times.append(time.perf_counter() - t)
            source = result.source
            hits += source is not None and found(sample, source.id, source.start, source.end)
            if name == "first":  # each quotation's naive scan right after it: a drift in the machine's speed touches both
                naive.append(naive_scan(texts, [sample])["median_ms"])
        _emit(
            event="verify",
            **{"pass": name},
            median_ms=_ms(statistics.median(times)),
            p99_ms=_ms(_percentile(times, 0.99)),
            recall=hits / len(samples),
        )
    hits = sum(naive_scan(texts, [sample])["recall"] for sample in samples)
    _emit(
        event="naive", median_ms=round(statistics.median(naive), 4), p99_ms=round(_percentile(naive, 0.99), 4), recall=hits / len(samples)
    )


def worker_articles(_spec: dict[str, Any]) -> None:
    """check() of each seed article, in a fresh process (first pass) and again (warm)."""
    t = time.perf_counter()
    import quotecheck  # noqa: PLC0415

    registry = quotecheck.builtin_registry()
    _emit(event="setup", seconds=time.perf_counter() - t)
    articles = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    for name in ("first", "warm"):
        for path, text in articles:
            t = time.perf_counter()
            report = quotecheck.check(text, registry=registry, path=path)
            _emit(event="check", **{"pass": name}, path=path, seconds=time.perf_counter() - t, quotes=len(report.quotes))


def worker_growth(spec: dict[str, Any]) -> None:
    """Times `verify()` (or `check()` of an article) on each input in turn, in one process: the best of up to five runs
    while they take under a second in all, or one run where the case asks for a first pass."""
    import quotecheck  # noqa: PLC0415

    registries = {name: quotecheck.Registry.from_path(path) for name, path in spec["registries"].items()}
    for registry in registries.values():
        _prime(registry)
        if spec["warmup"]:
            quotecheck.verify(spec["warmup"], registry=registry)  # reads the source's words outside the timings
    for case in spec["cases"]:
        registry = registries[case["registry"]]
        run: Callable[[str], Any] = quotecheck.check if case["how"] == "check" else quotecheck.verify
        seconds = cpu = float("inf")
        spent = 0.0
        for _ in range(5 if case.get("repeat", True) else 1):  # the best of up to five while they take under a second in all
            t, c = time.perf_counter(), time.process_time()
            result = run(case["text"], registry=registry)
            seconds, cpu = min(seconds, time.perf_counter() - t), min(cpu, time.process_time() - c)
            spent += time.perf_counter() - t
            if spent > 1:
                break
        verdicts = [q.verdict.value for q in result.quotes] if case["how"] == "check" else [result.verdict.value]
        _emit(event="case", name=case["name"], seconds=seconds, cpu=cpu, verdicts=sorted(set(verdicts)))


WORKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "scale": worker_scale,
    "letter": worker_letter,
    "articles": worker_articles,
    "growth": worker_growth,
}


# ---------------------------------------------------------------------------------------------------------------
# Running a process with a bound


def spawn(command: list[str], *, timeout: float, env: dict[str, str], stdout: Path) -> dict[str, Any]:
    """Runs `command` in its own process group, killed at `timeout` seconds; its standard output goes to `stdout`.

    Returns wall seconds, CPU seconds, peak RSS (the operating system's accounting of this child) and whether it
    was killed.
    """
    with stdout.open("wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "returncode": process.returncode,
        "timed_out": killed.is_set(),
        "stderr": tail if process.returncode and not killed.is_set() else "",
    }


def run_worker(
    name: str, spec: dict[str, Any], *, timeout: float, env: dict[str, str], tmp: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    spec_path = tmp / f"{name}-spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    out = tmp / f"{name}-out.jsonl"
    info = spawn([sys.executable, str(Path(__file__).resolve()), "--worker", name, str(spec_path)], timeout=timeout, env=env, stdout=out)
    rows = []
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    if info["stderr"]:
        print(f"  worker {name} failed:\n{info['stderr']}", file=sys.stderr)
    return rows, info


def _timeout_note(info: dict[str, Any], timeout: float) -> str | None:
    """Why a process did not finish normally; exit 1 is the CLI's "a quotation has a failing verdict", not a failure."""
    if info["timed_out"]:
        return f"timed out after {timeout:g} s"
    return f"failed (exit {info['returncode']})" if info["returncode"] not in (0, 1) else None


# ---------------------------------------------------------------------------------------------------------------
# Inputs


def registry_dir(data: Path, size: int) -> Path:
    """The cached synthetic registry of `size` sources (generate.py), written on first use."""
    path = data / f"registry-{size}"
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        write_registry(path, size)
        (path / ".complete").write_text("ok\n")
    return path


def scale_samples(data: Path, size: int, registry: Any, count: int) -> list[Sample]:
    """Quotations drawn as run.py draws them (seed = size), cached beside the registry so every run uses the same."""
    path = data / f"samples-{size}-{count}.json"
    if path.exists():
        return _read_samples(path)
    samples = list(quotations(registry, count, seed=size))
    path.write_text(json.dumps([_sample_dict(s) for s in samples]), encoding="utf-8")
    return samples


def _write_source(root: Path, name: str, text: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{name}.txt").write_text(f'+++\nspeaker = "{SPEAKER}"\n+++\n{text}', encoding="utf-8")


def synthetic_words(count: int, seed: int) -> list[str]:
    """`count` printed words (punctuation attached) of generated English: real words of the source they go in."""
    rng = random.Random(seed)
    words: list[str] = []
    while len(words) < count:
        words.extend(render(chain().words(rng, 2000)).split())
    return words[:count]


def _vocabulary_word(rng: random.Random, instead_of: str) -> str:
    while True:
        word = rng.choice(chain().vocabulary)
        if word.lower() != re.sub(r"\W", "", instead_of).lower() and len(word) > 2:
            return word


def every_fifth_changed(words: list[str], n: int, rng: random.Random) -> str:
    start = len(words) // 3
    printed = words[start : start + n]
    for k in range(4, n, 5):
        printed[k] = _vocabulary_word(rng, printed[k])
    return " ".join(printed)


def marked_quotation(words: list[str], marks: int, rng: random.Random, *, mark: str) -> str:
    """Consecutive source words with every third one replaced: by a bracketed other word (`alpha [x] gamma`), or
    by an ellipsis standing for it (`alpha ... gamma`). `marks` of them."""
    start = len(words) // 4
    printed = words[start : start + 3 * marks + 2]
    for k in range(2, 3 * marks + 2, 3):
        printed[k] = f"[{_vocabulary_word(rng, printed[k]).lower()}]" if mark == "brackets" else "..."
    return " ".join(printed)


def article(quotation: str) -> str:
    return f"{SPEAKER} said on Monday: \u201c{quotation}\u201d\n"


# ---------------------------------------------------------------------------------------------------------------
# Cases, run from the parent


def case_scale(size: int, args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, Any]:
    import quotecheck  # noqa: PLC0415 - the parent needs the registry for the quotations and the naive scan

    data = registry_dir(args.data, size)
    text_bytes = sum(p.stat().st_size for p in data.glob("*.txt"))
    cache = tmp / f"cache-{size}"
    cache.mkdir()
    env = {**env, "QUOTECHECK_CACHE_DIR": str(cache)}
    row: dict[str, Any] = {"sources": size, "text_mb": round(text_bytes / 1e6, 1)}
    build = spawn([*_cli(), "index", "--registry", str(data)], timeout=args.timeout, env=env, stdout=tmp / f"index-{size}.txt")
    index_bytes = sum(p.stat().st_size for p in cache.iterdir())
    row["index_build"] = {
        "wall_s": round(build["wall_s"], 2),
        "peak_rss_mb": round(build["peak_rss_mb"]),
        "file_mb": round(index_bytes / 1e6, 1),
        "file_vs_text": round(index_bytes / text_bytes, 2),
        "note": _timeout_note(build, args.timeout),
    }
    registry = quotecheck.Registry.from_path(data)
    samples = scale_samples(args.data, size, registry, args.quotes)
    row["samples_sha256"] = hashlib.sha256("\n".join(s.text for s in samples).encode()).hexdigest()[:16]
    timeout = 3 * args.timeout
    rows, info = run_worker(
        f"scale-{size}",
        {"data": str(data), "samples": str(args.data / f"samples-{size}-{args.quotes}.json"), "baseline_quotes": args.baseline_quotes},
        timeout=timeout,
        env=env,
        tmp=tmp,
    )
    row["fresh_process"] = {
        "peak_rss_mb": round(info["peak_rss_mb"]),
        "wall_s": round(info["wall_s"], 1),
        "note": _timeout_note(info, timeout),
    }
    for event in rows:
        if event["event"] in ("registry_load", "index_load", "import"):
            row["fresh_process"][f"{event['event']}_s"] = round(event["seconds"], 3)
        elif event["event"] == "candidate_recall":
            row["candidate_recall"] = event["candidate_recall"]
            if event.get("why"):
                row["candidate_recall_why"] = event["why"]
    for name in ("first", "warm"):
        done = [e for e in rows if e["event"] == "verify" and e["pass"] == name]
        if not done:
            row[name] = {"done": 0}
            continue
        times = [e["seconds"] for e in done]
        row[name] = {
            "done": len(done),
            "median_ms": _ms(statistics.median(times)),
            "p99_ms": _ms(_percentile(times, 0.99)),
            "max_ms": _ms(max(times)),
            "mean_ms": _ms(statistics.fmean(times)),
            "recall": round(sum(e["found"] for e in done) / len(done), 4),
        }
    scans = [e for e in rows if e["event"] == "naive"]
    if scans:
        times = [e["median_ms"] for e in scans]
        base = {
            "quotes": len(scans),
            "median_ms": _ms(statistics.median(times) / 1000),
            "recall": statistics.fmean(e["recall"] for e in scans),
        }
    else:  # the worker died before its first scan: scan here
        base = naive_scan([(s.id, s.text) for s in registry], samples[: args.baseline_quotes])
    row["naive"] = base
    for name in ("first", "warm"):
        if row[name].get("done"):
            row[name]["median_speedup"] = _significant(base["median_ms"] / row[name]["median_ms"])
            row[name]["p99_speedup"] = _significant(base["median_ms"] / row[name]["p99_ms"])
    return row


def case_letter(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, Any]:
    import quotecheck  # noqa: PLC0415 - the quotations are drawn here, and cached, so that every run uses the same

    path = args.data / f"samples-letter-{args.letter_quotes}.json"
    if not path.exists():
        with tempfile.TemporaryDirectory() as registry:
            shutil.copy(LETTER, registry)
            samples = quotations(quotecheck.Registry.from_path(registry), args.letter_quotes, seed=7)
            path.write_text(json.dumps([_sample_dict(s) for s in samples]), encoding="utf-8")
    rows, info = run_worker("letter", {"samples": str(path)}, timeout=args.timeout, env=env, tmp=tmp)
    out: dict[str, Any] = {"quotes": args.letter_quotes, "note": _timeout_note(info, args.timeout)}
    for event in rows:
        if event["event"] == "verify":
            out[event["pass"]] = {k: event[k] for k in ("median_ms", "p99_ms", "recall")}
        elif event["event"] == "naive":
            out["naive"] = {k: event[k] for k in ("median_ms", "p99_ms", "recall")}
    if "naive" in out and "first" in out:
        for name in ("first", "warm"):
            out[name]["vs_naive"] = round(out[name]["median_ms"] / out["naive"]["median_ms"], 2)
    return out


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "quotecheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "quotecheck"]


def case_articles(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, Any]:
    rows, info = run_worker("articles", {}, timeout=args.timeout, env=env, tmp=tmp)
    out: dict[str, Any] = {"note": _timeout_note(info, args.timeout), "peak_rss_mb": round(info["peak_rss_mb"])}
    for event in rows:
        if event["event"] == "setup":
            out["setup_s"] = round(event["seconds"], 3)
    for name in ("first", "warm"):
        done = [e for e in rows if e["event"] == "check" and e["pass"] == name]
        out[name] = {
            "articles": len(done),
            "total_ms": _ms(sum(e["seconds"] for e in done)),
            "per_article_ms": {e["path"]: _ms(e["seconds"]) for e in done},
        }
    cli, start = [], []
    for _ in range(args.cli_runs):  # in turn, so a drift in the machine's speed touches both
        cli.append(spawn([*_cli(), "check", str(ARTICLES)], timeout=args.timeout, env=env, stdout=tmp / "cli.txt"))
        start.append(spawn([sys.executable, "-c", "import quotecheck"], timeout=args.timeout, env=env, stdout=tmp / "import.txt"))
    wall = statistics.median(r["wall_s"] for r in cli)
    base = statistics.median(r["wall_s"] for r in start)
    out["cli"] = {
        "command": "quotecheck check fixtures/articles",
        "runs": len(cli),
        "median_wall_s": round(wall, 3),
        "min_wall_s": round(min(r["wall_s"] for r in cli), 3),
        "max_wall_s": round(max(r["wall_s"] for r in cli), 3),
        "median_cpu_s": round(statistics.median(r["cpu_s"] for r in cli), 3),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in cli)),
        "exit": sorted({r["returncode"] for r in cli}),
        "import_quotecheck_wall_s": round(base, 3),
        "vs_import": round(wall / base, 2),
        "note": next((_timeout_note(r, args.timeout) for r in cli if _timeout_note(r, args.timeout)), None),
    }
    return out


def _series(rows: list[dict[str, Any]], names: list[str], info: dict[str, Any], timeout: float) -> dict[str, Any]:
    """The times of a series of inputs in one process (CPU seconds, which a busy machine moves less than wall-clock
    seconds, and wall-clock); the ones not reached are marked as not finished."""
    seconds = {e["name"]: e["seconds"] for e in rows if e["event"] == "case"}
    verdicts = {e["name"]: e["verdicts"] for e in rows if e["event"] == "case"}
    note = _timeout_note(info, timeout)
    cpu = {e["name"]: e["cpu"] for e in rows if e["event"] == "case"}
    return {
        "cpu_seconds": {n: (round(cpu[n], 4) if n in cpu else None) for n in names},
        "wall_seconds": {n: (round(seconds[n], 4) if n in seconds else None) for n in names},
        "verdicts": verdicts,
        "largest_finished": next((n for n in reversed(names) if n in seconds), None),
        "note": (f"{note}; {', '.join(n for n in names if n not in seconds)} did not finish" if note else None),
        "peak_rss_mb": round(info["peak_rss_mb"]),
    }


def _ratio(series: dict[str, Any], a: str, b: str) -> float | None:
    x, y = series["cpu_seconds"].get(a), series["cpu_seconds"].get(b)
    return round(y / x, 1) if x and y else None


def case_growth(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, Any]:
    rng = random.Random(12)
    words = synthetic_words(args.source_words, seed=5)
    long_source = tmp / "growth-registry"
    _write_source(long_source, "long", render_paragraphs(words))
    warmup = " ".join(words[100:110])
    out: dict[str, Any] = {"source_words": len(words)}

    for shape in ("one_sentence", "prose"):
        # One sentence (the quotation's punctuation dropped) is the case where every cut re-aligns the whole
        # quotation; in prose the quotation is also cut at each sentence end, into short pieces.
        sizes = args.growth_words + (args.growth_extra if shape == "one_sentence" else [])
        texts = [every_fifth_changed(words, n, rng) for n in sizes]
        if shape == "one_sentence":
            texts = [re.sub(r"[.,;:?!]", "", t) for t in texts]
        cases = [{"name": f"{n} words", "registry": "long", "how": "verify", "text": t} for n, t in zip(sizes, texts, strict=True)]
        spec = {"registries": {"long": str(long_source)}, "warmup": warmup, "cases": cases}
        rows, info = run_worker(f"growth-words-{shape}", spec, timeout=args.timeout, env=env, tmp=tmp)
        names = [c["name"] for c in cases]
        series = _series(rows, names, info, args.timeout)
        series["ratio_4x_words"] = _ratio(series, names[0], names[2]) if len(names) > 2 else None
        out[f"every_fifth_word_{shape}"] = series

    letter = tmp / "letter-registry"
    letter.mkdir()
    shutil.copy(LETTER, letter)
    letter_words = re.findall(r"[A-Za-z]+", LETTER.read_text(encoding="utf-8").split("+++")[-1])
    middle = len(letter_words) // 2
    alpha, gamma = letter_words[middle], letter_words[middle + 2]
    registries = {"long": str(long_source), "letter": str(letter)}
    for mark, sign in (("brackets", "[x]"), ("ellipses", "...")):
        for shape in ("repeated", "run"):
            small, large = args.marks, 10 * args.marks
            if shape == "repeated":  # the issue's `alpha [x] gamma` repeated, alpha and gamma two words of the letter
                texts = [article(" ".join(f"{alpha} {sign} {gamma}" for _ in range(m))) for m in (small, large)]
            else:
                texts = [article(marked_quotation(words, m, rng, mark=mark)) for m in (small, large)]
            key = "letter" if shape == "repeated" else "long"
            cases = [
                {"name": f"{m} {mark}", "registry": key, "how": "check", "text": t} for m, t in zip((small, large), texts, strict=True)
            ]
            spec = {
                "registries": {key: registries[key]},
                "warmup": warmup if key == "long" else f"{alpha} {letter_words[middle + 1]} {gamma}",
            }
            rows, info = run_worker(f"growth-{mark}-{shape}", {**spec, "cases": cases}, timeout=args.timeout, env=env, tmp=tmp)
            series = _series(rows, [c["name"] for c in cases], info, args.timeout)
            series["article_bytes"] = [len(t.encode()) for t in texts]
            series["ratio_10x"] = _ratio(series, cases[0]["name"], cases[1]["name"])
            out[f"{mark}_{shape}"] = series

    base_words = synthetic_words(800, seed=9)
    one, many = tmp / "near-1", tmp / f"near-{args.near}"
    positions = random.Random(3).choices(range(len(base_words)), k=args.near - 1)  # each copy: one word of the base changed
    _write_source(one, "n0000", render_paragraphs(base_words))
    _write_source(many, "n0000", render_paragraphs(base_words))
    for n, at in enumerate(positions, start=1):
        copy = list(base_words)
        copy[at] = _vocabulary_word(rng, copy[at])
        _write_source(many, f"n{n:04d}", render_paragraphs(copy))
    quote = list(base_words[300:350])
    quote[25] = _vocabulary_word(rng, quote[25])
    text = " ".join(quote)
    registries = {"1": str(one), str(args.near): str(many)}
    cases = [
        {"name": f"{k} {p}", "registry": k, "how": "verify", "text": text, "repeat": False} for p in ("first", "warm") for k in registries
    ]
    rows, info = run_worker(
        "growth-near", {"registries": registries, "warmup": None, "cases": cases}, timeout=args.timeout, env=env, tmp=tmp
    )
    series = _series(rows, [c["name"] for c in cases], info, args.timeout)
    series["ratio_first"] = _ratio(series, "1 first", f"{args.near} first")
    series["ratio_warm"] = _ratio(series, "1 warm", f"{args.near} warm")
    series["sources"] = args.near
    out["near_identical"] = series
    return out


def render_paragraphs(words: list[str]) -> str:
    """Printed words back into text, a paragraph every 80 words or so (at a sentence end)."""
    out, since = [], 0
    for word in words:
        out.append(word)
        since += 1
        if since > 80 and word.endswith((".", "?", "!")):
            out.append("\n\n")
            since = 0
    return " ".join(out).replace(" \n\n ", "\n\n").strip() + "\n"


def case_memory(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> dict[str, Any]:
    registry = tmp / "repeat-registry"
    lines = [" ".join(["the"] * 20) for _ in range(args.repeat_words // 20)]
    _write_source(registry, "repeat", "\n".join(lines) + "\n")
    path = tmp / "repeat-article.txt"
    path.write_text("".join(f"{SPEAKER} said: \u201cthe the the the the.\u201d\n\n" for _ in range(args.repeat_quotes)), encoding="utf-8")
    out = tmp / "repeat.json"
    info = spawn([*_cli(), "check", "--format", "json", "--registry", str(registry), str(path)], timeout=args.timeout, env=env, stdout=out)
    return {
        "quotes": args.repeat_quotes,
        "source_words": len(lines) * 20,
        "wall_s": round(info["wall_s"], 2),
        "peak_rss_mb": round(info["peak_rss_mb"]),
        "json_mb": round(out.stat().st_size / 1e6, 2),
        "note": _timeout_note(info, args.timeout) or (f"exit {info['returncode']}" if info["returncode"] > 1 else None),
    }


# ---------------------------------------------------------------------------------------------------------------
# The table


def _fmt(value: float | None, unit: str = "", digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "not finished"
    return f"{seconds:,.2f} s" if seconds >= 1 else f"{1000 * seconds:,.1f} ms"


def _times(seconds: dict[str, float | None]) -> str:
    return ", ".join(f"{k} {_duration(v)}" for k, v in seconds.items())


def _row(case: str, measured: str, target: str = "") -> str:
    return f"| {case} | {measured} | {target} |"


def _scale_rows(row: dict[str, Any]) -> Iterator[str]:
    n = f"{row['sources']:,} sources"
    b = row["index_build"]
    load = _fmt(row["fresh_process"].get("index_load_s"), " s", 2)
    built = f"`quotecheck index` {_fmt(b['wall_s'], ' s')}, peak {b['peak_rss_mb']} MB"
    size = f"file {b['file_mb']} MB = {b['file_vs_text']}x the text ({row['text_mb']} MB)"
    yield _row(f"{n}: index", f"{built}; {size}; loaded in a fresh process in {load}", "file < 10x the text")
    note = row["fresh_process"]["note"]
    for name in ("first", "warm"):
        r = row[name]
        if not r.get("done"):
            yield _row(f"{n}: verify(), {name} pass", note or "not run")
            continue
        done = f"{r['done']} quotations; {note}" if note else f"{r['done']} quotations"
        median = f"median {_fmt(r['median_ms'], ' ms', 2)} ({r['median_speedup']:,}x faster than the naive median)"
        p99 = f"p99 {_fmt(r['p99_ms'], ' ms')} ({r['p99_speedup']:,}x)"
        target = "median >= 2,000x, p99 >= 200x faster than the naive median" if name == "first" else ""
        yield _row(f"{n}: verify(), {name} pass", f"{median}, {p99}; recall {r['recall']:.1%} ({done})", target)
    cand = row.get("candidate_recall")
    naive = row["naive"]
    measured = f"median {_fmt(naive['median_ms'], ' ms')} ({naive['quotes']} quotations), recall {naive['recall']:.0%}"
    yield _row(f"{n}: naive scan", f"{measured}; candidate recall {'-' if cand is None else f'{cand:.1%}'}", "recall 100% (both)")


def table(results: dict[str, Any]) -> Iterator[str]:
    """The results as a Markdown table: case, what was measured, issue 12's target."""
    yield "| case | measured (growth: CPU time of the process) | target |"
    yield "| --- | --- | --- |"
    for row in results.get("scale", []):
        yield from _scale_rows(row)
    letter = results.get("letter")
    if letter and "first" in letter:
        first, warm, naive = letter["first"], letter["warm"], letter["naive"]
        measured = f"median {first['median_ms']:.3f} ms first pass, {warm['median_ms']:.3f} ms warm; naive {naive['median_ms']:.3f} ms"
        yield _row("the letter alone: verify()", f"{measured}: {first['vs_naive']}x the naive median", "<= 1.0x")
    arts = results.get("articles")
    if arts:
        first, warm, cli = arts["first"], arts["warm"], arts["cli"]
        yield _row(
            "seed articles: check()",
            f"{_fmt(first['total_ms'], ' ms')} first pass ({first['articles']}), {_fmt(warm['total_ms'], ' ms')} warm",
        )
        spread = f"median of {cli['runs']}; {cli['min_wall_s']:.2f} to {cli['max_wall_s']:.2f}"
        start = f"{cli['vs_import']}x `python -c 'import quotecheck'` ({cli['import_quotecheck_wall_s']:.2f} s)"
        measured = f"{cli['median_wall_s']:.2f} s ({spread}; CPU {cli['median_cpu_s']:.2f} s), {start}, peak {cli['peak_rss_mb']} MB"
        yield _row(f"`{cli['command']}`", measured)
    growth = results.get("growth")
    if growth:
        for shape, what in (("one_sentence", "one sentence"), ("prose", "prose")):
            g = growth[f"every_fifth_word_{shape}"]
            note = f"; {g['note']}" if g["note"] else ""
            case = f"every fifth word changed ({what}), {growth['source_words']:,}-word source: verify()"
            yield _row(case, f"{_times(g['cpu_seconds'])}; 4x the words: {_fmt(g['ratio_4x_words'], 'x')} the time{note}", "<= 8x")
        for mark in ("brackets", "ellipses"):
            sign = "[x]" if mark == "brackets" else "..."
            for shape, what in (("repeated", f"`alpha {sign} gamma` repeated, the letter"), ("run", "a run of source words, every third")):
                s = growth[f"{mark}_{shape}"]
                note = f"; {s['note']}" if s["note"] else ""
                yield _row(f"{mark} ({what}): check()", f"{_times(s['cpu_seconds'])}; 10x: {_fmt(s['ratio_10x'], 'x')}{note}", "<= 12x")
        s = growth["near_identical"]
        note = f"; {s['note']}" if s["note"] else ""
        ratios = f"first pass {_fmt(s['ratio_first'], 'x')}, warm {_fmt(s['ratio_warm'], 'x')}"
        yield _row(
            f"50 words, 1 vs {s['sources']:,} near-identical sources: verify()", f"{_times(s['cpu_seconds'])}; {ratios}{note}", "<= 20x"
        )
    memory = results.get("memory")
    if memory:
        note = f"; {memory['note']}" if memory["note"] else ""
        case = f"{memory['quotes']} quotations `the the the the the`, {memory['source_words']:,}-word source: `check --format json`"
        yield _row(case, f"{memory['wall_s']} s, peak {memory['peak_rss_mb']} MB, JSON {memory['json_mb']} MB{note}", "< 400 MB, < 10 MB")


def machine() -> dict[str, Any]:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _code() -> dict[str, Any]:
    """Which quotecheck is measured: its path and, if it is a git checkout, the commit."""
    found = subprocess.run(
        [sys.executable, "-c", "import quotecheck; print(quotecheck.__file__)"], capture_output=True, text=True, check=True
    )
    path = Path(found.stdout.strip())
    commit = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    return {"quotecheck": str(path), "commit": commit.stdout.strip() or None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "SPEC"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="smaller sizes throughout: a check that the script runs (under 2 minutes)")
    parser.add_argument("--sizes", type=int, nargs="+", help="registry sizes for verify() (default 10000; --quick: 1000)")
    parser.add_argument("--quotes", type=int, help="quotations per size (default 200; --quick: 100)")
    parser.add_argument("--baseline-quotes", type=int, help="quotations the naive scan is timed on (default 10; --quick: 5)")
    parser.add_argument(
        "--cases",
        nargs="+",
        default=["scale", "letter", "articles", "growth", "memory"],
        choices=["scale", "letter", "articles", "growth", "memory"],
    )
    parser.add_argument("--timeout", type=float, help="seconds each case may take (default 150; --quick: 30); scale gets 3x")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where the generated registries are cached")
    parser.add_argument("--label", help="names the results file: results/end-to-end-LABEL.json")
    args = parser.parse_args(argv)
    if args.worker:
        WORKERS[args.worker[0].split("-")[0]](json.loads(Path(args.worker[1]).read_text(encoding="utf-8")))
        return 0
    quick = args.quick
    defaults = {
        "sizes": [1000] if quick else [10000],
        "quotes": 100 if quick else 200,
        "baseline_quotes": 5 if quick else 10,
        "timeout": 30.0 if quick else 150.0,
    }
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.letter_quotes = 100 if quick else 300
    args.cli_runs = 3 if quick else 5
    args.source_words = 20000
    args.growth_words = [50, 100, 200] if quick else [200, 400, 800]
    args.growth_extra = [] if quick else [1600]  # the size past the target's, to see where the time goes
    args.marks = 5 if quick else 10
    args.near = 100 if quick else 1000
    args.repeat_words = 4000 if quick else 20000
    args.repeat_quotes = 20 if quick else 100
    args.data.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "code": _code(),
        "quick": quick,
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    print(
        f"measuring {results['code']['quotecheck']} ({results['code']['commit']}); load average {results['load_average_before']}",
        flush=True,
    )
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="qc-e2e-") as name:
        tmp = Path(name)
        env["QUOTECHECK_CACHE_DIR"] = str(tmp / "cache")  # no saved index from an earlier run or another version
        if "scale" in args.cases:
            results["scale"] = []
            for size in args.sizes:
                results["scale"].append(case_scale(size, args, env, tmp))
                print(json.dumps({"scale": results["scale"][-1]}), flush=True)
        for case, run in (("letter", case_letter), ("articles", case_articles), ("growth", case_growth), ("memory", case_memory)):
            if case in args.cases:
                try:
                    results[case] = run(args, env, tmp)
                except Exception as error:
                    results[case] = {"error": f"{type(error).__name__}: {error}"}
                    print(f"case {case} failed: {results[case]['error']}", file=sys.stderr)
                    continue
                print(json.dumps({case: results[case]}), flush=True)
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    results["total_s"] = round(time.perf_counter() - started, 1)
    print()
    for line in table(results):
        print(line)
    print(f"\n{results['total_s']} s; load average {results['load_average_before']} before, {results['load_average_after']} after")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    label = args.label or ("quick" if quick else "-".join(map(str, args.sizes)))
    (out / f"end-to-end-{label}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
