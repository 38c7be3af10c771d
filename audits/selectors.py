"""Reads for the provider directory, provider records, audits and the DSL's queue, each scoped to
the user asking. Clearance for placements is judged here from the records, never stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from apcase.models import LocalAuthority, School, User
from audits.models import (
    RISK_ASSESSMENT_VALIDITY_MONTHS,
    Audit,
    AuditAnswer,
    AuditSection,
    CheckReliance,
    FurtherAction,
    LAQualityVisit,
    Provider,
    ProviderOrganisation,
    ProviderSite,
    SafeguardingConfirmation,
    add_months,
)
from audits.permissions import PROVIDER_ROLES

# --- Cleared for placements -------------------------------------------------------------------


@dataclass(frozen=True)
class ClearanceItem:
    label: str
    ok: bool
    detail: str  # what was found when ok; otherwise the sentence saying what is missing


@dataclass(frozen=True)
class Clearance:
    cleared: bool
    items: list[ClearanceItem]

    @property
    def missing(self) -> list[str]:
        """What stops placements, one sentence each (the placement approval gate shows these)."""
        return [item.detail for item in self.items if not item.ok]


@dataclass
class _Evidence:
    """The records a provider's clearance is judged on (newest first)."""

    confirmations: list[SafeguardingConfirmation] = field(default_factory=list)
    audits: list[Audit] = field(default_factory=list)  # completed and draft
    overdue_blocking_actions: list[FurtherAction] = field(default_factory=list)


