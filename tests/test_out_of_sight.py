"""No child out of sight (issue 13, A): a placement past its first day with no start recorded, one at
a provider no longer cleared, one starting within two school days that the head has not approved.
Each is a to-do for the people who must act, says what is wrong, and its tile counts its list."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from apcase.models import Role
from audits.models import SafeguardingConfirmation
from dashboards.panels import dashboard_for
from placements.models import Placement
from placements.tests.cases import internal_provider, placement_at, pupil_with_parent
from pupils.models import Approval
from pupils.services import approval_decide

S = Placement.Status
MON = date(2026, 11, 16)  # a week before the frozen today, Monday 23/11/2026


@pytest.fixture
def place(school, provider, sendco, head, today):
    """place(status, **fields) -> a placement of a new pupil at the off-site provider."""

    def make(status, **fields):
        fields = {"pupil": pupil_with_parent(school), "provider": provider, **fields}
        return placement_at(status, sendco=sendco, head=head, **fields)

    return make


def _queue(user, school, role):
    return dashboard_for(user=user, school=school, roles=[role])[0].queue


def _tiles(user, school, role):
    return {tile.label: tile for tile in dashboard_for(user=user, school=school, roles=[role])[0].tiles}


def _items(queue, kind):
    return [item for item in queue if item.kind == kind]


class TestFirstDayPassed:
    @pytest.mark.parametrize("status", [S.PLANNED, S.AWAITING_APPROVAL, S.APPROVED, S.NOTICE_ISSUED])
    def test_it_is_an_urgent_to_do_for_the_sendco_from_the_morning_of_the_first_day(
        self, place, school, sendco, status
    ):
        placement = place(status, start_date=date(2026, 11, 23))
        place(S.APPROVED, start_date=date(2026, 11, 24))  # tomorrow: not yet
        place(S.ACTIVE, start_date=MON)  # started: nothing to chase here
        place(S.CANCELLED, start_date=MON)
        [item] = _items(_queue(sendco, school, Role.SENDCO), "First day passed")
        assert item.tone == "is-danger" and item.due == date(2026, 11, 23)
        assert item.title.startswith(f"{placement.pupil.display_name}: ")
        assert item.url == placement.get_absolute_url()
        tile = _tiles(sendco, school, Role.SENDCO)["placements past their first day with no start recorded"]
        assert tile.count == 1 and tile.tone == "is-danger"

    def test_it_says_what_to_do_for_an_approved_and_an_unapproved_placement(self, place, school, sendco):
        approved = place(S.APPROVED, start_date=MON)
        unapproved = place(S.AWAITING_APPROVAL, start_date=MON)
        titles = {item.title for item in _items(_queue(sendco, school, Role.SENDCO), "First day passed")}
        assert titles == {
            f"{approved.pupil.display_name}: expected at Littleton Green from 16/11/2026, but the start is not "
            "recorded: record the start and take the register, or record where the pupil is",
            f"{unapproved.pupil.display_name}: the first day (16/11/2026) has come and the headteacher has not "
            "approved the placement: set a new first day, or find out where the pupil is and ask the headteacher "
            "to decide",
        }

    def test_it_is_counted_in_attendance_not_recorded(self, place, school, sendco):
        placement = place(S.NOTICE_ISSUED, start_date=MON)
        [item] = _items(_queue(sendco, school, Role.SENDCO), "Attendance")
        assert item.title == f"{placement.pupil.display_name}: 10 sessions at Littleton Green not marked"
        assert _tiles(sendco, school, Role.SENDCO)["placements with attendance not recorded"].count == 1

    def test_the_dsl_is_told_when_it_is_off_site(self, place, school, dsl, sendco, head):
        offsite = place(S.APPROVED, start_date=MON)
        placement_at(
            S.APPROVED,
            pupil=pupil_with_parent(school),
            provider=internal_provider(school, name="Rockets class"),
            sendco=sendco,
            head=head,
            start_date=MON,
            directed_off_site=False,
        )
        [item] = _items(_queue(dsl, school, Role.DSL), "First day passed")
        assert item.url == offsite.get_absolute_url() and item.tone == "is-danger"
        assert (
            _tiles(dsl, school, Role.DSL)["off-site placements past their first day with no start recorded"].count == 1
        )
        assert len(_items(_queue(sendco, school, Role.SENDCO), "First day passed")) == 2

    def test_the_placement_page_says_so_and_opens_the_register(self, place, client_for, sendco):
        placement = place(S.APPROVED, start_date=MON)
        page = client_for(sendco).get(placement.get_absolute_url()).content.decode()
        assert 'id="first-day-passed"' in page and "expected at Littleton Green from 16/11/2026" in page
        assert f'href="/placements/{placement.public_id}/attendance/">Open the register</a>' in page


class TestProviderNoLongerCleared:
    @pytest.fixture
    def lapsed(self, place, provider):
        """A running placement, then the provider's safeguarding confirmation ran out."""
        placement = place(S.ACTIVE, start_date=MON)
        SafeguardingConfirmation.objects.filter(provider=provider).update(expires_on=date(2026, 11, 20))
        return placement

    def test_the_placement_page_flags_it(self, lapsed, client_for, sendco):
        page = client_for(sendco).get(lapsed.get_absolute_url()).content.decode()
        assert 'id="no-longer-cleared"' in page and "Littleton Green is no longer cleared for placements." in page
        assert "(the last one expired on 20/11/2026)" in page

    @pytest.mark.parametrize(("persona", "role"), [("sendco", Role.SENDCO), ("head", Role.HEAD)])
    def test_it_is_a_to_do_for_the_sendco_and_the_head(self, lapsed, school, request, persona, role):
        user = request.getfixturevalue(persona)
        [item] = _items(_queue(user, school, role), "Provider not cleared")
        assert item.title.startswith(
            f"{lapsed.pupil.display_name}: Littleton Green is no longer cleared for placements: No signed "
            "safeguarding confirmation"
        )
        assert item.tone == "is-danger" and item.url == lapsed.get_absolute_url()
        assert _tiles(user, school, role)["placements at a provider no longer cleared"].count == 1

    def test_an_on_site_provision_with_its_risk_assessment_overdue_is_flagged_too(self, school, sendco, head):
        rockets = internal_provider(school, name="Rockets class", risk_assessment_on=date(2025, 11, 1))
        placement = placement_at(
            S.ACTIVE, pupil=pupil_with_parent(school), provider=rockets, sendco=sendco, head=head, start_date=MON
        )
        [item] = _items(_queue(sendco, school, Role.SENDCO), "Provider not cleared")
        assert item.url == placement.get_absolute_url() and "risk assessment of the space is out of date" in item.title

    def test_a_cleared_provider_and_a_finished_placement_are_not_flagged(self, place, provider, school, sendco):
        place(S.ACTIVE, start_date=MON)
        assert not _items(_queue(sendco, school, Role.SENDCO), "Provider not cleared")
        ended = place(S.ENDED, start_date=MON)
        SafeguardingConfirmation.objects.filter(provider=provider).update(expires_on=date(2026, 11, 20))
        flagged = {item.url for item in _items(_queue(sendco, school, Role.SENDCO), "Provider not cleared")}
        assert ended.get_absolute_url() not in flagged and len(flagged) == 1


