"""A card about a letter links to the message's page only for those the Outbox page lets in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outbox.models import Message
from outbox.selectors import message_url_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(school, sendco):
    return Message.objects.create(
        school=school,
        purpose=Message.Purpose.LA_NOTIFICATION,
        channel=Message.Channel.EMAIL,
        recipient_name="AP Commissioning Team",
        recipient_email="ap@la.example",
        subject="Oakfield Primary School: notification of an alternative provision placement",
        body="Attached.",
        created_by=sendco,
    )


def test_the_outbox_link_is_for_those_who_may_open_it(message, sendco, head, dsl, office, teacher, governor):
    url = reverse("outbox:detail", args=[message.public_id])
    links = {user.username: message_url_for(user=user, message=message) for user in (sendco, head, dsl, office)}
    assert set(links.values()) == {url}
    assert message_url_for(user=teacher, message=message) == ""
    assert message_url_for(user=governor, message=message) == ""
