from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apcase.models import Role
from apcase.tests.factories import MembershipFactory, UserFactory
from pupils.models import CaseEvent, Referral
from pupils.selectors import (
    approvals_pending_for_user,
    pupil_chronology,
    pupil_list_for_user,
    pupil_search_for_referral,
    referral_list_for_user,
)
from pupils.tests.cases import referral_at
from pupils.tests.factories import CaseEventFactory, PupilFactory, ReferralFactory

S = Referral.Status


@pytest.fixture
def roll(school, other_school, teacher):
    """Pupils of school A: one taught by the teacher, one with the teacher as key adult, one
    neither, one who has left; and a pupil of school B."""
    return {  # fixed first names, so searches cannot match a random one
        "taught": PupilFactory(school=school, legal_first_name="Ann", legal_last_name="Adams", class_teacher=teacher),
        "key_adult": PupilFactory(school=school, legal_first_name="Ben", legal_last_name="Baker", key_adults=[teacher]),
        "other": PupilFactory(school=school, legal_first_name="Cat", legal_last_name="Cole"),
        "left": PupilFactory(
            school=school, legal_first_name="Dan", legal_last_name="Dale", leaving_date=date(2025, 7, 22)
        ),
        "elsewhere": PupilFactory(school=other_school, legal_first_name="Eve", legal_last_name="Evans"),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("sendco", ["taught", "key_adult", "other"]),
        ("head", ["taught", "key_adult", "other"]),
        ("dsl", ["taught", "key_adult", "other"]),
        ("office", ["taught", "key_adult", "other"]),
        ("teacher", ["taught", "key_adult"]),
        ("governor", []),
    ],
    indirect=["persona"],
)
def test_each_persona_sees_the_pupils_of_their_role(roll, school, persona, expected):
    pupils = pupil_list_for_user(user=persona, school=school)
    assert list(pupils) == [roll[name] for name in expected]


def test_an_outsider_sees_none_of_another_schools_pupils(roll, school, outsider):
    assert not pupil_list_for_user(user=outsider, school=school).exists()


def test_the_list_searches_names_and_upns_and_filters(roll, school, sendco):
    adams = roll["taught"]
    adams.preferred_first_name = "Zed"
    adams.upn = "B801200005001"  # the only UPN from LA 801
    adams.save()
    assert list(pupil_list_for_user(user=sendco, school=school, search="zed ada")) == [adams]
    assert list(pupil_list_for_user(user=sendco, school=school, search=adams.upn.lower())) == [adams]
    assert list(pupil_list_for_user(user=sendco, school=school, search="b8012")) == [adams]
    assert not pupil_list_for_user(user=sendco, school=school, year="3").exists()
    assert pupil_list_for_user(user=sendco, school=school, sen="N").count() == 3


def test_the_case_status_is_the_latest_referral_not_withdrawn(roll, school, sendco, teacher):
    pupil = roll["other"]
    ReferralFactory(pupil=pupil, raised_by=teacher, status=S.APPROVED, raised_at=timezone.now() - timedelta(days=30))
    ReferralFactory(pupil=pupil, raised_by=teacher, status=S.WITHDRAWN)
    listed = {p: p.case_status for p in pupil_list_for_user(user=sendco, school=school)}
    assert listed == {roll["taught"]: None, roll["key_adult"]: None, pupil: S.APPROVED}
    assert list(pupil_list_for_user(user=sendco, school=school, case_status="approved")) == [pupil]
    assert pupil not in pupil_list_for_user(user=sendco, school=school, case_status="none")


def test_a_teacher_may_find_any_pupil_on_roll_to_raise_a_concern(roll, school, teacher):
    found = pupil_search_for_referral(user=teacher, school=school, search="e")
    assert found == []  # two letters at least
    assert pupil_search_for_referral(user=teacher, school=school, search="co") == [roll["other"]]
    assert pupil_search_for_referral(user=teacher, school=school, search="dale") == []  # has left
    assert pupil_search_for_referral(user=teacher, school=school, search="evans") == []  # another school


