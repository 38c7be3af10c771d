"""Handover, incidents (the DSL told of a safeguarding concern, a serious one reviewed) and visits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements import hooks
from placements.models import Incident, ParentNotice, Placement
from placements.selectors import incidents_needing_review
from placements.services import handover_record, incident_respond, placement_incident_record, visit_record
from pupils.models import CaseEvent
from pupils.tests.factories import ContactFactory, PupilFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def running(at):
    return at(S.ACTIVE, start_date=date(2026, 11, 16))


@pytest.fixture
def listeners(monkeypatch):
    """A clean listener registry for the test (the real one may gain the reviews app's)."""
    monkeypatch.setattr(hooks, "_serious_incident_listeners", [])
    return hooks


def _incident(placement, actor, **fields) -> Incident:
    defaults: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "severity": "low",
        "description": "Swore at a member of staff.",
        "reported_by": "Jo Whitfield, head of centre",
    }
    return placement_incident_record(actor=actor, placement=placement, **(defaults | fields))


class TestHandover:
    def test_it_records_what_was_shared_and_by_whom(self, at, sendco, head):
        placement = at(S.APPROVED)
        handover = handover_record(
            actor=sendco,
            placement=placement,
            shared_by=head,
            shared_on=date(2026, 11, 20),
            shared_with="Jo Whitfield",
            items=["attainment", "behaviour_plan", "medical"],
        )
        assert handover.item_labels == ["Attainment data", "Behaviour plan", "Medical information"]
        event = CaseEvent.objects.get(kind=CaseEvent.Kind.HANDOVER)
        assert (
            event.summary
            == f"Handover to Jo Whitfield: attainment data, behaviour plan, medical information (shared by {head})"
        )
        assert timezone.localtime(event.occurred_at).date() == date(2026, 11, 20)

    def test_it_needs_something_shared(self, at, sendco):
        with pytest.raises(ValidationError) as error:
            handover_record(
                actor=sendco,
                placement=at(S.APPROVED),
                shared_by=sendco,
                shared_on=date(2026, 11, 20),
                shared_with="Jo",
                items=[],
            )
        assert "items" in error.value.message_dict

    def test_the_structured_handover_keeps_the_chosen_emergency_contacts(self, at, sendco):
        placement = at(S.APPROVED)
        mum = ContactFactory(pupil=placement.pupil, name="Donna Clarke", phone="07700 900101")
        handover = handover_record(
            actor=sendco,
            placement=placement,
            shared_by=sendco,
            shared_on=date(2026, 11, 20),
            shared_with="Jo",
            items=[],
            needs="Reading support.",
            risks="May leave the site.",
            risk_management="A named adult follows at a distance.",
            emergency_contacts=[mum],
            shared_in_portal=True,
        )
        assert [heading for heading, _ in handover.sections] == ["Needs", "Risks", "How to manage the risks"]
        assert list(handover.emergency_contacts.all()) == [mum]
        assert [row.contact_id for row in handover.history.latest().emergency_contacts.all()] == [mum.pk]

    @pytest.mark.parametrize(
        ("another_pupils", "contact"),
        [
            (False, {"phone": ""}),
            (False, {"do_not_contact": True, "do_not_contact_reason": "Court order"}),
            (True, {}),
        ],
    )
    def test_an_emergency_contact_is_the_pupils_own_with_a_phone(self, at, sendco, another_pupils, contact):
        placement = at(S.APPROVED)
        pupil = PupilFactory(school=placement.school) if another_pupils else placement.pupil
        chosen = ContactFactory(pupil=pupil, **contact)
        with pytest.raises(ValidationError) as error:
            handover_record(
                actor=sendco,
                placement=placement,
                shared_by=sendco,
                shared_on=date(2026, 11, 20),
                shared_with="Jo",
                items=["semh"],
                emergency_contacts=[chosen],
            )
        assert "emergency_contacts" in error.value.message_dict

    def test_risks_need_how_to_manage_them(self, at, sendco):
        with pytest.raises(ValidationError) as error:
            handover_record(
                actor=sendco,
                placement=at(S.APPROVED),
                shared_by=sendco,
                shared_on=date(2026, 11, 20),
                shared_with="Jo",
                items=[],
                risks="May leave the site.",
            )
        assert list(error.value.message_dict) == ["risk_management"]

    def test_it_waits_for_the_approval(self, at, sendco):
        with pytest.raises(ValidationError, match="once the placement is approved"):
            handover_record(
                actor=sendco,
                placement=at(S.PLANNED),
                shared_by=sendco,
                shared_on=date(2026, 11, 20),
                shared_with="Jo",
                items=["semh"],
            )


