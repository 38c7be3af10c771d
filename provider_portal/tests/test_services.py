"""The portal's writes: invitations and access, the provider's register and its same-day alerts,
incidents. E-mails go through Django's test outbox here; test_smtp.py sends through real SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apcase.models import Notification, Role
from apcase.tests.factories import MembershipFactory, UserFactory
from audits.models import ProviderAccessEvent, ProviderStaff
from audits.staff import forget_provider_organisations
from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory
from placements.models import AttendanceMark, Incident
from placements.services import attendance_marks_record
from placements.services.attendance import MarkEntry
from provider_portal import services
from provider_portal.models import SameDayAlert
from provider_portal.services import RegisterEntry

pytestmark = pytest.mark.django_db
K = ProviderAccessEvent.Kind


@pytest.fixture
def entry(school, dsl):
    return ProviderFactory(school=school, organisation=ProviderOrganisationFactory(name="Littleton Green"))


def _invite(actor, entry, email="jo@littleton.example"):
    return services.provider_staff_invite(
        actor=actor, provider=entry, first_name="Jo", last_name="Whitfield", email=email, job_title="Head of centre"
    )


class TestInvitations:
    def test_the_dsl_invites_and_the_link_works_once_to_set_a_password(
        self, entry, dsl, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            staff, token = _invite(dsl, entry)
        assert staff.status == ProviderStaff.Status.INVITED and staff.user.is_provider_staff
        assert not staff.user.has_usable_password()
        assert token not in staff.invite_token_hash
        assert len(mail.outbox) == 1 and f"/provider/invitation/{token}/" in mail.outbox[0].body
        services.provider_staff_accept(
            token=token, password="a-long-passphrase-9", password_again="a-long-passphrase-9"
        )
        staff.refresh_from_db()
        assert staff.status == ProviderStaff.Status.ACTIVE and staff.user.check_password("a-long-passphrase-9")
        with pytest.raises(ValidationError, match="expired or has been used"):
            services.provider_staff_accept(
                token=token, password="another-passphrase-1", password_again="another-passphrase-1"
            )
        assert list(staff.access_events.values_list("kind", flat=True).order_by("at", "pk")) == [K.INVITED, K.ACCEPTED]

    def test_the_link_expires_after_72_hours(self, entry, sendco):
        staff, token = _invite(sendco, entry)
        staff.invite_expires_at = timezone.now() - timedelta(seconds=1)
        staff.save()
        with pytest.raises(ValidationError, match="expired"):
            services.provider_staff_accept(
                token=token, password="a-long-passphrase-9", password_again="a-long-passphrase-9"
            )
        assert staff.access_events.filter(kind=K.LINK_REFUSED).exists()
        assert services.provider_staff_for_token(token) is None

    def test_a_weak_or_mistyped_password_is_refused_and_the_link_still_works(self, entry, dsl):
        _staff, token = _invite(dsl, entry)
        with pytest.raises(ValidationError):
            services.provider_staff_accept(token=token, password="a-long-passphrase-9", password_again="different")
        assert services.provider_staff_for_token(token) is not None

    @pytest.mark.parametrize("role", ["head", "teacher", "office", "governor"])
    def test_only_the_dsl_or_sendco_invites(self, request, entry, role):
        with pytest.raises(PermissionDenied):
            _invite(request.getfixturevalue(role), entry)

    def test_a_school_staff_address_is_refused(self, entry, dsl, teacher):
        with pytest.raises(ValidationError, match="school staff"):
            _invite(dsl, entry, email=teacher.email)

    def test_suspend_reinstate_and_remove_are_logged_and_end_access(self, entry, dsl, provider_staff):
        staff = ProviderStaff.objects.get(user=provider_staff)
        entry.organisation = staff.organisation
        entry.save()
        services.provider_staff_suspend(actor=dsl, provider=entry, staff=staff)
        forget_provider_organisations(provider_staff)
        from audits.staff import provider_organisation_ids

        assert provider_organisation_ids(provider_staff) == frozenset()
        services.provider_staff_reinstate(actor=dsl, provider=entry, staff=staff)
        services.provider_staff_remove(actor=dsl, provider=entry, staff=staff)
        kinds = list(staff.access_events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds == [K.SUSPENDED, K.REINSTATED, K.REMOVED]

    def test_a_school_cannot_manage_another_providers_staff(self, entry, dsl, provider_staff):
        staff = ProviderStaff.objects.get(user=provider_staff)
        with pytest.raises(PermissionDenied):
            services.provider_staff_suspend(actor=dsl, provider=entry, staff=staff)


class TestRegister:
    def test_marks_are_recorded_by_the_provider_for_both_schools(self, morning, provider_staff, ours, theirs):
        saved = services.provider_register_record(
            actor=provider_staff,
            day=morning,
            entries=[RegisterEntry(ours, "am", "B", ""), RegisterEntry(theirs, "am", "L", "")],
        )
        assert saved == 2
        marks = AttendanceMark.objects.filter(date=morning).select_related("recorded_by_provider")
        assert {m.recorded_by_provider.name for m in marks} == {"Littleton Green"}

    def test_the_provider_cannot_mark_a_pupil_of_another_provider(self, morning, provider_staff, school):
        from placements.tests.factories import PlacementFactory

        other = PlacementFactory(pupil__school=school, status="active")
        with pytest.raises(PermissionDenied):
            attendance_marks_record(actor=provider_staff, placement=other, entries=[MarkEntry(morning, "am", "B")])

    def test_the_school_corrects_a_provider_mark_only_with_a_reason_and_history_keeps_both(
        self, morning, provider_staff, ours, sendco
    ):
        services.provider_register_record(
            actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "B", "")]
        )
        with pytest.raises(ValidationError, match="give the reason for correcting"):
            attendance_marks_record(actor=sendco, placement=ours, entries=[MarkEntry(morning, "am", "I", "Flu")])
        attendance_marks_record(
            actor=sendco, placement=ours, entries=[MarkEntry(morning, "am", "I", "Flu", "Mother phoned at 9:05")]
        )
        mark = AttendanceMark.objects.get(placement=ours, date=morning, session="am")
        assert mark.code.code == "I" and mark.recorded_by_provider is None
        assert mark.correction_reason == "Mother phoned at 9:05"
        history = mark.history.order_by("history_date").values_list(
            "code__code", "recorded_by_provider__name", "correction_reason", "history_user"
        )
        assert list(history) == [
            ("B", "Littleton Green", "", provider_staff.pk),
            ("I", None, "Mother phoned at 9:05", sendco.pk),
        ]

    def test_the_provider_cannot_overwrite_the_schools_mark(self, morning, provider_staff, ours, sendco):
        attendance_marks_record(actor=sendco, placement=ours, entries=[MarkEntry(morning, "am", "I", "Flu")])
        with pytest.raises(ValidationError) as refused:
            services.provider_register_record(
                actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "B", "")]
            )
        assert "ask the school" in str(refused.value)


class TestSameDayAlerts:
    @pytest.fixture
    def staff_of_school(self, school, sendco, office, dsl):
        return {"sendco": sendco, "office": office, "dsl": dsl}

    def test_absent_without_a_reason_alerts_the_sendco_and_office_at_once_and_only_once(
        self, morning, provider_staff, ours, staff_of_school, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.provider_register_record(
                actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "N", "")]
            )
            services.provider_register_record(
                actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "N", "")]
            )
            services.same_day_alerts_for_unmarked(now=timezone.now() + timedelta(hours=2))
        alert = SameDayAlert.objects.get(placement=ours)  # the other school's pupil is chased as unmarked
        assert alert.kind == SameDayAlert.Kind.ABSENT and not alert.dsl_told
        told = set(Notification.objects.filter(kind="same_day_alert").values_list("user__username", flat=True))
        assert told == {"sendco", "office"}
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [staff_of_school["office"].email, staff_of_school["sendco"].email]
        )
        assert ours.pupil.legal_last_name not in str(mail.outbox[0].subject) + str(mail.outbox[0].body)

    def test_an_absence_with_a_reason_raises_nothing(self, morning, provider_staff, ours, staff_of_school):
        services.provider_register_record(
            actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "I", "Flu")]
        )
        assert not SameDayAlert.objects.exists()

    def test_a_looked_after_pupil_or_one_on_a_cp_plan_alerts_the_dsl_too(
        self, morning, provider_staff, ours, staff_of_school
    ):
        ours.pupil.child_protection_plan = True
        ours.pupil.save()
        services.provider_register_record(
            actor=provider_staff, day=morning, entries=[RegisterEntry(ours, "am", "N", "")]
        )
        told = set(Notification.objects.filter(kind="same_day_alert").values_list("user__username", flat=True))
        assert told == {"sendco", "office", "dsl"}

    def test_unmarked_by_the_cut_off_alerts_once_and_not_before(self, at_time, ours, theirs, staff_of_school):
        at_time(9, 59)
        assert services.same_day_alerts_for_unmarked() == 0
        at_time(10, 0)
        assert services.same_day_alerts_for_unmarked() == 2  # one pupil of each school
        assert services.same_day_alerts_for_unmarked() == 0
        assert set(SameDayAlert.objects.values_list("kind", flat=True)) == {SameDayAlert.Kind.UNMARKED}

    def test_the_cut_off_is_the_schools_own(self, at_time, ours, theirs, school):
        school.attendance_cutoff = school.attendance_cutoff.replace(hour=9, minute=15)
        school.save()
        at_time(9, 20)
        assert services.same_day_alerts_for_unmarked() == 1
        assert SameDayAlert.objects.get().placement == ours

    def test_a_marked_morning_or_a_provider_without_portal_staff_is_not_chased(
        self, at_time, provider_staff, ours, theirs, school
    ):
        from placements.tests.factories import PlacementFactory

        PlacementFactory(pupil__school=school, status="active")  # its provider does not use the portal
        at_time(9, 0)
        services.provider_register_record(
            actor=provider_staff,
            day=ours.start_date.replace(day=1, month=12),
            entries=[RegisterEntry(ours, "am", "B", "")],
        )
        at_time(10, 30)
        assert services.same_day_alerts_for_unmarked() == 1
        assert SameDayAlert.objects.get().placement == theirs


class TestIncidents:
    def test_a_safeguarding_concern_reaches_the_dsl_and_a_serious_one_the_sendco(
        self, morning, provider_staff, ours, dsl, sendco
    ):
        incident = services.provider_incident_report(
            actor=provider_staff,
            placement=ours,
            occurred_at=timezone.now() - timedelta(minutes=20),
            severity=Incident.Severity.SERIOUS,
            description="Disclosed something worrying at break.",
            actions_taken="Followed our procedure; called the school's DSL.",
            safeguarding_concern=True,
        )
        assert incident.reported_by == f"{provider_staff.get_full_name()}, {ours.provider.name}"
        kinds = dict(Notification.objects.values_list("user__username", "kind"))
        assert kinds["dsl"] == "safeguarding_concern" and kinds["sendco"] == "serious_incident"

    def test_a_school_user_with_no_role_in_the_school_cannot_report_for_the_provider(self, morning, ours, other_school):
        stranger = UserFactory()
        MembershipFactory(user=stranger, school=other_school, role=Role.DSL)
        with pytest.raises(PermissionDenied):
            services.provider_incident_report(
                actor=stranger, placement=ours, occurred_at=timezone.now(), severity="low", description="x"
            )