class TestStartingSoonNotApproved:
    @pytest.mark.parametrize(
        ("first_day", "words"),
        [
            (date(2026, 11, 24), "starts tomorrow"),
            (date(2026, 11, 25), "starts in 2 school days"),
        ],
    )
    def test_it_says_exactly_that(self, place, school, sendco, head, first_day, words):
        placement = place(S.AWAITING_APPROVAL, start_date=first_day)
        for user, role in [(sendco, Role.SENDCO), (head, Role.HEAD)]:
            [item] = _items(_queue(user, school, role), "Not approved")
            assert item.title == f"{placement.pupil.display_name}: {words}; not yet approved"
            assert item.tone == "is-danger" and item.due == first_day
        # Not "issue the notice", which the notice page would refuse before the head approves.
        assert not _items(_queue(sendco, school, Role.SENDCO), "Parent notice")

    def test_a_planned_one_says_the_head_has_not_been_asked(self, place, school, sendco):
        placement = place(S.PLANNED, start_date=date(2026, 11, 24))
        [item] = _items(_queue(sendco, school, Role.SENDCO), "Not approved")
        assert item.title == (
            f"{placement.pupil.display_name}: starts tomorrow; not yet approved (the headteacher has not been asked)"
        )

    def test_counted_in_school_days_on_the_school_calendar(self, place, school, sendco, time_machine):
        """Friday 18/12/2026 is the last day of term: a first day of 05/01/2027 is one school day away."""
        time_machine.move_to(datetime(2026, 12, 18, 9, 0, tzinfo=ZoneInfo("Europe/London")))
        placement = place(S.AWAITING_APPROVAL, start_date=date(2027, 1, 5), planned_end_date=date(2027, 2, 12))
        [item] = _items(_queue(sendco, school, Role.SENDCO), "Not approved")
        assert (
            item.title == f"{placement.pupil.display_name}: starts on Tuesday (the next school day); not yet approved"
        )

    def test_three_school_days_away_is_not_yet_flagged_and_the_notice_still_is(self, place, school, sendco):
        placement = place(S.AWAITING_APPROVAL, start_date=date(2026, 11, 26))
        queue = _queue(sendco, school, Role.SENDCO)
        assert not _items(queue, "Not approved")
        [notice] = _items(queue, "Parent notice")
        assert notice.title.endswith("the parent notice is due by 24/11/2026; first the headteacher must approve")
        assert notice.url == placement.get_absolute_url()  # not the notice page, which would refuse