def _uk(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _evidence_for(providers: Sequence[Provider], on: date) -> dict[int, _Evidence]:
    """Three queries whatever the number of providers (none when every one is internal: an on-site
    provision is judged on its own record). A provider's confirmations and audits come with those
    its school relies on from another school of its trust, in the same query."""
    evidence = {provider.pk: _Evidence() for provider in providers}
    if all(provider.is_internal for provider in providers):
        return evidence
    confirmations = (
        SafeguardingConfirmation.objects.filter(Q(provider__in=evidence) | Q(relied_on_by__provider__in=evidence))
        .annotate(relied_on_by_provider=F("relied_on_by__provider_id"))
        .select_related("provider__school")
        .order_by("-signed_on", "-created_at")
    )
    _collect(evidence, confirmations, "confirmations", relied_on=lambda confirmation: True)
    audits = (
        Audit.objects.filter(
            Q(provider__in=evidence, status__in=[Audit.Status.COMPLETED, Audit.Status.DRAFT])
            | Q(relied_on_by__provider__in=evidence, status=Audit.Status.COMPLETED)
        )
        .annotate(relied_on_by_provider=F("relied_on_by__provider_id"))
        .select_related("provider__school", "signed_off_by")
        .order_by("-visit_date", "-version")
    )
    _collect(evidence, audits, "audits", relied_on=lambda audit: audit.status == Audit.Status.COMPLETED)
    overdue = (
        FurtherAction.objects.filter(
            answer__audit__provider__in=evidence,
            answer__audit__status=Audit.Status.COMPLETED,
            blocking=True,
            done_on__isnull=True,
            due_on__lt=on,
        )
        .select_related("answer__audit")
        .order_by("due_on")
    )
    for action in overdue:
        evidence[action.answer.audit.provider_id].overdue_blocking_actions.append(action)
    return evidence


def _collect(evidence: dict[int, _Evidence], checks, kind: str, relied_on: Callable[[Any], bool]) -> None:
    """File each check, newest first, under its own provider and under each provider whose school
    relies on it, if it may be relied on (a row per reliance: a check relied on twice comes twice)."""
    filed: set[tuple[int, int]] = set()
    for check in checks:
        owners = [check.provider_id] + ([check.relied_on_by_provider] if relied_on(check) else [])
        for provider_id in owners:
            if provider_id in evidence and (provider_id, check.pk) not in filed:
                filed.add((provider_id, check.pk))
                getattr(evidence[provider_id], kind).append(check)


def _made_by(provider: Provider, check) -> str:
    """ " Relied on <school>'s check." when the check is another school's (docs/oversight.md)."""
    if check.provider_id == provider.pk:
        return ""
    return f" Relied on {check.provider.school.name}'s check."


def _registration_item(provider: Provider) -> ClearanceItem:
    if provider.registration_checked_on is None:
        return ClearanceItem("Registration checked", False, "Registration has not been checked.")
    checker = provider.registration_checked_by or "someone no longer on the system"
    detail = f"Checked by {checker} on {_uk(provider.registration_checked_on)}: {provider.registration_summary}."
    return ClearanceItem("Registration checked", True, detail)


def _confirmation_item(provider: Provider, confirmations: list[SafeguardingConfirmation], on: date) -> ClearanceItem:
    label = "Safeguarding confirmation"
    valid = [c for c in confirmations if c.is_valid_on(on)]
    if valid:
        best = max(valid, key=lambda c: c.expires_on)
        detail = (
            f"Signed by {best.confirmed_by_name} ({best.confirmed_by_position}) on {_uk(best.signed_on)}; "
            f"expires on {_uk(best.expires_on)}." + _made_by(provider, best)
        )
        return ClearanceItem(label, True, detail)
    months = provider.school.confirmation_validity_months
    if not confirmations:
        return ClearanceItem(label, False, "No signed safeguarding confirmation has been recorded.")
    latest = confirmations[0]
    if not latest.is_complete:
        missing = "; ".join(check.lower() for check in latest.missing_checks)
        detail = f"The safeguarding confirmation signed on {_uk(latest.signed_on)} does not confirm: {missing}."
        return ClearanceItem(label, False, detail)
    detail = (
        f"No signed safeguarding confirmation within its {months}-month validity "
        f"(the last one expired on {_uk(latest.expires_on)})."
    )
    return ClearanceItem(label, False, detail)


def _audit_item(provider: Provider, audits: list[Audit], on: date) -> ClearanceItem:
    label = "Audit judged suitable"
    completed = [a for a in audits if a.status == Audit.Status.COMPLETED]
    drafts = [a for a in audits if a.is_draft]
    in_draft = f" An audit (visit on {_uk(drafts[0].visit_date)}) is in draft." if drafts else ""
    if not completed:
        return ClearanceItem(label, False, "No audit has been completed." + in_draft)
    latest = completed[0]
    visit, expires_on = _uk(latest.visit_date), latest.expires_on
    assert expires_on is not None  # sign-off sets it
    if not latest.suitable:
        return ClearanceItem(label, False, f"The last audit (visit on {visit}) judged the provider not suitable.")
    if expires_on <= on:
        detail = (
            f"No completed audit judged suitable within the last 12 months "
            f"(the last one, visit on {visit}, expired on {_uk(expires_on)})." + in_draft
        )
        return ClearanceItem(label, False, detail)
    detail = f"Visit on {visit}, signed off by {latest.signed_off_by}; due again by {_uk(expires_on)}."
    return ClearanceItem(label, True, detail + _made_by(provider, latest))


def _actions_item(overdue: list[FurtherAction]) -> ClearanceItem:
    label = "No overdue blocking actions"
    if not overdue:
        return ClearanceItem(label, True, "No blocking further action is overdue.")
    listed = "; ".join(f"{Truncator(a.description.rstrip('.')).chars(80)} (due {_uk(a.due_on)})" for a in overdue)
    count = f"{len(overdue)} blocking further action{'s are' if len(overdue) > 1 else ' is'} overdue"
    return ClearanceItem(label, False, f"{count}: {listed}.")


def _agreement_item(provider: Provider, on: date) -> ClearanceItem:
    """Where the school's AP policy asks for one (docs/oversight.md): a signed commissioning agreement
    whose dates cover the day."""
    label = "Commissioning agreement in force"
    starts, ends = provider.agreement_starts_on, provider.agreement_ends_on
    if not provider.agreement_document or starts is None or ends is None:
        return ClearanceItem(label, False, "No signed commissioning agreement with its dates is recorded.")
    if not starts <= on <= ends:
        when = f"ended on {_uk(ends)}" if ends < on else f"starts on {_uk(starts)}"
        return ClearanceItem(label, False, f"The commissioning agreement {when}.")
    return ClearanceItem(label, True, f"From {_uk(starts)} to {_uk(ends)}.")


def _internal_items(provider: Provider, on: date) -> list[ClearanceItem]:
    """The lighter checklist of an on-site provision run by the school's own staff (docs/domain-rules.md#iap-length)."""
    items = [
        ClearanceItem(
            "Lead member of staff named",
            bool(provider.lead_staff_name),
            f"Led by {provider.lead_staff_name}." if provider.lead_staff_name else "No lead member of staff is named.",
        ),
        ClearanceItem(
            "Safeguarding policy applies",
            provider.safeguarding_policy_applies,
            "The school's child protection and safeguarding policy applies in full."
            if provider.safeguarding_policy_applies
            else "It is not recorded that the school's child protection and safeguarding policy applies in full.",
        ),
        ClearanceItem(
            "Staff training recorded",
            bool(provider.staff_training.strip()),
            "Staff training is recorded."
            if provider.staff_training.strip()
            else "The training of the provision's staff is not recorded.",
        ),
        ClearanceItem(
            "Reintegration approach recorded",
            bool(provider.reintegration_approach.strip()),
            "How pupils return to class is recorded."
            if provider.reintegration_approach.strip()
            else "How pupils return to class is not recorded.",
        ),
    ]
    assessed = provider.risk_assessment_on
    if assessed is None:
        items.append(ClearanceItem("Risk assessment", False, "No risk assessment of the space is recorded."))
    else:
        due = add_months(assessed, RISK_ASSESSMENT_VALIDITY_MONTHS)
        if due <= on:
            detail = f"The risk assessment of the space is out of date (done on {_uk(assessed)}, due by {_uk(due)})."
            items.append(ClearanceItem("Risk assessment", False, detail))
        else:
            items.append(ClearanceItem("Risk assessment", True, f"Done on {_uk(assessed)}; due again by {_uk(due)}."))
    return items


def _assess(provider: Provider, evidence: _Evidence, on: date) -> Clearance:
    if provider.is_internal:
        items = _internal_items(provider, on)
    else:
        items = [
            _registration_item(provider),
            _confirmation_item(provider, evidence.confirmations, on),
            _audit_item(provider, evidence.audits, on),
            _actions_item(evidence.overdue_blocking_actions),
        ]
        if provider.school.requires_commissioning_agreement:
            items.append(_agreement_item(provider, on))
    if not provider.is_active:
        items.append(ClearanceItem("Active", False, "The provider is marked as no longer used by the school."))
    return Clearance(cleared=all(item.ok for item in items), items=items)


def provider_clearance(provider: Provider, *, on: date | None = None) -> Clearance:
    """Is this provider cleared for placements on `on` (default today), and if not, why not."""
    on = on or timezone.localdate()
    return _assess(provider, _evidence_for([provider], on)[provider.pk], on)


def provider_clearances(providers, *, on: date) -> dict[int, Clearance]:
    """{provider id: clearance} for many providers at once, judged as the directory judges them
    (at most four queries)."""
    providers = list({provider.pk: provider for provider in providers}.values())
    evidence = _evidence_for(providers, on)
    return {provider.pk: _assess(provider, evidence[provider.pk], on) for provider in providers}


# --- Checks shared across a trust (docs/oversight.md) ----------------------------------------


@dataclass(frozen=True)
class SharedCheck:
    """A current check another school of the trust made of the same provider organisation: who made
    it, when, its expiry, and whether this school relies on it."""

    check: SafeguardingConfirmation | Audit
    kind: str  # "KCSIE confirmation" or "Audit"
    school: School
    made_by: str
    made_on: date
    expires_on: date
    reliance: CheckReliance | None


def trust_checks(provider: Provider, *, on: date) -> list[SharedCheck]:
    """The valid KCSIE confirmations and current completed audits of this provider's organisation
    by the other schools of its school's trust (three queries; none outside a trust)."""
    school = provider.school
    if provider.is_internal or not (provider.organisation_id and school.trust_id):
        return []
    others = Provider.objects.filter(
        organisation_id=provider.organisation_id, school__trust_id=school.trust_id
    ).exclude(school_id=school.pk)
    confirmations = SafeguardingConfirmation.objects.filter(provider__in=others, expires_on__gt=on).select_related(
        "provider__school"
    )
    audits = Audit.objects.filter(provider__in=others, status=Audit.Status.COMPLETED, expires_on__gt=on).select_related(
        "provider__school", "signed_off_by"
    )
    relied = {(r.confirmation_id, r.audit_id): r for r in provider.reliances.select_related("recorded_by")}
    shared = [
        SharedCheck(
            c, "KCSIE confirmation", c.provider.school, f"{c.confirmed_by_name} ({c.confirmed_by_position})",
            c.signed_on, c.expires_on, relied.get((c.pk, None)),
        )
        for c in confirmations
        if c.is_valid_on(on)
    ] + [
        SharedCheck(
            a, "Audit", a.provider.school, str(a.signed_off_by or "—"), a.visit_date, a.expires_on,
            relied.get((None, a.pk)),
        )
        for a in audits
        if a.suitable
    ]  # fmt: skip
    return sorted(shared, key=lambda c: (c.kind, -c.made_on.toordinal()))


# --- Directory and record --------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    clearance: Clearance
    main_site: ProviderSite | None
    renewal_due: bool  # its KCSIE confirmation or audit runs out within 30 days (the "renewal due" filter)


def provider_list(user: User, *, school: School | None = None) -> QuerySet[Provider]:
    """Providers the user may see (DSL, head, SENDCo), optionally of one school."""
    providers = Provider.objects.for_user(user, roles=PROVIDER_ROLES)
    if school is not None:
        providers = providers.filter(school=school)
    return providers.select_related("school", "registration_checked_by")


def provider_list_with_clearance(
    user: User,
    *,
    school: School | None = None,
    search: str = "",
    kind: str = "",
    cleared: bool | None = None,
    include_inactive: bool = False,
    renewal_due: bool = False,
    on: date | None = None,
    with_main_site: bool = True,
) -> list[ProviderRow]:
    """The directory: providers with their clearance and whether a check is due for renewal, in
    five queries however many there are (four without the main sites, which the DSL's dashboard
    does not show)."""
    on = on or timezone.localdate()
    confirmation_due = confirmations_expiring(user=user, on=on, school=school).filter(provider=OuterRef("pk"))
    audit_due = audits_expiring(user=user, on=on, school=school).filter(provider=OuterRef("pk"))
    providers = provider_list(user, school=school).annotate(
        renewal_due=ExpressionWrapper(Q(Exists(confirmation_due)) | Q(Exists(audit_due)), output_field=BooleanField())
    )
    if with_main_site:
        providers = providers.prefetch_related(
            Prefetch("sites", queryset=ProviderSite.objects.filter(is_main=True), to_attr="main_sites")
        )
    if search:
        providers = providers.filter(
            Q(name__icontains=search)
            | Q(contact_name__icontains=search)
            | Q(sites__postcode__icontains=search)
            | Q(sites__address__icontains=search)
        ).distinct()
    if kind:
        providers = providers.filter(kind=kind)
    if not include_inactive:
        providers = providers.filter(is_active=True)
    if renewal_due:
        providers = providers.filter(renewal_due=True)
    loaded = list(providers)
    evidence = _evidence_for(loaded, on)
    rows = [
        ProviderRow(
            provider,
            _assess(provider, evidence[provider.pk], on),
            next(iter(getattr(provider, "main_sites", ())), None),  # prefetched only with_main_site
            provider.renewal_due,
        )
        for provider in loaded
    ]
    if cleared is not None:
        rows = [row for row in rows if row.clearance.cleared == cleared]
    return rows


def provider_sites(provider: Provider) -> list[ProviderSite]:
    return list(provider.sites.all())


def provider_confirmations(provider: Provider) -> list[SafeguardingConfirmation]:
    return list(provider.confirmations.select_related("recorded_by"))


def provider_audits(provider: Provider) -> list[Audit]:
    return list(provider.audits.select_related("auditor", "signed_off_by"))


def audits_to_consider(provider: Provider) -> QuerySet[Audit]:
    """The completed audits a school weighs when it decides whether the provider suits a pupil: its
    own, and those of its trust it has chosen to rely on (newest first)."""
    relied_on = CheckReliance.objects.filter(provider=provider, audit__isnull=False).values("audit_id")
    return (
        Audit.objects.filter(Q(provider=provider) | Q(pk__in=relied_on), status=Audit.Status.COMPLETED)
        .select_related("provider__school")
        .order_by("-visit_date", "-version")
    )


def provider_open_actions(provider: Provider) -> list[FurtherAction]:
    return list(
        FurtherAction.objects.filter(
            answer__audit__provider=provider, answer__audit__status=Audit.Status.COMPLETED, done_on__isnull=True
        ).select_related("owner", "answer__question", "answer__audit__provider")
    )


# --- The DSL's dashboard and queue ---------------------------------------------------------------


def _in_school(queryset: QuerySet, school: School | None, path: str) -> QuerySet:
    return queryset if school is None else queryset.filter(**{path: school})


def _latest_confirmations_expiring(queryset: QuerySet, on: date, within_days: int) -> QuerySet:
    newer = SafeguardingConfirmation.objects.filter(provider=OuterRef("provider"), signed_on__gt=OuterRef("signed_on"))
    return (
        queryset.filter(
            expires_on__gte=on,
            expires_on__lte=on + timedelta(days=within_days),
            provider__is_active=True,
            provider__kind=Provider.Kind.OFFSITE,
        )
        .exclude(Exists(newer))
        .select_related("provider")
        .order_by("expires_on")
    )


def _latest_audits_expiring(queryset: QuerySet, on: date, within_days: int) -> QuerySet:
    newer = Audit.objects.filter(
        provider=OuterRef("provider"), status=Audit.Status.COMPLETED, visit_date__gt=OuterRef("visit_date")
    )
    return (
        queryset.filter(
            status=Audit.Status.COMPLETED,
            expires_on__gte=on,
            expires_on__lte=on + timedelta(days=within_days),
            provider__is_active=True,
        )
        .exclude(Exists(newer))
        .select_related("provider")
        .order_by("expires_on")
    )


def _outstanding_actions(queryset: QuerySet) -> QuerySet:
    return (
        queryset.filter(answer__audit__status=Audit.Status.COMPLETED, done_on__isnull=True)
        .select_related("owner", "answer__question", "answer__audit__provider")
        .order_by("due_on", "pk")
    )


def confirmations_expiring(
    *, user: User, within_days: int = 30, on: date | None = None, school: School | None = None
) -> QuerySet:
    """Each provider's latest safeguarding confirmation that expires in the next `within_days` days."""
    scoped = _in_school(
        SafeguardingConfirmation.objects.for_user(user, roles=PROVIDER_ROLES), school, "provider__school"
    )
    return _latest_confirmations_expiring(scoped, on or timezone.localdate(), within_days)


def audits_expiring(
    *, user: User, within_days: int = 30, on: date | None = None, school: School | None = None
) -> QuerySet:
    """Each provider's latest completed audit whose 12 months run out in the next `within_days` days."""
    scoped = _in_school(Audit.objects.for_user(user, roles=PROVIDER_ROLES), school, "provider__school")
    return _latest_audits_expiring(scoped, on or timezone.localdate(), within_days)


def further_actions_open(*, user: User, school: School | None = None) -> QuerySet:
    """Further actions of signed-off audits not yet done, soonest due first (the DSL's queue)."""
    scoped = _in_school(
        FurtherAction.objects.for_user(user, roles=PROVIDER_ROLES), school, "answer__audit__provider__school"
    )
    return _outstanding_actions(scoped)


# Deployment-wide versions for the reminder dispatcher, which works for every school at once.


def confirmations_expiring_everywhere(*, on: date, within_days: int = 30) -> QuerySet:
    return _latest_confirmations_expiring(SafeguardingConfirmation.objects.all(), on, within_days)


def audits_expiring_everywhere(*, on: date, within_days: int = 30) -> QuerySet:
    return _latest_audits_expiring(Audit.objects.all(), on, within_days)


def agreements_expiring_everywhere(*, on: date, within_days: int = 30) -> QuerySet:
    """Active off-site providers whose commissioning agreement ends within `within_days` days."""
    return Provider.objects.filter(
        is_active=True,
        kind=Provider.Kind.OFFSITE,
        agreement_ends_on__range=(on, on + timedelta(days=within_days)),
    ).select_related("school")


def further_actions_overdue_everywhere(*, on: date) -> QuerySet:
    return _outstanding_actions(FurtherAction.objects.all()).filter(due_on__lt=on)


@dataclass(frozen=True)
class DirectorySummary:
    confirmations_expiring: int
    audits_expiring: int
    open_actions: int
    overdue_actions: int


def directory_summary(*, user: User, school: School, on: date | None = None) -> DirectorySummary:
    """The counts above the directory: what the DSL must renew or chase soon."""
    on = on or timezone.localdate()
    actions = further_actions_open(user=user, school=school)
    return DirectorySummary(
        confirmations_expiring=confirmations_expiring(user=user, on=on, school=school).count(),
        audits_expiring=audits_expiring(user=user, on=on, school=school).count(),
        open_actions=actions.count(),
        overdue_actions=actions.filter(due_on__lt=on).count(),
    )


# --- One audit -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberedAnswer:
    number: int
    answer: AuditAnswer

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.answer.strip())


