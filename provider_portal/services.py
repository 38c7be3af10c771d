"""Every write of the provider portal (docs/portal.md): inviting, suspending and removing provider
staff, the provider's register and its same-day alerts, and incidents the provider reports.

Marks and incidents go through the placements services, so the portal records exactly what the
school's own pages record, with the provider staff member as the actor."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apcase.emails import absolute_url, email_send
from apcase.models import Role, School, User
from apcase.services import notification_send, save_tracked
from audits.models import Provider, ProviderAccessEvent, ProviderStaff
from audits.staff import forget_provider_organisations
from placements.models import AttendanceMark, Incident, Placement
from placements.selectors import placements_expected_on
from placements.services import placement_incident_record
from placements.services.attendance import MarkEntry, RegistersRefused, attendance_registers_record
from placements.timetable import Session
from provider_portal.models import SameDayAlert
from pupils.services import staff_of

# The invitation link works once, for 72 hours (issue 16).
INVITATION_VALID_FOR = timedelta(hours=72)
S = ProviderStaff.Status


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _log(staff: ProviderStaff, kind: str, by: User | None, ip: str | None = None) -> None:
    ProviderAccessEvent.objects.create(staff=staff, kind=kind, by=by, ip_address=ip)


# --- Provider staff -------------------------------------------------------------------------------


def _check_manager(actor: User, provider: Provider) -> None:
    if not actor.has_perm("provider_portal.manage_staff", provider):
        raise PermissionDenied("Only the DSL or the SENDCo manages a provider's access to the portal.")


def _provider_user(*, email: str, first_name: str, last_name: str) -> User:
    """The person's account: a new one, or theirs already if another provider invited them. An
    address that belongs to school staff is refused: one account never holds both kinds of access."""
    user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
    if user is not None and not user.is_provider_staff:
        raise ValidationError(
            {"email": "This address belongs to a member of school staff. Use the person's address at the provider."}
        )
    if user is None:
        user = User(username=email, email=email, is_provider_staff=True)
        user.set_unusable_password()
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


@transaction.atomic
def provider_staff_invite(
    *,
    actor: User,
    provider: Provider,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    ip: str | None = None,
) -> tuple[ProviderStaff, str]:
    """Invite a named person at the provider; returns the staff record and the one-time token
    (e-mailed as a link once the transaction commits)."""
    _check_manager(actor, provider)
    if provider.organisation_id is None:
        raise ValidationError("Only an off-site provider can use the portal.")
    email = email.strip().lower()
    user = _provider_user(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    staff = ProviderStaff.objects.filter(organisation=provider.organisation, user=user).first()
    if staff is not None and staff.status == S.ACTIVE:
        raise ValidationError({"email": f"{user} already uses the portal for {provider.organisation}."})
    staff = staff or ProviderStaff(organisation=provider.organisation, user=user)
    token = secrets.token_urlsafe(32)
    staff.job_title, staff.status, staff.invited_by, staff.invited_from = job_title.strip(), S.INVITED, actor, provider
    staff.invite_token_hash, staff.invite_expires_at = token_hash(token), timezone.now() + INVITATION_VALID_FOR
    save_tracked(staff, actor)
    _log(staff, ProviderAccessEvent.Kind.INVITED, actor, ip)
    link = absolute_url(reverse("provider_portal:accept", kwargs={"token": token}))
    context = {"staff": staff, "school": provider.school, "link": link, "hours": 72}
    transaction.on_commit(lambda: email_send(to=[email], template="provider_invitation", context=context))
    return staff, token


def provider_staff_for_token(token: str) -> ProviderStaff | None:
    """The invitation a link stands for, while it is unused and unexpired."""
    staff = (
        ProviderStaff.objects.select_related("user", "organisation").filter(invite_token_hash=token_hash(token)).first()
    )
    if staff is None or staff.status != S.INVITED or staff.invite_expires_at < timezone.now():
        return None
    return staff


def provider_staff_accept(*, token: str, password: str, password_again: str, ip: str | None = None) -> ProviderStaff:
    """The invited person sets their password; the link is spent. An expired or used link is
    refused, and the refusal logged when the link names a person (outside the refused write)."""
    refused = ValidationError("This invitation link has expired or has been used. Ask the school to send a new one.")
    with transaction.atomic():
        staff = ProviderStaff.objects.select_for_update().filter(invite_token_hash=token_hash(token)).first()
        if staff is not None and staff.status == S.INVITED and staff.invite_expires_at >= timezone.now():
            return _accept(staff, password, password_again, ip)
    if staff is not None:
        _log(staff, ProviderAccessEvent.Kind.LINK_REFUSED, None, ip)
    raise refused


def _accept(staff: ProviderStaff, password: str, password_again: str, ip: str | None) -> ProviderStaff:
    if password != password_again:
        raise ValidationError({"password_again": "The two passwords are different."})
    user = staff.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.is_active = True
    user.save()
    staff.status, staff.accepted_at = S.ACTIVE, timezone.now()
    staff.invite_token_hash, staff.invite_expires_at = "", None
    save_tracked(staff, user)
    _log(staff, ProviderAccessEvent.Kind.ACCEPTED, user, ip)
    return staff


def _change_status(
    staff: ProviderStaff, actor: User, provider: Provider, status: str, kind: str, ip: str | None
) -> ProviderStaff:
    """Any school that lists the provider body may change its staff's access (from its own entry)."""
    _check_manager(actor, provider)
    if staff.organisation_id != provider.organisation_id:
        raise PermissionDenied("This person works for another provider.")
    staff.status = status
    staff.invite_token_hash, staff.invite_expires_at = "", None
    save_tracked(staff, actor)
    _log(staff, kind, actor, ip)
    forget_provider_organisations(staff.user)
    return staff


