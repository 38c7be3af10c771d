"""Every write to providers, safeguarding confirmations, audits and further actions.

Each service is `<entity>_<action>(*, actor, ...)`, runs in one transaction, records the actor in
the history and raises ValidationError with a message a person can act on. Provider events live in
the records' history (pupils' CaseEvents are not available to this app).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apcase.details import Details
from apcase.greetings import greeting
from apcase.history import history_stamp
from apcase.models import LocalAuthorityOfficer, School, User
from apcase.services import document_store, save_tracked
from apcase.workflow import Transition, Workflow
from audits.documents import safeguarding_confirmation_signed_pdf, safeguarding_letter_pdf
from audits.models import (
    AUDIT_VALIDITY_MONTHS,
    Audit,
    AuditAnswer,
    AuditQuestion,
    AuditSection,
    CheckReliance,
    FurtherAction,
    LAQualityVisit,
    Provider,
    ProviderOrganisation,
    ProviderSite,
    QuestionBank,
    SafeguardingConfirmation,
    add_months,
    organisation_match,
)
from audits.selectors import organisations_used_in, trust_checks
from audits.staff import provider_organisation_ids
from outbox.models import Message
from outbox.services import message_queue

AUDIT_WORKFLOW = Workflow(
    [
        Transition(Audit.Status.DRAFT, Audit.Status.COMPLETED, "audits.sign_off_audit", "Sign off the audit"),
        Transition(Audit.Status.COMPLETED, Audit.Status.SUPERSEDED, None, "Replace with a corrected version"),
    ]
)

# Changing any of these means the registration has to be checked again.
REGISTRATION_FIELDS = ("kind", "registration", "urn", "ukprn", "setting_type")


# --- Providers and sites ----------------------------------------------------------------------


def _link_organisation(provider: Provider, actor: User | None) -> None:
    """An off-site directory entry joins the provider body with its URN, UKPRN or name, which is
    made from the entry when no school has listed it yet. Internal provision is the school itself."""
    if provider.is_internal:
        provider.organisation = None
        return
    match = organisation_match(urn=provider.urn, ukprn=provider.ukprn, name=provider.name)
    organisation = ProviderOrganisation.objects.filter(**match).order_by("pk").first()
    if organisation is None:
        organisation = ProviderOrganisation(
            name=provider.name, urn=provider.urn, ukprn=provider.ukprn, email=provider.email, phone=provider.phone
        )
        save_tracked(organisation, actor)
    provider.organisation = organisation


@transaction.atomic
def provider_organisation_link(*, actor: User | None, provider: Provider) -> ProviderOrganisation | None:
    """Link a directory entry saved without one (the demo, the back office) to its organisation."""
    _link_organisation(provider, actor)
    history_stamp(provider, user=actor)
    provider.save(update_fields=["organisation", "updated_at"])
    return provider.organisation


@dataclass(frozen=True, kw_only=True)
class ProviderDetails(Details):
    """What the provider form edits: never the school, the organisation or the registration check."""

    name: str
    kind: str = Provider.Kind.OFFSITE
    is_active: bool = True
    contact_name: str = ""
    contact_role: str = ""
    phone: str = ""
    email: str = ""
    registration: str = ""
    urn: str = ""
    ukprn: str = ""
    setting_type: str = ""
    ofsted_overall: str = ""
    ofsted_quality_of_education: str = ""
    ofsted_leadership: str = ""
    ofsted_safeguarding: str = ""
    ofsted_inspected_on: date | None = None
    ofsted_report_url: str = ""
    on_la_directory: bool = False
    lead_staff_name: str = ""
    safeguarding_policy_applies: bool = False
    staff_training: str = ""
    reintegration_approach: str = ""
    risk_assessment_on: date | None = None
    short_term_iap: bool = False
    agreement_starts_on: date | None = None
    agreement_ends_on: date | None = None
    agreement_document: File | str | None = None  # None or "": no agreement stored (or the stored one cleared)
    subjects: str = ""
    age_from: int | None = None
    age_to: int | None = None
    sessions: str = ""
    cost_per_session: Decimal | None = None
    cost_per_day: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class ProviderSiteDetails(Details):
    name: str
    address: str
    postcode: str
    is_main: bool = False

    def apply_to(self, record: models.Model) -> None:
        super().apply_to(record)
        assert isinstance(record, ProviderSite)
        record.name, record.address = record.name.strip(), record.address.strip()
        record.postcode = record.postcode.strip().upper()


@transaction.atomic
def provider_create(
    *, actor: User, school: School, details: ProviderDetails, main_site: ProviderSiteDetails | None = None
) -> Provider:
    """A new provider in the school's directory, with its main site (where pupils attend) if given."""
    provider = Provider(school=school)
    details.apply_to(provider)
    _link_organisation(provider, actor)
    save_tracked(provider, actor)
    if main_site:
        provider_site_create(actor=actor, provider=provider, details=replace(main_site, is_main=True))
    return provider


