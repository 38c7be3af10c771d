"""The trust and the local authority above the schools (docs/oversight.md): every school in one
LA, the first TRUST_SCHOOLS schools in one trust, the trust's lead (trustlead01, a SENDCo across
the trust) and the LA's officer (laofficer01), an LA notification of every off-site placement
that was sent for approval, as the school's "notify the LA" makes it (one stored letter each), and
the provider bodies behind the schools' directory entries with the LA's visit of each."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from apcase.models import Document, LocalAuthority, LocalAuthorityOfficer, Membership, Role, School, Trust, User
from audits.models import LAQualityVisit, Provider, ProviderOrganisation, add_months
from bench import texts
from bench.generator.base import Build
from bench.generator.people import LA
from placements.la_notification import TITLE
from placements.models import LANotification, Placement

TRUST_SCHOOLS = 50


def create_oversight(build: Build, password: str | None) -> None:
    code, name = LA
    local_authority = LocalAuthority(
        public_id=build.uuid(),
        name=f"{name} Council",
        code=code,
        ap_contact="AP Commissioning Team",
        ap_address=f"{name} Council\nCounty Buildings",
        ap_email=f"ap@{code}.la.bench.example",
    )
    set_up = build.at(build.today - timedelta(days=400), 8)
    build.insert(LocalAuthority, [build.stamped(local_authority, set_up, None)])
    trust = Trust(public_id=build.uuid(), name="Bench Learning Trust")
    build.insert(Trust, [trust], history=False)  # a trust keeps no history
    ids = [bs.school.pk for bs in build.schools]
    School.objects.filter(pk__in=ids).update(local_authority=local_authority)
    School.objects.filter(pk__in=ids[:TRUST_SCHOOLS]).update(trust=trust)
    hashed = make_password(password)
    lead = User(public_id=build.uuid(), username="trustlead01", first_name="Tariq", last_name="Lead", password=hashed)
    officer = User(
        public_id=build.uuid(), username="laofficer01", first_name="Laura", last_name="Officer", password=hashed
    )
    build.insert(User, [lead, officer], history=False)
    first = build.schools[0].school
    membership = Membership(user=lead, school=first, role=Role.SENDCO, trust_wide=True)
    build.insert(Membership, [build.stamped(membership, set_up, None)])
    build.insert(LocalAuthorityOfficer, [LocalAuthorityOfficer(user=officer, local_authority=local_authority)])
    _notifications(build, local_authority)
    _provider_bodies(build, local_authority, officer)


def _provider_bodies(build: Build, local_authority: LocalAuthority, officer: User) -> None:
    """Each off-site provider name is one body that every school lists (as provider_create links
    them), so the LA's directory has every school's clearance of each; the LA visited each once."""
    set_up = build.at(build.today - timedelta(days=400), 8)
    bodies = [
        build.stamped(ProviderOrganisation(public_id=build.uuid(), name=name), set_up, None)
        for name in texts.OFFSITE_PROVIDERS
    ]
    build.insert(ProviderOrganisation, bodies)
    visits = []
    for body in bodies:
        Provider.objects.filter(name=body.name, kind=Provider.Kind.OFFSITE).update(organisation=body)
        visited = build.today - timedelta(days=build.rng.randrange(20, 200))
        visit = LAQualityVisit(
            public_id=build.uuid(),
            local_authority=local_authority,
            organisation=body,
            visited_on=visited,
            visitor="Laura Officer, AP officer",
            judgement=build.pick({LAQualityVisit.Judgement.MEETS: 6, LAQualityVisit.Judgement.ACTIONS: 3}),
            summary="Safeguarding and attendance procedures seen in practice; pupils' work sampled.",
            next_visit_due=add_months(visited, 12),
            recorded_by=officer,
        )
        visits.append(build.stamped(visit, build.at(visited, 16), officer))
    build.insert(LAQualityVisit, visits)


def _notifications(build: Build, local_authority: LocalAuthority) -> None:
    stored = build.placeholder()
    notified = (
        Placement.objects.filter(kind=Placement.Kind.OFFSITE, status__in=Placement.LIVE | Placement.STARTED)
        .select_related("pupil", "school")
        .order_by("pk")
    )
    sendcos = {bs.school.pk: bs.staff[Role.SENDCO] for bs in build.schools}
    documents, notifications = [], []
    for placement in notified:
        sendco = sendcos[placement.school_id]
        when = build.at(placement.created_at.date(), 16)
        document = Document(
            public_id=build.uuid(),
            school=placement.school,
            kind="la_notification",
            title=f"{TITLE}: {placement.pupil.full_name}",
            file=stored.name,
            sha256=stored.sha256,
            size=stored.size,
            created_by=sendco,
            created_at=when,
        )
        documents.append(build.stamped(document, when, sendco))
        notification = LANotification(
            public_id=build.uuid(),
            placement=placement,
            local_authority=local_authority,
            document=document,
            created_by=sendco,
            created_at=when,
            sent_at=when,
            acknowledged_at=when if build.chance(0.6) else None,
            acknowledged_by=None,
        )
        notifications.append(build.stamped(notification, when, sendco))
    build.insert(Document, documents)
    build.insert(LANotification, notifications)
