"""Import of the quick bundle (2 boards x 2 years) into an empty, migrated database, in a child process.

The child (python -m tests.benchmarks.bench_import) times import_records in-process and prints JSON.
"""

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time

from tests.benchmarks import dataset, harness
from tests.benchmarks.harness import Scenario

QUICK = (2, 2)


def _scratch(spec):
    if spec.vendor == "sqlite":
        return str(dataset.DATA / f"import-scratch-{os.getpid()}.sqlite3")
    return f"{dataset._db_name(spec.database_url)}_import_scratch"


def scenarios(ctx):
    quick = dataset.Spec(*QUICK, seed=ctx.spec.seed, database_url=ctx.spec.database_url)

    def external(warmup, repeat):
        bundle = dataset.ensure_bundle(quick, quick.env())
        template = dataset.empty_template(quick)
        scratch = _scratch(quick)
        if quick.vendor == "sqlite":
            env = quick.env(sqlite_path=scratch)
        else:
            env = quick.env(database_url=dataset.with_database(quick.database_url, scratch))
        env["BENCH_MEDIA_ROOT"] = str(dataset.DATA / "media-import-scratch")
        command = [sys.executable, "-m", "tests.benchmarks.bench_import", str(bundle), template, scratch]
        command += ["--vendor", quick.vendor, "--warmup", str(warmup), "--repeat", str(repeat)]
        if quick.vendor == "postgresql":
            command += ["--server", quick.database_url]
        try:
            done = subprocess.run(command, cwd=dataset.ROOT, env=env, check=True, capture_output=True, text=True)
        finally:
            if quick.vendor == "sqlite":
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(scratch)
            else:
                dataset._pg(quick.database_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        return json.loads(done.stdout.strip().splitlines()[-1])

    return [
        Scenario(
            "import quick bundle",
            run=None,
            shape=f"{QUICK[0]} boards x {QUICK[1]} years into an empty database (child process)",
            external=external,
            repeat=1 if ctx.quick else 3,
            warmup=0 if ctx.quick else 1,
        )
    ]


def child(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle")
    parser.add_argument("template")
    parser.add_argument("scratch")
    parser.add_argument("--vendor")
    parser.add_argument("--server", default="")
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    spec = dataset.Spec(*QUICK, seed=1, database_url=args.server)
    counter = {"n": 0}

    def count(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    timings, queries = [], []
    for n in range(min(args.warmup, 1) + args.repeat):
        connection.close()
        dataset.copy_empty(spec, args.template, args.scratch)
        counter["n"] = 0
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            call_command("import_records", args.bundle, stdout=io.StringIO())
        if n >= min(args.warmup, 1):
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(counter["n"])
    connection.close()
    result = {
        "runs": len(timings),
        "median_ms": statistics.median(timings),
        "p95_ms": harness.percentile(timings, 95),
        "min_ms": min(timings),
        "queries": queries[-1],
        "peak_rss_mb": harness.peak_rss_mb(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    child()
