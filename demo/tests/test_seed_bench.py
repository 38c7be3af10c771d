"""seed_bench, the benchmarks' data generator (bench/generator), at a tiny size: the counts, every
status present, records the app's own validation accepts (and the reviews its services would
leave), history rows, and the same data for the same seed. The benchmark itself (bench/run.py) is
not part of the test run."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F

from apcase.models import Membership, Role, School, User
from audits.models import Audit, Provider
from bench.generator import generate
from placements.models import AttendanceMark, ParentNotice, Placement
from pupils.models import Approval, CaseEvent, Contact, Pupil, Referral
from pupils.upn import validate_upn
from reviews.models import (
    CheckIn,
    FinalReport,
    Measurement,
    PlanVersion,
    ReintegrationPlan,
    ReviewAction,
    ReviewMeeting,
    ReviewParticipant,
    ReviewRequest,
    Target,
)

REVIEW_MODELS = (
    ReviewMeeting, ReviewParticipant, ReviewAction, ReviewRequest, Target, Measurement, ReintegrationPlan,
    PlanVersion, FinalReport, CheckIn,
)  # fmt: skip

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
PUPILS = 20
S = Placement.Status


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def seeded(db) -> str:
    out = StringIO()
    call_command("seed_bench", schools=1, pupils_per_school=PUPILS, password="not-a-real-password", stdout=out)
    return out.getvalue()


def test_it_makes_one_school_with_one_member_of_staff_per_role(seeded):
    school = School.objects.get()
    assert set(Membership.objects.filter(school=school).values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="sendco01").check_password("not-a-real-password")
    assert school.academic_years.count() == 2  # England's term dates, from calendar_seed_england


def test_it_makes_the_pupils_asked_for_each_with_a_parent(seeded):
    assert Pupil.objects.count() == PUPILS
    assert not Pupil.objects.annotate(contacts_held=Count("contacts")).filter(contacts_held=0).exists()


def test_every_referral_and_placement_status_is_present(seeded):
    assert set(Referral.objects.values_list("status", flat=True)) == set(Referral.Status.values)
    assert set(Placement.objects.values_list("status", flat=True)) == set(Placement.Status.values)


def test_the_records_pass_the_apps_own_validation(seeded):
    for model in (Pupil, Contact, Referral, Provider, Placement, *REVIEW_MODELS):
        for record in model.objects.all():
            record.full_clean()
    for pupil in Pupil.objects.all():
        validate_upn(pupil.upn)


def test_every_case_stays_inside_its_pupils_school(seeded):
    assert Placement.objects.exists() and Referral.objects.exists()
    assert not Placement.objects.exclude(school_id=F("pupil__school_id")).exists()
    assert not Placement.objects.exclude(provider__school_id=F("school_id")).exists()
    assert not Placement.objects.exclude(referral=None).exclude(referral__pupil_id=F("pupil_id")).exists()
    assert not Referral.objects.exclude(school_id=F("pupil__school_id")).exists()
    assert not CaseEvent.objects.exclude(school_id=F("pupil__school_id")).exists()


def test_only_started_placements_have_attendance_and_none_in_the_future(seeded):
    started = (Placement.Status.ACTIVE, Placement.Status.ENDING, Placement.Status.ENDED)
    marked = set(AttendanceMark.objects.values_list("placement__status", flat=True))
    assert marked and marked <= set(started)
    assert not AttendanceMark.objects.filter(date__gte=NOW.date()).exists()


def test_notices_go_with_directions_off_site_and_are_late_only_with_a_reason(seeded):
    for notice in ParentNotice.objects.select_related("placement"):
        assert notice.placement.directed_off_site
        assert notice.is_late == (notice.issued_on > notice.deadline)
        assert notice.is_late == bool(notice.late_reason)


def test_each_approval_points_at_its_subject(seeded):
    assert Approval.objects.filter(status=Approval.Status.PENDING).exists()
    for approval in Approval.objects.all():
        assert approval.subject.pupil_id == approval.pupil_id


def test_the_long_running_placements_pupil_has_two_hundred_steps(seeded):
    busiest = Pupil.objects.annotate(steps=Count("case_events")).order_by("-steps").first()
    assert busiest is not None
    assert busiest.steps == 200
    assert not CaseEvent.objects.filter(occurred_at__gte=NOW).exists()


def test_history_rows_exist_where_the_app_would_write_them(seeded):
    models = (School, Pupil, Contact, Referral, Approval, Provider, Audit, Placement, AttendanceMark, CaseEvent)
    for model in models + REVIEW_MODELS:
        assert model.history.count() == model.objects.count(), model.__name__
    event = CaseEvent.objects.exclude(actor=None).first()
    assert event is not None
    assert event.history.get().history_user == event.actor


def test_started_placements_have_their_reviews_targets_and_readings(seeded):
    started = set(Placement.objects.filter(status__in=(S.ACTIVE, S.ENDING, S.ENDED)).values_list("pk", flat=True))
    assert set(ReviewMeeting.objects.values_list("placement_id", flat=True)) == started
    statuses = set(ReviewMeeting.objects.values_list("status", flat=True))
    assert {ReviewMeeting.Status.HELD, ReviewMeeting.Status.SCHEDULED} <= statuses
    assert not ReviewMeeting.objects.exclude(school_id=F("placement__school_id")).exists()
    held = ReviewMeeting.objects.filter(status=ReviewMeeting.Status.HELD)
    assert not held.filter(held_on__gte=NOW.date()).exists()
    for review in held.prefetch_related("participants"):
        assert review.decision and review.attendance_snapshot["overall"]["possible"] >= 0
        assert any(participant.attended for participant in review.participants.all())
    assert not ReviewMeeting.objects.exclude(kind=ReviewMeeting.Kind.FORMAL).exclude(satisfactory_progress=None)
    # Every placement has a Next Steps target, read at each review held, in its half-term.
    assert set(Target.objects.filter(area__in=Target.FRAMEWORK_AREAS).values_list("placement_id", flat=True)) == started
    assert Measurement.objects.count() and not Measurement.objects.filter(period="").exists()
    assert not Measurement.objects.exclude(review__status=ReviewMeeting.Status.HELD).exists()
    assert not Measurement.objects.exclude(measured_on=F("review__held_on")).exists()


def test_a_return_to_class_has_its_plan_report_and_check_ins(seeded):
    ending = Placement.objects.filter(status=S.ENDING)
    returned = Placement.objects.filter(status=S.ENDED, outcome=Placement.Outcome.REINTEGRATED)
    assert ending.exists() and set(ending) <= {plan.placement for plan in ReintegrationPlan.objects.all()}
    assert not PlanVersion.objects.exclude(number__in=(1, 2)).exists()
    assert set(FinalReport.objects.values_list("placement_id", flat=True)) >= set(returned.values_list("pk", flat=True))
    assert returned.exists()  # every school has a return to class
    assert set(CheckIn.objects.values_list("placement_id", flat=True)) == set(returned.values_list("pk", flat=True))
    assert not CheckIn.objects.filter(held_on__gte=NOW.date()).exists()
    for check_in in CheckIn.objects.select_related("placement"):
        assert check_in.due_on > check_in.placement.actual_end_date
        assert check_in.held_on is None or check_in.held_on > check_in.placement.actual_end_date


def test_it_prints_each_stage_with_its_counts(seeded):
    assert f"pupils and contacts: {PUPILS} pupils" in seeded
    assert "attendance marks:" in seeded
    assert "reviews, targets and the return to class:" in seeded and " review meetings" in seeded
    assert "the trust, the local authority and its notifications:" in seeded and " LA notifications" in seeded


def test_the_generated_pages_open_for_the_benchmark_personas(seeded, client):
    pupil = Pupil.objects.annotate(steps=Count("case_events")).order_by("-steps").first()
    assert pupil is not None
    placement = Placement.objects.filter(status=Placement.Status.ACTIVE).first()
    assert placement is not None
    plan = ReintegrationPlan.objects.first()
    assert plan is not None
    returning = plan.placement
    review = ReviewMeeting.objects.filter(status=ReviewMeeting.Status.HELD).first()
    assert review is not None
    for username, url in [
        ("sendco01", "/"),
        ("head01", "/"),
        ("head01", "/approvals/"),
        ("dsl01", "/providers/"),
        ("sendco01", pupil.get_absolute_url()),
        ("sendco01", f"{placement.get_absolute_url()}attendance/"),
        ("sendco01", placement.get_absolute_url()),
        ("sendco01", "/reviews/"),
        ("sendco01", "/reviews/?view=overdue"),
        ("sendco01", "/reviews/calendar/"),
        ("sendco01", review.get_absolute_url()),
        ("sendco01", f"{placement.get_absolute_url()}progress/"),
        ("sendco01", f"{returning.get_absolute_url()}reintegration/"),
        ("governor01", "/reports/governors/"),
        ("trustlead01", "/trust/"),
        ("trustlead01", "/trust/report/"),
        ("laofficer01", "/la/"),
        ("laofficer01", "/la/notifications/"),
    ]:
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url


def test_it_refuses_a_database_that_already_has_schools(seeded):
    with pytest.raises(CommandError, match="already has schools"):
        call_command("seed_bench", schools=1, pupils_per_school=PUPILS, stdout=StringIO())


def test_it_refuses_too_few_pupils_for_every_status(db):
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_bench", schools=1, pupils_per_school=5, stdout=StringIO())


def _snapshot() -> list:
    return [
        list(Pupil.objects.order_by("upn").values_list("public_id", "upn", "legal_first_name", "date_of_birth")),
        list(Placement.objects.order_by("public_id").values_list("public_id", "status", "start_date", "pupil__upn")),
        list(AttendanceMark.objects.order_by("placement__public_id", "date", "session").values_list("code__code")),
        list(ReviewMeeting.objects.order_by("public_id").values_list("public_id", "kind", "status", "due_on")),
        list(Measurement.objects.order_by("target__public_id", "measured_on").values_list("value", flat=True)),
    ]


def _generated(seed: int) -> list:
    """Generate, note what was made, and roll it back."""
    with transaction.atomic():
        generate(schools=1, pupils_per_school=PUPILS, seed=seed, password=None, report=lambda line: None)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = _generated(seed=7)
    assert _generated(seed=7) == first
    assert _generated(seed=8) != first
