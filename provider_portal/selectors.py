"""Every read of the provider portal, scoped to the provider person asking (docs/portal.md):
only placements in force with their organisation, from every school, each school apart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from apcase.models import School, User
from audits.models import (
    Provider,
    ProviderAccessEvent,
    ProviderOrganisation,
    ProviderStaff,
    SafeguardingConfirmation,
)
from audits.staff import provider_organisation_ids
from placements.models import AttendanceCode, AttendanceMark, Handover, Placement
from placements.selectors import placements_expected_on
from placements.timetable import Session
from reviews.models import ProviderProgressNote, ReviewMeeting, Target

# What the provider may enter (issue 16: present, late, and the absence codes with a reason):
# present is the placement's own code (B off-site); the school decides the rest from these.
PROVIDER_CODES = ("B", "L", "U", "I", "M", "C", "O", "N")


def portal_placements(user: User) -> QuerySet[Placement]:
    return Placement.objects.for_provider_staff(user)


def portal_access_lapsed(user: User) -> bool:
    """True while no school has a placement in force with any organisation the person is active
    staff of: signing in is refused and an open session ends (docs/portal.md). False for anyone
    with no current provider role, whom the portal's scoping already refuses."""
    organisations = provider_organisation_ids(user)
    return bool(organisations) and not Placement.objects.with_provider_organisations(organisations).exists()


def portal_organisations(user: User) -> list[ProviderOrganisation]:
    return list(ProviderOrganisation.objects.filter(pk__in=provider_organisation_ids(user)))


class CodeChoices:
    """The register's choices, escaped once per page: 120 selects rendered as template loops took
    most of the page's time (bench/results/portal.md)."""

    def __init__(self, codes: list[AttendanceCode]):
        self.codes = codes
        self._options = [(code.code, format_html("{} — {}</option>", code.code, code.description)) for code in codes]

    def options(self, chosen: str, blank: str) -> str:
        parts = [format_html('<option value="">{}</option>', blank)]
        for value, text in self._options:
            parts.append(format_html('<option value="{}"{}>', value, " selected" if value == chosen else "") + text)
        return mark_safe("".join(parts))  # every part went through format_html


def provider_codes() -> CodeChoices:
    codes = {c.code: c for c in AttendanceCode.objects.filter(code__in=PROVIDER_CODES, is_active=True)}
    return CodeChoices(
        [codes[code] for code in PROVIDER_CODES if code in codes and codes[code].allowed_for_school_placements]
    )


@dataclass
class RegisterRow:
    placement: Placement
    sessions: tuple[str, ...]
    marks: dict[str, AttendanceMark] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, str, AttendanceMark | None]]:
        """(session, its label, its mark) for each expected session, morning first."""
        return [(session, Session(session).label, self.marks.get(session)) for session in self.sessions]


@dataclass
class SchoolRegister:
    school: School
    rows: list[RegisterRow]


def provider_register(*, user: User, day: date) -> list[SchoolRegister]:
    """The day's register: every pupil expected at the user's provider(s), grouped by school (each
    school's pupils apart), with the marks already made. Three queries and each school's calendar."""
    expected = placements_expected_on(portal_placements(user), day)
    marks = AttendanceMark.objects.filter(placement__in=[e.placement for e in expected], date=day).select_related(
        "code", "recorded_by_provider"
    )
    by_placement: dict[int, dict[str, AttendanceMark]] = defaultdict(dict)
    for mark in marks:
        by_placement[mark.placement_id][mark.session] = mark
    schools: dict[int, SchoolRegister] = {}
    for item in expected:
        placement = item.placement
        register = schools.setdefault(placement.school_id, SchoolRegister(placement.school, []))
        register.rows.append(RegisterRow(placement, item.sessions, by_placement[placement.pk]))
    for register in schools.values():
        register.rows.sort(key=lambda row: (row.placement.pupil.display_name.lower(), row.placement.pk))
    return sorted(schools.values(), key=lambda register: register.school.name)


def portal_pupils(*, user: User) -> QuerySet[Placement]:
    """Every placement in force with the user's provider(s), for the pupils page."""
    return (
        portal_placements(user)
        .select_related("school", "pupil", "provider", "site")
        .order_by("school__name", "pupil__legal_last_name", "pupil__legal_first_name")
    )


def portal_handovers(placement: Placement) -> list[Handover]:
    """The handovers the school chose to share in the portal, with only the contacts it chose."""
    return list(
        placement.handovers.filter(shared_in_portal=True)
        .select_related("shared_by")
        .prefetch_related("emergency_contacts")
        .order_by("-shared_on", "-recorded_at")
    )


def portal_targets(placement: Placement) -> list[Target]:
    return list(placement.targets.order_by("area", "pk"))


def provider_staff_list(provider) -> list[tuple[ProviderStaff, str]]:
    """Everyone with (or once given) portal access for this provider body, for a school's page,
    each with the state the school sees ("Lapsed" while no school places a pupil there)."""
    has_pupils = Placement.objects.with_provider_organisations([provider.organisation_id]).exists()
    staff = (
        ProviderStaff.objects.filter(organisation_id=provider.organisation_id)
        .select_related("user", "invited_by", "invited_from__school")
        .order_by("status", "user__last_name", "user__first_name")
    )
    return [(member, member.state_label(has_pupils=has_pupils)) for member in staff]


def provider_access_log(provider, limit: int = 50) -> QuerySet[ProviderAccessEvent]:
    return (
        ProviderAccessEvent.objects.filter(staff__organisation_id=provider.organisation_id)
        .select_related("staff__user", "by")
        .order_by("-at")[:limit]
    )


def portal_reviews_to_report(placement: Placement) -> list[ReviewMeeting]:
    """The placement's reviews still to be held, for which the provider may send its report."""
    return list(
        placement.reviews.filter(status=ReviewMeeting.Status.SCHEDULED)
        .prefetch_related("provider_reports")
        .order_by("due_on")
    )


def portal_progress_sent(placement: Placement) -> list[ProviderProgressNote]:
    """What the provider sent for this placement's targets, newest first, with the school's answer."""
    return list(
        ProviderProgressNote.objects.filter(target__placement=placement)
        .select_related("target")
        .order_by("-measured_on", "-submitted_at")[:50]
    )


def portal_directory_entries(user: User) -> list[Provider]:
    """Each school's directory entry for the user's provider, of the schools placing pupils with it
    now, with its confirmations newest first (for signing the KCSIE confirmation per school)."""
    return list(
        Provider.objects.filter(pk__in=portal_placements(user).values("provider_id"))
        .select_related("school", "organisation")
        .prefetch_related(Prefetch("confirmations", queryset=SafeguardingConfirmation.objects.order_by("-signed_on")))
        .order_by("school__name")
    )


def portal_directory_entry(user: User, public_id) -> Provider:
    for entry in portal_directory_entries(user):
        if str(entry.public_id) == str(public_id):
            return entry
    raise Http404("No school places pupils with you under this entry.")
