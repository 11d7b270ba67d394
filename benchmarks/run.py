"""The scale benchmark: quotecheck's index against a naive scan, from 1 to 10,000 sources.

Usage::

    python benchmarks/run.py                      # sizes 1, 100, 1000, 10000
    python benchmarks/run.py --sizes 1 100 1000   # a quicker run
    python benchmarks/run.py --quotes 500 --baseline-quotes 30

For each size it generates a synthetic registry (cached under
benchmarks/data/), loads it, builds the index, saves and reloads it, then
times `quotecheck.matching.align.align` on quotations drawn from the registry with 0
to 30% word edits, and the naive baseline in the same process: rapidfuzz
`partial_ratio_alignment` of the quotation against every source's text.
It also times the 1-source Krishna registry, the seed articles end to end
through the CLI, and `--jobs 2` against `--jobs 1` on 1,000 articles.
Results are printed as Markdown and written to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from baseline import found as found_in  # noqa: E402
from baseline import scan  # noqa: E402
from generate import Sample, quotations, write_registry  # noqa: E402

import quotecheck  # noqa: E402
from quotecheck.matching.align import _pieces, align  # noqa: E402
from quotecheck.sources import index as qindex  # noqa: E402
from quotecheck.text.normalize import tokenize  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_quotecheck(registry: quotecheck.Registry, samples: list[Sample]) -> dict[str, float]:
    """Latency and recall of `align`; `candidate_recall` is the index's guarantee: the true passage is in a candidate window."""
    times, hits, held = [], 0, 0
    index = qindex.index_for(registry)
    position = {source.id: n for n, source in enumerate(registry)}
    for sample in samples:
        tokens = tokenize(sample.text, marks=True)
        t = time.perf_counter()
        found = align(tokens, registry)
        times.append(time.perf_counter() - t)
        if found is not None and found_in(sample, found.source.id, found.start, found.end):
            hits += 1
        source = registry[sample.source_id]
        span = [n for n, token in enumerate(source.tokens) if sample.start <= token.start and token.end <= sample.end]
        windows = index.candidates(_pieces(tokens), ellipses=sample.text.count("..."))
        if any(lo <= span[0] and span[-1] < hi for lo, hi in windows.get(position[sample.source_id], [])):
            held += 1
    return {
        "median_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * _percentile(times, 0.99),
        "recall": hits / len(samples),
        "candidate_recall": held / len(samples),
    }


def measure_baseline(registry: quotecheck.Registry, samples: list[Sample]) -> dict[str, float]:
    times, hits = scan(samples, [(s.id, s.text) for s in registry])
    return {"median_ms": 1000 * statistics.median(times), "p99_ms": 1000 * _percentile(times, 0.99), "recall": hits / len(samples)}


def run_size(size: int, quotes: int, baseline_quotes: int) -> dict[str, object]:
    data = HERE / "data" / f"registry-{size}"
    if not (data / ".complete").exists():
        shutil.rmtree(data, ignore_errors=True)
        write_registry(data, size)
        (data / ".complete").write_text("ok\n")
    megabytes = sum(p.stat().st_size for p in data.glob("*.txt")) / 1e6
    t = time.perf_counter()
    registry = quotecheck.Registry.from_path(data)
    load_registry = time.perf_counter() - t
    rss_before = _rss_mb()
    t = time.perf_counter()
    built = qindex.WordIndex.build(registry)
    build = time.perf_counter() - t
    rss_build = _rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = qindex.save(built, Path(tmp) / "index.qci")
        size_mb = path.stat().st_size / 1e6
        t = time.perf_counter()
        qindex.load(path, registry.hash)
        load_index = time.perf_counter() - t
    qindex._INDEXES[id(registry)] = (qindex.weakref.ref(registry), built)  # the index just built, not a rebuild
    samples = list(quotations(registry, quotes, seed=size))
    ours = measure_quotecheck(registry, samples)
    base = measure_baseline(registry, samples[:baseline_quotes])
    return {
        "sources": size,
        "megabytes": round(megabytes, 1),
        "words": len(built.words),
        "registry_load_s": round(load_registry, 2),
        "index_build_s": round(build, 2),
        "index_file_mb": round(size_mb, 1),
        "index_load_s": round(load_index, 3),
        "peak_rss_mb": round(_rss_mb(), 0),
        "index_build_rss_increase_mb": round(rss_build - rss_before, 0),
        "quotes": len(samples),
        "quotecheck": {k: round(v, 4) for k, v in ours.items()},
        "baseline_quotes": min(baseline_quotes, len(samples)),
        "baseline": {k: round(v, 4) for k, v in base.items()},
        "speedup_median": round(base["median_ms"] / ours["median_ms"], 1),
    }


def run_krishna(quotes: int) -> dict[str, object]:
    """The 1-source case: quotations drawn from the Krishna letter alone."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(ROOT / "fixtures" / "sources" / "krishna-2020-06-08.txt", tmp)
        registry = quotecheck.Registry.from_path(tmp)
    samples = list(quotations(registry, quotes, seed=7))
    align(tokenize(samples[0].text, marks=True), registry)  # build the index outside the timing
    ours = measure_quotecheck(registry, samples)
    return {"sources": 1, "quotes": quotes, "quotecheck": ours, "baseline": measure_baseline(registry, samples)}


def _cli(*args: str) -> float:
    return _cli_cpu(*args)[0]


def _cli_cpu(*args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, all processes) of one CLI run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quotecheck", *args], check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def run_cli(articles: int) -> dict[str, object]:
    seeds = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
    out: dict[str, object] = {"seed_articles_s": round(min(_cli("check", "--exit-zero", *map(str, seeds)) for _ in range(3)), 3)}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(articles):
            seed = seeds[n % len(seeds)]
            shutil.copy(seed, Path(tmp) / f"{n:05d}-{seed.name}")
        one, one_cpu = _cli_cpu("check", "--exit-zero", "--format", "jsonl", "--jobs", "1", tmp)
        two, two_cpu = _cli_cpu("check", "--exit-zero", "--format", "jsonl", "--jobs", "2", tmp)
    out.update(
        articles=articles,
        jobs1_s=round(one, 2),
        jobs2_s=round(two, 2),
        jobs2_speedup=round(one / two, 2),
        jobs1_cpu_s=round(one_cpu, 2),
        jobs2_cpu_s=round(two_cpu, 2),
        load_average=round(os.getloadavg()[0], 1),
    )
    return out


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}, load average {load[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--quotes", type=int, default=300, help="quotations per size")
    parser.add_argument("--baseline-quotes", type=int, default=20, help="quotations the naive baseline is timed on")
    parser.add_argument("--articles", type=int, default=1000, help="articles for the --jobs comparison")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"machine": machine(), "sizes": []}
    print(f"machine: {results['machine']}", flush=True)
    krishna = run_krishna(args.quotes)
    results["krishna"] = krishna
    print(json.dumps({"krishna": krishna}), flush=True)
    if not args.skip_cli:
        results["cli"] = run_cli(args.articles)
        print(json.dumps({"cli": results["cli"]}), flush=True)
    for size in args.sizes:
        row = run_size(size, args.quotes, args.baseline_quotes)
        results["sizes"].append(row)  # type: ignore[attr-defined]
        print(json.dumps(row), flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    name = "scale-" + "-".join(map(str, args.sizes)) + ".json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
