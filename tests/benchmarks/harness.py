"""The measuring machinery: scenarios, timing after a warm-up, query counts, peak RSS, table and JSON.

bench_*.py modules describe scenarios with it; run.py drives them.
"""

import json
import platform
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def peak_rss_mb():
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Budget:
    """The issue's budget for a scenario (20 x 10 dataset, PostgreSQL): None means not budgeted."""

    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    floor_ratio: float | None = None  # ours / floor
    peer_ratio: float | None = None  # ours / peer
    constant_queries: bool = False  # same count for a short and a long list

    def check(self, result):
        """A list of (what, ok) pairs for the result against this budget."""
        out = []
        if self.median_ms is not None:
            out.append((f"median≤{self.median_ms:g}ms", result["median_ms"] <= self.median_ms))
        if self.p95_ms is not None:
            out.append((f"p95≤{self.p95_ms:g}ms", result["p95_ms"] <= self.p95_ms))
        if self.queries is not None and result.get("queries") is not None:
            out.append((f"queries≤{self.queries}", result["queries"] <= self.queries))
        ratios = result.get("ratios", {})
        if self.floor_ratio is not None and "floor" in ratios:
            out.append((f"≤{self.floor_ratio:g}×floor", ratios["floor"] <= self.floor_ratio))
        if self.peer_ratio is not None and "peer" in ratios:
            out.append((f"≤{self.peer_ratio:g}×peer", ratios["peer"] <= self.peer_ratio))
        if self.constant_queries and result.get("queries_short_list") is not None:
            out.append(("constant queries", result["queries_short_list"] == result["queries"]))
        return out


@dataclass
class Scenario:
    """One measured thing: `run()` does one request (or unit of work) and returns the response.

    `prepare()` runs untimed before each call (e.g. emptying the PDF store for a cold render);
    `check(response)` guards against timing an error page; `baselines` maps a kind ("floor", "peer") to
    another scenario whose median is printed as a ratio beside this one.
    """

    name: str
    run: object
    shape: str = ""
    prepare: object = None
    check: object = None
    baselines: dict = field(default_factory=dict)  # kind ("floor" | "peer") -> scenario name
    budget: Budget = field(default_factory=Budget)
    is_baseline: bool = False
    short_list_run: object = None  # the same listing with few rows: its query count should be equal
    extra: object = None  # callable(result, timings) adding fields (e.g. PDF pages per second)
    count_queries: bool = True
    repeat: int | None = None  # overrides the run's repetitions (slow scenarios)
    external: object = None  # callable(warmup, repeat) -> result fields, measured in another process
    warmup: int | None = None  # overrides the run's warm-up count


def _call(scenario):
    if scenario.prepare:
        scenario.prepare()
    response = scenario.run()
    if scenario.check:
        scenario.check(response)
    return response


def measure(scenario, warmup, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if scenario.external:
        result = {"scenario": scenario.name, "shape": scenario.shape, "queries": None}
        warm = warmup if scenario.warmup is None else scenario.warmup
        result.update(scenario.external(warm, scenario.repeat or repeat))
        return result
    for _ in range(warmup if scenario.warmup is None else scenario.warmup):
        _call(scenario)
    timings, cpu = [], []
    for _ in range(scenario.repeat or repeat):
        if scenario.prepare:
            scenario.prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = scenario.run()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if scenario.check:
            scenario.check(response)
    result = {
        "scenario": scenario.name,
        "shape": scenario.shape,
        "runs": len(timings),
        "median_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "min_ms": min(timings),
        # CPU time of this process: less disturbed by a busy machine (the PostgreSQL server's work is not in it).
        "cpu_median_ms": statistics.median(cpu),
        "queries": None,
    }
    if scenario.count_queries:
        if scenario.prepare:
            scenario.prepare()
        with CaptureQueriesContext(connection) as captured:
            scenario.run()
        result["queries"] = len(captured)
        if scenario.short_list_run:
            # Warmed and prepared as the long list was, so both counts are of the same kind of request.
            scenario.short_list_run()
            if scenario.prepare:
                scenario.prepare()
            with CaptureQueriesContext(connection) as captured:
                scenario.short_list_run()
            result["queries_short_list"] = len(captured)
    result["peak_rss_mb"] = peak_rss_mb()
    if scenario.extra:
        scenario.extra(result, timings)
    return result


def add_baselines(scenarios, results):
    by_name = {r["scenario"]: r for r in results}
    for scenario in scenarios:
        result = by_name.get(scenario.name)
        if result is None:
            continue
        for kind, name in scenario.baselines.items():
            base = by_name.get(name)
            if base and base["median_ms"]:
                result.setdefault("ratios", {})[kind] = result["median_ms"] / base["median_ms"]
        if result and not scenario.is_baseline:
            checks = scenario.budget.check(result)
            result["budget"] = [{"what": what, "ok": ok} for what, ok in checks]


def machine_info():
    import os

    info = {
        "node": platform.node(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def git_commit():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    return {"commit": commit, "dirty": dirty}


def database_info():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = cursor.fetchone()[0]
    name = connection.settings_dict["NAME"]
    return {"vendor": connection.vendor, "version": version, "name": str(name)}


def _fmt(value, digits=1):
    if value is None:
        return "—"
    return f"{value:.{digits}f}"


def _baseline(result):
    parts = [f"{ratio:.2f}× {kind}" for kind, ratio in result.get("ratios", {}).items()]
    if result.get("pages_per_second") is not None:
        parts.append(f"{result['pages_per_second']:.0f} pages/s ({result['pdf_pages']} pages)")
    return ", ".join(parts)


def table(results):
    """The printed table: one row per scenario."""
    headers = ["scenario", "shape", "median ms", "p95 ms", "cpu ms", "queries", "peak RSS MB", "baseline", "budget"]
    rows = []
    for r in results:
        baseline = _baseline(r)
        queries = "—" if r["queries"] is None else str(r["queries"])
        if r.get("queries_short_list") is not None:
            queries += f" ({r['queries_short_list']} short)"
        budget = " ".join(("✓ " if b["ok"] else "✗ ") + b["what"] for b in r.get("budget", []))
        rows.append(
            [
                r["scenario"],
                r["shape"],
                _fmt(r["median_ms"]),
                _fmt(r["p95_ms"]),
                _fmt(r.get("cpu_median_ms")),
                queries,
                _fmt(r["peak_rss_mb"], 0),
                baseline,
                budget,
            ]
        )
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "-|-".join("-" * w for w in widths),
    ]
    for row in rows:
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def markdown_table(results):
    out = [
        "| scenario | shape | median ms | p95 ms | cpu ms | queries | peak RSS MB | baseline |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        baseline = _baseline(r)
        queries = "—" if r["queries"] is None else str(r["queries"])
        out.append(
            f"| {r['scenario']} | {r['shape']} | {_fmt(r['median_ms'])} | {_fmt(r['p95_ms'])} "
            f"| {_fmt(r.get('cpu_median_ms'))} | {queries} "
            f"| {_fmt(r['peak_rss_mb'], 0)} | {baseline} |"
        )
    return "\n".join(out)


def write_json(path, payload):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
