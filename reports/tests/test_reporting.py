"""The governors' report, the census rows and the LA notification."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apcase.models import ExportJob, RecordAccess
from apcase.tests.pdf import assert_a4_without_attachments, pdf_text
from audits.models import Provider
from audits.tests.factories import ProviderFactory, ProviderSiteFactory
from placements.models import Placement
from placements.tests.factories import AttendanceMarkFactory, PlacementFactory
from pupils.tests.factories import PupilFactory
from reports.census import census_rows
from reports.governors import governors_report
from reports.suppression import IN_FULL, breakdown, count, measure
from reports.tests.cases import report_period
from reviews.tests.factories import CheckInFactory, MeasurementFactory, TargetFactory

P = Placement.Status
REINTEGRATED = Placement.Outcome.REINTEGRATED


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)


def placed(school, n, *, provider=None, **fields):
    provider = provider or ProviderFactory(school=school)
    site = provider.sites.first() or ProviderSiteFactory(provider=provider)
    defaults = {"status": P.ACTIVE, "start_date": date(2026, 9, 14), "estimated_cost": Decimal("1000"), "site": site}
    return [
        PlacementFactory(pupil=PupilFactory(school=school), provider=provider, **(defaults | fields)) for _ in range(n)
    ]


def back_in_class(school, n, first_day, last_day):
    """n placements that ran from first_day to last_day and ended with the pupil back in class."""
    return placed(school, n, status=P.ENDED, start_date=first_day, actual_end_date=last_day, outcome=REINTEGRATED)


def checked_in(placement, weeks: int, still_in_class: bool):
    """The check-in held on 20/11/2026, so many weeks after the pupil's return."""
    day = date(2026, 11, 20)
    return CheckInFactory(
        placement=placement, weeks_after=weeks, due_on=day, held_on=day, still_in_class=still_in_class
    )


class TestSuppression:
    def test_small_counts_are_hidden_but_zero_is_shown(self):
        assert [count(n).shown for n in (0, 1, 4, 5, 12)] == ["0", "fewer than 5", "fewer than 5", "5", "12"]

    def test_a_rate_over_fewer_than_five_pupils_is_not_shown(self):
        assert measure(83.3, group_size=4).suppressed
        assert measure(83.3, group_size=5, fmt="{:.1f}%").shown == "83.3%"

    def test_small_groups_are_merged_and_the_merge_hidden_if_still_small(self):
        rows = breakdown([("A", 7), ("B", 2), ("C", 1)], other_label="Others")
        assert [(label, figure.shown) for label, figure in rows] == [("A", "7"), ("Others", "fewer than 5")]