@dataclass(frozen=True)
class SectionAnswers:
    section: AuditSection
    answers: list[NumberedAnswer]

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.is_answered)


def audits_for_user(user: User) -> QuerySet[Audit]:
    return Audit.objects.for_user(user).select_related(
        "provider__school", "bank", "auditor", "signed_off_by", "supersedes", "superseded_by"
    )


def audit_sections(audit: Audit) -> list[SectionAnswers]:
    """The audit's answers grouped by section in question order, numbered 1..n across sections."""
    answers = audit.answers.select_related("question__section", "action__owner").order_by(
        "question__section__order", "question__order"
    )
    grouped: dict[int, SectionAnswers] = {}
    for number, answer in enumerate(answers, start=1):
        section = answer.question.section
        grouped.setdefault(section.pk, SectionAnswers(section, [])).answers.append(NumberedAnswer(number, answer))
    return list(grouped.values())


def audit_answer_numbered(answer: AuditAnswer) -> NumberedAnswer:
    """One answer with its number in the audit (for the per-question form)."""
    question = answer.question
    earlier = AuditAnswer.objects.filter(audit=answer.audit_id).filter(
        Q(question__section__order__lt=question.section.order)
        | Q(question__section__order=question.section.order, question__order__lt=question.order)
    )
    return NumberedAnswer(earlier.count() + 1, answer)


