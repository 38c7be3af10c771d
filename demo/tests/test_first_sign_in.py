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
