"""One true figure: the headteacher's dashboard and the governors' report count placements with the
same status groups and show the same figure under the same words (issue 13, C1)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apcase.workflow import Transition
from dashboards.panels import year_in_numbers
from placements.models import Placement
from placements.tests.factories import PlacementFactory
from placements.workflows import PLACEMENT_WORKFLOW
from reports.governors import governors_report
from reports.tests.cases import report_period

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
S = Placement.Status


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _reachable(start: str, transitions: list[Transition]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for transition in PLACEMENT_WORKFLOW.from_status(todo.pop()):
            if transition.target not in seen:
                seen.add(transition.target)
                todo.append(transition.target)
    return seen


def test_the_status_groups_follow_the_placement_workflow(db):
    transitions = PLACEMENT_WORKFLOW.transitions
    dead_ends = {status for status in S.values if not PLACEMENT_WORKFLOW.from_status(status)}
    assert Placement.FINISHED == dead_ends == {S.ENDED, S.CANCELLED}
    assert _reachable(S.ACTIVE, transitions) == Placement.STARTED
    assert _reachable(S.APPROVED, transitions) == Placement.COMMITTED
    assert set(S.values) - Placement.COMMITTED - {S.CANCELLED} == Placement.UNAPPROVED
    assert set(S.values) - Placement.STARTED - {S.CANCELLED} == Placement.BEFORE_START
    assert set(S.values) - Placement.FINISHED == Placement.OPEN
    assert Placement.RUNNING == Placement.STARTED & Placement.OPEN
    assert Placement.IN_FORCE == Placement.COMMITTED & Placement.OPEN
    assert Placement.OPEN - {S.PLANNED} == Placement.LIVE
    # Each group's queryset method selects exactly the group.
    for status in S.values:
        outcome = Placement.Outcome.OTHER if status == S.ENDED else ""
        PlacementFactory(status=status, outcome=outcome, actual_end_date=date(2026, 11, 20))
    groups = ("unapproved", "before_start", "live", "in_force", "running", "started", "committed", "open", "finished")
    for name in groups:
        selected = set(getattr(Placement.objects, name)().values_list("status", flat=True))
        assert selected == getattr(Placement, name.upper()), name


def _ended(school, outcome, last_day, cost="1700.00"):
    return PlacementFactory(
        pupil__school=school,
        status=S.ENDED,
        start_date=date(2026, 9, 14),
        actual_end_date=last_day,
        outcome=outcome,
        estimated_cost=Decimal(cost),
    )


def test_the_head_sees_how_placements_ended_this_academic_year(school):
    _ended(school, Placement.Outcome.REINTEGRATED, date(2026, 10, 9))
    _ended(school, Placement.Outcome.REINTEGRATED, date(2026, 11, 20))
    _ended(school, Placement.Outcome.MANAGED_MOVE, date(2026, 11, 13))
    _ended(school, Placement.Outcome.OTHER, date(2026, 7, 10))  # last academic year
    year = year_in_numbers(school=school, today=date(2026, 11, 23))
    assert year is not None
    assert year.outcomes == [("Reintegrated to class", 2), ("Managed move", 1)]


def test_committed_spending_does_not_fall_when_a_placement_ends(school, sendco, head, dsl):
    from placements.services import placement_transition
    from placements.tests.cases import offsite_provider, placement_at, pupil_with_parent

    provider = offsite_provider(school, dsl)
    pupil = pupil_with_parent(school)
    placement = placement_at(S.ACTIVE, pupil=pupil, provider=provider, sendco=sendco, head=head, start_date=NOW.date())
    year = year_in_numbers(school=school, today=date(2026, 11, 23))
    assert year is not None
    before = year.spending.committed
    assert before is not None and before == placement.estimated_cost and before > 0
    placement_transition(
        placement=placement, target=S.ENDED, actor=sendco, outcome="managed_move", actual_end_date=date(2026, 11, 23)
    )
    year = year_in_numbers(school=school, today=date(2026, 11, 23))
    assert year is not None and year.spending.committed == before


def _money(html: str, label: str) -> str:
    """The £ figure shown right after the label (the dashboard and the report lay it out alike)."""
    match = re.search(re.escape(label) + r"[^£]{0,120}£([\d,]+)", html)
    assert match, f"“{label}” is not followed by a figure"
    return match.group(1)


def test_the_head_dashboard_and_the_governors_report_show_the_same_committed_figure(school, head, governor, client_for):
    school.annual_ap_budget = Decimal("48000.00")
    school.save()
    at = {"pupil__school": school}
    PlacementFactory(status=S.ACTIVE, start_date=date(2026, 11, 2), estimated_cost=Decimal("5100.00"), **at)
    PlacementFactory(status=S.APPROVED, start_date=date(2026, 12, 1), estimated_cost=Decimal("2890.00"), **at)
    _ended(school, Placement.Outcome.REINTEGRATED, date(2026, 11, 13), cost="10305.00")
    PlacementFactory(status=S.AWAITING_APPROVAL, start_date=date(2026, 12, 7), estimated_cost=Decimal("999"), **at)
    PlacementFactory(status=S.CANCELLED, start_date=date(2026, 11, 9), estimated_cost=Decimal("275"), **at)
    PlacementFactory(status=S.ACTIVE, start_date=date(2026, 6, 1), estimated_cost=Decimal("4000"), **at)  # last year

    year = year_in_numbers(school=school, today=date(2026, 11, 23))
    assert year is not None
    dashboard = year.spending
    report = governors_report(school=school, period=report_period(school, date(2026, 11, 23))).spending
    assert dashboard == report and dashboard.committed == Decimal("18295.00")

    head_page = client_for(head).get("/").content.decode()
    governors_page = client_for(governor).get("/reports/governors/").content.decode()
    label = "Committed to placements starting in 2026/27 (estimated cost)"
    assert _money(head_page, label) == _money(governors_page, label) == "18,295"