@transaction.atomic
def provider_update(*, actor: User, provider: Provider, details: ProviderDetails) -> Provider:
    """Change a provider's details; a change to its registration clears the registration check."""
    # Compared with the stored row: a ModelForm has already written its values onto `provider`.
    stored = Provider.objects.get(pk=provider.pk)
    registration_changed = any(getattr(details, name) != getattr(stored, name) for name in REGISTRATION_FIELDS)
    details.apply_to(provider)
    if registration_changed:
        provider.registration_checked_on = None
        provider.registration_checked_by = None
    if registration_changed or provider.organisation_id is None:
        _link_organisation(provider, actor)
    save_tracked(provider, actor)
    return provider


@transaction.atomic
def provider_registration_check(*, actor: User, provider: Provider, checked_on: date) -> Provider:
    """Record that the DSL or head checked the provider's registration (GIAS, Ofsted, UKRLP)."""
    if not actor.has_perm("audits.check_provider_registration", provider):
        raise PermissionDenied("Only the DSL or the headteacher can confirm a provider's registration.")
    if provider.is_internal:
        raise ValidationError("An internal provision is part of the school: it has no registration to check.")
    if checked_on > timezone.localdate():
        raise ValidationError("The date of the check cannot be in the future.")
    provider.full_clean()  # the URN, UKPRN or setting type must be complete before it is confirmed
    provider.registration_checked_on = checked_on
    provider.registration_checked_by = actor
    save_tracked(provider, actor)
    return provider


def _clear_other_main_sites(provider: Provider, keep: ProviderSite | None, actor: User) -> None:
    for other in provider.sites.filter(is_main=True).exclude(pk=getattr(keep, "pk", None)):
        other.is_main = False
        save_tracked(other, actor)


@transaction.atomic
def provider_site_create(*, actor: User, provider: Provider, details: ProviderSiteDetails) -> ProviderSite:
    site = ProviderSite(provider=provider)
    details.apply_to(site)
    site.is_main = site.is_main or not provider.sites.exists()  # the first site is the main one
    if site.is_main:
        _clear_other_main_sites(provider, None, actor)
    save_tracked(site, actor)
    return site


@transaction.atomic
def provider_site_update(*, actor: User, site: ProviderSite, details: ProviderSiteDetails) -> ProviderSite:
    stored = ProviderSite.objects.get(pk=site.pk)  # a ModelForm has already written onto `site`
    if stored.is_main and not details.is_main:
        raise ValidationError({"is_main": "Make another site the main one instead: every provider has one main site."})
    if details.is_main:
        _clear_other_main_sites(site.provider, site, actor)
    details.apply_to(site)
    save_tracked(site, actor)
    return site


@transaction.atomic
def provider_site_delete(*, actor: User, site: ProviderSite) -> None:
    if site.is_main:
        raise ValidationError("The main site cannot be removed. Make another site the main one first.")
    history_stamp(site, user=actor)
    try:
        with transaction.atomic():
            site.delete()
    except ProtectedError:
        raise ValidationError(
            f"{site.name} is where placements were or are held, and their records and parent notices name it: "
            "it cannot be removed. Correct its details instead, or add a new site for new placements."
        ) from None


# --- Safeguarding confirmations ---------------------------------------------------------------


