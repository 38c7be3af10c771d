"""The parent notice of a direction off-site (The Education (Educational Provision for Improving
Behaviour) Regulations 2010, reg 3): who must receive it, by when, what it must state, and the
letter itself.

reg 3(4) requires (a) the address of the provision, (b) who the pupil reports to on first
attending, (c) the number of days the requirement lasts, (d) its reasons and objectives and
(e) the session times — for two sessions, when the morning starts, the afternoon finishes and the
break between them starts and finishes. The school's AP policy adds the start date and time; the
school adds what to bring, transport, who to contact with questions and how to ask for a review
(reg 4A). See docs/domain-rules.md#notice-contents.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils import timezone

from apcase.calendar import CalendarGap
from apcase.greetings import greeting
from apcase.pdf import render_pdf
from placements.models import Placement
from placements.schedule import calendar_for, days_at_provision

# docs/domain-rules.md#notice-deadline, docs/domain-rules.md#notice-recipients, docs/domain-rules.md#review-requests
ADULT_AGE = 18  # reg 2: the "relevant person" is the pupil once 18
NOTICE_SCHOOL_DAYS = 2  # reg 3(2): not less than two school days before the first day
REVIEW_QUIET_WEEKS = 10  # reg 4A: no duty to hold a review if one was held in the previous 10 weeks
TITLE = "Notice of a direction to attend off-site provision"


@dataclass(frozen=True)
class NoticeRecipient:
    PARENT = "parent"
    PUPIL = "pupil"
    LOCAL_AUTHORITY = "local_authority"

    kind: str
    name: str
    role: str
    address_lines: list[str] = field(default_factory=list)
    email: str = ""
    title: str = ""

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def greeting(self) -> str:
        return greeting(name=self.name, title=self.title)

    @property
    def is_pupil(self) -> bool:
        return self.kind == self.PUPIL

    @property
    def is_local_authority(self) -> bool:
        return self.kind == self.LOCAL_AUTHORITY


def _lines(address: str, postcode: str = "") -> list[str]:
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    return lines + [postcode] if lines and postcode else lines


def pupil_is_adult(placement: Placement) -> bool:
    """Is the pupil 18 or over on the first day (so the notice is theirs, not their parents')?"""
    return placement.pupil.age_on(placement.start_date or timezone.localdate()) >= ADULT_AGE


def notice_recipients(placement: Placement) -> list[NoticeRecipient]:
    """Each parent with parental responsibility who may be contacted, or the pupil once 18 on the
    first day, and the local authority when the pupil has an EHC plan (reg 3(3))."""
    pupil = placement.pupil
    contacts = list(pupil.contacts.all())  # highest priority first
    if pupil_is_adult(placement):
        # The pupil has no address of their own on record: the letter goes to their home.
        home = next((c for c in contacts if c.address and not c.do_not_contact), None)
        address = _lines(home.address, home.postcode) if home else []
        recipients = [NoticeRecipient(NoticeRecipient.PUPIL, pupil.full_name, "The pupil (18 or over)", address)]
    else:
        recipients = [
            NoticeRecipient(
                NoticeRecipient.PARENT,
                contact.name,
                contact.get_relationship_display(),
                _lines(contact.address, contact.postcode),
                contact.email,
                contact.title,
            )
            for contact in contacts
            if contact.parental_responsibility and not contact.do_not_contact
        ]
    if pupil.has_ehcp:
        school = placement.school
        recipients.append(
            NoticeRecipient(
                NoticeRecipient.LOCAL_AUTHORITY,
                school.la_send_contact or f"{school.la_name or 'Local authority'} SEND team",
                "Local authority (maintains the EHC plan)",
                _lines(school.la_send_address),
                school.la_send_email,
            )
        )
    return recipients


def notice_deadline(placement: Placement) -> date:
    """The last day the notice may be given: two school days before the first day off-site."""
    assert placement.start_date is not None  # a notice is due only once the first day is set
    return calendar_for(placement).add_school_days(placement.start_date, -NOTICE_SCHOOL_DAYS)


def session_times(placement: Placement) -> list[tuple[str, str]]:
    """The session times as the letter states them, in order."""
    p = placement
    if p.sessions_a_day == Placement.SessionsADay.TWO:
        times = [
            ("Morning session starts", p.day_starts),
            ("Break between sessions starts", p.break_starts),
            ("Break between sessions ends", p.break_ends),
            ("Afternoon session finishes", p.day_ends),
        ]
    else:
        times = [("The session starts", p.day_starts), ("The session finishes", p.day_ends)]
    return [(label, f"{value:%H:%M}" if value else "") for label, value in times]


def session_times_summary(placement: Placement) -> str:
    """The session times in one line, e.g. "09:15 to 15:00, with a break from 12:00 to 13:00"."""
    p = placement
    if not (p.day_starts and p.day_ends):
        return ""
    summary = f"{p.day_starts:%H:%M} to {p.day_ends:%H:%M}"
    if p.sessions_a_day == Placement.SessionsADay.TWO and p.break_starts and p.break_ends:
        summary += f", with a break from {p.break_starts:%H:%M} to {p.break_ends:%H:%M}"
    return summary


def _missing_details(placement: Placement) -> list[str]:
    p = placement
    checks = [
        (p.reasons.strip(), "The reasons for the direction are not recorded."),
        (p.objectives.strip(), "The objectives of the direction are not recorded."),
        (p.start_date, "The first day is not set."),
        (p.start_time, "The time the pupil should arrive on the first day is not set."),
        (p.planned_end_date and p.school_days, "The last day (or the length in school days) is not set."),
        (p.site_id, "The site, the address where the pupil attends, is not chosen."),
        (p.first_day_contact.strip(), "The person the pupil reports to on the first day is not named."),
        (all(value for _label, value in session_times(p)), _session_times_missing(p)),
        (p.what_to_bring.strip(), "What the pupil should bring is not recorded."),
        (p.transport.strip(), "Transport is not recorded."),
        (p.school_contact_id, "No member of staff is named as the school contact for questions."),
    ]
    return [message for present, message in checks if not present]


def _session_times_missing(placement: Placement) -> str:
    if placement.sessions_a_day == Placement.SessionsADay.TWO:
        return (
            "The session times are incomplete: give when the morning session starts, when the break "
            "starts and ends, and when the afternoon session finishes."
        )
    return "The session times are incomplete: give when the session starts and when it finishes."


def _missing_recipients(placement: Placement, recipients: list[NoticeRecipient]) -> list[str]:
    problems = []
    if not any(r.kind in (NoticeRecipient.PARENT, NoticeRecipient.PUPIL) for r in recipients):
        problems.append(
            "No parent or carer with parental responsibility can be sent the notice: none is recorded, "
            "or each is marked do not contact."
        )
    for recipient in recipients:
        if recipient.kind == NoticeRecipient.LOCAL_AUTHORITY and not recipient.address_lines:
            problems.append(
                "The pupil has an EHC plan, so the local authority must be sent the notice too: add the LA "
                "SEND team's address to the school's details."
            )
        elif not recipient.address_lines and not recipient.email:
            problems.append(f"{recipient.name} has no postal or e-mail address recorded.")
    return problems


def notice_missing_items(placement: Placement) -> list[str]:
    """What must be put right before the notice can be issued, one sentence each (empty: ready)."""
    if not placement.notice_required:
        return ["This placement is not a direction off-site to improve behaviour, so no notice is needed."]
    missing = _missing_details(placement)
    if placement.start_date:
        try:
            notice_deadline(placement)
        except CalendarGap as gap:
            missing.append(str(gap))
    return missing + _missing_recipients(placement, notice_recipients(placement))


def notice_facts(placement: Placement) -> dict[str, str]:
    """What the notice states about each required item, in words (kept with the issued notice)."""
    p = placement
    site = ", ".join([p.site.name, *p.site.address_lines]) if p.site is not None else ""
    start = f"{p.start_date:%d/%m/%Y}" if p.start_date else ""
    return {
        "Address of the provision": f"{p.provider.name}, {site}" if site else "",
        "Reports on the first day to": p.first_day_contact,
        "Number of days": f"{p.school_days} school days, {start} to {p.planned_end_date:%d/%m/%Y}"
        if p.school_days and p.planned_end_date
        else "",
        "Days at the provision": p.timetable_summary,
        "Reasons": p.reasons,
        "Objectives": p.objectives,
        "Start": f"{start} at {p.start_time:%H:%M}" if p.start_date and p.start_time else "",
        "Session times": session_times_summary(p),
    }


def notice_changes(placement: Placement, stated: dict[str, str]) -> list[tuple[str, str, str]]:
    """(item, what the notice said, what the placement says now) for each item changed since."""
    now = notice_facts(placement)
    return [(label, said, now.get(label, "")) for label, said in stated.items() if now.get(label, "") != said]


def notice_pdf(
    placement: Placement,
    *,
    letter_date: date,
    recipients: list[NoticeRecipient],
    draft: bool,
    changes: list[tuple[str, str, str]] | None = None,
) -> bytes:
    """One letter per recipient in one PDF; a draft is watermarked and never stored. With changes,
    the amended notice: what the first notice said and what is true now, then the notice afresh."""
    context = {
        "title": f"Amended {TITLE[0].lower()}{TITLE[1:]}" if changes is not None else TITLE,
        "changes": changes,
        "school": placement.school,
        "placement": placement,
        "pupil": placement.pupil,
        "recipients": recipients,
        "copies_to": [f"{r.name} ({r.role})" for r in recipients],
        "letter_date": letter_date,
        "draft": draft,
        "is_adult": pupil_is_adult(placement),
        "days_at_provision": days_at_provision(placement, calendar_for(placement)),
        "session_times": [(label, value) for label, value in session_times(placement) if value],
        "review_quiet_weeks": REVIEW_QUIET_WEEKS,
    }
    return render_pdf("letters/parent_notice.html", context)
