from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apcase.access import forget_roles
from apcase.models import Notification, Role, School
from apcase.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from pupils.approvals import register_approval_kind
from pupils.models import Approval, CaseEvent, Contact, ParentMeeting, Pupil, Referral
from pupils.services import (
    REFER_TO_AP,
    ParentMeetingDetails,
    PupilDetails,
    approval_decide,
    approval_request,
    approval_withdraw,
    case_event_record,
    contact_delete,
    parent_meeting_update,
    pupil_create,
    referral_attachment_add,
    referral_attachment_remove,
    referral_review_save,
    referral_transition,
)
from pupils.tests.cases import meet, referral_at
from pupils.tests.factories import ContactFactory, PupilFactory, ReferralFactory
from pupils.workflows import REFERRAL_WORKFLOW

S = Referral.Status
R = Referral.Recommendation
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pupil(school, teacher):
    return PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Smith", class_teacher=teacher)


@pytest.fixture
def at(pupil, teacher, sendco, head):
    """at(status, **options) -> a referral for `pupil` at that status, made through the services."""

    def make(status, **options):
        return referral_at(status, pupil=pupil, teacher=teacher, sendco=sendco, **options)

    return make


def pending_approval(referral) -> Approval:
    return Approval.objects.get(object_id=referral.pk, kind=REFER_TO_AP, status=Approval.Status.PENDING)


def events(pupil, kind) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(pupil=pupil, kind=kind))


# --- Chronology ---------------------------------------------------------------------------------


def test_a_case_event_keeps_when_it_happened_and_when_it_was_recorded(pupil, sendco):
    last_week = timezone.now() - timedelta(days=7)
    event = case_event_record(
        pupil=pupil,
        kind=CaseEvent.Kind.NOTE,
        summary="Phoned   mum\nabout lunchtimes",
        actor=sendco,
        occurred_at=last_week,
    )
    assert event.school == pupil.school
    assert event.occurred_at == last_week
    assert event.recorded_at - timezone.now() < timedelta(seconds=5)
    assert event.is_back_dated
    assert event.summary == "Phoned mum about lunchtimes"


def test_a_case_event_cannot_happen_in_the_future(pupil, sendco):
    with pytest.raises(ValidationError, match="future"):
        case_event_record(
            pupil=pupil, kind="note", summary="x", actor=sendco, occurred_at=timezone.now() + timedelta(hours=1)
        )


def test_a_case_event_summary_is_one_line_of_at_most_200_characters(pupil, sendco):
    event = case_event_record(pupil=pupil, kind="note", summary="word " * 100, actor=sendco)
    assert len(event.summary) == 200


def test_a_case_event_kind_must_be_known(pupil, sendco):
    with pytest.raises(ValidationError):
        case_event_record(pupil=pupil, kind="party", summary="x", actor=sendco)


# --- Pupils and contacts ------------------------------------------------------------------------


ADA = PupilDetails(
    upn="B801200005001",
    legal_first_name="Ada",
    legal_last_name="Lovelace",
    date_of_birth=date(2016, 1, 2),
    sex="F",
    year_group="5",
    admission_date=date(2020, 9, 3),
)


def test_creating_a_pupil_records_key_adults_in_the_history(school, office, teacher, sendco):
    pupil = pupil_create(
        actor=office,
        school=school,
        key_adults=[sendco],
        details=replace(ADA, class_teacher=teacher),
    )
    assert list(pupil.key_adults.all()) == [sendco]
    latest = pupil.history.latest()
    assert latest.history_user == office
    assert [row.user_id for row in latest.key_adults.all()] == [sendco.pk]


def test_key_adults_must_be_staff_of_the_pupils_school(school, office, outsider):
    with pytest.raises(ValidationError, match="staff of the pupil's school"):
        pupil_create(
            actor=office,
            school=school,
            key_adults=[outsider],
            details=ADA,
        )
    assert not Pupil.objects.exists()


def test_removing_a_contact_keeps_who_removed_it_in_the_history(pupil, office):
    contact = ContactFactory(pupil=pupil)
    contact_delete(actor=office, contact=contact)
    assert not Contact.objects.exists()
    removal = Contact.history.get(history_type="-")
    assert removal.history_user == office and removal.name == contact.name


# --- Referral transitions: every allowed move -----------------------------------------------------