# --- Referrals ----------------------------------------------------------------------------------


@pytest.fixture
def referrals(school, other_school, teacher, sendco):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, school=school, role=Role.TEACHER)
    return {
        "mine": ReferralFactory(pupil__school=school, raised_by=teacher),
        "mine_flagged": ReferralFactory(pupil__school=school, raised_by=teacher, safeguarding_concern=True),
        "colleagues": ReferralFactory(pupil__school=school, raised_by=colleague, status=S.SUBMITTED),
        "colleagues_flagged": ReferralFactory(
            pupil__school=school, raised_by=colleague, status=S.UNDER_REVIEW, safeguarding_concern=True
        ),
        "elsewhere": ReferralFactory(pupil__school=other_school, raised_by=UserFactory(), safeguarding_concern=True),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher", {"mine", "mine_flagged"}),
        ("sendco", {"mine", "mine_flagged", "colleagues", "colleagues_flagged"}),
        ("head", {"mine", "mine_flagged", "colleagues", "colleagues_flagged"}),
        ("dsl", {"mine_flagged", "colleagues_flagged"}),
        ("office", set()),
        ("governor", set()),
        ("outsider", {"elsewhere"}),  # a SENDCo, but of the other school
    ],
    indirect=["persona"],
)
def test_each_persona_sees_the_referrals_of_their_role(referrals, persona, expected):
    seen = set(referral_list_for_user(user=persona))
    assert seen == {referrals[name] for name in expected}


def test_referrals_filter_by_status_and_pupil_name(referrals, sendco):
    assert list(referral_list_for_user(user=sendco, status=S.SUBMITTED)) == [referrals["colleagues"]]
    name = referrals["mine"].pupil.legal_last_name
    assert referrals["mine"] in referral_list_for_user(user=sendco, search=name)


# --- Chronology and inbox -------------------------------------------------------------------------


def test_the_chronology_is_newest_first_in_one_query(school, django_assert_num_queries):
    pupil = PupilFactory(school=school)
    now = timezone.now()
    old = CaseEventFactory(pupil=pupil, occurred_at=now - timedelta(days=10), kind=CaseEvent.Kind.INCIDENT)
    new = CaseEventFactory(pupil=pupil, occurred_at=now - timedelta(days=1))
    CaseEventFactory(pupil=PupilFactory(school=school))
    with django_assert_num_queries(1):
        events = pupil_chronology(pupil=pupil)
        assert [e.actor for e in events] == [None, None]
    assert events == [new, old]
    assert pupil_chronology(pupil=pupil, kind=CaseEvent.Kind.INCIDENT) == [old]


def test_the_inbox_lists_pending_requests_oldest_first_with_facts_and_waiting_time(
    school, teacher, sendco, head, time_machine
):
    time_machine.move_to(timezone.make_aware(datetime(2026, 11, 16, 9, 0)), tick=False)
    first = referral_at(S.AWAITING_APPROVAL, pupil=PupilFactory(school=school), teacher=teacher, sendco=sendco)
    time_machine.move_to(timezone.make_aware(datetime(2026, 11, 18, 9, 0)), tick=False)
    second = referral_at(S.AWAITING_APPROVAL, pupil=PupilFactory(school=school), teacher=teacher, sendco=sendco)
    time_machine.move_to(timezone.make_aware(datetime(2026, 11, 23, 9, 0)), tick=False)
    items = approvals_pending_for_user(user=head)
    assert [item.approval.subject for item in items] == [first, second]
    assert [(item.waiting_days, item.waiting_unit) for item in items] == [(5, "school day"), (3, "school day")]
    facts = dict(items[0].facts)
    assert facts["Recommendation"] == "Internal AP"
    assert facts["Parents"] == "No meeting recorded"
    assert items[0].link == first.get_absolute_url()
    assert approvals_pending_for_user(user=sendco) == []
