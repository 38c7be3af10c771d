"""/la/: what the LA's schools sent it, counts across its schools, and nothing else of theirs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apcase.models import LocalAuthorityOfficer, RecordAccess, Role
from apcase.tests.factories import LocalAuthorityFactory, MembershipFactory, SchoolFactory, UserFactory
from oversight.la import CME_RUN_SESSIONS
from placements.models import LANotification, Placement
from placements.services import placement_la_notify
from placements.tests.factories import AttendanceMarkFactory, PlacementFactory

S = Placement.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield


def _notified(school, sendco, **fields) -> LANotification:
    fields = {"status": S.ACTIVE, "start_date": date(2026, 11, 2), **fields}
    placement = PlacementFactory(pupil__school=school, **fields)
    return placement_la_notify(actor=sendco, placement=placement)


def _sessions(placement, code: str, count: int, last: date = date(2026, 11, 20)) -> None:
    """`count` marks of `code` on the school days up to `last`, both sessions of each day."""
    day, made = last, 0
    while made < count:
        if day.weekday() < 5:
            for session in ("pm", "am"):
                if made < count:
                    AttendanceMarkFactory(placement=placement, date=day, session=session, register_code=code)
                    made += 1
        day -= timedelta(days=1)


def _other_officer():
    user = UserFactory(username="telford")
    LocalAuthorityOfficer.objects.create(user=user, local_authority=LocalAuthorityFactory(code="894", name="Telford"))
    return user


class TestNotificationsReceived:
    def test_the_officer_sees_what_the_schools_sent_and_downloads_the_letter(
        self, laofficer, sendco, school, client_for
    ):
        notification = _notified(school, sendco)
        client = client_for(laofficer)
        page = client.get(reverse("oversight:la_notifications")).content.decode()
        assert notification.placement.pupil.full_name in page and school.name in page
        letter = client.get(reverse("oversight:la_notification_letter", args=[notification.public_id]))
        assert letter.content == notification.document.read_bytes()
        assert RecordAccess.objects.filter(user=laofficer, object_id=notification.public_id, action="download").exists()

    def test_another_authority_s_officer_gets_nothing(self, laofficer, sendco, school, client_for):
        notification = _notified(school, sendco)
        client = client_for(_other_officer())
        assert (
            notification.placement.pupil.full_name
            not in client.get(reverse("oversight:la_notifications")).content.decode()
        )
        assert client.get(reverse("oversight:la_notification_letter", args=[notification.public_id])).status_code == 404
        url = reverse("oversight:la_notification_acknowledge", args=[notification.public_id])
        assert client.post(url, {"reference": "X"}).status_code == 404

    def test_acknowledging_once_with_the_la_s_reference(self, laofficer, sendco, school, client_for):
        notification = _notified(school, sendco)
        client = client_for(laofficer)
        url = reverse("oversight:la_notification_acknowledge", args=[notification.public_id])
        response = client.post(url, {"reference": "AP-2026-117"}, follow=True)
        assert "Acknowledged: the school sees it on the placement." in response.content.decode()
        notification.refresh_from_db()
        assert notification.acknowledged_by == laofficer and notification.reference == "AP-2026-117"
        again = client.post(url, {"reference": "other"}, follow=True).content.decode()
        assert "already acknowledged" in again
        notification.refresh_from_db()
        assert notification.reference == "AP-2026-117"
        school_page = client_for(sendco).get(notification.placement.get_absolute_url()).content.decode()
        assert "Acknowledged 23/11/2026 (ref. AP-2026-117)" in " ".join(school_page.split())  # as a browser shows it


class TestTheOfficerIsOutsideTheSchools:
    def test_no_school_record_reaches_them(self, laofficer, sendco, school, client_for):
        notification = _notified(school, sendco)
        client = client_for(laofficer)
        placement, pupil = notification.placement, notification.placement.pupil
        assert client.get(placement.get_absolute_url()).status_code == 404
        assert client.get(reverse("pupils:detail", args=[pupil.public_id])).status_code == 404
        assert client.get(reverse("placements:list")).status_code == 403
        assert client.get(reverse("referrals:list")).status_code == 403

    def test_their_home_is_the_authority_s_view(self, laofficer, client_for):
        response = client_for(laofficer).get(reverse("home"), follow=True)
        assert response.redirect_chain == [(reverse("oversight:la"), 302)]
        assert f'href="{reverse("oversight:la_notifications")}"' in response.content.decode()

    @pytest.mark.parametrize("persona", ["sendco", "head", "dsl", "office", "trustlead"], indirect=True)
    def test_school_staff_do_not_reach_the_la_s_view(self, persona, client_for):
        assert client_for(persona).get(reverse("oversight:la")).status_code == 403
        assert client_for(persona).get(reverse("oversight:la_notifications")).status_code == 403


class TestFigures:
    def test_counts_over_what_was_notified(self, laofficer, sendco, school, client_for):
        first = _notified(school, sendco)
        _notified(school, sendco, status=S.ENDED, actual_end_date=date(2026, 11, 13), outcome="reintegrated")
        PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 11, 2))  # never notified
        _sessions(first.placement, "B", 3)
        _sessions(first.placement, "O", 1, last=date(2026, 11, 23))
        figures = client_for(laofficer).get(reverse("oversight:la")).context["figures"]
        assert figures.placements == 2 and figures.by_school == [(school.name, 2)]
        assert (figures.attendance.possible, figures.attendance.attended) == (4, 3)
        assert figures.median_weeks == 1.6 and figures.outcomes == [("Reintegrated to class", 1)]

    def test_children_missing_education_counts_a_run_of_unexplained_absence(
        self, laofficer, sendco, school, client_for
    ):
        missing = PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 10, 5))
        _sessions(missing, "B", 4, last=date(2026, 11, 3))
        _sessions(missing, "O", CME_RUN_SESSIONS)
        short = PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 10, 5))
        _sessions(short, "O", CME_RUN_SESSIONS - 1)
        broken = PlacementFactory(pupil__school=school, status=S.ACTIVE, start_date=date(2026, 10, 5))
        _sessions(broken, "O", CME_RUN_SESSIONS)
        AttendanceMarkFactory(placement=broken, date=date(2026, 11, 23), session="am", register_code="B")
        page = client_for(laofficer).get(reverse("oversight:la"))
        rows = {row.school: row.placements for row in page.context["missing"]}
        assert rows == {school: 1}
        html = page.content.decode()
        assert f"{school.name}</strong>: 1" in html and missing.pupil.full_name not in html

    def test_the_queries_do_not_grow_with_the_schools(self, laofficer, sendco, school, client_for):
        client = client_for(laofficer)
        client.get(reverse("oversight:la"))
        counts = []
        for more in (1, 4):
            for _ in range(more):
                other = SchoolFactory()
                _notified(other, MembershipFactory(school=other, role=Role.SENDCO).user)
                _sessions(PlacementFactory(pupil__school=other, status=S.ACTIVE, start_date=date(2026, 10, 5)), "O", 20)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("oversight:la")).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        assert counts[1] <= 12, counts  # a dashboard's budget (issue 15)