def test_the_author_submits_a_draft_and_each_sendco_is_told_by_initials(
    at, pupil, teacher, sendco, mailoutbox, django_capture_on_commit_callbacks
):
    second_sendco = UserFactory(username="sendco2")
    MembershipFactory(user=second_sendco, school=pupil.school, role=Role.SENDCO)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_transition(referral=at(S.DRAFT), target=S.SUBMITTED, actor=teacher)
    assert referral.status == S.SUBMITTED and referral.submitted_at is not None
    notes = Notification.objects.filter(kind="referral_submitted")
    assert {n.user for n in notes} == {sendco, second_sendco}
    assert all(n.title == "Cause for Concern for J.S. to review" for n in notes)
    assert all(n.link == referral.get_absolute_url() for n in notes)
    assert len(mailoutbox) == 2 and "Jordan" not in mailoutbox[0].body and "Smith" not in mailoutbox[0].subject
    [event] = events(pupil, CaseEvent.Kind.REFERRAL_SUBMITTED)
    assert event.actor == teacher and event.link == referral.get_absolute_url()


def test_a_referral_flagged_for_safeguarding_also_tells_the_dsl(at, pupil, teacher, sendco, dsl):
    referral = at(S.DRAFT, safeguarding_concern=True)
    referral_transition(referral=referral, target=S.SUBMITTED, actor=teacher)
    assert Notification.objects.get(user=dsl).title == "Cause for Concern for J.S. flagged for safeguarding"
    assert Notification.objects.filter(user=sendco).count() == 1


def test_an_unflagged_referral_does_not_tell_the_dsl(at, teacher, dsl):
    referral_transition(referral=at(S.DRAFT), target=S.SUBMITTED, actor=teacher)
    assert not Notification.objects.filter(user=dsl).exists()


def test_raising_a_referral_starts_the_pupils_chronology(at, pupil, teacher):
    referral = at(S.DRAFT)
    assert referral.status == S.DRAFT and referral.school == pupil.school
    [event] = events(pupil, CaseEvent.Kind.REFERRAL_RAISED)
    assert event.actor == teacher


def test_the_sendco_starts_the_review(at, pupil, sendco):
    referral = referral_transition(referral=at(S.SUBMITTED), target=S.UNDER_REVIEW, actor=sendco)
    assert referral.status == S.UNDER_REVIEW
    assert events(pupil, CaseEvent.Kind.REFERRAL_REVIEWED)[0].actor == sendco


def test_asking_the_head_creates_one_pending_approval_and_tells_the_head(at, pupil, sendco, head):
    referral = at(S.UNDER_REVIEW)
    referral_review_save(actor=sendco, referral=referral, recommendation=R.INTERNAL_AP)
    referral = referral_transition(referral=referral, target=S.AWAITING_APPROVAL, actor=sendco)
    approval = pending_approval(referral)
    assert (approval.requested_by, approval.pupil, approval.school) == (sendco, pupil, pupil.school)
    assert approval.subject == referral
    assert approval.summary == "Jordan Smith: Internal AP"
    assert Notification.objects.get(user=head).title == "Approval needed for J.S.: Cause for Concern decision"
    assert events(pupil, CaseEvent.Kind.APPROVAL_REQUESTED)[0].summary.startswith("Recommendation “Internal AP”")


def test_the_heads_approval_approves_the_referral_and_tells_requester_and_author(at, pupil, teacher, sendco, head):
    referral = at(S.AWAITING_APPROVAL)
    approval = approval_decide(approval=pending_approval(referral), actor=head, approve=True, reasons="")
    referral.refresh_from_db()
    assert referral.status == S.APPROVED
    assert (approval.status, approval.decided_by) == (Approval.Status.APPROVED, head)
    assert Notification.objects.get(user=sendco, kind="approval_decided").title.endswith("J.S.: approved")
    assert Notification.objects.filter(user=teacher, kind="referral_decided").exists()
    [event] = events(pupil, CaseEvent.Kind.APPROVAL_DECIDED)
    assert event.actor == head and "approved" in event.summary


def test_the_heads_decline_declines_the_referral_with_the_reasons(at, pupil, head):
    referral = at(S.AWAITING_APPROVAL)
    approval_decide(approval=pending_approval(referral), actor=head, approve=False, reasons="Try the SEND hub first.")
    referral.refresh_from_db()
    assert referral.status == S.DECLINED
    assert "Try the SEND hub first." in events(pupil, CaseEvent.Kind.APPROVAL_DECIDED)[0].summary


