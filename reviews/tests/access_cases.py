"""Who may open each review, progress and reintegration URL (reviews/permissions.py has the reasons).

SENDCo and head run reviews; the DSL reads them; the pupil's class teacher reads the reintegration
plan and records check-ins; the office and governors get 403 everywhere; the outsider 404.
"""

from __future__ import annotations

from datetime import date

from apcase.tests.access import Case, expect
from pupils.tests.factories import PupilFactory
from reviews.models import FinalReport, PlanVersion, ReintegrationPlan
from reviews.tests.factories import (
    CheckInFactory,
    ReviewMeetingFactory,
    ReviewRequestFactory,
    RunningPlacementFactory,
    TargetFactory,
)

LEADERS = {"sendco": 200, "head": 200}
READERS = {**LEADERS, "dsl": 200}


def _placement(world, **fields):
    return RunningPlacementFactory(
        pupil=PupilFactory(school=world.school, class_teacher=world.users["teacher"]), **fields
    )


def _review(world):
    return {"public_id": ReviewMeetingFactory(placement=_placement(world)).public_id}


def _provider_report(world):
    from django.core.files.base import ContentFile

    from reviews.models import ProviderReviewReport

    review = ReviewMeetingFactory(placement=_placement(world))
    sent = ProviderReviewReport(review=review, provider_name="Littleton Green", submitted_by=world.users["sendco"])
    sent.file.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
    sent.save()
    return {"public_id": sent.public_id}


def _provider_progress(world):
    from datetime import date

    from reviews.models import ProviderProgressNote
    from reviews.tests.factories import TargetFactory

    target = TargetFactory(placement=_placement(world))
    sent = ProviderProgressNote.objects.create(
        target=target,
        measured_on=date(2026, 11, 20),
        value="3.0",
        provider_name="Littleton Green",
        submitted_by=world.users["sendco"],
    )
    return {"public_id": sent.public_id, "decision": "accept"}


def _action(world):
    from reviews.models import ReviewAction

    review = ReviewMeetingFactory(placement=_placement(world))
    action = ReviewAction.objects.create(
        review=review, description="Call home", owner_name="Jo", due_on=date(2026, 12, 1)
    )
    return {"public_id": action.public_id}


def _request(world):
    return {"public_id": ReviewRequestFactory(placement=_placement(world)).public_id}


def _placement_kwargs(world):
    return {"public_id": _placement(world).public_id}


def _plan(world):
    placement = _placement(world)
    plan = ReintegrationPlan.objects.create(placement=placement, created_by=world.users["sendco"])
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        strengths="Kind.",
        needs="Calm.",
        agreed_targets="Stay.",
        classroom_strategies="Card.",
        who_supports="TA.",
        agreed_on=date(2026, 11, 3),
        agreed_by=world.users["sendco"],
    )
    return {"public_id": placement.public_id, "number": 1}


def _final_report(world):
    placement = _placement(world)
    FinalReport.objects.create(
        placement=placement,
        attainment_progress="Up a stage.",
        behaviour_evidence="Calm.",
        pupil_views="Ready.",
        pupil_views_heard_by="Head",
        objectives_on_return="Stay.",
        prepared_by=world.users["head"],
        prepared_on=date(2026, 11, 20),
    )
    return {"public_id": placement.public_id}


def _check_in(world):
    check_in = CheckInFactory(placement__pupil=PupilFactory(school=world.school, class_teacher=world.users["teacher"]))
    return {"public_id": check_in.placement.public_id, "weeks": 2}


def _target(world):
    target = TargetFactory(placement=_placement(world))
    return {"public_id": target.placement.public_id, "target_id": target.public_id}


CASES = {
    "reviews:detail": Case(_review, expect(403, **READERS)),
    "reviews:provider_report_file": Case(_provider_report, expect(403, **READERS)),
    "progress:provider_progress_decide": Case(_provider_progress, expect(403, sendco=302, head=302), method="post"),
    "reviews:schedule": Case(_review, expect(403, **LEADERS)),
    "reviews:record": Case(_review, expect(403, **LEADERS)),
    "reviews:cancel": Case(_review, expect(403, **LEADERS)),
    # Not arranged yet: leaders are sent back to the review with what to do first.
    # Not yet arranged: those who may send are sent back to arrange the meeting first.
    "reviews:invite": Case(_review, expect(403, sendco=302, head=302)),
    "reviews:action_new": Case(_review, expect(403, **LEADERS)),
    "reviews:minutes": Case(_review, expect(403, **READERS)),
    "reviews:history": Case(_review, expect(403, **READERS)),
    # Marking an action done is for its owner or a leader: a redirect back to the review.
    "reviews:action_done": Case(_action, expect(403, sendco=302, head=302), method="post"),
    "reviews:request_detail": Case(_request, expect(403, **READERS)),
    "reviews:request_answer": Case(_request, expect(403, **LEADERS)),
    "reintegration:plan": Case(_placement_kwargs, expect(403, **READERS, teacher=200)),
    "reintegration:agree": Case(_placement_kwargs, expect(403, **LEADERS)),
    "reintegration:version": Case(_plan, expect(403, **READERS, teacher=200)),
    "reintegration:final_report": Case(_placement_kwargs, expect(403, **LEADERS)),
    "reintegration:final_report_pdf": Case(_final_report, expect(403, **READERS)),
    "reintegration:check_in": Case(_check_in, expect(403, **LEADERS, teacher=200)),
    "progress:page": Case(_placement_kwargs, expect(403, **READERS)),
    "progress:target_new": Case(_placement_kwargs, expect(403, **LEADERS)),
    "progress:target_edit": Case(_target, expect(403, **LEADERS)),
    "progress:measurement_new": Case(_target, expect(403, **LEADERS)),
}