@transaction.atomic
def provider_staff_suspend(
    *, actor: User, provider: Provider, staff: ProviderStaff, ip: str | None = None
) -> ProviderStaff:
    if not staff.can_be_suspended:
        raise ValidationError("Only a person with access or an open invitation can be suspended.")
    return _change_status(staff, actor, provider, S.SUSPENDED, ProviderAccessEvent.Kind.SUSPENDED, ip)


@transaction.atomic
def provider_staff_reinstate(
    *, actor: User, provider: Provider, staff: ProviderStaff, ip: str | None = None
) -> ProviderStaff:
    if not staff.can_be_reinstated or staff.accepted_at is None:
        raise ValidationError(
            "Only a suspended person who had accepted the invitation can be reinstated; invite them again."
        )
    return _change_status(staff, actor, provider, S.ACTIVE, ProviderAccessEvent.Kind.REINSTATED, ip)


@transaction.atomic
def provider_staff_remove(
    *, actor: User, provider: Provider, staff: ProviderStaff, ip: str | None = None
) -> ProviderStaff:
    if staff.status == S.REMOVED:
        raise ValidationError("They have already been removed.")
    return _change_status(staff, actor, provider, S.REMOVED, ProviderAccessEvent.Kind.REMOVED, ip)


# --- The register and its same-day alerts ----------------------------------------------------------


def _is_absent_without_reason(mark: AttendanceMark) -> bool:
    return mark.code.is_absence and not mark.reason.strip()


def _alert_recipients(placement: Placement, dsl_too: bool) -> list[User]:
    roles = [Role.SENDCO, Role.OFFICE] + ([Role.DSL] if dsl_too else [])
    return list(staff_of(placement.school, roles))


def same_day_alert_raise(*, placement: Placement, day: date, session: str, kind: str) -> SameDayAlert | None:
    """Raise the alert for this session unless it was raised already (then None): an urgent to-do
    for the SENDCo and office, and an e-mail to each at once; the DSL too for a pupil on a child
    protection plan or looked after. The unique constraint makes it exactly once, even when two
    checks race."""
    pupil = placement.pupil
    dsl_too = pupil.child_protection_plan or pupil.looked_after
    try:
        with transaction.atomic():
            alert = SameDayAlert.objects.create(
                placement=placement, date=day, session=session, kind=kind, dsl_told=dsl_too
            )
    except IntegrityError:
        return None
    label = Session(session).label.lower()
    title = f"{pupil.initials} {SameDayAlert.Kind(kind).label} at {placement.provider.name} this {label}"
    for user in _alert_recipients(placement, dsl_too):
        notification_send(
            user=user, title=title, link=placement.get_absolute_url(), kind="same_day_alert", school=placement.school
        )
    return alert


