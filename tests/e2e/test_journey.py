"""A whole case in a real browser: concern, review, decision, provider checks, placement, notice,
attendance, the termly review, the reintegration plan, the final review and report, and the return
to class — each step screenshotted and checked with axe-core."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apcase.tests.pdf import assert_a4_without_attachments, pdf_text
from tests.e2e.world import MONDAY_MORNING, journey_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


def raise_concern_by_keyboard(journey, pupil):
    page = journey.page
    journey.sign_in("teacher")
    journey.go("/referrals/new/")
    page.keyboard.type("Clarke")  # the search box has focus on arrival
    page.get_by_role("link", name=f"Choose {pupil.display_name}").wait_for()
    page.get_by_role("link", name=f"Choose {pupil.display_name}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.snap("teacher: the Cause for Concern form")
    page.get_by_label("persistent disruptive behaviour", exact=False).first.focus()
    page.keyboard.press("Space")
    page.get_by_label("The concern").focus()
    page.keyboard.type("Leaves the classroom several times a day and refuses to return.")
    page.get_by_role("button", name="Submit to the SENDCo").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    journey.snap("teacher: the concern is submitted")
    assert "Submitted" in page.content()
    return page.url


def click(journey, name: str, role: str = "button"):
    with journey.page.expect_navigation():
        journey.page.get_by_role(role, name=name).first.click()
    journey.page.wait_for_load_state("networkidle")


def confirm(journey, label: str):
    """An irreversible action asks in the page: open its question, then press "Yes: ..."."""
    journey.page.locator("summary", has_text=label).first.click()
    click(journey, f"Yes: {label.lower()}")


def review_and_meet_parents(journey, referral_url):
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    page.goto(referral_url)
    click(journey, "Start the review")
    click(journey, "Record the review", role="link")
    page.get_by_label("Background gathered").fill("Two suspensions this year; attendance 88%.")
    page.get_by_label("Off-site AP").check()
    page.get_by_label("Reasons for the recommendation").fill("A small setting with a strong behaviour offer.")
    journey.snap("sendco: the review")
    click(journey, "Save")
    click(journey, "Record a meeting with parents", role="link")
    page.get_by_label("Date of the meeting").fill("2026-11-23")  # the browser's date picker
    page.get_by_label("Time").fill("08:30")
    page.get_by_label("Who attended").fill("Kerry Clarke (mother)\nSam Okafor (SENDCo)")
    page.get_by_label("What was explained").fill("Why a placement at Littleton Green is offered and what it involves.")
    page.get_by_label("Parents' or carers' views").fill("Supportive; wants Jayden back in class by Easter.")
    page.get_by_label("Parents agree").check()
    journey.snap("sendco: the meeting with parents")
    click(journey, "Save")
    click(journey, "Ask the headteacher to decide")
    journey.snap("sendco: waiting for the head")
    assert "Awaiting approval" in page.content()


def head_approves(journey, what: str):
    page = journey.page
    journey.sign_out()
    journey.sign_in("head")
    journey.go("/approvals/")
    journey.snap(f"head: the approvals inbox ({what})")
    item = page.locator("section.card").filter(has_text=what).first
    item.get_by_label("Approve", exact=True).check()
    item.get_by_label("Reasons").fill("Agreed: the right provision for now.")
    with page.expect_navigation():
        item.get_by_role("button", name="Record decision").click()
    journey.snap(f"head: {what} approved")


def dsl_clears_the_provider(journey, provider):
    """The DSL audits the provider (every question answered, saving as they go) and signs it off."""
    page = journey.page
    journey.sign_out()
    journey.sign_in("dsl")
    journey.go(f"/providers/{provider.public_id}/")
    journey.snap("dsl: the provider is not cleared yet")
    assert "No audit has been completed." in page.content()
    click(journey, "Start an audit", role="link")
    click(journey, "Start the audit")
    questions = page.locator("article.audit-question")
    for number in range(questions.count()):
        question = questions.nth(number)
        # Each box saves when the user leaves it (htmx on "change"): one save at a time, as a person types.
        for box, text in (("answer", f"Seen and satisfactory ({number + 1})."), ("evidence", "Policy seen.")):
            question.locator(f"textarea[name$='-{box}']").fill(text)
            with page.expect_response(lambda response: "/audits/answers/" in response.url):
                question.locator(f"textarea[name$='-{box}']").press("Tab")
        question.get_by_role("status").filter(has_text="Saved").wait_for()
    journey.snap("dsl: the audit, every question answered")
    decision = page.locator("#decision")
    decision.get_by_label("Yes").check()
    decision.get_by_label("Give reasons for your answer").fill("Safe, well led, and right for Jayden.")
    with page.expect_response(lambda response: "/decision/" in response.url):
        decision.get_by_role("button", name="Save decision").click()
    confirm(journey, "Sign off the audit")
    journey.snap("dsl: the audit signed off")
    journey.go(f"/providers/{provider.public_id}/")
    journey.snap("dsl: the provider is cleared")
    assert "Not cleared" not in page.content()


PLAN = {
    "id_reasons": "Repeated disruption and two suspensions; a fresh start in a small setting.",
    "id_start_date": "2026-11-30",  # date pickers take ISO dates
    "id_start_time": "09:15",
    "id_planned_end_date": "2027-02-12",
    "id_objectives": "Attend every session; no suspensions; reading age up one stage.",
    "id_intervention": "Small-group teaching with a behaviour mentor.",
    "id_reintegration_intention": "Back in Year 5 after February half-term, a day at a time.",
    "id_timeline": "Review each half-term; return planned from 22/02/2027.",
    "id_first_day_contact": "Ms Jo Whitfield, head of centre",
    "id_day_starts": "09:15",
    "id_break_starts": "12:00",
    "id_break_ends": "12:45",
    "id_day_ends": "15:00",
    "id_what_to_bring": "PE kit and a packed lunch.",
    "id_transport": "A school taxi collects Jayden at 08:40.",
    "id_reporting_arrangements": "The centre e-mails attendance each day by 10:00.",
    "id_cost_rate": "170.00",
}


def sendco_plans_the_placement(journey, pupil):
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    journey.go("/placements/new/")
    journey.snap("sendco: approved referrals waiting for a placement")
    click(journey, f"Plan the placement for {pupil.display_name}", role="link")
    page.locator("#id_provider").select_option(label="Littleton Green Alternative Provision")
    page.locator("#id_site").select_option(index=1)
    page.get_by_label("Directed off-site to improve behaviour").check()
    page.locator("#id_census_reason").select_option("off_site_direction")
    page.get_by_label("Full time", exact=False).check()
    for checkbox in page.locator("input[name='timetable']").all():
        checkbox.check()
    for field, value in PLAN.items():
        page.locator(f"#{field}").fill(value)
    page.get_by_label("Two sessions", exact=False).check()
    page.locator("#id_school_contact").select_option(index=1)
    page.locator("#id_cost_unit").select_option("day")
    page.locator("#id_funding_source").select_option("school")
    journey.snap("sendco: the placement plan")
    click(journey, "Save the placement")
    journey.snap("sendco: the planned placement")
    # Before the head is asked, the school decides the provision suits this pupil.
    click(journey, "Record a decision", role="link")
    page.get_by_label("Yes").check()
    page.locator("#id_considered").fill("The audit's actions are done; Jayden visited for a taster morning.")
    page.locator("#id_reasons").fill("Small groups and a calm base suit his needs.")
    journey.snap("sendco: is the provision suitable for Jayden?")
    click(journey, "Record the decision")
    confirm(journey, "Ask the headteacher to approve")
    journey.snap("sendco: the placement waits for approval")
    return page.url


def sendco_issues_the_notice(journey, placement_url):
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    page.goto(placement_url)
    click(journey, "Parent notice", role="link")
    journey.snap("sendco: the notice is ready to issue")
    page.get_by_label("Post", exact=False).first.check()
    page.get_by_label("Date of service").fill("2026-11-23")
    confirm(journey, "Issue the notice")
    journey.snap("sendco: the notice is issued")
    pdf = page.request.get(placement_url.rstrip("/") + "/notice.pdf")  # with the browser's session
    assert pdf.headers["content-type"] == "application/pdf"
    assert_a4_without_attachments(pdf.body())
    text = pdf_text(pdf.body())
    for required in [
        "Littleton Green Lane",
        "Ms Jo Whitfield",
        "30 November 2026",
        "09:15",
        "12:00",
        "12:45",
        "15:00",
        "Repeated disruption",
        "Attend every session",
    ]:
        assert required in text, f"the notice does not state {required!r}"
    return text


LONDON = ZoneInfo("Europe/London")
FIRST_FRIDAY_AFTERNOON = datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)
# The term calendar puts the termly agreement review on Monday 14/12/2026 and the final review five
# school days before the last day (Friday 12/02/2027).
TERMLY_REVIEW_AFTERNOON = datetime(2026, 12, 14, 16, 0, tzinfo=LONDON)
FINAL_REVIEW_AFTERNOON = datetime(2027, 2, 5, 16, 0, tzinfo=LONDON)
LAST_DAY_AFTERNOON = datetime(2027, 2, 12, 16, 0, tzinfo=LONDON)


def sendco_starts_and_records_a_week(journey, placement_url):
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    page.goto(placement_url)
    click(journey, "Record that the placement has started")
    journey.snap("sendco: the placement is active")
    click(journey, "Attendance", role="link")
    click(journey, "Mark every unmarked session so far this week B (present)")
    journey.snap("sendco: a week of attendance")
    assert page.locator("input[id^='code-'][value='B']").count() == 10


def sendco_holds_the_review(journey, placement_url, kind: str, decision: str):
    """The review due today, from the placement page: arrange the meeting (the invitations come
    filled in), hold it, record it and close it as held."""
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    page.goto(placement_url)
    click(journey, kind, role="link")
    journey.snap(f"sendco: the {kind.lower()} is due today")
    click(journey, "Arrange the meeting", role="link")
    page.get_by_label("Time").fill("09:30")
    page.get_by_label("Place").fill("The centre's meeting room")
    journey.snap(f"sendco: arranging the {kind.lower()}")
    click(journey, "Save the arrangements")
    click(journey, "Record the meeting", role="link")
    for came in page.get_by_role("group", name="Who came").get_by_role("checkbox").all():
        came.check()
    page.get_by_label("The pupil's views").fill("Likes the small groups; wants to be back with his friends.")
    page.get_by_label("Parents' or carers' views").fill("Pleased with the progress; want the return after half-term.")
    page.get_by_label("The provider's report").fill("Full attendance, no exclusions, reading up one stage.")
    page.get_by_label(decision, exact=True).check()  # "End the placement" is inside "Extend the placement…"
    page.get_by_label("About the decision").fill("Good progress: the return to Year 5 after February half-term.")
    journey.snap(f"sendco: the record of the {kind.lower()}")
    click(journey, "Save and close: it was held")
    journey.snap(f"sendco: the {kind.lower()} is held")
    assert page.locator(".badge").filter(has_text="Held").count() == 1
    assert "Held on" in page.content()
    return page.url


def plan_is_agreed(journey, placement_url):
    """The SENDCo agrees the reintegration plan at the termly review: a graduated return, mornings
    in class for two weeks."""
    page = journey.page
    page.goto(placement_url)
    click(journey, "Reintegration plan", role="link")
    journey.snap("sendco: no reintegration plan yet")
    click(journey, "Agree the plan", role="link")
    page.get_by_label("The pupil's strengths").fill("Reads aloud with confidence; kind to younger pupils.")
    page.get_by_label("Needs").fill("Help to settle after break; a quiet place to calm down.")
    page.get_by_label("Agreed targets").fill("Full attendance; no suspensions; reading age up one more stage.")
    page.get_by_label("Classroom strategies").fill("Seat near the door; a calm-down card; praise in private.")
    for week in (1, 2):
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
            page.get_by_label(f"Week {week}, {day} morning").check()
    page.get_by_label("Who supports the return").fill("Mrs Robinson (class teacher); Mr Ali (mentor) at break.")
    page.get_by_label("Agreed at").select_option(label="Termly agreement review due 14/12/2026")
    journey.snap("sendco: the reintegration plan")
    click(journey, "Agree version 1")
    journey.snap("sendco: the reintegration plan is agreed")
    assert "Version 1 of the plan is agreed." in page.content()
    assert "version 1, agreed 14/12/2026" in page.content()
    assert page.get_by_role("cell", name="5 of 10").count() == 2


def sendco_plans_the_ending_and_writes_the_final_report(journey, placement_url):
    page = journey.page
    page.goto(placement_url)
    click(journey, "Start planning the ending")
    journey.snap("sendco: the ending is being planned")
    assert "The placement is now “ending”." in page.content()
    click(journey, "Reintegration plan", role="link")
    click(journey, "Write the final report", role="link")
    page.get_by_label("Attainment and progress").fill("Reading age up two stages; maths at the expected standard.")
    page.get_by_label("Evidence of a change in behaviour").fill("No exclusions since the first day; no incidents.")
    page.get_by_label("The pupil's own views on the placement").fill("It helped; ready to go back.")
    page.get_by_label("Views heard by").fill("the headteacher")
    page.get_by_label("Objectives on return").fill("Attendance above 95%; no suspensions this term.")
    journey.snap("sendco: the final report before the return")
    click(journey, "Save the report")
    journey.snap("sendco: the final report is saved")
    assert "Prepared on 05/02/2027" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert_a4_without_attachments(pdf)
    assert "Reading age up two stages" in pdf_text(pdf)


def placement_ends_reintegrated(journey, placement_url):
    page = journey.page
    journey.sign_out()
    journey.sign_in("sendco")
    page.goto(placement_url)
    click(journey, "Record the end and the outcome", role="link")
    page.get_by_label("Reintegrated to class").check()
    page.get_by_label("About the outcome").fill("Back in Year 5 from Monday 22/02/2027, mornings first.")
    journey.snap("sendco: recording the end and the outcome")
    assert page.get_by_label("Last day at the placement").input_value() == "2027-02-12"
    click(journey, "Record")
    journey.snap("sendco: the placement has ended")
    assert page.locator(".badge").filter(has_text="Ended").count() >= 1
    outcome = page.locator("dt", has_text="Outcome").locator("xpath=following-sibling::dd[1]")
    assert outcome.inner_text().startswith("Reintegrated to class")
    click(journey, "Reintegration plan", role="link")
    journey.snap("sendco: the check-ins after the return")
    assert page.get_by_role("link", name="Record the check-in").count() == 3


def test_a_case_from_concern_to_return_to_class(journey, school, teacher, sendco, head, dsl, monday):
    pupil, provider = journey_world(school, teacher, dsl)
    referral_url = raise_concern_by_keyboard(journey, pupil)
    review_and_meet_parents(journey, referral_url)
    head_approves(journey, "Cause for Concern")
    dsl_clears_the_provider(journey, provider)
    placement_url = sendco_plans_the_placement(journey, pupil)
    head_approves(journey, "Placement")
    sendco_issues_the_notice(journey, placement_url)
    with time_machine.travel(FIRST_FRIDAY_AFTERNOON, tick=True):
        sendco_starts_and_records_a_week(journey, placement_url)
    with time_machine.travel(TERMLY_REVIEW_AFTERNOON, tick=True):
        sendco_holds_the_review(journey, placement_url, "Termly agreement review", "Continue the placement as planned")
        plan_is_agreed(journey, placement_url)
    with time_machine.travel(FINAL_REVIEW_AFTERNOON, tick=True):
        sendco_holds_the_review(journey, placement_url, "Final review before return", "End the placement")
        sendco_plans_the_ending_and_writes_the_final_report(journey, placement_url)
    with time_machine.travel(LAST_DAY_AFTERNOON, tick=True):
        placement_ends_reintegrated(journey, placement_url)
