"""The role dashboards at /: every tile counts exactly what its list shows, within a fixed budget."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from apcase.models import Role
from apcase.selectors import roles_in
from audits.tests.factories import (
    ProviderFactory,
    ProviderSiteFactory,
    SafeguardingConfirmationFactory,
    cleared_provider,
    completed_audit,
    further_action,
)
from dashboards.panels import dashboard_for
from placements.models import Placement
from placements.tests.factories import IncidentFactory, PlacementFactory
from pupils.models import Pupil, Referral
from pupils.tests.cases import referral_at
from pupils.tests.factories import PupilFactory, make_upn

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
S = Referral.Status


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def busy_school(school, teacher, sendco, head, dsl, office):
    """A school with work for every role."""
    for status in [S.SUBMITTED, S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_APPROVAL, S.DRAFT]:
        referral_at(status, pupil=PupilFactory(school=school, class_teacher=teacher), teacher=teacher, sendco=sendco)
    flagged = referral_at(S.SUBMITTED, pupil=PupilFactory(school=school), teacher=teacher, sendco=sendco)
    Referral.objects.filter(pk=flagged.pk).update(safeguarding_concern=True)
    expiring = ProviderFactory(school=school)
    SafeguardingConfirmationFactory(provider=expiring, signed_on=date(2025, 12, 10), expires_on=date(2026, 12, 10))
    completed_audit(expiring, dsl, visit_date=date(2026, 6, 1))
    ProviderFactory(school=school)  # not cleared: nothing in place
    audit = completed_audit(ProviderFactory(school=school), dsl, visit_date=date(2026, 9, 1))
    further_action(audit, dsl, due_on=date(2026, 11, 1))
    left = PupilFactory(school=school)
    Pupil.objects.filter(pk=left.pk).update(leaving_date=date(2000, 7, 20))
    provider = _placement_work(school, teacher, dsl)
    _review_work(school, provider, teacher)
    _noise(school, teacher, provider)
    return school


def _noise(school, teacher, provider):
    """Placements a tile must count only under its own name: cancelled, planned and ended ones, one
    past its first day with no start recorded, one starting tomorrow not yet approved, one running
    at a provider that is not cleared, and another school's placements."""
    from apcase.tests.factories import SchoolFactory

    def placement(status, at=provider, **fields):
        pupil = PupilFactory(school=at.school, class_teacher=teacher if at.school == school else None)
        return PlacementFactory(pupil=pupil, provider=at, site=at.sites.first(), status=status, **fields)

    placement(Placement.Status.CANCELLED, cancellation_reason="The family moved away.")
    placement(Placement.Status.PLANNED, start_date=date(2027, 1, 11), planned_end_date=date(2027, 2, 12))
    placement(Placement.Status.ENDED, start_date=date(2026, 9, 7), actual_end_date=date(2026, 10, 16), outcome="other")
    placement(Placement.Status.APPROVED, start_date=date(2026, 11, 16))  # first day passed, not started
    placement(Placement.Status.AWAITING_APPROVAL, start_date=date(2026, 11, 24))  # tomorrow, not approved
    uncleared = ProviderFactory(school=school, name="Not cleared")
    ProviderSiteFactory(provider=uncleared)
    placement(Placement.Status.ACTIVE, at=uncleared, start_date=date(2026, 11, 23))
    elsewhere = cleared_provider(SchoolFactory(), teacher, name="Elsewhere")
    for status in (Placement.Status.APPROVED, Placement.Status.AWAITING_APPROVAL, Placement.Status.ACTIVE):
        placement(status, at=elsewhere, start_date=date(2026, 11, 16))


