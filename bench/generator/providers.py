"""Each school's provider directory in the states a DSL meets: cleared, renewals coming up, an
overdue action, expired checks with a re-audit in draft, a new provider nobody has checked, and
two internal provisions (an on-site class and a short IAP). Audits answer all 27 questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from apcase.models import Role
from audits.demo import GOOD_VISIT, SUITABLE_REASONS
from audits.models import (
    AUDIT_VALIDITY_MONTHS,
    Audit,
    AuditAnswer,
    AuditQuestion,
    FurtherAction,
    Provider,
    ProviderSite,
    QuestionBank,
    SafeguardingConfirmation,
    add_months,
)
from audits.services import question_bank_current
from bench import texts
from bench.generator.base import BenchSchool, Build

Reg = Provider.Registration
DRAFT_ANSWERED = 9


@dataclass(frozen=True)
class ProviderState:
    registration: str
    confirmation_age: int | None  # days since the provider signed its safeguarding confirmation
    audit_age: int | None  # days since the visit of its latest completed audit
    cleared: bool
    draft_audit: bool = False
    overdue_action: bool = False


OFFSITE_STATES = (
    ProviderState(Reg.REGISTERED_SCHOOL, 90, 120, cleared=True),
    ProviderState(Reg.UKPRN_ONLY, 350, 200, cleared=True),  # confirmation to renew within 30 days
    ProviderState(Reg.UNREGISTERED, 150, 350, cleared=True),  # audit due again within 30 days
    ProviderState(Reg.REGISTERED_SCHOOL, 60, 100, cleared=True, overdue_action=True),
    ProviderState(Reg.UKPRN_ONLY, 400, 390, cleared=False, draft_audit=True),  # both expired, re-audit begun
    ProviderState(Reg.UNREGISTERED, None, None, cleared=False),  # new: nothing checked yet
)


class _Records:
    """The rows of one stage, inserted model by model (children pick up their parents' new keys)."""

    def __init__(self):
        self.bank = question_bank_current()
        self.providers, self.sites, self.confirmations = [], [], []
        self.audits: list[tuple[Audit, int]] = []  # (audit, questions answered)
        self.actions: list[tuple[Audit, int, FurtherAction]] = []  # (audit, question number, action)


def create_providers(build: Build) -> None:
    records = _Records()
    for bs in build.schools:
        for number, (name, state) in enumerate(zip(texts.OFFSITE_PROVIDERS, OFFSITE_STATES, strict=True)):
            provider = _offsite(build, bs, name, state, number)
            (bs.offsite_cleared if state.cleared else bs.offsite_not_cleared).append(provider)
            site = _main_site(build, bs, provider)
            bs.main_site[provider.public_id] = site
            records.providers.append(provider)
            records.sites.append(site)
            _checks(build, bs, provider, state, records)
        for name in texts.INTERNAL_PROVIDERS:
            provider = _internal(build, bs, name)
            bs.internal.append(provider)
            records.providers.append(provider)
    build.insert(Provider, records.providers)
    build.insert(ProviderSite, records.sites)
    build.insert(SafeguardingConfirmation, records.confirmations)
    build.insert(Audit, [audit for audit, _answered in records.audits])
    _answers_and_actions(build, records)


def _offsite(build: Build, bs: BenchSchool, name: str, state: ProviderState, number: int) -> Provider:
    rng, today, dsl = build.rng, build.today, bs.staff[Role.DSL]
    checked_on = None if state.confirmation_age is None else today - timedelta(days=state.confirmation_age)
    checked = checked_on is not None
    primary = bs.school.name.endswith("Primary School")
    title, names = rng.choice((("Ms", texts.GIRLS_NAMES), ("Mr", texts.BOYS_NAMES)))
    provider = Provider(
        public_id=build.uuid(),
        school=bs.school,
        name=name,
        kind=Provider.Kind.OFFSITE,
        contact_name=f"{title} {rng.choice(names)} {rng.choice(texts.LAST_NAMES)}",
        contact_role="Head of centre",
        phone=f"01543 {600000 + number}",
        email=f"office@provider{number}.bench.example",
        registration=state.registration,
        urn=f"{145000 + number}" if state.registration == Reg.REGISTERED_SCHOOL else "",
        ukprn=f"1008{7000 + number:04d}" if state.registration == Reg.UKPRN_ONLY else "",
        setting_type=Provider.SettingType.ONE_TO_ONE_TUITION if state.registration == Reg.UNREGISTERED else "",
        registration_checked_on=checked_on,
        registration_checked_by=dsl if checked else None,
        ofsted_overall="good" if state.registration == Reg.REGISTERED_SCHOOL else "",
        ofsted_safeguarding="met" if state.registration == Reg.REGISTERED_SCHOOL else "",
        ofsted_inspected_on=today - timedelta(days=500) if state.registration == Reg.REGISTERED_SCHOOL else None,
        on_la_directory=state.cleared,
        agreement_starts_on=today - timedelta(days=200),
        agreement_ends_on=today + timedelta(days=165),
        subjects="English, maths, PSHE and a vocational or outdoor option",
        age_from=5 if primary else 11,
        age_to=11 if primary else 16,
        sessions="Monday to Friday, 9:15 to 12:00 and 13:00 to 15:00",
        cost_per_session=Decimal(rng.randrange(60, 95)),
        cost_per_day=Decimal(rng.randrange(120, 190)),
    )
    return build.stamped(provider, build.at(today - timedelta(days=450), 11), dsl)


def _internal(build: Build, bs: BenchSchool, name: str) -> Provider:
    iap = "IAP" in name
    provider = Provider(
        public_id=build.uuid(),
        school=bs.school,
        name=name,
        kind=Provider.Kind.INTERNAL,
        lead_staff_name=f"Mrs {build.rng.choice(texts.LAST_NAMES)}",
        safeguarding_policy_applies=True,
        staff_training="Trauma-informed practice, de-escalation and inclusive teaching (this school year).",
        reintegration_approach="A graduated return timetable agreed with the class teacher, reviewed weekly.",
        risk_assessment_on=build.today - timedelta(days=80),
        short_term_iap=iap,
        sessions="Mornings, 9:00 to 12:00" if not iap else "Monday to Friday, all day",
    )
    return build.stamped(provider, build.at(build.today - timedelta(days=450), 11), bs.staff[Role.SENDCO])


def _main_site(build: Build, bs: BenchSchool, provider: Provider) -> ProviderSite:
    place = build.rng.choice(texts.PLACES)
    site = ProviderSite(
        public_id=build.uuid(),
        provider=provider,
        name="Main site",
        address=f"{build.rng.randrange(1, 90)} {build.rng.choice(texts.STREETS)}\n{place}",
        postcode=f"WS{build.rng.randrange(1, 99)} {build.rng.randrange(1, 9)}LG",
        is_main=True,
    )
    return build.stamped(site, provider.created_at, bs.staff[Role.DSL])


def _checks(build: Build, bs: BenchSchool, provider: Provider, state: ProviderState, records: _Records) -> None:
    """The signed confirmation and the audits: last year's and the current one, or a draft re-audit."""
    dsl, head = bs.staff[Role.DSL], bs.staff[Role.HEAD]
    if state.confirmation_age is not None:
        records.confirmations.append(
            _confirmation(build, bs, provider, build.today - timedelta(days=state.confirmation_age))
        )
    if state.audit_age is None:
        return
    visit = build.weekday_on_or_before(build.today - timedelta(days=state.audit_age))
    for visited in (visit - timedelta(days=365), visit):
        audit = _completed_audit(build, records.bank, provider, build.weekday_on_or_before(visited), dsl, head)
        records.audits.append((audit, len(GOOD_VISIT)))
        records.actions.append((audit, 4, _action(build, audit, dsl, done=True)))
    if state.overdue_action:
        records.actions.append((audit, 16, _action(build, audit, dsl, done=False)))
    if state.draft_audit:
        draft = Audit(
            public_id=build.uuid(),
            provider=provider,
            bank=records.bank,
            visit_date=build.weekday_on_or_before(build.today - timedelta(days=3)),
            auditor=dsl,
            created_by=dsl,
        )
        records.audits.append((build.stamped(draft, build.at(draft.visit_date, 15), dsl), DRAFT_ANSWERED))


def _confirmation(build: Build, bs: BenchSchool, provider: Provider, signed_on: date) -> SafeguardingConfirmation:
    checks = {name: True for name, _label in SafeguardingConfirmation.CHECKS}
    confirmation = SafeguardingConfirmation(
        public_id=build.uuid(),
        provider=provider,
        confirmed_by_name=provider.contact_name,
        confirmed_by_position=provider.contact_role,
        signed_on=signed_on,
        signed_copy=build.placeholder().name,
        expires_on=add_months(signed_on, bs.school.confirmation_validity_months),
        recorded_by=bs.staff[Role.DSL],
        **checks,
    )
    return build.stamped(
        confirmation, build.at(build.weekday_on_or_before(signed_on + timedelta(days=3)), 14), bs.staff[Role.DSL]
    )


def _completed_audit(build: Build, bank: QuestionBank, provider: Provider, visited: date, dsl, head) -> Audit:
    audit = Audit(
        public_id=build.uuid(),
        provider=provider,
        bank=bank,
        status=Audit.Status.COMPLETED,
        visit_date=visited,
        auditor=dsl,
        suitable=True,
        reasons=SUITABLE_REASONS,
        signed_off_by=head,
        signed_off_at=build.at(visited, 16),
        expires_on=add_months(visited, AUDIT_VALIDITY_MONTHS),
        created_by=dsl,
    )
    return build.stamped(audit, build.at(visited, 9), dsl)


def _action(build: Build, audit: Audit, owner, *, done: bool) -> FurtherAction:
    due_on = audit.visit_date + timedelta(days=21 if done else 60)
    if not done:  # overdue by now, whenever the audit was
        due_on = min(due_on, build.today - timedelta(days=10))
    action = FurtherAction(
        public_id=build.uuid(),
        description="Send a copy of the updated safeguarding action plan."
        if done
        else "Agree the reintegration review dates with the centre for next term.",
        owner=owner,
        due_on=due_on,
        done_on=due_on - timedelta(days=4) if done else None,
        done_by=owner if done else None,
    )
    return build.stamped(action, audit.signed_off_at or audit.created_at, owner)


def _answers_and_actions(build: Build, records: _Records) -> None:
    questions = list(AuditQuestion.objects.filter(section__bank=records.bank).order_by("section__order", "order"))
    answers, by_number = [], {}
    for audit, answered in records.audits:
        for number, question in enumerate(questions, start=1):
            text, evidence = GOOD_VISIT[number - 1] if number <= answered else ("", "")
            answer = AuditAnswer(public_id=build.uuid(), audit=audit, question=question, answer=text, evidence=evidence)
            answers.append(build.stamped(answer, audit.created_at, audit.auditor))
            by_number[audit.public_id, number] = answer
    build.insert(AuditAnswer, answers)
    actions = []
    for audit, number, action in records.actions:
        action.answer = by_number[audit.public_id, number]
        actions.append(action)
    build.insert(FurtherAction, actions)