class TestGovernorsReport:
    def test_it_counts_the_term_and_suppresses_small_groups(self, school):
        placed(school, 6, provider=ProviderFactory(school=school, name="Littleton Green"))
        placed(school, 2, provider=ProviderFactory(school=school, name="Tiny Tutors"))
        placed(school, 3, status=P.ENDED, actual_end_date=date(2026, 11, 6), outcome=Placement.Outcome.REINTEGRATED)
        period = report_period(school, date(2026, 11, 23))
        assert period is not None
        report = governors_report(school=school, period=period)
        assert period.label == "Autumn term 2026/27"
        assert report.pupils_in_ap.shown == "11"
        providers = {label: figure.shown for label, figure in report.by_provider}
        assert providers["Littleton Green"] == "6"
        assert "Tiny Tutors" not in providers
        assert providers["Other providers"] == "5"  # the two small providers together
        outcomes = {label: figure.shown for label, figure in report.outcomes}
        assert outcomes == {"Other outcomes": "fewer than 5"}
        assert report.cost_per_reintegration.suppressed

    def test_attendance_before_and_during_is_averaged_over_pupils(self, school):
        placements = placed(school, 5, baseline_attendance=Decimal("80.0"))
        for placement in placements:
            AttendanceMarkFactory(placement=placement, date=date(2026, 11, 16), session="am")
            AttendanceMarkFactory(placement=placement, date=date(2026, 11, 16), session="pm", register_code="O")
        report = governors_report(school=school, period=report_period(school, date(2026, 11, 23)))
        assert report.attendance_before.shown == "80.0%"
        assert report.attendance_during.shown == "50.0%"
        assert "attendance" in report.charts

    def test_the_page_and_the_pdf_name_no_pupil(self, school, governor, client_for, django_capture_on_commit_callbacks):
        pupils = [p.pupil for p in placed(school, 6)]
        client = client_for(governor)
        html = client.get(reverse("reports:governors")).content.decode()
        assert "Pupils in alternative provision" in html
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("export_start", args=["governors_report"]) + "?period=Autumn+2026/27")
        job = ExportJob.objects.get()
        assert job.status == ExportJob.Status.DONE
        content = client.get(reverse("export_download", args=[job.public_id])).content
        assert_a4_without_attachments(content)
        text = pdf_text(content)
        assert "Autumn term 2026/27" in text and "Pupils in alternative provision during the term 6" in text
        for pupil in pupils:
            assert pupil.full_name not in html and pupil.full_name not in text and pupil.upn not in text

    def test_teachers_cannot_open_it(self, teacher, client_for):
        assert client_for(teacher).get(reverse("reports:governors")).status_code == 403

    def test_it_says_how_many_stayed_in_class_and_hides_small_groups(self, school):
        returned = placed(school, 6, status=P.ENDED, actual_end_date=date(2026, 10, 2), outcome=REINTEGRATED)
        for placement, stayed in zip(returned, [True, True, True, True, False], strict=False):
            checked_in(placement, 6, stayed)
        checked_in(returned[0], 12, True)
        report = governors_report(school=school, period=report_period(school, date(2026, 11, 23)))
        assert report.returns.returned.shown == "6"
        six, twelve = report.returns.stayed
        assert (six.weeks, six.checked, six.rate.shown) == (6, 5, "80%")
        assert (twelve.checked, twelve.rate.suppressed) == (1, True)

    def test_it_gives_median_steps_by_group_and_hides_small_groups(self, school, client_for, governor):
        for n, placement in enumerate(placed(school, 6)):
            pupil = placement.pupil
            pupil.pupil_premium, pupil.sen_provision = n < 2, "K"
            pupil.save()
            target = TargetFactory(placement=placement, baseline=Decimal("2.0"))
            MeasurementFactory(target=target, measured_on=date(2026, 11, 20), value=Decimal(3 + n % 2))
        report = governors_report(school=school, period=report_period(school, date(2026, 11, 23)))
        assert report.steps.areas == ["Next Steps reading"]
        rows = {row.group: (row.pupils.shown, [f.shown for f in row.median_steps]) for row in report.steps.rows}
        assert rows["All pupils"] == ("6", ["+1.5"])
        assert rows["SEN support"] == ("6", ["+1.5"])
        assert rows["No SEN"] == ("0", ["—"])
        assert rows["Pupil Premium"] == ("fewer than 5", ["not shown (fewer than 5 pupils)"])
        page = client_for(governor).get(reverse("reports:governors")).content.decode()
        assert "Progress on learning frameworks" in page and "+1.5" in page


class TestWhoSeesWhat:
    """Leaders see their own school's report with real numbers; governors, and the PDF meant for
    publication, see groups of fewer than five suppressed, and each page says which applies."""

    @pytest.fixture
    def small_school(self, school):
        placed(school, 2, provider=ProviderFactory(school=school, name="Tiny Tutors"))
        placed(school, 1, status=P.ENDED, actual_end_date=date(2026, 11, 6), outcome=REINTEGRATED)
        return school

    @pytest.mark.parametrize("leader", ["head", "sendco", "trustlead"])
    def test_leaders_see_the_real_numbers_and_are_told_so(self, small_school, request, client_for, leader):
        if leader == "trustlead":
            from apcase.access import forget_roles
            from apcase.tests.factories import MembershipFactory, UserFactory

            user = UserFactory(username="trustlead")
            MembershipFactory(user=user, school=small_school, role="sendco", trust_wide=True)
            forget_roles(user)
        else:
            user = request.getfixturevalue(leader)
        page = client_for(user).get(reverse("reports:governors")).content.decode()
        assert "Real numbers, for the school&#x27;s leaders" in page
        assert '<th scope="row">Tiny Tutors</th><td>2</td>' in page
        assert '<th scope="row">Reintegrated to class</th><td>1</td>' in page
        assert "fewer than 5" not in page.split('id="disclosure-note"')[1].split("</p>", 1)[1]

    def test_governors_see_small_groups_suppressed_and_are_told_so(self, small_school, governor, client_for):
        page = client_for(governor).get(reverse("reports:governors")).content.decode()
        assert "Figures as published: groups of fewer than 5 pupils are not shown" in page
        assert "Tiny Tutors" not in page and "Show the real numbers" not in page
        assert '<th scope="row">Pupils in alternative provision during the term</th><td>fewer than 5</td>' in page

    def test_a_leader_can_see_the_page_as_governors_do(self, small_school, head, client_for):
        page = client_for(head).get(reverse("reports:governors") + "?view=published").content.decode()
        assert "Figures as published" in page and "Tiny Tutors" not in page and "Show the real numbers" in page

    def test_the_pdf_is_for_publication_whoever_makes_it(
        self, small_school, head, client_for, django_capture_on_commit_callbacks
    ):
        client = client_for(head)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("export_start", args=["governors_report"]) + "?period=Autumn+2026/27")
        text = pdf_text(client.get(reverse("export_download", args=[ExportJob.objects.get().public_id])).content)
        assert "Figures as published" in text and "Tiny Tutors" not in text and "fewer than 5" in text