def audit_staff(school: School) -> list[User]:
    """Staff who may carry out an audit or own its further actions: those who see audits at the school."""
    return list(
        User.objects.filter(
            memberships__school=school, memberships__role__in=PROVIDER_ROLES, memberships__is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def section_progress(audit: Audit, section: AuditSection) -> tuple[int, int]:
    """(answered, questions) in one section of an audit, for its progress counter."""
    texts = list(audit.answers.filter(question__section=section).values_list("answer", flat=True))
    return sum(1 for text in texts if text.strip()), len(texts)


# --- The local authority's directory and its quality-assurance visits (docs/oversight.md) --------


def organisations_used_in(local_authority: LocalAuthority) -> QuerySet[ProviderOrganisation]:
    """The provider bodies listed, off-site, in the directory of any school of the authority."""
    listed = Provider.objects.filter(school__local_authority=local_authority, kind=Provider.Kind.OFFSITE)
    return ProviderOrganisation.objects.filter(pk__in=listed.values("organisation_id"))


def la_visits_of(organisation_ids) -> QuerySet[LAQualityVisit]:
    """Every authority's quality-assurance visits of these bodies, newest first: a school reads them
    whichever authority made them, as it reads the provider's Ofsted report."""
    return LAQualityVisit.objects.filter(organisation_id__in=organisation_ids).select_related(
        "local_authority", "recorded_by"
    )
