"""Review invitations through the outbox: a letter to each person invited from outside the school,
by e-mail with an .ics where an address is held, else by post, else by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from outbox.models import Message
from outbox.services import outbox_dispatch
from reviews.models import ReviewMeeting
from reviews.services import review_arrange, review_invitations_send
from reviews.tests.test_meetings import arranged

pytestmark = pytest.mark.django_db
K, C = ReviewMeeting.Kind, Message.Channel


@pytest.fixture
def formal(running, sendco):
    return review_arrange(actor=sendco, placement=running(), kind=K.FORMAL, due_on=date(2026, 11, 27))


def test_each_outside_invitee_gets_a_letter_by_the_way_the_school_can_reach_them(formal, sendco, pupil):
    pupil.contacts.update(email="donna@example.org")
    formal.placement.provider.email = "office@littleton.example"
    formal.placement.provider.save()
    review = arranged(formal, sendco, at=timezone.make_aware(datetime(2026, 11, 26, 15, 30)))

    sent = {m.recipient_role: m for m in review_invitations_send(actor=sendco, review=review)}

    assert {role: m.channel for role, m in sent.items()} == {
        "Parent or carer": C.EMAIL,
        "Provider": C.EMAIL,
        "Pupil": C.HAND,
    }
    parent = sent["Parent or carer"]
    assert parent.recipient_email == "donna@example.org" and parent.purpose == Message.Purpose.REVIEW_INVITATION
    assert "Thursday 26 November 2026 at 15:30" in parent.body and pupil.short_name in parent.body
    assert pupil.last_name not in parent.subject
    assert parent.calendar is not None
    event = Calendar.from_ical(parent.calendar.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == timezone.make_aware(datetime(2026, 11, 26, 15, 30))
    assert str(event["location"]) == "The centre" and pupil.first_name not in str(event["summary"])
    assert sent["Pupil"].calendar is None


def test_the_email_arrives_with_the_letter_and_the_calendar_entry(formal, sendco, pupil, smtp):
    pupil.contacts.update(email="donna@example.org")
    review = arranged(formal, sendco, at=timezone.make_aware(datetime(2026, 11, 26, 15, 30)))
    [parent] = [
        m for m in review_invitations_send(actor=sendco, review=review) if m.recipient_role == "Parent or carer"
    ]

    outbox_dispatch(enqueue=False)

    [arrived] = [m for m in smtp.received if m["X-Envelope-To"] == "donna@example.org"]
    assert parent.document is not None and parent.calendar is not None
    parts = {part.get_content_type(): part for part in arrived.iter_attachments()}
    assert parts["application/pdf"].get_content() == parent.document.read_bytes()
    assert parts["text/calendar"].get_content().encode() == parent.calendar.read_bytes()


def test_the_letter_and_the_email_greet_a_parent_by_title_and_surname(formal, sendco, pupil):
    from apcase.tests.pdf import pdf_text

    pupil.contacts.update(title="Ms", email="donna@example.org")
    review = arranged(formal, sendco)
    sent = {m.recipient_role: m for m in review_invitations_send(actor=sendco, review=review)}
    parent, provider = sent["Parent or carer"], sent["Provider"]
    assert parent.body.startswith("Dear Ms Clarke,\n")
    assert parent.document is not None and "Dear Ms Clarke," in pdf_text(parent.document.read_bytes())
    assert provider.recipient_name == "Ms Jo Whitfield, Littleton Green"
    assert provider.body.startswith("Dear Ms Whitfield,\n")  # the title as typed, without the position


def test_a_meeting_not_yet_arranged_sends_nothing(formal, sendco):
    with pytest.raises(ValidationError, match="Arrange the meeting"):
        review_invitations_send(actor=sendco, review=formal)


def test_only_leaders_send_them(formal, sendco, dsl):
    review = arranged(formal, sendco)
    with pytest.raises(PermissionDenied):
        review_invitations_send(actor=dsl, review=review)


class TestEachPersonsChannel:
    """Each person invited from outside the school gets their own channel, chosen on the form and
    defaulting from what the school holds (an e-mail address means e-mail, else post)."""

    def test_the_form_defaults_from_what_is_held_and_the_choice_is_what_is_sent(
        self, formal, sendco, pupil, client_for
    ):
        from django.urls import reverse

        pupil.contacts.update(email="donna@example.org")
        review = arranged(formal, sendco, at=timezone.make_aware(datetime(2026, 11, 26, 15, 30)))
        people = {p.get_role_display(): p for p in review.participants.exclude(role="staff")}
        parent, provider, child = people["Parent or carer"], people["Provider"], people["Pupil"]
        client = client_for(sendco)
        url = reverse("reviews:invite", args=[review.public_id])
        form = client.get(url).context["form"]
        assert {name: field.initial for name, field in form.fields.items()} == {
            f"channel_{parent.pk}": C.EMAIL,
            f"channel_{provider.pk}": C.EMAIL,
            f"channel_{child.pk}": C.HAND,
        }
        response = client.post(
            url, {f"channel_{parent.pk}": C.POST, f"channel_{provider.pk}": C.HAND, f"channel_{child.pk}": C.HAND}
        )
        assert response.status_code == 302
        sent = {m.recipient_name: m.channel for m in Message.objects.filter(purpose=Message.Purpose.REVIEW_INVITATION)}
        assert sent == {parent.name: C.POST, provider.name: C.HAND, child.name: C.HAND}

    def test_a_channel_without_the_details_is_refused_for_each_person_at_once(self, formal, sendco, client_for):
        from django.urls import reverse

        review = arranged(formal, sendco, at=timezone.make_aware(datetime(2026, 11, 26, 15, 30)))
        people = {p.get_role_display(): p for p in review.participants.exclude(role="staff")}
        data = {f"channel_{p.pk}": C.EMAIL for p in people.values()}
        invitations = Message.objects.filter(purpose=Message.Purpose.REVIEW_INVITATION)
        response = client_for(sendco).post(reverse("reviews:invite", args=[review.public_id]), data)
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {f"channel_{people['Pupil'].pk}", f"channel_{people['Parent or carer'].pk}"}
        assert not invitations.exists()


def test_a_double_press_on_the_invitation_form_queues_the_invitations_once(formal, sendco, client_for):
    from django.urls import reverse

    review = arranged(formal, sendco, at=timezone.make_aware(datetime(2026, 11, 26, 15, 30)))
    client = client_for(sendco)
    url = reverse("reviews:invite", args=[review.public_id])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()} | {"once": str(form.once_token)}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    invitations = Message.objects.filter(purpose=Message.Purpose.REVIEW_INVITATION)
    assert invitations.count() == len(form.fields)
