"""The portal's pages: what provider staff see and do, 404 for everything else, query budgets."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apcase.models import Notification
from audits.models import ProviderAccessEvent, ProviderStaff
from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory, ProviderStaffFactory
from placements.models import AttendanceMark, Incident, Placement
from placements.tests.factories import HandoverFactory, PlacementFactory
from pupils.tests.factories import CaseEventFactory, ContactFactory, ReferralFactory
from reviews.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


def _names_without_arguments(resolver=None, namespace="") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += _names_without_arguments(entry, child)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            names.append(namespace + entry.name)
    return names


class TestBoundary:
    def test_every_address_outside_the_portal_is_a_404_for_provider_staff(self, client_for, provider_staff, ours):
        client = client_for(provider_staff)
        open_names = {"login", "logout", "password_change", "password_change_done", "healthz", "home"}
        outside = [
            name
            for name in _names_without_arguments()
            if not name.startswith(("provider_portal:", "admin:"))
            and name not in open_names
            and "two_factor" not in name
        ]
        assert len(outside) > 20
        reached = {name: client.get(reverse(name)).status_code for name in outside}
        assert {name: code for name, code in reached.items() if code != 404} == {}
        # Objects of the provider's own pupils, on the school's pages, too.
        assert client.get(ours.get_absolute_url()).status_code == 404
        assert client.get(ours.pupil.get_absolute_url()).status_code == 404
        assert client.get("/admin/").status_code == 404

    def test_signing_in_lands_on_the_register_and_is_logged(self, client, provider_staff, ours):
        client.force_login(provider_staff)
        assert client.get("/").url == reverse("provider_portal:register")
        assert ProviderAccessEvent.objects.filter(kind=ProviderAccessEvent.Kind.SIGNED_IN).count() == 1

    @pytest.mark.parametrize("persona", ["sendco", "dsl", "office", "outsider"], indirect=True)
    def test_school_staff_have_no_portal(self, client_for, persona):
        client = client_for(persona)
        for name in ("provider_portal:register", "provider_portal:pupils"):
            assert client.get(reverse(name)).status_code == 404

    def test_where_a_second_factor_is_required_provider_staff_set_one_up_first(
        self, client, provider_staff, ours, settings
    ):
        settings.OTP_REQUIRED = True
        provider_staff.set_password("a-long-passphrase-9")
        provider_staff.save()
        client.post(reverse("login"), {"username": provider_staff.username, "password": "a-long-passphrase-9"})
        response = client.get(reverse("provider_portal:register"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))
        assert client.get(reverse("two_factor_setup")).status_code == 200

    def test_a_suspended_person_reaches_nothing(self, client_for, provider_staff, ours):
        ProviderStaff.objects.filter(user=provider_staff).update(status=ProviderStaff.Status.SUSPENDED)
        assert client_for(provider_staff).get(reverse("provider_portal:register")).status_code == 404

    def test_another_providers_pupil_is_a_404(self, client_for, provider_staff, school):
        elsewhere = PlacementFactory(pupil__school=school, status=Placement.Status.ACTIVE)
        client = client_for(provider_staff)
        for name in ("provider_portal:placement", "provider_portal:incident_new"):
            assert client.get(reverse(name, args=[elsewhere.public_id])).status_code == 404


class TestRegister:
    def test_both_schools_pupils_are_listed_apart_with_a_flat_query_count(
        self, morning, client_for, provider_staff, staff, school, other_school, django_assert_max_num_queries
    ):
        for owner in (school, other_school):
            entry = ProviderFactory(school=owner, organisation=staff.organisation, urn="")
            PlacementFactory.create_batch(
                8, pupil__school=owner, provider=entry, site=None, status=Placement.Status.ACTIVE
            )
        client = client_for(provider_staff)
        # 14: the session, the user, their provider, whether access has lapsed (docs/portal.md), the
        # register's reads, each school's pupils apart.
        with django_assert_max_num_queries(16):
            html = client.get(reverse("provider_portal:register")).content.decode()
        assert school.name in html and other_school.name in html
        assert html.count('name="reason-') == 2 * 9 * 2  # 9 pupils a school, morning and afternoon

    @pytest.mark.parametrize("per_school", [3, 9])
    def test_saving_the_register_costs_the_same_however_many_pupils(
        self,
        morning,
        client_for,
        provider_staff,
        staff,
        school,
        other_school,
        per_school,
        django_assert_max_num_queries,
    ):
        placements = []
        for owner in (school, other_school):
            entry = ProviderFactory(school=owner, organisation=staff.organisation, urn="")
            placements += PlacementFactory.create_batch(
                per_school, pupil__school=owner, provider=entry, site=None, status=Placement.Status.ACTIVE
            )
        morning_marks = {f"{placement.public_id}-am": "B" for placement in placements}
        client = client_for(provider_staff)
        # The register's own reads (with the check that access has not lapsed), then eight to save
        # however many pupils: the codes, the marks there are, one insert of the marks and one of
        # their history inside a savepoint (its two statements), the marks for the threshold check,
        # and the day's marks for the same-day alerts (bench/README.md: 791 before).
        with django_assert_max_num_queries(23):
            assert client.post(reverse("provider_portal:register"), morning_marks).status_code == 302
        assert AttendanceMark.objects.filter(recorded_by_provider=staff.organisation).count() >= 2 * per_school
        assert all(mark.history.count() == 1 for mark in AttendanceMark.objects.filter(placement__in=placements))

    def test_two_people_saving_the_same_session_at_once_get_a_message_not_an_error(
        self, morning, client_for, provider_staff, ours, sendco
    ):
        from django.db import connection

        from placements.models import AttendanceCode

        present = AttendanceCode.objects.get(code="B")
        colleague_saved: list[bool] = []

        def colleague_saves_first(execute, sql, params, many, context):
            # The other person's save lands between this save's read of the marks and its insert.
            if sql.startswith('INSERT INTO "placements_attendancemark"') and not colleague_saved:
                colleague_saved.append(True)  # before the colleague's own insert comes through here
                AttendanceMark.objects.create(
                    placement=ours, date=morning, session="am", code=present, recorded_by=sendco
                )
            return execute(sql, params, many, context)

        client = client_for(provider_staff)
        with connection.execute_wrapper(colleague_saves_first):
            response = client.post(reverse("provider_portal:register"), {f"{ours.public_id}-am": "B"})
        assert colleague_saved and response.status_code == 400
        assert "Someone else recorded these sessions a moment ago" in response.content.decode()

    def test_marking_absent_without_a_reason_reaches_the_sendco(
        self, morning, client_for, provider_staff, ours, sendco
    ):
        response = client_for(provider_staff).post(
            reverse("provider_portal:register"), {f"{ours.public_id}-am": "N", f"reason-{ours.public_id}-am": ""}
        )
        assert response.status_code == 302
        mark = AttendanceMark.objects.get(placement=ours)
        assert mark.code.code == "N" and mark.recorded_by_provider_id == ours.provider.organisation_id
        assert Notification.objects.filter(user=sendco, kind="same_day_alert").exists()

    def test_a_refused_register_keeps_what_was_chosen(self, morning, client_for, provider_staff, ours, theirs):
        data = {f"{ours.public_id}-am": "I", f"{theirs.public_id}-am": "B", f"reason-{theirs.public_id}-am": "kept"}
        response = client_for(provider_staff).post(reverse("provider_portal:register"), data)
        html = response.content.decode()
        assert response.status_code == 400 and "Give the reason for the absence recorded as I" in html
        assert 'value="kept"' in html and not AttendanceMark.objects.exists()

    def test_the_pupils_page_and_handover(self, client_for, provider_staff, ours, django_assert_max_num_queries):
        mum = ContactFactory(pupil=ours.pupil, name="Donna Clarke", phone="07700 900101")
        HandoverFactory(placement=ours, what_works="Likes to start with maths.", emergency_contacts=[mum])
        client = client_for(provider_staff)
        with django_assert_max_num_queries(9):
            assert ours.pupil.display_name in client.get(reverse("provider_portal:pupils")).content.decode()
        HandoverFactory(placement=ours, emergency_contacts=[mum])
        TargetFactory(placement=ours, description="Stay in class for a whole lesson")
        with django_assert_max_num_queries(16):  # handovers with their contacts, targets, attendance, reviews
            html = client.get(reverse("provider_portal:placement", args=[ours.public_id])).content.decode()
        assert "Likes to start with maths." in html and "Stay in class for a whole lesson" in html
        assert "referral" not in html.lower()

    def test_the_pupil_page_shows_what_the_school_shared_and_nothing_else(self, client_for, provider_staff, ours):
        pupil = ours.pupil
        mum = ContactFactory(pupil=pupil, name="Donna Clarke", phone="07700 900101")
        ContactFactory(pupil=pupil, name="Unchosen Uncle", phone="07700 900999")
        HandoverFactory(
            placement=ours,
            needs="Reading age two years behind.",
            risks="May leave the site.",
            risk_management="A named adult follows at a distance.",
            what_works="Practical tasks first.",
            medical_notes="Blue inhaler in his bag.",
            notes="Internal: mum was upset at the meeting.",
            emergency_contacts=[mum],
        )
        kept_back = HandoverFactory(placement=ours, shared_in_portal=False, needs="Not for the provider's eyes.")
        referral = ReferralFactory(pupil=pupil, concern="Kicked a door in the hall.")
        PlacementFactory(pupil=pupil, provider=ProviderFactory(school=ours.school, name="Elsewhere Farm School"))
        CaseEventFactory(pupil=pupil, summary="Chronology: met the social worker.")
        client = client_for(provider_staff)
        html = client.get(reverse("provider_portal:placement", args=[ours.public_id])).content.decode()
        for shared in (
            "Reading age two years behind.",
            "A named adult follows at a distance.",
            "Practical tasks first.",
            "Blue inhaler in his bag.",
            "Donna Clarke (Mother)",
            "07700 900101",
            ours.objectives,
        ):
            assert shared in html
        for withheld in (
            "Unchosen Uncle",
            "07700 900999",
            "Not for the provider&#x27;s eyes.",
            "Internal: mum was upset",
            referral.concern,
            "Elsewhere Farm School",
            "Chronology: met the social worker.",
            "History",
        ):
            assert withheld not in html
        acknowledge = reverse("provider_portal:acknowledge_handover", args=[kept_back.public_id])
        assert client.get(acknowledge).status_code == 404


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("provider_portal:incident_new", lambda ours: ours.public_id),
        ("provider_portal:sign_kcsie", lambda ours: ours.provider.public_id),
        ("provider_portal:acknowledge_handover", lambda ours: HandoverFactory(placement=ours).public_id),
    ],
)
def test_every_form_page_of_the_portal_has_a_query_budget(
    morning, client_for, provider_staff, ours, name, target, django_assert_max_num_queries
):
    url = reverse(name, args=[target(ours)])
    client = client_for(provider_staff)
    # The session, the user, their provider, whether access has lapsed, the record, the form.
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


class TestIncident:
    def test_a_safeguarding_concern_is_recorded_and_the_dsl_told(self, morning, client_for, provider_staff, ours, dsl):
        data = {
            "occurred_on": "01/12/2026",
            "occurred_time": "09:10",
            "severity": "low",
            "description": "Said something worrying.",
            "safeguarding_concern": "on",
        }
        response = client_for(provider_staff).post(reverse("provider_portal:incident_new", args=[ours.public_id]), data)
        assert response.status_code == 302
        assert Incident.objects.get().safeguarding_concern
        assert Notification.objects.filter(user=dsl, kind="safeguarding_concern").exists()

    def test_every_error_is_shown_at_once(self, morning, client_for, provider_staff, ours):
        response = client_for(provider_staff).post(
            reverse("provider_portal:incident_new", args=[ours.public_id]), {"severity": ""}
        )
        html = response.content.decode()
        assert response.status_code == 200 and html.count("is-invalid") >= 4


def _no_longer_placed(staff) -> None:
    """Every placement with the provider cancelled (as with "ended", none is in force)."""
    Placement.objects.filter(provider__organisation=staff.organisation).update(status=Placement.Status.CANCELLED)


class TestAccessLifecycle:
    """A provider no school places a pupil with loses access; the next placement brings it back."""

    def _sign_in(self, client, user):
        user.set_password("a-long-passphrase-9")
        user.save()
        return client.post(reverse("login"), {"username": user.username, "password": "a-long-passphrase-9"})

    def test_a_lapsed_provider_is_told_plainly_at_sign_in_and_it_is_logged(self, client, provider_staff, staff):
        _no_longer_placed(staff)
        self._sign_in(client, provider_staff)
        response = client.get("/", follow=True)
        assert "Your access to the provider portal is paused" in response.content.decode()
        assert client.get(reverse("provider_portal:register")).status_code == 302  # signed out: to the sign-in page
        kinds = set(staff.access_events.values_list("kind", flat=True))
        assert kinds == {ProviderAccessEvent.Kind.LAPSED}

    def test_an_open_session_is_refused_on_the_next_request_once_the_last_placement_ends(
        self, morning, client, provider_staff, staff
    ):
        client.force_login(provider_staff)
        register = reverse("provider_portal:register")
        assert client.get(register).status_code == 200
        Placement.objects.filter(provider__organisation=staff.organisation).update(
            status=Placement.Status.ENDED, outcome=Placement.Outcome.REINTEGRATED, actual_end_date=morning
        )
        response = client.post(register, {"session": "am"})
        assert response.status_code == 302 and response["Location"] == reverse("login") + "?lapsed=1"
        assert "Your access to the provider portal is paused" in client.get(response["Location"]).content.decode()
        assert client.get(register)["Location"].startswith(reverse("login") + "?next=")  # signed out
        kinds = list(staff.access_events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds == [ProviderAccessEvent.Kind.SIGNED_IN, ProviderAccessEvent.Kind.LAPSED]
        assert not AttendanceMark.objects.exists()

    def test_access_returns_when_a_school_places_a_pupil_again(self, client, provider_staff, staff, school):
        _no_longer_placed(staff)
        entry = ProviderFactory(school=school, organisation=staff.organisation, urn="")
        PlacementFactory(pupil__school=school, provider=entry, site=None, status=Placement.Status.APPROVED)
        self._sign_in(client, provider_staff)
        assert client.get(reverse("provider_portal:register")).status_code == 200
        assert staff.access_events.filter(kind=ProviderAccessEvent.Kind.SIGNED_IN).exists()

    def test_the_school_sees_the_access_lapsed(self, client_for, dsl, provider_staff, staff, ours):
        url = reverse("portal_access:staff", args=[ours.provider.public_id])
        assert "Lapsed" not in client_for(dsl).get(url).content.decode()
        _no_longer_placed(staff)
        assert "Lapsed" in client_for(dsl).get(url).content.decode()

    @pytest.mark.parametrize(
        ("action", "kind"),
        [("suspend", ProviderAccessEvent.Kind.SUSPENDED), ("remove", ProviderAccessEvent.Kind.REMOVED)],
    )
    def test_suspending_or_removing_ends_access_and_is_logged(
        self, client, dsl, provider_staff, staff, ours, action, kind
    ):
        client.force_login(provider_staff)
        assert client.get(reverse("provider_portal:register")).status_code == 200
        client.force_login(dsl)
        url = reverse("portal_access:staff_action", args=[ours.provider.public_id, staff.public_id, action])
        assert client.post(url).status_code == 302
        event = staff.access_events.get(kind=kind)
        assert event.by == dsl
        client.force_login(provider_staff)
        assert client.get(reverse("provider_portal:register")).status_code == 404


class TestSchoolPage:
    def test_the_dsl_invites_and_sees_the_access_log(self, client_for, dsl, school, django_assert_max_num_queries):
        entry = ProviderFactory(school=school, organisation=ProviderOrganisationFactory())
        ProviderStaffFactory.create_batch(3, organisation=entry.organisation, invited_from=entry)
        client = client_for(dsl)
        url = reverse("portal_access:staff", args=[entry.public_id])
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
        data = {"first_name": "Jo", "last_name": "W", "email": "jo@lg.example", "job_title": "Head of centre"}
        assert client.post(url, data).status_code == 302
        assert ProviderStaff.objects.filter(user__email="jo@lg.example", status="invited").exists()

    def test_a_bad_invitation_shows_every_error(self, client_for, dsl, school):
        entry = ProviderFactory(school=school, organisation=ProviderOrganisationFactory())
        response = client_for(dsl).post(reverse("portal_access:staff", args=[entry.public_id]), {"email": "nope"})
        html = response.content.decode()
        assert response.status_code == 400 and html.count("This field is required") >= 3 and "valid email" in html

    def test_the_accept_page(self, client, dsl, school):
        from provider_portal.services import provider_staff_invite

        entry = ProviderFactory(school=school, organisation=ProviderOrganisationFactory())
        _staff, token = provider_staff_invite(
            actor=dsl, provider=entry, first_name="Jo", last_name="W", email="jo@lg.example", job_title="Lead"
        )
        url = reverse("provider_portal:accept", args=[token])
        assert "Welcome, Jo" in client.get(url).content.decode()
        response = client.post(url, {"password": "a-long-passphrase-9", "password_again": "a-long-passphrase-9"})
        assert response.status_code == 302
        assert client.get(url).status_code == 404
        signed_in = client.post(reverse("login"), {"username": "jo@lg.example", "password": "a-long-passphrase-9"})
        assert signed_in.status_code == 302


class TestReviewReport:
    def test_the_provider_sends_a_written_and_uploaded_report_that_the_review_page_shows(
        self, morning, client_for, provider_staff, ours, sendco, django_assert_max_num_queries
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from reviews.tests.factories import ReviewMeetingFactory

        review = ReviewMeetingFactory(placement=ours, due_on=morning)
        client = client_for(provider_staff)
        url = reverse("provider_portal:review_report", args=[review.public_id])
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        upload = SimpleUploadedFile("half-term report.pdf", pdf, content_type="application/pdf")
        response = client.post(url, {"report": "Calmer in maths; two late arrivals.", "file": upload})
        assert response.status_code == 302
        assert Notification.objects.filter(user=sendco, kind="provider_report").exists()
        school_client = client_for(sendco)
        html = school_client.get(review.get_absolute_url()).content.decode()
        assert "Calmer in maths; two late arrivals." in html and "half-term report.pdf" in html
        sent = review.provider_reports.get()
        download = school_client.get(reverse("reviews:provider_report_file", args=[sent.public_id]))
        assert b"".join(download.streaming_content) == pdf

    def test_the_providers_report_is_merged_into_the_review_record_and_its_minutes(
        self, morning, client_for, provider_staff, ours, sendco
    ):
        from apcase.tests.pdf import pdf_text
        from reviews.tests.factories import ReviewMeetingFactory

        review = ReviewMeetingFactory(placement=ours, due_on=morning)
        client_for(provider_staff).post(
            reverse("provider_portal:review_report", args=[review.public_id]), {"report": "Calmer in maths."}
        )
        school_client = client_for(sendco)
        page = school_client.get(review.get_absolute_url()).content.decode()
        assert "Not in the record yet" in page and "Calmer in maths." in page
        minutes = pdf_text(b"".join(school_client.get(reverse("reviews:minutes", args=[review.public_id]))))
        assert "Calmer in maths." in minutes
        form = school_client.get(reverse("reviews:record", args=[review.public_id])).context["form"]
        sender = review.provider_reports.get().provider_name
        assert form.initial["provider_report"] == f"{sender}, 01/12/2026: Calmer in maths."

    def test_an_empty_report_is_refused_and_a_held_review_is_a_404(self, morning, client_for, provider_staff, ours):
        from reviews.tests.factories import ReviewMeetingFactory

        client = client_for(provider_staff)
        review = ReviewMeetingFactory(placement=ours, due_on=morning)
        response = client.post(reverse("provider_portal:review_report", args=[review.public_id]), {"report": " "})
        assert response.status_code == 200 and "Write the report, or upload it." in response.content.decode()
        held = ReviewMeetingFactory(placement=ours, held=True)
        assert client.get(reverse("provider_portal:review_report", args=[held.public_id])).status_code == 404


class TestProgress:
    def test_a_reading_sent_by_the_provider_is_accepted_into_the_targets_measurements(
        self, morning, client_for, provider_staff, ours, sendco, django_assert_max_num_queries
    ):
        from reviews.models import Measurement, ProviderProgressNote
        from reviews.tests.factories import TargetFactory

        target = TargetFactory(placement=ours)
        client = client_for(provider_staff)
        url = reverse("provider_portal:progress", args=[ours.public_id])
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
        data = {"target": target.pk, "measured_on": "30/11/2026", "value": "3.0", "note": "Decodes CVC words."}
        assert client.post(url, data).status_code == 302
        sent = ProviderProgressNote.objects.get()
        school = client_for(sendco)
        page = school.get(reverse("progress:page", args=[ours.public_id])).content.decode()
        assert "From the provider, waiting for you" in page and "Decodes CVC words." in page
        school.post(reverse("progress:provider_progress_decide", args=[sent.public_id, "accept"]))
        sent.refresh_from_db()
        assert sent.status == ProviderProgressNote.Status.ACCEPTED
        assert sent.measurement is not None
        assert Measurement.objects.get(target=target).value == sent.value == sent.measurement.value

    def test_a_reading_in_the_future_and_nothing_to_say_are_named_together(
        self, morning, client_for, provider_staff, ours
    ):
        from reviews.tests.factories import TargetFactory

        target = TargetFactory(placement=ours)
        url = reverse("provider_portal:progress", args=[ours.public_id])
        page = client_for(provider_staff).post(url, {"target": target.pk, "measured_on": "31/12/2026"}).content
        text = unescape(page.decode())
        assert "This date cannot be in the future." in text and "Give a reading, or say what you saw." in text

    def test_the_school_returns_it_with_a_comment_the_provider_sees(
        self, morning, client_for, provider_staff, ours, sendco
    ):
        from reviews.models import ProviderProgressNote
        from reviews.tests.factories import TargetFactory

        target = TargetFactory(placement=ours)
        client = client_for(provider_staff)
        url = reverse("provider_portal:progress", args=[ours.public_id])
        client.post(url, {"target": target.pk, "measured_on": "30/11/2026", "note": "Better week."})
        sent = ProviderProgressNote.objects.get()
        decide = reverse("progress:provider_progress_decide", args=[sent.public_id, "return"])
        school = client_for(sendco)
        school.post(decide, {"school_comment": ""})
        assert ProviderProgressNote.objects.get().status == ProviderProgressNote.Status.SUBMITTED  # a reason is needed
        school.post(decide, {"school_comment": "Which target? Send a reading please."})
        html = client_for(provider_staff).get(url).content.decode()
        assert "Returned with a comment" in html and "Which target? Send a reading please." in html

    def test_a_target_of_another_placement_is_refused(self, morning, client_for, provider_staff, ours):
        from reviews.tests.factories import TargetFactory

        TargetFactory(placement=ours)
        elsewhere = TargetFactory()
        url = reverse("provider_portal:progress", args=[ours.public_id])
        response = client_for(provider_staff).post(
            url, {"target": elsewhere.pk, "measured_on": "30/11/2026", "note": "x"}
        )
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


class TestSigning:
    def test_the_provider_signs_the_kcsie_confirmation_and_the_school_keeps_the_pdf(
        self, morning, client_for, provider_staff, ours, django_assert_max_num_queries
    ):
        from io import BytesIO

        from pypdf import PdfReader

        from audits.models import SafeguardingConfirmation
        from audits.services import KCSIE_STATEMENT_VERSION

        client = client_for(provider_staff)
        with django_assert_max_num_queries(10):
            listing = client.get(reverse("provider_portal:signing")).content.decode()
        assert ours.school.name in listing and "Not signed yet" in listing
        url = reverse("provider_portal:sign_kcsie", args=[ours.provider.public_id])
        checks = [name for name, _label in SafeguardingConfirmation.CHECKS]
        refused = client.post(url, {"checks": checks, "typed_name": "Jo Whitfield", "position": "Head of centre"})
        assert refused.status_code == 200 and not SafeguardingConfirmation.objects.exists()  # must agree
        data = {"checks": checks, "typed_name": "Jo Whitfield", "position": "Head of centre", "agree": "on"}
        assert client.post(url, data, REMOTE_ADDR="203.0.113.7").status_code == 302
        confirmation = SafeguardingConfirmation.objects.get(provider=ours.provider)
        assert confirmation.text_version == KCSIE_STATEMENT_VERSION and confirmation.signed_from_ip == "203.0.113.7"
        assert all(getattr(confirmation, name) for name in checks)
        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(confirmation.signed_copy.read())).pages)
        for expected in ("Jo Whitfield", "Head of centre", KCSIE_STATEMENT_VERSION, "203.0.113.7", ours.school.name):
            assert expected in text

    def test_a_school_not_placing_with_the_provider_is_a_404(self, client_for, provider_staff, school):
        elsewhere = ProviderFactory(school=school)
        response = client_for(provider_staff).get(reverse("provider_portal:sign_kcsie", args=[elsewhere.public_id]))
        assert response.status_code == 404

    def test_the_provider_acknowledges_a_handover_once_and_the_school_keeps_the_pdf(
        self, morning, client_for, provider_staff, ours, sendco
    ):
        from io import BytesIO

        from pypdf import PdfReader

        from placements.services.records import HANDOVER_ACKNOWLEDGEMENT_VERSION

        handover = HandoverFactory(placement=ours)
        client = client_for(provider_staff)
        url = reverse("provider_portal:acknowledge_handover", args=[handover.public_id])
        data = {"typed_name": "Jo Whitfield", "position": "Head of centre", "agree": "on"}
        assert client.post(url, data, REMOTE_ADDR="203.0.113.9").status_code == 302
        handover.refresh_from_db()
        assert handover.acknowledgement_version == HANDOVER_ACKNOWLEDGEMENT_VERSION
        assert client.post(url, data).status_code == 200  # refused: already acknowledged
        school = client_for(sendco)
        assert "signed copy (PDF)" in school.get(ours.get_absolute_url()).content.decode()
        download = school.get(reverse("placements:handover_acknowledgement", args=[handover.public_id]))
        text = PdfReader(BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
        for expected in ("Jo Whitfield", HANDOVER_ACKNOWLEDGEMENT_VERSION, "203.0.113.9", ours.pupil.initials):
            assert expected in text
        assert ours.pupil.legal_last_name not in text
