"""The parent notice of a direction off-site: what it must state, to whom, by when, and issuing it."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from time_machine import travel

from placements.models import ParentNotice, Placement
from placements.notice import NoticeRecipient, notice_changes, notice_missing_items, notice_recipients
from placements.services import parent_notice_issue
from placements.tests.cases import extended, placement_changed
from pupils.models import CaseEvent
from pupils.tests.factories import ContactFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


def _ten_am(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _blank(placement: Placement, **fields) -> Placement:
    """Empty some of an approved placement's details (the services would not let them go)."""
    Placement.objects.filter(pk=placement.pk).update(**fields)
    return Placement.objects.select_related("pupil", "provider", "site", "school").get(pk=placement.pk)


MISSING = [
    ({"reasons": ""}, "The reasons for the direction are not recorded."),
    ({"objectives": ""}, "The objectives of the direction are not recorded."),
    ({"start_time": None}, "The time the pupil should arrive on the first day is not set."),
    ({"planned_end_date": None, "school_days": None}, "The last day (or the length in school days) is not set."),
    ({"site": None}, "The site, the address where the pupil attends, is not chosen."),
    ({"first_day_contact": ""}, "The person the pupil reports to on the first day is not named."),
    ({"day_starts": None}, "give when the morning session starts, when the break starts and ends"),
    ({"break_starts": None}, "give when the morning session starts, when the break starts and ends"),
    ({"break_ends": None}, "give when the morning session starts, when the break starts and ends"),
    ({"day_ends": None}, "give when the morning session starts, when the break starts and ends"),
    ({"sessions_a_day": 1, "day_ends": None}, "give when the session starts and when it finishes."),
    ({"what_to_bring": ""}, "What the pupil should bring is not recorded."),
    ({"transport": ""}, "Transport is not recorded."),
    ({"school_contact": None}, "No member of staff is named as the school contact for questions."),
]


class TestMissingItems:
    def test_a_complete_direction_is_ready(self, at):
        assert notice_missing_items(at(S.APPROVED)) == []

    @pytest.mark.parametrize(("blank", "message"), MISSING)
    def test_it_refuses_to_issue_without_each_required_item(self, at, sendco, blank, message):
        placement = _blank(at(S.APPROVED), **blank)
        assert any(message in item for item in notice_missing_items(placement))
        with pytest.raises(ValidationError) as error:
            parent_notice_issue(actor=sendco, placement=placement, method="post")
        assert any(message in item for item in error.value.messages)
        assert not ParentNotice.objects.exists()

    def test_one_session_a_day_needs_no_break(self, at):
        placement = _blank(at(S.APPROVED), sessions_a_day=1, break_starts=None, break_ends=None)
        assert notice_missing_items(placement) == []

    def test_it_refuses_without_a_parent_who_may_receive_it(self, at, sendco, pupil):
        pupil.contacts.update(do_not_contact=True, do_not_contact_reason="Court order.")
        ContactFactory(pupil=pupil, parental_responsibility=False, address="1 Lane", postcode="ST1 1AA")
        with pytest.raises(ValidationError, match="No parent or carer with parental responsibility"):
            parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="post")

    def test_it_refuses_when_a_recipient_cannot_be_reached(self, at, pupil):
        pupil.contacts.update(address="", postcode="", email="")
        assert "Donna Clarke has no postal or e-mail address recorded." in notice_missing_items(at(S.APPROVED))

    def test_the_local_authority_needs_an_address_for_a_pupil_with_an_ehc_plan(self, at, pupil, school):
        pupil.sen_provision, pupil.primary_need = "E", "SEMH"
        pupil.save()
        school.la_send_address = ""
        school.save()
        missing = notice_missing_items(at(S.APPROVED))
        assert any("local authority must be sent the notice too" in item for item in missing)

    def test_a_placement_that_is_not_a_direction_has_no_notice(self, at):
        assert "so no notice is needed" in notice_missing_items(at(S.APPROVED, directed_off_site=False))[0]


