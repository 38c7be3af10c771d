"""The targets (issues 9 and 15), the check of a run against them, and its Markdown report
(bench/results/latest.md)."""

from __future__ import annotations

from dataclasses import dataclass

# Issue 15. Times are judged as ratios to the account page measured in the same run, so that other
# work on the machine, which slows both alike, does not decide the verdict.
PAGE_QUERIES = 15  # every page
DASHBOARD_QUERIES = 12  # every role's home page, the trust's and the LA's
DASHBOARD_FLOOR_RATIO = 3  # a dashboard's median / the account page's, at 10,000 pupils
PLACEMENT_FLOOR_RATIO = 4  # the placement page's median / the account page's
FLOOR = "Account page"  # the baseline the ratios divide by: the cheapest signed-in page
PLACEMENT_PAGE = "Placement page"
# Issue 9.
DASHBOARD_P95_MS = 150  # at 10,000 pupils
NOTICE_PDF_P95_MS = 300
DISPATCHER_SECONDS = 5  # a day of reminders at 10,000 pupils
THROUGHPUT_SHARE = 0.30  # dashboard requests/s as a share of the bare view's
TARGET_SIZE = "10k"  # the size the time targets apply to


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


@dataclass(frozen=True)
class Check:
    target: str
    ok: bool
    detail: str


def query_budget(page: dict) -> int:
    return DASHBOARD_QUERIES if page.get("dashboard") else PAGE_QUERIES


def floor_ms(size: dict) -> float:
    return next(b["median_ms"] for b in size["pages"]["baselines"] if b["name"].startswith(FLOOR))


def floor_ratio_target(page: dict) -> int | None:
    """How many times the account page's median this page may take (None: no time target)."""
    if page.get("dashboard"):
        return DASHBOARD_FLOOR_RATIO
    return PLACEMENT_FLOOR_RATIO if page["name"] == PLACEMENT_PAGE else None


def checks(sizes: list[dict]) -> list[Check]:
    """Every target of the run, met or missed; `bench.run` fails when any is missed."""
    found = []
    for size in sizes:
        over = [f"{p['name']} {p['queries']}" for p in size["pages"]["pages"] if p["queries"] > query_budget(p)]
        found.append(
            Check(
                f"at {size['pupils']:,} pupils, every dashboard ≤ {DASHBOARD_QUERIES} queries and every page "
                f"≤ {PAGE_QUERIES}",
                not over,
                "over: " + ", ".join(over) if over else "all within",
            )
        )
    target = next((size for size in sizes if size["label"] == TARGET_SIZE), None)
    if target is not None:
        floor = floor_ms(target)
        for page in target["pages"]["pages"]:
            limit = floor_ratio_target(page)
            if limit is not None:
                ratio = page["median_ms"] / floor
                found.append(
                    Check(
                        f"{page['name']} median within {limit}× the account page's",
                        ratio <= limit,
                        f"{page['median_ms']} ms / {floor} ms = {ratio:.1f}×",
                    )
                )
    if len(sizes) > 1:
        before = {_page_kind(page): page["queries"] for page in sizes[0]["pages"]["pages"]}
        grown = [
            f"{_page_kind(p)} {before[_page_kind(p)]} → {p['queries']}"
            for p in sizes[-1]["pages"]["pages"]
            if _page_kind(p) in before and p["queries"] != before[_page_kind(p)]
        ]
        found.append(
            Check(
                f"query counts flat from {sizes[0]['pupils']:,} to {sizes[-1]['pupils']:,} pupils",
                not grown,
                "changed: " + ", ".join(grown) if grown else "all flat",
            )
        )
    return found


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def render(results: dict) -> str:
    run, sizes = results["run"], results["sizes"]
    lines = [
        "# apcase benchmark results",
        "",
        f"Run on {run['date']} at commit `{run['commit']}` — {run['machine']}, Python {run['python']}, "
        f"PostgreSQL {run['postgres']}; the machine's load average was {run['load']} the run (other work "
        "on the machine slows every number). Server times are measured in-process with the Django test client "
        f"(signed in with `force_login`, {run['requests']} requests after 3 warm-ups; production-like "
        "settings: `DEBUG` off, no django-zeal). A page's queries are those of one request, counted as the "
        "test suite's query budgets count them (the BEGIN and COMMIT of the session save included). "
        "`python -m bench.run` regenerates this file; `bench/README.md` says what each number is.",
        "",
        f"Targets (issue 15): every dashboard ≤ {DASHBOARD_QUERIES} queries and its median within "
        f"{DASHBOARD_FLOOR_RATIO}× the account page's; every page ≤ {PAGE_QUERIES} queries; the placement page "
        f"within {PLACEMENT_FLOOR_RATIO}× the account page's; query counts flat from 1,000 to 10,000 pupils. "
        "(Issue 9: dashboard p95 < 150 ms at 10,000 pupils; parent notice PDF p95 < 300 ms; reminder dispatcher "
        "< 5 s for a day of reminders at 10,000 pupils; dashboard throughput ≥ 30% of the bare view's.)",
        *_checks_section(sizes),
    ]
    for size in sizes:
        lines += _pages_section(size)
    if len(sizes) > 1:
        lines += _growth_section(sizes[0], sizes[-1])
    lines += _baseline_section(sizes[-1])
    lines += _pdf_section(sizes)
    lines += _dispatcher_section(sizes)
    lines += _import_section(sizes)
    lines += _http_section(sizes)
    lines += _notes_section(sizes)
    return "\n".join(lines) + "\n"