def _review_work(school, provider, teacher):
    """A review overdue, one due this week, one later, a check-in due and a placement the school may end."""
    from reviews.tests.factories import CheckInFactory, ReviewMeetingFactory, RunningPlacementFactory

    at_provider = {"provider": provider, "site": provider.sites.get()}
    running = RunningPlacementFactory(pupil__school=school, start_date=date(2026, 9, 7), **at_provider)
    ReviewMeetingFactory(placement=running, due_on=date(2026, 11, 16))  # overdue
    ReviewMeetingFactory(placement=running, due_on=date(2026, 11, 26), kind="termly")  # within five school days
    ReviewMeetingFactory(placement=running, due_on=date(2027, 1, 29), kind="termly")  # later
    for day in (6, 13, 20):
        ReviewMeetingFactory(
            placement=running, kind="formal", due_on=date(2026, 11, day), held=True, satisfactory_progress=False
        )
    returned = PlacementFactory(
        pupil__school=school,
        pupil__class_teacher=teacher,
        **at_provider,
        status=Placement.Status.ENDED,
        start_date=date(2026, 9, 14),
        actual_end_date=date(2026, 10, 9),
        outcome=Placement.Outcome.REINTEGRATED,
    )
    CheckInFactory(placement=returned, weeks_after=6, due_on=date(2026, 11, 24))


def _placement_work(school, teacher, dsl):
    """One placement needing each kind of attention."""
    provider = cleared_provider(school, dsl, name="Littleton Green")
    site = provider.sites.get()

    def placement(**fields):
        pupil = PupilFactory(school=school, class_teacher=teacher)
        return PlacementFactory(pupil=pupil, provider=provider, site=site, **fields)

    placement(status=Placement.Status.APPROVED, directed_off_site=True, start_date=date(2026, 11, 30))  # notice
    placement(status=Placement.Status.ACTIVE, start_date=date(2026, 11, 16))  # unmarked sessions
    placement(
        status=Placement.Status.ACTIVE,
        start_date=date(2026, 11, 23),
        absence_alert_level=Placement.AbsenceLevel.PERSISTENT,
    )
    IncidentFactory(
        placement=placement(status=Placement.Status.ACTIVE, start_date=date(2026, 11, 23)),
        severity="serious",
        safeguarding_concern=True,
    )
    iap = ProviderFactory(school=school, internal=True, short_term_iap=True, name="IAP")
    PlacementFactory(
        pupil=PupilFactory(school=school),
        provider=iap,
        site=ProviderSiteFactory(provider=iap),
        kind="internal",
        status=Placement.Status.ACTIVE,
        start_date=date(2026, 9, 7),
        planned_end_date=date(2026, 12, 18),
    )
    return provider


def listed_count(response) -> int:
    context = response.context
    if "page_obj" in context:
        return context["page_obj"].paginator.count
    if "items" in context:
        return len(context["items"])
    if "due" in context:
        return len(context["due"])
    raise AssertionError(f"no list found at {response.request['PATH_INFO']}")


TILES = {
    "sendco": [
        "new Causes for Concern to review",
        "referrals you are reviewing",
        "waiting for the head's decision",
        "placements past their first day with no start recorded",
        "placements starting within two school days, not yet approved",
        "placements at a provider no longer cleared",
        "off-site placements with no decision that they suit the pupil",
        "placements with no handover two school days before the first day",
        "parent notices to issue",
        "parent notices superseded by a change",
        "placements with attendance not recorded",
        "placements with absence at 10% or more",
        "serious incidents waiting for a decision",
        "placements with no recent contact with the provider",
        "Internal AP placements past six weeks",
        "reviews to hold",
        "reviews overdue",
    ],
    "head": [
        "decisions waiting for you",
        "placements starting within two school days, not yet approved",
        "placements at a provider no longer cleared",
        "parent notices to issue",
        "serious incidents waiting for a decision",
        "placements the school may end after three formal reviews without improvement",
    ],
    "dsl": [
        "providers not cleared for placements",
        "providers with a confirmation or audit to renew within 30 days",
        "open further actions from audits",
        "referrals flagged with a safeguarding concern",
        "off-site placements past their first day with no start recorded",
        "placements with a safeguarding concern in the last 30 days",
    ],
    "teacher": ["Causes for Concern you can follow", "current placements of pupils you teach"],
    "office": [
        "pupils on roll",
        "former pupils' records due for retention review",
        "messages that failed or bounced",
        "letters waiting to be posted or handed over",
    ],
}


def _tiles(user, school) -> dict:
    panels = dashboard_for(user=user, school=school, roles=roles_in(user=user, school=school))
    return {tile.label: tile for panel in panels for tile in panel.tiles}


