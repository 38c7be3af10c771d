from __future__ import annotations

from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from apcase.tests.factories import SchoolFactory, UserFactory
from audits.models import (
    AUDIT_VALIDITY_MONTHS,
    Audit,
    AuditAnswer,
    AuditQuestion,
    FurtherAction,
    Provider,
    ProviderOrganisation,
    ProviderSite,
    ProviderStaff,
    SafeguardingConfirmation,
    add_months,
)
from audits.services import question_bank_current

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "signed.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


class ProviderFactory(DjangoModelFactory[Provider]):
    """An off-site registered school, its registration not yet checked."""

    class Meta:
        model = Provider

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Provider {n:03d}")
    kind = Provider.Kind.OFFSITE
    registration = Provider.Registration.REGISTERED_SCHOOL
    urn = factory.Sequence(lambda n: f"{150000 + n:06d}")
    contact_name = "Ms Jo Whitfield"
    email = "jo@provider.example"

    class Params:
        internal = factory.Trait(
            kind=Provider.Kind.INTERNAL,
            registration="",
            urn="",
            lead_staff_name="Miss A Carter",
            safeguarding_policy_applies=True,
            staff_training="Trauma-informed practice",
            reintegration_approach="Home class every afternoon",
            risk_assessment_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
        )
        unregistered = factory.Trait(
            registration=Provider.Registration.UNREGISTERED,
            urn="",
            setting_type=Provider.SettingType.ONE_TO_ONE_TUITION,
        )


class ProviderSiteFactory(DjangoModelFactory[ProviderSite]):
    class Meta:
        model = ProviderSite

    provider = factory.SubFactory(ProviderFactory)
    name = "Main site"
    address = "1 Canal Side\nNorthbridge"
    postcode = "ST99 8SS"
    is_main = True


class SafeguardingConfirmationFactory(DjangoModelFactory[SafeguardingConfirmation]):
    """A complete confirmation signed 30 days ago, valid for the school's period."""

    class Meta:
        model = SafeguardingConfirmation

    provider = factory.SubFactory(ProviderFactory)
    confirmed_by_name = "Jo Whitfield"
    confirmed_by_position = "Head of centre"
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    expires_on = factory.LazyAttribute(
        lambda c: add_months(c.signed_on, c.provider.school.confirmation_validity_months)
    )
    enhanced_dbs = barred_list = identity = right_to_work = True
    qualifications = prohibition = single_central_record = True
    signed_copy = factory.LazyFunction(pdf_upload)


def _answer_every_question(audit: Audit, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        AuditAnswer.objects.bulk_create(
            AuditAnswer(audit=audit, question=question)
            for question in AuditQuestion.objects.filter(section__bank=audit.bank)
        )


class AuditFactory(DjangoModelFactory[Audit]):
    """A draft audit on the current questions, with a blank answer to each (as audit_start makes)."""

    class Meta:
        model = Audit
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    bank = factory.LazyFunction(question_bank_current)
    visit_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    auditor = factory.SubFactory(UserFactory)

    answers = factory.PostGeneration(_answer_every_question)


def answer_everything(audit: Audit, text: str = "Seen and satisfactory.") -> None:
    for answer in audit.answers.select_related("question"):
        answer.answer = f"{text} ({answer.question.order})"
        answer.evidence = "Policy seen."
        answer.save()


def completed_audit(provider: Provider, signer, *, visit_date: date | None = None, suitable: bool = True) -> Audit:
    """A signed-off audit (written directly: services are tested on their own)."""
    visit_date = visit_date or timezone.localdate() - timedelta(days=10)
    audit = AuditFactory(provider=provider, auditor=signer, visit_date=visit_date)
    answer_everything(audit)
    audit.status = Audit.Status.COMPLETED
    audit.suitable = suitable
    audit.reasons = "Safe, well led, and a good match for the pupil."
    audit.signed_off_by = signer
    audit.signed_off_at = timezone.now()
    audit.expires_on = add_months(visit_date, AUDIT_VALIDITY_MONTHS)
    audit.save()
    return audit


def further_action(audit: Audit, owner, *, due_on: date, blocking: bool = False, number: int = 1) -> FurtherAction:
    answer = audit.answers.order_by("question__section__order", "question__order")[number - 1]
    return FurtherAction.objects.create(
        answer=answer,
        description="See the new tutors' DBS certificates.",
        owner=owner,
        due_on=due_on,
        blocking=blocking,
    )


def cleared_provider(school, signer, **fields) -> Provider:
    """An off-site provider with every check in place."""
    provider = ProviderFactory(
        school=school, registration_checked_on=timezone.localdate(), registration_checked_by=signer, **fields
    )
    ProviderSiteFactory(provider=provider)
    SafeguardingConfirmationFactory(provider=provider)
    completed_audit(provider, signer)
    return provider


class ProviderOrganisationFactory(DjangoModelFactory[ProviderOrganisation]):
    class Meta:
        model = ProviderOrganisation

    name = factory.Sequence(lambda n: f"Organisation {n:03d}")
    urn = factory.Sequence(lambda n: f"{160000 + n:06d}")


class ProviderStaffFactory(DjangoModelFactory[ProviderStaff]):
    """Someone at a provider who has accepted their invitation to the portal."""

    class Meta:
        model = ProviderStaff

    organisation = factory.SubFactory(ProviderOrganisationFactory)
    user = factory.SubFactory(
        UserFactory, is_provider_staff=True, email=factory.LazyAttribute(lambda u: f"{u.username}@provider.example")
    )
    job_title = "Head of centre"
    status = ProviderStaff.Status.ACTIVE
    invited_by = factory.SubFactory(UserFactory)
    invited_from = factory.SubFactory(
        ProviderFactory,
        organisation=factory.SelfAttribute("..organisation"),
        urn=factory.SelfAttribute("..organisation.urn"),
    )
    accepted_at = factory.LazyFunction(timezone.now)
