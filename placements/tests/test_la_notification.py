"""Notifying the local authority of a placement: stored once, received by the school's LA."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apcase.models import School
from apcase.tests.factories import LocalAuthorityFactory
from apcase.tests.pdf import pdf_text
from outbox.models import Message
from outbox.services import message_record_posted, outbox_dispatch
from placements.models import LANotification, Placement
from placements.services import placement_la_notify
from pupils.models import CaseEvent

S = Placement.Status
pytestmark = pytest.mark.django_db


def test_notifying_stores_the_letter_the_la_receives(at, sendco, school):
    placement = at(S.APPROVED)
    notification = placement_la_notify(actor=sendco, placement=placement)
    assert notification.local_authority == school.local_authority
    assert notification.document.kind == "la_notification" and notification.sent_at is None
    text = pdf_text(notification.document.read_bytes())
    assert placement.pupil.full_name in text and school.local_authority.ap_contact in text
    assert "DRAFT" not in text
    assert list(LANotification.objects.received_by(school.local_authority)) == [notification]
    assert not LANotification.objects.received_by(LocalAuthorityFactory(code="894"))
    event = CaseEvent.objects.filter(pupil=placement.pupil).first()
    assert event is not None
    assert "notified to Staffordshire County Council" in event.summary


def test_a_placement_notified_again_keeps_both_letters(at, sendco, head):
    placement = at(S.ACTIVE, start_date=date(2026, 11, 3))
    first = placement_la_notify(actor=sendco, placement=placement)
    second = placement_la_notify(actor=head, placement=placement)
    assert list(placement.la_notifications.all()) == [second, first]


def test_only_the_people_who_commission_it_notify_the_la(at, dsl):
    with pytest.raises(PermissionDenied):
        placement_la_notify(actor=dsl, placement=at(S.APPROVED))


def test_a_plan_not_yet_sent_for_approval_is_not_notified(at, sendco):
    with pytest.raises(ValidationError, match="once it has been sent for approval"):
        placement_la_notify(actor=sendco, placement=at(S.PLANNED))
    assert not LANotification.objects.exists()


def test_a_school_without_its_la_set_is_told_what_to_do(at, sendco, school):
    School.objects.filter(pk=school.pk).update(local_authority=None)
    with pytest.raises(ValidationError, match="local authority is not set"):
        placement_la_notify(actor=sendco, placement=at(S.APPROVED))


def test_a_school_cannot_name_an_la_with_another_code(school):
    school.local_authority = LocalAuthorityFactory(code="894", name="Telford and Wrekin")
    with pytest.raises(ValidationError, match="This LA's code is 894"):
        school.full_clean()


class TestTheOutbox:
    """The letter leaves through the outbox to the address the school's LA holds."""

    def test_it_is_emailed_with_the_stored_pdf_and_sent_at_is_when_the_server_took_it(self, at, sendco, smtp):
        placement = at(S.APPROVED)
        notification = placement_la_notify(actor=sendco, placement=placement)
        message = Message.objects.get(document=notification.document)
        assert (message.purpose, message.channel) == (Message.Purpose.LA_NOTIFICATION, Message.Channel.EMAIL)

        assert outbox_dispatch(enqueue=False)["sent"] == 1

        [arrived] = smtp.received
        assert arrived["X-Envelope-To"] == "ap@la.example"
        assert placement.pupil.last_name not in arrived["Subject"]
        [attachment] = list(arrived.iter_attachments())
        assert attachment.get_content() == notification.document.read_bytes()
        message.refresh_from_db()
        notification.refresh_from_db()
        assert notification.sent_at == message.sent_at is not None
        assert notification.history.first().history_user == sendco

    def test_without_an_email_address_it_is_posted_and_sent_when_recorded_as_posted(self, at, sendco, school):
        type(school.local_authority).objects.filter(pk=school.local_authority_id).update(ap_email="")
        notification = placement_la_notify(actor=sendco, placement=at(S.APPROVED))
        message = Message.objects.get(document=notification.document)
        assert message.channel == Message.Channel.POST
        assert message.address_lines == ["AP Commissioning Team", "County Hall", "Stafford ST99 2ZZ"]
        notification.refresh_from_db()
        assert notification.sent_at is None

        message_record_posted(actor=sendco, message=message, posted_on=date.today())

        notification.refresh_from_db()
        assert notification.sent_at is not None

    def test_with_no_address_at_all_nothing_is_queued_and_the_card_says_so(self, at, sendco, school, client_for):
        type(school.local_authority).objects.filter(pk=school.local_authority_id).update(ap_email="", ap_address="")
        placement = at(S.APPROVED)
        placement_la_notify(actor=sendco, placement=placement)
        assert not Message.objects.exists()
        page = client_for(sendco).get(placement.get_absolute_url()).content.decode()
        assert "Not sent: the LA has no AP e-mail or postal address" in page

    def test_a_refused_address_shows_as_failed_on_the_placement_and_is_not_sent(self, at, sendco, smtp, client_for):
        smtp.refuse.add("ap@la.example")
        placement = at(S.APPROVED)
        notification = placement_la_notify(actor=sendco, placement=placement)

        outbox_dispatch(enqueue=False)

        notification.refresh_from_db()
        assert notification.sent_at is None
        page = client_for(sendco).get(placement.get_absolute_url()).content.decode()
        card = page[page.index("la-notification-heading") :]
        assert "E-mail to AP Commissioning Team</a>:" in card and "Failed" in card and "No such mailbox" in card


class TestThePage:
    def test_the_sendco_notifies_from_the_placement_and_downloads_the_copy_sent(self, at, sendco, client_for):
        placement = at(S.APPROVED)
        client = client_for(sendco)
        page = client.get(placement.get_absolute_url()).content.decode()
        assert "has not been told of this placement yet" in page and "Read the draft letter" in page
        response = client.post(reverse("placements:la_notify", args=[placement.public_id]), follow=True)
        assert "is notified; the letter is kept with the placement" in response.content.decode()
        notification = placement.la_notifications.get()
        assert "Notified to Staffordshire County Council" in response.content.decode()
        download = client.get(reverse("reports:la_notification", args=[placement.public_id]))
        assert download.content == notification.document.read_bytes()

    def test_a_refusal_is_shown_on_the_placement(self, at, sendco, client_for):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 3))
        School.objects.filter(pk=placement.school_id).update(local_authority=None)
        response = client_for(sendco).post(reverse("placements:la_notify", args=[placement.public_id]), follow=True)
        assert "local authority is not set" in response.content.decode()

    def test_the_dsl_reads_the_card_without_the_button(self, at, sendco, dsl, client_for):
        placement = at(S.APPROVED)
        placement_la_notify(actor=sendco, placement=placement)
        page = client_for(dsl).get(placement.get_absolute_url()).content.decode()
        assert "Notified to Staffordshire County Council" in page and "Notify the LA again" not in page
        assert client_for(dsl).post(reverse("placements:la_notify", args=[placement.public_id])).status_code == 403