@pytest.mark.parametrize(("source", "who"), [(S.DRAFT, "teacher"), (S.SUBMITTED, "head"), (S.UNDER_REVIEW, "sendco")])
def test_a_referral_can_be_withdrawn_before_the_decision(at, pupil, request, source, who):
    actor = request.getfixturevalue(who)
    referral = referral_transition(referral=at(source), target=S.WITHDRAWN, actor=actor, reasons="Resolved in class.")
    assert referral.status == S.WITHDRAWN and referral.withdrawal_reason == "Resolved in class."
    assert events(pupil, CaseEvent.Kind.REFERRAL_WITHDRAWN)[0].summary.endswith("Resolved in class.")


def test_the_author_can_withdraw_after_submitting(at, teacher):
    referral = referral_transition(referral=at(S.SUBMITTED), target=S.WITHDRAWN, actor=teacher, reasons="Resolved.")
    assert referral.status == S.WITHDRAWN


# --- Referral transitions: every refused move -----------------------------------------------------

DECLARED = {(t.source, t.target) for t in REFERRAL_WORKFLOW.transitions}
UNDECLARED = [(source, target) for source in S.values for target in S.values if (source, target) not in DECLARED]


@pytest.mark.parametrize(("source", "target"), UNDECLARED)
def test_an_undeclared_move_is_refused(school, head, source, target):
    referral = ReferralFactory(pupil__school=school, raised_by=head, status=source, recommendation=R.NO_AP)
    with pytest.raises(ValidationError):
        referral_transition(referral=referral, target=target, actor=head, reasons="Because.")
    referral.refresh_from_db()
    assert referral.status == source


@pytest.mark.parametrize(
    ("source", "target", "who"),
    [
        (S.DRAFT, S.SUBMITTED, "sendco"),  # only the author submits
        (S.DRAFT, S.SUBMITTED, "head"),
        (S.SUBMITTED, S.UNDER_REVIEW, "teacher"),  # only the SENDCo reviews
        (S.SUBMITTED, S.UNDER_REVIEW, "head"),
        (S.SUBMITTED, S.UNDER_REVIEW, "dsl"),
        (S.UNDER_REVIEW, S.AWAITING_APPROVAL, "teacher"),
        (S.UNDER_REVIEW, S.AWAITING_APPROVAL, "head"),
        (S.DRAFT, S.WITHDRAWN, "dsl"),  # the author or a leader withdraws
        (S.SUBMITTED, S.WITHDRAWN, "office"),
        (S.UNDER_REVIEW, S.WITHDRAWN, "governor"),
    ],
)
def test_a_move_by_the_wrong_role_is_refused(at, request, source, target, who):
    referral = at(source)
    if target == S.AWAITING_APPROVAL:
        referral_review_save(actor=request.getfixturevalue("sendco"), referral=referral, recommendation=R.INTERNAL_AP)
    with pytest.raises(PermissionDenied):
        referral_transition(referral=referral, target=target, actor=request.getfixturevalue(who), reasons="Because.")
    referral.refresh_from_db()
    assert referral.status == source


def test_another_teacher_cannot_submit_or_withdraw_someone_elses_referral(at, school):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, school=school, role=Role.TEACHER)
    referral = at(S.DRAFT)
    for target in (S.SUBMITTED, S.WITHDRAWN):
        with pytest.raises(PermissionDenied):
            referral_transition(referral=referral, target=target, actor=colleague, reasons="x")


@pytest.mark.parametrize("target", [S.APPROVED, S.DECLINED])
def test_a_referral_is_decided_only_through_the_approval(at, head, target):
    referral = at(S.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="only by the headteacher's decision"):
        referral_transition(referral=referral, target=target, actor=head, reasons="x")


def test_withdrawing_needs_a_reason(at, teacher):
    with pytest.raises(ValidationError, match="Say why"):
        referral_transition(referral=at(S.DRAFT), target=S.WITHDRAWN, actor=teacher, reasons="  ")


@pytest.mark.parametrize(
    ("recommendation", "reasons", "meeting", "message"),
    [
        ("", "", None, "Record your recommendation"),
        (R.NO_AP, "", None, "reasons for recommending no AP"),
        (R.OFFSITE_AP, "x", None, "Record the meeting"),
        (R.MANAGED_MOVE, "x", ParentMeeting.Agreement.DISAGREE, "needs the parents' agreement"),
        (R.INTERNAL_AP, "x", ParentMeeting.Agreement.NOT_REQUIRED, "only for a direction off-site"),
    ],
)
def test_the_head_is_asked_only_when_the_review_is_complete(at, sendco, recommendation, reasons, meeting, message):
    referral = at(S.UNDER_REVIEW)
    if meeting:
        meet(referral, sendco, agreement=meeting)
    referral_review_save(actor=sendco, referral=referral, recommendation=recommendation, recommendation_reasons=reasons)
    with pytest.raises(ValidationError, match=message):
        referral_transition(referral=referral, target=S.AWAITING_APPROVAL, actor=sendco)
    assert not Approval.objects.exists()


