"""What the portal sends, through a real SMTP server the test starts (apcase.tests.smtp): the
invitation (its link works, once) and the same-day alert (each recipient once, no surname)."""

from __future__ import annotations

import re

import pytest

from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory
from provider_portal import services
from provider_portal.services import RegisterEntry

pytestmark = pytest.mark.django_db


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_invitation_arrives_and_its_link_sets_the_password_once(
    smtp,
    school,
    dsl,
    client,
    django_capture_on_commit_callbacks,
):
    entry = ProviderFactory(school=school, organisation=ProviderOrganisationFactory(name="Littleton Green"))
    with django_capture_on_commit_callbacks(execute=True):
        services.provider_staff_invite(
            actor=dsl, provider=entry, first_name="Jo", last_name="Whitfield", email="jo@lg.example", job_title="Head"
        )
    [message] = smtp.received
    assert message["To"] == "jo@lg.example" and school.name in message["Subject"]
    link = re.search(r"https?://[^/\s]+(/provider/invitation/[^/\s]+/)", _text(message))
    assert link is not None
    path = link.group(1)
    data = {"password": "a-long-passphrase-9", "password_again": "a-long-passphrase-9"}
    assert client.post(path, data).status_code == 302
    assert client.post(path, data).status_code == 404


def test_the_same_day_alert_reaches_the_sendco_and_office_once_each(
    smtp,
    morning,
    provider_staff,
    ours,
    sendco,
    office,
    django_capture_on_commit_callbacks,
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.provider_register_record(
                actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "N", "")]
            )
    assert sorted(message["To"] for message in smtp.received) == sorted([sendco.email, office.email])
    for message in smtp.received:
        assert ours.pupil.initials in message["Subject"]
        assert ours.pupil.legal_last_name not in message["Subject"] + _text(message)
