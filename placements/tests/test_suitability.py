"""The school's own decision that an off-site provision suits this pupil (the audit's closing question,
"Is this AP suitable for your pupil?"), apart from the provider's clearance: the headteacher approves
only after a "suitable" one (docs/domain-rules.md#suitability)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.tests.factories import completed_audit
from placements.models import Placement, SuitabilityDecision
from placements.selectors import placement_approval_facts, placement_approval_gate
from placements.selectors.attention import Attention
from placements.services import placement_transition, suitability_decision_record
from placements.tests.cases import internal_provider, judged_suitable, parents_agree
from pupils.models import Approval, CaseEvent
from pupils.records import records_about
from pupils.services import approval_decide

S = Placement.Status
pytestmark = pytest.mark.django_db


def _decide(placement, actor, suitable=True, **fields):
    fields = {
        "decided_on": date(2026, 11, 20),
        "reasons": "Small groups and a fresh start.",
        "considered": "The audit's two concerns; his EHC plan.",
        **fields,
    }
    return suitability_decision_record(actor=actor, placement=placement, suitable=suitable, **fields)


def _ask(placement, sendco):
    return placement_transition(placement=placement, target=S.AWAITING_APPROVAL, actor=sendco)


class TestTheGate:
    def test_the_head_is_not_asked_without_a_decision_and_is_once_it_says_suitable(self, at, sendco):
        placement = at(S.PLANNED)
        with pytest.raises(ValidationError) as refused:
            _ask(placement, sendco)
        assert "is suitable for Jayden" in str(refused.value)
        _decide(placement, sendco)
        assert _ask(placement, sendco).status == S.AWAITING_APPROVAL

    def test_a_not_suitable_decision_after_the_request_stops_the_approval(self, at, sendco, head, dsl, today):
        placement = at(S.AWAITING_APPROVAL)  # judged suitable today before the head was asked
        _decide(placement, dsl, suitable=False, decided_on=today, reasons="The centre cannot meet his medical needs.")
        approval = Approval.objects.get(kind="placement", object_id=placement.pk, status=Approval.Status.PENDING)
        with pytest.raises(ValidationError) as refused:
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        assert "judged Littleton Green not suitable" in str(refused.value)
        assert Placement.objects.get(pk=placement.pk).status == S.AWAITING_APPROVAL
        _decide(placement, sendco, decided_on=date(2026, 11, 23), reasons="A nurse now attends daily.")
        assert placement_approval_gate(placement).suitability is None  # the latest decision stands

    def test_the_school_s_own_provision_needs_none(self, at, school, sendco):
        placement = at(S.PLANNED, provider=internal_provider(school), directed_off_site=False)
        assert placement_approval_gate(placement).suitability is None
        parents_agree(placement, sendco)
        assert _ask(placement, sendco).status == S.AWAITING_APPROVAL
        with pytest.raises(ValidationError, match="Only an off-site provider"):
            _decide(placement, sendco)

    def test_the_head_sees_the_decision_with_the_request(self, at, sendco):
        placement = at(S.PLANNED)
        _decide(placement, sendco)
        facts = dict(placement_approval_facts(placement))
        assert facts["Suitable for the pupil"].startswith(f"Suitable, decided by {sendco} on 20/11/2026")


class TestRecording:
    def test_it_is_kept_with_its_history_and_a_step_in_the_chronology(self, at, dsl, provider):
        placement = at(S.PLANNED)
        audit = provider.audits.get()
        decision = _decide(placement, dsl, audit=audit)
        assert (decision.recorded_by, decision.audit, decision.suitable) == (dsl, audit, True)
        assert decision.history.count() == 1
        event = CaseEvent.objects.get(pupil=placement.pupil, kind=CaseEvent.Kind.DECISION)
        assert event.summary.startswith(f"{dsl} judged Littleton Green suitable for the pupil")

    def test_a_teacher_cannot_decide(self, at, teacher):
        with pytest.raises(PermissionDenied):
            _decide(at(S.PLANNED), teacher)

    def test_another_school_s_audit_counts_only_once_relied_on(self, at, sendco, dsl, school):
        from apcase.tests.factories import SchoolFactory
        from audits.tests.factories import ProviderFactory

        elsewhere = completed_audit(ProviderFactory(school=SchoolFactory()), dsl)
        with pytest.raises(ValidationError) as refused:
            _decide(at(S.PLANNED), sendco, audit=elsewhere)
        assert "audit" in refused.value.message_dict

    def test_a_decision_cannot_be_dated_in_the_future(self, at, sendco, today):
        with pytest.raises(ValidationError) as refused:
            _decide(at(S.PLANNED), sendco, decided_on=date(2026, 11, 24))
        assert "decided_on" in refused.value.message_dict


class TestTheToDo:
    def test_a_placement_waiting_for_a_decision_is_on_the_sendco_s_list_until_decided(self, at, sendco, today):
        placement = at(S.PLANNED)
        todos = Attention(user=sendco, today=today).todos("suitability")
        assert [(t.placement, t.url) for t in todos] == [
            (placement, reverse("placements:suitability_new", args=[placement.public_id]))
        ]
        _decide(placement, sendco)
        assert Attention(user=sendco, today=today).todos("suitability") == []

    def test_an_approved_placement_judged_not_suitable_later_is_urgent(self, at, sendco, dsl, today):
        placement = at(S.APPROVED)
        assert Attention(user=dsl, today=today).todos("suitability") == []
        _decide(placement, dsl, suitable=False, decided_on=today, reasons="Two serious incidents in a week.")
        [todo] = Attention(user=dsl, today=today).todos("suitability")
        assert todo.urgent and "judged not suitable on 23/11/2026" in todo.action


class TestThePage:
    def test_the_dsl_records_it_and_the_placement_shows_it(self, at, dsl, client_for):
        placement = at(S.PLANNED)
        client = client_for(dsl)
        url = reverse("placements:suitability_new", args=[placement.public_id])
        data = {"suitable": "yes", "decided_on": "20/11/2026", "considered": "The audit.", "reasons": "Small groups."}
        assert client.post(url, data).status_code == 302
        page = client.get(placement.get_absolute_url()).content.decode()
        assert "decided by" in page and "Small groups." in page
        assert SuitabilityDecision.objects.get(placement=placement).suitable is True

    def test_the_audits_to_choose_from_are_dated_in_words(self, at, sendco, provider, client_for):
        placement = at(S.PLANNED)
        audit = provider.audits.get()
        url = reverse("placements:suitability_new", args=[placement.public_id])
        choices = [label for _, label in client_for(sendco).get(url).context["form"].fields["audit"].choices]
        assert choices == ["No audit", f"Audit of {audit.visit_date:%-d %B %Y} by {provider.school.name}"]

    def test_every_missing_answer_is_shown_at_once(self, at, sendco, client_for):
        placement = at(S.PLANNED)
        url = reverse("placements:suitability_new", args=[placement.public_id])
        form = client_for(sendco).post(url, {"decided_on": "20/11/2026"}).context["form"]
        assert set(form.errors) == {"suitable", "considered", "reasons"}


def test_the_test_cases_decide_before_asking(at, sendco):
    """placement_at records a "suitable" decision before an off-site placement goes to the head."""
    placement = at(S.AWAITING_APPROVAL)
    assert placement.suitability_decisions.get().suitable
    judged_suitable(placement, sendco, suitable=False)
    assert placement_approval_gate(placement).suitability is not None


def test_its_reasons_go_with_the_pupil_s_other_records_at_the_end_of_retention(at, sendco):
    """A record about the pupil: in their subject access export, and erased with the rest."""
    decision = _decide(at(S.PLANNED), sendco)
    [(record_type, queryset)] = [
        (record_type, queryset)
        for record_type, queryset in records_about(decision.placement.pupil)
        if record_type.model is SuitabilityDecision
    ]
    assert list(queryset) == [decision]
    queryset.update(**record_type.erase)
    decision.refresh_from_db()
    assert decision.suitable and "Small groups" not in decision.reasons + decision.considered
