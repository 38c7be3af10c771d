"""Extending an approved placement: a later last day adds school days and cost, so it waits for the
headteacher's approval in the inbox; an earlier one applies at once."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apcase.access import forget_roles
from apcase.models import Role
from apcase.tests.factories import MembershipFactory, UserFactory
from placements.models import Placement, PlacementExtension
from placements.services import placement_extension_withdraw, placement_transition
from placements.tests.cases import extension_approval, placement_changed, pupil_with_parent
from pupils.models import Approval, CaseEvent, Pupil
from pupils.records import REMOVED
from pupils.retention import pupil_anonymise
from pupils.services import approval_decide
from pupils.subject_access import subject_access_export

S = Placement.Status
X = PlacementExtension.Status
K = CaseEvent.Kind
pytestmark = pytest.mark.django_db

JANUARY = date(2027, 1, 29)  # 19 school days after the planned last day, 18/12/2026
REASON = "Settling well but not yet ready to return; the centre recommends half a term more."


@pytest.fixture
def running(at):
    """Full time at £170 a day from Monday 16/11/2026 to Friday 18/12/2026: 25 school days, £4,250."""
    return at(S.ACTIVE, start_date=date(2026, 11, 16))


def _fresh(placement: Placement) -> Placement:
    return Placement.objects.select_related("pupil", "provider", "school").get(pk=placement.pk)


def _events(pupil, kind=None) -> list[str]:
    events = CaseEvent.objects.filter(pupil=pupil).order_by("recorded_at", "pk")
    return list((events.filter(kind=kind) if kind else events).values_list("summary", flat=True))


def _extend(placement, actor, until=JANUARY, reason=REASON):
    return placement_changed(actor=actor, placement=placement, planned_end_date=until, extension_reason=reason)


def html(response) -> str:
    return unescape(response.content.decode())


def decision(approval, choice, reasons=""):
    prefix = str(approval.public_id)
    return {f"{prefix}-decision": choice, f"{prefix}-reasons": reasons}


# --- Asking ------------------------------------------------------------------------------------


class TestAsking:
    def test_extending_a_running_placement_asks_the_head_and_leaves_the_dates_and_cost(self, running, sendco, head):
        _extend(running, sendco)
        placement = _fresh(running)
        assert (placement.planned_end_date, placement.school_days, placement.estimated_cost) == (
            date(2026, 12, 18),
            25,
            Decimal("4250.00"),
        )
        extension = placement.extensions.get()
        assert (extension.status, extension.current_end_date, extension.requested_end_date) == (
            X.PENDING,
            date(2026, 12, 18),
            JANUARY,
        )
        assert (extension.school_days, extension.extra_school_days, extension.extra_cost) == (
            44,
            19,
            Decimal("3230.00"),
        )
        assert (extension.reason, extension.requested_by) == (REASON, sendco)
        approval = extension_approval(placement)
        assert approval.cost == Decimal("3230.00") and approval.requested_by == sendco
        assert approval.summary == "Jayden Clarke: extend the placement at Littleton Green to 29/01/2027"
        latest = head.notifications.order_by("-pk").first()
        assert latest.title == f"Approval needed for {placement.pupil.initials}: Placement extension"
        assert _events(placement.pupil, K.APPROVAL_REQUESTED)[-1] == (
            "Extension of the placement at Littleton Green to 29/01/2027 (19 more school days, about £3,230.00 "
            f"more) sent to the headteacher for approval by {sendco}"
        )

    @pytest.mark.parametrize("status", [S.APPROVED, S.NOTICE_ISSUED, S.ENDING])
    def test_every_placement_the_head_has_approved_needs_their_approval_to_run_longer(self, at, sendco, status):
        start = date(2026, 11, 16) if status == S.ENDING else date(2026, 11, 30)
        placement = at(status, start_date=start)
        _extend(placement, sendco)
        assert _fresh(placement).planned_end_date == date(2026, 12, 18)
        assert extension_approval(placement).status == Approval.Status.PENDING

    def test_a_length_in_school_days_that_runs_later_is_an_extension_too(self, running, sendco):
        placement_changed(actor=sendco, placement=running, school_days=30, extension_reason=REASON)
        extension = running.extensions.get()
        assert (extension.requested_end_date, extension.extra_school_days) == (date(2027, 1, 11), 5)
        assert _fresh(running).school_days == 25

    def test_an_extension_needs_a_reason(self, running, sendco):
        with pytest.raises(ValidationError) as error:
            _extend(running, sendco, reason="  ")
        assert "extension_reason" in error.value.message_dict
        assert not PlacementExtension.objects.exists() and not Approval.objects.filter(kind="placement_extension")

    def test_an_extension_past_the_agreed_maximum_period_is_refused(self, at, sendco):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16), maximum_end_date=date(2027, 1, 15))
        with pytest.raises(ValidationError, match="after the proposed maximum period"):
            _extend(placement, sendco)
        assert not PlacementExtension.objects.exists()

    def test_a_second_extension_while_one_waits_is_refused(self, running, sendco):
        _extend(running, sendco)
        message = (
            "An extension to 29/01/2027 is already waiting for the headteacher's decision. The last day can "
            "change again once they have decided."
        )
        with pytest.raises(ValidationError) as error:
            _extend(running, sendco, until=date(2027, 2, 12))
        assert error.value.message_dict["planned_end_date"] == [message]
        with pytest.raises(ValidationError, match="already waiting for the headteacher's decision"):
            placement_changed(actor=sendco, placement=running, planned_end_date=date(2026, 12, 11))
        assert running.extensions.count() == 1

    def test_the_rest_of_the_plan_still_changes_while_an_extension_waits(self, running, sendco):
        _extend(running, sendco)
        placement_changed(actor=sendco, placement=_fresh(running), objectives="Attend every session, on time.")
        assert _fresh(running).objectives == "Attend every session, on time."

    def test_shortening_applies_at_once(self, running, sendco):
        placement = placement_changed(actor=sendco, placement=running, planned_end_date=date(2026, 12, 11))
        assert (placement.planned_end_date, placement.school_days, placement.estimated_cost) == (
            date(2026, 12, 11),
            20,
            Decimal("3400.00"),
        )
        assert not PlacementExtension.objects.exists()
        assert not Approval.objects.filter(kind="placement_extension").exists()
        summary = "Planned last day changed from 18/12/2026 to 11/12/2026 (20 school days) by"
        assert any(event.startswith(summary) for event in _events(placement.pupil, K.PLACEMENT_STATUS))

    def test_a_placement_still_being_planned_changes_its_last_day_freely(self, at, sendco):
        placement = placement_changed(actor=sendco, placement=at(S.PLANNED), planned_end_date=JANUARY)
        assert placement.planned_end_date == JANUARY and not PlacementExtension.objects.exists()

    @pytest.mark.parametrize("who", ["dsl", "teacher", "office", "governor"])
    def test_only_leaders_extend(self, request, running, who):
        with pytest.raises(PermissionDenied):
            _extend(running, request.getfixturevalue(who))


# --- Deciding ----------------------------------------------------------------------------------


class TestDeciding:
    def test_approving_applies_the_last_day_cost_and_school_days_and_moves_the_reviews(self, running, sendco, head):
        assert list(running.reviews.values_list("kind", "due_on", "status")) == [
            ("final", date(2026, 12, 11), "scheduled")
        ]
        _extend(running, sendco)
        approval_decide(approval=extension_approval(running), actor=head, approve=True, reasons="")
        placement = _fresh(running)
        assert (placement.planned_end_date, placement.school_days, placement.estimated_cost) == (
            JANUARY,
            44,
            Decimal("7480.00"),
        )
        assert placement.extensions.get().status == X.APPROVED
        assert _events(placement.pupil, K.APPROVAL_DECIDED)[-1] == (
            f"{head} approved extending the placement at Littleton Green: planned last day changed from "
            "18/12/2026 to 29/01/2027 (44 school days)"
        )
        # The reviews app's schedule follows the new last day: the old final review goes.
        assert set(placement.reviews.values_list("kind", "due_on", "status")) == {
            ("final", date(2026, 12, 11), "cancelled"),
            ("termly", date(2026, 12, 14), "scheduled"),
            ("final", date(2027, 1, 22), "scheduled"),
        }
        latest = sendco.notifications.order_by("-pk").first()
        assert latest.title == f"Placement extension for {placement.pupil.initials}: approved"

    def test_declining_keeps_the_dates_and_records_why(self, running, sendco, head):
        _extend(running, sendco)
        approval_decide(
            approval=extension_approval(running), actor=head, approve=False, reasons="Plan the return instead."
        )
        placement = _fresh(running)
        assert (placement.planned_end_date, placement.school_days, placement.estimated_cost) == (
            date(2026, 12, 18),
            25,
            Decimal("4250.00"),
        )
        assert placement.extensions.get().status == X.DECLINED
        assert _events(placement.pupil, K.APPROVAL_DECIDED)[-1] == (
            f"{head} declined extending the placement at Littleton Green to 29/01/2027; it still ends on "
            "18/12/2026: Plan the return instead."
        )
        assert list(placement.reviews.values_list("due_on", "status")) == [(date(2026, 12, 11), "scheduled")]
        # Decided, so the SENDCo may ask again.
        _extend(placement, sendco, until=date(2027, 1, 8))
        assert placement.extensions.filter(status=X.PENDING).get().requested_end_date == date(2027, 1, 8)

    def test_a_head_asking_goes_through_the_inbox_and_another_head_decides(self, school, running, head):
        _extend(running, head)
        approval = extension_approval(running)
        with pytest.raises(ValidationError, match="someone else must decide it"):
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        other = UserFactory(username="deputy-head")
        MembershipFactory(user=other, school=school, role=Role.HEAD)
        forget_roles(other)
        approval_decide(approval=approval, actor=other, approve=True, reasons="")
        assert _fresh(running).planned_end_date == JANUARY

    def test_ending_the_placement_withdraws_an_extension_still_waiting(self, running, sendco):
        _extend(running, sendco)
        placement_transition(
            placement=running,
            target=S.ENDED,
            actor=sendco,
            outcome=Placement.Outcome.MANAGED_MOVE,
            actual_end_date=date(2026, 11, 23),
        )
        assert running.extensions.get().status == X.WITHDRAWN
        assert Approval.objects.get(kind="placement_extension").status == Approval.Status.WITHDRAWN
        withdrawn = "Request to extend the placement to 29/01/2027 withdrawn: the placement has ended"
        assert withdrawn in _events(running.pupil, K.PLACEMENT_STATUS)


class TestWithdrawing:
    def test_the_sendco_takes_back_a_request_and_the_placement_keeps_its_last_day(self, running, sendco, head):
        _extend(running, sendco)
        placement_extension_withdraw(placement=running, actor=sendco, reasons="Asked for by mistake.")
        assert running.extensions.get().status == X.WITHDRAWN
        approval = Approval.objects.get(kind="placement_extension")
        assert approval.status == Approval.Status.WITHDRAWN
        assert approval.reasons == f"Withdrawn: Asked for by mistake ({sendco})."
        assert _fresh(running).planned_end_date == date(2026, 12, 18)
        assert _events(running.pupil, K.PLACEMENT_STATUS)[-1] == (
            f"Request to extend the placement to 29/01/2027 withdrawn: Asked for by mistake ({sendco})"
        )
        with pytest.raises(ValidationError):  # the head can no longer decide it
            approval_decide(approval=approval, actor=head, approve=True, reasons="")
        _extend(running, sendco, until=date(2027, 1, 15))  # and a new request may follow
        assert extension_approval(running).status == Approval.Status.PENDING

    def test_it_needs_a_reason_and_a_request_waiting(self, running, sendco):
        with pytest.raises(ValidationError, match="No extension of this placement is waiting"):
            placement_extension_withdraw(placement=running, actor=sendco, reasons="Not needed.")
        _extend(running, sendco)
        with pytest.raises(ValidationError, match="Say why the request is withdrawn"):
            placement_extension_withdraw(placement=running, actor=sendco, reasons="  ")
        assert running.extensions.get().status == X.PENDING

    def test_from_the_placement_page(self, client_for, running, sendco, django_assert_max_num_queries):
        _extend(running, sendco)
        client = client_for(sendco)
        withdraw = reverse("placements:extension_withdraw", args=[running.public_id])
        assert f'href="{withdraw}"' in html(client.get(running.get_absolute_url()))
        # the session, the user, their roles, the placement, its contacts, the extension, the access log
        with django_assert_max_num_queries(7):
            page = html(client.get(withdraw))
        assert "Withdraw the request to extend the placement to 29/01/2027" in page
        response = client.post(withdraw, {"reasons": ""})
        assert response.status_code == 200 and "This field is required." in html(response)
        assert running.extensions.get().status == X.PENDING
        page = html(client.post(withdraw, {"reasons": "The centre can offer no more places."}, follow=True))
        assert "The request to extend the placement to 29/01/2027 is withdrawn." in page
        assert "waiting for the headteacher" not in page
        assert running.extensions.get().status == X.WITHDRAWN
        page = html(client.get(withdraw, follow=True))  # nothing left to withdraw
        assert "No extension of this placement is waiting for the headteacher's decision." in page

    def test_only_those_who_run_the_placement_may_withdraw(self, client_for, running, sendco, dsl):
        _extend(running, sendco)
        withdraw = reverse("placements:extension_withdraw", args=[running.public_id])
        client = client_for(dsl)
        assert 'id="pending-extension"' in html(client.get(running.get_absolute_url()))
        assert withdraw not in html(client.get(running.get_absolute_url()))
        assert client.post(withdraw, {"reasons": "Not mine to decide."}).status_code == 403
        assert running.extensions.get().status == X.PENDING


# --- The pages ---------------------------------------------------------------------------------


class TestPages:
    def test_the_inbox_shows_the_facts_and_the_head_approves_there(self, client_for, running, sendco, head):
        _extend(running, sendco)
        client = client_for(head)
        page = html(client.get(reverse("approvals:inbox")))
        for text in (
            "Placement extension",
            "Jayden Clarke: extend the placement at Littleton Green to 29/01/2027",
            'Current last day</dt><dd class="col-sm-8">18/12/2026 (25 school days)',
            'Requested last day</dt><dd class="col-sm-8">29/01/2027 (44 school days)',
            'Extra school days</dt><dd class="col-sm-8">19',
            'Extra estimated cost</dt><dd class="col-sm-8">£3,230.00 (about £7,480.00 in all)',
            'Reason</dt><dd class="col-sm-8">Settling well but not yet ready to return',
            running.get_absolute_url(),
        ):
            assert text in page, text
        approval = extension_approval(running)
        response = client.post(reverse("approvals:decide", args=[approval.public_id]), decision(approval, "approve"))
        assert response.status_code == 302
        assert _fresh(running).planned_end_date == JANUARY

    def test_the_edit_form_asks_why_when_the_last_day_moves_later(self, client_for, running, sendco):
        client = client_for(sendco)
        edit = reverse("placements:edit", args=[running.public_id])
        page = html(client.get(edit))
        assert 'name="extension_reason"' in page and "Until they decide, the placement keeps its current" in page
        data = _form_of(running, planned_end_date="29/01/2027")
        response = client.post(edit, data)
        assert response.status_code == 200
        assert "Say why the placement needs longer: the headteacher approves the extension." in html(response)
        assert not PlacementExtension.objects.exists()

        response = client.post(edit, data | {"extension_reason": REASON}, follow=True)
        page = html(response)
        assert (
            "The placement is saved, but not its new last day: the extension to 29/01/2027 has gone to the "
            "headteacher for approval. Until they decide, the placement still ends on 18/12/2026." in page
        )
        assert "Extension to 29/01/2027 waiting for the headteacher's decision" in page
        assert _fresh(running).planned_end_date == date(2026, 12, 18)
        assert running.extensions.get().reason == REASON

        page = html(client.get(edit))  # one at a time: the last day waits for the decision
        assert "An extension to 29/01/2027 is waiting for the headteacher's decision" in page
        assert 'name="extension_reason"' not in page

    def test_the_edit_form_shortens_without_a_reason(self, client_for, running, sendco):
        edit = reverse("placements:edit", args=[running.public_id])
        response = client_for(sendco).post(edit, _form_of(running, planned_end_date="11/12/2026"), follow=True)
        assert "The placement is saved." in html(response)
        assert _fresh(running).planned_end_date == date(2026, 12, 11)
        summary = "Planned last day changed from 18/12/2026 to 11/12/2026"
        assert any(event.startswith(summary) for event in _events(running.pupil, K.PLACEMENT_STATUS))

    def test_the_placement_page_shows_the_heads_decisions_on_extensions(self, client_for, running, sendco, head):
        _extend(running, sendco)
        approval_decide(approval=extension_approval(running), actor=head, approve=False, reasons="Not this time.")
        page = html(client_for(sendco).get(running.get_absolute_url()))
        assert "Jayden Clarke: extend the placement at Littleton Green to 29/01/2027" in page
        assert "£3230.00 more" in page and "Not this time." in page
        assert "waiting for the headteacher" not in page

    def test_a_teacher_cannot_extend(self, client_for, at, school, teacher):
        placement = at(S.ACTIVE, start_date=date(2026, 11, 16), pupil=pupil_with_parent(school, class_teacher=teacher))
        edit = reverse("placements:edit", args=[placement.public_id])
        client = client_for(teacher)
        assert client.get(placement.get_absolute_url()).status_code == 200  # their own pupil's summary
        data = _form_of(placement, planned_end_date="29/01/2027", extension_reason=REASON)
        assert client.post(edit, data).status_code == 403
        assert not PlacementExtension.objects.exists()

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_inbox_loads_every_extension_without_a_query_each(
        self, client_for, school, provider, sendco, head, count, django_assert_max_num_queries
    ):
        from placements.tests.cases import placement_at

        for n in range(count):
            pupil = pupil_with_parent(school, legal_first_name=f"Pupil{n}")
            placement = placement_at(
                S.ACTIVE, pupil=pupil, provider=provider, sendco=sendco, head=head, start_date=date(2026, 11, 16)
            )
            _extend(placement, sendco)
        client = client_for(head)
        client.get(reverse("approvals:inbox"))  # the first page after sign-in also saves the session
        with django_assert_max_num_queries(14):  # as the pupils app's inbox budget
            page = html(client.get(reverse("approvals:inbox")))
        assert page.count("Record decision") == count


def _form_of(placement: Placement, **overrides) -> dict:
    """The edit form as the page fills it for this placement, with changes."""
    from placements.forms import PlacementForm

    form = PlacementForm(instance=placement, school=placement.school)
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        if isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "strftime") and name.endswith(("date", "_on")):
            data[name] = value.strftime("%d/%m/%Y")
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%H:%M")
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    return data | overrides


# --- Records about the pupil --------------------------------------------------------------------


class TestRecords:
    def test_subject_access_and_the_end_of_retention_cover_extensions(self, running, sendco, head):
        _extend(running, sendco)
        pupil = running.pupil
        archive = zipfile.ZipFile(io.BytesIO(subject_access_export(pupil=pupil, actor=head)))
        assert REASON in archive.read("records/placement-extensions.csv").decode()
        assert "history/placement-extensions-history.csv" in archive.namelist()

        Pupil.objects.filter(pk=pupil.pk).update(leaving_date=date(2000, 7, 20))
        pupil.refresh_from_db()
        pupil_anonymise(pupil=pupil, actor=head, today=date(2026, 11, 23))
        extension = PlacementExtension.objects.get()
        assert extension.reason == REMOVED and extension.requested_end_date == JANUARY
        assert not PlacementExtension.history.filter(reason=REASON).exists()