@transaction.atomic
def safeguarding_confirmation_record(
    *,
    actor: User,
    provider: Provider,
    confirmed_by_name: str,
    confirmed_by_position: str,
    signed_on: date,
    checks: set[str],
    signed_copy: UploadedFile,
) -> SafeguardingConfirmation:
    """Keep the provider's signed reply; it expires after the school's validity period."""
    if not actor.has_perm("audits.add_safeguardingconfirmation", provider):
        raise PermissionDenied("Only the DSL or the headteacher can record a safeguarding confirmation.")
    if provider.is_internal:
        raise ValidationError("Staff of an internal provision are on the school's own single central record.")
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The date signed cannot be in the future."})
    known = {name for name, _label in SafeguardingConfirmation.CHECKS}
    confirmation = SafeguardingConfirmation(
        provider=provider,
        confirmed_by_name=confirmed_by_name,
        confirmed_by_position=confirmed_by_position,
        signed_on=signed_on,
        signed_copy=signed_copy,
        expires_on=add_months(signed_on, provider.school.confirmation_validity_months),
        recorded_by=actor,
        **{name: name in checks for name in known},
    )
    save_tracked(confirmation, actor)
    return confirmation


# --- Signed in the provider portal (docs/portal.md) ------------------------------------------------

# The exact statement a provider signs in the portal; change the version whenever the words change,
# so every stored confirmation says which words were signed.
KCSIE_STATEMENT_VERSION = "kcsie-confirmation/2026-1"
KCSIE_STATEMENT = (
    "On behalf of {provider}, I confirm that for every member of staff and volunteer who will work with "
    "pupils of {school} the checks ticked below have been carried out, and that each of them has been "
    "deemed suitable to work with children, as Keeping children safe in education requires."
)


@transaction.atomic
def safeguarding_confirmation_sign(
    *, actor: User, provider: Provider, typed_name: str, position: str, checks: set[str], ip: str | None
) -> SafeguardingConfirmation:
    """The provider's own staff sign the KCSIE confirmation in the portal: the signed statement,
    the ticks, the typed name, position, date and time and address go into a PDF kept as the
    confirmation's signed copy, beside the copies the school records itself."""
    if provider.organisation_id is None or provider.organisation_id not in provider_organisation_ids(actor):
        raise PermissionDenied("Only the provider's own staff sign its confirmation.")
    if not typed_name.strip() or not position.strip():
        raise ValidationError({"typed_name": "Type your full name and your position to sign."})
    known = [name for name, _label in SafeguardingConfirmation.CHECKS]
    signed_at = timezone.localtime()
    statement = KCSIE_STATEMENT.format(provider=provider.name, school=provider.school.name)
    pdf = safeguarding_confirmation_signed_pdf(
        provider=provider,
        statement=statement,
        version=KCSIE_STATEMENT_VERSION,
        checks=[(label, name in checks) for name, label in SafeguardingConfirmation.CHECKS],
        typed_name=typed_name.strip(),
        position=position.strip(),
        signed_at=signed_at,
        signer=actor,
        ip=ip,
    )
    confirmation = SafeguardingConfirmation(
        provider=provider,
        confirmed_by_name=typed_name.strip(),
        confirmed_by_position=position.strip(),
        signed_on=signed_at.date(),
        expires_on=add_months(signed_at.date(), provider.school.confirmation_validity_months),
        recorded_by=actor,
        text_version=KCSIE_STATEMENT_VERSION,
        signed_from_ip=ip,
        **{name: name in checks for name in known},
    )
    confirmation.signed_copy.save("signed-in-portal.pdf", ContentFile(pdf), save=False)
    save_tracked(confirmation, actor)
    return confirmation


# --- Audits -----------------------------------------------------------------------------------


