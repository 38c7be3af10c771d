"""Every letter and report prints hostile user text as text: no file read, no request, nothing embedded
(issue 8: user-entered fields holding <img src="file:///etc/passwd">, an http image and a <link>)."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse
from pypdf.generic import DictionaryObject

from apcase.tests.pdf import assert_a4_without_attachments, pdf_text, read_pdf
from audits.tests.factories import ProviderFactory, ProviderSiteFactory, completed_audit
from placements.models import Placement
from placements.tests.factories import PlacementFactory
from pupils.tests.factories import ContactFactory, PupilFactory

HOSTILE = (
    '<img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">'
    '<link rel="stylesheet" href="http://evil.example/x.css">'
)
# For fields of up to 120 characters (PostgreSQL enforces the length; SQLite does not).
HOSTILE_SHORT = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://evil.example/x.css">'


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in a letter")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield
    assert attempts == []


def assert_printed_as_text(content: bytes):
    assert_a4_without_attachments(content)
    assert '<img src="file:///etc/passwd">' in pdf_text(content)
    for page in read_pdf(content).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject) and not resources.get("/XObject")


@pytest.fixture
def placement(school, teacher):
    provider = ProviderFactory(school=school, name="Littleton Green", contact_name=HOSTILE_SHORT)
    site = ProviderSiteFactory(provider=provider)
    pupil = PupilFactory(school=school, class_teacher=teacher)
    ContactFactory(pupil=pupil, address=HOSTILE)  # the notice is one letter per parent
    return PlacementFactory(
        pupil=pupil,
        provider=provider,
        site=site,
        status=Placement.Status.ACTIVE,
        directed_off_site=True,
        reasons=HOSTILE,
        objectives=HOSTILE,
        what_to_bring=HOSTILE,
        first_day_contact=HOSTILE,
    )


def test_the_parent_notice(placement, sendco, client_for):
    response = client_for(sendco).get(reverse("placements:notice_pdf", args=[placement.public_id]))
    assert_printed_as_text(response.content)


def test_the_la_notification(placement, sendco, client_for):
    response = client_for(sendco).get(reverse("reports:la_notification", args=[placement.public_id]))
    assert_printed_as_text(response.content)


def test_the_audit_report(school, dsl, client_for):
    audit = completed_audit(ProviderFactory(school=school), dsl)
    audit.reasons = HOSTILE
    audit.save()
    response = client_for(dsl).get(reverse("audits:report", args=[audit.public_id]))
    assert_printed_as_text(response.content)


def test_the_subject_access_summary(school, sendco):
    import io
    import zipfile

    from pupils.services import case_event_record
    from pupils.subject_access import subject_access_export

    pupil = PupilFactory(school=school, legal_first_name="Jay", registration_group="5B")
    case_event_record(pupil=pupil, kind="note", summary=HOSTILE[:200], actor=sendco)
    archive = zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=pupil, actor=sendco)))
    assert_printed_as_text(archive.read("summary.pdf"))