def test_an_off_site_direction_may_go_ahead_without_parental_agreement(at, sendco):
    referral = at(S.UNDER_REVIEW)
    meet(referral, sendco, agreement=ParentMeeting.Agreement.NOT_REQUIRED)
    referral_review_save(actor=sendco, referral=referral, recommendation=R.OFFSITE_AP)
    referral = referral_transition(referral=referral, target=S.AWAITING_APPROVAL, actor=sendco)
    assert referral.status == S.AWAITING_APPROVAL


def test_the_review_can_be_recorded_only_while_under_review(at, sendco):
    with pytest.raises(ValidationError, match="Start the review"):
        referral_review_save(actor=sendco, referral=at(S.SUBMITTED), background="x")


# --- Parent meetings and evidence ---------------------------------------------------------------


def test_a_parent_meeting_is_a_step_in_the_chronology_at_the_time_it_was_held(at, pupil, sendco):
    held = timezone.now() - timedelta(days=2)
    meet(at(S.UNDER_REVIEW), sendco, held_at=held, alternative_to_exclusion=True, made_clear_to_parents=True)
    [event] = events(pupil, CaseEvent.Kind.PARENT_MEETING)
    assert event.occurred_at == held and "alternative to permanent exclusion" in event.summary


def test_correcting_what_the_chronology_shows_of_a_meeting_is_itself_recorded(at, pupil, sendco):
    meeting = meet(at(S.UNDER_REVIEW), sendco)
    details = ParentMeetingDetails.of(meeting)
    parent_meeting_update(actor=sendco, meeting=meeting, details=replace(details, parents_views="Spelling fixed."))
    assert not events(pupil, CaseEvent.Kind.NOTE)
    disagree = replace(details, agreement=ParentMeeting.Agreement.DISAGREE)
    parent_meeting_update(actor=sendco, meeting=meeting, details=disagree)
    [note] = events(pupil, CaseEvent.Kind.NOTE)
    assert note.summary.startswith("Record of the meeting with parents of") and note.actor == sendco


def test_a_parent_meeting_offered_as_an_alternative_to_exclusion_must_be_made_clear(at, sendco):
    with pytest.raises(ValidationError) as error:
        meet(at(S.UNDER_REVIEW), sendco, alternative_to_exclusion=True, made_clear_to_parents=False)
    assert "made_clear_to_parents" in error.value.message_dict
    assert not ParentMeeting.objects.exists()


@pytest.mark.parametrize(
    ("status", "who", "error"), [(S.DRAFT, "sendco", ValidationError), (S.UNDER_REVIEW, "teacher", PermissionDenied)]
)
def test_meetings_are_recorded_by_leaders_once_submitted(at, request, status, who, error):
    with pytest.raises(error):
        meet(at(status), request.getfixturevalue(who))


def test_evidence_is_checked_by_its_content(at, teacher):
    referral = at(S.DRAFT)
    fake = SimpleUploadedFile("log.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a real .pdf"):
        referral_attachment_add(actor=teacher, referral=referral, file=fake)
    real = referral_attachment_add(
        actor=teacher, referral=referral, file=SimpleUploadedFile("log.pdf", PDF), description="Behaviour log"
    )
    assert real.original_name == "log.pdf" and real.file.name.startswith("referrals/")
    assert "log" not in real.file.name  # stored under a random name


def test_evidence_is_removed_only_by_its_uploader_from_a_draft(at, teacher, sendco, django_capture_on_commit_callbacks):
    referral = at(S.DRAFT)
    attachment = referral_attachment_add(actor=teacher, referral=referral, file=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(PermissionDenied):
        referral_attachment_remove(actor=sendco, attachment=attachment)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        referral_attachment_remove(actor=teacher, attachment=attachment)
    assert not storage.exists(name)


def test_evidence_cannot_be_added_once_decided(at, head, teacher):
    referral = at(S.AWAITING_APPROVAL)
    approval_decide(approval=pending_approval(referral), actor=head, approve=True, reasons="")
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="only while the referral is open"):
        referral_attachment_add(actor=teacher, referral=referral, file=SimpleUploadedFile("a.pdf", PDF))


# --- Approvals ----------------------------------------------------------------------------------