def _checks_section(sizes: list[dict]) -> list[str]:
    rows = [[_mark(check.ok), check.target, check.detail] for check in checks(sizes)]
    return ["", "## Targets of issue 15", "", *_table(["", "target", "measured"], rows)]


def _pages_section(size: dict) -> list[str]:
    pages = size["pages"]
    timed_target = size["label"] == TARGET_SIZE
    floor = floor_ms(size)
    rows = []
    for page in pages["pages"]:
        p95 = f"{page['p95_ms']}"
        if timed_target and page.get("dashboard"):
            p95 += f" {_mark(page['p95_ms'] < DASHBOARD_P95_MS)}"
        queries = f"{page['queries']} {_mark(page['queries'] <= query_budget(page))}"
        ratio, limit = page["median_ms"] / floor, floor_ratio_target(page)
        times = f"{ratio:.1f}" + (f" {_mark(ratio <= limit)}" if timed_target and limit else "")
        rows.append([page["name"], page["note"], queries, page["median_ms"], times, p95])
    volume = ", ".join(f"{count:,} {name}" for name, count in pages["rows"].items())
    return [
        "",
        f"## Pages at {size['pupils']:,} pupils ({size['schools']} schools × {size['pupils'] // size['schools']})",
        "",
        f"Data: {volume}. Generated by `seed_bench` in {pages['seed']['seconds']} s.",
        "",
        f"The account page's median in this run: {floor} ms; \"× floor\" is each page's median over it "
        f"(targets at 10,000 pupils: dashboards ≤ {DASHBOARD_FLOOR_RATIO}, the placement page ≤ "
        f"{PLACEMENT_FLOOR_RATIO}).",
        "",
        *_table(
            [
                "page",
                "signed in as",
                f"queries (≤ {PAGE_QUERIES}; dashboards ≤ {DASHBOARD_QUERIES})",
                "median ms",
                "× floor",
                "p95 ms",
            ],
            rows,
        ),
    ]


def _growth_section(small: dict, large: dict) -> list[str]:
    data_growth = large["pupils"] / small["pupils"]
    before = {_page_kind(page): page for page in small["pages"]["pages"]}
    rows = []
    for page in large["pages"]["pages"]:
        was = before.get(_page_kind(page))
        if was is None:
            continue
        flat = _mark(page["queries"] == was["queries"])
        growth = page["median_ms"] / was["median_ms"]
        rows.append(
            [
                _page_kind(page),
                f"{was['queries']} → {page['queries']} {flat}",
                f"{was['median_ms']} → {page['median_ms']}",
                f"×{growth:.2f} {_mark(growth < data_growth / 2)}",
            ]
        )
    return [
        "",
        f"## How cost grows from {small['pupils']:,} to {large['pupils']:,} pupils (data ×{data_growth:g})",
        "",
        "The target: query counts stay flat, and page time grows far slower than the data (✓ here: less than "
        "half as fast).",
        "",
        *_table(["page", "queries", "median ms", "time growth"], rows),
    ]


def _page_kind(page: dict) -> str:
    """The page without the detail in brackets ("Pupil profile (200 events)" -> "Pupil profile")."""
    return page["name"].split(" (")[0]


def _baseline_section(size: dict) -> list[str]:
    rows = [[b["name"], b["queries"], b["median_ms"], b["p95_ms"]] for b in size["pages"]["baselines"]]
    return [
        "",
        f"## What every request costs (at {size['pupils']:,} pupils)",
        "",
        "Before a page does its own work: reading and saving the session, the user, their roles and school, "
        "the unread-notifications count and the layout. The dashboards' throughput target is relative to the "
        "first row.",
        "",
        *_table(["request", "queries", "median ms", "p95 ms"], rows),
    ]