@pytest.mark.parametrize("persona", list(TILES))
def test_each_role_has_its_tiles_and_each_counts_exactly_the_rows_of_the_list_it_links_to(
    persona, busy_school, request
):
    user = request.getfixturevalue(persona)
    tiles = _tiles(user, busy_school)
    assert list(tiles) == TILES[persona]
    client = Client()
    client.force_login(user)
    wrong = []
    for tile in tiles.values():
        response = client.get(tile.url)
        if response.status_code != 200:
            wrong.append(f"“{tile.label}” links to {tile.url}, which answers {response.status_code}")
        elif listed_count(response) != tile.count:
            wrong.append(f"“{tile.label}” says {tile.count}, its list holds {listed_count(response)}")
    assert not wrong, f"{persona}: " + "; ".join(wrong)


def test_the_teacher_counts_current_placements_only(busy_school, teacher):
    """Not the cancelled, planned or ended placements of the pupils they teach."""
    tile = _tiles(teacher, busy_school)["current placements of pupils you teach"]
    current = Placement.objects.live().filter(school=busy_school, pupil__class_teacher=teacher)
    assert tile.count == current.count() == 7
    assert tile.url == "/placements/?group=live"


def test_the_counts_are_what_the_school_holds(busy_school, sendco, dsl):
    sendco_tiles = dashboard_for(user=sendco, school=busy_school, roles=[Role.SENDCO])[0].tiles
    # Attendance: the placement under review has unmarked sessions too.
    assert {t.label: t.count for t in sendco_tiles} == {
        "new Causes for Concern to review": 3,
        "referrals you are reviewing": 1,
        "waiting for the head's decision": 1,
        "placements past their first day with no start recorded": 1,
        "placements starting within two school days, not yet approved": 1,
        "placements at a provider no longer cleared": 1,
        # The two unapproved off-site placements: nobody has yet decided the provision suits the pupil.
        "off-site placements with no decision that they suit the pupil": 2,
        "placements with no handover two school days before the first day": 7,
        "parent notices to issue": 1,
        "parent notices superseded by a change": 0,
        "placements with attendance not recorded": 4,
        "placements with absence at 10% or more": 1,
        "serious incidents waiting for a decision": 1,
        # The two running placements: no contact with their provider recorded.
        "placements with no recent contact with the provider": 2,
        "Internal AP placements past six weeks": 1,
        "reviews to hold": 2,
        "reviews overdue": 1,
    }
    dsl_tiles = {t.label: t.count for t in dashboard_for(user=dsl, school=busy_school, roles=[Role.DSL])[0].tiles}
    assert dsl_tiles["providers not cleared for placements"] == 4
    assert dsl_tiles["providers with a confirmation or audit to renew within 30 days"] == 1
    assert dsl_tiles["open further actions from audits"] == 1
    assert dsl_tiles["referrals flagged with a safeguarding concern"] == 1
    assert dsl_tiles["placements with a safeguarding concern in the last 30 days"] == 1
    assert dsl_tiles["off-site placements past their first day with no start recorded"] == 1


def test_the_sendco_queue_puts_the_oldest_referral_first(busy_school, sendco):
    queue = dashboard_for(user=sendco, school=busy_school, roles=[Role.SENDCO])[0].queue
    kinds = [item.kind for item in queue]
    assert kinds.count("New Cause for Concern") == 3 and kinds.count("Parent notice") == 1
    assert {"Attendance", "Serious incident", "Internal AP past six weeks"} <= set(kinds)
    assert (kinds.count("Review overdue"), kinds.count("Review"), kinds.count("Check-in after the return")) == (1, 1, 1)
    dues = [item.due for item in queue if item.due is not None]
    assert len(dues) == len(queue) and dues == sorted(dues)


def test_the_sendco_sees_the_half_term_of_reviews_and_the_head_what_may_end(busy_school, sendco, head, client_for):
    sendco_page = client_for(sendco).get("/").content.decode()
    # Autumn 2 2026/27: the overdue review, the one due on Thursday and the three formal ones held.
    assert "3 held, 1 to hold, 1 overdue." in sendco_page and "Open the review calendar" in sendco_page
    head_panel = dashboard_for(user=head, school=busy_school, roles=[Role.HEAD])[0]
    assert {t.label: t.count for t in head_panel.tiles}[
        "placements the school may end after three formal reviews without improvement"
    ] == 1
    assert "three formal reviews in a row without improvement" in client_for(head).get("/").content.decode()


