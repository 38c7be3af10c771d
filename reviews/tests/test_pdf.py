"""The minutes of a review and the final report before the return, as real A4 PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apcase.models import RecordAccess
from apcase.tests.pdf import assert_a4_without_attachments, pdf_text, read_pdf
from pupils.tests.factories import PupilFactory
from reviews.models import FinalReport, ReviewMeeting
from reviews.tests.factories import (
    MeasurementFactory,
    ParticipantFactory,
    ReviewMeetingFactory,
    RunningPlacementFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
HOSTILE = '<img src="file:///etc/passwd"><a rel="attachment" href="file:///etc/hostname">x</a>'


@pytest.fixture
def placement(school, today):
    return RunningPlacementFactory(
        pupil=PupilFactory(school=school, legal_first_name="Jayden", legal_last_name="Clarke")
    )


def _minutes(client, review) -> bytes:
    response = client.get(reverse("reviews:minutes", args=[review.public_id]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    return response.content


def test_the_minutes_of_a_held_review(client_for, sendco, placement):
    review = ReviewMeetingFactory(
        placement=placement,
        kind=ReviewMeeting.Kind.FORMAL,
        held=True,
        due_on=date(2026, 11, 20),
        satisfactory_progress=False,
        pupil_voice="I want to go back to my class.",
    )
    ParticipantFactory(review=review, name="Donna Clarke", attended=True)
    MeasurementFactory(target=TargetFactory(placement=placement), review=review, value=Decimal("3"))
    content = _minutes(client_for(sendco), review)
    assert_a4_without_attachments(content)
    text = pdf_text(content)
    assert "Minutes of the formal review" in text and "Jayden Clarke" in text and "Donna Clarke" in text
    assert "Is the pupil now making satisfactory progress? No" in text and "I want to go back to my class." in text
    assert "Reading: decoding" in text and "DRAFT" not in text
    metadata = read_pdf(content).metadata
    assert metadata is not None and metadata.title == "Minutes: Formal review, Jayden Clarke"
    assert RecordAccess.objects.filter(object_id=review.public_id, action="download").exists()


def test_minutes_before_the_meeting_is_held_are_a_draft(client_for, sendco, placement):
    review = ReviewMeetingFactory(placement=placement)
    assert "DRAFT" in pdf_text(_minutes(client_for(sendco), review))


def test_hostile_text_in_the_minutes_is_printed_as_text(client_for, sendco, placement):
    review = ReviewMeetingFactory(
        placement=placement, parents_views=HOSTILE, provider_report="<script>alert(1)</script>"
    )
    content = _minutes(client_for(sendco), review)
    assert_a4_without_attachments(content)
    text = pdf_text(content)
    assert "file:///etc/passwd" in text and "<script>alert(1)</script>" in text


def test_the_final_report_with_attendance_from_the_register_and_the_progress_chart(client_for, head, dsl, placement):
    target = TargetFactory(placement=placement)
    MeasurementFactory(target=target, value=Decimal("3"))
    FinalReport.objects.create(
        placement=placement,
        attainment_progress="Up a stage in reading.",
        behaviour_evidence=HOSTILE,
        pupil_views="Ready to go back.",
        pupil_views_heard_by="Mrs Marsh, headteacher",
        objectives_on_return="Whole of carpet time.",
        prepared_by=head,
        prepared_on=date(2026, 11, 20),
    )
    response = client_for(dsl).get(reverse("reintegration:final_report_pdf", args=[placement.public_id]))
    reader = assert_a4_without_attachments(response.content)
    text = pdf_text(response.content)
    assert "Final report before the return to class" in text and "Up a stage in reading." in text
    assert "Ready to go back." in text and "Heard by Mrs Marsh, headteacher." in text
    assert "During the placement: no sessions marked" in text and "file:///etc/passwd" in text
    assert any("/XObject" in (page.get("/Resources") or {}) for page in reader.pages)  # the chart


def test_no_final_report_yet_is_a_404(client_for, head, placement):
    assert (
        client_for(head).get(reverse("reintegration:final_report_pdf", args=[placement.public_id])).status_code == 404
    )