class TestIncidents:
    def test_a_safeguarding_concern_is_sent_to_the_dsls_with_initials_only(self, running, sendco, dsl):
        _incident(running, sendco, safeguarding_concern=True)
        note = dsl.notifications.get()
        assert note.title == f"Safeguarding concern reported at AP for {running.pupil.initials}"
        assert "Jayden" not in note.title and "Swore" not in note.title + note.body
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.INCIDENT).summary == (
            "Low incident reported by Jo Whitfield, head of centre (safeguarding concern)"
        )

    def test_a_serious_incident_goes_to_the_sendcos_queue_and_every_listener(self, running, dsl, sendco, listeners):
        heard = []
        listeners.register_serious_incident_listener(lambda incident, actor: heard.append((incident.pk, actor)))
        low = _incident(running, dsl)
        serious = _incident(running, dsl, severity="serious")
        assert heard == [(serious.pk, dsl)]
        assert list(incidents_needing_review(user=sendco)) == [serious] and low.needs_response is False
        assert sendco.notifications.get(kind="serious_incident").title.endswith(": review needed")

    def test_a_listener_that_fails_records_nothing(self, running, dsl, listeners):
        def broken(incident, actor):
            raise RuntimeError("the review could not be scheduled")

        listeners.register_serious_incident_listener(broken)
        with pytest.raises(RuntimeError):
            _incident(running, dsl, severity="serious")
        assert not Incident.objects.exists() and not CaseEvent.objects.filter(kind="incident").exists()

    def test_a_listener_is_registered_once(self, listeners):
        def listener(incident, actor):
            return None

        listeners.register_serious_incident_listener(listener)
        listeners.register_serious_incident_listener(listener)
        assert listeners.serious_incident_listeners() == (listener,)

    def test_the_decision_on_a_serious_incident_takes_it_off_the_queue(self, running, dsl, sendco):
        incident = _incident(running, dsl, severity="serious")
        with pytest.raises(PermissionDenied):
            incident_respond(actor=dsl, incident=incident, response="Review.")
        with pytest.raises(ValidationError):
            incident_respond(actor=sendco, incident=incident, response=" ")
        incident_respond(actor=sendco, incident=incident, response="Placement review on 01/12 with mum.")
        assert list(incidents_needing_review(user=sendco)) == []

    def test_an_incident_is_recorded_after_it_happened(self, running, sendco):
        with pytest.raises(ValidationError):
            _incident(running, sendco, occurred_at=timezone.now() + timedelta(hours=1))

    def test_an_incident_is_recorded_once_the_placement_has_started(self, at, sendco):
        with pytest.raises(ValidationError, match="once the placement has started"):
            _incident(at(S.APPROVED), sendco)

    @pytest.mark.parametrize("who", ["teacher", "office"])
    def test_only_leaders_and_the_dsl_record_incidents(self, request, running, who):
        with pytest.raises(PermissionDenied):
            _incident(running, request.getfixturevalue(who))


class TestVisits:
    def test_it_records_who_visited_and_what_they_saw(self, running, sendco, teacher):
        visit = visit_record(
            actor=sendco,
            placement=running,
            staff=[sendco, teacher],
            visited_on=date(2026, 11, 20),
            what_was_seen="Calm and on task.",
            pupil_voice="I like it here.",
        )
        assert set(visit.staff.all()) == {sendco, teacher}
        event = CaseEvent.objects.get(kind=CaseEvent.Kind.VISIT)
        assert event.summary == f"Visit to Littleton Green by {sendco}, {teacher}"
        assert timezone.localtime(event.occurred_at) == timezone.make_aware(datetime(2026, 11, 20, 12))

    def test_visitors_are_staff_of_the_school(self, running, sendco, outsider):
        with pytest.raises(ValidationError) as error:
            visit_record(
                actor=sendco, placement=running, staff=[outsider], visited_on=date(2026, 11, 20), what_was_seen="x"
            )
        assert error.value.message_dict == {"staff": ["Visitors must be staff of the school."]}
        with pytest.raises(ValidationError):
            visit_record(actor=sendco, placement=running, staff=[], visited_on=date(2026, 11, 20), what_was_seen="x")


class TestEndOfRetention:
    def test_the_issued_notice_is_in_a_subject_access_export_until_retention_ends(
        self, at, head, sendco, client_for, django_capture_on_commit_callbacks
    ):
        import io
        import zipfile

        from django.urls import reverse

        from pupils.records import REMOVED
        from pupils.retention import pupil_anonymise
        from pupils.subject_access import subject_access_export

        placement = at(S.ENDED, start_date=date(2026, 9, 7))
        document = ParentNotice.objects.get(placement=placement).document
        stored_name, storage = document.file.name, document.file.storage
        archive = zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=placement.pupil, actor=head)))
        [letter] = [name for name in archive.namelist() if name.startswith("files/issued-letters/")]
        assert archive.read(letter) == document.read_bytes() and letter.endswith(".pdf")

        pupil = placement.pupil
        pupil.leaving_date = date(2000, 7, 20)
        pupil.save()
        with django_capture_on_commit_callbacks(execute=True):
            pupil_anonymise(pupil=pupil, actor=head, today=date(2026, 11, 23))
        document.refresh_from_db()
        assert (document.file.name, document.title) == ("", REMOVED)
        assert not storage.exists(stored_name)
        response = client_for(sendco).get(reverse("placements:notice_pdf", args=[placement.public_id]), follow=True)
        assert "The letter as issued was removed at the end of the pupil" in response.content.decode()
