from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apcase.access import forget_roles
from apcase.models import Notification, RecordAccess, Role
from apcase.tests.factories import MembershipFactory, UserFactory
from pupils.models import Approval, CaseEvent, Contact, ImportBatch, Pupil, Referral
from pupils.services import referral_transition
from pupils.tests.cases import meet, referral_at, review
from pupils.tests.factories import CaseEventFactory, ContactFactory, PupilFactory, ReferralFactory
from pupils.tests.test_imports import SAMPLE

S = Referral.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def html(response) -> str:
    return response.content.decode()


def assert_no_inline_code(page: str) -> None:
    assert " style=" not in page and "<style" not in page and " onclick=" not in page
    assert "<script>" not in page


@pytest.fixture
def pupil(school, teacher):
    return PupilFactory(school=school, legal_first_name="Jordan", legal_last_name="Smith", class_teacher=teacher)


# --- Pupil list ---------------------------------------------------------------------------------


def test_the_pupil_list_shows_the_roll_with_flags_and_case_status(client_for, sendco, school, pupil, teacher):
    PupilFactory(school=school, legal_last_name="Zephyr", sen_provision="E", primary_need="ASD", looked_after=True)
    ReferralFactory(pupil=pupil, raised_by=teacher, status=S.UNDER_REVIEW)
    page = html(client_for(sendco).get(reverse("pupils:list")))
    assert "Smith, Jordan" in page and "Zephyr" in page
    assert ">EHCP<" in page and ">LAC<" in page and "Under review" in page
    assert_no_inline_code(page)


def test_the_pupil_list_searches_and_filters(client_for, sendco, school, pupil):
    PupilFactory(school=school, legal_last_name="Quenneville", year_group="3")
    client = client_for(sendco)
    assert "Quenneville" not in html(client.get(reverse("pupils:list"), {"q": pupil.upn}))
    assert "Smith, Jordan" not in html(client.get(reverse("pupils:list"), {"year": "3"}))
    assert "No pupils match" in html(client.get(reverse("pupils:list"), {"q": "nobody-called-this"}))


def test_a_teacher_sees_only_their_own_pupils_in_the_list(client_for, teacher, school, pupil):
    PupilFactory(school=school, legal_last_name="Untaught")
    page = html(client_for(teacher).get(reverse("pupils:list")))
    assert "Your pupils" in page and "Smith" in page and "Untaught" not in page


def test_governors_may_not_list_pupils(client_for, governor):
    assert client_for(governor).get(reverse("pupils:list")).status_code == 403


@pytest.mark.parametrize("count", [5, 60])
def test_the_pupil_list_stays_within_its_query_budget(
    client_for, sendco, school, teacher, count, django_assert_max_num_queries
):
    for n in range(count):
        pupil = PupilFactory(school=school, class_teacher=teacher)
        if n % 3 == 0:
            ReferralFactory(pupil=pupil, raised_by=teacher)
    client = client_for(sendco)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("pupils:list"), {"page": 2 if count > 25 else 1})
    assert response.status_code == 200


# --- Adding and editing pupils --------------------------------------------------------------------


def valid_pupil(**overrides) -> dict:
    return {
        "upn": "b801 2000 05001",
        "legal_first_name": "Ada",
        "legal_last_name": "Lovelace",
        "date_of_birth": "10/12/2016",
        "sex": "F",
        "year_group": "5",
        "admission_date": "03/09/2021",
        "sen_provision": "K",
        "primary_need": "SEMH",
        "ehcp_pathway": "none",
        **overrides,
    }


def test_the_office_adds_a_pupil(client_for, office, sendco):
    response = client_for(office).post(reverse("pupils:new"), valid_pupil(key_adults=[sendco.pk]))
    pupil = Pupil.objects.get()
    assert response.url == pupil.get_absolute_url()
    assert pupil.upn == "B801200005001" and pupil.date_of_birth.isoformat() == "2016-12-10"
    assert list(pupil.key_adults.all()) == [sendco]
    assert pupil.history.earliest().history_user == office


def test_a_wrong_upn_is_explained_on_the_form(client_for, office):
    response = client_for(office).post(reverse("pupils:new"), valid_pupil(upn="A801200005001"))
    assert response.status_code == 200
    page = html(response)
    assert "There is a problem" in page and "check letter A does not match" in page
    assert not Pupil.objects.exists()