@transaction.atomic
def safeguarding_request_send(*, actor: User, provider: Provider) -> Message:
    """E-mail the KCSIE confirmation request to the provider's contact through the outbox, the
    letter signed off by the actor as the download is."""
    if not actor.has_perm("audits.add_safeguardingconfirmation", provider):
        raise PermissionDenied("Only the DSL or headteacher asks providers for the confirmation.")
    if provider.is_internal:
        raise ValidationError("An internal provision's staff are on the school's own single central record.")
    if not provider.email:
        raise ValidationError(
            f"No e-mail address is recorded for {provider.name}: add it to the provider's details, or download "
            "the letter and post it."
        )
    content = safeguarding_letter_pdf(provider=provider, signatory=actor)
    document = document_store(
        school=provider.school, kind="kcsie_request", title=f"Safeguarding confirmation request: {provider.name}",
        content=content, actor=actor,
    )  # fmt: skip
    school = provider.school
    return message_queue(
        actor=actor,
        school=school,
        purpose=Message.Purpose.KCSIE_REQUEST,
        channel=Message.Channel.EMAIL,
        recipient_name=provider.contact_name or provider.name,
        recipient_role=provider.contact_role or provider.name,
        recipient_email=provider.email,
        subject=f"{school.name}: request for your written safeguarding confirmation",
        body=f"{greeting(name=provider.contact_name, fallback=provider.name)},\n\nThe attached letter asks for "
        "your written confirmation of the safeguarding checks on staff who work with our pupils (Keeping "
        f"children safe in education). Please sign and return it.\n\n{school.letter_signoff}\n{school.name}\n",
        document=document,
        link=reverse("providers:detail", kwargs={"public_id": provider.public_id}),
    )


def question_bank_current() -> QuestionBank:
    bank = QuestionBank.objects.filter(published_at__isnull=False).order_by("-version").first()
    if bank is None:
        raise ValidationError("No audit questions are published. Ask an administrator to publish a version.")
    return bank


@transaction.atomic
def audit_start(*, actor: User, provider: Provider, visit_date: date, visit_time: time | None, auditor: User) -> Audit:
    """A draft audit of an off-site provider on the current questions, one blank answer each."""
    if not actor.has_perm("audits.add_audit", provider):
        raise PermissionDenied("Your role cannot audit providers.")
    if provider.is_internal:
        raise ValidationError("The AP audit is for off-site providers; an internal provision has its own checklist.")
    draft = provider.audits.filter(status=Audit.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"An audit of {provider} (visit on {draft.visit_date:%d/%m/%Y}) is already in draft: continue that one."
        )
    bank = question_bank_current()
    audit = Audit(
        provider=provider, bank=bank, visit_date=visit_date, visit_time=visit_time, auditor=auditor, created_by=actor
    )
    save_tracked(audit, actor)
    questions = AuditQuestion.objects.filter(section__bank=bank)
    bulk_create_with_history(
        [AuditAnswer(audit=audit, question=question) for question in questions], AuditAnswer, default_user=actor
    )
    return audit


def _require_draft(actor: User, audit: Audit) -> None:
    """Refuse a change by a role that may not make it, or to a signed-off audit. The audit row is
    locked first, so a sign-off running at the same moment either sees this change or makes it
    wait and fail."""
    if not actor.has_perm("audits.change_audit", audit):
        raise PermissionDenied("Your role cannot change audits.")
    status = Audit.objects.select_for_update().values_list("status", flat=True).get(pk=audit.pk)
    if status != Audit.Status.DRAFT:
        raise ValidationError(
            "This audit is signed off and can no longer be changed. To correct it, start a corrected version."
        )


@transaction.atomic
def audit_details_update(
    *, actor: User, audit: Audit, visit_date: date, visit_time: time | None, auditor: User
) -> Audit:
    _require_draft(actor, audit)
    audit.visit_date, audit.visit_time, audit.auditor = visit_date, visit_time, auditor
    save_tracked(audit, actor)
    return audit


@dataclass(frozen=True, kw_only=True)
class FurtherActionDetails(Details):
    description: str
    owner: User
    due_on: date
    blocking: bool = False


@transaction.atomic
def audit_answer_save(
    *,
    actor: User,
    answer: AuditAnswer,
    text: str,
    evidence: str,
    concerns: str,
    action: FurtherActionDetails | None,
) -> AuditAnswer:
    """Save one question of a draft audit, with its further action (None removes it). Nothing is
    written when nothing changed: the page saves as you go, and the history keeps real changes."""
    _require_draft(actor, answer.audit)
    given = (text.strip(), evidence.strip(), concerns.strip())
    if (answer.answer, answer.evidence, answer.concerns) != given:
        answer.answer, answer.evidence, answer.concerns = given
        save_tracked(answer, actor)
    existing = getattr(answer, "action", None)
    if action is None:
        if existing is not None:
            history_stamp(existing, user=actor)
            existing.delete()
            AuditAnswer.action.related.delete_cached_value(answer)
        return answer
    if existing is None or FurtherActionDetails.of(existing) != action:
        further = existing or FurtherAction(answer=answer)
        action.apply_to(further)
        save_tracked(further, actor)
    return answer