@dataclass(frozen=True)
class RegisterEntry:
    placement: Placement
    session: str
    code: str
    reason: str

    @property
    def key(self) -> str:
        return f"{self.placement.public_id}-{self.session}"


@transaction.atomic
def provider_register_record(*, actor: User, day: date, entries: list[RegisterEntry]) -> int:
    """Record the provider's marks for the day, all placements at once, through the placements'
    attendance service; an absence without a reason raises its same-day alert. Nothing is saved if
    any entry is wrong: the ValidationError maps each entry's key to what is wrong."""
    if not entries:
        return 0  # saved again unchanged: nothing to check, write or alert
    by_placement: dict[Placement, list[RegisterEntry]] = {}
    for entry in entries:
        by_placement.setdefault(entry.placement, []).append(entry)
    marks = {
        placement: [MarkEntry(day, entry.session, entry.code, entry.reason) for entry in group]
        for placement, group in by_placement.items()
    }
    try:
        results = attendance_registers_record(actor=actor, entries=marks)
    except RegistersRefused as refused:
        problems: dict[str, str] = {}
        for placement, group in by_placement.items():
            if placement.pk in refused.problems:
                problems.update(_problems_by_entry(group, day, refused.problems[placement.pk]))
        raise ValidationError(problems) from None
    _alert_absences(day, entries)
    return sum(result.saved for result in results.values())


def _problems_by_entry(group: list[RegisterEntry], day: date, error: ValidationError) -> dict[str, str]:
    if not hasattr(error, "error_dict"):
        return {group[0].key: " ".join(error.messages)}
    by_mark_key = {f"{day:%Y-%m-%d}-{entry.session}": entry.key for entry in group}
    return {by_mark_key.get(key, group[0].key): " ".join(messages) for key, messages in error.message_dict.items()}


def _alert_absences(day: date, entries: list[RegisterEntry]) -> None:
    placements = {entry.placement.pk: entry.placement for entry in entries}
    marks = AttendanceMark.objects.filter(placement_id__in=placements, date=day).select_related("code")
    for mark in marks:
        if _is_absent_without_reason(mark):
            same_day_alert_raise(
                placement=placements[mark.placement_id], day=day, session=mark.session, kind=SameDayAlert.Kind.ABSENT
            )


def same_day_alerts_for_unmarked(*, now: datetime | None = None) -> int:
    """The cut-off check (Celery beat every five minutes, or `manage.py same_day_alerts`): every
    pupil expected this morning at a provider that uses the portal, in a school whose morning
    cut-off has passed, with no morning mark, raises its alert (once). Returns how many it raised."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    schools = School.objects.filter(attendance_cutoff__lte=now.time())
    placements = Placement.objects.filter(school__in=schools, provider__organisation__staff__status=S.ACTIVE).distinct()
    expected = [item.placement for item in placements_expected_on(placements, today) if Session.AM in item.sessions]
    marked = set(
        AttendanceMark.objects.filter(placement__in=expected, date=today, session=Session.AM).values_list(
            "placement_id", flat=True
        )
    )
    raised = 0
    for placement in expected:
        if placement.pk not in marked and same_day_alert_raise(
            placement=placement, day=today, session=Session.AM, kind=SameDayAlert.Kind.UNMARKED
        ):
            raised += 1
    return raised


# --- Incidents ----------------------------------------------------------------------------------


def provider_incident_report(
    *,
    actor: User,
    placement: Placement,
    occurred_at: datetime,
    severity: str,
    description: str,
    actions_taken: str = "",
    safeguarding_concern: bool = False,
) -> Incident:
    """An incident the provider records itself: the placements' service tells the DSL of a
    safeguarding concern and the SENDCo of a serious incident at once, as for the school's own."""
    return placement_incident_record(
        actor=actor,
        placement=placement,
        occurred_at=occurred_at,
        severity=severity,
        description=description,
        reported_by=f"{actor.get_full_name()}, {placement.provider.name}",
        actions_taken=actions_taken,
        safeguarding_concern=safeguarding_concern,
    )
