"""Who may open each oversight URL that names an object: a notification is the LA's to whom it was
sent, a provider in the directory the LA's whose schools list it (oversight/access.py); everyone
else, school staff and trust leads included, gets a 404."""

from __future__ import annotations

from datetime import date

from apcase.tests.access import Case, expect
from placements.models import Placement
from placements.services import placement_la_notify
from placements.tests.factories import PlacementFactory

NOBODY_ELSE = expect(404, laofficer=200, trustlead=404)


def _notification(world):
    placement = PlacementFactory(
        pupil__school=world.school, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 2)
    )
    return {"public_id": placement_la_notify(actor=world.users["sendco"], placement=placement).public_id}


def _listed_provider(world):
    """A provider body school A lists in its directory: its LA's officers see it."""
    from audits.tests.factories import ProviderFactory, ProviderOrganisationFactory

    organisation = ProviderOrganisationFactory()
    ProviderFactory(school=world.school, organisation=organisation)
    return {"public_id": organisation.public_id}


CASES = {
    "oversight:la_provider": Case(_listed_provider, NOBODY_ELSE),
    # Only the LA's officers record its visits (a GET shows them the form).
    "oversight:la_visit_new": Case(_listed_provider, NOBODY_ELSE),
    "oversight:la_notification_letter": Case(_notification, NOBODY_ELSE),
    # Acknowledged, the officer goes back to the list.
    "oversight:la_notification_acknowledge": Case(_notification, {**NOBODY_ELSE, "laofficer": 302}, method="post"),
}