class TestApprovingOnceTheFirstDayHasPassed:
    @pytest.fixture
    def late(self, place):
        """Waiting for the head since before its first day, Monday 16/11/2026 (a direction off-site)."""
        return place(S.AWAITING_APPROVAL, start_date=MON)

    def _approve(self, placement, head, **answers):
        approval = Approval.objects.get(kind="placement", object_id=placement.pk, status=Approval.Status.PENDING)
        return approval_decide(approval=approval, actor=head, approve=True, reasons="", answers=answers)

    def test_it_needs_a_new_first_day_or_a_reason(self, late, head):
        with pytest.raises(ValidationError, match="The first day has passed: give a new first day, or the reason"):
            self._approve(late, head)
        late.refresh_from_db()
        assert late.status == S.AWAITING_APPROVAL

    def test_a_new_first_day_runs_the_date_rules_again_and_keeps_the_length(self, late, head):
        length = late.school_days
        self._approve(late, head, new_start_date=date(2026, 11, 30))
        late.refresh_from_db()
        assert (late.status, late.start_date, late.school_days) == (S.APPROVED, date(2026, 11, 30), length)
        assert late.planned_end_date == date(2027, 1, 18)  # 25 school days, over the Christmas holiday
        summaries = list(late.pupil.case_events.values_list("summary", flat=True))
        assert any(
            s.startswith("First day moved from 16/11/2026 to 30/11/2026 (last day 18/01/2027) by") for s in summaries
        )
        assert Approval.objects.get(object_id=late.pk).reasons == "First day moved from 16/11/2026 to 30/11/2026."

    @pytest.mark.parametrize(
        ("new_first_day", "problem"),
        [
            (date(2026, 11, 24), "The new first day must be 25/11/2026 or later: the notice needs two school days."),
            (date(2026, 11, 28), "Saturday 28/11/2026 is not a school day in the school's term dates."),
        ],
    )
    def test_a_new_first_day_must_follow_the_rules(self, late, head, new_first_day, problem):
        with pytest.raises(ValidationError) as refused:
            self._approve(late, head, new_start_date=new_first_day)
        assert refused.value.message_dict == {"new_start_date": [problem]}

    def test_or_the_head_records_why_it_is_approved_as_it_is(self, late, head):
        self._approve(late, head, late_reason="He has attended since 16/11 under the suspension arrangements.")
        late.refresh_from_db()
        assert (late.status, late.start_date) == (S.APPROVED, MON)
        assert Approval.objects.get(object_id=late.pk).reasons == (
            "First day 16/11/2026 had passed: He has attended since 16/11 under the suspension arrangements."
        )

    def test_the_inbox_warns_and_shows_every_error_where_the_head_decides(self, late, head, client_for):
        client = client_for(head)
        inbox = client.get("/approvals/").content.decode()
        assert "The first day (16/11/2026) has already passed." in inbox and "New first day" in inbox
        approval = Approval.objects.get(object_id=late.pk, status=Approval.Status.PENDING)
        prefix = approval.public_id
        refused = client.post(f"/approvals/{prefix}/decide/", {f"{prefix}-decision": "approve"})
        assert refused.status_code == 400
        assert "give a new first day, or the reason to approve it as it is" in refused.content.decode()
        answered = client.post(
            f"/approvals/{prefix}/decide/", {f"{prefix}-decision": "approve", f"{prefix}-new_start_date": "30/11/2026"}
        )
        assert answered.status_code == 302
        late.refresh_from_db()
        assert (late.status, late.start_date) == (S.APPROVED, date(2026, 11, 30))

    def test_a_first_day_still_to_come_asks_nothing_more(self, place, head):
        on_time = place(S.AWAITING_APPROVAL)  # first day 30/11/2026
        self._approve(on_time, head)
        on_time.refresh_from_db()
        assert on_time.status == S.APPROVED
