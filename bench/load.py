"""The HTTP load run: gunicorn (two sync workers) on loopback, signed in once through the login
form, then wrk against the SENDCo dashboard and against /healthz, the bare view on the same
server. Bounded in time, and gunicorn is always stopped."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit

PORT = 8150
WRK = ["wrk", "--threads", "2", "--connections", "8", "--duration", "10s", "--latency"]
START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz


@dataclass(frozen=True)
class LoadResult:
    path: str
    requests_per_second: float
    requests: int
    p50_ms: float
    p99_ms: float
    bad_responses: int  # not 2xx or 3xx


def http_load(*, env: dict[str, str], username: str, password: str) -> list[LoadResult]:
    base = f"http://127.0.0.1:{PORT}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "apcase.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        _wait_for(base, server)
        cookie = _sign_in(base, username, password)
        return [_wrk(f"{base}/", cookie), _wrk(f"{base}/healthz", None)]
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """Stop the master and its workers (their own process group), however the run ended."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except ProcessLookupError:
        pass  # already gone
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.poll() is not None:  # it could not start (is the port taken?): nothing to measure
            raise RuntimeError(f"gunicorn stopped at once with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {base}/healthz within {START_TIMEOUT} s")
        time.sleep(0.5)


def _sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the login form (CSRF cookie first) and return the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=10).read()
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf}).encode()
    with opener.open(f"{base}/accounts/login/", data=form, timeout=30) as landed:
        if urlsplit(landed.url).path != "/":
            raise RuntimeError(f"Signing in as {username} did not reach the dashboard (landed on {landed.url})")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _search(pattern: str, output: str) -> re.Match[str]:
    found = re.search(pattern, output)
    if found is None:
        raise RuntimeError(f"wrk's output has no {pattern!r}:\n{output}")
    return found


def _wrk(url: str, cookie: str | None) -> LoadResult:
    headers = ["--header", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run([*WRK, *headers, url], capture_output=True, text=True, check=True, timeout=60).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return LoadResult(
        path=urlsplit(url).path,
        requests_per_second=float(_search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        requests=int(_search(r"(\d+) requests in", output).group(1)),
        p50_ms=_ms(_search(r"50%\s+([\d.]+)(us|ms|s)\b", output)),
        p99_ms=_ms(_search(r"99%\s+([\d.]+)(us|ms|s)\b", output)),
        bad_responses=int(bad.group(1)) if bad else 0,
    )


def _ms(match: re.Match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)
