"""Every read the pupil, referral and approval pages need, scoped to the user asking.

Visibility rules are explained in pupils/permissions.py; the list filters here follow them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apcase.access import roles_by_school, school_ids_for
from apcase.calendar import CalendarGap, SchoolCalendar
from apcase.models import Role, School, User
from pupils.approvals import DecisionCheck, Facts, approval_kind
from pupils.models import Approval, CaseEvent, ParentMeeting, Pupil, Referral
from pupils.upn import upn_normalise

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CaseStatus(TypedDict):
    case_status: str | None


SEES_EVERY_PUPIL = {Role.SENDCO, Role.HEAD, Role.DSL, Role.OFFICE}
NO_CASE = "none"


# --- Pupils -------------------------------------------------------------------------------------


def _name_search(queryset: QuerySet[Pupil], search: str) -> QuerySet[Pupil]:
    """Every word must match a name (legal or preferred); a whole UPN matches exactly."""
    search = search.strip()
    if not search:
        return queryset
    upn = upn_normalise(search)
    if len(upn) == 13 and upn[1:12].isdigit():
        return queryset.filter(upn=upn)
    for word in search.split():
        queryset = queryset.filter(
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
            | Q(upn__istartswith=word)
        )
    return queryset


def with_case_status(queryset: QuerySet[Pupil]) -> QuerySet[WithAnnotations[Pupil, CaseStatus]]:
    """Annotate case_status: the status of the pupil's latest referral that was not withdrawn."""
    latest = (
        Referral.objects.filter(pupil=OuterRef("pk"))
        .exclude(status=Referral.Status.WITHDRAWN)
        .order_by("-raised_at", "-id")
        .values("status")[:1]
    )
    return queryset.annotate(case_status=Subquery(latest))


def sees_every_pupil(*, user: User, school: School) -> bool:
    return bool(roles_by_school(user).get(school.pk, frozenset()) & SEES_EVERY_PUPIL)


def pupil_list_for_user(
    *, user: User, school: School, search: str = "", year: str = "", sen: str = "", case_status: str = ""
) -> QuerySet[WithAnnotations[Pupil, CaseStatus]]:
    """Pupils on roll in the school the user is working in; a teacher sees only their own."""
    queryset = Pupil.objects.for_user(user).filter(school=school).on_roll()
    if not sees_every_pupil(user=user, school=school):
        queryset = queryset.filter(Q(class_teacher=user) | Q(pk__in=_key_adult_of(user)))
    queryset = _name_search(queryset, search)
    if year:
        queryset = queryset.filter(year_group=year)
    if sen:
        queryset = queryset.filter(sen_provision=sen)
    queryset = with_case_status(queryset).select_related("class_teacher")
    if case_status == NO_CASE:
        queryset = queryset.filter(case_status=None)
    elif case_status:
        queryset = queryset.filter(case_status=case_status)
    return queryset.order_by("legal_last_name", "legal_first_name", "pk")


def _key_adult_of(user: User) -> QuerySet:
    return Pupil.key_adults.through.objects.filter(user=user).values("pupil_id")


def pupil_search_for_referral(*, user: User, school: School, search: str, limit: int = 20) -> list[Pupil]:
    """The pupil picker on a new Cause for Concern: any pupil on roll, name/year/class only."""
    if len(search.strip()) < 2:
        return []
    queryset = Pupil.objects.for_user(user).filter(school=school).on_roll()
    return list(_name_search(queryset, search).only(*PICKER_FIELDS)[:limit])


PICKER_FIELDS = (
    "public_id",
    "school_id",
    "upn",
    "legal_first_name",
    "legal_last_name",
    "preferred_first_name",
    "preferred_last_name",
    "year_group",
    "registration_group",
)


def pupil_profile_queryset() -> QuerySet[Pupil]:
    return Pupil.objects.select_related("school", "class_teacher").prefetch_related("key_adults", "contacts")


def pupil_case_status(*, pupil: Pupil) -> str | None:
    return with_case_status(Pupil.objects.filter(pk=pupil.pk)).values_list("case_status", flat=True).first()


