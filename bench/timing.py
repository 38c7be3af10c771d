"""How the benchmark measures: the timing of repeated requests, query counts, signed-in clients."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import ceil
from time import perf_counter

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apcase.models import User

WARM_UPS = 3


@dataclass(frozen=True)
class Timing:
    name: str
    queries: int
    median_ms: float
    p95_ms: float
    samples: int
    note: str = ""
    dashboard: bool = False


def timed(name: str, request: Callable[[], object], samples: int, note: str = "", dashboard: bool = False) -> Timing:
    """Warm up, count the queries of one call as the test suite's query budgets count them
    (transaction statements included), then time `samples` calls without counting."""
    for _ in range(WARM_UPS):
        request()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # read now: the next request clears the query log
    times = []
    for _ in range(samples):
        started = perf_counter()
        request()
        times.append((perf_counter() - started) * 1000)
    times.sort()
    p95 = times[ceil(0.95 * len(times)) - 1]
    return Timing(name, queries, round(statistics.median(times), 1), round(p95, 1), samples, note, dashboard)


class QueryCount:
    value = 0


@contextmanager
def counting_queries() -> Iterator[QueryCount]:
    """Count the SQL statements run inside the block, however many (the writes run tens of
    thousands; the query log keeps only the last 9,000)."""
    counted = QueryCount()

    def count(execute, sql, params, many, context):
        counted.value += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(client: Client, url: str, *, expect: int = 200, method: str = "get", **data) -> HttpResponse:
    """One request that must answer `expect`: a benchmark of an error page would measure nothing."""
    response = getattr(client, method)(url, data or None)
    if response.status_code != expect:
        raise RuntimeError(f"{method.upper()} {url} answered {response.status_code}, not {expect}")
    return response
