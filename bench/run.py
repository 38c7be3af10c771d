"""Run the benchmarks on PostgreSQL and write bench/results/latest.md (`make bench`).

    python -m bench.run [--sizes 1k,10k] [--requests 30] [--skip-http]

For each size a fresh database is made (apcase_bench_1k, apcase_bench_10k), migrated and seeded,
and bench.phase times it in processes of its own; the HTTP load run uses the largest. The
databases are left in place afterwards for a closer look, and replaced by the next run. It exits
with status 1, after printing FAIL and the target, when a target of bench/report.py is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from bench.load import http_load
from bench.phase import PUPILS_PER_SCHOOL
from bench.report import checks, render

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
SIZES = {"1k": 2, "10k": 20, "100k": 200}  # label: schools (of PUPILS_PER_SCHOOL pupils); 100k: an LA's
# Where the benchmark databases are made: the role must be allowed to create databases.
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://apcase:apcase@127.0.0.1:5432")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="apcase benchmarks (PostgreSQL); writes bench/results/latest.md")
    parser.add_argument("--sizes", default="1k,10k", help="Comma-separated, from: " + ", ".join(SIZES))
    parser.add_argument("--results", type=Path, default=RESULTS, help="Where the Markdown goes.")
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (after 3 warm-ups).")
    parser.add_argument("--skip-http", action="store_true", help="Leave out the gunicorn + wrk load run.")
    args = parser.parse_args(argv)
    labels = [label.strip() for label in args.sizes.split(",")]
    unknown = set(labels) - set(SIZES)
    if unknown:
        parser.error(f"unknown size {', '.join(sorted(unknown))}; choose from {', '.join(SIZES)}")
    if not args.skip_http and shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk), or pass --skip-http")

    load_before = os.getloadavg()[0]
    password = secrets.token_urlsafe(16)
    data_dir = Path(tempfile.mkdtemp(prefix="apcase-bench-"))
    try:
        sizes = [
            _measure_size(label, args.requests, password, data_dir, http=not args.skip_http and label == labels[-1])
            for label in labels
        ]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    run = _run_facts(args.requests) | {"load": f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"}
    markdown = render({"run": run, "sizes": sizes})
    args.results.write_text(markdown)
    print(markdown)
    missed = [check for check in checks(sizes) if not check.ok]
    for check in missed:
        _log(f"FAIL {check.target}: {check.detail}")
    if missed:
        sys.exit(1)


def _measure_size(label: str, requests: int, password: str, data_dir: Path, *, http: bool) -> dict:
    schools = SIZES[label]
    # Several people benchmarking on one server each set their own prefix, so no run drops another's.
    database = f"{os.environ.get('BENCH_DB_PREFIX', 'apcase_bench')}_{label}"
    _log(f"{label}: a fresh database {database}, {schools} schools × {PUPILS_PER_SCHOOL} pupils")
    _recreate(database)
    env = _environment(database, data_dir / label) | {"BENCH_PASSWORD": password}
    size = {"label": label, "schools": schools, "pupils": schools * PUPILS_PER_SCHOOL}
    size["pages"] = _phase("pages", env, "--schools", str(schools), "--requests", str(requests))
    if http:
        _log(f"{label}: HTTP load run (gunicorn + wrk)")
        size["http"] = [asdict(result) for result in http_load(env=env, username="sendco01", password=password)]
    size["writes"] = _phase("writes", env)
    return size


def _phase(phase: str, env: dict[str, str], *options: str) -> dict:
    """Run one phase of bench.phase in its own process and read back what it measured."""
    _log(f"  {phase} …")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-m", "bench.phase", phase, *options, "--out", out.name], env=env, cwd=ROOT, check=True
        )
        return json.loads(Path(out.name).read_text())


def _recreate(database: str) -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        name = sql.Identifier(database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _environment(database: str, data_dir: Path) -> dict[str, str]:
    """Production-like settings (bench.settings) on the benchmark database; no broker, so the bare
    view checks only the database, and no lockouts for repeated sign-ins."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{SERVER_URL}/{database}",
        "DATA_DIR": str(data_dir),
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "false",
        "AXES_ENABLED": "false",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic for a benchmark
    }


def _run_facts(requests: int) -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    with psycopg.connect(f"{SERVER_URL}/postgres") as connection:
        row = connection.execute("SHOW server_version").fetchone()
        assert row is not None
        server = row[0]
    return {
        "date": f"{datetime.now():%d/%m/%Y %H:%M}",
        "commit": commit.strip() or "unknown",
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "postgres": server.split()[0],
        "requests": requests,
    }


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