def pupil_chronology(*, pupil: Pupil, kind: str = "") -> list[CaseEvent]:
    """The pupil's case, newest first, in one query."""
    events = CaseEvent.objects.filter(pupil=pupil).select_related("actor").order_by("-occurred_at", "-id")
    if kind:
        events = events.filter(kind=kind)
    return list(events)


# --- Referrals ----------------------------------------------------------------------------------


def _referral_visibility(user: User) -> Q:
    visible = Q(raised_by=user)
    visible |= Q(school_id__in=school_ids_for(user, [Role.SENDCO, Role.HEAD]))
    visible |= Q(school_id__in=school_ids_for(user, [Role.DSL]), safeguarding_concern=True)
    return visible


def referral_list_for_user(
    *, user: User, status: str = "", search: str = "", flagged: bool = False
) -> QuerySet[Referral]:
    queryset = Referral.objects.for_user(user).filter(_referral_visibility(user))
    if status:
        queryset = queryset.filter(status=status)
    if flagged:
        queryset = queryset.filter(safeguarding_concern=True)
    if search:
        queryset = queryset.filter(pupil__in=_name_search(Pupil.objects.all(), search))
    return queryset.select_related("pupil", "raised_by").order_by("-raised_at", "-id")


def referral_detail_queryset() -> QuerySet[Referral]:
    return Referral.objects.select_related("pupil__school", "raised_by", "school")


def referral_parts(*, referral: Referral) -> dict:
    """Meetings, evidence files, approvals and chronology steps of one referral (four queries)."""
    return {
        "events": list(
            CaseEvent.objects.filter(pupil_id=referral.pupil_id, link=referral.get_absolute_url())
            .select_related("actor")
            .order_by("-occurred_at", "-id")
        ),
        "meetings": list(referral.meetings.select_related("recorded_by")),
        "attachments": list(referral.attachments.select_related("uploaded_by")),
        "approvals": list(
            Approval.objects.filter(
                object_id=referral.pk, content_type__app_label="pupils", content_type__model="referral"
            )
            .select_related("requested_by", "decided_by")
            .order_by("-requested_at")
        ),
    }


def referral_approval_blockers(*, referral: Referral) -> list[str]:
    """What must be in place before the headteacher is asked to decide (empty when ready)."""
    R = Referral.Recommendation
    errors = []
    if not referral.recommendation:
        return ["Record your recommendation in the review first."]
    if referral.recommendation == R.NO_AP and not referral.recommendation_reasons.strip():
        errors.append("Give the reasons for recommending no AP.")
    needs_meeting = referral.recommendation in (R.OFFSITE_AP, R.MANAGED_MOVE)
    meeting = referral.meetings.order_by("-held_at").first()
    if needs_meeting and meeting is None:
        errors.append("Record the meeting with the parents or carers before asking for a decision.")
    if meeting is not None:
        A = ParentMeeting.Agreement
        if referral.recommendation == R.MANAGED_MOVE and meeting.agreement != A.AGREE:
            errors.append("A managed move needs the parents' agreement, and the last meeting does not record it.")
        if meeting.agreement == A.NOT_REQUIRED and referral.recommendation != R.OFFSITE_AP:
            errors.append(
                "Parents' agreement is “not required” only for a direction off-site; record their agreement "
                "or change the recommendation."
            )
    return errors


def referral_approval_facts(referral: Referral) -> Facts:
    """What the headteacher needs on one screen to decide a Cause for Concern."""
    pupil = referral.pupil
    meetings = list(referral.meetings.all())  # prefetched, newest first
    meeting = meetings[0] if meetings else None
    facts = [
        ("Pupil", f"{pupil.display_name}, Year {pupil.year_group} ({pupil.registration_group or 'no class'})"),
        ("SEN", pupil.get_sen_provision_display() + (f", {pupil.primary_need}" if pupil.primary_need else "")),
        ("Recommendation", referral.get_recommendation_display()),
        ("SENDCo's reasons", referral.recommendation_reasons or "—"),
        ("Reasons raised", "; ".join(referral.reason_labels) or "—"),
        ("Raised by", f"{referral.raised_by} on {timezone.localtime(referral.raised_at):%d/%m/%Y}"),
    ]
    if meeting is not None:
        facts.append(("Parents", meeting.get_agreement_display()))
        if meeting.alternative_to_exclusion:
            facts.append(("Alternative to exclusion", "Yes, and made clear to the parents"))
    else:
        facts.append(("Parents", "No meeting recorded"))
    return facts