@transaction.atomic
def audit_decision_save(*, actor: User, audit: Audit, suitable: bool | None, reasons: str) -> Audit:
    _require_draft(actor, audit)
    audit.suitable, audit.reasons = suitable, reasons.strip()
    save_tracked(audit, actor)
    return audit


def _sign_off_problems(audit: Audit) -> list[str]:
    problems = []
    unanswered = [
        str(a.question)
        for a in audit.answers.select_related("question").order_by("question__section__order", "question__order")
        if not a.answer.strip()
    ]
    if unanswered:
        problems.append(
            f"Answer every question before signing off ({len(unanswered)} unanswered, the first: “{unanswered[0]}”). "
            "Where a question does not apply, say why."
        )
    if audit.suitable is None:
        problems.append("Say whether this AP is suitable for your pupil.")
    if not audit.reasons.strip():
        problems.append("Give the reasons for the decision.")
    return problems


@transaction.atomic
def audit_sign_off(*, actor: User, audit: Audit) -> Audit:
    """The DSL or head signs off a complete audit: it becomes read-only, and a correction it
    was made for replaces the version it corrects."""
    audit = (
        Audit.objects.select_for_update(of=("self",)).select_related("provider__school", "supersedes").get(pk=audit.pk)
    )
    AUDIT_WORKFLOW.apply(obj=audit, target=Audit.Status.COMPLETED, actor=actor)  # checks the role first
    problems = _sign_off_problems(audit)
    if problems:
        raise ValidationError(problems)
    audit.signed_off_by = actor
    audit.signed_off_at = timezone.now()
    audit.expires_on = add_months(audit.visit_date, AUDIT_VALIDITY_MONTHS)
    save_tracked(audit, actor)
    if audit.supersedes is not None:
        previous = audit.supersedes
        AUDIT_WORKFLOW.apply(obj=previous, target=Audit.Status.SUPERSEDED, actor=actor)
        save_tracked(previous, actor)
    return audit


@transaction.atomic
def audit_correct(*, actor: User, audit: Audit) -> Audit:
    """Start a corrected version of a signed-off audit: a draft copy of every answer, concern and
    further action. The signed-off version stands until the correction is signed off."""
    if not actor.has_perm("audits.change_audit", audit):
        raise PermissionDenied("Your role cannot correct audits.")
    if audit.status != Audit.Status.COMPLETED:
        raise ValidationError("Only a signed-off audit can be corrected; a draft can simply be edited.")
    if Audit.objects.filter(supersedes=audit).exists():
        raise ValidationError("A corrected version of this audit is already in draft: continue that one.")
    correction = Audit(
        provider=audit.provider,
        bank=audit.bank,  # the same questions: a correction is not a new audit
        version=audit.version + 1,
        supersedes=audit,
        visit_date=audit.visit_date,
        visit_time=audit.visit_time,
        auditor=audit.auditor,
        suitable=audit.suitable,
        reasons=audit.reasons,
        created_by=actor,
    )
    save_tracked(correction, actor)
    originals = list(audit.answers.select_related("action"))
    copies = bulk_create_with_history(
        [
            AuditAnswer(
                audit=correction, question_id=a.question_id, answer=a.answer, evidence=a.evidence, concerns=a.concerns
            )
            for a in originals
        ],
        AuditAnswer,
        default_user=actor,
    )
    copy_by_question = {copy.question_id: copy for copy in copies}
    actions = [
        FurtherAction(
            answer=copy_by_question[a.question_id],
            **{name: getattr(a.action, name) for name in ("description", "owner_id", "due_on", "blocking")},
            done_on=a.action.done_on,
            done_by_id=a.action.done_by_id,
        )
        for a in originals
        if hasattr(a, "action")
    ]
    bulk_create_with_history(actions, FurtherAction, default_user=actor)
    return correction


