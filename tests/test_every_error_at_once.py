"""Every form shows all its errors at once (issue 13 D1): each form page is sent with two or more
independent mistakes — a field left empty beside a date in the future, a cross-field rule or a
rule the service holds — and the page that comes back names every one, not the first alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest

from placements.models import Placement
from placements.tests.cases import internal_provider, placement_at, pupil_with_parent
from placements.tests.test_views import _form
from pupils.models import Referral
from pupils.tests.cases import referral_at
from reviews.tests.factories import ReviewRequestFactory

S = Placement.Status
pytestmark = pytest.mark.django_db
TOMORROW = "24/11/2026"  # the tests' today is Monday 23/11/2026
REQUIRED = "This field is required."
FUTURE = "This date cannot be in the future."


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[..., str]  # (world) -> the form's address
    data: dict | Callable[..., dict]  # or (world) -> the data, for fields named after a record the page made
    errors: tuple[str, ...]
    persona: str = "sendco"


class World:
    """The records the form pages are about, made when a page first asks for them."""

    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        return self.request.getfixturevalue(name)

    def running(self) -> Placement:
        return self.at(S.ACTIVE, start_date=date(2026, 11, 16))

    def internal(self) -> Placement:
        school = self.school
        fields = {"pupil": pupil_with_parent(school), "provider": internal_provider(school), "directed_off_site": False}
        return placement_at(S.PLANNED, sendco=self.sendco, head=self.head, **fields)

    def referral(self, status=Referral.Status.UNDER_REVIEW) -> Referral:
        return referral_at(status, pupil=self.pupil, teacher=self.teacher, sendco=self.sendco)

    def review(self, arrange: bool = True):
        from reviews.services import review_arrange
        from reviews.tests.test_meetings import arranged

        formal = review_arrange(actor=self.sendco, placement=self.running(), kind="formal", due_on=date(2026, 11, 20))
        return arranged(formal, self.sendco) if arrange else formal

    def review_with_target(self):
        from reviews.tests.factories import TargetFactory

        review = self.review()
        self.target = TargetFactory(placement=review.placement)
        return review

    def check_in_url(self) -> str:
        from reviews.tests.factories import CheckInFactory

        check_in = CheckInFactory(placement__pupil__school=self.school, due_on=date(2026, 11, 23))
        return f"/placements/{check_in.placement.public_id}/reintegration/check-ins/{check_in.weeks_after}/"

    def reading_url(self) -> str:
        from reviews.tests.factories import TargetFactory

        target = TargetFactory(placement=self.running())
        return f"/placements/{target.placement.public_id}/progress/targets/{target.public_id}/measurements/new/"


def _placement(path: str, kind: str = "running") -> Callable[[World], str]:
    return lambda world: f"/placements/{getattr(world, kind)().public_id}/{path}"


PAGES = [
    Page(
        "a pupil",
        lambda w: "/pupils/new/",
        {"upn": "", "legal_first_name": "Ada", "legal_last_name": "Lovelace", "date_of_birth": TOMORROW,
         "sex": "F", "year_group": "5", "sen_provision": "K", "primary_need": "", "admission_date": "01/09/2026"},
        (REQUIRED, "The date of birth must be in the past.", "Give the primary need of a pupil with SEN support"),
    ),
    Page(
        "a parent or carer",
        lambda w: f"/pupils/{w.pupil.public_id}/contacts/new/",
        {"name": "", "relationship": "mother", "priority": "1", "preferred_method": "email", "email": ""},
        (REQUIRED, "Give an e-mail address, or choose another contact method."),
    ),
    Page(
        "a meeting with the parents",
        lambda w: f"/referrals/{w.referral().public_id}/meetings/new/",
        {"held_on": TOMORROW, "held_time": "10:00", "attendees": "", "explained": "Why AP.",
         "alternative_to_exclusion": "on", "parents_views": "Unsure.", "agreement": "agree"},
        (REQUIRED, "Record a meeting after it has been held.", "confirm this was made clear to the parents"),
    ),
    Page(
        "the parents' agreement",
        _placement("agreement/new/", "internal"),
        {"response": "agreed", "given_by": "", "given_on": TOMORROW, "method": "phone"},
        (REQUIRED, FUTURE),
    ),
    Page(
        "the handover",
        lambda w: f"/placements/{w.at(S.APPROVED).public_id}/handover/new/",
        {"shared_on": TOMORROW, "shared_with": "", "items": ["objectives"]},
        (REQUIRED, FUTURE),
    ),
    Page(
        "a visit",
        _placement("visits/new/"),
        {"visited_on": TOMORROW, "what_was_seen": "Settled in maths."},
        (REQUIRED, FUTURE),
    ),
    Page(
        "an incident",
        _placement("incidents/new/"),
        {"occurred_on": TOMORROW, "occurred_time": "10:00", "severity": "low", "description": ""},
        (REQUIRED, "Record an incident after it has happened."),
    ),
    Page(
        "the parent notice",
        lambda w: f"/placements/{w.at(S.APPROVED).public_id}/notice/",
        {"method": "", "issued_on": TOMORROW},
        (REQUIRED, "The date of service cannot be in the future."),
    ),
    Page(
        "the parent notice by e-mail to parents without one",
        lambda w: f"/placements/{w.at(S.APPROVED).public_id}/notice/",
        {"method": "email", "issued_on": TOMORROW},
        ("The date of service cannot be in the future.", "no e-mail address is recorded. Choose another method."),
    ),
    Page(
        "the placement",
        lambda w: f"/placements/{w.at(S.PLANNED).public_id}/edit/",
        _form_data := {"objectives": "", "start_time": "10:00", "day_starts": "09:15", "break_ends": "11:00"},
        ("Arrive by the time the morning session starts (09:15), not after it.",
         "The times must follow each other"),
    ),
    Page(
        "a request for a review",
        lambda w: f"/reviews/requests/new/?placement={w.running().public_id}",
        {"received_on": TOMORROW, "requester": "parent", "requester_name": "", "method": "letter",
         "request_text": "Please review."},
        (REQUIRED, FUTURE),
    ),
    Page(
        "the answer to a request",
        lambda w: f"/reviews/requests/{ReviewRequestFactory(placement=w.running()).public_id}/answer/",
        {"decision": "continue_until", "decision_until": "", "notified_on": "19/11/2026", "notified_method": "post",
         "notified_to": ""},
        (REQUIRED, "The notification cannot be before the request was received.",
         "Give the date the direction continues until."),
    ),
    Page(
        "a target",
        lambda w: f"/placements/{w.running().public_id}/progress/targets/new/",
        {"area": "attendance", "description": "", "baseline": "80", "target_value": "70", "higher_is_better": "on"},
        (REQUIRED, "A higher figure is better, so the target must be above the baseline"),
    ),
    Page(
        "the end of a placement",
        _placement("end/"),
        {"outcome": "reintegrated", "actual_end_date": TOMORROW},
        ("Record the end on or after the last day.", "Complete them first, or the headteacher records why"),
    ),
    Page(
        "the end of a placement with its last day left out",
        _placement("end/"),
        {"outcome": "reintegrated", "actual_end_date": ""},
        (REQUIRED, "Complete them first, or the headteacher records why"),
    ),
    Page(
        "a contact with the provider",
        _placement("contacts/new/"),
        {"party": "provider", "with_whom": "", "how": "phone", "contacted_on": TOMORROW, "agreed": "Call back.",
         "follow_up_on": "20/11/2026"},
        (REQUIRED, "A contact cannot be recorded before it happens.", "The follow-up cannot be before the contact."),
    ),
    Page(
        "the Cause for Concern review",
        lambda w: f"/referrals/{w.referral().public_id}/review/",
        {"recommendation": "no_ap", "recommendation_reasons": "", "avenues_considered": ["nonsense"]},
        ("Give the reasons for recommending no AP.", "Select a valid choice."),
    ),
    Page(
        "arranging a review meeting",
        lambda w: f"/reviews/{w.review(arrange=False).public_id}/arrange/",
        {"meeting_on": "", "meeting_time": "15:30", "place": "The centre"},
        (REQUIRED, "Invite at least one person."),
    ),
    Page(
        "closing a review",
        lambda w: f"/reviews/{w.review().public_id}/record/",
        {"close": "1", "held_on": TOMORROW, "decision": ""},
        ("Close the review once the meeting has been held.", "Record the decision."),
    ),
    Page(
        "closing a review with a reading that is not a number",
        lambda w: f"/reviews/{w.review_with_target().public_id}/record/",
        lambda w: {"close": "1", "held_on": TOMORROW, "decision": "", f"value_{w.target.pk}": "lots"},
        ("Enter a number.", "Close the review once the meeting has been held.", "Record the decision."),
    ),
    Page(
        "a reading",
        lambda w: w.reading_url(),
        {"measured_on": TOMORROW, "value": ""},
        (REQUIRED, FUTURE),
    ),
    Page(
        "the reintegration plan",
        _placement("reintegration/agree/"),
        {"strengths": "", "needs": "Routine.", "agreed_on": TOMORROW},
        (REQUIRED, FUTURE),
    ),
    Page(
        "the final report",
        _placement("reintegration/final-report/"),
        {"attainment_progress": "", "prepared_on": TOMORROW},
        (REQUIRED, FUTURE),
    ),
    Page(
        "a check-in after the return",
        lambda w: w.check_in_url(),
        {"held_on": "01/10/2026", "still_in_class": "False", "where_now": ""},
        ("A check-in is after the return to class.", "Say where the pupil is now."),
    ),
    Page(
        "a provider's safeguarding confirmation",
        lambda w: f"/providers/{w.provider.public_id}/confirmations/new/",
        {"confirmed_by_name": "", "confirmed_by_position": "Head of centre", "signed_on": TOMORROW},
        (REQUIRED, FUTURE),
        persona="dsl",
    ),
    Page(
        "a provider",
        lambda w: f"/providers/{w.provider.public_id}/edit/",
        {"name": "", "kind": "offsite", "registration": "registered_school", "urn": "",
         "age_from": "16", "age_to": "11", "risk_assessment_on": TOMORROW},
        (REQUIRED, "Give the URN of a registered school.", "The upper age must not be below the lower age.", FUTURE),
        persona="dsl",
    ),
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_mistake_is_named_at_once(page, request, client_for, today):
    world = World(request)
    url = page.url(world)
    data = page.data(world) if callable(page.data) else page.data
    data = _form(world.provider) | data if page.data is _form_data else data
    response = client_for(request.getfixturevalue(page.persona)).post(url, data)
    text = unescape(response.content.decode())
    assert response.status_code in (200, 400), response.status_code
    missing = [error for error in page.errors if error not in text]
    assert not missing, f"{page.name}: {missing} not shown"
    assert "Constraint" not in text  # a rule the database holds is said in words before it is reached
