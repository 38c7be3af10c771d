"""Pressing "raise a referral" or "arrange a review" twice makes one record (issue 13): each form
page carries a one-time token, claimed in the transaction that makes the record, and the second
submit lands where the first did. Every other form that makes a record does the same."""

from __future__ import annotations

import re
import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import Manager
from django.test import Client

from placements.models import Placement
from pupils.models import Referral
from pupils.tests.cases import referral_at
from reviews.models import ReviewMeeting
from reviews.services import review_arrange

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


PAST = "20/11/2026"


def _creates(world) -> list[tuple[str, str, dict, Manager[Any]]]:
    """(name, address, a valid form, the rows it adds to) for each form page that makes a record."""
    from placements.models import ContactLog, Incident, Visit
    from pupils.models import Contact, ParentMeeting, Pupil
    from reviews.models import ReviewAction, ReviewRequest, Target

    running = world.at(S.ACTIVE, start_date=date(2026, 11, 16))
    referral = referral_at(Referral.Status.UNDER_REVIEW, pupil=world.pupil, teacher=world.teacher, sendco=world.sendco)
    review = review_arrange(actor=world.sendco, placement=running, kind="formal", due_on=date(2026, 11, 20))
    on = running.public_id
    return [
        ("a pupil", "/pupils/new/", {"upn": "Q860200119101", "ehcp_pathway": "none", "legal_first_name": "Ada",
         "legal_last_name": "Lovelace", "sex": "F",
         "date_of_birth": "10/12/2016", "year_group": "5", "sen_provision": "N", "admission_date": "01/09/2021"},
         Pupil.objects),
        ("a contact", f"/pupils/{world.pupil.public_id}/contacts/new/", {"name": "Lee Clarke", "relationship": "father",
         "priority": "2", "phone": "07700 900000", "preferred_method": "phone"}, Contact.objects),
        ("a parent meeting", f"/referrals/{referral.public_id}/meetings/new/", {"held_on": PAST, "held_time": "10:00",
         "attendees": "Mum", "explained": "Why AP.", "parents_views": "Keen.", "agreement": "agree"},
         ParentMeeting.objects),
        ("an incident", f"/placements/{on}/incidents/new/", {"occurred_on": PAST, "occurred_time": "10:00",
         "severity": "low", "description": "Shouted.", "actions_taken": "Calmed.", "reported_by": "Jo Whitfield"},
         Incident.objects),
        ("a visit", f"/placements/{on}/visits/new/", {"visited_on": PAST, "staff": [world.sendco.pk],
         "what_was_seen": "Settled."}, Visit.objects),
        ("a contact with the provider", f"/placements/{on}/contacts/new/", {"party": "provider",
         "with_whom": "Jo Whitfield", "how": "call", "contacted_on": PAST, "agreed": "Weekly calls."},
         ContactLog.objects),
        ("a request for a review", f"/reviews/requests/new/?placement={on}", {"received_on": PAST,
         "requester": "parent", "requester_name": "Donna Clarke", "method": "letter", "request_text": "Please."},
         ReviewRequest.objects),
        ("a target", f"/placements/{on}/progress/targets/new/", {"area": "attendance", "description": "Attend.",
         "baseline": "80", "target_value": "95", "unit": "%", "higher_is_better": "on"}, Target.objects),
        ("a review action", f"/reviews/{review.public_id}/actions/new/", {"action-description": "Call home.",
         "action-owner": world.sendco.pk, "action-due_on": "27/11/2026"}, ReviewAction.objects),
    ]  # fmt: skip


class _World:
    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return self.request.getfixturevalue(name)


def test_every_form_that_makes_a_record_makes_one_when_sent_twice(request, client_for, sendco, today):
    client = client_for(sendco)
    for name, address, data, rows in _creates(_World(request)):
        before = rows.count()
        sent = data | _opened(client, address)
        first, second = client.post(address, sent), client.post(address, sent)
        assert first.status_code == 302, (name, first.context and first.context["form"].errors)
        assert second.status_code == 302 and second["Location"] == first["Location"], name
        assert rows.count() == before + 1, name


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