def test_a_duplicate_upn_is_explained_on_the_form(client_for, office, other_school):
    PupilFactory(school=other_school, upn="B801200005001")
    page = html(client_for(office).post(reverse("pupils:new"), valid_pupil()))
    assert "Another pupil already has this UPN." in page


def test_editing_a_pupil_changes_key_adults_and_shows_in_history(client_for, office, sendco, pupil):
    client = client_for(office)
    data = valid_pupil(upn=pupil.upn, key_adults=[sendco.pk], registration_group="Oak")
    assert client.post(reverse("pupils:edit", args=[pupil.public_id]), data).status_code == 302
    page = html(client.get(reverse("pupils:history", args=[pupil.public_id])))
    assert "Key adults" in page and str(sendco) in page
    assert "Registration / home class" in page and "Oak" in page


# --- Contacts -----------------------------------------------------------------------------------


def test_contacts_are_added_edited_and_removed(client_for, office, pupil):
    client = client_for(office)
    data = {
        "name": "Donna Smith",
        "relationship": "mother",
        "priority": 1,
        "phone": "07700 900123",
        "preferred_method": "phone",
    }
    client.post(reverse("pupils:contact_new", args=[pupil.public_id]), data)
    contact = Contact.objects.get()
    client.post(
        reverse("pupils:contact_edit", args=[contact.public_id]),
        data | {"do_not_contact": "on", "do_not_contact_reason": "Court order"},
    )
    contact.refresh_from_db()
    assert contact.do_not_contact and contact.history.count() == 2
    assert "Do not contact." in html(client.get(pupil.get_absolute_url()))
    client.post(reverse("pupils:contact_remove", args=[contact.public_id]))
    assert not Contact.objects.exists()


def test_a_do_not_contact_flag_without_a_reason_is_refused(client_for, office, pupil):
    data = {"name": "X", "relationship": "father", "priority": 1, "preferred_method": "post", "do_not_contact": "on"}
    page = html(client_for(office).post(reverse("pupils:contact_new", args=[pupil.public_id]), data))
    assert "Say why this person must not be contacted." in page


# --- Profile and chronology ------------------------------------------------------------------------


def test_the_profile_shows_details_contacts_badges_status_and_chronology(client_for, sendco, pupil, teacher):
    pupil.pupil_premium = pupil.fsm = True
    pupil.save()
    ContactFactory(pupil=pupil, name="Donna Smith")
    ReferralFactory(pupil=pupil, raised_by=teacher, status=S.SUBMITTED)
    now = timezone.now()
    CaseEventFactory(pupil=pupil, summary="First step", occurred_at=now - timedelta(days=3))
    CaseEventFactory(pupil=pupil, summary="Latest step", occurred_at=now - timedelta(days=1))
    response = client_for(sendco).get(pupil.get_absolute_url())
    page = html(response)
    assert "Donna Smith" in page and ">PP<" in page and ">FSM<" in page and "Submitted" in page
    assert page.index("Latest step") < page.index("First step")
    assert RecordAccess.objects.filter(user=sendco, object_id=pupil.public_id, action="view").exists()
    assert response["Cache-Control"].startswith("no-store")
    assert_no_inline_code(page)


def test_the_chronology_filters_by_kind(client_for, sendco, pupil):
    CaseEventFactory(pupil=pupil, kind=CaseEvent.Kind.INCIDENT, summary="An incident")
    CaseEventFactory(pupil=pupil, kind=CaseEvent.Kind.NOTE, summary="A note")
    page = html(client_for(sendco).get(pupil.get_absolute_url(), {"kind": "incident"}))
    assert "An incident" in page and "A note" not in page


@pytest.mark.parametrize("count", [1, 200])
def test_the_profile_with_its_chronology_has_a_fixed_query_budget(
    client_for, sendco, pupil, count, django_assert_max_num_queries
):
    ContactFactory.create_batch(3, pupil=pupil)
    actors = UserFactory.create_batch(3)
    now = timezone.now()
    for n in range(count):
        CaseEventFactory(pupil=pupil, actor=actors[n % 3], occurred_at=now - timedelta(hours=n))
    client = client_for(sendco)
    with django_assert_max_num_queries(16):
        response = client.get(pupil.get_absolute_url())
    assert html(response).count("<time datetime=") == count


