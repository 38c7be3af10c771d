"""The read side of a benchmark database: each page with the Django test client, signed in as
school 1's staff with force_login (queries of one request, then the median and p95 of repeated
requests), and the PDFs."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse

from apcase.models import Role, User
from bench.generator.people import school_urn
from bench.timing import Timing, fetch, signed_in, timed
from placements.models import AttendanceMark, Placement
from placements.notice import notice_recipients
from pupils.models import CaseEvent, Contact, Pupil, Referral

FIRST_SCHOOL = {"school__urn": school_urn(1)}
PDF_RENDERS = 30


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # the username of the school-1 member of staff who opens it
    url: str


def pages_to_time() -> tuple[list[Page], list[str]]:
    """The pages, and a note for each one that cannot be timed on this branch."""
    pupil = Pupil.objects.filter(**FIRST_SCHOOL).annotate(steps=Count("case_events")).order_by("-steps").first()
    placement = (
        Placement.objects.filter(**FIRST_SCHOOL, status=Placement.Status.ACTIVE)
        .annotate(marks=Count("attendance_marks"))
        .order_by("-marks")
        .first()
    )
    pages = [
        Page("SENDCo dashboard", "sendco01", "/"),
        Page("Headteacher dashboard", "head01", "/"),
        Page("DSL dashboard", "dsl01", "/"),
        Page("Pupil list", "sendco01", reverse("pupils:list")),
        Page(f"Pupil profile ({pupil.steps} events)", "sendco01", pupil.get_absolute_url()),
        Page(
            f"Attendance grid ({placement.marks} marks)",
            "sendco01",
            reverse("placements:attendance", args=[placement.public_id]),
        ),
        Page("Placement page", "sendco01", placement.get_absolute_url()),
        Page("Approvals inbox", "head01", reverse("approvals:inbox")),
        Page("Provider directory", "dsl01", reverse("providers:list")),
        Page("Placement list", "sendco01", reverse("placements:list")),
        Page("Referral list", "sendco01", reverse("referrals:list")),
    ]
    notes = []
    try:
        pages.append(Page("Reviews list", "sendco01", reverse("reviews:list")))
    except NoReverseMatch:
        notes.append("Reviews list: not timed, the reviews app has no list page on this branch yet.")
    return pages, notes


def time_pages(samples: int) -> tuple[list[Timing], list[str]]:
    pages, notes = pages_to_time()
    clients = {username: signed_in(User.objects.get(username=username)) for username in {p.persona for p in pages}}
    timings = [
        timed(page.name, lambda page=page: fetch(clients[page.persona], page.url), samples, page.persona)
        for page in pages
    ]
    return timings, notes


def time_baselines(samples: int) -> list[Timing]:
    """What a request costs before a page does its own work: the bare view, and the simplest page a
    signed-in user opens (the same middleware, session save and layout as every page)."""
    client = signed_in(User.objects.get(username="sendco01"))
    return [
        timed("Bare view /healthz (anonymous)", lambda: fetch(Client(), reverse("healthz")), samples),
        timed("Account page (signed in, a form and the layout)", lambda: fetch(client, reverse("account")), samples),
    ]


def time_pdfs() -> tuple[list[Timing], list[str]]:
    """The parent notice as it is rendered before issue (the draft download; issuing renders the same
    letter once more and stores it). It holds one letter per recipient, so the notice with the fewest
    recipients and the one with the most are both timed. The governors' report once reports exists."""
    waiting = Placement.objects.filter(status=Placement.Status.APPROVED, directed_off_site=True, notice__isnull=True)
    by_letters = sorted(
        (len(notice_recipients(placement)), placement.pk, placement)
        for placement in waiting.select_related("school", "pupil")
    )
    timings = []
    for letters, _pk, placement in (by_letters[0], by_letters[-1]):
        sendco = User.objects.get(memberships__school=placement.school, memberships__role=Role.SENDCO)
        client, url = signed_in(sendco), f"{placement.get_absolute_url()}notice.pdf"
        name = f"Parent notice PDF, {letters} letter{'s' if letters != 1 else ''} (draft download)"
        timings.append(timed(name, lambda client=client, url=url: fetch(client, url), PDF_RENDERS))
    notes = [] if apps.is_installed("reports") else ["Governors' report: not timed, there is no reports app yet."]
    return timings, notes


def data_volume() -> dict[str, int]:
    """Rows in the tables the pages read most, and in all history tables together."""
    tables = (Pupil, Contact, Referral, Placement, AttendanceMark, CaseEvent)
    counted = {str(model._meta.verbose_name_plural): model.objects.count() for model in tables}
    history = [model for model in apps.get_models() if model.__name__.startswith("Historical")]
    counted["history rows"] = sum(model.objects.count() for model in history)
    return counted
