"""Record-access log, subject access export and anonymisation at the end of retention."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from apcase.models import RecordAccess
from apcase.tests.pdf import pdf_text
from pupils.models import CaseEvent, Contact, Pupil, Referral, ReferralAttachment, RetentionLog
from pupils.retention import pupil_anonymise, pupils_due_for_retention_review, retention_ends_on
from pupils.services import referral_attachment_add
from pupils.subject_access import subject_access_export
from pupils.tests.cases import referral_at
from pupils.tests.factories import CaseEventFactory, ContactFactory, PupilFactory

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = date(2026, 11, 23)
NOON_TODAY = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def case(school, teacher, sendco):
    pupil = PupilFactory(school=school, legal_first_name="Jayden", legal_last_name="Smith", class_teacher=teacher)
    ContactFactory(pupil=pupil, name="Kerry Smith")
    referral = referral_at(Referral.Status.SUBMITTED, pupil=pupil, teacher=teacher, sendco=sendco)
    referral_attachment_add(
        actor=teacher, referral=referral, file=SimpleUploadedFile("note.pdf", PDF), description="Behaviour log"
    )
    return pupil, referral


def leave(pupil, on):
    Pupil.objects.filter(pk=pupil.pk).update(leaving_date=on)
    pupil.refresh_from_db()
    return pupil


class TestRetention:
    def test_the_period_runs_from_the_leaving_date(self, case, school):
        pupil = leave(case[0], date(2000, 7, 20))
        assert retention_ends_on(pupil) == date(2025, 7, 20)  # 25 years by default

    def test_only_pupils_past_their_period_are_due(self, case, school):
        old = leave(case[0], date(2000, 7, 20))
        leave(PupilFactory(school=school), date(2020, 7, 20))
        PupilFactory(school=school)  # still on roll
        assert pupils_due_for_retention_review(school_ids=[school.pk], today=TODAY) == [old]

    def test_anonymising_removes_what_identifies_the_child_and_keeps_the_shape(
        self, case, school, head, django_capture_on_commit_callbacks
    ):
        pupil, referral = case
        leave(pupil, date(2000, 7, 20))
        attachment = ReferralAttachment.objects.get(referral=referral)
        stored = attachment.file.name
        assert attachment.file.storage.exists(stored)
        with django_capture_on_commit_callbacks(execute=True):  # files go once it has committed
            log = pupil_anonymise(pupil=pupil, actor=head, today=TODAY)
        pupil.refresh_from_db()
        assert (pupil.legal_first_name, pupil.legal_last_name) == ("Anonymised", "pupil")
        assert pupil.upn.startswith("Z") and len(pupil.upn) == 13
        assert pupil.date_of_birth == date(2016, 1, 1)
        assert pupil.anonymised_at is not None
        assert not Contact.objects.filter(pupil=pupil).exists()
        referral.refresh_from_db()
        assert referral.concern == "" and referral.status == Referral.Status.SUBMITTED
        assert not ReferralAttachment.objects.filter(referral=referral).exists()
        assert not attachment.file.storage.exists(stored)
        assert all("removed" in e.summary for e in CaseEvent.objects.filter(pupil=pupil))
        # No earlier copy survives in the history tables.
        assert not Pupil.history.filter(id=pupil.pk).exists()
        assert not Referral.history.filter(id=referral.pk).exists()
        assert log.summary["Contacts"]["rows"] == 1
        assert RetentionLog.objects.get().anonymised_by == head

    def test_it_refuses_before_the_period_ends_and_twice(self, case, head):
        pupil = leave(case[0], date(2020, 7, 20))
        with pytest.raises(ValidationError, match="has not ended"):
            pupil_anonymise(pupil=pupil, actor=head, today=TODAY)
        leave(pupil, date(2000, 7, 20))
        pupil_anonymise(pupil=pupil, actor=head, today=TODAY)
        pupil.refresh_from_db()
        with pytest.raises(ValidationError, match="already anonymised"):
            pupil_anonymise(pupil=pupil, actor=head, today=TODAY)

    def test_the_page_lists_due_pupils_and_anonymises_on_confirmation(self, case, client_for, head, time_machine):
        time_machine.move_to(NOON_TODAY, tick=False)
        pupil = leave(case[0], date(2000, 7, 20))
        client = client_for(head)
        assert pupil.full_name in client.get(reverse("pupils:retention")).content.decode()
        response = client.post(reverse("pupils:anonymise", args=[pupil.public_id]), follow=True)
        assert "records are anonymised" in response.content.decode()
        pupil.refresh_from_db()
        assert pupil.anonymised_at is not None

    def test_the_page_is_for_head_and_office(self, client_for, sendco):
        assert client_for(sendco).get(reverse("pupils:retention")).status_code == 403

    def test_the_command_lists_and_needs_confirmation(self, case, head, capsys, time_machine):
        time_machine.move_to(NOON_TODAY, tick=False)
        pupil = leave(case[0], date(2000, 7, 20))
        call_command("retention_review")
        assert pupil.upn in capsys.readouterr().out
        with pytest.raises(CommandError, match="--confirm"):
            call_command("retention_review", "--anonymise", pupil.upn)
        call_command("retention_review", "--anonymise", pupil.upn, "--confirm", "--as", "head")
        pupil.refresh_from_db()
        assert pupil.anonymised_at is not None


class TestSubjectAccess:
    def test_the_export_holds_a_summary_and_every_record_with_its_history(self, case, sendco):
        pupil, referral = case
        content = subject_access_export(pupil=pupil, actor=sendco)
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        assert {"summary.pdf", "README.txt", "records/referrals.csv", "history/referrals-history.csv"} <= names
        assert "records/contacts.csv" in names and "records/pupil-details.csv" in names
        summary = pdf_text(archive.read("summary.pdf"))
        assert "Jayden Smith" in summary and pupil.upn in summary
        referrals = list(csv.reader(io.StringIO(archive.read("records/referrals.csv").decode())))
        assert "The concern" in referrals[0]
        assert referral.concern in referrals[1]
        history = archive.read("history/referrals-history.csv").decode()
        assert "Created" in history and "Changed" in history

    def test_downloading_it_is_logged_and_kept_from_other_roles(self, case, client_for, sendco, governor):
        pupil = case[0]
        response = client_for(sendco).get(reverse("pupils:subject_access", args=[pupil.public_id]))
        assert response["Content-Type"] == "application/zip"
        assert "attachment" in response["Content-Disposition"]
        assert RecordAccess.objects.filter(object_id=pupil.public_id, action="export").count() == 1
        assert client_for(governor).get(reverse("pupils:subject_access", args=[pupil.public_id])).status_code == 403


class TestAccessLog:
    def test_it_shows_who_opened_the_pupil_and_their_referrals(self, case, client_for, teacher, sendco, head):
        pupil, referral = case
        client_for(teacher).get(reverse("referrals:detail", args=[referral.public_id]))
        client_for(sendco).get(reverse("pupils:detail", args=[pupil.public_id]))
        html = client_for(head).get(reverse("pupils:access_log", args=[pupil.public_id])).content.decode()
        assert str(teacher) in html and str(sendco) in html
        assert "Referral" in html and "Pupil" in html

    def test_it_stays_within_its_query_budget(self, case, client_for, head, sendco, django_assert_max_num_queries):
        pupil = case[0]
        for _ in range(40):
            client_for(sendco).get(reverse("pupils:detail", args=[pupil.public_id]))
        CaseEventFactory.create_batch(5, pupil=pupil, school=pupil.school)
        client = client_for(head)
        with django_assert_max_num_queries(20):
            response = client.get(reverse("pupils:access_log", args=[pupil.public_id]))
        assert response.status_code == 200