REFERRAL_SUBJECTS = Referral.objects.select_related("pupil", "raised_by").prefetch_related("meetings")


# --- Approvals inbox ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    approval: Approval
    label: str
    facts: Facts
    link: str
    waiting_days: int
    waiting_unit: str  # "school day" when the school's calendar covers the wait, else "day"
    check: DecisionCheck | None = None  # what the head must answer to approve it today


def approvals_pending_for_user(*, user: User, with_facts: bool = True) -> list[InboxItem]:
    """Requests waiting in the schools where the user is a headteacher, oldest first. Without
    facts (a summary, as on the dashboard) the subjects are not loaded: a query fewer a kind."""
    approvals = list(
        Approval.objects.filter(school_id__in=school_ids_for(user, [Role.HEAD]), status=Approval.Status.PENDING)
        .select_related("pupil", "requested_by", "school")
        .order_by("requested_at", "pk")
    )
    if with_facts:
        _attach_subjects(approvals)
    today = timezone.localdate()
    calendars: dict[int, SchoolCalendar] = {}
    items = []
    for approval in approvals:
        if approval.school_id not in calendars:
            calendars[approval.school_id] = SchoolCalendar.for_school(approval.school)
        calendar = calendars[approval.school_id]
        days, unit = _waiting(calendar, timezone.localtime(approval.requested_at), today)
        kind = approval_kind(approval.kind)
        facts, link, check = [], "", None
        if with_facts:
            facts, get_url = kind.facts(approval.subject), getattr(approval.subject, "get_absolute_url", None)
            link, check = get_url() if get_url else "", kind.check_for(approval.subject, today)
        items.append(InboxItem(approval, kind.label, facts, link, days, unit, check))
    return items


def _waiting(calendar: SchoolCalendar, requested: datetime, today) -> tuple[int, str]:
    try:
        return calendar.school_days_between(requested.date(), today), "school day"
    except CalendarGap:
        return (today - requested.date()).days, "day"


def _attach_subjects(approvals: list[Approval]) -> None:
    """Load every subject with one query per kind (the kind's own queryset), not one per row."""
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for approval in approvals:
        ids_by_kind[approval.kind].add(approval.object_id)
    loaded = {}
    for kind, ids in ids_by_kind.items():
        entry = approval_kind(kind)
        queryset = entry.subject_queryset
        if queryset is None:
            content_type_id = next(a.content_type_id for a in approvals if a.kind == kind)
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            assert model is not None, f"the approval kind {kind} is about a model that no longer exists"
            queryset = model._default_manager.all()
        loaded[kind] = queryset.all().in_bulk(ids)
    for approval in approvals:
        approval.subject = loaded[approval.kind][approval.object_id]


def approvals_recently_decided_for_user(*, user: User, limit: int = 10) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(school_id__in=school_ids_for(user, [Role.HEAD]))
        .exclude(status=Approval.Status.PENDING)
        .select_related("pupil", "requested_by", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


# --- Privacy --------------------------------------------------------------------------------


def record_access_for_pupil(*, pupil: Pupil):
    """Every logged opening of the pupil's record or of any record about them, newest first."""
    from apcase.models import RecordAccess
    from pupils.records import records_about

    id_lists = [
        queryset.order_by().values_list("public_id", flat=True)
        for record_type, queryset in records_about(pupil)
        if record_type.pupil_lookup and any(f.name == "public_id" for f in record_type.model._meta.fields)
    ]
    # One query for every record type's ids, however many apps keep records about pupils.
    ids = [pupil.public_id, *id_lists[0].union(*id_lists[1:], all=True)] if id_lists else [pupil.public_id]
    return RecordAccess.objects.filter(object_id__in=ids).select_related("user", "content_type").order_by("-at")
