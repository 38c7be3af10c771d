"""A double submit of "plan the placement" makes one placement, not two (issue 14, finding 5): the
service locks the referral and checks inside the transaction, and a constraint holds the rule."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from placements.models import Placement
from placements.tests.cases import approved_referral, placement_planned
from placements.tests.test_views import _form


def _plan(referral, provider, sendco):
    return placement_planned(
        actor=sendco,
        pupil=referral.pupil,
        provider=provider,
        referral=referral,
        no_referral_reason="",
        site=provider.sites.first(),
        objectives="Attend every session.",
    )


def test_a_second_plan_from_the_same_referral_is_refused(sendco, head, teacher, pupil, provider, today):
    from django.core.exceptions import ValidationError

    referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
    _plan(referral, provider, sendco)
    with pytest.raises(ValidationError, match="already planned from this referral"):
        _plan(referral, provider, sendco)
    assert Placement.objects.filter(referral=referral).count() == 1


def test_after_a_cancelled_placement_the_referral_can_be_planned_again(sendco, head, teacher, pupil, provider, today):
    referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
    first = _plan(referral, provider, sendco)
    Placement.objects.filter(pk=first.pk).update(status=Placement.Status.CANCELLED)
    assert _plan(referral, provider, sendco).pk != first.pk


def test_the_database_holds_one_open_placement_per_referral(sendco, head, teacher, pupil, provider, today):
    referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
    first = _plan(referral, provider, sendco)
    first.pk, first.public_id = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.bulk_create([first])


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every write; the race needs PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep data-migration rows
def test_two_simultaneous_submits_make_one_placement(sendco, head, teacher, pupil, provider, today):
    referral = approved_referral(pupil=pupil, teacher=teacher, sendco=sendco, head=head)
    address = reverse("placements:new") + f"?referral={referral.public_id}"
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(sendco)
    start = threading.Barrier(len(clients))
    statuses = []

    def submit(client):
        try:
            start.wait()
            statuses.append(client.post(address, _form(provider)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]  # one planned, one told it already is
    assert Placement.objects.filter(referral=referral).count() == 1
