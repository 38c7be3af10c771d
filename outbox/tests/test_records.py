"""Every message about a pupil is in the pupil's subject access export, with the letter as it was sent
(issue 17: "every message appears ... in the subject access export"), and the end of retention
empties what it names."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from outbox.models import Message
from outbox.tests.conftest import PDF
from pupils.retention import pupil_anonymise
from pupils.subject_access import subject_access_export
from pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _export(pupil, actor) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=pupil, actor=actor)))


def test_a_message_and_its_letter_are_in_the_pupils_subject_access_export(school, sendco, queue_message):
    pupil = PupilFactory(school=school)
    queue_message(pupil=pupil, recipient_name="Mrs Dawn Smith")
    queue_message(pupil=PupilFactory(school=school), recipient_name="Mr Not This Family")

    archive = _export(pupil, sendco)
    rows = list(csv.reader(io.StringIO(archive.read("records/letters-and-messages-sent.csv").decode())))
    assert len(rows) == 2 and "Mrs Dawn Smith" in rows[1]  # the header, then this family's message only
    letters = [name for name in archive.namelist() if name.startswith("files/letters-as-sent/")]
    assert [archive.read(name) for name in letters] == [PDF]


def test_the_end_of_retention_removes_who_a_message_went_to_and_its_letter(school, head, queue_message):
    pupil = PupilFactory(school=school, leaving_date=date(2000, 7, 20))
    message = queue_message(pupil=pupil, channel=Message.Channel.POST, recipient_name="Mrs Dawn Smith")

    pupil_anonymise(pupil=pupil, actor=head, today=date(2026, 11, 23))

    message.refresh_from_db()
    message.document.refresh_from_db()
    assert "Dawn" not in message.recipient_name and "Jamie" not in message.body
    assert not message.document.file
