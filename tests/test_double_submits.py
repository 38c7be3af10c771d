"""Pressing "raise a referral" or "arrange a review" twice makes one record (issue 13): each form
page carries a one-time token, claimed in the transaction that makes the record, and the second
submit lands where the first did."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from placements.models import Placement
from pupils.models import Referral
from reviews.models import ReviewMeeting

S = Placement.Status
REFERRAL = {
    "criteria": ["disruptive"],
    "concern": "Leaves the classroom most lessons.",
    "reasons": ["semh"],
    "suspensions_this_year": "0",
    "strategies_tried": "Daily check-in with the learning mentor.",
    "tried_for_weeks": "6",
    "parents_informed": "on",
    "submit": "1",
}
REVIEW = {"kind": ReviewMeeting.Kind.FORMAL, "due_on": "2026-11-27"}


def _token(page: str) -> str:
    found = re.search(r'<input type="hidden" name="once" value="([0-9a-f-]{36})">', page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def _opened(client, address: str) -> dict:
    return {"once": _token(client.get(address).content.decode())}


@pytest.fixture
def referral_page(pupil, teacher, client_for):
    client = client_for(teacher)
    return client, f"/referrals/new/{pupil.public_id}/"


@pytest.fixture
def review_page(at, sendco, client_for):
    placement = at(S.ACTIVE, start_date=date(2026, 11, 16))
    return client_for(sendco), f"/reviews/new/?placement={placement.public_id}", placement


class TestPressedTwice:
    def test_a_referral_sent_twice_is_raised_once(self, referral_page, pupil):
        client, address = referral_page
        data = REFERRAL | _opened(client, address)
        first, second = client.post(address, data), client.post(address, data)
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        [referral] = Referral.objects.filter(pupil=pupil)
        assert referral.status == Referral.Status.SUBMITTED and first["Location"] == referral.get_absolute_url()

    def test_a_review_sent_twice_is_arranged_once(self, review_page):
        client, address, placement = review_page
        before = ReviewMeeting.objects.filter(placement=placement).count()
        data = REVIEW | _opened(client, address)
        first, second = client.post(address, data), client.post(address, data)
        assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
        assert ReviewMeeting.objects.filter(placement=placement).count() == before + 1

    def test_opening_the_form_again_raises_another(self, referral_page, pupil):
        client, address = referral_page
        client.post(address, REFERRAL | _opened(client, address))
        client.post(address, REFERRAL | _opened(client, address))
        assert Referral.objects.filter(pupil=pupil).count() == 2

    def test_a_refused_submit_leaves_the_token_for_the_corrected_one(self, referral_page, pupil):
        client, address = referral_page
        data = REFERRAL | _opened(client, address)
        refused = client.post(address, data | {"concern": ""})
        assert refused.status_code == 200 and _token(refused.content.decode()) == data["once"]
        assert client.post(address, data).status_code == 302
        assert Referral.objects.filter(pupil=pupil).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every write; the race needs PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep data-migration rows
def test_two_simultaneous_submits_raise_one_referral(pupil, teacher):
    address = f"/referrals/new/{pupil.public_id}/"
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(teacher)
    data = REFERRAL | _opened(clients[0], address)
    start = threading.Barrier(len(clients))
    locations = []

    def submit(client):
        try:
            start.wait()
            locations.append(client.post(address, data)["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [referral] = Referral.objects.filter(pupil=pupil)
    assert locations == [referral.get_absolute_url()] * 2