def test_nobody_decides_their_own_request(at, pupil, head):
    # A small school's head who is also its SENDCo asks, so someone else must decide.
    MembershipFactory(user=head, school=pupil.school, role=Role.SENDCO)
    forget_roles(head)
    referral = at(S.UNDER_REVIEW)
    referral_review_save(actor=head, referral=referral, recommendation=R.INTERNAL_AP)
    referral = referral_transition(referral=referral, target=S.AWAITING_APPROVAL, actor=head)
    approval = pending_approval(referral)
    assert approval.requested_by == head
    with pytest.raises(ValidationError, match="someone else must decide"):
        approval_decide(approval=approval, actor=head, approve=True, reasons="")
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING


def test_declining_needs_reasons(at, head):
    approval = pending_approval(at(S.AWAITING_APPROVAL))
    with pytest.raises(ValidationError, match="reasons for declining"):
        approval_decide(approval=approval, actor=head, approve=False, reasons=" ")


@pytest.mark.parametrize("who", ["sendco", "dsl", "teacher", "office", "governor", "outsider"])
def test_only_a_headteacher_decides(at, request, who):
    approval = pending_approval(at(S.AWAITING_APPROVAL))
    with pytest.raises(PermissionDenied):
        approval_decide(approval=approval, actor=request.getfixturevalue(who), approve=True, reasons="")


def test_a_trust_wide_headteacher_decides_for_every_school_of_the_trust(at, pupil):
    from apcase.models import Trust

    trust = Trust.objects.create(name="Trust")
    School.objects.filter(pk=pupil.school_id).update(trust=trust)
    home = SchoolFactory(trust=trust, calendar=False)
    executive = UserFactory(username="executive")
    MembershipFactory(user=executive, school=home, role=Role.HEAD, trust_wide=True)
    approval = approval_decide(
        approval=pending_approval(at(S.AWAITING_APPROVAL)), actor=executive, approve=True, reasons=""
    )
    assert approval.status == Approval.Status.APPROVED


def test_a_decided_approval_cannot_be_decided_again(at, head):
    approval = pending_approval(at(S.AWAITING_APPROVAL))
    approval_decide(approval=approval, actor=head, approve=True, reasons="")
    with pytest.raises(ValidationError, match="already been decided"):
        approval_decide(approval=approval, actor=head, approve=False, reasons="Changed my mind.")


def test_there_is_at_most_one_pending_approval_per_subject_and_kind(at, pupil, sendco):
    referral = at(S.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="already a request waiting"):
        approval_request(subject=referral, kind=REFER_TO_AP, pupil=pupil, actor=sendco, summary="Again")
    existing = pending_approval(referral)
    duplicate = Approval(
        school=pupil.school,
        kind=REFER_TO_AP,
        content_type=existing.content_type,
        object_id=referral.pk,
        pupil=pupil,
        summary="Again",
        requested_by=sendco,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_requesting_approval_is_a_leaders_permission(at, pupil, teacher):
    with pytest.raises(PermissionDenied):
        approval_request(subject=at(S.DRAFT), kind=REFER_TO_AP, pupil=pupil, actor=teacher, summary="Please")


def test_a_pending_request_can_be_withdrawn_by_its_subjects_service(at, sendco):
    approval = pending_approval(at(S.AWAITING_APPROVAL))
    approval = approval_withdraw(approval=approval, actor=sendco, reasons="Placement cancelled.")
    assert approval.status == Approval.Status.WITHDRAWN and approval.decided_by == sendco


def no_facts(subject):
    return []


def refuse_to_move(approval, actor):
    raise ValidationError("The subject cannot move now.")


class TestRegistry:
    def test_a_kind_cannot_be_registered_twice_differently(self):
        with pytest.raises(ImproperlyConfigured, match="already registered"):
            register_approval_kind(REFER_TO_AP, label="Something else", facts=list, on_decided=print)

    def test_an_unregistered_kind_cannot_be_requested(self, at, pupil, sendco):
        with pytest.raises(ImproperlyConfigured, match="No approval kind"):
            approval_request(subject=at(S.DRAFT), kind="unknown", pupil=pupil, actor=sendco, summary="x")

    def test_on_decided_runs_in_the_deciding_transaction(self, at, pupil, sendco, head):
        register_approval_kind("test_refusing", label="Test", facts=no_facts, on_decided=refuse_to_move)
        approval = approval_request(subject=at(S.DRAFT), kind="test_refusing", pupil=pupil, actor=sendco, summary="x")
        with pytest.raises(ValidationError, match="cannot move now"):
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        approval.refresh_from_db()
        assert approval.status == Approval.Status.PENDING and approval.decided_by is None
