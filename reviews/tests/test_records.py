"""Reviews, targets and the return to class are part of the pupil's records: in a subject access
export, and anonymised at the end of retention."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from pupils.models import Pupil
from pupils.records import RECORD_TYPES, REMOVED
from pupils.retention import pupil_anonymise
from pupils.subject_access import subject_access_export
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
from reviews.tests.factories import (
    CheckInFactory,
    MeasurementFactory,
    ParticipantFactory,
    ReviewMeetingFactory,
    ReviewRequestFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(school, head):
    check_in = CheckInFactory(
        placement__pupil__school=school, notes="Settled at lunch.", held_on=date(2026, 11, 3), still_in_class=True
    )
    placement = check_in.placement
    review = ReviewMeetingFactory(
        placement=placement, held=True, pupil_voice="I miss my friends.", parents_views="Worried."
    )
    ParticipantFactory(review=review, name="Donna Clarke")
    ReviewAction.objects.create(
        review=review, description="Call Donna", owner_name="Jo Whitfield", due_on=date(2026, 11, 1)
    )
    ReviewRequestFactory(placement=placement, requester_name="Donna Clarke", request_text="Please review.")
    MeasurementFactory(target=TargetFactory(placement=placement, description="Stays calm at lunch"), note="Good week.")
    plan = ReintegrationPlan.objects.create(placement=placement, created_by=head)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        strengths="Loves Lego.",
        needs="Calm.",
        agreed_targets="Stay.",
        classroom_strategies="Card.",
        who_supports="Mrs Patel.",
        agreed_on=date(2026, 9, 14),
        agreed_by=head,
        return_timetable=[["mon_am"]],
    )
    FinalReport.objects.create(
        placement=placement,
        attainment_progress="Stage 2.",
        behaviour_evidence="Calm.",
        pupil_views="Happy.",
        pupil_views_heard_by="Head",
        objectives_on_return="Stay.",
        prepared_by=head,
        prepared_on=date(2026, 10, 7),
    )
    return placement.pupil


def test_every_record_type_is_registered_once():
    models = [record_type.model for record_type in RECORD_TYPES]
    for model in (
        ReviewMeeting,
        ReviewParticipant,
        ReviewAction,
        ReviewRequest,
        Target,
        Measurement,
        ReintegrationPlan,
        PlanVersion,
        FinalReport,
        CheckIn,
    ):
        assert models.count(model) == 1, model


def test_the_subject_access_export_holds_them_with_their_history(case, head):
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=case, actor=head)))
    names = set(archive.namelist())
    for name in (
        "review-meetings",
        "review-invitees",
        "requests-for-a-review",
        "targets",
        "measurements",
        "reintegration-plan-versions",
        "final-reports",
        "check-ins-after-the-return",
    ):
        assert f"records/{name}.csv" in names and f"history/{name}-history.csv" in names
    assert "I miss my friends." in archive.read("records/review-meetings.csv").decode()


def test_anonymising_erases_free_text_and_names_and_keeps_the_shape(case, head):
    Pupil.objects.filter(pk=case.pk).update(leaving_date=date(2000, 7, 20))
    case.refresh_from_db()
    pupil_anonymise(pupil=case, actor=head, today=date(2026, 11, 23))
    review = ReviewMeeting.objects.get()
    assert (review.pupil_voice, review.parents_views, review.status) == ("", "", "held")
    assert not ReviewParticipant.objects.exists()
    assert ReviewAction.objects.get().description == REMOVED
    assert ReviewRequest.objects.get().requester_name == REMOVED
    assert Target.objects.get().description == REMOVED and Measurement.objects.get().note == ""
    version = PlanVersion.objects.get()
    assert (version.strengths, version.who_supports, version.return_timetable) == ("", "", [["mon_am"]])
    assert FinalReport.objects.get().pupil_views == "" and CheckIn.objects.get().notes == ""
    assert CheckIn.objects.get().still_in_class is True  # the outcome stays for the school's statistics
    assert not ReviewMeeting.history.filter(pupil_voice="I miss my friends.").exists()
