"""The trust board's report: the governors' report's headline figures per school and in total, as
published (small groups suppressed), with no total that gives a hidden figure away."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apcase.models import School
from apcase.tests.factories import SchoolFactory
from placements.models import Placement
from placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db
PUPILS = "Pupils in alternative provision"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 23, 10, 0)), tick=False):
        yield


def _placed(school: School, count: int) -> None:
    for _ in range(count):
        PlacementFactory(pupil__school=school, status=Placement.Status.ACTIVE, start_date=date(2026, 11, 2))


def _row(table, label: str) -> tuple[dict[str, str], str]:
    index = table.labels.index(label)
    by_school = {school.name: figures[index].shown for school, _period, figures in table.schools if figures}
    return by_school, table.total[index].shown


def test_each_school_as_published_and_the_trust_in_total(trustlead, school, client_for):
    other = SchoolFactory(name="Riverside", trust=School.objects.get(pk=school.pk).trust)
    _placed(school, 6)
    _placed(other, 7)
    table = client_for(trustlead).get(reverse("oversight:trust_report")).context["table"]
    by_school, total = _row(table, PUPILS)
    assert by_school[school.name] == "6" and by_school["Riverside"] == "7" and total == "13"
    periods = {s.name: period for s, period, _figures in table.schools}
    assert periods[school.name].label == "Year to date, 2026/27"
    assert periods["Northbridge Learning Trust central team"] is None  # no term dates entered


def test_a_total_that_would_reveal_a_small_school_is_not_shown(trustlead, school, client_for):
    other = SchoolFactory(name="Riverside", trust=School.objects.get(pk=school.pk).trust)
    _placed(school, 6)
    _placed(other, 2)
    page = client_for(trustlead).get(reverse("oversight:trust_report"))
    by_school, total = _row(page.context["table"], PUPILS)
    assert by_school["Riverside"] == "fewer than 5"
    assert total == "not shown (it would reveal a small group)"
    assert ">2<" not in page.content.decode()


def test_only_a_trust_lead_reads_it(sendco, other_trust_lead, trustlead, school, client_for):
    _placed(school, 6)
    assert client_for(sendco).get(reverse("oversight:trust_report")).status_code == 403
    table = client_for(other_trust_lead).get(reverse("oversight:trust_report")).context["table"]
    assert school not in [row[0] for row in table.schools]


def test_the_board_s_pdf_is_the_published_report(trustlead, sendco, school, client_for):
    other = SchoolFactory(name="Riverside", trust=School.objects.get(pk=school.pk).trust)
    _placed(school, 6)
    _placed(other, 2)
    response = client_for(trustlead).get(reverse("oversight:trust_report_pdf"), {"period": "year-to-date"})
    assert response["Content-Type"] == "application/pdf"
    assert "AP%20report%20to%20the%20trust%20board" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Northbridge Learning Trust" in text and "Riverside" in text and school.name in text
    assert "fewer than 5" in text and "not shown (it would reveal a small group)" in text
    assert "· Northbridge" not in text  # the footer names the trust, with no empty school before it
    assert client_for(sendco).get(reverse("oversight:trust_report_pdf")).status_code == 403


def test_the_queries_do_not_grow_with_the_schools(trustlead, school, client_for):
    trust = School.objects.get(pk=school.pk).trust
    client = client_for(trustlead)
    client.get(reverse("oversight:trust_report"))  # the session's first request loads more
    counts = []
    for more in (1, 4):
        for _ in range(more):
            _placed(SchoolFactory(trust=trust), 2)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("oversight:trust_report")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