class TestRecipients:
    def test_each_parent_with_parental_responsibility_who_may_be_contacted(self, at, pupil):
        ContactFactory(pupil=pupil, name="Lee Clarke", relationship="father", address="2 Lane", priority=2)
        ContactFactory(pupil=pupil, name="Nan", relationship="grandparent", parental_responsibility=False)
        ContactFactory(
            pupil=pupil, name="Kim", relationship="step_parent", do_not_contact=True, do_not_contact_reason="Order."
        )
        recipients = notice_recipients(at(S.APPROVED))
        assert [(r.name, r.kind) for r in recipients] == [("Donna Clarke", "parent"), ("Lee Clarke", "parent")]

    def test_the_local_authority_only_when_the_pupil_has_an_ehc_plan(self, at):
        placement = at(S.APPROVED)
        pupil = placement.pupil
        assert NoticeRecipient.LOCAL_AUTHORITY not in [r.kind for r in notice_recipients(placement)]
        pupil.sen_provision, pupil.primary_need = "K", "SEMH"  # SEN support is not enough
        pupil.save()
        assert NoticeRecipient.LOCAL_AUTHORITY not in [r.kind for r in notice_recipients(placement)]
        pupil.sen_provision = "E"
        pupil.save()
        la = notice_recipients(placement)[-1]
        assert (la.kind, la.name, la.address_lines) == (
            "local_authority",
            "SEND Team",
            ["County Hall", "Stafford ST99 2ZZ"],
        )

    @pytest.mark.parametrize(("born", "addressed_to"), [(date(2008, 11, 30), "pupil"), (date(2008, 12, 1), "parent")])
    def test_the_pupil_is_addressed_once_18_on_the_first_day(self, at, pupil, born, addressed_to):
        pupil.date_of_birth = born
        pupil.save()
        recipients = notice_recipients(at(S.APPROVED))
        assert [r.kind for r in recipients] == [addressed_to]
        if addressed_to == "pupil":
            assert recipients[0].name == "Jayden Clarke"
            assert recipients[0].address_lines == ["14 Orchard Way", "Northbridge", "ST99 1AB"]


class TestIssuing:
    def test_it_stores_the_exact_pdf_and_records_the_service(self, at, sendco):
        placement = at(S.APPROVED)
        notice = parent_notice_issue(actor=sendco, placement=placement, method="post")
        content = notice.document.read_bytes()
        assert content.startswith(b"%PDF-") and notice.document.sha256 == hashlib.sha256(content).hexdigest()
        assert (notice.issued_on, notice.first_day, notice.deadline, notice.is_late) == (
            date(2026, 11, 23),
            date(2026, 11, 30),
            date(2026, 11, 26),
            False,
        )
        assert notice.method == "post" and [r["name"] for r in notice.recipients] == ["Donna Clarke"]
        assert notice.stated["Start"] == "30/11/2026 at 09:15"
        placement.refresh_from_db()
        assert placement.status == S.NOTICE_ISSUED
        event = CaseEvent.objects.filter(pupil=placement.pupil, kind=CaseEvent.Kind.NOTICE_ISSUED).get()
        assert event.summary == f"Parent notice issued by post to 1 recipient by {sendco}"

    def test_on_the_deadline_it_is_in_time(self, at, sendco):
        placement = at(S.APPROVED)
        with travel(_ten_am(date(2026, 11, 26)), tick=False):
            notice = parent_notice_issue(actor=sendco, placement=placement, method="hand")
        assert notice.is_late is False

    def test_after_the_deadline_it_needs_a_reason_and_is_flagged_late(self, at, sendco):
        placement = at(S.APPROVED)
        with travel(_ten_am(date(2026, 11, 27)), tick=False):
            with pytest.raises(ValidationError) as error:
                parent_notice_issue(actor=sendco, placement=placement, method="post")
            assert error.value.message_dict["late_reason"] == [
                "The notice is due by 26/11/2026; say why it is given later than that."
            ]
            notice = parent_notice_issue(
                actor=sendco, placement=placement, method="post", late_reason="The decision was made on 26/11."
            )
        assert notice.is_late and notice.late_reason == "The decision was made on 26/11."
        assert CaseEvent.objects.filter(summary__endswith="— late: The decision was made on 26/11.").exists()

    def test_the_date_of_service_may_be_earlier_never_later_than_today(self, at, sendco):
        placement = at(S.APPROVED)
        with pytest.raises(ValidationError) as error:
            parent_notice_issue(actor=sendco, placement=placement, method="post", issued_on=date(2026, 11, 24))
        assert "issued_on" in error.value.message_dict
        assert parent_notice_issue(
            actor=sendco, placement=placement, method="post", issued_on=date(2026, 11, 20)
        ).issued_on == date(2026, 11, 20)

    def test_by_email_every_recipient_needs_an_address(self, at, sendco, pupil):
        pupil.contacts.update(email="")
        with pytest.raises(
            ValidationError, match="Donna Clarke: no e-mail address is recorded. Choose another method."
        ):
            parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="email")

    def test_it_is_issued_once_approved_and_only_once(self, at, sendco):
        with pytest.raises(ValidationError, match="once the headteacher has approved"):
            parent_notice_issue(actor=sendco, placement=at(S.AWAITING_APPROVAL), method="post")

    @pytest.mark.parametrize("who", ["dsl", "teacher", "office"])
    def test_only_leaders_issue_it(self, request, at, who):
        with pytest.raises(PermissionDenied):
            parent_notice_issue(actor=request.getfixturevalue(who), placement=at(S.APPROVED), method="post")

    def test_a_later_change_to_the_placement_shows_against_what_the_notice_said(self, at, sendco, head):
        notice = parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="post")
        placement_changed(actor=sendco, placement=notice.placement, start_time=time(9, 0))  # before the session
        placement = extended(notice.placement, date(2027, 1, 15), sendco=sendco, head=head)
        changes = notice_changes(placement, notice.stated)
        assert changes == [
            ("Number of days", "15 school days, 30/11/2026 to 18/12/2026", "24 school days, 30/11/2026 to 15/01/2027"),
            ("Start", "30/11/2026 at 09:15", "30/11/2026 at 09:00"),
        ]