def test_a_teacher_opens_only_the_profiles_of_pupils_they_teach(client_for, teacher, school, pupil):
    assert client_for(teacher).get(pupil.get_absolute_url()).status_code == 200
    key_adult_of = PupilFactory(school=school, key_adults=[teacher])
    assert client_for(teacher).get(key_adult_of.get_absolute_url()).status_code == 200
    stranger = PupilFactory(school=school)
    assert client_for(teacher).get(stranger.get_absolute_url()).status_code == 403


def test_an_outsider_gets_404_for_a_pupil_and_a_malformed_id_is_404(client_for, outsider, sendco, pupil):
    assert client_for(outsider).get(pupil.get_absolute_url()).status_code == 404
    assert client_for(sendco).get("/pupils/not-a-uuid/").status_code == 404


# --- Raising a concern ----------------------------------------------------------------------------


def test_a_teacher_finds_a_pupil_by_name_to_raise_a_concern(client_for, teacher, school, pupil):
    PupilFactory(school=school, legal_last_name="Smithson", legal_first_name="Kim")
    client = client_for(teacher)
    page = html(client.get(reverse("referrals:pick_pupil"), {"q": "smith"}))
    assert "Jordan Smith" in page and "Kim Smithson" in page and pupil.upn not in page
    partial = client.get(reverse("referrals:pick_pupil"), {"q": "jordan"}, HTTP_HX_REQUEST="true")
    assert "<html" not in html(partial) and "Jordan Smith" in html(partial)


def cfc(**overrides) -> dict:
    return {
        "criteria": ["disruptive", "exclusion_risk"],
        "concern": "Leaves the room daily.",
        "reasons": ["semh"],
        "suspensions_this_year": 1,
        "strategies_tried": "Seat move, check-ins.",
        "tried_for_weeks": 6,
        "parents_informed": "on",
        **overrides,
    }