class TestPeriods:
    def test_a_report_covers_the_year_to_date_or_the_last_three_terms(self, school):
        from reports.periods import report_periods

        periods = {p.key: p for p in report_periods(school, date(2026, 11, 23))}
        ytd, three = periods["year-to-date"], periods["last-three-terms"]
        assert (ytd.label, ytd.start, ytd.end) == ("Year to date, 2026/27", date(2026, 9, 1), date(2026, 11, 23))
        assert (three.label, three.start, three.end) == (
            "Last three terms (Spring 2025/26 to Autumn 2026/27)",
            date(2026, 1, 5),
            date(2026, 11, 23),
        )
        assert list(periods)[2:5] == ["Summer 2026/27", "Spring 2026/27", "Autumn 2026/27"]

    def test_the_last_three_terms_count_what_a_single_term_would_miss(self, school):
        back_in_class(school, 3, date(2026, 1, 12), date(2026, 3, 6))  # spring
        back_in_class(school, 3, date(2026, 4, 20), date(2026, 6, 26))  # summer
        placed(school, 1)
        three = report_period(school, date(2026, 11, 23), "last-three-terms")
        term = report_period(school, date(2026, 11, 23))
        assert governors_report(school=school, period=term).pupils_in_ap.shown == "fewer than 5"
        report = governors_report(school=school, period=three)
        assert report.pupils_in_ap.shown == "7" and dict(report.outcomes) == {"Reintegrated to class": count(6)}

    def test_each_report_is_compared_with_the_period_before(self, school):
        back_in_class(school, 2, date(2026, 4, 20), date(2026, 6, 26))
        placed(school, 3, estimated_cost=Decimal("1200"))
        term = report_period(school, date(2026, 11, 23))
        comparison = governors_report(school=school, period=term, disclosure=IN_FULL).comparison
        assert comparison is not None
        assert comparison.previous.label == "Summer term 2025/26"
        rows = {label: (now.shown, before.shown) for label, now, before in comparison.rows}
        assert rows["Pupils in alternative provision"] == ("3", "2")
        assert rows["Placements that ended"] == ("0", "2")
        assert rows["of them, back in class"] == ("0", "2")
        assert rows["Estimated cost of the placements that ran"] == ("£3,600", "£2,000")
        published = governors_report(school=school, period=term).comparison
        assert published is not None
        assert {label: before.shown for label, _now, before in published.rows}["Placements that ended"] == (
            "fewer than 5"
        )

    def test_the_year_to_date_is_compared_with_the_same_weeks_of_last_year(self, school):
        placed(school, 1, start_date=date(2025, 10, 6))
        placed(school, 1, start_date=date(2026, 1, 12))  # after the same weeks of last year
        ytd = report_period(school, date(2026, 11, 23), "year-to-date")
        comparison = governors_report(school=school, period=ytd, disclosure=IN_FULL).comparison
        assert comparison is not None
        assert (comparison.previous.start, comparison.previous.end) == (date(2025, 9, 1), date(2025, 11, 23))
        assert {label: before.shown for label, _now, before in comparison.rows}[
            "Pupils in alternative provision"
        ] == "1"

    def test_the_last_three_terms_are_compared_with_the_three_terms_before(self, school):
        placed(school, 2, start_date=date(2025, 10, 6))  # autumn 2025/26: the three terms before
        placed(school, 1, start_date=date(2027, 3, 1))  # spring 2026/27: the last three terms
        three = report_period(school, date(2027, 7, 21), "last-three-terms")
        comparison = governors_report(school=school, period=three, disclosure=IN_FULL).comparison
        assert comparison is not None
        previous = comparison.previous
        assert previous.label == "The three terms before (Autumn 2025/26 to Summer 2025/26)"
        assert (previous.start, previous.end) == (date(2025, 9, 1), date(2026, 7, 22))
        rows = {label: (now.shown, before.shown) for label, now, before in comparison.rows}
        assert rows["Pupils in alternative provision"] == ("3", "2")  # the two placed in 2025 still run

    def test_the_page_offers_the_longer_periods_and_shows_the_period_before(self, school, head, client_for):
        placed(school, 1)
        page = client_for(head).get(reverse("reports:governors")).content.decode()
        assert 'value="year-to-date"' in page and 'value="last-three-terms"' in page
        assert "Summer term 2025/26</th>" in page  # the column of the term before

    def test_the_report_page_has_a_query_budget(self, school, head, client_for, django_assert_max_num_queries):
        running = placed(school, 12, baseline_attendance=Decimal("85.0"))
        returned = placed(school, 6, status=P.ENDED, actual_end_date=date(2026, 10, 2), outcome=REINTEGRATED)
        for placement in running[:6]:
            AttendanceMarkFactory(placement=placement, date=date(2026, 11, 16), session="am")
            target = TargetFactory(placement=placement, baseline=Decimal("2.0"))
            MeasurementFactory(target=target, measured_on=date(2026, 11, 20), value=Decimal(3))
        for placement in returned:
            checked_in(placement, 6, True)
        client = client_for(head)
        client.get(reverse("reports:governors"))
        with django_assert_max_num_queries(13):  # with the period before it, however many placements
            response = client.get(reverse("reports:governors") + "?period=last-three-terms")
        assert response.status_code == 200


