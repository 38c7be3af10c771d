"""Who may open each placement URL (see placements/permissions.py for the reasons).

SENDCo and head run placements; the DSL reads them in full and records incidents; the pupil's
class teacher reads the summary; the office keeps the register (attendance) but does not open the
placement record; governors get 403 everywhere; the outsider 404.
"""

from __future__ import annotations

from datetime import date

from apcase.tests.access import Case, expect
from placements.models import ParentAgreement, Placement
from placements.tests.factories import IncidentFactory, PlacementFactory
from pupils.tests.factories import PupilFactory

LEADERS = {"sendco": 200, "head": 200}
REDIRECTED_LEADERS = {"sendco": 302, "head": 302}
FULL_READERS = {**LEADERS, "dsl": 200}


def _placement(world, **fields) -> Placement:
    pupil = PupilFactory(school=world.school, class_teacher=world.users["teacher"])
    return PlacementFactory(pupil=pupil, **fields)


def _planned(world):
    return {"public_id": _placement(world, directed_off_site=True).public_id}


def _active(world):
    placement = _placement(
        world, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 16), planned_end_date=date(2026, 12, 18)
    )
    return {"public_id": placement.public_id}


def _agreed(world):
    """A placement in the Rockets class the parents agreed to (no direction, so an agreement)."""
    placement = _placement(world)
    ParentAgreement.objects.create(
        placement=placement,
        response=ParentAgreement.Response.AGREED,
        given_by="Donna Clarke",
        given_on=date(2026, 11, 20),
        method=ParentAgreement.Method.MEETING,
        recorded_by=world.users["sendco"],
    )
    return {"public_id": placement.public_id}


def _chase_contact(world) -> dict:
    from pupils.models import Contact

    return {
        "contact": Contact.objects.filter(pupil__school=world.school).latest("pk").public_id,
        "outcome": "no_answer",
    }


def _active_with_contact(world):
    kwargs = _active(world)
    from pupils.tests.factories import ContactFactory

    ContactFactory(pupil=Placement.objects.get(public_id=kwargs["public_id"]).pupil)
    return kwargs


def _active_chase_notice(world):
    return {**_active(world), "kind": "attendance_return"}


def _pupil(world):
    return {"public_id": PupilFactory(school=world.school).public_id}


def _acknowledged_handover(world):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from placements.tests.factories import HandoverFactory

    handover = HandoverFactory(placement=_placement(world, status=Placement.Status.ACTIVE))
    handover.acknowledged_at, handover.acknowledged_by_name = timezone.now(), "Jo Whitfield"
    handover.acknowledgement.save("ack.pdf", ContentFile(b"%PDF-1.4 ack"), save=True)
    return {"public_id": handover.public_id}


def _handover(world):
    from placements.tests.factories import HandoverFactory

    return {"public_id": HandoverFactory(placement=_placement(world, status=Placement.Status.ACTIVE)).public_id}


def _serious_incident(world):
    placement = _placement(world, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 16))
    return {"public_id": IncidentFactory(placement=placement, severity="serious").public_id}


CASES = {
    "placements:handover_acknowledgement": Case(_acknowledged_handover, expect(403, **FULL_READERS)),
    # Sent (or refused with the reason): back to the placement page either way.
    "placements:handover_send": Case(_handover, expect(403, **REDIRECTED_LEADERS, dsl=302), method="post"),
    "placements:detail": Case(_planned, expect(403, **FULL_READERS, teacher=200)),
    "placements:edit": Case(_planned, expect(403, **LEADERS)),
    # Asking for approval of an incomplete plan is refused with a message: a redirect for leaders.
    "placements:move": Case(
        _planned, expect(403, **REDIRECTED_LEADERS), method="post", data={"target": "awaiting_approval"}
    ),
    "placements:cancel": Case(_planned, expect(403, **LEADERS)),
    "placements:end": Case(_active, expect(403, **LEADERS)),
    # Leaders are sent back to the placement: this one has no extension waiting to withdraw.
    "placements:extension_withdraw": Case(_active, expect(403, **REDIRECTED_LEADERS)),
    "placements:history": Case(_planned, expect(403, **FULL_READERS)),
    "placements:notice": Case(_planned, expect(403, **FULL_READERS)),
    "placements:notice_pdf": Case(_planned, expect(403, **FULL_READERS)),
    # No notice issued yet: leaders are told so on the page (400), others may not send one.
    "placements:notice_amend": Case(
        _planned, expect(403, sendco=400, head=400), method="post", data={"method": "post"}
    ),
    # The people who commission a placement tell the LA of it; they go back to the placement.
    "placements:la_notify": Case(_active, expect(403, **REDIRECTED_LEADERS), method="post"),
    "placements:attendance": Case(_active, expect(403, **FULL_READERS, office=200)),
    "placements:all_present": Case(_active, expect(403, **REDIRECTED_LEADERS, office=302), method="post"),
    "placements:handover_new": Case(_planned, expect(403, **LEADERS)),
    # Whether the provision suits the pupil: those who run it, and the DSL who audits providers.
    "placements:suitability_new": Case(_planned, expect(403, **FULL_READERS)),
    "placements:agreement_new": Case(_agreed, expect(403, **LEADERS)),
    "placements:agreement_pdf": Case(_agreed, expect(403, **FULL_READERS)),
    "placements:incident_new": Case(_active, expect(403, **FULL_READERS)),
    "placements:visit_new": Case(_active, expect(403, **LEADERS)),
    "placements:contact_new": Case(_active, expect(403, **FULL_READERS, office=200)),
    "placements:pupil_contact_new": Case(_pupil, expect(403, **FULL_READERS, office=200)),
    "placements:incident_respond": Case(_serious_incident, expect(403, **LEADERS)),
    # The daily chase: the office records calls home, as do those who run and safeguard placements.
    "placements:chase_call": Case(
        _active_with_contact,
        expect(403, **REDIRECTED_LEADERS, dsl=302, office=302),
        method="post",
        data=_chase_contact,
    ),
    # Nothing to report for this placement: those who may send are told so on the chase page.
    "placements:chase_notice": Case(_active_chase_notice, expect(403, **REDIRECTED_LEADERS, dsl=302), method="post"),
}