def test_the_teacher_is_asked_about_a_returned_pupil_and_sees_the_return_plan(busy_school, teacher, sendco, client_for):
    from reviews.models import ReintegrationPlan

    placement = Placement.objects.filter(
        school=busy_school, pupil__class_teacher=teacher, status=Placement.Status.ACTIVE
    ).first()
    assert placement is not None
    ReintegrationPlan.objects.create(placement=placement, created_by=sendco)
    panel = dashboard_for(user=teacher, school=busy_school, roles=[Role.TEACHER])[0]
    assert [item.kind for item in panel.queue] == ["Check-in after the return"]
    html = client_for(teacher).get("/").content.decode()
    assert "still in class 6 weeks on?" in html
    assert f'href="/placements/{placement.public_id}/reintegration/">the return plan</a>' in html


def test_a_head_who_is_also_the_dsl_sees_both_panels(busy_school, head, client_for):
    from apcase.access import forget_roles
    from apcase.tests.factories import MembershipFactory

    MembershipFactory(user=head, school=busy_school, role=Role.DSL)
    forget_roles(head)
    html = client_for(head).get("/").content.decode()
    assert "Your decisions" in html and "Safeguarding" in html


def test_the_governor_sees_no_pupil_names(busy_school, governor, client_for):
    html = client_for(governor).get("/").content.decode()
    for pupil in Pupil.objects.filter(school=busy_school):
        # Whole names and UPNs: a surname alone (Faker's "Hill", "Read") can occur in ordinary words.
        assert pupil.full_name not in html and pupil.upn not in html


def _add_pupils(school, count):
    Pupil.objects.bulk_create(
        Pupil(
            school=school,
            upn=make_upn(5000 + n),
            legal_first_name="Bulk",
            legal_last_name=f"Pupil{n}",
            date_of_birth=date(2016, 1, 1),
            sex="F",
            year_group="4",
            admission_date=date(2020, 9, 1),
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("persona", "budget"),
    # Issue 15: a dashboard asks at most 12 questions, three of them every signed-in page's (the
    # session, the user, their roles). The SENDCo's is over: its referrals, the open placements
    # (with their handover, last provider contact and notice), the calendar, the providers'
    # clearance (three), the register, serious incidents, same-day alerts, the reviews' counts,
    # reviews to hold, check-ins and failed messages (bench/README.md says what is left).
    # The daily chase: the SENDCo's and DSL's runs of unexplained absence (the placements and their
    # recent marks, two), the office's calls home (who is expected today, three with the calendars).
    # The suitability decisions of off-site placements come with the open placements (no query).
    [("sendco", 18), ("head", 12), ("dsl", 14), ("teacher", 9), ("office", 11), ("governor", 3)],
)
def test_each_dashboard_has_a_fixed_query_budget_with_a_thousand_pupils(
    persona, budget, busy_school, request, django_assert_max_num_queries
):
    _add_pupils(busy_school, 1000)
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    client.get("/")  # the first page after sign-in also saves the session
    with django_assert_max_num_queries(budget):
        response = client.get("/")
    assert response.status_code == 200


def test_the_sendco_charts_load_after_the_page_within_a_budget(
    busy_school, sendco, teacher, client_for, django_assert_max_num_queries
):
    from placements.tests.factories import AttendanceMarkFactory
    from reviews.tests.factories import MeasurementFactory, TargetFactory

    placement = Placement.objects.filter(school=busy_school, status=Placement.Status.ACTIVE).first()
    for day, code in [(date(2026, 11, 16), "B"), (date(2026, 11, 17), "O"), (date(2026, 11, 18), "B")]:
        AttendanceMarkFactory(placement=placement, date=day, session="am", register_code=code)
    target = TargetFactory(placement=placement, baseline="2.0")
    MeasurementFactory(target=target, measured_on=date(2026, 11, 20), value="3.5")
    client = client_for(sendco)
    assert 'hx-get="/dashboard/charts/"' in client.get("/").content.decode()
    with django_assert_max_num_queries(9):  # whatever the number of marks, targets and readings
        response = client.get("/dashboard/charts/")
    html = response.content.decode()
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert "Week beginning 16/11/2026: 66.7% of 3 sessions." in html
    assert client_for(teacher).get("/dashboard/charts/").status_code == 403
