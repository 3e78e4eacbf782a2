"""Profiling aid: the queries (with times) one request makes on a benchmark dataset.

python -m tests.benchmarks.explain URL [--quick] [--as USERNAME] [--explain]  (--explain: EXPLAIN the slowest)
"""

import argparse
import os
import re
import time

from tests.benchmarks import dataset, run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--as", dest="username")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--trace", help="print where each query whose SQL contains this text comes from")
    args = parser.parse_args(argv)
    boards, years = run.QUICK if args.quick else run.FULL
    spec = dataset.Spec(boards, years, 1, database_url=os.environ.get("DATABASE_URL", ""))
    os.environ.update({k: v for k, v in spec.env().items() if k.startswith(("DJANGO_", "BENCH_"))})
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.username:
        client.force_login(User.objects.get(username=args.username))
    client.get(args.url)

    def trace(execute, sql, params, many, context):
        if args.trace and args.trace in sql:
            import traceback

            frames = [f for f in traceback.extract_stack() if "/site-packages/django/" not in f.filename]
            print(f"--- {sql[:120]}")
            for frame in frames[-12:-1]:
                print(f"    {frame.filename.replace(str(dataset.ROOT) + '/', '')}:{frame.lineno} {frame.name}")
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(trace):
        started = time.perf_counter()
        response = client.get(args.url)
        elapsed = (time.perf_counter() - started) * 1000
    for n, query in enumerate(captured.captured_queries, 1):
        sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", query["sql"])
        print(f"{n:3d} {float(query['time']) * 1000:7.1f}ms  {sql[:600]}")
    print(f"HTTP {response.status_code}, {len(captured)} queries, {elapsed:.1f} ms")
    if args.explain and captured.captured_queries:
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + slowest["sql"])
            for row in cursor.fetchall():
                print(" ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