@transaction.atomic
def further_action_mark_done(*, actor: User, action: FurtherAction, done_on: date | None = None) -> FurtherAction:
    audit = action.answer.audit
    if not actor.has_perm("audits.change_furtheraction", action):
        raise PermissionDenied("Your role cannot update further actions.")
    if audit.status == Audit.Status.SUPERSEDED:
        raise ValidationError("This audit has been corrected: mark the action done on the current version.")
    if Audit.objects.filter(supersedes=audit, status=Audit.Status.DRAFT).exists():
        raise ValidationError("A corrected version of this audit is in draft: mark the action done there.")
    if action.is_done:
        return action
    action.done_on = done_on or timezone.localdate()
    action.done_by = actor
    save_tracked(action, actor)
    return action


# --- The question bank ------------------------------------------------------------------------


@transaction.atomic
def question_bank_new_version(*, actor: User | None, source: QuestionBank) -> QuestionBank:
    """A draft copy of a version's sections and questions, to be edited and then published."""
    next_version = (QuestionBank.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    bank = QuestionBank(version=next_version, notes=f"Copied from version {source.version}.")
    save_tracked(bank, actor)
    for section in source.sections.prefetch_related("questions"):
        copy = AuditSection(bank=bank, order=section.order, title=section.title)
        save_tracked(copy, actor)
        bulk_create_with_history(
            [
                AuditQuestion(section=copy, order=q.order, text=q.text, guidance=q.guidance)
                for q in section.questions.all()
            ],
            AuditQuestion,
            default_user=actor,
        )
    return bank


@transaction.atomic
def question_bank_publish(*, actor: User | None, bank: QuestionBank) -> QuestionBank:
    if bank.is_published:
        return bank
    if not AuditQuestion.objects.filter(section__bank=bank).exists():
        raise ValidationError(f"Version {bank.version} has no questions to publish.")
    bank.published_at = timezone.now()
    save_tracked(bank, actor)
    return bank


# --- Checks shared across a trust (docs/oversight.md) ---------------------------------------------


@transaction.atomic
def check_rely(*, actor: User, provider: Provider, check_id) -> CheckReliance:
    """Record that this school relies, for its clearance of `provider`, on a current check another
    school of its trust made of the same organisation (who decided, when). Only those who sign
    safeguarding checks here; once per check."""
    if not actor.has_perm("audits.add_safeguardingconfirmation", provider):
        raise PermissionDenied("Only the DSL or headteacher decides to rely on another school's check.")
    offered = {str(shared.check.public_id): shared for shared in trust_checks(provider, on=timezone.localdate())}
    shared = offered.get(str(check_id))
    if shared is None:
        raise ValidationError("That is not a current check of this provider by another school of the trust.")
    if shared.reliance is not None:
        raise ValidationError(
            f"The school already relies on this check (since {shared.reliance.recorded_at:%d/%m/%Y})."
        )
    check = shared.check
    reliance = CheckReliance(
        provider=provider,
        confirmation=check if isinstance(check, SafeguardingConfirmation) else None,
        audit=check if isinstance(check, Audit) else None,
        recorded_by=actor,
    )
    save_tracked(reliance, actor)
    return reliance


# --- The local authority's quality-assurance visits (docs/oversight.md) ---------------------------


@transaction.atomic
def la_quality_visit_record(
    *,
    actor: User,
    organisation: ProviderOrganisation,
    visited_on: date,
    visitor: str,
    judgement: str,
    summary: str,
    next_visit_due: date | None = None,
) -> LAQualityVisit:
    """The authority's own visit of a provider its schools list, recorded by one of its AP officers;
    the schools that list the provider see it on its page."""
    officer = LocalAuthorityOfficer.objects.filter(user=actor, is_active=True).select_related("local_authority").first()
    if officer is None or not organisations_used_in(officer.local_authority).filter(pk=organisation.pk).exists():
        raise PermissionDenied("Only an officer of an authority whose schools use the provider records its visits.")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "Record a visit once it has taken place."})
    visit = LAQualityVisit(
        local_authority=officer.local_authority,
        organisation=organisation,
        visited_on=visited_on,
        visitor=visitor.strip(),
        judgement=judgement,
        summary=summary.strip(),
        next_visit_due=next_visit_due,
        recorded_by=actor,
    )
    save_tracked(visit, actor)
    return visit