class TestThroughTheOutbox:
    """Issuing sends each recipient their own letter through the outbox; the notice page shows it."""

    def test_each_recipient_is_sent_their_own_letter_by_the_method_chosen(self, at, sendco, pupil):
        from outbox.models import Message

        pupil.contacts.update(email="donna@example.org")
        ContactFactory(pupil=pupil, name="Sam Clarke", parental_responsibility=True, email="sam@example.org")
        notice = parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="email")

        sent = list(Message.objects.order_by("recipient_name"))
        assert [(m.recipient_name, m.channel, m.purpose) for m in sent] == [
            ("Donna Clarke", "email", "parent_notice"),
            ("Sam Clarke", "email", "parent_notice"),
        ]
        assert all(m.link == f"/placements/{notice.placement.public_id}/notice/" for m in sent)
        assert len({m.document_id for m in sent} | {notice.document_id}) == 3  # each letter its own PDF
        assert pupil.first_name not in sent[0].subject and pupil.last_name not in sent[0].subject
        assert pupil.display_name not in sent[0].body and pupil.full_name not in sent[0].body
        assert pupil.short_name in sent[0].body

    def test_a_school_that_chooses_full_names_gets_them_in_bodies_never_in_subjects(self, at, sendco, pupil):
        from outbox.models import Message

        pupil.contacts.update(email="donna@example.org")
        type(pupil.school).objects.filter(pk=pupil.school_id).update(full_names_in_emails=True)
        pupil.refresh_from_db()
        parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="email")
        [sent] = Message.objects.all()
        assert f"the written notice that {pupil.display_name} is to attend" in sent.body
        assert pupil.first_name not in sent.subject and pupil.last_name not in sent.subject

    def test_an_amended_notice_says_what_changed_and_goes_to_everyone(self, at, sendco):
        from outbox.models import Message
        from placements.services import parent_notice_amend

        notice = parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="post")
        with pytest.raises(ValidationError, match="Nothing the notice stated has changed"):
            parent_notice_amend(actor=sendco, placement=notice.placement, method="post")
        placement_changed(actor=sendco, placement=notice.placement, start_time=time(9, 0))  # before the session

        [amended] = parent_notice_amend(actor=sendco, placement=notice.placement, method="post")

        assert amended.purpose == Message.Purpose.AMENDED_NOTICE
        assert amended.document is not None and b"%PDF" in amended.document.read_bytes()[:8]
        notice.refresh_from_db()
        assert notice.stated["Start"] == "30/11/2026 at 09:00"
        assert notice_changes(notice.placement, notice.stated) == []
        assert CaseEvent.objects.filter(summary__startswith="Amended notice sent by post to 1").exists()

    def test_the_notice_page_shows_the_service_record(self, at, sendco, client_for):
        notice = parent_notice_issue(actor=sendco, placement=at(S.APPROVED), method="hand")
        page = client_for(sendco).get(f"/placements/{notice.placement.public_id}/notice/").content.decode()
        assert "Service record" in page and "Waiting to be sent" in page and "Donna Clarke" in page
