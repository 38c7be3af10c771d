"""Demo providers at Oakfield in every state a DSL meets, and one at Riverside (all fictional).

Dates count back from today, so the demo tells the same story whenever it is loaded: on
23/11/2026 Littleton Green was audited on 14/10/2026, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from apcase.demo import DemoContext, office_group
from apcase.models import School, User
from audits.documents import safeguarding_letter_pdf
from audits.models import (
    AUDIT_VALIDITY_MONTHS,
    Audit,
    AuditAnswer,
    AuditQuestion,
    FurtherAction,
    LAQualityVisit,
    Provider,
    ProviderOrganisation,
    ProviderSite,
    SafeguardingConfirmation,
    add_months,
)
from audits.services import la_quality_visit_record, provider_organisation_link, question_bank_current

# What a careful DSL writes on a good visit, question by question (27 questions of version 1).
GOOD_VISIT = [
    ("Good, safeguarding effective (met) at the last inspection.", "Read the report online before the visit."),
    (
        "Safer recruitment, child protection and RSHE policies are in place and reviewed this year.",
        "Saw the policies, dated September; the centre lead talked through the last two referrals.",
    ),
    (
        "All staff completed level 2 safeguarding training this year; the DSL and deputy hold level 3.",
        "Training log seen.",
    ),
    ("Their LA safeguarding audit found no significant gaps.", "Action plan seen: two small actions, both done."),
    ("Good quality of education; progress in line with similar settings.", "Report and data summary seen."),
    (
        "Pupils were calm and busy; adults knew each child well and followed their plans.",
        "Visited three sessions on the learning walk.",
    ),
    (
        "English and maths every morning following the national curriculum; afternoons thematic.",
        "Long- and medium-term plans seen; they match our maths scheme.",
    ),
    ("Weekly planning by the teacher, adapted daily for each pupil.", "Books and displays seen; spoke to two staff."),
    ("Forest school, swimming and a weekly community visit.", ""),
    ("Yes: pupils were engaged and proud to show their work.", "Pupils' books and conversations on the walk."),
    (
        "Restorative approach with clear rewards; it links to pupils' personal development targets.",
        "Copy of the behaviour policy received.",
    ),
    ("A half-day induction with a parent, then a gradual start over the first week.", ""),
    ("Two taster sessions before a placement starts.", ""),
    ("Yes, with a parent and our SENDCo.", ""),
    ("Two weeks of mornings, building to the agreed timetable.", "Timetable template seen."),
    ("A shared reintegration plan, reviewed half-termly with the home school.", "Reintegration arrangements seen."),
    ("Progress against entry targets, attendance and the pupil's own views.", ""),
    ("Registers twice a day; attendance last year was 91%.", "Attendance figures seen."),
    ("A phone call to our attendance officer by 9:30 on the day.", ""),
    ("Through the handover meeting and a shared contact log.", ""),
    ("A weekly e-mail summary and a half-termly report.", ""),
    ("A daily message home and a termly parents' meeting.", ""),
    ("Baseline and termly assessments in reading and number.", "Assessment policy seen."),
    ("Social care, CAMHS and the educational psychology service.", ""),
    ("A key worker for each pupil and a daily check-in.", ""),
    ("Their key worker or the centre's DSL; posters show who.", ""),
    ("Complaints policy on the website; parents are told at induction.", "Complaints policy seen."),
]

SUITABLE_REASONS = (
    "Registered, well-led and safe, with a curriculum that matches ours in English and maths. "
    "Staff know the pupils well and reintegration is planned from the start."
)


def _provider(school: School, name: str, sites: list[tuple[str, str, str]], **fields) -> Provider:
    provider, _ = Provider.objects.update_or_create(school=school, name=name, defaults=fields)
    for index, (site_name, address, postcode) in enumerate(sites):
        ProviderSite.objects.update_or_create(
            provider=provider,
            name=site_name,
            defaults={"address": address, "postcode": postcode, "is_main": index == 0},
        )
    provider_organisation_link(actor=None, provider=provider)
    return provider


def _confirmation(provider: Provider, dsl: User, signed_on: date, name: str, position: str) -> None:
    checks = {field: True for field, _label in SafeguardingConfirmation.CHECKS}
    defaults = {
        "confirmed_by_position": position,
        "signed_on": signed_on,
        "expires_on": add_months(signed_on, provider.school.confirmation_validity_months),
        "recorded_by": dsl,
        **checks,
    }
    confirmation, created = SafeguardingConfirmation.objects.update_or_create(
        provider=provider, confirmed_by_name=name, defaults=defaults
    )
    if created or not confirmation.signed_copy:
        # The request letter stands in for the scanned reply the provider signed and returned.
        scan = safeguarding_letter_pdf(provider=provider, signatory=dsl)
        confirmation.signed_copy.save("signed-confirmation.pdf", ContentFile(scan))


def _audit(
    provider: Provider,
    *,
    auditor: User,
    signer: User | None,
    visit_date: date,
    answered: int = len(GOOD_VISIT),
    actions: Sequence[tuple[int, str, int, bool, bool]] = (),
) -> Audit:
    """An audit with its first `answered` questions filled in; signed off when signer is given.
    actions: (question number, description, due in days from the visit, blocking, done)."""
    completed = signer is not None
    status = Audit.Status.COMPLETED if completed else Audit.Status.DRAFT
    # The demo's natural key is (provider, status): reloading on another day moves the dates.
    audit = Audit.objects.filter(provider=provider, version=1, status=status).order_by("created_at").first()
    audit = audit or Audit(provider=provider, version=1, status=status)
    audit.bank = audit.bank if audit.bank_id else question_bank_current()
    audit.visit_date, audit.visit_time, audit.auditor, audit.created_by = visit_date, time(9, 30), auditor, auditor
    audit.suitable = True if completed else None
    audit.reasons = SUITABLE_REASONS if completed else ""
    audit.signed_off_by = signer
    audit.signed_off_at = timezone.make_aware(datetime.combine(visit_date, time(15, 45))) if completed else None
    audit.expires_on = add_months(visit_date, AUDIT_VALIDITY_MONTHS) if completed else None
    audit.save()
    questions = AuditQuestion.objects.filter(section__bank=audit.bank).order_by("section__order", "order")
    answers = {}
    for number, question in enumerate(questions, start=1):
        text, evidence = GOOD_VISIT[number - 1] if number <= answered else ("", "")
        answers[number], _ = AuditAnswer.objects.update_or_create(
            audit=audit, question=question, defaults={"answer": text, "evidence": evidence}
        )
    for number, description, due_in_days, blocking, done in actions:
        due_on = visit_date + timedelta(days=due_in_days)
        FurtherAction.objects.update_or_create(
            answer=answers[number],
            defaults={
                "description": description,
                "owner": auditor,
                "due_on": due_on,
                "blocking": blocking,
                "done_on": due_on - timedelta(days=3) if done else None,
                "done_by": auditor if done else None,
            },
        )
    return audit


def seed(ctx: DemoContext) -> None:
    today = timezone.localdate()
    dsl, head, sendco = ctx.users["dsl"], ctx.users["head"], ctx.users["sendco"]
    school = ctx.school
    registered = {
        "kind": Provider.Kind.OFFSITE,
        "registration_checked_by": dsl,
        "registration_checked_on": today - timedelta(days=81),
    }

    littleton = _provider(
        school,
        "Littleton Green Alternative Provision",
        [
            ("Main site", "Littleton Green Lane\nCannock\nStaffordshire", "WS99 4LG"),
            ("Forest school", "Hednesford Road Woods\nCannock", "WS99 5HR"),
        ],
        **registered,
        registration=Provider.Registration.REGISTERED_SCHOOL,
        urn="145123",
        ofsted_overall="good",
        ofsted_quality_of_education="good",
        ofsted_leadership="good",
        ofsted_safeguarding="met",
        ofsted_inspected_on=today - timedelta(days=420),
        ofsted_report_url="https://reports.ofsted.example/provider/145123",
        on_la_directory=True,
        contact_name="Ms Jo Whitfield",
        contact_role="Head of centre",
        phone="01543 000111",
        email="jo.whitfield@littletongreen.example",
        agreement_starts_on=date(today.year if today.month >= 9 else today.year - 1, 9, 1),
        agreement_ends_on=date(today.year + 1 if today.month >= 9 else today.year, 8, 31),
        subjects="English, maths, science, PSHE, therapeutic support and forest school",
        age_from=5,
        age_to=11,
        sessions="Monday to Friday, 9:15 to 12:00 and 13:00 to 15:00",
        cost_per_session=Decimal("85.00"),
        cost_per_day=Decimal("170.00"),
    )
    _confirmation(littleton, dsl, today - timedelta(days=81), "Jo Whitfield", "Head of centre")
    organisation = littleton.organisation
    assert organisation is not None  # provider_create links every off-site provider to one
    organisation.address, organisation.postcode = "Littleton Green Lane\nCannock", "WS99 4LG"
    organisation.email, organisation.phone = littleton.email, littleton.phone
    organisation.save()
    _audit(
        littleton,
        auditor=dsl,
        signer=dsl,
        visit_date=today - timedelta(days=40),
        actions=[
            (4, "Obtain a copy of the AP's updated safeguarding action plan.", 14, False, True),
            (16, "Agree the reintegration review dates with the centre for the spring term.", 60, False, False),
        ],
    )

    # Audited more than 12 months ago; the re-audit is in draft and its confirmation runs out soon.
    outdoor = _provider(
        school,
        "Northbridge Outdoor Learning",
        [("Boathouse", "Reservoir Road\nNorthbridge", "ST99 7OL")],
        **registered,
        registration=Provider.Registration.UKPRN_ONLY,
        ukprn="10087654",
        contact_name="Mr Sam Reeve",
        contact_role="Centre manager",
        phone="01234 998877",
        email="sam@northbridge-outdoor.example",
        subjects="Outdoor education, team building, bushcraft; English and maths in short blocks",
        age_from=8,
        age_to=16,
        sessions="Tuesdays and Thursdays, 9:30 to 14:30",
        cost_per_day=Decimal("140.00"),
    )
    _confirmation(outdoor, dsl, today - timedelta(days=340), "Sam Reeve", "Centre manager")
    _audit(outdoor, auditor=sendco, signer=dsl, visit_date=add_months(today, -12) - timedelta(days=15))
    _audit(outdoor, auditor=dsl, signer=None, visit_date=today - timedelta(days=2), answered=9)

    # Its signed confirmation expired last month, and its audit is due again within 30 days.
    farm = _provider(
        school,
        "Greenway Care Farm",
        [("Greenway Farm", "Mill Lane\nLower Hatton\nStaffordshire", "ST98 2GF")],
        **registered,
        registration=Provider.Registration.UNREGISTERED,
        setting_type=Provider.SettingType.OTHER_UNREGISTERED,
        contact_name="Mrs Priya Shah",
        contact_role="Farm education lead",
        phone="01785 224466",
        email="priya@greenwayfarm.example",
        subjects="Animal care, horticulture, practical maths",
        age_from=7,
        age_to=14,
        sessions="Wednesday mornings, 9:00 to 12:30",
        cost_per_session=Decimal("65.00"),
    )
    _confirmation(farm, dsl, add_months(today, -12) - timedelta(days=35), "Priya Shah", "Farm education lead")
    _audit(farm, auditor=dsl, signer=head, visit_date=add_months(today, -12) + timedelta(days=20))

    # Unregistered tuition: the placements app will show its registration-threshold warning.
    tuition = _provider(
        school,
        "Stepping Stones Tuition",
        [("Teaching rooms", "Unit 4, Canal Side\nNorthbridge", "ST99 8SS")],
        **registered,
        registration=Provider.Registration.UNREGISTERED,
        setting_type=Provider.SettingType.ONE_TO_ONE_TUITION,
        contact_name="Mr Lee Adams",
        contact_role="Director",
        phone="07700 900123",
        email="lee@steppingstones.example",
        subjects="English and maths, one to one",
        age_from=5,
        age_to=16,
        sessions="Monday to Friday, 9:00 to 15:00",
        cost_per_session=Decimal("55.00"),
        cost_per_day=Decimal("110.00"),
    )
    _confirmation(tuition, dsl, today - timedelta(days=50), "Lee Adams", "Director")
    _audit(
        tuition,
        auditor=dsl,
        signer=dsl,
        visit_date=today - timedelta(days=60),
        actions=[(3, "See the enhanced DBS certificates of the two tutors who joined in September.", 51, True, False)],
    )

    internal = {"kind": Provider.Kind.INTERNAL, "safeguarding_policy_applies": True}
    school_address = "\n".join(line for line in school.address.splitlines())
    _provider(
        school,
        "Rockets class",
        [("Reading Room", school_address, school.postcode)],
        **internal,
        lead_staff_name="Miss Amy Carter, class teacher (with a full-time TA)",
        staff_training="Trauma-informed practice; de-escalation (Team Teach); the TA holds Forest School level 3.",
        reintegration_approach=(
            "Every pupil keeps a home class and joins it for breaktimes, Friday Together Time and trips. "
            "Time in class grows pupil by pupil, planned with the class teacher and the family."
        ),
        risk_assessment_on=today - timedelta(days=60),
        subjects="Phonics, maths and English daily; creative and forest school curriculum",
        age_from=5,
        age_to=7,
        sessions="Monday to Friday, mornings; afternoons in the home class as planned",
    )
    _provider(
        school,
        "Internal Alternative Provision (IAP)",
        [],
        **internal,
        lead_staff_name="Mr Ben Ashworth, assistant headteacher (inclusion)",
        staff_training="Trauma-informed approaches, de-escalation and inclusive practice.",
        reintegration_approach=(
            "A reintegration plan is agreed at entry with the pupil, staff and parents, reviewed weekly, "
            "with a graduated return timetable. Placements last two to six weeks."
        ),
        risk_assessment_on=add_months(today, -13),
        short_term_iap=True,
        sessions="Full days for two to six weeks",
    )

    # Riverside places pupils at Littleton Green too: its own directory entry and checks, the same
    # provider body (one organisation), so the provider's portal shows both schools' pupils.
    _provider(
        ctx.other_school,
        "Littleton Green AP",
        [("Main site", "Littleton Green Lane\nCannock\nStaffordshire", "WS99 4LG")],
        kind=Provider.Kind.OFFSITE,
        registration=Provider.Registration.REGISTERED_SCHOOL,
        urn="145123",
        contact_name="Ms Jo Whitfield",
        contact_role="Head of centre",
        phone="01543 000111",
        email="jo.whitfield@littletongreen.example",
    )
    _provider(
        ctx.other_school,
        "Wharf Road Learning Centre",
        [("Main site", "3 Wharf Road\nNorthbridge", "ST99 3WR")],
        kind=Provider.Kind.OFFSITE,
        registration=Provider.Registration.REGISTERED_SCHOOL,
        urn="146789",
        contact_name="Ms Dana Holt",
        contact_role="Headteacher",
    )

    _la_visit(ctx, organisation, today)

    # The office looks up providers' contact details, sites and provider bodies, read-only, in the
    # back office; who has portal access is the DSL's and SENDCo's (the portal-access page).
    office_view = Permission.objects.filter(
        content_type__app_label="audits",
        codename__in=["view_provider", "view_providersite", "view_providerorganisation"],
    )
    office_group().permissions.add(*office_view)


def _la_visit(ctx: DemoContext, organisation: ProviderOrganisation, today: date) -> None:
    """The LA's own quality-assurance visit of Littleton Green, which both schools read on their
    provider page and the LA officer sees in the directory at /la/providers/ (once: idempotent)."""
    if organisation.la_visits.exists():
        return
    la_quality_visit_record(
        actor=ctx.users["laofficer"],
        organisation=organisation,
        visited_on=today - timedelta(days=26),
        visitor="Laura Okoye, AP commissioning officer",
        judgement=LAQualityVisit.Judgement.ACTIONS,
        summary="Safeguarding culture strong and the single central record complete. Attendance calls to schools are "
        "made by 9:30 but not written down: a log to be kept from January, checked at the next visit.",
        next_visit_due=add_months(today, 6),
    )
