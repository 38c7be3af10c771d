from __future__ import annotations

import pytest

from apcase.models import User
from audits.models import Audit, AuditAnswer, Provider, SafeguardingConfirmation
from audits.selectors import confirmations_expiring, further_actions_open, provider_clearance


@pytest.mark.demo("monday 23/11/2026")
def test_the_demo_has_a_provider_in_every_state_and_reloads_without_duplicates(demo):
    missing = {p.name: provider_clearance(p).missing for p in Provider.objects.filter(school__urn="149901")}
    dsl = User.objects.get(username="dsl")
    expiring = [c.provider.name for c in confirmations_expiring(user=dsl)]
    queue = list(further_actions_open(user=dsl))

    assert missing["Littleton Green Alternative Provision"] == []
    assert missing["Rockets class"] == []
    assert "No completed audit judged suitable within the last 12 months" in missing["Northbridge Outdoor Learning"][0]
    assert missing["Greenway Care Farm"] == [
        "No signed safeguarding confirmation within its 12-month validity (the last one expired on 19/10/2026)."
    ]
    assert "blocking further action is overdue" in missing["Stepping Stones Tuition"][0]
    assert "risk assessment of the space is out of date" in missing["Internal Alternative Provision (IAP)"][0]
    assert Provider.objects.get(name="Stepping Stones Tuition").registration == Provider.Registration.UNREGISTERED
    assert Provider.objects.filter(school__urn="149902").count() == 2
    shared = Provider.objects.filter(urn="145123").values_list("organisation_id", flat=True)
    assert len(shared) == 2 and len(set(shared)) == 1 and None not in shared
    assert expiring == ["Northbridge Outdoor Learning"]
    assert len(queue) == 2
    assert Audit.objects.count() == 5 and AuditAnswer.objects.count() == 5 * 27
    assert SafeguardingConfirmation.objects.count() == 4
