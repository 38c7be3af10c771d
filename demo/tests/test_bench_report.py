"""The benchmark's verdict (bench/report.py): each target of issue 15 is checked against a run's
numbers, and a missed one is named, so `python -m bench.run` can fail on it."""

from __future__ import annotations

from bench.report import checks, render


def _page(name: str, queries: int, median_ms: float, *, dashboard: bool = False) -> dict:
    return {
        "name": name,
        "note": "sendco01",
        "queries": queries,
        "median_ms": median_ms,
        "p95_ms": median_ms,
        "samples": 3,
        "dashboard": dashboard,
    }


def _size(label: str, pupils: int, pages: list[dict], floor_ms: float = 10.0) -> dict:
    baselines = [
        {"name": "Bare view /healthz (anonymous)", "queries": 1, "median_ms": 1.0, "p95_ms": 1.0},
        {"name": "Account page (signed in, a form and the layout)", "queries": 3, "median_ms": floor_ms, "p95_ms": 11},
    ]
    return {
        "label": label,
        "schools": pupils // 500,
        "pupils": pupils,
        "pages": {
            "pages": pages,
            "baselines": baselines,
            "rows": {"pupils": pupils},
            "seed": {"seconds": 1.0, "stages": []},
            "pdfs": [],
            "notes": [],
        },
        "writes": {"dispatcher": [], "import": []},
    }


def _missed(sizes: list[dict]) -> list[str]:
    return [f"{check.target}: {check.detail}" for check in checks(sizes) if not check.ok]


def test_a_run_within_every_target_misses_none():
    small = _size("1k", 1000, [_page("SENDCo dashboard", 12, 20, dashboard=True), _page("Placement page", 15, 30)])
    large = _size("10k", 10000, [_page("SENDCo dashboard", 12, 30, dashboard=True), _page("Placement page", 15, 40)])
    assert _missed([small, large]) == []


def test_a_dashboard_is_held_to_twelve_queries_and_other_pages_to_fifteen():
    pages = [_page("SENDCo dashboard", 13, 20, dashboard=True), _page("Pupil list", 15, 20), _page("Referrals", 16, 9)]
    assert _missed([_size("1k", 1000, pages)]) == [
        "at 1,000 pupils, every dashboard ≤ 12 queries and every page ≤ 15: over: SENDCo dashboard 13, Referrals 16"
    ]


def test_times_are_judged_against_the_account_page_of_the_same_run_at_ten_thousand_pupils():
    pages = [
        _page("SENDCo dashboard", 12, 31, dashboard=True),
        _page("DSL dashboard", 12, 30, dashboard=True),
        _page("Placement page", 15, 41),
        _page("Pupil list", 5, 90),  # no time target
    ]
    assert _missed([_size("10k", 10000, pages, floor_ms=10)]) == [
        "SENDCo dashboard median within 3× the account page's: 31 ms / 10 ms = 3.1×",
        "Placement page median within 4× the account page's: 41 ms / 10 ms = 4.1×",
    ]
    # At 1,000 pupils only the query budgets apply.
    assert _missed([_size("1k", 1000, pages, floor_ms=10)]) == []


def test_a_query_count_that_grows_with_the_data_is_a_miss():
    small = _size("1k", 1000, [_page("Pupil profile (200 events)", 10, 20)])
    large = _size("10k", 10000, [_page("Pupil profile (200 events)", 11, 20)])
    assert _missed([small, large]) == ["query counts flat from 1,000 to 10,000 pupils: changed: Pupil profile 10 → 11"]


def test_the_report_shows_the_verdict_and_each_pages_ratio_to_the_floor():
    large = _size("10k", 10000, [_page("SENDCo dashboard", 13, 35, dashboard=True)])
    markdown = render({"run": {"date": "", "commit": "", "machine": "", "python": "", "postgres": "", "requests": 3,
                               "load": ""}, "sizes": [large]})  # fmt: skip
    assert "| ✗ | SENDCo dashboard median within 3× the account page's | 35 ms / 10.0 ms = 3.5× |" in markdown
    assert "| SENDCo dashboard | sendco01 | 13 ✗ | 35 | 3.5 ✗ | 35 ✓ |" in markdown
