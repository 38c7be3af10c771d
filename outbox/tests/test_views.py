"""The Outbox page, one message, recording a letter as posted or handed over, the post batch."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apcase.pdf import render_pdf
from outbox.models import Message
from outbox.services import message_send
from pupils.models import CaseEvent
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db
S, C = Message.Status, Message.Channel


def html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class TestOutboxPage:
    def test_failed_messages_come_first_and_the_page_says_where_email_goes(
        self, client_for, office, queue_message, settings
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # make run's
        sent = queue_message(recipient_name="Sent Person")
        Message.objects.filter(pk=sent.pk).update(status=S.SENT)
        failed = queue_message(recipient_name="Failed Person")
        Message.objects.filter(pk=failed.pk).update(status=S.FAILED, last_error="SMTPRecipientsRefused: mailbox")
        queue_message(recipient_name="Waiting Person", channel=C.POST)

        page = html(client_for(office).get(reverse("outbox:list")))

        assert page.index("Failed Person") < page.index("Waiting Person") < page.index("Sent Person")
        assert "SMTPRecipientsRefused: mailbox" in page
        assert "printed on the server&#x27;s console, not sent" in page
        assert "Print 1 letter to post" in page

    def test_it_filters_by_status(self, client_for, office, queue_message):
        queue_message(recipient_name="Waiting Person", channel=C.POST)
        page = html(client_for(office).get(reverse("outbox:list"), {"status": S.FAILED}))
        assert "Waiting Person" not in page and "Nothing here" in page

    @pytest.mark.parametrize("role, status", [("teacher", 403), ("governor", 403), ("dsl", 200), ("office", 200)])
    def test_who_may_open_it(self, client_for, request, role, status):
        assert client_for(request.getfixturevalue(role)).get(reverse("outbox:list")).status_code == status

    def test_another_schools_messages_are_not_listed(self, client_for, outsider, queue_message):
        queue_message(recipient_name="Our Parent")
        assert "Our Parent" not in html(client_for(outsider).get(reverse("outbox:list")))

    @pytest.mark.parametrize("count", [3, 60])
    def test_its_queries_do_not_grow_with_its_messages(
        self, client_for, office, school, queue_message, count, django_assert_max_num_queries
    ):
        pupil = PupilFactory(school=school)
        for n in range(count):
            queue_message(pupil=pupil, channel=C.POST if n % 2 else C.EMAIL)
        client = client_for(office)
        client.get(reverse("outbox:list"))
        with django_assert_max_num_queries(12):
            response = client.get(reverse("outbox:list"), {"page": 2 if count > 50 else 1})
        assert response.status_code == 200


class TestRecording:
    def test_the_office_records_a_letter_as_posted_and_the_chronology_says_so(
        self, client_for, office, school, queue_message
    ):
        pupil = PupilFactory(school=school)
        message = queue_message(channel=C.POST, pupil=pupil)
        today = timezone.localdate()
        url = reverse("outbox:record", args=[message.public_id, "posted"])

        response = client_for(office).post(url, {"posted-posted_on": f"{today:%d/%m/%Y}"})

        assert response.status_code == 302
        message.refresh_from_db()
        assert (message.status, message.posted_on) == (S.SENT, today)
        assert CaseEvent.objects.get(pupil=pupil, kind=CaseEvent.Kind.MESSAGE).summary == (
            "Parent notice posted to Mrs Dawn Smith"
        )
        assert message.history.count() == 2

    def test_a_handover_needs_a_name_and_keeps_what_was_typed(self, client_for, office, queue_message):
        message = queue_message(channel=C.HAND)
        url = reverse("outbox:record", args=[message.public_id, "handed"])
        response = client_for(office).post(url, {"handed-handed_to": " ", "handed-handed_on": "31/12/2099"})
        page = html(response)
        assert response.status_code == 400
        assert "Handed to: This field is required." in page
        assert 'value="31/12/2099"' in page
        message.refresh_from_db()
        assert message.status == S.QUEUED

    def test_a_date_in_the_future_is_refused(self, client_for, office, queue_message):
        message = queue_message(channel=C.HAND)
        url = reverse("outbox:record", args=[message.public_id, "handed"])
        response = client_for(office).post(url, {"handed-handed_to": "Mr Smith", "handed-handed_on": "31/12/2099"})
        assert response.status_code == 400 and "cannot be in the future" in html(response)

    def test_a_bounce_is_recorded_and_the_email_sent_again_to_a_corrected_address(
        self, client_for, office, smtp, queue_message
    ):
        message = queue_message()
        message_send(message_id=message.pk)
        client = client_for(office)
        client.post(reverse("outbox:record", args=[message.public_id, "bounced"]), {"bounced-reason": "mailbox full"})
        message.refresh_from_db()
        assert (message.status, message.last_error) == (S.BOUNCED, "mailbox full")

        client.post(
            reverse("outbox:record", args=[message.public_id, "retry"]),
            {"retry-recipient_email": "dawn.smith@example.org"},
        )
        message_send(message_id=message.pk)  # the on-commit hand-off does not run inside a test transaction
        message.refresh_from_db()
        assert (message.status, message.recipient_email) == (S.SENT, "dawn.smith@example.org")
        assert [m["X-Envelope-To"] for m in smtp.received] == ["dawn@example.org", "dawn.smith@example.org"]

    def test_an_action_that_does_not_fit_the_message_is_refused_with_a_reason(self, client_for, office, queue_message):
        message = queue_message(channel=C.HAND)
        response = client_for(office).post(
            reverse("outbox:record", args=[message.public_id, "posted"]), {"posted-posted_on": "01/12/2026"}
        )
        assert response.status_code == 400 and "Only a letter waiting to be posted" in html(response)

    def test_an_unknown_action_is_404(self, client_for, office, queue_message):
        message = queue_message(channel=C.HAND)
        assert client_for(office).post(reverse("outbox:record", args=[message.public_id, "burn"])).status_code == 404


class TestPostBatch:
    def test_each_letter_follows_its_window_cover_sheet_unchanged(self, client_for, office, school, queue_message):
        letter = render_pdf("letters/plain.html", {"school": school, "paragraphs": ["Hello"], "title": "T"})
        first = queue_message(channel=C.POST, content=letter, recipient_name="Mrs First")
        queue_message(
            channel=C.POST, content=letter, recipient_name="Mr Second", recipient_address="2 Low Road\nLT2 2BB"
        )

        response = client_for(office).get(reverse("outbox:post_batch"))

        reader = PdfReader(io.BytesIO(response.content))
        letter_pages = len(PdfReader(io.BytesIO(letter)).pages)
        assert len(reader.pages) == 2 * (1 + letter_pages)
        cover = reader.pages[0].extract_text()
        assert "Mrs First" in cover and "LT1 1AA" in cover
        assert "Mr Second" in reader.pages[1 + letter_pages].extract_text()
        assert first.status == S.QUEUED  # printing is not posting

    def test_recording_the_batch_as_posted_marks_only_the_letters_listed(self, client_for, office, queue_message):
        printed = queue_message(channel=C.POST)
        later = queue_message(channel=C.POST)
        client_for(office).post(reverse("outbox:post_batch_posted"), {"message": [str(printed.public_id)]})
        printed.refresh_from_db(), later.refresh_from_db()
        assert (printed.status, printed.posted_on, later.status) == (S.SENT, timezone.localdate(), S.QUEUED)

    def test_an_empty_batch_goes_back_to_the_outbox(self, client_for, office):
        response = client_for(office).get(reverse("outbox:post_batch"))
        assert response.status_code == 302