def test_a_teacher_raises_and_submits_a_concern_and_the_sendco_is_told(
    client_for, teacher, sendco, pupil, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(teacher).post(reverse("referrals:new", args=[pupil.public_id]), cfc(submit="1"))
    referral = Referral.objects.get()
    assert response.url == referral.get_absolute_url()
    assert (referral.status, referral.raised_by, referral.criteria) == (
        S.SUBMITTED,
        teacher,
        ["disruptive", "exclusion_risk"],
    )
    assert Notification.objects.get(user=sendco).title == "Cause for Concern for J.S. to review"
    assert mailoutbox[0].to == [sendco.email] and "Jordan" not in mailoutbox[0].body


def test_a_concern_can_be_saved_as_a_draft_and_edited(client_for, teacher, pupil):
    client = client_for(teacher)
    client.post(reverse("referrals:new", args=[pupil.public_id]), cfc(save_draft="1"))
    referral = Referral.objects.get()
    assert referral.status == S.DRAFT and not Notification.objects.exists()
    client.post(reverse("referrals:edit", args=[referral.public_id]), cfc(concern="Updated.", save_draft="1"))
    referral.refresh_from_db()
    assert referral.concern == "Updated." and referral.status == S.DRAFT


def test_a_concern_needs_at_least_one_criterion(client_for, teacher, pupil):
    page = html(
        client_for(teacher).post(reverse("referrals:new", args=[pupil.public_id]), cfc(criteria=[], submit="1"))
    )
    assert "Tick at least one description" in page
    assert not Referral.objects.exists()


def test_a_concern_cannot_be_raised_for_a_pupil_who_has_left(client_for, teacher, school):
    left = PupilFactory(school=school, leaving_date=timezone.localdate() - timedelta(days=1))
    assert client_for(teacher).get(reverse("referrals:new", args=[left.public_id])).status_code == 404


# --- The referral page ----------------------------------------------------------------------------


@pytest.fixture
def submitted(pupil, teacher, sendco):
    return referral_at(S.SUBMITTED, pupil=pupil, teacher=teacher, sendco=sendco)


def test_the_author_sees_the_outcome_but_not_the_familys_views(client_for, teacher, sendco, submitted):
    referral_at_review = submitted
    client_for(sendco).post(reverse("referrals:move", args=[referral_at_review.public_id]), {"target": S.UNDER_REVIEW})
    meet(referral_at_review, sendco, parents_views="Private family matters.")
    teacher_page = html(client_for(teacher).get(submitted.get_absolute_url()))
    assert "Headteacher's decision" in teacher_page and "Private family matters." not in teacher_page
    sendco_page = html(client_for(sendco).get(submitted.get_absolute_url()))
    assert "Private family matters." in sendco_page and "Record the review" in sendco_page
    assert RecordAccess.objects.filter(user=sendco, object_id=submitted.public_id).exists()


def test_the_dsl_sees_a_referral_only_when_it_is_flagged(client_for, dsl, pupil, teacher):
    plain = ReferralFactory(pupil=pupil, raised_by=teacher, status=S.SUBMITTED)
    flagged = ReferralFactory(pupil=pupil, raised_by=teacher, status=S.SUBMITTED, safeguarding_concern=True)
    client = client_for(dsl)
    assert client.get(plain.get_absolute_url()).status_code == 403
    assert client.get(flagged.get_absolute_url()).status_code == 200


def test_a_refused_move_is_explained_not_a_500(client_for, sendco, submitted):
    response = client_for(sendco).post(
        reverse("referrals:move", args=[submitted.public_id]), {"target": S.WITHDRAWN}, follow=True
    )
    assert "Say why the referral is being withdrawn." in html(response)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_the_sendco_records_the_review_and_asks_the_head(client_for, sendco, head, submitted):
    client = client_for(sendco)
    client.post(reverse("referrals:move", args=[submitted.public_id]), {"target": S.UNDER_REVIEW})
    review = {"background": "Attendance 90%.", "avenues_considered": ["in_class"], "recommendation": "internal_ap"}
    assert client.post(reverse("referrals:review", args=[submitted.public_id]), review).status_code == 302
    client.post(reverse("referrals:move", args=[submitted.public_id]), {"target": S.AWAITING_APPROVAL})
    submitted.refresh_from_db()
    assert submitted.status == S.AWAITING_APPROVAL and submitted.avenues_considered == ["in_class"]
    assert "Decide in your approvals inbox" in html(client_for(head).get(submitted.get_absolute_url()))


def test_no_ap_without_reasons_is_refused_on_the_review_form(client_for, sendco, submitted):
    client = client_for(sendco)
    client.post(reverse("referrals:move", args=[submitted.public_id]), {"target": S.UNDER_REVIEW})
    page = html(client.post(reverse("referrals:review", args=[submitted.public_id]), {"recommendation": "no_ap"}))
    assert "Give the reasons for recommending no AP." in page


def test_the_meeting_form_requires_confirming_the_exclusion_alternative_was_made_clear(client_for, sendco, submitted):
    data = {
        "held_on": timezone.localdate().strftime("%d/%m/%Y"),
        "held_time": "00:01",
        "attendees": "Mum",
        "explained": "Why.",
        "alternative_to_exclusion": "on",
        "parents_views": "Fine.",
        "agreement": "agree",
    }
    url = reverse("referrals:meeting_new", args=[submitted.public_id])
    client = client_for(sendco)
    assert "confirm this was made clear" in html(client.post(url, data))
    assert client.post(url, data | {"made_clear_to_parents": "on"}).status_code == 302
    assert submitted.meetings.get().made_clear_to_parents


def test_evidence_is_uploaded_and_downloaded_only_through_a_checked_view(client_for, teacher, dsl, submitted):
    client = client_for(teacher)
    upload = SimpleUploadedFile("behaviour log.pdf", PDF, content_type="application/pdf")
    client.post(reverse("referrals:attachment_add", args=[submitted.public_id]), {"file": upload, "description": "Log"})
    attachment = submitted.attachments.get()
    response = client.get(reverse("referrals:attachment_download", args=[attachment.public_id]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert RecordAccess.objects.filter(object_id=attachment.public_id, action="download", user=teacher).exists()
    assert client_for(dsl).get(reverse("referrals:attachment_download", args=[attachment.public_id])).status_code == 403


def test_a_disguised_upload_is_refused_with_a_message(client_for, teacher, submitted):
    upload = SimpleUploadedFile("notes.pdf", b"<html><script>alert(1)</script></html>")
    response = client_for(teacher).post(
        reverse("referrals:attachment_add", args=[submitted.public_id]), {"file": upload}, follow=True
    )
    assert "The file was not added" in html(response)
    assert not submitted.attachments.exists()


def test_the_referral_history_page_lists_changes(client_for, sendco, submitted):
    page = html(client_for(sendco).get(reverse("referrals:history", args=[submitted.public_id])))
    assert "Change history" in page and "Submitted" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_referral_list_stays_within_its_query_budget(
    client_for, sendco, school, count, django_assert_max_num_queries
):
    raisers = UserFactory.create_batch(3)
    for n in range(count):
        ReferralFactory(pupil__school=school, raised_by=raisers[n % 3], status=S.SUBMITTED)
    client = client_for(sendco)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("referrals:list")).status_code == 200


def test_a_teacher_sees_my_referrals(client_for, teacher, pupil, submitted):
    page = html(client_for(teacher).get(reverse("referrals:list")))
    assert "Your Cause for Concern referrals" in page and "Jordan Smith" in page


@pytest.mark.parametrize("who", ["office", "governor"])
def test_office_and_governors_have_no_referral_list(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("referrals:list")).status_code == 403


# --- Approvals inbox ----------------------------------------------------------------------------


@pytest.fixture
def awaiting(pupil, teacher, sendco):
    return referral_at(S.AWAITING_APPROVAL, pupil=pupil, teacher=teacher, sendco=sendco)


def decision(approval, choice, reasons=""):
    prefix = str(approval.public_id)
    return {f"{prefix}-decision": choice, f"{prefix}-reasons": reasons}


def test_the_head_sees_the_facts_and_approves_in_the_inbox(client_for, head, awaiting):
    client = client_for(head)
    page = html(client.get(reverse("approvals:inbox")))
    assert "Jordan Smith: Internal AP" in page and "Recommendation" in page and "today" in page
    assert_no_inline_code(page)
    approval = Approval.objects.get()
    response = client.post(reverse("approvals:decide", args=[approval.public_id]), decision(approval, "approve"))
    assert response.url == reverse("approvals:inbox")
    awaiting.refresh_from_db()
    assert awaiting.status == S.APPROVED
    assert "You are all caught up" in html(client.get(reverse("approvals:inbox")))


def test_declining_without_reasons_shows_the_error_beside_the_request(client_for, head, awaiting):
    approval = Approval.objects.get()
    response = client_for(head).post(
        reverse("approvals:decide", args=[approval.public_id]), decision(approval, "decline")
    )
    assert response.status_code == 400
    assert "Give the reasons for declining." in html(response)
    awaiting.refresh_from_db()
    assert awaiting.status == S.AWAITING_APPROVAL


def test_a_head_cannot_approve_their_own_request_in_the_inbox(client_for, head, pupil, teacher):
    MembershipFactory(user=head, school=pupil.school, role=Role.SENDCO)
    forget_roles(head)
    referral_at(S.AWAITING_APPROVAL, pupil=pupil, teacher=teacher, sendco=head)
    approval = Approval.objects.get()
    response = client_for(head).post(
        reverse("approvals:decide", args=[approval.public_id]), decision(approval, "approve")
    )
    assert response.status_code == 400 and "someone else must decide it" in html(response)


@pytest.mark.parametrize("who", ["sendco", "dsl", "teacher", "office", "governor"])
def test_only_heads_have_an_inbox(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("approvals:inbox")).status_code == 403


@pytest.mark.parametrize("count", [2, 31])  # 1 or 30 pending, and one decided
def test_the_inbox_stays_within_its_query_budget(
    client_for, head, school, teacher, sendco, count, django_assert_max_num_queries
):
    for _ in range(count):  # off-site: each with a parent meeting, which the facts show
        referral = referral_at(S.UNDER_REVIEW, pupil=PupilFactory(school=school), teacher=teacher, sendco=sendco)
        review(referral, sendco, Referral.Recommendation.OFFSITE_AP)
        referral_transition(referral=referral, target=S.AWAITING_APPROVAL, actor=sendco)
    decided = Approval.objects.first()
    assert decided is not None
    client = client_for(head)
    client.post(reverse("approvals:decide", args=[decided.public_id]), decision(decided, "decline", "Not now."))
    with django_assert_max_num_queries(14):
        page = html(client.get(reverse("approvals:inbox")))
    assert page.count("Record decision") == count - 1 and "Not now." in page


# --- Import -------------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "roll.csv"):
    return client.post(reverse("pupils:import"), {"file": SimpleUploadedFile(name, content)})


def test_the_import_previews_then_applies_and_then_says_nothing_changed(client_for, office, school):
    client = client_for(office)
    response = upload(client, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    assert response.url == reverse("pupils:import_preview", args=[batch.public_id])
    preview = html(client.get(response.url))
    assert preview.count(">Add<") == 6 and "Apply these changes" in preview
    assert 'type="hidden" name="file' not in preview  # the file stays on the server
    assert not Pupil.objects.exists()  # a preview changes nothing
    done = client.post(reverse("pupils:import_confirm", args=[batch.public_id]), follow=True)
    assert "Import applied: 6 added, 0 updated, 0 unchanged." in html(done)
    assert Pupil.objects.filter(school=school).count() == 6
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and not batch.file
    again = client.get(upload(client, SAMPLE.read_bytes()).url)
    assert "Nothing would change" in html(again) and "Apply these changes" not in html(again)


def test_the_import_is_validated_again_when_confirmed(client_for, office, other_school):
    client = client_for(office)
    batch_url = upload(client, SAMPLE.read_bytes()).url
    assert "Apply these changes" in html(client.get(batch_url))
    PupilFactory(school=other_school, upn="Q860200119101")  # someone else took a UPN meanwhile
    batch = ImportBatch.objects.get()
    response = client.post(reverse("pupils:import_confirm", args=[batch.public_id]))
    assert response.status_code == 400
    assert "Nothing was imported" in html(response) and "belongs to a pupil at another school" in html(response)
    assert Pupil.objects.count() == 1


def test_a_preview_with_errors_lists_them_and_offers_no_confirm(client_for, office):
    content = (
        b"UPN,Surname,Forename,DOB,Sex,Year,SEN,Admission Date\n"
        + b"Q860200119101,Abbott,Grace,31/02/2016,F,5,N,03/09/2020\n"
    )
    client = client_for(office)
    page = html(client.get(upload(client, content).url))
    assert "Row 2 (Grace Abbott): DOB: “31/02/2016” is not a date" in page
    assert "Apply these changes" not in page


def test_only_a_csv_is_accepted(client_for, office):
    page = html(upload(client_for(office), b"%PDF", name="roll.pdf"))
    assert "Choose a .csv file" in page and not ImportBatch.objects.exists()


def test_discarding_an_upload_deletes_its_file(client_for, office, django_capture_on_commit_callbacks):
    client = client_for(office)
    upload(client, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    storage, name = batch.file.storage, batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pupils:import_discard", args=[batch.public_id]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED and not storage.exists(name)


def test_the_import_template_lists_every_column(client_for, office):
    response = client_for(office).get(reverse("pupils:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("UPN,Legal Surname,Legal Forename")


@pytest.mark.parametrize("who", ["dsl", "teacher", "governor"])
def test_only_roll_keepers_import(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("pupils:import")).status_code == 403


def test_a_new_upload_discards_the_schools_previews_left_for_a_day(client_for, office, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=2), tick=False)
    upload(client_for(office), SAMPLE.read_bytes())
    old = ImportBatch.objects.get()
    time_machine.move_to(timezone.now() + timedelta(days=2), tick=False)
    upload(client_for(office), SAMPLE.read_bytes())  # signed in afresh: sessions last hours, not days
    old.refresh_from_db()
    assert old.status == ImportBatch.Status.DISCARDED and not old.file
    assert ImportBatch.objects.filter(status=ImportBatch.Status.PREVIEWED).count() == 1


def test_edit_pages_record_who_opened_the_record(client_for, office, pupil):
    client_for(office).get(reverse("pupils:edit", args=[pupil.public_id]))
    assert RecordAccess.objects.filter(user=office, object_id=pupil.public_id).exists()