class TestCensus:
    RANGE = (date(2026, 9, 1), date(2026, 10, 1))

    def test_it_returns_off_site_placements_attended_in_the_range(self, school):
        provider = ProviderFactory(school=school)
        inside = placed(school, 1, provider=provider, start_date=date(2026, 9, 14))[0]
        ended = {"status": P.ENDED, "outcome": Placement.Outcome.REINTEGRATED}
        ended_inside = placed(
            school, 1, provider=provider, start_date=date(2026, 6, 1), actual_end_date=date(2026, 9, 20), **ended
        )[0]
        placed(school, 1, provider=provider, start_date=date(2026, 10, 5))  # starts after
        placed(school, 1, provider=provider, start_date=date(2026, 5, 1), actual_end_date=date(2026, 7, 10), **ended)
        internal = ProviderFactory(school=school, internal=True)
        placed(school, 1, provider=internal, kind=Placement.Kind.INTERNAL)  # on-site: never returned
        rows = census_rows(school=school, start=self.RANGE[0], end=self.RANGE[1])
        assert {row.placement for row in rows} == {inside, ended_inside}
        by_placement = {row.placement: row for row in rows}
        assert by_placement[ended_inside].values[8] == "2026-09-20"
        assert by_placement[inside].values[8] == ""

    def test_exactly_one_of_urn_ukprn_or_setting_and_problems_listed(self, school):
        urn = placed(school, 1, provider=ProviderFactory(school=school, urn="145123"), census_reason="suspension")[0]
        setting = placed(school, 1, provider=ProviderFactory(school=school, unregistered=True))[0]
        rows = {row.placement: row for row in census_rows(school=school, start=self.RANGE[0], end=self.RANGE[1])}
        assert rows[urn].values[4:7] == ["145123", "", ""] and not rows[urn].problems
        assert rows[setting].values[4:7] == ["", "", Provider.SettingType.ONE_TO_ONE_TUITION]
        assert any("No primary reason" in problem for problem in rows[setting].problems)

    def test_the_office_downloads_the_csv_and_it_is_logged(self, school, office, client_for):
        placed(school, 2)
        response = client_for(office).get(reverse("reports:census") + "?start=01/09/2026&end=01/10/2026&format=csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][0] == "UPN" and len(rows) == 3
        assert RecordAccess.objects.filter(object_id=school.public_id, action="export").exists()

    def test_a_range_the_wrong_way_round_is_explained(self, office, client_for):
        html = client_for(office).get(reverse("reports:census") + "?start=01/10/2026&end=01/09/2026").content.decode()
        assert "must be on or after its start" in html

    def test_governors_cannot_export_pupil_rows(self, governor, client_for):
        assert client_for(governor).get(reverse("reports:census")).status_code == 403


def test_the_la_notification_names_the_pupil_and_the_provision(school, sendco, client_for):
    placement = placed(school, 1, provider=ProviderFactory(school=school, name="Littleton Green", urn="145123"))[0]
    response = client_for(sendco).get(reverse("reports:la_notification", args=[placement.public_id]))
    text = pdf_text(response.content)
    assert placement.pupil.full_name in text and "Littleton Green" in text and "145123" in text
    assert school.local_authority.ap_contact in text and "DRAFT" in text
    assert RecordAccess.objects.filter(object_id=placement.public_id, action="download").exists()