def _pdf_section(sizes: list[dict]) -> list[str]:
    rows = [
        [f"{pdf['name']} at {size['pupils']:,} pupils", pdf["queries"], pdf["median_ms"], pdf["p95_ms"]]
        + [_mark(pdf["p95_ms"] < NOTICE_PDF_P95_MS) if pdf["name"].startswith("Parent notice") else ""]
        for size in sizes
        for pdf in size["pages"]["pdfs"]
    ]
    return [
        "",
        "## PDFs",
        "",
        "The governors' report has no time target: it is made in the background, with progress shown.",
        "",
        *_table(["document", "queries", "median ms", "p95 ms", "notice p95 < 300 ms"], rows),
    ]


def _dispatcher_section(sizes: list[dict]) -> list[str]:
    rows = []
    for size in sizes:
        for run in size["writes"]["dispatcher"]:
            first = run["run"].startswith("first")
            target = _mark(run["seconds"] < DISPATCHER_SECONDS) if first and size["label"] == TARGET_SIZE else ""
            counts = f"{run['created']} created, {run['due']} due, {run['sent']} sent"
            emails = f", {run['emails']} e-mails" if "emails" in run else ""
            rows.append(
                [
                    f"{size['pupils']:,} pupils",
                    run["run"],
                    counts + emails,
                    run["queries"],
                    f"{run['seconds']} {target}",
                ]
            )
    return [
        "",
        "## Reminder dispatcher",
        "",
        "`reminders.services.reminders_dispatch(enqueue=False)`, e-mail to the locmem backend, on a database "
        "where no reminder has been sent yet.",
        "",
        *_table(["data", "run", "reminders", "SQL statements", "seconds (< 5 s at 10k)"], rows),
    ]


def _import_section(sizes: list[dict]) -> list[str]:
    rows = []
    for size in sizes:
        for step in size["writes"]["import"]:
            outcome = ""
            if "created" in step:
                outcome = f"{step['created']:,} added, {step['updated']} updated, {step['unchanged']} unchanged"
            rows.append([f"{size['pupils']:,} pupils", step["step"], step["queries"], step["seconds"], outcome])
    return [
        "",
        "## Pupil CSV import of 5,000 rows",
        "",
        "As the school office does it, through the pages: upload, the preview of every row, then confirm. The "
        "file holds school 1's pupils on roll (one in ten with a new registration group) and new pupils.",
        "",
        *_table(["data", "step", "SQL statements", "seconds", "outcome"], rows),
    ]


def _http_section(sizes: list[dict]) -> list[str]:
    size = next((size for size in sizes if size.get("http")), None)
    if size is None:
        return ["", "## HTTP load", "", "Not run (`--skip-http`)."]
    results = {result["path"]: result for result in size["http"]}
    dashboard, bare = results["/"], results["/healthz"]
    share = dashboard["requests_per_second"] / bare["requests_per_second"]
    rows = [
        [label, r["requests_per_second"], r["requests"], r["p50_ms"], r["p99_ms"], r["bad_responses"]]
        for label, r in (("SENDCo dashboard `/` (signed in)", dashboard), ("bare view `/healthz`", bare))
    ]
    return [
        "",
        f"## HTTP load at {size['pupils']:,} pupils",
        "",
        "gunicorn with 2 sync workers on 127.0.0.1, wrk `-t2 -c8 -d10s` on the same 2 cores (the load generator "
        "competes for the CPU, so compare runs on one machine only). One signed-in session; every request saves "
        "it (`SESSION_SAVE_EVERY_REQUEST`).",
        "",
        *_table(["URL", "requests/s", "requests", "p50 ms", "p99 ms", "non-2xx/3xx"], rows),
        "",
        f"Dashboard throughput is {share:.0%} of the bare view's {_mark(share >= THROUGHPUT_SHARE)} (target ≥ 30%).",
    ]


def _notes_section(sizes: list[dict]) -> list[str]:
    notes = sorted({note for size in sizes for note in size["pages"]["notes"]})
    stages = [f"- {line}" for line in sizes[-1]["pages"]["seed"]["stages"]]
    lines = ["", "## Not measured", ""] + [f"- {note}" for note in notes] if notes else []
    return lines + ["", f"## Data generation at {sizes[-1]['pupils']:,} pupils (`seed_bench`)", "", *stages]
