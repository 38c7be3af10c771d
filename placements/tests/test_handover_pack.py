"""The handover pack leaves through the outbox to the provider's contact, as a stored PDF."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from outbox.models import Message
from outbox.services import outbox_dispatch
from placements.models import Placement
from placements.services import handover_send
from placements.tests.factories import HandoverFactory

pytestmark = pytest.mark.django_db


def test_the_pack_is_emailed_to_the_provider_contact_with_the_stored_pdf(at, sendco, smtp):
    placement = at(Placement.Status.APPROVED)
    type(placement.provider).objects.filter(pk=placement.provider_id).update(email="jo@provider.example")
    placement.refresh_from_db()
    handover = HandoverFactory(placement=placement, notes="Met Jo at the centre; behaviour plan on paper.")

    message = handover_send(actor=sendco, handover=handover)
    assert outbox_dispatch(enqueue=False)["sent"] == 1

    [arrived] = smtp.received
    assert arrived["X-Envelope-To"] == "jo@provider.example"
    assert placement.pupil.last_name not in arrived["Subject"]
    [attachment] = list(arrived.iter_attachments())
    content = attachment.get_content()
    assert message.document is not None and content == message.document.read_bytes()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for expected in (placement.pupil.full_name, "Attainment data", "Safeguarding information", "Met Jo at the centre"):
        assert expected in text
    message.refresh_from_db()
    assert (message.purpose, message.status) == (Message.Purpose.HANDOVER, Message.Status.SENT)


def test_a_provider_without_an_email_is_refused_with_what_to_do(at, sendco):
    placement = at(Placement.Status.APPROVED)
    type(placement.provider).objects.filter(pk=placement.provider_id).update(email="")
    placement.refresh_from_db()
    with pytest.raises(ValidationError, match="add one in the provider directory"):
        handover_send(actor=sendco, handover=HandoverFactory(placement=placement))
    assert not Message.objects.exists()


def test_only_those_who_record_the_handover_send_it(at, teacher):
    placement = at(Placement.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        handover_send(actor=teacher, handover=HandoverFactory(placement=placement))


def test_the_placement_page_sends_the_pack_once_with_its_pdf(at, dsl, client_for):
    from django.urls import reverse

    placement = at(Placement.Status.APPROVED)
    handover = HandoverFactory(placement=placement)
    client = client_for(dsl)
    page = client.get(placement.get_absolute_url()).content.decode()
    url = reverse("placements:handover_send", args=[handover.public_id])
    assert f'action="{url}"' in page and "E-mail the pack to the provider" in page
    first = client.post(url)
    second = client.post(url, follow=True)
    assert first.status_code == 302 and first.url.endswith(f"#handover-{handover.public_id}")
    [message] = Message.objects.all()
    assert message.purpose == Message.Purpose.HANDOVER and message.recipient_email == placement.provider.email
    assert message.document is not None and message.document.read_bytes().startswith(b"%PDF")
    assert "This handover went to" in second.content.decode()
