"""Who may open each portal URL (docs/portal.md).

Provider pages: only provider staff of the placement's provider body (200); every school persona
404, since the portal is not theirs. The school's portal-access page: the DSL and SENDCo manage
it (200 or a redirect after an action), other school roles 403, other schools and provider
staff 404."""

from __future__ import annotations

from apcase.tests.access import Case, expect
from audits.models import ProviderStaff
from audits.tests.factories import ProviderFactory, ProviderStaffFactory
from placements.models import Placement


def _their_placement(world) -> dict:
    staff = ProviderStaff.objects.get(user=world.users["provider_staff"])
    placement = Placement.objects.get(school=world.school, provider__organisation=staff.organisation)
    return {"public_id": placement.public_id}


def _their_review(world) -> dict:
    from reviews.tests.factories import ReviewMeetingFactory

    staff = ProviderStaff.objects.get(user=world.users["provider_staff"])
    placement = Placement.objects.get(school=world.school, provider__organisation=staff.organisation)
    return {"public_id": ReviewMeetingFactory(placement=placement).public_id}


def _their_entry(world) -> dict:
    staff = ProviderStaff.objects.get(user=world.users["provider_staff"])
    placement = Placement.objects.get(school=world.school, provider__organisation=staff.organisation)
    return {"public_id": placement.provider.public_id}


def _their_handover(world) -> dict:
    from placements.tests.factories import HandoverFactory

    placement = Placement.objects.get(public_id=_their_placement(world)["public_id"])
    return {"public_id": HandoverFactory(placement=placement).public_id}


def _entry(world) -> dict:
    staff = ProviderStaff.objects.get(user=world.users["provider_staff"])
    return {"public_id": ProviderFactory(school=world.school, organisation=staff.organisation, urn="").public_id}


def _staff_action(world) -> dict:
    entry = ProviderFactory(school=world.school)
    from audits.tests.factories import ProviderOrganisationFactory

    entry.organisation = ProviderOrganisationFactory()
    entry.save()
    member = ProviderStaffFactory(organisation=entry.organisation, invited_from=entry)
    return {"public_id": entry.public_id, "staff_id": member.public_id, "action": "suspend"}


PORTAL_ONLY = expect(404, provider_staff=200)
MANAGERS = expect(403, sendco=200, dsl=200)

CASES = {
    "provider_portal:placement": Case(_their_placement, PORTAL_ONLY),
    "provider_portal:incident_new": Case(_their_placement, PORTAL_ONLY),
    "provider_portal:review_report": Case(_their_review, PORTAL_ONLY),
    "provider_portal:progress": Case(_their_placement, PORTAL_ONLY),
    "provider_portal:sign_kcsie": Case(_their_entry, PORTAL_ONLY),
    "provider_portal:acknowledge_handover": Case(_their_handover, PORTAL_ONLY),
    "portal_access:staff": Case(_entry, MANAGERS),
    "portal_access:staff_action": Case(_staff_action, expect(403, sendco=302, dsl=302), method="post"),
}
