"""The parent notice as a PDF: every item the regulation and the school's AP policy require, on A4, one letter
per recipient, and user text that stays text."""

from __future__ import annotations

from datetime import date

import pytest

from apcase.tests.pdf import assert_a4_without_attachments, pdf_text, read_pdf
from placements.models import Placement
from placements.notice import notice_pdf, notice_recipients
from pupils.tests.factories import ContactFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


def _pdf(placement, draft=False) -> bytes:
    return notice_pdf(placement, letter_date=date(2026, 11, 23), recipients=notice_recipients(placement), draft=draft)


def test_the_notice_states_every_required_item(at):
    content = _pdf(at(S.APPROVED, pattern="split", timetable=["mon_am", "mon_pm", "tue_am", "tue_pm", "wed_am"]))
    assert_a4_without_attachments(content)
    text = pdf_text(content)
    for expected in [
        "Dear Donna Clarke",
        "Jayden Clarke (date of birth 12/05/2016) is required to attend educational provision at Littleton Green",
        "section 29A of the Education Act 2002",
        # reasons and objectives
        "Repeated disruption of lessons and two suspensions this term.",
        "Attend every session; re-engage with English and maths; no further suspensions.",
        # the address and the person to report to on the first day
        "Littleton Green 1 Canal Side Northbridge ST99 8SS",
        "Ms Jo Whitfield, head of centre, on arrival on the first day",
        # the start date and time; the number of days
        "Monday 30 November 2026 at 09:15",
        "15 school days, from 30 November 2026 to 18 December 2026, of which 9 are days at the provision",
        "Monday and Tuesday (all day); Wednesday (mornings)",
        # two sessions: morning start, break start and finish, afternoon finish
        "Morning session starts: 09:15",
        "Break between sessions starts: 12:00",
        "Break between sessions ends: 13:00",
        "Afternoon session finishes: 15:00",
        # what to bring, transport, who to contact, how to ask for a review
        "PE kit on Wednesdays and a packed lunch.",
        "A taxi arranged by the school collects from home at 8:40.",
        "If you have any questions, please contact",
        "sendco@school.example",
        "may ask in writing for a review meeting",
        "unless one was held in the 10 weeks before the day of your request",
    ]:
        assert expected in text, expected
    assert "DRAFT" not in text


def test_one_session_a_day_states_its_start_and_finish(at):
    placement = at(S.APPROVED, sessions_a_day=1, day_starts=None, break_starts=None, break_ends=None, day_ends=None)
    Placement.objects.filter(pk=placement.pk).update(
        day_starts="09:30", day_ends="12:30", break_starts=None, break_ends=None
    )
    placement.refresh_from_db()
    text = pdf_text(_pdf(placement))
    assert "The session starts: 09:30 The session finishes: 12:30" in text
    assert "Break" not in text


def test_each_recipient_has_their_own_letter_and_the_local_authority_its_copy(at, pupil):
    ContactFactory(pupil=pupil, name="Lee Clarke", address="2 Lane", postcode="ST99 2AB", priority=2)
    pupil.sen_provision, pupil.primary_need = "E", "SEMH"
    pupil.save()
    content = _pdf(at(S.APPROVED))
    reader = read_pdf(content)
    letters = [" ".join(page.extract_text().split()) for page in reader.pages]
    openings = [text for text in letters if "Dear " in text]
    assert [text.split("Dear ")[1].split(",")[0] for text in openings] == ["Donna Clarke", "Lee Clarke", "SEND Team"]
    text = pdf_text(content)
    assert "As the local authority that maintains Jayden's EHC plan, you may ask in writing" in text
    assert "This notice is sent to: Donna Clarke (Mother); Lee Clarke (Mother); SEND Team (Local authority" in text


def test_a_pupil_of_18_is_written_to_directly(at, pupil):
    pupil.date_of_birth = date(2008, 9, 1)
    pupil.save()
    text = pdf_text(_pdf(at(S.APPROVED)))
    assert "Dear Jayden Clarke" in text and "You are required to attend educational provision" in text


def test_the_draft_is_watermarked(at):
    # The watermark is set at an angle, so text extraction breaks its words in odd places.
    assert "DRAFT—notissued" in pdf_text(_pdf(at(S.APPROVED), draft=True)).replace(" ", "")


def test_text_a_user_typed_is_printed_as_text_never_fetched(at):
    placement = at(
        S.APPROVED,
        reasons='<img src="file:///etc/passwd"> and <a rel="attachment" href="file:///etc/hostname">x</a>',
    )
    content = _pdf(placement)
    assert_a4_without_attachments(content)
    assert '<img src="file:///etc/passwd">' in pdf_text(content)
    assert b"root:" not in content
