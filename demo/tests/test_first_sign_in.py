"""A newcomer signing in to the demo meets every kind of to-do of issue 13 (a child out of sight)."""

from __future__ import annotations

import pytest

from apcase.models import Role, User
from dashboards.panels import dashboard_for
from outbox.models import Message


def _queue(username: str, role: Role) -> dict[str, list[str]]:
    user = User.objects.get(username=username)
    school = user.memberships.get().school
    kinds: dict[str, list[str]] = {}
    for item in dashboard_for(user=user, school=school, roles=[role])[0].queue:
        kinds.setdefault(item.kind, []).append(item.title)
    return kinds


@pytest.mark.demo("monday 07/12/2026")  # after the first days of 30/11 and 03/12
def test_the_demo_shows_every_new_to_do_on_first_sign_in(demo):
    sendco, head, dsl = _queue("sendco", Role.SENDCO), _queue("head", Role.HEAD), _queue("dsl", Role.DSL)
    office = _queue("office", Role.OFFICE)
    outbox = {
        (m.channel, m.status, bool(m.document_id))
        for m in Message.objects.filter(school__name="Oakfield Primary School")
    }

    first_day_passed = sorted(title.split(":")[0] for title in sendco["First day passed"])
    assert first_day_passed == ["Amelia Novak", "Ibrahim Hassan", "Mason Kaur-Bell", "Zara Mensah"]
    off_site = ["Amelia Novak", "Ibrahim Hassan", "Zara Mensah"]
    assert sorted(title.split(":")[0] for title in dsl["First day passed"]) == off_site
    assert "Freya Cole: starts tomorrow; not yet approved" in sendco["Not approved"]
    assert "Freya Cole: starts tomorrow; not yet approved" in head["Not approved"]
    for queue in (sendco, head):
        [kacey] = queue["Provider not cleared"]
        assert kacey.startswith("Kacey Doyle: Internal Alternative Provision (IAP) is no longer cleared")
    # Issue 13 B: the policies' steps.
    handovers = sorted(title.split(":")[0] for title in sendco["Handover"])
    assert {"Mason Kaur-Bell", "Zara Mensah"} <= set(handovers), handovers
    [amended] = sendco["Amended notice"]
    assert amended == "Jayden Clarke: issue an amended notice: session times changed"
    # The office's outbox: a letter posted, one waiting with its PDF, an e-mail that failed (also
    # in the SENDCo's to-do, who sent it), and an e-mail queued for dispatch_outbox.
    assert {
        ("post", "sent", True),
        ("post", "queued", True),
        ("email", "failed", True),
        ("email", "queued", True),
    } <= outbox
    assert sendco["Message not delivered"] == ["Parent notice to Donna Clarke: failed"]
    # The daily chase: the office calls Zara's home; her run of unexplained absence is escalated.
    assert any(title.startswith("Zara Mensah: call home: morning: absent (N)") for title in office["Call home"])
    for queue in (sendco, dsl):
        assert queue["Unexplained absence"] == ["Zara Mensah: 5 unexplained sessions in a row"]
    # The contact log: Jayden's centre was called on the last school day; the other running
    # placements have no provider contact recorded.
    contact_todos = sorted(title.split(":")[0] for title in sendco["Provider contact"])
    assert "Jayden Clarke" not in contact_todos and contact_todos


# The SENDCo's own to-dos beside the placements' (dashboards/panels.py: referrals, reviews, the outbox).
SENDCO_OWN_KINDS = {
    "New Cause for Concern",
    "Referral under review",
    "Review",
    "Review overdue",
    "Check-in after the return",
    "Message not delivered",
}


@pytest.mark.demo("monday 07/12/2026")
def test_a_demo_sendco_meets_every_kind_of_to_do_and_every_placement_tile_counts_some(demo):
    from placements.selectors.attention import ATTENTION

    user = User.objects.get(username="sendco")
    [panel] = dashboard_for(user=user, school=user.memberships.get().school, roles=[Role.SENDCO])
    kinds = {item.kind for item in panel.queue}
    expected = {reason.kind for reason in ATTENTION.values() if Role.SENDCO in reason.queue} | SENDCO_OWN_KINDS
    assert sorted(expected - kinds) == []
    labels = {reason.label for reason in ATTENTION.values() if Role.SENDCO in reason.tiles}
    assert sorted(tile.label for tile in panel.tiles if tile.label in labels and not tile.count) == []


@pytest.mark.demo("monday 07/12/2026")
def test_the_demo_letters_greet_parents_by_title(demo):
    from apcase.tests.pdf import pdf_text

    notices = Message.objects.filter(purpose=Message.Purpose.PARENT_NOTICE, recipient_name="Donna Clarke")
    assert notices and all(message.body.startswith("Dear Ms Clarke,\n") for message in notices)
    assert all("Dear Ms Clarke," in pdf_text(m.document.read_bytes()) for m in notices if m.document)
